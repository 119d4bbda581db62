/* SPDX-License-Identifier: MIT */
/*
 * test_admin_users.c: the administrators service (auth/admin_users.h)
 * against a temporary SQLite store: built-in roles, registration, login,
 * users (validation in yup's words, the last-super-admin rule, the
 * permission ceiling), password resets, roles and role permissions.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

#include "auth/admin_users.h"
#include "core/mem.h"

struct fixture {
	char dir[64];
	struct app app;
};

static const char *
fixtures_dir(void)
{
	const char *d = getenv("TOLLGATE_FIXTURES");

	return d ? d : "tests/fixtures";
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct store_options so = {0};
	struct err e = ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/tg-adminusers-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	config_init(&f->app.cfg);
	schema_registry_init(&f->app.reg);
	assert_int_equal(schema_registry_load(&f->app.reg, fixtures_dir(), &e),
			 0);
	so.client = "sqlite";
	so.filename = "data.db";
	so.project_dir = f->dir;
	so.busy_timeout_ms = 2000;
	assert_int_equal(store_open(&so, &f->app.store, &e), 0);
	assert_int_equal(store_sync_schema(f->app.store, &f->app.reg, &e), 0);
	f->app.tokens =
	    token_service_new(f->app.store, &f->app.reg, "a salt", NULL);
	assert_int_equal(admin_bootstrap(&f->app, &e), 0);
	err_release(&e);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	token_service_free(f->app.tokens);
	token_service_thread_release();
	store_close(f->app.store);
	schema_registry_release(&f->app.reg);
	config_release(&f->app.cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static json_t *
J(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!v)
		fail_msg("bad test JSON %s: %s", text, jerr.text);
	return v;
}

/* The message of details.errors[i]. */
static const char *
detail_msg(const struct err *e, size_t i)
{
	json_t *errors = json_object_get(e->details, "errors");

	return json_string_value(
	    json_object_get(json_array_get(errors, i), "message"));
}

static size_t
n_details(const struct err *e)
{
	return json_array_size(json_object_get(e->details, "errors"));
}

/* The path of details.errors[i] joined with dots. */
static char *
detail_path(const struct err *e, size_t i)
{
	json_t *errors = json_object_get(e->details, "errors");
	json_t *path = json_object_get(json_array_get(errors, i), "path"), *s;
	char buf[256] = "";
	size_t j;

	json_array_foreach(path, j, s)
	{
		if (j)
			strcat(buf, ".");
		strcat(buf, json_string_value(s));
	}
	return xstrdup(buf);
}

static void
assert_detail(const struct err *e, size_t i, const char *path, const char *msg)
{
	char *p = detail_path(e, i);

	assert_string_equal(p, path);
	assert_string_equal(detail_msg(e, i), msg);
	free(p);
}

static int64_t
role_id(struct fixture *f, const char *code)
{
	struct admin_role r;
	int64_t id;

	assert_int_equal(store_admin_role_get_by_code(f->app.store, code, &r),
			 0);
	id = r.id;
	admin_role_release(&r);
	return id;
}

/* Register the first admin (admin@example.com / Admin12345); its id. */
static int64_t
first_admin(struct fixture *f)
{
	json_t *body = J("{\"email\":\"admin@example.com\",\"password\":"
			 "\"Admin12345\",\"firstname\":\"Ada\",\"lastname\":"
			 "\"Admin\"}");
	struct err e = ERR_INIT;
	struct admin_user u;
	int64_t id;

	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e), 0);
	id = u.id;
	admin_user_release(&u);
	json_decref(body);
	return id;
}

/* Create a user from a JSON body as the CLI would (no ceiling); its id. */
static int64_t __attribute__((format(printf, 2, 3)))
make_user(struct fixture *f, const char *fmt, ...)
{
	struct err e = ERR_INIT;
	struct admin_user u;
	char text[512];
	json_t *body;
	va_list ap;
	int64_t id;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	body = J(text);
	if (admin_users_create(&f->app, body, NULL, &u, &e) < 0)
		fail_msg("create %s: %s", text, e.msg);
	id = u.id;
	admin_user_release(&u);
	json_decref(body);
	err_release(&e);
	return id;
}

static int
login(struct fixture *f, const char *text, struct err *e)
{
	json_t *body = J(text);
	struct admin_user u;
	int rc = admin_users_login(&f->app, body, &u, e);

	if (rc == 0)
		admin_user_release(&u);
	json_decref(body);
	return rc;
}

/* ---- bootstrap -------------------------------------------------------- */

static void
test_bootstrap(void **state)
{
	struct fixture *f = *state;
	struct admin_permission *p;
	struct admin_role *roles, r;
	struct err e = ERR_INIT;
	size_t n, np, i;

	assert_int_equal(store_admin_role_list(f->app.store, &roles, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(roles[0].code, "strapi-super-admin");
	assert_string_equal(roles[0].name, "Super Admin");
	assert_string_equal(roles[0].description,
			    ADMIN_SUPER_ADMIN_DESCRIPTION);
	assert_string_equal(roles[1].code, "strapi-editor");
	assert_string_equal(roles[1].description,
			    "Editors can manage and publish contents including "
			    "those of other users.");
	assert_string_equal(roles[2].code, "strapi-author");
	assert_string_equal(
	    roles[2].description,
	    "Authors can manage the content they have created.");
	/* the seeded permissions are rbac's defaults */
	assert_int_equal(
	    store_admin_role_permissions(f->app.store, roles[1].id, &p, &np),
	    0);
	assert_true(np > 0);
	for (i = 0; i < np; i++)
		assert_true(rbac_valid(&f->app.reg, p[i].action, p[i].subject));
	admin_permissions_free(p, np);
	assert_int_equal(
	    store_admin_role_permissions(f->app.store, roles[0].id, &p, &np),
	    0);
	assert_int_equal(np, 0);
	admin_permissions_free(p, np);

	/* idempotent */
	assert_int_equal(admin_bootstrap(&f->app, &e), 0);
	for (i = 0; i < n; i++)
		admin_role_release(&roles[i]);
	free(roles);
	assert_int_equal(store_admin_role_list(f->app.store, &roles, &n), 0);
	assert_int_equal(n, 3);

	/* a deleted Author stays deleted; a missing Super Admin comes back */
	assert_int_equal(store_admin_role_delete(f->app.store, roles[2].id), 0);
	assert_int_equal(store_admin_role_delete(f->app.store, roles[0].id), 0);
	assert_int_equal(admin_bootstrap(&f->app, &e), 0);
	assert_int_equal(
	    store_admin_role_get_by_code(f->app.store, "strapi-author", &r),
	    ERR_NOT_FOUND);
	admin_role_release(&r);
	assert_int_equal(store_admin_role_get_by_code(f->app.store,
						      "strapi-super-admin", &r),
			 0);
	assert_string_equal(r.name, "Super Admin");
	admin_role_release(&r);
	for (i = 0; i < n; i++)
		admin_role_release(&roles[i]);
	free(roles);
	err_release(&e);
}

/* ---- registration and login ------------------------------------------- */

static void
test_register_validation(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	json_t *body;
	bool exist = true;

	/* the transcript's four errors, in yup's order */
	body = J("{\"email\":\"nope\",\"password\":\"x\",\"firstname\":\"A\"}");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "4 errors occurred");
	assert_detail(&e, 0, "email", "email must be a valid email");
	assert_detail(&e, 1, "password",
		      "password must be at least 8 characters");
	assert_detail(&e, 2, "password",
		      "password must contain at least one uppercase character");
	assert_detail(&e, 3, "password",
		      "password must contain at least one number");
	json_decref(body);
	err_release(&e);

	body = J("{}");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 3);
	assert_detail(&e, 0, "email", "email is a required field");
	assert_detail(&e, 1, "firstname", "firstname is a required field");
	assert_detail(&e, 2, "password", "password is a required field");
	json_decref(body);
	err_release(&e);

	/* no body is an empty one */
	assert_int_equal(admin_users_register_first(&f->app, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 3);
	err_release(&e);

	/* strict yup: no lower-casing here, null is a type error, noUnknown
	 * last */
	body = J("{\"email\":\"Admin@Example.com\",\"password\":\"Admin12345\","
		 "\"firstname\":null,\"lastname\":null,\"x\":1}");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 3);
	assert_detail(&e, 0, "email", "email must be a lowercase string");
	assert_detail(
	    &e, 1, "firstname",
	    "firstname must be a `string` type, but the final value "
	    "was: `null`.\n If \"null\" is intended as an empty value "
	    "be sure to mark the schema as `.nullable()`");
	assert_detail(&e, 2, "", "this field has unspecified keys: x");
	json_decref(body);
	err_release(&e);

	body = J("{\"email\":\"a@b.co\",\"password\":\"\",\"firstname\":\"\"}");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 7);
	assert_detail(&e, 0, "firstname",
		      "firstname must be at least 1 characters");
	assert_detail(&e, 1, "firstname", "firstname is a required field");
	assert_detail(&e, 6, "password", "password is a required field");
	json_decref(body);
	err_release(&e);

	body = J("[1]");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg,
			    "this must be a `object` type, but the final "
			    "value was: `[\n  \"1\"\n]`.");
	json_decref(body);
	err_release(&e);

	assert_int_equal(admin_users_exist(&f->app, &exist, &e), 0);
	assert_false(exist);
}

static void
test_register_first(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	json_t *body;
	bool exist = false;
	int64_t id = first_admin(f);

	assert_int_equal(store_admin_user_get(f->app.store, id, &u), 0);
	assert_string_equal(u.email, "admin@example.com");
	assert_string_equal(u.firstname, "Ada");
	assert_string_equal(u.lastname, "Admin");
	assert_null(u.username);
	assert_true(u.is_active);
	assert_false(u.blocked);
	assert_int_equal(u.n_roles, 1);
	assert_string_equal(u.roles[0].code, "strapi-super-admin");
	assert_true(admin_user_is_super_admin(&u));
	/* only a hash is stored */
	assert_non_null(u.password);
	assert_memory_equal(u.password, "$argon2id$", 10);
	admin_user_release(&u);
	assert_int_equal(admin_users_exist(&f->app, &exist, &e), 0);
	assert_true(exist);

	body = J("{\"email\":\"other@example.com\",\"password\":\"Admin12345\","
		 "\"firstname\":\"B\",\"lastname\":\"C\"}");
	assert_int_equal(admin_users_register_first(&f->app, body, &u, &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "You cannot register a new super admin");
	json_decref(body);
	err_release(&e);
}

static void
test_login(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	int64_t ed;

	first_admin(f);
	assert_int_equal(login(f,
			       "{\"email\":\"ADMIN@example.com\","
			       "\"password\":\"Admin12345\"}",
			       &e),
			 0);
	assert_int_equal(login(f,
			       "{\"email\":\"admin@example.com\","
			       "\"password\":\"Wrong12345\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);
	assert_int_equal(login(f,
			       "{\"email\":\"nobody@example.com\","
			       "\"password\":\"Admin12345\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);
	assert_int_equal(
	    login(f, "{\"email\":5,\"password\":\"Admin12345\"}", &e),
	    ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);
	assert_int_equal(login(f,
			       "{\"email\":\"admin@example.com\","
			       "\"password\":true}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);
	assert_int_equal(login(f, "{}", &e), ERR_APPLICATION);
	assert_string_equal(e.msg, "Missing credentials");
	err_release(&e);
	assert_int_equal(login(f,
			       "{\"email\":\"admin@example.com\","
			       "\"password\":\"\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Missing credentials");
	err_release(&e);
	assert_int_equal(login(f, "[]", &e), ERR_APPLICATION);
	assert_string_equal(e.msg, "Missing credentials");
	err_release(&e);

	/* no password yet: "Invalid credentials", like an unknown user */
	ed = make_user(f,
		       "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		       "\"roles\":[%lld]}",
		       (long long)role_id(f, RBAC_EDITOR_CODE));
	assert_int_equal(login(f,
			       "{\"email\":\"ed@example.com\","
			       "\"password\":\"Editor1234\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);

	/* inactive and blocked users are told so once the password matched */
	make_user(f,
		  "{\"email\":\"in@example.com\",\"firstname\":\"In\","
		  "\"roles\":[%lld],\"password\":\"Inactive12\","
		  "\"isActive\":false}",
		  (long long)role_id(f, RBAC_EDITOR_CODE));
	assert_int_equal(login(f,
			       "{\"email\":\"in@example.com\","
			       "\"password\":\"Inactive12\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "User not active");
	err_release(&e);
	assert_int_equal(login(f,
			       "{\"email\":\"in@example.com\","
			       "\"password\":\"Wrong12345\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Invalid credentials");
	err_release(&e);
	{
		json_t *b = J("{\"password\":\"Editor1234\",\"blocked\":true}");
		struct admin_user u;

		assert_int_equal(
		    admin_users_update(&f->app, ed, b, NULL, &u, &e), 0);
		assert_true(u.is_active);
		assert_true(u.blocked);
		admin_user_release(&u);
		json_decref(b);
	}
	assert_int_equal(login(f,
			       "{\"email\":\"ed@example.com\","
			       "\"password\":\"Editor1234\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "User not active");
	err_release(&e);
}

/* ---- users ------------------------------------------------------------- */

static void
test_create_user(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	json_t *body;
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	char text[256];

	snprintf(text, sizeof(text),
		 "{\"email\":\"Ed@Example.COM\",\"firstname\":\"Ed\","
		 "\"roles\":[\"%lld\"],\"preferedLanguage\":\"fr\"}",
		 (long long)editor);
	body = J(text);
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e), 0);
	/* the caller's body is not changed by the lower-casing */
	assert_string_equal(json_string_value(json_object_get(body, "email")),
			    "Ed@Example.COM");
	assert_string_equal(u.email, "ed@example.com");
	assert_false(u.is_active);
	assert_null(u.password);
	assert_string_equal(u.prefered_language, "fr");
	assert_int_equal(u.n_roles, 1);
	assert_int_equal(u.roles[0].id, editor);
	admin_user_release(&u);

	/* taken, whatever the case */
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Email already taken");
	assert_string_equal(
	    json_string_value(json_object_get(e.details, "code")),
	    "EMAIL_ALREADY_TAKEN");
	json_decref(body);
	err_release(&e);

	body = J("{\"firstname\":\" x\",\"lastname\":null,\"roles\":[],"
		 "\"isActive\":true,\"password\":5}");
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 6);
	assert_detail(&e, 0, "email", "email is a required field");
	assert_detail(&e, 1, "firstname", "firstname must be a trimmed string");
	assert_detail(
	    &e, 2, "lastname",
	    "lastname must be a `string` type, but the final value "
	    "was: `null`.\n If \"null\" is intended as an empty value "
	    "be sure to mark the schema as `.nullable()`");
	assert_detail(&e, 3, "roles", "roles field must have at least 1 items");
	assert_detail(&e, 4, "password",
		      "password must be a `string` type, but the final value "
		      "was: `5`.");
	assert_detail(&e, 5, "isActive",
		      "isActive cannot be true without a password (tollgate "
		      "sends no invitations)");
	json_decref(body);
	err_release(&e);

	body = J("{\"email\":\"a@b.co\",\"firstname\":\"A\","
		 "\"roles\":[true,{\"id\":1}],\"username\":\"u\"}");
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 3);
	assert_detail(&e, 0, "roles.0",
		      "roles[0] must be a `strapiID` type, but the final value "
		      "was: `true`.");
	assert_detail(&e, 1, "roles.1",
		      "roles[1] must be a `strapiID` type, but the final value "
		      "was: `{\n  \"id\": \"1\"\n}`.");
	assert_detail(&e, 2, "", "this field has unspecified keys: username");
	json_decref(body);
	err_release(&e);

	body = J("{\"email\":\"a@b.co\",\"firstname\":\"A\"}");
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "roles is a required field");
	json_decref(body);
	err_release(&e);

	body =
	    J("{\"email\":\"a@b.co\",\"firstname\":\"A\",\"roles\":[999,1]}");
	assert_int_equal(admin_users_create(&f->app, body, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "1 relation(s) of type admin::role "
				   "associated with this entity do not exist");
	json_decref(body);
	err_release(&e);

	/* with a password: active, and it logs in */
	make_user(f,
		  "{\"email\":\"pw@example.com\",\"firstname\":\"P\","
		  "\"roles\":[%lld],\"password\":\"Passw0rdX\"}",
		  (long long)editor);
	assert_int_equal(login(f,
			       "{\"email\":\"pw@example.com\","
			       "\"password\":\"Passw0rdX\"}",
			       &e),
			 0);
}

static void
test_email_syntax(void **state)
{
	static const struct {
		const char *email;
		bool valid;
	} cases[] = {
	    {"admin@example.com", true},
	    {"a.b+c@sub.example.co", true},
	    {"x@b.c", true},
	    {"o'hara!#$%&*/=?^_`{|}~-@example.org", true},
	    {"\"john doe\"@example.com", true},
	    {"caf\xc3\xa9@exampl\xc3\xa9.fr", true},
	    {"a@b_c.de", true},
	    {"nope", false},
	    {"@example.com", false},
	    {"a@", false},
	    {"a@localhost", false},
	    {"a@b.c1", false},
	    {"a@-b.com", false},
	    {".a@b.com", false},
	    {"a.@b.com", false},
	    {"a..b@c.com", false},
	    {"a b@c.com", false},
	    {"a@b..com", false},
	    {"a@b.c-d.e_f~g.com", true}, /* yup allows - . _ ~ inside labels */
	    {"a@b.com.", false},
	    {"\xf0\x9f\x98\x80@b.com", false},
	};
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	char text[256];
	json_t *body;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* no roles: the email's verdict is the first error */
		body = json_pack("{s:s,s:s}", "email", cases[i].email,
				 "firstname", "A");
		assert_int_equal(
		    admin_users_create(&f->app, body, NULL, &u, &e),
		    ERR_VALIDATION);
		snprintf(text, sizeof(text), "%s", detail_msg(&e, 0));
		if (cases[i].valid &&
		    !strcmp(text, "email must be a valid email"))
			fail_msg("'%s' should be valid", cases[i].email);
		if (!cases[i].valid &&
		    strcmp(text, "email must be a valid email"))
			fail_msg("'%s' should be invalid", cases[i].email);
		json_decref(body);
		err_release(&e);
	}
}

static void
test_last_super_admin(void **state)
{
	struct fixture *f = *state;
	int64_t super = role_id(f, RBAC_SUPER_ADMIN_CODE);
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	struct err e = ERR_INIT;
	struct admin_user u;
	int64_t admin = first_admin(f), other;
	char text[128];
	json_t *body;
	size_t i;
	const char *refused[3];

	snprintf(text, sizeof(text), "{\"roles\":[%lld]}", (long long)editor);
	refused[0] = text;
	refused[1] = "{\"isActive\":false}";
	refused[2] = "{\"blocked\":true}";
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		body = J(refused[i]);
		assert_int_equal(
		    admin_users_update(&f->app, admin, body, NULL, &u, &e),
		    ERR_VALIDATION);
		assert_string_equal(e.msg, "You must have at least one user "
					   "with super admin role.");
		assert_null(e.details);
		json_decref(body);
		err_release(&e);
	}
	assert_int_equal(admin_users_delete(&f->app, admin, &u, &e),
			 ERR_VALIDATION);
	err_release(&e);

	/* an inactive second super admin does not count */
	other = make_user(f,
			  "{\"email\":\"s2@example.com\",\"firstname\":\"S\","
			  "\"roles\":[%lld]}",
			  (long long)super);
	body = J("{\"isActive\":false}");
	assert_int_equal(admin_users_update(&f->app, admin, body, NULL, &u, &e),
			 ERR_VALIDATION);
	err_release(&e);
	/* activated (a first password activates), it does */
	json_decref(body);
	body = J("{\"password\":\"Second1234\"}");
	assert_int_equal(admin_users_update(&f->app, other, body, NULL, &u, &e),
			 0);
	assert_true(u.is_active);
	admin_user_release(&u);
	json_decref(body);
	snprintf(text, sizeof(text), "{\"roles\":[%lld]}", (long long)editor);
	body = J(text);
	assert_int_equal(admin_users_update(&f->app, admin, body, NULL, &u, &e),
			 0);
	assert_false(admin_user_is_super_admin(&u));
	admin_user_release(&u);
	json_decref(body);
	/* now 'other' is the last one */
	assert_int_equal(admin_users_delete(&f->app, other, &u, &e),
			 ERR_VALIDATION);
	err_release(&e);
	/* changing a non-super-admin is never refused by the rule */
	body = J("{\"isActive\":false}");
	assert_int_equal(admin_users_update(&f->app, admin, body, NULL, &u, &e),
			 0);
	admin_user_release(&u);
	json_decref(body);
	assert_int_equal(admin_users_delete(&f->app, admin, &u, &e), 0);
	assert_int_equal(u.id, admin);
	admin_user_release(&u);
	assert_int_equal(admin_users_delete(&f->app, admin, &u, &e),
			 ERR_NOT_FOUND);
	assert_string_equal(e.msg, "User not found");
	err_release(&e);
}

static void
test_update_user(void **state)
{
	struct fixture *f = *state;
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	int64_t author = role_id(f, RBAC_AUTHOR_CODE);
	struct err e = ERR_INIT;
	struct admin_user u;
	int64_t ed, au;
	char text[256];
	json_t *body;

	first_admin(f);
	ed = make_user(f,
		       "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		       "\"roles\":[%lld]}",
		       (long long)editor);
	au = make_user(f,
		       "{\"email\":\"au@example.com\",\"firstname\":\"Au\","
		       "\"roles\":[%lld]}",
		       (long long)author);

	snprintf(
	    text, sizeof(text),
	    "{\"email\":\"ED2@example.com\",\"firstname\":\"Eddy\","
	    "\"lastname\":null,\"username\":\"eddy\",\"roles\":[%lld,%lld],"
	    "\"preferedLanguage\":\"de\"}",
	    (long long)editor, (long long)author);
	body = J(text);
	assert_int_equal(admin_users_update(&f->app, ed, body, NULL, &u, &e),
			 0);
	assert_string_equal(u.email, "ed2@example.com");
	assert_string_equal(u.firstname, "Eddy");
	assert_null(u.lastname);
	assert_string_equal(u.username, "eddy");
	assert_string_equal(u.prefered_language, "de");
	assert_int_equal(u.n_roles, 2);
	/* no password given: still pending */
	assert_false(u.is_active);
	admin_user_release(&u);
	json_decref(body);

	body = J("{\"email\":\"au@example.com\"}");
	assert_int_equal(admin_users_update(&f->app, ed, body, NULL, &u, &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg,
			    "A user with this email address already exists");
	err_release(&e);
	/* its own email is fine */
	assert_int_equal(admin_users_update(&f->app, au, body, NULL, &u, &e),
			 0);
	admin_user_release(&u);
	json_decref(body);

	body = J("{\"firstname\":\"\",\"username\":\"\",\"roles\":null,"
		 "\"isActive\":null,\"kind\":1}");
	assert_int_equal(admin_users_update(&f->app, ed, body, NULL, &u, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 5);
	assert_detail(&e, 0, "firstname",
		      "firstname must be at least 1 characters");
	assert_detail(&e, 1, "username",
		      "username must be at least 1 characters");
	assert_detail(&e, 4, "", "this field has unspecified keys: kind");
	json_decref(body);
	err_release(&e);

	body = J("{\"firstname\":\"Ghost\"}");
	assert_int_equal(admin_users_update(&f->app, 9999, body, NULL, &u, &e),
			 ERR_NOT_FOUND);
	assert_string_equal(e.msg, "User does not exist");
	json_decref(body);
	err_release(&e);
}

static void
test_ceiling(void **state)
{
	struct fixture *f = *state;
	int64_t super = role_id(f, RBAC_SUPER_ADMIN_CODE);
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	struct admin_permission *p;
	struct err e = ERR_INIT;
	struct rbac_set ceiling;
	struct admin_user u;
	char text[256];
	json_t *body;
	size_t np, i;
	int64_t ed;

	first_admin(f);
	ed = make_user(f,
		       "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		       "\"roles\":[%lld]}",
		       (long long)editor);
	rbac_set_init(&ceiling);
	rbac_set_add(&ceiling, "admin::users.update", NULL);

	/* only a super admin hands out the Super Admin role */
	snprintf(text, sizeof(text), "{\"roles\":[%lld]}", (long long)super);
	body = J(text);
	assert_int_equal(
	    admin_users_update(&f->app, ed, body, &ceiling, &u, &e),
	    ERR_POLICY);
	assert_string_equal(
	    e.msg, "Cannot assign roles that exceed your own permissions");
	json_decref(body);
	err_release(&e);

	/* a role whose permissions the caller lacks */
	snprintf(text, sizeof(text),
		 "{\"email\":\"n@example.com\",\"firstname\":\"N\",\"roles\":[%"
		 "lld]}",
		 (long long)editor);
	body = J(text);
	assert_int_equal(admin_users_create(&f->app, body, &ceiling, &u, &e),
			 ERR_POLICY);
	err_release(&e);
	/* holding them all, it is allowed */
	assert_int_equal(
	    store_admin_role_permissions(f->app.store, editor, &p, &np), 0);
	for (i = 0; i < np; i++)
		rbac_set_add(&ceiling, p[i].action, p[i].subject);
	admin_permissions_free(p, np);
	assert_int_equal(admin_users_create(&f->app, body, &ceiling, &u, &e),
			 0);
	admin_user_release(&u);
	json_decref(body);

	/* roles the user already holds are not checked again */
	rbac_set_release(&ceiling);
	rbac_set_init(&ceiling);
	snprintf(text, sizeof(text), "{\"roles\":[%lld],\"firstname\":\"E\"}",
		 (long long)editor);
	body = J(text);
	assert_int_equal(
	    admin_users_update(&f->app, ed, body, &ceiling, &u, &e), 0);
	admin_user_release(&u);
	json_decref(body);

	/* a super admin's ceiling allows everything */
	ceiling.super_admin = true;
	snprintf(text, sizeof(text), "{\"roles\":[%lld]}", (long long)super);
	body = J(text);
	assert_int_equal(
	    admin_users_update(&f->app, ed, body, &ceiling, &u, &e), 0);
	assert_true(admin_user_is_super_admin(&u));
	admin_user_release(&u);
	json_decref(body);
	rbac_set_release(&ceiling);
}

static void
test_profile(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	int64_t id = first_admin(f);
	json_t *body;

	body = J("{\"password\":\"Newpass123\"}");
	assert_int_equal(admin_users_update_profile(&f->app, id, body, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "currentPassword is a required field");
	json_decref(body);
	err_release(&e);

	body = J(
	    "{\"password\":\"Newpass123\",\"currentPassword\":\"Wrong1234\"}");
	assert_int_equal(admin_users_update_profile(&f->app, id, body, &u, &e),
			 ERR_BAD_REQUEST);
	assert_string_equal(e.msg, "ValidationError");
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(e.details, "currentPassword"), 0)),
	    "Invalid credentials");
	json_decref(body);
	err_release(&e);

	body = J("{\"isActive\":false,\"roles\":[]}");
	assert_int_equal(admin_users_update_profile(&f->app, id, body, &u, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "this field has unspecified keys: isActive, "
				   "roles");
	json_decref(body);
	err_release(&e);

	body = J("{\"firstname\":\"Ada2\",\"username\":\"ada\",\"password\":"
		 "\"Newpass123\",\"currentPassword\":\"Admin12345\"}");
	assert_int_equal(admin_users_update_profile(&f->app, id, body, &u, &e),
			 0);
	assert_string_equal(u.firstname, "Ada2");
	assert_string_equal(u.username, "ada");
	assert_int_equal(u.n_roles, 1);
	admin_user_release(&u);
	json_decref(body);
	assert_int_equal(login(f,
			       "{\"email\":\"admin@example.com\","
			       "\"password\":\"Newpass123\"}",
			       &e),
			 0);
	assert_int_equal(login(f,
			       "{\"email\":\"admin@example.com\","
			       "\"password\":\"Admin12345\"}",
			       &e),
			 ERR_APPLICATION);
	err_release(&e);
}

static void
test_delete_many(void **state)
{
	struct fixture *f = *state;
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	struct admin_user *users, u;
	struct err e = ERR_INIT;
	int64_t admin = first_admin(f), a, b;
	char text[128];
	json_t *body;
	size_t n, i;

	a = make_user(f,
		      "{\"email\":\"a@example.com\",\"firstname\":\"A\","
		      "\"roles\":[%lld]}",
		      (long long)editor);
	b = make_user(f,
		      "{\"email\":\"b@example.com\",\"firstname\":\"B\","
		      "\"roles\":[%lld]}",
		      (long long)editor);

	snprintf(text, sizeof(text), "{\"ids\":[%lld,%lld]}", (long long)a,
		 (long long)admin);
	body = J(text);
	assert_int_equal(
	    admin_users_delete_many(&f->app, body, admin, &users, &n, &e),
	    ERR_APPLICATION);
	assert_string_equal(e.msg, "You cannot delete your own user");
	err_release(&e);
	/* someone else deleting the only super admin */
	assert_int_equal(
	    admin_users_delete_many(&f->app, body, b, &users, &n, &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "You must have at least one user with super "
				   "admin role.");
	err_release(&e);
	json_decref(body);

	body = J("{\"ids\":[]}");
	assert_int_equal(
	    admin_users_delete_many(&f->app, body, admin, &users, &n, &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "ids field must have at least 1 items");
	json_decref(body);
	err_release(&e);

	snprintf(text, sizeof(text), "{\"ids\":[%lld,\"%lld\",4242]}",
		 (long long)a, (long long)b);
	body = J(text);
	assert_int_equal(
	    admin_users_delete_many(&f->app, body, admin, &users, &n, &e), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		admin_user_release(&users[i]);
	free(users);
	json_decref(body);
	assert_int_equal(store_admin_user_get(f->app.store, a, &u),
			 ERR_NOT_FOUND);
	assert_int_equal(store_admin_user_get(f->app.store, admin, &u), 0);
	admin_user_release(&u);
}

static void
test_reset_password(void **state)
{
	struct fixture *f = *state;
	struct err e = ERR_INIT;
	struct admin_user u;
	int64_t id;

	first_admin(f);
	id = make_user(f,
		       "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		       "\"roles\":[%lld]}",
		       (long long)role_id(f, RBAC_EDITOR_CODE));
	assert_int_equal(
	    admin_users_reset_password(&f->app, "ed@example.com", "weak", &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "3 errors occurred");
	err_release(&e);
	assert_int_equal(
	    admin_users_reset_password(&f->app, "ed@example.com", "", &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "password is a required field");
	err_release(&e);
	assert_int_equal(admin_users_reset_password(&f->app, "no@example.com",
						    "Good12345", &e),
			 ERR_NOT_FOUND);
	err_release(&e);
	/* a pending user becomes active */
	assert_int_equal(admin_users_reset_password(&f->app, "ED@example.com",
						    "Good12345", &e),
			 0);
	assert_int_equal(store_admin_user_get(f->app.store, id, &u), 0);
	assert_true(u.is_active);
	admin_user_release(&u);
	assert_int_equal(login(f,
			       "{\"email\":\"ed@example.com\","
			       "\"password\":\"Good12345\"}",
			       &e),
			 0);
	/* a deactivated one stays deactivated */
	{
		json_t *b = J("{\"isActive\":false}");

		assert_int_equal(
		    admin_users_update(&f->app, id, b, NULL, &u, &e), 0);
		admin_user_release(&u);
		json_decref(b);
	}
	assert_int_equal(admin_users_reset_password(&f->app, "ed@example.com",
						    "Other12345", &e),
			 0);
	assert_int_equal(login(f,
			       "{\"email\":\"ed@example.com\","
			       "\"password\":\"Other12345\"}",
			       &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "User not active");
	err_release(&e);
}

static void
test_permissions(void **state)
{
	struct fixture *f = *state;
	struct admin_permission *p, *rows;
	struct err e = ERR_INIT;
	struct admin_user u;
	size_t n, nr, i, j, expect = 0;
	json_t *props;

	assert_int_equal(store_admin_user_get(f->app.store, first_admin(f), &u),
			 0);
	assert_int_equal(admin_users_permissions(&f->app, &u, &p, &n, &e), 0);
	for (i = 0; i < rbac_n_actions; i++) {
		if (!rbac_actions[i].needs_subject) {
			expect++;
			continue;
		}
		for (j = 0; j < f->app.reg.n_types; j++)
			expect += rbac_valid(&f->app.reg, rbac_actions[i].uid,
					     f->app.reg.types[j].uid);
	}
	assert_int_equal(n, expect);
	for (i = 0; i < n; i++) {
		assert_int_equal(p[i].id, (int64_t)i + 1);
		assert_true(rbac_valid(&f->app.reg, p[i].action, p[i].subject));
		props = json_loads(p[i].properties, 0, NULL);
		assert_non_null(props);
		if (!strcmp(p[i].action,
			    "plugin::content-manager.explorer.read") &&
		    !strcmp(p[i].subject, "api::article.article"))
			assert_int_equal(
			    json_array_size(json_object_get(props, "fields")),
			    4);
		if (!strcmp(p[i].action, "admin::users.read"))
			assert_int_equal(json_object_size(props), 0);
		json_decref(props);
	}
	admin_permissions_free(p, n);
	admin_user_release(&u);

	/* anyone else: their roles' rows */
	make_user(f,
		  "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		  "\"roles\":[%lld]}",
		  (long long)role_id(f, RBAC_EDITOR_CODE));
	assert_int_equal(
	    store_admin_user_get_by_email(f->app.store, "ed@example.com", &u),
	    0);
	assert_int_equal(admin_users_permissions(&f->app, &u, &p, &n, &e), 0);
	assert_int_equal(
	    store_admin_role_permissions(
		f->app.store, role_id(f, RBAC_EDITOR_CODE), &rows, &nr),
	    0);
	assert_int_equal(n, nr);
	for (i = 0; i < n; i++)
		assert_int_equal(p[i].id, rows[i].id);
	admin_permissions_free(rows, nr);
	admin_permissions_free(p, n);
	admin_user_release(&u);
}

/* ---- roles -------------------------------------------------------------- */

static void
test_roles(void **state)
{
	struct fixture *f = *state;
	int64_t super = role_id(f, RBAC_SUPER_ADMIN_CODE);
	int64_t editor = role_id(f, RBAC_EDITOR_CODE);
	struct err e = ERR_INIT;
	struct admin_role r, *roles;
	bool deleted;
	json_t *body;
	char text[64];
	size_t n, i;
	int64_t id;

	body = J("{\"name\":\"Content Reviewer\",\"description\":\"reviews\"}");
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e), 0);
	assert_string_equal(r.name, "Content Reviewer");
	assert_memory_equal(r.code, "content-reviewer-", 17);
	assert_true(strlen(r.code) > 17);
	assert_string_equal(r.description, "reviews");
	id = r.id;
	admin_role_release(&r);
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "The name must be unique and a role with "
				   "name `Content Reviewer` already exists.");
	json_decref(body);
	err_release(&e);

	body = J("{\"name\":\"fooBar ABCDef 12x\"}");
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e), 0);
	assert_memory_equal(r.code, "foo-bar-abc-def-12-x-", 21);
	assert_null(r.description);
	admin_role_release(&r);
	json_decref(body);

	body = J("{\"name\":\"\",\"code\":\"x\"}");
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e),
			 ERR_VALIDATION);
	assert_int_equal(n_details(&e), 3);
	assert_detail(&e, 0, "name", "name must be at least 1 characters");
	assert_detail(&e, 1, "name", "name is a required field");
	assert_detail(&e, 2, "", "this field has unspecified keys: code");
	json_decref(body);
	err_release(&e);

	/* update */
	body = J("{\"name\":\"Reviewer\",\"description\":null}");
	assert_int_equal(admin_roles_update(&f->app, id, body, &r, &e), 0);
	assert_string_equal(r.name, "Reviewer");
	assert_null(r.description);
	assert_memory_equal(r.code, "content-reviewer-", 17);
	admin_role_release(&r);
	assert_int_equal(admin_roles_update(&f->app, super, body, &r, &e),
			 ERR_APPLICATION);
	assert_string_equal(e.msg, "Super admin can't be edited.");
	err_release(&e);
	assert_int_equal(admin_roles_update(&f->app, 999, body, &r, &e),
			 ERR_NOT_FOUND);
	assert_string_equal(e.msg, "role.notFound");
	err_release(&e);
	json_decref(body);
	body = J("{\"name\":\"Editor\"}");
	assert_int_equal(admin_roles_update(&f->app, id, body, &r, &e),
			 ERR_APPLICATION);
	json_decref(body);
	err_release(&e);
	/* its own name is no clash; description is kept when not given */
	body = J("{\"name\":\"Reviewer\"}");
	assert_int_equal(admin_roles_update(&f->app, id, body, &r, &e), 0);
	admin_role_release(&r);
	json_decref(body);

	/* delete */
	first_admin(f);
	make_user(f,
		  "{\"email\":\"ed@example.com\",\"firstname\":\"Ed\","
		  "\"roles\":[%lld]}",
		  (long long)editor);
	snprintf(text, sizeof(text), "%lld", (long long)editor);
	assert_int_equal(admin_roles_delete(&f->app, text, &r, &deleted, &e),
			 ERR_VALIDATION);
	assert_detail(&e, 0, "id",
		      "Some roles are still assigned to some users");
	err_release(&e);
	snprintf(text, sizeof(text), "%lld", (long long)super);
	assert_int_equal(admin_roles_delete(&f->app, text, &r, &deleted, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "You cannot delete the super admin role");
	err_release(&e);
	assert_int_equal(admin_roles_delete(&f->app, "4242", &r, &deleted, &e),
			 0);
	assert_false(deleted);
	assert_int_equal(admin_roles_delete(&f->app, "abc", &r, &deleted, &e),
			 0);
	assert_false(deleted);
	snprintf(text, sizeof(text), "%lld", (long long)id);
	assert_int_equal(admin_roles_delete(&f->app, text, &r, &deleted, &e),
			 0);
	assert_true(deleted);
	assert_string_equal(r.name, "Reviewer");
	admin_role_release(&r);

	/* batch */
	snprintf(text, sizeof(text), "{\"ids\":[%lld,%lld]}",
		 (long long)role_id(f, RBAC_AUTHOR_CODE), (long long)super);
	body = J(text);
	assert_int_equal(admin_roles_delete_many(&f->app, body, &roles, &n, &e),
			 ERR_VALIDATION);
	assert_detail(&e, 0, "ids", "You cannot delete the super admin role");
	json_decref(body);
	err_release(&e);
	snprintf(text, sizeof(text), "{\"ids\":[%lld,77]}",
		 (long long)role_id(f, RBAC_AUTHOR_CODE));
	body = J(text);
	assert_int_equal(admin_roles_delete_many(&f->app, body, &roles, &n, &e),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(roles[0].code, "strapi-author");
	for (i = 0; i < n; i++)
		admin_role_release(&roles[i]);
	free(roles);
	json_decref(body);
}

static void
test_role_permissions(void **state)
{
	struct fixture *f = *state;
	int64_t super = role_id(f, RBAC_SUPER_ADMIN_CODE);
	struct admin_permission *p;
	struct err e = ERR_INIT;
	struct rbac_set ceiling;
	struct admin_role r;
	json_t *body;
	size_t n;
	int64_t id;

	body = J("{\"name\":\"Reviewer\"}");
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e), 0);
	id = r.id;
	admin_role_release(&r);
	json_decref(body);

	body = J("{\"permissions\":[{\"action\":\"admin::users.read\"},"
		 "{\"action\":\"plugin::content-manager.explorer.read\","
		 "\"subject\":\"api::article.article\","
		 "\"properties\":{\"fields\":[\"title\"]},\"conditions\":[],"
		 "\"actionParameters\":{}}]}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, id, body, NULL, &p, &n, &e),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].action, "admin::users.read");
	assert_null(p[0].subject);
	assert_string_equal(p[0].properties, "{}");
	assert_string_equal(p[1].subject, "api::article.article");
	assert_string_equal(p[1].properties, "{\"fields\":[\"title\"]}");
	assert_string_equal(p[1].conditions, "[]");
	admin_permissions_free(p, n);

	/* the same body on the super admin role */
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, super, body, NULL, &p, &n, &e),
	    ERR_APPLICATION);
	assert_string_equal(e.msg, "Super admin permissions can't be edited.");
	err_release(&e);
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, 999, body, NULL, &p, &n, &e),
	    ERR_NOT_FOUND);
	err_release(&e);

	/* beyond the ceiling */
	rbac_set_init(&ceiling);
	rbac_set_add(&ceiling, "admin::users.read", NULL);
	assert_int_equal(admin_roles_set_permissions(&f->app, id, body,
						     &ceiling, &p, &n, &e),
			 ERR_POLICY);
	assert_string_equal(e.msg, "Cannot grant permissions that exceed your "
				   "own: plugin::content-manager.explorer.read "
				   "on api::article.article");
	err_release(&e);
	rbac_set_release(&ceiling);
	json_decref(body);

	body = J(
	    "{\"permissions\":[{\"action\":\"nope\"},"
	    "{\"subject\":null},"
	    "{\"action\":\"admin::users.read\",\"subject\":\"api::article."
	    "article\"},"
	    "{\"action\":\"plugin::content-manager.explorer.publish\","
	    "\"subject\":\"api::article.article\"},"
	    "{\"action\":\"admin::roles.read\",\"properties\":{\"fields\":[]}},"
	    "{\"action\":\"plugin::content-manager.explorer.read\","
	    "\"subject\":\"api::post.post\",\"properties\":{\"fields\":[\"a\","
	    "\"a\"]}},"
	    "{\"action\":\"admin::roles.read\",\"conditions\":[\"admin::is-"
	    "creator\"],\"x\":1},"
	    "3],\"y\":2}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, id, body, NULL, &p, &n, &e),
	    ERR_VALIDATION);
	assert_int_equal(n_details(&e), 11);
	assert_detail(&e, 0, "permissions.0.action",
		      "action is not an existing permission action");
	assert_detail(&e, 1, "permissions.1.action",
		      "permissions[1].action is a required field");
	assert_detail(&e, 2, "permissions.2.subject",
		      "Invalid subject submitted");
	assert_detail(&e, 3, "permissions.3.subject",
		      "Invalid subject submitted");
	assert_detail(&e, 4, "permissions.4.properties",
		      "Invalid property set at permissions[4].properties");
	assert_detail(&e, 5, "permissions.5.properties.fields",
		      "Fields format are incorrect (duplicates).");
	assert_detail(&e, 6, "permissions.6.conditions",
		      "contains conditions that don't exist");
	assert_detail(&e, 7, "permissions.6",
		      "permissions[6] field has unspecified keys: x");
	assert_detail(&e, 8, "permissions.7",
		      "permissions[7] must be a `object` type, but the final "
		      "value was: `3`.");
	/* [4] and [6] are both admin::roles.read without a subject */
	assert_detail(
	    &e, 9, "permissions",
	    "Some permissions are duplicated (same action and subject)");
	assert_detail(&e, 10, "", "this field has unspecified keys: y");
	json_decref(body);
	err_release(&e);

	body = J("{\"permissions\":[{\"action\":\"admin::users.read\"},"
		 "{\"action\":\"admin::users.read\",\"subject\":null}]}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, id, body, NULL, &p, &n, &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "Some permissions are duplicated (same "
				   "action and subject)");
	json_decref(body);
	err_release(&e);

	body = J("{}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, id, body, NULL, &p, &n, &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "permissions is a required field");
	json_decref(body);
	err_release(&e);

	/* an empty set clears the role */
	body = J("{\"permissions\":[]}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, id, body, NULL, &p, &n, &e),
	    0);
	assert_int_equal(n, 0);
	admin_permissions_free(p, n);
	json_decref(body);
}

/* Changing a role's permissions or a user's roles re-clamps admin tokens. */
static void
test_reclamp_tokens(void **state)
{
	struct fixture *f = *state;
	struct token_caller caller = {0};
	struct admin_permission *p;
	struct err e = ERR_INIT;
	struct rbac_set perms;
	struct admin_role r;
	struct admin_user u;
	json_t *body, *tok = NULL;
	char text[160];
	int64_t owner, tid;
	size_t n;

	first_admin(f);
	body = J("{\"name\":\"Token makers\"}");
	assert_int_equal(admin_roles_create(&f->app, body, &r, &e), 0);
	json_decref(body);
	body =
	    J("{\"permissions\":[{\"action\":\"admin::admin-tokens.create\"},"
	      "{\"action\":\"admin::api-tokens.read\"}]}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, r.id, body, NULL, &p, &n, &e),
	    0);
	admin_permissions_free(p, n);
	json_decref(body);
	owner = make_user(f,
			  "{\"email\":\"t@example.com\",\"firstname\":\"T\","
			  "\"roles\":[%lld],\"password\":\"Tokens1234\"}",
			  (long long)r.id);

	rbac_set_init(&perms);
	rbac_set_add(&perms, "admin::admin-tokens.create", NULL);
	rbac_set_add(&perms, "admin::api-tokens.read", NULL);
	caller.user_id = owner;
	caller.perms = &perms;
	body = J("{\"name\":\"automation\",\"adminPermissions\":"
		 "[{\"action\":\"admin::api-tokens.read\"}]}");
	if (token_service_admin_create(f->app.tokens, body, &caller, &tok, &e) <
	    0)
		fail_msg("admin token: %s", e.msg);
	tid = json_integer_value(json_object_get(tok, "id"));
	token_json_wipe(tok);
	json_decref(tok);
	json_decref(body);
	rbac_set_release(&perms);
	assert_int_equal(
	    store_token_admin_permissions(f->app.store, tid, &p, &n), 0);
	assert_int_equal(n, 1);
	admin_permissions_free(p, n);

	body = J(
	    "{\"permissions\":[{\"action\":\"admin::admin-tokens.create\"}]}");
	assert_int_equal(
	    admin_roles_set_permissions(&f->app, r.id, body, NULL, &p, &n, &e),
	    0);
	admin_permissions_free(p, n);
	json_decref(body);
	assert_int_equal(
	    store_token_admin_permissions(f->app.store, tid, &p, &n), 0);
	assert_int_equal(n, 0);
	admin_permissions_free(p, n);

	/* a change of roles re-clamps too */
	snprintf(text, sizeof(text), "{\"roles\":[%lld]}",
		 (long long)role_id(f, RBAC_EDITOR_CODE));
	body = J(text);
	assert_int_equal(admin_users_update(&f->app, owner, body, NULL, &u, &e),
			 0);
	admin_user_release(&u);
	json_decref(body);
	admin_role_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bootstrap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_register_validation, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_register_first, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_login, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_user, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_email_syntax, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_super_admin, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_update_user, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ceiling, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_profile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete_many, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset_password, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_permissions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reclamp_tokens, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
