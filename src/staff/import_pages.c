/* import_pages: uploads with a dry run first. See import_pages.h. The page
 * is templates/staff/import.mustache; converting is hsds/hsds_convert,
 * importing hsds/hsds_import (its dry run and its hook for the audit row),
 * the waiting upload staff/import_pending. */
#include "staff/import_pages.h"
#include "auth/guard.h"
#include "core/util.h"
#include "db/db.h"
#include "hsds/hsds_convert.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_store.h"
#include "pages/view.h"
#include "staff/import_pending.h"
#include "staff/staff_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *value, *label;
} formats[] = {
    {"auto", N_("Tell from the file")},
    {"hsds", N_("HSDS 3.0 (JSON or NDJSON)")},
    {"findtreatment", N_("FindTreatment.gov export (JSON)")},
    {"csv", N_("Spreadsheet (CSV)")},
};

static const char *format_label(const char *f)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (!strcmp(formats[i].value, f))
            return formats[i].label;
    return f;
}

/* The form, its choices and what was typed into d; renders the page. */
static void import_page(request *rq, response *rs, json_t *d)
{
    const char *format = req_str(rq, "format");
    format = format ? format : "auto";
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", formats[i].value, "label", T(rq, formats[i].label),
                                              "selected", !strcmp(formats[i].value, format)));
    json_object_set_new(d, "formats", list);
    jset_str(d, "columns", req_str(rq, "columns"));
    jset_str(d, "source", req_str(rq, "source"));
    json_object_set_new(d, "max_mb", json_integer(IMPORT_MAX_FILE / (1024 * 1024)));
    staff_page(rq, rs, "staff/import", d);
}

void staff_import(request *rq, response *rs)
{
    import_page(rq, rs, staff_data(rq, T(rq, "Import")));
}

/* The form back with 422 and the problem at field. */
static void refuse(request *rq, response *rs, json_t *d, const char *field, const char *message)
{
    staff_field_error(d, field, message);
    rs->status = 422;
    import_page(rq, rs, d);
}

static void server_error(request *rq, response *rs, json_t *d)
{
    json_decref(d);
    resp_error(rq, rs, 500, T(rq, "The directory could not be read or written. Try again in a moment."));
}

/* "auto": JSON with a "rows" list is a FindTreatment export, other JSON
 * is HSDS, anything else a spreadsheet. */
static const char *detect(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    if (i < len && text[i] == '[')
        return "hsds";
    if (i >= len || text[i] != '{')
        return "csv";
    json_t *root = json_loadb(text, len, 0, NULL);
    bool ft = json_is_array(json_object_get(root, "rows"));
    json_decref(root);
    return ft ? "findtreatment" : "hsds";
}

/* The source name of a spreadsheet: as typed, else the file's name
 * without its extension. */
static void source_name(request *rq, const char *name, char *out, size_t outlen)
{
    const char *typed = req_str(rq, "source");
    snprintf(out, outlen, "%s", typed && typed[0] ? typed : name);
    char *dot = strrchr(out, '.');
    if (!(typed && typed[0]) && dot && dot != out)
        *dot = '\0';
}

/* "2 rows had no coordinates and are placed at the centre of their ZIP
 * code or town: rows 3, 5." for a spreadsheet's preview, or "". */
static void placed_note(request *rq, const hsds_csv_opts *o, char *out, size_t n)
{
    out[0] = '\0';
    if (!o->centroid_rows)
        return;
    buf rows = BUF_INIT;
    long shown = o->centroid_rows < HSDS_CSV_LIST_ROWS ? o->centroid_rows : HSDS_CSV_LIST_ROWS;
    for (long i = 0; i < shown; i++)
        buf_printf(&rows, "%s%ld", i ? ", " : "", o->row[i]);
    if (o->centroid_rows > shown)
        buf_printf(&rows, T(rq, " and %ld more"), o->centroid_rows - shown);
    snprintf(out, n,
             TN(rq, "%ld row had no coordinates and will be placed at the centre of its ZIP code or town: row %s.",
                "%ld rows had no coordinates and will be placed at the centre of their ZIP code or town: rows %s.",
                o->centroid_rows),
             o->centroid_rows, buf_cstr(&rows));
    buf_free(&rows);
}

/* The upload as HSDS text (malloc'd), or NULL with the problem in err
 * (and *field the form field it is about); for a spreadsheet, rows placed
 * at a centroid are told in placed (n bytes). */
static char *to_hsds(request *rq, const char *format, const char *name, const char *text, size_t len, char *err,
                     size_t errlen, const char **field, char *placed, size_t n)
{
    char taxonomy[700], samhsa[700], as_of[11], source[256], why[900] = "";
    time_t now = time(NULL);
    struct tm tm;
    strftime(as_of, sizeof(as_of), "%Y-%m-%d", gmtime_r(&now, &tm));
    snprintf(taxonomy, sizeof(taxonomy), "%s/taxonomy/waypost.json", rq->cfg->data_dir);
    snprintf(samhsa, sizeof(samhsa), "%s/taxonomy/samhsa-codes.json", rq->cfg->data_dir);
    char *out = NULL;
    *field = "file";
    if (!strcmp(format, "hsds")) {
        out = xstrndup(text, len);
    } else if (!strcmp(format, "findtreatment")) {
        out = hsds_convert_findtreatment(text, len, "FindTreatment.gov", as_of, taxonomy, samhsa, why, sizeof(why));
    } else {
        const char *typed = req_str(rq, "columns");
        char *columns = typed && typed[0] ? xstrdup(typed) : hsds_convert_csv_columns_guess(text, len);
        source_name(rq, name, source, sizeof(source));
        hsds_csv_opts o = {.columns_spec = columns, .source_name = source, .as_of = as_of,
                           .taxonomy_path = taxonomy, .centroid = hsds_centroid_resolver()};
        out = hsds_convert_csv_opts(text, len, &o, why, sizeof(why));
        if (out)
            placed_note(rq, &o, placed, n);
        if (!out && str_has_prefix(why, "--columns"))
            *field = "columns";
        free(columns);
    }
    if (!out) {
        bool at_row = str_has_prefix(why, "row ") || str_has_prefix(why, "line ");
        snprintf(err, errlen, "%s%s%s", name, at_row ? " " : ": ", why);
    }
    return out;
}

/* Which text was sent: the file, else the textarea; NULL when neither. */
static const char *upload_of(request *rq, const char **name)
{
    const char *file = req_str(rq, "file"), *text = req_str(rq, "text");
    const char *fname = req_str(rq, "file.filename");
    if (file && file[0]) {
        *name = fname && fname[0] ? fname : N_("the file");
        return file;
    }
    *name = N_("the pasted text");
    return text && text[0] ? text : NULL;
}

/* The counts of an import as page data. */
static json_t *counts_json(int lang, const hsds_import_counts *c, const char *name, const char *format)
{
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:b,s:b}", "name", i18n_tr(lang, name), "format", i18n_tr(lang, format_label(format)), "added",
                     (json_int_t)c->added, "updated", (json_int_t)c->updated, "unchanged",
                     (json_int_t)c->unchanged, "terms", (json_int_t)c->terms, "unmapped", (json_int_t)c->unmapped,
                     "has_terms", c->terms > 0, "has_unmapped", c->unmapped > 0);
}

void staff_import_preview(request *rq, response *rs)
{
    json_t *d = staff_data(rq, T(rq, "Import"));
    const char *name, *text = upload_of(rq, &name), *field = "file";
    if (!text)
        return refuse(rq, rs, d, "file", T(rq, "Choose a file, or paste its text in the box."));
    size_t len = strlen(text);
    if ((long)len > IMPORT_MAX_FILE) {
        json_decref(d);
        return resp_error(rq, rs, 413, T(rq, "The file is larger than 8 MB. Split it, or import it with waypost import."));
    }
    const char *format = req_str(rq, "format");
    if (!format || !strcmp(format, "auto"))
        format = detect(text, len);
    char err[1024];
    char placed[600] = "";
    char *hsds = to_hsds(rq, format, name, text, len, err, sizeof(err), &field, placed, sizeof(placed));
    if (!hsds)
        return refuse(rq, rs, d, field, err);
    sqlite3 *db = db_thread();
    hsds_import_counts c = {0};
    long before = db ? hsds_store_count_services(db) : -1;
    if (before < 0) {
        free(hsds);
        return server_error(rq, rs, d);
    }
    if (!hsds_import_text_dry(db, name, hsds, strlen(hsds), &c, err, sizeof(err))) {
        free(hsds);
        return refuse(rq, rs, d, "file", err);
    }
    const staff_who *w = staff_who_of(rq);
    import_upload u = {(char *)name, (char *)format, hsds, strlen(hsds)};
    char id[IMPORT_PENDING_ID_CHARS];
    bool kept = import_pending_put(w ? w->user_id : 0, &u, id);
    free(hsds);
    if (!kept)
        return refuse(rq, rs, d, "file", T(rq, "The converted file is too large to keep for confirmation."));
    json_t *p = counts_json(rq->lang, &c, name, format);
    long left = before - c.updated - c.unchanged;
    json_object_set_new(p, "left", json_integer(left > 0 ? left : 0));
    jset_str(p, "pending", id);
    if (placed[0])
        jset_str(p, "placed", placed);
    json_object_set_new(d, "preview", p);
    import_page(rq, rs, d);
}

struct record {
    request *rq;
    const char *name, *format;
};

/* The audit row, inside the import's transaction. */
static bool record_import(sqlite3 *db, const hsds_import_counts *c, void *ctx)
{
    const struct record *r = ctx;
    json_t *after = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "format", r->format, "added", (json_int_t)c->added,
                              "updated", (json_int_t)c->updated, "unchanged", (json_int_t)c->unchanged, "terms",
                              (json_int_t)c->terms, "unmapped", (json_int_t)c->unmapped);
    bool ok = staff_log(r->rq, db, "import", r->name, NULL, after);
    json_decref(after);
    return ok;
}

void staff_import_confirm(request *rq, response *rs)
{
    const staff_who *w = staff_who_of(rq);
    import_upload u;
    if (!w || !import_pending_take(w->user_id, req_str(rq, "pending"), &u))
        return resp_error(rq, rs, 410, T(rq, "This upload is no longer waiting: previews wait 15 minutes, are confirmed "
                                       "once, and a restart of the server forgets them. Upload the file again."));
    json_t *d = staff_data(rq, T(rq, "Import"));
    sqlite3 *db = db_thread();
    hsds_import_counts c = {0};
    char err[1024] = "";
    struct record r = {rq, u.name, u.format};
    bool ok = db && hsds_import_text_then(db, u.name, u.text, u.len, &c, err, sizeof(err), record_import, &r);
    if (ok) {
        json_object_set_new(d, "imported", counts_json(rq->lang, &c, u.name, u.format));
        import_upload_free(&u);
        return import_page(rq, rs, d);
    }
    import_upload_free(&u);
    if (!db || !err[0])
        return server_error(rq, rs, d);
    refuse(rq, rs, d, "file", err); /* the directory changed since the preview */
}
