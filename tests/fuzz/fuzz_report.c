/* fuzz_report: libFuzzer harness for the community drug report's check and
 * masking (report_check and report_mask in src/community/report.c).
 *
 * The input is the form's fields separated by 0x1F: sold_as, seemed, note,
 * area, when, looked, then the effect choices separated by commas (and a
 * last byte's low bit as the staff box). Masking must be total (any bytes,
 * NULs included) and idempotent: masking masked text changes nothing, so
 * no placeholder can make a new number or address. The check must either
 * accept (with a day, an area key and texts no longer than their limit
 * allows once masked) or name each problem by one of the form's fields. */
#include "community/report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NFIELDS 7

static void check_mask(const char *s, size_t n)
{
    char *once = report_mask(s, n);
    char *twice = report_mask(once, strlen(once));
    if (strcmp(once, twice))
        abort();
    free(once);
    free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 20000)
        return 0;
    check_mask((const char *)data, size);
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *f[NFIELDS] = {"", "", "", "", "", "", ""};
    char *p = copy;
    for (int i = 0; i < NFIELDS && p; i++) {
        f[i] = p;
        p = strchr(p, 0x1F);
        if (p)
            *p++ = '\0';
    }
    const char *effects[REPORT_EFFECTS_MAX + 2];
    size_t ne = 0;
    for (char *e = (char *)f[6]; *e && ne < REPORT_EFFECTS_MAX + 2;) {
        effects[ne++] = e;
        char *comma = strchr(e, ',');
        if (!comma)
            break;
        *comma = '\0';
        e = comma + 1;
    }
    report_in in = {f[0], f[1], f[2], f[3], f[4], f[5], effects, ne, size && (data[size - 1] & 1), 0};
    report_clean c;
    report_problems pr;
    bool ok = report_check(&in, 1796385600, NULL, &c, &pr);
    static const char *const fields[] = {"sold_as", "seemed", "note", "area", "when", "looked", "effects"};
    if (ok) {
        if (pr.n || strlen(c.day) != 10 || !c.area[0] || !c.sold_as || !c.note)
            abort();
    } else {
        if (pr.n < 1 || pr.n > REPORT_PROBLEMS_MAX)
            abort();
        for (int i = 0; i < pr.n; i++) {
            bool known = false;
            for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
                known |= !strcmp(fields[k], pr.items[i].field);
            if (!known || !pr.items[i].message[0])
                abort();
        }
    }
    report_clean_free(&c);
    free(copy);
    return 0;
}
