// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control socket server. One request per connection, served inside the
 * event loop's callback, so every wait is bounded by a short poll: a slow or
 * hostile client costs the daemon at most CTL_IO_TIMEOUT_MS per direction.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ctl.h"

struct ctl_request {
	char line[CTL_MAX_REQUEST + 1];
	char *argv[CTL_MAX_ARGS + 1];
	int argc;
	bool json;
};

/* Who started the daemon (set by ctl_open, before any drop). */
static uid_t start_uid;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Creates every missing directory above path's last component, 0750,
 * root's: a directory such as /run/n2nk is shared by every daemon of the
 * host, so none hands it to the user it drops to (a socket left behind
 * at a stop is replaced at the next start). */
static int make_parent_dirs(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *p, *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = 0;
	for (p = dir + 1;; p++) {
		char c = *p;

		if (c != '/' && c != 0)
			continue;
		*p = 0;
		if (mkdir(dir, 0750) && errno != EEXIST)
			return -errno;
		*p = c;
		if (!c)
			return 0;
	}
}

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

/*
 * A socket file nobody listens on is left by a daemon that died; one that
 * answers belongs to a running daemon, which we must not cut off.
 */
static int remove_stale_socket(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, ret;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	ret = unix_addr(&sa, path);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	close(fd);
	if (ret == 0 || ret == -EAGAIN)
		return -EADDRINUSE;
	if (ret != -ECONNREFUSED)
		return ret;
	return unlink(path) && errno != ENOENT ? -errno : 0;
}

static int bind_and_listen(struct ctl_server *s)
{
	struct sockaddr_un sa;
	mode_t old_mask;
	int ret;

	ret = unix_addr(&sa, s->path);
	if (ret)
		return ret;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	/* Created 0660 by the umask: a chmod by path after the bind could
	 * follow a symlink someone put there meanwhile. */
	old_mask = umask(0117);
	ret = bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old_mask);
	if (ret)
		return ret;
	if (listen(s->fd, 16)) {
		ret = -errno;
		unlink(s->path);
	}
	return ret;
}

/* The socket's directory, held: the daemon, maybe no longer root, then
 * removes the socket by name in it, whatever it may not walk above. */
static int open_dir(struct ctl_server *s)
{
	char dir[sizeof(s->path)], *slash;

	snprintf(dir, sizeof(dir), "%s", s->path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	s->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0) {
		unlink(s->path);
		return -errno;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int ctl_open(struct ctl_server *s, const char *path,
	     const struct ctl_command *cmds, size_t n_cmds, void *ctx)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->dir_fd = -1;
	start_uid = geteuid();
	if (strlen(path) >= sizeof(s->path))
		return -ENAMETOOLONG;
	memcpy(s->path, path, strlen(path) + 1);
	s->cmds = cmds;
	s->n_cmds = n_cmds;
	s->ctx = ctx;
	ret = make_parent_dirs(path);
	if (!ret)
		ret = remove_stale_socket(path);
	if (!ret)
		ret = bind_and_listen(s);
	if (!ret)
		ret = open_dir(s);
	if (ret) {
		log_err("control socket %s: %s", path, strerror(-ret));
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		s->path[0] = 0;
	}
	return ret;
}

int ctl_fd(const struct ctl_server *s)
{
	return s->fd;
}

void ctl_close(struct ctl_server *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->path[0] && s->dir_fd >= 0)
		unlinkat(s->dir_fd, base_name(s->path), 0);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	s->fd = -1;
	s->dir_fd = -1;
	s->path[0] = 0;
}

/* Waits for events on fd until deadline: 0, -ETIMEDOUT or -errno. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t now;
	int n;

	for (;;) {
		now = now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)(deadline - now));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/*
 * Reads up to the first newline into req->line (NUL-terminated, newline
 * dropped). A client may also end the line by closing its side. Returns 0,
 * -E2BIG (no newline in CTL_MAX_REQUEST bytes), -ETIMEDOUT, -ECONNRESET
 * (nothing sent) or -errno; the line holds what arrived in every case.
 */
static int read_request(int fd, struct ctl_request *req)
{
	uint64_t deadline = now_ms() + CTL_IO_TIMEOUT_MS;
	size_t len = 0;
	char *nl = NULL;
	ssize_t n;
	int ret = 0;

	while (!nl && !ret) {
		if (len == CTL_MAX_REQUEST) {
			ret = -E2BIG;
			break;
		}
		n = recv(fd, req->line + len, CTL_MAX_REQUEST - len, 0);
		if (n > 0) {
			nl = memchr(req->line + len, '\n', (size_t)n);
			len += (size_t)n;
		} else if (n == 0) {
			ret = len ? 1 : -ECONNRESET;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			ret = wait_fd(fd, POLLIN, deadline);
		} else if (errno != EINTR) {
			ret = -errno;
		}
	}
	if (nl)
		len = (size_t)(nl - req->line);
	req->line[len] = 0;
	return ret > 0 ? 0 : ret;
}

/* Splits the line into words; "json" after the command selects JSON. */
static int parse_request(struct ctl_request *req)
{
	char *save = NULL, *w;

	req->argc = 0;
	req->json = false;
	for (w = strtok_r(req->line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (req->argc == 1 && !req->json && strcmp(w, "json") == 0) {
			req->json = true;
			continue;
		}
		if (req->argc == CTL_MAX_ARGS)
			return -E2BIG;
		req->argv[req->argc++] = w;
	}
	req->argv[req->argc] = NULL;
	return 0;
}

/* Root and the daemon's own uid; a refusal is logged with who asked. */
static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    len != sizeof(cred)) {
		log_warn("control: SO_PEERCRED: %s", strerror(errno));
		return false;
	}
	/* The uid the daemon started as, not the one it dropped to: that
	 * may be nobody, shared with every other sandboxed process. */
	if (cred.uid == 0 || cred.uid == start_uid)
		return true;
	log_warn("control: refused uid %u (pid %d)", (unsigned int)cred.uid,
		 (int)cred.pid);
	return false;
}

static int help_table(const struct ctl_server *s, struct ctl_table *t)
{
	size_t i;

	ctl_table_column(t, "command");
	ctl_table_column(t, "description");
	for (i = 0; i < s->n_cmds; i++) {
		ctl_table_row(t);
		ctl_table_str(t, s->cmds[i].name);
		ctl_table_str(t, s->cmds[i].help);
	}
	ctl_table_row(t);
	ctl_table_str(t, "help");
	ctl_table_str(t, "list the commands");
	return t->err;
}

static const struct ctl_command *find_command(const struct ctl_server *s,
					      const char *name)
{
	size_t i;

	for (i = 0; i < s->n_cmds; i++)
		if (strcmp(s->cmds[i].name, name) == 0)
			return &s->cmds[i];
	return NULL;
}

/* Runs the command and renders its table (or its error) into reply. */
static void dispatch(struct ctl_server *s, struct ctl_request *req,
		     struct ctl_buf *reply)
{
	const struct ctl_command *cmd = find_command(s, req->argv[0]);
	struct ctl_table t;
	int ret;

	ctl_table_init(&t, req->argv[0]);
	if (cmd)
		ret = cmd->fn(&t, req->argc, req->argv, s->ctx);
	else if (strcmp(req->argv[0], "help") == 0)
		ret = help_table(s, &t);
	else
		ret = ctl_table_errorf(&t, "unknown command (try 'help')");
	if (ret < 0 && !ctl_table_error(&t))
		ctl_table_errorf(&t, "%s", strerror(-ret));
	if (ctl_render(&t, req->json, reply)) {
		ctl_buf_reset(reply);
		ctl_render_error(t.command, "reply too large", req->json,
				 reply);
	}
	ctl_table_fini(&t);
}

/* A whole line from a permitted client: parsed, then run or refused. */
static void answer(struct ctl_server *s, struct ctl_request *req,
		   struct ctl_buf *reply)
{
	int parsed = parse_request(req);

	if (parsed)
		ctl_render_error(req->argv[0], "too many words in the request",
				 req->json, reply);
	else if (!req->argc)
		ctl_render_error("request", "empty request", req->json, reply);
	else
		dispatch(s, req, reply);
}

void ctl_answer(struct ctl_server *s, const char *line, size_t len,
		struct ctl_buf *reply)
{
	struct ctl_request req;

	if (len > CTL_MAX_REQUEST)
		len = CTL_MAX_REQUEST;
	memcpy(req.line, line, len);
	req.line[len] = 0;
	answer(s, &req, reply);
}

/* Builds the reply for one client; an empty reply means say nothing. */
static void serve(struct ctl_server *s, int fd, struct ctl_buf *reply)
{
	struct ctl_request req;
	int rd = read_request(fd, &req);
	const char *why = NULL;

	if (rd == -ECONNRESET)
		return;
	if (!peer_allowed(fd))
		why = "permission denied";
	else if (rd == -E2BIG)
		why = "request line longer than 511 bytes";
	else if (rd == -ETIMEDOUT)
		why = "timed out waiting for the request line";
	else if (rd)
		why = strerror(-rd);
	if (!why) {
		answer(s, &req, reply);
		return;
	}
	/* Parsed for its "json" word and the command to name: a cut or
	 * late line names no command we could trust to echo. */
	parse_request(&req);
	ctl_render_error(!rd && req.argc ? req.argv[0] : "request", why,
			 req.json, reply);
}

static void send_reply(int fd, const struct ctl_buf *reply)
{
	uint64_t deadline = now_ms() + CTL_IO_TIMEOUT_MS;
	size_t off = 0;
	ssize_t n;

	while (off < reply->len) {
		n = send(fd, reply->data + off, reply->len - off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline))
				break;
		} else if (n == 0 || errno != EINTR) {
			break;
		}
	}
	if (off < reply->len)
		log_info("control: reply cut at %zu of %zu bytes", off,
			 reply->len);
}

/*
 * Reads what the client sent beyond the line, briefly: closing with unread
 * data makes the kernel reset the client's side instead of a clean EOF.
 */
static void drain(int fd)
{
	char sink[CTL_MAX_REQUEST];
	int i;

	for (i = 0; i < 8; i++)
		if (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
}

void ctl_on_readable(struct ctl_server *s)
{
	struct ctl_buf reply;
	int fd;

	fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control: accept: %s", strerror(errno));
		return;
	}
	ctl_buf_init(&reply);
	serve(s, fd, &reply);
	send_reply(fd, &reply);
	drain(fd);
	close(fd);
	ctl_buf_free(&reply);
}
