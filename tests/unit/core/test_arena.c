/* test_arena: unit tests for src/core/arena.c, the per-request bump
 * allocator.
 *
 * Checks that every allocation is 16-byte aligned and zeroed (ASan fills
 * fresh malloc memory with junk, so "zeroed" is really tested), that
 * allocations do not overlap, that allocations larger than a block work and
 * are counted in total, arena_strdup/arena_strndup, that arena_free
 * leaves an empty arena that can be used again, and that a size that
 * cannot be allocated aborts instead of wrapping around. */
#include "core/arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void test_init(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
    arena_free(&a); /* freeing an empty arena is fine */
    assert_null(a.head);
}

static void test_alignment(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    for (size_t n = 1; n <= 200; n++) {
        void *p = arena_alloc(&a, n);
        assert_non_null(p);
        if ((uintptr_t)p % 16 != 0)
            fail_msg("allocation of %zu bytes at %p is not 16-byte aligned", n, p);
    }
    arena_free(&a);
}

static void test_zeroed(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    /* write junk into a first arena's memory, free it, allocate again */
    for (int round = 0; round < 2; round++) {
        for (size_t n = 1; n < 3000; n += 97) {
            unsigned char *p = arena_alloc(&a, n);
            if (!all_zero(p, n))
                fail_msg("allocation of %zu bytes is not zeroed (round %d)", n, round);
            memset(p, 0xA5, n);
        }
        arena_free(&a);
    }
    /* a zeroed struct, the usual use */
    struct pair {
        void *ptr;
        long n;
        char name[20];
    } *s = arena_alloc(&a, sizeof(*s));
    assert_null(s->ptr);
    assert_int_equal(s->n, 0);
    assert_string_equal(s->name, "");
    arena_free(&a);
}

static void test_no_overlap(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    enum { N = 1000 };
    unsigned char *ptrs[N];
    size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t)(1 + (i * 37) % 300);
        ptrs[i] = arena_alloc(&a, sizes[i]);
        memset(ptrs[i], i & 0xFF, sizes[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if (ptrs[i][k] != (unsigned char)(i & 0xFF))
                fail_msg("allocation %d was overwritten at byte %zu", i, k);
    arena_free(&a);
}

static void test_large(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    unsigned char *small = arena_alloc(&a, 10);
    memset(small, 'a', 10);
    size_t big = 1000000;
    unsigned char *p = arena_alloc(&a, big);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_true(all_zero(p, big));
    memset(p, 0xFF, big); /* all of it is writable (ASan checks) */
    assert_true(a.total >= big + 10);
    /* small allocations keep working after a large one */
    unsigned char *after = arena_alloc(&a, 32);
    assert_true(all_zero(after, 32));
    assert_int_equal((uintptr_t)after % 16, 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(small[i], 'a');
    /* several blocks' worth */
    for (int i = 0; i < 100; i++) {
        unsigned char *q = arena_alloc(&a, 5000);
        assert_true(all_zero(q, 5000));
        memset(q, i, 5000);
    }
    arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
}

static void test_strdup(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    char src[] = "naloxone";
    char *d = arena_strdup(&a, src);
    assert_string_equal(d, "naloxone");
    assert_ptr_not_equal(d, src);
    src[0] = 'N'; /* an independent copy */
    assert_string_equal(d, "naloxone");
    assert_string_equal(arena_strdup(&a, ""), "");

    char *n = arena_strndup(&a, "fentanyl test strips", 8);
    assert_string_equal(n, "fentanyl");
    assert_string_equal(arena_strndup(&a, "abc", 0), "");
    /* bytes after a NUL inside n are copied too, the result stops at n */
    char *z = arena_strndup(&a, "a\0b", 3);
    assert_memory_equal(z, "a\0b\0", 4);
    arena_free(&a);
}

static void test_reuse_after_free(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    char *s = arena_strdup(&a, "one");
    assert_string_equal(s, "one");
    arena_free(&a);
    assert_int_equal(a.total, 0);
    s = arena_strdup(&a, "two");
    assert_string_equal(s, "two");
    assert_true(a.total > 0);
    arena_free(&a);
}

/* Runs arena_alloc(n) in a child process; true when the child returned
 * normally (instead of aborting). */
static bool child_alloc_returns(size_t n)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        arena a;
        arena_init(&a);
        void *p = arena_alloc(&a, n);
        _exit(p ? 0 : 3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_huge_size_aborts(void **state)
{
    (void)state;
    /* BUG: arena_alloc() in src/core/arena.c rounds n up with
     * (n + 15) & ~15 without an overflow check, so arena_alloc(a,
     * SIZE_MAX - 3) wraps to 0 and returns a pointer to no memory at all
     * instead of aborting as arena.h says ("past the cap arena_alloc
     * aborts through xmalloc's out-of-memory path"); SIZE_MAX - 31 makes
     * sizeof(block) + size wrap as well and memset runs off a 1-byte
     * block. No cap is enforced either. Expected: the process aborts. */
    assert_false(child_alloc_returns(SIZE_MAX - 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_zeroed),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_reuse_after_free),
        cmocka_unit_test(test_huge_size_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
