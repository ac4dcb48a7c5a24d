/* shortcuts: the finder's quick searches, read at start from
 * data/vocab/finder-shortcuts.json. /find/<slug> searches for one Waypost
 * taxonomy term, titled with the shortcut's title; /find lists them all.
 *
 * Each shortcut needs a slug (a-z, 0-9, -; unique), the code of a term of
 * the taxonomy (not an attribute; each code at most once, so a search has
 * one title) and a title. Load after locator_codes_load. */
#ifndef WP_SHORTCUTS_H
#define WP_SHORTCUTS_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct shortcut {
    const char *slug, *code, *title;
} shortcut;

/* False with err naming the file and the entry; the shortcuts loaded
 * before (if any) are then kept. Call before serving. */
bool shortcuts_load(const config *cfg, char *err, size_t errlen);
void shortcuts_free(void);

/* In the file's order; i < shortcuts_count(). */
size_t shortcuts_count(void);
const shortcut *shortcuts_at(size_t i);
/* The shortcut with this slug, or with this code; NULL when none. */
const shortcut *shortcut_by_slug(const char *slug);
const shortcut *shortcut_by_code(const char *code);

#endif
