/* locator: the taxonomy's codes and bits (read from data/), the index
 * snapshot and its watcher, ZIPs. */
#include "locator/locator.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/util.h"
#include "core/vocab.h"
#include "db/db.h"
#include "hsds/hsds_store.h"
#include "locator/geo.h"
#include "locator/map_snapshot.h"
#include "hsds/hsds_cache.h"
#include "locator/places.h"

#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the Waypost taxonomy's codes (data/taxonomy/waypost.json) ---- */

#define TAXONOMY_FILE "taxonomy/waypost.json"

const loc_code *loc_codes;
int loc_ncodes;
static vocab codes_file; /* the strings of loc_codes point into it */

/* Reads one list ("terms" or "attributes") of the taxonomy into out,
 * checking each entry and the codes and bits before it (out[0..*n)). */
static bool codes_read_list(vocab *v, const char *list, bool attribute, loc_code *out, int *n)
{
    json_t *entries = vocab_list(v, list, attribute ? 0 : 1, 64);
    if (!entries)
        return false;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        const char *code = vocab_text(e, "code"), *label = vocab_text(e, "name");
        json_t *bit = json_object_get(e, "bit");
        if (!vocab_slug(code, 64))
            return vocab_bad(v, list, i, code, "the code must be 1 to 63 of a-z, 0-9 and -");
        if (!label)
            return vocab_bad(v, list, i, code, "no name");
        if (!json_is_integer(bit) || json_integer_value(bit) < 0 || json_integer_value(bit) > 63)
            return vocab_bad(v, list, i, code, "\"bit\" must be a whole number from 0 to 63");
        for (int k = 0; k < *n; k++) {
            if (!strcmp(out[k].code, code))
                return vocab_bad(v, list, i, code, "the code is listed twice");
            if (out[k].bit == (int)json_integer_value(bit))
                return vocab_bad(v, list, i, code, "bit %d is already the bit of \"%s\"", out[k].bit, out[k].code);
        }
        if (*n == 64)
            return vocab_bad(v, list, i, code, "more than 64 codes (each needs one of 64 bits)");
        out[(*n)++] = (loc_code){code, label, attribute, (int)json_integer_value(bit)};
    }
    return true;
}

bool locator_codes_load(const config *cfg, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, cfg->data_dir, TAXONOMY_FILE, err, errlen))
        return false;
    loc_code *codes = xcalloc(64, sizeof(loc_code));
    int n = 0;
    if (!codes_read_list(&v, "terms", false, codes, &n) || !codes_read_list(&v, "attributes", true, codes, &n)) {
        free(codes);
        vocab_close(&v);
        return false;
    }
    locator_codes_free();
    codes_file = v;
    loc_codes = codes;
    loc_ncodes = n;
    return true;
}

void locator_codes_free(void)
{
    free((void *)loc_codes);
    loc_codes = NULL;
    loc_ncodes = 0;
    vocab_close(&codes_file);
}

const loc_code *loc_code_find(const char *code)
{
    for (int i = 0; i < loc_ncodes; i++)
        if (!strcmp(loc_codes[i].code, code))
            return &loc_codes[i];
    return NULL;
}

uint64_t loc_code_bit(const char *code)
{
    const loc_code *c = loc_code_find(code);
    return c ? (uint64_t)1 << c->bit : 0;
}

uint64_t loc_codes_bits(const char *codes)
{
    uint64_t bits = 0;
    char one[64];
    while (codes && *codes) {
        size_t n = strcspn(codes, ",");
        if (n < sizeof(one)) {
            memcpy(one, codes, n);
            one[n] = '\0';
            bits |= loc_code_bit(one);
        }
        codes += n + (codes[n] == ',');
    }
    return bits;
}

/* ---- the index snapshot ---- */

/* Listings share a few hundred code lists ("naloxone,syringes"): each
 * list's bits are worked out once per build, not once per point. */
#define CODES_MEMO 4096
#define CODES_MEMO_LEN 120

struct codes_memo {
    char codes[CODES_MEMO_LEN];
    uint64_t bits;
    bool used;
};

struct points {
    geo_point *p;
    size_t n, cap;
    struct codes_memo memo[CODES_MEMO];
};

static uint64_t memo_bits(struct points *ps, const char *codes)
{
    size_t len = strlen(codes);
    if (len >= CODES_MEMO_LEN)
        return loc_codes_bits(codes);
    struct codes_memo *m = &ps->memo[str_hash(codes) % CODES_MEMO];
    if (m->used && !strcmp(m->codes, codes))
        return m->bits;
    memcpy(m->codes, codes, len + 1);
    m->bits = loc_codes_bits(codes);
    m->used = true;
    return m->bits;
}

static void add_point(void *ctx, uint32_t id, double lat, double lon, const char *codes)
{
    struct points *ps = ctx;
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 4096;
        ps->p = xrealloc(ps->p, ps->cap * sizeof(geo_point));
    }
    ps->p[ps->n++] = (geo_point){lat, lon, memo_bits(ps, codes), id};
}

/* Listings on the dirty list (changed by another tool, or stored before
 * the cache existed) are worked out here; a read-only or busy database
 * only means they are missing from the index until the next change. */
static void refresh_cache(sqlite3 *db)
{
    uint32_t *dirty;
    long n = hsds_store_cache_dirty(db, &dirty);
    free(dirty);
    if (n == 0)
        return; /* the usual case (imports work the list off): no write lock taken */
    long done = 0;
    if (!db_begin(db)) {
        log_error("directory: could not update the listing cache (database busy or read-only)");
        return;
    }
    if (hsds_cache_refresh(db, false, &done) && db_commit(db)) {
        if (done)
            log_info("directory: %ld listings added to the cache", done);
        return;
    }
    db_rollback(db);
    log_error("directory: could not update the listing cache");
}

/* The directory's stamp (hsds_store_index_stamp) read just before the
 * points of the latest index: the watcher starts from it, so a change
 * written between that read and the watcher's start is not missed. -1:
 * none read. Written by the thread that builds, read by the watcher
 * (which the first build's thread joins before it starts). */
static long built_generation = -1;
/* Whether the latest index was read row by row (no kept copy matched). */
static bool built_from_rows;

/* The taxonomy's codes and bits ("naloxone:0,syringes:1,..."): a kept
 * copy of the points holds their bits, so it is only good for this list. */
static void taxonomy_label(buf *b)
{
    for (int i = 0; i < loc_ncodes; i++)
        buf_printf(b, "%s%s:%d", i ? "," : "", loc_codes[i].code, loc_codes[i].bit);
}

/* Every listing's point, row by row. */
static bool read_rows(sqlite3 *db, struct points *ps)
{
    /* sized once (rowids run from 1, so the largest bounds the count; a
     * database with many deleted listings may over-ask: capped) */
    long long bound = hsds_store_points_bound(db);
    if (bound > 0) {
        ps->cap = bound < (1LL << 24) ? (size_t)bound : (size_t)1 << 24;
        ps->p = xmalloc_large(ps->cap * sizeof(geo_point));
    }
    return hsds_store_each_point(db, add_point, ps);
}

static void copy_begin(void *ctx, size_t len)
{
    map_snapshot_read_begin(ctx, len);
}

static void copy_piece(void *ctx, const unsigned char *p, size_t n)
{
    map_snapshot_read_feed(ctx, p, n);
}

/* The points at generation: from the kept copy (migration 0020) when it
 * was kept at this generation and taxonomy and checks out, else row by
 * row (*from_rows). */
static bool read_points(sqlite3 *db, long generation, const char *taxonomy, struct points *ps, bool *from_rows)
{
    map_snapshot_reader r;
    memset(&r, 0, sizeof(r));
    bool found = generation >= 0 && hsds_store_map_copy_read(db, generation, taxonomy, copy_begin, copy_piece, &r);
    geo_point *p;
    size_t n;
    bool whole = map_snapshot_read_end(&r, &p, &n); /* also frees what a failed read was given */
    if (found && whole) {
        ps->p = p;
        ps->n = ps->cap = n;
        *from_rows = false;
        return true;
    }
    free(p);
    if (found)
        log_info("directory: the kept copy of the map's points did not check out; reading every listing");
    *from_rows = true;
    return read_rows(db, ps);
}

/* Keeps the points read at generation as the copy the next start reads. */
static void keep_copy(sqlite3 *db, long generation, const char *taxonomy, const struct points *ps)
{
    if (generation < 0 || ps->n > UINT32_MAX / 2)
        return;
    size_t len = map_snapshot_size(ps->n);
    unsigned char *blob = xmalloc(len);
    map_snapshot_pack(ps->p, ps->n, blob);
    if (!hsds_store_map_copy_write(db, generation, taxonomy, blob, len))
        log_info("directory: could not keep a copy of the map's points (database busy or read-only): the next "
                 "start reads every listing");
    free(blob);
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Builds and publishes the index; with keep, a copy of points read row by
 * row is kept for the next start. */
static bool rebuild(const char *db_path, bool keep, char *err, size_t errlen)
{
    sqlite3 *db = db_open_command(db_path, err, errlen);
    if (!db)
        return false;
    refresh_cache(db);
    db_for_one_scan(db); /* a small cache and a memory map: each page is read once */
    long generation = -1;
    bool dirty = false, from_rows = true;
    if (!hsds_store_index_stamp(db, &generation, &dirty) || dirty)
        generation = -1; /* the watcher then rebuilds at once */
    buf taxonomy = BUF_INIT;
    taxonomy_label(&taxonomy);
    struct timespec t0, t1, t2, c0, c2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    struct points *ps = xcalloc(1, sizeof(*ps));
    bool ok = read_points(db, generation, buf_cstr(&taxonomy), ps, &from_rows);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (ok) {
        geo_publish(geo_build(ps->p, ps->n));
        built_generation = generation;
        built_from_rows = from_rows;
    } else {
        snprintf(err, errlen, "could not read the directory's locations");
    }
    clock_gettime(CLOCK_MONOTONIC, &t2);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c2);
    if (ok)
        log_info("directory: map index of %zu listings in %.2f s, cpu %.2f s (%s %.2f s, build %.2f s)", ps->n,
                 seconds(&t0, &t2), seconds(&c0, &c2), from_rows ? "read" : "read from its kept copy",
                 seconds(&t0, &t1), seconds(&t1, &t2));
    if (ok && keep && from_rows)
        keep_copy(db, generation, buf_cstr(&taxonomy), ps);
    db_close(db);
    buf_free(&taxonomy);
    free(ps->p);
    free(ps);
    malloc_trim(0);
    return ok;
}

bool locator_rebuild(const char *db_path, char *err, size_t errlen)
{
    return rebuild(db_path, false, err, errlen);
}

bool locator_index_from_copy(void)
{
    return !built_from_rows;
}

/* After a start that read every listing: reads them again, off the
 * start's path, and keeps the copy the next start reads (unless a change
 * came in meanwhile: the rebuild that follows keeps its own). */
static void keep_copy_after_start(const char *db_path)
{
    if (!built_from_rows || built_generation < 0)
        return;
    char err[256];
    sqlite3 *db = db_open_command(db_path, err, sizeof(err));
    if (!db)
        return;
    db_for_one_scan(db);
    long generation = -1;
    bool dirty = true;
    struct points *ps = xcalloc(1, sizeof(*ps));
    buf taxonomy = BUF_INIT;
    taxonomy_label(&taxonomy);
    if (hsds_store_index_stamp(db, &generation, &dirty) && !dirty && generation == built_generation &&
        read_rows(db, ps))
        keep_copy(db, generation, buf_cstr(&taxonomy), ps);
    buf_free(&taxonomy);
    free(ps->p);
    free(ps);
    db_close(db);
}

/* ---- the first index, built while the other features load ---- */

static pthread_t first_build;
static bool first_running, first_ok;
static char first_path[1024], first_err[512];

static void *first_build_run(void *arg)
{
    (void)arg;
    first_ok = locator_rebuild(first_path, first_err, sizeof(first_err));
    return NULL;
}

void locator_index_begin(const char *db_path)
{
    str_copy(first_path, sizeof(first_path), db_path);
    /* Listings on the dirty list are cached here first: that write would
     * hold the database's write lock while the features loading beside the
     * thread write theirs (the content's search index), and they would be
     * refused as busy. The thread then only reads. */
    char err[256];
    sqlite3 *db = db_open_command(first_path, err, sizeof(err));
    if (db) {
        refresh_cache(db);
        db_close(db);
    }
    first_running = pthread_create(&first_build, NULL, first_build_run, NULL) == 0;
    if (!first_running) /* no thread: built here instead */
        first_ok = locator_rebuild(first_path, first_err, sizeof(first_err));
}

bool locator_index_end(char *err, size_t errlen)
{
    if (first_running)
        pthread_join(first_build, NULL);
    first_running = false;
    if (!first_ok) {
        snprintf(err, errlen, "%s", first_err);
        return false;
    }
    return locator_watch_start(first_path, 1000);
}

static pthread_t watcher;
static atomic_bool watching;
static char watch_path[1024];
static int watch_ms;

static long data_version(sqlite3 *db)
{
    static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
    sqlite3_stmt *st = db_stmt(db, SQL_DATA_VERSION);
    long v = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    return v;
}

static void *watch_loop(void *arg)
{
    (void)arg;
    char err[512];
    sqlite3 *db = db_open_command(watch_path, err, sizeof(err));
    if (!db) {
        log_error("directory watcher: %s", err);
        return NULL;
    }
    keep_copy_after_start(watch_path);
    /* the first pass compares the stamp with the built index's */
    long seen = -2, generation = built_generation;
    bool dirty = false;
    while (atomic_load(&watching)) {
        struct timespec ts = {watch_ms / 1000, (long)(watch_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        long v = data_version(db), g = -1;
        if (v == seen || v < 0)
            continue;
        seen = v;
        /* a write that left the index's input alone (a report) changes nothing */
        if (hsds_store_index_stamp(db, &g, &dirty) && g == generation && !dirty)
            continue;
        uint64_t t0 = now_ms();
        if (rebuild(watch_path, true, err, sizeof(err)))
            log_info("directory changed: index rebuilt in %llums", (unsigned long long)(now_ms() - t0));
        else
            log_error("directory watcher: %s", err);
        generation = built_generation; /* what the index now holds (unchanged when the rebuild failed) */
    }
    db_close(db);
    return NULL;
}

bool locator_watch_start(const char *db_path, int interval_ms)
{
    str_copy(watch_path, sizeof(watch_path), db_path);
    watch_ms = interval_ms;
    atomic_store(&watching, true);
    if (pthread_create(&watcher, NULL, watch_loop, NULL) != 0) {
        atomic_store(&watching, false);
        return false;
    }
    return true;
}

void locator_watch_stop(void)
{
    if (atomic_exchange(&watching, false))
        pthread_join(watcher, NULL);
    geo_publish(NULL);
}

/* ---- ZIP codes ---- */

typedef struct zip_entry {
    char zip[6];
    float lat, lon;
} zip_entry;

static zip_entry *zips;
static size_t nzips;

static int zip_cmp(const void *a, const void *b)
{
    return strcmp(((const zip_entry *)a)->zip, ((const zip_entry *)b)->zip);
}

bool locator_zips_load(const config *cfg, char *err, size_t errlen)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/geo/zcta2020_centroids.csv", cfg->data_dir);
    size_t len;
    char *text = file_read(path, 16u * 1024u * 1024u, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    csv_reader r;
    csv_init(&r, text, len);
    size_t cap = 40000;
    zip_entry *z = xcalloc(cap, sizeof(zip_entry));
    size_t n = 0;
    int rc = csv_next_row(&r); /* header */
    while (rc == 1 && (rc = csv_next_row(&r)) == 1) {
        if (r.nfields < 3 || strlen(r.fields[0]) != 5)
            continue;
        if (n == cap) {
            cap *= 2;
            z = xrealloc(z, cap * sizeof(zip_entry));
        }
        str_copy(z[n].zip, sizeof(z[n].zip), r.fields[0]);
        z[n].lat = strtof(r.fields[1], NULL);
        z[n].lon = strtof(r.fields[2], NULL);
        n++;
    }
    bool ok = rc == 0 && n > 0;
    if (!ok)
        snprintf(err, errlen, "%s: %s", path, rc < 0 ? r.error : "no ZIP codes");
    csv_free(&r);
    free(text);
    if (!ok) {
        free(z);
        return false;
    }
    qsort(z, n, sizeof(zip_entry), zip_cmp);
    locator_zips_free();
    zips = z;
    nzips = n;
    return places_load(cfg->data_dir, err, errlen);
}

void locator_zips_free(void)
{
    places_free();
    free(zips);
    zips = NULL;
    nzips = 0;
}

bool locator_zip(const char *zip, double *lat, double *lon)
{
    if (strlen(zip) != 5 || !zips)
        return false;
    zip_entry key = {{0}, 0, 0};
    str_copy(key.zip, sizeof(key.zip), zip);
    const zip_entry *e = bsearch(&key, zips, nzips, sizeof(zip_entry), zip_cmp);
    if (!e)
        return false;
    *lat = e->lat;
    *lon = e->lon;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(s, &end);
    while (end && *end == ' ')
        end++;
    return end && end != s && *end == '\0' && errno == 0 && isfinite(*out);
}

int locator_where(const char *text, double *lat, double *lon)
{
    while (*text == ' ')
        text++;
    char t[64];
    if (!str_copy(t, sizeof(t), text))
        return 3;
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ')
        t[--n] = '\0';
    bool digits = n >= 5;
    for (size_t i = 0; i < n && i < 5; i++)
        digits &= t[i] >= '0' && t[i] <= '9';
    if (digits && (n == 5 || (n == 10 && t[5] == '-'))) {
        t[5] = '\0';
        return locator_zip(t, lat, lon) ? 0 : 1;
    }
    char *comma = strchr(t, ',');
    if (!comma)
        return 3;
    *comma = '\0';
    if (!parse_double(t, lat) || !parse_double(comma + 1, lon))
        return 3;
    if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
        return 2;
    return 0;
}
