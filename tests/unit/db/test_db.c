/* test_db: unit tests for src/db/db.c, SQLite connections, migrations and
 * the statement cache.
 *
 * db_open on a temp file (WAL, foreign keys on), db_open on paths that
 * cannot be opened or written (fails with a sentence naming the path);
 * db_migrate applying every migration once (the second run applies 0),
 * the schema version equal to db_latest_version(), a database newer than
 * the binary refused, a failing migration rolled back; db_stmt caching (same statement twice on a
 * db_open_command connection, reset and unbound, distinct SQL distinct
 * statements, a bad statement NULL and counted as an error); the per-thread
 * connection of db_thread; begin/commit/rollback; db_close. Temp files are
 * made with mkstemp and removed with their -wal and -shm files. */
#include "db/db.h"
#include "db/embedded.h"
#include "core/log.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

struct tmpdb {
    char path[64];
};

static void tmpdb_make(struct tmpdb *t)
{
    wp_temp_path(t->path);
}

static void tmpdb_remove(const struct tmpdb *t)
{
    wp_temp_unlink(t->path);
}

static int setup(void **state)
{
    struct tmpdb *t = malloc(sizeof *t);
    tmpdb_make(t);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmpdb_remove(*state);
    free(*state);
    return 0;
}

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_open(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    if (!db)
        fail_msg("db_open: %s", err);
    char mode[32];
    assert_string_equal(wp_sql_text(db, "PRAGMA journal_mode", mode, sizeof mode), "wal");
    assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(db, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(db_schema_version(db), 0);
    assert_int_equal(sqlite3_db_readonly(db, "main"), 0);
    db_close(db);
}

static void test_open_creates(void **state)
{
    struct tmpdb *t = *state;
    unlink(t->path); /* db_open creates the file */
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    if (!db)
        fail_msg("db_open: %s", err);
    db_close(db);
    struct stat st;
    assert_int_equal(stat(t->path, &st), 0);
}

static void test_open_fails(void **state)
{
    (void)state;
    char err[512] = "";
    sqlite3 *db = db_open("/tmp/wp_test_db_no_such_dir/sub/x.db", err, sizeof err);
    assert_null(db);
    assert_contains(err, "/tmp/wp_test_db_no_such_dir/sub/x.db");
    assert_true(strlen(err) > 40); /* a sentence, not a code */

    /* a folder is not a database */
    err[0] = '\0';
    db = db_open("/tmp", err, sizeof err);
    assert_null(db);
    assert_contains(err, "/tmp");

    /* a file that is not SQLite */
    char junk[64];
    snprintf(junk, sizeof junk, "/tmp/wp_test_db_junk_XXXXXX");
    int fd = mkstemp(junk);
    assert_true(fd >= 0);
    char garbage[4096];
    memset(garbage, 'G', sizeof garbage);
    assert_int_equal(write(fd, garbage, sizeof garbage), (ssize_t)sizeof garbage);
    close(fd);
    err[0] = '\0';
    db = db_open(junk, err, sizeof err);
    unlink(junk);
    assert_null(db);
    assert_contains(err, junk);
}

static void test_open_unwritable(void **state)
{
    (void)state;
    /* /proc/self is a folder nobody, not even root, can create files in */
    char err[512] = "";
    sqlite3 *db = db_open("/proc/self/wp_test.db", err, sizeof err);
    assert_null(db);
    assert_contains(err, "/proc/self/wp_test.db");
    assert_true(strlen(err) > 40);
}

static void test_migrate(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    assert_true(db_latest_version() >= 1);
    int applied = -1;
    if (!db_migrate(db, &applied, err, sizeof err))
        fail_msg("db_migrate: %s", err);
    assert_int_equal(applied, db_latest_version());
    assert_int_equal(db_schema_version(db), db_latest_version());
    /* the tables of 0001 exist */
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('content_pages','content_fts')"),
                     2);
    /* idempotent */
    applied = -1;
    assert_true(db_migrate(db, &applied, err, sizeof err));
    assert_int_equal(applied, 0);
    assert_int_equal(db_schema_version(db), db_latest_version());
    assert_true(db_migrate(db, NULL, err, sizeof err)); /* applied may be NULL */
    db_close(db);

    /* and across connections */
    db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    applied = -1;
    assert_true(db_migrate(db, &applied, err, sizeof err));
    assert_int_equal(applied, 0);
    db_close(db);
}

static void test_migrate_newer_db(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_latest_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    int applied = -1;
    assert_false(db_migrate(db, &applied, err, sizeof err));
    assert_contains(err, "newer");
    assert_int_equal(db_schema_version(db), db_latest_version() + 1);
    db_close(db);
}

static void test_migrate_failure_rolls_back(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    /* a table in the way makes the first migration fail half-way */
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE content_pages(x)", NULL, NULL, NULL), SQLITE_OK);
    int applied = -1;
    assert_false(db_migrate(db, &applied, err, sizeof err));
    assert_contains(err, "0001");
    assert_contains(err, "rolled back");
    assert_int_equal(db_schema_version(db), 0);
    assert_int_equal(sqlite3_get_autocommit(db), 1); /* no transaction left open */
    /* nothing of the failed migration is left behind */
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'content_fts'"), 0);
    db_close(db);
}

static void test_stmt_cache(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open_command(t->path, err, sizeof err);
    assert_non_null(db);
    static const char SQL_A[] = "SELECT ?1 + 1";
    static const char SQL_B[] = "SELECT ?1 + 1"; /* same text, other literal */
    sqlite3_stmt *a1 = db_stmt(db, SQL_A);
    assert_non_null(a1);
    sqlite3_bind_int(a1, 1, 41);
    assert_int_equal(sqlite3_step(a1), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a1, 0), 42);
    /* asked again mid-step: the same statement, reset and unbound */
    sqlite3_stmt *a2 = db_stmt(db, SQL_A);
    assert_ptr_equal(a1, a2);
    assert_int_equal(sqlite3_step(a2), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(a2, 0), SQLITE_NULL); /* NULL + 1 */
    sqlite3_reset(a2);
    sqlite3_stmt *b = db_stmt(db, SQL_B);
    assert_non_null(b);
    assert_ptr_not_equal(a1, b); /* the cache key is the address */
    /* many distinct statements */
    static const char *const many[] = {"SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 5",
                                       "SELECT 6", "SELECT 7", "SELECT 8", "SELECT 9", "SELECT 10"};
    sqlite3_stmt *got[10];
    for (int i = 0; i < 10; i++) {
        got[i] = db_stmt(db, many[i]);
        assert_non_null(got[i]);
    }
    for (int i = 0; i < 10; i++) {
        assert_ptr_equal(db_stmt(db, many[i]), got[i]);
        assert_int_equal(sqlite3_step(got[i]), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(got[i], 0), i + 1);
        sqlite3_reset(got[i]);
    }
    assert_ptr_equal(db_stmt(db, SQL_A), a1);
    db_close(db); /* finalizes them (LeakSanitizer would notice otherwise) */
}

static void test_stmt_error(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open_command(t->path, err, sizeof err);
    assert_non_null(db);
    unsigned long before = db_error_count();
    static const char BAD[] = "SELEC nonsense";
    assert_null(db_stmt(db, BAD));
    assert_true(db_error_count() > before);
    /* a failed prepare is not cached as a good one: asking again fails again */
    before = db_error_count();
    assert_null(db_stmt(db, BAD));
    assert_true(db_error_count() > before);
    static const char NO_TABLE[] = "SELECT * FROM no_such_table";
    assert_null(db_stmt(db, NO_TABLE));
    db_close(db);
}

static void test_stmt_unknown_connection(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    /* a plain db_open connection has no statement cache */
    sqlite3 *db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    unsigned long before = db_error_count();
    assert_null(db_stmt(db, "SELECT 1"));
    assert_true(db_error_count() > before);
    db_close(db);
}

static void test_transactions(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open_command(t->path, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    assert_true(db_begin(db));
    assert_int_equal(sqlite3_get_autocommit(db), 0);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    assert_true(db_commit(db));
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    assert_true(db_begin(db));
    assert_int_equal(sqlite3_exec(db, "INSERT INTO t VALUES (2)", NULL, NULL, NULL), SQLITE_OK);
    db_rollback(db);
    assert_int_equal(sqlite3_get_autocommit(db), 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM t"), 1);
    /* COMMIT without BEGIN is an error, counted */
    unsigned long before = db_error_count();
    assert_false(db_commit(db));
    assert_true(db_error_count() > before);
    /* BEGIN inside a transaction is an error too */
    assert_true(db_begin(db));
    assert_false(db_begin(db));
    db_rollback(db);
    db_close(db);
}

struct thread_arg {
    sqlite3 *first, *second;
    sqlite3_stmt *s1, *s2;
    int value;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    a->first = db_thread();
    a->second = db_thread();
    static const char SQL[] = "SELECT count(*) FROM content_pages";
    a->s1 = db_stmt(a->first, SQL);
    a->s2 = db_stmt(a->first, SQL);
    if (a->s1 && sqlite3_step(a->s1) == SQLITE_ROW)
        a->value = sqlite3_column_int(a->s1, 0);
    if (a->s1)
        sqlite3_reset(a->s1);
    return NULL;
}

static void test_thread_connections(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open(t->path, err, sizeof err);
    assert_non_null(db);
    assert_true(db_migrate(db, NULL, err, sizeof err));
    db_close(db);
    db_set_path(t->path);
    struct thread_arg a[2];
    memset(a, 0, sizeof a);
    a[0].value = a[1].value = -1;
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++) {
        assert_non_null(a[i].first);
        assert_ptr_equal(a[i].first, a[i].second); /* one connection per thread */
        assert_non_null(a[i].s1);
        assert_ptr_equal(a[i].s1, a[i].s2); /* cached */
        assert_int_equal(a[i].value, 0);
    }
    assert_ptr_not_equal(a[0].first, a[1].first);
    db_close_all(); /* closes both (LeakSanitizer checks) */
}

static void test_stream_connections(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open_command(t->path, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
    db_set_path(t->path);
    db_set_stream_limit(2);
    sqlite3 *a = db_stream_acquire(), *b = db_stream_acquire();
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_null(db_stream_acquire()); /* past the limit: the caller answers 503 */
    assert_int_equal(db_streams_in_use(), 2);
    /* a read transaction is one snapshot: a write committed meanwhile is not seen */
    static const char COUNT[] = "SELECT count(*) FROM t";
    assert_true(db_read_begin(a));
    sqlite3_stmt *st = db_stmt(a, COUNT);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_reset(st);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO t VALUES (2)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_reset(st);
    db_stream_release(a); /* ends the transaction */
    assert_int_equal(sqlite3_get_autocommit(a), 1);
    assert_int_equal(db_streams_in_use(), 1);
    sqlite3 *c = db_stream_acquire();
    assert_ptr_equal(c, a); /* the idle one is reused, its statements cached */
    assert_ptr_equal(db_stmt(c, COUNT), st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_reset(st);
    db_stream_release(c);
    db_stream_release(b);
    db_stream_release(NULL); /* harmless */
    assert_int_equal(db_streams_in_use(), 0);
    db_set_stream_limit(DB_STREAMS_DEFAULT);
    db_close(db);
    db_close_all(); /* closes the stream connections too (LeakSanitizer checks) */
}

/* Applies migrations 1 to upto by hand (db_migrate applies them all). */
static void migrate_to(sqlite3 *db, int upto)
{
    for (int i = 0; i < upto; i++)
        if (sqlite3_exec(db, migrations[i].data, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("migration %s: %s", migrations[i].name, sqlite3_errmsg(db));
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", upto);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* A database at schema version `version` holding what `before` writes,
 * then migrated to the latest version (at least one migration applied). */
static sqlite3 *migrated_from(int version, const char *before)
{
    char err[256];
    sqlite3 *db = db_open_command(":memory:", err, sizeof(err));
    assert_non_null(db);
    migrate_to(db, version);
    assert_int_equal(sqlite3_exec(db, before, NULL, NULL, NULL), SQLITE_OK);
    int applied = 0;
    assert_true(db_migrate(db, &applied, err, sizeof(err)));
    assert_true(applied >= 1);
    return db;
}

/* A directory written before migration 0022 (links by UUID text) keeps
 * every link, now by row number: listings keep their own row numbers (the
 * listing cache is keyed by them), and the foreign keys hold, also after
 * 0023 rebuilt the organizations' table under the services naming it. */
static void test_migration_renumbers_the_directory_links(void **state)
{
    (void)state;
    sqlite3 *db = migrated_from(21,
                                "INSERT INTO dir_organization(id, name, raw) VALUES ('o1', 'Org', '{}');"
                                "INSERT INTO dir_service(rowid, id, organization_id, name, raw, raw_hash) VALUES "
                                " (7, 's7', 'o1', 'Seven', '{}', 'h7'), (9, 's9', 'o1', 'Nine', '{}', 'h9');"
                                "INSERT INTO dir_location(rowid, id, raw) VALUES (3, 'l3', '{}'), (4, 'l4', '{}');"
                                "INSERT INTO dir_taxonomy_term(id, code, name, raw) VALUES "
                                " ('tb', 'b', 'B', '{}'), ('ta', 'a', 'A', '{}');"
                                "INSERT INTO dir_service_term(service_id, term_id, link_type) VALUES "
                                " ('s7', 'ta', 'x'), ('s7', 'tb', ''), ('s9', 'tb', 'y');"
                                "INSERT INTO dir_service_at_location(rowid, id, service_id, location_id) VALUES "
                                " (42, 'sal42', 's9', 'l3'), (43, 'sal43', 's7', 'l4'), (44, 'sal44', 's7', 'l3');");
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_at_location sal "
                                     "JOIN dir_service s ON s.rowid = sal.service_rowid "
                                     "JOIN dir_location l ON l.rowid = sal.location_rowid WHERE "
                                     "(sal.rowid, sal.id, s.id, l.id) IN (VALUES (42, 'sal42', 's9', 'l3'), "
                                     "(43, 'sal43', 's7', 'l4'), (44, 'sal44', 's7', 'l3'))"),
                     3);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_term st "
                                     "JOIN dir_service s ON s.rowid = st.service_rowid "
                                     "JOIN dir_taxonomy_term t ON t.rowid = st.term_rowid WHERE "
                                     "(s.id, t.id) IN (VALUES ('s7', 'ta'), ('s7', 'tb'), ('s9', 'tb'))"),
                     3);
    /* 0028: the link's type is no longer kept (the documents have it) */
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM pragma_table_info('dir_service_term') "
                                     "WHERE name = 'link_type'"),
                     0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_term"), 3);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%\\_old%' ESCAPE '\\'"), 0);
    /* migration 0023: organizations by row, still the parent of services;
     * 0026: services name them by row number, the text column left NULL */
    long long o1 = wp_sql_long(db, "SELECT rowid FROM dir_organization WHERE rowid > 0 AND id = 'o1'");
    assert_true(o1 > 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service WHERE organization_id IS NULL AND "
                                     "organization_rowid = (SELECT rowid FROM dir_organization WHERE id = 'o1')"),
                     2);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM pragma_index_info('dir_service_organization_row') "
                                     "WHERE name = 'organization_rowid'"),
                     1);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO dir_service(id, organization_rowid, name, raw) "
                                      "VALUES ('s8', 999999, 'Eight', '{}')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO dir_service(id, organization_rowid, name, raw) "
                                  "SELECT 's8', rowid, 'Eight', '{}' FROM dir_organization WHERE id = 'o1'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* an organization its services name cannot go */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM dir_organization WHERE id = 'o1'", NULL, NULL, NULL), SQLITE_OK);
    /* a service's removal takes its links with it (ON DELETE CASCADE) */
    assert_int_equal(sqlite3_exec(db, "DELETE FROM dir_service WHERE id = 's7'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_term"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_at_location"), 1);
    db_close(db);
}

/* Migration 0027 stores the directory's lowercase UUIDs as 16 bytes and
 * leaves other ids as text; the ids read back the same, the listing cache
 * is left as it was (no id's text changed), and a later change of id
 * still clears the listing's brief. */
static void test_migration_stores_uuids_as_bytes(void **state)
{
    (void)state;
    sqlite3 *db = migrated_from(26,
                                "INSERT INTO dir_organization(rowid, id, name, raw) VALUES "
                                " (1, '8a247a13-b6e1-4cbf-8a05-f3f13071afa7', 'Org', '{}');"
                                "INSERT INTO dir_service(rowid, id, organization_rowid, name, raw) VALUES "
                                " (1, 'd2da022f-4d87-42a4-99b6-193a32440421', 1, 'One', '{}'), (2, 's2', 1, 'Two', '{}');"
                                "INSERT INTO dir_location(rowid, id, raw) VALUES "
                                " (1, '97e8bcf0-5433-4161-bab4-e443c8b35b23', '{}');"
                                "INSERT INTO dir_service_at_location(rowid, id, service_rowid, location_rowid) VALUES "
                                " (1, '42207ed0-0e2c-43e4-9634-2bf23ce89be3', 1, 1), (2, 'SAL-2', 2, 1);"
                                "DELETE FROM dir_sal_dirty;"
                                "INSERT INTO dir_sal_brief(sal_rowid, brief) VALUES (1, '{}'), (2, '{}');");
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service WHERE typeof(id) = 'blob' AND length(id) = 16 "
                                     "AND wp_id_text(id) = 'd2da022f-4d87-42a4-99b6-193a32440421'"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service WHERE id = 's2' AND typeof(id) = 'text'"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_organization o JOIN dir_location l JOIN "
                                     "dir_service_at_location sal ON sal.rowid = 1 WHERE "
                                     "o.id = wp_id('8a247a13-b6e1-4cbf-8a05-f3f13071afa7') AND "
                                     "l.id = wp_id('97e8bcf0-5433-4161-bab4-e443c8b35b23') AND "
                                     "sal.id = wp_id('42207ed0-0e2c-43e4-9634-2bf23ce89be3') AND typeof(sal.id) = 'blob'"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_at_location WHERE id = 'SAL-2'"), 1);
    /* the cache as it was; its triggers back */
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_sal_brief"), 2);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_sal_dirty"), 0);
    assert_int_equal(sqlite3_exec(db, "UPDATE dir_service_at_location SET id = 'sal-1' WHERE rowid = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_sal_brief"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_sal_dirty WHERE sal_rowid = 1"), 1);
    db_close(db);
}

/* Migration 0029 keeps when each service last changed as a number: the
 * same second, given back as the same text. */
static void test_migration_keeps_modified_as_a_number(void **state)
{
    (void)state;
    sqlite3 *db = migrated_from(28, "INSERT INTO dir_service(id, name, raw, modified_at) VALUES "
                                    " ('s1', 'One', '{}', '2024-05-01T12:34:56Z'), ('s2', 'Two', '{}', 'not a time')");
    assert_int_equal(wp_sql_long(db, "SELECT modified FROM dir_service WHERE id = 's1'"), 1714566896);
    assert_int_equal(wp_sql_long(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', modified, 'unixepoch') = "
                                     "'2024-05-01T12:34:56Z' FROM dir_service WHERE id = 's1'"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT modified FROM dir_service WHERE id = 's2'"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM pragma_table_info('dir_service') WHERE name = 'modified_at'"),
                     0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM pragma_index_info('dir_service_modified') "
                                     "WHERE name = 'modified'"),
                     1);
    db_close(db);
}

/* Every foreign key's column leads an index (or is the key): SQLite checks
 * a foreign key whenever its parent row goes or changes its key, and
 * without an index each check reads the whole child table. (0026 once
 * dropped the index of dir_service.organization_id, which stayed as a
 * foreign key: 0027's rewrite of the organizations' ids then read every
 * service once per organization.) */
static void test_foreign_keys_are_indexed(void **state)
{
    (void)state;
    sqlite3 *db = migrated_from(0, "");
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT m.name, f.\"from\" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f "
                                        "WHERE m.type = 'table' AND f.seq = 0 AND NOT EXISTS (SELECT 1 FROM "
                                        "pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii WHERE "
                                        "ii.seqno = 0 AND ii.name = f.\"from\") AND f.\"from\" NOT IN "
                                        "(SELECT name FROM pragma_table_info(m.name) WHERE pk = 1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    int unindexed = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        print_error("foreign key without an index: %s.%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
        unindexed++;
    }
    sqlite3_finalize(st);
    assert_int_equal(unindexed, 0);
    assert_true(wp_sql_long(db, "SELECT count(*) FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f "
                                "WHERE m.type = 'table'") > 5);
    db_close(db);
}

/* The bulk connection leaves checkpoints to its command; the sizes it
 * decides by are the WAL's and the free disk's. */
static void test_bulk_wal_and_free_bytes(void **state)
{
    struct tmpdb *t = *state;
    char err[512] = "";
    sqlite3 *db = db_open_bulk(t->path, err, sizeof err);
    if (!db)
        fail_msg("db_open_bulk: %s", err);
    assert_int_equal(query_int(db, "PRAGMA wal_autocheckpoint"), 0);
    assert_true(db_free_bytes(db) > 0);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE w(v); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                      "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO w SELECT zeroblob(1000) FROM n", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_true(db_wal_bytes(db) > 2000 * 1000); /* nothing copied at commit */
    assert_true(db_checkpoint(db));
    assert_int_equal(db_wal_bytes(db), 0);
    assert_int_equal(query_int(db, "SELECT count(*) FROM w"), 2000);
    db_close(db);
}

static void test_close_null(void **state)
{
    (void)state;
    db_close(NULL); /* harmless */
}

int main(void)
{
    /* the expected errors below are logged; keep the output readable */
    log_set_level((enum log_level)(LOG_ERROR + 1));
#define TEST_CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST_CASE(test_open),
        TEST_CASE(test_open_creates),
        TEST_CASE(test_open_fails),
        TEST_CASE(test_open_unwritable),
        TEST_CASE(test_migrate),
        TEST_CASE(test_migrate_newer_db),
        TEST_CASE(test_migrate_failure_rolls_back),
        TEST_CASE(test_stmt_cache),
        TEST_CASE(test_stmt_error),
        TEST_CASE(test_stmt_unknown_connection),
        TEST_CASE(test_transactions),
        TEST_CASE(test_thread_connections),
        TEST_CASE(test_stream_connections),
        TEST_CASE(test_migration_stores_uuids_as_bytes),
        TEST_CASE(test_migration_keeps_modified_as_a_number),
        TEST_CASE(test_foreign_keys_are_indexed),
        TEST_CASE(test_close_null),
        TEST_CASE(test_bulk_wal_and_free_bytes),
        TEST_CASE(test_migration_renumbers_the_directory_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
