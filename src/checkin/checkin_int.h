/* checkin_int.h: what checkin.c, checkin_sched.c and checkin_msg.c share,
 * private to the feature (and its unit tests). */
#ifndef WP_CHECKIN_INT_H
#define WP_CHECKIN_INT_H

#include "checkin/checkin.h"
#include "checkin/checkin_store.h"

#include <sqlite3.h>

/* The next step of a check-in and when it is due (ms). */
enum ck_step { STEP_NONE, STEP_WARN, STEP_ALERT, STEP_ESCALATE };
/* running: the warning (when warn_at is set and before the end), else the
 * alert at due_at; alerted: the escalation at escalate_at unless someone
 * acknowledged; anything else: none. */
enum ck_step ck_next_step(const ck_row *r, int64_t *at);
/* Sets r->next_at from ck_next_step (0: none). */
void ck_schedule(ck_row *r);

/* A new link of role for check-in id: its token (hex) into token, its hash
 * stored. */
bool ck_new_link(sqlite3 *db, int64_t id, const char *role, char token[CHECKIN_TOKEN_LEN + 1]);
/* The hash of a token, as stored. */
void ck_token_hash(const char *token, unsigned char out[32]);

/* The sealed secret as JSON (where, name, sms, email, own_sms, own_email),
 * or NULL when it cannot be opened. */
json_t *ck_secret_open(const ck_row *r);
const char *ck_str(const json_t *secret, const char *key); /* "" when absent */

/* The site's address for links in messages: public_url, else http://listen. */
void ck_base_url(const config *cfg, char *out, size_t outlen);

/* The messages of each step, queued on db inside the caller's transaction.
 * false when one could not be queued (the caller rolls back). */
bool ckmsg_warning(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due);
bool ckmsg_alert(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due);
bool ckmsg_escalate(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due);
/* After the alert: the person checked in; the contacts (and the responder
 * when it was told) hear it. */
bool ckmsg_all_clear(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t now);

/* 32 lowercase hex digits. */
bool ck_token_shape(const char *t);
/* "2024-05-01T12:00:00Z" for ms into out (at least 32 bytes). */
void ck_rfc3339(int64_t ms, char *out, size_t outlen);

/* The limits on starting: per client address (starts_per_hour, in
 * memory) and 3 an hour per contact that has not confirmed (the count in
 * memory, the confirmations in the database).
 * false with *retry_after set when over. */
bool ck_limits_allow(const config *cfg, const char *client, const checkin_req *r, int *retry_after);
bool ck_limits_init(void);
void ck_limits_free(void);

/* Wakes the scheduler (a new or changed timer may be due sooner). */
void ck_sched_kick(void);
/* Marks a contact's number or address as wanting messages (it used its
 * link), so the hourly limit for unconfirmed numbers no longer applies for
 * [checkin] confirmed_days: a keyed hash in checkin_confirmed, written on
 * db inside the caller's transaction. false on a database error. */
bool ck_confirm(sqlite3 *db, const char *dest, int64_t now);

#endif
