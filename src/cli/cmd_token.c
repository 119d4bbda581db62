/* SPDX-License-Identifier: MIT */
/*
 * cmd_token.c: 'tollgate token ...' manages content-API tokens through the
 * same token service and store the server uses. A running server sees each
 * change within its store's watch period (storage/store.h).
 */
#include "core/compat.h"
#include "app/app.h"
#include "cli/cli.h"
#include "api/errors.h"
#include "core/buf.h"
#include "core/mem.h"

#include <getopt.h>

static const char help[] =
	"usage: tollgate token list [--json]\n"
	"       tollgate token create --name NAME [--description TEXT]\n"
	"                [--type read-only|full-access|custom]\n"
	"                [--lifespan 7d|30d|90d|unlimited] [--permission UID]...\n"
	"                [--permissions UID,UID...] [--count N] [--json]\n"
	"       tollgate token show ID [--json]\n"
	"       tollgate token update ID [--name NAME] [--description TEXT]\n"
	"                [--type TYPE] [--lifespan L] [--permission UID]... [--json]\n"
	"       tollgate token regenerate ID [--json]\n"
	"       tollgate token delete ID [--json]\n"
	"\n"
	"Manage the project's API tokens (run in the project folder, or give\n"
	"--dir DIR). A new or regenerated key is printed once; 'show' prints it\n"
	"again only when ENCRYPTION_KEY is set (a viewable token).\n"
	"\n"
	"  --type         read-only (find, findOne), full-access, or custom\n"
	"                 (exactly the --permission actions); default read-only\n"
	"  --lifespan     how long the token lives; default unlimited. On update\n"
	"                 a new lifespan renews the token from now\n"
	"  --permission   an action UID such as api::article.article.find;\n"
	"                 repeat it; for custom tokens only\n"
	"  --permissions  the same as a comma-separated list; \"\" gives a custom\n"
	"                 token no permission at all\n"
	"  --count N      create N tokens named NAME-1..NAME-N in one process,\n"
	"                 one transaction per 10,000 (seeding, benchmarks); prints\n"
	"                 a JSON array of {id, accessKey} with --json, else one\n"
	"                 \"ID KEY\" line per token; only committed tokens are\n"
	"                 printed\n"
	"  --json         print the Admin API's JSON instead of a table; errors\n"
	"                 are printed as Strapi's error envelope\n"
	"  --dir DIR      the project folder (default: the current folder)\n"
	"\n"
	"Exit status: 0 success, 1 failure (validation, not found), 2 usage.\n";

#define HELP_SHOWN 100 /* parse_args() printed --help */
#define COUNT_MAX 10000000L /* --count bound */
#define COUNT_BATCH 10000L  /* tokens per transaction with --count */

struct token_args {
	const char *dir;
	bool json;
	json_t *body; /* fields given on the command line */
	json_t *perms;
	long count;   /* --count; 0 when not given */
};

static int
parse_lifespan(const char *s, json_t **out)
{
	static const struct {
		const char *name;
		long long ms;
	} names[] = { { "7d", 604800000LL },
		      { "30d", 2592000000LL },
		      { "90d", 7776000000LL } };
	size_t i;

	if (!strcmp(s, "unlimited") || !strcmp(s, "null")) {
		*out = json_null();
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			*out = json_integer(names[i].ms);
			return 0;
		}
	}
	return -1;
}

/* Append one UID, or a comma-separated list ("" is the empty list). */
static void
add_permissions(struct token_args *a, const char *arg, bool list)
{
	const char *p = arg, *end;

	if (!a->perms) {
		a->perms = json_array();
		json_object_set(a->body, "permissions", a->perms);
	}
	if (!list) {
		json_array_append_new(a->perms, json_string(arg));
		return;
	}
	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (end > p)
			json_array_append_new(a->perms,
					      json_stringn(p, (size_t)(end - p)));
		p = *end ? end + 1 : end;
	}
}

/* Parse options after the subcommand; positional arguments stay in argv. */
static int
parse_args(int argc, char **argv, struct token_args *a, bool fields,
	   int *first_pos)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "name", required_argument, NULL, 'n' },
		{ "description", required_argument, NULL, 'D' },
		{ "type", required_argument, NULL, 't' },
		{ "lifespan", required_argument, NULL, 'l' },
		{ "permission", required_argument, NULL, 'P' },
		{ "permissions", required_argument, NULL, 'L' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *life;
	char *end;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:jn:D:t:l:P:L:c:h", opts,
				NULL)) != -1) {
		if (!fields && strchr("nDtlPLc", c))
			return cli_usage_error("token", "option not valid for '%s'",
					       argv[0]);
		if (c == 'c' && strcmp(argv[0], "create"))
			return cli_usage_error("token", "--count is for 'create'");
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 'j': a->json = true; break;
		case 'n':
			json_object_set_new(a->body, "name", json_string(optarg));
			break;
		case 'D':
			json_object_set_new(a->body, "description",
					    json_string(optarg));
			break;
		case 't':
			json_object_set_new(a->body, "type", json_string(optarg));
			break;
		case 'l':
			if (parse_lifespan(optarg, &life) < 0)
				return cli_usage_error(
					"token",
					"--lifespan must be 7d, 30d, 90d or unlimited");
			json_object_set_new(a->body, "lifespan", life);
			break;
		case 'P':
			add_permissions(a, optarg, false);
			break;
		case 'L':
			add_permissions(a, optarg, true);
			break;
		case 'c':
			errno = 0;
			a->count = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || a->count < 1 ||
			    a->count > COUNT_MAX)
				return cli_usage_error(
					"token", "--count must be 1 to %ld",
					COUNT_MAX);
			break;
		case 'h':
			fputs(help, stdout);
			return HELP_SHOWN;
		default:
			return cli_usage_error("token", "bad option");
		}
	}
	*first_pos = optind;
	return 0;
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static void
print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					JSON_ENCODE_ANY);

	if (s) {
		puts(s);
		secret_free(s);
	}
}

static const char *
str_or(json_t *v, const char *dflt)
{
	return json_is_string(v) ? json_string_value(v) : dflt;
}

static void
print_token(json_t *t)
{
	json_t *perms = json_object_get(t, "permissions"), *p;
	json_t *key = json_object_get(t, "accessKey");
	size_t i;

	printf("id:          %lld\n",
	       (long long)json_integer_value(json_object_get(t, "id")));
	printf("name:        %s\n", str_or(json_object_get(t, "name"), ""));
	printf("description: %s\n",
	       str_or(json_object_get(t, "description"), ""));
	printf("type:        %s\n", str_or(json_object_get(t, "type"), ""));
	printf("expires:     %s\n",
	       str_or(json_object_get(t, "expiresAt"), "never"));
	printf("last used:   %s\n",
	       str_or(json_object_get(t, "lastUsedAt"), "never"));
	printf("created:     %s\n", str_or(json_object_get(t, "createdAt"), ""));
	json_array_foreach(perms, i, p)
		printf("%s  %s\n", i ? "            " : "permissions:",
		       json_string_value(p));
	if (json_is_string(key))
		printf("access key:  %s\n", json_string_value(key));
	else if (json_is_null(key))
		printf("access key:  (cannot be decrypted with the current "
		       "ENCRYPTION_KEY; regenerate it)\n");
}

static void
print_list(json_t *list)
{
	json_t *t;
	size_t i;

	if (!json_array_size(list)) {
		printf("no API tokens\n");
		return;
	}
	printf("%-5s %-28s %-12s %-26s %s\n", "ID", "NAME", "TYPE", "EXPIRES",
	       "LAST USED");
	json_array_foreach(list, i, t)
		printf("%-5lld %-28.28s %-12s %-26s %s\n",
		       (long long)json_integer_value(json_object_get(t, "id")),
		       str_or(json_object_get(t, "name"), ""),
		       str_or(json_object_get(t, "type"), ""),
		       str_or(json_object_get(t, "expiresAt"), "never"),
		       str_or(json_object_get(t, "lastUsedAt"), "never"));
}

static void
print_key_notice(const struct app *app, json_t *out)
{
	if (token_service_viewable(app->tokens))
		fprintf(stderr, "\nThe key above can be shown again with "
				"'tollgate token show %lld'.\n",
			(long long)json_integer_value(json_object_get(out, "id")));
	else
		fprintf(stderr, "\nCopy the key above now: without ENCRYPTION_KEY "
				"it cannot be shown again.\n");
}

static int
run(struct app *app, const char *sub, int64_t id, struct token_args *a,
    json_t **out, struct err *e)
{
	if (!strcmp(sub, "list"))
		return token_service_list(app->tokens, out, e);
	if (!strcmp(sub, "create"))
		return token_service_create(app->tokens, a->body, out, e);
	if (!strcmp(sub, "show"))
		return token_service_get(app->tokens, id, out, e);
	if (!strcmp(sub, "update"))
		return token_service_update(app->tokens, id, a->body, out, e);
	if (!strcmp(sub, "regenerate"))
		return token_service_regenerate(app->tokens, id, out, e);
	return token_service_delete(app->tokens, id, out, e);
}

/*
 * 'create --count N': tokens NAME-1..NAME-N through the normal create path,
 * COUNT_BATCH per transaction (each create nests as a savepoint). A batch's
 * keys are printed only after it commits, so on failure the output lists
 * exactly the tokens that exist. Returns EXIT_OK or EXIT_FAIL.
 */
static int
create_many(struct app *app, struct token_args *a)
{
	struct buf name = BUF_INIT, batch = BUF_INIT;
	struct err e = ERR_INIT;
	json_t *jname = json_object_get(a->body, "name");
	char *prefix = xstrdup(json_string_value(jname));
	json_t *out = NULL;
	const char *key;
	json_int_t id;
	long i, printed = 0;
	bool in_tx = false;
	int rc = 0, ret = EXIT_FAIL;

	if (a->json)
		fputs("[", stdout);
	for (i = 1; i <= a->count; i++) {
		if (!in_tx) {
			rc = store_begin(app->store);
			if (rc < 0) {
				err_set(&e, rc, "cannot begin a transaction");
				goto out;
			}
			in_tx = true;
		}
		buf_reset(&name);
		buf_addf(&name, "%s-%ld", prefix, i);
		json_object_set_new(a->body, "name", json_string(name.ptr));
		rc = token_service_create(app->tokens, a->body, &out, &e);
		if (rc < 0)
			goto out;
		id = json_integer_value(json_object_get(out, "id"));
		key = json_string_value(json_object_get(out, "accessKey"));
		if (a->json)
			buf_addf(&batch, "%s\n  {\"id\": %lld, \"accessKey\": "
					 "\"%s\"}",
				 i > 1 ? "," : "", (long long)id, key);
		else
			buf_addf(&batch, "%lld %s\n", (long long)id, key);
		token_json_wipe(out);
		json_decref(out);
		out = NULL;
		if (i % COUNT_BATCH == 0 || i == a->count) {
			rc = store_commit(app->store);
			in_tx = false;
			if (rc < 0) {
				err_set(&e, rc, "cannot commit tokens");
				goto out;
			}
			fwrite(batch.ptr, 1, batch.len, stdout);
			secret_wipe(batch.ptr, batch.len);
			buf_reset(&batch);
			printed = i;
		}
	}
	ret = EXIT_OK;
out:
	if (in_tx)
		store_rollback(app->store);
	if (a->json)
		fputs("\n]\n", stdout);
	fflush(stdout);
	if (ret != EXIT_OK) {
		cli_print_error(&e);
		fprintf(stderr, "created %ld of %ld tokens\n", printed,
			a->count);
	} else if (!a->json) {
		fprintf(stderr, "\ncreated %ld tokens; copy the keys above "
				"now%s\n", a->count,
			token_service_viewable(app->tokens)
				? " (or 'tollgate token show ID' later)"
				: "");
	}
	buf_release_secret(&batch);
	buf_release(&name);
	free(prefix);
	err_release(&e);
	return ret;
}

int
cmd_token(int argc, char **argv)
{
	static const char *const subs[] = { "list", "create", "show", "update",
					    "regenerate", "delete" };
	struct token_args a = { ".", false, NULL, NULL, 0 };
	struct err e = ERR_INIT;
	struct app app;
	const char *sub;
	json_t *out = NULL;
	int64_t id = 0;
	int pos = 0, rc, ret = EXIT_FAIL;
	bool takes_id, fields;
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	sub = argv[1];
	for (i = 0; i < ARRAY_SIZE(subs); i++)
		if (!strcmp(sub, subs[i]))
			break;
	if (i == ARRAY_SIZE(subs))
		return cli_usage_error("token", "unknown subcommand '%.100s'", sub);
	takes_id = i >= 2;
	fields = !strcmp(sub, "create") || !strcmp(sub, "update");

	a.body = json_object();
	rc = parse_args(argc - 1, argv + 1, &a, fields, &pos);
	if (rc != 0) {
		ret = rc == HELP_SHOWN ? EXIT_OK : rc;
		goto out_args;
	}
	pos += 1; /* back to indices of argv */
	if (takes_id) {
		if (pos >= argc || parse_id(argv[pos], &id) < 0) {
			ret = cli_usage_error("token", "'%s' needs a token ID (a "
						       "positive integer)", sub);
			goto out_args;
		}
		pos++;
	}
	if (pos < argc) {
		ret = cli_usage_error("token", "unexpected argument '%.100s'",
				      argv[pos]);
		goto out_args;
	}
	if (!strcmp(sub, "create") && !json_object_get(a.body, "name")) {
		ret = cli_usage_error("token", "create needs --name");
		goto out_args;
	}

	if (app_open(&app, a.dir, 0, &e) < 0) {
		cli_print_error(&e);
		goto out_args;
	}
	if (a.count) {
		ret = create_many(&app, &a);
		app_close(&app);
		goto out_args;
	}
	rc = run(&app, sub, id, &a, &out, &e);
	if (rc < 0) {
		if (a.json) {
			json_t *env = api_error_envelope(&e, false);

			print_json(env);
			json_decref(env);
		} else {
			cli_print_error(&e);
		}
	} else if (a.json) {
		print_json(out);
		ret = EXIT_OK;
	} else {
		if (!strcmp(sub, "list"))
			print_list(out);
		else if (!strcmp(sub, "regenerate"))
			printf("regenerated token %lld\naccess key:  %s\n",
			       (long long)id,
			       json_string_value(json_object_get(out, "accessKey")));
		else if (!strcmp(sub, "delete"))
			printf(json_is_null(out) ? "no token %lld\n"
						 : "deleted token %lld\n",
			       (long long)id);
		else
			print_token(out);
		if (!strcmp(sub, "create") || !strcmp(sub, "regenerate"))
			print_key_notice(&app, out);
		ret = EXIT_OK;
	}
	token_json_wipe(out);
	json_decref(out);
	app_close(&app);
out_args:
	json_decref(a.perms);
	json_decref(a.body);
	err_release(&e);
	return ret;
}
