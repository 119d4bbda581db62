/* SPDX-License-Identifier: MIT */
/*
 * admin_users.c: the administrators service (see admin_users.h): the
 * built-in roles, Strapi's validation of user and role bodies (yup's
 * messages, in yup's order: fields in schema order, then the object's own
 * tests such as noUnknown), credentials, and the rules that keep an active
 * super admin. It builds no response JSON; api/admin_users.c does.
 */
#include "core/compat.h"
#include "auth/admin_users.h"
#include "auth/api_token.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/password.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>

/*
 * The meta key recording that the first start created Editor and Author.
 * Without it, an operator's deletion of either would be undone at the
 * next start.
 */
#define META_ROLES_SEEDED "admin_roles_seeded"

/*
 * An argon2id hash (of a password nobody has) with password.c's
 * parameters: verifying against it costs what verifying a real user's
 * password costs, so a login with an unknown email takes as long as one
 * with a wrong password.
 */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$Y1RqRTVPeG5yTUZ4V3NUMg$"
    "EC3Uu5k2t7SNPi+7A/urajYuqMWF4cHUDjeMX8NmCeo";

/* Content-manager actions whose permissions carry properties.fields. */
static const char *const field_actions[] = {
    "plugin::content-manager.explorer.create",
    "plugin::content-manager.explorer.read",
    "plugin::content-manager.explorer.update",
};

#define LAST_SUPER_ADMIN                                                       \
	"You must have at least one user with super admin role."

static int
storage_failed(int rc, struct err *e)
{
	if (rc == ERR_UNAVAILABLE)
		return err_set(e, rc, "Service Unavailable");
	return err_set(e, ERR_STORAGE, "Internal Server Error");
}

bool
admin_user_is_super_admin(const struct admin_user *u)
{
	size_t i;

	for (i = 0; i < u->n_roles; i++)
		if (u->roles[i].code &&
		    strcmp(u->roles[i].code, RBAC_SUPER_ADMIN_CODE) == 0)
			return true;
	return false;
}

static bool
is_active_super_admin(const struct admin_user *u)
{
	return u->is_active && !u->blocked && admin_user_is_super_admin(u);
}

/* ---- yup's words ------------------------------------------------------ */

/*
 * Where a value sits: 'segs' is its path as lodash toPath() splits it (for
 * details.errors[].path; NULL-terminated, pointing into 'seg') and 'label'
 * as yup prints it in messages ("permissions[0].action"; "this" for the
 * root). Copies must call vpath_fix() before using 'segs'.
 */
struct vpath {
	char seg[5][64];
	size_t n;
	const char *segs[6];
	char label[160];
};

/* Set p->label, truncated when too long (labels are only for messages). */
static void __attribute__((format(printf, 2, 3)))
vpath_label(struct vpath *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->label, sizeof(p->label), fmt, ap);
	va_end(ap);
}

static void
vpath_fix(struct vpath *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		p->segs[i] = p->seg[i];
	p->segs[p->n] = NULL;
}

static void
vpath_push(struct vpath *p, const char *s)
{
	if (p->n < ARRAY_SIZE(p->seg))
		snprintf(p->seg[p->n++], sizeof(p->seg[0]), "%s", s);
	vpath_fix(p);
}

static void
vpath_root(struct vpath *p)
{
	memset(p, 0, sizeof(*p));
	vpath_fix(p);
	vpath_label(p, "this");
}

static void
vpath_field(struct vpath *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	vpath_push(p, name);
	vpath_label(p, "%s", name);
}

/* 'parent' then "[i]" (then ".name" when 'name' is not NULL). */
static void
vpath_item(struct vpath *p, const struct vpath *parent, size_t i,
	   const char *name)
{
	char idx[24];

	*p = *parent;
	snprintf(idx, sizeof(idx), "%zu", i);
	vpath_push(p, idx);
	if (name)
		vpath_push(p, name);
	vpath_label(p, "%s[%zu]%s%s", parent->label, i, name ? "." : "",
		    name ? name : "");
}

/* 'parent' then ".name". */
static void
vpath_child(struct vpath *p, const struct vpath *parent, const char *name)
{
	*p = *parent;
	vpath_push(p, name);
	vpath_label(p, "%s.%s", parent->label, name);
}

static void
print_number(struct buf *b, json_t *v)
{
	double d;

	if (json_is_integer(v)) {
		buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	}
	d = json_real_value(v);
	if (d == floor(d) && fabs(d) < 1e21)
		buf_addf(b, "%.0f", d);
	else
		buf_addf(b, "%.17g", d);
}

/* JavaScript's JSON.stringify() of a string. */
static void
print_json_string(struct buf *b, const char *s)
{
	json_t *j = json_string(s);
	char *out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	buf_addstr(b, out ? out : "\"\"");
	free(out);
	json_decref(j);
}

/* yup's printSimpleValue() of a scalar. */
static void
print_simple(struct buf *b, json_t *v, bool quote)
{
	if (json_is_null(v))
		buf_addstr(b, "null");
	else if (json_is_true(v))
		buf_addstr(b, "true");
	else if (json_is_false(v))
		buf_addstr(b, "false");
	else if (json_is_number(v))
		print_number(b, v);
	else if (quote)
		buf_addf(b, "\"%s\"", json_string_value(v));
	else
		buf_addstr(b, json_string_value(v));
}

/*
 * yup's printValue() of an object or array: JSON.stringify with an indent
 * of 2 and a replacer that turns every scalar into its printed string.
 */
static void
print_complex(struct buf *b, json_t *v, int indent)
{
	const char *key;
	json_t *child;
	size_t i,
	    n = json_is_object(v) ? json_object_size(v) : json_array_size(v);
	bool obj = json_is_object(v);

	if (n == 0) {
		buf_addstr(b, obj ? "{}" : "[]");
		return;
	}
	buf_addstr(b, obj ? "{\n" : "[\n");
	i = 0;
	if (obj) {
		json_object_foreach(v, key, child)
		{
			buf_addf(b, "%*s", indent + 2, "");
			print_json_string(b, key);
			buf_addstr(b, ": ");
			if (json_is_object(child) || json_is_array(child)) {
				print_complex(b, child, indent + 2);
			} else {
				struct buf s = BUF_INIT;

				print_simple(&s, child, true);
				print_json_string(b, s.ptr);
				buf_release(&s);
			}
			buf_addstr(b, ++i < n ? ",\n" : "\n");
		}
	} else {
		json_array_foreach(v, i, child)
		{
			buf_addf(b, "%*s", indent + 2, "");
			if (json_is_object(child) || json_is_array(child)) {
				print_complex(b, child, indent + 2);
			} else {
				struct buf s = BUF_INIT;

				print_simple(&s, child, true);
				print_json_string(b, s.ptr);
				buf_release(&s);
			}
			buf_addstr(b, i + 1 < n ? ",\n" : "\n");
		}
	}
	buf_addf(b, "%*s%s", indent, "", obj ? "}" : "]");
}

static void
print_value(struct buf *b, json_t *v)
{
	if (json_is_object(v) || json_is_array(v))
		print_complex(b, v, 0);
	else
		print_simple(b, v, true);
}

/* yup's typeError (strict mode: no cast). */
static void
type_error(struct err *e, const struct vpath *p, const char *type, json_t *v)
{
	struct buf b = BUF_INIT;

	print_value(&b, v);
	if (json_is_null(v))
		err_add_validation(
		    e, p->segs, v,
		    "%s must be a `%s` type, but the final value was: `%s`."
		    "\n If \"null\" is intended as an empty value be sure to "
		    "mark the schema as `.nullable()`",
		    p->label, type, b.ptr);
	else
		err_add_validation(
		    e, p->segs, v,
		    "%s must be a `%s` type, but the final value was: `%s`.",
		    p->label, type, b.ptr);
	buf_release(&b);
}

static void
required_error(struct err *e, const struct vpath *p, json_t *v)
{
	err_add_validation(e, p->segs, v, "%s is a required field", p->label);
}

/*
 * The type test of a field: true when 'v' is present and of type 'type'
 * ("string", "boolean", "object", "array") so its other tests apply. An
 * absent value, or null when 'nullable', passes without further tests.
 */
static bool
check_type(struct err *e, const struct vpath *p, json_t *v, const char *type,
	   bool nullable)
{
	bool ok;

	if (!v)
		return false;
	if (json_is_null(v)) {
		if (!nullable)
			type_error(e, p, type, v);
		return false;
	}
	if (!strcmp(type, "string"))
		ok = json_is_string(v);
	else if (!strcmp(type, "boolean"))
		ok = json_is_boolean(v);
	else if (!strcmp(type, "object"))
		ok = json_is_object(v);
	else
		ok = json_is_array(v);
	if (!ok)
		type_error(e, p, type, v);
	return ok;
}

/*
 * yup's noUnknown(): "<label> field has unspecified keys: a, b" on the
 * object itself (the root's label is "this").
 */
static void
check_unknown(struct err *e, const struct vpath *p, json_t *obj,
	      const char *const *allowed, size_t n)
{
	struct buf keys = BUF_INIT;
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v)
	{
		for (i = 0; i < n; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (i < n)
			continue;
		if (keys.len)
			buf_addstr(&keys, ", ");
		buf_addstr(&keys, key);
	}
	if (keys.len)
		err_add_validation(e, p->segs, obj,
				   "%s field has unspecified keys: %.400s",
				   p->label, keys.ptr);
	buf_release(&keys);
}

/* A body must be an object; NULL (no body) stands for {}. */
static int
check_body(json_t *body, struct err *e)
{
	struct vpath p;

	if (!body || json_is_object(body))
		return 0;
	vpath_root(&p);
	type_error(e, &p, "object", body);
	return err_finish_validation(e);
}

/* Code points yup's email pattern accepts beyond ASCII. */
static bool
email_unicode_ok(uint32_t c)
{
	return (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
	       (c >= 0xFDF0 && c <= 0xFFEF);
}

/* Decode the UTF-8 sequence at 's': its code point and length, or 0. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return n;
}

/*
 * Classes of yup's email pattern: 'A' atext (dot-atom characters), 'L' a
 * letter, 'D' a digit, 'U' accepted non-ASCII, '-', '.', '_', '~' as
 * themselves, 'x' anything else.
 */
static char
email_class(uint32_t c)
{
	if (c < 0x80 && isalpha((int)c))
		return 'L';
	if (c < 0x80 && isdigit((int)c))
		return 'D';
	if (c >= 0x80)
		return email_unicode_ok(c) ? 'U' : 'x';
	if (c == '-' || c == '.' || c == '_' || c == '~')
		return (char)c;
	if (c && strchr("!#$%&'*+/=?^`{|}", (int)c))
		return 'A';
	return 'x';
}

static bool
local_atext(char k)
{
	return k == 'L' || k == 'D' || k == 'U' || k == 'A' || k == '-' ||
	       k == '_' || k == '~';
}

/* The local part: a dot-atom, or a quoted string. */
static bool
email_local_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t c;
	bool prev_dot = true;

	if (len == 0)
		return false;
	if (s[0] == '"') {
		if (len < 2 || s[len - 1] != '"')
			return false;
		for (i = 1; i < len - 1; i += n) {
			n = utf8_decode(s + i, &c);
			if (!n || i + n > len - 1)
				return false;
			if (c == '\\') {
				if (i + 1 >= len - 1)
					return false;
				n = utf8_decode(s + i + 1, &c);
				if (!n || c == 0 || c == '\n' ||
				    (c >= 0x80 && !email_unicode_ok(c)))
					return false;
				n += 1;
				continue;
			}
			if (c == '"' || c == 0 ||
			    (c >= 0x80 && !email_unicode_ok(c)))
				return false;
			if (c == '\r') {
				/* folding white space: CRLF then a blank */
				if (i + 2 >= len - 1 || s[i + 1] != '\n' ||
				    (s[i + 2] != ' ' && s[i + 2] != '\t'))
					return false;
				n = 2;
				continue;
			}
			if (c == '\n')
				return false;
		}
		return true;
	}
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, &c);
		if (!n)
			return false;
		if (c == '.') {
			if (prev_dot)
				return false;
			prev_dot = true;
			continue;
		}
		if (!local_atext(email_class(c)))
			return false;
		prev_dot = false;
	}
	return !prev_dot;
}

/*
 * The domain: labels then a top-level label, where labels may hold
 * letters, digits, U, '-', '.', '_', '~' but start and end with a letter,
 * digit or U, and the last label starts and ends with a letter or U.
 */
static bool
email_domain_ok(const unsigned char *s, size_t len)
{
	char cls[256];
	size_t n = 0, i, k;
	uint32_t c;
	bool split = false;

	for (i = 0; i < len; i += k) {
		k = utf8_decode(s + i, &c);
		if (!k || n >= sizeof(cls))
			return false;
		cls[n] = email_class(c);
		if (!strchr("LDU-._~", cls[n]))
			return false;
		n++;
	}
	if (n < 3)
		return false;
	if (!strchr("LDU", cls[0]) || !strchr("LU", cls[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (cls[i] == '.' && strchr("LDU", cls[i - 1]) &&
		    strchr("LU", cls[i + 1]))
			split = true;
	return split;
}

/* yup 0.32's string().email() pattern (case-insensitive). */
static bool
email_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const char *at = strrchr(str, '@');

	if (!at)
		return false;
	return email_local_ok(s, (size_t)(at - str)) &&
	       email_domain_ok((const unsigned char *)at + 1, strlen(at + 1));
}

static bool
has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static char *
lower_dup(const char *s)
{
	char *out = xstrdup(s), *p;

	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

/* email: string().email().lowercase(), then required when asked. */
static void
check_email(struct err *e, json_t *v, bool required, bool nullable)
{
	struct vpath p;
	const char *s;

	vpath_field(&p, "email");
	if (!check_type(e, &p, v, "string", nullable)) {
		if (!v && required)
			required_error(e, &p, NULL);
		return;
	}
	s = json_string_value(v);
	if (*s && !email_valid(s))
		err_add_validation(e, p.segs, v, "email must be a valid email");
	if (has_upper(s))
		err_add_validation(e, p.segs, v,
				   "email must be a lowercase string");
	if (required && !*s)
		required_error(e, &p, v);
}

static bool
is_js_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* firstname: string().trim().min(1), then required when asked. */
static void
check_firstname(struct err *e, json_t *v, bool required)
{
	struct vpath p;
	const char *s;
	size_t len;

	vpath_field(&p, "firstname");
	if (!check_type(e, &p, v, "string", false)) {
		if (!v && required)
			required_error(e, &p, NULL);
		return;
	}
	s = json_string_value(v);
	len = strlen(s);
	if (len && (is_js_space((unsigned char)s[0]) ||
		    is_js_space((unsigned char)s[len - 1])))
		err_add_validation(e, p.segs, v,
				   "firstname must be a trimmed string");
	if (!len)
		err_add_validation(e, p.segs, v,
				   "firstname must be at least 1 characters");
	if (required && !len)
		required_error(e, &p, v);
}

/* A plain string field (lastname, preferedLanguage, currentPassword). */
static void
check_plain_string(struct err *e, const char *name, json_t *v, bool nullable)
{
	struct vpath p;

	vpath_field(&p, name);
	check_type(e, &p, v, "string", nullable);
}

/* username: string().min(1).nullable(). */
static void
check_username(struct err *e, json_t *v)
{
	struct vpath p;

	vpath_field(&p, "username");
	if (check_type(e, &p, v, "string", true) && !*json_string_value(v))
		err_add_validation(e, p.segs, v,
				   "username must be at least 1 characters");
}

/* password: the rules of crypto/password.h, then required when asked. */
static void
check_password(struct err *e, json_t *v, bool required)
{
	struct vpath p;
	const char *s;

	vpath_field(&p, "password");
	if (!check_type(e, &p, v, "string", false)) {
		if (!v && required)
			required_error(e, &p, NULL);
		return;
	}
	s = json_string_value(v);
	password_check_rules(s, "password", e);
	if (required && !*s)
		required_error(e, &p, v);
}

static void
check_bool(struct err *e, const char *name, json_t *v)
{
	struct vpath p;

	vpath_field(&p, name);
	check_type(e, &p, v, "boolean", false);
}

/* Strapi's strapiID(): a string, or a non-negative integer. */
static bool
is_strapi_id(json_t *v)
{
	return json_is_string(v) ||
	       (json_is_integer(v) && json_integer_value(v) >= 0) ||
	       (json_is_real(v) && json_real_value(v) >= 0 &&
		json_real_value(v) == floor(json_real_value(v)));
}

/* An id array: array(strapiID()).min(1), then required when asked. */
static void
check_id_array(struct err *e, const char *name, json_t *v, bool required)
{
	struct vpath p, ip;
	json_t *x;
	size_t i;

	vpath_field(&p, name);
	if (!check_type(e, &p, v, "array", false)) {
		if (!v && required)
			required_error(e, &p, NULL);
		return;
	}
	json_array_foreach(v, i, x)
	{
		if (is_strapi_id(x))
			continue;
		vpath_item(&ip, &p, i, NULL);
		type_error(e, &ip, "strapiID", x);
	}
	if (json_array_size(v) == 0)
		err_add_validation(e, p.segs, v,
				   "%s field must have at least 1 items", name);
}

/* The numeric value of a strapiID, false when it names no possible row. */
static bool
id_value(json_t *v, int64_t *id)
{
	char *end;
	long long n;
	const char *s;

	if (json_is_integer(v)) {
		*id = json_integer_value(v);
		return *id > 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (d < 1 || d > 9e15)
			return false;
		*id = (int64_t)d;
		return true;
	}
	s = json_string_value(v);
	if (!s || !*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || *end || n <= 0)
		return false;
	*id = n;
	return true;
}

static bool
is_truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0 && !isnan(json_real_value(v));
	return true;
}

/* ---- roles and users in the store -------------------------------------- */

/*
 * Roles 'ids' (a validated id array) into '*out' (n roles, ids set),
 * fetching each. Unknown ids: ERR_VALIDATION with Strapi's relation
 * message.
 */
static int
resolve_roles(struct app *app, json_t *ids, struct admin_role **out, size_t *n,
	      struct err *e)
{
	struct admin_role *roles =
	    xcalloc(json_array_size(ids) + 1, sizeof(*roles));
	size_t i, k, nr = 0, missing = 0;
	json_t *x;
	int64_t id;
	int rc;

	json_array_foreach(ids, i, x)
	{
		if (!id_value(x, &id)) {
			missing++;
			continue;
		}
		for (k = 0; k < nr; k++)
			if (roles[k].id == id)
				break;
		if (k < nr)
			continue;
		rc = store_admin_role_get(app->store, id, &roles[nr]);
		if (rc == ERR_NOT_FOUND) {
			missing++;
			continue;
		}
		if (rc < 0) {
			for (k = 0; k < nr; k++)
				admin_role_release(&roles[k]);
			free(roles);
			return storage_failed(rc, e);
		}
		nr++;
	}
	if (missing) {
		for (k = 0; k < nr; k++)
			admin_role_release(&roles[k]);
		free(roles);
		return err_set(e, ERR_VALIDATION,
			       "%zu relation(s) of type admin::role associated "
			       "with this entity do not exist",
			       missing);
	}
	*out = roles;
	*n = nr;
	return 0;
}

static void
roles_free(struct admin_role *roles, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		admin_role_release(&roles[i]);
	free(roles);
}

static bool
user_has_role(const struct admin_user *u, int64_t role_id)
{
	size_t i;

	for (i = 0; i < u->n_roles; i++)
		if (u->roles[i].id == role_id)
			return true;
	return false;
}

/*
 * The permission ceiling for assigning 'roles' to a user who holds
 * 'current' (may be NULL): every role not already held must be within
 * 'ceiling'. Only a super admin hands out the Super Admin role.
 */
static int
check_role_ceiling(struct app *app, const struct rbac_set *ceiling,
		   const struct admin_role *roles, size_t n,
		   const struct admin_user *current, struct err *e)
{
	json_t *violations = NULL, *rv, *list, *o;
	struct admin_permission *perms;
	size_t i, j, np;
	int rc;

	if (!ceiling || ceiling->super_admin)
		return 0;
	for (i = 0; i < n; i++) {
		if (current && user_has_role(current, roles[i].id))
			continue;
		list = json_array();
		if (roles[i].code &&
		    !strcmp(roles[i].code, RBAC_SUPER_ADMIN_CODE)) {
			o = json_pack("{s:s,s:n,s:s}", "action", "*", "subject",
				      "reason", "action-not-held");
			json_array_append_new(list, o);
		} else {
			rc = store_admin_role_permissions(
			    app->store, roles[i].id, &perms, &np);
			if (rc < 0) {
				json_decref(list);
				json_decref(violations);
				return storage_failed(rc, e);
			}
			for (j = 0; j < np; j++) {
				if (rbac_allows(ceiling, perms[j].action,
						perms[j].subject))
					continue;
				o = json_object();
				json_object_set_new(
				    o, "action", json_string(perms[j].action));
				json_object_set_new(
				    o, "subject",
				    perms[j].subject
					? json_string(perms[j].subject)
					: json_null());
				json_object_set_new(
				    o, "reason",
				    json_string("action-not-held"));
				json_array_append_new(list, o);
			}
			admin_permissions_free(perms, np);
		}
		if (!json_array_size(list)) {
			json_decref(list);
			continue;
		}
		if (!violations)
			violations = json_array();
		rv = json_object();
		json_object_set_new(rv, "roleId", json_integer(roles[i].id));
		json_object_set_new(rv, "violations", list);
		json_array_append_new(violations, rv);
	}
	if (!violations)
		return 0;
	return err_set_details_new(
	    e, ERR_POLICY, json_pack("{s:o}", "violations", violations),
	    "Cannot assign roles that exceed your own permissions");
}

/*
 * Count the active, unblocked super admins other than the 'n_skip' users
 * in 'skip'.
 */
static int
count_active_super_admins(struct app *app, const int64_t *skip, size_t n_skip,
			  int64_t *count, struct err *e)
{
	struct admin_user *users;
	int64_t offset = 0, total = 0;
	size_t n, i, k;
	int rc;

	*count = 0;
	do {
		rc = store_admin_user_list(app->store, offset, 100, &users, &n,
					   &total);
		if (rc < 0)
			return storage_failed(rc, e);
		for (i = 0; i < n; i++) {
			for (k = 0; k < n_skip; k++)
				if (users[i].id == skip[k])
					break;
			if (k == n_skip && is_active_super_admin(&users[i]))
				(*count)++;
			admin_user_release(&users[i]);
		}
		free(users);
		offset += (int64_t)n;
	} while (n > 0 && offset < total);
	return 0;
}

/*
 * The rule that an active super admin remains: when 'before' (a super
 * admin) would no longer be an active one, someone else must be.
 */
static int
check_super_admin_remains(struct app *app, const struct admin_user *before,
			  bool still_active_super_admin, struct err *e)
{
	int64_t others = 0;
	int rc;

	if (!admin_user_is_super_admin(before) || still_active_super_admin)
		return 0;
	rc = count_active_super_admins(app, &before->id, 1, &others, e);
	if (rc < 0)
		return rc;
	if (others == 0)
		return err_set(e, ERR_VALIDATION, LAST_SUPER_ADMIN);
	return 0;
}

static int
get_user(struct app *app, int64_t id, struct admin_user *u, const char *msg,
	 struct err *e)
{
	int rc = store_admin_user_get(app->store, id, u);

	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "%s", msg);
	if (rc < 0)
		return storage_failed(rc, e);
	return 0;
}

/* Roll back the transaction begun by the caller and pass 'rc' on. */
static int
abort_tx(struct app *app, int rc)
{
	store_rollback(app->store);
	return rc;
}

static int
commit_tx(struct app *app, struct err *e)
{
	int rc = store_commit(app->store);

	if (rc < 0) {
		store_rollback(app->store);
		return storage_failed(rc, e);
	}
	return 0;
}

static int
begin_tx(struct app *app, struct err *e)
{
	int rc = store_begin(app->store);

	return rc < 0 ? storage_failed(rc, e) : 0;
}

/* ---- bootstrap ---------------------------------------------------------- */

/*
 * Create the built-in role 'code' unless it exists, seeding the
 * permissions rbac gives it. '*created' tells whether this call made it.
 */
static int
ensure_role(struct app *app, const char *code, const char *name,
	    const char *description, bool *created, struct err *e)
{
	struct admin_permission *perms = NULL;
	struct admin_role r;
	size_t n = 0;
	int rc;

	*created = false;
	rc = store_admin_role_get_by_code(app->store, code, &r);
	admin_role_release(&r);
	if (rc == 0)
		return 0;
	if (rc != ERR_NOT_FOUND)
		return err_set(e, rc, "cannot read the administrator roles");
	admin_role_init(&r);
	r.name = xstrdup(name);
	r.code = xstrdup(code);
	r.description = xstrdup(description);
	rc = store_admin_role_insert(app->store, &r);
	if (rc == ERR_CONFLICT) {
		/* another process made it first, or the name is in use */
		admin_role_release(&r);
		rc = store_admin_role_get_by_code(app->store, code, &r);
		admin_role_release(&r);
		if (rc == 0)
			return 0;
		log_warn("cannot create the built-in role \"%s\": a role "
			 "already has that name",
			 name);
		return 0;
	}
	if (rc < 0) {
		admin_role_release(&r);
		return err_set(e, rc, "cannot create the role \"%s\"", name);
	}
	rbac_default_permissions(&app->reg, code, &perms, &n);
	rc = n ? store_admin_role_set_permissions(app->store, r.id, perms, n)
	       : 0;
	admin_permissions_free(perms, n);
	admin_role_release(&r);
	if (rc < 0)
		return err_set(e, rc, "cannot seed the permissions of \"%s\"",
			       name);
	*created = true;
	return 0;
}

int
admin_bootstrap(struct app *app, struct err *e)
{
	char *seeded = NULL;
	bool created = false;
	int rc;

	rc = ensure_role(app, RBAC_SUPER_ADMIN_CODE, ADMIN_SUPER_ADMIN_NAME,
			 ADMIN_SUPER_ADMIN_DESCRIPTION, &created, e);
	if (rc < 0)
		return rc;
	rc = store_meta_get(app->store, META_ROLES_SEEDED, &seeded);
	if (rc < 0)
		return err_set(e, rc, "cannot read the administrator roles");
	if (seeded) {
		free(seeded);
		return 0;
	}
	rc = ensure_role(app, RBAC_EDITOR_CODE, ADMIN_EDITOR_NAME,
			 ADMIN_EDITOR_DESCRIPTION, &created, e);
	if (rc == 0)
		rc = ensure_role(app, RBAC_AUTHOR_CODE, ADMIN_AUTHOR_NAME,
				 ADMIN_AUTHOR_DESCRIPTION, &created, e);
	if (rc < 0)
		return rc;
	rc = store_meta_set(app->store, META_ROLES_SEEDED, "1");
	if (rc < 0)
		return err_set(e, rc, "cannot record the administrator roles");
	return 0;
}

int
admin_users_exist(struct app *app, bool *exist, struct err *e)
{
	int64_t n = 0;
	int rc = store_admin_user_count(app->store, &n);

	*exist = false;
	if (rc < 0)
		return storage_failed(rc, e);
	*exist = n > 0;
	return 0;
}

/* ---- users -------------------------------------------------------------- */

/* A new string from an optional string field; NULL for absent or null. */
static char *
opt_dup(json_t *v)
{
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int
hash_password(const char *plain, char **hash, struct err *e)
{
	if (password_hash(plain, hash) < 0)
		return err_set(e, ERR_INTERNAL, "Internal Server Error");
	return 0;
}

int
admin_users_register_first(struct app *app, json_t *body,
			   struct admin_user *out, struct err *e)
{
	static const char *const keys[] = {"email", "firstname", "lastname",
					   "password"};
	struct admin_user u;
	struct admin_role super;
	struct vpath root;
	int64_t count = 0;
	char *hash = NULL;
	int rc;

	admin_user_init(out);
	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	check_email(e, json_object_get(body, "email"), true, false);
	check_firstname(e, json_object_get(body, "firstname"), true);
	check_plain_string(e, "lastname", json_object_get(body, "lastname"),
			   true);
	check_password(e, json_object_get(body, "password"), true);
	vpath_root(&root);
	if (body)
		check_unknown(e, &root, body, keys, ARRAY_SIZE(keys));
	rc = err_finish_validation(e);
	if (rc < 0)
		return rc;

	/* refuse early, before spending a hash on a closed registration */
	rc = store_admin_user_count(app->store, &count);
	if (rc < 0)
		return storage_failed(rc, e);
	if (count > 0)
		return err_set(e, ERR_APPLICATION,
			       "You cannot register a new super admin");
	rc = hash_password(json_string_value(json_object_get(body, "password")),
			   &hash, e);
	if (rc < 0)
		return rc;

	admin_user_init(&u);
	admin_role_init(&super);
	rc = begin_tx(app, e);
	if (rc < 0)
		goto out;
	/* again inside the write transaction: one first admin only */
	rc = store_admin_user_count(app->store, &count);
	if (rc == 0 && count > 0)
		rc = err_set(e, ERR_APPLICATION,
			     "You cannot register a new super admin");
	else if (rc < 0)
		rc = storage_failed(rc, e);
	if (rc == 0) {
		rc = store_admin_role_get_by_code(
		    app->store, RBAC_SUPER_ADMIN_CODE, &super);
		if (rc == ERR_NOT_FOUND)
			rc = err_set(e, ERR_APPLICATION,
				     "Cannot register the first admin because "
				     "the super admin role doesn't exist.");
		else if (rc < 0)
			rc = storage_failed(rc, e);
	}
	if (rc == 0) {
		u.email =
		    xstrdup(json_string_value(json_object_get(body, "email")));
		u.firstname = xstrdup(
		    json_string_value(json_object_get(body, "firstname")));
		u.lastname = opt_dup(json_object_get(body, "lastname"));
		u.password = hash;
		hash = NULL;
		u.is_active = true;
		u.roles = xcalloc(1, sizeof(*u.roles));
		admin_role_init(&u.roles[0]);
		u.roles[0].id = super.id;
		u.n_roles = 1;
		rc = store_admin_user_insert(app->store, &u);
		if (rc < 0)
			rc = storage_failed(rc, e);
	}
	if (rc < 0) {
		abort_tx(app, rc);
		goto out;
	}
	rc = commit_tx(app, e);
	if (rc == 0)
		rc = get_user(app, u.id, out, "User does not exist", e);
out:
	secret_free(hash);
	admin_role_release(&super);
	admin_user_release(&u);
	return rc;
}

int
admin_users_login(struct app *app, json_t *body, struct admin_user *out,
		  struct err *e)
{
	json_t *jemail = json_object_get(body, "email");
	json_t *jpass = json_object_get(body, "password");
	const char *pass = json_string_value(jpass);
	struct buf email = BUF_INIT;
	char *folded;
	int rc;

	admin_user_init(out);
	if (!is_truthy(jemail) || !is_truthy(jpass))
		return err_set(e, ERR_APPLICATION, "Missing credentials");
	/* lodash toLower(): a number becomes its text */
	if (json_is_string(jemail))
		buf_addstr(&email, json_string_value(jemail));
	else if (json_is_number(jemail))
		print_number(&email, jemail);
	folded = lower_dup(email.ptr);
	buf_release(&email);
	rc = store_admin_user_get_by_email(app->store, folded, out);
	free(folded);
	if (rc < 0 && rc != ERR_NOT_FOUND)
		return storage_failed(rc, e);
	if (rc == ERR_NOT_FOUND || !out->password || !pass) {
		/* the same work as a real check, with the same answer */
		password_verify(dummy_hash, pass ? pass : "");
		admin_user_release(out);
		return err_set(e, ERR_APPLICATION, "Invalid credentials");
	}
	if (password_verify(out->password, pass) < 0) {
		admin_user_release(out);
		return err_set(e, ERR_APPLICATION, "Invalid credentials");
	}
	if (!out->is_active || out->blocked) {
		admin_user_release(out);
		return err_set(e, ERR_APPLICATION, "User not active");
	}
	return 0;
}

/*
 * Strapi's normalizeEmail(): a string "email" member of 'obj' (a copy of
 * the body; the value is replaced, not changed in place) is lower-cased.
 */
static void
normalize_email(json_t *obj)
{
	json_t *v = json_object_get(obj, "email");
	char *low;

	if (!json_is_string(v))
		return;
	low = lower_dup(json_string_value(v));
	json_object_set_new(obj, "email", json_string(low));
	free(low);
}

/* ApplicationError when 'email' belongs to a user other than 'self'. */
static int
check_email_free(struct app *app, const char *email, int64_t self,
		 const char *msg, json_t *details, struct err *e)
{
	struct admin_user other;
	int rc = store_admin_user_get_by_email(app->store, email, &other);
	int64_t other_id = other.id;

	admin_user_release(&other);
	if (rc == ERR_NOT_FOUND || (rc == 0 && other_id == self)) {
		json_decref(details);
		return 0;
	}
	if (rc < 0) {
		json_decref(details);
		return storage_failed(rc, e);
	}
	return err_set_details_new(e, ERR_APPLICATION, details, "%s", msg);
}

int
admin_users_create(struct app *app, json_t *body,
		   const struct rbac_set *ceiling, struct admin_user *out,
		   struct err *e)
{
	static const char *const keys[] = {
	    "email",    "firstname", "lastname", "roles", "preferedLanguage",
	    "password", "isActive"};
	json_t *copy = NULL, *jpass, *jactive;
	struct admin_role *roles = NULL;
	size_t n_roles = 0;
	struct admin_user u;
	struct vpath root, p;
	char *hash = NULL;
	int rc;

	admin_user_init(out);
	admin_user_init(&u);
	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	/* Strapi lower-cases the email first, '' when absent */
	copy = body ? json_copy(body) : json_object();
	if (!json_object_get(copy, "email"))
		json_object_set_new(copy, "email", json_string(""));
	normalize_email(copy);
	jpass = json_object_get(copy, "password");
	jactive = json_object_get(copy, "isActive");

	check_email(e, json_object_get(copy, "email"), true, false);
	check_firstname(e, json_object_get(copy, "firstname"), true);
	check_plain_string(e, "lastname", json_object_get(copy, "lastname"),
			   false);
	check_id_array(e, "roles", json_object_get(copy, "roles"), true);
	check_plain_string(e, "preferedLanguage",
			   json_object_get(copy, "preferedLanguage"), true);
	check_password(e, jpass, false);
	check_bool(e, "isActive", jactive);
	if (json_is_true(jactive) && !json_is_string(jpass)) {
		vpath_field(&p, "isActive");
		err_add_validation(e, p.segs, jactive,
				   "isActive cannot be true without a password "
				   "(tollgate sends no invitations)");
	}
	vpath_root(&root);
	check_unknown(e, &root, body ? body : copy, keys, ARRAY_SIZE(keys));
	rc = err_finish_validation(e);
	if (rc < 0)
		goto out;

	rc = resolve_roles(app, json_object_get(copy, "roles"), &roles,
			   &n_roles, e);
	if (rc == 0)
		rc = check_role_ceiling(app, ceiling, roles, n_roles, NULL, e);
	if (rc == 0)
		rc = check_email_free(
		    app, json_string_value(json_object_get(copy, "email")), 0,
		    "Email already taken",
		    json_pack("{s:s}", "code", "EMAIL_ALREADY_TAKEN"), e);
	if (rc == 0 && json_is_string(jpass))
		rc = hash_password(json_string_value(jpass), &hash, e);
	if (rc < 0)
		goto out;

	u.email = xstrdup(json_string_value(json_object_get(copy, "email")));
	u.firstname =
	    xstrdup(json_string_value(json_object_get(copy, "firstname")));
	u.lastname = opt_dup(json_object_get(copy, "lastname"));
	u.prefered_language =
	    opt_dup(json_object_get(copy, "preferedLanguage"));
	u.password = hash;
	hash = NULL;
	u.is_active = u.password && !json_is_false(jactive);
	u.roles = roles;
	u.n_roles = n_roles;
	roles = NULL;
	n_roles = 0;
	rc = store_admin_user_insert(app->store, &u);
	if (rc == ERR_CONFLICT)
		rc = err_set_details_new(
		    e, ERR_APPLICATION,
		    json_pack("{s:s}", "code", "EMAIL_ALREADY_TAKEN"),
		    "Email already taken");
	else if (rc == ERR_VALIDATION)
		rc = err_set(e, ERR_VALIDATION,
			     "1 relation(s) of type admin::role associated "
			     "with this entity do not exist");
	else if (rc < 0)
		rc = storage_failed(rc, e);
	if (rc == 0)
		rc = get_user(app, u.id, out, "User does not exist", e);
out:
	roles_free(roles, n_roles);
	secret_free(hash);
	admin_user_release(&u);
	json_decref(copy);
	return rc;
}

/*
 * What an update body asks for, validated: the fields to write in 'u' and
 * their USER_UPD_* flags. 'u' starts as the stored user.
 */
/* Replace the string '*field' by a copy of 'v' (NULL for null). */
static void
set_field(char **field, json_t *v)
{
	free(*field);
	*field = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int
apply_update(json_t *body, struct admin_user *u, unsigned *flags, struct err *e)
{
	static const struct {
		const char *key;
		size_t offset;
		unsigned flag;
	} strings[] = {
	    {"firstname", offsetof(struct admin_user, firstname),
	     USER_UPD_FIRSTNAME},
	    {"lastname", offsetof(struct admin_user, lastname),
	     USER_UPD_LASTNAME},
	    {"username", offsetof(struct admin_user, username),
	     USER_UPD_USERNAME},
	    {"email", offsetof(struct admin_user, email), USER_UPD_EMAIL},
	    {"preferedLanguage", offsetof(struct admin_user, prefered_language),
	     USER_UPD_LANGUAGE},
	};
	bool had_password = u->password != NULL;
	char *hash = NULL;
	json_t *v;
	size_t i;
	int rc;

	*flags = 0;
	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		v = json_object_get(body, strings[i].key);
		if (!v)
			continue;
		set_field((char **)((char *)u + strings[i].offset), v);
		*flags |= strings[i].flag;
	}
	v = json_object_get(body, "isActive");
	if (v) {
		u->is_active = json_is_true(v);
		*flags |= USER_UPD_ACTIVE;
	}
	v = json_object_get(body, "blocked");
	if (v) {
		u->blocked = json_is_true(v);
		*flags |= USER_UPD_BLOCKED;
	}
	v = json_object_get(body, "password");
	if (v) {
		rc = hash_password(json_string_value(v), &hash, e);
		if (rc < 0)
			return rc;
		secret_free(u->password);
		u->password = hash;
		*flags |= USER_UPD_PASSWORD;
		/* a user waiting for a first password becomes usable */
		if (!had_password && !(*flags & USER_UPD_ACTIVE)) {
			u->is_active = true;
			*flags |= USER_UPD_ACTIVE;
		}
	}
	return 0;
}

/* Replace u->roles by 'roles' (taken). */
static void
set_roles(struct admin_user *u, struct admin_role *roles, size_t n)
{
	roles_free(u->roles, u->n_roles);
	u->roles = roles;
	u->n_roles = n;
}

static int
update_failed(int rc, struct err *e)
{
	if (rc == ERR_CONFLICT)
		return err_set(e, ERR_APPLICATION,
			       "A user with this email address already exists");
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "User does not exist");
	if (rc == ERR_VALIDATION)
		return err_set(e, ERR_VALIDATION,
			       "1 relation(s) of type admin::role associated "
			       "with this entity do not exist");
	return storage_failed(rc, e);
}

int
admin_users_update(struct app *app, int64_t id, json_t *body,
		   const struct rbac_set *ceiling, struct admin_user *out,
		   struct err *e)
{
	static const char *const keys[] = {
	    "email",    "firstname", "lastname", "username",        "password",
	    "isActive", "roles",     "blocked",  "preferedLanguage"};
	json_t *copy = NULL, *jemail;
	struct admin_role *roles = NULL;
	size_t n_roles = 0;
	struct admin_user u, check;
	struct vpath root;
	unsigned flags = 0;
	bool in_tx = false;
	int rc;

	admin_user_init(out);
	admin_user_init(&u);
	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	copy = body ? json_copy(body) : json_object();
	normalize_email(copy);
	jemail = json_object_get(copy, "email");
	check_email(e, jemail, false, false);
	if (json_object_get(copy, "firstname"))
		check_firstname(e, json_object_get(copy, "firstname"), false);
	check_plain_string(e, "lastname", json_object_get(copy, "lastname"),
			   true);
	check_username(e, json_object_get(copy, "username"));
	check_password(e, json_object_get(copy, "password"), false);
	check_bool(e, "isActive", json_object_get(copy, "isActive"));
	check_id_array(e, "roles", json_object_get(copy, "roles"), false);
	check_bool(e, "blocked", json_object_get(copy, "blocked"));
	check_plain_string(e, "preferedLanguage",
			   json_object_get(copy, "preferedLanguage"), true);
	vpath_root(&root);
	check_unknown(e, &root, body ? body : copy, keys, ARRAY_SIZE(keys));
	rc = err_finish_validation(e);
	if (rc < 0)
		goto out;

	if (jemail) {
		rc = check_email_free(
		    app, json_string_value(jemail), id,
		    "A user with this email address already exists", NULL, e);
		if (rc < 0)
			goto out;
	}
	if (json_object_get(copy, "roles")) {
		rc = resolve_roles(app, json_object_get(copy, "roles"), &roles,
				   &n_roles, e);
		if (rc < 0)
			goto out;
	}
	rc = get_user(app, id, &u, "User does not exist", e);
	if (rc == 0 && roles)
		rc = check_role_ceiling(app, ceiling, roles, n_roles, &u, e);
	if (rc == 0)
		rc = apply_update(copy, &u, &flags, e);
	if (rc < 0)
		goto out;
	if (roles) {
		set_roles(&u, roles, n_roles);
		roles = NULL;
		n_roles = 0;
		flags |= USER_UPD_ROLES;
	}

	rc = begin_tx(app, e);
	if (rc < 0)
		goto out;
	in_tx = true;
	/* the rule is judged on the stored state, inside the transaction */
	rc = get_user(app, id, &check, "User does not exist", e);
	if (rc == 0) {
		rc = check_super_admin_remains(
		    app, &check,
		    u.is_active && !u.blocked && admin_user_is_super_admin(&u),
		    e);
		admin_user_release(&check);
	}
	if (rc == 0) {
		u.updated_at = 0;
		rc = store_admin_user_update(app->store, &u, flags);
		if (rc < 0)
			rc = update_failed(rc, e);
	}
	if (rc < 0)
		goto out;
	in_tx = false;
	rc = commit_tx(app, e);
	/* the user's admin tokens lose what the user no longer holds */
	if (rc == 0 && (flags & USER_UPD_ROLES))
		rc = token_service_admin_reclamp(app->tokens, id, e);
	if (rc == 0)
		rc = get_user(app, id, out, "User does not exist", e);
out:
	if (in_tx)
		abort_tx(app, rc);
	roles_free(roles, n_roles);
	admin_user_release(&u);
	json_decref(copy);
	return rc;
}

int
admin_users_update_profile(struct app *app, int64_t id, json_t *body,
			   struct admin_user *out, struct err *e)
{
	static const char *const keys[] = {
	    "email",    "firstname",       "lastname",        "username",
	    "password", "currentPassword", "preferedLanguage"};
	json_t *jpass, *jcur, *jemail;
	struct admin_user u;
	struct vpath root, p;
	unsigned flags = 0;
	json_t *upd;
	int rc;

	admin_user_init(out);
	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	jemail = json_object_get(body, "email");
	jpass = json_object_get(body, "password");
	jcur = json_object_get(body, "currentPassword");
	check_email(e, jemail, false, false);
	if (json_object_get(body, "firstname"))
		check_firstname(e, json_object_get(body, "firstname"), false);
	check_plain_string(e, "lastname", json_object_get(body, "lastname"),
			   true);
	check_username(e, json_object_get(body, "username"));
	check_password(e, jpass, false);
	vpath_field(&p, "currentPassword");
	if (check_type(e, &p, jcur, "string", false)) {
		if (jpass && !*json_string_value(jcur))
			required_error(e, &p, jcur);
	} else if (!jcur && jpass) {
		required_error(e, &p, NULL);
	}
	check_plain_string(e, "preferedLanguage",
			   json_object_get(body, "preferedLanguage"), true);
	vpath_root(&root);
	if (body)
		check_unknown(e, &root, body, keys, ARRAY_SIZE(keys));
	rc = err_finish_validation(e);
	if (rc < 0)
		return rc;

	rc = get_user(app, id, &u, "User does not exist", e);
	if (rc < 0)
		return rc;
	if (is_truthy(jcur) && is_truthy(jpass) &&
	    password_verify(u.password, json_string_value(jcur)) < 0) {
		admin_user_release(&u);
		return err_set_details_new(e, ERR_BAD_REQUEST,
					   json_pack("{s:[s]}",
						     "currentPassword",
						     "Invalid credentials"),
					   "ValidationError");
	}
	if (jemail) {
		rc = check_email_free(
		    app, json_string_value(jemail), id,
		    "A user with this email address already exists", NULL, e);
		if (rc < 0) {
			admin_user_release(&u);
			return rc;
		}
	}
	/* apply_update() reads only the profile's keys here */
	/* shallow: the copy shares the body's strings, plaintexts included */
	upd = body ? json_copy(body) : json_object();
	json_object_del(upd, "currentPassword");
	rc = apply_update(upd, &u, &flags, e);
	json_decref(upd);
	if (rc == 0) {
		u.updated_at = 0;
		rc = store_admin_user_update(app->store, &u, flags);
		if (rc < 0)
			rc = update_failed(rc, e);
	}
	admin_user_release(&u);
	if (rc == 0)
		rc = get_user(app, id, out, "User does not exist", e);
	return rc;
}

int
admin_users_delete(struct app *app, int64_t id, struct admin_user *out,
		   struct err *e)
{
	int rc;

	admin_user_init(out);
	rc = begin_tx(app, e);
	if (rc < 0)
		return rc;
	rc = get_user(app, id, out, "User not found", e);
	if (rc == 0)
		rc = check_super_admin_remains(app, out, false, e);
	if (rc == 0) {
		rc = store_admin_user_delete(app->store, id);
		if (rc == ERR_NOT_FOUND)
			rc = err_set(e, ERR_NOT_FOUND, "User not found");
		else if (rc < 0)
			rc = storage_failed(rc, e);
	}
	if (rc < 0) {
		abort_tx(app, rc);
		admin_user_release(out);
		return rc;
	}
	rc = commit_tx(app, e);
	if (rc < 0)
		admin_user_release(out);
	return rc;
}

/* {ids:[...]}: array(strapiID()).min(1).required(), nothing else. */
static int
check_ids_body(json_t *body, struct err *e)
{
	static const char *const keys[] = {"ids"};
	struct vpath root;
	int rc;

	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	check_id_array(e, "ids", json_object_get(body, "ids"), true);
	vpath_root(&root);
	if (body)
		check_unknown(e, &root, body, keys, ARRAY_SIZE(keys));
	return err_finish_validation(e);
}

int
admin_users_delete_many(struct app *app, json_t *body, int64_t self_id,
			struct admin_user **out, size_t *n, struct err *e)
{
	json_t *ids, *x;
	struct admin_user *users = NULL;
	int64_t *skip = NULL, id, others = 0;
	size_t i, nu = 0, k;
	bool any_super = false;
	int rc;

	*out = NULL;
	*n = 0;
	rc = check_ids_body(body, e);
	if (rc < 0)
		return rc;
	ids = json_object_get(body, "ids");
	json_array_foreach(ids, i, x) if (
	    id_value(x, &id) &&
	    id == self_id) return err_set(e, ERR_APPLICATION,
					  "You cannot delete your own user");

	rc = begin_tx(app, e);
	if (rc < 0)
		return rc;
	users = xcalloc(json_array_size(ids), sizeof(*users));
	skip = xcalloc(json_array_size(ids), sizeof(*skip));
	json_array_foreach(ids, i, x)
	{
		if (!id_value(x, &id))
			continue;
		for (k = 0; k < nu; k++)
			if (users[k].id == id)
				break;
		if (k < nu)
			continue;
		rc = store_admin_user_get(app->store, id, &users[nu]);
		if (rc == ERR_NOT_FOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0) {
			rc = storage_failed(rc, e);
			goto out;
		}
		skip[nu] = id;
		if (admin_user_is_super_admin(&users[nu]))
			any_super = true;
		nu++;
	}
	if (any_super) {
		rc = count_active_super_admins(app, skip, nu, &others, e);
		if (rc == 0 && others == 0)
			rc = err_set(e, ERR_VALIDATION, LAST_SUPER_ADMIN);
		if (rc < 0)
			goto out;
	}
	for (k = 0; k < nu && rc == 0; k++) {
		rc = store_admin_user_delete(app->store, users[k].id);
		if (rc < 0)
			rc = storage_failed(rc, e);
	}
out:
	free(skip);
	if (rc < 0) {
		abort_tx(app, rc);
		for (k = 0; k < nu; k++)
			admin_user_release(&users[k]);
		free(users);
		return rc;
	}
	rc = commit_tx(app, e);
	if (rc < 0) {
		for (k = 0; k < nu; k++)
			admin_user_release(&users[k]);
		free(users);
		return rc;
	}
	*out = users;
	*n = nu;
	return 0;
}

int
admin_users_reset_password(struct app *app, const char *email,
			   const char *password, struct err *e)
{
	struct admin_user u;
	unsigned flags = USER_UPD_PASSWORD;
	char *hash = NULL;
	int rc;

	if (!password || !*password) {
		const char *path[] = {"password", NULL};

		err_add_validation(e, path, NULL,
				   "password is a required field");
		return err_finish_validation(e);
	}
	if (password_check_rules(password, "password", e) > 0)
		return err_finish_validation(e);
	rc = store_admin_user_get_by_email(app->store, email, &u);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND,
			       "no administrator has the email '%.200s'",
			       email);
	if (rc < 0)
		return storage_failed(rc, e);
	rc = hash_password(password, &hash, e);
	if (rc == 0) {
		if (!u.password) {
			/* created without a password: now usable */
			u.is_active = true;
			flags |= USER_UPD_ACTIVE;
		}
		secret_free(u.password);
		u.password = hash;
		u.updated_at = 0;
		rc = store_admin_user_update(app->store, &u, flags);
		/* a new password ends every session opened with the old one */
		if (rc == 0)
			rc = store_session_delete_user(app->store, u.id, NULL);
		if (rc < 0)
			rc = storage_failed(rc, e);
	}
	admin_user_release(&u);
	return rc;
}

/* properties for a super admin's permission on 'ct' for 'action'. */
static char *
super_admin_properties(const char *action, const struct content_type *ct)
{
	json_t *props, *fields;
	size_t i;
	char *s;

	for (i = 0; i < ARRAY_SIZE(field_actions); i++)
		if (!strcmp(action, field_actions[i]))
			break;
	if (!ct || i == ARRAY_SIZE(field_actions))
		return xstrdup("{}");
	fields = json_array();
	for (i = 0; i < ct->n_attrs; i++)
		json_array_append_new(fields, json_string(ct->attrs[i].name));
	props = json_pack("{s:o}", "fields", fields);
	s = json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(props);
	return s ? s : xstrdup("{}");
}

int
admin_users_permissions(struct app *app, const struct admin_user *u,
			struct admin_permission **out, size_t *n, struct err *e)
{
	struct admin_permission *all = NULL, *p;
	size_t na = 0, alloc = 0, i, j, np;
	const struct content_type *ct;
	int rc;

	*out = NULL;
	*n = 0;
	if (admin_user_is_super_admin(u)) {
		for (i = 0; i < rbac_n_actions; i++) {
			const struct rbac_action *a = &rbac_actions[i];
			size_t nt = a->needs_subject ? app->reg.n_types : 1;

			for (j = 0; j < nt; j++) {
				ct = a->needs_subject ? &app->reg.types[j]
						      : NULL;
				if (!rbac_valid(&app->reg, a->uid,
						ct ? ct->uid : NULL))
					continue;
				if (na == alloc) {
					alloc = alloc ? alloc * 2 : 32;
					all =
					    xrealloc(all, alloc * sizeof(*all));
				}
				p = &all[na];
				memset(p, 0, sizeof(*p));
				p->id = (int64_t)++na;
				p->action = xstrdup(a->uid);
				p->subject = ct ? xstrdup(ct->uid) : NULL;
				p->properties =
				    super_admin_properties(a->uid, ct);
				p->conditions = xstrdup("[]");
			}
		}
		*out = all;
		*n = na;
		return 0;
	}
	for (i = 0; i < u->n_roles; i++) {
		rc = store_admin_role_permissions(app->store, u->roles[i].id,
						  &p, &np);
		if (rc == ERR_NOT_FOUND)
			continue;
		if (rc < 0) {
			admin_permissions_free(all, na);
			return storage_failed(rc, e);
		}
		if (np) {
			all = xrealloc(all, (na + np) * sizeof(*all));
			memcpy(all + na, p, np * sizeof(*p));
			na += np;
		}
		free(p);
	}
	*out = all;
	*n = na;
	return 0;
}

/* ---- roles -------------------------------------------------------------- */

static int
role_not_found(struct err *e)
{
	return err_set(e, ERR_NOT_FOUND, "role.notFound");
}

/* name: string().min(1) (required when asked); description: nullable. */
static int
check_role_body(json_t *body, bool create, struct err *e)
{
	static const char *const keys[] = {"name", "description"};
	json_t *name = json_object_get(body, "name");
	struct vpath p;
	int rc;

	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	vpath_field(&p, "name");
	if (check_type(e, &p, name, "string", false)) {
		if (!*json_string_value(name)) {
			err_add_validation(
			    e, p.segs, name,
			    "name must be at least 1 characters");
			if (create)
				required_error(e, &p, name);
		}
	} else if (!name && create) {
		required_error(e, &p, NULL);
	}
	check_plain_string(e, "description",
			   json_object_get(body, "description"), true);
	vpath_root(&p);
	if (body)
		check_unknown(e, &p, body, keys, ARRAY_SIZE(keys));
	return err_finish_validation(e);
}

/* ApplicationError when a role other than 'self' is named 'name'. */
static int
check_role_name_free(struct app *app, const char *name, int64_t self,
		     struct err *e)
{
	struct admin_role *roles;
	size_t n, i;
	bool taken = false;
	int rc = store_admin_role_list(app->store, &roles, &n);

	if (rc < 0)
		return storage_failed(rc, e);
	for (i = 0; i < n; i++) {
		if (roles[i].id != self && roles[i].name &&
		    !strcmp(roles[i].name, name))
			taken = true;
		admin_role_release(&roles[i]);
	}
	free(roles);
	if (taken)
		return err_set(e, ERR_APPLICATION,
			       "The name must be unique and a role with name "
			       "`%.300s` already exists.",
			       name);
	return 0;
}

/* lodash kebabCase(): words (case changes and digits split them), lower-cased,
 * joined by '-'. */
static void
kebab_case(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int prev = 0; /* 0 none, 'l' lower, 'u' upper, 'd' digit, 'x' other word
			 byte */
	bool need_dash = false;
	int cls;

	for (; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			cls = 'l';
		else if (*p >= 'A' && *p <= 'Z')
			cls = 'u';
		else if (*p >= '0' && *p <= '9')
			cls = 'd';
		else if (*p >= 0x80)
			cls = 'x';
		else
			cls = 0;
		if (!cls) {
			if (prev)
				need_dash = true;
			prev = 0;
			continue;
		}
		/* a new word: after a separator, lower->upper, letter<->digit,
		 * or the last capital of an acronym followed by a lower case */
		if (prev &&
		    ((prev == 'l' && cls == 'u') ||
		     ((prev == 'd') != (cls == 'd')) ||
		     (prev == 'u' && cls == 'u' && p[1] >= 'a' && p[1] <= 'z')))
			need_dash = true;
		if (need_dash && b->len)
			buf_addch(b, '-');
		need_dash = false;
		buf_addch(b, cls == 'u' ? (char)(*p - 'A' + 'a') : (char)*p);
		prev = cls;
	}
}

/* Strapi's timestampCode(): the time in ms, in base 36. */
static void
base36(struct buf *b, int64_t v)
{
	char tmp[32];
	size_t n = 0;

	if (v <= 0) {
		buf_addch(b, '0');
		return;
	}
	while (v > 0 && n < sizeof(tmp)) {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	}
	while (n)
		buf_addch(b, tmp[--n]);
}

int
admin_roles_create(struct app *app, json_t *body, struct admin_role *out,
		   struct err *e)
{
	const char *name;
	struct buf code = BUF_INIT;
	int rc;

	admin_role_init(out);
	rc = check_role_body(body, true, e);
	if (rc < 0)
		return rc;
	name = json_string_value(json_object_get(body, "name"));
	rc = check_role_name_free(app, name, 0, e);
	if (rc < 0)
		return rc;
	kebab_case(&code, name);
	buf_addch(&code, '-');
	base36(&code, time_now_ms());
	out->name = xstrdup(name);
	out->code = buf_detach(&code, NULL);
	out->description = opt_dup(json_object_get(body, "description"));
	rc = store_admin_role_insert(app->store, out);
	if (rc == ERR_CONFLICT)
		rc = err_set(e, ERR_APPLICATION,
			     "The name must be unique and a role with name "
			     "`%.300s` already exists.",
			     name);
	else if (rc < 0)
		rc = storage_failed(rc, e);
	if (rc < 0)
		admin_role_release(out);
	return rc;
}

int
admin_roles_update(struct app *app, int64_t id, json_t *body,
		   struct admin_role *out, struct err *e)
{
	json_t *name, *desc;
	int rc;

	admin_role_init(out);
	rc = check_role_body(body, false, e);
	if (rc < 0)
		return rc;
	rc = store_admin_role_get(app->store, id, out);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	if (out->code && !strcmp(out->code, RBAC_SUPER_ADMIN_CODE)) {
		admin_role_release(out);
		return err_set(e, ERR_APPLICATION,
			       "Super admin can't be edited.");
	}
	name = json_object_get(body, "name");
	desc = json_object_get(body, "description");
	if (name) {
		rc = check_role_name_free(app, json_string_value(name), id, e);
		if (rc < 0) {
			admin_role_release(out);
			return rc;
		}
		free(out->name);
		out->name = xstrdup(json_string_value(name));
	}
	if (desc) {
		free(out->description);
		out->description = opt_dup(desc);
	}
	out->updated_at = 0;
	rc = store_admin_role_update(app->store, out);
	admin_role_release(out);
	if (rc == ERR_CONFLICT)
		return err_set(e, ERR_APPLICATION,
			       "The name must be unique and a role with name "
			       "`%.300s` already exists.",
			       json_string_value(name));
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	rc = store_admin_role_get(app->store, id, out);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	return rc < 0 ? storage_failed(rc, e) : 0;
}

/*
 * Strapi's checkRolesIdForDeletion() for one role: the Super Admin role
 * and roles still held by users stay.
 */
static const char *
role_deletion_refused(const struct admin_role *r)
{
	if (r->code && !strcmp(r->code, RBAC_SUPER_ADMIN_CODE))
		return "You cannot delete the super admin role";
	if (r->users_count > 0)
		return "Some roles are still assigned to some users";
	return NULL;
}

int
admin_roles_delete(struct app *app, const char *id_text, struct admin_role *out,
		   bool *deleted, struct err *e)
{
	const char *path[] = {"id", NULL};
	const char *refused;
	json_t *v;
	int64_t id = 0;
	char *end;
	int rc;

	admin_role_init(out);
	*deleted = false;
	if (!id_text || !isdigit((unsigned char)*id_text))
		return 0;
	errno = 0;
	id = strtoll(id_text, &end, 10);
	if (errno || *end || id <= 0)
		return 0;
	rc = store_admin_role_get(app->store, id, out);
	if (rc == ERR_NOT_FOUND)
		return 0;
	if (rc < 0)
		return storage_failed(rc, e);
	refused = role_deletion_refused(out);
	if (!refused) {
		rc = store_admin_role_delete(app->store, id);
		if (rc == ERR_NOT_FOUND) {
			admin_role_release(out);
			return 0;
		}
		if (rc == ERR_CONFLICT)
			refused = "Some roles are still assigned to some users";
		else if (rc < 0) {
			admin_role_release(out);
			return storage_failed(rc, e);
		}
	}
	if (refused) {
		admin_role_release(out);
		v = json_string(id_text);
		err_add_validation(e, path, v, "%s", refused);
		json_decref(v);
		return err_finish_validation(e);
	}
	*deleted = true;
	return 0;
}

int
admin_roles_delete_many(struct app *app, json_t *body, struct admin_role **out,
			size_t *n, struct err *e)
{
	const char *path[] = {"ids", NULL};
	struct admin_role *roles = NULL;
	const char *refused = NULL;
	size_t i, nr = 0, k;
	json_t *ids, *x;
	int64_t id;
	int rc;

	*out = NULL;
	*n = 0;
	rc = check_ids_body(body, e);
	if (rc < 0)
		return rc;
	ids = json_object_get(body, "ids");
	rc = begin_tx(app, e);
	if (rc < 0)
		return rc;
	roles = xcalloc(json_array_size(ids), sizeof(*roles));
	json_array_foreach(ids, i, x)
	{
		if (!id_value(x, &id))
			continue;
		for (k = 0; k < nr; k++)
			if (roles[k].id == id)
				break;
		if (k < nr)
			continue;
		rc = store_admin_role_get(app->store, id, &roles[nr]);
		if (rc == ERR_NOT_FOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0) {
			rc = storage_failed(rc, e);
			goto out;
		}
		nr++;
	}
	/* the super admin role is reported first, as Strapi checks it first */
	for (k = 0; k < nr && !refused; k++)
		if (roles[k].code &&
		    !strcmp(roles[k].code, RBAC_SUPER_ADMIN_CODE))
			refused = role_deletion_refused(&roles[k]);
	for (k = 0; k < nr && !refused; k++)
		refused = role_deletion_refused(&roles[k]);
	if (refused) {
		err_add_validation(e, path, ids, "%s", refused);
		rc = err_finish_validation(e);
		goto out;
	}
	for (k = 0; k < nr && rc == 0; k++) {
		rc = store_admin_role_delete(app->store, roles[k].id);
		if (rc == ERR_CONFLICT) {
			err_add_validation(
			    e, path, ids,
			    "Some roles are still assigned to some users");
			rc = err_finish_validation(e);
		} else if (rc < 0) {
			rc = storage_failed(rc, e);
		}
	}
out:
	if (rc < 0) {
		abort_tx(app, rc);
		roles_free(roles, nr);
		return rc;
	}
	rc = commit_tx(app, e);
	if (rc < 0) {
		roles_free(roles, nr);
		return rc;
	}
	*out = roles;
	*n = nr;
	return 0;
}

/* properties.fields: array(string()).nullable() without duplicates. */
static void
check_fields(struct err *e, const struct vpath *props, json_t *fields)
{
	struct vpath p;
	json_t *x, *y;
	size_t i, j;
	bool dup = false;

	vpath_child(&p, props, "fields");
	if (!fields || json_is_null(fields))
		return;
	if (!json_is_array(fields)) {
		struct buf b = BUF_INIT;

		print_value(&b, fields);
		err_add_validation(e, p.segs, fields,
				   "this must be a `array` type, but the final "
				   "value was: `%s`.",
				   b.ptr);
		buf_release(&b);
		return;
	}
	json_array_foreach(fields, i, x)
	{
		if (!json_is_string(x)) {
			struct buf b = BUF_INIT;

			print_value(&b, x);
			err_add_validation(e, p.segs, fields,
					   "[%zu] must be a `string` type, but "
					   "the final value was: `%s`.",
					   i, b.ptr);
			buf_release(&b);
			return;
		}
		for (j = 0; j < i; j++) {
			y = json_array_get(fields, j);
			if (json_is_string(y) && json_equal(x, y))
				dup = true;
		}
	}
	if (dup)
		err_add_validation(e, p.segs, fields,
				   "Fields format are incorrect (duplicates).");
}

/* Whether 'action' takes properties.fields. */
static bool
takes_fields(const char *action)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(field_actions); i++)
		if (!strcmp(action, field_actions[i]))
			return true;
	return false;
}

/* One element of permissions[]: Strapi's permission schema. */
static void
check_permission(struct app *app, struct err *e, const struct vpath *list,
		 size_t i, json_t *perm)
{
	static const char *const keys[] = {"action", "actionParameters",
					   "subject", "properties",
					   "conditions"};
	json_t *action, *subject, *props, *conds, *x;
	const struct rbac_action *known = NULL;
	struct vpath p, fp, cp;
	const char *key;
	size_t j;
	bool subject_ok = true, props_ok = true;

	vpath_item(&p, list, i, NULL);
	if (!json_is_object(perm)) {
		type_error(e, &p, "object", perm);
		return;
	}
	action = json_object_get(perm, "action");
	subject = json_object_get(perm, "subject");
	props = json_object_get(perm, "properties");
	conds = json_object_get(perm, "conditions");

	vpath_item(&fp, list, i, "action");
	if (check_type(e, &fp, action, "string", false)) {
		known = rbac_find(json_string_value(action));
		if (!*json_string_value(action))
			required_error(e, &fp, action);
		if (!known)
			err_add_validation(e, fp.segs, action,
					   "action is not an existing "
					   "permission action");
	} else if (!action) {
		required_error(e, &fp, NULL);
	}

	vpath_item(&fp, list, i, "actionParameters");
	check_type(e, &fp, json_object_get(perm, "actionParameters"), "object",
		   true);

	vpath_item(&fp, list, i, "subject");
	if (subject && !json_is_null(subject) && !json_is_string(subject)) {
		type_error(e, &fp, "string", subject);
		subject_ok = false;
	}
	if (subject_ok && known &&
	    !rbac_valid(&app->reg, known->uid, json_string_value(subject)))
		err_add_validation(e, fp.segs, subject,
				   "Invalid subject submitted");

	vpath_item(&fp, list, i, "properties");
	if (props && !check_type(e, &fp, props, "object", false))
		props_ok = false;
	if (props_ok && known && json_object_size(props)) {
		bool fields = takes_fields(known->uid);

		json_object_foreach(props, key,
				    x) if (!fields || strcmp(key, "fields"))
		    props_ok = false;
		if (!props_ok)
			err_add_validation(e, fp.segs, props,
					   "Invalid property set at %s",
					   fp.label);
		else
			check_fields(e, &fp, json_object_get(props, "fields"));
	}

	vpath_item(&cp, list, i, "conditions");
	if (check_type(e, &cp, conds, "array", false)) {
		bool all_strings = true;

		json_array_foreach(conds, j, x)
		{
			if (!json_is_string(x)) {
				struct vpath ip;

				vpath_item(&ip, &cp, j, NULL);
				type_error(e, &ip, "string", x);
				all_strings = false;
			}
		}
		/* tollgate supports no condition at all */
		if (all_strings && json_array_size(conds))
			err_add_validation(
			    e, cp.segs, conds,
			    "contains conditions that don't exist");
	}
	check_unknown(e, &p, perm, keys, ARRAY_SIZE(keys));
}

static bool
same_subject(json_t *a, json_t *b)
{
	bool na = !a || json_is_null(a), nb = !b || json_is_null(b);

	if (na || nb)
		return na && nb;
	return json_equal(a, b);
}

/* The permissions[] schema, then the duplicate test, then noUnknown. */
static int
check_permissions_body(struct app *app, json_t *body, struct err *e)
{
	static const char *const keys[] = {"permissions"};
	json_t *list = json_object_get(body, "permissions"), *a, *b;
	struct vpath p, root;
	size_t i, j;
	bool dup = false;
	int rc;

	rc = check_body(body, e);
	if (rc < 0)
		return rc;
	vpath_field(&p, "permissions");
	if (check_type(e, &p, list, "array", false)) {
		json_array_foreach(list, i, a)
		    check_permission(app, e, &p, i, a);
		for (i = 0; i < json_array_size(list) && !dup; i++) {
			a = json_array_get(list, i);
			for (j = i + 1; j < json_array_size(list) && !dup;
			     j++) {
				b = json_array_get(list, j);
				if (json_is_object(a) && json_is_object(b) &&
				    json_equal(json_object_get(a, "action"),
					       json_object_get(b, "action")) &&
				    json_object_get(a, "action") &&
				    same_subject(json_object_get(a, "subject"),
						 json_object_get(b, "subject")))
					dup = true;
			}
		}
		if (dup)
			err_add_validation(e, p.segs, list,
					   "Some permissions are duplicated "
					   "(same action and subject)");
	} else if (!list) {
		required_error(e, &p, NULL);
	}
	vpath_root(&root);
	if (body)
		check_unknown(e, &root, body, keys, ARRAY_SIZE(keys));
	return err_finish_validation(e);
}

int
admin_roles_set_permissions(struct app *app, int64_t id, json_t *body,
			    const struct rbac_set *ceiling,
			    struct admin_permission **out, size_t *n,
			    struct err *e)
{
	struct admin_permission *perms = NULL;
	struct admin_role role;
	json_t *list, *x, *violations = NULL, *props;
	struct buf msg = BUF_INIT;
	size_t i, np = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = store_admin_role_get(app->store, id, &role);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	if (role.code && !strcmp(role.code, RBAC_SUPER_ADMIN_CODE)) {
		admin_role_release(&role);
		return err_set(e, ERR_APPLICATION,
			       "Super admin permissions can't be edited.");
	}
	admin_role_release(&role);
	rc = check_permissions_body(app, body, e);
	if (rc < 0)
		return rc;

	list = json_object_get(body, "permissions");
	json_array_foreach(list, i, x)
	{
		const char *action =
		    json_string_value(json_object_get(x, "action"));
		const char *subject =
		    json_string_value(json_object_get(x, "subject"));

		if (!ceiling || rbac_allows(ceiling, action, subject))
			continue;
		if (!violations)
			violations = json_array();
		json_array_append_new(
		    violations,
		    json_pack("{s:s,s:o,s:s}", "action", action, "subject",
			      subject ? json_string(subject) : json_null(),
			      "reason", "action-not-held"));
		buf_addstr(&msg, msg.len ? ", " : "");
		buf_addstr(&msg, action);
		if (subject)
			buf_addf(&msg, " on %s", subject);
	}
	if (violations) {
		rc = err_set_details_new(
		    e, ERR_POLICY, json_pack("{s:o}", "violations", violations),
		    "Cannot grant permissions that exceed your own: %.400s",
		    msg.ptr);
		buf_release(&msg);
		return rc;
	}
	buf_release(&msg);

	np = json_array_size(list);
	perms = xcalloc(np + 1, sizeof(*perms));
	json_array_foreach(list, i, x)
	{
		props = json_object_get(x, "properties");
		perms[i].action =
		    xstrdup(json_string_value(json_object_get(x, "action")));
		perms[i].subject = opt_dup(json_object_get(x, "subject"));
		perms[i].properties =
		    json_is_object(props)
			? json_dumps(props, JSON_COMPACT | JSON_PRESERVE_ORDER)
			: xstrdup("{}");
		perms[i].conditions = xstrdup("[]");
	}
	rc = store_admin_role_set_permissions(app->store, id, perms, np);
	admin_permissions_free(perms, np);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	if (rc < 0)
		return storage_failed(rc, e);
	/* admin tokens of the role's users lose what their owners lost */
	rc = token_service_admin_reclamp(app->tokens, 0, e);
	if (rc < 0)
		return rc;
	rc = store_admin_role_permissions(app->store, id, out, n);
	if (rc == ERR_NOT_FOUND)
		return role_not_found(e);
	return rc < 0 ? storage_failed(rc, e) : 0;
}
