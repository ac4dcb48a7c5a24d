/* totp: two-factor codes for staff accounts. HOTP (RFC 4226) and TOTP
 * (RFC 6238) with HMAC-SHA-1 over the project's own SHA-1 (core/uuid.h),
 * 6 digits, 30-second steps, one step of drift either way; Base32
 * (RFC 4648) for secrets; the otpauth:// URI authenticator apps read from
 * a QR code; and single-use recovery codes, stored only as hashes.
 *
 * Nothing here keeps state: the caller stores the secret, the last step
 * used (to refuse a code twice) and the recovery code hashes. Every
 * function may be called from any thread once libsodium has started
 * (auth_crypto_init in password.h, or sodium_init). */
#ifndef WP_AUTH_TOTP_H
#define WP_AUTH_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOTP_PERIOD 30     /* seconds a step lasts */
#define TOTP_DIGITS 6
#define TOTP_SECRET_BYTES 20 /* 160 bits, as RFC 4226 recommends */

/* floor(now / TOTP_PERIOD), also for times before 1970 (negative). */
int64_t totp_step(time_t now);

/* The RFC 4226 value for counter: HMAC-SHA-1(key, counter as 8 bytes big
 * endian), dynamically truncated, modulo 10^digits. digits is clamped to
 * 1..9. key may be any length (over 64 bytes it is hashed first). */
uint32_t hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits);

/* The 6-digit code of step, zero-padded, NUL-terminated. */
void totp_code(const unsigned char *key, size_t keylen, uint64_t step, char out[7]);

/* Checks a typed code at time now. Spaces (and tabs) anywhere in code are
 * ignored; what is left must be exactly 6 ASCII digits. The code may be
 * that of the current step or of one step either side; a step at or below
 * last_used_step (pass -1 when none was used) is refused, so a code
 * cannot be used twice. Returns the step that matched, which the caller
 * stores as the new last_used_step, or -1. The three candidate codes are
 * all computed and compared in constant time. */
int64_t totp_verify(const unsigned char *key, size_t keylen, const char *code, time_t now,
                    int64_t last_used_step);

/* Base32 text length for n bytes, without padding (no NUL). */
#define BASE32_LEN(n) (((n) * 8 + 4) / 5)

/* Encodes n bytes as RFC 4648 Base32, upper case, without '=' padding,
 * NUL-terminated. Returns the length written, or 0 (with out set to ""
 * when outlen > 0) when out cannot hold BASE32_LEN(n) + 1 bytes. */
size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);

/* Decodes NUL-terminated Base32 text into out: letters of either case,
 * spaces, tabs and dashes ignored anywhere, '=' only as trailing padding.
 * Returns the number of bytes (at most outlen), or -1 when a character is
 * not Base32, padding is followed by data, the length is not one an
 * encoder could make, the unused low bits of the last symbol are not
 * zero, or the result does not fit. */
long base32_decode(const char *in, unsigned char *out, size_t outlen);

/* A new random secret (libsodium's randombytes_buf). */
void totp_new_secret(unsigned char key[TOTP_SECRET_BYTES]);

/* The Key URI authenticator apps read:
 *   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER
 *       &algorithm=SHA1&digits=6&period=30
 * with ISSUER and ACCOUNT percent-encoded (esc_url: everything but
 * A-Z a-z 0-9 - . _ ~). False when issuer or account is NULL or empty,
 * keylen is 0 or over 64, or the URI does not fit in outlen (out is then
 * ""). */
bool totp_uri(const char *issuer, const char *account, const unsigned char *key, size_t keylen, char *out,
              size_t outlen);

/* Recovery codes: RECOVERY_CODE_CHARS random characters from
 * RECOVERY_ALPHABET (no 0/o, 1/i/l), about 49.5 bits, shown as two
 * groups of five: "x7k2m-p9qrt". */
#define RECOVERY_ALPHABET "23456789abcdefghjkmnpqrstuvwxyz"
#define RECOVERY_CODE_CHARS 10
#define RECOVERY_CODE_SIZE 12 /* "xxxxx-xxxxx" and the NUL */
#define RECOVERY_HASH_SIZE 65 /* 64 hex digits and the NUL */

void recovery_code_new(char out[RECOVERY_CODE_SIZE]);

/* The hash to store for a code, and to look up for a typed one: spaces,
 * tabs and dashes are dropped and ASCII letters lower-cased first, so
 * "X7K2M P9QRT" finds "x7k2m-p9qrt". BLAKE2b-256 (crypto_generichash),
 * as lower-case hex. The codes are random and long enough that no
 * slow hash or salt is needed. */
void recovery_code_hash(const char *typed, char out_hex[RECOVERY_HASH_SIZE]);

#endif
