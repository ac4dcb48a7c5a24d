/* params: query, form and cookie parsing. See params.h for the contract. */
#include "http/params.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const param_spec *param_spec_find(const param_spec *spec, const char *key, size_t keylen)
{
    const param_spec *best = NULL;
    size_t best_len = 0;
    for (const param_spec *e = spec; e && e->name; e++) {
        size_t n = strlen(e->name);
        if (n == keylen && memcmp(e->name, key, n) == 0)
            return e;
        if (n > 0 && e->name[n - 1] == '*' && n - 1 <= keylen && memcmp(e->name, key, n - 1) == 0 &&
            n - 1 >= best_len) {
            best = e;
            best_len = n - 1;
        }
    }
    return best;
}

/* Decodes [s, s+n) into arena memory; NULL when malformed. */
static const char *decode(arena *a, const char *s, size_t n, bool plus, const char **why)
{
    char *out = arena_alloc(a, n + 1);
    long len = url_decode(s, n, out, n + 1, plus);
    if (len < 0) {
        *why = N_("malformed percent-encoding or a NUL byte");
        return NULL;
    }
    if (!utf8_valid(out, (size_t)len)) {
        *why = N_("text that is not valid UTF-8");
        return NULL;
    }
    return out;
}

/* Adds one "key=value" piece. */
static enum params_result add_pair(arena *a, const char *s, size_t n, const param_spec *spec, params *out,
                                   const char **why)
{
    if (n == 0)
        return PARAMS_OK;
    const char *eq = memchr(s, '=', n);
    size_t klen = eq ? (size_t)(eq - s) : n;
    const char *key = decode(a, s, klen, true, why);
    if (!key)
        return PARAMS_BAD;
    const char *val = eq ? decode(a, eq + 1, n - klen - 1, true, why) : "";
    if (!val)
        return PARAMS_BAD;
    if (spec && !param_spec_find(spec, key, strlen(key)))
        return PARAMS_OK;
    if (out->count >= PARAMS_MAX) {
        *why = N_("too many parameters");
        return PARAMS_BAD;
    }
    out->items[out->count].key = key;
    out->items[out->count].value = val;
    out->count++;
    return PARAMS_OK;
}

enum params_result params_parse_query(arena *a, const char *s, size_t n, const param_spec *spec, params *out,
                                      const char **why)
{
    out->count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '&' || s[i] == ';') {
            if (add_pair(a, s + start, i - start, spec, out, why) != PARAMS_OK)
                return PARAMS_BAD;
            start = i + 1;
        }
    }
    return PARAMS_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

enum params_result params_parse_cookie(arena *a, const char *s, size_t n, params *out, const char **why)
{
    out->count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_space(s[i]) || s[i] == ';'))
            i++;
        size_t start = i;
        while (i < n && s[i] != ';')
            i++;
        size_t end = i;
        while (end > start && is_space(s[end - 1]))
            end--;
        if (end == start)
            continue;
        const char *eq = memchr(s + start, '=', end - start);
        if (!eq || eq == s + start) {
            *why = N_("a cookie without a name");
            return PARAMS_BAD;
        }
        if (memchr(s + start, '\0', end - start) || !utf8_valid(s + start, end - start)) {
            *why = N_("a cookie that is not valid text");
            return PARAMS_BAD;
        }
        if (out->count >= PARAMS_MAX) {
            *why = N_("too many cookies");
            return PARAMS_BAD;
        }
        const char *v = eq + 1;
        size_t vlen = (size_t)(s + end - v);
        if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
            v++;
            vlen -= 2;
        }
        out->items[out->count].key = arena_strndup(a, s + start, (size_t)(eq - (s + start)));
        out->items[out->count].value = arena_strndup(a, v, vlen);
        out->count++;
    }
    return PARAMS_OK;
}

const char *params_get(const params *p, const char *key)
{
    return params_get_nth(p, key, 0);
}

size_t params_count(const params *p, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].key, key))
            n++;
    return n;
}

const char *params_get_nth(const params *p, const char *key, size_t nth)
{
    for (size_t i = 0; i < p->count; i++)
        if (!strcmp(p->items[i].key, key) && nth-- == 0)
            return p->items[i].value;
    return NULL;
}

/* True when word is one of the '|'-separated choices. */
static bool is_choice(const char *choices, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = choices; p && *p;) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0)
            return true;
        p += len + (end ? 1 : 0);
    }
    return false;
}

/* Writes "1 to 100" or "-90 to 90.5" for a range. */
static void range_text(int lang, const param_spec *e, char *out, size_t outlen)
{
    snprintf(out, outlen, i18n_tr(lang, "%.15g to %.15g"), e->min, e->max);
}

/* Checks one value; false with a sentence in why. */
static bool check_value(int lang, const param_spec *e, const char *key, const char *v, char *why, size_t whylen)
{
    char range[96], *end;
    long l;
    double d;
    switch (e->type) {
    case PT_TEXT:
        if (strlen(v) <= (size_t)e->max)
            return true;
        snprintf(why, whylen, i18n_tr(lang, "%s must be at most %.0f characters."), key, e->max);
        return false;
    case PT_INT:
        if (parse_long(v, (long)e->min, (long)e->max, &l))
            return true;
        range_text(lang, e, range, sizeof(range));
        snprintf(why, whylen, i18n_tr(lang, "%s must be a whole number from %s."), key, range);
        return false;
    case PT_NUM:
        d = strtod(v, &end);
        if (*v && !*end && isfinite(d) && d >= e->min && d <= e->max)
            return true;
        range_text(lang, e, range, sizeof(range));
        snprintf(why, whylen, i18n_tr(lang, "%s must be a number from %s."), key, range);
        return false;
    case PT_CHOICE:
        if (is_choice(e->choices, v))
            return true;
        snprintf(why, whylen, i18n_tr(lang, "%s must be one of: %s."), key, e->choices);
        for (char *p = why; *p; p++)
            if (*p == '|')
                *p = '/';
        return false;
    }
    return false;
}

bool params_check(const params *p, const param_spec *spec, const char **bad_key, char *why, size_t whylen)
{
    return params_check_lang(I18N_SOURCE, p, spec, bad_key, why, whylen);
}

bool params_check_lang(int lang, const params *p, const param_spec *spec, const char **bad_key, char *why,
                       size_t whylen)
{
    for (size_t i = 0; i < p->count; i++) {
        const char *key = p->items[i].key;
        const param_spec *e = param_spec_find(spec, key, strlen(key));
        if (!e)
            continue;
        size_t most = e->most > 0 ? (size_t)e->most : 1;
        if (most > 1 && params_count(p, key) > most) {
            *bad_key = key;
            snprintf(why, whylen, i18n_tr(lang, "Give at most %zu %s values."), most, key);
            return false;
        }
        const char *v = p->items[i].value;
        if (e->blank && !*v)
            continue;
        if (!check_value(lang, e, key, v, why, whylen)) {
            *bad_key = key;
            return false;
        }
    }
    return true;
}
