/* embedded: files compiled into the binary by tools/embed.c (the SQL
 * migrations in db/migrations/ and the dictionaries in db/zdict/), in name
 * order. */
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
/* zstd dictionaries of stored documents (db/zdict/, doc_zip.c), numbered
 * from 1 like migrations: never edited once shipped. */
extern const struct embedded_file zdicts[];
extern const size_t zdicts_count;

#endif
