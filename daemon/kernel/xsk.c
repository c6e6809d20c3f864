// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's slow path over AF_XDP (see xsk.h): receive-only sockets,
 * one per RX queue of each interface the XDP relay runs on, each with its
 * own small UMEM, and the frame check that stands in for the kernel's
 * IPv4/UDP input. The only user of libxdp's xsk API.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <xdp/xsk.h>

#include "common/why.h"
#include "common/bytes.h"
#include "common/inet_csum.h"
#include "common/log.h"
#include "common/sockaddr.h"
#include "n2n_wire_defs.h"
#include "n2nk_relay.h"
#include "xsk.h"

/*
 * Per socket: 512 frames of 4096 bytes, 2 MiB of locked memory. A frame
 * must hold what the kernel copies in after its 256 bytes of headroom
 * (XDP_PACKET_HEADROOM): 3840 bytes, so any n2n datagram (at most 2048
 * bytes of UDP payload) fits even on a jumbo-frame link; bigger frames are
 * dropped by the kernel and counted in kernel_dropped. The fill and RX
 * rings hold every frame, so the kernel can queue 512 datagrams per queue
 * before rx_ring_full / fill_ring_empty count losses.
 */
#define XSK_RX_FRAME_SIZE 4096u
#define XSK_RX_FRAMES	  512u
#define XSK_RX_UMEM_SIZE  ((size_t)XSK_RX_FRAMES * XSK_RX_FRAME_SIZE)
#define XSK_RX_COMP_SIZE  64u /* the kernel wants one; we never send */
#define XSK_RX_BATCH	  64u /* frames per socket per wake-up */
/* Sockets over all interfaces (at most 128 MiB of UMEM): an interface's
 * queues past what is left, and queues past N2NK_RELAY_MAX_QUEUES, find
 * no socket in xsks and take XDP_PASS to the UDP socket. */
#define XSK_RX_MAX_SOCKS  N2NK_RELAY_MAX_QUEUES
#define XSK_RX_MAX_IFS	  N2NK_RELAY_MAX_IFS

#define ETH_HDR_LEN  14u
#define IPV4_HDR_LEN 20u
#define UDP_HDR_LEN  8u

struct xsk_rx_sock {
	struct xsk_socket *xsk;
	struct xsk_umem *umem;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_cons rx;
	void *area;    /* the UMEM, XSK_RX_UMEM_SIZE bytes, or NULL */
	uint32_t slot; /* its interface: cfg.ifindexes[slot], names[slot] */
	uint32_t queue;
};

struct xsk_rx {
	struct xsk_rx_cfg cfg;
	int epfd;
	int n_socks;
	struct xsk_rx_sock socks[XSK_RX_MAX_SOCKS];
	struct xsk_rx_stats stats;
	int n_ifs;
	char names[XSK_RX_MAX_IFS][IF_NAMESIZE];
	char where[XSK_RX_MAX_IFS * (IF_NAMESIZE + 32)];
};

/*
 * A UDP checksum is right when the sum over the pseudo-header and the
 * datagram folds to 0xffff. Between two virtual devices of one host (veth,
 * containers) the sender may have left the checksum to a NIC that does not
 * exist (CHECKSUM_PARTIAL): the field then holds just the folded
 * pseudo-header sum, which the stack accepts as verified (it knows from
 * the skb), so we do too, unless every interface is hardware (hw_only),
 * where no such frame arrives and the field alone proves nothing.
 */
static bool udp_csum_ok(const uint8_t *ip, const uint8_t *udp, size_t ulen,
			bool hw_only)
{
	uint32_t pseudo = inet_csum_pseudo(ip + 12, 8, IPPROTO_UDP, ulen);
	uint16_t field = get_be16(udp + 6);

	if (!field)
		return true; /* the sender did not compute one */
	if (inet_csum_fold(inet_csum_add(pseudo, udp, ulen)) == 0xffff)
		return true;
	return !hw_only && field == inet_csum_fold(pseudo);
}

/* ip points at room bytes; on OK, *tot is the checked total length. */
static enum n2nk_reason check_ipv4(const uint8_t *ip, size_t room, size_t *tot)
{
	if (ip[0] >> 4 != 4 || (ip[0] & 0x0f) < IPV4_HDR_LEN / 4)
		return N2NK_BAD_IP_HEADER;
	if ((ip[0] & 0x0f) != IPV4_HDR_LEN / 4)
		return N2NK_IP_OPTIONS;
	if (get_be16(ip + 6) & 0x3fff) /* MF or a fragment offset */
		return N2NK_IP_FRAGMENT;
	if (inet_csum_fold(inet_csum_add(0, ip, IPV4_HDR_LEN)) != 0xffff)
		return N2NK_IP_CHECKSUM;
	/* The protocol before the UDP header, as the relay: a short frame of
	 * another protocol is not_udp, never truncated_udp. */
	if (ip[9] != IPPROTO_UDP)
		return N2NK_NOT_UDP;
	if (room < IPV4_HDR_LEN + UDP_HDR_LEN)
		return N2NK_TRUNCATED_UDP;
	*tot = get_be16(ip + 2);
	/* A shorter frame is cut; a longer one may carry Ethernet padding. */
	if (*tot < IPV4_HDR_LEN + UDP_HDR_LEN || *tot > room)
		return N2NK_IP_LENGTH;
	return N2NK_OK;
}

static enum n2nk_reason check_udp(const uint8_t *ip, size_t tot,
				  const struct xsk_rx_match *m)
{
	const uint8_t *udp = ip + IPV4_HDR_LEN;
	size_t ulen = get_be16(udp + 4);

	/* The relay passes up only datagrams whose lengths agree exactly. */
	if (ulen != tot - IPV4_HDR_LEN)
		return N2NK_UDP_LENGTH;
	if (memcmp(udp + 2, &m->port, 2))
		return N2NK_WRONG_PORT;
	if (m->addr.s_addr != htonl(INADDR_ANY) && memcmp(ip + 16, &m->addr, 4))
		return N2NK_NOT_LOCAL;
	if (!udp_csum_ok(ip, udp, ulen, m->hw_only))
		return N2NK_UDP_CHECKSUM;
	return N2NK_OK;
}

/*
 * What the stack would drop as martian (or could never answer): what
 * ip4_possible() refuses, 127/8 included, port 0, and the address the
 * datagram is for. The relay hands frames up before the
 * stack sees them, so the check is ours to make.
 */
static bool source_possible(const uint8_t *ip)
{
	if (!ip4_possible(get_be32(ip + 12), false))
		return false;
	if (!memcmp(ip + 12, ip + 16, 4))
		return false;
	return get_be16(ip + IPV4_HDR_LEN) != 0;
}

enum n2nk_reason xsk_rx_parse(const uint8_t *frame, size_t len,
			      const struct xsk_rx_match *m,
			      struct sockaddr_in *from, const uint8_t **payload,
			      size_t *plen)
{
	const uint8_t *ip = frame + ETH_HDR_LEN;
	enum n2nk_reason r;
	size_t tot;

	if (len < ETH_HDR_LEN)
		return N2NK_TRUNCATED_ETH;
	if (get_be16(frame + 12) != ETH_P_IP)
		return get_be16(frame + 12) == ETH_P_IPV6 ? N2NK_IPV6
							  : N2NK_NOT_IP;
	if (len < ETH_HDR_LEN + IPV4_HDR_LEN)
		return N2NK_TRUNCATED_IP;
	r = check_ipv4(ip, len - ETH_HDR_LEN, &tot);
	if (r == N2NK_OK)
		r = check_udp(ip, tot, m);
	if (r != N2NK_OK)
		return r;
	if (!source_possible(ip))
		return N2NK_IMPOSSIBLE_SOURCE;
	memset(from, 0, sizeof(*from));
	from->sin_family = AF_INET;
	memcpy(&from->sin_addr, ip + 12, 4);
	memcpy(&from->sin_port, ip + IPV4_HDR_LEN, 2);
	*payload = ip + IPV4_HDR_LEN + UDP_HDR_LEN;
	*plen = tot - IPV4_HDR_LEN - UDP_HDR_LEN;
	return N2NK_OK;
}

/* The first frame of each kind is logged (at most one line per reason
 * in a daemon's life); the rest are only counted. */
static void log_first(const char *ifname, enum n2nk_reason r,
		      const struct sockaddr_in *from)
{
	char addr[INET_ADDRSTRLEN] = "?";

	inet_ntop(AF_INET, &from->sin_addr, addr, sizeof(addr));
	if (r == N2NK_OK)
		log_info("AF_XDP on %s: first datagram for the daemon, from "
			 "%s:%u",
			 ifname, addr, ntohs(from->sin_port));
	else
		log_info("AF_XDP on %s: dropped a frame (%s); counted from now "
			 "on",
			 ifname, n2nk_reason_name(r));
}

/* One frame to the daemon, through a buffer like the UDP socket's: the
 * daemon decrypts and rewrites in place, and may keep pointers into it. */
static void deliver(struct xsk_rx *x, uint32_t slot, const uint8_t *frame,
		    size_t len)
{
	uint8_t buf[N2N_PKT_BUF_SIZE + 1];
	struct sockaddr_storage from;
	struct sockaddr_in *in = (struct sockaddr_in *)&from;
	const uint8_t *payload;
	enum n2nk_reason r;
	size_t plen;

	x->stats.received++;
	x->stats.ifs[slot].received++;
	memset(&from, 0, sizeof(from));
	r = xsk_rx_parse(frame, len, &x->cfg.match, in, &payload, &plen);
	if (r != N2NK_OK) {
		if (!x->stats.drops.n[n2nk_reason_slot(r)])
			log_first(x->names[slot], r, in);
		drop_count(&x->stats.drops, r);
		return;
	}
	if (!x->stats.delivered++)
		log_first(x->names[slot], r, in);
	/* Oversized payloads keep their true length so the daemon counts and
	 * drops them, as after recvfrom(MSG_TRUNC). */
	memcpy(buf, payload, plen < sizeof(buf) ? plen : sizeof(buf));
	x->cfg.on_udp(x->cfg.ctx, &from, buf, plen);
}

/*
 * Up to XSK_RX_BATCH frames, each handed back to the fill ring once read.
 * Every frame is in one place: the fill ring, the RX ring or our hands,
 * and both rings hold all of them; but the kernel tells what it consumed
 * from the fill ring late, so its free room can look short for a while
 * (a flood made that an abort() once): frames that do not fit wait.
 */
static void sock_drain(struct xsk_rx *x, struct xsk_rx_sock *s)
{
	uint32_t i, n, room, rx_idx = 0, fill_idx = 0;

	n = xsk_ring_cons__peek(&s->rx, XSK_RX_BATCH, &rx_idx);
	if (!n)
		return;
	/* The kernel publishes what it took from the fill ring lazily, so
	 * under a flood the ring can look fuller than it is: take only the
	 * frames we can give back now, the rest stay for the next call. */
	room = xsk_prod_nb_free(&s->fill, n);
	if (room < n) {
		xsk_ring_cons__cancel(&s->rx, n - room);
		n = room;
		if (!n)
			return;
	}
	if (xsk_ring_prod__reserve(&s->fill, n, &fill_idx) != n) {
		xsk_ring_cons__cancel(&s->rx, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d =
			xsk_ring_cons__rx_desc(&s->rx, rx_idx + i);
		uint64_t chunk = d->addr & ~(uint64_t)(XSK_RX_FRAME_SIZE - 1);

		/* The kernel's descriptors are checked, not trusted. */
		if (d->addr + d->len <= XSK_RX_UMEM_SIZE)
			deliver(x, s->slot,
				xsk_umem__get_data(s->area, d->addr), d->len);
		*xsk_ring_prod__fill_addr(&s->fill, fill_idx + i) = chunk;
	}
	xsk_ring_prod__submit(&s->fill, n);
	xsk_ring_cons__release(&s->rx, n);
}

void xsk_rx_readable(void *arg)
{
	struct epoll_event ev[XSK_RX_MAX_SOCKS];
	struct xsk_rx *x = arg;
	int i, n;

	n = epoll_wait(x->epfd, ev, XSK_RX_MAX_SOCKS, 0);
	for (i = 0; i < n; i++)
		if (ev[i].data.u32 < (uint32_t)x->n_socks)
			sock_drain(x, &x->socks[ev[i].data.u32]);
}

static int queues_by_ethtool(const char *ifname)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int n = 0;

	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ch;
	if (!ioctl(fd, SIOCETHTOOL, &ifr))
		n = (int)(ch.rx_count + ch.combined_count);
	close(fd);
	return n;
}

/* /sys/class/net/IF/queues/rx-N; right only when sysfs was mounted in our
 * network namespace, hence second choice. */
static int queues_by_sysfs(const char *ifname)
{
	char path[64 + IF_NAMESIZE];
	struct dirent *e;
	int i, n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", ifname);
	d = opendir(path);
	if (!d)
		return 0;
	for (i = 0; i < 4 * XSK_RX_MAX_SOCKS && (e = readdir(d)); i++)
		n += !strncmp(e->d_name, "rx-", 3);
	closedir(d);
	return n;
}

/* RX queues to bind: ethtool's channel count, else sysfs, else one;
 * at most the xsks map's size. */
static int rx_queue_count(const char *ifname)
{
	int n = queues_by_ethtool(ifname);

	if (n <= 0)
		n = queues_by_sysfs(ifname);
	if (n <= 0)
		n = 1;
	return n < XSK_RX_MAX_SOCKS ? n : XSK_RX_MAX_SOCKS;
}

static void fill_all(struct xsk_rx_sock *s)
{
	uint32_t i, idx = 0;

	/* A fresh fill ring has room for every frame. */
	if (xsk_ring_prod__reserve(&s->fill, XSK_RX_FRAMES, &idx) !=
	    XSK_RX_FRAMES)
		return;
	for (i = 0; i < XSK_RX_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&s->fill, idx + i) =
			(uint64_t)i * XSK_RX_FRAME_SIZE;
	xsk_ring_prod__submit(&s->fill, XSK_RX_FRAMES);
}

static int umem_open(struct xsk_rx *x, struct xsk_rx_sock *s, char *why,
		     size_t whylen)
{
	const struct xsk_umem_config ucfg = {
		.fill_size = XSK_RX_FRAMES,
		.comp_size = XSK_RX_COMP_SIZE,
		.frame_size = XSK_RX_FRAME_SIZE,
		.frame_headroom = 0,
	};
	void *area = mmap(NULL, XSK_RX_UMEM_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (area == MAP_FAILED)
		return why_fail(why, whylen, -errno,
				"allocating %zu bytes of UMEM",
				XSK_RX_UMEM_SIZE);
	err = xsk_umem__create(&s->umem, area, XSK_RX_UMEM_SIZE, &s->fill,
			       &s->comp, &ucfg);
	if (err) {
		munmap(area, XSK_RX_UMEM_SIZE);
		return why_fail(why, whylen, err,
				"registering the UMEM for %s queue %u",
				x->names[s->slot], s->queue);
	}
	s->area = area;
	return 0;
}

/*
 * XDP_COPY, always: zero-copy would move the whole queue onto our UMEM, so
 * the relay's own XDP_TX and XDP_PASS traffic would depend on this slow
 * path keeping its fill ring full; in copy mode the driver keeps its
 * buffers and only the frames redirected to us are copied. Generic (SKB)
 * mode and veth offer nothing else anyway.
 */
static int sock_bind(struct xsk_rx *x, struct xsk_rx_sock *s, char *why,
		     size_t whylen)
{
	const struct xsk_socket_config scfg = {
		.rx_size = XSK_RX_FRAMES,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	int err;

	err = xsk_socket__create(&s->xsk, x->names[s->slot], s->queue, s->umem,
				 &s->rx, NULL, &scfg);
	if (err) {
		s->xsk = NULL;
		return why_fail(why, whylen, err,
				"binding an AF_XDP socket to %s queue %u",
				x->names[s->slot], s->queue);
	}
	fill_all(s);
	return 0;
}

static void sock_close(struct xsk_rx *x, struct xsk_rx_sock *s)
{
	if (s->xsk) {
		epoll_ctl(x->epfd, EPOLL_CTL_DEL, xsk_socket__fd(s->xsk), NULL);
		xsk_socket__delete(s->xsk);
	}
	if (s->umem)
		xsk_umem__delete(s->umem);
	if (s->area)
		munmap(s->area, XSK_RX_UMEM_SIZE);
	memset(s, 0, sizeof(*s));
}

/* Its key in xsks: the interface's slot (the loader gives slot i to
 * cfg.ifindexes[i], xsk_slots in n2nk_relay.h) and the queue. */
static int sock_to_map(struct xsk_rx *x, struct xsk_rx_sock *s)
{
	__u32 key = s->slot * N2NK_RELAY_MAX_QUEUES + s->queue;
	int fd = xsk_socket__fd(s->xsk);

	return bpf_map_update_elem(x->cfg.xsks_map_fd, &key, &fd, BPF_ANY)
		       ? -errno
		       : 0;
}

/* A bound socket for (slot, queue), in the map and in our epoll set. */
static int sock_open(struct xsk_rx *x, uint32_t slot, uint32_t queue, char *why,
		     size_t whylen)
{
	struct xsk_rx_sock *s = &x->socks[x->n_socks];
	struct epoll_event ev = { .events = EPOLLIN };
	const char *ifname = x->names[slot];
	int err;

	s->slot = slot;
	s->queue = queue;
	err = umem_open(x, s, why, whylen);
	if (!err)
		err = sock_bind(x, s, why, whylen);
	if (!err) {
		ev.data.u32 = (uint32_t)x->n_socks;
		if (epoll_ctl(x->epfd, EPOLL_CTL_ADD, xsk_socket__fd(s->xsk),
			      &ev) < 0)
			err = why_fail(why, whylen, -errno,
				       "epoll for %s queue %u", ifname, queue);
	}
	if (!err) {
		err = sock_to_map(x, s);
		if (err)
			why_fail(
				why, whylen, err,
				"putting the socket of %s queue %u in the xsks "
				"map",
				ifname, queue);
	}
	if (err) {
		sock_close(x, s);
		return err;
	}
	x->n_socks++;
	return 0;
}

/* The interfaces' names, slot by slot. */
static int name_interfaces(struct xsk_rx *x, char *why, size_t whylen)
{
	int i;

	if (x->cfg.n_ifs < 1 || x->cfg.n_ifs > XSK_RX_MAX_IFS)
		return why_fail(why, whylen, -EINVAL,
				"the relay runs on %d interfaces",
				x->cfg.n_ifs);
	for (i = 0; i < x->cfg.n_ifs; i++)
		if (!if_indextoname((unsigned int)x->cfg.ifindexes[i],
				    x->names[i]))
			return why_fail(why, whylen, -errno,
					"naming interface %d",
					x->cfg.ifindexes[i]);
	x->n_ifs = x->cfg.n_ifs;
	return 0;
}

/* One socket per RX queue of slot's interface, as many as are left;
 * "eth0 (2 rx queues)" appended to where. */
static int open_interface(struct xsk_rx *x, uint32_t slot, char *why,
			  size_t whylen)
{
	int i, err = 0, n = rx_queue_count(x->names[slot]);
	size_t used = strlen(x->where);

	if (n > XSK_RX_MAX_SOCKS - x->n_socks)
		n = XSK_RX_MAX_SOCKS - x->n_socks;
	for (i = 0; i < n && !err; i++)
		err = sock_open(x, slot, (uint32_t)i, why, whylen);
	snprintf(x->where + used, sizeof(x->where) - used,
		 "%s%s (%d rx queue%s)", slot ? ", " : "", x->names[slot], n,
		 n == 1 ? "" : "s");
	return err;
}

int xsk_rx_open(struct xsk_rx **out, const struct xsk_rx_cfg *cfg, char *why,
		size_t whylen)
{
	struct xsk_rx *x;
	int err = 0, i;
	size_t used;

	why[0] = 0;
	x = calloc(1, sizeof(*x));
	if (!x)
		return why_fail(why, whylen, -ENOMEM, "AF_XDP slow path");
	x->cfg = *cfg;
	x->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (x->epfd < 0) {
		err = why_fail(why, whylen, -errno, "epoll for AF_XDP");
		free(x);
		return err;
	}
	err = name_interfaces(x, why, whylen);
	for (i = 0; i < x->n_ifs && !err; i++)
		err = open_interface(x, (uint32_t)i, why, whylen);
	if (err) {
		xsk_rx_close(x);
		return err;
	}
	used = strlen(x->where);
	snprintf(x->where + used, sizeof(x->where) - used, ", copy mode");
	*out = x;
	return 0;
}

void xsk_rx_close(struct xsk_rx *x)
{
	int i;

	if (!x)
		return;
	for (i = 0; i < x->n_socks; i++)
		sock_close(x, &x->socks[i]);
	close(x->epfd);
	free(x);
}

int xsk_rx_fd(const struct xsk_rx *x)
{
	return x->epfd;
}

const char *xsk_rx_where(const struct xsk_rx *x)
{
	return x->where;
}

void xsk_rx_stats(const struct xsk_rx *x, struct xsk_rx_stats *out)
{
	int i;

	*out = x->stats;
	out->sockets = (uint32_t)x->n_socks;
	out->n_ifs = (uint32_t)x->n_ifs;
	for (i = 0; i < x->n_ifs; i++)
		memcpy(out->ifs[i].name, x->names[i], IF_NAMESIZE);
	for (i = 0; i < x->n_socks; i++) {
		struct xdp_statistics st = { 0 };
		socklen_t len = sizeof(st);

		if (getsockopt(xsk_socket__fd(x->socks[i].xsk), SOL_XDP,
			       XDP_STATISTICS, &st, &len) < 0)
			continue;
		out->kernel_dropped += st.rx_dropped;
		out->rx_ring_full += st.rx_ring_full;
		out->fill_ring_empty += st.rx_fill_ring_empty_descs;
	}
}
