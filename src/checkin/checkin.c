/* checkin: checking requests, tokens, the steps of a timer and what the
 * person and their contacts can do to it. See checkin.h. */
#include "checkin/checkin_int.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "notify/notify.h"
#include "notify/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool checkin_action_parse(const char *s, enum ck_action *a)
{
    static const char *const names[] = {"ok", "extend", "cancel", "ack"};
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, names[i])) {
            *a = (enum ck_action)i;
            return true;
        }
    return false;
}

bool checkin_valid_phone(const char *s)
{
    if (!s || s[0] != '+')
        return false;
    size_t n = 0;
    for (const char *p = s + 1; *p; p++, n++)
        if (*p < '0' || *p > '9')
            return false;
    return n >= 8 && n <= 15 && s[1] != '0';
}

bool checkin_valid_email(const char *s)
{
    if (!s)
        return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
        s[n - 1] == '.')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("\"'<>(),;:\\[]", *p))
            return false;
    return true;
}

bool checkin_responder_available(const config *cfg)
{
    return cfg->responder_sms[0] || cfg->responder_email[0] || cfg->responder_webhook[0];
}

static bool given(const char *s)
{
    return s && s[0];
}

static bool fail(ck_problem *p, const char *field, const char *message)
{
    p->field = field;
    p->message = message;
    return false;
}

bool checkin_validate(const config *cfg, const checkin_req *r, ck_problem *p)
{
    int lang = r->lang ? i18n_find(r->lang) : -1;
    if (r->lang && (lang < 0 || strcmp(i18n_code(lang), r->lang)))
        return fail(p, "lang", "The language must be one of the site's languages, such as en or es.");
    if (lang < 0)
        lang = I18N_SOURCE;
    if (r->seconds < cfg->min_seconds || r->seconds > CHECKIN_MAX_SECONDS)
        return fail(p, "seconds", i18n_tr(lang, "Choose a time from 1 to 120 minutes."));
    if (!given(r->where))
        return fail(p, "where", i18n_tr(lang, "Say where help should go: an address, a flat or room, a door code, what the place "
                                "looks like."));
    if (strlen(r->where) > CHECKIN_WHERE_MAX || !utf8_valid(r->where, strlen(r->where)))
        return fail(p, "where", i18n_tr(lang, "Where to go must be at most 500 characters."));
    if (given(r->name) && (strlen(r->name) > CHECKIN_NAME_MAX || !utf8_valid(r->name, strlen(r->name))))
        return fail(p, "name", i18n_tr(lang, "The name must be at most 60 characters."));
    const char *phones[] = {r->sms, r->own_sms}, *mails[] = {r->email, r->own_email};
    const char *pf[] = {"sms", "own_sms"}, *mf[] = {"email", "own_email"};
    for (int i = 0; i < 2; i++) {
        if (given(phones[i]) && !checkin_valid_phone(phones[i]))
            return fail(p, pf[i], i18n_tr(lang, "Give the phone number with + and the country code, like +15035550100."));
        if (given(phones[i]) && !cfg->sms_url[0])
            return fail(p, pf[i], i18n_tr(lang, "This site cannot send text messages. Use an email address instead."));
        if (given(mails[i]) && !checkin_valid_email(mails[i]))
            return fail(p, mf[i], i18n_tr(lang, "Give an email address like name@example.org."));
        if (given(mails[i]) && !cfg->smtp_url[0])
            return fail(p, mf[i], i18n_tr(lang, "This site cannot send email. Use a phone number instead."));
    }
    if (r->responder && !checkin_responder_available(cfg))
        return fail(p, "responder", i18n_tr(lang, "This site has no responder to alert."));
    if (!given(r->sms) && !given(r->email) && !r->responder)
        return fail(p, "sms", i18n_tr(lang, "Choose someone to alert: a phone number, an email address or both."));
    return true;
}

static const char *json_text(json_t *root, const char *key, arena *a, bool *bad)
{
    json_t *v = json_object_get(root, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v) || json_string_length(v) > 1000) {
        *bad = true;
        return NULL;
    }
    return arena_strndup(a, json_string_value(v), json_string_length(v));
}

bool checkin_parse_json(const char *text, size_t len, checkin_req *r, arena *a, ck_problem *p)
{
    static const char *const known[] = {"seconds", "where", "name", "sms", "email", "own_sms", "own_email",
                                        "responder", "lang"};
    memset(r, 0, sizeof(*r));
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return fail(p, "body", "The body must be a JSON object.");
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        bool ok = false;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            ok |= !strcmp(key, known[i]);
        if (!ok) {
            json_decref(root);
            return fail(p, "body", "The body has a key this API does not know.");
        }
    }
    json_t *sec = json_object_get(root, "seconds"), *resp = json_object_get(root, "responder");
    bool bad = !json_is_integer(sec) || (resp && !json_is_boolean(resp));
    r->seconds = bad ? 0 : (long)(json_integer_value(sec) > 1000000 ? 1000000 : json_integer_value(sec) < 0 ? -1
                                                                      : json_integer_value(sec));
    r->responder = json_is_true(resp);
    r->where = json_text(root, "where", a, &bad);
    r->name = json_text(root, "name", a, &bad);
    r->sms = json_text(root, "sms", a, &bad);
    r->email = json_text(root, "email", a, &bad);
    r->own_sms = json_text(root, "own_sms", a, &bad);
    r->own_email = json_text(root, "own_email", a, &bad);
    r->lang = json_text(root, "lang", a, &bad);
    json_decref(root);
    if (bad)
        return fail(p, "body", "seconds must be a whole number, responder true or false, the others text.");
    return true;
}

void ck_token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

bool ck_new_link(sqlite3 *db, int64_t id, const char *role, char token[CHECKIN_TOKEN_LEN + 1])
{
    unsigned char raw[16], h[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(token, CHECKIN_TOKEN_LEN + 1, raw, sizeof(raw));
    ck_token_hash(token, h);
    return ck_link_add(db, h, sizeof(h), id, role);
}

bool ck_token_shape(const char *t)
{
    if (!t || strlen(t) != CHECKIN_TOKEN_LEN)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

enum ck_step ck_next_step(const ck_row *r, int64_t *at)
{
    *at = 0;
    if (!strcmp(r->state, "running")) {
        if (r->warn_at && r->warn_at < r->due_at) {
            *at = r->warn_at;
            return STEP_WARN;
        }
        *at = r->due_at;
        return STEP_ALERT;
    }
    if (!strcmp(r->state, "alerted") && r->escalate_at && !r->acked_at) {
        *at = r->escalate_at;
        return STEP_ESCALATE;
    }
    return STEP_NONE;
}

void ck_schedule(ck_row *r)
{
    int64_t at;
    r->next_at = ck_next_step(r, &at) == STEP_NONE ? 0 : at;
}

json_t *ck_secret_open(const ck_row *r)
{
    char *plain = secret_open(r->secret, r->secret_len);
    if (!plain)
        return NULL;
    json_t *j = json_loads(plain, 0, NULL);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    return j;
}

const char *ck_str(const json_t *secret, const char *key)
{
    const char *s = json_string_value(json_object_get(secret, key));
    return s ? s : "";
}

void ck_base_url(const config *cfg, char *out, size_t outlen)
{
    size_t n = strlen(cfg->public_url);
    while (n && cfg->public_url[n - 1] == '/')
        n--;
    if (n)
        snprintf(out, outlen, "%.*s", (int)n, cfg->public_url);
    else
        snprintf(out, outlen, "http://%s", cfg->listen);
}

/* The warning time for a timer ending at due (0: none). */
static int64_t warn_time(const config *cfg, const json_t *s, int64_t now, int64_t due)
{
    if (cfg->warn_seconds <= 0 || (!ck_str(s, "own_sms")[0] && !ck_str(s, "own_email")[0]))
        return 0;
    int64_t w = due - cfg->warn_seconds * 1000;
    return w > now ? w : 0;
}

static json_t *secret_json(const checkin_req *r)
{
    json_t *j = json_object();
    const char *keys[] = {"where", "name", "sms", "email", "own_sms", "own_email", "lang"};
    const char *vals[] = {r->where, r->name, r->sms, r->email, r->own_sms, r->own_email, r->lang};
    for (int i = 0; i < 7; i++)
        if (given(vals[i]))
            json_object_set_new(j, keys[i], json_string(vals[i]));
    return j;
}

/* One transaction: the row, the person's link, the first event. */
static bool insert_new(sqlite3 *db, ck_row *row, char token[CHECKIN_TOKEN_LEN + 1])
{
    if (!db_begin(db))
        return false;
    int64_t id;
    bool ok = ck_insert(db, row, &id) && ck_new_link(db, id, "owner", token) &&
              ck_event_add(db, id, row->created_at, "started", "") && db_commit(db);
    if (!ok)
        db_rollback(db);
    return ok;
}

enum ck_status checkin_start(const config *cfg, const checkin_req *r, const char *client,
                             char token[CHECKIN_TOKEN_LEN + 1], int64_t *due_at, ck_problem *p, int *retry_after)
{
    if (!checkin_validate(cfg, r, p))
        return CK_INVALID;
    if (!ck_limits_allow(cfg, client, r, retry_after))
        return CK_LIMITED;
    sqlite3 *db = db_thread();
    if (!db)
        return CK_ERROR;
    int64_t now = notify_now_ms();
    json_t *s = secret_json(r);
    char *plain = json_dumps(s, JSON_COMPACT);
    ck_row row = {0};
    str_copy(row.state, sizeof(row.state), "running");
    row.created_at = now;
    row.due_at = now + (int64_t)r->seconds * 1000;
    row.warn_at = warn_time(cfg, s, now, row.due_at);
    row.responder = r->responder;
    row.secret = plain ? secret_seal(plain, strlen(plain), &row.secret_len) : NULL;
    ck_schedule(&row);
    if (plain)
        sodium_memzero(plain, strlen(plain));
    free(plain);
    json_decref(s);
    bool ok = row.secret && insert_new(db, &row, token);
    ck_row_free(&row);
    if (!ok)
        return CK_ERROR;
    *due_at = row.due_at;
    ck_sched_kick();
    return CK_DONE;
}
