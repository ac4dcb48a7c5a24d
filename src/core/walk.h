/* walk: visits every file under a folder, depth first, in the order the
 * file system lists them. Names starting with '.' are skipped (hidden
 * files, editors' swap files), and so is anything stat() cannot read (a
 * dangling link). One walker for every folder Waypost reads at start:
 * static files, templates, content, and the --dev change check.
 *
 * fn gets the file's full path, its path relative to root ("css/site.css")
 * and its stat; returning false stops the walk. */
#ifndef WP_WALK_H
#define WP_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 16

typedef bool (*walk_fn)(void *ctx, const char *full, const char *rel, const struct stat *st);

enum walk_result {
    WALK_OK,      /* every file visited */
    WALK_STOPPED, /* fn returned false (it says why) */
    WALK_NO_ROOT, /* root does not exist */
    WALK_ERROR,   /* a folder could not be read, or nesting is too deep: err says which */
};

/* Walks root; what names the folder in errors ("static folder"). */
enum walk_result walk_files(const char *root, const char *what, walk_fn fn, void *ctx, char *err, size_t errlen);

#endif
