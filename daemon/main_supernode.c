// SPDX-License-Identifier: GPL-2.0-only
/*
 * supernode: an n2n 3.x supernode. Takes n2n's flags and config files
 * (`supernode /etc/n2n/supernode.conf`), answers registrations and relays
 * for edges that cannot reach each other directly.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/daemonize.h"
#include "common/log.h"
#include "common/notify.h"
#include "conf/conf.h"
#include "kernel/xdp_relay_loader.h"
#include "supernode/supernode.h"

/*
 * The kernel datapath stays pinned when the daemon stops, so a restart
 * loses nothing; --xdp-unload is how it goes for good.
 */
static int xdp_unload(const struct sn_conf *c)
{
	struct sockaddr_storage bind = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&bind;
	char dir[256] = "";
	int n;

	in->sin_family = AF_INET;
	if (c->bind_addr.family == AF_INET)
		in->sin_addr = c->bind_addr.v4;
	n = xdp_relay_loader_unload(&bind, c->port, dir, sizeof(dir));
	if (n < 0) {
		fprintf(stderr,
			"supernode: removing the XDP relay of port %u "
			"(%s): %s\n",
			c->port, dir,
			n == -EBUSY ? "a supernode using it is running; stop "
				      "it first"
				    : strerror(-n));
		return 1;
	}
	printf("XDP relay of port %u: %s (%s)\n", c->port,
	       n ? "removed" : "nothing pinned", dir);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: supernode [CONFIG_FILE] [-p [ip:]<port>] "
		   "[-c <community list>] [-M] [-f] [-v]\n"
		   "  -a <ip>-<ip>/<len>   auto-IP range (default "
		   "10.128.0.0-10.255.255.0/24)\n"
		   "  -m <mac> -V <text>   supernode MAC, version string\n"
		   "  --datapath=auto|kernel|socket  --ctl-socket=<path>  "
		   "--metrics=[ip:]<port>\n"
		   "  --metrics-community-names  names, not ids, as community "
		   "labels\n"
		   "  --xdp-mode=auto|native|generic  --xdp-unload  "
		   "--pin-root=<bpffs dir>\n"
		   "  --no-tcp             no TCP listener (-S2 edges)\n"
		   "See supernode(8).\n");
}

int main(int argc, char **argv)
{
	/* Static: large, zeroed, and off main's stack. */
	static struct sn_conf conf;
	static struct supernode sn;
	char err[512];
	unsigned int i;
	int sig;

	if (sn_conf_parse(&conf, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "supernode: %s\n", err);
		usage(stderr);
		sn_conf_free(&conf);
		return 2;
	}
	if (conf.help) {
		usage(stdout);
		sn_conf_free(&conf);
		return 0;
	}
	xdp_relay_loader_pin_root(conf.pin_root);
	if (conf.xdp_unload) {
		i = (unsigned int)xdp_unload(&conf);
		sn_conf_free(&conf);
		return (int)i;
	}
	log_level = conf.verbosity;
	for (i = 0; i < conf.warnings.count; i++)
		log_warn("%s", conf.warnings.text[i]);
	/* Forked before any thread (set-up starts name lookups); detached
	 * only once set up, so start-up errors reach the terminal. */
	if (!conf.foreground && (sig = daemonize_start()) < 0) {
		log_err("cannot detach: %s", strerror(-sig));
		return 1;
	}
	if (sn_init(&sn, &conf)) {
		sn_fini(&sn);
		sn_conf_free(&conf);
		return 1;
	}
	if (sn_drop_privileges(&sn)) {
		notify_status("dropping root failed");
		sn_fini(&sn);
		sn_conf_free(&conf);
		return 1;
	}
	if (!conf.foreground) {
		log_to_syslog("supernode");
		daemonize_ready();
	}
	/* Ready only now: the sockets and any XDP relay are up. */
	snprintf(err, sizeof(err), "supernode on port %u", conf.port);
	if (notify_ready(err) < 0)
		log_warn("cannot tell the service manager we are ready");
	sig = sn_run(&sn);
	notify_stopping();
	if (sig < 0)
		log_err("stopping: the event loop failed: %s", strerror(-sig));
	else
		log_notice("stopping (signal %d)", sig);
	sn_fini(&sn);
	sn_conf_free(&conf);
	return sig < 0; /* a failure, which Restart=on-failure retries */
}
