/* alerts_cmd: the alert commands. See alerts_cmd.h. */
#include "alerts/alerts_cmd.h"
#include "alerts/alerts.h"
#include "alerts/alerts_store.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FILE_MAX (16L * 1024 * 1024)
#define IMPORT_MAX 10000
#define EXPORT_PAGE 200

int alerts_cmd_check(const char *text, size_t len, int64_t now, int off, json_t **docs, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "line %d column %d: %s", je.line, je.column, je.text);
        return -1;
    }
    if (!json_is_array(root) || json_array_size(root) > IMPORT_MAX) {
        snprintf(err, errlen, "the file must be a JSON list of at most %d alerts", IMPORT_MAX);
        json_decref(root);
        return -1;
    }
    json_t *out = json_array();
    size_t i;
    json_t *in;
    json_array_foreach (root, i, in) {
        alert_problems pr;
        json_t *doc = alerts_validate(in, now, off, &pr);
        if (!doc) {
            snprintf(err, errlen, "alerts[%zu].%s: %s", i, pr.items[0].field, pr.items[0].message);
            json_decref(out);
            json_decref(root);
            return -1;
        }
        json_array_append_new(out, doc);
    }
    json_decref(root);
    int n = (int)json_array_size(out);
    if (docs)
        *docs = out;
    else
        json_decref(out);
    return n;
}

int alerts_cmd_import(const config *cfg, const cli_args *a)
{
    const char *file = a->pos[0];
    size_t len = 0;
    char *text = file_read(file, FILE_MAX, &len);
    char err[1200], msg[1400];
    if (!text) {
        snprintf(msg, sizeof(msg), "cannot read %s (missing, unreadable or over 16 MiB)", file);
        return cli_fail_unchanged(msg);
    }
    char sender[200];
    alerts_env env = alerts_env_now(cfg, sender, sizeof(sender));
    if (!i18n_load(cfg->po_dir, cfg->default_language, err, sizeof(err))) { /* which "lang" values exist */
        free(text);
        return cli_fail_unchanged(err);
    }
    json_t *docs = NULL;
    int n = alerts_cmd_check(text, len, env.now, env.offset, &docs, err, sizeof(err));
    free(text);
    if (n < 0) {
        snprintf(msg, sizeof(msg), "%s: %s", file, err);
        return cli_fail_unchanged(msg);
    }
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db) {
        json_decref(docs);
        return cli_fail(err);
    }
    alert_actor who = {"cli", ""};
    int done = 0;
    size_t i;
    json_t *doc;
    json_array_foreach (docs, i, doc) {
        long id;
        alert_problems pr = {.n = 0};
        if (!alerts_check_translation(db, 0, doc, &pr)) {
            fprintf(stderr, "%s: alerts[%zu].%s: %s\n", file, i, pr.n ? pr.items[0].field : "alert",
                    pr.n ? pr.items[0].message : "the database cannot be read");
            break;
        }
        if (alerts_create(db, &env, &who, doc, &id) != AR_OK)
            break;
        printf("alert %ld: %s\n", id, json_string_value(json_object_get(doc, "headline")));
        done++;
    }
    json_decref(docs);
    db_close(db);
    if (done < n) {
        snprintf(msg, sizeof(msg), "%s: the database refused alert %d; %d of %d were imported", file, done, done, n);
        return cli_fail(msg);
    }
    printf("imported %d alert%s from %s\n", n, n == 1 ? "" : "s", file);
    return 0;
}

int alerts_cmd_export(const config *cfg, const cli_args *a)
{
    (void)a;
    char err[1024], base[300];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    alerts_base_url(cfg, base, sizeof(base));
    int64_t now = (int64_t)time(NULL);
    json_t *out = json_array();
    alert_rec *list = xcalloc(EXPORT_PAGE, sizeof(*list));
    alert_version *v = xcalloc(200, sizeof(*v));
    bool ok = true;
    for (long off = 0; ok;) {
        alert_filter f = {false, -1, NULL, 0, 4, now, off, EXPORT_PAGE, false};
        int n = alerts_store_list(db, &f, list, EXPORT_PAGE, NULL);
        ok = n >= 0;
        for (int i = 0; i < n; i++) {
            int nv = ok ? alerts_store_versions(db, list[i].id, v, 200) : -1;
            ok = ok && nv >= 0;
            if (ok)
                json_array_append_new(out, alerts_api_json(&list[i], v, nv, base, now));
            alert_versions_free(v, nv > 0 ? nv : 0);
            alert_rec_clear(&list[i]);
        }
        if (n < EXPORT_PAGE)
            break;
        off += n;
    }
    free(v);
    free(list);
    db_close(db);
    if (!ok) {
        json_decref(out);
        return cli_fail("the alerts could not be read from the database");
    }
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(out);
    return 0;
}
