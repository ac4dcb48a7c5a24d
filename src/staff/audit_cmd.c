/* audit_cmd: the audit log's command. See audit_cmd.h.
 *
 * It opens the database without migrating it (checking must not change
 * the file), walks the chain in one read snapshot, shows progress on a
 * terminal for a large log, and ends with a summary: the row count and
 * the newest row's time and hash (keep those elsewhere: a chain cannot
 * show rows cut from its end, a copy of its last hash can). */
#include "staff/audit_cmd.h"
#include "auth/audit.h"
#include "auth/audit_store.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* staff_audit comes with migration 0008. */
#define AUDIT_SCHEMA 8
#define PROGRESS_FROM 20000 /* rows: smaller logs are checked in a blink */
#define PROGRESS_EVERY 10000

struct progress {
    long total;
    bool shown;
};

static void show(long done, void *ctx)
{
    struct progress *p = ctx;
    fprintf(stderr, "\r  audit log: %ld of %ld rows checked", done, p->total);
    p->shown = true;
}

struct newest {
    long id;
    char at[32], hash[65];
};

static bool keep_newest(const audit_row *r, void *ctx)
{
    struct newest *n = ctx;
    n->id = r->id;
    snprintf(n->at, sizeof(n->at), "%s", r->at);
    snprintf(n->hash, sizeof(n->hash), "%s", r->hash);
    return false;
}

static const char *why(const audit_check *c, char *out, size_t n)
{
    if (!c->bad_prev)
        snprintf(out, n, "its fields do not match its hash: the row was changed");
    else if (c->prev_id)
        snprintf(out, n,
                 "its prev_hash is not the hash of row %ld before it: rows between them were removed, or rows were "
                 "reordered or rewritten",
                 c->prev_id);
    else
        snprintf(out, n, "it is the first row but does not start the chain: earlier rows were removed");
    return out;
}

static int report(sqlite3 *db, const audit_check *c, long total)
{
    char reason[256];
    if (c->broken > 0) {
        printf("audit log: link broken at row %ld (%s)\n", c->broken, why(c, reason, sizeof(reason)));
        printf("audit log: %ld row%s in all; %ld checked before row %ld hold, it and later rows cannot be trusted\n",
               total, total == 1 ? "" : "s", c->rows - 1, c->broken);
        return 1;
    }
    printf("audit log: %ld row%s, chain intact\n", c->rows, c->rows == 1 ? "" : "s");
    struct newest n = {0};
    audit_filter all = {0};
    if (c->rows > 0 && audit_store_list(db, &all, 0, 1, keep_newest, &n) && n.id)
        printf("audit log: newest row %ld at %s, hash %s\n", n.id, n.at, n.hash);
    return 0;
}

int audit_cmd_verify(const config *cfg, const cli_args *a)
{
    (void)a;
    char err[1024];
    if (access(cfg->db_path, F_OK) != 0) {
        snprintf(err, sizeof(err), "there is no database at %s (give its path with --db PATH)", cfg->db_path);
        return cli_fail(err);
    }
    sqlite3 *db = db_open_command(cfg->db_path, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    int version = db_schema_version(db);
    if (version < AUDIT_SCHEMA) {
        db_close(db);
        snprintf(err, sizeof(err), "the database at %s has no audit log yet (schema version %d; `waypost migrate` "
                                   "adds it)", cfg->db_path, version);
        return cli_fail(err);
    }
    long total = audit_store_count_all(db);
    struct progress p = {.total = total};
    audit_check c = {0};
    if (total >= PROGRESS_FROM && isatty(STDERR_FILENO)) {
        c.progress = show;
        c.ctx = &p;
        c.every = PROGRESS_EVERY;
    }
    long r = audit_verify_check(db, &c);
    if (p.shown)
        fputc('\n', stderr);
    int rc = r < 0 ? cli_fail("the audit log could not be read (a database error, logged above)")
                   : report(db, &c, total);
    db_close(db);
    return rc;
}
