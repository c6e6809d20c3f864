// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge kernel path's pins: see edge_pins.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_pin.h"
#include "edge_pins.h"

/* enum bpf_attach_type of kernel 6.6 (as edge_loader.c). */
#define EP_TCX_INGRESS 46
#define EP_TCX_EGRESS  47

/* "edge-<tap>"; bpffs refuses a '.' in a name. */
static int dir_of(char *dir, size_t len, const char *root, const char *tap)
{
	char name[32], *dot;

	snprintf(name, sizeof(name), "edge-%s", tap);
	while ((dot = strchr(name, '.')))
		*dot = '_';
	return bpf_pin_dir(dir, len, root, name);
}

int edge_pins_open(struct edge_pins *p, const char *root, const char *tap,
		   struct bpf_map *const maps[EDGE_PINS_MAPS])
{
	int err, i;

	memset(p, 0, sizeof(*p));
	p->lock_fd = -1;
	memcpy(p->maps, maps, sizeof(p->maps));
	err = dir_of(p->dir, sizeof(p->dir), root, tap);
	if (err == -ENOTSUP)
		return 0; /* no bpffs: works, but a restart starts afresh */
	if (err)
		return err;
	p->lock_fd = bpf_pin_lock(p->dir);
	if (p->lock_fd == -EBUSY)
		return 0; /* another daemon on this TAP: it keeps its pins */
	if (p->lock_fd < 0)
		return p->lock_fd;
	p->on = true;
	err = bpf_pin_reclaim(p->lock_fd, p->dir);
	if (err < 0)
		return err;
	for (i = 0; i < EDGE_PINS_MAPS; i++) {
		err = bpf_pin_map(maps[i], p->dir, &p->fresh[i]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Where name is pinned. Through the locked directory's fd while it is
 * held: a daemon that dropped root cannot walk the bpffs's root (0700)
 * any more, but /proc/self/fd/N leads into its own directory directly.
 */
static int path_of(const struct edge_pins *p, const char *name, char *path,
		   size_t len)
{
	int n = p->lock_fd >= 0 ? snprintf(path, len, "/proc/self/fd/%d/%s",
					   p->lock_fd, name)
				: snprintf(path, len, "%s/%s", p->dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int edge_pins_link(struct edge_pins *p, const char *name, int prog_fd,
		   int ifindex, bool ingress, bool *adopted)
{
	char path[320];
	int err = path_of(p, name, path, sizeof(path));

	*adopted = false;
	if (err)
		return err;
	return bpf_pin_tcx_link(prog_fd, ifindex,
				ingress ? EP_TCX_INGRESS : EP_TCX_EGRESS, path,
				adopted);
}

bool edge_pins_has(const struct edge_pins *p, const char *name)
{
	char path[320];

	return p->on && !path_of(p, name, path, sizeof(path)) &&
	       !access(path, F_OK);
}

void edge_pins_close(struct edge_pins *p, bool leave)
{
	if (p->on && !leave)
		bpf_pin_remove_at(p->lock_fd, p->dir);
	if (p->lock_fd >= 0)
		close(p->lock_fd);
	p->lock_fd = -1;
	p->on = false;
}

int edge_pins_read(const char *root, const char *tap, const char *name,
		   void *value, size_t size)
{
	char dir[256], path[320];
	struct bpf_map_info info = { 0 };
	__u32 zero = 0, ilen = sizeof(info);
	int fd, err;

	err = dir_of(dir, sizeof(dir), root, tap);
	if (err)
		return err;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	/* Another build's map may hold another value: not into ours. */
	if (bpf_obj_get_info_by_fd(fd, &info, &ilen) ||
	    info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(zero) ||
	    info.value_size != size)
		err = -ESRCH;
	else
		err = bpf_map_lookup_elem(fd, &zero, value) ? -errno : 0;
	close(fd);
	return err;
}

int edge_pins_unload(const char *root, const char *tap)
{
	char dir[256];
	int lock, ret;

	ret = dir_of(dir, sizeof(dir), root, tap);
	if (ret)
		return ret;
	lock = bpf_pin_lock(dir);
	if (lock < 0)
		return lock;
	ret = bpf_pin_remove(dir);
	close(lock);
	return ret;
}
