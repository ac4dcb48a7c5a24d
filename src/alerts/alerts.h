/* alerts: local drug alerts (issue 12), the model. An alert is one JSON
 * object, spelled the same in the API's input, the import file and the
 * database (data/openapi.json, components AlertInput and Alert):
 *
 *   {"headline", "substances": [slug...], "sold_as", "appearance",
 *    "effects", "description", "area": {"description", "zips", "circle":
 *    {"lat", "lon", "radius_km"}}, "seen_on", "source", "certainty",
 *    "severity", "urgency", "instruction", "starts", "expires",
 *    "language", "status", "lang", "translation_of"}
 *
 * lang is the site language the text is written in ("en", "es"; issue
 * 16), language its CAP tag ("en", "es-US"), and translation_of the id of
 * the alert this one translates: the pages in a language show an alert's
 * translation into it where one exists, and link the two.
 *
 * alerts_validate() is the one check every way in goes through (API, form,
 * import): it names each problem by field and builds the normalised copy
 * (trimmed text, substances resolved to the matrix's slugs, times as
 * RFC 3339 with their offset, defaults filled). The operations below
 * (create, update, publish, expire, withdraw) each run in one transaction
 * with their audit row, so nothing is half-saved.
 *
 * States stored: draft, published, withdrawn. States shown add "updated"
 * (published, version > 1), "scheduled" (not started yet) and "expired"
 * (now >= expires), computed at the moment of the request: an alert leaves
 * the active lists to the second, with no job and no restart.
 *
 * Substance names belong to the substances feature, which this feature
 * may not include: the top level hands in a resolver
 * (alerts_set_substance_resolver). */
#ifndef WP_ALERTS_H
#define WP_ALERTS_H

#include "core/config.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ALERT_HEADLINE_MAX 120
#define ALERT_SUBS_MAX 8
#define ALERT_ZIPS_MAX 32
#define ALERT_DEFAULT_DAYS 30
#define ALERT_PROBLEMS_MAX 24

/* ---- substances, through the hook ---- */

/* resolve: a slug, name or alias into the matrix's slug and display name;
 * false when it names no substance. Set once before serving. */
typedef bool (*alerts_resolver_fn)(const char *name, char *slug, size_t n, char *title, size_t tn);
void alerts_set_substance_resolver(alerts_resolver_fn fn);
/* The resolver's answer; without a resolver, only the slug itself. */
bool alerts_resolve_substance(const char *name, char *slug, size_t n, char *title, size_t tn);

/* ---- problems, named by field ---- */

typedef struct alert_problem {
    char field[32];    /* "headline", "expires", "substances", "photo" ... */
    char message[240]; /* a sentence a person can act on */
} alert_problem;

typedef struct alert_problems {
    alert_problem items[ALERT_PROBLEMS_MAX];
    int n;
    int lang; /* the language the messages are written in (core/i18n.h; alerts_validate_lang sets it) */
} alert_problems;

void alerts_problem(alert_problems *pr, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The problems as {"field": message, ...} (the first one per field). */
json_t *alerts_problems_json(const alert_problems *pr);

/* ---- time ---- */

/* RFC 3339 with an offset or Z ("2026-12-03T09:00:00-08:00"); fractions of
 * a second are dropped. *t gets unix seconds, *off seconds east of UTC. */
bool alerts_parse_time(const char *s, int64_t *t, int *off);
/* Writes t at offset off as YYYY-MM-DDThh:mm:ss+hh:mm into out (>= 32
 * bytes). utc_minus: write a zero offset as "-00:00", as CAP 1.2 requires
 * ("The timezone for UTC MUST be represented as -00:00"); otherwise
 * "+00:00". */
void alerts_format_time(int64_t t, int off, bool utc_minus, char *out, size_t n);
/* The site's offset (seconds east of UTC) at t, from [site] timezone. */
int alerts_site_offset(const config *cfg, int64_t t);

/* ---- the alert ---- */

/* Checks in and returns the normalised alert (new reference), or NULL with
 * the problems in pr. now and off fill a missing start (now, written at
 * the site's offset). Keys only the API's output has (id, url, history,
 * ...) are ignored, so what GET gives can be PUT back; other unknown keys
 * are problems. */
json_t *alerts_validate(const json_t *in, int64_t now, int off, alert_problems *pr);
/* The same with the problems written in lang (the staff form's language). */
json_t *alerts_validate_lang(const json_t *in, int64_t now, int off, int lang, alert_problems *pr);

/* The check of translation_of that needs the database: the alert it
 * names exists, is not self (the alert's own id, 0 for a new one), is
 * not itself a translation and is in another language. True when doc
 * names none or a good one; false with a problem in pr, or with none on
 * a database error. */
bool alerts_check_translation(sqlite3 *db, long self, const json_t *doc, alert_problems *pr);

/* An update that leaves out starts or expires keeps the alert's own (so
 * saving a form does not move the start to now): copies them from old into
 * in where in has none. */
void alerts_keep_times(json_t *in, const json_t *old);

/* CAP severity to its rank: Extreme 0, Severe 1, Moderate 2, Minor 3; 4 else. */
int alerts_severity_rank(const char *severity);
/* starts <= now < expires, for a published alert. */
bool alerts_is_active(const char *state, int64_t starts, int64_t expires, int64_t now);
/* draft, scheduled, published, updated, expired or withdrawn. */
const char *alerts_state_shown(const char *state, int version, int64_t starts, int64_t expires, int64_t now);
/* The word people read for a source code ("drug-checking" -> "Drug checking result"). */
const char *alerts_source_label(const char *source);
/* The same in lang. */
const char *alerts_source_word(int lang, const char *source);

/* One stored alert (alerts_store.h reads it). */
typedef struct alert_rec {
    long id;
    char uuid[40];
    char state[12];
    int version;
    int64_t starts, expires, created_at, published_at, updated_at, withdrawn_at;
    char reason[600]; /* the public reason of a withdrawal */
    json_t *doc;      /* owned */
    bool photo;
    char photo_mime[16];
    char photo_alt[300];
    int photo_w, photo_h;
    int64_t photo_at; /* when it was added: the version in its URL */
} alert_rec;

typedef struct alert_version {
    int version;
    char msg_type[8]; /* Alert, Update, Cancel */
    char identifier[80];
    char sender[160];
    int64_t sent;
    int sent_offset;
    char note[600];
    json_t *doc; /* owned */
} alert_version;

void alert_rec_clear(alert_rec *a);
void alert_versions_free(alert_version *v, int n);

/* ---- changes (each one transaction with its audit row) ---- */

typedef struct alert_actor {
    const char *actor;   /* an account's email, "token:NAME" or "cli" */
    const char *session; /* "" when none */
} alert_actor;

typedef struct alerts_env {
    int64_t now;
    int offset;           /* the site's offset now, for the CAP sent time */
    const char *sender;   /* the CAP sender */
} alerts_env;

/* [alerts] sender, else the host of [staff] public_url, else "waypost@"
 * and the listen address: an identifier with no spaces, commas, < or &. */
void alerts_sender(const config *cfg, char *out, size_t n);
/* The site's address for links in feeds: [staff] public_url, else
 * http:// and [server] listen; no trailing slash. */
void alerts_base_url(const config *cfg, char *out, size_t n);
alerts_env alerts_env_now(const config *cfg, char *sender, size_t n);

enum alert_result { AR_OK, AR_NOT_FOUND, AR_STATE, AR_DB };

/* A change to an alert's photo, made in the same transaction as the text
 * (alerts_create_with, alerts_update_with). data is a photo already
 * cleaned by photo_clean (alerts/photo.h). */
typedef struct alert_photo_change {
    const char *mime; /* a new photo (with data, len, width, height), or NULL */
    const void *data;
    size_t len;
    int width, height;
    const char *alt;  /* its alt text, or the kept photo's new one; NULL: unchanged */
    bool remove;      /* drop the photo */
} alert_photo_change;

/* A new alert from a validated doc: a draft, or published (version 1, a
 * CAP Alert) when doc's status says so. *id gets its id. */
enum alert_result alerts_create(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc, long *id);
/* The same, with a photo (pc may be NULL). */
enum alert_result alerts_create_with(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc,
                                     const alert_photo_change *pc, long *id);
/* The same, drafted from something else: from ("report:12,report:15",
 * "spike:3"; NULL or "" for none) is added to the creation's audit row as
 * "from" (the staff form's prefill, issue 14). */
enum alert_result alerts_create_from(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc,
                                     const alert_photo_change *pc, const char *from, long *id);
/* Replaces a draft's text; for a published alert makes the next version
 * (a CAP Update referencing the earlier ones) with note saying what
 * changed. A draft whose doc says "published" is published. */
enum alert_result alerts_update(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id, json_t *doc,
                                const char *note);
/* The same, with a change to the photo (pc may be NULL). */
enum alert_result alerts_update_with(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id, json_t *doc,
                                     const char *note, const alert_photo_change *pc);
enum alert_result alerts_publish(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id);
/* Ends a published alert now (an Update with expires = now). */
enum alert_result alerts_expire(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id);
/* Withdraws it (a CAP Cancel) with a reason shown publicly; a draft is
 * withdrawn without a message. */
enum alert_result alerts_withdraw(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id,
                                  const char *reason);

/* ---- who is told of a change ---- */

/* Called inside the write transaction of every publication (msg_type
 * "Alert"), update or early end ("Update") and withdrawal of a published
 * alert ("Cancel"), after its version row is written, with the alert's
 * id and its document as compact JSON; so messages the listener queues
 * (notify_enqueue) commit or roll back with the change. The listener
 * must not commit, and logs its own failures (the change goes ahead).
 * Set once before serving (app.c: the community feature's subscriptions). */
typedef void (*alerts_publish_fn)(sqlite3 *db, long alert_id, const char *msg_type, const char *doc_json);
void alerts_set_publish_listener(alerts_publish_fn fn);

/* The API's object: the doc plus id, url, cap_url, state, published_at,
 * updated_at, withdrawn (with reason) and history (new reference). */
json_t *alerts_api_json(const alert_rec *a, const alert_version *v, int nv, const char *base, int64_t now);

#endif
