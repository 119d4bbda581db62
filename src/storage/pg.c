/* SPDX-License-Identifier: MIT */
/*
 * pg.c: the PostgreSQL backend (with pg_content.c), and with it the only
 * files that speak libpq. It keeps SQLite's layout (storage/sqlite.c) table
 * for table and column for column, so both answer alike at the HTTP level:
 * INTEGER is BIGINT, REAL is DOUBLE PRECISION, TEXT is TEXT COLLATE "C"
 * (bytewise, as SQLite's BINARY), and times stay integer milliseconds.
 *
 * Connections: each thread gets its own connection per store on first use,
 * found through a small thread-local table keyed by the store's serial
 * number (no lock on the request path), at most 'pool_max' at once. Each
 * keeps its prepared statements, keyed by SQL text and parameter types.
 * When the server goes away the connection is dropped and the call fails
 * with ERR_UNAVAILABLE; the next use reconnects, backing off from 100 ms to
 * 2 s between failed attempts. Nothing is retried behind the caller's back:
 * a transaction that lost its connection fails until it is ended.
 *
 * Token and admin generations: triggers bump tollgate_meta's counters as
 * SQLite's do, and notify 'tollgate_generation'. A listener thread per
 * store re-reads both counters on every notification and every 250 ms into
 * atomics, and a thread that committed a change re-reads them before it
 * returns; store_token_generation() and store_admin_generation() only load
 * the atomics, so the authorisation path costs no round trip.
 *
 * This file does not decide what Strapi means by a query (query/, api/) or
 * how a filter reads as SQL (query/sql.c).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "query/sql.h"
#include "storage/backend.h"
#include "storage/pg_internal.h"

#include <fcntl.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define STMT_CACHE_SIZE 64
#define TL_SLOTS 16
#define COUNT_CACHE_SIZE 16
#define DEFAULT_POOL_MAX 16
#define DEFAULT_BUSY_MS 5000
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define LISTEN_POLL_MS 250
#define CONNECT_TIMEOUT_S "10"
#define GEN_CHANNEL "tollgate_generation"

/* Advisory lock keys ("tg" and a number): one per purpose. */
#define ADV_MIGRATE "1952907265"
#define ADV_BOOTSTRAP "1952907266"
#define ADV_WRITE "1952907267"

struct cached_stmt {
	uint64_t hash;
	char *sql; /* NULL: a free slot */
	Oid *types;
	size_t n_types;
	unsigned id; /* prepared as "tg<id>" */
	uint64_t used;
};

struct pg_conn {
	PGconn *db; /* NULL while disconnected */
	struct pg_store *st;
	struct pg_conn *next; /* in the store's list */
	struct cached_stmt cache[STMT_CACHE_SIZE];
	uint64_t clock;
	unsigned next_id;
	unsigned depth;  /* transaction nesting: 0 none, 1 top, >1 savepoints */
	bool doomed;     /* the connection was lost inside the transaction */
	bool dirty;      /* wrote what a generation counter may follow */
	double retry_at; /* monotonic ms: no reconnect attempt before */
	int backoff_ms;
	/* row counts of unfiltered lists, taken at content generation 'gen' */
	struct {
		const struct content_type *ct;
		int pub;
		uint64_t gen;
		int64_t total;
	} counts[COUNT_CACHE_SIZE];
	size_t n_counts;
};

struct pg_store {
	uint64_t serial;
	const char **keys; /* libpq connection keywords, NULL-terminated */
	char **vals;
	char *search_path; /* "SET search_path TO ..." or NULL */
	int lock_timeout_ms;
	unsigned pool_max;
	atomic_uint n_live;   /* worker connections open */
	pthread_mutex_t lock; /* guards 'conns' */
	struct pg_conn *conns;
	struct pg_store *next_live;

	_Atomic uint64_t token_gen;
	_Atomic uint64_t admin_gen;
	_Atomic uint64_t content_gen; /* list counts are valid while it stays */
	pthread_t listener;
	bool listening;
	int wake[2]; /* a byte on wake[1] stops the listener */
	atomic_bool stop;
};

/* Live stores, so a thread can tell which of its slots went stale. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pg_store *live_head;
static uint64_t next_serial;

struct tl_slot {
	uint64_t serial; /* 0 when free */
	struct pg_conn *c;
};
static _Thread_local struct tl_slot tl_slots[TL_SLOTS];

static void conn_drop(struct pg_conn *c);
static void gen_sync(struct pg_conn *c);

/* ", col = $n" with 'v' as parameter n: one SET item of an UPDATE. */
static void
set_text(struct buf *sql, struct pgs_params *p, const char *col, const char *v)
{
	pgs_add_text(p, v);
	buf_addf(sql, ", %s = $%zu", col, p->n);
}

static void
set_i64(struct buf *sql, struct pgs_params *p, const char *col, int64_t v)
{
	pgs_add_i64(p, v);
	buf_addf(sql, ", %s = $%zu", col, p->n);
}

/* ---- list counts ----------------------------------------------------- */

void
pgs_conn_dirty(struct pg_conn *c)
{
	c->dirty = true;
	c->n_counts = 0;
	/* outside a transaction the statement has committed: raise the
	 * generations now, or the next request (on any thread) could still
	 * see the old content generation until the listener's notification */
	gen_sync(c);
}

uint64_t
pgs_content_generation(const struct pg_conn *c)
{
	return atomic_load(&c->st->content_gen);
}

/*
 * The content generation is raised by this instance's commits (gen_sync()
 * after the transaction) and by the listener for other instances'.
 */
static bool
pgs_content_version(struct store *s, uint64_t *v)
{
	struct pg_store *st = s->priv;

	*v = atomic_load(&st->content_gen);
	return true;
}

bool
pgs_count_cached(struct pg_conn *c, const struct content_type *ct, int pub,
		 uint64_t gen, int64_t *total)
{
	size_t i;

	if (c->depth > 1) /* inside a caller's transaction: may be its own */
		return false;
	for (i = 0; i < c->n_counts; i++) {
		if (c->counts[i].ct == ct && c->counts[i].pub == pub &&
		    c->counts[i].gen == gen) {
			*total = c->counts[i].total;
			return true;
		}
	}
	return false;
}

void
pgs_count_store(struct pg_conn *c, const struct content_type *ct, int pub,
		uint64_t gen, int64_t total)
{
	size_t i;

	if (c->depth > 1)
		return;
	for (i = 0; i < c->n_counts; i++)
		if (c->counts[i].ct == ct && c->counts[i].pub == pub)
			break;
	if (i == c->n_counts) {
		if (c->n_counts == COUNT_CACHE_SIZE)
			i = 0; /* replace the oldest */
		else
			c->n_counts++;
	}
	c->counts[i].ct = ct;
	c->counts[i].pub = pub;
	c->counts[i].gen = gen;
	c->counts[i].total = total;
}

/* ---- parameters ------------------------------------------------------ */

void
pgs_params_init(struct pgs_params *p)
{
	memset(p, 0, sizeof(*p));
}

/* Values may be secrets (password hashes, keys): wiped before freed. */
void
pgs_params_release(struct pgs_params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		secret_free(p->v[i]);
	free(p->v);
	free(p->types);
	pgs_params_init(p);
}

/*
 * The length of the valid UTF-8 sequence at 's' (as the server checks it:
 * no overlong forms, surrogates or code points past U+10FFFF), 0 if none.
 */
static size_t
utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * Text for the server, which refuses bytes that are not UTF-8 where
 * SQLite keeps them: each such byte becomes U+FFFD, so a request carrying
 * one matches nothing stored instead of failing.
 */
static char *
text_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = BUF_INIT;
	size_t n;

	for (; *p; p += n) {
		n = utf8_seq(p);
		if (!n)
			break;
	}
	if (!*p)
		return xstrdup(s);
	for (p = (const unsigned char *)s; *p; p += n) {
		n = utf8_seq(p);
		if (n) {
			buf_add(&b, p, n);
		} else {
			buf_addstr(&b, "\xef\xbf\xbd");
			n = 1;
		}
	}
	return buf_detach(&b, NULL);
}

/* Append 'value' (stolen; NULL is SQL NULL) of type 'type'. */
static void
params_push(struct pgs_params *p, char *value, Oid type)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 8;
		p->v = xrealloc(p->v, p->alloc * sizeof(*p->v));
		p->types = xrealloc(p->types, p->alloc * sizeof(*p->types));
	}
	p->v[p->n] = value;
	p->types[p->n] = type;
	p->n++;
}

void
pgs_add_i64(struct pgs_params *p, int64_t v)
{
	params_push(p, xasprintf("%" PRId64, v), PGS_INT8OID);
}

void
pgs_add_opt(struct pgs_params *p, int64_t v, int64_t null_value)
{
	if (v == null_value)
		params_push(p, NULL, PGS_INT8OID);
	else
		pgs_add_i64(p, v);
}

void
pgs_add_text(struct pgs_params *p, const char *s)
{
	params_push(p, s ? text_dup(s) : NULL, PGS_TEXTOID);
}

void
pgs_add_val(struct pgs_params *p, const struct sqlval *v)
{
	switch (v->kind) {
	case SV_INT:
		pgs_add_i64(p, v->i);
		break;
	case SV_REAL:
		/* 17 digits: the server reads back the very same double */
		params_push(p, xasprintf("%.17g", v->d), PGS_FLOAT8OID);
		break;
	case SV_TEXT:
		params_push(p, text_dup(v->s ? v->s : ""), 0);
		break;
	case SV_NULL:
	default:
		params_push(p, NULL, 0);
		break;
	}
}

/* ---- result cells ---------------------------------------------------- */

int64_t
pgs_i64(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int64_t
pgs_opt(const PGresult *r, int row, int col, int64_t null_value)
{
	if (PQgetisnull(r, row, col))
		return null_value;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double
pgs_real(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtod(PQgetvalue(r, row, col), NULL);
}

char *
pgs_text(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return xstrndup(PQgetvalue(r, row, col),
			(size_t)PQgetlength(r, row, col));
}

/* NOT NULL text columns read as "" should a hand edit have broken them. */
static char *
text_nn(const PGresult *r, int row, int col)
{
	char *s = pgs_text(r, row, col);

	return s ? s : xstrdup("");
}

/* ---- errors ---------------------------------------------------------- */

/* SQLSTATEs that mean the server or our session is gone. */
static bool
state_gone(const char *state)
{
	return !strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
	       !strcmp(state, "57P02") || !strcmp(state, "57P03");
}

/* SQLSTATEs that mean "busy, try again": SQLite's SQLITE_BUSY. */
static bool
state_busy(const char *state)
{
	return !strcmp(state, "40001") || !strcmp(state, "40P01") ||
	       !strcmp(state, "55P03") || !strcmp(state, "57014") ||
	       !strcmp(state, "53300");
}

/* The first line of a libpq message, for the log. */
static void
first_line(const char *msg, char *out, size_t outsz)
{
	size_t n = strcspn(msg ? msg : "", "\n");

	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, msg ? msg : "", n);
	out[n] = '\0';
}

/*
 * Log a failure of 'what' and map it to an error code. The primary message
 * names tables and columns but, for data exceptions (class 22), may quote
 * a value: those are logged by their SQLSTATE only. A lost server drops
 * the connection.
 */
static int
db_error(struct pg_conn *c, const PGresult *res, const char *what)
{
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg =
	    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[256];

	if (state && !strncmp(state, "22", 2))
		msg = "invalid data";
	if ((!msg || !*msg) && res)
		msg = PQresultErrorMessage(res);
	if (!msg || !*msg)
		msg = c->db ? PQerrorMessage(c->db) : "no connection";
	first_line(msg, line, sizeof(line));
	if (!c->db || PQstatus(c->db) == CONNECTION_BAD ||
	    (state && state_gone(state))) {
		log_warn("postgres: %s: the server connection was lost: %s",
			 what, line);
		conn_drop(c);
		return ERR_UNAVAILABLE;
	}
	if (state && !strcmp(state, "23505")) {
		log_warn("postgres: %s: %s", what, line);
		return ERR_CONFLICT;
	}
	if (state && state_busy(state)) {
		log_warn("postgres: %s: %s (%s)", what, line, state);
		return ERR_UNAVAILABLE;
	}
	log_error("postgres: %s: %s (%s)", what, line, state ? state : "-");
	return ERR_STORAGE;
}

int
pgs_set_db_err(struct err *e, int ret)
{
	if (ret == ERR_UNAVAILABLE)
		return err_set(e, ret, "the database is busy");
	return err_set(e, ret, "database error");
}

/* ---- statements ------------------------------------------------------ */

static uint64_t
hash_stmt(const char *s, const Oid *types, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	for (i = 0; i < n; i++) {
		h ^= types[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
cache_forget(struct cached_stmt *ce)
{
	free(ce->sql);
	free(ce->types);
	memset(ce, 0, sizeof(*ce));
}

static void
cache_clear(struct pg_conn *c)
{
	size_t i;

	for (i = 0; i < STMT_CACHE_SIZE; i++)
		cache_forget(&c->cache[i]);
}

/*
 * The name of the prepared copy of 'sql' with parameter types 'types' on
 * this connection, prepared now if needed (evicting the least recently
 * used one when the cache is full).
 */
static int
stmt_prepared(struct pg_conn *c, const char *sql, const Oid *types, size_t n,
	      const char *what, char *name, size_t namesz)
{
	struct cached_stmt *ce;
	char dealloc[48];
	PGresult *res;
	uint64_t h;
	int i, victim = -1, ret;

	h = hash_stmt(sql, types, n);
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		ce = &c->cache[i];
		if (ce->sql && ce->hash == h && ce->n_types == n &&
		    !strcmp(ce->sql, sql) &&
		    (n == 0 || !memcmp(ce->types, types, n * sizeof(*types)))) {
			ce->used = ++c->clock;
			snprintf(name, namesz, "tg%u", ce->id);
			return 0;
		}
		if (victim < 0 || !ce->sql ||
		    (c->cache[victim].sql && ce->used < c->cache[victim].used))
			victim = i;
	}
	ce = &c->cache[victim];
	if (ce->sql) {
		/* best effort: a failure only leaves it on the server */
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE tg%u", ce->id);
		PQclear(PQexec(c->db, dealloc));
		cache_forget(ce);
		if (PQstatus(c->db) == CONNECTION_BAD)
			return db_error(c, NULL, what);
	}
	snprintf(name, namesz, "tg%u", ++c->next_id);
	res = PQprepare(c->db, name, sql, (int)n, types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		ret = db_error(c, res, what);
		PQclear(res);
		return ret;
	}
	PQclear(res);
	ce->hash = h;
	ce->sql = xstrdup(sql);
	ce->n_types = n;
	ce->types = n ? xmalloc(n * sizeof(*types)) : NULL;
	if (n)
		memcpy(ce->types, types, n * sizeof(*types));
	ce->id = c->next_id;
	ce->used = ++c->clock;
	return 0;
}

int
pgs_query(struct pg_conn *c, const char *sql, bool cache,
	  const struct pgs_params *p, const char *what, PGresult **out)
{
	const char *const *vals = p ? (const char *const *)p->v : NULL;
	const Oid *types = p ? p->types : NULL;
	size_t n = p ? p->n : 0;
	ExecStatusType status;
	char name[24];
	PGresult *res;
	int ret;

	if (out)
		*out = NULL;
	if (!c->db)
		return ERR_UNAVAILABLE;
	if (cache) {
		ret = stmt_prepared(c, sql, types, n, what, name, sizeof(name));
		if (ret)
			return ret;
		res = PQexecPrepared(c->db, name, (int)n, vals, NULL, NULL, 0);
	} else {
		res = PQexecParams(c->db, sql, (int)n, types, vals, NULL, NULL,
				   0);
	}
	status = PQresultStatus(res);
	if (res && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
		if (out)
			*out = res;
		else
			PQclear(res);
		return 0;
	}
	ret = db_error(c, res, what);
	PQclear(res);
	return ret;
}

int
pgs_exec(struct pg_conn *c, const char *sql, bool cache,
	 const struct pgs_params *p, const char *what, int64_t *changes)
{
	PGresult *res;
	int ret;

	if (changes)
		*changes = 0;
	ret = pgs_query(c, sql, cache, p, what, &res);
	if (ret)
		return ret;
	if (changes)
		*changes = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}

/* Statements without parameters, possibly several (';'-separated). */
static int
exec_script(struct pg_conn *c, const char *sql, const char *what)
{
	ExecStatusType status;
	PGresult *res;
	int ret;

	if (!c->db)
		return ERR_UNAVAILABLE;
	res = PQexec(c->db, sql);
	status = PQresultStatus(res);
	if (res && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
		PQclear(res);
		return 0;
	}
	ret = db_error(c, res, what);
	PQclear(res);
	return ret;
}

/* One integer from a one-column query; 0 when there is no row. */
static int
query_i64(struct pg_conn *c, const char *sql, const struct pgs_params *p,
	  const char *what, int64_t *out)
{
	PGresult *res;
	int ret;

	*out = 0;
	ret = pgs_query(c, sql, true, p, what, &res);
	if (ret)
		return ret;
	if (PQntuples(res) > 0)
		*out = pgs_i64(res, 0, 0);
	PQclear(res);
	return 0;
}

/* One integer from 'sql' with one integer parameter; 0 when no row. */
static int
query_i64_arg(struct pg_conn *c, const char *sql, int64_t arg, const char *what,
	      int64_t *out)
{
	struct pgs_params p;
	int ret;

	pgs_params_init(&p);
	pgs_add_i64(&p, arg);
	ret = query_i64(c, sql, &p, what, out);
	pgs_params_release(&p);
	return ret;
}

/* Run 'sql' (no rows) with one integer parameter. */
static int
exec_i64(struct pg_conn *c, const char *sql, int64_t arg, const char *what,
	 int64_t *changes)
{
	struct pgs_params p;
	int ret;

	pgs_params_init(&p);
	pgs_add_i64(&p, arg);
	ret = pgs_exec(c, sql, true, &p, what, changes);
	pgs_params_release(&p);
	return ret;
}

/* ---- transactions ---------------------------------------------------- */

/*
 * This connection wrote something a generation counter may follow: read
 * the counters again once the change is committed (or rolled back).
 */
static void
conn_dirty(struct pg_conn *c)
{
	c->dirty = true;
}

/* After a failed BEGIN batch, leave no half-open transaction behind. */
static void
abandon_tx(struct pg_conn *c)
{
	if (c->db && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		PQclear(PQexec(c->db, "ROLLBACK"));
}

int
pgs_tx_enter(struct pg_conn *c, bool write)
{
	const char *sql;
	int ret;

	if (c->doomed)
		return ERR_UNAVAILABLE;
	if (c->depth > 0)
		sql = "SAVEPOINT tg";
	else if (write)
		sql = "BEGIN; SELECT pg_advisory_xact_lock(" ADV_WRITE ")";
	else
		sql = "BEGIN ISOLATION LEVEL REPEATABLE READ";
	ret = exec_script(c, sql, "begin a transaction");
	if (ret == 0)
		c->depth++;
	else if (c->depth == 0)
		abandon_tx(c);
	return ret;
}

/* COMMIT, and make sure the server did commit (not roll back). */
static int
commit_top(struct pg_conn *c)
{
	PGresult *res;
	int ret;

	res = PQexec(c->db, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		ret = db_error(c, res, "commit");
		PQclear(res);
		abandon_tx(c);
		return ret;
	}
	if (strcmp(PQcmdStatus(res), "COMMIT")) {
		log_error("postgres: the transaction was rolled back");
		PQclear(res);
		return ERR_STORAGE;
	}
	PQclear(res);
	return 0;
}

int
pgs_tx_leave(struct pg_conn *c, bool commit)
{
	bool failed;
	int ret = 0;

	if (c->depth == 0) {
		log_error("postgres: transaction end without a begin");
		return ERR_INTERNAL;
	}
	if (c->doomed || !c->db) {
		/* the server dropped the whole transaction with the link */
		if (--c->depth == 0)
			c->doomed = false;
		return commit ? ERR_UNAVAILABLE : 0;
	}
	failed = PQtransactionStatus(c->db) == PQTRANS_INERROR;
	if (c->depth == 1) {
		if (commit && !failed) {
			ret = commit_top(c);
		} else {
			ret = exec_script(c, "ROLLBACK", "roll back");
			if (commit && ret == 0) {
				log_error("postgres: the transaction was "
					  "rolled back after an error");
				ret = ERR_STORAGE;
			}
		}
		c->depth = 0;
		c->doomed = false;
		gen_sync(c);
		return ret;
	}
	if (commit && !failed) {
		ret = exec_script(c, "RELEASE tg", "release a savepoint");
	} else {
		ret = exec_script(c, "ROLLBACK TO tg; RELEASE tg",
				  "roll back a savepoint");
		if (commit && ret == 0) {
			log_error("postgres: a savepoint was rolled back "
				  "after an error");
			ret = ERR_STORAGE;
		}
	}
	c->depth--;
	if (c->depth == 0)
		c->doomed = false;
	return ret;
}

int
pgs_tx_finish(struct pg_conn *c, int ret)
{
	if (ret) {
		pgs_tx_leave(c, false);
		return ret;
	}
	return pgs_tx_leave(c, true);
}

/* ---- generations ----------------------------------------------------- */

static const char gen_sql[] = "SELECT key, value FROM tollgate_meta"
			      " WHERE key IN ('token_generation',"
			      " 'admin_generation', 'content_generation')";

/* Raise '*a' to 'v' unless it is already there: readers never go back. */
static void
gen_raise(_Atomic uint64_t *a, uint64_t v)
{
	uint64_t cur = atomic_load(a);

	while (v > cur && !atomic_compare_exchange_weak(a, &cur, v))
		;
}

static void
gen_store(struct pg_store *st, const PGresult *res)
{
	const char *key;
	uint64_t v;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		key = PQgetvalue(res, i, 0);
		v = strtoull(PQgetvalue(res, i, 1), NULL, 10);
		if (!strcmp(key, "token_generation"))
			gen_raise(&st->token_gen, v);
		else if (!strcmp(key, "admin_generation"))
			gen_raise(&st->admin_gen, v);
		else if (!strcmp(key, "content_generation"))
			gen_raise(&st->content_gen, v);
	}
}

/*
 * Once this connection's change is settled (outside any transaction), read
 * both counters, so the next request on any thread sees the change. A
 * failure only delays that until the listener's next read.
 */
static void
gen_sync(struct pg_conn *c)
{
	PGresult *res;

	if (!c->dirty || c->depth > 0 || !c->db)
		return;
	c->dirty = false;
	if (pgs_query(c, gen_sql, true, NULL, "read the generations", &res))
		return;
	gen_store(c->st, res);
	PQclear(res);
}

/* ---- connections ----------------------------------------------------- */

static void
notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/*
 * A new connection with the session set up (search_path, bytewise float
 * text, lock timeout), or NULL (logged unless 'quiet').
 */
static PGconn *
db_connect(struct pg_store *st, bool quiet)
{
	struct buf setup = BUF_INIT;
	char line[256];
	PGresult *res;
	PGconn *db;

	db = PQconnectdbParams(st->keys, (const char *const *)st->vals, 1);
	if (!db)
		return NULL;
	if (PQstatus(db) != CONNECTION_OK) {
		first_line(PQerrorMessage(db), line, sizeof(line));
		if (!quiet)
			log_warn("postgres: cannot connect: %s", line);
		PQfinish(db);
		return NULL;
	}
	PQsetNoticeProcessor(db, notice_quiet, NULL);
	buf_addf(&setup,
		 "SET extra_float_digits = 3;"
		 " SET standard_conforming_strings = on;"
		 " SET lock_timeout = %d",
		 st->lock_timeout_ms);
	if (st->search_path)
		buf_addf(&setup, "; %s", st->search_path);
	res = PQexec(db, setup.ptr);
	buf_release(&setup);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		first_line(PQresultErrorMessage(res), line, sizeof(line));
		if (!quiet)
			log_warn("postgres: cannot set up a session: %s", line);
		PQclear(res);
		PQfinish(db);
		return NULL;
	}
	PQclear(res);
	return db;
}

/* Close the link (the server ends any transaction) and forget statements. */
static void
conn_drop(struct pg_conn *c)
{
	if (!c->db)
		return;
	PQfinish(c->db);
	c->db = NULL;
	cache_clear(c);
	atomic_fetch_sub(&c->st->n_live, 1);
	if (c->depth > 0)
		c->doomed = true;
	c->dirty = false;
	c->retry_at = 0; /* the next use tries at once */
}

/*
 * Connect 'c' unless it is connected: at once after a drop, then at most
 * once per back-off period (100 ms doubling to 2 s) while attempts fail.
 */
static int
conn_ready(struct pg_conn *c)
{
	struct pg_store *st = c->st;
	double now;

	if (c->doomed)
		return ERR_UNAVAILABLE;
	if (c->db)
		return 0;
	now = time_mono_ms();
	if (now < c->retry_at)
		return ERR_UNAVAILABLE;
	if (atomic_fetch_add(&st->n_live, 1) >= st->pool_max) {
		atomic_fetch_sub(&st->n_live, 1);
		log_warn("postgres: every pooled connection (%u) is in use",
			 st->pool_max);
		return ERR_UNAVAILABLE;
	}
	c->db = db_connect(st, c->backoff_ms > 0);
	if (!c->db) {
		atomic_fetch_sub(&st->n_live, 1);
		c->backoff_ms =
		    c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_MIN_MS;
		if (c->backoff_ms > BACKOFF_MAX_MS)
			c->backoff_ms = BACKOFF_MAX_MS;
		c->retry_at = time_mono_ms() + c->backoff_ms;
		return ERR_UNAVAILABLE;
	}
	c->backoff_ms = 0;
	c->retry_at = 0;
	return 0;
}

static void
conn_free(struct pg_conn *c)
{
	if (c->depth)
		log_warn("postgres: closing a connection inside a "
			 "transaction");
	conn_drop(c);
	free(c);
}

static bool
serial_live(uint64_t serial)
{
	struct pg_store *p;

	for (p = live_head; p; p = p->next_live)
		if (p->serial == serial)
			return true;
	return false;
}

/* Forget this thread's slots whose store was closed. */
static void
purge_stale_slots(void)
{
	size_t i;

	pthread_mutex_lock(&live_lock);
	for (i = 0; i < TL_SLOTS; i++) {
		if (tl_slots[i].serial && !serial_live(tl_slots[i].serial)) {
			tl_slots[i].serial = 0;
			tl_slots[i].c = NULL;
		}
	}
	pthread_mutex_unlock(&live_lock);
}

/* This thread's connection record for 'st', or NULL. */
static struct pg_conn *
conn_find(struct pg_store *st)
{
	size_t i;

	for (i = 0; i < TL_SLOTS; i++)
		if (tl_slots[i].serial == st->serial)
			return tl_slots[i].c;
	return NULL;
}

/* Slow path: this thread's first use of 'st'. */
static int
conn_attach(struct pg_store *st, struct pg_conn **out)
{
	struct pg_conn *c;
	size_t i;

	purge_stale_slots();
	for (i = 0; i < TL_SLOTS; i++)
		if (!tl_slots[i].serial)
			break;
	if (i == TL_SLOTS) {
		log_error("postgres: too many stores open in one thread");
		return ERR_INTERNAL;
	}
	c = xcalloc(1, sizeof(*c));
	c->st = st;
	pthread_mutex_lock(&st->lock);
	c->next = st->conns;
	st->conns = c;
	pthread_mutex_unlock(&st->lock);
	tl_slots[i].serial = st->serial;
	tl_slots[i].c = c;
	*out = c;
	return 0;
}

int
pgs_conn_get(struct store *s, struct pg_conn **out)
{
	struct pg_store *st = s->priv;
	struct pg_conn *c = conn_find(st);
	int ret;

	if (!c) {
		ret = conn_attach(st, &c);
		if (ret)
			return ret;
	}
	*out = c;
	return conn_ready(c);
}

/* ---- the generation listener ----------------------------------------- */

/* Hand every pending notification back to libpq; true when there was one. */
static bool
drain_notifies(PGconn *db)
{
	PGnotify *n;
	bool any = false;

	while ((n = PQnotifies(db))) {
		any = true;
		PQfreemem(n);
	}
	return any;
}

/* Read both counters on the listener's link; false when it broke. */
static bool
listener_read(struct pg_store *st, PGconn *db)
{
	PGresult *res = PQexec(db, gen_sql);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		gen_store(st, res);
	PQclear(res);
	return PQstatus(db) == CONNECTION_OK;
}

static PGconn *
listener_connect(struct pg_store *st, bool quiet)
{
	PGconn *db = db_connect(st, quiet);
	PGresult *res;

	if (!db)
		return NULL;
	res = PQexec(db, "LISTEN " GEN_CHANNEL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		PQclear(res);
		PQfinish(db);
		return NULL;
	}
	PQclear(res);
	return db;
}

/*
 * Read the counters, then wait up to 250 ms for a notification (or the
 * stop byte), and again. Reading after every wait also covers lost
 * notifications and changes made while the link was down.
 */
static void *
listener_main(void *arg)
{
	struct pg_store *st = arg;
	struct pollfd pfd[2];
	PGconn *db = NULL;
	double retry_at = 0;
	int backoff = 0, nfd;

	while (!atomic_load(&st->stop)) {
		if (!db && time_mono_ms() >= retry_at) {
			db = listener_connect(st, backoff > 0);
			if (db && !listener_read(st, db)) {
				PQfinish(db);
				db = NULL;
			}
			if (db) {
				backoff = 0;
			} else {
				backoff =
				    backoff ? backoff * 2 : BACKOFF_MIN_MS;
				if (backoff > BACKOFF_MAX_MS)
					backoff = BACKOFF_MAX_MS;
				retry_at = time_mono_ms() + backoff;
			}
		} else if (db && !listener_read(st, db)) {
			PQfinish(db);
			db = NULL;
			continue;
		}
		/* notifications that came in during the read: read again */
		if (db && drain_notifies(db))
			continue;
		memset(pfd, 0, sizeof(pfd));
		pfd[0].fd = st->wake[0];
		pfd[0].events = POLLIN;
		nfd = 1;
		if (db && PQsocket(db) >= 0) {
			pfd[1].fd = PQsocket(db);
			pfd[1].events = POLLIN;
			nfd = 2;
		}
		if (poll(pfd, (nfds_t)nfd, LISTEN_POLL_MS) < 0) {
			if (errno != EINTR)
				usleep(LISTEN_POLL_MS * 1000);
			continue;
		}
		if (pfd[0].revents & POLLIN)
			break;
		if (db && nfd == 2 && pfd[1].revents) {
			if (!PQconsumeInput(db)) {
				PQfinish(db);
				db = NULL;
				continue;
			}
			drain_notifies(db);
		}
	}
	PQfinish(db);
	return NULL;
}

static int
listener_start(struct pg_store *st)
{
	int i;

	if (pipe(st->wake))
		return ERR_IO;
	for (i = 0; i < 2; i++)
		fcntl(st->wake[i], F_SETFD, FD_CLOEXEC);
	fcntl(st->wake[1], F_SETFL, O_NONBLOCK);
	if (pthread_create(&st->listener, NULL, listener_main, st)) {
		close(st->wake[0]);
		close(st->wake[1]);
		st->wake[0] = st->wake[1] = -1;
		return ERR_INTERNAL;
	}
	st->listening = true;
	return 0;
}

static void
listener_stop(struct pg_store *st)
{
	char b = 1;

	if (!st->listening)
		return;
	atomic_store(&st->stop, true);
	if (write(st->wake[1], &b, 1) < 0)
		log_warn("postgres: cannot wake the listener: %s",
			 strerror(errno));
	pthread_join(st->listener, NULL);
	close(st->wake[0]);
	close(st->wake[1]);
	st->listening = false;
}

/* ---- open / close ---------------------------------------------------- */

static void
live_remove(struct pg_store *st)
{
	struct pg_store **pp;

	pthread_mutex_lock(&live_lock);
	for (pp = &live_head; *pp; pp = &(*pp)->next_live) {
		if (*pp == st) {
			*pp = st->next_live;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
}

static void
pg_store_free(struct pg_store *st)
{
	struct pg_conn *c, *next;
	size_t i;

	listener_stop(st);
	live_remove(st);
	pthread_mutex_lock(&st->lock);
	for (c = st->conns; c; c = next) {
		next = c->next;
		conn_free(c);
	}
	st->conns = NULL;
	pthread_mutex_unlock(&st->lock);
	for (i = 0; i < TL_SLOTS; i++) {
		if (tl_slots[i].serial == st->serial) {
			tl_slots[i].serial = 0;
			tl_slots[i].c = NULL;
		}
	}
	for (i = 0; st->keys && st->keys[i]; i++) {
		if (!strcmp(st->keys[i], "password") ||
		    !strcmp(st->keys[i], "dbname"))
			secret_free(st->vals[i]);
		else
			free(st->vals[i]);
	}
	free(st->keys);
	free(st->vals);
	free(st->search_path);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static void
conninfo_add(struct pg_store *st, size_t *n, const char *key, const char *val)
{
	st->keys = xrealloc(st->keys, (*n + 2) * sizeof(*st->keys));
	st->vals = xrealloc(st->vals, (*n + 2) * sizeof(*st->vals));
	st->keys[*n] = key;
	st->vals[*n] = xstrdup(val);
	(*n)++;
	st->keys[*n] = NULL;
	st->vals[*n] = NULL;
}

/*
 * libpq keywords: a URL (expanded as 'dbname') wins over the separate
 * fields, and over our defaults before it (application_name "tollgate").
 */
static void
conninfo_build(struct pg_store *st, const struct store_options *o)
{
	char port[16];
	size_t n = 0;

	conninfo_add(st, &n, "connect_timeout", CONNECT_TIMEOUT_S);
	conninfo_add(st, &n, "application_name", "tollgate");
	if (o->url && *o->url) {
		conninfo_add(st, &n, "dbname", o->url);
		if (o->ssl)
			conninfo_add(st, &n, "sslmode", "require");
	} else {
		if (o->host && *o->host)
			conninfo_add(st, &n, "host", o->host);
		if (o->port) {
			snprintf(port, sizeof(port), "%u", o->port);
			conninfo_add(st, &n, "port", port);
		}
		if (o->name && *o->name)
			conninfo_add(st, &n, "dbname", o->name);
		if (o->username && *o->username)
			conninfo_add(st, &n, "user", o->username);
		if (o->password && *o->password)
			conninfo_add(st, &n, "password", o->password);
		conninfo_add(st, &n, "sslmode", o->ssl ? "require" : "prefer");
	}
	conninfo_add(st, &n, "client_encoding", "UTF8");
}

static bool
custom_schema(const char *schema)
{
	return schema && *schema && strcmp(schema, "public");
}

/* CREATE SCHEMA IF NOT EXISTS races with itself: one instance at a time. */
static int
create_schema(struct pg_conn *c, const char *schema)
{
	struct buf sql = BUF_INIT;
	int ret;

	buf_addstr(&sql, "SET lock_timeout = 0;"
			 " SELECT pg_advisory_lock(" ADV_MIGRATE ");"
			 " CREATE SCHEMA IF NOT EXISTS ");
	sql_quote_ident(&sql, schema);
	ret = exec_script(c, sql.ptr, "create the schema");
	buf_release(&sql);
	if (c->db) {
		PQclear(PQexec(c->db, "SELECT pg_advisory_unlock_all()"));
		buf_addf(&sql, "SET lock_timeout = %d", c->st->lock_timeout_ms);
		exec_script(c, sql.ptr, "set the lock timeout");
		buf_release(&sql);
	}
	return ret;
}

static int
pg_open(struct store *s, const struct store_options *o, struct err *e)
{
	struct pg_store *st;
	struct pg_conn *c;
	struct buf b = BUF_INIT;
	int ret;

	st = xcalloc(1, sizeof(*st));
	pthread_mutex_init(&st->lock, NULL);
	st->wake[0] = st->wake[1] = -1;
	st->pool_max = o->pool_max ? o->pool_max : DEFAULT_POOL_MAX;
	st->lock_timeout_ms =
	    o->busy_timeout_ms > 0 ? o->busy_timeout_ms : DEFAULT_BUSY_MS;
	conninfo_build(st, o);
	if (custom_schema(o->schema)) {
		buf_addstr(&b, "SET search_path TO ");
		sql_quote_ident(&b, o->schema);
		st->search_path = buf_detach(&b, NULL);
	}
	pthread_mutex_lock(&live_lock);
	st->serial = ++next_serial;
	st->next_live = live_head;
	live_head = st;
	pthread_mutex_unlock(&live_lock);

	s->priv = st;
	ret = pgs_conn_get(s, &c);
	if (ret) {
		ret = err_set(e, ret == ERR_UNAVAILABLE ? ret : ERR_STORAGE,
			      "cannot connect to the PostgreSQL database");
		goto out;
	}
	if (custom_schema(o->schema)) {
		ret = create_schema(c, o->schema);
		if (ret) {
			ret = err_set(e, ret, "cannot create the schema '%s'",
				      o->schema);
			goto out;
		}
	}
	/* migrating reads the counters; the listener reads them anyway */
	ret = listener_start(st);
	if (ret)
		ret = err_set(e, ret, "cannot start the database listener");
out:
	if (ret) {
		s->priv = NULL;
		pg_store_free(st);
	}
	return ret;
}

static void
pg_close(struct store *s)
{
	if (s->priv)
		pg_store_free(s->priv);
	s->priv = NULL;
}

static void
pg_thread_release(struct store *s)
{
	struct pg_store *st = s->priv;
	struct pg_conn **pp, *c = NULL;
	size_t i;

	for (i = 0; i < TL_SLOTS; i++)
		if (tl_slots[i].serial == st->serial)
			break;
	if (i == TL_SLOTS)
		return;
	c = tl_slots[i].c;
	tl_slots[i].serial = 0;
	tl_slots[i].c = NULL;
	pthread_mutex_lock(&st->lock);
	for (pp = &st->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&st->lock);
	conn_free(c);
}

/* ---- transactions (public) ------------------------------------------- */

static int
pg_begin(struct store *s)
{
	struct pg_conn *c;
	int ret = pgs_conn_get(s, &c);

	return ret ? ret : pgs_tx_enter(c, true);
}

/* Commit and rollback reach a transaction even when its link is lost. */
static int
pg_tx_end(struct store *s, bool commit)
{
	struct pg_conn *c = conn_find(s->priv);

	if (!c || c->depth == 0) {
		log_error("postgres: transaction end without a begin");
		return ERR_INTERNAL;
	}
	return pgs_tx_leave(c, commit);
}

static int
pg_commit(struct store *s)
{
	return pg_tx_end(s, true);
}

static int
pg_rollback(struct store *s)
{
	return pg_tx_end(s, false);
}

/* ---- migrations ------------------------------------------------------ */

/* clang-format off */
#define TEXT_C " TEXT COLLATE \"C\""
#define ID_COL " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"

/* A trigger function bumping one counter and telling every listener. */
#define BUMP_FN(fn, key, note)                                            \
	"CREATE FUNCTION " fn "() RETURNS trigger LANGUAGE plpgsql"       \
	" SET search_path FROM CURRENT AS $$ BEGIN"                       \
	" UPDATE tollgate_meta"                                           \
	" SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)"            \
	" WHERE key = '" key "';"                                         \
	" PERFORM pg_notify('" GEN_CHANNEL "', '" note "');"              \
	" RETURN NULL; END $$;\n"

#define GEN_BUMP " FOR EACH ROW EXECUTE FUNCTION tollgate_token_bump();\n"
#define ADMIN_BUMP " FOR EACH ROW EXECUTE FUNCTION tollgate_admin_bump();\n"

static const char migration_v1[] =
	"CREATE TABLE tollgate_meta(key" TEXT_C " PRIMARY KEY,"
	" value" TEXT_C " NOT NULL);\n"
	"INSERT INTO tollgate_meta(key, value) VALUES('token_generation', '0');\n"
	"CREATE TABLE strapi_api_tokens(" ID_COL
	" document_id" TEXT_C ","
	" name" TEXT_C " NOT NULL,"
	" description" TEXT_C " NOT NULL DEFAULT '',"
	" type" TEXT_C " NOT NULL DEFAULT 'read-only',"
	" access_key" TEXT_C " NOT NULL,"
	" encrypted_key" TEXT_C ","
	" last_used_at BIGINT,"
	" expires_at BIGINT,"
	" lifespan BIGINT,"
	" kind" TEXT_C " DEFAULT 'content-api',"
	" admin_user_owner_id BIGINT,"
	" created_at BIGINT NOT NULL,"
	" updated_at BIGINT NOT NULL);\n"
	"CREATE UNIQUE INDEX strapi_api_tokens_access_key_unique"
	" ON strapi_api_tokens(access_key);\n"
	"CREATE INDEX strapi_api_tokens_name_idx ON strapi_api_tokens(name);\n"
	"CREATE TABLE strapi_api_token_permissions(" ID_COL
	" token_id BIGINT NOT NULL REFERENCES strapi_api_tokens(id)"
	" ON DELETE CASCADE,"
	" action" TEXT_C " NOT NULL,"
	" created_at BIGINT,"
	" updated_at BIGINT,"
	" UNIQUE(token_id, action));\n"
	"CREATE TABLE admin_users(" ID_COL
	" document_id" TEXT_C ","
	" firstname" TEXT_C ","
	" lastname" TEXT_C ","
	" username" TEXT_C ","
	" email" TEXT_C " UNIQUE,"
	" password" TEXT_C ","
	" is_active BIGINT NOT NULL DEFAULT 0,"
	" blocked BIGINT NOT NULL DEFAULT 0,"
	" prefered_language" TEXT_C ","
	" created_at BIGINT,"
	" updated_at BIGINT);\n"
	BUMP_FN("tollgate_token_bump", "token_generation", "token")
	/*
	 * Every token change except last_used_at/updated_at touches moves
	 * the generation, whoever makes it.
	 */
	"CREATE TRIGGER strapi_api_tokens_gen_insert"
	" AFTER INSERT ON strapi_api_tokens" GEN_BUMP
	"CREATE TRIGGER strapi_api_tokens_gen_delete"
	" AFTER DELETE ON strapi_api_tokens" GEN_BUMP
	"CREATE TRIGGER strapi_api_tokens_gen_update"
	" AFTER UPDATE OF name, description, type, access_key, encrypted_key,"
	" expires_at, lifespan, kind, admin_user_owner_id"
	" ON strapi_api_tokens" GEN_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_insert"
	" AFTER INSERT ON strapi_api_token_permissions" GEN_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_delete"
	" AFTER DELETE ON strapi_api_token_permissions" GEN_BUMP
	"CREATE TRIGGER strapi_api_token_permissions_gen_update"
	" AFTER UPDATE OF token_id, action"
	" ON strapi_api_token_permissions" GEN_BUMP;

/*
 * Administrators, roles, permissions, sessions and public actions. Every
 * change that admin authorisation depends on moves 'admin_generation'
 * (whoever makes it), as tokens move 'token_generation'.
 */
static const char migration_v2[] =
	"INSERT INTO tollgate_meta(key, value)"
	" VALUES('admin_generation', '0') ON CONFLICT DO NOTHING;\n"
	/* emails are stored lower-cased and compared case-insensitively */
	"UPDATE admin_users SET email = lower(email)"
	" WHERE email <> lower(email);\n"
	"CREATE UNIQUE INDEX admin_users_email_nocase_idx"
	" ON admin_users(lower(email));\n"
	"CREATE TABLE admin_roles(" ID_COL
	" document_id" TEXT_C ","
	" name" TEXT_C " NOT NULL UNIQUE,"
	" code" TEXT_C " NOT NULL UNIQUE,"
	" description" TEXT_C ","
	" created_at BIGINT,"
	" updated_at BIGINT);\n"
	"CREATE TABLE admin_users_roles_lnk("
	" user_id BIGINT NOT NULL REFERENCES admin_users(id)"
	" ON DELETE CASCADE,"
	" role_id BIGINT NOT NULL REFERENCES admin_roles(id)"
	" ON DELETE CASCADE,"
	" PRIMARY KEY(user_id, role_id));\n"
	"CREATE INDEX admin_users_roles_lnk_role_idx"
	" ON admin_users_roles_lnk(role_id);\n"
	"CREATE TABLE admin_permissions(" ID_COL
	" document_id" TEXT_C ","
	" action" TEXT_C " NOT NULL,"
	" subject" TEXT_C ","
	" properties" TEXT_C " NOT NULL DEFAULT '{}',"
	" conditions" TEXT_C " NOT NULL DEFAULT '[]',"
	" role_id BIGINT REFERENCES admin_roles(id) ON DELETE CASCADE,"
	" api_token_id BIGINT REFERENCES strapi_api_tokens(id)"
	" ON DELETE CASCADE,"
	" created_at BIGINT,"
	" updated_at BIGINT);\n"
	"CREATE INDEX admin_permissions_role_idx"
	" ON admin_permissions(role_id);\n"
	"CREATE INDEX admin_permissions_api_token_idx"
	" ON admin_permissions(api_token_id);\n"
	"CREATE TABLE admin_sessions("
	" session_id" TEXT_C " PRIMARY KEY,"
	" user_id BIGINT NOT NULL REFERENCES admin_users(id)"
	" ON DELETE CASCADE,"
	" expires_at BIGINT NOT NULL,"
	" created_at BIGINT);\n"
	"CREATE INDEX admin_sessions_user_idx ON admin_sessions(user_id);\n"
	"CREATE TABLE tollgate_public_actions(action" TEXT_C " PRIMARY KEY);\n"
	BUMP_FN("tollgate_admin_bump", "admin_generation", "admin")
	"CREATE TRIGGER admin_users_gen_insert"
	" AFTER INSERT ON admin_users" ADMIN_BUMP
	"CREATE TRIGGER admin_users_gen_delete"
	" AFTER DELETE ON admin_users" ADMIN_BUMP
	"CREATE TRIGGER admin_users_gen_update"
	" AFTER UPDATE OF is_active, blocked, email, password"
	" ON admin_users" ADMIN_BUMP
	"CREATE TRIGGER admin_roles_gen_insert"
	" AFTER INSERT ON admin_roles" ADMIN_BUMP
	"CREATE TRIGGER admin_roles_gen_delete"
	" AFTER DELETE ON admin_roles" ADMIN_BUMP
	"CREATE TRIGGER admin_roles_gen_update"
	" AFTER UPDATE ON admin_roles" ADMIN_BUMP
	"CREATE TRIGGER admin_users_roles_lnk_gen_insert"
	" AFTER INSERT ON admin_users_roles_lnk" ADMIN_BUMP
	"CREATE TRIGGER admin_users_roles_lnk_gen_delete"
	" AFTER DELETE ON admin_users_roles_lnk" ADMIN_BUMP
	"CREATE TRIGGER admin_users_roles_lnk_gen_update"
	" AFTER UPDATE ON admin_users_roles_lnk" ADMIN_BUMP
	"CREATE TRIGGER admin_permissions_gen_insert"
	" AFTER INSERT ON admin_permissions" ADMIN_BUMP
	"CREATE TRIGGER admin_permissions_gen_delete"
	" AFTER DELETE ON admin_permissions" ADMIN_BUMP
	"CREATE TRIGGER admin_permissions_gen_update"
	" AFTER UPDATE ON admin_permissions" ADMIN_BUMP
	"CREATE TRIGGER admin_sessions_gen_insert"
	" AFTER INSERT ON admin_sessions" ADMIN_BUMP
	"CREATE TRIGGER admin_sessions_gen_delete"
	" AFTER DELETE ON admin_sessions" ADMIN_BUMP
	"CREATE TRIGGER admin_sessions_gen_update"
	" AFTER UPDATE ON admin_sessions" ADMIN_BUMP
	"CREATE TRIGGER tollgate_public_actions_gen_insert"
	" AFTER INSERT ON tollgate_public_actions" ADMIN_BUMP
	"CREATE TRIGGER tollgate_public_actions_gen_delete"
	" AFTER DELETE ON tollgate_public_actions" ADMIN_BUMP
	"CREATE TRIGGER tollgate_public_actions_gen_update"
	" AFTER UPDATE ON tollgate_public_actions" ADMIN_BUMP
	/* admin tokens move both generations (v1's triggers do the token one) */
	"CREATE TRIGGER strapi_api_tokens_admin_gen_insert"
	" AFTER INSERT ON strapi_api_tokens FOR EACH ROW"
	" WHEN (NEW.kind = 'admin')"
	" EXECUTE FUNCTION tollgate_admin_bump();\n"
	"CREATE TRIGGER strapi_api_tokens_admin_gen_delete"
	" AFTER DELETE ON strapi_api_tokens FOR EACH ROW"
	" WHEN (OLD.kind = 'admin')"
	" EXECUTE FUNCTION tollgate_admin_bump();\n"
	"CREATE TRIGGER strapi_api_tokens_admin_gen_update"
	" AFTER UPDATE OF name, description, type, access_key, encrypted_key,"
	" expires_at, lifespan, kind, admin_user_owner_id"
	" ON strapi_api_tokens FOR EACH ROW"
	" WHEN (OLD.kind = 'admin' OR NEW.kind = 'admin')"
	" EXECUTE FUNCTION tollgate_admin_bump();\n";

/*
 * Content changes, counted so cached list counts can be trusted across
 * instances; the statement-level triggers are made per content table by
 * sync_schema (storage/pg_content.c).
 */
static const char migration_v3[] =
	"INSERT INTO tollgate_meta(key, value)"
	" VALUES('content_generation', '0') ON CONFLICT DO NOTHING;\n"
	BUMP_FN("tollgate_content_bump", "content_generation", "content");
/* clang-format on */

/* The same versions and names as SQLite's (storage/sqlite.c). */
static const struct migration {
	int64_t version;
	const char *name;
	const char *sql;
} migrations[] = {
    {1, "initial tokens schema", migration_v1},
    {2, "administrators, roles, permissions, sessions", migration_v2},
    {3, "content change counter", migration_v3},
};

/* Apply what is pending; the caller holds the migration lock. */
static int
migrate_locked(struct pg_conn *c, struct err *e)
{
	const int64_t latest = migrations[ARRAY_SIZE(migrations) - 1].version;
	struct pgs_params p;
	int64_t cur;
	size_t i;
	int ret;

	ret = pgs_tx_enter(c, true);
	if (ret)
		return err_set(e, ret,
			       "cannot lock the database to migrate it");
	ret = exec_script(c,
			  "CREATE TABLE IF NOT EXISTS tollgate_migrations("
			  "version BIGINT PRIMARY KEY, applied_at BIGINT)",
			  "create the migrations table");
	if (ret)
		goto out;
	ret = query_i64(c,
			"SELECT COALESCE(MAX(version), 0)"
			" FROM tollgate_migrations",
			NULL, "read the schema version", &cur);
	if (ret)
		goto out;
	if (cur > latest) {
		pgs_tx_finish(c, ERR_STORAGE);
		return err_set(e, ERR_STORAGE,
			       "the database schema version %" PRId64
			       " is newer than this build's (%" PRId64 ")",
			       cur, latest);
	}
	for (i = 0; i < ARRAY_SIZE(migrations); i++) {
		if (migrations[i].version <= cur)
			continue;
		ret = exec_script(c, migrations[i].sql, "apply a migration");
		if (ret)
			goto out;
		pgs_params_init(&p);
		pgs_add_i64(&p, migrations[i].version);
		pgs_add_i64(&p, time_now_ms());
		ret = pgs_exec(c,
			       "INSERT INTO tollgate_migrations"
			       "(version, applied_at) VALUES($1, $2)",
			       false, &p, "record a migration", NULL);
		pgs_params_release(&p);
		if (ret)
			goto out;
		log_info("database migrated to version %" PRId64,
			 migrations[i].version);
	}
out:
	conn_dirty(c);
	ret = pgs_tx_finish(c, ret);
	if (ret)
		return err_set(e, ret, "cannot migrate the database");
	return 0;
}

/*
 * Under a session advisory lock (no timeout: another instance may be
 * migrating), so instances starting together migrate once.
 */
static int
pg_migrate(struct store *s, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return pgs_set_db_err(e, ret);
	if (c->depth) {
		log_error("postgres: migration inside a transaction");
		return err_set(e, ERR_INTERNAL, "cannot migrate the database");
	}
	ret = exec_script(c,
			  "SET lock_timeout = 0;"
			  " SELECT pg_advisory_lock(" ADV_MIGRATE ")",
			  "take the migration lock");
	if (ret)
		return err_set(e, ret,
			       "cannot lock the database to migrate it");
	ret = migrate_locked(c, e);
	if (c->db) {
		buf_addf(&sql,
			 "SELECT pg_advisory_unlock(" ADV_MIGRATE ");"
			 " SET lock_timeout = %d",
			 c->st->lock_timeout_ms);
		exec_script(c, sql.ptr, "release the migration lock");
		buf_release(&sql);
	}
	return ret;
}

static int
pg_migrations(struct store *s, struct store_migration **list, size_t *n)
{
	struct store_migration *m;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t exists = 0, v;
	size_t i;
	int ret, row;

	*list = NULL;
	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	m = xcalloc(ARRAY_SIZE(migrations), sizeof(*m));
	for (i = 0; i < ARRAY_SIZE(migrations); i++) {
		m[i].version = migrations[i].version;
		m[i].name = migrations[i].name;
		m[i].applied_at = TIME_NULL;
	}
	ret = query_i64(c,
			"SELECT COUNT(*) FROM (SELECT"
			" to_regclass('tollgate_migrations') AS t) x"
			" WHERE t IS NOT NULL",
			NULL, "look for the migrations table", &exists);
	if (ret)
		goto fail;
	if (exists) {
		ret = pgs_query(c,
				"SELECT version, applied_at"
				" FROM tollgate_migrations",
				false, NULL, "read the migrations", &res);
		if (ret)
			goto fail;
		for (row = 0; row < PQntuples(res); row++) {
			v = pgs_i64(res, row, 0);
			for (i = 0; i < ARRAY_SIZE(migrations); i++)
				if (m[i].version == v)
					m[i].applied_at =
					    pgs_opt(res, row, 1, 0);
		}
		PQclear(res);
	}
	*list = m;
	*n = ARRAY_SIZE(migrations);
	return 0;
fail:
	free(m);
	return ret;
}

/* A transaction-scoped advisory lock: released by commit or rollback. */
static int
pg_lock_bootstrap(struct store *s)
{
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	if (c->depth == 0) {
		log_error("postgres: bootstrap lock outside a transaction");
		return ERR_INTERNAL;
	}
	return pgs_exec(c, "SELECT pg_advisory_xact_lock(" ADV_BOOTSTRAP ")",
			true, NULL, "take the bootstrap lock", NULL);
}

/* ---- meta ------------------------------------------------------------ */

static int
pg_meta_get(struct store *s, const char *key, char **value)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	*value = NULL;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, key);
	ret = pgs_query(c, "SELECT value FROM tollgate_meta WHERE key = $1",
			true, &p, "read a meta value", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	if (PQntuples(res) > 0)
		*value = pgs_text(res, 0, 0);
	PQclear(res);
	return 0;
}

static int
pg_meta_set(struct store *s, const char *key, const char *value)
{
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, key);
	pgs_add_text(&p, value);
	ret = pgs_exec(c,
		       "INSERT INTO tollgate_meta(key, value)"
		       " VALUES($1, $2) ON CONFLICT(key)"
		       " DO UPDATE SET value = excluded.value",
		       true, &p, "write a meta value", NULL);
	pgs_params_release(&p);
	conn_dirty(c);
	gen_sync(c);
	return ret;
}

/* ---- tokens ---------------------------------------------------------- */

#define TOKEN_COLS                                                             \
	"t.id, t.name, t.description, t.type, t.access_key,"                   \
	" t.encrypted_key, t.last_used_at, t.expires_at, t.lifespan,"          \
	" t.kind, t.admin_user_owner_id, t.created_at, t.updated_at"
#define TOKEN_NCOLS 13

#define KIND_CONTENT_COND "(t.kind = 'content-api' OR t.kind IS NULL)"
#define KIND_ADMIN_COND "t.kind = 'admin'"

/* Unknown text reads as the least privileged value. */
static enum token_type
type_parse(const PGresult *r, int row, int col)
{
	const char *s =
	    PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);

	if (s && !strcmp(s, "full-access"))
		return TOKEN_FULL_ACCESS;
	if (s && !strcmp(s, "custom"))
		return TOKEN_CUSTOM;
	return TOKEN_READ_ONLY;
}

/* NULL is content-api (rows older than kinds); other unknown text fails
 * closed as admin, which the content API refuses. */
static enum token_kind
kind_parse(const PGresult *r, int row, int col)
{
	const char *s =
	    PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);

	if (!s || !strcmp(s, "content-api"))
		return TOKEN_KIND_CONTENT_API;
	return TOKEN_KIND_ADMIN;
}

static void
read_token(const PGresult *r, int row, struct token_row *t)
{
	t->id = pgs_i64(r, row, 0);
	t->name = text_nn(r, row, 1);
	t->description = text_nn(r, row, 2);
	t->type = type_parse(r, row, 3);
	snprintf(t->access_key, sizeof(t->access_key), "%s",
		 PQgetvalue(r, row, 4));
	t->encrypted_key = pgs_text(r, row, 5);
	t->last_used_at = pgs_opt(r, row, 6, TIME_NULL);
	t->expires_at = pgs_opt(r, row, 7, TIME_NULL);
	t->lifespan = pgs_opt(r, row, 8, 0);
	t->kind = kind_parse(r, row, 9);
	t->owner_id = pgs_opt(r, row, 10, 0);
	t->created_at = pgs_opt(r, row, 11, 0);
	t->updated_at = pgs_opt(r, row, 12, 0);
}

/* One token and its permissions, by id or by hash, in one statement. */
static int
token_fetch(struct store *s, const char *sql, int64_t id, const char *hash,
	    struct token_row *t)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	char *action;
	int ret, row;

	token_row_init(t);
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	if (hash)
		pgs_add_text(&p, hash);
	else
		pgs_add_i64(&p, id);
	ret = pgs_query(c, sql, true, &p, "read a token", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return ERR_NOT_FOUND;
	}
	read_token(res, 0, t);
	for (row = 0; row < PQntuples(res); row++) {
		action = pgs_text(res, row, TOKEN_NCOLS);
		if (action)
			backend_token_add_permission(t, action);
	}
	PQclear(res);
	return 0;
}

static int
pg_token_get(struct store *s, int64_t id, struct token_row *t)
{
	return token_fetch(s,
			   "SELECT " TOKEN_COLS ", p.action"
			   " FROM strapi_api_tokens t"
			   " LEFT JOIN strapi_api_token_permissions p"
			   " ON p.token_id = t.id"
			   " WHERE t.id = $1 ORDER BY p.action",
			   id, NULL, t);
}

static int
pg_token_get_by_hash(struct store *s, const char *hash, struct token_row *t)
{
	if (!hash) {
		token_row_init(t);
		return ERR_NOT_FOUND;
	}
	return token_fetch(s,
			   "SELECT " TOKEN_COLS ", p.action"
			   " FROM strapi_api_tokens t"
			   " LEFT JOIN strapi_api_token_permissions p"
			   " ON p.token_id = t.id"
			   " WHERE t.access_key = $1 ORDER BY p.action",
			   0, hash, t);
}

static int
pg_token_name_taken(struct store *s, const char *name, int64_t exclude_id,
		    int kind_or_any, bool *taken)
{
	static const char any[] = "SELECT 1 FROM strapi_api_tokens t"
				  " WHERE t.name = $1 AND t.id <> $2 LIMIT 1";
	static const char content[] = "SELECT 1 FROM strapi_api_tokens t"
				      " WHERE t.name = $1 AND t.id <> $2"
				      " AND " KIND_CONTENT_COND " LIMIT 1";
	static const char admin[] = "SELECT 1 FROM strapi_api_tokens t"
				    " WHERE t.name = $1 AND t.id <> $2"
				    " AND " KIND_ADMIN_COND " LIMIT 1";
	struct pgs_params p;
	struct pg_conn *c;
	const char *sql;
	PGresult *res;
	int ret;

	*taken = false;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	if (kind_or_any < 0)
		sql = any;
	else if (kind_or_any == TOKEN_KIND_ADMIN)
		sql = admin;
	else
		sql = content;
	pgs_params_init(&p);
	pgs_add_text(&p, name ? name : "");
	pgs_add_i64(&p, exclude_id);
	ret = pgs_query(c, sql, true, &p, "check a token name", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	*taken = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

static int
pg_token_list(struct store *s, int kind, struct token_row **rows, size_t *n)
{
	struct token_row *r = NULL, **by_id = NULL;
	size_t nr = 0, i, j;
	struct buf sql = BUF_INIT;
	const char *cond = "";
	struct pg_conn *c;
	PGresult *res = NULL;
	int ret, ret2, row;

	*rows = NULL;
	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	if (kind == TOKEN_KIND_ADMIN)
		cond = " WHERE " KIND_ADMIN_COND;
	else if (kind >= 0)
		cond = " WHERE " KIND_CONTENT_COND;

	/* both reads in one snapshot */
	ret = pgs_tx_enter(c, false);
	if (ret)
		return ret;
	buf_addf(&sql,
		 "SELECT " TOKEN_COLS " FROM strapi_api_tokens t%s"
		 " ORDER BY t.name, t.id",
		 cond);
	ret = pgs_query(c, sql.ptr, true, NULL, "list tokens", &res);
	if (ret)
		goto out;
	nr = (size_t)PQntuples(res);
	r = xcalloc(nr ? nr : 1, sizeof(*r));
	for (i = 0; i < nr; i++) {
		token_row_init(&r[i]);
		read_token(res, (int)i, &r[i]);
	}
	PQclear(res);
	res = NULL;
	if (nr == 0)
		goto out;

	by_id = xmalloc(nr * sizeof(*by_id));
	for (i = 0; i < nr; i++)
		by_id[i] = &r[i];
	qsort(by_id, nr, sizeof(*by_id), backend_cmp_row_id);

	buf_reset(&sql);
	buf_addf(&sql,
		 "SELECT p.token_id, p.action"
		 " FROM strapi_api_token_permissions p"
		 " JOIN strapi_api_tokens t ON t.id = p.token_id%s"
		 " ORDER BY p.token_id, p.action",
		 cond);
	ret = pgs_query(c, sql.ptr, true, NULL, "list token permissions", &res);
	if (ret)
		goto out;
	j = 0;
	for (row = 0; row < PQntuples(res); row++) {
		int64_t tid = pgs_i64(res, row, 0);
		char *action;

		while (j < nr && by_id[j]->id < tid)
			j++;
		if (j == nr || by_id[j]->id != tid)
			continue;
		action = pgs_text(res, row, 1);
		if (action)
			backend_token_add_permission(by_id[j], action);
	}
	PQclear(res);
out:
	ret2 = pgs_tx_finish(c, ret);
	if (!ret)
		ret = ret2;
	free(by_id);
	buf_release(&sql);
	if (ret) {
		for (i = 0; i < nr; i++)
			token_row_release(&r[i]);
		free(r);
		return ret;
	}
	if (nr == 0) {
		free(r);
		r = NULL;
	}
	*rows = r;
	*n = nr;
	return 0;
}

/* Insert 't''s permissions for token 'id' (inside a transaction). */
static int
insert_permissions(struct pg_conn *c, int64_t id, const struct token_row *t,
		   int64_t when)
{
	struct pgs_params p;
	size_t i;
	int ret = 0;

	for (i = 0; i < t->n_permissions && ret == 0; i++) {
		pgs_params_init(&p);
		pgs_add_i64(&p, id);
		pgs_add_text(&p, t->permissions[i]);
		pgs_add_i64(&p, when);
		pgs_add_i64(&p, when);
		ret = pgs_exec(c,
			       "INSERT INTO strapi_api_token_permissions"
			       "(token_id, action, created_at, updated_at)"
			       " VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
			       true, &p, "insert a token permission", NULL);
		pgs_params_release(&p);
	}
	return ret;
}

static int
pg_token_insert(struct store *s, struct token_row *t)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t id = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	pgs_params_init(&p);
	pgs_add_text(&p, t->name);
	pgs_add_text(&p, t->description ? t->description : "");
	pgs_add_text(&p, backend_type_text(t->type));
	pgs_add_text(&p, t->access_key);
	pgs_add_text(&p, t->encrypted_key);
	pgs_add_opt(&p, t->last_used_at, TIME_NULL);
	pgs_add_opt(&p, t->expires_at, TIME_NULL);
	pgs_add_opt(&p, t->lifespan, 0);
	pgs_add_text(&p, backend_kind_text(t->kind));
	pgs_add_opt(&p, t->owner_id, 0);
	pgs_add_i64(&p, t->created_at);
	pgs_add_i64(&p, t->updated_at);
	ret = pgs_query(c,
			"INSERT INTO strapi_api_tokens(name, description,"
			" type, access_key, encrypted_key, last_used_at,"
			" expires_at, lifespan, kind, admin_user_owner_id,"
			" created_at, updated_at)"
			" VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
			" $12) RETURNING id",
			true, &p, "insert a token", &res);
	pgs_params_release(&p);
	if (ret)
		goto out;
	id = pgs_i64(res, 0, 0);
	PQclear(res);
	ret = insert_permissions(c, id, t, t->created_at);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret == 0)
		t->id = id;
	return ret;
}

static int
pg_token_update(struct store *s, const struct token_row *t, unsigned flags)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	buf_addstr(&sql, "UPDATE strapi_api_tokens SET updated_at = $1");
	pgs_add_i64(&p, t->updated_at);
	if (flags & TOKEN_UPD_NAME) {
		set_text(&sql, &p, "name", t->name);
	}
	if (flags & TOKEN_UPD_DESCRIPTION) {
		set_text(&sql, &p, "description",
			 t->description ? t->description : "");
	}
	if (flags & TOKEN_UPD_TYPE) {
		set_text(&sql, &p, "type", backend_type_text(t->type));
	}
	if (flags & TOKEN_UPD_LIFESPAN) {
		pgs_add_opt(&p, t->lifespan, 0);
		pgs_add_opt(&p, t->expires_at, TIME_NULL);
		buf_addf(&sql, ", lifespan = $%zu, expires_at = $%zu", p.n - 1,
			 p.n);
	}
	if (flags & TOKEN_UPD_KEY) {
		pgs_add_text(&p, t->access_key);
		pgs_add_text(&p, t->encrypted_key);
		buf_addf(&sql, ", access_key = $%zu, encrypted_key = $%zu",
			 p.n - 1, p.n);
	}
	if (flags & TOKEN_UPD_KIND) {
		set_text(&sql, &p, "kind", backend_kind_text(t->kind));
	}
	pgs_add_i64(&p, t->id);
	buf_addf(&sql, " WHERE id = $%zu", p.n);

	ret = pgs_tx_enter(c, true);
	if (ret)
		goto done;
	conn_dirty(c);
	ret = pgs_exec(c, sql.ptr, true, &p, "update a token", &changes);
	if (ret)
		goto out;
	if (changes == 0) {
		ret = ERR_NOT_FOUND;
		goto out;
	}
	if (flags & TOKEN_UPD_PERMISSIONS) {
		ret = exec_i64(c,
			       "DELETE FROM strapi_api_token_permissions"
			       " WHERE token_id = $1",
			       t->id, "delete token permissions", NULL);
		if (ret)
			goto out;
		ret = insert_permissions(c, t->id, t, t->updated_at);
	}
out:
	ret = pgs_tx_finish(c, ret);
done:
	pgs_params_release(&p);
	buf_release(&sql);
	return ret;
}

static int
pg_token_delete(struct store *s, int64_t id)
{
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = exec_i64(c, "DELETE FROM strapi_api_tokens WHERE id = $1", id,
		       "delete a token", &changes);
	gen_sync(c);
	if (ret == 0 && changes == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

/*
 * Instances' clocks differ and their touches cross: last_used_at (and
 * updated_at) only ever move forward, whoever writes last.
 */
static int
pg_token_touch(struct store *s, int64_t id, int64_t now, int64_t min_age)
{
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_i64(&p, now);
	pgs_add_i64(&p, id);
	pgs_add_i64(&p, min_age > 0 ? min_age : 0);
	ret = pgs_exec(c,
		       "UPDATE strapi_api_tokens"
		       " SET last_used_at = $1,"
		       " updated_at = GREATEST(updated_at, $1)"
		       " WHERE id = $2 AND (last_used_at IS NULL"
		       " OR last_used_at <= $1 - $3)",
		       true, &p, "touch a token", NULL);
	pgs_params_release(&p);
	return ret;
}

static int
pg_token_count(struct store *s, int64_t *n)
{
	struct pg_conn *c;
	int ret;

	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	return query_i64(c, "SELECT COUNT(*) FROM strapi_api_tokens", NULL,
			 "count tokens", n);
}

static int
pg_admin_user_count(struct store *s, int64_t *n)
{
	struct pg_conn *c;
	int ret;

	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	return query_i64(c, "SELECT COUNT(*) FROM admin_users", NULL,
			 "count admin users", n);
}

/*
 * No round trip: the listener and committing threads keep the atomics.
 * Inside a transaction of the calling thread the counter is read on its
 * connection instead, uncommitted changes included (they may roll back,
 * so they never reach the atomics).
 */
static int
generation_read(struct store *s, bool admin, uint64_t *gen)
{
	static const char token_sql[] = "SELECT value FROM tollgate_meta"
					" WHERE key = 'token_generation'";
	static const char admin_sql[] = "SELECT value FROM tollgate_meta"
					" WHERE key = 'admin_generation'";
	struct pg_store *st = s->priv;
	struct pg_conn *c = conn_find(st);
	PGresult *res;
	int ret;

	if (!c || c->depth == 0) {
		*gen = atomic_load(admin ? &st->admin_gen : &st->token_gen);
		return 0;
	}
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_query(c, admin ? admin_sql : token_sql, true, NULL,
			admin ? "read the admin generation"
			      : "read the token generation",
			&res);
	if (ret)
		return ret;
	*gen =
	    PQntuples(res) > 0 ? strtoull(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	return 0;
}

static int
pg_token_generation(struct store *s, uint64_t *gen)
{
	return generation_read(s, false, gen);
}

static int
pg_admin_generation(struct store *s, uint64_t *gen)
{
	return generation_read(s, true, gen);
}

static int
pg_token_prune_permissions(struct store *s, const struct schema_registry *reg,
			   int64_t *removed)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t changes;
	const char *action;
	int ret, row;

	*removed = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	ret = pgs_query(c,
			"SELECT DISTINCT action"
			" FROM strapi_api_token_permissions",
			false, NULL, "list permission actions", &res);
	if (ret)
		goto out;
	for (row = 0; ret == 0 && row < PQntuples(res); row++) {
		if (PQgetisnull(res, row, 0))
			continue;
		action = PQgetvalue(res, row, 0);
		if (backend_action_registered(reg, action))
			continue;
		conn_dirty(c);
		pgs_params_init(&p);
		pgs_add_text(&p, action);
		ret = pgs_exec(c,
			       "DELETE FROM strapi_api_token_permissions"
			       " WHERE action = $1",
			       false, &p, "delete stale permissions", &changes);
		pgs_params_release(&p);
		if (ret == 0)
			*removed += changes;
	}
	PQclear(res);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret)
		*removed = 0;
	return ret;
}

/* ---- administrators, roles, permissions ------------------------------ */

#define USER_COLS                                                              \
	"u.id, u.document_id, u.firstname, u.lastname, u.username, u.email,"   \
	" u.password, u.is_active, u.blocked, u.prefered_language,"            \
	" u.created_at, u.updated_at"
#define ROLE_COLS                                                              \
	"r.id, r.document_id, r.name, r.code, r.description, r.created_at,"    \
	" r.updated_at"
#define ROLE_NCOLS 7
#define USERS_COUNT_COL                                                        \
	"(SELECT COUNT(*) FROM admin_users_roles_lnk l"                        \
	" WHERE l.role_id = r.id)"
#define PERM_COLS                                                              \
	"id, action, subject, properties, conditions, created_at, updated_at"

/* A new document id in '*out' (free()). */
static int
document_id_new(char **out)
{
	char id[CRYPTO_DOCUMENT_ID_LEN + 1];
	int ret;

	*out = NULL;
	ret = crypto_document_id(id);
	if (ret) {
		log_error("postgres: cannot make a document id");
		return ret;
	}
	*out = xstrdup(id);
	return 0;
}

static void
read_role(const PGresult *r, int row, int first, struct admin_role *ro)
{
	ro->id = pgs_i64(r, row, first);
	ro->document_id = pgs_text(r, row, first + 1);
	ro->name = text_nn(r, row, first + 2);
	ro->code = text_nn(r, row, first + 3);
	ro->description = pgs_text(r, row, first + 4);
	ro->created_at = pgs_opt(r, row, first + 5, 0);
	ro->updated_at = pgs_opt(r, row, first + 6, 0);
}

static void
read_user(const PGresult *r, int row, struct admin_user *u)
{
	u->id = pgs_i64(r, row, 0);
	u->document_id = pgs_text(r, row, 1);
	u->firstname = pgs_text(r, row, 2);
	u->lastname = pgs_text(r, row, 3);
	u->username = pgs_text(r, row, 4);
	u->email = pgs_text(r, row, 5);
	u->password = pgs_text(r, row, 6);
	u->is_active = pgs_i64(r, row, 7) != 0;
	u->blocked = pgs_i64(r, row, 8) != 0;
	u->prefered_language = pgs_text(r, row, 9);
	u->created_at = pgs_opt(r, row, 10, 0);
	u->updated_at = pgs_opt(r, row, 11, 0);
}

/* Append the role at column 'first' of row 'row' to u->roles. */
static void
user_add_role(struct admin_user *u, const PGresult *r, int row, int first)
{
	u->roles = xrealloc(u->roles, (u->n_roles + 1) * sizeof(*u->roles));
	admin_role_init(&u->roles[u->n_roles]);
	read_role(r, row, first, &u->roles[u->n_roles]);
	u->n_roles++;
}

static int
load_user_roles(struct pg_conn *c, struct admin_user *u)
{
	struct pgs_params p;
	PGresult *res;
	int ret, row;

	pgs_params_init(&p);
	pgs_add_i64(&p, u->id);
	ret = pgs_query(c,
			"SELECT " ROLE_COLS " FROM admin_users_roles_lnk l"
			" JOIN admin_roles r ON r.id = l.role_id"
			" WHERE l.user_id = $1 ORDER BY r.id",
			true, &p, "read a user's roles", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	for (row = 0; row < PQntuples(res); row++)
		user_add_role(u, res, row, 0);
	PQclear(res);
	return 0;
}

/* One user (by id, or by 'email' when not NULL) and their roles. */
static int
user_fetch(struct store *s, const char *sql, int64_t id, const char *email,
	   struct admin_user *u)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res = NULL;
	int ret;

	admin_user_init(u);
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	/* the user and their roles in one snapshot */
	ret = pgs_tx_enter(c, false);
	if (ret)
		return ret;
	pgs_params_init(&p);
	if (email)
		pgs_add_text(&p, email);
	else
		pgs_add_i64(&p, id);
	ret = pgs_query(c, sql, true, &p, "read an admin user", &res);
	pgs_params_release(&p);
	if (ret)
		goto out;
	if (PQntuples(res) == 0)
		ret = ERR_NOT_FOUND;
	else
		read_user(res, 0, u);
	PQclear(res);
	if (ret == 0)
		ret = load_user_roles(c, u);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret)
		admin_user_release(u);
	return ret;
}

static int
pg_user_get(struct store *s, int64_t id, struct admin_user *u)
{
	return user_fetch(s,
			  "SELECT " USER_COLS " FROM admin_users u"
			  " WHERE u.id = $1",
			  id, NULL, u);
}

static int
pg_user_get_by_email(struct store *s, const char *email, struct admin_user *u)
{
	char *folded;
	int ret;

	if (!email) {
		admin_user_init(u);
		return ERR_NOT_FOUND;
	}
	folded = xstrdup(email);
	backend_email_fold(folded);
	ret = user_fetch(s,
			 "SELECT " USER_COLS " FROM admin_users u"
			 " WHERE lower(u.email) = lower($1 COLLATE \"C\")",
			 0, folded, u);
	free(folded);
	return ret;
}

static int
pg_user_list(struct store *s, int64_t offset, int64_t limit,
	     struct admin_user **users, size_t *n, int64_t *total)
{
	struct admin_user *u = NULL;
	size_t nu = 0, i, j;
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t count = 0;
	int ret, row;

	*users = NULL;
	*n = 0;
	if (total)
		*total = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	/* the count, the page and its roles in one snapshot */
	ret = pgs_tx_enter(c, false);
	if (ret)
		return ret;
	ret = query_i64(c, "SELECT COUNT(*) FROM admin_users", NULL,
			"count admin users", &count);
	if (ret)
		goto out;
	pgs_params_init(&p);
	pgs_add_opt(&p, limit < 0 ? -1 : limit, -1);
	pgs_add_i64(&p, offset < 0 ? 0 : offset);
	ret = pgs_query(c,
			"SELECT " USER_COLS " FROM admin_users u"
			" ORDER BY u.id LIMIT $1 OFFSET $2",
			true, &p, "list admin users", &res);
	pgs_params_release(&p);
	if (ret)
		goto out;
	nu = (size_t)PQntuples(res);
	u = xcalloc(nu ? nu : 1, sizeof(*u));
	for (i = 0; i < nu; i++) {
		admin_user_init(&u[i]);
		read_user(res, (int)i, &u[i]);
	}
	PQclear(res);
	if (nu == 0)
		goto out;

	/* the page is a contiguous id range: its links are that range's */
	pgs_params_init(&p);
	pgs_add_i64(&p, u[0].id);
	pgs_add_i64(&p, u[nu - 1].id);
	ret = pgs_query(c,
			"SELECT l.user_id, " ROLE_COLS
			" FROM admin_users_roles_lnk l"
			" JOIN admin_roles r ON r.id = l.role_id"
			" WHERE l.user_id BETWEEN $1 AND $2"
			" ORDER BY l.user_id, r.id",
			true, &p, "list admin users' roles", &res);
	pgs_params_release(&p);
	if (ret)
		goto out;
	j = 0;
	for (row = 0; row < PQntuples(res); row++) {
		int64_t uid = pgs_i64(res, row, 0);

		while (j < nu && u[j].id < uid)
			j++;
		if (j == nu || u[j].id != uid)
			continue;
		user_add_role(&u[j], res, row, 1);
	}
	PQclear(res);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret) {
		for (i = 0; i < nu; i++)
			admin_user_release(&u[i]);
		free(u);
		return ret;
	}
	if (nu == 0) {
		free(u);
		u = NULL;
	}
	*users = u;
	*n = nu;
	if (total)
		*total = count;
	return 0;
}

/*
 * Link user 'user_id' to the roles 'roles[].id' (inside a transaction);
 * repeated ids count once. ERR_VALIDATION names no role that exists.
 */
static int
link_roles(struct pg_conn *c, int64_t user_id, const struct admin_role *roles,
	   size_t n)
{
	struct pgs_params p;
	int64_t changes;
	size_t i, k;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++) {
		for (k = 0; k < i; k++)
			if (roles[k].id == roles[i].id)
				break;
		if (k < i)
			continue;
		pgs_params_init(&p);
		pgs_add_i64(&p, user_id);
		pgs_add_i64(&p, roles[i].id);
		ret = pgs_exec(c,
			       "INSERT INTO admin_users_roles_lnk"
			       "(user_id, role_id) SELECT $1, id"
			       " FROM admin_roles WHERE id = $2",
			       true, &p, "link a user to a role", &changes);
		pgs_params_release(&p);
		if (ret == 0 && changes == 0)
			ret = ERR_VALIDATION;
	}
	return ret;
}

/*
 * u->document_id and the times are the caller's when set; a missing
 * document id is made here and both times default to now. The email is
 * folded in place, as it is stored.
 */
static int
pg_user_insert(struct store *s, struct admin_user *u)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t id = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	if (!u->document_id) {
		ret = document_id_new(&u->document_id);
		if (ret)
			return ret;
	}
	if (!u->created_at)
		u->created_at = time_now_ms();
	if (!u->updated_at)
		u->updated_at = u->created_at;
	backend_email_fold(u->email);

	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	pgs_params_init(&p);
	pgs_add_text(&p, u->document_id);
	pgs_add_text(&p, u->firstname);
	pgs_add_text(&p, u->lastname);
	pgs_add_text(&p, u->username);
	pgs_add_text(&p, u->email);
	pgs_add_text(&p, u->password);
	pgs_add_i64(&p, u->is_active);
	pgs_add_i64(&p, u->blocked);
	pgs_add_text(&p, u->prefered_language);
	pgs_add_i64(&p, u->created_at);
	pgs_add_i64(&p, u->updated_at);
	ret = pgs_query(c,
			"INSERT INTO admin_users(document_id, firstname,"
			" lastname, username, email, password, is_active,"
			" blocked, prefered_language, created_at,"
			" updated_at)"
			" VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
			" RETURNING id",
			true, &p, "insert an admin user", &res);
	pgs_params_release(&p);
	if (ret)
		goto out;
	id = pgs_i64(res, 0, 0);
	PQclear(res);
	ret = link_roles(c, id, u->roles, u->n_roles);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret == 0)
		u->id = id;
	return ret;
}

/* updated_at is u->updated_at, or now when that is 0. */
static int
pg_user_update(struct store *s, const struct admin_user *u, unsigned flags)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	char *email = NULL;
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	email = xstrdup(u->email);
	backend_email_fold(email);
	pgs_params_init(&p);
	pgs_add_i64(&p, u->updated_at ? u->updated_at : time_now_ms());
	buf_addstr(&sql, "UPDATE admin_users SET updated_at = $1");
	if (flags & USER_UPD_FIRSTNAME) {
		set_text(&sql, &p, "firstname", u->firstname);
	}
	if (flags & USER_UPD_LASTNAME) {
		set_text(&sql, &p, "lastname", u->lastname);
	}
	if (flags & USER_UPD_USERNAME) {
		set_text(&sql, &p, "username", u->username);
	}
	if (flags & USER_UPD_EMAIL) {
		set_text(&sql, &p, "email", email);
	}
	if (flags & USER_UPD_PASSWORD) {
		set_text(&sql, &p, "password", u->password);
	}
	if (flags & USER_UPD_ACTIVE) {
		set_i64(&sql, &p, "is_active", u->is_active);
	}
	if (flags & USER_UPD_BLOCKED) {
		set_i64(&sql, &p, "blocked", u->blocked);
	}
	if (flags & USER_UPD_LANGUAGE) {
		set_text(&sql, &p, "prefered_language", u->prefered_language);
	}
	pgs_add_i64(&p, u->id);
	buf_addf(&sql, " WHERE id = $%zu", p.n);

	ret = pgs_tx_enter(c, true);
	if (ret)
		goto done;
	conn_dirty(c);
	ret = pgs_exec(c, sql.ptr, true, &p, "update an admin user", &changes);
	if (ret)
		goto out;
	if (changes == 0) {
		ret = ERR_NOT_FOUND;
		goto out;
	}
	if (flags & USER_UPD_ROLES) {
		ret = exec_i64(c,
			       "DELETE FROM admin_users_roles_lnk"
			       " WHERE user_id = $1",
			       u->id, "unlink a user's roles", NULL);
		if (ret == 0)
			ret = link_roles(c, u->id, u->roles, u->n_roles);
	}
out:
	ret = pgs_tx_finish(c, ret);
done:
	pgs_params_release(&p);
	free(email);
	buf_release(&sql);
	return ret;
}

/*
 * The user's admin tokens go with them (their permissions explicitly, not
 * only by cascade), then sessions, role links and the row itself.
 */
static int
pg_user_delete(struct store *s, int64_t id)
{
	static const char *const steps[][2] = {
	    {"DELETE FROM admin_permissions WHERE api_token_id IN"
	     " (SELECT id FROM strapi_api_tokens"
	     " WHERE kind = 'admin' AND admin_user_owner_id = $1)",
	     "delete a user's token permissions"},
	    {"DELETE FROM strapi_api_tokens"
	     " WHERE kind = 'admin' AND admin_user_owner_id = $1",
	     "delete a user's admin tokens"},
	    {"DELETE FROM admin_sessions WHERE user_id = $1",
	     "delete a user's sessions"},
	    {"DELETE FROM admin_users_roles_lnk WHERE user_id = $1",
	     "unlink a user's roles"},
	    {"DELETE FROM admin_users WHERE id = $1", "delete an admin user"},
	};
	struct pg_conn *c;
	int64_t found = 0;
	size_t i;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, "SELECT COUNT(*) FROM admin_users WHERE id = $1",
			    id, "find an admin user", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	for (i = 0; i < ARRAY_SIZE(steps) && ret == 0; i++)
		ret = exec_i64(c, steps[i][0], id, steps[i][1], NULL);
	return pgs_tx_finish(c, ret);
}

/* One role with its users_count, by id or by 'code' when not NULL. */
static int
role_fetch(struct store *s, const char *sql, int64_t id, const char *code,
	   struct admin_role *r)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	admin_role_init(r);
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	if (code)
		pgs_add_text(&p, code);
	else
		pgs_add_i64(&p, id);
	ret = pgs_query(c, sql, true, &p, "read a role", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	if (PQntuples(res) == 0) {
		ret = ERR_NOT_FOUND;
	} else {
		read_role(res, 0, 0, r);
		r->users_count = pgs_i64(res, 0, ROLE_NCOLS);
	}
	PQclear(res);
	return ret;
}

static int
pg_role_get(struct store *s, int64_t id, struct admin_role *r)
{
	return role_fetch(s,
			  "SELECT " ROLE_COLS ", " USERS_COUNT_COL
			  " FROM admin_roles r WHERE r.id = $1",
			  id, NULL, r);
}

static int
pg_role_get_by_code(struct store *s, const char *code, struct admin_role *r)
{
	if (!code) {
		admin_role_init(r);
		return ERR_NOT_FOUND;
	}
	return role_fetch(s,
			  "SELECT " ROLE_COLS ", " USERS_COUNT_COL
			  " FROM admin_roles r WHERE r.code = $1",
			  0, code, r);
}

static int
pg_role_list(struct store *s, struct admin_role **roles, size_t *n)
{
	struct admin_role *r;
	struct pg_conn *c;
	PGresult *res;
	size_t nr, i;
	int ret;

	*roles = NULL;
	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_query(c,
			"SELECT " ROLE_COLS ", " USERS_COUNT_COL
			" FROM admin_roles r ORDER BY r.id",
			true, NULL, "list roles", &res);
	if (ret)
		return ret;
	nr = (size_t)PQntuples(res);
	if (nr == 0) {
		PQclear(res);
		return 0;
	}
	r = xcalloc(nr, sizeof(*r));
	for (i = 0; i < nr; i++) {
		admin_role_init(&r[i]);
		read_role(res, (int)i, 0, &r[i]);
		r[i].users_count = pgs_i64(res, (int)i, ROLE_NCOLS);
	}
	PQclear(res);
	*roles = r;
	*n = nr;
	return 0;
}

/* As for users: a missing document id is made, the times default to now. */
static int
pg_role_insert(struct store *s, struct admin_role *r)
{
	struct pgs_params p;
	struct pg_conn *c;
	PGresult *res;
	int ret;

	if (!r->name || !r->code)
		return ERR_VALIDATION;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	if (!r->document_id) {
		ret = document_id_new(&r->document_id);
		if (ret)
			return ret;
	}
	if (!r->created_at)
		r->created_at = time_now_ms();
	if (!r->updated_at)
		r->updated_at = r->created_at;
	pgs_params_init(&p);
	pgs_add_text(&p, r->document_id);
	pgs_add_text(&p, r->name);
	pgs_add_text(&p, r->code);
	pgs_add_text(&p, r->description);
	pgs_add_i64(&p, r->created_at);
	pgs_add_i64(&p, r->updated_at);
	conn_dirty(c);
	ret = pgs_query(c,
			"INSERT INTO admin_roles(document_id, name, code,"
			" description, created_at, updated_at)"
			" VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
			true, &p, "insert a role", &res);
	pgs_params_release(&p);
	gen_sync(c);
	if (ret)
		return ret;
	r->id = pgs_i64(res, 0, 0);
	r->users_count = 0;
	PQclear(res);
	return 0;
}

/*
 * Writes name, code and description; a NULL name or code keeps the stored
 * one (both are required), a NULL description clears it. updated_at is
 * r->updated_at, or now when that is 0.
 */
static int
pg_role_update(struct store *s, const struct admin_role *r)
{
	struct pgs_params p;
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, r->name);
	pgs_add_text(&p, r->code);
	pgs_add_text(&p, r->description);
	pgs_add_i64(&p, r->updated_at ? r->updated_at : time_now_ms());
	pgs_add_i64(&p, r->id);
	conn_dirty(c);
	ret = pgs_exec(c,
		       "UPDATE admin_roles SET name = COALESCE($1, name),"
		       " code = COALESCE($2, code), description = $3,"
		       " updated_at = $4 WHERE id = $5",
		       true, &p, "update a role", &changes);
	pgs_params_release(&p);
	gen_sync(c);
	if (ret == 0 && changes == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

static int
pg_role_delete(struct store *s, int64_t id)
{
	struct pg_conn *c;
	int64_t found = 0, users = 0;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, "SELECT COUNT(*) FROM admin_roles WHERE id = $1",
			    id, "find a role", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret == 0)
		ret = query_i64_arg(c,
				    "SELECT COUNT(*) FROM admin_users_roles_lnk"
				    " WHERE role_id = $1",
				    id, "count a role's users", &users);
	if (ret == 0 && users > 0)
		ret = ERR_CONFLICT;
	if (ret == 0)
		ret = exec_i64(c,
			       "DELETE FROM admin_permissions"
			       " WHERE role_id = $1",
			       id, "delete a role's permissions", NULL);
	if (ret == 0)
		ret = exec_i64(c, "DELETE FROM admin_roles WHERE id = $1", id,
			       "delete a role", NULL);
	return pgs_tx_finish(c, ret);
}

/* Where a permission set hangs: a role or an admin token. */
struct perm_owner {
	const char *exists_sql; /* one row when the owner exists */
	const char *list_sql;
	const char *delete_sql;
	const char *insert_sql;
};

static const struct perm_owner role_owner = {
    "SELECT COUNT(*) FROM admin_roles WHERE id = $1",
    "SELECT " PERM_COLS " FROM admin_permissions WHERE role_id = $1"
    " ORDER BY id",
    "DELETE FROM admin_permissions WHERE role_id = $1",
    "INSERT INTO admin_permissions(role_id, document_id, action, subject,"
    " properties, conditions, created_at, updated_at)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
};

static const struct perm_owner token_owner = {
    "SELECT COUNT(*) FROM strapi_api_tokens WHERE id = $1",
    "SELECT " PERM_COLS " FROM admin_permissions WHERE api_token_id = $1"
    " ORDER BY id",
    "DELETE FROM admin_permissions WHERE api_token_id = $1",
    "INSERT INTO admin_permissions(api_token_id, document_id, action,"
    " subject, properties, conditions, created_at, updated_at)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
};

static int
perms_fetch(struct store *s, const struct perm_owner *o, int64_t owner_id,
	    struct admin_permission **perms, size_t *n)
{
	struct admin_permission *p = NULL, *x;
	struct pgs_params params;
	size_t np = 0, i;
	struct pg_conn *c;
	PGresult *res = NULL;
	int64_t found = 0;
	int ret;

	*perms = NULL;
	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, false);
	if (ret)
		return ret;
	ret = query_i64_arg(c, o->exists_sql, owner_id,
			    "find a permission owner", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret)
		goto out;
	pgs_params_init(&params);
	pgs_add_i64(&params, owner_id);
	ret = pgs_query(c, o->list_sql, true, &params, "list admin permissions",
			&res);
	pgs_params_release(&params);
	if (ret)
		goto out;
	np = (size_t)PQntuples(res);
	if (np)
		p = xcalloc(np, sizeof(*p));
	for (i = 0; i < np; i++) {
		x = &p[i];
		x->id = pgs_i64(res, (int)i, 0);
		x->action = text_nn(res, (int)i, 1);
		x->subject = pgs_text(res, (int)i, 2);
		x->properties = pgs_text(res, (int)i, 3);
		if (!x->properties)
			x->properties = xstrdup("{}");
		x->conditions = pgs_text(res, (int)i, 4);
		if (!x->conditions)
			x->conditions = xstrdup("[]");
		x->created_at = pgs_opt(res, (int)i, 5, 0);
		x->updated_at = pgs_opt(res, (int)i, 6, 0);
	}
	PQclear(res);
out:
	ret = pgs_tx_finish(c, ret);
	if (ret) {
		admin_permissions_free(p, np);
		return ret;
	}
	*perms = p;
	*n = np;
	return 0;
}

/*
 * Replace the owner's whole set. pgs_tx_enter() nests as a savepoint
 * inside a caller's store_begin(), so a failure here undoes only this
 * replacement.
 */
static int
perms_replace(struct store *s, const struct perm_owner *o, int64_t owner_id,
	      const struct admin_permission *perms, size_t n)
{
	const struct admin_permission *x;
	struct pgs_params p;
	char *doc = NULL;
	struct pg_conn *c;
	int64_t found = 0, now;
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		if (!perms[i].action)
			return ERR_VALIDATION;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, o->exists_sql, owner_id,
			    "find a permission owner", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret == 0)
		ret = exec_i64(c, o->delete_sql, owner_id,
			       "delete admin permissions", NULL);
	now = time_now_ms();
	for (i = 0; i < n && ret == 0; i++) {
		x = &perms[i];
		ret = document_id_new(&doc);
		if (ret)
			break;
		pgs_params_init(&p);
		pgs_add_i64(&p, owner_id);
		pgs_add_text(&p, doc);
		pgs_add_text(&p, x->action);
		pgs_add_text(&p, x->subject);
		pgs_add_text(&p, x->properties ? x->properties : "{}");
		pgs_add_text(&p, x->conditions ? x->conditions : "[]");
		pgs_add_i64(&p, now);
		pgs_add_i64(&p, now);
		ret = pgs_exec(c, o->insert_sql, true, &p,
			       "insert an admin permission", NULL);
		pgs_params_release(&p);
		free(doc);
		doc = NULL;
	}
	return pgs_tx_finish(c, ret);
}

static int
pg_role_permissions(struct store *s, int64_t role_id,
		    struct admin_permission **perms, size_t *n)
{
	return perms_fetch(s, &role_owner, role_id, perms, n);
}

static int
pg_role_set_permissions(struct store *s, int64_t role_id,
			const struct admin_permission *perms, size_t n)
{
	return perms_replace(s, &role_owner, role_id, perms, n);
}

static int
pg_token_admin_permissions(struct store *s, int64_t token_id,
			   struct admin_permission **perms, size_t *n)
{
	return perms_fetch(s, &token_owner, token_id, perms, n);
}

static int
pg_token_set_admin_permissions(struct store *s, int64_t token_id,
			       const struct admin_permission *perms, size_t n)
{
	return perms_replace(s, &token_owner, token_id, perms, n);
}

/* ---- admin sessions and public actions ------------------------------- */

/* ERR_NOT_FOUND when user 'user_id' does not exist; ERR_CONFLICT for a
 * session id already in use. */
static int
pg_session_insert(struct store *s, const char *sid, int64_t user_id,
		  int64_t expires_at)
{
	struct pgs_params p;
	struct pg_conn *c;
	int64_t changes = 0;
	int ret;

	if (!sid)
		return ERR_VALIDATION;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, sid);
	pgs_add_i64(&p, expires_at);
	pgs_add_i64(&p, time_now_ms());
	pgs_add_i64(&p, user_id);
	conn_dirty(c);
	ret = pgs_exec(c,
		       "INSERT INTO admin_sessions(session_id, user_id,"
		       " expires_at, created_at)"
		       " SELECT $1, id, $2, $3 FROM admin_users WHERE id = $4",
		       true, &p, "insert a session", &changes);
	pgs_params_release(&p);
	gen_sync(c);
	if (ret == 0 && changes == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

static int
pg_session_check(struct store *s, const char *sid, int64_t user_id, int64_t now,
		 bool *valid)
{
	struct pgs_params p;
	struct pg_conn *c;
	int64_t owner = 0, expires = 0;
	PGresult *res;
	bool found;
	int ret;

	*valid = false;
	if (!sid)
		return 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, sid);
	ret = pgs_query(c,
			"SELECT user_id, expires_at FROM admin_sessions"
			" WHERE session_id = $1",
			true, &p, "read a session", &res);
	pgs_params_release(&p);
	if (ret)
		return ret;
	found = PQntuples(res) > 0;
	if (found) {
		owner = pgs_i64(res, 0, 0);
		expires = pgs_i64(res, 0, 1);
	}
	PQclear(res);
	if (!found)
		return 0;
	if (expires > now) {
		*valid = owner == user_id;
		return 0;
	}
	/*
	 * Expired: drop the row on the way. Only a clean-up, so a failure
	 * (logged) does not turn this "no" into an error.
	 */
	pgs_params_init(&p);
	pgs_add_text(&p, sid);
	pgs_add_i64(&p, now);
	conn_dirty(c);
	pgs_exec(c,
		 "DELETE FROM admin_sessions"
		 " WHERE session_id = $1 AND expires_at <= $2",
		 true, &p, "delete an expired session", NULL);
	pgs_params_release(&p);
	gen_sync(c);
	return 0;
}

/* Ending a session that is already gone is not an error. */
static int
pg_session_delete(struct store *s, const char *sid)
{
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	if (!sid)
		return 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_text(&p, sid);
	conn_dirty(c);
	ret = pgs_exec(c, "DELETE FROM admin_sessions WHERE session_id = $1",
		       true, &p, "delete a session", NULL);
	pgs_params_release(&p);
	gen_sync(c);
	return ret;
}

static int
pg_session_delete_user(struct store *s, int64_t user_id, const char *keep_sid)
{
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	pgs_params_init(&p);
	pgs_add_i64(&p, user_id);
	pgs_add_text(&p, keep_sid ? keep_sid : "");
	conn_dirty(c);
	ret = pgs_exec(c,
		       "DELETE FROM admin_sessions WHERE user_id = $1"
		       " AND session_id <> $2",
		       false, &p, "end a user's sessions", NULL);
	pgs_params_release(&p);
	gen_sync(c);
	return ret;
}

static int
pg_public_actions(struct store *s, char ***actions, size_t *n)
{
	struct pg_conn *c;
	PGresult *res;
	size_t nv, i;
	char **v;
	int ret;

	*actions = NULL;
	*n = 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_query(c,
			"SELECT action FROM tollgate_public_actions"
			" ORDER BY action",
			true, NULL, "list public actions", &res);
	if (ret)
		return ret;
	nv = (size_t)PQntuples(res);
	v = xmalloc((nv + 1) * sizeof(*v));
	for (i = 0; i < nv; i++)
		v[i] = text_nn(res, (int)i, 0);
	v[nv] = NULL;
	PQclear(res);
	*actions = v;
	*n = nv;
	return 0;
}

/* NULL entries are skipped, repeated ones stored once. */
static int
pg_set_public_actions(struct store *s, char *const *actions, size_t n)
{
	struct pgs_params p;
	struct pg_conn *c;
	size_t i;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	ret = pgs_tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = pgs_exec(c, "DELETE FROM tollgate_public_actions", true, NULL,
		       "clear public actions", NULL);
	for (i = 0; i < n && ret == 0; i++) {
		if (!actions[i])
			continue;
		pgs_params_init(&p);
		pgs_add_text(&p, actions[i]);
		ret = pgs_exec(c,
			       "INSERT INTO tollgate_public_actions(action)"
			       " VALUES($1) ON CONFLICT DO NOTHING",
			       true, &p, "insert a public action", NULL);
		pgs_params_release(&p);
	}
	return pgs_tx_finish(c, ret);
}

/* ---- whole tables (export and import) -------------------------------- */

/* A cell by its result type: integers and booleans, reals, else text. */
static void
read_any(const PGresult *r, int row, int col, struct sqlval *v)
{
	const char *s;

	memset(v, 0, sizeof(*v));
	if (PQgetisnull(r, row, col)) {
		v->kind = SV_NULL;
		return;
	}
	s = PQgetvalue(r, row, col);
	switch (PQftype(r, col)) {
	case PGS_INT2OID:
	case PGS_INT4OID:
	case PGS_INT8OID:
		v->kind = SV_INT;
		v->i = strtoll(s, NULL, 10);
		break;
	case PGS_BOOLOID:
		v->kind = SV_INT;
		v->i = s[0] == 't';
		break;
	case PGS_FLOAT4OID:
	case PGS_FLOAT8OID:
	case PGS_NUMERICOID:
		v->kind = SV_REAL;
		v->d = strtod(s, NULL);
		break;
	default:
		v->kind = SV_TEXT;
		v->s = xstrndup(s, (size_t)PQgetlength(r, row, col));
		break;
	}
}

/*
 * Rows come one at a time (libpq's single-row mode), so a large table is
 * never held in memory whole; meanwhile the connection is busy, so 'fn'
 * must not use this store on this thread. A callback's stop still drains
 * the result.
 */
static int
pg_rows_read(struct store *s, const char *table, const char *const *cols,
	     size_t n_cols, const char *order_by, store_row_fn fn, void *ctx)
{
	struct buf sql = BUF_INIT;
	PGresult *res, *failed = NULL;
	struct sqlval *row;
	struct pg_conn *c;
	size_t j;
	int ret, cb = 0;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "SELECT ");
	backend_add_cols(&sql, cols, n_cols);
	buf_addstr(&sql, " FROM ");
	sql_quote_ident(&sql, table);
	if (order_by && *order_by)
		buf_addf(&sql, " ORDER BY %s", order_by);
	if (!PQsendQueryParams(c->db, sql.ptr, 0, NULL, NULL, NULL, NULL, 0)) {
		buf_release(&sql);
		return db_error(c, NULL, "read a table");
	}
	buf_release(&sql);
	PQsetSingleRowMode(c->db);
	row = xcalloc(n_cols ? n_cols : 1, sizeof(*row));
	while ((res = PQgetResult(c->db))) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (cb)
				break;
			for (j = 0; j < n_cols; j++)
				read_any(res, 0, (int)j, &row[j]);
			cb = fn(ctx, row);
			for (j = 0; j < n_cols; j++)
				sqlval_release(&row[j]);
			break;
		case PGRES_TUPLES_OK:
			break;
		default:
			if (!failed) {
				failed = res;
				res = NULL;
			}
			break;
		}
		PQclear(res);
	}
	free(row);
	if (failed) {
		ret = db_error(c, failed, "read a table");
		PQclear(failed);
		return ret;
	}
	if (PQstatus(c->db) == CONNECTION_BAD)
		return db_error(c, NULL, "read a table");
	return cb;
}

/* Values go untyped: the server reads each as its column's type. */
static int
pg_rows_insert(struct store *s, const char *table, const char *const *cols,
	       size_t n_cols, const struct sqlval *row)
{
	struct buf sql = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	size_t j;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "INSERT INTO ");
	sql_quote_ident(&sql, table);
	buf_addch(&sql, '(');
	backend_add_cols(&sql, cols, n_cols);
	buf_addstr(&sql, ") VALUES(");
	pgs_params_init(&p);
	for (j = 0; j < n_cols; j++) {
		pgs_add_val(&p, &row[j]);
		p.types[j] = 0;
		buf_addf(&sql, j ? ", $%zu" : "$%zu", j + 1);
	}
	buf_addch(&sql, ')');
	conn_dirty(c);
	ret = pgs_exec(c, sql.ptr, true, &p, "import a row", NULL);
	pgs_params_release(&p);
	buf_release(&sql);
	gen_sync(c);
	return ret;
}

static int
pg_rows_clear(struct store *s, const char *table)
{
	struct buf sql = BUF_INIT;
	struct pg_conn *c;
	int ret;

	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, table);
	conn_dirty(c);
	ret = pgs_exec(c, sql.ptr, false, NULL, "clear a table", NULL);
	buf_release(&sql);
	gen_sync(c);
	return ret;
}

/*
 * Ids imported as values leave the identity sequence behind: move it to
 * the largest id, so the next one follows (or to 1, unused, when empty).
 * The table name resolves through the search_path like every statement.
 */
static int
pg_rows_finish(struct store *s, const char *table, bool has_id)
{
	struct buf sql = BUF_INIT, name = BUF_INIT;
	struct pgs_params p;
	struct pg_conn *c;
	int ret;

	if (!has_id)
		return 0;
	ret = pgs_conn_get(s, &c);
	if (ret)
		return ret;
	sql_quote_ident(&name, table);
	buf_addstr(&sql, "SELECT setval(pg_get_serial_sequence($1, 'id'),"
			 " GREATEST(COALESCE(MAX(\"id\"), 0), 1),"
			 " MAX(\"id\") IS NOT NULL) FROM ");
	buf_add(&sql, name.ptr, name.len);
	pgs_params_init(&p);
	pgs_add_text(&p, name.ptr);
	ret = pgs_exec(c, sql.ptr, false, &p, "move an id sequence", NULL);
	pgs_params_release(&p);
	buf_release(&name);
	buf_release(&sql);
	return ret;
}

/* ---- the vtable ------------------------------------------------------ */

const struct store_ops store_pg_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .thread_release = pg_thread_release,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .migrate = pg_migrate,
    .sync_schema = pgs_sync_schema,
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
    .token_insert = pg_token_insert,
    .token_get = pg_token_get,
    .token_get_by_hash = pg_token_get_by_hash,
    .token_name_taken = pg_token_name_taken,
    .token_list = pg_token_list,
    .token_update = pg_token_update,
    .token_delete = pg_token_delete,
    .token_touch = pg_token_touch,
    .token_count = pg_token_count,
    .token_generation = pg_token_generation,
    .token_prune_permissions = pg_token_prune_permissions,
    .admin_user_count = pg_admin_user_count,
    .content_version = pgs_content_version,
    .content_find = pgs_content_find,
    .content_get = pgs_content_get,
    .content_get_id = pgs_content_get_id,
    .content_insert = pgs_content_insert,
    .content_update = pgs_content_update,
    .content_delete_id = pgs_content_delete_id,
    .content_delete_document = pgs_content_delete_document,
    .content_unique_taken = pgs_content_unique_taken,
    .user_insert = pg_user_insert,
    .user_get = pg_user_get,
    .user_get_by_email = pg_user_get_by_email,
    .user_list = pg_user_list,
    .user_update = pg_user_update,
    .user_delete = pg_user_delete,
    .role_insert = pg_role_insert,
    .role_get = pg_role_get,
    .role_get_by_code = pg_role_get_by_code,
    .role_list = pg_role_list,
    .role_update = pg_role_update,
    .role_delete = pg_role_delete,
    .role_permissions = pg_role_permissions,
    .role_set_permissions = pg_role_set_permissions,
    .token_admin_permissions = pg_token_admin_permissions,
    .token_set_admin_permissions = pg_token_set_admin_permissions,
    .session_insert = pg_session_insert,
    .session_check = pg_session_check,
    .session_delete = pg_session_delete,
    .session_delete_user = pg_session_delete_user,
    .public_actions = pg_public_actions,
    .set_public_actions = pg_set_public_actions,
    .admin_generation = pg_admin_generation,
    .migrations = pg_migrations,
    .lock_bootstrap = pg_lock_bootstrap,
    .rows_read = pg_rows_read,
    .rows_insert = pg_rows_insert,
    .rows_clear = pg_rows_clear,
    .rows_finish = pg_rows_finish,
};
