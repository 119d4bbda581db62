/* SPDX-License-Identifier: MIT */
/*
 * sqlite.c: the SQLite backend, and the only file that speaks sqlite3.
 *
 * Each thread gets its own connection per store, found through a small
 * thread-local table keyed by the store's serial number, so the request
 * path takes no lock; the store keeps a list of its connections (changed
 * under a mutex only when one is opened or released) so that closing the
 * store closes them all. Connections run in WAL mode with foreign keys on,
 * and keep a small cache of prepared statements keyed by their SQL text.
 *
 * Durability, with group commit: connections run with synchronous=NORMAL
 * (SQLite writes a commit's WAL frames without fsync), and a WAL hook, run
 * by SQLite after every commit and before the committing statement returns,
 * makes the WAL durable with fdatasync() before anything is acknowledged.
 * A commit already covered by a running sync waits for it; two syncs may
 * run at once, and beyond that commits share the next one: every
 * acknowledged write survives power loss, as with synchronous=FULL.
 * Checkpoints run in the watcher thread, never in a request, and let the
 * WAL start again from its beginning, so commits write over blocks the
 * file already has (a cheaper sync than appending).
 *
 * Token and admin generations: triggers bump tollgate_meta
 * 'token_generation' on every token change, and 'admin_generation' on every
 * change admin authorisation depends on (users' flags and roles, roles,
 * permissions, sessions, admin tokens, public actions), made by anyone (this
 * process, the CLI, the sqlite3 shell); each connection re-reads a counter
 * only when the store's change sequence moved (its own writes, or the
 * watcher thread seeing another connection's commit).
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
#include "storage/store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define STMT_CACHE_SIZE 64
#define COUNT_CACHE_SIZE 16
#define TL_SLOTS 16
#define DEFAULT_BUSY_MS 5000
#define WATCH_MS 50 /* how often the watcher looks for other processes' commits */
/*
 * WAL frames (pages) after which the watcher checkpoints: a page written by
 * many commits in between is copied into the database once.
 */
#define CKPT_FRAMES 4000
#define SYNCS_MAX 2 /* fdatasync() calls on the WAL running at once */

struct cached_stmt {
	uint64_t hash;
	char *sql;
	size_t len; /* strlen(sql) */
	sqlite3_stmt *st;
	uint64_t used; /* LRU clock value of the last use */
	bool busy;     /* handed out and not yet returned */
};

/* A generation counter of tollgate_meta as this connection last read it. */
struct gen_cache {
	int64_t data_version; /* PRAGMA data_version at that read */
	uint64_t seq;         /* the store's change_seq before that read */
	uint64_t value;
	bool valid;
	bool dirty; /* this connection wrote since it last read 'value' */
};

struct sq_store;

struct sq_conn {
	sqlite3 *db;
	struct sq_store *st;
	struct sq_conn *next; /* in the store's list */
	struct cached_stmt cache[STMT_CACHE_SIZE];
	uint64_t clock;
	struct gen_cache token_gen;
	struct gen_cache admin_gen;
	unsigned depth; /* transaction nesting: 0 none, 1 top, >1 savepoints */
	bool tx_wrote;  /* conn_dirty() inside the open transaction */
	bool tx_content; /* content_changed() inside the open transaction */
	bool content_wrote; /* content_changed() since the last WAL commit */
	bool holds_write; /* holds the store's write_lock (tx_enter) */
	/*
	 * Row counts of unfiltered lists, valid while no connection wrote:
	 * COUNT(*) walks the whole table, and a list sends it each time.
	 */
	struct count_cache {
		const struct content_type *ct;
		int pub;
		int64_t total;
	} counts[COUNT_CACHE_SIZE];
	size_t n_counts;
	int64_t counts_dv; /* PRAGMA data_version the counts belong to */
	uint64_t counts_seq; /* or the store's content_seq, with a watcher */
};

struct sq_store {
	uint64_t serial;
	char *path;
	bool mem;        /* ":memory:", shared between connections */
	sqlite3 *anchor; /* keeps a shared in-memory database alive */
	int busy_ms;
	pthread_mutex_t lock; /* guards 'conns' */
	pthread_mutex_t write_lock; /* one write transaction at a time */
	/* group commit (wal_committed()) */
	_Atomic uint64_t commit_seq; /* commits made through this store */
	pthread_mutex_t sync_lock;
	pthread_cond_t sync_cond; /* a sync ended */
	/* sync_lock guards the rest of the group commit's state */
	uint64_t synced_seq;  /* commits known durable */
	uint64_t started_seq; /* commits the latest sync covers */
	unsigned syncing;     /* syncs running (SYNCS_MAX at most) */
	bool wal_failed;      /* a sync failed: nothing is durable */
	/*
	 * Checkpoints: the watcher runs them (ckpt_watcher), asked by
	 * wal_committed() when the WAL holds CKPT_FRAMES frames.
	 */
	bool ckpt_watcher;
	_Atomic bool ckpt_wanted;
	struct sq_conn *conns;
	struct sq_store *next_live;
	/*
	 * Moves after every write a connection of this store makes (and after
	 * its commit), and, through the watcher thread, within WATCH_MS of a
	 * commit by any other process (the CLI, the sqlite3 shell). Caches of
	 * the generations and of list counts compare it instead of asking
	 * SQLite (PRAGMA data_version takes the WAL index lock) per request.
	 */
	_Atomic uint64_t change_seq;
	/*
	 * The same for content rows alone (list counts, the content version
	 * of store_content_version()): moved by content writes, after their
	 * commit too, and by the watcher. Content writes leave change_seq
	 * alone, so a create does not make every thread re-read the token
	 * generation, and token bookkeeping (lastUsedAt) leaves this alone.
	 */
	_Atomic uint64_t content_seq;
	bool watching; /* the watcher runs; else data_version per read */
	pthread_t watcher;
	pthread_mutex_t watch_lock;
	pthread_cond_t watch_cond;
	bool stopping; /* guarded by watch_lock */
	bool watch_started; /* watch_start() ran (its lock and cond exist) */
	sqlite3 *watch_db;  /* the watcher's own connection */
	sqlite3_stmt *watch_stmt;
};

/* Live stores, so a thread can tell which of its slots went stale. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sq_store *live_head;
static uint64_t next_serial;

struct tl_slot {
	uint64_t serial; /* 0 when free */
	struct sq_conn *c;
};
static _Thread_local struct tl_slot tl_slots[TL_SLOTS];

/* One statement in use: from the cache (slot >= 0) or prepared once. */
struct sq_stmt {
	struct sq_conn *c;
	sqlite3_stmt *st;
	int slot;
	int bind_rc; /* first bind failure */
	const char *what;
};

/* ---- errors ---------------------------------------------------------- */

/*
 * Log a failure of 'what' with SQLite's message (which names columns, never
 * values) and map it to an error code.
 */
static int
db_error(struct sq_conn *c, int rc, const char *what)
{
	const char *msg = c ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
	int prim = rc & 0xff;

	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
		log_warn("sqlite: %s: %s", what, msg);
		return ERR_UNAVAILABLE;
	}
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		log_warn("sqlite: %s: %s", what, msg);
		return ERR_CONFLICT;
	}
	log_error("sqlite: %s: %s", what, msg);
	return ERR_STORAGE;
}

static int
set_db_err(struct err *e, int ret)
{
	if (ret == ERR_UNAVAILABLE)
		return err_set(e, ret, "the database is busy");
	return err_set(e, ret, "database error");
}

/* ---- statements ------------------------------------------------------ */

/*
 * The statement cache's key: eight bytes per step (a list's SQL is a few
 * hundred bytes, looked up on every request, and a byte-wise hash is a
 * chain of as many multiplications). A match is confirmed by comparing
 * the text, so the hash only has to spread the entries.
 */
static uint64_t
hash_sql(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 1099511628211ULL;
	return h ^ (h >> 32);
}

static int
prepare_raw(struct sq_conn *c, const char *sql, unsigned flags,
	    sqlite3_stmt **st, const char *what)
{
	int rc;

	*st = NULL;
	rc = sqlite3_prepare_v3(c->db, sql, -1, flags, st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return db_error(c, rc, what);
	}
	if (!*st) {
		log_error("sqlite: %s: empty statement", what);
		return ERR_INTERNAL;
	}
	return 0;
}

/*
 * Prepare 'sql' for one use ('cache' false) or through the connection's
 * cache. A cached statement already handed out (a nested use of the same
 * text) is not shared: a one-use copy is prepared instead.
 */
static int
stmt_prepare(struct sq_conn *c, const char *sql, bool cache, const char *what,
	     struct sq_stmt *q)
{
	struct cached_stmt *ce;
	uint64_t h;
	size_t len;
	int i, victim = -1, ret;
	sqlite3_stmt *st;

	q->c = c;
	q->st = NULL;
	q->slot = -1;
	q->bind_rc = SQLITE_OK;
	q->what = what;
	if (!cache)
		return prepare_raw(c, sql, 0, &q->st, what);

	len = strlen(sql);
	h = hash_sql(sql, len);
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		ce = &c->cache[i];
		if (ce->st && ce->hash == h && ce->len == len &&
		    !memcmp(ce->sql, sql, len)) {
			if (ce->busy)
				return prepare_raw(c, sql, 0, &q->st, what);
			ce->busy = true;
			ce->used = ++c->clock;
			q->st = ce->st;
			q->slot = i;
			return 0;
		}
		if (ce->busy)
			continue;
		if (victim < 0 || !ce->st ||
		    (c->cache[victim].st && ce->used < c->cache[victim].used))
			victim = i;
	}
	if (victim < 0)
		return prepare_raw(c, sql, 0, &q->st, what);

	ret = prepare_raw(c, sql, SQLITE_PREPARE_PERSISTENT, &st, what);
	if (ret)
		return ret;
	ce = &c->cache[victim];
	sqlite3_finalize(ce->st);
	free(ce->sql);
	ce->hash = h;
	ce->sql = xstrdup(sql);
	ce->len = len;
	ce->st = st;
	ce->used = ++c->clock;
	ce->busy = true;
	q->st = st;
	q->slot = victim;
	return 0;
}

/* Give the statement back: reset a cached one, finalize a one-use one. */
static void
stmt_done(struct sq_stmt *q)
{
	if (!q->st)
		return;
	if (q->slot >= 0) {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
		q->c->cache[q->slot].busy = false;
	} else {
		sqlite3_finalize(q->st);
	}
	q->st = NULL;
}

/* 1 for a row, 0 when done, or a negative error. */
static int
stmt_step(struct sq_stmt *q)
{
	int rc;

	if (q->bind_rc != SQLITE_OK)
		return db_error(q->c, q->bind_rc, q->what);
	rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(q->c, rc, q->what);
}

static void
note_bind(struct sq_stmt *q, int rc)
{
	if (rc != SQLITE_OK && q->bind_rc == SQLITE_OK)
		q->bind_rc = rc;
}

static void
bind_i64(struct sq_stmt *q, int idx, int64_t v)
{
	note_bind(q, sqlite3_bind_int64(q->st, idx, v));
}

/* Text that lives until stmt_done(); NULL binds SQL NULL. */
static void
bind_text(struct sq_stmt *q, int idx, const char *s)
{
	if (s)
		note_bind(q,
			  sqlite3_bind_text(q->st, idx, s, -1, SQLITE_STATIC));
	else
		note_bind(q, sqlite3_bind_null(q->st, idx));
}

/* A time or other optional integer: 'null_value' binds SQL NULL. */
static void
bind_opt(struct sq_stmt *q, int idx, int64_t v, int64_t null_value)
{
	if (v == null_value)
		note_bind(q, sqlite3_bind_null(q->st, idx));
	else
		bind_i64(q, idx, v);
}

static void
bind_val(struct sq_stmt *q, int idx, const struct sqlval *v)
{
	switch (v->kind) {
	case SV_INT:
		bind_i64(q, idx, v->i);
		break;
	case SV_REAL:
		note_bind(q, sqlite3_bind_double(q->st, idx, v->d));
		break;
	case SV_TEXT:
		bind_text(q, idx, v->s ? v->s : "");
		break;
	case SV_NULL:
	default:
		note_bind(q, sqlite3_bind_null(q->st, idx));
		break;
	}
}

static int64_t
col_opt(sqlite3_stmt *st, int col, int64_t null_value)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return null_value;
	return sqlite3_column_int64(st, col);
}

/* A new copy of a text column; NULL for SQL NULL. */
static char *
col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *p;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(st, col);
	if (!p)
		return xstrdup("");
	return xstrndup((const char *)p, (size_t)sqlite3_column_bytes(st, col));
}

/* Run a statement that returns no rows (or whose rows are ignored). */
static int
exec_sql(struct sq_conn *c, const char *sql, bool cache, const char *what)
{
	struct sq_stmt q;
	int ret;

	ret = stmt_prepare(c, sql, cache, what, &q);
	if (ret)
		return ret;
	do
		ret = stmt_step(&q);
	while (ret == 1);
	stmt_done(&q);
	return ret;
}

/* One integer from a one-column query with up to one integer parameter. */
static int
query_i64(struct sq_conn *c, const char *sql, const char *what, int64_t *out)
{
	struct sq_stmt q;
	int ret;

	*out = 0;
	ret = stmt_prepare(c, sql, true, what, &q);
	if (ret)
		return ret;
	ret = stmt_step(&q);
	if (ret == 1) {
		*out = sqlite3_column_int64(q.st, 0);
		ret = 0;
	}
	stmt_done(&q);
	return ret;
}

/* ---- transactions ---------------------------------------------------- */

/*
 * This connection wrote (or rolled back) something a generation counter
 * may follow: read both counters again next time, whatever data_version
 * says (it only moves for other connections' commits).
 */
static void
note_change(struct sq_store *st)
{
	atomic_fetch_add_explicit(&st->change_seq, 1, memory_order_acq_rel);
}

static void
note_content(struct sq_store *st)
{
	atomic_fetch_add_explicit(&st->content_seq, 1, memory_order_acq_rel);
}

static void
conn_dirty(struct sq_conn *c)
{
	c->token_gen.dirty = true;
	c->admin_gen.dirty = true;
	c->n_counts = 0;
	if (c->depth > 0)
		c->tx_wrote = true;
	note_change(c->st);
}

static void
write_unlock(struct sq_conn *c)
{
	if (c->holds_write) {
		c->holds_write = false;
		pthread_mutex_unlock(&c->st->write_lock);
	}
}

/*
 * A content row changed: every connection's list counts and every cached
 * read are stale. content_seq moves now and again once the change is
 * committed (tx_leave(), wal_committed()): a reader that took the first
 * move with a snapshot older than the commit must not keep its result.
 */
static void
content_changed(struct sq_conn *c)
{
	c->n_counts = 0;
	if (c->depth > 0)
		c->tx_content = true;
	c->content_wrote = true;
	note_content(c->st);
}

/*
 * Enter a transaction level: BEGIN IMMEDIATE for an outermost write (so a
 * writer waits for the lock up front instead of failing on upgrade), a
 * SAVEPOINT otherwise (nested, or an outermost read snapshot).
 */
static int
tx_enter(struct sq_conn *c, bool write)
{
	const char *sql;
	int ret;

	sql = c->depth == 0 && write ? "BEGIN IMMEDIATE" : "SAVEPOINT tg";
	/*
	 * This process's writers queue on a mutex: SQLite's busy handler
	 * would make them sleep and retry (1, 2, 5, 10... ms) instead of
	 * handing the lock over when the holder commits. Other processes
	 * (the CLI) still meet the busy timeout.
	 */
	if (c->depth == 0 && write) {
		pthread_mutex_lock(&c->st->write_lock);
		c->holds_write = true;
	}
	ret = exec_sql(c, sql, true, "begin a transaction");
	if (ret == 0)
		c->depth++;
	else
		write_unlock(c);
	return ret;
}

static int
tx_leave(struct sq_conn *c, bool commit)
{
	int ret = 0;

	if (c->depth == 0) {
		log_error("sqlite: transaction end without a begin");
		return ERR_INTERNAL;
	}
	if (!commit) {
		conn_dirty(c);
		note_content(c->st);
	}
	if (sqlite3_get_autocommit(c->db)) {
		/* SQLite already rolled everything back after an error */
		c->depth--;
		conn_dirty(c);
		note_content(c->st);
		if (c->depth == 0)
			write_unlock(c);
		if (commit) {
			log_error("sqlite: the transaction was rolled back");
			return ERR_STORAGE;
		}
		return 0;
	}
	if (c->depth == 1) {
		if (commit) {
			ret = exec_sql(c, "COMMIT", true, "commit");
			if (ret) {
				exec_sql(c, "ROLLBACK", true, "roll back");
				conn_dirty(c);
			}
			/* what it wrote is visible to other connections now */
			if (c->tx_wrote)
				note_change(c->st);
			if (c->tx_content)
				note_content(c->st);
			c->tx_wrote = false;
			c->tx_content = false;
		} else {
			ret = exec_sql(c, "ROLLBACK", true, "roll back");
			c->tx_content = false;
		}
		c->depth = 0;
		write_unlock(c);
		return ret;
	}
	if (commit) {
		ret = exec_sql(c, "RELEASE tg", true, "release a savepoint");
	} else {
		ret = exec_sql(c, "ROLLBACK TO tg", true,
			       "roll back a savepoint");
		if (ret == 0)
			ret = exec_sql(c, "RELEASE tg", true,
				       "release a savepoint");
	}
	c->depth--;
	return ret;
}

/* Leave with commit when 'ret' is 0, else roll back; returns the outcome. */
static int
tx_finish(struct sq_conn *c, int ret)
{
	int r2;

	if (ret) {
		tx_leave(c, false);
		return ret;
	}
	r2 = tx_leave(c, true);
	return r2;
}

/* ---- connections ----------------------------------------------------- */

static int
pragma_text(struct sq_conn *c, const char *sql, const char *what, char *out,
	    size_t outsz)
{
	struct sq_stmt q;
	const unsigned char *p;
	int ret;

	out[0] = '\0';
	ret = stmt_prepare(c, sql, false, what, &q);
	if (ret)
		return ret;
	ret = stmt_step(&q);
	if (ret == 1) {
		p = sqlite3_column_text(q.st, 0);
		snprintf(out, outsz, "%s", p ? (const char *)p : "");
		ret = 0;
	}
	stmt_done(&q);
	return ret;
}

static void
conn_close(struct sq_conn *c)
{
	size_t i;
	int rc;

	if (c->depth)
		log_warn("sqlite: closing a connection inside a transaction");
	write_unlock(c);
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql);
	}
	rc = sqlite3_close_v2(c->db);
	if (rc != SQLITE_OK)
		log_error("sqlite: close: %s", sqlite3_errstr(rc));
	free(c);
}

static int wal_committed(void *arg, sqlite3 *db, const char *name,
			 int frames);

static int
conn_open(struct sq_store *st, struct sq_conn **out)
{
	struct sq_conn *c;
	char mode[32];
	int rc, ret, flags;

	*out = NULL;
	c = xcalloc(1, sizeof(*c));
	c->st = st;
	flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (st->mem)
		flags |= SQLITE_OPEN_URI;
	rc = sqlite3_open_v2(st->path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite: cannot open '%s': %s", st->path,
			  c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close_v2(c->db);
		free(c);
		return (rc & 0xff) == SQLITE_BUSY ? ERR_UNAVAILABLE
						  : ERR_STORAGE;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, st->busy_ms);

	ret = exec_sql(c, "PRAGMA foreign_keys = ON", false,
		       "enable foreign keys");
	if (ret)
		goto out;
	if (!st->mem) {
		ret = pragma_text(c, "PRAGMA journal_mode = WAL",
				  "set the journal mode", mode, sizeof(mode));
		if (ret)
			goto out;
		if (strcmp(mode, "wal"))
			log_warn("sqlite: WAL mode unavailable, journal mode "
				 "is '%s'",
				 mode);
	}
	if (st->mem) {
		ret = exec_sql(c, "PRAGMA synchronous = FULL", false,
			       "set synchronous mode");
	} else {
		ret = exec_sql(c, "PRAGMA synchronous = NORMAL", false,
			       "set synchronous mode");
		/* replaces the autocheckpoint hook, which it then does itself */
		sqlite3_wal_hook(c->db, wal_committed, c);
	}
out:
	if (ret) {
		conn_close(c);
		return ret;
	}
	*out = c;
	return 0;
}

/*
 * Wait until commit number 'mine' is durable: covered by a sync that
 * started after it was written, this thread's or another's. A thread
 * whose commit no running sync covers starts one, for every commit made
 * so far; up to SYNCS_MAX run at once, since a device completes
 * concurrent flushes about as fast as one (two writer threads then never
 * wait for each other's sync), and beyond that commits wait and share
 * the next one (group commit).
 *
 * The sync goes through the committing connection's own handle on the WAL
 * (SQLITE_FCNTL_JOURNAL_POINTER), so it reaches the very file SQLite wrote
 * whatever happened to the name, and takes no descriptor or path lookup.
 * All connections write the one WAL, so a sync on any of them covers every
 * commit written before it began. The handle is not fstat()ed either: on
 * a file whose times were read, the next write stamps a fine-grained time,
 * so every sync would write the inode too (a second device round trip).
 *
 * After a failed sync no commit is acknowledged again: the kernel may have
 * dropped the pages it could not write and will not say so twice, and WAL
 * frames are chained by their checksums, so any later commit would be
 * lost with them in a crash.
 */
static int
wal_sync(struct sq_store *st, sqlite3 *db, uint64_t mine)
{
	sqlite3_file *wal = NULL;
	uint64_t target;
	int rc = SQLITE_OK;

	pthread_mutex_lock(&st->sync_lock);
	for (;;) {
		if (st->wal_failed) {
			rc = SQLITE_IOERR_FSYNC;
			break;
		}
		if (st->synced_seq >= mine)
			break;
		if (st->started_seq >= mine || st->syncing >= SYNCS_MAX) {
			pthread_cond_wait(&st->sync_cond, &st->sync_lock);
			continue;
		}
		if (!wal) {
			rc = sqlite3_file_control(
			    db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
			if (rc != SQLITE_OK || !wal || !wal->pMethods) {
				log_error("sqlite: no handle on the "
					  "write-ahead log to sync");
				rc = SQLITE_IOERR_FSYNC;
				break;
			}
		}
		/* every commit counted so far has its frames written */
		target =
		    atomic_load_explicit(&st->commit_seq, memory_order_acquire);
		st->started_seq = target;
		st->syncing++;
		pthread_mutex_unlock(&st->sync_lock);
		rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL |
						   SQLITE_SYNC_DATAONLY);
		pthread_mutex_lock(&st->sync_lock);
		st->syncing--;
		if (rc != SQLITE_OK) {
			log_error("sqlite: cannot sync the write-ahead log: "
				  "%s; no write is acknowledged until restart",
				  sqlite3_errstr(rc));
			st->wal_failed = true;
		} else if (st->synced_seq < target) {
			st->synced_seq = target;
		}
		pthread_cond_broadcast(&st->sync_cond);
	}
	pthread_mutex_unlock(&st->sync_lock);
	return rc;
}

/* Ask the watcher for a checkpoint, once until it has run one. */
static void
ckpt_request(struct sq_store *st)
{
	if (atomic_exchange_explicit(&st->ckpt_wanted, true,
				     memory_order_acq_rel))
		return;
	pthread_mutex_lock(&st->watch_lock);
	pthread_cond_signal(&st->watch_cond);
	pthread_mutex_unlock(&st->watch_lock);
}

/*
 * SQLite's WAL hook: a commit's frames are in the WAL (written, not synced)
 * and the write lock is released. Make them durable (wal_sync()) before
 * the committing statement returns. The process's write lock is handed on
 * first, so the next writer's commit can proceed while this one syncs. An
 * error here fails the statement (the commit has happened, but is not
 * acknowledged as durable).
 *
 * The hook replaces SQLite's autocheckpoint. Checkpoints run in the watcher
 * thread (watch_checkpoint()) when it runs, so no request pays for one;
 * without it, here, as SQLite's default hook does.
 */
static int
wal_committed(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct sq_conn *c = arg;
	struct sq_store *st = c->st;
	uint64_t mine;
	int rc;

	/* the transaction is over: the next writer may go while this syncs */
	write_unlock(c);
	/* committed content: cached reads look again (a move made while the
	 * transaction was open may have been read with an older snapshot) */
	if (c->content_wrote) {
		c->content_wrote = false;
		note_content(st);
	}
	mine = atomic_fetch_add_explicit(&st->commit_seq, 1,
					 memory_order_acq_rel) + 1;
	rc = wal_sync(st, db, mine);
	if (rc != SQLITE_OK)
		return rc;
	if (st->ckpt_watcher) {
		if (frames >= CKPT_FRAMES)
			ckpt_request(st);
	} else if (frames >= 1000) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	}
	return SQLITE_OK;
}

static bool
serial_live(uint64_t serial)
{
	struct sq_store *p;

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

/* Slow path: open this thread's connection to 'st' and register it. */
static int
conn_attach(struct sq_store *st, struct sq_conn **out)
{
	struct sq_conn *c;
	size_t i;
	int ret;

	purge_stale_slots();
	for (i = 0; i < TL_SLOTS; i++)
		if (!tl_slots[i].serial)
			break;
	if (i == TL_SLOTS) {
		log_error("sqlite: too many stores open in one thread");
		return ERR_INTERNAL;
	}
	ret = conn_open(st, &c);
	if (ret)
		return ret;
	pthread_mutex_lock(&st->lock);
	c->next = st->conns;
	st->conns = c;
	pthread_mutex_unlock(&st->lock);
	tl_slots[i].serial = st->serial;
	tl_slots[i].c = c;
	*out = c;
	return 0;
}

/* The calling thread's connection to 's'; opened on first use. */
static int
conn_get(struct store *s, struct sq_conn **out)
{
	struct sq_store *st = s->priv;
	size_t i;

	for (i = 0; i < TL_SLOTS; i++) {
		if (tl_slots[i].serial == st->serial) {
			*out = tl_slots[i].c;
			return 0;
		}
	}
	return conn_attach(st, out);
}

/* ---- open / close ---------------------------------------------------- */

/* mkdir -p of the directory part of 'path', mode 0700. */
static int
mkdir_parents(const char *path)
{
	char *dir = xstrdup(path);
	char *p;
	bool end;
	int ret = 0;

	p = strrchr(dir, '/');
	if (!p || p == dir)
		goto out;
	*p = '\0';
	for (p = dir + 1; ret == 0; p++) {
		end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			log_error("cannot create directory '%s': %s", dir,
				  strerror(errno));
			ret = ERR_IO;
		}
		if (end)
			break;
		*p = '/';
	}
out:
	free(dir);
	return ret;
}

static void
live_remove(struct sq_store *st)
{
	struct sq_store **pp;

	pthread_mutex_lock(&live_lock);
	for (pp = &live_head; *pp; pp = &(*pp)->next_live) {
		if (*pp == st) {
			*pp = st->next_live;
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
}

/*
 * The watcher's busy handler. A checkpoint holds the write lock while it
 * waits for readers (watch_checkpoint()), and this process's readers hold
 * the WAL for microseconds: look again soon rather than after SQLite's
 * 1 ms, and give up after a few milliseconds (a reader that stays longer
 * belongs to another process; the watcher tries again WATCH_MS later).
 */
static int
watch_busy(void *arg, int n)
{
	struct timespec ts = {0, 20000L};

	(void)arg;
	if (n >= 100)
		return 0;
	nanosleep(&ts, NULL);
	return 1;
}

/*
 * Checkpoint from the watcher, so that no request pays for one (SQLite's
 * own autocheckpoint runs in whichever commit crosses 1000 frames).
 *
 * A PASSIVE checkpoint copies the WAL into the database while writers go
 * on; under constant writes it never catches up with them, and SQLite
 * starts the WAL again from its beginning only when a writer finds it
 * wholly copied and no reader in it. So after the bulk copy the watcher
 * takes this process's write lock (the writers queue as they do for each
 * other) and runs a RESTART checkpoint: it copies the few frames committed
 * meanwhile and waits for the readers to leave the WAL, after which the
 * next commit writes the WAL from its start again. Writing over a WAL
 * file's existing blocks is what keeps each commit's fdatasync() cheap:
 * appending also changes the file's size and allocates blocks, which the
 * sync must then write too. TRUNCATE would give that up.
 *
 * The database is synced by each checkpoint before the WAL frames it
 * copied can be written over (SQLite does that with any synchronous mode
 * but OFF), so no acknowledged commit is ever only in overwritten frames.
 *
 * False when the WAL could not be started again (another process reads
 * or writes, or a long transaction of this one holds the write lock): try
 * again WATCH_MS later rather than at once.
 */
static bool
watch_checkpoint(struct sq_store *st)
{
	struct timespec until;
	int rc;

	rc = sqlite3_wal_checkpoint_v2(st->watch_db, NULL,
				       SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK)
		goto out;
	/*
	 * A long write transaction of this process (an import) holds the
	 * lock: do not keep the watcher from its data_version meanwhile.
	 */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += WATCH_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(&st->write_lock, &until))
		return false;
	rc = sqlite3_wal_checkpoint_v2(st->watch_db, NULL,
				       SQLITE_CHECKPOINT_RESTART, NULL, NULL);
	pthread_mutex_unlock(&st->write_lock);
out:
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
		log_warn("sqlite: checkpoint: %s", sqlite3_errstr(rc));
	return rc == SQLITE_OK;
}

/*
 * The watcher: one connection asking PRAGMA data_version every WATCH_MS;
 * when it moves, another connection committed (in this process or
 * another), and change_seq moves so caches look again. It also runs the
 * checkpoints wal_committed() asks for (ckpt_wanted).
 */
static void *
watch_main(void *arg)
{
	struct sq_store *st = arg;
	sqlite3_stmt *q = st->watch_stmt;
	sqlite3 *db = st->watch_db;
	int64_t last = INT64_MIN, dv;
	struct timespec until;
	bool ckpt_ok = true;

	pthread_mutex_lock(&st->watch_lock);
	while (!st->stopping) {
		pthread_mutex_unlock(&st->watch_lock);
		/*
		 * Commits during a checkpoint find the request still set, so
		 * it is cleared after: they are covered by the RESTART. A
		 * failed one stays set, which keeps commits from waking the
		 * watcher before WATCH_MS.
		 */
		if (atomic_load_explicit(&st->ckpt_wanted,
					 memory_order_acquire)) {
			ckpt_ok = watch_checkpoint(st);
			if (ckpt_ok)
				atomic_store_explicit(&st->ckpt_wanted, false,
						      memory_order_release);
		}
		if (sqlite3_step(q) == SQLITE_ROW) {
			dv = sqlite3_column_int64(q, 0);
			if (dv != last && last != INT64_MIN) {
				note_change(st);
				note_content(st);
			}
			last = dv;
		} else {
			/* cannot tell: assume a change */
			note_change(st);
			note_content(st);
		}
		sqlite3_reset(q);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WATCH_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&st->watch_lock);
		if (!st->stopping &&
		    (!ckpt_ok || !atomic_load_explicit(&st->ckpt_wanted,
						       memory_order_acquire)))
			pthread_cond_timedwait(&st->watch_cond,
					       &st->watch_lock, &until);
	}
	pthread_mutex_unlock(&st->watch_lock);
	sqlite3_finalize(q);
	sqlite3_close_v2(db);
	return NULL;
}

static void
watch_start(struct sq_store *st)
{
	pthread_mutex_init(&st->watch_lock, NULL);
	pthread_cond_init(&st->watch_cond, NULL);
	if (st->mem)
		return; /* one shared cache: data_version is cheap and exact */
	/* read-write: it checkpoints, which a read-only connection cannot */
	if (sqlite3_open_v2(st->path, &st->watch_db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->watch_db, "PRAGMA data_version", -1,
			       &st->watch_stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(st->watch_stmt) != SQLITE_ROW) {
		log_warn("sqlite: cannot open the change watcher's "
			 "connection; reading PRAGMA data_version per request "
			 "instead");
		goto fail;
	}
	sqlite3_reset(st->watch_stmt);
	sqlite3_busy_handler(st->watch_db, watch_busy, NULL);
	/* set before any commit can ask for a checkpoint */
	st->ckpt_watcher = true;
	if (pthread_create(&st->watcher, NULL, watch_main, st)) {
		log_warn("sqlite: cannot start the change watcher; reading "
			 "PRAGMA data_version per request instead");
		st->ckpt_watcher = false;
		goto fail;
	}
	st->watching = true;
	return;
fail:
	sqlite3_finalize(st->watch_stmt);
	sqlite3_close_v2(st->watch_db);
	st->watch_stmt = NULL;
	st->watch_db = NULL;
}

static void
watch_stop(struct sq_store *st)
{
	st->ckpt_watcher = false;
	if (st->watching) {
		pthread_mutex_lock(&st->watch_lock);
		st->stopping = true;
		pthread_cond_signal(&st->watch_cond);
		pthread_mutex_unlock(&st->watch_lock);
		pthread_join(st->watcher, NULL);
		st->watching = false;
	}
	pthread_cond_destroy(&st->watch_cond);
	pthread_mutex_destroy(&st->watch_lock);
}

static void
sq_store_free(struct sq_store *st)
{
	struct sq_conn *c, *next;
	size_t i;

	live_remove(st);
	if (st->watch_started)
		watch_stop(st);
	pthread_mutex_lock(&st->lock);
	for (c = st->conns; c; c = next) {
		next = c->next;
		conn_close(c);
	}
	st->conns = NULL;
	pthread_mutex_unlock(&st->lock);
	for (i = 0; i < TL_SLOTS; i++) {
		if (tl_slots[i].serial == st->serial) {
			tl_slots[i].serial = 0;
			tl_slots[i].c = NULL;
		}
	}
	if (st->anchor)
		sqlite3_close_v2(st->anchor);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->write_lock);
	pthread_mutex_destroy(&st->sync_lock);
	pthread_cond_destroy(&st->sync_cond);
	free(st->path);
	free(st);
}

/*
 * Process-wide settings, before SQLite initialises itself (sqlite3_config()
 * is refused afterwards). Memory statistics off: with them on, every
 * allocation SQLite makes (several per statement run) takes one global
 * mutex, which the worker threads then contend for; nothing here reads
 * sqlite3_memory_used() or sqlite3_status(), and the soft heap limit,
 * which needs them, is not used.
 */
static pthread_once_t sq_global_once = PTHREAD_ONCE_INIT;

static void
sq_global_init(void)
{
	/* SQLITE_MISUSE when something initialised SQLite first: keep going */
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		log_debug("sqlite: memory statistics stay on (already "
			  "initialised)");
}

static int
sq_open(struct store *s, const struct store_options *o, struct err *e)
{
	struct sq_store *st;
	struct sq_conn *c;
	const char *fn = o->filename;
	int ret, rc;

	if (!fn || !*fn)
		return err_set(e, ERR_VALIDATION,
			       "the database filename is not set");
	pthread_once(&sq_global_once, sq_global_init);
	st = xcalloc(1, sizeof(*st));
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->write_lock, NULL);
	pthread_mutex_init(&st->sync_lock, NULL);
	pthread_cond_init(&st->sync_cond, NULL);
	st->busy_ms =
	    o->busy_timeout_ms > 0 ? o->busy_timeout_ms : DEFAULT_BUSY_MS;
	pthread_mutex_lock(&live_lock);
	st->serial = ++next_serial;
	st->next_live = live_head;
	live_head = st;
	pthread_mutex_unlock(&live_lock);

	if (!strcmp(fn, ":memory:")) {
		st->mem = true;
		st->path = xasprintf("file:tollgate-%ld-%" PRIu64
				     "?mode=memory&cache=shared",
				     (long)getpid(), st->serial);
		rc = sqlite3_open_v2(st->path, &st->anchor,
				     SQLITE_OPEN_READWRITE |
					 SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
				     NULL);
		if (rc != SQLITE_OK) {
			ret = err_set(e, ERR_STORAGE,
				      "cannot open an in-memory database: %s",
				      sqlite3_errstr(rc));
			goto out;
		}
	} else {
		if (fn[0] == '/' || !o->project_dir || !*o->project_dir)
			st->path = xstrdup(fn);
		else
			st->path = xasprintf("%s/%s", o->project_dir, fn);
		if (mkdir_parents(st->path)) {
			ret = err_set(e, ERR_IO,
				      "cannot create the directory of the "
				      "database '%s'",
				      st->path);
			goto out;
		}
	}
	s->priv = st;
	ret = conn_get(s, &c);
	if (ret)
		ret = err_set(e, ret == ERR_UNAVAILABLE ? ret : ERR_STORAGE,
			      "cannot open the database '%s'", st->path);
	if (ret == 0) {
		watch_start(st);
		st->watch_started = true;
	}
out:
	if (ret) {
		s->priv = NULL;
		sq_store_free(st);
	}
	return ret;
}

static void
sq_close(struct store *s)
{
	if (s->priv)
		sq_store_free(s->priv);
	s->priv = NULL;
}

static void
sq_thread_release(struct store *s)
{
	struct sq_store *st = s->priv;
	struct sq_conn **pp, *c = NULL;
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
	conn_close(c);
}

/* ---- transactions (public) ------------------------------------------- */

static int
sq_begin(struct store *s)
{
	struct sq_conn *c;
	int ret = conn_get(s, &c);

	return ret ? ret : tx_enter(c, true);
}

static int
sq_commit(struct store *s)
{
	struct sq_conn *c;
	int ret = conn_get(s, &c);

	return ret ? ret : tx_leave(c, true);
}

static int
sq_rollback(struct store *s)
{
	struct sq_conn *c;
	int ret = conn_get(s, &c);

	return ret ? ret : tx_leave(c, false);
}

/* ---- migrations ------------------------------------------------------ */

/* clang-format off */
#define GEN_BUMP                                                        \
	" BEGIN UPDATE tollgate_meta SET value = CAST(value AS INTEGER) + 1" \
	" WHERE key = 'token_generation'; END;\n"

static const char migration_v1[] =
	"CREATE TABLE tollgate_meta(key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);\n"
	"INSERT INTO tollgate_meta(key, value) VALUES('token_generation', '0');\n"
	"CREATE TABLE strapi_api_tokens("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" document_id TEXT,"
	" name TEXT NOT NULL,"
	" description TEXT NOT NULL DEFAULT '',"
	" type TEXT NOT NULL DEFAULT 'read-only',"
	" access_key TEXT NOT NULL,"
	" encrypted_key TEXT,"
	" last_used_at INTEGER,"
	" expires_at INTEGER,"
	" lifespan INTEGER,"
	" kind TEXT DEFAULT 'content-api',"
	" admin_user_owner_id INTEGER,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);\n"
	"CREATE UNIQUE INDEX strapi_api_tokens_access_key_unique"
	" ON strapi_api_tokens(access_key);\n"
	"CREATE INDEX strapi_api_tokens_name_idx ON strapi_api_tokens(name);\n"
	"CREATE TABLE strapi_api_token_permissions("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" token_id INTEGER NOT NULL REFERENCES strapi_api_tokens(id)"
	" ON DELETE CASCADE,"
	" action TEXT NOT NULL,"
	" created_at INTEGER,"
	" updated_at INTEGER,"
	" UNIQUE(token_id, action));\n"
	"CREATE TABLE admin_users("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" document_id TEXT,"
	" firstname TEXT,"
	" lastname TEXT,"
	" username TEXT,"
	" email TEXT UNIQUE,"
	" password TEXT,"
	" is_active INTEGER NOT NULL DEFAULT 0,"
	" blocked INTEGER NOT NULL DEFAULT 0,"
	" prefered_language TEXT,"
	" created_at INTEGER,"
	" updated_at INTEGER);\n"
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

#define ADMIN_BUMP                                                      \
	" BEGIN UPDATE tollgate_meta SET value = CAST(value AS INTEGER) + 1" \
	" WHERE key = 'admin_generation'; END;\n"

/*
 * Administrators, roles, permissions, sessions and public actions. Every
 * change that admin authorisation depends on moves 'admin_generation'
 * (whoever makes it), as tokens move 'token_generation'.
 */
static const char migration_v2[] =
	"INSERT OR IGNORE INTO tollgate_meta(key, value)"
	" VALUES('admin_generation', '0');\n"
	/* emails are stored lower-cased and compared case-insensitively */
	"UPDATE admin_users SET email = lower(email)"
	" WHERE email <> lower(email);\n"
	"CREATE UNIQUE INDEX admin_users_email_nocase_idx"
	" ON admin_users(email COLLATE NOCASE);\n"
	"CREATE TABLE admin_roles("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" document_id TEXT,"
	" name TEXT NOT NULL UNIQUE,"
	" code TEXT NOT NULL UNIQUE,"
	" description TEXT,"
	" created_at INTEGER,"
	" updated_at INTEGER);\n"
	"CREATE TABLE admin_users_roles_lnk("
	" user_id INTEGER NOT NULL REFERENCES admin_users(id)"
	" ON DELETE CASCADE,"
	" role_id INTEGER NOT NULL REFERENCES admin_roles(id)"
	" ON DELETE CASCADE,"
	" PRIMARY KEY(user_id, role_id));\n"
	"CREATE INDEX admin_users_roles_lnk_role_idx"
	" ON admin_users_roles_lnk(role_id);\n"
	"CREATE TABLE admin_permissions("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" document_id TEXT,"
	" action TEXT NOT NULL,"
	" subject TEXT,"
	" properties TEXT NOT NULL DEFAULT '{}',"
	" conditions TEXT NOT NULL DEFAULT '[]',"
	" role_id INTEGER REFERENCES admin_roles(id) ON DELETE CASCADE,"
	" api_token_id INTEGER REFERENCES strapi_api_tokens(id)"
	" ON DELETE CASCADE,"
	" created_at INTEGER,"
	" updated_at INTEGER);\n"
	"CREATE INDEX admin_permissions_role_idx"
	" ON admin_permissions(role_id);\n"
	"CREATE INDEX admin_permissions_api_token_idx"
	" ON admin_permissions(api_token_id);\n"
	"CREATE TABLE admin_sessions("
	" session_id TEXT PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES admin_users(id)"
	" ON DELETE CASCADE,"
	" expires_at INTEGER NOT NULL,"
	" created_at INTEGER);\n"
	"CREATE INDEX admin_sessions_user_idx ON admin_sessions(user_id);\n"
	"CREATE TABLE tollgate_public_actions(action TEXT PRIMARY KEY);\n"
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
	" AFTER INSERT ON strapi_api_tokens"
	" WHEN NEW.kind = 'admin'" ADMIN_BUMP
	"CREATE TRIGGER strapi_api_tokens_admin_gen_delete"
	" AFTER DELETE ON strapi_api_tokens"
	" WHEN OLD.kind = 'admin'" ADMIN_BUMP
	"CREATE TRIGGER strapi_api_tokens_admin_gen_update"
	" AFTER UPDATE OF name, description, type, access_key, encrypted_key,"
	" expires_at, lifespan, kind, admin_user_owner_id"
	" ON strapi_api_tokens"
	" WHEN OLD.kind = 'admin' OR NEW.kind = 'admin'" ADMIN_BUMP;

/*
 * The content change counter PostgreSQL's instances keep their list counts
 * by. SQLite's change watcher needs none; the row keeps the two schemas at
 * the same version (exports move between them).
 */
static const char migration_v3[] =
	"INSERT OR IGNORE INTO tollgate_meta(key, value)"
	" VALUES('content_generation', '0');\n";
/* clang-format on */

static const struct migration {
	int64_t version;
	const char *name;
	const char *sql;
} migrations[] = {
    {1, "initial tokens schema", migration_v1},
    {2, "administrators, roles, permissions, sessions", migration_v2},
    {3, "content change counter", migration_v3},
};

static int
exec_script(struct sq_conn *c, const char *sql, const char *what)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_error(c, rc, what);
}

static int
sq_migrate(struct store *s, struct err *e)
{
	const int64_t latest = migrations[ARRAY_SIZE(migrations) - 1].version;
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t cur;
	size_t i;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return set_db_err(e, ret);
	ret = tx_enter(c, true);
	if (ret)
		return err_set(e, ret,
			       "cannot lock the database to migrate it");
	ret = exec_script(c,
			  "CREATE TABLE IF NOT EXISTS tollgate_migrations("
			  "version INTEGER PRIMARY KEY, applied_at INTEGER)",
			  "create the migrations table");
	if (ret)
		goto out;
	ret = query_i64(c,
			"SELECT COALESCE(MAX(version), 0)"
			" FROM tollgate_migrations",
			"read the schema version", &cur);
	if (ret)
		goto out;
	if (cur > latest) {
		tx_finish(c, ERR_STORAGE);
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
		ret = stmt_prepare(c,
				   "INSERT INTO tollgate_migrations"
				   "(version, applied_at) VALUES(?, ?)",
				   false, "record a migration", &q);
		if (ret)
			goto out;
		bind_i64(&q, 1, migrations[i].version);
		bind_i64(&q, 2, time_now_ms());
		ret = stmt_step(&q);
		stmt_done(&q);
		if (ret)
			goto out;
		log_info("database migrated to version %" PRId64,
			 migrations[i].version);
	}
out:
	ret = tx_finish(c, ret);
	if (ret)
		return err_set(e, ret, "cannot migrate the database");
	return 0;
}

/* ---- meta ------------------------------------------------------------ */

static int
sq_meta_get(struct store *s, const char *key, char **value)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	*value = NULL;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c, "SELECT value FROM tollgate_meta WHERE key = ?",
			   true, "read a meta value", &q);
	if (ret)
		return ret;
	bind_text(&q, 1, key);
	ret = stmt_step(&q);
	if (ret == 1) {
		*value = col_text(q.st, 0);
		ret = 0;
	}
	stmt_done(&q);
	return ret;
}

static int
sq_meta_set(struct store *s, const char *key, const char *value)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "INSERT INTO tollgate_meta(key, value)"
			   " VALUES(?, ?) ON CONFLICT(key)"
			   " DO UPDATE SET value = excluded.value",
			   true, "write a meta value", &q);
	if (ret)
		return ret;
	bind_text(&q, 1, key);
	bind_text(&q, 2, value);
	ret = stmt_step(&q);
	stmt_done(&q);
	conn_dirty(c);
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
type_parse(const char *s)
{
	if (s && !strcmp(s, "full-access"))
		return TOKEN_FULL_ACCESS;
	if (s && !strcmp(s, "custom"))
		return TOKEN_CUSTOM;
	return TOKEN_READ_ONLY;
}

/* NULL is content-api (rows older than kinds); other unknown text fails
 * closed as admin, which the content API refuses. */
static enum token_kind
kind_parse(const char *s)
{
	if (!s || !strcmp(s, "content-api"))
		return TOKEN_KIND_CONTENT_API;
	return TOKEN_KIND_ADMIN;
}

static void
read_token(sqlite3_stmt *st, struct token_row *t)
{
	const unsigned char *p;

	t->id = sqlite3_column_int64(st, 0);
	t->name = col_text(st, 1);
	if (!t->name)
		t->name = xstrdup("");
	t->description = col_text(st, 2);
	if (!t->description)
		t->description = xstrdup("");
	t->type = type_parse((const char *)sqlite3_column_text(st, 3));
	p = sqlite3_column_text(st, 4);
	snprintf(t->access_key, sizeof(t->access_key), "%s",
		 p ? (const char *)p : "");
	t->encrypted_key = col_text(st, 5);
	t->last_used_at = col_opt(st, 6, TIME_NULL);
	t->expires_at = col_opt(st, 7, TIME_NULL);
	t->lifespan = col_opt(st, 8, 0);
	t->kind = kind_parse((const char *)sqlite3_column_text(st, 9));
	t->owner_id = col_opt(st, 10, 0);
	t->created_at = col_opt(st, 11, 0);
	t->updated_at = col_opt(st, 12, 0);
}

/* One token and its permissions, by id or by hash, in one statement. */
static int
token_fetch(struct store *s, const char *sql, int64_t id, const char *hash,
	    struct token_row *t)
{
	struct sq_conn *c;
	struct sq_stmt q;
	bool found = false;
	char *action;
	int ret;

	token_row_init(t);
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c, sql, true, "read a token", &q);
	if (ret)
		return ret;
	if (hash)
		bind_text(&q, 1, hash);
	else
		bind_i64(&q, 1, id);
	while ((ret = stmt_step(&q)) == 1) {
		if (!found) {
			read_token(q.st, t);
			found = true;
		}
		action = col_text(q.st, TOKEN_NCOLS);
		if (action)
			backend_token_add_permission(t, action);
	}
	stmt_done(&q);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret)
		token_row_release(t);
	return ret;
}

static int
sq_token_get(struct store *s, int64_t id, struct token_row *t)
{
	return token_fetch(s,
			   "SELECT " TOKEN_COLS ", p.action"
			   " FROM strapi_api_tokens t"
			   " LEFT JOIN strapi_api_token_permissions p"
			   " ON p.token_id = t.id"
			   " WHERE t.id = ? ORDER BY p.action",
			   id, NULL, t);
}

static int
sq_token_get_by_hash(struct store *s, const char *hash, struct token_row *t)
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
			   " WHERE t.access_key = ? ORDER BY p.action",
			   0, hash, t);
}

static int
sq_token_name_taken(struct store *s, const char *name, int64_t exclude_id,
		    int kind_or_any, bool *taken)
{
	static const char any[] = "SELECT 1 FROM strapi_api_tokens t"
				  " WHERE t.name = ? AND t.id <> ? LIMIT 1";
	static const char content[] =
	    "SELECT 1 FROM strapi_api_tokens t"
	    " WHERE t.name = ? AND t.id <> ? AND " KIND_CONTENT_COND " LIMIT 1";
	static const char admin[] =
	    "SELECT 1 FROM strapi_api_tokens t"
	    " WHERE t.name = ? AND t.id <> ? AND " KIND_ADMIN_COND " LIMIT 1";
	struct sq_conn *c;
	struct sq_stmt q;
	const char *sql;
	int ret;

	*taken = false;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	if (kind_or_any < 0)
		sql = any;
	else if (kind_or_any == TOKEN_KIND_ADMIN)
		sql = admin;
	else
		sql = content;
	ret = stmt_prepare(c, sql, true, "check a token name", &q);
	if (ret)
		return ret;
	bind_text(&q, 1, name ? name : "");
	bind_i64(&q, 2, exclude_id);
	ret = stmt_step(&q);
	if (ret == 1) {
		*taken = true;
		ret = 0;
	}
	stmt_done(&q);
	return ret;
}

static int
sq_token_list(struct store *s, int kind, struct token_row **rows, size_t *n)
{
	struct token_row *r = NULL, **by_id = NULL;
	size_t nr = 0, alloc = 0, i, j;
	struct buf sql = BUF_INIT;
	const char *cond = "";
	struct sq_conn *c;
	struct sq_stmt q;
	int ret, ret2;

	*rows = NULL;
	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	if (kind == TOKEN_KIND_ADMIN)
		cond = " WHERE " KIND_ADMIN_COND;
	else if (kind >= 0)
		cond = " WHERE " KIND_CONTENT_COND;

	/* both reads in one snapshot */
	ret = tx_enter(c, false);
	if (ret)
		return ret;
	buf_addf(&sql,
		 "SELECT " TOKEN_COLS " FROM strapi_api_tokens t%s"
		 " ORDER BY t.name, t.id",
		 cond);
	ret = stmt_prepare(c, sql.ptr, true, "list tokens", &q);
	if (ret)
		goto out;
	while ((ret = stmt_step(&q)) == 1) {
		if (nr == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			r = xrealloc(r, alloc * sizeof(*r));
		}
		token_row_init(&r[nr]);
		read_token(q.st, &r[nr]);
		nr++;
	}
	stmt_done(&q);
	if (ret || nr == 0)
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
	ret = stmt_prepare(c, sql.ptr, true, "list token permissions", &q);
	if (ret)
		goto out;
	j = 0;
	while ((ret = stmt_step(&q)) == 1) {
		int64_t tid = sqlite3_column_int64(q.st, 0);
		char *action;

		while (j < nr && by_id[j]->id < tid)
			j++;
		if (j == nr || by_id[j]->id != tid)
			continue;
		action = col_text(q.st, 1);
		if (action)
			backend_token_add_permission(by_id[j], action);
	}
	stmt_done(&q);
out:
	ret2 = tx_finish(c, ret);
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
	*rows = r;
	*n = nr;
	return 0;
}

/* Insert 't''s permissions for token 'id' (inside a transaction). */
static int
insert_permissions(struct sq_conn *c, int64_t id, const struct token_row *t,
		   int64_t when)
{
	struct sq_stmt q;
	size_t i;
	int ret = 0;

	for (i = 0; i < t->n_permissions && ret == 0; i++) {
		ret = stmt_prepare(c,
				   "INSERT OR IGNORE INTO"
				   " strapi_api_token_permissions"
				   "(token_id, action, created_at, updated_at)"
				   " VALUES(?, ?, ?, ?)",
				   true, "insert a token permission", &q);
		if (ret)
			break;
		bind_i64(&q, 1, id);
		bind_text(&q, 2, t->permissions[i]);
		bind_i64(&q, 3, when);
		bind_i64(&q, 4, when);
		ret = stmt_step(&q);
		stmt_done(&q);
	}
	return ret;
}

static int
sq_token_insert(struct store *s, struct token_row *t)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t id = 0;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = stmt_prepare(c,
			   "INSERT INTO strapi_api_tokens(name, description,"
			   " type, access_key, encrypted_key, last_used_at,"
			   " expires_at, lifespan, kind, admin_user_owner_id,"
			   " created_at, updated_at)"
			   " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   true, "insert a token", &q);
	if (ret)
		goto out;
	bind_text(&q, 1, t->name);
	bind_text(&q, 2, t->description ? t->description : "");
	bind_text(&q, 3, backend_type_text(t->type));
	bind_text(&q, 4, t->access_key);
	bind_text(&q, 5, t->encrypted_key);
	bind_opt(&q, 6, t->last_used_at, TIME_NULL);
	bind_opt(&q, 7, t->expires_at, TIME_NULL);
	bind_opt(&q, 8, t->lifespan, 0);
	bind_text(&q, 9, backend_kind_text(t->kind));
	bind_opt(&q, 10, t->owner_id, 0);
	bind_i64(&q, 11, t->created_at);
	bind_i64(&q, 12, t->updated_at);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret)
		goto out;
	id = sqlite3_last_insert_rowid(c->db);
	ret = insert_permissions(c, id, t, t->created_at);
out:
	ret = tx_finish(c, ret);
	if (ret == 0)
		t->id = id;
	return ret;
}

static int
sq_token_update(struct store *s, const struct token_row *t, unsigned flags)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret, idx = 1;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "UPDATE strapi_api_tokens SET updated_at = ?");
	if (flags & TOKEN_UPD_NAME)
		buf_addstr(&sql, ", name = ?");
	if (flags & TOKEN_UPD_DESCRIPTION)
		buf_addstr(&sql, ", description = ?");
	if (flags & TOKEN_UPD_TYPE)
		buf_addstr(&sql, ", type = ?");
	if (flags & TOKEN_UPD_LIFESPAN)
		buf_addstr(&sql, ", lifespan = ?, expires_at = ?");
	if (flags & TOKEN_UPD_KEY)
		buf_addstr(&sql, ", access_key = ?, encrypted_key = ?");
	if (flags & TOKEN_UPD_KIND)
		buf_addstr(&sql, ", kind = ?");
	buf_addstr(&sql, " WHERE id = ?");

	ret = tx_enter(c, true);
	if (ret) {
		buf_release(&sql);
		return ret;
	}
	conn_dirty(c);
	ret = stmt_prepare(c, sql.ptr, true, "update a token", &q);
	if (ret)
		goto out;
	bind_i64(&q, idx++, t->updated_at);
	if (flags & TOKEN_UPD_NAME)
		bind_text(&q, idx++, t->name);
	if (flags & TOKEN_UPD_DESCRIPTION)
		bind_text(&q, idx++, t->description ? t->description : "");
	if (flags & TOKEN_UPD_TYPE)
		bind_text(&q, idx++, backend_type_text(t->type));
	if (flags & TOKEN_UPD_LIFESPAN) {
		bind_opt(&q, idx++, t->lifespan, 0);
		bind_opt(&q, idx++, t->expires_at, TIME_NULL);
	}
	if (flags & TOKEN_UPD_KEY) {
		bind_text(&q, idx++, t->access_key);
		bind_text(&q, idx++, t->encrypted_key);
	}
	if (flags & TOKEN_UPD_KIND)
		bind_text(&q, idx++, backend_kind_text(t->kind));
	bind_i64(&q, idx, t->id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret)
		goto out;
	if (sqlite3_changes(c->db) == 0) {
		ret = ERR_NOT_FOUND;
		goto out;
	}
	if (flags & TOKEN_UPD_PERMISSIONS) {
		ret = stmt_prepare(c,
				   "DELETE FROM strapi_api_token_permissions"
				   " WHERE token_id = ?",
				   true, "delete token permissions", &q);
		if (ret)
			goto out;
		bind_i64(&q, 1, t->id);
		ret = stmt_step(&q);
		stmt_done(&q);
		if (ret)
			goto out;
		ret = insert_permissions(c, t->id, t, t->updated_at);
	}
out:
	ret = tx_finish(c, ret);
	buf_release(&sql);
	return ret;
}

static int
sq_token_delete(struct store *s, int64_t id)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c, "DELETE FROM strapi_api_tokens WHERE id = ?",
			   true, "delete a token", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_i64(&q, 1, id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && sqlite3_changes(c->db) == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

static int
sq_token_touch(struct store *s, int64_t id, int64_t now, int64_t min_age)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "UPDATE strapi_api_tokens"
			   " SET last_used_at = ?1, updated_at = ?1"
			   " WHERE id = ?2 AND (last_used_at IS NULL"
			   " OR last_used_at <= ?1 - ?3)",
			   true, "touch a token", &q);
	if (ret)
		return ret;
	bind_i64(&q, 1, now);
	bind_i64(&q, 2, id);
	bind_i64(&q, 3, min_age);
	ret = stmt_step(&q);
	stmt_done(&q);
	return ret;
}

static int
sq_token_count(struct store *s, int64_t *n)
{
	struct sq_conn *c;
	int ret;

	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	return query_i64(c, "SELECT COUNT(*) FROM strapi_api_tokens",
			 "count tokens", n);
}

static int
sq_admin_user_count(struct store *s, int64_t *n)
{
	struct sq_conn *c;
	int ret;

	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	return query_i64(c, "SELECT COUNT(*) FROM admin_users",
			 "count admin users", n);
}

/*
 * PRAGMA data_version moves when another connection commits; this
 * connection's own writes set the cache's 'dirty'. Only then is the
 * counter read again. Inside a transaction it is always read (it may
 * roll back).
 */
static int
generation_read(struct store *s, bool admin, uint64_t *gen)
{
	static const char token_sql[] =
	    "SELECT CAST(value AS INTEGER) FROM tollgate_meta"
	    " WHERE key = 'token_generation'";
	static const char admin_sql[] =
	    "SELECT CAST(value AS INTEGER) FROM tollgate_meta"
	    " WHERE key = 'admin_generation'";
	struct sq_store *st = s->priv;
	struct gen_cache *gc;
	struct sq_conn *c;
	int64_t dv, g;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	gc = admin ? &c->admin_gen : &c->token_gen;
	if (st->watching && c->depth == 0) {
		/* no SQLite call at all while nothing changed */
		uint64_t seq = atomic_load_explicit(&st->change_seq,
						    memory_order_acquire);

		if (gc->valid && gc->seq == seq) {
			*gen = gc->value;
			return 0;
		}
		ret = query_i64(c, admin ? admin_sql : token_sql,
				admin ? "read the admin generation"
				      : "read the token generation",
				&g);
		if (ret)
			return ret;
		gc->value = (uint64_t)g;
		gc->seq = seq;
		gc->valid = true;
		gc->dirty = false;
		*gen = gc->value;
		return 0;
	}
	ret = query_i64(c, "PRAGMA data_version", "read the data version", &dv);
	if (ret)
		return ret;
	if (gc->valid && !gc->dirty && c->depth == 0 && !st->mem &&
	    dv == gc->data_version) {
		*gen = gc->value;
		return 0;
	}
	ret = query_i64(c, admin ? admin_sql : token_sql,
			admin ? "read the admin generation"
			      : "read the token generation",
			&g);
	if (ret)
		return ret;
	gc->data_version = dv;
	gc->value = (uint64_t)g;
	gc->valid = true;
	if (c->depth == 0)
		gc->dirty = false;
	*gen = gc->value;
	return 0;
}

static int
sq_token_generation(struct store *s, uint64_t *gen)
{
	return generation_read(s, false, gen);
}

static int
sq_token_prune_permissions(struct store *s, const struct schema_registry *reg,
			   int64_t *removed)
{
	char **gone = NULL;
	size_t n_gone = 0, i;
	struct sq_conn *c;
	struct sq_stmt q;
	char *action;
	int ret;

	*removed = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "SELECT DISTINCT action"
			   " FROM strapi_api_token_permissions",
			   false, "list permission actions", &q);
	if (ret)
		goto out;
	while ((ret = stmt_step(&q)) == 1) {
		action = col_text(q.st, 0);
		if (!action)
			continue;
		if (backend_action_registered(reg, action)) {
			free(action);
			continue;
		}
		gone = xrealloc(gone, (n_gone + 1) * sizeof(*gone));
		gone[n_gone++] = action;
	}
	stmt_done(&q);
	for (i = 0; ret == 0 && i < n_gone; i++) {
		conn_dirty(c);
		ret = stmt_prepare(c,
				   "DELETE FROM strapi_api_token_permissions"
				   " WHERE action = ?",
				   false, "delete stale permissions", &q);
		if (ret)
			break;
		bind_text(&q, 1, gone[i]);
		ret = stmt_step(&q);
		stmt_done(&q);
		if (ret == 0)
			*removed += sqlite3_changes(c->db);
	}
out:
	ret = tx_finish(c, ret);
	for (i = 0; i < n_gone; i++)
		free(gone[i]);
	free(gone);
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
		log_error("sqlite: cannot make a document id");
		return ret;
	}
	*out = xstrdup(id);
	return 0;
}

/* One integer from 'sql' with one integer parameter; 0 when no row. */
static int
query_i64_arg(struct sq_conn *c, const char *sql, int64_t arg, const char *what,
	      int64_t *out)
{
	struct sq_stmt q;
	int ret;

	*out = 0;
	ret = stmt_prepare(c, sql, true, what, &q);
	if (ret)
		return ret;
	bind_i64(&q, 1, arg);
	ret = stmt_step(&q);
	if (ret == 1) {
		*out = sqlite3_column_int64(q.st, 0);
		ret = 0;
	}
	stmt_done(&q);
	return ret;
}

/* Run 'sql' (no rows) with one integer parameter. */
static int
exec_i64(struct sq_conn *c, const char *sql, int64_t arg, const char *what)
{
	struct sq_stmt q;
	int ret;

	ret = stmt_prepare(c, sql, true, what, &q);
	if (ret)
		return ret;
	bind_i64(&q, 1, arg);
	ret = stmt_step(&q);
	stmt_done(&q);
	return ret;
}

/* NOT NULL text columns read as "" should a hand edit have broken them. */
static char *
col_text_nn(sqlite3_stmt *st, int col)
{
	char *s = col_text(st, col);

	return s ? s : xstrdup("");
}

static void
read_role(sqlite3_stmt *st, int first, struct admin_role *r)
{
	r->id = sqlite3_column_int64(st, first);
	r->document_id = col_text(st, first + 1);
	r->name = col_text_nn(st, first + 2);
	r->code = col_text_nn(st, first + 3);
	r->description = col_text(st, first + 4);
	r->created_at = col_opt(st, first + 5, 0);
	r->updated_at = col_opt(st, first + 6, 0);
}

static void
read_user(sqlite3_stmt *st, struct admin_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->document_id = col_text(st, 1);
	u->firstname = col_text(st, 2);
	u->lastname = col_text(st, 3);
	u->username = col_text(st, 4);
	u->email = col_text(st, 5);
	u->password = col_text(st, 6);
	u->is_active = sqlite3_column_int64(st, 7) != 0;
	u->blocked = sqlite3_column_int64(st, 8) != 0;
	u->prefered_language = col_text(st, 9);
	u->created_at = col_opt(st, 10, 0);
	u->updated_at = col_opt(st, 11, 0);
}

/* Append the role at column 'first' of the current row to u->roles. */
static void
user_add_role(struct admin_user *u, sqlite3_stmt *st, int first)
{
	u->roles = xrealloc(u->roles, (u->n_roles + 1) * sizeof(*u->roles));
	admin_role_init(&u->roles[u->n_roles]);
	read_role(st, first, &u->roles[u->n_roles]);
	u->n_roles++;
}

static int
load_user_roles(struct sq_conn *c, struct admin_user *u)
{
	struct sq_stmt q;
	int ret;

	ret = stmt_prepare(c,
			   "SELECT " ROLE_COLS " FROM admin_users_roles_lnk l"
			   " JOIN admin_roles r ON r.id = l.role_id"
			   " WHERE l.user_id = ? ORDER BY r.id",
			   true, "read a user's roles", &q);
	if (ret)
		return ret;
	bind_i64(&q, 1, u->id);
	while ((ret = stmt_step(&q)) == 1)
		user_add_role(u, q.st, 0);
	stmt_done(&q);
	return ret;
}

/* One user (by id, or by 'email' when not NULL) and their roles. */
static int
user_fetch(struct store *s, const char *sql, int64_t id, const char *email,
	   struct admin_user *u)
{
	struct sq_conn *c;
	struct sq_stmt q;
	bool found = false;
	int ret;

	admin_user_init(u);
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	/* the user and their roles in one snapshot */
	ret = tx_enter(c, false);
	if (ret)
		return ret;
	ret = stmt_prepare(c, sql, true, "read an admin user", &q);
	if (ret)
		goto out;
	if (email)
		bind_text(&q, 1, email);
	else
		bind_i64(&q, 1, id);
	ret = stmt_step(&q);
	if (ret == 1) {
		read_user(q.st, u);
		found = true;
		ret = 0;
	}
	stmt_done(&q);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret == 0)
		ret = load_user_roles(c, u);
out:
	ret = tx_finish(c, ret);
	if (ret)
		admin_user_release(u);
	return ret;
}

static int
sq_user_get(struct store *s, int64_t id, struct admin_user *u)
{
	return user_fetch(s,
			  "SELECT " USER_COLS " FROM admin_users u"
			  " WHERE u.id = ?",
			  id, NULL, u);
}

static int
sq_user_get_by_email(struct store *s, const char *email, struct admin_user *u)
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
			 " WHERE u.email = ? COLLATE NOCASE",
			 0, folded, u);
	free(folded);
	return ret;
}

static int
sq_user_list(struct store *s, int64_t offset, int64_t limit,
	     struct admin_user **users, size_t *n, int64_t *total)
{
	struct admin_user *u = NULL;
	size_t nu = 0, alloc = 0, i, j;
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t count = 0;
	int ret;

	*users = NULL;
	*n = 0;
	if (total)
		*total = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	/* the count, the page and its roles in one snapshot */
	ret = tx_enter(c, false);
	if (ret)
		return ret;
	ret = query_i64(c, "SELECT COUNT(*) FROM admin_users",
			"count admin users", &count);
	if (ret)
		goto out;
	ret = stmt_prepare(c,
			   "SELECT " USER_COLS " FROM admin_users u"
			   " ORDER BY u.id LIMIT ? OFFSET ?",
			   true, "list admin users", &q);
	if (ret)
		goto out;
	bind_i64(&q, 1, limit < 0 ? -1 : limit);
	bind_i64(&q, 2, offset < 0 ? 0 : offset);
	while ((ret = stmt_step(&q)) == 1) {
		if (nu == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			u = xrealloc(u, alloc * sizeof(*u));
		}
		admin_user_init(&u[nu]);
		read_user(q.st, &u[nu]);
		nu++;
	}
	stmt_done(&q);
	if (ret || nu == 0)
		goto out;

	/* the page is a contiguous id range: its links are that range's */
	ret = stmt_prepare(c,
			   "SELECT l.user_id, " ROLE_COLS
			   " FROM admin_users_roles_lnk l"
			   " JOIN admin_roles r ON r.id = l.role_id"
			   " WHERE l.user_id BETWEEN ? AND ?"
			   " ORDER BY l.user_id, r.id",
			   true, "list admin users' roles", &q);
	if (ret)
		goto out;
	bind_i64(&q, 1, u[0].id);
	bind_i64(&q, 2, u[nu - 1].id);
	j = 0;
	while ((ret = stmt_step(&q)) == 1) {
		int64_t uid = sqlite3_column_int64(q.st, 0);

		while (j < nu && u[j].id < uid)
			j++;
		if (j == nu || u[j].id != uid)
			continue;
		user_add_role(&u[j], q.st, 1);
	}
	stmt_done(&q);
out:
	ret = tx_finish(c, ret);
	if (ret) {
		for (i = 0; i < nu; i++)
			admin_user_release(&u[i]);
		free(u);
		return ret;
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
link_roles(struct sq_conn *c, int64_t user_id, const struct admin_role *roles,
	   size_t n)
{
	struct sq_stmt q;
	size_t i, k;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++) {
		for (k = 0; k < i; k++)
			if (roles[k].id == roles[i].id)
				break;
		if (k < i)
			continue;
		ret = stmt_prepare(c,
				   "INSERT INTO admin_users_roles_lnk"
				   "(user_id, role_id) SELECT ?, id"
				   " FROM admin_roles WHERE id = ?",
				   true, "link a user to a role", &q);
		if (ret)
			break;
		bind_i64(&q, 1, user_id);
		bind_i64(&q, 2, roles[i].id);
		ret = stmt_step(&q);
		stmt_done(&q);
		if (ret == 0 && sqlite3_changes(c->db) == 0)
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
sq_user_insert(struct store *s, struct admin_user *u)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t id = 0;
	int ret;

	ret = conn_get(s, &c);
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

	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = stmt_prepare(c,
			   "INSERT INTO admin_users(document_id, firstname,"
			   " lastname, username, email, password, is_active,"
			   " blocked, prefered_language, created_at,"
			   " updated_at)"
			   " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   true, "insert an admin user", &q);
	if (ret)
		goto out;
	bind_text(&q, 1, u->document_id);
	bind_text(&q, 2, u->firstname);
	bind_text(&q, 3, u->lastname);
	bind_text(&q, 4, u->username);
	bind_text(&q, 5, u->email);
	bind_text(&q, 6, u->password);
	bind_i64(&q, 7, u->is_active);
	bind_i64(&q, 8, u->blocked);
	bind_text(&q, 9, u->prefered_language);
	bind_i64(&q, 10, u->created_at);
	bind_i64(&q, 11, u->updated_at);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret)
		goto out;
	id = sqlite3_last_insert_rowid(c->db);
	ret = link_roles(c, id, u->roles, u->n_roles);
out:
	ret = tx_finish(c, ret);
	if (ret == 0)
		u->id = id;
	return ret;
}

/* updated_at is u->updated_at, or now when that is 0. */
static int
sq_user_update(struct store *s, const struct admin_user *u, unsigned flags)
{
	struct buf sql = BUF_INIT;
	char *email = NULL;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret, idx = 1;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "UPDATE admin_users SET updated_at = ?");
	if (flags & USER_UPD_FIRSTNAME)
		buf_addstr(&sql, ", firstname = ?");
	if (flags & USER_UPD_LASTNAME)
		buf_addstr(&sql, ", lastname = ?");
	if (flags & USER_UPD_USERNAME)
		buf_addstr(&sql, ", username = ?");
	if (flags & USER_UPD_EMAIL)
		buf_addstr(&sql, ", email = ?");
	if (flags & USER_UPD_PASSWORD)
		buf_addstr(&sql, ", password = ?");
	if (flags & USER_UPD_ACTIVE)
		buf_addstr(&sql, ", is_active = ?");
	if (flags & USER_UPD_BLOCKED)
		buf_addstr(&sql, ", blocked = ?");
	if (flags & USER_UPD_LANGUAGE)
		buf_addstr(&sql, ", prefered_language = ?");
	buf_addstr(&sql, " WHERE id = ?");
	email = xstrdup(u->email);
	backend_email_fold(email);

	ret = tx_enter(c, true);
	if (ret)
		goto done;
	conn_dirty(c);
	ret = stmt_prepare(c, sql.ptr, true, "update an admin user", &q);
	if (ret)
		goto out;
	bind_i64(&q, idx++, u->updated_at ? u->updated_at : time_now_ms());
	if (flags & USER_UPD_FIRSTNAME)
		bind_text(&q, idx++, u->firstname);
	if (flags & USER_UPD_LASTNAME)
		bind_text(&q, idx++, u->lastname);
	if (flags & USER_UPD_USERNAME)
		bind_text(&q, idx++, u->username);
	if (flags & USER_UPD_EMAIL)
		bind_text(&q, idx++, email);
	if (flags & USER_UPD_PASSWORD)
		bind_text(&q, idx++, u->password);
	if (flags & USER_UPD_ACTIVE)
		bind_i64(&q, idx++, u->is_active);
	if (flags & USER_UPD_BLOCKED)
		bind_i64(&q, idx++, u->blocked);
	if (flags & USER_UPD_LANGUAGE)
		bind_text(&q, idx++, u->prefered_language);
	bind_i64(&q, idx, u->id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret)
		goto out;
	if (sqlite3_changes(c->db) == 0) {
		ret = ERR_NOT_FOUND;
		goto out;
	}
	if (flags & USER_UPD_ROLES) {
		ret = exec_i64(c,
			       "DELETE FROM admin_users_roles_lnk"
			       " WHERE user_id = ?",
			       u->id, "unlink a user's roles");
		if (ret == 0)
			ret = link_roles(c, u->id, u->roles, u->n_roles);
	}
out:
	ret = tx_finish(c, ret);
done:
	free(email);
	buf_release(&sql);
	return ret;
}

/*
 * The user's admin tokens go with them (their permissions explicitly, not
 * only by cascade, so a database edited without foreign keys stays clean),
 * then sessions, role links and the row itself.
 */
static int
sq_user_delete(struct store *s, int64_t id)
{
	static const char *const steps[][2] = {
	    {"DELETE FROM admin_permissions WHERE api_token_id IN"
	     " (SELECT id FROM strapi_api_tokens"
	     " WHERE kind = 'admin' AND admin_user_owner_id = ?)",
	     "delete a user's token permissions"},
	    {"DELETE FROM strapi_api_tokens"
	     " WHERE kind = 'admin' AND admin_user_owner_id = ?",
	     "delete a user's admin tokens"},
	    {"DELETE FROM admin_sessions WHERE user_id = ?",
	     "delete a user's sessions"},
	    {"DELETE FROM admin_users_roles_lnk WHERE user_id = ?",
	     "unlink a user's roles"},
	    {"DELETE FROM admin_users WHERE id = ?", "delete an admin user"},
	};
	struct sq_conn *c;
	int64_t found = 0;
	size_t i;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, "SELECT COUNT(*) FROM admin_users WHERE id = ?",
			    id, "find an admin user", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	for (i = 0; i < ARRAY_SIZE(steps) && ret == 0; i++)
		ret = exec_i64(c, steps[i][0], id, steps[i][1]);
	return tx_finish(c, ret);
}

/* One role with its users_count, by id or by 'code' when not NULL. */
static int
role_fetch(struct store *s, const char *sql, int64_t id, const char *code,
	   struct admin_role *r)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	admin_role_init(r);
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c, sql, true, "read a role", &q);
	if (ret)
		return ret;
	if (code)
		bind_text(&q, 1, code);
	else
		bind_i64(&q, 1, id);
	ret = stmt_step(&q);
	if (ret == 1) {
		read_role(q.st, 0, r);
		r->users_count = sqlite3_column_int64(q.st, ROLE_NCOLS);
		ret = 0;
	} else if (ret == 0) {
		ret = ERR_NOT_FOUND;
	}
	stmt_done(&q);
	return ret;
}

static int
sq_role_get(struct store *s, int64_t id, struct admin_role *r)
{
	return role_fetch(s,
			  "SELECT " ROLE_COLS ", " USERS_COUNT_COL
			  " FROM admin_roles r WHERE r.id = ?",
			  id, NULL, r);
}

static int
sq_role_get_by_code(struct store *s, const char *code, struct admin_role *r)
{
	if (!code) {
		admin_role_init(r);
		return ERR_NOT_FOUND;
	}
	return role_fetch(s,
			  "SELECT " ROLE_COLS ", " USERS_COUNT_COL
			  " FROM admin_roles r WHERE r.code = ?",
			  0, code, r);
}

static int
sq_role_list(struct store *s, struct admin_role **roles, size_t *n)
{
	struct admin_role *r = NULL;
	size_t nr = 0, alloc = 0, i;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	*roles = NULL;
	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "SELECT " ROLE_COLS ", " USERS_COUNT_COL
			   " FROM admin_roles r ORDER BY r.id",
			   true, "list roles", &q);
	if (ret)
		return ret;
	while ((ret = stmt_step(&q)) == 1) {
		if (nr == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			r = xrealloc(r, alloc * sizeof(*r));
		}
		admin_role_init(&r[nr]);
		read_role(q.st, 0, &r[nr]);
		r[nr].users_count = sqlite3_column_int64(q.st, ROLE_NCOLS);
		nr++;
	}
	stmt_done(&q);
	if (ret) {
		for (i = 0; i < nr; i++)
			admin_role_release(&r[i]);
		free(r);
		return ret;
	}
	*roles = r;
	*n = nr;
	return 0;
}

/* As for users: a missing document id is made, the times default to now. */
static int
sq_role_insert(struct store *s, struct admin_role *r)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	if (!r->name || !r->code)
		return ERR_VALIDATION;
	ret = conn_get(s, &c);
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
	ret = stmt_prepare(c,
			   "INSERT INTO admin_roles(document_id, name, code,"
			   " description, created_at, updated_at)"
			   " VALUES(?, ?, ?, ?, ?, ?)",
			   true, "insert a role", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_text(&q, 1, r->document_id);
	bind_text(&q, 2, r->name);
	bind_text(&q, 3, r->code);
	bind_text(&q, 4, r->description);
	bind_i64(&q, 5, r->created_at);
	bind_i64(&q, 6, r->updated_at);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0) {
		r->id = sqlite3_last_insert_rowid(c->db);
		r->users_count = 0;
	}
	return ret;
}

/*
 * Writes name, code and description; a NULL name or code keeps the stored
 * one (both are required), a NULL description clears it. updated_at is
 * r->updated_at, or now when that is 0.
 */
static int
sq_role_update(struct store *s, const struct admin_role *r)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "UPDATE admin_roles SET name = COALESCE(?, name),"
			   " code = COALESCE(?, code), description = ?,"
			   " updated_at = ? WHERE id = ?",
			   true, "update a role", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_text(&q, 1, r->name);
	bind_text(&q, 2, r->code);
	bind_text(&q, 3, r->description);
	bind_i64(&q, 4, r->updated_at ? r->updated_at : time_now_ms());
	bind_i64(&q, 5, r->id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && sqlite3_changes(c->db) == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

static int
sq_role_delete(struct store *s, int64_t id)
{
	struct sq_conn *c;
	int64_t found = 0, users = 0;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, "SELECT COUNT(*) FROM admin_roles WHERE id = ?",
			    id, "find a role", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret == 0)
		ret = query_i64_arg(c,
				    "SELECT COUNT(*) FROM admin_users_roles_lnk"
				    " WHERE role_id = ?",
				    id, "count a role's users", &users);
	if (ret == 0 && users > 0)
		ret = ERR_CONFLICT;
	if (ret == 0)
		ret = exec_i64(c,
			       "DELETE FROM admin_permissions"
			       " WHERE role_id = ?",
			       id, "delete a role's permissions");
	if (ret == 0)
		ret = exec_i64(c, "DELETE FROM admin_roles WHERE id = ?", id,
			       "delete a role");
	return tx_finish(c, ret);
}

/* Where a permission set hangs: a role or an admin token. */
struct perm_owner {
	const char *exists_sql; /* one row when the owner exists */
	const char *list_sql;
	const char *delete_sql;
	const char *insert_sql;
};

static const struct perm_owner role_owner = {
    "SELECT COUNT(*) FROM admin_roles WHERE id = ?",
    "SELECT " PERM_COLS " FROM admin_permissions WHERE role_id = ?"
    " ORDER BY id",
    "DELETE FROM admin_permissions WHERE role_id = ?",
    "INSERT INTO admin_permissions(role_id, document_id, action, subject,"
    " properties, conditions, created_at, updated_at)"
    " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
};

static const struct perm_owner token_owner = {
    "SELECT COUNT(*) FROM strapi_api_tokens WHERE id = ?",
    "SELECT " PERM_COLS " FROM admin_permissions WHERE api_token_id = ?"
    " ORDER BY id",
    "DELETE FROM admin_permissions WHERE api_token_id = ?",
    "INSERT INTO admin_permissions(api_token_id, document_id, action,"
    " subject, properties, conditions, created_at, updated_at)"
    " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
};

static int
perms_fetch(struct store *s, const struct perm_owner *o, int64_t owner_id,
	    struct admin_permission **perms, size_t *n)
{
	struct admin_permission *p = NULL, *x;
	size_t np = 0, alloc = 0;
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t found = 0;
	int ret;

	*perms = NULL;
	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, false);
	if (ret)
		return ret;
	ret = query_i64_arg(c, o->exists_sql, owner_id,
			    "find a permission owner", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret)
		goto out;
	ret = stmt_prepare(c, o->list_sql, true, "list admin permissions", &q);
	if (ret)
		goto out;
	bind_i64(&q, 1, owner_id);
	while ((ret = stmt_step(&q)) == 1) {
		if (np == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			p = xrealloc(p, alloc * sizeof(*p));
		}
		x = &p[np++];
		x->id = sqlite3_column_int64(q.st, 0);
		x->action = col_text_nn(q.st, 1);
		x->subject = col_text(q.st, 2);
		x->properties = col_text(q.st, 3);
		if (!x->properties)
			x->properties = xstrdup("{}");
		x->conditions = col_text(q.st, 4);
		if (!x->conditions)
			x->conditions = xstrdup("[]");
		x->created_at = col_opt(q.st, 5, 0);
		x->updated_at = col_opt(q.st, 6, 0);
	}
	stmt_done(&q);
out:
	ret = tx_finish(c, ret);
	if (ret) {
		admin_permissions_free(p, np);
		return ret;
	}
	*perms = p;
	*n = np;
	return 0;
}

/*
 * Replace the owner's whole set. tx_enter() nests as a savepoint inside a
 * caller's store_begin(), so a failure here undoes only this replacement.
 */
static int
perms_replace(struct store *s, const struct perm_owner *o, int64_t owner_id,
	      const struct admin_permission *perms, size_t n)
{
	const struct admin_permission *p;
	char *doc = NULL;
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t found = 0, now;
	size_t i;
	int ret;

	for (i = 0; i < n; i++)
		if (!perms[i].action)
			return ERR_VALIDATION;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = query_i64_arg(c, o->exists_sql, owner_id,
			    "find a permission owner", &found);
	if (ret == 0 && !found)
		ret = ERR_NOT_FOUND;
	if (ret == 0)
		ret = exec_i64(c, o->delete_sql, owner_id,
			       "delete admin permissions");
	now = time_now_ms();
	for (i = 0; i < n && ret == 0; i++) {
		p = &perms[i];
		ret = document_id_new(&doc);
		if (ret)
			break;
		ret = stmt_prepare(c, o->insert_sql, true,
				   "insert an admin permission", &q);
		if (ret)
			break;
		bind_i64(&q, 1, owner_id);
		bind_text(&q, 2, doc);
		bind_text(&q, 3, p->action);
		bind_text(&q, 4, p->subject);
		bind_text(&q, 5, p->properties ? p->properties : "{}");
		bind_text(&q, 6, p->conditions ? p->conditions : "[]");
		bind_i64(&q, 7, now);
		bind_i64(&q, 8, now);
		ret = stmt_step(&q);
		stmt_done(&q);
		free(doc);
		doc = NULL;
	}
	return tx_finish(c, ret);
}

static int
sq_role_permissions(struct store *s, int64_t role_id,
		    struct admin_permission **perms, size_t *n)
{
	return perms_fetch(s, &role_owner, role_id, perms, n);
}

static int
sq_role_set_permissions(struct store *s, int64_t role_id,
			const struct admin_permission *perms, size_t n)
{
	return perms_replace(s, &role_owner, role_id, perms, n);
}

static int
sq_token_admin_permissions(struct store *s, int64_t token_id,
			   struct admin_permission **perms, size_t *n)
{
	return perms_fetch(s, &token_owner, token_id, perms, n);
}

static int
sq_token_set_admin_permissions(struct store *s, int64_t token_id,
			       const struct admin_permission *perms, size_t n)
{
	return perms_replace(s, &token_owner, token_id, perms, n);
}

/* ---- admin sessions and public actions ------------------------------- */

/* ERR_NOT_FOUND when user 'user_id' does not exist; ERR_CONFLICT for a
 * session id already in use. */
static int
sq_session_insert(struct store *s, const char *sid, int64_t user_id,
		  int64_t expires_at)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	if (!sid)
		return ERR_VALIDATION;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "INSERT INTO admin_sessions(session_id, user_id,"
			   " expires_at, created_at)"
			   " SELECT ?, id, ?, ? FROM admin_users WHERE id = ?",
			   true, "insert a session", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_text(&q, 1, sid);
	bind_i64(&q, 2, expires_at);
	bind_i64(&q, 3, time_now_ms());
	bind_i64(&q, 4, user_id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && sqlite3_changes(c->db) == 0)
		ret = ERR_NOT_FOUND;
	return ret;
}

static int
sq_session_check(struct store *s, const char *sid, int64_t user_id, int64_t now,
		 bool *valid)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int64_t owner = 0, expires = 0;
	bool found = false;
	int ret;

	*valid = false;
	if (!sid)
		return 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "SELECT user_id, expires_at FROM admin_sessions"
			   " WHERE session_id = ?",
			   true, "read a session", &q);
	if (ret)
		return ret;
	bind_text(&q, 1, sid);
	ret = stmt_step(&q);
	if (ret == 1) {
		owner = sqlite3_column_int64(q.st, 0);
		expires = sqlite3_column_int64(q.st, 1);
		found = true;
		ret = 0;
	}
	stmt_done(&q);
	if (ret || !found)
		return ret;
	if (expires > now) {
		*valid = owner == user_id;
		return 0;
	}
	/*
	 * Expired: drop the row on the way. Only a clean-up, so a failure
	 * (logged) does not turn this "no" into an error.
	 */
	ret = stmt_prepare(c,
			   "DELETE FROM admin_sessions"
			   " WHERE session_id = ? AND expires_at <= ?",
			   true, "delete an expired session", &q);
	if (ret)
		return 0;
	conn_dirty(c);
	bind_text(&q, 1, sid);
	bind_i64(&q, 2, now);
	stmt_step(&q);
	stmt_done(&q);
	return 0;
}

/* Ending a session that is already gone is not an error. */
static int
sq_session_delete(struct store *s, const char *sid)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	if (!sid)
		return 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c, "DELETE FROM admin_sessions WHERE session_id = ?",
			   true, "delete a session", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_text(&q, 1, sid);
	ret = stmt_step(&q);
	stmt_done(&q);
	return ret;
}

static int
sq_session_delete_user(struct store *s, int64_t user_id, const char *keep_sid)
{
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "DELETE FROM admin_sessions WHERE user_id = ? "
			   "AND session_id <> ?",
			   false, "end a user's sessions", &q);
	if (ret)
		return ret;
	conn_dirty(c);
	bind_i64(&q, 1, user_id);
	bind_text(&q, 2, keep_sid ? keep_sid : "");
	ret = stmt_step(&q);
	stmt_done(&q);
	return ret;
}

static int
sq_public_actions(struct store *s, char ***actions, size_t *n)
{
	char **v = NULL;
	size_t nv = 0, alloc = 0, i;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	*actions = NULL;
	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = stmt_prepare(c,
			   "SELECT action FROM tollgate_public_actions"
			   " ORDER BY action",
			   true, "list public actions", &q);
	if (ret)
		return ret;
	while ((ret = stmt_step(&q)) == 1) {
		if (nv + 1 >= alloc) {
			alloc = alloc ? alloc * 2 : 8;
			v = xrealloc(v, alloc * sizeof(*v));
		}
		v[nv++] = col_text_nn(q.st, 0);
	}
	stmt_done(&q);
	if (ret) {
		for (i = 0; i < nv; i++)
			free(v[i]);
		free(v);
		return ret;
	}
	if (!v)
		v = xmalloc(sizeof(*v));
	v[nv] = NULL;
	*actions = v;
	*n = nv;
	return 0;
}

/* NULL entries are skipped, repeated ones stored once. */
static int
sq_set_public_actions(struct store *s, char *const *actions, size_t n)
{
	struct sq_conn *c;
	struct sq_stmt q;
	size_t i;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	ret = tx_enter(c, true);
	if (ret)
		return ret;
	conn_dirty(c);
	ret = exec_sql(c, "DELETE FROM tollgate_public_actions", true,
		       "clear public actions");
	for (i = 0; i < n && ret == 0; i++) {
		if (!actions[i])
			continue;
		ret = stmt_prepare(c,
				   "INSERT OR IGNORE INTO"
				   " tollgate_public_actions(action) VALUES(?)",
				   true, "insert a public action", &q);
		if (ret)
			break;
		bind_text(&q, 1, actions[i]);
		ret = stmt_step(&q);
		stmt_done(&q);
	}
	return tx_finish(c, ret);
}

static int
sq_admin_generation(struct store *s, uint64_t *gen)
{
	return generation_read(s, true, gen);
}

/* ---- content --------------------------------------------------------- */

enum col_type { COL_TEXT, COL_INT, COL_REAL };

static enum col_type
field_col_type(const struct field *f)
{
	switch (f->sys) {
	case SYS_ID:
	case SYS_CREATED_AT:
	case SYS_UPDATED_AT:
	case SYS_PUBLISHED_AT:
		return COL_INT;
	case SYS_DOCUMENT_ID:
		return COL_TEXT;
	case SYS_NONE:
	default:
		break;
	}
	switch (f->type) {
	case ATTR_INTEGER:
	case ATTR_BIGINTEGER:
	case ATTR_BOOLEAN:
	case ATTR_DATETIME:
		return COL_INT;
	case ATTR_FLOAT:
	case ATTR_DECIMAL:
		return COL_REAL;
	default:
		return COL_TEXT;
	}
}

static const char *
col_type_sql(enum col_type t)
{
	switch (t) {
	case COL_INT:
		return "INTEGER";
	case COL_REAL:
		return "REAL";
	case COL_TEXT:
	default:
		return "TEXT";
	}
}

/*
 * One cell into 'v'; a text goes into the text block of 'out'.
 *
 * The cell is read through sqlite3_column_value() once rather than by two
 * or three sqlite3_column_*() calls, each of which looks the column up and
 * checks for an allocation failure again (a tenth of a list's time). The
 * value is "unprotected": SQLite documents that reading it with
 * sqlite3_value_*() is not thread-safe, which matters only for a
 * connection shared between threads; ours belongs to the calling thread.
 */
static void
read_value(sqlite3_stmt *st, int col, const struct field *f,
	   struct store_rows *out, struct sqlval *v)
{
	sqlite3_value *cell = sqlite3_column_value(st, col);
	const unsigned char *p;

	memset(v, 0, sizeof(*v));
	if (sqlite3_value_type(cell) == SQLITE_NULL) {
		v->kind = SV_NULL;
		return;
	}
	switch (field_col_type(f)) {
	case COL_INT:
		v->kind = SV_INT;
		v->i = sqlite3_value_int64(cell);
		break;
	case COL_REAL:
		v->kind = SV_REAL;
		v->d = sqlite3_value_double(cell);
		break;
	case COL_TEXT:
	default:
		/* text first, then its length (the documented order) */
		p = sqlite3_value_text(cell);
		backend_rows_text(out, v, p ? (const char *)p : "",
				  p ? (size_t)sqlite3_value_bytes(cell) : 0);
		break;
	}
}

/*
 * Read every row 'q' yields into 'out', fresh from backend_rows_init()
 * (columns are ct->fields). 'expect' rows are made room for up front (the
 * LIMIT, when there is one; 0 when unknown), so a page does not grow the
 * array row by row.
 */
static int
read_rows(struct sq_stmt *q, const struct content_type *ct, size_t expect,
	  struct store_rows *out)
{
	size_t alloc = 0, j;
	struct sqlval *row;
	int ret;

	while ((ret = stmt_step(q)) == 1) {
		if (out->n_rows == alloc) {
			alloc = alloc ? alloc * 2 : expect ? expect : 8;
			out->v = xrealloc(out->v, alloc * ct->n_fields *
						      sizeof(*out->v));
		}
		row = &out->v[out->n_rows * ct->n_fields];
		for (j = 0; j < ct->n_fields; j++)
			read_value(q->st, (int)j, &ct->fields[j], out,
				   &row[j]);
		out->n_rows++;
	}
	backend_rows_text_done(out);
	return ret;
}

static void
bind_all(struct sq_stmt *q, int first, const struct sql_binds *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		bind_val(q, first + (int)i, &b->v[i]);
}

/*
 * The cached count of (ct, pub), when no connection has committed since it
 * was taken (data_version) and this one wrote nothing (conn_dirty and the
 * content writes empty the cache). Read inside the find's snapshot.
 */
static bool
count_cached(struct sq_conn *c, const struct content_type *ct, int pub,
	     uint64_t seq, int64_t *total)
{
	int64_t dv;
	size_t i;

	if (c->st->watching) {
		if (seq != c->counts_seq) {
			c->n_counts = 0;
			c->counts_seq = seq;
			return false;
		}
	} else {
		if (query_i64(c, "PRAGMA data_version",
			      "read the data version", &dv))
			return false;
		if (dv != c->counts_dv) {
			c->n_counts = 0;
			c->counts_dv = dv;
			return false;
		}
	}
	for (i = 0; i < c->n_counts; i++) {
		if (c->counts[i].ct == ct && c->counts[i].pub == pub) {
			*total = c->counts[i].total;
			return true;
		}
	}
	return false;
}

static void
count_store(struct sq_conn *c, const struct content_type *ct, int pub,
	    int64_t total)
{
	if (c->n_counts == COUNT_CACHE_SIZE)
		c->n_counts = 0;
	c->counts[c->n_counts].ct = ct;
	c->counts[c->n_counts].pub = pub;
	c->counts[c->n_counts].total = total;
	c->n_counts++;
}

/*
 * content_seq moves after every content commit of this process
 * (wal_committed(), tx_leave()) and, through the watcher, after every
 * commit of another process (which may have changed anything).
 */
static bool
sq_content_version(struct store *s, uint64_t *v)
{
	struct sq_store *st = s->priv;

	if (!st->watching)
		return false;
	*v = atomic_load_explicit(&st->content_seq, memory_order_acquire);
	return true;
}

static int
sq_content_find(struct store *s, const struct content_type *ct,
		const struct query *qy, enum pub_filter pub,
		struct store_rows *out, int64_t *total, struct err *e)
{
	struct buf where = BUF_INIT, sql = BUF_INIT;
	struct sql_binds binds;
	int64_t limit = -1, offset = 0;
	bool in_tx = false;
	struct sq_conn *c;
	struct sq_stmt q;
	uint64_t seq = 0;
	bool cacheable, counted = false;
	int ret, ret2;

	backend_rows_init(out, ct);
	if (total)
		*total = 0;
	sql_binds_init(&binds);
	ret = conn_get(s, &c);
	if (ret)
		goto out;

	/* one allocation each for a list's usual SQL, not a doubling series */
	buf_grow(&where, 127);
	buf_grow(&sql, 511);
	buf_addstr(&where, " WHERE ");
	sql_render_filter(&sql_dialect_sqlite, qy ? qy->filter : NULL, &where,
			  &binds);
	backend_add_pub_cond(&where, ct, pub);
	if (qy && pub == PUB_DRAFT && qy->has_published >= 0) {
		const char *doc =
		    backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id");

		buf_addstr(&where, qy->has_published ? " AND EXISTS ("
						     : " AND NOT EXISTS (");
		buf_addstr(&where, "SELECT 1 FROM ");
		sql_quote_ident(&where, ct->table);
		buf_addstr(&where, " AS tg_pub WHERE tg_pub.");
		sql_quote_ident(&where, doc);
		buf_addstr(&where, " = tg_outer.");
		sql_quote_ident(&where, doc);
		buf_addstr(&where, " AND tg_pub.");
		sql_quote_ident(&where, backend_sys_column(ct, SYS_PUBLISHED_AT,
							   "published_at"));
		buf_addstr(&where, " IS NOT NULL)");
	}
	if (qy) {
		limit = query_limit(qy);
		offset = query_offset(qy);
		if (limit <= 0)
			limit = -1;
		if (offset < 0)
			offset = 0;
	}

	cacheable = (!qy || !qy->filter) &&
		    !(qy && pub == PUB_DRAFT && qy->has_published >= 0);
	if (total) {
		/* before the snapshot: a commit after it moves the sequence */
		seq = atomic_load_explicit(&c->st->content_seq,
					   memory_order_acquire);
		/*
		 * A kept count (the sequence has not moved since it was taken)
		 * needs no snapshot shared with the page, which is one
		 * statement and so its own snapshot: no transaction then, which
		 * saves running two statements. Without the watcher the cache
		 * reads PRAGMA data_version, which must be the page's snapshot.
		 */
		if (cacheable && c->st->watching &&
		    count_cached(c, ct, pub, seq, total)) {
			counted = true;
		} else {
			/* the page and the count from one snapshot */
			ret = tx_enter(c, false);
			if (ret)
				goto out;
			in_tx = true;
		}
	}

	backend_add_select(&sql, ct);
	buf_add(&sql, where.ptr, where.len);
	buf_addch(&sql, ' ');
	sql_render_order(qy, &sql);
	buf_addstr(&sql, " LIMIT ? OFFSET ?");
	ret = stmt_prepare(c, sql.ptr, true, "find entries", &q);
	if (ret)
		goto out;
	bind_all(&q, 1, &binds);
	bind_i64(&q, (int)binds.n + 1, limit);
	bind_i64(&q, (int)binds.n + 2, offset);
	/* room for a full page, up to a bound (a big limit may match few) */
	ret = read_rows(&q, ct,
			limit > 0 ? (size_t)(limit < 100 ? limit : 100) : 0,
			out);
	stmt_done(&q);
	if (ret || !total || counted)
		goto out;

	if (cacheable && count_cached(c, ct, pub, seq, total))
		goto out;
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT COUNT(*) FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " AS tg_outer");
	buf_add(&sql, where.ptr, where.len);
	ret = stmt_prepare(c, sql.ptr, true, "count entries", &q);
	if (ret)
		goto out;
	bind_all(&q, 1, &binds);
	ret = stmt_step(&q);
	if (ret == 1) {
		*total = sqlite3_column_int64(q.st, 0);
		ret = 0;
		if (cacheable)
			count_store(c, ct, pub, *total);
	}
	stmt_done(&q);
out:
	if (in_tx) {
		ret2 = tx_finish(c, ret);
		if (!ret)
			ret = ret2;
	}
	sql_binds_release(&binds);
	buf_release(&where);
	buf_release(&sql);
	if (ret) {
		store_rows_release(out);
		backend_rows_init(out, ct);
		if (total)
			*total = 0;
		set_db_err(e, ret);
	}
	return ret;
}

static int
sq_content_get(struct store *s, const struct content_type *ct,
	       const char *document_id, const struct filter *extra,
	       enum pub_filter pub, struct store_rows *out)
{
	struct buf sql = BUF_INIT;
	struct sql_binds binds;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	backend_rows_init(out, ct);
	sql_binds_init(&binds);
	ret = conn_get(s, &c);
	if (ret)
		goto out;
	buf_grow(&sql, 511); /* one allocation for the usual SQL */
	backend_add_select(&sql, ct);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql,
			backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id"));
	buf_addstr(&sql, " = ?");
	backend_add_pub_cond(&sql, ct, pub);
	if (extra) {
		buf_addstr(&sql, " AND ");
		sql_render_filter(&sql_dialect_sqlite, extra, &sql, &binds);
	}
	buf_addstr(&sql, " ORDER BY \"id\" LIMIT 1");
	ret = stmt_prepare(c, sql.ptr, extra == NULL, "get an entry", &q);
	if (ret)
		goto out;
	bind_text(&q, 1, document_id ? document_id : "");
	bind_all(&q, 2, &binds);
	ret = read_rows(&q, ct, 1, out);
	stmt_done(&q);
out:
	sql_binds_release(&binds);
	buf_release(&sql);
	if (ret) {
		store_rows_release(out);
		backend_rows_init(out, ct);
	}
	return ret;
}

static int
sq_content_get_id(struct store *s, const struct content_type *ct, int64_t id,
		  struct store_rows *out)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	backend_rows_init(out, ct);
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	backend_add_select(&sql, ct);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	buf_addstr(&sql, " = ?");
	ret = stmt_prepare(c, sql.ptr, true, "get an entry by id", &q);
	if (ret)
		goto out;
	bind_i64(&q, 1, id);
	ret = read_rows(&q, ct, 1, out);
	stmt_done(&q);
out:
	buf_release(&sql);
	if (ret) {
		store_rows_release(out);
		backend_rows_init(out, ct);
	}
	return ret;
}

static int
sq_content_insert(struct store *s, const struct content_type *ct,
		  const struct sqlval *vals, const bool *present,
		  int64_t *new_id)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	size_t i, n = 0;
	int ret, idx = 1;

	if (new_id)
		*new_id = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	content_changed(c); /* cached list counts are stale now */
	buf_addstr(&sql, "INSERT INTO ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " (");
	for (i = 0; i < ct->n_fields; i++) {
		if (!present[i])
			continue;
		if (n++)
			buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, ct->fields[i].column);
	}
	buf_addstr(&sql, ") VALUES (");
	for (i = 0; i < n; i++)
		buf_addstr(&sql, i ? ", ?" : "?");
	buf_addch(&sql, ')');
	if (n == 0) {
		buf_reset(&sql);
		buf_addstr(&sql, "INSERT INTO ");
		sql_quote_ident(&sql, ct->table);
		buf_addstr(&sql, " DEFAULT VALUES");
	}
	ret = stmt_prepare(c, sql.ptr, true, "insert an entry", &q);
	if (ret)
		goto out;
	for (i = 0; i < ct->n_fields; i++)
		if (present[i])
			bind_val(&q, idx++, &vals[i]);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && new_id)
		*new_id = sqlite3_last_insert_rowid(c->db);
out:
	buf_release(&sql);
	return ret;
}

static int
sq_content_update(struct store *s, const struct content_type *ct, int64_t id,
		  const struct sqlval *vals, const bool *present)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	size_t i, n = 0;
	int ret, idx = 1;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	content_changed(c); /* cached list counts are stale now */
	buf_addstr(&sql, "UPDATE ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " SET ");
	for (i = 0; i < ct->n_fields; i++) {
		if (!present[i])
			continue;
		if (n++)
			buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, ct->fields[i].column);
		buf_addstr(&sql, " = ?");
	}
	if (n == 0)
		goto out;
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	buf_addstr(&sql, " = ?");
	ret = stmt_prepare(c, sql.ptr, true, "update an entry", &q);
	if (ret)
		goto out;
	for (i = 0; i < ct->n_fields; i++)
		if (present[i])
			bind_val(&q, idx++, &vals[i]);
	bind_i64(&q, idx, id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && sqlite3_changes(c->db) == 0)
		ret = ERR_NOT_FOUND;
out:
	buf_release(&sql);
	return ret;
}

static int
sq_content_delete_id(struct store *s, const struct content_type *ct, int64_t id)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	content_changed(c); /* cached list counts are stale now */
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, backend_sys_column(ct, SYS_ID, "id"));
	buf_addstr(&sql, " = ?");
	ret = stmt_prepare(c, sql.ptr, true, "delete an entry", &q);
	if (ret)
		goto out;
	bind_i64(&q, 1, id);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0 && sqlite3_changes(c->db) == 0)
		ret = ERR_NOT_FOUND;
out:
	buf_release(&sql);
	return ret;
}

static int
sq_content_delete_document(struct store *s, const struct content_type *ct,
			   const char *document_id, enum pub_filter pub)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	content_changed(c); /* cached list counts are stale now */
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql,
			backend_sys_column(ct, SYS_DOCUMENT_ID, "document_id"));
	buf_addstr(&sql, " = ?");
	backend_add_pub_cond(&sql, ct, pub);
	ret = stmt_prepare(c, sql.ptr, true, "delete a document", &q);
	if (ret)
		goto out;
	bind_text(&q, 1, document_id ? document_id : "");
	ret = stmt_step(&q);
	stmt_done(&q);
out:
	buf_release(&sql);
	return ret;
}

static int
sq_content_unique_taken(struct store *s, const struct content_type *ct,
			const struct field *f, const struct sqlval *v,
			const char *exclude_document_id, bool *taken)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	int ret;

	*taken = false;
	if (v->kind == SV_NULL)
		return 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "SELECT 1 FROM ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " WHERE ");
	sql_quote_ident(&sql, f->column);
	buf_addstr(&sql, " = ?");
	if (exclude_document_id) {
		buf_addstr(&sql, " AND ");
		sql_quote_ident(&sql, backend_sys_column(ct, SYS_DOCUMENT_ID,
							 "document_id"));
		buf_addstr(&sql, " <> ?");
	}
	/*
	 * Every document of a draft & publish type has a draft, and Strapi
	 * compares drafts with drafts: a published version still holding an
	 * old value does not count.
	 */
	if (ct->draft_publish)
		backend_add_pub_cond(&sql, ct, PUB_DRAFT);
	buf_addstr(&sql, " LIMIT 1");
	ret = stmt_prepare(c, sql.ptr, true, "check a unique value", &q);
	if (ret)
		goto out;
	bind_val(&q, 1, v);
	if (exclude_document_id)
		bind_text(&q, 2, exclude_document_id);
	ret = stmt_step(&q);
	if (ret == 1) {
		*taken = true;
		ret = 0;
	}
	stmt_done(&q);
out:
	buf_release(&sql);
	return ret;
}

/* ---- schema sync ----------------------------------------------------- */

/* Columns every content table has besides its attributes. */
static const struct sys_col {
	const char *name;
	const char *def; /* for CREATE TABLE */
	const char *add; /* for ALTER TABLE ADD COLUMN */
} sys_cols[] = {
    {"id", "INTEGER PRIMARY KEY AUTOINCREMENT", NULL},
    {"document_id", "TEXT NOT NULL", "TEXT"},
    {"created_at", "INTEGER", "INTEGER"},
    {"updated_at", "INTEGER", "INTEGER"},
    {"published_at", "INTEGER", "INTEGER"},
    {"created_by_id", "INTEGER", "INTEGER"},
    {"updated_by_id", "INTEGER", "INTEGER"},
    {"locale", "TEXT", "TEXT"},
};

static bool
is_sys_col(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sys_cols); i++)
		if (!strcmp(sys_cols[i].name, name))
			return true;
	return false;
}

static bool
reserved_table(const char *t)
{
	return !strncmp(t, "tollgate_", 9) || !strncmp(t, "sqlite_", 7) ||
	       !strcmp(t, "strapi_api_tokens") ||
	       !strcmp(t, "strapi_api_token_permissions") ||
	       !strcmp(t, "admin_users") || !strcmp(t, "admin_roles") ||
	       !strcmp(t, "admin_users_roles_lnk") ||
	       !strcmp(t, "admin_permissions") || !strcmp(t, "admin_sessions");
}

static int
table_columns(struct sq_conn *c, const char *table, struct name_set *cols)
{
	struct sq_stmt q;
	char *name;
	int ret;

	ret = stmt_prepare(c, "SELECT name FROM pragma_table_info(?)", false,
			   "read a table's columns", &q);
	if (ret)
		return ret;
	bind_text(&q, 1, table);
	while ((ret = stmt_step(&q)) == 1) {
		name = col_text(q.st, 0);
		if (name) {
			backend_name_set_add(cols, name);
			free(name);
		}
	}
	stmt_done(&q);
	return ret;
}

static int
create_table(struct sq_conn *c, const struct content_type *ct)
{
	struct name_set seen = {NULL, 0};
	struct buf sql = BUF_INIT;
	const struct field *f;
	size_t i;
	int ret;

	buf_addstr(&sql, "CREATE TABLE ");
	sql_quote_ident(&sql, ct->table);
	buf_addstr(&sql, " (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT,"
			 " \"document_id\" TEXT NOT NULL");
	for (i = 0; i < ct->n_fields; i++) {
		f = &ct->fields[i];
		if (is_sys_col(f->column) ||
		    backend_name_set_has(&seen, f->column))
			continue;
		backend_name_set_add(&seen, f->column);
		buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, f->column);
		buf_addf(&sql, " %s", col_type_sql(field_col_type(f)));
	}
	for (i = 2; i < ARRAY_SIZE(sys_cols); i++) {
		buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, sys_cols[i].name);
		buf_addf(&sql, " %s", sys_cols[i].def);
	}
	buf_addch(&sql, ')');
	ret = exec_sql(c, sql.ptr, false, "create a content table");
	backend_name_set_release(&seen);
	buf_release(&sql);
	return ret;
}

static int
add_column(struct sq_conn *c, const char *table, const char *column,
	   const char *type)
{
	struct buf sql = BUF_INIT;
	int ret;

	buf_addstr(&sql, "ALTER TABLE ");
	sql_quote_ident(&sql, table);
	buf_addstr(&sql, " ADD COLUMN ");
	sql_quote_ident(&sql, column);
	buf_addf(&sql, " %s", type);
	ret = exec_sql(c, sql.ptr, false, "add a content column");
	if (ret == 0)
		log_info("database: added column '%s' to table '%s'", column,
			 table);
	buf_release(&sql);
	return ret;
}

static int
create_index(struct sq_conn *c, const char *table, const char *suffix,
	     const char *const *cols, size_t n)
{
	struct buf sql = BUF_INIT, name = BUF_INIT;
	size_t i;
	int ret;

	buf_addf(&name, "%s_%s", table, suffix);
	buf_addstr(&sql, "CREATE INDEX IF NOT EXISTS ");
	sql_quote_ident(&sql, name.ptr);
	buf_addstr(&sql, " ON ");
	sql_quote_ident(&sql, table);
	buf_addstr(&sql, " (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addstr(&sql, ", ");
		sql_quote_ident(&sql, cols[i]);
	}
	buf_addch(&sql, ')');
	ret = exec_sql(c, sql.ptr, false, "create a content index");
	buf_release(&name);
	buf_release(&sql);
	return ret;
}

static int
sync_type(struct sq_conn *c, const struct content_type *ct)
{
	static const char *const doc_cols[] = {"document_id", "locale",
					       "published_at"};
	struct name_set cols = {NULL, 0};
	struct buf suffix = BUF_INIT;
	const struct field *f;
	size_t i;
	int ret;

	ret = table_columns(c, ct->table, &cols);
	if (ret)
		goto out;
	if (cols.n == 0) {
		ret = create_table(c, ct);
		if (ret)
			goto out;
	} else {
		for (i = 1; i < ARRAY_SIZE(sys_cols) && ret == 0; i++) {
			if (backend_name_set_has(&cols, sys_cols[i].name))
				continue;
			ret = add_column(c, ct->table, sys_cols[i].name,
					 sys_cols[i].add);
			backend_name_set_add(&cols, sys_cols[i].name);
		}
		for (i = 0; i < ct->n_fields && ret == 0; i++) {
			f = &ct->fields[i];
			if (backend_name_set_has(&cols, f->column))
				continue;
			ret = add_column(c, ct->table, f->column,
					 col_type_sql(field_col_type(f)));
			backend_name_set_add(&cols, f->column);
		}
		if (ret)
			goto out;
	}
	ret = create_index(c, ct->table, "documents_idx", doc_cols,
			   ARRAY_SIZE(doc_cols));
	for (i = 0; i < ct->n_fields && ret == 0; i++) {
		const char *one[1];

		f = &ct->fields[i];
		if (f->sys != SYS_NONE || !backend_indexed(f))
			continue;
		one[0] = f->column;
		buf_reset(&suffix);
		buf_addf(&suffix, "%s_%s", f->column,
			 (f->flags & FIELD_UNIQUE) ? "unique_idx" : "idx");
		ret = create_index(c, ct->table, suffix.ptr, one, 1);
	}
out:
	buf_release(&suffix);
	backend_name_set_release(&cols);
	return ret;
}

static int
sq_sync_schema(struct store *s, const struct schema_registry *reg,
	       struct err *e)
{
	const struct content_type *ct = NULL;
	struct sq_conn *c;
	size_t i;
	int ret;

	for (i = 0; i < reg->n_types; i++)
		if (reserved_table(reg->types[i].table))
			return err_set(e, ERR_VALIDATION,
				       "content type '%s' uses the reserved "
				       "table name '%s'",
				       reg->types[i].uid, reg->types[i].table);
	ret = conn_get(s, &c);
	if (ret)
		return set_db_err(e, ret);
	ret = tx_enter(c, true);
	if (ret)
		return err_set(e, ret,
			       "cannot lock the database to create "
			       "content tables");
	for (i = 0; i < reg->n_types && ret == 0; i++) {
		ct = &reg->types[i];
		ret = sync_type(c, ct);
	}
	ret = tx_finish(c, ret);
	if (ret)
		return err_set(e, ret, "cannot create the table of '%s'",
			       ct ? ct->uid : "?");
	return 0;
}

/* ---- migrations list, bootstrap lock, whole-table transfer ------------ */

static int
sq_migrations(struct store *s, struct store_migration **list, size_t *n)
{
	struct store_migration *m;
	struct sq_conn *c;
	struct sq_stmt q;
	size_t i;
	int ret;

	*list = NULL;
	*n = 0;
	ret = conn_get(s, &c);
	if (ret)
		return ret;
	m = xcalloc(ARRAY_SIZE(migrations), sizeof(*m));
	for (i = 0; i < ARRAY_SIZE(migrations); i++) {
		m[i].version = migrations[i].version;
		m[i].name = migrations[i].name;
		m[i].applied_at = TIME_NULL;
	}
	ret = stmt_prepare(c,
			   "SELECT name FROM sqlite_master WHERE type = 'table'"
			   " AND name = 'tollgate_migrations'",
			   false, "look for the migrations table", &q);
	if (ret)
		goto fail;
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret < 0)
		goto fail;
	if (ret == 1) {
		ret = stmt_prepare(c,
				   "SELECT version, applied_at"
				   " FROM tollgate_migrations",
				   false, "read the migrations", &q);
		if (ret)
			goto fail;
		while ((ret = stmt_step(&q)) == 1) {
			int64_t v = sqlite3_column_int64(q.st, 0);

			for (i = 0; i < ARRAY_SIZE(migrations); i++)
				if (m[i].version == v)
					m[i].applied_at = col_opt(q.st, 1, 0);
		}
		stmt_done(&q);
		if (ret < 0)
			goto fail;
	}
	*list = m;
	*n = ARRAY_SIZE(migrations);
	return 0;
fail:
	free(m);
	return ret;
}

/*
 * store_begin() already holds SQLite's write lock (BEGIN IMMEDIATE), which
 * serialises every process on the file.
 */
static int
sq_lock_bootstrap(struct store *s)
{
	struct sq_conn *c;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	if (c->depth == 0) {
		log_error("sqlite: bootstrap lock outside a transaction");
		return ERR_INTERNAL;
	}
	return 0;
}

static void
read_any(sqlite3_stmt *st, int col, struct sqlval *v)
{
	v->s = NULL;
	v->i = 0;
	v->d = 0;
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_INTEGER:
		v->kind = SV_INT;
		v->i = sqlite3_column_int64(st, col);
		break;
	case SQLITE_FLOAT:
		v->kind = SV_REAL;
		v->d = sqlite3_column_double(st, col);
		break;
	case SQLITE_NULL:
		v->kind = SV_NULL;
		break;
	default:
		v->kind = SV_TEXT;
		v->s = col_text(st, col);
		break;
	}
}

static int
sq_rows_read(struct store *s, const char *table, const char *const *cols,
	     size_t n_cols, const char *order_by, store_row_fn fn, void *ctx)
{
	struct buf sql = BUF_INIT;
	struct sqlval *row;
	struct sq_conn *c;
	struct sq_stmt q;
	size_t j;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "SELECT ");
	backend_add_cols(&sql, cols, n_cols);
	buf_addstr(&sql, " FROM ");
	sql_quote_ident(&sql, table);
	if (order_by && *order_by)
		buf_addf(&sql, " ORDER BY %s", order_by);
	ret = stmt_prepare(c, sql.ptr, false, "read a table", &q);
	buf_release(&sql);
	if (ret)
		return ret;
	row = xcalloc(n_cols ? n_cols : 1, sizeof(*row));
	while ((ret = stmt_step(&q)) == 1) {
		for (j = 0; j < n_cols; j++)
			read_any(q.st, (int)j, &row[j]);
		ret = fn(ctx, row);
		for (j = 0; j < n_cols; j++)
			sqlval_release(&row[j]);
		if (ret)
			break;
	}
	stmt_done(&q);
	free(row);
	return ret;
}

static int
sq_rows_insert(struct store *s, const char *table, const char *const *cols,
	       size_t n_cols, const struct sqlval *row)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	struct sq_stmt q;
	size_t j;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "INSERT INTO ");
	sql_quote_ident(&sql, table);
	buf_addch(&sql, '(');
	backend_add_cols(&sql, cols, n_cols);
	buf_addstr(&sql, ") VALUES(");
	for (j = 0; j < n_cols; j++)
		buf_addstr(&sql, j ? ", ?" : "?");
	buf_addch(&sql, ')');
	ret = stmt_prepare(c, sql.ptr, true, "import a row", &q);
	buf_release(&sql);
	if (ret)
		return ret;
	for (j = 0; j < n_cols; j++)
		bind_val(&q, (int)j + 1, &row[j]);
	ret = stmt_step(&q);
	stmt_done(&q);
	if (ret == 0)
		conn_dirty(c);
	return ret < 0 ? ret : 0;
}

static int
sq_rows_clear(struct store *s, const char *table)
{
	struct buf sql = BUF_INIT;
	struct sq_conn *c;
	int ret;

	ret = conn_get(s, &c);
	if (ret)
		return ret;
	buf_addstr(&sql, "DELETE FROM ");
	sql_quote_ident(&sql, table);
	ret = exec_sql(c, sql.ptr, false, "clear a table");
	buf_release(&sql);
	conn_dirty(c);
	return ret;
}

/* AUTOINCREMENT already continues after the largest id inserted. */
static int
sq_rows_finish(struct store *s, const char *table, bool has_id)
{
	(void)s;
	(void)table;
	(void)has_id;
	return 0;
}

/* ---- the vtable ------------------------------------------------------ */

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .thread_release = sq_thread_release,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .migrate = sq_migrate,
    .sync_schema = sq_sync_schema,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .token_insert = sq_token_insert,
    .token_get = sq_token_get,
    .token_get_by_hash = sq_token_get_by_hash,
    .token_name_taken = sq_token_name_taken,
    .token_list = sq_token_list,
    .token_update = sq_token_update,
    .token_delete = sq_token_delete,
    .token_touch = sq_token_touch,
    .token_count = sq_token_count,
    .token_generation = sq_token_generation,
    .token_prune_permissions = sq_token_prune_permissions,
    .admin_user_count = sq_admin_user_count,
    .content_version = sq_content_version,
    .content_find = sq_content_find,
    .content_get = sq_content_get,
    .content_get_id = sq_content_get_id,
    .content_insert = sq_content_insert,
    .content_update = sq_content_update,
    .content_delete_id = sq_content_delete_id,
    .content_delete_document = sq_content_delete_document,
    .content_unique_taken = sq_content_unique_taken,
    .user_insert = sq_user_insert,
    .user_get = sq_user_get,
    .user_get_by_email = sq_user_get_by_email,
    .user_list = sq_user_list,
    .user_update = sq_user_update,
    .user_delete = sq_user_delete,
    .role_insert = sq_role_insert,
    .role_get = sq_role_get,
    .role_get_by_code = sq_role_get_by_code,
    .role_list = sq_role_list,
    .role_update = sq_role_update,
    .role_delete = sq_role_delete,
    .role_permissions = sq_role_permissions,
    .role_set_permissions = sq_role_set_permissions,
    .token_admin_permissions = sq_token_admin_permissions,
    .token_set_admin_permissions = sq_token_set_admin_permissions,
    .session_insert = sq_session_insert,
    .session_check = sq_session_check,
    .session_delete = sq_session_delete,
    .session_delete_user = sq_session_delete_user,
    .public_actions = sq_public_actions,
    .set_public_actions = sq_set_public_actions,
    .admin_generation = sq_admin_generation,
    .migrations = sq_migrations,
    .lock_bootstrap = sq_lock_bootstrap,
    .rows_read = sq_rows_read,
    .rows_insert = sq_rows_insert,
    .rows_clear = sq_rows_clear,
    .rows_finish = sq_rows_finish,
};
