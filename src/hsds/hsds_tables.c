/* hsds_tables: HSDS service documents into the rows of the hsds_ tables.
 * See hsds_tables.h. The walk is pure JSON; the SQL is in
 * hsds_tables_store.c (and hsds_store.c for terms and taxonomies). */
#include "hsds/hsds_tables.h"
#include "core/json_canon.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_store.h"
#include "hsds/hsds_tables_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where HSDS 3.0 JSON nests each resource (service.json, organization.json,
 * location.json, ... in data/hsds-3.0/schema). */
static const struct child {
    const char *key;
    int res;
    bool one;
} CHILDREN[] = {
    {"organization", HSDS_ORGANIZATION, true},
    {"program", HSDS_PROGRAM, true},
    {"location", HSDS_LOCATION, true},
    {"taxonomy_term", HSDS_TAXONOMY_TERM, true},
    {"taxonomy_detail", HSDS_TAXONOMY, true},
    {"service_at_locations", HSDS_SERVICE_AT_LOCATION, false},
    {"locations", HSDS_LOCATION, false},
    {"programs", HSDS_PROGRAM, false},
    {"phones", HSDS_PHONE, false},
    {"schedules", HSDS_SCHEDULE, false},
    {"service_areas", HSDS_SERVICE_AREA, false},
    {"languages", HSDS_LANGUAGE, false},
    {"funding", HSDS_FUNDING, false},
    {"cost_options", HSDS_COST_OPTION, false},
    {"required_documents", HSDS_REQUIRED_DOCUMENT, false},
    {"contacts", HSDS_CONTACT, false},
    {"addresses", HSDS_ADDRESS, false},
    {"accessibility", HSDS_ACCESSIBILITY, false},
    {"organization_identifiers", HSDS_ORGANIZATION_IDENTIFIER, false},
    {"attributes", HSDS_ATTRIBUTE, false},
    {"metadata", HSDS_METADATA, false},
};
#define NCHILDREN (sizeof(CHILDREN) / sizeof(CHILDREN[0]))

int hsds_child_resource(const char *key, bool *one)
{
    for (size_t i = 0; i < NCHILDREN; i++)
        if (!strcmp(CHILDREN[i].key, key)) {
            *one = CHILDREN[i].one;
            return CHILDREN[i].res;
        }
    return -1;
}

void hsds_number_text(double d, char *out, size_t outlen)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, outlen, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

/* One object being walked, and the chain of objects above it. */
struct frame {
    json_t *obj;
    int res;
    json_t *row; /* its row in the table (after merging) */
    const struct frame *up;
};

struct walk {
    hsds_rows *rows;
    char *path;
    size_t pathlen;
    const char *what;
    bool terms_only; /* at import: check the ids and names, keep the terms and taxonomies only */
};

static bool fail(struct walk *w, const char *suffix, const char *what)
{
    size_t n = strlen(w->path);
    snprintf(w->path + n, w->pathlen - n, "%s", suffix);
    w->what = what;
    return false;
}

/* Sets row[key] = text unless the row already has a value there. */
static void fill(json_t *row, const char *key, const char *text)
{
    json_t *cur = json_object_get(row, key);
    if (text && (!cur || json_is_null(cur)))
        json_object_set_new(row, key, json_string(text));
}

static const char *id_of(json_t *o)
{
    return json_string_value(json_object_get(o, "id"));
}

/* The object's columns of resource r (scalars only). */
static json_t *columns(json_t *obj, int r)
{
    json_t *row = json_object();
    const hsds_resource_info *info = &hsds_resources[r];
    for (int i = 0; i < info->nfields; i++) {
        json_t *v = json_object_get(obj, info->fields[i].name);
        if (v && !json_is_null(v) && !json_is_array(v) && !json_is_object(v))
            json_object_set(row, info->fields[i].name, v);
    }
    return row;
}

/* The parent ids the nesting implies, for a row under parent. */
static void link_to_parent(json_t *row, int r, json_t *obj, const struct frame *parent)
{
    if (!parent)
        return;
    const char *pid = id_of(parent->obj), *pname = hsds_resources[parent->res].name;
    if (r == HSDS_ATTRIBUTE) {
        fill(row, "link_id", pid);
        fill(row, "link_entity", pname);
        fill(row, "taxonomy_term_id", id_of(json_object_get(obj, "taxonomy_term")));
        return;
    }
    if (r == HSDS_METADATA) {
        fill(row, "resource_id", pid);
        fill(row, "resource_type", pname);
        return;
    }
    char key[64];
    snprintf(key, sizeof(key), "%s_id", pname);
    if (hsds_field_find(r, key) >= 0)
        fill(row, key, pid);
    /* a service's program belongs to the service's organization */
    if (r == HSDS_PROGRAM && parent->res == HSDS_SERVICE)
        fill(row, "organization_id", json_string_value(json_object_get(parent->row, "organization_id")));
}

/* A one-object child names its parent's link: service.organization_id,
 * service.program_id, service_at_location.location_id. */
static void link_from_child(int r, json_t *obj, const struct frame *parent)
{
    if (!parent || !parent->row)
        return;
    char key[64];
    snprintf(key, sizeof(key), "%s_id", hsds_resources[r].name);
    if (hsds_field_find(parent->res, key) >= 0)
        fill(parent->row, key, id_of(obj));
}

/* Adds row under id, or merges it into the row already there. */
static json_t *merge(json_t *table, const char *id, json_t *row)
{
    json_t *have = json_object_get(table, id);
    if (!have) {
        json_object_set_new(table, id, row);
        return row;
    }
    const char *k;
    json_t *v;
    json_object_foreach(row, k, v)
    {
        json_t *cur = json_object_get(have, k);
        if (!cur || json_is_null(cur))
            json_object_set(have, k, v);
    }
    json_decref(row);
    return have;
}

/* A term under one of the service's own attributes is written by the
 * importer itself (put_attributes); only deeper ones are kept here. */
static bool service_level_term(const struct frame *f)
{
    return f->res == HSDS_TAXONOMY_TERM && f->up && f->up->res == HSDS_ATTRIBUTE && f->up->up && !f->up->up->up;
}

static bool walk_object(struct walk *w, json_t *obj, int r, const struct frame *parent);

/* The table of resource r's rows, made when first needed. */
static json_t *table(hsds_rows *rows, int r)
{
    if (!rows->t[r])
        rows->t[r] = json_object();
    return rows->t[r];
}

/* Sets the path after its first base bytes to ".key" (no dot at the
 * start) and "[i]" when i >= 0, cut to fit: called for every object
 * walked, so no printf. The keys are CHILDREN's. */
static void path_set(struct walk *w, size_t base, const char *key, long i)
{
    char seg[32 + ULONG_DIGITS + 4];
    size_t n = 0, klen = strnlen(key, 32);
    if (base)
        seg[n++] = '.';
    memcpy(seg + n, key, klen);
    n += klen;
    if (i >= 0) {
        seg[n++] = '[';
        n += ulong_digits((unsigned long)i, seg + n);
        seg[n++] = ']';
    }
    size_t room = w->pathlen - base - 1;
    if (n > room)
        n = room;
    memcpy(w->path + base, seg, n);
    w->path[base + n] = '\0';
}

static bool walk_children(struct walk *w, const struct frame *f)
{
    size_t base = strlen(w->path);
    for (size_t c = 0; c < NCHILDREN; c++) {
        json_t *v = json_object_get(f->obj, CHILDREN[c].key);
        if (CHILDREN[c].one && json_is_object(v)) {
            path_set(w, base, CHILDREN[c].key, -1);
            if (!walk_object(w, v, CHILDREN[c].res, f))
                return false;
        } else if (!CHILDREN[c].one && json_is_array(v)) {
            size_t i;
            json_t *o;
            json_array_foreach(v, i, o)
            {
                if (!json_is_object(o))
                    continue;
                path_set(w, base, CHILDREN[c].key, (long)i);
                if (!walk_object(w, o, CHILDREN[c].res, f))
                    return false;
            }
        }
        w->path[base] = '\0';
    }
    return true;
}

static bool walk_object(struct walk *w, json_t *obj, int r, const struct frame *parent)
{
    const char *id = id_of(obj);
    if (!id || !*id)
        return fail(w, w->path[0] ? ".id" : "id", "missing (every HSDS object needs an id)");
    struct frame f = {obj, r, NULL, parent};
    if (r == HSDS_TAXONOMY_TERM || r == HSDS_TAXONOMY) {
        const char *name = json_string_value(json_object_get(obj, "name"));
        if (!name || !*name)
            return fail(w, ".name", r == HSDS_TAXONOMY ? "a taxonomy needs a name" : "a taxonomy term needs a name");
        if (!service_level_term(&f) && !json_object_get(w->rows->t[r], id))
            json_object_set(table(w->rows, r), id, obj);
    } else if (!w->terms_only) {
        json_t *row = columns(obj, r);
        link_to_parent(row, r, obj, parent);
        f.row = merge(table(w->rows, r), id, row);
    }
    link_from_child(r, obj, parent);
    return walk_children(w, &f);
}

/* Rows a CSV datapackage held that no service reaches, kept as given. */
static bool walk_unlinked(struct walk *w, json_t *unlinked)
{
    const char *name;
    json_t *list;
    json_object_foreach(unlinked, name, list)
    {
        int r = hsds_resource_find(name);
        if (r < 0 || r == HSDS_SERVICE || !json_is_array(list))
            continue;
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o)
        {
            if (!json_is_object(o))
                continue;
            snprintf(w->path, w->pathlen, "waypost_unlinked.%s[%zu]", name, i);
            if (!walk_object(w, o, r, NULL))
                return false;
        }
    }
    w->path[0] = '\0';
    return true;
}

static bool decompose(json_t *svc, hsds_rows *rows, char *field, size_t fieldlen, const char **what, bool terms_only)
{
    for (int r = 0; r < HSDS_NRES; r++)
        rows->t[r] = NULL;
    struct walk w = {rows, field, fieldlen, NULL, terms_only};
    field[0] = '\0';
    bool ok = walk_object(&w, svc, HSDS_SERVICE, NULL) &&
              walk_unlinked(&w, json_object_get(svc, "waypost_unlinked"));
    *what = w.what;
    return ok;
}

bool hsds_decompose(json_t *svc, hsds_rows *rows, char *field, size_t fieldlen, const char **what)
{
    return decompose(svc, rows, field, fieldlen, what, false);
}

void hsds_rows_free(hsds_rows *rows)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        json_decref(rows->t[r]);
        rows->t[r] = NULL;
    }
}

static char *dump(json_t *o)
{
    return json_is_object(o) || json_is_array(o) ? json_canon(o) : NULL;
}

static const char *sv(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Terms and taxonomies are kept whole in dir_taxonomy_term / dir_taxonomy. */
static bool put_whole(sqlite3 *db, int r, json_t *o)
{
    char *raw = dump(o);
    bool ok = r == HSDS_TAXONOMY
                  ? hsds_store_put_taxonomy(db, sv(o, "id"), sv(o, "name"), raw)
                  : hsds_store_put_term(db, sv(o, "id"), sv(o, "code"), sv(o, "name"), sv(o, "taxonomy"),
                                       sv(o, "taxonomy_id"), sv(o, "parent_id"), raw);
    free(raw);
    return ok;
}

/* The stored resources' rows (rows true, into the export's temp tables)
 * or the terms and taxonomies kept whole (rows false, at import). */
static bool write_rows(sqlite3 *db, const char *doc_id, const hsds_rows *rows, bool stored)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        if (hsds_resources[r].stored != stored)
            continue;
        const char *id;
        json_t *row;
        json_object_foreach(rows->t[r], id, row)
        {
            bool ok = stored ? hsds_tables_put_row(db, r, row, doc_id) : put_whole(db, r, row);
            if (!ok)
                return false;
        }
    }
    return true;
}

bool hsds_tables_check_terms(json_t *svc, hsds_rows *rows, char *field, size_t fieldlen, const char **what)
{
    return decompose(svc, rows, field, fieldlen, what, true);
}

bool hsds_tables_write_terms(sqlite3 *db, const hsds_rows *rows, size_t *terms)
{
    *terms = json_object_size(rows->t[HSDS_TAXONOMY_TERM]);
    return write_rows(db, NULL, rows, false);
}

struct fill {
    sqlite3 *db;
    char *err;
    size_t errlen;
    bool progress;
    long n;
};

static bool fill_one(void *ctx, const char *id, const char *raw)
{
    struct fill *b = ctx;
    json_t *svc = json_loads(raw, 0, NULL);
    char field[256] = "(record)";
    const char *what = "not a JSON object";
    hsds_rows rows = {{0}};
    bool ok = json_is_object(svc) && hsds_decompose(svc, &rows, field, sizeof(field), &what);
    if (ok && !write_rows(b->db, id, &rows, true)) {
        ok = false;
        snprintf(field, sizeof(field), "id");
        what = "the database refused its HSDS rows";
    }
    hsds_rows_free(&rows);
    json_decref(svc);
    if (!ok)
        snprintf(b->err, b->errlen, "stored service %s, field %s: %s", id, field, what);
    if (b->progress && ++b->n % 10000 == 0)
        fprintf(stderr, "\r  splitting services into HSDS tables: %ld", b->n);
    return ok;
}

bool hsds_tables_fill(sqlite3 *db, bool progress, char *err, size_t errlen)
{
    struct fill b = {db, err, errlen, progress && isatty(STDERR_FILENO), 0};
    err[0] = '\0';
    if (!hsds_tables_temp_create(db)) {
        snprintf(err, errlen, "could not create the HSDS tables for the export");
        return false;
    }
    if (!db_begin(db)) {
        snprintf(err, errlen, "could not start a transaction");
        return false;
    }
    bool ok = hsds_tables_each_doc(db, fill_one, &b) && db_commit(db);
    if (b.progress && b.n >= 10000)
        fprintf(stderr, "\r  splitting services into HSDS tables: %ld\n", b.n);
    if (!ok) {
        db_rollback(db);
        if (!err[0])
            snprintf(err, errlen, "could not split the stored services into the HSDS tables");
    }
    return ok;
}
