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
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

static atomic_uint_fast64_t service_serial;

static struct touch_writer *writer_new(void);
static void writer_free(struct touch_writer *w);

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
	ts->writer = writer_new();
	return ts;
}

void
token_service_free(struct token_service *ts)
{
	if (!ts)
		return;
	writer_free(ts->writer);
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
token_service_list_each(struct token_service *ts,
			void (*fn)(json_t *token, size_t i, void *ctx),
			void *ctx, struct err *e)
{
	struct token_row *rows = NULL;
	size_t n = 0, i;
	json_t *one;
	int rc;

	token_service_sync(ts);
	rc = store_token_list(ts->store, TOKEN_KIND_CONTENT_API, &rows, &n);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	for (i = 0; i < n; i++) {
		one = token_to_json(&rows[i], SHAPE_LIST);
		fn(one, i, ctx);
		json_decref(one);
		token_row_release(&rows[i]);
	}
	free(rows);
	return 0;
}

static void
list_collect(json_t *token, size_t i, void *ctx)
{
	(void)i;
	json_array_append(ctx, token);
}

int
token_service_list(struct token_service *ts, json_t **out, struct err *e)
{
	int rc;

	*out = json_array();
	rc = token_service_list_each(ts, list_collect, *out, e);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
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
	token_service_sync(ts);
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

	token_service_sync(ts);
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
	token_service_sync(ts);
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
	token_service_sync(ts);
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

/*
 * isspace()'s set in the C locale, whatever the process's locale. The
 * header is scanned with strspn()/strcspn(), which take it in blocks: a
 * bearer header is some 270 bytes on every request, and a character-wise
 * isspace() loop over it showed in profiles.
 */
static const char bearer_space[] = " \t\n\v\f\r";

bool
token_parse_bearer(const char *header, const char **tok, size_t *len)
{
	const char *p = header, *scheme, *t;
	size_t slen, tlen;

	if (!p)
		return false;
	p += strspn(p, bearer_space);
	scheme = p;
	slen = strcspn(p, bearer_space);
	p += slen;
	p += strspn(p, bearer_space);
	t = p;
	tlen = strcspn(p, bearer_space);
	p += tlen;
	p += strspn(p, bearer_space);
	if (*p || slen != 6 || strncasecmp(scheme, "bearer", 6) || !tlen)
		return false;
	*tok = t;
	*len = tlen;
	return true;
}

/*
 * The per-thread caches of the authentication path. Each worker thread owns
 * two tables, so lookups take no lock:
 *   - verified tokens (at most TOKEN_CACHE_MAX), with what a request needs:
 *     id, type, expiry, when lastUsedAt was last recorded, the permission
 *     bitmap of a custom token;
 *   - refused hashes (at most TOKEN_CACHE_REFUSED_MAX), so the 401 path costs
 *     no query either. Separate, so a flood of unknown tokens cannot push
 *     valid ones out.
 * Both are dropped whenever the store's token generation moves (any token
 * created, changed or deleted). A full table evicts with CLOCK (second
 * chance): a hit sets the entry's reference bit; the hand clears set bits
 * and takes the first entry whose bit is clear. Entries used again since the
 * hand last passed stay, so a hot subset keeps hitting while a stream of
 * other tokens rotates through the rest.
 *
 * Layout: the entries are dense arrays (keys, reference bits, values) that
 * grow by doubling up to the bound; an open-addressing index of twice as
 * many slots (linear probing, backward-shift deletion) maps a key to its
 * entry. Hits allocate nothing.
 */
#define CACHE_KEY_LEN 32 /* the first 256 bits of the HMAC: no collisions */
#define CACHE_MIN 64

struct cache_val {
	int64_t id;
	int64_t expires_at;
	int64_t last_used_at; /* as this thread last saw or recorded it */
	union {
		uint64_t one;   /* custom tokens, one bitmap word */
		uint64_t *many; /* custom tokens, more words (owned) */
	} allowed;
	enum token_type type;
};

struct clock_table {
	unsigned char (*keys)[CACHE_KEY_LEN];
	unsigned char *refs; /* CLOCK reference bits */
	void *vals;          /* val_size bytes per entry, or NULL */
	size_t val_size;
	uint32_t *index; /* slot -> entry + 1; 0: empty */
	size_t cap;      /* entries allocated (a power of two) */
	size_t n;        /* entries in use */
	size_t max;      /* the bound (a power of two) */
	size_t hand;
};

struct token_cache {
	uint64_t serial;
	uint64_t gen;
	struct clock_table ok;      /* values: struct cache_val */
	struct clock_table refused; /* keys only */
	size_t n_words;             /* bitmap words of the service in use */
	struct token_cache_stats stats;
};

static _Thread_local struct token_cache tcache = {
    .ok = {.val_size = sizeof(struct cache_val), .max = TOKEN_CACHE_MAX},
    .refused = {.max = TOKEN_CACHE_REFUSED_MAX},
};
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;

static struct cache_val *
val_at(struct clock_table *t, size_t e)
{
	return (struct cache_val *)t->vals + e;
}

static void
val_release(struct token_cache *c, struct cache_val *v)
{
	if (v->type == TOKEN_CUSTOM && c->n_words > 1)
		free(v->allowed.many);
	v->allowed.many = NULL;
}

/* Forget every entry and free the table's memory (keys are wiped). */
static void
table_clear(struct clock_table *t)
{
	if (t->keys)
		secret_wipe(t->keys, t->n * CACHE_KEY_LEN);
	free(t->keys);
	free(t->refs);
	free(t->vals);
	free(t->index);
	t->keys = NULL;
	t->refs = NULL;
	t->vals = NULL;
	t->index = NULL;
	t->cap = t->n = t->hand = 0;
}

static void
cache_clear(struct token_cache *c)
{
	size_t i;

	for (i = 0; c->ok.vals && i < c->ok.n; i++)
		val_release(c, val_at(&c->ok, i));
	table_clear(&c->ok);
	table_clear(&c->refused);
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

static size_t
pow2_at_least(size_t n)
{
	size_t p = CACHE_MIN;

	while (p < n)
		p *= 2;
	return p;
}

void
token_cache_set_limits(size_t max, size_t refused_max)
{
	struct token_cache *c = &tcache;

	cache_clear(c);
	memset(&c->stats, 0, sizeof(c->stats));
	c->ok.max = pow2_at_least(max ? max : TOKEN_CACHE_MAX);
	c->refused.max =
	    pow2_at_least(refused_max ? refused_max : TOKEN_CACHE_REFUSED_MAX);
}

void
token_cache_stats(struct token_cache_stats *out)
{
	*out = tcache.stats;
	out->entries = tcache.ok.n;
	out->refused_entries = tcache.refused.n;
	out->bytes =
	    (tcache.ok.cap * (CACHE_KEY_LEN + 1 + sizeof(struct cache_val)) +
	     tcache.refused.cap * (CACHE_KEY_LEN + 1)) +
	    (tcache.ok.cap + tcache.refused.cap) * 2 * sizeof(uint32_t);
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
home_of(const struct clock_table *t, const unsigned char *key)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h)); /* HMAC output: already uniform */
	return (size_t)h & (2 * t->cap - 1);
}

/* The entry holding 'key' (its reference bit set), or -1. */
static ptrdiff_t
table_find(struct clock_table *t, const unsigned char *key)
{
	size_t mask = 2 * t->cap - 1, s;
	uint32_t x;

	if (!t->cap)
		return -1;
	for (s = home_of(t, key);; s = (s + 1) & mask) {
		x = t->index[s];
		if (!x)
			return -1;
		if (crypto_equal(t->keys[x - 1], key, CACHE_KEY_LEN)) {
			t->refs[x - 1] = 1;
			return (ptrdiff_t)x - 1;
		}
	}
}

static void
index_put(struct clock_table *t, size_t e)
{
	size_t mask = 2 * t->cap - 1, s;

	for (s = home_of(t, t->keys[e]); t->index[s]; s = (s + 1) & mask)
		;
	t->index[s] = (uint32_t)e + 1;
}

/* Take entry 'e' out of the index (backward-shift deletion). */
static void
index_remove(struct clock_table *t, size_t e)
{
	size_t mask = 2 * t->cap - 1, s, j, h;

	for (s = home_of(t, t->keys[e]); t->index[s] != e + 1;
	     s = (s + 1) & mask)
		;
	for (;;) {
		t->index[s] = 0;
		for (j = (s + 1) & mask;; j = (j + 1) & mask) {
			if (!t->index[j])
				return;
			h = home_of(t, t->keys[t->index[j] - 1]);
			/* it stays when its home lies cyclically in (s, j] */
			if (s <= j ? (s < h && h <= j) : (s < h || h <= j))
				continue;
			t->index[s] = t->index[j];
			s = j;
			break;
		}
	}
}

static void
table_grow(struct clock_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : CACHE_MIN, e;

	t->keys = xrealloc(t->keys, cap * CACHE_KEY_LEN);
	t->refs = xrealloc(t->refs, cap);
	if (t->val_size)
		t->vals = xrealloc(t->vals, cap * t->val_size);
	free(t->index);
	t->index = xcalloc(2 * cap, sizeof(*t->index));
	t->cap = cap;
	for (e = 0; e < t->n; e++)
		index_put(t, e);
}

/* CLOCK: the first entry from the hand on whose reference bit is clear. */
static size_t
table_victim(struct clock_table *t)
{
	size_t e;

	for (;;) {
		e = t->hand;
		t->hand = (t->hand + 1) & (t->cap - 1);
		if (!t->refs[e])
			return e;
		t->refs[e] = 0;
	}
}

/*
 * A slot for 'key' (not in the table): a fresh entry while under the bound,
 * else the CLOCK victim, whose old value the caller releases ('*evicted').
 */
static size_t
table_insert(struct clock_table *t, const unsigned char *key, bool *evicted)
{
	size_t e;

	*evicted = false;
	if (t->n == t->cap && t->cap < t->max)
		table_grow(t);
	if (t->n < t->cap) {
		e = t->n++;
	} else {
		e = table_victim(t);
		index_remove(t, e);
		*evicted = true;
	}
	memcpy(t->keys[e], key, CACHE_KEY_LEN);
	t->refs[e] = 0; /* a second use earns the reference bit */
	index_put(t, e);
	return e;
}

static void
cache_fill(struct token_service *ts, struct cache_val *v,
	   const struct token_row *t)
{
	uint64_t *bits;
	size_t i;

	v->id = t->id;
	v->type = t->type;
	v->expires_at = t->expires_at;
	v->last_used_at = t->last_used_at;
	v->allowed.many = NULL;
	if (t->type != TOKEN_CUSTOM)
		return;
	if (ts->n_words > 1) {
		v->allowed.many = xcalloc(ts->n_words, sizeof(uint64_t));
		bits = v->allowed.many;
	} else {
		v->allowed.one = 0;
		bits = &v->allowed.one;
	}
	for (i = 0; i < t->n_permissions; i++) {
		int a = schema_action_index(ts->reg, t->permissions[i]);

		if (a >= 0)
			bits[a / 64] |= (uint64_t)1 << (a % 64);
	}
}

/* ---- lastUsedAt, written by a background thread -------------------------- */

/*
 * Request threads never write lastUsedAt themselves. They put (id, time)
 * into a bounded ring (Vyukov's array queue: one compare-and-swap per push,
 * no lock) and post a semaphore. One writer thread per service, started on
 * the first use, takes everything queued, keeps one entry per token (the
 * latest time) and writes them in one transaction, so one fsync covers a
 * burst of first uses. A full ring drops the use rather than wait: the
 * request thread then does not count it as recorded, and its next request
 * with that token tries again.
 */
#define TOUCH_RING TOKEN_TOUCH_QUEUE

struct touch_slot {
	atomic_size_t seq;
	int64_t id;
	int64_t at;
};

struct touch_item {
	int64_t id;
	int64_t at;
};

struct touch_writer {
	struct touch_slot ring[TOUCH_RING];
	atomic_size_t head; /* next position to claim (request threads) */
	size_t tail;        /* next position to take (the writer) */
	atomic_bool started;
	sem_t wake;
	pthread_t thread;
	pthread_mutex_t lock; /* guards what follows, and the start */
	pthread_cond_t cond;
	bool stop;
	bool paused; /* tests: hold the writer */
	bool exited;
	size_t done; /* positions taken and handled (== tail, published) */
	struct token_writer_stats stats;
	atomic_uint_fast64_t queued;
	atomic_uint_fast64_t dropped;
};

static struct touch_writer *
writer_new(void)
{
	struct touch_writer *w = xcalloc(1, sizeof(*w));
	size_t i;

	for (i = 0; i < TOUCH_RING; i++)
		atomic_init(&w->ring[i].seq, i);
	atomic_init(&w->head, 0);
	atomic_init(&w->started, false);
	atomic_init(&w->queued, 0);
	atomic_init(&w->dropped, 0);
	if (sem_init(&w->wake, 0, 0) || pthread_mutex_init(&w->lock, NULL) ||
	    pthread_cond_init(&w->cond, NULL))
		BUG("cannot set up the lastUsedAt writer");
	return w;
}

static bool
ring_push(struct touch_writer *w, int64_t id, int64_t at)
{
	size_t pos = atomic_load_explicit(&w->head, memory_order_relaxed), seq;
	struct touch_slot *s;

	for (;;) {
		s = &w->ring[pos & (TOUCH_RING - 1)];
		seq = atomic_load_explicit(&s->seq, memory_order_acquire);
		if (seq == pos) {
			if (atomic_compare_exchange_weak_explicit(
				&w->head, &pos, pos + 1, memory_order_relaxed,
				memory_order_relaxed))
				break;
		} else if ((ptrdiff_t)(seq - pos) < 0) {
			return false; /* full */
		} else {
			pos = atomic_load_explicit(&w->head,
						   memory_order_relaxed);
		}
	}
	s->id = id;
	s->at = at;
	atomic_store_explicit(&s->seq, pos + 1, memory_order_release);
	return true;
}

/* The writer only: the next queued use, false when none is ready. */
static bool
ring_pop(struct touch_writer *w, struct touch_item *out)
{
	struct touch_slot *s = &w->ring[w->tail & (TOUCH_RING - 1)];
	size_t seq = atomic_load_explicit(&s->seq, memory_order_acquire);

	if (seq != w->tail + 1)
		return false;
	out->id = s->id;
	out->at = s->at;
	atomic_store_explicit(&s->seq, w->tail + TOUCH_RING,
			      memory_order_release);
	w->tail++;
	return true;
}

static int
cmp_touch(const void *a, const void *b)
{
	const struct touch_item *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at > y->at ? -1 : x->at < y->at; /* latest first */
}

/* One entry per token (the latest use), written in one transaction. */
static void
write_batch(struct token_service *ts, struct touch_item *b, size_t n,
	    struct token_writer_stats *st)
{
	size_t i, k = 0;
	int rc;

	qsort(b, n, sizeof(*b), cmp_touch);
	for (i = 0; i < n; i++)
		if (!k || b[k - 1].id != b[i].id)
			b[k++] = b[i];
	st->coalesced += n - k;
	rc = store_begin(ts->store);
	for (i = 0; rc == 0 && i < k; i++)
		rc = store_token_touch(ts->store, b[i].id, b[i].at,
				       TOKEN_LAST_USED_MIN_AGE);
	if (rc == 0)
		rc = store_commit(ts->store);
	else
		store_rollback(ts->store);
	if (rc < 0) {
		st->failed += k;
		log_warn("could not record the use of %zu token(s)", k);
		return;
	}
	st->written += k;
	st->batches++;
}

static void *
writer_main(void *arg)
{
	struct token_service *ts = arg;
	struct touch_writer *w = ts->writer;
	struct token_writer_stats st;
	struct touch_item *batch = xcalloc(TOUCH_RING, sizeof(*batch));
	size_t n;
	bool stop = false, more = false;

	for (;;) {
		if (!more && !stop)
			while (sem_wait(&w->wake) && errno == EINTR)
				;
		pthread_mutex_lock(&w->lock);
		while (w->paused && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		stop = w->stop;
		st = w->stats;
		pthread_mutex_unlock(&w->lock);

		for (n = 0; n < TOUCH_RING && ring_pop(w, &batch[n]); n++)
			;
		more = n == TOUCH_RING;
		if (n)
			write_batch(ts, batch, n, &st);

		pthread_mutex_lock(&w->lock);
		st.taken += n;
		w->stats = st;
		w->done = w->tail;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		if (stop && !n)
			break;
	}
	free(batch);
	store_thread_release(ts->store);
	pthread_mutex_lock(&w->lock);
	w->exited = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void
writer_start(struct token_service *ts)
{
	struct touch_writer *w = ts->writer;
	sigset_t all, old;
	int rc;

	pthread_mutex_lock(&w->lock);
	if (!atomic_load(&w->started) && !w->stop) {
		/* signals stay with the threads that handle them */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&w->thread, NULL, writer_main, ts);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc)
			log_warn("cannot start the lastUsedAt writer: %s",
				 strerror(rc));
		else
			pthread_setname_np(w->thread, "tg-last-used");
		atomic_store(&w->started, rc == 0);
	}
	pthread_mutex_unlock(&w->lock);
}

bool
tok_touch_later(struct token_service *ts, int64_t id, int64_t at)
{
	struct touch_writer *w = ts->writer;

	if (!atomic_load_explicit(&w->started, memory_order_acquire)) {
		writer_start(ts);
		if (!atomic_load(&w->started))
			return false;
	}
	if (!ring_push(w, id, at)) {
		atomic_fetch_add_explicit(&w->dropped, 1, memory_order_relaxed);
		return false;
	}
	atomic_fetch_add_explicit(&w->queued, 1, memory_order_relaxed);
	sem_post(&w->wake);
	return true;
}

static void
writer_free(struct touch_writer *w)
{
	bool started;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	w->paused = false;
	pthread_cond_broadcast(&w->cond);
	started = atomic_load(&w->started);
	pthread_mutex_unlock(&w->lock);
	if (started) {
		/* the writer empties the ring before it ends */
		sem_post(&w->wake);
		pthread_join(w->thread, NULL);
	}
	sem_destroy(&w->wake);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* How long token_service_sync() waits for a stuck writer at most. */
#define SYNC_LIMIT_S 5

void
token_service_sync(struct token_service *ts)
{
	struct touch_writer *w = ts->writer;
	struct timespec until;
	size_t target;

	if (!atomic_load(&w->started))
		return;
	target = atomic_load(&w->head);
	pthread_mutex_lock(&w->lock);
	if ((ptrdiff_t)(w->done - target) >= 0) { /* nothing pending */
		pthread_mutex_unlock(&w->lock);
		return;
	}
	pthread_mutex_unlock(&w->lock);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SYNC_LIMIT_S;
	sem_post(&w->wake);
	pthread_mutex_lock(&w->lock);
	while ((ptrdiff_t)(w->done - target) < 0 && !w->paused && !w->exited) {
		if (pthread_cond_timedwait(&w->cond, &w->lock, &until) ==
		    ETIMEDOUT) {
			log_warn("lastUsedAt writer: still busy after %d s",
				 SYNC_LIMIT_S);
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
}

void
token_writer_pause(struct token_service *ts, bool paused)
{
	struct touch_writer *w = ts->writer;

	pthread_mutex_lock(&w->lock);
	w->paused = paused;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	if (!paused && atomic_load(&w->started))
		sem_post(&w->wake);
}

void
token_writer_stats(struct token_service *ts, struct token_writer_stats *out)
{
	struct touch_writer *w = ts->writer;

	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
	out->queued = atomic_load(&w->queued);
	out->dropped = atomic_load(&w->dropped);
}

/* ---- authenticating a bearer header ------------------------------------ */

static int
unauthorized(struct err *e, const char *msg)
{
	return err_set(e, ERR_UNAUTHORIZED, "%s", msg);
}

/*
 * The calling thread's cache for 'ts' at generation 'gen': emptied when
 * either changed since its last use.
 */
static struct token_cache *
cache_for(struct token_service *ts, uint64_t gen)
{
	struct token_cache *c = &tcache;

	if (c->serial != ts->serial || c->gen != gen) {
		if (!c->serial) {
			pthread_once(&cache_key_once, cache_key_create);
			pthread_setspecific(cache_key, c);
		}
		cache_clear(c);
		c->serial = ts->serial;
		c->gen = gen;
		c->n_words = ts->n_words;
		c->stats.resets++;
	}
	return c;
}

/*
 * Look 'hash' up in the store and remember the answer: the verified
 * token's value, or NULL for a refused hash (also remembered). A storage
 * failure returns NULL with '*rc' set and remembers nothing.
 */
static struct cache_val *
cache_miss(struct token_service *ts, struct token_cache *c, const char *hash,
	   const unsigned char *key, int *rc)
{
	struct cache_val *v = NULL;
	struct token_row t;
	bool evicted;
	size_t e;

	token_row_init(&t);
	*rc = store_token_get_by_hash(ts->store, hash, &t);
	if (*rc == 0 && t.kind == TOKEN_KIND_CONTENT_API) {
		e = table_insert(&c->ok, key, &evicted);
		v = val_at(&c->ok, e);
		if (evicted) {
			val_release(c, v);
			c->stats.evictions++;
		}
		cache_fill(ts, v, &t);
	} else if (*rc == 0 || *rc == ERR_NOT_FOUND) {
		/* unknown, revoked or not a content-API token: refused until
		 * the next token change */
		table_insert(&c->refused, key, &evicted);
		if (evicted)
			c->stats.refused_evictions++;
		*rc = 0;
	}
	token_row_release(&t);
	return v;
}

int
token_service_authenticate(struct token_service *ts, const char *header,
			   struct token_auth *out, struct err *e)
{
	char hash[CRYPTO_HASH_HEX_LEN + 1];
	unsigned char key[CACHE_KEY_LEN];
	struct token_cache *c;
	struct cache_val *v = NULL;
	const char *tok;
	ptrdiff_t at;
	size_t len;
	uint64_t gen;
	int64_t now;
	int rc = 0;

	if (!token_parse_bearer(header, &tok, &len))
		return AUTH_DECLINED;
	if (len > TOKEN_MAX_BEARER_LEN)
		return unauthorized(e, "Missing or invalid credentials");
	rc = store_token_generation(ts->store, &gen);
	if (rc < 0)
		return tok_storage_failed(rc, e);
	if (crypto_hmac_sha512_hex(ts->salt, ts->salt_len, tok, len, hash) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	c = cache_for(ts, gen);
	cache_key_of(hash, key);
	at = table_find(&c->ok, key);
	if (at >= 0) {
		v = val_at(&c->ok, (size_t)at);
		c->stats.hits++;
	} else if (table_find(&c->refused, key) >= 0) {
		c->stats.refused_hits++;
	} else {
		c->stats.misses++;
		v = cache_miss(ts, c, hash, key, &rc);
	}
	secret_wipe(hash, sizeof(hash));
	secret_wipe(key, sizeof(key));
	if (rc < 0)
		return tok_storage_failed(rc, e);
	if (!v) /* unknown, revoked, or not a content-API token */
		return unauthorized(e, "Missing or invalid credentials");

	now = time_now_ms();
	if (v->expires_at != TIME_NULL && v->expires_at < now)
		return unauthorized(e, "Token expired");
	/* at most one write per token and hour (per thread), off this thread */
	if ((v->last_used_at == TIME_NULL ||
	     now - v->last_used_at >= TOKEN_LAST_USED_MIN_AGE) &&
	    tok_touch_later(ts, v->id, now))
		v->last_used_at = now;
	out->id = v->id;
	out->type = v->type;
	out->allowed = v->type != TOKEN_CUSTOM ? NULL
		       : ts->n_words > 1       ? v->allowed.many
					       : &v->allowed.one;
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
