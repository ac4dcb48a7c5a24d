/* session: staff sign-in sessions and their cookie. See session.h. */
#include "auth/session.h"
#include "core/util.h"
#include "http/params.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void auth_new_token(char out[TOKEN_CHARS])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, TOKEN_CHARS, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void auth_hash(const char *s, char out[HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

const char *session_short(arena *a, const char *hash)
{
    const char *h = hash ? hash : "";
    return arena_strndup(a, h, strnlen(h, 12));
}

/* The token the request's cookie carries, or NULL. */
static const char *cookie_token(request *rq)
{
    const char *h = req_header(rq, "Cookie");
    if (!h)
        return NULL;
    params jar = {0};
    const char *why = NULL;
    if (params_parse_cookie(&rq->a, h, strlen(h), &jar, &why) != PARAMS_OK)
        return NULL;
    const char *t = params_get(&jar, SESSION_COOKIE);
    return t && strlen(t) == TOKEN_CHARS - 1 ? t : NULL;
}

static void set_cookie(request *rq, response *rs, const char *token, long max_age)
{
    char *v = arena_alloc(&rq->a, 160);
    snprintf(v, 160, "%s=%s; Max-Age=%ld; Path=/; Secure; HttpOnly; SameSite=Strict", SESSION_COOKIE, token,
             max_age);
    resp_header(rs, "Set-Cookie", v);
}

bool session_begin(sqlite3 *db, request *rq, response *rs, long user_id, const char *stage, const char **csrf_out)
{
    const char *old = cookie_token(rq);
    char h[HASH_HEX], token[TOKEN_CHARS], csrf[TOKEN_CHARS];
    if (old) {
        auth_hash(old, h);
        if (!session_store_delete(db, h))
            return false;
    }
    auth_new_token(token);
    auth_new_token(csrf);
    auth_hash(token, h);
    const char *agent = req_header(rq, "User-Agent");
    agent = agent ? agent : "";
    int64_t now = (int64_t)time(NULL);
    session_row s = {h, user_id, stage, csrf, now, now, arena_strndup(&rq->a, agent, strnlen(agent, 120))};
    if (!session_store_add(db, &s))
        return false;
    set_cookie(rq, rs, token, rq->cfg->session_hours * 3600);
    if (csrf_out)
        *csrf_out = arena_strdup(&rq->a, csrf);
    return true;
}

int session_current(sqlite3 *db, request *rq, session_row *out)
{
    const char *token = cookie_token(rq);
    if (!token)
        return 0;
    char h[HASH_HEX];
    auth_hash(token, h);
    int r = session_store_get(db, &rq->a, h, out);
    if (r != 1)
        return r;
    int64_t now = (int64_t)time(NULL);
    bool idle = now - out->seen_at > rq->cfg->session_idle_minutes * 60;
    bool old = now - out->created_at > rq->cfg->session_hours * 3600;
    if (idle || old)
        return session_store_delete(db, h) ? 0 : -1;
    if (now - out->seen_at >= 30 && !session_store_touch(db, h, now))
        return -1;
    return 1;
}

bool session_end(sqlite3 *db, request *rq, response *rs)
{
    const char *token = cookie_token(rq);
    bool ok = true;
    if (token) {
        char h[HASH_HEX];
        auth_hash(token, h);
        ok = session_store_delete(db, h);
    }
    set_cookie(rq, rs, "", 0);
    return ok;
}
