/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UDP datagrams out of a capture file, read with libpcap: classic pcap
 * (micro- or nanosecond, either byte order) and pcapng, as Wireshark and
 * dumpcap save by default. Link types Ethernet (with or without one
 * 802.1Q tag), Linux cooked (SLL, SLL2) and raw IP; IPv4 or IPv6, UDP.
 * For the tests, the fuzz seeds and n2n-dissect: every length is checked,
 * as for any untrusted input.
 *
 * The names say capture_, not pcap_: libpcap owns pcap_open and
 * pcap_close.
 */
#ifndef N2NK_PCAP_READ_H
#define N2NK_PCAP_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One datagram. Its pointers stay valid until capture_close(), so a
 * caller may keep every datagram of a file.
 */
struct udp_datagram {
	uint64_t ts_usec;		/* capture time, microseconds */
	uint8_t src_ip[16], dst_ip[16]; /* IPv4 in the first 4 bytes */
	bool ipv6;
	uint16_t src_port, dst_port;
	const uint8_t *payload;
	size_t len;
	const uint8_t *frame; /* the captured frame, capture_file.linktype */
	size_t frame_len;
};

struct capture_file {
	uint8_t *data; /* every record, copied: a header, then its frame */
	size_t len, cap;
	size_t off;	 /* the next record capture_next_udp() reads */
	int linktype;	 /* libpcap's DLT_ value */
	bool ethernet;	 /* frames start with an Ethernet header */
	bool bad_tail;	 /* libpcap stopped at a malformed record */
	size_t skipped;	 /* frames cut short (snap length) or fragments */
	char error[256]; /* why open failed, or what bad_tail was */
};

/* 0 on success, -1 if the file is missing, not a capture, or of a link
 * type this reader does not know (pf->error says which). */
int capture_open(struct capture_file *pf, const char *path);
/* 1 with the next UDP datagram, 0 at the end, -1 on a malformed record. */
int capture_next_udp(struct capture_file *pf, struct udp_datagram *d);
void capture_close(struct capture_file *pf);

#endif /* N2NK_PCAP_READ_H */
