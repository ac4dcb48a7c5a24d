/* wp_test.h: small helpers shared by the unit tests. Include it after
 * <cmocka.h>.
 *
 * skip_known_bug() starts a test that shows a bug in src/ which is not fixed
 * yet (each such test has a BUG comment). The test is skipped so the suite
 * stays green; run the binary with WP_TEST_BUGS=1 in the environment to
 * run these tests and see them fail. Once the bug is fixed, remove the
 * skip_known_bug() line. */
#ifndef WP_TEST_H
#define WP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#define skip_known_bug()                 \
    do {                                 \
        if (!getenv("WP_TEST_BUGS"))     \
            skip();                      \
    } while (0)

/* Fails unless the C string hay contains needle. */
#define assert_contains(hay, needle)                                                   \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        if (!hay_ || !strstr(hay_, needle_))                                           \
            fail_msg("\"%s\" does not contain \"%s\"", hay_ ? hay_ : "(null)", needle_); \
    } while (0)

/* Fails if the C string hay contains needle. */
#define assert_not_contains(hay, needle)                                               \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        if (hay_ && strstr(hay_, needle_))                                             \
            fail_msg("\"%s\" contains \"%s\"", hay_, needle_);                         \
    } while (0)

/* A migrated database in memory. */
static inline sqlite3 *wp_memory_db(void)
{
    char err[256];
    sqlite3 *db = db_open_command(":memory:", err, sizeof(err));
    if (!db || !db_migrate(db, NULL, err, sizeof(err)))
        fail_msg("%s", err);
    return db;
}

/* A new empty temporary file (an empty file is a valid empty database),
 * its path in path. */
static inline void wp_temp_path(char path[64])
{
    snprintf(path, 64, "%s", "/tmp/wp_test_db_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* A new temporary file holding the n bytes of data (its path in path). */
static inline void wp_temp_file(char path[64], const void *data, size_t n)
{
    snprintf(path, 64, "%s", "/tmp/wp_test_file_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
}

/* Removes a temporary database and its -wal, -shm and -journal files. */
static inline void wp_temp_unlink(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", path, sides[i]);
        unlink(p);
    }
}

/* A migrated database in a new temporary file (its path in path, for
 * code that opens it by name); the caller closes and unlinks it. */
static inline sqlite3 *wp_temp_db(char path[64])
{
    wp_temp_path(path);
    char err[256];
    sqlite3 *db = db_open_command(path, err, sizeof(err));
    assert_non_null(db);
    if (!db_migrate(db, NULL, err, sizeof(err)))
        fail_msg("%s", err);
    return db;
}

/* The first column of the one row sql gives, as text in out. */
static inline const char *wp_sql_text(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* The first column of the one row sql gives, as a number (a count). */
static inline long wp_sql_long(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#endif
