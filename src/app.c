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
#include "core/util.h"
#include "checkin/checkin.h"
#include "community/areas.h"
#include "checkin/checkin_staff.h"
#include "db/db.h"
#include "hsds/hsds_cmd.h"
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
#include "staff/staff.h"
#include "staff/staff_view.h"
#include "stats/stats_import.h"
#include "substances/combos.h"
#include "substances/combos_pages.h"

#include <stdio.h>
#include <string.h>

typedef struct feature {
    const char *name;
    bool (*load)(const config *cfg, char *err, size_t errlen); /* may be NULL */
    bool (*hooks)(void);                                       /* may be NULL */
    void (*unload)(void);                                      /* may be NULL */
} feature;

static bool load_site(const config *cfg, char *err, size_t errlen)
{
    return site_load(cfg, true, err, errlen);
}

static bool load_locator(const config *cfg, char *err, size_t errlen)
{
    db_close_all();
    if (!locator_codes_load(cfg, err, errlen) || !shortcuts_load(cfg, err, errlen) ||
        !locator_zips_load(cfg, err, errlen) || !mail_load(cfg->data_dir, err, errlen) || !map_load(cfg->data_dir, err, errlen) ||
        !locator_rebuild(cfg->db_path, err, errlen))
        return false;
    locator_watch_start(cfg->db_path, 1000);
    locator_pages_start();
    return true;
}

static void unload_locator(void)
{
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

/* import csv: the locator's ZIP and place tables place rows without
 * coordinates (features never include each other). */
int app_import_csv(const config *cfg, const cli_args *a)
{
    char err[1024];
    if (!locator_zips_load(cfg, err, sizeof(err)))
        return cli_fail(err);
    hsds_cmd_set_centroid_resolver(csv_centroid);
    int rc = hsds_cmd_import_csv(cfg, a);
    hsds_cmd_set_centroid_resolver(NULL);
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

/* In start order; stopped in reverse. */
static const feature features[] = {
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

int app_serve(const config *cfg, const cli_args *a)
{
    (void)a;
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    bool seeded = stats_seed(db, cfg->data_dir, err, sizeof(err));
    db_close(db);
    if (!seeded)
        return cli_fail(err);
    db_set_path(cfg->db_path);
    if (!start_features(cfg, err, sizeof(err))) {
        db_close_all();
        return cli_fail(err);
    }
    metrics_init(routes_count);
    metrics_add_writer(notify_metrics_write);
    metrics_add_writer(checkin_metrics_write);
    server_set_error_renderer(view_error);
    server_set_guard(auth_guard);
    bool ok = server_run(cfg, routes, routes_count, err, sizeof(err));
    stop_features(NFEATURES);
    metrics_clear_writers();
    db_close_all();
    return ok ? 0 : cli_fail(err);
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
