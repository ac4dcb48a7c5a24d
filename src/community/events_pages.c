/* events_pages: /staff/events, a day's count entered by hand (editors):
 * date, area, kind, count; a stored count for the same date, area and kind
 * is replaced. Each save is one transaction with its audit row (the count
 * before and after). See spikes_pages.h. */
#include "community/areas.h"
#include "community/events.h"
#include "community/events_store.h"
#include "community/spikes.h"
#include "community/spikes_pages.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void add_kind(void *ud, const char *kind)
{
    if (strcmp(kind, EVENTS_REPORTS_KIND) != 0)
        json_array_append_new(ud, json_pack("{s:s}", "kind", kind));
}

/* The form, with the values typed (when any) and the known kinds. */
static void form(request *rq, response *rs, sqlite3 *db, json_t *d)
{
    static const char *const suggested[] = {"naloxone-administered", "ems-overdose-calls", "ed-overdose-visits",
                                            "reported-reversals"};
    json_t *kinds = json_array();
    if (!events_store_kinds(db, add_kind, kinds)) {
        json_decref(kinds);
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    }
    if (json_array_size(kinds) == 0)
        for (size_t i = 0; i < sizeof(suggested) / sizeof(suggested[0]); i++)
            add_kind(kinds, suggested[i]);
    json_object_set_new(d, "kinds", kinds);
    char day[11];
    spikes_yesterday(rq->cfg ? rq->cfg->timezone : NULL, (int64_t)time(NULL), day);
    json_t *v = json_object();
    jset_str(v, "date", req_str(rq, "date") ? req_str(rq, "date") : day);
    jset_str(v, "area", req_str(rq, "area"));
    jset_str(v, "kind", req_str(rq, "kind"));
    jset_str(v, "count", req_str(rq, "count"));
    json_object_set_new(d, "v", v);
    json_t *areas = json_array();
    for (size_t i = 0; i < areas_count(); i++)
        json_array_append_new(areas, json_pack("{s:s,s:s}", "slug", areas_at(i)->slug, "name", areas_at(i)->name));
    json_object_set_new(d, "has_areas", json_boolean(areas_count() > 0));
    json_object_set_new(d, "areas", areas);
    view_page(rq, rs, "staff/events", d);
}

void events_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db)
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    json_t *d = spikes_staff_data(rq, T(rq, "Daily counts"));
    if (req_str(rq, "done"))
        jset_str(d, "notice", T(rq, "The count is saved."));
    form(rq, rs, db, d);
}

/* The form's fields into r; problems named at their fields in d. */
static bool read_form(const request *rq, event_row *r, json_t *d)
{
    bool ok = true;
    const char *s = req_str(rq, "date");
    if (!s || !events_day_ok(s, NULL))
        ok = false, spikes_field_error(d, "date", T(rq, "Date: a day like 2025-03-14."));
    else
        str_copy(r->day, sizeof(r->day), s);
    s = req_str(rq, "area");
    if (!s || !areas_check(s, r->area, sizeof(r->area)))
        ok = false, spikes_field_error(d, "area", T(rq, "Area: a ZIP code or one of the named areas."));
    char why[160];
    s = req_str(rq, "kind");
    if (!s || !events_check_kind(s, why, sizeof(why))) {
        char msg[200];
        snprintf(msg, sizeof(msg), T(rq, "Kind: %s."), s ? why : T(rq, "give the kind of count"));
        ok = false, spikes_field_error(d, "kind", msg);
    } else {
        str_copy(r->kind, sizeof(r->kind), s);
    }
    s = req_str(rq, "count");
    if (!s || !parse_long(s, 0, EVENTS_MAX_COUNT, &r->count))
        ok = false, spikes_field_error(d, "count", T(rq, "Count: a whole number from 0 to 1000000."));
    return ok;
}

void events_submit(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db)
        return resp_error(rq, rs, 500, T(rq, "The counts could not be read."));
    json_t *d = spikes_staff_data(rq, T(rq, "Daily counts"));
    event_row r = {0};
    if (!read_form(rq, &r, d)) {
        rs->status = 422;
        return form(rq, rs, db, d);
    }
    json_decref(d);
    long before = -1;
    bool ok = db_begin(db) && events_store_get(db, r.kind, r.area, r.day, &before) >= 0;
    ok = ok && events_store_put(db, &r, "staff", spikes_who(rq), (int64_t)time(NULL)) >= 0;
    json_t *after = json_pack("{s:s,s:s,s:s,s:I,s:I}", "date", r.day, "area", r.area, "kind", r.kind, "count",
                              (json_int_t)r.count, "before", (json_int_t)before);
    ok = ok && spikes_audit(rq, db, "events.save", r.kind, after);
    json_decref(after);
    if (!spikes_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, "/staff/events?done=saved");
}
