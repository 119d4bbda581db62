/* SPDX-License-Identifier: MIT */
/*
 * test_store_admin.c: the administrators part of the storage contract
 * (storage/store.h): users, roles, role and admin-token permissions,
 * sessions, public actions, the admin generation (seen by other
 * connections, including a raw one outside the store) and the upgrade of a
 * version 1 database. Run against SQLite with a temporary database file,
 * then against PostgreSQL when TOLLGATE_TEST_PG_URL names a server (each
 * test in a fresh schema, dropped after it); without it that group is
 * skipped, loudly.
 */
#include "core/compat.h"
#include "core/log.h"
#include "core/mem.h"
#include "storage/store.h"
#include "lib/rawdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- fixture --------------------------------------------------------- */

/* The backend of the group running: SQLite, then PostgreSQL. */
static bool on_pg;
static const char *pg_url;
static unsigned schema_seq;

/* SQL text for the backend under test. */
#define BK(sqlite_sql, pg_sql) (on_pg ? (pg_sql) : (sqlite_sql))

/* How long a change watcher may take to notice another handle's change. */
#define WATCH_US (on_pg ? 400000 : 120000)

struct fx {
	char dir[64];
	char path[128];
	char schema[64];
	struct store *s;
};

static struct store *
open_store(const struct fx *fx)
{
	struct store_options o = {.client = "sqlite", .filename = "db/data.db", .project_dir = fx->dir};
	struct store_options po = {.client = "postgres", .url = pg_url, .schema = fx->schema};
	struct err e = ERR_INIT;
	struct store *s = NULL;
	int rc;

	rc = store_open(on_pg ? &po : &o, &s, &e);
	if (rc)
		fail_msg("store_open: %s", e.msg);
	err_release(&e);
	return s;
}

/* A separate, plain connection: another process would do this. */
static void
raw_exec(const struct fx *fx, const char *sql)
{
	rawdb_exec(fx->path, pg_url, on_pg ? fx->schema : NULL, sql);
}

static int64_t
raw_int(const struct fx *fx, const char *sql)
{
	return rawdb_int(fx->path, pg_url, on_pg ? fx->schema : NULL, sql);
}

static void
unlink_db(const struct fx *fx)
{
	char p[200];

	if (on_pg) {
		rawdb_pg_drop_schema(pg_url, fx->schema);
		return;
	}
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
}

static int
setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof(*fx));

	if (on_pg) {
		snprintf(fx->schema, sizeof(fx->schema), "tg_admin_%ld_%u",
			 (long)getpid(), ++schema_seq);
		rawdb_pg_drop_schema(pg_url, fx->schema);
	} else {
		snprintf(fx->dir, sizeof(fx->dir), "/tmp/tg-admin-XXXXXX");
		if (!mkdtemp(fx->dir))
			return -1;
		snprintf(fx->path, sizeof(fx->path), "%s/db/data.db",
			 fx->dir);
	}
	fx->s = open_store(fx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[200];

	store_close(fx->s);
	unlink_db(fx);
	if (!on_pg) {
		snprintf(p, sizeof(p), "%s/db", fx->dir);
		rmdir(p);
		rmdir(fx->dir);
	}
	free(fx);
	return 0;
}

static uint64_t
agen(struct store *s)
{
	uint64_t g = 0;

	assert_int_equal(store_admin_generation(s, &g), 0);
	return g;
}

static uint64_t
tgen(struct store *s)
{
	uint64_t g = 0;

	assert_int_equal(store_token_generation(s, &g), 0);
	return g;
}

static bool
is_document_id(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 24 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; i < 24; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static int64_t
add_role(struct store *s, const char *name, const char *code)
{
	struct admin_role r;
	int64_t id;

	admin_role_init(&r);
	r.name = xstrdup(name);
	r.code = xstrdup(code);
	r.description = xstrdup("about");
	assert_int_equal(store_admin_role_insert(s, &r), 0);
	assert_true(r.id > 0);
	id = r.id;
	admin_role_release(&r);
	return id;
}

/* 'roles' is a 0-terminated list of role ids (may be NULL). */
static void
set_roles(struct admin_user *u, const int64_t *roles)
{
	size_t i;

	for (i = 0; i < u->n_roles; i++)
		admin_role_release(&u->roles[i]);
	free(u->roles);
	u->roles = NULL;
	u->n_roles = 0;
	for (i = 0; roles && roles[i]; i++) {
		u->roles = xrealloc(u->roles, (i + 1) * sizeof(*u->roles));
		admin_role_init(&u->roles[i]);
		u->roles[i].id = roles[i];
		u->n_roles = i + 1;
	}
}

static int64_t
add_user(struct store *s, const char *email, const int64_t *roles)
{
	struct admin_user u;
	int64_t id;

	admin_user_init(&u);
	u.firstname = xstrdup("Ada");
	u.email = xstrdup(email);
	u.password = xstrdup("$argon2id$v=19$m=19456,t=2,p=1$x$y");
	u.is_active = true;
	set_roles(&u, roles);
	assert_int_equal(store_admin_user_insert(s, &u), 0);
	assert_true(u.id > 0);
	id = u.id;
	admin_user_release(&u);
	return id;
}

static int64_t
add_token(struct store *s, const char *name, enum token_kind kind, int seed,
	  int64_t owner)
{
	struct token_row t;
	char hex[9];
	int64_t id;

	token_row_init(&t);
	t.name = xstrdup(name);
	t.kind = kind;
	t.type = TOKEN_CUSTOM;
	snprintf(hex, sizeof(hex), "%08x", (unsigned)seed);
	memset(t.access_key, 'b', 128);
	memcpy(t.access_key, hex, 8);
	t.access_key[128] = '\0';
	t.created_at = 1000;
	t.updated_at = 1000;
	t.owner_id = owner;
	assert_int_equal(store_token_insert(s, &t), 0);
	id = t.id;
	token_row_release(&t);
	return id;
}

static void
perm_set(struct admin_permission *p, const char *action, const char *subject,
	 const char *properties)
{
	memset(p, 0, sizeof(*p));
	p->action = xstrdup(action);
	p->subject = xstrdup(subject);
	p->properties = xstrdup(properties);
}

/* ---- migrations ------------------------------------------------------ */

static void
test_migrations(void **state)
{
	struct fx *fx = *state;
	struct store *s2;

	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(
	    raw_int(fx, "SELECT MAX(version) FROM tollgate_migrations"), 3);
	assert_int_equal(raw_int(fx, BK("SELECT COUNT(*) FROM sqlite_master"
					" WHERE type = 'table' AND name IN"
					" ('admin_roles',"
					" 'admin_users_roles_lnk',"
					" 'admin_permissions',"
					" 'admin_sessions',"
					" 'tollgate_public_actions')",
					"SELECT COUNT(*) FROM"
					" information_schema.tables WHERE"
					" table_schema = current_schema()"
					" AND table_name IN ('admin_roles',"
					" 'admin_users_roles_lnk',"
					" 'admin_permissions',"
					" 'admin_sessions',"
					" 'tollgate_public_actions')")),
			 5);
	assert_int_equal(raw_int(fx, "SELECT value FROM tollgate_meta"
				     " WHERE key = 'admin_generation'"),
			 0);
	assert_int_equal(agen(fx->s), 0);

	/* reopening applies nothing twice */
	add_role(fx->s, "Keep", "keep");
	store_close(fx->s);
	fx->s = open_store(fx);
	s2 = open_store(fx);
	store_close(s2);
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_roles"), 1);
	assert_int_equal(agen(fx->s), 1);
}

/* clang-format off */
#define V1_BUMP                                                         \
	" BEGIN UPDATE tollgate_meta SET value = CAST(value AS INTEGER) + 1" \
	" WHERE key = 'token_generation'; END;\n"

/* The schema as version 1 of the store created it. */
static const char v1_schema[] =
	"CREATE TABLE tollgate_migrations(version INTEGER PRIMARY KEY,"
	" applied_at INTEGER);\n"
	"INSERT INTO tollgate_migrations VALUES(1, 0);\n"
	"CREATE TABLE tollgate_meta(key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);\n"
	"INSERT INTO tollgate_meta(key, value) VALUES('token_generation', '0');\n"
	"CREATE TABLE strapi_api_tokens("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT,"
	" name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	" type TEXT NOT NULL DEFAULT 'read-only', access_key TEXT NOT NULL,"
	" encrypted_key TEXT, last_used_at INTEGER, expires_at INTEGER,"
	" lifespan INTEGER, kind TEXT DEFAULT 'content-api',"
	" admin_user_owner_id INTEGER, created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);\n"
	"CREATE UNIQUE INDEX strapi_api_tokens_access_key_unique"
	" ON strapi_api_tokens(access_key);\n"
	"CREATE INDEX strapi_api_tokens_name_idx ON strapi_api_tokens(name);\n"
	"CREATE TABLE strapi_api_token_permissions("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" token_id INTEGER NOT NULL REFERENCES strapi_api_tokens(id)"
	" ON DELETE CASCADE, action TEXT NOT NULL, created_at INTEGER,"
	" updated_at INTEGER, UNIQUE(token_id, action));\n"
	"CREATE TABLE admin_users("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT,"
	" firstname TEXT, lastname TEXT, username TEXT, email TEXT UNIQUE,"
	" password TEXT, is_active INTEGER NOT NULL DEFAULT 0,"
	" blocked INTEGER NOT NULL DEFAULT 0, prefered_language TEXT,"
	" created_at INTEGER, updated_at INTEGER);\n"
	"CREATE TRIGGER strapi_api_tokens_gen_insert"
	" AFTER INSERT ON strapi_api_tokens" V1_BUMP
	"CREATE TRIGGER strapi_api_tokens_gen_delete"
	" AFTER DELETE ON strapi_api_tokens" V1_BUMP
	"CREATE TRIGGER strapi_api_tokens_gen_update"
	" AFTER UPDATE OF name, description, type, access_key, encrypted_key,"
	" expires_at, lifespan, kind, admin_user_owner_id"
	" ON strapi_api_tokens" V1_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_insert"
	" AFTER INSERT ON strapi_api_token_permissions" V1_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_delete"
	" AFTER DELETE ON strapi_api_token_permissions" V1_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_update"
	" AFTER UPDATE OF token_id, action"
	" ON strapi_api_token_permissions" V1_BUMP
	/* data written while at version 1 */
	"INSERT INTO admin_users(firstname, email, is_active)"
	" VALUES('Old', 'Old.Admin@Example.COM', 1);\n"
	"INSERT INTO strapi_api_tokens(name, access_key, kind,"
	" admin_user_owner_id, created_at, updated_at)"
	" VALUES('old admin', 'k1', 'admin', 1, 1, 1);\n"
	"INSERT INTO strapi_api_tokens(name, access_key, created_at,"
	" updated_at) VALUES('old content', 'k2', 1, 1);\n";
/* clang-format on */

static void
test_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	struct admin_permission p, *got = NULL;
	struct admin_user u;
	int64_t role;
	size_t n = 0;
	uint64_t g;

	if (on_pg)
		skip(); /* the version 1 script is SQLite's; see test_store_pg */
	store_close(fx->s);
	unlink_db(fx);
	raw_exec(fx, v1_schema);
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 1);

	fx->s = open_store(fx);
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM tollgate_migrations"), 3);
	assert_int_equal(
	    raw_int(fx, "SELECT MAX(version) FROM tollgate_migrations"), 3);
	/* the old email was folded; lookups ignore case */
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_users"
				     " WHERE email = 'old.admin@example.com'"),
			 1);
	assert_int_equal(
	    store_admin_user_get_by_email(fx->s, "OLD.admin@example.com", &u),
	    0);
	assert_int_equal(u.id, 1);
	assert_int_equal(u.n_roles, 0);
	admin_user_release(&u);

	/* the new tables work against the old rows */
	g = agen(fx->s);
	role = add_role(fx->s, "Editor", "strapi-editor");
	assert_true(agen(fx->s) > g);
	perm_set(&p, "admin::users.read", NULL, "{}");
	assert_int_equal(store_token_set_admin_permissions(fx->s, 1, &p, 1), 0);
	admin_permission_release(&p);
	assert_int_equal(store_token_admin_permissions(fx->s, 1, &got, &n), 0);
	assert_int_equal(n, 1);
	admin_permissions_free(got, n);
	assert_int_equal(store_admin_user_get(fx->s, 1, &u), 0);
	set_roles(&u, (const int64_t[]){role, 0});
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_ROLES), 0);
	admin_user_release(&u);

	/* deleting the old user takes its old admin token along */
	assert_int_equal(store_admin_user_delete(fx->s, 1), 0);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM strapi_api_tokens"),
			 1);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_permissions"),
			 0);
}

/* ---- roles ----------------------------------------------------------- */

static void
test_roles(void **state)
{
	struct fx *fx = *state;
	struct admin_role r, *list = NULL;
	int64_t a, b, u;
	size_t n = 0, i;

	a = add_role(fx->s, "Super Admin", "strapi-super-admin");
	b = add_role(fx->s, "Editor", "strapi-editor");
	assert_true(b > a);

	assert_int_equal(store_admin_role_get(fx->s, b, &r), 0);
	assert_int_equal(r.id, b);
	assert_string_equal(r.name, "Editor");
	assert_string_equal(r.code, "strapi-editor");
	assert_string_equal(r.description, "about");
	assert_true(is_document_id(r.document_id));
	assert_true(r.created_at > 0);
	assert_int_equal(r.updated_at, r.created_at);
	assert_int_equal(r.users_count, 0);
	admin_role_release(&r);

	assert_int_equal(
	    store_admin_role_get_by_code(fx->s, "strapi-super-admin", &r), 0);
	assert_int_equal(r.id, a);
	admin_role_release(&r);
	assert_int_equal(store_admin_role_get_by_code(fx->s, "nope", &r),
			 ERR_NOT_FOUND);
	assert_int_equal(store_admin_role_get_by_code(fx->s, NULL, &r),
			 ERR_NOT_FOUND);
	assert_int_equal(store_admin_role_get(fx->s, 999, &r), ERR_NOT_FOUND);

	/* name and code are unique, in insert and in update */
	admin_role_init(&r);
	r.name = xstrdup("Editor");
	r.code = xstrdup("other");
	assert_int_equal(store_admin_role_insert(fx->s, &r), ERR_CONFLICT);
	free(r.name);
	r.name = xstrdup("Other");
	free(r.code);
	r.code = xstrdup("strapi-editor");
	assert_int_equal(store_admin_role_insert(fx->s, &r), ERR_CONFLICT);
	admin_role_release(&r);
	admin_role_init(&r);
	r.code = xstrdup("no-name");
	assert_int_equal(store_admin_role_insert(fx->s, &r), ERR_VALIDATION);
	admin_role_release(&r);

	admin_role_init(&r);
	r.id = b;
	r.name = xstrdup("Super Admin");
	assert_int_equal(store_admin_role_update(fx->s, &r), ERR_CONFLICT);
	free(r.name);
	r.name = xstrdup("Editors");
	r.description = xstrdup("they edit");
	r.updated_at = 777;
	assert_int_equal(store_admin_role_update(fx->s, &r), 0);
	r.id = 999;
	assert_int_equal(store_admin_role_update(fx->s, &r), ERR_NOT_FOUND);
	admin_role_release(&r);
	assert_int_equal(store_admin_role_get(fx->s, b, &r), 0);
	assert_string_equal(r.name, "Editors");
	assert_string_equal(r.code, "strapi-editor"); /* NULL kept it */
	assert_string_equal(r.description, "they edit");
	assert_int_equal(r.updated_at, 777);
	admin_role_release(&r);

	/* list: by id, with users_count */
	u = add_user(fx->s, "one@example.com", (const int64_t[]){b, 0});
	add_user(fx->s, "two@example.com", (const int64_t[]){a, b, 0});
	assert_int_equal(store_admin_role_list(fx->s, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, a);
	assert_int_equal(list[0].users_count, 1);
	assert_int_equal(list[1].id, b);
	assert_int_equal(list[1].users_count, 2);
	assert_string_equal(list[1].name, "Editors");
	for (i = 0; i < n; i++)
		admin_role_release(&list[i]);
	free(list);

	/* a role in use cannot go */
	assert_int_equal(store_admin_role_delete(fx->s, b), ERR_CONFLICT);
	assert_int_equal(store_admin_role_delete(fx->s, 999), ERR_NOT_FOUND);
	assert_int_equal(store_admin_user_delete(fx->s, u), 0);
	assert_int_equal(store_admin_role_get(fx->s, b, &r), 0);
	assert_int_equal(r.users_count, 1);
	admin_role_release(&r);
	assert_int_equal(store_admin_role_delete(fx->s, a), ERR_CONFLICT);
}

static void
test_role_delete(void **state)
{
	struct fx *fx = *state;
	struct admin_permission p[2], *got = NULL;
	struct admin_user usr;
	int64_t r, u;
	size_t n = 9;

	r = add_role(fx->s, "Author", "strapi-author");
	u = add_user(fx->s, "a@example.com", (const int64_t[]){r, 0});
	perm_set(&p[0], "plugin::content-manager.explorer.read",
		 "api::post.post", "{\"fields\":[\"title\"]}");
	perm_set(&p[1], "admin::users.read", NULL, NULL);
	assert_int_equal(store_admin_role_set_permissions(fx->s, r, p, 2), 0);
	admin_permission_release(&p[0]);
	admin_permission_release(&p[1]);

	assert_int_equal(store_admin_role_delete(fx->s, r), ERR_CONFLICT);
	assert_int_equal(store_admin_user_get(fx->s, u, &usr), 0);
	set_roles(&usr, NULL);
	assert_int_equal(store_admin_user_update(fx->s, &usr, USER_UPD_ROLES),
			 0);
	admin_user_release(&usr);
	assert_int_equal(store_admin_role_delete(fx->s, r), 0);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_permissions"),
			 0);
	assert_int_equal(store_admin_role_permissions(fx->s, r, &got, &n),
			 ERR_NOT_FOUND);
	assert_null(got);
	assert_int_equal(n, 0);
	assert_int_equal(store_admin_role_delete(fx->s, r), ERR_NOT_FOUND);
}

/* ---- users ----------------------------------------------------------- */

static void
test_users(void **state)
{
	struct fx *fx = *state;
	struct admin_user u, g;
	int64_t ra, rb, rc, id;

	ra = add_role(fx->s, "A", "a");
	rb = add_role(fx->s, "B", "b");
	rc = add_role(fx->s, "C", "c");

	admin_user_init(&u);
	u.firstname = xstrdup("Grace");
	u.lastname = xstrdup("Hopper");
	u.username = xstrdup("grace");
	u.email = xstrdup("Grace.Hopper@Example.COM");
	u.password = xstrdup("$argon2id$hash");
	u.is_active = true;
	u.prefered_language = xstrdup("en");
	u.created_at = 1234;
	/* out of order, with a repeat */
	set_roles(&u, (const int64_t[]){rc, ra, rc, 0});
	assert_int_equal(store_admin_user_insert(fx->s, &u), 0);
	id = u.id;
	assert_true(id > 0);
	assert_true(is_document_id(u.document_id));
	assert_string_equal(u.email, "grace.hopper@example.com");
	assert_int_equal(u.updated_at, 1234);

	assert_int_equal(store_admin_user_get(fx->s, id, &g), 0);
	assert_int_equal(g.id, id);
	assert_string_equal(g.document_id, u.document_id);
	assert_string_equal(g.firstname, "Grace");
	assert_string_equal(g.lastname, "Hopper");
	assert_string_equal(g.username, "grace");
	assert_string_equal(g.email, "grace.hopper@example.com");
	assert_string_equal(g.password, "$argon2id$hash");
	assert_true(g.is_active);
	assert_false(g.blocked);
	assert_string_equal(g.prefered_language, "en");
	assert_int_equal(g.created_at, 1234);
	assert_int_equal(g.updated_at, 1234);
	assert_int_equal(g.n_roles, 2);
	assert_int_equal(g.roles[0].id, ra);
	assert_string_equal(g.roles[0].name, "A");
	assert_string_equal(g.roles[0].code, "a");
	assert_string_equal(g.roles[0].description, "about");
	assert_int_equal(g.roles[1].id, rc);
	admin_user_release(&g);
	admin_user_release(&u);

	/* emails compare case-insensitively */
	assert_int_equal(store_admin_user_get_by_email(
			     fx->s, "GRACE.hopper@example.com", &g),
			 0);
	assert_int_equal(g.id, id);
	assert_int_equal(g.n_roles, 2);
	admin_user_release(&g);
	assert_int_equal(
	    store_admin_user_get_by_email(fx->s, "nobody@example.com", &g),
	    ERR_NOT_FOUND);
	assert_int_equal(store_admin_user_get_by_email(fx->s, NULL, &g),
			 ERR_NOT_FOUND);
	assert_int_equal(store_admin_user_get(fx->s, 999, &g), ERR_NOT_FOUND);

	admin_user_init(&u);
	u.firstname = xstrdup("Copy");
	u.email = xstrdup("grace.HOPPER@example.com");
	assert_int_equal(store_admin_user_insert(fx->s, &u), ERR_CONFLICT);
	/* an unknown role refuses the whole insert */
	free(u.email);
	u.email = xstrdup("new@example.com");
	set_roles(&u, (const int64_t[]){ra, 999, 0});
	assert_int_equal(store_admin_user_insert(fx->s, &u), ERR_VALIDATION);
	admin_user_release(&u);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_users"), 1);

	/* update: only the fields named */
	admin_user_init(&u);
	u.id = id;
	u.firstname = xstrdup("G.");
	u.lastname = xstrdup("ignored");
	u.email = xstrdup("G@Example.com");
	u.blocked = true;
	u.updated_at = 5000;
	assert_int_equal(
	    store_admin_user_update(fx->s, &u,
				    USER_UPD_FIRSTNAME | USER_UPD_EMAIL |
					USER_UPD_BLOCKED | USER_UPD_ACTIVE),
	    0);
	assert_int_equal(store_admin_user_get(fx->s, id, &g), 0);
	assert_string_equal(g.firstname, "G.");
	assert_string_equal(g.lastname, "Hopper");
	assert_string_equal(g.email, "g@example.com");
	assert_true(g.blocked);
	assert_false(g.is_active);
	assert_string_equal(g.password, "$argon2id$hash");
	assert_int_equal(g.updated_at, 5000);
	assert_int_equal(g.n_roles, 2);
	admin_user_release(&g);

	/* roles are replaced as a whole */
	set_roles(&u, (const int64_t[]){rb, 0});
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_ROLES), 0);
	assert_int_equal(store_admin_user_get(fx->s, id, &g), 0);
	assert_int_equal(g.n_roles, 1);
	assert_int_equal(g.roles[0].id, rb);
	assert_string_equal(g.roles[0].code, "b");
	admin_user_release(&g);
	/* ... or not at all */
	set_roles(&u, (const int64_t[]){ra, 999, 0});
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_ROLES),
			 ERR_VALIDATION);
	assert_int_equal(store_admin_user_get(fx->s, id, &g), 0);
	assert_int_equal(g.n_roles, 1);
	assert_int_equal(g.roles[0].id, rb);
	admin_user_release(&g);

	/* password, language, names to NULL; updated_at defaults to now */
	free(u.password);
	u.password = xstrdup("$argon2id$new");
	u.updated_at = 0;
	assert_int_equal(
	    store_admin_user_update(fx->s, &u,
				    USER_UPD_PASSWORD | USER_UPD_LANGUAGE |
					USER_UPD_USERNAME | USER_UPD_LASTNAME),
	    0);
	assert_int_equal(store_admin_user_get(fx->s, id, &g), 0);
	assert_string_equal(g.password, "$argon2id$new");
	assert_null(g.prefered_language);
	assert_null(g.username);
	assert_string_equal(g.lastname, "ignored");
	assert_true(g.updated_at > 5000);
	admin_user_release(&g);

	/* an email clash on update */
	add_user(fx->s, "other@example.com", NULL);
	free(u.email);
	u.email = xstrdup("OTHER@example.com");
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_EMAIL),
			 ERR_CONFLICT);

	u.id = 999;
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_FIRSTNAME),
			 ERR_NOT_FOUND);
	admin_user_release(&u);
	assert_int_equal(store_admin_user_delete(fx->s, 999), ERR_NOT_FOUND);
}

static void
test_user_list(void **state)
{
	struct fx *fx = *state;
	struct admin_user *list = NULL;
	int64_t ids[7], ra, rb, total = -1;
	char email[64];
	size_t n = 0, i;

	ra = add_role(fx->s, "A", "a");
	rb = add_role(fx->s, "B", "b");
	assert_int_equal(store_admin_user_list(fx->s, 0, 10, &list, &n, &total),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	free(list);

	for (i = 0; i < 7; i++) {
		const int64_t none[] = {0}, a[] = {ra, 0}, ab[] = {rb, ra, 0};

		snprintf(email, sizeof(email), "user%zu@example.com", i);
		ids[i] = add_user(fx->s, email,
				  i % 3 == 0 ? ab : (i % 3 == 1 ? a : none));
	}

	assert_int_equal(store_admin_user_list(fx->s, 2, 3, &list, &n, &total),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(total, 7);
	for (i = 0; i < n; i++) {
		size_t k = i + 2;

		assert_int_equal(list[i].id, ids[k]);
		assert_int_equal(list[i].n_roles,
				 k % 3 == 0 ? 2 : (k % 3 == 1 ? 1 : 0));
		if (list[i].n_roles == 2) {
			assert_int_equal(list[i].roles[0].id, ra);
			assert_int_equal(list[i].roles[1].id, rb);
			assert_string_equal(list[i].roles[1].name, "B");
		} else if (list[i].n_roles == 1) {
			assert_int_equal(list[i].roles[0].id, ra);
		}
		admin_user_release(&list[i]);
	}
	free(list);

	/* the last, partial page; past the end; no limit; no total */
	assert_int_equal(store_admin_user_list(fx->s, 6, 3, &list, &n, &total),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(total, 7);
	assert_int_equal(list[0].id, ids[6]);
	assert_int_equal(list[0].n_roles, 2);
	admin_user_release(&list[0]);
	free(list);
	assert_int_equal(store_admin_user_list(fx->s, 10, 3, &list, &n, &total),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 7);
	free(list);
	assert_int_equal(store_admin_user_list(fx->s, 0, -1, &list, &n, NULL),
			 0);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++) {
		assert_int_equal(list[i].id, ids[i]);
		admin_user_release(&list[i]);
	}
	free(list);
}

static void
test_user_delete_cascade(void **state)
{
	struct fx *fx = *state;
	struct admin_permission p;
	struct admin_role r;
	struct token_row t;
	int64_t role, a, b, tok_a1, tok_a2, tok_b, content;
	bool valid = true;

	role = add_role(fx->s, "Editor", "strapi-editor");
	a = add_user(fx->s, "a@example.com", (const int64_t[]){role, 0});
	b = add_user(fx->s, "b@example.com", (const int64_t[]){role, 0});
	tok_a1 = add_token(fx->s, "a1", TOKEN_KIND_ADMIN, 1, a);
	tok_a2 = add_token(fx->s, "a2", TOKEN_KIND_ADMIN, 2, a);
	tok_b = add_token(fx->s, "b1", TOKEN_KIND_ADMIN, 3, b);
	/* a content-API token that happens to carry the same owner id */
	content = add_token(fx->s, "c", TOKEN_KIND_CONTENT_API, 4, a);
	perm_set(&p, "admin::users.read", NULL, "{}");
	assert_int_equal(
	    store_token_set_admin_permissions(fx->s, tok_a1, &p, 1), 0);
	assert_int_equal(store_token_set_admin_permissions(fx->s, tok_b, &p, 1),
			 0);
	admin_permission_release(&p);
	assert_int_equal(store_session_insert(fx->s, "sa1", a, INT64_MAX), 0);
	assert_int_equal(store_session_insert(fx->s, "sa2", a, INT64_MAX), 0);
	assert_int_equal(store_session_insert(fx->s, "sb", b, INT64_MAX), 0);

	assert_int_equal(store_admin_user_delete(fx->s, a), 0);
	assert_int_equal(store_token_get(fx->s, tok_a1, &t), ERR_NOT_FOUND);
	assert_int_equal(store_token_get(fx->s, tok_a2, &t), ERR_NOT_FOUND);
	assert_int_equal(store_token_get(fx->s, tok_b, &t), 0);
	token_row_release(&t);
	assert_int_equal(store_token_get(fx->s, content, &t), 0);
	assert_int_equal(t.owner_id, a);
	token_row_release(&t);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_permissions"),
			 1);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_sessions"), 1);
	assert_int_equal(store_session_check(fx->s, "sa1", a, 0, &valid), 0);
	assert_false(valid);
	assert_int_equal(store_session_check(fx->s, "sb", b, 0, &valid), 0);
	assert_true(valid);
	assert_int_equal(
	    raw_int(fx, "SELECT COUNT(*) FROM admin_users_roles_lnk"), 1);
	assert_int_equal(store_admin_role_get(fx->s, role, &r), 0);
	assert_int_equal(r.users_count, 1);
	admin_role_release(&r);
	assert_int_equal(store_admin_user_delete(fx->s, a), ERR_NOT_FOUND);
}

/* ---- permissions ----------------------------------------------------- */

static void
test_role_permissions(void **state)
{
	struct fx *fx = *state;
	struct admin_permission p[3], *got = NULL;
	int64_t role, other, first_id;
	size_t n = 0;

	role = add_role(fx->s, "Editor", "strapi-editor");
	other = add_role(fx->s, "Author", "strapi-author");
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_null(got);
	assert_int_equal(n, 0);

	perm_set(&p[0], "plugin::content-manager.explorer.read",
		 "api::post.post", "{\"fields\":[\"title\"]}");
	perm_set(&p[1], "plugin::content-manager.explorer.create",
		 "api::post.post", NULL);
	p[1].conditions = xstrdup("[\"admin::is-creator\"]");
	perm_set(&p[2], "admin::users.read", NULL, NULL);
	assert_int_equal(store_admin_role_set_permissions(fx->s, role, p, 3),
			 0);
	assert_int_equal(store_admin_role_set_permissions(fx->s, other, p, 1),
			 0);

	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 3);
	assert_true(got[0].id < got[1].id && got[1].id < got[2].id);
	assert_string_equal(got[0].action,
			    "plugin::content-manager.explorer.read");
	assert_string_equal(got[0].subject, "api::post.post");
	assert_string_equal(got[0].properties, "{\"fields\":[\"title\"]}");
	assert_string_equal(got[0].conditions, "[]");
	assert_string_equal(got[1].properties, "{}");
	assert_string_equal(got[1].conditions, "[\"admin::is-creator\"]");
	assert_null(got[2].subject);
	assert_true(got[0].created_at > 0);
	assert_int_equal(got[0].updated_at, got[0].created_at);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_permissions"
				     " WHERE length(document_id) = 24"),
			 4);
	first_id = got[0].id;
	admin_permissions_free(got, n);

	/* replaced, not merged; the other role keeps its own */
	assert_int_equal(
	    store_admin_role_set_permissions(fx->s, role, &p[2], 1), 0);
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0].action, "admin::users.read");
	assert_true(got[0].id > first_id);
	admin_permissions_free(got, n);
	assert_int_equal(store_admin_role_permissions(fx->s, other, &got, &n),
			 0);
	assert_int_equal(n, 1);
	admin_permissions_free(got, n);

	/* inside a caller's transaction: a rollback restores the old set */
	assert_int_equal(store_begin(fx->s), 0);
	assert_int_equal(store_admin_role_set_permissions(fx->s, role, p, 2),
			 0);
	/* a failing nested replacement undoes only itself */
	assert_int_equal(store_admin_role_set_permissions(fx->s, 999, p, 2),
			 ERR_NOT_FOUND);
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 2);
	admin_permissions_free(got, n);
	assert_int_equal(store_rollback(fx->s), 0);
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 1);
	admin_permissions_free(got, n);
	/* ... and a commit keeps the new one */
	assert_int_equal(store_begin(fx->s), 0);
	assert_int_equal(store_admin_role_set_permissions(fx->s, role, p, 2),
			 0);
	assert_int_equal(store_commit(fx->s), 0);
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 2);
	admin_permissions_free(got, n);

	/* an empty set; bad input; absent roles */
	assert_int_equal(store_admin_role_set_permissions(fx->s, role, NULL, 0),
			 0);
	assert_int_equal(store_admin_role_permissions(fx->s, role, &got, &n),
			 0);
	assert_int_equal(n, 0);
	free(p[0].action);
	p[0].action = NULL;
	assert_int_equal(store_admin_role_set_permissions(fx->s, other, p, 2),
			 ERR_VALIDATION);
	assert_int_equal(store_admin_role_permissions(fx->s, 999, &got, &n),
			 ERR_NOT_FOUND);
	admin_permission_release(&p[0]);
	admin_permission_release(&p[1]);
	admin_permission_release(&p[2]);
}

static void
test_token_permissions(void **state)
{
	struct fx *fx = *state;
	struct admin_permission p[2], *got = NULL;
	int64_t user, tok, tok2;
	size_t n = 0;

	user = add_user(fx->s, "owner@example.com", NULL);
	tok = add_token(fx->s, "t", TOKEN_KIND_ADMIN, 1, user);
	tok2 = add_token(fx->s, "t2", TOKEN_KIND_ADMIN, 2, user);
	perm_set(&p[0], "admin::api-tokens.read", NULL, NULL);
	perm_set(&p[1], "plugin::content-manager.explorer.read",
		 "api::post.post", "{\"fields\":[\"title\"]}");
	assert_int_equal(store_token_admin_permissions(fx->s, tok, &got, &n),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_set_admin_permissions(fx->s, tok, p, 2),
			 0);
	assert_int_equal(store_token_set_admin_permissions(fx->s, tok2, p, 1),
			 0);
	assert_int_equal(store_token_admin_permissions(fx->s, tok, &got, &n),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].action, "admin::api-tokens.read");
	assert_string_equal(got[1].subject, "api::post.post");
	assert_string_equal(got[1].properties, "{\"fields\":[\"title\"]}");
	admin_permissions_free(got, n);

	assert_int_equal(
	    store_token_set_admin_permissions(fx->s, tok, &p[1], 1), 0);
	assert_int_equal(store_token_admin_permissions(fx->s, tok, &got, &n),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0].action,
			    "plugin::content-manager.explorer.read");
	admin_permissions_free(got, n);

	/* deleting the token takes its permissions */
	assert_int_equal(store_token_delete(fx->s, tok), 0);
	assert_int_equal(store_token_admin_permissions(fx->s, tok, &got, &n),
			 ERR_NOT_FOUND);
	assert_int_equal(store_token_set_admin_permissions(fx->s, tok, p, 1),
			 ERR_NOT_FOUND);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_permissions"),
			 1);
	admin_permission_release(&p[0]);
	admin_permission_release(&p[1]);
}

/* ---- sessions and public actions ------------------------------------- */

static void
test_sessions(void **state)
{
	struct fx *fx = *state;
	int64_t a, b;
	bool valid = false;

	a = add_user(fx->s, "a@example.com", NULL);
	b = add_user(fx->s, "b@example.com", NULL);
	assert_int_equal(store_session_insert(fx->s, "s1", a, 5000), 0);
	assert_int_equal(store_session_insert(fx->s, "s1", b, 5000),
			 ERR_CONFLICT);
	assert_int_equal(store_session_insert(fx->s, "s2", 999, 5000),
			 ERR_NOT_FOUND);
	assert_int_equal(store_session_insert(fx->s, NULL, a, 5000),
			 ERR_VALIDATION);

	assert_int_equal(store_session_check(fx->s, "s1", a, 4999, &valid), 0);
	assert_true(valid);
	/* another user's session */
	assert_int_equal(store_session_check(fx->s, "s1", b, 4999, &valid), 0);
	assert_false(valid);
	valid = true;
	assert_int_equal(store_session_check(fx->s, "nope", a, 0, &valid), 0);
	assert_false(valid);
	valid = true;
	assert_int_equal(store_session_check(fx->s, NULL, a, 0, &valid), 0);
	assert_false(valid);

	/* expired at its expiry instant, and cleaned up */
	valid = true;
	assert_int_equal(store_session_check(fx->s, "s1", a, 5000, &valid), 0);
	assert_false(valid);
	assert_int_equal(raw_int(fx, "SELECT COUNT(*) FROM admin_sessions"), 0);
	assert_int_equal(store_session_check(fx->s, "s1", a, 0, &valid), 0);
	assert_false(valid);

	/* logout */
	assert_int_equal(store_session_insert(fx->s, "s3", b, INT64_MAX), 0);
	assert_int_equal(store_session_check(fx->s, "s3", b, 0, &valid), 0);
	assert_true(valid);
	assert_int_equal(store_session_delete(fx->s, "s3"), 0);
	assert_int_equal(store_session_check(fx->s, "s3", b, 0, &valid), 0);
	assert_false(valid);
	assert_int_equal(store_session_delete(fx->s, "s3"), 0);
}

static void
free_actions(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
test_public_actions(void **state)
{
	static char a_find[] = "api::post.post.find";
	static char a_one[] = "api::post.post.findOne";
	static char a_other[] = "api::article.article.find";
	char *set1[] = {a_one, a_find, NULL, a_one};
	char *set2[] = {a_other};
	struct fx *fx = *state;
	char **v = NULL;
	size_t n = 9;

	assert_int_equal(store_public_actions(fx->s, &v, &n), 0);
	assert_non_null(v);
	assert_int_equal(n, 0);
	assert_null(v[0]);
	free_actions(v, n);

	assert_int_equal(store_set_public_actions(fx->s, set1, 4), 0);
	assert_int_equal(store_public_actions(fx->s, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "api::post.post.find");
	assert_string_equal(v[1], "api::post.post.findOne");
	assert_null(v[2]);
	free_actions(v, n);

	assert_int_equal(store_set_public_actions(fx->s, set2, 1), 0);
	assert_int_equal(store_public_actions(fx->s, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "api::article.article.find");
	assert_null(v[1]);
	free_actions(v, n);

	assert_int_equal(store_set_public_actions(fx->s, NULL, 0), 0);
	assert_int_equal(store_public_actions(fx->s, &v, &n), 0);
	assert_int_equal(n, 0);
	free_actions(v, n);
}

/* ---- the admin generation -------------------------------------------- */

/* A one-type registry: a content table to write to. */
static void
note_registry(struct schema_registry *reg, const char *table)
{
	static const struct {
		const char *name, *column;
		enum attr_type type;
		enum sys_field sys;
	} t[] = {
	    {"id", "id", ATTR_INTEGER, SYS_ID},
	    {"documentId", "document_id", ATTR_STRING, SYS_DOCUMENT_ID},
	    {"title", "title", ATTR_STRING, SYS_NONE},
	    {"createdAt", "created_at", ATTR_DATETIME, SYS_CREATED_AT},
	    {"updatedAt", "updated_at", ATTR_DATETIME, SYS_UPDATED_AT},
	    {"publishedAt", "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT},
	};
	struct content_type *ct;
	size_t i;

	memset(reg, 0, sizeof(*reg));
	reg->types = xcalloc(1, sizeof(*reg->types));
	reg->n_types = 1;
	ct = &reg->types[0];
	ct->uid = xstrdup("api::note.note");
	ct->table = xstrdup(table);
	ct->plural = xstrdup(table);
	ct->fields = xcalloc(ARRAY_SIZE(t), sizeof(*ct->fields));
	ct->n_fields = ARRAY_SIZE(t);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct field *f = &ct->fields[i];

		f->name = xstrdup(t[i].name);
		f->column = xstrdup(t[i].column);
		f->type = t[i].type;
		f->sys = t[i].sys;
		f->flags = t[i].sys ? FIELD_SYSTEM : 0;
		f->min_length = -1;
		f->max_length = -1;
	}
	ct->attrs = &ct->fields[2];
	ct->n_attrs = 1;
}

static void
note_registry_free(struct schema_registry *reg)
{
	struct content_type *ct = &reg->types[0];
	size_t i;

	for (i = 0; i < ct->n_fields; i++) {
		free(ct->fields[i].name);
		free(ct->fields[i].column);
	}
	free(ct->fields);
	free(ct->uid);
	free(ct->table);
	free(ct->plural);
	free(reg->types);
}

/* 'what' moved the generation, and the other handle sees the new value. */
/*
 * A change made through one handle is seen by the other (another
 * connection, as another process would be) once the store's change watcher
 * notices it, within a few of its periods: poll, bounded.
 */
static uint64_t
agen_until(struct store *s, uint64_t want, bool greater)
{
	uint64_t g = 0;
	int i;

	for (i = 0; i < 1000; i++) { /* 10 s at most */
		g = agen(s);
		if (greater ? g > want : g == want)
			return g;
		usleep(10000);
	}
	return g;
}

#define MOVED(what)                                                            \
	do {                                                                   \
		uint64_t g_ = agen_until(fx->s, g, true);                      \
		assert_true(g_ > g);                                           \
		assert_int_equal(agen_until(other, g_, false), g_);            \
		g = g_;                                                        \
		(void)(what);                                                  \
	} while (0)
/* nothing moves, not even after the watcher had time to look */
#define STILL(what)                                                            \
	do {                                                                   \
		usleep(WATCH_US);                                              \
		assert_int_equal(agen(fx->s), g);                              \
		assert_int_equal(agen(other), g);                              \
		(void)(what);                                                  \
	} while (0)

static void
test_admin_generation(void **state)
{
	struct fx *fx = *state;
	struct schema_registry reg;
	struct admin_permission p;
	struct err e = ERR_INIT;
	struct store *other;
	struct admin_role r;
	struct admin_user u;
	struct sqlval v[6];
	bool present[6] = {false, true, true, true, true, true};
	int64_t role, role2, uid, uid2, tok, ctok, note;
	uint64_t g, tg;
	bool valid;
	char *pub[] = {NULL};
	static char act[] = "api::note.note.find";

	other = open_store(fx);
	g = agen(fx->s);
	assert_int_equal(agen(other), g);
	STILL("stable");

	role = add_role(fx->s, "Editor", "strapi-editor");
	MOVED("role insert");
	role2 = add_role(other, "Author", "strapi-author");
	MOVED("role insert through the other handle");
	admin_role_init(&r);
	r.id = role;
	r.description = xstrdup("new");
	assert_int_equal(store_admin_role_update(fx->s, &r), 0);
	admin_role_release(&r);
	MOVED("role update");

	uid = add_user(fx->s, "a@example.com", (const int64_t[]){role, 0});
	MOVED("user insert");
	uid2 = add_user(other, "b@example.com", NULL);
	MOVED("user insert through the other handle");

	assert_int_equal(store_admin_user_get(fx->s, uid, &u), 0);
	free(u.firstname);
	u.firstname = xstrdup("Renamed");
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_FIRSTNAME),
			 0);
	STILL("a name change");
	u.is_active = false;
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_ACTIVE),
			 0);
	MOVED("deactivation");
	u.blocked = true;
	assert_int_equal(store_admin_user_update(other, &u, USER_UPD_BLOCKED),
			 0);
	MOVED("blocking through the other handle");
	free(u.email);
	u.email = xstrdup("c@example.com");
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_EMAIL), 0);
	MOVED("email change");
	free(u.password);
	u.password = xstrdup("$argon2id$other");
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_PASSWORD),
			 0);
	MOVED("password change");
	set_roles(&u, (const int64_t[]){role, role2, 0});
	assert_int_equal(store_admin_user_update(fx->s, &u, USER_UPD_ROLES), 0);
	MOVED("role change");
	admin_user_release(&u);

	perm_set(&p, "admin::users.read", NULL, NULL);
	assert_int_equal(store_admin_role_set_permissions(fx->s, role, &p, 1),
			 0);
	MOVED("role permissions");
	/* an empty set replacing an empty set changes no row */
	assert_int_equal(
	    store_admin_role_set_permissions(other, role2, NULL, 0), 0);
	STILL("an empty replacement deletes and inserts nothing");

	tg = tgen(fx->s);
	ctok = add_token(fx->s, "content", TOKEN_KIND_CONTENT_API, 1, 0);
	STILL("a content-API token");
	assert_true(tgen(fx->s) > tg);
	tg = tgen(fx->s);
	tok = add_token(fx->s, "admin", TOKEN_KIND_ADMIN, 2, uid);
	MOVED("an admin token");
	assert_true(tgen(fx->s) > tg);
	assert_int_equal(store_token_touch(fx->s, tok, 99999, 0), 0);
	STILL("an admin token's use");
	assert_int_equal(store_token_set_admin_permissions(other, tok, &p, 1),
			 0);
	MOVED("admin token permissions");
	admin_permission_release(&p);
	assert_int_equal(store_token_delete(fx->s, ctok), 0);
	STILL("a content-API token deleted");

	assert_int_equal(store_session_insert(fx->s, "s1", uid2, 5000), 0);
	MOVED("a session");
	assert_int_equal(store_session_check(other, "s1", uid2, 10, &valid), 0);
	assert_true(valid);
	STILL("a session check");
	assert_int_equal(store_session_check(other, "s1", uid2, 5000, &valid),
			 0);
	assert_false(valid);
	MOVED("an expired session cleaned up");
	assert_int_equal(store_session_insert(fx->s, "s2", uid2, 5000), 0);
	MOVED("a session");
	assert_int_equal(store_session_delete(other, "s2"), 0);
	MOVED("a logout");

	pub[0] = act;
	assert_int_equal(store_set_public_actions(fx->s, pub, 1), 0);
	MOVED("public actions");

	/* content writes and meta are not admin state */
	note_registry(&reg, "notes");
	assert_int_equal(store_sync_schema(fx->s, &reg, &e), 0);
	memset(v, 0, sizeof(v));
	v[1].kind = SV_TEXT;
	v[1].s = xstrdup("n1");
	v[2].kind = SV_TEXT;
	v[2].s = xstrdup("hello");
	v[3].kind = SV_INT;
	v[3].i = 1;
	v[4].kind = SV_INT;
	v[4].i = 1;
	v[5].kind = SV_NULL;
	assert_int_equal(
	    store_content_insert(other, &reg.types[0], v, present, &note), 0);
	STILL("a content insert");
	assert_int_equal(store_content_delete_id(fx->s, &reg.types[0], note),
			 0);
	STILL("a content delete");
	assert_int_equal(store_meta_set(fx->s, "k", "v"), 0);
	STILL("a meta value");
	sqlval_release(&v[1]);
	sqlval_release(&v[2]);
	note_registry_free(&reg);

	/* the admin tables are not content tables */
	note_registry(&reg, "admin_roles");
	assert_int_equal(store_sync_schema(fx->s, &reg, &e), ERR_VALIDATION);
	note_registry_free(&reg);
	err_release(&e);

	/* someone in the sqlite3 shell */
	raw_exec(fx, "UPDATE admin_users SET blocked = 0");
	MOVED("a raw update");
	raw_exec(fx, "UPDATE admin_users SET firstname = 'x', updated_at = 1");
	STILL("a raw rename");

	/* a rolled back change leaves it where it was */
	assert_int_equal(store_begin(fx->s), 0);
	add_role(fx->s, "Tmp", "tmp");
	assert_true(agen(fx->s) > g);
	assert_int_equal(store_rollback(fx->s), 0);
	STILL("a rolled back insert");

	assert_int_equal(store_admin_user_delete(other, uid2), 0);
	MOVED("a user delete");
	/* uid still holds both roles */
	assert_int_equal(store_admin_role_delete(fx->s, role2), ERR_CONFLICT);
	STILL("a refused role delete");
	assert_int_equal(store_admin_user_delete(fx->s, uid), 0);
	MOVED("a user delete with tokens");
	assert_int_equal(store_admin_role_delete(fx->s, role2), 0);
	MOVED("a role delete");
	store_close(other);
}

static void
test_memory_store(void **state)
{
	struct store_options o = {.client = "sqlite", .filename = ":memory:"};
	struct err e = ERR_INIT;
	struct store *m = NULL;
	struct admin_user u;
	uint64_t g0;
	int64_t id;

	(void)state;
	if (on_pg)
		skip(); /* SQLite only */
	assert_int_equal(store_open(&o, &m, &e), 0);
	g0 = agen(m);
	id = add_user(m, "Mem@Example.com", NULL);
	assert_true(agen(m) > g0);
	store_thread_release(m);
	assert_int_equal(
	    store_admin_user_get_by_email(m, "mem@example.COM", &u), 0);
	assert_int_equal(u.id, id);
	admin_user_release(&u);
	store_close(m);
}

int
main(void)
{
	int failed;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_from_v1, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_user_delete_cascade, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_role_permissions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_token_permissions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_public_actions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_admin_generation, setup,
					    teardown),
	    cmocka_unit_test(test_memory_store),
	};

	log_setup(LOG_ERROR, 0);
	failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	pg_url = getenv("TOLLGATE_TEST_PG_URL");
	if (!pg_url || !*pg_url) {
		printf("[  SKIPPED ] postgres: TOLLGATE_TEST_PG_URL is not set\n");
		return failed;
	}
	on_pg = true;
	failed += cmocka_run_group_tests_name("postgres", tests, NULL, NULL);
	return failed;
}
