/* SPDX-License-Identifier: MIT */
/*
 * ast.h: the GraphQL executable document (GraphQL spec, October 2021,
 * section 2) as data. Built by gql_parse() (graphql/parse.c), read by the
 * validator and the executor. Every node records its source location
 * (1-based line and column) for error messages.
 *
 * Ownership: a document owns every node and string below it; free it with
 * gql_document_free(). Strings are NUL-terminated copies (string values are
 * already unescaped, block strings already dedented).
 */
#ifndef GRAPHQL_AST_H
#define GRAPHQL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gql_loc {
	unsigned line;
	unsigned column;
};

enum gql_value_kind {
	GQL_VALUE_VARIABLE,
	GQL_VALUE_INT,    /* text in 'str', as written ("-12") */
	GQL_VALUE_FLOAT,  /* text in 'str' ("1.5e3") */
	GQL_VALUE_STRING, /* unescaped in 'str' */
	GQL_VALUE_BOOLEAN,
	GQL_VALUE_NULL,
	GQL_VALUE_ENUM,   /* name in 'str' */
	GQL_VALUE_LIST,
	GQL_VALUE_OBJECT,
};

struct gql_value;

struct gql_object_field {
	char *name;
	struct gql_value *value;
	struct gql_loc loc;
};

struct gql_value {
	enum gql_value_kind kind;
	struct gql_loc loc;
	char *str;                /* INT, FLOAT, STRING, ENUM; VARIABLE: the name without '$' */
	bool boolean;             /* BOOLEAN */
	struct gql_value **items; /* LIST */
	size_t n_items;
	struct gql_object_field *fields; /* OBJECT, in source order */
	size_t n_fields;
};

struct gql_argument {
	char *name;
	struct gql_value *value;
	struct gql_loc loc;
};

struct gql_directive {
	char *name; /* without '@' */
	struct gql_argument *args;
	size_t n_args;
	struct gql_loc loc;
};

/* A type reference: Name, [T], T! */
enum gql_type_kind { GQL_TYPE_NAMED, GQL_TYPE_LIST, GQL_TYPE_NON_NULL };
struct gql_type {
	enum gql_type_kind kind;
	char *name;           /* NAMED */
	struct gql_type *of;  /* LIST, NON_NULL */
	struct gql_loc loc;
};

enum gql_selection_kind {
	GQL_SEL_FIELD,
	GQL_SEL_FRAGMENT_SPREAD,
	GQL_SEL_INLINE_FRAGMENT,
};

struct gql_selection;

struct gql_selection_set {
	struct gql_selection **items;
	size_t n_items;
	struct gql_loc loc;
};

struct gql_selection {
	enum gql_selection_kind kind;
	struct gql_loc loc;
	/* FIELD */
	char *alias;   /* NULL when none */
	char *name;    /* FIELD: field name; FRAGMENT_SPREAD: fragment name */
	struct gql_argument *args;
	size_t n_args;
	/* INLINE_FRAGMENT: type condition, NULL when none */
	char *type_condition;
	struct gql_directive *directives;
	size_t n_directives;
	struct gql_selection_set *selection_set; /* NULL for leaf fields and spreads */
};

enum gql_operation_kind { GQL_OP_QUERY, GQL_OP_MUTATION, GQL_OP_SUBSCRIPTION };

struct gql_variable_definition {
	char *name; /* without '$' */
	struct gql_type *type;
	struct gql_value *default_value; /* NULL when none */
	struct gql_directive *directives;
	size_t n_directives;
	struct gql_loc loc;
};

enum gql_definition_kind { GQL_DEF_OPERATION, GQL_DEF_FRAGMENT };

struct gql_definition {
	enum gql_definition_kind kind;
	struct gql_loc loc;
	/* OPERATION */
	enum gql_operation_kind operation;
	char *name; /* operation name (NULL when anonymous) or fragment name */
	struct gql_variable_definition *vars;
	size_t n_vars;
	/* FRAGMENT */
	char *type_condition;
	struct gql_directive *directives;
	size_t n_directives;
	struct gql_selection_set *selection_set;
};

struct gql_document {
	struct gql_definition *defs;
	size_t n_defs;
};

/* Bounds applied while parsing (each over-limit case is a parse error). */
struct gql_limits {
	size_t max_bytes;   /* document size (default 65536) */
	size_t max_depth;   /* nesting of selection sets, values and types (default 64) */
	size_t max_tokens;  /* (default 20000) */
};

#define GQL_LIMITS_DEFAULT { 65536, 64, 20000 }

/* A parse error: GraphQL's "Syntax Error: ..." message and its location. */
struct gql_error {
	char message[256];
	struct gql_loc loc;
};

/*
 * Parse an executable document. On success '*out' is a new document and 0
 * is returned; otherwise -1 with 'err' filled, e.g.
 *   "Syntax Error: Expected Name, found \"}\"." at line 1, column 12
 * (graphql-js's wording). Type-system definitions (type, schema, ...) are
 * rejected as non-executable.
 */
int gql_parse(const char *src, size_t len, const struct gql_limits *lim,
	      struct gql_document **out, struct gql_error *err);

void gql_document_free(struct gql_document *doc);

#endif
