/* SPDX-License-Identifier: MIT */
/*
 * publication.c: publicationFilter cohorts (publication.h). Strapi selects
 * them with correlated EXISTS subqueries on the content table. The store
 * offers one such subquery (q->has_published: drafts whose document has,
 * or lacks, a published row); the others are computed here with ordinary
 * finds and turned into a condition on row ids, so the store, its count
 * and its paging see one more filter and nothing else.
 */
#include "core/compat.h"
#include "graphql/publication.h"
#include "core/mem.h"

static const struct {
	const char *name;
	enum gql_pubfilter m;
} modes[] = {
    {"NEVER_PUBLISHED", GQL_PUB_NEVER_PUBLISHED},
    {"HAS_PUBLISHED_VERSION", GQL_PUB_HAS_PUBLISHED_VERSION},
    {"MODIFIED", GQL_PUB_MODIFIED},
    {"UNMODIFIED", GQL_PUB_UNMODIFIED},
    {"NEVER_PUBLISHED_DOCUMENT", GQL_PUB_NEVER_PUBLISHED_DOCUMENT},
    {"HAS_PUBLISHED_VERSION_DOCUMENT", GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT},
    {"PUBLISHED_WITHOUT_DRAFT", GQL_PUB_PUBLISHED_WITHOUT_DRAFT},
    {"PUBLISHED_WITH_DRAFT", GQL_PUB_PUBLISHED_WITH_DRAFT},
};

enum gql_pubfilter
gql_pubfilter_parse(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(modes[i].name, name))
			return modes[i].m;
	return GQL_PUB_NONE;
}

const char *
gql_pubfilter_name(enum gql_pubfilter m)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (modes[i].m == m)
			return modes[i].name;
	return "";
}

enum gql_pubfilter
gql_pubfilter_from_args(json_t *args)
{
	json_t *v = json_object_get(args, "publicationFilter");

	if (json_is_string(v))
		return gql_pubfilter_parse(json_string_value(v));
	v = json_object_get(args, "hasPublishedVersion");
	if (json_is_boolean(v))
		return json_is_true(v) ? GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT
				       : GQL_PUB_NEVER_PUBLISHED_DOCUMENT;
	return GQL_PUB_NONE;
}

enum gql_pub_plan
gql_pubfilter_plan(enum gql_pubfilter m, bool draft_publish, bool drafts)
{
	if (!draft_publish)
		return GQL_PLAN_ALL;
	switch (m) {
	case GQL_PUB_NEVER_PUBLISHED:
	case GQL_PUB_NEVER_PUBLISHED_DOCUMENT:
		return drafts ? GQL_PLAN_DRAFTS_UNPUBLISHED : GQL_PLAN_EMPTY;
	case GQL_PUB_HAS_PUBLISHED_VERSION:
	case GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT:
		return drafts ? GQL_PLAN_DRAFTS_PUBLISHED : GQL_PLAN_COMPARE;
	case GQL_PUB_PUBLISHED_WITHOUT_DRAFT:
	case GQL_PUB_PUBLISHED_WITH_DRAFT:
		return drafts ? GQL_PLAN_EMPTY : GQL_PLAN_COMPARE;
	case GQL_PUB_MODIFIED:
	case GQL_PUB_UNMODIFIED:
		return GQL_PLAN_COMPARE;
	case GQL_PUB_NONE:
	default:
		return GQL_PLAN_ALL;
	}
}

bool
gql_pubfilter_member(enum gql_pubfilter m, bool drafts, int64_t updated,
		     size_t n_other, int64_t other_min, int64_t other_max)
{
	switch (m) {
	case GQL_PUB_NEVER_PUBLISHED:
	case GQL_PUB_NEVER_PUBLISHED_DOCUMENT:
		return drafts && !n_other;
	case GQL_PUB_HAS_PUBLISHED_VERSION:
	case GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT:
		return n_other > 0;
	case GQL_PUB_MODIFIED:
		/* EXISTS a peer with draft.updatedAt > published.updatedAt */
		if (!n_other)
			return false;
		return drafts ? updated > other_min : other_max > updated;
	case GQL_PUB_UNMODIFIED:
		if (!n_other)
			return false;
		return drafts ? updated <= other_max : other_min <= updated;
	case GQL_PUB_PUBLISHED_WITHOUT_DRAFT:
		return !drafts && !n_other;
	case GQL_PUB_PUBLISHED_WITH_DRAFT:
		return !drafts && n_other > 0;
	case GQL_PUB_NONE:
	default:
		return true;
	}
}

/* ---- conditions ------------------------------------------------------ */

/* The index in ct->fields of system field 's', or -1. */
static int
sys_index(const struct content_type *ct, enum sys_field s)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++)
		if (ct->fields[i].sys == s)
			return (int)i;
	return -1;
}

/* A condition node of 'n' zeroed values, freed as query.h's filters are. */
static struct filter *
cond_new(const struct field *f, enum filter_op op, size_t n)
{
	struct filter *c = xcalloc(1, sizeof(*c));

	c->kind = FILTER_COND;
	c->field = f;
	c->op = op;
	c->values = xcalloc(n ? n : 1, sizeof(*c->values));
	c->n_values = n;
	return c;
}

/* Free a node made here; its children, if any, are borrowed. */
static void
node_free(struct filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n_values; i++)
		sqlval_release(&f->values[i]);
	free(f->values);
	free(f->children);
	free(f);
}

/* "a AND b", both borrowed (node_free() frees the node only). */
static struct filter *
and_new(struct filter *a, struct filter *b)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->kind = FILTER_AND;
	f->children = xcalloc(2, sizeof(*f->children));
	f->children[0] = a;
	f->children[1] = b;
	f->n_children = 2;
	return f;
}

/* AND 'c' (stolen) to q->filter; query_release() frees both. */
static void
restrict_query(struct query *q, struct filter *c)
{
	q->filter = q->filter ? and_new(q->filter, c) : c;
}

static int64_t
int_value(const struct sqlval *v)
{
	if (v->kind == SV_INT)
		return v->i;
	if (v->kind == SV_REAL)
		return (int64_t)v->d;
	return INT64_MIN;
}

/* ---- the other slice --------------------------------------------------- */

/* The rows of one document in the other slice. */
struct peer {
	const char *doc; /* borrowed from the rows */
	size_t n;
	int64_t min, max;
};

struct peers {
	struct store_rows rows;
	struct peer *v;
	size_t n;
};

static int
peer_cmp(const void *a, const void *b)
{
	return strcmp(((const struct peer *)a)->doc,
		      ((const struct peer *)b)->doc);
}

static void
peers_release(struct peers *p)
{
	store_rows_release(&p->rows);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * Read the rows of the slice other than 'drafts' whose documentId is one
 * of the 'n' in 'docs', summed up per document and sorted for bsearch().
 */
static int
peers_read(struct store *s, const struct content_type *ct, bool drafts,
	   const char *const *docs, size_t n, struct peers *p, struct err *e)
{
	int doc_col = sys_index(ct, SYS_DOCUMENT_ID);
	int upd_col = sys_index(ct, SYS_UPDATED_AT);
	struct query q;
	size_t i, j;
	int rc;

	memset(p, 0, sizeof(*p));
	query_init(&q);
	q.filter = cond_new(&ct->fields[doc_col], OP_IN, n);
	for (i = 0; i < n; i++)
		sqlval_set_text(&q.filter->values[i], docs[i]);
	q.pg.offset_mode = true;
	q.pg.start = 0;
	q.pg.limit = INT32_MAX;
	rc = store_content_find(s, ct, &q, drafts ? PUB_PUBLISHED : PUB_DRAFT,
				&p->rows, NULL, e);
	node_free(q.filter);
	if (rc < 0)
		return rc;
	p->v = xcalloc(p->rows.n_rows ? p->rows.n_rows : 1, sizeof(*p->v));
	for (i = 0; i < p->rows.n_rows; i++) {
		const struct sqlval *d =
		    store_rows_at(&p->rows, i, (size_t)doc_col);
		int64_t u =
		    int_value(store_rows_at(&p->rows, i, (size_t)upd_col));

		p->v[i].doc = d->kind == SV_TEXT ? d->s : "";
		p->v[i].n = 1;
		p->v[i].min = p->v[i].max = u;
	}
	qsort(p->v, p->rows.n_rows, sizeof(*p->v), peer_cmp);
	/* merge the rows of one document */
	for (i = 0, j = 0; i < p->rows.n_rows; i++) {
		if (j && !strcmp(p->v[j - 1].doc, p->v[i].doc)) {
			struct peer *t = &p->v[j - 1];

			t->n++;
			t->min = p->v[i].min < t->min ? p->v[i].min : t->min;
			t->max = p->v[i].max > t->max ? p->v[i].max : t->max;
		} else {
			p->v[j++] = p->v[i];
		}
	}
	p->n = j;
	return 0;
}

/* Whether row 'row' of 'rows' belongs, given its document's peers. */
static bool
row_belongs(const struct content_type *ct, enum gql_pubfilter m, bool drafts,
	    const struct store_rows *rows, size_t row, const struct peers *p)
{
	const struct sqlval *d =
	    store_rows_at(rows, row, (size_t)sys_index(ct, SYS_DOCUMENT_ID));
	int64_t u = int_value(
	    store_rows_at(rows, row, (size_t)sys_index(ct, SYS_UPDATED_AT)));
	struct peer key = {d->kind == SV_TEXT ? d->s : "", 0, 0, 0};
	const struct peer *hit =
	    p->n ? bsearch(&key, p->v, p->n, sizeof(*p->v), peer_cmp) : NULL;

	if (!hit)
		return gql_pubfilter_member(m, drafts, u, 0, 0, 0);
	return gql_pubfilter_member(m, drafts, u, hit->n, hit->min, hit->max);
}

int
gql_pubfilter_check(struct store *s, const struct content_type *ct,
		    enum gql_pubfilter m, bool drafts,
		    const struct store_rows *rows, size_t row, bool *member,
		    struct err *e)
{
	const struct sqlval *d;
	struct peers p;
	const char *doc;
	int rc;

	*member = true;
	if (m == GQL_PUB_NONE || !ct->draft_publish)
		return 0;
	d = store_rows_at(rows, row, (size_t)sys_index(ct, SYS_DOCUMENT_ID));
	doc = d->kind == SV_TEXT ? d->s : "";
	rc = peers_read(s, ct, drafts, &doc, 1, &p, e);
	if (rc < 0)
		return rc;
	*member = row_belongs(ct, m, drafts, rows, row, &p);
	peers_release(&p);
	return 0;
}

/* ---- computed cohorts -------------------------------------------------- */

/* Row ids, up to a bound; 'over' once one more did not fit. */
struct ids {
	int64_t *v;
	size_t n, alloc, max;
	bool over;
};

static void
ids_push(struct ids *l, int64_t id)
{
	if (l->over)
		return;
	if (l->n == l->max) {
		l->over = true;
		return;
	}
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 64;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = id;
}

/* "id IN (...)" or "id NOT IN (...)" of 'l'. */
static struct filter *
ids_cond(const struct content_type *ct, const struct ids *l, bool negate)
{
	struct filter *c = cond_new(&ct->fields[sys_index(ct, SYS_ID)],
				    negate ? OP_NOTIN : OP_IN, l->n);
	size_t i;

	for (i = 0; i < l->n; i++) {
		c->values[i].kind = SV_INT;
		c->values[i].i = l->v[i];
	}
	return c;
}

/*
 * One chunk: the rows of the slice matching 'base' (borrowed, may be NULL)
 * with an id above 'after', in id order, at most 'chunk' of them.
 */
static int
read_chunk(struct store *s, const struct content_type *ct, bool drafts,
	   struct filter *base, int64_t after, size_t chunk,
	   struct store_rows *out, struct err *e)
{
	const struct field *idf = &ct->fields[sys_index(ct, SYS_ID)];
	struct sort_key by_id = {idf, false};
	struct filter *gt = cond_new(idf, OP_GT, 1), *f;
	struct query q;
	int rc;

	gt->values[0].kind = SV_INT;
	gt->values[0].i = after;
	f = base ? and_new(base, gt) : gt;
	query_init(&q);
	q.filter = f;
	q.sort = &by_id;
	q.n_sort = 1;
	q.pg.offset_mode = true;
	q.pg.start = 0;
	q.pg.limit = (int64_t)chunk;
	rc = store_content_find(s, ct, &q, drafts ? PUB_DRAFT : PUB_PUBLISHED,
				out, NULL, e);
	if (f != gt)
		node_free(f);
	node_free(gt);
	return rc;
}

/* Sort the rows of 'q's slice into those in the cohort and the others. */
static int
classify(struct store *s, const struct content_type *ct, enum gql_pubfilter m,
	 const struct query *q, const struct gql_pubfilter_limits *lim,
	 struct ids *in, struct ids *out, struct err *e)
{
	bool drafts = q->status == STATUS_DRAFT;
	size_t id_col = (size_t)sys_index(ct, SYS_ID);
	size_t doc_col = (size_t)sys_index(ct, SYS_DOCUMENT_ID);
	size_t chunk = lim->chunk ? lim->chunk : 1;
	const char **docs = xcalloc(chunk, sizeof(*docs));
	int64_t after = INT64_MIN;
	int rc = 0;

	for (;;) {
		struct store_rows rows = {0};
		struct peers p;
		size_t i, n;

		memset(&p, 0, sizeof(p));
		rc = read_chunk(s, ct, drafts, q->filter, after, chunk, &rows,
				e);
		if (rc < 0)
			break;
		n = rows.n_rows;
		for (i = 0; i < n; i++) {
			const struct sqlval *d =
			    store_rows_at(&rows, i, doc_col);

			docs[i] = d->kind == SV_TEXT ? d->s : "";
		}
		rc = n ? peers_read(s, ct, drafts, docs, n, &p, e) : 0;
		if (rc < 0) {
			store_rows_release(&rows);
			break;
		}
		for (i = 0; i < n; i++) {
			int64_t id = store_rows_at(&rows, i, id_col)->i;

			if (row_belongs(ct, m, drafts, &rows, i, &p))
				ids_push(in, id);
			else
				ids_push(out, id);
			after = id;
		}
		if (n)
			peers_release(&p);
		store_rows_release(&rows);
		if (in->over && out->over) {
			rc = err_set(e, ERR_VALIDATION,
				     "publicationFilter %s: more than %zu "
				     "entries match and more than %zu do not; "
				     "narrow the query with filters",
				     gql_pubfilter_name(m), lim->max_ids,
				     lim->max_ids);
			break;
		}
		if (n < chunk)
			break;
	}
	free(docs);
	return rc;
}

int
gql_pubfilter_apply(struct store *s, const struct content_type *ct,
		    enum gql_pubfilter m, struct query *q,
		    const struct gql_pubfilter_limits *lim, struct err *e)
{
	static const struct gql_pubfilter_limits defaults =
	    GQL_PUBFILTER_LIMITS_DEFAULT;
	struct ids in = {0}, out = {0};
	int rc;

	if (!lim)
		lim = &defaults;
	switch (gql_pubfilter_plan(m, ct->draft_publish,
				   q->status == STATUS_DRAFT)) {
	case GQL_PLAN_ALL:
		return 0;
	case GQL_PLAN_EMPTY:
		restrict_query(q, ids_cond(ct, &in, false));
		return 0;
	case GQL_PLAN_DRAFTS_PUBLISHED:
		q->has_published = 1;
		return 0;
	case GQL_PLAN_DRAFTS_UNPUBLISHED:
		q->has_published = 0;
		return 0;
	case GQL_PLAN_COMPARE:
		break;
	}
	in.max = out.max = lim->max_ids;
	rc = classify(s, ct, m, q, lim, &in, &out, e);
	if (rc == 0) {
		/* the rows outside the list: excluded, or taken */
		if (!in.over && (out.over || in.n <= out.n))
			restrict_query(q, ids_cond(ct, &in, false));
		else
			restrict_query(q, ids_cond(ct, &out, true));
	}
	free(in.v);
	free(out.v);
	return rc;
}
