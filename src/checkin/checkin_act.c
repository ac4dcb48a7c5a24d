/* checkin_act: what a link's holder can do to a check-in (I'm OK, add
 * time, cancel, I'm on my way) and what they can see of it. See
 * checkin.h. Each action is one write transaction: find the link, read the
 * row, change it with a conditional UPDATE on its version, record the step
 * and queue what it causes. */
#include "checkin/checkin_int.h"
#include "db/db.h"
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void ck_rfc3339(int64_t ms, char *out, size_t outlen)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool is(const ck_row *r, const char *state)
{
    return !strcmp(r->state, state);
}

static void set_state(ck_row *r, const char *state)
{
    snprintf(r->state, sizeof(r->state), "%s", state);
}

/* Changes r for a at now; *event names the step ("" when nothing changes).
 * May queue messages (the all-clear after an alert). */
static enum ck_status apply(sqlite3 *db, const config *cfg, ck_row *r, const char *role, enum ck_action a,
                            long seconds, int64_t now, const char **event)
{
    bool alerted = is(r, "alerted") || is(r, "escalated"), ended = is(r, "ok") || is(r, "cancelled");
    *event = "";
    if (strcmp(role, "owner") && a != ACT_ACK)
        return CK_FORBIDDEN;
    if (a == ACT_OK || a == ACT_CANCEL) {
        if (ended)
            return CK_DONE; /* asked twice: the first answer stands */
        if (a == ACT_CANCEL && alerted)
            return CK_CONFLICT;
        if (alerted) {
            json_t *s = ck_secret_open(r);
            bool ok = s && ckmsg_all_clear(db, cfg, r, s, now);
            json_decref(s);
            if (!ok)
                return CK_ERROR;
        }
        set_state(r, a == ACT_OK ? "ok" : "cancelled");
        r->ended_at = now;
        r->escalate_at = 0;
        *event = a == ACT_OK ? "ok" : "cancelled";
        return CK_DONE;
    }
    if (a == ACT_EXTEND) {
        int64_t base = r->due_at > now ? r->due_at : now, due = base + (int64_t)seconds * 1000;
        if (!is(r, "running") || seconds < 1 || due - now > (int64_t)CHECKIN_MAX_SECONDS * 1000)
            return CK_CONFLICT;
        json_t *s = ck_secret_open(r);
        bool own = s && (ck_str(s, "own_sms")[0] || ck_str(s, "own_email")[0]);
        json_decref(s);
        int64_t w = due - cfg->warn_seconds * 1000;
        r->due_at = due;
        r->warn_at = own && cfg->warn_seconds > 0 && w > now ? w : 0;
        *event = "extended";
        return CK_DONE;
    }
    if (!alerted)
        return CK_CONFLICT; /* nobody has been asked to come yet */
    if (!r->acked_at)
        r->acked_at = now;
    if (!strcmp(role, "sms") || !strcmp(role, "email")) {
        json_t *s = ck_secret_open(r);
        bool ok = !s || ck_confirm(db, ck_str(s, role), now);
        json_decref(s);
        if (!ok)
            return CK_ERROR;
    }
    *event = "acknowledged";
    return CK_DONE;
}

enum ck_status checkin_act(const config *cfg, const char *token, enum ck_action a, long seconds)
{
    if (!ck_token_shape(token))
        return CK_NOT_FOUND;
    sqlite3 *db = db_thread();
    if (!db || !db_begin(db))
        return CK_ERROR;
    unsigned char h[32];
    ck_token_hash(token, h);
    int64_t id = 0, now = notify_now_ms();
    char role[12] = "";
    ck_row r = {0};
    int found = ck_link_find(db, h, sizeof(h), &id, role, sizeof(role));
    if (found == 1)
        found = ck_load(db, id, &r);
    enum ck_status st = found == 1 ? CK_DONE : found == 0 ? CK_NOT_FOUND : CK_ERROR;
    const char *event = "";
    if (st == CK_DONE)
        st = apply(db, cfg, &r, role, a, seconds, now, &event);
    if (st == CK_DONE && event[0]) {
        ck_schedule(&r);
        int w = ck_update(db, &r);
        if (w != 1 || !ck_event_add(db, r.id, now, event, strcmp(event, "acknowledged") ? "" : role))
            st = CK_ERROR; /* w == 0 cannot happen inside BEGIN IMMEDIATE; treated as an error */
    }
    ck_row_free(&r);
    if (st == CK_DONE && event[0] && db_commit(db)) {
        notify_kick();
        ck_sched_kick();
        return CK_DONE;
    }
    db_rollback(db);
    return st == CK_DONE && event[0] ? CK_ERROR : st;
}

static void add_event(void *ud, int64_t at, const char *kind, const char *detail)
{
    char t[32];
    ck_rfc3339(at, t, sizeof(t));
    json_array_append_new(ud, json_pack("{s:s, s:I, s:s, s:s}", "at", t, "at_ms", (json_int_t)at, "kind", kind,
                                        "detail", detail ? detail : ""));
}

static void add_message(void *ud, const char *kind, const char *channel, const char *state, int attempts,
                        int64_t sent_at)
{
    json_t *m = json_pack("{s:s, s:s, s:s, s:i}", "kind", kind, "channel", channel, "state", state, "attempts",
                          attempts);
    if (sent_at) {
        char t[32];
        ck_rfc3339(sent_at, t, sizeof(t));
        json_object_set_new(m, "sent_at", json_string(t));
    }
    json_array_append_new(ud, m);
}

/* The fields the holder of role may see. */
static void add_private(json_t *out, const ck_row *r, const char *role, const json_t *s)
{
    bool owner = !strcmp(role, "owner");
    const char *keys[] = {"where", "name", "sms", "email", "own_sms", "own_email"};
    for (int i = 0; i < (owner ? 6 : 2); i++)
        json_object_set_new(out, keys[i], json_string(ck_str(s, keys[i])));
    if (owner)
        json_object_set_new(out, "responder", json_boolean(r->responder));
}

json_t *checkin_describe(const config *cfg, const char *token, enum ck_status *st)
{
    (void)cfg;
    *st = CK_NOT_FOUND;
    if (!ck_token_shape(token))
        return NULL;
    sqlite3 *db = db_thread();
    if (!db || !db_read_begin(db)) {
        *st = CK_ERROR;
        return NULL;
    }
    unsigned char h[32];
    ck_token_hash(token, h);
    int64_t id = 0, now = notify_now_ms();
    char role[12] = "", due[32];
    ck_row r = {0};
    int found = ck_link_find(db, h, sizeof(h), &id, role, sizeof(role));
    if (found == 1)
        found = ck_load(db, id, &r);
    json_t *s = found == 1 ? ck_secret_open(&r) : NULL, *out = NULL;
    if (s) {
        ck_rfc3339(r.due_at, due, sizeof(due));
        int64_t left = r.due_at > now ? (r.due_at - now + 999) / 1000 : 0;
        out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:b}", "role", role, "state", r.state, "due_at", due, "due_ms",
                        (json_int_t)r.due_at, "seconds_left", (json_int_t)(strcmp(r.state, "running") ? 0 : left),
                        "acknowledged", r.acked_at != 0);
        add_private(out, &r, role, s);
        json_t *events = json_array(), *messages = json_array();
        bool ok = ck_events(db, r.id, add_event, events) &&
                  (strcmp(role, "owner") || ck_messages(db, r.id, add_message, messages));
        json_object_set_new(out, "events", events);
        if (!strcmp(role, "owner"))
            json_object_set_new(out, "messages", messages);
        else
            json_decref(messages);
        if (!ok) {
            json_decref(out);
            out = NULL;
        }
    }
    *st = out ? CK_DONE : found == 0 ? CK_NOT_FOUND : CK_ERROR;
    json_decref(s);
    ck_row_free(&r);
    db_read_end(db);
    return out;
}
