/* account_pages: a staff member's own account. See account_pages.h.
 *
 * Enrolment keeps the offered secret as "pending" until a code made from
 * it is typed back, so a half-finished enrolment never locks anyone out.
 * Recovery codes are shown once, when made, and stored hashed. Turning
 * two-factor on or off, and a new password, give the session a new token
 * and end the account's other sessions. */
#include "staff/account_pages.h"
#include "auth/guard.h"
#include "auth/password.h"
#include "auth/qr.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "auth/user_store.h"
#include "core/buf.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/staff_view.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RECOVERY_CODES 10

static json_t *sessions_json(request *rq, sqlite3 *db, const staff_who *w)
{
    session_row *list = NULL;
    int n = session_store_list(db, &rq->a, w->user_id, &list);
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        char seen[40], made[40];
        time_t t1 = (time_t)list[i].seen_at, t2 = (time_t)list[i].created_at;
        struct tm tm;
        strftime(seen, sizeof(seen), "%Y-%m-%d %H:%M UTC", gmtime_r(&t1, &tm));
        strftime(made, sizeof(made), "%Y-%m-%d %H:%M UTC", gmtime_r(&t2, &tm));
        const char *id = session_short(&rq->a, list[i].hash);
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:b}", "id", id, "agent", list[i].agent, "seen", seen,
                                             "made", made, "this", strcmp(id, w->session) == 0));
    }
    return out;
}

/* The account page, with d (NULL: fresh data) and an optional notice. */
static void account_page(request *rq, response *rs, json_t *d, const char *notice)
{
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    if (!d)
        d = staff_data(rq, T(rq, "Your account"));
    if (notice)
        jset_str(d, "notice", notice);
    if (!db) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    json_object_set_new(d, "sessions", sessions_json(rq, db, w));
    json_object_set_new(d, "recovery_left", json_integer(user_store_recovery_left(db, w->user_id)));
    static const char *const done[][2] = {
        {"password", N_("Your password is changed. Your other sessions were ended.")},
        {"others", N_("Your other sessions were ended.")},
        {"one", N_("That session was ended.")},
        {"off", N_("Two-factor sign-in is off.")},
    };
    const char *which = req_str(rq, "done");
    for (size_t i = 0; which && !notice && i < sizeof(done) / sizeof(done[0]); i++)
        if (!strcmp(which, done[i][0]))
            jset_str(d, "notice", T(rq, done[i][1]));
    const char *req = req_str(rq, "two_factor");
    if (req && !strcmp(req, "required") && !w->totp)
        jset_str(d, "warning", T(rq, "This site requires two-factor sign-in. Set it up below to use the staff pages."));
    staff_page(rq, rs, "staff/account", d);
}

void staff_account(request *rq, response *rs)
{
    account_page(rq, rs, NULL, NULL);
}

/* Checks the signed-in person's current password (form field "current"). */
static int current_password_ok(request *rq, sqlite3 *db, staff_user *u)
{
    const staff_who *w = staff_who_of(rq);
    int r = user_store_by_id(db, &rq->a, w->user_id, u);
    if (r != 1)
        return r;
    const char *pw = req_str(rq, "current");
    return pw && u->password_hash && password_verify(u->password_hash, pw, strlen(pw)) ? 1 : 0;
}

/* Ends the other sessions, gives this one a new token, writes the audit
 * row; in one transaction. A page rendered after it (d) gets the new
 * session's CSRF token. */
static bool rotate_and_log(request *rq, response *rs, sqlite3 *db, const char *action, json_t *before, json_t *after,
                           json_t *d)
{
    const staff_who *w = staff_who_of(rq);
    const char *csrf = NULL;
    bool ok = session_store_delete_user(db, w->user_id, NULL) &&
              session_begin(db, rq, rs, w->user_id, "full", &csrf) && staff_log(rq, db, action, w->email, before, after);
    if (ok && d)
        jset_str(d, "csrf", csrf);
    json_decref(before);
    json_decref(after);
    return ok;
}

void staff_account_password(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    staff_user u;
    int r = db ? current_password_ok(rq, db, &u) : -1;
    if (r < 0)
        return staff_server_error(rq, rs);
    json_t *d = staff_data(rq, T(rq, "Your account"));
    const char *pw = req_str(rq, "password"), *again = req_str(rq, "confirm");
    char why[200] = "";
    if (r == 0)
        staff_field_error(d, "current", T(rq, "Your current password is not right."));
    else if (!pw || !password_policy_check(pw, strlen(pw), why, sizeof(why)))
        staff_field_error(d, "password", why[0] ? i18n_tr(rq->lang, why) : T(rq, "Choose a password of at least 12 characters."));
    else if (!again || strcmp(pw, again))
        staff_field_error(d, "confirm", T(rq, "The two new passwords are not the same."));
    if (json_object_get(d, "has_errors")) {
        rs->status = 422;
        return account_page(rq, rs, d, NULL);
    }
    json_decref(d);
    char hash[crypto_pwhash_STRBYTES];
    if (!password_hash(pw, strlen(pw), hash) || !db_begin(db))
        return staff_server_error(rq, rs);
    bool ok = user_store_set_password(db, u.id, hash) && rotate_and_log(rq, rs, db, "password.change", NULL, NULL, NULL);
    if (!staff_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, "/staff/account?done=password");
}

void staff_account_sessions(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    const char *end = req_str(rq, "end");
    session_row cur;
    if (!db || !end || session_current(db, rq, &cur) != 1 || !db_begin(db))
        return staff_server_error(rq, rs);
    bool ok;
    const char *to;
    if (!strcmp(end, "all")) {
        ok = session_store_delete_user(db, w->user_id, NULL) && session_end(db, rq, rs);
        to = "/staff/login?done=out";
    } else if (!strcmp(end, "others")) {
        ok = session_store_delete_user(db, w->user_id, cur.hash);
        to = "/staff/account?done=others";
    } else {
        ok = session_store_delete_short(db, w->user_id, end) >= 0;
        to = !strcmp(end, w->session) ? "/staff/login?done=out" : "/staff/account?done=one";
    }
    ok = ok && staff_log(rq, db, "session.end", end, NULL, NULL);
    if (!staff_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, to);
}

/* Shows the QR code and secret of the pending enrolment. */
static void enrol_page(request *rq, response *rs, const staff_user *u, json_t *d)
{
    char secret[64], uri[512];
    base32_encode(u->pending, u->pending_len, secret, sizeof(secret));
    totp_uri(rq->cfg->site_name, u->email, u->pending, u->pending_len, uri, sizeof(uri));
    buf svg;
    buf_init(&svg, 64 * 1024);
    if (!qr_svg(uri, "QR code to scan with your authenticator app", &svg)) {
        buf_free(&svg);
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    json_object_set_new(d, "enrol", json_pack("{s:s,s:s%}", "secret", secret, "qr", buf_cstr(&svg), svg.len));
    buf_free(&svg);
    account_page(rq, rs, d, NULL);
}

/* Makes ten recovery codes, stores their hashes, and lists them in d. */
static bool new_recovery_codes(sqlite3 *db, long user_id, json_t *d)
{
    char codes[RECOVERY_CODES][16], hashes[RECOVERY_CODES][65];
    const char *h[RECOVERY_CODES];
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODES; i++) {
        recovery_code_new(codes[i]);
        recovery_code_hash(codes[i], hashes[i]);
        h[i] = hashes[i];
        json_array_append_new(list, json_string(codes[i]));
    }
    json_object_set_new(d, "recovery_codes", list);
    json_object_set_new(d, "has_recovery_codes", json_true());
    sodium_memzero(codes, sizeof(codes));
    return user_store_recovery_replace(db, user_id, h, RECOVERY_CODES);
}

static void two_factor_start(request *rq, response *rs, sqlite3 *db, staff_user *u)
{
    unsigned char key[20];
    totp_new_secret(key);
    if (!user_store_set_pending(db, u->id, key, sizeof(key)))
        return staff_server_error(rq, rs);
    memcpy(u->pending, key, sizeof(key));
    u->pending_len = sizeof(key);
    sodium_memzero(key, sizeof(key));
    enrol_page(rq, rs, u, staff_data(rq, T(rq, "Your account")));
}

static void two_factor_confirm(request *rq, response *rs, sqlite3 *db, staff_user *u)
{
    const char *code = req_str(rq, "totp");
    int64_t step = code && u->pending_len ? totp_verify(u->pending, u->pending_len, code, time(NULL), 0) : -1;
    json_t *d = staff_data(rq, T(rq, "Your account"));
    if (step < 0) {
        staff_field_error(d, "totp", T(rq, "That code is not right. Type the six digits your app shows now."));
        rs->status = 422;
        return u->pending_len ? enrol_page(rq, rs, u, d) : account_page(rq, rs, d, NULL);
    }
    if (!db_begin(db)) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    bool ok = user_store_set_totp(db, u->id, u->pending, u->pending_len) && user_store_set_step(db, u->id, step) &&
              new_recovery_codes(db, u->id, d) &&
              rotate_and_log(rq, rs, db, "two_factor.on", json_pack("{s:b}", "two_factor", false),
                             json_pack("{s:b}", "two_factor", true), d);
    if (!staff_finish(rq, rs, db, ok)) {
        json_decref(d);
        return;
    }
    json_object_set_new(json_object_get(d, "who"), "totp", json_true());
    account_page(rq, rs, d, T(rq, "Two-factor sign-in is on. Keep these recovery codes somewhere safe: each works once."));
}

/* Off, or new recovery codes: both ask for the current password. */
static void two_factor_change(request *rq, response *rs, sqlite3 *db, staff_user *u, bool off)
{
    json_t *d = staff_data(rq, T(rq, "Your account"));
    const char *pw = req_str(rq, "current");
    if (!pw || !u->password_hash || !password_verify(u->password_hash, pw, strlen(pw))) {
        staff_field_error(d, off ? "current_off" : "current_codes", T(rq, "Your current password is not right."));
        rs->status = 422;
        return account_page(rq, rs, d, NULL);
    }
    if (!db_begin(db)) {
        json_decref(d);
        return staff_server_error(rq, rs);
    }
    const char *none[1] = {NULL};
    bool ok = off ? user_store_set_totp(db, u->id, NULL, 0) && user_store_recovery_replace(db, u->id, none, 0) &&
                        rotate_and_log(rq, rs, db, "two_factor.off", json_pack("{s:b}", "two_factor", true),
                                       json_pack("{s:b}", "two_factor", false), NULL)
                  : new_recovery_codes(db, u->id, d) && staff_log(rq, db, "two_factor.codes", u->email, NULL, NULL);
    if (!staff_finish(rq, rs, db, ok)) {
        json_decref(d);
        return;
    }
    if (off) {
        json_decref(d);
        return resp_redirect(rs, 303, "/staff/account?done=off");
    }
    account_page(rq, rs, d, T(rq, "New recovery codes are below; the old ones no longer work."));
}

void staff_account_two_factor(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    staff_user u;
    int r = db ? user_store_by_id(db, &rq->a, w->user_id, &u) : -1;
    if (r != 1)
        return staff_server_error(rq, rs);
    const char *action = req_str(rq, "action");
    if (!action)
        return resp_error(rq, rs, 400, T(rq, "The form sent no action."));
    if (!strcmp(action, "start"))
        return two_factor_start(rq, rs, db, &u);
    if (!strcmp(action, "confirm"))
        return two_factor_confirm(rq, rs, db, &u);
    two_factor_change(rq, rs, db, &u, !strcmp(action, "off"));
}
