/* test_buf: unit tests for src/core/buf.c, the capped growable byte buffer.
 *
 * Checks appending (bytes, strings, single characters, printf), that the
 * data stays NUL-terminated after every write, growth past the first
 * allocation, the hard cap (a refused write sets overflow and leaves the
 * contents exactly as they were), buf_reset keeping its memory, buf_detach
 * handing over the data, and buf_free leaving a reusable buffer. */
#include "core/buf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Asserts the buffer holds exactly [want, want+n) followed by a NUL. */
static void assert_buf(const buf *b, const char *want, size_t n)
{
    assert_int_equal(b->len, n);
    if (n > 0) {
        assert_non_null(b->data);
        assert_memory_equal(b->data, want, n);
    }
    assert_int_equal(buf_cstr(b)[n], '\0');
}

static void test_init_is_empty(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, BUF_DEFAULT_CAP);
    assert_false(b.overflow);
    assert_string_equal(buf_cstr(&b), "");

    buf c;
    buf_init(&c, 100);
    assert_int_equal(c.cap, 100);

    buf d = BUF_INIT; /* cap 0 means the default cap */
    assert_true(buf_puts(&d, "static"));
    assert_string_equal(buf_cstr(&d), "static");
    buf_free(&d);
}

static void test_append_and_terminate(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(buf_append(&b, "abc", 3));
    assert_buf(&b, "abc", 3);
    assert_true(buf_append(&b, "de", 2));
    assert_buf(&b, "abcde", 5);
    /* binary data with a NUL inside is kept whole */
    assert_true(buf_append(&b, "x\0y", 3));
    assert_buf(&b, "abcdex\0y", 8);
    /* a zero-length append changes nothing */
    assert_true(buf_append(&b, "zzz", 0));
    assert_buf(&b, "abcdex\0y", 8);
    buf_free(&b);
}

static void test_puts_putc(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(buf_puts(&b, "hello"));
    assert_true(buf_putc(&b, ','));
    assert_true(buf_putc(&b, ' '));
    assert_true(buf_puts(&b, ""));
    assert_true(buf_puts(&b, "world"));
    assert_string_equal(buf_cstr(&b), "hello, world");
    assert_int_equal(b.len, 12);
    buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(buf_printf(&b, "%d-%s-%c", 42, "x", 'y'));
    assert_buf(&b, "42-x-y", 6);
    assert_true(buf_printf(&b, "[%05.1f]", 3.14159));
    assert_string_equal(buf_cstr(&b), "42-x-y[003.1]");
    /* an empty format still leaves a terminated, readable buffer */
    buf e;
    buf_init(&e, 0);
    assert_true(buf_printf(&e, "%s", ""));
    assert_int_equal(e.len, 0);
    assert_string_equal(buf_cstr(&e), "");
    buf_free(&e);
    buf_free(&b);
}

static void test_printf_grows(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(buf_puts(&b, "<"));
    /* far past the first allocation */
    assert_true(buf_printf(&b, "%*s", 10000, "end"));
    assert_true(buf_puts(&b, ">"));
    assert_int_equal(b.len, 10002);
    assert_int_equal(b.data[0], '<');
    assert_int_equal(b.data[1], ' ');
    assert_memory_equal(b.data + 9998, "end>", 4);
    assert_int_equal(b.data[10002], '\0');
    assert_true(b.alloc > b.len);
    buf_free(&b);
}

static void test_many_small_writes(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 100000; i++)
        assert_true(buf_putc(&b, (char)('a' + i % 26)));
    assert_int_equal(b.len, 100000);
    for (int i = 0; i < 100000; i++)
        if (b.data[i] != (char)('a' + i % 26))
            fail_msg("byte %d is wrong", i);
    assert_int_equal(b.data[100000], '\0');
    buf_free(&b);
}

static bool call_vprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool call_vprintf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

static void test_vprintf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(call_vprintf(&b, "%s=%ld", "n", 123456789L));
    assert_string_equal(buf_cstr(&b), "n=123456789");
    buf_free(&b);
}

static void test_cap_exact_fit(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_true(buf_append(&b, "12345678", 8)); /* exactly cap */
    assert_buf(&b, "12345678", 8);
    assert_false(b.overflow);
    buf_free(&b);
}

static void test_cap_overflow_append(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_true(buf_append(&b, "12345", 5));
    assert_false(buf_append(&b, "6789", 4)); /* 9 > 8 */
    assert_true(b.overflow);
    assert_buf(&b, "12345", 5);
    /* a zero-length write reports the earlier overflow */
    assert_false(buf_append(&b, "", 0));
    assert_buf(&b, "12345", 5);
    buf_free(&b);
}

static void test_cap_overflow_putc_puts(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 3);
    assert_true(buf_puts(&b, "abc"));
    assert_false(buf_putc(&b, 'd'));
    assert_true(b.overflow);
    assert_buf(&b, "abc", 3);

    buf c;
    buf_init(&c, 4);
    assert_true(buf_puts(&c, "ab"));
    assert_false(buf_puts(&c, "cde"));
    assert_true(c.overflow);
    assert_buf(&c, "ab", 2);
    buf_free(&b);
    buf_free(&c);
}

static void test_cap_overflow_printf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 10);
    assert_true(buf_printf(&b, "%s", "head"));
    assert_false(buf_printf(&b, "%d%d", 123456, 7890));
    assert_true(b.overflow);
    assert_buf(&b, "head", 4);
    /* the first write can overflow too: nothing is written at all */
    buf c;
    buf_init(&c, 2);
    assert_false(buf_printf(&c, "%s", "toolong"));
    assert_true(c.overflow);
    assert_int_equal(c.len, 0);
    assert_string_equal(buf_cstr(&c), "");
    buf_free(&b);
    buf_free(&c);
}

static void test_cap_huge_length(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 16);
    assert_true(buf_puts(&b, "x"));
    /* a length that would wrap around size_t arithmetic is refused */
    assert_false(buf_append(&b, "y", SIZE_MAX));
    assert_true(b.overflow);
    assert_buf(&b, "x", 1);
    buf_free(&b);
}

static void test_reset(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 6);
    assert_true(buf_puts(&b, "hello"));
    assert_false(buf_puts(&b, "world"));
    assert_true(b.overflow);
    char *mem = b.data;
    size_t alloc = b.alloc;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_false(b.overflow);
    assert_string_equal(buf_cstr(&b), "");
    assert_ptr_equal(b.data, mem); /* keeps its memory */
    assert_int_equal(b.alloc, alloc);
    assert_int_equal(b.cap, 6);
    assert_true(buf_puts(&b, "again"));
    assert_string_equal(buf_cstr(&b), "again");
    buf_free(&b);

    buf e;
    buf_init(&e, 0);
    buf_reset(&e); /* reset of a never-written buf is harmless */
    assert_string_equal(buf_cstr(&e), "");
    buf_free(&e);
}

/* Reserved room takes the writes that follow without moving the data; it
 * never passes the cap, writes nothing and sets no overflow. */
static void test_reserve(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_reserve(&b, 1000);
    assert_non_null(b.data);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(b.len, 0);
    char *mem = b.data;
    for (int i = 0; i < 100; i++)
        assert_true(buf_puts(&b, "0123456789"));
    assert_ptr_equal(b.data, mem);
    assert_int_equal(b.len, 1000);
    buf_reserve(&b, 10); /* keeps what is there */
    assert_int_equal(b.len, 1000);
    assert_memory_equal(b.data + 990, "0123456789", 11);
    buf_free(&b);

    buf c;
    buf_init(&c, 8);
    assert_true(buf_puts(&c, "abc"));
    size_t had = c.alloc;
    buf_reserve(&c, 1u << 30); /* only up to the cap, which it already has */
    assert_int_equal(c.alloc, had);
    assert_false(c.overflow);
    assert_string_equal(buf_cstr(&c), "abc");
    assert_true(buf_puts(&c, "defgh"));
    assert_false(buf_putc(&c, 'i'));
    assert_string_equal(buf_cstr(&c), "abcdefgh");
    buf_free(&c);
}

static void test_detach(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 100);
    assert_true(buf_puts(&b, "owned text"));
    size_t len = 0;
    char *d = buf_detach(&b, &len);
    assert_non_null(d);
    assert_int_equal(len, 10);
    assert_string_equal(d, "owned text");
    /* the buf is empty and reusable, with its cap */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.alloc, 0);
    assert_int_equal(b.cap, 100);
    assert_string_equal(buf_cstr(&b), "");
    assert_true(buf_puts(&b, "next"));
    assert_string_equal(buf_cstr(&b), "next");
    assert_string_equal(d, "owned text"); /* unaffected by later writes */
    free(d);
    buf_free(&b);
}

static void test_detach_empty(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    size_t len = 99;
    char *d = buf_detach(&b, &len);
    assert_non_null(d); /* a real, freeable empty string */
    assert_string_equal(d, "");
    assert_int_equal(len, 0);
    free(d);
    d = buf_detach(&b, NULL); /* len may be NULL */
    assert_string_equal(d, "");
    free(d);
}

static void test_detach_clears_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 2);
    assert_true(buf_puts(&b, "ab"));
    assert_false(buf_putc(&b, 'c'));
    char *d = buf_detach(&b, NULL);
    assert_string_equal(d, "ab");
    assert_false(b.overflow);
    free(d);
}

static void test_free_reusable(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 50);
    assert_true(buf_puts(&b, "first"));
    buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 50);
    assert_string_equal(buf_cstr(&b), "");
    assert_true(buf_puts(&b, "second"));
    assert_string_equal(buf_cstr(&b), "second");
    buf_free(&b);
    buf_free(&b); /* freeing twice is safe */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty),
        cmocka_unit_test(test_append_and_terminate),
        cmocka_unit_test(test_puts_putc),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_printf_grows),
        cmocka_unit_test(test_many_small_writes),
        cmocka_unit_test(test_vprintf),
        cmocka_unit_test(test_cap_exact_fit),
        cmocka_unit_test(test_cap_overflow_append),
        cmocka_unit_test(test_cap_overflow_putc_puts),
        cmocka_unit_test(test_cap_overflow_printf),
        cmocka_unit_test(test_cap_huge_length),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_detach_empty),
        cmocka_unit_test(test_detach_clears_overflow),
        cmocka_unit_test(test_free_reusable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
