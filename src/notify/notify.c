/* notify: queuing, the sender threads, backoff and the counters. See
 * notify.h.
 *
 * A sender thread loops: claim the ready message with the earliest due
 * time (outbox_claim commits the claim, so two threads never send one
 * message), open its sealed columns, deliver it outside any transaction,
 * then record the outcome. With nothing ready it sleeps until the next
 * message's next_at or a kick, at most a second (so a message queued by
 * another process is seen too). A crash between delivery and the record
 * leaves the row claimed; the next start releases it and it goes again
 * with the same idempotency key (at least once). A message still not
 * delivered a day after it came due is given up as failed. */
#include "notify/notify.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "notify/channels.h"
#include "notify/notify_store.h"
#include "notify/secret.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 16
#define IDLE_MS 1000
#define GIVE_UP_MS (24LL * 3600 * 1000)

static const char *const channel_names[] = {"sms", "email", "webhook"};

static atomic_ulong n_queued, n_sent, n_failed, n_retried;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER; /* CLOCK_REALTIME, as notify_now_ms */
static unsigned long kicks;
static atomic_bool stopping;
/* When each channel last delivered (ms), so a message whose attempt failed
 * while the gateway was coming back is tried again at once rather than
 * after its backoff, and the backlog goes out in due order. */
static _Atomic int64_t last_ok[3];

static _Atomic int64_t *last_ok_of(const char *channel)
{
    return &last_ok[!strcmp(channel, "sms") ? 0 : !strcmp(channel, "email") ? 1 : 2];
}

/* The gateway breaker, for SMS and email (each one gateway; webhooks go to
 * many hosts and keep per-message backoff). An attempt to be retried marks
 * the channel down: its messages leave the general claim, and one probe at
 * a time, the channel's earliest-due message, goes at the channel's own
 * backoff. The probe's success brings the channel up and makes its
 * messages ready, so after an outage the backlog goes out in due order
 * (not in the order individual backoffs happen to end). A probe message
 * that fails PROBE_ROTATE times in a row while others wait goes last, so
 * one message the gateway keeps refusing cannot hold the channel. */
#define PROBE_ROTATE 3

typedef struct breaker {
    atomic_bool down, probing;
    _Atomic int64_t probe_at, last_id;
    atomic_int fails, same_fails;
} breaker;

static breaker breakers[2]; /* sms, email */

static breaker *breaker_of(const char *channel)
{
    return !strcmp(channel, "sms") ? &breakers[0] : !strcmp(channel, "email") ? &breakers[1] : NULL;
}

/* A down channel is probed 250 ms after the first failure, doubling to at
 * most 5 s (with equal jitter): one message at a time costs the gateway
 * little, and a gateway that comes back is found within seconds. */
static int64_t probe_backoff_ms(int fails, uint32_t r)
{
    int64_t span = 250LL << (fails < 1 ? 0 : fails > 5 ? 5 : fails - 1);
    if (span > 5000)
        span = 5000;
    return span / 2 + (int64_t)(r % (uint32_t)(span / 2 + 1));
}

/* What an attempt says about its channel's gateway. */
static void breaker_note(const outbox_item *it, enum notify_result r, int64_t now)
{
    breaker *b = breaker_of(it->channel);
    if (!b)
        return;
    if (r != NOTIFY_RETRY) { /* the gateway answered */
        atomic_store(&b->down, false);
        atomic_store(&b->fails, 0);
        atomic_store(&b->same_fails, 0);
        return;
    }
    int f = atomic_fetch_add(&b->fails, 1) + 1;
    if (atomic_exchange(&b->last_id, it->id) == it->id)
        atomic_fetch_add(&b->same_fails, 1);
    else
        atomic_store(&b->same_fails, 1);
    atomic_store(&b->probe_at, now + probe_backoff_ms(f, randombytes_random()));
    atomic_store(&b->down, true);
}

static pthread_t threads[MAX_THREADS];
static int nthreads_running;
static const config *run_cfg;

int64_t notify_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t notify_backoff_ms(int attempts, uint32_t r)
{
    int shift = attempts < 1 ? 0 : attempts - 1;
    if (shift > 6)
        shift = 6;
    int64_t span = 1000LL << shift;
    if (span > 60000)
        span = 60000;
    int64_t half = span / 2;
    return half + (int64_t)(r % (uint32_t)(half + 1));
}

enum notify_result notify_classify_http(bool curl_ok, bool permanent, long status)
{
    if (!curl_ok)
        return permanent ? NOTIFY_FAILED : NOTIFY_RETRY;
    if (status >= 200 && status < 300)
        return NOTIFY_SENT;
    if (status >= 500 || status == 408 || status == 429 || status == 0)
        return NOTIFY_RETRY;
    return NOTIFY_FAILED;
}

enum notify_result notify_classify_smtp(bool curl_ok, bool permanent, long code)
{
    if (curl_ok)
        return NOTIFY_SENT;
    if (permanent || code >= 500)
        return NOTIFY_FAILED;
    return NOTIFY_RETRY;
}

/* "queued" counts messages whose transaction committed: each enqueue is
 * pending on its thread until the connection's commit (counted) or
 * rollback (dropped). */
static _Thread_local unsigned long pending_queued;

static int on_commit(void *arg)
{
    (void)arg;
    atomic_fetch_add(&n_queued, pending_queued);
    pending_queued = 0;
    return 0;
}

static void on_rollback(void *arg)
{
    (void)arg;
    pending_queued = 0;
}

static void count_on_commit(sqlite3 *db)
{
    sqlite3_commit_hook(db, on_commit, NULL);
    sqlite3_rollback_hook(db, on_rollback, NULL);
}

bool notify_enqueue(sqlite3 *db, const notify_msg *m)
{
    if (!secret_ready() || !m->dest || !m->body || (unsigned)m->channel > NOTIFY_WEBHOOK)
        return false;
    unsigned char raw[16];
    char key[33];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(key, sizeof(key), raw, sizeof(raw));
    size_t dl = 0, sl = 0, bl = 0;
    unsigned char *d = secret_seal(m->dest, strlen(m->dest), &dl);
    unsigned char *s = m->subject ? secret_seal(m->subject, strlen(m->subject), &sl) : NULL;
    unsigned char *b = secret_seal(m->body, strlen(m->body), &bl);
    size_t ul = 0;
    unsigned char *u = m->unsubscribe ? secret_seal(m->unsubscribe, strlen(m->unsubscribe), &ul) : NULL;
    count_on_commit(db);
    pending_queued++;
    bool ok = d && b && (!m->unsubscribe || u) &&
              outbox_insert(db, key, channel_names[m->channel], d, dl, s, sl, b, bl, m->ref, m->kind, m->due_at,
                            notify_now_ms(), u, ul);
    if (!ok && pending_queued > 0)
        pending_queued--;
    free(u);
    free(d);
    free(s);
    free(b);
    return ok;
}

void notify_kick(void)
{
    pthread_mutex_lock(&mu);
    kicks++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

/* Sleeps until wake_at (ms, CLOCK_REALTIME as notify_now_ms), a kick or stop. */
static void idle_until(int64_t wake_at, unsigned long seen)
{
    struct timespec ts = {(time_t)(wake_at / 1000), (long)(wake_at % 1000) * 1000000L};
    pthread_mutex_lock(&mu);
    while (kicks == seen && !atomic_load(&stopping) && notify_now_ms() < wake_at)
        if (pthread_cond_timedwait(&cv, &mu, &ts) != 0)
            break;
    pthread_mutex_unlock(&mu);
}

#define RECOVERED_MS 3000
#define RECOVERED_RETRY_MS 200
#define RECOVERED_TRIES 5

/* Records what an attempt came to; true unless the database failed. */
static bool record(sqlite3 *db, const outbox_item *it, enum notify_result r, const char *why)
{
    int64_t now = notify_now_ms();
    breaker_note(it, r, now);
    if (r == NOTIFY_SENT) {
        atomic_fetch_add(&n_sent, 1);
        atomic_store(last_ok_of(it->channel), now);
        /* a delivery says the channel works: what waits on a backoff goes now */
        return outbox_mark_sent(db, it->id, now) && outbox_wake_channel(db, it->channel, now);
    }
    if (r == NOTIFY_FAILED && breaker_of(it->channel) && !outbox_wake_channel(db, it->channel, now))
        return false; /* the gateway answered (a refusal of this one message): the rest may go */
    if (r == NOTIFY_RETRY && now - it->due_at < GIVE_UP_MS) {
        atomic_fetch_add(&n_retried, 1);
        int64_t next = now + notify_backoff_ms(it->attempts, randombytes_random());
        /* the channel just worked, so this failure was in flight while it
         * came back; a message that keeps failing alone backs off as usual */
        if (now - atomic_load(last_ok_of(it->channel)) < RECOVERED_MS && it->attempts < RECOVERED_TRIES)
            next = now + RECOVERED_RETRY_MS;
        const breaker *b = breaker_of(it->channel);
        if (b)
            next = atomic_load(&b->probe_at); /* it waits for the channel, as a probe or after one */
        log_warn("notify: message %lld (%s) attempt %d: %s; next try in %lld ms", (long long)it->id, it->channel,
                 it->attempts, why, (long long)(next - now));
        return outbox_mark_retry(db, it->id, next, why);
    }
    atomic_fetch_add(&n_failed, 1);
    log_error("notify: message %lld (%s) failed for good after %d attempt(s): %s", (long long)it->id, it->channel,
              it->attempts, why);
    return outbox_mark_failed(db, it->id, why);
}

/* Opens and delivers one claimed message, then records it. */
static bool deliver(sqlite3 *db, CURL *h, const outbox_item *it)
{
    char *dest = secret_open(it->dest, it->dest_len);
    char *subject = it->subject ? secret_open(it->subject, it->subject_len) : NULL;
    char *body = secret_open(it->body, it->body_len);
    char *unsub = it->unsubscribe ? secret_open(it->unsubscribe, it->unsubscribe_len) : NULL;
    char why[256] = "";
    enum notify_result r;
    if (!dest || !body || (it->subject && !subject) || (it->unsubscribe && !unsub)) {
        snprintf(why, sizeof(why), "cannot be opened with this key");
        r = NOTIFY_FAILED;
    } else {
        channel_msg m = {it->channel, it->idem_key, dest, subject, body, unsub};
        r = channel_send(h, run_cfg, &m, &stopping, why, sizeof(why));
        if (r != NOTIFY_SENT && atomic_load(&stopping))
            r = NOTIFY_RETRY;
    }
    if (dest)
        sodium_memzero(dest, strlen(dest));
    if (body)
        sodium_memzero(body, strlen(body));
    free(dest);
    free(subject);
    free(body);
    free(unsub);
    return record(db, it, r, why);
}

/* A down channel's probe, when it is time for one and none is out. */
static int claim_probe(sqlite3 *db, outbox_item *it, int64_t now)
{
    static const char *const names[2] = {"sms", "email"};
    for (int i = 0; i < 2; i++) {
        breaker *b = &breakers[i];
        if (!atomic_load(&b->down) || atomic_load(&b->probe_at) > now)
            continue;
        bool idle = false;
        if (!atomic_compare_exchange_strong(&b->probing, &idle, true))
            continue;
        int64_t last = atomic_load(&b->same_fails) >= PROBE_ROTATE ? atomic_load(&b->last_id) : 0;
        int got = outbox_claim_probe(db, names[i], last, it);
        if (got == 1) {
            it->probe = true;
            return 1;
        }
        if (got == 0)
            atomic_store(&b->down, false); /* nothing left to send there */
        atomic_store(&b->probing, false);
        if (got < 0)
            return -1;
    }
    return 0;
}

/* The next message to send: a probe, else the earliest-due ready message
 * of a channel that is up. */
static int claim_next(sqlite3 *db, outbox_item *it)
{
    int64_t now = notify_now_ms();
    int got = claim_probe(db, it, now);
    if (got != 0)
        return got;
    return outbox_claim(db, now, atomic_load(&breakers[0].down) ? "sms" : NULL,
                        atomic_load(&breakers[1].down) ? "email" : NULL, it);
}

static void end_probe(const outbox_item *it)
{
    breaker *b = it->probe ? breaker_of(it->channel) : NULL;
    if (!b)
        return;
    atomic_store(&b->probing, false);
    notify_kick(); /* the backlog may go now, or the next probe is due */
}

/* When to look again with nothing to send: the next message's next_at, a
 * down channel's next probe, or IDLE_MS, whichever is first. */
static int64_t wake_time(sqlite3 *db, int got)
{
    const char *skip1 = atomic_load(&breakers[0].down) ? "sms" : NULL;
    const char *skip2 = atomic_load(&breakers[1].down) ? "email" : NULL;
    int64_t now = notify_now_ms(), next = got == 0 ? outbox_next_at(db, skip1, skip2) : -1, wake = now + IDLE_MS;
    if (next >= 0 && next < wake)
        wake = next;
    for (int i = 0; i < 2; i++) /* a probe in flight kicks the others when it ends */
        if (atomic_load(&breakers[i].down) && !atomic_load(&breakers[i].probing) &&
            atomic_load(&breakers[i].probe_at) < wake)
            wake = atomic_load(&breakers[i].probe_at);
    return wake;
}

static void *sender(void *arg)
{
    (void)arg;
    char err[512];
    sqlite3 *db = db_open_command(run_cfg->db_path, err, sizeof(err));
    CURL *h = curl_easy_init();
    if (!db || !h) {
        log_error("notify: a sender cannot start: %s", db ? "libcurl" : err);
        if (db)
            db_close(db);
        if (h)
            curl_easy_cleanup(h);
        return NULL;
    }
    while (!atomic_load(&stopping)) {
        pthread_mutex_lock(&mu);
        unsigned long seen = kicks;
        pthread_mutex_unlock(&mu);
        outbox_item it;
        int got = claim_next(db, &it);
        if (got == 1) {
            if (!deliver(db, h, &it))
                idle_until(notify_now_ms() + IDLE_MS, seen); /* the claim stays; released at next start */
            end_probe(&it);
            outbox_item_free(&it);
            continue;
        }
        idle_until(wake_time(db, got), seen);
    }
    curl_easy_cleanup(h);
    db_close(db);
    return NULL;
}

bool notify_start(const config *cfg, int nthreads, char *err, size_t errlen)
{
    char path[600];
    if (!secret_path(cfg, path, sizeof(path))) {
        snprintf(err, errlen, "checkin.key_file: the path is too long");
        return false;
    }
    if (!secret_load(path, err, errlen))
        return false;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not start");
        return false;
    }
    sqlite3 *db = db_open_command(cfg->db_path, err, errlen);
    bool ok = db && outbox_release_claims(db);
    if (db)
        db_close(db);
    if (!ok) {
        if (db)
            snprintf(err, errlen, "notify: the outbox could not be read");
        return false;
    }
    run_cfg = cfg;
    atomic_store(&stopping, false);
    nthreads_running = 0;
    for (int i = 0; i < nthreads && i < MAX_THREADS; i++) {
        if (pthread_create(&threads[i], NULL, sender, NULL) != 0)
            break;
        nthreads_running++;
    }
    if (nthreads_running == 0) {
        snprintf(err, errlen, "notify: no sender thread could start");
        return false;
    }
    return true;
}

void notify_stop(void)
{
    if (nthreads_running == 0)
        return;
    atomic_store(&stopping, true);
    notify_kick();
    for (int i = 0; i < nthreads_running; i++)
        pthread_join(threads[i], NULL);
    nthreads_running = 0;
    curl_global_cleanup();
    secret_unload();
}

bool notify_load(const config *cfg, char *err, size_t errlen)
{
    return notify_start(cfg, 4, err, errlen);
}

void notify_unload(void)
{
    notify_stop();
}

void notify_metrics_write(buf *out)
{
    buf_printf(out,
               "# HELP waypost_notify_messages_total Outbox messages by what happened to them.\n"
               "# TYPE waypost_notify_messages_total counter\n"
               "waypost_notify_messages_total{event=\"queued\"} %lu\n"
               "waypost_notify_messages_total{event=\"sent\"} %lu\n"
               "waypost_notify_messages_total{event=\"failed\"} %lu\n"
               "waypost_notify_messages_total{event=\"retried\"} %lu\n",
               atomic_load(&n_queued), atomic_load(&n_sent), atomic_load(&n_failed), atomic_load(&n_retried));
}
