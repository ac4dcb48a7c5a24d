/* test_json_alloc: unit tests for src/core/json_alloc.c, jansson's
 * per-thread cache of small blocks.
 *
 * Checks that a freed small block is handed out again for a request of its
 * class, that what a thread keeps is bounded (per class) and large blocks
 * are not kept, that blocks freed by another thread are usable here, that
 * a thread's kept blocks are freed when it ends (LeakSanitizer fails the
 * run otherwise), and jansson end to end through it. Under ASan a kept
 * block is poisoned: reading one in a child process must kill it. */
#include "core/json_alloc.h"

#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static void a_freed_block_is_handed_out_again(void **state)
{
    (void)state;
    json_alloc_release();
    char *a = json_alloc_malloc(20);
    memset(a, 'x', 20);
    json_alloc_free(a);
    assert_int_equal(json_alloc_kept(), 1);
    char *b = json_alloc_malloc(30); /* the same class (up to 32 bytes) */
    assert_ptr_equal(a, b);
    assert_int_equal(json_alloc_kept(), 0);
    memset(b, 'y', 30);
    json_alloc_free(b);
    json_alloc_free(NULL);
    assert_int_equal(json_alloc_kept(), 1);
    json_alloc_release();
    assert_int_equal(json_alloc_kept(), 0);
}

static void large_blocks_are_not_kept(void **state)
{
    (void)state;
    json_alloc_release();
    char *big = json_alloc_malloc(4096);
    memset(big, 1, 4096);
    json_alloc_free(big);
    char *odd = malloc(2000); /* made elsewhere, bigger than any class */
    json_alloc_free(odd);
    assert_int_equal(json_alloc_kept(), 0);
}

static void what_a_thread_keeps_is_bounded(void **state)
{
    (void)state;
    json_alloc_release();
    enum { N = 2000 };
    void **p = malloc(N * sizeof(void *));
    for (int i = 0; i < N; i++)
        p[i] = json_alloc_malloc(8);
    for (int i = 0; i < N; i++)
        json_alloc_free(p[i]);
    size_t kept = json_alloc_kept();
    assert_true(kept > 0 && kept < N);
    for (int i = 0; i < N; i++) /* the kept ones are handed out first, then new ones */
        p[i] = json_alloc_malloc(8);
    assert_int_equal(json_alloc_kept(), 0);
    for (int i = 0; i < N; i++)
        json_alloc_free(p[i]);
    free(p);
    json_alloc_release();
}

struct handoff {
    void *blocks[64];
};

static void *free_them(void *arg)
{
    struct handoff *h = arg;
    for (int i = 0; i < 64; i++)
        json_alloc_free(h->blocks[i]); /* kept by this thread, freed when it ends */
    return (void *)(uintptr_t)json_alloc_kept();
}

static void *make_them(void *arg)
{
    struct handoff *h = arg;
    for (int i = 0; i < 64; i++) {
        h->blocks[i] = json_alloc_malloc((size_t)(i % 200) + 1);
        memset(h->blocks[i], i, (size_t)(i % 200) + 1);
    }
    return NULL;
}

static void blocks_move_between_threads(void **state)
{
    (void)state;
    struct handoff h;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, make_them, &h), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    void *kept = NULL;
    assert_int_equal(pthread_create(&t, NULL, free_them, &h), 0);
    assert_int_equal(pthread_join(t, &kept), 0);
    assert_int_equal((uintptr_t)kept, 64);
    assert_int_equal(json_alloc_kept(), 0); /* not this thread's */
}

static void jansson_through_it(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        json_t *o = json_object();
        for (int i = 0; i < 200; i++) {
            char key[16];
            snprintf(key, sizeof key, "k%d", i);
            json_object_set_new(o, key, json_pack("{s:i, s:s}", "n", i, "s", "some text"));
        }
        char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
        assert_non_null(s);
        json_t *back = json_loads(s, 0, NULL);
        assert_true(json_equal(o, back));
        assert_int_equal(json_integer_value(json_object_get(json_object_get(back, "k199"), "n")), 199);
        free(s); /* from json_alloc_malloc: a malloc block either way, as the callers of json_dumps expect */
        json_decref(back);
        json_decref(o);
    }
    assert_true(json_alloc_kept() > 0);
    json_alloc_release();
}

/* A kept block is poisoned: reading it is caught as a use after free. */
static void a_kept_block_cannot_be_read(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    json_alloc_release();
    volatile char *p = json_alloc_malloc(40);
    p[0] = 'a';
    json_alloc_free((void *)p);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int fd = open("/dev/null", O_WRONLY); /* ASan's report is not this test's output */
        dup2(fd, 2);
        volatile char c = p[8];
        (void)c;
        _exit(3); /* reached only if the read was not caught */
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    json_alloc_release();
#else
    skip();
#endif
}

int main(void)
{
    json_alloc_use();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_freed_block_is_handed_out_again),
        cmocka_unit_test(large_blocks_are_not_kept),
        cmocka_unit_test(what_a_thread_keeps_is_bounded),
        cmocka_unit_test(blocks_move_between_threads),
        cmocka_unit_test(jansson_through_it),
        cmocka_unit_test(a_kept_block_cannot_be_read),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    json_alloc_release();
    return failed;
}
