/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The supernode's slow path over AF_XDP: the n2n datagrams the XDP relay
 * does not forward itself (the DAEMON verdicts of include/n2nk_reasons.h,
 * relay column) arrive here through the relay's `xsks` map instead
 * of climbing the network stack to the UDP socket. Each frame is checked as
 * the kernel's IPv4/UDP input would check it, then its UDP payload and
 * source go to the daemon's on_udp, exactly as a recvfrom() would give them.
 *
 * Receive only: replies keep leaving through the datapath's UDP socket
 * (sendto), which is simplest and needs no TX ring, no ARP and no route
 * lookup here. A queue without a socket, or a daemon that closed them (the
 * kernel removes a closed socket from the map), falls back to XDP_PASS, so
 * nothing is lost: the UDP socket still reads whatever comes that way.
 *
 * The only file using libxdp's xsk API (<xdp/xsk.h>); nothing of it leaks
 * into this header.
 */
#ifndef N2NK_XSK_H
#define N2NK_XSK_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/drop.h"
#include "n2nk_relay.h"

/* The slow path's counters, summed over its sockets; they only grow. */
struct xsk_rx_stats {
	uint64_t received;  /* frames read from the RX rings */
	uint64_t delivered; /* UDP payloads given to on_udp */
	/* Frames dropped, by n2nk_reason_slot() of the reasons whose xsk
	 * verdict is DROP (include/n2nk_reasons.h); slot 0 stays 0. */
	struct drop_counters drops;
	/* From the kernel (getsockopt XDP_STATISTICS), frames it redirected
	 * to us but could not queue: */
	uint64_t kernel_dropped;  /* rx_dropped: e.g. larger than a frame */
	uint64_t rx_ring_full;	  /* rx_ring_full: we read too slowly */
	uint64_t fill_ring_empty; /* rx_fill_ring_empty_descs: starvation */
	uint32_t sockets;	  /* AF_XDP sockets bound */
	uint32_t n_ifs;		  /* interfaces, in ifs[] */
	struct {
		char name[IF_NAMESIZE];
		uint64_t received; /* of received, through this one */
	} ifs[N2NK_RELAY_MAX_IFS];
};

/* What a frame must be addressed to (network byte order). */
struct xsk_rx_match {
	struct in_addr addr; /* INADDR_ANY: any destination address */
	uint16_t port;	     /* UDP destination port, network order */
	/* Every interface is hardware: no sender on this host reaches them
	 * with a checksum left to offload, so a field holding only the
	 * pseudo-header sum is not taken as checked (the stack would know
	 * from the skb; we only see the field). */
	bool hw_only;
};

struct xsk_rx_cfg {
	struct xsk_rx_match match;
	/* Where the relay program is attached, in the loader's order: the
	 * interface at index i has slot i in the relay's xsks map. */
	const int *ifindexes;
	int n_ifs;
	int xsks_map_fd; /* the relay's `xsks` XSKMAP */
	void (*on_udp)(void *ctx, const struct sockaddr_storage *from,
		       uint8_t *buf, size_t len);
	void *ctx;
};

struct xsk_rx;

/*
 * Binds one receive-only AF_XDP socket per RX queue of each interface the
 * relay runs on (at most N2NK_RELAY_MAX_QUEUES sockets in all) and puts
 * each into cfg->xsks_map_fd at slot * N2NK_RELAY_MAX_QUEUES + queue.
 * Returns 0 or -errno with a reason for the user in why (the interface,
 * the step that failed and the errno text). Nothing is left behind on
 * failure.
 */
int xsk_rx_open(struct xsk_rx **out, const struct xsk_rx_cfg *cfg, char *why,
		size_t whylen) __attribute__((warn_unused_result));
/* Closes the sockets (the kernel drops them from the map) and frees all.
 * NULL is fine. */
void xsk_rx_close(struct xsk_rx *x);

/* One fd that is readable when any socket has frames, for the evloop,
 * and its callback (arg = the struct xsk_rx): a bounded batch each call. */
int xsk_rx_fd(const struct xsk_rx *x);
void xsk_rx_readable(void *arg);

/* Where it runs, e.g. "eth0 (2 rx queues), eth1 (1 rx queue), copy
 * mode", for the log. */
const char *xsk_rx_where(const struct xsk_rx *x);
void xsk_rx_stats(const struct xsk_rx *x, struct xsk_rx_stats *out);
/*
 * The frame check on its own (exported for the unit tests): an Ethernet
 * frame of len bytes, for m. On N2NK_OK, *from is the sender and
 * *payload, *plen the UDP payload inside frame; else why it is dropped.
 */
enum n2nk_reason xsk_rx_parse(const uint8_t *frame, size_t len,
			      const struct xsk_rx_match *m,
			      struct sockaddr_in *from, const uint8_t **payload,
			      size_t *plen) __attribute__((warn_unused_result));

#endif /* N2NK_XSK_H */
