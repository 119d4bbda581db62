/* SPDX-License-Identifier: MIT */
/*
 * content_manager.c: /content-manager/collection-types/:uid and
 * /content-manager/single-types/:uid, the administrators' view of content
 * (Strapi 5's content manager): bodies are the attributes themselves (no
 * "data" wrapper), lists answer {results, pagination}, draft & publish
 * types are edited as drafts and published by an explicit action. Each
 * route checks plugin::content-manager.explorer.<action> on the type.
 */
#include "core/compat.h"
#include "api/admin.h"
#include "api/content.h"
#include "core/timeutil.h"

#define CM_READ "plugin::content-manager.explorer.read"
#define CM_CREATE "plugin::content-manager.explorer.create"
#define CM_UPDATE "plugin::content-manager.explorer.update"
#define CM_DELETE "plugin::content-manager.explorer.delete"
#define CM_PUBLISH "plugin::content-manager.explorer.publish"

/* Resolve ':uid' and check the caller's permission on it. */
static int
cm_begin(struct admin_req *r, bool single, const char *action,
	 struct content_req *c, struct err *e)
{
	const struct content_type *ct = schema_find_uid(&r->app->reg,
							r->params[0]);

	if (!ct || ct->single != single)
		return err_set(e, ERR_NOT_FOUND, "Not Found");
	if (!admin_can(r, action, ct->uid))
		return err_set(e, ERR_POLICY, "Policy Failed");
	c->app = r->app;
	c->req = r->req;
	c->resp = r->resp;
	c->ct = ct;
	c->document_id = r->params[1];
	return 0;
}

/*
 * The content manager's query: Strapi's REST language, with page and
 * pageSize given at the top level. Drafts are what it edits.
 */
static int
cm_query(struct content_req *c, struct query *q, struct err *e)
{
	json_t *params = NULL, *pg;
	const char *keys[] = { "page", "pageSize" };
	size_t i;
	int rc;

	rc = qs_parse(c->req->query, c->req->query_len, &c->app->qs_limits,
		      &params, e);
	if (rc < 0)
		return rc;
	pg = json_object_get(params, "pagination");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(params, keys[i]);

		if (!v)
			continue;
		if (!json_is_object(pg)) {
			pg = json_object();
			json_object_set_new(params, "pagination", pg);
		}
		json_object_set(pg, keys[i], v);
		json_object_del(params, keys[i]);
	}
	rc = query_parse(c->ct, params, &c->app->query_limits, q, e);
	json_decref(params);
	if (rc == 0 && c->ct->draft_publish && !q->status_given) {
		q->status = STATUS_DRAFT;
		q->status_given = true;
	}
	return rc;
}

static int
body_attributes(struct admin_req *r, json_t **data, struct err *e)
{
	*data = r->body;
	if (!json_is_object(*data))
		return err_set(e, ERR_VALIDATION,
			       "The request body must be an object of attributes");
	return 0;
}

static int
cm_list(struct admin_req *r, struct err *e)
{
	struct store_rows rows = { 0 };
	struct content_req c;
	struct query q;
	json_t *results, *meta;
	int64_t total = 0;
	size_t i;
	int rc;

	query_init(&q);
	rc = cm_begin(r, false, CM_READ, &c, e);
	if (rc == 0)
		rc = cm_query(&c, &q, e);
	if (rc < 0)
		goto out;
	q.pg.with_count = true;
	rc = store_content_find(r->app->store, c.ct, &q,
				c.ct->draft_publish ? PUB_DRAFT : PUB_ANY,
				&rows, &total, e);
	if (rc < 0) {
		rc = e->code ? rc : err_set(e, ERR_STORAGE, "Internal Server Error");
		goto out;
	}
	results = json_array();
	for (i = 0; i < rows.n_rows; i++)
		json_array_append_new(results,
				      content_entry_json(c.ct, &rows, i, &q));
	meta = query_pagination_meta(&q, total);
	http_resp_json_new(r->resp, 200,
			   json_pack("{s:o,s:o}", "results", results,
				     "pagination", meta));
out:
	store_rows_release(&rows);
	query_release(&q);
	return rc;
}

static int
cm_get(struct admin_req *r, bool single, struct err *e)
{
	struct store_rows rows = { 0 };
	struct content_req c;
	char doc[64];
	struct query q;
	json_t *body;
	int rc;

	query_init(&q);
	rc = cm_begin(r, single, CM_READ, &c, e);
	if (rc == 0)
		rc = cm_query(&c, &q, e);
	if (rc == 0 && single) {
		rc = content_single_document(&c, doc, e);
		c.document_id = doc;
	}
	if (rc < 0)
		goto out;
	rc = store_content_get(r->app->store, c.ct, c.document_id, NULL,
			       c.ct->draft_publish ? PUB_DRAFT : PUB_ANY, &rows);
	if (rc == 0 && !rows.n_rows)
		rc = err_set(e, ERR_NOT_FOUND, "Not Found");
	if (rc < 0) {
		rc = e->code ? rc : err_set(e, ERR_STORAGE, "Internal Server Error");
		goto out;
	}
	body = json_pack("{s:o,s:{}}", "data",
			 content_entry_json(c.ct, &rows, 0, &q), "meta");
	http_resp_json_new(r->resp, 200, body);
out:
	store_rows_release(&rows);
	query_release(&q);
	return rc;
}

static int
cm_find_one(struct admin_req *r, struct err *e)
{
	return cm_get(r, false, e);
}

static int
cm_single_get(struct admin_req *r, struct err *e)
{
	return cm_get(r, true, e);
}

static int
cm_create(struct admin_req *r, struct err *e)
{
	struct content_req c;
	struct query q;
	json_t *data;
	int rc;

	query_init(&q);
	rc = cm_begin(r, false, CM_CREATE, &c, e);
	if (rc == 0)
		rc = cm_query(&c, &q, e);
	if (rc == 0)
		rc = body_attributes(r, &data, e);
	if (rc == 0)
		rc = content_create_document(&c, data, &q, 200, e);
	query_release(&q);
	return rc;
}

static int
cm_update(struct admin_req *r, bool single, struct err *e)
{
	struct content_req c;
	struct query q;
	char doc[64];
	json_t *data;
	int rc;

	query_init(&q);
	rc = cm_begin(r, single, CM_UPDATE, &c, e);
	if (rc == 0)
		rc = cm_query(&c, &q, e);
	if (rc == 0)
		rc = body_attributes(r, &data, e);
	if (rc < 0)
		goto out;
	if (!single) {
		rc = content_update_document(&c, c.document_id, data, &q, e);
		goto out;
	}
	rc = content_single_document(&c, doc, e);
	if (rc == 0)
		rc = doc[0] ? content_update_document(&c, doc, data, &q, e)
			    : content_create_document(&c, data, &q, 200, e);
out:
	query_release(&q);
	return rc;
}

static int
cm_update_one(struct admin_req *r, struct err *e)
{
	return cm_update(r, false, e);
}

static int
cm_single_update(struct admin_req *r, struct err *e)
{
	return cm_update(r, true, e);
}

static int
cm_delete(struct admin_req *r, bool single, struct err *e)
{
	struct content_req c;
	int rc;

	struct store_rows rows = { 0 };
	char doc[64];

	rc = cm_begin(r, single, CM_DELETE, &c, e);
	if (rc == 0 && single) {
		rc = content_single_document(&c, doc, e);
		c.document_id = doc;
	}
	/* unlike the REST API, the content manager says when nothing is there */
	if (rc == 0)
		rc = store_content_get(r->app->store, c.ct, c.document_id, NULL,
				       PUB_ANY, &rows) < 0
			     ? err_set(e, ERR_STORAGE, "Internal Server Error")
			     : 0;
	if (rc == 0 && !rows.n_rows)
		rc = err_set(e, ERR_NOT_FOUND, "Not Found");
	store_rows_release(&rows);
	if (rc == 0)
		rc = content_delete(&c, e);
	if (rc == 0) /* Strapi's content manager answers 200 with an empty object */
		http_resp_json_new(r->resp, 200, json_object());
	return rc;
}

static int
cm_delete_one(struct admin_req *r, struct err *e)
{
	return cm_delete(r, false, e);
}

static int
cm_single_delete(struct admin_req *r, struct err *e)
{
	return cm_delete(r, true, e);
}

static int
cm_publish(struct admin_req *r, struct err *e)
{
	struct store_rows rows = { 0 };
	struct content_req c;
	int64_t id = 0;
	int rc;

	rc = cm_begin(r, false, CM_PUBLISH, &c, e);
	if (rc == 0 && !c.ct->draft_publish)
		rc = err_set(e, ERR_APPLICATION,
			     "Draft & publish is not enabled for this content type");
	if (rc == 0)
		rc = store_begin(r->app->store) < 0
			     ? err_set(e, ERR_STORAGE, "Internal Server Error")
			     : 0;
	if (rc < 0)
		return rc;
	rc = content_publish(&c, c.document_id, time_now_ms(), &id, e);
	if (rc == 0 && store_commit(r->app->store) < 0)
		rc = err_set(e, ERR_STORAGE, "Internal Server Error");
	if (rc < 0) {
		store_rollback(r->app->store);
		return rc;
	}
	rc = store_content_get_id(r->app->store, c.ct, id, &rows);
	if (rc == 0 && rows.n_rows)
		http_resp_json_new(r->resp, 200,
				   json_pack("{s:o,s:{}}", "data",
					     content_entry_json(c.ct, &rows, 0, NULL),
					     "meta"));
	else
		rc = err_set(e, ERR_STORAGE, "Internal Server Error");
	store_rows_release(&rows);
	return rc;
}

/* One attribute as Strapi's content-type schema describes it. */
static json_t *
attribute_json(const struct field *f)
{
	json_t *a = json_object(), *list;
	size_t i;

	json_object_set_new(a, "type", json_string(attr_type_name(f->type)));
	if (f->flags & FIELD_REQUIRED)
		json_object_set_new(a, "required", json_true());
	if (f->flags & FIELD_UNIQUE)
		json_object_set_new(a, "unique", json_true());
	if (f->flags & FIELD_PRIVATE && f->type != ATTR_PASSWORD)
		json_object_set_new(a, "private", json_true());
	if (f->default_value)
		json_object_set(a, "default", f->default_value);
	if (f->has_min)
		json_object_set_new(a, "min", json_real(f->min));
	if (f->has_max)
		json_object_set_new(a, "max", json_real(f->max));
	if (f->min_length >= 0)
		json_object_set_new(a, "minLength", json_integer(f->min_length));
	if (f->max_length >= 0)
		json_object_set_new(a, "maxLength", json_integer(f->max_length));
	if (f->regex_src)
		json_object_set_new(a, "regex", json_string(f->regex_src));
	if (f->target_field)
		json_object_set_new(a, "targetField", json_string(f->target_field));
	if (f->type == ATTR_ENUMERATION) {
		list = json_array();
		for (i = 0; i < f->n_enum; i++)
			json_array_append_new(list, json_string(f->enum_values[i]));
		json_object_set_new(a, "enum", list);
	}
	return a;
}

/*
 * GET /content-manager/content-types: the schemas, so the panel can build
 * its forms (the subset of Strapi's answer that tollgate's schemas have).
 * Only types the caller may read are listed.
 */
static int
cm_content_types(struct admin_req *r, struct err *e)
{
	const struct schema_registry *reg = &r->app->reg;
	json_t *list = json_array();
	size_t i, j;

	(void)e;
	for (i = 0; i < reg->n_types; i++) {
		const struct content_type *ct = &reg->types[i];
		json_t *attrs;

		if (!admin_can(r, CM_READ, ct->uid))
			continue;
		attrs = json_object();
		for (j = 0; j < ct->n_attrs; j++)
			json_object_set_new(attrs, ct->attrs[j].name,
					    attribute_json(&ct->attrs[j]));
		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:b,s:s,s:{s:s,s:s,s:s},s:{s:b},s:o}",
				  "uid", ct->uid, "apiID", ct->singular,
				  "isDisplayed", 1, "kind",
				  ct->single ? "singleType" : "collectionType",
				  "info", "displayName",
				  ct->display_name ? ct->display_name : ct->singular,
				  "singularName", ct->singular, "pluralName",
				  ct->plural, "options", "draftAndPublish",
				  ct->draft_publish, "attributes", attrs));
	}
	admin_respond(r, 200, list);
	return 0;
}

const struct admin_route admin_cm_routes[] = {
	{ "GET", "/content-manager/content-types", cm_content_types, NULL, 0 },
	{ "GET", "/content-manager/collection-types/:uid", cm_list, NULL, 0 },
	{ "POST", "/content-manager/collection-types/:uid", cm_create, NULL, 0 },
	{ "GET", "/content-manager/collection-types/:uid/:id", cm_find_one, NULL, 0 },
	{ "PUT", "/content-manager/collection-types/:uid/:id", cm_update_one, NULL, 0 },
	{ "DELETE", "/content-manager/collection-types/:uid/:id", cm_delete_one, NULL, 0 },
	{ "POST", "/content-manager/collection-types/:uid/:id/actions/publish",
	  cm_publish, NULL, 0 },
	{ "GET", "/content-manager/single-types/:uid", cm_single_get, NULL, 0 },
	{ "PUT", "/content-manager/single-types/:uid", cm_single_update, NULL, 0 },
	{ "DELETE", "/content-manager/single-types/:uid", cm_single_delete, NULL, 0 },
};
const size_t admin_cm_n_routes = ARRAY_SIZE(admin_cm_routes);
