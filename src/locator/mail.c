/* mail: the finder's "ways to get it anywhere" panel. See mail.h. */
#include "locator/mail.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/util.h"
#include "core/vocab.h"
#include "hsds/hsds_store.h"
#include "locator/mail_store.h"
#include "locator/places.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>

#define SYRINGES_FILE "by-mail/pharmacy-syringes.json"
#define MAX_BY_MAIL 12

static const struct {
    const char *code, *words; /* the search's code, and what it is in a sentence */
} panels[] = {
    {"naloxone", N_("naloxone")},
    {"syringe-services", N_("syringes")},
    {"test-strips", N_("test strips")},
    {"drug-checking", N_("drug checking")},
    {"mail-based-supplies", N_("supplies")},
};
#define NPANELS (sizeof(panels) / sizeof(panels[0]))

static vocab syringes; /* open while loaded */
static bool loaded;

/* Checks one entry (text, source_title and an https source). */
static bool check_entry(vocab *v, const char *list, size_t i, const char *key, json_t *e)
{
    const char *text = vocab_text(e, "text"), *title = vocab_text(e, "source_title"), *src = vocab_text(e, "source");
    if (!text || !title || !src || !str_has_prefix(src, "https://"))
        return vocab_bad(v, list, i, key, "needs \"text\", \"source_title\" and an https \"source\"");
    return true;
}

bool mail_load(const char *data_dir, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, data_dir, SYRINGES_FILE, err, errlen))
        return false;
    bool ok = check_entry(&v, "default", 0, "default", json_object_get(v.root, "default"));
    json_t *states = json_object_get(v.root, "states");
    const char *key;
    json_t *e;
    size_t i = 0;
    if (ok && !json_is_object(states))
        ok = vocab_bad(&v, "states", 0, "states", "must be an object keyed by state code");
    json_object_foreach(states, key, e)
    {
        if (!ok)
            break;
        if (!place_state_name(key))
            ok = vocab_bad(&v, "states", i, key, "is not a two-letter state code");
        else
            ok = check_entry(&v, "states", i, key, e);
        i++;
    }
    if (!ok) {
        vocab_close(&v);
        return false;
    }
    mail_free();
    syringes = v;
    loaded = true;
    return true;
}

void mail_free(void)
{
    if (loaded)
        vocab_close(&syringes);
    loaded = false;
}

static const char *panel_words(const char *code)
{
    for (size_t i = 0; code && i < NPANELS; i++)
        if (!strcmp(panels[i].code, code))
            return panels[i].words;
    return NULL;
}

bool mail_shows_for(const char *code)
{
    return panel_words(code) != NULL;
}

struct collect {
    const char *code, *state;
    int lang;
    json_t *here, *national; /* programmes for the state, and for the whole US */
};

/* "US" or "US-XX" of the state when one of the service's areas covers it;
 * NULL when none does. */
static const char *area_for(json_t *svc, const char *state)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(svc, "service_areas"), i, a)
    {
        const char *ext = json_string_value(json_object_get(a, "extent"));
        if (ext && !strcmp(ext, "US"))
            return "US";
        if (ext && *state && str_has_prefix(ext, "US-") && !strcmp(ext + 3, state))
            return ext;
    }
    return NULL;
}

static bool has_term(json_t *svc, const char *code)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(svc, "attributes"), i, a)
    {
        json_t *t = json_object_get(a, "taxonomy_term");
        const char *c = json_string_value(json_object_get(t, "code"));
        const char *tax = json_string_value(json_object_get(t, "taxonomy_id"));
        if (c && tax && !strcmp(c, code) && !strcmp(tax, WAYPOST_TAXONOMY_ID))
            return true;
    }
    return false;
}

static void copy_str(json_t *to, const char *key, json_t *from, const char *from_key)
{
    const char *s = json_string_value(json_object_get(from, from_key));
    if (s && *s)
        jset_str(to, key, s);
}

/* copy_str with the text in lang: the data's English is the msgid. */
static void copy_tr(int lang, json_t *to, const char *key, json_t *from, const char *from_key)
{
    const char *s = json_string_value(json_object_get(from, from_key));
    if (s && *s)
        jset_str(to, key, i18n_tr(lang, s));
}

/* A by-mail description in lang: tools/build_mail_listings.py writes the
 * programme's "what" then " Source: <url>, checked on <date>."; the first
 * part is the msgid (data/by-mail/programs.json). */
static void copy_description(int lang, json_t *to, json_t *svc)
{
    const char *s = json_string_value(json_object_get(svc, "description"));
    if (!s || !*s)
        return;
    const char *cut = lang != I18N_SOURCE ? strstr(s, " Source: ") : NULL;
    if (!cut) {
        jset_str(to, "description", s);
        return;
    }
    char what[1024], src[256], checked[32];
    snprintf(what, sizeof(what), "%.*s", (int)(cut - s), s);
    const char *on = strstr(cut, ", checked on ");
    if (!on || (size_t)(cut + 9 - s) >= strlen(s)) {
        jset_str(to, "description", i18n_tr(lang, what));
        return;
    }
    snprintf(src, sizeof(src), "%.*s", (int)(on - (cut + 9)), cut + 9);
    snprintf(checked, sizeof(checked), "%.10s", on + 13);
    char day[32];
    i18n_day(lang, checked, day, sizeof(day));
    buf b = BUF_INIT;
    buf_printf(&b, "%s ", i18n_tr(lang, what));
    buf_printf(&b, i18n_tr(lang, "Source: %s, checked on %s."), src, day);
    jset_str(to, "description", buf_cstr(&b));
    buf_free(&b);
}

static bool collect_row(void *ctx, const char *service_id, const char *raw)
{
    struct collect *c = ctx;
    json_error_t je;
    json_t *svc = json_loads(raw, 0, &je);
    const char *area = svc ? area_for(svc, c->state) : NULL;
    if (area && has_term(svc, c->code) && json_array_size(c->here) + json_array_size(c->national) < MAX_BY_MAIL) {
        json_t *o = json_object();
        jset_str(o, "service_id", service_id);
        copy_tr(c->lang, o, "name", svc, "name");
        copy_description(c->lang, o, svc);
        copy_tr(c->lang, o, "fees", svc, "fees_description");
        const char *url = json_string_value(json_object_get(svc, "url"));
        if (url && str_has_prefix(url, "https://"))
            jset_str(o, "url", url);
        const char *st = strcmp(area, "US") ? place_state_name(area + 3) : NULL;
        jset_str(o, "area", st ? i18n_tr(c->lang, st) : i18n_tr(c->lang, "anywhere in the US"));
        json_array_append_new(strcmp(area, "US") ? c->here : c->national, o);
    }
    json_decref(svc);
    return true;
}

/* The syringe-sales entry for the state (or the default), as page data. */
static json_t *syringe_rule(const char *state, int lang)
{
    json_t *e = *state ? json_object_get(json_object_get(syringes.root, "states"), state) : NULL;
    bool known = e != NULL;
    if (!e)
        e = json_object_get(syringes.root, "default");
    json_t *o = json_object();
    copy_tr(lang, o, "text", e, "text");
    copy_str(o, "source", e, "source");
    copy_str(o, "source_title", e, "source_title");
    const char *checked = json_string_value(json_object_get(syringes.root, "checked_on"));
    char day[32];
    if (checked && i18n_day(lang, checked, day, sizeof(day)))
        jset_str(o, "checked_on", lang == I18N_SOURCE ? checked : day);
    else
        copy_str(o, "checked_on", syringes.root, "checked_on");
    json_object_set_new(o, "known", json_boolean(known));
    return o;
}

json_t *mail_panel(sqlite3 *db, const char *code, const char *state, int lang)
{
    const char *words = panel_words(code);
    if (!words)
        return NULL;
    const char *name = state ? place_state_name(state) : NULL;
    json_t *p = json_object();
    jset_str(p, "words", i18n_tr(lang, words));
    if (name)
        jset_str(p, "state_name", i18n_tr(lang, name));
    json_object_set_new(p, "naloxone", json_boolean(!strcmp(code, "naloxone")));
    if (!strcmp(code, "syringe-services") && loaded)
        json_object_set_new(p, "syringes", syringe_rule(name ? state : "", lang));
    struct collect c = {code, name ? state : "", lang, json_array(), json_array()};
    if (db)
        mail_store_each(db, WAYPOST_TAXONOMY_ID, "mail-based-supplies", collect_row, &c);
    json_array_extend(c.here, c.national);
    json_decref(c.national);
    json_object_set_new(p, "has_by_mail", json_boolean(json_array_size(c.here) > 0));
    json_object_set_new(p, "by_mail", c.here);
    return p;
}
