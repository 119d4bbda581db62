/* SPDX-License-Identifier: MIT */
/*
 * value.c: input coercion for GraphQL literals and variables, the scalars'
 * parse rules (graphql-js's built-ins, graphql-scalars' Date/DateTime/Long
 * and Strapi's Time), and graphql-js's print/inspect/suggestion helpers.
 * Output serialisation lives with the executor.
 */
#include "core/compat.h"
#include "graphql/value.h"
#include "core/mem.h"
#include "core/timeutil.h"

#include <ctype.h>
#include <math.h>

/* ---- printing ------------------------------------------------------------ */

void
gql_js_number(double d, char *out, size_t size)
{
	int prec;

	if (isnan(d)) {
		snprintf(out, size, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, size, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		snprintf(out, size, "0");
		return;
	}
	if (fabs(d) < 1e21 && d == floor(d)) {
		snprintf(out, size, "%.0f", d);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
	/* JavaScript writes 1e+21 and 1.5e-7 as C does, minus zero padding */
	{
		char *e = strchr(out, 'e');

		if (e && (e[2] == '0')) {
			memmove(e + 2, e + 3, strlen(e + 3) + 1);
		}
	}
}

/* graphql-js printString(): JSON-style with \uXXXX for controls. */
static void
print_string(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	buf_addch(out, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			buf_addstr(out, "\\\"");
			break;
		case '\\':
			buf_addstr(out, "\\\\");
			break;
		case '\b':
			buf_addstr(out, "\\b");
			break;
		case '\f':
			buf_addstr(out, "\\f");
			break;
		case '\n':
			buf_addstr(out, "\\n");
			break;
		case '\r':
			buf_addstr(out, "\\r");
			break;
		case '\t':
			buf_addstr(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_addf(out, "\\u%04X", *p);
			else
				buf_addch(out, (char)*p);
		}
	}
	buf_addch(out, '"');
}

void
gql_print_value(struct buf *out, const struct gql_value *v)
{
	size_t i;

	switch (v->kind) {
	case GQL_VALUE_VARIABLE:
		buf_addf(out, "$%s", v->str);
		break;
	case GQL_VALUE_INT:
	case GQL_VALUE_FLOAT:
	case GQL_VALUE_ENUM:
		buf_addstr(out, v->str);
		break;
	case GQL_VALUE_STRING:
		print_string(out, v->str);
		break;
	case GQL_VALUE_BOOLEAN:
		buf_addstr(out, v->boolean ? "true" : "false");
		break;
	case GQL_VALUE_NULL:
		buf_addstr(out, "null");
		break;
	case GQL_VALUE_LIST:
		buf_addch(out, '[');
		for (i = 0; i < v->n_items; i++) {
			if (i)
				buf_addstr(out, ", ");
			gql_print_value(out, v->items[i]);
		}
		buf_addch(out, ']');
		break;
	case GQL_VALUE_OBJECT:
		buf_addch(out, '{');
		for (i = 0; i < v->n_fields; i++) {
			if (i)
				buf_addstr(out, ", ");
			buf_addf(out, "%s: ", v->fields[i].name);
			gql_print_value(out, v->fields[i].value);
		}
		buf_addch(out, '}');
		break;
	}
}

void
gql_print_type_ref(struct buf *out, const struct gql_type *t)
{
	switch (t->kind) {
	case GQL_TYPE_NAMED:
		buf_addstr(out, t->name);
		break;
	case GQL_TYPE_LIST:
		buf_addch(out, '[');
		gql_print_type_ref(out, t->of);
		buf_addch(out, ']');
		break;
	case GQL_TYPE_NON_NULL:
		gql_print_type_ref(out, t->of);
		buf_addch(out, '!');
		break;
	}
}

/* JSON.stringify of a string. */
static void
json_string_lit(struct buf *out, const char *s)
{
	json_t *j = json_string(s);
	char *d = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	buf_addstr(out, d ? d : "\"\"");
	free(d);
	json_decref(j);
}

static void
inspect(struct buf *out, json_t *v, int depth)
{
	char num[40];
	const char *k;
	json_t *x;
	size_t i, n;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_STRING:
		json_string_lit(out, json_string_value(v));
		return;
	case JSON_INTEGER:
		buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	case JSON_REAL:
		gql_js_number(json_real_value(v), num, sizeof(num));
		buf_addstr(out, num);
		return;
	case JSON_TRUE:
		buf_addstr(out, "true");
		return;
	case JSON_FALSE:
		buf_addstr(out, "false");
		return;
	case JSON_NULL:
		buf_addstr(out, "null");
		return;
	case JSON_ARRAY:
		n = json_array_size(v);
		if (!n) {
			buf_addstr(out, "[]");
			return;
		}
		if (depth > 2) {
			buf_addstr(out, "[Array]");
			return;
		}
		buf_addch(out, '[');
		for (i = 0; i < n && i < 10; i++) {
			if (i)
				buf_addstr(out, ", ");
			inspect(out, json_array_get(v, i), depth + 1);
		}
		if (n - i == 1)
			buf_addstr(out, ", ... 1 more item");
		else if (n > i)
			buf_addf(out, ", ... %zu more items", n - i);
		buf_addch(out, ']');
		return;
	case JSON_OBJECT:
		if (!json_object_size(v)) {
			buf_addstr(out, "{}");
			return;
		}
		if (depth > 2) {
			buf_addstr(out, "[Object]");
			return;
		}
		buf_addstr(out, "{ ");
		json_object_foreach(v, k, x)
		{
			if (!first)
				buf_addstr(out, ", ");
			first = false;
			buf_addf(out, "%s: ", k);
			inspect(out, x, depth + 1);
		}
		buf_addstr(out, " }");
		return;
	}
}

void
gql_inspect(struct buf *out, json_t *v)
{
	if (!v) {
		buf_addstr(out, "undefined");
		return;
	}
	inspect(out, v, 1);
}

/* ---- suggestions ------------------------------------------------------------
 */

/* graphql-js LexicalDistance (Damerau-Levenshtein, optimal alignment). */
static int
lexical_distance(const char *input, const char *option, int threshold)
{
	size_t la, lb, i, j;
	char *a, *b, *tmp;
	int *rows[3], ret = -1;

	if (!strcmp(input, option))
		return 0;
	a = xstrdup(option);
	b = xstrdup(input);
	for (i = 0; a[i]; i++)
		a[i] = (char)tolower((unsigned char)a[i]);
	for (i = 0; b[i]; i++)
		b[i] = (char)tolower((unsigned char)b[i]);
	if (!strcmp(a, b)) {
		ret = 1;
		goto out;
	}
	la = strlen(a);
	lb = strlen(b);
	if (la < lb) {
		tmp = a, a = b, b = tmp;
		i = la, la = lb, lb = i;
	}
	if ((int)(la - lb) > threshold)
		goto out;
	for (i = 0; i < 3; i++)
		rows[i] = xcalloc(lb + 1, sizeof(int));
	for (j = 0; j <= lb; j++)
		rows[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		int *up = rows[(i - 1) % 3], *cur = rows[i % 3];
		int smallest = cur[0] = (int)i;

		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int best = up[j] + 1;

			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (up[j - 1] + cost < best)
				best = up[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1]) {
				int dbl = rows[(i - 2) % 3][j - 2];

				if (dbl + 1 < best)
					best = dbl + 1;
			}
			if (best < smallest)
				smallest = best;
			cur[j] = best;
		}
		if (smallest > threshold) {
			for (j = 0; j < 3; j++)
				free(rows[j]);
			goto out;
		}
	}
	ret = rows[la % 3][lb];
	if (ret > threshold)
		ret = -1;
	for (i = 0; i < 3; i++)
		free(rows[i]);
out:
	free(a);
	free(b);
	return ret;
}

/* graphql-js naturalCompare(): digit runs compare as numbers. */
static int
natural_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			unsigned long long x = 0, y = 0;

			while (isdigit((unsigned char)*a))
				x = x * 10 + (unsigned)(*a++ - '0');
			while (isdigit((unsigned char)*b))
				y = y * 10 + (unsigned)(*b++ - '0');
			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

size_t
gql_suggestions(const char *input, const char *const *options, size_t n,
		const char **out)
{
	int threshold = (int)(strlen(input) * 4 / 10) + 1;
	int *dist = xcalloc(n ? n : 1, sizeof(int));
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		int d = lexical_distance(input, options[i], threshold);
		bool dup = false;

		if (d < 0)
			continue;
		for (j = 0; j < k; j++)
			if (!strcmp(out[j], options[i]))
				dup = true;
		if (dup)
			continue;
		/* insertion sort by distance, then natural order */
		j = k;
		while (j > 0 &&
		       (dist[j - 1] > d ||
			(dist[j - 1] == d &&
			 natural_compare(out[j - 1], options[i]) > 0))) {
			out[j] = out[j - 1];
			dist[j] = dist[j - 1];
			j--;
		}
		out[j] = options[i];
		dist[j] = d;
		k++;
	}
	free(dist);
	return k;
}

void
gql_did_you_mean(struct buf *out, const char *sub,
		 const char *const *suggestions, size_t n)
{
	size_t i;

	if (!n)
		return;
	buf_addstr(out, " Did you mean ");
	if (sub)
		buf_addf(out, "%s ", sub);
	if (n == 1) {
		buf_addf(out, "\"%s\"?", suggestions[0]);
		return;
	}
	if (n == 2) {
		buf_addf(out, "\"%s\" or \"%s\"?", suggestions[0],
			 suggestions[1]);
		return;
	}
	if (n > 5)
		n = 5;
	for (i = 0; i + 1 < n; i++)
		buf_addf(out, "\"%s\", ", suggestions[i]);
	buf_addf(out, "or \"%s\"?", suggestions[n - 1]);
}

static void
did_you_mean_enum(struct buf *msg, const struct gql_stype *t,
		  const char *unknown)
{
	const char **names = xcalloc(t->n_values + 1, sizeof(char *));
	const char **sugg = xcalloc(t->n_values + 1, sizeof(char *));
	size_t i, n;

	for (i = 0; i < t->n_values; i++)
		names[i] = t->values[i].name;
	n = gql_suggestions(unknown, names, t->n_values, sugg);
	gql_did_you_mean(msg, "the enum value", sugg, n);
	free(names);
	free(sugg);
}

/* ---- scalar rules
 * ------------------------------------------------------------- */

static bool
strict_date(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	return time_parse_date(s, &y, &m, &d);
}

/* graphql-scalars' RFC 3339 date-time check, then our parser. */
static bool
strict_datetime(const char *s)
{
	int64_t ms;
	size_t n = strlen(s);

	if (n < 20 || !strict_date((char[11]){s[0], s[1], s[2], s[3], s[4],
					      s[5], s[6], s[7], s[8], s[9], 0}))
		return false;
	if (s[10] != 'T' && s[10] != 't')
		return false;
	if (!(s[n - 1] == 'Z' || s[n - 1] == 'z' || s[n - 3] == ':'))
		return false;
	return time_parse_iso(s, &ms);
}

static bool
integer_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	while (*s)
		if (!isdigit((unsigned char)*s++))
			return false;
	return true;
}

/* A string's value for the String-like scalars of a literal/variable. */
static enum gql_parse_rc
parse_time(const char *s, json_t **out, struct buf *msg)
{
	char t[13];
	struct err e = ERR_INIT;

	if (schema_parse_time(s, t, &e) < 0) {
		buf_addstr(msg, "Invalid time format, expected HH:mm:ss.SSS");
		err_release(&e);
		return GQL_PARSE_ERROR;
	}
	*out = json_string(t);
	return GQL_PARSE_OK;
}

static enum gql_parse_rc
parse_long_text(const char *s, json_t **out, struct buf *msg, const char *shown)
{
	long long v;
	char *end;

	errno = 0;
	v = integer_text(s) ? strtoll(s, &end, 10) : 0;
	if (!integer_text(s) || errno || *end) {
		buf_addf(msg, "BigInt cannot represent non-integer value: %s",
			 shown);
		return GQL_PARSE_GQL_ERROR;
	}
	*out = json_integer(v);
	return GQL_PARSE_OK;
}

enum gql_parse_rc
gql_parse_literal(const struct gql_stype *t, const struct gql_value *v,
		  json_t **out, struct buf *msg)
{
	struct buf shown = BUF_INIT;
	enum gql_parse_rc rc = GQL_PARSE_GQL_ERROR;
	const struct gql_enum_value_def *ev;
	long long i;
	char *end;

	*out = NULL;
	gql_print_value(&shown, v);
	if (t->kind == GQL_KIND_ENUM) {
		if (v->kind != GQL_VALUE_ENUM) {
			buf_addf(msg,
				 "Enum \"%s\" cannot represent non-enum value: "
				 "%s.",
				 t->name, shown.ptr);
			did_you_mean_enum(msg, t, shown.ptr);
			goto out;
		}
		ev = gql_enum_value(t, v->str);
		if (!ev) {
			buf_addf(msg,
				 "Value \"%s\" does not exist in \"%s\" enum.",
				 v->str, t->name);
			did_you_mean_enum(msg, t, v->str);
			goto out;
		}
		*out = json_string(ev->value);
		rc = GQL_PARSE_OK;
		goto out;
	}
	switch (t->scalar) {
	case GQL_SC_INT:
		if (v->kind != GQL_VALUE_INT) {
			buf_addf(msg,
				 "Int cannot represent non-integer value: %s",
				 shown.ptr);
			goto out;
		}
		errno = 0;
		i = strtoll(v->str, &end, 10);
		if (errno || i > INT32_MAX || i < INT32_MIN) {
			buf_addf(msg,
				 "Int cannot represent non 32-bit signed "
				 "integer value: %s",
				 v->str);
			goto out;
		}
		*out = json_integer(i);
		break;
	case GQL_SC_FLOAT:
		if (v->kind != GQL_VALUE_INT && v->kind != GQL_VALUE_FLOAT) {
			buf_addf(msg,
				 "Float cannot represent non numeric value: %s",
				 shown.ptr);
			goto out;
		}
		*out = json_real(strtod(v->str, NULL));
		break;
	case GQL_SC_STRING:
		if (v->kind != GQL_VALUE_STRING) {
			buf_addf(
			    msg,
			    "String cannot represent a non string value: %s",
			    shown.ptr);
			goto out;
		}
		*out = json_string(v->str);
		break;
	case GQL_SC_BOOLEAN:
		if (v->kind != GQL_VALUE_BOOLEAN) {
			buf_addf(
			    msg,
			    "Boolean cannot represent a non boolean value: "
			    "%s",
			    shown.ptr);
			goto out;
		}
		*out = json_boolean(v->boolean);
		break;
	case GQL_SC_ID:
		if (v->kind != GQL_VALUE_STRING && v->kind != GQL_VALUE_INT) {
			buf_addf(msg,
				 "ID cannot represent a non-string and "
				 "non-integer value: %s",
				 shown.ptr);
			goto out;
		}
		*out = json_string(v->str);
		break;
	case GQL_SC_LONG:
		if (v->kind != GQL_VALUE_INT && v->kind != GQL_VALUE_STRING) {
			buf_addf(
			    msg,
			    "BigInt cannot represent non-integer value: %s",
			    shown.ptr);
			goto out;
		}
		rc = parse_long_text(v->str, out, msg, shown.ptr);
		goto out;
	case GQL_SC_DATE:
		if (v->kind != GQL_VALUE_STRING) {
			buf_addf(msg,
				 "Date cannot represent non string type %s",
				 shown.ptr);
			goto out;
		}
		if (!strict_date(v->str)) {
			buf_addf(msg,
				 "Date cannot represent an invalid date-string "
				 "%s.",
				 v->str);
			goto out;
		}
		*out = json_string(v->str);
		break;
	case GQL_SC_TIME:
		if (v->kind != GQL_VALUE_STRING) {
			buf_addstr(msg,
				   "Time cannot represent non string type");
			rc = GQL_PARSE_ERROR;
			goto out;
		}
		rc = parse_time(v->str, out, msg);
		goto out;
	case GQL_SC_DATETIME:
		if (v->kind != GQL_VALUE_STRING) {
			buf_addf(msg,
				 "DateTime cannot represent non string or Date "
				 "type %s",
				 shown.ptr);
			goto out;
		}
		if (!strict_datetime(v->str)) {
			buf_addf(msg,
				 "DateTime cannot represent an invalid "
				 "date-time-string %s.",
				 v->str);
			goto out;
		}
		*out = json_string(v->str);
		break;
	case GQL_SC_JSON:
	case GQL_SC_NONE:
		*out = gql_value_untyped(v, NULL);
		break;
	}
	rc = GQL_PARSE_OK;
out:
	buf_release(&shown);
	return rc;
}

enum gql_parse_rc
gql_parse_json(const struct gql_stype *t, json_t *in, json_t **out,
	       struct buf *msg)
{
	struct buf shown = BUF_INIT;
	enum gql_parse_rc rc = GQL_PARSE_GQL_ERROR;
	const struct gql_enum_value_def *ev;
	double d;

	*out = NULL;
	gql_inspect(&shown, in);
	if (t->kind == GQL_KIND_ENUM) {
		if (!json_is_string(in)) {
			buf_addf(msg,
				 "Enum \"%s\" cannot represent non-string "
				 "value: %s.",
				 t->name, shown.ptr);
			did_you_mean_enum(msg, t, shown.ptr);
			goto out;
		}
		ev = gql_enum_value(t, json_string_value(in));
		if (!ev) {
			buf_addf(msg,
				 "Value \"%s\" does not exist in \"%s\" enum.",
				 json_string_value(in), t->name);
			did_you_mean_enum(msg, t, json_string_value(in));
			goto out;
		}
		*out = json_string(ev->value);
		rc = GQL_PARSE_OK;
		goto out;
	}
	d = json_is_number(in) ? json_number_value(in) : 0;
	switch (t->scalar) {
	case GQL_SC_INT:
		if (!json_is_number(in) || d != floor(d) || !isfinite(d)) {
			buf_addf(msg,
				 "Int cannot represent non-integer value: %s",
				 shown.ptr);
			goto out;
		}
		if (d > INT32_MAX || d < INT32_MIN) {
			buf_addf(msg,
				 "Int cannot represent non 32-bit signed "
				 "integer value: %s",
				 shown.ptr);
			goto out;
		}
		*out = json_integer((json_int_t)d);
		break;
	case GQL_SC_FLOAT:
		if (!json_is_number(in)) {
			buf_addf(msg,
				 "Float cannot represent non numeric value: %s",
				 shown.ptr);
			goto out;
		}
		*out = json_real(d);
		break;
	case GQL_SC_STRING:
		if (!json_is_string(in)) {
			buf_addf(
			    msg,
			    "String cannot represent a non string value: %s",
			    shown.ptr);
			goto out;
		}
		*out = json_incref(in);
		break;
	case GQL_SC_BOOLEAN:
		if (!json_is_boolean(in)) {
			buf_addf(
			    msg,
			    "Boolean cannot represent a non boolean value: "
			    "%s",
			    shown.ptr);
			goto out;
		}
		*out = json_incref(in);
		break;
	case GQL_SC_ID:
		if (json_is_string(in)) {
			*out = json_incref(in);
		} else if (json_is_integer(in)) {
			*out = json_sprintf("%" JSON_INTEGER_FORMAT,
					    json_integer_value(in));
		} else {
			buf_addf(msg, "ID cannot represent value: %s",
				 shown.ptr);
			goto out;
		}
		break;
	case GQL_SC_LONG:
		if (json_is_integer(in)) {
			*out = json_incref(in);
		} else if (json_is_real(in) && d == floor(d) &&
			   fabs(d) < 9.2e18) {
			*out = json_integer((json_int_t)d);
		} else if (json_is_string(in)) {
			rc = parse_long_text(json_string_value(in), out, msg,
					     shown.ptr);
			goto out;
		} else {
			buf_addf(
			    msg,
			    "BigInt cannot represent non-integer value: %s",
			    shown.ptr);
			goto out;
		}
		break;
	case GQL_SC_DATE:
		if (!json_is_string(in)) {
			buf_addf(msg,
				 "Date cannot represent non string type %s",
				 shown.ptr);
			goto out;
		}
		if (!strict_date(json_string_value(in))) {
			buf_addf(msg,
				 "Date cannot represent an invalid date-string "
				 "%s.",
				 json_string_value(in));
			goto out;
		}
		*out = json_incref(in);
		break;
	case GQL_SC_TIME:
		if (!json_is_string(in)) {
			buf_addstr(msg, "Invalid time format, expected "
					"HH:mm:ss.SSS");
			rc = GQL_PARSE_ERROR;
			goto out;
		}
		rc = parse_time(json_string_value(in), out, msg);
		goto out;
	case GQL_SC_DATETIME:
		if (!json_is_string(in)) {
			buf_addf(msg,
				 "DateTime cannot represent non string or Date "
				 "type %s",
				 shown.ptr);
			goto out;
		}
		if (!strict_datetime(json_string_value(in))) {
			buf_addf(msg,
				 "DateTime cannot represent an invalid "
				 "date-time-string %s.",
				 json_string_value(in));
			goto out;
		}
		*out = json_incref(in);
		break;
	case GQL_SC_JSON:
	case GQL_SC_NONE:
		*out = json_incref(in);
		break;
	}
	rc = GQL_PARSE_OK;
out:
	buf_release(&shown);
	return rc;
}

/* ---- valueFromAST ----------------------------------------------------------
 */

json_t *
gql_value_untyped(const struct gql_value *v, json_t *vars)
{
	json_t *o, *x;
	size_t i;

	switch (v->kind) {
	case GQL_VALUE_VARIABLE:
		x = vars ? json_object_get(vars, v->str) : NULL;
		return x ? json_incref(x) : json_null();
	case GQL_VALUE_INT: {
		char *end;
		long long n;

		errno = 0;
		n = strtoll(v->str, &end, 10);
		return errno ? json_real(strtod(v->str, NULL))
			     : json_integer(n);
	}
	case GQL_VALUE_FLOAT:
		return json_real(strtod(v->str, NULL));
	case GQL_VALUE_STRING:
	case GQL_VALUE_ENUM:
		return json_string(v->str);
	case GQL_VALUE_BOOLEAN:
		return json_boolean(v->boolean);
	case GQL_VALUE_NULL:
		return json_null();
	case GQL_VALUE_LIST:
		o = json_array();
		for (i = 0; i < v->n_items; i++)
			json_array_append_new(
			    o, gql_value_untyped(v->items[i], vars));
		return o;
	case GQL_VALUE_OBJECT:
		o = json_object();
		for (i = 0; i < v->n_fields; i++)
			json_object_set_new(
			    o, v->fields[i].name,
			    gql_value_untyped(v->fields[i].value, vars));
		return o;
	}
	return json_null();
}

static bool
missing_variable(const struct gql_value *v, json_t *vars)
{
	return v->kind == GQL_VALUE_VARIABLE &&
	       (!vars || !json_object_get(vars, v->str));
}

static const struct gql_value *
object_field(const struct gql_value *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n_fields; i++)
		if (!strcmp(v->fields[i].name, name))
			return v->fields[i].value;
	return NULL;
}

json_t *
gql_value_from_ast(const struct gql_stype *t, const struct gql_value *v,
		   json_t *vars)
{
	struct buf msg = BUF_INIT;
	json_t *out, *x;
	size_t i;

	if (!v)
		return NULL;
	if (v->kind == GQL_VALUE_VARIABLE) {
		x = vars ? json_object_get(vars, v->str) : NULL;
		if (!x || (json_is_null(x) && gql_is_non_null(t)))
			return NULL;
		return json_incref(x);
	}
	if (gql_is_non_null(t)) {
		if (v->kind == GQL_VALUE_NULL)
			return NULL;
		return gql_value_from_ast(t->of, v, vars);
	}
	if (v->kind == GQL_VALUE_NULL)
		return json_null();
	if (t->kind == GQL_KIND_LIST) {
		if (v->kind != GQL_VALUE_LIST) {
			x = gql_value_from_ast(t->of, v, vars);
			if (!x)
				return NULL;
			out = json_array();
			json_array_append_new(out, x);
			return out;
		}
		out = json_array();
		for (i = 0; i < v->n_items; i++) {
			if (missing_variable(v->items[i], vars)) {
				if (gql_is_non_null(t->of))
					goto invalid;
				json_array_append_new(out, json_null());
				continue;
			}
			x = gql_value_from_ast(t->of, v->items[i], vars);
			if (!x)
				goto invalid;
			json_array_append_new(out, x);
		}
		return out;
	}
	if (t->kind == GQL_KIND_INPUT_OBJECT) {
		if (v->kind != GQL_VALUE_OBJECT)
			return NULL;
		out = json_object();
		for (i = 0; i < t->n_input_fields; i++) {
			const struct gql_arg_def *f = &t->input_fields[i];
			const struct gql_value *fv = object_field(v, f->name);

			if (!fv || missing_variable(fv, vars)) {
				if (f->default_value)
					json_object_set(out, f->name,
							f->default_value);
				else if (gql_is_non_null(f->type))
					goto invalid;
				continue;
			}
			x = gql_value_from_ast(f->type, fv, vars);
			if (!x)
				goto invalid;
			json_object_set_new(out, f->name, x);
		}
		return out;
	}
	if (t->kind == GQL_KIND_SCALAR && t->scalar == GQL_SC_JSON)
		return gql_value_untyped(v, vars);
	if (gql_parse_literal(t, v, &out, &msg) != GQL_PARSE_OK)
		out = NULL;
	buf_release(&msg);
	return out;
invalid:
	json_decref(out);
	return NULL;
}

/* ---- coerceInputValue
 * ----------------------------------------------------------- */

struct coerce {
	gql_coerce_error_fn fn;
	void *ctx;
	bool failed;
	struct buf path;
};

static void
coerce_error(struct coerce *c, json_t *value, const char *msg)
{
	c->failed = true;
	c->fn(c->ctx, c->path.ptr, value, msg);
}

static json_t *coerce(struct coerce *c, const struct gql_stype *t, json_t *in);

static json_t *
coerce_object(struct coerce *c, const struct gql_stype *t, json_t *in)
{
	struct buf msg = BUF_INIT;
	char tbuf[256];
	json_t *out = json_object(), *x;
	const char *key;
	size_t i, save = c->path.len;

	for (i = 0; i < t->n_input_fields; i++) {
		const struct gql_arg_def *f = &t->input_fields[i];
		json_t *fv = json_object_get(in, f->name);

		if (!fv) {
			if (f->default_value) {
				json_object_set(out, f->name, f->default_value);
			} else if (gql_is_non_null(f->type)) {
				buf_reset(&msg);
				buf_addf(
				    &msg,
				    "Field \"%s\" of required type \"%s\" "
				    "was not provided.",
				    f->name,
				    gql_type_str(f->type, tbuf, sizeof(tbuf)));
				coerce_error(c, in, msg.ptr);
			}
			continue;
		}
		buf_addf(&c->path, ".%s", f->name);
		x = coerce(c, f->type, fv);
		c->path.len = save;
		c->path.ptr[save] = '\0';
		if (x)
			json_object_set_new(out, f->name, x);
	}
	json_object_foreach(in, key, x)
	{
		const char **names, **sugg;
		size_t n;

		if (gql_arg(t->input_fields, t->n_input_fields, key))
			continue;
		names = xcalloc(t->n_input_fields + 1, sizeof(char *));
		sugg = xcalloc(t->n_input_fields + 1, sizeof(char *));
		for (i = 0; i < t->n_input_fields; i++)
			names[i] = t->input_fields[i].name;
		n = gql_suggestions(key, names, t->n_input_fields, sugg);
		buf_reset(&msg);
		buf_addf(&msg, "Field \"%s\" is not defined by type \"%s\".",
			 key, t->name);
		gql_did_you_mean(&msg, NULL, sugg, n);
		coerce_error(c, in, msg.ptr);
		free(names);
		free(sugg);
	}
	buf_release(&msg);
	return out;
}

static json_t *
coerce(struct coerce *c, const struct gql_stype *t, json_t *in)
{
	struct buf msg = BUF_INIT;
	char tbuf[256];
	json_t *out = NULL, *x;
	size_t i, save = c->path.len;
	enum gql_parse_rc rc;

	if (gql_is_non_null(t)) {
		if (!json_is_null(in))
			return coerce(c, t->of, in);
		buf_addf(&msg,
			 "Expected non-nullable type \"%s\" not to be null.",
			 gql_type_str(t, tbuf, sizeof(tbuf)));
		coerce_error(c, in, msg.ptr);
		buf_release(&msg);
		return NULL;
	}
	if (json_is_null(in))
		return json_null();
	if (t->kind == GQL_KIND_LIST) {
		if (!json_is_array(in)) {
			x = coerce(c, t->of, in);
			out = json_array();
			json_array_append_new(out, x ? x : json_null());
			return out;
		}
		out = json_array();
		for (i = 0; i < json_array_size(in); i++) {
			buf_addf(&c->path, "[%zu]", i);
			x = coerce(c, t->of, json_array_get(in, i));
			c->path.len = save;
			c->path.ptr[save] = '\0';
			json_array_append_new(out, x ? x : json_null());
		}
		return out;
	}
	if (t->kind == GQL_KIND_INPUT_OBJECT) {
		if (!json_is_object(in)) {
			buf_addf(&msg, "Expected type \"%s\" to be an object.",
				 t->name);
			coerce_error(c, in, msg.ptr);
			buf_release(&msg);
			return NULL;
		}
		return coerce_object(c, t, in);
	}
	rc = gql_parse_json(t, in, &out, &msg);
	if (rc == GQL_PARSE_GQL_ERROR) {
		coerce_error(c, in, msg.ptr);
	} else if (rc == GQL_PARSE_ERROR) {
		struct buf m2 = BUF_INIT;

		buf_addf(&m2, "Expected type \"%s\". %s", t->name, msg.ptr);
		coerce_error(c, in, m2.ptr);
		buf_release(&m2);
	} else if (rc == GQL_PARSE_UNDEFINED) {
		buf_reset(&msg);
		buf_addf(&msg, "Expected type \"%s\".", t->name);
		coerce_error(c, in, msg.ptr);
	}
	buf_release(&msg);
	return out;
}

json_t *
gql_coerce_input(const struct gql_stype *t, json_t *in,
		 gql_coerce_error_fn on_error, void *ctx)
{
	struct coerce c = {on_error, ctx, false, BUF_INIT};
	json_t *out;

	buf_addstr(&c.path, "");
	out = coerce(&c, t, in);
	buf_release(&c.path);
	if (c.failed) {
		json_decref(out);
		return NULL;
	}
	return out;
}
