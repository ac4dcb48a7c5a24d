/* notify: the one durable outbox every outgoing message goes through (the
 * check-in timer's alerts today; drug alerts and reports later).
 *
 * A caller writes a message with notify_enqueue inside the same write
 * transaction as the state change that causes it, so the change and its
 * messages are committed together or not at all; after the commit it calls
 * notify_kick. Sender threads (notify_start) claim ready rows in order of
 * due time, deliver them (notify/channels.h: SMS through a Twilio-shaped
 * gateway, SMTP email, signed webhooks, all through libcurl) and mark them
 * sent; a timeout, a connection failure or a 5xx is retried with
 * exponential backoff and jitter, a 4xx is a failure that is not retried.
 * Each message carries an idempotency key from the moment it is queued, so
 * a retry after a crash (sent, then killed before the row was marked)
 * delivers at least once and the provider can drop the duplicate.
 *
 * Destinations and texts are sealed at rest (notify/secret.h). */
#ifndef WP_NOTIFY_H
#define WP_NOTIFY_H

#include "core/buf.h"
#include "core/config.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

enum notify_channel { NOTIFY_SMS, NOTIFY_EMAIL, NOTIFY_WEBHOOK };

typedef struct notify_msg {
    enum notify_channel channel;
    const char *dest;    /* phone number (E.164), email address, or webhook URL */
    const char *subject; /* email only; may be NULL */
    const char *body;    /* text; for a webhook, the JSON document */
    const char *ref;     /* what caused it ("checkin:12"); may be NULL */
    const char *kind;    /* what it says ("alert"); may be NULL */
    int64_t due_at;      /* ms: when its cause came due (delivery order) */
    const char *unsubscribe; /* email only: a one-click unsubscribe URL, sent as List-Unsubscribe
                                with List-Unsubscribe-Post (RFC 8058); may be NULL */
} notify_msg;

/* Where a message to dest goes, for its route's breaker: "sms", "email",
 * or for a webhook "webhook:" and 16 hex digits of a keyed hash of the
 * URL's scheme, host and port (so one destination that is down holds back
 * only its own messages, and the URL stays sealed). false when no key is
 * loaded or out (at least 25 bytes) is too small. */
bool notify_route(enum notify_channel channel, const char *dest, char *out, size_t n);
/* Queues m on db, which must be inside a write transaction the caller
 * commits (or rolls back, and the message is gone with the change). false
 * when the key is not loaded or the insert failed (the caller rolls back). */
bool notify_enqueue(sqlite3 *db, const notify_msg *m);
/* Wakes the sender threads: call after committing what was queued. */
void notify_kick(void);

/* The layer's start: loads the key (secret.h), starts nthreads sender
 * threads on cfg->db_path (cfg must outlive notify_stop). Messages claimed
 * by a process that died are made ready again first. */
bool notify_start(const config *cfg, int nthreads, char *err, size_t errlen);
/* Stops the senders (a transfer in progress is cut short and retried at
 * the next start) and forgets the key. Safe when not started. */
void notify_stop(void);
/* The app's feature row: notify_start with 4 threads / notify_stop. */
bool notify_load(const config *cfg, char *err, size_t errlen);
void notify_unload(void);

/* Wall-clock Unix time in milliseconds: the unit of every stored time
 * (core's now_ms is monotonic, for durations only). */
int64_t notify_now_ms(void);

/* What a delivery attempt came to. */
enum notify_result { NOTIFY_SENT, NOTIFY_RETRY, NOTIFY_FAILED };
/* The delay before attempt attempts + 1 after attempts failed ones (>= 1):
 * 1 s doubling up to 60 s, with "equal jitter" (half fixed, half random
 * from r), so many messages failing together do not retry together. */
int64_t notify_backoff_ms(int attempts, uint32_t r);
/* An HTTP channel's answer: curl_ok false for a transport failure
 * (timeout, refused, reset): retried unless permanent (a malformed URL);
 * otherwise 2xx sent, 408, 429 and 5xx retried, anything else failed. */
enum notify_result notify_classify_http(bool curl_ok, bool permanent, long status);
/* An SMTP answer: 2xx/3xx sent, 4xx (transient in SMTP) retried, 5xx
 * failed; transport failures as for HTTP. */
enum notify_result notify_classify_smtp(bool curl_ok, bool permanent, long code);

/* Writes the outbox's counters (queued, sent, failed, retried) for
 * /metrics (http/metrics.h's writer). */
void notify_metrics_write(buf *out);

#endif
