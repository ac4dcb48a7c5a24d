/* test_walk: unit tests for src/core/walk.c, the one folder walker.
 *
 * Builds a small tree in a temp folder (files, a nested folder, a hidden
 * file, a dangling link) and checks what the walker visits, that a false
 * from the callback stops it, that a missing root is told apart from an
 * unreadable one, and that nesting past WALK_MAX_DEPTH is refused. */
#include "core/walk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

struct seen {
    char names[16][256];
    int n;
    int stop_after;
};

static bool remember(void *ctx, const char *full, const char *rel, const struct stat *st)
{
    struct seen *s = ctx;
    assert_true(S_ISREG(st->st_mode));
    assert_non_null(strstr(full, rel));
    if (s->n < 16)
        snprintf(s->names[s->n++], 256, "%s", rel);
    return s->stop_after == 0 || s->n < s->stop_after;
}

static bool saw(const struct seen *s, const char *rel)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], rel))
            return true;
    return false;
}

static void touch(const char *dir, const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
}

static void make_tree(char *dir)
{
    snprintf(dir, 64, "/tmp/wp_walk_XXXXXX");
    assert_non_null(mkdtemp(dir));
    char p[512];
    snprintf(p, sizeof(p), "%s/css", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    touch(dir, "a.md");
    touch(dir, "css/site.css");
    touch(dir, ".hidden");
    snprintf(p, sizeof(p), "%s/dangling", dir);
    assert_int_equal(symlink("/nonexistent/waypost", p), 0);
}

static void remove_tree(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void visits_files_skips_hidden_and_dangling(void **state)
{
    (void)state;
    char dir[64], err[256];
    make_tree(dir);
    struct seen s = {0};
    assert_int_equal(walk_files(dir, "test folder", remember, &s, err, sizeof(err)), WALK_OK);
    assert_int_equal(s.n, 2);
    assert_true(saw(&s, "a.md"));
    assert_true(saw(&s, "css/site.css"));
    remove_tree(dir);
}

static void callback_false_stops(void **state)
{
    (void)state;
    char dir[64], err[256];
    make_tree(dir);
    struct seen s = {.stop_after = 1};
    assert_int_equal(walk_files(dir, "test folder", remember, &s, err, sizeof(err)), WALK_STOPPED);
    assert_int_equal(s.n, 1);
    remove_tree(dir);
}

static void missing_root_and_unreadable_folder(void **state)
{
    (void)state;
    char dir[64], file[128], err[256] = "";
    struct seen s = {0};
    assert_int_equal(walk_files("/tmp/wp_walk_does_not_exist", "test folder", remember, &s, err, sizeof(err)),
                     WALK_NO_ROOT);
    make_tree(dir);
    snprintf(file, sizeof(file), "%s/a.md", dir); /* a file is no folder */
    assert_int_equal(walk_files(file, "test folder", remember, &s, err, sizeof(err)), WALK_ERROR);
    assert_contains(err, "cannot read the test folder");
    assert_contains(err, "a.md");
    remove_tree(dir);
}

static void refuses_deep_nesting(void **state)
{
    (void)state;
    char dir[64], p[1024], err[256];
    make_tree(dir);
    size_t len = (size_t)snprintf(p, sizeof(p), "%s", dir);
    for (int i = 0; i <= WALK_MAX_DEPTH + 1; i++) {
        len += (size_t)snprintf(p + len, sizeof(p) - len, "/d");
        assert_int_equal(mkdir(p, 0700), 0);
    }
    struct seen s = {0};
    assert_int_equal(walk_files(dir, "test folder", remember, &s, err, sizeof(err)), WALK_ERROR);
    assert_contains(err, "nested more than");
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(visits_files_skips_hidden_and_dangling),
        cmocka_unit_test(callback_false_stops),
        cmocka_unit_test(missing_root_and_unreadable_folder),
        cmocka_unit_test(refuses_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
