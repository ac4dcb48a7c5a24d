/* checkin_staff: the staff view of the check-in timer. See checkin_staff.h. */
#include "checkin/checkin_staff.h"
#include "auth/audit.h"
#include "auth/guard.h"
#include "checkin/checkin_int.h"
#include "checkin/checkin_store.h"
#include "db/db.h"
#include "notify/notify.h"
#include "notify/notify_store.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS (24LL * 3600 * 1000)
#define ESCALATED_MAX 50

static checkin_staff_data_fn staff_data_g;

void checkin_set_staff_data(checkin_staff_data_fn fn)
{
    staff_data_g = fn;
}

static json_t *counts_json(sqlite3 *db, int64_t since, bool *ok)
{
    static const char *const names[5] = {"running", "ok", "cancelled", "alerted", "escalated"};
    long c[5];
    *ok = *ok && ck_state_counts(db, since, c);
    json_t *o = json_object();
    long total = 0;
    for (int i = 0; i < 5; i++) {
        json_object_set_new(o, names[i], json_integer(*ok ? c[i] : 0));
        total += *ok ? c[i] : 0;
    }
    json_object_set_new(o, "total", json_integer(total));
    return o;
}

static void add_event(void *ud, int64_t at, const char *kind, const char *detail)
{
    char when[40];
    ck_rfc3339(at, when, sizeof(when));
    json_array_append_new(ud, json_pack("{s:s,s:s,s:s}", "at", when, "kind", kind, "detail", detail ? detail : ""));
}

/* One escalated check-in with what the responder was told. */
static json_t *escalated_json(sqlite3 *db, int64_t id)
{
    ck_row r = {0};
    if (ck_load(db, id, &r) != 1)
        return NULL;
    json_t *s = ck_secret_open(&r);
    char due[40];
    ck_rfc3339(r.due_at, due, sizeof(due));
    json_t *events = json_array();
    ck_events(db, id, add_event, events);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:o}", "id", (json_int_t)id, "due", due, "where",
                          s ? ck_str(s, "where") : "(could not be read)", "name", s ? ck_str(s, "name") : "",
                          "acknowledged", r.acked_at != 0, "events", events);
    json_decref(s);
    ck_row_free(&r);
    return o;
}

/* The escalated check-ins of the last day; one audit row names the ids
 * shown. False on a database error. */
static bool add_escalated(request *rq, sqlite3 *db, int64_t since, json_t *d)
{
    int64_t ids[ESCALATED_MAX];
    int n = ck_escalated_ids(db, since, ids, ESCALATED_MAX);
    if (n < 0)
        return false;
    json_t *list = json_array(), *shown = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = escalated_json(db, ids[i]);
        if (o) {
            json_array_append_new(list, o);
            json_array_append_new(shown, json_integer(ids[i]));
        }
    }
    json_object_set_new(d, "escalated", list);
    json_object_set_new(d, "has_escalated", json_boolean(json_array_size(list) > 0));
    const staff_who *w = staff_who_of(rq);
    json_t *after = json_pack("{s:o}", "checkins", shown);
    audit_entry e = {w ? w->email : "", w ? w->session : "", "checkin.view_escalated", "checkins", NULL, after};
    bool ok = json_array_size(list) == 0 || audit_write(db, &e);
    json_decref(after);
    return ok;
}

void checkin_staff_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db || !staff_data_g)
        return resp_error(rq, rs, 500, T(rq, "The check-in records could not be read."));
    int64_t now = notify_now_ms();
    json_t *d = staff_data_g(rq, T(rq, "Check-ins"));
    bool ok = true;
    json_object_set_new(d, "day", counts_json(db, now - DAY_MS, &ok));
    json_object_set_new(d, "week", counts_json(db, now - 7 * DAY_MS, &ok));
    long queued = 0, sent = 0, failed = 0;
    int64_t oldest = 0;
    ok = ok && outbox_counts(db, &queued, &sent, &failed, &oldest);
    json_object_set_new(d, "outbox", json_pack("{s:i,s:i,s:i,s:I}", "queued", (int)queued, "sent", (int)sent,
                                               "failed", (int)failed,
                                               "oldest_seconds", (json_int_t)(oldest ? (now - oldest) / 1000 : 0)));
    json_object_set_new(d, "has_failed", json_boolean(failed > 0));
    if (!ok || !add_escalated(rq, db, now - DAY_MS, d)) {
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The check-in records could not be read."));
    }
    view_page(rq, rs, "staff/checkins", d);
}
