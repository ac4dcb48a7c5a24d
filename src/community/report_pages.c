/* report_pages: the /report form and its thank-you page. See
 * report_pages.h. The check is report.c, the SQL report_store.c; every
 * value reaches the page through the escaping {{ }} of the templates. */
#include "community/report_pages.h"
#include "community/areas.h"
#include "community/report.h"
#include "community/report_store.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/ratelimit.h"
#include "pages/view.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STAMP_MAX_AGE 86400 /* a form left open longer is shown again */
#define MAC_BYTES 16

static ratelimit *per_client;
static unsigned char stamp_key[crypto_auth_KEYBYTES];

bool report_pages_load(const config *cfg, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    crypto_auth_keygen(stamp_key);
    ratelimit_free(per_client);
    per_client = cfg->reports_per_hour > 0 ? ratelimit_new((int)cfg->reports_per_hour, 3600) : NULL;
    return true;
}

void report_pages_unload(void)
{
    ratelimit_free(per_client);
    per_client = NULL;
    sodium_memzero(stamp_key, sizeof(stamp_key));
}

static void mac_hex(const char *t, char out[2 * MAC_BYTES + 1])
{
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, (const unsigned char *)t, strlen(t), stamp_key);
    sodium_bin2hex(out, 2 * MAC_BYTES + 1, mac, MAC_BYTES);
}

void report_stamp(int64_t t, char *out, size_t n)
{
    char ts[24], mac[2 * MAC_BYTES + 1];
    snprintf(ts, sizeof(ts), "%lld", (long long)t);
    mac_hex(ts, mac);
    snprintf(out, n, "%s.%s", ts, mac);
}

bool report_stamp_check(const char *s, int64_t *t)
{
    const char *dot = s ? strchr(s, '.') : NULL;
    if (!dot || dot - s > 20 || strlen(dot + 1) != 2 * MAC_BYTES)
        return false;
    char ts[24], mac[2 * MAC_BYTES + 1];
    memcpy(ts, s, (size_t)(dot - s));
    ts[dot - s] = '\0';
    long v;
    if (!parse_long(ts, 0, 1L << 40, &v))
        return false;
    mac_hex(ts, mac);
    if (sodium_memcmp(mac, dot + 1, 2 * MAC_BYTES) != 0)
        return false;
    *t = v;
    return true;
}

/* The choices of a checkbox or radio group, the chosen ones marked. */
static json_t *choice_list(int lang, const report_choice *c, size_t n, const char *const *chosen, size_t nchosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        bool on = false;
        for (size_t k = 0; k < nchosen; k++)
            on |= chosen[k] && !strcmp(chosen[k], c[i].value);
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", c[i].value, "label", i18n_tr(lang, c[i].label), "checked", on));
    }
    return list;
}

static json_t *area_list(void)
{
    json_t *list = json_array();
    for (size_t i = 0; i < areas_count(); i++)
        json_array_append_new(list, json_pack("{s:s,s:s}", "slug", areas_at(i)->slug, "name", areas_at(i)->name));
    return list;
}

/* "Downtown (downtown); East side (east)" for the area field's hint. */
static void area_names(json_t *d)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < areas_count(); i++)
        buf_printf(&b, "%s%s (%s)", i ? "; " : "", areas_at(i)->name, areas_at(i)->slug);
    jset_str(d, "area_names", buf_cstr(&b));
    buf_free(&b);
}

static void add_problems(json_t *d, const report_problems *pr)
{
    json_t *errors = json_object(), *list = json_array();
    for (int i = 0; i < pr->n; i++) {
        jset_str(errors, pr->items[i].field, pr->items[i].message);
        json_array_append_new(list, json_pack("{s:s,s:s}", "field", pr->items[i].field, "message",
                                              pr->items[i].message));
    }
    json_object_set_new(d, "errors", errors);
    json_object_set_new(d, "error_list", list);
    json_object_set_new(d, "has_errors", json_true());
}

/* The form with what was sent (in may be NULL) and its problems. */
static void form_page(request *rq, response *rs, int status, const report_in *in, const report_problems *pr)
{
    json_t *d = view_data(rq, T(rq, "Report a bad batch"));
    char stamp[64];
    report_stamp((int64_t)time(NULL), stamp, sizeof(stamp));
    jset_str(d, "started", stamp);
    const char *when = in ? in->when : NULL;
    json_object_set_new(d, "effects", choice_list(rq->lang, report_effects, report_neffects, in ? in->effects : NULL,
                                                  in ? in->neffects : 0));
    json_object_set_new(d, "whens", choice_list(rq->lang, report_whens, report_nwhens, &when, 1));
    json_object_set_new(d, "areas", area_list());
    json_object_set_new(d, "has_areas", json_boolean(areas_count() > 0));
    area_names(d);
    json_object_set_new(d, "limits", json_pack("{s:i,s:i,s:i,s:i}", "sold_as", REPORT_SOLD_AS_MAX, "seemed",
                                               REPORT_SEEMED_MAX, "note", REPORT_NOTE_MAX, "looked",
                                               REPORT_LOOKED_MAX));
    if (in) {
        json_object_set_new(d, "v", json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "sold_as", in->sold_as ? in->sold_as : "",
                                              "seemed", in->seemed ? in->seemed : "", "note", in->note ? in->note : "",
                                              "area", in->area ? in->area : "", "looked",
                                              in->looked ? in->looked : "", "staff", in->staff));
    }
    if (pr && pr->n)
        add_problems(d, pr);
    jset_str(d, "emergency_number", rq->cfg->emergency_number);
    rs->status = status;
    view_page(rq, rs, "report", d);
}

void report_form_page(request *rq, response *rs)
{
    form_page(rq, rs, 200, NULL, NULL);
}

/* The stamp's problem, or NULL when the form was open long enough. */
static const char *stamp_problem(const request *rq, int64_t now)
{
    int64_t t;
    if (!report_stamp_check(req_str(rq, "started"), &t) || t > now + 5 || now - t > STAMP_MAX_AGE)
        return T(rq, "This form is out of date or was not sent from this page. Please check it and send it again.");
    if (now - t < rq->cfg->report_min_seconds)
        return T(rq, "This was sent very quickly, as spam programs do. Please check it and send it again.");
    return NULL;
}

static bool over_limit(request *rq, response *rs, int64_t now)
{
    int wait = 0;
    if (!per_client || ratelimit_allow(per_client, rq->client, (time_t)now, &wait))
        return false;
    char retry[16];
    snprintf(retry, sizeof(retry), "%d", wait > 0 ? wait : 60);
    resp_header(rs, "Retry-After", arena_strdup(&rq->a, retry));
    resp_error(rq, rs, 429, T(rq, "Many reports were sent from here in the last hour. Thank you: please try again later, "
                            "or tell a worker at the program in person."));
    return true;
}

void report_form_submit(request *rq, response *rs)
{
    const char *effects[REPORT_EFFECTS_MAX + 1];
    size_t ne = params_count(&rq->form, "effects");
    for (size_t i = 0; i < ne && i < REPORT_EFFECTS_MAX + 1; i++)
        effects[i] = params_get_nth(&rq->form, "effects", i);
    report_in in = {req_str(rq, "sold_as"), req_str(rq, "seemed"), req_str(rq, "note"), req_str(rq, "area"),
                    req_str(rq, "when"), req_str(rq, "looked"), effects, ne, req_bool(rq, "staff"), rq->lang};
    if (ne > REPORT_EFFECTS_MAX)
        in.neffects = REPORT_EFFECTS_MAX + 1; /* report_check names the problem */
    const char *honeypot = req_str(rq, "website");
    if (honeypot && *honeypot) { /* a program filled the hidden field: look done, keep nothing */
        resp_redirect(rs, 303, "/report/thanks");
        return;
    }
    int64_t now = (int64_t)time(NULL);
    report_problems pr = {.n = 0};
    const char *late = stamp_problem(rq, now);
    if (late) {
        pr.items[0].field = "started";
        str_copy(pr.items[0].message, sizeof(pr.items[0].message), late);
        pr.n = 1;
        return form_page(rq, rs, 400, &in, &pr);
    }
    report_clean c;
    bool ok = report_check(&in, now, tz_get(rq->cfg->timezone), &c, &pr);
    if (!ok) {
        report_clean_free(&c);
        return form_page(rq, rs, 400, &in, &pr);
    }
    if (over_limit(rq, rs, now)) {
        report_clean_free(&c);
        return;
    }
    sqlite3 *db = db_thread();
    long id = 0;
    ok = db && report_store_save(db, &c, now, &id);
    report_clean_free(&c);
    if (!ok) {
        resp_error(rq, rs, 500, T(rq, "Your report could not be saved just now. Please try again in a few minutes."));
        return;
    }
    resp_redirect(rs, 303, "/report/thanks");
}

void report_thanks_page(request *rq, response *rs)
{
    json_t *d = view_data(rq, T(rq, "Thank you for your report"));
    jset_str(d, "emergency_number", rq->cfg->emergency_number);
    view_page(rq, rs, "report-thanks", d);
}
