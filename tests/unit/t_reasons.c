// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reason table (include/n2nk_reasons.h): one name per event, unique
 * and stable, and a verdict for every value a layer can meet; a value that
 * is no reason is dropped, never let through.
 */
#include <stdio.h>
#include <string.h>

#include "n2nk_reasons.h"
#include "test.h"

static const enum n2nk_layer layers[] = {
	N2NK_LAYER_DAEMON,   N2NK_LAYER_RELAY,	  N2NK_LAYER_XSK,
	N2NK_LAYER_OBSERVER, N2NK_LAYER_EDGE_TAP, N2NK_LAYER_EDGE_TX,
	N2NK_LAYER_EDGE_RX,
};

#define N_LAYERS (sizeof(layers) / sizeof(layers[0]))

TEST(reasons_have_unique_names)
{
	int a, b;

	for (a = 0; a < N2NK_REASON_SLOTS; a++) {
		const char *n = n2nk_reason_name(-a);

		CHECK_MSG(n && *n && strcmp(n, "unknown"), "slot %d", a);
		CHECK_MSG(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
				  strlen(n),
			  "%s: not a counter name", n);
		for (b = 0; b < a; b++)
			CHECK_MSG(strcmp(n, n2nk_reason_name(-b)), "%s twice",
				  n);
	}
}

TEST(reasons_outside_the_table_are_dropped)
{
	static const int outside[] = { 1, -N2NK_REASON_SLOTS, -1000, 1000 };
	size_t i, l;

	for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		CHECK(!strcmp(n2nk_reason_name(outside[i]), "unknown"));
		for (l = 0; l < N_LAYERS; l++)
			CHECK_EQ(n2nk_verdict(layers[l], outside[i]),
				 N2NK_VERDICT_DROP);
	}
}

/*
 * The whole table as users see it: every name is an n2nctl counter that
 * scripts read (docs/n2nctl.md) and every value a slot of a pinned
 * counter map (include/n2nk_reasons.h). A row renamed, swapped, inserted
 * or removed must change this list too, on purpose.
 */
static const struct {
	enum n2nk_reason reason;
	int value;
	const char *name;
} golden[] = {
	{ N2NK_OK, 0, "ok" },
	{ N2NK_NOT_IP, -1, "not_ip" },
	{ N2NK_IPV6, -2, "ipv6" },
	{ N2NK_TRUNCATED_ETH, -3, "truncated_eth" },
	{ N2NK_TRUNCATED_IP, -4, "truncated_ip" },
	{ N2NK_BAD_IP_HEADER, -5, "bad_ip_header" },
	{ N2NK_IP_OPTIONS, -6, "ip_options" },
	{ N2NK_IP_FRAGMENT, -7, "ip_fragment" },
	{ N2NK_IP_CHECKSUM, -8, "ip_checksum" },
	{ N2NK_IP_LENGTH, -9, "ip_length" },
	{ N2NK_NOT_UDP, -10, "not_udp" },
	{ N2NK_TRUNCATED_UDP, -11, "truncated_udp" },
	{ N2NK_UDP_LENGTH, -12, "udp_length" },
	{ N2NK_UDP_CHECKSUM, -13, "udp_checksum" },
	{ N2NK_WRONG_PORT, -14, "wrong_port" },
	{ N2NK_NOT_LOCAL, -15, "not_local" },
	{ N2NK_TRUNCATED_N2N, -16, "truncated_n2n" },
	{ N2NK_HEADER_ENCRYPTED, -17, "header_encrypted" },
	{ N2NK_NOT_PACKET, -18, "not_packet" },
	{ N2NK_FROM_SUPERNODE, -19, "from_supernode" },
	{ N2NK_HAS_SOCKET, -20, "has_socket" },
	{ N2NK_MULTICAST_DEST, -21, "multicast_dest" },
	{ N2NK_TTL_EXPIRED, -22, "ttl_expired" },
	{ N2NK_UNKNOWN_SENDER, -23, "unknown_sender" },
	{ N2NK_SPOOFED_SOURCE, -24, "spoofed_source" },
	{ N2NK_UNKNOWN_DEST, -25, "unknown_dest" },
	{ N2NK_EXPIRED_DEST, -26, "expired_dest" },
	{ N2NK_NO_HEADROOM, -27, "no_headroom" },
	{ N2NK_NO_ROUTE, -28, "no_route" },
	{ N2NK_NO_NEIGHBOUR, -29, "no_neighbour" },
	{ N2NK_FRAG_NEEDED, -30, "frag_needed" },
	{ N2NK_FORWARDING_OFF, -31, "forwarding_off" },
	{ N2NK_OTHER_INTERFACE, -32, "other_interface" },
	{ N2NK_MALFORMED, -33, "malformed" },
	{ N2NK_OVERSIZE, -34, "oversize" },
	{ N2NK_HEADER_KEY, -35, "header_key" },
	{ N2NK_STAMP, -36, "stamp" },
	{ N2NK_PLAINTEXT_ON_HE, -37, "plaintext_on_encrypted_community" },
	{ N2NK_COMMUNITY, -38, "community" },
	{ N2NK_NOT_REGISTERED, -39, "not_registered" },
	{ N2NK_UNKNOWN_SUPERNODE, -40, "unknown_supernode" },
	{ N2NK_TRANSFORM, -41, "transform" },
	{ N2NK_DECRYPT, -42, "decrypt" },
	{ N2NK_FILTERED, -43, "filtered" },
	{ N2NK_AUTH, -44, "auth" },
	{ N2NK_UNEXPECTED, -45, "unexpected" },
	{ N2NK_SEND_FAILED, -46, "send_failed" },
	{ N2NK_TABLE_FULL, -47, "table_full" },
	{ N2NK_VLAN, -48, "vlan" },
	{ N2NK_COMPRESSED, -49, "compressed" },
	{ N2NK_INNER_SOURCE, -50, "inner_source" },
	{ N2NK_MERGED, -51, "merged_datagrams" },
	{ N2NK_REWRITE_FAILED, -52, "rewrite_failed" },
	{ N2NK_REPLAYED, -53, "replayed" },
	{ N2NK_IMPOSSIBLE_SOURCE, -54, "impossible_source" },
	{ N2NK_BAD_EDGE_SOCKET, -55, "bad_edge_socket" },
	{ N2NK_SOURCE_LIMIT, -56, "source_limit" },
	{ N2NK_AUTO_IP_FULL, -57, "auto_ip_full" },
	{ N2NK_PUNCH_LIMIT, -58, "punch_limit" },
	{ N2NK_ANSWER_LIMIT, -59, "answer_limit" },
	{ N2NK_NO_SESSION, -60, "no_session" },
	{ N2NK_AEAD_TAG, -61, "aead_tag" },
	{ N2NK_HANDSHAKE, -62, "handshake" },
	{ N2NK_HANDSHAKE_LIMIT, -63, "handshake_limit" },
	{ N2NK_KEEPALIVE, -64, "keepalive" },
	{ N2NK_SESSION_CONTROL, -65, "session_control" },
	{ N2NK_CHECKSUM_PARTIAL, -66, "checksum_partial" },
	{ N2NK_OTHER_FAMILY, -67, "other_family" },
	{ N2NK_TCP_CONN_LIMIT, -68, "tcp_conn_limit" },
	{ N2NK_TCP_SOURCE_LIMIT, -69, "tcp_source_limit" },
	{ N2NK_TCP_TIMEOUT, -70, "tcp_timeout" },
	{ N2NK_TCP_PARTIAL, -71, "tcp_partial_frame" },
	{ N2NK_TCP_FRAME_SIZE, -72, "tcp_frame_size" },
	{ N2NK_TCP_QUEUE_FULL, -73, "tcp_queue_full" },
	{ N2NK_TCP_DOWN, -74, "tcp_not_connected" },
	{ N2NK_CONTROL_FRAME, -75, "control_frame" },
};

#define N_GOLDEN (sizeof(golden) / sizeof(golden[0]))

TEST(reason_names_and_values_are_stable)
{
	size_t i;

	CHECK_EQ(N2NK_REASON_SLOTS, (int)N_GOLDEN);
	for (i = 0; i < N_GOLDEN; i++) {
		CHECK_MSG(golden[i].reason == golden[i].value,
			  "%s: %d, want %d", golden[i].name, golden[i].reason,
			  golden[i].value);
		CHECK_MSG(!strcmp(n2nk_reason_name(golden[i].value),
				  golden[i].name),
			  "value %d: %s, want %s", golden[i].value,
			  n2nk_reason_name(golden[i].value), golden[i].name);
	}
	CHECK(!strcmp(n2nk_layer_ok_name(N2NK_LAYER_DAEMON), "ok"));
	CHECK(!strcmp(n2nk_layer_ok_name(N2NK_LAYER_RELAY), "relayed"));
	CHECK(!strcmp(n2nk_layer_ok_name(N2NK_LAYER_XSK), "delivered"));
	CHECK(!strcmp(n2nk_layer_ok_name(N2NK_LAYER_OBSERVER),
		      "n2n_plaintext"));
}

TEST(every_layer_gives_some_reasons)
{
	int slot, seen[N_LAYERS] = { 0 };
	size_t l;

	for (l = 0; l < N_LAYERS; l++)
		for (slot = 1; slot < N2NK_REASON_SLOTS; slot++)
			seen[l] += n2nk_verdict(layers[l], -slot) !=
				   N2NK_VERDICT_NONE;
	for (l = 0; l < N_LAYERS; l++)
		CHECK_MSG(seen[l] > 0, "layer %zu has no reason", l);
	/* The same event, the same verdict where two layers meet it. */
	CHECK_EQ(n2nk_verdict(N2NK_LAYER_DAEMON, N2NK_TTL_EXPIRED),
		 N2NK_VERDICT_DROP);
	CHECK_EQ(n2nk_verdict(N2NK_LAYER_RELAY, N2NK_TTL_EXPIRED),
		 N2NK_VERDICT_DROP);
}
