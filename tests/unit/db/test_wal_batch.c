/* test_wal_batch: unit tests for src/db/wal_batch.c, the VFS that gathers
 * a bulk writer's WAL writes, through db_open_bulk (src/db/db.c).
 *
 * A transaction far larger than the page cache (so pages spill into the
 * WAL and are read back before the commit) reads back whole, in the
 * writer and, after the commit only, in a second connection over the
 * default VFS, and the database passes integrity_check. A commit's frames
 * go down many to a write (the writes passed down are under a tenth of
 * the frames). A writer killed with SIGKILL in the middle of a
 * transaction, with frames gathered and spilled, loses that transaction
 * only: the one committed before it is whole. A writer killed right after
 * its commit returned keeps the commit. Temp files are made with mkstemp
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spilled_transaction_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_is_gathered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_mid_transaction_loses_only_that_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_after_commit_keeps_it, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
