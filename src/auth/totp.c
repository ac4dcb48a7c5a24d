/* totp: HMAC-SHA-1, HOTP/TOTP, Base32, the otpauth:// URI and recovery
 * codes. See totp.h. */
#include "auth/totp.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "core/uuid.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SHA1_BLOCK 64

/* HMAC-SHA-1 (RFC 2104) of msg under key. */
static void hmac_sha1(const unsigned char *key, size_t keylen, const unsigned char *msg, size_t msglen,
                      unsigned char out[20])
{
    unsigned char k[SHA1_BLOCK] = {0}, pad[SHA1_BLOCK], inner[20];
    if (keylen > SHA1_BLOCK)
        sha1(key, keylen, k);
    else if (keylen)
        memcpy(k, key, keylen);
    sha1_ctx c;
    for (size_t i = 0; i < SHA1_BLOCK; i++)
        pad[i] = k[i] ^ 0x36;
    sha1_init(&c);
    sha1_update(&c, pad, SHA1_BLOCK);
    sha1_update(&c, msg, msglen);
    sha1_final(&c, inner);
    for (size_t i = 0; i < SHA1_BLOCK; i++)
        pad[i] = k[i] ^ 0x5c;
    sha1_init(&c);
    sha1_update(&c, pad, SHA1_BLOCK);
    sha1_update(&c, inner, sizeof inner);
    sha1_final(&c, out);
    sodium_memzero(k, sizeof k);
    sodium_memzero(pad, sizeof pad);
    sodium_memzero(&c, sizeof c);
}

int64_t totp_step(time_t now)
{
    int64_t t = (int64_t)now;
    return t >= 0 ? t / TOTP_PERIOD : -((-(t + 1)) / TOTP_PERIOD) - 1;
}

uint32_t hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
    unsigned char msg[8], mac[20];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (unsigned char)(counter & 0xff);
        counter >>= 8;
    }
    hmac_sha1(key, keylen, msg, sizeof msg, mac);
    unsigned off = mac[19] & 0x0f;
    uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
                   (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
    if (digits < 1)
        digits = 1;
    if (digits > 9)
        digits = 9;
    uint32_t mod = 1;
    for (int i = 0; i < digits; i++)
        mod *= 10;
    return bin % mod;
}

void totp_code(const unsigned char *key, size_t keylen, uint64_t step, char out[7])
{
    snprintf(out, 7, "%06u", (unsigned)hotp(key, keylen, step, TOTP_DIGITS));
}

/* The digits of a typed code without its spaces and tabs; false unless
 * exactly TOTP_DIGITS ASCII digits remain. */
static bool typed_digits(const char *code, char out[TOTP_DIGITS + 1])
{
    size_t n = 0;
    if (!code)
        return false;
    for (const char *p = code; *p; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
            return false;
        out[n++] = *p;
    }
    out[n] = '\0';
    return n == TOTP_DIGITS;
}

int64_t totp_verify(const unsigned char *key, size_t keylen, const char *code, time_t now,
                    int64_t last_used_step)
{
    char typed[TOTP_DIGITS + 1];
    if (!typed_digits(code, typed))
        return -1;
    /* |now_step| <= INT64_MAX / 30, so now_step +- 1 cannot overflow */
    int64_t now_step = totp_step(now), found = -1;
    for (int64_t d = -1; d <= 1; d++) {
        int64_t step = now_step + d;
        char want[7];
        totp_code(key, keylen, (uint64_t)step, want);
        bool match = sodium_memcmp(want, typed, TOTP_DIGITS) == 0;
        if (match && step >= 0 && step > last_used_step && found < 0)
            found = step;
    }
    sodium_memzero(typed, sizeof typed);
    return found;
}

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
    if (outlen == 0)
        return 0;
    if (n > (SIZE_MAX - 4) / 8 || BASE32_LEN(n) >= outlen) {
        out[0] = '\0';
        return 0;
    }
    size_t o = 0;
    unsigned acc = 0, bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8 | in[i]) & 0xfff; /* at most 4 + 8 bits pending */
        bits += 8;
        while (bits >= 5) {
            out[o++] = B32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits)
        out[o++] = B32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return o;
}

static int b32_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

long base32_decode(const char *in, unsigned char *out, size_t outlen)
{
    size_t o = 0, symbols = 0;
    unsigned acc = 0, bits = 0;
    bool padding = false;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '-')
            continue;
        if (*p == '=') {
            padding = true;
            continue;
        }
        int v = b32_value(*p);
        if (v < 0 || padding)
            return -1;
        symbols++;
        acc = (acc << 5 | (unsigned)v) & 0xfff; /* at most 7 + 5 bits pending */
        bits += 5;
        if (bits >= 8) {
            if (o == outlen || o == (size_t)LONG_MAX)
                return -1;
            out[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    unsigned rest = (unsigned)(symbols % 8);
    if (rest == 1 || rest == 3 || rest == 6)
        return -1;
    if (acc & ((1u << bits) - 1))
        return -1; /* bits no encoder would set */
    return (long)o;
}

void totp_new_secret(unsigned char key[TOTP_SECRET_BYTES])
{
    randombytes_buf(key, TOTP_SECRET_BYTES);
}

bool totp_uri(const char *issuer, const char *account, const unsigned char *key, size_t keylen, char *out,
              size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    if (!issuer || !*issuer || !account || !*account || keylen == 0 || keylen > 64 || outlen < 2)
        return false;
    char secret[BASE32_LEN(64) + 1];
    base32_encode(key, keylen, secret, sizeof secret);
    buf b;
    buf_init(&b, outlen - 1);
    buf_puts(&b, "otpauth://totp/");
    esc_url(&b, issuer, strlen(issuer));
    buf_putc(&b, ':');
    esc_url(&b, account, strlen(account));
    buf_printf(&b, "?secret=%s&issuer=", secret);
    esc_url(&b, issuer, strlen(issuer));
    buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_PERIOD);
    bool ok = !b.overflow;
    if (ok)
        memcpy(out, buf_cstr(&b), b.len + 1);
    sodium_memzero(secret, sizeof secret);
    if (b.data)
        sodium_memzero(b.data, b.alloc);
    buf_free(&b);
    return ok;
}

void recovery_code_new(char out[RECOVERY_CODE_SIZE])
{
    static const char alphabet[] = RECOVERY_ALPHABET;
    size_t o = 0;
    for (int i = 0; i < RECOVERY_CODE_CHARS; i++) {
        if (i == RECOVERY_CODE_CHARS / 2)
            out[o++] = '-';
        out[o++] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
    }
    out[o] = '\0';
}

void recovery_code_hash(const char *typed, char out_hex[RECOVERY_HASH_SIZE])
{
    crypto_generichash_state st;
    unsigned char chunk[64], h[32];
    size_t n = 0;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (const char *p = typed ? typed : ""; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '-')
            continue;
        chunk[n++] = (unsigned char)tolower_ascii((unsigned char)*p);
        if (n == sizeof chunk) {
            crypto_generichash_update(&st, chunk, n);
            n = 0;
        }
    }
    crypto_generichash_update(&st, chunk, n);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out_hex, RECOVERY_HASH_SIZE, h, sizeof h);
}
