/* selfcheck_pages: /self-check (the list) and /self-check/<slug> (the form
 * on GET, the scored result on POST). Answers travel in a form post with
 * no cookie; the response is no-store; nothing is written anywhere. */
#ifndef WP_SELFCHECK_PAGES_H
#define WP_SELFCHECK_PAGES_H

#include "http/http.h"

void selfcheck_index(request *rq, response *rs);
void selfcheck_form(request *rq, response *rs);

#endif
