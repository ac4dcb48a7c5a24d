/* wp_tempdir.h: a throw-away data folder for the tests of the loaders that
 * read files under data_dir (the vocabularies). Include it after
 * <cmocka.h>.
 *
 *     char dir[64];
 *     wp_temp_dir(dir);
 *     wp_write(dir, "vocab/navigation.json", "{...}");
 *     ... config c; c.data_dir = dir ...
 *     wp_remove_dir(dir);
 */
#ifndef WP_TEMPDIR_H
#define WP_TEMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes a new, empty folder under /tmp; its path goes into dir. */
static inline void wp_temp_dir(char dir[64])
{
    snprintf(dir, 64, "%s", "/tmp/wp_test_dir_XXXXXX");
    assert_non_null(mkdtemp(dir));
}

/* Writes text to dir/rel, making rel's one folder (e.g. "vocab/") first. */
static inline void wp_write(const char *dir, const char *rel, const char *text)
{
    char path[512];
    const char *slash = strchr(rel, '/');
    if (slash) {
        snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(slash - rel), rel);
        mkdir(path, 0700);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Removes dir/rel (a file written by wp_write), ignoring a missing one. */
static inline void wp_unlink(const char *dir, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    unlink(path);
}

static inline int wp_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes the folder and everything in it. */
static inline void wp_remove_dir(const char *dir)
{
    assert_int_equal(nftw(dir, wp_remove_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

#endif
