/* mail: what the finder shows beside (or, when there is no local result,
 * before) the places near a person, for the searches where a person must
 * never be left with nothing: naloxone, syringes, test strips, drug
 * checking and supplies by mail. Naloxone at a pharmacy without a
 * prescription; programmes that mail supplies to the person's state or to
 * the whole US (HSDS services with the Waypost code mail-based-supplies
 * and a service_area whose extent is "US" or "US-XX", bundled in
 * data/directory/mail-based-supplies.ndjson); the Never Use Alone line;
 * and for syringes how pharmacy sales work in that state, from
 * data/by-mail/pharmacy-syringes.json (read once at start by mail_load). */
#ifndef WP_MAIL_H
#define WP_MAIL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads data_dir/by-mail/pharmacy-syringes.json; false with err naming the
 * file and entry. Call before serving. */
bool mail_load(const char *data_dir, char *err, size_t errlen);
void mail_free(void);

/* True when the finder shows the panel for this Waypost code. */
bool mail_shows_for(const char *code);

/* The panel as template data for a search for code from state (a
 * two-letter code, or "" when unknown: then only what works anywhere in
 * the US), or NULL when code has no panel. db NULL or failing leaves the
 * mail programmes out (the rest still shows). */
json_t *mail_panel(sqlite3 *db, const char *code, const char *state, int lang);

#endif
