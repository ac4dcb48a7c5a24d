/* checkin_sched: the scheduler thread that fires each step of each timer
 * at its time, the hourly deletion of ended check-ins, the in-memory
 * limits on starting, and the feature's metrics. See checkin.h.
 *
 * The thread sleeps until the earliest next_at or a kick (a new or changed
 * timer), at most a second. A step fires in one write transaction: read
 * the row, decide the step again (ck_next_step), queue its messages,
 * change the row with a conditional UPDATE on its version; if anything
 * fails the transaction rolls back and the step is tried again on the next
 * pass, so a step is never half done. A check-in that wins the race (its
 * transaction committed first) leaves the timer with no step to fire. After
 * a restart every step that came due while the server was down is due at
 * once, oldest first. */
#include "checkin/checkin_int.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/ratelimit.h"
#include "notify/notify.h"
#include "notify/secret.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define BATCH 256
#define IDLE_MS 1000
#define PURGE_EVERY_MS 60000
#define UNCONFIRMED_PER_HOUR 3

static const config *run_cfg;
static pthread_t thread;
static bool running;
static atomic_bool stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER; /* CLOCK_REALTIME, as notify_now_ms */
static unsigned long kicks;

/* Lateness of each firing (how long after its time a step fired). */
static const int64_t late_ms[] = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000};
static const char *const late_le[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                                      "1",     "2.5",  "5",     "10",   "30",  "60",  "300"};
#define NLATE (sizeof(late_ms) / sizeof(late_ms[0]))
static atomic_ulong late_buckets[NLATE + 1], late_count, late_sum_ms;
static atomic_ulong fired[4];

void ck_sched_kick(void)
{
    pthread_mutex_lock(&mu);
    kicks++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void note_lateness(int64_t ms)
{
    if (ms < 0)
        ms = 0;
    size_t b = 0;
    while (b < NLATE && ms > late_ms[b])
        b++;
    atomic_fetch_add(&late_buckets[b], 1);
    atomic_fetch_add(&late_count, 1);
    atomic_fetch_add(&late_sum_ms, (unsigned long)ms);
}

/* Applies step to r (state and times) and queues its messages. */
static bool do_step(sqlite3 *db, ck_row *r, const json_t *s, enum ck_step step, int64_t at, const char **event)
{
    const config *cfg = run_cfg;
    if (step == STEP_WARN) {
        r->warn_at = 0;
        *event = "warned";
        return !s || ckmsg_warning(db, cfg, r, s, at);
    }
    if (step == STEP_ALERT) {
        bool contacts = s && (ck_str(s, "sms")[0] || ck_str(s, "email")[0]);
        snprintf(r->state, sizeof(r->state), "alerted");
        r->ended_at = at;
        r->escalate_at = 0;
        if (r->responder && checkin_responder_available(cfg))
            r->escalate_at = contacts ? at + cfg->escalate_seconds * 1000 : at;
        *event = "alerted";
        return !s || ckmsg_alert(db, cfg, r, s, at);
    }
    snprintf(r->state, sizeof(r->state), "escalated");
    r->escalate_at = 0;
    *event = "escalated";
    return !s || ckmsg_escalate(db, cfg, r, s, at);
}

/* Fires the step of check-in id that is due at now, if it still is. */
static void fire(sqlite3 *db, int64_t id, int64_t now)
{
    if (!db_begin(db))
        return;
    ck_row r = {0};
    int64_t at = 0;
    enum ck_step step = STEP_NONE;
    if (ck_load(db, id, &r) == 1)
        step = ck_next_step(&r, &at);
    if (step == STEP_NONE || at > now) {
        ck_row_free(&r);
        db_rollback(db);
        return;
    }
    json_t *s = ck_secret_open(&r);
    if (!s)
        log_error("checkin %lld: its details cannot be opened with this key; the step fires without messages",
                  (long long)id);
    const char *event = "";
    bool ok = do_step(db, &r, s, step, at, &event);
    ck_schedule(&r);
    ok = ok && ck_update(db, &r) == 1 && ck_event_add(db, id, now, event, "") && db_commit(db);
    json_decref(s);
    ck_row_free(&r);
    if (!ok) {
        db_rollback(db);
        log_error("checkin %lld: the %s step could not be saved; trying again", (long long)id, event);
        return;
    }
    note_lateness(now - at);
    atomic_fetch_add(&fired[step], 1);
    notify_kick();
}

static void purge(sqlite3 *db, int64_t now)
{
    int64_t cutoff = now - run_cfg->keep_hours * 3600 * 1000;
    int n;
    do {
        if (!db_begin(db))
            return;
        n = ck_purge(db, cutoff, 64);
        if (n >= 0 && n < 64 && !ck_confirmed_purge(db, now - (int64_t)run_cfg->confirmed_days * 86400 * 1000))
            n = -1;
        if (n < 0 || !db_commit(db)) {
            db_rollback(db);
            return;
        }
    } while (n == 64 && !atomic_load(&stopping));
}

static void idle_until(int64_t wake_at, unsigned long seen)
{
    struct timespec ts = {(time_t)(wake_at / 1000), (long)(wake_at % 1000) * 1000000L};
    pthread_mutex_lock(&mu);
    while (kicks == seen && !atomic_load(&stopping) && notify_now_ms() < wake_at)
        if (pthread_cond_timedwait(&cv, &mu, &ts) != 0)
            break;
    pthread_mutex_unlock(&mu);
}

static void *scheduler(void *arg)
{
    sqlite3 *db = arg;
    int64_t last_purge = 0, ids[BATCH];
    while (!atomic_load(&stopping)) {
        pthread_mutex_lock(&mu);
        unsigned long seen = kicks;
        pthread_mutex_unlock(&mu);
        int64_t now = notify_now_ms();
        int n = ck_due(db, now, ids, BATCH);
        for (int i = 0; i < n && !atomic_load(&stopping); i++)
            fire(db, ids[i], notify_now_ms());
        if (n == BATCH)
            continue;
        if (now - last_purge >= PURGE_EVERY_MS) {
            purge(db, now);
            last_purge = now;
        }
        int64_t next = ck_next_at(db), wake = notify_now_ms() + IDLE_MS;
        if (n >= 0 && next >= 0 && next < wake)
            wake = next;
        idle_until(wake, seen);
    }
    db_close(db);
    return NULL;
}

/* ---- limits on starting, in memory only ---- */

static ratelimit *per_client, *per_dest;

/* The keyed hash a contact is known by in checkin_confirmed; the key is a
 * subkey of the check-in key, so it lasts across restarts. */
static bool confirm_mac(const char *dest, unsigned char mac[SECRET_MAC_BYTES])
{
    return secret_mac("checkin-confirmed", dest, strlen(dest), mac);
}

bool ck_confirm(sqlite3 *db, const char *dest, int64_t now)
{
    unsigned char mac[SECRET_MAC_BYTES];
    if (!dest || !dest[0])
        return true;
    return confirm_mac(dest, mac) && ck_confirmed_add(db, mac, sizeof(mac), now);
}

/* Whether dest confirmed within confirmed_days; a database error counts
 * as no (the limit applies: the safe side). */
static bool is_confirmed(const config *cfg, const char *dest)
{
    unsigned char mac[SECRET_MAC_BYTES];
    sqlite3 *db = db_thread();
    int64_t since = notify_now_ms() - (int64_t)cfg->confirmed_days * 86400 * 1000;
    return db && confirm_mac(dest, mac) && ck_confirmed_has(db, mac, sizeof(mac), since) == 1;
}

bool ck_limits_allow(const config *cfg, const char *client, const checkin_req *r, int *retry_after)
{
    time_t now = time(NULL);
    if (per_client && !ratelimit_allow(per_client, client ? client : "", now, retry_after))
        return false;
    const char *dests[] = {r->sms, r->email, r->own_sms, r->own_email};
    for (int i = 0; i < 4; i++)
        if (dests[i] && dests[i][0] && per_dest && !is_confirmed(cfg, dests[i]) &&
            !ratelimit_allow(per_dest, dests[i], now, retry_after))
            return false;
    return true;
}

bool ck_limits_init(void)
{
    per_dest = ratelimit_new(UNCONFIRMED_PER_HOUR, 3600);
    per_client = run_cfg && run_cfg->starts_per_hour > 0 ? ratelimit_new((int)run_cfg->starts_per_hour, 3600) : NULL;
    return per_dest != NULL;
}

void ck_limits_free(void)
{
    ratelimit_free(per_client);
    ratelimit_free(per_dest);
    per_client = per_dest = NULL;
}

bool checkin_load(const config *cfg, char *err, size_t errlen)
{
    run_cfg = cfg;
    if (sodium_init() < 0 || !ck_limits_init()) {
        snprintf(err, errlen, "checkin: the rate limits could not be set up");
        return false;
    }
    sqlite3 *db = db_open_command(cfg->db_path, err, errlen);
    if (!db)
        return false;
    atomic_store(&stopping, false);
    if (pthread_create(&thread, NULL, scheduler, db) != 0) {
        db_close(db);
        ck_limits_free();
        snprintf(err, errlen, "checkin: the scheduler thread could not start");
        return false;
    }
    running = true;
    return true;
}

void checkin_unload(void)
{
    if (running) {
        atomic_store(&stopping, true);
        ck_sched_kick();
        pthread_join(thread, NULL);
        running = false;
    }
    ck_limits_free();
}

void checkin_metrics_write(buf *out)
{
    static const char *const steps[] = {"none", "warning", "alert", "escalation"};
    buf_puts(out, "# HELP waypost_checkin_steps_total Check-in steps fired, by step.\n"
                  "# TYPE waypost_checkin_steps_total counter\n");
    for (int i = 1; i < 4; i++)
        buf_printf(out, "waypost_checkin_steps_total{step=\"%s\"} %lu\n", steps[i], atomic_load(&fired[i]));
    buf_puts(out, "# HELP waypost_checkin_lateness_seconds How long after its time each check-in step fired.\n"
                  "# TYPE waypost_checkin_lateness_seconds histogram\n");
    unsigned long cum = 0;
    for (size_t b = 0; b < NLATE; b++) {
        cum += atomic_load(&late_buckets[b]);
        buf_printf(out, "waypost_checkin_lateness_seconds_bucket{le=\"%s\"} %lu\n", late_le[b], cum);
    }
    cum += atomic_load(&late_buckets[NLATE]);
    buf_printf(out, "waypost_checkin_lateness_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    buf_printf(out, "waypost_checkin_lateness_seconds_sum %.3f\n", (double)atomic_load(&late_sum_ms) / 1000.0);
    buf_printf(out, "waypost_checkin_lateness_seconds_count %lu\n", atomic_load(&late_count));
}
