/* report: anonymous community drug reports (/report, issue 14), the pure
 * part: what the form may hold, the check that turns what a person typed
 * into what is stored, and the masking of phone numbers and email
 * addresses in free text. No I/O here (report_store.c has the SQL,
 * report_pages.c the pages), so tests and the fuzz harness call it
 * directly.
 *
 * Fields (the form's names): sold_as, seemed, effects (repeatable, the
 * slugs of report_effects), note, area (a ZIP or an area's slug, checked by
 * areas_check), when (today | yesterday | this-week), looked, staff (the
 * "I'm staff or outreach" box). Every text is trimmed, at most its limit in
 * characters (not bytes), without control characters other than newlines
 * and tabs in the note, and masked (report_mask) before it is stored. */
#ifndef WP_REPORT_H
#define WP_REPORT_H

#include "community/areas.h"
#include "core/tz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_SOLD_AS_MAX 100 /* characters */
#define REPORT_SEEMED_MAX 200
#define REPORT_LOOKED_MAX 300
#define REPORT_NOTE_MAX 1000
#define REPORT_EFFECTS_MAX 8   /* one of each choice at most */
#define REPORT_PROBLEMS_MAX 10
/* "this week" (not today, not yesterday: 2 to 6 days ago) is stored as
 * the middle of that span. */
#define REPORT_THIS_WEEK_DAYS 4

typedef struct report_choice {
    const char *value, *label;
} report_choice;

/* The effects a person can tick, in the form's order. */
extern const report_choice report_effects[];
extern const size_t report_neffects;
/* The choices of "when", in the form's order. */
extern const report_choice report_whens[];
extern const size_t report_nwhens;
/* The label of an effect slug, or the slug itself when unknown. */
const char *report_effect_label(const char *slug);

/* What the form sent (any may be NULL: not given). */
typedef struct report_in {
    const char *sold_as, *seemed, *note, *area, *when, *looked;
    const char *const *effects; /* neffects values */
    size_t neffects;
    bool staff;
    int lang; /* the language the problems are written in (core/i18n.h; 0 English) */
} report_in;

/* What is stored: every string malloc'd (report_clean_free), texts masked
 * and trimmed, "" when not given. */
typedef struct report_clean {
    char *sold_as, *seemed, *note, *looked;
    char effects[160];          /* slugs joined by ',' in the form's order */
    char area[AREA_KEY_MAX];
    char day[11];               /* YYYY-MM-DD, the site's day the use happened */
    bool staff;
} report_clean;

typedef struct report_problem {
    const char *field; /* the form's name of the field */
    char message[320];
} report_problem;

typedef struct report_problems {
    report_problem items[REPORT_PROBLEMS_MAX];
    int n;
} report_problems;

/* Checks in against the limits and turns it into out (which is always
 * filled and must be freed with report_clean_free). now is the time of
 * the report and z the site's zone (NULL: UTC) for "today". True when
 * there is no problem; otherwise false with each problem named by its
 * field in pr (the first per field). Nothing that names a person is
 * required: a report needs an area, a when, and at least one of sold_as,
 * seemed, an effect, the note or looked. */
bool report_check(const report_in *in, int64_t now, const tz *z, report_clean *out, report_problems *pr);
void report_clean_free(report_clean *c);

/* Masks what looks like an email address ("[email removed]") or a phone
 * number ("[phone removed]": 7 to 15 digits written with spaces, dots,
 * dashes, brackets or a leading +; dates such as 2026-12-04 and shorter
 * numbers such as ZIP codes, doses and pill stamps are kept) in the n
 * bytes of s. Returns a new NUL-terminated string (free); never NULL. */
char *report_mask(const char *s, size_t n);

/* The number of characters (UTF-8 code points) in s. */
size_t report_chars(const char *s);

#endif
