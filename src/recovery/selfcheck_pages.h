/* selfcheck_pages: /self-check (the list) and /self-check/<slug> (the form
 * on GET, the scored result on POST). Answers travel in a form post with
 * no cookie; the response is no-store; nothing is written anywhere. */
#ifndef WP_SELFCHECK_PAGES_H
#define WP_SELFCHECK_PAGES_H

#include "http/http.h"

#include <stdbool.h>

void selfcheck_index(request *rq, response *rs);
void selfcheck_form(request *rq, response *rs);
/* Registers the "search" page hook: a search about drinking or drug use
 * being a problem ("am I drinking too much") offers the self-checks. */
bool selfcheck_pages_register(void);

#endif
