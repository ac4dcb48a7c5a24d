/* alerts_store: the SQL of the alert tables (migration 0009; 0016 adds
 * lang and translation_of). Every
 * statement is prepared once per connection (db_stmt). Reads fill
 * alert_rec / alert_version (alerts.h), whose doc the caller frees with
 * alert_rec_clear / alert_versions_free. Writes run inside the caller's
 * transaction. */
#ifndef WP_ALERTS_STORE_H
#define WP_ALERTS_STORE_H

#include "alerts/alerts.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inserts a (id 0) with doc_text; *id gets the new id. */
bool alerts_store_insert(sqlite3 *db, const alert_rec *a, const char *doc_text, const char *headline, int rank,
                         long *id);
/* Writes every column of a (by a->id). */
bool alerts_store_save(sqlite3 *db, const alert_rec *a, const char *doc_text, const char *headline, int rank);
/* Replaces the alert's substances with the slugs in the JSON list. */
bool alerts_store_substances(sqlite3 *db, long id, const json_t *slugs);
bool alerts_store_add_version(sqlite3 *db, long id, const alert_version *v, const char *doc_text, const char *actor);

/* 1 found (out filled), 0 no such alert, -1 database error. */
int alerts_store_get(sqlite3 *db, long id, alert_rec *out);
/* Every version of an alert, oldest first: how many (at most max), -1 on error. */
int alerts_store_versions(sqlite3 *db, long id, alert_version *out, int max);

typedef struct alert_filter {
    bool public_only;      /* only alerts published at least once (no drafts) */
    int active;            /* 1 only active, 0 only not active, -1 both */
    const char *substance; /* a slug, or NULL */
    int64_t since;         /* updated at or after (unix seconds), or 0 */
    int max_rank;          /* severity rank at most this (3: all) */
    int64_t now;
    long offset, limit;
    bool originals_only; /* leave out translations (the pages reach them from their original) */
} alert_filter;

/* Alerts matching f: active first, then most severe, newest start. Fills
 * out (up to max; limit in f caps it too) and *total (all matches, may be
 * NULL). Returns how many were filled, -1 on error. */
int alerts_store_list(sqlite3 *db, const alert_filter *f, alert_rec *out, int max, long *total);

/* The id of the newest public (published once, not withdrawn)
 * translation of alert id into lang; 0 none, -1 error. */
long alerts_store_translation(sqlite3 *db, long id, const char *lang);

/* The last moment a public list could have changed: the latest updated_at,
 * or a start or expiry that has passed by now. 0 when there are none. */
int64_t alerts_store_last_change(sqlite3 *db, int64_t now);

bool alerts_store_photo_put(sqlite3 *db, long id, const char *mime, int w, int h, const void *data, size_t len,
                            const char *alt, int64_t now);
/* Changes the alt text of the alert's photo (none: no change). */
bool alerts_store_photo_alt(sqlite3 *db, long id, const char *alt);
bool alerts_store_photo_delete(sqlite3 *db, long id);
/* 1 found (*data malloc'd, caller frees), 0 none, -1 error. */
int alerts_store_photo_get(sqlite3 *db, long id, char *mime, size_t mn, void **data, size_t *len);

#endif
