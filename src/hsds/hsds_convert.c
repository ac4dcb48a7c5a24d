/* directory_convert: FindTreatment.gov JSON and simple CSV files into HSDS
 * 3.0 NDJSON, with stable uuid5 ids. See directory_convert.h. The shapes,
 * namespaces and the SAMHSA code table follow tools/convert_directories.py
 * so that both make the same term ids. */
#include "hsds/hsds_convert.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/util.h"
#include "core/uuid.h"
#include "hsds/hsds_schema.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAYPOST_URL "https://waypost.example"
#define MAX_CODES 64
#define CONVERT_MAX_ROWS 2000000L

/* RFC 4122 appendix C: the URL namespace. */
static const unsigned char NS_URL[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

/* SAMHSA locator codes: meaning and the Waypost term they map onto (NULL
 * when kept only as a raw code). Same table as SAMHSA_CODES in
 * tools/convert_directories.py. */
static const struct samhsa_code {
    const char *code, *meaning, *waypost;
} SAMHSA_CODES[] = {
    {"OTP", "Opioid treatment program (SAMHSA-certified)", "methadone"},
    {"METH", "Methadone", "methadone"},
    {"MM", "Methadone maintenance", "methadone"},
    {"BU", "Buprenorphine used in treatment", "buprenorphine"},
    {"BUM", "Buprenorphine maintenance", "buprenorphine"},
    {"BMW", "Buprenorphine maintenance for a predetermined time", "buprenorphine"},
    {"NXN", "Naltrexone (oral)", "naltrexone"},
    {"VTRL", "Vivitrol (injectable naltrexone)", "naltrexone"},
    {"SA", "Substance use treatment", "substance-use-treatment"},
    {"MH", "Mental health services", "mental-health"},
    {"MHS", "Mental health services", "mental-health"},
    {"DT", "Detoxification", "withdrawal-management"},
    {"OP", "Outpatient", "outpatient"},
    {"OIT", "Intensive outpatient treatment", "intensive-outpatient"},
    {"IOT", "Intensive outpatient treatment", "intensive-outpatient"},
    {"RES", "Residential (24-hour) treatment", "residential"},
    {"RS", "Short-term residential", "residential"},
    {"RL", "Long-term residential", "residential"},
    {"RD", "Residential detoxification", "residential"},
    {"HIVT", "HIV testing", "hiv-testing"},
    {"SHC", "Screening for hepatitis C", "hepatitis-c"},
    {"PEER", "Mentoring/peer support", "peer-support"},
    {"MD", "Medicaid", "medicaid"},
    {"MC", "Medicare", "medicare"},
    {"PI", "Private health insurance", "private-insurance"},
    {"SS", "Sliding fee scale", "sliding-fee"},
    {"SF", "Cash or self-payment", "cash"},
    {"AD", "Adolescents", "youth"},
    {"WN", "Adult women", "women"},
    {"VET", "Veterans", "veterans"},
    {"PW", "Pregnant/postpartum women", "pregnant"},
    {"CJ", "Criminal justice (other than DUI/DWI)/forensic clients", "reentry"},
    {"GL", "Lesbian, gay, bisexual, transgender or queer/questioning (LGBTQ) clients", "lgbtq"},
};

/* Language services: HSDS language records (SAMHSA_LANGUAGES). */
static const struct samhsa_lang {
    const char *code, *name, *iso;
} SAMHSA_LANGS[] = {
    {"SP", "Spanish", "es"},   {"AH", "Sign language (ASL)", "ase"}, {"F4", "Arabic", "ar"},
    {"F17", "Chinese", "zh"},  {"F19", "Creole", ""},                {"F25", "Farsi", "fa"},
    {"F28", "French", "fr"},   {"F30", "German", "de"},              {"F31", "Greek", "el"},
    {"F35", "Hebrew", "he"},   {"F36", "Hindi", "hi"},               {"F37", "Hmong", "hmn"},
    {"F42", "Italian", "it"},  {"F43", "Japanese", "ja"},            {"F47", "Korean", "ko"},
    {"F66", "Polish", "pl"},   {"F67", "Portuguese", "pt"},          {"F70", "Russian", "ru"},
    {"F81", "Tagalog", "tl"},  {"F92", "Vietnamese", "vi"},
};

/* link_type of the Waypost attributes (LINK_TYPE); terms are "service_type". */
static const struct {
    const char *code, *link_type;
} ATTR_LINKS[] = {
    {"free", "cost"},          {"walk-in", "access"},       {"no-id-required", "access"},
    {"telehealth", "access"},  {"medicaid", "payment"},     {"medicare", "payment"},
    {"private-insurance", "payment"}, {"sliding-fee", "payment"}, {"cash", "payment"},
    {"youth", "population"},   {"women", "population"},     {"lgbtq", "population"},
    {"veterans", "population"}, {"pregnant", "population"}, {"reentry", "population"},
};

static const struct samhsa_code *samhsa_find(const char *code)
{
    for (size_t i = 0; i < sizeof(SAMHSA_CODES) / sizeof(SAMHSA_CODES[0]); i++)
        if (!strcmp(SAMHSA_CODES[i].code, code))
            return &SAMHSA_CODES[i];
    return NULL;
}

static const struct samhsa_lang *lang_find(const char *code)
{
    for (size_t i = 0; i < sizeof(SAMHSA_LANGS) / sizeof(SAMHSA_LANGS[0]); i++)
        if (!strcmp(SAMHSA_LANGS[i].code, code))
            return &SAMHSA_LANGS[i];
    return NULL;
}

static void fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void hsds_convert_slug(const char *source_name, char *out, size_t outlen)
{
    size_t o = 0;
    bool dash = false;
    if (!outlen)
        return;
    for (const char *p = source_name ? source_name : ""; *p && o + 1 < outlen; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum_ascii(ch)) {
            if (dash && o && o + 2 < outlen)
                out[o++] = '-';
            dash = false;
            out[o++] = (char)tolower_ascii(ch);
        } else {
            dash = true;
        }
    }
    out[o] = '\0';
}

/* Trims and collapses white space; "NA" and "N/A" become "". */
static void clean_into(buf *b, const char *s)
{
    buf_reset(b);
    bool space = false;
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = b->len > 0;
            continue;
        }
        if (space)
            buf_putc(b, ' ');
        space = false;
        buf_putc(b, (char)ch);
    }
    const char *v = buf_cstr(b);
    if (!strcmp(v, "NA") || !strcmp(v, "N/A"))
        buf_reset(b);
}

static char *clean(const char *s)
{
    buf b = BUF_INIT;
    clean_into(&b, s);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* norm_key: each part lower-cased, reduced to its runs of [0-9a-z] joined
 * by one space; parts joined by '|'. (Python also folds accents with NFKD;
 * here bytes outside ASCII are dropped, which agrees for ASCII data.) */
static void norm_part(buf *b, const char *s)
{
    bool inword = false, any = false;
    char *c = clean(s);
    for (const char *p = c; *p; p++) {
        unsigned char ch = (unsigned char)tolower_ascii((unsigned char)*p);
        if (isalnum_ascii(ch)) {
            if (!inword && any)
                buf_putc(b, ' ');
            buf_putc(b, (char)ch);
            inword = any = true;
        } else {
            inword = false;
        }
    }
    free(c);
}

static char *norm_key(int n, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '|');
        norm_part(&b, va_arg(ap, const char *));
    }
    va_end(ap);
    char *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return out;
}

/* uid(ns, *parts): uuid5 of the parts joined by '|'. */
static void uid(const unsigned char ns[16], char out[37], int n, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, '|');
        buf_puts(&b, va_arg(ap, const char *));
    }
    va_end(ap);
    uuid5(ns, buf_cstr(&b), b.len, out);
    buf_free(&b);
}

/* ZIP+4 or a short ZIP to five digits; "" when it is not a ZIP code. */
static void zip5(const char *v, char out[6])
{
    char *c = clean(v);
    size_t d = 0;
    while (c[d] >= '0' && c[d] <= '9')
        d++;
    bool ok = d >= 1 && d <= 5;
    if (ok && c[d]) {
        ok = c[d] == '-' && strlen(c + d + 1) == 4;
        for (size_t i = d + 1; ok && c[i]; i++)
            ok = c[i] >= '0' && c[i] <= '9';
    }
    out[0] = '\0';
    if (ok) {
        size_t pad = 5 - d;
        for (size_t i = 0; i < pad; i++)
            out[i] = '0';
        memcpy(out + pad, c, d);
        out[5] = '\0';
    }
    free(c);
}

/* A US phone number as NNN-NNN-NNNN (a leading 1 dropped), else the
 * cleaned text; "" when there is none. */
static char *phone_of(const char *v)
{
    char *c = clean(v);
    char digits[16];
    size_t n = 0;
    bool other = false;
    for (const char *p = c; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n < sizeof(digits) - 1)
                digits[n] = *p;
            n++;
        } else if (!strchr(" ()-.+", *p)) {
            other = true;
        }
    }
    if (!other && (n == 10 || (n == 11 && digits[0] == '1'))) {
        const char *d = n == 11 ? digits + 1 : digits;
        char out[13];
        snprintf(out, sizeof(out), "%.3s-%.3s-%.4s", d, d + 3, d + 6);
        free(c);
        return xstrdup(out);
    }
    return c;
}

static bool is_http_url(const char *s)
{
    if (!str_has_prefix(s, "http://") && !str_has_prefix(s, "https://"))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>')
            return false;
    return strchr(strstr(s, "//") + 2, '.') != NULL;
}

/* Parses a whole string as a finite number. */
static bool parse_num(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* ---- the Waypost taxonomy ---------------------------------------------- */

typedef struct taxo {
    json_t *root;
    json_t *terms; /* code -> the term as the bundled converter writes it */
    json_t *order; /* code -> its position in the file (taxonomy order) */
    json_t *links; /* code -> link_type */
} taxo;

static void taxo_free(taxo *t)
{
    json_decref(t->root);
    json_decref(t->terms);
    json_decref(t->order);
    json_decref(t->links);
    memset(t, 0, sizeof(*t));
}

static bool taxo_load(taxo *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    json_error_t je;
    t->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!t->root) {
        fail(err, errlen, "cannot read the taxonomy %s: %s", path ? path : "(none)", path ? je.text : "no path");
        return false;
    }
    t->terms = json_object();
    t->order = json_object();
    t->links = json_object();
    static const char *const lists[] = {"terms", "attributes"};
    long pos = 0;
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *src;
        json_array_foreach(json_object_get(t->root, lists[l]), i, src)
        {
            const char *code = json_string_value(json_object_get(src, "code"));
            if (!code || !json_is_string(json_object_get(src, "id")))
                continue;
            /* As waypost_term(): language and term_uri left out, parent_id only when set. */
            json_t *term = json_object();
            static const char *const keys[] = {"id", "code", "name", "description", "parent_id", "taxonomy",
                                               "taxonomy_id"};
            for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
                json_t *v = json_object_get(src, keys[k]);
                if (v && !json_is_null(v))
                    json_object_set(term, keys[k], v);
            }
            json_object_set_new(t->terms, code, term);
            json_object_set_new(t->order, code, json_integer(pos++));
            const char *lt = "service_type";
            if (l == 1) {
                lt = "attribute";
                for (size_t a = 0; a < sizeof(ATTR_LINKS) / sizeof(ATTR_LINKS[0]); a++)
                    if (!strcmp(ATTR_LINKS[a].code, code))
                        lt = ATTR_LINKS[a].link_type;
            }
            json_object_set_new(t->links, code, json_string(lt));
        }
    }
    if (!json_object_size(t->terms)) {
        fail(err, errlen, "the taxonomy %s has no terms", path);
        taxo_free(t);
        return false;
    }
    return true;
}

/* ---- one record -------------------------------------------------------- */

typedef struct rec {
    const char *name, *alt, *desc, *org, *street1, *street2, *city, *state, *zip, *phone, *url;
    bool has_coords;
    double lat, lon;
    const char *codes[MAX_CODES]; /* Waypost codes */
    int ncodes;
    const char *raw[MAX_CODES]; /* SAMHSA codes as given */
    int nraw;
} rec;

static void add_code(const char **list, int *n, const char *code)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(list[i], code))
            return;
    if (*n < MAX_CODES)
        list[(*n)++] = code;
}

typedef struct conv {
    unsigned char ns[16];
    unsigned char samhsa_tax[16];
    char samhsa_tax_id[37];
    const char *source, *as_of;
    taxo tax;
    json_t *services; /* in file order */
    json_t *by_id;    /* service id -> service, to merge rows of the same facility */
} conv;

static bool conv_init(conv *c, const char *source_name, const char *as_of, const char *taxonomy_path, char *err,
                      size_t errlen)
{
    memset(c, 0, sizeof(*c));
    if (!source_name || !*source_name || !as_of || !*as_of) {
        fail(err, errlen, "a source name and an as-of date are required");
        return false;
    }
    char slug[128], url[256], id[37];
    hsds_convert_slug(source_name, slug, sizeof(slug));
    snprintf(url, sizeof(url), "%s/sources/%s", WAYPOST_URL, slug);
    uuid5(NS_URL, url, strlen(url), id);
    uuid_parse(id, c->ns);
    const char *st = WAYPOST_URL "/taxonomy/samhsa-service-codes";
    uuid5(NS_URL, st, strlen(st), c->samhsa_tax_id);
    uuid_parse(c->samhsa_tax_id, c->samhsa_tax);
    c->source = source_name;
    c->as_of = as_of;
    c->services = json_array();
    c->by_id = json_object();
    return taxo_load(&c->tax, taxonomy_path, err, errlen);
}

static void conv_free(conv *c)
{
    taxo_free(&c->tax);
    json_decref(c->services);
    json_decref(c->by_id);
    c->services = c->by_id = NULL;
}

/* Appends the items of from[key] whose id is not in into[key] yet. */
static void merge_list(json_t *into, json_t *from, const char *key)
{
    json_t *dst = json_object_get(into, key), *src = json_object_get(from, key);
    if (!json_array_size(src))
        return;
    if (!dst) {
        json_object_set(into, key, src);
        return;
    }
    size_t i, k;
    json_t *a, *b;
    json_array_foreach(src, i, a)
    {
        bool have = false;
        json_array_foreach(dst, k, b) have = have || json_equal(json_object_get(a, "id"), json_object_get(b, "id"));
        if (!have)
            json_array_append(dst, a);
    }
}

/* The converted services as NDJSON, or NULL with err set. */
static char *conv_ndjson(conv *c, char *err, size_t errlen)
{
    buf out = BUF_INIT;
    buf_init(&out, 1024u * 1024u * 1024u);
    size_t i;
    json_t *s;
    json_array_foreach(c->services, i, s)
    {
        char *line = json_dumps(s, JSON_COMPACT);
        bool ok = line && buf_puts(&out, line) && buf_putc(&out, '\n');
        free(line);
        if (!ok) {
            buf_free(&out);
            fail(err, errlen, "the converted data is too large");
            return NULL;
        }
    }
    return buf_detach(&out, NULL);
}

static json_t *samhsa_term(conv *c, const char *code)
{
    const struct samhsa_code *sc = samhsa_find(code);
    const struct samhsa_lang *lg = lang_find(code);
    char id[37], desc[160], lname[96];
    uuid5(c->samhsa_tax, code, strlen(code), id);
    snprintf(desc, sizeof(desc), "SAMHSA locator code %s", code);
    const char *name = code;
    if (sc)
        name = sc->meaning;
    else if (lg) {
        snprintf(lname, sizeof(lname), "Language services: %s", lg->name);
        name = lname;
    }
    json_t *t = json_object();
    json_object_set_new(t, "id", json_string(id));
    json_object_set_new(t, "code", json_string(code));
    json_object_set_new(t, "name", json_string(name));
    json_object_set_new(t, "description", json_string(desc));
    json_object_set_new(t, "taxonomy", json_string("SAMHSA service codes"));
    json_object_set_new(t, "taxonomy_id", json_string(c->samhsa_tax_id));
    return t;
}

static int code_order(conv *c, const char *code)
{
    return (int)json_integer_value(json_object_get(c->tax.order, code));
}

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v ? v : ""));
}

/* Builds one HSDS service (the Builder.service shape) and appends it as a
 * line of NDJSON. */
static bool emit(conv *c, rec *r, char *err, size_t errlen)
{
    char zip[6];
    zip5(r->zip, zip);
    char *key = norm_key(5, r->name, r->street1, r->city, r->state, zip);
    char *lockey = norm_key(5, r->street1, r->street2, r->city, r->state, zip);
    char *orgkey = norm_key(2, r->org && *r->org ? r->org : r->name, r->state);
    char sid[37], oid[37], lid[37], aid[37], salid[37], mid[37];
    uid(c->ns, sid, 2, "service", key);
    uid(c->ns, oid, 2, "organization", orgkey);
    uid(c->ns, lid, 2, "location", lockey);
    uid(c->ns, aid, 2, "address", lockey);
    uid(c->ns, salid, 3, "service_at_location", key, lid);
    uid(c->ns, mid, 2, "metadata", key);

    /* Waypost codes in taxonomy order */
    for (int i = 1; i < r->ncodes; i++)
        for (int k = i; k > 0 && code_order(c, r->codes[k - 1]) > code_order(c, r->codes[k]); k--) {
            const char *t = r->codes[k];
            r->codes[k] = r->codes[k - 1];
            r->codes[k - 1] = t;
        }

    json_t *s = json_object();
    set_str(s, "id", sid);
    set_str(s, "organization_id", oid);
    set_str(s, "name", r->name);
    if (r->alt && *r->alt)
        set_str(s, "alternate_name", r->alt);
    buf d = BUF_INIT;
    if (r->desc && *r->desc)
        buf_printf(&d, "%s ", r->desc);
    buf_printf(&d, "Listed by %s, as of %s.", c->source, c->as_of);
    if (r->nraw) {
        buf_puts(&d, " Service codes:");
        for (int i = 0; i < r->nraw; i++)
            buf_printf(&d, " %s", r->raw[i]);
        buf_puts(&d, ".");
    }
    buf_puts(&d, " Call ahead to confirm.");
    set_str(s, "description", buf_cstr(&d));
    buf_free(&d);
    if (r->url && is_http_url(r->url))
        set_str(s, "url", r->url);
    set_str(s, "status", "active");

    json_t *sal = json_object();
    set_str(sal, "id", salid);
    char *phone = phone_of(r->phone);
    if (*phone) {
        char pid[37];
        uid(c->ns, pid, 5, "phone", key, phone, "", "Main number");
        json_t *p = json_object();
        set_str(p, "id", pid);
        set_str(p, "number", phone);
        set_str(p, "type", "voice");
        set_str(p, "description", "Main number");
        json_object_set_new(sal, "phones", json_pack("[o]", p));
    }
    free(phone);
    json_t *addr = json_object();
    set_str(addr, "id", aid);
    set_str(addr, "address_1", r->street1);
    if (r->street2 && *r->street2)
        set_str(addr, "address_2", r->street2);
    set_str(addr, "city", r->city);
    set_str(addr, "state_province", r->state);
    set_str(addr, "postal_code", zip);
    set_str(addr, "country", "US");
    set_str(addr, "address_type", "physical");
    json_t *loc = json_object();
    set_str(loc, "id", lid);
    set_str(loc, "location_type", "physical");
    if (r->has_coords) {
        json_object_set_new(loc, "latitude", json_real(r->lat));
        json_object_set_new(loc, "longitude", json_real(r->lon));
    }
    json_object_set_new(loc, "addresses", json_pack("[o]", addr));
    json_object_set_new(sal, "location", loc);
    json_object_set_new(s, "service_at_locations", json_pack("[o]", sal));

    json_t *langs = json_array();
    for (int i = 0; i < r->nraw; i++) {
        const struct samhsa_lang *lg = lang_find(r->raw[i]);
        if (!lg)
            continue;
        char lgid[37], note[64];
        uid(c->ns, lgid, 3, "language", key, lg->name);
        snprintf(note, sizeof(note), "SAMHSA locator code %s", lg->code);
        json_t *l = json_object();
        set_str(l, "id", lgid);
        set_str(l, "name", lg->name);
        if (*lg->iso)
            set_str(l, "code", lg->iso);
        set_str(l, "note", note);
        json_array_append_new(langs, l);
    }
    if (json_array_size(langs))
        json_object_set_new(s, "languages", langs);
    else
        json_decref(langs);

    json_t *org = json_object();
    set_str(org, "id", oid);
    set_str(org, "name", r->org && *r->org ? r->org : r->name);
    char odesc[300];
    snprintf(odesc, sizeof(odesc), "Named as a provider by %s, as of %s.", c->source, c->as_of);
    set_str(org, "description", odesc);
    json_object_set_new(s, "organization", org);

    json_t *attrs = json_array();
    for (int i = 0; i < r->ncodes; i++) {
        json_t *term = json_object_get(c->tax.terms, r->codes[i]);
        const char *tid = json_string_value(json_object_get(term, "id"));
        char atid[37];
        uid(c->ns, atid, 3, "attribute", key, tid);
        json_t *a = json_object();
        set_str(a, "id", atid);
        set_str(a, "link_type", json_string_value(json_object_get(c->tax.links, r->codes[i])));
        json_object_set(a, "taxonomy_term", term);
        json_array_append_new(attrs, a);
    }
    for (int i = 0; i < r->nraw; i++) {
        json_t *term = samhsa_term(c, r->raw[i]);
        char atid[37];
        uid(c->ns, atid, 3, "attribute", key, json_string_value(json_object_get(term, "id")));
        json_t *a = json_object();
        set_str(a, "id", atid);
        set_str(a, "link_type", "samhsa_code");
        json_object_set_new(a, "taxonomy_term", term);
        json_array_append_new(attrs, a);
    }
    if (json_array_size(attrs))
        json_object_set_new(s, "attributes", attrs);
    else
        json_decref(attrs);

    json_t *m = json_object();
    set_str(m, "id", mid);
    set_str(m, "resource_id", sid);
    set_str(m, "resource_type", "service");
    set_str(m, "last_action_date", c->as_of);
    set_str(m, "last_action_type", "create");
    set_str(m, "field_name", "");
    set_str(m, "previous_value", "");
    set_str(m, "replacement_value", "");
    set_str(m, "updated_by", c->source);
    json_object_set_new(s, "metadata", json_pack("[o]", m));

    free(key);
    free(lockey);
    free(orgkey);
    /* Several rows for the same facility (same name and address): one
     * service with the codes and languages of all of them. */
    json_t *prev = json_object_get(c->by_id, sid);
    if (prev) {
        merge_list(prev, s, "attributes");
        merge_list(prev, s, "languages");
        json_decref(s);
        return true;
    }
    if (json_array_size(c->services) >= (size_t)CONVERT_MAX_ROWS) {
        json_decref(s);
        fail(err, errlen, "too many rows (at most %ld)", CONVERT_MAX_ROWS);
        return false;
    }
    json_object_set(c->by_id, sid, s);
    json_array_append_new(c->services, s);
    return true;
}

/* ---- FindTreatment.gov ------------------------------------------------- */

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
            add_code(r->raw, &r->nraw, start);
        }
    }
    return r->nraw < MAX_CODES;
}

static bool ft_row(conv *c, json_t *row, long n, char *err, size_t errlen)
{
    enum { F_NAME1, F_NAME2, F_STREET1, F_STREET2, F_CITY, F_STATE, F_ZIP, F_PHONE, F_WEB, F_LAT, F_LON, F_TYPE, NF };
    static const char *const keys[NF] = {"name1", "name2", "street1", "street2", "city",      "state",
                                         "zip",   "phone", "website", "latitude", "longitude", "type_facility"};
    char tmp[NF][40];
    const char *raw[NF];
    char *v[NF] = {0};
    bool ok = false;
    rec r = {0};
    char *codes_text = NULL;
    if (!json_is_object(row)) {
        fail(err, errlen, "row %ld: not a JSON object", n);
        return false;
    }
    for (int i = 0; i < NF; i++) {
        if (!field_text(row, keys[i], tmp[i], sizeof(tmp[i]), &raw[i])) {
            fail(err, errlen, "row %ld, field %s: must be text or a number", n, keys[i]);
            goto out;
        }
        v[i] = clean(raw[i]);
    }
    if (!*v[F_NAME1]) {
        fail(err, errlen, "row %ld, field name1: missing (every facility needs a name)", n);
        goto out;
    }
    if (*v[F_LAT] || *v[F_LON]) {
        if (!parse_num(v[F_LAT], &r.lat) || r.lat < -90 || r.lat > 90) {
            fail(err, errlen, "row %ld, field latitude: \"%.40s\" is not a latitude (-90 to 90)", n, v[F_LAT]);
            goto out;
        }
        if (!parse_num(v[F_LON], &r.lon) || r.lon < -180 || r.lon > 180) {
            fail(err, errlen, "row %ld, field longitude: \"%.40s\" is not a longitude (-180 to 180)", n, v[F_LON]);
            goto out;
        }
        r.has_coords = !(r.lat == 0 && r.lon == 0);
    }
    json_t *svcs = json_object_get(row, "services");
    if (svcs && !json_is_array(svcs) && !json_is_null(svcs)) {
        fail(err, errlen, "row %ld, field services: must be a list", n);
        goto out;
    }
    buf ct = BUF_INIT;
    size_t i;
    json_t *sv;
    json_array_foreach(svcs, i, sv)
    {
        json_t *f3 = json_object_get(sv, "f3");
        if (!json_is_object(sv) || (f3 && !json_is_string(f3) && !json_is_null(f3))) {
            fail(err, errlen, "row %ld, field services[%zu].f3: must be text (service codes)", n, i);
            buf_free(&ct);
            goto out;
        }
        if (json_is_string(f3)) {
            buf_puts(&ct, json_string_value(f3));
            buf_putc(&ct, ';');
        }
    }
    buf_puts(&ct, v[F_TYPE]);
    codes_text = xstrdup(buf_cstr(&ct));
    buf_free(&ct);
    if (!split_codes(&r, codes_text)) {
        fail(err, errlen, "row %ld, field services: more than %d service codes", n, MAX_CODES - 1);
        goto out;
    }
    for (int k = 0; k < r.nraw; k++) {
        const struct samhsa_code *sc = samhsa_find(r.raw[k]);
        if (sc && sc->waypost && json_object_get(c->tax.terms, sc->waypost))
            add_code(r.codes, &r.ncodes, sc->waypost);
    }
    r.name = v[F_NAME1];
    r.alt = v[F_NAME2];
    r.street1 = v[F_STREET1];
    r.street2 = v[F_STREET2];
    r.city = v[F_CITY];
    r.state = v[F_STATE];
    r.zip = v[F_ZIP];
    r.phone = v[F_PHONE];
    r.url = v[F_WEB];
    ok = emit(c, &r, err, errlen);
out:
    for (int k = 0; k < NF; k++)
        free(v[k]);
    free(codes_text);
    return ok;
}

char *hsds_convert_findtreatment(const char *text, size_t len, const char *source_name, const char *as_of,
                            const char *taxonomy_path, char *err, size_t errlen)
{
    conv c;
    if (!conv_init(&c, source_name, as_of, taxonomy_path, err, errlen)) {
        conv_free(&c);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_t *rows = json_object_get(root, "rows");
    char *result = NULL;
    if (!root)
        fail(err, errlen, "line %d, column %d: %s", je.line, je.column, je.text);
    else if (!json_is_array(rows))
        fail(err, errlen, "not a FindTreatment.gov export (expected {\"rows\": [...]})");
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
            fail(err, errlen, "no rows");
        else if (ok)
            result = conv_ndjson(&c, err, errlen);
    }
    json_decref(root);
    conv_free(&c);
    return result;
}

/* ---- CSV --------------------------------------------------------------- */

enum { C_NAME, C_ALT, C_DESC, C_ORG, C_ADDR, C_ADDR2, C_CITY, C_STATE, C_ZIP, C_PHONE, C_LAT, C_LON, C_URL,
       C_SERVICES, NCOL };
static const char *const CSV_FIELDS[NCOL] = {"name", "alternate_name", "description", "organization", "address",
                                             "address2", "city", "state", "zip", "phone", "lat", "lon", "url",
                                             "services"};

/* Parses "field=Header,field=Header" into heads[] (malloc'd, NULL = not given). */
static bool parse_spec(const char *spec, char *heads[NCOL], char *err, size_t errlen)
{
    if (!spec || !*spec) {
        fail(err, errlen, "--columns is required (e.g. name=Name,address=Street,city=City)");
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
            fail(err, errlen, "--columns: \"%.*s\" is not field=Header", (int)(n > 60 ? 60 : n), p);
            return false;
        }
        int f = -1;
        for (int i = 0; i < NCOL; i++)
            if (strlen(CSV_FIELDS[i]) == (size_t)(eq - p) && !strncmp(CSV_FIELDS[i], p, (size_t)(eq - p)))
                f = i;
        if (f < 0) {
            fail(err, errlen,
                 "--columns: unknown field \"%.*s\" (known: name, alternate_name, description, organization, "
                 "address, address2, city, state, zip, phone, lat, lon, url, services)",
                 (int)((eq - p) > 40 ? 40 : (eq - p)), p);
            return false;
        }
        free(heads[f]);
        heads[f] = xstrndup(eq + 1, n - (size_t)(eq - p) - 1);
        p += n + (comma ? 1 : 0);
    }
    if (!heads[C_NAME]) {
        fail(err, errlen, "--columns must name the column of the service name (name=...)");
        return false;
    }
    return true;
}

static bool csv_row(conv *c, csv_reader *rd, const int idx[NCOL], char *const heads[NCOL], char *err, size_t errlen)
{
    char *v[NCOL] = {0};
    rec r = {0};
    bool ok = false;
    long row = rd->row;
    for (int i = 0; i < NCOL; i++)
        v[i] = clean(idx[i] >= 0 && idx[i] < rd->nfields ? rd->fields[idx[i]] : "");
    if (!*v[C_NAME]) {
        fail(err, errlen, "row %ld, column %s: missing (every service needs a name)", row, heads[C_NAME]);
        goto out;
    }
    if (*v[C_LAT] || *v[C_LON]) {
        if (!parse_num(v[C_LAT], &r.lat) || r.lat < -90 || r.lat > 90) {
            fail(err, errlen, "row %ld, column %s: \"%.40s\" is not a latitude (-90 to 90)", row,
                 heads[C_LAT] ? heads[C_LAT] : "(lat)", v[C_LAT]);
            goto out;
        }
        if (!parse_num(v[C_LON], &r.lon) || r.lon < -180 || r.lon > 180) {
            fail(err, errlen, "row %ld, column %s: \"%.40s\" is not a longitude (-180 to 180)", row,
                 heads[C_LON] ? heads[C_LON] : "(lon)", v[C_LON]);
            goto out;
        }
        r.has_coords = !(r.lat == 0 && r.lon == 0);
    }
    for (char *p = v[C_SERVICES]; *p;) {
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
        if (!json_object_get(c->tax.terms, start)) {
            fail(err, errlen, "row %ld, column %s: \"%.40s\" is not a Waypost taxonomy code", row, heads[C_SERVICES],
                 start);
            goto out;
        }
        if (r.ncodes >= MAX_CODES) {
            fail(err, errlen, "row %ld, column %s: too many codes", row, heads[C_SERVICES]);
            goto out;
        }
        add_code(r.codes, &r.ncodes, start);
    }
    r.name = v[C_NAME];
    r.alt = v[C_ALT];
    r.desc = v[C_DESC];
    r.org = v[C_ORG];
    r.street1 = v[C_ADDR];
    r.street2 = v[C_ADDR2];
    r.city = v[C_CITY];
    r.state = v[C_STATE];
    r.zip = v[C_ZIP];
    r.phone = v[C_PHONE];
    r.url = v[C_URL];
    ok = emit(c, &r, err, errlen);
out:
    for (int i = 0; i < NCOL; i++)
        free(v[i]);
    return ok;
}

char *hsds_convert_csv(const char *text, size_t len, const char *columns_spec, const char *source_name, const char *as_of,
                  const char *taxonomy_path, char *err, size_t errlen)
{
    char *heads[NCOL] = {0};
    int idx[NCOL];
    char *result = NULL;
    conv c;
    bool inited = conv_init(&c, source_name, as_of, taxonomy_path, err, errlen);
    csv_reader rd;
    csv_init(&rd, text, len);
    if (!inited || !parse_spec(columns_spec, heads, err, errlen))
        goto out;
    if (!utf8_valid(text, len)) {
        fail(err, errlen, "the file is not UTF-8 text");
        goto out;
    }
    int rc = csv_next_row(&rd);
    if (rc != 1) {
        fail(err, errlen, "%s", rc < 0 ? rd.error : "the file is empty (a header row is needed)");
        goto out;
    }
    /* a UTF-8 byte order mark before the first header */
    if (rd.nfields > 0 && str_has_prefix(rd.fields[0], "\xEF\xBB\xBF"))
        rd.fields[0] += 3;
    for (int i = 0; i < NCOL; i++) {
        idx[i] = heads[i] ? csv_find(&rd, heads[i]) : -1;
        if (heads[i] && idx[i] < 0) {
            fail(err, errlen, "row 1, column %s: not in the header row (--columns %s=%s)", heads[i], CSV_FIELDS[i],
                 heads[i]);
            goto out;
        }
    }
    bool ok = true;
    while (ok && (rc = csv_next_row(&rd)) == 1) {
        if (rd.nfields == 1 && !*rd.fields[0])
            continue; /* blank line */
        if (rd.row > CONVERT_MAX_ROWS) {
            fail(err, errlen, "row %ld: too many rows", rd.row);
            ok = false;
            break;
        }
        ok = csv_row(&c, &rd, idx, heads, err, errlen);
    }
    if (ok && rc < 0) {
        fail(err, errlen, "%s", rd.error);
        ok = false;
    }
    if (ok && !json_array_size(c.services)) {
        fail(err, errlen, "no rows after the header");
        ok = false;
    }
    if (ok)
        result = conv_ndjson(&c, err, errlen);
out:
    csv_free(&rd);
    conv_free(&c);
    for (int i = 0; i < NCOL; i++)
        free(heads[i]);
    return result;
}

/* ---- HSDS CSV datapackage ---------------------------------------------- */

/* How rows of one table nest under another in HSDS JSON. With by_parent,
 * the parent's column names the child ("organization_id" of a service);
 * otherwise the child's column names the parent ("service_id" of a phone).
 * once: only under the first object of the parent's id (an organization's
 * own programs and locations, which would otherwise be copied into every
 * service of a large organization). */
static const struct nest_rule {
    int parent;
    const char *key;
    int child;
    const char *column;
    bool by_parent, once;
} NEST[] = {
    {HSDS_SERVICE, "organization", HSDS_ORGANIZATION, "organization_id", true, false},
    {HSDS_SERVICE, "program", HSDS_PROGRAM, "program_id", true, false},
    {HSDS_SERVICE, "service_at_locations", HSDS_SERVICE_AT_LOCATION, "service_id", false, false},
    {HSDS_SERVICE, "phones", HSDS_PHONE, "service_id", false, false},
    {HSDS_SERVICE, "schedules", HSDS_SCHEDULE, "service_id", false, false},
    {HSDS_SERVICE, "service_areas", HSDS_SERVICE_AREA, "service_id", false, false},
    {HSDS_SERVICE, "languages", HSDS_LANGUAGE, "service_id", false, false},
    {HSDS_SERVICE, "funding", HSDS_FUNDING, "service_id", false, false},
    {HSDS_SERVICE, "cost_options", HSDS_COST_OPTION, "service_id", false, false},
    {HSDS_SERVICE, "required_documents", HSDS_REQUIRED_DOCUMENT, "service_id", false, false},
    {HSDS_SERVICE, "contacts", HSDS_CONTACT, "service_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "location", HSDS_LOCATION, "location_id", true, false},
    {HSDS_SERVICE_AT_LOCATION, "contacts", HSDS_CONTACT, "service_at_location_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "phones", HSDS_PHONE, "service_at_location_id", false, false},
    {HSDS_SERVICE_AT_LOCATION, "schedules", HSDS_SCHEDULE, "service_at_location_id", false, false},
    {HSDS_LOCATION, "languages", HSDS_LANGUAGE, "location_id", false, false},
    {HSDS_LOCATION, "addresses", HSDS_ADDRESS, "location_id", false, false},
    {HSDS_LOCATION, "contacts", HSDS_CONTACT, "location_id", false, false},
    {HSDS_LOCATION, "accessibility", HSDS_ACCESSIBILITY, "location_id", false, false},
    {HSDS_LOCATION, "phones", HSDS_PHONE, "location_id", false, false},
    {HSDS_LOCATION, "schedules", HSDS_SCHEDULE, "location_id", false, false},
    {HSDS_ORGANIZATION, "funding", HSDS_FUNDING, "organization_id", false, false},
    {HSDS_ORGANIZATION, "contacts", HSDS_CONTACT, "organization_id", false, false},
    {HSDS_ORGANIZATION, "phones", HSDS_PHONE, "organization_id", false, false},
    {HSDS_ORGANIZATION, "organization_identifiers", HSDS_ORGANIZATION_IDENTIFIER, "organization_id", false, false},
    {HSDS_ORGANIZATION, "programs", HSDS_PROGRAM, "organization_id", false, true},
    {HSDS_ORGANIZATION, "locations", HSDS_LOCATION, "organization_id", false, true},
    {HSDS_CONTACT, "phones", HSDS_PHONE, "contact_id", false, false},
    {HSDS_PHONE, "languages", HSDS_LANGUAGE, "phone_id", false, false},
    {HSDS_ATTRIBUTE, "taxonomy_term", HSDS_TAXONOMY_TERM, "taxonomy_term_id", true, false},
    {HSDS_TAXONOMY_TERM, "taxonomy_detail", HSDS_TAXONOMY, "taxonomy_id", true, false},
};
#define NNEST (sizeof(NEST) / sizeof(NEST[0]))
#define NEST_DEPTH 12

/* The tables read, their rows grouped for nesting, and what was used. */
struct dpkg {
    json_t *rows[HSDS_NRES];   /* arrays of row objects */
    json_t *by_id[HSDS_NRES];  /* id -> [rows] */
    json_t *groups[NNEST];     /* child column value -> [rows] (rules by child column) */
    json_t *attrs, *meta;      /* link_id / resource_id -> [rows] */
    json_t *reached[HSDS_NRES]; /* ids placed in some service */
    json_t *expanded_once;     /* "rule:id" of once-rules already used */
};

/* name -> field type for one resource of datapackage.json (NULL if none). */
static json_t *dp_types(json_t *dp, const char *resource)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(dp, "resources"), i, r)
    {
        if (!json_is_string(json_object_get(r, "name")) || strcmp(json_string_value(json_object_get(r, "name")), resource))
            continue;
        json_t *types = json_object();
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(json_object_get(r, "schema"), "fields"), k, f)
        {
            const char *n = json_string_value(json_object_get(f, "name"));
            const char *t = json_string_value(json_object_get(f, "type"));
            if (n && t)
                json_object_set_new(types, n, json_string(t));
        }
        return types;
    }
    return NULL;
}

/* HSDS 3.0's own types for resource r (its number columns). */
static json_t *builtin_types(int r)
{
    json_t *types = json_object();
    for (int i = 0; i < hsds_resources[r].nfields; i++)
        if (hsds_resources[r].fields[i].number)
            json_object_set_new(types, hsds_resources[r].fields[i].name, json_string("number"));
    return types;
}

static json_t *typed(const char *v, const char *type, bool *ok)
{
    *ok = true;
    if (type && !strcmp(type, "number")) {
        double d;
        if (parse_num(v, &d))
            return json_real(d);
        *ok = false;
    } else if (type && !strcmp(type, "integer")) {
        long n;
        if (parse_long(v, -2147483647L, 2147483647L, &n))
            return json_integer(n);
        *ok = false;
    } else if (type && !strcmp(type, "boolean")) {
        if (!strcmp(v, "true") || !strcmp(v, "1"))
            return json_true();
        if (!strcmp(v, "false") || !strcmp(v, "0"))
            return json_false();
        *ok = false;
    }
    return *ok ? json_string(v) : NULL;
}

/* Reads one table (file is e.g. "phones.csv") into an array of row objects
 * (empty cells left out). A missing file is an empty table, unless
 * required. */
static json_t *dp_table(const char *dir, const char *file, json_t *types, bool required, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    size_t len;
    char *text = file_read(path, 512u * 1024u * 1024u, &len);
    if (!text) {
        if (required)
            fail(err, errlen, "cannot read %s", path);
        return required ? NULL : json_array();
    }
    json_t *rows = json_array();
    csv_reader r;
    csv_init(&r, text, len);
    int rc = csv_next_row(&r);
    char *head[CSV_MAX_FIELDS] = {0};
    int nh = rc == 1 ? r.nfields : 0;
    for (int i = 0; i < nh; i++)
        head[i] = xstrdup(str_has_prefix(r.fields[i], "\xEF\xBB\xBF") ? r.fields[i] + 3 : r.fields[i]);
    bool ok = rc >= 0 && utf8_valid(text, len);
    if (!ok)
        fail(err, errlen, "%s %s", file, rc < 0 ? r.error : "is not UTF-8 text");
    while (ok && (rc = csv_next_row(&r)) == 1) {
        if (r.nfields == 1 && !*r.fields[0])
            continue;
        json_t *o = json_object();
        for (int i = 0; ok && i < r.nfields && i < nh; i++) {
            if (!*r.fields[i])
                continue;
            json_t *v = typed(r.fields[i], json_string_value(json_object_get(types, head[i])), &ok);
            if (!ok)
                fail(err, errlen, "%s row %ld, column %s: \"%.40s\" is not a %s", file, r.row, head[i], r.fields[i],
                     json_string_value(json_object_get(types, head[i])));
            else
                json_object_set_new(o, head[i], v);
        }
        json_array_append_new(rows, o);
    }
    if (ok && rc < 0) {
        fail(err, errlen, "%s %s", file, r.error);
        ok = false;
    }
    for (int i = 0; i < nh; i++)
        free(head[i]);
    csv_free(&r);
    free(text);
    if (!ok) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* key value -> array of the rows with that value in column key. */
static json_t *group_by(json_t *rows, const char *key)
{
    json_t *g = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *v = json_string_value(json_object_get(r, key));
        if (!v)
            continue;
        json_t *list = json_object_get(g, v);
        if (!list) {
            list = json_array();
            json_object_set_new(g, v, list);
        }
        json_array_append(list, r);
    }
    return g;
}

static bool dp_read(struct dpkg *p, const char *dir, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/datapackage.json", dir);
    json_t *dp = json_load_file(path, 0, NULL);
    bool ok = true;
    for (int r = 0; ok && r < HSDS_NRES; r++) {
        json_t *types = dp_types(dp, hsds_resources[r].name);
        if (!types) /* no usable datapackage.json: HSDS 3.0's number columns */
            types = builtin_types(r);
        p->rows[r] = dp_table(dir, hsds_resources[r].path, types, r == HSDS_SERVICE, err, errlen);
        json_decref(types);
        ok = p->rows[r] != NULL;
    }
    json_decref(dp);
    return ok;
}

static void dp_group(struct dpkg *p)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        p->by_id[r] = group_by(p->rows[r], "id");
        p->reached[r] = json_object();
    }
    for (size_t n = 0; n < NNEST; n++)
        p->groups[n] = NEST[n].by_parent ? NULL : group_by(p->rows[NEST[n].child], NEST[n].column);
    p->attrs = group_by(p->rows[HSDS_ATTRIBUTE], "link_id");
    p->meta = group_by(p->rows[HSDS_METADATA], "resource_id");
    p->expanded_once = json_object();
}

static void dp_free(struct dpkg *p)
{
    for (int r = 0; r < HSDS_NRES; r++) {
        json_decref(p->rows[r]);
        json_decref(p->by_id[r]);
        json_decref(p->reached[r]);
    }
    for (size_t n = 0; n < NNEST; n++)
        json_decref(p->groups[n]);
    json_decref(p->attrs);
    json_decref(p->meta);
    json_decref(p->expanded_once);
}

static json_t *expand(struct dpkg *p, json_t *row, int r, int depth);

/* Puts copies of the rows in list under o[key] (one object or a list). */
static void nest_list(struct dpkg *p, json_t *o, const char *key, json_t *list, int child, bool one, int depth)
{
    if (!json_array_size(list))
        return;
    if (one) {
        json_object_set_new(o, key, expand(p, json_array_get(list, 0), child, depth + 1));
        return;
    }
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) json_array_append_new(out, expand(p, c, child, depth + 1));
    json_object_set_new(o, key, out);
}

/* Whether a once-rule may still nest under this id (and marks it used). */
static bool first_time(struct dpkg *p, size_t n, const char *id)
{
    char key[256];
    snprintf(key, sizeof(key), "%zu:%s", n, id);
    if (json_object_get(p->expanded_once, key))
        return false;
    json_object_set_new(p->expanded_once, key, json_true());
    return true;
}

/* A copy of row (of resource r) with everything that nests under it. */
static json_t *expand(struct dpkg *p, json_t *row, int r, int depth)
{
    json_t *o = json_deep_copy(row);
    const char *id = json_string_value(json_object_get(o, "id"));
    if (id)
        json_object_set_new(p->reached[r], id, json_true());
    if (depth > NEST_DEPTH)
        return o;
    for (size_t n = 0; n < NNEST; n++) {
        if (NEST[n].parent != r)
            continue;
        if (NEST[n].by_parent) {
            const char *cid = json_string_value(json_object_get(o, NEST[n].column));
            nest_list(p, o, NEST[n].key, cid ? json_object_get(p->by_id[NEST[n].child], cid) : NULL, NEST[n].child,
                      true, depth);
        } else if (id && (!NEST[n].once || first_time(p, n, id))) {
            nest_list(p, o, NEST[n].key, json_object_get(p->groups[n], id), NEST[n].child, false, depth);
        }
    }
    if (id && r != HSDS_ATTRIBUTE && r != HSDS_METADATA)
        nest_list(p, o, "attributes", json_object_get(p->attrs, id), HSDS_ATTRIBUTE, false, depth);
    if (id && r != HSDS_METADATA)
        nest_list(p, o, "metadata", json_object_get(p->meta, id), HSDS_METADATA, false, depth);
    return o;
}

/* The rows no service reached, by resource name (NULL when none). */
static json_t *unlinked(struct dpkg *p)
{
    json_t *u = json_object();
    for (int r = 0; r < HSDS_NRES; r++) {
        if (r == HSDS_SERVICE)
            continue;
        json_t *list = json_array();
        size_t i;
        json_t *row;
        json_array_foreach(p->rows[r], i, row)
        {
            const char *id = json_string_value(json_object_get(row, "id"));
            if (!id || !json_object_get(p->reached[r], id))
                json_array_append(list, row);
        }
        if (json_array_size(list))
            json_object_set_new(u, hsds_resources[r].name, list);
        else
            json_decref(list);
    }
    if (!json_object_size(u)) {
        json_decref(u);
        return NULL;
    }
    return u;
}

/* Every service row as a nested document; rows no service reaches go into
 * the first one's "waypost_unlinked" (see hsds_tables.h). */
static json_t *dp_services(struct dpkg *p, char *err, size_t errlen)
{
    json_t *docs = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(p->rows[HSDS_SERVICE], i, row)
    {
        const char *sid = json_string_value(json_object_get(row, "id"));
        if (!sid || !json_is_string(json_object_get(row, "name"))) {
            fail(err, errlen, "services.csv row %zu, column %s: missing", i + 2, sid ? "name" : "id");
            json_decref(docs);
            return NULL;
        }
        json_array_append_new(docs, expand(p, row, HSDS_SERVICE, 0));
    }
    json_t *u = unlinked(p);
    if (u && json_array_size(docs))
        json_object_set_new(json_array_get(docs, 0), "waypost_unlinked", u);
    else
        json_decref(u);
    return docs;
}

static char *ndjson_of(json_t *docs, char *err, size_t errlen)
{
    buf out = BUF_INIT;
    buf_init(&out, 1024u * 1024u * 1024u);
    size_t i;
    json_t *s;
    json_array_foreach(docs, i, s)
    {
        char *line = json_dumps(s, JSON_COMPACT);
        bool ok = line && buf_puts(&out, line) && buf_putc(&out, '\n');
        free(line);
        if (!ok) {
            fail(err, errlen, "the datapackage is too large");
            buf_free(&out);
            return NULL;
        }
    }
    char *result = buf_detach(&out, NULL);
    buf_free(&out);
    return result;
}

char *hsds_convert_datapackage(const char *dir, char *err, size_t errlen)
{
    struct dpkg p = {0};
    char *result = NULL;
    if (dp_read(&p, dir, err, errlen)) {
        dp_group(&p);
        json_t *docs = dp_services(&p, err, errlen);
        if (docs && !json_array_size(docs))
            fail(err, errlen, "%s/services.csv has no services", dir);
        else if (docs)
            result = ndjson_of(docs, err, errlen);
        json_decref(docs);
    }
    dp_free(&p);
    return result;
}
