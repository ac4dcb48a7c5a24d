/* fuzz_json_canon: libFuzzer harness for the canonical JSON writer
 * (src/core/json_canon.c). Input that jansson parses (any value, NUL
 * bytes in strings allowed) is written both ways: json_canon must give
 * exactly the bytes of jansson's json_dumps with JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY, or both must
 * refuse; a difference aborts. */
#include "core/json_canon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!v)
        return 0;
    char *want = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
    char *got = json_canon(v);
    if ((want == NULL) != (got == NULL) || (want && strcmp(want, got)))
        abort();
    free(want);
    free(got);
    json_decref(v);
    return 0;
}
