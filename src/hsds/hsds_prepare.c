/* hsds_prepare: an import's records parsed and turned into their stored
 * texts ahead of the writes (see hsds_prepare.h). The writer thread owns
 * the database; this side touches only the text and the records it makes,
 * each handed over whole through a small queue. */
#include "hsds/hsds_prepare.h"
#include "hsds/hsds_sal.h"
#include "core/json_canon.h"
#include "core/json_load.h"
#include "core/json_span.h"
#include "db/brief_zip.h"
#include "db/doc_zip.h"
#include "db/nested_doc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_SLOTS 64
#define MAX_MEMBERS 256 /* a service's top-level fields read as spans (HSDS has about 40) */

char *hsds_prepare_dump(json_t *o)
{
    return json_is_object(o) ? json_canon(o) : NULL;
}

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Whether listing i of sals can be cached from the record itself: its
 * location is in it, and no other listing of the record has its id or its
 * location's id (the stored copy would then be the last one written). */
static bool cacheable(json_t *sals, size_t i)
{
    json_t *sal = json_array_get(sals, i), *loc = json_object_get(sal, "location");
    const char *id = str_of(sal, "id"), *loc_id = str_of(loc, "id");
    size_t n = json_array_size(sals);
    if (!json_is_object(loc) || !id || !loc_id || n > HSDS_PREPARE_MAX_SALS)
        return false;
    for (size_t k = 0; k < n; k++) {
        json_t *other = json_array_get(sals, k);
        const char *oid = str_of(other, "id"), *oloc = str_of(json_object_get(other, "location"), "id");
        if (k != i && ((oid && !strcmp(oid, id)) || (oloc && !strcmp(oloc, loc_id))))
            return false;
    }
    return true;
}

/* The value of the member named key when it is an object. */
static bool object_member(const json_member *m, int n, const char *key, json_span *v)
{
    return json_span_member(m, n, key, v) && v->p[0] == '{';
}

/* The stored form of a small document (brief_zip.h), made here in the
 * reader thread; left empty when the text is to be stored as it is. */
static void zip_small(const char *text, buf *out)
{
    if (text && !brief_zip(text, strlen(text), out))
        buf_reset(out);
}

/* Whether found (n bytes) is the text want. */
static bool same_text(const char *found, size_t n, const char *want)
{
    return found && want && strlen(want) == n && !memcmp(found, want, n);
}

static char *span_dup(json_span s)
{
    return strndup(s.p, s.n);
}

/* A listing's stored location text and brief, read out of the service's
 * dump (json_span.h) where it can be, else made from the parsed record;
 * el is the listing's text in the dump, or NULL. */
static void prepare_sal(hsds_prepared *p, json_t *svc, json_t *sals, size_t i, const json_span *el,
                        const json_member *top, int ntop)
{
    json_t *sal = json_array_get(sals, i), *loc = json_object_get(sal, "location");
    json_member sm[128];
    int nsm = el ? json_span_members(*el, sm, 128) : -1;
    json_span loc_text;
    bool have_loc = nsm >= 0 && object_member(sm, nsm, "location", &loc_text);
    if (json_is_object(loc))
        p->loc_raw[i] = have_loc ? span_dup(loc_text) : hsds_prepare_dump(loc);
    zip_small(p->loc_raw[i], &p->loc_stored[i]);
    const char *found = NULL;
    size_t n = 0;
    const char *sal_id = str_of(sal, "id");
    if (p->raw && sal_id && nested_doc_location(p->raw, p->raw_len, sal_id, &found, &n))
        p->loc_nested[i] = same_text(found, n, p->loc_raw[i]);
    if (!str_of(svc, "id") || !cacheable(sals, i))
        return;
    if (have_loc)
        p->brief[i] = hsds_sal_brief_of_text(top, ntop, sm, nsm, loc_text);
    if (!p->brief[i])
        p->brief[i] = hsds_sal_brief_of(svc, sal, str_of(sal, "id"), str_of(svc, "id"), str_of(loc, "id"), loc);
    zip_small(p->brief[i], &p->brief_stored[i]);
}

static void prepare_sals(hsds_prepared *p, json_t *svc, const json_member *top, int ntop)
{
    json_t *sals = json_object_get(svc, "service_at_locations");
    size_t n = json_array_size(sals);
    if (!n || n > HSDS_PREPARE_MAX_SALS)
        return;
    p->loc_raw = calloc(n, sizeof(char *));
    p->brief = calloc(n, sizeof(char *));
    p->brief_stored = calloc(n, sizeof(buf));
    p->loc_stored = calloc(n, sizeof(buf));
    if (!p->loc_raw || !p->brief || !p->brief_stored || !p->loc_stored)
        return;
    p->nsals = n;
    json_span text, el[HSDS_PREPARE_MAX_SALS];
    bool spans = json_span_member(top, ntop, "service_at_locations", &text) &&
                 json_span_elements(text, el, HSDS_PREPARE_MAX_SALS) == (int)n;
    for (size_t i = 0; i < n; i++)
        prepare_sal(p, svc, sals, i, spans ? &el[i] : NULL, top, ntop);
}

void hsds_prepare(hsds_prepared *p, json_t *svc, long line)
{
    memset(p, 0, sizeof(*p));
    p->line = line;
    p->svc = svc;
    if (!json_is_object(svc))
        return;
    p->raw = hsds_prepare_dump(svc);
    size_t raw_len = p->raw_len = p->raw ? strlen(p->raw) : 0;
    if (p->raw) {
        buf_init(&p->stored, 0);
        if (!doc_zip(p->raw, raw_len, &p->stored))
            buf_reset(&p->stored);
    }
    /* the service's top-level members in its dump (json_span.h): the
     * organization, the locations and the briefs are read out of it */
    json_member top[MAX_MEMBERS];
    int ntop = p->raw ? json_span_members((json_span){p->raw, raw_len}, top, MAX_MEMBERS) : -1;
    /* (a record too large to write out is refused before its members
     * are read: their copy could outgrow its arena) */
    if (p->raw)
        hsds_fields_of(&p->f, &p->mem, svc, ntop >= 0 ? top : NULL, ntop);
    json_t *org = json_object_get(svc, "organization");
    json_span org_text;
    if (json_is_object(org))
        p->org_raw = object_member(top, ntop, "organization", &org_text) ? span_dup(org_text) : hsds_prepare_dump(org);
    zip_small(p->org_raw, &p->org_stored);
    const char *found = NULL;
    size_t n = 0;
    if (p->raw && nested_doc_organization(p->raw, raw_len, &found, &n))
        p->org_nested = same_text(found, n, p->org_raw);
    prepare_sals(p, svc, top, ntop);
    json_t *alt = json_object_get(svc, "alternate_name"), *desc = json_object_get(svc, "description");
    p->search_plain = (!alt || json_is_null(alt) || json_is_string(alt)) && (!desc || json_is_null(desc) || json_is_string(desc));
    p->search_alt = p->f.alternate_name;
    p->search_desc = p->f.description;
    p->checked = true;
    p->check_ok = hsds_tables_check_terms(svc, &p->terms, p->check_field, sizeof(p->check_field), &p->check_what);
}

void hsds_prepared_free(hsds_prepared *p)
{
    json_decref(p->svc);
    free(p->raw);
    buf_free(&p->stored);
    free(p->org_raw);
    for (size_t i = 0; i < p->nsals; i++) {
        free(p->loc_raw[i]);
        free(p->brief[i]);
        buf_free(&p->brief_stored[i]);
        buf_free(&p->loc_stored[i]);
    }
    free(p->loc_raw);
    free(p->brief);
    free(p->brief_stored);
    free(p->loc_stored);
    buf_free(&p->org_stored);
    if (p->checked)
        hsds_rows_free(&p->terms);
    arena_free(&p->mem);
    memset(p, 0, sizeof(*p));
}

struct hsds_pipe {
    const char *text;
    size_t len, pos;
    long line;
    bool threaded, done, stop; /* done: the reader has made its last record */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    hsds_prepared slot[PIPE_SLOTS];
    size_t head, count;
    /* records the writer is done with, for the reader to free: memory
     * goes back to the thread (and malloc arena) that made it, instead of
     * both threads taking each other's arena lock on every free */
    hsds_prepared used[PIPE_SLOTS];
    size_t nused;
    bool reader_waits, writer_waits; /* on room, on more */
};

/* Reads and prepares the next non-empty line; false at the end of the
 * text or after a parse error (which is still made into a record). */
static bool read_next(hsds_pipe *pp, hsds_prepared *out)
{
    while (pp->pos < pp->len) {
        const char *start = pp->text + pp->pos;
        const char *nl = memchr(start, '\n', pp->len - pp->pos);
        size_t n = nl ? (size_t)(nl - start) : pp->len - pp->pos;
        pp->pos += n + (nl ? 1 : 0);
        pp->line++;
        while (n && (start[n - 1] == '\r' || start[n - 1] == ' '))
            n--;
        if (!n)
            continue;
        json_error_t je;
        json_t *svc = json_load_fast(start, n, &je);
        hsds_prepare(out, svc, pp->line);
        if (!svc) {
            snprintf(out->err, sizeof(out->err), "line %ld, column %d: %s", pp->line, je.column, je.text);
            pp->pos = pp->len;
        }
        return true;
    }
    return false;
}

/* Frees the records the writer gave back (called without the lock). */
static void free_used(hsds_pipe *pp)
{
    hsds_prepared batch[PIPE_SLOTS];
    pthread_mutex_lock(&pp->mu);
    size_t n = pp->nused;
    memcpy(batch, pp->used, n * sizeof(batch[0]));
    pp->nused = 0;
    pthread_mutex_unlock(&pp->mu);
    for (size_t i = 0; i < n; i++)
        hsds_prepared_free(&batch[i]);
}

/* The reader waits when the ring is full and is woken when it is half
 * empty, and wakes the writer only when it waits: a wake-up (a system
 * call and a switch) per batch of records rather than per record. */
static void *reader(void *arg)
{
    hsds_pipe *pp = arg;
    for (;;) {
        free_used(pp);
        hsds_prepared p;
        bool got = read_next(pp, &p);
        pthread_mutex_lock(&pp->mu);
        while (got && pp->count == PIPE_SLOTS && !pp->stop) {
            pp->reader_waits = true;
            pthread_cond_wait(&pp->room, &pp->mu);
        }
        pp->reader_waits = false;
        bool stop = pp->stop;
        if (got && !stop) {
            pp->slot[(pp->head + pp->count) % PIPE_SLOTS] = p;
            pp->count++;
        }
        if (!got || stop)
            pp->done = true;
        if (pp->writer_waits)
            pthread_cond_signal(&pp->more);
        pthread_mutex_unlock(&pp->mu);
        if (stop && got)
            hsds_prepared_free(&p);
        if (!got || stop)
            return NULL;
    }
}

hsds_pipe *hsds_pipe_start(const char *text, size_t len)
{
    hsds_pipe *pp = calloc(1, sizeof(*pp));
    if (!pp)
        return NULL;
    pp->text = text;
    pp->len = len;
    pthread_mutex_init(&pp->mu, NULL);
    pthread_cond_init(&pp->more, NULL);
    pthread_cond_init(&pp->room, NULL);
    pp->threaded = pthread_create(&pp->thread, NULL, reader, pp) == 0;
    return pp;
}

bool hsds_pipe_next(hsds_pipe *pp, hsds_prepared *out)
{
    if (!pp->threaded)
        return read_next(pp, out);
    pthread_mutex_lock(&pp->mu);
    while (pp->count == 0 && !pp->done) {
        pp->writer_waits = true;
        pthread_cond_wait(&pp->more, &pp->mu);
    }
    pp->writer_waits = false;
    bool got = pp->count > 0;
    if (got) {
        *out = pp->slot[pp->head];
        pp->head = (pp->head + 1) % PIPE_SLOTS;
        pp->count--;
        if (pp->reader_waits && pp->count <= PIPE_SLOTS / 2)
            pthread_cond_signal(&pp->room);
    }
    pthread_mutex_unlock(&pp->mu);
    return got;
}

void hsds_pipe_done(hsds_pipe *pp, hsds_prepared *p)
{
    bool kept = false;
    if (pp->threaded) {
        pthread_mutex_lock(&pp->mu);
        if (pp->nused < PIPE_SLOTS && !pp->done) {
            pp->used[pp->nused++] = *p;
            kept = true;
        }
        pthread_mutex_unlock(&pp->mu);
    }
    if (kept)
        memset(p, 0, sizeof(*p));
    else
        hsds_prepared_free(p);
}

void hsds_pipe_stop(hsds_pipe *pp)
{
    if (!pp)
        return;
    if (pp->threaded) {
        pthread_mutex_lock(&pp->mu);
        pp->stop = true;
        pthread_cond_signal(&pp->room);
        pthread_mutex_unlock(&pp->mu);
        pthread_join(pp->thread, NULL);
    }
    for (; pp->count; pp->count--, pp->head = (pp->head + 1) % PIPE_SLOTS)
        hsds_prepared_free(&pp->slot[pp->head]);
    for (size_t i = 0; i < pp->nused; i++)
        hsds_prepared_free(&pp->used[i]);
    pthread_mutex_destroy(&pp->mu);
    pthread_cond_destroy(&pp->more);
    pthread_cond_destroy(&pp->room);
    free(pp);
}
