/* Tests for json_load: whatever json_load_fast_only takes, jansson's
 * json_loadb (JSON_REJECT_DUPLICATES) takes too, giving the same tree
 * (types, values, key order); checked on every JSON document the project
 * carries (all of which it must take itself), on generated values
 * written out in several styles, on those texts mutated at random, and
 * on the edge cases of jansson's grammar. json_load_fast answers as
 * jansson does where it hands over. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_load.h"
#include "core/util.h"
#include "wp_json_gen.h"

#define JANSSON_FLAGS JSON_REJECT_DUPLICATES
#define DUMP_FLAGS (JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(17))

static long taken, refused;

/* The same value, kind for kind and key order for key order. */
static void assert_same_tree(const json_t *a, const json_t *b)
{
    assert_true(json_equal(a, b));
    char *x = json_dumps(a, DUMP_FLAGS), *y = json_dumps(b, DUMP_FLAGS);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

/* Whatever the fast parser takes, jansson takes the same; returns
 * whether it took the text. */
static bool agrees(const char *text, size_t len)
{
    json_t *fast = json_load_fast_only(text, len), *ref = json_loadb(text, len, JANSSON_FLAGS, NULL);
    if (fast) {
        assert_non_null(ref);
        assert_same_tree(fast, ref);
        taken++;
    } else {
        refused++;
    }
    json_decref(fast);
    json_decref(ref);
    return fast != NULL;
}

/* One document or NDJSON line: whatever jansson parses, the fast
 * parser takes too. */
static void each_document(const char *path, const char *text, size_t n)
{
    json_t *ref = json_loadb(text, n, JANSSON_FLAGS, NULL);
    if (ref && !agrees(text, n))
        fail_msg("%s: jansson parses it, the fast parser did not", path);
    json_decref(ref);
}

static void takes_every_project_document(void **state)
{
    (void)state;
    taken = refused = 0;
    assert_true(wp_json_each_document(each_document));
    assert_true(taken >= 100);
    assert_int_equal(refused, 0);
}

/* A generated value inside an array, written in one of four styles. */
static char *generated_text(void)
{
    static const size_t styles[] = {JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII, JSON_INDENT(1) | JSON_ENSURE_ASCII};
    json_t *a = json_array();
    json_array_append_new(a, value(0));
    char *text = json_dumps(a, styles[next() % 4] | JSON_REAL_PRECISION(17));
    json_decref(a);
    assert_non_null(text);
    return text;
}

static void same_on_generated_texts(void **state)
{
    (void)state;
    taken = refused = 0;
    for (int i = 0; i < 20000; i++) {
        char *text = generated_text();
        assert_true(agrees(text, strlen(text)));
        free(text);
    }
    assert_int_equal(taken, 20000);
}

/* Bytes a mutation puts in: the grammar's own and the edges of UTF-8. */
static const char MUTANTS[] = "\"\\u0-.eE+{}[],: \t\n1x9Dd8Ff\x00\x01\x1f\x7f\x80\xbf\xc0\xc2\xdf\xe0\xed\xef\xf0\xf4\xf5\xff";

static void mutate(char *text, size_t *len)
{
    for (int k = 1 + (int)(next() % 3); k > 0 && *len > 1; k--) {
        size_t at = next() % *len;
        char c = MUTANTS[next() % (sizeof(MUTANTS) - 1)];
        switch (next() % 3) {
        case 0:
            text[at] = c;
            break;
        case 1:
            memmove(text + at, text + at + 1, *len - at - 1);
            (*len)--;
            break;
        default:
            memmove(text + at + 1, text + at, *len - at);
            text[at] = c;
            (*len)++;
        }
    }
}

static void never_takes_more_than_jansson_on_mutations(void **state)
{
    (void)state;
    taken = refused = 0;
    for (int i = 0; i < 40000; i++) {
        char *text = generated_text();
        size_t len = strlen(text);
        char *room = malloc(len + 8);
        memcpy(room, text, len);
        mutate(room, &len);
        agrees(room, len);
        free(room);
        free(text);
    }
    /* both kinds of answer were met many times */
    assert_true(taken > 1000);
    assert_true(refused > 1000);
}

struct edge {
    const char *text;
    size_t len;        /* 0: strlen */
    bool fast_takes;   /* the fast parser takes it */
    bool jansson_takes;
};

static const struct edge EDGES[] = {
    {"{\"a\":1,\"b\":[true,false,null],\"c\":\"x\"}", 0, true, true},
    {"  [1]  \n", 0, true, true},
    {"[-0]", 0, true, true},
    {"[0.5e+3, 1E-2, -1.25e2]", 0, true, true},
    {"[1e-400]", 0, true, true},
    {"[9223372036854775807, -9223372036854775808]", 0, true, true},
    {"[\"\\ud83d\\ude00 \\u00e9 \\/ \\b\\f\\n\\r\\t \\\" \\\\\"]", 0, true, true},
    {"{\"\\u00e9\\u0301\":{\"\\u00e9\":[\"\\u2192\"]}}", 0, true, true},
    {"[\"\x7f\"]", 0, true, true},
    {"[\"\xf4\x8f\xbf\xbf\"]", 0, true, true},
    {"{\"a\":1,\"a\":2}", 0, false, false},
    {"{\"\\u0061\":1,\"a\":2}", 0, false, false},
    {"[1e400]", 0, false, false},
    {"[9223372036854775808]", 0, false, false},
    {"[\"\\u0000\"]", 0, false, false},
    {"{\"\\u0000\":1}", 0, false, false},
    {"[\"\\ud83d\"]", 0, false, false},
    {"[\"\\ude00\"]", 0, false, false},
    {"[\"\\ud83d\\u0041\"]", 0, false, false},
    {"[\"\\x\"]", 0, false, false},
    {"[\"\\u12G4\"]", 0, false, false},
    {"[01]", 0, false, false},
    {"[1.]", 0, false, false},
    {"[.5]", 0, false, false},
    {"[1e]", 0, false, false},
    {"[-]", 0, false, false},
    {"[+1]", 0, false, false},
    {"[1,]", 0, false, false},
    {"[,1]", 0, false, false},
    {"{\"a\" 1}", 0, false, false},
    {"{\"a\":1,}", 0, false, false},
    {"{1:2}", 0, false, false},
    {"[true1]", 0, false, false},
    {"[truex]", 0, false, false},
    {"[nul]", 0, false, false},
    {"[1] x", 0, false, false},
    {"[1][2]", 0, false, false},
    {"1", 0, false, false},
    {"\"a\"", 0, false, false},
    {"", 0, false, false},
    {"   ", 0, false, false},
    {"[", 0, false, false},
    {"[\"a", 0, false, false},
    {"[\"\x01\"]", 0, false, false},
    {"[\"\t\"]", 0, false, false},
    {"[\"\xc0\x80\"]", 0, false, false},
    {"[\"\xc1\xbf\"]", 0, false, false},
    {"[\"\xe0\x9f\xbf\"]", 0, false, false},
    {"[\"\xed\xa0\x80\"]", 0, false, false},
    {"[\"\xf4\x90\x80\x80\"]", 0, false, false},
    {"[\"\xf5\x80\x80\x80\"]", 0, false, false},
    {"[\"\xe9\"]", 0, false, false},
    {"[\"\x80\"]", 0, false, false},
    {"[\xef\xbb\xbf]", 0, false, false},
    {"[\"a\0b\"]", 7, false, false},
    {"[1]\0", 4, false, false},
};

static void follows_the_grammar_at_its_edges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(EDGES) / sizeof(EDGES[0]); i++) {
        const struct edge *e = &EDGES[i];
        size_t len = e->len ? e->len : strlen(e->text);
        json_t *ref = json_loadb(e->text, len, JANSSON_FLAGS, NULL);
        if ((ref != NULL) != e->jansson_takes)
            fail_msg("edge %zu (%s): jansson %s it", i, e->text, ref ? "takes" : "refuses");
        json_decref(ref);
        taken = 0;
        if (agrees(e->text, len) != e->fast_takes)
            fail_msg("edge %zu (%s): the fast parser %s it", i, e->text, e->fast_takes ? "refuses" : "takes");
    }
}

/* A string with escapes far longer than the decoding buffer starts
 * with: it grows as the string is decoded. */
static void decodes_long_escaped_strings(void **state)
{
    (void)state;
    size_t reps = 5000, len = 0;
    char *text = malloc(reps * 19 + 32);
    static const char head[] = "{\"k\\t\":[\"";
    memcpy(text, head, sizeof(head) - 1);
    len += sizeof(head) - 1;
    for (size_t i = 0; i < reps; i++) {
        memcpy(text + len, "a\\u00e9\\ud83d\\ude00", 19);
        len += 19;
    }
    memcpy(text + len, "\"]}", 3);
    len += 3;
    taken = 0;
    assert_true(agrees(text, len));
    json_t *v = json_load_fast_only(text, len);
    assert_int_equal(json_string_length(json_array_get(json_object_get(v, "k\t"), 0)), reps * 7);
    json_decref(v);
    free(text);
}

/* Where it hands over, json_load_fast gives jansson's answer: its tree
 * (nesting past 512, a number of 64 characters or more) or its error. */
static void hands_over_to_jansson(void **state)
{
    (void)state;
    char deep[2 * 600 + 1];
    memset(deep, '[', 600);
    memset(deep + 600, ']', 600);
    char longnum[96];
    snprintf(longnum, sizeof longnum, "[1.%070d]", 5);
    const char *taken_by_jansson[] = {deep, longnum};
    deep[1200] = '\0';
    for (int i = 0; i < 2; i++) {
        const char *t = taken_by_jansson[i];
        assert_null(json_load_fast_only(t, strlen(t)));
        json_error_t err;
        json_t *v = json_load_fast(t, strlen(t), &err), *ref = json_loadb(t, strlen(t), JANSSON_FLAGS, NULL);
        assert_non_null(v);
        assert_same_tree(v, ref);
        json_decref(v);
        json_decref(ref);
    }
    const char *bad = "{\"a\":1,\n \"a\":2}";
    json_error_t mine, theirs;
    assert_null(json_load_fast(bad, strlen(bad), &mine));
    assert_null(json_loadb(bad, strlen(bad), JANSSON_FLAGS, &theirs));
    assert_string_equal(mine.text, theirs.text);
    assert_int_equal(mine.line, theirs.line);
    assert_int_equal(mine.column, theirs.column);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(takes_every_project_document),
        cmocka_unit_test(same_on_generated_texts),
        cmocka_unit_test(never_takes_more_than_jansson_on_mutations),
        cmocka_unit_test(follows_the_grammar_at_its_edges),
        cmocka_unit_test(decodes_long_escaped_strings),
        cmocka_unit_test(hands_over_to_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
