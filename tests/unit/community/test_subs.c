/* test_subs: alert subscriptions (src/community/subs*.c) without a server:
 * what people type (email, phone, areas) checked and normalised; which
 * alerts match which subscribers (ZIP, named area, the area's description,
 * an alert for the whole site); the keyed hashes and unsubscribe MACs
 * (stable under one key, different per channel, kind and key, tampering
 * refused); a request confirmed by its code (wrong codes counted, five
 * lock it) or by its link; and the publish listener queueing one message
 * per matching subscriber (with List-Unsubscribe for email), none for an
 * update, and one signed webhook per partner for every change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "community/areas.h"
#include "community/subs.h"
#include "community/subs_int.h"
#include "community/subs_store.h"
#include "core/config.h"
#include "core/i18n.h"
#include "db/db.h"
#include "notify/secret.h"
#include "wp_test.h"
#include "wp_tempdir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static config cfg;

static int setup(void **state)
{
    (void)state;
    unsigned char key[32];
    memset(key, 7, sizeof(key));
    secret_set(key);
    wp_temp_dir(dir);
    wp_write(dir, "vocab/areas.json",
             "{\"areas\": [{\"slug\": \"downtown\", \"name\": \"Downtown\", \"zips\": [\"97204\", \"97205\"]},"
             " {\"slug\": \"east-side\", \"name\": \"East side\", \"zips\": [\"97214\"]}]}");
    char err[256];
    if (!areas_load_dir(dir, err, sizeof(err)))
        fail_msg("%s", err);
    config_defaults(&cfg);
    snprintf(cfg.public_url, sizeof(cfg.public_url), "https://example.org/");
    snprintf(cfg.org_name, sizeof(cfg.org_name), "Test Org");
    cfg.subscribes_per_hour = 0;
    if (!subs_load(&cfg, err, sizeof(err)))
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    subs_unload();
    areas_unload();
    secret_unload();
    wp_remove_dir(dir);
    return 0;
}

static void addresses_are_checked_and_normalised(void **state)
{
    (void)state;
    char out[300];
    assert_true(subs_check_email("  Sam@Example.ORG ", out, sizeof(out)));
    assert_string_equal(out, "Sam@example.org");
    const char *bad_emails[] = {"", "sam", "@example.org", "sam@", "sam@example", "a@b@c.org", "sam @x.org",
                                "<a@x.org>", "a@x..org", "a@.org", "a@x.org.", "\"a\"@x.org"};
    for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++)
        assert_false(subs_check_email(bad_emails[i], out, sizeof(out)));
    assert_true(subs_check_phone("(503) 555-0100", out, sizeof(out)));
    assert_string_equal(out, "+15035550100");
    assert_true(subs_check_phone("1 503 555 0100", out, sizeof(out)));
    assert_string_equal(out, "+15035550100");
    assert_true(subs_check_phone("+44 20 7946 0958", out, sizeof(out)));
    assert_string_equal(out, "+442079460958");
    const char *bad_phones[] = {"", "555-0100", "+0 503", "503555010x", "+1 503 555 0100 99999", "++15035550100",
                                "5035550100+", "+1234567"};
    for (size_t i = 0; i < sizeof(bad_phones) / sizeof(bad_phones[0]); i++)
        assert_false(subs_check_phone(bad_phones[i], out, sizeof(out)));
}

static void areas_are_parsed_from_slugs_and_zips(void **state)
{
    (void)state;
    char why[200];
    const char *field = NULL;
    const char *slugs[] = {"downtown", "", "Downtown"};
    json_t *a = subs_parse_areas(0, slugs, 3, " 97214, 97215-1234 97214", why, sizeof(why), &field);
    assert_non_null(a);
    assert_int_equal(json_array_size(a), 3);
    assert_string_equal(json_string_value(json_array_get(a, 0)), "downtown");
    assert_string_equal(json_string_value(json_array_get(a, 1)), "97214");
    assert_string_equal(json_string_value(json_array_get(a, 2)), "97215");
    buf b = BUF_INIT;
    subs_areas_text(a, &b);
    assert_string_equal(buf_cstr(&b), "Downtown, 97214, 97215");
    buf_free(&b);
    json_decref(a);
    assert_null(subs_parse_areas(0, NULL, 0, "9721", why, sizeof(why), &field));
    assert_non_null(strstr(why, "9721"));
    assert_string_equal(field, "zips");
    assert_null(subs_parse_areas(0, NULL, 0, "  ", why, sizeof(why), &field));
    const char *nowhere[] = {"nowhere"};
    assert_null(subs_parse_areas(0, nowhere, 1, NULL, why, sizeof(why), &field));
    assert_string_equal(field, "area");
    const char *zip_as_slug[] = {"97214"};
    assert_null(subs_parse_areas(0, zip_as_slug, 1, NULL, why, sizeof(why), &field));
    assert_null(subs_parse_areas(0, NULL, 0, "10001 10002 10003 10004 10005 10006 10007 10008 10009 10010 10011", why,
                                 sizeof(why), &field));
}

static json_t *alert_doc(const char *zips_json, const char *desc)
{
    char text[400];
    snprintf(text, sizeof(text), "{\"headline\": \"H\", \"area\": {\"description\": \"%s\", \"zips\": %s}}", desc,
             zips_json);
    json_t *d = json_loads(text, 0, NULL);
    assert_non_null(d);
    return d;
}

static bool match(const char *zips_json, const char *desc, const char *areas_json)
{
    json_t *d = alert_doc(zips_json, desc), *a = json_loads(areas_json, 0, NULL);
    assert_non_null(a);
    bool m = subs_matches(d, a);
    json_decref(d);
    json_decref(a);
    return m;
}

static void alerts_match_by_zip_named_area_or_whole_site(void **state)
{
    (void)state;
    assert_true(match("[\"97214\"]", "", "[\"97214\"]"));
    assert_false(match("[\"97214\"]", "", "[\"97215\"]"));
    assert_true(match("[\"97205\", \"90210\"]", "", "[\"10001\", \"downtown\"]"));
    assert_false(match("[\"97214\"]", "", "[\"downtown\"]"));
    assert_true(match("[\"97214\"]", "", "[\"east-side\"]"));
    assert_true(match("[\"11111\"]", "Around downtown bridges", "[\"downtown\"]"));
    assert_false(match("[\"11111\"]", "Around downtown bridges", "[\"11112\"]"));
    assert_true(match("[]", "Everywhere", "[\"11112\"]"));
    json_t *d = json_loads("{\"headline\": \"H\"}", 0, NULL), *a = json_loads("[\"97214\"]", 0, NULL);
    assert_true(subs_matches(d, a));
    json_decref(d);
    json_decref(a);
}

static void hashes_and_unsubscribe_macs(void **state)
{
    (void)state;
    unsigned char h1[SUBS_HASH_BYTES], h2[SUBS_HASH_BYTES], h3[SUBS_HASH_BYTES];
    assert_true(subs_addr_hash("email", "a@example.org", h1));
    assert_true(subs_addr_hash("email", "a@example.org", h2));
    assert_memory_equal(h1, h2, sizeof(h1));
    assert_true(subs_addr_hash("sms", "a@example.org", h3));
    assert_memory_not_equal(h1, h3, sizeof(h1));
    assert_true(subs_token_hash("token", "abc", h2));
    assert_true(subs_token_hash("code", "abc", h3));
    assert_memory_not_equal(h2, h3, sizeof(h2));
    char mac[SUBS_UNSUB_LEN + 1];
    assert_true(subs_unsub_mac(12, 1700000000, mac, sizeof(mac)));
    assert_int_equal(strlen(mac), SUBS_UNSUB_LEN);
    assert_true(subs_unsub_ok(12, 1700000000, mac));
    assert_false(subs_unsub_ok(13, 1700000000, mac));
    assert_false(subs_unsub_ok(12, 1700000001, mac));
    assert_false(subs_unsub_ok(12, 1700000000, "short"));
    assert_false(subs_unsub_ok(12, 1700000000, NULL));
    char bad[SUBS_UNSUB_LEN + 1];
    memcpy(bad, mac, sizeof(bad));
    bad[0] = bad[0] == '0' ? '1' : '0';
    assert_false(subs_unsub_ok(12, 1700000000, bad));
    /* another key: other hashes, and the old MAC fails */
    unsigned char key[32];
    memset(key, 9, sizeof(key));
    secret_set(key);
    assert_true(subs_addr_hash("email", "a@example.org", h2));
    assert_memory_not_equal(h1, h2, sizeof(h1));
    assert_false(subs_unsub_ok(12, 1700000000, mac));
    assert_true(subs_is_stop_word(" stop "));
    assert_true(subs_is_stop_word("Unsubscribe"));
    assert_false(subs_is_stop_word("stop it"));
    assert_false(subs_is_stop_word("YES"));
    /* Spanish (issue 16): the English words keep working */
    assert_true(subs_is_stop_word("alto"));
    assert_true(subs_is_stop_word(" BAJA "));
    assert_true(subs_is_stop_word("Parar"));
    assert_true(subs_is_spanish_word("s\xc3\xad"));
    assert_true(subs_is_spanish_word("SI"));
    assert_true(subs_is_spanish_word("alto"));
    assert_false(subs_is_spanish_word("STOP"));
    assert_false(subs_is_spanish_word("YES"));
}

/* The code of the newest queued SMS (opened with the key). */
static void last_code(sqlite3 *db, char code[7])
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM notify_outbox ORDER BY id DESC LIMIT 1", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *body = secret_open(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    assert_non_null(body);
    const char *p = strstr(body, "code is ");
    assert_non_null(p);
    memcpy(code, p + 8, 6);
    code[6] = '\0';
    free(body);
}

static void requests_confirm_by_code_or_link(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    json_t *areas = json_loads("[\"97214\"]", 0, NULL);
    char token[SUBS_TOKEN_LEN + 1], code[7];
    int retry = 0;
    long id = 0;
    assert_int_equal(subs_request(db, "sms", "+15035550100", areas, "en", token, sizeof(token), &retry), SUBS_OK);
    last_code(db, code);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_pending"), 1);
    assert_int_equal(subs_confirm(db, token, NULL, &id), 2); /* an SMS request needs its code */
    char wrong[16];
    snprintf(wrong, sizeof(wrong), "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
    assert_int_equal(subs_confirm(db, token, wrong, &id), 2);
    assert_int_equal(subs_confirm(db, "0123456789abcdef0123456789abcdef", code, &id), 0);
    assert_int_equal(subs_confirm(db, token, code, &id), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_subscriber"), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_pending"), 0);
    assert_int_equal(subs_confirm(db, token, code, &id), 0); /* used */
    /* five wrong codes lock a request, even before the right one */
    assert_int_equal(subs_request(db, "sms", "+15035550101", areas, "en", token, sizeof(token), &retry), SUBS_OK);
    last_code(db, code);
    snprintf(wrong, sizeof(wrong), "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
    for (int i = 0; i < 4; i++)
        assert_int_equal(subs_confirm(db, token, wrong, &id), 2);
    assert_int_equal(subs_confirm(db, token, wrong, &id), 3);
    assert_int_equal(subs_confirm(db, token, code, &id), 3);
    /* email: the link alone; a code is refused */
    assert_int_equal(subs_request(db, "email", "a@example.org", areas, "en", token, sizeof(token), &retry), SUBS_OK);
    assert_int_equal(subs_confirm(db, token, "123456", &id), 0);
    assert_int_equal(subs_confirm(db, token, NULL, &id), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_subscriber"), 2);
    /* the same address again replaces its areas, still one row */
    assert_int_equal(subs_request(db, "email", "a@example.org", areas, "en", token, sizeof(token), &retry), SUBS_OK);
    assert_int_equal(subs_confirm(db, token, NULL, &id), 1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_subscriber"), 2);
    /* STOP by SMS deletes */
    assert_true(subs_stop_phone(db, "+15035550100"));
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_subscriber"), 1);
    json_decref(areas);
    db_close(db);
}

/* The last queued message's body (malloc'd). */
static char *last_body(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM notify_outbox ORDER BY id DESC LIMIT 1", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *body = secret_open(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    assert_non_null(body);
    return body;
}

static const char es_po[] =
    "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\nPlural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"
    "#, c-format\n"
    "msgid \"%s: your code is %s. Or reply YES to get drug alerts for %s. Reply STOP to stop.\"\n"
    "msgstr \"%s: su código es %s. O responda SÍ para recibir alertas de drogas de %s. Responda ALTO para dejar de "
    "recibirlas.\"\n";

/* A request made on a Spanish page (issue 16): the pending row and then
 * the subscriber keep "es", and the confirmation is in Spanish; a SÍ reply
 * confirms it and says so in Spanish. */
static void spanish_requests_keep_their_language(void **state)
{
    (void)state;
    char err[200];
    assert_true(i18n_add("es", "es.po", es_po, sizeof(es_po) - 1, err, sizeof(err)) > 0);
    sqlite3 *db = wp_memory_db();
    json_t *areas = json_loads("[\"97214\"]", 0, NULL);
    char token[SUBS_TOKEN_LEN + 1], lang[8];
    int retry = 0;
    assert_int_equal(subs_request(db, "sms", "+15035550177", areas, "es", token, sizeof(token), &retry), SUBS_OK);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_pending WHERE lang = 'es'"), 1);
    char *body = last_body(db);
    assert_non_null(strstr(body, "su código es"));
    assert_non_null(strstr(body, "Responda ALTO"));
    free(body);
    assert_int_equal(subs_confirm_phone(db, "+15035550177", "S\xc3\x8d", lang), 1);
    assert_string_equal(lang, "es");
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM sub_subscriber WHERE lang = 'es'"), 1);
    assert_int_equal(subs_confirm_phone(db, "+15035550177", "SI", lang), 0);
    assert_string_equal(lang, "");
    json_decref(areas);
    db_close(db);
    i18n_unload();
}

static void add_subscriber(sqlite3 *db, const char *channel, const char *address, const char *areas_json)
{
    json_t *areas = json_loads(areas_json, 0, NULL);
    unsigned char h[SUBS_HASH_BYTES];
    size_t n = 0;
    unsigned char *box = subs_secret_seal(address, areas, &n);
    long id = 0;
    assert_true(subs_addr_hash(channel, address, h));
    assert_true(subs_store_upsert(db, h, channel, box, n, 1700000000, "en", &id));
    free(box);
    json_decref(areas);
}

static void publishing_queues_matching_subscribers_and_partners(void **state)
{
    (void)state;
    sqlite3 *db = wp_memory_db();
    add_subscriber(db, "email", "near@example.org", "[\"97214\"]");
    add_subscriber(db, "sms", "+15035550100", "[\"east-side\"]");
    add_subscriber(db, "email", "far@example.org", "[\"10001\"]");
    long hid = 0;
    assert_true(subs_store_hook_add(db, "Partner", "https://partner.example.org/hook", 1, "admin", &hid));
    const char *doc = "{\"headline\": \"Bad batch\", \"area\": {\"description\": \"SE\", \"zips\": [\"97214\"]}}";
    assert_true(db_begin(db));
    assert_true(subs_on_alert(db, 5, "Alert", doc, "<alert/>"));
    assert_true(db_commit(db));
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE ref = 'alert:5' AND kind = 'subscription'"),
                     2);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE kind = 'subscription' AND channel = 'email' "
                               "AND unsubscribe IS NOT NULL"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE kind = 'subscription' AND channel = 'sms' "
                               "AND unsubscribe IS NULL"),
                     1);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE kind = 'partner' AND channel = 'webhook'"), 1);
    assert_true(db_begin(db));
    assert_true(subs_on_alert(db, 5, "Update", doc, NULL));
    assert_true(subs_on_alert(db, 5, "Cancel", doc, NULL));
    assert_true(db_commit(db));
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE kind = 'subscription'"), 4);
    assert_int_equal(wp_sql_long(db, "SELECT count(*) FROM notify_outbox WHERE kind = 'partner'"), 3);
    /* a bad document queues nothing */
    assert_false(subs_on_alert(db, 6, "Alert", "{not json", NULL));
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(addresses_are_checked_and_normalised, setup, teardown),
        cmocka_unit_test_setup_teardown(areas_are_parsed_from_slugs_and_zips, setup, teardown),
        cmocka_unit_test_setup_teardown(alerts_match_by_zip_named_area_or_whole_site, setup, teardown),
        cmocka_unit_test_setup_teardown(hashes_and_unsubscribe_macs, setup, teardown),
        cmocka_unit_test_setup_teardown(requests_confirm_by_code_or_link, setup, teardown),
        cmocka_unit_test_setup_teardown(spanish_requests_keep_their_language, setup, teardown),
        cmocka_unit_test_setup_teardown(publishing_queues_matching_subscribers_and_partners, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
