/* uuid: RFC 4122 name-based UUIDs, version 5 (SHA-1), and the SHA-1 they
 * are built on (FIPS 180-4, written here). Waypost gives records from
 * sources without their own UUIDs a uuid5 of a per-source namespace and
 * the record's normalised key, so re-imports keep the same ids (the same
 * ids tools/convert_directories.py makes with Python's uuid.uuid5). */
#ifndef WP_UUID_H
#define WP_UUID_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sha1_ctx {
    unsigned int h[5];
    unsigned long long len; /* bytes so far */
    unsigned char block[64];
    size_t used;
} sha1_ctx;

void sha1_init(sha1_ctx *c);
void sha1_update(sha1_ctx *c, const void *data, size_t len);
void sha1_final(sha1_ctx *c, unsigned char out[20]);
void sha1(const void *data, size_t len, unsigned char out[20]);

/* The version 5 UUID of name in namespace ns, as 36 lowercase characters + NUL. */
void uuid5(const unsigned char ns[16], const char *name, size_t len, char out[37]);
/* Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (either case); false if malformed. */
bool uuid_parse(const char *s, unsigned char out[16]);
/* Formats 16 bytes as a UUID string. */
void uuid_format(const unsigned char u[16], char out[37]);

#endif
