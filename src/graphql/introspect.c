/* SPDX-License-Identifier: MIT */
/*
 * introspect.c: the resolvers of the introspection system (GraphQL spec
 * section 4): __schema, __type(name:) and the fields of __Schema, __Type,
 * __Field, __InputValue, __EnumValue and __Directive, over the schema of
 * graphql/schema.h. Nothing in our schema is deprecated, so the
 * includeDeprecated arguments change nothing.
 */
#include "core/compat.h"
#include "graphql/exec_internal.h"

static const char *const kind_names[] = {
    [GQL_KIND_SCALAR] = "SCALAR",
    [GQL_KIND_OBJECT] = "OBJECT",
    [GQL_KIND_INTERFACE] = "INTERFACE",
    [GQL_KIND_UNION] = "UNION",
    [GQL_KIND_ENUM] = "ENUM",
    [GQL_KIND_INPUT_OBJECT] = "INPUT_OBJECT",
    [GQL_KIND_LIST] = "LIST",
    [GQL_KIND_NON_NULL] = "NON_NULL",
};

static void
str_leaf(struct rv *v, const char *s)
{
	rv_leaf_new(v, s ? json_string(s) : NULL);
}

static void
type_rv(struct rv *v, const struct gql_stype *t)
{
	if (!t) {
		memset(v, 0, sizeof(*v));
		return;
	}
	rv_object(v, SRC_TYPE, t);
}

static void
types_list(struct rv *v, const struct gql_stype *const *types, size_t n)
{
	size_t i;

	rv_list(v, n);
	for (i = 0; i < n; i++)
		type_rv(&v->items[i], types[i]);
}

static void
args_list(struct rv *v, const struct gql_arg_def *args, size_t n)
{
	size_t i;

	rv_list(v, n);
	for (i = 0; i < n; i++)
		rv_object(&v->items[i], SRC_INPUT_VALUE, &args[i]);
}

static int
meta_schema_field(struct exec *x, const char *f, struct rv *v)
{
	const struct gql_stype *const *types;
	const struct gql_directive_def *dirs;
	size_t n, i;

	if (!strcmp(f, "types")) {
		types = gql_schema_types(x->s, &n);
		types_list(v, types, n);
	} else if (!strcmp(f, "queryType")) {
		type_rv(v, gql_schema_query(x->s));
	} else if (!strcmp(f, "mutationType")) {
		type_rv(v, gql_schema_mutation(x->s));
	} else if (!strcmp(f, "directives")) {
		dirs = gql_schema_directives(x->s, &n);
		rv_list(v, n);
		for (i = 0; i < n; i++)
			rv_object(&v->items[i], SRC_DIRECTIVE, &dirs[i]);
	} else {
		memset(v, 0, sizeof(*v)); /* description, subscriptionType */
	}
	return 0;
}

static int
type_field(const char *f, const struct gql_stype *t, struct rv *v)
{
	bool fields =
	    t->kind == GQL_KIND_OBJECT || t->kind == GQL_KIND_INTERFACE;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (!strcmp(f, "kind")) {
		str_leaf(v, kind_names[t->kind]);
	} else if (!strcmp(f, "name")) {
		str_leaf(v, t->name);
	} else if (!strcmp(f, "description")) {
		str_leaf(v, t->description);
	} else if (!strcmp(f, "specifiedByURL")) {
		str_leaf(v,
			 t->kind == GQL_KIND_SCALAR ? t->specified_by : NULL);
	} else if (!strcmp(f, "fields")) {
		if (!fields)
			return 0;
		rv_list(v, t->n_fields);
		for (i = 0; i < t->n_fields; i++)
			rv_object(&v->items[i], SRC_FIELD, &t->fields[i]);
	} else if (!strcmp(f, "interfaces")) {
		if (fields)
			types_list(v, t->interfaces, t->n_interfaces);
	} else if (!strcmp(f, "possibleTypes")) {
		if (gql_is_abstract(t))
			types_list(v, t->possible, t->n_possible);
	} else if (!strcmp(f, "enumValues")) {
		if (t->kind != GQL_KIND_ENUM)
			return 0;
		rv_list(v, t->n_values);
		for (i = 0; i < t->n_values; i++)
			rv_object(&v->items[i], SRC_ENUM_VALUE, &t->values[i]);
	} else if (!strcmp(f, "inputFields")) {
		if (t->kind == GQL_KIND_INPUT_OBJECT)
			args_list(v, t->input_fields, t->n_input_fields);
	} else if (!strcmp(f, "ofType")) {
		type_rv(v,
			t->kind == GQL_KIND_LIST || t->kind == GQL_KIND_NON_NULL
			    ? t->of
			    : NULL);
	} else if (!strcmp(f, "isOneOf")) {
		if (t->kind == GQL_KIND_INPUT_OBJECT)
			rv_leaf_new(v, json_false());
	}
	return 0;
}

static void
deprecation(const char *f, const char *reason, struct rv *v)
{
	if (!strcmp(f, "isDeprecated"))
		rv_leaf_new(v, json_boolean(reason != NULL));
	else if (!strcmp(f, "deprecationReason"))
		str_leaf(v, reason);
}

int
gql_introspect_resolve(struct exec *x, const struct gql_stype *obj,
		       const struct src *src, const struct gql_field_def *fd,
		       json_t *args, struct rv *v)
{
	const char *f = fd->name;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (fd->resolve == GQL_RES_SCHEMA) {
		rv_object(v, SRC_SCHEMA, NULL);
		return 0;
	}
	if (fd->resolve == GQL_RES_TYPE) {
		const char *name =
		    json_string_value(json_object_get(args, "name"));

		type_rv(v, name ? gql_schema_type(x->s, name) : NULL);
		return 0;
	}
	(void)obj;
	switch (src->kind) {
	case SRC_SCHEMA:
		return meta_schema_field(x, f, v);
	case SRC_TYPE:
		return type_field(f, src->p, v);
	case SRC_FIELD: {
		const struct gql_field_def *d = src->p;

		if (!strcmp(f, "name"))
			str_leaf(v, d->name);
		else if (!strcmp(f, "description"))
			str_leaf(v, d->description);
		else if (!strcmp(f, "args"))
			args_list(v, d->args, d->n_args);
		else if (!strcmp(f, "type"))
			type_rv(v, d->type);
		else
			deprecation(f, d->deprecation_reason, v);
		return 0;
	}
	case SRC_INPUT_VALUE: {
		const struct gql_arg_def *a = src->p;

		if (!strcmp(f, "name"))
			str_leaf(v, a->name);
		else if (!strcmp(f, "description"))
			str_leaf(v, a->description);
		else if (!strcmp(f, "type"))
			type_rv(v, a->type);
		else if (!strcmp(f, "defaultValue"))
			str_leaf(v, a->default_text);
		else
			deprecation(f, NULL, v);
		return 0;
	}
	case SRC_ENUM_VALUE: {
		const struct gql_enum_value_def *e = src->p;

		if (!strcmp(f, "name"))
			str_leaf(v, e->name);
		else if (!strcmp(f, "description"))
			str_leaf(v, e->description);
		else
			deprecation(f, e->deprecation_reason, v);
		return 0;
	}
	case SRC_DIRECTIVE: {
		const struct gql_directive_def *d = src->p;

		if (!strcmp(f, "name")) {
			str_leaf(v, d->name);
		} else if (!strcmp(f, "description")) {
			str_leaf(v, d->description);
		} else if (!strcmp(f, "isRepeatable")) {
			rv_leaf_new(v, json_boolean(d->repeatable));
		} else if (!strcmp(f, "args")) {
			args_list(v, d->args, d->n_args);
		} else if (!strcmp(f, "locations")) {
			size_t n = 0, k = 0;

			for (i = 0; i < GQL_N_DIR_LOCS; i++)
				if (d->locations & (1u << i))
					n++;
			rv_list(v, n);
			for (i = 0; i < GQL_N_DIR_LOCS; i++)
				if (d->locations & (1u << i))
					rv_leaf_new(
					    &v->items[k++],
					    json_string(gql_dir_loc_name(i)));
		}
		return 0;
	}
	default:
		return 0;
	}
}
