/* embedded: files compiled into the binary by tools/embed.c (the SQL
 * migrations in db/migrations/ and the dictionaries in db/zdict/ and
 * db/bdict/), in name order. */
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
/* LZ4 dictionaries of the listing cache's briefs (db/bdict/, brief_zip.c),
 * numbered the same way. */
extern const struct embedded_file bdicts[];
extern const size_t bdicts_count;

#endif
