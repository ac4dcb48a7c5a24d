/* fuzz_params: libFuzzer harness for query/form and Cookie parsing
 * (src/http/params.c), with the memory from an arena.
 *
 * The input is parsed as a query string with no allowed list, as one with
 * the list "q,page", and as a Cookie header. Checks on every result: when
 * refused there is a reason; when accepted there are at most PARAMS_MAX
 * pairs, every key and value is NUL-free valid UTF-8, lookups find what
 * was parsed, the filtered parse keeps only allowed keys and exactly the
 * pairs of the unfiltered one with those keys, and re-encoding the pairs
 * with esc_url and parsing again gives the same pairs (round trip).
 * Cookies: non-empty names without ';' or '=', no ';' in values. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "http/params.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_text(const char *s)
{
    if (!s || !utf8_valid(s, strlen(s)))
        abort();
}

/* The spec the filtered parse and the typed check use. */
static const param_spec spec[] = {
    {"q", PT_TEXT, 0, 200, NULL, NULL, 1, true},  {"page", PT_INT, 1, 1000, NULL, "1", 1, true},
    {"lat", PT_NUM, -90, 90, NULL, NULL, 1, false}, {"format", PT_CHOICE, 0, 0, "json|ndjson", NULL, 1, false},
    {"t", PT_TEXT, 0, 64, NULL, NULL, 16, false},  {"a*", PT_TEXT, 0, 16, NULL, NULL, 1, false},
    {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false},
};

/* The typed check never crashes and names a key the input has when it
 * refuses, with a message. */
static void check_typed(const params *f)
{
    const char *key = NULL;
    char why[256];
    if (params_check(f, spec, &key, why, sizeof(why)))
        return;
    if (!key || !why[0] || !params_get(f, key) || !param_spec_find(spec, key, strlen(key)))
        abort();
}

static void check_query(arena *a, const char *s, size_t n)
{
    params p, f, back;
    const char *why = NULL;
    enum params_result r = params_parse_query(a, s, n, NULL, &p, &why);
    if (r != PARAMS_OK) {
        if (r != PARAMS_BAD || !why || !*why)
            abort();
        /* a refusal is a refusal whatever the allowed list */
        why = NULL;
        if (params_parse_query(a, s, n, spec, &f, &why) == PARAMS_OK) {
            /* only "too many parameters" can depend on the list */
            if (p.count != PARAMS_MAX)
                abort();
        }
        return;
    }
    if (p.count > PARAMS_MAX)
        abort();
    for (size_t i = 0; i < p.count; i++) {
        check_text(p.items[i].key);
        check_text(p.items[i].value);
        if (!params_get(&p, p.items[i].key) || params_count(&p, p.items[i].key) == 0)
            abort();
    }

    /* filtered: the same pairs, minus the keys not allowed */
    why = NULL;
    if (params_parse_query(a, s, n, spec, &f, &why) != PARAMS_OK)
        abort();
    check_typed(&f);
    size_t k = 0;
    for (size_t i = 0; i < p.count; i++) {
        if (!param_spec_find(spec, p.items[i].key, strlen(p.items[i].key)))
            continue;
        if (k >= f.count || strcmp(f.items[k].key, p.items[i].key) || strcmp(f.items[k].value, p.items[i].value))
            abort();
        k++;
    }
    if (k != f.count)
        abort();

    /* round trip through esc_url */
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < p.count; i++) {
        if (i)
            buf_putc(&b, '&');
        esc_url(&b, p.items[i].key, strlen(p.items[i].key));
        buf_putc(&b, '=');
        esc_url(&b, p.items[i].value, strlen(p.items[i].value));
    }
    why = NULL;
    if (params_parse_query(a, buf_cstr(&b), b.len, NULL, &back, &why) != PARAMS_OK)
        abort();
    /* pairs with an empty key and value ("=" alone) come back; empty
     * pieces do not exist in p, so the counts must agree */
    if (back.count != p.count)
        abort();
    for (size_t i = 0; i < p.count; i++)
        if (strcmp(back.items[i].key, p.items[i].key) || strcmp(back.items[i].value, p.items[i].value))
            abort();
    buf_free(&b);
}

static void check_cookie(arena *a, const char *s, size_t n)
{
    params p;
    const char *why = NULL;
    enum params_result r = params_parse_cookie(a, s, n, &p, &why);
    if (r != PARAMS_OK) {
        if (!why || !*why)
            abort();
        return;
    }
    if (p.count > PARAMS_MAX)
        abort();
    for (size_t i = 0; i < p.count; i++) {
        check_text(p.items[i].key);
        check_text(p.items[i].value);
        if (!p.items[i].key[0] || strchr(p.items[i].key, ';') || strchr(p.items[i].key, '='))
            abort();
        if (strchr(p.items[i].value, ';'))
            abort();
        if (!params_get(&p, p.items[i].key))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    /* a private copy without a terminating NUL, so ASan sees overreads */
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    check_query(&a, s, size);
    check_cookie(&a, s, size);
    free(s);
    arena_free(&a);
    return 0;
}
