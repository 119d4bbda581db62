/* SPDX-License-Identifier: MIT */
/*
 * cmd_admin.c: 'tollgate admin ...' manages administrators through the
 * same service and store the server uses (auth/admin_users.h), so the
 * rules and messages are the Admin API's. A running server sees a change
 * within its store's watch period (storage/store.h).
 */
#include "core/compat.h"
#include "app/app.h"
#include "auth/admin_users.h"
#include "cli/cli.h"
#include "core/mem.h"

#include <getopt.h>

static const char help[] =
    "usage: tollgate admin create-user --email EMAIL --password PASSWORD\n"
    "                --firstname NAME [--lastname NAME]\n"
    "                [--role super-admin|editor|author|CODE] [--dir DIR]\n"
    "       tollgate admin reset-password --email EMAIL --password PASSWORD\n"
    "                [--dir DIR]\n"
    "\n"
    "Manage the project's administrators (run in the project folder, or\n"
    "give --dir DIR).\n"
    "\n"
    "create-user     create an active administrator, validated as the Admin\n"
    "                API validates POST /admin/users (the email is stored\n"
    "                lower-cased)\n"
    "reset-password  set the password of the administrator with EMAIL; a\n"
    "                user created without a password (POST /admin/users)\n"
    "                becomes active\n"
    "\n"
    "  --email EMAIL      the administrator's email address\n"
    "  --password PASS    8 or more characters, at most 72 bytes, with a\n"
    "                     lower-case letter, an upper-case letter and a\n"
    "                     digit; \"-\" reads it from the first line of the\n"
    "                     standard input (keeps it out of the process list)\n"
    "  --firstname NAME   required by create-user\n"
    "  --lastname NAME    optional\n"
    "  --role ROLE        super-admin (default), editor, author, or the code\n"
    "                     of another role\n"
    "  --dir DIR          the project folder (default: the current folder)\n"
    "\n"
    "Exit status: 0 success, 1 failure (validation, unknown user or role),\n"
    "2 usage.\n";

#define HELP_SHOWN 100 /* parse_args() printed --help */

struct admin_args {
	const char *dir;
	const char *email;
	const char *password;
	const char *firstname;
	const char *lastname;
	const char *role;
};

static int
parse_args(int argc, char **argv, bool create, struct admin_args *a)
{
	static const struct option opts[] = {
	    {"dir", required_argument, NULL, 'd'},
	    {"email", required_argument, NULL, 'e'},
	    {"password", required_argument, NULL, 'p'},
	    {"firstname", required_argument, NULL, 'f'},
	    {"lastname", required_argument, NULL, 'l'},
	    {"role", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:e:p:f:l:r:h", opts, NULL)) !=
	       -1) {
		if (!create && strchr("flr", c))
			return cli_usage_error(
			    "admin", "option not valid for '%s'", argv[0]);
		switch (c) {
		case 'd':
			a->dir = optarg;
			break;
		case 'e':
			a->email = optarg;
			break;
		case 'p':
			a->password = optarg;
			break;
		case 'f':
			a->firstname = optarg;
			break;
		case 'l':
			a->lastname = optarg;
			break;
		case 'r':
			a->role = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return HELP_SHOWN;
		default:
			return cli_usage_error("admin", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("admin", "unexpected argument '%.100s'",
				       argv[optind]);
	if (!a->email)
		return cli_usage_error("admin", "%s needs --email", argv[0]);
	if (!a->password)
		return cli_usage_error("admin", "%s needs --password", argv[0]);
	if (create && !a->firstname)
		return cli_usage_error("admin", "%s needs --firstname",
				       argv[0]);
	return 0;
}

/* "-": the first line of standard input, without its newline. */
static char *
read_password(const char *arg)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (strcmp(arg, "-") != 0)
		return xstrdup(arg);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* The code of the role named on the command line. */
static const char *
role_code(const char *role)
{
	if (!role || !strcmp(role, "super-admin"))
		return RBAC_SUPER_ADMIN_CODE;
	if (!strcmp(role, "editor"))
		return RBAC_EDITOR_CODE;
	if (!strcmp(role, "author"))
		return RBAC_AUTHOR_CODE;
	return role;
}

static int
create_user(struct app *app, const struct admin_args *a, const char *password,
	    struct err *e)
{
	struct admin_role role;
	struct admin_user u;
	json_t *body;
	int rc;

	rc =
	    store_admin_role_get_by_code(app->store, role_code(a->role), &role);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND,
			       "no role has the code '%.100s'",
			       role_code(a->role));
	if (rc < 0)
		return err_set(e, rc, "cannot read the roles");
	body = json_object();
	json_object_set_new(body, "email", json_string(a->email));
	json_object_set_new(body, "password", json_string(password));
	json_object_set_new(body, "firstname", json_string(a->firstname));
	if (a->lastname)
		json_object_set_new(body, "lastname", json_string(a->lastname));
	json_object_set_new(body, "roles",
			    json_pack("[I]", (json_int_t)role.id));
	rc = admin_users_create(app, body, NULL, &u, e);
	json_decref(body);
	if (rc == 0) {
		printf("created administrator %lld <%s> with the role %s\n",
		       (long long)u.id, u.email, role.name);
		admin_user_release(&u);
	}
	admin_role_release(&role);
	return rc;
}

int
cmd_admin(int argc, char **argv)
{
	struct admin_args a = {".", NULL, NULL, NULL, NULL, NULL};
	struct err e = ERR_INIT;
	struct app app;
	char *password = NULL;
	bool create;
	int rc, ret = EXIT_FAIL;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "create-user") && strcmp(argv[1], "reset-password"))
		return cli_usage_error("admin", "unknown subcommand '%.100s'",
				       argv[1]);
	create = !strcmp(argv[1], "create-user");
	rc = parse_args(argc - 1, argv + 1, create, &a);
	if (rc != 0)
		return rc == HELP_SHOWN ? EXIT_OK : rc;
	password = read_password(a.password);
	if (!password)
		return cli_usage_error("admin", "no password on the standard "
						"input");

	if (app_open(&app, a.dir, 0, &e) < 0) {
		cli_print_error(&e);
		goto out;
	}
	rc = admin_bootstrap(&app, &e);
	if (rc == 0) {
		if (create) {
			rc = create_user(&app, &a, password, &e);
		} else {
			rc = admin_users_reset_password(&app, a.email, password,
							&e);
			if (rc == 0)
				printf("password reset for %s\n", a.email);
		}
	}
	if (rc < 0)
		cli_print_error(&e);
	else
		ret = EXIT_OK;
	app_close(&app);
out:
	secret_free(password);
	err_release(&e);
	return ret;
}
