/* walk: the one folder walker. See walk.h. */
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct walker {
    const char *root, *what;
    walk_fn fn;
    void *ctx;
    char *err;
    size_t errlen;
} walker;

static enum walk_result walk_dir(walker *w, const char *rel, int depth)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s%s%s", w->root, *rel ? "/" : "", rel);
    if (depth > WALK_MAX_DEPTH) {
        snprintf(w->err, w->errlen, "the %s %s is nested more than %d folders deep", w->what, dir, WALK_MAX_DEPTH);
        return WALK_ERROR;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT && *rel == '\0')
            return WALK_NO_ROOT;
        snprintf(w->err, w->errlen, "cannot read the %s %s: %s", w->what, dir, strerror(errno));
        return WALK_ERROR;
    }
    enum walk_result r = WALK_OK;
    struct dirent *e;
    while (r == WALK_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[1024], full[1400];
        snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof(full), "%s/%s", w->root, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            r = walk_dir(w, sub, depth + 1);
        else if (!w->fn(w->ctx, full, sub, &st))
            r = WALK_STOPPED;
    }
    closedir(d);
    return r;
}

enum walk_result walk_files(const char *root, const char *what, walk_fn fn, void *ctx, char *err, size_t errlen)
{
    walker w = {root, what, fn, ctx, err, errlen};
    return walk_dir(&w, "", 0);
}
