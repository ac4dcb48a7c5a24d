/* api: JSON responses for the /api/ routes. */
#ifndef WP_API_H
#define WP_API_H

#include "http/http.h"

#include <jansson.h>

/* Writes root (reference stolen) as the body with status; when it cannot
 * be written (out of memory, root NULL) the answer is a 500 JSON error. */
void api_send(response *rs, int status, json_t *root);
/* {"error": {"status", "title", "message", ...extra}}; extra (may be NULL,
 * reference stolen) is merged into the error object. */
void api_error(response *rs, int status, const char *message, json_t *extra);

/* The answer's language: the "lang" parameter ("es", "es-MX") when given,
 * else the Accept-Language header's choice, else English (also for an
 * unknown "lang"); said in Content-Language, with Vary: Accept-Language.
 * The route's spec must allow "lang". */
int api_lang(const request *rq, response *rs);

#endif
