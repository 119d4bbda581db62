/* SPDX-License-Identifier: MIT */
/*
 * lex.c: the GraphQL lexer, a byte-level port of graphql-js 16's
 * lexer.ts (same token rules, same error positions and wording); see
 * lex.h for where and why it differs. It knows nothing of the grammar
 * above tokens.
 */
#include "core/compat.h"
#include "graphql/lex.h"

#include <stdarg.h>

#include "core/buf.h"

/* utf8_decode()'s code point for a malformed sequence */
#define UTF8_BAD 0xFFFFFFFFu
#define REPLACEMENT_CHAR "\xEF\xBF\xBD"

/* a token value longer than this is cut in error messages */
#define DESC_VALUE_MAX 96

/*
 * Decode the UTF-8 sequence at 's' ('n' >= 1 bytes available): return its
 * length and put the code point in '*cp'. A malformed sequence gives
 * UTF8_BAD and the length of its maximal subpart (at least 1), which is
 * how Node's decoder splits bad input into U+FFFD characters.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = UTF8_BAD;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = UTF8_BAD;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

/* Append the UTF-8 form of scalar value 'cp' to 'b'. */
static void
utf8_add(struct buf *b, uint32_t cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, out, n);
}

/* Length of the longest prefix of 's' (length 'n') ending on a character
 * boundary: an incomplete sequence at the end is dropped. */
static size_t
utf8_clip(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = n, want;

	while (i > 0 && (u[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (i == 0 || u[i - 1] < 0xC0)
		return n;
	want = u[i - 1] >= 0xF0 ? 4 : u[i - 1] >= 0xE0 ? 3 : 2;
	return n - (i - 1) >= want ? n : i - 1;
}

static bool
is_scalar(int64_t cp)
{
	return (cp >= 0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0x10FFFF);
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_continue(int c)
{
	return is_name_start(c) || is_digit(c);
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The byte at 'pos', or -1 past the end (graphql-js's NaN). */
static int
byte_at(const struct gql_lexer *lx, size_t pos)
{
	return pos < lx->len ? (unsigned char)lx->src[pos] : -1;
}

void
gql_lex_init(struct gql_lexer *lx, const char *src, size_t len)
{
	lx->src = src ? src : "";
	lx->len = src ? len : 0;
	lx->pos = 0;
	memset(&lx->tok, 0, sizeof(lx->tok));
	lx->tok.kind = GQL_TOK_EOF;
	lx->tok.loc.line = 1;
	lx->tok.loc.column = 1;
	buf_init(&lx->value);
	buf_init(&lx->raw);
	lx->walk_pos = 0;
	lx->walk_loc.line = 1;
	lx->walk_loc.column = 1;
}

void
gql_lex_release(struct gql_lexer *lx)
{
	buf_release(&lx->value);
	buf_release(&lx->raw);
}

struct gql_loc
gql_lex_loc(struct gql_lexer *lx, size_t pos)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t p = lx->walk_pos;
	struct gql_loc loc = lx->walk_loc;
	uint32_t cp;

	if (pos > lx->len)
		pos = lx->len;
	if (pos < p) {
		/* not expected; correct, only slower */
		p = 0;
		loc.line = 1;
		loc.column = 1;
	}
	while (p < pos) {
		if (s[p] == '\n' || s[p] == '\r') {
			if (s[p] == '\r' && p + 1 < lx->len && s[p + 1] == '\n')
				p++;
			p++;
			loc.line++;
			loc.column = 1;
		} else if (s[p] < 0x80) {
			p++;
			loc.column++;
		} else {
			p += utf8_decode(s + p, lx->len - p, &cp);
			loc.column++;
		}
	}
	lx->walk_pos = p;
	lx->walk_loc = loc;
	return loc;
}

ATTR_PRINTF(3, 0)
static void
syntax_verror(struct gql_error *err, struct gql_loc loc, const char *fmt,
	      va_list ap)
{
	static const char prefix[] = "Syntax Error: ";
	size_t n = sizeof(prefix) - 1, room = sizeof(err->message) - n;
	int r;

	memcpy(err->message, prefix, n);
	r = vsnprintf(err->message + n, room, fmt, ap);
	if (r < 0)
		err->message[n] = '\0';
	else if ((size_t)r >= room)
		err->message[utf8_clip(err->message, n + room - 1)] = '\0';
	err->loc = loc;
}

int
gql_syntax_error(struct gql_error *err, struct gql_loc loc, const char *fmt,
		 ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	syntax_verror(err, loc, fmt, ap);
	va_end(ap);
	return -1;
}

/* A syntax error at byte offset 'pos'; returns -1. */
ATTR_PRINTF(4, 5)
static int
lex_error(struct gql_lexer *lx, struct gql_error *err, size_t pos,
	  const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	syntax_verror(err, gql_lex_loc(lx, pos), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * graphql-js's printCodePointAt(): the character at 'pos' as "x" for
 * printable ASCII ('"' for a double quote), U+XXXX otherwise (U+FFFD for
 * a malformed sequence), <EOF> past the end.
 */
static void
char_desc(const struct gql_lexer *lx, size_t pos, char out[16])
{
	uint32_t cp;

	if (pos >= lx->len) {
		strcpy(out, "<EOF>");
		return;
	}
	utf8_decode((const unsigned char *)lx->src + pos, lx->len - pos, &cp);
	if (cp == UTF8_BAD)
		cp = 0xFFFD;
	if (cp == '"')
		strcpy(out, "'\"'");
	else if (cp >= 0x20 && cp <= 0x7E)
		snprintf(out, 16, "\"%c\"", (char)cp);
	else
		snprintf(out, 16, "U+%04X", (unsigned)cp);
}

/*
 * Copy up to 'nchars' characters of the source from 'pos' into 'out' (room
 * for 4 bytes a character plus NUL), for messages quoting an escape
 * sequence. A NUL or malformed sequence is written as U+FFFD so the
 * message stays a valid C string and valid UTF-8.
 */
static void
source_slice(const struct gql_lexer *lx, size_t pos, size_t nchars, char *out)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t o = 0, n;
	uint32_t cp;

	while (nchars-- > 0 && pos < lx->len) {
		n = utf8_decode(s + pos, lx->len - pos, &cp);
		if (cp == 0 || cp == UTF8_BAD) {
			memcpy(out + o, REPLACEMENT_CHAR, 3);
			o += 3;
		} else {
			memcpy(out + o, s + pos, n);
			o += n;
		}
		pos += n;
	}
	out[o] = '\0';
}

static int
bad_unicode_escape(struct gql_lexer *lx, struct gql_error *err, size_t pos,
		   size_t nchars)
{
	char seq[12 * 4 + 1];

	source_slice(lx, pos, nchars, seq);
	return lex_error(lx, err, pos,
			 "Invalid Unicode escape sequence: \"%s\".", seq);
}

static void
set_token(struct gql_lexer *lx, enum gql_token_kind kind, size_t start,
	  size_t end, const char *value, size_t value_len)
{
	lx->tok.kind = kind;
	lx->tok.start = start;
	lx->tok.end = end;
	lx->tok.loc = gql_lex_loc(lx, start);
	lx->tok.value = value;
	lx->tok.value_len = value_len;
	lx->pos = end;
}

/* Four hex digits at 'pos' as a number, or -1. */
static int32_t
read_hex16(const struct gql_lexer *lx, size_t pos)
{
	int32_t v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		h = hex_value(byte_at(lx, pos + (size_t)i));
		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/* \u{X...}: at most 12 characters in all, as graphql-js reads it. */
static int
read_escape_variable(struct gql_lexer *lx, size_t pos, size_t *size,
		     struct gql_error *err)
{
	uint32_t point = 0;
	size_t n = 3;
	int c, h;

	while (n < 12) {
		c = byte_at(lx, pos + n++);
		if (c == '}') {
			/* at least \u{0}; U+0000 is refused (see lex.h) */
			if (n < 5 || !is_scalar(point) || point == 0)
				break;
			utf8_add(&lx->value, point);
			*size = n;
			return 0;
		}
		h = hex_value(c);
		if (h < 0)
			break;
		/* graphql-js works in 32-bit signed ints: stop when negative */
		point = (point << 4) | (uint32_t)h;
		if (point & 0x80000000u)
			break;
	}
	return bad_unicode_escape(lx, err, pos, n);
}

/* \uXXXX, or a \uXXXX\uXXXX surrogate pair. */
static int
read_escape_fixed(struct gql_lexer *lx, size_t pos, size_t *size,
		  struct gql_error *err)
{
	int32_t code = read_hex16(lx, pos + 2), trail;

	if (code > 0 && is_scalar(code)) {
		utf8_add(&lx->value, (uint32_t)code);
		*size = 6;
		return 0;
	}
	if (code >= 0xD800 && code <= 0xDBFF && byte_at(lx, pos + 6) == '\\' &&
	    byte_at(lx, pos + 7) == 'u') {
		trail = read_hex16(lx, pos + 8);
		if (trail >= 0xDC00 && trail <= 0xDFFF) {
			utf8_add(&lx->value,
				 0x10000 + (((uint32_t)code - 0xD800) << 10) +
				     ((uint32_t)trail - 0xDC00));
			*size = 12;
			return 0;
		}
	}
	return bad_unicode_escape(lx, err, pos, 6);
}

/* The escape sequence at 'pos' (a backslash): append its value, set its
 * length in '*size'. */
static int
read_escape(struct gql_lexer *lx, size_t pos, size_t *size,
	    struct gql_error *err)
{
	char seq[2 * 4 + 1], ch;

	if (byte_at(lx, pos + 1) == 'u') {
		if (byte_at(lx, pos + 2) == '{')
			return read_escape_variable(lx, pos, size, err);
		return read_escape_fixed(lx, pos, size, err);
	}
	switch (byte_at(lx, pos + 1)) {
	case '"':
		ch = '"';
		break;
	case '\\':
		ch = '\\';
		break;
	case '/':
		ch = '/';
		break;
	case 'b':
		ch = '\b';
		break;
	case 'f':
		ch = '\f';
		break;
	case 'n':
		ch = '\n';
		break;
	case 'r':
		ch = '\r';
		break;
	case 't':
		ch = '\t';
		break;
	default:
		source_slice(lx, pos, 2, seq);
		return lex_error(lx, err, pos,
				 "Invalid character escape sequence: \"%s\".",
				 seq);
	}
	buf_addch(&lx->value, ch);
	*size = 2;
	return 0;
}

/* "...": the value is unescaped into lx->value. */
static int
read_string(struct gql_lexer *lx, size_t start, struct gql_error *err)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t pos = start + 1, chunk = pos, n;
	uint32_t cp;
	unsigned c;

	buf_reset(&lx->value);
	while (pos < lx->len) {
		c = s[pos];
		if (c == '"') {
			buf_add(&lx->value, s + chunk, pos - chunk);
			set_token(lx, GQL_TOK_STRING, start, pos + 1,
				  lx->value.ptr, lx->value.len);
			return 0;
		}
		if (c == '\\') {
			buf_add(&lx->value, s + chunk, pos - chunk);
			if (read_escape(lx, pos, &n, err))
				return -1;
			pos += n;
			chunk = pos;
			continue;
		}
		if (c == '\n' || c == '\r')
			break;
		if (c == 0)
			return lex_error(
			    lx, err, pos,
			    "Invalid character within String: U+0000.");
		if (c < 0x80) {
			pos++;
			continue;
		}
		n = utf8_decode(s + pos, lx->len - pos, &cp);
		if (cp == UTF8_BAD) {
			buf_add(&lx->value, s + chunk, pos - chunk);
			buf_add(&lx->value, REPLACEMENT_CHAR, 3);
			chunk = pos + n;
		}
		pos += n;
	}
	return lex_error(lx, err, pos, "Unterminated string.");
}

/* Count of leading spaces and tabs in 'line' (length 'n'). */
static size_t
leading_white(const char *line, size_t n)
{
	size_t i = 0;

	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

/*
 * The spec's BlockStringValue() (graphql-js dedentBlockStringLines()):
 * lx->raw holds the raw lines joined by '\n'; the common indentation of
 * every line but the first is removed, then leading and trailing blank
 * lines are dropped, and the result goes to lx->value.
 */
static void
block_dedent(struct gql_lexer *lx)
{
	const char *r = lx->raw.ptr, *nl;
	size_t rl = lx->raw.len, common = SIZE_MAX, first = SIZE_MAX, last = 0;
	size_t i, a, b, indent;

	buf_reset(&lx->value);
	for (i = 0, a = 0; a <= rl; i++, a = b + 1) {
		nl = memchr(r + a, '\n', rl - a);
		b = nl ? (size_t)(nl - r) : rl;
		indent = leading_white(r + a, b - a);
		if (indent == b - a)
			continue;
		if (first == SIZE_MAX)
			first = i;
		last = i;
		if (i != 0 && indent < common)
			common = indent;
	}
	if (first == SIZE_MAX)
		return;
	for (i = 0, a = 0; i <= last; i++, a = b + 1) {
		nl = memchr(r + a, '\n', rl - a);
		b = nl ? (size_t)(nl - r) : rl;
		if (i < first)
			continue;
		if (i > first)
			buf_addch(&lx->value, '\n');
		if (i == 0)
			buf_add(&lx->value, r + a, b - a);
		else if (b - a > common)
			buf_add(&lx->value, r + a + common, b - a - common);
	}
}

/* """...""": raw lines are gathered in lx->raw, then dedented. */
static int
read_block_string(struct gql_lexer *lx, size_t start, struct gql_error *err)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t pos = start + 3, chunk = pos, n;
	uint32_t cp;
	unsigned c;

	buf_reset(&lx->raw);
	while (pos < lx->len) {
		c = s[pos];
		if (c == '"' && byte_at(lx, pos + 1) == '"' &&
		    byte_at(lx, pos + 2) == '"') {
			buf_add(&lx->raw, s + chunk, pos - chunk);
			block_dedent(lx);
			set_token(lx, GQL_TOK_BLOCK_STRING, start, pos + 3,
				  lx->value.ptr, lx->value.len);
			return 0;
		}
		if (c == '\\' && byte_at(lx, pos + 1) == '"' &&
		    byte_at(lx, pos + 2) == '"' &&
		    byte_at(lx, pos + 3) == '"') {
			/* \""" is """: drop only the backslash */
			buf_add(&lx->raw, s + chunk, pos - chunk);
			chunk = pos + 1;
			pos += 4;
			continue;
		}
		if (c == '\n' || c == '\r') {
			buf_add(&lx->raw, s + chunk, pos - chunk);
			buf_addch(&lx->raw, '\n');
			if (c == '\r' && byte_at(lx, pos + 1) == '\n')
				pos++;
			pos++;
			chunk = pos;
			continue;
		}
		if (c == 0)
			return lex_error(
			    lx, err, pos,
			    "Invalid character within String: U+0000.");
		if (c < 0x80) {
			pos++;
			continue;
		}
		n = utf8_decode(s + pos, lx->len - pos, &cp);
		if (cp == UTF8_BAD) {
			buf_add(&lx->raw, s + chunk, pos - chunk);
			buf_add(&lx->raw, REPLACEMENT_CHAR, 3);
			chunk = pos + n;
		}
		pos += n;
	}
	return lex_error(lx, err, pos, "Unterminated string.");
}

/* One or more digits from '*pos'; '*pos' ends after them. */
static int
read_digits(struct gql_lexer *lx, size_t *pos, struct gql_error *err)
{
	char what[16];

	if (!is_digit(byte_at(lx, *pos))) {
		char_desc(lx, *pos, what);
		return lex_error(lx, err, *pos,
				 "Invalid number, expected digit but got: %s.",
				 what);
	}
	while (is_digit(byte_at(lx, *pos)))
		(*pos)++;
	return 0;
}

/* IntValue or FloatValue; the token value is the source text. */
static int
read_number(struct gql_lexer *lx, size_t start, struct gql_error *err)
{
	size_t pos = start;
	bool is_float = false;
	char what[16];
	int c = byte_at(lx, pos);

	if (c == '-')
		c = byte_at(lx, ++pos);
	if (c == '0') {
		c = byte_at(lx, ++pos);
		if (is_digit(c)) {
			char_desc(lx, pos, what);
			return lex_error(
			    lx, err, pos,
			    "Invalid number, unexpected digit after 0: %s.",
			    what);
		}
	} else {
		if (read_digits(lx, &pos, err))
			return -1;
		c = byte_at(lx, pos);
	}
	if (c == '.') {
		is_float = true;
		pos++;
		if (read_digits(lx, &pos, err))
			return -1;
		c = byte_at(lx, pos);
	}
	if (c == 'e' || c == 'E') {
		is_float = true;
		c = byte_at(lx, ++pos);
		if (c == '+' || c == '-')
			pos++;
		if (read_digits(lx, &pos, err))
			return -1;
		c = byte_at(lx, pos);
	}
	if (c == '.' || is_name_start(c)) {
		char_desc(lx, pos, what);
		return lex_error(lx, err, pos,
				 "Invalid number, expected digit but got: %s.",
				 what);
	}
	set_token(lx, is_float ? GQL_TOK_FLOAT : GQL_TOK_INT, start, pos,
		  lx->src + start, pos - start);
	return 0;
}

static void
read_name(struct gql_lexer *lx, size_t start)
{
	size_t pos = start + 1;

	while (is_name_continue(byte_at(lx, pos)))
		pos++;
	set_token(lx, GQL_TOK_NAME, start, pos, lx->src + start, pos - start);
}

static enum gql_token_kind
punctuator(int c)
{
	switch (c) {
	case '!':
		return GQL_TOK_BANG;
	case '$':
		return GQL_TOK_DOLLAR;
	case '&':
		return GQL_TOK_AMP;
	case '(':
		return GQL_TOK_PAREN_L;
	case ')':
		return GQL_TOK_PAREN_R;
	case ':':
		return GQL_TOK_COLON;
	case '=':
		return GQL_TOK_EQUALS;
	case '@':
		return GQL_TOK_AT;
	case '[':
		return GQL_TOK_BRACKET_L;
	case ']':
		return GQL_TOK_BRACKET_R;
	case '{':
		return GQL_TOK_BRACE_L;
	case '|':
		return GQL_TOK_PIPE;
	case '}':
		return GQL_TOK_BRACE_R;
	default:
		return GQL_TOK_EOF; /* not a one-character punctuator */
	}
}

int
gql_lex_next(struct gql_lexer *lx, struct gql_error *err)
{
	const unsigned char *s = (const unsigned char *)lx->src;
	size_t pos = lx->pos;
	enum gql_token_kind kind;
	char what[16];
	int c;

	while (pos < lx->len) {
		c = s[pos];
		switch (c) {
		case '\t':
		case ' ':
		case ',':
		case '\n':
		case '\r':
			pos++;
			continue;
		case '#':
			/* a comment runs to the line end; \n and \r never occur
			 * inside a UTF-8 sequence, so bytes will do */
			while (pos < lx->len && s[pos] != '\n' &&
			       s[pos] != '\r')
				pos++;
			continue;
		case '.':
			if (byte_at(lx, pos + 1) == '.' &&
			    byte_at(lx, pos + 2) == '.') {
				set_token(lx, GQL_TOK_SPREAD, pos, pos + 3,
					  NULL, 0);
				return 0;
			}
			break;
		case '"':
			if (byte_at(lx, pos + 1) == '"' &&
			    byte_at(lx, pos + 2) == '"')
				return read_block_string(lx, pos, err);
			return read_string(lx, pos, err);
		case 0xEF:
			/* U+FEFF, the byte order mark, is ignored anywhere */
			if (byte_at(lx, pos + 1) == 0xBB &&
			    byte_at(lx, pos + 2) == 0xBF) {
				pos += 3;
				continue;
			}
			break;
		default:
			kind = punctuator(c);
			if (kind != GQL_TOK_EOF) {
				set_token(lx, kind, pos, pos + 1, NULL, 0);
				return 0;
			}
			if (is_digit(c) || c == '-')
				return read_number(lx, pos, err);
			if (is_name_start(c)) {
				read_name(lx, pos);
				return 0;
			}
			break;
		}
		if (c == '\'')
			return lex_error(
			    lx, err, pos,
			    "Unexpected single quote character ('), "
			    "did you mean to use a double quote (\")?");
		char_desc(lx, pos, what);
		return lex_error(lx, err, pos, "Unexpected character: %s.",
				 what);
	}
	set_token(lx, GQL_TOK_EOF, lx->len, lx->len, NULL, 0);
	return 0;
}

const char *
gql_token_kind_desc(enum gql_token_kind kind)
{
	switch (kind) {
	case GQL_TOK_EOF:
		return "<EOF>";
	case GQL_TOK_BANG:
		return "\"!\"";
	case GQL_TOK_DOLLAR:
		return "\"$\"";
	case GQL_TOK_AMP:
		return "\"&\"";
	case GQL_TOK_PAREN_L:
		return "\"(\"";
	case GQL_TOK_PAREN_R:
		return "\")\"";
	case GQL_TOK_SPREAD:
		return "\"...\"";
	case GQL_TOK_COLON:
		return "\":\"";
	case GQL_TOK_EQUALS:
		return "\"=\"";
	case GQL_TOK_AT:
		return "\"@\"";
	case GQL_TOK_BRACKET_L:
		return "\"[\"";
	case GQL_TOK_BRACKET_R:
		return "\"]\"";
	case GQL_TOK_BRACE_L:
		return "\"{\"";
	case GQL_TOK_PIPE:
		return "\"|\"";
	case GQL_TOK_BRACE_R:
		return "\"}\"";
	case GQL_TOK_NAME:
		return "Name";
	case GQL_TOK_INT:
		return "Int";
	case GQL_TOK_FLOAT:
		return "Float";
	case GQL_TOK_STRING:
		return "String";
	case GQL_TOK_BLOCK_STRING:
		return "BlockString";
	}
	return "<unknown>";
}

void
gql_token_desc(const struct gql_token *tok, char *out, size_t size)
{
	const char *kind = gql_token_kind_desc(tok->kind);
	size_t n;

	if (!tok->value) {
		snprintf(out, size, "%s", kind);
		return;
	}
	n = tok->value_len;
	if (n <= DESC_VALUE_MAX) {
		snprintf(out, size, "%s \"%.*s\"", kind, (int)n, tok->value);
		return;
	}
	n = utf8_clip(tok->value, DESC_VALUE_MAX);
	snprintf(out, size, "%s \"%.*s...\"", kind, (int)n, tok->value);
}
