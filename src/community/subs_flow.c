/* subs_flow: a subscription's steps: the request (a pending row and its
 * confirmation message, one transaction), confirming it by link, code or
 * SMS reply, and STOP. See subs.h. */
#include "community/subs.h"
#include "community/subs_int.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "notify/notify.h"
#include "notify/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

json_t *subs_secret_open(const void *box, size_t n)
{
    char *plain = secret_open(box, n);
    if (!plain)
        return NULL;
    json_t *o = json_loads(plain, 0, NULL);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    if (o && (!json_is_string(json_object_get(o, "address")) || !json_is_array(json_object_get(o, "areas")))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

unsigned char *subs_secret_seal(const char *address, const json_t *areas, size_t *len)
{
    json_t *o = json_pack("{s:s,s:O}", "address", address, "areas", (json_t *)areas);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text)
        return NULL;
    unsigned char *box = secret_seal(text, strlen(text), len);
    sodium_memzero(text, strlen(text));
    free(text);
    return box;
}

enum subs_result subs_request(sqlite3 *db, const char *channel, const char *address, const json_t *areas,
                              const char *lang, char *token, size_t tn, int *retry)
{
    bool sms = !strcmp(channel, "sms");
    unsigned char ah[SUBS_HASH_BYTES], th[SUBS_HASH_BYTES], ch[SUBS_HASH_BYTES], raw[SUBS_TOKEN_LEN / 2];
    if (tn < SUBS_TOKEN_LEN + 1 || !subs_addr_hash(channel, address, ah))
        return SUBS_FAIL;
    if (!subs_allow_address(ah, retry))
        return SUBS_LIMITED;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(token, tn, raw, sizeof(raw));
    char code[8] = "";
    if (sms)
        snprintf(code, sizeof(code), "%06u", (unsigned)randombytes_uniform(1000000));
    size_t slen = 0;
    unsigned char *box = subs_secret_seal(address, areas, &slen);
    if (!box || !subs_token_hash("token", token, th) || (sms && !subs_token_hash("code", code, ch))) {
        free(box);
        return SUBS_FAIL;
    }
    int64_t now = (int64_t)time(NULL);
    bool ok = db_begin(db);
    ok = ok && subs_store_pending_expire(db, now) &&
         subs_store_pending_add(db, th, ah, channel, box, slen, sms ? ch : NULL, now + SUBS_PENDING_SECONDS, lang) &&
         subs_queue_confirmation(db, channel, address, areas, lang, token, sms ? code : NULL);
    ok = ok && db_commit(db);
    if (!ok)
        db_rollback(db);
    free(box);
    sodium_memzero(code, sizeof(code));
    if (ok)
        notify_kick();
    return ok ? SUBS_OK : SUBS_FAIL;
}

/* Makes pending row p a subscriber (inside the open transaction). */
static bool make_subscriber(sqlite3 *db, const sub_pending *p, long *id)
{
    return subs_store_upsert(db, p->addr_hash, p->channel, p->secret, p->secret_len, (int64_t)time(NULL), p->lang, id) &&
           subs_store_pending_delete_addr(db, p->addr_hash);
}

/* Is code (six digits typed) the code of p? */
static bool code_ok(const sub_pending *p, const char *code)
{
    char c[16];
    size_t k = 0;
    for (const char *s = code ? code : ""; *s && k + 1 < sizeof(c); s++)
        if (*s >= '0' && *s <= '9')
            c[k++] = *s;
    c[k] = '\0';
    unsigned char h[SUBS_HASH_BYTES];
    return p->has_code && k == 6 && subs_token_hash("code", c, h) && sodium_memcmp(h, p->code_hash, sizeof(h)) == 0;
}

/* Checks code against p inside the open transaction; counts a wrong one.
 * 1 right, 2 wrong, 3 too many wrong, -1 error. */
static int check_code(sqlite3 *db, const sub_pending *p, const char *code)
{
    if (p->tries >= SUBS_CODE_TRIES)
        return 3;
    if (code_ok(p, code))
        return 1;
    if (!subs_store_pending_tried(db, p->id))
        return -1;
    return p->tries + 1 >= SUBS_CODE_TRIES ? 3 : 2;
}

int subs_confirm(sqlite3 *db, const char *token, const char *code, long *id)
{
    unsigned char th[SUBS_HASH_BYTES];
    if (!token || strlen(token) != SUBS_TOKEN_LEN || !subs_token_hash("token", token, th))
        return 0;
    if (!db_begin(db))
        return -1;
    sub_pending p;
    int r = subs_store_pending_by_token(db, th, (int64_t)time(NULL), &p);
    if (r == 1 && !strcmp(p.channel, "sms"))
        r = check_code(db, &p, code);
    else if (r == 1 && code)
        r = 0; /* an email request has no code */
    if (r == 1 && !make_subscriber(db, &p, id))
        r = -1;
    if (r >= 1 && !db_commit(db))
        r = -1;
    if (r <= 0)
        db_rollback(db);
    subs_pending_free(&p);
    return r == 3 || r == 2 || r == 1 ? r : r < 0 ? -1 : 0;
}

static bool is_yes(const char *body)
{
    static const char *const words[] = {"YES", "Y", "START", "JOIN", "SI", "S\xc3\x8d", "S\xc3\xad"};
    char s[16];
    size_t l = strspn(body, " \t");
    if (!str_copy(s, sizeof(s), body + l))
        return false;
    s[strcspn(s, " \t\r\n.!")] = '\0';
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (str_eq_nocase(s, words[i]))
            return true;
    return false;
}

int subs_confirm_phone(sqlite3 *db, const char *phone, const char *body, char *lang)
{
    lang[0] = '\0';
    unsigned char ah[SUBS_HASH_BYTES];
    if (!subs_addr_hash("sms", phone, ah))
        return -1;
    if (!db_begin(db))
        return -1;
    sub_pending p;
    int r = subs_store_pending_by_addr(db, ah, (int64_t)time(NULL), &p);
    if (r == 1)
        str_copy(lang, 8, p.lang);
    if (r == 1 && !is_yes(body ? body : ""))
        r = check_code(db, &p, body);
    long id = 0;
    if (r == 1 && !make_subscriber(db, &p, &id))
        r = -1;
    if (r >= 1 && !db_commit(db))
        r = -1;
    if (r <= 0)
        db_rollback(db);
    subs_pending_free(&p);
    return r == 3 ? 2 : r;
}

bool subs_stop_phone(sqlite3 *db, const char *phone)
{
    unsigned char ah[SUBS_HASH_BYTES];
    bool deleted = false;
    if (!subs_addr_hash("sms", phone, ah) || !db_begin(db))
        return false;
    bool ok = subs_store_delete_addr(db, ah, &deleted) && subs_store_pending_delete_addr(db, ah) && db_commit(db);
    if (!ok)
        db_rollback(db);
    return ok;
}
