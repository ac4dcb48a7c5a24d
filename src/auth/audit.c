/* audit: the chained staff audit log. See audit.h; the SQL is in
 * audit_store.c.
 *
 * The chain. Each row's hash is the hex SHA-256 (libsodium) of a canonical
 * encoding of the previous row's hash and the row's own fields:
 *
 *     "waypost-audit-v1", prev_hash, at, actor, session, action, target,
 *     before, after
 *
 * each written as one byte 0 (SQL NULL) or as one byte 1, its length in
 * 8 bytes big-endian and its bytes, so no text can move from one field to
 * the next without changing the hash ("ab","" and "a","b" differ), and
 * NULL differs from "". The first row's prev_hash is AUDIT_GENESIS. The id
 * is not hashed: the chain itself fixes the order, so a reordered, removed
 * or changed row breaks the link at that row or the next.
 *
 * What a chain cannot show: rows removed from the end, or the whole chain
 * rewritten by someone who can write the file. Compare the row count and
 * the last hash with a copy kept elsewhere for that.
 *
 * Secrets. before and after are objects of changed fields; a key that
 * names a secret (password, token, secret, TOTP, CSRF, a recovery or
 * sign-in code ...) refuses the whole row, so a caller's bug cannot write
 * a secret into a log that can never be cleaned. */
#include "auth/audit.h"
#include "auth/audit_store.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_MAX_TEXT 4096          /* actor, session, action, target */
#define AUDIT_MAX_JSON (256 * 1024)  /* before, after as JSON text */
#define AUDIT_MAX_DEPTH 16           /* nesting of before/after checked */

/* Key parts that always mean a secret (looked for in the key lowercased,
 * with everything but letters and digits removed). */
static const char *const secret_parts[] = {"password", "passwd", "passphrase", "secret", "token", "totp",
                                           "csrf",     "apikey", "privatekey", "cookie"};
/* With "code" in the key, these say it is a sign-in or recovery code
 * (postal_code and Waypost "codes" stay allowed; "code" alone is refused). */
static const char *const code_kinds[] = {"recovery", "backup", "setup", "auth",   "login",  "signin",
                                         "verif",    "reset",  "otp",   "mfa",    "2fa",    "onetime",
                                         "access",   "confirm", "invite", "security"};

/* "otp" as a word of the key (newOtp, otp_value), not inside a word. */
static bool has_otp_word(const char *key)
{
    for (const char *p = key; *p; p++) {
        if (tolower_ascii(p[0]) != 'o' || tolower_ascii(p[1]) != 't' || tolower_ascii(p[2]) != 'p')
            continue;
        bool starts = p == key || !isalnum_ascii(p[-1]) || (p[0] == 'O' && p[-1] >= 'a' && p[-1] <= 'z');
        bool ends = !isalnum_ascii(p[3]) || (p[3] >= 'A' && p[3] <= 'Z');
        if (starts && ends)
            return true;
    }
    return false;
}

/* True when the key looks like it names a secret. */
static bool secret_key(const char *key)
{
    size_t n = strlen(key), k = 0;
    char *flat = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        if (isalnum_ascii((unsigned char)key[i]))
            flat[k++] = (char)tolower_ascii((unsigned char)key[i]);
    flat[k] = 0;
    bool secret = !strcmp(flat, "code");
    for (size_t i = 0; !secret && i < sizeof(secret_parts) / sizeof(secret_parts[0]); i++)
        secret = strstr(flat, secret_parts[i]) != NULL;
    for (size_t i = 0; !secret && strstr(flat, "code") && i < sizeof(code_kinds) / sizeof(code_kinds[0]); i++)
        secret = strstr(flat, code_kinds[i]) != NULL;
    free(flat);
    return secret || has_otp_word(key);
}

/* The first key at any depth of v that names a secret, or NULL. Too deep
 * a value counts as one (it cannot be checked). */
static const char *find_secret(json_t *v, int depth)
{
    if (depth > AUDIT_MAX_DEPTH)
        return "(nested too deep to check)";
    const char *key, *bad;
    json_t *item;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item) {
            if (secret_key(key))
                return key;
            if ((bad = find_secret(item, depth + 1)))
                return bad;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            if ((bad = find_secret(item, depth + 1)))
                return bad;
        }
    }
    return NULL;
}

/* The compact JSON of an object of fields (keys sorted) into *out (NULL
 * for no object). False, with the reason logged, when v is not an object,
 * holds a secret's key or is too large. */
static bool encode_fields(const audit_entry *e, json_t *v, const char *which, char **out)
{
    *out = NULL;
    if (!v)
        return true;
    const char *bad;
    if (!json_is_object(v)) {
        log_error("audit: refused a \"%s\" row: %s is not an object of fields", e->action, which);
        return false;
    }
    if ((bad = find_secret(v, 0))) {
        log_error("audit: refused a \"%s\" row: %s field \"%s\" looks like a secret", e->action, which, bad);
        return false;
    }
    *out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    if (!*out || strlen(*out) > AUDIT_MAX_JSON) {
        log_error("audit: refused a \"%s\" row: %s is too large or cannot be written", e->action, which);
        free(*out);
        *out = NULL;
        return false;
    }
    return true;
}

static void hash_field(crypto_hash_sha256_state *st, const char *s)
{
    unsigned char head[9] = {0};
    if (!s) {
        crypto_hash_sha256_update(st, head, 1);
        return;
    }
    uint64_t n = strlen(s);
    head[0] = 1;
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(n >> (56 - 8 * i));
    crypto_hash_sha256_update(st, head, sizeof(head));
    crypto_hash_sha256_update(st, (const unsigned char *)s, (unsigned long long)n);
}

/* The row's hash (over r->prev_hash and its fields) as 64 hex digits. */
static void hash_row(const audit_row *r, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    const char *fields[] = {"waypost-audit-v1", r->prev_hash, r->at, r->actor, r->session,
                            r->action,          r->target,    r->before, r->after};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        hash_field(&st, fields[i]);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static bool text_ok(const char *s)
{
    return strlen(s) <= AUDIT_MAX_TEXT;
}

/* Reads the last hash and inserts the row chained to it, in the scope
 * audit_write opened, so no other writer comes between the two. */
static bool append(sqlite3 *db, audit_row *r)
{
    char prev[65], hash[65];
    if (!audit_store_last_hash(db, prev))
        return false;
    r->prev_hash = prev[0] ? prev : AUDIT_GENESIS;
    hash_row(r, hash);
    r->hash = hash;
    return audit_store_insert(db, r);
}

bool audit_write(sqlite3 *db, const audit_entry *e)
{
    if (!db || !e || !e->action || !e->action[0])
        return false;
    audit_row r = {.actor = e->actor ? e->actor : "", .session = e->session ? e->session : "",
                   .action = e->action, .target = e->target ? e->target : ""};
    if (!text_ok(r.actor) || !text_ok(r.session) || !text_ok(r.action) || !text_ok(r.target)) {
        log_error("audit: refused a row: a field is over %d bytes", AUDIT_MAX_TEXT);
        return false;
    }
    char *before = NULL, *after = NULL;
    bool ok = encode_fields(e, e->before, "before", &before) && encode_fields(e, e->after, "after", &after);
    if (ok) {
        char at[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
        r.at = at;
        r.before = before;
        r.after = after;
        bool own = sqlite3_get_autocommit(db) != 0;
        ok = audit_store_open(db, own);
        if (ok)
            ok = audit_store_close(db, own, append(db, &r));
    }
    free(before);
    free(after);
    return ok;
}

struct walk {
    audit_check *c;
    char prev[65];
    long prev_id;
};

static bool check_row(const audit_row *r, void *ctx)
{
    struct walk *w = ctx;
    audit_check *c = w->c;
    c->rows++;
    const char *expect = w->prev_id ? w->prev : AUDIT_GENESIS;
    char hash[65];
    if (strcmp(r->prev_hash, expect) != 0) {
        c->broken = r->id;
        c->bad_prev = true;
        c->prev_id = w->prev_id;
        return false;
    }
    hash_row(r, hash);
    if (strcmp(hash, r->hash) != 0) {
        c->broken = r->id;
        c->prev_id = w->prev_id;
        return false;
    }
    memcpy(w->prev, hash, sizeof(hash));
    w->prev_id = r->id;
    if (c->progress && c->every > 0 && c->rows % c->every == 0)
        c->progress(c->rows, c->ctx);
    return true;
}

long audit_verify_check(sqlite3 *db, audit_check *c)
{
    c->rows = c->broken = c->prev_id = 0;
    c->bad_prev = false;
    struct walk w = {.c = c};
    /* one snapshot for the whole walk, so rows written meanwhile by the
     * server cannot appear half-way */
    bool own = sqlite3_get_autocommit(db) != 0;
    if (own && !db_read_begin(db))
        return c->broken = -1;
    if (!audit_store_walk(db, check_row, &w))
        c->broken = -1;
    if (own)
        db_read_end(db);
    if (c->progress && c->broken == 0)
        c->progress(c->rows, c->ctx);
    return c->broken;
}

long audit_verify(sqlite3 *db, long *rows)
{
    audit_check c = {0};
    long r = audit_verify_check(db, &c);
    if (rows)
        *rows = c.rows;
    return r;
}
