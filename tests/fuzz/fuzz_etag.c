/* fuzz_etag: libFuzzer harness for If-None-Match matching (etag_matches
 * in src/core/gz.c), which every conditional GET runs on a header the
 * client wrote. The input's first line is our ETag, the rest the header.
 * Checks against a plain reference (split at commas, trim spaces and
 * tabs, drop a leading W/, compare whole members; a member starting with
 * "*" matches anything): the two always agree, and nothing is read past
 * the header's end (ASan). */
#include "core/gz.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool reference(const char *inm, const char *etag)
{
    if (!*inm)
        return false;
    char *copy = strdup(inm), *save = NULL;
    bool hit = false;
    for (char *m = strtok_r(copy, ",", &save); m && !hit; m = strtok_r(NULL, ",", &save)) {
        while (*m == ' ' || *m == '\t')
            m++;
        if (*m == '*') {
            hit = true;
            break;
        }
        if (m[0] == 'W' && m[1] == '/')
            m += 2;
        size_t len = strlen(m);
        while (len && (m[len - 1] == ' ' || m[len - 1] == '\t'))
            len--;
        hit = len == strlen(etag) && memcmp(m, etag, len) == 0;
    }
    free(copy);
    return hit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    memcpy(in, data, size);
    in[size] = '\0';
    if (strlen(in) != size || !memchr(in, '\n', size)) {
        free(in);
        return 0;
    }
    char *nl = strchr(in, '\n');
    *nl = '\0';
    const char *etag = in, *inm = nl + 1;
    /* our ETags never hold a comma or start with W/ or *, nor are empty */
    if (!*etag || strchr(etag, ',') || etag[0] == '*' || (etag[0] == 'W' && etag[1] == '/') || etag[0] == ' ' ||
        etag[0] == '\t' || etag[strlen(etag) - 1] == ' ' || etag[strlen(etag) - 1] == '\t') {
        free(in);
        return 0;
    }
    char *exact = malloc(strlen(inm) + 1); /* a heap copy of exactly its size, so ASan sees an overread */
    memcpy(exact, inm, strlen(inm) + 1);
    if (etag_matches(exact, etag) != reference(exact, etag))
        abort();
    free(exact);
    free(in);
    return 0;
}
