/* subs: alert subscriptions (issue 14). People ask to be told of new drug
 * alerts for their areas (community/areas.h: ZIP codes or the site's named
 * areas) by email or by SMS; partner organisations get every published,
 * updated or withdrawn alert as signed JSON with its CAP document.
 *
 * What is kept about a person: the address and the areas, one sealed JSON
 * object {"address", "areas"} (notify/secret.h, the check-in key), found
 * by a keyed hash of "channel:address" (secret_mac), and the language of
 * the page they subscribed on (migration 0016), which every message to
 * them is written in; nothing else. A
 * request waits in sub_pending until confirmed: email by a link (the page
 * it opens has a Confirm button, so a mail scanner fetching the link
 * confirms nothing), SMS by a six-digit code typed on the page or by
 * replying YES (or the code) through the gateway's inbound webhook. Every
 * message carries an unsubscribe link, /unsubscribe?id=ID&t=MAC, whose MAC
 * (secret_mac over the id and the row's creation time) needs no stored
 * token; email also has List-Unsubscribe and List-Unsubscribe-Post.
 * Unsubscribing (link, STOP by SMS) deletes the row.
 *
 * Publishing: subs_on_alert is the alerts feature's publish listener (set
 * by app.c), run inside the alert's write transaction: one message per
 * matching subscriber for a first publication ("Alert") and a withdrawal
 * ("Cancel"), none for an update (people asked for new alerts), and one
 * webhook per partner for all three. */
#ifndef WP_SUBS_H
#define WP_SUBS_H

#include "community/subs_store.h"
#include "core/buf.h"
#include "core/config.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUBS_AREAS_MAX 10
#define SUBS_TOKEN_LEN 32  /* hex characters of a confirmation token */
#define SUBS_UNSUB_LEN 32  /* hex characters of an unsubscribe MAC */
#define SUBS_CODE_TRIES 5
#define SUBS_PENDING_SECONDS (24 * 3600)
#define SUBS_PER_ADDRESS_HOUR 3 /* confirmation messages to one address in an hour */

/* The feature's start and stop: remembers cfg (it must outlive
 * subs_unload) and makes the in-memory rate limiters. */
bool subs_load(const config *cfg, char *err, size_t errlen);
void subs_unload(void);

/* An email address as typed (spaces around dropped; one @, a dot in the
 * domain, no spaces, quotes or angle brackets, at most 254 bytes),
 * lower-cased domain into out. */
bool subs_check_email(const char *in, char *out, size_t n);
/* A phone number as typed: +, digits, spaces, dots, dashes and
 * parentheses; ten digits (optionally after 1) are a US number. E.164
 * (+ and 8 to 15 digits) into out. */
bool subs_check_phone(const char *in, char *out, size_t n);
/* The areas a person chose: the named areas' slugs and the ZIP codes
 * typed in zips (separated by spaces or commas), each through areas_check,
 * duplicates dropped; a new array of keys, or NULL with a sentence in
 * why (in lang) and the form field at fault ("area", "zips") in *field
 * when one is not an area, none is given or more than SUBS_AREAS_MAX. */
json_t *subs_parse_areas(int lang, const char *const *slugs, size_t nslugs, const char *zips, char *why,
                         size_t whylen, const char **field);

/* The keyed hash of channel ("sms"/"email") and address; false without the key. */
bool subs_addr_hash(const char *channel, const char *address, unsigned char out[SUBS_HASH_BYTES]);
/* The hash a token or code is stored as (keyed the same way). */
bool subs_token_hash(const char *kind, const char *token, unsigned char out[SUBS_HASH_BYTES]);
/* The unsubscribe MAC of subscriber id made at created_at into out
 * (SUBS_UNSUB_LEN + 1 bytes); subs_unsub_ok checks one in constant time. */
bool subs_unsub_mac(long id, int64_t created_at, char *out, size_t n);
bool subs_unsub_ok(long id, int64_t created_at, const char *mac);

/* True when an alert (its document: area.zips, area.description) should
 * go to someone who chose areas (an array of area keys): a ZIP of the
 * alert is one of theirs or in one of their named areas, or the alert's
 * area description names one of their named areas. An alert without ZIP
 * codes covers the whole site, so it matches everyone. */
bool subs_matches(const json_t *doc, const json_t *areas);

/* The site's address for links ([staff] public_url, else http:// and
 * [server] listen), without a trailing slash. */
void subs_base_url(const config *cfg, char *out, size_t n);

/* The publish listener's work (app.c's adapter adds the CAP document):
 * queues the subscribers' and partners' messages on db, which is inside
 * the alert's write transaction. False on a failure (logged). */
bool subs_on_alert(sqlite3 *db, long alert_id, const char *msg_type, const char *doc_json, const char *cap_xml);

/* The in-memory limits: per client address ([subscriptions]
 * per_hour) and per destination address (SUBS_PER_ADDRESS_HOUR). True
 * when allowed; *retry gets seconds to wait otherwise. */
bool subs_allow_client(const char *client, int *retry);
bool subs_allow_address(const unsigned char *addr_hash, int *retry);

/* A subscription request: validated address and areas, sealed, a pending
 * row and its confirmation message queued in one transaction. token gets
 * the request's token (SUBS_TOKEN_LEN + 1): for SMS the code page's key. */
enum subs_result { SUBS_OK, SUBS_LIMITED, SUBS_FAIL };
enum subs_result subs_request(sqlite3 *db, const char *channel, const char *address, const json_t *areas,
                              const char *lang, char *token, size_t tn, int *retry);
/* Confirms a pending row found by token (email link or SMS page with the
 * code; code NULL for email): 1 confirmed (*id), 0 unknown or expired
 * token, 2 wrong code, 3 too many wrong codes, -1 error. */
int subs_confirm(sqlite3 *db, const char *token, const char *code, long *id);
/* The SMS reply route: confirms the newest pending request of phone
 * (body YES, START, SÍ/SI or its code): 1 confirmed, 0 none, 2 wrong
 * code, -1 error. lang (8 bytes) gets the request's language code, or ""
 * when there is none. */
int subs_confirm_phone(sqlite3 *db, const char *phone, const char *body, char *lang);
/* STOP by SMS: deletes the subscriber and pending requests of phone. */
bool subs_stop_phone(sqlite3 *db, const char *phone);
/* True when body is one of the stop words (STOP, STOPALL, UNSUBSCRIBE,
 * CANCEL, END, QUIT, and in Spanish ALTO, PARAR, PARE, BAJA, CANCELAR,
 * DETENER), in any case, spaces around ignored. */
bool subs_is_stop_word(const char *body);
/* True when body is a Spanish keyword (SÍ/SI or a Spanish stop word): the
 * reply to a number with no request goes out in Spanish. */
bool subs_is_spanish_word(const char *body);

/* The areas of a confirmed subscriber as labels, for the page ("Downtown, 97214"). */
bool subs_areas_text(const json_t *areas, buf *out);

#endif
