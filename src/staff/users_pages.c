/* users_pages: accounts and settings for admins. See users_pages.h. The
 * changes themselves are auth/accounts.c, shared with `waypost user`. */
#include "staff/users_pages.h"
#include "auth/accounts.h"
#include "auth/guard.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/user_store.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static json_t *users_json(request *rq, sqlite3 *db)
{
    staff_user *u = NULL;
    int n = user_store_list(db, &rq->a, &u);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        char last[40];
        snprintf(last, sizeof(last), "%s", T(rq, "never"));
        if (u[i].last_login_at) {
            time_t t = (time_t)u[i].last_login_at;
            struct tm tm;
            strftime(last, sizeof(last), "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
        }
        const char *state = u[i].disabled        ? T(rq, "disabled")
                            : u[i].password_hash ? T(rq, "active")
                                                 : T(rq, "invited");
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:b}", "email", u[i].email, "name", u[i].name, "role",
                              T(rq, role_name(u[i].role)), "state", state, "totp", u[i].totp_len > 0, "last", last,
                              "disabled", u[i].disabled);
        json_object_set_new(o, role_name(u[i].role), json_true());
        json_array_append_new(list, o);
    }
    return list;
}

static void users_page(request *rq, response *rs, json_t *d)
{
    sqlite3 *db = db_thread();
    if (!d)
        d = staff_data(rq, T(rq, "Accounts"));
    if (!db) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    json_object_set_new(d, "users", users_json(rq, db));
    staff_page(rq, rs, "staff/users", d);
}

void staff_users(request *rq, response *rs)
{
    users_page(rq, rs, NULL);
}

static account_actor actor_of(const request *rq)
{
    const staff_who *w = staff_who_of(rq);
    return (account_actor){w->email, w->session};
}

/* The setup link to hand to the person, in the request's arena. */
static const char *setup_link(request *rq, const char *token)
{
    char *out = arena_alloc(&rq->a, 512);
    const char *host = req_header(rq, "Host");
    if (rq->cfg->public_url[0])
        snprintf(out, 512, "%s/staff/setup/%s", rq->cfg->public_url, token);
    else
        snprintf(out, 512, "http://%s/staff/setup/%s", host ? host : rq->cfg->listen, token);
    return out;
}

void staff_users_add(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *email = req_str(rq, "email"), *name = req_str(rq, "name");
    int role = role_parse(req_str(rq, "role"));
    char setup[TOKEN_CHARS], why[256] = "";
    account_actor by = actor_of(rq);
    int r = db ? account_add(db, &by, email ? email : "", name, role, NULL, setup, why, sizeof(why)) : ACC_DB;
    json_t *d = staff_data(rq, T(rq, "Accounts"));
    if (r == ACC_DB) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    if (r == ACC_BAD || r == ACC_EXISTS) {
        staff_field_error(d, r == ACC_EXISTS || !account_email_ok(email) ? "email" : "role",
                          r == ACC_EXISTS ? T(rq, "There is already an account with this email.") : i18n_tr(rq->lang, why));
        jset_str(d, "email", email);
        jset_str(d, "name", name);
        rs->status = 422;
        return users_page(rq, rs, d);
    }
    json_object_set_new(d, "added", json_pack("{s:s,s:s}", "email", email, "link", setup_link(rq, setup)));
    users_page(rq, rs, d);
}

void staff_users_change(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *email = req_str(rq, "email"), *action = req_str(rq, "action");
    account_actor by = actor_of(rq);
    char setup[TOKEN_CHARS];
    int r = ACC_DB;
    if (!db || !email || !action)
        return resp_error(rq, rs, 400, T(rq, "The form did not say which account and what to change."));
    if (!strcmp(action, "role"))
        r = account_set_role(db, &by, email, role_parse(req_str(rq, "role")));
    else if (!strcmp(action, "disable") || !strcmp(action, "enable"))
        r = account_set_disabled(db, &by, email, !strcmp(action, "disable"));
    else if (!strcmp(action, "reset"))
        r = account_reset(db, &by, email, setup);
    else if (!strcmp(action, "two_factor_off"))
        r = account_clear_totp(db, &by, email);
    if (r == ACC_UNKNOWN)
        return resp_error(rq, rs, 404, T(rq, "There is no staff account with that email."));
    if (r == ACC_BAD)
        return resp_error(rq, rs, 400, T(rq, "Choose admin, editor or moderator."));
    if (r != ACC_OK)
        return staff_server_error(rq, rs);
    json_t *d = staff_data(rq, T(rq, "Accounts"));
    if (!strcmp(action, "reset"))
        json_object_set_new(d, "added", json_pack("{s:s,s:s}", "email", email, "link", setup_link(rq, setup)));
    else
        jset_str(d, "notice", T(rq, "Saved. The account's sessions were ended."));
    users_page(rq, rs, d);
}

static void settings_page(request *rq, response *rs, const char *notice)
{
    sqlite3 *db = db_thread();
    json_t *d = staff_data(rq, T(rq, "Settings"));
    const char *v = db ? user_store_setting(db, &rq->a, "two_factor") : NULL;
    json_object_set_new(d, "two_factor_required", json_boolean(v && !strcmp(v, "required")));
    jset_str(d, "notice", notice);
    staff_page(rq, rs, "staff/settings", d);
}

void staff_settings(request *rq, response *rs)
{
    settings_page(rq, rs, NULL);
}

void staff_settings_save(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const char *v = req_str(rq, "two_factor");
    if (!v)
        return resp_error(rq, rs, 400, T(rq, "Choose whether two-factor sign-in is required."));
    if (!db || !db_begin(db))
        return staff_server_error(rq, rs);
    const char *old = user_store_setting(db, &rq->a, "two_factor");
    json_t *before = json_pack("{s:s}", "two_factor", old ? old : "optional"), *after = json_pack("{s:s}", "two_factor", v);
    bool ok = user_store_set_setting(db, "two_factor", v) && staff_log(rq, db, "setting", "two_factor", before, after);
    json_decref(before);
    json_decref(after);
    if (!staff_finish(rq, rs, db, ok))
        return;
    settings_page(rq, rs, T(rq, "Saved."));
}
