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
/* The breakers, one per route (see notify_route): the SMS gateway, the
 * mail server, and each webhook destination. An attempt to be retried
 * marks its route down: the route's messages leave the general claim, and
 * one probe at a time, the route's earliest-due message, goes at the
 * route's own backoff. The probe's success brings the route up and makes
 * its messages ready, so after an outage the backlog goes out in due
 * order (not in the order individual backoffs happen to end). A probe
 * message that fails PROBE_ROTATE times in a row while others wait goes
 * last, so one message a destination keeps refusing cannot hold it. A
 * route that answers again frees its slot; with every slot taken (more
 * than MAX_BREAKERS destinations down at once) a route's messages keep
 * their own backoff. */
#define PROBE_ROTATE 3
#define MAX_BREAKERS 64

typedef struct breaker {
    char route[40]; /* "": a free slot */
    bool probing;
    int64_t probe_at, last_id;
    int fails, same_fails;
} breaker;

static breaker breakers[MAX_BREAKERS];
static pthread_mutex_t breaker_mu = PTHREAD_MUTEX_INITIALIZER;

/* The slot of route, NULL when it is up. Under breaker_mu. */
static breaker *breaker_find(const char *route)
{
    for (int i = 0; i < MAX_BREAKERS; i++)
        if (breakers[i].route[0] && !strcmp(breakers[i].route, route))
            return &breakers[i];
    return NULL;
}

/* A down route is probed 250 ms after the first failure, doubling to at
 * most 5 s (with equal jitter): one message at a time costs the
 * destination little, and one that comes back is found within seconds. */
static int64_t probe_backoff_ms(int fails, uint32_t r)
{
    int64_t span = 250LL << (fails < 1 ? 0 : fails > 5 ? 5 : fails - 1);
    if (span > 5000)
        span = 5000;
    return span / 2 + (int64_t)(r % (uint32_t)(span / 2 + 1));
}

/* Marks route down (or keeps it down) after a failed attempt of message
 * id: when to probe it next, or -1 when no slot was free. */
static int64_t breaker_down(const char *route, int64_t id, int64_t now)
{
    pthread_mutex_lock(&breaker_mu);
    breaker *b = breaker_find(route);
    for (int i = 0; !b && i < MAX_BREAKERS; i++)
        if (!breakers[i].route[0]) {
            b = &breakers[i];
            memset(b, 0, sizeof(*b));
            str_copy(b->route, sizeof(b->route), route);
        }
    int64_t at = -1;
    if (b) {
        b->fails++;
        b->same_fails = b->last_id == id ? b->same_fails + 1 : 1;
        b->last_id = id;
        b->probe_at = now + probe_backoff_ms(b->fails, randombytes_random());
        at = b->probe_at;
    }
    pthread_mutex_unlock(&breaker_mu);
    return at;
}

/* The destination answered: its route is up. */
static void breaker_up(const char *route)
{
    pthread_mutex_lock(&breaker_mu);
    breaker *b = breaker_find(route);
    if (b && !b->probing) {
        b->route[0] = '\0';
    } else if (b) { /* its probe's end frees the slot */
        b->fails = 0;
        b->same_fails = 0;
        b->probe_at = 0;
    }
    pthread_mutex_unlock(&breaker_mu);
}

/* The routes that are down, as a JSON array of strings for the claim. */
static void down_routes(char *out, size_t n)
{
    size_t used = 0;
    out[used++] = '[';
    pthread_mutex_lock(&breaker_mu);
    for (int i = 0; i < MAX_BREAKERS; i++) {
        const breaker *b = &breakers[i];
        if (!b->route[0] || (b->fails == 0 && !b->probing))
            continue;
        int w = snprintf(out + used, n - used, "%s\"%s\"", used > 1 ? "," : "", b->route);
        if (w > 0 && (size_t)w < n - used - 1)
            used += (size_t)w; /* routes are [a-z:0-9] only: nothing to escape */
    }
    pthread_mutex_unlock(&breaker_mu);
    out[used++] = ']';
    out[used] = '\0';
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

bool notify_route(enum notify_channel channel, const char *dest, char *out, size_t n)
{
    if (channel != NOTIFY_WEBHOOK) {
        str_copy(out, n, channel_names[channel]);
        return true;
    }
    /* the URL's scheme, host and port, lower case */
    const char *p = strstr(dest, "://");
    size_t len = p ? (size_t)(p - dest) + 3 + strcspn(p + 3, "/?#") : strlen(dest);
    char origin[256];
    if (len >= sizeof(origin))
        len = sizeof(origin) - 1;
    for (size_t i = 0; i < len; i++)
        origin[i] = (char)((dest[i] >= 'A' && dest[i] <= 'Z') ? dest[i] + 32 : dest[i]);
    unsigned char mac[SECRET_MAC_BYTES];
    char hex[17];
    if (n < sizeof("webhook:") + 16 || !secret_mac("outbox-route", origin, len, mac))
        return false;
    sodium_bin2hex(hex, sizeof(hex), mac, 8);
    snprintf(out, n, "webhook:%s", hex);
    return true;
}

bool notify_enqueue(sqlite3 *db, const notify_msg *m)
{
    if (!secret_ready() || !m->dest || !m->body || (unsigned)m->channel > NOTIFY_WEBHOOK)
        return false;
    unsigned char raw[16];
    char key[33], route[40];
    if (!notify_route(m->channel, m->dest, route, sizeof(route)))
        return false;
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
    outbox_row row = {key, channel_names[m->channel], route, d, s, b, u, dl, sl, bl, ul, m->ref, m->kind,
                      m->due_at, notify_now_ms()};
    bool ok = d && b && (!m->unsubscribe || u) && outbox_insert(db, &row);
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

/* Records what an attempt came to; true unless the database failed. */
static bool record(sqlite3 *db, const outbox_item *it, enum notify_result r, const char *why)
{
    int64_t now = notify_now_ms();
    if (r == NOTIFY_SENT) {
        atomic_fetch_add(&n_sent, 1);
        breaker_up(it->route);
        /* a delivery says the route works: what waits on a backoff goes now */
        return outbox_mark_sent(db, it->id, now) && outbox_wake_route(db, it->route, now);
    }
    if (r == NOTIFY_FAILED) /* the destination answered (a refusal of this one message): the rest may go */
        breaker_up(it->route);
    if (r == NOTIFY_FAILED && !outbox_wake_route(db, it->route, now))
        return false;
    if (r == NOTIFY_RETRY && now - it->due_at < GIVE_UP_MS) {
        atomic_fetch_add(&n_retried, 1);
        /* it waits for its route, as a probe or after one; its own
         * backoff only when every breaker is taken */
        int64_t next = breaker_down(it->route, it->id, now);
        if (next < 0)
            next = now + notify_backoff_ms(it->attempts, randombytes_random());
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

/* Picks a down route whose probe is due and marks it probing: its route
 * and the message to send last into route/last; false when none. */
static bool probe_due(int64_t now, char *route, size_t n, int64_t *last)
{
    bool got = false;
    pthread_mutex_lock(&breaker_mu);
    for (int i = 0; i < MAX_BREAKERS && !got; i++) {
        breaker *b = &breakers[i];
        if (!b->route[0] || b->probing || b->fails == 0 || b->probe_at > now)
            continue;
        b->probing = got = true;
        str_copy(route, n, b->route);
        *last = b->same_fails >= PROBE_ROTATE ? b->last_id : 0;
    }
    pthread_mutex_unlock(&breaker_mu);
    return got;
}

/* A probe claimed nothing (or failed to): the route is up when nothing is
 * left to send there. */
static void probe_none(const char *route, bool empty)
{
    pthread_mutex_lock(&breaker_mu);
    breaker *b = breaker_find(route);
    if (b) {
        b->probing = false;
        if (empty)
            b->route[0] = '\0';
    }
    pthread_mutex_unlock(&breaker_mu);
}

/* A down route's probe, when it is time for one and none is out. */
static int claim_probe(sqlite3 *db, outbox_item *it, int64_t now)
{
    char route[40];
    int64_t last;
    while (probe_due(now, route, sizeof(route), &last)) {
        int got = outbox_claim_probe(db, route, last, it);
        if (got == 1) {
            it->probe = true;
            return 1;
        }
        probe_none(route, got == 0);
        if (got < 0)
            return -1;
    }
    return 0;
}

/* The next message to send: a probe, else the earliest-due ready message
 * of a route that is up. */
static int claim_next(sqlite3 *db, outbox_item *it)
{
    int64_t now = notify_now_ms();
    int got = claim_probe(db, it, now);
    if (got != 0)
        return got;
    char skip[MAX_BREAKERS * 44 + 4];
    down_routes(skip, sizeof(skip));
    return outbox_claim(db, now, skip, it);
}

/* A probe's attempt is over: the route's next probe may go, or, when it
 * worked, the route's slot is free. */
static void end_probe(const outbox_item *it)
{
    if (!it->probe)
        return;
    pthread_mutex_lock(&breaker_mu);
    breaker *b = breaker_find(it->route);
    if (b) {
        b->probing = false;
        if (b->fails == 0)
            b->route[0] = '\0';
    }
    pthread_mutex_unlock(&breaker_mu);
    notify_kick(); /* the backlog may go now, or the next probe is due */
}

/* When to look again with nothing to send: the next message's next_at, a
 * down route's next probe, or IDLE_MS, whichever is first. */
static int64_t wake_time(sqlite3 *db, int got)
{
    char skip[MAX_BREAKERS * 44 + 4];
    down_routes(skip, sizeof(skip));
    int64_t now = notify_now_ms(), next = got == 0 ? outbox_next_at(db, skip) : -1, wake = now + IDLE_MS;
    if (next >= 0 && next < wake)
        wake = next;
    pthread_mutex_lock(&breaker_mu);
    for (int i = 0; i < MAX_BREAKERS; i++) /* a probe in flight kicks the others when it ends */
        if (breakers[i].route[0] && breakers[i].fails > 0 && !breakers[i].probing && breakers[i].probe_at < wake)
            wake = breakers[i].probe_at;
    pthread_mutex_unlock(&breaker_mu);
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
