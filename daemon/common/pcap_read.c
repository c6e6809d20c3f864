// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads UDP datagrams out of capture files with libpcap, which knows
 * pcap and pcapng; this file only walks the link, IP and UDP headers.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "pcap_read.h"

#define ETH_HDR	       14
#define VLAN_TAG       4
#define SLL_HDR	       16
#define SLL2_HDR       20
#define ETHERTYPE_IP   0x0800
#define ETHERTYPE_IP6  0x86dd
#define ETHERTYPE_VLAN 0x8100
#define IPPROTO_UDP_   17

/* How the records sit in capture_file.data, each 8-byte aligned. */
struct rec_hdr {
	uint64_t ts_usec;
	uint32_t caplen;
	uint32_t origlen; /* on the wire: more than caplen when cut */
};

static size_t rec_size(uint32_t caplen)
{
	return (sizeof(struct rec_hdr) + caplen + 7) & ~(size_t)7;
}

static bool known_linktype(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL ||
	       dlt == DLT_LINUX_SLL2 || dlt == DLT_RAW || dlt == DLT_IPV4 ||
	       dlt == DLT_IPV6;
}

/* Appends one record; -1 when out of memory. */
static int keep_record(struct capture_file *pf, const struct pcap_pkthdr *h,
		       const uint8_t *frame)
{
	size_t need = rec_size(h->caplen);
	struct rec_hdr rh = {
		.ts_usec = (uint64_t)h->ts.tv_sec * 1000000 +
			   (uint64_t)h->ts.tv_usec,
		.caplen = h->caplen,
		.origlen = h->len,
	};

	if (pf->cap - pf->len < need) {
		size_t cap = pf->cap ? pf->cap : 65536;
		uint8_t *p;

		while (cap - pf->len < need)
			cap *= 2;
		p = realloc(pf->data, cap);
		if (!p)
			return -1;
		pf->data = p;
		pf->cap = cap;
	}
	memcpy(pf->data + pf->len, &rh, sizeof(rh));
	memcpy(pf->data + pf->len + sizeof(rh), frame, h->caplen);
	pf->len += need;
	return 0;
}

/* Copies every record, so datagrams outlive libpcap's buffer. */
static int read_all(struct capture_file *pf, pcap_t *p)
{
	struct pcap_pkthdr *h;
	const u_char *frame;
	int ret;

	while ((ret = pcap_next_ex(p, &h, &frame)) == 1) {
		if (keep_record(pf, h, frame)) {
			snprintf(pf->error, sizeof(pf->error), "out of memory");
			return -1;
		}
	}
	if (ret == -1) { /* libpcap stopped at a bad record: say so there */
		snprintf(pf->error, sizeof(pf->error), "%s", pcap_geterr(p));
		pf->bad_tail = true;
	}
	return 0;
}

int capture_open(struct capture_file *pf, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int ret;

	memset(pf, 0, sizeof(*pf));
	p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!p) {
		snprintf(pf->error, sizeof(pf->error), "%s", errbuf);
		return -1;
	}
	pf->linktype = pcap_datalink(p);
	if (!known_linktype(pf->linktype)) {
		snprintf(pf->error, sizeof(pf->error),
			 "link type %s is not Ethernet, Linux cooked or raw IP",
			 pcap_datalink_val_to_name(pf->linktype) ?: "unknown");
		pcap_close(p);
		return -1;
	}
	pf->ethernet = pf->linktype == DLT_EN10MB;
	ret = read_all(pf, p);
	pcap_close(p);
	if (ret) {
		free(pf->data);
		pf->data = NULL;
		pf->len = pf->cap = 0;
		return -1;
	}
	return 0;
}

/* Fills d from an IP packet; 0 if it is not UDP, -1 if it is bad, 2 for
 * an IPv4 fragment (not reassembled: skipped). */
static int parse_ip(const uint8_t *p, size_t len, struct udp_datagram *d)
{
	size_t ip_len;

	if (len >= 1 && (p[0] >> 4) == 4) {
		if (len < 20)
			return -1;
		if (get_be16(p + 6) & 0x3fff) /* more fragments, or an offset */
			return 2;
		ip_len = (size_t)(p[0] & 15) * 4;
		if (ip_len < 20 || len < ip_len + 8 || p[9] != IPPROTO_UDP_)
			return p[9] == IPPROTO_UDP_ ? -1 : 0;
		memcpy(d->src_ip, p + 12, 4);
		memcpy(d->dst_ip, p + 16, 4);
	} else if (len >= 1 && (p[0] >> 4) == 6) {
		ip_len = 40;
		if (len < ip_len + 8)
			return -1;
		if (p[6] != IPPROTO_UDP_)
			return 0;
		d->ipv6 = true;
		memcpy(d->src_ip, p + 8, 16);
		memcpy(d->dst_ip, p + 24, 16);
	} else {
		return len ? 0 : -1;
	}
	d->src_port = get_be16(p + ip_len);
	d->dst_port = get_be16(p + ip_len + 2);
	if (get_be16(p + ip_len + 4) < 8 ||
	    get_be16(p + ip_len + 4) > len - ip_len)
		return -1;
	d->len = get_be16(p + ip_len + 4) - 8u;
	d->payload = p + ip_len + 8;
	return 1;
}

/* An IP packet after an EtherType; 0 for other protocols. */
static int parse_ethertype(uint16_t type, const uint8_t *p, size_t len,
			   struct udp_datagram *d)
{
	if (type != ETHERTYPE_IP && type != ETHERTYPE_IP6)
		return 0;
	/* The version nibble must agree with the EtherType. */
	if (len < 1 || (p[0] >> 4) != (type == ETHERTYPE_IP ? 4 : 6))
		return -1;
	return parse_ip(p, len, d);
}

/* Fills d from a frame of pf's link type; 0 if it is not UDP over IP. */
static int parse_frame(int linktype, const uint8_t *p, size_t len,
		       struct udp_datagram *d)
{
	uint16_t type;

	switch (linktype) {
	case DLT_EN10MB:
		if (len < ETH_HDR)
			return -1;
		type = get_be16(p + 12);
		if (type != ETHERTYPE_VLAN)
			return parse_ethertype(type, p + ETH_HDR, len - ETH_HDR,
					       d);
		if (len < ETH_HDR + VLAN_TAG)
			return -1;
		return parse_ethertype(get_be16(p + 16), p + ETH_HDR + VLAN_TAG,
				       len - ETH_HDR - VLAN_TAG, d);
	case DLT_LINUX_SLL:
		if (len < SLL_HDR)
			return -1;
		return parse_ethertype(get_be16(p + 14), p + SLL_HDR,
				       len - SLL_HDR, d);
	case DLT_LINUX_SLL2:
		if (len < SLL2_HDR)
			return -1;
		return parse_ethertype(get_be16(p), p + SLL2_HDR,
				       len - SLL2_HDR, d);
	default: /* DLT_RAW, DLT_IPV4, DLT_IPV6: the IP header first */
		return parse_ip(p, len, d);
	}
}

int capture_next_udp(struct capture_file *pf, struct udp_datagram *d)
{
	while (pf->off < pf->len) {
		struct rec_hdr rh;
		int ret;

		memcpy(&rh, pf->data + pf->off, sizeof(rh));
		memset(d, 0, sizeof(*d));
		d->ts_usec = rh.ts_usec;
		d->frame = pf->data + pf->off + sizeof(rh);
		d->frame_len = rh.caplen;
		pf->off += rec_size(rh.caplen);
		ret = parse_frame(pf->linktype, d->frame, d->frame_len, d);
		/* Cut short by the capture's snap length, or a fragment: not
		 * the capture's fault, counted and skipped. */
		if (ret == 2 || (ret < 0 && rh.origlen > rh.caplen)) {
			pf->skipped++;
			continue;
		}
		if (ret)
			return ret;
	}
	return pf->bad_tail ? -1 : 0;
}

void capture_close(struct capture_file *pf)
{
	free(pf->data);
	memset(pf, 0, sizeof(*pf));
}
