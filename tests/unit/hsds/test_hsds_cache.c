/* test_hsds_cache: the per-listing cache (migration 0004,
 * hsds_cache.c): every import leaves a brief and a point for each
 * listing, equal to what the documents give; a change to a shared
 * location, a service's terms or its status reaches the cache through the
 * triggers; an unchanged re-import writes nothing; a database stored
 * before the cache is filled in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/db.h"
#include "locator/locator.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"
#include "locator/geo.h"
#include "hsds/hsds_cache.h"
#include "hsds/hsds_sal.h"
#include "wp_test.h"

static sqlite3 *temp_db(char path[64])
{
    return wp_temp_db(path);
}

/* A service at one location; the location's name and the term vary. */
#define SVC(id, loc, locname, code)                                                                                \
    "{\"id\":\"" id "\",\"name\":\"S " id "\",\"organization\":{\"id\":\"org-1\",\"name\":\"Org\"},"              \
    "\"service_at_locations\":[{\"id\":\"sal-" id "\",\"location\":{\"id\":\"" loc "\",\"name\":\"" locname     \
    "\",\"latitude\":40.7,\"longitude\":-73.9}}],\"attributes\":[{\"id\":\"at-" id "\",\"taxonomy_term\":{"     \
    "\"id\":\"term-" code "\",\"code\":\"" code "\",\"name\":\"" code "\",\"taxonomy\":\"Waypost\","            \
    "\"taxonomy_id\":\"" WAYPOST_TAXONOMY_ID "\"}}]}\n"

static void import(sqlite3 *db, const char *text)
{
    hsds_import_counts c;
    char err[512];
    if (!hsds_import_text(db, "t.ndjson", text, strlen(text), &c, err, sizeof(err)))
        fail_msg("%s", err);
}

static uint32_t rowid_of(sqlite3 *db, const char *sal_id)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM dir_service_at_location WHERE id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, sal_id, -1, SQLITE_STATIC);
    uint32_t r = sqlite3_step(st) == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    assert_true(r != 0);
    return r;
}

/* The cached brief of a listing, checked against a fresh build. */
static char *brief_of(sqlite3 *db, const char *sal_id)
{
    uint32_t rowid = rowid_of(db, sal_id);
    buf b = BUF_INIT;
    assert_int_equal(hsds_store_brief_into(db, rowid, &b), 1);
    arena a;
    arena_init(&a);
    hsds_listing l;
    assert_true(hsds_store_listing(db, &a, rowid, &l));
    char *fresh = hsds_sal_brief_text(&l);
    assert_non_null(fresh);
    buf_putc(&b, '\0');
    assert_string_equal(b.data, fresh);
    free(fresh);
    arena_free(&a);
    size_t n;
    return buf_detach(&b, &n);
}

struct found {
    uint32_t rowid;
    char codes[200];
    int n;
};

static void find_point(void *ctx, uint32_t id, double lat, double lon, const char *codes)
{
    (void)lat;
    (void)lon;
    struct found *f = ctx;
    if (id == f->rowid) {
        snprintf(f->codes, sizeof(f->codes), "%s", codes);
        f->n++;
    }
}

static int points_of(sqlite3 *db, const char *sal_id, char codes[200])
{
    struct found f = {rowid_of(db, sal_id), "", 0};
    assert_true(hsds_store_each_point(db, find_point, &f));
    memcpy(codes, f.codes, sizeof(f.codes));
    return f.n;
}

static void import_fills_the_cache(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "First name", "naloxone") SVC("b", "loc-2", "Other", "methadone"));
    uint32_t *missing;
    assert_int_equal(hsds_store_cache_dirty(db, &missing), 0);
    free(missing);
    char *brief = brief_of(db, "sal-a");
    assert_contains(brief, "\"First name\"");
    assert_contains(brief, "\"service\":{");
    assert_null(strstr(brief, "distance"));
    free(brief);
    char codes[200];
    assert_int_equal(points_of(db, "sal-a", codes), 1);
    assert_string_equal(codes, "naloxone");
    db_close(db);
    unlink(path);
}

static void changes_reach_the_cache(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "First name", "naloxone"));
    /* another service renames the shared location */
    import(db, SVC("b", "loc-1", "Renamed", "naloxone"));
    char *brief = brief_of(db, "sal-a");
    assert_contains(brief, "\"Renamed\"");
    free(brief);
    /* the service's own terms change its codes */
    import(db, SVC("a", "loc-1", "Renamed", "buprenorphine"));
    char codes[200];
    assert_int_equal(points_of(db, "sal-a", codes), 1);
    assert_string_equal(codes, "buprenorphine");
    /* an inactive service leaves the map but keeps its brief */
    const char *inactive = "{\"id\":\"a\",\"name\":\"S a\",\"status\":\"inactive\",\"organization_id\":\"org-1\","
                           "\"service_at_locations\":[{\"id\":\"sal-a\",\"location_id\":\"loc-1\"}]}\n";
    import(db, inactive);
    assert_int_equal(points_of(db, "sal-a", codes), 0);
    free(brief_of(db, "sal-a"));
    db_close(db);
    unlink(path);
}

static void unchanged_reimport_writes_nothing(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    const char *two = SVC("a", "loc-1", "One", "naloxone") SVC("b", "loc-2", "Two", "naloxone");
    import(db, two);
    int before = sqlite3_total_changes(db);
    import(db, two);
    assert_int_equal(sqlite3_total_changes(db), before);
    db_close(db);
    unlink(path);
}

/* Upserting the same term or location again (every service that carries
 * them does) must not throw away other listings' cache: a marker put in
 * place of a's brief survives the import of b. */
static void repeated_shared_rows_keep_the_cache(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "Shared", "naloxone"));
    assert_int_equal(sqlite3_exec(db, "UPDATE dir_sal_brief SET brief = '{\"marker\":1}'", NULL, NULL, NULL),
                     SQLITE_OK);
    import(db, SVC("b", "loc-1", "Shared", "naloxone"));
    buf b = BUF_INIT;
    assert_int_equal(hsds_store_brief_into(db, rowid_of(db, "sal-a"), &b), 1);
    buf_putc(&b, '\0');
    assert_string_equal(b.data, "{\"marker\":1}");
    buf_free(&b);
    db_close(db);
    unlink(path);
}

/* Briefs are stored compressed (brief_zip.h) and read back as text; a
 * stored form that cannot be read counts as no brief (the API then builds
 * the listing from its documents), never as a wrong one. */
static void briefs_are_stored_compressed_and_damage_is_no_brief(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "One", "naloxone"));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT typeof(brief) FROM dir_sal_brief", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "blob");
    sqlite3_finalize(st);
    char *text = brief_of(db, "sal-a");
    assert_contains(text, "\"name\":\"One\"");
    free(text);
    assert_int_equal(sqlite3_exec(db, "UPDATE dir_sal_brief SET brief = substr(brief, 1, length(brief) - 3)", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    buf b = BUF_INIT;
    assert_int_equal(hsds_store_brief_into(db, rowid_of(db, "sal-a"), &b), 0);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    db_close(db);
    unlink(path);
}

/* What migration 0004 does to a database stored before the cache: no
 * briefs or points, every listing on the dirty list. */
static const char SQL_AS_BEFORE_0004[] = "DELETE FROM dir_sal_brief; DELETE FROM dir_sal_point; "
                                         "INSERT INTO dir_sal_dirty SELECT rowid FROM dir_service_at_location";

static void emptied_cache_is_filled_again(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "One", "naloxone") SVC("b", "loc-2", "Two", "naloxone"));
    assert_int_equal(sqlite3_exec(db, SQL_AS_BEFORE_0004, NULL, NULL, NULL), SQLITE_OK);
    char codes[200];
    assert_int_equal(points_of(db, "sal-b", codes), 0);
    long done = 0;
    assert_true(hsds_cache_refresh(db, false, &done));
    assert_int_equal(done, 2);
    assert_int_equal(points_of(db, "sal-b", codes), 1);
    free(brief_of(db, "sal-b"));
    assert_true(hsds_cache_refresh(db, false, &done));
    assert_int_equal(done, 0); /* the dirty list was worked off */
    /* the server's rebuild does it too */
    assert_int_equal(sqlite3_exec(db, SQL_AS_BEFORE_0004, NULL, NULL, NULL), SQLITE_OK);
    char err[256];
    assert_true(locator_rebuild(path, err, sizeof(err)));
    geo_index *g = geo_acquire();
    assert_non_null(g);
    assert_int_equal(geo_count(g), 2);
    geo_release(g);
    geo_publish(NULL);
    assert_int_equal(points_of(db, "sal-a", codes), 1);
    /* at start-up the dirty list is worked off before the index thread
     * begins (that write beside the features' own would be refused as
     * busy), so the thread only reads */
    assert_int_equal(sqlite3_exec(db, SQL_AS_BEFORE_0004, NULL, NULL, NULL), SQLITE_OK);
    locator_index_begin(path);
    uint32_t *left;
    assert_int_equal(hsds_store_cache_dirty(db, &left), 0);
    free(left);
    assert_true(locator_index_end(err, sizeof(err)));
    g = geo_acquire();
    assert_int_equal(geo_count(g), 2);
    geo_release(g);
    locator_watch_stop();
    db_close(db);
    unlink(path);
}

/* Records of every shape the import caches in place or leaves for the
 * refresh: keys out of order at every level, text needing escapes, a
 * link's own fields, terms of two taxonomies out of code order and one
 * linked twice, a location without coordinates, a location named by
 * id only, a location another record then changes, one location given
 * twice in a record. */
static const char MIXED[] =
    "{\"name\":\"Caf\\u00e9 \\\"Ni\\u00f1o\\\"\",\"id\":\"m1\",\"description\":\"Door \\u2192 2\","
    "\"organization\":{\"name\":\"Org\",\"id\":\"org-1\"},\"service_at_locations\":["
    "{\"location\":{\"name\":\"A\",\"id\":\"loc-A\",\"longitude\":-73.987654321,\"latitude\":40.123456789,"
    "\"addresses\":[{\"postal_code\":\"10001\",\"id\":\"ad-1\",\"address_1\":\"1 Main\"}]},\"id\":\"sal-m1a\","
    "\"description\":\"Side door\",\"phones\":[{\"number\":\"555-0100\",\"id\":\"ph-1\"}]},"
    "{\"id\":\"sal-m1b\",\"x_waypost_note\":{\"z\":1,\"a\":[2]},\"description\":\"Back\","
    "\"location\":{\"id\":\"loc-B\",\"name\":\"No point\"}}],"
    "\"attributes\":[{\"id\":\"at-m1\",\"taxonomy_term\":{\"id\":\"term-naloxone\",\"code\":\"naloxone\","
    "\"name\":\"naloxone\",\"taxonomy\":\"Waypost\",\"taxonomy_id\":\"" WAYPOST_TAXONOMY_ID "\"}}]}\n"
    "{\"id\":\"m2\",\"name\":\"Two\",\"service_at_locations\":[{\"id\":\"sal-m2\",\"location_id\":\"loc-A\"}]}\n"
    "{\"id\":\"m3\",\"name\":\"Three\",\"service_at_locations\":[{\"id\":\"sal-m3\",\"location\":{\"id\":\"loc-A\","
    "\"name\":\"A renamed\",\"latitude\":40.5,\"longitude\":-73.5}}],\"attributes\":["
    "{\"id\":\"at-m3a\",\"taxonomy_term_id\":\"term-naloxone\"},"
    "{\"id\":\"at-m3b\",\"taxonomy_term\":{\"id\":\"term-other\",\"code\":\"aaa\",\"name\":\"Other\","
    "\"taxonomy\":\"Other\",\"taxonomy_id\":\"other-taxonomy\"}},"
    "{\"id\":\"at-m3c\",\"taxonomy_term\":{\"id\":\"term-counseling\",\"code\":\"counseling\","
    "\"name\":\"counseling\",\"taxonomy\":\"Waypost\",\"taxonomy_id\":\"" WAYPOST_TAXONOMY_ID "\"}},"
    "{\"id\":\"at-m3d\",\"taxonomy_term_id\":\"term-naloxone\"}]}\n"
    "{\"id\":\"m4\",\"name\":\"Four\",\"status\":\"inactive\",\"service_at_locations\":["
    "{\"id\":\"sal-m4a\",\"location\":{\"id\":\"loc-C\",\"latitude\":41,\"longitude\":-74}},"
    "{\"id\":\"sal-m4b\",\"location\":{\"id\":\"loc-C\",\"latitude\":41,\"longitude\":-74}}]}\n";

/* Every brief and point as one text, in rowid order. */
static char *cache_text(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT group_concat(r, ';') FROM (SELECT sal_rowid || ':' || hex(brief) r "
                                        "FROM dir_sal_brief ORDER BY sal_rowid)) || '/' || (SELECT group_concat(r, ';') "
                                        "FROM (SELECT sal_rowid || ':' || latitude || ',' || longitude || ',' || codes r "
                                        "FROM dir_sal_point ORDER BY sal_rowid))",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *t = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return t;
}

/* The briefs and points the import makes from the records in hand are
 * the ones a refresh makes from the stored documents, byte for byte. */
static void briefs_made_at_import_equal_a_refresh(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, MIXED);
    uint32_t *missing;
    assert_int_equal(hsds_store_cache_dirty(db, &missing), 0);
    free(missing);
    char *at_import = cache_text(db);
    assert_contains(at_import, ":"); /* not empty */
    /* a point's codes: the Waypost terms only, in code order, once each */
    assert_contains(at_import, ";4:40.5,-73.5,counseling,naloxone");
    assert_int_equal(sqlite3_exec(db, SQL_AS_BEFORE_0004, NULL, NULL, NULL), SQLITE_OK);
    long done = 0;
    assert_true(hsds_cache_refresh(db, false, &done));
    assert_int_equal(done, 6);
    char *refreshed = cache_text(db);
    assert_string_equal(at_import, refreshed);
    free(at_import);
    free(refreshed);
    /* and each is what the API builds for a listing with nothing cached */
    for (uint32_t rowid = 1; rowid <= 6; rowid++) {
        arena a;
        arena_init(&a);
        hsds_listing l;
        assert_true(hsds_store_listing(db, &a, rowid, &l));
        char *brief = hsds_sal_brief_text(&l);
        json_t *o = hsds_sal_object(&l, false, -1);
        char *built = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        assert_non_null(brief);
        assert_string_equal(brief, built);
        free(brief);
        free(built);
        json_decref(o);
        arena_free(&a);
    }
    db_close(db);
    unlink(path);
}

static long dirty_count(sqlite3 *db)
{
    return (long)wp_sql_long(db, "SELECT count(*) FROM dir_sal_dirty");
}

static long generation(sqlite3 *db)
{
    return (long)wp_sql_long(db, "SELECT n FROM dir_generation WHERE id = 1");
}

/* Migration 0032 dropped three row triggers; the code that writes those
 * rows does what they did: a new listing not cached by its caller goes on
 * the dirty list, a term linked to a service that may have listings puts
 * them there, and a transaction that wrote points moves the generation. */
static void writers_do_what_the_dropped_triggers_did(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    long g0 = generation(db);
    import(db, SVC("a", "loc-1", "One", "naloxone") SVC("b", "loc-2", "Two", "methadone"));
    long g1 = generation(db);
    assert_true(g1 > g0);
    assert_int_equal(dirty_count(db), 0);
    long long a = wp_sql_long(db, "SELECT service_rowid FROM dir_service_at_location WHERE id = 'sal-a'");
    long long loc = wp_sql_long(db, "SELECT location_rowid FROM dir_service_at_location WHERE id = 'sal-a'");
    assert_true(db_begin(db));
    long long rowid = 0;
    bool fresh = false;
    assert_true(hsds_store_put_sal(db, "sal-a2", a, loc, &rowid, &fresh, true));
    assert_true(fresh && rowid > 0);
    assert_int_equal(dirty_count(db), 0); /* its caller caches it */
    assert_true(hsds_store_put_sal(db, "sal-a3", a, loc, &rowid, &fresh, false));
    assert_int_equal(dirty_count(db), 1);
    assert_true(hsds_store_link_term(db, a, hsds_store_term_rowid(db, "term-methadone"), false, NULL));
    assert_int_equal(dirty_count(db), 1); /* told it has no listings */
    assert_true(hsds_store_clear_terms(db, a));
    assert_int_equal(sqlite3_exec(db, "DELETE FROM dir_sal_dirty", NULL, NULL, NULL), SQLITE_OK);
    assert_true(hsds_store_link_term(db, a, hsds_store_term_rowid(db, "term-methadone"), true, NULL));
    assert_int_equal(dirty_count(db), 3); /* sal-a, sal-a2, sal-a3 */
    long done = 0;
    assert_true(hsds_cache_refresh(db, false, &done));
    assert_int_equal(done, 3);
    assert_true(db_commit(db));
    assert_true(generation(db) > g1);
    char codes[200];
    assert_int_equal(points_of(db, "sal-a3", codes), 1);
    assert_string_equal(codes, "methadone");
    /* one service through the staff portal's path */
    long g2 = generation(db);
    json_error_t je;
    json_t *svc = json_loads(SVC("c", "loc-3", "Three", "naloxone"), 0, &je);
    assert_non_null(svc);
    enum hsds_upsert result;
    char field[64], what[256];
    assert_true(db_begin(db));
    assert_true(hsds_import_service(db, svc, &result, field, sizeof field, what, sizeof what));
    assert_true(db_commit(db));
    json_decref(svc);
    assert_int_equal(result, HSDS_ADDED);
    assert_true(generation(db) > g2);
    assert_int_equal(dirty_count(db), 0);
    assert_int_equal(points_of(db, "sal-c", codes), 1);
    /* the search index entry the insert trigger made before migration
     * 0033: at once for the portal's service, by the catch-up for an
     * import's; a term never stored is not linked */
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_fts WHERE dir_service_fts MATCH 'name:c'"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_service_fts WHERE dir_service_fts MATCH 'name:a OR name:b'"), 2);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM dir_fts_pending"), 0);
    assert_false(hsds_store_link_term(db, a, hsds_store_term_rowid(db, "term-never-stored"), false, NULL));
    db_close(db);
    unlink(path);
}

static size_t index_count(void)
{
    geo_index *g = geo_acquire();
    size_t n = g ? geo_count(g) : 0;
    geo_release(g);
    return n;
}

/* A change written after the index's points were read but before the
 * watcher began (an import finishing while the server starts) was missed
 * until the next change: the watcher took the changed directory as its
 * starting point. It now starts from the stamp the index was built at. */
static void a_change_before_the_watcher_starts_is_seen(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "One", "naloxone"));
    char err[256];
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_int_equal(index_count(), 1);
    import(db, SVC("b", "loc-2", "Two", "naloxone"));
    assert_true(locator_watch_start(path, 20));
    for (int i = 0; i < 250 && index_count() < 2; i++) {
        struct timespec ts = {0, 20000000L};
        nanosleep(&ts, NULL);
    }
    size_t seen = index_count();
    locator_watch_stop();
    assert_int_equal(seen, 2);
    db_close(db);
    unlink(path);
}

static long copy_generation(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT generation FROM dir_map_snapshot WHERE id = 1", -1, &st, NULL),
                     SQLITE_OK);
    long g = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return g;
}

static long stamp(sqlite3 *db)
{
    long g = -1;
    bool dirty = true;
    assert_true(hsds_store_index_stamp(db, &g, &dirty));
    assert_false(dirty);
    return g;
}

/* The ids of the index's nearest listings to the import's point. */
static void nearest(char *out, size_t outlen)
{
    geo_hit hits[8];
    geo_index *g = geo_acquire();
    size_t n = g ? geo_nearest(g, 40.7, -73.9, 50.0, 0, hits, 8) : 0;
    geo_release(g);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k + 16 < outlen; i++)
        k += (size_t)snprintf(out + k, outlen - k, "%u ", hits[i].id);
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *why = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &why) != SQLITE_OK)
        fail_msg("%s: %s", sql, why ? why : "?");
}

/* Starts the watcher until it has kept a copy at the current stamp. */
static void keep_a_copy(sqlite3 *db, const char *path)
{
    assert_true(locator_watch_start(path, 20)); /* keeps a copy after a build that read the rows */
    for (int i = 0; i < 250 && copy_generation(db) != stamp(db); i++) {
        struct timespec ts = {0, 20000000L};
        nanosleep(&ts, NULL);
    }
    locator_watch_stop();
    assert_int_equal(copy_generation(db), stamp(db));
}

/* Start-up reads the map's points from the copy the watcher kept, while
 * it matches the directory; a change, a damaged copy or another taxonomy
 * sends it back to the rows, and the watcher keeps a new copy. */
static void the_map_is_read_from_its_kept_copy_while_it_matches(void **state)
{
    (void)state;
    char path[64], err[256], before[256], after[256];
    sqlite3 *db = temp_db(path);
    import(db, SVC("a", "loc-1", "One", "naloxone") SVC("b", "loc-2", "Two", "naloxone"));
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_false(locator_index_from_copy()); /* nothing kept yet */
    assert_int_equal(copy_generation(db), -1);
    nearest(before, sizeof(before));
    keep_a_copy(db, path);
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_true(locator_index_from_copy());
    assert_int_equal(index_count(), 2);
    nearest(after, sizeof(after));
    assert_string_equal(before, after);

    import(db, SVC("c", "loc-3", "Three", "naloxone")); /* the stamp moves: the copy is stale */
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_false(locator_index_from_copy());
    assert_int_equal(index_count(), 3);
    keep_a_copy(db, path);
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_true(locator_index_from_copy());
    assert_int_equal(index_count(), 3);

    exec_sql(db, "CREATE TEMP TABLE kept AS SELECT taxonomy FROM dir_map_snapshot");
    exec_sql(db, "UPDATE dir_map_snapshot SET taxonomy = 'naloxone:5'"); /* bits of another taxonomy */
    assert_true(locator_rebuild(path, err, sizeof(err)));
    assert_false(locator_index_from_copy());
    exec_sql(db, "UPDATE dir_map_snapshot SET taxonomy = (SELECT taxonomy FROM kept), points = zeroblob(44)");
    assert_true(locator_rebuild(path, err, sizeof(err))); /* the right label on a damaged copy */
    assert_false(locator_index_from_copy());
    assert_int_equal(index_count(), 3);
    db_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_fills_the_cache),
        cmocka_unit_test(changes_reach_the_cache),
        cmocka_unit_test(unchanged_reimport_writes_nothing),
        cmocka_unit_test(repeated_shared_rows_keep_the_cache),
        cmocka_unit_test(briefs_are_stored_compressed_and_damage_is_no_brief),
        cmocka_unit_test(emptied_cache_is_filled_again),
        cmocka_unit_test(briefs_made_at_import_equal_a_refresh),
        cmocka_unit_test(writers_do_what_the_dropped_triggers_did),
        cmocka_unit_test(a_change_before_the_watcher_starts_is_seen),
        cmocka_unit_test(the_map_is_read_from_its_kept_copy_while_it_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
