/* routes: the route table, every URL Waypost answers, in one place (as
 * cgit's cmd.c). First match wins, so specific routes come before the
 * content catch-all at the end. Each row: methods, pattern, handler, flags,
 * the typed spec of the query/form keys the handler reads (others are
 * dropped; a value the spec refuses is answered 400 naming the key before
 * the handler runs), the largest body accepted, and a name for logs and
 * metrics. Handlers read the values with req_int/req_str/... (http.h). */
#include "pages/pages.h"
#include "alerts/alerts_api.h"
#include "alerts/alerts_pages.h"
#include "alerts/alerts_staff.h"
#include "routes.h"
#include "locator/locator_api.h"
#include "locator/locator_pages.h"
#include "http/system.h"
#include "recovery/pathways.h"
#include "recovery/selfcheck_pages.h"
#include "auth/roles.h"
#include "checkin/checkin_staff.h"
#include "checkin/checkin_api.h"
#include "checkin/checkin_pages.h"
#include "community/report_pages.h"
#include "community/spikes_pages.h"
#include "community/subs_pages.h"
#include "community/subs_staff.h"
#include "staff/account_pages.h"
#include "staff/audit_pages.h"
#include "staff/import_pages.h"
#include "staff/reports_community.h"
#include "staff/reports_pages.h"
#include "staff/staff_pages.h"
#include "staff/users_pages.h"
#include "stats/stats_pages.h"
#include "substances/combos_api.h"
#include "substances/combos_pages.h"
#include "staff/listings_pages.h"
#include "staff/staff_api.h"
#include "auth/roles.h"

/* Spec entries: TEXT(name, most bytes), INT(name, min, max), NUM(name,
 * min, max), CHOICE(name, "a|b"); FORM_ marks an HTML form field whose
 * empty value means "not given"; MANY(entry, n) lets a key repeat n times. */
#define TEXT(n, max) {n, PT_TEXT, 0, max, NULL, NULL, 1, false}
#define INT(n, lo, hi) {n, PT_INT, lo, hi, NULL, NULL, 1, false}
#define NUM(n, lo, hi) {n, PT_NUM, lo, hi, NULL, NULL, 1, false}
#define CHOICE(n, words) {n, PT_CHOICE, 0, 0, words, NULL, 1, false}
#define FORM_TEXT(n, max) {n, PT_TEXT, 0, max, NULL, NULL, 1, true}
#define FORM_INT(n, lo, hi, def) {n, PT_INT, lo, hi, NULL, def, 1, true}
#define MANY(n, max, count) {n, PT_TEXT, 0, max, NULL, NULL, count, false}
#define END {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false}
#define BOOL(n) CHOICE(n, "true|false")
#define ID(n) TEXT(n, 200)
/* The last column says who may use a route: PUBLIC (no cookie is ever
 * read), or a staff route's least role (auth/roles.h), checked by the
 * guard before the handler runs. */
#define PUBLIC 0
#define PAGING INT("page", 1, 1000000), INT("per_page", 1, 100), CHOICE("format", "json|ndjson")

static const param_spec search_p[] = {FORM_TEXT("q", 200), FORM_INT("page", 1, 1000, "1"), END};
static const param_spec combos_p[] = {MANY("s", 128, 16), MANY("substances", 1024, 16), END};
static const param_spec combos_api_p[] = {MANY("substances", 1024, 16), TEXT("lang", 35), END};
static const param_spec substances_api_p[] = {TEXT("lang", 35), END};
static const param_spec recovery_p[] = {FORM_TEXT("type", 64), FORM_TEXT("format", 64), FORM_TEXT("evidence", 64),
                                        FORM_TEXT("cost", 64), FORM_TEXT("where", 64), FORM_TEXT("suits", 64),
                                        FORM_TEXT("sort", 32), CHOICE("dir", "asc|desc"), END};
/* every answer of every questionnaire: data/selfchecks.json's question ids
 * all start with "q" (checked when it loads) */
static const param_spec selfcheck_p[] = {FORM_TEXT("q*", 16), FORM_TEXT("sex", 16), END};
#define FIND_P                                                                                                   \
    FORM_TEXT("where", 200), FORM_INT("radius", 1, 500, "25"), FORM_TEXT("open", 8), FORM_TEXT("lang", 16),    \
        MANY("attr", 64, 16), FORM_INT("page", 1, 50, "1")
static const param_spec find_p[] = {FORM_TEXT("what", 64), FIND_P, END};
static const param_spec find_shortcut_p[] = {FIND_P, END};
static const param_spec service_p[] = {FORM_TEXT("reported", 8), END};
static const param_spec report_p[] = {FORM_TEXT("kind", 16), TEXT("note", 500), END};
static const param_spec services_p[] = {TEXT("search", 200), PAGING, MANY("taxonomy_term_id", 200, 16), MANY("code", 64, 16),
                                        ID("taxonomy_id"), ID("organization_id"), TEXT("modified_after", 64),
                                        BOOL("minimal"), BOOL("full"), TEXT("lang", 35), END};
static const param_spec organizations_p[] = {TEXT("search", 200), BOOL("full_service"), BOOL("full"), PAGING, END};
static const param_spec organization_p[] = {BOOL("full_service"), END};
static const param_spec sal_p[] = {TEXT("postcode", 16), NUM("proximity", 0, 20100000), NUM("lat", -90, 90),
                                   NUM("lon", -180, 180), MANY("taxonomy_term_id", 200, 16), MANY("code", 64, 16),
                                   ID("taxonomy_id"),
                                   ID("organization_id"), TEXT("modified_after", 64), BOOL("full"),
                                   BOOL("open_now"), TEXT("search", 200), PAGING, TEXT("lang", 35), END};
static const param_spec taxonomies_p[] = {TEXT("search", 200), PAGING, TEXT("lang", 35), END};
static const param_spec lang_only_p[] = {TEXT("lang", 35), END}; /* the Waypost labels' language */
static const param_spec terms_p[] = {TEXT("search", 200), PAGING, ID("taxonomy_id"), BOOL("top_only"),
                                     ID("parent_id"), TEXT("lang", 35), END};
/* the check-in timer's form (checkin/checkin_pages.h): lengths are generous
 * so the handler can answer with the form and its error, not a bare 400 */
static const param_spec checkin_p[] = {FORM_INT("minutes", 1, 120, NULL), FORM_INT("custom", 0, 100000, NULL),
                                       FORM_TEXT("where", 4000), FORM_TEXT("name", 400), FORM_TEXT("sms", 64),
                                       FORM_TEXT("email", 320), FORM_TEXT("own_sms", 64), FORM_TEXT("own_email", 320),
                                       FORM_TEXT("responder", 8), END};
/* the community drug report form (community/report_pages.h): lengths are
 * generous so the handler answers with the form and its error at the field
 * (its own limits are in community/report.h); "effects" repeats, one
 * checkbox per choice; "website" is the honeypot, "started" the signed time
 * the form was shown */
static const param_spec community_report_p[] = {
    FORM_TEXT("sold_as", 2000), FORM_TEXT("seemed", 2000), {"effects", PT_TEXT, 0, 64, NULL, NULL, 16, true},
    FORM_TEXT("note", 8000), FORM_TEXT("area", 400), FORM_TEXT("when", 32), FORM_TEXT("looked", 2000),
    FORM_TEXT("staff", 8), FORM_TEXT("website", 2000), FORM_TEXT("started", 128), END};
static const param_spec checkin_page_p[] = {FORM_TEXT("still", 4), END};
static const param_spec checkin_action_p[] = {FORM_INT("minutes", 1, 120, "5"), END};
/* the audit log's filters (staff/audit_pages.h); days are checked by the handler */
#define AUDIT_FILTERS                                                                                            \
    FORM_TEXT("actor", 320), FORM_TEXT("action", 64), FORM_TEXT("target", 200), FORM_TEXT("from", 10),          \
        FORM_TEXT("to", 10)
static const param_spec audit_p[] = {AUDIT_FILTERS, FORM_INT("page", 1, 100000, "1"), END};
static const param_spec audit_csv_p[] = {AUDIT_FILTERS, END};

/* alert subscriptions (community/subs_pages.h): the areas are checked by
 * the handler (areas_check), the addresses too; t is a hex token or MAC */
static const param_spec subs_p[] = {CHOICE("by", "email|sms"), FORM_TEXT("email", 254), FORM_TEXT("phone", 32),
                                    MANY("area", 64, 11), FORM_TEXT("zips", 200), END};
static const param_spec subs_token_p[] = {TEXT("t", 64), FORM_TEXT("code", 12), END};
static const param_spec subs_unsub_p[] = {INT("id", 1, 1L << 50), TEXT("t", 64), TEXT("List-Unsubscribe", 32), END};
static const param_spec subs_sms_p[] = {TEXT("From", 32), TEXT("Body", 1600), END};

/* Staff forms: every POST carries the session's CSRF token (the guard
 * refuses it otherwise, so the key must be in the spec). */
#define CSRF TEXT("csrf", 64)
static const param_spec login_p[] = {FORM_TEXT("email", 254), CHOICE("done", "password|out"), END};
static const param_spec login_post_p[] = {FORM_TEXT("email", 254), TEXT("password", 1024), END};
static const param_spec login_code_p[] = {CSRF, FORM_TEXT("totp", 32), END};
static const param_spec csrf_p[] = {CSRF, END};
static const param_spec webhook_add_p[] = {CSRF, FORM_TEXT("name", 200), FORM_TEXT("url", 500), END};
static const param_spec account_p[] = {CHOICE("done", "password|others|one|off"), CHOICE("two_factor", "required"), END};
static const param_spec password_p[] = {CSRF, TEXT("current", 1024), TEXT("password", 1024), TEXT("confirm", 1024), END};
static const param_spec sessions_p[] = {CSRF, TEXT("end", 12), END};
static const param_spec two_factor_p[] = {CSRF, CHOICE("action", "start|confirm|off|codes"), FORM_TEXT("totp", 32),
                                          TEXT("current", 1024), END};
static const param_spec users_add_p[] = {CSRF, FORM_TEXT("email", 254), FORM_TEXT("name", 200),
                                         CHOICE("role", "moderator|editor|admin"), END};
static const param_spec users_change_p[] = {CSRF, TEXT("email", 254),
                                            CHOICE("action", "role|disable|enable|reset|two_factor_off"),
                                            CHOICE("role", "moderator|editor|admin"), END};
static const param_spec settings_p[] = {CSRF, CHOICE("two_factor", "optional|required"), END};
static const param_spec setup_p[] = {TEXT("password", 1024), TEXT("confirm", 1024), END};
/* alerts: the public list's filters, the API's, and the staff form (the
 * alert's fields; alerts/alerts.c checks their meaning) */
static const param_spec alerts_p[] = {FORM_TEXT("substance", 128), FORM_TEXT("area", 200), END};
static const param_spec alerts_api_p[] = {BOOL("active"), TEXT("substance", 128), TEXT("since", 64),
                                          INT("page", 1, 1000000), INT("per_page", 1, 100), END};
static const param_spec alert_delete_p[] = {TEXT("reason", 500), END};
static const param_spec alerts_staff_p[] = {CHOICE("done", "saved|published|expired|withdrawn"), END};
/* the new-alert form may come filled (a community report group's "make an
 * alert", a spike's "draft an alert"): the form's own fields with its
 * limits, and "from" (report:12,spike:3), written in the audit row on save */
#define ALERT_PREFILL                                                                                           \
    FORM_TEXT("headline", 1000), FORM_TEXT("substances", 1200), FORM_TEXT("sold_as", 1000),                     \
        FORM_TEXT("appearance", 2500), FORM_TEXT("effects", 5000), FORM_TEXT("description", 10000),            \
        FORM_TEXT("area", 1000), FORM_TEXT("zips", 400), FORM_TEXT("seen_on", 32), FORM_TEXT("source", 32),     \
        FORM_TEXT("from", 400)
static const param_spec alert_new_p[] = {FORM_TEXT("template", 64), ALERT_PREFILL, END};
#define ALERT_FORM                                                                                              \
    CSRF, FORM_TEXT("headline", 1000), FORM_TEXT("substances", 1200), FORM_TEXT("sold_as", 1000),               \
        FORM_TEXT("appearance", 2500), FORM_TEXT("effects", 5000), FORM_TEXT("description", 10000),            \
        FORM_TEXT("area", 1000), FORM_TEXT("zips", 400), FORM_TEXT("lat", 32), FORM_TEXT("lon", 32),           \
        FORM_TEXT("radius_km", 32), FORM_TEXT("seen_on", 32), FORM_TEXT("source", 32),                           \
        FORM_TEXT("certainty", 32), FORM_TEXT("severity", 32), FORM_TEXT("urgency", 32),                         \
        FORM_TEXT("instruction", 10000), FORM_TEXT("starts", 64), FORM_TEXT("expires", 64),                      \
        FORM_TEXT("language", 40), FORM_TEXT("lang", 8), FORM_TEXT("translation_of", 24), FORM_TEXT("note", 500), \
        CHOICE("action", "draft|publish"), \
        FORM_TEXT("photo_alt", 1200), FORM_TEXT("remove_photo", 8), FORM_TEXT("from", 400) \
        /* the file part "photo" is read raw */
/* A photo may be up to 5 MB; a larger one still reaches the handler (up
 * to twice that), so the form can name the problem instead of a bare 413. */
#define ALERT_FORM_MAX_BODY (12L * 1024 * 1024)
static const param_spec alert_form_p[] = {ALERT_FORM, END};
static const param_spec alert_photo_p[] = {TEXT("v", 24), END};
static const param_spec alert_withdraw_p[] = {CSRF, FORM_TEXT("reason", 500), END};

/* The staff listings (staff/listings_pages.c): the form's keys (see
 * staff/listing_form.h), long enough that the form's own checks answer
 * 422 at the field rather than 400; "code" is one checkbox per Waypost
 * code. Every POST carries "csrf" (CSRF above). */
static const param_spec listings_p[] = {FORM_TEXT("q", 200), FORM_TEXT("source", 200), FORM_TEXT("code", 64),
                                        FORM_INT("stale", 0, 36500, NULL), FORM_INT("page", 1, 100000, "1"),
                                        FORM_TEXT("deleted", 8), END};
static const param_spec listing_get_p[] = {FORM_TEXT("saved", 8), END};
static const param_spec listing_form_p[] = {
    CSRF, TEXT("name", 1000), TEXT("description", 20000), TEXT("status", 64), TEXT("url", 2000), TEXT("email", 1000),
    TEXT("organization", 1000), TEXT("address_1", 1000), TEXT("address_2", 1000), TEXT("city", 1000),
    TEXT("state", 64), TEXT("postal_code", 64), TEXT("point", 200), TEXT("phones", 8000), TEXT("hours_mo", 1000),
    TEXT("hours_tu", 1000), TEXT("hours_we", 1000), TEXT("hours_th", 1000), TEXT("hours_fr", 1000),
    TEXT("hours_sa", 1000), TEXT("hours_su", 1000), TEXT("closures", 8000), TEXT("languages", 4000),
    TEXT("costs", 8000), TEXT("eligibility", 8000), TEXT("verified_on", 64), TEXT("verified_by", 1000),
    MANY("code", 64, 64), END};
static const param_spec listing_delete_p[] = {CSRF, FORM_TEXT("confirm", 8), END};
/* staff: reports and import (staff/reports_pages.h, staff/import_pages.h).
 * The queue's filter rides along on a decision, to come back to it. */
#define REPORT_FILTER                                                                                            \
    CHOICE("status", "open|new|editing|reviewed|alerted|resolved|dismissed"), FORM_TEXT("kind", 32)
#define REPORT_ITEM INT("report", 1, 2147483647), CHOICE("source", "listing|community")
static const param_spec reports_p[] = {REPORT_FILTER, FORM_INT("page", 1, 100000, "1"),
                                       CHOICE("done", "resolve|review|dismiss|reopen|edit"),
                                       INT("report", 1, 2147483647), END};
static const param_spec reports_decide_p[] = {CSRF, REPORT_ITEM, CHOICE("action", "resolve|review|dismiss|reopen"),
                                              REPORT_FILTER, FORM_INT("page", 1, 100000, "1"), END};
/* "make an alert" from ticked community reports (staff/reports_community.h) */
static const param_spec reports_alert_p[] = {CSRF, {"report", PT_INT, 1, 2147483647, NULL, NULL, 30, false}, END};
static const param_spec reports_edit_p[] = {CSRF, REPORT_ITEM, END};
/* the file's own limit is checked by the handler (413), so it is not a 400 here */
static const param_spec import_p[] = {CSRF, CHOICE("format", "auto|hsds|findtreatment|csv"), FORM_TEXT("columns", 1000),
                                      FORM_TEXT("source", 200), FORM_TEXT("file", IMPORT_MAX_BODY),
                                      FORM_TEXT("file.filename", 255), FORM_TEXT("text", IMPORT_MAX_BODY), END};
/* The spike detector's pages (community/spikes_pages.h). Numbers come as
 * text so the settings form can name a bad one at its field. */
static const param_spec spikes_p[] = {CHOICE("done", "run"), FORM_TEXT("day", 10), INT("n", 0, 1000000), END};
static const param_spec spikes_run_p[] = {CSRF, FORM_TEXT("date", 10), END};
static const param_spec spikes_settings_p[] = {TEXT("kind", 40), CHOICE("done", "saved"), END};
static const param_spec spikes_tune_p[] = {
    CSRF, TEXT("kind", 40), CHOICE("action", "preview|save"), FORM_TEXT("m_c1", 8), FORM_TEXT("m_c2", 8),
    FORM_TEXT("m_c3", 8), FORM_TEXT("m_ewma", 8), FORM_TEXT("m_poisson", 8), FORM_TEXT("baseline", 16),
    FORM_TEXT("guard", 16), FORM_TEXT("ewma_baseline", 16), FORM_TEXT("z12", 16), FORM_TEXT("z3", 16),
    FORM_TEXT("min_sigma", 16), FORM_TEXT("min_count", 16), FORM_TEXT("p_red", 16), FORM_TEXT("p_yellow", 16),
    FORM_TEXT("pois_red", 16), FORM_TEXT("pois_yellow", 16), END};
static const param_spec events_p[] = {CHOICE("done", "saved"), END};
static const param_spec events_form_p[] = {CSRF, FORM_TEXT("date", 10), FORM_TEXT("area", 64),
                                           FORM_TEXT("kind", 40), FORM_TEXT("count", 16), END};
static const param_spec import_confirm_p[] = {CSRF, TEXT("pending", 64), END};

const route routes[] = {
    {M_GET, "/", pages_home, RF_NONE, NULL, 0, "home", PUBLIC},
    {M_GET, "/search", pages_search, RF_NO_CACHE, search_p, 0, "search", PUBLIC},
    {M_GET, "/combos", combos_page, RF_NONE, combos_p, 0, "combos", PUBLIC},
    {M_GET, "/api/v1/combos", combos_api_check, RF_API, combos_api_p, 0, "api_combos", PUBLIC},
    {M_GET, "/api/v1/substances", combos_api_substances, RF_API, substances_api_p, 0, "api_substances", PUBLIC},
    {M_GET, "/recovery", pathways_index, RF_NONE, recovery_p, 0, "recovery", PUBLIC},
    {M_GET, "/self-check", selfcheck_index, RF_NONE, NULL, 0, "selfcheck", PUBLIC},
    {M_GET | M_POST, "/self-check/:slug", selfcheck_form, RF_NO_CACHE, selfcheck_p, 4096, "selfcheck_form", PUBLIC},
    {M_GET, "/data", stats_page, RF_NONE, NULL, 0, "data", PUBLIC},
    {M_GET, "/data/:name", stats_csv, RF_NONE, NULL, 0, "data_csv", PUBLIC},
    {M_GET, "/find", locator_find_page, RF_NO_CACHE, find_p, 0, "find", PUBLIC},
    {M_GET, "/find/:what", locator_find_page, RF_NO_CACHE, find_shortcut_p, 0, "find_shortcut", PUBLIC},
    {M_GET, "/services/:id", locator_service_page, RF_NONE, service_p, 0, "service", PUBLIC},
    {M_POST, "/services/:id/report", locator_service_report, RF_NO_CACHE, report_p, 4096, "service_report", PUBLIC},
    {M_GET, "/api/v1", api_root, RF_API, NULL, 0, "api_root", PUBLIC},
    {M_GET, "/api/v1/openapi.json", api_openapi, RF_API, NULL, 0, "api_openapi", PUBLIC},
    {M_GET, "/api/v1/services", api_services, RF_API, services_p, 0, "api_services", PUBLIC},
    {M_GET, "/api/v1/services/:id", api_service, RF_API, lang_only_p, 0, "api_service", PUBLIC},
    {M_GET, "/api/v1/organizations", api_organizations, RF_API, organizations_p, 0, "api_organizations", PUBLIC},
    {M_GET, "/api/v1/organizations/:id", api_organization, RF_API, organization_p, 0, "api_organization", PUBLIC},
    {M_GET, "/api/v1/service_at_locations", api_service_at_locations, RF_API | RF_NO_CACHE, sal_p, 0,
     "api_service_at_locations", PUBLIC},
    {M_GET, "/api/v1/service_at_locations/:id", api_service_at_location, RF_API, lang_only_p, 0, "api_service_at_location", PUBLIC},
    {M_GET, "/api/v1/taxonomies", api_taxonomies, RF_API, taxonomies_p, 0, "api_taxonomies", PUBLIC},
    {M_GET, "/api/v1/taxonomies/:id", api_taxonomy, RF_API, lang_only_p, 0, "api_taxonomy", PUBLIC},
    {M_GET, "/api/v1/taxonomy_terms", api_taxonomy_terms, RF_API, terms_p, 0, "api_taxonomy_terms", PUBLIC},
    {M_GET, "/api/v1/taxonomy_terms/:id", api_taxonomy_term, RF_API, lang_only_p, 0, "api_taxonomy_term", PUBLIC},
    /* The never-use-alone check-in timer (issue 13): public, no cookie. */
    {M_GET, "/checkin", checkin_form_page, RF_NO_CACHE, NULL, 0, "checkin", PUBLIC},
    {M_POST, "/checkin", checkin_form_submit, RF_NO_CACHE, checkin_p, 16384, "checkin_start", PUBLIC},
    {M_GET, "/checkin/:token", checkin_private_page, RF_NO_CACHE, checkin_page_p, 0, "checkin_page", PUBLIC},
    {M_POST, "/checkin/:token/:action", checkin_private_action, RF_NO_CACHE, checkin_action_p, 4096,
     "checkin_action", PUBLIC},
    {M_POST, "/api/v1/checkins", checkin_api_start, RF_API | RF_NO_CACHE, NULL, 8192, "api_checkins", PUBLIC},
    {M_GET, "/api/v1/checkins/:token", checkin_api_get, RF_API | RF_NO_CACHE, NULL, 0, "api_checkin", PUBLIC},
    {M_POST, "/api/v1/checkins/:token/:action", checkin_api_action, RF_API | RF_NO_CACHE, NULL, 4096,
     "api_checkin_action", PUBLIC},
    /* Anonymous community drug reports (issue 14): public, no cookie. */
    {M_GET, "/report", report_form_page, RF_NO_CACHE, NULL, 0, "report", PUBLIC},
    {M_POST, "/report", report_form_submit, RF_NO_CACHE, community_report_p, 32768, "report_post", PUBLIC},
    {M_GET, "/report/thanks", report_thanks_page, RF_NONE, NULL, 0, "report_thanks", PUBLIC},
    /* Alert subscriptions (issue 14): public, no cookie. */
    {M_GET, "/subscribe", subs_form_page, RF_NO_CACHE, NULL, 0, "subscribe", PUBLIC},
    {M_POST, "/subscribe", subs_form_submit, RF_NO_CACHE, subs_p, 8192, "subscribe_post", PUBLIC},
    {M_GET, "/subscribe/sent", subs_sent_page, RF_NO_CACHE, NULL, 0, "subscribe_sent", PUBLIC},
    {M_GET, "/subscribe/code", subs_code_page, RF_NO_CACHE, subs_token_p, 0, "subscribe_code", PUBLIC},
    {M_POST, "/subscribe/code", subs_code_submit, RF_NO_CACHE, subs_token_p, 4096, "subscribe_code_post", PUBLIC},
    {M_GET, "/subscribe/confirm", subs_confirm_page, RF_NO_CACHE, subs_token_p, 0, "subscribe_confirm", PUBLIC},
    {M_POST, "/subscribe/confirm", subs_confirm_submit, RF_NO_CACHE, subs_token_p, 4096, "subscribe_confirm_post",
     PUBLIC},
    {M_POST, "/subscribe/sms/:secret", subs_sms_inbound, RF_NO_CACHE, subs_sms_p, 16384, "subscribe_sms_inbound",
     PUBLIC},
    {M_GET, "/unsubscribe", subs_unsub_page, RF_NO_CACHE, subs_unsub_p, 0, "unsubscribe", PUBLIC},
    {M_POST, "/unsubscribe", subs_unsub_submit, RF_NO_CACHE, subs_unsub_p, 4096, "unsubscribe_post", PUBLIC},
    /* The staff portal: the last column is the least role (auth/roles.h). */
    {M_GET, "/staff", staff_home, RF_NONE, NULL, 0, "staff_home", ROLE_MODERATOR},
    {M_GET, "/staff/login", staff_login_page, RF_NONE, login_p, 0, "staff_login", GUARD_OPEN},
    {M_POST, "/staff/login", staff_login_submit, RF_NONE, login_post_p, 4096, "staff_login_post", GUARD_OPEN},
    {M_POST, "/staff/login/code", staff_login_code, RF_NONE, login_code_p, 4096, "staff_login_code", GUARD_OPEN},
    {M_POST, "/staff/logout", staff_logout, RF_NONE, csrf_p, 4096, "staff_logout", ROLE_MODERATOR},
    {M_GET, "/staff/setup/:token", staff_setup_page, RF_NONE, NULL, 0, "staff_setup", GUARD_OPEN},
    {M_POST, "/staff/setup/:token", staff_setup_submit, RF_NONE, setup_p, 4096, "staff_setup_post", GUARD_OPEN},
    {M_GET, "/staff/account", staff_account, RF_NONE, account_p, 0, "staff_account", ROLE_MODERATOR},
    {M_POST, "/staff/account/password", staff_account_password, RF_NONE, password_p, 8192, "staff_password",
     ROLE_MODERATOR},
    {M_POST, "/staff/account/sessions", staff_account_sessions, RF_NONE, sessions_p, 4096, "staff_sessions",
     ROLE_MODERATOR},
    {M_POST, "/staff/account/two-factor", staff_account_two_factor, RF_NONE, two_factor_p, 4096, "staff_two_factor",
     ROLE_MODERATOR},
    {M_GET, "/staff/users", staff_users, RF_NONE, NULL, 0, "staff_users", ROLE_ADMIN},
    {M_POST, "/staff/users", staff_users_add, RF_NONE, users_add_p, 4096, "staff_users_add", ROLE_ADMIN},
    {M_POST, "/staff/users/change", staff_users_change, RF_NONE, users_change_p, 4096, "staff_users_change",
     ROLE_ADMIN},
    {M_GET, "/staff/settings", staff_settings, RF_NONE, NULL, 0, "staff_settings", ROLE_ADMIN},
    {M_POST, "/staff/settings", staff_settings_save, RF_NONE, settings_p, 4096, "staff_settings_save", ROLE_ADMIN},
    {M_GET, "/staff/audit", audit_page, RF_NO_CACHE, audit_p, 0, "staff_audit", ROLE_ADMIN},
    {M_GET, "/staff/audit.csv", audit_csv, RF_NO_CACHE, audit_csv_p, 0, "staff_audit_csv", ROLE_ADMIN},
    /* The directory in the staff portal and the staff API (staff/): GET
     * of listings for moderators (read-only), changes for editors. The
     * API rows take only methods the public GET rows do not. */
    {M_GET, "/staff/listings", listings_index, RF_NO_CACHE, listings_p, 0, "staff_listings", ROLE_MODERATOR},
    {M_GET | M_POST, "/staff/listings/new", listings_new, RF_NO_CACHE, listing_form_p, 131072, "staff_listing_new",
     ROLE_EDITOR},
    {M_GET, "/staff/listings/:id", listings_edit, RF_NO_CACHE, listing_get_p, 0, "staff_listing", ROLE_MODERATOR},
    {M_POST, "/staff/listings/:id", listings_edit, RF_NO_CACHE, listing_form_p, 131072, "staff_listing_save",
     ROLE_EDITOR},
    {M_POST, "/staff/listings/:id/delete", listings_remove, RF_NO_CACHE, listing_delete_p, 4096,
     "staff_listing_delete", ROLE_EDITOR},
    {M_POST, "/api/v1/services", staff_api_post_service, RF_API, NULL, -1, "api_services_post", ROLE_EDITOR},
    {M_DELETE, "/api/v1/services/:id", staff_api_delete_service, RF_API, NULL, 0, "api_services_delete", ROLE_EDITOR},
    /* alerts: public pages, feeds and API; the staff pages and API (editors and admins) */
    {M_GET, "/alerts", alerts_index, RF_NONE, alerts_p, 0, "alerts", PUBLIC},
    {M_GET, "/alerts.atom", alerts_atom, RF_NONE, NULL, 0, "alerts_atom", PUBLIC},
    {M_GET, "/alerts/:id", alerts_show, RF_NONE, NULL, 0, "alert", PUBLIC},
    {M_GET, "/alerts/:id/photo", alerts_photo, RF_NONE, alert_photo_p, 0, "alert_photo", PUBLIC},
    {M_GET, "/api/v1/alerts", alerts_api_list, RF_API, alerts_api_p, 0, "api_alerts", PUBLIC},
    {M_POST, "/api/v1/alerts", alerts_api_create, RF_API, NULL, 65536, "api_alerts_create", ROLE_EDITOR},
    {M_GET, "/api/v1/alerts/:id", alerts_api_get, RF_API, NULL, 0, "api_alert", PUBLIC},
    {M_PUT, "/api/v1/alerts/:id", alerts_api_update, RF_API, NULL, 65536, "api_alert_update", ROLE_EDITOR},
    {M_DELETE, "/api/v1/alerts/:id", alerts_api_delete, RF_API, alert_delete_p, 4096, "api_alert_delete", ROLE_EDITOR},
    {M_GET, "/staff/alerts", alerts_staff_list, RF_NONE, alerts_staff_p, 0, "staff_alerts", ROLE_EDITOR},
    {M_POST, "/staff/alerts", alerts_staff_create, RF_BINARY, alert_form_p, ALERT_FORM_MAX_BODY, "staff_alerts_create", ROLE_EDITOR},
    {M_GET, "/staff/alerts/new", alerts_staff_new, RF_NONE, alert_new_p, 0, "staff_alerts_new", ROLE_EDITOR},
    {M_GET, "/staff/alerts/:id", alerts_staff_edit, RF_NONE, alerts_staff_p, 0, "staff_alert", ROLE_EDITOR},
    {M_POST, "/staff/alerts/:id", alerts_staff_save, RF_BINARY, alert_form_p, ALERT_FORM_MAX_BODY, "staff_alert_save", ROLE_EDITOR},
    {M_GET, "/staff/alerts/:id/photo", alerts_staff_photo, RF_NONE, NULL, 0, "staff_alert_photo", ROLE_EDITOR},
    {M_GET, "/staff/alerts/:id/preview", alerts_staff_preview, RF_NONE, NULL, 0, "staff_alert_preview", ROLE_EDITOR},
    {M_POST, "/staff/alerts/:id/publish", alerts_staff_publish, RF_NONE, csrf_p, 4096, "staff_alert_publish",
     ROLE_EDITOR},
    {M_POST, "/staff/alerts/:id/expire", alerts_staff_expire, RF_NONE, csrf_p, 4096, "staff_alert_expire", ROLE_EDITOR},
    {M_POST, "/staff/alerts/:id/withdraw", alerts_staff_withdraw, RF_NONE, alert_withdraw_p, 4096,
     "staff_alert_withdraw", ROLE_EDITOR},
    /* staff: reports and import */
    {M_GET, "/staff/reports", staff_reports, RF_NONE, reports_p, 0, "staff_reports", ROLE_MODERATOR},
    {M_POST, "/staff/reports/decide", staff_reports_decide, RF_NONE, reports_decide_p, 4096, "staff_reports_decide",
     ROLE_MODERATOR},
    {M_POST, "/staff/reports/alert", staff_reports_alert, RF_NONE, reports_alert_p, 4096, "staff_reports_alert",
     ROLE_EDITOR},
    {M_POST, "/staff/reports/edit", staff_reports_edit, RF_NONE, reports_edit_p, 4096, "staff_reports_edit",
     ROLE_EDITOR},
    {M_GET, "/staff/import", staff_import, RF_NONE, NULL, 0, "staff_import", ROLE_EDITOR},
    {M_POST, "/staff/import", staff_import_preview, RF_NONE, import_p, IMPORT_MAX_BODY, "staff_import_preview",
     ROLE_EDITOR},
    {M_POST, "/staff/import/confirm", staff_import_confirm, RF_NONE, import_confirm_p, 4096, "staff_import_confirm",
     ROLE_EDITOR},
    {M_GET, "/staff/checkins", checkin_staff_page, RF_NONE, NULL, 0, "staff_checkins", ROLE_MODERATOR},
    {M_GET, "/staff/spikes", spikes_page, RF_NONE, spikes_p, 0, "staff_spikes", ROLE_MODERATOR},
    {M_POST, "/staff/spikes/run", spikes_run_now, RF_NONE, spikes_run_p, 4096, "staff_spikes_run", ROLE_EDITOR},
    {M_GET, "/staff/spikes/settings", spikes_settings_page, RF_NONE, spikes_settings_p, 0, "staff_spikes_settings",
     ROLE_EDITOR},
    {M_POST, "/staff/spikes/settings", spikes_settings_submit, RF_NONE, spikes_tune_p, 8192,
     "staff_spikes_settings_save", ROLE_EDITOR},
    {M_GET, "/staff/events", events_page, RF_NONE, events_p, 0, "staff_events", ROLE_EDITOR},
    {M_POST, "/staff/events", events_submit, RF_NONE, events_form_p, 4096, "staff_events_save", ROLE_EDITOR},
    {M_GET, "/staff/webhooks", subs_staff_page, RF_NONE, NULL, 0, "staff_webhooks", ROLE_ADMIN},
    {M_POST, "/staff/webhooks", subs_staff_add, RF_NONE, webhook_add_p, 4096, "staff_webhooks_add", ROLE_ADMIN},
    {M_POST, "/staff/webhooks/:id/delete", subs_staff_delete, RF_NONE, csrf_p, 4096, "staff_webhooks_delete",
     ROLE_ADMIN},
    {M_GET, "/healthz", system_healthz, RF_API, NULL, 0, "healthz", PUBLIC},
    {M_GET, "/robots.txt", system_robots, RF_NONE, NULL, 0, "robots", PUBLIC},
    {M_GET, "/static/*", system_static, RF_NONE, NULL, 0, "static", PUBLIC},
    {M_GET, "/*", pages_content, RF_NONE, NULL, 0, "page", PUBLIC},
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
