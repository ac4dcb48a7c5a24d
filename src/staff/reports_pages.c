/* reports_pages: the report queue. See reports_pages.h. The page is
 * templates/staff/reports.mustache (every value escaped by {{ }}); the
 * SQL is reports_store.c; each decision is written with its audit row in
 * one transaction (staff_log). */
#include "staff/reports_pages.h"
#include "auth/guard.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/reports_community.h"
#include "staff/reports_store.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PER_PAGE 50
#define PHONES_MAX 4

/* The kinds a report can have, as the public form (templates/service.mustache)
 * offers them; a kind not here is shown as it is stored. */
struct choice {
    const char *value, *label;
};

static const struct choice kinds[] = {
    {"closed", N_("It has closed")},
    {"moved", N_("It has moved")},
    {"hours", N_("The hours are wrong")},
    {"phone", N_("The phone number is wrong")},
    {"other", N_("Something else")},
    {"drug", N_("Community drug report")},
};

static const struct choice statuses[] = {
    {"open", N_("Open (new or being edited)")},
    {"new", N_("New")},
    {"editing", N_("Being edited")},
    {"reviewed", N_("Reviewed (community reports)")},
    {"alerted", N_("Made into an alert (community reports)")},
    {"resolved", N_("Resolved")},
    {"dismissed", N_("Dismissed")},
};

/* What each action sets, its audit action, the notice after it and the
 * source it applies to (NULL: both). */
static const struct {
    const char *action, *status, *audit, *done, *source;
} actions[] = {
    {"resolve", "resolved", "report.resolve", N_("Report %ld resolved."), REPORT_SOURCE_LISTING},
    {"dismiss", "dismissed", "report.dismiss", N_("Report %ld dismissed."), NULL},
    {"reopen", "new", "report.reopen", N_("Report %ld reopened."), NULL},
    {"edit", "editing", "report.edit", N_("Report %ld marked as being edited."), REPORT_SOURCE_LISTING},
    {"review", "reviewed", "report.review", N_("Report %ld marked as reviewed."), REPORT_SOURCE_COMMUNITY},
};

static const char *kind_label(const char *k)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(kinds[i].value, k))
            return kinds[i].label;
    return k;
}

static const char *status_label(const char *s)
{
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        if (!strcmp(statuses[i].value, s))
            return statuses[i].label;
    return s;
}

/* "2026-12-04T06:55:26Z" -> "2026-12-04 06:55 UTC" */
static json_t *when_iso(const char *at)
{
    char out[40];
    if (strlen(at) == 20 && at[10] == 'T')
        snprintf(out, sizeof(out), "%.10s %.5s UTC", at, at + 11);
    else
        snprintf(out, sizeof(out), "%.39s", at);
    return json_string(out);
}

static json_t *when_unix(long t)
{
    char out[40];
    time_t tt = (time_t)t;
    struct tm tm;
    strftime(out, sizeof(out), "%Y-%m-%d %H:%M UTC", gmtime_r(&tt, &tm));
    return json_string(out);
}

/* "/services/ID" and the like, with the id escaped for a URL. */
static const char *id_url(request *rq, const char *prefix, const char *id, const char *suffix)
{
    buf b = BUF_INIT;
    buf_puts(&b, prefix);
    esc_url(&b, id, strlen(id));
    buf_puts(&b, suffix ? suffix : "");
    const char *out = arena_strdup(&rq->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* One line of a location's first address ("" when it has none). */
static json_t *address_of(json_t *loc)
{
    json_t *a = json_array_get(json_object_get(loc, "addresses"), 0);
    if (!a)
        return json_string("");
    buf b = BUF_INIT;
    const char *parts[] = {str_of(a, "address_1"), str_of(a, "address_2"), str_of(a, "city")};
    for (size_t i = 0; i < 3; i++)
        if (parts[i][0])
            buf_printf(&b, "%s%s", b.len ? ", " : "", parts[i]);
    const char *st = str_of(a, "state_province"), *zip = str_of(a, "postal_code");
    if (st[0] || zip[0])
        buf_printf(&b, "%s%s%s%s", b.len ? ", " : "", st, st[0] && zip[0] ? " " : "", zip);
    json_t *out = json_string(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* The phone numbers of a listing: its first service_at_location's, the
 * service's, the location's, each number once. */
static json_t *phones_of(json_t *sal, json_t *svc, json_t *loc)
{
    json_t *out = json_array();
    json_t *lists[] = {json_object_get(sal, "phones"), json_object_get(svc, "phones"), json_object_get(loc, "phones")};
    for (size_t l = 0; l < 3; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p) {
            const char *n = str_of(p, "number");
            bool seen = !n[0] || json_array_size(out) >= PHONES_MAX;
            for (size_t k = 0; !seen && k < json_array_size(out); k++)
                seen = !strcmp(json_string_value(json_array_get(out, k)), n);
            if (!seen)
                json_array_append_new(out, json_string(n));
        }
    }
    return out;
}

/* The listing beside a report, from the stored HSDS JSON. */
static void add_listing(request *rq, json_t *o, const report_item *it)
{
    json_t *svc = json_loads(it->service_raw, 0, NULL);
    json_t *sal = json_array_get(json_object_get(svc, "service_at_locations"), 0);
    json_t *loc = json_object_get(sal, "location"), *own = NULL;
    if (!json_is_object(loc))
        loc = own = json_loads(it->location_raw, 0, NULL);
    json_t *phones = phones_of(sal, svc, loc);
    json_object_set_new(o, "listing",
                        json_pack("{s:s,s:s,s:o,s:b,s:o,s:s,s:s,s:b,s:s,s:s}", "name", it->name, "organization",
                                  it->organization, "address", address_of(loc), "has_phones",
                                  json_array_size(phones) > 0, "phones", phones, "source", it->listing_source,
                                  "source_date", it->source_date, "is_example", it->is_example, "public_url",
                                  id_url(rq, "/services/", it->service_id, NULL), "staff_url",
                                  id_url(rq, "/staff/listings/", it->service_id, NULL)));
    json_decref(own);
    json_decref(svc);
}

struct fill_ctx {
    request *rq;
    json_t *entries; /* {"item": a listing report} or {"group": community reports} */
    json_t *groups;  /* community groups by key (borrowed references into entries) */
};

static bool add_item(const report_item *it, void *ctx)
{
    struct fill_ctx *c = ctx;
    bool open = !strcmp(it->status, "new") || !strcmp(it->status, "editing");
    json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s,s:b,s:s,s:o,s:s,s:s,s:b,s:b,s:b,s:s}", "source", it->source, "id",
                          (json_int_t)it->id, "kind", it->kind, "kind_label", T(c->rq, kind_label(it->kind)), "note", it->note,
                          "has_note", it->note[0] != '\0', "created_at", it->created_at, "created",
                          when_iso(it->created_at), "status", it->status, "status_label", T(c->rq, status_label(it->status)),
                          "open", open, "editing", !strcmp(it->status, "editing"), "found", it->found, "service_id",
                          it->service_id);
    if (it->decided_at) {
        json_object_set_new(o, "decided", when_unix(it->decided_at));
        jset_str(o, "decided_by", it->decided_by);
    }
    if (!strcmp(it->status, "editing") && it->found) {
        char query[48];
        snprintf(query, sizeof(query), "?report=%ld", it->id);
        jset_str(o, "edit_url", id_url(c->rq, "/staff/listings/", it->service_id, query));
    }
    if (it->found)
        add_listing(c->rq, o, it);
    if (!strcmp(it->source, REPORT_SOURCE_COMMUNITY))
        reports_community_add(c->entries, c->groups, o, it);
    else
        json_array_append_new(c->entries, json_pack("{s:o}", "item", o));
    return true;
}

/* The choices of a select, the chosen one marked. */
static json_t *choices(int lang, const struct choice *t, size_t n, const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", t[i].value, "label", i18n_tr(lang, t[i].label), "selected",
                                              !strcmp(t[i].value, chosen)));
    return list;
}

/* "/staff/reports?status=..&kind=..&page=N" (page 0: none). */
static const char *queue_url(request *rq, const report_filter *f, long page, const char *extra)
{
    buf b = BUF_INIT;
    buf_printf(&b, "/staff/reports?status=%s", f->status);
    if (f->kind[0]) {
        buf_puts(&b, "&kind=");
        esc_url(&b, f->kind, strlen(f->kind));
    }
    if (page > 1)
        buf_printf(&b, "&page=%ld", page);
    buf_puts(&b, extra ? extra : "");
    const char *out = arena_strdup(&rq->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static report_filter filter_of(const request *rq)
{
    const char *status = req_str(rq, "status"), *kind = req_str(rq, "kind");
    return (report_filter){status ? status : "open", kind ? kind : ""};
}

/* The items of one page and the pager into d. */
static bool fill(request *rq, sqlite3 *db, json_t *d, const report_filter *f)
{
    long total = reports_store_count(db, f);
    if (total < 0)
        return false;
    long pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1, page = req_int(rq, "page");
    if (page < 1 || page > pages)
        page = page < 1 ? 1 : pages;
    struct fill_ctx c = {rq, json_array(), json_object()};
    json_object_set_new(d, "entries", c.entries);
    bool ok = reports_store_list(db, &rq->a, f, (page - 1) * PER_PAGE, PER_PAGE, add_item, &c);
    json_decref(c.groups);
    if (!ok)
        return false;
    json_object_set_new(d, "has_items", json_boolean(total > 0));
    json_object_set_new(d, "total", json_integer(total));
    json_object_set_new(d, "one", json_boolean(total == 1));
    json_object_set_new(d, "page", json_integer(page));
    json_object_set_new(d, "pages", json_integer(pages));
    json_object_set_new(d, "has_pager", json_boolean(pages > 1));
    if (page > 1)
        jset_str(d, "prev_url", queue_url(rq, f, page - 1, NULL));
    if (page < pages)
        jset_str(d, "next_url", queue_url(rq, f, page + 1, NULL));
    return true;
}

/* The notice after a decision: "Report 12 resolved." */
static void add_notice(request *rq, json_t *d)
{
    const char *done = req_str(rq, "done");
    long id = req_int(rq, "report");
    for (size_t i = 0; done && id > 0 && i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(actions[i].action, done))
            continue;
        char text[96];
        staff_format_long(text, sizeof(text), T(rq, actions[i].done), id);
        jset_str(d, "notice", text);
    }
}

void staff_reports(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db)
        return staff_server_error(rq, rs);
    report_filter f = filter_of(rq);
    json_t *d = staff_data(rq, T(rq, "Reports"));
    json_object_set_new(d, "statuses", choices(rq->lang, statuses, sizeof(statuses) / sizeof(statuses[0]), f.status));
    json_object_set_new(d, "kinds", choices(rq->lang, kinds, sizeof(kinds) / sizeof(kinds[0]), f.kind));
    json_object_set_new(d, "filter", json_pack("{s:s,s:s}", "status", f.status, "kind", f.kind));
    add_notice(rq, d);
    db_read_begin(db); /* the count and the page from one snapshot */
    bool ok = fill(rq, db, d, &f);
    db_read_end(db);
    if (!ok) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    staff_page(rq, rs, "staff/reports", d);
}

/* Sets item (source, id) to status with its audit row, in one transaction:
 * 200 done (or already so), 400 an action the source does not have, 404
 * no such report, 409 an edit of a listing
 * that is gone, 500 a database error.
 * *it gets the item as it was. */
static int decide(request *rq, sqlite3 *db, const char *source, long id, size_t a, report_item *it)
{
    if (!db_begin(db))
        return 500;
    int found = reports_store_get(db, &rq->a, source, id, it);
    if (found <= 0) {
        db_rollback(db);
        return found == 0 ? 404 : 500;
    }
    if (actions[a].source && strcmp(actions[a].source, source)) {
        db_rollback(db); /* "resolve" a community report, "review" a listing's */
        return 400;
    }
    if (!strcmp(actions[a].action, "edit") && !it->found) {
        db_rollback(db); /* nothing to edit */
        return 409;
    }
    if (!strcmp(it->status, actions[a].status)) {
        db_rollback(db); /* already so: nothing to change or log */
        return 200;
    }
    char target[96];
    snprintf(target, sizeof(target), "report:%s:%ld", source, id);
    json_t *before = json_pack("{s:s}", "status", it->status), *after = json_pack("{s:s}", "status", actions[a].status);
    const staff_who *w = staff_who_of(rq);
    bool ok = reports_store_set_status(db, source, id, actions[a].status, w ? w->email : "") &&
              staff_log(rq, db, actions[a].audit, target, before, after);
    json_decref(before);
    json_decref(after);
    if (!ok || !db_commit(db)) {
        db_rollback(db);
        return 500;
    }
    return 200;
}

static size_t action_index(const char *name)
{
    for (size_t i = 0; name && i < sizeof(actions) / sizeof(actions[0]); i++)
        if (!strcmp(actions[i].action, name))
            return i;
    return (size_t)-1;
}

/* Runs action on the form's report; false with the answer in rs. */
static bool run_action(request *rq, response *rs, const char *action, report_item *it)
{
    size_t a = action_index(action);
    const char *source = req_str(rq, "source");
    long id = req_int(rq, "report");
    if (a == (size_t)-1 || id < 1) {
        resp_error(rq, rs, 400, T(rq, "The form did not say which report and what to do with it."));
        return false;
    }
    sqlite3 *db = db_thread();
    int status = db ? decide(rq, db, source ? source : REPORT_SOURCE_LISTING, id, a, it) : 500;
    if (status == 404)
        resp_error(rq, rs, 404, T(rq, "There is no such report."));
    else if (status == 400)
        resp_error(rq, rs, 400, T(rq, "This kind of report cannot be decided that way: community reports are reviewed, "
                                "listing reports resolved."));
    else if (status == 409)
        resp_error(rq, rs, 409, T(rq, "The listing this report is about is no longer in the directory: resolve or "
                                "dismiss the report instead."));
    else if (status != 200)
        staff_server_error(rq, rs);
    return status == 200;
}

void staff_reports_decide(request *rq, response *rs)
{
    report_item it;
    const char *action = req_str(rq, "action");
    if (action && !strcmp(action, "edit"))
        action = NULL; /* editors only: /staff/reports/edit */
    if (!run_action(rq, rs, action, &it))
        return;
    report_filter f = filter_of(rq);
    char extra[64];
    snprintf(extra, sizeof(extra), "&done=%s&report=%ld#r-%ld", action, it.id, it.id);
    resp_redirect(rs, 303, queue_url(rq, &f, req_int(rq, "page"), extra));
}

void staff_reports_edit(request *rq, response *rs)
{
    report_item it;
    if (!run_action(rq, rs, "edit", &it))
        return;
    char query[48];
    snprintf(query, sizeof(query), "?report=%ld", it.id);
    resp_redirect(rs, 303, id_url(rq, "/staff/listings/", it.service_id, query));
}
