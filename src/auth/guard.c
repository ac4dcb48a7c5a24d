/* guard: who may use a staff route. See guard.h. The order of checks:
 * another site's POST (403), then who is asking (a bearer token under
 * /api/, else the session cookie), then the role, then the CSRF token on
 * POST, then the site's "two-factor for everyone" setting. */
#include "auth/guard.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/user_store.h"
#include "core/util.h"
#include "db/db.h"
#include "http/api.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const staff_who *staff_who_of(const request *rq)
{
    return rq->who;
}

/* True when the browser says another site sent this request: by
 * Sec-Fetch-Site, else by an Origin that is not this host. A request
 * without either (curl, the API, an old browser) is not cross-site by
 * this test; the CSRF token and SameSite=Strict cover it. */
static bool cross_site(const request *rq)
{
    const char *site = req_header(rq, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return true;
    /* "null": the page asked for no referrer (ours all do), so the browser
     * hides the origin; Sec-Fetch-Site above has decided for the browsers
     * that send it. */
    const char *origin = req_header(rq, "Origin");
    const char *host = req_header(rq, "Host");
    if (!origin || !strcmp(origin, "null"))
        return false;
    const char *p = strstr(origin, "://");
    return !host || !p || strcmp(p + 3, host) != 0;
}

static bool refuse(request *rq, response *rs, int status, const char *why)
{
    if (rq->route->flags & RF_API)
        api_error(rs, status, why, NULL);
    else
        resp_error(rq, rs, status, why);
    return false;
}

/* Under /api/: Authorization: Bearer TOKEN. */
static bool bearer(request *rq, response *rs, sqlite3 *db)
{
    const char *h = req_header(rq, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != TOKEN_CHARS - 1) {
        resp_header(rs, "WWW-Authenticate", "Bearer realm=\"waypost\"");
        return refuse(rq, rs, 401, T(rq, "This needs a staff API token: Authorization: Bearer TOKEN."));
    }
    char hash[HASH_HEX];
    auth_hash(h + 7, hash);
    token_row t;
    int r = token_store_get(db, &rq->a, hash, &t);
    if (r < 0)
        return refuse(rq, rs, 500, T(rq, "The database could not be read."));
    if (r == 0) {
        resp_header(rs, "WWW-Authenticate", "Bearer realm=\"waypost\", error=\"invalid_token\"");
        return refuse(rq, rs, 401, T(rq, "This API token is not valid (unknown or revoked)."));
    }
    token_store_touch(db, t.id, (int64_t)time(NULL));
    staff_who *w = arena_alloc(&rq->a, sizeof(*w));
    char name[200];
    snprintf(name, sizeof(name), "token:%s", t.name);
    *w = (staff_who){0, arena_strdup(&rq->a, name), "", t.role, session_short(&rq->a, hash), "", true, false};
    rq->who = w;
    return true;
}

/* A signed-in browser: the session and its account, or NULL (*failed set
 * on a database error). */
static staff_who *from_session(request *rq, sqlite3 *db, bool *failed)
{
    session_row s;
    staff_user u = {0};
    int r = session_current(db, rq, &s);
    if (r == 1 && strcmp(s.stage, "full") == 0)
        r = user_store_by_id(db, &rq->a, s.user_id, &u);
    else if (r == 1)
        r = 0;
    *failed = r < 0;
    if (r != 1 || u.disabled || u.role == ROLE_NONE)
        return NULL;
    staff_who *w = arena_alloc(&rq->a, sizeof(*w));
    *w = (staff_who){u.id, u.email, u.name, u.role, session_short(&rq->a, s.hash), s.csrf, false, u.totp_len > 0};
    return w;
}

static bool csrf_ok(const request *rq, const staff_who *w)
{
    const char *t = params_get(&rq->form, "csrf");
    size_t n = strlen(w->csrf);
    return t && n && strlen(t) == n && sodium_memcmp(t, w->csrf, n) == 0;
}

/* With the site setting two_factor = required, an account without it may
 * open only its account page (to set it up) and sign out. */
static bool needs_two_factor(request *rq, sqlite3 *db, const staff_who *w)
{
    if (w->totp || str_has_prefix(rq->path, "/staff/account") || !strcmp(rq->path, "/staff/logout"))
        return false;
    const char *v = user_store_setting(db, &rq->a, "two_factor");
    return v && !strcmp(v, "required");
}

bool auth_guard(request *rq, response *rs)
{
    int need = rq->route->guard;
    bool changes = rq->method & (M_POST | M_PUT | M_DELETE);
    if (changes && cross_site(rq))
        return refuse(rq, rs, 403, T(rq, "This form was sent from another site, so it was refused."));
    sqlite3 *db = db_thread();
    if (!db)
        return refuse(rq, rs, 500, T(rq, "The database could not be opened."));
    if (str_has_prefix(rq->path, "/api/"))
        return bearer(rq, rs, db) && (((const staff_who *)rq->who)->role >= need ||
                                      refuse(rq, rs, 403, T(rq, "This API token's role may not do this.")));
    bool failed = false;
    staff_who *w = from_session(rq, db, &failed);
    if (failed)
        return refuse(rq, rs, 500, T(rq, "The database could not be read."));
    if (!w && need == GUARD_OPEN)
        return true;
    if (!w && changes)
        return refuse(rq, rs, 403, T(rq, "You are not signed in (or your session ended). Sign in and try again."));
    if (!w) {
        resp_redirect(rs, 303, "/staff/login");
        return false;
    }
    rq->who = w;
    if (w->role < need)
        return refuse(rq, rs, 403, T(rq, "Your role does not allow this page."));
    if (changes && !csrf_ok(rq, w))
        return refuse(rq, rs, 403, T(rq, "This form is out of date or was not sent by this site. Go back, reload and try again."));
    if (needs_two_factor(rq, db, w)) {
        resp_redirect(rs, 303, "/staff/account?two_factor=required");
        return false;
    }
    return true;
}
