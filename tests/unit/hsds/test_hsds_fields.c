/* Tests for hsds_fields: a service record's members copied out for its
 * import read as the importer read them from the tree (a string or NULL,
 * a coordinate's kind), and each nested term's stored text equal to the
 * term written out with its null members left out, whether read out of
 * the service's dump or written out again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_canon.h"
#include "core/json_span.h"
#include "hsds/hsds_fields.h"
#include "hsds/hsds_prepare.h"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, 0, &e);
    assert_non_null(v);
    return v;
}

/* hsds_fields_of as hsds_prepare calls it: with the dump's members when
 * spans is true. */
struct made {
    arena a;
    char *dump;
    hsds_fields f;
};

static hsds_fields *make(struct made *m, json_t *svc, bool spans)
{
    arena_init(&m->a);
    m->dump = hsds_prepare_dump(svc);
    json_member top[256];
    int n = json_span_members((json_span){m->dump, strlen(m->dump)}, top, 256);
    assert_true(n > 0);
    hsds_fields_of(&m->f, &m->a, svc, spans ? top : NULL, n);
    return &m->f;
}

static void unmake(struct made *m)
{
    free(m->dump);
    arena_free(&m->a);
}

/* The stored text of term t as the importer made it before this module
 * (the test's oracle, so written out here again on purpose): a copy with
 * the null members removed, written out. */
static char *clean_text(json_t *t)
{
    json_t *c = json_copy(t);
    const char *key;
    void *tmp;
    json_t *v;
    json_object_foreach_safe(c, tmp, key, v)
    {
        if (json_is_null(v))
            json_object_del(c, key);
    }
    char *text = json_canon(c);
    json_decref(c);
    return text;
}

static const char *const RECORD =
    "{\"description\":\"Free \\n kits\",\"alternate_name\":null,\"id\":\"s-1\",\"name\":\"Naloxone \\u00e9 \\\"kit\\\"\",\"status\":\"active\",\"organization_id\":\"o-1\","
    "\"organization\":{\"id\":\"o-1\",\"name\":\"Org\"},"
    "\"metadata\":[{\"updated_by\":\"x\"},{\"updated_by\":\"staff\",\"last_action_date\":\"2026-01-02\"},"
    "{\"updated_by\":\"later\",\"last_action_date\":\"2026-03-04\"}],"
    "\"service_at_locations\":[{\"id\":\"sal-1\",\"location\":{\"id\":\"l-1\",\"name\":\"Here\",\"latitude\":40.5,"
    "\"longitude\":\"west\",\"addresses\":[{\"postal_code\":\"10001\"},{\"postal_code\":\"99999\"}]}},"
    "{\"id\":7,\"location_id\":\"l-2\"},\"not an object\",{\"id\":\"sal-4\",\"location\":{\"id\":\"l-4\","
    "\"latitude\":null}}],"
    "\"attributes\":[{\"taxonomy_term\":{\"id\":\"t-1\",\"name\":\"One\",\"code\":\"c1\",\"taxonomy\":\"W\","
    "\"taxonomy_id\":\"tax\",\"parent_id\":null,\"z\":[1,{\"b\":2,\"a\":\"\\u00fc\"}]}},"
    "{\"taxonomy_term_id\":\"t-2\"},{\"taxonomy_term\":\"t-3\",\"taxonomy_term_id\":\"t-3\"},"
    "{\"taxonomy_term\":{\"id\":\"t-4\",\"name\":\"Four\",\"code\":\"c4\"}}]}";

static void reads_each_member_as_the_tree_gives_it(void **state)
{
    (void)state;
    json_t *svc = parse(RECORD);
    for (int spans = 0; spans < 2; spans++) {
        struct made m;
        const hsds_fields f = *make(&m, svc, spans);
        assert_string_equal(f.id, "s-1");
        assert_string_equal(f.name, json_string_value(json_object_get(svc, "name")));
        assert_string_equal(f.status, "active");
        assert_string_equal(f.description, "Free \n kits");
        assert_null(f.alternate_name);
        assert_string_equal(f.organization_id, "o-1");
        assert_ptr_equal(f.org, json_object_get(svc, "organization"));
        assert_string_equal(f.org_id, "o-1");
        assert_string_equal(f.org_name, "Org");
        /* the first metadata entry with both who and when */
        assert_string_equal(f.source, "staff");
        assert_string_equal(f.source_date, "2026-01-02");
        assert_false(f.sals_not_list);
        assert_false(f.attrs_not_list);
        assert_int_equal(f.nsals, 4);
        assert_string_equal(f.sals[0].id, "sal-1");
        assert_null(f.sals[0].location_id);
        assert_non_null(f.sals[0].location);
        assert_string_equal(f.sals[0].loc_id, "l-1");
        assert_string_equal(f.sals[0].loc_name, "Here");
        assert_string_equal(f.sals[0].postal, "10001");
        assert_int_equal(f.sals[0].lat_kind, HSDS_COORD_NUMBER);
        assert_true(f.sals[0].lat == 40.5);
        assert_int_equal(f.sals[0].lon_kind, HSDS_COORD_OTHER);
        /* an id that is not a string reads as missing */
        assert_null(f.sals[1].id);
        assert_string_equal(f.sals[1].location_id, "l-2");
        assert_null(f.sals[1].location);
        assert_null(f.sals[1].loc_id);
        /* an entry that is not an object has no members */
        assert_null(f.sals[2].id);
        assert_null(f.sals[2].location);
        assert_int_equal(f.sals[3].lat_kind, HSDS_COORD_NULL);
        assert_int_equal(f.sals[3].lon_kind, HSDS_COORD_ABSENT);
        assert_null(f.sals[3].loc_name);
        assert_null(f.sals[3].postal);
        assert_int_equal(f.nattrs, 4);
        assert_true(f.attrs[0].has_term);
        assert_string_equal(f.attrs[0].term.id, "t-1");
        assert_string_equal(f.attrs[0].term.code, "c1");
        assert_null(f.attrs[0].term.parent_id);
        assert_false(f.attrs[1].has_term);
        assert_string_equal(f.attrs[1].term_id, "t-2");
        /* a taxonomy_term that is not an object is not a term */
        assert_false(f.attrs[2].has_term);
        assert_string_equal(f.attrs[2].term_id, "t-3");
        assert_true(f.attrs[3].has_term);
        assert_null(f.attrs[3].term.taxonomy);
        for (size_t i = 0; i < f.nattrs; i++) {
            if (!f.attrs[i].has_term)
                continue;
            char *want = clean_text(json_object_get(json_array_get(json_object_get(svc, "attributes"), i), "taxonomy_term"));
            assert_string_equal(f.attrs[i].term.text, want);
            free(want);
        }
        unmake(&m);
    }
    json_decref(svc);
}

static void lists_that_are_not_lists_are_said_so(void **state)
{
    (void)state;
    json_t *svc = parse("{\"id\":\"s\",\"name\":5,\"service_at_locations\":{},\"attributes\":\"x\",\"organization\":[1],"
                        "\"metadata\":{\"updated_by\":\"a\",\"last_action_date\":\"b\"}}");
    struct made m;
    const hsds_fields f = *make(&m, svc, true);
    assert_null(f.name);
    assert_null(f.status);
    assert_true(f.sals_not_list);
    assert_true(f.attrs_not_list);
    assert_int_equal(f.nsals, 0);
    assert_int_equal(f.nattrs, 0);
    assert_null(f.org);
    assert_null(f.org_id);
    /* metadata that is not a list says nothing */
    assert_string_equal(f.source, "");
    assert_string_equal(f.source_date, "");
    unmake(&m);
    json_decref(svc);
}

/* A list of HSDS_FIELDS_MAX_LIST entries is read; one more is said to be
 * too long and read as empty. */
static void lists_past_the_limit_are_said_so(void **state)
{
    (void)state;
    for (size_t n = HSDS_FIELDS_MAX_LIST; n <= HSDS_FIELDS_MAX_LIST + 1; n++) {
        json_t *svc = json_object(), *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_null());
        json_object_set_new(svc, "attributes", list);
        json_object_set_new(svc, "service_at_locations", json_deep_copy(list));
        arena a;
        arena_init(&a);
        hsds_fields f;
        hsds_fields_of(&f, &a, svc, NULL, 0);
        bool over = n > HSDS_FIELDS_MAX_LIST;
        assert_int_equal(f.attrs_too_long, over);
        assert_int_equal(f.sals_too_long, over);
        assert_int_equal(f.nattrs, over ? 0 : n);
        assert_int_equal(f.nsals, over ? 0 : n);
        assert_false(f.attrs_not_list);
        arena_free(&a);
        json_decref(svc);
    }
}

/* Terms of every shape the stored text could differ on: nulls at the top
 * and deeper (only the top ones go), escapes, numbers, empty objects. */
static void a_terms_text_is_its_clean_dump(void **state)
{
    (void)state;
    static const char *const terms[] = {
        "{\"id\":\"a\",\"name\":\"A\"}",
        "{\"name\":\"A\",\"id\":\"a\",\"parent_id\":null}",
        "{\"id\":\"a\",\"x\":{\"y\":null},\"n\":1.5e300,\"i\":-0,\"s\":\"\\ud83d\\ude00\\n\\/\"}",
        "{\"id\":\"a\",\"e\":{},\"l\":[],\"nn\":[null]}",
        "{}",
    };
    for (size_t k = 0; k < sizeof(terms) / sizeof(terms[0]); k++) {
        char text[512];
        snprintf(text, sizeof text, "{\"id\":\"s\",\"attributes\":[{\"taxonomy_term\":%s}]}", terms[k]);
        json_t *svc = parse(text);
        char *want = clean_text(json_object_get(json_array_get(json_object_get(svc, "attributes"), 0), "taxonomy_term"));
        for (int spans = 0; spans < 2; spans++) {
            struct made m;
            const hsds_fields *f = make(&m, svc, spans);
            assert_int_equal(f->nattrs, 1);
            assert_true(f->attrs[0].has_term);
            assert_string_equal(f->attrs[0].term.text, want);
            unmake(&m);
        }
        free(want);
        json_decref(svc);
    }
}

static void a_taxonomy_files_term_reads_the_same(void **state)
{
    (void)state;
    json_t *t = parse("{\"id\":\"t\",\"name\":\"N\",\"code\":\"c\",\"taxonomy\":\"W\",\"taxonomy_id\":\"x\","
                      "\"parent_id\":\"p\",\"more\":null}");
    arena a;
    arena_init(&a);
    hsds_term_fields f;
    hsds_term_fields_of(&f, &a, t);
    assert_string_equal(f.id, "t");
    assert_string_equal(f.parent_id, "p");
    assert_string_equal(f.text, "{\"code\":\"c\",\"id\":\"t\",\"name\":\"N\",\"parent_id\":\"p\",\"taxonomy\":\"W\",\"taxonomy_id\":\"x\"}");
    /* not an object: nothing, and no text */
    json_t *s = json_string("t");
    hsds_term_fields_of(&f, &a, s);
    assert_null(f.id);
    assert_null(f.text);
    json_decref(s);
    json_decref(t);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_each_member_as_the_tree_gives_it),
        cmocka_unit_test(lists_that_are_not_lists_are_said_so),
        cmocka_unit_test(lists_past_the_limit_are_said_so),
        cmocka_unit_test(a_terms_text_is_its_clean_dump),
        cmocka_unit_test(a_taxonomy_files_term_reads_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
