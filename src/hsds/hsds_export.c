/* hsds_export: `waypost export hsds DIR`, an HSDS 3.0 datapackage read
 * from the stored services' raw JSON: written as it is to services.ndjson,
 * and split into temp hsds_ tables (one per resource, hsds_tables_fill)
 * for the CSV files. Every write is checked: a full disk or a failing file gives an
 * error naming the file, never a short export reported as done. See
 * hsds_export.h. */
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

/* An output file and its path, for errors. */
struct out {
    FILE *f;
    char path[1024];
};

struct exporter {
    const char *dir;
    struct out f[HSDS_NRES];
    struct out nd;
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

static bool open_out(struct exporter *x, struct out *o, const char *name)
{
    if ((size_t)snprintf(o->path, sizeof(o->path), "%s/%s", x->dir, name) >= sizeof(o->path))
        return efail(x, "the folder name %s is too long", x->dir);
    o->f = fopen(o->path, "wb");
    return o->f || efail(x, "cannot write %s: %s", o->path, strerror(errno));
}

/* Writes n bytes to o; false (and the export failed, the file named) when
 * they did not all go. */
static bool put(struct exporter *x, struct out *o, const void *p, size_t n)
{
    if (x->failed)
        return false;
    errno = 0;
    if (fwrite(p, 1, n, o->f) != n || ferror(o->f))
        return efail(x, "cannot write %s: %s", o->path, errno ? strerror(errno) : "write error");
    return true;
}

/* Closes o; a failed flush (a full disk shows here first) names the file. */
static void close_out(struct exporter *x, struct out *o)
{
    if (!o->f)
        return;
    errno = 0;
    bool bad = ferror(o->f) != 0;
    if (fclose(o->f) != 0 || bad)
        efail(x, "cannot write %s: %s", o->path, errno ? strerror(errno) : "write error");
    o->f = NULL;
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

/* One CSV row of resource r. */
static bool write_cells(struct exporter *x, int r, int n, const char *const *vals)
{
    buf line = BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&line, ',');
        csv_put_field(&line, vals[i]);
    }
    buf_puts(&line, "\r\n");
    bool ok = !line.overflow || efail(x, "a row of %s is too long", x->f[r].path);
    ok = ok && put(x, &x->f[r], line.data, line.len);
    buf_free(&line);
    return ok;
}

bool hsds_export_fits(const hsds_resource_info *res, char *err, size_t errlen)
{
    if (res->nfields <= HSDS_MAX_FIELDS)
        return true;
    snprintf(err, errlen, "the HSDS resource %s has %d fields, more than the %d the export can write "
             "(HSDS_MAX_FIELDS: rerun tools/gen_hsds_tables.py)", res->name, res->nfields, HSDS_MAX_FIELDS);
    return false;
}

static bool write_header(struct exporter *x, int r)
{
    const char *names[HSDS_MAX_FIELDS] = {0};
    int n = hsds_resources[r].nfields;
    for (int i = 0; i < n; i++)
        names[i] = hsds_resources[r].fields[i].name;
    return write_cells(x, r, n, names);
}

/* A JSON object as a row of resource r (its columns' scalar values). */
static bool write_object(struct exporter *x, int r, json_t *o)
{
    int n = hsds_resources[r].nfields;
    char *texts[HSDS_MAX_FIELDS] = {0};
    for (int i = 0; i < n; i++)
        texts[i] = scalar_text(json_object_get(o, hsds_resources[r].fields[i].name));
    bool ok = write_cells(x, r, n, (const char *const *)texts);
    for (int i = 0; i < n; i++)
        free(texts[i]);
    return ok;
}

struct table_walk {
    struct exporter *x;
    int r;
};

static bool one_row(void *ctx, int ncols, const char *const *vals)
{
    struct table_walk *t = ctx;
    return write_cells(t->x, t->r, ncols, vals);
}

static bool one_service(void *ctx, const char *raw)
{
    struct exporter *x = ctx;
    if (!put(x, &x->nd, raw, strlen(raw)) || !put(x, &x->nd, "\n", 1))
        return false;
    x->services++;
    return true;
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
    bool ok = true;
    if (json_is_object(o)) {
        ok = write_object(x, HSDS_TAXONOMY_TERM, o);
        const char *tid = sv(o, "taxonomy_id"), *tname = sv(o, "taxonomy");
        if (tid && tname && !json_object_get(x->taxonomies, tid))
            json_object_set_new(x->taxonomies, tid, json_pack("{s:s, s:s}", "id", tid, "name", tname));
    }
    json_decref(o);
    return ok;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool write_taxonomies(struct exporter *x)
{
    size_t n = json_object_size(x->taxonomies), i = 0;
    const char **ids = xmalloc((n ? n : 1) * sizeof(*ids));
    const char *id;
    json_t *t;
    json_object_foreach(x->taxonomies, id, t) ids[i++] = id;
    qsort(ids, n, sizeof(*ids), by_text);
    bool ok = true;
    for (i = 0; ok && i < n; i++)
        ok = write_object(x, HSDS_TAXONOMY, json_object_get(x->taxonomies, ids[i]));
    free(ids);
    return ok;
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
    return write_taxonomies(x);
}

static bool write_datapackage(struct exporter *x, json_t *resources)
{
    json_t *dp = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:O}", "name", "human_services_data",
                           "title", "Human Services Data Specification", "description",
                           "Services exported by Waypost (waypost export hsds), in HSDS 3.0.", "profile",
                           "tabular-data-package", "version", "3.0.0", "license", "url",
                           "https://creativecommons.org/licenses/by-sa/4.0/", "type", "CC-BY-SA-4.0", "name",
                           "Creative Commons Attribution-ShareAlike 4.0", "resources", resources);
    char *text = dp ? json_dumps(dp, JSON_INDENT(2)) : NULL;
    json_decref(dp);
    struct out o = {0};
    if (!text)
        return efail(x, "cannot write %s/datapackage.json: out of memory", x->dir);
    if (open_out(x, &o, "datapackage.json"))
        put(x, &o, text, strlen(text));
    close_out(x, &o);
    free(text);
    return !x->failed;
}

/* Every resource's CSV with its header row, and services.ndjson. */
static bool open_all(struct exporter *x)
{
    for (int r = 0; r < HSDS_NRES && !x->failed; r++)
        if (open_out(x, &x->f[r], hsds_resources[r].path))
            write_header(x, r);
    if (!x->failed)
        open_out(x, &x->nd, "services.ndjson");
    return !x->failed;
}

static void close_all(struct exporter *x)
{
    for (int r = 0; r < HSDS_NRES; r++)
        close_out(x, &x->f[r]);
    close_out(x, &x->nd);
}

/* The built-in resources' JSON, or NULL when it or a resource's width is
 * wrong (an export would drop columns). */
static json_t *resources_json(char *err, size_t errlen)
{
    for (int r = 0; r < HSDS_NRES; r++)
        if (!hsds_export_fits(&hsds_resources[r], err, errlen))
            return NULL;
    json_t *resources = json_loads(hsds_resources_json, 0, NULL);
    if (json_array_size(resources) != HSDS_NRES) {
        json_decref(resources);
        snprintf(err, errlen, "the built-in HSDS resource list is broken");
        return NULL;
    }
    return resources;
}

bool hsds_export(sqlite3 *db, const char *dir, long *services, char *err, size_t errlen)
{
    struct exporter x = {.dir = dir, .err = err, .errlen = errlen};
    *services = 0;
    json_t *resources = resources_json(err, errlen);
    if (!resources)
        return false;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the folder %s: %s", dir, strerror(errno));
        json_decref(resources);
        return false;
    }
    if (!hsds_tables_fill(db, true, err, errlen)) {
        hsds_tables_temp_drop(db);
        json_decref(resources);
        return false;
    }
    x.taxonomies = json_object();
    bool ok = open_all(&x) && hsds_export_store_services(db, one_service, &x) && export_tables(&x, db);
    if (!ok && !x.failed)
        efail(&x, "could not read the directory from the database");
    close_all(&x);
    hsds_tables_temp_drop(db);
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
