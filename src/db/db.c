/* db: connections, pragmas, migrations, per-thread statement cache. */
#include "db/db.h"
#include "db/doc_zip.h"
#include "db/id_key.h"
#include "db/nested_doc.h"
#include "db/wal_batch.h"
#include "db/embedded.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <string.h>

/* Room for every statement the program prepares on one connection (about
 * 290 in src/ now; scripts/check_structure.py fails past half of this). */
#define STMT_SLOTS 1024

struct stmt_slot {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct conn {
    sqlite3 *db;
    struct stmt_slot slots[STMT_SLOTS];
    struct conn *next;
    bool busy; /* a stream connection in use */
};

static char db_path_g[1024];
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;
static _Thread_local struct conn *tl_conn;
/* Connections opened by db_open outside the worker threads (commands, tests). */
static struct conn *others;
static void register_other(sqlite3 *db);
/* Connections for streamed answers, busy or idle (db_stream_acquire). */
static struct conn *streams;
static int streams_limit = DB_STREAMS_DEFAULT, streams_busy;
static atomic_ulong db_errors;

static bool exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

/* db_open over the VFS named vfs_name (NULL: the default). */
static sqlite3 *open_over(const char *path, const char *vfs_name, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, vfs_name) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, DB_BUSY_MS);
    if (!doc_zip_register(db) || !id_key_register(db) || !nested_doc_register(db)) {
        snprintf(err, errlen, "database %s: could not add wp_doc(), wp_id() and wp_nested_*(): %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    char why[512];
    if (!exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", why,
                  sizeof(why)) ||
        !exec_sql(db, "CREATE TABLE IF NOT EXISTS temp.wp_probe(x); DROP TABLE temp.wp_probe;", why, sizeof(why))) {
        snprintf(err, errlen, "database %s is not usable: %s (is the file and its folder writable?)", path, why);
        sqlite3_close(db);
        return NULL;
    }
    if (sqlite3_db_readonly(db, "main") == 1) {
        snprintf(err, errlen, "database %s is read-only: make the file and its folder writable", path);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

sqlite3 *db_open(const char *path, char *err, size_t errlen)
{
    return open_over(path, NULL, err, errlen);
}

/* The settings of a command's connection (db_open_command); NULL stays
 * NULL. */
static sqlite3 *for_command(sqlite3 *db)
{
    if (!db)
        return NULL;
    /* Imports write large transactions: with SQLite's default 2 MB page
     * cache their dirty pages spill into the WAL and every later read
     * searches it (a 1M-listing import spent 40% of its time there). The
     * cache grows only as far as it is used. */
    char why[256];
    if (!exec_sql(db, "PRAGMA cache_size = -262144", why, sizeof(why)))
        log_error("database: could not enlarge the page cache: %s", why);
    register_other(db);
    return db;
}

sqlite3 *db_open_command(const char *path, char *err, size_t errlen)
{
    return for_command(open_over(path, NULL, err, errlen));
}

void db_for_one_scan(sqlite3 *db)
{
    char why[256];
    if (!exec_sql(db, "PRAGMA cache_size = -2000; PRAGMA mmap_size = 2147418112", why, sizeof(why)))
        log_error("database: settings for a scan: %s", why);
}

int db_schema_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int db_latest_version(void)
{
    return (int)migrations_count;
}

/* Migration files are named NNNN_what.sql and numbered from 1 in order. */
static bool apply_migration(sqlite3 *db, int number, const struct embedded_file *m, char *err, size_t errlen)
{
    char why[512];
    if (!exec_sql(db, "BEGIN IMMEDIATE", why, sizeof(why))) {
        snprintf(err, errlen, "migration %s: %s", m->name, why);
        return false;
    }
    char pragma[64];
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", number);
    if (!exec_sql(db, m->data, why, sizeof(why)) || !exec_sql(db, pragma, why, sizeof(why))) {
        exec_sql(db, "ROLLBACK", why, sizeof(why));
        snprintf(err, errlen, "migration %s failed and was rolled back: %s", m->name, why);
        return false;
    }
    if (!exec_sql(db, "COMMIT", why, sizeof(why))) {
        snprintf(err, errlen, "migration %s: commit failed: %s", m->name, why);
        return false;
    }
    return true;
}

bool db_migrate(sqlite3 *db, int *applied, char *err, size_t errlen)
{
    int have = db_schema_version(db), count = 0;
    if (have < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(db));
        return false;
    }
    if (have > (int)migrations_count) {
        snprintf(err, errlen, "the database is at schema version %d but this binary knows only %d: use a newer waypost",
                 have, (int)migrations_count);
        return false;
    }
    for (int i = have; i < (int)migrations_count; i++) {
        if (!apply_migration(db, i + 1, &migrations[i], err, errlen))
            return false;
        count++;
    }
    if (applied)
        *applied = count;
    return true;
}

void db_set_path(const char *path)
{
    str_copy(db_path_g, sizeof(db_path_g), path);
}

/* A new connection to the served database; a failure is counted and
 * logged. */
static sqlite3 *open_counted(void)
{
    char err[512];
    sqlite3 *db = db_open(db_path_g, err, sizeof(err));
    if (!db) {
        atomic_fetch_add(&db_errors, 1);
        log_error("%s", err);
    }
    return db;
}

sqlite3 *db_thread(void)
{
    if (tl_conn)
        return tl_conn->db;
    sqlite3 *db = open_counted();
    if (!db)
        return NULL;
    /* Request threads read through a memory map: no copy out of the
     * page cache per page read (SQLite caps it at its compile-time
     * maximum, 2 GB on Debian). */
    char err2[256];
    if (!exec_sql(db, "PRAGMA mmap_size = 2147418112", err2, sizeof(err2)))
        log_error("database: memory-mapped reads are off: %s", err2);
    struct conn *c = xcalloc(1, sizeof(*c));
    c->db = db;
    pthread_mutex_lock(&conns_lock);
    c->next = conns;
    conns = c;
    pthread_mutex_unlock(&conns_lock);
    tl_conn = c;
    return db;
}

static void conn_close(struct conn *c)
{
    for (int i = 0; i < STMT_SLOTS; i++)
        sqlite3_finalize(c->slots[i].stmt);
    sqlite3_close(c->db);
    free(c);
}

static void close_list(struct conn *c)
{
    while (c) {
        struct conn *next = c->next;
        conn_close(c);
        c = next;
    }
}

void db_close_all(void)
{
    pthread_mutex_lock(&conns_lock);
    struct conn *c = conns, *s = streams;
    conns = NULL;
    streams = NULL;
    streams_busy = 0;
    pthread_mutex_unlock(&conns_lock);
    close_list(c);
    close_list(s);
    tl_conn = NULL;
}

void db_set_stream_limit(int n)
{
    pthread_mutex_lock(&conns_lock);
    streams_limit = n > 0 ? n : 1;
    pthread_mutex_unlock(&conns_lock);
}

/* A new stream connection (the caller counted it busy). */
static struct conn *stream_open(void)
{
    sqlite3 *db = open_counted();
    if (!db)
        return NULL;
    /* No memory map: each connection maps the file apart, and a stream
     * touches every page of its list, so 24 streams counted the database
     * 24 times in the process's RSS (989 MB on the seeded directory). A
     * small page cache of its own instead: many may be open at once. */
    char err[512];
    if (!exec_sql(db, "PRAGMA mmap_size = 0; PRAGMA cache_size = -512", err, sizeof(err)))
        log_error("database: stream connection settings: %s", err);
    struct conn *c = xcalloc(1, sizeof(*c));
    c->db = db;
    c->busy = true;
    return c;
}

sqlite3 *db_stream_acquire(void)
{
    pthread_mutex_lock(&conns_lock);
    if (streams_busy >= streams_limit) {
        pthread_mutex_unlock(&conns_lock);
        return NULL;
    }
    streams_busy++;
    struct conn *c = streams;
    while (c && c->busy)
        c = c->next;
    if (c)
        c->busy = true;
    pthread_mutex_unlock(&conns_lock);
    if (c)
        return c->db;
    c = stream_open();
    pthread_mutex_lock(&conns_lock);
    if (c) {
        c->next = streams;
        streams = c;
    } else {
        streams_busy--;
    }
    pthread_mutex_unlock(&conns_lock);
    return c ? c->db : NULL;
}

void db_stream_release(sqlite3 *db)
{
    if (!db)
        return;
    if (!sqlite3_get_autocommit(db))
        db_rollback(db); /* a read transaction: nothing to keep */
    pthread_mutex_lock(&conns_lock);
    for (struct conn *c = streams; c; c = c->next)
        if (c->db == db && c->busy) {
            c->busy = false;
            streams_busy--;
            break;
        }
    pthread_mutex_unlock(&conns_lock);
}

int db_streams_in_use(void)
{
    pthread_mutex_lock(&conns_lock);
    int n = streams_busy;
    pthread_mutex_unlock(&conns_lock);
    return n;
}

static struct conn *conn_for(sqlite3 *db)
{
    if (tl_conn && tl_conn->db == db)
        return tl_conn;
    pthread_mutex_lock(&conns_lock);
    struct conn *c = others;
    while (c && c->db != db)
        c = c->next;
    for (struct conn *s = streams; !c && s; s = s->next)
        if (s->db == db)
            c = s;
    pthread_mutex_unlock(&conns_lock);
    return c;
}

/* Registers a connection opened for a command so its statements are cached
 * and finalized by db_close. */
static void register_other(sqlite3 *db)
{
    struct conn *c = xcalloc(1, sizeof(*c));
    c->db = db;
    pthread_mutex_lock(&conns_lock);
    c->next = others;
    others = c;
    pthread_mutex_unlock(&conns_lock);
}

void db_close(sqlite3 *db)
{
    if (!db)
        return;
    pthread_mutex_lock(&conns_lock);
    struct conn **pp = &others;
    while (*pp && (*pp)->db != db)
        pp = &(*pp)->next;
    struct conn *c = *pp;
    if (c)
        *pp = c->next;
    pthread_mutex_unlock(&conns_lock);
    if (c) {
        conn_close(c);
        return;
    }
    sqlite3_close(db);
}

sqlite3_stmt *db_stmt(sqlite3 *db, const char *sql)
{
    struct conn *c = conn_for(db);
    if (c) {
        size_t h = ((uintptr_t)sql >> 3) % STMT_SLOTS;
        for (size_t i = 0; i < STMT_SLOTS; i++) {
            struct stmt_slot *s = &c->slots[(h + i) % STMT_SLOTS];
            if (s->sql == sql) {
                sqlite3_reset(s->stmt);
                sqlite3_clear_bindings(s->stmt);
                return s->stmt;
            }
            if (!s->sql) {
                if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL) != SQLITE_OK) {
                    db_note_error(db, "prepare");
                    s->stmt = NULL;
                    return NULL;
                }
                s->sql = sql;
                db_plan_note(db, sql);
                return s->stmt;
            }
        }
    }
    /* The cache is full or the connection is unknown: a one-off statement
     * the caller must not keep (never happens with the statement counts we
     * have; logged so that it is noticed). */
    db_note_error(db, "statement cache full or unknown connection");
    return NULL;
}

bool db_run(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        db_note_error(db, what);
        return false;
    }
    return true;
}

void db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

const char *db_col_text(arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return arena_strdup(a, t ? (const char *)t : "");
}

unsigned long db_error_count(void)
{
    return atomic_load(&db_errors);
}

void db_note_error(sqlite3 *conn, const char *what)
{
    atomic_fetch_add(&db_errors, 1);
    log_error("database error (%s): %s", what, conn ? sqlite3_errmsg(conn) : "no connection");
}

bool db_begin(sqlite3 *conn)
{
    char err[256];
    if (!exec_sql(conn, "BEGIN IMMEDIATE", err, sizeof(err))) {
        db_note_error(conn, "begin");
        return false;
    }
    return true;
}

bool db_read_begin(sqlite3 *conn)
{
    sqlite3_stmt *st = db_stmt(conn, "BEGIN DEFERRED");
    bool ok = st && sqlite3_step(st) == SQLITE_DONE;
    if (st)
        sqlite3_reset(st);
    return ok;
}

void db_read_end(sqlite3 *conn)
{
    if (sqlite3_get_autocommit(conn))
        return;
    sqlite3_stmt *st = db_stmt(conn, "COMMIT");
    if (st) {
        sqlite3_step(st);
        sqlite3_reset(st);
    }
}

bool db_commit(sqlite3 *conn)
{
    char err[256];
    if (!exec_sql(conn, "COMMIT", err, sizeof(err))) {
        db_note_error(conn, "commit");
        return false;
    }
    return true;
}

void db_rollback(sqlite3 *conn)
{
    char err[256];
    exec_sql(conn, "ROLLBACK", err, sizeof(err));
}

/* The migrations applied to db (db_open_migrated); NULL stays NULL, and
 * db is closed when they fail. */
static sqlite3 *migrated(sqlite3 *db, const char *path, bool verbose, char *err, size_t errlen)
{
    if (!db)
        return NULL;
    int applied = 0;
    if (!db_migrate(db, &applied, err, errlen)) {
        db_close(db);
        return NULL;
    }
    if (verbose)
        printf("database %s: schema version %d (%d migration%s applied)\n", path, db_schema_version(db), applied,
               applied == 1 ? "" : "s");
    return db;
}

sqlite3 *db_open_migrated(const char *path, bool verbose, char *err, size_t errlen)
{
    return migrated(for_command(open_over(path, NULL, err, errlen)), path, verbose, err, errlen);
}

/* Temp files (statement journals) in memory, for a connection that
 * writes one large transaction. */
static void bulk_writes(sqlite3 *db)
{
    /* A statement that fires triggers (every upsert of an import does:
     * the listing cache's dirty list, the search index) keeps a statement
     * journal so that it can be undone alone; in a file, as by default,
     * each one is a write system call. In memory they are a copy. */
    char why[256];
    if (!exec_sql(db, "PRAGMA temp_store = MEMORY", why, sizeof(why)))
        log_error("database: statement journals stay in files: %s", why);
    /* The command checkpoints when it chooses (db_wal_bytes): a page that
     * every transaction changes (an index on random ids) is then copied
     * into the database once, not once a transaction, and no commit waits
     * on a checkpoint's writes and syncs. */
    if (!exec_sql(db, "PRAGMA wal_autocheckpoint = 0", why, sizeof(why)))
        log_error("database: the WAL is checkpointed at every commit: %s", why);
}

sqlite3 *db_open_bulk(const char *path, char *err, size_t errlen)
{
    bool batch = wal_batch_register();
    if (!batch)
        log_error("database: the WAL-gathering VFS could not be registered; writing as usual");
    sqlite3 *db = migrated(for_command(open_over(path, batch ? WAL_BATCH_VFS : NULL, err, errlen)), path, false, err,
                           errlen);
    if (db)
        bulk_writes(db);
    return db;
}


long long db_free_bytes(sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    char dir[1024];
    if (!path || !*path || !str_copy(dir, sizeof(dir), path))
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    struct statvfs vfs;
    if (statvfs(slash ? dir : ".", &vfs) != 0)
        return -1;
    return (long long)vfs.f_bavail * (long long)vfs.f_frsize;
}

long long db_wal_bytes(sqlite3 *db)
{
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
    struct stat st;
    return wal && stat(wal, &st) == 0 ? (long long)st.st_size : 0;
}

bool db_checkpoint(sqlite3 *db)
{
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (rc != SQLITE_OK)
        db_note_error(db, "checkpoint");
    return rc == SQLITE_OK;
}
