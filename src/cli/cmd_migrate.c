/* SPDX-License-Identifier: MIT */
/*
 * cmd_migrate.c: 'tollgate migrate status|up' shows and applies the
 * database's versioned schema migrations. 'serve' applies them too, at
 * start-up, under a lock, so this is for operators who migrate first.
 */
#include "core/compat.h"
#include "app/app.h"
#include "cli/cli.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "storage/store.h"

#include <getopt.h>
#include <jansson.h>

static const char help[] =
    "usage: tollgate migrate status [--dir DIR] [--json]\n"
    "       tollgate migrate up [--dir DIR] [--json]\n"
    "\n"
    "Show or apply the database's schema migrations (SQLite or PostgreSQL,\n"
    "as DATABASE_CLIENT says). 'tollgate serve' applies pending migrations\n"
    "at start-up under a lock, so several instances starting together\n"
    "migrate once; 'up' does the same without serving.\n"
    "\n"
    "status   every migration this build knows, applied or pending\n"
    "up       apply the pending ones, then print the status\n"
    "\n"
    "  --dir DIR   the project folder (default: the current folder)\n"
    "  --json      print {backend, current, latest, migrations: [...]}\n"
    "\n"
    "Exit status: 0 success (status: also with migrations pending),\n"
    "1 failure, 2 usage.\n";

static json_t *
status_json(struct app *app, const struct store_migration *m, size_t n)
{
	json_t *out = json_object(), *list = json_array();
	int64_t cur = 0, latest = 0;
	char when[32];
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "version", json_integer(m[i].version));
		json_object_set_new(o, "name", json_string(m[i].name));
		if (m[i].applied_at != TIME_NULL) {
			time_iso8601(m[i].applied_at, when);
			json_object_set_new(o, "appliedAt", json_string(when));
			if (m[i].version > cur)
				cur = m[i].version;
		} else {
			json_object_set_new(o, "appliedAt", json_null());
		}
		if (m[i].version > latest)
			latest = m[i].version;
		json_array_append_new(list, o);
	}
	json_object_set_new(out, "backend",
			    json_string(store_backend_name(app->store)));
	json_object_set_new(out, "current", json_integer(cur));
	json_object_set_new(out, "latest", json_integer(latest));
	json_object_set_new(out, "migrations", list);
	return out;
}

static void
print_status(json_t *st)
{
	json_t *m;
	size_t i;

	printf("%s database at schema version %lld of %lld\n",
	       json_string_value(json_object_get(st, "backend")),
	       (long long)json_integer_value(json_object_get(st, "current")),
	       (long long)json_integer_value(json_object_get(st, "latest")));
	printf("%-8s %-8s %-24s %s\n", "VERSION", "STATE", "APPLIED AT",
	       "NAME");
	json_array_foreach(json_object_get(st, "migrations"), i, m) {
		json_t *at = json_object_get(m, "appliedAt");

		printf("%-8lld %-8s %-24s %s\n",
		       (long long)json_integer_value(
			   json_object_get(m, "version")),
		       json_is_null(at) ? "pending" : "applied",
		       json_is_null(at) ? "-" : json_string_value(at),
		       json_string_value(json_object_get(m, "name")));
	}
}

int
cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct store_migration *m = NULL;
	const char *dir = ".", *sub;
	struct err e = ERR_INIT;
	struct app app;
	bool json = false;
	json_t *st;
	size_t n = 0;
	int c, rc, ret = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(help, stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("migrate", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("migrate", "status or up?");
	sub = argv[optind++];
	if (strcmp(sub, "status") && strcmp(sub, "up"))
		return cli_usage_error("migrate", "unknown subcommand '%.100s'",
				       sub);
	if (optind < argc)
		return cli_usage_error("migrate", "unexpected argument '%.100s'",
				       argv[optind]);

	if (app_open(&app, dir, APP_STORE_ONLY, &e) < 0) {
		cli_print_error(&e);
		err_release(&e);
		return EXIT_FAIL;
	}
	rc = 0;
	if (!strcmp(sub, "up"))
		rc = store_migrate(app.store, &e);
	if (rc == 0) {
		rc = store_migrations(app.store, &m, &n);
		if (rc < 0)
			err_set(&e, rc, "cannot read the migrations");
	}
	if (rc < 0) {
		cli_print_error(&e);
	} else {
		st = status_json(&app, m, n);
		if (json) {
			char *s = json_dumps(st, JSON_INDENT(2) |
						     JSON_PRESERVE_ORDER);

			if (s)
				puts(s);
			free(s);
		} else {
			print_status(st);
		}
		json_decref(st);
		ret = EXIT_OK;
	}
	free(m);
	app_close(&app);
	err_release(&e);
	return ret;
}
