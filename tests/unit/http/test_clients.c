/* test_clients: the trusted_proxies list and X-Forwarded-For (src/http/clients.c).
 * Addresses, IPv6 and prefixes parse; host names, bad prefixes and too many
 * entries are refused with the entry named; an address is inside a prefix
 * by its leading bits only; the client of an X-Forwarded-For value is the
 * right-most address that is not a trusted proxy (the left-most when every
 * one is), and a value with an entry right of the client that is not an
 * address gives none (what lies left of the client is never read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/clients.h"
#include "wp_test.h"

#include <string.h>

static void proxies_parse(void **state)
{
    (void)state;
    proxy_net n[4];
    char err[256];
    assert_int_equal(clients_parse_proxies("", n, 4, err, sizeof(err)), 0);
    assert_int_equal(clients_parse_proxies(" 127.0.0.1, ::1\t10.0.0.0/8 ", n, 4, err, sizeof(err)), 3);
    assert_int_equal(n[1].family, AF_INET6);
    assert_int_equal(n[2].prefix, 8);
    const char *bad[] = {"example.org", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/x", "1.2.3", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(clients_parse_proxies(bad[i], n, 4, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "trusted_proxies"));
    }
    assert_int_equal(clients_parse_proxies("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5", n, 4, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "too many"));
}

static void prefixes_match_leading_bits(void **state)
{
    (void)state;
    proxy_net n[3];
    char err[256];
    assert_int_equal(clients_parse_proxies("10.1.0.0/17, fd00::/8, 192.0.2.1", n, 3, err, sizeof(err)), 3);
    assert_true(clients_in_nets(n, 3, "10.1.127.255"));
    assert_false(clients_in_nets(n, 3, "10.1.128.0"));
    assert_true(clients_in_nets(n, 3, "fd12:3456::1"));
    assert_false(clients_in_nets(n, 3, "fe80::1"));
    assert_true(clients_in_nets(n, 3, "192.0.2.1"));
    assert_false(clients_in_nets(n, 3, "192.0.2.2"));
    assert_false(clients_in_nets(n, 3, "not an address"));
    assert_false(clients_in_nets(n, 0, "10.1.0.1"));
}

static void forwarded_for_takes_the_rightmost_untrusted(void **state)
{
    (void)state;
    proxy_net n[2];
    char err[256], out[64];
    assert_int_equal(clients_parse_proxies("127.0.0.1, 10.0.0.0/8", n, 2, err, sizeof(err)), 2);
    assert_true(clients_forwarded_for(n, 2, "203.0.113.9", out, sizeof(out)));
    assert_string_equal(out, "203.0.113.9");
    /* a client that sends its own header cannot choose its address */
    assert_true(clients_forwarded_for(n, 2, "6.6.6.6, 203.0.113.9", out, sizeof(out)));
    assert_string_equal(out, "203.0.113.9");
    assert_true(clients_forwarded_for(n, 2, "203.0.113.9 , 10.2.3.4,127.0.0.1", out, sizeof(out)));
    assert_string_equal(out, "203.0.113.9");
    assert_true(clients_forwarded_for(n, 2, "10.9.9.9, 127.0.0.1", out, sizeof(out)));
    assert_string_equal(out, "10.9.9.9");
    assert_true(clients_forwarded_for(n, 2, "2001:db8::7", out, sizeof(out)));
    assert_string_equal(out, "2001:db8::7");
    /* what lies left of the client was written by the client: not read */
    assert_true(clients_forwarded_for(n, 2, "junk, 1.2.3.4", out, sizeof(out)));
    assert_string_equal(out, "1.2.3.4");
    const char *bad[] = {"", ",", "203.0.113.9,", "unknown", "203.0.113.9, evil", "1.2.3.4, 127.0.0.1, x", NULL};
    for (int i = 0; bad[i]; i++)
        assert_false(clients_forwarded_for(n, 2, bad[i], out, sizeof(out)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(proxies_parse),
        cmocka_unit_test(prefixes_match_leading_bits),
        cmocka_unit_test(forwarded_for_takes_the_rightmost_untrusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
