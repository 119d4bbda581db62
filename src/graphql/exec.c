/* SPDX-License-Identifier: MIT */
/*
 * exec.c: the request pipeline and the executor (GraphQL spec section 6,
 * graphql-js 16's behaviour): operation selection, variable coercion,
 * field collection with @skip/@include and fragments, argument coercion,
 * value completion with null propagation, and the root resolvers that
 * call the REST API's query, storage and content code. Introspection
 * objects are resolved in introspect.c.
 */
#include "core/compat.h"
#include "graphql/exec.h"
#include "graphql/exec_internal.h"
#include "graphql/publication.h"
#include "graphql/validate.h"
#include "graphql/value.h"
#include "api/content.h"
#include "core/log.h"
#include "core/mem.h"

#include <math.h>

#define MAX_VARIABLE_ERRORS 50

json_t *
gql_request_error(const char *message, const char *code)
{
	json_t *errs = json_array();

	json_array_append_new(errs, gql_error_new(message, NULL, 0, code));
	return json_pack("{s:o}", "errors", errs);
}

/* ---- errors ----------------------------------------------------------------
 */

static json_t *
path_json(const struct exec *x)
{
	json_t *p = json_array();
	size_t i;

	for (i = 0; i < x->n_path; i++)
		json_array_append_new(
		    p, x->path[i].key
			   ? json_string(x->path[i].key)
			   : json_integer((json_int_t)x->path[i].index));
	return p;
}

void
exec_path_push_key(struct exec *x, const char *key)
{
	if (x->n_path == x->alloc_path) {
		x->alloc_path = x->alloc_path ? x->alloc_path * 2 : 16;
		x->path = xrealloc(x->path, x->alloc_path * sizeof(*x->path));
	}
	x->path[x->n_path].key = key;
	x->path[x->n_path].index = 0;
	x->n_path++;
}

void
exec_path_push_index(struct exec *x, size_t i)
{
	exec_path_push_key(x, NULL);
	x->path[x->n_path - 1].index = i;
}

void
exec_path_pop(struct exec *x)
{
	x->n_path--;
}

/* A located error at the current path (graphql-js locatedError). */
void
exec_error(struct exec *x, const char *message, const char *code)
{
	struct gql_loc locs[8];
	size_t n = 0, i;
	json_t *e;

	for (i = 0; x->fields && i < x->fields->n && n < ARRAY_SIZE(locs); i++)
		locs[n++] = x->fields->sel[i]->loc;
	e = gql_error_new(message, locs, n, NULL);
	json_object_set_new(e, "path", path_json(x));
	json_object_set_new(e, "extensions", json_pack("{s:s}", "code", code));
	json_array_append_new(x->errors, e);
}

/*
 * A Strapi error as its formatter shows it: no locations, the path, and
 * extensions {code, error:{name, message, details}}.
 */
static void
strapi_error(struct exec *x, const char *code, const char *name,
	     const char *message, json_t *details)
{
	json_t *e = json_object();
	json_t *d = details ? json_incref(details) : json_object();

	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(e, "path", path_json(x));
	json_object_set_new(e, "extensions",
			    json_pack("{s:s,s:{s:s,s:s,s:o}}", "code", code,
				      "error", "name", name, "message", message,
				      "details", d));
	json_array_append_new(x->errors, e);
}

static void
forbidden(struct exec *x)
{
	strapi_error(x, "FORBIDDEN", "ForbiddenError", "Forbidden access",
		     NULL);
}

/* Map a failure of the REST code to the error Strapi's formatter shows. */
static void
err_to_graphql(struct exec *x, struct err *e)
{
	json_t *d = e->details ? json_incref(e->details) : json_object();

	switch (e->code) {
	case ERR_VALIDATION:
		if (!strncmp(e->msg, "Undefined attribute level operator", 34))
			exec_error(x, e->msg, "INTERNAL_SERVER_ERROR");
		else
			strapi_error(x, "BAD_USER_INPUT", "ValidationError",
				     e->msg, d);
		break;
	case ERR_PAGINATION:
		strapi_error(x, "STRAPI_PAGINATION_ERROR", "PaginationError",
			     e->msg, d);
		break;
	case ERR_NOT_FOUND:
		strapi_error(x, "STRAPI_NOT_FOUND_ERROR", "NotFoundError",
			     e->msg, d);
		break;
	case ERR_FORBIDDEN:
		strapi_error(x, "FORBIDDEN", "ForbiddenError",
			     "Forbidden access", d);
		break;
	default:
		log_error("graphql: %s",
			  e->msg[0] ? e->msg : "storage failure");
		exec_error(x, "Internal Server Error", "INTERNAL_SERVER_ERROR");
		break;
	}
	json_decref(d);
}

/* ---- resolved values
 * ------------------------------------------------------------ */

void
rv_release(struct rv *v)
{
	size_t i;

	if (v->kind == RV_LEAF)
		json_decref(v->leaf);
	if (v->kind == RV_LIST) {
		for (i = 0; i < v->n_items; i++)
			rv_release(&v->items[i]);
		free(v->items);
	}
	memset(v, 0, sizeof(*v));
}

void
rv_leaf_new(struct rv *v, json_t *leaf)
{
	memset(v, 0, sizeof(*v));
	if (!leaf || json_is_null(leaf)) {
		json_decref(leaf);
		v->kind = RV_NULL;
		return;
	}
	v->kind = RV_LEAF;
	v->leaf = leaf;
}

void
rv_object(struct rv *v, enum src_kind kind, const void *p)
{
	memset(v, 0, sizeof(*v));
	v->kind = RV_OBJECT;
	v->src.kind = kind;
	v->src.p = p;
}

void
rv_list(struct rv *v, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->kind = RV_LIST;
	v->n_items = n;
	v->items = xcalloc(n ? n : 1, sizeof(*v->items));
}

/* ---- directives and field collection
 * ------------------------------------------------- */

static const struct gql_definition *
find_fragment(const struct gql_document *doc, const char *name)
{
	size_t i;

	for (i = 0; i < doc->n_defs; i++)
		if (doc->defs[i].kind == GQL_DEF_FRAGMENT &&
		    !strcmp(doc->defs[i].name, name))
			return &doc->defs[i];
	return NULL;
}

/* @skip(if:) / @include(if:) with variables. */
static bool
included(struct exec *x, const struct gql_directive *d, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		bool skip = !strcmp(d[i].name, "skip");

		if (!skip && strcmp(d[i].name, "include"))
			continue;
		for (j = 0; j < d[i].n_args; j++) {
			const struct gql_value *v = d[i].args[j].value;
			json_t *b;
			bool val;

			if (strcmp(d[i].args[j].name, "if"))
				continue;
			if (v->kind == GQL_VALUE_VARIABLE) {
				b = json_object_get(x->vars, v->str);
				val = json_is_true(b);
			} else {
				val =
				    v->kind == GQL_VALUE_BOOLEAN && v->boolean;
			}
			if (skip && val)
				return false;
			if (!skip && !val)
				return false;
		}
	}
	return true;
}

static bool
condition_matches(const struct exec *x, const char *cond,
		  const struct gql_stype *obj)
{
	const struct gql_stype *t;

	if (!cond)
		return true;
	t = gql_schema_type(x->s, cond);
	if (!t)
		return false;
	return t == obj || (gql_is_abstract(t) && gql_possible(t, obj));
}

static struct field_group *
group_for(struct group_map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].key, key))
			return &m->v[i];
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 8;
		m->v = xrealloc(m->v, m->alloc * sizeof(*m->v));
	}
	memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
	m->v[m->n].key = key;
	return &m->v[m->n++];
}

static void
group_add(struct field_group *g, const struct gql_selection *sel)
{
	if (g->n == g->alloc) {
		g->alloc = g->alloc ? g->alloc * 2 : 2;
		g->sel = xrealloc(g->sel, g->alloc * sizeof(*g->sel));
	}
	g->sel[g->n++] = sel;
}

static void
collect_fields(struct exec *x, const struct gql_stype *obj,
	       const struct gql_selection_set *ss, struct group_map *out,
	       bool *visited)
{
	size_t i;

	for (i = 0; ss && i < ss->n_items; i++) {
		const struct gql_selection *sel = ss->items[i];
		const struct gql_definition *f;

		if (!included(x, sel->directives, sel->n_directives))
			continue;
		switch (sel->kind) {
		case GQL_SEL_FIELD:
			group_add(
			    group_for(out, sel->alias ? sel->alias : sel->name),
			    sel);
			break;
		case GQL_SEL_INLINE_FRAGMENT:
			if (!condition_matches(x, sel->type_condition, obj))
				break;
			collect_fields(x, obj, sel->selection_set, out,
				       visited);
			break;
		case GQL_SEL_FRAGMENT_SPREAD:
			f = find_fragment(x->doc, sel->name);
			if (!f || visited[f - x->doc->defs])
				break;
			visited[f - x->doc->defs] = true;
			if (!condition_matches(x, f->type_condition, obj))
				break;
			collect_fields(x, obj, f->selection_set, out, visited);
			break;
		}
	}
}

static void
group_map_release(struct group_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].sel);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- arguments
 * -----------------------------------------------------------------------------
 */

/*
 * graphql-js getArgumentValues(): a new object of the field's coerced
 * arguments, or NULL with an error recorded.
 */
static json_t *
argument_values(struct exec *x, const struct gql_arg_def *defs, size_t n,
		const struct gql_selection *sel)
{
	json_t *out = json_object(), *v;
	char tb[256];
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct gql_arg_def *a = &defs[i];
		const struct gql_argument *node = NULL;
		struct buf msg = BUF_INIT;
		bool is_null;

		for (j = 0; j < sel->n_args; j++)
			if (!strcmp(sel->args[j].name, a->name))
				node = &sel->args[j];
		if (!node) {
			if (a->default_value)
				json_object_set(out, a->name, a->default_value);
			else if (gql_is_non_null(a->type)) {
				buf_addf(
				    &msg,
				    "Argument \"%s\" of required type \"%s\" "
				    "was not provided.",
				    a->name,
				    gql_type_str(a->type, tb, sizeof(tb)));
				goto fail;
			}
			continue;
		}
		is_null = node->value->kind == GQL_VALUE_NULL;
		if (node->value->kind == GQL_VALUE_VARIABLE) {
			v = json_object_get(x->vars, node->value->str);
			if (!v) {
				if (a->default_value)
					json_object_set(out, a->name,
							a->default_value);
				else if (gql_is_non_null(a->type)) {
					buf_addf(
					    &msg,
					    "Argument \"%s\" of required "
					    "type \"%s\" was provided the "
					    "variable \"$%s\" which was not "
					    "provided a runtime value.",
					    a->name,
					    gql_type_str(a->type, tb,
							 sizeof(tb)),
					    node->value->str);
					goto fail;
				}
				continue;
			}
			is_null = json_is_null(v);
		}
		if (is_null && gql_is_non_null(a->type)) {
			buf_addf(&msg,
				 "Argument \"%s\" of non-null type \"%s\" must "
				 "not be null.",
				 a->name,
				 gql_type_str(a->type, tb, sizeof(tb)));
			goto fail;
		}
		v = gql_value_from_ast(a->type, node->value, x->vars);
		if (!v) {
			struct buf shown = BUF_INIT;

			gql_print_value(&shown, node->value);
			buf_addf(&msg, "Argument \"%s\" has invalid value %s.",
				 a->name, shown.ptr);
			buf_release(&shown);
			goto fail;
		}
		json_object_set_new(out, a->name, v);
		continue;
	fail:
		exec_error(x, msg.ptr, "INTERNAL_SERVER_ERROR");
		buf_release(&msg);
		json_decref(out);
		return NULL;
	}
	return out;
}

/* ---- leaves
 * -----------------------------------------------------------------------------------
 */

/* graphql-js serialize() of a scalar or enum; NULL with 'msg' on failure. */
static json_t *
serialize_leaf(const struct gql_stype *t, json_t *v, struct buf *msg)
{
	struct buf shown = BUF_INIT;
	json_t *out = NULL;
	double d;

	gql_inspect(&shown, v);
	if (t->kind == GQL_KIND_ENUM) {
		const struct gql_enum_value_def *ev =
		    json_is_string(v)
			? gql_enum_by_value(t, json_string_value(v))
			: NULL;

		if (ev)
			out = json_string(ev->name);
		else
			buf_addf(msg, "Enum \"%s\" cannot represent value: %s",
				 t->name, shown.ptr);
		goto out;
	}
	d = json_is_number(v) ? json_number_value(v) : 0;
	switch (t->scalar) {
	case GQL_SC_INT:
		if (json_is_boolean(v)) {
			out = json_integer(json_is_true(v));
		} else if (!json_is_number(v) || d != floor(d)) {
			buf_addf(msg,
				 "Int cannot represent non-integer value: %s",
				 shown.ptr);
		} else if (d > INT32_MAX || d < INT32_MIN) {
			buf_addf(msg,
				 "Int cannot represent non 32-bit signed "
				 "integer value: %s",
				 shown.ptr);
		} else {
			out = json_integer((json_int_t)d);
		}
		break;
	case GQL_SC_FLOAT:
		if (json_is_boolean(v))
			out = json_integer(json_is_true(v));
		else if (json_is_number(v) && isfinite(d))
			out = json_incref(v);
		else
			buf_addf(msg,
				 "Float cannot represent non numeric value: %s",
				 shown.ptr);
		break;
	case GQL_SC_STRING:
	case GQL_SC_ID:
		if (json_is_string(v)) {
			out = json_incref(v);
		} else if (json_is_integer(v)) {
			out = json_sprintf("%" JSON_INTEGER_FORMAT,
					   json_integer_value(v));
		} else if (t->scalar == GQL_SC_STRING && json_is_boolean(v)) {
			out = json_string(json_is_true(v) ? "true" : "false");
		} else if (t->scalar == GQL_SC_STRING && json_is_real(v)) {
			char num[40];

			gql_js_number(d, num, sizeof(num));
			out = json_string(num);
		} else {
			buf_addf(msg, "%s cannot represent value: %s",
				 t->scalar == GQL_SC_ID ? "ID" : "String",
				 shown.ptr);
		}
		break;
	case GQL_SC_BOOLEAN:
		if (json_is_boolean(v))
			out = json_incref(v);
		else if (json_is_number(v))
			out = json_boolean(d != 0);
		else
			buf_addf(
			    msg,
			    "Boolean cannot represent a non boolean value: %s",
			    shown.ptr);
		break;
	case GQL_SC_LONG:
		if (json_is_string(v)) {
			char *end;
			long long n;

			errno = 0;
			n = strtoll(json_string_value(v), &end, 10);
			out = errno || *end ? json_incref(v) : json_integer(n);
		} else {
			out = json_incref(v);
		}
		break;
	default:
		out = json_incref(v);
		break;
	}
out:
	buf_release(&shown);
	return out;
}

/* ---- completion
 * -------------------------------------------------------------------------------
 */

static int execute_fields(struct exec *x, const struct gql_stype *obj,
			  const struct src *src, const struct field_group *g,
			  json_t **out);

/*
 * Complete 'v' as type 't' at the current path. 0 with '*out' (new), or -1
 * when an error has been recorded and the null must be handled by the
 * nearest nullable holder.
 */
static int
complete_value(struct exec *x, const struct gql_stype *t, struct rv *v,
	       json_t **out)
{
	struct buf msg = BUF_INIT;
	json_t *arr, *item;
	size_t i;
	int rc;

	*out = NULL;
	if (t->kind == GQL_KIND_NON_NULL) {
		rc = complete_value(x, t->of, v, out);
		if (rc < 0)
			return rc;
		if (json_is_null(*out)) {
			json_decref(*out);
			*out = NULL;
			buf_addf(&msg,
				 "Cannot return null for non-nullable field "
				 "%s.%s.",
				 x->parent_name, x->field_name);
			exec_error(x, msg.ptr, "INTERNAL_SERVER_ERROR");
			buf_release(&msg);
			return -1;
		}
		return 0;
	}
	if (v->kind == RV_NULL) {
		*out = json_null();
		return 0;
	}
	if (t->kind == GQL_KIND_LIST) {
		if (v->kind != RV_LIST) {
			buf_addf(&msg,
				 "Expected Iterable, but did not find one for "
				 "field \"%s.%s\".",
				 x->parent_name, x->field_name);
			exec_error(x, msg.ptr, "INTERNAL_SERVER_ERROR");
			buf_release(&msg);
			return -1;
		}
		arr = json_array();
		for (i = 0; i < v->n_items; i++) {
			exec_path_push_index(x, i);
			rc = complete_value(x, t->of, &v->items[i], &item);
			exec_path_pop(x);
			if (rc < 0) {
				if (gql_is_non_null(t->of)) {
					json_decref(arr);
					return -1;
				}
				item = json_null();
			}
			json_array_append_new(arr, item);
		}
		*out = arr;
		return 0;
	}
	if (gql_is_leaf(t)) {
		if (v->kind != RV_LEAF) {
			*out = json_null();
			return 0;
		}
		*out = serialize_leaf(t, v->leaf, &msg);
		if (!*out) {
			exec_error(x, msg.ptr, "INTERNAL_SERVER_ERROR");
			buf_release(&msg);
			return -1;
		}
		buf_release(&msg);
		return 0;
	}
	/* an object: its sub-selections, merged over the field's nodes */
	{
		struct group_map sub = {0};
		struct field_group g = {0};
		bool *visited = xcalloc(x->doc->n_defs + 1, sizeof(bool));
		const struct field_group *saved = x->fields;
		const char *pn = x->parent_name, *fn = x->field_name;

		for (i = 0; x->fields && i < x->fields->n; i++)
			collect_fields(x, t, x->fields->sel[i]->selection_set,
				       &sub, visited);
		free(visited);
		g.n = sub.n;
		g.sub = &sub;
		rc = execute_fields(x, t, &v->src, &g, out);
		x->fields = saved;
		x->parent_name = pn;
		x->field_name = fn;
		group_map_release(&sub);
		return rc;
	}
}

/* ---- root resolvers
 * ------------------------------------------------------------------------------
 */

static bool
allowed(struct exec *x, const struct gql_field_def *fd)
{
	int action = (int)fd->ct->action_base + (int)fd->action;

	if (x->ctx->auth)
		return token_auth_allows(x->ctx->app->tokens, x->ctx->auth,
					 action);
	return content_public_allows(x->ctx->app, action);
}

static enum pub_filter
read_filter(const struct content_type *ct, const struct query *q)
{
	if (!ct->draft_publish)
		return PUB_ANY;
	return q->status == STATUS_DRAFT ? PUB_DRAFT : PUB_PUBLISHED;
}

/* A GraphQL scalar value as the query-string string qs would give. */
static json_t *
qs_string(json_t *v)
{
	char num[40];

	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_incref(v);
	case JSON_INTEGER:
		return json_sprintf("%" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
	case JSON_REAL:
		gql_js_number(json_real_value(v), num, sizeof(num));
		return json_string(num);
	case JSON_TRUE:
		return json_string("true");
	case JSON_FALSE:
		return json_string("false");
	case JSON_ARRAY:
	case JSON_OBJECT: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		json_t *r = json_string(s ? s : "");

		free(s);
		return r;
	}
	default:
		return NULL;
	}
}

/*
 * A scalar filter input {eq: 1, in: [1, 2], not: {...}} as REST operators
 * {"$eq":"1","$in":["1","2"],"$not":{...}}.
 */
static json_t *
scalar_filter_qs(json_t *in)
{
	json_t *out = json_object(), *v, *x;
	const char *k;
	size_t i;

	json_object_foreach(in, k, v)
	{
		char op[64];

		snprintf(op, sizeof(op), "$%s", k);
		if (json_is_null(v)) {
			/* eq: null is IS NULL, ne: null IS NOT NULL */
			if (!strcmp(k, "eq"))
				json_object_set_new(out, "$null",
						    json_string("true"));
			else if (!strcmp(k, "ne"))
				json_object_set_new(out, "$notNull",
						    json_string("true"));
			continue;
		}
		if (!strcmp(k, "not")) {
			json_object_set_new(out, "$not", scalar_filter_qs(v));
			continue;
		}
		if (json_is_array(v)) {
			json_t *arr = json_array();

			json_array_foreach(v, i, x)
			{
				json_t *s = qs_string(x);

				if (s)
					json_array_append_new(arr, s);
			}
			json_object_set_new(out, op, arr);
			continue;
		}
		x = qs_string(v);
		if (x)
			json_object_set_new(out, op, x);
	}
	return out;
}

/* <Name>FiltersInput to REST filters. */
static json_t *
filters_qs(json_t *in)
{
	json_t *out = json_object(), *v, *x;
	const char *k;
	size_t i;

	json_object_foreach(in, k, v)
	{
		if (json_is_null(v))
			continue;
		if (!strcmp(k, "and") || !strcmp(k, "or")) {
			json_t *arr = json_array();

			json_array_foreach(v, i, x) if (json_is_object(x))
			    json_array_append_new(arr, filters_qs(x));
			json_object_set_new(out, k[0] == 'a' ? "$and" : "$or",
					    arr);
		} else if (!strcmp(k, "not")) {
			json_object_set_new(out, "$not", filters_qs(v));
		} else {
			json_object_set_new(out, k, scalar_filter_qs(v));
		}
	}
	return out;
}

/* The REST query parameters for a root field's arguments. */
static json_t *
query_params(json_t *args, bool lists)
{
	json_t *p = json_object(), *v, *pg, *x;
	const char *k;

	v = json_object_get(args, "status");
	if (json_is_string(v))
		json_object_set_new(
		    p, "status",
		    json_string(strcmp(json_string_value(v), "DRAFT")
				    ? "published"
				    : "draft"));
	if (!lists)
		return p;
	v = json_object_get(args, "filters");
	if (json_is_object(v))
		json_object_set_new(p, "filters", filters_qs(v));
	v = json_object_get(args, "sort");
	if (json_is_array(v) && json_array_size(v)) {
		json_t *arr = json_array();
		size_t i;

		json_array_foreach(v, i, x) if (json_is_string(x))
		    json_array_append(arr, x);
		json_object_set_new(p, "sort", arr);
	}
	v = json_object_get(args, "pagination");
	if (json_is_object(v) && json_object_size(v)) {
		pg = json_object();
		json_object_foreach(v, k, x)
		{
			json_t *s = json_is_null(x) ? NULL : qs_string(x);

			if (s)
				json_object_set_new(pg, k, s);
		}
		json_object_set_new(p, "pagination", pg);
	}
	return p;
}

/*
 * The query of a root field. For lists, publicationFilter (or the older
 * hasPublishedVersion) restricts it here; reads of one document check the
 * row they found (resolve_one()).
 */
static int
build_query(struct exec *x, const struct gql_field_def *fd, json_t *args,
	    bool lists, struct query *q, struct err *e)
{
	json_t *params = query_params(args, lists);
	int rc;

	rc = query_parse(fd->ct, params, &x->ctx->app->query_limits, q, e);
	json_decref(params);
	if (rc == 0 && lists)
		rc = gql_pubfilter_apply(x->ctx->app->store, fd->ct,
					 gql_pubfilter_from_args(args), q, NULL,
					 e);
	return rc;
}

static int
storage_err(int rc, struct err *e)
{
	if (e->code)
		return rc;
	return err_set(e, rc == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_STORAGE,
		       "storage failure");
}

/* The rows 'rows' as a list of row objects. */
static void
rows_rv(struct rv *v, const struct content_type *ct,
	const struct store_rows *rows)
{
	size_t i;

	rv_list(v, rows->n_rows);
	for (i = 0; i < rows->n_rows; i++) {
		rv_object(&v->items[i], SRC_ROW, ct);
		v->items[i].src.rows = rows;
		v->items[i].src.row = i;
	}
}

/* Root resolvers fill 'v'; the rows they read stay in 'hold'. */
struct hold {
	struct store_rows rows;
	struct query q;
	int64_t total;
	char doc[64];
};

static int
resolve_find(struct exec *x, const struct gql_field_def *fd, json_t *args,
	     struct hold *h, struct rv *v, struct err *e)
{
	bool conn = fd->resolve == GQL_RES_CONNECTION;
	int rc;

	rc = build_query(x, fd, args, true, &h->q, e);
	if (rc < 0)
		return rc;
	rc = store_content_find(x->ctx->app->store, fd->ct, &h->q,
				read_filter(fd->ct, &h->q), &h->rows,
				conn ? &h->total : NULL, e);
	if (rc < 0)
		return storage_err(rc, e);
	if (!conn) {
		rows_rv(v, fd->ct, &h->rows);
		return 0;
	}
	rv_object(v, SRC_CONNECTION, fd->ct);
	v->src.rows = &h->rows;
	v->src.q = &h->q;
	v->src.total = h->total;
	return 0;
}

static int
resolve_one(struct exec *x, const struct gql_field_def *fd, json_t *args,
	    struct hold *h, struct rv *v, struct err *e)
{
	const char *doc =
	    json_string_value(json_object_get(args, "documentId"));
	bool member = true;
	int rc;

	rc = build_query(x, fd, args, false, &h->q, e);
	if (rc < 0)
		return rc;
	if (fd->resolve == GQL_RES_SINGLE) {
		h->q.pg.offset_mode = true;
		h->q.pg.start = 0;
		h->q.pg.limit = 1;
		rc = store_content_find(x->ctx->app->store, fd->ct, &h->q,
					read_filter(fd->ct, &h->q), &h->rows,
					NULL, e);
	} else {
		rc = store_content_get(x->ctx->app->store, fd->ct,
				       doc ? doc : "", NULL,
				       read_filter(fd->ct, &h->q), &h->rows);
	}
	if (rc == 0 && h->rows.n_rows)
		rc = gql_pubfilter_check(
		    x->ctx->app->store, fd->ct, gql_pubfilter_from_args(args),
		    h->q.status == STATUS_DRAFT, &h->rows, 0, &member, e);
	if (rc < 0)
		return storage_err(rc, e);
	if (!h->rows.n_rows || !member) {
		v->kind = RV_NULL;
		return 0;
	}
	rv_object(v, SRC_ROW, fd->ct);
	v->src.rows = &h->rows;
	return 0;
}

/* The mutation's data, without the keys Strapi's input adds. */
static json_t *
mutation_data(json_t *args)
{
	json_t *data = json_object_get(args, "data");

	data = json_is_object(data) ? json_deep_copy(data) : json_object();
	json_object_del(data, "publishedAt");
	json_object_del(data, "locale");
	return data;
}

static int
resolve_write(struct exec *x, const struct gql_field_def *fd, json_t *args,
	      struct hold *h, struct rv *v, struct err *e)
{
	struct content_req c = {x->ctx->app, NULL, NULL, fd->ct, NULL};
	const char *doc =
	    json_string_value(json_object_get(args, "documentId"));
	json_t *data = mutation_data(args), *status;
	int64_t id = 0;
	int rc;

	status = json_object_get(args, "status");
	h->q.status_given = true;
	h->q.status = json_is_string(status) &&
			      !strcmp(json_string_value(status), "DRAFT")
			  ? STATUS_DRAFT
			  : STATUS_PUBLISHED;
	if (fd->resolve == GQL_RES_CREATE) {
		rc = content_write_create(&c, data, &h->q, &id, e);
	} else if (fd->ct->single) {
		rc = content_single_document(&c, h->doc, e);
		if (rc == 0)
			rc = h->doc[0] ? content_write_update(&c, h->doc, data,
							      &h->q, &id, e)
				       : content_write_create(&c, data, &h->q,
							      &id, e);
	} else {
		rc = content_write_update(&c, doc ? doc : "", data, &h->q, &id,
					  e);
		if (rc == ERR_NOT_FOUND) {
			/* Strapi: an unknown documentId is null, no error */
			err_release(e);
			json_decref(data);
			v->kind = RV_NULL;
			return 0;
		}
	}
	json_decref(data);
	if (rc < 0)
		return rc;
	rc = store_content_get_id(x->ctx->app->store, fd->ct, id, &h->rows);
	if (rc < 0)
		return storage_err(rc, e);
	if (!h->rows.n_rows) {
		v->kind = RV_NULL;
		return 0;
	}
	rv_object(v, SRC_ROW, fd->ct);
	v->src.rows = &h->rows;
	return 0;
}

static int
resolve_delete(struct exec *x, const struct gql_field_def *fd, json_t *args,
	       struct hold *h, struct rv *v, struct err *e)
{
	struct content_req c = {x->ctx->app, NULL, NULL, fd->ct, NULL};
	const char *doc =
	    json_string_value(json_object_get(args, "documentId"));
	int rc;

	if (fd->ct->single) {
		rc = content_single_document(&c, h->doc, e);
		if (rc < 0)
			return rc;
		if (!h->doc[0])
			return err_set(e, ERR_NOT_FOUND, "Document not found");
	} else {
		snprintf(h->doc, sizeof(h->doc), "%s", doc ? doc : "");
	}
	rc = store_content_delete_document(x->ctx->app->store, fd->ct, h->doc,
					   PUB_ANY);
	if (rc < 0)
		return storage_err(rc, e);
	rv_object(v, SRC_DELETED, h->doc);
	return 0;
}

/* ---- field execution
 * ------------------------------------------------------------------------------
 */

/* A row column as the value completion serialises. */
static json_t *
column_value(const struct src *src, const struct gql_field_def *fd)
{
	const struct sqlval *sv = store_rows_at(src->rows, src->row, fd->col);

	if (sv->kind == SV_NULL)
		return json_null();
	if (fd->attr->type == ATTR_BIGINTEGER && fd->attr->sys == SYS_NONE) {
		if (sv->kind == SV_INT)
			return json_integer(sv->i);
		if (sv->kind == SV_TEXT)
			return json_string(sv->s);
	}
	return schema_value_to_json(fd->attr, sv);
}

static void
page_info(const struct src *src, int64_t *page, int64_t *size, int64_t *count)
{
	const struct query *q = src->q;

	if (q->pg.offset_mode) {
		*size = q->pg.limit;
		*page = *size > 0 ? q->pg.start / *size + 1 : 1;
	} else {
		*size = q->pg.page_size;
		*page = q->pg.page;
	}
	*count = *size > 0 ? (src->total + *size - 1) / *size : 0;
}

/*
 * Resolve field 'fd' of object 'src' into 'v'. Root fields return their
 * storage in 'h'. Returns 0, or -1 with the error recorded.
 */
static int
resolve_field(struct exec *x, const struct gql_stype *obj,
	      const struct src *src, const struct gql_field_def *fd,
	      json_t *args, struct hold *h, struct rv *v)
{
	struct err e = ERR_INIT;
	int64_t page, size, count;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	switch (fd->resolve) {
	case GQL_RES_TYPENAME:
		rv_leaf_new(v, json_string(obj->name));
		return 0;
	case GQL_RES_SCHEMA:
	case GQL_RES_TYPE:
	case GQL_RES_NONE:
		return gql_introspect_resolve(x, obj, src, fd, args, v);
	case GQL_RES_FIND:
	case GQL_RES_CONNECTION:
	case GQL_RES_FIND_ONE:
	case GQL_RES_SINGLE:
	case GQL_RES_CREATE:
	case GQL_RES_UPDATE:
	case GQL_RES_DELETE:
		if (!allowed(x, fd)) {
			forbidden(x);
			return -1;
		}
		if (fd->resolve == GQL_RES_FIND ||
		    fd->resolve == GQL_RES_CONNECTION)
			rc = resolve_find(x, fd, args, h, v, &e);
		else if (fd->resolve == GQL_RES_FIND_ONE ||
			 fd->resolve == GQL_RES_SINGLE)
			rc = resolve_one(x, fd, args, h, v, &e);
		else if (fd->resolve == GQL_RES_DELETE)
			rc = resolve_delete(x, fd, args, h, v, &e);
		else
			rc = resolve_write(x, fd, args, h, v, &e);
		if (rc < 0) {
			if (!e.code)
				err_set(&e, rc, "storage failure");
			err_to_graphql(x, &e);
			err_release(&e);
			rv_release(v);
			return -1;
		}
		err_release(&e);
		return 0;
	case GQL_RES_COLUMN:
		rv_leaf_new(v, column_value(src, fd));
		return 0;
	case GQL_RES_NODES:
		rows_rv(v, src->ct, src->rows);
		return 0;
	case GQL_RES_PAGE_INFO:
		*v = (struct rv){0};
		v->kind = RV_OBJECT;
		v->src = *src;
		v->src.kind = SRC_PAGE_INFO;
		return 0;
	case GQL_RES_TOTAL:
		rv_leaf_new(v, json_integer(src->total));
		return 0;
	case GQL_RES_PAGE:
	case GQL_RES_PAGE_SIZE:
	case GQL_RES_PAGE_COUNT:
		page_info(src, &page, &size, &count);
		rv_leaf_new(v, json_integer(fd->resolve == GQL_RES_PAGE ? page
					    : fd->resolve == GQL_RES_PAGE_SIZE
						? size
						: count));
		return 0;
	case GQL_RES_DELETED_ID:
		rv_leaf_new(v, json_string((const char *)src->p));
		return 0;
	}
	return 0;
}

static int
execute_field(struct exec *x, const struct gql_stype *obj,
	      const struct src *src, const struct field_group *g, json_t **out)
{
	const struct gql_selection *first = g->sel[0];
	const struct gql_field_def *fd = gql_field(x->s, obj, first->name);
	struct hold h;
	struct rv v = {0};
	json_t *args;
	int rc;

	*out = NULL;
	if (!fd)
		return 1; /* not in the schema: validation refused it */
	x->fields = g;
	x->parent_name = obj->name;
	x->field_name = fd->name;
	memset(&h, 0, sizeof(h));
	query_init(&h.q);
	args = argument_values(x, fd->args, fd->n_args, first);
	if (!args) {
		rc = -1;
	} else {
		rc = resolve_field(x, obj, src, fd, args, &h, &v);
		/* resolvers may run other fields' code; restore the field */
		x->fields = g;
		x->parent_name = obj->name;
		x->field_name = fd->name;
		if (rc == 0)
			rc = complete_value(x, fd->type, &v, out);
	}
	json_decref(args);
	rv_release(&v);
	store_rows_release(&h.rows);
	query_release(&h.q);
	if (rc < 0) {
		if (gql_is_non_null(fd->type))
			return -1;
		*out = json_null();
	}
	return 0;
}

static int
execute_fields(struct exec *x, const struct gql_stype *obj,
	       const struct src *src, const struct field_group *g, json_t **out)
{
	json_t *o = json_object(), *val;
	size_t i;
	int rc;

	for (i = 0; i < g->sub->n; i++) {
		const struct field_group *f = &g->sub->v[i];

		exec_path_push_key(x, f->key);
		rc = execute_field(x, obj, src, f, &val);
		exec_path_pop(x);
		if (rc < 0) {
			json_decref(o);
			*out = NULL;
			return -1;
		}
		if (rc == 0)
			json_object_set_new(o, f->key, val);
	}
	*out = o;
	return 0;
}

/* ---- variables
 * -----------------------------------------------------------------------------------
 */

struct var_err_ctx {
	struct exec *x;
	const struct gql_variable_definition *vd;
	json_t *errors;
};

static void
var_error(struct var_err_ctx *c, const char *msg)
{
	if (json_array_size(c->errors) >= MAX_VARIABLE_ERRORS)
		return;
	json_array_append_new(
	    c->errors, gql_error_new(msg, &c->vd->loc, 1, "BAD_USER_INPUT"));
}

static void
on_coerce_error(void *vctx, const char *path, json_t *value,
		const char *message)
{
	struct var_err_ctx *c = vctx;
	struct buf msg = BUF_INIT;

	buf_addf(&msg, "Variable \"$%s\" got invalid value ", c->vd->name);
	gql_inspect(&msg, value);
	if (path && *path)
		buf_addf(&msg, " at \"%s%s\"", c->vd->name, path);
	buf_addf(&msg, "; %s", message);
	var_error(c, msg.ptr);
	buf_release(&msg);
}

/* graphql-js coerceVariableValues(); errors go to 'errors'. */
static json_t *
coerce_variables(struct exec *x, json_t *inputs, json_t *errors)
{
	json_t *out = json_object();
	struct var_err_ctx c = {x, NULL, errors};
	char tb[256];
	size_t i;

	for (i = 0; i < x->op->n_vars; i++) {
		const struct gql_variable_definition *vd = &x->op->vars[i];
		const struct gql_stype *t =
		    gql_schema_resolve_ref(x->s, vd->type, &x->pool);
		json_t *in = inputs ? json_object_get(inputs, vd->name) : NULL;
		struct buf msg = BUF_INIT;
		json_t *v;

		c.vd = vd;
		if (!t || !gql_is_input_type(t)) {
			struct buf ts = BUF_INIT;

			gql_print_type_ref(&ts, vd->type);
			buf_addf(
			    &msg,
			    "Variable \"$%s\" expected value of type \"%s\" "
			    "which cannot be used as an input type.",
			    vd->name, ts.ptr);
			buf_release(&ts);
			var_error(&c, msg.ptr);
		} else if (!in) {
			if (vd->default_value) {
				v = gql_value_from_ast(t, vd->default_value,
						       NULL);
				if (v)
					json_object_set_new(out, vd->name, v);
			} else if (gql_is_non_null(t)) {
				buf_addf(&msg,
					 "Variable \"$%s\" of required type "
					 "\"%s\" was not provided.",
					 vd->name,
					 gql_type_str(t, tb, sizeof(tb)));
				var_error(&c, msg.ptr);
			}
		} else if (json_is_null(in) && gql_is_non_null(t)) {
			buf_addf(
			    &msg,
			    "Variable \"$%s\" of non-null type \"%s\" must "
			    "not be null.",
			    vd->name, gql_type_str(t, tb, sizeof(tb)));
			var_error(&c, msg.ptr);
		} else {
			v = gql_coerce_input(t, in, on_coerce_error, &c);
			if (v)
				json_object_set_new(out, vd->name, v);
		}
		buf_release(&msg);
		if (json_array_size(errors) >= MAX_VARIABLE_ERRORS) {
			json_array_append_new(
			    errors,
			    gql_error_new("Too many errors processing "
					  "variables, error limit reached. "
					  "Execution aborted.",
					  NULL, 0, "BAD_USER_INPUT"));
			break;
		}
	}
	return out;
}

/* ---- the pipeline
 * -----------------------------------------------------------------------------------
 */

static void
result_errors(struct gql_result *out, int status, json_t *errors)
{
	out->status = status;
	out->body = json_pack("{s:o}", "errors", errors);
}

static const struct gql_definition *
pick_operation(const struct gql_document *doc, const char *name,
	       struct buf *msg)
{
	const struct gql_definition *op = NULL;
	size_t i;

	for (i = 0; i < doc->n_defs; i++) {
		const struct gql_definition *d = &doc->defs[i];

		if (d->kind != GQL_DEF_OPERATION)
			continue;
		if (name) {
			if (d->name && !strcmp(d->name, name))
				return d;
			continue;
		}
		if (op) {
			buf_addstr(msg, "Must provide operation name if query "
					"contains multiple operations.");
			return NULL;
		}
		op = d;
	}
	if (!op && name)
		buf_addf(msg, "Unknown operation named \"%s\".", name);
	else if (!op)
		buf_addstr(msg, "Must provide an operation.");
	return op;
}

/* graphql-js getOperationAST(): the operation Apollo checks GET against. */
static const struct gql_definition *
operation_ast(const struct gql_document *doc, const char *name)
{
	const struct gql_definition *op = NULL;
	size_t i;

	for (i = 0; i < doc->n_defs; i++) {
		const struct gql_definition *d = &doc->defs[i];

		if (d->kind != GQL_DEF_OPERATION)
			continue;
		if (!name) {
			if (op)
				return NULL;
			op = d;
		} else if (d->name && !strcmp(d->name, name)) {
			return d;
		}
	}
	return op;
}

static void
execute(struct exec *x, struct gql_result *out)
{
	const struct gql_stype *root;
	struct group_map top = {0};
	struct field_group g = {0};
	struct src src = {SRC_ROOT, NULL, NULL, 0, NULL, NULL, 0};
	bool *visited;
	json_t *data = NULL, *body;
	int rc;

	root = x->op->operation == GQL_OP_QUERY      ? gql_schema_query(x->s)
	       : x->op->operation == GQL_OP_MUTATION ? gql_schema_mutation(x->s)
						     : NULL;
	if (!root) {
		struct buf msg = BUF_INIT;

		buf_addf(&msg,
			 "Schema is not configured to execute %s operation.",
			 x->op->operation == GQL_OP_MUTATION ? "mutation"
							     : "subscription");
		json_array_append_new(x->errors,
				      gql_error_new(msg.ptr, &x->op->loc, 1,
						    "INTERNAL_SERVER_ERROR"));
		buf_release(&msg);
		rc = -1;
	} else {
		visited = xcalloc(x->doc->n_defs + 1, sizeof(bool));
		collect_fields(x, root, x->op->selection_set, &top, visited);
		free(visited);
		g.n = top.n;
		g.sub = &top;
		rc = execute_fields(x, root, &src, &g, &data);
		group_map_release(&top);
	}
	body = json_object();
	if (json_array_size(x->errors))
		json_object_set(body, "errors", x->errors);
	json_object_set_new(body, "data", rc < 0 || !data ? json_null() : data);
	out->status = 200;
	out->body = body;
}

void
gql_run(const struct gql_context *ctx, const struct gql_request *req,
	struct gql_result *out)
{
	struct gql_limits lim = GQL_LIMITS_DEFAULT;
	struct gql_validate_options vo;
	struct gql_document *doc = NULL;
	struct gql_error perr;
	struct exec x;
	struct buf msg = BUF_INIT;
	json_t *errors = NULL, *var_errors;
	const struct gql_definition *op;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	if (ctx->max_bytes)
		lim.max_bytes = ctx->max_bytes;
	if (gql_parse(req->query, req->query_len, &lim, &doc, &perr) < 0) {
		errors = json_array();
		json_array_append_new(errors,
				      gql_error_new(perr.message, &perr.loc, 1,
						    "GRAPHQL_PARSE_FAILED"));
		result_errors(out, 400, errors);
		return;
	}
	vo.introspection = ctx->introspection;
	vo.max_depth = ctx->max_depth;
	vo.max_aliases = ctx->max_aliases;
	vo.source = req->query;
	vo.source_len = req->query_len;
	if (gql_validate(ctx->schema, doc, &vo, &errors) < 0) {
		result_errors(out, 400, errors);
		goto out;
	}
	op = operation_ast(doc, req->operation_name);
	if (req->get && op && op->operation != GQL_OP_QUERY) {
		buf_addf(&msg,
			 "GET requests only support query operations, not %s "
			 "operations",
			 op->operation == GQL_OP_MUTATION ? "mutation"
							  : "subscription");
		out->status = 405;
		out->body = gql_request_error(msg.ptr, "BAD_REQUEST");
		out->allow = "POST";
		goto out;
	}
	op = pick_operation(doc, req->operation_name, &msg);
	if (!op) {
		out->status = 400;
		out->body =
		    gql_request_error(msg.ptr, "OPERATION_RESOLUTION_FAILURE");
		goto out;
	}
	x.ctx = ctx;
	x.s = ctx->schema;
	x.doc = doc;
	x.op = op;
	x.errors = json_array();
	var_errors = json_array();
	x.vars = coerce_variables(&x, req->variables, var_errors);
	if (json_array_size(var_errors)) {
		result_errors(out, 400, var_errors);
		goto out;
	}
	json_decref(var_errors);
	execute(&x, out);
out:
	json_decref(x.vars);
	json_decref(x.errors);
	free(x.path);
	gql_type_pool_release(&x.pool);
	buf_release(&msg);
	gql_document_free(doc);
}
