/* fuzz_hours: libFuzzer harness for opening hours (src/locator/hours.c).
 *
 * The input is parsed as JSON: an HSDS schedule object or an array of them
 * (at most 200), added to an hours in New York, Lord Howe or UTC (chosen
 * by the input's length). Checks: a refused schedule comes with a reason
 * and adds nothing; an accepted one adds rules or one closure with values
 * in range. Then the status at fixed instants (ordinary days and both DST
 * days) and one spelled by the input: a known text that fits; UNKNOWN
 * exactly when there are no rules; and next_change is exact: the state is
 * the same one second before it and different at it. The week summary
 * gives at most 7 non-empty lines that fit. */
#include "locator/hours.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool text_ok(const hours_status *st)
{
    static const char *const known[] = {"Open now, closes ", "Open 24 hours", "Closed, opens ", "Closed today",
                                        "Closed, opening hours not known", "Hours not listed"};
    size_t n = strnlen(st->text, sizeof st->text);
    if (n == 0 || n >= sizeof st->text)
        return false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strncmp(st->text, known[i], strlen(known[i])) == 0)
            return (st->state == HOURS_OPEN) == (i < 2);
    return false;
}

static void check_status(const hours *h, int64_t now)
{
    hours_status st, before, at;
    hours_status_at(h, now, &st);
    if (!text_ok(&st) || (st.state == HOURS_UNKNOWN) != (h->nrules == 0))
        abort();
    if (st.next_change == 0)
        return;
    if (st.next_change <= now || st.next_change - now > 8 * 86400)
        abort();
    hours_status_at(h, st.next_change - 1, &before);
    hours_status_at(h, st.next_change, &at);
    if (before.state != st.state || at.state == st.state)
        abort();
}

static void check_added(const hours *h, const hours *old, bool ok, const char *err)
{
    if (!ok) {
        if (!err[0] || h->nrules != old->nrules || h->nclosures != old->nclosures)
            abort();
        return;
    }
    if (h->nrules == old->nrules && h->nclosures != old->nclosures + 1)
        abort();
    for (int i = old->nrules; i < h->nrules; i++) {
        const hours_rule *r = &h->rules[i];
        if (r->wday < 0 || r->wday > 6 || r->opens < 0 || r->opens > 1439 || r->closes < 1 || r->closes > 1440)
            abort();
    }
}

static void add_all(hours *h, json_t *root)
{
    size_t n = json_is_array(root) ? json_array_size(root) : 1;
    for (size_t i = 0; i < n && i < 200; i++) {
        json_t *s = json_is_array(root) ? json_array_get(root, i) : root;
        char err[128] = "";
        int nrules = h->nrules, nclosures = h->nclosures;
        hours old = {.nrules = nrules, .nclosures = nclosures};
        bool ok = hours_add_hsds(h, s, err, sizeof err);
        check_added(h, &old, ok, err);
    }
}

static void check_summary(const hours *h, int64_t now)
{
    char lines[7][64];
    int n = hours_week_summary_at(h, now, lines, 7);
    if (n < 0 || n > 7)
        abort();
    for (int i = 0; i < n; i++)
        if (strnlen(lines[i], 64) == 0 || strnlen(lines[i], 64) == 64)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const zones[] = {"America/New_York", "Australia/Lord_Howe", NULL};
    static const int64_t when[] = {1717599600, 1717632000, 1710050400, 1710055800, 1710059400,
                                   1730611800, 1730615400, 1728142200, 1735707600};
    json_error_t jerr;
    json_t *root = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &jerr);
    if (!root)
        return 0;
    const char *name = zones[size % 3];
    hours *h = malloc(sizeof *h);
    if (!h)
        abort();
    hours_init(h, name ? tz_get(name) : NULL);
    add_all(h, root);
    for (size_t i = 0; i < sizeof when / sizeof when[0]; i++)
        check_status(h, when[i]);
    check_status(h, 1700000000 + (int64_t)(size * 7919 % 40000000));
    check_summary(h, when[0]);
    check_summary(h, when[2]);
    free(h);
    json_decref(root);
    return 0;
}
