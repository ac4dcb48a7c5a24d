/* hsds_fields: the members of a service record that its import reads,
 * copied out of the parsed record into one small block. The reader thread
 * (hsds_prepare) makes them, so the writer thread reads a few hundred
 * packed bytes instead of looking members up in a tree whose nodes were
 * made on the other core: those lookups, each a chain of cache misses,
 * were about a sixth of the writer's time at a million services.
 *
 * A string is NULL where the member is absent or not a string, as
 * json_string_value(json_object_get(o, key)) reads it; a list's entries
 * are read as objects whatever they are (a non-object's members are all
 * absent), so the importer's checks and messages stay its own. */
#ifndef WP_HSDS_FIELDS_H
#define WP_HSDS_FIELDS_H

#include "core/arena.h"
#include "core/json_span.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The longest list of listings or attributes read: a longer one is said
 * to be so (too_long) and read as empty, rather than the copy outgrowing
 * its arena. */
#define HSDS_FIELDS_MAX_LIST 1000000

/* What a location's latitude or longitude member is. */
typedef enum { HSDS_COORD_ABSENT, HSDS_COORD_NULL, HSDS_COORD_NUMBER, HSDS_COORD_OTHER } hsds_coord;

typedef struct hsds_term_fields {
    const char *id, *name, *code, *taxonomy, *taxonomy_id, *parent_id;
    /* the term as stored: compact, keys sorted, ASCII, null members left
     * out (HSDS has no null fields); NULL when it could not be made */
    const char *text;
} hsds_term_fields;

typedef struct hsds_attr_fields {
    bool has_term; /* taxonomy_term is an object, read into term */
    hsds_term_fields term;
    const char *term_id; /* taxonomy_term_id */
} hsds_attr_fields;

typedef struct hsds_sal_fields {
    const char *id, *location_id;
    json_t *location; /* the nested location when an object (borrowed from the record), else NULL */
    const char *loc_id, *loc_name, *postal; /* its id, name and first address's postal_code */
    hsds_coord lat_kind, lon_kind;
    double lat, lon; /* when a number */
} hsds_sal_fields;

typedef struct hsds_fields {
    const char *id, *name, *status;
    const char *alternate_name, *description; /* for the search index */
    bool sals_not_list, attrs_not_list; /* present and not an array */
    bool sals_too_long, attrs_too_long; /* more than HSDS_FIELDS_MAX_LIST entries */
    json_t *org; /* the nested organization when an object (borrowed), else NULL */
    const char *organization_id, *org_id, *org_name;
    const char *source, *source_date; /* the first metadata entry with both updated_by and last_action_date; "" */
    size_t nsals, nattrs;
    hsds_sal_fields *sals;
    hsds_attr_fields *attrs;
} hsds_fields;

/* Fills f from the service object svc, with everything it points to but
 * the borrowed members in a (freed with it). top: the members of svc's
 * dump (hsds_prepare_dump, json_span.h), ntop of them, from which the
 * terms' texts are read where they can be; NULL: they are written out. */
void hsds_fields_of(hsds_fields *f, arena *a, json_t *svc, const json_member *top, int ntop);
/* The same for a taxonomy term t (a taxonomy file's). */
void hsds_term_fields_of(hsds_term_fields *f, arena *a, json_t *t);

#endif
