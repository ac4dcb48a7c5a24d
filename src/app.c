/* app: start-up and shut-down of the whole server, and the commands that
 * load every module's data. See app.h.
 *
 * Each feature is one row of the table below: what it loads at start, the
 * page hooks it registers, and what it frees at stop. A feature never
 * edits another module's pages; it registers hooks (pages/hooks.h). */
#include "app.h"
#include "alerts/alerts.h"
#include "alerts/alerts_cmd.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_staff.h"
#include "auth/guard.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "checkin/checkin.h"
#include "alerts/alerts_store.h"
#include "alerts/cap.h"
#include "community/areas.h"
#include "community/report.h"
#include "community/report_pages.h"
#include "community/spikes.h"
#include "community/spikes_pages.h"
#include "community/subs.h"
#include "community/subs_staff.h"
#include "checkin/checkin_staff.h"
#include "db/db.h"
#include "hsds/hsds_cmd.h"
#include "hsds/hsds_convert.h"
#include "http/assets.h"
#include "http/metrics.h"
#include "http/server.h"
#include "locator/locator.h"
#include "locator/locator_api.h"
#include "locator/locator_pages.h"
#include "locator/locator_search.h"
#include "locator/mail.h"
#include "locator/map.h"
#include "locator/places.h"
#include "locator/shortcuts.h"
#include "notify/notify.h"
#include "pages/hooks.h"
#include "pages/site.h"
#include "pages/view.h"
#include "recovery/pathways.h"
#include "recovery/selfcheck.h"
#include "recovery/selfcheck_pages.h"
#include "routes.h"
#include "staff/listings.h"
#include "staff/reports_community.h"
#include "staff/staff.h"
#include "staff/staff_view.h"
#include "stats/stats_import.h"
#include "substances/combos.h"
#include "substances/combos_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct feature {
    const char *name;
    bool (*load)(const config *cfg, char *err, size_t errlen); /* may be NULL */
    bool (*hooks)(void);                                       /* may be NULL */
    void (*unload)(void);                                      /* may be NULL */
} feature;

static bool load_languages(const config *cfg, char *err, size_t errlen)
{
    if (!i18n_load(cfg->po_dir, cfg->default_language, err, errlen))
        return false;
    if (i18n_count() > 1 && !cfg->public_url[0])
        log_info("set [staff] public_url (https://your.site) so each page names its versions in other languages "
                 "to search engines (hreflang alternates need the full address)");
    return true;
}

/* /metrics: lookups that fell back to English, per language. */
static void i18n_metrics_write(buf *out)
{
    buf_puts(out, "# HELP waypost_i18n_fallbacks_total Messages shown in English because a language's catalog "
                  "has no translation for them.\n# TYPE waypost_i18n_fallbacks_total counter\n");
    for (int i = 1; i < i18n_count(); i++)
        buf_printf(out, "waypost_i18n_fallbacks_total{lang=\"%s\"} %lu\n", i18n_code(i), i18n_missing(i));
}

static bool load_site(const config *cfg, char *err, size_t errlen)
{
    return site_load(cfg, true, err, errlen);
}

/* Where `import csv` puts a row without coordinates: its ZIP's centroid,
 * else its city and state's (a place found exactly, not a guess). */
static bool csv_centroid(const char *zip, const char *city, const char *state, double *lat, double *lon, char *label,
                         size_t labellen)
{
    if (*zip && locator_zip(zip, lat, lon)) {
        snprintf(label, labellen, "ZIP %s", zip);
        return true;
    }
    if (!*city)
        return false;
    char text[128];
    snprintf(text, sizeof text, "%s%s%s", city, *state ? ", " : "", state);
    place_result r;
    place_resolve(text, &r);
    if (r.status != PLACE_FOUND)
        return false;
    *lat = r.lat;
    *lon = r.lon;
    snprintf(label, labellen, "%s", r.label);
    return true;
}

static bool load_locator(const config *cfg, char *err, size_t errlen)
{
    db_close_all();
    /* the codes and the first index: begun in app_prepare */
    if (!shortcuts_load(cfg, err, errlen) || !locator_zips_load(cfg, err, errlen) || !mail_load(cfg->data_dir, err, errlen) ||
        !map_load(cfg->data_dir, err, errlen))
        return false;
    locator_pages_start();
    hsds_set_centroid_resolver(csv_centroid); /* the staff upload page places rows as import csv does */
    return true;
}

static void unload_locator(void)
{
    hsds_set_centroid_resolver(NULL);
    locator_pages_stop();
    locator_watch_stop();
    locator_api_free();
    locator_zips_free();
    mail_free();
    map_free();
    shortcuts_free();
    locator_codes_free();
}

/* The staff listings: the form's Waypost codes, and the locator's ZIP
 * centres handed in here (features never include each other). */
static bool load_listings(const config *cfg, char *err, size_t errlen)
{
    return listings_load(cfg, locator_zip, err, errlen);
}

/* The alerts feature names substances by the matrix's slugs; this adapter
 * is its resolver (features never include each other). */
static bool resolve_substance(const char *name, char *slug, size_t n, char *title, size_t tn)
{
    const matrix *m = combos_matrix();
    int i = m ? matrix_resolve(m, name) : -1;
    if (i < 0)
        return false;
    return str_copy(slug, n, m->subs[i].slug) && str_copy(title, tn, m->subs[i].name);
}

/* Alerts: the resolver and the staff page frame, then the templates file. */
static bool load_alerts(const config *cfg, char *err, size_t errlen)
{
    alerts_set_substance_resolver(resolve_substance);
    alerts_set_staff_data(staff_data);
    return alerts_load(cfg, err, errlen);
}

/* The alert commands need the matrix to resolve substance names. */
static int with_matrix(const config *cfg, const cli_args *a, int (*fn)(const config *, const cli_args *))
{
    char err[1024];
    if (!combos_load(cfg, err, sizeof(err)))
        return cli_fail(err);
    alerts_set_substance_resolver(resolve_substance);
    int rc = fn(cfg, a);
    combos_unload();
    return rc;
}

/* import csv: the locator's ZIP and place tables place rows without
 * coordinates (features never include each other). */
int app_import_csv(const config *cfg, const cli_args *a)
{
    char err[1024];
    if (!locator_zips_load(cfg, err, sizeof(err)))
        return cli_fail(err);
    hsds_set_centroid_resolver(csv_centroid);
    int rc = hsds_cmd_import_csv(cfg, a);
    hsds_set_centroid_resolver(NULL);
    locator_zips_free();
    return rc;
}

int app_alert_import(const config *cfg, const cli_args *a)
{
    return with_matrix(cfg, a, alerts_cmd_import);
}

int app_alert_export(const config *cfg, const cli_args *a)
{
    return with_matrix(cfg, a, alerts_cmd_export);
}

/* The check-in timer, with the staff page frame handed in. */
static bool load_checkin(const config *cfg, char *err, size_t errlen)
{
    checkin_set_staff_data(staff_data);
    return checkin_load(cfg, err, errlen);
}

/* The ZIP codes an area key covers: the ZIP itself, or a named area's. */
static size_t area_zips(const char *key, const char **zips, size_t max)
{
    if (areas_is_zip(key)) {
        if (max)
            zips[0] = key;
        return max ? 1 : 0;
    }
    const area *ar = areas_find(key);
    size_t n = 0;
    for (; ar && n < ar->nzips && n < max; n++)
        zips[n] = ar->zips[n];
    return n;
}

/* Community reports: the public form, and the area names and effect
 * labels the staff queue shows (features never include each other). */
static bool load_community_reports(const config *cfg, char *err, size_t errlen)
{
    reports_community_fns f = {areas_label, area_zips, report_effect_label};
    reports_set_community(&f);
    return report_pages_load(cfg, err, errlen);
}

/* The spike detector's nightly run and staff pages, with the staff page
 * frame handed in. */
static bool load_spikes(const config *cfg, char *err, size_t errlen)
{
    spikes_pages_set_staff_data(staff_data);
    return spikes_load(cfg, err, errlen);
}

/* The alerts feature's publish listener: the alert's CAP document (for
 * partners) and then the subscriptions' messages, inside the alert's
 * transaction (features never include each other). */
#define CAP_VERSIONS_MAX 200
static const config *subs_cfg_g;

static char *alert_cap_xml(sqlite3 *db, long id)
{
    alert_rec a;
    if (!subs_cfg_g || alerts_store_get(db, id, &a) != 1)
        return NULL;
    alert_version *v = xcalloc(CAP_VERSIONS_MAX, sizeof(*v));
    int nv = alerts_store_versions(db, id, v, CAP_VERSIONS_MAX);
    char *xml = NULL;
    if (nv > 0) {
        char base[300], web[400], photo[400];
        alerts_base_url(subs_cfg_g, base, sizeof(base));
        snprintf(web, sizeof(web), "%s/alerts/%ld", base, id);
        snprintf(photo, sizeof(photo), "%s/alerts/%ld/photo?v=%lld", base, id, (long long)a.photo_at);
        cap_msg m = {&v[nv - 1], v, nv - 1, subs_cfg_g->org_name, web, a.photo ? photo : NULL,
                     a.photo ? a.photo_mime : NULL};
        buf b = BUF_INIT;
        if (cap_write(&b, &m))
            xml = xstrdup(buf_cstr(&b));
        buf_free(&b);
        alert_versions_free(v, nv);
    }
    free(v);
    alert_rec_clear(&a);
    return xml;
}

static void on_alert_published(sqlite3 *db, long id, const char *msg_type, const char *doc_json)
{
    char *cap = alert_cap_xml(db, id);
    subs_on_alert(db, id, msg_type, doc_json, cap);
    free(cap);
}

static bool load_subs(const config *cfg, char *err, size_t errlen)
{
    subs_cfg_g = cfg;
    subs_set_staff_data(staff_data);
    alerts_set_publish_listener(on_alert_published);
    return subs_load(cfg, err, errlen);
}

static void unload_subs(void)
{
    alerts_set_publish_listener(NULL);
    subs_unload();
    subs_cfg_g = NULL;
}

/* In start order; stopped in reverse. */
static const feature features[] = {
    {"languages", load_languages, NULL, i18n_unload},
    {"assets", assets_load, NULL, assets_free},
    {"substances", combos_load, combos_pages_register, combos_unload},
    {"self-checks", selfcheck_load, selfcheck_pages_register, selfcheck_unload},
    {"recovery", pathways_load, pathways_register, pathways_unload},
    {"navigation", view_nav_load, NULL, view_nav_free},
    {"site", load_site, NULL, site_unload},
    {"locator", load_locator, locator_search_register, unload_locator},
    {"staff", staff_load, NULL, staff_unload},
    {"staff listings", load_listings, NULL, listings_unload},
    {"alerts", load_alerts, alerts_register, alerts_unload},
    /* the outbox's senders first: the check-in scheduler queues into it */
    {"notify", notify_load, NULL, notify_unload},
    {"checkin", load_checkin, NULL, checkin_unload},
    /* community: drug reports, spike detection and subscriptions (issue 14) */
    {"areas", areas_load, NULL, areas_unload},
    {"community reports", load_community_reports, NULL, report_pages_unload},
    {"spikes", load_spikes, spikes_pages_register, spikes_unload},
    {"subscriptions", load_subs, NULL, unload_subs},
};
#define NFEATURES ((int)(sizeof(features) / sizeof(features[0])))

static void stop_features(int started)
{
    for (int i = started - 1; i >= 0; i--)
        if (features[i].unload)
            features[i].unload();
    hooks_clear();
}

/* Starts every feature; on failure stops those started and says which. */
static bool start_features(const config *cfg, char *err, size_t errlen)
{
    for (int i = 0; i < NFEATURES; i++) {
        const feature *f = &features[i];
        if (f->load && !f->load(cfg, err, errlen)) {
            stop_features(i);
            return false;
        }
        if (f->hooks && !f->hooks()) {
            snprintf(err, errlen, "%s: too many page hooks", f->name);
            stop_features(i + 1);
            return false;
        }
    }
    return true;
}

/* What `serve` does before it listens: the database migrated and seeded,
 * every feature started, the server's hooks set. */
static bool app_prepare(const config *cfg, char *err, size_t errlen)
{
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, errlen);
    if (!db)
        return false;
    bool seeded = stats_seed(db, cfg->data_dir, err, errlen);
    db_close(db);
    if (!seeded)
        return false;
    db_set_path(cfg->db_path);
    db_set_stream_limit((int)cfg->max_streams);
    /* the map index is built in a thread while the features load */
    if (!locator_codes_load(cfg, err, errlen))
        return false;
    locator_index_begin(cfg->db_path);
    bool started = start_features(cfg, err, errlen);
    if (!locator_index_end(started ? err : NULL, started ? errlen : 0) || !started) {
        if (started)
            stop_features(NFEATURES);
        locator_watch_stop();
        locator_codes_free();
        db_close_all();
        return false;
    }
    metrics_init(routes_count);
    metrics_add_writer(notify_metrics_write);
    metrics_add_writer(checkin_metrics_write);
    metrics_add_writer(i18n_metrics_write);
    server_set_error_renderer(view_error);
    server_set_guard(auth_guard);
    return true;
}

static void app_finish(void)
{
    stop_features(NFEATURES);
    metrics_clear_writers();
    db_close_all();
}

int app_serve(const config *cfg, const cli_args *a)
{
    (void)a;
    char err[1024];
    if (!app_prepare(cfg, err, sizeof(err)))
        return cli_fail(err);
    bool ok = server_run(cfg, routes, routes_count, err, sizeof(err));
    app_finish();
    return ok ? 0 : cli_fail(err);
}

bool app_start(const config *cfg, char *err, size_t errlen)
{
    if (!app_prepare(cfg, err, errlen))
        return false;
    if (server_start(cfg, routes, routes_count, err, errlen))
        return true;
    app_finish();
    return false;
}

void app_stop(void)
{
    if (server_stop())
        app_finish();
}

int app_migrate(const config *cfg, const cli_args *a)
{
    (void)a;
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, true, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    db_close(db);
    return 0;
}

/* Loads the bundled statistics, taxonomy and directory files (safe to
 * repeat: unchanged records stay as they are). The made-up EXAMPLE
 * listings only with --examples (for tests and demonstrations): a site
 * must never publish them by accident. */
int app_seed(const config *cfg, const cli_args *a)
{
    static const char *const files[] = {
        "taxonomy/waypost.json",
        "directory/mail-based-supplies.ndjson",
        "directory/examples-harm-reduction.ndjson",
        "directory/samhsa-otp-2017.ndjson.gz",
        "directory/samhsa-moud-2020.ndjson.gz",
        "directory/hrsa-fqhc.ndjson.gz",
        "directory/samhsa-mental-health.ndjson.gz",
    };
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    bool ok = stats_seed(db, cfg->data_dir, err, sizeof(err));
    if (!ok)
        cli_fail(err);
    bool examples = cli_opt(a, "examples") != NULL;
    for (size_t i = 0; ok && i < sizeof(files) / sizeof(files[0]); i++) {
        if (!examples && strstr(files[i], "examples-"))
            continue;
        char path[700];
        snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, files[i]);
        ok = hsds_cmd_import_one(db, path);
    }
    if (ok)
        printf("the bundled data is loaded into %s\n", cfg->db_path);
    db_close(db);
    return ok ? 0 : 1;
}
