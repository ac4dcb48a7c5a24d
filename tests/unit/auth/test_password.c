/* test_password: the password policy (length in code points, the byte
 * limit, UTF-8, the bundled common-password list without case), loading
 * the list and its errors, and Argon2id hashing: round trip, parameters,
 * rehash detection and the dummy verify's cost. Run from the repository
 * root (data/passwords/common.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "core/util.h"
#include "wp_test.h"

#define LIST "data/passwords/common.txt"

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (!auth_crypto_init() || !password_list_load(LIST, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    password_list_free();
    return 0;
}

static bool ok(const char *pw, char *why, size_t whylen)
{
    return password_policy_check(pw, strlen(pw), why, whylen);
}

static void list_is_the_bundled_one(void **state)
{
    (void)state;
    assert_int_equal(password_list_count(), 10000);
}

static void length_counts_code_points(void **state)
{
    (void)state;
    char why[128];
    const char *emoji = "\xF0\x9F\x94\x92"; /* U+1F512, 4 bytes */
    char pw[64] = "";
    for (int i = 0; i < 11; i++)
        memcpy(pw + 4 * i, emoji, 4);
    assert_int_equal(strlen(pw), 44);
    assert_false(ok(pw, why, sizeof why));
    assert_string_equal(why, "Use at least 12 characters.");
    memcpy(pw + 44, emoji, 4);
    assert_true(ok(pw, why, sizeof why));
    assert_string_equal(why, "");
    assert_false(ok("abcdefghijk", why, sizeof why)); /* 11 ASCII */
    assert_true(ok("abcdefghijkm", why, sizeof why));
    assert_true(ok("with spaces ", why, sizeof why));
    assert_false(ok("", why, sizeof why));
    assert_false(password_policy_check(NULL, 5, why, sizeof why));
}

static void byte_limit(void **state)
{
    (void)state;
    char why[128];
    char pw[PASSWORD_MAX_BYTES + 2];
    memset(pw, 'z', sizeof pw);
    pw[0] = 'Q';
    assert_true(password_policy_check(pw, PASSWORD_MAX_BYTES, why, sizeof why));
    assert_false(password_policy_check(pw, PASSWORD_MAX_BYTES + 1, why, sizeof why));
    assert_string_equal(why, "Use a shorter password: at most 1,024 bytes.");
}

static void bad_bytes_refused(void **state)
{
    (void)state;
    char why[128];
    static const char nul[] = "abcdefghijkl\0mnop";
    assert_false(password_policy_check(nul, sizeof nul - 1, why, sizeof why));
    assert_string_equal(why, "The password contains characters that cannot be used.");
    assert_false(ok("abcdefghijkl\xC0\xAF", why, sizeof why));   /* overlong */
    assert_false(ok("abcdefghijkl\xED\xA0\x80", why, sizeof why)); /* surrogate */
    assert_false(ok("abcdefghijkl\xF0\x9F", why, sizeof why));     /* cut short */
    assert_true(ok("\xC3\xA9t\xC3\xA9 \xC3\xA0 la plage!", why, sizeof why));
}

static void common_passwords_refused_without_case(void **state)
{
    (void)state;
    char why[128];
    const char *listed[] = {"1qaz2wsx3edc", "1QAZ2WSX3EDC", "1Qaz2Wsx3Edc", "qwerty123456", "LeaveMeAlone"};
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++) {
        why[0] = '\0';
        assert_false(ok(listed[i], why, sizeof why));
        assert_string_equal(why, "This password is on a list of common passwords; choose another.");
    }
    /* one character more and it is not on the list */
    assert_true(ok("1qaz2wsx3edc!", why, sizeof why));
    assert_true(ok(" 1qaz2wsx3edc", why, sizeof why));
    /* why may be left out */
    assert_false(password_policy_check("qwerty123456", 12, NULL, 0));
}

static void fails_closed_without_list(void **state)
{
    (void)state;
    char why[128], err[256];
    password_list_free();
    assert_int_equal(password_list_count(), 0);
    assert_false(ok("a fine long passphrase", why, sizeof why));
    assert_string_equal(why, "Passwords cannot be checked right now; try again later.");
    assert_true(password_list_load_data("data", err, sizeof err));
    assert_true(ok("a fine long passphrase", why, sizeof why));
}

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
}

static void load_errors_and_format(void **state)
{
    (void)state;
    char err[256], why[128], path[] = "/tmp/wp_pwlist_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

    assert_false(password_list_load("/nonexistent/common.txt", err, sizeof err));
    assert_contains(err, "cannot read /nonexistent/common.txt: ");
    assert_int_equal(password_list_count(), 10000); /* the old list stays */

    write_file(path, "\n\r\n\n", 4);
    assert_false(password_list_load(path, err, sizeof err));
    assert_contains(err, ": no passwords");

    write_file(path, "one\nt\xFFo\n", 8);
    assert_false(password_list_load(path, err, sizeof err));
    assert_contains(err, ": line 2: not valid UTF-8");

    /* CRLF, upper case, duplicates and no final newline */
    const char *text = "Correct Horse Battery\r\ncorrect horse battery\r\n\r\nZZZZZZZZZZZZ";
    write_file(path, text, strlen(text));
    assert_true(password_list_load(path, err, sizeof err));
    assert_int_equal(password_list_count(), 2);
    assert_false(ok("CORRECT HORSE BATTERY", why, sizeof why));
    assert_false(ok("zzzzzzzzzzzz", why, sizeof why));
    assert_true(ok("1qaz2wsx3edc", why, sizeof why)); /* not on this list */
    unlink(path);
    assert_true(password_list_load(LIST, err, sizeof err));
}

static void hash_round_trip(void **state)
{
    (void)state;
    const char *pw = "a long enough passphrase \xE2\x9C\x93";
    char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];
    assert_true(password_hash(pw, strlen(pw), h1));
    assert_true(password_hash(pw, strlen(pw), h2));
    assert_true(str_has_prefix(h1, "$argon2id$v=19$"));
    assert_contains(h1, "$m=19456,t=2,p=1$");
    assert_string_not_equal(h1, h2); /* salted */
    assert_true(password_verify(h1, pw, strlen(pw)));
    assert_true(password_verify(h2, pw, strlen(pw)));
    assert_false(password_verify(h1, pw, strlen(pw) - 1));
    assert_false(password_verify(h1, "a long enough passphrase", 24));
    assert_false(password_verify(h1, "A long enough passphrase \xE2\x9C\x93", strlen(pw)));
    assert_false(password_needs_rehash(h1));
    /* bytes after a NUL count: the length is what is hashed */
    static const char nul[] = "abc\0def";
    char h3[crypto_pwhash_STRBYTES];
    assert_true(password_hash(nul, 7, h3));
    assert_true(password_verify(h3, nul, 7));
    assert_false(password_verify(h3, nul, 3));
}

static void weaker_or_broken_hashes(void **state)
{
    (void)state;
    const char *pw = "correct horse battery staple";
    char weak[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str_alg(weak, pw, strlen(pw), 1, 8192 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
    assert_true(password_verify(weak, pw, strlen(pw))); /* still logs in */
    assert_true(password_needs_rehash(weak));          /* then is replaced */
    char i13[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str_alg(i13, pw, strlen(pw), 3, PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2I13), 0);
    assert_true(password_verify(i13, pw, strlen(pw)));
    assert_true(password_needs_rehash(i13)); /* argon2i, not argon2id */

    assert_false(password_verify("", pw, strlen(pw)));
    assert_false(password_verify("$argon2id$v=19$m=19456,t=2,p=1$garbage", pw, strlen(pw)));
    assert_false(password_verify(NULL, pw, strlen(pw)));
    assert_true(password_needs_rehash("plaintext"));
    assert_true(password_needs_rehash(NULL));
    char unterminated[crypto_pwhash_STRBYTES];
    memset(unterminated, 'a', sizeof unterminated);
    assert_false(password_verify(unterminated, pw, strlen(pw)));
    assert_true(password_needs_rehash(unterminated));
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The dummy verify does the work of a real one: the faster of three runs
 * of each is within a factor of three of the other (a loose bound: the
 * machine is shared; a no-op dummy would be a thousand times faster). */
static void dummy_costs_a_verify(void **state)
{
    (void)state;
    const char *pw = "some password typed at login";
    char h[crypto_pwhash_STRBYTES];
    assert_true(password_hash("the account's real password", 27, h));
    double real = 1e9, dummy = 1e9;
    for (int i = 0; i < 3; i++) {
        double t0 = seconds();
        assert_false(password_verify(h, pw, strlen(pw)));
        double t1 = seconds();
        password_dummy_verify(pw, strlen(pw));
        double t2 = seconds();
        if (t1 - t0 < real)
            real = t1 - t0;
        if (t2 - t1 < dummy)
            dummy = t2 - t1;
    }
    assert_true(dummy > real / 3);
    assert_true(dummy < real * 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_is_the_bundled_one),
        cmocka_unit_test(length_counts_code_points),
        cmocka_unit_test(byte_limit),
        cmocka_unit_test(bad_bytes_refused),
        cmocka_unit_test(common_passwords_refused_without_case),
        cmocka_unit_test(fails_closed_without_list),
        cmocka_unit_test(load_errors_and_format),
        cmocka_unit_test(hash_round_trip),
        cmocka_unit_test(weaker_or_broken_hashes),
        cmocka_unit_test(dummy_costs_a_verify),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
