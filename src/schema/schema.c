/* SPDX-License-Identifier: MIT */
/*
 * schema.c: the content-type registry. Reads and checks a Strapi project's
 * schema.json files, derives SQL column names and the action UIDs. Entry
 * validation lives in validate.c and value conversion in value.c.
 */
#include "core/compat.h"
#include "schema/schema.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/timeutil.h"

#define NAME_MAX_LEN 63

static const char *const type_names[] = {
	[ATTR_STRING] = "string",
	[ATTR_TEXT] = "text",
	[ATTR_RICHTEXT] = "richtext",
	[ATTR_EMAIL] = "email",
	[ATTR_UID] = "uid",
	[ATTR_ENUMERATION] = "enumeration",
	[ATTR_PASSWORD] = "password",
	[ATTR_INTEGER] = "integer",
	[ATTR_BIGINTEGER] = "biginteger",
	[ATTR_FLOAT] = "float",
	[ATTR_DECIMAL] = "decimal",
	[ATTR_BOOLEAN] = "boolean",
	[ATTR_DATE] = "date",
	[ATTR_TIME] = "time",
	[ATTR_DATETIME] = "datetime",
	[ATTR_JSON] = "json",
};

/* Strapi attribute types this server does not implement (yet). */
static const char *const unsupported_types[] = {
	"relation", "component", "media",     "dynamiczone",
	"customField", "blocks", "timestamp",
};

/* Names Strapi adds to every content type; schemas may not declare them. */
static const char *const reserved_names[] = {
	"id",	     "documentId", "createdAt", "updatedAt",	"publishedAt",
	"createdBy", "updatedBy",  "locale",    "localizations",
};

/* Columns of the system fields and of Strapi's own bookkeeping. */
static const char *const system_columns[] = {
	"id",	       "document_id",	"created_at", "updated_at",
	"published_at", "created_by_id", "updated_by_id", "locale",
};

static const char *const action_names[ACTION_COUNT_] = {
	[ACTION_FIND] = "find",
	[ACTION_FIND_ONE] = "findOne",
	[ACTION_CREATE] = "create",
	[ACTION_UPDATE] = "update",
	[ACTION_DELETE] = "delete",
};

const char *
attr_type_name(enum attr_type t)
{
	if ((size_t)t >= ARRAY_SIZE(type_names) || !type_names[t])
		return "unknown";
	return type_names[t];
}

const char *
schema_action_name(enum ct_action a)
{
	if ((size_t)a >= ARRAY_SIZE(action_names))
		return NULL;
	return action_names[a];
}

bool
schema_has_action(const struct content_type *ct, enum ct_action a)
{
	if ((size_t)a >= ACTION_COUNT_)
		return false;
	if (ct->single)
		return a != ACTION_FIND_ONE && a != ACTION_CREATE;
	return true;
}

void
schema_registry_init(struct schema_registry *reg)
{
	reg->types = NULL;
	reg->n_types = 0;
	reg->actions = NULL;
	reg->n_actions = 0;
}

/* ---- names ------------------------------------------------------------ */

/* ^[a-z][a-z0-9-]*$: API, singular and plural names (route segments). */
static bool
kebab_name_ok(const char *s)
{
	size_t i;

	if (!s || !islower((unsigned char)s[0]))
		return false;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!islower(c) && !isdigit(c) && c != '-')
			return false;
	}
	return i <= NAME_MAX_LEN;
}

/* ^[A-Za-z_][A-Za-z0-9_]*$, short enough for every SQL dialect. */
static bool
sql_ident_ok(const char *s)
{
	size_t i;

	if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '_')
			return false;
	}
	return i <= NAME_MAX_LEN;
}

/* Strapi's attribute-name rule: ^[A-Za-z][A-Za-z0-9_]*$. */
static bool
attr_name_ok(const char *s)
{
	return isalpha((unsigned char)s[0]) && sql_ident_ok(s);
}

static bool
in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/*
 * lodash's snakeCase() for ASCII identifiers, which is how Strapi names
 * columns: words are runs of lower case letters with an optional leading
 * capital, runs of capitals (the last one starts the next word when a
 * lower case letter follows), and runs of digits; '_' separates.
 * "releaseDate" -> "release_date", "APIKey" -> "api_key", "value2" ->
 * "value_2". lodash's ordinal rule ("1st") is not reproduced.
 */
static char *
snake_case(const char *name)
{
	struct buf b = BUF_INIT;
	size_t i = 0, j, k;

	while (name[i]) {
		const char *p = name + i;

		if (!isalnum((unsigned char)*p)) {
			i++;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			for (j = 0; isdigit((unsigned char)p[j]); j++)
				;
		} else if (islower((unsigned char)*p) ||
			   islower((unsigned char)p[1])) {
			for (j = 1; islower((unsigned char)p[j]); j++)
				;
		} else {
			for (j = 0; isupper((unsigned char)p[j]); j++)
				;
			if (j > 1 && islower((unsigned char)p[j]))
				j--;
		}
		if (b.len)
			buf_addch(&b, '_');
		for (k = 0; k < j; k++)
			buf_addch(&b, (char)tolower((unsigned char)p[k]));
		i += j;
	}
	return buf_detach(&b, NULL);
}

/* ---- errors ----------------------------------------------------------- */

static int
fail(struct err *e, const char *file, const char *fmt, ...)
	ATTR_PRINTF(3, 4);

/* ERR_VALIDATION "<file>: <message>". */
static int
fail(struct err *e, const char *file, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_VALIDATION, "%s: %s", file, msg);
}

/* ---- JavaScript regular expressions as POSIX EREs ---------------------- */

struct re_class {
	struct buf items;
	bool negate, rbracket, lbracket, dash, caret;
};

static bool
ere_special(int c)
{
	return c && strchr(".[]()*+?{}|^$\\", c) != NULL;
}

static int
class_escape(struct re_class *cl, int c, int *lit)
{
	*lit = -1;
	switch (c) {
	case 'd':
		buf_addstr(&cl->items, "0-9");
		return 0;
	case 'w':
		buf_addstr(&cl->items, "A-Za-z0-9_");
		return 0;
	case 's':
		buf_addstr(&cl->items, "[:space:]");
		return 0;
	case 'n':
		*lit = '\n';
		return 0;
	case 't':
		*lit = '\t';
		return 0;
	case 'r':
		*lit = '\r';
		return 0;
	case 'f':
		*lit = '\f';
		return 0;
	case 'v':
		*lit = '\v';
		return 0;
	}
	if (ispunct(c)) {
		*lit = c;
		return 0;
	}
	return -1;
}

static void
class_add_literal(struct re_class *cl, int c)
{
	switch (c) {
	case ']':
		cl->rbracket = true;
		break;
	case '[':
		cl->lbracket = true;
		break;
	case '-':
		cl->dash = true;
		break;
	case '^':
		cl->caret = true;
		break;
	default:
		buf_addch(&cl->items, (char)c);
	}
}

/*
 * Write the bracket expression: ']' first, '-' last and '^' anywhere but
 * first, which is where POSIX takes them literally.
 */
static void
class_emit(struct re_class *cl, struct buf *out)
{
	bool lead = cl->rbracket || cl->items.len || cl->lbracket;

	if (!lead && !cl->dash) {
		if (cl->caret)
			buf_addstr(out, cl->negate ? "[^^]" : "\\^");
		else /* JavaScript's [^] matches anything, [] nothing */
			buf_addstr(out, cl->negate ? "(.|\n)" : "(a^)");
		return;
	}
	buf_addch(out, '[');
	if (cl->negate)
		buf_addch(out, '^');
	if (cl->rbracket)
		buf_addch(out, ']');
	buf_add(out, cl->items.ptr, cl->items.len);
	if (cl->lbracket)
		buf_addch(out, '[');
	if (!lead && cl->dash) {
		/* "-^": the dash first, then the caret */
		buf_addch(out, '-');
		if (cl->caret)
			buf_addch(out, '^');
		buf_addch(out, ']');
		return;
	}
	if (cl->caret)
		buf_addch(out, '^');
	if (cl->dash)
		buf_addch(out, '-');
	buf_addch(out, ']');
}

/*
 * A JavaScript character class; 'p' points after its '['. Appends the
 * POSIX bracket expression to 'out' and returns the position after ']',
 * or NULL with 'why' set.
 */
static const char *
parse_class(const char *p, struct buf *out, const char **why)
{
	static const char unsupported[] =
		"it uses an escape POSIX bracket expressions lack";
	static const char bad_range[] =
		"it has a range POSIX bracket expressions cannot express";
	struct re_class cl;
	int a, b, lit;

	memset(&cl, 0, sizeof(cl));
	buf_init(&cl.items);
	if (*p == '^') {
		cl.negate = true;
		p++;
	}
	while (*p && *p != ']') {
		a = (unsigned char)*p++;
		if (a == '\\') {
			if (class_escape(&cl, (unsigned char)*p, &lit) < 0) {
				*why = unsupported;
				goto fail;
			}
			p++;
			a = lit;
			if (a < 0)
				continue; /* \d, \w or \s, already added */
		}
		if (*p != '-' || p[1] == ']' || !p[1]) {
			class_add_literal(&cl, a);
			continue;
		}
		/* a range a-b */
		b = (unsigned char)*++p;
		p++;
		if (b == '\\') {
			if (class_escape(&cl, (unsigned char)*p, &lit) < 0 ||
			    lit < 0) {
				*why = bad_range;
				goto fail;
			}
			b = lit;
			p++;
		}
		if (strchr("[]-^", a) || strchr("[]-^", b) || b < a) {
			*why = bad_range;
			goto fail;
		}
		buf_addch(&cl.items, (char)a);
		buf_addch(&cl.items, '-');
		buf_addch(&cl.items, (char)b);
	}
	if (*p != ']') {
		*why = "a bracket expression is not closed";
		goto fail;
	}
	class_emit(&cl, out);
	buf_release(&cl.items);
	return p + 1;
fail:
	buf_release(&cl.items);
	return NULL;
}

/* Whether the '}' at 'p' closes a {n}, {n,} or {n,m} quantifier. */
static bool
closes_interval(const char *src, const char *p)
{
	const char *q = p;

	while (q > src && (isdigit((unsigned char)q[-1]) || q[-1] == ','))
		q--;
	return q > src && q[-1] == '{' && q < p && isdigit((unsigned char)*q);
}

/*
 * Translate a JavaScript RegExp source (what Strapi's "regex" option is) to
 * a POSIX ERE with the same match/no-match answer: \d \w \s and their
 * negations become bracket expressions, (?: and named groups become plain
 * groups, lazy quantifiers become greedy ones (same answer for a search),
 * '.' excludes line terminators. Look-arounds, \u, \x, \p and the like are
 * refused with a message in 'why'. Returns a new string or NULL.
 */
static char *
js_regex_to_ere(const char *src, const char **why)
{
	struct buf out = BUF_INIT;
	const char *p = src;
	bool quant = false; /* the last token was a quantifier */

	*why = NULL;
	if (!*p)
		return xstrdup("");
	while (*p) {
		int c = (unsigned char)*p;
		bool was_quant = quant;

		quant = false;
		if (c == '\\') {
			int n = (unsigned char)p[1];

			p += 2;
			switch (n) {
			case 'd':
				buf_addstr(&out, "[0-9]");
				continue;
			case 'D':
				buf_addstr(&out, "[^0-9]");
				continue;
			case 'w':
				buf_addstr(&out, "[A-Za-z0-9_]");
				continue;
			case 'W':
				buf_addstr(&out, "[^A-Za-z0-9_]");
				continue;
			case 's':
				buf_addstr(&out, "[[:space:]]");
				continue;
			case 'S':
				buf_addstr(&out, "[^[:space:]]");
				continue;
			case 'b':
			case 'B':
				buf_addch(&out, '\\');
				buf_addch(&out, (char)n);
				continue;
			case 'n':
				buf_addch(&out, '\n');
				continue;
			case 't':
				buf_addch(&out, '\t');
				continue;
			case 'r':
				buf_addch(&out, '\r');
				continue;
			case 'f':
				buf_addch(&out, '\f');
				continue;
			case 'v':
				buf_addch(&out, '\v');
				continue;
			case '\0':
				*why = "it ends with a lone backslash";
				goto fail;
			}
			if (n >= '1' && n <= '9') {
				buf_addch(&out, '\\');
				buf_addch(&out, (char)n);
			} else if (ispunct(n)) {
				if (ere_special(n))
					buf_addch(&out, '\\');
				buf_addch(&out, (char)n);
			} else {
				*why = "it uses an escape POSIX regular "
				       "expressions lack (\\u, \\x, \\p, \\c, "
				       "\\0, \\k)";
				goto fail;
			}
			continue;
		}
		if (c == '[') {
			p = parse_class(p + 1, &out, why);
			if (!p)
				goto fail;
			continue;
		}
		if (c == '(' && p[1] == '?') {
			if (p[2] == ':') {
				p += 3;
			} else if (p[2] == '<' && p[3] != '=' && p[3] != '!' &&
				   strchr(p + 3, '>')) {
				p = strchr(p + 3, '>') + 1;
			} else {
				*why = "look-ahead and look-behind groups are "
				       "not supported";
				goto fail;
			}
			buf_addch(&out, '(');
			continue;
		}
		if (c == '?' && was_quant) {
			/* a lazy quantifier: same answer for a search */
			p++;
			continue;
		}
		if (strchr("*+?", c) || (c == '}' && closes_interval(src, p)))
			quant = true;
		if (c == '.') {
			buf_addstr(&out, "[^\n\r]");
			p++;
			continue;
		}
		buf_addch(&out, (char)c);
		p++;
	}
	return buf_detach(&out, NULL);
fail:
	buf_release(&out);
	return NULL;
}

/* ---- defaults --------------------------------------------------------- */

static bool
is_string_like(enum attr_type t)
{
	return t == ATTR_STRING || t == ATTR_TEXT || t == ATTR_RICHTEXT ||
	       t == ATTR_EMAIL || t == ATTR_UID || t == ATTR_PASSWORD;
}

static bool
is_number(enum attr_type t)
{
	return t == ATTR_INTEGER || t == ATTR_BIGINTEGER || t == ATTR_FLOAT ||
	       t == ATTR_DECIMAL;
}

/* ^[+-]?[0-9]+$ within int64. */
static bool
int_string_ok(const char *s, int64_t *out)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	if (out)
		*out = v;
	return true;
}

/* Whether 'v' is a usable default for 'f'; 'what' names the expectation. */
static bool
default_ok(const struct field *f, json_t *v, const char **what)
{
	struct err ignore = ERR_INIT;
	int64_t ms;
	char tmp[16];
	size_t i;
	bool ok = false;

	if (json_is_null(v))
		return true;
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_TEXT:
	case ATTR_RICHTEXT:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_PASSWORD:
		*what = "a string";
		return json_is_string(v);
	case ATTR_ENUMERATION:
		*what = "one of the enum values";
		if (!json_is_string(v))
			return false;
		for (i = 0; i < f->n_enum; i++)
			if (!strcmp(f->enum_values[i], json_string_value(v)))
				return true;
		return false;
	case ATTR_INTEGER:
		*what = "an integer";
		return json_is_integer(v);
	case ATTR_BIGINTEGER:
		*what = "an integer or a string of digits";
		return json_is_integer(v) ||
		       (json_is_string(v) &&
			int_string_ok(json_string_value(v), NULL));
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		*what = "a number";
		return json_is_number(v);
	case ATTR_BOOLEAN:
		*what = "a boolean";
		return json_is_boolean(v);
	case ATTR_DATE:
		*what = "a date (YYYY-MM-DD)";
		ok = json_is_string(v) &&
		     strlen(json_string_value(v)) == 10 &&
		     schema_parse_date(json_string_value(v), tmp, &ignore) == 0;
		break;
	case ATTR_TIME:
		*what = "a time (HH:mm:ss.SSS)";
		ok = json_is_string(v) &&
		     schema_parse_time(json_string_value(v), tmp, &ignore) == 0;
		break;
	case ATTR_DATETIME:
		*what = "an ISO-8601 date-time";
		ok = json_is_string(v) &&
		     schema_parse_datetime(json_string_value(v), &ms,
					   &ignore) == 0;
		break;
	case ATTR_JSON:
		return true;
	}
	err_release(&ignore);
	return ok;
}

/* ---- attributes ------------------------------------------------------- */

static void
field_release(struct field *f)
{
	size_t i;

	free(f->name);
	free(f->column);
	json_decref(f->default_value);
	for (i = 0; i < f->n_enum; i++)
		free(f->enum_values[i]);
	free(f->enum_values);
	if (f->regex_src)
		regfree(&f->regex);
	free(f->regex_src);
	free(f->target_field);
	memset(f, 0, sizeof(*f));
}

static void
field_init(struct field *f)
{
	memset(f, 0, sizeof(*f));
	f->min_length = -1;
	f->max_length = -1;
}

static void
system_field(struct field *f, const char *name, const char *column,
	     enum attr_type type, enum sys_field sys)
{
	field_init(f);
	f->name = xstrdup(name);
	f->column = xstrdup(column);
	f->type = type;
	f->sys = sys;
	f->flags = FIELD_SYSTEM;
}

static int
bool_option(const char *file, const char *name, json_t *def, const char *key,
	    bool *out, struct err *e)
{
	json_t *v = json_object_get(def, key);

	*out = false;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(e, file, "attribute '%s': '%s' must be a boolean",
			    name, key);
	*out = json_is_true(v);
	return 0;
}

static int
number_option(const char *file, const struct field *f, json_t *def,
	      const char *key, bool *has, double *out, struct err *e)
{
	json_t *v = json_object_get(def, key);
	int64_t i;

	*has = false;
	if (!v)
		return 0;
	if (!is_number(f->type))
		return fail(e, file,
			    "attribute '%s': '%s' is only valid on number "
			    "attributes",
			    f->name, key);
	if (json_is_number(v)) {
		*out = json_number_value(v);
	} else if (f->type == ATTR_BIGINTEGER && json_is_string(v) &&
		   int_string_ok(json_string_value(v), &i)) {
		/* the admin panel writes biginteger bounds as strings */
		*out = (double)i;
	} else {
		return fail(e, file, "attribute '%s': '%s' must be a number",
			    f->name, key);
	}
	if (!isfinite(*out))
		return fail(e, file, "attribute '%s': '%s' must be finite",
			    f->name, key);
	*has = true;
	return 0;
}

static int
length_option(const char *file, const struct field *f, json_t *def,
	      const char *key, long *out, struct err *e)
{
	json_t *v = json_object_get(def, key);

	*out = -1;
	if (!v)
		return 0;
	if (!is_string_like(f->type))
		return fail(e, file,
			    "attribute '%s': '%s' is only valid on string "
			    "attributes",
			    f->name, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 1000000000)
		return fail(e, file,
			    "attribute '%s': '%s' must be a non-negative "
			    "integer",
			    f->name, key);
	*out = (long)json_integer_value(v);
	return 0;
}

static int
enum_option(const char *file, struct field *f, json_t *def, struct err *e)
{
	json_t *v = json_object_get(def, "enum"), *item;
	size_t i, j;

	if (f->type != ATTR_ENUMERATION) {
		if (v)
			return fail(e, file,
				    "attribute '%s': 'enum' is only valid on "
				    "enumeration attributes",
				    f->name);
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(e, file,
			    "attribute '%s': 'enum' must be a non-empty array "
			    "of strings",
			    f->name);
	f->enum_values = xcalloc(json_array_size(v), sizeof(char *));
	json_array_foreach(v, i, item) {
		const char *s = json_string_value(item);

		if (!s || !*s || strlen(s) != json_string_length(item))
			return fail(e, file,
				    "attribute '%s': 'enum' must be a "
				    "non-empty array of strings",
				    f->name);
		for (j = 0; j < f->n_enum; j++)
			if (!strcmp(f->enum_values[j], s))
				return fail(e, file,
					    "attribute '%s': enum value '%s' "
					    "appears twice",
					    f->name, s);
		f->enum_values[f->n_enum++] = xstrdup(s);
	}
	return 0;
}

static int
regex_option(const char *file, struct field *f, json_t *def, struct err *e)
{
	json_t *v = json_object_get(def, "regex");
	const char *why;
	char *ere, msg[128];
	int rc;

	if (!v)
		return 0;
	if (!is_string_like(f->type))
		return fail(e, file,
			    "attribute '%s': 'regex' is only valid on string "
			    "attributes",
			    f->name);
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return fail(e, file, "attribute '%s': 'regex' must be a string",
			    f->name);
	ere = js_regex_to_ere(json_string_value(v), &why);
	if (!ere)
		return fail(e, file, "attribute '%s': regex '%.100s': %s",
			    f->name, json_string_value(v), why);
	rc = regcomp(&f->regex, ere, REG_EXTENDED | REG_NOSUB);
	free(ere);
	if (rc != 0) {
		regerror(rc, &f->regex, msg, sizeof(msg));
		return fail(e, file,
			    "attribute '%s': regex '%.100s' does not compile "
			    "as a POSIX extended regular expression: %s",
			    f->name, json_string_value(v), msg);
	}
	f->regex_src = xstrdup(json_string_value(v));
	return 0;
}

static int
parse_type(const char *file, const char *name, json_t *def,
	   enum attr_type *out, struct err *e)
{
	json_t *t = json_object_get(def, "type");
	const char *s = json_string_value(t);
	size_t i;

	if (!s)
		return fail(e, file, "attribute '%s': missing 'type'", name);
	for (i = 0; i < ARRAY_SIZE(type_names); i++) {
		if (!strcmp(s, type_names[i])) {
			*out = (enum attr_type)i;
			return 0;
		}
	}
	if (in_list(s, unsupported_types, ARRAY_SIZE(unsupported_types)))
		return fail(e, file,
			    "attribute '%s': type '%s' is not supported yet",
			    name, s);
	return fail(e, file, "attribute '%s': unknown type '%.64s'", name, s);
}

static int
parse_attr(const char *file, struct field *f, const char *name, json_t *def,
	   struct err *e)
{
	bool flag;
	const char *what = NULL;
	json_t *v;
	int rc;

	if (in_list(name, reserved_names, ARRAY_SIZE(reserved_names)))
		return fail(e, file,
			    "attribute '%s': the name is reserved by Strapi",
			    name);
	if (!attr_name_ok(name))
		return fail(e, file,
			    "attribute '%.64s': invalid name (a letter, then "
			    "letters, digits or '_', at most %d)",
			    name, NAME_MAX_LEN);
	if (!json_is_object(def))
		return fail(e, file, "attribute '%s': must be an object", name);
	f->name = xstrdup(name);
	f->column = snake_case(name);
	rc = parse_type(file, name, def, &f->type, e);
	if (rc < 0)
		return rc;

	rc = bool_option(file, name, def, "required", &flag, e);
	if (rc < 0)
		return rc;
	if (flag)
		f->flags |= FIELD_REQUIRED;
	rc = bool_option(file, name, def, "unique", &flag, e);
	if (rc < 0)
		return rc;
	if (flag)
		f->flags |= FIELD_UNIQUE;
	rc = bool_option(file, name, def, "private", &flag, e);
	if (rc < 0)
		return rc;
	/* passwords are never output nor queryable, like private fields */
	if (flag || f->type == ATTR_PASSWORD)
		f->flags |= FIELD_PRIVATE;

	if (number_option(file, f, def, "min", &f->has_min, &f->min, e) < 0 ||
	    number_option(file, f, def, "max", &f->has_max, &f->max, e) < 0)
		return ERR_VALIDATION;
	if (f->has_min && f->has_max && f->min > f->max)
		return fail(e, file, "attribute '%s': 'min' is above 'max'",
			    name);
	if (length_option(file, f, def, "minLength", &f->min_length, e) < 0 ||
	    length_option(file, f, def, "maxLength", &f->max_length, e) < 0)
		return ERR_VALIDATION;
	if (f->min_length > 0 && f->max_length > 0 &&
	    f->min_length > f->max_length)
		return fail(e, file,
			    "attribute '%s': 'minLength' is above 'maxLength'",
			    name);
	if (enum_option(file, f, def, e) < 0 ||
	    regex_option(file, f, def, e) < 0)
		return ERR_VALIDATION;

	v = json_object_get(def, "targetField");
	if (v && f->type != ATTR_UID)
		return fail(e, file,
			    "attribute '%s': 'targetField' is only valid on "
			    "uid attributes",
			    name);
	if (v && !json_is_string(v))
		return fail(e, file,
			    "attribute '%s': 'targetField' must be a string",
			    name);
	if (v)
		f->target_field = xstrdup(json_string_value(v));

	v = json_object_get(def, "default");
	if (v) {
		if (!default_ok(f, v, &what))
			return fail(e, file,
				    "attribute '%s': 'default' must be %s",
				    name, what);
		f->default_value = json_deep_copy(v);
	}
	return 0;
}

/* ---- content types ---------------------------------------------------- */

static void
content_type_release(struct content_type *ct)
{
	size_t i;

	free(ct->uid);
	free(ct->api_name);
	free(ct->singular);
	free(ct->plural);
	free(ct->display_name);
	free(ct->table);
	free(ct->source_file);
	for (i = 0; i < ct->n_fields; i++)
		field_release(&ct->fields[i]);
	free(ct->fields);
	memset(ct, 0, sizeof(*ct));
}

/*
 * The content-type folder name when 'file' ends in
 * ".../content-types/<name>/schema.json"; NULL otherwise.
 */
static char *
folder_name(const char *file)
{
	static const char tail[] = "/schema.json";
	static const char mid[] = "content-types/";
	size_t n = strlen(file), start;
	const char *slash;

	if (n < sizeof(tail) || strcmp(file + n - (sizeof(tail) - 1), tail))
		return NULL;
	n -= sizeof(tail) - 1;
	start = n;
	while (start > 0 && file[start - 1] != '/')
		start--;
	if (start < sizeof(mid) - 1 ||
	    strncmp(file + start - (sizeof(mid) - 1), mid, sizeof(mid) - 1))
		return NULL;
	slash = file + start - (sizeof(mid) - 1);
	if (slash != file && slash[-1] != '/')
		return NULL;
	return xstrndup(file + start, n - start);
}

static int
info_name(const char *file, json_t *info, const char *key, char **out,
	  struct err *e)
{
	json_t *v = json_object_get(info, key);

	if (!v)
		return fail(e, file, "info.%s is missing", key);
	if (!json_is_string(v) || !kebab_name_ok(json_string_value(v)))
		return fail(e, file,
			    "info.%s must be a string matching "
			    "^[a-z][a-z0-9-]*$ (at most %d characters)",
			    key, NAME_MAX_LEN);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
check_clashes(const struct schema_registry *reg, const struct content_type *ct,
	      struct err *e)
{
	const char *mine[2] = { ct->singular, ct->plural };
	size_t i, j, k;

	for (i = 0; i < reg->n_types; i++) {
		const struct content_type *o = &reg->types[i];
		const char *theirs[2] = { o->singular, o->plural };

		if (!strcmp(o->uid, ct->uid))
			return fail(e, ct->source_file,
				    "content type '%s' is defined twice",
				    ct->uid);
		for (j = 0; j < 2; j++)
			for (k = 0; k < 2; k++)
				if (!strcmp(mine[j], theirs[k]))
					return fail(
						e, ct->source_file,
						"route name '%s' is already "
						"used by %s (%s)",
						mine[j], o->uid,
						o->source_file);
		if (!strcmp(o->table, ct->table))
			return fail(e, ct->source_file,
				    "collectionName '%s' is already used by %s",
				    ct->table, o->uid);
	}
	return 0;
}

static int
parse_attributes(struct content_type *ct, json_t *attrs, struct err *e)
{
	const char *file = ct->source_file, *key;
	size_t i, j, n = json_object_size(attrs);
	json_t *def;
	int rc;

	ct->fields = xcalloc(n + 5, sizeof(struct field));
	system_field(&ct->fields[0], "id", "id", ATTR_INTEGER, SYS_ID);
	system_field(&ct->fields[1], "documentId", "document_id", ATTR_STRING,
		     SYS_DOCUMENT_ID);
	ct->n_fields = 2;
	ct->attrs = ct->fields + 2;
	json_object_foreach(attrs, key, def) {
		struct field *f = &ct->fields[ct->n_fields];

		field_init(f);
		ct->n_fields++;
		rc = parse_attr(file, f, key, def, e);
		if (rc < 0)
			return rc;
		ct->n_attrs++;
	}
	system_field(&ct->fields[ct->n_fields++], "createdAt", "created_at",
		     ATTR_DATETIME, SYS_CREATED_AT);
	system_field(&ct->fields[ct->n_fields++], "updatedAt", "updated_at",
		     ATTR_DATETIME, SYS_UPDATED_AT);
	system_field(&ct->fields[ct->n_fields++], "publishedAt",
		     "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT);

	for (i = 0; i < ct->n_attrs; i++) {
		const struct field *f = &ct->attrs[i];
		const struct field *t;

		if (in_list(f->column, system_columns,
			    ARRAY_SIZE(system_columns)))
			return fail(e, file,
				    "attribute '%s': its column '%s' is "
				    "reserved",
				    f->name, f->column);
		for (j = 0; j < i; j++)
			if (!strcmp(ct->attrs[j].column, f->column))
				return fail(e, file,
					    "attribute '%s': its column '%s' "
					    "is also the column of '%s'",
					    f->name, f->column,
					    ct->attrs[j].name);
		if (!f->target_field)
			continue;
		t = schema_field(ct, f->target_field);
		if (!t || t->sys || (t->type != ATTR_STRING &&
				     t->type != ATTR_TEXT))
			return fail(e, file,
				    "attribute '%s': targetField '%.64s' must "
				    "name a string or text attribute",
				    f->name, f->target_field);
	}
	return 0;
}

int
schema_registry_add(struct schema_registry *reg, const char *api_name,
		    const char *source_file, json_t *schema, struct err *e)
{
	struct content_type ct;
	json_t *v, *info, *attrs;
	char *name = NULL;
	const char *s;
	int ret = ERR_VALIDATION;

	memset(&ct, 0, sizeof(ct));
	ct.source_file = xstrdup(source_file);
	if (!json_is_object(schema)) {
		fail(e, source_file, "not a JSON object");
		goto out;
	}
	if (!kebab_name_ok(api_name)) {
		fail(e, source_file,
		     "API name '%.64s' must match ^[a-z][a-z0-9-]*$", api_name);
		goto out;
	}
	ct.api_name = xstrdup(api_name);

	s = json_string_value(json_object_get(schema, "kind"));
	if (!s || (strcmp(s, "collectionType") && strcmp(s, "singleType"))) {
		fail(e, source_file,
		     "kind must be \"collectionType\" or \"singleType\"");
		goto out;
	}
	ct.single = !strcmp(s, "singleType");

	info = json_object_get(schema, "info");
	if (!json_is_object(info)) {
		fail(e, source_file, "info must be an object");
		goto out;
	}
	if (info_name(source_file, info, "singularName", &ct.singular, e) < 0 ||
	    info_name(source_file, info, "pluralName", &ct.plural, e) < 0)
		goto out;
	if (!strcmp(ct.singular, ct.plural)) {
		fail(e, source_file,
		     "info.singularName and info.pluralName must differ");
		goto out;
	}
	v = json_object_get(info, "displayName");
	if (v && !json_is_string(v)) {
		fail(e, source_file, "info.displayName must be a string");
		goto out;
	}
	ct.display_name = xstrdup(v ? json_string_value(v) : ct.singular);

	name = folder_name(source_file);
	if (!name)
		name = xstrdup(ct.singular);
	if (!kebab_name_ok(name)) {
		fail(e, source_file,
		     "content-type folder '%.64s' must match ^[a-z][a-z0-9-]*$",
		     name);
		goto out;
	}
	ct.uid = xasprintf("api::%s.%s", api_name, name);

	v = json_object_get(schema, "collectionName");
	if (v) {
		if (!json_is_string(v) || !sql_ident_ok(json_string_value(v))) {
			fail(e, source_file,
			     "collectionName must be a SQL identifier "
			     "(letters, digits and '_', at most %d)",
			     NAME_MAX_LEN);
			goto out;
		}
		ct.table = xstrdup(json_string_value(v));
	} else {
		char *p;

		ct.table = xstrdup(ct.plural);
		for (p = ct.table; *p; p++)
			if (*p == '-')
				*p = '_';
	}

	v = json_object_get(schema, "options");
	if (v && !json_is_object(v)) {
		fail(e, source_file, "options must be an object");
		goto out;
	}
	v = json_object_get(v, "draftAndPublish");
	if (v && !json_is_boolean(v)) {
		fail(e, source_file,
		     "options.draftAndPublish must be a boolean");
		goto out;
	}
	ct.draft_publish = json_is_true(v);

	attrs = json_object_get(schema, "attributes");
	if (!json_is_object(attrs)) {
		fail(e, source_file, "attributes must be an object");
		goto out;
	}
	if (parse_attributes(&ct, attrs, e) < 0 ||
	    check_clashes(reg, &ct, e) < 0)
		goto out;

	reg->types = xrealloc(reg->types,
			      (reg->n_types + 1) * sizeof(*reg->types));
	reg->types[reg->n_types++] = ct;
	memset(&ct, 0, sizeof(ct));
	ret = 0;
out:
	free(name);
	content_type_release(&ct);
	return ret;
}

static int
cmp_types(const void *a, const void *b)
{
	const struct content_type *x = a, *y = b;

	return strcmp(x->uid, y->uid);
}

static void
free_actions(struct schema_registry *reg)
{
	size_t i;

	for (i = 0; i < reg->n_actions; i++)
		free(reg->actions[i]);
	free(reg->actions);
	reg->actions = NULL;
	reg->n_actions = 0;
}

void
schema_registry_finish(struct schema_registry *reg)
{
	size_t i;
	unsigned a;

	free_actions(reg);
	if (reg->n_types > 1)
		qsort(reg->types, reg->n_types, sizeof(*reg->types), cmp_types);
	reg->n_actions = reg->n_types * ACTION_COUNT_;
	reg->actions = xcalloc(reg->n_actions ? reg->n_actions : 1,
			       sizeof(char *));
	for (i = 0; i < reg->n_types; i++) {
		struct content_type *ct = &reg->types[i];

		ct->action_base = (unsigned)(i * ACTION_COUNT_);
		for (a = 0; a < ACTION_COUNT_; a++)
			if (schema_has_action(ct, (enum ct_action)a))
				reg->actions[ct->action_base + a] = xasprintf(
					"%s.%s", ct->uid, action_names[a]);
	}
}

void
schema_registry_release(struct schema_registry *reg)
{
	size_t i;

	free_actions(reg);
	for (i = 0; i < reg->n_types; i++)
		content_type_release(&reg->types[i]);
	free(reg->types);
	schema_registry_init(reg);
}

/* ---- loading from disk ------------------------------------------------ */

struct names {
	char **v;
	size_t n;
};

static void
names_release(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/*
 * The sub-directories of 'dir' (dot entries skipped), sorted. A missing
 * 'dir' yields 1 and an empty list.
 */
static int
list_dirs(const char *dir, const char *shown, struct names *out,
	  struct err *e)
{
	struct dirent *d;
	struct stat st;
	DIR *dp;
	char *path;

	out->v = NULL;
	out->n = 0;
	dp = opendir(dir);
	if (!dp) {
		if (errno == ENOENT)
			return 1;
		return err_set(e, ERR_IO, "cannot read %s: %s", shown,
			       strerror(errno));
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, d->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			out->v = xrealloc(out->v,
					  (out->n + 1) * sizeof(char *));
			out->v[out->n++] = xstrdup(d->d_name);
		}
		free(path);
	}
	closedir(dp);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(char *), cmp_str);
	return 0;
}

static int
load_one(struct schema_registry *reg, const char *project_dir,
	 const char *api, const char *name, struct err *e)
{
	char *rel, *path;
	json_error_t jerr;
	json_t *schema = NULL;
	struct stat st;
	int ret;

	rel = xasprintf("src/api/%s/content-types/%s/schema.json", api, name);
	path = xasprintf("%s/%s", project_dir, rel);
	if (stat(path, &st) != 0) {
		ret = fail(e, rel, "cannot read: %s", strerror(errno));
		goto out;
	}
	schema = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!schema) {
		ret = fail(e, rel, "invalid JSON at line %d: %s", jerr.line,
			   jerr.text);
		goto out;
	}
	ret = schema_registry_add(reg, api, rel, schema, e);
out:
	json_decref(schema);
	free(path);
	free(rel);
	return ret;
}

int
schema_registry_load(struct schema_registry *reg, const char *project_dir,
		     struct err *e)
{
	struct names apis = { NULL, 0 }, types = { NULL, 0 };
	char *dir = NULL, *ctdir = NULL, *shown = NULL;
	size_t i, j;
	int ret, rc;

	dir = xasprintf("%s/src/api", project_dir);
	ret = list_dirs(dir, "src/api", &apis, e);
	if (ret < 0)
		goto out;
	for (i = 0; i < apis.n; i++) {
		free(ctdir);
		free(shown);
		ctdir = xasprintf("%s/%s/content-types", dir, apis.v[i]);
		shown = xasprintf("src/api/%s/content-types", apis.v[i]);
		names_release(&types);
		rc = list_dirs(ctdir, shown, &types, e);
		if (rc < 0) {
			ret = rc;
			goto out;
		}
		for (j = 0; j < types.n; j++) {
			ret = load_one(reg, project_dir, apis.v[i], types.v[j],
				       e);
			if (ret < 0)
				goto out;
		}
	}
	ret = 0;
out:
	schema_registry_finish(reg);
	names_release(&types);
	names_release(&apis);
	free(shown);
	free(ctdir);
	free(dir);
	return ret;
}

/* ---- lookups ---------------------------------------------------------- */

const struct content_type *
schema_find_plural(const struct schema_registry *reg, const char *plural)
{
	size_t i;

	for (i = 0; i < reg->n_types; i++)
		if (!strcmp(reg->types[i].plural, plural))
			return &reg->types[i];
	return NULL;
}

const struct content_type *
schema_find_singular(const struct schema_registry *reg, const char *singular)
{
	size_t i;

	for (i = 0; i < reg->n_types; i++)
		if (!strcmp(reg->types[i].singular, singular))
			return &reg->types[i];
	return NULL;
}

const struct content_type *
schema_find_uid(const struct schema_registry *reg, const char *uid)
{
	size_t i;

	for (i = 0; i < reg->n_types; i++)
		if (!strcmp(reg->types[i].uid, uid))
			return &reg->types[i];
	return NULL;
}

const struct field *
schema_field(const struct content_type *ct, const char *name)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++)
		if (!strcmp(ct->fields[i].name, name))
			return &ct->fields[i];
	return NULL;
}

int
schema_action_index(const struct schema_registry *reg, const char *uid)
{
	const char *dot;
	size_t i, n;
	unsigned a;

	if (!uid)
		return -1;
	dot = strrchr(uid, '.');
	if (!dot)
		return -1;
	n = (size_t)(dot - uid);
	for (a = 0; a < ACTION_COUNT_; a++)
		if (!strcmp(dot + 1, action_names[a]))
			break;
	if (a == ACTION_COUNT_)
		return -1;
	for (i = 0; i < reg->n_types; i++) {
		const struct content_type *ct = &reg->types[i];

		if (strncmp(ct->uid, uid, n) || ct->uid[n])
			continue;
		if (!schema_has_action(ct, (enum ct_action)a) ||
		    ct->action_base + a >= reg->n_actions)
			return -1;
		return (int)(ct->action_base + a);
	}
	return -1;
}
