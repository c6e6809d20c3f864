// SPDX-License-Identifier: GPL-2.0-only
/*
 * The -A6 static identity's key file (identity.h): load with a permission
 * check, create or replace atomically, print as base64 and fingerprint.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identity.h"

/* Longest file we read: the key line and some trailing white space. */
#define KEY_FILE_MAX 128

const char *identity_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -ENOENT:
		return "no such file or directory (n2n-keygen --identity FILE "
		       "makes a key file)";
	case -EPERM:
		return "key file is open to group or others (chmod 600 it)";
	case -EBADMSG:
		return "key file is not one line of base64 of 32 bytes";
	case -EINVAL:
		return "key file holds an all-zero key";
	case -EFBIG:
		return "key file is too long to be a key";
	default:
		return strerror(-err);
	}
}

/* The private key from the file's text: base64, then only white space. */
static int parse_key(uint8_t key[NOISE_KEY_LEN], const char *text, size_t len)
{
	const char *end;
	size_t n;

	if (sodium_base642bin(key, NOISE_KEY_LEN, text, len, NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    n != NOISE_KEY_LEN)
		return -EBADMSG;
	for (; end < text + len; end++)
		if (*end != '\n' && *end != '\r' && *end != ' ' && *end != '\t')
			return -EBADMSG;
	return 0;
}

static int read_key_fd(int fd, uint8_t key[NOISE_KEY_LEN])
{
	char text[KEY_FILE_MAX + 1];
	struct stat st;
	ssize_t n;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EBADMSG;
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return -EPERM;
	n = read(fd, text, sizeof(text));
	if (n < 0)
		return -errno;
	if (n > KEY_FILE_MAX)
		return -EFBIG;
	ret = parse_key(key, text, (size_t)n);
	sodium_memzero(text, sizeof(text));
	return ret;
}

static int load(struct noise_static *s, const char *path)
{
	uint8_t key[NOISE_KEY_LEN];
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_key_fd(fd, key);
	close(fd);
	if (!ret)
		ret = noise_static_init(s, key);
	sodium_memzero(key, sizeof(key));
	return ret;
}

/* fsync of the directory holding path, so a link or rename lasts. */
static int sync_dir(const char *path)
{
	char buf[PATH_MAX];
	int fd, ret = 0;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/* A new 0600 file beside path holding key; its name is left in tmp. */
static int write_tmp(char tmp[PATH_MAX], const char *path,
		     const uint8_t key[NOISE_KEY_LEN])
{
	char line[IDENTITY_BASE64_SIZE + 1];
	size_t len;
	int fd, ret = 0;

	if (snprintf(tmp, PATH_MAX, "%s.XXXXXX", path) >= PATH_MAX)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL, mode 0600 */
	if (fd < 0)
		return -errno;
	sodium_bin2base64(line, IDENTITY_BASE64_SIZE, key, NOISE_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
	len = strlen(line);
	line[len++] = '\n';
	errno = 0;
	if (write(fd, line, len) != (ssize_t)len || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	sodium_memzero(line, sizeof(line));
	if (ret)
		unlink(tmp);
	return ret;
}

/*
 * A new key at path: replace an existing file (rename) or keep one that
 * appeared meanwhile (link fails with EEXIST, then the caller loads it).
 */
static int write_new_key(struct noise_static *s, const char *path, bool replace)
{
	uint8_t key[NOISE_KEY_LEN];
	char tmp[PATH_MAX];
	int ret;

	randombytes_buf(key, sizeof(key));
	ret = noise_static_init(s, key);
	if (!ret)
		ret = write_tmp(tmp, path, key);
	sodium_memzero(key, sizeof(key));
	if (ret)
		return ret;
	if (replace ? rename(tmp, path) : link(tmp, path))
		ret = -errno;
	unlink(tmp); /* after rename: gone already, ENOENT ignored */
	if (!ret)
		ret = sync_dir(path);
	if (ret)
		noise_static_wipe(s);
	return ret;
}

int identity_load_or_create(struct noise_static *s, const char *path,
			    bool create)
{
	int ret = load(s, path);

	if (ret != -ENOENT || !create)
		return ret;
	ret = write_new_key(s, path, false);
	if (ret == -EEXIST)
		return load(s, path);
	return ret ? ret : 1;
}

int identity_rotate(struct noise_static *s, const char *path)
{
	struct noise_static fresh;
	int ret;

	ret = write_new_key(&fresh, path, true);
	if (!ret)
		ret = load(s, path);
	noise_static_wipe(&fresh);
	return ret;
}

void identity_fingerprint(char out[IDENTITY_FINGERPRINT_SIZE],
			  const uint8_t pub[NOISE_KEY_LEN])
{
	uint8_t h[32];

	crypto_generichash(h, sizeof(h), pub, NOISE_KEY_LEN, NULL, 0);
	snprintf(out, IDENTITY_FINGERPRINT_SIZE,
		 "%02x%02x:%02x%02x:%02x%02x:%02x%02x", h[0], h[1], h[2], h[3],
		 h[4], h[5], h[6], h[7]);
}

void identity_pub_base64(char out[IDENTITY_BASE64_SIZE],
			 const uint8_t pub[NOISE_KEY_LEN])
{
	sodium_bin2base64(out, IDENTITY_BASE64_SIZE, pub, NOISE_KEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}
