/* listings_pages: /staff/listings and the listing form. See
 * listings_pages.h. The form's fields are one table below (label, hint,
 * kind), turned into template data, so every input gets its label, hint
 * and error the same way (aria-describedby, aria-invalid) and the
 * template (templates/staff/listing-form.mustache) is one loop. */
#include "staff/listings_pages.h"
#include "auth/roles.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "core/uuid.h"
#include "db/db.h"
#include "pages/view.h"
#include "staff/listing_form.h"
#include "staff/listings.h"
#include "staff/listings_store.h"
#include "staff/staff_view.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define PER_PAGE 25

/* ---- the list ---- */

static json_t *sources_data(request *rq, const char *current)
{
    const char *src[200];
    int n = listings_store_sources(db_thread(), &rq->a, src, 200);
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:b}", "value", src[i], "selected",
                                              current && !strcmp(current, src[i])));
    return list;
}

static json_t *codes_data(int lang, const char *current)
{
    json_t *list = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(listings_vocab()->codes, i, c)
    {
        const char *code = json_string_value(json_object_get(c, "code"));
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "code", code, "name",
                                              i18n_tr(lang, json_string_value(json_object_get(c, "name"))),
                                              "selected", current && !strcmp(current, code)));
    }
    return list;
}

/* The list's own address with the filters and page, for paging links. */
static const char *page_url(request *rq, const listings_query *q, long stale, long page)
{
    buf b = BUF_INIT;
    buf_puts(&b, "/staff/listings?");
    struct { const char *k, *v; } kv[] = {{"q", q->q}, {"source", q->source}, {"code", q->code}};
    for (size_t i = 0; i < 3; i++)
        if (kv[i].v && *kv[i].v) {
            buf_printf(&b, "%s=", kv[i].k);
            esc_url(&b, kv[i].v, strlen(kv[i].v));
            buf_putc(&b, '&');
        }
    if (stale >= 0)
        buf_printf(&b, "stale=%ld&", stale);
    buf_printf(&b, "page=%ld", page);
    const char *s = arena_strdup(&rq->a, buf_cstr(&b));
    buf_free(&b);
    return s;
}

/* A listing's stored status (HSDS codes) as shown to people. */
static const char *status_shown(int lang, const char *status)
{
    if (!strcmp(status, "active"))
        return i18n_trc(lang, "listing status", "active");
    if (!strcmp(status, "temporarily closed"))
        return i18n_trc(lang, "listing status", "temporarily closed");
    if (!strcmp(status, "inactive"))
        return i18n_trc(lang, "listing status", "inactive");
    if (!strcmp(status, "defunct"))
        return i18n_trc(lang, "listing status", "defunct");
    return status;
}

static json_t *rows_data(int lang, const listings_row *rows, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        const listings_row *r = &rows[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", r->id, "name", r->name, "organization",
                              r->organization, "source", r->source, "status", status_shown(lang, r->status), "modified_at",
                              r->modified_at, "verified_on", r->verified_on, "verified_by", r->verified_by,
                              "inactive", strcmp(r->status, "active") != 0);
        json_array_append_new(list, o);
    }
    return list;
}

void listings_index(request *rq, response *rs)
{
    long page = req_int(rq, "page"), stale = req_has(rq, "stale") ? req_int(rq, "stale") : -1;
    listings_query q = {req_str(rq, "q"), req_str(rq, "source"), req_str(rq, "code"), stale,
                        (int)((page - 1) * PER_PAGE), PER_PAGE};
    if (!q.q)
        q.q = "";
    if (!q.code)
        q.code = "";
    listings_row rows[PER_PAGE];
    long total = 0;
    int n = listings_store_search(db_thread(), &rq->a, &q, rows, PER_PAGE, &total);
    if (n < 0) {
        resp_error(rq, rs, 500, T(rq, "The directory could not be read. Please try again."));
        return;
    }
    json_t *d = staff_data(rq, T(rq, "Listings"));
    jset_str(d, "q", q.q);
    json_object_set_new(d, "sources", sources_data(rq, q.source));
    json_object_set_new(d, "codes", codes_data(rq->lang, q.code));
    if (stale >= 0)
        json_object_set_new(d, "stale", json_integer(stale));
    json_object_set_new(d, "rows", rows_data(rq->lang, rows, n));
    json_object_set_new(d, "has_rows", json_boolean(n > 0));
    json_object_set_new(d, "total", json_integer(total));
    json_object_set_new(d, "page", json_integer(page));
    long pages = (total + PER_PAGE - 1) / PER_PAGE;
    json_object_set_new(d, "pages", json_integer(pages ? pages : 1));
    if (page > 1)
        jset_str(d, "prev_url", page_url(rq, &q, stale, page - 1));
    if (page < pages)
        jset_str(d, "next_url", page_url(rq, &q, stale, page + 1));
    json_object_set_new(d, "has_pager", json_boolean(page > 1 || page < pages));
    if (req_bool(rq, "deleted"))
        jset_str(d, "notice", T(rq, "The service was removed."));
    staff_page(rq, rs, "staff/listings", d);
}

/* ---- the form ---- */

enum kind { K_TEXT, K_AREA, K_SELECT };

static const struct section {
    const char *legend, *hint;
} sections[] = {
    {N_("The service"), NULL},
    {N_("Where it is"), N_("The point puts it on the map. Leave it empty to use the centre of the ZIP code.")},
    {N_("Phones"), NULL},
    {N_("Opening hours"), N_("For each day: the hours on the 24-hour clock, such as 09:00-17:00, several with commas "
                      "(09:00-12:00, 13:00-17:00), or 24 hours. Leave a day empty when it is closed.")},
    {N_("Who it is for and what it costs"), NULL},
    {N_("Verified"), N_("When someone last confirmed these details with the service, and who.")},
};

static const struct field {
    int section;
    const char *name, *label, *hint, *type, *autocomplete;
    enum kind kind;
    bool required;
} fields[] = {
    {0, "name", N_("Name"), NULL, "text", "off", K_TEXT, true},
    {0, "organization", N_("Organization"), N_("Leave it empty to use the service's name."), "text", "organization", K_TEXT,
     false},
    {0, "description", N_("Description"), NULL, NULL, NULL, K_AREA, false},
    {0, "status", N_("Status"), NULL, NULL, NULL, K_SELECT, false},
    {0, "url", N_("Website"), N_("Starting with https://"), "url", "url", K_TEXT, false},
    {0, "email", N_("Email"), NULL, "email", "email", K_TEXT, false},
    {1, "address_1", N_("Street address"), NULL, "text", "address-line1", K_TEXT, true},
    {1, "address_2", N_("Address line 2"), NULL, "text", "address-line2", K_TEXT, false},
    {1, "city", N_("City"), NULL, "text", "address-level2", K_TEXT, true},
    {1, "state", N_("State"), N_("Two letters, such as NY."), "text", "address-level1", K_TEXT, true},
    {1, "postal_code", N_("ZIP code"), NULL, "text", "postal-code", K_TEXT, true},
    {1, "point", N_("Point on the map"), N_("latitude,longitude, such as 40.7128,-74.0060"), "text", "off", K_TEXT, false},
    {2, "phones", N_("Phone numbers"), N_("One a line. A note may follow a comma: 212-555-0100, Front desk"), NULL, NULL,
     K_AREA, false},
    {3, "hours_mo", N_("Monday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_tu", N_("Tuesday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_we", N_("Wednesday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_th", N_("Thursday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_fr", N_("Friday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_sa", N_("Saturday"), NULL, "text", "off", K_TEXT, false},
    {3, "hours_su", N_("Sunday"), NULL, "text", "off", K_TEXT, false},
    {3, "closures", N_("Closed on these dates"),
     N_("One a line: 2026-12-25, or 2026-12-24 to 2026-12-26, and a note after a comma if you like."), NULL, NULL, K_AREA,
     false},
    {4, "languages", N_("Languages"), N_("Separated by commas: English, Spanish"), "text", "off", K_TEXT, false},
    {4, "costs", N_("Costs"), N_("One option a line, such as Free, or Sliding scale from $10."), NULL, NULL, K_AREA, false},
    {4, "eligibility", N_("Who can use it"), NULL, NULL, NULL, K_AREA, false},
    {5, "verified_on", N_("Verified on"), N_("A date, such as 2026-12-04."), "date", "off", K_TEXT, false},
    {5, "verified_by", N_("Verified by"), N_("Their email."), "email", "email", K_TEXT, false},
};

static json_t *status_options(int lang, const char *current)
{
    static const char *const values[] = {"active", "temporarily closed", "inactive", "defunct"};
    static const char *const labels[] = {N_("Active"), N_("Temporarily closed"), N_("Inactive"),
                                         N_("Defunct (closed for good)")};
    json_t *list = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", values[i], "label", i18n_tr(lang, labels[i]), "selected",
                                              current && !strcmp(current, values[i])));
    return list;
}

static json_t *field_data(int lang, const struct field *f, json_t *form, json_t *errors)
{
    char id[40], described[96] = "";
    snprintf(id, sizeof(id), "f-%s", f->name);
    const char *err = json_string_value(json_object_get(errors, f->name));
    const char *value = json_string_value(json_object_get(form, f->name));
    if (f->hint)
        snprintf(described, sizeof(described), "%s-hint", id);
    if (err)
        snprintf(described + strlen(described), sizeof(described) - strlen(described), "%s%s-error",
                 *described ? " " : "", id);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b}", "id", id, "name", f->name, "label", i18n_tr(lang, f->label), "value",
                          value ? value : "", "required", f->required, "input", f->kind == K_TEXT, "textarea",
                          f->kind == K_AREA, "select", f->kind == K_SELECT);
    if (f->hint)
        jset_str(o, "hint", i18n_tr(lang, f->hint));
    if (err)
        jset_str(o, "error", err);
    if (*described)
        jset_str(o, "describedby", described);
    if (f->type)
        jset_str(o, "type", f->type);
    if (f->autocomplete)
        jset_str(o, "autocomplete", f->autocomplete);
    if (f->kind == K_SELECT)
        json_object_set_new(o, "options", status_options(lang, value));
    return o;
}

/* The Waypost codes as checkbox groups, by link type (kind of service,
 * cost, access, payment, who it is for). */
static json_t *code_groups(int lang, json_t *form)
{
    static const struct { const char *link, *legend; } groups[] = {
        {"service_type", N_("Kinds of service")}, {"cost", N_("Cost")}, {"access", N_("Access")},
        {"payment", N_("Payment accepted")}, {"population", N_("Who it is for")}, {NULL, N_("Other")},
    };
    json_t *out = json_array(), *ticked = json_object_get(form, "codes");
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        json_t *items = json_array();
        size_t i, k;
        json_t *c, *t;
        json_array_foreach(listings_vocab()->codes, i, c)
        {
            const char *code = json_string_value(json_object_get(c, "code"));
            const char *link = json_string_value(json_object_get(c, "link_type"));
            bool known = false;
            for (size_t h = 0; groups[h].link; h++)
                known = known || !strcmp(groups[h].link, link);
            if (groups[g].link ? strcmp(groups[g].link, link) : known)
                continue;
            bool on = false;
            json_array_foreach(ticked, k, t) on = on || !strcmp(json_string_value(t), code);
            json_array_append_new(items, json_pack("{s:s,s:s,s:b,s:s+}", "code", code, "name",
                                                   i18n_tr(lang, json_string_value(json_object_get(c, "name"))), "checked", on, "id", "c-", code));
        }
        if (json_array_size(items))
            json_array_append_new(out, json_pack("{s:s,s:o}", "legend", i18n_tr(lang, groups[g].legend), "codes", items));
        else
            json_decref(items);
    }
    return out;
}

/* The form page's data: form (borrowed) as typed, errors from data. */
static void form_data(int lang, json_t *d, json_t *form)
{
    json_t *errors = json_object_get(d, "errors"), *secs = json_array();
    for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
        json_t *list = json_array();
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
            if (fields[i].section == (int)s)
                json_array_append_new(list, field_data(lang, &fields[i], form, errors));
        json_t *o = json_pack("{s:s,s:o}", "legend", i18n_tr(lang, sections[s].legend), "fields", list);
        if (sections[s].hint) {
            jset_str(o, "hint", i18n_tr(lang, sections[s].hint));
            json_object_set_new(o, "hint_id", json_sprintf("s-%zu-hint", s));
        }
        json_array_append_new(secs, o);
    }
    json_object_set_new(d, "sections", secs);
    json_object_set_new(d, "code_groups", code_groups(lang, form));
    const char *ce = json_string_value(json_object_get(errors, "codes"));
    if (ce)
        jset_str(d, "codes_error", ce);
}

/* Renders the form; with errors (a list of {field, message}) as 422. */
static void show_form(request *rq, response *rs, const char *id, json_t *form, json_t *errors, const char *notice)
{
    const staff_who *w = staff_who_of(rq);
    json_t *d = staff_data(rq, id ? T(rq, "Edit listing") : T(rq, "New listing"));
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) staff_field_error(d, json_string_value(json_object_get(e, "field")),
                                                       json_string_value(json_object_get(e, "message")));
    form_data(rq->lang, d, form);
    json_object_set_new(d, "is_new", json_boolean(id == NULL));
    json_object_set_new(d, "readonly", json_boolean(!w || w->role < ROLE_EDITOR));
    jset_str(d, "heading", id ? json_string_value(json_object_get(form, "name")) : T(rq, "New listing"));
    if (id) {
        jset_str(d, "service_id", id);
        json_object_set_new(d, "action", json_sprintf("/staff/listings/%s", id));
        json_object_set_new(d, "public_url", json_sprintf("/services/%s", id));
        json_object_set_new(d, "delete_action", json_sprintf("/staff/listings/%s/delete", id));
    } else {
        jset_str(d, "action", "/staff/listings/new");
    }
    if (notice)
        jset_str(d, "notice", notice);
    if (json_array_size(errors))
        rs->status = 422;
    staff_page(rq, rs, "staff/listing-form", d);
}

static void new_uuid(char out[37])
{
    unsigned char u[16];
    randombytes_buf(u, sizeof(u));
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    uuid_format(u, out);
}

/* Checks and saves the posted form for id (NULL: a new service). */
static void save_form(request *rq, response *rs, const char *id, json_t *old)
{
    char new_id[37], today[11];
    if (!id) {
        new_uuid(new_id);
        id = new_id;
    }
    listings_today(today);
    listing_ctx ctx = {listings_vocab(), listings_zip(), id, today, rq->cfg ? rq->cfg->site_name : "Staff",
                       rq->lang};
    json_t *form = listing_form_read(&rq->form), *errors = json_array();
    json_t *checked = listing_form_check(form, &ctx, errors);
    if (json_array_size(errors)) {
        show_form(rq, rs, old ? id : NULL, form, errors, NULL);
        goto out;
    }
    json_t *doc = listing_doc_build(checked, old, &ctx);
    enum hsds_upsert result;
    char field[256], what[256];
    enum listings_outcome r = listings_save(db_thread(), staff_who_of(rq), old ? "listing.save" : "listing.create",
                                            doc, old, &result, field, sizeof(field), what, sizeof(what));
    json_decref(doc);
    if (r == LISTINGS_SAVED) {
        char loc[320];
        snprintf(loc, sizeof(loc), "/staff/listings/%s?saved=1", id);
        resp_redirect(rs, 303, arena_strdup(&rq->a, loc));
    } else if (r == LISTINGS_REFUSED) {
        json_array_append_new(errors, json_pack("{s:s,s:s++}", "field", "name", "message",
                                                T(rq, "The directory refused this listing:"), " ", what));
        show_form(rq, rs, old ? id : NULL, form, errors, NULL);
    } else {
        resp_error(rq, rs, 500, what);
    }
out:
    json_decref(form);
    json_decref(errors);
    json_decref(checked);
}

void listings_new(request *rq, response *rs)
{
    if (rq->method == M_POST) {
        save_form(rq, rs, NULL, NULL);
        return;
    }
    json_t *form = json_pack("{s:s,s:[]}", "status", "active", "codes");
    show_form(rq, rs, NULL, form, NULL, NULL);
    json_decref(form);
}

/* The stored document of the route's id, or NULL with the answer set. */
static json_t *load_doc(request *rq, response *rs, const char *id)
{
    const char *raw = NULL;
    int found = listings_store_doc(db_thread(), &rq->a, id, &raw);
    json_t *doc = found == 1 ? json_loads(raw, 0, NULL) : NULL;
    if (found == 0)
        resp_error(rq, rs, 404, T(rq, "There is no service with this id."));
    else if (!doc)
        resp_error(rq, rs, 500, T(rq, "The service could not be read."));
    return doc;
}

void listings_edit(request *rq, response *rs)
{
    const char *id = req_param(rq, "id");
    json_t *old = load_doc(rq, rs, id);
    if (!old)
        return;
    if (rq->method == M_POST) {
        save_form(rq, rs, id, old);
    } else {
        json_t *form = listing_doc_form(old);
        show_form(rq, rs, id, form, NULL, req_bool(rq, "saved") ? T(rq, "Saved. The public pages show it now.") : NULL);
        json_decref(form);
    }
    json_decref(old);
}

void listings_remove(request *rq, response *rs)
{
    const char *id = req_param(rq, "id");
    if (!req_bool(rq, "confirm")) {
        json_t *old = load_doc(rq, rs, id);
        if (!old)
            return;
        json_t *form = listing_doc_form(old), *errors = json_array();
        json_array_append_new(errors, json_pack("{s:s,s:s}", "field", "confirm", "message",
                                                T(rq, "Tick the box to confirm that the service should be removed.")));
        show_form(rq, rs, id, form, errors, NULL);
        json_decref(form);
        json_decref(errors);
        json_decref(old);
        return;
    }
    int r = listings_delete(db_thread(), staff_who_of(rq), "listing.delete", id);
    if (r == 1)
        resp_redirect(rs, 303, "/staff/listings?deleted=1");
    else if (r == 0)
        resp_error(rq, rs, 404, T(rq, "There is no service with this id."));
    else
        resp_error(rq, rs, 500, T(rq, "The service could not be removed (or the change could not be recorded)."));
}
