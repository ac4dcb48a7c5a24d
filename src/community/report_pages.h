/* report_pages: the public form for anonymous community drug reports.
 *
 *   GET  /report          the form (templates/report.mustache)
 *   POST /report          a report: 303 to /report/thanks when stored; the
 *                         form again with 400 and each problem at its field
 *                         (values kept); 429 with Retry-After past the limit
 *   GET  /report/thanks   what happens next
 *
 * No JavaScript, no cookie, nothing about the sender stored. Spam is held
 * off without a third party: a honeypot field ("website", hidden from
 * people; a filled one is answered like a success and nothing is stored),
 * a form-render stamp ("started": the time the form was shown with a keyed
 * MAC made at start, so it cannot be forged; a form sent sooner than
 * [community] report_min_seconds after it, or a day later, comes back with
 * a fresh stamp) and [community] reports_per_hour per client address, kept
 * only in memory under a keyed hash (http/ratelimit.h). */
#ifndef WP_REPORT_PAGES_H
#define WP_REPORT_PAGES_H

#include "core/config.h"
#include "http/http.h"

#include <stdbool.h>
#include <stdint.h>

bool report_pages_load(const config *cfg, char *err, size_t errlen);
void report_pages_unload(void);

void report_form_page(request *rq, response *rs);
void report_form_submit(request *rq, response *rs);
void report_thanks_page(request *rq, response *rs);

/* The form stamp for time t ("T.MAC"), and its check: true when s is a
 * stamp this process made, with its time in *t. Exposed for the tests. */
void report_stamp(int64_t t, char *out, size_t n);
bool report_stamp_check(const char *s, int64_t *t);

#endif
