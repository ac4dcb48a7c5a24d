/* combos_api: GET /api/v1/combos and GET /api/v1/substances. */
#ifndef WP_COMBOS_API_H
#define WP_COMBOS_API_H

#include "http/http.h"

void combos_api_check(request *rq, response *rs);
void combos_api_substances(request *rq, response *rs);

#endif
