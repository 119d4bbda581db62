/* SPDX-License-Identifier: MIT */
/*
 * exec_internal.h: the executor's state and resolved values, shared by
 * exec.c and introspect.c only.
 *
 * A resolver turns a field of a source object into a struct rv: null, a
 * leaf (a JSON value the completion serialises), an object (a struct src
 * naming what it is: a row of a content type, a connection, an
 * introspection object, ...) or a list of those. Completion turns it into
 * the response JSON, applying the field's type (null propagation).
 */
#ifndef GRAPHQL_EXEC_INTERNAL_H
#define GRAPHQL_EXEC_INTERNAL_H

#include "graphql/exec.h"
#include "storage/store.h"

enum src_kind {
	SRC_ROOT,
	SRC_ROW,         /* p: content type; rows/row */
	SRC_CONNECTION,  /* p: content type; rows, q, total */
	SRC_PAGE_INFO,   /* as the connection */
	SRC_DELETED,     /* p: the documentId string */
	SRC_SCHEMA,      /* p: NULL (the executing schema) */
	SRC_TYPE,        /* p: struct gql_stype */
	SRC_FIELD,       /* p: struct gql_field_def */
	SRC_INPUT_VALUE, /* p: struct gql_arg_def */
	SRC_ENUM_VALUE,  /* p: struct gql_enum_value_def */
	SRC_DIRECTIVE,   /* p: struct gql_directive_def */
};

struct src {
	enum src_kind kind;
	const void *p;
	const struct store_rows *rows;
	size_t row;
	const struct content_type *ct;
	const struct query *q;
	int64_t total;
};

enum rv_kind { RV_NULL = 0, RV_LEAF, RV_OBJECT, RV_LIST };

struct rv {
	enum rv_kind kind;
	json_t *leaf;     /* RV_LEAF, owned */
	struct src src;   /* RV_OBJECT */
	struct rv *items; /* RV_LIST, owned */
	size_t n_items;
};

void rv_release(struct rv *v);
/* A leaf ('leaf' stolen; NULL or JSON null makes RV_NULL). */
void rv_leaf_new(struct rv *v, json_t *leaf);
void rv_object(struct rv *v, enum src_kind kind, const void *p);
/* A list of 'n' zeroed items to fill. */
void rv_list(struct rv *v, size_t n);

/* The field nodes merged under one response key. */
struct field_group {
	const char *key;
	const struct gql_selection **sel;
	size_t n, alloc;
	struct group_map *sub; /* execute_fields(): the fields to run */
};

struct group_map {
	struct field_group *v;
	size_t n, alloc;
};

struct path_seg {
	const char *key; /* NULL: an index */
	size_t index;
};

struct exec {
	const struct gql_context *ctx;
	const struct gql_schema *s;
	const struct gql_document *doc;
	const struct gql_definition *op;
	json_t *vars;   /* coerced variables */
	json_t *errors; /* field errors, in order */
	struct gql_type_pool pool;
	struct path_seg *path;
	size_t n_path, alloc_path;
	/* the field being completed, for errors */
	const struct field_group *fields;
	const char *parent_name, *field_name;
};

void exec_path_push_key(struct exec *x, const char *key);
void exec_path_push_index(struct exec *x, size_t i);
void exec_path_pop(struct exec *x);
/* Record an error at the current path with the field's locations. */
void exec_error(struct exec *x, const char *message, const char *code);

/*
 * Resolve an introspection field (Query.__schema, Query.__type and every
 * field of the __ types) of 'src' into 'v'. 0, or -1 with an error
 * recorded.
 */
int gql_introspect_resolve(struct exec *x, const struct gql_stype *obj,
			   const struct src *src,
			   const struct gql_field_def *fd, json_t *args,
			   struct rv *v);

#endif
