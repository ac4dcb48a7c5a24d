/* accounts: account changes shared by the CLI and /staff/users. See
 * accounts.h. */
#include "auth/accounts.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/user_store.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool account_email_ok(const char *e)
{
    size_t n = e ? strlen(e) : 0;
    const char *at = e ? strchr(e, '@') : NULL;
    if (!n || n > 254 || !at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"')
            return false;
    return at[1] != '.' && e[n - 1] != '.';
}

static bool log_row(sqlite3 *db, const account_actor *by, const char *action, const char *email, json_t *before,
                    json_t *after)
{
    audit_entry e = {by->who, by->session, action, email, before, after};
    bool ok = audit_write(db, &e);
    json_decref(before);
    json_decref(after);
    return ok;
}

static int finish(sqlite3 *db, bool ok)
{
    if (ok && db_commit(db))
        return ACC_OK;
    db_rollback(db);
    return ACC_DB;
}

static bool new_setup(sqlite3 *db, long id, char *setup)
{
    char h[HASH_HEX];
    auth_new_token(setup);
    auth_hash(setup, h);
    return user_store_setup_clear(db, id) && user_store_setup_add(db, h, id, (int64_t)time(NULL) + SETUP_SECONDS);
}

int account_add(sqlite3 *db, const account_actor *by, const char *email, const char *name, int role,
                const char *password, char *setup, char *why, size_t whylen)
{
    char hash[crypto_pwhash_STRBYTES];
    why[0] = '\0';
    if (!account_email_ok(email) || !role_name(role) || (name && strlen(name) > 200)) {
        snprintf(why, whylen, "%s",
                 !account_email_ok(email) ? N_("That is not an email address.") : N_("Unknown role, or the name is too long."));
        return ACC_BAD;
    }
    if (password && !password_policy_check(password, strlen(password), why, whylen))
        return ACC_BAD;
    if (password && !password_hash(password, strlen(password), hash))
        return ACC_DB;
    if (!db_begin(db))
        return ACC_DB;
    long id = user_store_add(db, email, name, role, password ? hash : NULL, (int64_t)time(NULL));
    if (id == 0) {
        db_rollback(db);
        return ACC_EXISTS;
    }
    bool ok = id > 0 && (password || new_setup(db, id, setup));
    ok = ok && log_row(db, by, "user.add", email, NULL,
                       json_pack("{s:s,s:s}", "role", role_name(role), "name", name ? name : ""));
    return finish(db, ok);
}

/* Opens a transaction and finds the account: ACC_OK (transaction open),
 * or the answer (transaction closed). */
static int begin_with(sqlite3 *db, arena *a, const char *email, staff_user *u)
{
    if (!db_begin(db))
        return ACC_DB;
    int r = user_store_by_email(db, a, email, u);
    if (r == 1)
        return ACC_OK;
    db_rollback(db);
    return r == 0 ? ACC_UNKNOWN : ACC_DB;
}

int account_set_role(sqlite3 *db, const account_actor *by, const char *email, int role)
{
    arena a;
    arena_init(&a);
    staff_user u;
    int r = role_name(role) ? begin_with(db, &a, email, &u) : ACC_BAD;
    if (r == ACC_OK) {
        bool ok = user_store_set_role(db, u.id, role) && session_store_delete_user(db, u.id, NULL) &&
                  log_row(db, by, "user.role", email, json_pack("{s:s}", "role", role_name(u.role)),
                          json_pack("{s:s}", "role", role_name(role)));
        r = finish(db, ok);
    }
    arena_free(&a);
    return r;
}

int account_set_disabled(sqlite3 *db, const account_actor *by, const char *email, bool disabled)
{
    arena a;
    arena_init(&a);
    staff_user u;
    int r = begin_with(db, &a, email, &u);
    if (r == ACC_OK) {
        bool ok = user_store_set_disabled(db, u.id, disabled) && session_store_delete_user(db, u.id, NULL) &&
                  log_row(db, by, disabled ? "user.disable" : "user.enable", email,
                          json_pack("{s:b}", "disabled", u.disabled), json_pack("{s:b}", "disabled", disabled));
        r = finish(db, ok);
    }
    arena_free(&a);
    return r;
}

int account_reset(sqlite3 *db, const account_actor *by, const char *email, char *setup)
{
    arena a;
    arena_init(&a);
    staff_user u;
    int r = begin_with(db, &a, email, &u);
    if (r == ACC_OK) {
        bool ok = user_store_set_password(db, u.id, NULL) && session_store_delete_user(db, u.id, NULL) &&
                  new_setup(db, u.id, setup) && log_row(db, by, "user.reset", email, NULL, NULL);
        r = finish(db, ok);
    }
    arena_free(&a);
    return r;
}

int account_clear_totp(sqlite3 *db, const account_actor *by, const char *email)
{
    arena a;
    arena_init(&a);
    staff_user u;
    int r = begin_with(db, &a, email, &u);
    if (r == ACC_OK) {
        const char *none[1] = {NULL};
        bool ok = user_store_set_totp(db, u.id, NULL, 0) && user_store_recovery_replace(db, u.id, none, 0) &&
                  session_store_delete_user(db, u.id, NULL) &&
                  log_row(db, by, "user.two_factor_off", email, json_pack("{s:b}", "two_factor", u.totp_len > 0),
                          json_pack("{s:b}", "two_factor", false));
        r = finish(db, ok);
    }
    arena_free(&a);
    return r;
}

static bool token_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

int account_token_add(sqlite3 *db, const account_actor *by, const char *name, int role, char *token)
{
    if (!token_name_ok(name) || !role_name(role))
        return ACC_BAD;
    char h[HASH_HEX];
    auth_new_token(token);
    auth_hash(token, h);
    if (!db_begin(db))
        return ACC_DB;
    long id = token_store_add(db, name, role, h, (int64_t)time(NULL));
    if (id == 0) {
        db_rollback(db);
        return ACC_EXISTS;
    }
    bool ok = id > 0 && log_row(db, by, "token.add", name, NULL, json_pack("{s:s}", "role", role_name(role)));
    return finish(db, ok);
}

int account_token_revoke(sqlite3 *db, const account_actor *by, const char *name)
{
    if (!db_begin(db))
        return ACC_DB;
    int r = token_store_revoke(db, name);
    if (r == 0) {
        db_rollback(db);
        return ACC_UNKNOWN;
    }
    return finish(db, r == 1 && log_row(db, by, "token.revoke", name, NULL, NULL));
}
