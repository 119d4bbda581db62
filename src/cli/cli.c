/* SPDX-License-Identifier: MIT */
/* cli.c: command dispatch, top-level help and shared error printing. */
#include "core/compat.h"
#include "cli/cli.h"

#include <stdarg.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "admin", cmd_admin, "create administrators, reset their passwords" },
	{ "export", cmd_export, "write the project's data as one JSON document" },
	{ "import", cmd_import, "load an export into the project's database" },
	{ "migrate", cmd_migrate, "show or apply the database's schema migrations" },
	{ "new", cmd_new, "create a project folder with fresh secrets" },
	{ "serve", cmd_serve, "serve a project's Content API" },
	{ "seed", cmd_seed, "create many entries from request bodies (benchmarks)" },
	{ "token", cmd_token, "list, create, show, update, regenerate, delete API tokens" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: tollgate [--version] [--help] COMMAND [ARGS]\n\n"
		   "A Strapi-compatible content API server guarded by API tokens.\n\n"
		   "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'tollgate COMMAND --help' for a command's options.\n"
		   "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

int
cli_main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *hargv[] = { argv[2], (char *)(uintptr_t)"--help", NULL };

			for (i = 0; i < ARRAY_SIZE(commands); i++)
				if (!strcmp(argv[2], commands[i].name))
					return commands[i].fn(2, hargv);
		}
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("tollgate %s\n", TOLLGATE_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tollgate: '%.100s' is not a command\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

void
cli_print_error(const struct err *e)
{
	json_t *errors = json_object_get(e->details, "errors"), *item;
	size_t i;

	fprintf(stderr, "error: %s\n", e->msg[0] ? e->msg : "failed");
	json_array_foreach(errors, i, item) {
		json_t *path = json_object_get(item, "path"), *seg;
		size_t j;

		if (json_array_size(errors) < 2 && !json_array_size(path))
			continue;
		fprintf(stderr, "  - ");
		json_array_foreach(path, j, seg)
			fprintf(stderr, "%s%s", j ? "." : "",
				json_string_value(seg));
		fprintf(stderr, "%s%s\n", json_array_size(path) ? ": " : "",
			json_string_value(json_object_get(item, "message")));
	}
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tollgate %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'tollgate %s --help' for usage.\n", cmd);
	return EXIT_USAGE;
}
