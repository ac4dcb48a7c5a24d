/* api_sal: /api/v1/service_at_locations: the locator as an API, nearest
 * first through the geographic index when a point is given, filtered by
 * the other parameters in SQL, open now by the listings' hours. */
#include "locator/locator_api.h"
#include "locator/api_int.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_sal.h"
#include "hsds/hsds_store.h"
#include "http/api.h"
#include "http/stream.h"
#include "locator/geo.h"
#include "locator/listing.h"
#include "locator/locator.h"
#include "locator/locator_api_store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

/* ---- service_at_locations ---- */

typedef struct sal_hit {
    uint32_t rowid;
    double km; /* -1 when no point was given */
} sal_hit;

typedef struct hitlist {
    sal_hit *v;
    size_t n, cap;
} hitlist;

static void hits_push(hitlist *h, uint32_t rowid, double km)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = xrealloc(h->v, h->cap * sizeof(sal_hit));
    }
    h->v[h->n].rowid = rowid;
    h->v[h->n].km = km;
    h->n++;
}

static bool push_rowid(void *ctx, uint32_t rowid)
{
    hits_push(ctx, rowid, -1);
    return true;
}

static bool is_zip(const char *s)
{
    if (strlen(s) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

typedef struct sal_query {
    bool has_point, has_radius, open_now, full;
    double lat, lon, radius_km;
    uint64_t need;    /* Waypost term bits, for the geographic index */
    api_store_filter all;  /* every filter, for answers without a point */
    api_store_filter rest; /* what the index cannot answer (terms outside the Waypost taxonomy) */
} sal_query;

/* postcode, lat, lon and proximity; false when answered 400. */
static bool read_where(request *rq, response *rs, sal_query *q, const char **postcode_filter)
{
    const char *prox = req_str(rq, "proximity"), *postcode = req_str(rq, "postcode");
    *postcode_filter = "";
    if (req_has(rq, "lat") != req_has(rq, "lon")) { /* each is in range: the route's spec checked */
        const char *missing = req_has(rq, "lat") ? "lon" : "lat";
        api_bad_param(rs, missing, "lat and lon must be given together.");
        return false;
    }
    if (req_has(rq, "lat")) {
        q->lat = req_num(rq, "lat");
        q->lon = req_num(rq, "lon");
        q->has_point = true;
    }
    if (postcode) {
        if (!is_zip(postcode)) {
            api_bad_param(rs, "postcode", "postcode must be a 5-digit US ZIP code.");
            return false;
        }
        double zlat, zlon;
        bool known = locator_zip(postcode, &zlat, &zlon);
        if (!q->has_point && known) {
            q->lat = zlat;
            q->lon = zlon;
            q->has_point = true;
        }
        if (prox && !known && !q->has_point) {
            api_bad_param(rs, "postcode", T(rq, "That ZIP code is not one we know, so there is no point to measure from."));
            return false;
        }
        /* With proximity the postcode is only where to measure from;
         * without it, results are at locations with that postcode. */
        if (!prox)
            *postcode_filter = postcode;
    }
    if (prox) {
        double m = req_num(rq, "proximity");
        if (m <= 0) {
            api_bad_param(rs, "proximity", "proximity must be a distance in metres greater than 0.");
            return false;
        }
        if (!q->has_point) {
            api_bad_param(rs, "proximity", "proximity needs a point: lat and lon, or postcode.");
            return false;
        }
        q->radius_km = m / 1000.0;
        q->has_radius = true;
    }
    return true;
}

/* Reads the filters; false when answered 400. */
static bool read_sal_query(request *rq, response *rs, sqlite3 *db, sal_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *postcode;
    term_ids terms;
    q->open_now = req_bool(rq, "open_now");
    q->full = req_bool(rq, "full");
    if (!read_where(rq, rs, q, &postcode) || !api_read_filter(rq, rs, db, &q->all, &terms))
        return false;
    q->all.postcode = postcode;
    q->rest = q->all;
    q->rest.terms_json = terms.rest_json;
    q->need = terms.bits;
    return true;
}

/* Whether a filter narrows anything (then each index hit is tested in SQL). */
static bool needs_sql(const api_store_filter *f)
{
    return *f->postcode || *f->search || *f->since || *f->organization_id || *f->taxonomy_id ||
           strcmp(f->terms_json, "[]");
}

/* Every matching service-at-location in answer order (nearest first with a
 * point, else by rowid) before "open now". False on a database error.
 * A search from a point that the index alone can answer asks it for one
 * more match than the page needs (want): total_items is then exact when
 * there are no more, and otherwise a lower bound that says "at least one
 * more page" (last_page false), so paging still works. This keeps a
 * request from collecting every listing in a large radius. */
static bool sal_candidates(sqlite3 *db, const sal_query *q, size_t want, hitlist *out)
{
    if (!q->has_point)
        return api_store_sal_filter(db, &q->all, push_rowid, out);
    geo_index *g = geo_acquire();
    size_t cap = g ? geo_count(g) : 0;
    bool sql = needs_sql(&q->rest);
    if (!sql && !q->open_now && want < cap)
        cap = want; /* the index alone decides: no need to look further */
    geo_hit *hits = cap ? xmalloc(cap * sizeof(geo_hit)) : NULL;
    size_t n = cap ? geo_nearest(g, q->lat, q->lon, q->has_radius ? q->radius_km : INFINITY, q->need, hits, cap) : 0;
    geo_release(g);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        int m = sql ? api_store_sal_match(db, hits[i].id, &q->rest) : 1;
        if (m < 0) {
            ok = false;
            break;
        }
        if (m)
            hits_push(out, hits[i].id, hits[i].km);
    }
    free(hits);
    return ok;
}

/* Keeps only the listings open now (by their HSDS schedules, as the
 * locator's pages say it; unknown hours are not open). False when the
 * database could not say. */
static bool keep_open(sqlite3 *db, arena *a, hitlist *h, const char *default_zone)
{
    int64_t now = (int64_t)time(NULL);
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        hsds_listing l;
        int may = api_store_sal_may_have_hours(db, h->v[i].rowid);
        if (may < 0)
            return false;
        if (may == 0 || !hsds_store_listing(db, a, h->v[i].rowid, &l))
            continue;
        int open = -1;
        json_decref(listing_json(&l, now, false, &open, default_zone));
        if (open == 1)
            h->v[k++] = h->v[i];
    }
    h->n = k;
    return true;
}

/* With full=true: the whole service_at_location, built from the documents. */
static int put_full_sal(sqlite3 *db, arena *a, buf *out, const sal_hit *h, int lang)
{
    hsds_listing l;
    if (!hsds_store_listing(db, a, h->rowid, &l))
        return 0;
    json_t *o = hsds_sal_object(&l, true, h->km);
    api_localize_terms(o, lang); /* the Waypost terms' labels in the language asked for */
    char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    if (t)
        buf_puts(out, t);
    free(t);
    return t ? 1 : 0;
}

/* One list object appended to out: the cached brief (dir_sal_brief) when
 * there is one, else built from the stored documents; with a point,
 * "distance" (whole metres, a Waypost extension) comes first. 1 when one
 * was written, 0 when the listing has gone, -1 on a database error. */
static int put_sal(sqlite3 *db, arena *a, buf *out, const sal_hit *h, bool full, int lang)
{
    if (full)
        return put_full_sal(db, a, out, h, lang);
    size_t start = out->len;
    if (h->km >= 0)
        buf_printf(out, "{\"distance\":%lld,", (long long)llround(h->km * 1000.0));
    size_t at = out->len;
    int r = hsds_store_brief_into(db, h->rowid, out);
    if (r == 0) {
        hsds_listing l;
        char *t = hsds_store_listing(db, a, h->rowid, &l) ? hsds_sal_brief_text(&l) : NULL;
        if (t)
            buf_puts(out, t);
        r = t ? 1 : 0;
        free(t);
    }
    if (r != 1) {
        out->len = start;
        return r;
    }
    if (h->km >= 0) { /* drop the brief's own opening brace */
        memmove(out->data + at, out->data + at + 1, out->len - at - 1);
        out->len--;
    }
    return 1;
}

/* The page of hits as HSDS JSON (or NDJSON lines), written as text: the
 * list objects come ready-made from the cache, so nothing is parsed. */
static void send_sals(sqlite3 *db, response *rs, arena *a, const paging *p, const hitlist *h, bool full, int lang)
{
    size_t first = (size_t)api_page_offset(p);
    size_t end = p->per_page < 0 ? h->n : first + (size_t)p->per_page;
    buf items = BUF_INIT;
    long size = 0;
    for (size_t i = first; i < end && i < h->n; i++) {
        if (size && !p->ndjson)
            buf_putc(&items, ',');
        int r = put_sal(db, a, &items, &h->v[i], full, lang);
        if (r < 0) {
            buf_free(&items);
            api_db_failed(rs);
            return;
        }
        if (r && p->ndjson)
            buf_putc(&items, '\n');
        else if (!r && size && !p->ndjson)
            items.len--; /* the comma */
        size += r;
    }
    buf_reset(&rs->body);
    rs->status = 200;
    rs->content_type = p->ndjson ? "application/x-ndjson" : "application/json";
    if (p->ndjson) {
        if (items.len)
            buf_append(&rs->body, items.data, items.len);
        buf_free(&items);
        return;
    }
    long total = (long)h->n, pages = api_pages_for(p, total);
    buf_printf(&rs->body,
               "{\"total_items\":%ld,\"total_pages\":%ld,\"page_number\":%ld,\"size\":%ld,\"first_page\":%s,"
               "\"last_page\":%s,\"empty\":%s,\"contents\":[",
               total, pages, p->page, size, p->page == 1 ? "true" : "false", p->page >= pages ? "true" : "false",
               size ? "false" : "true");
    if (items.len)
        buf_append(&rs->body, items.data, items.len);
    buf_puts(&rs->body, "]}\n");
    buf_free(&items);
}

static void sal_list(request *rq, response *rs, sqlite3 *db, const paging *p)
{
    sal_query q;
    if (!read_sal_query(rq, rs, db, &q))
        return;
    hitlist h = {0};
    size_t want = p->per_page > 0 ? (size_t)api_page_offset(p) + (size_t)p->per_page + 1 : (size_t)-1;
    if (!sal_candidates(db, &q, want, &h) ||
        (q.open_now && !keep_open(db, &rq->a, &h, rq->cfg ? rq->cfg->timezone : NULL))) {
        free(h.v);
        api_db_failed(rs);
        return;
    }
    send_sals(db, rs, &rq->a, p, &h, q.full, api_lang(rq, rs));
    free(h.v);
}

/* ---- the whole list, streamed (format=ndjson without per_page) ---- */

typedef struct sal_stream {
    hitlist h;             /* with a point or open_now: the hits, in order */
    size_t next;
    api_store_rows *rows;  /* otherwise: the rowids, read as sent */
    bool full;
    int lang;
} sal_stream;

static void sal_stream_free(void *state)
{
    sal_stream *ss = state;
    free(ss->h.v);
    free(ss);
}

/* One listing a call: STREAM_MORE, STREAM_DONE or STREAM_FAILED. */
static int sal_stream_fill(void *state, sqlite3 *db, arena *scratch, buf *out)
{
    sal_stream *ss = state;
    sal_hit hit = {0, -1};
    if (ss->rows) {
        int r = api_store_rows_next(ss->rows, NULL, &hit.rowid);
        if (r <= 0)
            return r == 0 ? STREAM_DONE : STREAM_FAILED;
    } else if (ss->next < ss->h.n) {
        hit = ss->h.v[ss->next++];
    } else {
        return STREAM_DONE;
    }
    int r = put_sal(db, scratch, out, &hit, ss->full, ss->lang);
    if (r < 0)
        return STREAM_FAILED;
    if (r)
        buf_putc(out, '\n');
    return STREAM_MORE;
}

/* The filters are read first (a bad one is a 400 even when every stream
 * slot is taken), then the candidates found and every listing written in
 * the stream's one snapshot. Without a point or open_now the rowids come
 * from a cursor as the client reads; otherwise the ordered hits are held
 * (16 bytes a listing). */
static void sal_stream_list(request *rq, response *rs)
{
    int lang = api_lang(rq, rs);
    sqlite3 *tdb = db_thread();
    sal_query q;
    if (!tdb) {
        api_db_failed(rs);
        return;
    }
    if (!read_sal_query(rq, rs, tdb, &q))
        return;
    api_stream *as = api_stream_begin(rs);
    if (!as)
        return;
    sqlite3 *db = api_stream_db(as);
    sal_stream *ss = xcalloc(1, sizeof(*ss));
    ss->full = q.full;
    ss->lang = lang;
    bool ok;
    if (!q.has_point && !q.open_now) {
        api_store_filter *fc = arena_alloc(api_stream_arena(as), sizeof(*fc));
        *fc = api_filter_copy(api_stream_arena(as), &q.all);
        ss->rows = api_stream_rows(as);
        ok = api_store_sal_rows(db, fc, ss->rows);
    } else {
        arena tmp;
        arena_init(&tmp);
        ok = sal_candidates(db, &q, (size_t)-1, &ss->h) &&
             (!q.open_now || keep_open(db, &tmp, &ss->h, rq->cfg ? rq->cfg->timezone : NULL));
        arena_free(&tmp);
    }
    api_stream_send(as, rs, sal_stream_fill, ss, sal_stream_free);
    if (!ok) { /* nothing sent yet: answer 500 instead */
        stream_free(rs->stream);
        rs->stream = NULL;
        api_db_failed(rs);
    }
}

void api_service_at_locations(request *rq, response *rs)
{
    paging p;
    api_read_paging(rq, &p);
    if (api_streamed(&p)) {
        sal_stream_list(rq, rs);
        return;
    }
    sqlite3 *db = db_thread();
    if (!db || !db_read_begin(db)) {
        api_db_failed(rs);
        return;
    }
    sal_list(rq, rs, db, &p);
    db_read_end(db);
}

/* The id is looked up and the listing read in one read transaction, so an
 * import between the two cannot turn "just removed" (404) into 500. */
void api_service_at_location(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    if (!db || !db_read_begin(db)) {
        api_db_failed(rs);
        return;
    }
    bool failed = true;
    uint32_t rowid = api_store_sal_rowid(db, req_param(rq, "id"), &failed);
    hsds_listing l;
    bool found = !failed && rowid && hsds_store_listing(db, &rq->a, rowid, &l);
    db_read_end(db);
    if (!failed && !rowid)
        api_not_found(rs, T(rq, "There is no service_at_location with that id."));
    else if (!found) /* it exists but cannot be read */
        api_db_failed(rs);
    else {
        json_t *o = hsds_sal_object(&l, true, -1);
        api_localize_terms(o, api_lang(rq, rs));
        api_send(rs, 200, o);
    }
}
