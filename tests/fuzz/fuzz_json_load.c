/* fuzz_json_load: libFuzzer harness for the fast JSON parser
 * (src/core/json_load.c). Whatever json_load_fast_only takes, jansson's
 * json_loadb with JSON_REJECT_DUPLICATES must take too and give the same
 * tree (json_equal, and the same text dumped in key order, reals to 17
 * digits); and json_load_fast must answer exactly as jansson does. A
 * difference aborts. */
#include "core/json_load.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FLAGS (JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17))

static void same_tree(const json_t *a, const json_t *b)
{
    if (!a || !b || !json_equal(a, b))
        abort();
    char *x = json_dumps(a, DUMP_FLAGS), *y = json_dumps(b, DUMP_FLAGS);
    if (!x || !y || strcmp(x, y))
        abort();
    free(x);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_t *ref = json_loadb(text, size, JSON_REJECT_DUPLICATES, NULL);
    json_t *fast = json_load_fast_only(text, size);
    if (fast)
        same_tree(fast, ref);
    json_error_t err;
    json_t *either = json_load_fast(text, size, &err);
    if ((either == NULL) != (ref == NULL))
        abort();
    if (either)
        same_tree(either, ref);
    json_decref(either);
    json_decref(fast);
    json_decref(ref);
    return 0;
}
