/* SPDX-License-Identifier: MIT */
/*
 * publication.h: Strapi 5's publicationFilter, and the deprecated
 * hasPublishedVersion argument that maps onto it, for draft & publish
 * types. A mode selects a cohort of documents by how their draft row and
 * their published row relate; a read then returns the rows of its slice
 * (status: drafts or published rows) that belong to the cohort.
 *
 *   mode                            a row of the slice belongs when
 *   NEVER_PUBLISHED(_DOCUMENT)      it is a draft and no published row exists
 *   HAS_PUBLISHED_VERSION(_DOCUMENT) a row of the other slice exists
 *   MODIFIED                        both exist and draft.updatedAt >
 *                                   published.updatedAt
 *   UNMODIFIED                      both exist and draft.updatedAt <=
 *                                   published.updatedAt
 *   PUBLISHED_WITHOUT_DRAFT         it is published and no draft exists
 *   PUBLISHED_WITH_DRAFT            it is published and a draft exists
 *
 * Strapi scopes the plain modes to (documentId, locale) pairs and the
 * _DOCUMENT ones to documents; without i18n (tollgate has none) both are
 * the document. Types without draft & publish ignore the filter.
 *
 * Nothing here is GraphQL-specific but the enum names: the REST API's
 * kebab-case values name the same modes.
 */
#ifndef GRAPHQL_PUBLICATION_H
#define GRAPHQL_PUBLICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "query/query.h"
#include "storage/store.h"

enum gql_pubfilter {
	GQL_PUB_NONE = 0,
	GQL_PUB_NEVER_PUBLISHED,
	GQL_PUB_HAS_PUBLISHED_VERSION,
	GQL_PUB_MODIFIED,
	GQL_PUB_UNMODIFIED,
	GQL_PUB_NEVER_PUBLISHED_DOCUMENT,
	GQL_PUB_HAS_PUBLISHED_VERSION_DOCUMENT,
	GQL_PUB_PUBLISHED_WITHOUT_DRAFT,
	GQL_PUB_PUBLISHED_WITH_DRAFT,
};

/* The mode of a PublicationFilter enum value ("MODIFIED"); GQL_PUB_NONE
 * for NULL or an unknown name. */
enum gql_pubfilter gql_pubfilter_parse(const char *name);

/* The enum value's name of 'm' ("MODIFIED"); "" for GQL_PUB_NONE. */
const char *gql_pubfilter_name(enum gql_pubfilter m);

/*
 * The mode a field's arguments (borrowed) ask for, as Strapi's
 * mergePublicationFilterFromGraphQLArgs: publicationFilter when given,
 * else hasPublishedVersion true/false as HAS_PUBLISHED_VERSION_DOCUMENT /
 * NEVER_PUBLISHED_DOCUMENT, else none.
 */
enum gql_pubfilter gql_pubfilter_from_args(json_t *args);

/* How a list read applies a mode to its slice. */
enum gql_pub_plan {
	GQL_PLAN_ALL,                /* no restriction */
	GQL_PLAN_EMPTY,              /* no row can belong */
	GQL_PLAN_DRAFTS_PUBLISHED,   /* the store's q->has_published = 1 */
	GQL_PLAN_DRAFTS_UNPUBLISHED, /* the store's q->has_published = 0 */
	GQL_PLAN_COMPARE,            /* rows compared with the other slice */
};

enum gql_pub_plan gql_pubfilter_plan(enum gql_pubfilter m, bool draft_publish,
				     bool drafts);

/*
 * Whether a row of the drafts (or published) slice, last updated at
 * 'updated', belongs to the cohort of 'm', its document having 'n_other'
 * rows in the other slice, updated between 'other_min' and 'other_max'
 * (ignored when n_other is 0). Several rows of a slice count as Strapi's
 * EXISTS does: one of them satisfying the condition is enough.
 */
bool gql_pubfilter_member(enum gql_pubfilter m, bool drafts, int64_t updated,
			  size_t n_other, int64_t other_min, int64_t other_max);

/*
 * Bounds of the computed cohorts: rows read per chunk (at least 1; the
 * other slice is read for one chunk's documents at a time, 'chunk' bound
 * values), and the most row ids an id IN / NOT IN condition may carry.
 */
struct gql_pubfilter_limits {
	size_t chunk;
	size_t max_ids;
};

/* clang-format off */
#define GQL_PUBFILTER_LIMITS_DEFAULT { 500, 20000 }
/* clang-format on */

/*
 * Restrict the list query 'q' (filters and status already parsed for 'ct')
 * to the rows of its slice in the cohort of 'm'. The plan decides: nothing,
 * a false condition, the store's has_published flag, or (GQL_PLAN_COMPARE)
 * a condition on the row ids, found by reading the slice's rows that match
 * q's filters in id order, a chunk at a time, with the same documents' rows
 * of the other slice; the smaller of the ids in the cohort and the ids out
 * of it becomes "id IN (...)" or "id NOT IN (...)", ANDed to q->filter.
 * The reads are not one snapshot: a row written meanwhile may be judged
 * by its earlier state. 'lim' may be NULL (the defaults). 0, a storage
 * error code, or ERR_VALIDATION when both lists would exceed
 * lim->max_ids.
 */
int gql_pubfilter_apply(struct store *s, const struct content_type *ct,
			enum gql_pubfilter m, struct query *q,
			const struct gql_pubfilter_limits *lim, struct err *e);

/*
 * Whether row 'row' of 'rows' (read from the drafts slice when 'drafts',
 * else from the published one) belongs to the cohort of 'm': for reads of
 * one document. '*member' is true for GQL_PUB_NONE and for types without
 * draft & publish. 0 or a storage error code.
 */
int gql_pubfilter_check(struct store *s, const struct content_type *ct,
			enum gql_pubfilter m, bool drafts,
			const struct store_rows *rows, size_t row, bool *member,
			struct err *e);

#endif
