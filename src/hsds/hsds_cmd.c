/* hsds_cmd: the directory's import and export commands. See hsds_cmd.h. */
#include "hsds/hsds_cmd.h"
#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_convert.h"
#include "hsds/hsds_export.h"
#include "hsds/hsds_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A folder is an HSDS CSV datapackage (datapackage.json and its CSVs);
 * anything else is JSON or NDJSON. */
static bool import_path(sqlite3 *db, const char *path, hsds_import_counts *c, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return hsds_import_path(db, path, c, err, errlen);
    char *nd = hsds_convert_datapackage(path, err, errlen);
    if (!nd)
        return false;
    bool ok = hsds_import_text(db, path, nd, strlen(nd), c, err, errlen);
    free(nd);
    return ok;
}

/* One summary line: "39 taxonomy terms" for a taxonomy file, else the
 * services' counts, the as-of date of a converted file (NULL for HSDS
 * input) and unmapped locations when any. (The terms a services file
 * carries inside its services are not counted: they repeat per service.) */
static void print_summary(const char *path, const hsds_import_counts *c, const char *as_of)
{
    long services = c->added + c->updated + c->unchanged + c->rejected;
    if (!services && c->terms) {
        printf("%s: %ld taxonomy term%s\n", path, c->terms, c->terms == 1 ? "" : "s");
        return;
    }
    printf("%s: %ld service%s (%ld added, %ld updated, %ld unchanged, %ld rejected)", path, services,
           services == 1 ? "" : "s", c->added, c->updated, c->unchanged, c->rejected);
    if (as_of)
        printf(" (as of %s)", as_of);
    if (c->unmapped)
        printf("; %ld locations have no usable coordinates and are not on the map", c->unmapped);
    printf("\n");
}

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Where the import's time went (wall, and CPU in brackets), on a terminal
 * or when WAYPOST_IMPORT_STEPS is set: for bench/ and profiling. */
static void print_steps(const hsds_import_counts *c, double ckpt_wall, double ckpt_cpu)
{
    const char *env = getenv("WAYPOST_IMPORT_STEPS");
    if (!isatty(STDERR_FILENO) && !(env && *env))
        return;
    fprintf(stderr,
            "  steps: records %.2f s (cpu %.2f, writer %.2f), search index %.2f s (cpu %.2f), "
            "listing cache %.2f s (cpu %.2f), commit %.2f s (cpu %.2f), checkpoint %.2f s (cpu %.2f)\n",
            c->wall[HSDS_STEP_RECORDS], c->cpu[HSDS_STEP_RECORDS], c->writer_cpu, c->wall[HSDS_STEP_SEARCH],
            c->cpu[HSDS_STEP_SEARCH], c->wall[HSDS_STEP_CACHE], c->cpu[HSDS_STEP_CACHE], c->wall[HSDS_STEP_COMMIT],
            c->cpu[HSDS_STEP_COMMIT], ckpt_wall, ckpt_cpu);
}

/* The WAL size past which a command's import copies it into the database
 * (db_open_bulk leaves the checkpoints to the command): a quarter of the
 * disk free when it starts, within [256 MiB, 4 GiB]. Each checkpoint
 * copies every page the WAL holds (a million services in files of 50,000
 * wrote 2.07 GB of WAL; a checkpoint at 1 GiB took 3.2 s, and the last
 * copies each page once whatever came before). */
#define WAL_BOUND_LEAST (256LL * 1024 * 1024)
#define WAL_BOUND_MOST (4096LL * 1024 * 1024)

static long long wal_bound(sqlite3 *db)
{
    long long free_bytes = db_free_bytes(db), bound = free_bytes < 0 ? WAL_BOUND_LEAST : free_bytes / 4;
    return bound < WAL_BOUND_LEAST ? WAL_BOUND_LEAST : bound > WAL_BOUND_MOST ? WAL_BOUND_MOST : bound;
}

/* Imports one file (its summary line printed) and checkpoints when the
 * WAL has passed bound bytes (0: always); false with err set when the file
 * was refused. Its counts are added to *total. */
static bool import_one(sqlite3 *db, const char *path, long long bound, hsds_import_counts *total, char *err,
                       size_t errlen)
{
    hsds_import_counts c = {0};
    if (!import_path(db, path, &c, err, errlen))
        return false;
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (!bound || db_wal_bytes(db) > bound)
        db_checkpoint(db);
    print_summary(path, &c, NULL);
    print_steps(&c, clock_s(CLOCK_MONOTONIC) - w0, clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
    total->added += c.added;
    total->updated += c.updated;
    total->unchanged += c.unchanged;
    total->rejected += c.rejected;
    total->terms += c.terms;
    total->unmapped += c.unmapped;
    return true;
}

bool hsds_cmd_import_one(sqlite3 *db, const char *path)
{
    char err[1024];
    hsds_import_counts total = {0};
    if (import_one(db, path, 0, &total, err, sizeof(err)))
        return true;
    cli_fail_unchanged(err);
    return false;
}

/* The files in the order given, one transaction each, in one process (its
 * page cache, statements and term memo serve every file); the first
 * refused file stops the import, and the files before it stay imported. */
static bool import_files(sqlite3 *db, const cli_args *a)
{
    char err[1024];
    hsds_import_counts total = {0};
    double w0 = clock_s(CLOCK_MONOTONIC);
    long long most = wal_bound(db);
    for (int i = 0; i < a->npos; i++) {
        long long bound = i == a->npos - 1 ? 0 : most; /* after the last: always */
        if (import_one(db, a->pos[i], bound, &total, err, sizeof(err)))
            continue;
        if (i == 0)
            cli_fail_unchanged(err);
        else
            fprintf(stderr, "waypost: %s\nwaypost: nothing of %s was changed; the %d file%s before it %s imported, "
                            "the %d after it not tried.\n", err, a->pos[i], i, i == 1 ? "" : "s", i == 1 ? "is" : "are",
                    a->npos - i - 1);
        return false;
    }
    if (a->npos > 1) {
        char what[32];
        snprintf(what, sizeof(what), "%d files", a->npos);
        print_summary(what, &total, NULL);
        printf("  in %.1f s\n", clock_s(CLOCK_MONOTONIC) - w0);
    }
    return true;
}

int hsds_cmd_import(const config *cfg, const cli_args *a)
{
    char err[1024];
    sqlite3 *db = db_open_bulk(cfg->db_path, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    bool ok = import_files(db, a);
    if (!ok)
        db_checkpoint(db); /* the files before the refused one, into the database */
    db_close(db);
    return ok ? 0 : 1;
}

/* The date a file was last changed (UTC), YYYY-MM-DD: the as-of date of a
 * downloaded export. */
static void file_date(const char *path, char out[11])
{
    struct stat st;
    time_t t = stat(path, &st) == 0 ? st.st_mtime : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Loads converted NDJSON nd (freed here) from path in one transaction;
 * note (may be NULL) is printed after the summary line. */
static int import_converted(const config *cfg, const char *path, char *nd, const char *as_of, const char *note)
{
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db) {
        free(nd);
        return cli_fail(err);
    }
    hsds_import_counts c = {0};
    bool ok = hsds_import_text(db, path, nd, strlen(nd), &c, err, sizeof(err));
    free(nd);
    if (ok)
        db_checkpoint(db);
    db_close(db);
    if (!ok)
        return cli_fail_unchanged(err);
    print_summary(path, &c, as_of);
    if (note && *note)
        printf("%s\n", note);
    return 0;
}

/* The refusal of a converter: "FILE row 3: ..." or "FILE: ...". */
static int convert_failed(const char *path, const char *err)
{
    bool at_row = str_has_prefix(err, "row ") || str_has_prefix(err, "line ");
    fprintf(stderr, "waypost: %s%s%s\nwaypost: nothing was changed.\n", path, at_row ? " " : ": ", err);
    return 1;
}

/* Reads a file to convert; NULL (message printed) when it cannot. */
static char *read_input(const char *path, size_t *len, char as_of[11])
{
    char *text = file_read(path, 512u * 1024u * 1024u, len);
    if (!text) {
        char err[1100];
        snprintf(err, sizeof(err), "cannot read %s", path);
        cli_fail(err);
        return NULL;
    }
    file_date(path, as_of);
    return text;
}

/* Where the Waypost taxonomy file is. */
static void taxonomy_path(const config *cfg, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/taxonomy/waypost.json", cfg->data_dir);
}

int hsds_cmd_import_findtreatment(const config *cfg, const cli_args *a)
{
    char err[1024], as_of[11], taxonomy[700], samhsa[700];
    size_t len;
    const char *path = a->pos[0];
    char *text = read_input(path, &len, as_of);
    if (!text)
        return 1;
    taxonomy_path(cfg, taxonomy, sizeof(taxonomy));
    snprintf(samhsa, sizeof(samhsa), "%s/taxonomy/samhsa-codes.json", cfg->data_dir);
    char *nd =
        hsds_convert_findtreatment(text, len, "FindTreatment.gov", as_of, taxonomy, samhsa, err, sizeof(err));
    free(text);
    return nd ? import_converted(cfg, path, nd, as_of, NULL) : convert_failed(path, err);
}

/* "2 rows had no coordinates and are placed at their ZIP's or town's
 * centre: rows 3, 5" (the first HSDS_CSV_LIST_ROWS, then "and N more"). */
static void centroid_note(const hsds_csv_opts *o, buf *b)
{
    if (!o->centroid_rows)
        return;
    buf_printf(b, "%ld row%s had no coordinates and %s placed at the centre of %s ZIP code or town: row%s ",
               o->centroid_rows, o->centroid_rows == 1 ? "" : "s", o->centroid_rows == 1 ? "is" : "are",
               o->centroid_rows == 1 ? "its" : "their", o->centroid_rows == 1 ? "" : "s");
    long shown = o->centroid_rows < HSDS_CSV_LIST_ROWS ? o->centroid_rows : HSDS_CSV_LIST_ROWS;
    for (long i = 0; i < shown; i++)
        buf_printf(b, "%s%ld", i ? ", " : "", o->row[i]);
    if (o->centroid_rows > shown)
        buf_printf(b, " and %ld more", o->centroid_rows - shown);
    buf_puts(b, " (add lat and lon columns for exact points)");
}

int hsds_cmd_import_csv(const config *cfg, const cli_args *a)
{
    char err[1024], as_of[11], taxonomy[700], source_name[256];
    size_t len;
    const char *path = a->pos[0];
    char *text = read_input(path, &len, as_of);
    if (!text)
        return 1;
    taxonomy_path(cfg, taxonomy, sizeof(taxonomy));
    const char *source = cli_opt(a, "source");
    if (source && !*source) {
        free(text);
        return cli_fail("--source is empty (give the list's name, e.g. --source \"Harbor SSP\")");
    }
    snprintf(source_name, sizeof(source_name), "%s", source ? source : HSDS_CSV_DEFAULT_SOURCE);
    hsds_csv_opts o = {.columns_spec = cli_opt(a, "columns"), .source_name = source_name, .as_of = as_of,
                       .taxonomy_path = taxonomy, .centroid = hsds_centroid_resolver()};
    char *nd = hsds_convert_csv_opts(text, len, &o, err, sizeof(err));
    free(text);
    if (!nd)
        return convert_failed(path, err);
    buf note = BUF_INIT;
    centroid_note(&o, &note);
    int rc = import_converted(cfg, path, nd, as_of, buf_cstr(&note));
    buf_free(&note);
    return rc;
}

int hsds_cmd_export(const config *cfg, const cli_args *a)
{
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    long n = 0;
    bool ok = hsds_export(db, a->pos[0], &n, err, sizeof(err));
    db_close(db);
    if (!ok)
        return cli_fail(err);
    printf("exported %ld services to %s (HSDS 3.0 datapackage; services.ndjson imports back unchanged)\n", n,
           a->pos[0]);
    return 0;
}
