/* secret: the key that encrypts what the outbox and the check-ins keep
 * about people (where to go, names, phone numbers, email addresses), and
 * sealing and opening with it (libsodium's crypto_secretbox: XSalsa20 and
 * Poly1305, a random nonce per box).
 *
 * The key is one file of 32 random bytes, created with mode 0600 on first
 * start ([checkin] key_file; empty means checkin.key beside the database).
 * It is loaded once at start and only read afterwards, so sealing and
 * opening are safe from any thread. Losing the file makes queued messages
 * unreadable: it is backed up with the database. */
#ifndef WP_SECRET_H
#define WP_SECRET_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

/* The key file's path for cfg into out. false when it does not fit. */
bool secret_path(const config *cfg, char *out, size_t outlen);
/* Loads the key at path, creating it (0600, exclusive) when missing. false
 * with a sentence in err when it cannot be read, made, or is not 32 bytes
 * or is readable by others. */
bool secret_load(const char *path, char *err, size_t errlen);
/* Uses key (32 bytes) directly: for tests and benchmarks. */
void secret_set(const unsigned char *key);
bool secret_ready(void);
void secret_unload(void);

/* Seals n bytes: a malloc'd nonce || box of *outlen bytes (the caller
 * frees it). NULL only when no key is loaded. */
unsigned char *secret_seal(const void *plain, size_t n, size_t *outlen);
/* Opens a box made by secret_seal: a malloc'd, NUL-terminated copy of the
 * plain text (the caller frees it), or NULL when the box is damaged, was
 * sealed with another key, or no key is loaded. */
char *secret_open(const void *box, size_t n);

#define SECRET_MAC_BYTES 32
/* A keyed hash (BLAKE2b under a subkey derived from the key) of context
 * and n bytes of data into out: for finding a sealed row by what it holds
 * (a subscriber's address) and for links that must not be forged. Equal
 * inputs give equal outputs under one key. false when no key is loaded. */
bool secret_mac(const char *context, const void *data, size_t n, unsigned char out[SECRET_MAC_BYTES]);

#endif
