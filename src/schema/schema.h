/* SPDX-License-Identifier: MIT */
/*
 * schema.h: content types loaded from a Strapi project's
 * src/api/<api>/content-types/<name>/schema.json files, and the checks and
 * conversions between client JSON, stored values and response JSON.
 *
 * A registry is built once at start-up and is read-only afterwards, so it
 * may be shared by every thread without locks. Every pointer it hands out
 * is valid until schema_registry_release().
 *
 * Each content type has 'fields': the system fields and the schema's
 * attributes, in output order:
 *   id, documentId, <attributes in schema order>, createdAt, updatedAt,
 *   publishedAt.
 * 'attrs' points at the first schema attribute inside 'fields' and
 * 'n_attrs' counts them. Field names are the API names (camelCase); 'column'
 * is the SQL column name (snake_case, as Strapi creates it).
 *
 * Stored representation (what storage binds and returns; see struct sqlval):
 *   string/text/richtext/email/uid/enumeration/password: TEXT
 *   integer/biginteger: INT (int64)
 *   float/decimal: REAL
 *   boolean: INT 0/1
 *   date: TEXT "YYYY-MM-DD"; time: TEXT "HH:MM:SS.mmm"
 *   datetime and the timestamps: INT (UTC milliseconds)
 *   json: TEXT (compact JSON)
 *   id: INT; documentId: TEXT
 */
#ifndef SCHEMA_SCHEMA_H
#define SCHEMA_SCHEMA_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum attr_type {
	ATTR_STRING,
	ATTR_TEXT,
	ATTR_RICHTEXT,
	ATTR_EMAIL,
	ATTR_UID,
	ATTR_ENUMERATION,
	ATTR_PASSWORD,
	ATTR_INTEGER,
	ATTR_BIGINTEGER,
	ATTR_FLOAT,
	ATTR_DECIMAL,
	ATTR_BOOLEAN,
	ATTR_DATE,
	ATTR_TIME,
	ATTR_DATETIME,
	ATTR_JSON,
};

enum field_flags {
	FIELD_SYSTEM = 1 << 0,  /* id, documentId, createdAt, ... */
	FIELD_PRIVATE = 1 << 1, /* never output, not filterable/sortable;
				 * set on every password attribute too */
	FIELD_REQUIRED = 1 << 2,
	FIELD_UNIQUE = 1 << 3,
};

enum sys_field {
	SYS_NONE = 0,
	SYS_ID,
	SYS_DOCUMENT_ID,
	SYS_CREATED_AT,
	SYS_UPDATED_AT,
	SYS_PUBLISHED_AT,
};

struct field {
	char *name;   /* API name, e.g. "releaseDate" */
	char *column; /* SQL column, e.g. "release_date"; from the schema only */
	enum attr_type type;
	enum sys_field sys; /* SYS_NONE for schema attributes */
	unsigned flags;     /* enum field_flags */
	json_t *default_value; /* owned; NULL when no default */
	bool has_min, has_max;
	double min, max;
	long min_length, max_length; /* -1 when unset */
	char **enum_values;
	size_t n_enum;
	char *regex_src; /* NULL when unset */
	regex_t regex;   /* compiled (POSIX extended) when regex_src */
	char *target_field;
};

/* Content-API actions, in the order Strapi lists them. */
enum ct_action {
	ACTION_FIND = 0,
	ACTION_FIND_ONE,
	ACTION_CREATE,
	ACTION_UPDATE,
	ACTION_DELETE,
	ACTION_COUNT_
};

struct content_type {
	char *uid;             /* "api::article.article" */
	char *api_name;        /* "article" (folder under src/api) */
	char *singular;        /* info.singularName */
	char *plural;          /* info.pluralName */
	char *display_name;
	char *table;           /* collectionName, or the plural name */
	char *source_file;     /* schema.json path, for messages */
	bool single;           /* kind == singleType */
	bool draft_publish;    /* options.draftAndPublish */
	struct field *fields;  /* all fields, output order */
	size_t n_fields;
	struct field *attrs;   /* schema attributes inside 'fields' */
	size_t n_attrs;
	/*
	 * Index of this type's first action in the registry's action list;
	 * action 'a' of this type has index action_base + a. Single types have
	 * no findOne/create, their slots exist but are never registered.
	 */
	unsigned action_base;
};

struct schema_registry {
	struct content_type *types; /* sorted by uid */
	size_t n_types;
	/*
	 * "api::article.article.find", ... indexed by action_base + action:
	 * ACTION_COUNT_ slots per type. The findOne and create slots of single
	 * types are NULL (never registered).
	 */
	char **actions;
	size_t n_actions;
};

/* Zero the registry. */
void schema_registry_init(struct schema_registry *reg);

/*
 * Load every content type under '<project_dir>/src/api'. A missing src/api
 * folder yields an empty registry. An invalid schema fails with ERR_VALIDATION
 * and a message naming the file and the problem (unknown attribute type,
 * bad option, duplicate route name, unreadable JSON, ...).
 */
int schema_registry_load(struct schema_registry *reg, const char *project_dir,
			 struct err *e);

/*
 * Load one parsed schema.json (borrowed) as api 'api_name'; used by tests.
 * The type's name in its UID is the <name> folder when 'source_file' ends
 * in ".../content-types/<name>/schema.json", else info.singularName.
 * 'source_file' prefixes every error message.
 */
int schema_registry_add(struct schema_registry *reg, const char *api_name,
			const char *source_file, json_t *schema, struct err *e);

/* Call after the last schema_registry_add(): sorts and numbers the actions. */
void schema_registry_finish(struct schema_registry *reg);

void schema_registry_release(struct schema_registry *reg);

/*
 * Lookups; NULL when absent. They match any kind: the plural name of a
 * single type finds it too, so routers check ct->single.
 */
const struct content_type *schema_find_plural(const struct schema_registry *,
					      const char *plural);
const struct content_type *schema_find_singular(const struct schema_registry *,
						const char *singular);
const struct content_type *schema_find_uid(const struct schema_registry *,
					   const char *uid);
const struct field *schema_field(const struct content_type *ct,
				 const char *name);

/* Index of an action UID in reg->actions, or -1. */
int schema_action_index(const struct schema_registry *reg, const char *uid);
/* Whether type 'ct' exposes action 'a' (single types: find/update/delete). */
bool schema_has_action(const struct content_type *ct, enum ct_action a);
const char *schema_action_name(enum ct_action a); /* "find", "findOne", ... */

const char *attr_type_name(enum attr_type t);

/* ---- values ---------------------------------------------------------- */

/* A stored value, as bound to or read from the database. */
enum sqlval_kind { SV_NULL = 0, SV_INT, SV_REAL, SV_TEXT };
struct sqlval {
	enum sqlval_kind kind;
	int64_t i;
	double d;
	char *s; /* owned when kind == SV_TEXT */
};
void sqlval_release(struct sqlval *v);
void sqlval_set_text(struct sqlval *v, const char *s); /* copies */

/*
 * Convert a stored value of field 'f' to its response JSON (a new reference):
 * biginteger as a decimal string, float/decimal as numbers, booleans,
 * dates/times as strings, datetimes as ISO-8601 with ms, json parsed.
 */
json_t *schema_value_to_json(const struct field *f, const struct sqlval *v);

/* ---- entry validation (request bodies) -------------------------------- */

enum validate_mode {
	VALIDATE_CREATE,  /* required fields must be present; defaults apply */
	VALIDATE_UPDATE,  /* partial: only given fields are checked */
	VALIDATE_DRAFT,   /* create a draft: like CREATE but 'required' is not enforced */
};

/*
 * Called for each unique field with a non-null value of a type Strapi checks
 * (string types, uid, numbers, dates; not enumeration, boolean, json), and
 * for every uid field, which Strapi always keeps unique; returns true when
 * another entry already holds 'v'. 'ctx' is the caller's. Drafts call it
 * too (Strapi compares drafts with drafts); scoping is the caller's.
 */
typedef bool (*unique_taken_fn)(void *ctx, const struct field *f,
				const struct sqlval *v);

/*
 * Check the attributes object 'data' (borrowed; the body's "data") against
 * 'ct', Strapi's way: an unknown key, or a system field, fails first with
 * "Invalid key <k>"; then every attribute is checked and the errors are
 * reported together in schema order ("N errors occurred"); date/time/datetime
 * format errors come after, one at a time, with empty details.
 *
 * On success fills 'vals' (an array of ct->n_fields sqlvals, zeroed by the
 * caller) and 'present' (ct->n_fields bools) with the converted values of
 * the attributes given (plus defaults on create), and returns 0.
 * On failure returns ERR_VALIDATION with 'e' filled.
 */
int schema_validate_entry(const struct content_type *ct, json_t *data,
			  enum validate_mode mode, unique_taken_fn unique,
			  void *unique_ctx, struct sqlval *vals, bool *present,
			  struct err *e);

/*
 * Convert a filter value given as a query-string string 's' to the stored
 * form for field 'f' (numbers parsed, booleans by Strapi's rule, dates
 * checked, datetimes to ms). Returns 0 or ERR_VALIDATION with the message
 * Strapi uses ("Invalid format, expected yyyy-MM-dd", ...).
 */
int schema_filter_value(const struct field *f, const char *s,
			struct sqlval *out, struct err *e);

/*
 * Strapi's parsers for date, time and datetime values (its database layer's
 * rules), shared by entry validation and filters. Each returns 0, or
 * ERR_VALIDATION with Strapi's message and empty details.
 *   date: a string starting with a valid "YYYY-MM-DD" (so an ISO
 *         date-time keeps its date part) -> 'out' = "YYYY-MM-DD";
 *         "Invalid format, expected yyyy-MM-dd" / "Invalid date"
 *   time: "HH:mm:ss" with an optional 1-3 digit fraction -> 'out' =
 *         "HH:mm:ss.SSS"; "Invalid time format, expected HH:mm:ss.SSS"
 *   datetime: ISO-8601 date-time (offset converted; none means UTC), a date
 *         alone (midnight UTC), "YYYY" or "YYYY-MM", or integer epoch
 *         milliseconds -> UTC ms;
 *         "Invalid format, expected a timestamp or an ISO date"
 */
int schema_parse_date(const char *s, char out[11], struct err *e);
int schema_parse_time(const char *s, char out[13], struct err *e);
int schema_parse_datetime(const char *s, int64_t *ms, struct err *e);

#endif
