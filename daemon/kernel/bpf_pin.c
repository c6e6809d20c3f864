// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpffs pins for programs and maps that outlive the daemon (bpf_pin.h).
 */
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_pin.h"
#include "common/log.h"

int bpf_pin_dir(char *out, size_t len, const char *root, const char *name)
{
	struct statfs fs;
	struct stat ns;
	int n;

	if (!root)
		root = BPF_PIN_ROOT;
	if (mkdir(root, 0700) && errno != EEXIST)
		return -ENOTSUP; /* e.g. /sys/fs/bpf is no bpffs here */
	if (statfs(root, &fs) || fs.f_type != BPF_FS_MAGIC)
		return -ENOTSUP;
	if (stat("/proc/self/ns/net", &ns))
		return -errno;
	n = snprintf(out, len, "%s/%lu-%s", root, (unsigned long)ns.st_ino,
		     name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(out, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int bpf_pin_lock(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Each entry of dir_fd that is not a pin (bpffs pins are regular
 * files) goes; how many, or -errno. */
static int remove_non_pins(int dir_fd, const char *dir)
{
	int fd = dup(dir_fd), n = 0;
	struct dirent *d;
	struct stat st;
	DIR *dh;

	if (fd < 0)
		return -errno;
	dh = fdopendir(fd);
	if (!dh) {
		close(fd);
		return -errno;
	}
	rewinddir(dh);
	while ((d = readdir(dh))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (!fstatat(dir_fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    S_ISREG(st.st_mode))
			continue;
		log_warn("%s/%s: not a pin (a symbolic link or directory "
			 "planted there?): removed",
			 dir,
			 log_escape((char[64]){ 0 }, 64, d->d_name,
				    strlen(d->d_name)));
		if (unlinkat(dir_fd, d->d_name, 0) &&
		    unlinkat(dir_fd, d->d_name, AT_REMOVEDIR)) {
			n = -errno;
			break;
		}
		n++;
	}
	closedir(dh);
	return n;
}

int bpf_pin_reclaim(int dir_fd, const char *dir)
{
	if (geteuid() == 0 && (fchown(dir_fd, 0, 0) || fchmod(dir_fd, 0700)))
		return -errno;
	return remove_non_pins(dir_fd, dir);
}

/* Whether the pinned map info describes has m's type, key, value, size. */
static bool same_layout(const struct bpf_map_info *info,
			const struct bpf_map *m)
{
	return info->type == bpf_map__type(m) &&
	       info->map_flags == bpf_map__map_flags(m) &&
	       info->key_size == bpf_map__key_size(m) &&
	       info->value_size == bpf_map__value_size(m) &&
	       info->max_entries == bpf_map__max_entries(m);
}

/* The map pinned at path: kept (1), replaced (0), or -errno. */
static int keep_pinned(const char *path, const struct bpf_map *m)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);
	bool got;

	if (fd < 0)
		return 0;
	got = !bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (got && same_layout(&info, m))
		return 1;
	if (unlink(path))
		return -errno;
	/* An older build's map: what it counted and held is gone. */
	log_warn("%s: the pinned map had another layout (key %u, value %u "
		 "bytes, %u entries; now %u, %u, %u): replaced, counters reset",
		 path, info.key_size, info.value_size, info.max_entries,
		 bpf_map__key_size(m), bpf_map__value_size(m),
		 bpf_map__max_entries(m));
	return 0;
}

int bpf_pin_map(struct bpf_map *m, const char *dir, bool *fresh)
{
	char path[256];
	int n, kept;

	n = snprintf(path, sizeof(path), "%s/%s", dir, bpf_map__name(m));
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	kept = keep_pinned(path, m);
	if (kept < 0)
		return kept;
	*fresh = !kept;
	return bpf_map__set_pin_path(m, path);
}

/* struct bpf_link_info's tcx member (kernel 6.6), which the C library's
 * headers may not have yet: at the start of the union, as xdp's ifindex
 * is. */
#define BPF_PIN_LINK_TYPE_TCX 11
struct bpf_pin_link_where {
	__u32 ifindex;
	__u32 attach_type; /* tcx only */
};

/*
 * The link pinned at path, if it is a link_type link on ifindex (and for
 * tcx of attach_type), with its program replaced by prog_fd: its fd,
 * -ESTALE (another link, left to be replaced) or -errno.
 */
static int take_link(int prog_fd, int ifindex, __u32 link_type,
		     __u32 attach_type, const char *path)
{
	struct bpf_link_info info = { 0 };
	struct bpf_pin_link_where at;
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != link_type)
		goto stale;
	memcpy(&at, (const char *)&info + offsetof(struct bpf_link_info, xdp),
	       sizeof(at));
	if (at.ifindex != (__u32)ifindex ||
	    (link_type == BPF_PIN_LINK_TYPE_TCX &&
	     at.attach_type != attach_type) ||
	    bpf_link_update(fd, prog_fd, NULL))
		goto stale;
	return fd;
stale:
	close(fd);
	return -ESTALE;
}

/* The pinned link taken over, else a new one made and pinned at path. */
static int pin_link(int prog_fd, int ifindex, __u32 link_type,
		    __u32 attach_type, __u32 flags, const char *path,
		    bool *adopted)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	int fd = take_link(prog_fd, ifindex, link_type, attach_type, path);

	*adopted = fd >= 0;
	if (*adopted)
		return fd;
	if (fd == -ESTALE && unlink(path) && errno != ENOENT)
		return -errno;
	fd = bpf_link_create(prog_fd, ifindex, attach_type, &opts);
	if (fd < 0)
		return -errno;
	if (bpf_obj_pin(fd, path)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int bpf_pin_xdp_link(int prog_fd, int ifindex, __u32 flags, const char *path,
		     bool *adopted)
{
	return pin_link(prog_fd, ifindex, BPF_LINK_TYPE_XDP, BPF_XDP, flags,
			path, adopted);
}

int bpf_pin_tcx_link(int prog_fd, int ifindex, __u32 attach_type,
		     const char *path, bool *adopted)
{
	return pin_link(prog_fd, ifindex, BPF_PIN_LINK_TYPE_TCX, attach_type, 0,
			path, adopted);
}

/* Unlinks every pin in the directory dir_fd holds (by name, so no path
 * above it is walked); how many, or -errno. */
static int remove_entries(int dir_fd)
{
	int fd = dup(dir_fd), err = 0, n = 0;
	struct dirent *d;
	DIR *dh;

	if (fd < 0)
		return -errno;
	dh = fdopendir(fd);
	if (!dh) {
		err = -errno;
		close(fd);
		return err;
	}
	rewinddir(dh);
	while ((d = readdir(dh))) {
		if (d->d_name[0] == '.')
			continue;
		if (unlinkat(dir_fd, d->d_name, 0) && !err)
			err = -errno;
		n++;
	}
	closedir(dh);
	return err ? err : n;
}

int bpf_pin_remove_at(int dir_fd, const char *dir)
{
	int n = remove_entries(dir_fd);

	if (n < 0)
		return n;
	/* The directory itself needs its parent's write permission: a
	 * daemon that dropped root leaves it, empty. */
	if (rmdir(dir) && errno != EACCES && errno != EPERM)
		return -errno;
	return n;
}

int bpf_pin_remove(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), n;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = remove_entries(fd);
	close(fd);
	if (n >= 0 && rmdir(dir))
		n = -errno;
	return n;
}
