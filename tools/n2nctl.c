// SPDX-License-Identifier: GPL-2.0-only
/*
 * n2nctl: asks a running n2nk daemon (edge or supernode) a question over its
 * control socket and prints the answer. A thin client: the daemon renders
 * both the human table and the JSON (-j); docs/n2nctl.md is the schema.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* the daemon said no, or could not be reached */
	EXIT_USAGE = 2,
};

enum {
	MAX_SOCKETS_LISTED = 32,
	REPLY_TIMEOUT_S = 10,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: n2nctl [-s SOCKET] [-j|--json] COMMAND [ARGS...]\n"
		"\n"
		"Asks a running n2nk edge or supernode daemon and prints a "
		"table.\n"
		"\n"
		"  -s SOCKET   the daemon's control socket (default: the only "
		"socket\n"
		"              in " CTL_RUN_DIR "/)\n"
		"  -j, --json  JSON for scripts (schema: docs/n2nctl.md)\n"
		"  -h, --help  this text\n"
		"\n"
		"Common commands:\n"
		"  peers        edge: peers and how they are reached\n"
		"  supernodes   edge: supernodes and registration state\n"
		"  communities  supernode: communities served\n"
		"  edges        supernode: registered edges\n"
		"  stats        packet and drop counters\n"
		"  help         every command this daemon knows\n"
		"\n"
		"Exit status: 0 success, 1 error reported by the daemon or "
		"daemon\n"
		"unreachable, 2 usage error.\n");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the sockets in dir (sorted); their count, or -errno. */
static int list_sockets(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max) {
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISSOCK(st.st_mode))
			continue;
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_names);
	return n;
}

/* The default socket: the only one in CTL_RUN_DIR; else an exit code. */
static int default_socket(char *path, size_t cap)
{
	char *names[MAX_SOCKETS_LISTED];
	int i, n = list_sockets(CTL_RUN_DIR, names, MAX_SOCKETS_LISTED);
	int ret = EXIT_OK;

	if (n <= 0) {
		fprintf(stderr, "n2nctl: no control socket in " CTL_RUN_DIR
				"/ (is the daemon running? -s SOCKET names one "
				"elsewhere)\n");
		return EXIT_FAILED;
	}
	if (n == 1) {
		snprintf(path, cap, CTL_RUN_DIR "/%s", names[0]);
	} else {
		fprintf(stderr,
			"n2nctl: %d daemons are running; choose one "
			"with -s:\n",
			n);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  n2nctl -s " CTL_RUN_DIR "/%s ...\n",
				names[i]);
		ret = EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return ret;
}

/* "COMMAND [json] ARGS...\n"; words may not hold blanks (the separator). */
static int build_request(struct ctl_buf *req, bool json, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!argv[i][0] || strpbrk(argv[i], " \t\r\n")) {
			fprintf(stderr,
				"n2nctl: argument '%s' is empty or "
				"holds a blank\n",
				argv[i]);
			return EXIT_USAGE;
		}
		ctl_buf_printf(req, "%s%s", i ? " " : "", argv[i]);
		if (i == 0 && json)
			ctl_buf_puts(req, " json");
	}
	ctl_buf_puts(req, "\n");
	if (req->err || req->len > CTL_MAX_REQUEST) {
		fprintf(stderr, "n2nctl: request longer than %d bytes\n",
			CTL_MAX_REQUEST - 1);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int connect_daemon(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	const char *hint = "is the daemon running?";
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "n2nctl: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		return fd;
	}
	if (errno == EACCES || errno == EPERM)
		hint = "run as root or as the daemon's user";
	fprintf(stderr, "n2nctl: cannot connect to %s: %s (%s)\n", path,
		strerror(errno), hint);
	if (fd >= 0)
		close(fd);
	return -1;
}

static int send_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EPIPE;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Reads until the daemon closes. A reset after data counts as the end: the
 * kernel resets us if the daemon closed with our bytes unread.
 */
static int read_reply(int fd, struct ctl_buf *reply)
{
	char chunk[65536];
	ssize_t n;

	for (;;) {
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n > 0 && ctl_buf_put(reply, chunk, (size_t)n))
			return reply->err;
		if (n == 0 || (n < 0 && errno == ECONNRESET && reply->len))
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* Sends the request and prints the reply; an exit code. */
static int ask(const char *path, const struct ctl_buf *req, bool json,
	       const char *command)
{
	struct ctl_buf reply;
	int fd, ret;

	fd = connect_daemon(path);
	if (fd < 0)
		return EXIT_FAILED;
	ctl_buf_init(&reply);
	ret = send_all(fd, req->data, req->len) ? -errno
						: read_reply(fd, &reply);
	close(fd);
	if (ret || !reply.len) {
		fprintf(stderr, "n2nctl: %s: no reply from %s: %s\n", command,
			path, ret ? strerror(-ret) : "connection closed");
		ret = EXIT_FAILED;
	} else if (ctl_reply_is_error(reply.data, reply.len, json)) {
		fwrite(reply.data, 1, reply.len, stderr);
		ret = EXIT_FAILED;
	} else {
		fwrite(reply.data, 1, reply.len, stdout);
		ret = fflush(stdout) ? EXIT_FAILED : EXIT_OK;
	}
	ctl_buf_free(&reply);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)] = "";
	struct ctl_buf req;
	bool json = false;
	int c, ret;

	/* '+': stop at COMMAND, so its arguments may start with '-'. */
	while ((c = getopt_long(argc, argv, "+s:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (strlen(optarg) >= sizeof(path)) {
				fprintf(stderr,
					"n2nctl: socket path longer "
					"than %zu bytes: %s\n",
					sizeof(path) - 1, optarg);
				return EXIT_USAGE;
			}
			strcpy(path, optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	ctl_buf_init(&req);
	ret = build_request(&req, json, argc - optind, argv + optind);
	if (!ret && !path[0])
		ret = default_socket(path, sizeof(path));
	if (!ret)
		ret = ask(path, &req, json, argv[optind]);
	ctl_buf_free(&req);
	return ret;
}
