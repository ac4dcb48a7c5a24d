/* subs_staff: the partner webhooks page. See subs_staff.h. */
#include "community/subs_staff.h"
#include "auth/audit.h"
#include "auth/guard.h"
#include "community/subs_store.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static subs_staff_data_fn staff_data_g;

void subs_set_staff_data(subs_staff_data_fn fn)
{
    staff_data_g = fn;
}

static bool add_hook(void *ud, long id, const char *name, const char *url, int64_t created_at, const char *by)
{
    char when[32];
    time_t t = (time_t)created_at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
    json_array_append_new(ud, json_pack("{s:i,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "name", name ? name : "",
                                        "url", url ? url : "", "created", when, "by", by ? by : ""));
    return true;
}

static void page(request *rq, response *rs, int status, const char *field, const char *message)
{
    sqlite3 *db = db_thread();
    if (!db || !staff_data_g)
        return resp_error(rq, rs, 500, T(rq, "The webhooks could not be read."));
    json_t *d = staff_data_g(rq, T(rq, "Alert webhooks"));
    json_t *hooks = json_array();
    long sms = 0, email = 0;
    if (!subs_store_hooks(db, add_hook, hooks) || !subs_store_counts(db, &sms, &email)) {
        json_decref(hooks);
        json_decref(d);
        return resp_error(rq, rs, 500, T(rq, "The webhooks could not be read."));
    }
    json_object_set_new(d, "hooks", hooks);
    json_object_set_new(d, "has_hooks", json_boolean(json_array_size(hooks) > 0));
    json_object_set_new(d, "subs_sms", json_integer(sms));
    json_object_set_new(d, "subs_email", json_integer(email));
    json_object_set_new(d, "can_sign", json_boolean(rq->cfg->webhook_secret[0] != 0));
    if (field) {
        json_t *errors = json_object();
        jset_str(errors, field, message);
        json_object_set_new(d, "errors", errors);
        json_object_set_new(d, "has_errors", json_true());
        json_object_set_new(d, "error_list", json_pack("[{s:s,s:s}]", "field", field, "message", message));
        jset_str(d, "name", req_str(rq, "name"));
        jset_str(d, "url", req_str(rq, "url"));
    }
    rs->status = status;
    view_page(rq, rs, "staff/webhooks", d);
}

void subs_staff_page(request *rq, response *rs)
{
    page(rq, rs, 200, NULL, NULL);
}

static bool url_ok(const char *u)
{
    if (!u || (!str_has_prefix(u, "https://") && !str_has_prefix(u, "http://")) || strlen(u) > 500)
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
            return false;
    return strlen(u) > strlen("https://") + 1;
}

static bool write_audit(request *rq, sqlite3 *db, const char *action, long id, json_t *before, json_t *after)
{
    const staff_who *w = staff_who_of(rq);
    char target[32];
    snprintf(target, sizeof(target), "webhook:%ld", id);
    audit_entry e = {w ? w->email : "", w ? w->session : "", action, target, before, after};
    return audit_write(db, &e);
}

void subs_staff_add(request *rq, response *rs)
{
    const char *name = req_str(rq, "name"), *url = req_str(rq, "url");
    if (!rq->cfg->webhook_secret[0])
        return page(rq, rs, 400, "url", T(rq, "Set [checkin] webhook_secret first: every webhook is signed with it."));
    if (!name || !name[0])
        return page(rq, rs, 400, "name", T(rq, "Give the partner's name."));
    if (!url_ok(url))
        return page(rq, rs, 400, "url", T(rq, "Give the address as https://... (no spaces)."));
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    long id = 0;
    json_t *after = json_pack("{s:s,s:s}", "name", name, "url", url);
    bool ok = db && db_begin(db) &&
              subs_store_hook_add(db, name, url, (int64_t)time(NULL), w ? w->email : "", &id) &&
              write_audit(rq, db, "webhook.add", id, NULL, after) && db_commit(db);
    json_decref(after);
    if (!ok) {
        if (db)
            db_rollback(db);
        return resp_error(rq, rs, 500, T(rq, "The webhook could not be saved."));
    }
    resp_redirect(rs, 303, "/staff/webhooks");
}

void subs_staff_delete(request *rq, response *rs)
{
    long id = 0;
    if (!parse_long(req_param(rq, "id"), 1, 1L << 50, &id))
        return resp_error(rq, rs, 404, T(rq, "There is no such webhook."));
    sqlite3 *db = db_thread();
    if (!db || !db_begin(db))
        return resp_error(rq, rs, 500, T(rq, "The webhook could not be removed."));
    int f = subs_store_hook_delete(db, id);
    bool ok = f >= 0 && (f == 0 || write_audit(rq, db, "webhook.delete", id, NULL, NULL)) && db_commit(db);
    if (!ok) {
        db_rollback(db);
        return resp_error(rq, rs, 500, T(rq, "The webhook could not be removed."));
    }
    if (f == 0)
        return resp_error(rq, rs, 404, T(rq, "There is no such webhook."));
    resp_redirect(rs, 303, "/staff/webhooks");
}
