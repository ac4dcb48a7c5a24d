/* alerts_lang: an alert's words in the reader's language (issue 16). An
 * alert's own text (headline, what to do ...) is written by staff in one
 * language (its "lang"); a translation is another alert that names it
 * (translation_of). These helpers find the translation a page should show,
 * put the coded words (severity, states, sources) and the times in the
 * page's language, and make the links between an alert and its
 * translations (with hreflang, so the server leaves their prefix alone). */
#ifndef WP_ALERTS_LANG_H
#define WP_ALERTS_LANG_H

#include "alerts/alerts.h"
#include "core/config.h"
#include "http/http.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Thursday 3 December 2026, 09:00" / "jueves 3 de diciembre de 2026,
 * 09:00" in the site's time zone. */
void alerts_human_time(const config *cfg, int lang, int64_t t, char *out, size_t n);
/* A coded word of an alert (a severity, certainty, urgency, state or CAP
 * message type) in lang; unknown words as they are. */
const char *alerts_word(int lang, const char *code);
/* The site language code of an alert's text ("en" when its doc has none). */
const char *alerts_text_lang(const alert_rec *a);
/* When a is not in lang and has a public translation into it, loads that
 * into out and returns 1 (clear out with alert_rec_clear); 0 when not,
 * -1 on a database error. */
int alerts_translated(sqlite3 *db, const alert_rec *a, int lang, alert_rec *out);
/* The language name a page in lang calls code by ("inglés"). */
const char *alerts_lang_name(int lang, const char *code);
/* Adds to d what /alerts/<id> says about a's language: text_lang (its
 * BCP 47 tag for lang=""), lang_note when it is not the page's language,
 * and "translations": [{href, hreflang, name, label}] linking a to its
 * original and to its translations. False on a database error. */
bool alerts_lang_view(const request *rq, sqlite3 *db, json_t *d, const alert_rec *a);

#endif
