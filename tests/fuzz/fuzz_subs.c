/* fuzz_subs: libFuzzer harness for what the subscription pages take from
 * people and gateways (src/community/subs.c): the email and phone checks,
 * the ZIP list of the form (subs_parse_areas), the SMS stop words, and the
 * matcher over an alert document parsed from the same bytes as JSON.
 *
 * Whatever is accepted must be normalised (an email keeps one @, a phone
 * is + and 8 to 15 digits, areas are 1 to SUBS_AREAS_MAX five-digit keys);
 * nothing may crash or leak. */
#include "community/subs.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_phone(const char *s)
{
    char out[32];
    if (!subs_check_phone(s, out, sizeof(out)))
        return;
    size_t n = strlen(out);
    if (out[0] != '+' || n < 9 || n > 16 || strspn(out + 1, "0123456789") != n - 1)
        abort();
}

static void check_email(const char *s)
{
    char out[300];
    if (!subs_check_email(s, out, sizeof(out)))
        return;
    const char *at = strchr(out, '@');
    if (!at || strchr(at + 1, '@') || strpbrk(out, " <>\r\n"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_phone(s);
    check_email(s);
    (void)subs_is_stop_word(s);
    (void)subs_is_spanish_word(s);
    char why[200];
    const char *field = NULL;
    const char *slugs[2] = {s, "downtown"};
    json_t *areas = subs_parse_areas(0, NULL, 0, s, why, sizeof(why), &field);
    if (areas) {
        size_t n = json_array_size(areas);
        if (n < 1 || n > SUBS_AREAS_MAX)
            abort();
    } else {
        areas = json_pack("[s,s]", "97214", "downtown");
    }
    json_decref(subs_parse_areas(0, slugs, 2, NULL, why, sizeof(why), &field));
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (doc) {
        (void)subs_matches(doc, areas);
        json_decref(doc);
    }
    json_decref(areas);
    free(s);
    return 0;
}
