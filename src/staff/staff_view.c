/* staff_view: the data and layout every staff page shares. See staff_view.h. */
#include "staff/staff_view.h"
#include "auth/audit.h"
#include "auth/guard.h"
#include "auth/roles.h"
#include "db/db.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>

/* The staff menu: each section with the least role that may open it. */
static const struct {
    const char *href, *label;
    int role;
} sections[] = {
    {"/staff", N_("Overview"), ROLE_MODERATOR},
    {"/staff/listings", N_("Listings"), ROLE_MODERATOR},
    {"/staff/reports", N_("Reports"), ROLE_MODERATOR},
    {"/staff/import", N_("Import"), ROLE_EDITOR},
    {"/staff/checkins", N_("Check-ins"), ROLE_MODERATOR},
    {"/staff/alerts", N_("Alerts"), ROLE_EDITOR},
    {"/staff/spikes", N_("Spikes"), ROLE_MODERATOR},
    {"/staff/events", N_("Daily counts"), ROLE_EDITOR},
    {"/staff/webhooks", N_("Alert webhooks"), ROLE_ADMIN},
    {"/staff/users", N_("Accounts"), ROLE_ADMIN},
    {"/staff/audit", N_("Audit log"), ROLE_ADMIN},
    {"/staff/settings", N_("Settings"), ROLE_ADMIN},
    {"/staff/account", N_("Your account"), ROLE_MODERATOR},
};

/* A role's name as shown to people (the stored and API names stay
 * role_name's English codes). */
static const char *role_label(const request *rq, int role)
{
    switch (role) {
    case ROLE_ADMIN:
        return T(rq, "admin");
    case ROLE_EDITOR:
        return T(rq, "editor");
    case ROLE_MODERATOR:
        return T(rq, "moderator");
    default:
        return role_name(role);
    }
}

static json_t *staff_nav(const request *rq, int role)
{
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (role < sections[i].role)
            continue;
        size_t n = strlen(sections[i].href);
        bool current = strcmp(rq->path, sections[i].href) == 0 ||
                       (n > 6 && strncmp(rq->path, sections[i].href, n) == 0 && rq->path[n] == '/');
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "href", sections[i].href, "label", T(rq, sections[i].label),
                                              "current", current));
    }
    return list;
}

json_t *staff_data(request *rq, const char *title)
{
    json_t *d = view_data(rq, title);
    const staff_who *w = staff_who_of(rq);
    if (w) {
        json_object_set_new(d, "who", json_pack("{s:s,s:s,s:s,s:b,s:b,s:b}", "email", w->email, "name", w->name,
                                                "role", role_label(rq, w->role), "admin", w->role >= ROLE_ADMIN,
                                                "editor", w->role >= ROLE_EDITOR, "totp", w->totp));
        jset_str(d, "csrf", w->csrf);
        json_object_set_new(d, "staff_nav", staff_nav(rq, w->role));
    }
    return d;
}

void staff_page(request *rq, response *rs, const char *tmpl, json_t *data)
{
    view_page(rq, rs, tmpl, data);
}

void staff_field_error(json_t *data, const char *field, const char *message)
{
    json_t *errors = json_object_get(data, "errors");
    if (!errors) {
        errors = json_object();
        json_object_set_new(data, "errors", errors);
    }
    if (!json_object_get(errors, field))
        jset_str(errors, field, message);
    json_t *list = json_object_get(data, "error_list");
    if (!list) {
        list = json_array();
        json_object_set_new(data, "error_list", list);
    }
    json_array_append_new(list, json_pack("{s:s,s:s}", "field", field, "message", message));
    json_object_set_new(data, "has_errors", json_true());
}

bool staff_log(request *rq, sqlite3 *db, const char *action, const char *target, json_t *before, json_t *after)
{
    const staff_who *w = staff_who_of(rq);
    audit_entry e = {w ? w->email : "", w ? w->session : "", action, target ? target : "", before, after};
    return audit_write(db, &e);
}

bool staff_log_as(sqlite3 *db, const char *actor, const char *session, const char *action, const char *target)
{
    audit_entry e = {actor, session ? session : "", action, target ? target : "", NULL, NULL};
    return audit_write(db, &e);
}

void staff_server_error(request *rq, response *rs)
{
    resp_error(rq, rs, 500, T(rq, "The staff database could not be read or written. Try again in a moment."));
}

bool staff_finish(request *rq, response *rs, sqlite3 *db, bool ok)
{
    if (ok && db_commit(db))
        return true;
    db_rollback(db);
    rs->nheaders = 0;
    staff_server_error(rq, rs);
    return false;
}

/* The catalog loader refuses a translation whose conversions differ from
 * its msgid's, so a translated format is as safe as the literal; the
 * compiler cannot see that (i18n_tr has no format_arg attribute). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void staff_format_long(char *out, size_t n, const char *fmt, long v)
{
    snprintf(out, n, fmt, v);
}
#pragma GCC diagnostic pop
