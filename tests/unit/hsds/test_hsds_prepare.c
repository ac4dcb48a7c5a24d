/* test_hsds_prepare: an import's records made ahead of the writes
 * (src/hsds/hsds_prepare.c): the reader thread hands every record over in
 * file order with its line, a parse error is the last record, stopping
 * early frees what was read ahead, and a prepared record's texts are the
 * ones the importer would make itself (read out of the service's dump, they
 * are the bytes of dumping each part: tricky records and the bundled ones). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "hsds/hsds_prepare.h"
#include "db/doc_zip.h"
#include "hsds/hsds_sal.h"

#define REC(id)                                                                                                    \
    "{\"name\":\"S " id "\",\"id\":\"" id "\",\"organization\":{\"name\":\"Org\",\"id\":\"org-1\"},"              \
    "\"service_at_locations\":[{\"id\":\"sal-" id "\",\"location\":{\"longitude\":-73.9,\"id\":\"loc-" id        \
    "\",\"latitude\":40.7}}]}"

/* n records, a blank line after every seventh, CRLF endings on the odd ones */
static void records(buf *b, int n)
{
    for (int i = 1; i <= n; i++) {
        char rec[400];
        snprintf(rec, sizeof(rec),
                 "{\"id\":\"r%d\",\"name\":\"S %d\",\"organization\":{\"id\":\"org-1\",\"name\":\"Org\"}}%s%s", i, i,
                 i % 2 ? "\r\n" : "\n", i % 7 ? "" : "  \n");
        assert_true(buf_puts(b, rec));
    }
}

static void records_come_in_order_with_their_lines(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    records(&b, 500);
    hsds_pipe *pp = hsds_pipe_start(b.data, b.len);
    assert_non_null(pp);
    hsds_prepared p;
    int seen = 0;
    long line = 0;
    while (hsds_pipe_next(pp, &p)) {
        seen++;
        char want[16];
        snprintf(want, sizeof(want), "r%d", seen);
        assert_non_null(p.svc);
        assert_string_equal(json_string_value(json_object_get(p.svc, "id")), want);
        /* the members the writer reads, copied out by the reader */
        assert_string_equal(p.f.id, want);
        assert_string_equal(p.f.org_id, "org-1");
        assert_ptr_not_equal(p.f.id, json_string_value(json_object_get(p.svc, "id")));
        /* one blank line after every seventh record */
        assert_int_equal(p.line, seen + (seen - 1) / 7);
        assert_true(p.line > line);
        line = p.line;
        hsds_prepared_free(&p);
    }
    assert_int_equal(seen, 500);
    hsds_pipe_stop(pp);
    buf_free(&b);
}

/* Records given back (hsds_pipe_done) are freed by the reader, or here
 * when it has no room or has finished; stopping part way frees the rest.
 * Nothing may leak or be freed twice (ASan's checks), whether the writer
 * gives records back faster or slower than the reader makes them. */
static void records_given_back_are_freed_once(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    records(&b, 3000);
    for (int stop_at = 100; stop_at <= 3000; stop_at += 2900) {
        hsds_pipe *pp = hsds_pipe_start(b.data, b.len);
        assert_non_null(pp);
        hsds_prepared p;
        int seen = 0;
        while (seen < stop_at && hsds_pipe_next(pp, &p)) {
            seen++;
            char want[16];
            snprintf(want, sizeof(want), "r%d", seen);
            assert_string_equal(json_string_value(json_object_get(p.svc, "id")), want);
            hsds_pipe_done(pp, &p);
            assert_null(p.svc); /* taken */
        }
        assert_int_equal(seen, stop_at);
        hsds_pipe_stop(pp);
    }
    buf_free(&b);
}

static void a_parse_error_is_the_last_record(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    records(&b, 100);
    assert_true(buf_puts(&b, "{\"id\": \"broken\",\n"));
    records(&b, 5);
    hsds_pipe *pp = hsds_pipe_start(b.data, b.len);
    hsds_prepared p;
    int seen = 0;
    bool broken = false;
    while (hsds_pipe_next(pp, &p)) {
        seen++;
        if (!p.svc) {
            broken = true;
            assert_int_equal(p.line, 115); /* 100 records, 14 blank lines */
            assert_non_null(strstr(p.err, "line 115, column"));
        }
        hsds_prepared_free(&p);
    }
    assert_true(broken);
    assert_int_equal(seen, 101);
    hsds_pipe_stop(pp);
    buf_free(&b);
}

/* The writer stops after three records (a bad record): what the reader
 * made ahead is freed (ASan reports a leak otherwise) and it stops. */
static void stopping_early_frees_what_was_read_ahead(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    records(&b, 2000);
    for (int round = 0; round < 20; round++) {
        hsds_pipe *pp = hsds_pipe_start(b.data, b.len);
        hsds_prepared p;
        for (int i = 0; i < 3 && hsds_pipe_next(pp, &p); i++)
            hsds_prepared_free(&p);
        hsds_pipe_stop(pp);
    }
    hsds_pipe *pp = hsds_pipe_start("", 0);
    hsds_prepared p;
    assert_false(hsds_pipe_next(pp, &p));
    hsds_pipe_stop(pp);
    buf_free(&b);
}

static void prepared_texts_are_the_importers(void **state)
{
    (void)state;
    const char *text = REC("a1");
    json_t *svc = json_loads(text, 0, NULL);
    assert_non_null(svc);
    hsds_prepared p;
    hsds_prepare(&p, json_incref(svc), 4);
    assert_int_equal(p.line, 4);
    char *raw = hsds_prepare_dump(svc);
    assert_string_equal(p.raw, raw);
    assert_non_null(strstr(raw, "{\"id\":\"a1\",\"name\":\"S a1\",\"organization\""));
    size_t len = 0;
    char *back = doc_unzip(p.stored.data, p.stored.len, &len);
    assert_non_null(back);
    assert_string_equal(back, raw);
    free(back);
    assert_string_equal(p.org_raw, "{\"id\":\"org-1\",\"name\":\"Org\"}");
    assert_int_equal(p.nsals, 1);
    assert_string_equal(p.loc_raw[0], "{\"id\":\"loc-a1\",\"latitude\":40.700000000000003,\"longitude\":-73.900000000000006}");
    json_t *sal = json_array_get(json_object_get(svc, "service_at_locations"), 0);
    char *brief = hsds_sal_brief_of(svc, sal, "sal-a1", "a1", "loc-a1", json_object_get(sal, "location"));
    assert_string_equal(p.brief[0], brief);
    free(brief);
    free(raw);
    hsds_prepared_free(&p);
    json_decref(svc);
}

/* What hsds_prepare reads out of the service's dump (json_span.h) must be
 * what dumping the parsed parts gives: the organization, each location
 * and each brief (hsds_sal_brief_of), byte for byte. */
static void check_spans_match_dumps(const char *text)
{
    json_t *svc = json_loads(text, JSON_ALLOW_NUL, NULL); /* the importer refuses a NUL; the guard is tried here */
    if (!svc)
        fail_msg("does not parse: %s", text);
    hsds_prepared p;
    hsds_prepare(&p, json_incref(svc), 1);
    json_t *org = json_object_get(svc, "organization");
    if (json_is_object(org)) {
        char *want = hsds_prepare_dump(org);
        assert_string_equal(p.org_raw, want);
        free(want);
    } else {
        assert_null(p.org_raw);
    }
    json_t *sals = json_object_get(svc, "service_at_locations");
    for (size_t i = 0; i < p.nsals; i++) {
        json_t *sal = json_array_get(sals, i), *loc = json_object_get(sal, "location");
        char *want = json_is_object(loc) ? hsds_prepare_dump(loc) : NULL;
        if (want)
            assert_string_equal(p.loc_raw[i], want);
        else
            assert_null(p.loc_raw[i]);
        free(want);
        if (p.brief[i]) {
            const char *sid = json_string_value(json_object_get(svc, "id"));
            want = hsds_sal_brief_of(svc, sal, json_string_value(json_object_get(sal, "id")), sid,
                                     json_string_value(json_object_get(loc, "id")), loc);
            assert_string_equal(p.brief[i], want);
            free(want);
        }
    }
    hsds_prepared_free(&p);
    json_decref(svc);
}

static void spans_give_the_bytes_of_the_dumps(void **state)
{
    (void)state;
    check_spans_match_dumps(REC("b1"));
    /* a listing's own fields (sorted among the skipped ones), nested
     * objects, arrays left out, escapes in strings and keys, non-ASCII,
     * numbers of every kind, and a listing without a location */
    check_spans_match_dumps(
        "{\"zeta\":{\"a\":[1,{\"b\":\"}]\"}]},\"id\":\"s\\\"1\",\"name\":\"Caf\\u00e9 \\\\ {x}\",\"emp\":{},"
        "\"n\":-1.5e300,\"t\":true,\"nul\":null,\"k\\u00e9y\":\"v\",\"organization\":{\"id\":\"o\",\"name\":\"O\","
        "\"x\":[]},\"phones\":[{\"id\":\"p\"}],\"service_at_locations\":[{\"description\":\"d,\\\"q\\\"\","
        "\"schedules\":[],\"id\":\"sal\\/1\",\"aa\":{\"deep\":{\"er\":1}},\"location\":{\"id\":\"l1\",\"latitude\":1,"
        "\"longitude\":2.25,\"addresses\":[{\"city\":\"[x]\"}]},\"zz\":0},{\"id\":\"sal2\",\"location_id\":\"l9\"},"
        "{\"id\":\"sal3\",\"location\":{\"id\":\"l3\"},\"service_id\":\"other\",\"location_id\":\"l3\"}]}");
    /* ids that are not strings, or hold a NUL: the parsed record decides */
    check_spans_match_dumps("{\"id\":\"s2\",\"name\":\"N\",\"service_at_locations\":[{\"id\":7,\"location\":"
                            "{\"id\":\"l\"}},{\"id\":\"a\\u0000b\",\"location\":{\"id\":\"m\"}}]}");
    check_spans_match_dumps("{\"id\":\"s3\",\"name\":\"N\",\"organization\":\"not an object\","
                            "\"service_at_locations\":[{\"id\":\"x\",\"location\":{\"id\":\"l\\u0000\"}}]}");
    /* the bundled records */
    const char *files[] = {"data/directory/examples-harm-reduction.ndjson", "data/directory/mail-based-supplies.ndjson"};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        FILE *in = fopen(files[f], "r");
        assert_non_null(in);
        char *line = NULL;
        size_t cap = 0;
        int n = 0;
        while (getline(&line, &cap, in) > 1) {
            check_spans_match_dumps(line);
            n++;
        }
        assert_true(n > 5);
        free(line);
        fclose(in);
    }
}

/* Two listings at one location: neither can be cached from the record (the
 * stored location is the last one written), so neither has a brief. */
static void shared_locations_are_left_to_the_refresh(void **state)
{
    (void)state;
    json_t *svc = json_loads("{\"id\":\"s\",\"name\":\"S\",\"service_at_locations\":["
                             "{\"id\":\"x1\",\"location\":{\"id\":\"L\"}},{\"id\":\"x2\",\"location\":{\"id\":\"L\"}},"
                             "{\"id\":\"x3\",\"location_id\":\"M\"},{\"id\":\"x4\",\"location\":{\"id\":\"N\"}}]}",
                             0, NULL);
    assert_non_null(svc);
    hsds_prepared p;
    hsds_prepare(&p, svc, 1);
    assert_int_equal(p.nsals, 4);
    assert_null(p.brief[0]);
    assert_null(p.brief[1]);
    assert_null(p.brief[2]);
    assert_null(p.loc_raw[2]);
    assert_non_null(p.brief[3]);
    assert_non_null(p.loc_raw[0]);
    hsds_prepared_free(&p);
    hsds_prepared q;
    hsds_prepare(&q, json_string("not an object"), 2);
    assert_null(q.raw);
    assert_int_equal(q.nsals, 0);
    hsds_prepared_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_come_in_order_with_their_lines),
        cmocka_unit_test(records_given_back_are_freed_once),
        cmocka_unit_test(a_parse_error_is_the_last_record),
        cmocka_unit_test(stopping_early_frees_what_was_read_ahead),
        cmocka_unit_test(prepared_texts_are_the_importers),
        cmocka_unit_test(spans_give_the_bytes_of_the_dumps),
        cmocka_unit_test(shared_locations_are_left_to_the_refresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
