/* hooks: how a feature adds to pages it does not own, so the generic page
 * layer names no feature. A page names slots; at start (before serving) a
 * feature registers a function for a slot; when the page is built, every
 * function registered for each of its slots runs, in registration order,
 * and may add keys to the template data or pick another template.
 *
 * Slots the pages name today:
 *   "home"              the home page (after its intro is set)
 *   "page:SECTION"      every Markdown page of a section ("page:substances")
 *   "path:PATH"         one Markdown page by its path ("path:/overdose")
 *   "staff:home"        the staff overview (/staff): ctx->p is NULL; a
 *                       feature adds what staff should see first (the
 *                       spike detector's flags of the last week)
 *   "search"            site search (/search?q=...): ctx->p is NULL and
 *                       the data's "q" is what was typed; a feature whose
 *                       tool answers it (a place -> the finder, two drugs ->
 *                       the checker) calls hooks_offer
 *
 * The table is written only at start (hooks_add) and cleared at stop, so
 * requests read it without a lock. */
#ifndef WP_HOOKS_H
#define WP_HOOKS_H

#include "content/content.h"
#include "http/http.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct page_ctx {
    const request *rq;
    const page *p;   /* the Markdown page, or NULL (a home page without intro) */
    json_t *data;    /* the template data: hooks add keys here */
    char tmpl[64];   /* the template to render; a hook may choose another */
    bool cacheable;  /* a hook whose output changes between snapshots clears it */
} page_ctx;

typedef void (*page_hook_fn)(page_ctx *ctx);

/* Registers fn for slot (copied). False when the table is full (a
 * programming error: the caller stops the start). */
bool hooks_add(const char *slot, page_hook_fn fn);
/* Runs the functions registered for slot. */
void hooks_run(const char *slot, page_ctx *ctx);
/* Runs the slots a Markdown page has: "page:<section>" then "path:<path>". */
void hooks_run_page(page_ctx *ctx);
/* Offers a tool on the search page: appends {title, href, text, rank} to
 * the data's "tools"; the page shows them above the results, lowest rank
 * first (0 is kept for the overdose steps, which the page itself adds). */
void hooks_offer(page_ctx *ctx, int rank, const char *title, const char *href, const char *text);
/* The query a "search" hook answers ("" when none). */
const char *hooks_query(const page_ctx *ctx);
/* How many functions are registered for slot (for tests). */
int hooks_count(const char *slot);
void hooks_clear(void);

#endif
