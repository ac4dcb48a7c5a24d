/* fuzz_totp: libFuzzer harness for the staff sign-in parsers in src/auth/:
 * base32_decode, totp_verify (typed codes, and HMAC over keys of any
 * length), password_policy_check and recovery_code_hash.
 *
 * Checks:
 *  - base32_decode returns -1 or a length within the output buffer (also
 *    a tiny one), never more than 5/8 of the symbols; what it accepts
 *    encodes back to the input upper-cased without spaces, tabs, dashes
 *    and padding (decoding is strict, so it is one-to-one);
 *  - totp_verify returns -1 or a step within one of now's, above the last
 *    used one; a typed code it accepts is 6 digits with spaces; with the
 *    input as the key, the current code (with spaces around) is accepted
 *    and then refused as a replay;
 *  - password_policy_check accepts only valid UTF-8 without NUL, 12 code
 *    points to 1,024 bytes, and always says why it refused;
 *  - recovery_code_hash gives 64 lower-case hex digits, the same for the
 *    input with dashes added.
 * Run from the repository root (it loads data/passwords/common.txt). */
#include "auth/password.h"
#include "auth/totp.h"
#include "core/util.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 4096

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    if (!auth_crypto_init() || !password_list_load_data("data", err, sizeof err)) {
        fprintf(stderr, "fuzz_totp: %s (run from the repository root)\n", err);
        abort();
    }
    return 0;
}

static void check_base32(const char *s)
{
    static unsigned char out[MAX_TEXT];
    unsigned char tiny[3];
    size_t symbols = 0;
    char norm[MAX_TEXT + 1];
    for (const char *p = s; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '-' && *p != '=')
            norm[symbols++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    norm[symbols] = '\0';
    long n = base32_decode(s, out, sizeof out);
    long t = base32_decode(s, tiny, sizeof tiny);
    if (n < -1 || (n >= 0 && (size_t)n > symbols * 5 / 8) || t < -1 || t > (long)sizeof tiny)
        abort();
    if ((t >= 0 || (n >= 0 && n <= (long)sizeof tiny)) && t != n)
        abort(); /* a small enough result fits the tiny buffer, and only then */
    if (n < 0)
        return;
    char back[MAX_TEXT * 2];
    size_t e = base32_encode(out, (size_t)n, back, sizeof back);
    if (e != symbols || strcmp(back, norm) != 0)
        abort();
}

static void check_code(const char *s, time_t now, int64_t last)
{
    static const unsigned char key[] = "12345678901234567890";
    int64_t step = totp_step(now);
    int64_t r = totp_verify(key, 20, s, now, last);
    if (r == -1)
        return;
    if (r < step - 1 || r > step + 1 || r <= last || r < 0)
        abort();
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p != ' ' && *p != '\t')
            abort();
    }
    if (digits != 6)
        abort();
}

static void check_key(const uint8_t *key, size_t n, time_t now)
{
    char code[7], next[7], typed[16];
    int64_t step = totp_step(now);
    if (step < 0)
        return;
    totp_code(key, n, (uint64_t)step, code);
    totp_code(key, n, (uint64_t)step + 1, next);
    snprintf(typed, sizeof typed, " %.3s %s ", code, code + 3);
    int64_t r = totp_verify(key, n, typed, now, step - 1);
    if (r != step)
        abort();
    /* a replay is refused, unless the next step's code happens to be the
     * same six digits (one key in a million), which is then fine */
    if (strcmp(code, next) != 0 && totp_verify(key, n, typed, now, r) != -1)
        abort();
}

static void check_policy(const uint8_t *data, size_t size)
{
    char why[128] = "unset";
    bool ok = password_policy_check((const char *)data, size, why, sizeof why);
    if (!ok) {
        if (why[0] == '\0' || !strcmp(why, "unset"))
            abort();
        return;
    }
    size_t chars = 0;
    for (size_t i = 0; i < size; i++)
        chars += (data[i] & 0xC0) != 0x80;
    if (size > PASSWORD_MAX_BYTES || memchr(data, 0, size) || !utf8_valid((const char *)data, size) ||
        chars < PASSWORD_MIN_CHARS || why[0] != '\0')
        abort();
}

static void check_recovery(const char *s)
{
    char h[RECOVERY_HASH_SIZE], g[RECOVERY_HASH_SIZE], dashed[MAX_TEXT * 2 + 1];
    recovery_code_hash(s, h);
    if (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64)
        abort();
    size_t o = 0;
    for (const char *p = s; *p; p++) {
        dashed[o++] = *p;
        dashed[o++] = '-';
    }
    dashed[o] = '\0';
    recovery_code_hash(dashed, g);
    if (strcmp(g, h) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_TEXT)
        return 0;
    char s[MAX_TEXT + 1];
    memcpy(s, data, size);
    s[size] = '\0'; /* the text up to the first NUL, as a C string */
    int64_t t = 0;
    if (size >= sizeof t)
        memcpy(&t, data, sizeof t);
    time_t now = (time_t)(t / 4); /* any sign, far from the ends */
    int64_t step = totp_step(now);
    int64_t last = size ? step - 2 + (data[size - 1] % 4) : -1;

    check_base32(s);
    check_code(s, now, last);
    check_code(s, 1111111111, -1);
    check_key(data, size, now);
    check_policy(data, size);
    check_recovery(s);
    return 0;
}
