/* staff_pages: sign in (password, then a two-factor code when enrolled),
 * sign out, the setup link and the overview. See staff_pages.h.
 *
 * A failed sign-in says only "Email or password is wrong", and costs the
 * same whether or not the account exists: an unknown email is checked
 * against a dummy hash (password_dummy_verify), and both paths write the
 * same rows (a failure row and an audit row). */
#include "staff/staff_pages.h"
#include "auth/guard.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/totp.h"
#include "auth/user_store.h"
#include "db/db.h"
#include "pages/hooks.h"
#include "pages/view.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define WRONG N_("Email or password is wrong.")

/* The sign-in page: the password step, or (csrf given: the pending
 * session's token) the code step. */
static void login_form(request *rq, response *rs, int status, const char *csrf, const char *message)
{
    json_t *d = staff_data(rq, T(rq, "Sign in"));
    if (csrf) {
        json_object_set_new(d, "step_code", json_true());
        jset_str(d, "csrf", csrf);
    }
    jset_str(d, "message", message);
    jset_str(d, "email", req_str(rq, "email"));
    const char *done = req_str(rq, "done");
    if (done && !strcmp(done, "password"))
        jset_str(d, "notice", T(rq, "Your password is set. Sign in with it."));
    if (done && !strcmp(done, "out"))
        jset_str(d, "notice", T(rq, "You are signed out."));
    rs->status = status;
    staff_page(rq, rs, "staff/login", d);
}

/* 429 with Retry-After for a try that must wait. */
static void too_many(request *rq, response *rs, long wait)
{
    char *v = arena_alloc(&rq->a, 24);
    snprintf(v, 24, "%ld", wait);
    resp_header(rs, "Retry-After", v);
    char msg[160];
    long minutes = (wait + 59) / 60;
    staff_format_long(msg, sizeof(msg),
                      TN(rq, "Too many tries. Wait %ld minute and try again.",
                         "Too many tries. Wait %ld minutes and try again.", minutes),
                      minutes);
    login_form(rq, rs, 429, NULL, msg);
}

/* Records a failed try for email in one transaction with its audit row. */
static bool note_failure(request *rq, sqlite3 *db, const char *email, const char *why)
{
    int64_t now = (int64_t)time(NULL);
    throttle_address_failed(rq->client, now);
    if (!db_begin(db))
        return false;
    bool ok = user_store_note_failure(db, email, now) && staff_log_as(db, "", "", "login.failed", why);
    if (ok && db_commit(db))
        return true;
    db_rollback(db);
    return false;
}

/* The full session after every step passed: new token, audit, overview. */
static void signed_in(request *rq, response *rs, sqlite3 *db, const staff_user *u, const char *how)
{
    if (!db_begin(db))
        return staff_server_error(rq, rs);
    bool ok = session_begin(db, rq, rs, u->id, "full", NULL) && user_store_login_ok(db, u->id, (int64_t)time(NULL)) &&
              staff_log_as(db, u->email, "", how, u->email);
    if (!staff_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, "/staff");
}

void staff_login_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    session_row s;
    int r = db ? session_current(db, rq, &s) : -1;
    if (r < 0)
        return staff_server_error(rq, rs);
    if (staff_who_of(rq))
        return resp_redirect(rs, 303, "/staff");
    login_form(rq, rs, 200, r == 1 && !strcmp(s.stage, "totp") ? s.csrf : NULL, NULL);
}

void staff_login_submit(request *rq, response *rs)
{
    const char *email = req_str(rq, "email"), *pw = req_str(rq, "password");
    if (!email || !pw)
        return login_form(rq, rs, 422, NULL, T(rq, "Type your email and your password."));
    sqlite3 *db = db_thread();
    long wait = db ? throttle_wait(db, rq->client, email, (int64_t)time(NULL)) : -1;
    if (wait < 0)
        return staff_server_error(rq, rs);
    if (wait > 0)
        return too_many(rq, rs, wait);
    staff_user u;
    int r = user_store_by_email(db, &rq->a, email, &u);
    if (r < 0)
        return staff_server_error(rq, rs);
    bool ok = false;
    if (r == 1 && u.password_hash && !u.disabled)
        ok = password_verify(u.password_hash, pw, strlen(pw));
    else
        password_dummy_verify(pw, strlen(pw));
    if (!ok) {
        if (!note_failure(rq, db, email, email))
            return staff_server_error(rq, rs);
        return login_form(rq, rs, 401, NULL, T(rq, WRONG));
    }
    char fresh[crypto_pwhash_STRBYTES];
    if (password_needs_rehash(u.password_hash) && password_hash(pw, strlen(pw), fresh))
        user_store_set_password(db, u.id, fresh);
    if (!u.totp_len)
        return signed_in(rq, rs, db, &u, "login");
    const char *csrf = NULL;
    if (!session_begin(db, rq, rs, u.id, "totp", &csrf))
        return staff_server_error(rq, rs);
    login_form(rq, rs, 200, csrf, NULL);
}

/* Checks a typed code against the account: a TOTP code (not used before)
 * or an unused recovery code. 1 right, 0 wrong, -1 a database error. */
static int check_code(sqlite3 *db, const staff_user *u, const char *code, const char **how)
{
    int64_t step = totp_verify(u->totp, u->totp_len, code, time(NULL), u->totp_last_step);
    if (step >= 0) {
        *how = "login";
        return user_store_set_step(db, u->id, step) ? 1 : -1;
    }
    char h[65];
    recovery_code_hash(code, h);
    *how = "login.recovery_code";
    return user_store_recovery_use(db, u->id, h, (int64_t)time(NULL));
}

void staff_login_code(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    session_row s;
    staff_user u;
    int r = db ? session_current(db, rq, &s) : -1;
    if (r == 1 && strcmp(s.stage, "totp") != 0)
        r = 0;
    if (r == 1)
        r = user_store_by_id(db, &rq->a, s.user_id, &u);
    if (r < 0)
        return staff_server_error(rq, rs);
    if (r == 0 || u.disabled || !u.totp_len)
        return login_form(rq, rs, 401, NULL, T(rq, "Your sign-in took too long or was not started. Sign in again."));
    const char *t = req_str(rq, "csrf");
    if (!t || strcmp(t, s.csrf) != 0)
        return resp_error(rq, rs, 403, T(rq, "This form is out of date. Go back, reload and try again."));
    long wait = throttle_wait(db, rq->client, u.email, (int64_t)time(NULL));
    if (wait != 0)
        return wait < 0 ? staff_server_error(rq, rs) : too_many(rq, rs, wait);
    const char *how = NULL, *code = req_str(rq, "totp");
    r = code ? check_code(db, &u, code, &how) : 0;
    if (r < 0)
        return staff_server_error(rq, rs);
    if (r == 0) {
        if (!note_failure(rq, db, u.email, u.email))
            return staff_server_error(rq, rs);
        return login_form(rq, rs, 401, s.csrf, T(rq, "That code is wrong or was already used. Type the newest code."));
    }
    signed_in(rq, rs, db, &u, how);
}

void staff_logout(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    if (!db || !db_begin(db))
        return staff_server_error(rq, rs);
    bool ok = session_end(db, rq, rs) && staff_log(rq, db, "logout", w ? w->email : "", NULL, NULL);
    if (!staff_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, "/staff/login?done=out");
}

void staff_home(request *rq, response *rs)
{
    json_t *d = staff_data(rq, T(rq, "Overview"));
    sqlite3 *db = db_thread();
    const staff_who *w = staff_who_of(rq);
    long failed = db && w ? user_store_take_failures(db, w->user_id) : 0;
    if (failed > 0) {
        char msg[200];
        staff_format_long(msg, sizeof(msg),
                 TN(rq,
                    "Since you last signed in, someone tried to sign in to your account %ld time with a wrong "
                    "password or code. If that was not you, tell an admin.",
                    "Since you last signed in, someone tried to sign in to your account %ld times with a wrong "
                    "password or code. If that was not you, tell an admin.",
                    failed),
                 failed);
        jset_str(d, "warning", msg);
    }
    /* features add to the overview (the spike detector's flags) */
    page_ctx ctx = {.rq = rq, .data = d, .tmpl = "staff/home"};
    hooks_run("staff:home", &ctx);
    staff_page(rq, rs, "staff/home", d);
}

/* The account a setup link belongs to: 1 (with *u), 0 unknown or ended. */
static int setup_account(request *rq, sqlite3 *db, staff_user *u)
{
    const char *token = req_param(rq, "token");
    char h[HASH_HEX];
    long id = 0;
    if (!token || strlen(token) != TOKEN_CHARS - 1)
        return 0;
    auth_hash(token, h);
    int r = user_store_setup_find(db, h, (int64_t)time(NULL), &id);
    return r == 1 ? user_store_by_id(db, &rq->a, id, u) : r;
}

static void setup_form(request *rq, response *rs, const staff_user *u, json_t *d)
{
    if (!d)
        d = staff_data(rq, T(rq, "Choose your password"));
    jset_str(d, "account", u->email);
    jset_str(d, "token", req_param(rq, "token"));
    staff_page(rq, rs, "staff/setup", d);
}

void staff_setup_page(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    staff_user u;
    int r = db ? setup_account(rq, db, &u) : -1;
    if (r < 0)
        return staff_server_error(rq, rs);
    if (r == 0 || u.disabled)
        return resp_error(rq, rs, 404, T(rq, "This setup link is not valid: it was used, replaced, or is more than a day old. "
                                       "Ask an admin for a new one."));
    setup_form(rq, rs, &u, NULL);
}

void staff_setup_submit(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    staff_user u;
    int r = db ? setup_account(rq, db, &u) : -1;
    if (r < 0)
        return staff_server_error(rq, rs);
    if (r == 0 || u.disabled)
        return resp_error(rq, rs, 404, T(rq, "This setup link is not valid any more. Ask an admin for a new one."));
    const char *pw = req_str(rq, "password"), *again = req_str(rq, "confirm");
    char why[200] = "";
    if (!pw || !password_policy_check(pw, strlen(pw), why, sizeof(why)) || !again || strcmp(pw, again)) {
        json_t *d = staff_data(rq, T(rq, "Choose your password"));
        if (why[0] || !pw)
            staff_field_error(d, "password", why[0] ? i18n_tr(rq->lang, why) : T(rq, "Choose a password of at least 12 characters."));
        else
            staff_field_error(d, "confirm", T(rq, "The two passwords are not the same."));
        rs->status = 422;
        return setup_form(rq, rs, &u, d);
    }
    char hash[crypto_pwhash_STRBYTES];
    if (!password_hash(pw, strlen(pw), hash) || !db_begin(db))
        return staff_server_error(rq, rs);
    bool ok = user_store_set_password(db, u.id, hash) && user_store_setup_clear(db, u.id) &&
              session_store_delete_user(db, u.id, NULL) && staff_log_as(db, u.email, "", "password.set", u.email);
    if (!staff_finish(rq, rs, db, ok))
        return;
    resp_redirect(rs, 303, "/staff/login?done=password");
}
