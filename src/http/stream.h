/* stream: an answer sent while it is being made (issue 17, items 3 and 4).
 *
 * A handler that would otherwise build a large body sets rs->stream to a
 * stream made with stream_new: a producer (fill) that appends the next
 * piece of the answer (a whole NDJSON line or more) to a buffer, and a
 * release function (done) for the producer's state. The server sends it
 * with libmicrohttpd's content reader, chunked (no Content-Length, no ETag,
 * no gzip); the reader runs on the connection's worker thread only when
 * the socket can take more, so a slow client holds memory (one buffer of
 * about STREAM_CHUNK bytes plus the largest single piece) but no thread.
 *
 * Ownership: rs->stream belongs to the response; the server frees it
 * (stream_free calls done(ctx) once) when libmicrohttpd is finished with
 * the answer: sent whole, the client gone, or the server stopping. A fill
 * that fails ends the answer with an error: the chunked body is then not
 * terminated, so the client sees it incomplete, never as complete. */
#ifndef WP_STREAM_H
#define WP_STREAM_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How much the stream makes ahead of the client. */
#define STREAM_CHUNK (64u * 1024u)
/* The largest single piece a fill may append (one NDJSON record): past it
 * the stream ends with an error rather than grow without bound. */
#define STREAM_PIECE_MAX (16u * 1024u * 1024u)

enum stream_fill {
    STREAM_MORE = 1,   /* appended something; call again */
    STREAM_DONE = 0,   /* nothing more (may have appended a last piece) */
    STREAM_FAILED = -1 /* cannot go on (a database error) */
};

/* Appends the next piece(s) of the answer to out. */
typedef enum stream_fill (*stream_fill_fn)(void *ctx, buf *out);
typedef void (*stream_done_fn)(void *ctx);

typedef struct stream stream;

/* A stream over fill; done (may be NULL) releases ctx once, in
 * stream_free. */
stream *stream_new(stream_fill_fn fill, stream_done_fn done, void *ctx);
void stream_free(stream *s);

/* What stream_read returns besides a count of bytes. */
#define STREAM_READ_END ((ssize_t)-1)   /* the answer is complete */
#define STREAM_READ_ERROR ((ssize_t)-2) /* the answer cannot be completed */

/* Copies up to max (> 0) bytes of the answer into dst, making at most
 * about STREAM_CHUNK ahead: the count (> 0), STREAM_READ_END once
 * everything was copied, or STREAM_READ_ERROR after the bytes made before
 * a failure were copied. */
ssize_t stream_read(stream *s, char *dst, size_t max);
/* Bytes copied out so far. */
size_t stream_bytes(const stream *s);
/* The most the stream has held at once (for tests: bounded). */
size_t stream_peak(const stream *s);

/* The libmicrohttpd response (struct MHD_Response *) that sends s with
 * chunked encoding and frees it when done; NULL when it cannot be made (s
 * is then freed). When bytes is not NULL the count sent so far is kept
 * there (it must outlive the request, not the response). */
void *stream_response(stream *s, size_t *bytes);

#endif
