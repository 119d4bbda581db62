/* SPDX-License-Identifier: MIT */
/*
 * api_token.c: the token service. Management follows Strapi 5's admin
 * controllers and validators (messages included); authentication follows
 * its content-api-token strategy. What it deliberately does differently is
 * written in docs/internals/TOKENS.md.
 */
#include "core/compat.h"
#include "core/str.h"
#include "auth/api_token.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "auth/token_internal.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>


static atomic_uint_fast64_t service_serial;

static const char *const type_names[] = { "read-only", "full-access",
					  "custom" };
static const int64_t lifespans[] = { TOKEN_LIFESPAN_7D, TOKEN_LIFESPAN_30D,
				     TOKEN_LIFESPAN_90D };
#define LIFESPAN_ONEOF                                                        \
	"lifespan must be one of the following values: , 604800000, "          \
	"2592000000, 7776000000"
#define TYPE_ONEOF                                                            \
	"type must be one of the following values: read-only, full-access, "   \
	"custom"

struct token_service *
token_service_new(struct store *store, const struct schema_registry *reg,
		  const char *salt, const char *encryption_key)
{
	struct token_service *ts = xcalloc(1, sizeof(*ts));

	ts->store = store;
	ts->reg = reg;
	ts->salt = xstrdup(salt ? salt : "");
	ts->salt_len = strlen(ts->salt);
	if (encryption_key && *encryption_key)
		ts->enc_key = xstrdup(encryption_key);
	ts->n_words = (reg->n_actions + 63) / 64;
	if (!ts->n_words)
		ts->n_words = 1;
	ts->serial = atomic_fetch_add(&service_serial, 1) + 1;
	return ts;
}

void
token_service_free(struct token_service *ts)
{
	if (!ts)
		return;
	secret_free(ts->salt);
	secret_free(ts->enc_key);
	free(ts);
}

bool
token_service_viewable(const struct token_service *ts)
{
	return ts->enc_key != NULL;
}

/* ---- JSON shapes ------------------------------------------------------ */

json_t *
tok_time_json(int64_t ms)
{
	char iso[32];

	if (ms == TIME_NULL)
		return json_null();
	time_iso8601(ms, iso);
	return json_string(iso);
}

static json_t *
permissions_json(const struct token_row *t)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < t->n_permissions; i++)
		json_array_append_new(a, json_string(t->permissions[i]));
	return a;
}

enum shape { SHAPE_LIST, SHAPE_GET };

/*
 * The token object. Strapi's list/create/update/delete order the keys one
 * way and GET another; both are kept so recorded responses compare equal
 * as text too.
 */
static json_t *
token_to_json(const struct token_row *t, enum shape shape)
{
	json_t *o = json_object();
	char life[32];

	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "kind", json_string(t->kind == TOKEN_KIND_ADMIN
							   ? "admin"
							   : "content-api"));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "description",
			    json_string(t->description ? t->description : ""));
	json_object_set_new(o, "lastUsedAt", tok_time_json(t->last_used_at));
	if (shape == SHAPE_LIST)
		json_object_set_new(o, "type", json_string(type_names[t->type]));
	snprintf(life, sizeof(life), "%lld", (long long)t->lifespan);
	json_object_set_new(o, "lifespan",
			    t->lifespan ? json_string(life) : json_null());
	json_object_set_new(o, "expiresAt", tok_time_json(t->expires_at));
	json_object_set_new(o, "createdAt", tok_time_json(t->created_at));
	json_object_set_new(o, "updatedAt", tok_time_json(t->updated_at));
	if (shape == SHAPE_GET)
		json_object_set_new(o, "type", json_string(type_names[t->type]));
	json_object_set_new(o, "permissions", permissions_json(t));
	return o;
}

void
token_json_wipe(json_t *token)
{
	json_t *k = json_object_get(token, "accessKey");
	const char *s = json_string_value(k);

	/* jansson owns the bytes; wipe them in place before they are freed */
	if (s)
		secret_wipe((void *)(uintptr_t)s, strlen(s));
}

static int
not_found(struct err *e)
{
	return err_set(e, ERR_NOT_FOUND, "API Token not found");
}

int
tok_storage_failed(int rc, struct err *e)
{
	if (rc == ERR_UNAVAILABLE)
		return err_set(e, rc, "Service Unavailable");
	return err_set(e, ERR_STORAGE, "Internal Server Error");
}

/* ---- validation (yup's words) ------------------------------------------ */

/* Render a JSON value as yup prints it inside `...`. */
static void
yup_value(struct buf *b, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	buf_addstr(b, s ? s : "undefined");
	free(s);
}

static void
type_error(struct err *e, const char *field, const char *type, json_t *v)
{
	const char *path[] = { field, NULL };
	struct buf b = BUF_INIT;

	yup_value(&b, v);
	err_add_validation(e, path, v,
			   "%s must be a `%s` type, but the final value was: `%s`.",
			   field, type, b.ptr);
	buf_release(&b);
}

/* lodash trim(): undefined/null -> "", numbers and booleans stringified. */
char *
tok_lodash_trim(json_t *v)
{
	const char *s, *end;
	char *tmp = NULL, *out;

	if (!v || json_is_null(v))
		return xstrdup("");
	if (json_is_string(v)) {
		s = json_string_value(v);
	} else if (json_is_true(v) || json_is_false(v)) {
		s = json_is_true(v) ? "true" : "false";
	} else if (json_is_number(v)) {
		tmp = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
		s = tmp ? tmp : "";
	} else if (json_is_array(v)) {
		s = json_array_size(v) ? "[array]" : "";
	} else {
		s = "[object Object]";
	}
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	out = xstrndup(s, (size_t)(end - s));
	free(tmp);
	return out;
}

void
tok_check_name(struct err *e, const char *name, bool required)
{
	const char *path[] = { "name", NULL };
	json_t *v = json_string(name);

	if (!*name) {
		err_add_validation(e, path, v,
				   "name must be at least 1 characters");
		if (required)
			err_add_validation(e, path, v,
					   "name is a required field");
	}
	json_decref(v);
}

static int
parse_type(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(s, type_names[i]))
			return (int)i;
	return -1;
}

static void
check_type(struct err *e, json_t *v)
{
	const char *path[] = { "type", NULL };

	if (!v)
		return;
	if (json_is_null(v)) {
		err_add_validation(e, path, v, TYPE_ONEOF);
		return;
	}
	if (!json_is_string(v)) {
		type_error(e, "type", "string", v);
		err_add_validation(e, path, v, TYPE_ONEOF);
		return;
	}
	if (parse_type(json_string_value(v)) < 0)
		err_add_validation(e, path, v, TYPE_ONEOF);
}

static void
check_permissions(struct err *e, json_t *v)
{
	size_t i;
	json_t *p;

	if (!v || json_is_null(v))
		return;
	if (!json_is_array(v)) {
		type_error(e, "permissions", "array", v);
		return;
	}
	json_array_foreach(v, i, p) {
		if (!json_is_string(p)) {
			char idx[24], field[48];
			const char *path[] = { "permissions", idx, NULL };
			struct buf b = BUF_INIT;

			snprintf(idx, sizeof(idx), "%zu", i);
			snprintf(field, sizeof(field), "permissions[%zu]", i);
			yup_value(&b, p);
			err_add_validation(
				e, path, p,
				"%s must be a `string` type, but the final value was: `%s`.",
				field, b.ptr);
			buf_release(&b);
		}
	}
}

/* lifespan: nullable number, one of the allowed values. */
void
tok_check_lifespan(struct err *e, json_t *v, int64_t *out)
{
	const char *path[] = { "lifespan", NULL };
	size_t i;

	*out = 0;
	if (!v || json_is_null(v))
		return;
	if (!json_is_number(v)) {
		type_error(e, "lifespan", "number", v);
		err_add_validation(e, path, v, LIFESPAN_ONEOF);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(lifespans); i++) {
		if (json_is_integer(v) && json_integer_value(v) == lifespans[i]) {
			*out = lifespans[i];
			return;
		}
		if (json_is_real(v) && json_real_value(v) == (double)lifespans[i]) {
			*out = lifespans[i];
			return;
		}
	}
	err_add_validation(e, path, v, LIFESPAN_ONEOF);
}

/*
 * The type/permission rules of the service layer. 'perms' is the body's
 * permissions value (NULL when absent).
 */
static int
check_type_permissions(struct token_service *ts, enum token_type type,
		       json_t *perms, struct err *e)
{
	struct buf unknown = BUF_INIT;
	size_t i;
	json_t *p;
	int ret = 0;

	if (type != TOKEN_CUSTOM) {
		if (json_is_array(perms) && json_array_size(perms) > 0)
			return err_set(e, ERR_VALIDATION,
				       "Non-custom tokens should not reference permissions");
		return 0;
	}
	if (!json_is_array(perms))
		return err_set(e, ERR_VALIDATION,
			       "Missing permissions attribute for custom token");
	json_array_foreach(perms, i, p) {
		const char *a = json_string_value(p);

		if (schema_action_index(ts->reg, a) >= 0)
			continue;
		if (unknown.len)
			buf_addstr(&unknown, ", ");
		buf_addstr(&unknown, a);
	}
	if (unknown.len)
		ret = err_set(e, ERR_VALIDATION,
			      "Unknown permissions provided: %.400s", unknown.ptr);
	buf_release(&unknown);
	return ret;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copy the (validated) permission strings into 't', sorted and unique. */
static void
set_permissions(struct token_row *t, json_t *perms)
{
	size_t i, n = 0;
	json_t *p;

	for (i = 0; i < t->n_permissions; i++)
		free(t->permissions[i]);
	free(t->permissions);
	t->permissions = NULL;
	t->n_permissions = 0;
	if (!json_array_size(perms))
		return;
	t->permissions = xcalloc(json_array_size(perms), sizeof(char *));
	json_array_foreach(perms, i, p)
		t->permissions[n++] = xstrdup(json_string_value(p));
	qsort(t->permissions, n, sizeof(char *), cmp_str);
	t->n_permissions = 0;
	for (i = 0; i < n; i++) {
		if (t->n_permissions &&
		    !strcmp(t->permissions[t->n_permissions - 1],
			    t->permissions[i])) {
			free(t->permissions[i]);
			continue;
		}
		t->permissions[t->n_permissions++] = t->permissions[i];
	}
}

int
tok_name_taken(struct token_service *ts, const char *name, int64_t exclude,
	   int kind, struct err *e)
{
	bool taken = false;
	int rc = store_token_name_taken(ts->store, name, exclude, kind, &taken);

	if (rc < 0)
		return tok_storage_failed(rc, e);
	if (taken)
		return err_set(e, ERR_APPLICATION, "Name already taken");
	return 0;
}

/*
 * A fresh key for 't': the plaintext into 'key' (wiped by the caller), the
 * hash and, with an encryption key, the encrypted copy into 't'.
 */
int
tok_new_key(struct token_service *ts, struct token_row *t,
	char key[CRYPTO_KEY_HEX_LEN + 1], struct err *e)
{
	if (crypto_access_key(key) < 0 ||
	    crypto_hmac_sha512_hex(ts->salt, ts->salt_len, key,
				   CRYPTO_KEY_HEX_LEN, t->access_key) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	free(t->encrypted_key);
	t->encrypted_key = NULL;
	if (ts->enc_key) {
		t->encrypted_key = crypto_encrypt_v1(ts->enc_key, key);
		if (!t->encrypted_key)
			return err_set(e, ERR_INTERNAL, "Internal Server Error");
	}
	return 0;
}

/* ---- management ------------------------------------------------------- */

int
token_service_create(struct token_service *ts, json_t *body, json_t **out,
		     struct err *e)
{
	char key[CRYPTO_KEY_HEX_LEN + 1];
	struct err ve = ERR_INIT; /* validation errors are collected here */
	struct token_row t;
	json_t *jtype, *perms;
	int64_t now, lifespan = 0;
	int ret, rc;
	bool in_tx = false;

	*out = NULL;
	token_row_init(&t);
	if (!json_is_object(body)) {
		const char *path[] = { NULL };

		err_add_validation(&ve, path, NULL,
				   "this must be a `object` type, but the final value was: `null`.");
		ret = err_finish_validation(&ve);
		err_move(e, &ve);
		return ret;
	}
	t.kind = TOKEN_KIND_CONTENT_API;
	t.name = tok_lodash_trim(json_object_get(body, "name"));
	t.description = tok_lodash_trim(json_object_get(body, "description"));
	jtype = json_object_get(body, "type");
	perms = json_object_get(body, "permissions");

	tok_check_name(&ve, t.name, true);
	check_type(&ve, jtype);
	check_permissions(&ve, perms);
	tok_check_lifespan(&ve, json_object_get(body, "lifespan"), &lifespan);
	ret = err_finish_validation(&ve);
	if (ret < 0) {
		err_move(e, &ve);
		goto out;
	}

	t.type = json_is_string(jtype) ? (enum token_type)parse_type(
						 json_string_value(jtype))
				       : TOKEN_READ_ONLY;
	rc = store_begin(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = true;
	ret = tok_name_taken(ts, t.name, 0, -1, e);
	if (ret < 0)
		goto out;
	ret = check_type_permissions(ts, t.type, perms, e);
	if (ret < 0)
		goto out;
	if (t.type == TOKEN_CUSTOM)
		set_permissions(&t, perms);
	ret = tok_new_key(ts, &t, key, e);
	if (ret < 0)
		goto out;
	now = time_now_ms();
	t.lifespan = lifespan;
	t.expires_at = lifespan ? now + lifespan : TIME_NULL;
	t.created_at = t.updated_at = now;
	rc = store_token_insert(ts->store, &t);
	if (rc == 0)
		rc = store_commit(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = false;
	*out = token_to_json(&t, SHAPE_LIST);
	json_object_set_new(*out, "accessKey", json_string(key));
	ret = 0;
out:
	if (in_tx)
		store_rollback(ts->store);
	secret_wipe(key, sizeof(key));
	token_row_release(&t);
	return ret;
}

int
token_service_list(struct token_service *ts, json_t **out, struct err *e)
{
	struct token_row *rows = NULL;
	size_t n = 0, i;
	int rc;

	*out = NULL;
	rc = store_token_list(ts->store, TOKEN_KIND_CONTENT_API, &rows, &n);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	*out = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(*out, token_to_json(&rows[i], SHAPE_LIST));
		token_row_release(&rows[i]);
	}
	free(rows);
	return 0;
}

/* Load a content-API token; ERR_NOT_FOUND for a missing or admin one. */
static int
load(struct token_service *ts, int64_t id, struct token_row *t, struct err *e)
{
	int rc = store_token_get(ts->store, id, t);

	if (rc == ERR_NOT_FOUND ||
	    (rc == 0 && t->kind != TOKEN_KIND_CONTENT_API))
		return not_found(e);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	return 0;
}

int
token_service_get(struct token_service *ts, int64_t id, json_t **out,
		  struct err *e)
{
	struct token_row t;
	char *plain = NULL;
	int ret;

	*out = NULL;
	token_row_init(&t);
	ret = load(ts, id, &t, e);
	if (ret < 0)
		goto out;
	*out = token_to_json(&t, SHAPE_GET);
	if (t.encrypted_key) {
		if (ts->enc_key &&
		    crypto_decrypt_v1(ts->enc_key, t.encrypted_key, &plain) == 0) {
			json_object_set_new(*out, "accessKey", json_string(plain));
			secret_free(plain);
		} else {
			log_warn("token %lld: stored key cannot be decrypted with "
				 "the configured encryption key",
				 (long long)id);
			json_object_set_new(*out, "accessKey", json_null());
		}
	}
out:
	token_row_release(&t);
	return ret;
}

static const char *const update_keys[] = { "name", "description", "type",
					   "permissions", "lifespan" };

void
tok_check_unknown_keys(json_t *body, const char *const *allowed, size_t n,
		       struct err *e)
{
	const char *path[] = { NULL };
	struct buf keys = BUF_INIT;
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach(body, k, v) {
		for (i = 0; i < n; i++)
			if (!strcmp(k, allowed[i]))
				break;
		if (i < n)
			continue;
		if (keys.len)
			buf_addstr(&keys, ", ");
		buf_addstr(&keys, k);
	}
	(void)v;
	if (keys.len)
		err_add_validation(e, path, body,
				   "this field has unspecified keys: %.400s",
				   keys.ptr);
	buf_release(&keys);
}

int
token_service_update(struct token_service *ts, int64_t id, json_t *body,
		     json_t **out, struct err *e)
{
	json_t *jname, *jdesc, *jtype, *perms, *jlife;
	struct err ve = ERR_INIT; /* validation errors are collected here */
	struct token_row t;
	char *name = NULL, *desc = NULL;
	enum token_type new_type;
	unsigned flags = 0;
	int64_t lifespan = 0, now;
	int ret, rc;
	bool in_tx = false;

	*out = NULL;
	token_row_init(&t);
	if (!json_is_object(body))
		body = NULL;
	jname = json_object_get(body, "name");
	jdesc = json_object_get(body, "description");
	jtype = json_object_get(body, "type");
	perms = json_object_get(body, "permissions");
	jlife = json_object_get(body, "lifespan");

	if (jname) {
		name = tok_lodash_trim(jname);
		tok_check_name(&ve, name, false);
	}
	if (jdesc)
		desc = tok_lodash_trim(jdesc);
	check_type(&ve, jtype);
	check_permissions(&ve, perms);
	if (jlife)
		tok_check_lifespan(&ve, jlife, &lifespan);
	if (body)
		tok_check_unknown_keys(body, update_keys,
				       ARRAY_SIZE(update_keys), &ve);
	ret = err_finish_validation(&ve);
	if (ret < 0) {
		err_move(e, &ve);
		goto out;
	}

	rc = store_begin(ts->store);
	if (rc < 0) {
		ret = tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = true;
	ret = load(ts, id, &t, e);
	if (ret < 0)
		goto out;
	if (name) {
		/* every kind, as on create (Strapi checks one kind here) */
		ret = tok_name_taken(ts, name, id, -1, e);
		if (ret < 0)
			goto out;
		free(t.name);
		t.name = name;
		name = NULL;
		flags |= TOKEN_UPD_NAME;
	}
	if (desc) {
		free(t.description);
		t.description = desc;
		desc = NULL;
		flags |= TOKEN_UPD_DESCRIPTION;
	}
	new_type = json_is_string(jtype) ? (enum token_type)parse_type(
						   json_string_value(jtype))
					 : t.type;
	if (perms || (new_type == TOKEN_CUSTOM && t.type != TOKEN_CUSTOM)) {
		ret = check_type_permissions(ts, new_type, perms, e);
		if (ret < 0)
			goto out;
	}
	if (new_type != t.type)
		flags |= TOKEN_UPD_TYPE;
	if (new_type != TOKEN_CUSTOM && t.n_permissions) {
		set_permissions(&t, NULL);
		flags |= TOKEN_UPD_PERMISSIONS;
	} else if (new_type == TOKEN_CUSTOM && json_is_array(perms)) {
		set_permissions(&t, perms);
		flags |= TOKEN_UPD_PERMISSIONS;
	}
	t.type = new_type;
	now = time_now_ms();
	if (jlife) {
		/* the seed: a new duration renews the token from now */
		t.lifespan = lifespan;
		t.expires_at = lifespan ? now + lifespan : TIME_NULL;
		flags |= TOKEN_UPD_LIFESPAN;
	}
	if (t.kind != TOKEN_KIND_CONTENT_API)
		flags |= TOKEN_UPD_KIND;
	t.updated_at = now;
	rc = store_token_update(ts->store, &t, flags);
	if (rc == 0)
		rc = store_commit(ts->store);
	if (rc < 0) {
		ret = rc == ERR_NOT_FOUND ? not_found(e) : tok_storage_failed(rc, e);
		goto out;
	}
	in_tx = false;
	*out = token_to_json(&t, SHAPE_LIST);
	ret = 0;
out:
	if (in_tx)
		store_rollback(ts->store);
	free(name);
	free(desc);
	token_row_release(&t);
	return ret;
}

int
token_service_regenerate(struct token_service *ts, int64_t id, json_t **out,
			 struct err *e)
{
	char key[CRYPTO_KEY_HEX_LEN + 1];
	struct token_row t;
	int ret, rc;

	*out = NULL;
	token_row_init(&t);
	ret = load(ts, id, &t, e);
	if (ret < 0)
		goto out;
	ret = tok_new_key(ts, &t, key, e);
	if (ret < 0)
		goto out;
	t.updated_at = time_now_ms();
	rc = store_token_update(ts->store, &t, TOKEN_UPD_KEY);
	if (rc < 0) {
		ret = rc == ERR_NOT_FOUND ? not_found(e) : tok_storage_failed(rc, e);
		goto out;
	}
	*out = json_object();
	json_object_set_new(*out, "id", json_integer(t.id));
	json_object_set_new(*out, "accessKey", json_string(key));
	json_object_set_new(*out, "kind", json_string("content-api"));
out:
	secret_wipe(key, sizeof(key));
	token_row_release(&t);
	return ret;
}

int
token_service_delete(struct token_service *ts, int64_t id, json_t **out,
		     struct err *e)
{
	struct token_row t;
	int rc;

	*out = NULL;
	token_row_init(&t);
	rc = store_token_get(ts->store, id, &t);
	/* an admin token is not deletable through the API-token routes */
	if (rc == ERR_NOT_FOUND ||
	    (rc == 0 && t.kind != TOKEN_KIND_CONTENT_API)) {
		token_row_release(&t);
		*out = json_null();
		return 0;
	}
	if (rc == 0)
		rc = store_token_delete(ts->store, id);
	if (rc == ERR_NOT_FOUND) {
		*out = json_null();
		rc = 0;
	} else if (rc == 0) {
		*out = token_to_json(&t, SHAPE_LIST);
	}
	token_row_release(&t);
	return rc < 0 ? tok_storage_failed(rc, e) : 0;
}

static int
create_default(struct token_service *ts, const char *name, const char *desc,
	       const char *type, struct err *e)
{
	json_t *body = json_object(), *out = NULL;
	int rc;

	json_object_set_new(body, "name", json_string(name));
	json_object_set_new(body, "description", json_string(desc));
	json_object_set_new(body, "type", json_string(type));
	json_object_set_new(body, "lifespan", json_null());
	rc = token_service_create(ts, body, &out, e);
	token_json_wipe(out);
	json_decref(out);
	json_decref(body);
	return rc;
}

int
token_service_ensure_defaults(struct token_service *ts, bool *created,
			      struct err *e)
{
	int64_t users = 0, tokens = 0;
	int rc;

	*created = false;
	rc = store_admin_user_count(ts->store, &users);
	if (rc == 0)
		rc = store_token_count(ts->store, &tokens);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	if (users || tokens)
		return 0;
	rc = create_default(ts, "Read Only",
			    "A default API token with read-only permissions, "
			    "only used for accessing resources",
			    "read-only", e);
	if (rc == 0)
		rc = create_default(ts, "Full Access",
				    "A default API token with full access "
				    "permissions, used for accessing or "
				    "modifying resources",
				    "full-access", e);
	if (rc == 0)
		*created = true;
	return rc;
}

/* ---- authentication ----------------------------------------------------- */

bool
token_parse_bearer(const char *header, const char **tok, size_t *len)
{
	const char *p = header, *scheme, *t;
	size_t slen, tlen;

	if (!p)
		return false;
	while (isspace((unsigned char)*p))
		p++;
	scheme = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	slen = (size_t)(p - scheme);
	while (isspace((unsigned char)*p))
		p++;
	t = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	tlen = (size_t)(p - t);
	while (isspace((unsigned char)*p))
		p++;
	if (*p || slen != 6 || strncasecmp(scheme, "bearer", 6) || !tlen)
		return false;
	*tok = t;
	*len = tlen;
	return true;
}

/*
 * The per-thread cache of verified tokens: open addressing keyed by the
 * token hash, owned by one worker thread, so lookups take no lock. It also
 * remembers refused hashes (id 0), so the 401 path costs no query either.
 * It is emptied whenever the store's token generation moves (any token
 * created, changed or deleted), and when it fills up.
 */
#define CACHE_KEY_LEN 32 /* the first 256 bits of the HMAC: no collisions */

struct cache_entry {
	unsigned char key[CACHE_KEY_LEN];
	bool used;
	enum token_type type;
	int64_t id;
	int64_t expires_at;
	int64_t last_used_at;
	uint64_t *allowed; /* custom tokens only */
};

struct token_cache {
	uint64_t serial;
	uint64_t gen;
	struct cache_entry *slots;
	size_t cap; /* power of two */
	size_t n;
};

#define CACHE_MIN 64
#define CACHE_MAX 32768 /* entries per thread (about 4.5 MiB); a full cache starts over */

static _Thread_local struct token_cache tcache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

static void
cache_clear(struct token_cache *c)
{
	size_t i;

	for (i = 0; i < c->cap; i++) {
		if (c->slots[i].used) {
			free(c->slots[i].allowed);
			secret_wipe(c->slots[i].key, sizeof(c->slots[i].key));
		}
	}
	free(c->slots);
	c->slots = NULL;
	c->cap = c->n = 0;
}

void
token_service_thread_release(void)
{
	cache_clear(&tcache);
	tcache.serial = 0;
}

/* Worker threads exit without telling us: free their caches then. */
static void
cache_destroy(void *unused)
{
	(void)unused;
	token_service_thread_release();
}

static void
cache_key_create(void)
{
	if (pthread_key_create(&cache_key, cache_destroy) != 0)
		BUG("cannot create the token cache key");
}

/* The cache key of a hex hash: its first CACHE_KEY_LEN bytes, decoded. */
static void
cache_key_of(const char *hex, unsigned char key[CACHE_KEY_LEN])
{
	size_t i;

	for (i = 0; i < CACHE_KEY_LEN; i++)
		key[i] = (unsigned char)(hex_digit(hex[2 * i]) << 4 |
					 hex_digit(hex[2 * i + 1]));
}

static size_t
slot_of(const unsigned char *key, size_t cap)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h)); /* HMAC output: already uniform */
	return (size_t)h & (cap - 1);
}

static struct cache_entry *
cache_find(struct token_cache *c, const unsigned char *key)
{
	size_t i;

	if (!c->cap)
		return NULL;
	for (i = slot_of(key, c->cap);; i = (i + 1) & (c->cap - 1)) {
		if (!c->slots[i].used)
			return NULL;
		if (crypto_equal(c->slots[i].key, key, CACHE_KEY_LEN))
			return &c->slots[i];
	}
}

static struct cache_entry *
cache_insert(struct token_cache *c, const unsigned char *key)
{
	struct cache_entry *old;
	size_t i, oldcap;

	if (c->n + 1 > CACHE_MAX)
		cache_clear(c);
	if ((c->n + 1) * 2 > c->cap) {
		old = c->slots;
		oldcap = c->cap;
		c->cap = c->cap ? c->cap * 2 : CACHE_MIN;
		c->slots = xcalloc(c->cap, sizeof(*c->slots));
		c->n = 0;
		for (i = 0; i < oldcap; i++) {
			struct cache_entry *dst;
			size_t j;

			if (!old[i].used)
				continue;
			j = slot_of(old[i].key, c->cap);
			while (c->slots[j].used)
				j = (j + 1) & (c->cap - 1);
			dst = &c->slots[j];
			*dst = old[i];
			c->n++;
		}
		free(old);
	}
	for (i = slot_of(key, c->cap); c->slots[i].used;
	     i = (i + 1) & (c->cap - 1))
		;
	c->n++;
	c->slots[i].used = true;
	memcpy(c->slots[i].key, key, CACHE_KEY_LEN);
	return &c->slots[i];
}

static int
cache_fill(struct token_service *ts, struct cache_entry *ce,
	   const struct token_row *t)
{
	size_t i;

	ce->id = t->id;
	ce->type = t->type;
	ce->expires_at = t->expires_at;
	ce->last_used_at = t->last_used_at;
	ce->allowed = NULL;
	if (t->type != TOKEN_CUSTOM)
		return 0;
	ce->allowed = xcalloc(ts->n_words, sizeof(uint64_t));
	for (i = 0; i < t->n_permissions; i++) {
		int a = schema_action_index(ts->reg, t->permissions[i]);

		if (a >= 0)
			ce->allowed[a / 64] |= (uint64_t)1 << (a % 64);
	}
	return 0;
}

static int
unauthorized(struct err *e, const char *msg)
{
	return err_set(e, ERR_UNAUTHORIZED, "%s", msg);
}

int
token_service_authenticate(struct token_service *ts, const char *header,
			   struct token_auth *out, struct err *e)
{
	char hash[CRYPTO_HASH_HEX_LEN + 1];
	unsigned char key[CACHE_KEY_LEN];
	struct token_cache *c = &tcache;
	struct cache_entry *ce;
	struct token_row t;
	const char *tok;
	size_t len;
	uint64_t gen;
	int64_t now;
	int rc;

	if (!token_parse_bearer(header, &tok, &len))
		return AUTH_DECLINED;
	if (len > TOKEN_MAX_BEARER_LEN)
		return unauthorized(e, "Missing or invalid credentials");
	rc = store_token_generation(ts->store, &gen);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	if (crypto_hmac_sha512_hex(ts->salt, ts->salt_len, tok, len, hash) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	if (c->serial != ts->serial || c->gen != gen) {
		if (!c->serial) {
			pthread_once(&cache_key_once, cache_key_create);
			pthread_setspecific(cache_key, c);
		}
		cache_clear(c);
		c->serial = ts->serial;
		c->gen = gen;
	}
	cache_key_of(hash, key);
	ce = cache_find(c, key);
	if (!ce) {
		token_row_init(&t);
		rc = store_token_get_by_hash(ts->store, hash, &t);
		if (rc == 0 && t.kind == TOKEN_KIND_CONTENT_API) {
			ce = cache_insert(c, key);
			cache_fill(ts, ce, &t);
		} else if (rc == ERR_NOT_FOUND || rc == 0) {
			/* remembered as refused until the next token change */
			ce = cache_insert(c, key);
			ce->id = 0;
			ce->allowed = NULL;
		}
		token_row_release(&t);
	}
	secret_wipe(hash, sizeof(hash));
	secret_wipe(key, sizeof(key));
	if (!ce)
		return tok_storage_failed(rc, e);
	if (!ce->id) /* unknown, revoked, or not a content-API token */
		return unauthorized(e, "Missing or invalid credentials");

	now = time_now_ms();
	if (ce->expires_at != TIME_NULL && ce->expires_at < now)
		return unauthorized(e, "Token expired");
	if (ce->last_used_at == TIME_NULL ||
	    now - ce->last_used_at >= TOKEN_LAST_USED_MIN_AGE) {
		/* at most one write per token and hour (per thread) */
		rc = store_token_touch(ts->store, ce->id, now,
				       TOKEN_LAST_USED_MIN_AGE);
		if (rc < 0)
			log_warn("token %lld: could not record its use",
				 (long long)ce->id);
		ce->last_used_at = now;
	}
	out->id = ce->id;
	out->type = ce->type;
	out->allowed = ce->allowed;
	out->n_words = ts->n_words;
	return AUTH_OK;
}

bool
token_auth_allows(const struct token_service *ts, const struct token_auth *a,
		  int action)
{
	const char *uid;
	size_t n;

	if (action < 0 || (size_t)action >= ts->reg->n_actions)
		return a->type == TOKEN_FULL_ACCESS;
	switch (a->type) {
	case TOKEN_FULL_ACCESS:
		return true;
	case TOKEN_READ_ONLY:
		/* Strapi's rule is a suffix test on the action UID */
		uid = ts->reg->actions[action];
		if (!uid)
			return false;
		n = strlen(uid);
		return (n >= 5 && !strcmp(uid + n - 5, ".find")) ||
		       (n >= 8 && !strcmp(uid + n - 8, ".findOne"));
	case TOKEN_CUSTOM:
		return (a->allowed[action / 64] >> (action % 64)) & 1;
	}
	return false;
}
