// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the edge and supernode parsers share: a small getopt-like scanner
 * with no global state, n2n's config file format (§9.3) and strict value
 * parsers that word their own error messages.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mac.h"
#include "conf.h"

#define WHERE_LEN 512

const char *conf_getenv(const struct conf_env *env, const char *name)
{
	if (env && env->getenv)
		return env->getenv(name);
	return getenv(name);
}

void conf_warn(struct conf_warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (w->count == CONF_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(w->text[w->count++], CONF_WARNING_LEN, fmt, ap);
	va_end(ap);
}

int conf_fail(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* n2n's trim(): whitespace and quote characters off both ends. */
static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s) || *s == '"' || *s == '\'')
		s++;
	end = s + strlen(s);
	while (end > s && (isspace((unsigned char)end[-1]) || end[-1] == '"' ||
			   end[-1] == '\''))
		end--;
	*end = 0;
	return s;
}

/*
 * Splits one trimmed line at the first TAB, space or '='. The edge takes
 * the rest of the line as the value, the supernode only the next word.
 */
static void split_line(struct conf_line *cl, char *buf, bool rest_of_line)
{
	size_t n = strcspn(buf, "\t =");
	char *rest;

	cl->option = buf;
	cl->value = NULL;
	if (!buf[n])
		return;
	buf[n] = 0;
	rest = buf + n + 1;
	if (!rest_of_line) {
		rest += strspn(rest, "\t ");
		n = strcspn(rest, "\t ");
		cl->extra = rest[n] && rest[n + strspn(rest + n, "\t ")];
		rest[n] = 0;
	}
	rest = trim(rest);
	cl->value = *rest ? rest : NULL;
}

static int add_line(struct conf_lines *out, unsigned int lineno, char *text,
		    bool rest_of_line)
{
	struct conf_line *grown, *cl;
	char *buf;

	grown = realloc(out->line, (out->count + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	out->line = grown;
	cl = &out->line[out->count];
	memset(cl, 0, sizeof(*cl));
	cl->lineno = lineno;
	cl->text = strdup(text);
	buf = strdup(text);
	if (!cl->text || !buf) {
		free(cl->text);
		free(buf);
		return -ENOMEM;
	}
	split_line(cl, buf, rest_of_line);
	out->count++;
	return 0;
}

/* Length of the UTF-8 sequence lead byte c starts, 0 if it starts none. */
static size_t utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * Where a config line (len bytes, its newline included) stops being text:
 * the offset of a NUL or other control character but tab and the line's
 * end, or of a byte that is not UTF-8; -1 when it is all text. A binary
 * or mangled file is refused there, not read as options.
 */
/* Whether byte `at` of a line lies in a comment ('#' first, after
 * blanks). */
static bool in_comment(const char *s, size_t at)
{
	size_t i = 0;

	while (i < at && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < at && s[i] == '#';
}

static ssize_t not_text(const char *s, size_t len)
{
	size_t i = 0, n, k;

	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return (ssize_t)i;
		n = utf8_len(c);
		if (!n || i + n > len)
			return (ssize_t)i;
		for (k = 1; k < n; k++)
			if (((unsigned char)s[i + k] & 0xc0) != 0x80)
				return (ssize_t)i;
		i += n;
	}
	return -1;
}

int conf_file_read(const char *path, bool value_is_rest_of_line,
		   struct conf_lines *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	unsigned int lineno = 0;
	char *raw = NULL, *line;
	ssize_t got, bad;
	size_t cap = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(-ret));
		return ret;
	}
	while (!ret && (got = getline(&raw, &cap, f)) >= 0) {
		lineno++;
		bad = not_text(raw, (size_t)got);
		/* Judged on the raw bytes: a NUL would end the trimmed line
		 * early and hide what follows. Only a comment may hold them. */
		if (bad >= 0 && !in_comment(raw, (size_t)bad)) {
			snprintf(err, errlen,
				 "%s:%u: not text: byte 0x%02x at column %zd "
				 "(a control character or not UTF-8)",
				 path, lineno, (unsigned char)raw[bad],
				 bad + 1);
			ret = -EINVAL;
			break;
		}
		line = trim(raw);
		if (strlen(line) < 2 || line[0] == '#')
			continue;
		ret = add_line(out, lineno, line, value_is_rest_of_line);
		if (ret)
			snprintf(err, errlen, "%s:%u: out of memory", path,
				 lineno);
	}
	free(raw);
	fclose(f);
	if (ret)
		conf_lines_free(out);
	return ret;
}

void conf_lines_free(struct conf_lines *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		size_t len = strlen(l->line[i].text);

		/* Lines may hold keys and passwords; option is a copy. */
		explicit_bzero(l->line[i].option, len);
		explicit_bzero(l->line[i].text, len);
		free(l->line[i].text);
		free(l->line[i].option);
	}
	free(l->line);
	memset(l, 0, sizeof(*l));
}

static int dispatch(const struct conf_scanner *s, const struct conf_option *o,
		    const char *value, const char *where, char *err,
		    size_t errlen)
{
	struct conf_item it = { .opt = o, .value = value, .where = where };
	char msg[CONF_WARNING_LEN] = "";
	int ret;

	ret = s->handle(s->ctx, &it, msg, sizeof(msg));
	if (ret < 0)
		snprintf(err, errlen, "%s: %s", where, msg);
	return ret;
}

static const struct conf_option *find_short(const struct conf_scanner *s, int c)
{
	const struct conf_option *o;

	for (o = s->options; o->key; o++)
		if (o->key == c)
			return o;
	return NULL;
}

/* getopt_long's rule: an exact name, or a prefix of exactly one. */
static const struct conf_option *find_long(const struct conf_scanner *s,
					   const char *name, size_t len)
{
	const struct conf_option *o, *found = NULL;
	int prefixes = 0;

	for (o = s->options; o->key; o++) {
		if (!o->long_name || strncmp(o->long_name, name, len))
			continue;
		if (!o->long_name[len])
			return o;
		found = o;
		prefixes++;
	}
	return prefixes == 1 ? found : NULL;
}

/*
 * One option token and what may follow it: the next command line word or
 * the value of a config file line. *used_next tells whether it was taken.
 */
struct scan_tok {
	const char *tok;
	const char *next;
	bool from_file;
	const char *where; /* file lines: fixed; command line: built here */
	bool used_next;
	struct conf_seen *seen; /* file lines: options this file set */
	unsigned int lineno;
};

/* The options with a value one config file set, and on which line. */
#define CONF_SEEN_MAX 64
struct conf_seen {
	int key[CONF_SEEN_MAX];
	unsigned int line[CONF_SEEN_MAX];
	size_t n;
};

static const char *opt_name(const struct conf_option *o, char *buf, size_t len)
{
	if (o->key < 256)
		snprintf(buf, len, "-%c", o->key);
	else
		snprintf(buf, len, "--%s", o->long_name);
	return buf;
}

/*
 * An option with one value set twice in the same file: the second would
 * silently replace the first (n2n keeps the last), and a user editing a
 * long file rarely means that. Options that add (-l, -n) may repeat; the
 * command line may still override the file.
 */
static int check_repeat(const struct conf_scanner *s, struct scan_tok *t,
			const struct conf_option *o, const char *where,
			char *err, size_t errlen)
{
	char name[64];
	size_t i;

	if (!t->seen || o->arg == CONF_ARG_NONE ||
	    (o->key < 256 && s->repeatable && strchr(s->repeatable, o->key)))
		return 0;
	for (i = 0; i < t->seen->n; i++)
		if (t->seen->key[i] == o->key)
			return conf_fail(err, errlen,
					 "%s: %s given twice in this file "
					 "(also line %u); keep one",
					 where, opt_name(o, name, sizeof(name)),
					 t->seen->line[i]);
	if (t->seen->n < CONF_SEEN_MAX) {
		t->seen->key[t->seen->n] = o->key;
		t->seen->line[t->seen->n++] = t->lineno;
	}
	return 0;
}

static const char *tok_where(struct scan_tok *t, char *buf, size_t len)
{
	if (t->where)
		return t->where;
	if (t->used_next && t->next)
		snprintf(buf, len, "%s %s", t->tok, t->next);
	else
		snprintf(buf, len, "%s", t->tok);
	return buf;
}

static int scan_long(const struct conf_scanner *s, struct scan_tok *t,
		     char *err, size_t errlen)
{
	const char *name = t->tok + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct conf_option *o = find_long(s, name, len);
	const char *value = eq ? eq + 1 : NULL;
	char buf[WHERE_LEN];

	if (!o)
		return conf_fail(err, errlen, "%s: unknown option",
				 tok_where(t, buf, sizeof(buf)));
	if (o->arg == CONF_ARG_REQUIRED && !value && t->next) {
		value = t->next;
		t->used_next = true;
	}
	if (o->arg == CONF_ARG_REQUIRED && !value)
		return conf_fail(err, errlen, "%s: option needs a value",
				 tok_where(t, buf, sizeof(buf)));
	if (o->arg == CONF_ARG_NONE && value)
		return conf_fail(err, errlen, "%s: option takes no value",
				 tok_where(t, buf, sizeof(buf)));
	if (check_repeat(s, t, o, tok_where(t, buf, sizeof(buf)), err, errlen))
		return -EINVAL;
	return dispatch(s, o, value, tok_where(t, buf, sizeof(buf)), err,
			errlen);
}

/*
 * n2n's config file trap: "-A=4" and "-A 4" reach getopt as a bare -A
 * (AES), since optional values must be attached. We read what the user
 * meant, and say that stock n2n does not.
 */
static void warn_detached(const struct conf_scanner *s,
			  const struct conf_option *o, const char *value,
			  const char *where)
{
	conf_warn(s->warnings,
		  "%s: read as -%c%s, but stock n2n reads it as a bare -%c "
		  "(%s); write -%c%s",
		  where, o->key, value, o->key, o->stock_bare, o->key, value);
}

/* A value for the short option o at p[1..]; NULL for bare optional. */
static const char *short_value(const struct conf_scanner *s,
			       const struct conf_option *o, const char *p,
			       struct scan_tok *t, char *buf, size_t len)
{
	if (o->arg == CONF_ARG_NONE)
		return NULL;
	if (p[1])
		return p + 1;
	if (!t->next || (o->arg == CONF_ARG_OPTIONAL && !t->from_file))
		return NULL;
	t->used_next = true;
	if (o->arg == CONF_ARG_OPTIONAL)
		warn_detached(s, o, t->next, tok_where(t, buf, len));
	return t->next;
}

/* "-fvA4", "-c name", "-cname": getopt's short option clusters. */
static int scan_short(const struct conf_scanner *s, struct scan_tok *t,
		      char *err, size_t errlen)
{
	const char *p;
	char buf[WHERE_LEN];
	int ret;

	for (p = t->tok + 1; *p; p++) {
		const struct conf_option *o = find_short(s, *p);
		const char *value;

		if (!o)
			return conf_fail(err, errlen, "%s: unknown option -%c",
					 tok_where(t, buf, sizeof(buf)), *p);
		value = short_value(s, o, p, t, buf, sizeof(buf));
		if (o->arg == CONF_ARG_REQUIRED && !value)
			return conf_fail(err, errlen,
					 "%s: option -%c needs a value",
					 tok_where(t, buf, sizeof(buf)), *p);
		ret = check_repeat(s, t, o, tok_where(t, buf, sizeof(buf)), err,
				   errlen);
		if (!ret)
			ret = dispatch(s, o, value,
				       tok_where(t, buf, sizeof(buf)), err,
				       errlen);
		if (ret || o->arg != CONF_ARG_NONE)
			return ret;
	}
	return 0;
}

static int scan_token(const struct conf_scanner *s, struct scan_tok *t,
		      char *err, size_t errlen)
{
	if (t->tok[0] != '-' || !t->tok[1])
		return conf_fail(err, errlen,
				 "%s: unexpected argument, options start "
				 "with '-'",
				 t->where ? t->where : t->tok);
	if (t->tok[1] == '-')
		return scan_long(s, t, err, errlen);
	return scan_short(s, t, err, errlen);
}

int conf_scan_argv(const struct conf_scanner *s, int argc, char **argv,
		   int first, char *err, size_t errlen)
{
	int i, ret;

	for (i = first; i < argc; i++) {
		struct scan_tok t = {
			.tok = argv[i],
			.next = i + 1 < argc ? argv[i + 1] : NULL,
		};

		ret = scan_token(s, &t, err, errlen);
		if (ret)
			return ret;
		if (t.used_next)
			i++;
	}
	return 0;
}

/*
 * How much of a line an error message quotes: up to QUOTE_MAX bytes, cut
 * before a UTF-8 continuation byte, so the problem that follows the
 * quote is never lost off the end of a long line.
 */
#define QUOTE_MAX 64
static int quote_len(const char *text)
{
	size_t n = strlen(text);

	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

/* A file line setting a key or password: quoted without its value. */
static bool secret_line(const struct conf_scanner *s, const char *option)
{
	const struct conf_option *o = NULL;
	const char *name = option + 2;

	if (option[0] != '-')
		return false;
	if (option[1] != '-')
		return s->secret && option[1] && strchr(s->secret, option[1]);
	o = find_long(s, name, strcspn(name, "="));
	return o && ((o->key < 256 && s->secret && strchr(s->secret, o->key)) ||
		     (o->long_name && strstr(o->long_name, "password")));
}

static int scan_line(const struct conf_scanner *s, const char *path,
		     const struct conf_line *cl, struct conf_seen *seen,
		     char *err, size_t errlen)
{
	char where[WHERE_LEN];
	struct scan_tok t = {
		.tok = cl->option,
		.next = cl->value,
		.from_file = true,
		.where = where,
		.seen = seen,
		.lineno = cl->lineno,
	};
	int ret;

	if (secret_line(s, cl->option))
		snprintf(where, sizeof(where), "%s:%u: %.*s (value not shown)",
			 path, cl->lineno,
			 cl->option[1] == '-' ? (int)strcspn(cl->option, "=")
					      : 2,
			 cl->option);
	else
		snprintf(where, sizeof(where), "%s:%u: %.*s%s", path,
			 cl->lineno, quote_len(cl->text), cl->text,
			 cl->text[quote_len(cl->text)] ? "..." : "");
	ret = scan_token(s, &t, err, errlen);
	if (ret)
		return ret;
	if (cl->value && !t.used_next)
		return conf_fail(err, errlen, "%s: unexpected value", where);
	if (cl->extra)
		conf_warn(s->warnings,
			  "%s: words after the value are ignored, as stock "
			  "n2n does",
			  where);
	return 0;
}

int conf_scan_file(const struct conf_scanner *s, const char *path, char *err,
		   size_t errlen)
{
	struct conf_seen seen = { .n = 0 };
	struct conf_lines lines;
	size_t i;
	int ret;

	ret = conf_file_read(path, s->value_is_rest_of_line, &lines, err,
			     errlen);
	for (i = 0; !ret && i < lines.count; i++)
		ret = scan_line(s, path, &lines.line[i], &seen, err, errlen);
	conf_lines_free(&lines);
	return ret;
}

int conf_scan_env(const struct conf_scanner *s, const struct conf_env *env,
		  const char *name, int key, bool quote_value, char *err,
		  size_t errlen)
{
	const char *value = conf_getenv(env, name);
	char where[WHERE_LEN];

	if (!value || !*value)
		return 0;
	if (quote_value)
		snprintf(where, sizeof(where), "%s=%s", name, value);
	else
		snprintf(where, sizeof(where), "%s (environment)", name);
	return dispatch(s, find_short(s, key), value, where, err, errlen);
}

int conf_parse_long(const char *s, int base, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would take blanks, '+', and "0x" when base is 16. */
	if (!s || !(isdigit((unsigned char)s[0]) ||
		    (base == 16 && isxdigit((unsigned char)s[0])) ||
		    (s[0] == '-' && min < 0)))
		return -EINVAL;
	if (base == 16 && strpbrk(s, "xX"))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int conf_parse_ipv4(const char *s, struct in_addr *out)
{
	return inet_pton(AF_INET, s, out) == 1 ? 0 : -EINVAL;
}

/* The ADDR of --metrics=ADDR:PORT: IPv4, or IPv6 in brackets. */
static int metrics_addr(const char *s, size_t n, struct sockaddr_storage *out)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	char ip[INET6_ADDRSTRLEN];

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		if (n - 2 >= sizeof(ip))
			return -EINVAL;
		memcpy(ip, s + 1, n - 2);
		ip[n - 2] = 0;
		s6->sin6_family = AF_INET6;
		return inet_pton(AF_INET6, ip, &s6->sin6_addr) == 1 ? 0
								    : -EINVAL;
	}
	if (n >= sizeof(ip) || memchr(s, ':', n))
		return -EINVAL;
	memcpy(ip, s, n);
	ip[n] = 0;
	s4->sin_family = AF_INET;
	return conf_parse_ipv4(ip, &s4->sin_addr);
}

/* Loopback unless an address is given: the endpoint has no access control
 * of its own, so exposing it is the operator's explicit choice. */
int conf_parse_metrics(const char *s, struct sockaddr_storage *out, char *msg,
		       size_t msglen)
{
	const char *colon = strrchr(s, ':'), *port = colon ? colon + 1 : s;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	long n;

	memset(out, 0, sizeof(*out));
	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (colon && metrics_addr(s, (size_t)(colon - s), out))
		return conf_fail(msg, msglen,
				 "'%.*s' is not an IPv4 address or an IPv6 "
				 "one in brackets in '%s'",
				 (int)(colon - s), s, s);
	if (conf_parse_long(port, 10, 1, 65535, &n))
		return conf_fail(msg, msglen,
				 "use [ADDR:]PORT with a port of "
				 "1..65535, not '%s'",
				 s);
	/* sin_port and sin6_port sit at the same offset. */
	s4->sin_port = htons((uint16_t)n);
	return 0;
}

int conf_parse_mac(const char *s, uint8_t mac[MAC_SIZE])
{
	int i;

	if (strlen(s) != MAC_STR_MAX - 1)
		return -EINVAL;
	for (i = 0; i < MAC_SIZE; i++) {
		const char *p = s + 3 * i;
		long v;
		char hex[3] = { p[0], p[1], 0 };

		if ((i < MAC_SIZE - 1 && p[2] != ':') ||
		    !isxdigit((unsigned char)p[1]) ||
		    conf_parse_long(hex, 16, 0, 255, &v))
			return -EINVAL;
		mac[i] = (uint8_t)v;
	}
	return 0;
}

static uint32_t prefix_mask(unsigned int prefix)
{
	return prefix ? htonl(~0u << (32 - prefix)) : 0;
}

int conf_parse_prefix_net(const char *s, struct in_addr *net, uint8_t *prefix,
			  unsigned int min, unsigned int max, char *msg,
			  size_t msglen)
{
	const char *slash = strchr(s, '/');
	char ip[INET_ADDRSTRLEN];
	long len;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return conf_fail(msg, msglen, "expected a network a.b.c.d/len");
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = 0;
	if (conf_parse_ipv4(ip, net))
		return conf_fail(msg, msglen, "'%s' is not an IPv4 address",
				 ip);
	if (conf_parse_long(slash + 1, 10, min, max, &len))
		return conf_fail(msg, msglen,
				 "prefix length must be a number between %u "
				 "and %u",
				 min, max);
	if (net->s_addr & ~prefix_mask((unsigned int)len))
		return conf_fail(msg, msglen,
				 "%s has host bits set for a /%ld network", ip,
				 len);
	*prefix = (uint8_t)len;
	return 0;
}

static int parse_port(const char *s, unsigned int min, uint16_t *port,
		      char *msg, size_t msglen)
{
	long v;

	if (conf_parse_long(s, 10, min, 65535, &v))
		return conf_fail(msg, msglen,
				 "port must be a number between %u and 65535",
				 min);
	*port = (uint16_t)v;
	return 0;
}

static bool is_host_name(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._", *s))
			return false;
	return true;
}

/* "[v6]:port": the address without brackets into out->host. */
static int parse_bracketed(const char *s, struct conf_hostport *out,
			   const char **port, char *msg, size_t msglen)
{
	const char *close = strchr(s, ']');
	struct in6_addr a;
	size_t len;

	if (close && !close[1])
		return conf_fail(msg, msglen,
				 "missing port, use [IPv6 address]:port");
	if (!close || close[1] != ':')
		return conf_fail(msg, msglen, "expected [IPv6 address]:port");
	len = (size_t)(close - s - 1);
	if (len >= sizeof(out->host))
		return conf_fail(msg, msglen, "address too long");
	memcpy(out->host, s + 1, len);
	out->host[len] = 0;
	if (inet_pton(AF_INET6, out->host, &a) != 1)
		return conf_fail(msg, msglen, "'%s' is not an IPv6 address",
				 out->host);
	*port = close + 2;
	return 0;
}

int conf_parse_hostport(const char *s, struct conf_hostport *out, char *msg,
			size_t msglen)
{
	const char *colon = strrchr(s, ':'), *port = "";
	size_t len;
	int ret;

	if (s[0] == '[') {
		ret = parse_bracketed(s, out, &port, msg, msglen);
		if (ret)
			return ret;
		return parse_port(port, 1, &out->port, msg, msglen);
	}
	if (!colon)
		return conf_fail(msg, msglen, "missing port, use host:port");
	if (strchr(s, ':') != colon)
		return conf_fail(msg, msglen,
				 "IPv6 addresses need brackets: [addr]:port");
	len = (size_t)(colon - s);
	if (!len || len > CONF_HOST_MAX)
		return conf_fail(msg, msglen, "host must be 1 to %d characters",
				 CONF_HOST_MAX);
	memcpy(out->host, s, len);
	out->host[len] = 0;
	if (!is_host_name(out->host))
		return conf_fail(msg, msglen,
				 "'%s' is not a host name or address",
				 out->host);
	return parse_port(colon + 1, 1, &out->port, msg, msglen);
}

static int parse_bind_v6(const char *s, struct conf_ip *addr, uint16_t *port,
			 unsigned int min_port, char *msg, size_t msglen)
{
	const char *close = strchr(s, ']');
	char host[INET6_ADDRSTRLEN];
	size_t len;

	if (!close || (close[1] && close[1] != ':'))
		return conf_fail(msg, msglen,
				 "expected [IPv6 address] or [IPv6 "
				 "address]:port");
	len = (size_t)(close - s - 1);
	if (len >= sizeof(host))
		return conf_fail(msg, msglen, "not an IPv6 address");
	memcpy(host, s + 1, len);
	host[len] = 0;
	if (inet_pton(AF_INET6, host, &addr->v6) != 1)
		return conf_fail(msg, msglen, "'%s' is not an IPv6 address",
				 host);
	addr->family = AF_INET6;
	return close[1] ? parse_port(close + 2, min_port, port, msg, msglen)
			: 0;
}

/* -p: "port", "ip", "ip:port", "[v6]" or "[v6]:port" (n2n: IPv4 only). */
int conf_parse_bind(const char *s, struct conf_ip *addr, uint16_t *port,
		    unsigned int min_port, char *msg, size_t msglen)
{
	const char *colon = strchr(s, ':');
	char ip[INET_ADDRSTRLEN];
	size_t len = colon ? (size_t)(colon - s) : strlen(s);

	if (s[0] == '[')
		return parse_bind_v6(s, addr, port, min_port, msg, msglen);
	if (!colon && !strchr(s, '.'))
		return parse_port(s, min_port, port, msg, msglen);
	if (len >= sizeof(ip))
		return conf_fail(msg, msglen, "not an IPv4 address");
	memcpy(ip, s, len);
	ip[len] = 0;
	if (conf_parse_ipv4(ip, &addr->v4))
		return conf_fail(msg, msglen, "'%s' is not an IPv4 address",
				 ip);
	addr->family = AF_INET;
	return colon ? parse_port(colon + 1, min_port, port, msg, msglen) : 0;
}

int conf_parse_id(const char *s, const char *what, uint32_t *out, char *msg,
		  size_t msglen)
{
	long v;

	/* (uid_t)-1 means "unchanged" to setresuid(). */
	if (conf_parse_long(s, 10, 0, (long)UINT32_MAX - 1, &v))
		return conf_fail(msg, msglen, "%s must be a number", what);
	*out = (uint32_t)v;
	return 0;
}

int conf_copy(char *dst, size_t size, const char *s, const char *what,
	      char *msg, size_t msglen)
{
	size_t len = strlen(s);

	if (!len)
		return conf_fail(msg, msglen, "%s must not be empty", what);
	if (len >= size)
		return conf_fail(msg, msglen, "%s longer than %zu characters",
				 what, size - 1);
	memcpy(dst, s, len + 1);
	return 0;
}

int conf_parse_datapath(const char *s, enum datapath_kind *out, char *msg,
			size_t msglen)
{
	if (!strcmp(s, "auto"))
		*out = DATAPATH_AUTO;
	else if (!strcmp(s, "kernel"))
		*out = DATAPATH_KERNEL;
	else if (!strcmp(s, "socket"))
		*out = DATAPATH_SOCKET;
	else
		return conf_fail(msg, msglen,
				 "datapath must be auto, kernel or socket");
	return 0;
}

int conf_parse_xdp_mode(const char *s, enum datapath_xdp_mode *out, char *msg,
			size_t msglen)
{
	if (!strcmp(s, "auto"))
		*out = XDP_MODE_AUTO;
	else if (!strcmp(s, "native"))
		*out = XDP_MODE_NATIVE;
	else if (!strcmp(s, "generic"))
		*out = XDP_MODE_GENERIC;
	else
		return conf_fail(msg, msglen,
				 "xdp-mode must be auto, native or generic");
	return 0;
}

int conf_replace_str(char **dst, const char *s, const char *what, char *msg,
		     size_t msglen)
{
	char *copy;

	if (!*s)
		return conf_fail(msg, msglen, "%s must not be empty", what);
	copy = strdup(s);
	if (!copy)
		return conf_fail(msg, msglen, "out of memory");
	conf_free_secret(dst);
	*dst = copy;
	return 0;
}

void conf_free_secret(char **s)
{
	if (!*s)
		return;
	explicit_bzero(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

int conf_scan_file_and_argv(const struct conf_scanner *s, int argc, char **argv,
			    char *err, size_t errlen)
{
	bool has_file = argc > 1 && argv[1][0] != '-';
	int ret = 0;

	if (has_file)
		ret = conf_scan_file(s, argv[1], err, errlen);
	if (!ret)
		ret = conf_scan_argv(s, argc, argv, has_file ? 2 : 1, err,
				     errlen);
	return ret;
}
