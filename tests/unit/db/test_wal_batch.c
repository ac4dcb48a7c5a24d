/* test_wal_batch: unit tests for src/db/wal_batch.c, the VFS that gathers
 * a bulk writer's WAL writes, through db_open_bulk (src/db/db.c).
 *
 * A transaction far larger than the page cache (so pages spill into the
 * WAL and are read back before the commit) reads back whole, in the
 * writer and, after the commit only, in a second connection over the
 * default VFS, and the database passes integrity_check. A commit's frames
 * go down many to a write (the writes passed down are under a tenth of
 * the frames), and the disk is asked to start writing them as they go.
 * A writer killed with SIGKILL in the middle of a transaction, with
 * frames gathered and spilled, loses that transaction
 * only: the one committed before it is whole. A writer killed right after
 * its commit returned keeps the commit. A checkpoint's writes to the
 * database file go down many to a write, and the file it leaves is byte
 * for byte the one a checkpoint over the default VFS leaves. A checkpoint,
 * whole or partial, whose last page cannot be written (the file size
 * limit set below it) ends the process before SQLite can mark the page
 * copied, and every committed row is there after. Temp files are made with mkstemp
 * and removed with their -wal and -shm files. */
#include "db/db.h"
#include "db/wal_batch.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

#define ROW_BYTES 300

struct tmpdb {
    char path[64];
};

static int setup(void **state)
{
    struct tmpdb *t = malloc(sizeof *t);
    wp_temp_path(t->path);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct tmpdb *t = *state;
    wp_temp_unlink(t->path);
    free(t);
    return 0;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
}

/* Rows first..first+n-1 of table t(k, v): v a ROW_BYTES text made from k,
 * inserted in random order so that index pages all over change. */
static void put_rows(sqlite3 *db, long first, long n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(k, v) VALUES (?1, printf('%0300d', ?1 * 7))", -1, &st,
                                        NULL),
                     SQLITE_OK);
    for (long i = 0; i < n; i++) {
        long k = first + (i * 7919) % n;
        sqlite3_bind_int64(st, 1, k);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

/* The bulk connection: the schema, a small page cache (a large
 * transaction spills into the WAL before its commit). */
static sqlite3 *open_bulk_small(const char *path)
{
    char err[256];
    sqlite3 *db = db_open_bulk(path, err, sizeof err);
    assert_non_null(db);
    exec_ok(db, "CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v TEXT NOT NULL); "
                "CREATE INDEX IF NOT EXISTS t_v ON t(v); PRAGMA cache_size = 50");
    return db;
}

static void test_spilled_transaction_reads_back(void **state)
{
    struct tmpdb *t = *state;
    sqlite3 *db = open_bulk_small(t->path);
    char err[256];
    sqlite3 *other = db_open(t->path, err, sizeof err);
    assert_non_null(other);
    exec_ok(db, "BEGIN IMMEDIATE");
    put_rows(db, 1, 20000);
    /* spilled pages read back in the writer before the commit */
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t"), 20000);
    assert_int_equal(wp_sql_long(db, "SELECT sum(length(v)) FROM t"), 20000LL * ROW_BYTES);
    /* ... and not seen by another connection */
    assert_int_equal(wp_sql_long(other, "SELECT count(*) FROM t"), 0);
    exec_ok(db, "COMMIT");
    assert_int_equal(wp_sql_long(other, "SELECT count(*) FROM t"), 20000);
    char v[400], want[400];
    snprintf(want, sizeof want, "%0300d", 12345 * 7);
    assert_string_equal(wp_sql_text(other, "SELECT v FROM t WHERE k = 12345", v, sizeof v), want);
    char ok[16];
    assert_string_equal(wp_sql_text(other, "PRAGMA integrity_check", ok, sizeof ok), "ok");
    sqlite3_close(other);
    db_close(db);
}

/* In a child: commits rows 1..1000, then writes 30,000 more in a
 * transaction and kills itself before committing it (after, with
 * commit_second: kills itself right after the commit returned). */
static void child_writes_then_dies(const char *path, bool commit_second)
{
    sqlite3 *db = open_bulk_small(path);
    exec_ok(db, "BEGIN IMMEDIATE");
    put_rows(db, 1, 1000);
    exec_ok(db, "COMMIT");
    exec_ok(db, "BEGIN IMMEDIATE");
    put_rows(db, 1001, 30000);
    if (commit_second)
        exec_ok(db, "COMMIT");
    raise(SIGKILL);
    _exit(3); /* not reached */
}

static long long count_after_kill(const char *path, bool commit_second)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_writes_then_dies(path, commit_second);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    char err[256];
    sqlite3 *db = db_open(path, err, sizeof err);
    assert_non_null(db);
    char ok[16];
    assert_string_equal(wp_sql_text(db, "PRAGMA integrity_check", ok, sizeof ok), "ok");
    long long n = wp_sql_long(db, "SELECT count(*) FROM t");
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t WHERE length(v) <> 300"), 0);
    sqlite3_close(db);
    return n;
}

static void test_commit_is_gathered(void **state)
{
    struct tmpdb *t = *state;
    char err[256];
    sqlite3 *db = db_open_bulk(t->path, err, sizeof err);
    assert_non_null(db);
    exec_ok(db, "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX t_v ON t(v)");
    long before = wal_batch_writes();
    exec_ok(db, "BEGIN IMMEDIATE");
    put_rows(db, 1, 20000);
    exec_ok(db, "COMMIT");
    long writes = wal_batch_writes() - before;
    /* the commit's frames (the WAL keeps its size after the checkpoint
     * that follows a large commit) went down several to a write */
    char wal[96];
    snprintf(wal, sizeof wal, "%s-wal", t->path);
    struct stat sb;
    assert_int_equal(stat(wal, &sb), 0);
    long frames = (long)((sb.st_size - 32) / (4096 + 24));
    assert_true(frames > 2000);
    assert_true(writes > 0);
    assert_true(writes < frames / 10);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t"), 20000);
    /* a WAL of over 8 MB was given to the disk to write as it went */
    assert_true(frames * 4096L > 8L * 1024 * 1024);
    assert_true(wal_batch_writeback_asks() > 0);
    db_close(db);
}

static void test_sigkill_mid_transaction_loses_only_that_transaction(void **state)
{
    struct tmpdb *t = *state;
    assert_int_equal(count_after_kill(t->path, false), 1000);
}

static void test_sigkill_after_commit_keeps_it(void **state)
{
    struct tmpdb *t = *state;
    assert_int_equal(count_after_kill(t->path, true), 31000);
}

/* A bulk connection left with 20,000 committed rows in its WAL, none of
 * them checkpointed yet. */
static sqlite3 *bulk_with_wal(const char *path)
{
    char err[256];
    sqlite3 *db = db_open_bulk(path, err, sizeof err);
    assert_non_null(db);
    exec_ok(db, "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX t_v ON t(v)");
    exec_ok(db, "BEGIN IMMEDIATE");
    put_rows(db, 1, 20000);
    exec_ok(db, "COMMIT");
    return db;
}

static long file_bytes(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The whole content of a file (freed by the caller). */
static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    *len = file_bytes(path);
    char *b = malloc((size_t)*len + 1);
    assert_int_equal(fread(b, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
    return b;
}

static void test_checkpoint_is_gathered_and_the_same(void **state)
{
    struct tmpdb *t = *state;
    /* the same rows, checkpointed over the default VFS */
    char other[64];
    wp_temp_path(other);
    sqlite3 *plain_side = bulk_with_wal(other);
    sqlite3_db_config(plain_side, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
    db_close(plain_side);
    char err[256];
    sqlite3 *plain = db_open(other, err, sizeof err);
    assert_non_null(plain);
    assert_int_equal(sqlite3_wal_checkpoint_v2(plain, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
    sqlite3_close(plain);
    /* ... and over this one */
    sqlite3 *db = bulk_with_wal(t->path);
    long before = wal_batch_checkpoint_writes();
    assert_true(db_checkpoint(db));
    long writes = wal_batch_checkpoint_writes() - before;
    long pages = file_bytes(t->path) / 4096;
    assert_true(pages > 2000);
    assert_true(writes > 0);
    assert_true(writes < pages / 10);
    db_close(db);
    long a_len, b_len;
    char *a = slurp(t->path, &a_len), *b = slurp(other, &b_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, (size_t)a_len);
    free(a);
    free(b);
    wp_temp_unlink(other);
}

/* In a child: a checkpoint whose database file may not take its last
 * page (the last the checkpoint copies, so the one still gathered at the
 * end of its copying). partial: a reader holds the snapshot of the 20,000
 * rows while 100 more are committed, so that the checkpoint copies only
 * the first commit and, as SQLite does then, neither truncates nor syncs
 * the database file after. Exits 1 when the VFS ended the process, 2 when
 * the checkpoint failed, 3 when it claimed to have copied pages that are
 * not in the file, 0 when it succeeded. */
static void child_checkpoints_short_of_room(const char *path, bool partial)
{
    sqlite3 *db = bulk_with_wal(path);
    char err[256];
    sqlite3 *reader = db_open(path, err, sizeof err);
    if (!reader)
        _exit(4);
    exec_ok(reader, "BEGIN");
    long long bytes = wp_sql_long(reader, "PRAGMA page_count") * wp_sql_long(reader, "PRAGMA page_size");
    if (partial) {
        exec_ok(db, "BEGIN IMMEDIATE");
        put_rows(db, 20001, 100);
        exec_ok(db, "COMMIT");
    } else {
        exec_ok(reader, "COMMIT");
    }
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {(rlim_t)(bytes - 4096), (rlim_t)(bytes - 4096)};
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        _exit(4);
    int mode = partial ? SQLITE_CHECKPOINT_PASSIVE : SQLITE_CHECKPOINT_TRUNCATE;
    if (sqlite3_wal_checkpoint_v2(db, NULL, mode, NULL, NULL) != SQLITE_OK)
        _exit(2);
    _exit(file_bytes(path) < bytes ? 3 : 0);
}

static void check_short_of_room(const char *path, bool partial)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_checkpoints_short_of_room(path, partial);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char err[256];
    sqlite3 *db = db_open(path, err, sizeof err);
    assert_non_null(db);
    char ok[16];
    assert_string_equal(wp_sql_text(db, "PRAGMA integrity_check", ok, sizeof ok), "ok");
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t"), partial ? 20100 : 20000);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM t WHERE length(v) <> 300"), 0);
    sqlite3_close(db);
}

static void test_checkpoint_that_cannot_write_its_end_keeps_the_commit(void **state)
{
    struct tmpdb *t = *state;
    check_short_of_room(t->path, false);
}

static void test_partial_checkpoint_that_cannot_write_its_end_keeps_the_commit(void **state)
{
    struct tmpdb *t = *state;
    check_short_of_room(t->path, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spilled_transaction_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_is_gathered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_mid_transaction_loses_only_that_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_after_commit_keeps_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_is_gathered_and_the_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_that_cannot_write_its_end_keeps_the_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partial_checkpoint_that_cannot_write_its_end_keeps_the_commit, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
