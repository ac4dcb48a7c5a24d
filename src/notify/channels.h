/* channels: delivering one message through libcurl.
 *
 * - SMS: a form POST of To, From and Body to [notify] sms_url with HTTP
 *   basic auth (sms_user, sms_password): the shape of Twilio's Messages
 *   resource, so another provider or a test fake can stand in.
 * - Email: SMTP to [notify] smtp_url (STARTTLS when the server offers it on
 *   smtp://, TLS from the start on smtps://), login when smtp_user is set,
 *   from mail_from; Message-ID is made from the idempotency key; a
 *   message with an unsubscribe URL carries List-Unsubscribe and
 *   List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 2369, 8058).
 * - Webhook: a JSON POST to the message's URL with X-Waypost-Timestamp
 *   (Unix seconds) and X-Waypost-Signature: sha256=HEX, the HMAC-SHA256
 *   with [checkin] webhook_secret over TIMESTAMP "." BODY; a receiver
 *   recomputes it and refuses old timestamps (replay).
 * Every request carries an Idempotency-Key header. A handle (one per
 * sender thread) is reused so connections are kept alive. */
#ifndef WP_CHANNELS_H
#define WP_CHANNELS_H

#include "core/config.h"
#include "notify/notify.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stddef.h>

typedef struct channel_msg {
    const char *channel; /* "sms", "email", "webhook" */
    const char *idem_key;
    const char *dest, *subject, *body;
    const char *unsubscribe; /* email: List-Unsubscribe URL (one-click, RFC 8058), or NULL */
} channel_msg;

/* Sends m on h with cfg's settings; *stop (may be NULL) set by another
 * thread cuts the transfer short (a retry). err gets a short reason on
 * anything but NOTIFY_SENT (never the message's contents). */
enum notify_result channel_send(CURL *h, const config *cfg, const channel_msg *m, const atomic_bool *stop, char *err,
                                size_t errlen);

/* The signature header's value for ts and body with secret: "sha256=" and
 * 64 hex digits into out (at least 72 bytes). */
void channel_sign(const char *secret, const char *ts, const char *body, char *out, size_t outlen);

#endif
