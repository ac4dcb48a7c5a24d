/* hsds_convert_findtreatment: the FindTreatment.gov locator export
 * ({"rows": [...]}) into HSDS services. Each row becomes a record: its
 * names, address, phone, website and point, and its SAMHSA service codes
 * (services[].f3 and type_facility), which are mapped onto Waypost terms
 * and also kept raw. See hsds_convert.h. */
#include "hsds/hsds_convert.h"
#include "core/util.h"
#include "hsds/hsds_convert_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_NAME1, F_NAME2, F_STREET1, F_STREET2, F_CITY, F_STATE, F_ZIP, F_PHONE, F_WEB, F_LAT, F_LON, F_TYPE, NF };
static const char *const FT_KEYS[NF] = {"name1", "name2", "street1", "street2", "city",      "state",
                                        "zip",   "phone", "website", "latitude", "longitude", "type_facility"};

/* A field as text: strings as they are, integers and reals printed, null
 * and missing as "". False when it is another kind of value. */
static bool field_text(json_t *row, const char *key, char *tmp, size_t tmplen, const char **out)
{
    json_t *v = json_object_get(row, key);
    *out = "";
    if (!v || json_is_null(v))
        return true;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return true;
    }
    if (json_is_integer(v)) {
        snprintf(tmp, tmplen, "%lld", (long long)json_integer_value(v));
        *out = tmp;
        return true;
    }
    if (json_is_real(v)) {
        snprintf(tmp, tmplen, "%.17g", json_real_value(v));
        *out = tmp;
        return true;
    }
    return false;
}

/* Reads the row's fields, cleaned, into v (each malloc'd). */
static bool read_fields(json_t *row, long n, char *v[NF], char *err, size_t errlen)
{
    char tmp[40];
    const char *raw;
    for (int i = 0; i < NF; i++) {
        if (!field_text(row, FT_KEYS[i], tmp, sizeof(tmp), &raw)) {
            conv_fail(err, errlen, "row %ld, field %s: must be text or a number", n, FT_KEYS[i]);
            return false;
        }
        v[i] = conv_clean(raw);
    }
    if (!*v[F_NAME1]) {
        conv_fail(err, errlen, "row %ld, field name1: missing (every facility needs a name)", n);
        return false;
    }
    return true;
}

/* Splits codes separated by spaces, ';', ',' or '/' into r->raw, upper
 * case (text is changed in place and must outlive r). */
static bool split_codes(rec *r, char *text)
{
    for (char *p = text; *p;) {
        while (*p && strchr(" ;,/\t\r\n", *p))
            p++;
        char *start = p;
        while (*p && !strchr(" ;,/\t\r\n", *p))
            p++;
        if (p > start) {
            if (*p)
                *p++ = '\0';
            for (char *q = start; *q; q++)
                if (*q >= 'a' && *q <= 'z')
                    *q = (char)(*q - 32);
            conv_add_code(r->raw, &r->nraw, start);
        }
    }
    return r->nraw < MAX_CODES;
}

/* The codes of services[].f3 and type_facility, one string (malloc'd),
 * or NULL when services is not a list of objects with text in f3. */
static char *codes_text(json_t *row, const char *type_facility, long n, char *err, size_t errlen)
{
    json_t *svcs = json_object_get(row, "services");
    if (svcs && !json_is_array(svcs) && !json_is_null(svcs)) {
        conv_fail(err, errlen, "row %ld, field services: must be a list", n);
        return NULL;
    }
    buf ct = BUF_INIT;
    size_t i;
    json_t *sv;
    json_array_foreach(svcs, i, sv)
    {
        json_t *f3 = json_object_get(sv, "f3");
        if (!json_is_object(sv) || (f3 && !json_is_string(f3) && !json_is_null(f3))) {
            conv_fail(err, errlen, "row %ld, field services[%zu].f3: must be text (service codes)", n, i);
            buf_free(&ct);
            return NULL;
        }
        if (json_is_string(f3)) {
            buf_puts(&ct, json_string_value(f3));
            buf_putc(&ct, ';');
        }
    }
    buf_puts(&ct, type_facility);
    char *text = xstrdup(buf_cstr(&ct));
    buf_free(&ct);
    return text;
}

/* The raw codes into r, and the Waypost terms they map onto. */
static bool read_codes(conv *c, rec *r, char *text, long n, char *err, size_t errlen)
{
    if (!split_codes(r, text)) {
        conv_fail(err, errlen, "row %ld, field services: more than %d service codes", n, MAX_CODES - 1);
        return false;
    }
    for (int k = 0; k < r->nraw; k++) {
        size_t i;
        json_t *wp;
        json_array_foreach(conv_samhsa_waypost(&c->sam, r->raw[k]), i, wp)
            conv_add_code(r->codes, &r->ncodes, json_string_value(wp));
    }
    return true;
}

static void fill_record(rec *r, char *const v[NF])
{
    r->name = v[F_NAME1];
    r->alt = v[F_NAME2];
    r->street1 = v[F_STREET1];
    r->street2 = v[F_STREET2];
    r->city = v[F_CITY];
    r->state = v[F_STATE];
    r->zip = v[F_ZIP];
    r->phone = v[F_PHONE];
    r->url = v[F_WEB];
}

static bool ft_row(conv *c, json_t *row, long n, char *err, size_t errlen)
{
    char *v[NF] = {0};
    rec r = {0};
    char *codes = NULL;
    bool ok = false;
    if (!json_is_object(row)) {
        conv_fail(err, errlen, "row %ld: not a JSON object", n);
        return false;
    }
    if (read_fields(row, n, v, err, errlen) &&
        conv_coords(&r, v[F_LAT], v[F_LON], n, "field", "latitude", "longitude", err, errlen) &&
        (codes = codes_text(row, v[F_TYPE], n, err, errlen)) != NULL && read_codes(c, &r, codes, n, err, errlen)) {
        fill_record(&r, v);
        ok = conv_emit(c, &r, err, errlen);
    }
    for (int k = 0; k < NF; k++)
        free(v[k]);
    free(codes);
    return ok;
}

char *hsds_convert_findtreatment(const char *text, size_t len, const char *source_name, const char *as_of,
                                 const char *taxonomy_path, const char *samhsa_path, char *err, size_t errlen)
{
    conv c;
    if (!conv_init(&c, source_name, as_of, taxonomy_path, samhsa_path, err, errlen)) {
        conv_free(&c);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_t *rows = json_object_get(root, "rows");
    char *result = NULL;
    if (!root)
        conv_fail(err, errlen, "line %d, column %d: %s", je.line, je.column, je.text);
    else if (!json_is_array(rows))
        conv_fail(err, errlen, "not a FindTreatment.gov export (expected {\"rows\": [...]})");
    else {
        bool ok = true;
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            if (!(ok = ft_row(&c, row, (long)i + 1, err, errlen)))
                break;
        }
        if (ok && !json_array_size(c.services))
            conv_fail(err, errlen, "no rows");
        else if (ok)
            result = conv_ndjson(c.services, "the converted data", err, errlen);
    }
    json_decref(root);
    conv_free(&c);
    return result;
}
