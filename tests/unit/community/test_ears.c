/* test_ears: the spike detector's statistics on series whose values were
 * worked out by hand and with bench/spikes_ref.py (a separate Python
 * reimplementation): C1 and C2 means, sds and statistics, C3's running
 * sum, the minimum sigma against an all-zero baseline, the minimum count,
 * the EWMA's p-values for both smoothings, Student's t and the Poisson
 * tail, and the thresholds and levels each flag reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "community/ears.h"
#include "wp_test.h"

#include <math.h>
#include <string.h>

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) < (tol))

static void test_c1_known_series(void **state)
{
    (void)state;
    const double y[] = {5, 9, 4, 12, 7, 6, 8, 20};
    double m, sd, c;
    assert_true(ears_c12(y, 7, 0, 7, 1.0, &m, &sd, &c));
    NEAR(m, 7.285714285714286, 1e-9);
    NEAR(sd, 2.690370836538197, 1e-9);
    NEAR(c, 4.725848772076965, 1e-9);
    assert_false(ears_c12(y, 6, 0, 7, 1.0, &m, &sd, &c)); /* too short */
}

static void test_c2_c3_known_series(void **state)
{
    (void)state;
    const double y[] = {5, 9, 4, 12, 7, 6, 8, 10, 7, 15, 18, 25};
    ears_params p;
    ears_defaults(&p);
    double m, sd, c, c3;
    assert_true(ears_c12(y, 9, 2, 7, 1.0, &m, &sd, &c));
    NEAR(c, 2.867368917889394, 1e-9);
    assert_true(ears_c12(y, 10, 2, 7, 1.0, &m, &sd, &c));
    NEAR(m, 8.0, 1e-12);
    NEAR(sd, 2.6457513110645907, 1e-9);
    NEAR(c, 3.779644730092272, 1e-9);
    assert_false(ears_c3(y, 9, &p, &c3));
    assert_true(ears_c3(y, 11, &p, &c3));
    NEAR(c3, 10.225303062838371, 1e-9);

    p.methods = (1u << EARS_C1) | (1u << EARS_C2) | (1u << EARS_C3);
    ears_flag f[8];
    assert_int_equal(ears_detect(y, 12, 9, &p, f, 8), 0); /* C2 2.87 < 3.09 */
    int n = ears_detect(y, 12, 10, &p, f, 8);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].method, EARS_C2);
    assert_int_equal(f[0].level, EARS_RED);
    NEAR(f[0].expected, 8.0, 1e-12);
    NEAR(f[0].threshold, 8.0 + 3.090 * 2.6457513110645907, 1e-9);
    n = ears_detect(y, 12, 11, &p, f, 8);
    assert_int_equal(n, 3);
    assert_int_equal(f[0].method, EARS_C1);
    assert_int_equal(f[1].method, EARS_C2);
    assert_int_equal(f[2].method, EARS_C3);
    assert_int_equal(f[2].level, EARS_YELLOW);
    NEAR(f[2].stat, 10.225303062838371, 1e-9);
}

static void test_min_sigma_and_min_count(void **state)
{
    (void)state;
    ears_params p;
    ears_defaults(&p);
    p.methods = 1u << EARS_C1;
    double y[8] = {0};
    ears_flag f[4];
    y[7] = 3; /* 3 / 1 = 3.0, not over 3.09 */
    assert_int_equal(ears_detect(y, 8, 7, &p, f, 4), 0);
    y[7] = 4;
    assert_int_equal(ears_detect(y, 8, 7, &p, f, 4), 1);
    NEAR(f[0].expected, 0, 1e-12);
    NEAR(f[0].threshold, 3.090, 1e-12);
    /* a tiny minimum sigma would flag 2, but the minimum count holds it */
    p.min_sigma = 0.1;
    y[7] = 2;
    assert_int_equal(ears_detect(y, 8, 7, &p, f, 4), 0);
    p.min_count = 1;
    assert_int_equal(ears_detect(y, 8, 7, &p, f, 4), 1);
}

static void test_t_and_poisson(void **state)
{
    (void)state;
    NEAR(ears_t_cdf(2.0, 27), 0.972173786335979, 1e-9);
    NEAR(ears_t_cdf(-1.5, 10), 0.08225366322271815, 1e-9);
    NEAR(ears_t_cdf(3.0, 5), 0.984950376051265, 1e-9);
    NEAR(ears_t_cdf(0, 7), 0.5, 1e-12);
    NEAR(ears_t_quantile(0.972173786335979, 27), 2.0, 1e-6);
    NEAR(ears_poisson_sf(5, 1.0), 0.00365984682734366, 1e-12);
    NEAR(ears_poisson_sf(10, 4.5), 0.017092732899378515, 1e-12);
    NEAR(ears_poisson_sf(30, 20), 0.021818217525557237, 1e-12);
    NEAR(ears_poisson_sf(0, 3), 1.0, 1e-12);
    NEAR(ears_poisson_sf(15, 20), 0.8951, 1e-3); /* below the mean */
}

static void test_ewma_known_series(void **state)
{
    (void)state;
    double y[33];
    for (int i = 0; i < 30; i++)
        y[i] = i % 2 ? 4 : 2;
    y[30] = y[31] = 3;
    y[32] = 12;
    ears_params p;
    ears_defaults(&p);
    double m, sd, e, pv;
    assert_true(ears_ewma(y, 32, &p, 0.4, &m, &sd, &e, &pv));
    NEAR(m, 3.0, 1e-12);
    NEAR(sd, 1.0183501544346312, 1e-9);
    NEAR(e, 6.653999966838913, 1e-9);
    NEAR(pv, 5.103904499037526e-08, 1e-10);
    y[32] = 7;
    assert_true(ears_ewma(y, 32, &p, 0.4, &m, &sd, &e, &pv));
    NEAR(pv, 0.001549546361371501, 1e-8);
    assert_true(ears_ewma(y, 32, &p, 0.9, &m, &sd, &e, &pv));
    NEAR(e, 6.600818181818181, 1e-9);
    NEAR(pv, 0.0002812901632109899, 1e-8);

    p.methods = 1u << EARS_EWMA;
    ears_flag f[4];
    assert_int_equal(ears_detect(y, 33, 32, &p, f, 4), 1);
    assert_int_equal(f[0].level, EARS_RED);
    NEAR(f[0].stat, 0.0002812901632109899, 1e-8);
    assert_true(f[0].threshold < 7 && f[0].threshold > 3); /* 7 passed it */
    y[32] = 3; /* the usual */
    assert_int_equal(ears_detect(y, 33, 32, &p, f, 4), 0);
    assert_false(ears_ewma(y, 29, &p, 0.4, &m, &sd, &e, &pv)); /* too short */
}

static void test_poisson_flag(void **state)
{
    (void)state;
    double y[31] = {0};
    for (int i = 0; i < 28; i++)
        y[i] = 1;
    y[30] = 5;
    ears_params p;
    ears_defaults(&p);
    p.methods = 1u << EARS_POISSON;
    ears_flag f[4];
    /* P(X >= 5 | 1) = 0.00366: yellow (under 0.01, over 0.001) */
    assert_int_equal(ears_detect(y, 31, 30, &p, f, 4), 1);
    assert_int_equal(f[0].level, EARS_YELLOW);
    NEAR(f[0].threshold, 5, 1e-12);
    y[30] = 6; /* 0.00059: red; the red cut is 6 */
    assert_int_equal(ears_detect(y, 31, 30, &p, f, 4), 1);
    assert_int_equal(f[0].level, EARS_RED);
    NEAR(f[0].threshold, 6, 1e-12);
    y[30] = 4;
    assert_int_equal(ears_detect(y, 31, 30, &p, f, 4), 0);
}

static void test_params(void **state)
{
    (void)state;
    ears_params p;
    ears_defaults(&p);
    char err[120];
    assert_true(ears_check(&p, err, sizeof(err)));
    assert_int_equal(ears_history(&p), 30);
    p.min_sigma = 0;
    assert_false(ears_check(&p, err, sizeof(err)));
    assert_non_null(strstr(err, "min_sigma"));
    ears_defaults(&p);
    p.methods = 0;
    assert_false(ears_check(&p, err, sizeof(err)));
    assert_int_equal(ears_method_parse("ewma"), EARS_EWMA);
    assert_int_equal(ears_method_parse("c4"), -1);
    assert_string_equal(ears_method_name(EARS_C3), "c3");
    assert_string_equal(ears_level_name(EARS_YELLOW), "yellow");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c1_known_series),   cmocka_unit_test(test_c2_c3_known_series),
        cmocka_unit_test(test_min_sigma_and_min_count), cmocka_unit_test(test_t_and_poisson),
        cmocka_unit_test(test_ewma_known_series), cmocka_unit_test(test_poisson_flag),
        cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
