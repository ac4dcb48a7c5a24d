/* test_locator_api: the HSDS API's handlers answer 404 only for an id
 * that does not exist and 500 whenever the database cannot answer, also
 * where a filter names a taxonomy or a term (which used to be a 400
 * "there is no such taxonomy" on a database error).
 *
 * Three databases: a migrated, empty one (every id is unknown), a file with
 * no tables (every statement fails to prepare), and a path that cannot be
 * opened (no connection at all). The handlers run with the real route rows
 * from routes.c, their query parsed and checked against the row's spec,
 * through the per-thread connection (db_thread), as the server runs them. */
#include "db/db.h"
#include "http/http.h"
#include "routes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

/* Reads of one thing by id. */
static const char *const by_id[] = {"api_service", "api_organization", "api_service_at_location", "api_taxonomy",
                                    "api_taxonomy_term"};
#define NBY_ID (sizeof(by_id) / sizeof(by_id[0]))

static const route *route_named(const char *name)
{
    for (int i = 0; i < routes_count; i++)
        if (!strcmp(routes[i].name, name))
            return &routes[i];
    fail_msg("no route named %s", name);
    return NULL;
}

/* Runs the route's handler for id (may be NULL) and query; returns the
 * status, with the start of the body in body. */
static int call(const char *name, const char *id, const char *query, char *body, size_t bodylen)
{
    const route *r = route_named(name);
    request rq;
    response rs;
    memset(&rq, 0, sizeof(rq));
    memset(&rs, 0, sizeof(rs));
    arena_init(&rq.a);
    buf_init(&rs.body, 0);
    rq.route = r;
    rq.method = M_GET;
    rq.path = "/api/v1/x";
    rq.raw_query = query;
    if (id) {
        rq.route_keys[0] = "id";
        rq.route_values[0] = id;
        rq.nroute = 1;
    }
    const char *why = NULL, *key = NULL;
    char msg[256];
    assert_int_equal(params_parse_query(&rq.a, query, strlen(query), r->params, &rq.query, &why), PARAMS_OK);
    assert_true(params_check(&rq.query, r->params, &key, msg, sizeof(msg)));
    r->handler(&rq, &rs);
    snprintf(body, bodylen, "%s", buf_cstr(&rs.body));
    buf_free(&rs.body);
    arena_free(&rq.a);
    return rs.status;
}

/* Removes a database file with its -wal and -shm files. */
static void remove_db(const char *path)
{
    char side[80];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static void use_path(const char *path)
{
    db_close_all();
    db_set_path(path);
}

static void expect(int want, const char *name, const char *id, const char *query, const char *text)
{
    char body[512];
    int st = call(name, id, query, body, sizeof(body));
    if (st != want)
        fail_msg("%s %s?%s: %d, not %d: %s", name, id ? id : "", query, st, want, body);
    assert_contains(body, text);
}

static void test_unknown_id_is_404(void **state)
{
    (void)state;
    char path[64];
    sqlite3 *db = wp_temp_db(path);
    db_close(db);
    use_path(path);
    for (size_t i = 0; i < NBY_ID; i++)
        expect(404, by_id[i], "no-such-id", "", "\"status\":404");
    /* an unknown taxonomy or term in a filter is the client's mistake */
    expect(400, "api_services", NULL, "taxonomy_id=no-such-taxonomy", "\"parameter\":\"taxonomy_id\"");
    expect(400, "api_services", NULL, "taxonomy_term_id=no-such-term", "\"parameter\":\"taxonomy_term_id\"");
    db_close_all();
    remove_db(path);
}

static void test_database_error_is_500(void **state)
{
    (void)state;
    char path[64] = "/tmp/wp_test_api_XXXXXX";
    int fd = mkstemp(path); /* an empty file: a database without tables */
    assert_true(fd >= 0);
    close(fd);
    use_path(path);
    for (size_t i = 0; i < NBY_ID; i++)
        expect(500, by_id[i], "no-such-id", "", "could not be read");
    expect(500, "api_services", NULL, "taxonomy_id=x", "could not be read");
    expect(500, "api_services", NULL, "taxonomy_term_id=x", "could not be read");
    expect(500, "api_service_at_locations", NULL, "taxonomy_term_id=x", "could not be read");
    db_close_all();
    remove_db(path);
}

static void test_no_connection_is_500(void **state)
{
    (void)state;
    use_path("/nonexistent-folder-for-waypost-tests/x.db");
    for (size_t i = 0; i < NBY_ID; i++)
        expect(500, by_id[i], "no-such-id", "", "\"status\":500");
    db_close_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_id_is_404),
        cmocka_unit_test(test_database_error_is_500),
        cmocka_unit_test(test_no_connection_is_500),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
