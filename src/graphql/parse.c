/* SPDX-License-Identifier: MIT */
/*
 * parse.c: gql_parse(), a recursive-descent parser for GraphQL executable
 * documents (spec October 2021, section 2) that builds the tree in ast.h.
 * It follows graphql-js 16's parser.ts rule by rule, so the first error
 * found, its location and its wording are the ones Strapi reports. It does
 * no validation (unknown fields, fragment cycles, ...): that is later work.
 *
 * Choices where graphql-js does something we do not:
 *
 *  - Type-system definitions and extensions (schema, scalar, type,
 *    interface, union, enum, input, directive, extend) are refused at their
 *    keyword as "Syntax Error: Unexpected Name \"type\".". graphql-js
 *    parses them and its validation then says "The \"Foo\" definition is
 *    not executable."; both are GraphQL errors with the keyword's location,
 *    and a content API never needs the tree.
 *  - Descriptions before a named operation, a fragment or a variable
 *    definition are accepted, as graphql-js 16.11+ accepts them, and
 *    dropped: they have no effect on execution and ast.h has no place for
 *    them. Their misuses give graphql-js's "Unexpected description, ..."
 *    errors.
 *
 * Bounds (struct gql_limits; NULL, or a field left 0, means the default):
 *
 *  - max_bytes: a longer source is refused before lexing with "Syntax
 *    Error: Document too large." at the location of byte 'max_bytes'.
 *  - max_depth: the number of brackets open at once among selection sets,
 *    list and object values and list types; the bracket that goes past it
 *    gives "Syntax Error: Document nested too deeply." at that bracket. It
 *    also bounds the recursion (here and in gql_document_free()), so it is
 *    capped at DEPTH_CEILING whatever the caller asks.
 *  - max_tokens: tokens other than <EOF> (comments are not tokens), counted
 *    as graphql-js counts its maxTokens option; the first one over gives
 *    "Syntax Error: Document has too many tokens." at that token.
 *
 * Memory: every node is hung on the document as soon as it is allocated,
 * so an error anywhere is cleaned up by one gql_document_free().
 */
#include "core/compat.h"
#include "graphql/ast.h"

#include "core/mem.h"
#include "graphql/lex.h"

/* the most nesting any caller gets, to keep the C stack bounded */
#define DEPTH_CEILING 1000

/* room for gql_token_desc() */
#define DESC_SIZE 160

struct parser {
	struct gql_lexer lx;
	struct gql_error *err;
	size_t depth, max_depth;
	size_t n_tokens, max_tokens;
};

/* ---- freeing ------------------------------------------------------------ */

static void value_free(struct gql_value *v);
static void selection_set_free(struct gql_selection_set *ss);

static void
type_free(struct gql_type *t)
{
	struct gql_type *of;

	while (t) {
		of = t->of;
		free(t->name);
		free(t);
		t = of;
	}
}

static void
value_free(struct gql_value *v)
{
	size_t i;

	if (!v)
		return;
	free(v->str);
	for (i = 0; i < v->n_items; i++)
		value_free(v->items[i]);
	free(v->items);
	for (i = 0; i < v->n_fields; i++) {
		free(v->fields[i].name);
		value_free(v->fields[i].value);
	}
	free(v->fields);
	free(v);
}

static void
arguments_free(struct gql_argument *args, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(args[i].name);
		value_free(args[i].value);
	}
	free(args);
}

static void
directives_free(struct gql_directive *dirs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(dirs[i].name);
		arguments_free(dirs[i].args, dirs[i].n_args);
	}
	free(dirs);
}

static void
selection_free(struct gql_selection *s)
{
	if (!s)
		return;
	free(s->alias);
	free(s->name);
	arguments_free(s->args, s->n_args);
	free(s->type_condition);
	directives_free(s->directives, s->n_directives);
	selection_set_free(s->selection_set);
	free(s);
}

static void
selection_set_free(struct gql_selection_set *ss)
{
	size_t i;

	if (!ss)
		return;
	for (i = 0; i < ss->n_items; i++)
		selection_free(ss->items[i]);
	free(ss->items);
	free(ss);
}

static void
definition_release(struct gql_definition *def)
{
	struct gql_variable_definition *vd;
	size_t i;

	free(def->name);
	for (i = 0; i < def->n_vars; i++) {
		vd = &def->vars[i];
		free(vd->name);
		type_free(vd->type);
		value_free(vd->default_value);
		directives_free(vd->directives, vd->n_directives);
	}
	free(def->vars);
	free(def->type_condition);
	directives_free(def->directives, def->n_directives);
	selection_set_free(def->selection_set);
}

void
gql_document_free(struct gql_document *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->n_defs; i++)
		definition_release(&doc->defs[i]);
	free(doc->defs);
	free(doc);
}

/* ---- helpers ------------------------------------------------------------ */

/*
 * Make room for element 'n' of an array of 'n' elements of 'size' bytes and
 * zero it. The capacity is implied by 'n': 4, then doubled at each power of
 * two, so the tree needs no capacity fields.
 */
static void *
grow(void *arr, size_t n, size_t size)
{
	if (n == 0)
		arr = xmalloc(4 * size);
	else if (n >= 4 && (n & (n - 1)) == 0)
		arr = xrealloc(arr, 2 * n * size);
	memset((char *)arr + n * size, 0, size);
	return arr;
}

static const struct gql_token *
cur(const struct parser *p)
{
	return &p->lx.tok;
}

static bool
peek(const struct parser *p, enum gql_token_kind kind)
{
	return p->lx.tok.kind == kind;
}

static bool
peek_keyword(const struct parser *p, const char *word)
{
	const struct gql_token *t = cur(p);

	return t->kind == GQL_TOK_NAME && t->value_len == strlen(word) &&
	       memcmp(t->value, word, t->value_len) == 0;
}

/* Next token, counted against max_tokens. */
static int
advance(struct parser *p)
{
	if (gql_lex_next(&p->lx, p->err))
		return -1;
	if (!peek(p, GQL_TOK_EOF) && ++p->n_tokens > p->max_tokens)
		return gql_syntax_error(p->err, cur(p)->loc,
					"Document has too many tokens.");
	return 0;
}

static int
unexpected(struct parser *p, const struct gql_token *tok)
{
	char desc[DESC_SIZE];

	gql_token_desc(tok, desc, sizeof(desc));
	return gql_syntax_error(p->err, tok->loc, "Unexpected %s.", desc);
}

/* Consume a token of 'kind' or fail with "Expected ..., found ...". */
static int
expect(struct parser *p, enum gql_token_kind kind)
{
	char desc[DESC_SIZE];

	if (peek(p, kind))
		return advance(p);
	gql_token_desc(cur(p), desc, sizeof(desc));
	return gql_syntax_error(p->err, cur(p)->loc, "Expected %s, found %s.",
				gql_token_kind_desc(kind), desc);
}

/* Consume a token of 'kind' if it is next: 1 if it was, 0 if not, -1. */
static int
accept(struct parser *p, enum gql_token_kind kind)
{
	if (!peek(p, kind))
		return 0;
	return advance(p) ? -1 : 1;
}

static int
expect_keyword(struct parser *p, const char *word)
{
	char desc[DESC_SIZE];

	if (peek_keyword(p, word))
		return advance(p);
	gql_token_desc(cur(p), desc, sizeof(desc));
	return gql_syntax_error(p->err, cur(p)->loc,
				"Expected \"%s\", found %s.", word, desc);
}

/* A Name: a copy goes to '*out' (owned by the node holding 'out'). */
static int
parse_name(struct parser *p, char **out)
{
	if (!peek(p, GQL_TOK_NAME))
		return expect(p, GQL_TOK_NAME);
	*out = xstrndup(cur(p)->value, cur(p)->value_len);
	return advance(p);
}

/* Open one nesting level at the current (opening) token. */
static int
enter(struct parser *p)
{
	if (++p->depth > p->max_depth)
		return gql_syntax_error(p->err, cur(p)->loc,
					"Document nested too deeply.");
	return 0;
}

static void
leave(struct parser *p)
{
	p->depth--;
}

/* ---- values and types --------------------------------------------------- */

static int parse_value(struct parser *p, bool is_const, struct gql_value **out);

static struct gql_value *
new_value(struct parser *p, enum gql_value_kind kind, struct gql_value **out)
{
	struct gql_value *v = xcalloc(1, sizeof(*v));

	v->kind = kind;
	v->loc = cur(p)->loc;
	*out = v;
	return v;
}

/* ListValue: [ Value* ] */
static int
parse_list(struct parser *p, bool is_const, struct gql_value **out)
{
	struct gql_value *v = new_value(p, GQL_VALUE_LIST, out);
	int r;

	if (enter(p) || advance(p))
		return -1;
	while ((r = accept(p, GQL_TOK_BRACKET_R)) == 0) {
		v->items = grow(v->items, v->n_items, sizeof(*v->items));
		v->n_items++;
		if (parse_value(p, is_const, &v->items[v->n_items - 1]))
			return -1;
	}
	if (r < 0)
		return -1;
	leave(p);
	return 0;
}

/* ObjectValue: { (Name : Value)* } */
static int
parse_object(struct parser *p, bool is_const, struct gql_value **out)
{
	struct gql_value *v = new_value(p, GQL_VALUE_OBJECT, out);
	struct gql_object_field *f;
	int r;

	if (enter(p) || advance(p))
		return -1;
	while ((r = accept(p, GQL_TOK_BRACE_R)) == 0) {
		v->fields = grow(v->fields, v->n_fields, sizeof(*v->fields));
		f = &v->fields[v->n_fields++];
		f->loc = cur(p)->loc;
		if (parse_name(p, &f->name) || expect(p, GQL_TOK_COLON) ||
		    parse_value(p, is_const, &f->value))
			return -1;
	}
	if (r < 0)
		return -1;
	leave(p);
	return 0;
}

/* Value[Const]; 'is_const' refuses variables (default values). */
static int
parse_value(struct parser *p, bool is_const, struct gql_value **out)
{
	const struct gql_token *t = cur(p);
	struct gql_token dollar;
	struct gql_value *v;
	int name_len;

	switch (t->kind) {
	case GQL_TOK_BRACKET_L:
		return parse_list(p, is_const, out);
	case GQL_TOK_BRACE_L:
		return parse_object(p, is_const, out);
	case GQL_TOK_INT:
	case GQL_TOK_FLOAT:
	case GQL_TOK_STRING:
	case GQL_TOK_BLOCK_STRING:
		v = new_value(p,
			      t->kind == GQL_TOK_INT     ? GQL_VALUE_INT
			      : t->kind == GQL_TOK_FLOAT ? GQL_VALUE_FLOAT
							 : GQL_VALUE_STRING,
			      out);
		v->str = xstrndup(t->value, t->value_len);
		return advance(p);
	case GQL_TOK_NAME:
		if (peek_keyword(p, "true") || peek_keyword(p, "false")) {
			v = new_value(p, GQL_VALUE_BOOLEAN, out);
			v->boolean = peek_keyword(p, "true");
		} else if (peek_keyword(p, "null")) {
			new_value(p, GQL_VALUE_NULL, out);
		} else {
			v = new_value(p, GQL_VALUE_ENUM, out);
			v->str = xstrndup(t->value, t->value_len);
		}
		return advance(p);
	case GQL_TOK_DOLLAR:
		if (is_const) {
			dollar = *t;
			if (advance(p))
				return -1;
			if (!peek(p, GQL_TOK_NAME))
				return unexpected(p, &dollar);
			/* a name is ASCII: any cut is a character boundary */
			name_len = cur(p)->value_len > 96
				       ? 96
				       : (int)cur(p)->value_len;
			return gql_syntax_error(
			    p->err, dollar.loc,
			    "Unexpected variable \"$%.*s\" in constant value.",
			    name_len, cur(p)->value);
		}
		v = new_value(p, GQL_VALUE_VARIABLE, out);
		if (advance(p))
			return -1;
		return parse_name(p, &v->str);
	default:
		return unexpected(p, t);
	}
}

/* Type: Name, [Type], Type! */
static int
parse_type(struct parser *p, struct gql_type **out)
{
	struct gql_loc start = cur(p)->loc;
	struct gql_type *t = xcalloc(1, sizeof(*t)), *nn;
	int r;

	t->loc = start;
	*out = t;
	if (peek(p, GQL_TOK_BRACKET_L)) {
		t->kind = GQL_TYPE_LIST;
		if (enter(p) || advance(p) || parse_type(p, &t->of) ||
		    expect(p, GQL_TOK_BRACKET_R))
			return -1;
		leave(p);
	} else {
		t->kind = GQL_TYPE_NAMED;
		if (parse_name(p, &t->name))
			return -1;
	}
	r = accept(p, GQL_TOK_BANG);
	if (r <= 0)
		return r;
	nn = xcalloc(1, sizeof(*nn));
	nn->kind = GQL_TYPE_NON_NULL;
	nn->loc = start;
	nn->of = t;
	*out = nn;
	return 0;
}

/* ---- arguments, directives, selections ---------------------------------- */

/* Arguments[Const]: ( (Name : Value)+ ), optional. */
static int
parse_arguments(struct parser *p, bool is_const, struct gql_argument **args,
		size_t *n)
{
	struct gql_argument *a;
	int r;

	r = accept(p, GQL_TOK_PAREN_L);
	if (r <= 0)
		return r;
	do {
		*args = grow(*args, *n, sizeof(**args));
		a = &(*args)[(*n)++];
		a->loc = cur(p)->loc;
		if (parse_name(p, &a->name) || expect(p, GQL_TOK_COLON) ||
		    parse_value(p, is_const, &a->value))
			return -1;
		r = accept(p, GQL_TOK_PAREN_R);
	} while (r == 0);
	return r < 0 ? -1 : 0;
}

/* Directives[Const]: (@ Name Arguments?)* */
static int
parse_directives(struct parser *p, bool is_const, struct gql_directive **dirs,
		 size_t *n)
{
	struct gql_directive *d;

	while (peek(p, GQL_TOK_AT)) {
		*dirs = grow(*dirs, *n, sizeof(**dirs));
		d = &(*dirs)[(*n)++];
		d->loc = cur(p)->loc;
		if (advance(p) || parse_name(p, &d->name) ||
		    parse_arguments(p, is_const, &d->args, &d->n_args))
			return -1;
	}
	return 0;
}

static int parse_selection_set(struct parser *p,
			       struct gql_selection_set **out);

/* Field: (Alias :)? Name Arguments? Directives? SelectionSet? */
static int
parse_field(struct parser *p, struct gql_selection *s)
{
	int r;

	s->kind = GQL_SEL_FIELD;
	if (parse_name(p, &s->name))
		return -1;
	r = accept(p, GQL_TOK_COLON);
	if (r < 0)
		return -1;
	if (r) {
		s->alias = s->name;
		s->name = NULL;
		if (parse_name(p, &s->name))
			return -1;
	}
	if (parse_arguments(p, false, &s->args, &s->n_args) ||
	    parse_directives(p, false, &s->directives, &s->n_directives))
		return -1;
	if (peek(p, GQL_TOK_BRACE_L))
		return parse_selection_set(p, &s->selection_set);
	return 0;
}

/* FragmentSpread: ... Name Directives?
 * InlineFragment: ... (on Name)? Directives? SelectionSet */
static int
parse_fragment(struct parser *p, struct gql_selection *s)
{
	bool has_type;

	if (advance(p))
		return -1;
	has_type = peek_keyword(p, "on");
	if (has_type && advance(p))
		return -1;
	if (!has_type && peek(p, GQL_TOK_NAME)) {
		s->kind = GQL_SEL_FRAGMENT_SPREAD;
		if (parse_name(p, &s->name))
			return -1;
		return parse_directives(p, false, &s->directives,
					&s->n_directives);
	}
	s->kind = GQL_SEL_INLINE_FRAGMENT;
	if (has_type && parse_name(p, &s->type_condition))
		return -1;
	if (parse_directives(p, false, &s->directives, &s->n_directives))
		return -1;
	return parse_selection_set(p, &s->selection_set);
}

static int
parse_selection(struct parser *p, struct gql_selection **out)
{
	struct gql_selection *s = xcalloc(1, sizeof(*s));

	s->loc = cur(p)->loc;
	*out = s;
	if (peek(p, GQL_TOK_SPREAD))
		return parse_fragment(p, s);
	return parse_field(p, s);
}

/* SelectionSet: { Selection+ } */
static int
parse_selection_set(struct parser *p, struct gql_selection_set **out)
{
	struct gql_selection_set *ss;
	int r;

	if (!peek(p, GQL_TOK_BRACE_L))
		return expect(p, GQL_TOK_BRACE_L);
	ss = xcalloc(1, sizeof(*ss));
	ss->loc = cur(p)->loc;
	*out = ss;
	if (enter(p) || advance(p))
		return -1;
	do {
		ss->items = grow(ss->items, ss->n_items, sizeof(*ss->items));
		ss->n_items++;
		if (parse_selection(p, &ss->items[ss->n_items - 1]))
			return -1;
		r = accept(p, GQL_TOK_BRACE_R);
	} while (r == 0);
	if (r < 0)
		return -1;
	leave(p);
	return 0;
}

/* ---- definitions -------------------------------------------------------- */

static bool
peek_description(const struct parser *p)
{
	return peek(p, GQL_TOK_STRING) || peek(p, GQL_TOK_BLOCK_STRING);
}

/* VariableDefinitions: ( (Description? $Name : Type (= Const)?
 * Directives[Const]?)+ ), optional. */
static int
parse_variable_definitions(struct parser *p, struct gql_definition *def)
{
	struct gql_variable_definition *vd;
	int r;

	r = accept(p, GQL_TOK_PAREN_L);
	if (r <= 0)
		return r;
	do {
		def->vars = grow(def->vars, def->n_vars, sizeof(*def->vars));
		vd = &def->vars[def->n_vars++];
		vd->loc = cur(p)->loc;
		if (peek_description(p) && advance(p))
			return -1;
		if (expect(p, GQL_TOK_DOLLAR) || parse_name(p, &vd->name) ||
		    expect(p, GQL_TOK_COLON) || parse_type(p, &vd->type))
			return -1;
		r = accept(p, GQL_TOK_EQUALS);
		if (r < 0 || (r && parse_value(p, true, &vd->default_value)))
			return -1;
		if (parse_directives(p, true, &vd->directives,
				     &vd->n_directives))
			return -1;
		r = accept(p, GQL_TOK_PAREN_R);
	} while (r == 0);
	return r < 0 ? -1 : 0;
}

/* OperationType Name? VariableDefinitions? Directives? SelectionSet, at
 * the operation type keyword. */
static int
parse_operation(struct parser *p, struct gql_definition *def)
{
	def->kind = GQL_DEF_OPERATION;
	if (peek_keyword(p, "mutation"))
		def->operation = GQL_OP_MUTATION;
	else if (peek_keyword(p, "subscription"))
		def->operation = GQL_OP_SUBSCRIPTION;
	else
		def->operation = GQL_OP_QUERY;
	if (advance(p))
		return -1;
	if (peek(p, GQL_TOK_NAME) && parse_name(p, &def->name))
		return -1;
	if (parse_variable_definitions(p, def) ||
	    parse_directives(p, false, &def->directives, &def->n_directives))
		return -1;
	return parse_selection_set(p, &def->selection_set);
}

/* fragment Name on Name Directives? SelectionSet, at "fragment". */
static int
parse_fragment_definition(struct parser *p, struct gql_definition *def)
{
	const struct gql_token *t;

	def->kind = GQL_DEF_FRAGMENT;
	if (advance(p))
		return -1;
	/* FragmentName: Name but not "on" (graphql-js checks any token's
	 * value, so a String "on" is refused the same way) */
	t = cur(p);
	if (t->value && t->value_len == 2 && memcmp(t->value, "on", 2) == 0)
		return unexpected(p, t);
	if (parse_name(p, &def->name) || expect_keyword(p, "on") ||
	    parse_name(p, &def->type_condition) ||
	    parse_directives(p, false, &def->directives, &def->n_directives))
		return -1;
	return parse_selection_set(p, &def->selection_set);
}

static const char *const type_system_keywords[] = {
    "schema", "scalar", "type",  "interface",
    "union",  "enum",   "input", "directive",
};

static int
parse_definition(struct parser *p, struct gql_definition *def)
{
	struct gql_loc desc_loc;
	bool has_desc;
	size_t i;

	def->loc = cur(p)->loc;
	if (peek(p, GQL_TOK_BRACE_L)) {
		/* the query shorthand */
		def->kind = GQL_DEF_OPERATION;
		def->operation = GQL_OP_QUERY;
		return parse_selection_set(p, &def->selection_set);
	}
	has_desc = peek_description(p);
	if (has_desc) {
		desc_loc = cur(p)->loc;
		if (advance(p))
			return -1;
		if (peek(p, GQL_TOK_BRACE_L))
			return gql_syntax_error(
			    p->err, desc_loc,
			    "Unexpected description, descriptions are not "
			    "supported on shorthand queries.");
	}
	if (peek(p, GQL_TOK_NAME)) {
		for (i = 0; i < ARRAY_SIZE(type_system_keywords); i++)
			if (peek_keyword(p, type_system_keywords[i]))
				return unexpected(p, cur(p));
		if (peek_keyword(p, "query") || peek_keyword(p, "mutation") ||
		    peek_keyword(p, "subscription"))
			return parse_operation(p, def);
		if (peek_keyword(p, "fragment"))
			return parse_fragment_definition(p, def);
		if (has_desc)
			return gql_syntax_error(
			    p->err, desc_loc,
			    "Unexpected description, only GraphQL "
			    "definitions support descriptions.");
		/* "extend" and any other name */
	}
	return unexpected(p, cur(p));
}

int
gql_parse(const char *src, size_t len, const struct gql_limits *lim,
	  struct gql_document **out, struct gql_error *err)
{
	const struct gql_limits def_lim = GQL_LIMITS_DEFAULT;
	struct gql_document *doc = NULL;
	struct gql_error scratch;
	struct parser p;
	size_t max_bytes;
	int ret = -1;

	*out = NULL;
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	if (!lim)
		lim = &def_lim;
	max_bytes = lim->max_bytes ? lim->max_bytes : def_lim.max_bytes;
	p.max_depth = lim->max_depth ? lim->max_depth : def_lim.max_depth;
	if (p.max_depth > DEPTH_CEILING)
		p.max_depth = DEPTH_CEILING;
	p.max_tokens = lim->max_tokens ? lim->max_tokens : def_lim.max_tokens;
	p.depth = 0;
	p.n_tokens = 0;
	p.err = err;
	gql_lex_init(&p.lx, src, len);

	if (p.lx.len > max_bytes) {
		gql_syntax_error(err, gql_lex_loc(&p.lx, max_bytes),
				 "Document too large.");
		goto out;
	}
	doc = xcalloc(1, sizeof(*doc));
	if (advance(&p))
		goto out;
	/* Document: Definition+ */
	do {
		doc->defs = grow(doc->defs, doc->n_defs, sizeof(*doc->defs));
		doc->n_defs++;
		if (parse_definition(&p, &doc->defs[doc->n_defs - 1]))
			goto out;
	} while (!peek(&p, GQL_TOK_EOF));
	*out = doc;
	doc = NULL;
	ret = 0;
out:
	gql_document_free(doc);
	gql_lex_release(&p.lx);
	return ret;
}
