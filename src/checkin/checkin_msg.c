/* checkin_msg: the words of every message a check-in sends, queued in the
 * outbox inside the transaction of the step that causes them. Plain words,
 * no judgement; each alert says where to go, the name given, the time, the
 * overdose steps and a link of the recipient's own to say "I'm on my way".
 * Links are made here (a new token per recipient; only its hash is kept),
 * so no raw token is stored anywhere but in the sealed message itself.
 *
 * The person and their contacts are written to in the language of the
 * page the timer was started on (the sealed secret's "lang", issue 16),
 * with links to that language's pages; the program's responder in the
 * site's default language. */
#include "checkin/checkin_int.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

static bool queue(sqlite3 *db, const ck_row *r, enum notify_channel ch, const char *dest, const char *subject,
                  const char *body, const char *kind, int64_t due)
{
    char ref[40];
    snprintf(ref, sizeof(ref), "checkin:%lld", (long long)r->id);
    notify_msg m = {ch, dest, subject, body, ref, kind, due, NULL};
    return notify_enqueue(db, &m);
}

/* The language of the person and their contacts. */
static int lang_of(const json_t *s)
{
    int l = ck_str(s, "lang")[0] ? i18n_find(ck_str(s, "lang")) : -1;
    return l >= 0 ? l : I18N_SOURCE;
}

static const char *who(const json_t *s, int lang)
{
    const char *n = ck_str(s, "name");
    return n[0] ? n : i18n_tr(lang, "Someone");
}

/* "14:05" in the site's zone. */
static void local_time(const config *cfg, int64_t ms, char *out, size_t outlen)
{
    struct tm tm;
    tz_local(tz_get(cfg->timezone), ms / 1000, &tm);
    snprintf(out, outlen, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

bool ckmsg_warning(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due)
{
    char token[CHECKIN_TOKEN_LEN + 1], base[300];
    if (!ck_new_link(db, r->id, "owner", token))
        return false;
    ck_base_url(cfg, base, sizeof(base));
    int lang = lang_of(s);
    long left = (long)((r->due_at - due + 999) / 1000);
    char link[400];
    snprintf(link, sizeof(link), "%s%s/checkin/%s", base, i18n_prefix(lang), token);
    buf b = BUF_INIT;
    buf_printf(&b,
               i18n_tr(lang, "Waypost check-in: your timer ends in about %ld seconds. If you are OK, open this link "
                             "and tap \"I'm OK\": %s"),
               left, link);
    bool ok = true;
    if (ck_str(s, "own_sms")[0])
        ok = queue(db, r, NOTIFY_SMS, ck_str(s, "own_sms"), NULL, buf_cstr(&b), "warning", due);
    if (ok && ck_str(s, "own_email")[0])
        ok = queue(db, r, NOTIFY_EMAIL, ck_str(s, "own_email"), i18n_tr(lang, "Your check-in timer ends soon"),
                   buf_cstr(&b), "warning", due);
    buf_free(&b);
    return ok;
}

/* The alert text for one recipient with their own link. */
static void alert_text(buf *b, const config *cfg, const ck_row *r, const json_t *s, const char *link,
                       bool responder_next)
{
    char at[8], base[300], steps[340];
    int lang = lang_of(s);
    local_time(cfg, r->due_at, at, sizeof(at));
    ck_base_url(cfg, base, sizeof(base));
    snprintf(steps, sizeof(steps), "%s%s/overdose", base, i18n_prefix(lang));
    buf_printf(b,
               i18n_tr(lang, "%s asked Waypost to tell you if they did not check in. Their timer ended at %s and "
                             "they have not checked in. They may need help now.\nWhere: %s\nIf they do not respond "
                             "or are not breathing: call %s, give naloxone if you have it, and start CPR. Steps: "
                             "%s\nTap when you are on your way: %s"),
               who(s, lang), at, ck_str(s, "where"), cfg->emergency_number, steps, link);
    if (responder_next)
        buf_printf(b,
                   i18n_tr(lang, "\nIf nobody says they are on the way within %ld minutes, %s's responder will be "
                                 "alerted."),
                   (cfg->escalate_seconds + 59) / 60, cfg->org_name);
}

/* One message to a contact (role "sms" or "email") with a new link. */
static bool to_contact(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, const char *role,
                       bool responder_next, int64_t due)
{
    char token[CHECKIN_TOKEN_LEN + 1], base[300], link[400], subject[128];
    if (!ck_new_link(db, r->id, role, token))
        return false;
    ck_base_url(cfg, base, sizeof(base));
    int lang = lang_of(s);
    snprintf(link, sizeof(link), "%s%s/checkin/%s", base, i18n_prefix(lang), token);
    buf b = BUF_INIT;
    alert_text(&b, cfg, r, s, link, responder_next);
    snprintf(subject, sizeof(subject), i18n_tr(lang, "%s did not check in: they may need help"), who(s, lang));
    bool sms = !strcmp(role, "sms");
    bool ok = queue(db, r, sms ? NOTIFY_SMS : NOTIFY_EMAIL, ck_str(s, role), sms ? NULL : subject, buf_cstr(&b),
                    "alert", due);
    buf_free(&b);
    return ok;
}

bool ckmsg_alert(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due)
{
    bool next = r->responder && checkin_responder_available(cfg);
    bool ok = true;
    if (ck_str(s, "sms")[0])
        ok = to_contact(db, cfg, r, s, "sms", next, due);
    if (ok && ck_str(s, "email")[0])
        ok = to_contact(db, cfg, r, s, "email", next, due);
    return ok;
}

static bool to_contacts(sqlite3 *db, const ck_row *r, const json_t *s, const char *subject, const char *text,
                        const char *kind, int64_t due)
{
    bool ok = true;
    if (ck_str(s, "sms")[0])
        ok = queue(db, r, NOTIFY_SMS, ck_str(s, "sms"), NULL, text, kind, due);
    if (ok && ck_str(s, "email")[0])
        ok = queue(db, r, NOTIFY_EMAIL, ck_str(s, "email"), subject, text, kind, due);
    return ok;
}

static bool responder_webhook(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, const char *link,
                              int64_t due)
{
    char when[32], base[300], steps[320];
    ck_rfc3339(r->due_at, when, sizeof(when));
    ck_base_url(cfg, base, sizeof(base));
    snprintf(steps, sizeof(steps), "%s/overdose", base);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "event", "checkin.escalated", "name",
                          ck_str(s, "name"), "where", ck_str(s, "where"), "due_at", when, "ack_url", link,
                          "overdose_url", steps, "contacts_alerted", ck_str(s, "sms")[0] || ck_str(s, "email")[0]);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    bool ok = text && queue(db, r, NOTIFY_WEBHOOK, cfg->responder_webhook, NULL, text, "responder", due);
    free(text);
    return ok;
}

bool ckmsg_escalate(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t due)
{
    char token[CHECKIN_TOKEN_LEN + 1], base[300], link[400], at[8];
    if (!ck_new_link(db, r->id, "responder", token))
        return false;
    ck_base_url(cfg, base, sizeof(base));
    snprintf(link, sizeof(link), "%s/checkin/%s", base, token);
    local_time(cfg, r->due_at, at, sizeof(at));
    bool contacts = ck_str(s, "sms")[0] || ck_str(s, "email")[0];
    int staff = i18n_default(), lang = lang_of(s); /* the responder reads the site's language */
    buf b = BUF_INIT;
    if (contacts)
        buf_printf(&b,
                   i18n_tr(staff, "Waypost responder alert: %s did not check in at %s and none of their contacts "
                                  "said they were on the way.\nWhere: %s\nSteps: %s/overdose\nTap when you are on "
                                  "your way: %s"),
                   who(s, staff), at, ck_str(s, "where"), base, link);
    else
        buf_printf(&b,
                   i18n_tr(staff, "Waypost responder alert: %s did not check in at %s.\nWhere: %s\nSteps: "
                                  "%s/overdose\nTap when you are on your way: %s"),
                   who(s, staff), at, ck_str(s, "where"), base, link);
    char subject[128];
    snprintf(subject, sizeof(subject), i18n_tr(staff, "Responder alert: %s did not check in"), who(s, staff));
    bool ok = true;
    if (cfg->responder_sms[0])
        ok = queue(db, r, NOTIFY_SMS, cfg->responder_sms, NULL, buf_cstr(&b), "responder", due);
    if (ok && cfg->responder_email[0])
        ok = queue(db, r, NOTIFY_EMAIL, cfg->responder_email, subject, buf_cstr(&b), "responder", due);
    if (ok && cfg->responder_webhook[0])
        ok = responder_webhook(db, cfg, r, s, link, due);
    buf_reset(&b);
    buf_printf(&b,
               i18n_tr(lang, "Waypost: nobody said they were on the way, so %s's responder has been alerted about %s "
                             "too."),
               cfg->org_name, who(s, lang));
    if (ok && contacts)
        ok = to_contacts(db, r, s, i18n_tr(lang, "The responder was alerted"), buf_cstr(&b), "responder_told", due);
    buf_free(&b);
    return ok;
}

/* The all-clear text in lang. */
static void all_clear_text(buf *b, const json_t *s, int lang)
{
    buf_reset(b);
    buf_printf(b, i18n_tr(lang, "Waypost: %s has checked in and says they are OK. Thank you for being there."),
               who(s, lang));
}

bool ckmsg_all_clear(sqlite3 *db, const config *cfg, const ck_row *r, const json_t *s, int64_t now)
{
    buf b = BUF_INIT;
    int lang = lang_of(s), staff = i18n_default();
    all_clear_text(&b, s, lang);
    bool ok = to_contacts(db, r, s, i18n_tr(lang, "They checked in: they are OK"), buf_cstr(&b), "all_clear", now);
    if (ok && !strcmp(r->state, "escalated")) {
        all_clear_text(&b, s, staff);
        if (cfg->responder_sms[0])
            ok = queue(db, r, NOTIFY_SMS, cfg->responder_sms, NULL, buf_cstr(&b), "all_clear", now);
        if (ok && cfg->responder_email[0])
            ok = queue(db, r, NOTIFY_EMAIL, cfg->responder_email, i18n_tr(staff, "They checked in: they are OK"),
                       buf_cstr(&b), "all_clear", now);
    }
    buf_free(&b);
    return ok;
}
