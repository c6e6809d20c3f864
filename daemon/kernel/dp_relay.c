// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supernode's registry mirrored into the XDP relay's maps, and its
 * counters read back: no-ops when the kernel backend is not in use.
 */
#include <errno.h>
#include <stdio.h>

#include "common/log.h"
#include "datapath.h"
#include "dp_relay.h"
#include "xdp_relay_loader.h"

int datapath_relay_err(struct datapath *dp, int err,
		       const struct xdp_relay_why *why)
{
	snprintf(dp->err_buf, sizeof(dp->err_buf), "%s", why->msg);
	return err;
}

int datapath_relay_edge_set(struct datapath *dp, const char *community,
			    const uint8_t *mac,
			    const struct sockaddr_storage *sa,
			    uint32_t valid_ms)
{
	struct xdp_relay_why why;
	int err;

	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_edge_set(dp->relay, community, mac, sa, valid_ms,
					&why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

int datapath_relay_edge_del(struct datapath *dp, const char *community,
			    const uint8_t *mac)
{
	struct xdp_relay_why why;
	int err;

	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_edge_del(dp->relay, community, mac, &why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

void datapath_relay_sweep(struct datapath *dp)
{
	struct xdp_relay_why why;
	unsigned int swept;
	char note[256];

	if (!dp->relay)
		return;
	if (xdp_relay_loader_sweep(dp->relay, &swept, &why))
		log_warn("%s", why.msg);
	else if (swept)
		log_info("XDP relay: %u registration(s) ran out", swept);
	/* Here too: what an interface can take may have changed. */
	if (xdp_relay_loader_egress_refresh(dp->relay, note, sizeof(note),
					    &why))
		log_warn("%s", why.msg);
	else if (note[0])
		log_info("XDP relay: %s", note);
}

void datapath_relay_hops_tick(struct datapath *dp)
{
	struct xdp_relay_hops_tally t;
	struct xdp_relay_why why;

	if (!dp->relay)
		return;
	if (xdp_relay_loader_hops_tick(dp->relay, &t, &why))
		log_warn("%s", why.msg);
	if (t.full)
		log_warn("XDP relay: next hop table full: %u edge address(es) "
			 "relayed by the daemon",
			 t.full);
	if (t.removed)
		log_info("XDP relay: %u next hop(s) no edge uses any more",
			 t.removed);
	if (t.resolved || t.missing)
		log_debug("XDP relay: next hops: %u resolved, %u unresolved",
			  t.resolved, t.missing);
}

int datapath_relay_he_set(struct datapath *dp, const char *community,
			  const struct he_keys *keys)
{
	struct xdp_relay_why why;
	int err;

	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_he_set(dp->relay, community, keys, &why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

int datapath_relay_he_del(struct datapath *dp, const char *community)
{
	struct xdp_relay_why why;
	int err;

	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_he_del(dp->relay, community, &why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

int datapath_relay_he_stamp(struct datapath *dp, const char *community,
			    const uint8_t *mac, uint64_t stamp)
{
	struct xdp_relay_why why;
	int err;

	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_he_stamp_seed(dp->relay, community, mac, stamp,
					     &why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

int datapath_relay_he_prune(struct datapath *dp,
			    bool (*keep)(const char *community, void *arg),
			    void *arg, unsigned int *pruned)
{
	struct xdp_relay_why why;
	int err;

	*pruned = 0;
	if (!dp->relay)
		return 0;
	err = xdp_relay_loader_he_prune(dp->relay, keep, arg, pruned, &why);
	return err ? datapath_relay_err(dp, err, &why) : 0;
}

void datapath_relay_he_clock(struct datapath *dp)
{
	struct xdp_relay_why why;

	if (dp->relay && xdp_relay_loader_he_clock(dp->relay, &why))
		log_warn("%s", why.msg);
}

bool datapath_relay_reasons(struct datapath *dp,
			    uint64_t packets[N2NK_REASON_SLOTS])
{
	struct xdp_relay_why why;

	if (!dp->relay)
		return false;
	if (xdp_relay_loader_reasons(dp->relay, packets, &why)) {
		datapath_relay_err(dp, 0, &why);
		return false;
	}
	return true;
}

bool datapath_relay_egress(struct datapath *dp,
			   uint64_t packets[N2NK_RELAY_EGRESS_SLOTS])
{
	struct xdp_relay_why why;

	if (!dp->relay)
		return false;
	if (xdp_relay_loader_egress(dp->relay, packets, &why)) {
		datapath_relay_err(dp, 0, &why);
		return false;
	}
	return true;
}

int datapath_relay_map_info(struct datapath *dp, unsigned int i,
			    struct xdp_relay_map_info *out)
{
	if (!dp->relay)
		return -ENODEV;
	return xdp_relay_loader_map_info(dp->relay, i, out);
}

bool datapath_relay_edge_stats(struct datapath *dp, const char *community,
			       const uint8_t *mac,
			       struct n2nk_relay_edge_stats *out)
{
	return dp->relay &&
	       !xdp_relay_loader_edge_stats(dp->relay, community, mac, out);
}
