/* card_cache: the finder's per-listing cache. /find and /find/<shortcut>
 * used to read each result's stored HSDS JSON and parse it on every
 * request (most of the page's time); this keeps, in memory, what a results
 * card shows (listing_base's data), the parsed opening hours and the
 * languages spoken, so a request only looks them up, works out "open now"
 * and copies the card.
 *
 * It is kept current the way the map index is: every cached card belongs
 * to one generation of the directory (dir_generation, bumped by the
 * triggers on dir_sal_point whenever the listing cache rewrites a
 * listing). A search asks card_cache_begin for the generation of its read
 * snapshot: a new generation empties the cache; while listings wait on the
 * dirty list (an edit not yet cached) it answers false and the caller reads
 * the listings as before. The cache holds at most CARD_CACHE_MAX cards and
 * is emptied when full. Each card may also hold its HTML per page language
 * (card_cache_html). Thread-safe. */
#ifndef WP_CARD_CACHE_H
#define WP_CARD_CACHE_H

#include "core/arena.h"
#include "core/buf.h"
#include "locator/card_html.h"
#include "tmpl/mustache.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define CARD_CACHE_MAX 16384

/* The languages a visitor can ask the finder for (code and label). */
typedef struct card_language {
    const char *code, *label;
} card_language;
extern const card_language card_languages[];
extern const int card_nlanguages;

/* One listing looked up for a request. */
typedef struct card {
    int open;      /* 1 open now, 0 closed, -1 unknown */
    uint32_t langs; /* bit i: speaks card_languages[i] */
    double lat, lon;
} card;

/* Inside the caller's read transaction: the generation to pass to
 * card_cache_get, or -1 when the cache must not be used now (listings on
 * the dirty list, or a database error). */
long card_cache_begin(sqlite3 *db);

/* The card of listing rowid at now (generation from card_cache_begin, or
 * -1 to read without the cache): fills *c and, when d is not NULL, *d with
 * a new object (listing_json's data without "week"). False when there is
 * no such listing. The card's words are in language lang (core/i18n.h). */
bool card_cache_get(sqlite3 *db, arena *a, long generation, uint32_t rowid, int64_t now, const char *default_zone,
                    int lang, card *c, json_t **d);

/* The languages spoken at listing rowid (card.langs) without the rest of
 * the card (the language filter reads every candidate's). False when there
 * is no such listing. */
bool card_cache_langs(sqlite3 *db, arena *a, long generation, uint32_t rowid, const char *default_zone,
                      uint32_t *langs);

/* The card of listing rowid as HTML (card_html.h): partials/listing of
 * template set in page language lang, filled in with f (whose hours and
 * open are worked out here, at now), appended to out. Fills *c as
 * card_cache_get does and *name with the listing's name (in a). The HTML
 * is rendered once per listing, language and set and kept with the card.
 * False, with nothing appended, when there is no generation, no such
 * listing, or the set's partial does not split into pieces: then use
 * card_cache_get and render the card's data. */
bool card_cache_html(sqlite3 *db, arena *a, long generation, uint32_t rowid, int64_t now, const char *default_zone,
                     int lang, const mus_set *set, card_fill *f, card *c, buf *out, const char **name);

/* Bytes held by the cards' HTML (memory accounting). */
size_t card_cache_html_bytes(void);

/* Index of a language code in card_languages, or -1. */
int card_language_index(const char *code);

/* Empties the cache (at shutdown; tests). */
void card_cache_clear(void);

#endif
