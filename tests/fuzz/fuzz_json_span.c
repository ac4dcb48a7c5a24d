/* fuzz_json_span: libFuzzer harness for reading parts of a dumped record
 * (src/core/json_span.c) and for what the importer builds from them
 * (hsds_prepare: a service's organization, locations and briefs).
 *
 * Any bytes: the scanner gives members or elements or refuses, and the
 * nested copies db/nested_doc.c finds are found or not, never
 * reading past the input (an exact-size copy, so ASan sees it). Bytes that
 * parse as a JSON object are prepared as a record, and every part read
 * out of its dump must be the bytes of dumping that part of the parsed
 * record (hsds_prepare_dump, hsds_sal_brief_of); a difference aborts. */
#include "hsds/hsds_prepare.h"
#include "hsds/hsds_sal.h"
#include "core/json_span.h"
#include "db/nested_doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void same_or_abort(const char *got, const char *want)
{
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want)))
        abort();
}

static void check_record(json_t *svc)
{
    hsds_prepared p;
    hsds_prepare(&p, json_incref(svc), 1);
    json_t *org = json_object_get(svc, "organization");
    char *want = json_is_object(org) ? hsds_prepare_dump(org) : NULL;
    same_or_abort(p.org_raw, want);
    free(want);
    json_t *sals = json_object_get(svc, "service_at_locations");
    for (size_t i = 0; i < p.nsals; i++) {
        json_t *sal = json_array_get(sals, i), *loc = json_object_get(sal, "location");
        want = json_is_object(loc) ? hsds_prepare_dump(loc) : NULL;
        same_or_abort(p.loc_raw[i], want);
        free(want);
        if (!p.brief[i])
            continue;
        want = hsds_sal_brief_of(svc, sal, json_string_value(json_object_get(sal, "id")),
                                 json_string_value(json_object_get(svc, "id")),
                                 json_string_value(json_object_get(loc, "id")), loc);
        same_or_abort(p.brief[i], want);
        free(want);
    }
    hsds_prepared_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    json_span s = {copy, size};
    json_member m[64];
    json_span el[64], v;
    (void)json_span_members(s, m, 64);
    (void)json_span_elements(s, el, 64);
    (void)json_span_get(s, "id", &v);
    const char *found = NULL;
    size_t n = 0;
    (void)nested_doc_location(copy, size, "id", &found, &n);
    (void)nested_doc_organization(copy, size, &found, &n);
    free(copy);
    json_t *svc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(svc))
        check_record(svc);
    json_decref(svc);
    return 0;
}
