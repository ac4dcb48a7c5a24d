/* alerts_api: the alerts as JSON. Public: GET /api/v1/alerts (active,
 * substance, since, page, per_page; the page object the rest of the API
 * uses) and GET /api/v1/alerts/{id}. Staff, with a bearer token of an
 * editor or admin (the guard checks it): POST /api/v1/alerts (201 with the
 * alert), PUT /api/v1/alerts/{id} (an update; "note" says what changed)
 * and DELETE /api/v1/alerts/{id} (withdraw; "reason" in the body or the
 * query). A bad alert is 422 with every problem named by field in
 * error.problems; nothing is saved. */
#include "alerts/alerts_api.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_store.h"
#include "auth/guard.h"
#include "core/util.h"
#include "db/db.h"
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_PAGE_DEFAULT 25

/* api_send, with coordinates written as given (45.51, not 45.509999999999998). */
static void send_json(response *rs, int status, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
    if (!s) {
        api_send(rs, status, o);
        return;
    }
    json_decref(o);
    rs->status = status;
    rs->content_type = "application/json";
    buf_reset(&rs->body);
    buf_puts(&rs->body, s);
    buf_putc(&rs->body, '\n');
    free(s);
}
#define VERSIONS_MAX 100

static json_t *one_json(sqlite3 *db, const request *rq, const alert_rec *a, int64_t now)
{
    alert_version v[VERSIONS_MAX];
    int nv = alerts_store_versions(db, a->id, v, VERSIONS_MAX);
    if (nv < 0)
        return NULL;
    char base[300];
    alerts_base_url(rq->cfg, base, sizeof(base));
    json_t *o = alerts_api_json(a, v, nv, base, now);
    alert_versions_free(v, nv);
    return o;
}

static bool since_of(const char *s, int64_t *t)
{
    int off;
    char tmp[40];
    if (strlen(s) == 10) {
        snprintf(tmp, sizeof(tmp), "%sT00:00:00Z", s);
        s = tmp;
    }
    return alerts_parse_time(s, t, &off);
}

void alerts_api_list(request *rq, response *rs)
{
    int64_t now = (int64_t)time(NULL), since = 0;
    const char *sub = req_str(rq, "substance"), *s = req_str(rq, "since");
    char slug[64] = "", title[128];
    if (sub && !alerts_resolve_substance(sub, slug, sizeof(slug), title, sizeof(title))) {
        api_error(rs, 400, T(rq, "substance: not a substance Waypost knows"), json_pack("{s:s}", "parameter", "substance"));
        return;
    }
    if (s && !since_of(s, &since)) {
        api_error(rs, 400, T(rq, "since: give a date (2026-12-01) or a date and time with its offset"),
                  json_pack("{s:s}", "parameter", "since"));
        return;
    }
    long page = req_has(rq, "page") ? req_int(rq, "page") : 1;
    long per = req_has(rq, "per_page") ? req_int(rq, "per_page") : PER_PAGE_DEFAULT;
    int active = req_has(rq, "active") ? (req_bool(rq, "active") ? 1 : 0) : -1;
    alert_filter f = {true, active, slug[0] ? slug : NULL, since, 3, now, (page - 1) * per, per, false};
    alert_rec *list = xcalloc((size_t)per, sizeof(*list));
    sqlite3 *db = db_thread();
    long total = 0;
    int n = db ? alerts_store_list(db, &f, list, (int)per, &total) : -1;
    json_t *contents = json_array();
    bool ok = n >= 0;
    for (int i = 0; i < n; i++) {
        json_t *o = ok ? one_json(db, rq, &list[i], now) : NULL;
        ok = ok && o;
        if (o)
            json_array_append_new(contents, o);
        alert_rec_clear(&list[i]);
    }
    free(list);
    if (!ok) {
        json_decref(contents);
        api_error(rs, 500, T(rq, "Alerts cannot be read right now."), NULL);
        return;
    }
    long pages = (total + per - 1) / per;
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:b,s:b,s:b}", "total_items", (json_int_t)total, "total_pages",
                          (json_int_t)pages, "page_number", (json_int_t)page, "size",
                          (json_int_t)json_array_size(contents), "first_page", page == 1, "last_page", page >= pages,
                          "empty", json_array_size(contents) == 0);
    json_object_set_new(o, "contents", contents);
    if (alerts_conditional(rq, rs, db ? alerts_store_last_change(db, now) : 0)) {
        json_decref(o);
        return;
    }
    send_json(rs, 200, o);
}

static long id_of(const request *rq)
{
    long id;
    const char *s = req_param(rq, "id");
    return s && parse_long(s, 1, 1L << 50, &id) ? id : 0;
}

/* Sends alert id (staff: any state; public: published at least once). */
static void send_one(request *rq, response *rs, long id, int status, bool staff)
{
    sqlite3 *db = db_thread();
    alert_rec a;
    int f = id && db ? alerts_store_get(db, id, &a) : (id ? -1 : 0);
    if (f > 0 && !staff && a.version == 0) {
        alert_rec_clear(&a);
        f = 0;
    }
    if (f <= 0) {
        api_error(rs, f == 0 ? 404 : 500, f == 0 ? T(rq, "There is no alert with this id.") : T(rq, "Alerts cannot be read right now."),
                  NULL);
        return;
    }
    int64_t now = (int64_t)time(NULL);
    json_t *o = one_json(db, rq, &a, now);
    int64_t last = a.updated_at;
    alert_rec_clear(&a);
    if (!o) {
        api_error(rs, 500, T(rq, "Alerts cannot be read right now."), NULL);
        return;
    }
    if (status == 200 && alerts_conditional(rq, rs, last)) {
        json_decref(o);
        return;
    }
    send_json(rs, status, o);
}

void alerts_api_get(request *rq, response *rs)
{
    send_one(rq, rs, id_of(rq), 200, false);
}

static alert_actor actor_of(const request *rq)
{
    const staff_who *w = staff_who_of(rq);
    return (alert_actor){w ? w->email : "", w ? w->session : ""};
}

/* The request body as a validated alert, or NULL with the answer sent.
 * old: the alert it updates (its start and expiry stay unless given);
 * self its id (0 for a new one). */
static json_t *body_alert(request *rq, response *rs, const alerts_env *env, json_t **raw, const json_t *old,
                          long self)
{
    json_error_t je;
    *raw = rq->body.len ? json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!*raw) {
        char msg[300];
        snprintf(msg, sizeof(msg), T(rq, "The body must be one alert as JSON%s%s."), rq->body.len ? ": " : "",
                 rq->body.len ? je.text : "");
        api_error(rs, 400, msg, NULL);
        return NULL;
    }
    if (old && json_is_object(*raw))
        alerts_keep_times(*raw, old);
    alert_problems pr;
    json_t *doc = alerts_validate(*raw, env->now, env->offset, &pr);
    sqlite3 *db = db_thread();
    if (doc && db && !alerts_check_translation(db, self, doc, &pr) && pr.n) {
        json_decref(doc);
        doc = NULL;
    }
    if (!doc) {
        char msg[300];
        snprintf(msg, sizeof(msg), T(rq, "The alert was not saved: %s"), pr.items[0].message);
        api_error(rs, 422, msg, json_pack("{s:o}", "problems", alerts_problems_json(&pr)));
        json_decref(*raw);
        *raw = NULL;
    }
    return doc;
}

static void answer(request *rq, response *rs, enum alert_result r, long id, int status)
{
    if (r == AR_OK)
        send_one(rq, rs, id, status, true);
    else if (r == AR_NOT_FOUND)
        api_error(rs, 404, T(rq, "There is no alert with this id."), NULL);
    else if (r == AR_STATE)
        api_error(rs, 409, T(rq, "A withdrawn alert cannot be changed."), NULL);
    else
        api_error(rs, 500, T(rq, "The alert could not be saved."), NULL);
}

void alerts_api_create(request *rq, response *rs)
{
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    json_t *raw;
    json_t *doc = body_alert(rq, rs, &env, &raw, NULL, 0);
    if (!doc)
        return;
    alert_actor who = actor_of(rq);
    long id = 0;
    sqlite3 *db = db_thread();
    enum alert_result r = db ? alerts_create(db, &env, &who, doc, &id) : AR_DB;
    json_decref(doc);
    json_decref(raw);
    answer(rq, rs, r, id, 201);
    if (r == AR_OK && rs->status == 201) {
        char *loc = arena_alloc(&rq->a, 64);
        snprintf(loc, 64, "/api/v1/alerts/%ld", id);
        resp_header(rs, "Location", loc);
    }
}

void alerts_api_update(request *rq, response *rs)
{
    long id = id_of(rq);
    if (!id) {
        api_error(rs, 404, T(rq, "There is no alert with this id."), NULL);
        return;
    }
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    sqlite3 *db = db_thread();
    alert_rec old;
    int f = db ? alerts_store_get(db, id, &old) : -1;
    if (f <= 0) {
        api_error(rs, f == 0 ? 404 : 500, f == 0 ? T(rq, "There is no alert with this id.") : T(rq, "Alerts cannot be read right now."),
                  NULL);
        return;
    }
    json_t *raw;
    json_t *doc = body_alert(rq, rs, &env, &raw, old.doc, id);
    alert_rec_clear(&old);
    if (!doc)
        return;
    const char *note = json_string_value(json_object_get(raw, "note"));
    alert_actor who = actor_of(rq);
    enum alert_result r = alerts_update(db, &env, &who, id, doc, note);
    json_decref(doc);
    json_decref(raw);
    answer(rq, rs, r, id, 200);
}

void alerts_api_delete(request *rq, response *rs)
{
    long id = id_of(rq);
    if (!id) {
        api_error(rs, 404, T(rq, "There is no alert with this id."), NULL);
        return;
    }
    json_t *raw = rq->body.len ? json_loadb(rq->body.data, rq->body.len, 0, NULL) : NULL;
    const char *reason = json_string_value(json_object_get(raw, "reason"));
    if (!reason)
        reason = req_str(rq, "reason");
    if (!reason || !*reason || strlen(reason) > 500) {
        json_decref(raw);
        api_error(rs, 422, T(rq, "Say why the alert is withdrawn (reason, up to 500 characters): it is shown publicly."),
                  json_pack("{s:{s:s}}", "problems", "reason", T(rq, "A reason is needed.")));
        return;
    }
    char sender[200];
    alerts_env env = alerts_env_now(rq->cfg, sender, sizeof(sender));
    alert_actor who = actor_of(rq);
    sqlite3 *db = db_thread();
    enum alert_result r = db ? alerts_withdraw(db, &env, &who, id, reason) : AR_DB;
    json_decref(raw);
    answer(rq, rs, r, id, 200);
}
