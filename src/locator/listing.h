/* listing: turns a stored listing (the service's HSDS 3.0 JSON and where it
 * is) into the data a page shows: name, address, phones, services as
 * chips, opening hours now and for the week, the source and its date. Used
 * by the results list and by the listing's own page. */
#ifndef WP_LISTING_H
#define WP_LISTING_H

#include "hsds/hsds_store.h"
#include "locator/hours.h"

#include <jansson.h>
#include <stdint.h>

/* The data for one listing (a new object); with_detail adds the week's
 * hours, languages, costs, eligibility and the rest for /services/<id>.
 * open_state, when not NULL, gets 1 open, 0 closed, -1 unknown.
 * default_zone is the site's time zone, for a listing whose state has none. */
json_t *listing_json(const hsds_listing *l, int64_t now, bool with_detail, int *open_state, const char *default_zone);

/* listing_json in two steps, so the finder's card cache (card_cache.h) can
 * keep the first: listing_base is the data that does not depend on the
 * time (no "hours_now", "open_now" or "week"), with the listing's parsed
 * opening hours in *h and, when languages is not NULL, a new reference to
 * the service's HSDS "languages" array (or NULL) in *languages;
 * listing_apply_hours adds what the hours say at now. */
json_t *listing_base(const hsds_listing *l, bool with_detail, const char *default_zone, hours *h, json_t **languages);
void listing_apply_hours(json_t *d, const hours *h, int64_t now, bool detail, int *open_state);
/* The same with the hours said in language lang (core/i18n.h). */
void listing_apply_hours_lang(json_t *d, const hours *h, int64_t now, bool detail, int *open_state, int lang);
/* listing_json in language lang: hours, services and the source line. */
json_t *listing_json_lang(const hsds_listing *l, int64_t now, bool with_detail, int *open_state,
                          const char *default_zone, int lang);
/* Puts a listing's data (from listing_base) into language lang: the
 * services' names (new chip objects: the cached ones are shared) and the
 * source line. Nothing to do in English. */
void listing_localize(json_t *d, int lang);

/* The IANA time zone most of a US state or territory keeps ("TX" ->
 * "America/Chicago"), or NULL for an unknown code. */
const char *listing_state_zone(const char *state);

/* "Listed by SAMHSA, September 2020" from a source and a YYYY-MM-DD date. */
/* Narrows a listing (from listing_json) to what a results card shows:
 * "top_chips", at most LISTING_TOP_CHIPS services, the one searched for
 * (what, a Waypost code, may be NULL) first, then the filters ticked
 * (attrs), then the rest in the listing's order, with "more_services"
 * counting those left for the service page; and "call_tel"/"call_number",
 * the one number to call (an intake line first, never a fax). */
#define LISTING_TOP_CHIPS 3
void listing_focus(json_t *d, const char *what, const char *const *attrs, int nattrs);
/* listing_focus's choice over any list of n chips (code_at(list, i) is the
 * code of chip i): the indexes of the top chips in out, in order; returns
 * how many (at most LISTING_TOP_CHIPS). */
size_t listing_top_chips(size_t n, const char *(*code_at)(const void *list, size_t i), const void *list,
                         const char *what, const char *const *attrs, int nattrs, size_t out[LISTING_TOP_CHIPS]);

void listing_source_line(const char *source, const char *date, char *out, size_t outlen);
void listing_source_line_lang(int lang, const char *source, const char *date, char *out, size_t outlen);

#endif
