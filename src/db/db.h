/* db: SQLite connections, pragmas, migrations and the statement cache.
 *
 * Each worker thread has its own connection (opened on first use by
 * db_thread()), with WAL, foreign keys and a busy timeout. Store files ask
 * db_stmt(conn, SQL) for a prepared statement: it is prepared once per
 * connection, cached by the address of the SQL string literal, and handed
 * back reset and unbound. SQL is never built from strings at run time.
 *
 * Migrations are the files of db/migrations/ compiled into the binary, each
 * run in its own transaction; PRAGMA user_version records the last one. */
#ifndef WP_DB_H
#define WP_DB_H

#include <sqlite3.h>

/* How long a connection waits for another writer before SQLITE_BUSY. */
#define DB_BUSY_MS 5000

struct arena;
#include <stdbool.h>
#include <stddef.h>

/* Opens (creating if needed) the database at path with Waypost's pragmas.
 * NULL with a sentence in err when the file cannot be opened or written. */
sqlite3 *db_open(const char *path, char *err, size_t errlen);

/* Opens a connection for use outside the worker threads (commands, the
 * start-up work, tests): like db_open, and db_stmt caches statements for it.
 * Close it with db_close. */
sqlite3 *db_open_command(const char *path, char *err, size_t errlen);
/* Finalizes the statements cached for db and closes it. */
void db_close(sqlite3 *db);

/* Applies every migration newer than user_version. Idempotent. Reports the
 * number applied through *applied (may be NULL). */
bool db_migrate(sqlite3 *db, int *applied, char *err, size_t errlen);
int db_schema_version(sqlite3 *db);
/* For commands: opens path (db_open_command) and applies the migrations;
 * when verbose, prints the schema version and how many were applied.
 * NULL with err set on failure. */
sqlite3 *db_open_migrated(const char *path, bool verbose, char *err, size_t errlen);
/* For a command that writes much in a few transactions (an import):
 * db_open_migrated (not verbose) over the WAL-gathering VFS (wal_batch.h),
 * with temp files (statement journals) in memory and no checkpoint at
 * commit: the command checkpoints (db_wal_bytes, db_checkpoint), at the
 * latest before it ends. Not for a connection that makes big temp tables
 * (the export). */
sqlite3 *db_open_bulk(const char *path, char *err, size_t errlen);
int db_latest_version(void);

/* The path per-thread connections open. Set once before serving. */
void db_set_path(const char *path);
/* This thread's connection, or NULL (logged) if it cannot be opened. */
sqlite3 *db_thread(void);
/* Closes every per-thread connection; call after all workers stopped. */
void db_close_all(void);

/* Connections for streamed answers (http/stream.h). A stream reads its
 * rows in one read transaction held for the life of the answer, so it
 * cannot use its worker thread's connection (the thread serves other
 * requests between the stream's chunks, and a statement stepped across
 * calls must not be reset by them). At most db_set_stream_limit (default
 * DB_STREAMS_DEFAULT) are in use at once; a released one stays open, idle,
 * for the next stream (statements cached, small page cache). Thread-safe;
 * one thread at a time uses an acquired connection. */
#define DB_STREAMS_DEFAULT 32
void db_set_stream_limit(int n);
/* NULL when every stream connection is in use or one cannot be opened. */
sqlite3 *db_stream_acquire(void);
/* Ends any transaction left open and puts db back for reuse. */
void db_stream_release(sqlite3 *db);
/* How many are acquired now (for /metrics and tests). */
int db_streams_in_use(void);

/* A cached prepared statement for sql on conn, reset and unbound; NULL on a
 * prepare error (logged and counted). sql must be a string literal (its
 * address is the cache key). */
sqlite3_stmt *db_stmt(sqlite3 *conn, const char *sql);

/* Runs a statement that returns no rows (INSERT, UPDATE, DELETE), then
 * resets it and clears its bindings; false (the error noted under what)
 * unless it finished. The helper every store file uses for writes. */
bool db_run(sqlite3 *db, sqlite3_stmt *st, const char *what);

/* Binds s as text, or NULL when s is NULL (the text is not copied: it must
 * outlive the statement's next step). */
void db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/* Column i of the current row as a string copied into a ("" for NULL). */
const char *db_col_text(struct arena *a, sqlite3_stmt *st, int i);

/* With WAYPOST_QUERY_PLANS=FILE set, appends sql's query plan to FILE
 * (db_plans.c; db_stmt calls it when it first prepares a statement). */
void db_plan_note(sqlite3 *db, const char *sql);

/* Counts of database errors since start (for /metrics). */
unsigned long db_error_count(void);
void db_note_error(sqlite3 *conn, const char *what);

/* For a connection about to read a large table once, start to end (the
 * map index's points): a small page cache (a large one only costs fresh
 * memory, page by page) and reads through a memory map, unmapped when the
 * connection closes. */
void db_for_one_scan(sqlite3 *db);

/* Copies the WAL into the database and truncates it to zero bytes (for
 * commands, after a large write, so the -wal file does not keep the size
 * of the largest import while a server holds the database open). Waits
 * on the busy timeout for readers; false when it could not finish. */
bool db_checkpoint(sqlite3 *db);
/* The size of the database's -wal file in bytes (0: none). */
long long db_wal_bytes(sqlite3 *db);
/* The bytes free (to this user) on the file system of the database, or
 * -1 when unknown. */
long long db_free_bytes(sqlite3 *db);

/* Runs BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
bool db_begin(sqlite3 *conn);
/* A read transaction around several reads of one request: they share one
 * snapshot and take the WAL read lock once, not once per statement. End
 * it with db_read_end (also after a failed read). */
bool db_read_begin(sqlite3 *conn);
void db_read_end(sqlite3 *conn);
bool db_commit(sqlite3 *conn);
void db_rollback(sqlite3 *conn);

#endif
