/* hsds_import: HSDS JSON and NDJSON into the directory tables. */
#include "hsds/hsds_import.h"
#include "core/buf.h"
#include "core/json_load.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_search_later.h"
#include "hsds/hsds_term_codes.h"
#include "hsds/hsds_tables.h"
#include "hsds/hsds_cache.h"
#include "hsds/hsds_prepare.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The terms this import has written, as they came: a term that every
 * record repeats is written once (put_term). Open addressing by id. */
#define TERM_MEMO_SLOTS 512

struct term_memo {
    char *id[TERM_MEMO_SLOTS];
    char *text[TERM_MEMO_SLOTS]; /* as stored (hsds_term_fields.text) */
    size_t n;
};

struct job {
    sqlite3 *db;
    const char *name;
    long record; /* line of NDJSON, or index + 1 in an array */
    hsds_import_counts *counts;
    char *err;
    size_t errlen;
    arena a;
    char *field; /* hsds_import_service: the field alone, and err the sentence alone */
    size_t fieldlen;
    bool defer_search; /* the services' search index is brought up to date at the end */
    bool deferred;     /* ... and a service was written, so it is deferred now */
    struct term_memo *terms; /* NULL: none kept */
    bool tty;                /* standard error is a terminal: progress is shown */
    bool cached;             /* a listing's cache (its point) was written: the generation moves */
    hsds_term_codes *codes;  /* the codes of the record's links; NULL: read back per listing */
    hsds_search_later *later; /* new services held for the search index; NULL: noted in dir_fts_pending */
};

static size_t memo_slot(const struct term_memo *m, const char *id)
{
    size_t i = str_hash(id) % TERM_MEMO_SLOTS;
    while (m->id[i] && strcmp(m->id[i], id))
        i = (i + 1) % TERM_MEMO_SLOTS;
    return i;
}

/* Whether this import wrote the term, as it is now (its stored text),
 * already. */
static bool memo_has(const struct term_memo *m, const char *id, const char *text)
{
    if (!m || !text)
        return false;
    size_t i = memo_slot(m, id);
    return m->id[i] && m->text[i] && !strcmp(m->text[i], text);
}

static void memo_put(struct term_memo *m, const char *id, const char *text)
{
    if (!m || m->n >= TERM_MEMO_SLOTS / 2)
        return;
    size_t i = memo_slot(m, id);
    if (!m->id[i]) {
        m->id[i] = strdup(id);
        if (!m->id[i])
            return;
        m->n++;
    }
    free(m->text[i]);
    m->text[i] = text ? strdup(text) : NULL;
}

static void memo_clear(struct term_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < TERM_MEMO_SLOTS; i++) {
        free(m->id[i]);
        free(m->text[i]);
        m->id[i] = NULL;
        m->text[i] = NULL;
    }
    m->n = 0;
}

static void memo_free(struct term_memo *m)
{
    memo_clear(m);
    free(m);
}

static bool bad(struct job *j, const char *field, const char *what)
{
    if (j->field) {
        snprintf(j->field, j->fieldlen, "%s", field);
        snprintf(j->err, j->errlen, "%s", what);
    } else {
        snprintf(j->err, j->errlen, "%s record %ld, field %s: %s", j->name, j->record, field, what);
    }
    return false;
}

static bool is_uuidish(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum_ascii((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == ':'))
            return false;
    return true;
}

/* A field's name, written out only when an error names it (every record
 * has several lists, and most records no error): list[i]tail, or list
 * then tail when i is NO_INDEX. */
#define NO_INDEX ((size_t)-1)
struct field_at {
    const char *list;
    size_t i;
    const char *tail;
};

static struct field_at named(const char *name)
{
    return (struct field_at){name, NO_INDEX, ""};
}

static bool bad_at(struct job *j, struct field_at f, const char *what)
{
    char field[200];
    if (f.i == NO_INDEX)
        snprintf(field, sizeof(field), "%s%s", f.list, f.tail);
    else
        snprintf(field, sizeof(field), "%s[%zu]%s", f.list, f.i, f.tail);
    return bad(j, field, what);
}

/* A required id field (s, NULL when absent or not a string): a string of
 * letters, digits and - _ . : */
static const char *need_id(struct job *j, const char *s, struct field_at field)
{
    if (!s) {
        bad_at(j, field, "missing (an id string is required)");
        return NULL;
    }
    if (!is_uuidish(s)) {
        bad_at(j, field, "not a valid id (use a UUID)");
        return NULL;
    }
    return s;
}

static char *dump(json_t *o)
{
    return hsds_prepare_dump(o);
}

/* Writes a nested term, unless this import wrote it as it is already.
 * HSDS has no null fields ("parent_id": null in a taxonomy file is "no
 * parent"): a stored term leaves them out (t->text), so the API serves a
 * valid taxonomy_term. */
static bool put_term(struct job *j, const hsds_term_fields *t, struct field_at field)
{
    const char *id = need_id(j, t->id, field);
    if (!id)
        return false;
    if (!t->name || !*t->name)
        return bad_at(j, field, "a taxonomy term needs a name");
    j->counts->terms++;
    if (memo_has(j->terms, id, t->text))
        return true;
    if (!hsds_store_put_term(j->db, id, t->code, t->name, t->taxonomy, t->taxonomy_id, t->parent_id, t->text))
        return bad_at(j, field, "the database refused the term");
    hsds_term_codes_forget(j->codes);
    memo_put(j->terms, id, t->text);
    return true;
}

/* had: the service was stored before this record, so it may have
 * listings (a new one's are written after its links). */
static bool put_attributes(struct job *j, long long service_rowid, const hsds_fields *f, bool had)
{
    for (size_t i = 0; i < f->nattrs; i++) {
        const hsds_attr_fields *at = &f->attrs[i];
        struct field_at field = {"attributes", i, ""};
        const char *term_id = at->term_id;
        if (at->has_term) {
            if (!put_term(j, &at->term, (struct field_at){"attributes", i, ".taxonomy_term"}))
                return false;
            term_id = at->term.id;
        }
        if (!term_id)
            return bad_at(j, field, "an attribute needs taxonomy_term or taxonomy_term_id");
        long long linked = 0, term_rowid = hsds_term_codes_rowid(j->codes, j->db, term_id);
        if (!hsds_store_link_term(j->db, service_rowid, term_rowid, had, &linked))
            return bad_at(j, field, "the database refused the link (unknown term?)");
        if (linked)
            hsds_term_codes_link(j->codes, linked);
    }
    return true;
}

/* Reads a coordinate: false when present but not a number; *usable says
 * whether it is a number within [lo, hi]. */
static bool coord(hsds_coord kind, double v, double lo, double hi, double *out, bool *usable)
{
    *usable = false;
    if (kind == HSDS_COORD_ABSENT || kind == HSDS_COORD_NULL)
        return true;
    if (kind != HSDS_COORD_NUMBER)
        return false;
    *out = v;
    *usable = !isnan(*out) && *out >= lo && *out <= hi;
    return true;
}

/* Writes a location: its row number in *loc_rowid, its point in pt when
 * *mappable. */
static bool put_location(struct job *j, const hsds_sal_fields *s, hsds_doc ready, size_t i, long long *loc_rowid,
                         bool *by_ref, double pt[2], bool *mappable)
{
    const char *id = need_id(j, s->loc_id, (struct field_at){"service_at_locations", i, ".location.id"});
    if (!id)
        return false;
    double lat = 0, lon = 0;
    bool lat_ok, lon_ok;
    if (!coord(s->lat_kind, s->lat, -90, 90, &lat, &lat_ok) || !coord(s->lon_kind, s->lon, -180, 180, &lon, &lon_ok)) {
        bool lat_bad = s->lat_kind != HSDS_COORD_NUMBER;
        return bad_at(j, (struct field_at){"service_at_locations", i, lat_bad ? ".location.latitude" : ".location.longitude"},
                      "must be a number");
    }
    /* Out-of-range coordinates (the official HSDS examples have some) are
     * kept as they came, but the location is left off the map. */
    if ((s->lat_kind != HSDS_COORD_ABSENT || s->lon_kind != HSDS_COORD_ABSENT) && !(lat_ok && lon_ok))
        j->counts->unmapped++;
    char *raw = ready.text ? NULL : dump(s->location);
    pt[0] = lat;
    pt[1] = lon;
    *mappable = lat_ok && lon_ok;
    bool ok = hsds_store_put_location(j->db, id, s->loc_name, lat, lon, lat_ok && lon_ok, s->postal,
                                      raw ? (hsds_doc){raw, NULL, false} : ready, loc_rowid, by_ref);
    free(raw);
    return ok || bad_at(j, (struct field_at){"service_at_locations", i, ".location"}, "the database refused the location");
}

/* The row numbers of a record's listings (the first ones, those the
 * reader made ready) and whether each is a new row. */
struct sal_rows {
    long long rowid[HSDS_PREPARE_MAX_SALS];
    bool fresh[HSDS_PREPARE_MAX_SALS];
    double point[HSDS_PREPARE_MAX_SALS][2]; /* the location's, when mappable */
    bool mappable[HSDS_PREPARE_MAX_SALS];
};

/* Adds a row number to the list of those kept ("[" then "1,2,..."):
 * ulong_digits, not printf, which was a cost every record paid. */
static void put_kept(buf *kept, long long rowid)
{
    char digits[ULONG_DIGITS];
    size_t n = ulong_digits(rowid < 0 ? 0 : (unsigned long)rowid, digits);
    if (kept->len > 1)
        buf_putc(kept, ',');
    buf_append(kept, digits, n);
}

/* Writes the record's listings; the row numbers of the first ones (those
 * the reader made ready, p->nsals) in rows, and of all of them in kept (a
 * JSON list). */
static bool put_sals(struct job *j, long long service_rowid, const hsds_prepared *p, struct sal_rows *rows, buf *kept)
{
    for (size_t i = 0; i < p->f.nsals; i++) {
        const hsds_sal_fields *sal = &p->f.sals[i];
        const char *id = need_id(j, sal->id, (struct field_at){"service_at_locations", i, ".id"});
        if (!id)
            return false;
        struct field_at field = {"service_at_locations", i, ".location"};
        const char *loc_id = sal->location_id;
        long long loc_rowid = 0;
        bool by_ref = false;
        hsds_doc ready = {NULL, NULL, false};
        if (i < p->nsals && p->loc_raw[i])
            ready = (hsds_doc){p->loc_raw[i], &p->loc_stored[i], p->loc_nested[i]};
        double pt[2] = {0, 0};
        bool mappable = false;
        if (sal->location) {
            if (!put_location(j, sal, ready, i, &loc_rowid, &by_ref, pt, &mappable))
                return false;
        } else if (!loc_id) {
            return bad_at(j, field, "a service_at_location needs a location (or location_id)");
        } else if ((loc_rowid = hsds_store_location_rowid(j->db, loc_id)) <= 0) {
            return bad_at(j, field, "the database refused it (a location_id that was never imported?)");
        }
        long long sal_rowid = 0;
        bool fresh = false;
        bool cached_after = i < p->nsals && p->brief[i]; /* by cache_listings */
        if (!hsds_store_put_sal(j->db, id, service_rowid, loc_rowid, &sal_rowid, &fresh, cached_after))
            return bad_at(j, field, "the database refused it");
        /* a location written on its own (it was there) that this listing
         * is now the first at is kept by reference */
        if (ready.nested && !by_ref && !hsds_store_location_by_ref(j->db, loc_rowid, sal_rowid, ready))
            return bad_at(j, field, "the database refused the location");
        if (i < p->nsals) {
            rows->rowid[i] = sal_rowid;
            rows->fresh[i] = fresh;
            rows->mappable[i] = mappable;
            memcpy(rows->point[i], pt, sizeof(pt));
        }
        put_kept(kept, sal_rowid);
    }
    /* a list cut short would remove listings just written */
    return (buf_putc(kept, ']') && !kept->overflow) || bad(j, "service_at_locations", "too many listings");
}

/* Writes the record's organization, or finds the one it names by id: its
 * row number in *org_rowid (0: none). */
static bool put_organization(struct job *j, const hsds_fields *f, hsds_doc ready, long long *org_rowid, bool *by_ref)
{
    const char *org_id = f->organization_id;
    *org_rowid = 0;
    if (f->org) {
        const char *id = need_id(j, f->org_id, named("organization.id"));
        const char *name = f->org_name;
        if (!id)
            return false;
        if (!name || !*name)
            return bad(j, "organization.name", "missing");
        if (org_id && strcmp(org_id, id))
            return bad(j, "organization_id", "does not match organization.id");
        char *raw = ready.text ? NULL : dump(f->org);
        bool ok = hsds_store_put_organization(j->db, id, raw ? (hsds_doc){raw, NULL, false} : ready, org_rowid, by_ref);
        free(raw);
        if (!ok)
            return bad(j, "organization", "the database refused it");
    } else if (org_id && (*org_rowid = hsds_store_organization_rowid(j->db, org_id)) <= 0) {
        return bad(j, "organization_id", "names an organization that is not in the file or the database");
    }
    return true;
}

/* The listing cache of the record's listings, from the briefs the reader
 * made from the parsed record (hsds_prepare: a listing whose location is
 * in the record and not shared within it) instead of read back after the
 * import (hsds_cache_refresh then finds them done); the others stay on the
 * dirty list. Called after every row of the record is written: a later
 * record that changes a shared location or organization puts the listing
 * back on the list. */
static bool cache_listings(struct job *j, const hsds_prepared *p, const struct sal_rows *rows, bool active)
{
    buf codes = BUF_INIT;
    int known = -1; /* the points' codes: made here (1), read back per listing (0), not yet tried (-1) */
    bool ok = true;
    for (size_t i = 0; ok && i < p->nsals; i++) {
        long long rowid = rows->rowid[i];
        if (!p->brief[i] || rowid <= 0 || rowid > UINT32_MAX)
            continue; /* (no brief made, or a row number the cache cannot hold) */
        if (known < 0)
            known = hsds_term_codes_text(j->codes, j->db, &codes);
        hsds_point_row pt = {rows->point[i][0], rows->point[i][1], buf_cstr(&codes)};
        ok = known ? hsds_store_cache_put_point(j->db, (uint32_t)rowid, p->brief[i], &p->brief_stored[i],
                                                rows->mappable[i] && active ? &pt : NULL, rows->fresh[i])
                   : hsds_store_cache_put_stored(j->db, (uint32_t)rowid, p->brief[i], &p->brief_stored[i],
                                                 WAYPOST_TAXONOMY_ID, rows->fresh[i]);
        j->cached = true;
    }
    buf_free(&codes);
    return ok || bad(j, "service_at_locations", "the listing cache could not be written");
}

/* Writes the record's organization and its service row (new, or *rowid
 * when had), and clears an old row's term links: the row number in
 * *rowid. */
static bool put_service_row(struct job *j, const hsds_prepared *p, hsds_service_row *row, bool had, long long *rowid)
{
    hsds_doc org = {p->org_raw, &p->org_stored, p->org_nested};
    bool org_by_ref = false;
    if (!put_organization(j, &p->f, org, &row->organization_rowid, &org_by_ref))
        return false;
    row->source = p->f.source;
    row->source_date = p->f.source_date;
    row->is_example = str_has_prefix(row->name, "EXAMPLE: ");
    /* a new service has no links yet (they name it by foreign key) */
    if (!hsds_store_put_service(j->db, row, rowid) || (had && !hsds_store_clear_terms(j->db, *rowid)))
        return bad(j, "id", "the database refused the service");
    /* an organization written on its own (it was there) whose first
     * service this is now is kept by reference */
    if (org.nested && row->organization_rowid > 0 && !org_by_ref &&
        !hsds_store_organization_by_ref(j->db, row->organization_rowid, *rowid, org))
        return bad(j, "organization", "the database refused it");
    return true;
}

static bool import_service(struct job *j, const hsds_prepared *p)
{
    if (!json_is_object(p->svc))
        return bad(j, "(record)", "not a JSON object");
    if (!p->raw || !p->stored.len)
        return bad(j, "(record)", "could not be written out (too large, or out of memory?)");
    const hsds_fields *f = &p->f;
    const char *id = need_id(j, f->id, named("id")), *name = f->name;
    if (!id)
        return false;
    if (!name || !*name)
        return bad(j, "name", "missing (every service needs a name)");
    const char *status = f->status;
    if (status && strcmp(status, "active") && strcmp(status, "inactive") && strcmp(status, "defunct") &&
        strcmp(status, "temporarily closed"))
        return bad(j, "status", "must be active, inactive, defunct or temporarily closed");
    if (f->sals_not_list || f->attrs_not_list)
        return bad(j, f->sals_not_list ? "service_at_locations" : "attributes", "must be a list");
    if (f->sals_too_long || f->attrs_too_long) {
        char what[64];
        snprintf(what, sizeof(what), "too long a list (at most %d entries)", HSDS_FIELDS_MAX_LIST);
        return bad(j, f->sals_too_long ? "service_at_locations" : "attributes", what);
    }
    long long rowid = 0;
    if (hsds_store_service_same(j->db, id, p->stored.data, p->stored.len, p->raw, &rowid)) {
        /* the same document as stored: nothing to write */
        j->counts->unchanged++;
        return true;
    }
    bool had = rowid > 0;
    if (j->defer_search && !j->deferred) {
        if (!hsds_store_search_defer(j->db))
            return bad(j, "id", "the database refused the service");
        j->deferred = true;
    }
    /* a service held for the search index goes on the pending list
     * before its row changes again (hsds_search_later.h) */
    if (had && hsds_search_later_take(j->later, rowid) && !hsds_store_search_note(j->db, rowid))
        return bad(j, "id", "the database refused the service");
    bool held = !had && j->deferred && j->later && p->search_plain;
    hsds_service_row row = {id,    name, status ? status : "active", NULL, NULL, 0, false, p->stored.data, p->stored.len,
                            !j->deferred ? HSDS_SEARCH_NOW : held ? HSDS_SEARCH_BY_CALLER : HSDS_SEARCH_LATER};
    if (!put_service_row(j, p, &row, had, &rowid))
        return false;
    if (held && !hsds_search_later_add(j->later, rowid, name, p->search_alt, p->search_desc) &&
        !hsds_store_search_note(j->db, rowid))
        return bad(j, "id", "the database refused the service");
    /* the terms first: linking a term puts the service's listings on the
     * listing cache's dirty list, and there are none yet to put there */
    struct sal_rows sal_rows = {{0}, {false}, {{0, 0}}, {false}};
    buf kept = BUF_INIT;
    buf_putc(&kept, '[');
    hsds_term_codes_begin(j->codes);
    bool ok = put_attributes(j, rowid, f, had) && put_sals(j, rowid, p, &sal_rows, &kept);
    /* an old row's listings the record still has were written in place
     * (the same row numbers: a location's source stays); the rest go */
    if (ok && had && !hsds_store_drop_other_sals(j->db, rowid, kept.data))
        ok = bad(j, "service_at_locations", "the database refused it");
    buf_free(&kept);
    if (!ok)
        return false;
    size_t deeper = 0;
    if (!p->check_ok)
        return bad(j, p->check_field, p->check_what);
    if (!hsds_tables_write_terms(j->db, &p->terms, &deeper))
        return bad(j, "id", "the database refused the service's taxonomy terms");
    if (deeper) { /* a term written there may differ from the one kept */
        memo_clear(j->terms);
        hsds_term_codes_forget(j->codes);
    }
    if (!cache_listings(j, p, &sal_rows, !strcmp(row.status, "active")))
        return false;
    if (!had)
        j->counts->added++;
    else
        j->counts->updated++;
    return true;
}

static bool import_taxonomy_file(struct job *j, json_t *root)
{
    json_t *tax = json_object_get(root, "taxonomy");
    const char *id = need_id(j, json_string_value(json_object_get(tax, "id")), named("taxonomy.id"));
    const char *name = json_string_value(json_object_get(tax, "name"));
    if (!id)
        return false;
    if (!name)
        return bad(j, "taxonomy.name", "missing");
    char *raw = dump(tax);
    bool ok = hsds_store_put_taxonomy(j->db, id, name, raw);
    free(raw);
    if (!ok)
        return bad(j, "taxonomy", "the database refused it");
    static const char *const lists[] = {"terms", "attributes"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(root, lists[l]), i, t)
        {
            j->record = (long)i + 1;
            hsds_term_fields term;
            hsds_term_fields_of(&term, &j->a, t);
            if (!put_term(j, &term, (struct field_at){lists[l], i, ""}))
                return false;
        }
    }
    return true;
}

static void progress(const struct job *j, bool end)
{
    if (!j->tty)
        return;
    if (end || j->record % 1000 == 0)
        fprintf(stderr, "\r  %s: %ld records (%ld added, %ld updated, %ld unchanged)%s", j->name, j->record,
                j->counts->added, j->counts->updated, j->counts->unchanged, end ? "\n" : "");
}

/* One JSON value a line, parsed and prepared by a second thread. */
static bool import_ndjson(struct job *j, const char *text, size_t len)
{
    hsds_pipe *pp = hsds_pipe_start(text, len);
    if (!pp) {
        snprintf(j->err, j->errlen, "%s: out of memory", j->name);
        return false;
    }
    bool ok = true;
    hsds_prepared p;
    while (ok && hsds_pipe_next(pp, &p)) {
        j->record = p.line;
        if (!p.svc) {
            snprintf(j->err, j->errlen, "%s %s", j->name, p.err);
            ok = false;
        } else {
            ok = import_service(j, &p);
        }
        hsds_pipe_done(pp, &p);
        arena_free(&j->a);
        if (ok)
            progress(j, false);
    }
    hsds_pipe_stop(pp);
    return ok;
}

/* One record of a parsed document (svc is borrowed). */
static bool import_one(struct job *j, json_t *svc)
{
    hsds_prepared p;
    hsds_prepare(&p, json_incref(svc), j->record);
    bool ok = import_service(j, &p);
    hsds_prepared_free(&p);
    return ok;
}

static bool import_json(struct job *j, json_t *root)
{
    if (json_is_object(root) && json_object_get(root, "taxonomy") && json_object_get(root, "terms"))
        return import_taxonomy_file(j, root);
    json_t *list = json_is_array(root) ? root : json_object_get(root, "contents");
    if (!list && json_is_object(root)) {
        j->record = 1;
        return import_one(j, root);
    }
    if (!json_is_array(list)) {
        snprintf(j->err, j->errlen, "%s: not HSDS services (expected a service, a list of them or {\"contents\": [...]})",
                 j->name);
        return false;
    }
    size_t i;
    json_t *svc;
    json_array_foreach(list, i, svc)
    {
        j->record = (long)i + 1;
        bool ok = import_one(j, svc);
        arena_free(&j->a);
        if (!ok)
            return false;
        progress(j, false);
    }
    return true;
}

static bool looks_like_ndjson(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    if (i >= len || text[i] != '{')
        return false;
    /* a document whose first line is a whole object is NDJSON */
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl)
        return false;
    json_error_t je;
    json_t *v = json_loadb(text + i, (size_t)(nl - (text + i)), 0, &je);
    bool whole = v != NULL;
    json_decref(v);
    return whole;
}

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Ends step s (begun at *wall, *cpu) and begins the next. */
static void step_done(hsds_import_counts *c, int s, double *wall, double *cpu)
{
    double w = clock_s(CLOCK_MONOTONIC), p = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    c->wall[s] += w - *wall;
    c->cpu[s] += p - *cpu;
    *wall = w;
    *cpu = p;
}

/* Every record of the text, as NDJSON or as one JSON document. */
static bool import_records(struct job *j, const char *text, size_t len)
{
    /* NDJSON's lines are checked as they are parsed (jansson refuses a
     * byte that is not UTF-8, naming its line and column) */
    if (looks_like_ndjson(text, len))
        return import_ndjson(j, text, len);
    if (!utf8_valid(text, len)) {
        snprintf(j->err, j->errlen, "%s: the file is not UTF-8 text", j->name);
        return false;
    }
    json_error_t je;
    json_t *root = json_load_fast(text, len, &je);
    if (!root) {
        snprintf(j->err, j->errlen, "%s line %d, column %d: %s", j->name, je.line, je.column, je.text);
        return false;
    }
    bool ok = import_json(j, root);
    json_decref(root);
    return ok;
}

/* The import of text in one transaction; dry: counted, then rolled back;
 * hook (may be NULL) runs before the commit. */
static bool import_text(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                        char *err, size_t errlen, bool dry, hsds_import_hook hook, void *ctx)
{
    struct job j = {db, name, 0, counts, err, errlen, {0}, NULL, 0, true, false, NULL, isatty(STDERR_FILENO), false, NULL, NULL};
    arena_init(&j.a);
    memset(counts, 0, sizeof(*counts));
    if (!db_begin(db)) {
        snprintf(err, errlen, "%s: could not start a transaction", name);
        return false;
    }
    j.terms = calloc(1, sizeof(struct term_memo));
    j.codes = hsds_term_codes_new(WAYPOST_TAXONOMY_ID);
    j.later = hsds_search_later_new();
    double wall = clock_s(CLOCK_MONOTONIC), cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    double writer = clock_s(CLOCK_THREAD_CPUTIME_ID);
    bool ok = import_records(&j, text, len);
    if (ok && j.cached && !hsds_store_generation_bump(db)) {
        snprintf(err, errlen, "%s: could not update the listing cache", name);
        ok = false;
    }
    counts->writer_cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - writer;
    arena_free(&j.a);
    memo_free(j.terms);
    hsds_term_codes_free(j.codes);
    progress(&j, true);
    step_done(counts, HSDS_STEP_RECORDS, &wall, &cpu);
    if (ok && !dry && j.deferred && (hsds_store_search_catch_up(db) < 0 || !hsds_search_later_index(j.later, db))) {
        snprintf(err, errlen, "%s: could not update the services' search index", name);
        ok = false;
    }
    hsds_search_later_free(j.later);
    step_done(counts, HSDS_STEP_SEARCH, &wall, &cpu);
    long cached = 0;
    if (ok && !dry && !hsds_cache_refresh(db, true, &cached)) {
        snprintf(err, errlen, "%s: could not update the listing cache", name);
        ok = false;
    }
    step_done(counts, HSDS_STEP_CACHE, &wall, &cpu);
    if (ok && !dry && hook && !hook(db, counts, ctx)) {
        snprintf(err, errlen, "%s: the import could not be recorded", name);
        ok = false;
    }
    if (ok && !dry)
        ok = db_commit(db);
    step_done(counts, HSDS_STEP_COMMIT, &wall, &cpu);
    if (!ok || dry)
        db_rollback(db);
    if (!ok)
        memset(counts, 0, sizeof(*counts));
    return ok;
}

bool hsds_import_service(sqlite3 *db, json_t *svc, enum hsds_upsert *result, char *field, size_t fieldlen,
                         char *what, size_t whatlen)
{
    hsds_import_counts counts = {0};
    struct job j = {db, "service", 1, &counts, what, whatlen, {0}, field, fieldlen, false, false, NULL, false, false, NULL, NULL};
    arena_init(&j.a);
    field[0] = what[0] = '\0';
    *result = HSDS_FAILED;
    bool ok = import_one(&j, svc);
    arena_free(&j.a);
    long cached = 0;
    if (ok && ((j.cached && !hsds_store_generation_bump(db)) || !hsds_cache_refresh(db, false, &cached))) {
        snprintf(field, fieldlen, "id");
        snprintf(what, whatlen, "could not update the listing cache");
        ok = false;
    }
    if (ok)
        *result = counts.added ? HSDS_ADDED : counts.updated ? HSDS_UPDATED : HSDS_UNCHANGED;
    return ok;
}

bool hsds_import_text(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                     char *err, size_t errlen)
{
    return import_text(db, name, text, len, counts, err, errlen, false, NULL, NULL);
}

bool hsds_import_text_then(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                          char *err, size_t errlen, hsds_import_hook hook, void *ctx)
{
    return import_text(db, name, text, len, counts, err, errlen, false, hook, ctx);
}

bool hsds_import_text_dry(sqlite3 *db, const char *name, const char *text, size_t len, hsds_import_counts *counts,
                         char *err, size_t errlen)
{
    return import_text(db, name, text, len, counts, err, errlen, true, NULL, NULL);
}
