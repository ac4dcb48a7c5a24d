/* fuzz_place: libFuzzer harness for the finder's "Where?" parser
 * (src/locator/places.c). The input, split on newlines, is what a person
 * typed. Each line goes through place_resolve. Checks: the status is one
 * of the enum's; a found place has a point on Earth and a label; a state,
 * when set, is one place_state_name knows; suggestions are at most
 * PLACE_MAX_SUGGEST, terminated, distinct, and each resolves to a found
 * place with that very label. Run from the repository root (it loads
 * data/geo/ once). */
#include "core/config.h"
#include "locator/locator.h"
#include "locator/places.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    config c;
    config_defaults(&c);
    char err[512];
    if (!locator_zips_load(&c, err, sizeof(err)) || !places_load(c.data_dir, err, sizeof(err))) {
        fprintf(stderr, "fuzz_place: %s (run from the repository root)\n", err);
        abort();
    }
    return 0;
}

static void check_result(const place_result *r)
{
    if (r->status < PLACE_FOUND || r->status > PLACE_UNREADABLE)
        abort();
    if (r->nsuggest < 0 || r->nsuggest > PLACE_MAX_SUGGEST)
        abort();
    if (memchr(r->label, '\0', sizeof(r->label)) == NULL || memchr(r->state, '\0', sizeof(r->state)) == NULL)
        abort();
    if (r->state[0] && !place_state_name(r->state))
        abort();
    if (r->status == PLACE_FOUND && (!r->label[0] || !isfinite(r->lat) || fabs(r->lat) > 90 || fabs(r->lon) > 180))
        abort();
}

static void check_line(const char *line)
{
    place_result r;
    place_resolve(line, &r);
    check_result(&r);
    for (int i = 0; i < r.nsuggest; i++) {
        if (memchr(r.suggest[i], '\0', PLACE_LABEL) == NULL)
            abort();
        for (int j = 0; j < i; j++)
            if (!strcmp(r.suggest[i], r.suggest[j]))
                abort();
        place_result again;
        place_resolve(r.suggest[i], &again);
        check_result(&again);
        if (again.status != PLACE_FOUND || strcmp(again.label, r.suggest[i]))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *save = NULL;
    int n = 0;
    for (char *line = strtok_r(text, "\n", &save); line && n < 8; line = strtok_r(NULL, "\n", &save), n++)
        check_line(line);
    free(text);
    return 0;
}
