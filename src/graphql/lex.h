/* SPDX-License-Identifier: MIT */
/*
 * lex.h: the GraphQL lexer (GraphQL spec, October 2021, section 2.1 and
 * Appendix B), used by gql_parse() in graphql/parse.c. It turns a byte
 * string into tokens one at a time; it builds no tree and owns no AST.
 *
 * Fidelity: token rules, escapes, block-string dedent and every message
 * follow graphql-js 16 (the version Strapi 5 runs), including \u{...}
 * variable-width escapes and JSON-style surrogate pairs. Deliberate
 * differences, all on input a real client does not send:
 *
 *  - The source is UTF-8 bytes, not UTF-16. A malformed UTF-8 sequence
 *    reads as U+FFFD (its maximal subpart, as Node's decoder does), so a
 *    string value is always valid UTF-8 and the parser never rejects what
 *    Strapi would have accepted after decoding the body.
 *  - Columns are 1-based and count characters: an ASCII byte is one, a
 *    UTF-8 sequence (valid or not) is one. graphql-js counts UTF-16 code
 *    units, so the two differ only after a character above U+FFFF on the
 *    same line. Lines end at \n, \r\n or \r, as in graphql-js.
 *  - A string value may not contain U+0000: a raw NUL in a string or
 *    block string is "Invalid character within String: U+0000.", and
 *    \u0000 / \u{0} is "Invalid Unicode escape sequence: ...". AST strings
 *    are NUL-terminated, so a value with a NUL inside could not be told
 *    apart from a shorter one.
 *  - Messages stay valid UTF-8 and short enough for struct gql_error: a
 *    token value quoted in a message is cut after 96 bytes (at a character
 *    boundary, ending in "..."), and a NUL quoted from the source (as in
 *    'Invalid Unicode escape sequence: "\u<NUL>..."') is written U+FFFD.
 *  - Comments are skipped here and never reach the parser.
 *
 * Errors: every function that can fail returns -1 and fills a
 * struct gql_error with "Syntax Error: <graphql-js message>" and the
 * location of the offending character; nothing is allocated on failure
 * that gql_lex_release() does not free.
 */
#ifndef GRAPHQL_LEX_H
#define GRAPHQL_LEX_H

#include <stddef.h>

#include "core/buf.h"
#include "graphql/ast.h"

enum gql_token_kind {
	GQL_TOK_EOF,
	GQL_TOK_BANG,      /* ! */
	GQL_TOK_DOLLAR,    /* $ */
	GQL_TOK_AMP,       /* & */
	GQL_TOK_PAREN_L,   /* ( */
	GQL_TOK_PAREN_R,   /* ) */
	GQL_TOK_SPREAD,    /* ... */
	GQL_TOK_COLON,     /* : */
	GQL_TOK_EQUALS,    /* = */
	GQL_TOK_AT,        /* @ */
	GQL_TOK_BRACKET_L, /* [ */
	GQL_TOK_BRACKET_R, /* ] */
	GQL_TOK_BRACE_L,   /* { */
	GQL_TOK_PIPE,      /* | */
	GQL_TOK_BRACE_R,   /* } */
	GQL_TOK_NAME,
	GQL_TOK_INT,
	GQL_TOK_FLOAT,
	GQL_TOK_STRING,
	GQL_TOK_BLOCK_STRING,
};

/*
 * One token. 'value' is set for NAME, INT and FLOAT (the source text) and
 * for STRING and BLOCK_STRING (unescaped, or dedented, UTF-8 without NUL,
 * NUL-terminated); it is NULL for punctuators and EOF. It is borrowed: it
 * points into the source or into the lexer, and is valid until the next
 * gql_lex_next() or gql_lex_release().
 */
struct gql_token {
	enum gql_token_kind kind;
	size_t start, end;  /* byte offsets into the source */
	struct gql_loc loc; /* of 'start' */
	const char *value;
	size_t value_len;
};

/*
 * Lexer state. 'tok' is the current token (read-only for callers); the
 * other fields are private. The source is borrowed and must outlive the
 * lexer; it may hold any bytes, NUL included.
 */
struct gql_lexer {
	const char *src;
	size_t len;
	size_t pos; /* where the next scan starts */
	struct gql_token tok;
	struct buf value;        /* STRING / BLOCK_STRING value of 'tok' */
	struct buf raw;          /* block string lines before the dedent */
	size_t walk_pos;         /* a position whose location is known ... */
	struct gql_loc walk_loc; /* ... and that location */
};

/* Start lexing 'len' bytes at 'src'; 'tok' is not valid until the first
 * gql_lex_next(). */
void gql_lex_init(struct gql_lexer *lx, const char *src, size_t len);
/* Free the lexer's buffers; 'lx' may then be initialised again. */
void gql_lex_release(struct gql_lexer *lx);

/*
 * Read the next token into 'lx->tok', skipping whitespace, line
 * terminators, commas, byte order marks and comments. At the end of the
 * source the token is EOF, and stays EOF on later calls. Returns 0, or -1
 * with 'err' filled (the lexer is then not to be advanced again).
 */
int gql_lex_next(struct gql_lexer *lx, struct gql_error *err);

/*
 * The line and column of byte offset 'pos'. Positions must not go back
 * before the current token's start (the lexer walks forward from there);
 * a 'pos' past the end is clamped to the end.
 */
struct gql_loc gql_lex_loc(struct gql_lexer *lx, size_t pos);

/* graphql-js's name for a token kind: "Name", "Int", "<EOF>", "\"{\"" ... */
const char *gql_token_kind_desc(enum gql_token_kind kind);

/*
 * graphql-js's description of a token: the kind, then its value in quotes
 * when it has one ('Name "foo"', 'String "x"', '"}"', '<EOF>'). Written
 * NUL-terminated into 'out' ('size' > 0); a long value is cut at a
 * character boundary and ends in "...".
 */
void gql_token_desc(const struct gql_token *tok, char *out, size_t size);

/*
 * Fill 'err' with "Syntax Error: " followed by the formatted message, cut
 * to fit at a character boundary, and 'loc'. Returns -1 so callers can
 * write 'return gql_syntax_error(...)'. 'err' may be NULL.
 */
int gql_syntax_error(struct gql_error *err, struct gql_loc loc, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

#endif
