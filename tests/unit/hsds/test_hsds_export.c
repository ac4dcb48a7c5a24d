/* test_hsds_export: `waypost export hsds` (src/hsds/hsds_export.c).
 * Imports the bundled examples, the official HSDS example service and a
 * converted FindTreatment.gov file, exports, imports services.ndjson into
 * a new database and compares every stored service's raw JSON; checks the
 * CSVs' headers against data/hsds-3.0/examples/csv, their quoting, the
 * parent ids filled in, and datapackage.json; and that a resource too wide
 * to write or a failing write (a file that is /dev/full) fails the export
 * with the resource or file named. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_convert.h"
#include "hsds/hsds_export.h"
#include "hsds/hsds_export_store.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_schema.h"
#include "hsds/hsds_store.h"
#include "wp_test.h"

/* every resource of the HSDS 3.0 datapackage */
static const char *const TABLES[] = {
    "organizations", "programs",      "services",         "attributes",     "service_at_location",
    "locations",     "phones",        "contacts",         "addresses",      "schedules",
    "funding",       "service_areas", "required_documents", "languages",    "accessibility",
    "taxonomy_terms", "metadata",     "meta_table_descriptions", "cost_options", "organization_identifiers",
    "taxonomies"};

static sqlite3 *mem_db(void)
{
    return wp_memory_db();
}

static void import_path(sqlite3 *db, const char *path)
{
    char err[512];
    hsds_import_counts c;
    if (!hsds_import_path(db, path, &c, err, sizeof(err)))
        fail_msg("%s", err);
}

static bool collect(void *ctx, const char *raw)
{
    json_array_append_new(ctx, json_string(raw));
    return true;
}

static json_t *all_raws(sqlite3 *db)
{
    json_t *a = json_array();
    assert_true(hsds_export_store_services(db, collect, a));
    return a;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *t = file_read(path, 64u << 20, len);
    if (!t)
        fail_msg("cannot read %s", path);
    return t;
}

/* Reads a CSV file whole: an array of rows, each an object by header. */
static json_t *read_table(const char *dir, const char *name, json_t **header)
{
    size_t len;
    char *text = slurp(dir, name, &len);
    csv_reader r;
    csv_init(&r, text, len);
    json_t *rows = json_array();
    *header = json_array();
    int rc = csv_next_row(&r);
    assert_int_equal(rc, 1);
    for (int i = 0; i < r.nfields; i++)
        json_array_append_new(*header, json_string(r.fields[i]));
    while ((rc = csv_next_row(&r)) == 1) {
        json_t *o = json_object();
        assert_int_equal(r.nfields, (int)json_array_size(*header));
        for (int i = 0; i < r.nfields; i++)
            json_object_set_new(o, json_string_value(json_array_get(*header, (size_t)i)), json_string(r.fields[i]));
        json_array_append_new(rows, o);
    }
    if (rc != 0)
        fail_msg("%s: %s", name, r.error);
    csv_free(&r);
    free(text);
    return rows;
}

static char tmpdir[64];

static void export_round_trip(void **state)
{
    (void)state;
    sqlite3 *a = mem_db();
    import_path(a, "data/taxonomy/waypost.json");
    import_path(a, "data/directory/examples-harm-reduction.ndjson");
    import_path(a, "data/hsds-3.0/examples/service_full.json");
    char err[512];
    size_t len;
    char *ft = file_read("tests/fixtures/findtreatment/sample.json", 1u << 20, &len);
    assert_non_null(ft);
    char *nd = hsds_convert_findtreatment(ft, len, "FindTreatment.gov", "2026-11-01", "data/taxonomy/waypost.json",
                                          "data/taxonomy/samhsa-codes.json", err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    hsds_import_counts c;
    assert_true(hsds_import_text(a, "ft", nd, strlen(nd), &c, err, sizeof(err)));
    free(nd);
    free(ft);
    long want = hsds_store_count_services(a);
    assert_true(want >= 17);

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/wp_export_XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char out[128];
    snprintf(out, sizeof(out), "%s/hsds", tmpdir);
    long n = 0;
    if (!hsds_export(a, out, &n, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(n, want);

    /* services.ndjson imports back to exactly the same raw JSON */
    sqlite3 *b = mem_db();
    char path[256];
    snprintf(path, sizeof(path), "%s/services.ndjson", out);
    import_path(b, path);
    json_t *ra = all_raws(a), *rb = all_raws(b);
    assert_int_equal(json_array_size(ra), (size_t)want);
    assert_true(json_equal(ra, rb));
    /* and again: all unchanged */
    assert_true(hsds_import_path(b, path, &c, err, sizeof(err)));
    assert_int_equal(c.unchanged, want);
    json_decref(ra);
    json_decref(rb);

    /* Exporting again gives the same files. The taxonomy record itself
     * (not the terms) is not in services.ndjson: load it first, as in a. */
    sqlite3 *b2 = mem_db();
    import_path(b2, "data/taxonomy/waypost.json");
    import_path(b2, path);
    db_close(b);
    b = b2;
    char out2[128];
    snprintf(out2, sizeof(out2), "%s/again", tmpdir);
    assert_true(hsds_export(b, out2, &n, err, sizeof(err)));
    for (size_t i = 0; i < sizeof(TABLES) / sizeof(TABLES[0]); i++) {
        char name[64];
        size_t l1, l2;
        snprintf(name, sizeof(name), "%s.csv", TABLES[i]);
        char *t1 = slurp(out, name, &l1), *t2 = slurp(out2, name, &l2);
        if (l1 != l2 || memcmp(t1, t2, l1))
            fail_msg("%s differs between exports", name);
        free(t1);
        free(t2);
    }
    db_close(a);
    db_close(b);
}

static void csv_tables(void **state)
{
    (void)state;
    char out[128];
    snprintf(out, sizeof(out), "%s/hsds", tmpdir);
    for (size_t i = 0; i < sizeof(TABLES) / sizeof(TABLES[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.csv", TABLES[i]);
        json_t *h, *hx;
        json_t *rows = read_table(out, name, &h);
        json_t *ex = read_table("data/hsds-3.0/examples/csv", name, &hx);
        if (!json_equal(h, hx))
            fail_msg("%s: header differs from the HSDS example", name);
        /* the official service_full.json fills every table but one, which
         * no HSDS JSON object holds */
        if (strcmp(TABLES[i], "meta_table_descriptions") && !json_array_size(rows))
            fail_msg("%s has no rows", name);
        json_decref(rows);
        json_decref(ex);
        json_decref(h);
        json_decref(hx);
    }
    json_t *h;
    json_t *sal = read_table(out, "service_at_location.csv", &h);
    size_t i;
    json_t *r;
    json_array_foreach(sal, i, r)
    {
        assert_true(*json_string_value(json_object_get(r, "service_id")));
        assert_true(*json_string_value(json_object_get(r, "location_id")));
    }
    json_decref(sal);
    json_decref(h);
    json_t *addr = read_table(out, "addresses.csv", &h);
    json_array_foreach(addr, i, r) assert_true(*json_string_value(json_object_get(r, "location_id")));
    json_decref(addr);
    json_decref(h);
    json_t *attrs = read_table(out, "attributes.csv", &h);
    json_array_foreach(attrs, i, r)
    {
        assert_true(*json_string_value(json_object_get(r, "link_id")));
        assert_true(*json_string_value(json_object_get(r, "taxonomy_term_id")));
    }
    json_decref(attrs);
    json_decref(h);
    /* quoting: a name with a comma and text with quotes survive */
    json_t *svcs = read_table(out, "services.csv", &h);
    bool found = false;
    json_array_foreach(svcs, i, r)
    {
        const char *nm = json_string_value(json_object_get(r, "name"));
        if (!strcmp(nm, "EXAMPLE: Drug Checking Drop-in, Lower East Side"))
            found = true;
    }
    assert_true(found);
    json_decref(svcs);
    json_decref(h);
    /* the SAMHSA taxonomy is listed though it was only named by terms */
    json_t *tax = read_table(out, "taxonomies.csv", &h);
    found = false;
    json_array_foreach(tax, i, r) found |= !strcmp(json_string_value(json_object_get(r, "name")), "SAMHSA service codes");
    assert_true(found);
    json_decref(tax);
    json_decref(h);
}

static void datapackage(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof(path), "%s/hsds/datapackage.json", tmpdir);
    json_error_t je;
    json_t *dp = json_load_file(path, 0, &je);
    if (!dp)
        fail_msg("%s", je.text);
    assert_string_equal(json_string_value(json_object_get(dp, "profile")), "tabular-data-package");
    json_t *res = json_object_get(dp, "resources");
    /* the 21 HSDS 3.0 resources, in the specification's order, and services.ndjson */
    assert_int_equal(json_array_size(res), 22);
    json_t *spec = json_load_file("data/hsds-3.0/datapackage.json", 0, NULL);
    assert_non_null(spec);
    for (size_t k = 0; k < 21; k++) {
        json_t *a = json_array_get(res, k), *b = json_array_get(json_object_get(spec, "resources"), k);
        assert_string_equal(json_string_value(json_object_get(a, "name")), json_string_value(json_object_get(b, "name")));
        assert_string_equal(json_string_value(json_object_get(a, "path")), json_string_value(json_object_get(b, "path")));
    }
    json_decref(spec);
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        char p[512];
        snprintf(p, sizeof(p), "%s/hsds/%s", tmpdir, json_string_value(json_object_get(r, "path")));
        assert_int_equal(access(p, R_OK), 0);
    }
    json_decref(dp);
}

/* The set of an attribute list's taxonomy term ids. */
static json_t *term_ids(json_t *attrs)
{
    json_t *set = json_object();
    size_t i;
    json_t *at;
    json_array_foreach(attrs, i, at)
    {
        const char *id = json_string_value(json_object_get(json_object_get(at, "taxonomy_term"), "id"));
        json_object_set_new(set, id ? id : "(none)", json_true());
    }
    return set;
}

/* Same services, names, locations and term links, by id. */
static void same_services(json_t *ra, json_t *rb)
{
    assert_int_equal(json_array_size(ra), json_array_size(rb));
    for (size_t i = 0; i < json_array_size(ra); i++) {
        json_t *a = json_loads(json_string_value(json_array_get(ra, i)), 0, NULL);
        json_t *b = json_loads(json_string_value(json_array_get(rb, i)), 0, NULL);
        assert_non_null(a);
        assert_non_null(b);
        /* services.csv names the organization a service nests */
        if (!json_object_get(a, "organization_id") && json_object_get(json_object_get(a, "organization"), "id"))
            json_object_set(a, "organization_id", json_object_get(json_object_get(a, "organization"), "id"));
        static const char *const keys[] = {"id", "name", "organization_id", "status", "description", "url"};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            if (!json_equal(json_object_get(a, keys[k]), json_object_get(b, keys[k])) &&
                (json_object_get(a, keys[k]) || json_object_get(b, keys[k])))
                fail_msg("service %s: %s differs", json_string_value(json_object_get(a, "id")), keys[k]);
        json_t *sa = json_object_get(a, "service_at_locations"), *sb = json_object_get(b, "service_at_locations");
        assert_int_equal(json_array_size(sa), json_array_size(sb));
        for (size_t k = 0; k < json_array_size(sa); k++) {
            json_t *la = json_object_get(json_array_get(sa, k), "location");
            json_t *lb = json_object_get(json_array_get(sb, k), "location");
            assert_true(json_equal(json_object_get(la, "id"), json_object_get(lb, "id")));
            assert_true(json_equal(json_object_get(la, "latitude"), json_object_get(lb, "latitude")) ||
                        json_number_value(json_object_get(la, "latitude")) ==
                            json_number_value(json_object_get(lb, "latitude")));
            json_t *aa = json_array_get(json_object_get(la, "addresses"), 0);
            json_t *ab = json_array_get(json_object_get(lb, "addresses"), 0);
            assert_true(json_equal(json_object_get(aa, "postal_code"), json_object_get(ab, "postal_code")));
            assert_true(json_equal(json_object_get(aa, "address_1"), json_object_get(ab, "address_1")));
        }
        /* the CSVs list rows by id, so compare the attributes as a set */
        json_t *ta = term_ids(json_object_get(a, "attributes")), *tb = term_ids(json_object_get(b, "attributes"));
        assert_int_equal(json_object_size(ta), json_array_size(json_object_get(a, "attributes")));
        assert_true(json_equal(ta, tb));
        json_decref(ta);
        json_decref(tb);
        json_decref(a);
        json_decref(b);
    }
}

static void datapackage_csv_imports_back(void **state)
{
    (void)state;
    char out[128], err[512];
    snprintf(out, sizeof(out), "%s/hsds", tmpdir);
    char *nd = hsds_convert_datapackage(out, err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    sqlite3 *b = mem_db();
    hsds_import_counts c;
    if (!hsds_import_text(b, "datapackage", nd, strlen(nd), &c, err, sizeof(err)))
        fail_msg("%s", err);
    free(nd);
    /* compare with the export's own services.ndjson */
    sqlite3 *a = mem_db();
    char path[256];
    snprintf(path, sizeof(path), "%s/services.ndjson", out);
    import_path(a, path);
    json_t *ra = all_raws(a), *rb = all_raws(b);
    assert_true(json_array_size(ra) >= 17);
    same_services(ra, rb);
    json_decref(ra);
    json_decref(rb);
    db_close(a);
    db_close(b);
}

/* The official HSDS 3.0 example CSVs (their datapackage.json is only a
 * pointer, so the built-in number columns apply). */
static void official_example_datapackage(void **state)
{
    (void)state;
    char err[512];
    char *nd = hsds_convert_datapackage("data/hsds-3.0/examples/csv", err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    sqlite3 *db = mem_db();
    hsds_import_counts c;
    if (!hsds_import_text(db, "examples", nd, strlen(nd), &c, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(c.added, 1);
    json_t *s = json_loads(nd, JSON_DISABLE_EOF_CHECK, NULL);
    json_t *loc = json_object_get(json_array_get(json_object_get(s, "service_at_locations"), 0), "location");
    assert_true(json_is_number(json_object_get(loc, "latitude")));
    assert_true(json_array_size(json_object_get(loc, "addresses")) >= 1);
    assert_true(json_is_object(json_object_get(s, "organization")));
    json_decref(s);
    free(nd);
    db_close(db);
}

static void datapackage_errors(void **state)
{
    (void)state;
    char err[512] = "";
    assert_null(hsds_convert_datapackage("/nonexistent", err, sizeof(err)));
    assert_contains(err, "/nonexistent/services.csv");
    char dir[128], path[160];
    snprintf(dir, sizeof(dir), "%s/badpkg", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/services.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,name,minimum_age\r\nabc,A,ten\r\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/datapackage.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"resources\": [{\"name\": \"service\", \"schema\": {\"fields\": [{\"name\": \"minimum_age\", "
          "\"type\": \"integer\"}]}}]}",
          f);
    fclose(f);
    assert_null(hsds_convert_datapackage(dir, err, sizeof(err)));
    assert_contains(err, "services.csv row 2, column minimum_age");
}

static void export_errors(void **state)
{
    (void)state;
    sqlite3 *db = mem_db();
    char err[512] = "";
    long n = 5;
    assert_false(hsds_export(db, "/proc/nope/hsds", &n, err, sizeof(err)));
    assert_contains(err, "/proc/nope/hsds");
    assert_int_equal(n, 0);
    /* an empty directory exports headers only */
    char out[128];
    snprintf(out, sizeof(out), "%s/empty", tmpdir);
    assert_true(hsds_export(db, out, &n, err, sizeof(err)));
    assert_int_equal(n, 0);
    db_close(db);
}

/* A resource wider than the export's rows stops the export, named, rather
 * than losing its last columns. */
static void export_width_checked(void **state)
{
    (void)state;
    char err[256] = "";
    for (int r = 0; r < HSDS_NRES; r++)
        assert_true(hsds_export_fits(&hsds_resources[r], err, sizeof(err)));
    hsds_field wide[HSDS_MAX_FIELDS + 1];
    for (int i = 0; i <= HSDS_MAX_FIELDS; i++)
        wide[i] = (hsds_field){"f", false};
    hsds_resource_info info = {"wide_thing", "wide_things.csv", wide, HSDS_MAX_FIELDS + 1, true};
    assert_false(hsds_export_fits(&info, err, sizeof(err)));
    char want[64];
    snprintf(want, sizeof(want), "wide_thing has %d fields", HSDS_MAX_FIELDS + 1);
    assert_contains(err, want);
    info.nfields = HSDS_MAX_FIELDS;
    assert_true(hsds_export_fits(&info, err, sizeof(err)));
}

/* A write that fails (here: the file is /dev/full) fails the export with
 * that file named, whichever file it is. */
static void export_full_disk(void **state)
{
    (void)state;
    sqlite3 *db = mem_db();
    import_path(db, "data/taxonomy/waypost.json");
    import_path(db, "data/directory/examples-harm-reduction.ndjson");
    static const char *const names[] = {"services.ndjson", "phones.csv", "services.csv", "taxonomies.csv",
                                        "datapackage.json"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char dir[64], link[128], want[160], err[512] = "";
        snprintf(dir, sizeof(dir), "%s", "/tmp/wp_export_full_XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(link, sizeof(link), "%s/%s", dir, names[i]);
        assert_int_equal(symlink("/dev/full", link), 0);
        long n = 5;
        assert_false(hsds_export(db, dir, &n, err, sizeof(err)));
        snprintf(want, sizeof(want), "cannot write %s: ", link);
        assert_contains(err, want);
        assert_contains(err, "No space left on device");
        assert_int_equal(n, 0);
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    db_close(db);
}

static int cleanup(void **state)
{
    (void)state;
    char cmd[128];
    if (tmpdir[0] && !strncmp(tmpdir, "/tmp/wp_export_", 15)) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_round_trip),
        cmocka_unit_test(csv_tables),
        cmocka_unit_test(datapackage),
        cmocka_unit_test(datapackage_csv_imports_back),
        cmocka_unit_test(official_example_datapackage),
        cmocka_unit_test(datapackage_errors),
        cmocka_unit_test(export_errors),
        cmocka_unit_test(export_width_checked),
        cmocka_unit_test(export_full_disk),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
