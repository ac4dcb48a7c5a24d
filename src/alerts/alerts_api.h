/* alerts_api: the JSON API of local drug alerts (GET list and one alert,
 * public; POST, PUT, DELETE for staff tokens). See alerts_api.c and
 * data/openapi.json. */
#ifndef WP_ALERTS_API_H
#define WP_ALERTS_API_H

#include "http/http.h"

void alerts_api_list(request *rq, response *rs);
void alerts_api_get(request *rq, response *rs);
void alerts_api_create(request *rq, response *rs);
void alerts_api_update(request *rq, response *rs);
void alerts_api_delete(request *rq, response *rs);

#endif
