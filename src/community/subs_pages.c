/* subs_pages: the public subscription pages and the inbound SMS webhook.
 * See subs_pages.h. */
#include "community/subs_pages.h"
#include "community/areas.h"
#include "community/subs.h"
#include "community/subs_int.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "pages/view.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void field_error(json_t *d, const char *field, const char *message)
{
    json_t *errors = json_object();
    jset_str(errors, field, message);
    json_object_set_new(d, "errors", errors);
    json_object_set_new(d, "error_list", json_pack("[{s:s,s:s}]", "field", field, "message", message));
    json_object_set_new(d, "has_errors", json_true());
}

static bool chosen(request *rq, const char *slug)
{
    for (size_t i = 0; i < params_count(&rq->form, "area"); i++)
        if (!strcmp(params_get_nth(&rq->form, "area", i), slug))
            return true;
    return false;
}

/* The form, with what was typed and its problem (field may be NULL). */
static void form_page(request *rq, response *rs, int status, const char *field, const char *message)
{
    json_t *d = view_data(rq, T(rq, "Get drug alerts"));
    bool post = rq->method == M_POST;
    json_t *list = json_array();
    for (size_t i = 0; i < areas_count(); i++) {
        const area *a = areas_at(i);
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "slug", a->slug, "name", a->name, "checked",
                                              post && chosen(rq, a->slug)));
    }
    json_object_set_new(d, "areas", list);
    json_object_set_new(d, "has_areas", json_boolean(areas_count() > 0));
    bool can_sms = rq->cfg->sms_url[0] != 0, can_email = rq->cfg->smtp_url[0] != 0;
    json_object_set_new(d, "can_sms", json_boolean(can_sms));
    json_object_set_new(d, "can_email", json_boolean(can_email));
    json_object_set_new(d, "can_any", json_boolean(can_sms || can_email));
    json_object_set_new(d, "can_both", json_boolean(can_sms && can_email));
    const char *by = post ? req_str(rq, "by") : NULL;
    json_object_set_new(d, "by_sms", json_boolean(by ? !strcmp(by, "sms") : !can_email));
    json_object_set_new(d, "by_email", json_boolean(by ? !strcmp(by, "email") : can_email));
    if (post) {
        jset_str(d, "email", req_str(rq, "email"));
        jset_str(d, "phone", req_str(rq, "phone"));
        jset_str(d, "zips", req_str(rq, "zips"));
    }
    jset_str(d, "org_name", rq->cfg->org_name);
    if (field)
        field_error(d, field, message);
    rs->status = status;
    view_page(rq, rs, "subscribe", d);
}

void subs_form_page(request *rq, response *rs)
{
    form_page(rq, rs, 200, NULL, NULL);
}

/* One step's page (subscribe-step.mustache): kind names the part shown. */
static void step_page(request *rq, response *rs, int status, const char *title, const char *kind, json_t *extra)
{
    json_t *d = view_data(rq, title);
    jset_str(d, "heading", title);
    json_object_set_new(d, kind, json_true());
    jset_str(d, "org_name", rq->cfg->org_name);
    if (extra) {
        json_object_update(d, extra);
        json_decref(extra);
    }
    rs->status = status;
    view_page(rq, rs, "subscribe-step", d);
}

static void limited(request *rq, response *rs, int retry)
{
    char ra[16];
    snprintf(ra, sizeof(ra), "%d", retry > 0 ? retry : 3600);
    resp_header(rs, "Retry-After", arena_strdup(&rq->a, ra));
    resp_error(rq, rs, 429, T(rq, "Too many requests for alerts from here or to this address in the last hour. Please try "
                            "again later."));
}

/* Checks the address the form gives for by into out; the field's problem in *field. */
static bool form_address(request *rq, const char *by, char *out, size_t n, const char **field, const char **msg)
{
    bool sms = !strcmp(by, "sms");
    if (sms ? !rq->cfg->sms_url[0] : !rq->cfg->smtp_url[0]) {
        *field = "by";
        *msg = sms ? T(rq, "Text messages are not available here. Choose email.")
                   : T(rq, "Email is not available here. Choose text messages.");
        return false;
    }
    const char *v = req_str(rq, sms ? "phone" : "email");
    if (sms ? subs_check_phone(v, out, n) : subs_check_email(v, out, n))
        return true;
    *field = sms ? "phone" : "email";
    *msg = sms ? T(rq, "Type a mobile number, such as 503 555 0100, or with + and the country code.")
               : T(rq, "Type an email address, such as name@example.org.");
    return false;
}

void subs_form_submit(request *rq, response *rs)
{
    const char *by = req_str(rq, "by");
    if (!by)
        by = rq->cfg->smtp_url[0] ? "email" : "sms";
    /* the radio left as it was, but only the other address typed: that one */
    if (!strcmp(by, "email") && !req_has(rq, "email") && req_has(rq, "phone"))
        by = "sms";
    else if (!strcmp(by, "sms") && !req_has(rq, "phone") && req_has(rq, "email"))
        by = "email";
    size_t ns = params_count(&rq->form, "area");
    const char *slugs[SUBS_AREAS_MAX + 1];
    if (ns > SUBS_AREAS_MAX + 1)
        ns = SUBS_AREAS_MAX + 1;
    for (size_t i = 0; i < ns; i++)
        slugs[i] = params_get_nth(&rq->form, "area", i);
    char why[200], address[260];
    const char *field = NULL, *msg = NULL;
    json_t *areas = subs_parse_areas(rq->lang, slugs, ns, req_str(rq, "zips"), why, sizeof(why), &field);
    if (!areas)
        return form_page(rq, rs, 400, field, why);
    int retry = 0;
    if (!form_address(rq, by, address, sizeof(address), &field, &msg)) {
        json_decref(areas);
        return form_page(rq, rs, 400, field, msg);
    }
    if (!subs_allow_client(rq->client, &retry)) {
        json_decref(areas);
        return limited(rq, rs, retry);
    }
    sqlite3 *db = db_thread();
    char token[SUBS_TOKEN_LEN + 1];
    enum subs_result r = db ? subs_request(db, by, address, areas, i18n_code(rq->lang), token, sizeof(token), &retry) : SUBS_FAIL;
    json_decref(areas);
    sodium_memzero(address, sizeof(address));
    if (r == SUBS_LIMITED)
        return limited(rq, rs, retry);
    if (r != SUBS_OK)
        return resp_error(rq, rs, 500, T(rq, "Your request could not be saved. Please try again in a moment."));
    char loc[96];
    if (!strcmp(by, "sms"))
        snprintf(loc, sizeof(loc), "/subscribe/code?t=%s", token);
    else
        snprintf(loc, sizeof(loc), "/subscribe/sent");
    resp_redirect(rs, 303, arena_strdup(&rq->a, loc));
}

void subs_sent_page(request *rq, response *rs)
{
    step_page(rq, rs, 200, T(rq, "Check your email"), "sent", NULL);
}

/* A token from the query or form, if it has the right shape. */
static const char *token_arg(request *rq)
{
    const char *t = req_str(rq, "t");
    if (!t || strlen(t) != SUBS_TOKEN_LEN || strspn(t, "0123456789abcdef") != SUBS_TOKEN_LEN)
        return NULL;
    return t;
}

void subs_code_page(request *rq, response *rs)
{
    const char *t = token_arg(rq);
    if (!t)
        return resp_error(rq, rs, 404, T(rq, "This link is not complete. Start again at /subscribe."));
    step_page(rq, rs, 200, T(rq, "Type the code we texted you"), "code", json_pack("{s:s}", "token", t));
}

static void confirmed(request *rq, response *rs, sqlite3 *db, long id)
{
    int64_t created = 0;
    char url[500] = "";
    if (subs_store_created(db, id, &created) == 1)
        subs_unsub_url(id, created, rq->lang, url, sizeof(url));
    step_page(rq, rs, 200, T(rq, "You will get drug alerts"), "done", json_pack("{s:s}", "unsub_url", url));
}

void subs_code_submit(request *rq, response *rs)
{
    const char *t = token_arg(rq);
    if (!t)
        return resp_error(rq, rs, 400, T(rq, "t: this link is not complete. Start again at /subscribe."));
    sqlite3 *db = db_thread();
    long id = 0;
    int r = db ? subs_confirm(db, t, req_str(rq, "code") ? req_str(rq, "code") : "", &id) : -1;
    if (r == 1)
        return confirmed(rq, rs, db, id);
    if (r == 2)
        return step_page(rq, rs, 400, T(rq, "Type the code we texted you"), "code",
                         json_pack("{s:s,s:b,s:s,s:[{s:s,s:s}]}", "token", t, "has_errors", 1, "code_error",
                                   T(rq, "That code is not right. Check the text message and try again."),
                                   "error_list", "field", "code", "message", T(rq, "That code is not right.")));
    if (r == 3)
        return resp_error(rq, rs, 400, T(rq, "code: too many wrong codes. Start again at /subscribe."));
    if (r == 0)
        return resp_error(rq, rs, 404, T(rq, "This request has expired or was already confirmed. Start again at "
                                       "/subscribe."));
    resp_error(rq, rs, 500, T(rq, "Your confirmation could not be saved. Please try again in a moment."));
}

void subs_confirm_page(request *rq, response *rs)
{
    const char *t = token_arg(rq);
    if (!t)
        return resp_error(rq, rs, 404, T(rq, "This link is not complete. Copy the whole link from the email."));
    step_page(rq, rs, 200, T(rq, "Confirm drug alerts"), "confirm", json_pack("{s:s}", "token", t));
}

void subs_confirm_submit(request *rq, response *rs)
{
    const char *t = token_arg(rq);
    if (!t)
        return resp_error(rq, rs, 400, T(rq, "t: this link is not complete. Copy the whole link from the email."));
    sqlite3 *db = db_thread();
    long id = 0;
    int r = db ? subs_confirm(db, t, NULL, &id) : -1;
    if (r == 1)
        return confirmed(rq, rs, db, id);
    if (r == 0 || r == 2 || r == 3)
        return resp_error(rq, rs, 404, T(rq, "This link has expired or was already used. Start again at /subscribe."));
    resp_error(rq, rs, 500, T(rq, "Your confirmation could not be saved. Please try again in a moment."));
}

/* The id and MAC of an unsubscribe link, checked against the row: 1 good,
 * 0 no such subscriber (or a wrong MAC), -1 error. */
static int unsub_args(request *rq, sqlite3 *db, long *id)
{
    *id = req_int(rq, "id");
    int64_t created = 0;
    int f = *id > 0 && db ? subs_store_created(db, *id, &created) : db ? 0 : -1;
    if (f != 1)
        return f;
    return subs_unsub_ok(*id, created, req_str(rq, "t")) ? 1 : 0;
}

void subs_unsub_page(request *rq, response *rs)
{
    long id = 0;
    int f = unsub_args(rq, db_thread(), &id);
    if (f < 0)
        return resp_error(rq, rs, 500, T(rq, "Please try again in a moment."));
    if (f == 0)
        return step_page(rq, rs, 200, T(rq, "You are not subscribed"), "gone", NULL);
    char ids[24];
    snprintf(ids, sizeof(ids), "%ld", id);
    step_page(rq, rs, 200, T(rq, "Stop drug alerts"), "unsub", json_pack("{s:s,s:s}", "id", ids, "t", req_str(rq, "t")));
}

void subs_unsub_submit(request *rq, response *rs)
{
    sqlite3 *db = db_thread();
    long id = 0;
    int f = unsub_args(rq, db, &id);
    bool deleted = false;
    if (f == 1 && (!db_begin(db) || !subs_store_delete(db, id, &deleted) || !db_commit(db))) {
        db_rollback(db);
        f = -1;
    }
    if (f < 0)
        return resp_error(rq, rs, 500, T(rq, "You could not be unsubscribed just now. Please try again in a moment."));
    step_page(rq, rs, 200, T(rq, "You will get no more drug alerts"), "gone", json_pack("{s:b}", "removed", f == 1));
}

static void twiml(response *rs, const char *message)
{
    rs->status = 200;
    rs->content_type = "application/xml; charset=utf-8";
    buf_puts(&rs->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    if (message) {
        buf_puts(&rs->body, "<Message>");
        esc_html_str(&rs->body, message);
        buf_puts(&rs->body, "</Message>");
    }
    buf_puts(&rs->body, "</Response>");
}

void subs_sms_inbound(request *rq, response *rs)
{
    const char *secret = rq->cfg->sms_inbound_secret, *given = req_param(rq, "secret");
    size_t n = strlen(secret);
    if (!n || !given || strlen(given) != n || sodium_memcmp(secret, given, n) != 0)
        return resp_error(rq, rs, 403, T(rq, "This address does not take messages."));
    char phone[24];
    if (!subs_check_phone(req_str(rq, "From"), phone, sizeof(phone)))
        return resp_error(rq, rs, 400, T(rq, "From: not a phone number."));
    const char *body = req_str(rq, "Body") ? req_str(rq, "Body") : "";
    sqlite3 *db = db_thread();
    if (!db)
        return resp_error(rq, rs, 500, T(rq, "Please try again."));
    if (subs_is_stop_word(body)) {
        if (!subs_stop_phone(db, phone))
            return resp_error(rq, rs, 500, T(rq, "Please try again."));
        return twiml(rs, NULL); /* the gateway itself confirms STOP */
    }
    char code[8];
    int r = subs_confirm_phone(db, phone, body, code);
    if (r < 0)
        return resp_error(rq, rs, 500, T(rq, "Please try again."));
    /* the reply is in the request's language, or the keyword's */
    int lang = code[0] ? i18n_find(code) : subs_is_spanish_word(body) ? i18n_find("es") : -1;
    if (lang < 0)
        lang = I18N_SOURCE;
    char text[300];
    snprintf(text, sizeof(text), "%s: %s", rq->cfg->org_name[0] ? rq->cfg->org_name : "Waypost",
             r == 1   ? i18n_tr(lang, "you will get drug alerts for the areas you chose. Reply STOP to stop.")
             : r == 2 ? i18n_tr(lang, "that code is not right. Reply with the 6-digit code or YES.")
                      : i18n_tr(lang, "reply STOP to stop alerts. To sign up, use the website."));
    twiml(rs, text);
}
