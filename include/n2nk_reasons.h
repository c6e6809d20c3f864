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
 *   X(NAME, value, "name", daemon, relay, xsk, observer, tap, tx, rx)
 *
 * NAME gives enum n2nk_reason's N2NK_NAME; value is 0 or negative and
 * rows are in order 0, -1, -2, ... (asserted below), so a per-CPU counter
 * array keeps a reason in slot -value (n2nk_reason_slot()); "name" is what
 * users see. The last columns are each layer's verdict for the reason:
 *
 *   __      the layer never gives this reason (N2NK_VERDICT_NONE)
 *   OK      delivered the normal way (only slot 0: relayed, handed to the
 *           daemon, seen as plaintext n2n, sent or received by the edge's
 *           kernel path; each layer names it itself)
 *   DROP    dropped and counted
 *   DMN     handed, unchanged, to the userspace daemon (AF_XDP, its UDP
 *           socket or the TAP fd) (N2NK_VERDICT_DAEMON)
 *   STK     passed, unchanged, to the kernel's network stack (XDP_PASS,
 *           TC_ACT_OK) (N2NK_VERDICT_STACK)
 *
 * The layers are the daemons (both roles), the XDP relay, the AF_XDP slow
 * path's frame check, the XDP observer, and the edge's kernel path: "tap"
 * (what leaves the TAP device: to the kernel's TX or to the daemon), "tx"
 * (the kernel's encapsulation and encryption) and "rx" (PACKETs arriving
 * on the underlay).
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
#define N2NK_REASONS(X)                                                                         \
/*NAME             value  "name"                daemon relay xsk obsrvr tap  tx    rx */       \
/* The normal way: slot 0, named by each layer (n2nk_layer_ok_name()). */                       \
X(OK,                 0, "ok",                     __,   OK,   OK,   OK,   OK,   OK,   OK)      \
/* Frames, before n2n: Ethernet, IP, UDP. */                                                    \
X(NOT_IP,            -1, "not_ip",                 __,   STK,  DROP, STK,  DMN,  __,   STK)     \
X(IPV6,              -2, "ipv6",                   __,   __,   DROP, __,   __,   __,   STK)     \
X(TRUNCATED_ETH,     -3, "truncated_eth",          __,   STK,  DROP, STK,  DMN,  DROP, STK)     \
X(TRUNCATED_IP,      -4, "truncated_ip",           __,   STK,  DROP, STK,  __,   __,   STK)     \
X(BAD_IP_HEADER,     -5, "bad_ip_header",          __,   STK,  DROP, STK,  __,   __,   STK)     \
X(IP_OPTIONS,        -6, "ip_options",             __,   STK,  DROP, __,   __,   __,   STK)     \
X(IP_FRAGMENT,       -7, "ip_fragment",            __,   STK,  DROP, STK,  __,   __,   STK)     \
X(IP_CHECKSUM,       -8, "ip_checksum",            __,   __,   DROP, __,   __,   __,   __)      \
X(IP_LENGTH,         -9, "ip_length",              __,   STK,  DROP, __,   __,   __,   STK)     \
X(NOT_UDP,          -10, "not_udp",                __,   STK,  DROP, STK,  __,   __,   STK)     \
X(TRUNCATED_UDP,    -11, "truncated_udp",          __,   STK,  DROP, STK,  __,   __,   STK)     \
X(UDP_LENGTH,       -12, "udp_length",             __,   STK,  DROP, __,   __,   __,   STK)     \
X(UDP_CHECKSUM,     -13, "udp_checksum",           __,   STK,  DROP, __,   __,   __,   __)      \
X(WRONG_PORT,       -14, "wrong_port",             __,   STK,  DROP, STK,  __,   __,   STK)     \
X(NOT_LOCAL,        -15, "not_local",              __,   STK,  DROP, __,   __,   __,   STK)     \
/* The n2n header. */                                                                           \
X(TRUNCATED_N2N,    -16, "truncated_n2n",          __,   STK,  __,   STK,  __,   __,   DMN)     \
X(HEADER_ENCRYPTED, -17, "header_encrypted",       __,   DMN,  __,   STK,  __,   __,   DMN)     \
X(NOT_PACKET,       -18, "not_packet",             __,   DMN,  __,   __,   __,   __,   DMN)     \
X(FROM_SUPERNODE,   -19, "from_supernode",         __,   DMN,  __,   __,   __,   __,   __)      \
X(HAS_SOCKET,       -20, "has_socket",             __,   DMN,  __,   __,   __,   __,   DMN)      \
X(MULTICAST_DEST,   -21, "multicast_dest",         __,   DMN,  __,   __,   DMN,  __,   DMN)     \
X(TTL_EXPIRED,      -22, "ttl_expired",            DROP, DROP, __,   __,   __,   __,   __)      \
/* Who sends, to whom. */                                                                       \
X(UNKNOWN_SENDER,   -23, "unknown_sender",         DROP, DMN,  __,   __,   __,   __,   DMN)     \
X(SPOOFED_SOURCE,   -24, "spoofed_source",         __,   DMN,  __,   __,   __,   __,   DMN)     \
X(UNKNOWN_DEST,     -25, "unknown_dest",           DROP, DMN,  __,   __,   DMN,  DROP, __)      \
X(EXPIRED_DEST,     -26, "expired_dest",           __,   DMN,  __,   __,   __,   __,   __)      \
/* Where the kernel would send it: the FIB and the frame's room. */                             \
X(NO_HEADROOM,      -27, "no_headroom",            __,   DMN,  __,   __,   __,   DROP, DMN)     \
X(NO_ROUTE,         -28, "no_route",               __,   DMN,  __,   __,   __,   __,   __)      \
X(NO_NEIGHBOUR,     -29, "no_neighbour",           __,   DMN,  __,   __,   __,   __,   __)      \
X(FRAG_NEEDED,      -30, "frag_needed",            __,   DMN,  __,   __,   DMN,  DROP, __)      \
X(FORWARDING_OFF,   -31, "forwarding_off",         __,   DMN,  __,   __,   __,   __,   __)      \
X(OTHER_INTERFACE,  -32, "other_interface",        __,   DMN,  __,   __,   __,   __,   __)      \
/* What only the daemon checks: decoding, keys, registrations. */                               \
X(MALFORMED,        -33, "malformed",              DROP, __,   __,   __,   __,   __,   DMN)      \
X(OVERSIZE,         -34, "oversize",               DROP, __,   __,   __,   __,   __,   __)      \
X(HEADER_KEY,       -35, "header_key",             DROP, DMN,  __,   __,   __,   __,   DMN)     \
X(STAMP,            -36, "stamp",                  DROP, DMN,  __,   __,   __,   __,   DMN)     \
X(PLAINTEXT_ON_HE,  -37, "plaintext_on_encrypted_community",                                    \
                                                   DROP, DROP, __,   __,   __,   __,   DMN)     \
X(COMMUNITY,        -38, "community",              DROP, __,   __,   __,   __,   __,   DMN)     \
X(NOT_REGISTERED,   -39, "not_registered",         DROP, __,   __,   __,   __,   __,   __)      \
X(UNKNOWN_SUPERNODE,-40, "unknown_supernode",      DROP, __,   __,   __,   __,   __,   DMN)     \
X(TRANSFORM,        -41, "transform",              DROP, __,   __,   __,   __,   DROP, DMN)     \
X(DECRYPT,          -42, "decrypt",                DROP, __,   __,   __,   __,   __,   DMN)     \
X(FILTERED,         -43, "filtered",               DROP, __,   __,   __,   DMN,  __,   DMN)     \
X(AUTH,             -44, "auth",                   DROP, __,   __,   __,   __,   __,   __)      \
X(UNEXPECTED,       -45, "unexpected",             DROP, __,   __,   __,   __,   __,   __)      \
X(SEND_FAILED,      -46, "send_failed",            DROP, __,   __,   __,   __,   __,   __)      \
X(TABLE_FULL,       -47, "table_full",             DROP, __,   __,   __,   __,   __,   __)      \
/* The edge data path (issue 9). */                                                             \
X(VLAN,             -48, "vlan",                   __,   __,   __,   __,   DMN,  __,   __)      \
X(COMPRESSED,       -49, "compressed",             __,   __,   __,   __,   __,   __,   DMN)     \
X(INNER_SOURCE,     -50, "inner_source",           DROP, __,   __,   __,   __,   __,   DMN)     \
X(MERGED,           -51, "merged_datagrams",       __,   __,   __,   __,   __,   __,   STK)     \
X(REWRITE_FAILED,   -52, "rewrite_failed",         __,   DROP, __,   __,   __,   __,   DROP)   \
/* Header encryption in the kernel (issue 10). */                                               \
X(REPLAYED,         -53, "replayed",               DROP, DROP, __,   __,   __,   __,   DROP)   \
/* Hardening (issue 11). */                                                                     \
X(IMPOSSIBLE_SOURCE,-54, "impossible_source",      __,   __,   DROP, __,   __,   __,   __)     \
X(BAD_EDGE_SOCKET,  -55, "bad_edge_socket",        DROP, __,   __,   __,   __,   __,   __)     \
X(SOURCE_LIMIT,     -56, "source_limit",           DROP, __,   __,   __,   __,   __,   __)     \
X(AUTO_IP_FULL,     -57, "auto_ip_full",           DROP, __,   __,   __,   __,   __,   __)     \
X(PUNCH_LIMIT,      -58, "punch_limit",            DROP, __,   __,   __,   __,   __,   __)     \
X(ANSWER_LIMIT,     -59, "answer_limit",           DROP, __,   __,   __,   __,   __,   __)     \
/* Per-peer sessions, -A6 (issue 12). */                                                        \
X(NO_SESSION,       -60, "no_session",             DROP, __,   __,   __,   DMN,  __,   DMN)     \
X(AEAD_TAG,         -61, "aead_tag",               DROP, __,   __,   __,   __,   __,   DROP)    \
X(HANDSHAKE,        -62, "handshake",              DROP, __,   __,   __,   __,   __,   __)      \
X(HANDSHAKE_LIMIT,  -63, "handshake_limit",        DROP, __,   __,   __,   __,   __,   __)      \
X(KEEPALIVE,        -64, "keepalive",              __,   __,   __,   __,   __,   __,   DMN)     \
X(SESSION_CONTROL,  -65, "session_control",        __,   __,   __,   __,   DMN,  __,   DMN)      \
/* The relay, IPv6 and checksums (issue 13). */                                                 \
X(CHECKSUM_PARTIAL, -66, "checksum_partial",       __,   DMN,  __,   __,   __,   __,   __)      \
X(OTHER_FAMILY,     -67, "other_family",           __,   DMN,  __,   __,   __,   __,   __)      \
/* TCP to the supernode, -S2 (issue 14). */                                                     \
X(TCP_CONN_LIMIT,   -68, "tcp_conn_limit",         DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_SOURCE_LIMIT, -69, "tcp_source_limit",       DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_TIMEOUT,      -70, "tcp_timeout",            DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_PARTIAL,      -71, "tcp_partial_frame",      DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_FRAME_SIZE,   -72, "tcp_frame_size",         DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_QUEUE_FULL,   -73, "tcp_queue_full",         DROP, __,   __,   __,   __,   __,   __)      \
X(TCP_DOWN,         -74, "tcp_not_connected",      DROP, __,   __,   __,   __,   __,   __)      \
X(CONTROL_FRAME,    -75, "control_frame",          __,   __,   __,   __,   __,   __,   DMN)
/* clang-format on */

/*
 * What each reason means, in the order of the rows:
 *
 * OK                the layer's normal way (see the verdicts above).
 * NOT_IP            EtherType neither IPv4 nor IPv6 (VLAN tags are not
 *                   looked through).
 * IPV6              IPv6, which the layer does not handle (the relay
 *                   does since issue 13 and no longer gives it).
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
 * UDP_CHECKSUM      a non-zero UDP checksum is wrong; at the relay, an
 *                   IPv6 datagram without one (0, which RFC 8200
 *                   forbids): the stack drops it.
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
 * HEADER_KEY        no community key decrypts the header (the relay: not
 *                   the key of the community the sender registered in,
 *                   or a wrong checksum; the daemon tries every key).
 * STAMP             header time stamp out of its 16 s window, or (the
 *                   daemon) replayed.
 * PLAINTEXT_ON_HE   plaintext for a header-encrypted community.
 * COMMUNITY         another community, or one not allowed here.
 * NOT_REGISTERED    edge: before the first REGISTER_SUPER_ACK.
 * UNKNOWN_SUPERNODE "from supernode", but not from one we know.
 * TRANSFORM         the PACKET's transform is not the community's.
 * DECRYPT           the payload does not decrypt or decompress.
 * FILTERED          multicast without -E, a foreign IP without -r, a
 *                   -R traffic rule.
 * AUTH              registration token mismatch (spoofing).
 * UNEXPECTED        a valid message this role ignores here.
 * SEND_FAILED       the kernel refused to send it.
 * TABLE_FULL        too many communities, edges or peers.
 * VLAN              a VLAN-tagged frame: the daemon sends it.
 * COMPRESSED        a compressed PACKET (-z): the daemon inflates it.
 * INNER_SOURCE      the decrypted frame's source MAC is not the PACKET's
 *                   srcMac (a forgery, or garbage that "decrypted"); the
 *                   daemon (-A6): a GROUP frame whose frame inside is not
 *                   from its sender to its group address.
 * MERGED_DATAGRAMS  several datagrams merged into one skb (GRO, a
 *                   UDP_SEGMENT sender over veth): the stack splits them
 *                   for the daemon's socket.
 * NO_SESSION        -A6: a data frame under a receiver index no session
 *                   of ours has (expired, from before a restart, or made
 *                   up); the kernel path hands it to the daemon, which
 *                   drops it and starts a handshake when the sender is a
 *                   peer it knows.
 * AEAD_TAG          -A6: the Poly1305 tag does not verify (a forged,
 *                   bit-flipped or rewritten frame, or a wrong key).
 * HANDSHAKE         -A6: a handshake message that does not verify (mac1,
 *                   wrong community key or identity, a pinned peer's new
 *                   key, a stale time stamp, a bad cookie).
 * HANDSHAKE_LIMIT   -A6: over the handshake budget (per peer, per second
 *                   overall), answered with a cookie or not at all.
 * KEEPALIVE         -A6: an empty data frame (a keepalive or the
 *                   initiator's confirmation); the kernel path leaves it
 *                   to the daemon, which keeps its own replay window for
 *                   these (a keepalive and a data frame never share a
 *                   counter: the tag covers the length).
 * SESSION_CONTROL   -A6: handshake, cookie, key query and group frames
 *                   (and, from the TAP, frames to a group MAC): the
 *                   daemon's.
 * REWRITE_FAILED    a helper failed after the frame was cut to the inner
 *                   frame (the relay: rewritten, or opened under -H),
 *                   which can then go nowhere whole.
 * REPLAYED          -H: the header's stamp is not newer than the last one
 *                   the kernel took from that sender (less reordering;
 *                   at the relay: the last one it accepted from that
 *                   edge); dropped there, wherever that record is: the
 *                   daemon's record does not know what the kernel took.
 *                   -A6: the frame's counter is below the session's
 *                   replay window or was seen already (after its tag
 *                   verified: a forgery cannot move the window).
 * IMPOSSIBLE_SOURCE a source no host can send from or be answered at
 *                   (0/8, 127/8, multicast and 240/4 with the broadcast
 *                   address, port 0, or our own address), which the
 *                   kernel's stack would have dropped as martian: the
 *                   AF_XDP check drops it (the supernode refuses such a
 *                   socket for an edge as BAD_EDGE_SOCKET).
 * BAD_EDGE_SOCKET   supernode: a REGISTER_SUPER from a socket no edge can
 *                   have (loopback, 0/8, multicast, 240/4, broadcast, port
 *                   0, our own listening socket, a federation member's).
 * SOURCE_LIMIT      supernode: a broadcast copy not sent to an edge's
 *                   socket: that socket or IP had its share of this
 *                   broadcast (once per socket, SN_MAX_BCAST_PER_IP per
 *                   address), however many edges registered there; or
 *                   an answer to a supernode not yet a federation member
 *                   beyond the rate (sn_federation.c).
 * AUTO_IP_FULL      supernode: no address left in the community's auto-IP
 *                   subnet; the registration is NAKed.
 * PUNCH_LIMIT       edge: a punch (direct REGISTER) to a path not yet
 *                   proved not sent: the edge's punches went over their
 *                   global rate (relayed REGISTERs with made-up MACs
 *                   must not turn it into a reflector).
 * CHECKSUM_PARTIAL  the relay: the UDP checksum field holds only the
 *                   pseudo-header sum, as a sender on this host leaves
 *                   it for an offload to finish (a socket over veth);
 *                   finishing it takes a sum over the whole datagram,
 *                   which the relay does not read: the daemon relays it
 *                   (frames from a wire always carry a full checksum).
 * OTHER_FAMILY      the relay: sender and destination edge registered
 *                   over different IP families (IPv4 to IPv6 or back):
 *                   the daemon relays it through its socket.
 * ANSWER_LIMIT      supernode: an answer (REGISTER_SUPER_ACK/NAK, PONG,
 *                   PEER_INFO) not sent: its destination address had its
 *                   share (SN_ANSWERS_PER_S); requests can be spoofed.
 * TCP_CONN_LIMIT    supernode: a TCP connection (-S2) refused, closed at
 *                   once: SN_TCP_MAX_CONNS are open.
 * TCP_SOURCE_LIMIT  supernode: a TCP connection refused: its source
 *                   address has SN_TCP_MAX_PER_IP open.
 * TCP_TIMEOUT       supernode: a TCP connection closed: no registration
 *                   accepted within SN_TCP_HELLO_MS of its opening, or
 *                   nothing valid for SN_TCP_IDLE_MS after one.
 * TCP_PARTIAL       supernode: a TCP connection closed: a frame (its
 *                   length or body) began and did not end within
 *                   SN_TCP_PARTIAL_MS (slowloris).
 * TCP_FRAME_SIZE    a TCP frame's length above 2048 (n2n's rule): the
 *                   connection is closed. (A shorter frame than an n2n
 *                   header, empty included, is handled as a datagram that
 *                   short: dropped and counted by the receive path.)
 * TCP_QUEUE_FULL    a frame not sent over TCP: the connection's send queue
 *                   (bytes the peer has not read yet) is full.
 * TCP_DOWN          edge: a frame for the supernode not sent: its TCP
 *                   connection is down (waiting to reconnect).
 * CONTROL_FRAME     edge kernel path: a PACKET whose decrypted frame is one
 *                   of n2nk's own edge-to-edge control frames (EtherType
 *                   N2NK_ETH_P_CONTROL: birthday-probing plans), resealed
 *                   and handed to the daemon, which reads them; never to
 *                   the TAP.
 */

enum n2nk_verdict {
	N2NK_VERDICT_NONE,
	N2NK_VERDICT_OK,
	N2NK_VERDICT_DROP,
	N2NK_VERDICT_DAEMON,
	N2NK_VERDICT_STACK,
};

/* The table's short spellings of the verdicts. */
#define N2NK_V___   N2NK_VERDICT_NONE
#define N2NK_V_OK   N2NK_VERDICT_OK
#define N2NK_V_DROP N2NK_VERDICT_DROP
#define N2NK_V_DMN  N2NK_VERDICT_DAEMON
#define N2NK_V_STK  N2NK_VERDICT_STACK

enum n2nk_reason {
#define N2NK_REASON_ENUM_(n, v, s, d, r, x, o, ta, tx, rx) N2NK_##n = (v),
	N2NK_REASONS(N2NK_REASON_ENUM_)
#undef N2NK_REASON_ENUM_
};

/* Rows in order, counted: slot numbers 0 .. N2NK_REASON_SLOTS - 1. */
enum n2nk_reason_row {
#define N2NK_REASON_ROW_(n, v, s, d, r, x, o, ta, tx, rx) N2NK_ROW_##n,
	N2NK_REASONS(N2NK_REASON_ROW_)
#undef N2NK_REASON_ROW_
	N2NK_REASON_SLOTS
};

#define N2NK_REASON_ORDER_(n, v, s, d, r, x, o, ta, tx, rx) \
	_Static_assert((v) == -(int)N2NK_ROW_##n,           \
		       "N2NK_REASONS: " #n " is not the next value");
N2NK_REASONS(N2NK_REASON_ORDER_)
#undef N2NK_REASON_ORDER_

/* A verdict that is OK exactly in slot 0 (or never given). */
#define N2NK_OK_ONLY_IN_SLOT0_(v, t)                      \
	(((v) == 0) == (N2NK_V_##t == N2NK_VERDICT_OK) || \
	 N2NK_V_##t == N2NK_VERDICT_NONE)

/*
 * The verdicts follow the rules above: OK only in slot 0; the daemon only
 * drops; the slow path's frame check delivers or drops; the edge's "tap"
 * layer only hands frames to the kernel's TX or to the daemon, and "tx",
 * past the point of return, sends or drops.
 */
#define N2NK_REASON_RULES_(n, v, s, d, r, x, o, ta, tx, rx)                  \
	_Static_assert(N2NK_OK_ONLY_IN_SLOT0_(v, r) &&                       \
			       N2NK_OK_ONLY_IN_SLOT0_(v, x) &&               \
			       N2NK_OK_ONLY_IN_SLOT0_(v, o) &&               \
			       N2NK_OK_ONLY_IN_SLOT0_(v, ta) &&              \
			       N2NK_OK_ONLY_IN_SLOT0_(v, tx) &&              \
			       N2NK_OK_ONLY_IN_SLOT0_(v, rx),                \
		       "N2NK_REASONS: " #n ": OK is slot 0's verdict only"); \
	_Static_assert(N2NK_V_##d == N2NK_VERDICT_NONE ||                    \
			       N2NK_V_##d == N2NK_VERDICT_DROP,              \
		       "N2NK_REASONS: " #n ": the daemon only drops");       \
	_Static_assert(N2NK_V_##x != N2NK_VERDICT_DAEMON &&                  \
			       N2NK_V_##x != N2NK_VERDICT_STACK,             \
		       "N2NK_REASONS: " #n                                   \
		       ": the slow path delivers or drops");                 \
	_Static_assert(N2NK_V_##ta != N2NK_VERDICT_DROP &&                   \
			       N2NK_V_##ta != N2NK_VERDICT_STACK,            \
		       "N2NK_REASONS: " #n ": tap only hands on");           \
	_Static_assert(N2NK_V_##tx != N2NK_VERDICT_DAEMON &&                 \
			       N2NK_V_##tx != N2NK_VERDICT_STACK,            \
		       "N2NK_REASONS: " #n ": tx sends or drops");
N2NK_REASONS(N2NK_REASON_RULES_)
#undef N2NK_REASON_RULES_

/* The layers that count reasons: one verdict column each. */
enum n2nk_layer {
	N2NK_LAYER_DAEMON,   /* the daemons' slow path, both roles */
	N2NK_LAYER_RELAY,    /* bpf/xdp_relay.bpf.c */
	N2NK_LAYER_XSK,	     /* daemon/kernel/xsk.c's frame check */
	N2NK_LAYER_OBSERVER, /* bpf/xdp_n2n_count.bpf.c */
	N2NK_LAYER_EDGE_TAP, /* bpf/edge.bpf.c: frames leaving the TAP */
	N2NK_LAYER_EDGE_TX,  /* bpf/edge.bpf.c: encapsulation, encryption */
	N2NK_LAYER_EDGE_RX,  /* bpf/edge.bpf.c: PACKETs from the underlay */
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
#define N2NK_REASON_VERDICT_(n, v, s, d, r, x, o, ta, tx, rx) \
	case (v):                                             \
		switch (layer) {                              \
		case N2NK_LAYER_DAEMON:                       \
			return N2NK_V_##d;                    \
		case N2NK_LAYER_RELAY:                        \
			return N2NK_V_##r;                    \
		case N2NK_LAYER_XSK:                          \
			return N2NK_V_##x;                    \
		case N2NK_LAYER_OBSERVER:                     \
			return N2NK_V_##o;                    \
		case N2NK_LAYER_EDGE_TAP:                     \
			return N2NK_V_##ta;                   \
		case N2NK_LAYER_EDGE_TX:                      \
			return N2NK_V_##tx;                   \
		case N2NK_LAYER_EDGE_RX:                      \
			return N2NK_V_##rx;                   \
		}                                             \
		return N2NK_VERDICT_DROP;
		N2NK_REASONS(N2NK_REASON_VERDICT_)
#undef N2NK_REASON_VERDICT_
	}
	return N2NK_VERDICT_DROP;
}

/* The reason's name as users see it; "unknown" for a value that is none. */
static inline const char *n2nk_reason_name(int reason)
{
	switch (reason) {
#define N2NK_REASON_NAME_(n, v, s, d, r, x, o, ta, tx, rx) \
	case (v):                                          \
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
	case N2NK_LAYER_EDGE_TAP:
		return "tc_tap_";
	case N2NK_LAYER_EDGE_TX:
		return "tc_tx_";
	case N2NK_LAYER_EDGE_RX:
		return "tc_rx_";
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
	case N2NK_LAYER_EDGE_TAP:
		return "fast_path";
	case N2NK_LAYER_EDGE_TX:
		return "sent";
	case N2NK_LAYER_EDGE_RX:
		return "delivered";
	}
	return "ok";
}

#endif /* N2NK_REASONS_H */
