/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal reader for classic pcap captures: Ethernet, IPv4 or
 * IPv6, UDP. For the tests, the fuzz seeds and n2n-dissect; every length
 * is checked, as for any untrusted input.
 */
#ifndef N2NK_PCAP_READ_H
#define N2NK_PCAP_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct udp_datagram {
	uint64_t ts_usec;		/* capture time, microseconds */
	uint8_t src_ip[16], dst_ip[16]; /* IPv4 in the first 4 bytes */
	bool ipv6;
	uint16_t src_port, dst_port;
	const uint8_t *payload;
	size_t len;
};

struct pcap_file {
	uint8_t *data;
	size_t len;
	size_t off;
	bool swapped;
	bool nanosec;
};

/* 0 on success, -1 if the file is missing or not a pcap. */
int pcap_open(struct pcap_file *pf, const char *path);
/* 1 with the next UDP datagram, 0 at the end, -1 on a malformed record. */
int pcap_next_udp(struct pcap_file *pf, struct udp_datagram *d);
void pcap_close(struct pcap_file *pf);

#endif /* N2NK_PCAP_READ_H */
