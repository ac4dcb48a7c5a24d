/* spikes_cmd: `import events` and `spikes`. See spikes_cmd.h. */
#include "community/spikes_cmd.h"
#include "community/areas.h"
#include "community/events.h"
#include "community/spikes.h"
#include "core/util.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define EVENTS_FILE_MAX (256u * 1024 * 1024)

static void progress(long done, long total)
{
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\r  %ld of %ld rows stored%s", done, total, done == total ? "\n" : "");
}

int spikes_cmd_import(const config *cfg, const cli_args *a)
{
    char err[1024];
    if (!areas_load(cfg, err, sizeof(err)))
        return cli_fail(err);
    const char *file = a->pos[0];
    size_t len;
    char *text = file_read(file, EVENTS_FILE_MAX, &len);
    if (!text) {
        snprintf(err, sizeof(err), "cannot read %s (missing, unreadable or over 256 MB)", file);
        areas_unload();
        return cli_fail_unchanged(err);
    }
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db) {
        free(text);
        areas_unload();
        return cli_fail(err);
    }
    events_summary sum;
    char why[900];
    bool ok = events_import_text(db, text, len, &sum, progress, why, sizeof(why));
    free(text);
    if (ok)
        db_checkpoint(db);
    db_close(db);
    areas_unload();
    if (!ok) {
        snprintf(err, sizeof(err), "%s: %s", file, why);
        return cli_fail_unchanged(err);
    }
    printf("imported %s: %ld daily counts, %ld new, %ld replaced\n", file, sum.rows, sum.added, sum.replaced);
    return 0;
}

static void print_json(const spike_row *f, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:I,s:f,s:f,s:s,s:s}", "date", f[i].day, "area",
                                              f[i].area, "kind", f[i].kind, "count", (json_int_t)f[i].count, "expected",
                                              f[i].expected, "threshold", f[i].threshold, "method", f[i].method,
                                              "level", f[i].level));
    char *text = json_dumps(list, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
    if (text)
        puts(text);
    free(text);
    json_decref(list);
}

int spikes_cmd_run(const config *cfg, const cli_args *a)
{
    char day[11], err[600];
    const char *given = cli_opt(a, "date");
    if (given) {
        if (!events_day_ok(given, NULL))
            return cli_fail("--date: expected a date like 2025-03-14");
        str_copy(day, sizeof(day), given);
    } else {
        spikes_yesterday(cfg->timezone, (int64_t)time(NULL), day);
    }
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    spike_row *f;
    int n;
    bool ok = spikes_run(db, day, &f, &n, err, sizeof(err));
    db_close(db);
    if (!ok)
        return cli_fail(err);
    if (cli_opt(a, "json")) {
        print_json(f, n);
    } else {
        for (int i = 0; i < n; i++)
            printf("%s %s %s: %.0f (expected %.1f, threshold %.1f) %s %s\n", f[i].day, f[i].area, f[i].kind,
                   f[i].count, f[i].expected, f[i].threshold, f[i].method, f[i].level);
        printf("%s: %d flag%s\n", day, n, n == 1 ? "" : "s");
    }
    free(f);
    return 0;
}
