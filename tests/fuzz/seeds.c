// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes fuzz seed corpora from the golden captures: each plaintext
 * datagram goes to its message type's decoder target, header-encrypted ones
 * to the header target, PACKET payloads to the transform target. The
 * captures stay in ../shared; the seeds live only in the build directory.
 * The noise target's seeds are its own fixed handshake (noise_setup.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/pcap_read.h"
#include "noise_setup.h"
#include "proto/wire.h"

static int write_seed(const char *corpus, const char *target, const char *name,
		      int i, const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, target);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s-%d", corpus, target, name, i);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if (len)
		fwrite(buf, 1, len, f);
	return fclose(f);
}

static void target_for_type(char *out, size_t cap, unsigned int type)
{
	const char *name = wire_msg_name(type);
	size_t i, n = snprintf(out, cap, "decode_");

	for (i = 0; name[i] && n + 1 < cap; i++)
		out[n++] = (char)tolower((unsigned char)name[i]);
	out[n] = 0;
}

/* msg_open's: the mode byte (header encryption when the capture's file
 * name says -H), then the datagram. */
static int write_msg_open_seed(const char *corpus, const char *file, int i,
			       const struct udp_datagram *d)
{
	uint8_t seed[N2N_PKT_BUF_SIZE + 1];

	if (d->len > N2N_PKT_BUF_SIZE)
		return 0;
	seed[0] = strstr(file, "-H") ? 1 : 0;
	memcpy(seed + 1, d->payload, d->len);
	return write_seed(corpus, "msg_open", file, i, seed, d->len + 1);
}

static int seed_datagram(const char *corpus, const char *file, int i,
			 const struct udp_datagram *d)
{
	uint8_t tf_seed[N2N_PKT_BUF_SIZE + 1];
	char target[64];
	struct n2n_msg m;

	if (write_msg_open_seed(corpus, file, i, d))
		return -1;
	if (wire_decode(&m, d->payload, d->len) < 0)
		return write_seed(corpus, "header_decrypt", file, i, d->payload,
				  d->len);
	target_for_type(target, sizeof(target), m.hdr.type);
	if (write_seed(corpus, target, file, i, d->payload, d->len))
		return -1;
	if (m.hdr.type != N2N_MSG_PACKET || !m.u.packet.transform ||
	    m.u.packet.payload_len > N2N_PKT_BUF_SIZE)
		return 0;
	tf_seed[0] = (uint8_t)(m.u.packet.transform - 1);
	memcpy(tf_seed + 1, m.u.packet.payload, m.u.packet.payload_len);
	return write_seed(corpus, "transform_decode", file, i, tf_seed,
			  m.u.packet.payload_len + 1);
}

static int seed_capture(const char *dir, const char *corpus, const char *file)
{
	char path[4096];
	struct capture_file pf;
	struct udp_datagram d;
	int i = 0, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (capture_open(&pf, path)) {
		fprintf(stderr, "make-seeds: cannot read %s\n", path);
		return -1;
	}
	while ((ret = capture_next_udp(&pf, &d)) == 1)
		if (seed_datagram(corpus, file, i++, &d)) {
			ret = -1;
			break;
		}
	capture_close(&pf);
	return ret;
}

/* A mode byte (fuzz_noise.c) and one message. */
static int write_noise_seed(const char *corpus, const char *name, uint8_t mode,
			    const uint8_t *msg, size_t len)
{
	uint8_t seed[1 + NOISE_INIT_LEN];

	seed[0] = mode;
	memcpy(seed + 1, msg, len);
	return write_seed(corpus, "noise", name, 0, seed, len + 1);
}

static int seed_noise(const char *corpus)
{
	struct fuzz_noise f;
	int ret;

	fuzz_noise_setup(&f);
	ret = write_noise_seed(corpus, "init", 0, f.init, sizeof(f.init)) ||
	      write_noise_seed(corpus, "init-mac1", 0x80, f.init,
			       sizeof(f.init)) ||
	      write_noise_seed(corpus, "resp", 1, f.resp, sizeof(f.resp)) ||
	      write_noise_seed(corpus, "resp-mac1", 0x81, f.resp,
			       sizeof(f.resp)) ||
	      write_noise_seed(corpus, "cookie", 2, f.cookie_msg,
			       sizeof(f.cookie_msg));
	noise_hs_wipe(&f.sent);
	return ret ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct dirent *de;
	DIR *dir;
	int files = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: make-seeds VECTOR_DIR CORPUS_DIR\n");
		return 2;
	}
	if ((mkdir(argv[2], 0755) && errno != EEXIST) ||
	    !(dir = opendir(argv[1]))) {
		fprintf(stderr, "make-seeds: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".pcap"))
			continue;
		if (seed_capture(argv[1], argv[2], de->d_name)) {
			closedir(dir);
			return 1;
		}
		files++;
	}
	closedir(dir);
	if (seed_noise(argv[2]))
		return 1;
	printf("make-seeds: seeded from %d captures\n", files);
	return files ? 0 : 1;
}
