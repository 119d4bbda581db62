/* SPDX-License-Identifier: MIT */
/*
 * content.c: the REST Content API handlers. Draft & publish follows
 * Strapi 5's document model: a document has a draft row and, once
 * published, a published row with the same documentId; publishing replaces
 * the published row with a fresh copy of the draft.
 */
#include "core/compat.h"
#include "api/content.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"

#include <strings.h>

/* ---- request parsing -------------------------------------------------- */

static bool
json_too_deep(json_t *v, size_t depth, size_t max)
{
	const char *k;
	json_t *x;
	size_t i;

	if (depth > max)
		return true;
	if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			if (json_too_deep(x, depth + 1, max))
				return true;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (json_too_deep(x, depth + 1, max))
				return true;
	}
	(void)k;
	return false;
}

static bool
is_json_type(const char *ct)
{
	size_t n;

	if (!ct)
		return false;
	n = strcspn(ct, ";");
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	if (n == 16 && !strncasecmp(ct, "application/json", 16))
		return true;
	/* application/vnd.api+json and other +json types */
	return n > 5 && !strncasecmp(ct + n - 5, "+json", 5) &&
	       !strncasecmp(ct, "application/", 12);
}

int
content_parse_body(const struct app *app, const struct http_req *req,
		   json_t **out, struct err *e)
{
	const char *ctype = req->header(req, "Content-Type");
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	if (!req->body || !req->body_len)
		return 0;
	if (ctype && !strncasecmp(ctype, "application/x-www-form-urlencoded",
				  33))
		return qs_parse(req->body, req->body_len, &app->qs_limits, out,
				e);
	if (!is_json_type(ctype))
		return 0; /* not parsed, as Strapi's body parser does */
	v = json_loadb(req->body, req->body_len,
		       JSON_DECODE_ANY, &jerr);
	if (!v) {
		if ((size_t)jerr.position >= req->body_len)
			return err_set(e, ERR_SYNTAX,
				       "Unexpected end of JSON input");
		if (strstr(jerr.text, "maximum parsing depth"))
			return err_set(e, ERR_VALIDATION,
				       "The request body is nested too deeply");
		return err_set(e, ERR_SYNTAX,
			       "Unexpected token in JSON at position %d",
			       jerr.position > 0 ? jerr.position - 1 : 0);
	}
	if (json_too_deep(v, 0, app->cfg.max_json_depth)) {
		json_decref(v);
		return err_set(e, ERR_VALIDATION,
			       "The request body is nested too deeply");
	}
	*out = v;
	return 0;
}

static int
parse_query(struct content_req *c, struct query *q, struct err *e)
{
	json_t *params = NULL;
	int rc;

	rc = qs_parse(c->req->query, c->req->query_len, &c->app->qs_limits,
		      &params, e);
	/* only lists page; Strapi ignores pagination everywhere else */
	if (rc == 0 && (c->document_id || c->ct->single ||
			strcmp(c->req->method, "GET")))
		json_object_del(params, "pagination");
	if (rc == 0)
		rc = query_parse(c->ct, params, &c->app->query_limits, q, e);
	json_decref(params);
	return rc;
}

/* ---- rows and JSON ------------------------------------------------------ */

static size_t
sys_col(const struct content_type *ct, enum sys_field s)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++)
		if (ct->fields[i].sys == s)
			return i;
	BUG("content type without a system field");
}

static bool
outputs(const struct field *f)
{
	return !(f->flags & FIELD_PRIVATE) && f->type != ATTR_PASSWORD;
}

json_t *
content_entry_json(const struct content_type *ct, const struct store_rows *rows,
	   size_t r, const struct query *q)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < 2; i++)
		json_object_set_new(o, ct->fields[i].name,
				    schema_value_to_json(&ct->fields[i],
							 store_rows_at(rows, r, i)));
	if (q && q->fields) {
		for (i = 0; i < q->n_fields; i++) {
			const struct field *f = q->fields[i];
			size_t col = (size_t)(f - ct->fields);

			if (f->sys == SYS_ID || f->sys == SYS_DOCUMENT_ID ||
			    !outputs(f))
				continue;
			json_object_set_new(o, f->name,
					    schema_value_to_json(
						    f, store_rows_at(rows, r, col)));
		}
		return o;
	}
	for (i = 2; i < ct->n_fields; i++) {
		if (!outputs(&ct->fields[i]))
			continue;
		json_object_set_new(o, ct->fields[i].name,
				    schema_value_to_json(&ct->fields[i],
							 store_rows_at(rows, r, i)));
	}
	return o;
}

/* 1 for the bytes a JSON string escapes (and NUL, which ends the scan) */
/* clang-format off */
static const unsigned char json_escaped[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
};
/* clang-format on */

/*
 * The same object written straight into 'b' (lists of entries are the hot
 * path: building a jansson tree per entry and dumping it costs more than
 * the query). Values take a short path for the common kinds, and go
 * through schema_value_to_json() otherwise, so the text is identical.
 */

/*
 * Output gathered in a stack buffer and handed to the body in large pieces:
 * an entry is dozens of short pieces, and a call into buf_add() for each
 * cost more than the text itself.
 */
#define JW_SIZE 4096

struct jw {
	struct buf *b;
	size_t n;
	char tmp[JW_SIZE];
	/* the last time written: an entry's createdAt, updatedAt and
	 * publishedAt are often the same instant */
	int64_t last_ms;
	size_t last_len; /* 0: none yet */
	char last_iso[32];
};

static void
jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->n = 0;
	w->last_len = 0;
}

static void
jw_flush(struct jw *w)
{
	if (w->n)
		buf_add(w->b, w->tmp, w->n);
	w->n = 0;
}

static inline void
jw_put(struct jw *w, const void *p, size_t len)
{
	if (len > JW_SIZE - w->n) {
		jw_flush(w);
		if (len > JW_SIZE) {
			buf_add(w->b, p, len);
			return;
		}
	}
	memcpy(w->tmp + w->n, p, len);
	w->n += len;
}

static inline void
jw_putc(struct jw *w, char c)
{
	if (w->n == JW_SIZE)
		jw_flush(w);
	w->tmp[w->n++] = c;
}

/* Room for 'len' (at most JW_SIZE) bytes, which the caller then counts. */
static inline char *
jw_room(struct jw *w, size_t len)
{
	if (len > JW_SIZE - w->n)
		jw_flush(w);
	return w->tmp + w->n;
}

static void
write_string(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	jw_putc(w, '"');
	for (;;) {
		const char *esc;
		char u[7];

		while (!json_escaped[*p])
			p++;
		jw_put(w, run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
			u[6] = '\0';
			esc = u;
		}
		jw_put(w, esc, strlen(esc));
		run = ++p;
	}
	jw_putc(w, '"');
}

/* As "%lld" prints it, without printf's cost. */
static void
write_int(struct jw *w, int64_t i)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (i < 0)
		*--p = '-';
	jw_put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void
write_value(struct jw *w, const struct field *f, const struct sqlval *v)
{
	size_t len;
	char *p;
	json_t *j;

	if (v->kind == SV_NULL) {
		jw_put(w, "null", 4);
		return;
	}
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_TEXT:
	case ATTR_RICHTEXT:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_ENUMERATION:
		if (v->kind == SV_TEXT) {
			write_string(w, v->s);
			return;
		}
		break;
	case ATTR_INTEGER:
		if (v->kind == SV_INT) {
			write_int(w, v->i);
			return;
		}
		break;
	case ATTR_BOOLEAN:
		if (v->kind == SV_INT) {
			if (v->i)
				jw_put(w, "true", 4);
			else
				jw_put(w, "false", 5);
			return;
		}
		break;
	case ATTR_DATETIME:
		if (v->kind == SV_INT) {
			if (!w->last_len || w->last_ms != v->i) {
				time_iso8601(v->i, w->last_iso);
				w->last_ms = v->i;
				w->last_len = strlen(w->last_iso);
			}
			len = w->last_len;
			p = jw_room(w, len + 2);
			p[0] = '"';
			memcpy(p + 1, w->last_iso, len);
			p[len + 1] = '"';
			w->n += len + 2;
			return;
		}
		break;
	default:
		break;
	}
	jw_flush(w);
	j = schema_value_to_json(f, v);
	http_json_append(w->b, j);
	json_decref(j);
}

/*
 * What an entry shows, worked out once per response: the columns in output
 * order, each with its key already written ('{"id":' for the first,
 * ',"title":' after), so rows only add their values.
 */
struct out_col {
	const struct field *f;
	size_t col;
	size_t key_off;
	size_t key_len;
};

struct entry_writer {
	struct out_col *cols;
	size_t n;
	struct buf keys;
};

static void
out_col_add(struct entry_writer *w, const struct content_type *ct,
	    const struct field *f)
{
	struct out_col *oc = &w->cols[w->n];

	struct jw kw;

	oc->f = f;
	oc->col = (size_t)(f - ct->fields);
	oc->key_off = w->keys.len;
	jw_init(&kw, &w->keys);
	jw_putc(&kw, w->n ? ',' : '{');
	write_string(&kw, f->name);
	jw_putc(&kw, ':');
	jw_flush(&kw);
	oc->key_len = w->keys.len - oc->key_off;
	w->n++;
}

static void
entry_writer_init(struct entry_writer *w, const struct content_type *ct,
		  const struct query *q)
{
	size_t i;

	w->cols = xcalloc(ct->n_fields + 1, sizeof(*w->cols));
	w->n = 0;
	buf_init(&w->keys);
	for (i = 0; i < 2 && i < ct->n_fields; i++)
		out_col_add(w, ct, &ct->fields[i]);
	if (q && q->fields) {
		for (i = 0; i < q->n_fields; i++) {
			const struct field *f = q->fields[i];

			if (f->sys == SYS_ID || f->sys == SYS_DOCUMENT_ID ||
			    !outputs(f) || w->n > ct->n_fields)
				continue;
			out_col_add(w, ct, f);
		}
		return;
	}
	for (i = 2; i < ct->n_fields; i++)
		if (outputs(&ct->fields[i]))
			out_col_add(w, ct, &ct->fields[i]);
}

static void
entry_writer_release(struct entry_writer *w)
{
	free(w->cols);
	buf_release(&w->keys);
}

/* Entry 'r' of 'rows' as a JSON object, as content_entry_json() has it. */
static void
write_entry(struct jw *out, const struct entry_writer *w,
	    const struct store_rows *rows, size_t r)
{
	const struct out_col *oc;
	size_t i;

	if (!w->n)
		jw_putc(out, '{');
	for (i = 0; i < w->n; i++) {
		oc = &w->cols[i];
		jw_put(out, w->keys.ptr + oc->key_off, oc->key_len);
		write_value(out, oc->f, store_rows_at(rows, r, oc->col));
	}
	jw_putc(out, '}');
}

/*
 * Room reserved per entry up front, so a body rarely grows (an article is
 * about 300 bytes).
 */
#define ENTRY_GUESS_BYTES 512

/* {"data":<entry 'r' of 'rows'>,"meta":{}}, written straight into the body */
static void
respond_entry(struct content_req *c, int status, const struct store_rows *rows,
	      size_t r, const struct query *q)
{
	struct http_resp *resp = c->resp;
	struct entry_writer w;
	struct jw out;

	http_resp_json_new(resp, status, NULL);
	resp->content_type = HTTP_JSON_TYPE;
	buf_grow(&resp->body, ENTRY_GUESS_BYTES);
	entry_writer_init(&w, c->ct, q);
	jw_init(&out, &resp->body);
	jw_put(&out, "{\"data\":", 8);
	write_entry(&out, &w, rows, r);
	jw_put(&out, ",\"meta\":{}}", 11);
	jw_flush(&out);
	entry_writer_release(&w);
}

static int
storage_error(int rc, struct err *e)
{
	if (rc == ERR_UNAVAILABLE)
		return err_set(e, rc, "Service Unavailable");
	if (rc == ERR_NOT_FOUND)
		return err_set(e, rc, "Not Found");
	return err_set(e, ERR_STORAGE, "Internal Server Error");
}

static void
sqlval_copy(struct sqlval *dst, const struct sqlval *src)
{
	*dst = *src;
	dst->s = NULL;
	if (src->kind == SV_TEXT)
		dst->s = xstrdup(src->s);
}

struct values {
	struct sqlval *v;
	bool *present;
	size_t n;
};

static void
values_init(struct values *vs, const struct content_type *ct)
{
	vs->n = ct->n_fields;
	vs->v = xcalloc(vs->n, sizeof(*vs->v));
	vs->present = xcalloc(vs->n, sizeof(bool));
}

static void
values_release(struct values *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		sqlval_release(&vs->v[i]);
	free(vs->v);
	free(vs->present);
}

static void
values_set_int(struct values *vs, size_t col, int64_t x)
{
	sqlval_release(&vs->v[col]);
	vs->v[col].kind = x == TIME_NULL ? SV_NULL : SV_INT;
	vs->v[col].i = x;
	vs->present[col] = true;
}

/* ---- unique checks -------------------------------------------------------- */

struct unique_ctx {
	struct store *store;
	const struct content_type *ct;
	const char *exclude;
	int failed;
};

static bool
unique_taken(void *vctx, const struct field *f, const struct sqlval *v)
{
	struct unique_ctx *u = vctx;
	bool taken = false;
	int rc;

	rc = store_content_unique_taken(u->store, u->ct, f, v,
					u->exclude ? u->exclude : "", &taken);
	if (rc < 0)
		u->failed = rc;
	return taken;
}

static int
validate(struct content_req *c, json_t *data, enum validate_mode mode,
	 const char *exclude, struct values *vs, struct err *e)
{
	struct unique_ctx u = { c->app->store, c->ct, exclude, 0 };
	int rc;

	rc = schema_validate_entry(c->ct, data, mode, unique_taken, &u, vs->v,
				   vs->present, e);
	if (u.failed)
		return storage_error(u.failed, e);
	return rc;
}

/* The body's "data" object, with Strapi's body-level errors. */
static int
body_data(struct content_req *c, json_t **body, json_t **data, struct err *e)
{
	const char *path[] = { NULL };
	int rc;

	*data = NULL;
	rc = content_parse_body(c->app, c->req, body, e);
	if (rc < 0)
		return rc;
	*data = json_is_object(*body) ? json_object_get(*body, "data") : NULL;
	if (json_is_array(*data)) {
		char *s = json_dumps(*data, JSON_COMPACT | JSON_ENCODE_ANY);

		err_add_validation(e, path, *data,
				   "this must be a `object` type, but the final "
				   "value was: `null` (cast from the value `%.200s`).",
				   s ? s : "[]");
		free(s);
		return err_finish_validation(e);
	}
	if (!json_is_object(*data))
		return err_set(e, ERR_VALIDATION,
			       "Missing \"data\" payload in the request body");
	return 0;
}

/*
 * Before a draft is published its required attributes must be set: check
 * the stored draft as Strapi does (a null required attribute fails with the
 * "must be a `type` type" message).
 */
static int
check_publishable(struct content_req *c, const struct store_rows *draft,
		  struct err *e)
{
	const struct content_type *ct = c->ct;
	json_t *nulls = json_object();
	struct values vs;
	size_t i;
	int rc;

	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];

		if (!f->sys && (f->flags & FIELD_REQUIRED) &&
		    store_rows_at(draft, 0, i)->kind == SV_NULL)
			json_object_set_new(nulls, f->name, json_null());
	}
	if (!json_object_size(nulls)) {
		json_decref(nulls);
		return 0;
	}
	values_init(&vs, ct);
	rc = schema_validate_entry(ct, nulls, VALIDATE_UPDATE, NULL, NULL,
				   vs.v, vs.present, e);
	values_release(&vs);
	json_decref(nulls);
	return rc < 0 ? rc : err_set(e, ERR_VALIDATION, "Invalid entry");
}

int
content_publish(struct content_req *c, const char *doc, int64_t now, int64_t *pub_id,
	struct err *e)
{
	const struct content_type *ct = c->ct;
	struct store_rows draft = { 0 };
	struct values vs;
	size_t i;
	int rc;

	rc = store_content_get(c->app->store, ct, doc, NULL, PUB_DRAFT, &draft);
	if (rc == 0 && !draft.n_rows)
		rc = ERR_NOT_FOUND;
	if (rc < 0) {
		store_rows_release(&draft);
		return storage_error(rc, e);
	}
	rc = check_publishable(c, &draft, e);
	if (rc < 0) {
		store_rows_release(&draft);
		return rc;
	}
	values_init(&vs, ct);
	for (i = 1; i < ct->n_fields; i++) {
		sqlval_copy(&vs.v[i], store_rows_at(&draft, 0, i));
		vs.present[i] = true;
	}
	values_set_int(&vs, sys_col(ct, SYS_UPDATED_AT), now);
	values_set_int(&vs, sys_col(ct, SYS_PUBLISHED_AT), now);
	rc = store_content_delete_document(c->app->store, ct, doc,
					   PUB_PUBLISHED);
	if (rc == 0)
		rc = store_content_insert(c->app->store, ct, vs.v, vs.present,
					  pub_id);
	values_release(&vs);
	store_rows_release(&draft);
	return rc < 0 ? storage_error(rc, e) : 0;
}

static int
respond_row(struct content_req *c, int status, int64_t id,
	    const struct query *q, struct err *e)
{
	struct store_rows rows = { 0 };
	int rc;

	rc = store_content_get_id(c->app->store, c->ct, id, &rows);
	if (rc == 0 && !rows.n_rows)
		rc = ERR_NOT_FOUND;
	if (rc < 0) {
		store_rows_release(&rows);
		return storage_error(rc, e);
	}
	respond_entry(c, status, &rows, 0, q);
	store_rows_release(&rows);
	return 0;
}

static enum pub_filter
read_filter(const struct content_type *ct, const struct query *q)
{
	if (!ct->draft_publish)
		return PUB_ANY;
	return q->status == STATUS_DRAFT ? PUB_DRAFT : PUB_PUBLISHED;
}

/* ---- find ------------------------------------------------------------------ */

static int
find_single(struct content_req *c, struct query *q, struct err *e)
{
	struct store_rows rows = { 0 };
	int rc;

	q->pg.offset_mode = true;
	q->pg.start = 0;
	q->pg.limit = 1;
	rc = store_content_find(c->app->store, c->ct, q, read_filter(c->ct, q),
				&rows, NULL, e);
	if (rc < 0) {
		store_rows_release(&rows);
		return storage_error(rc, e);
	}
	if (!rows.n_rows) {
		store_rows_release(&rows);
		return err_set(e, ERR_NOT_FOUND, "Not Found");
	}
	respond_entry(c, 200, &rows, 0, q);
	store_rows_release(&rows);
	return 0;
}

int
content_find(struct content_req *c, struct err *e)
{
	struct store_rows rows = { 0 };
	struct entry_writer w;
	struct http_resp *resp;
	struct query q;
	struct jw out;
	json_t *meta;
	int64_t total = 0;
	size_t i;
	int rc;

	query_init(&q);
	rc = parse_query(c, &q, e);
	if (rc < 0)
		goto out;
	if (c->ct->single) {
		rc = find_single(c, &q, e);
		goto out;
	}
	rc = store_content_find(c->app->store, c->ct, &q, read_filter(c->ct, &q),
				&rows, q.pg.with_count ? &total : NULL, e);
	if (rc < 0) {
		rc = e->code ? rc : storage_error(rc, e);
		goto out;
	}
	resp = c->resp;
	resp->status = 200;
	resp->content_type = HTTP_JSON_TYPE;
	buf_reset(&resp->body);
	buf_grow(&resp->body, (rows.n_rows + 1) * ENTRY_GUESS_BYTES);
	entry_writer_init(&w, c->ct, &q);
	jw_init(&out, &resp->body);
	jw_put(&out, "{\"data\":[", 9);
	for (i = 0; i < rows.n_rows; i++) {
		if (i)
			jw_putc(&out, ',');
		write_entry(&out, &w, &rows, i);
	}
	jw_put(&out, "],\"meta\":", 9);
	jw_flush(&out);
	entry_writer_release(&w);
	meta = json_pack("{s:o}", "pagination", query_pagination_meta(&q, total));
	http_json_append(&resp->body, meta);
	json_decref(meta);
	buf_addch(&resp->body, '}');
out:
	store_rows_release(&rows);
	query_release(&q);
	return rc;
}

int
content_find_one(struct content_req *c, struct err *e)
{
	struct store_rows rows = { 0 };
	struct query q;
	int rc;

	query_init(&q);
	rc = parse_query(c, &q, e);
	if (rc < 0)
		goto out;
	rc = store_content_get(c->app->store, c->ct, c->document_id, q.filter,
			       read_filter(c->ct, &q), &rows);
	if (rc < 0) {
		rc = storage_error(rc, e);
		goto out;
	}
	if (!rows.n_rows) {
		rc = err_set(e, ERR_NOT_FOUND, "Not Found");
		goto out;
	}
	respond_entry(c, 200, &rows, 0, &q);
out:
	store_rows_release(&rows);
	query_release(&q);
	return rc;
}

/* ---- writes -------------------------------------------------------------- */

int
content_write_create(struct content_req *c, json_t *data, const struct query *q,
		     int64_t *row_id, struct err *e)
{
	const struct content_type *ct = c->ct;
	bool draft_only = ct->draft_publish && q->status_given &&
			  q->status == STATUS_DRAFT;
	char doc[CRYPTO_DOCUMENT_ID_LEN + 1];
	struct values vs;
	int64_t now = time_now_ms(), id = 0;
	int rc;

	values_init(&vs, ct);
	rc = validate(c, data, ct->draft_publish ? VALIDATE_DRAFT : VALIDATE_CREATE,
		      NULL, &vs, e);
	if (rc < 0)
		goto out;
	if (crypto_document_id(doc) < 0) {
		rc = err_set(e, ERR_INTERNAL, "Internal Server Error");
		goto out;
	}
	sqlval_set_text(&vs.v[sys_col(ct, SYS_DOCUMENT_ID)], doc);
	vs.present[sys_col(ct, SYS_DOCUMENT_ID)] = true;
	values_set_int(&vs, sys_col(ct, SYS_CREATED_AT), now);
	values_set_int(&vs, sys_col(ct, SYS_UPDATED_AT), now);
	values_set_int(&vs, sys_col(ct, SYS_PUBLISHED_AT),
		       ct->draft_publish ? TIME_NULL : now);
	rc = store_begin(c->app->store);
	if (rc < 0) {
		rc = storage_error(rc, e);
		goto out;
	}
	rc = store_content_insert(c->app->store, ct, vs.v, vs.present, &id);
	if (rc < 0)
		rc = storage_error(rc, e);
	else if (ct->draft_publish && !draft_only)
		rc = content_publish(c, doc, now, &id, e);
	if (rc == 0)
		rc = store_commit(c->app->store);
	if (rc < 0) {
		store_rollback(c->app->store);
		rc = e->code ? rc : storage_error(rc, e);
		goto out;
	}
	*row_id = id;
out:
	values_release(&vs);
	return rc;
}

int
content_create_document(struct content_req *c, json_t *data, const struct query *q,
		int status, struct err *e)
{
	int64_t id = 0;
	int rc;

	rc = content_write_create(c, data, q, &id, e);
	if (rc == 0)
		rc = respond_row(c, status, id, q, e);
	return rc;
}

int
content_write_update(struct content_req *c, const char *doc, json_t *data,
		     const struct query *q, int64_t *row_id, struct err *e)
{
	const struct content_type *ct = c->ct;
	bool draft_only = ct->draft_publish && q->status_given &&
			  q->status == STATUS_DRAFT;
	struct store_rows rows = { 0 };
	struct values vs;
	int64_t now = time_now_ms(), id;
	int rc;

	values_init(&vs, ct);
	rc = store_content_get(c->app->store, ct, doc, NULL,
			       ct->draft_publish ? PUB_DRAFT : PUB_ANY, &rows);
	if (rc < 0) {
		rc = storage_error(rc, e);
		goto out;
	}
	if (!rows.n_rows) {
		rc = err_set(e, ERR_NOT_FOUND, "Not Found");
		goto out;
	}
	id = store_rows_at(&rows, 0, 0)->i;
	rc = validate(c, data, VALIDATE_UPDATE, doc, &vs, e);
	if (rc < 0)
		goto out;
	values_set_int(&vs, sys_col(ct, SYS_UPDATED_AT), now);
	if (!ct->draft_publish) /* Strapi moves publishedAt on every update */
		values_set_int(&vs, sys_col(ct, SYS_PUBLISHED_AT), now);
	rc = store_begin(c->app->store);
	if (rc < 0) {
		rc = storage_error(rc, e);
		goto out;
	}
	rc = store_content_update(c->app->store, ct, id, vs.v, vs.present);
	if (rc < 0)
		rc = storage_error(rc, e);
	else if (ct->draft_publish && !draft_only)
		rc = content_publish(c, doc, now, &id, e);
	if (rc == 0)
		rc = store_commit(c->app->store);
	if (rc < 0) {
		store_rollback(c->app->store);
		rc = e->code ? rc : storage_error(rc, e);
		goto out;
	}
	*row_id = id;
out:
	store_rows_release(&rows);
	values_release(&vs);
	return rc;
}

int
content_update_document(struct content_req *c, const char *doc, json_t *data,
		const struct query *q, struct err *e)
{
	int64_t id = 0;
	int rc;

	rc = content_write_update(c, doc, data, q, &id, e);
	if (rc == 0)
		rc = respond_row(c, 200, id, q, e);
	return rc;
}

int
content_single_document(struct content_req *c, char doc[64], struct err *e)
{
	struct store_rows rows = { 0 };
	struct query q;
	int rc;

	query_init(&q);
	q.pg.offset_mode = true;
	q.pg.start = 0;
	q.pg.limit = 1;
	doc[0] = '\0';
	rc = store_content_find(c->app->store, c->ct, &q, PUB_ANY, &rows, NULL,
				e);
	if (rc < 0)
		rc = storage_error(rc, e);
	else if (rows.n_rows)
		snprintf(doc, 64, "%s", store_rows_at(&rows, 0, 1)->s);
	store_rows_release(&rows);
	query_release(&q);
	return rc;
}

int
content_create(struct content_req *c, struct err *e)
{
	json_t *body = NULL, *data;
	struct query q;
	int rc;

	query_init(&q);
	rc = parse_query(c, &q, e);
	if (rc == 0)
		rc = body_data(c, &body, &data, e);
	if (rc == 0)
		rc = content_create_document(c, data, &q, 201, e);
	json_decref(body);
	query_release(&q);
	return rc;
}

int
content_update(struct content_req *c, struct err *e)
{
	json_t *body = NULL, *data;
	char doc[64];
	struct query q;
	int rc;

	query_init(&q);
	rc = parse_query(c, &q, e);
	if (rc == 0)
		rc = body_data(c, &body, &data, e);
	if (rc < 0)
		goto out;
	if (!c->ct->single) {
		rc = content_update_document(c, c->document_id, data, &q, e);
		goto out;
	}
	rc = content_single_document(c, doc, e);
	if (rc == 0)
		rc = doc[0] ? content_update_document(c, doc, data, &q, e)
			    : content_create_document(c, data, &q, 200, e);
out:
	json_decref(body);
	query_release(&q);
	return rc;
}

int
content_delete(struct content_req *c, struct err *e)
{
	const char *doc = c->document_id;
	char single[64];
	int rc = 0;

	if (c->ct->single) {
		rc = content_single_document(c, single, e);
		doc = single;
	}
	/*
	 * Every version goes (Strapi answers 500 to ?status=draft here; a
	 * draft cannot be removed from under its published version).
	 */
	if (rc == 0 && doc[0])
		rc = store_content_delete_document(c->app->store, c->ct, doc,
						   PUB_ANY);
	if (rc < 0)
		return e->code ? rc : storage_error(rc, e);
	c->resp->status = 204;
	c->resp->content_type = NULL;
	return 0;
}
