/* SPDX-License-Identifier: MIT */
/*
 * fuzz_graphql.c: libFuzzer target for the GraphQL parser: the input is a
 * request's "query" text, parsed by gql_parse() with the default limits
 * and freed. Whatever the outcome, the tree must be well formed (every
 * string set where ast.h says so, locations 1-based) and an error must
 * carry a "Syntax Error: " message that is valid UTF-8. Built with
 * replay_main.c it replays a corpus instead.
 */
#include "core/compat.h"

#include "graphql/ast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_selection_set(const struct gql_selection_set *ss);

static void
check_loc(struct gql_loc loc)
{
	if (loc.line < 1 || loc.column < 1)
		BUG("location not 1-based");
}

/* 's' must be well-formed UTF-8 without surrogates. */
static void
check_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i;
	uint32_t cp;

	while (*u) {
		if (*u < 0x80) {
			u++;
			continue;
		}
		n = *u >= 0xF0 ? 4 : *u >= 0xE0 ? 3 : *u >= 0xC2 ? 2 : 0;
		if (n == 0 || *u > 0xF4)
			BUG("bad UTF-8 lead byte");
		cp = *u & (0x7F >> n);
		for (i = 1; i < n; i++) {
			if ((u[i] & 0xC0) != 0x80)
				BUG("bad UTF-8 continuation");
			cp = (cp << 6) | (u[i] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			BUG("overlong, surrogate or out-of-range UTF-8");
		u += n;
	}
}

static void
check_value(const struct gql_value *v)
{
	size_t i;

	if (!v)
		BUG("missing value");
	check_loc(v->loc);
	switch (v->kind) {
	case GQL_VALUE_LIST:
		for (i = 0; i < v->n_items; i++)
			check_value(v->items[i]);
		break;
	case GQL_VALUE_OBJECT:
		for (i = 0; i < v->n_fields; i++) {
			if (!v->fields[i].name)
				BUG("object field without a name");
			check_value(v->fields[i].value);
		}
		break;
	case GQL_VALUE_BOOLEAN:
	case GQL_VALUE_NULL:
		break;
	default:
		if (!v->str)
			BUG("value without text");
		check_utf8(v->str);
	}
}

static void
check_args(const struct gql_argument *args, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!args[i].name)
			BUG("argument without a name");
		check_value(args[i].value);
	}
}

static void
check_directives(const struct gql_directive *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!d[i].name)
			BUG("directive without a name");
		check_args(d[i].args, d[i].n_args);
	}
}

static void
check_type(const struct gql_type *t)
{
	for (; t && t->kind != GQL_TYPE_NAMED; t = t->of)
		if (t->kind == GQL_TYPE_NON_NULL && t->of &&
		    t->of->kind == GQL_TYPE_NON_NULL)
			BUG("non-null of non-null");
	if (!t || !t->name)
		BUG("type without a name");
}

static void
check_selection(const struct gql_selection *s)
{
	check_loc(s->loc);
	check_directives(s->directives, s->n_directives);
	switch (s->kind) {
	case GQL_SEL_FIELD:
		if (!s->name)
			BUG("field without a name");
		check_args(s->args, s->n_args);
		if (s->selection_set)
			check_selection_set(s->selection_set);
		break;
	case GQL_SEL_FRAGMENT_SPREAD:
		if (!s->name || s->selection_set)
			BUG("bad fragment spread");
		break;
	case GQL_SEL_INLINE_FRAGMENT:
		check_selection_set(s->selection_set);
		break;
	}
}

static void
check_selection_set(const struct gql_selection_set *ss)
{
	size_t i;

	if (!ss || ss->n_items == 0)
		BUG("empty selection set");
	for (i = 0; i < ss->n_items; i++)
		check_selection(ss->items[i]);
}

static void
check_document(const struct gql_document *doc)
{
	const struct gql_definition *d;
	size_t i, j;

	if (doc->n_defs == 0)
		BUG("document without definitions");
	for (i = 0; i < doc->n_defs; i++) {
		d = &doc->defs[i];
		check_loc(d->loc);
		if (d->kind == GQL_DEF_FRAGMENT &&
		    (!d->name || !d->type_condition))
			BUG("fragment without a name or type");
		for (j = 0; j < d->n_vars; j++) {
			check_type(d->vars[j].type);
			if (d->vars[j].default_value)
				check_value(d->vars[j].default_value);
			check_directives(d->vars[j].directives,
					 d->vars[j].n_directives);
		}
		check_directives(d->directives, d->n_directives);
		check_selection_set(d->selection_set);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct gql_limits lim = GQL_LIMITS_DEFAULT;
	struct gql_document *doc = NULL;
	struct gql_error err;

	if (gql_parse((const char *)data, size, &lim, &doc, &err) == 0) {
		check_document(doc);
		gql_document_free(doc);
		return 0;
	}
	if (doc)
		BUG("document left behind on error");
	if (strncmp(err.message, "Syntax Error: ", 14) != 0)
		BUG("error without the graphql-js prefix");
	if (memchr(err.message, '\0', sizeof(err.message)) == NULL)
		BUG("unterminated error message");
	check_utf8(err.message);
	check_loc(err.loc);
	return 0;
}
