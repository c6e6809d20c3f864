// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's options (n2n 3.1.1 src/supernode.c: setOption,
 * long_options) into struct sn_conf; the -c community list is loaded here
 * so a bad list stops the start like a bad option.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mac.h"
#include "conf.h"

enum sn_long_only {
	OPT_LONG_HELP = 256,
	OPT_MGMT_PASSWORD,
	OPT_DATAPATH,
	OPT_CTL_SOCKET,
	OPT_METRICS,
	OPT_METRICS_NAMES,
	OPT_XDP_MODE,
	OPT_XDP_UNLOAD,
	OPT_NO_TCP,
	OPT_PIN_ROOT,
};

/* n2n's getopt string "p:l:t:a:c:F:vhMV:m:fu:g:". */
static const struct conf_option sn_options[] = {
	{ 'F', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'M', NULL, CONF_ARG_NONE, NULL },
	{ 'V', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'a', "autoip", CONF_ARG_REQUIRED, NULL },
	{ 'c', "communities", CONF_ARG_REQUIRED, NULL },
	{ 'f', "foreground", CONF_ARG_NONE, NULL },
	{ 'g', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'h', NULL, CONF_ARG_NONE, NULL },
	{ 'l', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'm', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'p', "local-port", CONF_ARG_REQUIRED, NULL },
	{ 't', "mgmt-port", CONF_ARG_REQUIRED, NULL },
	{ 'u', NULL, CONF_ARG_REQUIRED, NULL },
	{ 'v', "verbose", CONF_ARG_NONE, NULL },
	{ OPT_LONG_HELP, "help", CONF_ARG_NONE, NULL },
	{ OPT_MGMT_PASSWORD, "management-password", CONF_ARG_REQUIRED, NULL },
	{ OPT_DATAPATH, "datapath", CONF_ARG_REQUIRED, NULL },
	{ OPT_CTL_SOCKET, "ctl-socket", CONF_ARG_REQUIRED, NULL },
	{ OPT_METRICS, "metrics", CONF_ARG_REQUIRED, NULL },
	{ OPT_METRICS_NAMES, "metrics-community-names", CONF_ARG_NONE, NULL },
	{ OPT_XDP_MODE, "xdp-mode", CONF_ARG_REQUIRED, NULL },
	{ OPT_XDP_UNLOAD, "xdp-unload", CONF_ARG_NONE, NULL },
	{ OPT_NO_TCP, "no-tcp", CONF_ARG_NONE, NULL },
	{ OPT_PIN_ROOT, "pin-root", CONF_ARG_REQUIRED, NULL },
	{ 0, NULL, CONF_ARG_NONE, NULL },
};

struct sn_parse {
	struct sn_conf *c;
	bool ctl_socket_set;
};

static int set_federation(struct sn_conf *c, const char *v, char *msg,
			  size_t len)
{
	size_t n = strlen(v);

	/* Stock n2n cuts longer names, but n2n-keygen -F does not (§11.23). */
	if (!n || n > CONF_FEDERATION_MAX)
		return conf_fail(msg, len,
				 "federation name must be 1 to %d characters",
				 CONF_FEDERATION_MAX);
	snprintf(c->federation, sizeof(c->federation), "*%s", v);
	c->federation_set = true;
	return 0;
}

static int add_peer(struct sn_conf *c, const char *v, char *msg, size_t len)
{
	if (c->n_federation_peers == CONF_MAX_SUPERNODES)
		return conf_fail(msg, len, "more than %d supernodes",
				 CONF_MAX_SUPERNODES);
	if (conf_parse_hostport(v, &c->federation_peers[c->n_federation_peers],
				msg, len))
		return -EINVAL;
	c->n_federation_peers++;
	return 0;
}

/* n2n clears the multicast bit and sets the local one; we say so. */
static int set_mac(struct sn_conf *c, const char *v, const char *where,
		   char *msg, size_t len)
{
	char buf[MAC_STR_MAX];
	uint8_t first;

	if (conf_parse_mac(v, c->mac))
		return conf_fail(msg, len,
				 "MAC address must be six hex bytes like "
				 "02:00:00:00:00:01");
	first = (uint8_t)((c->mac[0] & ~0x01) | 0x02);
	if (first != c->mac[0]) {
		c->mac[0] = first;
		conf_warn(&c->warnings,
			  "%s: using %s (local, not multicast) as stock n2n "
			  "does",
			  where, mac_str(c->mac, buf));
	}
	c->mac_set = true;
	return 0;
}

static int parse_range_end(const char *s, size_t n, struct in_addr *out,
			   char *msg, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	if (n >= sizeof(ip))
		return conf_fail(msg, len, "expected ip-ip/len");
	snprintf(ip, sizeof(ip), "%.*s", (int)n, s);
	if (conf_parse_ipv4(ip, out) || !out->s_addr ||
	    out->s_addr == INADDR_BROADCAST)
		return conf_fail(msg, len, "'%s' is not a network address", ip);
	return 0;
}

/* -a 10.128.0.0-10.255.255.0/24: the auto-IP subnets handed out. */
static int set_auto_ip(struct sn_conf *c, const char *v, char *msg, size_t len)
{
	const char *dash = strchr(v, '-'), *slash = strchr(v, '/');
	struct in_addr lo, hi;
	char why[CONF_WARNING_LEN];
	uint8_t prefix;

	if (!dash || !slash || slash < dash)
		return conf_fail(msg, len, "expected ip-ip/len");
	if (parse_range_end(v, (size_t)(dash - v), &lo, msg, len))
		return -EINVAL;
	if (conf_parse_prefix_net(dash + 1, &hi, &prefix, 8, 30, why,
				  sizeof(why)))
		return conf_fail(msg, len, "%s", why);
	if (parse_range_end(dash + 1, (size_t)(slash - dash - 1), &hi, msg,
			    len))
		return -EINVAL;
	if (lo.s_addr & ~htonl(~0u << (32 - prefix)))
		return conf_fail(msg, len, "%s has host bits set for /%u",
				 inet_ntoa(lo), prefix);
	if (ntohl(lo.s_addr) > ntohl(hi.s_addr))
		return conf_fail(msg, len, "range start is above its end");
	c->auto_ip_min = lo;
	c->auto_ip_max = hi;
	c->auto_ip_prefix = prefix;
	return 0;
}

static int set_number(const char *v, long min, long max, long *out,
		      const char *what, char *msg, size_t len)
{
	if (conf_parse_long(v, 10, min, max, out))
		return conf_fail(msg, len,
				 "%s must be a number between %ld and %ld",
				 what, min, max);
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

/* Sockets, federation and communities. */
static int sn_net_option(struct sn_conf *c, const struct conf_item *it,
			 char *msg, size_t len)
{
	const char *v = it->value;

	switch (it->opt->key) {
	case 'p':
		return conf_parse_bind(v, &c->bind_addr, &c->port, 1, msg, len);
	case 'F':
		return set_federation(c, v, msg, len);
	case 'l':
		return add_peer(c, v, msg, len);
	case 'm':
		return set_mac(c, v, it->where, msg, len);
	case 'M':
		c->spoofing_protection_off = true;
		return 0;
	case 'V':
		return conf_copy(c->version, sizeof(c->version), v,
				 "version string", msg, len);
	case 'c':
		return conf_copy(c->community_file, sizeof(c->community_file),
				 v, "community file name", msg, len);
	case 'a':
		return set_auto_ip(c, v, msg, len);
	}
	return conf_fail(msg, len, "unknown option");
}

static int sn_option(void *ctx, const struct conf_item *it, char *msg,
		     size_t len)
{
	struct sn_parse *sp = ctx;
	struct sn_conf *c = sp->c;
	const char *v = it->value;
	long n;

	switch (it->opt->key) {
	case 'h':
	case OPT_LONG_HELP:
		c->help = it->opt->key == 'h' ? CONF_HELP_SHORT
					      : CONF_HELP_LONG;
		return CONF_STOP;
	case 'f':
		c->foreground = true;
		return 0;
	case 'v':
		c->verbosity++;
		return 0;
	case 't':
		if (set_number(v, 1, 65535, &n, "management port", msg, len))
			return -EINVAL;
		c->mgmt_port = (uint16_t)n;
		return 0;
	case 'u':
		return set_id(&c->uid_set, &c->uid, v, "user id", msg, len);
	case 'g':
		return set_id(&c->gid_set, &c->gid, v, "group id", msg, len);
	case OPT_MGMT_PASSWORD:
		return conf_replace_str(&c->mgmt_password, v,
					"management password", msg, len);
	case OPT_DATAPATH:
		return conf_parse_datapath(v, &c->datapath, msg, len);
	case OPT_XDP_MODE:
		return conf_parse_xdp_mode(v, &c->xdp_mode, msg, len);
	case OPT_XDP_UNLOAD:
		c->xdp_unload = true;
		return 0;
	case OPT_NO_TCP:
		c->no_tcp = true;
		return 0;
	case OPT_PIN_ROOT:
		return conf_copy(c->pin_root, sizeof(c->pin_root), v,
				 "pin root", msg, len);
	case OPT_METRICS:
		c->metrics = true;
		return conf_parse_metrics(v, &c->metrics_addr, msg, len);
	case OPT_METRICS_NAMES:
		c->metrics_names = true;
		return 0;
	case OPT_CTL_SOCKET:
		sp->ctl_socket_set = true;
		return conf_copy(c->ctl_socket, sizeof(c->ctl_socket), v,
				 "control socket path", msg, len);
	}
	return sn_net_option(c, it, msg, len);
}

static void sn_defaults(struct sn_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->port = CONF_SN_PORT_DEFAULT;
	strcpy(c->federation, CONF_FEDERATION_DEFAULT);
	inet_pton(AF_INET, CONF_SN_AUTO_IP_MIN_DEFAULT, &c->auto_ip_min);
	inet_pton(AF_INET, CONF_SN_AUTO_IP_MAX_DEFAULT, &c->auto_ip_max);
	c->auto_ip_prefix = CONF_SN_AUTO_IP_PREFIX;
	c->verbosity = CONF_VERBOSITY_DEFAULT;
	c->mgmt_port = CONF_SN_MGMT_PORT;
	c->datapath = DATAPATH_AUTO;
}

static int sn_finish(struct sn_parse *sp, char *err, size_t errlen)
{
	struct sn_conf *c = sp->c;

	if (!sp->ctl_socket_set)
		snprintf(c->ctl_socket, sizeof(c->ctl_socket),
			 "/run/n2nk/supernode-%u.sock", c->port);
	if (c->community_file[0] &&
	    community_list_load(&c->communities, c->community_file, err,
				errlen))
		return -EINVAL;
	return 0;
}

int sn_conf_parse_env(struct sn_conf *c, int argc, char **argv,
		      const struct conf_env *env, char *err, size_t errlen)
{
	struct sn_parse sp = { .c = c };
	struct conf_scanner s = {
		.options = sn_options,
		.handle = sn_option,
		.ctx = &sp,
		.warnings = &c->warnings,
		.value_is_rest_of_line = false,
		.repeatable = "l",
	};
	int ret;

	sn_defaults(c);
	if (argc < 2) {
		c->help = CONF_HELP_SHORT; /* as n2n: no arguments, help */
		return 0;
	}
	ret = conf_scan_env(&s, env, "N2N_FEDERATION", 'F', true, err, errlen);
	strcpy(c->federation_keys, c->federation); /* before any -F */
	if (!ret)
		ret = conf_scan_file_and_argv(&s, argc, argv, err, errlen);
	if (ret < 0)
		return -EINVAL;
	return c->help ? 0 : sn_finish(&sp, err, errlen);
}

int sn_conf_parse(struct sn_conf *c, int argc, char **argv, char *err,
		  size_t errlen)
{
	return sn_conf_parse_env(c, argc, argv, NULL, err, errlen);
}

void sn_conf_free(struct sn_conf *c)
{
	community_list_free(&c->communities);
	conf_free_secret(&c->mgmt_password);
}
