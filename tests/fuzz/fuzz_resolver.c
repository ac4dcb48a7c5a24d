/* fuzz_resolver: libFuzzer harness for the combination checker's name
 * handling (src/substances/matrix.c, combos.c): the input, split on
 * newlines, is a list of names typed by a person. Each goes through
 * matrix_resolve and matrix_suggest; the list goes through combos_collect
 * and combos_check. Checks: a resolved index is in range and resolving the
 * substance's own slug gives it back; suggestions are distinct and in
 * range; the checker either refuses with a message or returns one pair
 * for each distinct couple of the resolved substances (a substance named
 * twice gives its self cell once), at most n(n-1)/2. Run from the
 * repository root (it loads
 * the folder data/interactions/ once). */
#include "substances/combos.h"
#include "substances/matrix.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static matrix *m;

/* How many distinct unordered couples {a, b} (a == b allowed) the
 * resolved names make: what the checker must list. */
static size_t distinct_couples(char queries[][128], int n)
{
    int subs[COMBOS_MAX], seen[COMBOS_MAX * COMBOS_MAX][2];
    size_t count = 0;
    for (int i = 0; i < n; i++)
        subs[i] = matrix_resolve(m, queries[i]);
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++) {
            int a = subs[i] < subs[k] ? subs[i] : subs[k], b = subs[i] < subs[k] ? subs[k] : subs[i];
            bool dup = false;
            for (size_t q = 0; q < count && !dup; q++)
                dup = seen[q][0] == a && seen[q][1] == b;
            if (!dup) {
                seen[count][0] = a;
                seen[count][1] = b;
                count++;
            }
        }
    return count;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    if (!matrix_load("data/interactions", "911", &m, err, sizeof(err))) {
        fprintf(stderr, "fuzz_resolver: %s (run from the repository root)\n", err);
        abort();
    }
    return 0;
}

static void check_name(const char *q)
{
    int i = matrix_resolve(m, q);
    if (i < -1 || i >= m->nsubs)
        abort();
    if (i >= 0 && matrix_resolve(m, m->subs[i].slug) != i)
        abort();
    int out[3];
    int n = matrix_suggest(m, q, out, 3);
    if (n < 0 || n > 3)
        abort();
    for (int a = 0; a < n; a++) {
        if (out[a] < 0 || out[a] >= m->nsubs)
            abort();
        for (int b = 0; b < a; b++)
            if (out[a] == out[b])
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *values[8];
    int nv = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && nv < 8; line = strtok_r(NULL, "\n", &save)) {
        check_name(line);
        values[nv++] = line;
    }
    char queries[COMBOS_MAX + 1][128];
    int n = combos_collect(values, nv, queries, COMBOS_MAX + 1);
    combo_error e;
    json_t *r = combos_check(m, queries, n, &e);
    if (r) {
        size_t np = json_array_size(json_object_get(r, "pairs"));
        if (n < 2 || n > COMBOS_MAX || np != distinct_couples(queries, n))
            abort();
        json_decref(r);
    } else if (!e.message[0]) {
        abort();
    }
    free(text);
    return 0;
}
