/* hsds_convert_datapackage: an HSDS 3.0 CSV datapackage folder (as
 * `waypost export hsds` writes, or the official examples) into nested HSDS
 * service documents, one a line: each table read with its column types,
 * its rows grouped by id and by the columns that link them, and every
 * service expanded by the NEST rules below. Rows no service reaches go to
 * the first service's "waypost_unlinked". See hsds_convert.h. */
#include "hsds/hsds_convert.h"
#include "core/csv.h"
#include "core/util.h"
#include "hsds/hsds_convert_internal.h"
#include "hsds/hsds_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How rows of one table nest under another in HSDS JSON. With by_parent,
 * the parent's column names the child ("organization_id" of a service);
 * otherwise the child's column names the parent ("service_id" of a phone).
 * once: only under the first object of the parent's id (an organization's
 * own programs and locations, which would otherwise be copied into every
 * service of a large organization). */
static const struct nest_rule {
    int parent;
    const char *key;
    int child;
    const char *column;
    bool by_parent, once;
} NEST[] = {
    {HSDS_SERVICE, "organization", HSDS_ORGANIZATION, "organization_id", true, false},
    {HSDS_SERVICE, "program", HSDS_PROGRAM, "program_id", true, false},
    {HSDS_SERVICE, "service_at_locations", HSDS_SERVICE_AT_LOCATION, "service_id", false, false},
    {HSDS_SERVICE, "phones", HSDS_PHONE, "service_id", false, false},
    {HSDS_SERVICE, "schedules", HSDS_SCHEDULE, "service_id", false, false},
    {HSDS_SERVICE, "service_areas", HSDS_SERVICE_AREA, "service_id", false, false},
    {HSDS_SERVICE, "languages", HSDS_LANGUAGE, "service_id", false, false},
    {HSDS_SERVICE, "funding", HSDS_FUNDING, "service_id", false, false},
    {HSDS_SERVICE, "cost_options", HSDS_COST_OPTION, "service_id", false, false},
    {HSDS_SERVICE, "required_documents", HSDS_REQUIRED_DOCUMENT, "service_id", false, false},
    {HSDS_SERVICE, "contacts", HSDS_CONTACT, "service_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "location", HSDS_LOCATION, "location_id", true, false},
    {HSDS_SERVICE_AT_LOCATION, "contacts", HSDS_CONTACT, "service_at_location_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "phones", HSDS_PHONE, "service_at_location_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "schedules", HSDS_SCHEDULE, "service_at_location_id", false, false},
    {HSDS_LOCATION, "languages", HSDS_LANGUAGE, "location_id", false, false},
    {HSDS_LOCATION, "addresses", HSDS_ADDRESS, "location_id", false, false},
    {HSDS_LOCATION, "contacts", HSDS_CONTACT, "location_id", false, false},
    {HSDS_LOCATION, "accessibility", HSDS_ACCESSIBILITY, "location_id", false, false},
    {HSDS_LOCATION, "phones", HSDS_PHONE, "location_id", false, false},
    {HSDS_LOCATION, "schedules", HSDS_SCHEDULE, "location_id", false, false},
    {HSDS_ORGANIZATION, "funding", HSDS_FUNDING, "organization_id", false, false},
    {HSDS_ORGANIZATION, "contacts", HSDS_CONTACT, "organization_id", false, false},
    {HSDS_ORGANIZATION, "phones", HSDS_PHONE, "organization_id", false, false},
    {HSDS_ORGANIZATION, "organization_identifiers", HSDS_ORGANIZATION_IDENTIFIER, "organization_id", false, false},
    {HSDS_ORGANIZATION, "programs", HSDS_PROGRAM, "organization_id", false, true},
    {HSDS_ORGANIZATION, "locations", HSDS_LOCATION, "organization_id", false, true},
    {HSDS_CONTACT, "phones", HSDS_PHONE, "contact_id", false, false},
    {HSDS_PHONE, "languages", HSDS_LANGUAGE, "phone_id", false, false},
    {HSDS_ATTRIBUTE, "taxonomy_term", HSDS_TAXONOMY_TERM, "taxonomy_term_id", true, false},
    {HSDS_TAXONOMY_TERM, "taxonomy_detail", HSDS_TAXONOMY, "taxonomy_id", true, false},
};
#define NNEST (sizeof(NEST) / sizeof(NEST[0]))
#define NEST_DEPTH 12

/* The tables read, their rows grouped for nesting, and what was used. */
struct dpkg {
    json_t *rows[HSDS_NRES];   /* arrays of row objects */
    json_t *by_id[HSDS_NRES];  /* id -> [rows] */
    json_t *groups[NNEST];     /* child column value -> [rows] (rules by child column) */
    json_t *attrs, *meta;      /* link_id / resource_id -> [rows] */
    json_t *reached[HSDS_NRES]; /* ids placed in some service */
    json_t *expanded_once;     /* "rule:id" of once-rules already used */
};

/* name -> field type for one resource of datapackage.json (NULL if none). */
static json_t *dp_types(json_t *dp, const char *resource)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(dp, "resources"), i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        if (!name || strcmp(name, resource))
            continue;
        json_t *types = json_object();
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(json_object_get(r, "schema"), "fields"), k, f)
        {
            const char *n = json_string_value(json_object_get(f, "name"));
            const char *t = json_string_value(json_object_get(f, "type"));
            if (n && t)
                json_object_set_new(types, n, json_string(t));
        }
        return types;
    }
    return NULL;
}

/* HSDS 3.0's own types for resource r (its number columns). */
static json_t *builtin_types(int r)
{
    json_t *types = json_object();
    for (int i = 0; i < hsds_resources[r].nfields; i++)
        if (hsds_resources[r].fields[i].number)
            json_object_set_new(types, hsds_resources[r].fields[i].name, json_string("number"));
    return types;
}

static json_t *typed(const char *v, const char *type, bool *ok)
{
    *ok = true;
    if (type && !strcmp(type, "number")) {
        double d;
        if (conv_parse_num(v, &d))
            return json_real(d);
        *ok = false;
    } else if (type && !strcmp(type, "integer")) {
        long n;
        if (parse_long(v, -2147483647L, 2147483647L, &n))
            return json_integer(n);
        *ok = false;
    } else if (type && !strcmp(type, "boolean")) {
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            return json_true();
        if (!strcmp(v, "false") || !strcmp(v, "0"))
            return json_false();
        *ok = false;
    }
    return *ok ? json_string(v) : NULL;
}

/* Reads one table (file is e.g. "phones.csv") into an array of row objects
 * (empty cells left out). A missing file is an empty table, unless
 * required. */
static json_t *dp_table(const char *dir, const char *file, json_t *types, bool required, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    size_t len;
    char *text = file_read(path, 512u * 1024u * 1024u, &len);
    if (!text) {
        if (required)
            conv_fail(err, errlen, "cannot read %s", path);
        return required ? NULL : json_array();
    }
    json_t *rows = json_array();
    csv_reader r;
    csv_init(&r, text, len);
    int rc = csv_next_row(&r);
    char *head[CSV_MAX_FIELDS] = {0};
    int nh = rc == 1 ? r.nfields : 0;
    for (int i = 0; i < nh; i++)
        head[i] = xstrdup(str_has_prefix(r.fields[i], "\xEF\xBB\xBF") ? r.fields[i] + 3 : r.fields[i]);
    bool ok = rc >= 0 && utf8_valid(text, len);
    if (!ok)
        conv_fail(err, errlen, "%s %s", file, rc < 0 ? r.error : "is not UTF-8 text");
    while (ok && (rc = csv_next_row(&r)) == 1) {
        if (r.nfields == 1 && !*r.fields[0])
            continue;
        json_t *o = json_object();
        for (int i = 0; ok && i < r.nfields && i < nh; i++) {
            if (!*r.fields[i])
                continue;
            json_t *v = typed(r.fields[i], json_string_value(json_object_get(types, head[i])), &ok);
            if (!ok)
                conv_fail(err, errlen, "%s row %ld, column %s: \"%.40s\" is not a %s", file, r.row, head[i],
                          r.fields[i], json_string_value(json_object_get(types, head[i])));
            else
                json_object_set_new(o, head[i], v);
        }
        json_array_append_new(rows, o);
    }
    if (ok && rc < 0) {
        conv_fail(err, errlen, "%s %s", file, r.error);
        ok = false;
    }
    for (int i = 0; i < nh; i++)
        free(head[i]);
    csv_free(&r);
    free(text);
    if (!ok) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* key value -> array of the rows with that value in column key. */
static json_t *group_by(json_t *rows, const char *key)
{
    json_t *g = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *v = json_string_value(json_object_get(r, key));
        if (!v)
            continue;
        json_t *list = json_object_get(g, v);
        if (!list) {
            list = json_array();
            json_object_set_new(g, v, list);
        }
        json_array_append(list, r);
    }
    return g;
}

static bool dp_read(struct dpkg *p, const char *dir, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/datapackage.json", dir);
    json_t *dp = json_load_file(path, 0, NULL);
    bool ok = true;
    for (int r = 0; ok && r < HSDS_NRES; r++) {
        json_t *types = dp_types(dp, hsds_resources[r].name);
        if (!types) /* no usable datapackage.json: HSDS 3.0's number columns */
            types = builtin_types(r);
        p->rows[r] = dp_table(dir, hsds_resources[r].path, types, r == HSDS_SERVICE, err, errlen);
        json_decref(types);
        ok = p->rows[r] != NULL;
    }
    json_decref(dp);
    return ok;
}

static void dp_group(struct dpkg *p)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        p->by_id[r] = group_by(p->rows[r], "id");
        p->reached[r] = json_object();
    }
    for (size_t n = 0; n < NNEST; n++)
        p->groups[n] = NEST[n].by_parent ? NULL : group_by(p->rows[NEST[n].child], NEST[n].column);
    p->attrs = group_by(p->rows[HSDS_ATTRIBUTE], "link_id");
    p->meta = group_by(p->rows[HSDS_METADATA], "resource_id");
    p->expanded_once = json_object();
}

static void dp_free(struct dpkg *p)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        json_decref(p->rows[r]);
        json_decref(p->by_id[r]);
        json_decref(p->reached[r]);
    }
    for (size_t n = 0; n < NNEST; n++)
        json_decref(p->groups[n]);
    json_decref(p->attrs);
    json_decref(p->meta);
    json_decref(p->expanded_once);
}

static json_t *expand(struct dpkg *p, json_t *row, int r, int depth);

/* Puts copies of the rows in list under o[key] (one object or a list). */
static void nest_list(struct dpkg *p, json_t *o, const char *key, json_t *list, int child, bool one, int depth)
{
    if (!json_array_size(list))
        return;
    if (one) {
        json_object_set_new(o, key, expand(p, json_array_get(list, 0), child, depth + 1));
        return;
    }
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) json_array_append_new(out, expand(p, c, child, depth + 1));
    json_object_set_new(o, key, out);
}

/* Whether a once-rule may still nest under this id (and marks it used). */
static bool first_time(struct dpkg *p, size_t n, const char *id)
{
    char key[256];
    snprintf(key, sizeof(key), "%zu:%s", n, id);
    if (json_object_get(p->expanded_once, key))
        return false;
    json_object_set_new(p->expanded_once, key, json_true());
    return true;
}

/* A copy of row (of resource r) with everything that nests under it. */
static json_t *expand(struct dpkg *p, json_t *row, int r, int depth)
{
    json_t *o = json_deep_copy(row);
    const char *id = json_string_value(json_object_get(o, "id"));
    if (id)
        json_object_set_new(p->reached[r], id, json_true());
    if (depth > NEST_DEPTH)
        return o;
    for (size_t n = 0; n < NNEST; n++) {
        if (NEST[n].parent != r)
            continue;
        if (NEST[n].by_parent) {
            const char *cid = json_string_value(json_object_get(o, NEST[n].column));
            nest_list(p, o, NEST[n].key, cid ? json_object_get(p->by_id[NEST[n].child], cid) : NULL, NEST[n].child,
                      true, depth);
        } else if (id && (!NEST[n].once || first_time(p, n, id))) {
            nest_list(p, o, NEST[n].key, json_object_get(p->groups[n], id), NEST[n].child, false, depth);
        }
    }
    if (id && r != HSDS_ATTRIBUTE && r != HSDS_METADATA)
        nest_list(p, o, "attributes", json_object_get(p->attrs, id), HSDS_ATTRIBUTE, false, depth);
    if (id && r != HSDS_METADATA)
        nest_list(p, o, "metadata", json_object_get(p->meta, id), HSDS_METADATA, false, depth);
    return o;
}

/* The rows no service reached, by resource name (NULL when none). */
static json_t *unlinked(struct dpkg *p)
{
    json_t *u = json_object();
    for (int r = 0; r < HSDS_NRES; r++) {
        if (r == HSDS_SERVICE)
            continue;
        json_t *list = json_array();
        size_t i;
        json_t *row;
        json_array_foreach(p->rows[r], i, row)
        {
            const char *id = json_string_value(json_object_get(row, "id"));
            if (!id || !json_object_get(p->reached[r], id))
                json_array_append(list, row);
        }
        if (json_array_size(list))
            json_object_set_new(u, hsds_resources[r].name, list);
        else
            json_decref(list);
    }
    if (!json_object_size(u)) {
        json_decref(u);
        return NULL;
    }
    return u;
}

/* Every service row as a nested document; rows no service reaches go into
 * the first one's "waypost_unlinked" (see hsds_tables.h). */
static json_t *dp_services(struct dpkg *p, char *err, size_t errlen)
{
    json_t *docs = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(p->rows[HSDS_SERVICE], i, row)
    {
        const char *sid = json_string_value(json_object_get(row, "id"));
        if (!sid || !json_is_string(json_object_get(row, "name"))) {
            conv_fail(err, errlen, "services.csv row %zu, column %s: missing", i + 2, sid ? "name" : "id");
            json_decref(docs);
            return NULL;
        }
        json_array_append_new(docs, expand(p, row, HSDS_SERVICE, 0));
    }
    json_t *u = unlinked(p);
    if (u && json_array_size(docs))
        json_object_set_new(json_array_get(docs, 0), "waypost_unlinked", u);
    else
        json_decref(u);
    return docs;
}

char *hsds_convert_datapackage(const char *dir, char *err, size_t errlen)
{
    struct dpkg p = {0};
    char *result = NULL;
    if (dp_read(&p, dir, err, errlen)) {
        dp_group(&p);
        json_t *docs = dp_services(&p, err, errlen);
        if (docs && !json_array_size(docs))
            conv_fail(err, errlen, "%s/services.csv has no services", dir);
        else if (docs)
            result = conv_ndjson(docs, "the datapackage", err, errlen);
        json_decref(docs);
    }
    dp_free(&p);
    return result;
}
