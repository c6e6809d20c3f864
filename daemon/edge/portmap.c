// SPDX-License-Identifier: GPL-2.0-only
/*
 * The port mapper's worker thread and its link to the edge. The worker
 * asks the default gateway for a UDP mapping of the edge's port by PCP,
 * then NAT-PMP, then UPnP-IGD; renews it (PCP at a random point of 1/2..
 * 5/8 of the lease, RFC 6887 §11.2.1; the others at half); on a failed
 * renewal (network gone, gateway changed) drops it without a word to the
 * router; deletes it when told to stop. Each result goes to the event loop
 * through an eventfd; the loop re-registers at once when the external
 * socket changed. One edge per process: the state is this file's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sockaddr.h"
#include "conf/conf.h"
#include "ctl/ctl_table.h"
#include "edge/edge.h"
#include "edge/portmap_int.h"

#define PM_RETRY_FIRST_S 30
#define PM_RETRY_MAX_S	 1800
#define PM_NO_EXPIRY_S	 1800 /* re-asked this often when lease 0 */
#define PM_RENEW_MIN_MS	 1000
#define PM_JOIN_WAIT_S	 6

struct portmap {
	pthread_t th;
	bool started, done;
	int evfd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_bool stop; /* read by the worker and the libraries' loops */
	uint16_t local_port;
	struct portmap_status st; /* under mu */
	/* The event loop's view. */
	struct n2n_sock adv;
	bool have_adv;
	bool said_e; /* -e wins over the mapping: logged once */
};

static struct portmap pm = { .evfd = -1,
			     .mu = PTHREAD_MUTEX_INITIALIZER,
			     .st = { .state = "off" } };

const char *portmap_proto_name(enum portmap_proto p)
{
	static const char *const n[] = { "none", "pcp", "nat-pmp", "upnp" };

	return p < sizeof(n) / sizeof(n[0]) ? n[p] : "?";
}

/* The default route's gateway, from /proc/net/route; 0 or -ENOENT. */
static int default_gateway(struct in_addr *gw)
{
	FILE *f = fopen("/proc/net/route", "re");
	char line[256];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		unsigned int dst, via, flags, mask;

		if (sscanf(line, "%*s %x %x %x %*u %*u %*u %x", &dst, &via,
			   &flags, &mask) == 4 &&
		    !dst && !mask && via && (flags & 0x2 /* RTF_GATEWAY */)) {
			gw->s_addr = via; /* the file has network order */
			err = 0;
		}
	}
	fclose(f);
	return err;
}

/* Our address towards the gateway: 0 or -errno. */
static int local_towards(struct in_addr gw, struct in_addr *local)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(5351),
				  .sin_addr = gw };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len))
		err = -errno;
	close(fd);
	*local = sa.sin_addr;
	return err;
}

static void publish(const char *state, const struct pm_map *m, const char *why,
		    bool renewed)
{
	pthread_mutex_lock(&pm.mu);
	pm.st.state = state;
	pm.st.proto = m ? m->proto : PORTMAP_NONE;
	pm.st.ext_ip = m ? m->ext_ip : (struct in_addr){ 0 };
	pm.st.ext_port = m ? m->ext_port : 0;
	pm.st.lease_s = m ? m->lease_s : 0;
	pm.st.expires_ms = m && m->lease_s ? pm_now_ms() + m->lease_s * 1000ull
					   : 0;
	pm.st.renewals += renewed;
	snprintf(pm.st.why, sizeof(pm.st.why), "%s", why ? why : "");
	pthread_mutex_unlock(&pm.mu);
	(void)eventfd_write(pm.evfd, 1);
}

/* Sleeps ms, or less when told to stop. */
static void nap(uint64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&pm.mu);
	while (!pm.stop &&
	       pthread_cond_timedwait(&pm.cv, &pm.mu, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&pm.mu);
}

static uint64_t renew_after_ms(const struct pm_map *m)
{
	uint64_t ms;

	if (!m->lease_s)
		return PM_NO_EXPIRY_S * 1000ull;
	ms = m->lease_s * 500ull;
	if (m->proto == PORTMAP_PCP) /* 1/2 .. 5/8 */
		ms += randombytes_uniform((uint32_t)(m->lease_s * 125 + 1));
	return ms < PM_RENEW_MIN_MS ? PM_RENEW_MIN_MS : ms;
}

static int ask(const struct pm_req *r, struct pm_map *m, enum portmap_proto p,
	       bool renew)
{
	switch (p) {
	case PORTMAP_PCP:
		return pm_pcp_map(r, m, renew);
	case PORTMAP_NATPMP:
		return pm_natpmp_map(r, m, renew);
	case PORTMAP_UPNP:
		return pm_upnp_map(r, m, renew);
	default:
		return -EINVAL;
	}
}

static void unmap(const struct pm_req *r, struct pm_map *m)
{
	if (m->proto == PORTMAP_PCP)
		pm_pcp_unmap(r, m);
	else if (m->proto == PORTMAP_NATPMP)
		pm_natpmp_unmap(r, m);
	else if (m->proto == PORTMAP_UPNP)
		pm_upnp_unmap(r, m);
}

/* PCP, NAT-PMP, UPnP in turn: 0 with m, or -errno. */
static int probe(const struct pm_req *r, struct pm_map *m)
{
	enum portmap_proto p;

	for (p = PORTMAP_PCP; p <= PORTMAP_UPNP && !pm.stop; p++)
		if (!ask(r, m, p, false))
			return 0;
	return -ENOENT;
}

/* An external address no peer reaches: not advertised (see the header). */
static bool usable_ext(const struct pm_req *r, struct pm_map *m, char *why,
		       size_t len)
{
	char a[INET_ADDRSTRLEN];
	static bool warned;

	if (!pm_addr_reserved(m->ext_ip))
		return true;
	inet_ntop(AF_INET, &m->ext_ip, a, sizeof(a));
	if (pm_allow_reserved()) {
		if (!warned)
			log_warn("N2NK_PORTMAP_ALLOW_RESERVED=1 (tests only): "
				 "advertising the reserved external address "
				 "%s",
				 a);
		warned = true;
		return true;
	}
	snprintf(why, len, "external address %s is reserved (double NAT)", a);
	unmap(r, m);
	return false;
}

static int fill_req(struct pm_req *r)
{
	memset(r, 0, sizeof(*r));
	r->local_port = pm.local_port;
	r->stop = &pm.stop;
	if (default_gateway(&r->gw))
		return -ENETUNREACH;
	return local_towards(r->gw, &r->local);
}

/* One round: a renewal or a fresh probe; the wait before the next. */
static uint64_t round_once(struct pm_req *mr, struct pm_map *m, bool *mapped,
			   unsigned int *backoff_s)
{
	struct pm_req r;
	char why[96] = "";
	uint64_t retry = *backoff_s * 1000ull;

	if (fill_req(&r)) {
		snprintf(why, sizeof(why), "no IPv4 default gateway");
	} else if (*mapped && (r.gw.s_addr != mr->gw.s_addr ||
			       r.local.s_addr != mr->local.s_addr ||
			       ask(mr, m, m->proto, true) ||
			       !usable_ext(mr, m, why, sizeof(why)))) {
		/* Network gone or changed: dropped, nothing sent. A renewal
		 * names the external address again (PCP, NAT-PMP re-asks it,
		 * UPnP too), so it passes the first mapping's checks. */
		log_info("port mapping: %s lease lost, asking again%s%s",
			 portmap_proto_name(m->proto), why[0] ? ": " : "", why);
		pm_upnp_forget(m);
		*mapped = false;
		*backoff_s = PM_RETRY_FIRST_S;
		publish("none", NULL, why[0] ? why : "renewal failed", false);
		return 1000;
	} else if (*mapped) {
		publish("mapped", m, NULL, true);
		return renew_after_ms(m);
	} else if (probe(&r, m)) {
		snprintf(why, sizeof(why),
			 "no PCP, NAT-PMP or UPnP-IGD answer from the gateway");
	} else if (usable_ext(&r, m, why, sizeof(why))) {
		*mr = r;
		*mapped = true;
		*backoff_s = PM_RETRY_FIRST_S;
		publish("mapped", m, NULL, false);
		return renew_after_ms(m);
	}
	if (*backoff_s < PM_RETRY_MAX_S)
		*backoff_s *= 2;
	publish("none", NULL, why, false);
	return retry;
}

static void *worker(void *arg)
{
	struct pm_map m = { 0 };
	struct pm_req mr = { 0 };
	unsigned int backoff_s = PM_RETRY_FIRST_S;
	bool mapped = false;
	static const atomic_bool go_on = false;

	(void)arg;
	while (!pm.stop)
		nap(round_once(&mr, &m, &mapped, &backoff_s));
	if (mapped) {
		log_info("port mapping: deleting the %s mapping",
			 portmap_proto_name(m.proto));
		mr.stop = &go_on;
		unmap(&mr, &m);
	}
	publish("stopped", NULL, NULL, false);
	return NULL;
}

/* The event loop: the worker's latest result, re-announced if new. */
static void on_result(void *arg)
{
	struct edge *e = arg;
	struct portmap_status st;
	struct n2n_sock s = { 0 };
	char a[SOCKADDR_STR_MAX];
	eventfd_t v;
	bool mapped;

	(void)eventfd_read(pm.evfd, &v);
	edge_portmap_status(e, &st);
	s.port = st.ext_port;
	memcpy(s.addr, &st.ext_ip, 4);
	mapped = !strcmp(st.state, "mapped");
	if (mapped == pm.have_adv &&
	    (!mapped || !memcmp(&s, &pm.adv, sizeof(s))))
		return;
	pm.have_adv = mapped;
	pm.adv = s;
	if (pm.have_adv)
		log_notice("port mapping: %s external socket %s (lease %u s)",
			   portmap_proto_name(st.proto), sock_str(&s, a),
			   st.lease_s);
	else
		log_info("port mapping: none (%s)", st.why[0] ? st.why : "-");
	/* The supernode learns the new socket now, not an interval later. */
	if (!e->sn_wait)
		e->last_reg_ms = 0;
}

static int start(struct edge *e)
{
	pthread_condattr_t ca;
	int err;

	pm.local_port = e->dp.bound_port;
	pm.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (pm.evfd < 0)
		return -errno;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pm.cv, &ca);
	pthread_condattr_destroy(&ca);
	/* Before the thread: its first publish() must not be overwritten. */
	pthread_mutex_lock(&pm.mu);
	pm.st.state = "probing";
	pthread_mutex_unlock(&pm.mu);
	err = evloop_add(&e->loop, pm.evfd, on_result, e);
	if (!err)
		err = -pthread_create(&pm.th, NULL, worker, NULL);
	if (err) {
		evloop_del(&e->loop, pm.evfd);
		close(pm.evfd);
		pm.evfd = -1;
		pthread_mutex_lock(&pm.mu);
		pm.st.state = "off";
		pthread_mutex_unlock(&pm.mu);
		return err;
	}
	pm.started = true;
	return 0;
}

void edge_portmap_tick(struct edge *e, uint64_t now)
{
	static bool tried;
	int err;

	(void)now;
	if (tried || !e->conf || e->conf->no_port_forwarding ||
	    !e->dp.bound_port)
		return;
	tried = true;
	err = start(e);
	if (err)
		log_warn("port mapping: cannot start its thread: %s",
			 strerror(-err));
}

void edge_portmap_stop(struct edge *e)
{
	struct timespec ts;

	if (!pm.started || pm.done)
		return;
	pm.done = true;
	pthread_mutex_lock(&pm.mu);
	pm.stop = true;
	pthread_cond_signal(&pm.cv);
	pthread_mutex_unlock(&pm.mu);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += PM_JOIN_WAIT_S;
	if (pthread_timedjoin_np(pm.th, NULL, &ts)) {
		/* Still in a library call: it may yet write to the eventfd,
		 * which therefore stays open until we exit. */
		log_warn("port mapping: not finished after %d s; leaving it",
			 PM_JOIN_WAIT_S);
		pthread_detach(pm.th);
		return;
	}
	evloop_del(&e->loop, pm.evfd);
	close(pm.evfd);
	pm.evfd = -1;
	pm.have_adv = false;
}

void edge_portmap_status(const struct edge *e, struct portmap_status *s)
{
	pthread_mutex_lock(&pm.mu);
	*s = pm.st;
	pthread_mutex_unlock(&pm.mu);
	s->enabled = e->conf && !e->conf->no_port_forwarding;
}

/* -e auto: the address facing the current supernode (IPv4 only, as n2n). */
static bool auto_local(struct edge *e, struct in_addr *a)
{
	const struct sockaddr_storage *sn = &e->sn[e->cur_sn].sa;
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int fd;
	bool ok;

	if (!e->sn[e->cur_sn].resolved || sn->ss_family != AF_INET)
		return false;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = !connect(fd, (const struct sockaddr *)sn,
		      sizeof(struct sockaddr_in)) &&
	     !getsockname(fd, (struct sockaddr *)&me, &len) &&
	     me.sin_family == AF_INET;
	close(fd);
	if (ok)
		*a = me.sin_addr;
	return ok;
}

bool edge_preferred_sock(struct edge *e, struct n2n_sock *s)
{
	const struct edge_conf *c = e->conf; /* NULL in unit tests */
	struct in_addr a = { 0 };

	if (c && (c->preferred_local_set ||
		  (c->preferred_local_auto && auto_local(e, &a)))) {
		if (c->preferred_local_set)
			a = c->preferred_local;
		if (pm.have_adv && !pm.said_e)
			log_notice("port mapping: -e takes the preferred "
				   "socket; the mapping stays open, not "
				   "advertised");
		pm.said_e |= pm.have_adv;
		memset(s, 0, sizeof(*s));
		s->port = e->dp.bound_port;
		memcpy(s->addr, &a, 4);
		return true;
	}
	if (!pm.have_adv)
		return false;
	*s = pm.adv;
	return true;
}

void edge_portmap_columns(struct ctl_table *t)
{
	ctl_table_column(t, "portmap");
	ctl_table_column(t, "portmap_protocol");
	ctl_table_column(t, "portmap_external");
	ctl_table_column(t, "portmap_lease_left_s");
	ctl_table_column(t, "preferred_socket");
}

void edge_portmap_cells(struct ctl_table *t, struct edge *e)
{
	struct portmap_status st;
	struct n2n_sock s = { 0 };
	char a[SOCKADDR_STR_MAX];
	uint64_t now = pm_now_ms();
	bool mapped;

	edge_portmap_status(e, &st);
	mapped = !strcmp(st.state, "mapped");
	ctl_table_str(t, st.enabled ? st.state : "off");
	ctl_table_str(t, portmap_proto_name(st.proto));
	s.port = st.ext_port;
	memcpy(s.addr, &st.ext_ip, 4);
	ctl_table_str(t, mapped ? sock_str(&s, a) : "");
	if (mapped && st.expires_ms)
		ctl_table_u64(t, st.expires_ms > now
					 ? (st.expires_ms - now) / 1000
					 : 0);
	else
		ctl_table_null(t);
	ctl_table_str(t, edge_preferred_sock(e, &s) ? sock_str(&s, a) : "");
}
