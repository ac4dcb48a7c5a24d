/* hsds_convert_csv: a simple spreadsheet (CSV with a header row, columns
 * named by --columns "name=Name,address=Street,...") into HSDS services.
 * Each row becomes a record; its services column holds Waypost taxonomy
 * codes, checked against data/taxonomy/waypost.json; its hours column an
 * OpenStreetMap opening_hours value (hsds_opening_hours.h); a row without
 * coordinates is placed by a centroid resolver. See hsds_convert.h. */
#include "hsds/hsds_convert.h"
#include "core/csv.h"
#include "core/util.h"
#include "hsds/hsds_convert_internal.h"

#include <stdlib.h>
#include <string.h>

enum { C_NAME, C_ALT, C_DESC, C_ORG, C_ADDR, C_ADDR2, C_CITY, C_STATE, C_ZIP, C_PHONE, C_LAT, C_LON, C_URL,
       C_SERVICES, C_HOURS, NCOL };
static const char *const CSV_FIELDS[NCOL] = {"name", "alternate_name", "description", "organization", "address",
                                             "address2", "city", "state", "zip", "phone", "lat", "lon", "url",
                                             "services", "hours"};

/* The field called name (n bytes), or -1. */
static int field_index(const char *name, size_t n)
{
    for (int i = 0; i < NCOL; i++)
        if (strlen(CSV_FIELDS[i]) == n && !strncmp(CSV_FIELDS[i], name, n))
            return i;
    return -1;
}

/* Parses "field=Header,field=Header" into heads[] (malloc'd, NULL = not given). */
static bool parse_spec(const char *spec, char *heads[NCOL], char *err, size_t errlen)
{
    if (!spec || !*spec) {
        conv_fail(err, errlen, "--columns is required (e.g. name=Name,address=Street,city=City)");
        return false;
    }
    const char *p = spec;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (n == 0) {
            p += comma ? 1 : 0;
            continue;
        }
        if (!eq || eq == p || (size_t)(eq - p) + 1 >= n) {
            conv_fail(err, errlen, "--columns: \"%.*s\" is not field=Header", (int)(n > 60 ? 60 : n), p);
            return false;
        }
        int f = field_index(p, (size_t)(eq - p));
        if (f < 0) {
            conv_fail(err, errlen,
                      "--columns: unknown field \"%.*s\" (known: name, alternate_name, description, organization, "
                      "address, address2, city, state, zip, phone, lat, lon, url, services, hours)",
                      (int)((eq - p) > 40 ? 40 : (eq - p)), p);
            return false;
        }
        free(heads[f]);
        heads[f] = xstrndup(eq + 1, n - (size_t)(eq - p) - 1);
        p += n + (comma ? 1 : 0);
    }
    if (!heads[C_NAME]) {
        conv_fail(err, errlen, "--columns must name the column of the service name (name=...)");
        return false;
    }
    return true;
}

/* The error for a code that is not in the taxonomy, listing the valid ones
 * in taxonomy order. */
static bool unknown_code(conv *c, long row, const char *head, const char *code, char *err, size_t errlen)
{
    size_t n = json_object_size(c->tax.order);
    const char **byorder = xcalloc(n ? n : 1, sizeof(char *));
    const char *k;
    json_t *v;
    json_object_foreach(c->tax.order, k, v)
    {
        json_int_t i = json_integer_value(v);
        if (i >= 0 && (size_t)i < n)
            byorder[i] = k;
    }
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (byorder[i])
            buf_printf(&b, "%s%s", b.len ? ", " : "", byorder[i]);
    conv_fail(err, errlen, "row %ld, column %s: \"%.40s\" is not a Waypost taxonomy code (valid codes: %s)", row,
              head, code, buf_cstr(&b));
    buf_free(&b);
    free(byorder);
    return false;
}

/* The Waypost codes of the services cell (separated by ';' or ',', any
 * case) into r; text is changed in place and must outlive r. */
static bool read_codes(conv *c, rec *r, char *text, long row, const char *head, char *err, size_t errlen)
{
    for (char *p = text; *p;) {
        while (*p == ';' || *p == ',' || *p == ' ')
            p++;
        char *start = p;
        while (*p && *p != ';' && *p != ',')
            p++;
        char *end = p;
        if (*p)
            *p++ = '\0';
        while (end > start && end[-1] == ' ')
            *--end = '\0';
        if (end == start)
            continue;
        for (char *q = start; *q; q++)
            *q = (char)tolower_ascii((unsigned char)*q);
        if (!json_object_get(c->tax.terms, start))
            return unknown_code(c, row, head, start, err, errlen);
        if (r->ncodes >= MAX_CODES) {
            conv_fail(err, errlen, "row %ld, column %s: too many codes", row, head);
            return false;
        }
        conv_add_code(r->codes, &r->ncodes, start);
    }
    return true;
}

static void fill_record(rec *r, char *const v[NCOL])
{
    r->name = v[C_NAME];
    r->alt = v[C_ALT];
    r->desc = v[C_DESC];
    r->org = v[C_ORG];
    r->street1 = v[C_ADDR];
    r->street2 = v[C_ADDR2];
    r->city = v[C_CITY];
    r->state = v[C_STATE];
    r->zip = v[C_ZIP];
    r->phone = v[C_PHONE];
    r->url = v[C_URL];
}

/* The opening hours cell into w (r->hours set when the cell is not empty). */
static bool read_hours(rec *r, oh_week *w, const char *text, long row, const char *head, char *err, size_t errlen)
{
    char why[300];
    if (!*text)
        return true;
    if (!oh_parse(text, w, why, sizeof why)) {
        conv_fail(err, errlen, "row %ld, column %s: opening hours \"%.80s\": %s", row, head, text, why);
        return false;
    }
    r->hours = w;
    return true;
}

/* A row without coordinates gets its ZIP's or place's centroid (when the
 * caller handed in a way to find one), or is refused. */
static bool place_row(hsds_csv_opts *o, rec *r, char *const v[NCOL], long row, char *err, size_t errlen)
{
    char zip[6], label[128];
    if (r->has_coords || !o->centroid)
        return true;
    conv_zip5(v[C_ZIP], zip);
    if (!o->centroid(zip, v[C_CITY], v[C_STATE], &r->lat, &r->lon, label, sizeof label)) {
        conv_fail(err, errlen,
                  "row %ld: no coordinates, and no ZIP code or city and state we know to place it by "
                  "(zip \"%.10s\", city \"%.40s\", state \"%.10s\")",
                  row, v[C_ZIP], v[C_CITY], v[C_STATE]);
        return false;
    }
    r->has_coords = true;
    if (o->centroid_rows < HSDS_CSV_LIST_ROWS)
        o->row[o->centroid_rows] = row;
    o->centroid_rows++;
    return true;
}

static bool csv_row(conv *c, hsds_csv_opts *o, csv_reader *rd, const int idx[NCOL], char *const heads[NCOL],
                    char *err, size_t errlen)
{
    char *v[NCOL] = {0};
    rec r = {0};
    oh_week w;
    bool ok = false;
    long row = rd->row;
    for (int i = 0; i < NCOL; i++)
        v[i] = conv_clean(idx[i] >= 0 && idx[i] < rd->nfields ? rd->fields[idx[i]] : "");
    if (!*v[C_NAME])
        conv_fail(err, errlen, "row %ld, column %s: missing (every service needs a name)", row, heads[C_NAME]);
    else if (conv_coords(&r, v[C_LAT], v[C_LON], row, "column", heads[C_LAT] ? heads[C_LAT] : "(lat)",
                         heads[C_LON] ? heads[C_LON] : "(lon)", err, errlen) &&
             read_codes(c, &r, v[C_SERVICES], row, heads[C_SERVICES], err, errlen) &&
             read_hours(&r, &w, v[C_HOURS], row, heads[C_HOURS], err, errlen) &&
             place_row(o, &r, v, row, err, errlen)) {
        fill_record(&r, v);
        ok = conv_emit(c, &r, err, errlen);
    }
    for (int i = 0; i < NCOL; i++)
        free(v[i]);
    return ok;
}

/* Reads the header row and finds each named column in it. */
static bool read_header(csv_reader *rd, char *const heads[NCOL], int idx[NCOL], char *err, size_t errlen)
{
    int rc = csv_next_row(rd);
    if (rc != 1) {
        conv_fail(err, errlen, "%s", rc < 0 ? rd->error : "the file is empty (a header row is needed)");
        return false;
    }
    /* a UTF-8 byte order mark before the first header */
    if (rd->nfields > 0 && str_has_prefix(rd->fields[0], "\xEF\xBB\xBF"))
        rd->fields[0] += 3;
    for (int i = 0; i < NCOL; i++) {
        idx[i] = heads[i] ? csv_find(rd, heads[i]) : -1;
        if (heads[i] && idx[i] < 0) {
            conv_fail(err, errlen, "row 1, column %s: not in the header row (--columns %s=%s)", heads[i],
                      CSV_FIELDS[i], heads[i]);
            return false;
        }
    }
    return true;
}

/* Converts every row after the header into c. */
static bool read_rows(conv *c, hsds_csv_opts *o, csv_reader *rd, const int idx[NCOL], char *const heads[NCOL], char *err,
                      size_t errlen)
{
    int rc;
    while ((rc = csv_next_row(rd)) == 1) {
        if (rd->nfields == 1 && !*rd->fields[0])
            continue; /* blank line */
        if (rd->row > CONVERT_MAX_ROWS) {
            conv_fail(err, errlen, "row %ld: too many rows", rd->row);
            return false;
        }
        if (!csv_row(c, o, rd, idx, heads, err, errlen))
            return false;
    }
    if (rc < 0) {
        conv_fail(err, errlen, "%s", rd->error);
        return false;
    }
    if (!json_array_size(c->services)) {
        conv_fail(err, errlen, "no rows after the header");
        return false;
    }
    return true;
}

static hsds_centroid_fn centroid_resolver; /* set before threads start */

void hsds_set_centroid_resolver(hsds_centroid_fn fn)
{
    centroid_resolver = fn;
}

hsds_centroid_fn hsds_centroid_resolver(void)
{
    return centroid_resolver;
}

char *hsds_convert_csv(const char *text, size_t len, const char *columns_spec, const char *source_name,
                       const char *as_of, const char *taxonomy_path, char *err, size_t errlen)
{
    hsds_csv_opts o = {.columns_spec = columns_spec, .source_name = source_name, .as_of = as_of,
                       .taxonomy_path = taxonomy_path};
    return hsds_convert_csv_opts(text, len, &o, err, errlen);
}

char *hsds_convert_csv_opts(const char *text, size_t len, hsds_csv_opts *o, char *err, size_t errlen)
{
    char *heads[NCOL] = {0};
    int idx[NCOL];
    char *result = NULL;
    conv c;
    o->centroid_rows = 0;
    bool inited = conv_init(&c, o->source_name, o->as_of, o->taxonomy_path, NULL, err, errlen);
    csv_reader rd;
    csv_init(&rd, text, len);
    if (!inited || !parse_spec(o->columns_spec, heads, err, errlen))
        goto out;
    if (!utf8_valid(text, len)) {
        conv_fail(err, errlen, "the file is not UTF-8 text");
        goto out;
    }
    if (read_header(&rd, heads, idx, err, errlen) && read_rows(&c, o, &rd, idx, heads, err, errlen))
        result = conv_ndjson(c.services, "the converted data", err, errlen);
out:
    csv_free(&rd);
    conv_free(&c);
    for (int i = 0; i < NCOL; i++)
        free(heads[i]);
    return result;
}

char *hsds_convert_csv_columns_guess(const char *text, size_t len)
{
    csv_reader rd;
    csv_init(&rd, text, len);
    buf b = BUF_INIT;
    if (csv_next_row(&rd) == 1) {
        for (int f = 0; f < NCOL; f++)
            for (int i = 0; i < rd.nfields; i++)
                if (str_eq_nocase(rd.fields[i], CSV_FIELDS[f]) && !strchr(rd.fields[i], ',')) {
                    buf_printf(&b, "%s%s=%s", b.len ? "," : "", CSV_FIELDS[f], rd.fields[i]);
                    break;
                }
    }
    csv_free(&rd);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}
