/* service_brief: a service's one-to-one fields (hsds_sal_service_brief's
 * object: every top-level member whose value is not an array) cut out of
 * the stored document's text without parsing the rest. The API's service
 * lists used to parse each whole document (up to 40 KB, its schedules,
 * locations and terms) with jansson to keep a few hundred bytes of it. */
#ifndef WP_SERVICE_BRIEF_H
#define WP_SERVICE_BRIEF_H

#include "core/buf.h"

#include <stdbool.h>

/* Appends to out the JSON object holding the members of the object raw
 * (JSON text) whose values are not arrays, in their order, each member's
 * text as it is in raw. False when raw is not one JSON object this reader
 * follows (out then holds partial text); the caller parses it instead. */
bool service_brief_text(const char *raw, buf *out);

#endif
