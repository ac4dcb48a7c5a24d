/* hsds_export: `waypost export hsds DIR`, an HSDS 3.0 datapackage
 * read from the hsds_ tables (one per resource) and the stored services'
 * raw JSON. See directory_export.h. */
#include "hsds/hsds_export.h"
#include "core/csv.h"
#include "core/util.h"
#include "hsds/hsds_export_store.h"
#include "hsds/hsds_schema.h"
#include "hsds/hsds_tables.h"
#include "hsds/hsds_tables_store.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

struct exporter {
    const char *dir;
    FILE *f[HSDS_NRES];
    FILE *nd;
    json_t *taxonomies; /* id -> taxonomy row, written sorted by id at the end */
    long services;
    bool failed;
    char *err;
    size_t errlen;
};

static bool efail(struct exporter *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool efail(struct exporter *x, const char *fmt, ...)
{
    if (!x->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    x->failed = true;
    return false;
}

static FILE *open_out(struct exporter *x, const char *name)
{
    char path[1024];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", x->dir, name) >= sizeof(path)) {
        efail(x, "the folder name %s is too long", x->dir);
        return NULL;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        efail(x, "cannot write %s: %s", path, strerror(errno));
    return f;
}

/* A scalar JSON value as CSV text; lists and objects are not columns. */
static char *scalar_text(json_t *v)
{
    if (!v || json_is_null(v) || json_is_array(v) || json_is_object(v))
        return xstrdup("");
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_true(v))
        return xstrdup("true");
    if (json_is_false(v))
        return xstrdup("false");
    if (json_is_real(v)) {
        char t[40];
        hsds_number_text(json_real_value(v), t, sizeof(t));
        return xstrdup(t);
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY);
    return s ? s : xstrdup("");
}

static void write_cells(FILE *f, int n, const char *const *vals)
{
    buf line = BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&line, ',');
        csv_put_field(&line, vals[i]);
    }
    buf_puts(&line, "\r\n");
    fwrite(line.data, 1, line.len, f);
    buf_free(&line);
}

#define MAX_FIELDS 32 /* HSDS 3.0's widest resource (service) has 23 */

static int nfields(int r)
{
    return hsds_resources[r].nfields < MAX_FIELDS ? hsds_resources[r].nfields : MAX_FIELDS;
}

static void write_header(struct exporter *x, int r)
{
    const char *names[MAX_FIELDS] = {0};
    int n = nfields(r);
    for (int i = 0; i < n; i++)
        names[i] = hsds_resources[r].fields[i].name;
    write_cells(x->f[r], n, names);
}

/* A JSON object as a row of resource r (its columns' scalar values). */
static void write_object(struct exporter *x, int r, json_t *o)
{
    int n = nfields(r);
    char *texts[MAX_FIELDS] = {0};
    for (int i = 0; i < n; i++)
        texts[i] = scalar_text(json_object_get(o, hsds_resources[r].fields[i].name));
    write_cells(x->f[r], n, (const char *const *)texts);
    for (int i = 0; i < n; i++)
        free(texts[i]);
}

struct table_walk {
    struct exporter *x;
    int r;
};

static bool one_row(void *ctx, int ncols, const char *const *vals)
{
    struct table_walk *t = ctx;
    write_cells(t->x->f[t->r], ncols, vals);
    return true;
}

static bool one_service(void *ctx, const char *raw)
{
    struct exporter *x = ctx;
    fputs(raw, x->nd);
    fputc('\n', x->nd);
    x->services++;
    return !ferror(x->nd) || efail(x, "cannot write services.ndjson");
}

static const char *sv(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool one_taxonomy(void *ctx, const char *raw)
{
    struct exporter *x = ctx;
    json_t *o = json_loads(raw, 0, NULL);
    if (json_is_object(o) && sv(o, "id"))
        json_object_set(x->taxonomies, sv(o, "id"), o);
    json_decref(o);
    return true;
}

/* Writes the term; a taxonomy that terms name but that was never imported
 * itself is listed with the name the terms give it. */
static bool one_term(void *ctx, const char *raw)
{
    struct exporter *x = ctx;
    json_t *o = json_loads(raw, 0, NULL);
    if (json_is_object(o)) {
        write_object(x, HSDS_TAXONOMY_TERM, o);
        const char *tid = sv(o, "taxonomy_id"), *tname = sv(o, "taxonomy");
        if (tid && tname && !json_object_get(x->taxonomies, tid))
            json_object_set_new(x->taxonomies, tid, json_pack("{s:s, s:s}", "id", tid, "name", tname));
    }
    json_decref(o);
    return true;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_taxonomies(struct exporter *x)
{
    size_t n = json_object_size(x->taxonomies), i = 0;
    const char **ids = xmalloc((n ? n : 1) * sizeof(*ids));
    const char *id;
    json_t *t;
    json_object_foreach(x->taxonomies, id, t) ids[i++] = id;
    qsort(ids, n, sizeof(*ids), by_text);
    for (i = 0; i < n; i++)
        write_object(x, HSDS_TAXONOMY, json_object_get(x->taxonomies, ids[i]));
    free(ids);
}

/* Every table, then the taxonomies. */
static bool export_tables(struct exporter *x, sqlite3 *db)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        struct table_walk t = {x, r};
        if (hsds_resources[r].stored && !hsds_tables_each_row(db, r, one_row, &t))
            return false;
    }
    if (!hsds_export_store_taxonomies(db, one_taxonomy, x) || !hsds_export_store_terms(db, one_term, x))
        return false;
    write_taxonomies(x);
    return true;
}

static bool write_datapackage(struct exporter *x, json_t *resources)
{
    json_t *dp = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:O}", "name", "human_services_data",
                           "title", "Human Services Data Specification", "description",
                           "Services exported by Waypost (waypost export hsds), in HSDS 3.0.", "profile",
                           "tabular-data-package", "version", "3.0.0", "license", "url",
                           "https://creativecommons.org/licenses/by-sa/4.0/", "type", "CC-BY-SA-4.0", "name",
                           "Creative Commons Attribution-ShareAlike 4.0", "resources", resources);
    char path[1024];
    snprintf(path, sizeof(path), "%s/datapackage.json", x->dir);
    bool ok = dp && json_dump_file(dp, path, JSON_INDENT(2)) == 0;
    json_decref(dp);
    return ok || efail(x, "cannot write %s", path);
}

bool hsds_export(sqlite3 *db, const char *dir, long *services, char *err, size_t errlen)
{
    struct exporter x = {.dir = dir, .err = err, .errlen = errlen};
    *services = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the folder %s: %s", dir, strerror(errno));
        return false;
    }
    if (!hsds_tables_backfill(db, err, errlen))
        return false;
    json_t *resources = json_loads(hsds_resources_json, 0, NULL);
    if (json_array_size(resources) != HSDS_NRES) {
        json_decref(resources);
        snprintf(err, errlen, "the built-in HSDS resource list is broken");
        return false;
    }
    x.taxonomies = json_object();
    for (int r = 0; r < HSDS_NRES && !x.failed; r++)
        if ((x.f[r] = open_out(&x, hsds_resources[r].path)) != NULL)
            write_header(&x, r);
    if (!x.failed)
        x.nd = open_out(&x, "services.ndjson");
    bool ok = !x.failed && hsds_export_store_services(db, one_service, &x) && export_tables(&x, db);
    if (!ok && !x.failed)
        efail(&x, "could not read the directory from the database");
    for (int r = 0; r < HSDS_NRES; r++)
        if (x.f[r] && fclose(x.f[r]) != 0)
            efail(&x, "cannot write %s/%s", dir, hsds_resources[r].path);
    if (x.nd && fclose(x.nd) != 0)
        efail(&x, "cannot write %s/services.ndjson", dir);
    if (!x.failed) {
        /* the ndjson file is Waypost's own addition: listed as a plain resource */
        json_array_append_new(resources,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "waypost_services", "path",
                                        "services.ndjson", "description",
                                        "Each service as one HSDS 3.0 JSON object a line, exactly as stored: "
                                        "`waypost import hsds services.ndjson` loads it back unchanged.",
                                        "format", "ndjson", "mediatype", "application/x-ndjson"));
        write_datapackage(&x, resources);
    }
    json_decref(resources);
    json_decref(x.taxonomies);
    *services = x.failed ? 0 : x.services;
    return !x.failed;
}
