/* stream: answers made while they are sent; see stream.h. The buffer
 * logic (stream_read) is plain C for the unit tests; stream_response is
 * the libmicrohttpd glue. */
#include "http/stream.h"
#include "core/util.h"

#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct stream {
    stream_fill_fn fill;
    stream_done_fn done;
    void *ctx;
    buf pending;  /* made, not yet copied out: pending.data[pos..len) */
    size_t pos;
    size_t sent;
    size_t peak;
    size_t *bytes; /* the request's count of bytes sent, or NULL */
    enum stream_fill state;
};

stream *stream_new(stream_fill_fn fill, stream_done_fn done, void *ctx)
{
    stream *s = xcalloc(1, sizeof(*s));
    s->fill = fill;
    s->done = done;
    s->ctx = ctx;
    buf_init(&s->pending, STREAM_CHUNK + STREAM_PIECE_MAX);
    s->state = STREAM_MORE;
    return s;
}

void stream_free(stream *s)
{
    if (!s)
        return;
    if (s->done)
        s->done(s->ctx);
    buf_free(&s->pending);
    free(s);
}

/* Moves what is left to the front, so the buffer stays about one chunk. */
static void compact(stream *s)
{
    if (s->pos == s->pending.len) {
        buf_reset(&s->pending);
        s->pos = 0;
    } else if (s->pos > 0) {
        memmove(s->pending.data, s->pending.data + s->pos, s->pending.len - s->pos);
        s->pending.len -= s->pos;
        s->pending.data[s->pending.len] = '\0';
        s->pos = 0;
    }
}

/* Fills until a chunk is waiting or the producer is finished. */
static void make_ahead(stream *s)
{
    compact(s);
    while (s->state == STREAM_MORE && s->pending.len < STREAM_CHUNK) {
        size_t before = s->pending.len;
        s->state = s->fill(s->ctx, &s->pending);
        if (s->pending.overflow) { /* one piece past STREAM_PIECE_MAX */
            s->pending.len = before;
            s->pending.overflow = false;
            s->state = STREAM_FAILED;
        }
    }
    if (s->pending.len > s->peak)
        s->peak = s->pending.len;
}

ssize_t stream_read(stream *s, char *dst, size_t max)
{
    if (s->pos == s->pending.len)
        make_ahead(s);
    size_t have = s->pending.len - s->pos;
    if (!have)
        return s->state == STREAM_FAILED ? STREAM_READ_ERROR : STREAM_READ_END;
    size_t n = have < max ? have : max;
    memcpy(dst, s->pending.data + s->pos, n);
    s->pos += n;
    s->sent += n;
    if (s->bytes)
        *s->bytes = s->sent;
    return (ssize_t)n;
}

size_t stream_bytes(const stream *s)
{
    return s->sent;
}

size_t stream_peak(const stream *s)
{
    return s->peak;
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    if (!max)
        return 0;
    ssize_t n = stream_read(cls, out, max);
    if (n == STREAM_READ_END)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (n == STREAM_READ_ERROR)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    return n;
}

static void reader_free(void *cls)
{
    stream_free(cls);
}

void *stream_response(stream *s, size_t *bytes)
{
    s->bytes = bytes;
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_CHUNK, reader, s, reader_free);
    if (!r)
        stream_free(s);
    return r;
}
