/* test_totp: HOTP against RFC 4226 Appendix D, TOTP against every SHA-1
 * vector of RFC 6238 Appendix B; verification with one step of drift,
 * replay refused, typed codes with spaces and bad input; Base32 against
 * RFC 4648's vectors and random round trips; the otpauth:// URI; recovery
 * codes and their hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/totp.h"
#include "wp_test.h"

static const unsigned char RFC_KEY[] = "12345678901234567890"; /* 20 bytes */
#define RFC_KEYLEN 20

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void rfc4226_appendix_d(void **state)
{
    (void)state;
    static const uint32_t hotp6[10] = {755224, 287082, 359152, 969429, 338314,
                                       254676, 287922, 162583, 399871, 520489};
    /* the truncated 31-bit values, before the modulo */
    static const uint32_t truncated[10] = {1284755224, 1094287082, 137359152, 1726969429, 1640338314,
                                           868254676,  1918287922, 82162583,  673399871,  645520489};
    for (uint64_t c = 0; c < 10; c++) {
        assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, c, 6), hotp6[c]);
        assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, c, 9), truncated[c] % 1000000000u);
        assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, c, 1), truncated[c] % 10u);
    }
    /* digits is clamped to 1..9 */
    assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, 0, 12), truncated[0] % 1000000000u);
    assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, 0, 0), truncated[0] % 10u);
}

static void rfc6238_appendix_b_sha1(void **state)
{
    (void)state;
    static const struct {
        time_t t;
        uint64_t step;
        uint32_t code8;
    } v[] = {
        {59, 0x1, 94287082},
        {1111111109, 0x23523EC, 7081804},
        {1111111111, 0x23523ED, 14050471},
        {1234567890, 0x273EF07, 89005924},
        {2000000000, 0x3F940AA, 69279037},
        {(time_t)20000000000LL, 0x27BC86AA, 65353130},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_int_equal(totp_step(v[i].t), (int64_t)v[i].step);
        assert_int_equal(hotp(RFC_KEY, RFC_KEYLEN, v[i].step, 8), v[i].code8);
        char code[7], want[7];
        totp_code(RFC_KEY, RFC_KEYLEN, v[i].step, code);
        snprintf(want, sizeof want, "%06u", (unsigned)(v[i].code8 % 1000000u));
        assert_string_equal(code, want);
        assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, want, v[i].t, -1), (int64_t)v[i].step);
    }
    /* leading zeros are kept: step 0x23523EC gives 07081804, so 081804 */
    char code[7];
    totp_code(RFC_KEY, RFC_KEYLEN, 0x23523EC, code);
    assert_string_equal(code, "081804");
}

static void long_key_is_hashed_first(void **state)
{
    (void)state;
    unsigned char key[80];
    memset(key, 0xaa, sizeof key);
    /* values from Python's hmac module with the same key */
    assert_int_equal(hotp(key, sizeof key, 0, 6), 754963);
    assert_int_equal(hotp(key, sizeof key, 1, 6), 650725);
}

static void steps_before_1970(void **state)
{
    (void)state;
    assert_int_equal(totp_step(0), 0);
    assert_int_equal(totp_step(29), 0);
    assert_int_equal(totp_step(30), 1);
    assert_int_equal(totp_step(-1), -1);
    assert_int_equal(totp_step(-30), -1);
    assert_int_equal(totp_step(-31), -2);
}

#define NOW ((time_t)1111111111) /* step 37037037, 1 s into it */

static void code_at(int64_t step, char out[7])
{
    totp_code(RFC_KEY, RFC_KEYLEN, (uint64_t)step, out);
}

static void drift_of_one_step(void **state)
{
    (void)state;
    int64_t s = totp_step(NOW);
    char c[7];
    for (int64_t d = -1; d <= 1; d++) {
        code_at(s + d, c);
        assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, c, NOW, -1), s + d);
    }
    for (int64_t d = -3; d <= 3; d += 1) {
        if (d >= -1 && d <= 1)
            continue;
        code_at(s + d, c);
        char near[3][7];
        for (int k = 0; k < 3; k++)
            code_at(s - 1 + k, near[k]);
        /* this vector's codes two steps away differ from the three accepted */
        assert_string_not_equal(c, near[0]);
        assert_string_not_equal(c, near[1]);
        assert_string_not_equal(c, near[2]);
        assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, c, NOW, -1), -1);
    }
    /* the end of a step: the next step's code is fine, the one two back is not */
    code_at(s + 1, c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, c, (time_t)(s * 30 + 29), -1), s + 1);
    code_at(s - 1, c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, c, (time_t)(s * 30 + 30), -1), -1);
    /* another key's code does not pass */
    unsigned char other[20];
    memcpy(other, RFC_KEY, 20);
    other[0] ^= 1;
    code_at(s, c);
    assert_int_equal(totp_verify(other, 20, c, NOW, -1), -1);
}

static void replay_refused(void **state)
{
    (void)state;
    int64_t s = totp_step(NOW);
    char now_code[7], prev[7], next[7];
    code_at(s, now_code);
    code_at(s - 1, prev);
    code_at(s + 1, next);
    int64_t used = totp_verify(RFC_KEY, RFC_KEYLEN, now_code, NOW, -1);
    assert_int_equal(used, s);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, now_code, NOW, used), -1);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, now_code, NOW + 20, used), -1);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, prev, NOW, used), -1);
    /* a later code still works, and then this step's is refused too */
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, next, NOW, used), s + 1);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, now_code, NOW, s + 1), -1);
    /* at the epoch the step before 0 does not exist */
    char zero[7];
    code_at(0, zero);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, zero, 5, -1), 0);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, zero, 5, 0), -1);
}

static void typed_codes(void **state)
{
    (void)state;
    int64_t s = totp_step(NOW);
    char c[7], typed[32];
    code_at(s, c);
    snprintf(typed, sizeof typed, "%.3s %.3s", c, c + 3);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), s);
    snprintf(typed, sizeof typed, "  %s\t ", c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), s);
    snprintf(typed, sizeof typed, "%.5s", c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), -1);
    snprintf(typed, sizeof typed, "%s0", c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), -1);
    snprintf(typed, sizeof typed, "0%s", c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), -1);
    snprintf(typed, sizeof typed, "%.5s-%c", c, c[5]);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), -1);
    snprintf(typed, sizeof typed, "+%s", c);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, typed, NOW, -1), -1);
    const char *bad[] = {"", "      ", "abcdef", "12345a", "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, bad[i], NOW, -1), -1);
    assert_int_equal(totp_verify(RFC_KEY, RFC_KEYLEN, NULL, NOW, -1), -1);
}

static void base32_rfc4648(void **state)
{
    (void)state;
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *padded[] = {"", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"};
    for (size_t i = 0; i < 7; i++) {
        char enc[32], want[32];
        size_t n = strlen(plain[i]);
        size_t e = base32_encode((const unsigned char *)plain[i], n, enc, sizeof enc);
        assert_int_equal(e, strlen(enc));
        snprintf(want, sizeof want, "%.*s", (int)strcspn(padded[i], "="), padded[i]);
        assert_string_equal(enc, want);
        assert_int_equal(strlen(enc), BASE32_LEN(n));
        unsigned char dec[16];
        assert_int_equal(base32_decode(padded[i], dec, sizeof dec), (long)n);
        assert_memory_equal(dec, plain[i], n);
        assert_int_equal(base32_decode(want, dec, sizeof dec), (long)n);
        assert_memory_equal(dec, plain[i], n);
    }
    char enc[40];
    base32_encode(RFC_KEY, RFC_KEYLEN, enc, sizeof enc);
    assert_string_equal(enc, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void base32_lenient_input_strict_content(void **state)
{
    (void)state;
    unsigned char d[16];
    assert_int_equal(base32_decode("mzxw 6ytb-oi", d, sizeof d), 6);
    assert_memory_equal(d, "foobar", 6);
    assert_int_equal(base32_decode("MZXW6YTBOI = = =", d, sizeof d), 6);
    const char *bad[] = {"M", "MZX", "MZXW6Y", "MY=A", "MZ", "MA0A", "MA1A", "MZXW6YTB!", "MZ\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(base32_decode(bad[i], d, sizeof d), -1);
    /* the output limit */
    assert_int_equal(base32_decode("MZXW6YTB", d, 5), 5);
    assert_int_equal(base32_decode("MZXW6YTBOI", d, 5), -1);
    assert_int_equal(base32_decode("", d, 0), 0);
    /* encoding into too small a buffer */
    char out[16] = "junk";
    assert_int_equal(base32_encode((const unsigned char *)"foobar", 6, out, 8), 0);
    assert_string_equal(out, "");
    assert_int_equal(base32_encode((const unsigned char *)"fooba", 5, out, 8), 0);
    assert_int_equal(base32_encode((const unsigned char *)"fooba", 5, out, 9), 8);
}

static void base32_round_trips(void **state)
{
    (void)state;
    for (size_t n = 0; n <= 64; n++) {
        unsigned char in[64], back[64];
        char enc[BASE32_LEN(64) + 1];
        randombytes_buf(in, n);
        size_t e = base32_encode(in, n, enc, sizeof enc);
        assert_int_equal(e, BASE32_LEN(n));
        for (size_t i = 0; i < e; i++)
            assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", enc[i]));
        assert_int_equal(base32_decode(enc, back, sizeof back), (long)n);
        assert_memory_equal(in, back, n);
    }
}

static void otpauth_uri(void **state)
{
    (void)state;
    char uri[256];
    assert_true(totp_uri("Waypost Staff", "ana@example.org", RFC_KEY, RFC_KEYLEN, uri, sizeof uri));
    assert_string_equal(uri, "otpauth://totp/Waypost%20Staff:ana%40example.org"
                             "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Waypost%20Staff"
                             "&algorithm=SHA1&digits=6&period=30");
    assert_true(totp_uri("A:B&c", "x?y", RFC_KEY, 5, uri, sizeof uri));
    assert_string_equal(uri, "otpauth://totp/A%3AB%26c:x%3Fy?secret=GEZDGNBV&issuer=A%3AB%26c"
                             "&algorithm=SHA1&digits=6&period=30");
    size_t exact = strlen(uri) + 1;
    assert_true(totp_uri("A:B&c", "x?y", RFC_KEY, 5, uri, exact));
    assert_false(totp_uri("A:B&c", "x?y", RFC_KEY, 5, uri, exact - 1));
    assert_string_equal(uri, "");
    assert_false(totp_uri("", "a", RFC_KEY, 5, uri, sizeof uri));
    assert_false(totp_uri("W", NULL, RFC_KEY, 5, uri, sizeof uri));
    assert_false(totp_uri("W", "a", RFC_KEY, 0, uri, sizeof uri));
}

static void recovery_codes(void **state)
{
    (void)state;
    static const char alphabet[] = RECOVERY_ALPHABET;
    int seen[256] = {0};
    char first[RECOVERY_CODE_SIZE];
    recovery_code_new(first);
    for (int i = 0; i < 1000; i++) {
        char c[RECOVERY_CODE_SIZE];
        recovery_code_new(c);
        assert_int_equal(strlen(c), 11);
        assert_int_equal(c[5], '-');
        for (int k = 0; k < 11; k++) {
            if (k == 5)
                continue;
            assert_non_null(strchr(alphabet, c[k]));
            seen[(unsigned char)c[k]]++;
        }
        assert_string_not_equal(c, first);
    }
    /* 10,000 draws from 31 symbols: each expected about 323 times */
    for (size_t k = 0; k < sizeof alphabet - 1; k++) {
        assert_true(seen[(unsigned char)alphabet[k]] > 200);
        assert_true(seen[(unsigned char)alphabet[k]] < 450);
    }
}

static void recovery_hashes(void **state)
{
    (void)state;
    char h[RECOVERY_HASH_SIZE], g[RECOVERY_HASH_SIZE];
    recovery_code_hash("abcde-fghjk", h);
    /* BLAKE2b-256 of "abcdefghjk" (Python's hashlib.blake2b, digest_size=32) */
    assert_string_equal(h, "29800659eb8252c5330da62a097dcbcb523810a79a1a3ba1551a3071f7a86d4d");
    const char *same[] = {"ABCDE-FGHJK", " abcde fghjk ", "abcdefghjk", "AbCdE\t-FgHjK-"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        recovery_code_hash(same[i], g);
        assert_string_equal(g, h);
    }
    recovery_code_hash("abcde-fghjm", g);
    assert_string_not_equal(g, h);
    recovery_code_hash("", g);
    assert_string_equal(g, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    /* longer than the internal chunk */
    char longer[200];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    recovery_code_hash(longer, g);
    assert_int_equal(strlen(g), 64);
    longer[150] = 'b';
    recovery_code_hash(longer, h);
    assert_string_not_equal(g, h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4226_appendix_d),
        cmocka_unit_test(rfc6238_appendix_b_sha1),
        cmocka_unit_test(long_key_is_hashed_first),
        cmocka_unit_test(steps_before_1970),
        cmocka_unit_test(drift_of_one_step),
        cmocka_unit_test(replay_refused),
        cmocka_unit_test(typed_codes),
        cmocka_unit_test(base32_rfc4648),
        cmocka_unit_test(base32_lenient_input_strict_content),
        cmocka_unit_test(base32_round_trips),
        cmocka_unit_test(otpauth_uri),
        cmocka_unit_test(recovery_codes),
        cmocka_unit_test(recovery_hashes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
