// SPDX-License-Identifier: GPL-2.0-only
/*
 * Drives daemon/kernel/tap.c and daemon/kernel/netlink.c the way the edge will, inside a
 * throwaway namespace, printing one "step: result" line per call for
 * tests/netns/test_tap_netlink.sh to check.
 *   tap_netlink_probe             configure n2nktest0, trade an ARP over the
 *                                 TAP, print "ready", wait for EOF on stdin
 *                                 (the script looks with ip), then delete
 *   tap_netlink_probe open NAME   tap_open(NAME) alone, prints the real name
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/mac.h"
#include "kernel/netlink.h"
#include "kernel/tap.h"

#define TAP_NAME   "n2nktest0"
#define MTU	   1390
#define ADDR	   0xc6136301u /* 198.19.99.1/24 */
#define PEER	   0xc6136302u /* 198.19.99.2, answered by the probe */
#define GATEWAY	   0xc61363feu /* 198.19.99.254 */
#define ROUTE_DST  0xc6136400u /* 198.19.100.0/24 */
#define OFFLINK_GW 0xc6133201u /* 198.19.50.1, not on the link */
#define ETH_ARP	   0x0806
#define ETH_IPV4   0x0800

static const uint8_t our_mac[MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t peer_mac[MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0xbb };

static const char *err_name(int ret)
{
	const char *name = strerrorname_np(-ret);

	return name ? name : "?";
}

/* Prints "step: 0" or "step: -EFOO (libnl and kernel text)". */
static int report(struct netlink_ctx *nl, const char *step, int ret)
{
	if (ret >= 0)
		printf("%s: %d\n", step, ret);
	else if (nl)
		printf("%s: -%s (%s)\n", step, err_name(ret),
		       netlink_last_error(nl));
	else
		printf("%s: -%s\n", step, err_name(ret));
	return ret;
}

static int open_only(const char *name)
{
	char actual[IFNAMSIZ];
	int fd = tap_open(name, actual);

	if (fd < 0) {
		report(NULL, "open", fd);
		return 1;
	}
	printf("open: %s\n", actual);
	close(fd);
	return 0;
}

/* The next frame of the given EtherType within two seconds, else -ETIME. */
static ssize_t read_frame(int fd, uint16_t type, uint8_t *buf, size_t cap)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (poll(&pfd, 1, 2000) > 0) {
		while ((n = tap_read(fd, buf, cap)) > 0) {
			if (n >= 14 && get_be16(buf + 12) == type)
				return n;
		}
		if (n != -EAGAIN)
			return n;
	}
	return -ETIME;
}

/* An ARP reply for PEER from peer_mac, as a neighbour on the wire would. */
static size_t build_arp_reply(uint8_t *f)
{
	mac_copy(f, our_mac);
	mac_copy(f + MAC_SIZE, peer_mac);
	put_be16(f + 12, ETH_ARP);
	put_be16(f + 14, 1);	    /* Ethernet */
	put_be16(f + 16, ETH_IPV4); /* IPv4 */
	f[18] = MAC_SIZE;
	f[19] = 4;
	put_be16(f + 20, 2); /* reply */
	mac_copy(f + 22, peer_mac);
	put_be32(f + 28, PEER);
	mac_copy(f + 32, our_mac);
	put_be32(f + 38, ADDR);
	return 42;
}

/*
 * A datagram to PEER makes the kernel ARP for it out of the TAP (tap_read);
 * our reply (tap_write) lets the queued datagram go to peer_mac.
 */
static void trade_arp(int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(PEER) };
	uint8_t frame[2048];
	char mac[MAC_STR_MAX];
	ssize_t n;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || sendto(s, "x", 1, 0, (void *)&to, sizeof(to)) < 0)
		report(NULL, "udp send", -errno);
	n = read_frame(fd, ETH_ARP, frame, sizeof(frame));
	if (n >= 42 && get_be16(frame + 20) == 1 &&
	    get_be32(frame + 38) == PEER)
		printf("tap read arp request: from %s for 198.19.99.2\n",
		       mac_str(frame + MAC_SIZE, mac));
	else
		report(NULL, "tap read arp request", n < 0 ? (int)n : -EPROTO);
	report(NULL, "tap write arp reply",
	       (int)tap_write(fd, frame, build_arp_reply(frame)));
	n = read_frame(fd, ETH_IPV4, frame, sizeof(frame));
	if (n >= 14)
		printf("tap read ipv4 to peer mac: %s\n",
		       mac_equal(frame, peer_mac) ? "yes" : "no");
	else
		report(NULL, "tap read ipv4 to peer mac", (int)n);
	if (s >= 0)
		close(s);
}

static void print_link(struct netlink_ctx *nl)
{
	struct netlink_link l;
	char mac[MAC_STR_MAX];

	if (report(nl, "get link", netlink_get_link(nl, TAP_NAME, &l)))
		return;
	printf("link: ifindex %s mac %s mtu %u %s\n",
	       l.ifindex > 0 ? "ok" : "bad", mac_str(l.mac, mac), l.mtu,
	       l.up ? "up" : "down");
}

/* The link, its address and route, and the errors the edge must expect. */
static void configure(struct netlink_ctx *nl, int fd)
{
	char actual[IFNAMSIZ];
	uint8_t buf[2048];
	int fd2 = tap_open(TAP_NAME, actual);

	report(NULL, "tap open again", fd2);
	if (fd2 >= 0)
		close(fd2);
	report(NULL, "tap read while down",
	       (int)tap_read(fd, buf, sizeof(buf)));
	report(nl, "set mac", netlink_set_mac(nl, TAP_NAME, our_mac));
	report(nl, "set mtu", netlink_set_mtu(nl, TAP_NAME, MTU));
	report(nl, "set mtu 20", netlink_set_mtu(nl, TAP_NAME, 20));
	report(nl, "set up", netlink_set_up(nl, TAP_NAME, true));
	report(nl, "set mac on missing link",
	       netlink_set_mac(nl, "n2nk-nope", our_mac));
	report(nl, "add addr", netlink_add_addr4(nl, TAP_NAME, ADDR, 24));
	report(nl, "add addr again", netlink_add_addr4(nl, TAP_NAME, ADDR, 24));
	report(nl, "add addr prefix 33",
	       netlink_add_addr4(nl, TAP_NAME, ADDR, 33));
	report(nl, "add route",
	       netlink_add_route4(nl, TAP_NAME, ROUTE_DST, 24, GATEWAY));
	report(nl, "add route again",
	       netlink_add_route4(nl, TAP_NAME, ROUTE_DST, 24, GATEWAY));
	report(nl, "add route off-link gateway",
	       netlink_add_route4(nl, TAP_NAME, ROUTE_DST, 24, OFFLINK_GW));
	print_link(nl);
	trade_arp(fd);
}

static void unconfigure(struct netlink_ctx *nl)
{
	report(nl, "del route",
	       netlink_del_route4(nl, TAP_NAME, ROUTE_DST, 24, GATEWAY));
	report(nl, "del route again",
	       netlink_del_route4(nl, TAP_NAME, ROUTE_DST, 24, GATEWAY));
	report(nl, "del addr", netlink_del_addr4(nl, TAP_NAME, ADDR, 24));
	report(nl, "del addr again", netlink_del_addr4(nl, TAP_NAME, ADDR, 24));
	report(nl, "set down", netlink_set_up(nl, TAP_NAME, false));
	print_link(nl);
}

int main(int argc, char **argv)
{
	struct netlink_ctx nl;
	char actual[IFNAMSIZ], c;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "open"))
		return open_only(argv[2]);
	fd = tap_open(TAP_NAME, actual);
	if (report(NULL, "tap open", fd < 0 ? fd : 0) ||
	    report(NULL, "netlink open", netlink_open(&nl)))
		return 1;
	printf("tap: %s nonblock %s cloexec %s\n", actual,
	       fcntl(fd, F_GETFL) & O_NONBLOCK ? "yes" : "no",
	       fcntl(fd, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
	configure(&nl, fd);
	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	unconfigure(&nl);
	netlink_close(&nl);
	close(fd);
	return 0;
}
