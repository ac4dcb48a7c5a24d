/* test_stream: unit tests for src/http/stream.c, the buffer between a
 * streamed answer's producer and libmicrohttpd's reader: every byte made
 * comes out once and in order whatever the reader's buffer size; the
 * stream makes at most about a chunk ahead however long the answer; a
 * failure comes after the bytes made before it and never as a clean end;
 * a piece past the limit is a failure, not a cut line; the release
 * function runs exactly once. */
#include "http/stream.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

typedef struct lines {
    long n, total;   /* lines made so far, and how many to make */
    long fail_at;    /* fail instead of making this line (-1: never) */
    size_t piece;    /* bytes per line */
    int freed;
} lines;

/* Line k is "k:" then filler up to piece bytes, then '\n'. */
static enum stream_fill make_line(void *ctx, buf *out)
{
    lines *l = ctx;
    if (l->n == l->fail_at)
        return STREAM_FAILED;
    if (l->n == l->total)
        return STREAM_DONE;
    char head[32];
    int h = snprintf(head, sizeof(head), "%ld:", l->n);
    buf_append(out, head, (size_t)h);
    for (size_t i = (size_t)h; i + 1 < l->piece; i++)
        buf_putc(out, (char)('a' + (l->n + (long)i) % 26));
    buf_putc(out, '\n');
    l->n++;
    return STREAM_MORE;
}

static void release(void *ctx)
{
    ((lines *)ctx)->freed++;
}

/* Reads the whole stream with reads of max bytes; checks each line. */
static ssize_t drain(stream *s, size_t max, long *nlines, size_t piece)
{
    char *dst = malloc(max);
    char *line = malloc(piece + 1);
    size_t have = 0;
    ssize_t r;
    *nlines = 0;
    while ((r = stream_read(s, dst, max)) > 0) {
        assert_true((size_t)r <= max);
        for (ssize_t i = 0; i < r; i++) {
            line[have++] = dst[i];
            if (dst[i] == '\n') {
                assert_int_equal(have, piece);
                char want[32];
                int h = snprintf(want, sizeof(want), "%ld:", *nlines);
                assert_memory_equal(line, want, (size_t)h);
                (*nlines)++;
                have = 0;
            }
        }
    }
    assert_int_equal(have, 0); /* never half a line */
    free(dst);
    free(line);
    return r;
}

static void every_byte_once_in_order(void **state)
{
    (void)state;
    static const size_t maxes[] = {1, 7, 4096, 65536, 1 << 20};
    for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
        lines l = {0, 3000, -1, 100, 0};
        stream *s = stream_new(make_line, release, &l);
        long n;
        assert_int_equal(drain(s, maxes[m], &n, 100), STREAM_READ_END);
        assert_int_equal(n, 3000);
        assert_int_equal(stream_bytes(s), 3000 * 100);
        assert_int_equal(stream_read(s, (char[8]){0}, 8), STREAM_READ_END); /* and stays ended */
        stream_free(s);
        assert_int_equal(l.freed, 1);
    }
}

static void memory_is_bounded_by_a_chunk(void **state)
{
    (void)state;
    lines l = {0, 200000, -1, 500, 0}; /* 100 MB in all */
    stream *s = stream_new(make_line, release, &l);
    long n;
    assert_int_equal(drain(s, 16384, &n, 500), STREAM_READ_END);
    assert_int_equal(n, 200000);
    assert_true(stream_peak(s) < STREAM_CHUNK + 500);
    stream_free(s);
}

static void failure_after_what_was_made(void **state)
{
    (void)state;
    lines l = {0, 1000, 700, 50, 0};
    stream *s = stream_new(make_line, release, &l);
    long n;
    assert_int_equal(drain(s, 1000, &n, 50), STREAM_READ_ERROR);
    assert_int_equal(n, 700);
    assert_int_equal(stream_read(s, (char[8]){0}, 8), STREAM_READ_ERROR);
    stream_free(s);
    assert_int_equal(l.freed, 1);
}

static void a_piece_too_large_fails_whole(void **state)
{
    (void)state;
    lines l = {0, 3, -1, STREAM_PIECE_MAX + STREAM_CHUNK + 10, 0};
    stream *s = stream_new(make_line, NULL, &l);
    char dst[4096];
    assert_int_equal(stream_read(s, dst, sizeof(dst)), STREAM_READ_ERROR);
    assert_int_equal(stream_bytes(s), 0);
    stream_free(s);
}

static void empty_answer_ends_at_once(void **state)
{
    (void)state;
    lines l = {0, 0, -1, 10, 0};
    stream *s = stream_new(make_line, release, &l);
    char dst[16];
    assert_int_equal(stream_read(s, dst, sizeof(dst)), STREAM_READ_END);
    stream_free(s);
    stream_free(NULL);
    assert_int_equal(l.freed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_byte_once_in_order),
        cmocka_unit_test(memory_is_bounded_by_a_chunk),
        cmocka_unit_test(failure_after_what_was_made),
        cmocka_unit_test(a_piece_too_large_fails_whole),
        cmocka_unit_test(empty_answer_ends_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
