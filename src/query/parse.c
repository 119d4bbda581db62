/* SPDX-License-Identifier: MIT */
/*
 * parse.c: Strapi's REST query parameters (a qs tree) checked against a
 * content type and turned into a struct query.
 *
 * Checks fire in Strapi 5's order: the key validation of filters, sort,
 * fields and populate ("Invalid key ..."); then the pagination mode; then
 * the conversions of sort, filters and fields; then the pagination numbers;
 * then the filter structure and values (which Strapi only meets inside the
 * query engine); withCount last. Where Strapi answers 500 we answer
 * ERR_VALIDATION with a plain message. Nothing here renders SQL.
 */
#include "core/compat.h"
#include "query/query.h"

#include <math.h>

#include "core/mem.h"

/* Number.MAX_SAFE_INTEGER: offsets beyond it are refused. */
#define MAX_SAFE_INT 9007199254740991.0

/* ---- small helpers ------------------------------------------------------ */

static bool
key_is(const char *key, size_t klen, const char *lit)
{
	return strlen(lit) == klen && !memcmp(key, lit, klen);
}

static const struct field *
find_field(const struct content_type *ct, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ct->n_fields; i++)
		if (key_is(name, len, ct->fields[i].name))
			return &ct->fields[i];
	return NULL;
}

/* Private attributes and passwords are neither filterable nor sortable. */
static bool
field_hidden(const struct field *f)
{
	return (f->flags & FIELD_PRIVATE) || f->type == ATTR_PASSWORD;
}

static json_t *
jstrn(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);

	return j ? j : json_null();
}

/*
 * Strapi's throwInvalidKey(): "Invalid key <key>[ at <path>]" with details
 * {key, path, source: "query", param}. The " at" part is left out when the
 * path is the key itself.
 */
static int
invalid_key(struct err *e, const char *param, const char *key, size_t klen,
	    const char *path)
{
	json_t *d = json_object();
	int klen_i = klen > 256 ? 256 : (int)klen;

	json_object_set_new(d, "key", jstrn(key, klen));
	json_object_set_new(d, "path", path ? json_string(path) : json_null());
	json_object_set_new(d, "source", json_string("query"));
	json_object_set_new(d, "param", json_string(param));
	if (path && !key_is(key, klen, path))
		return err_set_details_new(e, ERR_VALIDATION, d,
					   "Invalid key %.*s at %s", klen_i,
					   key, path);
	return err_set_details_new(e, ERR_VALIDATION, d, "Invalid key %.*s",
				   klen_i, key);
}

/* Keys of an object, with their lengths (keys may hold NUL bytes). */
#define OBJECT_FOREACH(obj, it, key, klen, val)                                \
	for ((it) = json_object_iter(obj);                                     \
	     (it) && ((key) = json_object_iter_key(it),                        \
		     (klen) = json_object_iter_key_len(it),                    \
		     (val) = json_object_iter_value(it), 1);                   \
	     (it) = json_object_iter_next((obj), (it)))

/* Whether every key of 'obj' is a canonical array index (qs's overflow). */
static bool
index_keyed(json_t *obj)
{
	const char *key;
	json_t *val;
	size_t klen, i;
	void *it;

	if (!json_object_size(obj))
		return false;
	OBJECT_FOREACH(obj, it, key, klen, val) {
		(void)val;
		if (!klen || klen > 10 || (klen > 1 && key[0] == '0'))
			return false;
		for (i = 0; i < klen; i++)
			if (key[i] < '0' || key[i] > '9')
				return false;
	}
	return true;
}

/* ---- JavaScript numbers ------------------------------------------------- */

/* Length of a JavaScript white-space / line-terminator character at 's'. */
static size_t
js_space(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2; /* U+00A0 */
	if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3; /* U+FEFF */
	if (n >= 3 && s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3; /* U+1680 */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 ||
	     s[2] == 0xaf))
		return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3; /* U+205F */
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

static double
js_radix(const char *s, size_t n, int radix)
{
	double v = 0;
	size_t i;
	int d;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'z')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			d = s[i] - 'A' + 10;
		else
			return NAN;
		if (d >= radix)
			return NAN;
		v = v * radix + d;
	}
	return v;
}

/* JavaScript's Number(string): trimmed, "" is 0, hex/octal/binary, exp. */
static double
js_str_number(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t b = 0, e = len, k, i, digits = 0;
	char *tmp;
	double v;

	while (b < e && (k = js_space(s + b, e - b)))
		b += k;
	while (e > b) {
		/* trailing white space: test each possible width */
		if (js_space(s + e - 1, 1) == 1)
			e -= 1;
		else if (e - b >= 2 && js_space(s + e - 2, 2) == 2)
			e -= 2;
		else if (e - b >= 3 && js_space(s + e - 3, 3) == 3)
			e -= 3;
		else
			break;
	}
	str += b;
	len = e - b;
	if (!len)
		return 0;
	if (len > 2 && str[0] == '0') {
		if (str[1] == 'x' || str[1] == 'X')
			return js_radix(str + 2, len - 2, 16);
		if (str[1] == 'o' || str[1] == 'O')
			return js_radix(str + 2, len - 2, 8);
		if (str[1] == 'b' || str[1] == 'B')
			return js_radix(str + 2, len - 2, 2);
	}
	i = 0;
	if (str[0] == '+' || str[0] == '-')
		i++;
	if (len - i == 8 && !memcmp(str + i, "Infinity", 8))
		return str[0] == '-' ? -INFINITY : INFINITY;
	/* StrDecimalLiteral: digits [. digits] | . digits, [eE][+-]digits */
	while (i < len && str[i] >= '0' && str[i] <= '9') {
		i++;
		digits++;
	}
	if (i < len && str[i] == '.') {
		i++;
		while (i < len && str[i] >= '0' && str[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (!digits)
		return NAN;
	if (i < len && (str[i] == 'e' || str[i] == 'E')) {
		i++;
		if (i < len && (str[i] == '+' || str[i] == '-'))
			i++;
		if (i >= len || str[i] < '0' || str[i] > '9')
			return NAN;
		while (i < len && str[i] >= '0' && str[i] <= '9')
			i++;
	}
	if (i != len)
		return NAN;
	tmp = xstrndup(str, len);
	v = strtod(tmp, NULL);
	free(tmp);
	return v;
}

/*
 * lodash toNumber() of a qs value: a string as above; an array goes through
 * its string form (["2"] is "2", two or more elements hold a comma); an
 * object is "[object Object]".
 */
static double
js_number(json_t *v)
{
	if (json_is_string(v))
		return js_str_number(json_string_value(v),
				     json_string_length(v));
	if (json_is_array(v)) {
		if (json_array_size(v) == 0)
			return 0;
		if (json_array_size(v) == 1)
			return js_number(json_array_get(v, 0));
	}
	return NAN;
}

/* Math.max(a, b): NaN wins. */
static double
js_max(double a, double b)
{
	if (isnan(a) || isnan(b))
		return NAN;
	return a > b ? a : b;
}

static bool
js_is_integer(double v)
{
	return isfinite(v) && floor(v) == v;
}

/* Number.prototype.toString() for a double, into 'out'. */
static void
js_number_fmt(double v, char out[40])
{
	char tmp[40], digits[24], *p;
	int prec, exp10, n, k, i, pos = 0;

	if (isnan(v)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(v)) {
		strcpy(out, v < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (v == 0) {
		strcpy(out, "0");
		return;
	}
	if (v < 0) {
		out[pos++] = '-';
		v = -v;
	}
	/* the shortest digit string that reads back as 'v' */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	k = 0;
	for (p = tmp; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	exp10 = atoi(p + 1);
	n = exp10 + 1; /* position of the decimal point */
	if (k <= n && n <= 21) {
		pos += snprintf(out + pos, 40 - (size_t)pos, "%s", digits);
		for (i = k; i < n; i++)
			out[pos++] = '0';
		out[pos] = '\0';
	} else if (0 < n && n <= 21) {
		snprintf(out + pos, 40 - (size_t)pos, "%.*s.%s", n, digits,
			 digits + n);
	} else if (-6 < n && n <= 0) {
		out[pos++] = '0';
		out[pos++] = '.';
		for (i = 0; i < -n; i++)
			out[pos++] = '0';
		snprintf(out + pos, 40 - (size_t)pos, "%s", digits);
	} else {
		snprintf(out + pos, 40 - (size_t)pos, "%c%s%.*se%c%d",
			 digits[0], k > 1 ? "." : "", k - 1, digits + 1,
			 n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
}

/* ---- filters ------------------------------------------------------------ */

enum op_flags {
	OPF_CAST = 1 << 0,  /* the value is cast to the attribute's type */
	OPF_ARRAY = 1 << 1, /* takes a list ($in, $notIn, $between) */
	OPF_BOOL = 1 << 2,  /* takes a boolean ($null, $notNull) */
};

struct op_def {
	const char *name;
	enum filter_op op;
	unsigned flags;
};

static const struct op_def op_defs[] = {
    {"$eq", OP_EQ, OPF_CAST},
    {"$eqi", OP_EQI, 0},
    {"$ne", OP_NE, OPF_CAST},
    {"$nei", OP_NEI, 0},
    {"$lt", OP_LT, OPF_CAST},
    {"$lte", OP_LTE, OPF_CAST},
    {"$gt", OP_GT, OPF_CAST},
    {"$gte", OP_GTE, OPF_CAST},
    {"$in", OP_IN, OPF_CAST | OPF_ARRAY},
    {"$notIn", OP_NOTIN, OPF_CAST | OPF_ARRAY},
    {"$contains", OP_CONTAINS, 0},
    {"$notContains", OP_NOTCONTAINS, 0},
    {"$containsi", OP_CONTAINSI, 0},
    {"$notContainsi", OP_NOTCONTAINSI, 0},
    {"$startsWith", OP_STARTSWITH, 0},
    {"$startsWithi", OP_STARTSWITHI, 0},
    {"$endsWith", OP_ENDSWITH, 0},
    {"$endsWithi", OP_ENDSWITHI, 0},
    {"$null", OP_NULL, OPF_BOOL},
    {"$notNull", OP_NOTNULL, OPF_BOOL},
    {"$between", OP_BETWEEN, OPF_CAST | OPF_ARRAY},
};

static const struct op_def *
find_op(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(op_defs); i++)
		if (key_is(key, klen, op_defs[i].name))
			return &op_defs[i];
	return NULL;
}

/* Strapi's operator list also has this one, for internal use only. */
static bool
is_unsupported_op(const char *key, size_t klen)
{
	return key_is(key, klen, "$jsonSupersetOf");
}

static struct filter *
filter_new(enum filter_kind kind)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->kind = kind;
	return f;
}

static void
filter_free(struct filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n_children; i++)
		filter_free(f->children[i]);
	free(f->children);
	for (i = 0; i < f->n_values; i++)
		sqlval_release(&f->values[i]);
	free(f->values);
	free(f);
}

/* Append 'child' (stolen; NULL, "no condition", is skipped). */
static void
filter_add(struct filter *parent, struct filter *child)
{
	if (!child)
		return;
	parent->children =
	    xrealloc(parent->children,
		     (parent->n_children + 1) * sizeof(*parent->children));
	parent->children[parent->n_children++] = child;
}

/* A group with no child is no condition; with one child, that child. */
static struct filter *
group_finish(struct filter *g)
{
	struct filter *only;

	if (!g)
		return NULL;
	if (g->n_children == 0) {
		filter_free(g);
		return NULL;
	}
	if (g->n_children == 1 && g->kind != FILTER_NOT) {
		only = g->children[0];
		g->n_children = 0;
		filter_free(g);
		return only;
	}
	return g;
}

static struct filter *
negate(struct filter *child)
{
	struct filter *n;

	if (!child)
		return NULL;
	n = filter_new(FILTER_NOT);
	filter_add(n, child);
	return n;
}

struct fctx {
	const struct content_type *ct;
	const struct query_limits *lim;
	/*
	 * Validation pass (Strapi's validateQuery): only keys are checked and
	 * nothing is built; structure and value errors wait for the build pass.
	 */
	bool validate;
	size_t n_conds;
	struct err *e;
};

static int
check_depth(struct fctx *c, size_t depth)
{
	if (depth > c->lim->max_filter_depth)
		return err_set(c->e, ERR_VALIDATION,
			       "Filters are nested too deeply");
	return 0;
}

static int
count_cond(struct fctx *c)
{
	if (++c->n_conds > c->lim->max_filter_nodes)
		return err_set(c->e, ERR_VALIDATION,
			       "Too many filter conditions");
	return 0;
}

/* $null / $notNull: true, t, 1 are true; false, f, 0, "" false; else true. */
static bool
loose_bool(const char *s)
{
	return !(!strcmp(s, "false") || !strcmp(s, "f") || !strcmp(s, "0") ||
		 !*s);
}

static int
bad_value(struct fctx *c, const struct op_def *op, const struct field *f)
{
	return err_set(c->e, ERR_VALIDATION,
		       "Invalid value for operator %s on %s", op->name,
		       f->name);
}

/* Convert one filter value for 'op' on 'f' into 'out' (zeroed). */
static int
convert_value(struct fctx *c, const struct field *f, const struct op_def *op,
	      json_t *v, struct sqlval *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (!(op->flags & OPF_CAST)) {
		/* LIKE and case-insensitive operators compare text as given */
		out->kind = SV_TEXT;
		out->s = xstrdup(json_string_value(v));
		return 0;
	}
	ret = schema_filter_value(f, json_string_value(v), out, c->e);
	if (ret < 0 && c->e && !c->e->code)
		err_set(c->e, ret, "Invalid value for %s", f->name);
	return ret;
}

/* One condition 'op' on 'f' with the values 'vals[0..n)' (strings). */
static int
make_cond(struct fctx *c, const struct field *f, const struct op_def *op,
	  json_t *const *vals, size_t n, struct filter **out)
{
	struct filter *cond;
	size_t i;
	int ret;

	*out = NULL;
	ret = count_cond(c);
	if (ret || c->validate)
		return ret;
	cond = filter_new(FILTER_COND);
	cond->field = f;
	cond->op = op->op;
	if (op->flags & OPF_BOOL) {
		cond->flag = loose_bool(json_string_value(vals[0]));
	} else {
		cond->values = xcalloc(n ? n : 1, sizeof(*cond->values));
		for (i = 0; i < n; i++) {
			ret =
			    convert_value(c, f, op, vals[i], &cond->values[i]);
			cond->n_values = i + 1;
			if (ret) {
				filter_free(cond);
				return ret;
			}
		}
	}
	*out = cond;
	return 0;
}

/* The strings of an array value, or false when an element is not one. */
static bool
array_strings(json_t *arr, json_t ***vals, size_t *n)
{
	size_t i;

	*n = json_array_size(arr);
	*vals = xcalloc(*n ? *n : 1, sizeof(**vals));
	for (i = 0; i < *n; i++) {
		(*vals)[i] = json_array_get(arr, i);
		if (!json_is_string((*vals)[i])) {
			free(*vals);
			*vals = NULL;
			return false;
		}
	}
	return true;
}

/* "<field>[<op>]=<val>" */
static int
column_op(struct fctx *c, const struct field *f, const struct op_def *op,
	  json_t *val, struct filter **out)
{
	static const struct op_def in_op = {"$in", OP_IN, OPF_CAST | OPF_ARRAY};
	struct filter *group, *child;
	json_t **vals = NULL;
	size_t n, i;
	int ret = 0;

	*out = NULL;
	if (json_is_string(val)) {
		if (op->op == OP_BETWEEN) {
			if (c->validate)
				return 0;
			return err_set(
			    c->e, ERR_VALIDATION,
			    "Operator $between requires exactly 2 values");
		}
		return make_cond(c, f, op, &val, 1, out);
	}
	if (json_is_object(val)) {
		/* $in: {"a": ...} or an index beyond qs's array limit */
		if (c->validate || op->op == OP_IN || op->op == OP_NOTIN)
			return 0;
		if (op->op == OP_BETWEEN)
			return err_set(
			    c->e, ERR_VALIDATION,
			    "Operator $between requires exactly 2 values");
		return bad_value(c, op, f);
	}
	if (!json_is_array(val) || !array_strings(val, &vals, &n))
		return c->validate ? 0 : bad_value(c, op, f);
	if (op->flags & OPF_ARRAY) {
		if (op->op == OP_BETWEEN && n != 2) {
			if (!c->validate)
				ret = err_set(c->e, ERR_VALIDATION,
					      "Operator $between requires "
					      "exactly 2 values");
			goto out;
		}
		ret = make_cond(c, f, op, vals, n, out);
		goto out;
	}
	if (op->op == OP_EQ) {
		/* $eq with a list is IN */
		ret = make_cond(c, f, &in_op, vals, n, out);
		goto out;
	}
	/* any other operator with a list: one condition per value, ORed */
	group = c->validate ? NULL : filter_new(FILTER_OR);
	for (i = 0; i < n; i++) {
		ret = make_cond(c, f, op, &vals[i], 1, &child);
		if (ret) {
			filter_free(group);
			goto out;
		}
		if (group)
			filter_add(group, child);
	}
	*out = group_finish(group);
out:
	free(vals);
	return ret;
}

/* The value of "filters[<field>]": a string, a list or operators. */
static int
column_where(struct fctx *c, const struct field *f, json_t *val, size_t depth,
	     struct filter **out)
{
	static const struct op_def eq = {"$eq", OP_EQ, OPF_CAST};
	struct filter *group = NULL, *child;
	const struct op_def *op;
	const char *key;
	json_t *v;
	size_t klen;
	void *it;
	int ret;

	*out = NULL;
	ret = check_depth(c, depth);
	if (ret)
		return ret;
	if (json_is_string(val) || json_is_array(val))
		return column_op(c, f, &eq, val, out);
	if (!json_is_object(val))
		return c->validate ? 0 : bad_value(c, &eq, f);
	if (!c->validate)
		group = filter_new(FILTER_AND);
	OBJECT_FOREACH(val, it, key, klen, v) {
		child = NULL;
		op = find_op(key, klen);
		if (op) {
			ret = column_op(c, f, op, v, &child);
		} else if (key_is(key, klen, "$not")) {
			ret = column_where(c, f, v, depth + 1, &child);
			child = negate(child);
		} else if (key_is(key, klen, "$and") ||
			   key_is(key, klen, "$or") ||
			   is_unsupported_op(key, klen)) {
			/* operators, so they pass validation; the engine
			 * refuses them on an attribute */
			if (!c->validate)
				ret = err_set(
				    c->e, ERR_VALIDATION,
				    "Undefined attribute level operator %.*s",
				    (int)klen, key);
		} else {
			ret = invalid_key(c->e, "filters", key, klen, f->name);
		}
		if (ret) {
			filter_free(group);
			return ret;
		}
		if (group)
			filter_add(group, child);
	}
	*out = group_finish(group);
	return 0;
}

static int filter_value(struct fctx *c, json_t *val, size_t depth,
			struct filter **out);

/* $and / $or: a list of filters (an array, or an object keyed "0", "1"...). */
static int
logical_list(struct fctx *c, const char *name, enum filter_kind kind,
	     json_t *val, size_t depth, struct filter **out)
{
	struct filter *group = NULL, *child;
	const char *key;
	json_t *v;
	size_t klen, i;
	void *it;
	int ret;

	*out = NULL;
	ret = check_depth(c, depth);
	if (ret)
		return ret;
	if (!c->validate)
		group = filter_new(kind);
	if (json_is_array(val)) {
		for (i = 0; i < json_array_size(val); i++) {
			ret = filter_value(c, json_array_get(val, i), depth,
					   &child);
			if (ret)
				goto fail;
			if (group)
				filter_add(group, child);
		}
	} else if (json_is_object(val) && index_keyed(val)) {
		OBJECT_FOREACH(val, it, key, klen, v) {
			(void)key;
			(void)klen;
			ret = filter_value(c, v, depth, &child);
			if (ret)
				goto fail;
			if (group)
				filter_add(group, child);
		}
	} else if (c->validate) {
		/* Strapi's validation walks it as a filter all the same */
		if (json_is_object(val))
			return filter_value(c, val, depth, &child);
		return 0;
	} else {
		ret = err_set(c->e, ERR_VALIDATION,
			      "Operator %s must be an array", name);
		goto fail;
	}
	*out = group_finish(group);
	return 0;
fail:
	filter_free(group);
	return ret;
}

/* A filter object: each key is an attribute or $and / $or / $not, ANDed. */
static int
filter_object(struct fctx *c, json_t *obj, size_t depth, struct filter **out)
{
	struct filter *group = NULL, *child;
	const struct field *f;
	const char *key;
	json_t *v;
	size_t klen;
	void *it;
	int ret = 0;

	*out = NULL;
	if (!c->validate)
		group = filter_new(FILTER_AND);
	OBJECT_FOREACH(obj, it, key, klen, v) {
		child = NULL;
		if (key_is(key, klen, "$and")) {
			ret = logical_list(c, "$and", FILTER_AND, v, depth + 1,
					   &child);
		} else if (key_is(key, klen, "$or")) {
			ret = logical_list(c, "$or", FILTER_OR, v, depth + 1,
					   &child);
		} else if (key_is(key, klen, "$not")) {
			ret = filter_value(c, v, depth + 1, &child);
			child = negate(child);
		} else if (find_op(key, klen) || is_unsupported_op(key, klen)) {
			if (!c->validate)
				ret = err_set(
				    c->e, ERR_VALIDATION,
				    "Only $and, $or and $not can be used as "
				    "root level operators. Found %.*s",
				    (int)klen, key);
		} else if (!(f = find_field(c->ct, key, klen))) {
			ret = invalid_key(c->e, "filters", key, klen, NULL);
		} else if (field_hidden(f)) {
			ret = invalid_key(c->e, "filters", key, klen, f->name);
		} else {
			ret = column_where(c, f, v, depth + 1, &child);
		}
		if (ret) {
			filter_free(child);
			filter_free(group);
			return ret;
		}
		if (group)
			filter_add(group, child);
	}
	*out = group_finish(group);
	return 0;
}

/* Where a filter is expected: an object, or a list of them (ANDed). */
static int
filter_value(struct fctx *c, json_t *val, size_t depth, struct filter **out)
{
	struct filter *group = NULL, *child;
	size_t i;
	int ret;

	*out = NULL;
	ret = check_depth(c, depth);
	if (ret)
		return ret;
	if (json_is_object(val))
		return filter_object(c, val, depth, out);
	if (!json_is_array(val)) {
		if (c->validate)
			return 0;
		return err_set(c->e, ERR_VALIDATION,
			       "Filter conditions must be objects");
	}
	if (!c->validate)
		group = filter_new(FILTER_AND);
	for (i = 0; i < json_array_size(val); i++) {
		ret =
		    filter_value(c, json_array_get(val, i), depth + 1, &child);
		if (ret) {
			filter_free(group);
			return ret;
		}
		if (group)
			filter_add(group, child);
	}
	*out = group_finish(group);
	return 0;
}

static int
parse_filters(const struct content_type *ct, const struct query_limits *lim,
	      json_t *filters, bool validate, struct filter **out,
	      struct err *e)
{
	struct fctx c = {ct, lim, validate, 0, e};

	*out = NULL;
	if (!json_is_object(filters) && !json_is_array(filters)) {
		if (validate)
			return 0;
		return err_set(
		    e, ERR_VALIDATION,
		    "The filters parameter must be an object or an array");
	}
	return filter_value(&c, filters, 0, out);
}

/* ---- sort --------------------------------------------------------------- */

struct sctx {
	const struct content_type *ct;
	bool validate;
	struct sort_key *keys;
	size_t n;
	struct err *e;
};

static int
invalid_order(struct err *e)
{
	return err_set(
	    e, ERR_VALIDATION,
	    "Invalid order. order can only be one of asc|desc|ASC|DESC");
}

static int
invalid_sort(struct err *e)
{
	return err_set(e, ERR_VALIDATION,
		       "Invalid sort parameter. Expected a string, an array of "
		       "strings, a sort object or an array of sort objects");
}

/* "asc" / "desc" in any case, as Strapi lower-cases the order first. */
static int
parse_order(const char *s, size_t len, bool *desc)
{
	if (len == 3 && !strncasecmp(s, "asc", 3)) {
		*desc = false;
		return 0;
	}
	if (len == 4 && !strncasecmp(s, "desc", 4)) {
		*desc = true;
		return 0;
	}
	return -1;
}

/*
 * The sort key 'name' (with 'dotted', a path into a field, as lodash's
 * set() reads the string forms). Validates in either pass; the build pass
 * also appends it.
 */
static int
sort_field(struct sctx *c, const char *name, size_t len, bool dotted, bool desc)
{
	const struct field *f;
	const char *dot = dotted ? memchr(name, '.', len) : NULL;
	size_t head = dot ? (size_t)(dot - name) : len, rest, i;
	const char *sub, *end;

	f = find_field(c->ct, name, head);
	if (!f)
		return invalid_key(c->e, "sort", name, head, NULL);
	if (field_hidden(f))
		return invalid_key(c->e, "sort", name, head, f->name);
	if (dot) {
		/* a nested sort on a scalar attribute */
		sub = dot + 1;
		rest = len - head - 1;
		end = memchr(sub, '.', rest);
		return invalid_key(c->e, "sort", sub,
				   end ? (size_t)(end - sub) : rest, f->name);
	}
	if (c->validate)
		return 0;
	/*
	 * A column already sorted on decides nothing more, so a repeat is
	 * dropped; this also bounds the keys by the number of fields.
	 */
	for (i = 0; i < c->n; i++)
		if (c->keys[i].field == f)
			return 0;
	c->keys = xrealloc(c->keys, (c->n + 1) * sizeof(*c->keys));
	c->keys[c->n].field = f;
	c->keys[c->n].desc = desc;
	c->n++;
	return 0;
}

/* One "field[:order[:ignored]]" item of a sort string. */
static int
sort_item(struct sctx *c, const char *item, size_t len)
{
	const char *colon = memchr(item, ':', len), *ord, *end;
	size_t flen = colon ? (size_t)(colon - item) : len, olen;
	bool desc = false;

	if (flen == 0) {
		if (c->validate)
			return 0;
		return err_set(c->e, ERR_VALIDATION,
			       "Sort field cannot be empty");
	}
	if (colon && !c->validate) {
		ord = colon + 1;
		olen = len - flen - 1;
		end = memchr(ord, ':', olen);
		if (end)
			olen = (size_t)(end - ord);
		if (parse_order(ord, olen, &desc))
			return invalid_order(c->e);
	}
	return sort_field(c, item, flen, true, desc);
}

/* "a,b:desc": empty items are skipped. */
static int
sort_string(struct sctx *c, const char *s, size_t len)
{
	const char *comma;
	size_t ilen;
	int ret;

	for (;;) {
		comma = memchr(s, ',', len);
		ilen = comma ? (size_t)(comma - s) : len;
		if (ilen) {
			ret = sort_item(c, s, ilen);
			if (ret)
				return ret;
		}
		if (!comma)
			return 0;
		len -= ilen + 1;
		s = comma + 1;
	}
}

/* {"price": "desc"} */
static int
sort_object(struct sctx *c, json_t *obj)
{
	const struct field *f;
	const char *key, *sub;
	json_t *v;
	size_t klen;
	bool desc;
	void *it;
	int ret;

	OBJECT_FOREACH(obj, it, key, klen, v) {
		if (json_is_object(v)) {
			/* a nested sort: only relations have one */
			f = find_field(c->ct, key, klen);
			if (!f)
				return invalid_key(c->e, "sort", key, klen,
						   NULL);
			if (field_hidden(f))
				return invalid_key(c->e, "sort", key, klen,
						   f->name);
			it = json_object_iter(v);
			if (!it)
				continue;
			sub = json_object_iter_key(it);
			return invalid_key(c->e, "sort", sub,
					   json_object_iter_key_len(it),
					   f->name);
		}
		if (!json_is_string(v)) {
			/* "sort[price][]=desc" */
			if (!c->validate)
				return invalid_sort(c->e);
			ret = sort_field(c, key, klen, false, false);
			if (ret)
				return ret;
			continue;
		}
		desc = false;
		if (!c->validate && parse_order(json_string_value(v),
						json_string_length(v), &desc))
			return invalid_order(c->e);
		ret = sort_field(c, key, klen, false, desc);
		if (ret)
			return ret;
	}
	return 0;
}

static int
parse_sort(const struct content_type *ct, json_t *sort, bool validate,
	   struct query *q, struct err *e)
{
	struct sctx c = {ct, validate, NULL, 0, e};
	json_t *v;
	size_t i;
	int ret = 0;

	if (json_is_string(sort)) {
		ret = sort_string(&c, json_string_value(sort),
				  json_string_length(sort));
	} else if (json_is_array(sort)) {
		json_array_foreach(sort, i, v) {
			if (json_is_string(v))
				ret = sort_string(&c, json_string_value(v),
						  json_string_length(v));
			else if (json_is_object(v))
				ret = sort_object(&c, v);
			else if (!validate)
				ret = invalid_sort(e);
			if (ret)
				break;
		}
	} else if (json_is_object(sort)) {
		ret = sort_object(&c, sort);
	} else if (!validate) {
		ret = invalid_sort(e);
	}
	if (ret || validate) {
		free(c.keys);
		return ret;
	}
	q->sort = c.keys;
	q->n_sort = c.n;
	return 0;
}

/* ---- fields ------------------------------------------------------------- */

static int
invalid_fields(struct err *e)
{
	return err_set(e, ERR_VALIDATION,
		       "Invalid fields parameter. Expected a string or an "
		       "array of strings");
}

static bool
is_trim_space(char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/*
 * One comma-separated fields string. In the validation pass unknown names
 * fail; in the build pass they are appended (without duplicates) and '*'
 * sets '*all'.
 */
static int
fields_string(const struct content_type *ct, const char *s, size_t len,
	      bool validate, struct query *q, bool *all, struct err *e)
{
	const struct field *f;
	const char *item, *comma;
	size_t ilen, i;

	for (;;) {
		comma = memchr(s, ',', len);
		item = s;
		ilen = comma ? (size_t)(comma - s) : len;
		while (ilen && is_trim_space(*item)) {
			item++;
			ilen--;
		}
		while (ilen && is_trim_space(item[ilen - 1]))
			ilen--;
		if (ilen == 1 && *item == '*') {
			*all = true;
		} else if (ilen == 0) {
			if (!validate)
				return err_set(e, ERR_VALIDATION,
					       "Invalid fields parameter. "
					       "Field names cannot be empty");
		} else {
			f = find_field(ct, item, ilen);
			if (!f || field_hidden(f))
				return invalid_key(e, "fields", item, ilen,
						   NULL);
			for (i = 0; !validate && i < q->n_fields; i++)
				if (q->fields[i] == f)
					break;
			if (!validate && i == q->n_fields) {
				q->fields =
				    xrealloc(q->fields, (q->n_fields + 1) *
							    sizeof(*q->fields));
				q->fields[q->n_fields++] = f;
			}
		}
		if (!comma)
			return 0;
		len -= (size_t)(comma - s) + 1;
		s = comma + 1;
	}
}

static int
parse_fields(const struct content_type *ct, json_t *fields, bool validate,
	     struct query *q, struct err *e)
{
	bool all = false;
	json_t *v;
	size_t i;
	int ret = 0;

	if (json_is_string(fields)) {
		ret = fields_string(ct, json_string_value(fields),
				    json_string_length(fields), validate, q,
				    &all, e);
	} else if (json_is_array(fields)) {
		json_array_foreach(fields, i, v) {
			if (!json_is_string(v)) {
				if (validate)
					continue;
				ret = invalid_fields(e);
				break;
			}
			ret = fields_string(ct, json_string_value(v),
					    json_string_length(v), validate, q,
					    &all, e);
			if (ret)
				break;
		}
	} else if (!validate) {
		ret = invalid_fields(e);
	}
	if (ret || validate || all) {
		free(q->fields);
		q->fields = NULL;
		q->n_fields = 0;
	}
	return ret;
}

/* ---- populate ----------------------------------------------------------- */

/* There are no relations, so every named key is unknown; '*' is fine. */
static int
populate_name(const char *s, size_t len, struct err *e)
{
	const char *comma, *item;
	size_t ilen;

	for (;;) {
		comma = memchr(s, ',', len);
		item = s;
		ilen = comma ? (size_t)(comma - s) : len;
		if (ilen && !(ilen == 1 && *item == '*')) {
			json_t *d = json_object();
			int n = ilen > 256 ? 256 : (int)ilen;

			json_object_set_new(d, "key", jstrn(item, ilen));
			json_object_set_new(d, "path", jstrn(item, ilen));
			json_object_set_new(d, "source", json_string("query"));
			json_object_set_new(d, "param",
					    json_string("populate"));
			return err_set_details_new(e, ERR_VALIDATION, d,
						   "Invalid key %.*s", n, item);
		}
		if (!comma)
			return 0;
		len -= ilen + 1;
		s = comma + 1;
	}
}

static int
parse_populate(json_t *populate, struct err *e)
{
	const char *key;
	json_t *v;
	size_t klen, i;
	void *it;
	int ret = 0;

	if (json_is_string(populate))
		return populate_name(json_string_value(populate),
				     json_string_length(populate), e);
	if (json_is_array(populate)) {
		json_array_foreach(populate, i, v) {
			if (json_is_string(v))
				ret = populate_name(json_string_value(v),
						    json_string_length(v), e);
			else if (json_is_object(v))
				ret = parse_populate(v, e);
			if (ret)
				return ret;
		}
		return 0;
	}
	OBJECT_FOREACH(populate, it, key, klen, v) {
		(void)v;
		if (klen == 1 && *key == '*')
			continue;
		ret = populate_name(key, klen, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- pagination --------------------------------------------------------- */

struct pg_raw {
	json_t *page, *page_size, *start, *limit, *with_count;
};

static void
pg_raw_get(json_t *params, struct pg_raw *r)
{
	json_t *p = json_object_get(params, "pagination");

	memset(r, 0, sizeof(*r));
	if (!json_is_object(p))
		return; /* pagination=abc is ignored */
	r->page = json_object_get(p, "page");
	r->page_size = json_object_get(p, "pageSize");
	r->start = json_object_get(p, "start");
	r->limit = json_object_get(p, "limit");
	r->with_count = json_object_get(p, "withCount");
}

static int
pg_check_start(double start, struct err *e)
{
	char num[40];

	if (!js_is_integer(start) || start < 0) {
		js_number_fmt(start, num);
		return err_set(e, ERR_VALIDATION,
			       "convertStartQueryParams expected a positive "
			       "integer got %s",
			       num);
	}
	if (start > MAX_SAFE_INT)
		return err_set(e, ERR_VALIDATION,
			       "Pagination offset is too large");
	return 0;
}

static int
pg_check_limit(double limit, struct err *e)
{
	char num[40];

	if (!js_is_integer(limit) || limit < 0) {
		js_number_fmt(limit, num);
		return err_set(e, ERR_VALIDATION,
			       "convertLimitQueryParams expected a positive "
			       "integer got %s",
			       num);
	}
	return 0;
}

/* pageSize / limit: at least 1, at most the maximum; NaN is the maximum. */
static double
pg_clamp_size(json_t *raw, const struct query_limits *lim)
{
	double v = raw ? js_number(raw) : (double)lim->default_page_size;

	v = js_max(1, v);
	if (lim->max_page_size >= 1 && !(v < (double)lim->max_page_size))
		v = (double)lim->max_page_size;
	if (isnan(v) || isinf(v))
		v = (double)lim->default_page_size;
	return v;
}

static int
pg_values(const struct pg_raw *r, const struct query_limits *lim,
	  struct pagination *pg, struct err *e)
{
	double page, size, start;
	int ret;

	if (r->start || r->limit) {
		pg->offset_mode = true;
		start = r->start ? js_max(0, js_number(r->start)) : 0;
		size = pg_clamp_size(r->limit, lim);
		ret = pg_check_start(start, e);
		if (!ret)
			ret = pg_check_limit(size, e);
		if (ret)
			return ret;
		pg->start = (int64_t)start;
		pg->limit = (int64_t)size;
		return 0;
	}
	pg->offset_mode = false;
	page = r->page ? js_max(1, js_number(r->page)) : 1;
	size = pg_clamp_size(r->page_size, lim);
	/* Strapi checks the offset it derives: page=1.5 reports 12.5 */
	start = (page - 1) * size;
	ret = pg_check_start(start, e);
	if (!ret)
		ret = pg_check_limit(size, e);
	if (ret)
		return ret;
	/*
	 * A fractional page whose offset is whole (page=1.5, pageSize=2) is
	 * taken as its integer part; Strapi would echo 1.5 and skip 1 row.
	 */
	pg->page = (int64_t)page;
	pg->page_size = (int64_t)size;
	pg->start = 0;
	pg->limit = pg->page_size;
	return 0;
}

static int
pg_with_count(const struct pg_raw *r, const struct query_limits *lim,
	      struct pagination *pg, struct err *e)
{
	const char *s;

	pg->with_count = lim->default_with_count;
	if (!r->with_count)
		return 0;
	s = json_string_value(r->with_count);
	if (s && (!strcmp(s, "true") || !strcmp(s, "t") || !strcmp(s, "1"))) {
		pg->with_count = true;
		return 0;
	}
	if (s && (!strcmp(s, "false") || !strcmp(s, "f") || !strcmp(s, "0"))) {
		pg->with_count = false;
		return 0;
	}
	return err_set(e, ERR_VALIDATION,
		       "Invalid withCount parameter. Expected "
		       "\"t\",\"1\",\"true\",\"false\",\"0\",\"f\"");
}

/* ---- the query ---------------------------------------------------------- */

void
query_init(struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->pg.page = 1;
	q->pg.page_size = 25;
	q->pg.start = 0;
	q->pg.limit = 25;
	q->pg.with_count = true;
	q->status = STATUS_PUBLISHED;
	q->status_given = false;
	q->has_published = -1;
}

void
query_release(struct query *q)
{
	filter_free(q->filter);
	free(q->sort);
	free(q->fields);
	query_init(q);
}

int
query_parse(const struct content_type *ct, json_t *params,
	    const struct query_limits *lim, struct query *q, struct err *e)
{
	static const struct query_limits defaults = QUERY_LIMITS_DEFAULT;
	struct query t;
	struct pg_raw raw;
	struct filter *scratch = NULL;
	json_t *filters, *sort, *fields, *populate, *status, *hpv;
	const char *s;
	int ret;

	if (!lim)
		lim = &defaults;
	query_init(&t);
	t.pg.page_size = lim->default_page_size;
	t.pg.limit = lim->default_page_size;
	t.pg.with_count = lim->default_with_count;
	if (!json_is_object(params))
		params = NULL;
	filters = json_object_get(params, "filters");
	sort = json_object_get(params, "sort");
	fields = json_object_get(params, "fields");
	populate = json_object_get(params, "populate");
	pg_raw_get(params, &raw);

	/* 1. key validation (Strapi's validateQuery) */
	ret = filters ? parse_filters(ct, lim, filters, true, &scratch, e) : 0;
	if (!ret && sort)
		ret = parse_sort(ct, sort, true, &t, e);
	if (!ret && fields)
		ret = parse_fields(ct, fields, true, &t, e);
	if (!ret && populate)
		ret = parse_populate(populate, e);
	if (ret)
		goto out;

	/* 2. the pagination mode */
	if ((raw.page || raw.page_size) && (raw.start || raw.limit)) {
		ret = err_set(e, ERR_PAGINATION,
			      "Cannot use both page & offset pagination in the "
			      "same query");
		goto out;
	}

	/* 3. conversions */
	if (sort) {
		ret = parse_sort(ct, sort, false, &t, e);
		if (ret)
			goto out;
	}
	if (filters && !json_is_object(filters) && !json_is_array(filters)) {
		ret = parse_filters(ct, lim, filters, false, &t.filter, e);
		goto out;
	}
	if (fields) {
		ret = parse_fields(ct, fields, false, &t, e);
		if (ret)
			goto out;
	}

	/* 4. pagination numbers; page parameters must be inside pagination */
	if (json_object_get(params, "page") ||
	    json_object_get(params, "pageSize")) {
		ret = err_set(
		    e, ERR_PAGINATION,
		    "Invalid pagination attributes. The page parameters are "
		    "incorrect and must be in the pagination object");
		goto out;
	}
	ret = pg_values(&raw, lim, &t.pg, e);
	if (ret)
		goto out;

	/* 5. filter structure and values, met by Strapi's query engine */
	if (filters) {
		ret = parse_filters(ct, lim, filters, false, &t.filter, e);
		if (ret)
			goto out;
	}

	/* 6. counting */
	ret = pg_with_count(&raw, lim, &t.pg, e);
	if (ret)
		goto out;

	status = json_object_get(params, "status");
	if (status) {
		s = json_string_value(status);
		t.status_given = true;
		t.status = s && !strcmp(s, "published") ? STATUS_PUBLISHED
							: STATUS_DRAFT;
	}
	hpv = json_object_get(params, "hasPublishedVersion");
	s = json_string_value(hpv);
	if (s && !strcmp(s, "true"))
		t.has_published = 1;
	else if (s && !strcmp(s, "false"))
		t.has_published = 0;
out:
	filter_free(scratch);
	if (ret) {
		query_release(&t);
		return ret;
	}
	query_release(q);
	*q = t;
	return 0;
}

int64_t
query_offset(const struct query *q)
{
	if (q->pg.offset_mode)
		return q->pg.start;
	if (q->pg.page <= 1 || q->pg.page_size <= 0)
		return 0;
	if (q->pg.page - 1 > INT64_MAX / q->pg.page_size)
		return INT64_MAX;
	return (q->pg.page - 1) * q->pg.page_size;
}

int64_t
query_limit(const struct query *q)
{
	return q->pg.offset_mode ? q->pg.limit : q->pg.page_size;
}

json_t *
query_pagination_meta(const struct query *q, int64_t total)
{
	json_t *m = json_object();
	int64_t count;

	if (q->pg.offset_mode) {
		json_object_set_new(m, "start", json_integer(q->pg.start));
		json_object_set_new(m, "limit", json_integer(q->pg.limit));
		if (q->pg.with_count)
			json_object_set_new(m, "total", json_integer(total));
		return m;
	}
	json_object_set_new(m, "page", json_integer(q->pg.page));
	json_object_set_new(m, "pageSize", json_integer(q->pg.page_size));
	if (q->pg.with_count) {
		count = total <= 0 || q->pg.page_size <= 0
			    ? 0
			    : total / q->pg.page_size +
				  (total % q->pg.page_size != 0);
		json_object_set_new(m, "pageCount", json_integer(count));
		json_object_set_new(m, "total", json_integer(total));
	}
	return m;
}
