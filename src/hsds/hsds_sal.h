/* hsds_sal: the HSDS 3.0 JSON objects the API builds from a stored listing:
 * a service in list form (its one-to-one fields) and a
 * service_at_location with its location and service. Pure JSON work on
 * the stored documents; no SQL. */
#ifndef WP_HSDS_SAL_H
#define WP_HSDS_SAL_H

#include "hsds/hsds_store.h"
#include "core/json_span.h"

#include <jansson.h>
#include <stdbool.h>

/* A service with only its one-to-one fields (arrays left out), as the HSDS
 * list responses give it. A new reference. */
json_t *hsds_sal_service_brief(json_t *svc);

/* An HSDS service_at_location for a listing: id, service_id, location_id,
 * the stored location and the service (one-to-one fields in lists; full,
 * less its service_at_locations, with full). With full, the link's own
 * phones, schedules, contacts and attributes too. km >= 0 adds "distance"
 * (whole metres, a Waypost extension). */
json_t *hsds_sal_object(const hsds_listing *l, bool full, double km);

/* The list form (not full, no distance) as compact JSON text, the way
 * dir_sal_brief stores it (hsds_sal_brief_of on the stored copies);
 * malloc'd, NULL when the documents do not parse. */
char *hsds_sal_brief_text(const hsds_listing *l);

/* The same text from parsed documents: svc the service, link its
 * service_at_location sal_id (NULL when it has none), loc the location
 * document stored for it. Every object is written with its keys sorted,
 * as the stored text is, so an import's record in hand gives the bytes the
 * stored copies give, and both the bytes of hsds_sal_object(l, false, -1)
 * as compact ASCII JSON. Malloc'd. */
char *hsds_sal_brief_of(json_t *svc, json_t *link, const char *sal_id, const char *service_id, const char *location_id,
                        json_t *loc);

/* The same bytes read out of the dumped texts instead (json_span.h): svc
 * the members of the service's dump, link those of its
 * service_at_location's, loc the location's text inside it. NULL when
 * the texts do not have what hsds_sal_brief_of would read (an id that is
 * not a string or holds a NUL, say): the caller then uses it. */
char *hsds_sal_brief_of_text(const json_member *svc, int nsvc, const json_member *link, int nlink, json_span loc);

#endif
