/* subs: checks, hashes, matching and the confirmation steps of alert
 * subscriptions. See subs.h; the messages sent when an alert is published
 * are in subs_msg.c. */
#include "community/subs.h"
#include "community/areas.h"
#include "community/subs_int.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/ratelimit.h"
#include "notify/notify.h"
#include "notify/secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const config *cfg_g;
static ratelimit *per_client, *per_address;

bool subs_load(const config *cfg, char *err, size_t errlen)
{
    if (cfg->sms_inbound_secret[0] && strlen(cfg->sms_inbound_secret) < 16) {
        snprintf(err, errlen, "subscriptions.sms_inbound_secret must be at least 16 characters");
        return false;
    }
    for (const char *p = cfg->sms_inbound_secret; *p; p++)
        if (!isalnum_ascii((unsigned char)*p) && *p != '-' && *p != '_') {
            snprintf(err, errlen, "subscriptions.sms_inbound_secret may hold only letters, digits, - and _");
            return false;
        }
    cfg_g = cfg;
    if (cfg->subscribes_per_hour > 0)
        per_client = ratelimit_new((int)cfg->subscribes_per_hour, 3600);
    per_address = ratelimit_new(SUBS_PER_ADDRESS_HOUR, 3600);
    return true;
}

void subs_unload(void)
{
    ratelimit_free(per_client);
    ratelimit_free(per_address);
    per_client = per_address = NULL;
    cfg_g = NULL;
}

const config *subs_cfg(void)
{
    return cfg_g;
}

bool subs_allow_client(const char *client, int *retry)
{
    return !per_client || ratelimit_allow(per_client, client, time(NULL), retry);
}

bool subs_allow_address(const unsigned char *addr_hash, int *retry)
{
    if (!per_address)
        return true;
    char hex[2 * SUBS_HASH_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), addr_hash, SUBS_HASH_BYTES);
    return ratelimit_allow(per_address, hex, time(NULL), retry);
}

/* s without the spaces around it into out; false when it does not fit. */
static bool trimmed(const char *in, char *out, size_t n)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t l = strlen(in);
    while (l && (in[l - 1] == ' ' || in[l - 1] == '\t' || in[l - 1] == '\r' || in[l - 1] == '\n'))
        l--;
    if (l + 1 > n)
        return false;
    memcpy(out, in, l);
    out[l] = '\0';
    return true;
}

bool subs_check_email(const char *in, char *out, size_t n)
{
    char s[256];
    if (!in || !trimmed(in, s, sizeof(s)) || !s[0] || strlen(s) > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !at[1])
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"<>(),;:\\[]", *p))
            return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1] || strstr(at + 1, ".."))
        return false;
    for (char *p = strchr(s, '@'); *p; p++)
        *p = (char)tolower_ascii((unsigned char)*p);
    return str_copy(out, n, s);
}

bool subs_check_phone(const char *in, char *out, size_t n)
{
    if (!in)
        return false;
    char digits[20];
    size_t k = 0;
    bool plus = false, any = false;
    for (const char *p = in; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (k + 1 >= sizeof(digits))
                return false;
            digits[k++] = *p;
            any = true;
        } else if (*p == '+' && !any && !plus) {
            plus = true;
        } else if (!strchr(" .-()\t", *p)) {
            return false;
        }
    }
    digits[k] = '\0';
    char e164[24];
    if (!plus && k == 10)
        snprintf(e164, sizeof(e164), "+1%s", digits);
    else if (!plus && k == 11 && digits[0] == '1')
        snprintf(e164, sizeof(e164), "+%s", digits);
    else if (plus && k >= 8 && k <= 15 && digits[0] != '0')
        snprintf(e164, sizeof(e164), "+%s", digits);
    else
        return false;
    return str_copy(out, n, e164);
}

/* Appends key to list unless it is there already. */
static void add_key(json_t *list, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (!strcmp(json_string_value(v), key)) return;
    json_array_append_new(list, json_string(key));
}

json_t *subs_parse_areas(int lang, const char *const *slugs, size_t nslugs, const char *zips, char *why,
                         size_t whylen, const char **field)
{
    *field = "area";
    json_t *list = json_array();
    char key[AREA_KEY_MAX];
    for (size_t i = 0; i < nslugs; i++) {
        if (!slugs[i] || !slugs[i][0])
            continue;
        if (!areas_check(slugs[i], key, sizeof(key)) || areas_is_zip(key)) {
            snprintf(why, whylen, "%s", i18n_tr(lang, "Choose areas from the list."));
            json_decref(list);
            return NULL;
        }
        add_key(list, key);
    }
    const char *p = zips ? zips : "";
    while (*p) {
        size_t skip = strspn(p, " ,;\t\r\n"), len;
        p += skip;
        len = strcspn(p, " ,;\t\r\n");
        if (!len)
            break;
        char one[32];
        if (len >= sizeof(one) || (memcpy(one, p, len), one[len] = '\0', !areas_check(one, key, sizeof(key)))) {
            snprintf(why, whylen, i18n_tr(lang, "\"%.*s\" is not a ZIP code: a ZIP code is five digits, such as 97214."),
                     (int)(len < 20 ? len : 20), p);
            *field = "zips";
            json_decref(list);
            return NULL;
        }
        add_key(list, key);
        p += len;
    }
    if (json_array_size(list) == 0 || json_array_size(list) > SUBS_AREAS_MAX) {
        if (json_array_size(list))
            snprintf(why, whylen, i18n_tr(lang, "Choose at most %d areas."), SUBS_AREAS_MAX);
        else
            snprintf(why, whylen, "%s", i18n_tr(lang, "Choose at least one area or type a ZIP code."));
        json_decref(list);
        return NULL;
    }
    return list;
}

bool subs_addr_hash(const char *channel, const char *address, unsigned char out[SUBS_HASH_BYTES])
{
    char s[300];
    int w = snprintf(s, sizeof(s), "%s:%s", channel, address);
    return w > 0 && (size_t)w < sizeof(s) && secret_mac("subs-address", s, (size_t)w, out);
}

bool subs_token_hash(const char *kind, const char *token, unsigned char out[SUBS_HASH_BYTES])
{
    char ctx[32];
    snprintf(ctx, sizeof(ctx), "subs-%s", kind);
    return secret_mac(ctx, token, strlen(token), out);
}

bool subs_unsub_mac(long id, int64_t created_at, char *out, size_t n)
{
    char s[48];
    unsigned char mac[SECRET_MAC_BYTES];
    int w = snprintf(s, sizeof(s), "%ld:%lld", id, (long long)created_at);
    if (n < SUBS_UNSUB_LEN + 1 || !secret_mac("subs-unsubscribe", s, (size_t)w, mac))
        return false;
    sodium_bin2hex(out, n, mac, SUBS_UNSUB_LEN / 2);
    return true;
}

bool subs_unsub_ok(long id, int64_t created_at, const char *mac)
{
    char want[SUBS_UNSUB_LEN + 1];
    if (!mac || strlen(mac) != SUBS_UNSUB_LEN || !subs_unsub_mac(id, created_at, want, sizeof(want)))
        return false;
    return sodium_memcmp(want, mac, SUBS_UNSUB_LEN) == 0;
}

/* Does the named area key appear in text (its slug or its name)? */
static bool names_area(const char *text, const char *key)
{
    const area *a = areas_find(key);
    if (!a || !text || !text[0])
        return false;
    return strcasestr(text, a->name) || strcasestr(text, a->slug);
}

bool subs_matches(const json_t *doc, const json_t *areas)
{
    const json_t *where = json_object_get(doc, "area");
    const json_t *zips = json_object_get(where, "zips");
    const char *desc = json_string_value(json_object_get(where, "description"));
    if (!json_is_array(zips) || json_array_size(zips) == 0)
        return true; /* the whole site */
    size_t i, j;
    json_t *k, *z;
    json_array_foreach(areas, i, k) {
        const char *key = json_string_value(k);
        if (!key)
            continue;
        if (!areas_is_zip(key) && names_area(desc, key))
            return true;
        json_array_foreach(zips, j, z) {
            const char *zip = json_string_value(z);
            if (zip && areas_covers(key, zip))
                return true;
        }
    }
    return false;
}

void subs_base_url(const config *cfg, char *out, size_t n)
{
    if (cfg->public_url[0])
        snprintf(out, n, "%s", cfg->public_url);
    else
        snprintf(out, n, "http://%s", cfg->listen);
    size_t l = strlen(out);
    while (l && out[l - 1] == '/')
        out[--l] = '\0';
}

bool subs_areas_text(const json_t *areas, buf *out)
{
    size_t i;
    json_t *k;
    json_array_foreach(areas, i, k) {
        const char *key = json_string_value(k);
        if (key)
            buf_printf(out, "%s%s", i ? ", " : "", areas_label(key));
    }
    return true;
}

/* Spanish stop words (issue 16): BAJA and PARAR are what Spanish-speaking
 * carriers' opt-out help suggests; ALTO is the word on a stop sign. */
static const char *const stop_es[] = {"ALTO", "PARAR", "PARE", "BAJA", "CANCELAR", "DETENER"};

static bool in_words(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq_nocase(s, words[i]))
            return true;
    return false;
}

bool subs_is_stop_word(const char *body)
{
    static const char *const words[] = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"};
    char s[32];
    if (!body || !trimmed(body, s, sizeof(s)))
        return false;
    return in_words(s, words, sizeof(words) / sizeof(words[0])) || in_words(s, stop_es, sizeof(stop_es) / sizeof(stop_es[0]));
}

bool subs_is_spanish_word(const char *body)
{
    static const char *const yes_es[] = {"SI", "S\xc3\x8d", "S\xc3\xad"};
    char s[32];
    if (!body || !trimmed(body, s, sizeof(s)))
        return false;
    s[strcspn(s, " \t\r\n.!")] = '\0';
    return in_words(s, stop_es, sizeof(stop_es) / sizeof(stop_es[0])) || in_words(s, yes_es, sizeof(yes_es) / sizeof(yes_es[0]));
}
