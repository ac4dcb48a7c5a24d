/* checkin: the never-use-alone timer (issue 13). A person starts a timer
 * with where help should go and whom to alert; if they do not check in
 * before it ends, their contacts are told (SMS and/or email through the
 * outbox, notify/notify.h) and, when nobody says "I'm on my way" within
 * [checkin] escalate_seconds, the program's responder too.
 *
 * Timers live in SQLite (checkin_store.h); a scheduler thread fires each
 * step at its time, and after a restart fires at once everything that came
 * due while the server was down. Every step is one transaction: the state
 * change (a conditional UPDATE on the row's version, so a check-in racing
 * the firing is decided by the database) and the messages it causes.
 *
 * The person's private page is /checkin/<token>: 128 random bits, only a
 * hash of which is stored; each contact gets a link of their own that can
 * only say "I'm on my way". Where, name, phone numbers and email addresses
 * (and the language of the page it was started on, which the messages to
 * the person and their contacts are written in: issue 16)
 * are sealed with the key of notify/secret.h, and a check-in is deleted
 * with its messages [checkin] keep_hours after it ended. Nothing records
 * who started it (no account, no cookie, no address). */
#ifndef WP_CHECKIN_H
#define WP_CHECKIN_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define CHECKIN_MAX_SECONDS (120 * 60)
#define CHECKIN_WHERE_MAX 500
#define CHECKIN_NAME_MAX 60
#define CHECKIN_TOKEN_LEN 32 /* hex digits of 16 random bytes */

typedef struct checkin_req {
    long seconds;
    const char *where, *name;
    const char *sms, *email;         /* the contacts (either may be NULL) */
    const char *own_sms, *own_email; /* the person's own, for the warning (may be NULL) */
    bool responder;                  /* alert the program's responder too */
    const char *lang;                /* the page's language code ("es"): problems and messages
                                        are written in it; NULL: English */
} checkin_req;

/* What is wrong with a request: the field ("seconds", "where", ...) and a
 * sentence for the person. */
typedef struct ck_problem {
    const char *field, *message;
} ck_problem;

enum ck_status { CK_DONE, CK_INVALID, CK_NOT_FOUND, CK_FORBIDDEN, CK_CONFLICT, CK_LIMITED, CK_ERROR };
enum ck_action { ACT_OK, ACT_EXTEND, ACT_CANCEL, ACT_ACK };

/* "ok", "extend", "cancel", "ack". */
bool checkin_action_parse(const char *s, enum ck_action *a);
/* +, then 8 to 15 digits (E.164). */
bool checkin_valid_phone(const char *s);
/* One @, a dot in the domain, no spaces, quotes, brackets or line breaks,
 * at most 254 bytes. */
bool checkin_valid_email(const char *s);
/* True when [checkin] names a responder (SMS, email or webhook). */
bool checkin_responder_available(const config *cfg);
/* Checks r's meaning against cfg: seconds in min_seconds..2 hours, where
 * given, someone to alert, the channels configured. false with *p set
 * (its message in r->lang). */
bool checkin_validate(const config *cfg, const checkin_req *r, ck_problem *p);
/* Reads the API's JSON body ({"seconds", "where", "name", "sms", "email",
 * "own_sms", "own_email", "responder", "lang"}) into r (strings copied
 * into a).
 * false with *p set on malformed JSON, unknown keys or wrong types. */
bool checkin_parse_json(const char *text, size_t len, checkin_req *r, arena *a, ck_problem *p);

/* Starts a timer: on CK_DONE token gets the private page's token and
 * *due_at the end (ms). CK_INVALID (with *p), CK_LIMITED (*retry_after
 * seconds) when client or a contact's number or address is over its limit. */
enum ck_status checkin_start(const config *cfg, const checkin_req *r, const char *client,
                             char token[CHECKIN_TOKEN_LEN + 1], int64_t *due_at, ck_problem *p, int *retry_after);
/* Does a to the check-in token opens (seconds: for ACT_EXTEND).
 * CK_FORBIDDEN when a contact's link asks for more than "I'm on my way";
 * CK_CONFLICT when the state does not allow it (cancel after the alert,
 * extend beyond two hours). */
enum ck_status checkin_act(const config *cfg, const char *token, enum ck_action a, long seconds);
/* What the token's holder may see, as JSON: role, state, due_at (RFC 3339
 * and ms), seconds_left, what they entered (the person) or the name and
 * where (a contact), the steps and the messages. NULL with *st set. */
json_t *checkin_describe(const config *cfg, const char *token, enum ck_status *st);

/* The feature row (app.c): starts / stops the scheduler thread. */
bool checkin_load(const config *cfg, char *err, size_t errlen);
void checkin_unload(void);
/* The timer lateness histogram and check-in counts for /metrics. */
void checkin_metrics_write(buf *out);

#endif
