/* test_matrix: the interaction matrix behind /combos. The shipped folder
 * data/interactions/ loads (so it is complete, symmetric and sourced:
 * matrix_load refuses anything else), its groups mark the substances that
 * slow breathing, every name and alias resolves to exactly one substance,
 * and crafted folders with a missing pair, a pair in the wrong file, a
 * duplicate pair, an unsourced risky cell, an unknown source, level or
 * substance, an ambiguous alias, an unlisted substance file or an unknown
 * placeholder, a missing "self" cell or a note on a name that is not an
 * alias are refused with the file and the culprit named; two names of one
 * substance or class get its "self" cell; a look-alike alias carries its
 * note; and the texts say the site's emergency number, never a fixed 911.
 * Names in any language: accents and case fold on both sides ("cocaina",
 * "Cocaína" and "COCAÍNA" find the alias "cocaína"), aliases that differ
 * only in accents are one name for the uniqueness check, and the texts
 * come translated by their English (with {{emergency_number}}) as msgid,
 * the number filled in after translating. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "substances/combos.h"
#include "substances/matrix.h"
#include "wp_test.h"

static matrix *shipped(void)
{
    matrix *m = NULL;
    char err[512] = "";
    if (!matrix_load("data/interactions", "911", &m, err, sizeof(err)))
        fail_msg("%s", err);
    return m;
}

static void shipped_matrix_is_complete_and_symmetric(void **state)
{
    (void)state;
    matrix *m = shipped();
    assert_true(m->nsubs >= 25);
    assert_int_equal(m->ncells, m->nsubs * (m->nsubs - 1) / 2 + m->nsubs); /* the pairs and one self cell each */
    assert_null(matrix_cell(m, -1, 0));
    assert_null(matrix_cell(m, 0, m->nsubs));
    for (int a = 0; a < m->nsubs; a++)
        for (int b = 0; b < m->nsubs; b++) {
            const cell *x = matrix_cell(m, a, b), *y = matrix_cell(m, b, a);
            assert_non_null(x);
            for (int c = 0; a == b && c < m->nsubs; c++) /* a self cell is no pair's cell */
                assert_true(c == a || matrix_cell(m, a, c) != x);
            assert_ptr_equal(x, y);
            if (m->levels[x->level].severity < 4)
                assert_true(x->nrefs > 0);
        }
    matrix_free(m);
}

/* The groups' "depressant" flags (and kratom's own) mark the same
 * substances the checker's breathing note always covered. */
static void groups_mark_the_depressants(void **state)
{
    (void)state;
    matrix *m = shipped();
    int marked = 0;
    for (int i = 0; i < m->nsubs; i++) {
        const substance *s = &m->subs[i];
        bool expect = !strcmp(s->group, "opioids") || !strcmp(s->group, "depressants") ||
                      !strcmp(s->group, "adulterants") || !strcmp(s->slug, "kratom");
        if (matrix_is_depressant(m, i) != expect)
            fail_msg("%s (group %s): depressant is %d", s->slug, s->group, !expect);
        marked += expect;
    }
    assert_int_equal(marked, 18); /* with tianeptine and the orphines (issue 15) */
    matrix_free(m);
}

static void no_text_has(const matrix *m, const char *needle)
{
    for (int i = 0; i < m->nlevels; i++) {
        assert_not_contains(m->levels[i].name, needle);
        assert_not_contains(m->levels[i].definition, needle);
    }
    for (int i = 0; i < m->nsubs; i++)
        assert_not_contains(m->subs[i].name, needle);
    for (int i = 0; i < m->ncells; i++) {
        assert_not_contains(m->cells[i].summary, needle);
        assert_not_contains(m->cells[i].advice, needle);
    }
}

/* The data writes {{emergency_number}}; the loader puts in the site's
 * number, so a site set to 112 never tells anyone to call 911. */
static void texts_carry_the_sites_emergency_number(void **state)
{
    (void)state;
    matrix *m = NULL;
    char err[512] = "";
    if (!matrix_load("data/interactions", "112", &m, err, sizeof(err)))
        fail_msg("%s", err);
    const cell *c = matrix_cell(m, matrix_resolve(m, "fentanyl"), matrix_resolve(m, "heroin"));
    assert_contains(c->advice, "call 112 and give it");
    c = matrix_cell(m, matrix_resolve(m, "naloxone"), matrix_resolve(m, "other-opioids"));
    assert_contains(c->advice, "Tell the 112 operator");
    no_text_has(m, "911");
    no_text_has(m, "{{");
    int calls = 0;
    for (int i = 0; i < m->ncells; i++)
        calls += strstr(m->cells[i].advice, "call 112") != NULL || strstr(m->cells[i].advice, "Call 112") != NULL;
    assert_true(calls >= 100);
    matrix_free(m);
    m = shipped(); /* the default number gives the words the checker always had */
    c = matrix_cell(m, matrix_resolve(m, "fentanyl"), matrix_resolve(m, "heroin"));
    assert_contains(c->advice, "call 911 and give it");
    no_text_has(m, "{{");
    matrix_free(m);
}

static void every_name_and_alias_resolves_to_its_substance(void **state)
{
    (void)state;
    matrix *m = shipped();
    for (int i = 0; i < m->nsubs; i++) {
        assert_int_equal(matrix_resolve(m, m->subs[i].slug), i);
        assert_int_equal(matrix_resolve(m, m->subs[i].name), i);
        for (int k = 0; k < m->subs[i].naliases; k++)
            assert_int_equal(matrix_resolve(m, m->subs[i].aliases[k]), i);
    }
    static const char *const street[][2] = {{"molly", "mdma"}, {"tranq", "xylazine"}, {"xanax", "benzodiazepines"},
                                            {"bars", "benzodiazepines"}, {"percs", "prescription-opioids"},
                                            {"zoloft", "ssris-snris"}, {"adderall", "adhd-stimulants"},
                                            {"  Special   K ", "ketamine"}, {"XANAX", "benzodiazepines"},
                                            {"MDA", "mda"}, {"sally", "mda"}, {"gas station heroin", "tianeptine"},
                                            {"brorphine", "orphines"}, {"cychlorphine", "orphines"}};
    for (size_t i = 0; i < sizeof(street) / sizeof(street[0]); i++) {
        int s = matrix_resolve(m, street[i][0]);
        assert_true(s >= 0);
        assert_string_equal(m->subs[s].slug, street[i][1]);
    }
    assert_int_equal(matrix_resolve(m, "no such drug"), -1);
    assert_int_equal(matrix_resolve(m, ""), -1);
    assert_int_equal(matrix_resolve(m, "!!!"), -1);
    matrix_free(m);
}

static void suggestions_for_misspellings(void **state)
{
    (void)state;
    matrix *m = shipped();
    int out[3];
    int n = matrix_suggest(m, "fentanil", out, 3);
    assert_true(n >= 1);
    assert_string_equal(m->subs[out[0]].slug, "fentanyl");
    n = matrix_suggest(m, "methadon", out, 3);
    assert_true(n >= 1);
    assert_string_equal(m->subs[out[0]].slug, "methadone");
    n = matrix_suggest(m, "zzzzzzzzzz", out, 3);
    assert_int_equal(n, 0);
    matrix_free(m);
}

static void checker_orders_worst_first(void **state)
{
    (void)state;
    matrix *m = shipped();
    char q[4][128] = {"cannabis", "fentanyl", "xanax", "psychedelics"};
    combo_error e;
    json_t *r = combos_check(m, q, 4, &e);
    assert_non_null(r);
    json_t *pairs = json_object_get(r, "pairs");
    assert_int_equal(json_array_size(pairs), 6);
    int last = -1;
    for (size_t i = 0; i < json_array_size(pairs); i++) {
        const char *lv = json_string_value(json_object_get(json_array_get(pairs, i), "level"));
        int sev = m->levels[matrix_level(m, lv)].severity;
        assert_true(sev >= last);
        last = sev;
    }
    json_decref(r);
    char one[1][128] = {"fentanyl"};
    assert_null(combos_check(m, one, 1, &e));
    assert_contains(e.message, "2 to 6");
    matrix_free(m);
}

/* Two names of one substance or class get its self cell, marked "same";
 * a pair named twice over ("lsd, shrooms, alcohol") is listed once. */
static void same_substance_or_class_gets_its_self_cell(void **state)
{
    (void)state;
    matrix *m = shipped();
    combo_error e;
    char same[2][128] = {"LSD", "magic mushrooms"};
    json_t *r = combos_check(m, same, 2, &e);
    assert_non_null(r);
    json_t *pairs = json_object_get(r, "pairs");
    assert_int_equal(json_array_size(pairs), 1);
    json_t *p = json_array_get(pairs, 0);
    assert_true(json_is_true(json_object_get(p, "same")));
    assert_string_equal(json_string_value(json_object_get(p, "a")), "psychedelics");
    assert_string_equal(json_string_value(json_object_get(p, "b")), "psychedelics");
    assert_string_equal(json_string_value(json_object_get(p, "level")), "low-risk-synergy");
    assert_contains(json_string_value(json_object_get(p, "summary")), "common, strong mix");
    json_decref(r);
    char three[3][128] = {"lsd", "shrooms", "booze"};
    r = combos_check(m, three, 3, &e);
    assert_non_null(r);
    pairs = json_object_get(r, "pairs");
    assert_int_equal(json_array_size(pairs), 2); /* psychedelics itself, psychedelics + alcohol once */
    assert_int_equal(json_array_size(json_object_get(r, "substances")), 3);
    json_decref(r);
    char benzos[2][128] = {"xanax", "valium"};
    r = combos_check(m, benzos, 2, &e);
    assert_non_null(r);
    p = json_array_get(json_object_get(r, "pairs"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "level")), "unsafe");
    assert_true(json_is_true(json_object_get(p, "same")));
    json_decref(r);
    matrix_free(m);
}

/* "dexmedetomidine" and "precedex" resolve to medetomidine but say how
 * the hospital medicine differs from the street drug; other names have no
 * note. */
static void look_alike_names_carry_their_note(void **state)
{
    (void)state;
    matrix *m = shipped();
    int med = matrix_resolve(m, "medetomidine");
    assert_true(med >= 0);
    assert_int_equal(matrix_resolve(m, "Precedex"), med);
    assert_contains(matrix_note(m, "Precedex"), "not the street drug");
    assert_contains(matrix_note(m, "dexmedetomidine"), "not the street drug");
    assert_null(matrix_note(m, "medetomidine"));
    assert_null(matrix_note(m, "rhino tranq"));
    assert_null(matrix_note(m, "no such drug"));
    combo_error e;
    char q[2][128] = {"precedex", "fentanyl"};
    json_t *r = combos_check(m, q, 2, &e);
    assert_non_null(r);
    json_t *s0 = json_array_get(json_object_get(r, "substances"), 0), *s1 = json_array_get(json_object_get(r, "substances"), 1);
    assert_contains(json_string_value(json_object_get(s0, "note")), "hospital");
    assert_null(json_object_get(s1, "note"));
    json_decref(r);
    matrix_free(m);
}

/* A three-substance folder (a, b, c) written to a temporary directory.
 * Each field is the JSON inside a list or object; NULL means the default:
 * a + b dangerous and sourced, a + c and b + c low risk, no aliases. */
typedef struct variant {
    const char *aliases_a, *aliases_c;
    const char *self_b;  /* b's "self" member; NULL: a low-risk one; "": none */
    const char *notes_c; /* c's "alias_notes" member, or NULL */
    const char *pairs_a, *pairs_b, *pairs_c;
    const char *stray; /* the slug of an extra substance file nobody listed, or NULL */
} variant;

#define PAIR_SAYING(b, lv, src, advice)                                                                         \
    "\"" b "\":{\"level\":\"" lv "\",\"summary\":\"s\",\"advice\":\"" advice "\",\"sources\":[" src "]}"
#define PAIR(b, lv, src) PAIR_SAYING(b, lv, src, "x")
#define AB_OK PAIR("b", "dangerous", "\"s1\"")
#define AC_OK PAIR("c", "low-risk-no-synergy", "")
#define BC_OK PAIR("c", "low-risk-no-synergy", "")

static void put(const char *dir, const char *rel, const char *a, const char *b, const char *c)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s%s%s", a, b, c);
    fclose(f);
}

#define SELF_OK "\"self\":{\"level\":\"low-risk-no-synergy\",\"summary\":\"s\",\"advice\":\"x\",\"sources\":[]},"

static void put_sub(const char *dir, const char *slug, const char *head, const char *aliases, const char *pairs)
{
    char rel[64], start[512];
    snprintf(rel, sizeof(rel), "substances/%s.json", slug);
    snprintf(start, sizeof(start), "{\"slug\":\"%s\",\"name\":\"%s\",%s\"aliases\":[", slug, slug, head);
    char tail[2048];
    snprintf(tail, sizeof(tail), "%s],\"pairs\":{%s}}", aliases, pairs);
    put(dir, rel, start, "", tail);
}

static void write_variant(const char *dir, const variant *v)
{
    char sub[96];
    snprintf(sub, sizeof(sub), "%s/substances", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    put(dir, "matrix.json",
        "{\"reviewed\":\"2026-01-01\",\"substances\":[\"a\",\"b\",\"c\"],"
        "\"groups\":[{\"id\":\"downers\",\"depressant\":true},{\"id\":\"other\",\"depressant\":false}],",
        "\"levels\":[{\"id\":\"dangerous\",\"name\":\"D\",\"rank\":1,\"definition\":\"d\"},",
        "{\"id\":\"low-risk-no-synergy\",\"name\":\"L\",\"rank\":6,\"definition\":\"l\"}]}");
    put(dir, "sources.json", "{\"s1\":{\"title\":\"T\",\"url\":\"https://example.org\"}}", "", "");
    char head_b[512], head_c[512];
    snprintf(head_b, sizeof(head_b), "\"group\":\"other\",\"depressant\":true,%s", v->self_b ? v->self_b : SELF_OK);
    snprintf(head_c, sizeof(head_c), "\"group\":\"other\"," SELF_OK "%s", v->notes_c ? v->notes_c : "");
    put_sub(dir, "a", "\"group\":\"downers\"," SELF_OK, v->aliases_a ? v->aliases_a : "",
            v->pairs_a ? v->pairs_a : AB_OK "," AC_OK);
    put_sub(dir, "b", head_b, "", v->pairs_b ? v->pairs_b : BC_OK);
    put_sub(dir, "c", head_c, v->aliases_c ? v->aliases_c : "", v->pairs_c ? v->pairs_c : "");
    if (v->stray)
        put_sub(dir, v->stray, "\"group\":\"other\"," SELF_OK, "", "");
}

static void remove_folder(const char *dir)
{
    static const char *const files[] = {"matrix.json", "sources.json", "substances/a.json", "substances/b.json",
                                        "substances/c.json", "substances/zed.json"};
    char path[128];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/substances", dir);
    rmdir(path);
    rmdir(dir);
}

/* Loads the variant; the matrix in *out when out is given, else freed. */
static bool load_variant(const variant *v, matrix **out, char *err, size_t errlen)
{
    char dir[64] = "/tmp/wp_matrix_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_variant(dir, v);
    matrix *m = NULL;
    bool ok = matrix_load(dir, "112", &m, err, errlen);
    remove_folder(dir);
    if (out)
        *out = m;
    else
        matrix_free(m);
    return ok;
}

static void crafted_folder_loads_with_its_groups_and_number(void **state)
{
    (void)state;
    char err[512] = "";
    matrix *m = NULL;
    variant v = {.pairs_b = PAIR_SAYING("c", "low-risk-no-synergy", "",
                                        "Call {{emergency_number}} now; {{emergency_number}}."),
                 .self_b = "\"self\":{\"level\":\"dangerous\",\"summary\":\"two bs\",\"advice\":\"y\",\"sources\":[\"s1\"]},",
                 .aliases_c = "\"cee\"",
                 .notes_c = "\"alias_notes\":{\"cee\":\"Not quite c: call {{emergency_number}}.\"},"};
    if (!load_variant(&v, &m, err, sizeof(err)))
        fail_msg("%s", err);
    assert_int_equal(m->nsubs, 3);
    assert_int_equal(m->ncells, 6);
    assert_string_equal(m->reviewed, "2026-01-01");
    assert_string_equal(matrix_cell(m, 1, 1)->summary, "two bs");
    assert_string_equal(m->levels[matrix_cell(m, 1, 1)->level].id, "dangerous");
    assert_string_equal(matrix_note(m, "CEE"), "Not quite c: call 112.");
    assert_null(matrix_note(m, "c"));
    assert_true(matrix_is_depressant(m, matrix_resolve(m, "a")));  /* its group says so */
    assert_true(matrix_is_depressant(m, matrix_resolve(m, "b")));  /* its own file says so */
    assert_false(matrix_is_depressant(m, matrix_resolve(m, "c"))); /* neither does */
    assert_string_equal(m->levels[matrix_cell(m, 1, 0)->level].id, "dangerous");
    assert_string_equal(matrix_cell(m, 1, 2)->advice, "Call 112 now; 112.");
    matrix_free(m);
}

static void crafted_folders_are_refused_naming_file_and_pair(void **state)
{
    (void)state;
    char err[512];
    variant missing = {.pairs_b = ""};
    assert_false(load_variant(&missing, NULL, err, sizeof(err)));
    assert_contains(err, "substances/b.json: the matrix has no cell for b + c");

    variant wrong_file = {.pairs_b = "", .pairs_c = PAIR("b", "low-risk-no-synergy", "")};
    assert_false(load_variant(&wrong_file, NULL, err, sizeof(err)));
    assert_contains(err, "substances/c.json: the pair c + b belongs in substances/b.json");

    variant twice = {.pairs_a = AB_OK "," AC_OK "," AB_OK};
    assert_false(load_variant(&twice, NULL, err, sizeof(err)));
    assert_contains(err, "substances/a.json: line 1: duplicate object key");

    variant unsourced = {.pairs_a = PAIR("b", "dangerous", "") "," AC_OK};
    assert_false(load_variant(&unsourced, NULL, err, sizeof(err)));
    assert_contains(err, "substances/a.json: the pair a + b is \"dangerous\" but cites no source");

    variant badsrc = {.pairs_a = PAIR("b", "dangerous", "\"nope\"") "," AC_OK};
    assert_false(load_variant(&badsrc, NULL, err, sizeof(err)));
    assert_contains(err, "the pair a + b cites an unknown source \"nope\"");

    variant badlevel = {.pairs_a = AB_OK "," PAIR("c", "meh", "")};
    assert_false(load_variant(&badlevel, NULL, err, sizeof(err)));
    assert_contains(err, "the pair a + c needs a known level");

    variant stranger = {.pairs_a = AB_OK "," AC_OK "," PAIR("q", "dangerous", "\"s1\"")};
    assert_false(load_variant(&stranger, NULL, err, sizeof(err)));
    assert_contains(err, "names an unknown substance \"q\"");

    variant ambiguous = {.aliases_a = "\"Zed\"", .aliases_c = "\"z e d\""};
    assert_false(load_variant(&ambiguous, NULL, err, sizeof(err)));
    assert_contains(err, "substances/c.json: \"z e d\" could mean a or c");

    variant token = {.pairs_b = PAIR_SAYING("c", "low-risk-no-synergy", "", "Call {{ambulance}} now.")};
    assert_false(load_variant(&token, NULL, err, sizeof(err)));
    assert_contains(err, "substances/b.json: the pair b + c has an unknown {{...}} placeholder");

    variant noself = {.self_b = ""};
    assert_false(load_variant(&noself, NULL, err, sizeof(err)));
    assert_contains(err, "substances/b.json: b needs \"self\"");

    variant selfpair = {.pairs_b = BC_OK "," PAIR("b", "low-risk-no-synergy", "")};
    assert_false(load_variant(&selfpair, NULL, err, sizeof(err)));
    assert_contains(err, "b is paired with itself (write that cell as \"self\")");

    variant selfunsourced = {.self_b = "\"self\":{\"level\":\"dangerous\",\"summary\":\"s\",\"advice\":\"x\"},"};
    assert_false(load_variant(&selfunsourced, NULL, err, sizeof(err)));
    assert_contains(err, "the pair b + itself is \"dangerous\" but cites no source");

    variant badnote = {.notes_c = "\"alias_notes\":{\"dee\":\"n\"},"};
    assert_false(load_variant(&badnote, NULL, err, sizeof(err)));
    assert_contains(err, "substances/c.json: c: the alias note \"dee\" is not one of its aliases");

    variant stray = {.stray = "zed"};
    assert_false(load_variant(&stray, NULL, err, sizeof(err)));
    assert_contains(err, "substances/zed.json: \"zed\" is not in the \"substances\" list of matrix.json");
}

/* The fold: ASCII case, and the Latin-1 Supplement letters to their base
 * letter; spaces, punctuation and other scripts dropped. */
static void names_fold_case_and_accents(void **state)
{
    (void)state;
    static const char *const fold[][2] = {
        {"Cocaína", "cocaina"}, {"COCAÍNA", "cocaina"}, {"cocaina", "cocaina"}, {"éxtasis", "extasis"},
        {"ÉXTASIS", "extasis"}, {"piña", "pina"}, {"PIÑA", "pina"}, {"pingüino", "pinguino"},
        {"á é í ó ú ü ñ", "aeiouun"}, {"Á É Í Ó Ú Ü Ñ", "aeiouun"}, {"à è ì ò ù", "aeiou"},
        {"â ê î ô û ç", "aeiouc"}, {"À È Ì Ò Ù Â Ê Î Ô Û Ç", "aeiouaeiouc"}, {"hongos mágicos", "hongosmagicos"},
        {"Special K!", "specialk"}, {"x\xc3\x97y", "xy"}, /* the multiplication sign is no letter */
        {"coca\xcc\x81", "coca"},                        /* a lone combining accent is dropped */
        {"\xd0\xba\xd0\xbe\xd0\xba", ""},               /* other scripts too */
        {"\xc3", ""},                                     /* a cut sequence stops nowhere odd */
    };
    char out[96];
    for (size_t i = 0; i < sizeof(fold) / sizeof(fold[0]); i++) {
        matrix_normalise(fold[i][0], out, sizeof(out));
        if (strcmp(out, fold[i][1]))
            fail_msg("\"%s\" folds to \"%s\", not \"%s\"", fold[i][0], out, fold[i][1]);
    }
    matrix_normalise("ÑÑÑÑ", out, 3); /* bounded: two letters and the NUL */
    assert_string_equal(out, "nn");
}

/* Spanish aliases in a crafted folder: found with or without accents, in
 * any case; two aliases that fold to one name cannot name two substances. */
static void aliases_in_spanish_resolve_folded(void **state)
{
    (void)state;
    char err[512] = "";
    matrix *m = NULL;
    variant v = {.aliases_c = "\"cocaína\",\"perico\"", .aliases_a = "\"éxtasis\""};
    if (!load_variant(&v, &m, err, sizeof(err)))
        fail_msg("%s", err);
    int c = matrix_resolve(m, "c");
    static const char *const as_c[] = {"cocaína", "cocaina", "Cocaína", "COCAÍNA", "COCAINA", " co-caí na ", "perico"};
    for (size_t i = 0; i < sizeof(as_c) / sizeof(as_c[0]); i++)
        if (matrix_resolve(m, as_c[i]) != c)
            fail_msg("\"%s\" does not find c", as_c[i]);
    assert_int_equal(matrix_resolve(m, "extasis"), matrix_resolve(m, "a"));
    assert_int_equal(matrix_resolve(m, "Éxtasis"), matrix_resolve(m, "a"));
    assert_int_equal(matrix_resolve(m, "cocain"), -1);
    int out[3];
    assert_true(matrix_suggest(m, "cocain", out, 3) >= 1); /* a near miss is suggested */
    assert_int_equal(out[0], c);
    matrix_free(m);

    variant clash = {.aliases_a = "\"éxtasis\"", .aliases_c = "\"extasis\""};
    assert_false(load_variant(&clash, NULL, err, sizeof(err)));
    assert_contains(err, "substances/c.json: \"extasis\" could mean a or c");
    variant same = {.aliases_c = "\"cocaína\",\"cocaina\""}; /* one substance twice: fine */
    assert_true(load_variant(&same, NULL, err, sizeof(err)));
}

/* A Spanish catalog translating the crafted folder's texts. The msgids are
 * the data's English as written, {{emergency_number}} included. */
static const char CATALOG[] = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                              "msgid \"D\"\nmsgstr \"Peligroso\"\n\n"
                              "msgid \"c\"\nmsgstr \"Ce española\"\n\n"
                              "msgid \"two bs\"\nmsgstr \"dos bes\"\n\n"
                              "msgid \"Call {{emergency_number}} now; {{emergency_number}}.\"\n"
                              "msgstr \"Llame al {{emergency_number}} ya; {{emergency_number}}.\"\n\n"
                              "msgid \"Not quite c: call {{emergency_number}}.\"\n"
                              "msgstr \"No es del todo c: llame al {{emergency_number}}.\"\n\n"
                              "#, c-format\nmsgid \"We do not know the substance \\\"%s\\\".\"\n"
                              "msgstr \"No conocemos la sustancia \\\"%s\\\".\"\n";

static void texts_come_in_the_language_asked(void **state)
{
    (void)state;
    char err[512] = "";
    i18n_unload();
    int es = i18n_add("es", "es.po", CATALOG, sizeof(CATALOG) - 1, err, sizeof(err));
    if (es < 0)
        fail_msg("%s", err);
    matrix *m = NULL;
    variant v = {.pairs_b = PAIR_SAYING("c", "low-risk-no-synergy", "", "Call {{emergency_number}} now; {{emergency_number}}."),
                 .self_b = "\"self\":{\"level\":\"dangerous\",\"summary\":\"two bs\",\"advice\":\"y\",\"sources\":[\"s1\"]},",
                 .aliases_c = "\"cee\"",
                 .notes_c = "\"alias_notes\":{\"cee\":\"Not quite c: call {{emergency_number}}.\"},"};
    if (!load_variant(&v, &m, err, sizeof(err)))
        fail_msg("%s", err);
    const cell *bc = matrix_cell(m, 1, 2);
    assert_string_equal(bc->advice_src, "Call {{emergency_number}} now; {{emergency_number}}.");
    assert_string_equal(bc->advice, "Call 112 now; 112."); /* English as before */
    buf b = BUF_INIT;
    matrix_text(m, es, bc->advice_src, &b);
    assert_string_equal(buf_cstr(&b), "Llame al 112 ya; 112.");
    buf_reset(&b);
    matrix_text(m, I18N_SOURCE, bc->advice_src, &b);
    assert_string_equal(buf_cstr(&b), "Call 112 now; 112.");
    buf_reset(&b);
    matrix_text(m, es, m->levels[0].name_src, &b);
    assert_string_equal(buf_cstr(&b), "Peligroso");
    buf_reset(&b);
    matrix_text(m, es, matrix_note_src(m, "CEE"), &b);
    assert_string_equal(buf_cstr(&b), "No es del todo c: llame al 112.");
    buf_free(&b);
    /* the translated name finds its substance on that language's pages */
    assert_int_equal(matrix_resolve(m, "ce espanola"), -1);
    assert_int_equal(matrix_resolve_lang(m, es, "Ce Española"), 2);
    assert_int_equal(matrix_resolve_lang(m, es, "ce espanola"), 2);
    assert_int_equal(matrix_resolve_lang(m, I18N_SOURCE, "ce espanola"), -1);
    /* the checker's answer in Spanish */
    combo_error e;
    char q[2][128] = {"b", "cee"};
    json_t *r = combos_check_lang(m, es, q, 2, &e);
    assert_non_null(r);
    json_t *s1 = json_array_get(json_object_get(r, "substances"), 1);
    assert_string_equal(json_string_value(json_object_get(s1, "name")), "Ce española");
    assert_string_equal(json_string_value(json_object_get(s1, "note")), "No es del todo c: llame al 112.");
    json_t *p = json_array_get(json_object_get(r, "pairs"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "advice")), "Llame al 112 ya; 112.");
    json_decref(r);
    char same[2][128] = {"b", "b"};
    r = combos_check_lang(m, es, same, 2, &e);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "pairs"), 0), "summary")),
                        "dos bes");
    json_decref(r);
    char unknown[2][128] = {"b", "zzz"};
    assert_null(combos_check_lang(m, es, unknown, 2, &e));
    assert_string_equal(e.message, "No conocemos la sustancia \"zzz\".");
    assert_null(combos_check(m, unknown, 2, &e));
    assert_string_equal(e.message, "We do not know the substance \"zzz\".");
    matrix_free(m);
    i18n_unload();
}

/* The shipped folder: every alias resolves to its substance also typed
 * without its accents ("éxtasis" as "extasis"). */
static void shipped_aliases_resolve_without_accents(void **state)
{
    (void)state;
    matrix *m = shipped();
    for (int i = 0; i < m->nsubs; i++)
        for (int k = 0; k < m->subs[i].naliases; k++) {
            const char *a = m->subs[i].aliases[k];
            char plain[128];
            size_t n = 0;
            for (const char *p = a; *p && n + 3 < sizeof(plain); p++) {
                if ((unsigned char)*p < 0x80) {
                    plain[n++] = *p;
                } else if ((unsigned char)*p == 0xC3 && p[1]) { /* é -> e, by the fold itself */
                    char one[3] = {p[0], p[1], 0}, base[8];
                    matrix_normalise(one, base, sizeof(base));
                    for (const char *x = base; *x && n + 3 < sizeof(plain); x++)
                        plain[n++] = *x;
                    p++;
                }
            }
            plain[n] = '\0';
            if (matrix_resolve(m, plain) != i)
                fail_msg("%s: \"%s\" typed \"%s\" does not resolve to it", m->subs[i].slug, a, plain);
        }
    assert_int_equal(matrix_resolve(m, "extasis"), matrix_resolve(m, "mdma")); /* the data's "éxtasis" */
    assert_int_equal(matrix_resolve(m, "HONGOS MAGICOS"), matrix_resolve(m, "psilocybin"));
    matrix_free(m);
}

static void missing_folder_is_named(void **state)
{
    (void)state;
    char err[512];
    matrix *m = NULL;
    assert_false(matrix_load("/nonexistent/interactions", "911", &m, err, sizeof(err)));
    assert_null(m);
    assert_contains(err, "cannot read /nonexistent/interactions/matrix.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_matrix_is_complete_and_symmetric),
        cmocka_unit_test(every_name_and_alias_resolves_to_its_substance),
        cmocka_unit_test(suggestions_for_misspellings),
        cmocka_unit_test(checker_orders_worst_first),
        cmocka_unit_test(same_substance_or_class_gets_its_self_cell),
        cmocka_unit_test(look_alike_names_carry_their_note),
        cmocka_unit_test(groups_mark_the_depressants),
        cmocka_unit_test(texts_carry_the_sites_emergency_number),
        cmocka_unit_test(crafted_folder_loads_with_its_groups_and_number),
        cmocka_unit_test(crafted_folders_are_refused_naming_file_and_pair),
        cmocka_unit_test(missing_folder_is_named),
        cmocka_unit_test(names_fold_case_and_accents),
        cmocka_unit_test(aliases_in_spanish_resolve_folded),
        cmocka_unit_test(texts_come_in_the_language_asked),
        cmocka_unit_test(shipped_aliases_resolve_without_accents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
