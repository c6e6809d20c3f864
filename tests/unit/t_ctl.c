// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control layer: tables rendered as JSON and as aligned text (escaping
 * of hostile strings, empty tables, error replies, hard caps), then the
 * socket server end to end inside this process, and a refused uid when root.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/compiler.h"
#include "common/log.h"
#include "ctl/ctl.h"
#include "ctl/ctl_loop.h"
#include "ctl/ctl_table.h"
#include "test.h"

/* Renders t both ways and compares with the expected replies. */
static void check_render(const struct ctl_table *t, const char *want_json,
			 const char *want_text)
{
	struct ctl_buf b;

	ctl_buf_init(&b);
	CHECK_EQ(ctl_render(t, true, &b), 0);
	CHECK_MSG(b.data && strcmp(b.data, want_json) == 0,
		  "json:\n%s\nwant:\n%s", b.data, want_json);
	ctl_buf_reset(&b);
	CHECK_EQ(ctl_render(t, false, &b), 0);
	CHECK_MSG(b.data && strcmp(b.data, want_text) == 0,
		  "text:\n%s\nwant:\n%s", b.data, want_text);
	ctl_buf_free(&b);
}

static void peers_table(struct ctl_table *t)
{
	ctl_table_init(t, "peers");
	ctl_table_column(t, "mac");
	ctl_table_column(t, "path");
	ctl_table_column(t, "rx_bytes");
	ctl_table_column(t, "delta");
	ctl_table_column(t, "up");
	ctl_table_column(t, "note");
	ctl_table_row(t);
	ctl_table_str(t, "02:00:00:00:00:0a");
	ctl_table_str(t, "p2p");
	ctl_table_u64(t, 1234);
	ctl_table_s64(t, -5);
	ctl_table_bool(t, true);
	ctl_table_row(t); /* note left out: null */
	ctl_table_strf(t, "02:00:00:00:00:%02x", 0x0b);
	ctl_table_str(t, "relay");
	ctl_table_u64(t, 7);
	ctl_table_s64(t, 100000);
	ctl_table_bool(t, false);
	ctl_table_str(t, "\xc3\xa9");
}

TEST(ctl_table_json_and_text)
{
	struct ctl_table t;

	peers_table(&t);
	CHECK_EQ(t.err, 0);
	CHECK_EQ(t.n_rows, 2);
	check_render(
		&t,
		"{\"command\":\"peers\",\"columns\":[\"mac\",\"path\","
		"\"rx_bytes\",\"delta\",\"up\",\"note\"],\"rows\":["
		"{\"mac\":\"02:00:00:00:00:0a\",\"path\":\"p2p\","
		"\"rx_bytes\":1234,\"delta\":-5,\"up\":true,\"note\":null},"
		"{\"mac\":\"02:00:00:00:00:0b\",\"path\":\"relay\","
		"\"rx_bytes\":7,\"delta\":100000,\"up\":false,"
		"\"note\":\"\xc3\xa9\"}]}\n",
		"MAC                PATH   RX_BYTES   DELTA  UP   NOTE\n"
		"02:00:00:00:00:0a  p2p        1234      -5  yes  -\n"
		"02:00:00:00:00:0b  relay         7  100000  no   \xc3\xa9\n");
	ctl_table_fini(&t);
}

TEST(ctl_table_number_extremes)
{
	struct ctl_table t;

	ctl_table_init(&t, "stats");
	ctl_table_column(&t, "max");
	ctl_table_column(&t, "min");
	ctl_table_row(&t);
	ctl_table_u64(&t, UINT64_MAX);
	ctl_table_s64(&t, INT64_MIN);
	check_render(&t,
		     "{\"command\":\"stats\",\"columns\":[\"max\",\"min\"],"
		     "\"rows\":[{\"max\":18446744073709551615,"
		     "\"min\":-9223372036854775808}]}\n",
		     "                 MAX                   MIN\n"
		     "18446744073709551615  -9223372036854775808\n");
	ctl_table_fini(&t);
}

/*
 * Quote, backslash, C0 controls, DEL, a stray byte, an overlong '/', a
 * surrogate, C1 CSI, U+2028, an emoji, a NUL and a cut sequence at the end.
 */
static const char nasty[] = "a\"b\\c\n\t\x01\x7f \xc3\xa9 \xff \xc0\xaf "
			    "\xed\xa0\x80 \xc2\x9b \xe2\x80\xa8 "
			    "\xf0\x9f\x98\x80\0\xe2\x82";

TEST(ctl_table_escapes_nasty_strings)
{
	struct ctl_table t;

	ctl_table_init(&t, "x\"\n");
	ctl_table_column(&t, "s");
	ctl_table_row(&t);
	ctl_table_strn(&t, nasty, sizeof(nasty) - 1);
	check_render(
		&t,
		"{\"command\":\"x\\\"\\n\",\"columns\":[\"s\"],\"rows\":["
		"{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f \xc3\xa9 \\ufffd "
		"\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\u009b \\u2028 "
		"\xf0\x9f\x98\x80\\u0000\\ufffd\\ufffd\"}]}\n",
		"S\n"
		"a\"b\\\\c\\x0a\\x09\\x01\\x7f \xc3\xa9 \\xff \\xc0\\xaf "
		"\\xed\\xa0\\x80 \\xc2\\x9b \xe2\x80\xa8 "
		"\xf0\x9f\x98\x80\\x00\\xe2\\x82\n");
	ctl_table_fini(&t);
}

/* Multi-byte characters count once when padding. */
TEST(ctl_table_text_pads_by_characters)
{
	struct ctl_table t;

	ctl_table_init(&t, "communities");
	ctl_table_column(&t, "name");
	ctl_table_column(&t, "edges");
	ctl_table_row(&t);
	ctl_table_str(&t, "caf\xc3\xa9-net");
	ctl_table_u64(&t, 3);
	ctl_table_row(&t);
	ctl_table_str(&t, "a");
	ctl_table_null(&t);
	check_render(&t,
		     "{\"command\":\"communities\",\"columns\":[\"name\","
		     "\"edges\"],\"rows\":[{\"name\":\"caf\xc3\xa9-net\","
		     "\"edges\":3},{\"name\":\"a\",\"edges\":null}]}\n",
		     "NAME      EDGES\n"
		     "caf\xc3\xa9-net      3\n"
		     "a             -\n");
	ctl_table_fini(&t);
}

TEST(ctl_table_empty)
{
	struct ctl_table t;

	ctl_table_init(&t, "peers");
	ctl_table_column(&t, "mac");
	check_render(&t,
		     "{\"command\":\"peers\",\"columns\":[\"mac\"],"
		     "\"rows\":[]}\n",
		     "(none)\n");
	ctl_table_fini(&t);
	ctl_table_init(&t, "nothing");
	check_render(&t,
		     "{\"command\":\"nothing\",\"columns\":[],"
		     "\"rows\":[]}\n",
		     "(none)\n");
	ctl_table_fini(&t);
}

TEST(ctl_table_error_reply)
{
	struct ctl_table t;

	ctl_table_init(&t, "peers");
	ctl_table_column(&t, "mac");
	ctl_table_row(&t);
	CHECK_EQ(ctl_table_errorf(&t, "no peer '%s'", "x\"\x1b[2J"), -EINVAL);
	/* The first error sticks. */
	CHECK_EQ(ctl_table_errorf(&t, "second"), -EINVAL);
	CHECK_EQ(ctl_table_str(&t, "ignored"), -EINVAL);
	check_render(&t,
		     "{\"command\":\"peers\",\"error\":\"no peer "
		     "'x\\\"\\u001b[2J'\"}\n",
		     "n2nctl: peers: no peer 'x\"\\x1b[2J'\n");
	ctl_table_fini(&t);
}

TEST(ctl_reply_is_error)
{
	static const char *const errors[] = {
		"{\"command\":\"peers\",\"error\":\"x\"}\n",
		"{\"command\":\"a\\\"b\\\\\",\"error\":\"x\"}\n",
	};
	static const char *const fine[] = {
		"{\"command\":\"peers\",\"columns\":[],\"rows\":[]}\n",
		"{\"command\":\"a\\\",\\\"error\\\":\",\"columns\":[]}\n",
		"{\"command\":\"cut",
		"{\"command\":\"cut\\",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		CHECK_MSG(
			ctl_reply_is_error(errors[i], strlen(errors[i]), true),
			"%s", errors[i]);
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		CHECK_MSG(!ctl_reply_is_error(fine[i], strlen(fine[i]), true),
			  "%s", fine[i]);
	CHECK(ctl_reply_is_error("n2nctl: x: y\n", 13, false));
	CHECK(!ctl_reply_is_error("MAC\n", 4, false));
	CHECK(!ctl_reply_is_error("(none)\n", 7, false));
}

/* A builder failure becomes the reply and names the cap. */
static void check_table_error(struct ctl_table *t, int err, const char *msg)
{
	CHECK_EQ(t->err, err);
	CHECK_MSG(ctl_table_error(t) && strstr(ctl_table_error(t), msg),
		  "error '%s', want '%s'", ctl_table_error(t), msg);
	ctl_table_fini(t);
}

TEST(ctl_table_caps)
{
	char name[16], big[CTL_MAX_STR + 2];
	struct ctl_table t;
	int i;

	ctl_table_init(&t, "wide");
	for (i = 0; i <= CTL_MAX_COLUMNS; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		ctl_table_column(&t, name);
	}
	check_table_error(&t, -E2BIG, "more than 64 columns");

	ctl_table_init(&t, "long");
	ctl_table_column(&t, "n");
	for (i = 0; i < CTL_MAX_ROWS; i++) {
		ctl_table_row(&t);
		ctl_table_u64(&t, (uint64_t)i);
	}
	CHECK_EQ(t.err, 0);
	CHECK_EQ(ctl_table_row(&t), -E2BIG);
	check_table_error(&t, -E2BIG, "more than 100000 rows");

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = 0;
	ctl_table_init(&t, "big");
	ctl_table_column(&t, "s");
	ctl_table_row(&t);
	ctl_table_str(&t, big);
	check_table_error(&t, -E2BIG, "more than 4096");
}

TEST(ctl_table_misuse)
{
	struct ctl_table t;

	ctl_table_init(&t, "x");
	ctl_table_column(&t, "a");
	ctl_table_row(&t);
	ctl_table_u64(&t, 1);
	ctl_table_u64(&t, 2);
	check_table_error(&t, -E2BIG, "more cells than");

	ctl_table_init(&t, "x");
	ctl_table_column(&t, "a");
	ctl_table_row(&t);
	ctl_table_column(&t, "b");
	check_table_error(&t, -EINVAL, "after a row");

	ctl_table_init(&t, "x");
	ctl_table_column(&t, "a");
	ctl_table_column(&t, "a");
	check_table_error(&t, -EINVAL, "bad column name");

	ctl_table_init(&t, "x");
	ctl_table_column(&t, "Bad Name");
	check_table_error(&t, -EINVAL, "bad column name");

	ctl_table_init(&t, "x");
	ctl_table_row(&t);
	check_table_error(&t, -EINVAL, "before any column");

	ctl_table_init(&t, "x");
	ctl_table_column(&t, "a");
	ctl_table_str(&t, "no row");
	check_table_error(&t, -EINVAL, "before any row");
}

/* Toy commands for the server; ctx counts calls. */
static int cmd_echo(struct ctl_table *t, int argc, char **argv, void *ctx)
{
	int i;

	(*(int *)ctx)++;
	ctl_table_column(t, "arg");
	ctl_table_column(t, "index");
	for (i = 1; i < argc; i++) {
		ctl_table_row(t);
		ctl_table_str(t, argv[i]);
		ctl_table_u64(t, (uint64_t)i);
	}
	return 0;
}

static int cmd_fail(struct ctl_table *t, int argc, char **argv,
		    void *ctx __maybe_unused)
{
	return ctl_table_errorf(t, "no peer '%s'", argc > 1 ? argv[1] : "");
}

static int cmd_enoent(struct ctl_table *t __maybe_unused,
		      int argc __maybe_unused, char **argv __maybe_unused,
		      void *ctx __maybe_unused)
{
	return -ENOENT;
}

static const struct ctl_command toy_cmds[] = {
	{ "echo", "print the arguments", cmd_echo },
	{ "fail", "always fails", cmd_fail },
	{ "enoent", "fails with an errno", cmd_enoent },
};

/* A client socket that gives up reading after 2 s, so no test hangs. */
static int client_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void read_all(int fd, struct ctl_buf *reply)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		ctl_buf_put(reply, chunk, (size_t)n);
}

/* connect, write, let the server serve, read: one process, no threads. */
static void ask(struct ctl_server *s, const char *req, size_t len,
		const char *want)
{
	int fd = client_connect(s->path);
	struct ctl_buf reply;

	CHECK_MSG(fd >= 0, "connect %s: %s", s->path, strerror(errno));
	if (fd < 0)
		return;
	if (len)
		CHECK_EQ(write(fd, req, len), (long long)len);
	/* A line without its newline ends where the client stops sending. */
	if (len && req[len - 1] != '\n')
		shutdown(fd, SHUT_WR);
	ctl_on_readable(s);
	ctl_buf_init(&reply);
	read_all(fd, &reply);
	close(fd);
	CHECK_MSG(reply.data && strcmp(reply.data, want) == 0,
		  "request '%.40s':\n%s\nwant:\n%s", req, reply.data, want);
	ctl_buf_free(&reply);
}

static char *make_tmpdir(void)
{
	static char dir[64]; /* returned: outlives the call */

	snprintf(dir, sizeof(dir), "/tmp/t_ctl.XXXXXX");
	return mkdtemp(dir);
}

static void remove_tmpdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ(system(cmd), 0);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_mode & 07777;
}

/* Linked with -Wl,--wrap=chmod (Makefile): every chmod() counted. */
int __real_chmod(const char *path, mode_t mode);
int __wrap_chmod(const char *path, mode_t mode);
static int chmod_calls;

int __wrap_chmod(const char *path, mode_t mode)
{
	chmod_calls++;
	return __real_chmod(path, mode);
}

TEST(ctl_server_end_to_end)
{
	char *dir = make_tmpdir(), path[100], sub[80];
	struct ctl_server s;
	int calls = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(sub, sizeof(sub), "%s/run/n2nk", dir);
	snprintf(path, sizeof(path), "%s/edge.sock", sub);
	chmod_calls = 0;
	CHECK_EQ(ctl_open(&s, path, toy_cmds, 3, &calls), 0);
	/* The modes come from the umask at creation: a chmod by path could
	 * follow a symlink swapped in after the bind. */
	CHECK_EQ(chmod_calls, 0);
	CHECK(ctl_fd(&s) >= 0);
	CHECK_EQ(mode_of(sub), 0750);
	CHECK_EQ(mode_of(path), 0660);

	ask(&s, "echo json a b\n", 14,
	    "{\"command\":\"echo\",\"columns\":[\"arg\",\"index\"],\"rows\":["
	    "{\"arg\":\"a\",\"index\":1},{\"arg\":\"b\",\"index\":2}]}\n");
	ask(&s, "echo a  b\r\n", 11, "ARG  INDEX\na        1\nb        2\n");
	ask(&s, "echo", 4, "(none)\n"); /* EOF ends the line too */
	CHECK_EQ(calls, 3);
	ask(&s, "nope json\n", 10,
	    "{\"command\":\"nope\",\"error\":\"unknown command (try "
	    "'help')\"}\n");
	ask(&s, "nope\n", 5, "n2nctl: nope: unknown command (try 'help')\n");
	ask(&s, "fail json p1\n", 13,
	    "{\"command\":\"fail\",\"error\":\"no peer 'p1'\"}\n");
	ask(&s, "enoent\n", 7, "n2nctl: enoent: No such file or directory\n");
	ask(&s, "help\n", 5,
	    "COMMAND  DESCRIPTION\n"
	    "echo     print the arguments\n"
	    "fail     always fails\n"
	    "enoent   fails with an errno\n"
	    "help     list the commands\n");
	ask(&s, "\n", 1, "n2nctl: request: empty request\n");
	ask(&s, "\x1b[2J\n", 5,
	    "n2nctl: \\x1b[2J: unknown command (try 'help')\n");
	ctl_close(&s);
	CHECK(access(path, F_OK) != 0);
	ctl_close(&s);
	remove_tmpdir(dir);
}

/*
 * A daemon that dropped root (here: a child serving as nobody after a
 * root ctl_open) must not serve nobody: that uid is shared by every
 * other sandboxed process. Only root and the uid that started it.
 */
static int serve_one_as_nobody(struct ctl_server *s)
{
	struct pollfd p = { .fd = ctl_fd(s), .events = POLLIN };

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 2;
	if (poll(&p, 1, 3000) != 1)
		return 3;
	ctl_on_readable(s);
	return 0;
}

TEST(ctl_server_refuses_the_uid_it_dropped_to)
{
	char *dir = make_tmpdir(), path[100];
	struct ctl_server s;
	struct ctl_buf reply;
	pid_t server, client;
	int calls = 0, st = 0, fd;

	if (geteuid() != 0) {
		TEST_SKIP("needs root to drop to nobody");
		return;
	}
	CHECK(dir != NULL && chmod(dir, 0755) == 0);
	snprintf(path, sizeof(path), "%s/sock/edge.sock", dir);
	CHECK_EQ(ctl_open(&s, path, toy_cmds, 3, &calls), 0);
	CHECK_EQ(chmod(path, 0666), 0); /* only the uid check stands */
	snprintf(path, sizeof(path), "%s/sock", dir);
	CHECK_EQ(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sock/edge.sock", dir);
	server = fork();
	if (server == 0)
		_exit(serve_one_as_nobody(&s));
	client = fork();
	if (client == 0) {
		ctl_buf_init(&reply);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(2);
		fd = client_connect(path);
		if (fd < 0 || write(fd, "echo a\n", 7) != 7)
			_exit(3);
		read_all(fd, &reply);
		_exit(reply.data && strstr(reply.data, "permission denied")
			      ? 0
			      : 1);
	}
	CHECK(waitpid(client, &st, 0) == client);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "a process running as nobody was served (%d)",
		  WEXITSTATUS(st));
	waitpid(server, &st, 0);
	ctl_close(&s);
	remove_tmpdir(dir);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Overlong and missing request lines cost bounded time and get an answer. */
TEST(ctl_server_bad_requests)
{
	char *dir = make_tmpdir(), path[100], line[600];
	struct ctl_server s;
	uint64_t t0, spent;
	int calls = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/x.sock", dir);
	CHECK_EQ(ctl_open(&s, path, toy_cmds, 3, &calls), 0);
	memset(line, 'a', sizeof(line));
	ask(&s, line, sizeof(line),
	    "n2nctl: request: request line longer than 511 bytes\n");
	t0 = mono_ms();
	ask(&s, "echo", 0,
	    "n2nctl: request: timed out waiting for the request line\n");
	spent = mono_ms() - t0;
	CHECK_MSG(spent >= 90 && spent < 500, "timeout took %llu ms",
		  (unsigned long long)spent);
	ask(&s, "echo json", 9,
	    "{\"command\":\"echo\",\"columns\":[\"arg\",\"index\"],"
	    "\"rows\":[]}\n");
	/* Nothing pending: returns at once. */
	ctl_on_readable(&s);
	CHECK_EQ(calls, 1);
	ctl_close(&s);
	remove_tmpdir(dir);
}

/* A live socket is never taken over; a stale one is; a file is kept. */
TEST(ctl_open_stale_and_live)
{
	char *dir = make_tmpdir(), path[100];
	struct ctl_server a, b;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char longp[sizeof(sa.sun_path) + 1];
	int saved = log_level, fd, calls = 0;
	FILE *f;

	CHECK(dir != NULL);
	if (!dir)
		return;
	log_level = -1; /* the expected failures log errors */
	snprintf(path, sizeof(path), "%s/x.sock", dir);
	CHECK_EQ(ctl_open(&a, path, toy_cmds, 3, &calls), 0);
	CHECK_EQ(ctl_open(&b, path, toy_cmds, 3, &calls), -EADDRINUSE);
	ctl_on_readable(&a); /* b's probe: connected, then closed silently */
	ask(&a, "echo\n", 5, "(none)\n");
	ctl_close(&a);

	/* A socket file left behind by a dead daemon. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_EQ(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	CHECK_EQ(ctl_open(&b, path, toy_cmds, 3, &calls), 0);
	ask(&b, "echo\n", 5, "(none)\n");
	ctl_close(&b);

	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_EQ(ctl_open(&b, path, toy_cmds, 3, &calls), -EEXIST);
	CHECK(access(path, F_OK) == 0);
	/* sun_path holds 107 bytes and a NUL: one more is too long. */
	memset(longp, 'x', sizeof(longp));
	longp[sizeof(sa.sun_path)] = 0;
	CHECK_EQ(ctl_open(&b, longp, toy_cmds, 3, &calls), -ENAMETOOLONG);
	CHECK(access(longp, F_OK) != 0);
	log_level = saved;
	remove_tmpdir(dir);
}

/* The child, as nobody: sends a request and checks it is refused. */
static int refused_child(const char *path)
{
	static const char want[] = "n2nctl: echo: permission denied\n";
	char reply[256];
	ssize_t n, len = 0;
	int fd;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 3;
	fd = client_connect(path);
	if (fd < 0 || write(fd, "echo a\n", 7) != 7)
		return 4;
	while ((n = read(fd, reply + len, sizeof(reply) - 1 - (size_t)len)) > 0)
		len += n;
	reply[len] = 0;
	return strcmp(reply, want) == 0 ? 0 : 5;
}

TEST(ctl_server_refuses_other_uids)
{
	char *dir, path[100];
	struct ctl_server s;
	struct pollfd p;
	int status = -1, calls = 0, saved = log_level;
	pid_t pid;

	if (geteuid() != 0)
		TEST_SKIP("needs root to become another uid");
	dir = make_tmpdir();
	CHECK(dir != NULL);
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/x.sock", dir);
	CHECK_EQ(ctl_open(&s, path, toy_cmds, 3, &calls), 0);
	/* Let nobody reach the socket, so only SO_PEERCRED stands between. */
	CHECK_EQ(chmod(dir, 0755), 0);
	CHECK_EQ(chmod(path, 0666), 0);
	pid = fork();
	if (pid == 0)
		_exit(refused_child(path));
	p = (struct pollfd){ .fd = ctl_fd(&s), .events = POLLIN };
	CHECK_EQ(poll(&p, 1, 5000), 1);
	log_level = -1;
	ctl_on_readable(&s);
	log_level = saved;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "child status %d", status);
	CHECK_EQ(calls, 0);
	ctl_close(&s);
	remove_tmpdir(dir);
}

/* The value of the row named name in a counter table, or -1 if none. */
static int64_t counter_of(const struct ctl_table *t, const char *name)
{
	const struct ctl_cell *c;
	size_t r;

	for (r = 0; r < t->n_rows; r++) {
		c = &t->cells[r * t->n_cols];
		if (c[0].type == CTL_CELL_STR &&
		    c[0].v.str.len == strlen(name) &&
		    !memcmp(t->strings.data + c[0].v.str.off, name,
			    c[0].v.str.len))
			return c[1].type == CTL_CELL_U64 ? (int64_t)c[1].v.u64
							 : -2;
	}
	return -1;
}

static void reason_table(struct ctl_table *t, enum n2nk_layer layer,
			 const uint64_t count[N2NK_REASON_SLOTS])
{
	ctl_table_init(t, "stats");
	ctl_table_column(t, "counter");
	ctl_table_column(t, "value");
	ctl_reason_rows(t, layer, count);
}

/* Rows a layer lists with nothing counted: its reasons, slot 0 if any. */
static size_t rows_of(enum n2nk_layer layer)
{
	size_t n = 0;
	int slot;

	for (slot = 0; slot < N2NK_REASON_SLOTS; slot++)
		n += n2nk_verdict(layer, -slot) != N2NK_VERDICT_NONE;
	return n;
}

/*
 * [layer_][drop_]reason, as docs/n2nctl.md names them: slot 0 by the
 * layer's own word, drop_ only for DROP verdicts; a reason the layer never
 * gives is hidden, unless it was counted anyway.
 */
TEST(ctl_reason_rows_names)
{
	uint64_t count[N2NK_REASON_SLOTS] = { 0 };
	struct ctl_table t;

	count[0] = 7;
	count[n2nk_reason_slot(N2NK_TTL_EXPIRED)] = 3;
	count[n2nk_reason_slot(N2NK_UNKNOWN_DEST)] = 5;
	reason_table(&t, N2NK_LAYER_RELAY, count);
	CHECK_EQ(t.err, 0);
	CHECK_EQ(t.n_rows, rows_of(N2NK_LAYER_RELAY));
	CHECK_EQ(counter_of(&t, "xdp_relayed"), 7);
	CHECK_EQ(counter_of(&t, "xdp_drop_ttl_expired"), 3); /* DROP */
	CHECK_EQ(counter_of(&t, "xdp_unknown_dest"), 5);     /* DAEMON */
	CHECK_EQ(counter_of(&t, "xdp_not_ip"), 0);	     /* STACK */
	CHECK_EQ(counter_of(&t, "xdp_ip_checksum"), -1);     /* NONE */
	CHECK_EQ(counter_of(&t, "xdp_malformed"), -1);
	ctl_table_fini(&t);

	memset(count, 0, sizeof(count));
	count[n2nk_reason_slot(N2NK_MALFORMED)] = 2;
	reason_table(&t, N2NK_LAYER_DAEMON, count);
	CHECK_EQ(t.n_rows, rows_of(N2NK_LAYER_DAEMON));
	CHECK_EQ(counter_of(&t, "drop_malformed"), 2);
	CHECK_EQ(counter_of(&t, "drop_unknown_dest"), 0);
	CHECK_EQ(counter_of(&t, "ok"), -1); /* the daemon has no slot 0 */
	CHECK_EQ(counter_of(&t, "drop_not_ip"), -1);
	CHECK_EQ(counter_of(&t, "not_ip"), -1);
	ctl_table_fini(&t);

	memset(count, 0, sizeof(count));
	count[0] = 11;
	reason_table(&t, N2NK_LAYER_XSK, count);
	CHECK_EQ(t.n_rows, rows_of(N2NK_LAYER_XSK));
	CHECK_EQ(counter_of(&t, "xsk_delivered"), 11);
	CHECK_EQ(counter_of(&t, "xsk_drop_udp_checksum"), 0);
	CHECK_EQ(counter_of(&t, "xsk_drop_unknown_dest"), -1);
	ctl_table_fini(&t);
}

TEST(ctl_reason_rows_show_what_was_counted_anyway)
{
	uint64_t count[N2NK_REASON_SLOTS] = { 0 };
	struct ctl_table t;

	/* NONE in the relay column, yet counted: listed, so nothing hides. */
	count[n2nk_reason_slot(N2NK_IP_CHECKSUM)] = 4;
	reason_table(&t, N2NK_LAYER_RELAY, count);
	CHECK_EQ(t.n_rows, rows_of(N2NK_LAYER_RELAY) + 1);
	CHECK_EQ(counter_of(&t, "xdp_ip_checksum"), 4);
	ctl_table_fini(&t);

	memset(count, 0, sizeof(count));
	count[0] = 1; /* the daemon never counts slot 0 */
	reason_table(&t, N2NK_LAYER_DAEMON, count);
	CHECK_EQ(t.n_rows, rows_of(N2NK_LAYER_DAEMON) + 1);
	CHECK_EQ(counter_of(&t, "ok"), 1);
	ctl_table_fini(&t);
}
