/* checkin_pages: HTML handlers of the check-in timer. See checkin_pages.h. */
#include "checkin/checkin_pages.h"
#include "checkin/checkin.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "http/assets.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const int presets[] = {5, 10, 15, 30, 60};

static void field_error(json_t *d, const char *field, const char *message)
{
    json_t *errors = json_object_get(d, "errors");
    if (!errors) {
        errors = json_object();
        json_object_set_new(d, "errors", errors);
    }
    jset_str(errors, field, message);
    json_t *list = json_array();
    json_array_append_new(list, json_pack("{s:s, s:s}", "field", field, "message", message));
    json_object_set_new(d, "error_list", list);
    json_object_set_new(d, "has_errors", json_true());
}

static void add_common(request *rq, json_t *d)
{
    jset_str(d, "checkin_js", assets_url("js/checkin.js"));
    json_object_set_new(d, "can_sms", json_boolean(rq->cfg->sms_url[0] != 0));
    json_object_set_new(d, "can_email", json_boolean(rq->cfg->smtp_url[0] != 0));
    json_object_set_new(d, "has_responder", json_boolean(checkin_responder_available(rq->cfg)));
    jset_str(d, "org_name", rq->cfg->org_name);
    jset_str(d, "emergency_number", rq->cfg->emergency_number);
    json_object_set_new(d, "escalate_minutes", json_integer((rq->cfg->escalate_seconds + 59) / 60));
    json_object_set_new(d, "warn_seconds", json_integer(rq->cfg->warn_seconds));
}

/* The form, with what was typed (values) and its problems. */
static void form_page(request *rq, response *rs, int status, const checkin_req *r, const ck_problem *p)
{
    json_t *d = view_data(rq, T(rq, "Check-in timer"));
    add_common(rq, d);
    int chosen = r ? (int)(r->seconds / 60) : 15;
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
        json_array_append_new(list, json_pack("{s:i, s:b}", "minutes", presets[i], "checked", presets[i] == chosen));
    json_object_set_new(d, "presets", list);
    if (r) {
        jset_str(d, "where", r->where);
        jset_str(d, "name", r->name);
        jset_str(d, "sms", r->sms);
        jset_str(d, "email", r->email);
        jset_str(d, "own_sms", r->own_sms);
        jset_str(d, "own_email", r->own_email);
        json_object_set_new(d, "responder", json_boolean(r->responder));
        bool preset = false;
        for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
            preset |= presets[i] == chosen;
        if (!preset && chosen > 0)
            json_object_set_new(d, "custom", json_integer(chosen));
    }
    if (p)
        field_error(d, strcmp(p->field, "seconds") ? p->field : "minutes", p->message);
    rs->status = status;
    view_page(rq, rs, "checkin/form", d);
}

void checkin_form_page(request *rq, response *rs)
{
    form_page(rq, rs, 200, NULL, NULL);
}

void checkin_form_submit(request *rq, response *rs)
{
    checkin_req r = {0};
    long minutes = req_has(rq, "custom") ? req_int(rq, "custom") : req_int(rq, "minutes");
    r.seconds = minutes * 60;
    r.where = req_str(rq, "where");
    r.name = req_str(rq, "name");
    r.sms = req_str(rq, "sms");
    r.email = req_str(rq, "email");
    r.own_sms = req_str(rq, "own_sms");
    r.own_email = req_str(rq, "own_email");
    r.responder = req_bool(rq, "responder");
    r.lang = i18n_code(rq->lang);
    ck_problem p = {0};
    if (minutes < 1) {
        p = (ck_problem){"minutes", T(rq, "Choose how long: 1 to 120 minutes.")};
        form_page(rq, rs, 400, &r, &p);
        return;
    }
    char token[CHECKIN_TOKEN_LEN + 1], loc[64], ra[16];
    int64_t due = 0;
    int retry = 0;
    enum ck_status st = checkin_start(rq->cfg, &r, rq->client, token, &due, &p, &retry);
    if (st == CK_INVALID) {
        form_page(rq, rs, 400, &r, &p);
    } else if (st == CK_LIMITED) {
        snprintf(ra, sizeof(ra), "%d", retry > 0 ? retry : 60);
        resp_header(rs, "Retry-After", arena_strdup(&rq->a, ra));
        resp_error(rq, rs, 429, T(rq, "Too many check-ins from here or to this number in the last hour. Please try again "
                                "later, or call the Never Use Alone line: 800-484-3731."));
    } else if (st != CK_DONE) {
        resp_error(rq, rs, 500, T(rq, "The timer could not be started. Do not rely on it: call the Never Use Alone line "
                                "(800-484-3731) or use with someone present."));
    } else {
        snprintf(loc, sizeof(loc), "/checkin/%s", token);
        resp_redirect(rs, 303, arena_strdup(&rq->a, loc));
    }
}

static const char *event_text(const request *rq, const char *kind)
{
    static const char *const map[][2] = {
        {"started", N_("Timer started")},           {"extended", N_("Time added")},
        {"warned", N_("Warning sent to you")},      {"alerted", N_("Time ran out: your contacts were alerted")},
        {"acknowledged", N_("Someone said they are on the way")},
        {"escalated", N_("The responder was alerted")}, {"ok", N_("You checked in: OK")},
        {"cancelled", N_("Cancelled")},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(kind, map[i][0]))
            return T(rq, map[i][1]);
    return kind;
}

/* A message's kind, channel or state as the page shows it: the code
 * itself in English, a word in other languages. */
static const char *message_word(const request *rq, const char *v)
{
    static const char *const codes[] = {"warning", "alert", "responder", "responder_told", "all_clear", "sms",
                                        "email",   "webhook", "queued",  "sent",           "failed"};
    const char *words[] = {TC(rq, "check-in message", "warning"),    TC(rq, "check-in message", "alert"),
                           TC(rq, "check-in message", "responder"),  TC(rq, "check-in message", "responder_told"),
                           TC(rq, "check-in message", "all_clear"),  TC(rq, "check-in message", "sms"),
                           TC(rq, "check-in message", "email"),      TC(rq, "check-in message", "webhook"),
                           TC(rq, "check-in message", "queued"),     TC(rq, "check-in message", "sent"),
                           TC(rq, "check-in message", "failed")};
    for (size_t i = 0; v && i < sizeof(codes) / sizeof(codes[0]); i++)
        if (!strcmp(v, codes[i]))
            return words[i];
    return v ? v : "";
}

static json_t *message_words(const request *rq, const json_t *m)
{
    json_t *o = json_deep_copy(m);
    static const char *const keys[] = {"kind", "channel", "state"};
    for (size_t k = 0; k < 3; k++)
        jset_str(o, keys[k], message_word(rq, json_string_value(json_object_get(m, keys[k]))));
    return o;
}

static void local_hhmm(const request *rq, int64_t ms, char *out, size_t outlen)
{
    struct tm tm;
    tz_local(tz_get(rq->cfg->timezone), ms / 1000, &tm);
    snprintf(out, outlen, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* Adds the words the templates show for j's steps and messages. */
static void add_steps(const request *rq, json_t *d, json_t *j)
{
    json_t *events = json_array(), *e;
    size_t i;
    json_array_foreach(json_object_get(j, "events"), i, e) {
        char t[8];
        local_hhmm(rq, json_integer_value(json_object_get(e, "at_ms")), t, sizeof(t));
        json_array_append_new(events, json_pack("{s:s, s:s}", "time", t, "text",
                                                event_text(rq, json_string_value(json_object_get(e, "kind")))));
    }
    json_object_set_new(d, "events", events);
    json_t *msgs = json_object_get(j, "messages"), *words = json_array(), *m;
    json_array_foreach(msgs, i, m)
        json_array_append_new(words, message_words(rq, m));
    json_object_set_new(d, "messages", words);
    json_object_set_new(d, "has_messages", json_boolean(json_array_size(words) > 0));
}

void checkin_private_page(request *rq, response *rs)
{
    enum ck_status st;
    json_t *j = checkin_describe(rq->cfg, req_param(rq, "token"), &st);
    if (!j) {
        resp_error(rq, rs, st == CK_NOT_FOUND ? 404 : 500,
                   st == CK_NOT_FOUND ? T(rq, "There is no check-in at this address. It may have ended and been deleted.")
                                      : T(rq, "The check-in could not be read. Please try again."));
        return;
    }
    const char *role = json_string_value(json_object_get(j, "role"));
    const char *state = json_string_value(json_object_get(j, "state"));
    bool owner = !strcmp(role, "owner");
    json_t *d = view_data(rq, owner ? T(rq, "Your check-in") : T(rq, "Someone may need help"));
    add_common(rq, d);
    json_object_update(d, j);
    jset_str(d, "token", req_param(rq, "token"));
    json_object_set_new(d, state, json_true()); /* running, ok, cancelled, alerted, escalated */
    json_object_set_new(d, "alert_out", json_boolean(!strcmp(state, "alerted") || !strcmp(state, "escalated")));
    json_int_t left = json_integer_value(json_object_get(j, "seconds_left"));
    json_object_set_new(d, "minutes_left", json_integer(left / 60));
    json_object_set_new(d, "secs_left", json_integer(left % 60));
    char due[8];
    local_hhmm(rq, json_integer_value(json_object_get(j, "due_ms")), due, sizeof(due));
    jset_str(d, "due_local", due);
    bool live = !strcmp(state, "running") || !strcmp(state, "alerted") || !strcmp(state, "escalated");
    json_int_t refresh = !strcmp(state, "running") && left < 30 ? (left > 5 ? left : 5) : 30;
    /* WCAG 2.2.1: a page that refreshes itself offers a way to stop it */
    if (live && !req_has(rq, "still"))
        json_object_set_new(d, "refresh", json_integer(refresh));
    json_object_set_new(d, "live", json_boolean(live));
    add_steps(rq, d, j);
    json_decref(j);
    rs->cache_control = "no-store";
    view_page(rq, rs, owner ? "checkin/page" : "checkin/contact", d);
}

void checkin_private_action(request *rq, response *rs)
{
    enum ck_action a;
    const char *token = req_param(rq, "token");
    if (!checkin_action_parse(req_param(rq, "action"), &a)) {
        resp_error(rq, rs, 404, T(rq, "There is no such action."));
        return;
    }
    enum ck_status st = checkin_act(rq->cfg, token, a, a == ACT_EXTEND ? req_int(rq, "minutes") * 60 : 0);
    if (st == CK_DONE) {
        char loc[80];
        snprintf(loc, sizeof(loc), "/checkin/%s", token);
        resp_redirect(rs, 303, arena_strdup(&rq->a, loc));
        return;
    }
    if (st == CK_NOT_FOUND)
        resp_error(rq, rs, 404, T(rq, "There is no check-in at this address. It may have ended and been deleted."));
    else if (st == CK_FORBIDDEN)
        resp_error(rq, rs, 403, T(rq, "This link can only say that you are on the way."));
    else if (st == CK_CONFLICT)
        resp_error(rq, rs, 409, a == ACT_EXTEND ? T(rq, "Time can be added only while the timer runs, up to two hours.")
                                                : T(rq, "Your contacts were already alerted. Tap \"I'm OK\" to tell "
                                                        "them you are safe."));
    else
        resp_error(rq, rs, 500, T(rq, "That did not work. Please try again; if it keeps failing, call someone now."));
}
