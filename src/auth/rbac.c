/* SPDX-License-Identifier: MIT */
/*
 * rbac.c: the administration permission catalogue (Strapi's admin-actions
 * and content-manager actions that tollgate implements, plus its own
 * public-access actions) and the evaluator over granted permissions.
 * Conditions (Strapi's "is creator") are not supported: a grant allows its
 * action on its subject, nothing more and nothing less.
 */
#include "core/compat.h"
#include "auth/rbac.h"
#include "core/mem.h"

#define CM_CREATE "plugin::content-manager.explorer.create"
#define CM_READ "plugin::content-manager.explorer.read"
#define CM_UPDATE "plugin::content-manager.explorer.update"
#define CM_DELETE "plugin::content-manager.explorer.delete"
#define CM_PUBLISH "plugin::content-manager.explorer.publish"

/* clang-format off */
#define SETTING(uid, name, cat, sub)                                           \
	{ uid, name, RBAC_SETTINGS, cat, sub, false }
#define CONTENT(uid, name)                                                     \
	{ uid, name, RBAC_CONTENT_TYPES, "content types", "general", true }

/* Names and categories as Strapi's admin-actions config words them. */
const struct rbac_action rbac_actions[] = {
	SETTING("admin::users.create", "Create (invite)", "users and roles",
		"users"),
	SETTING("admin::users.read", "Read", "users and roles", "users"),
	SETTING("admin::users.update", "Update", "users and roles", "users"),
	SETTING("admin::users.delete", "Delete", "users and roles", "users"),
	SETTING("admin::roles.create", "Create", "users and roles", "roles"),
	SETTING("admin::roles.read", "Read", "users and roles", "roles"),
	SETTING("admin::roles.update", "Update", "users and roles", "roles"),
	SETTING("admin::roles.delete", "Delete", "users and roles", "roles"),
	SETTING("admin::api-tokens.access",
		"Access the API tokens settings page", "api tokens",
		"api Tokens"),
	SETTING("admin::admin-tokens.access",
		"Access the Admin tokens settings page", "admin tokens",
		"admin tokens"),
	SETTING("admin::admin-tokens.create", "Create (generate)",
		"admin tokens", "general"),
	SETTING("admin::admin-tokens.read", "Read", "admin tokens", "general"),
	SETTING("admin::admin-tokens.update", "Update", "admin tokens",
		"general"),
	SETTING("admin::admin-tokens.regenerate", "Regenerate", "admin tokens",
		"general"),
	SETTING("admin::admin-tokens.delete", "Delete (revoke)",
		"admin tokens", "general"),
	SETTING("admin::api-tokens.create", "Create (generate)", "api tokens",
		"general"),
	SETTING("admin::api-tokens.read", "Read", "api tokens", "general"),
	SETTING("admin::api-tokens.update", "Update", "api tokens", "general"),
	SETTING("admin::api-tokens.regenerate", "Regenerate", "api tokens",
		"general"),
	SETTING("admin::api-tokens.delete", "Delete (revoke)", "api tokens",
		"general"),
	/* tollgate's own: who may change the content API's public actions */
	SETTING("admin::public-permissions.read", "Read", "public access",
		"general"),
	SETTING("admin::public-permissions.update", "Update", "public access",
		"general"),
	CONTENT(CM_CREATE, "Create"),
	CONTENT(CM_READ, "Read"),
	CONTENT(CM_UPDATE, "Update"),
	CONTENT(CM_DELETE, "Delete"),
	CONTENT(CM_PUBLISH, "Publish"),
};
/* clang-format on */
const size_t rbac_n_actions = ARRAY_SIZE(rbac_actions);

/* The built-in roles' content-manager actions (rbac_default_permissions). */
static const char *const editor_actions[] = {CM_CREATE, CM_READ, CM_UPDATE,
					     CM_DELETE, CM_PUBLISH};
static const char *const author_actions[] = {CM_CREATE, CM_READ, CM_UPDATE};

const struct rbac_action *
rbac_find(const char *uid)
{
	size_t i;

	if (!uid)
		return NULL;
	for (i = 0; i < rbac_n_actions; i++)
		if (strcmp(rbac_actions[i].uid, uid) == 0)
			return &rbac_actions[i];
	return NULL;
}

/*
 * Whether subject-bound action 'uid' applies to 'ct'. As in Strapi, publish
 * exists only for draft & publish types.
 */
static bool
applies_to(const char *uid, const struct content_type *ct)
{
	if (strcmp(uid, CM_PUBLISH) == 0)
		return ct->draft_publish;
	return true;
}

bool
rbac_valid(const struct schema_registry *reg, const char *action,
	   const char *subject)
{
	const struct rbac_action *a = rbac_find(action);
	const struct content_type *ct;

	if (!a)
		return false;
	if (!a->needs_subject)
		return subject == NULL;
	if (!subject || !reg)
		return false;
	ct = schema_find_uid(reg, subject);
	return ct && applies_to(a->uid, ct);
}

/* ---- permission sets --------------------------------------------------- */

static bool
subject_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void
rbac_set_init(struct rbac_set *s)
{
	s->super_admin = false;
	s->grants = NULL;
	s->n = 0;
	s->alloc = 0;
}

void
rbac_set_release(struct rbac_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->grants[i].action);
		free(s->grants[i].subject);
	}
	free(s->grants);
	rbac_set_init(s);
}

/* Whether 's' holds the grant (action, subject) itself. */
static bool
has_grant(const struct rbac_set *s, const char *action, const char *subject)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->grants[i].action, action) == 0 &&
		    subject_equal(s->grants[i].subject, subject))
			return true;
	return false;
}

void
rbac_set_add(struct rbac_set *s, const char *action, const char *subject)
{
	struct rbac_grant *g;

	if (!action)
		BUG("rbac_set_add: no action");
	if (has_grant(s, action, subject))
		return;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		s->grants = xrealloc(s->grants, s->alloc * sizeof(*s->grants));
	}
	g = &s->grants[s->n++];
	g->action = xstrdup(action);
	g->subject = xstrdup(subject);
}

void
rbac_set_add_permissions(struct rbac_set *s, const struct admin_permission *p,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rbac_set_add(s, p[i].action, p[i].subject);
}

bool
rbac_allows(const struct rbac_set *s, const char *action, const char *subject)
{
	if (!s || !action)
		return false;
	return s->super_admin || has_grant(s, action, subject);
}

bool
rbac_covers(const struct rbac_set *outer, const struct rbac_set *inner)
{
	size_t i;

	if (outer->super_admin)
		return true;
	if (inner->super_admin)
		return false;
	for (i = 0; i < inner->n; i++)
		if (!rbac_allows(outer, inner->grants[i].action,
				 inner->grants[i].subject))
			return false;
	return true;
}

/* ---- GET /admin/permissions -------------------------------------------- */

/* A settings or plugins entry: {displayName, category, subCategory, action}. */
static json_t *
action_entry(const struct rbac_action *a)
{
	json_t *o = json_object();
	const char *dot;

	json_object_set_new(o, "displayName", json_string(a->display_name));
	json_object_set_new(o, "category", json_string(a->category));
	json_object_set_new(o, "subCategory", json_string(a->subcategory));
	if (a->section == RBAC_PLUGINS) {
		/* "plugin::content-manager.x.y" -> "plugin::content-manager" */
		dot = strchr(a->uid, '.');
		json_object_set_new(
		    o, "plugin",
		    dot ? json_stringn(a->uid, (size_t)(dot - a->uid))
			: json_string(a->uid));
	}
	json_object_set_new(o, "action", json_string(a->uid));
	return o;
}

static json_t *
section_list(enum rbac_section section)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < rbac_n_actions; i++)
		if (rbac_actions[i].section == section)
			json_array_append_new(list,
					      action_entry(&rbac_actions[i]));
	return list;
}

/*
 * {"actions":[{label, actionId, subjects:[uid...]}],
 *  "subjects":[{uid, label, properties:[]}]} for the collection types or
 * the single types of 'reg'. An action that applies to none of them is
 * left out, as Strapi does.
 */
static json_t *
content_section(const struct schema_registry *reg, bool single)
{
	json_t *section = json_object();
	json_t *actions = json_array();
	json_t *subjects = json_array();
	json_t *uids, *o;
	const struct content_type *ct;
	size_t i, j, n_types = reg ? reg->n_types : 0;

	for (i = 0; i < rbac_n_actions; i++) {
		if (rbac_actions[i].section != RBAC_CONTENT_TYPES)
			continue;
		uids = json_array();
		for (j = 0; j < n_types; j++) {
			ct = &reg->types[j];
			if (ct->single == single &&
			    applies_to(rbac_actions[i].uid, ct))
				json_array_append_new(uids,
						      json_string(ct->uid));
		}
		if (json_array_size(uids) == 0) {
			json_decref(uids);
			continue;
		}
		o = json_object();
		json_object_set_new(o, "label",
				    json_string(rbac_actions[i].display_name));
		json_object_set_new(o, "actionId",
				    json_string(rbac_actions[i].uid));
		json_object_set_new(o, "subjects", uids);
		json_array_append_new(actions, o);
	}
	for (j = 0; j < n_types; j++) {
		ct = &reg->types[j];
		if (ct->single != single)
			continue;
		o = json_object();
		json_object_set_new(o, "uid", json_string(ct->uid));
		json_object_set_new(
		    o, "label",
		    json_string(ct->display_name ? ct->display_name : ct->uid));
		json_object_set_new(o, "properties", json_array());
		json_array_append_new(subjects, o);
	}
	json_object_set_new(section, "actions", actions);
	json_object_set_new(section, "subjects", subjects);
	return section;
}

json_t *
rbac_catalogue_json(const struct schema_registry *reg)
{
	json_t *sections = json_object();
	json_t *root = json_object();

	json_object_set_new(sections, "collectionTypes",
			    content_section(reg, false));
	json_object_set_new(sections, "singleTypes",
			    content_section(reg, true));
	json_object_set_new(sections, "plugins", section_list(RBAC_PLUGINS));
	json_object_set_new(sections, "settings", section_list(RBAC_SETTINGS));
	json_object_set_new(root, "conditions", json_array());
	json_object_set_new(root, "sections", sections);
	return root;
}

/* ---- built-in roles and users ------------------------------------------ */

void
rbac_default_permissions(const struct schema_registry *reg,
			 const char *role_code, struct admin_permission **out,
			 size_t *n)
{
	const char *const *actions = NULL;
	struct admin_permission *p;
	size_t n_actions = 0, n_types = reg ? reg->n_types : 0;
	size_t i, j, count = 0;

	*out = NULL;
	*n = 0;
	if (role_code && strcmp(role_code, RBAC_EDITOR_CODE) == 0) {
		actions = editor_actions;
		n_actions = ARRAY_SIZE(editor_actions);
	} else if (role_code && strcmp(role_code, RBAC_AUTHOR_CODE) == 0) {
		actions = author_actions;
		n_actions = ARRAY_SIZE(author_actions);
	}
	for (i = 0; i < n_types; i++)
		for (j = 0; j < n_actions; j++)
			if (applies_to(actions[j], &reg->types[i]))
				count++;
	if (count == 0)
		return;
	p = xcalloc(count, sizeof(*p));
	*out = p;
	*n = count;
	for (i = 0; i < n_types; i++) {
		for (j = 0; j < n_actions; j++) {
			if (!applies_to(actions[j], &reg->types[i]))
				continue;
			p->action = xstrdup(actions[j]);
			p->subject = xstrdup(reg->types[i].uid);
			p->properties = xstrdup("{}");
			p->conditions = xstrdup("[]");
			p++;
		}
	}
}

int
rbac_load_user(struct store *store, const struct admin_user *u,
	       bool *super_admin, struct rbac_set *perms)
{
	struct admin_permission *p;
	size_t i, n;
	int ret;

	*super_admin = false;
	for (i = 0; i < u->n_roles; i++) {
		if (u->roles[i].code &&
		    strcmp(u->roles[i].code, RBAC_SUPER_ADMIN_CODE) == 0) {
			*super_admin = true;
			perms->super_admin = true;
			return 0;
		}
	}
	for (i = 0; i < u->n_roles; i++) {
		p = NULL;
		n = 0;
		ret =
		    store_admin_role_permissions(store, u->roles[i].id, &p, &n);
		if (ret)
			return ret;
		rbac_set_add_permissions(perms, p, n);
		admin_permissions_free(p, n);
	}
	return 0;
}
