/* SPDX-License-Identifier: MIT */
/* cmd_new.c: 'tollgate new DIR' creates a project folder. */
#include "core/compat.h"
#include "app/app.h"
#include "cli/cli.h"
#include "core/mem.h"

#include <sys/stat.h>

static const char example_schema[] =
	"{\n"
	"  \"kind\": \"collectionType\",\n"
	"  \"collectionName\": \"articles\",\n"
	"  \"info\": {\n"
	"    \"singularName\": \"article\",\n"
	"    \"pluralName\": \"articles\",\n"
	"    \"displayName\": \"Article\",\n"
	"    \"description\": \"An example content type\"\n"
	"  },\n"
	"  \"options\": {\n"
	"    \"draftAndPublish\": false\n"
	"  },\n"
	"  \"pluginOptions\": {},\n"
	"  \"attributes\": {\n"
	"    \"title\": { \"type\": \"string\", \"required\": true },\n"
	"    \"body\": { \"type\": \"richtext\" },\n"
	"    \"views\": { \"type\": \"integer\", \"min\": 0 },\n"
	"    \"published\": { \"type\": \"boolean\", \"default\": false }\n"
	"  }\n"
	"}\n";

static const char help[] =
	"usage: tollgate new DIR [--no-example]\n\n"
	"Create a project in DIR (created when missing): a .env with freshly\n"
	"generated API_TOKEN_SALT, ENCRYPTION_KEY and ADMIN_JWT_SECRET, and an\n"
	"example content type in src/api/article. Refuses a folder that already\n"
	"holds a .env.\n\n"
	"  --no-example   do not write the example content type\n";

static int
mkdirs(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, mode) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wx");
	int rc = 0;

	if (!f)
		return -1;
	if (fputs(text, f) < 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int
cmd_new(int argc, char **argv)
{
	struct err e = ERR_INIT;
	const char *dir = NULL;
	bool example = true;
	char *env = NULL, *ctdir = NULL, *schema = NULL;
	struct stat st;
	int i, ret = EXIT_FAIL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--no-example")) {
			example = false;
		} else if (argv[i][0] == '-') {
			return cli_usage_error("new", "unknown option '%.100s'",
					       argv[i]);
		} else if (!dir) {
			dir = argv[i];
		} else {
			return cli_usage_error("new", "too many arguments");
		}
	}
	if (!dir)
		return cli_usage_error("new", "missing DIR");
	env = xasprintf("%s/.env", dir);
	if (stat(env, &st) == 0) {
		fprintf(stderr, "error: '%s' already holds a project (.env exists)\n",
			dir);
		goto out;
	}
	if (mkdirs(dir, 0755) < 0) {
		fprintf(stderr, "error: cannot create '%s': %s\n", dir,
			strerror(errno));
		goto out;
	}
	if (app_write_env(dir, &e) < 0) {
		cli_print_error(&e);
		goto out;
	}
	if (example) {
		ctdir = xasprintf("%s/src/api/article/content-types/article", dir);
		schema = xasprintf("%s/schema.json", ctdir);
		if (mkdirs(ctdir, 0755) < 0 || write_file(schema, example_schema) < 0) {
			fprintf(stderr, "error: cannot write '%s': %s\n", schema,
				strerror(errno));
			goto out;
		}
	}
	printf("Created a tollgate project in %s\n\n"
	       "Next:\n  cd %s\n  tollgate serve\n", dir, dir);
	ret = EXIT_OK;
out:
	err_release(&e);
	free(env);
	free(ctdir);
	free(schema);
	return ret;
}
