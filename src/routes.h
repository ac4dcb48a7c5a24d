/* routes: the application's route table (routes.c), which `serve` hands to
 * the server. */
#ifndef WP_ROUTES_H
#define WP_ROUTES_H

#include "http/http.h"

extern const route routes[];
extern const int routes_count;

#endif
