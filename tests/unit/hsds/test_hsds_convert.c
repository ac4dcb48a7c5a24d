/* test_convert: the FindTreatment.gov and CSV converters
 * (src/hsds/hsds_convert*.c): ids as tools/convert_directories.py
 * makes them, SAMHSA codes mapped onto Waypost terms and kept raw, errors
 * naming row and field or column, and the NDJSON importing cleanly (and
 * unchanged the second time). Run from the repository root. */
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
#include "hsds/hsds_convert.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"
#include "wp_test.h"

#define TAX "data/taxonomy/waypost.json"
#define SAMHSA "data/taxonomy/samhsa-codes.json"
#define SRC "FindTreatment.gov"

static char *read_fixture(const char *path, size_t *len)
{
    char *t = file_read(path, 1u << 20, len);
    if (!t)
        fail_msg("cannot read %s", path);
    return t;
}

static char *ft(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = read_fixture(path, &len);
    char *out = hsds_convert_findtreatment(text, len, SRC, "2026-11-01", TAX, SAMHSA, err, errlen);
    free(text);
    return out;
}

static long count_lines(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static json_t *line_json(const char *nd, int line)
{
    const char *p = nd;
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    const char *e = strchr(p, '\n');
    json_error_t je;
    json_t *v = json_loadb(p, (size_t)(e - p), 0, &je);
    if (!v)
        fail_msg("line %d: %s", line, je.text);
    return v;
}

/* The attribute whose term has this code, or NULL. */
static json_t *attr_with(json_t *svc, const char *code)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(svc, "attributes"), i, a)
    {
        const char *c = json_string_value(json_object_get(json_object_get(a, "taxonomy_term"), "code"));
        if (c && !strcmp(c, code))
            return a;
    }
    return NULL;
}

static const char *term_id(json_t *svc, const char *code)
{
    json_t *a = attr_with(svc, code);
    return a ? json_string_value(json_object_get(json_object_get(a, "taxonomy_term"), "id")) : NULL;
}

static void findtreatment_sample(void **state)
{
    (void)state;
    char err[512] = "";
    char *nd = ft("tests/fixtures/findtreatment/sample.json", err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    assert_int_equal(count_lines(nd), 5);
    json_t *s = line_json(nd, 1);
    /* same id as Python's uid(source_ns("findtreatment-gov"), "service", norm_key(...)) */
    assert_string_equal(json_string_value(json_object_get(s, "id")), "30f3aa91-a351-5c95-8ff6-11f822090ad3");
    assert_string_equal(json_string_value(json_object_get(s, "alternate_name")), "Methadone Clinic");
    assert_string_equal(json_string_value(json_object_get(s, "url")), "https://harborpoint.example.org");
    /* Waypost terms from data/taxonomy/waypost.json, SAMHSA codes kept raw */
    assert_string_equal(term_id(s, "methadone"), "24c51a82-9076-5835-9f89-f5cc712a5b73");
    assert_non_null(term_id(s, "buprenorphine"));
    assert_non_null(term_id(s, "medicaid"));
    assert_non_null(term_id(s, "sliding-fee"));
    assert_string_equal(term_id(s, "OTP"), "4d2a4a74-0fa1-538a-abad-6a1340f1a6ef");
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "OTP"), "link_type")), "samhsa_code");
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "medicaid"), "link_type")), "payment");
    json_t *sal = json_array_get(json_object_get(s, "service_at_locations"), 0);
    json_t *loc = json_object_get(sal, "location");
    assert_true(json_real_value(json_object_get(loc, "latitude")) > 43.6);
    json_t *addr = json_array_get(json_object_get(loc, "addresses"), 0);
    assert_string_equal(json_string_value(json_object_get(addr, "postal_code")), "04101");
    assert_string_equal(json_string_value(json_object_get(addr, "address_2")), "Suite 4");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(sal, "phones"), 0), "number")),
                        "207-555-0101");
    json_t *m = json_array_get(json_object_get(s, "metadata"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "updated_by")), SRC);
    assert_string_equal(json_string_value(json_object_get(m, "last_action_date")), "2026-11-01");
    json_decref(s);

    s = line_json(nd, 2); /* languages; a bad website left out */
    assert_null(json_object_get(s, "url"));
    assert_non_null(term_id(s, "intensive-outpatient"));
    assert_non_null(term_id(s, "withdrawal-management"));
    json_t *langs = json_object_get(s, "languages");
    assert_int_equal(json_array_size(langs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(langs, 0), "code")), "es");
    json_decref(s);

    s = line_json(nd, 3); /* an unknown code is kept as a SAMHSA term named by its code */
    assert_string_equal(term_id(s, "XYZ"), "422b1303-09c2-5fe7-87b5-c90ffb1148a9");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(attr_with(s, "XYZ"), "taxonomy_term"), "name")), "XYZ");
    assert_non_null(term_id(s, "naltrexone"));
    json_decref(s);

    s = line_json(nd, 4); /* no coordinates: a location without them */
    loc = json_object_get(json_array_get(json_object_get(s, "service_at_locations"), 0), "location");
    assert_null(json_object_get(loc, "latitude"));
    assert_non_null(term_id(s, "residential"));
    assert_non_null(term_id(s, "pregnant"));
    json_decref(s);

    /* the same input gives the same bytes */
    char *again = ft("tests/fixtures/findtreatment/sample.json", err, sizeof(err));
    assert_non_null(again);
    assert_string_equal(nd, again);
    free(again);
    free(nd);
}

static void findtreatment_bad_row(void **state)
{
    (void)state;
    char err[512] = "";
    assert_null(ft("tests/fixtures/findtreatment/bad.json", err, sizeof(err)));
    assert_contains(err, "row 2, field latitude");
    assert_contains(err, "north");
    static const char *const bad[] = {
        "{\"rows\": [{\"name1\": \"\"}]}",
        "{\"rows\": [{\"name1\": \"X\", \"zip\": [1]}]}",
        "{\"rows\": [{\"name1\": \"X\", \"services\": [{\"f3\": 7}]}]}",
        "{\"rows\": [{\"name1\": \"X\", \"latitude\": \"40\", \"longitude\": \"200\"}]}",
        "{\"rows\": {}}",
        "[1, 2",
        "{\"rows\": []}",
    };
    static const char *const want[] = {"row 1, field name1", "row 1, field zip", "row 1, field services[0].f3",
                                       "row 1, field longitude", "rows", "line 1", "no rows"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_null(
            hsds_convert_findtreatment(bad[i], strlen(bad[i]), SRC, "2026-11-01", TAX, SAMHSA, err, sizeof(err)));
        assert_contains(err, want[i]);
    }
    err[0] = '\0';
    assert_null(
        hsds_convert_findtreatment(bad[0], strlen(bad[0]), SRC, "2026-11-01", "nope.json", SAMHSA, err, sizeof(err)));
    assert_contains(err, "nope.json");
}

static void import_twice(sqlite3 *db, const char *nd, long n)
{
    char err[512];
    hsds_import_counts c;
    if (!hsds_import_text(db, "converted", nd, strlen(nd), &c, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(c.added, n);
    if (!hsds_import_text(db, "converted", nd, strlen(nd), &c, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(c.added, 0);
    assert_int_equal(c.unchanged, n);
    assert_int_equal(hsds_store_count_services(db), n);
}

static sqlite3 *mem_db(void)
{
    return wp_memory_db();
}

static void findtreatment_imports_idempotently(void **state)
{
    (void)state;
    char err[512];
    char *nd = ft("tests/fixtures/findtreatment/sample.json", err, sizeof(err));
    assert_non_null(nd);
    sqlite3 *db = mem_db();
    import_twice(db, nd, 5);
    db_close(db);
    free(nd);
}

static const char CSV[] = "\xEF\xBB\xBFName,Street,City,ST,ZIP,Phone,Lat,Lon,Services,Web\r\n"
                          "\"Eastside Naloxone, Inc.\",1 First Ave,Springfield,IL,62701,217 555 0100,39.80,-89.64,"
                          "naloxone; test-strips,https://eastside.example.org\r\n"
                          "\n"
                          "Westside Syringe Access,\"2 Second St, Rear\",Springfield,IL,62702,,,,"
                          "\"syringe-services,Free,walk-in\",\r\n";
#define COLS "name=Name,address=Street,city=City,state=ST,zip=ZIP,phone=Phone,lat=Lat,lon=Lon,services=Services,url=Web"

static void csv_converts(void **state)
{
    (void)state;
    char err[512] = "";
    char *nd = hsds_convert_csv(CSV, strlen(CSV), COLS, "Springfield list", "2026-10-01", TAX, err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    assert_int_equal(count_lines(nd), 2);
    json_t *s = line_json(nd, 1);
    assert_string_equal(json_string_value(json_object_get(s, "name")), "Eastside Naloxone, Inc.");
    assert_non_null(term_id(s, "naloxone"));
    assert_non_null(term_id(s, "test-strips"));
    assert_string_equal(json_string_value(json_object_get(s, "url")), "https://eastside.example.org");
    json_decref(s);
    s = line_json(nd, 2);
    assert_non_null(term_id(s, "free"));
    assert_non_null(term_id(s, "walk-in"));
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "free"), "link_type")), "cost");
    json_t *loc = json_object_get(json_array_get(json_object_get(s, "service_at_locations"), 0), "location");
    assert_null(json_object_get(loc, "latitude"));
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(loc, "addresses"), 0), "address_1")),
        "2 Second St, Rear");
    json_decref(s);
    sqlite3 *db = mem_db();
    import_twice(db, nd, 2);
    db_close(db);
    free(nd);
}

static void csv_errors(void **state)
{
    (void)state;
    char err[512];
    struct {
        const char *text, *cols, *want;
    } cases[] = {
        {"Name,Services\nA,naloxone\nB,heroin\n", "name=Name,services=Services", "row 3, column Services"},
        {"Name,Lat,Lon\nA,91,0\n", "name=Name,lat=Lat,lon=Lon", "row 2, column Lat"},
        {"Name,Lat,Lon\nA,40,x\n", "name=Name,lat=Lat,lon=Lon", "row 2, column Lon"},
        {"Name,City\n,Springfield\n", "name=Name,city=City", "row 2, column Name"},
        {"Name\nA\n", "name=Nom", "column Nom: not in the header"},
        {"Name\nA\n", "nom=Name", "unknown field \"nom\""},
        {"Name\nA\n", "city=Name", "name=..."},
        {"Name\nA\n", "name", "not field=Header"},
        {"Name\n\"A\n", "name=Name", "row 2"},
        {"Name\n", "name=Name", "no rows"},
        {"", "name=Name", "empty"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err[0] = '\0';
        char *nd = hsds_convert_csv(cases[i].text, strlen(cases[i].text), cases[i].cols, "S", "2026-01-01", TAX, err,
                               sizeof(err));
        if (nd)
            fail_msg("case %zu converted: %s", i, nd);
        assert_contains(err, cases[i].want);
    }
}

/* A stand-in for the locator: ZIP 62701 and "Springfield, IL" are known. */
static bool fake_centroid(const char *zip, const char *city, const char *state, double *lat, double *lon,
                          char *label, size_t labellen)
{
    if (!strcmp(zip, "62701") || (!strcmp(city, "Springfield") && !strcmp(state, "IL"))) {
        *lat = 39.8;
        *lon = -89.6;
        snprintf(label, labellen, "here");
        return true;
    }
    return false;
}

static json_t *first_sal(json_t *s)
{
    return json_array_get(json_object_get(s, "service_at_locations"), 0);
}

static void csv_centroids_and_hours(void **state)
{
    (void)state;
    static const char text[] = "Name,City,ST,ZIP,Lat,Lon,Hours\n"
                               "Exact,Springfield,IL,62701,39.1,-89.1,\"Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-14:00\"\n"
                               "By ZIP,Springfield,IL,62701-1234,,,\n"
                               "By town,Springfield,IL,,,,24/7\n";
    char err[512] = "";
    hsds_csv_opts o = {.columns_spec = "name=Name,city=City,state=ST,zip=ZIP,lat=Lat,lon=Lon,hours=Hours",
                       .source_name = "Harbor SSP", .as_of = "2026-12-01", .taxonomy_path = TAX,
                       .centroid = fake_centroid};
    char *nd = hsds_convert_csv_opts(text, strlen(text), &o, err, sizeof err);
    if (!nd)
        fail_msg("%s", err);
    assert_int_equal(o.centroid_rows, 2);
    assert_int_equal(o.row[0], 3);
    assert_int_equal(o.row[1], 4);
    json_t *s = line_json(nd, 1);
    json_t *sal = first_sal(s);
    assert_true(json_real_value(json_object_get(json_object_get(sal, "location"), "latitude")) == 39.1);
    json_t *sch = json_object_get(sal, "schedules");
    assert_int_equal(json_array_size(sch), 3);
    json_t *first = json_array_get(sch, 0);
    assert_string_equal(json_string_value(json_object_get(first, "byday")), "MO,TU,WE,TH,FR");
    assert_string_equal(json_string_value(json_object_get(first, "opens_at")), "09:00");
    assert_string_equal(json_string_value(json_object_get(first, "closes_at")), "12:00");
    assert_string_equal(json_string_value(json_object_get(first, "freq")), "WEEKLY");
    assert_string_equal(json_string_value(json_object_get(json_array_get(sch, 2), "byday")), "SA");
    assert_contains(json_string_value(json_object_get(s, "description")), "Listed by Harbor SSP");
    json_decref(s);
    s = line_json(nd, 2);
    sal = first_sal(s);
    assert_true(json_real_value(json_object_get(json_object_get(sal, "location"), "latitude")) == 39.8);
    assert_null(json_object_get(sal, "schedules"));
    json_decref(s);
    s = line_json(nd, 3);
    sch = json_object_get(first_sal(s), "schedules");
    assert_int_equal(json_array_size(sch), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(sch, 0), "byday")),
                        "MO,TU,WE,TH,FR,SA,SU");
    assert_string_equal(json_string_value(json_object_get(json_array_get(sch, 0), "closes_at")), "23:59");
    json_decref(s);
    sqlite3 *db = mem_db();
    import_twice(db, nd, 3);
    db_close(db);
    free(nd);
}

static void csv_centroid_refusals(void **state)
{
    (void)state;
#define PLACE_COLS "name=Name,city=City,state=ST,zip=ZIP"
    struct {
        const char *text, *cols, *want;
    } cases[] = {
        {"Name,City,ST,ZIP\nA,Springfield,IL,62701\nB,Nowhere,ZZ,99999\n", PLACE_COLS, "row 3: no coordinates"},
        {"Name,City,ST,ZIP\nA,,,\n", PLACE_COLS, "row 2: no coordinates"},
        {"Name,City,ST,ZIP,Services\nA,Springfield,IL,,narcan\n", PLACE_COLS ",services=Services",
         "(valid codes: naloxone, syringe-services,"},
        {"Name,City,ST,ZIP,Hours\nA,Springfield,IL,,Mo-Fr 9-5\n", PLACE_COLS ",hours=Hours",
         "row 2, column Hours: opening hours \"Mo-Fr 9-5\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[1024] = "";
        hsds_csv_opts o = {.columns_spec = cases[i].cols, .source_name = "S", .as_of = "2026-01-01",
                           .taxonomy_path = TAX, .centroid = fake_centroid};
        char *nd = hsds_convert_csv_opts(cases[i].text, strlen(cases[i].text), &o, err, sizeof err);
        if (nd)
            fail_msg("case %zu converted: %s", i, nd);
        assert_contains(err, cases[i].want);
    }
    /* without a resolver (the staff upload page), such rows still import without a point */
    char err[512] = "";
    char *nd = hsds_convert_csv("Name\nA\n", 7, "name=Name", "S", "2026-01-01", TAX, err, sizeof err);
    assert_non_null(nd);
    free(nd);
}

static void findtreatment_same_facility_merged(void **state)
{
    (void)state;
    static const char text[] =
        "{\"rows\": [{\"name1\": \"Twin Clinic\", \"street1\": \"1 Elm St\", \"city\": \"Troy\", \"state\": \"NY\", "
        "\"zip\": \"12180\", \"services\": [{\"f3\": \"BU SP\"}]},"
        "{\"name1\": \"TWIN  clinic\", \"street1\": \"1 Elm St.\", \"city\": \"Troy\", \"state\": \"NY\", "
        "\"zip\": \"12180-0001\", \"services\": [{\"f3\": \"NXN;BU;SP\"}]}]}";
    char err[512];
    char *nd = hsds_convert_findtreatment(text, strlen(text), SRC, "2026-11-01", TAX, SAMHSA, err, sizeof(err));
    if (!nd)
        fail_msg("%s", err);
    assert_int_equal(count_lines(nd), 1);
    json_t *s = line_json(nd, 1);
    assert_non_null(term_id(s, "buprenorphine"));
    assert_non_null(term_id(s, "naltrexone"));
    assert_non_null(term_id(s, "NXN"));
    assert_int_equal(json_array_size(json_object_get(s, "attributes")), 5); /* BU, NXN as terms and raw codes, SP raw */
    assert_int_equal(json_array_size(json_object_get(s, "languages")), 1);
    json_decref(s);
    sqlite3 *db = mem_db();
    import_twice(db, nd, 1);
    db_close(db);
    free(nd);
}

/* ---- the vocabularies come from the data files ---- */

static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s", path, je.text);
    return j;
}

/* Writes j to a new temporary file named in path; the caller unlinks it. */
static void temp_json(json_t *j, char path[64])
{
    snprintf(path, 64, "%s", "/tmp/wp_test_vocab_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(json_dump_file(j, path, JSON_INDENT(1)), 0);
}

static char *ft_text(const char *text, const char *tax, const char *samhsa, char *err, size_t errlen)
{
    return hsds_convert_findtreatment(text, strlen(text), SRC, "2026-11-01", tax, samhsa, err, errlen);
}

static const char ONE_ROW[] = "{\"rows\": [{\"name1\": \"Vocab Clinic\", \"street1\": \"1 Elm St\", "
                              "\"city\": \"Troy\", \"state\": \"NY\", \"zip\": \"12180\", "
                              "\"services\": [{\"f3\": \"OTP ZZQ F99 SP\"}]}]}";

/* The SAMHSA map, meanings and languages are samhsa-codes.json's: change
 * the file and the output follows. */
static void samhsa_map_read_from_file(void **state)
{
    (void)state;
    char err[512] = "", path[64];
    json_t *sam = load_json(SAMHSA);
    json_t *codes = json_object_get(sam, "codes");
    json_object_set_new(json_array_get(codes, 0), "waypost", json_pack("[s]", "buprenorphine")); /* OTP */
    json_array_append_new(codes, json_pack("{s:s, s:s, s:[s, s]}", "code", "ZZQ", "meaning", "A test code", "waypost",
                                           "naloxone", "free"));
    json_array_append_new(json_object_get(sam, "languages"),
                          json_pack("{s:s, s:s, s:s}", "code", "F99", "language", "Klingon", "iso", "tlh"));
    json_object_set_new(json_object_get(sam, "taxonomy"), "name", json_string("SAMHSA test codes"));
    temp_json(sam, path);
    json_decref(sam);

    char *nd = ft_text(ONE_ROW, TAX, path, err, sizeof(err));
    unlink(path);
    if (!nd)
        fail_msg("%s", err);
    json_t *s = line_json(nd, 1);
    assert_non_null(term_id(s, "buprenorphine"));
    assert_null(term_id(s, "methadone"));
    assert_non_null(term_id(s, "naloxone"));
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "free"), "link_type")), "cost");
    json_t *zzq = json_object_get(attr_with(s, "ZZQ"), "taxonomy_term");
    assert_string_equal(json_string_value(json_object_get(zzq, "name")), "A test code");
    assert_string_equal(json_string_value(json_object_get(zzq, "taxonomy")), "SAMHSA test codes");
    json_t *f99 = json_object_get(attr_with(s, "F99"), "taxonomy_term");
    assert_string_equal(json_string_value(json_object_get(f99, "name")), "Language services: Klingon");
    json_t *langs = json_object_get(s, "languages");
    assert_int_equal(json_array_size(langs), 2);
    json_t *kl = json_array_get(langs, 0);
    assert_string_equal(json_string_value(json_object_get(kl, "name")), "Klingon");
    assert_string_equal(json_string_value(json_object_get(kl, "code")), "tlh");
    assert_string_equal(json_string_value(json_object_get(kl, "note")), "SAMHSA locator code F99");
    json_decref(s);
    free(nd);

    /* the bundled file: OTP is methadone, ZZQ and F99 are unknown codes */
    nd = ft_text(ONE_ROW, TAX, SAMHSA, err, sizeof(err));
    assert_non_null(nd);
    s = line_json(nd, 1);
    assert_non_null(term_id(s, "methadone"));
    assert_null(term_id(s, "naloxone"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(attr_with(s, "ZZQ"), "taxonomy_term"), "name")), "ZZQ");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(attr_with(s, "OTP"), "taxonomy_term"), "taxonomy")),
        "SAMHSA service codes");
    assert_int_equal(json_array_size(json_object_get(s, "languages")), 1);
    json_decref(s);
    free(nd);
}

/* Link types come from each term's link_type in waypost.json; fields the
 * converter does not know (such as a term's "bit") change nothing. */
static void taxonomy_link_types_and_unknown_fields(void **state)
{
    (void)state;
    char err[512] = "", path[64];
    char *want = ft("tests/fixtures/findtreatment/sample.json", err, sizeof(err));
    assert_non_null(want);
    size_t len;
    char *text = read_fixture("tests/fixtures/findtreatment/sample.json", &len);

    json_t *tax = load_json(TAX), *t;
    static const char *const lists[] = {"terms", "attributes"};
    size_t i;
    json_int_t bit = 0;
    for (int l = 0; l < 2; l++) {
        json_array_foreach(json_object_get(tax, lists[l]), i, t) json_object_set_new(t, "bit", json_integer(bit++));
    }
    json_object_set_new(tax, "something_new", json_pack("{s:i}", "x", 1));
    temp_json(tax, path);
    char *got = hsds_convert_findtreatment(text, len, SRC, "2026-11-01", path, SAMHSA, err, sizeof(err));
    unlink(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);

    json_array_foreach(json_object_get(tax, "attributes"), i, t)
    {
        if (!strcmp(json_string_value(json_object_get(t, "code")), "medicaid"))
            json_object_set_new(t, "link_type", json_string("insurance"));
    }
    temp_json(tax, path);
    got = hsds_convert_findtreatment(text, len, SRC, "2026-11-01", path, SAMHSA, err, sizeof(err));
    unlink(path);
    assert_non_null(got);
    json_t *s = line_json(got, 1);
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "medicaid"), "link_type")), "insurance");
    json_decref(s);
    free(got);

    for (int l = 0; l < 2; l++) { /* without them: terms are service types, attributes attributes */
        json_array_foreach(json_object_get(tax, lists[l]), i, t) json_object_del(t, "link_type");
    }
    temp_json(tax, path);
    got = hsds_convert_findtreatment(text, len, SRC, "2026-11-01", path, SAMHSA, err, sizeof(err));
    unlink(path);
    assert_non_null(got);
    s = line_json(got, 1);
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "medicaid"), "link_type")), "attribute");
    assert_string_equal(json_string_value(json_object_get(attr_with(s, "methadone"), "link_type")), "service_type");
    json_decref(s);
    free(got);
    json_decref(tax);
    free(text);
    free(want);
}

/* A broken SAMHSA file stops the conversion with the file and entry named. */
static void samhsa_file_errors(void **state)
{
    (void)state;
    char err[512], path[64];
    err[0] = '\0';
    assert_null(ft_text(ONE_ROW, TAX, "nope-samhsa.json", err, sizeof(err)));
    assert_contains(err, "nope-samhsa.json");
    static const char *const want[] = {"codes[0] (OTP): waypost[0] is not a code of the Waypost taxonomy",
                                       "codes[33]: the code OTP is listed twice", "codes[1] needs a code and a meaning",
                                       "languages[0] needs a code, a language", "taxonomy.name is missing",
                                       "\"languages\" must be a list"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        json_t *sam = load_json(SAMHSA);
        json_t *codes = json_object_get(sam, "codes");
        if (i == 0)
            json_object_set_new(json_array_get(codes, 0), "waypost", json_pack("[s]", "heroin"));
        else if (i == 1)
            json_array_append_new(codes, json_pack("{s:s, s:s}", "code", "OTP", "meaning", "again"));
        else if (i == 2)
            json_object_del(json_array_get(codes, 1), "meaning");
        else if (i == 3)
            json_object_del(json_array_get(json_object_get(sam, "languages"), 0), "language");
        else if (i == 4)
            json_object_del(sam, "taxonomy");
        else
            json_object_set_new(sam, "languages", json_object());
        temp_json(sam, path);
        json_decref(sam);
        err[0] = '\0';
        char *nd = ft_text(ONE_ROW, TAX, path, err, sizeof(err));
        unlink(path);
        if (nd)
            fail_msg("case %zu converted", i);
        assert_contains(err, path);
        assert_contains(err, want[i]);
    }
}

static void slugs(void **state)
{
    (void)state;
    char s[64];
    hsds_convert_slug("FindTreatment.gov", s, sizeof(s));
    assert_string_equal(s, "findtreatment-gov");
    hsds_convert_slug("  SAMHSA -- 2020 ", s, sizeof(s));
    assert_string_equal(s, "samhsa-2020");
    hsds_convert_slug("abcdef", s, 4);
    assert_string_equal(s, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(findtreatment_sample),
        cmocka_unit_test(findtreatment_bad_row),
        cmocka_unit_test(findtreatment_imports_idempotently),
        cmocka_unit_test(csv_converts),
        cmocka_unit_test(csv_errors),
        cmocka_unit_test(csv_centroids_and_hours),
        cmocka_unit_test(csv_centroid_refusals),
        cmocka_unit_test(findtreatment_same_facility_merged),
        cmocka_unit_test(samhsa_map_read_from_file),
        cmocka_unit_test(taxonomy_link_types_and_unknown_fields),
        cmocka_unit_test(samhsa_file_errors),
        cmocka_unit_test(slugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
