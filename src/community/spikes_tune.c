/* spikes_tune: /staff/spikes/settings, a kind's detector settings with a
 * preview of how often they would have flagged over the past year, next
 * to the saved settings, before anything is saved. See spikes_pages.h. */
#include "community/ears.h"
#include "community/events.h"
#include "community/spikes.h"
#include "community/spikes_pages.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct num_field {
    const char *name, *label;
    double lo, hi;
    bool whole;
    size_t off;
} num_field;

#define F(name, label, lo, hi, whole, member) {name, label, lo, hi, whole, offsetof(ears_params, member)}
static const num_field fields[] = {
    F("baseline", N_("C1/C2 baseline (days)"), 3, 90, true, baseline),
    F("guard", N_("Guard band (days)"), 0, 7, true, guard),
    F("ewma_baseline", N_("EWMA and Poisson baseline (days)"), 7, 90, true, ewma_baseline),
    F("z12", N_("C1/C2 threshold (standard deviations)"), 0.5, 10, false, z12),
    F("z3", N_("C3 threshold"), 0.5, 10, false, z3),
    F("min_sigma", N_("Smallest standard deviation"), 0.1, 100, false, min_sigma),
    F("min_count", N_("Smallest count that can flag"), 1, 100000, true, min_count),
    F("p_red", N_("EWMA red below p"), 0.000001, 0.5, false, p_red),
    F("p_yellow", N_("EWMA yellow below p"), 0.000001, 0.5, false, p_yellow),
    F("pois_red", N_("Poisson red below p"), 0.000001, 0.5, false, pois_red),
    F("pois_yellow", N_("Poisson yellow below p"), 0.000001, 0.5, false, pois_yellow),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static double get(const ears_params *p, const num_field *f)
{
    const char *base = (const char *)p + f->off;
    if (strcmp(f->name, "min_count") == 0)
        return (double)*(const long *)(const void *)base;
    if (f->whole)
        return (double)*(const int *)(const void *)base;
    return *(const double *)(const void *)base;
}

static void set(ears_params *p, const num_field *f, double v)
{
    char *base = (char *)p + f->off;
    if (strcmp(f->name, "min_count") == 0)
        *(long *)(void *)base = (long)v;
    else if (f->whole)
        *(int *)(void *)base = (int)v;
    else
        *(double *)(void *)base = v;
}

/* The form's fields with the values of p (or as typed, from rq), labelled in lang. */
static json_t *fields_json(const ears_params *p, const request *rq, int lang)
{
    json_t *list = json_array();
    for (size_t i = 0; i < NFIELDS; i++) {
        char v[40];
        const char *typed = rq ? req_str(rq, fields[i].name) : NULL;
        if (typed)
            str_copy(v, sizeof(v), typed);
        else
            snprintf(v, sizeof(v), "%g", get(p, &fields[i]));
        json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "name", fields[i].name, "label", i18n_tr(lang, fields[i].label),
                                              "value", v));
    }
    json_t *methods = json_array();
    for (int m = 0; m < EARS_NMETHODS; m++)
        json_array_append_new(methods, json_pack("{s:s,s:b}", "name", ears_method_name(m), "on",
                                                 (p->methods & (1u << m)) != 0));
    return json_pack("{s:o,s:o}", "numbers", list, "methods", methods);
}

static json_t *preview_json(sqlite3 *db, const request *rq, const char *kind, const ears_params *p, bool *ok)
{
    char to[11];
    spikes_yesterday(rq->cfg ? rq->cfg->timezone : NULL, (int64_t)time(NULL), to);
    spikes_preview_out o;
    *ok = *ok && spikes_preview(db, kind, p, to, SPIKES_PREVIEW_DAYS, &o);
    json_t *by = json_array();
    for (int m = 0; m < EARS_NMETHODS; m++)
        if (p->methods & (1u << m))
            json_array_append_new(by, json_pack("{s:s,s:I}", "method", ears_method_name(m), "n",
                                                (json_int_t)o.by_method[m]));
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "areas", (json_int_t)o.areas, "days", (json_int_t)o.days_checked,
                     "flagged", (json_int_t)o.flagged_days, "red", (json_int_t)o.red, "yellow",
                     (json_int_t)o.yellow, "by_method", by);
}

/* The page: the form (as typed when typed), the saved settings' past year
 * and, when given, the proposed settings' past year. */
static void show(request *rq, response *rs, sqlite3 *db, const char *kind, const ears_params *saved,
                 const ears_params *proposed, bool typed, json_t *d)
{
    bool ok = true;
    jset_str(d, "kind", kind);
    json_object_set_new(d, "form", fields_json(proposed ? proposed : saved, typed ? rq : NULL, rq->lang));
    json_object_set_new(d, "saved_preview", preview_json(db, rq, kind, saved, &ok));
    if (proposed)
        json_object_set_new(d, "proposed_preview", preview_json(db, rq, kind, proposed, &ok));
    if (!ok) {
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    }
    view_page(rq, rs, "staff/spikes-settings", d);
}

static bool kind_ok(request *rq, response *rs, const char *kind)
{
    if (!kind || !events_kind_ok(kind)) {
        resp_error(rq, rs, 400, T(rq, "kind: choose a kind of count from the list on the spikes page."));
        return false;
    }
    return true;
}

static void add_kind(void *ud, const char *kind)
{
    json_array_append_new(ud, json_pack("{s:s}", "kind", kind));
}

/* Without a kind: the kinds to choose from. */
static void choose(request *rq, response *rs, sqlite3 *db)
{
    json_t *d = spikes_staff_data(rq, T(rq, "Spike settings")), *kinds = json_array();
    json_object_set_new(d, "kinds", kinds);
    json_object_set_new(d, "choose", json_true());
    if (!events_store_kinds(db, add_kind, kinds)) {
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    }
    json_object_set_new(d, "has_kinds", json_boolean(json_array_size(kinds) > 0));
    view_page(rq, rs, "staff/spikes-settings", d);
}

void spikes_settings_page(request *rq, response *rs)
{
    const char *kind = req_str(rq, "kind");
    sqlite3 *db = db_thread();
    if (!kind && db)
        return choose(rq, rs, db);
    if (!kind_ok(rq, rs, kind))
        return;
    ears_params saved;
    if (!db || !spikes_params(db, kind, &saved))
        return resp_error(rq, rs, 500, T(rq, "The settings could not be read."));
    json_t *d = spikes_staff_data(rq, T(rq, "Spike settings"));
    if (req_str(rq, "done"))
        jset_str(d, "notice", T(rq, "The settings are saved. The next run uses them."));
    show(rq, rs, db, kind, &saved, NULL, false, d);
}

/* The form into p; problems named at their fields in d. */
static bool read_form(request *rq, ears_params *p, json_t *d)
{
    bool ok = true;
    p->methods = 0;
    for (int m = 0; m < EARS_NMETHODS; m++) {
        char key[16];
        snprintf(key, sizeof(key), "m_%s", ears_method_name(m));
        if (req_has(rq, key))
            p->methods |= 1u << m;
    }
    if (!p->methods)
        ok = false, spikes_field_error(d, "methods", T(rq, "Choose at least one method."));
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *s = req_str(rq, fields[i].name);
        char *end = NULL;
        double v = s ? strtod(s, &end) : NAN;
        if (!s || end == s || *end || !(v >= fields[i].lo && v <= fields[i].hi) ||
            (fields[i].whole && v != floor(v))) {
            char msg[160];
            if (fields[i].whole)
                snprintf(msg, sizeof(msg), T(rq, "%s: a whole number from %g to %g."), T(rq, fields[i].label),
                         fields[i].lo, fields[i].hi);
            else
                snprintf(msg, sizeof(msg), T(rq, "%s: a number from %g to %g."), T(rq, fields[i].label), fields[i].lo,
                         fields[i].hi);
            spikes_field_error(d, fields[i].name, msg);
            ok = false;
            continue;
        }
        set(p, &fields[i], v);
    }
    char err[160];
    if (ok && !ears_check(p, err, (int)sizeof(err))) {
        const char *colon = strchr(err, ':');
        char field[32];
        str_copy(field, sizeof(field), err);
        if (colon && (size_t)(colon - err) < sizeof(field))
            field[colon - err] = '\0';
        spikes_field_error(d, field, err);
        ok = false;
    }
    return ok;
}

static json_t *params_json(const char *kind, const ears_params *p)
{
    json_t *o = json_pack("{s:s,s:I}", "kind", kind, "methods", (json_int_t)p->methods);
    for (size_t i = 0; i < NFIELDS; i++)
        json_object_set_new(o, fields[i].name, json_real(get(p, &fields[i])));
    return o;
}

void spikes_settings_submit(request *rq, response *rs)
{
    const char *kind = req_str(rq, "kind");
    sqlite3 *db = db_thread();
    if (!kind_ok(rq, rs, kind))
        return;
    ears_params saved, proposed;
    if (!db || !spikes_params(db, kind, &saved))
        return resp_error(rq, rs, 500, T(rq, "The settings could not be read."));
    proposed = saved;
    json_t *d = spikes_staff_data(rq, T(rq, "Spike settings"));
    bool good = read_form(rq, &proposed, d);
    const char *action = req_str(rq, "action");
    if (!good || !action || strcmp(action, "save") != 0) {
        if (!good)
            rs->status = 422;
        else
            jset_str(d, "notice", T(rq, "Preview only: nothing is saved until you press Save."));
        return show(rq, rs, db, kind, &saved, good ? &proposed : NULL, true, d);
    }
    json_decref(d);
    json_t *after = params_json(kind, &proposed);
    bool ok = db_begin(db) && spikes_store_setting_put(db, kind, &proposed, spikes_who(rq), (int64_t)time(NULL)) &&
              spikes_audit(rq, db, "spikes.settings", kind, after);
    json_decref(after);
    if (!spikes_finish(rq, rs, db, ok))
        return;
    char to[120];
    snprintf(to, sizeof(to), "/staff/spikes/settings?kind=%s&done=saved", kind);
    resp_redirect(rs, 303, arena_strdup(&rq->a, to));
}
