/* SPDX-License-Identifier: MIT */
/*
 * ceiling.c: the benchmark's ceiling, the smallest libmicrohttpd server
 * that does what every tollgate request must do: take a request, check
 * "Authorization: Bearer <token>" by HMAC-SHA512 of the token (keyed with
 * a salt) against one expected hash, and answer with a fixed body. It has
 * tollgate's thread configuration (one epoll thread per core in a pool,
 * turbo, the same connection limit and timeout), so tollgate's figures
 * divided by this one's show what tollgate's own work costs on the same
 * machine at the same moment. Not part of the product: bench/run builds
 * it with cc.
 *
 * Answers: no Authorization header: 403; a bearer whose hash matches: the
 * --status (200); anything else: 401. All three carry the same --body-size
 * bytes of JSON-looking filler, so a scenario's ceiling sends what tollgate
 * sends. Request bodies (POST) are read and dropped.
 *
 * usage: ceiling --port P --body-size N --key KEY [--salt S] [--status N]
 *                [--threads N] [--host 127.0.0.1]
 * Runs until SIGINT or SIGTERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HASH_HEX_LEN 128
#define MAX_BODY_SIZE (16u * 1024 * 1024)
#define MAX_BEARER_LEN 1024 /* as tollgate: longer values are unknown */

static struct {
	const char *salt;
	size_t salt_len;
	char expected[HASH_HEX_LEN + 1];
	char *body;
	size_t body_size;
	unsigned status;
} cfg;

static int marker; /* con_cls for "headers seen" */

static void
hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hash_token(const char *tok, size_t len, char out[HASH_HEX_LEN + 1])
{
	unsigned char mac[HASH_HEX_LEN / 2];
	unsigned int maclen = 0;

	if (!HMAC(EVP_sha512(), cfg.salt, (int)cfg.salt_len,
		  (const unsigned char *)tok, len, mac, &maclen) ||
	    maclen != sizeof(mac))
		return -1;
	hex(mac, sizeof(mac), out);
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

/* "Bearer <token>": the token part, as tollgate splits it. */
static bool
bearer(const char *h, const char **tok, size_t *len)
{
	const char *p = h, *t;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "bearer", 6) || (p[6] != ' ' && p[6] != '\t'))
		return false;
	p += 6;
	while (*p == ' ' || *p == '\t')
		p++;
	t = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*tok = t;
	*len = (size_t)(p - t);
	while (*p == ' ' || *p == '\t')
		p++;
	return *len > 0 && *p == '\0';
}

static unsigned
verdict(struct MHD_Connection *conn)
{
	const char *h, *tok;
	char got[HASH_HEX_LEN + 1];
	size_t len;

	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h)
		return MHD_HTTP_FORBIDDEN;
	if (!bearer(h, &tok, &len) || len > MAX_BEARER_LEN ||
	    hash_token(tok, len, got) < 0)
		return MHD_HTTP_UNAUTHORIZED;
	if (CRYPTO_memcmp(got, cfg.expected, HASH_HEX_LEN))
		return MHD_HTTP_UNAUTHORIZED;
	return cfg.status;
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url,
	  const char *method, const char *version, const char *upload_data,
	  size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		*con_cls = &marker;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* read and dropped */
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(cfg.body_size, cfg.body,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	ret = MHD_queue_response(conn, verdict(conn), r);
	MHD_destroy_response(r);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: ceiling --port P --body-size N --key KEY [--salt S]\n"
		"               [--status N] [--threads N] [--host ADDR]\n");
	exit(2);
}

static long
num(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "body-size", required_argument, NULL, 'b' },
		{ "key", required_argument, NULL, 'k' },
		{ "salt", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'S' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	const char *key = NULL, *host = "127.0.0.1";
	unsigned flags;
	long port = -1, threads = 0, cores;
	sigset_t set;
	size_t i;
	int c, sig;

	cfg.salt = "ceiling-salt";
	cfg.status = MHD_HTTP_OK;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port = num(optarg, 1, 65535); break;
		case 'H': host = optarg; break;
		case 'b': cfg.body_size = (size_t)num(optarg, 0, MAX_BODY_SIZE); break;
		case 'k': key = optarg; break;
		case 's': cfg.salt = optarg; break;
		case 'S': cfg.status = (unsigned)num(optarg, 200, 299); break;
		case 't': threads = num(optarg, 1, 1024); break;
		default: usage();
		}
	}
	if (port < 0 || !key || optind != argc)
		usage();
	cfg.salt_len = strlen(cfg.salt);
	if (hash_token(key, strlen(key), cfg.expected) < 0) {
		fprintf(stderr, "ceiling: HMAC-SHA512 failed\n");
		return 1;
	}
	/* a body that looks like tollgate's JSON; its bytes do not matter */
	cfg.body = malloc(cfg.body_size + 1);
	if (!cfg.body)
		return 1;
	for (i = 0; i < cfg.body_size; i++)
		cfg.body[i] = "{\"data\":[]}"[i % 11];
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		usage();

	/* the signals are taken by sigwait(), never by the pool's threads */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* tollgate's http/server.c: same flags, pool = cores, same limits */
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!threads)
		threads = cores > 0 ? cores : 1;
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
		MHD_USE_TURBO | MHD_USE_ITC;
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_access, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			     MHD_OPTION_THREAD_POOL_SIZE,
			     (unsigned int)(threads > 1 ? threads : 0),
			     MHD_OPTION_CONNECTION_LIMIT, 1024u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ceiling: cannot listen on %s:%ld\n", host,
			port);
		return 1;
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	free(cfg.body);
	return 0;
}
