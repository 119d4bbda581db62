/* SPDX-License-Identifier: MIT */
/*
 * admin_token.c: the admin-token half of the token service (spec §2.9):
 * tokens of kind "admin", owned by an administrator, holding a subset of
 * the owner's permissions. Keys, hashing, encryption, lifespans and expiry
 * are shared with API tokens (token_internal.h).
 */
#include "core/compat.h"
#include "auth/token_internal.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"

static const char *const update_keys[] = { "name", "description", "lifespan",
					   "adminPermissions",
					   "adminUserOwner" };

json_t *
admin_permission_json(const struct admin_permission *p)
{
	json_t *o = json_object(), *v;

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "action", json_string(p->action));
	json_object_set_new(o, "actionParameters", json_object());
	json_object_set_new(o, "subject",
			    p->subject ? json_string(p->subject) : json_null());
	v = p->properties ? json_loads(p->properties, 0, NULL) : NULL;
	json_object_set_new(o, "properties", v ? v : json_object());
	v = p->conditions ? json_loads(p->conditions, 0, NULL) : NULL;
	json_object_set_new(o, "conditions", v ? v : json_array());
	return o;
}

static json_t *
owner_json(const struct admin_user *u)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "firstname", u->firstname ? json_string(u->firstname)
							: json_null());
	json_object_set_new(o, "lastname", u->lastname ? json_string(u->lastname)
						      : json_null());
	json_object_set_new(o, "username", u->username ? json_string(u->username)
						      : json_null());
	json_object_set_new(o, "email", json_string(u->email ? u->email : ""));
	return o;
}

static bool
is_admin_token(const struct token_row *t)
{
	return t->kind == TOKEN_KIND_ADMIN;
}

static int
not_found(struct err *e)
{
	return err_set(e, ERR_NOT_FOUND, "API Token not found");
}

static int
forbidden(struct err *e)
{
	return err_set(e, ERR_FORBIDDEN, "Forbidden");
}

/* What the owner may do now (their roles' permissions). */
static int
owner_perms(struct token_service *ts, int64_t owner_id, struct admin_user *u,
	    bool *super_admin, struct rbac_set *perms)
{
	int rc = store_admin_user_get(ts->store, owner_id, u);

	if (rc < 0)
		return rc;
	return rbac_load_user(ts->store, u, super_admin, perms);
}

/*
 * The token's permission rows that its owner still holds (the ceiling is
 * applied again at every use, so a role change re-clamps at once).
 */
static void
clamp(struct admin_permission *p, size_t *n, bool owner_super,
      const struct rbac_set *owner)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++) {
		if (owner_super || rbac_allows(owner, p[i].action, p[i].subject))
			p[k++] = p[i];
		else
			admin_permission_release(&p[i]);
	}
	*n = k;
}

/* The token object, permissions clamped to the owner's. */
static int
admin_token_json(struct token_service *ts, const struct token_row *t,
		 json_t **out, struct err *e)
{
	struct admin_user owner;
	struct admin_permission *perms = NULL;
	struct rbac_set os;
	bool osuper = false;
	char life[32];
	size_t n = 0, i;
	json_t *o, *jp;
	int rc;

	admin_user_init(&owner);
	rbac_set_init(&os);
	rc = owner_perms(ts, t->owner_id, &owner, &osuper, &os);
	if (rc == 0)
		rc = store_token_admin_permissions(ts->store, t->id, &perms, &n);
	if (rc < 0 && rc != ERR_NOT_FOUND) {
		rc = tok_storage_failed(rc, e);
		goto out;
	}
	clamp(perms, &n, osuper, &os);
	o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "kind", json_string("admin"));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "description",
			    json_string(t->description ? t->description : ""));
	json_object_set_new(o, "lastUsedAt", tok_time_json(t->last_used_at));
	snprintf(life, sizeof(life), "%lld", (long long)t->lifespan);
	json_object_set_new(o, "lifespan",
			    t->lifespan ? json_string(life) : json_null());
	json_object_set_new(o, "expiresAt", tok_time_json(t->expires_at));
	json_object_set_new(o, "createdAt", tok_time_json(t->created_at));
	json_object_set_new(o, "updatedAt", tok_time_json(t->updated_at));
	jp = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(jp, admin_permission_json(&perms[i]));
	json_object_set_new(o, "adminPermissions", jp);
	json_object_set_new(o, "adminUserOwner",
			    owner.id ? owner_json(&owner) : json_null());
	*out = o;
	rc = 0;
out:
	admin_permissions_free(perms, n);
	rbac_set_release(&os);
	admin_user_release(&owner);
	return rc;
}

/*
 * Parse and check "adminPermissions" against the catalogue and the
 * ceiling 'cap' (NULL: no ceiling). '*out' is a new array of n rows.
 */
static int
parse_admin_permissions(struct token_service *ts, json_t *v,
			const struct rbac_set *cap, bool cap_super,
			struct admin_permission **out, size_t *n,
			struct err *e)
{
	struct buf exceeding = BUF_INIT;
	struct admin_permission *p;
	size_t i, k = 0;
	json_t *item;
	int ret = 0;

	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return err_set(e, ERR_VALIDATION,
			       "adminPermissions must be a `array` type");
	p = xcalloc(json_array_size(v) + 1, sizeof(*p));
	json_array_foreach(v, i, item) {
		const char *action = json_string_value(json_object_get(item, "action"));
		const char *subject = json_string_value(json_object_get(item, "subject"));
		json_t *props = json_object_get(item, "properties");

		if (!action) {
			ret = err_set(e, ERR_VALIDATION,
				      "adminPermissions[%zu].action is a required field", i);
			goto fail;
		}
		if (!rbac_valid(ts->reg, action, subject)) {
			ret = err_set(e, ERR_VALIDATION,
				      "Unknown admin action: %.200s", action);
			goto fail;
		}
		if (cap && !cap_super && !rbac_allows(cap, action, subject)) {
			if (exceeding.len)
				buf_addstr(&exceeding, ", ");
			buf_addstr(&exceeding, action);
			if (subject)
				buf_addf(&exceeding, " (%s)", subject);
			continue;
		}
		p[k].action = xstrdup(action);
		p[k].subject = xstrdup(subject);
		p[k].properties = json_is_object(props)
					  ? json_dumps(props, JSON_COMPACT)
					  : xstrdup("{}");
		/* conditions come from the owner's role, never the request */
		p[k].conditions = xstrdup("[]");
		k++;
	}
	if (exceeding.len) {
		ret = err_set(e, ERR_VALIDATION,
			      "Cannot assign admin permissions that exceed your "
			      "own. Exceeding: %.400s",
			      exceeding.ptr);
		goto fail;
	}
	buf_release(&exceeding);
	*out = p;
	*n = k;
	return 0;
fail:
	buf_release(&exceeding);
	admin_permissions_free(p, k);
	return ret;
}

static int
refuse_content_api_fields(json_t *body, struct err *e)
{
	if (json_object_get(body, "type"))
		return err_set(e, ERR_BAD_REQUEST,
			       "Type is not allowed for admin tokens");
	if (json_object_get(body, "permissions"))
		return err_set(e, ERR_BAD_REQUEST,
			       "Permissions are not allowed for admin tokens");
	return 0;
}

int
token_service_admin_create(struct token_service *ts, json_t *body,
			   const struct token_caller *c, json_t **out,
			   struct err *e)
{
	char key[CRYPTO_KEY_HEX_LEN + 1] = "";
	struct admin_permission *perms = NULL;
	struct err ve = ERR_INIT;
	struct token_row t;
	int64_t lifespan = 0, now;
	size_t n = 0;
	bool in_tx = false;
	int ret, rc;

	*out = NULL;
	token_row_init(&t);
	if (!json_is_object(body))
		body = NULL;
	ret = refuse_content_api_fields(body, e);
	if (ret < 0)
		goto out;
	t.kind = TOKEN_KIND_ADMIN;
	t.type = TOKEN_READ_ONLY; /* unused for admin tokens */
	t.owner_id = c->user_id;
	t.name = tok_lodash_trim(json_object_get(body, "name"));
	t.description = tok_lodash_trim(json_object_get(body, "description"));
	tok_check_name(&ve, t.name, true);
	tok_check_lifespan(&ve, json_object_get(body, "lifespan"), &lifespan);
	ret = err_finish_validation(&ve);
	if (ret < 0) {
		err_move(e, &ve);
		goto out;
	}
	ret = parse_admin_permissions(ts, json_object_get(body, "adminPermissions"),
				      c->perms, c->super_admin, &perms, &n, e);
	if (ret < 0)
		goto out;
	rc = store_begin(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = true;
	ret = tok_name_taken(ts, t.name, 0, -1, e);
	if (ret < 0)
		goto out;
	ret = tok_new_key(ts, &t, key, e);
	if (ret < 0)
		goto out;
	now = time_now_ms();
	t.lifespan = lifespan;
	t.expires_at = lifespan ? now + lifespan : TIME_NULL;
	t.created_at = t.updated_at = now;
	rc = store_token_insert(ts->store, &t);
	if (rc == 0)
		rc = store_token_set_admin_permissions(ts->store, t.id, perms, n);
	if (rc == 0)
		rc = store_commit(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = false;
	ret = admin_token_json(ts, &t, out, e);
	if (ret == 0)
		json_object_set_new(*out, "accessKey", json_string(key));
out:
	if (in_tx)
		store_rollback(ts->store);
	secret_wipe(key, sizeof(key));
	admin_permissions_free(perms, n);
	token_row_release(&t);
	err_release(&ve);
	return ret;
}

int
token_service_admin_list(struct token_service *ts,
			 const struct token_caller *c, json_t **out,
			 struct err *e)
{
	struct token_row *rows = NULL;
	size_t n = 0, i;
	json_t *item;
	int rc, ret = 0;

	token_service_sync(ts); /* queued lastUsedAt writes first */
	*out = NULL;
	rc = store_token_list(ts->store, TOKEN_KIND_ADMIN, &rows, &n);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	*out = json_array();
	for (i = 0; i < n; i++) {
		if (ret == 0 && (c->super_admin || rows[i].owner_id == c->user_id)) {
			ret = admin_token_json(ts, &rows[i], &item, e);
			if (ret == 0)
				json_array_append_new(*out, item);
		}
		token_row_release(&rows[i]);
	}
	free(rows);
	if (ret < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return ret;
}

/* Load admin token 'id'; ERR_NOT_FOUND for a missing or content-API one. */
static int
load(struct token_service *ts, int64_t id, struct token_row *t, struct err *e)
{
	int rc = store_token_get(ts->store, id, t);

	if (rc == ERR_NOT_FOUND || (rc == 0 && !is_admin_token(t)))
		return not_found(e);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	return 0;
}

int
token_service_admin_get(struct token_service *ts, int64_t id,
			const struct token_caller *c, json_t **out,
			struct err *e)
{
	struct token_row t;
	char *plain = NULL;
	int ret;

	token_service_sync(ts); /* queued lastUsedAt writes first */
	*out = NULL;
	token_row_init(&t);
	ret = load(ts, id, &t, e);
	if (ret == 0 && !c->super_admin && t.owner_id != c->user_id)
		ret = not_found(e); /* hide that it exists */
	if (ret == 0)
		ret = admin_token_json(ts, &t, out, e);
	if (ret == 0 && t.owner_id == c->user_id && t.encrypted_key) {
		if (ts->enc_key &&
		    crypto_decrypt_v1(ts->enc_key, t.encrypted_key, &plain) == 0) {
			json_object_set_new(*out, "accessKey", json_string(plain));
			secret_free(plain);
		} else {
			json_object_set_new(*out, "accessKey", json_null());
		}
	}
	token_row_release(&t);
	return ret;
}

int
token_service_admin_update(struct token_service *ts, int64_t id, json_t *body,
			   const struct token_caller *c, json_t **out,
			   struct err *e)
{
	struct admin_permission *perms = NULL;
	struct admin_user owner;
	struct rbac_set os;
	struct err ve = ERR_INIT;
	struct token_row t;
	json_t *jname, *jdesc, *jlife, *jperms, *jowner;
	unsigned flags = 0;
	int64_t lifespan = 0, now;
	bool osuper = false, in_tx = false;
	size_t n = 0;
	char *name = NULL;
	int ret, rc;

	token_service_sync(ts); /* queued lastUsedAt writes first */
	*out = NULL;
	token_row_init(&t);
	admin_user_init(&owner);
	rbac_set_init(&os);
	if (!json_is_object(body))
		body = NULL;
	jname = json_object_get(body, "name");
	jdesc = json_object_get(body, "description");
	jlife = json_object_get(body, "lifespan");
	jperms = json_object_get(body, "adminPermissions");
	jowner = json_object_get(body, "adminUserOwner");
	if (jname) {
		name = tok_lodash_trim(jname);
		tok_check_name(&ve, name, false);
	}
	if (jlife)
		tok_check_lifespan(&ve, jlife, &lifespan);
	if (body)
		tok_check_unknown_keys(body, update_keys, ARRAY_SIZE(update_keys),
				       &ve);
	ret = err_finish_validation(&ve);
	if (ret < 0) {
		err_move(e, &ve);
		goto out;
	}
	ret = load(ts, id, &t, e);
	if (ret < 0)
		goto out;
	if (!c->super_admin && t.owner_id != c->user_id) {
		ret = forbidden(e);
		goto out;
	}
	if (jowner && !json_is_null(jowner)) {
		json_t *oid = json_is_object(jowner) ? json_object_get(jowner, "id")
						     : jowner;

		if (!json_is_integer(oid) || json_integer_value(oid) != t.owner_id) {
			ret = err_set(e, ERR_VALIDATION,
				      "adminUserOwner cannot be changed on update");
			goto out;
		}
	}
	if (jperms) {
		rc = owner_perms(ts, t.owner_id, &owner, &osuper, &os);
		if (rc < 0) {
			ret = tok_storage_failed(rc, e);
			goto out;
		}
		ret = parse_admin_permissions(ts, jperms, &os, osuper, &perms,
					      &n, e);
		if (ret < 0)
			goto out;
	}
	rc = store_begin(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = true;
	if (name) {
		ret = tok_name_taken(ts, name, id, -1, e);
		if (ret < 0)
			goto out;
		free(t.name);
		t.name = name;
		name = NULL;
		flags |= TOKEN_UPD_NAME;
	}
	if (jdesc) {
		free(t.description);
		t.description = tok_lodash_trim(jdesc);
		flags |= TOKEN_UPD_DESCRIPTION;
	}
	now = time_now_ms();
	if (jlife) {
		t.lifespan = lifespan;
		t.expires_at = lifespan ? now + lifespan : TIME_NULL;
		flags |= TOKEN_UPD_LIFESPAN;
	}
	t.updated_at = now;
	rc = store_token_update(ts->store, &t, flags);
	if (rc == 0 && jperms)
		rc = store_token_set_admin_permissions(ts->store, t.id, perms, n);
	if (rc == 0)
		rc = store_commit(ts->store);
	if (rc < 0) {
		ret = rc == ERR_NOT_FOUND ? not_found(e) : tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = false;
	ret = admin_token_json(ts, &t, out, e);
out:
	if (in_tx)
		store_rollback(ts->store);
	free(name);
	admin_permissions_free(perms, n);
	rbac_set_release(&os);
	admin_user_release(&owner);
	token_row_release(&t);
	err_release(&ve);
	return ret;
}

int
token_service_admin_regenerate(struct token_service *ts, int64_t id,
			       const struct token_caller *c, json_t **out,
			       struct err *e)
{
	char key[CRYPTO_KEY_HEX_LEN + 1] = "";
	struct token_row t;
	int ret, rc;

	token_service_sync(ts); /* queued lastUsedAt writes first */
	*out = NULL;
	token_row_init(&t);
	ret = load(ts, id, &t, e);
	if (ret == 0 && t.owner_id != c->user_id)
		ret = forbidden(e); /* the owner only, even for super admins */
	if (ret == 0)
		ret = tok_new_key(ts, &t, key, e);
	if (ret == 0) {
		t.updated_at = time_now_ms();
		rc = store_token_update(ts->store, &t, TOKEN_UPD_KEY);
		if (rc < 0)
			ret = rc == ERR_NOT_FOUND ? not_found(e)
						  : tok_storage_failed(rc, e);
	}
	if (ret == 0)
		*out = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)t.id,
				 "accessKey", key, "kind", "admin");
	secret_wipe(key, sizeof(key));
	token_row_release(&t);
	return ret;
}

int
token_service_admin_delete(struct token_service *ts, int64_t id,
			   const struct token_caller *c, json_t **out,
			   struct err *e)
{
	struct token_row t;
	int ret, rc;

	token_service_sync(ts); /* queued lastUsedAt writes first */
	*out = NULL;
	token_row_init(&t);
	ret = load(ts, id, &t, e);
	if (ret == 0 && !c->super_admin && t.owner_id != c->user_id)
		ret = forbidden(e);
	if (ret == 0)
		ret = admin_token_json(ts, &t, out, e);
	if (ret == 0) {
		rc = store_token_delete(ts->store, id);
		if (rc < 0) {
			json_decref(*out);
			*out = NULL;
			ret = rc == ERR_NOT_FOUND ? not_found(e)
						  : tok_storage_failed(rc, e);
		}
	}
	token_row_release(&t);
	return ret;
}

int
token_service_admin_owner_permissions(struct token_service *ts, int64_t id,
				      const struct token_caller *c,
				      json_t **out, struct err *e)
{
	struct admin_permission *perms = NULL;
	struct admin_user owner;
	struct token_row t;
	size_t n = 0, i, r;
	int ret, rc = 0;

	*out = NULL;
	token_row_init(&t);
	admin_user_init(&owner);
	ret = load(ts, id, &t, e);
	if (ret == ERR_NOT_FOUND)
		ret = err_set(e, ERR_NOT_FOUND, "apiToken.notFound");
	if (ret == 0 && !c->super_admin && t.owner_id != c->user_id)
		ret = forbidden(e);
	if (ret == 0)
		rc = store_admin_user_get(ts->store, t.owner_id, &owner);
	if (ret == 0 && rc < 0)
		ret = rc == ERR_NOT_FOUND ? not_found(e) : tok_storage_failed(rc, e);
	if (ret == 0) {
		*out = json_array();
		for (r = 0; r < owner.n_roles && ret == 0; r++) {
			rc = store_admin_role_permissions(ts->store,
							  owner.roles[r].id,
							  &perms, &n);
			if (rc < 0) {
				ret = tok_storage_failed(rc, e);
				break;
			}
			for (i = 0; i < n; i++)
				json_array_append_new(*out,
						      admin_permission_json(&perms[i]));
			admin_permissions_free(perms, n);
			perms = NULL;
			n = 0;
		}
		if (ret < 0) {
			json_decref(*out);
			*out = NULL;
		}
	}
	admin_user_release(&owner);
	token_row_release(&t);
	return ret;
}

int
token_service_authenticate_admin(struct token_service *ts, const char *token,
				 size_t len, int64_t *token_id,
				 struct admin_user *owner, struct rbac_set *perms,
				 struct err *e)
{
	char hash[CRYPTO_HASH_HEX_LEN + 1];
	struct admin_permission *p = NULL;
	struct rbac_set os;
	struct token_row t;
	bool osuper = false;
	size_t n = 0;
	int64_t now;
	int rc, ret = AUTH_DECLINED;

	if (len > TOKEN_MAX_BEARER_LEN)
		return AUTH_DECLINED;
	if (crypto_hmac_sha512_hex(ts->salt, ts->salt_len, token, len, hash) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	token_row_init(&t);
	rbac_set_init(&os);
	rc = store_token_get_by_hash(ts->store, hash, &t);
	secret_wipe(hash, sizeof(hash));
	if (rc == ERR_NOT_FOUND || (rc == 0 && !is_admin_token(&t)))
		goto out; /* not an admin token: declined, as Strapi's strategy */
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	now = time_now_ms();
	if (t.expires_at != TIME_NULL && t.expires_at < now) {
		ret = err_set(e, ERR_UNAUTHORIZED, "Token expired");
		goto out;
	}
	rc = owner_perms(ts, t.owner_id, owner, &osuper, &os);
	if (rc == ERR_NOT_FOUND) {
		ret = err_set(e, ERR_UNAUTHORIZED, "Token owner not found");
		goto out;
	}
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	if (!owner->is_active || owner->blocked) {
		ret = err_set(e, ERR_UNAUTHORIZED, "Token owner is deactivated");
		goto out;
	}
	rc = store_token_admin_permissions(ts->store, t.id, &p, &n);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	clamp(p, &n, osuper, &os);
	rbac_set_add_permissions(perms, p, n);
	admin_permissions_free(p, n);
	/* queued for the background writer: no write on this thread */
	if (t.last_used_at == TIME_NULL ||
	    now - t.last_used_at >= TOKEN_LAST_USED_MIN_AGE)
		tok_touch_later(ts, t.id, now);
	*token_id = t.id;
	ret = AUTH_OK;
out:
	rbac_set_release(&os);
	token_row_release(&t);
	return ret;
}

int
token_service_admin_reclamp(struct token_service *ts, int64_t owner_id,
			    struct err *e)
{
	struct admin_permission *perms = NULL;
	struct token_row *rows = NULL;
	struct admin_user owner;
	struct rbac_set os;
	bool osuper;
	size_t n = 0, np, before, i;
	int rc;

	rc = store_token_list(ts->store, TOKEN_KIND_ADMIN, &rows, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		if (owner_id && rows[i].owner_id != owner_id)
			continue;
		admin_user_init(&owner);
		rbac_set_init(&os);
		osuper = false;
		np = 0;
		rc = owner_perms(ts, rows[i].owner_id, &owner, &osuper, &os);
		if (rc == 0)
			rc = store_token_admin_permissions(ts->store, rows[i].id,
							   &perms, &np);
		if (rc == 0) {
			before = np;
			clamp(perms, &np, osuper, &os);
			if (np != before)
				rc = store_token_set_admin_permissions(
					ts->store, rows[i].id, perms, np);
		}
		if (rc == ERR_NOT_FOUND)
			rc = 0; /* owner or token went meanwhile */
		admin_permissions_free(perms, np);
		perms = NULL;
		rbac_set_release(&os);
		admin_user_release(&owner);
	}
	for (i = 0; i < n; i++)
		token_row_release(&rows[i]);
	free(rows);
	return rc < 0 ? tok_storage_failed(rc, e) : 0;
}
