/* embedded: files compiled into the binary by tools/embed.c (the SQL
 * migrations in db/migrations/), in name order. */
#ifndef WP_EMBEDDED_H
#define WP_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const char *data;
    long len;
};

extern const struct embedded_file migrations[];
extern const size_t migrations_count;

#endif
