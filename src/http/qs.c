/* SPDX-License-Identifier: MIT */
/*
 * qs.c: the parse side of the npm 'qs' package (its default options, plus
 * strict depth and our array limit), so that a query string gives the same
 * tree here as in Strapi. The work happens on a small intermediate tree that
 * can hold JavaScript's sparse arrays; it is handed out as jansson at the
 * end. This file knows nothing about what the keys mean.
 *
 * Fidelity notes, all from qs: a key is percent-decoded before its brackets
 * are read; text after the last "[...]" group is ignored ("a[b]c" is
 * "a[b]"); keys naming an Object.prototype member ("toString",
 * "__proto__", ...) are dropped; object keys that look like array indices
 * come first, in numeric order, as JavaScript orders them.
 */
#include "core/compat.h"
#include "core/str.h"
#include "http/qs.h"

#include "core/buf.h"
#include "core/mem.h"

enum qn_kind { QN_STR, QN_ARR, QN_OBJ };

struct qnode;

struct qn_ent {
	char *key; /* QN_OBJ: owned, may hold NUL bytes */
	size_t klen;
	uint64_t hash; /* QN_OBJ: of the key */
	size_t idx;    /* QN_ARR: index; entries are kept sorted by it */
	struct qnode *val;
};

struct qnode {
	enum qn_kind kind;
	char *s; /* QN_STR: owned, valid UTF-8 */
	size_t len;
	struct qn_ent *ents; /* QN_ARR / QN_OBJ */
	size_t n, alloc;
	size_t arr_len; /* QN_ARR: JavaScript length, one past the last index */
};

/* One decoded "key=value" pair, before the keys are parsed. */
struct qs_pair {
	char *key;
	size_t klen;
	uint64_t hash;
	struct qnode *val; /* a string, or an array of strings (duplicates) */
};

/* ---- UTF-8 and percent-decoding ----------------------------------------- */

/* Length of the valid UTF-8 sequence at 's' (at most 'n' bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq(p + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* Append 's' to 'b' with every invalid UTF-8 byte replaced by U+FFFD. */
static void
utf8_add_sanitized(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq(p + i, n - i);
		if (k) {
			buf_add(b, p + i, k);
			i += k;
		} else {
			buf_add(b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
}

/*
 * Decode as qs does: '+' is a space, then decodeURIComponent(), which
 * rejects the whole string when an escape is malformed or the bytes are not
 * UTF-8; qs then keeps the string as it was (with '+' already a space).
 * Raw bytes that are not UTF-8 become U+FFFD, so every string in the tree
 * can be dumped as JSON. Returns a new string and its length.
 */
static char *
decode_n(const char *s, size_t len, size_t *outlen)
{
	struct buf b = BUF_INIT;
	struct buf raw = BUF_INIT;
	bool malformed = false;
	size_t i;
	int hi, lo;

	buf_grow(&b, len);
	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			buf_addch(&b, ' ');
		} else if (s[i] == '%') {
			hi = i + 2 < len ? hex_digit(s[i + 1]) : -1;
			lo = i + 2 < len ? hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				malformed = true;
				break;
			}
			buf_addch(&b, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_addch(&b, s[i]);
		}
	}
	if (!malformed && utf8_valid(b.ptr, b.len))
		return buf_detach(&b, outlen);
	buf_release(&b);
	for (i = 0; i < len; i++)
		buf_addch(&raw, s[i] == '+' ? ' ' : s[i]);
	utf8_add_sanitized(&b, raw.ptr, raw.len);
	buf_release(&raw);
	return buf_detach(&b, outlen);
}

char *
qs_decode(const char *s, size_t len)
{
	size_t n;

	return decode_n(s, len, &n);
}

/* ---- the intermediate tree ---------------------------------------------- */

static uint64_t
hash_key(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct qnode *
qn_new(enum qn_kind kind)
{
	struct qnode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

static struct qnode *
qn_str_new(const char *s, size_t len)
{
	struct qnode *n = qn_new(QN_STR);

	n->s = xmalloc(len + 1);
	memcpy(n->s, s, len);
	n->s[len] = '\0';
	n->len = len;
	return n;
}

static void
qn_free(struct qnode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		free(n->ents[i].key);
		qn_free(n->ents[i].val);
	}
	free(n->ents);
	free(n->s);
	free(n);
}

/* Free the node but not the values its entries point at. */
static void
qn_free_shell(struct qnode *n)
{
	size_t i;

	for (i = 0; i < n->n; i++)
		free(n->ents[i].key);
	free(n->ents);
	free(n->s);
	free(n);
}

/* Make room for one more entry at position 'pos' and return it, zeroed. */
static struct qn_ent *
qn_insert_at(struct qnode *n, size_t pos)
{
	if (n->n == n->alloc) {
		n->alloc = n->alloc ? n->alloc * 2 : 4;
		n->ents = xrealloc(n->ents, n->alloc * sizeof(*n->ents));
	}
	memmove(n->ents + pos + 1, n->ents + pos,
		(n->n - pos) * sizeof(*n->ents));
	n->n++;
	memset(&n->ents[pos], 0, sizeof(n->ents[pos]));
	return &n->ents[pos];
}

/* Position of index 'idx' in an array, or where it would go. */
static size_t
arr_lower_bound(const struct qnode *a, size_t idx)
{
	size_t lo = 0, hi = a->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->ents[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct qn_ent *
arr_get(struct qnode *a, size_t idx)
{
	size_t pos = arr_lower_bound(a, idx);

	if (pos < a->n && a->ents[pos].idx == idx)
		return &a->ents[pos];
	return NULL;
}

/* a[idx] = v ('v' is stolen; a previous value is freed). */
static void
arr_set(struct qnode *a, size_t idx, struct qnode *v)
{
	size_t pos = arr_lower_bound(a, idx);
	struct qn_ent *ent;

	if (pos < a->n && a->ents[pos].idx == idx) {
		qn_free(a->ents[pos].val);
		a->ents[pos].val = v;
		return;
	}
	ent = qn_insert_at(a, pos);
	ent->idx = idx;
	ent->val = v;
	if (idx >= a->arr_len)
		a->arr_len = idx + 1;
}

/* a.push(v) */
static void
arr_push(struct qnode *a, struct qnode *v)
{
	arr_set(a, a->arr_len, v);
}

static struct qn_ent *
obj_get(struct qnode *o, const char *key, size_t klen, uint64_t h)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (o->ents[i].hash == h && o->ents[i].klen == klen &&
		    !memcmp(o->ents[i].key, key, klen))
			return &o->ents[i];
	return NULL;
}

/* o[key] = v ('v' is stolen; a previous value is freed). */
static void
obj_set(struct qnode *o, const char *key, size_t klen, struct qnode *v)
{
	uint64_t h = hash_key(key, klen);
	struct qn_ent *ent = obj_get(o, key, klen, h);

	if (ent) {
		qn_free(ent->val);
		ent->val = v;
		return;
	}
	ent = qn_insert_at(o, o->n);
	ent->key = xmalloc(klen + 1);
	memcpy(ent->key, key, klen);
	ent->key[klen] = '\0';
	ent->klen = klen;
	ent->hash = h;
	ent->val = v;
}

/* Whether 'key' is a JavaScript array index ("0" .. "4294967294"). */
static bool
is_array_index(const char *key, size_t klen, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (klen == 0 || klen > 10 || (klen > 1 && key[0] == '0'))
		return false;
	for (i = 0; i < klen; i++) {
		if (key[i] < '0' || key[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(key[i] - '0');
	}
	if (x > 4294967294ULL)
		return false;
	*v = x;
	return true;
}

struct key_order {
	size_t pos;
	bool index;
	uint64_t v;
};

static int
key_order_cmp(const void *a, const void *b)
{
	const struct key_order *x = a, *y = b;

	if (x->index != y->index)
		return x->index ? -1 : 1;
	if (x->index && x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * The order in which JavaScript enumerates an object's own keys: array
 * indices in numeric order, then the rest in insertion order. Returns a new
 * array of positions into 'keys'.
 */
static size_t *
js_key_order(char *const *keys, const size_t *klens, size_t n)
{
	struct key_order *ko = xcalloc(n ? n : 1, sizeof(*ko));
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));
	size_t i;

	for (i = 0; i < n; i++) {
		ko[i].pos = i;
		ko[i].index = is_array_index(keys[i], klens[i], &ko[i].v);
	}
	qsort(ko, n, sizeof(*ko), key_order_cmp);
	for (i = 0; i < n; i++)
		order[i] = ko[i].pos;
	free(ko);
	return order;
}

/* Object.keys(o) as positions into o->ents. */
static size_t *
obj_key_order(const struct qnode *o)
{
	char **keys = xcalloc(o->n ? o->n : 1, sizeof(*keys));
	size_t *klens = xcalloc(o->n ? o->n : 1, sizeof(*klens));
	size_t *order, i;

	for (i = 0; i < o->n; i++) {
		keys[i] = o->ents[i].key;
		klens[i] = o->ents[i].klen;
	}
	order = js_key_order(keys, klens, o->n);
	free(keys);
	free(klens);
	return order;
}

/* Object.prototype members, which qs drops as keys (allowPrototypes off). */
static bool
is_proto_key(const char *s, size_t n)
{
	static const char *const names[] = {
	    "__proto__",        "constructor",    "__defineGetter__",
	    "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
	    "__lookupSetter__", "isPrototypeOf",  "propertyIsEnumerable",
	    "toString",         "valueOf",        "toLocaleString",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return true;
	return false;
}

/* qs utils.arrayToObject: present indices become string keys. */
static struct qnode *
arr_to_obj(struct qnode *a)
{
	struct qnode *o = qn_new(QN_OBJ);
	char num[32];
	size_t i;
	int len;

	for (i = 0; i < a->n; i++) {
		len = snprintf(num, sizeof(num), "%zu", a->ents[i].idx);
		obj_set(o, num, (size_t)len, a->ents[i].val);
		a->ents[i].val = NULL;
	}
	qn_free_shell(a);
	return o;
}

/*
 * qs utils.merge(target, source). Both are stolen; returns the merged node
 * (which may be a new one). The recursion follows 'source', whose depth the
 * key parser bounds.
 */
static struct qnode *
qn_merge(struct qnode *target, struct qnode *source)
{
	struct qnode *arr, *cur, *item;
	struct qn_ent *ent;
	size_t i, *order;
	char num[32];
	int len;

	if (!source)
		return target;
	if (source->kind == QN_STR) {
		if (source->len == 0) {
			/* if (!source) return target: "" is falsy */
			qn_free(source);
			return target;
		}
		if (target->kind == QN_ARR) {
			arr_push(target, source);
			return target;
		}
		if (target->kind == QN_OBJ) {
			/*
			 * target[source] = true. Leaves of our tree are
			 * strings, so the value is the string "true".
			 */
			if (!is_proto_key(source->s, source->len))
				obj_set(target, source->s, source->len,
					qn_str_new("true", 4));
			qn_free(source);
			return target;
		}
		arr = qn_new(QN_ARR);
		arr_push(arr, target);
		arr_push(arr, source);
		return arr;
	}
	if (target->kind == QN_STR) {
		/* [target].concat(source) */
		arr = qn_new(QN_ARR);
		arr_push(arr, target);
		if (source->kind == QN_ARR) {
			for (i = 0; i < source->n; i++) {
				arr_set(arr, 1 + source->ents[i].idx,
					source->ents[i].val);
				source->ents[i].val = NULL;
			}
			arr->arr_len = 1 + source->arr_len;
			qn_free_shell(source);
		} else {
			arr_push(arr, source);
		}
		return arr;
	}
	if (target->kind == QN_ARR && source->kind == QN_ARR) {
		for (i = 0; i < source->n; i++) {
			item = source->ents[i].val;
			source->ents[i].val = NULL;
			ent = arr_get(target, source->ents[i].idx);
			if (!ent) {
				arr_set(target, source->ents[i].idx, item);
			} else if (ent->val->kind != QN_STR &&
				   item->kind != QN_STR) {
				cur = ent->val;
				ent->val = NULL;
				cur = qn_merge(cur, item);
				ent = arr_get(target, source->ents[i].idx);
				ent->val = cur;
			} else {
				arr_push(target, item);
			}
		}
		qn_free_shell(source);
		return target;
	}
	if (target->kind == QN_ARR)
		target = arr_to_obj(target);
	/* Object.keys(source).reduce(...) into the object 'target' */
	order = source->kind == QN_OBJ ? obj_key_order(source) : NULL;
	for (i = 0; i < source->n; i++) {
		const struct qn_ent *se = &source->ents[order ? order[i] : i];
		const char *key = se->key;
		size_t klen = se->klen;

		if (source->kind == QN_ARR) {
			len = snprintf(num, sizeof(num), "%zu", se->idx);
			key = num;
			klen = (size_t)len;
		}
		item = se->val;
		source->ents[order ? order[i] : i].val = NULL;
		ent = obj_get(target, key, klen, hash_key(key, klen));
		if (ent) {
			cur = ent->val;
			ent->val = NULL;
			cur = qn_merge(cur, item);
			ent = obj_get(target, key, klen, hash_key(key, klen));
			ent->val = cur;
		} else {
			obj_set(target, key, klen, item);
		}
	}
	free(order);
	qn_free_shell(source);
	return target;
}

/* ---- keys ------------------------------------------------------------------
 */

struct seg {
	const char *p;
	size_t len;
};

/*
 * The next "[...]" group without inner brackets at or after 'from' (the
 * regex /\[[^[\]]*]/). Linear: a scan that meets another '[' restarts there.
 */
static bool
next_group(const char *k, size_t len, size_t from, size_t *start, size_t *end)
{
	const char *open;
	size_t i = from;

	while (i < len) {
		open = memchr(k + i, '[', len - i);
		if (!open)
			return false;
		i = (size_t)(open - k) + 1;
		while (i < len && k[i] != '[' && k[i] != ']')
			i++;
		if (i >= len)
			return false;
		if (k[i] == ']') {
			*start = (size_t)(open - k);
			*end = i + 1;
			return true;
		}
	}
	return false;
}

/* qs parseObject: build the chain from the leaf up. 'leaf' is stolen. */
static struct qnode *
parse_object(const struct seg *segs, size_t nseg, struct qnode *leaf,
	     const struct qs_limits *lim)
{
	struct qnode *obj;
	const char *clean;
	size_t i, clen, idx, k;
	bool bracketed, canonical;

	for (i = nseg; i-- > 0;) {
		const struct seg *s = &segs[i];

		if (s->len == 2 && s->p[0] == '[' && s->p[1] == ']') {
			/* [].concat(leaf) */
			if (leaf->kind == QN_ARR) {
				obj = leaf;
			} else {
				obj = qn_new(QN_ARR);
				arr_push(obj, leaf);
			}
			leaf = obj;
			continue;
		}
		bracketed =
		    s->len >= 2 && s->p[0] == '[' && s->p[s->len - 1] == ']';
		clean = bracketed ? s->p + 1 : s->p;
		clen = bracketed ? s->len - 2 : s->len;
		/* parseInt(root) rendered back must equal root */
		canonical =
		    clen > 0 && clen <= 19 && (clen == 1 || clean[0] != '0');
		idx = 0;
		for (k = 0; canonical && k < clen; k++) {
			if (clean[k] < '0' || clean[k] > '9')
				canonical = false;
			else
				idx = idx * 10 + (size_t)(clean[k] - '0');
		}
		if (bracketed && canonical && idx <= lim->array_limit) {
			obj = qn_new(QN_ARR);
			arr_set(obj, idx, leaf);
		} else if (clen == 9 && !memcmp(clean, "__proto__", 9)) {
			obj = qn_new(QN_OBJ);
			qn_free(leaf);
		} else {
			obj = qn_new(QN_OBJ);
			obj_set(obj, clean, clen, leaf);
		}
		leaf = obj;
	}
	return leaf;
}

/*
 * qs parseKeys: split 'key' into its parent and bracket groups and build
 * the nested value for 'val' (stolen). '*out' is NULL when qs drops the key.
 */
static int
parse_key(const char *key, size_t klen, struct qnode *val,
	  const struct qs_limits *lim, struct qnode **out, struct err *e)
{
	struct seg *segs = NULL;
	size_t nseg = 0, gs, ge, parent_len, depth = 0, from;
	bool has_group = false;
	int ret = 0;

	*out = NULL;
	if (klen == 0)
		goto drop;
	if (lim->max_depth > 0 && next_group(key, klen, 0, &gs, &ge)) {
		has_group = true;
		parent_len = gs;
	} else {
		parent_len = klen;
	}
	segs = xcalloc(lim->max_depth + 2, sizeof(*segs));
	if (parent_len > 0) {
		if (is_proto_key(key, parent_len))
			goto drop;
		segs[nseg].p = key;
		segs[nseg++].len = parent_len;
	}
	from = 0;
	while (has_group && next_group(key, klen, from, &gs, &ge)) {
		if (depth == lim->max_depth) {
			ret = err_set(e, ERR_VALIDATION,
				      "Query parameters are nested too deeply");
			goto drop;
		}
		if (is_proto_key(key + gs + 1, ge - gs - 2))
			goto drop;
		segs[nseg].p = key + gs;
		segs[nseg++].len = ge - gs;
		depth++;
		from = ge;
	}
	*out = parse_object(segs, nseg, val, lim);
	free(segs);
	return 0;
drop:
	free(segs);
	qn_free(val);
	return ret;
}

/* ---- output ------------------------------------------------------------- */

static json_t *
qn_to_json(const struct qnode *n)
{
	json_t *j;
	size_t i, *order;

	switch (n->kind) {
	case QN_STR:
		return json_stringn_nocheck(n->s, n->len);
	case QN_ARR:
		/* sparse arrays are compacted (qs utils.compact) */
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, qn_to_json(n->ents[i].val));
		return j;
	case QN_OBJ:
	default:
		j = json_object();
		order = obj_key_order(n);
		for (i = 0; i < n->n; i++) {
			const struct qn_ent *ent = &n->ents[order[i]];

			json_object_setn_new_nocheck(j, ent->key, ent->klen,
						     qn_to_json(ent->val));
		}
		free(order);
		return j;
	}
}

/* ---- qs_parse ------------------------------------------------------------ */

static void
pairs_free(struct qs_pair *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(pairs[i].key);
		qn_free(pairs[i].val);
	}
	free(pairs);
}

/*
 * qs parseValues: split on '&' (at most max_params parts, empty ones
 * included), cut each part at its first "]=" or else its first '=', decode
 * both halves, and combine the values of a key given more than once.
 */
static size_t
parse_values(const char *query, size_t len, const struct qs_limits *lim,
	     struct qs_pair **out)
{
	struct qs_pair *pairs = NULL;
	size_t n = 0, alloc = 0, parts = 0, i, start = 0, end, pos, klen, vlen;
	const char *part, *amp, *eq;
	struct qs_pair *p;
	struct qnode *v, *arr;
	char *key, *val;
	uint64_t h;

	while (start <= len && parts < lim->max_params) {
		amp = memchr(query + start, '&', len - start);
		end = amp ? (size_t)(amp - query) : len;
		part = query + start;
		parts++;
		pos = end - start;
		for (i = 0; i + 1 < end - start; i++) {
			if (part[i] == ']' && part[i + 1] == '=') {
				pos = i + 1;
				break;
			}
		}
		if (pos == end - start) {
			eq = memchr(part, '=', end - start);
			if (eq)
				pos = (size_t)(eq - part);
		}
		key = decode_n(part, pos, &klen);
		if (pos < end - start)
			val = decode_n(part + pos + 1, end - start - pos - 1,
				       &vlen);
		else
			val = decode_n("", 0, &vlen);
		v = qn_str_new(val, vlen);
		free(val);
		h = hash_key(key, klen);
		p = NULL;
		for (i = 0; i < n; i++) {
			if (pairs[i].hash == h && pairs[i].klen == klen &&
			    !memcmp(pairs[i].key, key, klen)) {
				p = &pairs[i];
				break;
			}
		}
		if (p) {
			/* utils.combine(existing, val) */
			if (p->val->kind != QN_ARR) {
				arr = qn_new(QN_ARR);
				arr_push(arr, p->val);
				p->val = arr;
			}
			arr_push(p->val, v);
			free(key);
		} else {
			if (n == alloc) {
				alloc = alloc ? alloc * 2 : 16;
				pairs = xrealloc(pairs, alloc * sizeof(*pairs));
			}
			pairs[n].key = key;
			pairs[n].klen = klen;
			pairs[n].hash = h;
			pairs[n].val = v;
			n++;
		}
		if (!amp)
			break;
		start = end + 1;
	}
	*out = pairs;
	return n;
}

int
qs_parse(const char *query, size_t len, const struct qs_limits *lim,
	 json_t **out, struct err *e)
{
	static const struct qs_limits defaults = QS_LIMITS_DEFAULT;
	struct qs_pair *pairs = NULL;
	struct qnode *root, *node;
	char **keys = NULL;
	size_t *klens = NULL, *order = NULL, n, i;
	int ret = 0;

	*out = NULL;
	if (!lim)
		lim = &defaults;
	root = qn_new(QN_OBJ);
	n = query && len ? parse_values(query, len, lim, &pairs) : 0;
	if (n) {
		/* Object.keys(tempObj): index-like keys first */
		keys = xcalloc(n, sizeof(*keys));
		klens = xcalloc(n, sizeof(*klens));
		for (i = 0; i < n; i++) {
			keys[i] = pairs[i].key;
			klens[i] = pairs[i].klen;
		}
		order = js_key_order(keys, klens, n);
	}
	for (i = 0; i < n; i++) {
		struct qs_pair *p = &pairs[order[i]];

		ret = parse_key(p->key, p->klen, p->val, lim, &node, e);
		p->val = NULL;
		if (ret)
			goto out;
		root = qn_merge(root, node);
	}
	*out = qn_to_json(root);
out:
	qn_free(root);
	pairs_free(pairs, n);
	free(keys);
	free(klens);
	free(order);
	return ret;
}
