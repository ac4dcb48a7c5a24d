/* alerts_ops: the changes to an alert (create, update, publish, expire
 * early, withdraw), each one transaction with its version row (the CAP
 * message it makes) and its audit row, and the API's JSON of an alert.
 * See alerts.h. */
#include "alerts/alerts.h"
#include "alerts/alerts_store.h"
#include "auth/audit.h"
#include "core/i18n.h"
#include "core/util.h"
#include "core/uuid.h"
#include "db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VERSIONS_MAX 200

static alerts_publish_fn publish_listener;

void alerts_set_publish_listener(alerts_publish_fn fn)
{
    publish_listener = fn;
}

/* Host of an http(s) URL into out ("" when it has none). */
static void url_host(const char *url, char *out, size_t n)
{
    out[0] = '\0';
    const char *p = strstr(url, "://");
    if (!p)
        return;
    p += 3;
    size_t k = strcspn(p, "/:?#");
    if (k && k < n) {
        memcpy(out, p, k);
        out[k] = '\0';
    }
}

void alerts_sender(const config *cfg, char *out, size_t n)
{
    char host[256];
    url_host(cfg->public_url, host, sizeof(host));
    if (!host[0]) {
        str_copy(host, sizeof(host), cfg->listen);
        host[strcspn(host, ":")] = '\0';
    }
    snprintf(out, n, "alerts@%s", host[0] ? host : "localhost");
    for (char *p = out; *p; p++)
        if (*p == ' ' || *p == ',' || *p == '<' || *p == '&' || (unsigned char)*p < 0x21)
            *p = '-';
}

void alerts_base_url(const config *cfg, char *out, size_t n)
{
    if (cfg->public_url[0])
        snprintf(out, n, "%s", cfg->public_url);
    else
        snprintf(out, n, "http://%s", cfg->listen);
    size_t l = strlen(out);
    while (l && out[l - 1] == '/')
        out[--l] = '\0';
}

alerts_env alerts_env_now(const config *cfg, char *sender, size_t n)
{
    alerts_sender(cfg, sender, n);
    alerts_env e = {(int64_t)time(NULL), 0, sender};
    e.offset = alerts_site_offset(cfg, e.now);
    return e;
}

static bool audit(sqlite3 *db, const alert_actor *who, const char *action, long id, json_t *before, json_t *after)
{
    char target[32];
    snprintf(target, sizeof(target), "alert:%ld", id);
    audit_entry e = {who && who->actor ? who->actor : "", who && who->session ? who->session : "", action, target,
                     before, after};
    return audit_write(db, &e);
}

/* The doc's starts and expires into a. */
static void times_of(alert_rec *a, const json_t *doc)
{
    int off;
    alerts_parse_time(json_string_value(json_object_get(doc, "starts")), &a->starts, &off);
    alerts_parse_time(json_string_value(json_object_get(doc, "expires")), &a->expires, &off);
}

/* Writes a's row (and its substances) with a->doc. */
static bool save(sqlite3 *db, alert_rec *a, bool insert)
{
    char *text = json_dumps(a->doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    const char *headline = json_string_value(json_object_get(a->doc, "headline"));
    int rank = alerts_severity_rank(json_string_value(json_object_get(a->doc, "severity")));
    bool ok = insert ? alerts_store_insert(db, a, text, headline ? headline : "", rank, &a->id)
                     : alerts_store_save(db, a, text, headline ? headline : "", rank);
    ok = ok && alerts_store_substances(db, a->id, json_object_get(a->doc, "substances"));
    free(text);
    return ok;
}

/* Records the next version (a CAP message of type) of a. */
static bool add_version(sqlite3 *db, const alerts_env *env, const alert_actor *who, alert_rec *a, const char *type,
                        const char *note)
{
    alert_version v;
    memset(&v, 0, sizeof(v));
    v.version = ++a->version;
    str_copy(v.msg_type, sizeof(v.msg_type), type);
    unsigned char ns[16];
    char name[32], id[37];
    uuid_parse(a->uuid, ns);
    snprintf(name, sizeof(name), "v%d", v.version);
    uuid5(ns, name, strlen(name), id);
    snprintf(v.identifier, sizeof(v.identifier), "urn:uuid:%s", id);
    str_copy(v.sender, sizeof(v.sender), env->sender);
    v.sent = env->now;
    v.sent_offset = env->offset;
    str_copy(v.note, sizeof(v.note), note ? note : "");
    char *text = json_dumps(a->doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
    bool ok = alerts_store_add_version(db, a->id, &v, text, who ? who->actor : "");
    if (ok && publish_listener && text)
        publish_listener(db, a->id, type, text);
    free(text);
    return ok;
}

static enum alert_result finish(sqlite3 *db, bool ok)
{
    if (ok && db_commit(db))
        return AR_OK;
    db_rollback(db);
    return AR_DB;
}

static void set_status(json_t *doc, const char *status)
{
    json_object_set_new(doc, "status", json_string(status));
}

/* Applies pc to alert a (inside the open transaction), with its audit row.
 * A new photo's added_at is its URL's version, so it moves on by at least
 * a second from the one it replaces (browsers keep the old one for good). */
static bool photo_change(sqlite3 *db, const alerts_env *env, const alert_actor *who, const alert_rec *a,
                         const alert_photo_change *pc)
{
    if (!pc)
        return true;
    bool ok = true;
    json_t *after = NULL;
    if (pc->mime) {
        int64_t at = a->photo && a->photo_at >= env->now ? a->photo_at + 1 : env->now;
        ok = alerts_store_photo_put(db, a->id, pc->mime, pc->width, pc->height, pc->data, pc->len,
                                    pc->alt ? pc->alt : "", at);
        after = json_pack("{s:s,s:i,s:i,s:I,s:s}", "mime", pc->mime, "width", pc->width, "height", pc->height,
                          "bytes", (json_int_t)pc->len, "alt", pc->alt ? pc->alt : "");
    } else if (pc->remove && a->photo) {
        ok = alerts_store_photo_delete(db, a->id);
        after = json_pack("{s:b}", "removed", 1);
    } else if (pc->alt && a->photo && strcmp(pc->alt, a->photo_alt)) {
        ok = alerts_store_photo_alt(db, a->id, pc->alt);
        after = json_pack("{s:s}", "alt", pc->alt);
    }
    if (ok && after) {
        json_t *before = a->photo ? json_pack("{s:s,s:s}", "mime", a->photo_mime, "alt", a->photo_alt) : NULL;
        ok = audit(db, who, "alert.photo", a->id, before, after);
        json_decref(before);
    }
    json_decref(after);
    return ok;
}

enum alert_result alerts_create(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc, long *id)
{
    return alerts_create_with(db, env, who, doc, NULL, id);
}

enum alert_result alerts_create_with(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc,
                                     const alert_photo_change *pc, long *id)
{
    return alerts_create_from(db, env, who, doc, pc, NULL, id);
}

/* The creation's audit row: doc, with "from" when the alert was drafted
 * from reports or a spike. */
static bool audit_created(sqlite3 *db, const alert_actor *who, bool publish, long id, json_t *doc, const char *from)
{
    json_t *after = doc;
    if (from && *from) {
        after = json_copy(doc);
        json_object_set_new(after, "from", json_string(from));
    }
    bool ok = audit(db, who, publish ? "alert.publish" : "alert.create", id, NULL, after);
    if (after != doc)
        json_decref(after);
    return ok;
}

enum alert_result alerts_create_from(sqlite3 *db, const alerts_env *env, const alert_actor *who, json_t *doc,
                                     const alert_photo_change *pc, const char *from, long *id)
{
    alert_rec a;
    memset(&a, 0, sizeof(a));
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    raw[6] = (unsigned char)((raw[6] & 0x0F) | 0x40); /* version 4 */
    raw[8] = (unsigned char)((raw[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    uuid_format(raw, a.uuid);
    bool publish = !strcmp(json_string_value(json_object_get(doc, "status")), "published");
    str_copy(a.state, sizeof(a.state), publish ? "published" : "draft");
    a.doc = doc;
    times_of(&a, doc);
    a.created_at = a.updated_at = env->now;
    a.published_at = publish ? env->now : 0;
    if (!db_begin(db))
        return AR_DB;
    bool ok = save(db, &a, true) && (!publish || add_version(db, env, who, &a, "Alert", N_("First published."))) &&
              (!publish || save(db, &a, false)) && audit_created(db, who, publish, a.id, doc, from) &&
              photo_change(db, env, who, &a, pc);
    *id = a.id;
    return finish(db, ok);
}

/* Reads alert id inside an open transaction: AR_OK, AR_NOT_FOUND or AR_DB. */
static enum alert_result load(sqlite3 *db, long id, alert_rec *a)
{
    int f = alerts_store_get(db, id, a);
    return f > 0 ? AR_OK : f == 0 ? AR_NOT_FOUND : AR_DB;
}

static enum alert_result begin_load(sqlite3 *db, long id, alert_rec *a)
{
    if (!db_begin(db))
        return AR_DB;
    enum alert_result r = load(db, id, a);
    if (r != AR_OK)
        db_rollback(db);
    return r;
}

enum alert_result alerts_update(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id, json_t *doc,
                                const char *note)
{
    return alerts_update_with(db, env, who, id, doc, note, NULL);
}

enum alert_result alerts_update_with(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id, json_t *doc,
                                     const char *note, const alert_photo_change *pc)
{
    alert_rec a;
    enum alert_result r = begin_load(db, id, &a);
    if (r != AR_OK)
        return r;
    if (!strcmp(a.state, "withdrawn")) {
        db_rollback(db);
        alert_rec_clear(&a);
        return AR_STATE;
    }
    json_t *before = a.doc;
    bool was_draft = !strcmp(a.state, "draft");
    bool publish = was_draft && !strcmp(json_string_value(json_object_get(doc, "status")), "published");
    if (!was_draft)
        set_status(doc, "published");
    a.doc = doc;
    times_of(&a, doc);
    a.updated_at = env->now;
    bool ok = true;
    if (publish) {
        str_copy(a.state, sizeof(a.state), "published");
        a.published_at = env->now;
        ok = add_version(db, env, who, &a, "Alert", N_("First published."));
    } else if (!was_draft) {
        ok = add_version(db, env, who, &a, "Update", note && *note ? note : N_("Updated."));
    }
    ok = ok && save(db, &a, false) &&
         audit(db, who, publish ? "alert.publish" : was_draft ? "alert.edit" : "alert.update", id, before, doc) &&
         photo_change(db, env, who, &a, pc);
    json_decref(before);
    return finish(db, ok);
}

enum alert_result alerts_publish(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id)
{
    alert_rec a;
    enum alert_result r = begin_load(db, id, &a);
    if (r != AR_OK)
        return r;
    if (strcmp(a.state, "draft")) {
        db_rollback(db);
        alert_rec_clear(&a);
        return AR_STATE;
    }
    str_copy(a.state, sizeof(a.state), "published");
    set_status(a.doc, "published");
    a.published_at = a.updated_at = env->now;
    bool ok = add_version(db, env, who, &a, "Alert", N_("First published.")) && save(db, &a, false) &&
              audit(db, who, "alert.publish", id, NULL, a.doc);
    alert_rec_clear(&a);
    return finish(db, ok);
}

enum alert_result alerts_expire(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id)
{
    alert_rec a;
    enum alert_result r = begin_load(db, id, &a);
    if (r != AR_OK)
        return r;
    if (strcmp(a.state, "published") || a.expires <= env->now) {
        db_rollback(db);
        alert_rec_clear(&a);
        return AR_STATE;
    }
    char t[40];
    int64_t when = env->now; /* active is starts <= now < expires: over from this second */
    alerts_format_time(when, env->offset, false, t, sizeof(t));
    if (a.starts > when) { /* not started yet: it never will */
        json_object_set_new(a.doc, "starts", json_string(t));
        a.starts = when;
    }
    json_t *before = json_pack("{s:s?}", "expires", json_string_value(json_object_get(a.doc, "expires")));
    json_object_set_new(a.doc, "expires", json_string(t));
    a.expires = when;
    a.updated_at = env->now;
    json_t *after = json_pack("{s:s}", "expires", t);
    bool ok = add_version(db, env, who, &a, "Update", N_("Ended early: this alert no longer applies.")) &&
              save(db, &a, false) && audit(db, who, "alert.expire", id, before, after);
    json_decref(after);
    json_decref(before);
    alert_rec_clear(&a);
    return finish(db, ok);
}

enum alert_result alerts_withdraw(sqlite3 *db, const alerts_env *env, const alert_actor *who, long id,
                                  const char *reason)
{
    alert_rec a;
    enum alert_result r = begin_load(db, id, &a);
    if (r != AR_OK)
        return r;
    if (!strcmp(a.state, "withdrawn")) {
        db_rollback(db);
        alert_rec_clear(&a);
        return AR_STATE;
    }
    bool published = !strcmp(a.state, "published");
    str_copy(a.state, sizeof(a.state), "withdrawn");
    str_copy(a.reason, sizeof(a.reason), reason);
    a.withdrawn_at = a.updated_at = env->now;
    json_t *after = json_pack("{s:s}", "reason", reason);
    bool ok = (!published || add_version(db, env, who, &a, "Cancel", reason)) && save(db, &a, false) &&
              audit(db, who, "alert.withdraw", id, NULL, after);
    json_decref(after);
    alert_rec_clear(&a);
    return finish(db, ok);
}

static json_t *time_json(int64_t t, int off)
{
    if (!t)
        return json_null();
    char s[40];
    alerts_format_time(t, off, false, s, sizeof(s));
    return json_string(s);
}

json_t *alerts_api_json(const alert_rec *a, const alert_version *v, int nv, const char *base, int64_t now)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_update(o, a->doc);
    char url[600];
    snprintf(url, sizeof(url), "%s/alerts/%ld", base, a->id);
    json_object_set_new(o, "url", json_string(url));
    snprintf(url, sizeof(url), "%s/alerts/%ld.cap", base, a->id);
    json_object_set_new(o, "cap_url", json_string(url));
    if (a->photo) {
        snprintf(url, sizeof(url), "%s/alerts/%ld/photo?v=%lld", base, a->id, (long long)a->photo_at);
        json_object_set_new(o, "photo_url", json_string(url));
    }
    json_object_set_new(o, "uuid", json_string(a->uuid));
    json_object_set_new(o, "state", json_string(alerts_state_shown(a->state, a->version, a->starts, a->expires, now)));
    json_object_set_new(o, "active", json_boolean(alerts_is_active(a->state, a->starts, a->expires, now)));
    json_object_set_new(o, "published_at", time_json(a->published_at, 0));
    json_object_set_new(o, "updated_at", time_json(a->updated_at, 0));
    if (a->withdrawn_at) {
        json_object_set_new(o, "withdrawn_at", time_json(a->withdrawn_at, 0));
        json_object_set_new(o, "withdraw_reason", json_string(a->reason));
    }
    json_t *h = json_array();
    for (int i = 0; i < nv; i++)
        json_array_append_new(h, json_pack("{s:i,s:s,s:s,s:o,s:s}", "version", v[i].version, "msg_type",
                                           v[i].msg_type, "identifier", v[i].identifier, "sent",
                                           time_json(v[i].sent, v[i].sent_offset), "note", v[i].note));
    json_object_set_new(o, "history", h);
    return o;
}

bool alerts_check_translation(sqlite3 *db, long self, const json_t *doc, alert_problems *pr)
{
    long of = (long)json_integer_value(json_object_get(doc, "translation_of"));
    if (of <= 0)
        return true;
    if (of == self) {
        alerts_problem(pr, "translation_of", N_("An alert cannot be a translation of itself."));
        return false;
    }
    alert_rec o;
    int f = alerts_store_get(db, of, &o);
    if (f < 0)
        return false;
    if (f == 0) {
        alerts_problem(pr, "translation_of", N_("There is no alert %ld to translate."), of);
        return false;
    }
    const char *lang = json_string_value(json_object_get(doc, "lang"));
    const char *olang = json_string_value(json_object_get(o.doc, "lang"));
    if (json_integer_value(json_object_get(o.doc, "translation_of")) > 0)
        alerts_problem(pr, "translation_of", N_("Alert %ld is itself a translation: name the alert it translates."), of);
    else if (!strcmp(lang ? lang : "en", olang ? olang : "en"))
        alerts_problem(pr, "translation_of", N_("A translation must be in another language than alert %ld (%s)."), of,
                       olang ? olang : "en");
    alert_rec_clear(&o);
    return pr->n == 0;
}
