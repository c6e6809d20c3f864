// SPDX-License-Identifier: GPL-2.0-only
/*
 * Edge and supernode command lines, config files and community lists:
 * n2n's tutorial forms, overrides, the environment, n2n's traps and one
 * error per bad value, each naming the offending text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/mac.h"
#include "conf/community_list.h"
#include "conf/conf.h"
#include "n2nk_session.h"
#include "supernode/supernode.h"
#include "test.h"

#define LOGAN_KEY "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG"
#define FED_KEY	  "opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4"

/* The fake environment: NAME=value pairs, NULL-terminated. */
static const char *const *fake_env;

static const char *fake_getenv(const char *name)
{
	size_t n = strlen(name);
	const char *const *e;

	for (e = fake_env; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static const struct conf_env test_env = {
	.getenv = fake_getenv,
	.hostname = "testhost-with-a-long-name",
};

static int argv_len(const char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static int parse_edge(struct edge_conf *c, char *err, const char **argv)
{
	err[0] = 0;
	return edge_conf_parse_env(c, argv_len(argv), (char **)argv, &test_env,
				   err, 512);
}

static int parse_sn(struct sn_conf *c, char *err, const char **argv)
{
	err[0] = 0;
	return sn_conf_parse_env(c, argv_len(argv), (char **)argv, &test_env,
				 err, 512);
}

#define EDGE(c, err, ...) \
	parse_edge(c, err, (const char *[]){ "edge", __VA_ARGS__, NULL })
#define SN(c, err, ...) \
	parse_sn(c, err, (const char *[]){ "supernode", __VA_ARGS__, NULL })

/* Writes text to a fresh temporary file; path must hold 64 bytes. */
static void temp_file(char *path, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, 64, "/tmp/t_conf_XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool has_warning(const struct conf_warnings *w, const char *needle)
{
	unsigned int i;

	for (i = 0; i < w->count; i++)
		if (strstr(w->text[i], needle))
			return true;
	return false;
}

static bool ip_is(struct in_addr a, const char *dotted)
{
	struct in_addr b;

	return inet_pton(AF_INET, dotted, &b) == 1 && a.s_addr == b.s_addr;
}

TEST(conf_edge_tutorial_command_line)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "mynetwork", "-k", "mysecretpass", "-a",
		      "192.168.100.1", "-f", "-l", "supernode.ntop.org:7777"),
		 0);
	CHECK(!strcmp(c.community, "mynetwork"));
	CHECK(c.key && !strcmp(c.key, "mysecretpass"));
	CHECK_EQ(c.transform, N2N_TRANSFORM_AES); /* key, no -A */
	CHECK_EQ(c.compression, N2N_COMPRESSION_NONE);
	CHECK_EQ(c.ip_mode, EDGE_IP_STATIC);
	CHECK(ip_is(c.ip, "192.168.100.1"));
	CHECK_EQ(c.prefix, 24);
	CHECK(c.foreground);
	CHECK_EQ(c.n_supernodes, 1);
	CHECK(!strcmp(c.supernodes[0].host, "supernode.ntop.org"));
	CHECK_EQ(c.supernodes[0].port, 7777);
	CHECK_EQ(c.mtu, 1290);
	CHECK(!strcmp(c.tap_name, "edge0"));
	CHECK_EQ(c.register_interval, 20);
	CHECK_EQ(c.verbosity, 2);
	CHECK_EQ(c.mgmt_port, 5644);
	CHECK_EQ(c.local_port, 0);
	CHECK_EQ(c.bind_addr.family, AF_UNSPEC);
	CHECK(!strcmp(c.description, "testhost-with-a")); /* cut to 15 */
	CHECK(!strcmp(c.ctl_socket, "/run/n2nk/edge-edge0.sock"));
	CHECK_EQ(c.datapath, DATAPATH_AUTO);
	CHECK_EQ(c.mss_clamp, -1); /* auto */
	CHECK(!c.header_encryption && !c.mac_set && !c.relay_only);
	/* As stock n2n ("switching to AES as key was provided"). */
	CHECK_EQ(c.warnings.count, 1);
	CHECK(c.warnings.count && strstr(c.warnings.text[0], "using AES"));
	edge_conf_free(&c);
}

TEST(conf_sn_tutorial_command_line)
{
	struct sn_conf c;
	char err[512];

	CHECK_EQ(SN(&c, err, "-p", "7777", "-f"), 0);
	CHECK_EQ(c.port, 7777);
	CHECK(c.foreground);
	CHECK(!strcmp(c.federation, "*Federation"));
	CHECK(ip_is(c.auto_ip_min, "10.128.0.0"));
	CHECK(ip_is(c.auto_ip_max, "10.255.255.0"));
	CHECK_EQ(c.auto_ip_prefix, 24);
	CHECK_EQ(c.mgmt_port, 5645);
	CHECK(!c.communities.loaded);
	CHECK(community_list_allows(&c.communities, "anything"));
	CHECK(!strcmp(c.ctl_socket, "/run/n2nk/supernode-7777.sock"));
	CHECK_EQ(c.warnings.count, 0);
	sn_conf_free(&c);
}

static const char edge_sample[] = "# n2n edge config\n"
				  "-d=n2n0\n"
				  "-c=mynetwork\n"
				  "-k=mysecretpass\n"
				  "\n"
				  "-a=192.168.100.1\n"
				  "-p=50001\n"
				  "-l=supernode.example.org:7777\n"
				  "-M=1390\n"
				  "-m=02:00:00:00:00:0a\n"
				  "-r\n"
				  "-n=10.0.0.0/8:192.168.100.254\n"
				  "-A4\n"
				  "-H\n";

static void check_edge_sample(const struct edge_conf *c)
{
	static const uint8_t mac[MAC_SIZE] = { 2, 0, 0, 0, 0, 0x0a };

	CHECK(!strcmp(c->tap_name, "n2n0"));
	CHECK(!strcmp(c->community, "mynetwork"));
	CHECK(c->key && !strcmp(c->key, "mysecretpass"));
	CHECK(ip_is(c->ip, "192.168.100.1"));
	CHECK_EQ(c->local_port, 50001);
	CHECK_EQ(c->n_supernodes, 1);
	CHECK(!strcmp(c->supernodes[0].host, "supernode.example.org"));
	CHECK_EQ(c->mtu, 1390);
	CHECK(c->mac_set && mac_equal(c->mac, mac));
	CHECK(c->allow_routing);
	CHECK_EQ(c->n_routes, 1);
	CHECK(ip_is(c->routes[0].net, "10.0.0.0"));
	CHECK_EQ(c->routes[0].prefix, 8);
	CHECK(ip_is(c->routes[0].gateway, "192.168.100.254"));
	CHECK_EQ(c->transform, N2N_TRANSFORM_CHACHA20);
	CHECK(c->header_encryption);
	CHECK(!strcmp(c->ctl_socket, "/run/n2nk/edge-n2n0.sock"));
}

TEST(conf_edge_config_file)
{
	struct edge_conf c;
	char path[64], err[512];

	temp_file(path, edge_sample);
	CHECK_EQ(EDGE(&c, err, path), 0);
	CHECK_MSG(!err[0], "%s", err);
	check_edge_sample(&c);
	CHECK(!c.foreground);
	CHECK_EQ(c.warnings.count, 0);
	edge_conf_free(&c);
	unlink(path);
}

TEST(conf_edge_cli_overrides_file)
{
	struct edge_conf c;
	char path[64], err[512];

	temp_file(path, edge_sample);
	CHECK_EQ(EDGE(&c, err, path, "-f", "-c", "othernet", "-M", "1400",
		      "-A5", "-l", "[2001:db8::1]:7654"),
		 0);
	CHECK(!strcmp(c.community, "othernet"));
	CHECK_EQ(c.mtu, 1400);
	CHECK_EQ(c.transform, N2N_TRANSFORM_SPECK);
	CHECK(c.foreground);
	CHECK_EQ(c.n_supernodes, 2); /* -l adds, as in n2n */
	CHECK(!strcmp(c.supernodes[1].host, "2001:db8::1"));
	CHECK_EQ(c.supernodes[1].port, 7654);
	CHECK(!strcmp(c.tap_name, "n2n0"));
	edge_conf_free(&c);
	unlink(path);
}

TEST(conf_edge_environment)
{
	static const char *const env[] = { "N2N_COMMUNITY=envnet",
					   "N2N_KEY=envkey",
					   "N2N_PASSWORD=envpw", NULL };
	static const char *const long_env[] = {
		"N2N_COMMUNITY=a-community-name-of-25", NULL
	};
	struct edge_conf c;
	char err[512];

	fake_env = env;
	CHECK_EQ(EDGE(&c, err, "-l", "sn:7654", "-A4"), 0);
	CHECK(!strcmp(c.community, "envnet"));
	CHECK(c.key && !strcmp(c.key, "envkey"));
	CHECK(c.password && !strcmp(c.password, "envpw"));
	CHECK(c.header_encryption); /* forced by user/password auth */
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-l", "sn:7654", "-A4", "-c", "clinet", "-k",
		      "clikey"),
		 0);
	CHECK(!strcmp(c.community, "clinet"));
	CHECK(!strcmp(c.key, "clikey"));
	edge_conf_free(&c);

	fake_env = long_env;
	CHECK_EQ(EDGE(&c, err, "-l", "sn:7654"), -EINVAL);
	CHECK_MSG(strstr(err, "N2N_COMMUNITY=a-community-name-of-25") &&
			  strstr(err, "longer than 19"),
		  "%s", err);
	edge_conf_free(&c);
	fake_env = NULL;
}

TEST(conf_edge_cipher_rules)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A1", "-k", "k"), 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_AES);
	CHECK(has_warning(&c.warnings, "-A1 with a key"));
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A1"), 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_NULL);
	CHECK_EQ(c.warnings.count, 0);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1"), 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_NULL);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A3"), -EINVAL);
	CHECK_MSG(strstr(err, "-A3") && strstr(err, "needs a key"), "%s", err);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A", "-k", "k"), 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_AES);
	CHECK(has_warning(&c.warnings, "bare -A is deprecated"));
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A2", "-k", "k", "-z2"),
		 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_TWOFISH);
	CHECK_EQ(c.compression, N2N_COMPRESSION_ZSTD);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "same", "-l", "s:1", "-k", "same"), 0);
	CHECK(has_warning(&c.warnings, "key equals the community"));
	edge_conf_free(&c);
}

TEST(conf_edge_detached_optional_value_in_file)
{
	struct edge_conf c;
	char path[64], err[512];

	temp_file(path, "-c=n\n-l=s:1\n-k=key\n-A=4\n-z 2\n");
	CHECK_EQ(EDGE(&c, err, path), 0);
	CHECK_MSG(!err[0], "%s", err);
	CHECK_EQ(c.transform, N2N_TRANSFORM_CHACHA20);
	CHECK_EQ(c.compression, N2N_COMPRESSION_ZSTD);
	CHECK(has_warning(&c.warnings, ":4: -A=4: read as -A4, but stock n2n"));
	CHECK(has_warning(&c.warnings, "bare -A (AES)"));
	CHECK(has_warning(&c.warnings, ":5: -z 2: read as -z2"));
	edge_conf_free(&c);
	unlink(path);

	/* On the command line a detached value is a stray argument. */
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-k", "k", "-A", "4"),
		 -EINVAL);
	CHECK_MSG(strstr(err, "4: unexpected argument"), "%s", err);
	edge_conf_free(&c);
}

struct bad_case {
	const char *opt, *value; /* value NULL: opt alone */
	const char *want;	 /* must appear in the message */
};

static const struct bad_case edge_bad[] = {
	{ "-M", "abc", "-M abc: MTU must be a number between 500 and 1950" },
	{ "-M", "499", "-M 499: MTU" },
	{ "-M", "1400x", "-M 1400x: MTU" },
	{ "-A7", NULL, "-A7: unknown cipher, use -A1..-A5" },
	{ "-A0", NULL, "-A0: unknown cipher" },
	{ "-Ax", NULL, "-Ax: unknown cipher" },
	{ "-z3", NULL, "-z3: unknown compression" },
	{ "-S3", NULL, "-S3: use -S1" },
	{ "-a", "300.1.1.1", "-a 300.1.1.1: '300.1.1.1' is not an IPv4" },
	{ "-a", "foo:1.2.3.4", "-a foo:1.2.3.4: unknown mode" },
	{ "-a", "1.2.3.4/33", "-a 1.2.3.4/33: prefix length" },
	{ "-a", "0.0.0.0", "-a 0.0.0.0: 0.0.0.0 is no address" },
	{ "-a", "dhcp", "-a dhcp: 'dhcp' is not an IPv4 address (DHCP" },
	{ "-m", "01:00:00:00:00:01", "-m 01:00:00:00:00:01: multicast" },
	{ "-m", "02:00:00:00:00", "-m 02:00:00:00:00: MAC address must be" },
	{ "-m", "02:00:00:00:00:zz", "02:00:00:00:00:zz: MAC" },
	{ "-m", "02-00-00-00-00-01", "02-00-00-00-00-01: MAC" },
	{ "-l", "host", "-l host: missing port" },
	{ "-l", "host:0", "-l host:0: port must be a number between 1" },
	{ "-l", "host:70000", "-l host:70000: port" },
	{ "-l", "::1:7654", "-l ::1:7654: IPv6 addresses need brackets" },
	{ "-l", "[zz]:1", "-l [zz]:1: 'zz' is not an IPv6 address" },
	{ "-l", "[2001:db8::1]",
	  "-l [2001:db8::1]: missing port, use [IPv6 address]:port" },
	{ "-l", "[::1", "-l [::1: expected [IPv6 address]:port" },
	{ "-l", "[::1]7654", "-l [::1]7654: expected [IPv6 address]:port" },
	{ "-l", "[2001:db8::1]:", "-l [2001:db8::1]:: port must be a number" },
	{ "-l", "[2001:db8::1]:0",
	  "-l [2001:db8::1]:0: port must be a number" },
	{ "-l", "[2001:db8::1]:65536", "port must be a number between 1" },
	{ "-l", "[2001:db8::1]:-1", "port must be a number between 1" },
	{ "-l", "[]:7654", "-l []:7654: '' is not an IPv6 address" },
	{ "-l", "[198.18.0.1]:7654", "'198.18.0.1' is not an IPv6 address" },
	{ "-p", "[2001:db8::1]:x", "-p [2001:db8::1]:x: port must be" },
	{ "-p", "[2001:db8::1]x", "expected [IPv6 address] or [IPv6" },
	{ "-l", "bad host:1", "-l bad host:1: 'bad host' is not a host" },
	{ "-l", ":1", "-l :1: host must be" },
	{ "-p", "70000", "-p 70000: port must be a number between 0" },
	{ "-p", "1.2.3:5", "-p 1.2.3:5: '1.2.3' is not an IPv4" },
	{ "-p", "abc", "-p abc: port" },
	{ "-p", "[::1", "-p [::1: expected [IPv6 address]" },
	{ "-i", "0", "-i 0: registration interval must be" },
	{ "-i", "10s", "-i 10s: registration interval" },
	{ "-L", "256", "-L 256: registration TTL" },
	{ "-T", "0x100", "-T 0x100: TOS" },
	{ "-T", "0x0x1", "-T 0x0x1: TOS" },
	{ "-T", " 5", "-T  5: TOS" },
	{ "-t", "0", "-t 0: management port" },
	{ "-t", "+5", "-t +5: management port" },
	{ "-n", "10.0.0.0/8", "-n 10.0.0.0/8: expected net/len:gateway" },
	{ "-n", "10.0.0.1/8:1.2.3.4", "has host bits set" },
	{ "-n", "10.0.0.0/33:1.1.1.1", "-n 10.0.0.0/33:1.1.1.1: route" },
	{ "-n", "10.0.0.0/8:gw", "gateway 'gw' is not an IPv4" },
	{ "-P", "tooshort", "-P tooshort: federation public key must be 43" },
	{ "-P", "opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp*",
	  "federation public key" },
	{ "-I", "a-description-of-16", "description longer than 15" },
	{ "-d", "a-tap-name-of-sixteen", "TAP device name longer than 15" },
	{ "-d", "a/b", "-d a/b: TAP device name must not" },
	{ "-u", "abc", "-u abc: user id must be a number" },
	{ "-g", "-1", "-g -1: group id must be a number" },
	{ "--datapath=xdp", NULL, "--datapath=xdp: datapath must be auto" },
	{ "--mss-clamp=big", NULL, "--mss-clamp: use auto, off or an MSS" },
	{ "--mss-clamp=87", NULL, "not '87'" },
	{ "--kernel-hold=forever", NULL, "--kernel-hold: seconds" },
	{ "-x", NULL, "-x: unknown option -x" },
	{ "-s", NULL, "-s: unknown option -s" },
	{ "-fx", NULL, "-fx: unknown option -x" },
	{ "--nope", NULL, "--nope: unknown option" },
	{ "--verbose=3", NULL, "--verbose=3: option takes no value" },
	{ "-R", "tcp", "-R tcp: traffic rule 'tcp': at column 1" },
	{ "-k", "", "-k : key must not be empty" },
	{ "-e", "1.2.3", "-e 1.2.3: expected an IPv4 address or 'auto'" },
	{ "stray", NULL, "stray: unexpected argument" },
	{ "-c", "a-community-name-of-20", "community name longer than 19" },
	{ "-I", "", "description must not be empty" },
};

TEST(conf_edge_bad_values)
{
	size_t i;

	for (i = 0; i < sizeof(edge_bad) / sizeof(edge_bad[0]); i++) {
		const struct bad_case *b = &edge_bad[i];
		struct edge_conf c;
		char err[512];
		const char *argv[] = { "edge", "-c",  "n",    "-l",	"s:1",
				       "-k",   "key", b->opt, b->value, NULL };
		int ret = parse_edge(&c, err, argv);

		CHECK_MSG(ret == -EINVAL && strstr(err, b->want),
			  "%s %s: got %d \"%s\"", b->opt,
			  b->value ? b->value : "", ret, err);
		edge_conf_free(&c);
	}
}

TEST(conf_edge_bad_value_in_file_names_line)
{
	struct edge_conf c;
	char path[64], err[512], want[128];

	temp_file(path, "# comment\n-c=n\n\n-M=abc\n-l=s:1\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:4: -M=abc: MTU must be a number between 500 and 1950",
		 path);
	CHECK_MSG(!strcmp(err, want), "%s", err);
	edge_conf_free(&c);

	temp_file(path, "-c=n\n-l=s:1\n-f=yes\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":3: -f=yes: unexpected value"), "%s", err);
	edge_conf_free(&c);
	unlink(path);

	CHECK_EQ(EDGE(&c, err, "/nonexistent/edge.conf"), -EINVAL);
	CHECK_MSG(strstr(err, "/nonexistent/edge.conf: cannot open"), "%s",
		  err);
	edge_conf_free(&c);
}

/* A value set twice in one file is refused (n2n silently keeps the last);
 * -l and -n add, so they repeat; the command line still overrides. */
TEST(conf_file_duplicate_option)
{
	struct edge_conf c;
	struct sn_conf sc;
	char path[64], err[512];

	temp_file(path, "-c=lab\n-l=s:1\n-A4\n-k=x\n-c=other\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":5: -c=other: -c given twice in this file "
			      "(also line 1); keep one"),
		  "%s", err);
	edge_conf_free(&c);
	unlink(path);

	temp_file(path, "--community=lab\n-l=s:1\n-c=lab\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":3: -c=lab: -c given twice"), "%s", err);
	edge_conf_free(&c);
	unlink(path);

	temp_file(path, "-c=lab\n-l=s:1\n-l=t:2\n-n=198.19.9.0/24:198.19.1.1\n"
			"-n=198.19.8.0/24:198.19.1.1\n-v\n-v\n-f\n-f\n");
	CHECK_EQ(EDGE(&c, err, path, "-c", "cli"), 0);
	CHECK_MSG(!strcmp(c.community, "cli"), "%s", c.community);
	edge_conf_free(&c);
	unlink(path);

	/* A key or password is never quoted, also when it is wrong. */
	temp_file(path, "-c=lab\n-l=s:1\n-k=first\n-k=second\n"
			"--management-password=pw1\n"
			"--management-password=pw2\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":4: -k (value not shown): -k given twice") &&
			  !strstr(err, "second"),
		  "%s", err);
	edge_conf_free(&c);
	unlink(path);
	temp_file(path, "-c=lab\n-l=s:1\n--management-password=pw1\n"
			"--management-password=pw2\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":4: --management-password (value not shown)") &&
			  !strstr(err, "pw2"),
		  "%s", err);
	edge_conf_free(&c);
	unlink(path);

	temp_file(path, "-p=7655\n-p=7656\n");
	CHECK_EQ(SN(&sc, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":2: -p=7656: -p given twice in this file"), "%s",
		  err);
	sn_conf_free(&sc);
	unlink(path);
}

/* A control character or a byte that is not UTF-8 stops the file at its
 * line and column (comments may hold anything); a long line is quoted
 * short, so the problem after it is never cut off. */
TEST(conf_file_not_text_and_long_lines)
{
	struct edge_conf c;
	char path[64], err[512], text[6000];

	temp_file(path, "-c=lab\n# Gr\xfc\xdf\x65\n-l=s:1\n-d=n2n\xff\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":4: not text: byte 0xff at column 7"), "%s",
		  err);
	edge_conf_free(&c);
	unlink(path);

	temp_file(path, "-c=lab\n-l=s:1\n-I=a\x01z\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":3: not text: byte 0x01 at column 5"), "%s",
		  err);
	edge_conf_free(&c);
	unlink(path);

	/* A one-byte line, and a NUL first on a line (it used to end the
	 * trimmed line there, so both were skipped: final review C1). */
	temp_file(path, "-c=lab\n\xff\n-l=s:1\n");
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":2: not text: byte 0xff at column 1"), "%s",
		  err);
	edge_conf_free(&c);
	{
		static const char nul[] = "-c=lab\n\0-Z=1\n-l=s:1\n";
		FILE *f = fopen(path, "w");

		CHECK(f &&
		      fwrite(nul, 1, sizeof(nul) - 1, f) == sizeof(nul) - 1);
		fclose(f);
	}
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":2: not text: byte 0x00 at column 1"), "%s",
		  err);
	edge_conf_free(&c);
	unlink(path);

	temp_file(path, "-c=caf\xc3\xa9\n-l=s:1\r\n-I=\xe2\x82\xac\t1\n");
	CHECK_EQ(EDGE(&c, err, path), 0);
	edge_conf_free(&c);
	unlink(path);

	snprintf(text, sizeof(text), "-c=lab\n-l=s:1\n-d=%05000d\n", 0);
	temp_file(path, text);
	CHECK_EQ(EDGE(&c, err, path), -EINVAL);
	CHECK_MSG(strstr(err, ":3: -d=0000") && strstr(err, "...: TAP device "
							    "name longer than "
							    "15 characters"),
		  "%s", err);
	CHECK(strlen(err) < 200);
	edge_conf_free(&c);
	unlink(path);
}

TEST(conf_edge_required_and_limits)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-l", "s:1"), -EINVAL);
	CHECK_MSG(strstr(err, "no community"), "%s", err);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n"), -EINVAL);
	CHECK_MSG(strstr(err, "no supernode"), "%s", err);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "a-community-name-19", "-l", "s:1"), 0);
	CHECK(!strcmp(c.community, "a-community-name-19"));
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-l", "s:1", "-c"), -EINVAL);
	CHECK_MSG(strstr(err, "-c: option -c needs a value"), "%s", err);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-J", "pw", "-k", "k",
		      "-A3"),
		 -EINVAL);
	CHECK_MSG(strstr(err, "-J: user/password authentication needs -A4"),
		  "%s", err);
	edge_conf_free(&c);
}

TEST(conf_edge_help)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-h"), 0);
	CHECK_EQ(c.help, CONF_HELP_SHORT);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "--help", "-M", "bad"), 0);
	CHECK_EQ(c.help, CONF_HELP_LONG);
	edge_conf_free(&c);
	CHECK_EQ(parse_edge(&c, err, (const char *[]){ "edge", NULL }), 0);
	CHECK_EQ(c.help, CONF_HELP_SHORT);
	edge_conf_free(&c);
}

TEST(conf_edge_long_options_and_clusters)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "--community=longnet", "--supernode-list",
		      "sn.example.org:7654", "--tap-device", "n2n1", "--euid",
		      "1000", "--egid=1001", "--verbose", "--select-rtt",
		      "--management-password", "pw", "--datapath=socket",
		      "--ctl-socket=/tmp/e.sock", "--mss-clamp=1200",
		      "--pin-root=/sys/fs/bpf/x", "-fvvVrED", "-i30", "-S1",
		      "-L", "3", "-Ia-desc"),
		 0);
	CHECK_MSG(!err[0], "%s", err);
	CHECK(!strcmp(c.community, "longnet"));
	CHECK(!strcmp(c.supernodes[0].host, "sn.example.org"));
	CHECK(!strcmp(c.tap_name, "n2n1"));
	CHECK(c.uid_set && c.uid == 1000 && c.gid_set && c.gid == 1001);
	CHECK_EQ(c.verbosity, 4); /* 2 + 3 - 1 */
	CHECK_EQ(c.sn_selection, EDGE_SN_SELECT_RTT);
	CHECK(c.mgmt_password && !strcmp(c.mgmt_password, "pw"));
	CHECK_EQ(c.datapath, DATAPATH_SOCKET);
	CHECK_EQ(c.mss_clamp, 1200);
	CHECK(!strcmp(c.pin_root, "/sys/fs/bpf/x"));
	CHECK(!strcmp(c.ctl_socket, "/tmp/e.sock"));
	CHECK(c.foreground && c.allow_routing && c.accept_multicast &&
	      c.pmtu_discovery && c.relay_only);
	CHECK_EQ(c.register_interval, 30);
	CHECK_EQ(c.register_ttl, 3);
	CHECK(!strcmp(c.description, "a-desc"));
	edge_conf_free(&c);

	/* getopt_long accepts an unambiguous prefix. */
	CHECK_EQ(EDGE(&c, err, "--comm=pfx", "-l", "s:1", "--select-m"), 0);
	CHECK(!strcmp(c.community, "pfx"));
	CHECK_EQ(c.sn_selection, EDGE_SN_SELECT_MAC);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "--select"), -EINVAL);
	CHECK_MSG(strstr(err, "--select: unknown option"), "%s", err);
	edge_conf_free(&c);
}

TEST(conf_edge_addresses)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "10.0.0.1:7654", "-a",
		      "dhcp:0.0.0.0", "-p", "192.0.2.1:5000", "-e", "auto",
		      "-T", "0x48"),
		 0);
	CHECK_EQ(c.ip_mode, EDGE_IP_DHCP);
	CHECK_EQ(c.bind_addr.family, AF_INET);
	CHECK(ip_is(c.bind_addr.v4, "192.0.2.1"));
	CHECK_EQ(c.local_port, 5000);
	CHECK(c.preferred_local_auto && !c.preferred_local_set);
	CHECK(c.tos_set && c.tos == 0x48);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-a",
		      "static:10.1.2.3/16", "-p", "[::1]:6000", "-e",
		      "192.0.2.7", "-T", "16", "-m", "02:AB:cd:00:00:01"),
		 0);
	CHECK_EQ(c.ip_mode, EDGE_IP_STATIC);
	CHECK(ip_is(c.ip, "10.1.2.3"));
	CHECK_EQ(c.prefix, 16);
	CHECK_EQ(c.bind_addr.family, AF_INET6);
	CHECK_EQ(c.local_port, 6000);
	CHECK(c.preferred_local_set && ip_is(c.preferred_local, "192.0.2.7"));
	CHECK_EQ(c.tos, 16);
	CHECK(c.mac[1] == 0xab && c.mac[2] == 0xcd);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-p", "192.0.2.9"), 0);
	CHECK(ip_is(c.bind_addr.v4, "192.0.2.9"));
	CHECK_EQ(c.local_port, 0);
	edge_conf_free(&c);
}

TEST(conf_edge_user_auth)
{
	struct edge_conf c;
	uint8_t want[AUTH_KEY_SIZE];
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-I", "logan", "-J",
		      "007", "-P", FED_KEY, "-A5", "-k", "k"),
		 0);
	CHECK(c.password && !strcmp(c.password, "007"));
	CHECK(!strcmp(c.description, "logan"));
	CHECK(c.federation_pubkey_set);
	CHECK_EQ(auth_ascii_to_bin(want, sizeof(want), FED_KEY), 0);
	CHECK_MEM(c.federation_pubkey, want, sizeof(want));
	CHECK(c.header_encryption);
	edge_conf_free(&c);
}

/* -S2: TCP to the supernode, relay only; the kernel path cannot carry it. */
TEST(conf_edge_tcp)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-S2"), 0);
	CHECK(c.tcp && c.relay_only);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-S1"), 0);
	CHECK(!c.tcp && c.relay_only);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-S2",
		      "--datapath=kernel"),
		 -EINVAL);
	CHECK_MSG(strstr(err, "-S2 (TCP to the supernode) needs the socket"),
		  "%s", err);
	edge_conf_free(&c);
	/* Renewals within the supernode's 90 s TCP idle timeout. */
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-S2", "-i", "60"), 0);
	edge_conf_free(&c);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-S2", "-i", "61"),
		 -EINVAL);
	CHECK_MSG(strstr(err, "-S2 needs -i 60 or less"), "%s", err);
	edge_conf_free(&c);
}

/* -A6 (ours): sessions keyed by -k, no -J yet, never compressed. */
TEST(conf_edge_a6)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6", "-k", "k"), 0);
	CHECK_MSG(!err[0], "%s", err);
	CHECK_EQ(c.transform, N2NK_TRANSFORM_A6);
	CHECK_EQ(c.compression, N2N_COMPRESSION_NONE);
	CHECK(!c.identity[0]); /* the daemon picks /var/lib/n2nk/<tap>.key */
	CHECK_EQ(c.warnings.count, 0);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6"), -EINVAL);
	CHECK_MSG(strstr(err, "-A6") && strstr(err, "needs a key"), "%s", err);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6", "-k", "k", "-J",
		      "007", "-I", "logan", "-P", FED_KEY),
		 -EINVAL);
	CHECK_MSG(strstr(err, "-J with -A6") && strstr(err, "use -k"), "%s",
		  err);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6", "-k", "k", "-z1"),
		 0);
	CHECK(has_warning(&c.warnings, "-z with -A6"));
	CHECK_EQ(c.compression, N2N_COMPRESSION_NONE);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-z2", "-A6", "-k", "k"),
		 0);
	CHECK(has_warning(&c.warnings, "-z with -A6"));
	CHECK_EQ(c.compression, N2N_COMPRESSION_NONE);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6", "-k", "k",
		      "--identity", "/etc/n2nk/home.key"),
		 0);
	CHECK_EQ(c.transform, N2NK_TRANSFORM_A6);
	CHECK(!strcmp(c.identity, "/etc/n2nk/home.key"));
	CHECK_EQ(c.warnings.count, 0);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A6", "-k", "k",
		      "--identity=/etc/n2nk/other.key"),
		 0);
	CHECK(!strcmp(c.identity, "/etc/n2nk/other.key"));
	edge_conf_free(&c);

	/* An identity only -A6 uses: said, not fatal. */
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A4", "-k", "k",
		      "--identity", "/etc/n2nk/home.key"),
		 0);
	CHECK_EQ(c.transform, N2N_TRANSFORM_CHACHA20);
	CHECK(has_warning(&c.warnings, "only -A6 uses an identity key"));
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "-A7", "-k", "k"),
		 -EINVAL);
	CHECK_MSG(strstr(err, "-A6"), "%s", err);
	edge_conf_free(&c);
}

TEST(conf_file_read_splits_like_n2n)
{
	struct conf_lines l;
	char path[64], err[512];

	temp_file(path, "-c=mynetwork\n"
			"  -c mynetwork  \n"
			"--community=mynetwork\n"
			"# a comment\n"
			"x\n"
			"\t-k\t'a key with spaces'\r\n"
			"-f\n"
			"-c=\n");
	CHECK_EQ(conf_file_read(path, true, &l, err, sizeof(err)), 0);
	CHECK_EQ(l.count, 6);
	if (l.count == 6) {
		CHECK(!strcmp(l.line[0].option, "-c"));
		CHECK(!strcmp(l.line[0].value, "mynetwork"));
		CHECK(!strcmp(l.line[1].value, "mynetwork"));
		CHECK(!strcmp(l.line[2].option, "--community"));
		CHECK(!strcmp(l.line[2].value, "mynetwork"));
		CHECK_EQ(l.line[3].lineno, 6);
		CHECK(!strcmp(l.line[3].value, "a key with spaces"));
		CHECK(l.line[4].value == NULL);
		CHECK(l.line[5].value == NULL);
	}
	conf_lines_free(&l);

	/* The supernode takes only the next word. */
	CHECK_EQ(conf_file_read(path, false, &l, err, sizeof(err)), 0);
	if (l.count == 6) {
		CHECK(!strcmp(l.line[3].value, "a"));
		CHECK(l.line[3].extra);
		CHECK(!l.line[0].extra);
	}
	conf_lines_free(&l);
	unlink(path);
}

TEST(conf_sn_config_file_and_override)
{
	struct sn_conf c;
	char path[64], list[64], err[512], text[512];

	temp_file(list, "mynetwork\n");
	snprintf(text, sizeof(text),
		 "-p=7777\n"
		 "-c=%s\n"
		 "-F=secretFed\n"
		 "-l=sn2.example.org:7654\n"
		 "-a=10.0.0.0-10.0.255.0/24\n"
		 "-m 02:00:00:00:00:01\n"
		 "-M\n"
		 "-V=n2nk-test\n"
		 "-t=5646\n"
		 "-u=999\n"
		 "--management-password=secret\n",
		 list);
	temp_file(path, text);
	CHECK_EQ(SN(&c, err, path, "-p", "7778", "-f"), 0);
	CHECK_MSG(!err[0], "%s", err);
	CHECK_EQ(c.port, 7778);
	CHECK(!strcmp(c.federation, "*secretFed"));
	CHECK_EQ(c.n_federation_peers, 1);
	CHECK(!strcmp(c.federation_peers[0].host, "sn2.example.org"));
	CHECK(ip_is(c.auto_ip_min, "10.0.0.0"));
	CHECK(ip_is(c.auto_ip_max, "10.0.255.0"));
	CHECK(c.mac_set && c.mac[0] == 2 && c.mac[5] == 1);
	CHECK(c.spoofing_protection_off);
	CHECK(!strcmp(c.version, "n2nk-test"));
	CHECK_EQ(c.mgmt_port, 5646);
	CHECK(c.uid_set && c.uid == 999 && !c.gid_set);
	CHECK(c.mgmt_password && !strcmp(c.mgmt_password, "secret"));
	CHECK(c.foreground);
	CHECK(c.communities.loaded);
	CHECK(community_list_allows(&c.communities, "mynetwork"));
	CHECK(!community_list_allows(&c.communities, "other"));
	CHECK(!strcmp(c.ctl_socket, "/run/n2nk/supernode-7778.sock"));
	CHECK_EQ(c.warnings.count, 0);
	sn_conf_free(&c);
	unlink(path);
	unlink(list);
}

TEST(conf_sn_environment_and_long_options)
{
	static const char *const env[] = { "N2N_FEDERATION=envFed", NULL };
	struct sn_conf c;
	char err[512];

	fake_env = env;
	CHECK_EQ(SN(&c, err, "-v"), 0);
	CHECK(!strcmp(c.federation, "*envFed"));
	CHECK_EQ(c.verbosity, 3);
	sn_conf_free(&c);
	CHECK_EQ(SN(&c, err, "-F", "cliFed", "--local-port=[::]:7654",
		    "--mgmt-port", "6000",
		    "--autoip=192.168.0.0-192.168.255.0/24", "--foreground",
		    "--datapath=kernel"),
		 0);
	CHECK(!strcmp(c.federation, "*cliFed"));
	CHECK_EQ(c.bind_addr.family, AF_INET6);
	CHECK_EQ(c.port, 7654);
	CHECK_EQ(c.mgmt_port, 6000);
	CHECK(ip_is(c.auto_ip_max, "192.168.255.0"));
	CHECK(c.foreground);
	CHECK_EQ(c.datapath, DATAPATH_KERNEL);
	sn_conf_free(&c);
	fake_env = NULL;

	CHECK_EQ(parse_sn(&c, err, (const char *[]){ "supernode", NULL }), 0);
	CHECK_EQ(c.help, CONF_HELP_SHORT);
	sn_conf_free(&c);
}

/*
 * Stock n2n 3.1.1 keys the federation with the name it had before -F and
 * prints -F over those 20 bytes; its header checksum covers all of them.
 */
TEST(conf_sn_federation_as_stock_holds_it)
{
	static const char *const env[] = { "N2N_FEDERATION=envFederation",
					   NULL };
	static const char want[N2N_COMMUNITY_SIZE] = "*labfed\0ion";
	static const char want_env[N2N_COMMUNITY_SIZE] = "*fed\0ederation";
	char name[N2N_COMMUNITY_SIZE];
	struct sn_conf c;
	char err[512];

	CHECK_EQ(SN(&c, err, "-F", "labfed"), 0);
	CHECK(!strcmp(c.federation_keys, "*Federation"));
	sn_fed_wire_name(&c, name);
	CHECK_MEM(name, want, sizeof(name));
	sn_conf_free(&c);
	fake_env = env;
	CHECK_EQ(SN(&c, err, "-F", "fed"), 0);
	CHECK(!strcmp(c.federation_keys, "*envFederation"));
	sn_fed_wire_name(&c, name);
	CHECK_MEM(name, want_env, sizeof(name));
	sn_conf_free(&c);
	CHECK_EQ(SN(&c, err, "-v"), 0);
	CHECK(!strcmp(c.federation, "*envFederation"));
	sn_fed_wire_name(&c, name);
	CHECK_MEM(name, c.federation_keys, sizeof(name));
	sn_conf_free(&c);
	fake_env = NULL;
}

static const struct bad_case sn_bad[] = {
	{ "-a", "10.0.0.0-10.0.255.0", "-a 10.0.0.0-10.0.255.0: expected" },
	{ "-a", "10.0.0.1-10.0.255.0/24", "10.0.0.1 has host bits set" },
	{ "-a", "10.0.0.0-10.0.255.1/24", "10.0.255.1 has host bits set" },
	{ "-a", "10.1.0.0-10.0.0.0/24", "range start is above its end" },
	{ "-a", "10.0.0.0-10.0.255.0/31", "prefix length must be a number" },
	{ "-a", "0.0.0.0-10.0.255.0/24", "'0.0.0.0' is not a network" },
	{ "-a", "10.0.0-10.0.255.0/24", "'10.0.0' is not a network" },
	{ "-F", "a-federation-of-18", "-F a-federation-of-18: federation" },
	{ "-V", "a-version-string-of-20", "version string longer than 19" },
	{ "-p", "0", "-p 0: port must be a number between 1 and 65535" },
	{ "-p", "[::1", "-p [::1: expected [IPv6 address]" },
	{ "-p", "[2001:db8::1]:0",
	  "-p [2001:db8::1]:0: port must be a number" },
	{ "-p", "[::ffff:1.2.3.4:7654", "expected [IPv6 address]" },
	{ "-p", "[fe80::1%eth0]:7654", "'fe80::1%eth0' is not an IPv6" },
	{ "-l", "sn2", "-l sn2: missing port" },
	{ "-m", "nope", "-m nope: MAC address must be" },
	{ "-t", "x", "-t x: management port" },
	{ "-k", "key", "-k: unknown option -k" },
	{ "-A3", NULL, "-A3: unknown option -A" },
	{ "-c", "/nonexistent/community.list",
	  "/nonexistent/community.list: cannot open" },
};

TEST(conf_sn_bad_values)
{
	size_t i;

	for (i = 0; i < sizeof(sn_bad) / sizeof(sn_bad[0]); i++) {
		const struct bad_case *b = &sn_bad[i];
		struct sn_conf c;
		char err[512];
		const char *argv[] = { "supernode", "-f", b->opt, b->value,
				       NULL };
		int ret = parse_sn(&c, err, argv);

		CHECK_MSG(ret == -EINVAL && strstr(err, b->want),
			  "%s %s: got %d \"%s\"", b->opt,
			  b->value ? b->value : "", ret, err);
		sn_conf_free(&c);
	}
}

TEST(conf_sn_file_quirks)
{
	struct sn_conf c;
	char path[64], err[512];

	temp_file(path, "-p 7655 # the port\n-m=03:00:00:00:00:01\n-f\n");
	CHECK_EQ(SN(&c, err, path), 0);
	CHECK_EQ(c.port, 7655);
	CHECK(has_warning(&c.warnings, ":1: -p 7655 # the port: words after"));
	CHECK(c.mac[0] == 0x02); /* multicast bit cleared, local bit set */
	CHECK(has_warning(&c.warnings, "using 02:00:00:00:00:01"));
	sn_conf_free(&c);
	unlink(path);
}

static const char community_sample[] =
	"# community.list\n"
	"\n"
	"mynetwork\n"
	"   \n"
	"office 10.1.2.0/24\n"
	"* logan " LOGAN_KEY "\n"
	"* alice opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4\n"
	"net[0-9]+\n"
	"lab\\d\\d\n"
	"a.c\n"
	"x\n";

TEST(community_list_forms)
{
	struct community_list l;
	const struct community_entry *e;
	const struct community_user *u;
	uint8_t key[AUTH_KEY_SIZE];
	char path[64], err[512];

	temp_file(path, community_sample);
	CHECK_EQ(community_list_load(&l, path, err, sizeof(err)), 0);
	CHECK_MSG(!err[0] || 1, "%s", err);
	CHECK_EQ(l.n_fixed, 2);
	CHECK_EQ(l.n_regex, 3);
	CHECK(community_list_allows(&l, "mynetwork"));
	CHECK(community_list_allows(&l, "office"));
	CHECK(community_list_allows(&l, "net12"));
	CHECK(!community_list_allows(&l, "xnet12")); /* full match */
	CHECK(!community_list_allows(&l, "net12x"));
	CHECK(!community_list_allows(&l, "net"));
	CHECK(community_list_allows(&l, "lab42"));
	CHECK(!community_list_allows(&l, "lab4x"));
	CHECK(community_list_allows(&l, "abc"));
	CHECK(!community_list_allows(&l, "x")); /* one-char line skipped */
	CHECK(!community_list_allows(&l, "mynetwork2"));

	e = community_list_find(&l, "office");
	CHECK(e && e->has_subnet && e->prefix == 24 &&
	      ip_is(e->subnet, "10.1.2.0") && e->n_users == 2);
	e = community_list_find(&l, "mynetwork");
	CHECK(e && !e->has_subnet && e->n_users == 0);
	CHECK(community_list_find(&l, "net12") == NULL); /* regex only */

	CHECK_EQ(auth_ascii_to_bin(key, sizeof(key), LOGAN_KEY), 0);
	u = community_list_find_user(&l, "office", key);
	CHECK(u && !strcmp(u->name, "logan"));
	CHECK(community_list_find_user(&l, "mynetwork", key) == NULL);
	key[0] ^= 1;
	CHECK(community_list_find_user(&l, "office", key) == NULL);
	community_list_free(&l);
	unlink(path);
}

struct bad_list {
	const char *text;
	const char *want;
};

static const struct bad_list bad_lists[] = {
	{ "* logan " LOGAN_KEY "\n", ":1: * logan " },
	{ "net.*\n* logan " LOGAN_KEY "\n", "must follow a fixed community" },
	{ "cc\n* logan tooshort\n", ":2: * logan tooshort: public key must" },
	{ "cc\n* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgp*\n",
	  "public key must be 43" },
	{ "cc\n* logan\n", "expected '* <user> <key>'" },
	{ "cc\n* a-user-name-of-16 " LOGAN_KEY "\n",
	  "user name longer than 15" },
	{ "cc\n* a " LOGAN_KEY "\n* b " LOGAN_KEY "\n",
	  "same key as user 'a'" },
	{ "# only comments\n\n", "no community names" },
	{ "a-community-name-of-20\n", "community name longer than 19" },
	{ "cc 10.1.2.0/31\n", ":1: cc 10.1.2.0/31: subnet '10.1.2.0/31'" },
	{ "cc 10.1.2.1/24\n", "has host bits set" },
	{ "cc 0.0.0.0/8\n", "must not be 0.0.0.0" },
	{ "cc 10.1.2.0\n", "expected a network" },
	{ "cc 10.1.2.0/24 extra\n", "expected '<community> [a.b.c.d/len]'" },
	{ "cc\ncc\n", ":2: cc: community listed twice" },
	{ "net[0-9\n", ":1: net[0-9: bad regular expression" },
	{ "net.* 10.0.0.0/8\n", "a regular expression takes no subnet" },
	/* Found by tests/fuzz/fuzz_community_list.c: regcomp's memory
	 * doubles per stacked quantifier. */
	{ "x++++++++++++++++++++++++++++++++++++++++++++++++++\n", ":1: x+++" },
	{ "net.*?\n", "right after another one" },
};

TEST(community_list_errors)
{
	size_t i;

	for (i = 0; i < sizeof(bad_lists) / sizeof(bad_lists[0]); i++) {
		struct community_list l;
		char path[64], err[512];
		int ret;

		temp_file(path, bad_lists[i].text);
		ret = community_list_load(&l, path, err, sizeof(err));
		CHECK_MSG(ret == -EINVAL && strstr(err, bad_lists[i].want),
			  "list %zu: got %d \"%s\"", i, ret, err);
		CHECK(!l.loaded && !l.n_fixed && !l.n_regex);
		community_list_free(&l);
		unlink(path);
	}
}

TEST(community_list_errors_reach_sn_conf)
{
	struct sn_conf c;
	char path[64], err[512];

	temp_file(path, "ok\nbad 1.2.3.4/40\n");
	CHECK_EQ(SN(&c, err, "-c", path), -EINVAL);
	CHECK_MSG(strstr(err, path) && strstr(err, ":2: bad 1.2.3.4/40"), "%s",
		  err);
	sn_conf_free(&c);
	unlink(path);
}

TEST(conf_edge_kernel_unload_needs_only_the_tap)
{
	struct edge_conf c;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "--kernel-unload", "-d", "n2n7"), 0);
	CHECK_MSG(!err[0], "%s", err);
	CHECK(c.kernel_unload);
	CHECK(!strcmp(c.tap_name, "n2n7"));
	edge_conf_free(&c);
}

static const struct sockaddr_in *sin_of(const struct sockaddr_storage *ss)
{
	return (const struct sockaddr_in *)ss;
}

/* Whether ss is the IPv6 address text, port port. */
static bool in6_is(const struct sockaddr_storage *ss, const char *text,
		   uint16_t port)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	struct in6_addr a;

	return ss->ss_family == AF_INET6 &&
	       inet_pton(AF_INET6, text, &a) == 1 &&
	       !memcmp(&a, &s6->sin6_addr, sizeof(a)) &&
	       ntohs(s6->sin6_port) == port;
}

/* --metrics: loopback unless an address is given, and a bad value named. */
TEST(conf_metrics)
{
	static const char *const bad[] = { "0",
					   "65536",
					   "x",
					   ":9100",
					   "1.2.3:9100",
					   "localhost:9100",
					   "9100:",
					   "1.2.3.4:9100:1",
					   "",
					   "::1:9100",
					   "[::1]",
					   "[1.2.3.4]:9100",
					   "[::1:9100",
					   "[]:9100",
					   "[::1]x:9100",
					   "[fe80::1%lo]:9100" };
	struct edge_conf c;
	struct sn_conf s;
	char err[512], opt[64];
	size_t i;

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "--metrics=9100"), 0);
	CHECK(c.metrics);
	CHECK(!c.metrics_names);
	CHECK_EQ(c.metrics_addr.ss_family, AF_INET);
	CHECK(ip_is(sin_of(&c.metrics_addr)->sin_addr, "127.0.0.1"));
	CHECK_EQ(ntohs(sin_of(&c.metrics_addr)->sin_port), 9100);
	edge_conf_free(&c);

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1"), 0);
	CHECK(!c.metrics);
	edge_conf_free(&c);

	CHECK_EQ(SN(&s, err, "--metrics=0.0.0.0:9101"), 0);
	CHECK(s.metrics);
	CHECK(ip_is(sin_of(&s.metrics_addr)->sin_addr, "0.0.0.0"));
	CHECK_EQ(ntohs(sin_of(&s.metrics_addr)->sin_port), 9101);
	sn_conf_free(&s);

	/* IPv6 in brackets, as in a URL. */
	CHECK_EQ(SN(&s, err, "--metrics=[::1]:9102"), 0);
	CHECK(in6_is(&s.metrics_addr, "::1", 9102));
	sn_conf_free(&s);
	CHECK_EQ(SN(&s, err, "--metrics=[::]:9103"), 0);
	CHECK(in6_is(&s.metrics_addr, "::", 9103));
	sn_conf_free(&s);
	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1",
		      "--metrics=[2001:db8::7]:9104"),
		 0);
	CHECK(in6_is(&c.metrics_addr, "2001:db8::7", 9104));
	edge_conf_free(&c);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(opt, sizeof(opt), "--metrics=%s", bad[i]);
		/* The message names the option and what is wrong. */
		CHECK_MSG(SN(&s, err, opt) == -EINVAL && strstr(err, opt) &&
				  (strstr(err, "PORT") || strstr(err, "IPv4")),
			  "%s: \"%s\"", opt, err);
		sn_conf_free(&s);
	}
}

/* --metrics-community-names: both daemons, off unless given. */
TEST(conf_metrics_community_names)
{
	struct edge_conf c;
	struct sn_conf s;
	char err[512];

	CHECK_EQ(EDGE(&c, err, "-c", "n", "-l", "s:1", "--metrics=9100",
		      "--metrics-community-names"),
		 0);
	CHECK(c.metrics_names);
	edge_conf_free(&c);
	CHECK_EQ(SN(&s, err, "--metrics=9100"), 0);
	CHECK(!s.metrics_names);
	sn_conf_free(&s);
	CHECK_EQ(SN(&s, err, "--metrics=9100", "--metrics-community-names"), 0);
	CHECK(s.metrics_names);
	sn_conf_free(&s);
}
