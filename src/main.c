/* main: the waypost command line.
 *
 *   waypost serve   [options]   migrate, load content and templates, serve
 *   waypost migrate [options]   bring the database schema up to date
 *   waypost version             print the version
 *   waypost help [config]       usage, or every configuration key
 *
 * Options (any command): --config FILE, --listen ADDR:PORT, --db PATH,
 * --dev, and --SECTION-KEY VALUE for every configuration key. Errors are
 * one plain sentence on stderr and a non-zero exit. */
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "directory/directory.h"
#include "directory/directory_api.h"
#include "directory/directory_convert.h"
#include "directory/directory_export.h"
#include "directory/directory_import.h"
#include "directory/map.h"
#include "http/assets.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "recovery/selfcheck.h"
#include "recovery/stats_import.h"
#include "site.h"
#include "substances/combos.h"
#include "tmpl/view.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef WAYPOST_VERSION
#define WAYPOST_VERSION "0.1.0"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "Waypost %s: a harm reduction and recovery hub.\n\n"
            "Usage: waypost COMMAND [options]\n\n"
            "Commands:\n"
            "  serve       migrate the database, load content and templates, and serve\n"
            "  migrate     bring the database schema up to date (safe to repeat)\n"
            "  import stats FILE  load a newer CDC statistics file (VSRR or NCHS CSV)\n"
            "  import hsds PATH   load HSDS 3.0 services (JSON, NDJSON, .gz) or a taxonomy file\n"
            "  import findtreatment FILE.json  load a FindTreatment.gov locator export\n"
            "  import csv FILE --columns name=Name,address=Street,...  load a simple spreadsheet\n"
            "  export hsds DIR    write the directory as an HSDS 3.0 datapackage (CSV + NDJSON)\n"
            "  seed        load the bundled directory and statistics (safe to repeat)\n"
            "  version     print the version\n"
            "  help        this text; `waypost help config` lists every setting\n\n"
            "Options:\n"
            "  --config FILE        read settings from an INI file\n"
            "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
            "  --db PATH            the SQLite database (default var/waypost.db)\n"
            "  --dev                reload templates and content when they change\n"
            "  --SECTION-KEY VALUE  any setting, e.g. --site-name \"Harbor Health\"\n",
            WAYPOST_VERSION);
}

static int die(const char *msg)
{
    fprintf(stderr, "waypost: %s\n", msg);
    return 1;
}

/* Reads --config first (so flags override the file), then the other flags. */
static bool parse_options(config *cfg, int first, int argc, char **argv, char *err, size_t errlen)
{
    for (int i = first; i < argc; i++)
        if (!strcmp(argv[i], "--config")) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "--config needs a file name");
                return false;
            }
            if (!config_load_file(cfg, argv[i + 1], err, errlen))
                return false;
        }
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!str_has_prefix(a, "--")) {
            snprintf(err, errlen, "unexpected argument \"%s\" (see `waypost help`)", a);
            return false;
        }
        if (!strcmp(a, "--dev")) {
            cfg->dev = true;
            continue;
        }
        if (i + 1 >= argc) {
            snprintf(err, errlen, "%s needs a value", a);
            return false;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--config"))
            continue;
        const char *name = !strcmp(a, "--listen") ? "server.listen" : !strcmp(a, "--db") ? "server.db_path" : a + 2;
        if (!config_set(cfg, name, v, err, errlen))
            return false;
    }
    return config_validate(cfg, err, errlen);
}

static sqlite3 *open_and_migrate(const config *cfg, bool verbose, char *err, size_t errlen)
{
    sqlite3 *db = db_open_command(cfg->db_path, err, errlen);
    if (!db)
        return NULL;
    int applied = 0;
    if (!db_migrate(db, &applied, err, errlen)) {
        db_close(db);
        return NULL;
    }
    if (verbose)
        printf("database %s: schema version %d (%d migration%s applied)\n", cfg->db_path, db_schema_version(db),
               applied, applied == 1 ? "" : "s");
    return db;
}

static int cmd_migrate(const config *cfg)
{
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, true, err, sizeof(err));
    if (!db)
        return die(err);
    db_close(db);
    return 0;
}

static int cmd_import_stats(const config *cfg, const char *file)
{
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db)
        return die(err);
    stats_summary sum;
    bool ok = stats_import_file(db, file, &sum, err, sizeof(err));
    db_close(db);
    if (!ok) {
        fprintf(stderr, "waypost: %s\nwaypost: nothing was changed.\n", err);
        return 1;
    }
    printf("imported %s into the %s statistics: %ld rows read, %ld kept, %ld skipped (other indicators or "
           "groups)\n",
           file, sum.table, sum.rows_read, sum.rows_kept, sum.rows_skipped);
    return 0;
}

/* A folder is an HSDS CSV datapackage (datapackage.json and its CSVs);
 * anything else is JSON or NDJSON. */
static bool import_path(sqlite3 *db, const char *path, dir_import_counts *c, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return dir_import_path(db, path, c, err, errlen);
    char *nd = convert_datapackage(path, err, errlen);
    if (!nd)
        return false;
    bool ok = dir_import_text(db, path, nd, strlen(nd), c, err, errlen);
    free(nd);
    return ok;
}

static bool import_one(sqlite3 *db, const char *path)
{
    char err[1024];
    dir_import_counts c = {0};
    if (!import_path(db, path, &c, err, sizeof(err))) {
        fprintf(stderr, "waypost: %s\nwaypost: nothing was changed.\n", err);
        return false;
    }
    printf("%s: %ld added, %ld updated, %ld unchanged, %ld rejected", path, c.added, c.updated, c.unchanged,
           c.rejected);
    if (c.terms)
        printf(" (%ld taxonomy term records)", c.terms);
    if (c.unmapped)
        printf("; %ld locations have no usable coordinates and are not on the map", c.unmapped);
    printf("\n");
    return true;
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

/* import findtreatment FILE / import csv FILE --columns SPEC: converts the
 * file to HSDS NDJSON, then imports that in one transaction. */
static int cmd_import_converted(const config *cfg, const char *kind, const char *path, const char *columns)
{
    char err[1024], as_of[11], taxonomy[700], source_name[256];
    size_t len;
    char *text = file_read(path, 512u * 1024u * 1024u, &len);
    if (!text) {
        snprintf(err, sizeof(err), "cannot read %s", path);
        return die(err);
    }
    file_date(path, as_of);
    snprintf(taxonomy, sizeof(taxonomy), "%s/taxonomy/waypost.json", cfg->data_dir);
    char *nd;
    if (!strcmp(kind, "findtreatment")) {
        nd = convert_findtreatment(text, len, "FindTreatment.gov", as_of, taxonomy, err, sizeof(err));
    } else {
        /* the source is the file's name without folder or extension */
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        snprintf(source_name, sizeof(source_name), "%s", base);
        char *dot = strrchr(source_name, '.');
        if (dot && dot != source_name)
            *dot = '\0';
        nd = convert_csv(text, len, columns, source_name, as_of, taxonomy, err, sizeof(err));
    }
    free(text);
    if (!nd) {
        bool at_row = str_has_prefix(err, "row ") || str_has_prefix(err, "line ");
        fprintf(stderr, "waypost: %s%s%s\nwaypost: nothing was changed.\n", path, at_row ? " " : ": ", err);
        return 1;
    }
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db) {
        free(nd);
        return die(err);
    }
    dir_import_counts c = {0};
    bool ok = dir_import_text(db, path, nd, strlen(nd), &c, err, sizeof(err));
    free(nd);
    db_close(db);
    if (!ok) {
        fprintf(stderr, "waypost: %s\nwaypost: nothing was changed.\n", err);
        return 1;
    }
    printf("%s: %ld added, %ld updated, %ld unchanged, %ld rejected (as of %s)", path, c.added, c.updated,
           c.unchanged, c.rejected, as_of);
    if (c.unmapped)
        printf("; %ld locations have no usable coordinates and are not on the map", c.unmapped);
    printf("\n");
    return 0;
}

static int cmd_export(const config *cfg, int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "hsds")) {
        fprintf(stderr, "waypost: usage: waypost export hsds DIR [--db PATH]\n");
        return 2;
    }
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db)
        return die(err);
    long n = 0;
    bool ok = dir_export(db, argv[3], &n, err, sizeof(err));
    db_close(db);
    if (!ok)
        return die(err);
    printf("exported %ld services to %s (HSDS 3.0 datapackage; services.ndjson imports back unchanged)\n", n,
           argv[3]);
    return 0;
}

static int cmd_import_hsds(const config *cfg, const char *path)
{
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db)
        return die(err);
    bool ok = import_one(db, path);
    db_close(db);
    return ok ? 0 : 1;
}

/* Loads the bundled taxonomy and directory files (idempotent). */
static int cmd_seed(const config *cfg)
{
    static const char *const files[] = {
        "taxonomy/waypost.json",
        "directory/examples-harm-reduction.ndjson",
        "directory/samhsa-otp-2017.ndjson.gz",
        "directory/samhsa-moud-2020.ndjson.gz",
        "directory/hrsa-fqhc.ndjson.gz",
        "directory/samhsa-mental-health.ndjson.gz",
    };
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db)
        return die(err);
    bool ok = stats_seed(db, cfg->data_dir, err, sizeof(err));
    if (!ok)
        fprintf(stderr, "waypost: %s\n", err);
    for (size_t i = 0; ok && i < sizeof(files) / sizeof(files[0]); i++) {
        char path[700];
        snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, files[i]);
        ok = import_one(db, path);
    }
    if (ok)
        printf("the bundled data is loaded into %s\n", cfg->db_path);
    db_close(db);
    return ok ? 0 : 1;
}

static int cmd_import(const config *cfg, int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "waypost: usage: waypost import stats|hsds|findtreatment|csv FILE [--db PATH]\n");
        return 2;
    }
    if (!strcmp(argv[2], "stats"))
        return cmd_import_stats(cfg, argv[3]);
    if (!strcmp(argv[2], "hsds"))
        return cmd_import_hsds(cfg, argv[3]);
    if (!strcmp(argv[2], "findtreatment"))
        return cmd_import_converted(cfg, "findtreatment", argv[3], NULL);
    if (!strcmp(argv[2], "csv")) {
        if (argc < 6 || strcmp(argv[4], "--columns")) {
            fprintf(stderr, "waypost: usage: waypost import csv FILE --columns name=Name,address=Street,... "
                            "[--db PATH]\n");
            return 2;
        }
        return cmd_import_converted(cfg, "csv", argv[3], argv[5]);
    }
    fprintf(stderr, "waypost: unknown import kind \"%s\" (known: stats, hsds, findtreatment, csv)\n", argv[2]);
    return 2;
}

static int cmd_serve(const config *cfg)
{
    char err[1024];
    sqlite3 *db = open_and_migrate(cfg, false, err, sizeof(err));
    if (!db)
        return die(err);
    bool seeded = stats_seed(db, cfg->data_dir, err, sizeof(err));
    db_close(db);
    if (!seeded)
        return die(err);
    db_set_path(cfg->db_path);
    if (!assets_load(cfg, err, sizeof(err)) || !combos_load(cfg, err, sizeof(err)) ||
        !selfcheck_load(cfg, err, sizeof(err)) ||
        !site_load(cfg, true, err, sizeof(err)))
        return die(err);
    db_close_all();
    if (!directory_zips_load(cfg, err, sizeof(err)) || !map_load(cfg->data_dir, err, sizeof(err)) ||
        !directory_rebuild(cfg->db_path, err, sizeof(err)))
        return die(err);
    directory_watch_start(cfg->db_path, 1000);
    metrics_init(routes_count);
    server_set_error_renderer(view_error);
    bool ok = server_run(cfg, err, sizeof(err));
    directory_watch_stop();
    directory_api_free();
    directory_zips_free();
    map_free();
    site_unload();
    combos_unload();
    selfcheck_unload();
    assets_free();
    db_close_all();
    return ok ? 0 : die(err);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        if (argc > 2 && !strcmp(argv[2], "config"))
            config_print_help(stdout);
        else
            usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("waypost %s (SQLite %s)\n", WAYPOST_VERSION, sqlite3_libversion());
        return 0;
    }
    if (sodium_init() < 0)
        return die("libsodium could not start");
    static config cfg;
    config_defaults(&cfg);
    char err[1024];
    int first = !strcmp(cmd, "import") || !strcmp(cmd, "export") ? 4 : 2;
    /* import csv FILE --columns SPEC: the spec is not a setting */
    if (!strcmp(cmd, "import") && argc > 5 && !strcmp(argv[2], "csv") && !strcmp(argv[4], "--columns"))
        first = 6;
    if (!parse_options(&cfg, first, argc, argv, err, sizeof(err)))
        return die(err);
    if (!strcmp(cmd, "import"))
        return cmd_import(&cfg, argc, argv);
    if (!strcmp(cmd, "export"))
        return cmd_export(&cfg, argc, argv);
    if (!strcmp(cmd, "serve"))
        return cmd_serve(&cfg);
    if (!strcmp(cmd, "migrate"))
        return cmd_migrate(&cfg);
    if (!strcmp(cmd, "seed"))
        return cmd_seed(&cfg);
    fprintf(stderr, "waypost: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return 2;
}
