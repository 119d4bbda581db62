/* SPDX-License-Identifier: MIT */
/*
 * cmd_transfer.c: 'tollgate export FILE' and 'tollgate import FILE' move a
 * whole project between databases (app/transfer.h), e.g. from SQLite to
 * PostgreSQL: export with the old .env, change DATABASE_CLIENT, import.
 */
#include "core/compat.h"
#include "app/app.h"
#include "app/transfer.h"
#include "cli/cli.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <unistd.h>

static const char export_help[] =
    "usage: tollgate export FILE [--force] [--dir DIR]\n"
    "\n"
    "Write the project's data (administrators, roles and permissions, API\n"
    "and admin tokens with their hashes and encrypted keys, public actions,\n"
    "settings, every entry) as one JSON document to FILE (\"-\": standard\n"
    "output). The file is created with mode 0600: it holds password and\n"
    "token hashes. Admin sessions are not exported.\n"
    "\n"
    "  --force     overwrite FILE if it exists\n"
    "  --dir DIR   the project folder (default: the current folder)\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage.\n";

static const char import_help[] =
    "usage: tollgate import FILE [--force] [--dir DIR]\n"
    "\n"
    "Load a document written by 'tollgate export' (\"-\": standard input)\n"
    "into the project's database, in one transaction: on any error nothing\n"
    "changes. The project must have the same content types. Stop the\n"
    "servers using the database first; administrators log in again after.\n"
    "\n"
    "  --force     replace the data the project already holds (without it,\n"
    "              a project with administrators, tokens or entries is\n"
    "              refused)\n"
    "  --dir DIR   the project folder (default: the current folder)\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage.\n";

struct transfer_args {
	const char *dir;
	const char *file;
	bool force;
};

static int
parse_args(const char *cmd, const char *help, int argc, char **argv,
	   struct transfer_args *a)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"force", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	a->dir = ".";
	a->file = NULL;
	a->force = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->dir = optarg;
			break;
		case 'f':
			a->force = true;
			break;
		case 'h':
			fputs(help, stdout);
			return 1;
		default:
			return cli_usage_error(cmd, "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "which FILE?");
	a->file = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%.100s'",
				       argv[optind]);
	return 0;
}

static int
write_doc(json_t *doc, const struct transfer_args *a, struct err *e)
{
	const size_t flags = JSON_INDENT(1) | JSON_PRESERVE_ORDER;
	FILE *f;
	int fd;

	if (!strcmp(a->file, "-")) {
		if (json_dumpf(doc, stdout, flags) < 0 || fputc('\n', stdout) < 0 ||
		    fflush(stdout))
			return err_set(e, ERR_IO, "cannot write the export");
		return 0;
	}
	fd = open(a->file,
		  O_WRONLY | O_CREAT | O_CLOEXEC | (a->force ? O_TRUNC : O_EXCL),
		  0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot create %.200s: %s%s", a->file,
			       strerror(errno),
			       errno == EEXIST ? " (--force overwrites it)"
					       : "");
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return err_set(e, ERR_IO, "cannot write %.200s", a->file);
	}
	if (json_dumpf(doc, f, flags) < 0 || fputc('\n', f) < 0 ||
	    fflush(f) || fsync(fileno(f))) {
		fclose(f);
		return err_set(e, ERR_IO, "cannot write %.200s: %s", a->file,
			       strerror(errno));
	}
	if (fclose(f))
		return err_set(e, ERR_IO, "cannot write %.200s", a->file);
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	struct transfer_args a;
	struct err e = ERR_INIT;
	struct app app;
	json_t *doc = NULL;
	int rc, ret = EXIT_FAIL;

	rc = parse_args("export", export_help, argc, argv, &a);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	if (app_open(&app, a.dir, 0, &e) < 0) {
		cli_print_error(&e);
		err_release(&e);
		return EXIT_FAIL;
	}
	rc = transfer_export(&app, &doc, &e);
	if (rc == 0)
		rc = write_doc(doc, &a, &e);
	if (rc < 0) {
		cli_print_error(&e);
	} else {
		if (strcmp(a.file, "-"))
			fprintf(stderr, "exported the %s database to %s\n",
				store_backend_name(app.store), a.file);
		ret = EXIT_OK;
	}
	json_decref(doc);
	app_close(&app);
	err_release(&e);
	return ret;
}

int
cmd_import(int argc, char **argv)
{
	struct transfer_args a;
	struct err e = ERR_INIT;
	json_error_t jerr;
	struct app app;
	long long rows = 0;
	json_t *doc;
	int rc, ret = EXIT_FAIL;

	rc = parse_args("import", import_help, argc, argv, &a);
	if (rc)
		return rc == 1 ? EXIT_OK : rc;
	if (!strcmp(a.file, "-"))
		doc = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	else
		doc = json_load_file(a.file, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		fprintf(stderr, "error: cannot read %.200s: %s (line %d)\n",
			a.file, jerr.text, jerr.line);
		return EXIT_FAIL;
	}
	if (app_open(&app, a.dir, 0, &e) < 0) {
		cli_print_error(&e);
		json_decref(doc);
		err_release(&e);
		return EXIT_FAIL;
	}
	rc = transfer_import(&app, doc, a.force, &rows, &e);
	if (rc < 0) {
		cli_print_error(&e);
	} else {
		fprintf(stderr, "imported %lld row(s) into the %s database\n",
			rows, store_backend_name(app.store));
		ret = EXIT_OK;
	}
	json_decref(doc);
	app_close(&app);
	err_release(&e);
	return ret;
}
