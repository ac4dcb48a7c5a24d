/* test_map_cache: the finder's results maps kept per search
 * (src/locator/map_cache.c). A map is found again only for the same
 * generation, language, place and pins in the same order; a key without a
 * generation is never kept; when all slots are full the least recently
 * used map is the one replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "locator/map_cache.h"
#include "wp_test.h"

static map_key key(long generation, int lang, double lat, uint32_t first)
{
    map_key k = {generation, lang, lat, -104.99, 3, {first, 7, 9}};
    return k;
}

static bool has(const map_key *k, const char *svg, int drawn)
{
    buf b = BUF_INIT;
    int d = -5;
    bool found = map_cache_get(k, &b, &d);
    if (found) {
        assert_string_equal(buf_cstr(&b), svg);
        assert_int_equal(d, drawn);
    }
    buf_free(&b);
    return found;
}

static void maps_are_found_by_their_whole_key(void **state)
{
    (void)state;
    map_cache_clear();
    map_key k = key(4, 0, 39.74, 1);
    assert_false(has(&k, "", 0));
    map_cache_put(&k, "<svg>one</svg>", 14, 3);
    assert_true(has(&k, "<svg>one</svg>", 3));
    map_key other[] = {key(5, 0, 39.74, 1), key(4, 1, 39.74, 1), key(4, 0, 39.75, 1), key(4, 0, 39.74, 2)};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        assert_false(has(&other[i], "", 0));
    map_key fewer = k;
    fewer.npins = 2;
    assert_false(has(&fewer, "", 0));
    map_key swapped = k; /* the same pins in another order are another map */
    swapped.ids[1] = 9;
    swapped.ids[2] = 7;
    assert_false(has(&swapped, "", 0));
    map_key none = key(-1, 0, 39.74, 1);
    map_cache_put(&none, "<svg/>", 6, 1);
    assert_false(has(&none, "", 0));
    map_key empty = key(4, 0, 39.74, 3); /* a map that showed nothing is kept too */
    map_cache_put(&empty, "", 0, 0);
    assert_true(has(&empty, "", 0));
    map_cache_put(&k, "<svg>two</svg>", 14, 2); /* the same key again replaces */
    assert_true(has(&k, "<svg>two</svg>", 2));
    map_cache_clear();
    assert_false(has(&k, "", 0));
}

static void the_least_recently_used_map_goes(void **state)
{
    (void)state;
    map_cache_clear();
    for (uint32_t i = 0; i < MAP_CACHE_SLOTS; i++) {
        map_key k = key(1, 0, 40, i + 100);
        map_cache_put(&k, "<svg/>", 6, 2);
    }
    map_key first = key(1, 0, 40, 100), second = key(1, 0, 40, 101);
    assert_true(has(&first, "<svg/>", 2)); /* used again: now the newest */
    map_key more = key(1, 0, 40, 999);
    map_cache_put(&more, "<svg>more</svg>", 15, 1);
    assert_true(has(&more, "<svg>more</svg>", 1));
    assert_true(has(&first, "<svg/>", 2));
    assert_false(has(&second, "", 0));
    for (uint32_t i = 2; i < MAP_CACHE_SLOTS; i++) {
        map_key k = key(1, 0, 40, i + 100);
        assert_true(has(&k, "<svg/>", 2));
    }
    map_cache_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_are_found_by_their_whole_key),
        cmocka_unit_test(the_least_recently_used_map_goes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
