/* content_pages: the HTML handlers of the content feature: the home page,
 * every Markdown page (the catch-all route), and site search. */
#ifndef WP_CONTENT_PAGES_H
#define WP_CONTENT_PAGES_H

#include "http/http.h"

void content_home(request *rq, response *rs);
void content_page(request *rq, response *rs);
void content_search(request *rq, response *rs);

#endif
