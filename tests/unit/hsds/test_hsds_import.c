/* test_hsds_import: HSDS services into the directory
 * (src/hsds/hsds_import.c): all-or-nothing, the error naming the record
 * and field, re-imports reported unchanged, locations off the map counted,
 * the points the geographic index is built from, and the official HSDS
 * examples, the Waypost taxonomy and the bundled examples importing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "hsds/hsds_fields.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"
#include "wp_test.h"

static sqlite3 *temp_db(void)
{
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    unlink(path); /* the open connection keeps it */
    return db;
}

#define SVC(id, lat)                                                                                               \
    "{\"id\":\"" id "\",\"name\":\"S " id "\",\"organization\":{\"id\":\"org-1\",\"name\":\"Org\"},"              \
    "\"service_at_locations\":[{\"id\":\"sal-" id "\",\"location\":{\"id\":\"loc-" id "\",\"latitude\":" lat      \
    ",\"longitude\":-73.9}}],\"attributes\":[{\"id\":\"at-" id "\",\"link_type\":\"service_type\","               \
    "\"taxonomy_term\":{\"id\":\"term-nal\",\"code\":\"naloxone\",\"name\":\"Naloxone\",\"taxonomy\":\"Waypost\"," \
    "\"taxonomy_id\":\"" WAYPOST_TAXONOMY_ID "\"}}]}\n"

/* Fails unless the services' full-text index agrees with their rows
 * (FTS5's integrity-check with rank 1 compares an external-content
 * index with the text its content view gives; with rank 0 it checks
 * only the index itself). */
static void assert_search_index_whole(sqlite3 *db)
{
    static const char CHECK[] = "INSERT INTO dir_service_fts(dir_service_fts, rank) VALUES ('integrity-check', 1)";
    assert_int_equal(sqlite3_exec(db, CHECK, NULL, NULL, NULL), SQLITE_OK);
}

static void count_point(void *ctx, uint32_t id, double lat, double lon, const char *codes)
{
    (void)id;
    (void)lat;
    (void)lon;
    assert_string_equal(codes, "naloxone");
    (*(int *)ctx)++;
}

static void count_any_point(void *ctx, uint32_t id, double lat, double lon, const char *codes)
{
    (void)id;
    (void)lat;
    (void)lon;
    (void)codes;
    (*(int *)ctx)++;
}

static void import_is_atomic_and_idempotent(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    const char *two = SVC("a1", "40.7") SVC("a2", "40.8");
    assert_true(hsds_import_text(db, "two.ndjson", two, strlen(two), &c, err, sizeof(err)));
    assert_int_equal(c.added, 2);
    assert_true(hsds_import_text(db, "two.ndjson", two, strlen(two), &c, err, sizeof(err)));
    assert_int_equal(c.added, 0);
    assert_int_equal(c.unchanged, 2);
    const char *changed = SVC("a1", "40.71");
    assert_true(hsds_import_text(db, "one.ndjson", changed, strlen(changed), &c, err, sizeof(err)));
    assert_int_equal(c.updated, 1);
    const char *bad = SVC("b1", "40.7") SVC("b2", "\"north\"");
    assert_false(hsds_import_text(db, "bad.ndjson", bad, strlen(bad), &c, err, sizeof(err)));
    assert_contains(err, "bad.ndjson record 2, field service_at_locations[0].location.latitude: must be a number");
    assert_int_equal(hsds_store_count_services(db), 2);
    const char *off_map = SVC("e1", "140.7");
    assert_true(hsds_import_text(db, "off.ndjson", off_map, strlen(off_map), &c, err, sizeof(err)));
    assert_int_equal(c.unmapped, 1);
    const char *broken = SVC("c1", "40.7") "{\"id\": \"c2\", \n";
    assert_false(hsds_import_text(db, "broken.ndjson", broken, strlen(broken), &c, err, sizeof(err)));
    assert_contains(err, "broken.ndjson line 2");
    assert_int_equal(hsds_store_count_services(db), 3);
    const char *noname = "{\"id\":\"d1\"}\n{\"id\":\"d2\",\"name\":\"x\"}\n";
    assert_false(hsds_import_text(db, "n.ndjson", noname, strlen(noname), &c, err, sizeof(err)));
    assert_contains(err, "record 1, field name");
    int points = 0;
    assert_true(hsds_store_each_point(db, count_point, &points));
    assert_int_equal(points, 2); /* e1 is stored but not on the map */
    assert_int_equal(hsds_store_count_services(db), 3);
    db_close(db);
}

/* Issue 17.7: two services sharing a location id whose text differs ("1
 * Main St" and "1 Main St." from a spreadsheet) failed the whole import
 * with "UNIQUE constraint failed: dir_sal_dirty.sal_rowid": the trigger's
 * INSERT OR IGNORE took the location upsert's conflict rule. */
static void shared_location_with_different_text(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512] = "";
    const char *two =
        "{\"id\":\"s1\",\"name\":\"One\",\"organization\":{\"id\":\"o1\",\"name\":\"Org\"},"
        "\"service_at_locations\":[{\"id\":\"sal1\",\"location\":{\"id\":\"L1\",\"name\":\"1 Main St\","
        "\"latitude\":40.7,\"longitude\":-73.9}}]}\n"
        "{\"id\":\"s2\",\"name\":\"Two\",\"organization\":{\"id\":\"o1\",\"name\":\"Org\"},"
        "\"service_at_locations\":[{\"id\":\"sal2\",\"location\":{\"id\":\"L1\",\"name\":\"1 Main St.\","
        "\"latitude\":40.7,\"longitude\":-73.9}}]}\n";
    if (!hsds_import_text(db, "shared.ndjson", two, strlen(two), &c, err, sizeof(err)))
        fail_msg("refused: %s", err);
    assert_int_equal(c.added, 2);
    int points = 0;
    assert_true(hsds_store_each_point(db, count_any_point, &points));
    assert_int_equal(points, 2);
    uint32_t *dirty = NULL;
    assert_int_equal(hsds_store_cache_dirty(db, &dirty), 0);
    free(dirty);
    db_close(db);
}

/* One service with organization o1 (name org) and listing sal at location
 * L1 (name loc): NDJSON, one line. */
#define NESTED(id, org, sal, loc)                                                                                  \
    "{\"id\":\"" id "\",\"name\":\"S " id "\",\"organization\":{\"id\":\"o1\",\"name\":\"" org "\"},"          \
    "\"service_at_locations\":[{\"id\":\"" sal "\",\"location\":{\"id\":\"L1\",\"name\":\"" loc "\","         \
    "\"latitude\":40.7,\"longitude\":-73.9}}]}\n"

static void import_ok(sqlite3 *db, const char *text)
{
    hsds_import_counts c;
    char err[512] = "";
    if (!hsds_import_text(db, "n.ndjson", text, strlen(text), &c, err, sizeof(err)))
        fail_msg("refused: %s", err);
}

/* Whether the row id of table keeps its document by reference (an empty raw). */
static long by_ref(sqlite3 *db, const char *table, const char *id)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT length(raw) = 0 FROM %s WHERE id = '%s'", table, id);
    return wp_sql_long(db, sql);
}

/* Whether the view's document of id has "name":name. */
static long doc_named(sqlite3 *db, const char *view, const char *id, const char *name)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE id = '%s' AND json_extract(doc, '$.name') = '%s'",
             view, id, name);
    return wp_sql_long(db, sql);
}

/* Migration 0031: a location's and an organization's document is the copy
 * its first listing's or service's document carries, until that source
 * changes; the last copy written is still the document. */
static void nested_documents_by_reference(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    import_ok(db, NESTED("x1", "Org", "sal1", "1 Main St"));
    assert_int_equal(by_ref(db, "dir_organization", "o1"), 1);
    assert_int_equal(by_ref(db, "dir_location", "L1"), 1);
    assert_int_equal(doc_named(db, "dir_location_doc", "L1", "1 Main St"), 1);
    assert_int_equal(doc_named(db, "dir_organization_doc", "o1", "Org"), 1);
    /* a second service carrying the same copies leaves them by reference */
    import_ok(db, NESTED("x2", "Org", "sal2", "1 Main St"));
    assert_int_equal(by_ref(db, "dir_location", "L1") + by_ref(db, "dir_organization", "o1"), 2);
    /* another text of the location: the last written is the document */
    import_ok(db, NESTED("x2", "Org", "sal2", "1 Main St."));
    assert_int_equal(by_ref(db, "dir_location", "L1"), 0);
    assert_int_equal(doc_named(db, "dir_location_doc", "L1", "1 Main St."), 1);
    assert_int_equal(by_ref(db, "dir_organization", "o1"), 1);
    /* the source going: its copy is kept first */
    arena a;
    arena_init(&a);
    assert_int_equal(hsds_store_delete_service(db, &a, "x1"), 1);
    arena_free(&a);
    assert_int_equal(by_ref(db, "dir_organization", "o1"), 0);
    assert_int_equal(doc_named(db, "dir_organization_doc", "o1", "Org"), 1);
    assert_int_equal(doc_named(db, "dir_location_doc", "L1", "1 Main St."), 1);
    /* re-imported unchanged: x2 is now the first at both, so the copies it
     * carries are kept by reference when next written */
    import_ok(db, NESTED("x2", "Org 2", "sal2", "1 Main St."));
    assert_int_equal(doc_named(db, "dir_organization_doc", "o1", "Org 2"), 1);
    assert_int_equal(by_ref(db, "dir_organization", "o1"), 1);
    assert_int_equal(by_ref(db, "dir_location", "L1"), 1);
    /* the source's own document changing keeps what others read */
    import_ok(db, NESTED("x3", "Org 2", "sal3", "1 Main St."));
    import_ok(db, NESTED("x2", "Org 3", "sal2", "2 Main St"));
    assert_int_equal(doc_named(db, "dir_organization_doc", "o1", "Org 3"), 1);
    assert_int_equal(doc_named(db, "dir_location_doc", "L1", "2 Main St"), 1);
    /* a service leaving for another organization keeps the one it was
     * the source of */
    const char *moved = "{\"id\":\"x2\",\"name\":\"S x2\",\"organization\":{\"id\":\"o2\",\"name\":\"Other\"}}\n";
    import_ok(db, moved);
    assert_int_equal(doc_named(db, "dir_organization_doc", "o1", "Org 3"), 1);
    assert_int_equal(doc_named(db, "dir_organization_doc", "o2", "Other"), 1);
    assert_int_equal(doc_named(db, "dir_location_doc", "L1", "2 Main St"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_location_doc WHERE doc IS NULL") +
                         wp_sql_long(db, "SELECT count(*) FROM dir_organization_doc WHERE doc IS NULL"),
                     0);
    uint32_t *dirty = NULL;
    assert_int_equal(hsds_store_cache_dirty(db, &dirty), 0);
    free(dirty);
    db_close(db);
}

/* The two ways a record names something stored before it: a listing's
 * location_id and an attribute's taxonomy_term_id. Links are kept by row
 * number (migration 0022), so each must find the stored row, and a name
 * that finds none refuses the record. */
static void references_by_id_find_the_stored_rows_or_refuse(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    const char *first = SVC("r1", "40.7");
    assert_true(hsds_import_text(db, "first.ndjson", first, strlen(first), &c, err, sizeof(err)));
    const char *by_id = "{\"id\":\"r2\",\"name\":\"S r2\",\"service_at_locations\":[{\"id\":\"sal-r2\","
                        "\"location_id\":\"loc-r1\"}],\"attributes\":[{\"id\":\"at-r2\",\"link_type\":\"x\","
                        "\"taxonomy_term_id\":\"term-nal\"},{\"id\":\"at-r2b\",\"taxonomy_term_id\":\"term-nal\"}]}";
    assert_true(hsds_import_text(db, "by-id.json", by_id, strlen(by_id), &c, err, sizeof(err)));
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_at_location sal "
                                     "JOIN dir_location l ON l.rowid = sal.location_rowid "
                                     "JOIN dir_service s ON s.rowid = sal.service_rowid "
                                     "WHERE l.id = 'loc-r1' AND s.id IN ('r1', 'r2')"),
                     2);
    /* the same term twice: one link; the link's type stays in the document */
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_term st "
                                     "JOIN dir_taxonomy_term t ON t.rowid = st.term_rowid "
                                     "JOIN dir_service s ON s.rowid = st.service_rowid "
                                     "WHERE t.id = 'term-nal' AND s.id = 'r2'"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service WHERE id = 'r2' AND "
                                     "json_extract(wp_doc(raw), '$.attributes[0].link_type') = 'x'"),
                     1);
    const char *no_loc = "{\"id\":\"r3\",\"name\":\"S r3\",\"service_at_locations\":[{\"id\":\"sal-r3\","
                         "\"location_id\":\"loc-nowhere\"}]}";
    assert_false(hsds_import_text(db, "no-loc.json", no_loc, strlen(no_loc), &c, err, sizeof(err)));
    assert_contains(err, "service_at_locations[0].location");
    assert_contains(err, "never imported");
    const char *no_term = "{\"id\":\"r4\",\"name\":\"S r4\",\"attributes\":[{\"id\":\"at-r4\","
                          "\"taxonomy_term_id\":\"term-nowhere\"}]}";
    assert_false(hsds_import_text(db, "no-term.json", no_term, strlen(no_term), &c, err, sizeof(err)));
    assert_contains(err, "attributes[0]");
    assert_contains(err, "unknown term");
    assert_int_equal(hsds_store_count_services(db), 2);
    db_close(db);
}

/* Each field an import's error can name, named in full (the names are
 * written only when there is an error). */
static void errors_name_the_field_in_full(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    static const struct {
        const char *record, *says;
    } cases[] = {
        {"{\"name\":\"x\"}", "record 1, field id: missing"},
        {"{\"id\":\"a b\",\"name\":\"x\"}", "record 1, field id: not a valid id"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"service_at_locations\":[{\"id\":\"l1\",\"location\":{\"id\":\"p0\"}},"
         "{\"location\":{}}]}",
         "field service_at_locations[1].id: missing"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"service_at_locations\":[{\"id\":\"l1\",\"location\":{}}]}",
         "field service_at_locations[0].location.id: missing"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"service_at_locations\":[{\"id\":\"l1\",\"location\":{\"id\":\"p1\","
         "\"latitude\":1,\"longitude\":\"w\"}}]}",
         "field service_at_locations[0].location.longitude: must be a number"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"service_at_locations\":[{\"id\":\"l1\"}]}",
         "field service_at_locations[0].location: a service_at_location needs a location"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"attributes\":[{\"taxonomy_term\":{\"id\":\"t8\",\"name\":\"n\"}},{\"taxonomy_term\":"
         "{\"id\":\"t9\"}}]}",
         "field attributes[1].taxonomy_term: a taxonomy term needs a name"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"attributes\":[{\"taxonomy_term\":{\"name\":\"n\"}}]}",
         "field attributes[0].taxonomy_term: missing"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"attributes\":[{}]}",
         "field attributes[0]: an attribute needs taxonomy_term or taxonomy_term_id"},
        {"{\"id\":\"s1\",\"name\":\"x\",\"organization\":{\"name\":\"o\"}}", "field organization.id: missing"},
        {"{\"taxonomy\":{\"name\":\"t\"},\"terms\":[]}", "field taxonomy.id: missing"},
        {"{\"taxonomy\":{\"id\":\"tx\",\"name\":\"t\"},\"terms\":[{\"id\":\"a\",\"name\":\"a\"},{\"id\":\"b\"}]}",
         "field terms[1]: a taxonomy term needs a name"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hsds_import_counts c;
        char err[512];
        assert_false(hsds_import_text(db, "e.json", cases[i].record, strlen(cases[i].record), &c, err, sizeof(err)));
        if (!strstr(err, cases[i].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].says);
    }
    db_close(db);
}

/* A record whose list is longer than HSDS_FIELDS_MAX_LIST is refused
 * with a message (its members are not copied for the writer), and
 * nothing of it is written. */
static void too_long_a_list_is_refused(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    static const char *const lists[] = {"attributes", "service_at_locations"};
    for (int l = 0; l < 2; l++) {
        buf text = BUF_INIT;
        assert_true(buf_printf(&text, "{\"id\":\"s1\",\"name\":\"x\",\"%s\":[", lists[l]));
        for (int i = 0; i <= HSDS_FIELDS_MAX_LIST; i++)
            assert_true(buf_puts(&text, i ? ",0" : "0"));
        assert_true(buf_puts(&text, "]}"));
        hsds_import_counts c;
        char err[512], want[128];
        assert_false(hsds_import_text(db, "e.json", text.data, text.len, &c, err, sizeof(err)));
        snprintf(want, sizeof(want), "field %s: too long a list (at most %d entries)", lists[l], HSDS_FIELDS_MAX_LIST);
        if (!strstr(err, want))
            fail_msg("\"%s\" does not say \"%s\"", err, want);
        assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service"), 0);
        buf_free(&text);
    }
    db_close(db);
}

/* A record too large to write out (its text past the 64 MB a buffer
 * holds) is refused with a message before anything of it is read or
 * written. */
static void too_large_a_record_is_refused(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    size_t n = BUF_DEFAULT_CAP + 1;
    char *name = malloc(n + 1);
    assert_non_null(name);
    memset(name, 'a', n);
    name[n] = '\0';
    json_t *svc = json_pack("{s:s, s:s}", "id", "s1", "name", name);
    free(name);
    assert_non_null(svc);
    enum hsds_upsert result;
    char field[64], what[256];
    assert_false(hsds_import_service(db, svc, &result, field, sizeof(field), what, sizeof(what)));
    assert_string_equal(field, "(record)");
    assert_non_null(strstr(what, "could not be written out"));
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service"), 0);
    json_decref(svc);
    db_close(db);
}

static void official_examples_import(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    assert_true(hsds_import_path(db, "data/hsds-3.0/examples/service_full.json", &c, err, sizeof(err)));
    assert_int_equal(c.added, 1);
    assert_true(hsds_import_path(db, "data/taxonomy/waypost.json", &c, err, sizeof(err)));
    assert_true(c.terms >= 39);
    assert_true(hsds_import_path(db, "data/directory/examples-harm-reduction.ndjson", &c, err, sizeof(err)));
    assert_true(c.added >= 8);
    db_close(db);
}

static bool refuse_hook(sqlite3 *db, const hsds_import_counts *c, void *ctx)
{
    (void)db;
    *(long *)ctx = c->added;
    return false;
}

static bool count_hook(sqlite3 *db, const hsds_import_counts *c, void *ctx)
{
    (void)db;
    *(long *)ctx = c->added;
    return true;
}

/* The staff portal's preview: the dry run counts as the import would and
 * changes nothing; a hook that refuses rolls the import back. */
static void dry_run_and_hook(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512] = "";
    const char *one = SVC("d1", "40.7"), *both = SVC("d1", "40.7") SVC("d2", "40.8");
    assert_true(hsds_import_text_dry(db, "one.ndjson", one, strlen(one), &c, err, sizeof(err)));
    assert_int_equal(c.added, 1);
    assert_int_equal(hsds_store_count_services(db), 0);
    long seen = -1;
    assert_false(hsds_import_text_then(db, "one.ndjson", one, strlen(one), &c, err, sizeof(err), refuse_hook, &seen));
    assert_int_equal(seen, 1);
    assert_int_equal(hsds_store_count_services(db), 0);
    assert_true(hsds_import_text_then(db, "one.ndjson", one, strlen(one), &c, err, sizeof(err), count_hook, &seen));
    assert_int_equal(hsds_store_count_services(db), 1);
    assert_true(hsds_import_text_dry(db, "both.ndjson", both, strlen(both), &c, err, sizeof(err)));
    assert_int_equal(c.added, 1);
    assert_int_equal(c.unchanged, 1);
    assert_int_equal(hsds_store_count_services(db), 1);
    assert_false(hsds_import_text_dry(db, "bad.ndjson", "{\"id\":\"x\"}\n", 12, &c, err, sizeof(err)));
    assert_contains(err, "bad.ndjson");
    assert_int_equal(c.added, 0);
    db_close(db);
}

static long matches(sqlite3 *db, const char *word)
{
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM dir_service_fts WHERE dir_service_fts MATCH '%s'", word);
    return wp_sql_long(db, sql);
}

/* Migration 0019: an import indexes its services for search= once, at its
 * end; the index then answers as if kept row by row, a failed import
 * leaves it as it was, and other writers still index row by row. */
static void search_index_is_brought_up_to_date_at_the_end(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    const char *two = SVC("f1", "40.7") SVC("f2", "40.8");
    assert_true(hsds_import_text(db, "two.ndjson", two, strlen(two), &c, err, sizeof(err)));
    assert_int_equal(matches(db, "f1"), 1);
    assert_int_equal(matches(db, "f2"), 1);
    const char *renamed = "{\"id\":\"f1\",\"name\":\"Harbor clinic\",\"description\":\"Walk-in wound care\","
                          "\"organization_id\":\"org-1\"}\n";
    assert_true(hsds_import_text(db, "r.ndjson", renamed, strlen(renamed), &c, err, sizeof(err)));
    assert_int_equal(c.updated, 1);
    assert_int_equal(matches(db, "f1"), 0);
    assert_int_equal(matches(db, "harbor"), 1);
    assert_int_equal(matches(db, "wound"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT deferring FROM dir_fts_defer"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_fts_pending"), 0);
    /* a failed import rolls its names back out of the index */
    const char *bad = "{\"id\":\"f3\",\"name\":\"Lantern house\",\"organization_id\":\"org-1\"}\n{\"id\":\"f4\"}\n";
    assert_false(hsds_import_text(db, "bad.ndjson", bad, strlen(bad), &c, err, sizeof(err)));
    assert_int_equal(matches(db, "lantern"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT deferring FROM dir_fts_defer"), 0);
    /* a writer that is not the importer is indexed at once */
    assert_int_equal(sqlite3_exec(db, "UPDATE dir_service SET name = 'Beacon point' WHERE id = 'f2'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(matches(db, "beacon"), 1);
    assert_int_equal(matches(db, "f2"), 0);
    assert_search_index_whole(db);
    /* one service twice in a file (added, then changed while it waits to
     * be indexed), and a removal: the index holds what the rows say
     * (since migration 0025 it reads their text from them) */
    const char *twice = "{\"id\":\"f5\",\"name\":\"Anchor first\",\"organization_id\":\"org-1\"}\n"
                        "{\"id\":\"f5\",\"name\":\"Anchor second\",\"organization_id\":\"org-1\"}\n";
    assert_true(hsds_import_text(db, "twice.ndjson", twice, strlen(twice), &c, err, sizeof(err)));
    assert_int_equal(matches(db, "first"), 0);
    assert_int_equal(matches(db, "second"), 1);
    assert_search_index_whole(db);
    /* new services indexed from their records' texts (hsds_search_later):
     * an alternate name and an escaped description; one whose description
     * is not text (indexed from its document, as json_extract reads it);
     * one held, then changed in the same file */
    const char *texts = "{\"id\":\"f6\",\"name\":\"Cove\",\"alternate_name\":\"Tidewater\","
                        "\"description\":\"Caf\\u00e9 \\\"open\\\" late\",\"organization_id\":\"org-1\"}\n"
                        "{\"id\":\"f7\",\"name\":\"Dune\",\"description\":4242,\"organization_id\":\"org-1\"}\n"
                        "{\"id\":\"f8\",\"name\":\"Ember old\",\"organization_id\":\"org-1\"}\n"
                        "{\"id\":\"f8\",\"name\":\"Ember new\",\"alternate_name\":null,\"organization_id\":\"org-1\"}\n";
    assert_true(hsds_import_text(db, "texts.ndjson", texts, strlen(texts), &c, err, sizeof(err)));
    assert_int_equal(matches(db, "tidewater"), 1);
    assert_int_equal(matches(db, "cafe"), 1); /* remove_diacritics */
    assert_int_equal(matches(db, "4242"), 1);
    assert_int_equal(matches(db, "ember"), 1);
    assert_int_equal(matches(db, "old"), 0);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_fts_pending"), 0);
    assert_search_index_whole(db);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM dir_service WHERE id = 'f2'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(matches(db, "beacon"), 0);
    assert_search_index_whole(db);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                     "('dir_service_fts_content', 'dir_service_fts_docsize')"),
                     0); /* no copy of the text, no sizes */
    db_close(db);
}

/* More records than the reader thread keeps ahead, with blank lines: all
 * are written in order; an error far down names its line and writes
 * nothing. */
static void long_files_through_the_reader(void **state)
{
    (void)state;
    sqlite3 *db = temp_db();
    hsds_import_counts c;
    char err[512];
    buf text = BUF_INIT;
    for (int i = 1; i <= 300; i++) {
        char rec[200];
        snprintf(rec, sizeof(rec), "{\"id\":\"g%d\",\"name\":\"Service g%d\",\"organization\":{\"id\":\"org-1\",\"name\":\"Org\"}}\n%s", i, i,
                 i % 50 ? "" : "\r\n");
        assert_true(buf_puts(&text, rec));
    }
    assert_true(hsds_import_text(db, "long.ndjson", text.data, text.len, &c, err, sizeof(err)));
    assert_int_equal(c.added, 300);
    assert_int_equal(matches(db, "g300"), 1);
    buf bad = BUF_INIT;
    assert_true(buf_append(&bad, text.data, text.len));
    assert_true(buf_puts(&bad, "{\"id\":\"h1\",\"name\":\"New\",\"organization_id\":\"org-1\"}\n{\"id\": \n"));
    assert_false(hsds_import_text(db, "bad.ndjson", bad.data, bad.len, &c, err, sizeof(err)));
    assert_contains(err, "bad.ndjson line 308");
    assert_int_equal(hsds_store_count_services(db), 300);
    buf_free(&text);
    buf_free(&bad);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_is_atomic_and_idempotent),
        cmocka_unit_test(shared_location_with_different_text),
        cmocka_unit_test(nested_documents_by_reference),
        cmocka_unit_test(references_by_id_find_the_stored_rows_or_refuse),
        cmocka_unit_test(errors_name_the_field_in_full),
        cmocka_unit_test(too_long_a_list_is_refused),
        cmocka_unit_test(too_large_a_record_is_refused),
        cmocka_unit_test(official_examples_import),
        cmocka_unit_test(dry_run_and_hook),
        cmocka_unit_test(search_index_is_brought_up_to_date_at_the_end),
        cmocka_unit_test(long_files_through_the_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
