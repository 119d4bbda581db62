/* SPDX-License-Identifier: MIT */
/*
 * dotenv.c: the .env file syntax, read and written. The dialect follows
 * the Node "dotenv" package that Strapi uses, so one file serves both:
 *
 *   # comment
 *   export KEY=value        unquoted: up to a '#', blanks trimmed
 *   KEY='literal # text'    single quotes: taken as is
 *   KEY="a\nb"              double quotes: \n \r \t \" \\ are escapes
 *
 * Quoted values may span lines. Unlike Node, a malformed line is an error,
 * not silently skipped. Which keys mean what is config.c's business.
 */
#include "core/compat.h"
#include "config/config.h"
#include "core/buf.h"
#include "core/mem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A real .env holds a few hundred bytes; anything this big is a mistake. */
#define DOTENV_MAX_SIZE (1 << 20)

struct cursor {
	const char *text;
	const char *p;
	const char *end;
	size_t line;
};

/* One KEY=VALUE; the offsets locate "KEY...VALUE" in the text. */
struct entry {
	size_t key_start;
	size_t value_end;
	char *key;
	struct buf value; /* may be a secret: wiped on release */
};

static void
entry_release(struct entry *ent)
{
	free(ent->key);
	ent->key = NULL;
	buf_release_secret(&ent->value);
}

static void
cursor_init(struct cursor *cur, const char *text, size_t len)
{
	cur->text = text;
	cur->p = text;
	cur->end = text + len;
	cur->line = 1;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		cur->p += 3;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool
is_key_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_key_char(char c)
{
	return is_key_start(c) || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-';
}

static void
skip_blanks(struct cursor *cur)
{
	while (cur->p < cur->end && is_blank(*cur->p))
		cur->p++;
}

/* Skip a '#' comment, if any, up to the end of the line. */
static void
skip_comment(struct cursor *cur)
{
	if (cur->p < cur->end && *cur->p == '#')
		while (cur->p < cur->end && *cur->p != '\n')
			cur->p++;
}

/* Consume the newline ending a line; false if other text comes first. */
static bool
end_line(struct cursor *cur)
{
	skip_blanks(cur);
	skip_comment(cur);
	if (cur->p == cur->end)
		return true;
	if (*cur->p != '\n')
		return false;
	cur->p++;
	cur->line++;
	return true;
}

static void
skip_export(struct cursor *cur)
{
	if (cur->end - cur->p > 6 && !memcmp(cur->p, "export", 6) &&
	    (cur->p[6] == ' ' || cur->p[6] == '\t')) {
		cur->p += 6;
		skip_blanks(cur);
	}
}

/* Unquoted: up to a '#' or the end of the line, trailing blanks trimmed. */
static void
read_bare(struct cursor *cur, struct buf *value)
{
	const char *start = cur->p;
	const char *last;

	while (cur->p < cur->end && *cur->p != '#' && *cur->p != '\n')
		cur->p++;
	last = cur->p;
	while (last > start && is_blank(last[-1]))
		last--;
	buf_add(value, start, (size_t)(last - start));
	cur->p = last;
}

static char
unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case '"':
	case '\\':
		return c;
	}
	return '\0';
}

/* The quote closing a value whose text starts at 'p', or NULL. */
static const char *
closing_quote(const char *p, const char *end, char quote)
{
	for (; p < end; p++) {
		if (*p == quote)
			return p;
		if (quote == '"' && *p == '\\' && p + 1 < end)
			p++;
	}
	return NULL;
}

static int
read_quoted(struct cursor *cur, struct buf *value, struct err *e)
{
	char quote = *cur->p;
	const char *p = cur->p + 1;
	const char *close = closing_quote(p, cur->end, quote);
	char c;

	if (!close)
		return err_set(e, ERR_VALIDATION,
			       "line %zu: unterminated quoted value",
			       cur->line);
	/* sized once: a value may be a secret, and must not be reallocated */
	buf_grow(value, (size_t)(close - p));
	for (; p < close; p++) {
		c = *p;
		if (c == '\n')
			cur->line++;
		if (quote == '"' && c == '\\' && unescape(p[1])) {
			c = unescape(p[1]);
			p++;
		}
		buf_addch(value, c);
	}
	cur->p = close + 1;
	return 0;
}

static int
read_key(struct cursor *cur, struct entry *ent, struct err *e)
{
	const char *start = cur->p;

	if (cur->p == cur->end || !is_key_start(*cur->p))
		return err_set(e, ERR_VALIDATION,
			       "line %zu: expected a variable name", cur->line);
	while (cur->p < cur->end && is_key_char(*cur->p))
		cur->p++;
	ent->key = xstrndup(start, (size_t)(cur->p - start));
	skip_blanks(cur);
	if (cur->p == cur->end || *cur->p != '=')
		return err_set(e, ERR_VALIDATION,
			       "line %zu: expected '=' after '%.64s'",
			       cur->line, ent->key);
	cur->p++;
	skip_blanks(cur);
	return 0;
}

/* Skip blank lines and comments; false at the end of the text. */
static bool
next_line(struct cursor *cur)
{
	for (;;) {
		skip_blanks(cur);
		skip_comment(cur);
		if (cur->p == cur->end)
			return false;
		if (*cur->p != '\n')
			return true;
		cur->p++;
		cur->line++;
	}
}

static int
read_value(struct cursor *cur, struct buf *value, struct err *e)
{
	if (cur->p < cur->end && (*cur->p == '"' || *cur->p == '\''))
		return read_quoted(cur, value, e);
	read_bare(cur, value);
	return 0;
}

/* The next entry: 1 when found, 0 at the end, or ERR_VALIDATION. */
static int
next_entry(struct cursor *cur, struct entry *ent, struct err *e)
{
	int ret;

	ent->key = NULL;
	buf_init(&ent->value);
	if (!next_line(cur))
		return 0;
	skip_export(cur);
	ent->key_start = (size_t)(cur->p - cur->text);
	ret = read_key(cur, ent, e);
	if (ret == 0)
		ret = read_value(cur, &ent->value, e);
	ent->value_end = (size_t)(cur->p - cur->text);
	if (ret == 0 && !end_line(cur))
		ret = err_set(e, ERR_VALIDATION,
			      "line %zu: unexpected text after the value",
			      cur->line);
	if (ret) {
		entry_release(ent);
		return ret;
	}
	return 1;
}

/* Values become C strings: a NUL byte would silently cut one short. */
static int
check_nul(const char *text, size_t len, struct err *e)
{
	const char *nul = memchr(text, '\0', len);
	size_t line = 1;
	const char *p;

	if (!nul)
		return 0;
	for (p = text; p < nul; p++)
		line += *p == '\n';
	return err_set(e, ERR_VALIDATION, "line %zu: unexpected NUL byte",
		       line);
}

int
dotenv_parse(const char *text, size_t len,
	     int (*fn)(void *ctx, const char *key, const char *value),
	     void *ctx, struct err *e)
{
	struct cursor cur;
	struct entry ent;
	int ret;

	ret = check_nul(text, len, e);
	if (ret)
		return ret;
	cursor_init(&cur, text, len);
	for (;;) {
		ret = next_entry(&cur, &ent, e);
		if (ret <= 0)
			return ret;
		ret = fn(ctx, ent.key, ent.value.ptr);
		entry_release(&ent);
		if (ret)
			return ret;
	}
}

/* ---- writing --------------------------------------------------------- */

static bool
valid_key(const char *key)
{
	if (!is_key_start(*key))
		return false;
	while (*key && is_key_char(*key))
		key++;
	return *key == '\0';
}

/* Safe to write unquoted: nothing the parser would trim, cut or expand. */
static bool
is_bare(const char *value)
{
	const unsigned char *p = (const unsigned char *)value;

	for (; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("#\"'`\\$", *p))
			return false;
	return true;
}

/* Append KEY=VALUE, quoting the value only as much as it needs. */
static void
add_assignment(struct buf *out, const char *key, const char *value)
{
	const char *p;

	buf_addstr(out, key);
	buf_addch(out, '=');
	if (is_bare(value)) {
		buf_addstr(out, value);
		return;
	}
	if (!strpbrk(value, "'\n\r")) {
		buf_addch(out, '\'');
		buf_addstr(out, value);
		buf_addch(out, '\'');
		return;
	}
	buf_addch(out, '"');
	for (p = value; *p; p++) {
		if (*p == '\n')
			buf_addstr(out, "\\n");
		else if (*p == '\r')
			buf_addstr(out, "\\r");
		else if (*p == '"' || *p == '\\')
			buf_addch(out, '\\');
		if (*p != '\n' && *p != '\r')
			buf_addch(out, *p);
	}
	buf_addch(out, '"');
}

/*
 * The text with every assignment of 'key' replaced in place, or one
 * appended. Lines, comments and the rest of the replaced lines stay.
 */
static int
rewrite(const char *text, size_t len, const char *key, const char *value,
	struct buf *out, struct err *e)
{
	struct cursor cur;
	struct entry ent;
	size_t copied = 0;
	bool found = false;
	int ret;

	ret = check_nul(text, len, e);
	if (ret)
		return ret;
	/* sized up front, so the secrets are not left behind by a realloc */
	buf_grow(out, len + strlen(key) + 2 * strlen(value) + 8);
	cursor_init(&cur, text, len);
	for (;;) {
		ret = next_entry(&cur, &ent, e);
		if (ret <= 0)
			break;
		if (!strcmp(ent.key, key)) {
			buf_add(out, text + copied, ent.key_start - copied);
			add_assignment(out, key, value);
			copied = ent.value_end;
			found = true;
		}
		entry_release(&ent);
	}
	if (ret)
		return ret;
	buf_add(out, text + copied, len - copied);
	if (!found) {
		if (out->len > 0 && out->ptr[out->len - 1] != '\n')
			buf_addch(out, '\n');
		add_assignment(out, key, value);
		buf_addch(out, '\n');
	}
	return 0;
}

/*
 * Read the .env file at 'path' into 'text', growing it once to the file's
 * size so that no reallocation leaves copies of its secrets behind.
 * Stores its permission bits in 'mode' when not NULL. ERR_NOT_FOUND when
 * the file does not exist.
 */
int
dotenv_read_file(const char *path, struct buf *text, mode_t *mode,
		 struct err *e)
{
	char chunk[4096];
	struct stat st;
	ssize_t n = 0;
	int fd, ret = ERR_IO;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return ERR_NOT_FOUND;
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set(e, ERR_IO, "'%s' is not a regular file", path);
		goto out;
	}
	if (mode)
		*mode = st.st_mode & 07777;
	buf_grow(text, (size_t)st.st_size);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || text->len + (size_t)n > DOTENV_MAX_SIZE)
			break;
		buf_add(text, chunk, (size_t)n);
	}
	if (n < 0)
		err_set(e, ERR_IO, "cannot read '%s': %s", path,
			strerror(errno));
	else if (n > 0)
		err_set(e, ERR_IO, "'%s' is larger than 1 MiB", path);
	else
		ret = 0;
out:
	secret_wipe(chunk, sizeof(chunk));
	close(fd);
	return ret;
}

static bool
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Replace 'path' by a file holding 'data': a temporary file, then rename. */
static int
write_atomic(const char *path, const char *data, size_t len, mode_t mode,
	     struct err *e)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd, ret = ERR_IO;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err_set(e, ERR_IO, "cannot create a file next to '%s': %s",
			path, strerror(errno));
		free(tmp);
		return ERR_IO;
	}
	if (fchmod(fd, mode) < 0 || !write_all(fd, data, len) ||
	    fsync(fd) < 0) {
		err_set(e, ERR_IO, "cannot write '%s': %s", tmp,
			strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err_set(e, ERR_IO, "cannot replace '%s': %s", path,
			strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

int
dotenv_write_key(const char *path, const char *key, const char *value,
		 struct err *e)
{
	struct buf text = BUF_INIT, out = BUF_INIT;
	struct err sub = ERR_INIT;
	mode_t mode = 0600;
	int ret;

	if (!valid_key(key))
		return err_set(e, ERR_VALIDATION,
			       "invalid variable name '%.64s'", key);
	if (!value)
		value = "";
	ret = dotenv_read_file(path, &text, &mode, e);
	if (ret == ERR_NOT_FOUND)
		ret = 0;
	if (ret)
		goto out;
	ret = rewrite(text.ptr, text.len, key, value, &out, &sub);
	if (ret) {
		err_set(e, ret, "%s: %s", path, sub.msg);
		goto out;
	}
	ret = write_atomic(path, out.ptr, out.len, mode, e);
out:
	err_release(&sub);
	buf_release_secret(&text);
	buf_release_secret(&out);
	return ret;
}
