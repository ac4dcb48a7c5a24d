/* api_stream: the HSDS API's NDJSON lists sent while they are read
 * (issue 17, items 3 and 4). A list asked for as format=ndjson without
 * per_page has no size limit of its own: built in memory it took RSS to
 * gigabytes with a few slow clients and was cut at 64 MiB while still
 * answering 200. Here every such list is read from one read transaction
 * (one snapshot: writes committed meanwhile are not seen, so the answer
 * is consistent) on a connection of its own (db_stream_acquire), held
 * until libmicrohttpd is done with the answer, and made a chunk at a time
 * as the client reads (http/stream.h). A database error mid-way ends the
 * chunked body unterminated: the client sees it incomplete. The only limit
 * is the number of stream connections, answered 503 before any byte. */
#include "locator/api_int.h"
#include "core/util.h"
#include "db/db.h"
#include "http/api.h"
#include "http/stream.h"

#include <stdlib.h>
#include <string.h>

struct api_stream {
    sqlite3 *db;     /* our own connection, in a read transaction */
    arena a;         /* lives as long as the stream */
    arena scratch;   /* emptied after every fill */
    api_store_rows rows;
    sink s;
    api_store_raw_fn row; /* with rows: one row into s */
    void *row_ctx;
    api_stream_fill_fn fill; /* otherwise: the caller's producer */
    void *state;
    void (*free_state)(void *);
};

bool api_streamed(const paging *p)
{
    return p->ndjson && p->per_page < 0;
}

api_stream *api_stream_begin(response *rs)
{
    sqlite3 *db = db_stream_acquire();
    if (!db) {
        resp_header(rs, "Retry-After", "5");
        api_error(rs, 503,
                  "Too many whole-list answers are being sent right now. Try again in a few seconds, "
                  "or ask for pages (per_page).",
                  NULL);
        return NULL;
    }
    if (!db_read_begin(db)) {
        db_stream_release(db);
        api_db_failed(rs);
        return NULL;
    }
    api_stream *as = xcalloc(1, sizeof(*as));
    as->db = db;
    arena_init(&as->a);
    arena_init(&as->scratch);
    as->s.ndjson = true;
    return as;
}

sqlite3 *api_stream_db(api_stream *as)
{
    return as->db;
}

arena *api_stream_arena(api_stream *as)
{
    return &as->a;
}

sink *api_stream_sink(api_stream *as)
{
    return &as->s;
}

api_store_rows *api_stream_rows(api_stream *as)
{
    return &as->rows;
}

void api_stream_abort(api_stream *as)
{
    if (!as)
        return;
    api_store_rows_close(&as->rows);
    if (as->free_state)
        as->free_state(as->state);
    db_stream_release(as->db);
    arena_free(&as->scratch);
    arena_free(&as->a);
    free(as);
}

static void stream_done(void *ctx)
{
    api_stream_abort(ctx);
}

/* One row of the cursor through the row callback. */
static enum stream_fill rows_fill(api_stream *as, buf *out)
{
    const char *raw = NULL;
    int r = api_store_rows_next(&as->rows, &raw, NULL);
    if (r <= 0)
        return r == 0 ? STREAM_DONE : STREAM_FAILED;
    as->s.out = out;
    if (!as->row(as->row_ctx, raw) || as->s.failed)
        return STREAM_FAILED;
    return STREAM_MORE;
}

static enum stream_fill fill(void *ctx, buf *out)
{
    api_stream *as = ctx;
    enum stream_fill r = as->fill ? (enum stream_fill)as->fill(as->state, as->db, &as->scratch, out) : rows_fill(as, out);
    arena_free(&as->scratch);
    arena_init(&as->scratch);
    if (r != STREAM_MORE) /* the snapshot is not needed any more */
        api_store_rows_close(&as->rows);
    return r;
}

static void answer(api_stream *as, response *rs)
{
    rs->status = 200;
    rs->content_type = "application/x-ndjson";
    buf_reset(&rs->body);
    rs->stream = stream_new(fill, stream_done, as);
}

void api_stream_send_rows(api_stream *as, response *rs, api_store_raw_fn row, void *ctx, void (*free_ctx)(void *))
{
    as->row = row;
    as->row_ctx = ctx;
    as->state = ctx;
    as->free_state = free_ctx;
    answer(as, rs);
}

void api_stream_send(api_stream *as, response *rs, api_stream_fill_fn f, void *state, void (*free_state)(void *))
{
    as->fill = f;
    as->state = state;
    as->free_state = free_state;
    answer(as, rs);
}
