/* SPDX-License-Identifier: MIT */
/*
 * schema.h: the GraphQL type system that Strapi 5's GraphQL plugin generates
 * from the content types (shadow CRUD), plus the built-in scalars and
 * directives and the introspection types, so that __schema/__type describe
 * the whole schema.
 *
 *   schema registry (schema/schema.h) --gql_schema_build()--> struct gql_schema
 *
 * Per content type <Name> (upperFirst(camelCase(singularName))):
 *   type <Name> { documentId: ID! <attributes> createdAt updatedAt publishedAt
 * } input <Name>Input, enum ENUM_<NAME>_<ATTR> for enumerations, and for
 * collection types input <Name>FiltersInput and type
 * <Name>EntityResponseCollection { nodes pageInfo }. Query:
 * <singular>(documentId), <plural>_connection(...), <plural>(...) (single
 * types: <singular>(status, ...) only). Mutation: create<Name>, update<Name>,
 * delete<Name> (single types: update<Name>, delete<Name>).
 *
 * Invariants: a schema is built once and read-only afterwards (shared by
 * every thread). Every pointer it hands out (types, fields, names) is valid
 * until gql_schema_free(). Named types are unique by name; a wrapper type
 * (list or non-null) of a given type exists once, so wrapper types compare
 * by pointer too.
 */
#ifndef GRAPHQL_SCHEMA_H
#define GRAPHQL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "schema/schema.h"

enum gql_kind {
	GQL_KIND_SCALAR,
	GQL_KIND_OBJECT,
	GQL_KIND_INTERFACE,
	GQL_KIND_UNION,
	GQL_KIND_ENUM,
	GQL_KIND_INPUT_OBJECT,
	GQL_KIND_LIST,
	GQL_KIND_NON_NULL,
};

/* The scalars, by how their values are coerced and serialised. */
enum gql_scalar {
	GQL_SC_NONE = 0,
	GQL_SC_INT,
	GQL_SC_FLOAT,
	GQL_SC_STRING,
	GQL_SC_BOOLEAN,
	GQL_SC_ID,
	GQL_SC_LONG, /* biginteger: a JSON number out, number or digits in */
	GQL_SC_DATE, /* "YYYY-MM-DD" */
	GQL_SC_TIME, /* "HH:mm:ss.SSS" */
	GQL_SC_DATETIME, /* ISO-8601 UTC with milliseconds */
	GQL_SC_JSON,     /* any JSON value */
};

/* What a field of the schema resolves to (read by the executor). */
enum gql_resolve {
	GQL_RES_NONE = 0,   /* introspection types: resolved by name */
	GQL_RES_FIND,       /* Query.<plural> */
	GQL_RES_CONNECTION, /* Query.<plural>_connection */
	GQL_RES_FIND_ONE,   /* Query.<singular> (collection type) */
	GQL_RES_SINGLE,     /* Query.<singular> (single type) */
	GQL_RES_CREATE,     /* Mutation.create<Name> */
	GQL_RES_UPDATE,     /* Mutation.update<Name> */
	GQL_RES_DELETE,     /* Mutation.delete<Name> */
	GQL_RES_COLUMN,     /* <Name>.<attribute>: column 'col' of the row */
	GQL_RES_NODES,      /* <Name>EntityResponseCollection.nodes */
	GQL_RES_PAGE_INFO,  /* <Name>EntityResponseCollection.pageInfo */
	GQL_RES_PAGE,       /* Pagination.page */
	GQL_RES_PAGE_SIZE,  /* Pagination.pageSize */
	GQL_RES_PAGE_COUNT, /* Pagination.pageCount */
	GQL_RES_TOTAL,      /* Pagination.total */
	GQL_RES_DELETED_ID, /* DeleteMutationResponse.documentId */
	GQL_RES_SCHEMA,     /* Query.__schema (meta field) */
	GQL_RES_TYPE,       /* Query.__type (meta field) */
	GQL_RES_TYPENAME,   /* <any>.__typename (meta field) */
};

struct gql_stype;

/* An argument, or an input-object field (GraphQL's "input value"). */
struct gql_arg_def {
	const char *name;
	const char *description; /* NULL when none */
	const struct gql_stype *type;
	/* default value: the coerced JSON (owned) and its GraphQL text for
	 * introspection's defaultValue; both NULL when there is none */
	json_t *default_value;
	const char *default_text;
};

struct gql_field_def {
	const char *name;
	const char *description;
	const struct gql_stype *type;
	struct gql_arg_def *args;
	size_t n_args;
	const char *deprecation_reason; /* NULL: not deprecated */
	enum gql_resolve resolve;
	const struct content_type *ct; /* root fields and row columns */
	const struct field *attr;      /* GQL_RES_COLUMN: the schema field */
	size_t col;                    /* GQL_RES_COLUMN: index in ct->fields */
	enum ct_action action;         /* root fields: the action checked */
};

struct gql_enum_value_def {
	const char *name;  /* the GraphQL name ("alpha", "PUBLISHED") */
	const char *value; /* the internal value (the stored string) */
	const char *description;
	const char *deprecation_reason;
};

/*
 * A type: a named type (scalar, object, interface, union, enum, input
 * object) or a wrapper (list, non-null) of another type.
 */
struct gql_stype {
	enum gql_kind kind;
	const char *name; /* NULL for wrappers */
	const char *description;
	const char *specified_by;   /* scalars: specifiedByURL, or NULL */
	enum gql_scalar scalar;     /* SCALAR */
	const struct gql_stype *of; /* LIST, NON_NULL: the wrapped type */
	/* OBJECT, INTERFACE */
	struct gql_field_def *fields;
	size_t n_fields;
	const struct gql_stype **interfaces;
	size_t n_interfaces;
	/* INTERFACE, UNION */
	const struct gql_stype **possible;
	size_t n_possible;
	/* ENUM */
	struct gql_enum_value_def *values;
	size_t n_values;
	/* INPUT_OBJECT */
	struct gql_arg_def *input_fields;
	size_t n_input_fields;
	/* content object types and their inputs */
	const struct content_type *ct;
	/* the cached wrappers of this type (built on demand at build time) */
	struct gql_stype *list_of, *non_null_of;
};

/* Directive locations (bit flags); names as the spec spells them. */
enum gql_dir_loc {
	GQL_LOC_QUERY = 1 << 0,
	GQL_LOC_MUTATION = 1 << 1,
	GQL_LOC_SUBSCRIPTION = 1 << 2,
	GQL_LOC_FIELD = 1 << 3,
	GQL_LOC_FRAGMENT_DEFINITION = 1 << 4,
	GQL_LOC_FRAGMENT_SPREAD = 1 << 5,
	GQL_LOC_INLINE_FRAGMENT = 1 << 6,
	GQL_LOC_VARIABLE_DEFINITION = 1 << 7,
	GQL_LOC_SCHEMA = 1 << 8,
	GQL_LOC_SCALAR = 1 << 9,
	GQL_LOC_OBJECT = 1 << 10,
	GQL_LOC_FIELD_DEFINITION = 1 << 11,
	GQL_LOC_ARGUMENT_DEFINITION = 1 << 12,
	GQL_LOC_INTERFACE = 1 << 13,
	GQL_LOC_UNION = 1 << 14,
	GQL_LOC_ENUM = 1 << 15,
	GQL_LOC_ENUM_VALUE = 1 << 16,
	GQL_LOC_INPUT_OBJECT = 1 << 17,
	GQL_LOC_INPUT_FIELD_DEFINITION = 1 << 18,
};
#define GQL_N_DIR_LOCS 19

/* The name of location bit number 'i' ("QUERY", "FIELD", ...). */
const char *gql_dir_loc_name(unsigned i);

struct gql_directive_def {
	const char *name; /* without '@' */
	const char *description;
	unsigned locations; /* enum gql_dir_loc */
	bool repeatable;
	struct gql_arg_def *args;
	size_t n_args;
};

struct gql_schema;

/*
 * Build the schema for 'reg' (borrowed: it must outlive the schema).
 * Returns a new schema (free with gql_schema_free()). Content types whose
 * generated names would clash produce ERR_VALIDATION with a message.
 */
int gql_schema_build(const struct schema_registry *reg, struct gql_schema **out,
		     struct err *e);
void gql_schema_free(struct gql_schema *s);

/* The root types; mutation is NULL when there is no content type. */
const struct gql_stype *gql_schema_query(const struct gql_schema *s);
const struct gql_stype *gql_schema_mutation(const struct gql_schema *s);

/* A named type by name, or NULL. */
const struct gql_stype *gql_schema_type(const struct gql_schema *s,
					const char *name);
/* Every named type, in introspection order. */
const struct gql_stype *const *gql_schema_types(const struct gql_schema *s,
						size_t *n);
/* Directives, and one by name (NULL when unknown). */
const struct gql_directive_def *
gql_schema_directives(const struct gql_schema *s, size_t *n);
const struct gql_directive_def *gql_schema_directive(const struct gql_schema *s,
						     const char *name);

/*
 * A field of an object or interface type by name, including the meta
 * fields: __typename everywhere, __schema and __type on the query root.
 * NULL when absent or when 't' has no fields.
 */
const struct gql_field_def *gql_field(const struct gql_schema *s,
				      const struct gql_stype *t,
				      const char *name);
/* An argument or input field by name; NULL when absent. */
const struct gql_arg_def *gql_arg(const struct gql_arg_def *args, size_t n,
				  const char *name);
/* An enum value by GraphQL name, or by internal value; NULL when absent. */
const struct gql_enum_value_def *gql_enum_value(const struct gql_stype *t,
						const char *name);
const struct gql_enum_value_def *gql_enum_by_value(const struct gql_stype *t,
						   const char *value);

/* ---- type predicates ------------------------------------------------- */

/* The named type under any wrappers. */
const struct gql_stype *gql_named(const struct gql_stype *t);
/* 't' without an outer non-null wrapper. */
const struct gql_stype *gql_nullable(const struct gql_stype *t);
bool gql_is_non_null(const struct gql_stype *t);
bool gql_is_list(const struct gql_stype *t);      /* after stripping non-null */
bool gql_is_leaf(const struct gql_stype *t);      /* scalar or enum (named) */
bool gql_is_composite(const struct gql_stype *t); /* object/interface/union */
bool gql_is_input_type(const struct gql_stype *t);
bool gql_is_output_type(const struct gql_stype *t);
bool gql_is_abstract(const struct gql_stype *t);
/* Whether object type 'obj' is a possible type of 'abstract' (or equal). */
bool gql_possible(const struct gql_stype *abstract,
		  const struct gql_stype *obj);
/* Whether two composite types have an object type in common. */
bool gql_overlap(const struct gql_stype *a, const struct gql_stype *b);
/* Whether 'sub' may be used where 'super' is expected (variables). */
bool gql_subtype(const struct gql_stype *sub, const struct gql_stype *super);
bool gql_type_equal(const struct gql_stype *a, const struct gql_stype *b);

/* The type as GraphQL prints it ("[Article]!") into 'out'; returns 'out'. */
char *gql_type_str(const struct gql_stype *t, char *out, size_t size);

/*
 * Wrapper types made for a request (variable types such as "[String!]!"
 * need not exist in the schema, which is read-only while serving). A pool
 * owns them; release it when the request is done. Zero-initialise it.
 */
struct gql_type_pool {
	struct gql_stype **items;
	size_t n, alloc;
};
void gql_type_pool_release(struct gql_type_pool *p);

/*
 * Resolve an AST type reference (graphql/ast.h) against the schema: the
 * named type with its wrappers (allocated in 'pool', valid until it is
 * released), or NULL when the named type is unknown.
 */
struct gql_type;
const struct gql_stype *gql_schema_resolve_ref(const struct gql_schema *s,
					       const struct gql_type *ref,
					       struct gql_type_pool *pool);

#endif
