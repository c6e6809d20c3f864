// SPDX-License-Identifier: GPL-2.0-only
/*
 * edge: an n2n 3.x edge. Takes n2n's flags and config files
 * (`edge /etc/n2n/edge.conf`), runs in the foreground (-f) or as a
 * daemon, and prints n2n's "Packet stats" when it stops.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/daemonize.h"
#include "common/log.h"
#include "common/notify.h"
#include "conf/conf.h"
#include "edge/edge.h"
#include "kernel/edge_loader.h"
#include "kernel/tap.h"

/*
 * The kernel path stays up, pinned, when the daemon stops, so a restart
 * loses nothing; --kernel-unload is how it goes for good: the pins, the
 * veth pair and the (persistent) TAP device.
 */
static int kernel_unload(const struct edge_conf *c)
{
	char why[256];
	int n = edge_loader_unload(c->pin_root[0] ? c->pin_root : NULL,
				   c->tap_name, why, sizeof(why)),
	    tap;

	if (n < 0) {
		fprintf(stderr, "edge: %s%s\n", why,
			n == -EBUSY ? "; stop it first" : "");
		return 1;
	}
	tap = tap_remove(c->tap_name);
	printf("kernel path of %s: %s%s\n", c->tap_name,
	       n ? "removed" : "nothing pinned",
	       tap ? "" : "; TAP device removed");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: edge [CONFIG_FILE] -c <community> -l <supernode:port> "
		"[options]\n"
		"  -k <key> -A1..-A5 -H -z1|-z2   key, cipher, header "
		"encryption, compression\n"
		"  -a [static:]<ip>[/<len>]       TAP address (default: from "
		"the supernode)\n"
		"  -d <tap> -m <mac> -M <mtu>     TAP device name, MAC, MTU\n"
		"  -p [ip:]<port>                 local UDP port\n"
		"  -e <ip>|auto  --no-port-forwarding  preferred socket, no "
		"router port mapping\n"
		"  -n <net>/<len>:<gw>            route through the overlay "
		"(repeatable)\n"
		"  -r -E -S1 -i <s> -I <desc>     routing and bridging, "
		"multicast, relay only, interval, description\n"
		"  -R <rule> -T <tos> -D          traffic rule (repeatable), "
		"TOS, PMTU discovery\n"
		"  --select-rtt --select-mac      supernode selection "
		"(default: by load)\n"
		"  -f -v -V                       foreground, more/less "
		"logging\n"
		"  --datapath=auto|kernel|socket  --ctl-socket=<path>  "
		"--metrics=[ip:]<port>\n"
		"  --metrics-community-names  names, not ids, as community "
		"labels\n"
		"  --mss-clamp=auto|off|<n>  --pin-root=<bpffs dir>  "
		"--kernel-hold=<s>  --kernel-unload\n"
		"See edge(8).\n");
}

int main(int argc, char **argv)
{
	/* Static: large, zeroed, and off main's stack. */
	static struct edge_conf conf;
	static struct edge e;
	char err[512];
	unsigned int i;
	int sig;

	if (edge_conf_parse(&conf, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "edge: %s\n", err);
		usage(stderr);
		edge_conf_free(&conf);
		return 2;
	}
	if (conf.help) {
		usage(stdout);
		edge_conf_free(&conf);
		return 0;
	}
	if (conf.kernel_unload) {
		i = (unsigned int)kernel_unload(&conf);
		edge_conf_free(&conf);
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
	if (edge_init(&e, &conf)) {
		edge_fini(&e);
		edge_conf_free(&conf);
		return 1;
	}
	if (edge_drop_privileges(&e)) {
		notify_status("dropping root failed");
		edge_fini(&e);
		edge_conf_free(&conf);
		return 1;
	}
	if (!conf.foreground) {
		log_to_syslog("edge");
		daemonize_ready();
	}
	/* Ready only now: the TAP, the sockets and any kernel path are up. */
	snprintf(err, sizeof(err), "edge on %s", conf.tap_name);
	if (notify_ready(err) < 0)
		log_warn("cannot tell the service manager we are ready");
	sig = edge_run(&e);
	notify_stopping();
	if (sig < 0)
		log_err("stopping: the event loop failed: %s", strerror(-sig));
	else if (!e.tap_gone)
		log_notice("stopping (signal %d)", sig);
	edge_print_stats(&e);
	/* 1: a failure, which Restart=on-failure retries (the loop failed);
	 * 3: the TAP was removed under us, which the units leave stopped
	 * (RestartPreventExitStatus=3): whoever removed it meant it. */
	sig = e.tap_gone ? 3 : sig < 0;
	edge_fini(&e);
	edge_conf_free(&conf);
	return sig;
}
