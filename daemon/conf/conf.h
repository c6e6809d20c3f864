/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * n2n 3.x `edge` and `supernode` command lines and config files, parsed
 * strictly into plain structs: defaults, then environment, then the config
 * file (argv[1] when it does not start with '-'), then the command line.
 *
 * Every parser returns 0 or -EINVAL and, on error, writes one message that
 * says where and what, e.g. "edge.conf:3: -M=abc: MTU must be a number
 * between 500 and 1950" or "-A7: unknown cipher, use -A1..-A5". Things that
 * work but deserve a word (n2n quirks we do not copy silently) are kept in
 * the struct's warnings for the daemon to log.
 */
#ifndef N2NK_CONF_H
#define N2NK_CONF_H

#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/mac.h"
#include "community_list.h"
#include "edge/traffic_filter.h"
#include "kernel/datapath.h"
#include "n2n_wire_defs.h"
#include "proto/auth.h"

#define CONF_COMMUNITY_MAX  (N2N_COMMUNITY_SIZE - 1) /* 19 */
#define CONF_DESC_MAX	    (N2N_DESC_SIZE - 1)	     /* 15 */
#define CONF_VERSION_MAX    19			     /* -V, n2n_version_t */
#define CONF_FEDERATION_MAX 17	/* '*' + 17 + NUL fit n2n's 19 */
#define CONF_IFNAME_MAX	    15	/* IFNAMSIZ - 1 */
#define CONF_HOST_MAX	    253 /* longest DNS name */
#define CONF_CTL_PATH_MAX   108 /* sizeof(sun_path) */
#define CONF_MAX_SUPERNODES 16
#define CONF_MAX_ROUTES	    32
#define CONF_MAX_WARNINGS   8
#define CONF_WARNING_LEN    256

#define CONF_EDGE_KERNEL_HOLD	    60 /* s: a restart, an upgrade */
#define CONF_EDGE_MTU_DEFAULT	    1290
#define CONF_EDGE_MTU_MIN	    500
#define CONF_EDGE_MTU_MAX	    1950 /* 2048-byte packets: headers, IV */
#define CONF_EDGE_REG_INTERVAL	    20
#define CONF_EDGE_PREFIX_DEFAULT    24
#define CONF_EDGE_MGMT_PORT	    5644
#define CONF_SN_PORT_DEFAULT	    7654
#define CONF_SN_MGMT_PORT	    5645
#define CONF_VERBOSITY_DEFAULT	    2 /* n2n's TRACE_NORMAL, LOG_LEVEL_NOTICE */
#define CONF_EDGE_TAP_DEFAULT	    "edge0"
#define CONF_FEDERATION_DEFAULT	    "*Federation"
#define CONF_SN_AUTO_IP_MIN_DEFAULT "10.128.0.0"
#define CONF_SN_AUTO_IP_MAX_DEFAULT "10.255.255.0"
#define CONF_SN_AUTO_IP_PREFIX	    24

enum conf_help {
	CONF_HELP_NONE = 0,
	CONF_HELP_SHORT, /* -h */
	CONF_HELP_LONG,	 /* --help */
};

enum edge_ip_mode {
	EDGE_IP_SN_ASSIGNED = 0, /* no -a: the supernode hands one out */
	EDGE_IP_STATIC,		 /* -a ip or -a static:ip */
	EDGE_IP_DHCP,		 /* -a dhcp:ip, from a DHCP server in the VPN */
};

enum edge_sn_selection {
	EDGE_SN_SELECT_LOAD = 0, /* n2n's default */
	EDGE_SN_SELECT_RTT,	 /* --select-rtt */
	EDGE_SN_SELECT_MAC,	 /* --select-mac */
};

/* An address to bind to; family AF_UNSPEC means any address. */
struct conf_ip {
	sa_family_t family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* -l host:port; host is a name, an IPv4 or an IPv6 address (no brackets). */
struct conf_hostport {
	char host[CONF_HOST_MAX + 1];
	uint16_t port;
};

/* -n net/prefix:gateway, addresses in network byte order. */
struct conf_route {
	struct in_addr net;
	uint8_t prefix;
	struct in_addr gateway;
};

struct conf_warnings {
	unsigned int count;
	char text[CONF_MAX_WARNINGS][CONF_WARNING_LEN];
};

/*
 * What the parsers take from the process: environment variables and the
 * host name. NULL members (or a NULL env) mean getenv() and gethostname(),
 * so tests can run without touching the real environment.
 */
struct conf_env {
	const char *(*getenv)(const char *name);
	const char *hostname;
};

/* Addresses are in network byte order; strings are NUL-terminated. */
struct edge_conf {
	char community[CONF_COMMUNITY_MAX + 1]; /* -c, N2N_COMMUNITY */
	char *key;				/* -k, N2N_KEY; NULL: none */
	enum n2n_transform_id transform;	/* -A; see edge_conf_parse */
	enum n2n_compression_id compression;	/* -z; NONE */
	bool header_encryption;			/* -H; forced on by -J */

	struct conf_hostport supernodes[CONF_MAX_SUPERNODES]; /* -l */
	unsigned int n_supernodes;			      /* >= 1 */
	enum edge_sn_selection sn_selection;

	enum edge_ip_mode ip_mode; /* -a; SN_ASSIGNED */
	struct in_addr ip;	   /* 0 when SN_ASSIGNED */
	uint8_t prefix;		   /* 24 */
	uint8_t mac[MAC_SIZE];	   /* -m, valid if mac_set */
	bool mac_set;
	uint16_t mtu;				   /* -M; 1290 */
	char tap_name[CONF_IFNAME_MAX + 1];	   /* -d; "edge0" */
	struct conf_route routes[CONF_MAX_ROUTES]; /* -n */
	unsigned int n_routes;

	struct conf_ip bind_addr;	/* -p ip part; any */
	uint16_t local_port;		/* -p port part; 0 = ephemeral */
	struct in_addr preferred_local; /* -e ip, valid if preferred_local_set */
	bool preferred_local_set;
	bool preferred_local_auto; /* -e auto */
	bool no_port_forwarding;   /* --no-port-forwarding */
	bool tos_set;		   /* -T */
	uint8_t tos;
	bool pmtu_discovery; /* -D */

	bool allow_routing;		    /* -r */
	bool accept_multicast;		    /* -E */
	struct traffic_rules traffic_rules; /* -R, in the order given */
	bool relay_only;		    /* -S1 */
	bool nat_probe_off;		    /* --nat-probe=off */
	bool tcp;			    /* -S2: TCP to the supernode */
	unsigned int register_interval;	    /* -i; 20 s */
	uint8_t register_ttl;		    /* -L; 0 = not set */

	char description[CONF_DESC_MAX + 1];	  /* -I; host name cut to 15 */
	char *password;				  /* -J, N2N_PASSWORD; NULL */
	uint8_t federation_pubkey[AUTH_KEY_SIZE]; /* -P, if _set */
	bool federation_pubkey_set;

	bool foreground;       /* -f */
	int verbosity;	       /* 2, +1 per -v, -1 per -V, >= 0 */
	uint16_t mgmt_port;    /* -t; 5644 */
	char *mgmt_password;   /* --management-password; NULL */
	bool uid_set, gid_set; /* -u / -g */
	uid_t uid;
	gid_t gid;

	enum datapath_kind datapath; /* --datapath; AUTO */
	int mss_clamp; /* --mss-clamp: -1 auto (default), 0 off, else MSS */
	char pin_root[CONF_CTL_PATH_MAX]; /* --pin-root; "" = default */
	/* --identity: -A6's key file; "" = /var/lib/n2nk/<tap>.key */
	char identity[CONF_CTL_PATH_MAX];
	bool kernel_unload; /* --kernel-unload: remove, exit */
	/* --kernel-hold: how long the kernel path outlives the daemon (a
	 * restart without loss); 0: it stops with the daemon. */
	unsigned int kernel_hold_s;
	char ctl_socket[CONF_CTL_PATH_MAX];   /* /run/n2nk/edge-<tap>.sock */
	bool metrics;			      /* --metrics given */
	struct sockaddr_storage metrics_addr; /* its address; 127.0.0.1 */
	bool metrics_names;  /* --metrics-community-names: names as labels */
	enum conf_help help; /* -h/--help: nothing checked */
	struct conf_warnings warnings;
};

struct sn_conf {
	struct conf_ip bind_addr;		 /* -p ip part; any */
	uint16_t port;				 /* -p; 7654 */
	char federation[CONF_COMMUNITY_MAX + 1]; /* -F with '*'; N2N_FEDERATION */
	/* The federation's name before -F: N2N_FEDERATION's or the default,
	 * NUL-padded. Stock n2n 3.1.1 derives the header keys from it and then
	 * writes -F over it (sn_fed_wire_name() says what that means for us). */
	char federation_keys[CONF_COMMUNITY_MAX + 1];
	struct conf_hostport federation_peers[CONF_MAX_SUPERNODES]; /* -l */
	unsigned int n_federation_peers;
	/* -F (or N2N_FEDERATION) given: with -l, what makes us federate. */
	bool federation_set;
	uint8_t mac[MAC_SIZE]; /* -m, multicast bit cleared, local bit set */
	bool mac_set;
	bool spoofing_protection_off;	    /* -M */
	char version[CONF_VERSION_MAX + 1]; /* -V; "" = ours */
	char community_file[PATH_MAX];	    /* -c; "" = none */
	struct community_list communities;  /* loaded from -c */
	struct in_addr auto_ip_min,
		auto_ip_max;	/* -a; 10.128.0.0-10.255.255.0 */
	uint8_t auto_ip_prefix; /* 24 */

	bool foreground;     /* -f */
	int verbosity;	     /* 2, +1 per -v */
	uint16_t mgmt_port;  /* -t; 5645 */
	char *mgmt_password; /* --management-password; NULL */
	bool uid_set, gid_set;
	uid_t uid;
	gid_t gid;

	enum datapath_kind datapath;
	enum datapath_xdp_mode xdp_mode;    /* --xdp-mode; AUTO */
	bool xdp_unload;		    /* --xdp-unload: remove, exit */
	bool no_tcp;			    /* --no-tcp: no -S2 listener */
	char pin_root[CONF_CTL_PATH_MAX];   /* --pin-root; "" = default */
	char ctl_socket[CONF_CTL_PATH_MAX]; /* /run/n2nk/supernode-<port>.sock */
	bool metrics;			    /* --metrics given */
	struct sockaddr_storage metrics_addr; /* its address; 127.0.0.1 */
	bool metrics_names; /* --metrics-community-names: names as labels */
	enum conf_help help;
	struct conf_warnings warnings;
};

/*
 * Parse main()'s argc/argv. On success (0) the conf is complete: defaults
 * filled in, required options present, transform resolved (no -A: NULL
 * without a key, AES with one; -A1 with a key: AES and a warning). On
 * -EINVAL err holds the reason and the conf must still be freed. With -h
 * or --help, parsing stops at once and returns 0 with help set.
 */
int edge_conf_parse(struct edge_conf *c, int argc, char **argv, char *err,
		    size_t errlen) __attribute__((warn_unused_result));
int edge_conf_parse_env(struct edge_conf *c, int argc, char **argv,
			const struct conf_env *env, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void edge_conf_free(struct edge_conf *c);

/* The supernode's; also loads the -c community list. */
int sn_conf_parse(struct sn_conf *c, int argc, char **argv, char *err,
		  size_t errlen) __attribute__((warn_unused_result));
int sn_conf_parse_env(struct sn_conf *c, int argc, char **argv,
		      const struct conf_env *env, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void sn_conf_free(struct sn_conf *c);

/*
 * Shared by conf_edge.c and conf_sn.c (conf_file.c): the option scanner,
 * the config file reader and strict value parsers. Not for other callers.
 */

enum conf_arg {
	CONF_ARG_NONE,
	CONF_ARG_REQUIRED,
	CONF_ARG_OPTIONAL, /* n2n's "A::": -A4 attached, bare -A allowed */
};

struct conf_option {
	int key;	       /* the short option, or >= 256 for long-only */
	const char *long_name; /* NULL: none */
	enum conf_arg arg;
	const char *stock_bare; /* optional args: what bare means in n2n */
};

/* One option as the user wrote it, handed to the role's handler. */
struct conf_item {
	const struct conf_option *opt;
	const char *value; /* NULL when none was given */
	const char *where; /* quoted in messages: "edge.conf:3: -M=abc" */
};

/* Returns 0, CONF_STOP (stop parsing, e.g. help) or -EINVAL with msg. */
#define CONF_STOP 1
typedef int (*conf_handler)(void *ctx, const struct conf_item *it, char *msg,
			    size_t msglen);

struct conf_scanner {
	const struct conf_option *options; /* ends with key 0 */
	conf_handler handle;
	void *ctx;
	struct conf_warnings *warnings;
	/* Config files: the value is the rest of the line (edge) or only the
	 * next word (supernode). */
	bool value_is_rest_of_line;
	/* Short options each value of which adds one (-l, -n): these may
	 * repeat in a config file, every other option with a value not. */
	const char *repeatable;
	/* Short options whose value a message never quotes (-k, -J); so
	 * is any long option named "...password". */
	const char *secret;
};

/* A config file split per §9.3: one entry per option line. */
struct conf_line {
	unsigned int lineno;
	char *text;   /* the trimmed line, for messages */
	char *option; /* "-c", "--community", "-A4" */
	char *value;  /* NULL when the line has none */
	bool extra;   /* supernode: words after the value (ignored) */
};

struct conf_lines {
	struct conf_line *line;
	size_t count;
};

int conf_file_read(const char *path, bool value_is_rest_of_line,
		   struct conf_lines *out, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void conf_lines_free(struct conf_lines *l);

/* argv[first..argc-1]; returns 0, CONF_STOP or -EINVAL. */
int conf_scan_argv(const struct conf_scanner *s, int argc, char **argv,
		   int first, char *err, size_t errlen);
int conf_scan_file(const struct conf_scanner *s, const char *path, char *err,
		   size_t errlen);
/* The config file (argv[1] when it does not start with '-'), then the
 * rest of the command line: n2n's order. 0, CONF_STOP or -EINVAL. */
int conf_scan_file_and_argv(const struct conf_scanner *s, int argc, char **argv,
			    char *err, size_t errlen);
/* An environment variable as if it were option key with that value. */
int conf_scan_env(const struct conf_scanner *s, const struct conf_env *env,
		  const char *name, int key, bool quote_value, char *err,
		  size_t errlen);

const char *conf_getenv(const struct conf_env *env, const char *name);
void conf_warn(struct conf_warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Formats msg and returns -EINVAL, for one-line error returns. */
int conf_fail(char *msg, size_t msglen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Strict parsers: 0 or -EINVAL (the caller words the message). */
int conf_parse_long(const char *s, int base, long min, long max, long *out);
int conf_parse_ipv4(const char *s, struct in_addr *out);
int conf_parse_mac(const char *s, uint8_t mac[MAC_SIZE]);
/* These word their own messages. */
int conf_parse_prefix_net(const char *s, struct in_addr *net, uint8_t *prefix,
			  unsigned int min, unsigned int max, char *msg,
			  size_t msglen);
int conf_parse_hostport(const char *s, struct conf_hostport *out, char *msg,
			size_t msglen);
int conf_parse_bind(const char *s, struct conf_ip *addr, uint16_t *port,
		    unsigned int min_port, char *msg, size_t msglen);
int conf_parse_id(const char *s, const char *what, uint32_t *out, char *msg,
		  size_t msglen);
int conf_copy(char *dst, size_t size, const char *s, const char *what,
	      char *msg, size_t msglen);
int conf_parse_datapath(const char *s, enum datapath_kind *out, char *msg,
			size_t msglen);
/* --metrics=[ADDR:]PORT: an IPv4 address or [an IPv6 one] (127.0.0.1 when
 * left out), port 1..65535. */
int conf_parse_metrics(const char *s, struct sockaddr_storage *out, char *msg,
		       size_t msglen);
/* --xdp-mode: "auto", "native" or "generic". */
int conf_parse_xdp_mode(const char *s, enum datapath_xdp_mode *out, char *msg,
			size_t msglen);
int conf_replace_str(char **dst, const char *s, const char *what, char *msg,
		     size_t msglen);
void conf_free_secret(char **s);

#endif /* N2NK_CONF_H */
