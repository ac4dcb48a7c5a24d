/* card_html: a finder results card (partials/listing) as HTML rendered once
 * and filled in per request. Building each card as a jansson tree and
 * rendering it with Mustache on every /find request was most of the
 * page's time; now the card cache (card_cache.c) keeps, per listing,
 * language and template set, the card rendered with markers where the
 * request's values go, and a request only copies the pieces and writes
 * (escaped) what varies: the result's number, its distance, the hours now
 * and "open now", and the top services for the search (the chips
 * listing_focus would choose, compared by their codes' bits).
 *
 * How the pieces are found: the card is rendered with marker strings for
 * the number, distance and hours; again with "open_now" true, and once per
 * service chip with only that chip in top_chips. The differences from the
 * first rendering are the open-now text and where the chips go (with each
 * chip's own HTML). A last rendering with "open now" and the first three
 * chips must equal the joined pieces, or the card is not kept as HTML (the
 * page then renders it as before). So partials/listing may use those keys
 * anywhere as long as each appears as one {{value}} (number, distance,
 * hours_now: escaped, non-empty) and sections on open_now and top_chips
 * do not nest in one another. */
#ifndef WP_CARD_HTML_H
#define WP_CARD_HTML_H

#include "core/buf.h"
#include "tmpl/mustache.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct card_html card_html;

/* What a request fills in. */
typedef struct card_fill {
    long number;          /* the result's number on the page (>= 1) */
    const char *distance; /* "2.3 miles" (not escaped) */
    const char *hours;    /* hours_now's text (not escaped) */
    bool open;
    uint64_t what; /* loc_code_bit of the kind searched for (0: none) */
    uint64_t attrs; /* the loc_code_bits of the filters ticked */
} card_fill;

/* The card of listing data d (listing_base's data in the page's language;
 * only read) rendered with set's partials/listing, in pieces; NULL when the
 * partial is missing or does not render as the pieces expect. */
card_html *card_html_build(const mus_set *set, json_t *d);

/* Appends the card filled in with f to out. */
void card_html_join(const card_html *h, const card_fill *f, buf *out);

/* The bytes the pieces hold (memory accounting). */
size_t card_html_size(const card_html *h);

void card_html_free(card_html *h);

#endif
