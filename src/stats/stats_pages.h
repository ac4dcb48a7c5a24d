/* stats_pages: /data, "understanding addiction through data": the US
 * overdose death trend, deaths by state, and the 1999-2015 long view by age
 * and state, each as an SVG chart with a visible data table and a CSV
 * download (/data/<name>.csv). */
#ifndef WP_STATS_PAGES_H
#define WP_STATS_PAGES_H

#include "http/http.h"

void stats_page(request *rq, response *rs);
void stats_csv(request *rq, response *rs);

#endif
