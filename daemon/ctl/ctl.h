/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's control socket: a UNIX stream socket (mode 0660, directory
 * 0750) that answers one request line per connection with a rendered table.
 * Only root and the daemon's own uid are served (SO_PEERCRED).
 */
#ifndef N2NK_CTL_H
#define N2NK_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/un.h>

#include "ctl_table.h"

/* Where daemons put their sockets and where n2nctl looks for one. */
#define CTL_RUN_DIR "/run/n2nk"

enum ctl_server_limits {
	CTL_MAX_REQUEST = 512,	 /* bytes of a request line, newline included */
	CTL_MAX_ARGS = 32,	 /* words of a request line */
	CTL_IO_TIMEOUT_MS = 100, /* per client, for reading and for writing */
};

/*
 * A command fills t (ctl_table.h) and returns 0, or a negative value for an
 * error reply: the message set with ctl_table_errorf, else strerror(-ret).
 * argv[0] is the command name, argv[1..argc-1] its arguments (the "json"
 * word is consumed by the server); argv[argc] is NULL.
 */
struct ctl_command {
	const char *name;
	const char *help; /* one line, shown by the built-in "help" */
	int (*fn)(struct ctl_table *t, int argc, char **argv, void *ctx);
};

struct ctl_server {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct ctl_command *cmds;
	size_t n_cmds;
	void *ctx;  /* passed to every command */
	int dir_fd; /* that directory (O_PATH), for the unlink at close */
};

/*
 * Creates path's directory if missing (0750), replaces a stale socket (one
 * nobody listens on), binds, chmods 0660 and listens. cmds must outlive the
 * server. 0 or -errno: -EADDRINUSE when a live daemon owns path, -EEXIST
 * when path is something other than a socket, -ENAMETOOLONG.
 */
int ctl_open(struct ctl_server *s, const char *path,
	     const struct ctl_command *cmds, size_t n_cmds, void *ctx)
	__attribute__((warn_unused_result));
/* The listening socket, for the caller's epoll (EPOLLIN). */
int ctl_fd(const struct ctl_server *s);
/*
 * Serves one pending client: accept, read the line, check the peer,
 * dispatch, reply, close. Blocks at most about 2 * CTL_IO_TIMEOUT_MS.
 */
void ctl_on_readable(struct ctl_server *s);
/*
 * Answers one request line as serve() does for a permitted client, without
 * a socket: line is len bytes (cut at CTL_MAX_REQUEST, a NUL ends it
 * early), without its newline. For the fuzzer (tests/fuzz/fuzz_ctl_request.c).
 */
void ctl_answer(struct ctl_server *s, const char *line, size_t len,
		struct ctl_buf *reply);
/*
 * Closes the socket and unlinks its file where it still may (a daemon
 * that dropped root may not: the directory stays root's, and the next
 * start replaces the socket left behind); safe to call twice.
 */
void ctl_close(struct ctl_server *s);

#endif /* N2NK_CTL_H */
