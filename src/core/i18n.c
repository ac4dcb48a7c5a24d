/* i18n: the languages, their catalogs (hash tables of msgctxt+msgid to
 * translations, read from PO files by i18n_po.c) and the lookups. */
#include "core/i18n.h"
#include "core/i18n_int.h"
#include "core/log.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PO_MAX_BYTES (16u * 1024u * 1024u)

typedef struct message {
    char *key;               /* msgctxt "\004" msgid, or msgid */
    char *forms[PO_MAX_FORMS];
    int nforms;
} message;

typedef struct catalog {
    char code[16];
    char prefix[20]; /* "/es": made when the catalog loads, read by every request */
    char plural[128]; /* the plural= expression; "" means (n != 1) */
    int nplurals;
    message *slots;
    size_t cap, count, rejected;
    atomic_ulong missing;
} catalog;

static catalog langs[I18N_MAX_LANGS];
static int nlangs = 1;
static int default_lang;
static unsigned generation; /* i18n_generation() */

static const struct { const char *code, *name; } names[] = {
    {"en", "English"}, {"es", "Español"}, {"fr", "Français"}, {"pt", "Português"}, {"vi", "Tiếng Việt"},
    {"zh", "中文"}, {"ko", "한국어"}, {"ht", "Kreyòl ayisyen"}, {"ru", "Русский"}, {"ar", "العربية"},
    {"tl", "Tagalog"}, {"de", "Deutsch"}, {"it", "Italiano"}, {"pl", "Polski"}, {"uk", "Українська"}};

static unsigned long key_hash(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

static message *slot_for(const catalog *c, const char *key)
{
    if (!c->cap)
        return NULL;
    size_t i = key_hash(key) & (c->cap - 1);
    while (c->slots[i].key && strcmp(c->slots[i].key, key) != 0)
        i = (i + 1) & (c->cap - 1);
    return &c->slots[i];
}

static void grow(catalog *c)
{
    size_t old = c->cap;
    message *was = c->slots;
    c->cap = old ? old * 2 : 256;
    c->slots = xcalloc(c->cap, sizeof(message));
    for (size_t i = 0; i < old; i++)
        if (was[i].key)
            *slot_for(c, was[i].key) = was[i];
    free(was);
}

static void catalog_free(catalog *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].key);
        for (int k = 0; k < c->slots[i].nforms; k++)
            free(c->slots[i].forms[k]);
    }
    free(c->slots);
    *c = (catalog){0};
}

/* ---- checks a translation must pass ---- */

/* The printf conversions of s, normalised to their argument types
 * ("*" for a star, length modifier and conversion), one per argument. */
static void conversions(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *p = strchr(s, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == '%') {
            p++;
            continue;
        }
        p += strspn(p, "-+ #0'");
        for (; *p == '*' || (*p >= '0' && *p <= '9') || *p == '.' || *p == '$'; p++)
            if (*p == '*' && n + 1 < outlen)
                out[n++] = '*';
        for (; *p && strchr("hlLqjzt", *p); p++)
            if (n + 1 < outlen)
                out[n++] = *p;
        if (*p && n + 2 < outlen) {
            out[n++] = *p;
            out[n++] = ',';
        }
        if (*p)
            p++;
    }
    out[n] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The {{...}} tags of s, sorted, joined by NUL-free separators. */
static void mustache_tags(const char *s, char *out, size_t outlen)
{
    char *tags[64] = {NULL};
    int n = 0;
    for (const char *p = strstr(s, "{{"); p && n < 64; p = strstr(p, "{{")) {
        const char *e = strstr(p, "}}");
        if (!e)
            break;
        while (e[2] == '}')
            e++;
        tags[n++] = xstrndup(p, (size_t)(e + 2 - p));
        p = e + 2;
    }
    qsort(tags, (size_t)n, sizeof(char *), cmp_str);
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t k = strlen(tags[i]);
        if (len + k + 2 < outlen) {
            memcpy(out + len, tags[i], k);
            len += k;
            out[len++] = '|';
            out[len] = '\0';
        }
        free(tags[i]);
    }
}

/* Why a translation cannot stand in for its msgid, or NULL when it can. */
static const char *translation_problem(const char *msgid, const char *str, bool c_format)
{
    char a[256], b[256];
    if (!utf8_valid(str, strlen(str)))
        return "is not UTF-8";
    if (c_format) {
        conversions(msgid, a, sizeof(a));
        conversions(str, b, sizeof(b));
        if (strcmp(a, b) != 0)
            return "has other printf conversions than the msgid";
    }
    mustache_tags(msgid, a, sizeof(a));
    mustache_tags(str, b, sizeof(b));
    if (strcmp(a, b) != 0)
        return "has other {{...}} tags than the msgid";
    return NULL;
}

/* ---- reading a catalog ---- */

struct load_ctx {
    catalog *c;
    const char *file;
};

static bool read_header(catalog *c, const char *h, char *err, size_t errlen)
{
    const char *pf = strstr(h, "Plural-Forms:");
    c->nplurals = 2;
    if (!pf)
        return true;
    const char *np = strstr(pf, "nplurals="), *pl = strstr(pf, "plural=");
    while (pl && pl > pf && pl[-1] == 'n') /* "nplurals=" contains "plurals=", not "plural=" */
        pl = strstr(pl + 1, "plural=");
    long n = 0;
    for (const char *p = np ? np + 9 : ""; *p >= '0' && *p <= '9' && n < 100; p++)
        n = n * 10 + (*p - '0');
    if (!pl || n < 1 || n > PO_MAX_FORMS) {
        snprintf(err, errlen, "the header's Plural-Forms needs nplurals=1..6 and plural=");
        return false;
    }
    const char *e = strchr(pl, '\n');
    size_t len = e ? (size_t)(e - pl - 7) : strlen(pl + 7);
    if (len >= sizeof(c->plural)) {
        snprintf(err, errlen, "the Plural-Forms expression is too long");
        return false;
    }
    memcpy(c->plural, pl + 7, len);
    c->plural[len] = '\0';
    c->nplurals = (int)n;
    for (unsigned long k = 0; k < 1000; k++) {
        long v = plural_eval(c->plural, k);
        if (v < 0 || v >= n) {
            snprintf(err, errlen, "the Plural-Forms expression \"%s\" gives %ld for n=%lu", c->plural, v, k);
            return false;
        }
    }
    return true;
}

static bool add_entry(void *ctx, const po_entry *e, char *err, size_t errlen)
{
    struct load_ctx *l = ctx;
    catalog *c = l->c;
    const char *id = buf_cstr(&e->id);
    if (!*id && !e->ctx.len)
        return read_header(c, buf_cstr(&e->str[0]), err, errlen);
    if (e->fuzzy || !e->str[0].len)
        return true; /* untranslated or unreviewed: the English shows */
    for (int k = 0; k < e->nstr; k++) {
        const char *why = translation_problem(id, buf_cstr(&e->str[k]), e->c_format);
        if (why) {
            log_warn("%s:%d: the translation of \"%.60s\" %s; the English is shown", l->file, e->line, id, why);
            c->rejected++;
            return true;
        }
    }
    buf key = BUF_INIT;
    if (e->ctx.len)
        buf_printf(&key, "%s\004", buf_cstr(&e->ctx));
    buf_puts(&key, id);
    if ((c->count + 1) * 2 > c->cap)
        grow(c);
    message *m = slot_for(c, buf_cstr(&key));
    if (m->key) {
        snprintf(err, errlen, "line %d: the msgid \"%.60s\" is in the catalog twice", e->line, id);
        buf_free(&key);
        return false;
    }
    m->key = buf_detach(&key, NULL);
    m->nforms = e->nstr;
    for (int k = 0; k < e->nstr; k++)
        m->forms[k] = xstrdup(buf_cstr(&e->str[k]));
    c->count++;
    return true;
}

int i18n_add(const char *code, const char *file, const char *src, size_t len, char *err, size_t errlen)
{
    generation++;
    if (nlangs >= I18N_MAX_LANGS) {
        snprintf(err, errlen, "%s: at most %d languages", file, I18N_MAX_LANGS);
        return -1;
    }
    catalog *c = &langs[nlangs];
    *c = (catalog){0};
    str_copy(c->code, sizeof(c->code), code);
    snprintf(c->prefix, sizeof(c->prefix), "/%.15s", code);
    c->nplurals = 2;
    struct load_ctx l = {c, file};
    char why[300];
    if (!po_parse(src, len, add_entry, &l, why, sizeof(why))) {
        snprintf(err, errlen, "%s: %s", file, why);
        catalog_free(c);
        return -1;
    }
    return nlangs++;
}

static bool code_ok(const char *s, size_t n)
{
    if (n < 2 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (i >= 2 && (s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z')))))
            return false;
    return strncmp(s, "en", n) != 0;
}

static bool load_file(const char *dir, const char *name, char *err, size_t errlen)
{
    char path[1024], code[16];
    size_t n = strlen(name) - 3;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!code_ok(name, n) || n >= sizeof(code)) {
        log_warn("%s: not a language code (two lower-case letters such as es.po); skipped", path);
        return true;
    }
    memcpy(code, name, n);
    code[n] = '\0';
    size_t len;
    char *src = file_read(path, PO_MAX_BYTES, &len);
    if (!src) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    int lang = i18n_add(code, path, src, len, err, errlen);
    free(src);
    if (lang > 0)
        log_info("language %s: %zu messages translated (%s)", code, langs[lang].count, path);
    return lang > 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool i18n_load(const char *po_dir, const char *default_code, char *err, size_t errlen)
{
    i18n_unload();
    DIR *d = opendir(po_dir);
    char *files[I18N_MAX_LANGS * 4];
    int nf = 0;
    for (struct dirent *e; d && (e = readdir(d)) && nf < I18N_MAX_LANGS * 4;)
        if (str_has_suffix(e->d_name, ".po") && e->d_name[0] != '.')
            files[nf++] = xstrdup(e->d_name);
    if (d)
        closedir(d);
    qsort(files, (size_t)nf, sizeof(char *), cmp_name);
    bool ok = true;
    for (int i = 0; i < nf; i++) {
        ok = ok && load_file(po_dir, files[i], err, errlen);
        free(files[i]);
    }
    int def = ok ? i18n_find(default_code) : -1;
    if (ok && (def < 0 || strlen(default_code) != strlen(i18n_code(def)))) {
        snprintf(err, errlen, "default_language \"%s\" has no catalog %s/%s.po (languages: en%s%s)", default_code,
                 po_dir, default_code, nlangs > 1 ? ", " : "", nlangs > 1 ? langs[1].code : "");
        ok = false;
    }
    if (!ok) {
        i18n_unload();
        return false;
    }
    default_lang = def;
    return true;
}

void i18n_unload(void)
{
    generation++;
    for (int i = 1; i < nlangs; i++)
        catalog_free(&langs[i]);
    nlangs = 1;
    default_lang = 0;
}

/* ---- languages ---- */

int i18n_count(void) { return nlangs; }

unsigned i18n_generation(void) { return generation; }

const char *i18n_prefix(int lang)
{
    if (lang < 0 || lang >= nlangs || lang == default_lang)
        return "";
    return lang == I18N_SOURCE ? "/en" : langs[lang].prefix;
}
int i18n_default(void) { return default_lang; }

const char *i18n_code(int lang)
{
    return lang > 0 && lang < nlangs ? langs[lang].code : "en";
}

const char *i18n_name(int lang)
{
    const char *code = i18n_code(lang);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strncmp(code, names[i].code, 2))
            return names[i].name;
    return code;
}

int i18n_find(const char *code)
{
    if (!code)
        return -1;
    size_t n = strcspn(code, "-_");
    for (int i = 0; i < nlangs; i++) {
        const char *c = i18n_code(i);
        if (strlen(c) == n && !strncasecmp(c, code, n))
            return i;
    }
    return -1;
}

/* ---- lookups ---- */

static const message *lookup(int lang, const char *ctx, const char *msgid)
{
    if (lang <= 0 || lang >= nlangs || !msgid)
        return NULL;
    const message *m;
    if (ctx) {
        char key[1024];
        int n = snprintf(key, sizeof(key), "%s\004%s", ctx, msgid);
        m = (n > 0 && (size_t)n < sizeof(key)) ? slot_for(&langs[lang], key) : NULL;
    } else {
        m = slot_for(&langs[lang], msgid);
    }
    if (m && m->key)
        return m;
    atomic_fetch_add_explicit(&langs[lang].missing, 1, memory_order_relaxed);
    return NULL;
}

const char *i18n_tr(int lang, const char *msgid)
{
    const message *m = lookup(lang, NULL, msgid);
    return m ? m->forms[0] : msgid;
}

const char *i18n_trc(int lang, const char *ctx, const char *msgid)
{
    const message *m = lookup(lang, ctx, msgid);
    return m ? m->forms[0] : msgid;
}

const char *i18n_trn(int lang, const char *one, const char *many, long n)
{
    unsigned long un = n < 0 ? (unsigned long)-n : (unsigned long)n;
    const message *m = lookup(lang, NULL, one);
    if (!m)
        return un == 1 ? one : many;
    const catalog *c = &langs[lang];
    long k = c->plural[0] ? plural_eval(c->plural, un) : (un != 1);
    if (k < 0 || k >= m->nforms || !m->forms[k])
        return un == 1 ? one : many;
    return m->forms[k];
}

unsigned long i18n_missing(int lang)
{
    return lang > 0 && lang < nlangs ? atomic_load(&langs[lang].missing) : 0;
}

size_t i18n_translated(int lang) { return lang > 0 && lang < nlangs ? langs[lang].count : 0; }
size_t i18n_rejected(int lang) { return lang > 0 && lang < nlangs ? langs[lang].rejected : 0; }
