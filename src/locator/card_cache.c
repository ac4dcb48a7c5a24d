/* card_cache: the finder's in-memory cards, one directory generation at a
 * time. See card_cache.h. */
#include "locator/card_cache.h"
#include "locator/card_html.h"
#include "core/i18n.h"
#include "core/util.h"
#include "hsds/hsds_store.h"
#include "locator/hours.h"
#include "locator/listing.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const card_language card_languages[] = {
    {"es", N_("Spanish")},     {"zh", N_("Chinese")},    {"vi", N_("Vietnamese")},
    {"ru", N_("Russian")},     {"ar", N_("Arabic")},     {"ht", N_("Haitian Creole")},
    {"ko", N_("Korean")},      {"fr", N_("French")},     {"pt", N_("Portuguese")},
    {"ase", N_("Sign language (ASL)")},
};
const int card_nlanguages = (int)(sizeof(card_languages) / sizeof(card_languages[0]));

#define SLOTS (CARD_CACHE_MAX * 2) /* open addressing, at most half full */

typedef struct entry {
    json_t *base;        /* listing_base's data; never changed once stored */
    const tz *zone;
    hours_rule *rules;   /* exactly nrules of them */
    hours_closure *closures;
    int nrules, nclosures;
    uint32_t langs;
    double lat, lon;
    /* the card as HTML per page language, for the template set it was
     * rendered with (html NULL with set not NULL: that set cannot) */
    const mus_set *html_set[I18N_MAX_LANGS];
    card_html *html[I18N_MAX_LANGS];
} entry;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static entry *slots;    /* SLOTS entries, allocated on first use */
static uint32_t *keys;  /* slot i's rowid, 0 when empty (rowids start at 1): probed
                         * apart from the entries, so a lookup reads 128 KB, not MBs */
static uint32_t *speaks; /* slot i's langs, beside keys for the language filter */
static size_t used, html_bytes;
static long cache_generation = -1;

int card_language_index(const char *code)
{
    for (int i = 0; code && i < card_nlanguages; i++)
        if (!strcmp(card_languages[i].code, code))
            return i;
    return -1;
}

/* Bit i set when the HSDS languages array has card_languages[i] by code, or
 * a name starting with its label ("Spanish", "Sign language"). */
static uint32_t langs_of(json_t *list)
{
    uint32_t bits = 0;
    size_t i;
    json_t *lang;
    json_array_foreach(list, i, lang)
    {
        const char *c = json_string_value(json_object_get(lang, "code"));
        const char *n = json_string_value(json_object_get(lang, "name"));
        for (int k = 0; k < card_nlanguages; k++) {
            const char *label = card_languages[k].label;
            if ((c && !strcasecmp(c, card_languages[k].code)) || (n && !strncasecmp(n, label, strcspn(label, " ("))))
                bits |= 1u << k;
        }
    }
    return bits;
}

static void entry_free(entry *e)
{
    for (int i = 0; i < I18N_MAX_LANGS; i++)
        if (e->html[i]) {
            html_bytes -= card_html_size(e->html[i]);
            card_html_free(e->html[i]);
        }
    json_decref(e->base);
    free(e->rules);
    free(e->closures);
    memset(e, 0, sizeof(*e));
}

/* Under the write lock. */
static void clear_locked(void)
{
    for (size_t i = 0; slots && i < SLOTS; i++)
        if (keys[i]) {
            entry_free(&slots[i]);
            keys[i] = 0;
        }
    used = 0;
}

void card_cache_clear(void)
{
    pthread_rwlock_wrlock(&lock);
    clear_locked();
    free(slots);
    free(keys);
    free(speaks);
    slots = NULL;
    keys = NULL;
    speaks = NULL;
    cache_generation = -1;
    pthread_rwlock_unlock(&lock);
}

static size_t slot_of(uint32_t rowid)
{
    return (size_t)((rowid * 2654435761u) & (SLOTS - 1));
}

_Static_assert((SLOTS & (SLOTS - 1)) == 0, "the slot count is a power of two");

/* Under a lock: the entry for rowid, or NULL. */
static entry *find_locked(uint32_t rowid)
{
    if (!slots)
        return NULL;
    for (size_t i = slot_of(rowid);; i = (i + 1) & (SLOTS - 1)) {
        if (keys[i] == rowid)
            return &slots[i];
        if (!keys[i])
            return NULL;
    }
}

long card_cache_begin(sqlite3 *db)
{
    long g = -1;
    bool dirty = true;
    if (!hsds_store_index_stamp(db, &g, &dirty) || dirty || g < 0)
        return -1;
    pthread_rwlock_rdlock(&lock);
    bool same = cache_generation == g;
    pthread_rwlock_unlock(&lock);
    if (same)
        return g;
    pthread_rwlock_wrlock(&lock);
    /* a newer generation only: a request on an older snapshot must not
     * send the cache back in time */
    if (g > cache_generation) {
        clear_locked();
        cache_generation = g;
    }
    pthread_rwlock_unlock(&lock);
    return g;
}

/* Keeps a new card (taking base) when the cache is still at generation;
 * else frees it. */
static void store(long generation, uint32_t rowid, json_t *base, const hours *h, uint32_t langs, double lat,
                  double lon)
{
    pthread_rwlock_wrlock(&lock);
    if (generation != cache_generation || find_locked(rowid)) {
        pthread_rwlock_unlock(&lock);
        json_decref(base);
        return;
    }
    if (!slots) {
        slots = xcalloc(SLOTS, sizeof(entry));
        keys = xcalloc(SLOTS, sizeof(uint32_t));
        speaks = xcalloc(SLOTS, sizeof(uint32_t));
    }
    if (used >= CARD_CACHE_MAX)
        clear_locked();
    size_t i = slot_of(rowid);
    while (keys[i])
        i = (i + 1) & (SLOTS - 1);
    entry *e = &slots[i];
    keys[i] = rowid;
    speaks[i] = langs;
    e->base = base;
    e->zone = h->zone;
    e->nrules = h->nrules;
    e->nclosures = h->nclosures;
    e->rules = h->nrules ? xmalloc(sizeof(hours_rule) * (size_t)h->nrules) : NULL;
    if (h->nrules)
        memcpy(e->rules, h->rules, sizeof(hours_rule) * (size_t)h->nrules);
    e->closures = h->nclosures ? xmalloc(sizeof(hours_closure) * (size_t)h->nclosures) : NULL;
    if (h->nclosures)
        memcpy(e->closures, h->closures, sizeof(hours_closure) * (size_t)h->nclosures);
    e->langs = langs;
    e->lat = lat;
    e->lon = lon;
    used++;
    pthread_rwlock_unlock(&lock);
}

/* An entry's opening hours, copied out (the caller holds the lock). */
static void hours_of(const entry *e, hours *h)
{
    h->zone = e->zone;
    h->nrules = e->nrules;
    h->nclosures = e->nclosures;
    if (e->nrules)
        memcpy(h->rules, e->rules, sizeof(hours_rule) * (size_t)e->nrules);
    if (e->nclosures)
        memcpy(h->closures, e->closures, sizeof(hours_closure) * (size_t)e->nclosures);
}

/* An entry's place and languages into c, and "open now" as card.open
 * says it (the caller holds the lock). */
static void place_of(const entry *e, card *c)
{
    c->langs = e->langs;
    c->lat = e->lat;
    c->lon = e->lon;
}

static int open_of(const hours_status *st)
{
    return st->state == HOURS_OPEN ? 1 : st->state == HOURS_CLOSED ? 0 : -1;
}

/* Fills c (and d) from a cached entry; false on a miss. */
static bool from_cache(long generation, uint32_t rowid, int64_t now, int lang, card *c, json_t **d)
{
    pthread_rwlock_rdlock(&lock);
    entry *e = generation == cache_generation ? find_locked(rowid) : NULL;
    if (!e) {
        pthread_rwlock_unlock(&lock);
        return false;
    }
    hours h;
    hours_of(e, &h);
    place_of(e, c);
    /* a shallow copy: a new object whose values are the shared card's, held
     * by reference (jansson's reference counts are atomic, and nothing
     * changes a stored card), so the request may set its own keys */
    json_t *copy = d ? json_copy(e->base) : NULL;
    pthread_rwlock_unlock(&lock);
    if (copy) {
        listing_apply_hours_lang(copy, &h, now, false, &c->open, lang);
        listing_localize(copy, lang);
        *d = copy;
    } else {
        hours_status st;
        hours_status_at(&h, now, &st);
        c->open = open_of(&st);
    }
    return true;
}

bool card_cache_get(sqlite3 *db, arena *a, long generation, uint32_t rowid, int64_t now, const char *default_zone,
                    int lang, card *c, json_t **d)
{
    if (generation >= 0 && from_cache(generation, rowid, now, lang, c, d))
        return true;
    hsds_listing l;
    if (!hsds_store_listing(db, a, rowid, &l))
        return false;
    hours *h = xmalloc(sizeof(*h));
    json_t *langs = NULL;
    json_t *base = listing_base(&l, false, default_zone, h, &langs);
    c->langs = langs_of(langs);
    json_decref(langs);
    c->lat = l.lat;
    c->lon = l.lon;
    if (d) {
        *d = json_deep_copy(base);
        listing_apply_hours_lang(*d, h, now, false, &c->open, lang);
        listing_localize(*d, lang);
    } else {
        hours_status st;
        hours_status_at(h, now, &st);
        c->open = st.state == HOURS_OPEN ? 1 : st.state == HOURS_CLOSED ? 0 : -1;
    }
    if (generation >= 0)
        store(generation, rowid, base, h, c->langs, l.lat, l.lon);
    else
        json_decref(base);
    free(h);
    return true;
}

bool card_cache_langs(sqlite3 *db, arena *a, long generation, uint32_t rowid, const char *default_zone,
                      uint32_t *langs)
{
    bool hit = false;
    if (generation >= 0) {
        pthread_rwlock_rdlock(&lock);
        entry *e = generation == cache_generation ? find_locked(rowid) : NULL;
        if (e) {
            *langs = speaks[e - slots];
            hit = true;
        }
        pthread_rwlock_unlock(&lock);
    }
    card c;
    if (!hit && !card_cache_get(db, a, generation, rowid, 0, default_zone, I18N_SOURCE, &c, NULL))
        return false;
    if (!hit)
        *langs = c.langs;
    return true;
}

/* ---- the cards as HTML (card_html.h) ---- */

enum html_found { HTML_NO_ENTRY, HTML_NOT_BUILT, HTML_CANNOT, HTML_JOINED };

/* Joins the cached card's HTML into out when it is there for lang and set;
 * else says what is missing (with a new reference to the card's data in
 * *base when only the HTML is). */
static enum html_found html_from_cache(long generation, uint32_t rowid, int64_t now, int lang, const mus_set *set,
                                       card_fill *f, card *c, buf *out, arena *a, const char **name, json_t **base)
{
    pthread_rwlock_rdlock(&lock);
    entry *e = generation == cache_generation ? find_locked(rowid) : NULL;
    enum html_found r = !e ? HTML_NO_ENTRY : e->html_set[lang] != set ? HTML_NOT_BUILT : !e->html[lang] ? HTML_CANNOT : HTML_JOINED;
    if (r == HTML_NOT_BUILT)
        *base = json_incref(e->base);
    if (r == HTML_JOINED) {
        hours h;
        hours_of(e, &h);
        hours_status st;
        hours_status_lang(&h, now, lang, &st);
        c->open = open_of(&st);
        place_of(e, c);
        f->hours = st.text;
        f->open = st.state == HOURS_OPEN;
        card_html_join(e->html[lang], f, out);
        f->hours = NULL; /* st goes out of scope */
        const char *n = json_string_value(json_object_get(e->base, "name"));
        *name = arena_strdup(a, n ? n : "");
    }
    pthread_rwlock_unlock(&lock);
    return r;
}

/* Keeps h (or that set cannot render the card: h NULL) for lang on the
 * cached card, when it is still there; else frees h. */
static void store_html(long generation, uint32_t rowid, int lang, const mus_set *set, card_html *h)
{
    pthread_rwlock_wrlock(&lock);
    entry *e = generation == cache_generation ? find_locked(rowid) : NULL;
    if (e && e->html_set[lang] != set) {
        if (e->html[lang]) {
            html_bytes -= card_html_size(e->html[lang]);
            card_html_free(e->html[lang]);
        }
        e->html[lang] = h;
        e->html_set[lang] = set;
        html_bytes += h ? card_html_size(h) : 0;
        h = NULL;
    }
    pthread_rwlock_unlock(&lock);
    card_html_free(h);
}

bool card_cache_html(sqlite3 *db, arena *a, long generation, uint32_t rowid, int64_t now, const char *default_zone,
                     int lang, const mus_set *set, card_fill *f, card *c, buf *out, const char **name)
{
    if (generation < 0 || lang < 0 || lang >= I18N_MAX_LANGS || !set)
        return false;
    for (int tries = 0; tries < 3; tries++) {
        json_t *base = NULL;
        enum html_found r = html_from_cache(generation, rowid, now, lang, set, f, c, out, a, name, &base);
        if (r == HTML_JOINED)
            return true;
        if (r == HTML_CANNOT)
            return false;
        if (r == HTML_NO_ENTRY) {
            card tmp;
            if (!card_cache_get(db, a, generation, rowid, now, default_zone, lang, &tmp, NULL))
                return false;
            continue;
        }
        json_t *d = json_copy(base); /* shallow: listing_localize makes its own chips */
        json_decref(base);
        listing_localize(d, lang);
        card_html *h = card_html_build(set, d);
        json_decref(d);
        store_html(generation, rowid, lang, set, h);
    }
    return false;
}

size_t card_cache_html_bytes(void)
{
    pthread_rwlock_rdlock(&lock);
    size_t n = html_bytes;
    pthread_rwlock_unlock(&lock);
    return n;
}
