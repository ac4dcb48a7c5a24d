/* staff_cmd: staff accounts and API tokens from the command line. See
 * staff_cmd.h. A password given with --password-stdin is read from
 * standard input (one line, at most 1,024 bytes); otherwise the command
 * prints a one-time setup link. */
#include "staff/staff_cmd.h"
#include "auth/accounts.h"
#include "auth/audit.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/session_store.h"
#include "auth/user_store.h"
#include "core/arena.h"
#include "db/db.h"
#include "staff/staff.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const account_actor cli = {"cli", ""};

static sqlite3 *open_db(const config *cfg)
{
    char err[512];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        fprintf(stderr, "waypost: %s\n", err);
    return db;
}

/* Reads one line of at most 1,024 bytes from stdin into pw. */
static bool read_password(char *pw, size_t n)
{
    if (!fgets(pw, (int)n, stdin))
        return false;
    size_t len = strlen(pw);
    if (len && pw[len - 1] == '\n')
        pw[--len] = '\0';
    if (len && pw[len - 1] == '\r')
        pw[--len] = '\0';
    int c = len == n - 1 ? getchar() : EOF;
    return c == EOF || c == '\n';
}

static void print_link(const config *cfg, const char *token)
{
    if (cfg->public_url[0])
        printf("%s/staff/setup/%s\n", cfg->public_url, token);
    else
        printf("http://%s/staff/setup/%s\n", cfg->listen, token);
}

static int result(int r, const char *email)
{
    char msg[400];
    if (r == ACC_OK)
        return 0;
    snprintf(msg, sizeof(msg), r == ACC_UNKNOWN  ? "there is no staff account %s"
                               : r == ACC_EXISTS ? "there is already a staff account %s"
                                                 : "the database could not be written (account %s)",
             email);
    return cli_fail_unchanged(msg);
}

int staff_cmd_user_add(const config *cfg, const cli_args *a)
{
    const char *email = a->pos[0], *name = cli_opt(a, "name");
    int role = role_parse(cli_opt(a, "role"));
    if (!role)
        return cli_fail_unchanged("--role must be admin, editor or moderator");
    char pw[1026], why[256], setup[TOKEN_CHARS], err[512];
    bool given = cli_opt(a, "password-stdin") != NULL;
    if (given && !read_password(pw, sizeof(pw)))
        return cli_fail_unchanged("the password on standard input is longer than 1,024 bytes");
    if (given && !staff_load(cfg, err, sizeof(err)))
        return cli_fail_unchanged(err);
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    int r = account_add(db, &cli, email, name, role, given ? pw : NULL, setup, why, sizeof(why));
    sodium_memzero(pw, sizeof(pw));
    db_close(db);
    if (r == ACC_BAD)
        return cli_fail_unchanged(why);
    if (r != ACC_OK)
        return result(r, email);
    printf("added %s (%s)\n", email, role_name(role));
    if (!given) {
        printf("They choose a password at this link, valid for 24 hours:\n");
        print_link(cfg, setup);
    }
    return 0;
}

static const char *when(char *out, size_t n, int64_t t)
{
    if (!t)
        return "never";
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm);
    return out;
}

int staff_cmd_user_list(const config *cfg, const cli_args *a)
{
    (void)a;
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    arena ar;
    arena_init(&ar);
    staff_user *u = NULL;
    int n = user_store_list(db, &ar, &u);
    printf("%-32s %-10s %-9s %-10s %s\n", "EMAIL", "ROLE", "STATE", "2FA", "LAST SIGN-IN");
    for (int i = 0; i < n; i++) {
        char t[40];
        const char *state = u[i].disabled ? "disabled" : u[i].password_hash ? "active" : "invited";
        printf("%-32s %-10s %-9s %-10s %s\n", u[i].email, role_name(u[i].role), state,
               u[i].totp_len ? "on" : "off", when(t, sizeof(t), u[i].last_login_at));
    }
    printf("%d account%s\n", n < 0 ? 0 : n, n == 1 ? "" : "s");
    arena_free(&ar);
    db_close(db);
    return n < 0 ? cli_fail("the accounts could not be read") : 0;
}

static int simple(const config *cfg, const cli_args *a, int (*fn)(sqlite3 *, const cli_args *), const char *done)
{
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    int r = fn(db, a);
    db_close(db);
    if (r == ACC_OK && done)
        printf("%s %s\n", done, a->pos[0]);
    return r == ACC_BAD ? cli_fail_unchanged("the role must be admin, editor or moderator") : result(r, a->pos[0]);
}

static int do_disable(sqlite3 *db, const cli_args *a)
{
    return account_set_disabled(db, &cli, a->pos[0], true);
}

static int do_enable(sqlite3 *db, const cli_args *a)
{
    return account_set_disabled(db, &cli, a->pos[0], false);
}

static int do_role(sqlite3 *db, const cli_args *a)
{
    return account_set_role(db, &cli, a->pos[0], role_parse(a->pos[1]));
}

static int do_totp_off(sqlite3 *db, const cli_args *a)
{
    return account_clear_totp(db, &cli, a->pos[0]);
}

int staff_cmd_user_disable(const config *cfg, const cli_args *a)
{
    return simple(cfg, a, do_disable, "disabled (and signed out)");
}

int staff_cmd_user_enable(const config *cfg, const cli_args *a)
{
    return simple(cfg, a, do_enable, "enabled");
}

int staff_cmd_user_role(const config *cfg, const cli_args *a)
{
    return simple(cfg, a, do_role, "role changed (and signed out):");
}

int staff_cmd_user_totp_off(const config *cfg, const cli_args *a)
{
    return simple(cfg, a, do_totp_off, "two-factor sign-in turned off for");
}

int staff_cmd_user_reset(const config *cfg, const cli_args *a)
{
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    char setup[TOKEN_CHARS];
    int r = account_reset(db, &cli, a->pos[0], setup);
    db_close(db);
    if (r != ACC_OK)
        return result(r, a->pos[0]);
    printf("reset %s: every session ended and the old password no longer works.\n", a->pos[0]);
    printf("They choose a new password at this link, valid for 24 hours:\n");
    print_link(cfg, setup);
    return 0;
}

int staff_cmd_token_add(const config *cfg, const cli_args *a)
{
    int role = role_parse(cli_opt(a, "role"));
    if (!role)
        return cli_fail_unchanged("--role must be admin, editor or moderator");
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    char token[TOKEN_CHARS];
    int r = account_token_add(db, &cli, a->pos[0], role, token);
    db_close(db);
    if (r == ACC_BAD)
        return cli_fail_unchanged("a token name is 1 to 64 letters, digits, dots, dashes or underscores");
    if (r == ACC_EXISTS)
        return cli_fail_unchanged("there is already a token with that name (revoke it first)");
    if (r != ACC_OK)
        return cli_fail_unchanged("the database could not be written");
    fprintf(stderr, "token %s (%s) made; it is shown only now. Send it as: Authorization: Bearer TOKEN\n",
            a->pos[0], role_name(role));
    printf("%s\n", token);
    sodium_memzero(token, sizeof(token));
    return 0;
}

int staff_cmd_token_list(const config *cfg, const cli_args *a)
{
    (void)a;
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    arena ar;
    arena_init(&ar);
    token_row *t = NULL;
    int n = token_store_list(db, &ar, &t);
    printf("%-24s %-10s %-8s %s\n", "NAME", "ROLE", "STATE", "LAST USED");
    for (int i = 0; i < n; i++) {
        char w[40];
        printf("%-24s %-10s %-8s %s\n", t[i].name, role_name(t[i].role), t[i].revoked ? "revoked" : "live",
               when(w, sizeof(w), t[i].last_used_at));
    }
    arena_free(&ar);
    db_close(db);
    return n < 0 ? cli_fail("the tokens could not be read") : 0;
}

int staff_cmd_token_revoke(const config *cfg, const cli_args *a)
{
    sqlite3 *db = open_db(cfg);
    if (!db)
        return 1;
    int r = account_token_revoke(db, &cli, a->pos[0]);
    db_close(db);
    if (r == ACC_UNKNOWN)
        return cli_fail_unchanged("there is no live token with that name");
    if (r != ACC_OK)
        return cli_fail_unchanged("the database could not be written");
    printf("revoked token %s\n", a->pos[0]);
    return 0;
}
