// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2n-loadgen: synthetic n2n edges that register with a supernode (ours or
 * stock n2n 3.x, plain community or, with -H, header-encrypted) and send
 * each other PACKETs through it, to measure how fast the supernode relays. Socket mode sends with sendmmsg
 * and counts arrivals on the edges' sockets; kernel mode transmits one
 * prebuilt frame with BPF_PROG_TEST_RUN live frames (tools/n2n-loadgen/loadgen.bpf.c) and
 * counts the relayed PACKETs in an XDP sink on the same interface.
 * Up to 16384 edges register at once, over up to 4096 communities (-C);
 * -m register only keeps them registered, and -J floods the supernode
 * with junk instead (random bytes, unlisted communities, wrong tokens).
 * Kernel mode at a rate (-r) is open loop: the XDP sender paces itself in
 * small groups (--burst) whatever the supernode takes, over one or many
 * flows (--flows), and -m reflect holds the bare XDP_TX reflector a relay
 * is measured against (tools/bench-relay-open.sh).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/compiler.h"
#include "common/inet_csum.h"
#include "common/mac.h"
#include "common/sockaddr.h"
#include "kernel/xdp_counter.h"
#include "n2nk_xdp_stats.h"
#include "proto/header_crypt.h"
#include "proto/timestamp.h"
#include "proto/wire.h"
#include "skel/loadgen.skel.h"

#define LG_MAX_EDGES	   16384
#define LG_MAX_COMMUNITIES 4096
/* Junk mode: datagrams prepared (sent round-robin) and sockets sent from. */
#define LG_JUNK_VARIANTS   256
#define LG_JUNK_SOCKETS	   4
/* Above this many edges each socket's buffers are smaller: the burst of
 * one edge is one registration or a few PACKETs. */
#define LG_MANY_EDGES	   1024
#define LG_MAX_SECONDS	   3600
/* -H: each PACKET is sealed once, so its stamp must stay within n2n's
 * 16 s window, re-registrations (every LG_REREG_MS) included: one would
 * move the supernode's record past it. */
#define LG_MAX_SECONDS_HE  8
#define LG_MAX_RATE	   100000000ull
#define LG_MAX_THREADS	   64
/* The relayed datagram (8 bytes longer) still fits a 1500-byte MTU. */
#define LG_MAX_PAYLOAD	   (1500 - 20 - 8 - N2N_PACKET_HDR_SIZE_SOCK)
#define LG_SOCK_BATCH	   64 /* sendmmsg / recvmmsg */
/* Frames per BPF_PROG_TEST_RUN at most: each call sets up and tears down a
 * page pool, ~20 ms on kernel 6.18, so calls must be big to go flat out. */
#define LG_KERN_BATCH	   262144
#define LG_KERN_NAPI	   64 /* frames between flushes (<= veth ring) */
/* Paced kernel mode: frames per group (flush) by default, and at most. */
#define LG_BURST_DEFAULT   16
#define LG_BURST_MAX	   256
#define LG_MAX_FLOWS	   8192 /* loadgen.bpf.c's tx_flows */
#define LG_MAX_ADDRS	   256
#define LG_PACE_SHIFT	   16 /* loadgen.bpf.c's pace_period: ns << 16 */
/* A paced call sends at most this many frames (BPF_PROG_TEST_RUN's repeat
 * is 32 bits). */
#define LG_PACE_MAX_CALL   (1u << 30)
#define LG_MAX_CPUS	   256
#define LG_MAX_PIDS	   8 /* --pids */
/* Registrations unanswered this long (plus a millisecond per edge) fail. */
#define LG_REG_TIMEOUT_MS  5000
#define LG_REG_RETRY_MS	   500
/* A round ends early when no new ACK came for this long. */
#define LG_REG_QUIET_MS	   100
#define LG_REG_MAX_ROUNDS  200
#define LG_REREG_MS	   10000
#define LG_DRAIN_MS	   500
#define LG_RX_ROUNDS	   16 /* recvmmsg calls per ready socket per wakeup */
#define LG_L2L3_SIZE	   (ETH_HLEN + 20 + 8) /* Ethernet, IPv4, UDP */
#define LG_FRAME_MAX	   (LG_L2L3_SIZE + N2N_PKT_BUF_SIZE)
#define LG_MAX_IFADDRS	   4096
#define LG_MAX_ROUTES	   65536
#define NS_PER_MS	   1000000ull
#define NS_PER_S	   1000000000ull

enum lg_mode {
	LG_SOCKET,
	LG_KERNEL,
	LG_REGISTER, /* register, keep registered, send nothing else */
	LG_REFLECT,  /* hold lg_reflect on -i; no edges */
};

/* --junk: what the flood is made of. */
enum lg_junk {
	LG_JUNK_NONE,
	LG_JUNK_GARBAGE,   /* random bytes */
	LG_JUNK_COMMUNITY, /* REGISTER_SUPERs for communities nobody lists */
	LG_JUNK_AUTH, /* REGISTER_SUPERs for our edges' MACs, wrong token */
	LG_JUNK_MIX,  /* the three in turn */
};

struct lg_opts {
	const char *sn_arg;
	struct sockaddr_in sn;
	char community[N2N_COMMUNITY_SIZE];
	unsigned int n_communities; /* -C: pairs spread round-robin */
	unsigned int n_edges;
	unsigned int payload;
	unsigned int seconds;
	unsigned long long rate; /* packets per second, 0 = flat out */
	enum lg_mode mode;
	const char *ifname;
	struct in_addr bind;
	unsigned int threads; /* kernel mode, flat out: senders, one per CPU */
	bool json;
	bool he; /* -H: headers encrypted with the community's keys */
	enum lg_junk junk;
	unsigned int flows;   /* kernel mode: pairs 0..flows-1 in turn */
	unsigned int burst;   /* kernel mode with -r: frames per group */
	unsigned int batch;   /* kernel mode with -r: frames per flush */
	unsigned int n_addrs; /* pair k binds to -b + k % n_addrs */
	unsigned int n_pids;  /* --pids: run time reported over the sending */
	int pids[LG_MAX_PIDS];
};

/* One CPU's times from /proc/stat, in clock ticks. */
struct lg_cpu {
	unsigned long long busy, softirq, total;
};

struct lg_edge {
	int fd;	       /* -1 in junk mode beyond the first LG_JUNK_SOCKETS */
	uint16_t comm; /* index into lg->names */
	struct sockaddr_in local;
	uint8_t mac[MAC_SIZE];
	uint32_t cookie;
	uint8_t token[N2N_AUTH_ID_TOKEN_SIZE];
	bool acked;
	bool refused;
};

/* Registration: what was sent and answered, and how long it took. */
struct lg_reg {
	uint64_t start_ns, done_ns; /* first send, last new ACK */
	uint64_t sent, acks, naks;
	uint64_t resent; /* re-registrations, every LG_REREG_MS */
	unsigned int registered, rounds;
};

struct lg_counts {
	uint64_t sent;
	uint64_t send_errors;
	uint64_t received;
	uint64_t rx_bytes; /* Ethernet frames, headers included, no FCS */
};

struct lg {
	struct lg_opts o;
	struct lg_edge *edges;
	char (*names)[N2N_COMMUNITY_SIZE]; /* the -C communities */
	unsigned int n_socks;		   /* edges with a socket */
	struct lg_reg reg;
	int epfd;
	uint64_t start_ns;
	uint64_t last_reg_ns;
	uint64_t elapsed_ns;
	struct lg_counts c;
	/* Every CPU's times at the start and the end of sending. */
	struct lg_cpu cpu0[LG_MAX_CPUS], cpu1[LG_MAX_CPUS];
	unsigned int n_cpus;
	uint64_t pid_ns0[LG_MAX_PIDS], pid_ns1[LG_MAX_PIDS];
	uint64_t pace_resets;
	uint8_t payload[N2N_PKT_BUF_SIZE];
	unsigned int frame_len; /* a sent PACKET as an Ethernet frame */
	struct he_keys he;	/* -H */
	struct ts_source stamps;
	/* Kernel mode. */
	struct loadgen *skel;
	int ifindex;
	int link_fd;
	const char *xdp_mode;
	uint8_t frame[LG_FRAME_MAX];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig __maybe_unused)
{
	stop = 1;
}

/* SIGALRM only interrupts a paced BPF_PROG_TEST_RUN call (EINTR). */
static void on_alarm(int sig __maybe_unused)
{
}

static int fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "n2n-loadgen: <message>[: <strerror(err)>]"; returns -1. */
static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("n2n-loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* Options. */

static int usage(void)
{
	fprintf(stderr,
		"usage: n2n-loadgen -l HOST:PORT [-c COMMUNITY] [-C N] "
		"[-n EDGES] [-s BYTES]\n"
		"                   [-r PPS] [-t SECONDS] "
		"[-m socket|kernel|register] [-i IFNAME]\n"
		"                   [-b ADDR] [-J KIND] [--flows N] [--burst "
		"N] "
		"[--addrs N]\n"
		"                   [--json]\n"
		"\n"
		"Registers EDGES synthetic edges (2 to 16384, each with its "
		"own MAC and\n"
		"UDP port) with the supernode at once, retrying those not "
		"answered, and\n"
		"has edge 2k send PACKETs of BYTES payload to edge 2k+1 "
		"through it at PPS\n"
		"(0 = as fast as possible) for SECONDS, then prints what was "
		"relayed back\n"
		"and how the registration went.\n"
		"  -C N        N communities (1 to 4096), COMMUNITY-0 .. "
		"COMMUNITY-<N-1>;\n"
		"              pair k (edges 2k, 2k+1) joins COMMUNITY-<k %% "
		"N>\n"
		"  -m socket   sendmmsg from the edges' sockets (default)\n"
		"  -m kernel   BPF_PROG_TEST_RUN live frames out of -i (kernel "
		">= 5.18),\n"
		"              counted by an XDP sink on -i\n"
		"  -m register only register, then keep the edges registered "
		"for SECONDS\n"
		"  -m reflect  no edges: hold the bare XDP_TX reflector "
		"(lg_reflect) on -i,\n"
		"              the supernode's side, for SECONDS or until a "
		"signal\n"
		"  -J KIND     a junk flood instead of edges, at PPS (0 = "
		"flat out), from\n"
		"              a few sockets (-m socket) or as live frames (-m "
		"kernel):\n"
		"              garbage (random bytes), community "
		"(REGISTER_SUPERs for\n"
		"              communities nobody lists), auth "
		"(REGISTER_SUPERs for the\n"
		"              MACs a run with the same -c, -C, -n registered, "
		"wrong\n"
		"              token) or mix (the three in turn; -m kernel "
		"repeats the\n"
		"              first datagram only); nothing registers\n"
		"  -i IFNAME   in socket mode: an XDP_PASS program on IFNAME, "
		"so a veth\n"
		"              peer's XDP_TX frames are accepted\n"
		"  -T THREADS  kernel mode flat out: that many senders, pinned "
		"to CPUs\n"
		"              0..THREADS-1 (give the veth as many queues)\n"
		"  -H          n2n's header encryption with the community's "
		"keys (the\n"
		"              supernode must list the community; each PACKET "
		"is sealed\n"
		"              once, so -t is at most 8 s)\n"
		"  --flows N   kernel mode: frames cycle over pairs 0..N-1 "
		"(1 to 8192,\n"
		"              at most EDGES/2; default 1, edge 0 to edge 1)\n"
		"  --burst N   kernel mode with -r: paced in groups of N "
		"frames "
		"(1 to 256,\n"
		"              default 16), each flushed to -i on its own\n"
		"  --addrs N   pair k binds to the N-th address from -b, k %% "
		"N (1 to 256;\n"
		"              -b and the N - 1 addresses after it must be on "
		"the host)\n"
		"  --batch N   kernel mode with -r: frames per "
		"BPF_PROG_TEST_RUN "
		"batch\n"
		"              (default: --burst)\n"
		"  --pids LIST the JSON reports these processes' run time "
		"(all their\n"
		"              threads, ns) over the sending time\n");
	return 2;
}

static int bad_value(const char *opt, const char *v, const char *want)
{
	fprintf(stderr, "n2n-loadgen: %s: bad value '%s' (want %s)\n", opt, v,
		want);
	return 2;
}

/* Strict unsigned parse within [min, max]. */
static bool parse_ull(const char *v, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!*v || *v == '-' || *v == '+' || *v == ' ')
		return false;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return !errno && !*end && *out >= min && *out <= max;
}

static int parse_supernode(struct lg_opts *o, const char *v)
{
	struct sockaddr_storage ss;
	unsigned long long port;
	char host[256];
	const char *colon = strrchr(v, ':');

	if (!colon || colon == v || (size_t)(colon - v) >= sizeof(host) ||
	    !parse_ull(colon + 1, 1, 65535, &port))
		return bad_value("-l", v, "HOST:PORT");
	memcpy(host, v, colon - v);
	host[colon - v] = 0;
	if (sockaddr_resolve(&ss, host, (uint16_t)port) ||
	    ss.ss_family != AF_INET)
		return bad_value("-l", v, "an IPv4 HOST:PORT that resolves");
	memcpy(&o->sn, &ss, sizeof(o->sn));
	o->sn_arg = v;
	return 0;
}

static int parse_junk(struct lg_opts *o, const char *v)
{
	static const char *const kinds[] = {
		[LG_JUNK_GARBAGE] = "garbage",
		[LG_JUNK_COMMUNITY] = "community",
		[LG_JUNK_AUTH] = "auth",
		[LG_JUNK_MIX] = "mix",
	};
	unsigned int k;

	for (k = LG_JUNK_GARBAGE; k <= LG_JUNK_MIX; k++)
		if (!strcmp(v, kinds[k])) {
			o->junk = (enum lg_junk)k;
			return 0;
		}
	return bad_value("-J", v, "garbage, community, auth or mix");
}

/* Long options without a letter. */
enum {
	LG_OPT_FLOWS = 256,
	LG_OPT_BURST,
	LG_OPT_ADDRS,
	LG_OPT_BATCH,
	LG_OPT_PIDS,
};

/* --pids PID[,PID...]: processes whose run time the JSON reports. */
static int parse_pids(struct lg_opts *o, const char *v)
{
	char buf[256], *tok, *save = NULL;
	unsigned long long n;

	if (strlen(v) >= sizeof(buf))
		return bad_value("--pids", v, "PID[,PID...]");
	snprintf(buf, sizeof(buf), "%s", v);
	o->n_pids = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->n_pids == LG_MAX_PIDS || !parse_ull(tok, 1, 1 << 22, &n))
			return bad_value("--pids", v, "up to 8 PIDs, commas");
		o->pids[o->n_pids++] = (int)n;
	}
	return o->n_pids ? 0 : bad_value("--pids", v, "PID[,PID...]");
}

static int parse_one(struct lg_opts *o, int opt, const char *v)
{
	unsigned long long n;

	switch (opt) {
	case 'l':
		return parse_supernode(o, v);
	case 'c':
		if (!*v || strlen(v) >= N2N_COMMUNITY_SIZE)
			return bad_value("-c", v, "1 to 19 characters");
		memset(o->community, 0, sizeof(o->community));
		memcpy(o->community, v, strlen(v));
		return 0;
	case 'C':
		if (!parse_ull(v, 1, LG_MAX_COMMUNITIES, &n))
			return bad_value("-C", v, "1 to 4096 communities");
		o->n_communities = (unsigned int)n;
		return 0;
	case 'n':
		if (!parse_ull(v, 2, LG_MAX_EDGES, &n) || n % 2)
			return bad_value("-n", v, "an even number, 2 to 16384");
		o->n_edges = (unsigned int)n;
		return 0;
	case 's':
		if (!parse_ull(v, 0, LG_MAX_PAYLOAD, &n))
			return bad_value("-s", v, "0 to 1426 bytes");
		o->payload = (unsigned int)n;
		return 0;
	case 'r':
		if (!parse_ull(v, 0, LG_MAX_RATE, &o->rate))
			return bad_value("-r", v, "0 to 100000000 pps");
		return 0;
	case 't':
		if (!parse_ull(v, 1, LG_MAX_SECONDS, &n))
			return bad_value("-t", v, "1 to 3600 seconds");
		o->seconds = (unsigned int)n;
		return 0;
	case 'm':
		if (!strcmp(v, "socket"))
			o->mode = LG_SOCKET;
		else if (!strcmp(v, "kernel"))
			o->mode = LG_KERNEL;
		else if (!strcmp(v, "register"))
			o->mode = LG_REGISTER;
		else if (!strcmp(v, "reflect"))
			o->mode = LG_REFLECT;
		else
			return bad_value("-m", v,
					 "socket, kernel, register or reflect");
		return 0;
	case 'J':
		return parse_junk(o, v);
	case 'i':
		if (!*v || strlen(v) >= IFNAMSIZ)
			return bad_value("-i", v, "an interface name");
		o->ifname = v;
		return 0;
	case 'b':
		if (inet_pton(AF_INET, v, &o->bind) != 1)
			return bad_value("-b", v, "an IPv4 address");
		return 0;
	case 'T':
		if (!parse_ull(v, 1, LG_MAX_THREADS, &n))
			return bad_value("-T", v, "1 to 64 threads");
		o->threads = (unsigned int)n;
		return 0;
	case 'H':
		o->he = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case LG_OPT_FLOWS:
		if (!parse_ull(v, 1, LG_MAX_FLOWS, &n))
			return bad_value("--flows", v, "1 to 8192 flows");
		o->flows = (unsigned int)n;
		return 0;
	case LG_OPT_BURST:
		if (!parse_ull(v, 1, LG_BURST_MAX, &n))
			return bad_value("--burst", v, "1 to 256 frames");
		o->burst = (unsigned int)n;
		return 0;
	case LG_OPT_PIDS:
		return parse_pids(o, v);
	case LG_OPT_BATCH:
		if (!parse_ull(v, 1, LG_BURST_MAX, &n))
			return bad_value("--batch", v, "1 to 256 frames");
		o->batch = (unsigned int)n;
		return 0;
	case LG_OPT_ADDRS:
		if (!parse_ull(v, 1, LG_MAX_ADDRS, &n))
			return bad_value("--addrs", v, "1 to 256 addresses");
		o->n_addrs = (unsigned int)n;
		return 0;
	}
	return usage();
}

static int check_combination(const struct lg_opts *o);
static int check_kernel_options(const struct lg_opts *o);

static int parse_args(struct lg_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "supernode", required_argument, NULL, 'l' },
		{ "community", required_argument, NULL, 'c' },
		{ "communities", required_argument, NULL, 'C' },
		{ "junk", required_argument, NULL, 'J' },
		{ "edges", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "mode", required_argument, NULL, 'm' },
		{ "interface", required_argument, NULL, 'i' },
		{ "bind", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "header-encryption", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "flows", required_argument, NULL, LG_OPT_FLOWS },
		{ "burst", required_argument, NULL, LG_OPT_BURST },
		{ "addrs", required_argument, NULL, LG_OPT_ADDRS },
		{ "batch", required_argument, NULL, LG_OPT_BATCH },
		{ "pids", required_argument, NULL, LG_OPT_PIDS },
		{ NULL, 0, NULL, 0 },
	};
	int opt, ret;

	snprintf(o->community, sizeof(o->community), "loadgen");
	o->n_edges = 2;
	o->n_communities = 1;
	o->payload = 64;
	o->seconds = 5;
	o->threads = 1;
	o->flows = 1;
	o->burst = LG_BURST_DEFAULT;
	o->n_addrs = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:c:C:n:s:r:t:m:i:b:T:J:jHh",
				  longopts, NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			fprintf(stderr, "n2n-loadgen: %s '%s'\n",
				opt == '?' ? "unknown option"
					   : "missing value for",
				argv[optind - 1]);
			return 2;
		}
		ret = opt == 'h' ? usage() : parse_one(o, opt, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		fprintf(stderr, "n2n-loadgen: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (!o->sn_arg) {
		fprintf(stderr, "n2n-loadgen: -l HOST:PORT is required\n");
		return 2;
	}
	return check_combination(o);
}

/* Options that only make sense together, or not at all. */
static int check_combination(const struct lg_opts *o)
{
	if (o->n_communities > 1 &&
	    strlen(o->community) + 1 + 4 >= N2N_COMMUNITY_SIZE) {
		fprintf(stderr,
			"n2n-loadgen: -C: '%s-%u' does not fit 19 characters "
			"(a shorter -c)\n",
			o->community, o->n_communities - 1);
		return 2;
	}
	if (o->he && (o->n_communities > 1 || o->junk)) {
		fprintf(stderr, "n2n-loadgen: -H takes one community and no "
				"-J\n");
		return 2;
	}
	if (o->junk && o->mode == LG_REGISTER) {
		fprintf(stderr, "n2n-loadgen: -J sends with -m socket or -m "
				"kernel, not register\n");
		return 2;
	}
	if (o->he && o->seconds > LG_MAX_SECONDS_HE) {
		fprintf(stderr, "n2n-loadgen: -H runs at most %u s (-t)\n",
			LG_MAX_SECONDS_HE);
		return 2;
	}
	if (o->mode == LG_KERNEL && !o->ifname) {
		fprintf(stderr, "n2n-loadgen: -m kernel needs -i IFNAME\n");
		return 2;
	}
	if (o->threads > 1 && (o->mode != LG_KERNEL || o->rate)) {
		fprintf(stderr, "n2n-loadgen: -T needs -m kernel and -r 0 "
				"(flat out)\n");
		return 2;
	}
	return check_kernel_options(o);
}

/* --flows, -m reflect. */
static int check_kernel_options(const struct lg_opts *o)
{
	if (o->flows > 1 && (o->mode != LG_KERNEL || o->he || o->junk ||
			     o->flows > o->n_edges / 2)) {
		fprintf(stderr, "n2n-loadgen: --flows N needs -m kernel, no "
				"-H or -J, and N <= EDGES/2\n");
		return 2;
	}
	if (o->n_addrs > 1 && !o->bind.s_addr) {
		fprintf(stderr, "n2n-loadgen: --addrs needs -b ADDR\n");
		return 2;
	}
	if (o->mode == LG_REFLECT && (!o->ifname || o->he || o->junk)) {
		fprintf(stderr, "n2n-loadgen: -m reflect needs -i IFNAME, no "
				"-H or -J\n");
		return 2;
	}
	return 0;
}

/* Messages, all through the project's codec. */

/* A message of edge i (its community). */
static void init_msg(const struct lg *lg, struct n2n_msg *m, unsigned int type,
		     unsigned int i)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = (uint8_t)type;
	m->hdr.ttl = N2N_DEFAULT_TTL;
	memcpy(m->hdr.community, lg->names[lg->edges[i].comm],
	       N2N_COMMUNITY_SIZE);
}

static uint64_t wall_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* -H: the encoded message of n bytes sealed in place (H: a PACKET's
 * header, else the whole message), with a fresh stamp. */
static int seal(struct lg *lg, uint8_t *buf, size_t n, unsigned int type)
{
	size_t h = type == N2N_MSG_PACKET ? N2N_PACKET_HDR_SIZE : n;
	int err;

	if (!lg->o.he)
		return 0;
	err = he_encrypt(buf, n, h, ts_next(&lg->stamps, wall_usec()),
			 (uint32_t)random(), &lg->he);
	return err ? fail(0, "sealing a header: %s", he_strerror(err)) : 0;
}

/* -H: a received datagram opened in place; false if it does not open. */
static bool open_sealed(const struct lg *lg, uint8_t *buf, size_t len)
{
	struct he_result res;

	return !lg->o.he ||
	       !he_decrypt(buf, buf, len, lg->o.community, &lg->he, &res);
}

/* Overlay addresses 198.19.100.1 upwards: distinct, so no supernode NAKs
 * an address clash or runs out of auto-IP addresses. */
static void fill_register_super(const struct lg *lg, unsigned int i,
				struct n2n_register_super *r)
{
	const struct lg_edge *e = &lg->edges[i];

	r->cookie = e->cookie;
	mac_copy(r->edge_mac, e->mac);
	r->dev_addr.addr = 0xc6136400u + i + 1;
	r->dev_addr.prefix = 16;
	snprintf((char *)r->dev_desc, sizeof(r->dev_desc), "loadgen-%u",
		 i & 0xffff);
	r->auth.scheme = N2N_AUTH_SIMPLE_ID;
	r->auth.token_size = N2N_AUTH_ID_TOKEN_SIZE;
	memcpy(r->auth.token, e->token, N2N_AUTH_ID_TOKEN_SIZE);
}

static int send_register(struct lg *lg, unsigned int i)
	__attribute__((warn_unused_result));
static int send_register(struct lg *lg, unsigned int i)
{
	uint8_t buf[N2N_PKT_BUF_SIZE];
	struct n2n_msg m;
	ssize_t n;

	init_msg(lg, &m, N2N_MSG_REGISTER_SUPER, i);
	fill_register_super(lg, i, &m.u.reg_super);
	n = wire_encode(buf, sizeof(buf), &m);
	if (n < 0)
		return fail(0, "encoding REGISTER_SUPER: %s",
			    wire_strerror((int)n));
	if (seal(lg, buf, (size_t)n, N2N_MSG_REGISTER_SUPER))
		return -1;
	if (send(lg->edges[i].fd, buf, (size_t)n, 0) >= 0)
		lg->reg.sent++;
	else if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS)
		return fail(errno, "sending REGISTER_SUPER to %s",
			    lg->o.sn_arg);
	/* A full buffer: the next round sends it again. */
	return 0;
}

/* A PACKET from edge 2*pair to edge 2*pair+1; returns its length. */
static ssize_t encode_packet(struct lg *lg, unsigned int pair, uint8_t *buf,
			     size_t cap)
{
	struct n2n_packet *p;
	struct n2n_msg m;
	ssize_t n;

	init_msg(lg, &m, N2N_MSG_PACKET, 2 * pair);
	p = &m.u.packet;
	mac_copy(p->src_mac, lg->edges[2 * pair].mac);
	mac_copy(p->dst_mac, lg->edges[2 * pair + 1].mac);
	p->compression = N2N_COMPRESSION_NONE;
	p->transform = N2N_TRANSFORM_NULL;
	p->payload = lg->payload;
	p->payload_len = lg->o.payload;
	n = wire_encode(buf, cap, &m);
	if (n < 0)
		return fail(0, "encoding PACKET: %s", wire_strerror((int)n));
	return seal(lg, buf, (size_t)n, N2N_MSG_PACKET) ? -1 : n;
}

/* Junk (-J): datagram k of a flood. */

static enum lg_junk junk_kind(const struct lg *lg, unsigned int k)
{
	if (lg->o.junk == LG_JUNK_MIX)
		return (enum lg_junk)(LG_JUNK_GARBAGE + k % 3);
	return lg->o.junk;
}

/* Random bytes, at least a PACKET header long (what -m kernel's lg_tx
 * restores in every frame). */
static ssize_t junk_garbage(uint8_t *buf, size_t cap)
{
	uint8_t extra;
	size_t n;

	if (getrandom(&extra, sizeof(extra), 0) != sizeof(extra))
		return fail(errno, "getrandom");
	n = N2N_PACKET_HDR_SIZE + extra % 64;
	if (n > cap || getrandom(buf, n, 0) != (ssize_t)n)
		return fail(errno, "getrandom");
	return (ssize_t)n;
}

/* A REGISTER_SUPER edge k %% -n would send, but with another token and
 * cookie; for `community` also a community nobody lists and a MAC not
 * ours. */
static ssize_t junk_register(struct lg *lg, unsigned int k, enum lg_junk kind,
			     uint8_t *buf, size_t cap)
{
	unsigned int i = k % lg->o.n_edges;
	struct n2n_register_super *r;
	struct n2n_msg m;
	ssize_t n;

	init_msg(lg, &m, N2N_MSG_REGISTER_SUPER, i);
	r = &m.u.reg_super;
	fill_register_super(lg, i, r);
	r->cookie = ~r->cookie;
	memset(r->auth.token, 0x6a, N2N_AUTH_ID_TOKEN_SIZE);
	if (kind == LG_JUNK_COMMUNITY) {
		memset(m.hdr.community, 0, N2N_COMMUNITY_SIZE);
		snprintf(m.hdr.community, N2N_COMMUNITY_SIZE, "lg-junk-%u", k);
		r->edge_mac[3] |= 0x80; /* edges have i < 2^15 */
	}
	n = wire_encode(buf, cap, &m);
	if (n < 0)
		return fail(0, "encoding REGISTER_SUPER: %s",
			    wire_strerror((int)n));
	return n;
}

static ssize_t encode_junk(struct lg *lg, unsigned int k, uint8_t *buf,
			   size_t cap)
{
	enum lg_junk kind = junk_kind(lg, k);

	if (kind == LG_JUNK_GARBAGE)
		return junk_garbage(buf, cap);
	return junk_register(lg, k, kind, buf, cap);
}

/* Edges: one connected UDP socket each. */

static int raise_fd_limit(unsigned int need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return fail(errno, "getrlimit");
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need; /* root may (CAP_SYS_RESOURCE) */
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return fail(errno,
			    "%u edges need %u open files; raising the limit "
			    "(ulimit -n)",
			    need - 64, need);
	return 0;
}

/* Big buffers absorb bursts; FORCE works as root, else the sysctl caps.
 * Thousands of edges each get less: none of them bursts much. */
static void grow_buffers(int fd, unsigned int n_edges)
{
	int size = n_edges > LG_MANY_EDGES ? 256 << 10 : 4 << 20;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/*
 * Edge i's identity: MAC 02:4c:47:<i>, pair i/2 in community (i/2) % -C,
 * a fixed token per MAC, so a rerun may take over the registration its
 * predecessor left behind (a supernode NAKs a changed token) and a junk
 * run (-J auth) knows which MACs to claim.
 */
static void edge_identity(struct lg *lg, unsigned int i, uint32_t cookie_base)
{
	struct lg_edge *e = &lg->edges[i];

	e->mac[0] = 0x02;
	e->mac[1] = 0x4c;
	e->mac[2] = 0x47;
	e->mac[3] = (uint8_t)(i >> 16);
	e->mac[4] = (uint8_t)(i >> 8);
	e->mac[5] = (uint8_t)i;
	e->comm = (uint16_t)((i / 2) % lg->o.n_communities);
	e->cookie = cookie_base + i;
	memcpy(e->token, "n2n-loadgen:", 12);
	memcpy(e->token + 12, e->mac + 2, 4);
}

/* Edge i's address: -b, or with --addrs the (i/2 % N)-th one after it. */
static struct in_addr edge_bind(const struct lg *lg, unsigned int i)
{
	struct in_addr a = lg->o.bind;

	if (lg->o.n_addrs > 1)
		a.s_addr = htonl(ntohl(a.s_addr) + (i / 2) % lg->o.n_addrs);
	return a;
}

static int open_edge(struct lg *lg, unsigned int i)
{
	struct lg_edge *e = &lg->edges[i];
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr = edge_bind(lg, i) };
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
	socklen_t len = sizeof(e->local);

	e->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e->fd < 0)
		return fail(errno, "socket for edge %u", i);
	grow_buffers(e->fd, lg->o.n_edges);
	if (bind(e->fd, (struct sockaddr *)&a, sizeof(a)))
		return fail(errno, "binding edge %u to %s", i,
			    inet_ntoa(a.sin_addr));
	if (connect(e->fd, (struct sockaddr *)&lg->o.sn, sizeof(lg->o.sn)))
		return fail(errno, "connecting edge %u to %s", i, lg->o.sn_arg);
	if (getsockname(e->fd, (struct sockaddr *)&e->local, &len))
		return fail(errno, "getsockname of edge %u", i);
	if (epoll_ctl(lg->epfd, EPOLL_CTL_ADD, e->fd, &ev))
		return fail(errno, "epoll_ctl for edge %u", i);
	return 0;
}

/* "COMMUNITY", or with -C N "COMMUNITY-0" .. "COMMUNITY-<N-1>". */
static int name_communities(struct lg *lg)
{
	unsigned int k, n = lg->o.n_communities;

	lg->names = calloc(n, sizeof(*lg->names));
	if (!lg->names)
		return fail(ENOMEM, "community names");
	for (k = 0; k < n; k++) {
		if (n == 1)
			memcpy(lg->names[k], lg->o.community,
			       N2N_COMMUNITY_SIZE);
		else
			snprintf(lg->names[k], N2N_COMMUNITY_SIZE, "%s-%u",
				 lg->o.community, k);
	}
	return 0;
}

static int open_edges(struct lg *lg)
{
	uint32_t cookie_base;
	unsigned int i;

	lg->n_socks = lg->o.junk && lg->o.n_edges > LG_JUNK_SOCKETS
			      ? LG_JUNK_SOCKETS
			      : lg->o.n_edges;
	if (raise_fd_limit(lg->n_socks + 64) || name_communities(lg))
		return -1;
	lg->edges = calloc(lg->o.n_edges, sizeof(*lg->edges));
	if (!lg->edges)
		return fail(ENOMEM, "edges");
	for (i = 0; i < lg->o.n_edges; i++)
		lg->edges[i].fd = -1;
	lg->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lg->epfd < 0)
		return fail(errno, "epoll_create1");
	if (getrandom(&cookie_base, sizeof(cookie_base), 0) !=
	    sizeof(cookie_base))
		return fail(errno, "getrandom");
	for (i = 0; i < lg->o.n_edges; i++)
		edge_identity(lg, i, cookie_base);
	for (i = 0; i < lg->n_socks; i++)
		if (open_edge(lg, i))
			return -1;
	return 0;
}

/* Receiving: registration answers and, in socket mode, relayed PACKETs. */

static void on_answer(struct lg *lg, unsigned int i, const uint8_t *buf,
		      size_t len)
{
	struct lg_edge *e = &lg->edges[i];
	struct n2n_msg m;

	if (wire_decode(&m, buf, len) < 0)
		return;
	if (m.hdr.type == N2N_MSG_REGISTER_SUPER_ACK &&
	    m.u.reg_super_ack.cookie == e->cookie) {
		lg->reg.acks++;
		if (!e->acked) {
			e->acked = true;
			lg->reg.registered++;
			lg->reg.done_ns = now_ns();
		}
	} else if (m.hdr.type == N2N_MSG_REGISTER_SUPER_NAK &&
		   m.u.reg_super_nak.cookie == e->cookie) {
		lg->reg.naks++;
		e->refused = true;
	}
}

static void on_datagram(struct lg *lg, unsigned int i, uint8_t *buf, size_t len)
{
	struct n2n_common h;

	if (!open_sealed(lg, buf, len) || wire_decode_common(&h, buf, len) < 0)
		return;
	if (h.type == N2N_MSG_PACKET && (h.flags & N2N_FLAGS_FROM_SUPERNODE)) {
		if (i % 2) {
			lg->c.received++;
			lg->c.rx_bytes += len + LG_L2L3_SIZE;
		}
		return;
	}
	if (h.type == N2N_MSG_REGISTER_SUPER_ACK ||
	    h.type == N2N_MSG_REGISTER_SUPER_NAK)
		on_answer(lg, i, buf, len);
}

static void drain_fd(struct lg *lg, unsigned int i)
{
	/* Static: 128 KiB of receive buffers, off the stack; one thread. */
	static uint8_t bufs[LG_SOCK_BATCH][N2N_PKT_BUF_SIZE];
	struct mmsghdr msgs[LG_SOCK_BATCH];
	struct iovec iov[LG_SOCK_BATCH];
	int round, n, k;

	for (k = 0; k < LG_SOCK_BATCH; k++) {
		iov[k].iov_base = bufs[k];
		iov[k].iov_len = sizeof(bufs[k]);
		memset(&msgs[k], 0, sizeof(msgs[k]));
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	for (round = 0; round < LG_RX_ROUNDS; round++) {
		n = recvmmsg(lg->edges[i].fd, msgs, LG_SOCK_BATCH, MSG_DONTWAIT,
			     NULL);
		for (k = 0; k < n; k++)
			on_datagram(lg, i, bufs[k], msgs[k].msg_len);
		if (n < LG_SOCK_BATCH)
			return;
	}
}

/* Waits up to timeout_ms for datagrams and reads what arrived. */
static void drain(struct lg *lg, int timeout_ms)
{
	struct epoll_event ev[LG_SOCK_BATCH];
	int n, k;

	n = epoll_wait(lg->epfd, ev, LG_SOCK_BATCH, timeout_ms);
	for (k = 0; k < n; k++)
		drain_fd(lg, ev[k].data.u32);
}

/* Drains for ms milliseconds (bounded by the clock and a call count). */
static void drain_for(struct lg *lg, unsigned int ms)
{
	uint64_t end = now_ns() + ms * NS_PER_MS;
	unsigned int calls;

	for (calls = 0; calls < ms * 2 + 2 && !stop; calls++) {
		uint64_t now = now_ns();

		if (now >= end)
			return;
		drain(lg, (int)((end - now + NS_PER_MS - 1) / NS_PER_MS));
	}
}

/* Registration. */

static unsigned int count_unacked(const struct lg *lg, unsigned int *refused)
{
	unsigned int i, missing = 0;

	*refused = 0;
	for (i = 0; i < lg->o.n_edges; i++) {
		missing += !lg->edges[i].acked;
		*refused += lg->edges[i].refused;
	}
	return missing;
}

/*
 * Drains for up to ms milliseconds, until every edge is acknowledged or
 * no new ACK came for LG_REG_QUIET_MS: the rest were lost on the way (a
 * full socket buffer), so the next round may as well start.
 */
static void wait_acks(struct lg *lg, unsigned int ms)
{
	uint64_t now = now_ns(), end = now + ms * NS_PER_MS, moved = now;
	unsigned int calls, seen = lg->reg.registered;

	for (calls = 0; calls < ms * 2 + 2 && !stop; calls++) {
		now = now_ns();
		if (lg->reg.registered != seen) {
			seen = lg->reg.registered;
			moved = now;
		}
		if (now >= end || seen == lg->o.n_edges ||
		    now - moved >= LG_REG_QUIET_MS * NS_PER_MS)
			return;
		drain(lg, LG_REG_QUIET_MS / 4);
	}
}

/*
 * Every edge at once (as fast as the sockets take them), then again for
 * those not acknowledged, each round ending after LG_REG_RETRY_MS or
 * LG_REG_QUIET_MS without a new ACK, until all are or the
 * time (5 s and a millisecond per edge) is up.
 */
static int register_all(struct lg *lg)
{
	unsigned int tries, i, missing, refused;
	uint64_t end;

	lg->reg.start_ns = now_ns();
	end = lg->reg.start_ns +
	      (LG_REG_TIMEOUT_MS + lg->o.n_edges) * NS_PER_MS;
	for (tries = 0; tries < LG_REG_MAX_ROUNDS && now_ns() < end; tries++) {
		lg->reg.rounds++;
		for (i = 0; i < lg->o.n_edges; i++)
			if (!lg->edges[i].acked && send_register(lg, i))
				return -1;
		wait_acks(lg, LG_REG_RETRY_MS);
		if (!count_unacked(lg, &refused) || stop)
			break;
	}
	lg->last_reg_ns = now_ns();
	missing = count_unacked(lg, &refused);
	if (!missing)
		return 0;
	return fail(0,
		    "supernode %s did not acknowledge %u of %u registrations "
		    "(%u refused with REGISTER_SUPER_NAK)",
		    lg->o.sn_arg, missing, lg->o.n_edges, refused);
}

/* Every ~10 s during a run, so the supernode does not purge the edges. */
static void maybe_reregister(struct lg *lg, uint64_t now)
{
	uint64_t sent = lg->reg.sent;
	unsigned int i;

	if (lg->o.junk || now - lg->last_reg_ns < LG_REREG_MS * NS_PER_MS)
		return;
	lg->last_reg_ns = now;
	for (i = 0; i < lg->o.n_edges; i++)
		if (send_register(lg, i))
			break;
	lg->reg.resent += lg->reg.sent - sent;
	lg->reg.sent = sent;
}

/* -m register: the edges stay registered for -t seconds; nothing else. */
static void run_hold(struct lg *lg)
{
	uint64_t end, now;

	lg->start_ns = now_ns();
	end = lg->start_ns + lg->o.seconds * NS_PER_S;
	/* Bounded by the clock: each turn waits up to 100 ms. */
	for (now = lg->start_ns; now < end && !stop; now = now_ns()) {
		maybe_reregister(lg, now);
		drain(lg, 100);
	}
	lg->elapsed_ns = now_ns() - lg->start_ns;
}

/*
 * Every CPU's times from /proc/stat into cpu (busy: user, nice, system,
 * irq, softirq, steal); sets lg->n_cpus. Bounded by a line count (the
 * intr line is read in pieces).
 */
/* The run time of every thread of pid, ns (/proc/PID/task/N/schedstat);
 * 0 if it is gone. Bounded by a thread count. */
static uint64_t pid_run_ns(int pid)
{
	unsigned long long ns, sum = 0;
	unsigned int n = 0;
	struct dirent *d;
	char path[64];
	FILE *f;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (n++ < 4096 && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat",
			 pid, d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &ns) == 1)
			sum += ns;
		fclose(f);
	}
	closedir(dir);
	return sum;
}

static void cpu_snap(struct lg *lg, struct lg_cpu *cpu)
{
	unsigned long long v[8];
	unsigned int id, lines;
	char line[1024];
	FILE *f = fopen("/proc/stat", "re");
	uint64_t *pid_ns = cpu == lg->cpu0 ? lg->pid_ns0 : lg->pid_ns1;

	for (id = 0; id < lg->o.n_pids; id++)
		pid_ns[id] = pid_run_ns(lg->o.pids[id]);
	if (!f)
		return;
	for (lines = 0; lines < 65536 && fgets(line, sizeof(line), f);
	     lines++) {
		if (sscanf(line,
			   "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &id,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) != 9 ||
		    id >= LG_MAX_CPUS)
			continue;
		cpu[id].busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		cpu[id].softirq = v[6];
		cpu[id].total = cpu[id].busy + v[3] + v[4];
		if (id >= lg->n_cpus)
			lg->n_cpus = id + 1;
	}
	fclose(f);
}

/* -m reflect: lg_reflect stays on -i for -t seconds or until a signal. */
static void run_reflect(struct lg *lg)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	uint64_t end;

	lg->start_ns = now_ns();
	end = lg->start_ns + lg->o.seconds * NS_PER_S;
	/* Bounded by the clock: each turn sleeps 100 ms. */
	while (now_ns() < end && !stop)
		nanosleep(&ts, NULL);
	lg->elapsed_ns = now_ns() - lg->start_ns;
}

/* Pacing, for either mode: what to send now, or how long to wait. */

static unsigned int max_batch(const struct lg *lg)
{
	return lg->o.mode == LG_KERNEL ? LG_KERN_BATCH : LG_SOCK_BATCH;
}

/* The smallest batch worth a wakeup: a millisecond's worth of packets. */
static unsigned int min_batch(const struct lg *lg)
{
	unsigned long long b = lg->o.rate / 1000, max = max_batch(lg);

	return (unsigned int)(b < 1 ? 1 : b > max ? max : b);
}

/* The packets due by now at the offered rate, beyond those sent. */
static uint64_t due(const struct lg *lg, uint64_t now)
{
	double want = (double)lg->o.rate * (double)(now - lg->start_ns) / 1e9;

	return want > (double)lg->c.sent ? (uint64_t)want - lg->c.sent : 0;
}

/* Sleeps (draining the sockets) until `batch` more packets are due. */
static void pace_wait(struct lg *lg, unsigned int batch, uint64_t now)
{
	double at = (double)(lg->c.sent + batch) * 1e9 / (double)lg->o.rate;
	uint64_t when = lg->start_ns + (uint64_t)at;
	uint64_t wait = when > now ? when - now : 0;
	struct timespec ts = { 0, 0 };

	if (wait >= NS_PER_MS) {
		drain(lg, (int)(wait / NS_PER_MS));
		return;
	}
	drain(lg, 0);
	ts.tv_nsec = (long)wait;
	nanosleep(&ts, NULL);
}

/* Socket mode: sendmmsg batches, round-robin over the pairs. */

struct lg_tx {
	uint8_t (*pkts)[N2N_PKT_BUF_SIZE];
	size_t *lens;
	unsigned int pairs; /* -J: the junk datagrams */
	unsigned int next;
	unsigned int next_sock; /* -J */
};

static int socket_prepare(struct lg *lg, struct lg_tx *tx)
{
	unsigned int p;
	ssize_t n;

	tx->pairs = lg->o.junk ? LG_JUNK_VARIANTS : lg->o.n_edges / 2;
	tx->pkts = calloc(tx->pairs, sizeof(*tx->pkts));
	tx->lens = calloc(tx->pairs, sizeof(*tx->lens));
	if (!tx->pkts || !tx->lens)
		return fail(ENOMEM, "packets");
	for (p = 0; p < tx->pairs; p++) {
		n = lg->o.junk ? encode_junk(lg, p, tx->pkts[p],
					     sizeof(tx->pkts[p]))
			       : encode_packet(lg, p, tx->pkts[p],
					       sizeof(tx->pkts[p]));
		if (n < 0)
			return -1;
		tx->lens[p] = (size_t)n;
	}
	lg->frame_len = (unsigned int)tx->lens[0] + LG_L2L3_SIZE;
	return 0;
}

static void socket_send(struct lg *lg, void *arg, unsigned int batch)
{
	struct lg_tx *tx = arg;
	struct mmsghdr msgs[LG_SOCK_BATCH];
	unsigned int p = tx->next++ % tx->pairs, k;
	struct iovec iov = { tx->pkts[p], tx->lens[p] };
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < batch; k++) {
		msgs[k].msg_hdr.msg_iov = &iov;
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(lg->edges[2 * p].fd, msgs, batch, 0);
	if (n > 0)
		lg->c.sent += (unsigned int)n;
	else if (errno != EINTR)
		lg->c.send_errors++;
}

/* -J: a batch of junk datagrams, in turn, from the next socket. */
static void junk_send(struct lg *lg, void *arg, unsigned int batch)
{
	struct lg_tx *tx = arg;
	struct mmsghdr msgs[LG_SOCK_BATCH];
	struct iovec iov[LG_SOCK_BATCH];
	int fd = lg->edges[tx->next_sock++ % lg->n_socks].fd, n;
	unsigned int k, v;

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < batch; k++) {
		v = tx->next++ % tx->pairs;
		iov[k].iov_base = tx->pkts[v];
		iov[k].iov_len = tx->lens[v];
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(fd, msgs, batch, 0);
	if (n > 0)
		lg->c.sent += (unsigned int)n;
	else if (errno != EINTR)
		lg->c.send_errors++;
}

/*
 * Sends (via send_fn) until the time is up; common to both modes. Behind
 * schedule it catches up with bigger batches (up to max_batch), so the
 * average rate holds even when one send takes long.
 */
static void run_loop(struct lg *lg,
		     void (*send_fn)(struct lg *, void *, unsigned int),
		     void *arg)
{
	unsigned int min = min_batch(lg), max = max_batch(lg), n = max;
	uint64_t end, now, d;

	lg->start_ns = now_ns();
	end = lg->start_ns + lg->o.seconds * NS_PER_S;
	cpu_snap(lg, lg->cpu0);
	/* Bounded by the clock: each turn sends or sleeps a little. */
	for (now = lg->start_ns; now < end && !stop; now = now_ns()) {
		maybe_reregister(lg, now);
		if (lg->o.rate) {
			d = due(lg, now);
			if (d < min) {
				pace_wait(lg, min, now);
				continue;
			}
			n = d < max ? (unsigned int)d : max;
		}
		send_fn(lg, arg, n);
		drain(lg, 0);
	}
	cpu_snap(lg, lg->cpu1);
	lg->elapsed_ns = now_ns() - lg->start_ns;
}

static int run_socket(struct lg *lg)
{
	struct lg_tx tx = { 0 };
	int ret = socket_prepare(lg, &tx);

	if (!ret) {
		run_loop(lg, lg->o.junk ? junk_send : socket_send, &tx);
		drain_for(lg, LG_DRAIN_MS);
	}
	free(tx.pkts);
	free(tx.lens);
	return ret;
}

/* Kernel mode: where the frame goes. */

static int check_kernel(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return fail(errno, "cannot read the kernel version");
	if (major < 5 || (major == 5 && minor < 18))
		return fail(0,
			    "-m kernel needs kernel >= 5.18 (live frames in "
			    "BPF_PROG_TEST_RUN); this is %s",
			    u.release);
	return 0;
}

static int iface_mac(const char *ifname, uint8_t mac[ETH_ALEN])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return fail(errno, "socket");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ret = ioctl(fd, SIOCGIFHWADDR, &ifr) ? errno : 0;
	close(fd);
	if (ret)
		return fail(ret, "reading the MAC address of %s", ifname);
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return fail(0, "%s is not an Ethernet interface", ifname);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

/* The frame's source address must be one of -i's, or replies go astray. */
static int check_source(const char *ifname, struct in_addr src)
{
	struct ifaddrs *ifa, *i;
	unsigned int n = 0;
	bool found = false;

	if (getifaddrs(&ifa))
		return fail(errno, "listing interface addresses");
	for (i = ifa; i && !found && n < LG_MAX_IFADDRS; i = i->ifa_next, n++) {
		const struct sockaddr_in *a = (const void *)i->ifa_addr;

		found = a && a->sin_family == AF_INET &&
			!strcmp(i->ifa_name, ifname) &&
			a->sin_addr.s_addr == src.s_addr;
	}
	freeifaddrs(ifa);
	if (!found)
		return fail(0,
			    "the edges' source address %s is not an address "
			    "of %s (use -b with an address of -i)",
			    inet_ntoa(src), ifname);
	return 0;
}

/* The gateway towards dst through ifname (main table, longest prefix),
 * or dst itself when it is on-link. */
static int next_hop(const char *ifname, struct in_addr dst, struct in_addr *hop)
{
	char line[256], name[IFNAMSIZ + 1];
	unsigned int dest, gw, flags, mask, n;
	int best = -1;
	FILE *f = fopen("/proc/net/route", "re");

	if (!f)
		return fail(errno, "opening /proc/net/route");
	for (n = 0; n < LG_MAX_ROUTES && fgets(line, sizeof(line), f); n++) {
		if (sscanf(line, "%16s %x %x %x %*s %*s %*s %x", name, &dest,
			   &gw, &flags, &mask) != 5 ||
		    strcmp(name, ifname) || !(flags & 1) /* RTF_UP */ ||
		    (dst.s_addr & mask) != dest ||
		    __builtin_popcount(mask) <= best)
			continue;
		best = __builtin_popcount(mask);
		hop->s_addr = gw ? gw : dst.s_addr;
	}
	fclose(f);
	if (best < 0)
		return fail(0, "no route to %s through %s", inet_ntoa(dst),
			    ifname);
	return 0;
}

/* The next hop's MAC from the neighbour table (registration filled it). */
static int neighbour_mac(const char *ifname, struct in_addr hop,
			 uint8_t mac[ETH_ALEN])
{
	struct arpreq req = { 0 };
	struct sockaddr_in *pa = (struct sockaddr_in *)&req.arp_pa;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return fail(errno, "socket");
	pa->sin_family = AF_INET;
	pa->sin_addr = hop;
	snprintf(req.arp_dev, sizeof(req.arp_dev), "%s", ifname);
	ret = ioctl(fd, SIOCGARP, &req) ? errno : 0;
	close(fd);
	if (ret || !(req.arp_flags & ATF_COM))
		return fail(ret,
			    "no neighbour entry for next hop %s on %s "
			    "(see `ip neigh show dev %s`)",
			    inet_ntoa(hop), ifname, ifname);
	memcpy(mac, req.arp_ha.sa_data, ETH_ALEN);
	return 0;
}

/* Edge 2k's PACKET to edge 2k+1 as an Ethernet + IPv4 + UDP frame in
 * frame (LG_FRAME_MAX bytes); returns its length. */
static ssize_t build_frame(struct lg *lg, const uint8_t src[ETH_ALEN],
			   const uint8_t dst[ETH_ALEN], unsigned int k,
			   uint8_t *frame)
{
	struct ethhdr eth = { .h_proto = htons(ETH_P_IP) };
	struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64 };
	struct udphdr udp = { 0 };
	const struct lg_edge *e = &lg->edges[2 * k];
	uint8_t *n2n = frame + LG_L2L3_SIZE;
	/* -J: the flood's first datagram, over and over. */
	ssize_t n = lg->o.junk ? encode_junk(lg, 0, n2n, N2N_PKT_BUF_SIZE)
			       : encode_packet(lg, k, n2n, N2N_PKT_BUF_SIZE);

	if (n < 0)
		return -1;
	memcpy(eth.h_dest, dst, ETH_ALEN);
	memcpy(eth.h_source, src, ETH_ALEN);
	ip.tot_len = htons((uint16_t)(sizeof(ip) + sizeof(udp) + n));
	ip.frag_off = htons(0x4000); /* DF */
	ip.protocol = IPPROTO_UDP;
	ip.saddr = e->local.sin_addr.s_addr;
	ip.daddr = lg->o.sn.sin_addr.s_addr;
	ip.check = htons(inet_csum(&ip, sizeof(ip)));
	udp.source = e->local.sin_port;
	udp.dest = lg->o.sn.sin_port;
	udp.len = htons((uint16_t)(sizeof(udp) + n)); /* checksum 0: none */
	memcpy(frame, &eth, sizeof(eth));
	memcpy(frame + ETH_HLEN, &ip, sizeof(ip));
	memcpy(frame + ETH_HLEN + sizeof(ip), &udp, sizeof(udp));
	return LG_L2L3_SIZE + n;
}

_Static_assert(sizeof(((struct loadgen__bss *)0)->tx_hdr) ==
		       LG_L2L3_SIZE + N2N_PACKET_HDR_SIZE,
	       "lg_tx restores the headers up to the payload");

/* --flows: pair k's headers in tx_flows[k]; every frame as long as the
 * first (lg->frame, whose payload all of them share). */
static int flow_headers(struct lg *lg, const uint8_t src[ETH_ALEN],
			const uint8_t dst[ETH_ALEN])
{
	static uint8_t frame[LG_FRAME_MAX];
	int fd = bpf_map__fd(lg->skel->maps.tx_flows);
	unsigned int k;
	ssize_t n;

	for (k = 0; k < lg->o.flows; k++) {
		n = build_frame(lg, src, dst, k, frame);
		if (n < 0)
			return -1;
		if ((unsigned int)n != lg->frame_len)
			return fail(0, "flow %u: a frame of %zd bytes, not %u",
				    k, n, lg->frame_len);
		if (bpf_map_update_elem(fd, &k, frame, BPF_ANY))
			return fail(errno, "writing flow %u's headers", k);
	}
	lg->skel->bss->n_flows = lg->o.flows;
	return 0;
}

static int kernel_frame(struct lg *lg)
{
	uint8_t src[ETH_ALEN], dst[ETH_ALEN];
	struct in_addr hop = { 0 };
	unsigned int k;
	ssize_t n;

	if (iface_mac(lg->o.ifname, src) ||
	    next_hop(lg->o.ifname, lg->o.sn.sin_addr, &hop) ||
	    neighbour_mac(lg->o.ifname, hop, dst))
		return -1;
	for (k = 0; k < lg->o.flows && k < lg->o.n_addrs; k++)
		if (check_source(lg->o.ifname, lg->edges[2 * k].local.sin_addr))
			return -1;
	n = build_frame(lg, src, dst, 0, lg->frame);
	if (n < 0)
		return -1;
	lg->frame_len = (unsigned int)n;
	memcpy(lg->skel->bss->tx_hdr, lg->frame, sizeof(lg->skel->bss->tx_hdr));
	return lg->o.flows > 1 ? flow_headers(lg, src, dst) : 0;
}

/* Kernel mode: the XDP programs. */

/*
 * Native mode first: a veth only takes the frames its peer sends with
 * XDP_TX while it runs an XDP program natively (GRO is not enough for
 * XDP_TX on 6.x: nothing schedules the receive NAPI).
 */
static int attach_xdp(struct lg *lg, struct bpf_program *prog)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	int fd = bpf_program__fd(prog);

	lg->xdp_mode = "native";
	lg->link_fd = bpf_link_create(fd, lg->ifindex, BPF_XDP, &opts);
	if (lg->link_fd >= 0)
		return 0;
	fprintf(stderr,
		"n2n-loadgen: native XDP on %s refused (%s); generic mode, "
		"where frames a veth peer sends with XDP_TX do not arrive\n",
		lg->o.ifname, strerror(errno));
	opts.flags = XDP_FLAGS_SKB_MODE;
	lg->xdp_mode = "generic";
	lg->link_fd = bpf_link_create(fd, lg->ifindex, BPF_XDP, &opts);
	if (lg->link_fd < 0)
		return fail(errno,
			    "attaching XDP to %s (another XDP program there?)",
			    lg->o.ifname);
	return 0;
}

/* Kernel mode: the sender and the sink. Socket mode with -i: lg_pass. */
static int xdp_open(struct lg *lg)
{
	int err;

	if (lg->o.mode == LG_KERNEL && check_kernel())
		return -1;
	lg->ifindex = (int)if_nametoindex(lg->o.ifname);
	if (!lg->ifindex)
		return fail(errno, "-i %s", lg->o.ifname);
	lg->skel = loadgen__open();
	if (!lg->skel)
		return fail(errno, "opening the loadgen BPF programs");
	lg->skel->rodata->sn_port = ntohs(lg->o.sn.sin_port);
	lg->skel->rodata->sn_addr = lg->o.sn.sin_addr.s_addr;
	if (lg->o.he)
		lg->skel->rodata->sealed_len =
			(__u16)(N2N_PACKET_HDR_SIZE_SOCK + lg->o.payload);
	err = loadgen__load(lg->skel);
	if (err)
		return fail(-err, "loading the loadgen BPF programs");
	if (lg->o.mode == LG_REFLECT)
		return attach_xdp(lg, lg->skel->progs.lg_reflect);
	return attach_xdp(lg, lg->o.mode == LG_KERNEL
				      ? lg->skel->progs.lg_sink
				      : lg->skel->progs.lg_pass);
}

static void xdp_close(struct lg *lg)
{
	if (lg->link_fd >= 0)
		close(lg->link_fd);
	loadgen__destroy(lg->skel);
}

/*
 * Transmits `batch` copies of the frame out of -i (XDP_TX, live frames):
 * true when sent; *err keeps the first failure. Thread-safe (lg is only
 * read), so -T senders share it.
 */
static bool kernel_call(struct lg *lg, unsigned int repeat,
			unsigned int batch_size, int *err)
{
	struct xdp_md ctx = { .data_end = lg->frame_len,
			      .ingress_ifindex = (__u32)lg->ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = lg->frame,
		    .data_size_in = lg->frame_len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = (int)repeat,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		    .batch_size = batch_size);

	if (!bpf_prog_test_run_opts(bpf_program__fd(lg->skel->progs.lg_tx),
				    &opts))
		return true;
	if (errno != EINTR && !*err)
		*err = errno;
	return false;
}

static bool kernel_send_one(struct lg *lg, unsigned int batch, int *err)
{
	return kernel_call(lg, batch, LG_KERN_NAPI, err);
}

static void kernel_send(struct lg *lg, void *arg, unsigned int batch)
{
	if (kernel_send_one(lg, batch, arg))
		lg->c.sent += batch;
	else
		lg->c.send_errors++;
}

static int sink_read(struct lg *lg)
{
	struct n2nk_xdp_counter sum;
	int err = xdp_counter_sum(lg->skel->maps.sink_stats, 0, &sum);

	if (err)
		return fail(-err, "reading the XDP sink counters");
	lg->c.received += sum.packets;
	lg->c.rx_bytes += sum.bytes;
	return 0;
}

/* One more flat-out sender on its own CPU (kernel mode, -T). */
struct lg_sender {
	pthread_t tid;
	struct lg *lg;
	unsigned int cpu;
	uint64_t sent;
	int err;
};

static void *sender_main(void *arg)
{
	struct lg_sender *s = arg;
	struct lg *lg = s->lg;
	uint64_t end = now_ns() + lg->o.seconds * NS_PER_S;
	unsigned int batch = max_batch(lg);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr,
			"n2n-loadgen: sender %u cannot run on CPU %u: "
			"it shares a CPU\n",
			s->cpu, s->cpu);
	while (now_ns() < end && !stop && !s->err) {
		if (kernel_send_one(lg, batch, &s->err))
			s->sent += batch;
	}
	return NULL;
}

/* Starts senders 1..threads-1 (the main thread is sender 0, on CPU 0). */
static unsigned int senders_start(struct lg *lg, struct lg_sender *s)
{
	unsigned int i, n = 0;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (lg->o.threads > 1)
		sched_setaffinity(0, sizeof(set), &set);
	for (i = 1; i < lg->o.threads; i++) {
		s[n] = (struct lg_sender){ .lg = lg, .cpu = i };
		if (pthread_create(&s[n].tid, NULL, sender_main, &s[n]))
			break;
		n++;
	}
	return n;
}

static void senders_join(struct lg *lg, struct lg_sender *s, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pthread_join(s[i].tid, NULL);
		lg->c.sent += s[i].sent;
		if (s[i].err)
			fprintf(stderr, "n2n-loadgen: sender %u: %s\n",
				s[i].cpu, strerror(s[i].err));
	}
}

/*
 * Open loop (-r): lg_tx paces itself, --burst frames per group and per
 * flush, in as few calls as possible (each sets up a page pool, ~20 ms);
 * each call starts the schedule from now, so the gap between calls is
 * not caught up in a burst.
 */
static void run_kernel_paced(struct lg *lg, int *err)
{
	struct loadgen__bss *b = lg->skel->bss;
	struct itimerval it = { 0 };
	uint64_t end, now, left;
	unsigned int calls;

	b->pace_period = (uint64_t)(1e9 * (double)(1u << LG_PACE_SHIFT) /
				    (double)lg->o.rate);
	b->pace_burst = lg->o.burst;
	lg->start_ns = now_ns();
	end = lg->start_ns + lg->o.seconds * NS_PER_S;
	b->pace_end = end;
	/* The call ends at `end` (EINTR), however many frames are left. */
	it.it_value.tv_sec = (time_t)lg->o.seconds;
	setitimer(ITIMER_REAL, &it, NULL);
	cpu_snap(lg, lg->cpu0);
	/* Bounded by the clock and by a call count. */
	for (calls = 0, now = lg->start_ns; now < end && !stop && calls < 1000;
	     calls++, now = now_ns()) {
		left = (end - now) * lg->o.rate / NS_PER_S + lg->o.burst;
		b->pace_start = now - ((b->pace_sent * b->pace_period) >>
				       LG_PACE_SHIFT);
		if (!kernel_call(lg,
				 left < LG_PACE_MAX_CALL ? (unsigned int)left
							 : LG_PACE_MAX_CALL,
				 lg->o.batch ? lg->o.batch : lg->o.burst,
				 err) &&
		    *err)
			break;
	}
	cpu_snap(lg, lg->cpu1);
	lg->elapsed_ns = now_ns() - lg->start_ns;
	it.it_value.tv_sec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	lg->c.sent = b->pace_sent;
	lg->pace_resets = b->pace_resets;
}

static int run_kernel(struct lg *lg)
{
	struct lg_sender senders[LG_MAX_THREADS];
	unsigned int n = 0;
	int err = 0;

	if (kernel_frame(lg))
		return -1;
	if (lg->o.rate) {
		run_kernel_paced(lg, &err);
	} else {
		n = senders_start(lg, senders);
		run_loop(lg, kernel_send, &err);
		senders_join(lg, senders, n);
	}
	if (err && !lg->c.sent)
		return fail(err, "BPF_PROG_TEST_RUN with live frames on %s",
			    lg->o.ifname);
	drain_for(lg, LG_DRAIN_MS);
	return sink_read(lg);
}

/* Report. */

static const char *mode_name(const struct lg *lg)
{
	static const char *const names[] = {
		[LG_SOCKET] = "socket",
		[LG_KERNEL] = "kernel",
		[LG_REGISTER] = "register",
		[LG_REFLECT] = "reflect",
	};
	static const char *const junk[] = {
		[LG_JUNK_NONE] = "none",
		[LG_JUNK_GARBAGE] = "garbage",
		[LG_JUNK_COMMUNITY] = "community",
		[LG_JUNK_AUTH] = "auth",
		[LG_JUNK_MIX] = "mix",
	};

	return lg->o.junk ? junk[lg->o.junk] : names[lg->o.mode];
}

/* Milliseconds from the first REGISTER_SUPER to the last new ACK. */
static double reg_ms(const struct lg *lg)
{
	const struct lg_reg *r = &lg->reg;

	return r->done_ns > r->start_ns
		       ? (double)(r->done_ns - r->start_ns) / 1e6
		       : 0;
}

static const char *names_of(enum lg_mode m)
{
	return m == LG_KERNEL	  ? "kernel"
	       : m == LG_REGISTER ? "register"
	       : m == LG_REFLECT  ? "reflect"
				  : "socket";
}

/* JSON: each CPU's ticks over the sending time (busy includes softirq),
 * and the tick length; ends the object. */
static void report_cpus(const struct lg *lg)
{
	unsigned int i;

	printf("\"tick_ns\":%ld,\"cpus\":[",
	       1000000000L / sysconf(_SC_CLK_TCK));
	for (i = 0; i < lg->n_cpus; i++)
		printf("%s{\"busy\":%llu,\"softirq\":%llu,\"total\":%llu}",
		       i ? "," : "", lg->cpu1[i].busy - lg->cpu0[i].busy,
		       lg->cpu1[i].softirq - lg->cpu0[i].softirq,
		       lg->cpu1[i].total - lg->cpu0[i].total);
	printf("],\"pids_ns\":[");
	for (i = 0; i < lg->o.n_pids; i++)
		printf("%s%llu", i ? "," : "",
		       (unsigned long long)(lg->pid_ns1[i] - lg->pid_ns0[i]));
	printf("]}\n");
}

static void report_json(const struct lg *lg, double s)
{
	const struct lg_counts *c = &lg->c;
	const struct lg_reg *r = &lg->reg;
	uint64_t lost = c->sent > c->received ? c->sent - c->received : 0;

	printf("{\"mode\":\"%s\",\"junk\":\"%s\",\"edges\":%u,"
	       "\"communities\":%u,\"registered\":%u,\"reg_ms\":%.1f,"
	       "\"reg_sent\":%llu,\"reg_acks\":%llu,\"reg_naks\":%llu,"
	       "\"reg_rounds\":%u,\"reregistrations\":%llu,"
	       "\"payload_bytes\":%u,\"frame_bytes\":%u,"
	       "\"relayed_frame_bytes\":%u,"
	       "\"seconds\":%.3f,\"sent\":%llu,\"sent_pps\":%.0f,"
	       "\"received\":%llu,\"received_pps\":%.0f,"
	       "\"lost\":%llu,\"loss_pct\":%.3f,\"rx_gbps\":%.3f,"
	       "\"send_errors\":%llu,\"flows\":%u,\"burst\":%u,"
	       "\"rate\":%llu,\"pace_resets\":%llu,",
	       names_of(lg->o.mode), lg->o.junk ? mode_name(lg) : "none",
	       lg->o.n_edges, lg->o.n_communities, r->registered, reg_ms(lg),
	       (unsigned long long)r->sent, (unsigned long long)r->acks,
	       (unsigned long long)r->naks, r->rounds,
	       (unsigned long long)r->resent, lg->o.payload, lg->frame_len,
	       lg->frame_len + N2N_SOCK_SIZE_V4, s, (unsigned long long)c->sent,
	       (double)c->sent / s, (unsigned long long)c->received,
	       (double)c->received / s, (unsigned long long)lost,
	       c->sent ? 100.0 * (double)lost / (double)c->sent : 0,
	       (double)c->rx_bytes * 8 / s / 1e9,
	       (unsigned long long)c->send_errors,
	       lg->o.mode == LG_KERNEL ? lg->o.flows : 0,
	       lg->o.mode == LG_KERNEL && lg->o.rate ? lg->o.burst : 0,
	       lg->o.rate, (unsigned long long)lg->pace_resets);
	report_cpus(lg);
}

static void report_text(const struct lg *lg, double s)
{
	const struct lg_counts *c = &lg->c;
	const struct lg_reg *r = &lg->reg;
	uint64_t lost = c->sent > c->received ? c->sent - c->received : 0;

	if (!lg->o.junk)
		printf("registered %u of %u edges in %u communities in %.1f "
		       "ms (%llu REGISTER_SUPER, %llu ACK, %llu NAK, %u "
		       "rounds)\n",
		       r->registered, lg->o.n_edges, lg->o.n_communities,
		       reg_ms(lg), (unsigned long long)r->sent,
		       (unsigned long long)r->acks, (unsigned long long)r->naks,
		       r->rounds);
	printf("mode %s, %u edges, payload %u B, frame %u B (relayed %u B), "
	       "%.2f s\n",
	       mode_name(lg), lg->o.n_edges, lg->o.payload, lg->frame_len,
	       lg->frame_len + N2N_SOCK_SIZE_V4, s);
	printf("sent      %12llu packets %12.0f pps\n",
	       (unsigned long long)c->sent, (double)c->sent / s);
	printf("received  %12llu packets %12.0f pps\n",
	       (unsigned long long)c->received, (double)c->received / s);
	printf("lost      %12llu packets %11.3f %%\n", (unsigned long long)lost,
	       c->sent ? 100.0 * (double)lost / (double)c->sent : 0);
	printf("received  %12.3f Gbit/s (Ethernet frames with headers)\n",
	       (double)c->rx_bytes * 8 / s / 1e9);
	if (c->send_errors)
		printf("send errors %llu\n",
		       (unsigned long long)c->send_errors);
}

static void report(const struct lg *lg)
{
	double s = lg->elapsed_ns ? (double)lg->elapsed_ns / 1e9 : 1e-9;

	if (lg->o.mode == LG_REFLECT && !lg->o.json)
		printf("lg_reflect on %s (%s) for %.1f s\n", lg->o.ifname,
		       lg->xdp_mode, s);
	else if (lg->o.json)
		report_json(lg, s);
	else
		report_text(lg, s);
}

static void close_edges(struct lg *lg)
{
	unsigned int i;

	for (i = 0; lg->edges && i < lg->o.n_edges; i++)
		if (lg->edges[i].fd >= 0)
			close(lg->edges[i].fd);
	free(lg->edges);
	free(lg->names);
	if (lg->epfd >= 0)
		close(lg->epfd);
}

static int run(struct lg *lg)
{
	unsigned int i;

	for (i = 0; i < sizeof(lg->payload); i++)
		lg->payload[i] = (uint8_t)(i * 7 + 1);
	if (lg->o.he) {
		he_keys_from_community(&lg->he, lg->o.community);
		srandom((unsigned int)getpid());
	}
	if (lg->o.ifname && xdp_open(lg))
		return -1;
	if (lg->o.mode == LG_REFLECT) {
		run_reflect(lg);
		return 0;
	}
	if (open_edges(lg) || (!lg->o.junk && register_all(lg)))
		return -1;
	if (lg->o.mode == LG_REGISTER) {
		run_hold(lg);
		return 0;
	}
	if (lg->o.mode == LG_KERNEL)
		return run_kernel(lg);
	return run_socket(lg);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	/* Static: large, and off main's stack. */
	static struct lg lg = { .epfd = -1, .link_fd = -1 };
	int ret;

	ret = parse_args(&lg.o, argc, argv);
	if (ret)
		return ret;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	ret = run(&lg);
	if (!ret)
		report(&lg);
	xdp_close(&lg);
	close_edges(&lg);
	return ret ? 1 : 0;
}
