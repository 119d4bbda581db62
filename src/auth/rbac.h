/* SPDX-License-Identifier: MIT */
/*
 * rbac.h: the administration permission catalogue and the evaluator that
 * decides whether a set of granted permissions allows an action.
 *
 * Actions are Strapi's UIDs: "admin::api-tokens.read",
 * "plugin::content-manager.explorer.read" (with a content type UID as the
 * subject), ... The catalogue (rbac_actions[]) is static; content-manager
 * actions apply to every content type of the registry.
 *
 * Super admins (role code "strapi-super-admin") are allowed everything and
 * need no permission rows.
 */
#ifndef AUTH_RBAC_H
#define AUTH_RBAC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "schema/schema.h"
#include "storage/store.h"

#define RBAC_SUPER_ADMIN_CODE "strapi-super-admin"
#define RBAC_EDITOR_CODE "strapi-editor"
#define RBAC_AUTHOR_CODE "strapi-author"

enum rbac_section {
	RBAC_SETTINGS,     /* settings pages: api tokens, admin tokens, users, roles */
	RBAC_PLUGINS,
	RBAC_CONTENT_TYPES /* content-manager actions, subject required */
};

struct rbac_action {
	const char *uid;          /* "admin::api-tokens.create" */
	const char *display_name; /* "Create (generate)" */
	enum rbac_section section;
	const char *category;     /* "api tokens" */
	const char *subcategory;  /* "general" */
	bool needs_subject;       /* content-manager actions */
};

extern const struct rbac_action rbac_actions[];
extern const size_t rbac_n_actions;

/* The catalogue entry for 'uid', or NULL. */
const struct rbac_action *rbac_find(const char *uid);

/*
 * Whether (action, subject) names a real permission: a catalogue action,
 * and for content-manager actions a subject that is a content type of
 * 'reg' (NULL subject otherwise). As in Strapi, ".explorer.publish" only
 * exists for draft & publish types.
 */
bool rbac_valid(const struct schema_registry *reg, const char *action,
		const char *subject);

/* A compiled set of granted permissions. */
struct rbac_set {
	bool super_admin;
	struct rbac_grant {
		char *action;
		char *subject; /* NULL: no subject */
	} *grants;
	size_t n, alloc;
};

void rbac_set_init(struct rbac_set *s);
void rbac_set_release(struct rbac_set *s);
/* Grant (action, subject); both copied; duplicates are ignored. */
void rbac_set_add(struct rbac_set *s, const char *action, const char *subject);
void rbac_set_add_permissions(struct rbac_set *s,
			      const struct admin_permission *p, size_t n);

/*
 * Whether 's' allows 'action' on 'subject' (NULL for actions without a
 * subject). A grant without a subject does not cover a subject-bound check.
 */
bool rbac_allows(const struct rbac_set *s, const char *action,
		 const char *subject);

/* Whether every grant of 'inner' is allowed by 'outer' (the admin-token ceiling). */
bool rbac_covers(const struct rbac_set *outer, const struct rbac_set *inner);

/*
 * GET /admin/permissions: a new object
 *   {"conditions":[], "sections":{"settings":[...], "plugins":[...],
 *    "collectionTypes":{...}, "singleTypes":{...}}}
 * listing each action with its displayName, category and subcategory, and
 * for content types the subjects ({uid, label}):
 *   settings/plugins: [{displayName, category, subCategory, action}]
 *     (plugins entries also carry "plugin")
 *   collectionTypes/singleTypes: {"actions":[{label, actionId,
 *     subjects:[uid...]}], "subjects":[{uid, label, properties:[]}]};
 *     an action that applies to none of the kind's types is left out.
 */
json_t *rbac_catalogue_json(const struct schema_registry *reg);

/*
 * The permissions of the built-in roles, for seeding the store: Editor and
 * Author get the content-manager actions on every content type (Author:
 * read/create/update on every type — Strapi limits it to their own
 * entries, which needs creator tracking we do not keep; documented).
 * Publish only on draft & publish types. Other roles get nothing ('*out'
 * NULL, '*n' 0). Rows have "{}" properties and "[]" conditions.
 * '*out' is a new array of n permissions (admin_permissions_free()).
 */
void rbac_default_permissions(const struct schema_registry *reg,
			      const char *role_code,
			      struct admin_permission **out, size_t *n);

/*
 * Load what user 'u' (with u->roles loaded) may do: '*super_admin' when one
 * of their roles is Super Admin, else the union of their roles' permission
 * rows added to 'perms' (initialised by the caller). For a Super Admin
 * perms->super_admin is set too and no rows are read. 0 or a store error.
 */
int rbac_load_user(struct store *store, const struct admin_user *u,
		   bool *super_admin, struct rbac_set *perms);

#endif
