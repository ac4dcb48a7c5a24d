/* fuzz_opening_hours: libFuzzer harness for the CSV import's opening hours
 * parser (src/hsds/hsds_opening_hours.c).
 *
 * The input (up to 4 KiB, cut at its first NUL) is parsed. Checks: a refused
 * value comes with a reason; an accepted one has at most OH_MAX_SPANS spans
 * a day, each opening in 00:00..23:59 and closing in 00:00..24:00 at a
 * different time; and writing the week back out in the subset's own syntax
 * ("Mo 09:00-17:00; Tu off; ...") parses again to the same week. */
#include "hsds/hsds_opening_hours.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[7] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

static void check_week(const oh_week *w)
{
    for (int d = 0; d < 7; d++) {
        if (w->nspans[d] < 0 || w->nspans[d] > OH_MAX_SPANS)
            abort();
        for (int i = 0; i < w->nspans[d]; i++) {
            int o = w->span[d][i].opens, c = w->span[d][i].closes;
            if (o < 0 || o > 1439 || c < 0 || c > 1440 || o == c)
                abort();
        }
    }
}

/* The week in the subset's syntax. */
static void render(const oh_week *w, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (int d = 0; d < 7; d++) {
        n += (size_t)snprintf(out + n, outlen - n, "%s%s ", d ? "; " : "", NAMES[d]);
        if (!w->nspans[d])
            n += (size_t)snprintf(out + n, outlen - n, "off");
        for (int i = 0; i < w->nspans[d]; i++) {
            int o = w->span[d][i].opens, c = w->span[d][i].closes;
            n += (size_t)snprintf(out + n, outlen - n, "%s%02d:%02d-%02d:%02d", i ? "," : "", o / 60, o % 60,
                                  c / 60, c % 60);
        }
        if (n >= outlen)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[4097], err[300], again[7 * (4 + OH_MAX_SPANS * 12) + 64];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    oh_week w, w2;
    err[0] = 'x';
    if (!oh_parse(text, &w, err, sizeof err)) {
        if (!err[0] || err[0] == 'x')
            abort();
        return 0;
    }
    check_week(&w);
    render(&w, again, sizeof again);
    if (!oh_parse(again, &w2, err, sizeof err) || memcmp(w.nspans, w2.nspans, sizeof w.nspans))
        abort();
    for (int d = 0; d < 7; d++)
        for (int i = 0; i < w.nspans[d]; i++)
            if (w.span[d][i].opens != w2.span[d][i].opens || w.span[d][i].closes != w2.span[d][i].closes)
                abort();
    return 0;
}
