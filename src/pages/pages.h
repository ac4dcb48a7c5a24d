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
void pages_content(request *rq, response *rs);
void pages_search(request *rq, response *rs);

#endif
