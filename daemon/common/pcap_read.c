// SPDX-License-Identifier: GPL-2.0-only
/* Reads UDP datagrams out of classic pcap files (link type Ethernet). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "pcap_read.h"

#define PCAP_GLOBAL_HDR	  24
#define PCAP_REC_HDR	  16
#define LINKTYPE_ETHERNET 1

static uint32_t rd32(const struct pcap_file *pf, const uint8_t *p)
{
	return pf->swapped ? get_be32(p) : get_le32(p);
}

int pcap_open(struct pcap_file *pf, const char *path)
{
	FILE *f = fopen(path, "rb");
	long sz;

	memset(pf, 0, sizeof(*pf));
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < PCAP_GLOBAL_HDR ||
	    fseek(f, 0, SEEK_SET) || !(pf->data = malloc((size_t)sz)) ||
	    fread(pf->data, 1, (size_t)sz, f) != (size_t)sz) {
		fclose(f);
		pcap_close(pf);
		return -1;
	}
	fclose(f);
	pf->len = (size_t)sz;
	switch (get_le32(pf->data)) {
	case 0xa1b2c3d4:
		break;
	case 0xa1b23c4d:
		pf->nanosec = true;
		break;
	case 0xd4c3b2a1:
		pf->swapped = true;
		break;
	case 0x4d3cb2a1:
		pf->swapped = pf->nanosec = true;
		break;
	default:
		pcap_close(pf);
		return -1;
	}
	if (rd32(pf, pf->data + 20) != LINKTYPE_ETHERNET) {
		pcap_close(pf);
		return -1;
	}
	pf->off = PCAP_GLOBAL_HDR;
	return 0;
}

/* Fills d from an Ethernet frame; 0 if it is not UDP over IP, -1 if bad. */
static int parse_frame(const uint8_t *p, size_t len, struct udp_datagram *d)
{
	size_t ip_len, off = 14;
	uint16_t ethertype;

	if (len < 14)
		return -1;
	ethertype = get_be16(p + 12);
	if (ethertype == 0x0800) {
		if (len < off + 20 || (p[off] >> 4) != 4)
			return -1;
		ip_len = (size_t)(p[off] & 15) * 4;
		if (ip_len < 20 || len < off + ip_len + 8 || p[off + 9] != 17)
			return p[off + 9] == 17 ? -1 : 0;
		memcpy(d->src_ip, p + off + 12, 4);
		memcpy(d->dst_ip, p + off + 16, 4);
	} else if (ethertype == 0x86dd) {
		ip_len = 40;
		if (len < off + ip_len + 8)
			return -1;
		if (p[off + 6] != 17)
			return 0;
		d->ipv6 = true;
		memcpy(d->src_ip, p + off + 8, 16);
		memcpy(d->dst_ip, p + off + 24, 16);
	} else {
		return 0;
	}
	off += ip_len;
	d->src_port = get_be16(p + off);
	d->dst_port = get_be16(p + off + 2);
	if (get_be16(p + off + 4) < 8 || get_be16(p + off + 4) > len - off)
		return -1;
	d->len = get_be16(p + off + 4) - 8u;
	d->payload = p + off + 8;
	return 1;
}

int pcap_next_udp(struct pcap_file *pf, struct udp_datagram *d)
{
	while (pf->off < pf->len) {
		const uint8_t *rec = pf->data + pf->off;
		uint32_t caplen;
		int ret;

		if (pf->len - pf->off < PCAP_REC_HDR)
			return -1;
		caplen = rd32(pf, rec + 8);
		if (caplen > pf->len - pf->off - PCAP_REC_HDR)
			return -1;
		memset(d, 0, sizeof(*d));
		d->ts_usec = (uint64_t)rd32(pf, rec) * 1000000 +
			     rd32(pf, rec + 4) / (pf->nanosec ? 1000 : 1);
		pf->off += PCAP_REC_HDR + caplen;
		ret = parse_frame(rec + PCAP_REC_HDR, caplen, d);
		if (ret)
			return ret;
	}
	return 0;
}

void pcap_close(struct pcap_file *pf)
{
	free(pf->data);
	memset(pf, 0, sizeof(*pf));
}
