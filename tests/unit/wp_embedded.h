/* wp_embedded.h: unit-test helpers for what is compiled into the binary
 * (db/embedded.h) and for code every thread may call at once. Include it
 * after <cmocka.h>. */
#ifndef WP_EMBEDDED_TEST_H
#define WP_EMBEDDED_TEST_H

#include <pthread.h>
#include <sodium.h>

#include "db/embedded.h"

/* Fails unless the embedded file f is named name and its SHA-256 is hex:
 * a shipped dictionary or migration is never edited. */
static inline void assert_embedded_sha256(const struct embedded_file *f, const char *name, const char *hex)
{
    assert_string_equal(f->name, name);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)f->data, (unsigned long long)f->len);
    char got[2 * sizeof(h) + 1];
    sodium_bin2hex(got, sizeof(got), h, sizeof(h));
    assert_string_equal(got, hex);
}

/* Runs fn on each of n argument blocks (size bytes apart, n at most 8)
 * in n threads at once and waits for them all. */
static inline void run_in_threads(void *(*fn)(void *), void *args, size_t size, int n)
{
    pthread_t t[8];
    assert_true(n > 0 && n <= 8);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * size), 0);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

#endif
