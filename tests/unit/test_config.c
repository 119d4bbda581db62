/* SPDX-License-Identifier: MIT */
/*
 * test_config.c: the settings table, config loading and its precedence
 * (defaults < .env < environment), and the .env reader and writer. Each
 * test clears every setting from the environment first and works in its
 * own directory under /tmp.
 */
#include "core/compat.h"
#include "config/config.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

/* ---- helpers --------------------------------------------------------- */

struct fixture {
	char dir[64];
	struct config cfg;
	struct err err;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	size_t i;

	for (i = 0; i < config_n_keys; i++)
		unsetenv(config_keys[i].env);
	(void)snprintf(f->dir, sizeof(f->dir), "/tmp/tollgate-config-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	config_init(&f->cfg);
	*state = f;
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < config_n_keys; i++)
		unsetenv(config_keys[i].env);
	config_release(&f->cfg);
	err_release(&f->err);
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static char *
path_in(const struct fixture *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

static void
write_file(const struct fixture *f, const char *name, const char *text)
{
	char *path = path_in(f, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static char *
read_back(const struct fixture *f, const char *name)
{
	char *path = path_in(f, name);
	struct buf b = BUF_INIT;
	char chunk[512];
	size_t n;
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	do {
		n = fread(chunk, 1, sizeof(chunk), fp);
		buf_add(&b, chunk, n);
	} while (n > 0);
	assert_int_equal(fclose(fp), 0);
	free(path);
	return buf_detach(&b, NULL);
}

static mode_t
file_mode(const struct fixture *f, const char *name)
{
	char *path = path_in(f, name);
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	free(path);
	return st.st_mode & 07777;
}

/* Collects parsed pairs as "KEY=VALUE" lines. */
static int
collect(void *ctx, const char *key, const char *value)
{
	buf_addf(ctx, "%s=%s|", key, value);
	return 0;
}

static int
parse(const char *text, struct buf *out, struct err *e)
{
	return dotenv_parse(text, strlen(text), collect, out, e);
}

static void
parse_ok(const char *text, const char *expect)
{
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;

	assert_int_equal(parse(text, &out, &e), 0);
	assert_string_equal(out.ptr, expect);
	buf_release(&out);
}

static void
parse_fails(const char *text, const char *msg)
{
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;

	assert_int_equal(parse(text, &out, &e), ERR_VALIDATION);
	assert_int_equal(e.code, ERR_VALIDATION);
	assert_string_equal(e.msg, msg);
	buf_release(&out);
	err_release(&e);
}

/* ---- the table ------------------------------------------------------- */

static void
test_table(void **state)
{
	size_t i, j;

	(void)state;
	assert_int_equal(config_n_keys, 35);
	for (i = 0; i < config_n_keys; i++) {
		assert_non_null(config_keys[i].help);
		assert_true(strlen(config_keys[i].help) > 5);
		if (config_keys[i].flags & CONFIG_SECRET)
			assert_null(config_keys[i].def);
		else
			assert_non_null(config_keys[i].def);
		for (j = i + 1; j < config_n_keys; j++)
			assert_string_not_equal(config_keys[i].env,
						config_keys[j].env);
	}
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->cfg;

	assert_string_equal(c->host, "127.0.0.1");
	assert_int_equal(c->port, 1337);
	assert_null(c->api_token_salt);
	assert_null(c->encryption_key);
	assert_null(c->admin_jwt_secret);
	assert_string_equal(c->database_client, "sqlite");
	assert_string_equal(c->database_filename, ".tmp/data.db");
	assert_false(c->production);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_false(c->log_json);
	assert_string_equal(c->cors_origins, "*");
	assert_int_equal(c->threads, 0);
	assert_int_equal(c->max_connections, 1024);
	assert_int_equal(c->idle_timeout_s, 30);
	assert_int_equal(c->max_body, 1048576);
	assert_int_equal(c->max_header_bytes, 32768);
	assert_int_equal(c->max_json_depth, 32);
	assert_int_equal(c->max_filter_depth, 10);
	assert_int_equal(c->default_page_size, 25);
	assert_int_equal(c->max_page_size, 100);
}

/* ---- dotenv_parse ---------------------------------------------------- */

static void
test_parse_basics(void **state)
{
	(void)state;
	parse_ok("", "");
	parse_ok("\n\n   \n# only a comment\n", "");
	parse_ok("A=1\nB=two words\n", "A=1|B=two words|");
	parse_ok("A=1", "A=1|");
	parse_ok("  A = spaced  \t\n", "A=spaced|");
	parse_ok("export A=1\nexport\tB=2\n", "A=1|B=2|");
	parse_ok("export=3\n", "export=3|");
	parse_ok("A=\nB=   \n", "A=|B=|");
	parse_ok("A=1 # trailing comment\n", "A=1|");
	parse_ok("A=x#y\n", "A=x|");
	parse_ok("A=1\r\nB=2\r\n", "A=1|B=2|");
	parse_ok("\xef\xbb\xbf"
		 "A=1\n",
		 "A=1|");
	parse_ok("A=1\nA=2\n", "A=1|A=2|");
	parse_ok("a.b-c_D9=1\n", "a.b-c_D9=1|");
	parse_ok("A=base64+/==\n", "A=base64+/==|");
}

static void
test_parse_quotes(void **state)
{
	(void)state;
	parse_ok("A='single # kept'\n", "A=single # kept|");
	parse_ok("A='no \\n escapes'\n", "A=no \\n escapes|");
	parse_ok("A=\"line\\nbreak\"\n", "A=line\nbreak|");
	parse_ok("A=\"tab\\t cr\\r q\\\" bs\\\\ other\\x\"\n",
		 "A=tab\t cr\r q\" bs\\ other\\x|");
	parse_ok("A=\"  padded  \" # comment\n", "A=  padded  |");
	parse_ok("A=\"\"\nB=''\n", "A=|B=|");
	parse_ok("A=\"first\nsecond\"\nB=3\n", "A=first\nsecond|B=3|");
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_fails("A=1\nB 2\n", "line 2: expected '=' after 'B'");
	parse_fails("A=1\n\n# c\nNOEQUALS\n",
		    "line 4: expected '=' after 'NOEQUALS'");
	parse_fails("=x\n", "line 1: expected a variable name");
	parse_fails("A=1\n9A=1\n", "line 2: expected a variable name");
	parse_fails("A=1\nB=\"open\nC=3\n",
		    "line 2: unterminated quoted value");
	parse_fails("A='x' y\n", "line 1: unexpected text after the value");
	parse_fails("A=\"a\nb\" junk\n",
		    "line 2: unexpected text after the value");
	parse_fails("export\n", "line 1: expected '=' after 'export'");
	parse_fails("A='a''b'\n", "line 1: unexpected text after the value");
}

static void
test_parse_nul(void **state)
{
	static const char text[] = "A=1\nB=x\0y\n";
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;

	(void)state;
	assert_int_equal(
	    dotenv_parse(text, sizeof(text) - 1, collect, &out, &e),
	    ERR_VALIDATION);
	assert_string_equal(e.msg, "line 2: unexpected NUL byte");
	assert_string_equal(out.ptr, "");
	buf_release(&out);
}

static int
stop_at_b(void *ctx, const char *key, const char *value)
{
	(void)value;
	if (!strcmp(key, "B"))
		return ERR_CONFLICT;
	return collect(ctx, key, value);
}

static void
test_parse_callback_error(void **state)
{
	static const char text[] = "A=1\nB=2\nC=3\n";
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_equal(
	    dotenv_parse(text, strlen(text), stop_at_b, &out, NULL),
	    ERR_CONFLICT);
	assert_string_equal(out.ptr, "A=1|");
	buf_release(&out);
}

/* ---- config_set and config_load ---------------------------------------- */

static void
test_set_values(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->cfg;

	assert_int_equal(config_set(c, "PORT", "8080", NULL), 0);
	assert_int_equal(c->port, 8080);
	assert_int_equal(config_set(c, "NODE_ENV", "production", NULL), 0);
	assert_true(c->production);
	assert_int_equal(config_set(c, "LOG_LEVEL", "debug", NULL), 0);
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(config_set(c, "LOG_FORMAT", "json", NULL), 0);
	assert_true(c->log_json);
	assert_int_equal(config_set(c, "DATABASE_CLIENT", "postgres", NULL), 0);
	assert_string_equal(c->database_client, "postgres");
	assert_int_equal(config_set(c, "TOLLGATE_MAX_BODY", "1024", NULL), 0);
	assert_int_equal(c->max_body, 1024);
	assert_int_equal(config_set(c, "TOLLGATE_MAX_PAGE_SIZE", "1000", NULL),
			 0);
	assert_int_equal(c->max_page_size, 1000);
	assert_int_equal(config_set(c, "API_TOKEN_SALT", "s4lt", NULL), 0);
	assert_string_equal(c->api_token_salt, "s4lt");
	assert_int_equal(
	    config_set(c, "CORS_ORIGIN", "https://a,https://b", NULL), 0);
	assert_string_equal(c->cors_origins, "https://a,https://b");

	/* empty restores the default; for a secret that is unset */
	assert_int_equal(config_set(c, "API_TOKEN_SALT", "", NULL), 0);
	assert_null(c->api_token_salt);
	assert_int_equal(config_set(c, "PORT", "", NULL), 0);
	assert_int_equal(c->port, 1337);
	assert_int_equal(config_set(c, "NODE_ENV", NULL, NULL), 0);
	assert_false(c->production);
}

static void
set_fails(struct fixture *f, const char *env, const char *value,
	  const char *msg)
{
	err_release(&f->err);
	assert_int_equal(config_set(&f->cfg, env, value, &f->err),
			 ERR_VALIDATION);
	assert_string_equal(f->err.msg, msg);
}

static void
test_set_bad_values(void **state)
{
	struct fixture *f = *state;

	set_fails(f, "PORT", "abc",
		  "invalid value for PORT: 'abc' (expected an integer from 0 "
		  "to 65535)");
	set_fails(f, "PORT", "70000",
		  "invalid value for PORT: '70000' (expected an integer from "
		  "0 to 65535)");
	set_fails(f, "PORT", "-1",
		  "invalid value for PORT: '-1' (expected an integer from 0 "
		  "to 65535)");
	set_fails(f, "PORT", " 80",
		  "invalid value for PORT: ' 80' (expected an integer from 0 "
		  "to 65535)");
	set_fails(f, "PORT", "99999999999999999999999",
		  "invalid value for PORT: '99999999999999999999999' "
		  "(expected an integer from 0 to 65535)");
	set_fails(f, "TOLLGATE_MAX_BODY", "1023",
		  "invalid value for TOLLGATE_MAX_BODY: '1023' (expected an "
		  "integer from 1024 to 1073741824)");
	set_fails(f, "TOLLGATE_THREADS", "257",
		  "invalid value for TOLLGATE_THREADS: '257' (expected an "
		  "integer from 0 to 256)");
	set_fails(f, "TOLLGATE_MAX_PAGE_SIZE", "1001",
		  "invalid value for TOLLGATE_MAX_PAGE_SIZE: '1001' (expected "
		  "an integer from 1 to 1000)");
	/* as Strapi: any NODE_ENV other than production is development */
	assert_int_equal(config_set(&f->cfg, "NODE_ENV", "production", NULL), 0);
	assert_int_equal(config_set(&f->cfg, "NODE_ENV", "test", NULL), 0);
	assert_false(f->cfg.production);
	set_fails(f, "LOG_LEVEL", "loud",
		  "invalid value for LOG_LEVEL: 'loud' (expected error, warn, "
		  "info or debug)");
	set_fails(f, "LOG_FORMAT", "xml",
		  "invalid value for LOG_FORMAT: 'xml' (expected text or "
		  "json)");
	set_fails(f, "DATABASE_CLIENT", "mysql",
		  "invalid value for DATABASE_CLIENT: 'mysql' (expected "
		  "sqlite or postgres)");
	set_fails(f, "NO_SUCH_SETTING", "1",
		  "unknown setting 'NO_SUCH_SETTING'");
	/* a failed set leaves the old value */
	assert_int_equal(f->cfg.port, 1337);
}

static void
test_load_defaults_without_env_file(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_string_equal(f->cfg.project_dir, f->dir);
	assert_int_equal(f->cfg.port, 1337);
	assert_null(f->cfg.api_token_salt);
}

static void
test_load_env_file(void **state)
{
	struct fixture *f = *state;

	write_file(f, ".env",
		   "# written by create-strapi-app\n"
		   "HOST=0.0.0.0\n"
		   "PORT=8080\n"
		   "APP_KEYS=\"k1,k2\"\n"
		   "API_TOKEN_SALT=c2FsdA==\n"
		   "ENCRYPTION_KEY=\n"
		   "export NODE_ENV=production\n"
		   "LOG_LEVEL='debug'\n");
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_string_equal(f->cfg.host, "0.0.0.0");
	assert_int_equal(f->cfg.port, 8080);
	assert_string_equal(f->cfg.api_token_salt, "c2FsdA==");
	assert_null(f->cfg.encryption_key);
	assert_true(f->cfg.production);
	assert_int_equal(f->cfg.log_level, LOG_DEBUG);
}

static void
test_load_precedence(void **state)
{
	struct fixture *f = *state;

	write_file(f, ".env", "PORT=8080\nHOST=0.0.0.0\nLOG_FORMAT=json\n");
	setenv("PORT", "9090", 1);
	setenv("HOST", "", 1); /* empty: not set here, the .env value stands */
	setenv("CORS_ORIGIN", "https://example.com", 1);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_int_equal(f->cfg.port, 9090);
	assert_string_equal(f->cfg.host, "0.0.0.0");
	assert_true(f->cfg.log_json);
	assert_string_equal(f->cfg.cors_origins, "https://example.com");
}

static void
test_load_resets(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_set(&f->cfg, "PORT", "1", NULL), 0);
	assert_int_equal(config_set(&f->cfg, "ADMIN_JWT_SECRET", "x", NULL), 0);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_int_equal(f->cfg.port, 1337);
	assert_null(f->cfg.admin_jwt_secret);
}

static void
test_load_bad_env_value(void **state)
{
	struct fixture *f = *state;

	setenv("PORT", "abc", 1);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), ERR_VALIDATION);
	assert_string_equal(f->err.msg,
			    "invalid value for PORT: 'abc' (expected an "
			    "integer from 0 to 65535)");
}

static void
test_load_bad_file_value(void **state)
{
	struct fixture *f = *state;
	char *expect;

	write_file(f, ".env", "LOG_FORMAT=xml\n");
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), ERR_VALIDATION);
	expect = xasprintf("%s/.env: invalid value for LOG_FORMAT: 'xml' "
			   "(expected text or json)",
			   f->dir);
	assert_string_equal(f->err.msg, expect);
	free(expect);
}

static void
test_load_malformed_file(void **state)
{
	struct fixture *f = *state;
	char *expect;

	write_file(f, ".env", "PORT=1\n\nnot a setting\n");
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), ERR_VALIDATION);
	expect = xasprintf("%s/.env: line 3: expected '=' after 'not'", f->dir);
	assert_string_equal(f->err.msg, expect);
	free(expect);
}

static void
test_load_env_file_unreadable(void **state)
{
	struct fixture *f = *state;
	char *path = path_in(f, ".env");

	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), ERR_IO);
	free(path);
}

static void
test_load_page_sizes(void **state)
{
	struct fixture *f = *state;

	setenv("TOLLGATE_DEFAULT_PAGE_SIZE", "200", 1);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), ERR_VALIDATION);
	assert_string_equal(f->err.msg,
			    "TOLLGATE_DEFAULT_PAGE_SIZE (200) exceeds "
			    "TOLLGATE_MAX_PAGE_SIZE (100)");
	setenv("TOLLGATE_MAX_PAGE_SIZE", "200", 1);
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_int_equal(f->cfg.default_page_size, 200);
}

static void
test_database_path(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->cfg;
	char *p;

	assert_int_equal(config_load(c, "/srv/app", NULL), 0);
	p = config_database_path(c);
	assert_string_equal(p, "/srv/app/.tmp/data.db");
	free(p);
	assert_int_equal(config_load(c, "/srv/app/", NULL), 0);
	p = config_database_path(c);
	assert_string_equal(p, "/srv/app/.tmp/data.db");
	free(p);
	assert_int_equal(
	    config_set(c, "DATABASE_FILENAME", "/var/db/x.db", NULL), 0);
	p = config_database_path(c);
	assert_string_equal(p, "/var/db/x.db");
	free(p);
	assert_int_equal(config_set(c, "DATABASE_FILENAME", ":memory:", NULL),
			 0);
	p = config_database_path(c);
	assert_string_equal(p, ":memory:");
	free(p);
	assert_int_equal(config_load(c, "rel/dir", NULL), 0);
	p = config_database_path(c);
	assert_string_equal(p, "rel/dir/.tmp/data.db");
	free(p);
}

/* ---- dotenv_write_key -------------------------------------------------- */

static void
write_key(struct fixture *f, const char *key, const char *value)
{
	char *path = path_in(f, ".env");

	assert_int_equal(dotenv_write_key(path, key, value, &f->err), 0);
	free(path);
}

static void
test_write_creates(void **state)
{
	struct fixture *f = *state;
	char *text;

	write_key(f, "API_TOKEN_SALT", "c2FsdA==");
	text = read_back(f, ".env");
	assert_string_equal(text, "API_TOKEN_SALT=c2FsdA==\n");
	assert_int_equal(file_mode(f, ".env"), 0600);
	free(text);
}

static void
test_write_replaces_in_place(void **state)
{
	struct fixture *f = *state;
	char *text;

	write_file(f, ".env",
		   "# header comment\n"
		   "HOST=0.0.0.0\n"
		   "\n"
		   "export API_TOKEN_SALT=old # keep this note\n"
		   "PORT=1337\n");
	write_key(f, "API_TOKEN_SALT", "new+salt/==");
	text = read_back(f, ".env");
	assert_string_equal(
	    text, "# header comment\n"
		  "HOST=0.0.0.0\n"
		  "\n"
		  "export API_TOKEN_SALT=new+salt/== # keep this note\n"
		  "PORT=1337\n");
	free(text);
	write_key(f, "PORT", "");
	text = read_back(f, ".env");
	assert_string_equal(
	    text, "# header comment\n"
		  "HOST=0.0.0.0\n"
		  "\n"
		  "export API_TOKEN_SALT=new+salt/== # keep this note\n"
		  "PORT=\n");
	free(text);
}

static void
test_write_replaces_multiline(void **state)
{
	struct fixture *f = *state;
	char *text;

	write_file(f, ".env", "A=\"one\ntwo\"\nB=2\n");
	write_key(f, "A", "x");
	text = read_back(f, ".env");
	assert_string_equal(text, "A=x\nB=2\n");
	free(text);
}

static void
test_write_appends(void **state)
{
	struct fixture *f = *state;
	char *text;

	write_file(f, ".env", "HOST=0.0.0.0");
	write_key(f, "ENCRYPTION_KEY", "k");
	text = read_back(f, ".env");
	assert_string_equal(text, "HOST=0.0.0.0\nENCRYPTION_KEY=k\n");
	free(text);
	write_key(f, "PORT", "1");
	text = read_back(f, ".env");
	assert_string_equal(text, "HOST=0.0.0.0\nENCRYPTION_KEY=k\nPORT=1\n");
	free(text);
}

static void
test_write_keeps_mode(void **state)
{
	struct fixture *f = *state;
	char *path = path_in(f, ".env");

	write_file(f, ".env", "A=1\n");
	assert_int_equal(chmod(path, 0640), 0);
	write_key(f, "A", "2");
	assert_int_equal(file_mode(f, ".env"), 0640);
	free(path);
}

/* Whatever the value, reading the file back gives it unchanged. */
static void
test_write_quotes_round_trip(void **state)
{
	static const char *const values[] = {
		"plain",       "with space", "hash # inside",
		"it's",        "say \"hi\"", "multi\nline\r\n",
		"back\\slash", " padded ",   "$HOME",
		"'",           "tab\there",  "mixed ' and \" and \\ and \n",
	};
	struct fixture *f = *state;
	struct buf got = BUF_INIT;
	char *text, *expect;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		write_key(f, "V", values[i]);
		text = read_back(f, ".env");
		buf_reset(&got);
		assert_int_equal(parse(text, &got, NULL), 0);
		expect = xasprintf("V=%s|", values[i]);
		assert_string_equal(got.ptr, expect);
		free(expect);
		free(text);
	}
	buf_release(&got);
}

static void
test_write_errors(void **state)
{
	struct fixture *f = *state;
	char *path = path_in(f, ".env");
	char *text;

	assert_int_equal(dotenv_write_key(path, "1BAD", "x", &f->err),
			 ERR_VALIDATION);
	assert_string_equal(f->err.msg, "invalid variable name '1BAD'");
	assert_int_equal(dotenv_write_key(path, "A=B", "x", &f->err),
			 ERR_VALIDATION);
	write_file(f, ".env", "A=1\nbroken line\n");
	assert_int_equal(dotenv_write_key(path, "A", "2", &f->err),
			 ERR_VALIDATION);
	text = read_back(f, ".env");
	assert_string_equal(text, "A=1\nbroken line\n");
	free(text);
	free(path);
	path = xasprintf("%s/missing-dir/.env", f->dir);
	assert_int_equal(dotenv_write_key(path, "A", "1", &f->err), ERR_IO);
	free(path);
}

static void
test_write_then_load(void **state)
{
	struct fixture *f = *state;

	write_key(f, "API_TOKEN_SALT", "s a l t");
	write_key(f, "PORT", "4000");
	assert_int_equal(config_load(&f->cfg, f->dir, &f->err), 0);
	assert_string_equal(f->cfg.api_token_salt, "s a l t");
	assert_int_equal(f->cfg.port, 4000);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		TEST(test_defaults),
		cmocka_unit_test(test_parse_basics),
		cmocka_unit_test(test_parse_quotes),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_parse_callback_error),
		TEST(test_set_values),
		TEST(test_set_bad_values),
		TEST(test_load_defaults_without_env_file),
		TEST(test_load_env_file),
		TEST(test_load_precedence),
		TEST(test_load_resets),
		TEST(test_load_bad_env_value),
		TEST(test_load_bad_file_value),
		TEST(test_load_malformed_file),
		TEST(test_load_env_file_unreadable),
		TEST(test_load_page_sizes),
		TEST(test_database_path),
		TEST(test_write_creates),
		TEST(test_write_replaces_in_place),
		TEST(test_write_replaces_multiline),
		TEST(test_write_appends),
		TEST(test_write_keeps_mode),
		TEST(test_write_quotes_round_trip),
		TEST(test_write_errors),
		TEST(test_write_then_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
