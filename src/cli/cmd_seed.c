/* SPDX-License-Identifier: MIT */
/*
 * cmd_seed.c: 'tollgate seed' creates many entries of a collection type in
 * one process, for benchmarks and demo data. Each input line goes through
 * the Content API's own create handler (body parsing, validation, document
 * ids, draft & publish), only without HTTP, authentication and a commit per
 * entry: entries are committed in batches. It does not invent data; the
 * caller writes the request bodies.
 */
#include "core/compat.h"
#include "api/content.h"
#include "app/app.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <getopt.h>
#include <limits.h>
#include <strings.h>

#define SEED_BATCH_DEFAULT 10000L
#define SEED_BATCH_MAX 1000000L
#define SEED_MAX_DEFAULT 10000000L

static const char help[] =
	"usage: tollgate seed --type PLURAL [--dir DIR] [--batch N] [--max N]\n"
	"                     [--json] [FILE]\n"
	"\n"
	"Create entries of the collection type PLURAL (its pluralName, as in\n"
	"/api/PLURAL) from FILE, or standard input: one request body per line,\n"
	"exactly what POST /api/PLURAL takes, e.g.\n"
	"  {\"data\":{\"title\":\"Hello\",\"views\":1}}\n"
	"Each line goes through the Content API's create path (validation,\n"
	"documentId, publishing) without HTTP or a token, N entries per\n"
	"transaction. Blank lines are skipped. On the first invalid line the\n"
	"current batch is rolled back and seeding stops; earlier batches stay.\n"
	"\n"
	"  --type PLURAL  the collection type (e.g. articles)\n"
	"  --batch N      entries per transaction (default 10000)\n"
	"  --max N        stop with an error after N entries (default 10000000)\n"
	"  --json         print {\"created\": N, \"ms\": T} instead of a sentence\n"
	"  --dir DIR      the project folder (default: the current folder)\n"
	"\n"
	"A line longer than TOLLGATE_MAX_BODY is an error, as it would be over\n"
	"HTTP. Exit status: 0 success, 1 failure, 2 usage.\n";

struct seed_args {
	const char *dir;
	const char *type;
	const char *file;
	long batch;
	long max;
	bool json;
};

static const char *
seed_header(const struct http_req *req, const char *name)
{
	(void)req;
	return strcasecmp(name, "Content-Type") ? NULL : "application/json";
}

static int
parse_count(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
parse_args(int argc, char **argv, struct seed_args *a)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "type", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ "max", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:t:b:m:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 't': a->type = optarg; break;
		case 'j': a->json = true; break;
		case 'b':
			if (parse_count(optarg, 1, SEED_BATCH_MAX, &a->batch) < 0)
				return cli_usage_error("seed",
						       "--batch must be 1 to %ld",
						       SEED_BATCH_MAX);
			break;
		case 'm':
			if (parse_count(optarg, 1, LONG_MAX, &a->max) < 0)
				return cli_usage_error("seed",
						       "--max must be positive");
			break;
		case 'h': fputs(help, stdout); return 1;
		default: return cli_usage_error("seed", "bad option");
		}
	}
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc)
		return cli_usage_error("seed", "unexpected argument '%.100s'",
				       argv[optind]);
	if (!a->type)
		return cli_usage_error("seed", "--type PLURAL is required");
	return 0;
}

static bool
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return false;
	return true;
}

/* One entry through content_create(); the response is dropped. */
static int
seed_one(struct app *app, const struct content_type *ct, const char *path,
	 const char *line, size_t len, struct err *e)
{
	struct http_req req = { 0 };
	struct http_resp resp;
	struct content_req c;
	int rc;

	req.method = "POST";
	req.path = path;
	req.query = "";
	req.body = line;
	req.body_len = len;
	req.header = seed_header;
	req.remote_addr = "127.0.0.1";
	http_resp_init(&resp);
	c.app = app;
	c.req = &req;
	c.resp = &resp;
	c.ct = ct;
	c.document_id = NULL;
	rc = content_create(&c, e);
	http_resp_release(&resp);
	return rc;
}

int
cmd_seed(int argc, char **argv)
{
	struct seed_args a = { ".", NULL, NULL, SEED_BATCH_DEFAULT,
			       SEED_MAX_DEFAULT, false };
	const struct content_type *ct;
	struct buf path = BUF_INIT;
	struct err e = ERR_INIT;
	struct app app;
	FILE *in = stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long created = 0, lineno = 0, pending = 0;
	int64_t t0;
	int rc, ret = EXIT_FAIL;
	bool opened = false;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	if (a.file && strcmp(a.file, "-")) {
		in = fopen(a.file, "r");
		if (!in) {
			fprintf(stderr, "error: cannot open '%.200s': %s\n",
				a.file, strerror(errno));
			return EXIT_FAIL;
		}
	}
	if (app_open(&app, a.dir, 0, &e) < 0) {
		cli_print_error(&e);
		goto out;
	}
	opened = true;
	ct = schema_find_plural(&app.reg, a.type);
	if (!ct || ct->single) {
		fprintf(stderr, "error: '%.100s' is not the pluralName of a "
				"collection type\n", a.type);
		goto out;
	}
	buf_addf(&path, "/api/%s", ct->plural);
	t0 = time_now_ms();
	while ((n = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (blank(line, (size_t)n))
			continue;
		if ((size_t)n > app.cfg.max_body) {
			err_set(&e, ERR_TOO_LARGE, "line longer than "
				"TOLLGATE_MAX_BODY");
			goto fail;
		}
		if (created + pending >= a.max) {
			err_set(&e, ERR_TOO_LARGE, "more than --max %ld entries",
				a.max);
			goto fail;
		}
		if (!pending && store_begin(app.store) < 0) {
			err_set(&e, ERR_STORAGE, "cannot begin a transaction");
			goto fail;
		}
		if (seed_one(&app, ct, path.ptr, line, (size_t)n, &e) < 0)
			goto fail;
		if (++pending == a.batch) {
			if (store_commit(app.store) < 0) {
				err_set(&e, ERR_STORAGE, "cannot commit");
				goto fail;
			}
			created += pending;
			pending = 0;
		}
	}
	if (ferror(in)) {
		err_set(&e, ERR_IO, "cannot read the input");
		goto fail;
	}
	if (pending) {
		if (store_commit(app.store) < 0) {
			err_set(&e, ERR_STORAGE, "cannot commit");
			goto fail;
		}
		created += pending;
		pending = 0;
	}
	if (a.json)
		printf("{\"created\": %ld, \"ms\": %lld}\n", created,
		       (long long)(time_now_ms() - t0));
	else
		printf("created %ld %s entries\n", created, ct->plural);
	ret = EXIT_OK;
	goto out;
fail:
	if (pending)
		store_rollback(app.store);
	fprintf(stderr, "line %ld: ", lineno);
	cli_print_error(&e);
	fprintf(stderr, "created %ld entries before the failing batch\n",
		created);
out:
	free(line);
	buf_release(&path);
	if (opened)
		app_close(&app);
	if (in != stdin)
		fclose(in);
	err_release(&e);
	return ret;
}
