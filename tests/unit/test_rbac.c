/* SPDX-License-Identifier: MIT */
/*
 * test_rbac.c: the permission catalogue (names as Strapi words them), the
 * validity of (action, subject) pairs against the fixture content types,
 * the evaluator, the built-in roles' defaults, the GET /admin/permissions
 * shape, and loading a user's permissions from a SQLite store.
 *
 * Fixture types, sorted by UID: api::article.article (collection),
 * api::homepage.homepage (single), api::post.post (collection, draft &
 * publish), api::product.product (collection).
 */
#include "core/compat.h"
#include "auth/rbac.h"
#include "core/err.h"
#include "core/mem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <cmocka.h>

#define CM "plugin::content-manager.explorer."
#define ARTICLE "api::article.article"
#define HOMEPAGE "api::homepage.homepage"
#define POST "api::post.post"
#define PRODUCT "api::product.product"

struct fixture {
	struct schema_registry reg;
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
	struct err e = ERR_INIT;

	schema_registry_init(&f->reg);
	assert_int_equal(schema_registry_load(&f->reg, fixtures_dir(), &e), 0);
	assert_int_equal(f->reg.n_types, 4);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	schema_registry_release(&f->reg);
	free(f);
	return 0;
}

/* ---- catalogue ---------------------------------------------------------- */

static void
expect_action(const char *uid, const char *name, enum rbac_section section,
	      const char *category, const char *subcategory, bool subject)
{
	const struct rbac_action *a = rbac_find(uid);

	assert_non_null(a);
	assert_string_equal(a->uid, uid);
	assert_string_equal(a->display_name, name);
	assert_int_equal(a->section, section);
	assert_string_equal(a->category, category);
	assert_string_equal(a->subcategory, subcategory);
	assert_int_equal(a->needs_subject, subject);
}

static void
test_catalogue(void **state)
{
	static const char *const tokens[] = {"api-tokens", "admin-tokens"};
	char uid[64];
	size_t i, j;

	(void)state;
	expect_action("admin::api-tokens.access",
		      "Access the API tokens settings page", RBAC_SETTINGS,
		      "api tokens", "api Tokens", false);
	expect_action("admin::admin-tokens.access",
		      "Access the Admin tokens settings page", RBAC_SETTINGS,
		      "admin tokens", "admin tokens", false);
	for (i = 0; i < ARRAY_SIZE(tokens); i++) {
		const char *cat = i == 0 ? "api tokens" : "admin tokens";

		snprintf(uid, sizeof(uid), "admin::%s.create", tokens[i]);
		expect_action(uid, "Create (generate)", RBAC_SETTINGS, cat,
			      "general", false);
		snprintf(uid, sizeof(uid), "admin::%s.read", tokens[i]);
		expect_action(uid, "Read", RBAC_SETTINGS, cat, "general",
			      false);
		snprintf(uid, sizeof(uid), "admin::%s.update", tokens[i]);
		expect_action(uid, "Update", RBAC_SETTINGS, cat, "general",
			      false);
		snprintf(uid, sizeof(uid), "admin::%s.regenerate", tokens[i]);
		expect_action(uid, "Regenerate", RBAC_SETTINGS, cat, "general",
			      false);
		snprintf(uid, sizeof(uid), "admin::%s.delete", tokens[i]);
		expect_action(uid, "Delete (revoke)", RBAC_SETTINGS, cat,
			      "general", false);
	}
	expect_action("admin::users.create", "Create (invite)", RBAC_SETTINGS,
		      "users and roles", "users", false);
	expect_action("admin::users.read", "Read", RBAC_SETTINGS,
		      "users and roles", "users", false);
	expect_action("admin::users.update", "Update", RBAC_SETTINGS,
		      "users and roles", "users", false);
	expect_action("admin::users.delete", "Delete", RBAC_SETTINGS,
		      "users and roles", "users", false);
	expect_action("admin::roles.create", "Create", RBAC_SETTINGS,
		      "users and roles", "roles", false);
	expect_action("admin::roles.read", "Read", RBAC_SETTINGS,
		      "users and roles", "roles", false);
	expect_action("admin::roles.update", "Update", RBAC_SETTINGS,
		      "users and roles", "roles", false);
	expect_action("admin::roles.delete", "Delete", RBAC_SETTINGS,
		      "users and roles", "roles", false);
	expect_action("admin::public-permissions.read", "Read", RBAC_SETTINGS,
		      "public access", "general", false);
	expect_action("admin::public-permissions.update", "Update",
		      RBAC_SETTINGS, "public access", "general", false);
	assert_string_equal(rbac_find(CM "create")->display_name, "Create");
	assert_string_equal(rbac_find(CM "read")->display_name, "Read");
	assert_string_equal(rbac_find(CM "update")->display_name, "Update");
	assert_string_equal(rbac_find(CM "delete")->display_name, "Delete");
	assert_string_equal(rbac_find(CM "publish")->display_name, "Publish");
	for (i = 0; i < rbac_n_actions; i++) {
		/* unique UIDs; subjects exactly for content types */
		for (j = i + 1; j < rbac_n_actions; j++)
			assert_string_not_equal(rbac_actions[i].uid,
						rbac_actions[j].uid);
		assert_int_equal(rbac_actions[i].needs_subject,
				 rbac_actions[i].section == RBAC_CONTENT_TYPES);
		assert_ptr_equal(rbac_find(rbac_actions[i].uid),
				 &rbac_actions[i]);
	}
	assert_null(rbac_find("admin::marketplace.read"));
	assert_null(rbac_find("admin::api-tokens"));
	assert_null(rbac_find("admin::api-tokens.read "));
	assert_null(rbac_find(""));
	assert_null(rbac_find(NULL));
}

static void
test_valid(void **state)
{
	struct fixture *f = *state;
	const struct schema_registry *reg = &f->reg;

	assert_true(rbac_valid(reg, "admin::api-tokens.read", NULL));
	assert_true(rbac_valid(reg, "admin::users.create", NULL));
	assert_true(rbac_valid(reg, "admin::public-permissions.update", NULL));
	/* settings actions take no subject */
	assert_false(rbac_valid(reg, "admin::api-tokens.read", ARTICLE));
	/* content-manager actions need a registered content type */
	assert_true(rbac_valid(reg, CM "read", ARTICLE));
	assert_true(rbac_valid(reg, CM "create", HOMEPAGE));
	assert_true(rbac_valid(reg, CM "delete", PRODUCT));
	assert_false(rbac_valid(reg, CM "read", NULL));
	assert_false(rbac_valid(reg, CM "read", "api::missing.missing"));
	assert_false(rbac_valid(reg, CM "read", "article"));
	assert_false(rbac_valid(NULL, CM "read", ARTICLE));
	/* publish exists for draft & publish types only */
	assert_true(rbac_valid(reg, CM "publish", POST));
	assert_false(rbac_valid(reg, CM "publish", ARTICLE));
	assert_false(rbac_valid(reg, CM "publish", HOMEPAGE));
	/* not in the catalogue */
	assert_false(rbac_valid(reg, "admin::webhooks.read", NULL));
	assert_false(rbac_valid(reg, "api::article.article.find", NULL));
	assert_false(rbac_valid(reg, NULL, NULL));
}

/* ---- sets --------------------------------------------------------------- */

/* Fill 'p' with copies (release with admin_permission_release()). */
static void
perm_fill(struct admin_permission *p, const char *action, const char *subject)
{
	memset(p, 0, sizeof(*p));
	p->action = xstrdup(action);
	p->subject = xstrdup(subject);
	p->properties = xstrdup("{}");
	p->conditions = xstrdup("[]");
}

static void
perms_release(struct admin_permission *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		admin_permission_release(&p[i]);
}

static void
test_allows(void **state)
{
	struct rbac_set s;

	(void)state;
	rbac_set_init(&s);
	assert_false(rbac_allows(&s, "admin::api-tokens.read", NULL));
	rbac_set_add(&s, "admin::api-tokens.read", NULL);
	rbac_set_add(&s, CM "read", ARTICLE);
	rbac_set_add(&s, CM "update", NULL);
	/* duplicates are ignored */
	rbac_set_add(&s, "admin::api-tokens.read", NULL);
	rbac_set_add(&s, CM "read", ARTICLE);
	assert_int_equal(s.n, 3);

	assert_true(rbac_allows(&s, "admin::api-tokens.read", NULL));
	assert_false(rbac_allows(&s, "admin::api-tokens.update", NULL));
	assert_false(rbac_allows(&s, "admin::api-tokens.read", ARTICLE));
	/* subject must be equal */
	assert_true(rbac_allows(&s, CM "read", ARTICLE));
	assert_false(rbac_allows(&s, CM "read", POST));
	assert_false(rbac_allows(&s, CM "read", NULL));
	/* a grant without a subject covers only subject-less checks */
	assert_false(rbac_allows(&s, CM "update", ARTICLE));
	assert_true(rbac_allows(&s, CM "update", NULL));
	/* exact action match, no prefixes */
	assert_false(rbac_allows(&s, "admin::api-tokens", NULL));
	assert_false(rbac_allows(&s, "admin::api-tokens.rea", NULL));
	assert_false(rbac_allows(&s, NULL, NULL));
	assert_false(rbac_allows(NULL, "admin::api-tokens.read", NULL));

	/* super admins are allowed everything, even outside the catalogue */
	s.super_admin = true;
	assert_true(rbac_allows(&s, "admin::roles.delete", NULL));
	assert_true(rbac_allows(&s, CM "publish", POST));
	assert_true(rbac_allows(&s, "anything", "at all"));

	rbac_set_release(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.grants);
	assert_false(s.super_admin);
	rbac_set_release(&s);
}

static void
test_add_permissions(void **state)
{
	struct admin_permission p[3];
	struct rbac_set s;

	(void)state;
	perm_fill(&p[0], "admin::users.read", NULL);
	perm_fill(&p[1], CM "read", POST);
	perm_fill(&p[2], CM "read", POST);
	rbac_set_init(&s);
	rbac_set_add_permissions(&s, p, ARRAY_SIZE(p));
	assert_int_equal(s.n, 2);
	assert_true(rbac_allows(&s, "admin::users.read", NULL));
	assert_true(rbac_allows(&s, CM "read", POST));
	assert_false(rbac_allows(&s, CM "read", ARTICLE));
	/* the set holds copies */
	assert_ptr_not_equal(s.grants[0].action, p[0].action);
	rbac_set_release(&s);
	perms_release(p, ARRAY_SIZE(p));
}

static void
test_covers(void **state)
{
	struct rbac_set outer, inner;

	(void)state;
	rbac_set_init(&outer);
	rbac_set_init(&inner);
	/* the empty set is covered by anything */
	assert_true(rbac_covers(&outer, &inner));
	rbac_set_add(&outer, "admin::api-tokens.read", NULL);
	rbac_set_add(&outer, CM "read", ARTICLE);
	rbac_set_add(&outer, CM "read", POST);
	rbac_set_add(&inner, CM "read", POST);
	assert_true(rbac_covers(&outer, &inner));
	assert_false(rbac_covers(&inner, &outer));
	rbac_set_add(&inner, "admin::api-tokens.read", NULL);
	assert_true(rbac_covers(&outer, &inner));
	/* same action, another subject */
	rbac_set_add(&inner, CM "read", PRODUCT);
	assert_false(rbac_covers(&outer, &inner));
	rbac_set_release(&inner);
	/* subject-less grant vs subject-bound grant */
	rbac_set_init(&inner);
	rbac_set_add(&inner, CM "read", NULL);
	assert_false(rbac_covers(&outer, &inner));
	rbac_set_release(&inner);
	/* super admins */
	rbac_set_init(&inner);
	inner.super_admin = true;
	assert_false(rbac_covers(&outer, &inner));
	outer.super_admin = true;
	assert_true(rbac_covers(&outer, &inner));
	rbac_set_add(&inner, "admin::roles.delete", NULL);
	assert_true(rbac_covers(&outer, &inner));
	rbac_set_release(&inner);
	rbac_set_release(&outer);
}

/* ---- built-in roles ----------------------------------------------------- */

/* Whether 'p' holds (action, subject) exactly once, with empty extras. */
static bool
holds_once(const struct admin_permission *p, size_t n, const char *action,
	   const char *subject)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(p[i].action, action) ||
		    strcmp(p[i].subject, subject))
			continue;
		assert_string_equal(p[i].properties, "{}");
		assert_string_equal(p[i].conditions, "[]");
		count++;
	}
	return count == 1;
}

static void
test_defaults(void **state)
{
	static const char *const types[] = {ARTICLE, HOMEPAGE, POST, PRODUCT};
	static const char *const crud[] = {CM "create", CM "read", CM "update",
					   CM "delete"};
	struct fixture *f = *state;
	struct admin_permission *p;
	size_t n, i, j;

	rbac_default_permissions(&f->reg, RBAC_EDITOR_CODE, &p, &n);
	assert_int_equal(n, 4 * 4 + 1);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		for (j = 0; j < ARRAY_SIZE(crud); j++)
			assert_true(holds_once(p, n, crud[j], types[i]));
	assert_true(holds_once(p, n, CM "publish", POST));
	for (i = 0; i < n; i++)
		assert_true(rbac_valid(&f->reg, p[i].action, p[i].subject));
	admin_permissions_free(p, n);

	rbac_default_permissions(&f->reg, RBAC_AUTHOR_CODE, &p, &n);
	assert_int_equal(n, 4 * 3);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		for (j = 0; j < 3; j++)
			assert_true(holds_once(p, n, crud[j], types[i]));
		assert_false(holds_once(p, n, CM "delete", types[i]));
		assert_false(holds_once(p, n, CM "publish", types[i]));
	}
	admin_permissions_free(p, n);

	/* Super Admin needs no rows; unknown roles get nothing */
	rbac_default_permissions(&f->reg, RBAC_SUPER_ADMIN_CODE, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	rbac_default_permissions(&f->reg, "custom-role", &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
	rbac_default_permissions(&f->reg, NULL, &p, &n);
	assert_null(p);
	assert_int_equal(n, 0);
}

/* ---- GET /admin/permissions --------------------------------------------- */

static void
expect_uids(json_t *arr, const char *const *uids, size_t n)
{
	size_t i;

	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), n);
	for (i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(arr, i)),
				    uids[i]);
}

static void
expect_ct_action(json_t *actions, size_t i, const char *label,
		 const char *action, const char *const *uids, size_t n)
{
	json_t *a = json_array_get(actions, i);

	assert_non_null(a);
	assert_int_equal(json_object_size(a), 3);
	assert_string_equal(json_string_value(json_object_get(a, "label")),
			    label);
	assert_string_equal(json_string_value(json_object_get(a, "actionId")),
			    action);
	expect_uids(json_object_get(a, "subjects"), uids, n);
}

static void
test_catalogue_json(void **state)
{
	static const char *const coll[] = {ARTICLE, POST, PRODUCT};
	static const char *const dp[] = {POST};
	static const char *const single[] = {HOMEPAGE};
	struct fixture *f = *state;
	json_t *root, *sections, *settings, *item, *ct, *actions, *subjects;
	size_t i, n_settings = 0;

	root = rbac_catalogue_json(&f->reg);
	assert_true(json_is_object(root));
	assert_int_equal(json_object_size(root), 2);
	assert_true(json_is_array(json_object_get(root, "conditions")));
	assert_int_equal(json_array_size(json_object_get(root, "conditions")),
			 0);
	sections = json_object_get(root, "sections");
	assert_int_equal(json_object_size(sections), 4);
	assert_true(json_is_array(json_object_get(sections, "plugins")));
	assert_int_equal(json_array_size(json_object_get(sections, "plugins")),
			 0);

	/* settings: one entry per settings action, in catalogue order */
	settings = json_object_get(sections, "settings");
	assert_true(json_is_array(settings));
	for (i = 0; i < rbac_n_actions; i++) {
		if (rbac_actions[i].section != RBAC_SETTINGS)
			continue;
		item = json_array_get(settings, n_settings++);
		assert_int_equal(json_object_size(item), 4);
		assert_string_equal(
		    json_string_value(json_object_get(item, "action")),
		    rbac_actions[i].uid);
		assert_string_equal(
		    json_string_value(json_object_get(item, "displayName")),
		    rbac_actions[i].display_name);
		assert_string_equal(
		    json_string_value(json_object_get(item, "category")),
		    rbac_actions[i].category);
		assert_string_equal(
		    json_string_value(json_object_get(item, "subCategory")),
		    rbac_actions[i].subcategory);
	}
	assert_int_equal(json_array_size(settings), n_settings);
	assert_true(n_settings >= 22);
	item = json_array_get(settings, 0);
	assert_string_equal(json_string_value(json_object_get(item, "action")),
			    "admin::users.create");
	assert_string_equal(
	    json_string_value(json_object_get(item, "displayName")),
	    "Create (invite)");

	/* collection types: publish lists the draft & publish types only */
	ct = json_object_get(sections, "collectionTypes");
	assert_true(json_is_object(ct));
	actions = json_object_get(ct, "actions");
	assert_int_equal(json_array_size(actions), 5);
	expect_ct_action(actions, 0, "Create", CM "create", coll, 3);
	expect_ct_action(actions, 1, "Read", CM "read", coll, 3);
	expect_ct_action(actions, 2, "Update", CM "update", coll, 3);
	expect_ct_action(actions, 3, "Delete", CM "delete", coll, 3);
	expect_ct_action(actions, 4, "Publish", CM "publish", dp, 1);
	subjects = json_object_get(ct, "subjects");
	assert_int_equal(json_array_size(subjects), 3);
	item = json_array_get(subjects, 1);
	assert_int_equal(json_object_size(item), 3);
	assert_string_equal(json_string_value(json_object_get(item, "uid")),
			    POST);
	assert_string_equal(json_string_value(json_object_get(item, "label")),
			    "Post");
	assert_true(json_is_array(json_object_get(item, "properties")));
	assert_int_equal(json_array_size(json_object_get(item, "properties")),
			 0);

	/* single types: no draft & publish one, so no publish action */
	ct = json_object_get(sections, "singleTypes");
	actions = json_object_get(ct, "actions");
	assert_int_equal(json_array_size(actions), 4);
	expect_ct_action(actions, 0, "Create", CM "create", single, 1);
	expect_ct_action(actions, 3, "Delete", CM "delete", single, 1);
	subjects = json_object_get(ct, "subjects");
	assert_int_equal(json_array_size(subjects), 1);
	item = json_array_get(subjects, 0);
	assert_string_equal(json_string_value(json_object_get(item, "uid")),
			    HOMEPAGE);
	assert_string_equal(json_string_value(json_object_get(item, "label")),
			    "Homepage");
	json_decref(root);
}

static void
test_catalogue_json_empty(void **state)
{
	struct schema_registry empty;
	json_t *root, *ct;

	(void)state;
	schema_registry_init(&empty);
	root = rbac_catalogue_json(&empty);
	ct = json_object_get(json_object_get(root, "sections"),
			     "collectionTypes");
	assert_int_equal(json_array_size(json_object_get(ct, "actions")), 0);
	assert_int_equal(json_array_size(json_object_get(ct, "subjects")), 0);
	assert_true(json_array_size(json_object_get(
			json_object_get(root, "sections"), "settings")) > 0);
	json_decref(root);
	schema_registry_release(&empty);
}

/* ---- loading a user from the store -------------------------------------- */

static void
add_role(struct store *store, struct admin_user *u, const char *name,
	 const char *code, const struct admin_permission *perms, size_t n)
{
	struct admin_role *r;

	u->roles = xrealloc(u->roles, (u->n_roles + 1) * sizeof(*u->roles));
	r = &u->roles[u->n_roles++];
	admin_role_init(r);
	r->name = xstrdup(name);
	r->code = xstrdup(code);
	if (!store)
		return;
	assert_int_equal(store_admin_role_insert(store, r), 0);
	assert_int_equal(
	    store_admin_role_set_permissions(store, r->id, perms, n), 0);
}

static void
test_load_user(void **state)
{
	struct fixture *f = *state;
	struct store_options so = {0};
	struct admin_permission pa[2], pb[2];
	struct err e = ERR_INIT;
	struct store *store = NULL;
	struct admin_user u;
	struct rbac_set set;
	char dir[64], cmd[128];
	bool super_admin = true;

	snprintf(dir, sizeof(dir), "/tmp/tg-rbac-XXXXXX");
	assert_non_null(mkdtemp(dir));
	so.client = "sqlite";
	so.filename = "data.db";
	so.project_dir = dir;
	so.busy_timeout_ms = 2000;
	assert_int_equal(store_open(&so, &store, &e), 0);
	assert_int_equal(store_sync_schema(store, &f->reg, &e), 0);

	perm_fill(&pa[0], "admin::api-tokens.read", NULL);
	perm_fill(&pa[1], CM "read", ARTICLE);
	perm_fill(&pb[0], CM "read", ARTICLE);
	perm_fill(&pb[1], CM "publish", POST);

	/* the union of two roles' rows */
	admin_user_init(&u);
	add_role(store, &u, "Reader", "tg-test-reader", pa, 2);
	add_role(store, &u, "Publisher", "tg-test-publisher", pb, 2);
	rbac_set_init(&set);
	assert_int_equal(rbac_load_user(store, &u, &super_admin, &set), 0);
	assert_false(super_admin);
	assert_false(set.super_admin);
	assert_int_equal(set.n, 3);
	assert_true(rbac_allows(&set, "admin::api-tokens.read", NULL));
	assert_true(rbac_allows(&set, CM "read", ARTICLE));
	assert_true(rbac_allows(&set, CM "publish", POST));
	assert_false(rbac_allows(&set, CM "read", POST));
	assert_false(rbac_allows(&set, "admin::api-tokens.delete", NULL));
	rbac_set_release(&set);

	/* a role without rows adds nothing; no role at all, nothing */
	admin_user_release(&u);
	admin_user_init(&u);
	add_role(store, &u, "Nobody", "tg-test-nobody", NULL, 0);
	rbac_set_init(&set);
	assert_int_equal(rbac_load_user(store, &u, &super_admin, &set), 0);
	assert_false(super_admin);
	assert_int_equal(set.n, 0);
	admin_user_release(&u);
	admin_user_init(&u);
	assert_int_equal(rbac_load_user(store, &u, &super_admin, &set), 0);
	assert_int_equal(set.n, 0);
	rbac_set_release(&set);

	/* Super Admin among the roles: everything, whatever the rest holds */
	add_role(store, &u, "Reader 2", "tg-test-reader-2", pa, 2);
	add_role(NULL, &u, "Super Admin", RBAC_SUPER_ADMIN_CODE, NULL, 0);
	rbac_set_init(&set);
	assert_int_equal(rbac_load_user(store, &u, &super_admin, &set), 0);
	assert_true(super_admin);
	assert_true(rbac_allows(&set, "admin::roles.delete", NULL));
	rbac_set_release(&set);
	admin_user_release(&u);

	perms_release(pa, ARRAY_SIZE(pa));
	perms_release(pb, ARRAY_SIZE(pb));
	store_close(store);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue),
	    TEST(test_valid),
	    cmocka_unit_test(test_allows),
	    cmocka_unit_test(test_add_permissions),
	    cmocka_unit_test(test_covers),
	    TEST(test_defaults),
	    TEST(test_catalogue_json),
	    cmocka_unit_test(test_catalogue_json_empty),
	    TEST(test_load_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
