/* hsds_convert_vocab: the vocabularies the converters map onto: the
 * Waypost taxonomy (data/taxonomy/waypost.json: term ids, codes, names and
 * the order of the terms) and SAMHSA's locator service codes. */
#include "core/util.h"
#include "hsds/hsds_convert_internal.h"

#include <stdlib.h>
#include <string.h>

/* SAMHSA locator codes: meaning and the Waypost term they map onto (NULL
 * when kept only as a raw code). Same table as SAMHSA_CODES in
 * tools/convert_directories.py. */
static const samhsa_code SAMHSA_CODES[] = {
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
static const samhsa_lang SAMHSA_LANGS[] = {
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

const samhsa_code *conv_samhsa_find(const char *code)
{
    for (size_t i = 0; i < sizeof(SAMHSA_CODES) / sizeof(SAMHSA_CODES[0]); i++)
        if (!strcmp(SAMHSA_CODES[i].code, code))
            return &SAMHSA_CODES[i];
    return NULL;
}

const samhsa_lang *conv_samhsa_lang_find(const char *code)
{
    for (size_t i = 0; i < sizeof(SAMHSA_LANGS) / sizeof(SAMHSA_LANGS[0]); i++)
        if (!strcmp(SAMHSA_LANGS[i].code, code))
            return &SAMHSA_LANGS[i];
    return NULL;
}

void conv_taxo_free(taxo *t)
{
    json_decref(t->root);
    json_decref(t->terms);
    json_decref(t->order);
    json_decref(t->links);
    memset(t, 0, sizeof(*t));
}

/* The term as waypost_term() in the Python converter writes it: language
 * and term_uri left out, parent_id only when set, other fields ignored. */
static json_t *nested_term(json_t *src)
{
    json_t *term = json_object();
    static const char *const keys[] = {"id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        json_t *v = json_object_get(src, keys[k]);
        if (v && !json_is_null(v))
            json_object_set(term, keys[k], v);
    }
    return term;
}

static const char *attr_link_type(const char *code)
{
    for (size_t a = 0; a < sizeof(ATTR_LINKS) / sizeof(ATTR_LINKS[0]); a++)
        if (!strcmp(ATTR_LINKS[a].code, code))
            return ATTR_LINKS[a].link_type;
    return "attribute";
}

bool conv_taxo_load(taxo *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    json_error_t je;
    t->root = path ? json_load_file(path, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!t->root) {
        conv_fail(err, errlen, "cannot read the taxonomy %s: %s", path ? path : "(none)", path ? je.text : "no path");
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
            json_object_set_new(t->terms, code, nested_term(src));
            json_object_set_new(t->order, code, json_integer(pos++));
            json_object_set_new(t->links, code, json_string(l == 1 ? attr_link_type(code) : "service_type"));
        }
    }
    if (!json_object_size(t->terms)) {
        conv_fail(err, errlen, "the taxonomy %s has no terms", path);
        conv_taxo_free(t);
        return false;
    }
    return true;
}
