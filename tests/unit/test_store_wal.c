/* SPDX-License-Identifier: MIT */
/*
 * test_store_wal.c: SQLite's commit path (storage/sqlite.c). Commits from
 * several threads at once (group commit, syncs running side by side) all
 * land; the watcher's checkpoints keep the write-ahead log bounded, so it
 * is written over from its start again and again; and after a process
 * killed mid-write (kill -9) every acknowledged commit is still there, the
 * WAL having been started again several times before the kill.
 */
#include "core/compat.h"
#include "core/log.h"
#include "core/mem.h"
#include "lib/rawdb.h"
#include "storage/store.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

/*
 * Far more WAL frames than the watcher lets the log hold (CKPT_FRAMES in
 * sqlite.c: 4000) are written by this many commits of three frames or more.
 */
#define COMMITS 6000
#define THREADS 4
#define COUNT_NOTES "SELECT count(*) FROM notes"
/* The WAL may hold CKPT_FRAMES frames plus those committed while the
 * watcher checkpoints; without checkpoints it would hold every frame. */
#define WAL_MAX_BYTES (8000L * (4096 + 24) + 32)

/* ---- a one-type registry --------------------------------------------- */

/* clang-format off */
static const struct {
	const char *name, *column;
	enum attr_type type;
	enum sys_field sys;
} note_fields[] = {
	{ "id", "id", ATTR_INTEGER, SYS_ID },
	{ "documentId", "document_id", ATTR_STRING, SYS_DOCUMENT_ID },
	{ "title", "title", ATTR_STRING, SYS_NONE },
	{ "createdAt", "created_at", ATTR_DATETIME, SYS_CREATED_AT },
	{ "updatedAt", "updated_at", ATTR_DATETIME, SYS_UPDATED_AT },
	{ "publishedAt", "published_at", ATTR_DATETIME, SYS_PUBLISHED_AT },
};
/* clang-format on */
enum { N_DOC = 1, N_TITLE = 2, N_FIELDS = 6 };

static void
build_registry(struct schema_registry *reg)
{
	struct content_type *ct;
	size_t i;

	memset(reg, 0, sizeof(*reg));
	reg->n_types = 1;
	reg->types = xcalloc(1, sizeof(*reg->types));
	ct = &reg->types[0];
	ct->uid = xstrdup("api::note.note");
	ct->table = xstrdup("notes");
	ct->plural = xstrdup("notes");
	ct->fields = xcalloc(N_FIELDS, sizeof(*ct->fields));
	ct->n_fields = N_FIELDS;
	for (i = 0; i < N_FIELDS; i++) {
		struct field *f = &ct->fields[i];

		f->name = xstrdup(note_fields[i].name);
		f->column = xstrdup(note_fields[i].column);
		f->type = note_fields[i].type;
		f->sys = note_fields[i].sys;
		f->flags = f->sys ? FIELD_SYSTEM : 0;
		f->min_length = -1;
		f->max_length = -1;
		if (!f->sys) {
			if (!ct->attrs)
				ct->attrs = f;
			ct->n_attrs++;
		}
	}
}

static void
free_registry(struct schema_registry *reg)
{
	struct content_type *ct = &reg->types[0];
	size_t i;

	for (i = 0; i < ct->n_fields; i++) {
		free(ct->fields[i].name);
		free(ct->fields[i].column);
	}
	free(ct->fields);
	free(ct->uid);
	free(ct->table);
	free(ct->plural);
	free(reg->types);
}

/* ---- fixture --------------------------------------------------------- */

struct fx {
	char dir[64];
	char path[128];
	struct schema_registry reg;
};

static struct store *
open_store(const struct fx *fx)
{
	struct store_options o = {
	    .client = "sqlite", .filename = "data.db", .project_dir = fx->dir};
	struct err e = ERR_INIT;
	struct store *s = NULL;

	if (store_open(&o, &s, &e) || store_sync_schema(s, &fx->reg, &e)) {
		fprintf(stderr, "store: %s\n", e.msg);
		store_close(s);
		s = NULL;
	}
	err_release(&e);
	return s;
}

static int
setup(void **state)
{
	struct fx *fx = xcalloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/tg-wal-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/data.db", fx->dir);
	build_registry(&fx->reg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[200];

	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	rmdir(fx->dir);
	free_registry(&fx->reg);
	free(fx);
	return 0;
}

/* One note in its own transaction, as a create request makes it. */
static int
insert_note(struct store *s, const struct content_type *ct, int n, int64_t *id)
{
	struct sqlval v[N_FIELDS];
	bool present[N_FIELDS] = {false};
	char doc[32], title[32];
	int rc;

	memset(v, 0, sizeof(v));
	snprintf(doc, sizeof(doc), "doc%08d", n);
	snprintf(title, sizeof(title), "note %d", n);
	v[N_DOC].kind = SV_TEXT;
	v[N_DOC].s = doc;
	present[N_DOC] = true;
	v[N_TITLE].kind = SV_TEXT;
	v[N_TITLE].s = title;
	present[N_TITLE] = true;
	rc = store_begin(s);
	if (rc)
		return rc;
	rc = store_content_insert(s, ct, v, present, id);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

static off_t
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? -1 : sb.st_size;
}

/* ---- commits from several threads -------------------------------------- */

struct writer {
	struct store *s;
	const struct content_type *ct;
	int first, n;
	int failures;
	int64_t last_id;
	off_t wal_max; /* the largest WAL size seen after a commit */
	const char *wal;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	off_t sz;
	int i;

	for (i = 0; i < w->n; i++) {
		if (insert_note(w->s, w->ct, w->first + i, &w->last_id)) {
			w->failures++;
			continue;
		}
		if (i % 64 == 0) {
			sz = file_size(w->wal);
			if (sz > w->wal_max)
				w->wal_max = sz;
		}
	}
	store_thread_release(w->s);
	return NULL;
}

static void
test_threads_commit(void **state)
{
	struct fx *fx = *state;
	struct writer w[THREADS];
	pthread_t th[THREADS];
	char wal[200];
	struct store *s;
	size_t i;

	s = open_store(fx);
	assert_non_null(s);
	snprintf(wal, sizeof(wal), "%s-wal", fx->path);
	for (i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].s = s;
		w[i].ct = &fx->reg.types[0];
		w[i].first = (int)i * (COMMITS / THREADS);
		w[i].n = COMMITS / THREADS;
		w[i].wal = wal;
		assert_int_equal(
		    pthread_create(&th[i], NULL, writer_main, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failures, 0);
		assert_true(w[i].last_id > 0);
		/* checkpoints keep the log bounded, and it is reused */
		assert_true(w[i].wal_max > 0);
		assert_true(w[i].wal_max <= WAL_MAX_BYTES);
	}
	assert_true(file_size(wal) <= WAL_MAX_BYTES);
	/* another connection, as another process, sees every commit */
	assert_int_equal(rawdb_int(fx->path, NULL, NULL, COUNT_NOTES), COMMITS);
	store_close(s);
	assert_int_equal(rawdb_int(fx->path, NULL, NULL, COUNT_NOTES), COMMITS);
}

/* ---- kill -9 --------------------------------------------------------------
 */

/*
 * The child writes notes and reports each acknowledged id on 'fd' until it
 * is killed; it never returns.
 */
static void
child_write(struct fx *fx, int fd)
{
	struct store *s = open_store(fx);
	int64_t id;
	int n;

	if (!s)
		_exit(2);
	for (n = 0;; n++) {
		if (insert_note(s, &fx->reg.types[0], n, &id))
			_exit(3);
		if (write(fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
			_exit(4);
	}
}

static void
test_kill_keeps_acknowledged(void **state)
{
	struct fx *fx = *state;
	int64_t *acked = xcalloc(COMMITS, sizeof(*acked));
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	size_t n = 0, got = 0, i;
	int fds[2], status;
	pid_t pid;
	ssize_t r;

	/* the store's schema exists before the child starts writing */
	store_close(open_store(fx));
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child_write(fx, fds[1]);
	}
	close(fds[1]);
	while (n < COMMITS) {
		r = read(fds[0], (char *)acked + got,
			 COMMITS * sizeof(*acked) - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		n = got / sizeof(*acked);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(fds[0]);
	assert_int_equal(n, COMMITS);

	/* recovery reads back every acknowledged commit, and only sane pages */
	assert_int_equal(
	    sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT 1 FROM notes WHERE id = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, acked[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			fail_msg("acknowledged note %lld is missing",
				 (long long)acked[i]);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(acked);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_threads_commit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_kill_keeps_acknowledged, setup,
					    teardown),
	};

	log_setup(LOG_WARN, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
