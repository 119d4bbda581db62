/* SPDX-License-Identifier: MIT */
/*
 * validate.c: request-body entries checked as Strapi 5 checks them (its yup
 * schemas, then its database layer's date parsers), with Strapi's messages,
 * and converted to stored values. Response output and filter values live in
 * value.c.
 *
 * How yup decides, which this file reproduces: each attribute's value is
 * first cast (numbers from numeric strings, booleans from "true"/"1"/...,
 * enumerations to strings; strings are never cast); a failed type check
 * reports only itself; otherwise every test of the attribute runs and each
 * failure is reported, in the order Strapi adds them, the database
 * uniqueness query last (it is the only asynchronous one). Errors are then
 * sorted by attribute in schema order.
 */
#include "core/compat.h"
#include "schema/schema.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>

#include "core/buf.h"
#include "core/mem.h"

#define MAX_SAFE_INTEGER 9007199254740992.0 /* 2^53 */
#define TWO_POW_63 9223372036854775808.0
#define MSG_VALUE_MAX 200 /* bytes of a printed value kept in a message */
#define PRINT_MAX 1024    /* stop printing a value beyond this */

struct vctx {
	const struct content_type *ct;
	enum validate_mode mode;
	unique_taken_fn unique;
	void *unique_ctx;
	struct sqlval *vals;
	bool *present;
	struct err *e;
	struct err fmt; /* the first date/time/datetime format error */
	size_t n_errors;
};

/* ---- UTF-8 and JavaScript strings -------------------------------------- */

/* Cut 'b' to at most 'max' bytes without splitting a UTF-8 character. */
static void
utf8_cut(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* String length as JavaScript counts it (UTF-16 units) of valid UTF-8. */
static size_t
js_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

/* Decode valid UTF-8 (jansson checked it) into code points. */
static size_t
utf8_decode(const char *s, size_t len, uint32_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0, k, j;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80)
			k = 1, cp = p[i];
		else if (p[i] < 0xe0)
			k = 2, cp = p[i] & 0x1f;
		else if (p[i] < 0xf0)
			k = 3, cp = p[i] & 0x0f;
		else
			k = 4, cp = p[i] & 0x07;
		for (j = 1; j < k && i + j < len; j++)
			cp = (cp << 6) | (p[i + j] & 0x3f);
		out[n++] = cp;
		i += k;
	}
	return n;
}

/* ---- printing values the way JavaScript and yup do ---------------------- */

/* Number.prototype.toString() for a double. */
static void
js_number(double d, char out[40])
{
	char tmp[40], digits[24] = "0";
	int prec, k = 0, n, i, o = 0;
	const char *p;

	if (isnan(d)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(d)) {
		strcpy(out, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		strcpy(out, "0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	p = tmp;
	if (*p == '-')
		out[o++] = *p++;
	for (; *p && *p != 'e'; p++)
		if (isdigit((unsigned char)*p))
			digits[k++] = *p;
	n = atoi(p + 1) + 1; /* the decimal point sits after n digits */
	while (k > 1 && digits[k - 1] == '0')
		k--;
	if (k <= n && n <= 21) {
		for (i = 0; i < n; i++)
			out[o++] = i < k ? digits[i] : '0';
	} else if (0 < n && n <= 21) {
		for (i = 0; i < k; i++) {
			if (i == n)
				out[o++] = '.';
			out[o++] = digits[i];
		}
	} else if (-6 < n && n <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -n; i++)
			out[o++] = '0';
		for (i = 0; i < k; i++)
			out[o++] = digits[i];
	} else {
		out[o++] = digits[0];
		if (k > 1) {
			out[o++] = '.';
			for (i = 1; i < k; i++)
				out[o++] = digits[i];
		}
		o += snprintf(out + o, 12, "e%c%d", n - 1 >= 0 ? '+' : '-',
			      abs(n - 1));
	}
	out[o] = '\0';
}

/* A JSON number as JavaScript holds it (a double) printed by String(). */
static void
json_number_text(json_t *v, char out[40])
{
	json_int_t i;

	if (json_is_integer(v)) {
		i = json_integer_value(v);
		if (i <= (json_int_t)MAX_SAFE_INTEGER &&
		    i >= -(json_int_t)MAX_SAFE_INTEGER) {
			snprintf(out, 40, "%" JSON_INTEGER_FORMAT, i);
			return;
		}
	}
	js_number(json_number_value(v), out);
}

/* JSON.stringify() of a string. */
static void
js_quote(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addch(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			buf_addstr(b, "\\\"");
			break;
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\b':
			buf_addstr(b, "\\b");
			break;
		case '\f':
			buf_addstr(b, "\\f");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		default:
			if (c < 0x20)
				buf_addf(b, "\\u%04x", c);
			else
				buf_addch(b, (char)c);
		}
	}
	buf_addch(b, '"');
}

/* yup's printSimpleValue(value, quoteStrings = true) for a non-container. */
static void
print_simple(json_t *v, struct buf *b)
{
	char num[40];

	switch (json_typeof(v)) {
	case JSON_STRING:
		buf_addch(b, '"');
		buf_add(b, json_string_value(v), json_string_length(v));
		buf_addch(b, '"');
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		if (json_is_real(v) && json_real_value(v) == 0 &&
		    signbit(json_real_value(v)))
			buf_addstr(b, "-0");
		else {
			json_number_text(v, num);
			buf_addstr(b, num);
		}
		break;
	case JSON_TRUE:
		buf_addstr(b, "true");
		break;
	case JSON_FALSE:
		buf_addstr(b, "false");
		break;
	default:
		buf_addstr(b, "null");
	}
}

static void
indent(struct buf *b, int depth)
{
	int i;

	for (i = 0; i < depth * 2; i++)
		buf_addch(b, ' ');
}

/*
 * yup's printValue() for objects and arrays: JSON.stringify(value, r, 2)
 * where the replacer 'r' turns every leaf into its printSimpleValue() text,
 * so leaves come out as JSON strings ({"a": 1} prints as {\n  "a": "1"\n}).
 */
static void
stringify(json_t *v, struct buf *b, int depth)
{
	struct buf leaf = BUF_INIT;
	const char *key;
	json_t *x;
	size_t i, n;

	if (b->len > PRINT_MAX)
		return;
	if (json_is_object(v)) {
		n = json_object_size(v);
		if (!n) {
			buf_addstr(b, "{}");
			return;
		}
		buf_addstr(b, "{\n");
		i = 0;
		json_object_foreach(v, key, x) {
			indent(b, depth + 1);
			js_quote(b, key, strlen(key));
			buf_addstr(b, ": ");
			stringify(x, b, depth + 1);
			buf_addstr(b, ++i < n ? ",\n" : "\n");
			if (b->len > PRINT_MAX)
				return;
		}
		indent(b, depth);
		buf_addch(b, '}');
		return;
	}
	if (json_is_array(v)) {
		n = json_array_size(v);
		if (!n) {
			buf_addstr(b, "[]");
			return;
		}
		buf_addstr(b, "[\n");
		json_array_foreach(v, i, x) {
			indent(b, depth + 1);
			stringify(x, b, depth + 1);
			buf_addstr(b, i + 1 < n ? ",\n" : "\n");
			if (b->len > PRINT_MAX)
				return;
		}
		indent(b, depth);
		buf_addch(b, ']');
		return;
	}
	print_simple(v, &leaf);
	js_quote(b, leaf.ptr, leaf.len);
	buf_release(&leaf);
}

/* yup's printValue(value, true), cut to MSG_VALUE_MAX bytes. */
static char *
print_value(json_t *v)
{
	struct buf b = BUF_INIT;
	char *s;

	if (json_is_object(v) || json_is_array(v))
		stringify(v, &b, 0);
	else
		print_simple(v, &b);
	s = buf_detach(&b, NULL);
	if (strlen(s) > MSG_VALUE_MAX) {
		utf8_cut(s, MSG_VALUE_MAX);
		s = xrealloc(s, strlen(s) + 4);
		strcat(s, "...");
	}
	return s;
}

/* ---- collecting errors ------------------------------------------------ */

static void
add_error(struct vctx *c, const struct field *f, json_t *value,
	  const char *fmt, ...) ATTR_PRINTF(4, 5);

/* One entry of details.errors for attribute 'f'; 'value' is borrowed. */
static void
add_error(struct vctx *c, const struct field *f, json_t *value,
	  const char *fmt, ...)
{
	const char *path[2] = { f->name, NULL };
	char msg[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_cut(msg, sizeof(msg) - 1);
	err_add_validation(c->e, path, value, "%s", msg);
	c->n_errors++;
}

/* yup's typeError without a cast: "... the final value was: `v`." */
static void
type_error(struct vctx *c, const struct field *f, const char *type,
	   json_t *value)
{
	char *s = print_value(value);

	add_error(c, f, value,
		  "%s must be a `%s` type, but the final value was: `%s`.",
		  f->name, type, s);
	free(s);
}

/* A number cast that failed: final NaN (or Infinity), reported as null. */
static void
number_error(struct vctx *c, const struct field *f, const char *final,
	     json_t *orig)
{
	char *s = print_value(orig);

	add_error(c, f, json_null(),
		  "%s must be a `number` type, but the final value was: "
		  "`%s` (cast from the value `%s`).",
		  f->name, final, s);
	free(s);
}

/* A date/time/datetime format error; only the first one is kept. */
static void
format_error(struct vctx *c, struct err *from)
{
	if (!c->fmt.code)
		err_move(&c->fmt, from);
	else
		err_release(from);
}

/* ---- the unique test -------------------------------------------------- */

static bool
checks_unique(const struct field *f)
{
	switch (f->type) {
	case ATTR_ENUMERATION:
	case ATTR_BOOLEAN:
	case ATTR_JSON:
		return false;
	case ATTR_UID:
		return true;
	default:
		return (f->flags & FIELD_UNIQUE) != 0;
	}
}

static void
unique_test(struct vctx *c, const struct field *f, size_t idx, json_t *value)
{
	if (!c->unique || !checks_unique(f) || c->vals[idx].kind == SV_NULL)
		return;
	if (c->unique(c->unique_ctx, f, &c->vals[idx]))
		add_error(c, f, value, "This attribute must be unique");
}

/* ---- strings ---------------------------------------------------------- */

static bool
atext(uint32_t c)
{
	return (c < 0x80 && (isalnum((int)c) || strchr("!#$%&'*+-/=?^_`{|}~",
						       (int)c))) ||
	       (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) ||
	       (c >= 0xfdf0 && c <= 0xffef);
}

static bool
u_range(uint32_t c)
{
	return (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) ||
	       (c >= 0xfdf0 && c <= 0xffef);
}

static bool
dom_alnum(uint32_t c)
{
	return (c < 0x80 && isalnum((int)c)) || u_range(c);
}

static bool
dom_alpha(uint32_t c)
{
	return (c < 0x80 && isalpha((int)c)) || u_range(c);
}

static bool
dom_char(uint32_t c)
{
	return dom_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Folding white space of the quoted local part; returns the new index. */
static size_t
fws(const uint32_t *s, size_t n, size_t i)
{
	size_t j = i, k;

	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n') {
		k = j + 2;
		if (k < n && (s[k] == ' ' || s[k] == '\t')) {
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
			return k;
		}
	}
	return j;
}

static bool
qtext(uint32_t c)
{
	return (c >= 0x01 && c <= 0x08) || c == 0x0b || c == 0x0c ||
	       (c >= 0x0e && c <= 0x1f) || c == 0x7f || c == 0x21 ||
	       (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) ||
	       u_range(c);
}

/* The part after the last '.' chosen: a TLD-shaped label. */
static bool
tld_ok(const uint32_t *s, size_t n)
{
	size_t i;

	if (n == 0 || !dom_alpha(s[0]) || !dom_alpha(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!dom_char(s[i]))
			return false;
	return true;
}

static bool
domain_ok(const uint32_t *s, size_t n)
{
	size_t p, i;

	for (p = 1; p + 1 < n; p++) {
		if (s[p] != '.' || !dom_alnum(s[0]) || !dom_alnum(s[p - 1]))
			continue;
		for (i = 0; i < p && dom_char(s[i]); i++)
			;
		if (i == p && tld_ok(s + p + 1, n - p - 1))
			return true;
	}
	return false;
}

/* yup 0.32's email pattern (RFC 5322-ish, case-insensitive). */
static bool
email_ok(const char *str, size_t len)
{
	uint32_t *s = xmalloc((len + 1) * sizeof(uint32_t));
	size_t n = utf8_decode(str, len, s), i = 0;
	bool ok = false;

	if (n && s[0] == '"') {
		i = 1;
		for (;;) {
			i = fws(s, n, i);
			if (i < n && qtext(s[i])) {
				i++;
			} else if (i + 1 < n && s[i] == '\\' &&
				   ((s[i + 1] >= 0x01 && s[i + 1] <= 0x09) ||
				    s[i + 1] == 0x0b || s[i + 1] == 0x0c ||
				    (s[i + 1] >= 0x0d && s[i + 1] <= 0x7f) ||
				    u_range(s[i + 1]))) {
				i += 2;
			} else {
				break;
			}
		}
		if (i >= n || s[i] != '"')
			goto out;
		i++;
	} else {
		for (;;) {
			size_t start = i;

			while (i < n && atext(s[i]))
				i++;
			if (i == start)
				goto out;
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i >= n || s[i] != '@')
		goto out;
	i++;
	ok = domain_ok(s + i, n - i);
out:
	free(s);
	return ok;
}

static bool
uid_charset_ok(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.~", *s))
			return false;
	return true;
}

/* String(new RegExp(src)): "/src/" with '/' and line breaks escaped. */
static char *
js_regex_text(const char *src)
{
	struct buf b = BUF_INIT;
	bool in_class = false;
	const char *p;

	if (!*src)
		return xstrdup("/(?:)/");
	buf_addch(&b, '/');
	for (p = src; *p; p++) {
		if (*p == '\\' && p[1]) {
			buf_add(&b, p, 2);
			p++;
			continue;
		}
		if (*p == '[')
			in_class = true;
		else if (*p == ']')
			in_class = false;
		if (*p == '/' && !in_class)
			buf_addstr(&b, "\\/");
		else if (*p == '\n')
			buf_addstr(&b, "\\n");
		else if (*p == '\r')
			buf_addstr(&b, "\\r");
		else
			buf_addch(&b, *p);
	}
	buf_addch(&b, '/');
	return buf_detach(&b, NULL);
}

static void
check_string(struct vctx *c, const struct field *f, size_t idx, json_t *v)
{
	const char *s;
	size_t len, units;
	char *re;

	if (!json_is_string(v)) {
		type_error(c, f, "string", v);
		return;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (strlen(s) != len) {
		add_error(c, f, v, "%s must not contain the NUL character",
			  f->name);
		return;
	}
	sqlval_set_text(&c->vals[idx], s);
	c->present[idx] = true;
	units = js_length(s, len);
	/* email's min(1) replaces any minLength test; drafts skip minLength */
	if (f->min_length > 0 && f->type != ATTR_EMAIL &&
	    c->mode != VALIDATE_DRAFT && units < (size_t)f->min_length)
		add_error(c, f, v, "%s must be at least %ld characters",
			  f->name, f->min_length);
	if (f->max_length > 0 && units > (size_t)f->max_length)
		add_error(c, f, v, "%s must be at most %ld characters", f->name,
			  f->max_length);
	if (f->regex_src && (len > 0 || (f->flags & FIELD_REQUIRED)) &&
	    regexec(&f->regex, s, 0, NULL, 0) != 0) {
		re = js_regex_text(f->regex_src);
		add_error(c, f, v, "%s must match the following: \"%s\"",
			  f->name, re);
		free(re);
	}
	if (f->type == ATTR_EMAIL) {
		if (len > 0 && !email_ok(s, len))
			add_error(c, f, v, "%s must be a valid email", f->name);
		if (len == 0)
			add_error(c, f, v, "%s cannot be empty", f->name);
	}
	if (f->type == ATTR_UID && !uid_charset_ok(s))
		add_error(c, f, v,
			  "%s must match the following: "
			  "\"/^[A-Za-z0-9-_.~]*$/\"",
			  f->name);
	unique_test(c, f, idx, v);
}

static void
check_enumeration(struct vctx *c, const struct field *f, size_t idx,
		  json_t *v)
{
	struct buf list = BUF_INIT;
	char num[40];
	const char *s;
	json_t *cast;
	size_t i;

	/* yup's string cast: String(value) for numbers and booleans */
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		json_number_text(v, num);
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		break;
	case JSON_FALSE:
		s = "false";
		break;
	default:
		type_error(c, f, "string", v);
		return;
	}
	if (json_is_string(v) && strlen(s) != json_string_length(v)) {
		add_error(c, f, v, "%s must not contain the NUL character",
			  f->name);
		return;
	}
	for (i = 0; i < f->n_enum; i++) {
		if (!strcmp(f->enum_values[i], s)) {
			sqlval_set_text(&c->vals[idx], s);
			c->present[idx] = true;
			return;
		}
	}
	/* the whitelist ends with null, which prints as "" */
	for (i = 0; i < f->n_enum; i++) {
		buf_addstr(&list, f->enum_values[i]);
		buf_addstr(&list, ", ");
	}
	cast = json_is_string(v) ? json_incref(v) : json_string(s);
	add_error(c, f, cast, "%s must be one of the following values: %s",
		  f->name, list.ptr);
	json_decref(cast);
	buf_release(&list);
}

/* ---- numbers ---------------------------------------------------------- */

/* A value after yup's number cast. */
struct jsnum {
	double d;
	bool exact; /* 'i' holds the exact integer value */
	int64_t i;
};

/* The value of a digit in bases up to 36; 99 for anything else. */
static int
digit_value(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	if (isalpha((unsigned char)c))
		return tolower((unsigned char)c) - 'a' + 10;
	return 99;
}

/*
 * JavaScript's unary plus on a string whose white space yup removed:
 * decimal literals, 0x/0o/0b integers, [+-]Infinity; NaN otherwise.
 */
static void
js_string_number(const char *src, struct jsnum *out)
{
	struct buf b = BUF_INIT;
	const char *s, *p;
	char *end;
	int base = 0;
	size_t digits = 0;

	out->d = NAN;
	out->exact = false;
	for (p = src; *p; p++)
		if (!strchr(" \t\n\v\f\r", *p))
			buf_addch(&b, *p);
	s = b.ptr;
	if (!*s)
		goto out;
	if (s[0] == '0' && s[1] && strchr("xXoObB", s[1])) {
		base = strchr("xX", s[1]) ? 16 : strchr("oO", s[1]) ? 8 : 2;
		for (p = s + 2; *p; p++)
			if (digit_value(*p) >= base)
				goto out;
		if (!s[2])
			goto out;
		errno = 0;
		out->i = (int64_t)strtoull(s + 2, &end, base);
		if (errno || out->i < 0) {
			out->d = strtod(s, NULL);
			goto out;
		}
		out->d = (double)out->i;
		out->exact = true;
		goto out;
	}
	p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!strcmp(p, "Infinity")) {
		out->d = *s == '-' ? -INFINITY : INFINITY;
		goto out;
	}
	/* digits [. digits] | . digits, then an optional exponent */
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits)
		goto out;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			goto out;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p)
		goto out;
	out->d = strtod(s, NULL);
	if (strspn(s + (*s == '+' || *s == '-'), "0123456789") ==
	    strlen(s + (*s == '+' || *s == '-'))) {
		errno = 0;
		out->i = strtoll(s, &end, 10);
		out->exact = errno == 0;
	}
out:
	buf_release(&b);
}

/* yup's number cast; false when the result is NaN. */
static bool
number_cast(json_t *v, struct jsnum *n)
{
	n->exact = false;
	n->d = NAN;
	if (json_is_integer(v)) {
		n->i = json_integer_value(v);
		n->d = (double)n->i;
		n->exact = true;
	} else if (json_is_real(v)) {
		n->d = json_real_value(v);
	} else if (json_is_string(v)) {
		js_string_number(json_string_value(v), n);
	}
	return !isnan(n->d);
}

/* The cast number as the "value" of an error; a new reference. */
static json_t *
jsnum_json(const struct jsnum *n)
{
	if (n->exact)
		return json_integer(n->i);
	if (!isfinite(n->d))
		return json_null();
	if (n->d == trunc(n->d) && fabs(n->d) <= MAX_SAFE_INTEGER)
		return json_integer((json_int_t)n->d);
	return json_real(n->d);
}

static void
check_number(struct vctx *c, const struct field *f, size_t idx, json_t *v)
{
	bool integer = f->type == ATTR_INTEGER;
	struct sqlval *out = &c->vals[idx];
	char final[40], bound[40];
	struct jsnum n;
	json_t *jv;
	double lo, hi;

	if (!number_cast(v, &n)) {
		number_error(c, f, "NaN", v);
		return;
	}
	if (!integer && !isfinite(n.d)) {
		js_number(n.d, final);
		number_error(c, f, final, v);
		return;
	}
	jv = jsnum_json(&n);
	if (integer) {
		/* outside int64 we cannot store it: same message */
		if (!n.exact && (n.d != trunc(n.d) || !isfinite(n.d) ||
				 fabs(n.d) >= TWO_POW_63))
			add_error(c, f, jv, "%s must be an integer", f->name);
		out->kind = SV_INT;
		out->i = n.exact ? n.i
			 : isfinite(n.d) && fabs(n.d) < TWO_POW_63
				 ? (int64_t)n.d
				 : 0;
		/* Strapi truncates integer bounds (lodash toInteger) */
		lo = trunc(f->min);
		hi = trunc(f->max);
	} else {
		out->kind = SV_REAL;
		out->d = n.d;
		lo = f->min;
		hi = f->max;
	}
	c->present[idx] = true;
	if (f->has_min && n.d < lo) {
		js_number(lo, bound);
		add_error(c, f, jv, "%s must be greater than or equal to %s",
			  f->name, bound);
	}
	if (f->has_max && n.d > hi) {
		js_number(hi, bound);
		add_error(c, f, jv, "%s must be less than or equal to %s",
			  f->name, bound);
	}
	unique_test(c, f, idx, jv);
	json_decref(jv);
}

/*
 * biginteger: numbers and numeric strings whose value is a whole number.
 * Unlike Strapi on SQLite (which stores a double), the int64 is kept
 * exactly, so values above 2^53 do not lose precision; values outside
 * int64 fail.
 */
static void
check_biginteger(struct vctx *c, const struct field *f, size_t idx, json_t *v)
{
	struct sqlval *out = &c->vals[idx];
	const char *s, *p;
	char *end;
	double d;

	if (json_is_integer(v)) {
		out->i = json_integer_value(v);
	} else if (json_is_real(v)) {
		d = json_real_value(v);
		if (d != trunc(d) || fabs(d) >= TWO_POW_63)
			goto bad;
		out->i = (int64_t)d;
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		p = s + (*s == '-' || *s == '+');
		if (!*p || strspn(p, "0123456789") != strlen(p) ||
		    strlen(s) != json_string_length(v))
			goto bad;
		errno = 0;
		out->i = strtoll(s, &end, 10);
		if (errno)
			goto bad;
	} else {
		goto bad;
	}
	out->kind = SV_INT;
	c->present[idx] = true;
	unique_test(c, f, idx, v);
	return;
bad:
	out->kind = SV_NULL;
	add_error(c, f, v, "%s must be a valid integer", f->name);
}

/* ---- booleans, dates, json --------------------------------------------- */

static void
check_boolean(struct vctx *c, const struct field *f, size_t idx, json_t *v)
{
	const char *s;
	int b = -1;

	if (json_is_boolean(v)) {
		b = json_is_true(v);
	} else if (json_is_number(v)) {
		/* String(value) must be "1" or "0" */
		if (json_number_value(v) == 1)
			b = 1;
		else if (json_number_value(v) == 0 &&
			 !(json_is_real(v) && signbit(json_real_value(v))))
			b = 0;
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		if (!strcasecmp(s, "true") || !strcmp(s, "1") ||
		    !strcmp(s, "t"))
			b = 1;
		else if (!strcasecmp(s, "false") || !strcmp(s, "0") ||
			 !strcmp(s, "f"))
			b = 0;
	}
	if (b < 0) {
		type_error(c, f, "boolean", v);
		return;
	}
	c->vals[idx].kind = SV_INT;
	c->vals[idx].i = b;
	c->present[idx] = true;
}

/* typeof in JavaScript, for "Expected a string, got a ..." */
static const char *
js_typeof(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "object";
	}
}

/*
 * date, time and datetime pass yup untouched (mixed); Strapi's database
 * layer parses them afterwards, so a bad format is reported after every
 * other error, one at a time.
 */
static void
check_temporal(struct vctx *c, const struct field *f, size_t idx, json_t *v)
{
	struct err fe = ERR_INIT;
	struct sqlval *out = &c->vals[idx];
	char buf[40];
	const char *s;
	int64_t ms;
	int rc;

	s = json_string_value(v);
	if (s && strlen(s) != json_string_length(v))
		s = "";
	switch (f->type) {
	case ATTR_DATE:
		rc = s ? schema_parse_date(s, buf, &fe)
		       : err_set(&fe, ERR_VALIDATION,
				 "Invalid format, expected yyyy-MM-dd");
		if (rc == 0)
			sqlval_set_text(out, buf);
		break;
	case ATTR_TIME:
		rc = s ? schema_parse_time(s, buf, &fe)
		       : err_set(&fe, ERR_VALIDATION,
				 "Expected a string, got a %s", js_typeof(v));
		if (rc == 0)
			sqlval_set_text(out, buf);
		break;
	default:
		/* the value goes through String() first */
		if (!s && json_is_number(v)) {
			json_number_text(v, buf);
			s = buf;
		} else if (!s) {
			s = json_is_true(v) ? "true" : "false";
		}
		rc = schema_parse_datetime(s, &ms, &fe);
		if (rc == 0) {
			out->kind = SV_INT;
			out->i = ms;
		}
		break;
	}
	if (rc < 0) {
		format_error(c, &fe);
		return;
	}
	c->present[idx] = true;
	unique_test(c, f, idx, v);
}

static void
check_json(struct vctx *c, size_t idx, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
					JSON_ENCODE_ANY);

	if (!s)
		BUG("json_dumps failed on a parsed value");
	c->vals[idx].kind = SV_TEXT;
	c->vals[idx].s = s;
	c->present[idx] = true;
}

/* ---- one attribute ---------------------------------------------------- */

/* yup.mixed() types: no type check, so null meets the required test. */
static bool
is_mixed(enum attr_type t)
{
	return t == ATTR_BIGINTEGER || t == ATTR_DATE || t == ATTR_TIME ||
	       t == ATTR_DATETIME || t == ATTR_JSON;
}

static const char *
yup_type(enum attr_type t)
{
	switch (t) {
	case ATTR_INTEGER:
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return "number";
	case ATTR_BOOLEAN:
		return "boolean";
	default:
		return "string";
	}
}

static void
check_attr(struct vctx *c, const struct field *f, json_t *v)
{
	size_t idx = (size_t)(f - c->ct->fields);
	bool required = (f->flags & FIELD_REQUIRED) &&
			c->mode != VALIDATE_DRAFT;

	if (!v && c->mode != VALIDATE_UPDATE)
		v = f->default_value;
	if (!v) {
		if (required && c->mode == VALIDATE_CREATE)
			add_error(c, f, NULL, "%s must be defined.", f->name);
		return;
	}
	if (json_is_null(v)) {
		if (!required) {
			c->vals[idx].kind = SV_NULL;
			c->present[idx] = true;
		} else if (!is_mixed(f->type)) {
			type_error(c, f, yup_type(f->type), v);
		} else if (c->mode == VALIDATE_UPDATE) {
			add_error(c, f, v, "%s cannot be null.", f->name);
		} else {
			add_error(c, f, v, "%s must be defined.", f->name);
		}
		return;
	}
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_TEXT:
	case ATTR_RICHTEXT:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_PASSWORD:
		check_string(c, f, idx, v);
		break;
	case ATTR_ENUMERATION:
		check_enumeration(c, f, idx, v);
		break;
	case ATTR_INTEGER:
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		check_number(c, f, idx, v);
		break;
	case ATTR_BIGINTEGER:
		check_biginteger(c, f, idx, v);
		break;
	case ATTR_BOOLEAN:
		check_boolean(c, f, idx, v);
		break;
	case ATTR_DATE:
	case ATTR_TIME:
	case ATTR_DATETIME:
		check_temporal(c, f, idx, v);
		break;
	case ATTR_JSON:
		check_json(c, idx, v);
		break;
	}
}

/* ---- the entry -------------------------------------------------------- */

static const struct field *
find_attr(const struct content_type *ct, const char *name)
{
	size_t i;

	for (i = 0; i < ct->n_attrs; i++)
		if (!strcmp(ct->attrs[i].name, name))
			return &ct->attrs[i];
	return NULL;
}

/*
 * "Invalid key k": id and documentId carry no path, Strapi's other own
 * attributes carry their name, anything else a null path.
 */
static int
invalid_key(struct err *e, const char *key)
{
	static const char *const own[] = {
		"createdAt", "updatedAt", "createdBy",
		"updatedBy", "locale",	  "localizations",
	};
	json_t *d = json_object();
	char k[80];
	size_t i;

	json_object_set_new(d, "key", json_string(key));
	if (strcmp(key, "id") && strcmp(key, "documentId")) {
		json_t *path = json_null();

		for (i = 0; i < ARRAY_SIZE(own); i++)
			if (!strcmp(key, own[i]))
				path = json_string(key);
		json_object_set_new(d, "path", path);
	}
	json_object_set_new(d, "source", json_string("body"));
	snprintf(k, sizeof(k), "%s", key);
	utf8_cut(k, 64);
	return err_set_details_new(e, ERR_VALIDATION, d, "Invalid key %s", k);
}

int
schema_validate_entry(const struct content_type *ct, json_t *data,
		      enum validate_mode mode, unique_taken_fn unique,
		      void *unique_ctx, struct sqlval *vals, bool *present,
		      struct err *e)
{
	struct vctx c = { ct, mode, unique, unique_ctx, vals, present, e,
			  ERR_INIT, 0 };
	const char *key;
	json_t *v;
	size_t i;
	int ret;

	if (!json_is_object(data))
		return err_set(e, ERR_VALIDATION,
			       "Missing \"data\" payload in the request body");
	json_object_foreach(data, key, v) {
		/* publishedAt is ignored, as Strapi does */
		if (find_attr(ct, key) || !strcmp(key, "publishedAt"))
			continue;
		return invalid_key(e, key);
	}
	for (i = 0; i < ct->n_attrs; i++)
		check_attr(&c, &ct->attrs[i],
			   json_object_get(data, ct->attrs[i].name));
	if (c.n_errors) {
		ret = err_finish_validation(e);
		if (!ret)
			ret = ERR_VALIDATION; /* 'e' is NULL */
		goto fail;
	}
	if (c.fmt.code) {
		ret = c.fmt.code;
		err_move(e, &c.fmt);
		goto fail;
	}
	return 0;
fail:
	err_release(&c.fmt);
	for (i = 0; i < ct->n_fields; i++) {
		sqlval_release(&vals[i]);
		present[i] = false;
	}
	return ret;
}
