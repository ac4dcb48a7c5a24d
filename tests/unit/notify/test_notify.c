/* test_notify: unit tests for src/notify/: the backoff (1 s doubling to
 * 60 s, equal jitter: never below half, never above the span), which
 * answers are retried (timeouts, 5xx, 408, 429; never another 4xx; SMTP's
 * 4xx is transient and its 5xx permanent), the webhook signature (HMAC-SHA256
 * over TIMESTAMP "." BODY, checked against a known vector), sealing at rest,
 * and the outbox store on an in-memory database: enqueue inside the
 * caller's transaction (a rollback leaves nothing), claims in order of due
 * time, a claimed message is not claimed twice, retry and release. */
#include "core/buf.h"
#include "notify/channels.h"
#include "notify/notify.h"
#include "notify/notify_store.h"
#include "notify/secret.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "wp_test.h"

static void backoff_doubles_with_jitter(void **state)
{
    (void)state;
    int64_t span = 1000;
    for (int a = 1; a <= 12; a++) {
        int64_t lo = notify_backoff_ms(a, 0), hi = notify_backoff_ms(a, UINT32_MAX - 7);
        assert_int_equal(lo, span / 2);
        assert_true(hi >= lo && hi <= span);
        for (uint32_t r = 0; r < 5000; r += 37) {
            int64_t d = notify_backoff_ms(a, r * 2654435761u);
            assert_true(d >= span / 2 && d <= span);
        }
        if (span < 60000)
            span = span * 2 > 60000 ? 60000 : span * 2;
    }
    assert_int_equal(notify_backoff_ms(40, 0), 30000); /* capped at 60 s */
    assert_int_equal(notify_backoff_ms(0, 0), 500);
}

static void which_answers_are_retried(void **state)
{
    (void)state;
    assert_int_equal(notify_classify_http(true, false, 200), NOTIFY_SENT);
    assert_int_equal(notify_classify_http(true, false, 201), NOTIFY_SENT);
    assert_int_equal(notify_classify_http(true, false, 500), NOTIFY_RETRY);
    assert_int_equal(notify_classify_http(true, false, 503), NOTIFY_RETRY);
    assert_int_equal(notify_classify_http(true, false, 429), NOTIFY_RETRY);
    assert_int_equal(notify_classify_http(true, false, 408), NOTIFY_RETRY);
    assert_int_equal(notify_classify_http(true, false, 400), NOTIFY_FAILED);
    assert_int_equal(notify_classify_http(true, false, 401), NOTIFY_FAILED);
    assert_int_equal(notify_classify_http(true, false, 404), NOTIFY_FAILED);
    assert_int_equal(notify_classify_http(true, false, 301), NOTIFY_FAILED);
    assert_int_equal(notify_classify_http(false, false, 0), NOTIFY_RETRY); /* timeout, refused */
    assert_int_equal(notify_classify_http(false, true, 0), NOTIFY_FAILED); /* malformed URL */
    assert_int_equal(notify_classify_smtp(true, false, 250), NOTIFY_SENT);
    assert_int_equal(notify_classify_smtp(false, false, 451), NOTIFY_RETRY);
    assert_int_equal(notify_classify_smtp(false, false, 550), NOTIFY_FAILED);
    assert_int_equal(notify_classify_smtp(false, false, 0), NOTIFY_RETRY);
    assert_int_equal(notify_classify_smtp(false, true, 535), NOTIFY_FAILED);
}

static void webhook_signature(void **state)
{
    (void)state;
    char sig[80];
    /* python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"1700000000.{}",hashlib.sha256).hexdigest())' */
    channel_sign("key", "1700000000", "{}", sig, sizeof(sig));
    assert_string_equal(sig, "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
    char other[80];
    channel_sign("key", "1700000001", "{}", other, sizeof(other));
    assert_string_not_equal(sig, other);
}

static void sealed_at_rest(void **state)
{
    (void)state;
    unsigned char key[32];
    memset(key, 7, sizeof(key));
    secret_set(key);
    size_t n = 0;
    unsigned char *box = secret_seal("Flat 2B", 7, &n);
    assert_non_null(box);
    assert_int_equal(n, 24 + 16 + 7);
    assert_null(memmem(box, n, "Flat", 4));
    char *plain = secret_open(box, n);
    assert_string_equal(plain, "Flat 2B");
    free(plain);
    box[30] ^= 1;
    assert_null(secret_open(box, n)); /* tampered */
    assert_null(secret_open(box, 10));
    free(box);
}

static void outbox_in_the_callers_transaction(void **state)
{
    (void)state;
    unsigned char key[32] = {1};
    secret_set(key);
    sqlite3 *db = wp_memory_db();
    notify_msg late = {NOTIFY_SMS, "+15035550100", NULL, "second", "checkin:1", "alert", 2000, NULL};
    notify_msg early = {NOTIFY_EMAIL, "a@example.org", "Subject", "first", "checkin:2", "alert", 1000, NULL};
    assert_true(db_begin(db));
    assert_true(notify_enqueue(db, &late));
    db_rollback(db); /* the cause rolled back: so did its message */
    outbox_item it;
    assert_int_equal(outbox_claim(db, notify_now_ms(), NULL, &it), 0);
    assert_true(db_begin(db));
    assert_true(notify_enqueue(db, &late) && notify_enqueue(db, &early));
    assert_true(db_commit(db));
    int64_t now = notify_now_ms();
    assert_int_equal(outbox_claim(db, now, NULL, &it), 1); /* earliest due first */
    assert_string_equal(it.channel, "email");
    assert_int_equal(it.attempts, 1);
    char *body = secret_open(it.body, it.body_len), *dest = secret_open(it.dest, it.dest_len);
    assert_string_equal(body, "first");
    assert_string_equal(dest, "a@example.org");
    free(body);
    free(dest);
    int64_t first = it.id;
    outbox_item it2;
    assert_int_equal(outbox_claim(db, now, NULL, &it2), 1); /* the claimed one is not handed out again */
    assert_true(it2.id != first);
    assert_true(outbox_mark_retry(db, it2.id, now + 60000, "HTTP 503"));
    outbox_item none;
    assert_int_equal(outbox_claim(db, now, NULL, &none), 0);
    assert_int_equal(outbox_next_at(db, NULL), now + 60000);
    assert_true(outbox_wake_route(db, "sms", now)); /* a delivery on sms worked: the backlog goes now */
    assert_int_equal(outbox_claim(db, now, NULL, &none), 1);
    assert_int_equal(none.attempts, 2);
    assert_string_equal(none.idem_key, it2.idem_key); /* the same key on every attempt */
    assert_true(outbox_release_claims(db)); /* a restart: both claims are ready again */
    outbox_item again;
    assert_int_equal(outbox_claim(db, now, NULL, &again), 1);
    assert_int_equal(again.id, first);
    assert_true(outbox_mark_sent(db, again.id, now));
    assert_true(outbox_delete_ref(db, "checkin:1"));
    outbox_item_free(&it);
    outbox_item_free(&it2);
    outbox_item_free(&none);
    outbox_item_free(&again);
    db_close(db);
    secret_unload();
}

/* waypost_notify_messages_total{event="queued"} as /metrics shows it. */
static unsigned long queued_count(void)
{
    buf b;
    buf_init(&b, 0);
    notify_metrics_write(&b);
    const char *p = strstr(b.data, "{event=\"queued\"} ");
    unsigned long n = p ? strtoul(p + strlen("{event=\"queued\"} "), NULL, 10) : 999999;
    buf_free(&b);
    return n;
}

/* A down channel leaves the general claim and the wake time; its probe is
 * its earliest-due message even while that one waits out a backoff, and a
 * message that keeps failing alone goes last. Only committed messages
 * count as queued. */
static void down_channel_probes_in_due_order(void **state)
{
    (void)state;
    unsigned char key[32] = {2};
    secret_set(key);
    sqlite3 *db = wp_memory_db();
    unsigned long before = queued_count();
    notify_msg s1 = {NOTIFY_SMS, "+15035550101", NULL, "one", "checkin:1", "alert", 1000, NULL};
    notify_msg s2 = {NOTIFY_SMS, "+15035550102", NULL, "two", "checkin:2", "alert", 2000, NULL};
    notify_msg e1 = {NOTIFY_EMAIL, "a@example.org", "S", "mail", "checkin:3", "alert", 1500, NULL};
    assert_true(db_begin(db));
    assert_true(notify_enqueue(db, &s1) && notify_enqueue(db, &s2));
    db_rollback(db);
    assert_int_equal(queued_count(), before); /* rolled back: never queued */
    assert_true(db_begin(db));
    assert_true(notify_enqueue(db, &s2) && notify_enqueue(db, &s1) && notify_enqueue(db, &e1));
    assert_true(db_commit(db));
    assert_int_equal(queued_count(), before + 3);
    int64_t now = notify_now_ms();
    outbox_item a, b, c;
    assert_int_equal(outbox_claim(db, now, "[\"sms\"]", &a), 1); /* sms is down: email goes */
    assert_string_equal(a.channel, "email");
    assert_true(outbox_mark_retry(db, a.id, now + 5000, "HTTP 503"));
    assert_int_equal(outbox_next_at(db, "[\"sms\"]"), now + 5000);
    assert_int_equal(outbox_claim(db, now, "[\"sms\"]", &b), 0);
    assert_int_equal(outbox_claim_probe(db, "sms", 0, &b), 1);
    char *body = secret_open(b.body, b.body_len);
    assert_string_equal(body, "one"); /* earliest due, though enqueued second */
    free(body);
    assert_true(outbox_mark_retry(db, b.id, now + 60000, "timeout")); /* waits out a backoff */
    assert_int_equal(outbox_claim_probe(db, "sms", 0, &c), 1);
    assert_int_equal(c.id, b.id); /* still the probe: due order, not backoff order */
    assert_true(outbox_mark_retry(db, c.id, now + 60000, "timeout"));
    outbox_item_free(&c);
    assert_int_equal(outbox_claim_probe(db, "sms", b.id, &c), 1); /* it keeps failing alone: the next */
    body = secret_open(c.body, c.body_len);
    assert_string_equal(body, "two");
    free(body);
    outbox_item_free(&a);
    outbox_item_free(&b);
    outbox_item_free(&c);
    db_close(db);
    secret_unload();
}

/* Each webhook destination (scheme, host and port) is its own route, so
 * one that is down holds back only its own messages; the route does not
 * show the URL. SMS and email have one route each. */
static void webhook_routes_per_destination(void **state)
{
    (void)state;
    unsigned char key[32] = {3};
    secret_set(key);
    char a[40], a2[40], b[40], c[40], sms[40];
    assert_true(notify_route(NOTIFY_WEBHOOK, "https://hooks.example.org/a?x=1", a, sizeof(a)));
    assert_true(notify_route(NOTIFY_WEBHOOK, "HTTPS://Hooks.Example.org/b", a2, sizeof(a2)));
    assert_true(notify_route(NOTIFY_WEBHOOK, "https://other.example.org/a", b, sizeof(b)));
    assert_true(notify_route(NOTIFY_WEBHOOK, "https://hooks.example.org:8443/a", c, sizeof(c)));
    assert_true(notify_route(NOTIFY_SMS, "+15035550100", sms, sizeof(sms)));
    assert_string_equal(sms, "sms");
    assert_string_equal(a, a2); /* same origin, another path */
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), strlen("webhook:") + 16);
    assert_null(strstr(a, "example"));
    char tiny[8];
    assert_false(notify_route(NOTIFY_WEBHOOK, "https://x.org/", tiny, sizeof(tiny)));

    sqlite3 *db = wp_memory_db();
    notify_msg w1 = {NOTIFY_WEBHOOK, "https://hooks.example.org/a", NULL, "{}", "checkin:1", "responder", 1000, NULL};
    notify_msg w2 = {NOTIFY_WEBHOOK, "https://other.example.org/a", NULL, "{}", "checkin:2", "responder", 2000, NULL};
    assert_true(db_begin(db));
    assert_true(notify_enqueue(db, &w1) && notify_enqueue(db, &w2));
    assert_true(db_commit(db));
    char skip[64];
    snprintf(skip, sizeof(skip), "[\"%s\"]", a);
    outbox_item it;
    assert_int_equal(outbox_claim(db, notify_now_ms(), skip, &it), 1); /* hooks.example.org is down: other goes */
    assert_string_equal(it.route, b);
    outbox_item_free(&it);
    assert_int_equal(outbox_claim(db, notify_now_ms(), skip, &it), 0);
    assert_int_equal(outbox_claim_probe(db, a, 0, &it), 1);
    assert_string_equal(it.route, a);
    outbox_item_free(&it);
    db_close(db);
    secret_unload();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_doubles_with_jitter), cmocka_unit_test(which_answers_are_retried),
        cmocka_unit_test(webhook_signature), cmocka_unit_test(sealed_at_rest),
        cmocka_unit_test(outbox_in_the_callers_transaction), cmocka_unit_test(down_channel_probes_in_due_order),
        cmocka_unit_test(webhook_routes_per_destination),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
