/* pages: the generic page handlers: the home page,
 * every Markdown page (the catch-all route), and site search. */
#ifndef WP_PAGES_H
#define WP_PAGES_H

#include "content/content.h"
#include "http/http.h"

#include <jansson.h>

void pages_home(request *rq, response *rs);

/* Sets summary, html, reviewed, sources and has_sources on d from page p:
 * for feature pages whose intro is a content page (/recovery, /data ...). */
void pages_add_intro(json_t *d, const page *p);
/* Says on d that its page is shown in English on a page of another
 * language: "untranslated" (the template's note), "content_lang" and
 * "include_lang" (the lang of its text and of its included page). */
void pages_mark_untranslated(json_t *d);
/* The page named by p's "include:" front matter (if any) as "include_html"
 * and "include_title" in d, its sources added to d's "sources" list; call
 * after pages_add_intro. c must outlive d's rendering. */
void pages_add_include(json_t *d, const content_set *c, const page *p);
void pages_content(request *rq, response *rs);
void pages_search(request *rq, response *rs);

#endif
