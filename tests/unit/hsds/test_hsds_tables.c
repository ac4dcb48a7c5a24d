/* test_hsds_tables: HSDS service documents split into the hsds_ tables
 * (src/hsds/hsds_tables.c, hsds_tables_store.c, migration 0005).
 * The official service_full.json gives the expected rows per resource with
 * their parent ids filled in; a nested object without an id is refused
 * with its path; the import stores only the document (the hsds_ tables of
 * the file stay empty) and the export splits the stored documents into
 * temp tables: a re-import replaces a document's rows and never
 * duplicates them; rows shared by two documents survive until both drop
 * them; the temp tables are gone after the export.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_export.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_schema.h"
#include "hsds/hsds_tables.h"
#include "wp_test.h"

#define SVC "ac148810-d857-441c-9679-408f346de14b"
#define ORG "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
#define LOC "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
#define SAL "e94c9f38-1e8f-4564-91d4-d53501ab1765"
#define CONTACT "1e7efce3-639b-4880-940c-b95cd30cdb50"
#define PHONE "1554f2e2-a373-45db-a3fa-9fc48a61c15e"

static sqlite3 *mem_db(void)
{
    return wp_memory_db();
}

static json_t *load(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s", path, je.text);
    return j;
}

static json_t *row(hsds_rows *rows, int r, const char *id)
{
    json_t *o = json_object_get(rows->t[r], id);
    if (!o)
        fail_msg("no %s row %s", hsds_resources[r].name, id);
    return o;
}

static void assert_col(json_t *o, const char *key, const char *want)
{
    const char *got = json_string_value(json_object_get(o, key));
    if (!got || strcmp(got, want))
        fail_msg("%s is \"%s\", want \"%s\"", key, got ? got : "(none)", want);
}

static void service_full_rows(void **state)
{
    (void)state;
    json_t *svc = load("data/hsds-3.0/examples/service_full.json");
    hsds_rows rows;
    char field[256];
    const char *what = NULL;
    assert_true(hsds_decompose(svc, &rows, field, sizeof(field), &what));
    /* one row per id, however many places nest it (the phone is under the
     * service, the service_at_location, the location, the contact and the
     * organization) */
    static const struct {
        int r;
        size_t n;
    } want[] = {
        {HSDS_ORGANIZATION, 1}, {HSDS_PROGRAM, 1},       {HSDS_SERVICE, 1},           {HSDS_ATTRIBUTE, 1},
        {HSDS_SERVICE_AT_LOCATION, 1}, {HSDS_LOCATION, 1}, {HSDS_PHONE, 1},           {HSDS_CONTACT, 1},
        {HSDS_ADDRESS, 1},      {HSDS_SCHEDULE, 1},      {HSDS_FUNDING, 1},           {HSDS_SERVICE_AREA, 1},
        {HSDS_REQUIRED_DOCUMENT, 1}, {HSDS_LANGUAGE, 1}, {HSDS_ACCESSIBILITY, 1},     {HSDS_METADATA, 1},
        {HSDS_META_TABLE_DESCRIPTION, 0}, {HSDS_COST_OPTION, 1}, {HSDS_ORGANIZATION_IDENTIFIER, 1},
        /* the service's own attribute term is the importer's; its taxonomy_detail is kept */
        {HSDS_TAXONOMY_TERM, 0}, {HSDS_TAXONOMY, 1},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (json_object_size(rows.t[want[i].r]) != want[i].n)
            fail_msg("%s: %zu rows, want %zu", hsds_resources[want[i].r].name, json_object_size(rows.t[want[i].r]),
                     want[i].n);
    json_t *ph = row(&rows, HSDS_PHONE, PHONE);
    assert_col(ph, "service_id", SVC);
    assert_col(ph, "location_id", LOC);
    assert_col(ph, "organization_id", ORG);
    assert_col(ph, "contact_id", CONTACT);
    assert_col(ph, "service_at_location_id", SAL);
    assert_col(ph, "number", "\"+44 1234 234567\"");
    assert_true(json_is_number(json_object_get(ph, "extension")));
    assert_null(json_object_get(ph, "languages")); /* columns only */
    json_t *lg = row(&rows, HSDS_LANGUAGE, "2989d3ed-c547-48f8-8f9d-432d81c7892e");
    assert_col(lg, "service_id", SVC);
    assert_col(lg, "location_id", LOC);
    assert_col(lg, "phone_id", PHONE);
    json_t *s = row(&rows, HSDS_SERVICE, SVC);
    assert_col(s, "organization_id", ORG);
    assert_col(s, "program_id", "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42");
    assert_col(row(&rows, HSDS_PROGRAM, "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"), "organization_id", ORG);
    json_t *sal = row(&rows, HSDS_SERVICE_AT_LOCATION, SAL);
    assert_col(sal, "service_id", SVC);
    assert_col(sal, "location_id", LOC);
    assert_col(row(&rows, HSDS_LOCATION, LOC), "organization_id", ORG);
    assert_col(row(&rows, HSDS_ADDRESS, "74706e55-df26-4b84-80fe-ecc30b5befb4"), "location_id", LOC);
    assert_col(row(&rows, HSDS_ACCESSIBILITY, "afcf296e-1cb2-4139-9c88-33d587d1a50b"), "location_id", LOC);
    json_t *c = row(&rows, HSDS_CONTACT, CONTACT);
    assert_col(c, "service_id", SVC);
    assert_col(c, "organization_id", ORG);
    assert_col(c, "location_id", LOC);
    assert_col(c, "service_at_location_id", SAL);
    assert_col(row(&rows, HSDS_COST_OPTION, "1fdf4d39-3d80-484d-9f92-a8ffa08621e7"), "service_id", SVC);
    assert_col(row(&rows, HSDS_REQUIRED_DOCUMENT, "f6ad7e69-b9c8-42ce-92db-92cedb4c05c0"), "service_id", SVC);
    assert_col(row(&rows, HSDS_SERVICE_AREA, "381c64f1-a724-4884-9c21-ac96c21cca3e"), "service_id", SVC);
    json_t *f = row(&rows, HSDS_FUNDING, "1f2df32c-bf08-4b8e-bd6f-e834014b19bc");
    assert_col(f, "organization_id", ORG);
    assert_col(f, "service_id", SVC);
    assert_col(row(&rows, HSDS_ORGANIZATION_IDENTIFIER, "d4dbcebc-0802-47cb-8651-b937ac4f2f3e"), "organization_id",
               ORG);
    json_t *at = row(&rows, HSDS_ATTRIBUTE, "ae58cc39-8b70-4ab1-8aea-786882e5ac8e");
    assert_col(at, "link_id", SVC);
    assert_col(at, "link_entity", "link_entity"); /* given by the document: kept */
    assert_col(at, "taxonomy_term_id", "3f7b145d-84af-42d7-8fae-eaca714b02b2");
    json_t *m = row(&rows, HSDS_METADATA, "6cd71e9f-1013-49d9-8370-26b8f59d3e5a");
    assert_col(m, "resource_id", SVC);
    assert_col(m, "resource_type", "location");
    hsds_rows_free(&rows);
    json_decref(svc);
}

static void missing_id_is_named(void **state)
{
    (void)state;
    json_t *svc = json_pack("{s:s, s:s, s:[{s:s, s:{s:s, s:[{s:s}, {s:s}]}}]}", "id", "s1", "name", "A",
                            "service_at_locations", "id", "sal1", "location", "id", "loc1", "phones", "id", "p1",
                            "number", "555");
    hsds_rows rows;
    char field[256];
    const char *what = NULL;
    assert_false(hsds_decompose(svc, &rows, field, sizeof(field), &what));
    assert_string_equal(field, "service_at_locations[0].location.phones[1].id");
    assert_contains(what, "id");
    hsds_rows_free(&rows);
    json_decref(svc);
    /* through the importer: the record and field are named, nothing is kept */
    sqlite3 *db = mem_db();
    const char *text = "{\"id\":\"s1\",\"name\":\"A\",\"cost_options\":[{\"amount\":3}]}\n";
    char err[512];
    hsds_import_counts n;
    assert_false(hsds_import_text(db, "x.ndjson", text, strlen(text), &n, err, sizeof(err)));
    assert_contains(err, "x.ndjson record 1, field cost_options[0].id");
    db_close(db);
}

static void import(sqlite3 *db, const char *text)
{
    char err[512];
    hsds_import_counts n;
    if (!hsds_import_text(db, "t", text, strlen(text), &n, err, sizeof(err)))
        fail_msg("%s", err);
}

static const char V1[] =
    "{\"id\":\"s1\",\"name\":\"A\",\"phones\":[{\"id\":\"p1\",\"number\":\"1\"},{\"id\":\"p2\",\"number\":\"2\"}],"
    "\"cost_options\":[{\"id\":\"c1\",\"amount\":5}],\"contacts\":[{\"id\":\"k1\",\"name\":\"Ann\"}]}\n";
static const char V2[] = "{\"id\":\"s1\",\"name\":\"A\",\"phones\":[{\"id\":\"p2\",\"number\":\"22\"}],"
                         "\"contacts\":[{\"id\":\"k1\",\"name\":\"Bea\"}]}\n";

/* What the export does first: the stored documents split into temp
 * hsds_ tables, which the counts below then read. */
static void split(sqlite3 *db)
{
    char err[512];
    if (!hsds_tables_fill(db, false, err, sizeof(err)))
        fail_msg("%s", err);
}

static void reimport_replaces(void **state)
{
    (void)state;
    sqlite3 *db = mem_db();
    import(db, V1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM main.hsds_phone"), 0);
    split(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone WHERE service_id = 's1'"), 2);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_cost_option WHERE amount = 5"), 1);
    import(db, V2);
    import(db, V2); /* unchanged: nothing written twice */
    split(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone WHERE id = 'p2' AND number = '22'"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_cost_option"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_contact WHERE name = 'Bea'"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_contact"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_service"), 1);
    db_close(db);
}

/* Two services of one organization both carry its phone. */
static void shared_rows_survive(void **state)
{
    (void)state;
    sqlite3 *db = mem_db();
    const char *both = "{\"id\":\"a\",\"name\":\"A\",\"organization\":{\"id\":\"o\",\"name\":\"O\","
                       "\"phones\":[{\"id\":\"op\",\"number\":\"9\"}]}}\n"
                       "{\"id\":\"b\",\"name\":\"B\",\"organization\":{\"id\":\"o\",\"name\":\"O\","
                       "\"phones\":[{\"id\":\"op\",\"number\":\"9\"}]}}\n";
    import(db, both);
    split(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone WHERE id = 'op'"), 2);
    import(db, "{\"id\":\"a\",\"name\":\"A\",\"organization\":{\"id\":\"o\",\"name\":\"O\"}}\n");
    split(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone WHERE id = 'op' AND organization_id = 'o'"), 1);
    import(db, "{\"id\":\"b\",\"name\":\"B\",\"organization\":{\"id\":\"o\",\"name\":\"O\"}}\n");
    split(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM hsds_phone"), 0);
    db_close(db);
}

/* The export writes the rows of the stored documents, and drops its temp
 * tables after. */
static void export_splits_documents(void **state)
{
    (void)state;
    sqlite3 *db = mem_db();
    import(db, V1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM main.hsds_cost_option"), 0);
    char dir[] = "/tmp/wp_hsds_XXXXXX", err[512];
    assert_non_null(mkdtemp(dir));
    long n = 0;
    if (!hsds_export(db, dir, &n, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(n, 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'hsds%'"), 0);
    char path[128];
    snprintf(path, sizeof(path), "%s/cost_options.csv", dir);
    size_t len;
    char *csv = file_read(path, 1 << 20, &len);
    assert_non_null(csv);
    assert_contains(csv, "c1,s1,,,,,5,\r\n");
    free(csv);
    static const char *const files[] = {"services.ndjson", "datapackage.json"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    for (int r = 0; r < HSDS_NRES; r++) {
        snprintf(path, sizeof(path), "%s/%s", dir, hsds_resources[r].path);
        unlink(path);
    }
    assert_int_equal(rmdir(dir), 0);
    db_close(db);
}

static void numbers_read_back(void **state)
{
    (void)state;
    static const double v[] = {35, 40.7128, -73.9, 0.1, 1e-7, 123456789.125};
    static const char *const want[] = {"35", "40.7128", "-73.9", "0.1", "1e-07", "123456789.125"};
    char t[40];
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        hsds_number_text(v[i], t, sizeof(t));
        assert_string_equal(t, want[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(service_full_rows),   cmocka_unit_test(missing_id_is_named),
        cmocka_unit_test(reimport_replaces),   cmocka_unit_test(shared_rows_survive),
        cmocka_unit_test(export_splits_documents),    cmocka_unit_test(numbers_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
