/* SPDX-License-Identifier: MIT */
/*
 * schema.c: builds the GraphQL type system from the content types, the way
 * Strapi 5's GraphQL plugin names and shapes it (see schema.h), plus the
 * built-in scalars, directives and introspection types. Only the types the
 * content API needs are generated; Strapi's plugin types (UploadFile,
 * users-permissions, i18n) are not.
 */
#include "core/compat.h"
#include "graphql/schema.h"
#include "graphql/ast.h"
#include "core/mem.h"

#include <ctype.h>

struct gql_schema {
	const struct schema_registry *reg;
	struct gql_stype **types; /* named types, introspection order */
	size_t n_types, alloc_types;
	struct gql_stype **wrappers;
	size_t n_wrappers, alloc_wrappers;
	char **strs; /* every string the schema made */
	size_t n_strs, alloc_strs;
	struct gql_directive_def *dirs;
	size_t n_dirs;
	struct gql_stype *query, *mutation;
	struct gql_field_def meta_typename, meta_schema, meta_type;
	struct gql_arg_def meta_type_arg;
};

/* ---- allocation -------------------------------------------------------- */

#define GROW(arr, n, alloc)                                                    \
	do {                                                                   \
		if ((n) == (alloc)) {                                          \
			(alloc) = (alloc) ? (alloc)*2 : 8;                     \
			(arr) = xrealloc((arr), (alloc) * sizeof(*(arr)));     \
		}                                                              \
	} while (0)

static const char *
keep(struct gql_schema *s, char *str)
{
	GROW(s->strs, s->n_strs, s->alloc_strs);
	s->strs[s->n_strs++] = str;
	return str;
}

static struct gql_stype *
new_type(struct gql_schema *s, enum gql_kind kind, const char *name,
	 const char *desc)
{
	struct gql_stype *t = xcalloc(1, sizeof(*t));

	t->kind = kind;
	t->name = name;
	t->description = desc;
	GROW(s->types, s->n_types, s->alloc_types);
	s->types[s->n_types++] = t;
	return t;
}

static struct gql_stype *
wrap(struct gql_schema *s, enum gql_kind kind, const struct gql_stype *of)
{
	struct gql_stype *w, **cache;
	struct gql_stype *mof = (struct gql_stype *)(uintptr_t)of;

	cache = kind == GQL_KIND_LIST ? &mof->list_of : &mof->non_null_of;
	if (*cache)
		return *cache;
	w = xcalloc(1, sizeof(*w));
	w->kind = kind;
	w->of = of;
	GROW(s->wrappers, s->n_wrappers, s->alloc_wrappers);
	s->wrappers[s->n_wrappers++] = w;
	*cache = w;
	return w;
}

static const struct gql_stype *
nn(struct gql_schema *s, const struct gql_stype *t)
{
	return wrap(s, GQL_KIND_NON_NULL, t);
}

static const struct gql_stype *
list(struct gql_schema *s, const struct gql_stype *t)
{
	return wrap(s, GQL_KIND_LIST, t);
}

/* Growable arrays of fields and input values while a type is built. */
struct fields_b {
	struct gql_field_def *v;
	size_t n, alloc;
};
struct args_b {
	struct gql_arg_def *v;
	size_t n, alloc;
};

static struct gql_field_def *
add_field(struct fields_b *b, const char *name, const struct gql_stype *type)
{
	struct gql_field_def *f;

	GROW(b->v, b->n, b->alloc);
	f = &b->v[b->n++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->type = type;
	return f;
}

static struct gql_arg_def *
add_arg(struct args_b *b, const char *name, const struct gql_stype *type)
{
	struct gql_arg_def *a;

	GROW(b->v, b->n, b->alloc);
	a = &b->v[b->n++];
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->type = type;
	return a;
}

/* Set a default value given as its GraphQL text and its JSON. */
static void
arg_default(struct gql_arg_def *a, const char *text, json_t *value)
{
	a->default_text = text;
	a->default_value = value;
}

static void
set_fields(struct gql_stype *t, struct fields_b *b)
{
	t->fields = b->v;
	t->n_fields = b->n;
}

static void
set_input_fields(struct gql_stype *t, struct args_b *b)
{
	t->input_fields = b->v;
	t->n_input_fields = b->n;
}

static void
set_enum(struct gql_schema *s, struct gql_stype *t, const char *const *names)
{
	size_t n = 0, i;

	while (names[n])
		n++;
	t->values = xcalloc(n, sizeof(*t->values));
	t->n_values = n;
	for (i = 0; i < n; i++) {
		t->values[i].name = names[i];
		t->values[i].value = names[i];
	}
	(void)s;
}

/* ---- names -------------------------------------------------------------- */

/*
 * lodash camelCase of a kebab-case singular or plural name ("blog-post" ->
 * "blogPost"); with 'upper_first', upperFirst of that ("BlogPost").
 */
static char *
camel(const char *in, bool upper_first)
{
	size_t n = strlen(in), i, o = 0;
	char *out = xmalloc(n + 1);
	bool word_start = true;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (!isalnum(c)) {
			word_start = true;
			continue;
		}
		if (word_start && (o || upper_first))
			out[o++] = (char)toupper(c);
		else
			out[o++] = (char)tolower(c);
		word_start = false;
	}
	out[o] = '\0';
	return out;
}

static char *
upper(const char *in)
{
	char *out = xstrdup(in), *p;

	for (p = out; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return out;
}

/* @strapi/utils toRegressedEnumValue: slugify with '_', case kept. */
static char *
regressed_enum_value(const char *v)
{
	size_t n = strlen(v), i, o = 0;
	char *out = xmalloc(n + 1);
	bool sep = false;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (isalnum(c) || c == '_') {
			if (sep && o)
				out[o++] = '_';
			sep = false;
			out[o++] = (char)c;
		} else {
			sep = true;
		}
	}
	out[o] = '\0';
	return out;
}

/* ---- built-in types ------------------------------------------------------ */

struct builtins {
	const struct gql_stype *Int, *Float, *String, *Boolean, *ID, *Long,
	    *Date, *Time, *DateTime, *JSON;
	const struct gql_stype *PublicationStatus, *PublicationFilter,
	    *Pagination, *PaginationArg, *DeleteMutationResponse;
	/* filter inputs, by scalar */
	const struct gql_stype *filter_of[GQL_SC_JSON + 1];
};

static struct gql_stype *
scalar(struct gql_schema *s, const char *name, enum gql_scalar sc,
       const char *desc)
{
	struct gql_stype *t = new_type(s, GQL_KIND_SCALAR, name, desc);

	t->scalar = sc;
	return t;
}

static void
make_scalars(struct gql_schema *s, struct builtins *b)
{
	b->Int = scalar(s, "Int", GQL_SC_INT,
			"The `Int` scalar type represents non-fractional "
			"signed whole numeric values. Int can represent values "
			"between -(2^31) and 2^31 - 1.");
	b->Float = scalar(s, "Float", GQL_SC_FLOAT,
			  "The `Float` scalar type represents signed "
			  "double-precision fractional values as specified by "
			  "[IEEE 754](https://en.wikipedia.org/wiki/"
			  "IEEE_floating_point).");
	b->String = scalar(s, "String", GQL_SC_STRING,
			   "The `String` scalar type represents textual data, "
			   "represented as UTF-8 character sequences. The "
			   "String type is most often used by GraphQL to "
			   "represent free-form human-readable text.");
	b->Boolean = scalar(s, "Boolean", GQL_SC_BOOLEAN,
			    "The `Boolean` scalar type represents `true` or "
			    "`false`.");
	b->ID = scalar(s, "ID", GQL_SC_ID,
		       "The `ID` scalar type represents a unique identifier, "
		       "often used to refetch an object or as key for a "
		       "cache. The ID type appears in a JSON response as a "
		       "String; however, it is not intended to be "
		       "human-readable. When expected as an input type, any "
		       "string (such as `\"4\"`) or integer (such as `4`) "
		       "input value will be accepted as an ID.");
	b->JSON = scalar(s, "JSON", GQL_SC_JSON,
			 "The `JSON` scalar type represents JSON values as "
			 "specified by [ECMA-404](http://www.ecma-"
			 "international.org/publications/files/ECMA-ST/"
			 "ECMA-404.pdf).");
	b->DateTime =
	    scalar(s, "DateTime", GQL_SC_DATETIME,
		   "A date-time string at UTC, such as "
		   "2007-12-03T10:15:30Z, compliant with the "
		   "`date-time` format outlined in section 5.6 of "
		   "the RFC 3339 profile of the ISO 8601 standard for "
		   "representation of dates and times using the "
		   "Gregorian calendar.");
	b->Date =
	    scalar(s, "Date", GQL_SC_DATE,
		   "A date string, such as 2007-12-03, compliant with "
		   "the `full-date` format outlined in section 5.6 of the "
		   "RFC 3339 profile of the ISO 8601 standard for "
		   "representation of dates and times using the "
		   "Gregorian calendar.");
	b->Time = scalar(s, "Time", GQL_SC_TIME,
			 "A time string with format HH:mm:ss.SSS");
	b->Long = scalar(s, "Long", GQL_SC_LONG,
			 "The `BigInt` scalar type represents non-fractional "
			 "signed whole numeric values.");
}

/* StringFilterInput and its siblings (strapi-graphql.md section 3). */
static const struct gql_stype *
make_scalar_filter(struct gql_schema *s, struct builtins *b,
		   const char *scalar_name, const struct gql_stype *sc)
{
	static const char *const ops[] = {
	    "eq",       "eqi",      "ne",          "nei",       "startsWith",
	    "endsWith", "contains", "notContains", "containsi", "notContainsi",
	    "gt",       "gte",      "lt",          "lte",       NULL,
	};
	struct gql_stype *t;
	struct args_b fb = {0};
	size_t i;

	t = new_type(s, GQL_KIND_INPUT_OBJECT,
		     keep(s, xasprintf("%sFilterInput", scalar_name)), NULL);
	add_arg(&fb, "and", list(s, sc));
	add_arg(&fb, "or", list(s, sc));
	add_arg(&fb, "not", t);
	for (i = 0; ops[i]; i++)
		add_arg(&fb, ops[i], sc);
	add_arg(&fb, "null", b->Boolean);
	add_arg(&fb, "notNull", b->Boolean);
	add_arg(&fb, "in", list(s, sc));
	add_arg(&fb, "notIn", list(s, sc));
	add_arg(&fb, "between", list(s, sc));
	set_input_fields(t, &fb);
	return t;
}

static void
make_strapi_types(struct gql_schema *s, struct builtins *b)
{
	static const char *const status[] = {"DRAFT", "PUBLISHED", NULL};
	static const char *const pubfilter[] = {
	    "NEVER_PUBLISHED",
	    "HAS_PUBLISHED_VERSION",
	    "MODIFIED",
	    "UNMODIFIED",
	    "NEVER_PUBLISHED_DOCUMENT",
	    "HAS_PUBLISHED_VERSION_DOCUMENT",
	    "PUBLISHED_WITHOUT_DRAFT",
	    "PUBLISHED_WITH_DRAFT",
	    NULL,
	};
	struct fields_b fb = {0};
	struct args_b ab = {0};
	struct gql_stype *t;

	t = new_type(s, GQL_KIND_ENUM, "PublicationStatus", NULL);
	set_enum(s, t, status);
	b->PublicationStatus = t;
	t = new_type(s, GQL_KIND_ENUM, "PublicationFilter", NULL);
	set_enum(s, t, pubfilter);
	b->PublicationFilter = t;

	t = new_type(s, GQL_KIND_OBJECT, "Pagination", NULL);
	add_field(&fb, "total", nn(s, b->Int))->resolve = GQL_RES_TOTAL;
	add_field(&fb, "page", nn(s, b->Int))->resolve = GQL_RES_PAGE;
	add_field(&fb, "pageSize", nn(s, b->Int))->resolve = GQL_RES_PAGE_SIZE;
	add_field(&fb, "pageCount", nn(s, b->Int))->resolve =
	    GQL_RES_PAGE_COUNT;
	set_fields(t, &fb);
	b->Pagination = t;

	memset(&fb, 0, sizeof(fb));
	t = new_type(s, GQL_KIND_OBJECT, "DeleteMutationResponse", NULL);
	add_field(&fb, "documentId", nn(s, b->ID))->resolve =
	    GQL_RES_DELETED_ID;
	set_fields(t, &fb);
	b->DeleteMutationResponse = t;

	t = new_type(s, GQL_KIND_INPUT_OBJECT, "PaginationArg", NULL);
	add_arg(&ab, "page", b->Int);
	add_arg(&ab, "pageSize", b->Int);
	add_arg(&ab, "start", b->Int);
	add_arg(&ab, "limit", b->Int);
	set_input_fields(t, &ab);
	b->PaginationArg = t;

	b->filter_of[GQL_SC_ID] = make_scalar_filter(s, b, "ID", b->ID);
	b->filter_of[GQL_SC_BOOLEAN] =
	    make_scalar_filter(s, b, "Boolean", b->Boolean);
	b->filter_of[GQL_SC_STRING] =
	    make_scalar_filter(s, b, "String", b->String);
	b->filter_of[GQL_SC_INT] = make_scalar_filter(s, b, "Int", b->Int);
	b->filter_of[GQL_SC_LONG] = make_scalar_filter(s, b, "Long", b->Long);
	b->filter_of[GQL_SC_FLOAT] =
	    make_scalar_filter(s, b, "Float", b->Float);
	b->filter_of[GQL_SC_DATE] = make_scalar_filter(s, b, "Date", b->Date);
	b->filter_of[GQL_SC_TIME] = make_scalar_filter(s, b, "Time", b->Time);
	b->filter_of[GQL_SC_DATETIME] =
	    make_scalar_filter(s, b, "DateTime", b->DateTime);
	b->filter_of[GQL_SC_JSON] = make_scalar_filter(s, b, "JSON", b->JSON);
}

/* ---- content types ---------------------------------------------------------
 */

static enum gql_scalar
attr_scalar(enum attr_type t)
{
	switch (t) {
	case ATTR_INTEGER:
		return GQL_SC_INT;
	case ATTR_BIGINTEGER:
		return GQL_SC_LONG;
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return GQL_SC_FLOAT;
	case ATTR_BOOLEAN:
		return GQL_SC_BOOLEAN;
	case ATTR_DATE:
		return GQL_SC_DATE;
	case ATTR_TIME:
		return GQL_SC_TIME;
	case ATTR_DATETIME:
		return GQL_SC_DATETIME;
	case ATTR_JSON:
		return GQL_SC_JSON;
	default:
		return GQL_SC_STRING;
	}
}

static const struct gql_stype *
builtin_scalar(const struct builtins *b, enum gql_scalar sc)
{
	switch (sc) {
	case GQL_SC_INT:
		return b->Int;
	case GQL_SC_LONG:
		return b->Long;
	case GQL_SC_FLOAT:
		return b->Float;
	case GQL_SC_BOOLEAN:
		return b->Boolean;
	case GQL_SC_DATE:
		return b->Date;
	case GQL_SC_TIME:
		return b->Time;
	case GQL_SC_DATETIME:
		return b->DateTime;
	case GQL_SC_JSON:
		return b->JSON;
	case GQL_SC_ID:
		return b->ID;
	default:
		return b->String;
	}
}

struct ct_types {
	const struct content_type *ct;
	char *type_name; /* "Product" */
	char *singular;  /* "product" */
	char *plural;    /* "products" */
	struct gql_stype *object, *input, *filters, *collection;
	const struct gql_stype **enum_of; /* per ct->fields index */
};

static bool
outputs(const struct field *f)
{
	return !(f->flags & FIELD_PRIVATE) && f->type != ATTR_PASSWORD;
}

static void
make_content_types(struct gql_schema *s, const struct builtins *b,
		   struct ct_types *c)
{
	const struct content_type *ct = c->ct;
	struct fields_b fb = {0};
	struct args_b ib = {0}, flb = {0};
	size_t i;

	c->enum_of = xcalloc(ct->n_fields, sizeof(*c->enum_of));
	/* enums first, so they can be referred to */
	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];
		struct gql_stype *e;
		char *uname, *uattr;
		size_t j;

		if (f->type != ATTR_ENUMERATION)
			continue;
		uname = upper(c->type_name);
		uattr = upper(f->name);
		e = new_type(s, GQL_KIND_ENUM,
			     keep(s, xasprintf("ENUM_%s_%s", uname, uattr)),
			     NULL);
		free(uname);
		free(uattr);
		e->values =
		    xcalloc(f->n_enum ? f->n_enum : 1, sizeof(*e->values));
		e->n_values = f->n_enum;
		for (j = 0; j < f->n_enum; j++) {
			e->values[j].name =
			    keep(s, regressed_enum_value(f->enum_values[j]));
			e->values[j].value = f->enum_values[j];
		}
		e->ct = ct;
		c->enum_of[i] = e;
	}

	c->object = new_type(s, GQL_KIND_OBJECT, c->type_name, NULL);
	c->object->ct = ct;
	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];
		const struct gql_stype *t;
		struct gql_field_def *fd;

		if (f->sys == SYS_ID || !outputs(f))
			continue;
		if (f->sys == SYS_DOCUMENT_ID)
			t = nn(s, b->ID);
		else if (c->enum_of[i])
			t = c->enum_of[i];
		else
			t = builtin_scalar(b, f->sys ? GQL_SC_DATETIME
						     : attr_scalar(f->type));
		if (!f->sys && (f->flags & FIELD_REQUIRED))
			t = nn(s, t);
		fd = add_field(&fb, f->name, t);
		fd->resolve = GQL_RES_COLUMN;
		fd->ct = ct;
		fd->attr = f;
		fd->col = i;
	}
	set_fields(c->object, &fb);

	c->input = new_type(s, GQL_KIND_INPUT_OBJECT,
			    keep(s, xasprintf("%sInput", c->type_name)), NULL);
	c->input->ct = ct;
	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];

		if (f->sys)
			continue;
		add_arg(&ib, f->name,
			c->enum_of[i]
			    ? c->enum_of[i]
			    : builtin_scalar(b, attr_scalar(f->type)));
	}
	add_arg(&ib, "publishedAt", b->DateTime);
	add_arg(&ib, "locale", b->String);
	set_input_fields(c->input, &ib);

	if (ct->single)
		return;
	c->filters =
	    new_type(s, GQL_KIND_INPUT_OBJECT,
		     keep(s, xasprintf("%sFiltersInput", c->type_name)), NULL);
	c->filters->ct = ct;
	for (i = 0; i < ct->n_fields; i++) {
		const struct field *f = &ct->fields[i];
		enum gql_scalar sc;

		if (f->sys == SYS_ID || !outputs(f))
			continue;
		if (f->sys == SYS_DOCUMENT_ID)
			sc = GQL_SC_ID;
		else if (f->sys)
			sc = GQL_SC_DATETIME;
		else
			sc = attr_scalar(f->type);
		add_arg(&flb, f->name, b->filter_of[sc]);
	}
	add_arg(&flb, "and", list(s, c->filters));
	add_arg(&flb, "or", list(s, c->filters));
	add_arg(&flb, "not", c->filters);
	set_input_fields(c->filters, &flb);

	memset(&fb, 0, sizeof(fb));
	c->collection = new_type(
	    s, GQL_KIND_OBJECT,
	    keep(s, xasprintf("%sEntityResponseCollection", c->type_name)),
	    NULL);
	c->collection->ct = ct;
	add_field(&fb, "nodes", nn(s, list(s, nn(s, c->object))))->resolve =
	    GQL_RES_NODES;
	add_field(&fb, "pageInfo", nn(s, b->Pagination))->resolve =
	    GQL_RES_PAGE_INFO;
	set_fields(c->collection, &fb);
}

/* status, hasPublishedVersion, publicationFilter */
static void
add_status_args(struct gql_schema *s, const struct builtins *b,
		struct args_b *ab)
{
	arg_default(add_arg(ab, "status", b->PublicationStatus), "PUBLISHED",
		    json_string("PUBLISHED"));
	add_arg(ab, "hasPublishedVersion", b->Boolean);
	add_arg(ab, "publicationFilter", b->PublicationFilter);
	(void)s;
}

static void
root_field(struct fields_b *fb, const char *name, const struct gql_stype *t,
	   struct args_b *ab, enum gql_resolve res,
	   const struct content_type *ct, enum ct_action action)
{
	struct gql_field_def *f = add_field(fb, name, t);

	f->args = ab->v;
	f->n_args = ab->n;
	f->resolve = res;
	f->ct = ct;
	f->action = action;
	memset(ab, 0, sizeof(*ab));
}

static void
make_query_fields(struct gql_schema *s, const struct builtins *b,
		  struct ct_types *c, struct fields_b *qf)
{
	struct args_b ab = {0};

	if (c->ct->single) {
		add_status_args(s, b, &ab);
		root_field(qf, c->singular, c->object, &ab, GQL_RES_SINGLE,
			   c->ct, ACTION_FIND);
		return;
	}
	add_arg(&ab, "documentId", nn(s, b->ID));
	add_status_args(s, b, &ab);
	root_field(qf, c->singular, c->object, &ab, GQL_RES_FIND_ONE, c->ct,
		   ACTION_FIND_ONE);
	for (int k = 0; k < 2; k++) {
		add_arg(&ab, "filters", c->filters);
		arg_default(add_arg(&ab, "pagination", b->PaginationArg), "{}",
			    json_object());
		arg_default(add_arg(&ab, "sort", list(s, b->String)), "[]",
			    json_array());
		add_status_args(s, b, &ab);
		if (k == 0)
			root_field(
			    qf, keep(s, xasprintf("%s_connection", c->plural)),
			    c->collection, &ab, GQL_RES_CONNECTION, c->ct,
			    ACTION_FIND);
		else
			root_field(qf, c->plural, nn(s, list(s, c->object)),
				   &ab, GQL_RES_FIND, c->ct, ACTION_FIND);
	}
}

static void
make_mutation_fields(struct gql_schema *s, const struct builtins *b,
		     struct ct_types *c, struct fields_b *mf)
{
	struct args_b ab = {0};

	if (!c->ct->single) {
		arg_default(add_arg(&ab, "status", b->PublicationStatus),
			    "PUBLISHED", json_string("PUBLISHED"));
		add_arg(&ab, "data", nn(s, c->input));
		root_field(mf, keep(s, xasprintf("create%s", c->type_name)),
			   c->object, &ab, GQL_RES_CREATE, c->ct,
			   ACTION_CREATE);
		add_arg(&ab, "documentId", nn(s, b->ID));
	}
	arg_default(add_arg(&ab, "status", b->PublicationStatus), "PUBLISHED",
		    json_string("PUBLISHED"));
	add_arg(&ab, "data", nn(s, c->input));
	root_field(mf, keep(s, xasprintf("update%s", c->type_name)), c->object,
		   &ab, GQL_RES_UPDATE, c->ct, ACTION_UPDATE);
	if (!c->ct->single)
		add_arg(&ab, "documentId", nn(s, b->ID));
	root_field(mf, keep(s, xasprintf("delete%s", c->type_name)),
		   b->DeleteMutationResponse, &ab, GQL_RES_DELETE, c->ct,
		   ACTION_DELETE);
}

/* ---- introspection types --------------------------------------------------
 */

static void
make_introspection(struct gql_schema *s, const struct builtins *b)
{
	static const char *const kinds[] = {
	    "SCALAR",       "OBJECT", "INTERFACE", "UNION", "ENUM",
	    "INPUT_OBJECT", "LIST",   "NON_NULL",  NULL,
	};
	static const char *locs[GQL_N_DIR_LOCS + 1];
	struct gql_stype *Schema, *Type, *Field, *InputValue, *EnumValue,
	    *Directive, *TypeKind, *DirLoc;
	struct fields_b fb = {0};
	struct args_b ab = {0};
	const struct gql_stype *S = b->String, *B = b->Boolean;
	unsigned i;

	for (i = 0; i < GQL_N_DIR_LOCS; i++)
		locs[i] = gql_dir_loc_name(i);
	locs[GQL_N_DIR_LOCS] = NULL;

	Schema = new_type(s, GQL_KIND_OBJECT, "__Schema",
			  "A GraphQL Schema defines the capabilities of a "
			  "GraphQL server. It exposes all available types and "
			  "directives on the server, as well as the entry "
			  "points for query, mutation, and subscription "
			  "operations.");
	Type = new_type(s, GQL_KIND_OBJECT, "__Type", NULL);
	TypeKind = new_type(s, GQL_KIND_ENUM, "__TypeKind",
			    "An enum describing what kind of type a given "
			    "`__Type` is.");
	set_enum(s, TypeKind, kinds);
	Field = new_type(s, GQL_KIND_OBJECT, "__Field", NULL);
	InputValue = new_type(s, GQL_KIND_OBJECT, "__InputValue", NULL);
	EnumValue = new_type(s, GQL_KIND_OBJECT, "__EnumValue", NULL);
	Directive = new_type(s, GQL_KIND_OBJECT, "__Directive", NULL);
	DirLoc = new_type(s, GQL_KIND_ENUM, "__DirectiveLocation",
			  "A Directive can be adjacent to many parts of the "
			  "GraphQL language, a __DirectiveLocation describes "
			  "one such possible adjacencies.");
	set_enum(s, DirLoc, locs);

	add_field(&fb, "description", S);
	add_field(&fb, "types", nn(s, list(s, nn(s, Type))));
	add_field(&fb, "queryType", nn(s, Type));
	add_field(&fb, "mutationType", Type);
	add_field(&fb, "subscriptionType", Type);
	add_field(&fb, "directives", nn(s, list(s, nn(s, Directive))));
	set_fields(Schema, &fb);

#define INCLUDE_DEPRECATED()                                                   \
	arg_default(add_arg(&ab, "includeDeprecated", B), "false", json_false())
	memset(&fb, 0, sizeof(fb));
	add_field(&fb, "kind", nn(s, TypeKind));
	add_field(&fb, "name", S);
	add_field(&fb, "description", S);
	add_field(&fb, "specifiedByURL", S);
	INCLUDE_DEPRECATED();
	root_field(&fb, "fields", list(s, nn(s, Field)), &ab, GQL_RES_NONE,
		   NULL, 0);
	add_field(&fb, "interfaces", list(s, nn(s, Type)));
	add_field(&fb, "possibleTypes", list(s, nn(s, Type)));
	INCLUDE_DEPRECATED();
	root_field(&fb, "enumValues", list(s, nn(s, EnumValue)), &ab,
		   GQL_RES_NONE, NULL, 0);
	INCLUDE_DEPRECATED();
	root_field(&fb, "inputFields", list(s, nn(s, InputValue)), &ab,
		   GQL_RES_NONE, NULL, 0);
	add_field(&fb, "ofType", Type);
	add_field(&fb, "isOneOf", B);
	set_fields(Type, &fb);

	memset(&fb, 0, sizeof(fb));
	add_field(&fb, "name", nn(s, S));
	add_field(&fb, "description", S);
	INCLUDE_DEPRECATED();
	root_field(&fb, "args", nn(s, list(s, nn(s, InputValue))), &ab,
		   GQL_RES_NONE, NULL, 0);
	add_field(&fb, "type", nn(s, Type));
	add_field(&fb, "isDeprecated", nn(s, B));
	add_field(&fb, "deprecationReason", S);
	set_fields(Field, &fb);

	memset(&fb, 0, sizeof(fb));
	add_field(&fb, "name", nn(s, S));
	add_field(&fb, "description", S);
	add_field(&fb, "type", nn(s, Type));
	add_field(&fb, "defaultValue", S);
	add_field(&fb, "isDeprecated", nn(s, B));
	add_field(&fb, "deprecationReason", S);
	set_fields(InputValue, &fb);

	memset(&fb, 0, sizeof(fb));
	add_field(&fb, "name", nn(s, S));
	add_field(&fb, "description", S);
	add_field(&fb, "isDeprecated", nn(s, B));
	add_field(&fb, "deprecationReason", S);
	set_fields(EnumValue, &fb);

	memset(&fb, 0, sizeof(fb));
	add_field(&fb, "name", nn(s, S));
	add_field(&fb, "description", S);
	add_field(&fb, "isRepeatable", nn(s, B));
	add_field(&fb, "locations", nn(s, list(s, nn(s, DirLoc))));
	INCLUDE_DEPRECATED();
	root_field(&fb, "args", nn(s, list(s, nn(s, InputValue))), &ab,
		   GQL_RES_NONE, NULL, 0);
	set_fields(Directive, &fb);
#undef INCLUDE_DEPRECATED

	s->meta_typename.name = "__typename";
	s->meta_typename.type = nn(s, S);
	s->meta_typename.resolve = GQL_RES_TYPENAME;
	s->meta_typename.description =
	    "The name of the current Object type at runtime.";
	s->meta_schema.name = "__schema";
	s->meta_schema.type = nn(s, Schema);
	s->meta_schema.resolve = GQL_RES_SCHEMA;
	s->meta_schema.description =
	    "Access the current type schema of this server.";
	s->meta_type.name = "__type";
	s->meta_type.type = Type;
	s->meta_type.resolve = GQL_RES_TYPE;
	s->meta_type.description = "Request the type information of a "
				   "single type.";
	s->meta_type_arg.name = "name";
	s->meta_type_arg.type = nn(s, S);
	s->meta_type.args = &s->meta_type_arg;
	s->meta_type.n_args = 1;
}

static void
make_directives(struct gql_schema *s, const struct builtins *b)
{
	struct gql_directive_def *d;
	struct gql_arg_def *a;

	s->n_dirs = 5;
	s->dirs = xcalloc(s->n_dirs, sizeof(*s->dirs));
	d = &s->dirs[0];
	d->name = "include";
	d->description = "Directs the executor to include this field or "
			 "fragment only when the `if` argument is true.";
	d->locations =
	    GQL_LOC_FIELD | GQL_LOC_FRAGMENT_SPREAD | GQL_LOC_INLINE_FRAGMENT;
	d->args = a = xcalloc(1, sizeof(*a));
	d->n_args = 1;
	a->name = "if";
	a->description = "Included when true.";
	a->type = nn(s, b->Boolean);

	d = &s->dirs[1];
	d->name = "skip";
	d->description = "Directs the executor to skip this field or "
			 "fragment when the `if` argument is true.";
	d->locations =
	    GQL_LOC_FIELD | GQL_LOC_FRAGMENT_SPREAD | GQL_LOC_INLINE_FRAGMENT;
	d->args = a = xcalloc(1, sizeof(*a));
	d->n_args = 1;
	a->name = "if";
	a->description = "Skipped when true.";
	a->type = nn(s, b->Boolean);

	d = &s->dirs[2];
	d->name = "deprecated";
	d->description = "Marks an element of a GraphQL schema as no longer "
			 "supported.";
	d->locations = GQL_LOC_FIELD_DEFINITION | GQL_LOC_ARGUMENT_DEFINITION |
		       GQL_LOC_INPUT_FIELD_DEFINITION | GQL_LOC_ENUM_VALUE;
	d->args = a = xcalloc(1, sizeof(*a));
	d->n_args = 1;
	a->name = "reason";
	a->description =
	    "Explains why this element was deprecated, usually also "
	    "including a suggestion for how to access supported similar "
	    "data. Formatted using the Markdown syntax, as specified by "
	    "[CommonMark](https://commonmark.org/).";
	a->type = b->String;
	arg_default(a, "\"No longer supported\"",
		    json_string("No longer supported"));

	d = &s->dirs[3];
	d->name = "specifiedBy";
	d->description = "Exposes a URL that specifies the behavior of this "
			 "scalar.";
	d->locations = GQL_LOC_SCALAR;
	d->args = a = xcalloc(1, sizeof(*a));
	d->n_args = 1;
	a->name = "url";
	a->description = "The URL that specifies the behavior of this scalar.";
	a->type = nn(s, b->String);

	d = &s->dirs[4];
	d->name = "oneOf";
	d->description = "Indicates exactly one field must be supplied and "
			 "this field must not be `null`.";
	d->locations = GQL_LOC_INPUT_OBJECT;
}

/* ---- build ------------------------------------------------------------------
 */

static int
check_unique_names(struct gql_schema *s, struct err *e)
{
	size_t i, j;

	for (i = 0; i < s->n_types; i++)
		for (j = i + 1; j < s->n_types; j++)
			if (!strcmp(s->types[i]->name, s->types[j]->name))
				return err_set(e, ERR_VALIDATION,
					       "graphql: two types are named "
					       "'%s'",
					       s->types[i]->name);
	for (i = 0; s->query && i < s->query->n_fields; i++)
		for (j = i + 1; j < s->query->n_fields; j++)
			if (!strcmp(s->query->fields[i].name,
				    s->query->fields[j].name))
				return err_set(e, ERR_VALIDATION,
					       "graphql: two queries are named "
					       "'%s'",
					       s->query->fields[i].name);
	return 0;
}

int
gql_schema_build(const struct schema_registry *reg, struct gql_schema **out,
		 struct err *e)
{
	struct gql_schema *s = xcalloc(1, sizeof(*s));
	struct builtins b = {0};
	struct ct_types *cts;
	struct fields_b qf = {0}, mf = {0};
	size_t i;
	int rc;

	s->reg = reg;
	*out = NULL;
	s->query = new_type(s, GQL_KIND_OBJECT, "Query", NULL);
	cts = xcalloc(reg->n_types ? reg->n_types : 1, sizeof(*cts));
	make_scalars(s, &b);
	make_strapi_types(s, &b);
	for (i = 0; i < reg->n_types; i++) {
		struct ct_types *c = &cts[i];

		c->ct = &reg->types[i];
		c->type_name = camel(c->ct->singular, true);
		c->singular = camel(c->ct->singular, false);
		c->plural = camel(c->ct->plural, false);
		keep(s, c->type_name);
		keep(s, c->singular);
		keep(s, c->plural);
		make_content_types(s, &b, c);
		make_query_fields(s, &b, c, &qf);
	}
	set_fields(s->query, &qf);
	if (reg->n_types) {
		s->mutation = new_type(s, GQL_KIND_OBJECT, "Mutation", NULL);
		for (i = 0; i < reg->n_types; i++)
			make_mutation_fields(s, &b, &cts[i], &mf);
		set_fields(s->mutation, &mf);
	}
	make_introspection(s, &b);
	make_directives(s, &b);
	for (i = 0; i < reg->n_types; i++)
		free(cts[i].enum_of);
	free(cts);
	rc = check_unique_names(s, e);
	if (rc < 0) {
		gql_schema_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static void
free_args(struct gql_arg_def *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		json_decref(a[i].default_value);
	free(a);
}

void
gql_schema_free(struct gql_schema *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->n_types; i++) {
		struct gql_stype *t = s->types[i];

		for (j = 0; j < t->n_fields; j++)
			free_args(t->fields[j].args, t->fields[j].n_args);
		free(t->fields);
		free_args(t->input_fields, t->n_input_fields);
		free(t->values);
		free(t->interfaces);
		free(t->possible);
		free(t);
	}
	free(s->types);
	for (i = 0; i < s->n_wrappers; i++)
		free(s->wrappers[i]);
	free(s->wrappers);
	for (i = 0; i < s->n_strs; i++)
		free(s->strs[i]);
	free(s->strs);
	for (i = 0; i < s->n_dirs; i++)
		free_args(s->dirs[i].args, s->dirs[i].n_args);
	free(s->dirs);
	free(s);
}

/* ---- lookups
 * ------------------------------------------------------------------ */

const struct gql_stype *
gql_schema_query(const struct gql_schema *s)
{
	return s->query;
}

const struct gql_stype *
gql_schema_mutation(const struct gql_schema *s)
{
	return s->mutation;
}

const struct gql_stype *
gql_schema_type(const struct gql_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_types; i++)
		if (!strcmp(s->types[i]->name, name))
			return s->types[i];
	return NULL;
}

const struct gql_stype *const *
gql_schema_types(const struct gql_schema *s, size_t *n)
{
	*n = s->n_types;
	return (const struct gql_stype *const *)s->types;
}

const struct gql_directive_def *
gql_schema_directives(const struct gql_schema *s, size_t *n)
{
	*n = s->n_dirs;
	return s->dirs;
}

const struct gql_directive_def *
gql_schema_directive(const struct gql_schema *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n_dirs; i++)
		if (!strcmp(s->dirs[i].name, name))
			return &s->dirs[i];
	return NULL;
}

const struct gql_field_def *
gql_field(const struct gql_schema *s, const struct gql_stype *t,
	  const char *name)
{
	size_t i;

	if (!t || (t->kind != GQL_KIND_OBJECT &&
		   t->kind != GQL_KIND_INTERFACE && t->kind != GQL_KIND_UNION))
		return NULL;
	if (name[0] == '_' && name[1] == '_') {
		if (!strcmp(name, "__typename"))
			return &s->meta_typename;
		if (t == s->query && !strcmp(name, "__schema"))
			return &s->meta_schema;
		if (t == s->query && !strcmp(name, "__type"))
			return &s->meta_type;
	}
	for (i = 0; i < t->n_fields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

const struct gql_arg_def *
gql_arg(const struct gql_arg_def *args, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(args[i].name, name))
			return &args[i];
	return NULL;
}

const struct gql_enum_value_def *
gql_enum_value(const struct gql_stype *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_values; i++)
		if (!strcmp(t->values[i].name, name))
			return &t->values[i];
	return NULL;
}

const struct gql_enum_value_def *
gql_enum_by_value(const struct gql_stype *t, const char *value)
{
	size_t i;

	for (i = 0; i < t->n_values; i++)
		if (!strcmp(t->values[i].value, value))
			return &t->values[i];
	return NULL;
}

const char *
gql_dir_loc_name(unsigned i)
{
	static const char *const names[GQL_N_DIR_LOCS] = {
	    "QUERY",
	    "MUTATION",
	    "SUBSCRIPTION",
	    "FIELD",
	    "FRAGMENT_DEFINITION",
	    "FRAGMENT_SPREAD",
	    "INLINE_FRAGMENT",
	    "VARIABLE_DEFINITION",
	    "SCHEMA",
	    "SCALAR",
	    "OBJECT",
	    "FIELD_DEFINITION",
	    "ARGUMENT_DEFINITION",
	    "INTERFACE",
	    "UNION",
	    "ENUM",
	    "ENUM_VALUE",
	    "INPUT_OBJECT",
	    "INPUT_FIELD_DEFINITION",
	};

	return i < GQL_N_DIR_LOCS ? names[i] : "";
}

/* ---- predicates
 * ----------------------------------------------------------------- */

const struct gql_stype *
gql_named(const struct gql_stype *t)
{
	while (t && (t->kind == GQL_KIND_LIST || t->kind == GQL_KIND_NON_NULL))
		t = t->of;
	return t;
}

const struct gql_stype *
gql_nullable(const struct gql_stype *t)
{
	return t && t->kind == GQL_KIND_NON_NULL ? t->of : t;
}

bool
gql_is_non_null(const struct gql_stype *t)
{
	return t && t->kind == GQL_KIND_NON_NULL;
}

bool
gql_is_list(const struct gql_stype *t)
{
	t = gql_nullable(t);
	return t && t->kind == GQL_KIND_LIST;
}

bool
gql_is_leaf(const struct gql_stype *t)
{
	return t && (t->kind == GQL_KIND_SCALAR || t->kind == GQL_KIND_ENUM);
}

bool
gql_is_composite(const struct gql_stype *t)
{
	return t &&
	       (t->kind == GQL_KIND_OBJECT || t->kind == GQL_KIND_INTERFACE ||
		t->kind == GQL_KIND_UNION);
}

bool
gql_is_abstract(const struct gql_stype *t)
{
	return t &&
	       (t->kind == GQL_KIND_INTERFACE || t->kind == GQL_KIND_UNION);
}

bool
gql_is_input_type(const struct gql_stype *t)
{
	t = gql_named(t);
	return t && (t->kind == GQL_KIND_SCALAR || t->kind == GQL_KIND_ENUM ||
		     t->kind == GQL_KIND_INPUT_OBJECT);
}

bool
gql_is_output_type(const struct gql_stype *t)
{
	t = gql_named(t);
	return t && t->kind != GQL_KIND_INPUT_OBJECT;
}

bool
gql_possible(const struct gql_stype *abstract, const struct gql_stype *obj)
{
	size_t i;

	if (abstract == obj)
		return true;
	for (i = 0; abstract && i < abstract->n_possible; i++)
		if (abstract->possible[i] == obj)
			return true;
	return false;
}

bool
gql_overlap(const struct gql_stype *a, const struct gql_stype *b)
{
	size_t i;

	if (a == b)
		return true;
	if (gql_is_abstract(a)) {
		if (gql_is_abstract(b)) {
			for (i = 0; i < a->n_possible; i++)
				if (gql_possible(b, a->possible[i]))
					return true;
			return false;
		}
		return gql_possible(a, b);
	}
	if (gql_is_abstract(b))
		return gql_possible(b, a);
	return false;
}

bool
gql_type_equal(const struct gql_stype *a, const struct gql_stype *b)
{
	while (a && b) {
		if (a->kind != b->kind)
			return false;
		if (a->kind != GQL_KIND_LIST && a->kind != GQL_KIND_NON_NULL)
			return a == b;
		a = a->of;
		b = b->of;
	}
	return a == b;
}

bool
gql_subtype(const struct gql_stype *sub, const struct gql_stype *super)
{
	if (gql_type_equal(sub, super))
		return true;
	if (super->kind == GQL_KIND_NON_NULL)
		return sub->kind == GQL_KIND_NON_NULL &&
		       gql_subtype(sub->of, super->of);
	if (sub->kind == GQL_KIND_NON_NULL)
		return gql_subtype(sub->of, super);
	if (super->kind == GQL_KIND_LIST)
		return sub->kind == GQL_KIND_LIST &&
		       gql_subtype(sub->of, super->of);
	if (sub->kind == GQL_KIND_LIST)
		return false;
	return gql_is_abstract(super) && sub->kind == GQL_KIND_OBJECT &&
	       gql_possible(super, sub);
}

struct buf_lite {
	char *out;
	size_t size, len;
};

static void
bl_add(struct buf_lite *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n >= b->size)
		n = b->size - b->len - 1;
	memcpy(b->out + b->len, s, n);
	b->len += n;
	b->out[b->len] = '\0';
}

static void
type_str(const struct gql_stype *t, struct buf_lite *b)
{
	if (!t) {
		bl_add(b, "?");
	} else if (t->kind == GQL_KIND_LIST) {
		bl_add(b, "[");
		type_str(t->of, b);
		bl_add(b, "]");
	} else if (t->kind == GQL_KIND_NON_NULL) {
		type_str(t->of, b);
		bl_add(b, "!");
	} else {
		bl_add(b, t->name);
	}
}

char *
gql_type_str(const struct gql_stype *t, char *out, size_t size)
{
	struct buf_lite b = {out, size, 0};

	if (!size)
		return out;
	out[0] = '\0';
	type_str(t, &b);
	return out;
}

/* ---- request-scoped wrappers
 * ------------------------------------------------------ */

void
gql_type_pool_release(struct gql_type_pool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

static const struct gql_stype *
pool_wrap(struct gql_type_pool *p, enum gql_kind kind,
	  const struct gql_stype *of)
{
	struct gql_stype *w;

	/* the schema's own wrapper when it has one */
	if (kind == GQL_KIND_LIST && of->list_of)
		return of->list_of;
	if (kind == GQL_KIND_NON_NULL && of->non_null_of)
		return of->non_null_of;
	w = xcalloc(1, sizeof(*w));
	w->kind = kind;
	w->of = of;
	GROW(p->items, p->n, p->alloc);
	p->items[p->n++] = w;
	return w;
}

const struct gql_stype *
gql_schema_resolve_ref(const struct gql_schema *s, const struct gql_type *ref,
		       struct gql_type_pool *pool)
{
	const struct gql_stype *inner;

	if (!ref)
		return NULL;
	switch (ref->kind) {
	case GQL_TYPE_NAMED:
		return gql_schema_type(s, ref->name);
	case GQL_TYPE_LIST:
		inner = gql_schema_resolve_ref(s, ref->of, pool);
		return inner ? pool_wrap(pool, GQL_KIND_LIST, inner) : NULL;
	case GQL_TYPE_NON_NULL:
		inner = gql_schema_resolve_ref(s, ref->of, pool);
		return inner ? pool_wrap(pool, GQL_KIND_NON_NULL, inner) : NULL;
	}
	return NULL;
}
