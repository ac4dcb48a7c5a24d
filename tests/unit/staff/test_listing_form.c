/* test_listing_form: the staff listing form (src/staff/listing_form.c) and
 * the HSDS document it builds (src/staff/listing_doc.c): a good form gives
 * the document the importers write (grouped weekly schedules, closures,
 * phones, codes, the verified date), a stored document reads back into
 * the same form and saves to the same document, each bad field is named,
 * fields the form does not show are kept, and the document goes through
 * the importer inside a transaction and out again with
 * hsds_store_delete_service. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_tables.h"
#include "hsds/hsds_store.h"
#include "staff/listing_form.h"
#include "wp_test.h"

#define SID "7d0a6a52-3f0e-4b8e-9a53-0c5e0e7b1c11"

static listing_vocab vocab;

static bool zip_stub(const char *zip, double *lat, double *lon)
{
    if (strcmp(zip, "10454"))
        return false;
    *lat = 40.8;
    *lon = -73.9;
    return true;
}

static const listing_ctx CTX = {&vocab, zip_stub, SID, "2026-12-04", "Test staff", 0};

static int setup(void **state)
{
    (void)state;
    json_error_t je;
    json_t *root = json_load_file("data/taxonomy/waypost.json", 0, &je);
    assert_non_null(root);
    char err[128];
    assert_true(listing_vocab_init(&vocab, root, err, sizeof(err)));
    json_decref(root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    listing_vocab_free(&vocab);
    return 0;
}

/* The form for a urlencoded body, as the server parses it. */
static json_t *form_of(const char *body)
{
    arena a;
    arena_init(&a);
    params p;
    const char *why = NULL;
    assert_int_equal(params_parse_query(&a, body, strlen(body), NULL, &p, &why), PARAMS_OK);
    json_t *form = listing_form_read(&p);
    arena_free(&a);
    return form;
}

static const char GOOD[] =
    "name=Harbor+Lights&organization=Harbor+Org&description=Naloxone+and+strips&status=active"
    "&url=https%3A%2F%2Fexample.org&email=hi%40example.org&address_1=540+E+138th+St&city=Bronx&state=ny"
    "&postal_code=10454&point=&phones=718-555-0103%2C+Front+desk%0D%0A%2B1+212+555+0100"
    "&hours_mo=09%3A00-17%3A00&hours_tu=9%3A00-17%3A00&hours_we=09%3A00-17%3A00&hours_th=09%3A00-17%3A00"
    "&hours_fr=09%3A00-12%3A00%2C+13%3A00-17%3A00&hours_sa=22%3A00-06%3A00&hours_su=24+hours"
    "&closures=2026-12-25%2C+Christmas%0A2026-12-31+to+2027-01-01&languages=English%2C+Spanish%2C+english"
    "&costs=Free&eligibility=Anyone&verified_on=2026-12-01&verified_by=staff%40example.org"
    "&code=naloxone&code=free&code=naloxone";

/* Checks form and builds the document (old may be NULL); no errors expected. */
static json_t *build(json_t *form, json_t *old)
{
    json_t *errors = json_array();
    json_t *checked = listing_form_check(form, &CTX, errors);
    if (json_array_size(errors)) {
        char *s = json_dumps(errors, 0);
        fail_msg("unexpected errors: %s", s);
    }
    json_t *doc = listing_doc_build(checked, old, &CTX);
    json_decref(checked);
    json_decref(errors);
    return doc;
}

static const char *path_str(json_t *doc, const char *a, size_t i, const char *b)
{
    json_t *v = json_object_get(doc, a);
    if (json_is_array(v))
        v = json_array_get(v, i);
    return json_string_value(b ? json_object_get(v, b) : v);
}

static void good_form_builds_the_document(void **state)
{
    (void)state;
    json_t *form = form_of(GOOD), *doc = build(form, NULL);
    assert_string_equal(path_str(doc, "id", 0, NULL), SID);
    assert_string_equal(path_str(doc, "organization", 0, "name"), "Harbor Org");
    assert_string_equal(path_str(doc, "assured_date", 0, NULL), "2026-12-01");
    assert_string_equal(path_str(doc, "assurer_email", 0, NULL), "staff@example.org");
    assert_string_equal(path_str(doc, "metadata", 0, "updated_by"), "Test staff");
    json_t *sal = json_array_get(json_object_get(doc, "service_at_locations"), 0);
    json_t *loc = json_object_get(sal, "location");
    assert_true(json_real_value(json_object_get(loc, "latitude")) == 40.8); /* the ZIP's centre */
    assert_string_equal(path_str(loc, "addresses", 0, "state_province"), "NY");
    assert_string_equal(path_str(sal, "phones", 0, "number"), "718-555-0103");
    assert_string_equal(path_str(sal, "phones", 0, "description"), "Front desk");
    assert_string_equal(path_str(sal, "phones", 1, "number"), "+1 212 555 0100");
    json_t *sched = json_object_get(sal, "schedules");
    /* 09:00-17:00 on MO-TH, 09:00-12:00 and 13:00-17:00 on FR (13-17 its own),
     * 22:00-06:00 SA, all day SU, then two closures */
    assert_string_equal(path_str(sal, "schedules", 0, "byday"), "MO,TU,WE,TH");
    assert_string_equal(path_str(sal, "schedules", 0, "opens_at"), "09:00");
    assert_string_equal(path_str(sal, "schedules", 1, "byday"), "FR");
    assert_string_equal(path_str(sal, "schedules", 3, "opens_at"), "22:00");
    assert_string_equal(path_str(sal, "schedules", 3, "closes_at"), "06:00");
    assert_string_equal(path_str(sal, "schedules", 4, "closes_at"), "23:59");
    assert_string_equal(path_str(sal, "schedules", 5, "valid_from"), "2026-12-25");
    assert_string_equal(path_str(sal, "schedules", 5, "valid_to"), "2026-12-25");
    assert_string_equal(path_str(sal, "schedules", 5, "description"), "Christmas");
    assert_null(json_object_get(json_array_get(sched, 5), "opens_at"));
    assert_string_equal(path_str(sal, "schedules", 6, "valid_to"), "2027-01-01");
    assert_int_equal(json_array_size(sched), 7);
    assert_int_equal(json_array_size(json_object_get(doc, "languages")), 2);
    assert_string_equal(path_str(doc, "cost_options", 0, "option"), "Free");
    json_t *attrs = json_object_get(doc, "attributes");
    assert_int_equal(json_array_size(attrs), 2); /* naloxone once, free */
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(attrs, 1), "taxonomy_term"),
                                                          "code")),
                        "free");
    assert_string_equal(path_str(json_array_get(attrs, 1), "link_type", 0, NULL), "cost");
    json_decref(form);
    json_decref(doc);
}

static void document_reads_back_and_saves_the_same(void **state)
{
    (void)state;
    json_t *form = form_of(GOOD), *doc = build(form, NULL);
    json_t *again = listing_doc_form(doc);
    assert_string_equal(json_string_value(json_object_get(again, "hours_mo")), "09:00-17:00");
    assert_string_equal(json_string_value(json_object_get(again, "hours_fr")), "09:00-12:00, 13:00-17:00");
    assert_string_equal(json_string_value(json_object_get(again, "hours_su")), "24 hours");
    assert_string_equal(json_string_value(json_object_get(again, "hours_sa")), "22:00-06:00");
    assert_string_equal(json_string_value(json_object_get(again, "closures")),
                        "2026-12-25, Christmas\n2026-12-31 to 2027-01-01");
    assert_string_equal(json_string_value(json_object_get(again, "point")), "40.8,-73.9");
    json_t *doc2 = build(again, doc);
    assert_true(json_equal(doc, doc2));
    json_decref(form);
    json_decref(again);
    json_decref(doc);
    json_decref(doc2);
}

/* Each bad value is named at its own field. */
static void bad_fields_are_named(void **state)
{
    (void)state;
    static const struct {
        const char *set, *field;
    } cases[] = {
        {"name=", "name"},
        {"state=New+York", "state"},
        {"postal_code=abc", "postal_code"},
        {"point=91%2C0", "point"},
        {"point=40.7%2C-74%2C1", "point"},
        {"point=nan%2C0", "point"},
        {"hours_mo=9+to+5", "hours_mo"},
        {"hours_tu=25%3A00-26%3A00", "hours_tu"},
        {"hours_we=09%3A00-09%3A00", "hours_we"},
        {"closures=2026-02-30", "closures"},
        {"closures=2026-12-26+to+2026-12-25", "closures"},
        {"phones=call+us", "phones"},
        {"email=nobody", "email"},
        {"url=javascript%3Aalert(1)", "url"},
        {"status=open", "status"},
        {"verified_on=2027-01-01", "verified_on"},
        {"verified_on=2026-12-01&verified_by=", "verified_by"},
        {"code=nope", "codes"},
        {"postal_code=99999", "point"}, /* no known centre and no point typed */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[2048];
        snprintf(body, sizeof(body), "%s&%s", cases[i].set, GOOD); /* the first value counts */
        json_t *form = form_of(body), *errors = json_array();
        json_t *out = listing_form_check(form, &CTX, errors);
        bool named = false;
        size_t k;
        json_t *e;
        json_array_foreach(errors, k, e) named =
            named || !strcmp(json_string_value(json_object_get(e, "field")), cases[i].field);
        if (!named)
            fail_msg("%s: no error at %s", cases[i].set, cases[i].field);
        json_decref(form);
        json_decref(errors);
        json_decref(out);
    }
}

/* A stored document keeps what the form does not show. */
static void unknown_fields_are_kept(void **state)
{
    (void)state;
    json_t *form = form_of(GOOD), *doc = build(form, NULL);
    json_object_set_new(doc, "fees_description", json_string("Free."));
    json_object_set_new(doc, "x_extension", json_true());
    json_array_append_new(json_object_get(doc, "attributes"),
                          json_pack("{s:s,s:s,s:{s:s,s:s,s:s}}", "id", "at-x", "link_type", "samhsa_code",
                                    "taxonomy_term", "id", "t-x", "code", "OTP", "name", "OTP"));
    json_t *edit = form_of("name=Renamed&address_1=1+Main+St&city=Bronx&state=NY&postal_code=10454"
                           "&point=40.5%2C-73.5&code=test-strips");
    json_t *doc2 = build(edit, doc);
    assert_string_equal(path_str(doc2, "name", 0, NULL), "Renamed");
    assert_string_equal(path_str(doc2, "fees_description", 0, NULL), "Free.");
    assert_true(json_is_true(json_object_get(doc2, "x_extension")));
    json_t *attrs = json_object_get(doc2, "attributes");
    assert_int_equal(json_array_size(attrs), 2); /* the SAMHSA one kept, test-strips added */
    assert_string_equal(path_str(json_array_get(attrs, 0), "id", 0, NULL), "at-x");
    /* emptied lists go; the organization keeps its id and takes the name */
    assert_null(json_object_get(doc2, "languages"));
    json_t *sal = json_array_get(json_object_get(doc2, "service_at_locations"), 0);
    assert_null(json_object_get(sal, "schedules"));
    assert_null(json_object_get(sal, "phones"));
    assert_string_equal(path_str(doc2, "organization", 0, "name"), "Renamed");
    assert_string_equal(path_str(doc2, "organization", 0, "id"), path_str(doc, "organization", 0, "id"));
    assert_null(json_object_get(doc2, "assured_date"));
    json_decref(form);
    json_decref(edit);
    json_decref(doc);
    json_decref(doc2);
}

static long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The document through the importer in the caller's transaction, and out. */
static void import_one_and_delete_one(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    unlink(path);
    json_t *form = form_of(GOOD), *doc = build(form, NULL);
    enum hsds_upsert r;
    char field[128], what[128];
    assert_true(db_begin(db));
    assert_true(hsds_import_service(db, doc, &r, field, sizeof(field), what, sizeof(what)));
    assert_int_equal(r, HSDS_ADDED);
    assert_true(db_commit(db));
    assert_int_equal(count(db, "SELECT count(*) FROM dir_sal_point"), 1);
    char err[256];
    assert_true(hsds_tables_fill(db, false, err, sizeof(err))); /* the export's split */
    assert_int_equal(count(db, "SELECT count(*) FROM hsds_schedule"), 7);
    assert_true(db_begin(db));
    assert_true(hsds_import_service(db, doc, &r, field, sizeof(field), what, sizeof(what)));
    assert_int_equal(r, HSDS_UNCHANGED);
    db_rollback(db);
    /* a refused document names its field */
    json_t *bad = json_deep_copy(doc);
    json_object_set_new(bad, "status", json_string("open"));
    assert_true(db_begin(db));
    assert_false(hsds_import_service(db, bad, &r, field, sizeof(field), what, sizeof(what)));
    assert_string_equal(field, "status");
    db_rollback(db);
    arena a;
    arena_init(&a);
    assert_true(db_begin(db));
    assert_int_equal(hsds_store_delete_service(db, &a, SID), 1);
    assert_int_equal(hsds_store_delete_service(db, &a, SID), 0);
    assert_true(db_commit(db));
    arena_free(&a);
    assert_true(hsds_tables_fill(db, false, err, sizeof(err)));
    static const char *const empty[] = {
        "SELECT count(*) FROM dir_service",       "SELECT count(*) FROM dir_service_at_location",
        "SELECT count(*) FROM dir_location",      "SELECT count(*) FROM dir_organization",
        "SELECT count(*) FROM dir_sal_point",     "SELECT count(*) FROM dir_sal_brief",
        "SELECT count(*) FROM dir_service_term",  "SELECT count(*) FROM hsds_service",
        "SELECT count(*) FROM hsds_schedule",     "SELECT count(*) FROM hsds_phone",
    };
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
        if (count(db, empty[i]))
            fail_msg("%s is not 0 after the delete", empty[i]);
    json_decref(bad);
    json_decref(form);
    json_decref(doc);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_form_builds_the_document),
        cmocka_unit_test(document_reads_back_and_saves_the_same),
        cmocka_unit_test(bad_fields_are_named),
        cmocka_unit_test(unknown_fields_are_kept),
        cmocka_unit_test(import_one_and_delete_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
