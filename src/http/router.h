/* router: matches a method and decoded path against the static route
 * table it is given (the app's is routes.c). Matching is first-match in table order.
 *
 * router_match returns the index of the route, -1 when no pattern matches
 * the path (404), or -2 when a pattern matches but not the method (405; the
 * methods that would match are OR-ed into *allowed). */
#ifndef WP_ROUTER_H
#define WP_ROUTER_H

#include "http/http.h"

int router_match(const route *table, int n, unsigned method, const char *path, request *rq, unsigned *allowed);
/* Writes "GET, HEAD, POST" style text for a method mask. */
void router_allow_header(unsigned methods, char *out, size_t outlen);
/* The route table's own sanity check (patterns well formed); for tests. */
bool router_pattern_valid(const char *pattern);

#endif
