/* api_int: what the HSDS 3.0 API's files share (locator_api.c defines
 * it; api_services.c, api_taxonomies.c and api_sal.c use it). Not for
 * other modules. */
#ifndef WP_API_INT_H
#define WP_API_INT_H

#include "http/http.h"
#include "locator/locator_api_store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define PER_PAGE_DEFAULT 20

typedef struct paging {
    long page, per_page; /* per_page -1: everything (ndjson without per_page) */
    bool ndjson;
} paging;

typedef struct sink {
    response *rs; /* NULL in a stream */
    buf *out;     /* where NDJSON lines go: the body, or a stream's buffer */
    bool ndjson;
    json_t *list;
    bool failed;
} sink;

/* taxonomy_term_id, looked up once: every id, and split for the
 * geographic index into Waypost codes (bits) and the other terms. */
typedef struct term_ids {
    const char *all_json;  /* every id, a JSON array */
    const char *rest_json; /* ids the index cannot test (no Waypost bit) */
    uint64_t bits;         /* Waypost term bits */
} term_ids;

void api_bad_param(response *rs, const char *name, const char *message);
void api_not_found(response *rs, const char *what);
/* 500: the directory could not be read. */
void api_db_failed(response *rs);

/* page, per_page and format, checked by the route's spec. */
void api_read_paging(const request *rq, paging *p);
long api_page_offset(const paging *p);
long api_pages_for(const paging *p, long total);
/* The HSDS page object around contents (reference stolen). */
json_t *api_page_of(const paging *p, long total, json_t *contents);

void api_sink_init(sink *s, response *rs, bool ndjson);
/* One stored JSON text as one line of out (raw newlines are whitespace). */
void api_ndjson_line(buf *out, const char *raw);
/* Adds a stored JSON text (a store callback: ctx is the sink). */
bool api_sink_raw(void *ctx, const char *raw);
/* Adds an object (reference stolen). */
bool api_sink_obj(sink *s, json_t *o);
/* Sends the page (or the NDJSON lines) with its total. */
void api_sink_send(sink *s, const paging *p, long total);
/* Sends one stored JSON document as the answer. */
void api_send_raw(response *rs, const char *raw);

/* ---- streamed NDJSON lists (api_stream.c) ----
 *
 * format=ndjson without per_page is sent while it is read (http/stream.h)
 * from one read transaction on a connection of its own (db_stream_acquire),
 * held until the answer is sent or the client goes away; memory is one
 * buffer of about STREAM_CHUNK and the largest record, whatever the size of
 * the answer. */
typedef struct api_stream api_stream;
/* Takes a stream connection and begins its read transaction; NULL when
 * answered: 503 with Retry-After when every stream connection is in use,
 * 500 when the database fails. */
api_stream *api_stream_begin(response *rs);
/* The stream's connection (in its read transaction) and its arena (freed
 * with the stream: filter copies, row contexts). */
sqlite3 *api_stream_db(api_stream *as);
arena *api_stream_arena(api_stream *as);
/* A sink whose lines go into the stream (the row callbacks' target). */
sink *api_stream_sink(api_stream *as);
/* Its cursor, for the _rows functions of locator_api_store.h. */
api_store_rows *api_stream_rows(api_stream *as);
/* Sends the cursor's rows, each through row(ctx, raw) into the stream's
 * sink, as the answer (200 application/x-ndjson); free_ctx (may be NULL)
 * releases what ctx holds outside the stream's arena, with the stream. */
void api_stream_send_rows(api_stream *as, response *rs, api_store_raw_fn row, void *ctx, void (*free_ctx)(void *));
/* Sends what fill makes (called with the stream's db, a scratch arena
 * emptied after every call, and out): STREAM_MORE/DONE/FAILED. free_state
 * (may be NULL) releases state with the stream. */
typedef int (*api_stream_fill_fn)(void *state, sqlite3 *db, arena *scratch, buf *out);
void api_stream_send(api_stream *as, response *rs, api_stream_fill_fn fill, void *state, void (*free_state)(void *));
/* Gives the connection back without answering (the caller answers). */
void api_stream_abort(api_stream *as);
/* Whether a list with paging p is streamed (ndjson without per_page). */
bool api_streamed(const paging *p);

/* Puts the Waypost taxonomy's and its terms' names and descriptions
 * anywhere inside v (a taxonomy, a term, a service...) into lang. */
void api_localize_terms(json_t *v, int lang);
/* api_send_raw with the Waypost labels in lang. */
void api_send_localized(response *rs, const char *raw, int lang);

/* An ISO 8601 date or date-time as UTC "YYYY-MM-DDTHH:MM:SSZ"; false when
 * it is not one. */
bool api_iso_to_utc(const char *s, char out[32]);
/* search ("" when absent). */
const char *api_read_search(const request *rq);
/* A JSON value as compact text in arena a. */
const char *api_json_text(arena *a, json_t *v);
bool api_read_terms(request *rq, response *rs, sqlite3 *db, term_ids *t);
/* search, organization_id, taxonomy_id, taxonomy_term_id, modified_after;
 * false when answered 400. */
bool api_read_filter(request *rq, response *rs, sqlite3 *db, api_store_filter *f, term_ids *terms);
/* The filter with its strings copied into a (a stream outlives the
 * request that made it). */
api_store_filter api_filter_copy(arena *a, const api_store_filter *f);

#endif
