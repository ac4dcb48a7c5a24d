/* frontmatter: the header of a content page, between two "---" lines.
 *
 *   ---
 *   title: Overdose prevention
 *   order: 2
 *   sources:
 *     - CDC. Lifesaving Naloxone (2024) | https://www.cdc.gov/...
 *   ---
 *
 * Lines are "key: value"; a key with no value starts a list of "- item"
 * lines. Values may be wrapped in matching double quotes. The parse result
 * points into a copy owned by the fm struct; fm_free releases it.
 * Errors name the line (1-based, counting from the file's first line). */
#ifndef WP_FRONTMATTER_H
#define WP_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>

#define FM_MAX_KEYS 32
#define FM_MAX_ITEMS 64

typedef struct fm_entry {
    char *key;
    char *value;           /* NULL for a list */
    char *items[FM_MAX_ITEMS];
    int nitems;
} fm_entry;

typedef struct fm {
    fm_entry entries[FM_MAX_KEYS];
    int count;
    const char *body;      /* points into the source: the text after the closing --- */
    size_t body_len;
    int body_line;         /* line number where the body starts */
} fm;

/* Parses src. false with "line N: what" in err when malformed (no opening
 * or closing ---, a line that is not key: value or - item, a duplicate key,
 * too many keys or items). */
bool fm_parse(fm *out, const char *src, size_t len, char *err, size_t errlen);
void fm_free(fm *f);

const char *fm_get(const fm *f, const char *key);         /* scalar or NULL */
const fm_entry *fm_list(const fm *f, const char *key);    /* list or NULL */

#endif
