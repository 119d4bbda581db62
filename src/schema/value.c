/* SPDX-License-Identifier: MIT */
/*
 * value.c: stored values (struct sqlval) to response JSON, query-string
 * filter values to stored values, and Strapi's date/time parsers. Request
 * bodies are checked in validate.c.
 */
#include "core/compat.h"
#include "schema/schema.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/timeutil.h"

#define MAX_SAFE_INTEGER 9007199254740992.0 /* 2^53 */
#define MAX_DATE_MS 8640000000000000LL    /* JavaScript's Date range */

void
sqlval_release(struct sqlval *v)
{
	if (!v)
		return;
	if (v->kind == SV_TEXT)
		free(v->s);
	memset(v, 0, sizeof(*v));
}

void
sqlval_set_text(struct sqlval *v, const char *s)
{
	sqlval_release(v);
	if (!s)
		return;
	v->kind = SV_TEXT;
	v->s = xstrdup(s);
}

/* ---- UTF-8 ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at 's' (at most 'n' bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* A JSON string of 's' with each invalid UTF-8 byte replaced by U+FFFD. */
static json_t *
json_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	struct buf b = BUF_INIT;
	json_t *j;

	j = json_stringn(s, n);
	if (j)
		return j;
	while (i < n) {
		k = utf8_seq(p + i, n - i);
		if (k) {
			buf_add(&b, p + i, k);
			i += k;
		} else {
			buf_addstr(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	j = json_stringn(b.ptr, b.len);
	buf_release(&b);
	return j ? j : json_string("");
}

/*
 * 's' quoted for a message: at most 64 bytes, whole UTF-8 characters only,
 * control characters and invalid bytes as '?'.
 */
static void
quote_value(const char *s, char out[80])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, k;

	while (i < n && o < 64) {
		k = utf8_seq(p + i, n - i);
		if (k > 1 && o + k <= 64) {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		if (k > 1)
			break;
		out[o++] = k == 1 && p[i] >= 0x20 && p[i] != 0x7f ? (char)p[i]
								 : '?';
		i++;
	}
	if (i < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* ---- Strapi's date, time and datetime parsers -------------------------- */

static bool
digit_run(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int
schema_parse_date(const char *s, char out[11], struct err *e)
{
	int y, m, d;

	/* ^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) */
	if (!digit_run(s, 4) || s[4] != '-' || !digit_run(s + 5, 2) ||
	    s[7] != '-' || !digit_run(s + 8, 2) ||
	    !((s[5] == '0' && s[6] != '0') || (s[5] == '1' && s[6] <= '2')) ||
	    !((s[8] == '0' && s[9] != '0') || s[8] == '1' || s[8] == '2' ||
	      (s[8] == '3' && s[9] <= '1')))
		return err_set(e, ERR_VALIDATION,
			       "Invalid format, expected yyyy-MM-dd");
	if (!time_parse_date(s, &y, &m, &d))
		return err_set(e, ERR_VALIDATION, "Invalid date");
	memcpy(out, s, 10);
	out[10] = '\0';
	return 0;
}

/*
 * JavaScript's '.' in Strapi's time pattern: one UTF-16 unit other than a
 * line terminator. Returns its length in bytes, or 0.
 */
static size_t
js_any_char(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = utf8_seq(p, strlen(s));

	if (k == 0 || k == 4 || *p == '\n' || *p == '\r')
		return 0;
	if (k == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9))
		return 0;
	return k;
}

int
schema_parse_time(const char *s, char out[13], struct err *e)
{
	const char *p;
	size_t k, n;

	/* ^(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(.[0-9]{1,3})?$ */
	if (!digit_run(s, 2) || s[2] != ':' || !digit_run(s + 3, 2) ||
	    s[5] != ':' || !digit_run(s + 6, 2) || s[0] > '2' ||
	    (s[0] == '2' && s[1] > '3') || s[3] > '5' || s[6] > '5')
		goto bad;
	memcpy(out, s, 8);
	memcpy(out + 8, ".000", 5);
	p = s + 8;
	if (!*p)
		return 0;
	k = js_any_char(p);
	if (!k)
		goto bad;
	p += k;
	for (n = 0; isdigit((unsigned char)p[n]); n++)
		;
	if (n < 1 || n > 3 || p[n])
		goto bad;
	memcpy(out + 9, p, n);
	return 0;
bad:
	return err_set(e, ERR_VALIDATION,
		       "Invalid time format, expected HH:mm:ss.SSS");
}

int
schema_parse_datetime(const char *s, int64_t *ms, struct err *e)
{
	size_t n = strlen(s);
	const char *p = s;
	char *end;
	long long v;
	int y, m;

	if (time_parse_iso(s, ms))
		return 0;
	/* date-fns' parseISO also takes a year, or a year and a month */
	if (n == 4 && digit_run(s, 4)) {
		*ms = time_days_from_civil(atoi(s), 1, 1) * 86400000LL;
		return 0;
	}
	if (n == 7 && digit_run(s, 4) && s[4] == '-' && digit_run(s + 5, 2)) {
		y = atoi(s);
		m = atoi(s + 5);
		if (m >= 1 && m <= 12) {
			*ms = time_days_from_civil(y, m, 1) * 86400000LL;
			return 0;
		}
	}
	/* epoch milliseconds (date-fns' 'T' pattern) */
	if (*p == '-')
		p++;
	if (*p && digit_run(p, (int)strlen(p)) && strlen(p) <= 16) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (!errno && !*end && v <= MAX_DATE_MS && v >= -MAX_DATE_MS) {
			*ms = v;
			return 0;
		}
	}
	return err_set(e, ERR_VALIDATION,
		       "Invalid format, expected a timestamp or an ISO date");
}

/* ---- stored value -> response JSON ------------------------------------ */

static json_t *
number_json(double d)
{
	if (!isfinite(d))
		return json_null();
	if (d == trunc(d) && fabs(d) <= MAX_SAFE_INTEGER)
		return json_integer((json_int_t)d);
	return json_real(d);
}

/* A stored TEXT read as a number; NaN when it is not one. */
static double
text_number(const char *s)
{
	char *end;
	double d;

	if (!*s || isspace((unsigned char)*s))
		return NAN;
	d = strtod(s, &end);
	return *end ? NAN : d;
}

static json_t *
text_json(const struct sqlval *v)
{
	char tmp[40];

	switch (v->kind) {
	case SV_TEXT:
		return json_text(v->s);
	case SV_INT:
		snprintf(tmp, sizeof(tmp), "%" PRId64, v->i);
		return json_string(tmp);
	case SV_REAL:
		snprintf(tmp, sizeof(tmp), "%.17g", v->d);
		return json_string(tmp);
	case SV_NULL:
		break;
	}
	return json_null();
}

static json_t *
integer_json(const struct sqlval *v)
{
	switch (v->kind) {
	case SV_INT:
		return json_integer(v->i);
	case SV_REAL:
		return number_json(v->d);
	case SV_TEXT:
		return number_json(text_number(v->s));
	case SV_NULL:
		break;
	}
	return json_null();
}

static json_t *
biginteger_json(const struct sqlval *v)
{
	char tmp[40];

	switch (v->kind) {
	case SV_INT:
		snprintf(tmp, sizeof(tmp), "%" PRId64, v->i);
		return json_string(tmp);
	case SV_REAL:
		if (!isfinite(v->d))
			return json_null();
		snprintf(tmp, sizeof(tmp), "%.0f", v->d);
		return json_string(tmp);
	case SV_TEXT:
		return json_text(v->s);
	case SV_NULL:
		break;
	}
	return json_null();
}

static json_t *
boolean_json(const struct sqlval *v)
{
	switch (v->kind) {
	case SV_INT:
		return json_boolean(v->i != 0);
	case SV_REAL:
		return json_boolean(v->d != 0);
	case SV_TEXT:
		return json_boolean(!strcmp(v->s, "true") ||
				    !strcmp(v->s, "t") || !strcmp(v->s, "1"));
	case SV_NULL:
		break;
	}
	return json_null();
}

static json_t *
ms_json(int64_t ms, bool date_only)
{
	char iso[32];

	time_iso8601(ms, iso);
	if (date_only)
		iso[10] = '\0';
	return json_string(iso);
}

static json_t *
datetime_json(const struct sqlval *v, bool date_only)
{
	int64_t ms;

	switch (v->kind) {
	case SV_INT:
		return ms_json(v->i, date_only);
	case SV_REAL:
		if (!isfinite(v->d) || fabs(v->d) > (double)MAX_DATE_MS)
			return json_null();
		return ms_json((int64_t)v->d, date_only);
	case SV_TEXT:
		if (date_only)
			return json_text(v->s);
		if (schema_parse_datetime(v->s, &ms, NULL) == 0)
			return ms_json(ms, false);
		return json_text(v->s);
	case SV_NULL:
		break;
	}
	return json_null();
}

static json_t *
stored_json(const struct sqlval *v)
{
	json_t *j;

	if (v->kind != SV_TEXT)
		return integer_json(v);
	j = json_loads(v->s, JSON_DECODE_ANY, NULL);
	return j ? j : json_text(v->s);
}

json_t *
schema_value_to_json(const struct field *f, const struct sqlval *v)
{
	if (!v || v->kind == SV_NULL)
		return json_null();
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_TEXT:
	case ATTR_RICHTEXT:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_ENUMERATION:
	case ATTR_PASSWORD:
	case ATTR_TIME:
		return text_json(v);
	case ATTR_INTEGER:
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return integer_json(v);
	case ATTR_BIGINTEGER:
		return biginteger_json(v);
	case ATTR_BOOLEAN:
		return boolean_json(v);
	case ATTR_DATE:
		return datetime_json(v, true);
	case ATTR_DATETIME:
		return datetime_json(v, false);
	case ATTR_JSON:
		return stored_json(v);
	}
	return json_null();
}

/* ---- filter values ---------------------------------------------------- */

static int
filter_int(const struct field *f, const char *s, struct sqlval *out,
	   struct err *e)
{
	const char *p = s;
	char q[80], *end;
	long long v;

	if (*p == '+' || *p == '-')
		p++;
	if (*p && digit_run(p, (int)strlen(p))) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (!errno && !*end) {
			out->kind = SV_INT;
			out->i = v;
			return 0;
		}
	}
	quote_value(s, q);
	return err_set(e, ERR_VALIDATION,
		       "Invalid value \"%s\" for %s: expected an integer", q,
		       f->name);
}

static int
filter_real(const struct field *f, const char *s, struct sqlval *out,
	    struct err *e)
{
	char q[80], *end;
	double d;

	/* digits, sign, point and exponent only: no hex, inf or nan */
	if (*s && strspn(s, "0123456789+-.eE") == strlen(s)) {
		d = strtod(s, &end);
		if (end != s && !*end && isfinite(d)) {
			out->kind = SV_REAL;
			out->d = d;
			return 0;
		}
	}
	quote_value(s, q);
	return err_set(e, ERR_VALIDATION,
		       "Invalid value \"%s\" for %s: expected a number", q,
		       f->name);
}

int
schema_filter_value(const struct field *f, const char *s, struct sqlval *out,
		    struct err *e)
{
	char buf[16];
	int64_t ms;
	int rc;

	memset(out, 0, sizeof(*out));
	switch (f->type) {
	case ATTR_STRING:
	case ATTR_TEXT:
	case ATTR_RICHTEXT:
	case ATTR_EMAIL:
	case ATTR_UID:
	case ATTR_ENUMERATION:
	case ATTR_PASSWORD:
	case ATTR_JSON:
		sqlval_set_text(out, s);
		return 0;
	case ATTR_INTEGER:
	case ATTR_BIGINTEGER:
		return filter_int(f, s, out, e);
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return filter_real(f, s, out, e);
	case ATTR_BOOLEAN:
		/* Strapi's cast: true/t/1, false/f/0, else truthiness */
		out->kind = SV_INT;
		if (!strcmp(s, "true") || !strcmp(s, "t") || !strcmp(s, "1"))
			out->i = 1;
		else if (!strcmp(s, "false") || !strcmp(s, "f") ||
			 !strcmp(s, "0"))
			out->i = 0;
		else
			out->i = *s != '\0';
		return 0;
	case ATTR_DATE:
		rc = schema_parse_date(s, buf, e);
		if (rc == 0)
			sqlval_set_text(out, buf);
		return rc;
	case ATTR_TIME:
		rc = schema_parse_time(s, buf, e);
		if (rc == 0)
			sqlval_set_text(out, buf);
		return rc;
	case ATTR_DATETIME:
		rc = schema_parse_datetime(s, &ms, e);
		if (rc == 0) {
			out->kind = SV_INT;
			out->i = ms;
		}
		return rc;
	}
	return err_set(e, ERR_VALIDATION, "Invalid key %s", f->name);
}
