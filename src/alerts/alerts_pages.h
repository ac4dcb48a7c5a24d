/* alerts_pages: the public side of local drug alerts: /alerts (active
 * first, then the archive, filtered by substance and area), /alerts/<id>
 * (readable on a phone, printable as a one-page poster, no JavaScript),
 * /alerts/<id>.cap (CAP 1.2), /alerts/<id>/photo, /alerts.atom, and the
 * page hooks that put active alerts on the home page, on each fact sheet
 * (those naming its substance) and on /overdose (Extreme ones). Every
 * hook clears the page cache flag, since the lists change with the clock.
 * Feeds answer conditional GETs: the server's ETag, and Last-Modified /
 * If-Modified-Since from the last moment the list could have changed. */
#ifndef WP_ALERTS_PAGES_H
#define WP_ALERTS_PAGES_H

#include "alerts/alerts.h"
#include "http/http.h"

#include <jansson.h>

/* Reads data/alerts/templates.json (the per-substance starting points);
 * false with err naming the file and entry. */
bool alerts_load(const config *cfg, char *err, size_t errlen);
void alerts_unload(void);
/* Registers the home, fact sheet and overdose hooks. */
bool alerts_register(void);

/* The templates as [{slug, label, sources}] and one template's alert (borrowed; NULL when none). */
json_t *alerts_template_list(void);
const json_t *alerts_template(const char *slug);

/* The template data of one alert's page (added to d): used by the public
 * page and the staff preview, so both show the same. */
void alerts_view_add(const request *rq, json_t *d, const alert_rec *a, const alert_version *v, int nv, int64_t now);
/* The alert's page in the public layout (template "alerts-show"); preview
 * adds the staff bar and marks it not public. */
void alerts_render(request *rq, response *rs, const alert_rec *a, const alert_version *v, int nv, bool preview);

/* Sets Last-Modified (last, unix seconds) and answers 304 when the
 * request's If-Modified-Since (without If-None-Match) is not older.
 * True when the 304 is the answer. */
bool alerts_conditional(request *rq, response *rs, int64_t last);
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") into unix seconds; also
 * the obsolete RFC 850 and asctime forms, as RFC 9110 asks. */
bool alerts_http_date(const char *s, int64_t *t);

void alerts_index(request *rq, response *rs);
void alerts_show(request *rq, response *rs);
void alerts_atom(request *rq, response *rs);
void alerts_photo(request *rq, response *rs);

#endif
