/* subs_msg: the words of every subscription message and the publish
 * listener's work: one message per matching subscriber and one signed
 * webhook per partner, queued in the alert's own transaction. Messages are
 * short and plain: what, the alert's link, how to stop. See subs.h. */
#include "community/subs.h"
#include "community/subs_int.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "notify/notify.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *org(const config *cfg)
{
    return cfg && cfg->org_name[0] ? cfg->org_name : "Waypost";
}

bool subs_unsub_url(long id, int64_t created_at, int lang, char *out, size_t n)
{
    char base[300], mac[SUBS_UNSUB_LEN + 1];
    if (!subs_cfg() || !subs_unsub_mac(id, created_at, mac, sizeof(mac)))
        return false;
    subs_base_url(subs_cfg(), base, sizeof(base));
    int w = snprintf(out, n, "%s%s/unsubscribe?id=%ld&t=%s", base, i18n_prefix(lang), id, mac);
    return w > 0 && (size_t)w < n;
}

/* The index of a stored language code; English for one the site lacks. */
static int lang_of(const char *code)
{
    int l = code && *code ? i18n_find(code) : -1;
    return l >= 0 ? l : I18N_SOURCE;
}

bool subs_queue_confirmation(sqlite3 *db, const char *channel, const char *address, const json_t *areas,
                             const char *lang_code, const char *token, const char *code)
{
    const config *cfg = subs_cfg();
    int lang = lang_of(lang_code);
    if (!cfg)
        return false;
    char base[300];
    subs_base_url(cfg, base, sizeof(base));
    buf where = BUF_INIT, body = BUF_INIT, subject = BUF_INIT;
    subs_areas_text(areas, &where);
    bool sms = !strcmp(channel, "sms");
    if (sms) {
        buf_printf(&body,
                   i18n_tr(lang, "%s: your code is %s. Or reply YES to get drug alerts for %s. Reply STOP to stop."),
                   org(cfg), code, buf_cstr(&where));
    } else {
        char link[400];
        snprintf(link, sizeof(link), "%s%s/subscribe/confirm?t=%s", base, i18n_prefix(lang), token);
        buf_printf(&subject, i18n_tr(lang, "Confirm: drug alerts from %s"), org(cfg));
        buf_printf(&body,
                   i18n_tr(lang, "Someone, we hope you, asked %s to email this address when it publishes a drug "
                                 "alert for:\n%s\n\nTo start, open this link and press Confirm:\n%s\n\nIf it "
                                 "was not you, ignore this email. Nothing is kept unless you confirm within a day.\n"),
                   org(cfg), buf_cstr(&where), link);
    }
    notify_msg m = {sms ? NOTIFY_SMS : NOTIFY_EMAIL, address, sms ? NULL : buf_cstr(&subject), buf_cstr(&body),
                    "subscribe", "confirm", notify_now_ms(), NULL};
    bool ok = notify_enqueue(db, &m);
    buf_free(&where);
    buf_free(&body);
    buf_free(&subject);
    return ok;
}

typedef struct publish_ctx {
    sqlite3 *db;
    long alert_id;
    bool cancel;
    const json_t *doc;
    const char *headline;
    char base[300];
    char url[400];
    long queued;
    int64_t due;
} publish_ctx;

/* The message to one subscriber, in their language; url is the alert's
 * page in that language. */
static void subscriber_text(const publish_ctx *c, int lang, bool sms, const char *url, const char *unsub,
                            const json_t *areas, buf *subject, buf *body)
{
    const config *cfg = subs_cfg();
    const char *where = json_string_value(json_object_get(json_object_get(c->doc, "area"), "description"));
    const char *todo = json_string_value(json_object_get(c->doc, "instruction"));
    if (sms) {
        if (c->cancel)
            buf_printf(body, i18n_tr(lang, "%s: the drug alert \"%s\" was withdrawn. %s Stop alerts: reply STOP or %s"),
                       org(cfg), c->headline, url, unsub);
        else
            buf_printf(body, i18n_tr(lang, "%s drug alert: %s %s Stop alerts: reply STOP or %s"), org(cfg),
                       c->headline, url, unsub);
        return;
    }
    buf_printf(subject, c->cancel ? i18n_tr(lang, "Withdrawn: %s") : i18n_tr(lang, "Drug alert: %s"), c->headline);
    if (c->cancel) {
        buf_printf(body, i18n_tr(lang, "%s withdrew this drug alert: %s\n\nWhy, and what is still known:\n%s\n"),
                   org(cfg), c->headline, url);
    } else {
        buf_printf(body, "%s\n\n", c->headline);
        if (where && *where)
            buf_printf(body, i18n_tr(lang, "Where: %s\n"), where);
        if (todo && *todo)
            buf_printf(body, "%s\n\n", todo);
        buf_printf(body, i18n_tr(lang, "Read the whole alert:\n%s\n"), url);
    }
    buf_printf(body, i18n_tr(lang, "\nYou get this because you asked %s for drug alerts for: "), org(cfg));
    subs_areas_text(areas, body);
    buf_printf(body, i18n_tr(lang, ".\nTo stop, open: %s\n"), unsub);
}

static bool each_subscriber(void *ud, long id, const char *channel, const void *secret, size_t slen,
                            int64_t created_at, const char *lang_code)
{
    publish_ctx *c = ud;
    json_t *s = subs_secret_open(secret, slen);
    if (!s) {
        log_warn("subscriptions: subscriber %ld cannot be opened with this key; skipped", id);
        return true;
    }
    const json_t *areas = json_object_get(s, "areas");
    bool ok = true;
    if (subs_matches(c->doc, areas)) {
        char unsub[500], url[420];
        int lang = lang_of(lang_code);
        bool sms = !strcmp(channel, "sms");
        buf subject = BUF_INIT, body = BUF_INIT;
        snprintf(url, sizeof(url), "%s%s/alerts/%ld", c->base, i18n_prefix(lang), c->alert_id);
        ok = subs_unsub_url(id, created_at, lang, unsub, sizeof(unsub));
        if (ok) {
            subscriber_text(c, lang, sms, url, unsub, areas, &subject, &body);
            char ref[32];
            snprintf(ref, sizeof(ref), "alert:%ld", c->alert_id);
            notify_msg m = {sms ? NOTIFY_SMS : NOTIFY_EMAIL, json_string_value(json_object_get(s, "address")),
                            sms ? NULL : buf_cstr(&subject), buf_cstr(&body), ref, "subscription", c->due,
                            sms ? NULL : unsub};
            ok = notify_enqueue(c->db, &m);
            c->queued += ok;
        }
        buf_free(&subject);
        buf_free(&body);
    }
    json_decref(s);
    return ok;
}

typedef struct hook_ctx {
    sqlite3 *db;
    const char *body, *ref;
    int64_t due;
    bool ok;
} hook_ctx;

static bool each_hook(void *ud, long id, const char *name, const char *url, int64_t created_at, const char *by)
{
    (void)id, (void)name, (void)created_at, (void)by;
    hook_ctx *h = ud;
    notify_msg m = {NOTIFY_WEBHOOK, url, NULL, h->body, h->ref, "partner", h->due, NULL};
    h->ok = notify_enqueue(h->db, &m);
    return h->ok;
}

/* The partners' JSON: what happened, the alert and its CAP document. */
static char *partner_json(long id, const char *msg_type, json_t *doc, const char *cap_xml, const char *url)
{
    const char *event = !strcmp(msg_type, "Alert")    ? "alert.published"
                        : !strcmp(msg_type, "Cancel") ? "alert.withdrawn"
                                                      : "alert.updated";
    char cap_url[420];
    snprintf(cap_url, sizeof(cap_url), "%s.cap", url);
    json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:O,s:s?}", "event", event, "msg_type", msg_type, "id",
                          (json_int_t)id, "url", url, "cap_url", cap_url, "alert", doc, "cap", cap_xml);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

bool subs_on_alert(sqlite3 *db, long alert_id, const char *msg_type, const char *doc_json, const char *cap_xml)
{
    const config *cfg = subs_cfg();
    json_t *doc = doc_json ? json_loads(doc_json, 0, NULL) : NULL;
    if (!cfg || !doc) {
        json_decref(doc);
        log_error("subscriptions: alert %ld: %s", alert_id, cfg ? "its document cannot be read" : "not started");
        return false;
    }
    publish_ctx c = {db, alert_id, !strcmp(msg_type, "Cancel"), doc, NULL, "", "", 0, notify_now_ms()};
    c.headline = json_string_value(json_object_get(doc, "headline"));
    if (!c.headline)
        c.headline = "a drug alert";
    char ref[32];
    subs_base_url(cfg, c.base, sizeof(c.base));
    snprintf(c.url, sizeof(c.url), "%s/alerts/%ld", c.base, alert_id);
    snprintf(ref, sizeof(ref), "alert:%ld", alert_id);
    /* a translation's subscribers had the original (whose page links it) */
    bool translation = json_integer_value(json_object_get(doc, "translation_of")) > 0;
    bool ok = subs_store_savepoint(db);
    if (ok && strcmp(msg_type, "Update") && !translation)
        ok = subs_store_each(db, each_subscriber, &c);
    char *body = partner_json(alert_id, msg_type, doc, cap_xml, c.url);
    hook_ctx h = {db, body, ref, c.due, true};
    ok = ok && body && subs_store_hooks(db, each_hook, &h) && h.ok;
    /* all of them or none: never half the subscribers told */
    ok = subs_store_savepoint_end(db, ok) && ok;
    free(body);
    json_decref(doc);
    if (!ok)
        log_error("subscriptions: alert %ld (%s): the messages could not all be queued", alert_id, msg_type);
    else if (c.queued)
        log_info("subscriptions: alert %ld (%s): %ld subscriber message(s) queued", alert_id, msg_type, c.queued);
    return ok;
}
