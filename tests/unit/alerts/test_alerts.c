/* test_alerts: unit tests for src/alerts/ (issue 12): the CAP 1.2 writer
 * (escaping, time zones with UTC as -00:00, Alert / Update / Cancel with
 * references), the Atom writer (escaping, ids, UTC times), RFC 3339 times,
 * expiry at the boundary (active is starts <= now < expires, to the
 * second), the validation's named problems, and the version history kept
 * by updates and withdrawals in a migrated database in memory. */
#include "alerts/alerts.h"
#include "alerts/alerts_cmd.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_store.h"
#include "alerts/alerts_lang.h"
#include "alerts/atom.h"
#include "alerts/cap.h"
#include "core/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wp_test.h"

static json_t *sample(const char *headline)
{
    json_t *in = json_pack("{s:s,s:[s],s:s,s:{s:s,s:[s,s],s:{s:f,s:f,s:f}},s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
                           "headline", headline, "substances", "nitazenes", "sold_as", "oxycodone M30", "area",
                           "description", "Southeast Portland", "zips", "97214", "97215", "circle", "lat", 45.51,
                           "lon", -122.64, "radius_km", 5.0, "source", "drug-checking", "certainty", "Observed",
                           "severity", "Severe", "instruction", "Test first & carry naloxone.", "starts",
                           "2026-12-03T09:00:00-08:00", "expires", "2027-01-02T09:00:00-08:00", "status",
                           "published");
    alert_problems pr;
    json_t *doc = alerts_validate(in, 1700000000, 0, &pr);
    json_decref(in);
    if (!doc)
        fail_msg("%s: %s", pr.items[0].field, pr.items[0].message);
    return doc;
}

static void test_times(void **state)
{
    (void)state;
    int64_t t;
    int off;
    char s[40];
    assert_true(alerts_parse_time("2026-12-03T09:00:00-08:00", &t, &off));
    assert_int_equal(t, 1796317200);
    assert_int_equal(off, -8 * 3600);
    alerts_format_time(t, off, true, s, sizeof(s));
    assert_string_equal(s, "2026-12-03T09:00:00-08:00");
    assert_true(alerts_parse_time("2026-12-03T17:00:00.25Z", &t, &off));
    assert_int_equal(t, 1796317200);
    alerts_format_time(t, 0, true, s, sizeof(s)); /* CAP: UTC is -00:00 */
    assert_string_equal(s, "2026-12-03T17:00:00-00:00");
    alerts_format_time(t, 0, false, s, sizeof(s));
    assert_string_equal(s, "2026-12-03T17:00:00+00:00");
    alerts_format_time(t, 5 * 3600 + 45 * 60, true, s, sizeof(s)); /* Kathmandu */
    assert_string_equal(s, "2026-12-03T22:45:00+05:45");
    alerts_format_time(-1, 0, false, s, sizeof(s));
    assert_string_equal(s, "1969-12-31T23:59:59+00:00");
    const char *bad[] = {"2026-12-03", "2026-12-03T09:00:00", "2026-02-30T09:00:00Z", "2026-12-03T24:00:00Z",
                         "2026-12-03T09:00:00+19:00", "2026-12-03T09:00:00-08", "2026-12-03 09:00:00Z", "",
                         "2026-12-03T09:00:00Zjunk", "2026-12-03T09:00:00.Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(alerts_parse_time(bad[i], &t, &off));
}

static void test_expiry_boundary(void **state)
{
    (void)state;
    assert_false(alerts_is_active("published", 100, 200, 99));
    assert_true(alerts_is_active("published", 100, 200, 100));
    assert_true(alerts_is_active("published", 100, 200, 199));
    assert_false(alerts_is_active("published", 100, 200, 200));
    assert_false(alerts_is_active("draft", 100, 200, 150));
    assert_false(alerts_is_active("withdrawn", 100, 200, 150));
    assert_string_equal(alerts_state_shown("published", 1, 100, 200, 99), "scheduled");
    assert_string_equal(alerts_state_shown("published", 1, 100, 200, 199), "published");
    assert_string_equal(alerts_state_shown("published", 2, 100, 200, 199), "updated");
    assert_string_equal(alerts_state_shown("published", 2, 100, 200, 200), "expired");
    assert_string_equal(alerts_state_shown("withdrawn", 2, 100, 200, 150), "withdrawn");
}

static void expect_problem(json_t *in, const char *field)
{
    alert_problems pr;
    json_t *doc = alerts_validate(in, 1700000000, 0, &pr);
    json_decref(in);
    assert_null(doc);
    for (int i = 0; i < pr.n; i++)
        if (!strcmp(pr.items[i].field, field))
            return;
    fail_msg("no problem named %s (first: %s)", field, pr.n ? pr.items[0].field : "none");
}

static void test_validation(void **state)
{
    (void)state;
    json_t *doc = sample("A headline");
    assert_string_equal(json_string_value(json_object_get(doc, "urgency")), "Immediate");
    assert_string_equal(json_string_value(json_object_get(doc, "language")), "en");
    json_decref(doc);
    char longh[130];
    memset(longh, 'h', 121);
    longh[121] = '\0';
    expect_problem(json_pack("{s:s}", "headline", longh), "headline");
    /* 120 characters of two bytes each fit: the limit counts characters */
    char wide[300] = "";
    for (int i = 0; i < 120; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 3);
    json_t *w = sample(wide);
    json_decref(w);
    expect_problem(json_pack("{s:s,s:s,s:s}", "headline", "x", "starts", "2027-01-02T09:00:00-08:00", "expires",
                             "2027-01-01T09:00:00-08:00"),
                   "expires");
    expect_problem(json_pack("{s:s,s:[s]}", "headline", "x", "substances", "unicorn dust"), "substances");
    expect_problem(json_pack("{s:s,s:s}", "headline", "two\nlines", "x", "y"), "headline");
    expect_problem(json_pack("{s:s,s:i}", "headline", "x", "colour", 3), "alert");
    expect_problem(json_pack("[]"), "alert");
}

static const char *between(const char *s, const char *open, char *out, size_t n)
{
    const char *a = strstr(s, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = strchr(a, '<');
    size_t k = (size_t)(b - a) < n - 1 ? (size_t)(b - a) : n - 1;
    memcpy(out, a, k);
    out[k] = '\0';
    return out;
}

static void test_cap_writer(void **state)
{
    (void)state;
    json_t *doc = sample("Pills");
    /* the validation refuses control characters; the writer drops any that reach it */
    json_object_set_new(doc, "headline", json_string("Pills <M30> & \"blues\" \x01with a nitazene"));
    alert_version v[3];
    memset(v, 0, sizeof(v));
    const char *types[] = {"Alert", "Update", "Cancel"};
    for (int i = 0; i < 3; i++) {
        v[i].version = i + 1;
        snprintf(v[i].msg_type, sizeof(v[i].msg_type), "%s", types[i]);
        snprintf(v[i].identifier, sizeof(v[i].identifier), "urn:uuid:0000000%d-0000-5000-8000-000000000000", i);
        snprintf(v[i].sender, sizeof(v[i].sender), "alerts@example.org");
        v[i].sent = 1796317200 + i * 3600;
        v[i].sent_offset = i == 1 ? 0 : -5 * 3600;
        v[i].doc = doc;
    }
    snprintf(v[2].note, sizeof(v[2].note), "Lab mix-up <sorry>");
    buf b = BUF_INIT;
    cap_msg m = {&v[0], v, 0, "Harbor & Co", "https://example.org/alerts/1", NULL, NULL};
    assert_true(cap_write(&b, &m));
    const char *x = buf_cstr(&b);
    char t[300];
    assert_contains(x, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">");
    assert_string_equal(between(x, "<sent>", t, sizeof(t)), "2026-12-03T12:00:00-05:00");
    assert_string_equal(between(x, "<onset>", t, sizeof(t)), "2026-12-03T09:00:00-08:00");
    assert_string_equal(between(x, "<headline>", t, sizeof(t)), "Pills &lt;M30&gt; &amp; &quot;blues&quot; with a nitazene");
    assert_contains(x, "<senderName>Harbor &amp; Co</senderName>");
    assert_contains(x, "<circle>45.510000,-122.640000 5.000</circle>");
    assert_not_contains(x, "<references>");
    assert_not_contains(x, "\x01");
    /* order: identifier sender sent status msgType scope [note] [references] info */
    assert_true(strstr(x, "<identifier>") < strstr(x, "<sender>") && strstr(x, "<sent>") < strstr(x, "<status>") &&
                strstr(x, "<msgType>") < strstr(x, "<scope>") && strstr(x, "<scope>") < strstr(x, "<info>"));
    buf_reset(&b);
    m = (cap_msg){&v[1], v, 1, "Harbor", "https://example.org/alerts/1", NULL, NULL};
    cap_write(&b, &m);
    x = buf_cstr(&b);
    assert_string_equal(between(x, "<sent>", t, sizeof(t)), "2026-12-03T18:00:00-00:00"); /* UTC is -00:00 */
    assert_string_equal(between(x, "<references>", t, sizeof(t)),
                        "alerts@example.org,urn:uuid:00000000-0000-5000-8000-000000000000,2026-12-03T12:00:00-05:00");
    buf_reset(&b);
    m = (cap_msg){&v[2], v, 2, "Harbor", "https://example.org/alerts/1", "https://example.org/alerts/1/photo", "image/jpeg"};
    cap_write(&b, &m);
    x = buf_cstr(&b);
    assert_contains(x, "<msgType>Cancel</msgType>");
    assert_contains(x, "<note>Lab mix-up &lt;sorry&gt;</note>");
    assert_contains(x, "<responseType>AllClear</responseType>");
    assert_contains(x, "2026-12-03T12:00:00-05:00 alerts@example.org,urn:uuid:00000001");
    assert_contains(x, "<mimeType>image/jpeg</mimeType>");
    assert_true(strstr(x, "<resource>") < strstr(x, "<area>"));
    buf_free(&b);
    json_decref(doc);
}

static void test_atom_writer(void **state)
{
    (void)state;
    json_t *doc = sample("Powder & <pills>");
    alert_rec a;
    memset(&a, 0, sizeof(a));
    a.id = 7;
    snprintf(a.uuid, sizeof(a.uuid), "7518a02b-4439-4031-a104-5db4f6849612");
    snprintf(a.state, sizeof(a.state), "withdrawn");
    snprintf(a.reason, sizeof(a.reason), "Wrong & late");
    a.version = 2;
    a.updated_at = 1796317200;
    a.published_at = 1796310000;
    a.doc = doc;
    alert_version v[1];
    memset(v, 0, sizeof(v));
    snprintf(v[0].msg_type, sizeof(v[0].msg_type), "Alert");
    snprintf(v[0].note, sizeof(v[0].note), "First <published>.");
    v[0].sent = 1796310000;
    atom_entry e = {&a, v, 1};
    atom_feed f = {"https://example.org", "Harbor: alerts", "Harbor & Co", 1796317200, 1796317300, &e, 1, 0};
    buf b = BUF_INIT;
    assert_true(atom_write(&b, &f));
    const char *x = buf_cstr(&b);
    assert_contains(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">");
    assert_contains(x, "<id>urn:uuid:7518a02b-4439-4031-a104-5db4f6849612</id>");
    assert_contains(x, "<title type=\"text\">Withdrawn: Powder &amp; &lt;pills&gt;</title>");
    assert_contains(x, "<updated>2026-12-03T17:00:00+00:00</updated>");
    assert_contains(x, "<name>Harbor &amp; Co</name>");
    assert_contains(x, "href=\"https://example.org/alerts/7.cap\"");
    assert_contains(x, "Withdrawn: Wrong &amp; late");
    assert_contains(x, "First &lt;published&gt;.");
    /* the feed's id depends only on its address */
    char id1[80], id2[80];
    between(x, "<id>", id1, sizeof(id1));
    buf_reset(&b);
    f.updated = 1896317200;
    atom_write(&b, &f);
    between(buf_cstr(&b), "<id>", id2, sizeof(id2));
    assert_string_equal(id1, id2);
    buf_free(&b);
    json_decref(doc);
}

static void test_history(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    alerts_env env = {1796317200, -8 * 3600, "alerts@example.org"};
    alert_actor who = {"cli", ""};
    json_t *doc = sample("First words");
    long id = 0;
    assert_int_equal(alerts_create(db, &env, &who, doc, &id), AR_OK);
    json_decref(doc);
    env.now += 60;
    doc = sample("Second words");
    assert_int_equal(alerts_update(db, &env, &who, id, doc, "Reworded."), AR_OK);
    json_decref(doc);
    env.now += 60;
    assert_int_equal(alerts_withdraw(db, &env, &who, id, "Wrong batch."), AR_OK);
    doc = sample("Third");
    assert_int_equal(alerts_update(db, &env, &who, id, doc, "x"), AR_STATE); /* withdrawn stays withdrawn */
    json_decref(doc);
    assert_int_equal(alerts_update(db, &env, &who, id + 99, NULL, "x"), AR_NOT_FOUND);
    alert_version v[8];
    int n = alerts_store_versions(db, id, v, 8);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].msg_type, "Alert");
    assert_string_equal(v[1].msg_type, "Update");
    assert_string_equal(v[2].msg_type, "Cancel");
    assert_string_equal(json_string_value(json_object_get(v[0].doc, "headline")), "First words");
    assert_string_equal(json_string_value(json_object_get(v[1].doc, "headline")), "Second words");
    assert_string_equal(v[1].note, "Reworded.");
    assert_int_equal(v[1].sent, 1796317260);
    assert_string_not_equal(v[0].identifier, v[1].identifier);
    alert_versions_free(v, n);
    alert_rec a;
    assert_int_equal(alerts_store_get(db, id, &a), 1);
    assert_string_equal(a.state, "withdrawn");
    assert_string_equal(a.reason, "Wrong batch.");
    alert_rec_clear(&a);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM staff_audit WHERE target = 'alert:1'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    sqlite3_finalize(st);
    db_close(db);
}

static const char es_po[] = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                            "msgid \"Toxic drug supply\"\nmsgstr \"Suministro de drogas tóxico\"\n\n"
                            "msgctxt \"alert description\"\nmsgid \"Found\"\nmsgstr \"Se encontró\"\n";

/* An alert's language (issue 16): lang is a site language (English
 * always; Spanish once its catalog is loaded), language its CAP tag
 * (es-US by default for Spanish) of the same language, and translation_of
 * the number of another alert that exists, is an original and is in
 * another language. */
static void test_languages(void **state)
{
    (void)state;
    json_t *doc = sample("English words");
    assert_string_equal(json_string_value(json_object_get(doc, "lang")), "en");
    assert_null(json_object_get(doc, "translation_of"));
    json_decref(doc);
    json_t *in = json_deep_copy(doc = sample("x"));
    json_decref(doc);
    json_object_del(in, "language"); /* sample's "en" */
    json_object_set_new(in, "lang", json_string("es"));
    expect_problem(json_deep_copy(in), "lang"); /* no Spanish catalog yet */
    char err[200];
    assert_true(i18n_add("es", "es.po", es_po, sizeof(es_po) - 1, err, sizeof(err)) > 0);
    alert_problems pr;
    doc = alerts_validate(in, 1700000000, 0, &pr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "lang")), "es");
    assert_string_equal(json_string_value(json_object_get(doc, "language")), "es-US");
    json_decref(doc);
    json_object_set_new(in, "language", json_string("es-MX"));
    doc = alerts_validate(in, 1700000000, 0, &pr);
    assert_string_equal(json_string_value(json_object_get(doc, "language")), "es-MX");
    json_decref(doc);
    json_object_set_new(in, "language", json_string("en"));
    expect_problem(json_deep_copy(in), "language"); /* an English tag on a Spanish alert */
    json_object_del(in, "language");
    json_object_set_new(in, "lang", json_string("fr"));
    expect_problem(json_deep_copy(in), "lang");
    json_object_set_new(in, "lang", json_string("es-MX"));
    expect_problem(json_deep_copy(in), "lang"); /* a code, not a tag */
    json_object_set_new(in, "lang", json_string("es"));
    json_object_set_new(in, "translation_of", json_string("twelve"));
    expect_problem(json_deep_copy(in), "translation_of");
    json_object_set_new(in, "translation_of", json_integer(-3));
    expect_problem(json_deep_copy(in), "translation_of");

    /* in the database: exists, not itself, an original, another language */
    sqlite3 *db = wp_memory_db();
    alerts_env env = {1796317200, -8 * 3600, "alerts@example.org"};
    alert_actor who = {"cli", ""};
    long en_id = 0, es_id = 0;
    doc = sample("Nitazenes in fake oxy");
    assert_int_equal(alerts_create(db, &env, &who, doc, &en_id), AR_OK);
    json_decref(doc);
    json_object_set_new(in, "translation_of", json_integer(en_id + 50));
    doc = alerts_validate(in, 1700000000, 0, &pr);
    assert_non_null(doc);
    pr.n = 0;
    assert_false(alerts_check_translation(db, 0, doc, &pr));
    assert_string_equal(pr.items[0].field, "translation_of");
    json_decref(doc);
    json_object_set_new(in, "translation_of", json_integer(en_id));
    json_object_set_new(in, "headline", json_string("Nitazenos en oxi falsa"));
    doc = alerts_validate(in, 1700000000, 0, &pr);
    assert_int_equal(json_integer_value(json_object_get(doc, "translation_of")), en_id);
    pr.n = 0;
    assert_true(alerts_check_translation(db, 0, doc, &pr));
    pr.n = 0;
    assert_false(alerts_check_translation(db, en_id, doc, &pr)); /* not a translation of itself */
    assert_int_equal(alerts_create(db, &env, &who, doc, &es_id), AR_OK);
    json_decref(doc);
    /* the columns follow the doc; the translation is found by language */
    assert_int_equal(alerts_store_translation(db, en_id, "es"), es_id);
    assert_int_equal(alerts_store_translation(db, en_id, "en"), 0);
    alert_rec a, t;
    assert_int_equal(alerts_store_get(db, en_id, &a), 1);
    assert_int_equal(alerts_translated(db, &a, i18n_find("es"), &t), 1);
    assert_string_equal(json_string_value(json_object_get(t.doc, "headline")), "Nitazenos en oxi falsa");
    alert_rec_clear(&t);
    assert_int_equal(alerts_translated(db, &a, 0, &t), 0); /* already in English */
    alert_rec_clear(&a);
    /* a translation of a translation, and one in the same language, are refused */
    json_object_set_new(in, "translation_of", json_integer(es_id));
    json_object_set_new(in, "lang", json_string("en"));
    doc = alerts_validate(in, 1700000000, 0, &pr);
    pr.n = 0;
    assert_false(alerts_check_translation(db, 0, doc, &pr));
    json_decref(doc);
    json_object_set_new(in, "translation_of", json_integer(en_id));
    doc = alerts_validate(in, 1700000000, 0, &pr);
    pr.n = 0;
    assert_false(alerts_check_translation(db, 0, doc, &pr));
    json_decref(doc);
    /* CAP: the Spanish alert's info is es-US with its labels in Spanish */
    alert_version v[4];
    int nv = alerts_store_versions(db, es_id, v, 4);
    assert_int_equal(nv, 1);
    cap_msg m = {&v[0], v, 0, "Harbor", "https://example.org/es/alerts/2", NULL, NULL};
    buf x = BUF_INIT;
    cap_write(&x, &m);
    assert_contains(buf_cstr(&x), "<language>es-US</language>");
    assert_contains(buf_cstr(&x), "<event>Suministro de drogas tóxico</event>");
    assert_contains(buf_cstr(&x), "Se encontró: ");
    buf_free(&x);
    alert_versions_free(v, nv);
    json_decref(in);
    db_close(db);
    i18n_unload();
}

static void test_import_check(void **state)
{
    (void)state;
    char err[400];
    const char *good = "[{\"headline\":\"h\",\"substances\":[\"nitazenes\"],\"area\":{\"description\":\"A\"},"
                       "\"source\":\"lab\",\"certainty\":\"Likely\",\"severity\":\"Minor\",\"instruction\":\"i\"}]";
    assert_int_equal(alerts_cmd_check(good, strlen(good), 1700000000, 0, NULL, err, sizeof(err)), 1);
    assert_int_equal(alerts_cmd_check("{}", 2, 0, 0, NULL, err, sizeof(err)), -1);
    assert_contains(err, "list");
    assert_int_equal(alerts_cmd_check("[{\"headline\":1}]", 16, 0, 0, NULL, err, sizeof(err)), -1);
    assert_contains(err, "alerts[0].headline");
    assert_int_equal(alerts_cmd_check("[", 1, 0, 0, NULL, err, sizeof(err)), -1);
}

static void test_http_date(void **state)
{
    (void)state;
    int64_t t;
    assert_true(alerts_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(alerts_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t));
    assert_int_equal(t, 784111777);
    assert_true(alerts_http_date("Sun Nov  6 08:49:37 1994", &t));
    assert_int_equal(t, 784111777);
    assert_false(alerts_http_date("Sun, 06 Nov 1994 08:49:37 UTC", &t));
    assert_false(alerts_http_date("yesterday", &t));
    assert_false(alerts_http_date("", &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times),       cmocka_unit_test(test_expiry_boundary), cmocka_unit_test(test_validation),
        cmocka_unit_test(test_cap_writer),  cmocka_unit_test(test_atom_writer),     cmocka_unit_test(test_history),
        cmocka_unit_test(test_import_check), cmocka_unit_test(test_http_date), cmocka_unit_test(test_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
