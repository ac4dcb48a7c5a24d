/* wp_test.h: small helpers shared by the unit tests. Include it after
 * <cmocka.h>.
 *
 * skip_known_bug() starts a test that shows a bug in src/ which is not fixed
 * yet (each such test has a BUG comment). The test is skipped so the suite
 * stays green; run the binary with WP_TEST_BUGS=1 in the environment to
 * run these tests and see them fail. Once the bug is fixed, remove the
 * skip_known_bug() line. */
#ifndef WP_TEST_H
#define WP_TEST_H

#include <stdlib.h>
#include <string.h>

#define skip_known_bug()                 \
    do {                                 \
        if (!getenv("WP_TEST_BUGS"))     \
            skip();                      \
    } while (0)

/* Fails unless the C string hay contains needle. */
#define assert_contains(hay, needle)                                                   \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        if (!hay_ || !strstr(hay_, needle_))                                           \
            fail_msg("\"%s\" does not contain \"%s\"", hay_ ? hay_ : "(null)", needle_); \
    } while (0)

/* Fails if the C string hay contains needle. */
#define assert_not_contains(hay, needle)                                               \
    do {                                                                               \
        const char *hay_ = (hay), *needle_ = (needle);                                 \
        if (hay_ && strstr(hay_, needle_))                                             \
            fail_msg("\"%s\" contains \"%s\"", hay_, needle_);                         \
    } while (0)

#endif
