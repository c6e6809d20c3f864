// SPDX-License-Identifier: GPL-2.0-only
/*
 * supernode: an n2n 3.x supernode. Takes n2n's flags and config files
 * (`supernode /etc/n2n/supernode.conf`), answers registrations and relays
 * for edges that cannot reach each other directly.
 */
#include <stdio.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "supernode.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: supernode [CONFIG_FILE] [-p [ip:]<port>] "
		   "[-c <community list>] [-M] [-f] [-v]\n"
		   "  -a <ip>-<ip>/<len>   auto-IP range (default "
		   "10.128.0.0-10.255.255.0/24)\n"
		   "  -m <mac> -V <text>   supernode MAC, version string\n"
		   "  --datapath=auto|kernel|socket  --ctl-socket=<path>\n"
		   "  --xdp-mode=auto|native|generic\n"
		   "See supernode(8).\n");
}

int main(int argc, char **argv)
{
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
	log_level = conf.verbosity;
	for (i = 0; i < conf.warnings.count; i++)
		log_warn("%s", conf.warnings.text[i]);
	if (sn_init(&sn, &conf)) {
		sn_fini(&sn);
		sn_conf_free(&conf);
		return 1;
	}
	/* Detach only once set up, so start-up errors reach the terminal. */
	if (!conf.foreground) {
		log_to_syslog("supernode");
		if (daemon(0, 0) < 0) {
			log_err("cannot detach: %m");
			return 1;
		}
	}
	sig = sn_run(&sn);
	log_notice("stopping (signal %d)", sig);
	sn_fini(&sn);
	sn_conf_free(&conf);
	return 0;
}
