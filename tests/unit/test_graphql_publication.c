/* SPDX-License-Identifier: MIT */
/*
 * test_graphql_publication.c: publicationFilter (graphql/publication.h).
 * The mode table (names, the hasPublishedVersion mapping, plans, cohort
 * membership) on its own, then every mode and status against a SQLite
 * store holding documents in each state (never published, unmodified,
 * modified, published without a draft, a draft older than its published
 * row), with small chunks and bounds so that chunking, both id-list forms
 * and the bound's error are exercised. Expected rows are computed here by
 * brute force from the states, independently of the code under test.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "graphql/publication.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- the table ------------------------------------------------------- */

static const char *const names[] = {
    "NEVER_PUBLISHED",
    "HAS_PUBLISHED_VERSION",
    "MODIFIED",
    "UNMODIFIED",
    "NEVER_PUBLISHED_DOCUMENT",
    "HAS_PUBLISHED_VERSION_DOCUMENT",
    "PUBLISHED_WITHOUT_DRAFT",
    "PUBLISHED_WITH_DRAFT",
};

static void
test_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		enum gql_pubfilter m = gql_pubfilter_parse(names[i]);

		assert_int_not_equal(m, GQL_PUB_NONE);
		assert_string_equal(gql_pubfilter_name(m), names[i]);
	}
	assert_int_equal(gql_pubfilter_parse(NULL), GQL_PUB_NONE);
	assert_int_equal(gql_pubfilter_parse("modified"), GQL_PUB_NONE);
	assert_int_equal(gql_pubfilter_parse("NEVER"), GQL_PUB_NONE);
	assert_string_equal(gql_pubfilter_name(GQL_PUB_NONE), "");
}

static enum gql_pubfilter
from_args(const char *json)
{
	json_t *args = json_loads(json, 0, NULL);
	enum gql_pubfilter m;

	assert_non_null(args);
	m = gql_pubfilter_from_args(args);
	json_decref(args);
	return m;
}

static void
test_from_args(void **state)
{
	(void)state;
	assert_int_equal(from_args("{}"), GQL_PUB_NONE);
	assert_int_equal(from_args("{\"status\":\"DRAFT\"}"), GQL_PUB_NONE);
	assert_int_equal(from_args("{\"publicationFilter\":\"MODIFIED\"}"),
			 GQL_PUB_MODIFIED);
	/* Strapi maps the deprecated flag to the document-scoped modes */
	assert_int_equal(from_args("{\"hasPublishedVersion\":true}"),
			 GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT);
	assert_int_equal(from_args("{\"hasPublishedVersion\":false}"),
			 GQL_PUB_NEVER_PUBLISHED_DOCUMENT);
	/* publicationFilter wins */
	assert_int_equal(from_args("{\"publicationFilter\":\"MODIFIED\","
				   "\"hasPublishedVersion\":false}"),
			 GQL_PUB_MODIFIED);
	/* null is the same as absent */
	assert_int_equal(from_args("{\"publicationFilter\":null,"
				   "\"hasPublishedVersion\":true}"),
			 GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT);
	assert_int_equal(from_args("{\"hasPublishedVersion\":null}"),
			 GQL_PUB_NONE);
}

static void
test_plan(void **state)
{
	static const struct {
		enum gql_pubfilter m;
		enum gql_pub_plan drafts, published;
	} t[] = {
	    {GQL_PUB_NONE, GQL_PLAN_ALL, GQL_PLAN_ALL},
	    {GQL_PUB_NEVER_PUBLISHED, GQL_PLAN_DRAFTS_UNPUBLISHED,
	     GQL_PLAN_EMPTY},
	    {GQL_PUB_NEVER_PUBLISHED_DOCUMENT, GQL_PLAN_DRAFTS_UNPUBLISHED,
	     GQL_PLAN_EMPTY},
	    {GQL_PUB_HAS_PUBLISHED_VERSION, GQL_PLAN_DRAFTS_PUBLISHED,
	     GQL_PLAN_COMPARE},
	    {GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT, GQL_PLAN_DRAFTS_PUBLISHED,
	     GQL_PLAN_COMPARE},
	    {GQL_PUB_MODIFIED, GQL_PLAN_COMPARE, GQL_PLAN_COMPARE},
	    {GQL_PUB_UNMODIFIED, GQL_PLAN_COMPARE, GQL_PLAN_COMPARE},
	    {GQL_PUB_PUBLISHED_WITHOUT_DRAFT, GQL_PLAN_EMPTY, GQL_PLAN_COMPARE},
	    {GQL_PUB_PUBLISHED_WITH_DRAFT, GQL_PLAN_EMPTY, GQL_PLAN_COMPARE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(gql_pubfilter_plan(t[i].m, true, true),
				 t[i].drafts);
		assert_int_equal(gql_pubfilter_plan(t[i].m, true, false),
				 t[i].published);
		/* without draft & publish, no effect */
		assert_int_equal(gql_pubfilter_plan(t[i].m, false, true),
				 GQL_PLAN_ALL);
		assert_int_equal(gql_pubfilter_plan(t[i].m, false, false),
				 GQL_PLAN_ALL);
	}
}

static void
test_member(void **state)
{
	const enum gql_pubfilter MOD = GQL_PUB_MODIFIED;
	const enum gql_pubfilter UNMOD = GQL_PUB_UNMODIFIED;
	int side;

	(void)state;
	/* a draft updated at 10 whose published peer was updated at 5, 10, 20
	 */
	assert_true(gql_pubfilter_member(MOD, true, 10, 1, 5, 5));
	assert_false(gql_pubfilter_member(MOD, true, 10, 1, 10, 10));
	assert_false(gql_pubfilter_member(MOD, true, 10, 1, 20, 20));
	assert_false(gql_pubfilter_member(UNMOD, true, 10, 1, 5, 5));
	assert_true(gql_pubfilter_member(UNMOD, true, 10, 1, 10, 10));
	assert_true(gql_pubfilter_member(UNMOD, true, 10, 1, 20, 20));
	/* the published side: a row at 10 whose draft was updated at 20, 10 */
	assert_true(gql_pubfilter_member(MOD, false, 10, 1, 20, 20));
	assert_false(gql_pubfilter_member(MOD, false, 10, 1, 10, 10));
	assert_true(gql_pubfilter_member(UNMOD, false, 10, 1, 10, 10));
	assert_false(gql_pubfilter_member(UNMOD, false, 10, 1, 20, 20));
	/* several peers: EXISTS semantics, so both can hold */
	assert_true(gql_pubfilter_member(MOD, true, 10, 2, 5, 20));
	assert_true(gql_pubfilter_member(UNMOD, true, 10, 2, 5, 20));

	for (side = 0; side < 2; side++) {
		bool drafts = side == 0;
		int64_t u;

		/* no peer: only "never published" and "without draft" */
		assert_int_equal(gql_pubfilter_member(GQL_PUB_NEVER_PUBLISHED,
						      drafts, 1, 0, 0, 0),
				 drafts);
		assert_int_equal(
		    gql_pubfilter_member(GQL_PUB_PUBLISHED_WITHOUT_DRAFT,
					 drafts, 1, 0, 0, 0),
		    !drafts);
		assert_false(gql_pubfilter_member(GQL_PUB_HAS_PUBLISHED_VERSION,
						  drafts, 1, 0, 0, 0));
		assert_false(gql_pubfilter_member(MOD, drafts, 1, 0, 0, 0));
		assert_false(gql_pubfilter_member(UNMOD, drafts, 1, 0, 0, 0));
		assert_false(gql_pubfilter_member(GQL_PUB_PUBLISHED_WITH_DRAFT,
						  drafts, 1, 0, 0, 0));
		assert_true(
		    gql_pubfilter_member(GQL_PUB_NONE, drafts, 1, 0, 0, 0));
		/* with one peer, modified and unmodified partition
		 * has-published-version */
		for (u = 0; u < 3; u++) {
			bool m = gql_pubfilter_member(MOD, drafts, u, 1, 1, 1);
			bool n =
			    gql_pubfilter_member(UNMOD, drafts, u, 1, 1, 1);

			assert_true(m != n);
			assert_true(gql_pubfilter_member(
			    GQL_PUB_HAS_PUBLISHED_VERSION, drafts, u, 1, 1, 1));
			assert_false(gql_pubfilter_member(
			    GQL_PUB_NEVER_PUBLISHED, drafts, u, 1, 1, 1));
		}
	}
}

/* ---- against a store ------------------------------------------------- */

enum { C_ID, C_DOC, C_RATING, C_CREATED, C_UPDATED, C_PUBLISHED, N_COLS };

struct ftmpl {
	const char *name;
	const char *column;
	enum attr_type type;
	enum sys_field sys;
};

static const struct ftmpl post_fields[N_COLS] = {
    {"id", "id", ATTR_INTEGER, SYS_ID},
    {"documentId", "document_id", ATTR_STRING, SYS_DOCUMENT_ID},
    {"rating", "rating", ATTR_INTEGER, SYS_NONE},
    {"createdAt", "created_at", ATTR_DATETIME, SYS_CREATED_AT},
    {"updatedAt", "updated_at", ATTR_DATETIME, SYS_UPDATED_AT},
    {"publishedAt", "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT},
};

static char act_find[] = "api::post.post.find";
static char act_note_find[] = "api::note.note.find";
static char *actions[] = {act_note_find, act_find};

/* The states of the documents, by document number modulo N_STATES. */
enum doc_state {
	S_DRAFT_ONLY,     /* never published */
	S_UNMODIFIED,     /* draft and published row, same updatedAt */
	S_MODIFIED,       /* the draft is newer */
	S_PUBLISHED_ONLY, /* a published row without a draft (imported) */
	S_DRAFT_OLDER,    /* the published row is newer: unmodified */
	N_STATES
};

#define N_DOCS 103

struct fx {
	char dir[64];
	struct store *s;
	struct schema_registry reg;
	/* each row inserted: its id, document number, slice */
	int64_t ids[2 * N_DOCS];
	int doc_of[2 * N_DOCS];
	bool is_draft[2 * N_DOCS];
	size_t n_rows;
};

static void
build_type(struct content_type *ct, const char *uid, const char *table,
	   bool draft_publish)
{
	size_t i;

	memset(ct, 0, sizeof(*ct));
	ct->uid = xstrdup(uid);
	ct->table = xstrdup(table);
	ct->plural = xstrdup(table);
	ct->draft_publish = draft_publish;
	ct->fields = xcalloc(N_COLS, sizeof(*ct->fields));
	ct->n_fields = N_COLS;
	for (i = 0; i < N_COLS; i++) {
		struct field *f = &ct->fields[i];

		f->name = xstrdup(post_fields[i].name);
		f->column = xstrdup(post_fields[i].column);
		f->type = post_fields[i].type;
		f->sys = post_fields[i].sys;
		f->flags = post_fields[i].sys ? FIELD_SYSTEM : 0;
		f->min_length = -1;
		f->max_length = -1;
	}
	ct->attrs = &ct->fields[C_RATING];
	ct->n_attrs = 1;
}

static void
free_type(struct content_type *ct)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++) {
		free(ct->fields[i].name);
		free(ct->fields[i].column);
	}
	free(ct->fields);
	free(ct->uid);
	free(ct->table);
	free(ct->plural);
}

static const struct content_type *
posts(struct fx *fx)
{
	return &fx->reg.types[1];
}

static const struct content_type *
notes(struct fx *fx)
{
	return &fx->reg.types[0];
}

static void
insert(struct fx *fx, const struct content_type *ct, int doc, bool draft,
       int64_t updated)
{
	struct sqlval v[N_COLS];
	bool present[N_COLS];
	char name[32];
	int64_t id;
	size_t i;

	memset(v, 0, sizeof(v));
	memset(present, 0, sizeof(present));
	snprintf(name, sizeof(name), "doc%04d", doc);
	sqlval_set_text(&v[C_DOC], name);
	v[C_RATING].kind = SV_INT;
	v[C_RATING].i = doc;
	v[C_CREATED].kind = SV_INT;
	v[C_CREATED].i = 1000;
	v[C_UPDATED].kind = SV_INT;
	v[C_UPDATED].i = updated;
	if (!draft) {
		v[C_PUBLISHED].kind = SV_INT;
		v[C_PUBLISHED].i = updated;
	}
	for (i = 1; i < N_COLS; i++)
		present[i] = true;
	assert_int_equal(store_content_insert(fx->s, ct, v, present, &id), 0);
	for (i = 0; i < N_COLS; i++)
		sqlval_release(&v[i]);
	if (ct == posts(fx)) {
		fx->ids[fx->n_rows] = id;
		fx->doc_of[fx->n_rows] = doc;
		fx->is_draft[fx->n_rows] = draft;
		fx->n_rows++;
	}
}

static int
setup(void **state)
{
	struct store_options o = {.client = "sqlite", .filename = "data.db"};
	struct fx *fx = xcalloc(1, sizeof(*fx));
	struct err e = ERR_INIT;
	int doc;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/tg-pubfilter-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	o.project_dir = fx->dir;
	if (store_open(&o, &fx->s, &e))
		return -1;
	fx->reg.n_types = 2;
	fx->reg.types = xcalloc(2, sizeof(*fx->reg.types));
	build_type(&fx->reg.types[0], "api::note.note", "notes", false);
	build_type(&fx->reg.types[1], "api::post.post", "posts", true);
	fx->reg.types[1].action_base = 1;
	fx->reg.actions = actions;
	fx->reg.n_actions = ARRAY_SIZE(actions);
	if (store_sync_schema(fx->s, &fx->reg, &e))
		return -1;
	/* rows interleaved by document, in an order ids do not sort by state */
	for (doc = 0; doc < N_DOCS; doc++) {
		switch (doc % N_STATES) {
		case S_DRAFT_ONLY:
			insert(fx, posts(fx), doc, true, 2000);
			break;
		case S_UNMODIFIED:
			insert(fx, posts(fx), doc, true, 2000);
			insert(fx, posts(fx), doc, false, 2000);
			break;
		case S_MODIFIED:
			insert(fx, posts(fx), doc, false, 2000);
			insert(fx, posts(fx), doc, true, 3000);
			break;
		case S_PUBLISHED_ONLY:
			insert(fx, posts(fx), doc, false, 2000);
			break;
		case S_DRAFT_OLDER:
			insert(fx, posts(fx), doc, true, 2000);
			insert(fx, posts(fx), doc, false, 2500);
			break;
		}
	}
	insert(fx, notes(fx), 1, false, 2000);
	insert(fx, notes(fx), 2, false, 2000);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[128];
	size_t i;

	store_close(fx->s);
	for (i = 0; i < fx->reg.n_types; i++)
		free_type(&fx->reg.types[i]);
	free(fx->reg.types);
	for (i = 0; i < 3; i++) {
		static const char *const sfx[] = {"", "-wal", "-shm"};

		snprintf(p, sizeof(p), "%s/data.db%s", fx->dir, sfx[i]);
		unlink(p);
	}
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Whether a row of a document in 'state', on one side, is in the cohort. */
static bool
expected(enum gql_pubfilter m, enum doc_state st, bool draft)
{
	bool has_draft = st != S_PUBLISHED_ONLY;
	bool has_pub = st != S_DRAFT_ONLY;
	bool both = has_draft && has_pub;

	switch (m) {
	case GQL_PUB_NEVER_PUBLISHED:
	case GQL_PUB_NEVER_PUBLISHED_DOCUMENT:
		return draft && !has_pub;
	case GQL_PUB_HAS_PUBLISHED_VERSION:
	case GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT:
		return both;
	case GQL_PUB_MODIFIED:
		return both && st == S_MODIFIED;
	case GQL_PUB_UNMODIFIED:
		return both && st != S_MODIFIED;
	case GQL_PUB_PUBLISHED_WITHOUT_DRAFT:
		return !draft && !has_draft;
	case GQL_PUB_PUBLISHED_WITH_DRAFT:
		return !draft && both;
	case GQL_PUB_NONE:
	default:
		return true;
	}
}

/* A query of one slice; 'min_rating' > 0 adds "rating >= min_rating". */
static void
make_query(struct fx *fx, struct query *q, bool drafts, int min_rating)
{
	query_init(q);
	q->status = drafts ? STATUS_DRAFT : STATUS_PUBLISHED;
	q->status_given = true;
	q->pg.offset_mode = true;
	q->pg.start = 0;
	q->pg.limit = 1000;
	if (min_rating > 0) {
		struct filter *f = xcalloc(1, sizeof(*f));

		f->kind = FILTER_COND;
		f->field = &posts(fx)->fields[C_RATING];
		f->op = OP_GTE;
		f->values = xcalloc(1, sizeof(*f->values));
		f->n_values = 1;
		f->values[0].kind = SV_INT;
		f->values[0].i = min_rating;
		q->filter = f;
	}
}

/* Apply 'm' and compare the rows found, in id order, with expected(). */
static void
check_mode(struct fx *fx, enum gql_pubfilter m, bool drafts, int min_rating,
	   const struct gql_pubfilter_limits *lim)
{
	const struct content_type *ct = posts(fx);
	struct store_rows rows = {0};
	struct err e = ERR_INIT;
	struct query q;
	int64_t total = -1;
	size_t i, n = 0;

	make_query(fx, &q, drafts, min_rating);
	assert_int_equal(gql_pubfilter_apply(fx->s, ct, m, &q, lim, &e), 0);
	assert_int_equal(store_content_find(fx->s, ct, &q,
					    drafts ? PUB_DRAFT : PUB_PUBLISHED,
					    &rows, &total, &e),
			 0);
	for (i = 0; i < fx->n_rows; i++) {
		int doc = fx->doc_of[i];

		if (fx->is_draft[i] != drafts || doc < min_rating ||
		    !expected(m, (enum doc_state)(doc % N_STATES), drafts))
			continue;
		if (n >= rows.n_rows)
			fail_msg("%s %s: row %" PRId64 " missing",
				 gql_pubfilter_name(m),
				 drafts ? "draft" : "published", fx->ids[i]);
		assert_int_equal(store_rows_at(&rows, n, C_ID)->i, fx->ids[i]);
		n++;
	}
	if (n != rows.n_rows)
		fail_msg("%s %s: %zu rows, expected %zu", gql_pubfilter_name(m),
			 drafts ? "draft" : "published", rows.n_rows, n);
	assert_int_equal(total, (int64_t)n);
	store_rows_release(&rows);
	query_release(&q);
	err_release(&e);
}

static void
test_store_every_mode(void **state)
{
	static const struct gql_pubfilter_limits small = {7, 1000};
	struct fx *fx = *state;
	size_t i;
	int side;

	for (i = 0; i <= ARRAY_SIZE(names); i++) {
		enum gql_pubfilter m =
		    i ? gql_pubfilter_parse(names[i - 1]) : GQL_PUB_NONE;

		for (side = 0; side < 2; side++) {
			/* the defaults: one chunk */
			check_mode(fx, m, side == 0, 0, NULL);
			/* chunks of 7, with and without a filter */
			check_mode(fx, m, side == 0, 0, &small);
			check_mode(fx, m, side == 0, 40, &small);
		}
	}
}

static void
test_store_bounds(void **state)
{
	/* ids lists of at most 5: either list may be used, not both over */
	static const struct gql_pubfilter_limits tiny = {4, 5};
	struct fx *fx = *state;
	const struct content_type *ct = posts(fx);
	struct err e = ERR_INIT;
	struct query q;

	/* 21 published-only documents: more than 5 in, many more out */
	make_query(fx, &q, false, 0);
	assert_int_equal(gql_pubfilter_apply(fx->s, ct,
					     GQL_PUB_PUBLISHED_WITHOUT_DRAFT,
					     &q, &tiny, &e),
			 ERR_VALIDATION);
	assert_string_equal(e.msg, "publicationFilter PUBLISHED_WITHOUT_DRAFT: "
				   "more than 5 entries match and more than 5 "
				   "do not; narrow the query with filters");
	query_release(&q);
	err_release(&e);

	/* narrowed by a filter, the small list is used, either way round */
	check_mode(fx, GQL_PUB_PUBLISHED_WITHOUT_DRAFT, false, 90, &tiny);
	check_mode(fx, GQL_PUB_PUBLISHED_WITH_DRAFT, false, 90, &tiny);
	check_mode(fx, GQL_PUB_MODIFIED, true, 95, &tiny);
	check_mode(fx, GQL_PUB_UNMODIFIED, true, 95, &tiny);
}

static void
test_store_without_draft_publish(void **state)
{
	struct fx *fx = *state;
	struct store_rows rows = {0};
	struct err e = ERR_INIT;
	struct query q;
	bool member = false;

	/* notes have no draft & publish: every mode leaves the query alone */
	make_query(fx, &q, true, 0);
	assert_int_equal(gql_pubfilter_apply(fx->s, notes(fx),
					     GQL_PUB_NEVER_PUBLISHED, &q, NULL,
					     &e),
			 0);
	assert_null(q.filter);
	assert_int_equal(q.has_published, -1);
	assert_int_equal(
	    store_content_find(fx->s, notes(fx), &q, PUB_ANY, &rows, NULL, &e),
	    0);
	assert_int_equal(rows.n_rows, 2);
	assert_int_equal(gql_pubfilter_check(fx->s, notes(fx),
					     GQL_PUB_NEVER_PUBLISHED, true,
					     &rows, 0, &member, &e),
			 0);
	assert_true(member);
	store_rows_release(&rows);
	query_release(&q);
}

/* gql_pubfilter_check() agrees with expected() for every row and mode. */
static void
test_store_check_one(void **state)
{
	struct fx *fx = *state;
	const struct content_type *ct = posts(fx);
	struct err e = ERR_INIT;
	size_t r, i;

	for (r = 0; r < fx->n_rows; r += 3) {
		struct store_rows rows = {0};

		assert_int_equal(
		    store_content_get_id(fx->s, ct, fx->ids[r], &rows), 0);
		assert_int_equal(rows.n_rows, 1);
		for (i = 0; i <= ARRAY_SIZE(names); i++) {
			enum gql_pubfilter m =
			    i ? gql_pubfilter_parse(names[i - 1])
			      : GQL_PUB_NONE;
			bool want = expected(
			    m, (enum doc_state)(fx->doc_of[r] % N_STATES),
			    fx->is_draft[r]);
			bool member = !want;

			assert_int_equal(
			    gql_pubfilter_check(fx->s, ct, m, fx->is_draft[r],
						&rows, 0, &member, &e),
			    0);
			assert_int_equal(member, want);
		}
		store_rows_release(&rows);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_from_args),
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_member),
	    cmocka_unit_test_setup_teardown(test_store_every_mode, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_store_bounds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_without_draft_publish,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_check_one, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
