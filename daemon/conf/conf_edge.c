// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge's options (n2n 3.1.1 src/edge.c: setOption, long_options) into
 * struct edge_conf: one small setter per option, then the checks and
 * derived defaults n2n applies in main() and edge_verify_conf().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mac.h"
#include "conf.h"
#include "n2nk_session.h"
#include "edge/mss_clamp.h"
#include "proto/compress.h"
#include "proto/transform.h"

enum edge_long_only {
	OPT_LONG_HELP = 256,
	OPT_SELECT_RTT,
	OPT_SELECT_MAC,
	OPT_MGMT_PASSWORD,
	OPT_DATAPATH,
	OPT_CTL_SOCKET,
	OPT_METRICS,
	OPT_METRICS_NAMES,
	OPT_MSS_CLAMP,
	OPT_NAT_PROBE,
	OPT_PIN_ROOT,
	OPT_KERNEL_UNLOAD,
	OPT_KERNEL_HOLD,
	OPT_IDENTITY,
	OPT_NO_PORT_FORWARDING,
};

/*
 * n2n's getopt string "k:a:c:Eu:g:m:M:s:d:l:p:fvVhrt:i:I:J:P:S::DL:z::A::H
 * n:R:e:T:" (less -s, which n2n lists but rejects), plus long options.
 */
static const struct conf_option edge_options[] = {
	{ 'A', NULL, CONF_ARG_OPTIONAL, "AES" },
	{ 'D', NULL, CONF_ARG_NONE, NULL },
	{ 'E', NULL, CONF_ARG_NONE, NULL },
	{ 'H', NULL, CONF_ARG_NONE, NULL },
	{ 'I', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'J', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'L', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'M', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'P', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'R', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'S', NULL, CONF_ARG_OPTIONAL, "-S1 relay only, -S2 over TCP" },
	{ 'T', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'V', NULL, CONF_ARG_NONE, NULL },
	{ 'a', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'c', "community", CONF_ARG_REQUIRED, NULL },
	{ 'd', "tap-device", CONF_ARG_REQUIRED, NULL },
	{ 'e', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'f', NULL, CONF_ARG_NONE, NULL },
	{ 'g', "egid", CONF_ARG_REQUIRED, NULL },
	{ 'h', NULL, CONF_ARG_NONE, NULL },
	{ 'i', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'k', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'l', "supernode-list", CONF_ARG_REQUIRED, NULL },
	{ 'm', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'n', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'p', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'r', NULL, CONF_ARG_NONE, NULL },
	{ 't', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'u', "euid", CONF_ARG_REQUIRED, NULL },
	{ 'v', "verbose", CONF_ARG_NONE, NULL },
	{ 'z', NULL, CONF_ARG_OPTIONAL, "LZO" },
	{ OPT_LONG_HELP, "help", CONF_ARG_NONE, NULL },
	{ OPT_SELECT_RTT, "select-rtt", CONF_ARG_NONE, NULL },
	{ OPT_SELECT_MAC, "select-mac", CONF_ARG_NONE, NULL },
	{ OPT_MGMT_PASSWORD, "management-password", CONF_ARG_REQUIRED, NULL },
	{ OPT_DATAPATH, "datapath", CONF_ARG_REQUIRED, NULL },
	{ OPT_CTL_SOCKET, "ctl-socket", CONF_ARG_REQUIRED, NULL },
	{ OPT_METRICS, "metrics", CONF_ARG_REQUIRED, NULL },
	{ OPT_METRICS_NAMES, "metrics-community-names", CONF_ARG_NONE, NULL },
	{ OPT_MSS_CLAMP, "mss-clamp", CONF_ARG_REQUIRED, NULL },
	{ OPT_NAT_PROBE, "nat-probe", CONF_ARG_REQUIRED, NULL },
	{ OPT_PIN_ROOT, "pin-root", CONF_ARG_REQUIRED, NULL },
	{ OPT_IDENTITY, "identity", CONF_ARG_REQUIRED, NULL },
	{ OPT_KERNEL_UNLOAD, "kernel-unload", CONF_ARG_NONE, NULL },
	{ OPT_KERNEL_HOLD, "kernel-hold", CONF_ARG_REQUIRED, NULL },
	{ OPT_NO_PORT_FORWARDING, "no-port-forwarding", CONF_ARG_NONE, NULL },
	{ 0, NULL, CONF_ARG_NONE, NULL },
};

/* A setter group's answer for an option that belongs to another group. */
#define NOT_MINE 1

/* The conf being built and what only the final checks need. */
struct edge_parse {
	struct edge_conf *c;
	int cipher_flag; /* the -A number; 0 when no -A was given */
	bool desc_set, ctl_socket_set;
};

static int set_cipher(struct edge_parse *ep, const char *v, char *msg,
		      size_t len)
{
	long n = 3;

	if (!v)
		conf_warn(&ep->c->warnings,
			  "-A: a bare -A is deprecated in n2n, use -A3 (AES)");
	else if (conf_parse_long(v, 10, 1, 6, &n))
		return conf_fail(msg, len,
				 "unknown cipher, use -A1..-A5 (n2n's) or -A6 "
				 "(n2nk's per-peer sessions)");
	ep->cipher_flag = (int)n;
	ep->c->transform =
		n == 6 ? (enum n2n_transform_id)N2NK_TRANSFORM_A6
		       : (enum n2n_transform_id)transform_id_from_flag((int)n);
	return 0;
}

static int set_compression(struct edge_conf *c, const char *v, char *msg,
			   size_t len)
{
	long n = 1;

	if (!v)
		conf_warn(&c->warnings,
			  "-z: a bare -z is deprecated in n2n, use -z1 (LZO)");
	else if (conf_parse_long(v, 10, 1, 2, &n))
		return conf_fail(msg, len,
				 "unknown compression, use -z1 (LZO) or -z2 "
				 "(zstd)");
	c->compression = (enum n2n_compression_id)compress_id_from_flag((int)n);
	return 0;
}

static int set_relay_only(struct edge_conf *c, const char *v, char *msg,
			  size_t len)
{
	if (!v)
		conf_warn(&c->warnings,
			  "-S: a bare -S is deprecated in n2n, use -S1");
	else if (!strcmp(v, "2"))
		c->tcp = true; /* implies -S1, as in n2n */
	else if (strcmp(v, "1"))
		return conf_fail(msg, len,
				 "use -S1 (always relay through the "
				 "supernode) or -S2 (over TCP)");
	c->relay_only = true;
	return 0;
}

/* --mss-clamp=auto|off|N: N an MSS TCP allows (88, Linux's least, up to
 * what a 64 KiB IPv4 packet holds). */
static int set_mss_clamp(struct edge_conf *c, const char *v, char *msg,
			 size_t len)
{
	long n;

	if (!strcmp(v, "auto"))
		c->mss_clamp = MSS_CLAMP_AUTO;
	else if (!strcmp(v, "off"))
		c->mss_clamp = 0;
	else if (!conf_parse_long(v, 10, 88, 65495, &n))
		c->mss_clamp = (int)n;
	else
		return conf_fail(msg, len,
				 "--mss-clamp: use auto, off or an MSS of "
				 "88..65495 bytes, not '%s'",
				 v);
	return 0;
}

static int add_supernode(struct edge_conf *c, const char *v, char *msg,
			 size_t len)
{
	if (c->n_supernodes == CONF_MAX_SUPERNODES)
		return conf_fail(msg, len, "more than %d supernodes",
				 CONF_MAX_SUPERNODES);
	if (conf_parse_hostport(v, &c->supernodes[c->n_supernodes], msg, len))
		return -EINVAL;
	c->n_supernodes++;
	return 0;
}

/* -a [static:|dhcp:]ip[/len]; n2n treats an unknown mode as "no -a". */
static int set_address(struct edge_conf *c, const char *v, char *msg,
		       size_t len)
{
	enum edge_ip_mode mode = EDGE_IP_STATIC;
	const char *addr = v, *slash;
	char ip[INET_ADDRSTRLEN];
	long prefix = CONF_EDGE_PREFIX_DEFAULT;

	if (!strncmp(v, "static:", 7)) {
		addr = v + 7;
	} else if (!strncmp(v, "dhcp:", 5)) {
		mode = EDGE_IP_DHCP;
		addr = v + 5;
	} else if (strchr(v, ':')) {
		return conf_fail(msg, len,
				 "unknown mode, use [static:|dhcp:]ip[/len]");
	}
	slash = strchr(addr, '/');
	if (slash && conf_parse_long(slash + 1, 10, 1, 32, &prefix))
		return conf_fail(msg, len,
				 "prefix length must be a number between 1 "
				 "and 32");
	snprintf(ip, sizeof(ip), "%.*s",
		 (int)(slash ? (size_t)(slash - addr) : strlen(addr)), addr);
	if (conf_parse_ipv4(ip, &c->ip))
		return conf_fail(msg, len,
				 "'%s' is not an IPv4 address (DHCP: "
				 "dhcp:0.0.0.0, supernode-assigned: no -a)",
				 ip);
	if (mode == EDGE_IP_STATIC && !c->ip.s_addr)
		return conf_fail(msg, len,
				 "0.0.0.0 is no address; leave out -a to get "
				 "one from the supernode");
	c->ip_mode = mode;
	c->prefix = (uint8_t)prefix;
	return 0;
}

static int set_mac(struct edge_conf *c, const char *v, char *msg, size_t len)
{
	if (conf_parse_mac(v, c->mac))
		return conf_fail(msg, len,
				 "MAC address must be six hex bytes like "
				 "02:00:00:00:00:0a");
	/* The kernel refuses these for an Ethernet device. */
	if (mac_is_group(c->mac) || mac_is_zero(c->mac))
		return conf_fail(msg, len,
				 "multicast or zero MAC address cannot be a "
				 "TAP address");
	c->mac_set = true;
	return 0;
}

static int set_number(const char *v, int base, long min, long max, long *out,
		      const char *what, char *msg, size_t len)
{
	if (conf_parse_long(v, base, min, max, out))
		return conf_fail(msg, len,
				 "%s must be a number between %ld and %ld",
				 what, min, max);
	return 0;
}

static int set_tap_name(struct edge_conf *c, const char *v, char *msg,
			size_t len)
{
	/* The kernel's dev_valid_name(). */
	if (strpbrk(v, "/: \t") || !strcmp(v, ".") || !strcmp(v, ".."))
		return conf_fail(msg, len,
				 "TAP device name must not contain '/', ':' "
				 "or blanks");
	return conf_copy(c->tap_name, sizeof(c->tap_name), v, "TAP device name",
			 msg, len);
}

/* -n net/len:gateway (n2n 3.0; 3.1 dropped it, configs still carry it). */
static int add_route(struct edge_conf *c, const char *v, char *msg, size_t len)
{
	struct conf_route *r = &c->routes[c->n_routes];
	const char *colon = strchr(v, ':');
	char net[INET_ADDRSTRLEN + 4], why[CONF_WARNING_LEN];

	if (c->n_routes == CONF_MAX_ROUTES)
		return conf_fail(msg, len, "more than %d routes",
				 CONF_MAX_ROUTES);
	if (!colon || (size_t)(colon - v) >= sizeof(net))
		return conf_fail(msg, len, "expected net/len:gateway");
	snprintf(net, sizeof(net), "%.*s", (int)(colon - v), v);
	if (conf_parse_prefix_net(net, &r->net, &r->prefix, 0, 32, why,
				  sizeof(why)))
		return conf_fail(msg, len, "route %s: %s", net, why);
	if (conf_parse_ipv4(colon + 1, &r->gateway))
		return conf_fail(msg, len,
				 "gateway '%s' is not an IPv4 address",
				 colon + 1);
	c->n_routes++;
	return 0;
}

static int set_federation_key(struct edge_conf *c, const char *v, char *msg,
			      size_t len)
{
	if (strlen(v) != AUTH_KEY_ASCII_LEN ||
	    auth_ascii_to_bin(c->federation_pubkey, AUTH_KEY_SIZE, v))
		return conf_fail(msg, len,
				 "federation public key must be %d characters "
				 "of 0-9 A-Z a-z + - (n2n-keygen -F output)",
				 AUTH_KEY_ASCII_LEN);
	c->federation_pubkey_set = true;
	return 0;
}

static int set_preferred_local(struct edge_conf *c, const char *v, char *msg,
			       size_t len)
{
	c->preferred_local_auto = !strcmp(v, "auto");
	c->preferred_local.s_addr = 0;
	if (!c->preferred_local_auto && conf_parse_ipv4(v, &c->preferred_local))
		return conf_fail(msg, len,
				 "expected an IPv4 address or 'auto'");
	c->preferred_local_set = !c->preferred_local_auto;
	return 0;
}

/* -T: n2n reads "0x.." as hex and anything else as decimal. */
static int set_tos(struct edge_conf *c, const char *v, char *msg, size_t len)
{
	bool hex = !strncmp(v, "0x", 2) || !strncmp(v, "0X", 2);
	long tos;

	if (conf_parse_long(hex ? v + 2 : v, hex ? 16 : 10, 0, 255, &tos))
		return conf_fail(msg, len,
				 "TOS must be a number between 0 and 255 "
				 "(or 0x00..0xff)");
	c->tos = (uint8_t)tos;
	c->tos_set = true;
	return 0;
}

static int set_id(bool *set, uint32_t *id, const char *v, const char *what,
		  char *msg, size_t len)
{
	if (conf_parse_id(v, what, id, msg, len))
		return -EINVAL;
	*set = true;
	return 0;
}

/* -R: one n2n traffic rule (edge/traffic_filter.h), repeatable. */
static int add_traffic_rule(struct edge_conf *c, const char *v, char *msg,
			    size_t len)
{
	struct traffic_rules *rs = &c->traffic_rules;
	char why[CONF_WARNING_LEN];

	if (rs->n == TRAFFIC_MAX_RULES)
		return conf_fail(msg, len, "more than %d traffic rules",
				 TRAFFIC_MAX_RULES);
	if (traffic_rule_parse(v, &rs->r[rs->n], why, sizeof(why)))
		return conf_fail(msg, len, "traffic rule '%s': %s", v, why);
	rs->n++;
	return 0;
}

/* Options that decide who we talk to and how the payload looks. */
static int edge_crypto_option(struct edge_parse *ep, int key, const char *v,
			      char *msg, size_t len)
{
	struct edge_conf *c = ep->c;

	switch (key) {
	case 'c':
		return conf_copy(c->community, sizeof(c->community), v,
				 "community name", msg, len);
	case 'k':
		return conf_replace_str(&c->key, v, "key", msg, len);
	case 'A':
		return set_cipher(ep, v, msg, len);
	case 'z':
		return set_compression(c, v, msg, len);
	case 'H':
		c->header_encryption = true;
		return 0;
	case 'I':
		ep->desc_set = true;
		return conf_copy(c->description, sizeof(c->description), v,
				 "description", msg, len);
	case 'J':
		return conf_replace_str(&c->password, v, "password", msg, len);
	case 'P':
		return set_federation_key(c, v, msg, len);
	case 'R':
		return add_traffic_rule(c, v, msg, len);
	}
	return NOT_MINE;
}

/* Supernodes, sockets and timers. */
static int edge_net_option(struct edge_parse *ep, int key, const char *v,
			   char *msg, size_t len)
{
	struct edge_conf *c = ep->c;
	long n;

	switch (key) {
	case 'l':
		return add_supernode(c, v, msg, len);
	case 'S':
		return set_relay_only(c, v, msg, len);
	case 'p':
		return conf_parse_bind(v, &c->bind_addr, &c->local_port, 0, msg,
				       len);
	case 'e':
		return set_preferred_local(c, v, msg, len);
	case 'T':
		return set_tos(c, v, msg, len);
	case 'D':
		c->pmtu_discovery = true;
		return 0;
	case 'i':
		if (set_number(v, 10, 1, 3600, &n, "registration interval", msg,
			       len))
			return -EINVAL;
		c->register_interval = (unsigned int)n;
		return 0;
	case 'L':
		if (set_number(v, 10, 0, 255, &n, "registration TTL", msg, len))
			return -EINVAL;
		c->register_ttl = (uint8_t)n;
		return 0;
	case OPT_SELECT_RTT:
		c->sn_selection = EDGE_SN_SELECT_RTT;
		return 0;
	case OPT_SELECT_MAC:
		c->sn_selection = EDGE_SN_SELECT_MAC;
		return 0;
	}
	return NOT_MINE;
}

/* The TAP device and what crosses it. */
static int edge_tap_option(struct edge_parse *ep, int key, const char *v,
			   char *msg, size_t len)
{
	struct edge_conf *c = ep->c;
	long n;

	switch (key) {
	case 'a':
		return set_address(c, v, msg, len);
	case 'm':
		return set_mac(c, v, msg, len);
	case 'M':
		if (set_number(v, 10, CONF_EDGE_MTU_MIN, CONF_EDGE_MTU_MAX, &n,
			       "MTU", msg, len))
			return -EINVAL;
		c->mtu = (uint16_t)n;
		return 0;
	case 'd':
		return set_tap_name(c, v, msg, len);
	case 'n':
		return add_route(c, v, msg, len);
	case 'r':
		c->allow_routing = true;
		return 0;
	case 'E':
		c->accept_multicast = true;
		return 0;
	}
	return NOT_MINE;
}

/* The process: logging, privileges, management, our own options. */
static int edge_local_option(struct edge_parse *ep, int key, const char *v,
			     char *msg, size_t len)
{
	struct edge_conf *c = ep->c;
	long n;

	switch (key) {
	case 'f':
		c->foreground = true;
		return 0;
	case 'v':
		c->verbosity++;
		return 0;
	case 'V':
		c->verbosity -= c->verbosity > 0;
		return 0;
	case 't':
		if (set_number(v, 10, 1, 65535, &n, "management port", msg,
			       len))
			return -EINVAL;
		c->mgmt_port = (uint16_t)n;
		conf_warn(&c->warnings, "-t: n2nk has no UDP management port "
					"(n2nctl uses --ctl-socket); ignored");
		return 0;
	case 'u':
		return set_id(&c->uid_set, &c->uid, v, "user id", msg, len);
	case 'g':
		return set_id(&c->gid_set, &c->gid, v, "group id", msg, len);
	case OPT_MGMT_PASSWORD:
		conf_warn(&c->warnings,
			  "--management-password: n2nk has no UDP management "
			  "port (n2nctl uses --ctl-socket); ignored");
		return conf_replace_str(&c->mgmt_password, v,
					"management password", msg, len);
	case OPT_DATAPATH:
		return conf_parse_datapath(v, &c->datapath, msg, len);
	case OPT_MSS_CLAMP:
		return set_mss_clamp(c, v, msg, len);
	case OPT_NAT_PROBE: /* birthday probing, docs/nat-birthday.md */
		if (strcmp(v, "on") && strcmp(v, "off"))
			return conf_fail(msg, len,
					 "--nat-probe: use on or off, not '%s'",
					 v);
		c->nat_probe_off = !strcmp(v, "off");
		return 0;
	case OPT_PIN_ROOT:
		return conf_copy(c->pin_root, sizeof(c->pin_root), v,
				 "pin root", msg, len);
	case OPT_IDENTITY:
		return conf_copy(c->identity, sizeof(c->identity), v,
				 "identity key file", msg, len);
	case OPT_KERNEL_UNLOAD:
		c->kernel_unload = true;
		return 0;
	case OPT_NO_PORT_FORWARDING:
		c->no_port_forwarding = true;
		return 0;
	case OPT_KERNEL_HOLD:
		if (conf_parse_long(v, 10, 0, 86400, &n))
			return conf_fail(msg, len,
					 "--kernel-hold: seconds, 0..86400, "
					 "not '%s'",
					 v);
		c->kernel_hold_s = (unsigned int)n;
		return 0;
	case OPT_METRICS:
		c->metrics = true;
		return conf_parse_metrics(v, &c->metrics_addr, msg, len);
	case OPT_METRICS_NAMES:
		c->metrics_names = true;
		return 0;
	case OPT_CTL_SOCKET:
		ep->ctl_socket_set = true;
		return conf_copy(c->ctl_socket, sizeof(c->ctl_socket), v,
				 "control socket path", msg, len);
	}
	return NOT_MINE;
}

static int edge_option(void *ctx, const struct conf_item *it, char *msg,
		       size_t len)
{
	struct edge_parse *ep = ctx;
	int key = it->opt->key, ret;

	if (key == 'h' || key == OPT_LONG_HELP) {
		ep->c->help = key == 'h' ? CONF_HELP_SHORT : CONF_HELP_LONG;
		return CONF_STOP;
	}
	ret = edge_crypto_option(ep, key, it->value, msg, len);
	if (ret == NOT_MINE)
		ret = edge_net_option(ep, key, it->value, msg, len);
	if (ret == NOT_MINE)
		ret = edge_tap_option(ep, key, it->value, msg, len);
	if (ret == NOT_MINE)
		ret = edge_local_option(ep, key, it->value, msg, len);
	return ret == NOT_MINE ? conf_fail(msg, len, "unknown option") : ret;
}

static void edge_defaults(struct edge_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->transform = N2N_TRANSFORM_NULL;
	c->compression = N2N_COMPRESSION_NONE;
	c->ip_mode = EDGE_IP_SN_ASSIGNED;
	c->prefix = CONF_EDGE_PREFIX_DEFAULT;
	c->mtu = CONF_EDGE_MTU_DEFAULT;
	strcpy(c->tap_name, CONF_EDGE_TAP_DEFAULT);
	c->register_interval = CONF_EDGE_REG_INTERVAL;
	c->verbosity = CONF_VERBOSITY_DEFAULT;
	c->mgmt_port = CONF_EDGE_MGMT_PORT;
	c->datapath = DATAPATH_AUTO;
	c->mss_clamp = MSS_CLAMP_AUTO;
	c->kernel_hold_s = CONF_EDGE_KERNEL_HOLD;
}

/* n2n main(): a key without a cipher (or with -A1) means AES. */
static int resolve_transform(struct edge_parse *ep, char *err, size_t errlen)
{
	struct edge_conf *c = ep->c;

	if (c->key && ep->cipher_flag == 1)
		conf_warn(&c->warnings,
			  "-A1 with a key: using AES (-A3) as stock n2n "
			  "does; drop the key for no encryption");
	else if (c->key && !ep->cipher_flag)
		conf_warn(&c->warnings,
			  "a key and no -A: using AES (-A3), as "
			  "stock n2n does; say -A3 to silence this");
	if (c->key && ep->cipher_flag <= 1)
		c->transform = N2N_TRANSFORM_AES;
	if (!c->key && ep->cipher_flag > 1)
		return conf_fail(err, errlen,
				 "-A%d: a cipher needs a key, use -k <key> or "
				 "N2N_KEY",
				 ep->cipher_flag);
	return 0;
}

/* -A6 (ours): sessions keyed by -k; no compression, no -J (yet). */
static int check_a6(struct edge_conf *c, char *err, size_t errlen)
{
	if (c->transform != (enum n2n_transform_id)N2NK_TRANSFORM_A6) {
		if (c->identity[0])
			conf_warn(&c->warnings,
				  "--identity: only -A6 uses an identity key");
		return 0;
	}
	if (c->password)
		return conf_fail(err, errlen,
				 "-J with -A6: user/password communities "
				 "cannot vouch for -A6 identities yet; use -k");
	if (c->compression != N2N_COMPRESSION_NONE) {
		conf_warn(&c->warnings, "-z with -A6: frames go uncompressed "
					"(compression before encryption leaks "
					"lengths)");
		c->compression = N2N_COMPRESSION_NONE;
	}
	return 0;
}

/* n2n edge_init(): user/password auth hides the IV, see protocol §6. */
static int check_user_auth(struct edge_conf *c, char *err, size_t errlen)
{
	if (!c->password)
		return 0;
	if (c->transform != N2N_TRANSFORM_CHACHA20 &&
	    c->transform != N2N_TRANSFORM_SPECK)
		return conf_fail(err, errlen,
				 "-J: user/password authentication needs -A4 "
				 "(ChaCha20) or -A5 (Speck)");
	c->header_encryption = true;
	return 0;
}

static void default_description(struct edge_conf *c, const struct conf_env *env)
{
	char host[256] = "";

	if (env && env->hostname)
		snprintf(host, sizeof(host), "%s", env->hostname);
	else if (gethostname(host, sizeof(host) - 1))
		host[0] = 0;
	/* n2n cuts the host name to fit; a -I longer than that is an error. */
	snprintf(c->description, sizeof(c->description), "%.*s", CONF_DESC_MAX,
		 host);
}

static int edge_finish(struct edge_parse *ep, const struct conf_env *env,
		       char *err, size_t errlen)
{
	struct edge_conf *c = ep->c;
	int ret;

	if (c->kernel_unload)
		return 0; /* -d and --pin-root are all it reads */
	if (!c->community[0])
		return conf_fail(err, errlen,
				 "no community: use -c <name> or "
				 "N2N_COMMUNITY");
	if (!c->n_supernodes)
		return conf_fail(err, errlen,
				 "no supernode: use -l <host:port>");
	ret = resolve_transform(ep, err, errlen);
	if (!ret)
		ret = check_a6(c, err, errlen);
	if (!ret)
		ret = check_user_auth(c, err, errlen);
	if (!ret && c->tcp && c->datapath == DATAPATH_KERNEL)
		ret = conf_fail(err, errlen,
				"-S2 (TCP to the supernode) needs the socket "
				"datapath: the kernel path carries UDP only; "
				"use --datapath=socket or auto");
	/* A supernode closes a TCP connection quiet for 90 s
	 * (SN_TCP_IDLE_MS): renewals must come well within it. */
	if (!ret && c->tcp && c->register_interval > 60)
		ret = conf_fail(err, errlen,
				"-S2 needs -i 60 or less: a supernode closes a "
				"TCP connection not renewed within 90 s");
	if (ret)
		return ret;
	if (c->key && !strcmp(c->key, c->community))
		conf_warn(&c->warnings,
			  "the key equals the community name, which every "
			  "supernode sees");
	if (!ep->desc_set)
		default_description(c, env);
	if (!ep->ctl_socket_set)
		snprintf(c->ctl_socket, sizeof(c->ctl_socket),
			 "/run/n2nk/edge-%s.sock", c->tap_name);
	return 0;
}

int edge_conf_parse_env(struct edge_conf *c, int argc, char **argv,
			const struct conf_env *env, char *err, size_t errlen)
{
	struct edge_parse ep = { .c = c };
	struct conf_scanner s = {
		.options = edge_options,
		.handle = edge_option,
		.ctx = &ep,
		.warnings = &c->warnings,
		.value_is_rest_of_line = true,
		.repeatable = "lnR",
		.secret = "kJ",
	};
	int ret;

	edge_defaults(c);
	if (argc < 2) {
		c->help = CONF_HELP_SHORT; /* as n2n: no arguments, help */
		return 0;
	}
	ret = conf_scan_env(&s, env, "N2N_COMMUNITY", 'c', true, err, errlen);
	if (!ret)
		ret = conf_scan_env(&s, env, "N2N_KEY", 'k', false, err,
				    errlen);
	if (!ret)
		ret = conf_scan_env(&s, env, "N2N_PASSWORD", 'J', false, err,
				    errlen);
	if (!ret)
		ret = conf_scan_file_and_argv(&s, argc, argv, err, errlen);
	if (ret < 0)
		return -EINVAL;
	return c->help ? 0 : edge_finish(&ep, env, err, errlen);
}

int edge_conf_parse(struct edge_conf *c, int argc, char **argv, char *err,
		    size_t errlen)
{
	return edge_conf_parse_env(c, argc, argv, NULL, err, errlen);
}

void edge_conf_free(struct edge_conf *c)
{
	conf_free_secret(&c->key);
	conf_free_secret(&c->password);
	conf_free_secret(&c->mgmt_password);
}
