/* SPDX-License-Identifier: MIT */
/*
 * validate.c: the validation rules of validate.h. graphql-js runs its
 * rules in parallel over one traversal, so errors come out in document
 * order, and at each node in the order of its specifiedRules list; the
 * traversal below calls the rules the same way (the comments number them
 * as in that list). Variable usages are gathered first by a silent pass,
 * because an operation's rules need the usages of fragments defined after
 * it.
 */
#include "core/compat.h"
#include "graphql/validate.h"
#include "graphql/lex.h"
#include "graphql/value.h"
#include "core/buf.h"
#include "core/mem.h"

#include <stdarg.h>

#define MAX_ERRORS 100

json_t *
gql_error_new(const char *message, const struct gql_loc *locs, size_t n_locs,
	      const char *code)
{
	json_t *e = json_object(), *l;
	size_t i;

	json_object_set_new(e, "message", json_string(message));
	if (n_locs) {
		l = json_array();
		for (i = 0; i < n_locs; i++)
			json_array_append_new(
			    l, json_pack("{s:i,s:i}", "line", (int)locs[i].line,
					 "column", (int)locs[i].column));
		json_object_set_new(e, "locations", l);
	}
	if (code)
		json_object_set_new(e, "extensions",
				    json_pack("{s:s}", "code", code));
	return e;
}

struct usage {
	const char *name;
	struct gql_loc loc;
	const struct gql_stype *type; /* expected there; NULL: unknown */
	bool has_default;             /* the location has a default value */
};

struct usages {
	struct usage *v;
	size_t n, alloc;
};

struct vctx {
	const struct gql_schema *s;
	const struct gql_document *doc;
	const struct gql_validate_options *o;
	json_t *errors;
	bool report; /* false during the usage pass */
	bool aborted;
	struct gql_type_pool pool;
	struct usages *usages; /* per definition */
	struct usages *cur;
	size_t n_ops;
};

/* ---- reporting --------------------------------------------------------------
 */

static void
report_msg(struct vctx *c, const char *msg, const struct gql_loc *locs,
	   size_t n)
{
	if (!c->report || c->aborted)
		return;
	if (json_array_size(c->errors) >= MAX_ERRORS) {
		json_array_append_new(
		    c->errors,
		    gql_error_new("Too many validation errors, error limit "
				  "reached. Validation aborted.",
				  NULL, 0, "GRAPHQL_VALIDATION_FAILED"));
		c->aborted = true;
		return;
	}
	json_array_append_new(
	    c->errors,
	    gql_error_new(msg, locs, n, "GRAPHQL_VALIDATION_FAILED"));
}

static void reportf(struct vctx *c, const struct gql_loc *locs, size_t n,
		    const char *fmt, ...) ATTR_PRINTF(4, 5);

static void
reportf(struct vctx *c, const struct gql_loc *locs, size_t n, const char *fmt,
	...)
{
	va_list ap;
	char *msg;
	int len;

	if (!c->report || c->aborted)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	report_msg(c, msg, locs, n);
	free(msg);
}

static void
report1(struct vctx *c, struct gql_loc loc, const struct buf *msg)
{
	report_msg(c, msg->ptr, &loc, 1);
}

/* ---- helpers
 * ------------------------------------------------------------------- */

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

static size_t
def_index(const struct vctx *c, const struct gql_definition *d)
{
	return (size_t)(d - c->doc->defs);
}

/*
 * The location of the n-th token after the one at 'at' (the name after
 * "query", "fragment" or "...", the type after "on"), found by lexing the
 * source again; only errors need it. Without the source: 'skip' columns
 * further.
 */
static struct gql_loc
token_after(const struct vctx *c, struct gql_loc at, unsigned n, unsigned skip)
{
	struct gql_lexer lx;
	struct gql_error err;
	struct gql_loc l = at;
	unsigned seen = 0;
	bool found = false;

	l.column += skip;
	if (!c->o->source)
		return l;
	gql_lex_init(&lx, c->o->source, c->o->source_len);
	while (gql_lex_next(&lx, &err) == 0 && lx.tok.kind != GQL_TOK_EOF) {
		if (found && ++seen == n) {
			l = lx.tok.loc;
			break;
		}
		if (!found)
			found = lx.tok.loc.line == at.line &&
				lx.tok.loc.column == at.column;
	}
	gql_lex_release(&lx);
	return l;
}

static struct gql_loc
name_after(const struct vctx *c, struct gql_loc at, unsigned skip)
{
	return token_after(c, at, 1, skip);
}

static struct gql_loc
spread_name_loc(const struct vctx *c, const struct gql_selection *sel)
{
	return name_after(c, sel->loc, 3);
}

static char *
tstr(const struct gql_stype *t, char *buf, size_t n)
{
	return gql_type_str(t, buf, n);
}

static void
add_usage(struct vctx *c, const struct gql_value *v,
	  const struct gql_stype *type, bool has_default)
{
	struct usages *u = c->cur;

	if (c->report || !u)
		return;
	if (u->n == u->alloc) {
		u->alloc = u->alloc ? u->alloc * 2 : 8;
		u->v = xrealloc(u->v, u->alloc * sizeof(*u->v));
	}
	u->v[u->n].name = v->str;
	u->v[u->n].loc = v->loc;
	u->v[u->n].type = type;
	u->v[u->n].has_default = has_default;
	u->n++;
}

/* Fragment spreads directly inside a selection set (not following them). */
struct spreads {
	const struct gql_selection **v;
	size_t n, alloc;
};

static void
collect_spreads(const struct gql_selection_set *ss, struct spreads *out)
{
	size_t i;

	if (!ss)
		return;
	for (i = 0; i < ss->n_items; i++) {
		const struct gql_selection *sel = ss->items[i];

		if (sel->kind == GQL_SEL_FRAGMENT_SPREAD) {
			if (out->n == out->alloc) {
				out->alloc = out->alloc ? out->alloc * 2 : 8;
				out->v = xrealloc(out->v,
						  out->alloc * sizeof(*out->v));
			}
			out->v[out->n++] = sel;
		} else {
			collect_spreads(sel->selection_set, out);
		}
	}
}

/* Mark every fragment reachable from 'ss' in 'seen' (by definition index). */
static void
reach_fragments(const struct vctx *c, const struct gql_selection_set *ss,
		bool *seen)
{
	struct spreads sp = {0};
	size_t i;

	collect_spreads(ss, &sp);
	for (i = 0; i < sp.n; i++) {
		const struct gql_definition *f =
		    find_fragment(c->doc, sp.v[i]->name);
		size_t k;

		if (!f)
			continue;
		k = def_index(c, f);
		if (seen[k])
			continue;
		seen[k] = true;
		reach_fragments(c, f->selection_set, seen);
	}
	free(sp.v);
}

/* ---- values
 * --------------------------------------------------------------------- */

static void
valid_value_node(struct vctx *c, const struct gql_value *v,
		 const struct gql_stype *loctype)
{
	const struct gql_stype *named;
	struct buf msg = BUF_INIT, shown = BUF_INIT;
	enum gql_parse_rc rc;
	json_t *out = NULL;
	char tb[256];

	if (!loctype)
		return;
	named = gql_named(loctype);
	gql_print_value(&shown, v);
	if (!gql_is_leaf(named)) {
		reportf(c, &v->loc, 1,
			"Expected value of type \"%s\", found %s.",
			tstr(loctype, tb, sizeof(tb)), shown.ptr);
		goto out;
	}
	rc = gql_parse_literal(named, v, &out, &msg);
	if (rc == GQL_PARSE_GQL_ERROR)
		report1(c, v->loc, &msg);
	else if (rc == GQL_PARSE_ERROR)
		reportf(c, &v->loc, 1,
			"Expected value of type \"%s\", found %s; %s",
			tstr(loctype, tb, sizeof(tb)), shown.ptr, msg.ptr);
	else if (rc == GQL_PARSE_UNDEFINED)
		reportf(c, &v->loc, 1,
			"Expected value of type \"%s\", found %s.",
			tstr(loctype, tb, sizeof(tb)), shown.ptr);
out:
	json_decref(out);
	buf_release(&msg);
	buf_release(&shown);
}

/*
 * A value at a position expecting 'type' (NULL when unknown). 'check' is
 * false below a node the value rule stopped at (TypeInfo still types the
 * variables there).
 */
static void
visit_value(struct vctx *c, const struct gql_value *v,
	    const struct gql_stype *type, bool has_default, bool check)
{
	const struct gql_stype *nullable = gql_nullable(type), *named;
	size_t i, j;
	char tb[256];

	switch (v->kind) {
	case GQL_VALUE_VARIABLE:
		add_usage(c, v, type, has_default);
		return;
	case GQL_VALUE_NULL:
		if (check && gql_is_non_null(type))
			reportf(c, &v->loc, 1,
				"Expected value of type \"%s\", found null.",
				tstr(type, tb, sizeof(tb)));
		return;
	case GQL_VALUE_LIST: {
		const struct gql_stype *item =
		    nullable && nullable->kind == GQL_KIND_LIST ? nullable->of
								: nullable;

		if (check && (!nullable || nullable->kind != GQL_KIND_LIST)) {
			valid_value_node(c, v, nullable);
			check = false;
		}
		for (i = 0; i < v->n_items; i++)
			visit_value(c, v->items[i],
				    gql_is_input_type(item) ? item : NULL,
				    false, check);
		return;
	}
	case GQL_VALUE_OBJECT:
		named = gql_named(type);
		if (!named || named->kind != GQL_KIND_INPUT_OBJECT) {
			if (check)
				valid_value_node(c, v, type);
			for (i = 0; i < v->n_fields; i++)
				visit_value(c, v->fields[i].value, NULL, false,
					    false);
			return;
		}
		if (check) {
			/* required fields */
			for (i = 0; i < named->n_input_fields; i++) {
				const struct gql_arg_def *f =
				    &named->input_fields[i];
				bool given = false;

				for (j = 0; j < v->n_fields; j++)
					if (!strcmp(v->fields[j].name, f->name))
						given = true;
				if (!given && gql_is_non_null(f->type) &&
				    !f->default_value)
					reportf(
					    c, &v->loc, 1,
					    "Field \"%s.%s\" of required type "
					    "\"%s\" was not provided.",
					    named->name, f->name,
					    tstr(f->type, tb, sizeof(tb)));
			}
			/* 26. unique input field names */
			for (i = 0; i < v->n_fields; i++)
				for (j = 0; j < i; j++)
					if (!strcmp(v->fields[i].name,
						    v->fields[j].name)) {
						struct gql_loc l[2] = {
						    v->fields[j].loc,
						    v->fields[i].loc};

						reportf(c, l, 2,
							"There can be only one "
							"input field named "
							"\"%s\".",
							v->fields[i].name);
						break;
					}
		}
		for (i = 0; i < v->n_fields; i++) {
			const struct gql_object_field *of = &v->fields[i];
			const struct gql_arg_def *f =
			    gql_arg(named->input_fields, named->n_input_fields,
				    of->name);

			if (!f && check) {
				const char **names = xcalloc(
				    named->n_input_fields + 1, sizeof(char *));
				const char **sugg = xcalloc(
				    named->n_input_fields + 1, sizeof(char *));
				struct buf msg = BUF_INIT;
				size_t n;

				for (j = 0; j < named->n_input_fields; j++)
					names[j] = named->input_fields[j].name;
				n = gql_suggestions(of->name, names,
						    named->n_input_fields,
						    sugg);
				buf_addf(&msg,
					 "Field \"%s\" is not defined by type "
					 "\"%s\".",
					 of->name, named->name);
				gql_did_you_mean(&msg, NULL, sugg, n);
				report1(c, of->loc, &msg);
				buf_release(&msg);
				free(names);
				free(sugg);
			}
			visit_value(c, of->value, f ? f->type : NULL,
				    f && f->default_value, check);
		}
		return;
	default:
		if (check)
			valid_value_node(c, v, type);
		return;
	}
}

/* ---- arguments and directives
 * ---------------------------------------------------------- */

/* 21. unique argument names */
static void
unique_arguments(struct vctx *c, const struct gql_argument *args, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		struct gql_loc locs[8];
		size_t nl = 0;
		bool first = true;

		for (j = 0; j < i; j++)
			if (!strcmp(args[j].name, args[i].name))
				first = false;
		if (!first)
			continue;
		for (k = i; k < n; k++)
			if (!strcmp(args[k].name, args[i].name) &&
			    nl < ARRAY_SIZE(locs))
				locs[nl++] = args[k].loc;
		if (nl > 1)
			reportf(c, locs, nl,
				"There can be only one argument named \"%s\".",
				args[i].name);
	}
}

static const char *
loc_name(unsigned bit)
{
	unsigned i;

	for (i = 0; i < GQL_N_DIR_LOCS; i++)
		if (bit == 1u << i)
			return gql_dir_loc_name(i);
	return "";
}

/* 19. unique directives per location (at the parent node's enter) */
static void
unique_directives(struct vctx *c, const struct gql_directive *d, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct gql_directive_def *def =
		    gql_schema_directive(c->s, d[i].name);

		if (!def || def->repeatable)
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(d[j].name, d[i].name)) {
				struct gql_loc l[2] = {d[j].loc, d[i].loc};

				reportf(
				    c, l, 2,
				    "The directive \"@%s\" can only be used "
				    "once at this location.",
				    d[i].name);
				break;
			}
	}
}

static void
suggest_args(struct buf *msg, const char *name, const struct gql_arg_def *defs,
	     size_t n)
{
	const char **names = xcalloc(n + 1, sizeof(char *));
	const char **sugg = xcalloc(n + 1, sizeof(char *));
	size_t i, k;

	for (i = 0; i < n; i++)
		names[i] = defs[i].name;
	k = gql_suggestions(name, names, n, sugg);
	gql_did_you_mean(msg, NULL, sugg, k);
	free(names);
	free(sugg);
}

static void
visit_directives(struct vctx *c, const struct gql_directive *dirs, size_t n,
		 unsigned where)
{
	size_t i, j;
	char tb[256];

	for (i = 0; i < n; i++) {
		const struct gql_directive *d = &dirs[i];
		const struct gql_directive_def *def =
		    gql_schema_directive(c->s, d->name);

		/* 18. known directives */
		if (!def)
			reportf(c, &d->loc, 1, "Unknown directive \"@%s\".",
				d->name);
		else if (!(def->locations & where))
			reportf(c, &d->loc, 1,
				"Directive \"@%s\" may not be used on %s.",
				d->name, loc_name(where));
		/* 20. known argument names (directives) */
		for (j = 0; def && j < d->n_args; j++) {
			struct buf msg = BUF_INIT;

			if (gql_arg(def->args, def->n_args, d->args[j].name))
				continue;
			buf_addf(
			    &msg,
			    "Unknown argument \"%s\" on directive \"@%s\".",
			    d->args[j].name, d->name);
			suggest_args(&msg, d->args[j].name, def->args,
				     def->n_args);
			report1(c, d->args[j].loc, &msg);
			buf_release(&msg);
		}
		unique_arguments(c, d->args, d->n_args);
		for (j = 0; j < d->n_args; j++) {
			const struct gql_arg_def *a =
			    def ? gql_arg(def->args, def->n_args,
					  d->args[j].name)
				: NULL;

			visit_value(c, d->args[j].value, a ? a->type : NULL,
				    a && a->default_value, true);
		}
		/* 23. provided required arguments (directive leave) */
		for (j = 0; def && j < def->n_args; j++) {
			const struct gql_arg_def *a = &def->args[j];
			bool given = false;
			size_t k;

			for (k = 0; k < d->n_args; k++)
				if (!strcmp(d->args[k].name, a->name))
					given = true;
			if (!given && gql_is_non_null(a->type) &&
			    !a->default_value)
				reportf(c, &d->loc, 1,
					"Directive \"@%s\" argument \"%s\" of "
					"type \"%s\" is required, but it was "
					"not provided.",
					d->name, a->name,
					tstr(a->type, tb, sizeof(tb)));
		}
	}
}

/* ---- overlapping fields
 * ------------------------------------------------------------- */

struct field_ref {
	size_t order;
	const char *response;
	const struct gql_selection *sel;
	const struct gql_stype *parent;
	const struct gql_field_def *def;
};

struct field_refs {
	struct field_ref *v;
	size_t n, alloc;
};

static void
gather_fields(struct vctx *c, const struct gql_selection_set *ss,
	      const struct gql_stype *parent, struct field_refs *out,
	      bool *visited)
{
	size_t i;

	for (i = 0; ss && i < ss->n_items; i++) {
		const struct gql_selection *sel = ss->items[i];

		if (sel->kind == GQL_SEL_FIELD) {
			struct field_ref *r;

			if (out->n == out->alloc) {
				out->alloc = out->alloc ? out->alloc * 2 : 16;
				out->v = xrealloc(out->v,
						  out->alloc * sizeof(*out->v));
			}
			r = &out->v[out->n];
			r->order = out->n++;
			r->response = sel->alias ? sel->alias : sel->name;
			r->sel = sel;
			r->parent = parent;
			r->def = gql_field(c->s, parent, sel->name);
		} else if (sel->kind == GQL_SEL_INLINE_FRAGMENT) {
			const struct gql_stype *t =
			    sel->type_condition
				? gql_schema_type(c->s, sel->type_condition)
				: parent;

			gather_fields(c, sel->selection_set,
				      gql_is_composite(t) ? t : NULL, out,
				      visited);
		} else {
			const struct gql_definition *f =
			    find_fragment(c->doc, sel->name);
			const struct gql_stype *t;

			if (!f || visited[def_index(c, f)])
				continue;
			visited[def_index(c, f)] = true;
			t = gql_schema_type(c->s, f->type_condition);
			gather_fields(c, f->selection_set,
				      gql_is_composite(t) ? t : NULL, out,
				      visited);
		}
	}
}

static bool
same_arguments(const struct gql_selection *a, const struct gql_selection *b)
{
	size_t i, j;
	bool ok = true;

	if (a->n_args != b->n_args)
		return false;
	for (i = 0; ok && i < a->n_args; i++) {
		const struct gql_argument *y = NULL;
		struct buf p1 = BUF_INIT, p2 = BUF_INIT;

		for (j = 0; j < b->n_args; j++)
			if (!strcmp(b->args[j].name, a->args[i].name))
				y = &b->args[j];
		if (!y)
			return false;
		gql_print_value(&p1, a->args[i].value);
		gql_print_value(&p2, y->value);
		ok = !strcmp(p1.ptr, p2.ptr);
		buf_release(&p1);
		buf_release(&p2);
	}
	return ok;
}

static bool
types_conflict(const struct gql_stype *a, const struct gql_stype *b)
{
	if (a->kind == GQL_KIND_LIST || b->kind == GQL_KIND_LIST)
		return a->kind != b->kind || types_conflict(a->of, b->of);
	if (a->kind == GQL_KIND_NON_NULL || b->kind == GQL_KIND_NON_NULL)
		return a->kind != b->kind || types_conflict(a->of, b->of);
	if (gql_is_leaf(a) || gql_is_leaf(b))
		return a != b;
	return false;
}

static int
cmp_refs(const void *x, const void *y)
{
	const struct field_ref *a = x, *b = y;
	int r = strcmp(a->response, b->response);

	if (r)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* 25. overlapping fields can be merged (at each selection set) */
struct loc_list {
	struct gql_loc *v;
	size_t n, alloc;
};

static void
loc_add(struct loc_list *l, struct gql_loc loc)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = loc;
}

static void
sorted_fields(struct vctx *c, const struct gql_selection_set *ss,
	      const struct gql_stype *parent, struct field_refs *out)
{
	bool *visited = xcalloc(c->doc->n_defs + 1, sizeof(bool));

	gather_fields(c, ss, parent, out, visited);
	free(visited);
	/* group by response name, document order inside each */
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_refs);
}

static bool find_conflict(struct vctx *c, const struct field_ref *f1,
			  const struct field_ref *f2, bool exclusive,
			  struct buf *reason, struct loc_list *l1,
			  struct loc_list *l2, unsigned depth);

/*
 * graphql-js findConflictsBetweenSubSelectionSets(): the conflicts
 * between the sub-selections of two same-named fields, as the reason
 * 'subfields "x" conflict because ...' joined with " and ".
 */
static bool
subfield_conflicts(struct vctx *c, const struct field_ref *f1,
		   const struct field_ref *f2, bool exclusive,
		   struct buf *reason, struct loc_list *l1, struct loc_list *l2,
		   unsigned depth)
{
	struct field_refs a = {0}, b = {0};
	const struct gql_stype *t1 = gql_named(f1->def->type);
	const struct gql_stype *t2 = gql_named(f2->def->type);
	size_t i, j;
	bool any = false;

	sorted_fields(c, f1->sel->selection_set,
		      gql_is_composite(t1) ? t1 : NULL, &a);
	sorted_fields(c, f2->sel->selection_set,
		      gql_is_composite(t2) ? t2 : NULL, &b);
	/*
	 * Both lists are sorted by response name: each field of 'a' meets
	 * the first same-named field of 'b' (linear, where graphql-js
	 * compares every pair).
	 */
	for (i = 0, j = 0; i < a.n; i++) {
		struct buf sub = BUF_INIT;
		int cmp = 1;

		while (j < b.n &&
		       (cmp = strcmp(b.v[j].response, a.v[i].response)) < 0)
			j++;
		if (j == b.n || cmp)
			continue;
		if (find_conflict(c, &a.v[i], &b.v[j], exclusive, &sub, l1, l2,
				  depth + 1)) {
			buf_addf(reason,
				 "%ssubfields \"%s\" conflict because %s",
				 any ? " and " : "", a.v[i].response, sub.ptr);
			any = true;
		}
		buf_release(&sub);
	}
	free(a.v);
	free(b.v);
	return any;
}

/* graphql-js findConflict(); the locations go to l1 / l2 */
static bool
find_conflict(struct vctx *c, const struct field_ref *f1,
	      const struct field_ref *f2, bool exclusive, struct buf *reason,
	      struct loc_list *l1, struct loc_list *l2, unsigned depth)
{
	char t1[256], t2[256];
	size_t n1 = l1->n, n2 = l2->n;

	exclusive =
	    exclusive || (f1->parent != f2->parent && f1->parent &&
			  f2->parent && f1->parent->kind == GQL_KIND_OBJECT &&
			  f2->parent->kind == GQL_KIND_OBJECT);
	loc_add(l1, f1->sel->loc);
	loc_add(l2, f2->sel->loc);
	if (!exclusive && strcmp(f1->sel->name, f2->sel->name)) {
		buf_addf(reason, "\"%s\" and \"%s\" are different fields",
			 f1->sel->name, f2->sel->name);
		return true;
	}
	if (!exclusive && !same_arguments(f1->sel, f2->sel)) {
		buf_addstr(reason, "they have differing arguments");
		return true;
	}
	if (f1->def && f2->def &&
	    types_conflict(f1->def->type, f2->def->type)) {
		buf_addf(reason,
			 "they return conflicting types \"%s\" and \"%s\"",
			 tstr(f1->def->type, t1, sizeof(t1)),
			 tstr(f2->def->type, t2, sizeof(t2)));
		return true;
	}
	if (f1->def && f2->def && f1->sel->selection_set &&
	    f2->sel->selection_set && depth < 32 &&
	    subfield_conflicts(c, f1, f2, exclusive, reason, l1, l2, depth))
		return true;
	l1->n = n1;
	l2->n = n2;
	return false;
}

/* 25. overlapping fields can be merged (at each selection set) */
static void
overlapping_fields(struct vctx *c, const struct gql_selection_set *ss,
		   const struct gql_stype *parent)
{
	struct field_refs refs = {0};
	size_t i, start;

	sorted_fields(c, ss, parent, &refs);
	for (start = 0; start < refs.n; start = i) {
		const struct field_ref *f1 = &refs.v[start];

		for (i = start + 1;
		     i < refs.n && !strcmp(refs.v[i].response, f1->response);
		     i++) {
			struct loc_list l1 = {0}, l2 = {0};
			struct buf reason = BUF_INIT;

			if (find_conflict(c, f1, &refs.v[i], false, &reason,
					  &l1, &l2, 0)) {
				size_t k;

				for (k = 0; k < l2.n; k++)
					loc_add(&l1, l2.v[k]);
				reportf(
				    c, l1.v, l1.n,
				    "Fields \"%s\" conflict because %s. Use "
				    "different aliases on the fields to "
				    "fetch both if this was intentional.",
				    f1->response, reason.ptr);
			}
			buf_release(&reason);
			free(l1.v);
			free(l2.v);
		}
	}
	free(refs.v);
}

/* ---- selections
 * -------------------------------------------------------------------------- */

static void visit_selection_set(struct vctx *c,
				const struct gql_selection_set *ss,
				const struct gql_stype *parent);

/* graphql-js 16.9 MaxIntrospectionDepthRule */
static bool
introspection_too_deep(struct vctx *c, const struct gql_selection *sel,
		       bool *visited, int depth)
{
	const struct gql_selection_set *ss = sel->selection_set;
	size_t i;

	if (sel->kind == GQL_SEL_FRAGMENT_SPREAD) {
		const struct gql_definition *f =
		    find_fragment(c->doc, sel->name);
		bool r;

		/*
		 * 'visited' is per fragment and depth (0..2): a fragment
		 * walked at a depth without finding too deep a nesting gives
		 * the same answer again, and re-walking it is exponential on
		 * a DAG of spreads; on a cycle it also stops the walk.
		 */
		if (!f || visited[def_index(c, f) * 3 + (size_t)depth])
			return false;
		visited[def_index(c, f) * 3 + (size_t)depth] = true;
		ss = f->selection_set;
		r = false;
		for (i = 0; ss && i < ss->n_items && !r; i++)
			r = introspection_too_deep(c, ss->items[i], visited,
						   depth);
		return r;
	}
	if (sel->kind == GQL_SEL_FIELD &&
	    (!strcmp(sel->name, "fields") || !strcmp(sel->name, "interfaces") ||
	     !strcmp(sel->name, "possibleTypes") ||
	     !strcmp(sel->name, "inputFields"))) {
		if (++depth >= 3)
			return true;
	}
	for (i = 0; ss && i < ss->n_items; i++)
		if (introspection_too_deep(c, ss->items[i], visited, depth))
			return true;
	return false;
}

static void
visit_field(struct vctx *c, const struct gql_selection *sel,
	    const struct gql_stype *parent)
{
	const struct gql_field_def *fd = gql_field(c->s, parent, sel->name);
	const struct gql_stype *ft = fd ? fd->type : NULL;
	const struct gql_stype *named = gql_named(ft);
	bool is_meta =
	    !strcmp(sel->name, "__schema") || !strcmp(sel->name, "__type");
	char tb[256];
	size_t i, j;

	/* 8. scalar leafs */
	if (ft && gql_is_leaf(named) && sel->selection_set)
		reportf(c, &sel->selection_set->loc, 1,
			"Field \"%s\" must not have a selection since type "
			"\"%s\" has no subfields.",
			sel->name, tstr(ft, tb, sizeof(tb)));
	else if (ft && !gql_is_leaf(named) && !sel->selection_set)
		reportf(c, &sel->loc, 1,
			"Field \"%s\" of type \"%s\" must have a selection of "
			"subfields. Did you mean \"%s { ... }\"?",
			sel->name, tstr(ft, tb, sizeof(tb)), sel->name);
	/* 9. fields on correct type */
	if (!fd && parent) {
		struct buf msg = BUF_INIT;
		const char **names, **sugg;
		size_t n = 0;

		names = xcalloc(parent->n_fields + 1, sizeof(char *));
		sugg = xcalloc(parent->n_fields + 1, sizeof(char *));
		for (i = 0; i < parent->n_fields; i++)
			names[i] = parent->fields[i].name;
		if (parent->kind != GQL_KIND_UNION)
			n = gql_suggestions(sel->name, names, parent->n_fields,
					    sugg);
		buf_addf(&msg, "Cannot query field \"%s\" on type \"%s\".",
			 sel->name, parent->name);
		gql_did_you_mean(&msg, NULL, sugg, n);
		report1(c, sel->loc, &msg);
		buf_release(&msg);
		free(names);
		free(sugg);
	}
	unique_directives(c, sel->directives, sel->n_directives);
	unique_arguments(c, sel->args, sel->n_args);
	/* recommended: maximum introspection depth */
	if (is_meta && c->report) {
		bool *visited = xcalloc((c->doc->n_defs + 1) * 3, sizeof(bool));

		if (introspection_too_deep(c, sel, visited, 0))
			reportf(c, &sel->loc, 1,
				"Maximum introspection depth exceeded");
		free(visited);
	}
	/* Apollo's NoIntrospection */
	if (is_meta && !c->o->introspection && c->report && !c->aborted) {
		json_t *e = gql_error_new(
		    "GraphQL introspection is not allowed by Apollo Server, "
		    "but the query contained __schema or __type. To enable "
		    "introspection, pass introspection: true to ApolloServer "
		    "in production",
		    &sel->loc, 1, NULL);

		json_object_set_new(e, "extensions",
				    json_pack("{s:s,s:s}",
					      "validationErrorCode",
					      "INTROSPECTION_DISABLED", "code",
					      "GRAPHQL_VALIDATION_FAILED"));
		json_array_append_new(c->errors, e);
	}
	for (i = 0; i < sel->n_args; i++) {
		const struct gql_argument *a = &sel->args[i];
		const struct gql_arg_def *ad =
		    fd ? gql_arg(fd->args, fd->n_args, a->name) : NULL;

		/* 20. known argument names */
		if (!ad && fd && parent) {
			struct buf msg = BUF_INIT;

			buf_addf(&msg,
				 "Unknown argument \"%s\" on field \"%s.%s\".",
				 a->name, parent->name, fd->name);
			suggest_args(&msg, a->name, fd->args, fd->n_args);
			report1(c, a->loc, &msg);
			buf_release(&msg);
		}
		visit_value(c, a->value, ad ? ad->type : NULL,
			    ad && ad->default_value, true);
	}
	visit_directives(c, sel->directives, sel->n_directives, GQL_LOC_FIELD);
	if (sel->selection_set)
		visit_selection_set(c, sel->selection_set,
				    gql_is_composite(named) ? named : NULL);
	/* 23. provided required arguments (field leave) */
	for (i = 0; fd && i < fd->n_args; i++) {
		const struct gql_arg_def *a = &fd->args[i];
		bool given = false;

		for (j = 0; j < sel->n_args; j++)
			if (!strcmp(sel->args[j].name, a->name))
				given = true;
		if (!given && gql_is_non_null(a->type) && !a->default_value)
			reportf(
			    c, &sel->loc, 1,
			    "Field \"%s\" argument \"%s\" of type \"%s\" is "
			    "required, but it was not provided.",
			    fd->name, a->name, tstr(a->type, tb, sizeof(tb)));
	}
}

/* 5. known type names */
static void
known_type(struct vctx *c, const char *name, struct gql_loc loc)
{
	const struct gql_stype *const *types;
	const char **names, **sugg;
	struct buf msg = BUF_INIT;
	size_t n, i, k;

	if (gql_schema_type(c->s, name))
		return;
	types = gql_schema_types(c->s, &n);
	names = xcalloc(n + 1, sizeof(char *));
	sugg = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		names[i] = types[i]->name;
	k = gql_suggestions(name, names, n, sugg);
	buf_addf(&msg, "Unknown type \"%s\".", name);
	gql_did_you_mean(&msg, NULL, sugg, k);
	report1(c, loc, &msg);
	buf_release(&msg);
	free(names);
	free(sugg);
}

static const struct gql_type *
named_ref(const struct gql_type *t)
{
	while (t && t->kind != GQL_TYPE_NAMED)
		t = t->of;
	return t;
}

static void
visit_selection(struct vctx *c, const struct gql_selection *sel,
		const struct gql_stype *parent)
{
	const struct gql_definition *f;
	const struct gql_stype *t;
	char t1[256], t2[256];

	switch (sel->kind) {
	case GQL_SEL_FIELD:
		visit_field(c, sel, parent);
		return;
	case GQL_SEL_INLINE_FRAGMENT:
		t = sel->type_condition
			? gql_schema_type(c->s, sel->type_condition)
			: parent;
		/* 6. fragments on composite types */
		if (sel->type_condition && t && !gql_is_composite(t)) {
			struct gql_loc l = token_after(c, sel->loc, 2, 7);

			reportf(c, &l, 1,
				"Fragment cannot condition on non composite "
				"type \"%s\".",
				sel->type_condition);
		}
		/* 13. possible fragment spreads */
		if (gql_is_composite(t) && gql_is_composite(parent) &&
		    !gql_overlap(t, parent))
			reportf(c, &sel->loc, 1,
				"Fragment cannot be spread here as objects of "
				"type \"%s\" can never be of type \"%s\".",
				tstr(parent, t1, sizeof(t1)),
				tstr(t, t2, sizeof(t2)));
		unique_directives(c, sel->directives, sel->n_directives);
		if (sel->type_condition &&
		    !gql_schema_type(c->s, sel->type_condition))
			known_type(c, sel->type_condition,
				   token_after(c, sel->loc, 2, 7));
		visit_directives(c, sel->directives, sel->n_directives,
				 GQL_LOC_INLINE_FRAGMENT);
		visit_selection_set(c, sel->selection_set,
				    gql_is_composite(t) ? t : NULL);
		return;
	case GQL_SEL_FRAGMENT_SPREAD:
		f = find_fragment(c->doc, sel->name);
		/* 11. known fragment names */
		if (!f) {
			struct gql_loc l = spread_name_loc(c, sel);

			reportf(c, &l, 1, "Unknown fragment \"%s\".",
				sel->name);
		}
		/* 13. possible fragment spreads */
		t = f ? gql_schema_type(c->s, f->type_condition) : NULL;
		if (gql_is_composite(t) && gql_is_composite(parent) &&
		    !gql_overlap(t, parent))
			reportf(c, &sel->loc, 1,
				"Fragment \"%s\" cannot be spread here as "
				"objects of type \"%s\" can never be of type "
				"\"%s\".",
				sel->name, tstr(parent, t1, sizeof(t1)),
				tstr(t, t2, sizeof(t2)));
		unique_directives(c, sel->directives, sel->n_directives);
		visit_directives(c, sel->directives, sel->n_directives,
				 GQL_LOC_FRAGMENT_SPREAD);
		return;
	}
}

static void
visit_selection_set(struct vctx *c, const struct gql_selection_set *ss,
		    const struct gql_stype *parent)
{
	size_t i;

	if (!ss)
		return;
	if (c->report)
		overlapping_fields(c, ss, parent);
	for (i = 0; i < ss->n_items && !c->aborted; i++)
		visit_selection(c, ss->items[i], parent);
}

/* ---- definitions
 * ------------------------------------------------------------------------------
 */

static void
visit_variable_definitions(struct vctx *c, const struct gql_definition *def)
{
	size_t i;

	for (i = 0; i < def->n_vars; i++) {
		const struct gql_variable_definition *vd = &def->vars[i];
		const struct gql_stype *t =
		    gql_schema_resolve_ref(c->s, vd->type, &c->pool);
		const struct gql_type *nr = named_ref(vd->type);

		/* 7. variables are input types */
		if (t && !gql_is_input_type(t)) {
			struct buf b = BUF_INIT;

			gql_print_type_ref(&b, vd->type);
			reportf(c, &vd->type->loc, 1,
				"Variable \"$%s\" cannot be non-input type "
				"\"%s\".",
				vd->name, b.ptr);
			buf_release(&b);
		}
		unique_directives(c, vd->directives, vd->n_directives);
		if (nr)
			known_type(c, nr->name, nr->loc);
		if (vd->default_value)
			visit_value(c, vd->default_value,
				    t && gql_is_input_type(t) ? t : NULL, false,
				    true);
		visit_directives(c, vd->directives, vd->n_directives,
				 GQL_LOC_VARIABLE_DEFINITION);
	}
}

static const struct gql_variable_definition *
find_var(const struct gql_definition *op, const char *name)
{
	size_t i;

	for (i = 0; i < op->n_vars; i++)
		if (!strcmp(op->vars[i].name, name))
			return &op->vars[i];
	return NULL;
}

/* Usages in 'op' and every fragment it reaches. */
static void
recursive_usages(struct vctx *c, const struct gql_definition *op,
		 struct usages *out)
{
	bool *seen = xcalloc(c->doc->n_defs + 1, sizeof(bool));
	size_t i, k;

	reach_fragments(c, op->selection_set, seen);
	seen[def_index(c, op)] = true;
	for (k = 0; k < c->doc->n_defs; k++) {
		const struct usages *u = &c->usages[k];

		if (!seen[k])
			continue;
		for (i = 0; i < u->n; i++) {
			if (out->n == out->alloc) {
				out->alloc = out->alloc ? out->alloc * 2 : 8;
				out->v = xrealloc(out->v,
						  out->alloc * sizeof(*out->v));
			}
			out->v[out->n++] = u->v[i];
		}
	}
	free(seen);
}

static bool
allowed_usage(const struct gql_stype *var_type,
	      const struct gql_variable_definition *vd,
	      const struct gql_stype *loc_type, bool loc_default)
{
	if (gql_is_non_null(loc_type) && !gql_is_non_null(var_type)) {
		bool var_default = vd->default_value &&
				   vd->default_value->kind != GQL_VALUE_NULL;

		if (!var_default && !loc_default)
			return false;
		return gql_subtype(var_type, loc_type->of);
	}
	return gql_subtype(var_type, loc_type);
}

static void
operation_leave(struct vctx *c, const struct gql_definition *op)
{
	struct usages all = {0};
	size_t i, j;
	char t1[256], t2[256];

	recursive_usages(c, op, &all);
	/* 16. no undefined variables */
	for (i = 0; i < all.n; i++) {
		struct gql_loc l[2] = {all.v[i].loc, op->loc};

		if (find_var(op, all.v[i].name))
			continue;
		if (op->name)
			reportf(c, l, 2,
				"Variable \"$%s\" is not defined by operation "
				"\"%s\".",
				all.v[i].name, op->name);
		else
			reportf(c, l, 2, "Variable \"$%s\" is not defined.",
				all.v[i].name);
	}
	/* 17. no unused variables */
	for (i = 0; i < op->n_vars; i++) {
		bool used = false;

		for (j = 0; j < all.n && !used; j++)
			used = !strcmp(all.v[j].name, op->vars[i].name);
		if (used)
			continue;
		if (op->name)
			reportf(c, &op->vars[i].loc, 1,
				"Variable \"$%s\" is never used in operation "
				"\"%s\".",
				op->vars[i].name, op->name);
		else
			reportf(c, &op->vars[i].loc, 1,
				"Variable \"$%s\" is never used.",
				op->vars[i].name);
	}
	/* 24. variables in allowed position */
	for (i = 0; i < all.n; i++) {
		const struct gql_variable_definition *vd =
		    find_var(op, all.v[i].name);
		const struct gql_stype *vt;

		if (!vd || !all.v[i].type)
			continue;
		vt = gql_schema_resolve_ref(c->s, vd->type, &c->pool);
		if (!vt ||
		    allowed_usage(vt, vd, all.v[i].type, all.v[i].has_default))
			continue;
		{
			struct gql_loc l[2] = {vd->loc, all.v[i].loc};

			reportf(c, l, 2,
				"Variable \"$%s\" of type \"%s\" used in "
				"position expecting type \"%s\".",
				vd->name, tstr(vt, t1, sizeof(t1)),
				tstr(all.v[i].type, t2, sizeof(t2)));
		}
	}
	free(all.v);
}

static const struct gql_stype *
root_type(const struct vctx *c, enum gql_operation_kind k)
{
	if (k == GQL_OP_QUERY)
		return gql_schema_query(c->s);
	if (k == GQL_OP_MUTATION)
		return gql_schema_mutation(c->s);
	return NULL;
}

static unsigned
op_location(enum gql_operation_kind k)
{
	if (k == GQL_OP_QUERY)
		return GQL_LOC_QUERY;
	return k == GQL_OP_MUTATION ? GQL_LOC_MUTATION : GQL_LOC_SUBSCRIPTION;
}

static void
visit_operation(struct vctx *c, const struct gql_definition *op)
{
	size_t i, j;

	/* 2. unique operation names */
	if (op->name) {
		for (i = 0; &c->doc->defs[i] != op; i++) {
			const struct gql_definition *d = &c->doc->defs[i];

			if (d->kind == GQL_DEF_OPERATION && d->name &&
			    !strcmp(d->name, op->name)) {
				struct gql_loc l[2] = {
				    name_after(c, d->loc, 6),
				    name_after(c, op->loc, 6)};

				reportf(c, l, 2,
					"There can be only one operation named "
					"\"%s\".",
					op->name);
				break;
			}
		}
	}
	/* 3. lone anonymous operation */
	if (!op->name && c->n_ops > 1)
		reportf(c, &op->loc, 1,
			"This anonymous operation must be the only defined "
			"operation.");
	/* 15. unique variable names */
	for (i = 0; i < op->n_vars; i++) {
		struct gql_loc locs[8];
		size_t nl = 0;
		bool first = true;

		for (j = 0; j < i; j++)
			if (!strcmp(op->vars[j].name, op->vars[i].name))
				first = false;
		if (!first)
			continue;
		for (j = i; j < op->n_vars; j++)
			if (!strcmp(op->vars[j].name, op->vars[i].name) &&
			    nl < ARRAY_SIZE(locs))
				locs[nl++] = name_after(c, op->vars[j].loc, 1);
		if (nl > 1)
			reportf(c, locs, nl,
				"There can be only one variable named \"$%s\".",
				op->vars[i].name);
	}
	unique_directives(c, op->directives, op->n_directives);
	visit_variable_definitions(c, op);
	visit_directives(c, op->directives, op->n_directives,
			 op_location(op->operation));
	visit_selection_set(c, op->selection_set, root_type(c, op->operation));
	if (c->report)
		operation_leave(c, op);
}

/* 14. no fragment cycles */
struct cycle_ctx {
	bool *visited;
	int *path_index; /* per definition, -1 when not on the path */
	const struct gql_selection **path;
	size_t n_path;
};

static void
detect_cycles(struct vctx *c, struct cycle_ctx *cc,
	      const struct gql_definition *frag)
{
	struct spreads sp = {0};
	size_t k = def_index(c, frag), i;

	if (cc->visited[k])
		return;
	cc->visited[k] = true;
	collect_spreads(frag->selection_set, &sp);
	if (!sp.n)
		return;
	cc->path_index[k] = (int)cc->n_path;
	for (i = 0; i < sp.n; i++) {
		const struct gql_definition *f =
		    find_fragment(c->doc, sp.v[i]->name);
		int cycle = f ? cc->path_index[def_index(c, f)] : -1;

		cc->path[cc->n_path++] = sp.v[i];
		if (cycle < 0) {
			if (f)
				detect_cycles(c, cc, f);
		} else {
			struct buf msg = BUF_INIT;
			struct gql_loc *locs;
			size_t n = cc->n_path - (size_t)cycle, j;

			buf_addf(&msg,
				 "Cannot spread fragment \"%s\" within itself",
				 sp.v[i]->name);
			for (j = (size_t)cycle; j + 1 < cc->n_path; j++)
				buf_addf(&msg, "%s\"%s\"",
					 j == (size_t)cycle ? " via " : ", ",
					 cc->path[j]->name);
			buf_addch(&msg, '.');
			locs = xcalloc(n, sizeof(*locs));
			for (j = 0; j < n; j++)
				locs[j] = cc->path[(size_t)cycle + j]->loc;
			report_msg(c, msg.ptr, locs, n);
			free(locs);
			buf_release(&msg);
		}
		cc->n_path--;
	}
	cc->path_index[k] = -1;
	free(sp.v);
}

static size_t
count_spreads(const struct gql_document *doc)
{
	struct spreads sp = {0};
	size_t i, n;

	for (i = 0; i < doc->n_defs; i++)
		collect_spreads(doc->defs[i].selection_set, &sp);
	n = sp.n;
	free(sp.v);
	return n;
}

static void
visit_fragment(struct vctx *c, const struct gql_definition *f,
	       struct cycle_ctx *cc)
{
	const struct gql_stype *t = gql_schema_type(c->s, f->type_condition);
	size_t i;

	/* 6. fragments on composite types */
	if (t && !gql_is_composite(t)) {
		struct gql_loc l = token_after(c, f->loc, 3, 0);

		reportf(c, &l, 1,
			"Fragment \"%s\" cannot condition on non composite "
			"type \"%s\".",
			f->name, f->type_condition);
	}
	/* 10. unique fragment names */
	for (i = 0; &c->doc->defs[i] != f; i++) {
		const struct gql_definition *d = &c->doc->defs[i];

		if (d->kind == GQL_DEF_FRAGMENT && !strcmp(d->name, f->name)) {
			struct gql_loc l[2] = {name_after(c, d->loc, 9),
					       name_after(c, f->loc, 9)};

			reportf(c, l, 2,
				"There can be only one fragment named \"%s\".",
				f->name);
			break;
		}
	}
	if (c->report)
		detect_cycles(c, cc, f);
	unique_directives(c, f->directives, f->n_directives);
	if (!t)
		known_type(c, f->type_condition, token_after(c, f->loc, 3, 0));
	visit_directives(c, f->directives, f->n_directives,
			 GQL_LOC_FRAGMENT_DEFINITION);
	visit_selection_set(c, f->selection_set,
			    gql_is_composite(t) ? t : NULL);
}

/* ---- Strapi's extra rules
 * ------------------------------------------------------------------------ */

struct depth_ctx {
	struct vctx *c;
	const char *op_name;
	size_t max;
	bool *on_path;
	/* fragments already walked, per depth (n_defs x (max + 1)): a
	 * fragment spread again at the same depth yields the same errors,
	 * and without this a DAG of spreads costs 2^n walks */
	bool *done;
};

/* graphql-depth-limit's determineDepth(), reporting as it goes. */
static void
depth_selection(struct depth_ctx *d, const struct gql_selection *sel,
		size_t depth)
{
	const struct gql_definition *f;
	size_t i, k;

	if (depth > d->max) {
		reportf(d->c, &sel->loc, 1,
			"'%s' exceeds maximum operation depth of %zu",
			d->op_name, d->max);
		return;
	}
	switch (sel->kind) {
	case GQL_SEL_FIELD:
		if (!strncmp(sel->name, "__", 2) || !sel->selection_set)
			return;
		for (i = 0; i < sel->selection_set->n_items; i++)
			depth_selection(d, sel->selection_set->items[i],
					depth + 1);
		return;
	case GQL_SEL_FRAGMENT_SPREAD:
		f = find_fragment(d->c->doc, sel->name);
		if (!f)
			return;
		k = def_index(d->c, f);
		if (d->on_path[k] || d->done[k * (d->max + 1) + depth])
			return; /* a cycle is reported by its own rule */
		d->done[k * (d->max + 1) + depth] = true;
		d->on_path[k] = true;
		for (i = 0; f->selection_set && i < f->selection_set->n_items;
		     i++)
			depth_selection(d, f->selection_set->items[i], depth);
		d->on_path[k] = false;
		return;
	case GQL_SEL_INLINE_FRAGMENT:
		for (i = 0;
		     sel->selection_set && i < sel->selection_set->n_items; i++)
			depth_selection(d, sel->selection_set->items[i], depth);
		return;
	}
}

static void
depth_limit(struct vctx *c)
{
	struct depth_ctx d = {c, NULL, c->o->max_depth, NULL, NULL};
	size_t i, j, n_done = (c->doc->n_defs + 1) * (c->o->max_depth + 1);

	d.on_path = xcalloc(c->doc->n_defs + 1, sizeof(bool));
	d.done = xcalloc(n_done, sizeof(bool));
	for (i = 0; i < c->doc->n_defs; i++) {
		const struct gql_definition *op = &c->doc->defs[i];

		if (op->kind != GQL_DEF_OPERATION ||
		    op->operation == GQL_OP_SUBSCRIPTION || !op->selection_set)
			continue;
		d.op_name = op->name ? op->name : "";
		memset(d.done, 0, n_done * sizeof(bool));
		for (j = 0; j < op->selection_set->n_items; j++)
			depth_selection(&d, op->selection_set->items[j], 0);
	}
	free(d.on_path);
	free(d.done);
}

static void
count_aliases(const struct gql_selection_set *ss, size_t *n,
	      const struct gql_selection **nth, size_t max)
{
	size_t i;

	for (i = 0; ss && i < ss->n_items; i++) {
		const struct gql_selection *sel = ss->items[i];

		if (sel->kind == GQL_SEL_FIELD && sel->alias && ++*n == max + 1)
			*nth = sel;
		count_aliases(sel->selection_set, n, nth, max);
	}
}

static void
alias_limit(struct vctx *c)
{
	const struct gql_selection *nth = NULL;
	size_t n = 0, i;

	for (i = 0; i < c->doc->n_defs; i++)
		count_aliases(c->doc->defs[i].selection_set, &n, &nth,
			      c->o->max_aliases);
	if (n > c->o->max_aliases && nth)
		reportf(c, &nth->loc, 1,
			"Aliases limit of %zu exceeded, found %zu.",
			c->o->max_aliases, n);
}

/* ---- entry
 * --------------------------------------------------------------------------------
 */

int
gql_validate(const struct gql_schema *s, const struct gql_document *doc,
	     const struct gql_validate_options *o, json_t **errors)
{
	struct vctx c = {0};
	struct cycle_ctx cc = {0};
	bool *used;
	size_t i;

	c.s = s;
	c.doc = doc;
	c.o = o;
	c.errors = json_array();
	c.usages = xcalloc(doc->n_defs + 1, sizeof(*c.usages));
	for (i = 0; i < doc->n_defs; i++)
		if (doc->defs[i].kind == GQL_DEF_OPERATION)
			c.n_ops++;

	/* the silent pass: variable usages per definition */
	c.report = false;
	for (i = 0; i < doc->n_defs; i++) {
		c.cur = &c.usages[i];
		if (doc->defs[i].kind == GQL_DEF_OPERATION)
			visit_operation(&c, &doc->defs[i]);
		else
			visit_fragment(&c, &doc->defs[i], &cc);
	}
	c.cur = NULL;
	c.report = true;

	/* rules built before the traversal report first */
	if (o->max_depth)
		depth_limit(&c);
	if (o->max_aliases)
		alias_limit(&c);

	cc.visited = xcalloc(doc->n_defs + 1, sizeof(bool));
	cc.path_index = xcalloc(doc->n_defs + 1, sizeof(int));
	cc.path = xcalloc(count_spreads(doc) + 1, sizeof(*cc.path));
	for (i = 0; i < doc->n_defs; i++)
		cc.path_index[i] = -1;
	for (i = 0; i < doc->n_defs && !c.aborted; i++) {
		if (doc->defs[i].kind == GQL_DEF_OPERATION)
			visit_operation(&c, &doc->defs[i]);
		else
			visit_fragment(&c, &doc->defs[i], &cc);
	}
	/* 12. no unused fragments (document leave) */
	used = xcalloc(doc->n_defs + 1, sizeof(bool));
	for (i = 0; i < doc->n_defs; i++)
		if (doc->defs[i].kind == GQL_DEF_OPERATION)
			reach_fragments(&c, doc->defs[i].selection_set, used);
	for (i = 0; i < doc->n_defs; i++)
		if (doc->defs[i].kind == GQL_DEF_FRAGMENT && !used[i])
			reportf(&c, &doc->defs[i].loc, 1,
				"Fragment \"%s\" is never used.",
				doc->defs[i].name);
	free(used);
	free(cc.visited);
	free(cc.path_index);
	free(cc.path);
	for (i = 0; i < doc->n_defs; i++)
		free(c.usages[i].v);
	free(c.usages);
	gql_type_pool_release(&c.pool);
	if (!json_array_size(c.errors)) {
		json_decref(c.errors);
		*errors = NULL;
		return 0;
	}
	*errors = c.errors;
	return -1;
}
