/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a frame or datagram did not go the normal way, declared once for
 * every layer that counts: the userspace daemons (both roles), the XDP
 * supernode relay, the AF_XDP slow path's frame check and the XDP n2n
 * observer. The same event has the same name in each, and `n2nctl stats`
 * shows it as [layer_][drop_]name (docs/n2nctl.md).
 *
 * Each row of N2NK_REASONS() is
 *
 *   X(NAME, value, "name", daemon, relay, xsk, observer)
 *
 * NAME gives enum n2nk_reason's N2NK_NAME; value is 0 or negative and
 * rows are in order 0, -1, -2, ... (asserted below), so a per-CPU counter
 * array keeps a reason in slot -value (n2nk_reason_slot()); "name" is what
 * users see. The four last columns are the layer's verdict for the reason,
 * one of
 *
 *   NONE    the layer never gives this reason
 *   OK      delivered the normal way (only slot 0: relayed, handed to the
 *           daemon, seen as plaintext n2n; each layer names it itself)
 *   DROP    dropped and counted
 *   DAEMON  handed, unchanged, to the userspace daemon (AF_XDP or its socket)
 *   STACK   passed, unchanged, to the kernel's network stack (XDP_PASS)
 *
 * A row without all four columns, or with a verdict outside this list,
 * does not compile, and the verdict functions are generated from the
 * rows, so a new reason cannot be added without saying what each layer
 * does with it. A value is also a counter slot, and pinned counter maps
 * (the XDP relay's relay_stats) outlive the daemon: a build whose table
 * has another number of rows gets a fresh map when it loads (counters
 * reset, which the loader logs), but rows renumbered within the same
 * count would show the old counts under new names until the relay is
 * unloaded (supernode --xdp-unload). tests/unit/t_reasons.c holds the
 * whole (value, name) list, so a renumbering or renaming is a deliberate
 * change. A new layer is a new column. Both clang -target bpf and gcc
 * compile this file: fixed-width types, no #ifdef.
 */
#ifndef N2NK_REASONS_H
#define N2NK_REASONS_H

#include <linux/types.h>

/* clang-format off */
#define N2NK_REASONS(X)                                                        \
/*  NAME             value  "name"              daemon relay   xsk   observer */ \
/* The normal way: slot 0, named by each layer (n2nk_layer_ok_name()). */      \
X(OK,                   0, "ok",                NONE,  OK,     OK,   OK)       \
/* Frames, before n2n: Ethernet, IP, UDP. */                                   \
X(NOT_IP,              -1, "not_ip",            NONE,  STACK,  DROP, STACK)    \
X(IPV6,                -2, "ipv6",              NONE,  STACK,  DROP, NONE)     \
X(TRUNCATED_ETH,       -3, "truncated_eth",     NONE,  STACK,  DROP, STACK)    \
X(TRUNCATED_IP,        -4, "truncated_ip",      NONE,  STACK,  DROP, STACK)    \
X(BAD_IP_HEADER,       -5, "bad_ip_header",     NONE,  STACK,  DROP, STACK)    \
X(IP_OPTIONS,          -6, "ip_options",        NONE,  STACK,  DROP, NONE)     \
X(IP_FRAGMENT,         -7, "ip_fragment",       NONE,  STACK,  DROP, STACK)    \
X(IP_CHECKSUM,         -8, "ip_checksum",       NONE,  NONE,   DROP, NONE)     \
X(IP_LENGTH,           -9, "ip_length",         NONE,  STACK,  DROP, NONE)     \
X(NOT_UDP,            -10, "not_udp",           NONE,  STACK,  DROP, STACK)    \
X(TRUNCATED_UDP,      -11, "truncated_udp",     NONE,  STACK,  DROP, STACK)    \
X(UDP_LENGTH,         -12, "udp_length",        NONE,  STACK,  DROP, NONE)     \
X(UDP_CHECKSUM,       -13, "udp_checksum",      NONE,  NONE,   DROP, NONE)     \
X(WRONG_PORT,         -14, "wrong_port",        NONE,  STACK,  DROP, STACK)    \
X(NOT_LOCAL,          -15, "not_local",         NONE,  STACK,  DROP, NONE)     \
/* The n2n header. */                                                          \
X(TRUNCATED_N2N,      -16, "truncated_n2n",     NONE,  STACK,  NONE, STACK)    \
X(HEADER_ENCRYPTED,   -17, "header_encrypted",  NONE,  DAEMON, NONE, STACK)    \
X(NOT_PACKET,         -18, "not_packet",        NONE,  DAEMON, NONE, NONE)     \
X(FROM_SUPERNODE,     -19, "from_supernode",    NONE,  DAEMON, NONE, NONE)     \
X(HAS_SOCKET,         -20, "has_socket",        NONE,  DAEMON, NONE, NONE)     \
X(MULTICAST_DEST,     -21, "multicast_dest",    NONE,  DAEMON, NONE, NONE)     \
X(TTL_EXPIRED,        -22, "ttl_expired",       DROP,  DROP,   NONE, NONE)     \
/* Who sends, to whom. */                                                      \
X(UNKNOWN_SENDER,     -23, "unknown_sender",    DROP,  DAEMON, NONE, NONE)     \
X(SPOOFED_SOURCE,     -24, "spoofed_source",    NONE,  DAEMON, NONE, NONE)     \
X(UNKNOWN_DEST,       -25, "unknown_dest",      DROP,  DAEMON, NONE, NONE)     \
X(EXPIRED_DEST,       -26, "expired_dest",      NONE,  DAEMON, NONE, NONE)     \
/* Where the kernel would send it: the FIB and the frame's room. */           \
X(NO_HEADROOM,        -27, "no_headroom",       NONE,  DAEMON, NONE, NONE)     \
X(NO_ROUTE,           -28, "no_route",          NONE,  DAEMON, NONE, NONE)     \
X(NO_NEIGHBOUR,       -29, "no_neighbour",      NONE,  DAEMON, NONE, NONE)     \
X(FRAG_NEEDED,        -30, "frag_needed",       NONE,  DAEMON, NONE, NONE)     \
X(FORWARDING_OFF,     -31, "forwarding_off",    NONE,  DAEMON, NONE, NONE)     \
X(OTHER_INTERFACE,    -32, "other_interface",   NONE,  DAEMON, NONE, NONE)     \
/* What only the daemon checks: decoding, keys, registrations. */             \
X(MALFORMED,          -33, "malformed",         DROP,  NONE,   NONE, NONE)     \
X(OVERSIZE,           -34, "oversize",          DROP,  NONE,   NONE, NONE)     \
X(HEADER_KEY,         -35, "header_key",        DROP,  NONE,   NONE, NONE)     \
X(STAMP,              -36, "stamp",             DROP,  NONE,   NONE, NONE)     \
X(PLAINTEXT_ON_HE,    -37, "plaintext_on_encrypted_community",                 \
                                                DROP,  NONE,   NONE, NONE)     \
X(COMMUNITY,          -38, "community",         DROP,  NONE,   NONE, NONE)     \
X(NOT_REGISTERED,     -39, "not_registered",    DROP,  NONE,   NONE, NONE)     \
X(UNKNOWN_SUPERNODE,  -40, "unknown_supernode", DROP,  NONE,   NONE, NONE)     \
X(TRANSFORM,          -41, "transform",         DROP,  NONE,   NONE, NONE)     \
X(DECRYPT,            -42, "decrypt",           DROP,  NONE,   NONE, NONE)     \
X(FILTERED,           -43, "filtered",          DROP,  NONE,   NONE, NONE)     \
X(AUTH,               -44, "auth",              DROP,  NONE,   NONE, NONE)     \
X(UNEXPECTED,         -45, "unexpected",        DROP,  NONE,   NONE, NONE)     \
X(SEND_FAILED,        -46, "send_failed",       DROP,  NONE,   NONE, NONE)     \
X(TABLE_FULL,         -47, "table_full",        DROP,  NONE,   NONE, NONE)
/* clang-format on */

/*
 * What each reason means, in the order of the rows:
 *
 * OK                the layer's normal way (see the verdicts above).
 * NOT_IP            EtherType neither IPv4 nor IPv6 (VLAN tags are not
 *                   looked through).
 * IPV6              IPv6, which the layer does not handle yet.
 * TRUNCATED_*       shorter than an Ethernet, IP (with its options), UDP
 *                   or n2n common/PACKET header.
 * BAD_IP_HEADER     IP version field wrong for the EtherType, or IHL < 5.
 * IP_OPTIONS        IPv4 options: the relay and the slow path want a
 *                   20-byte header.
 * IP_FRAGMENT       a fragment: the relay and slow path leave every one
 *                   (first included) to the stack, which reassembles; the
 *                   observer counts only non-first ones (no UDP header).
 * IP_CHECKSUM       IPv4 header checksum wrong.
 * IP_LENGTH         IPv4 total length below the headers or beyond the frame.
 * NOT_UDP           IP protocol not UDP (IPv6 extension headers land here).
 * UDP_LENGTH        UDP length is not the IP payload length.
 * UDP_CHECKSUM      a non-zero UDP checksum is wrong.
 * WRONG_PORT        UDP, but not to the n2n port the layer serves.
 * NOT_LOCAL         our port, but not an address we listen on (a
 *                   forwarding host's transit traffic).
 * HEADER_ENCRYPTED  the common header is not plaintext n2n: a header-
 *                   encrypted (-H) datagram, or not n2n at all.
 * NOT_PACKET        n2n, but not a PACKET (registration, query, ...).
 * FROM_SUPERNODE    a PACKET another supernode forwarded (federation).
 * HAS_SOCKET        a PACKET from an edge that already carries a socket.
 * MULTICAST_DEST    to a broadcast or multicast MAC: fanned out by the
 *                   daemon.
 * TTL_EXPIRED       the n2n TTL reached 0.
 * UNKNOWN_SENDER    no edge of that community registered at the sender's
 *                   socket.
 * SPOOFED_SOURCE    the edge registered at that socket has another MAC.
 *                   The relay leaves it to the daemon, which knows what
 *                   the program cannot (-M turns the check off; two MACs
 *                   may be registered at one socket, `senders` holds the
 *                   last) and drops it there as UNKNOWN_SENDER.
 * UNKNOWN_DEST      no edge of that MAC registered in the community (the
 *                   daemon may know one through the federation).
 * EXPIRED_DEST      the destination's registration was not renewed.
 * NO_HEADROOM       the frame could not grow for the inserted socket.
 * NO_ROUTE, NO_NEIGHBOUR, FRAG_NEEDED, FORWARDING_OFF, OTHER_INTERFACE
 *                   the kernel's FIB has no route, no neighbour entry yet,
 *                   a smaller MTU, forwarding off, or a route out of
 *                   another interface: the daemon sends it instead.
 * MALFORMED         the wire decoder refused it.
 * OVERSIZE          a datagram above 2048 bytes.
 * HEADER_KEY        no community key decrypts the header.
 * STAMP             header time stamp out of its window, or replayed.
 * PLAINTEXT_ON_HE   plaintext for a header-encrypted community.
 * COMMUNITY         another community, or one not allowed here.
 * NOT_REGISTERED    edge: before the first REGISTER_SUPER_ACK.
 * UNKNOWN_SUPERNODE "from supernode", but not from one we know.
 * TRANSFORM         the PACKET's transform is not the community's.
 * DECRYPT           the payload does not decrypt or decompress.
 * FILTERED          multicast without -E, a foreign IP without -r.
 * AUTH              registration token mismatch (spoofing).
 * UNEXPECTED        a valid message this role ignores here.
 * SEND_FAILED       the kernel refused to send it.
 * TABLE_FULL        too many communities, edges or peers.
 */

enum n2nk_verdict {
	N2NK_VERDICT_NONE,
	N2NK_VERDICT_OK,
	N2NK_VERDICT_DROP,
	N2NK_VERDICT_DAEMON,
	N2NK_VERDICT_STACK,
};

enum n2nk_reason {
#define N2NK_REASON_ENUM_(n, v, s, d, r, x, o) N2NK_##n = (v),
	N2NK_REASONS(N2NK_REASON_ENUM_)
#undef N2NK_REASON_ENUM_
};

/* Rows in order, counted: slot numbers 0 .. N2NK_REASON_SLOTS - 1. */
enum n2nk_reason_row {
#define N2NK_REASON_ROW_(n, v, s, d, r, x, o) N2NK_ROW_##n,
	N2NK_REASONS(N2NK_REASON_ROW_)
#undef N2NK_REASON_ROW_
	N2NK_REASON_SLOTS
};

#define N2NK_REASON_ORDER_(n, v, s, d, r, x, o)   \
	_Static_assert((v) == -(int)N2NK_ROW_##n, \
		       "N2NK_REASONS: " #n " is not the next value");
N2NK_REASONS(N2NK_REASON_ORDER_)
#undef N2NK_REASON_ORDER_

/*
 * The verdicts follow the rules above: OK only in slot 0, where a layer
 * either delivers or does not take part; the daemon only drops; the slow
 * path's frame check delivers or drops.
 */
#define N2NK_REASON_RULES_(n, v, s, d, r, x, o)                                \
	_Static_assert(                                                        \
		((v) == 0) == (N2NK_VERDICT_##r == N2NK_VERDICT_OK) &&         \
			((v) == 0) == (N2NK_VERDICT_##x == N2NK_VERDICT_OK) && \
			((v) == 0) == (N2NK_VERDICT_##o == N2NK_VERDICT_OK),   \
		"N2NK_REASONS: " #n ": OK is slot 0's verdict only");          \
	_Static_assert(N2NK_VERDICT_##d == N2NK_VERDICT_NONE ||                \
			       N2NK_VERDICT_##d == N2NK_VERDICT_DROP,          \
		       "N2NK_REASONS: " #n ": the daemon only drops");         \
	_Static_assert(N2NK_VERDICT_##x != N2NK_VERDICT_DAEMON &&              \
			       N2NK_VERDICT_##x != N2NK_VERDICT_STACK,         \
		       "N2NK_REASONS: " #n                                     \
		       ": the slow path delivers or drops");
N2NK_REASONS(N2NK_REASON_RULES_)
#undef N2NK_REASON_RULES_

/* The layers that count reasons: one verdict column each. */
enum n2nk_layer {
	N2NK_LAYER_DAEMON,   /* the daemons' slow path, both roles */
	N2NK_LAYER_RELAY,    /* bpf/xdp_relay.bpf.c */
	N2NK_LAYER_XSK,	     /* daemon/kernel/xsk.c's frame check */
	N2NK_LAYER_OBSERVER, /* bpf/xdp_n2n_count.bpf.c */
};

/* The per-CPU counter slot of a reason (0 or negative). */
static inline __u32 n2nk_reason_slot(int reason)
{
	return (__u32)-reason;
}

/*
 * What layer does with reason. A value that is no reason is dropped:
 * there is no default that lets something unknown through.
 */
static inline enum n2nk_verdict n2nk_verdict(enum n2nk_layer layer, int reason)
{
	switch (reason) {
#define N2NK_REASON_VERDICT_(n, v, s, d, r, x, o)                     \
	case (v):                                                     \
		return layer == N2NK_LAYER_DAEMON  ? N2NK_VERDICT_##d \
		       : layer == N2NK_LAYER_RELAY ? N2NK_VERDICT_##r \
		       : layer == N2NK_LAYER_XSK   ? N2NK_VERDICT_##x \
						   : N2NK_VERDICT_##o;
		N2NK_REASONS(N2NK_REASON_VERDICT_)
#undef N2NK_REASON_VERDICT_
	}
	return N2NK_VERDICT_DROP;
}

/* The reason's name as users see it; "unknown" for a value that is none. */
static inline const char *n2nk_reason_name(int reason)
{
	switch (reason) {
#define N2NK_REASON_NAME_(n, v, s, d, r, x, o) \
	case (v):                              \
		return s;
		N2NK_REASONS(N2NK_REASON_NAME_)
#undef N2NK_REASON_NAME_
	}
	return "unknown";
}

/* A layer's counter prefix in n2nctl ("" for the daemon's own drops). */
static inline const char *n2nk_layer_prefix(enum n2nk_layer layer)
{
	switch (layer) {
	case N2NK_LAYER_DAEMON:
		return "";
	case N2NK_LAYER_RELAY:
		return "xdp_";
	case N2NK_LAYER_XSK:
		return "xsk_";
	case N2NK_LAYER_OBSERVER:
		return "observer_";
	}
	return "unknown_";
}

/* What slot 0 (N2NK_OK) means in a layer, as its counter name says. */
static inline const char *n2nk_layer_ok_name(enum n2nk_layer layer)
{
	switch (layer) {
	case N2NK_LAYER_DAEMON:
		return "ok";
	case N2NK_LAYER_RELAY:
		return "relayed";
	case N2NK_LAYER_XSK:
		return "delivered";
	case N2NK_LAYER_OBSERVER:
		return "n2n_plaintext";
	}
	return "ok";
}

#endif /* N2NK_REASONS_H */
