/* test_uuid: SHA-1 against the FIPS 180 vectors and uuid5 against Python's
 * uuid.uuid5, including the namespaces tools/convert_directories.py uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/uuid.h"
#include "wp_test.h"

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void sha1_is(const char *msg, size_t len, const char *want)
{
    unsigned char h[20];
    char got[41];
    sha1(msg, len, h);
    hex(h, 20, got);
    assert_string_equal(got, want);
}

static void sha1_vectors(void **state)
{
    (void)state;
    sha1_is("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_is("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1_is(m448, strlen(m448), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    /* a million 'a's, fed in uneven pieces */
    sha1_ctx c;
    sha1_init(&c);
    char as[997];
    memset(as, 'a', sizeof(as));
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof(as) ? left : sizeof(as);
        sha1_update(&c, as, n);
        left -= n;
    }
    unsigned char h[20];
    char got[41];
    sha1_final(&c, h);
    hex(h, 20, got);
    assert_string_equal(got, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void uuid5_vectors(void **state)
{
    (void)state;
    unsigned char dns[16], url[16], ns[16];
    assert_true(uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8", dns));
    assert_true(uuid_parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8", url));
    char out[37];
    uuid5(dns, "python.org", 10, out);
    assert_string_equal(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    /* The Waypost taxonomy id and a term id (data/taxonomy/waypost.json). */
    const char *t = "https://waypost.example/taxonomy";
    uuid5(url, t, strlen(t), out);
    assert_string_equal(out, "1ffc8755-6460-51ac-9673-4e3eee8feaae");
    assert_true(uuid_parse(out, ns));
    uuid5(ns, "naloxone", 8, out);
    assert_string_equal(out, "ace88573-f956-52ae-98fd-21e4b91ad5e7");
}

static void parse_rejects(void **state)
{
    (void)state;
    unsigned char u[16];
    assert_false(uuid_parse("", u));
    assert_false(uuid_parse(NULL, u));
    assert_false(uuid_parse("6ba7b8109dad-11d1-80b4-00c04fd430c8a", u));
    assert_false(uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430cg", u));
    assert_false(uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8 ", u));
    assert_true(uuid_parse("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", u));
    char out[37];
    uuid_format(u, out);
    assert_string_equal(out, "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_vectors),
        cmocka_unit_test(uuid5_vectors),
        cmocka_unit_test(parse_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
