/* test_ratelimit: unit tests for src/http/ratelimit.c, the in-memory
 * per-client limit: a client gets exactly its budget per window, a new
 * window starts afresh, clients do not share a budget, and the wait it
 * reports is the rest of the window. */
#include "http/ratelimit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "wp_test.h"

static void budget_per_window(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(3, 60);
    int wait = -1;
    for (int i = 0; i < 3; i++)
        assert_true(ratelimit_allow(rl, "192.0.2.1", 1000, &wait));
    assert_false(ratelimit_allow(rl, "192.0.2.1", 1010, &wait));
    assert_int_equal(wait, 50);
    assert_true(ratelimit_allow(rl, "192.0.2.2", 1010, NULL)); /* another client */
    assert_false(ratelimit_allow(rl, "192.0.2.1", 1059, NULL));
    assert_true(ratelimit_allow(rl, "192.0.2.1", 1060, NULL)); /* a new window */
    ratelimit_free(rl);
}

static void many_clients(void **state)
{
    (void)state;
    ratelimit *rl = ratelimit_new(1, 3600);
    char addr[64];
    int refused = 0;
    for (int i = 0; i < 500; i++) {
        snprintf(addr, sizeof(addr), "2001:db8::%x", i);
        assert_true(ratelimit_allow(rl, addr, 5000, NULL)); /* each client's first event */
    }
    for (int i = 0; i < 500; i++) {
        snprintf(addr, sizeof(addr), "2001:db8::%x", i);
        refused += !ratelimit_allow(rl, addr, 5001, NULL);
    }
    assert_true(refused >= 490); /* 500 clients in 1,024 sets of 4: an eviction is rare, ten are next to impossible */
    ratelimit_free(rl);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(budget_per_window),
        cmocka_unit_test(many_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
