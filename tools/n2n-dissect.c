// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n-dissect: prints the n2n conversation in a capture (pcap or pcapng),
 * one line per datagram. With the community it undoes header encryption (at
 * the capture's own time), with the key it decrypts PACKET payloads. Exits 1
 * if any datagram fails, naming why.
 *
 *   n2n-dissect [-c community] [-k key] [-A1..-A5] [-H] capture.pcap...
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mac.h"
#include "common/pcap_read.h"
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "proto/transform.h"
#include "proto/wire.h"

struct dissect_opts {
	char community[N2N_COMMUNITY_SIZE];
	const char *key;
	enum n2n_transform_id transform;
	bool he;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: n2n-dissect [-c community] [-k key] [-A1..-A5] "
		   "[-H] capture.pcap...\n");
}

static const char *fmt_endpoint(char *buf, size_t cap, const uint8_t *ip,
				bool ipv6, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ipv6 ? AF_INET6 : AF_INET, ip, a, sizeof(a));
	snprintf(buf, cap, ipv6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

/* One phrase on what an Ethernet frame carries. */
static void print_frame(const uint8_t *f, size_t len)
{
	char s[MAC_STR_MAX], d[MAC_STR_MAX];
	uint16_t type;

	if (len < 14) {
		printf(" frame(%zu bytes, runt)", len);
		return;
	}
	type = (uint16_t)(f[12] << 8 | f[13]);
	printf(" frame %s > %s", mac_str(f + MAC_SIZE, s), mac_str(f, d));
	if (type == 0x0806 && len >= 42)
		printf(" ARP %s %u.%u.%u.%u", f[21] == 1 ? "who-has" : "reply",
		       f[38], f[39], f[40], f[41]);
	else if (type == 0x0800 && len >= 34 && f[23] == 1)
		printf(" ICMP %u.%u.%u.%u > %u.%u.%u.%u type %u", f[26], f[27],
		       f[28], f[29], f[30], f[31], f[32], f[33],
		       len > 34 ? f[34] : 0);
	else
		printf(" ethertype 0x%04x, %zu bytes", type, len);
}

/* Returns 0, or -1 when the payload does not decrypt. */
static int print_packet(const struct n2n_packet *p, const struct transform *tf)
{
	uint8_t frame[N2N_PKT_BUF_SIZE];
	char s[MAC_STR_MAX], d[MAC_STR_MAX];
	ssize_t n;

	printf(" %s > %s %s", mac_str(p->src_mac, s), mac_str(p->dst_mac, d),
	       transform_name(p->transform));
	if (!tf)
		return 0;
	if (p->transform != tf->ops->id) {
		printf(" (not the configured %s)", tf->ops->name);
		return -1;
	}
	if (p->compression != N2N_COMPRESSION_NONE) {
		printf(" compression %u", p->compression);
		return 0;
	}
	n = transform_decode(tf, frame, sizeof(frame), p->payload,
			     p->payload_len);
	if (n < 0) {
		printf(" payload: %s", transform_strerror((int)n));
		return -1;
	}
	print_frame(frame, (size_t)n);
	/* No n2n transform authenticates: a wrong key decrypts to garbage. */
	if (n < 14 || !mac_equal(frame + MAC_SIZE, p->src_mac))
		printf(" (frame source is not srcMac: wrong key, or bridged)");
	return 0;
}

static int print_datagram(const struct dissect_opts *o,
			  const struct udp_datagram *d,
			  const struct transform *tf)
{
	uint8_t plain[N2N_PKT_BUF_SIZE];
	char src[64], dst[64], name[LOG_ESCAPE_MAX(N2N_COMMUNITY_SIZE)];
	struct he_result r;
	struct he_keys keys;
	struct n2n_msg m;
	ssize_t n;

	printf("%llu.%06llu %s > %s",
	       (unsigned long long)(d->ts_usec / 1000000),
	       (unsigned long long)(d->ts_usec % 1000000),
	       fmt_endpoint(src, sizeof(src), d->src_ip, d->ipv6, d->src_port),
	       fmt_endpoint(dst, sizeof(dst), d->dst_ip, d->ipv6, d->dst_port));
	if (d->len > sizeof(plain)) {
		printf(" datagram of %zu bytes: too long\n", d->len);
		return -1;
	}
	memcpy(plain, d->payload, d->len);
	if (o->he) {
		int err;

		he_keys_from_community(&keys, o->community);
		err = he_decrypt(plain, d->payload, d->len, o->community, &keys,
				 &r);
		if (err) {
			printf(" header: %s\n", he_strerror(err));
			return -1;
		}
		err = ts_verify(NULL, r.stamp, ts_from_usec(d->ts_usec), true);
		printf(" [H%s]", err ? ", stamp off" : "");
	}
	n = wire_decode(&m, plain, d->len);
	if (n < 0) {
		printf(" %s\n", wire_strerror((int)n));
		return -1;
	}
	/* The community is anyone's bytes: escaped, never sent raw to a
	 * terminal. */
	printf(" %s \"%s\" ttl %u%s%s", wire_msg_name(m.hdr.type),
	       log_escape(name, sizeof(name), m.hdr.community,
			  N2N_COMMUNITY_SIZE),
	       m.hdr.ttl,
	       m.hdr.flags & N2N_FLAGS_FROM_SUPERNODE ? " from-sn" : "",
	       m.hdr.flags & N2N_FLAGS_SOCKET ? " +sock" : "");
	n = m.hdr.type == N2N_MSG_PACKET ? print_packet(&m.u.packet, tf) : 0;
	putchar('\n');
	return (int)n;
}

static int dissect_file(const struct dissect_opts *o, const char *path)
{
	struct transform tf, *tfp = NULL;
	struct udp_datagram d;
	struct capture_file pf;
	int ret, bad = 0;

	if (capture_open(&pf, path)) {
		fprintf(stderr, "n2n-dissect: %s: %s\n", path, pf.error);
		return -1;
	}
	if (o->key && transform_init(&tf, o->transform, o->key) == 0)
		tfp = &tf;
	while ((ret = capture_next_udp(&pf, &d)) == 1)
		bad += print_datagram(o, &d, tfp) != 0;
	if (pf.skipped)
		fprintf(stderr,
			"n2n-dissect: %s: %zu frame(s) skipped: cut short by "
			"the snap length, or IP fragments\n",
			path, pf.skipped);
	if (ret < 0)
		fprintf(stderr, "n2n-dissect: %s: malformed record%s%s\n", path,
			pf.error[0] ? ": " : "", pf.error);
	if (tfp)
		transform_fini(tfp);
	capture_close(&pf);
	if (bad)
		fprintf(stderr, "n2n-dissect: %s: %d datagrams failed\n", path,
			bad);
	return bad || ret < 0 ? -1 : 0;
}

static int parse_args(struct dissect_opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->transform = N2N_TRANSFORM_AES; /* n2n's default with a key */
	while ((c = getopt(argc, argv, "c:k:A:Hh")) != -1) {
		switch (c) {
		case 'c':
			if (strlen(optarg) >= N2N_COMMUNITY_SIZE) {
				fprintf(stderr,
					"n2n-dissect: community '%s' "
					"is longer than 19 characters\n",
					optarg);
				return -1;
			}
			strcpy(o->community, optarg);
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'A':
			if (transform_id_from_flag(atoi(optarg)) < 0 ||
			    strspn(optarg, "12345") != strlen(optarg) ||
			    strlen(optarg) != 1) {
				fprintf(stderr,
					"n2n-dissect: -A%s: expected "
					"-A1 to -A5\n",
					optarg);
				return -1;
			}
			o->transform = transform_id_from_flag(atoi(optarg));
			break;
		case 'H':
			o->he = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (o->he && !o->community[0]) {
		fprintf(stderr, "n2n-dissect: -H needs the community (-c)\n");
		return -1;
	}
	return optind < argc ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct dissect_opts o;
	int i, failed = 0;

	if (parse_args(&o, argc, argv)) {
		usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i++)
		failed |= dissect_file(&o, argv[i]) != 0;
	return failed;
}
