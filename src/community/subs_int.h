/* subs_int: what the subscription files share, private to them. */
#ifndef WP_SUBS_INT_H
#define WP_SUBS_INT_H

#include "core/config.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* The settings subs_load was given (NULL before). */
const config *subs_cfg(void);
/* A subscriber's or request's sealed {"address", "areas"} (new reference or NULL). */
json_t *subs_secret_open(const void *box, size_t n);
/* Seals {"address": address, "areas": areas}: malloc'd, *len bytes. */
unsigned char *subs_secret_seal(const char *address, const json_t *areas, size_t *len);
/* Queues the confirmation message of a request (inside db's transaction)
 * in language lang ("en", "es"): email with the link to token's page, SMS
 * with code. */
bool subs_queue_confirmation(sqlite3 *db, const char *channel, const char *address, const json_t *areas,
                             const char *lang, const char *token, const char *code);
/* The unsubscribe URL of subscriber id into out, on the pages of lang. */
bool subs_unsub_url(long id, int64_t created_at, int lang, char *out, size_t n);

#endif
