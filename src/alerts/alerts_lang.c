/* alerts_lang: an alert's words and links in the reader's language. See
 * alerts_lang.h. */
#include "alerts/alerts_lang.h"
#include "alerts/alerts_store.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>

/* The weekday's and month's full names, with a context (the short month
 * names of core/i18n.c's dates are other msgids: "May"). */
static const char *weekday(int lang, int d)
{
    switch (d) {
    case 0: return i18n_trc(lang, "weekday", "Sunday");
    case 1: return i18n_trc(lang, "weekday", "Monday");
    case 2: return i18n_trc(lang, "weekday", "Tuesday");
    case 3: return i18n_trc(lang, "weekday", "Wednesday");
    case 4: return i18n_trc(lang, "weekday", "Thursday");
    case 5: return i18n_trc(lang, "weekday", "Friday");
    default: return i18n_trc(lang, "weekday", "Saturday");
    }
}

static const char *month(int lang, int m)
{
    switch (m) {
    case 0: return i18n_trc(lang, "month", "January");
    case 1: return i18n_trc(lang, "month", "February");
    case 2: return i18n_trc(lang, "month", "March");
    case 3: return i18n_trc(lang, "month", "April");
    case 4: return i18n_trc(lang, "month", "May");
    case 5: return i18n_trc(lang, "month", "June");
    case 6: return i18n_trc(lang, "month", "July");
    case 7: return i18n_trc(lang, "month", "August");
    case 8: return i18n_trc(lang, "month", "September");
    case 9: return i18n_trc(lang, "month", "October");
    case 10: return i18n_trc(lang, "month", "November");
    default: return i18n_trc(lang, "month", "December");
    }
}

void alerts_human_time(const config *cfg, int lang, int64_t t, char *out, size_t n)
{
    struct tm tm;
    tz_local(cfg ? tz_get(cfg->timezone) : NULL, t, &tm);
    /* TRANSLATORS: weekday, day of the month, month, year, hour, minute */
    snprintf(out, n, i18n_tr(lang, "%s %d %s %d, %02d:%02d"), weekday(lang, tm.tm_wday), tm.tm_mday,
             month(lang, tm.tm_mon), tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

/* Each word with its context, so the catalog can give an alert's words
 * their own forms (Spanish: "publicada", feminine like "alerta"). */
static const char *cap_word(int lang, const char *c)
{
    if (!strcmp(c, "Extreme"))
        return i18n_trc(lang, "alert severity", "Extreme");
    if (!strcmp(c, "Severe"))
        return i18n_trc(lang, "alert severity", "Severe");
    if (!strcmp(c, "Moderate"))
        return i18n_trc(lang, "alert severity", "Moderate");
    if (!strcmp(c, "Minor"))
        return i18n_trc(lang, "alert severity", "Minor");
    if (!strcmp(c, "Unknown"))
        return i18n_trc(lang, "alert severity", "Unknown");
    if (!strcmp(c, "Observed"))
        return i18n_trc(lang, "alert certainty", "Observed");
    if (!strcmp(c, "Likely"))
        return i18n_trc(lang, "alert certainty", "Likely");
    if (!strcmp(c, "Possible"))
        return i18n_trc(lang, "alert certainty", "Possible");
    if (!strcmp(c, "Immediate"))
        return i18n_trc(lang, "alert urgency", "Immediate");
    if (!strcmp(c, "Expected"))
        return i18n_trc(lang, "alert urgency", "Expected");
    if (!strcmp(c, "Future"))
        return i18n_trc(lang, "alert urgency", "Future");
    if (!strcmp(c, "Past"))
        return i18n_trc(lang, "alert urgency", "Past");
    return NULL;
}

static const char *state_word(int lang, const char *c)
{
    if (!strcmp(c, "draft"))
        return i18n_trc(lang, "alert state", "draft");
    if (!strcmp(c, "scheduled"))
        return i18n_trc(lang, "alert state", "scheduled");
    if (!strcmp(c, "published"))
        return i18n_trc(lang, "alert state", "published");
    if (!strcmp(c, "updated"))
        return i18n_trc(lang, "alert state", "updated");
    if (!strcmp(c, "expired"))
        return i18n_trc(lang, "alert state", "expired");
    if (!strcmp(c, "withdrawn"))
        return i18n_trc(lang, "alert state", "withdrawn");
    if (!strcmp(c, "Published"))
        return i18n_trc(lang, "alert history", "Published");
    if (!strcmp(c, "Updated"))
        return i18n_trc(lang, "alert history", "Updated");
    if (!strcmp(c, "Withdrawn"))
        return i18n_trc(lang, "alert history", "Withdrawn");
    return NULL;
}

const char *alerts_word(int lang, const char *code)
{
    if (!code)
        return "";
    const char *w = cap_word(lang, code);
    if (!w)
        w = state_word(lang, code);
    return w ? w : code;
}

const char *alerts_text_lang(const alert_rec *a)
{
    const char *l = json_string_value(json_object_get(a->doc, "lang"));
    return l && *l ? l : "en";
}

int alerts_translated(sqlite3 *db, const alert_rec *a, int lang, alert_rec *out)
{
    const char *code = i18n_code(lang);
    if (!strcmp(alerts_text_lang(a), code) || json_integer_value(json_object_get(a->doc, "translation_of")) > 0)
        return 0;
    long t = alerts_store_translation(db, a->id, code);
    if (t <= 0)
        return t < 0 ? -1 : 0;
    int f = alerts_store_get(db, t, out);
    return f;
}

const char *alerts_lang_name(int lang, const char *code)
{
    if (!strcmp(code, "en"))
        return i18n_trc(lang, "language name", "English");
    if (!strcmp(code, "es"))
        return i18n_trc(lang, "language name", "Spanish");
    int l = i18n_find(code);
    return l >= 0 ? i18n_name(l) : code;
}

/* One link of the translations list: to alert id, written in code. */
static void add_link(const request *rq, json_t *list, long id, const char *code)
{
    int l = i18n_find(code);
    char href[64];
    /* hreflang: the server leaves the prefix as written */
    snprintf(href, sizeof(href), "%s/alerts/%ld", i18n_prefix(l >= 0 ? l : I18N_SOURCE), id);
    char label[160];
    snprintf(label, sizeof(label), T(rq, "This alert in %s"), alerts_lang_name(rq->lang, code));
    json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s}", "href", href, "hreflang", code, "name",
                                          l >= 0 ? i18n_name(l) : code, "label", label));
}

bool alerts_lang_view(const request *rq, sqlite3 *db, json_t *d, const alert_rec *a)
{
    const char *code = alerts_text_lang(a), *tag = json_string_value(json_object_get(a->doc, "language"));
    jset_str(d, "text_lang", tag && *tag ? tag : code);
    if (strcmp(code, i18n_code(rq->lang))) {
        char note[200];
        snprintf(note, sizeof(note), T(rq, "This alert is in %s."), alerts_lang_name(rq->lang, code));
        jset_str(d, "lang_note", note);
    }
    json_t *list = json_array();
    long of = (long)json_integer_value(json_object_get(a->doc, "translation_of"));
    alert_rec o;
    int f = of > 0 ? alerts_store_get(db, of, &o) : 0;
    if (f == 1) {
        if (o.version > 0)
            add_link(rq, list, o.id, alerts_text_lang(&o));
        alert_rec_clear(&o);
    }
    for (int l = 0; f >= 0 && of <= 0 && l < i18n_count(); l++) {
        long t = strcmp(i18n_code(l), code) ? alerts_store_translation(db, a->id, i18n_code(l)) : 0;
        if (t > 0)
            add_link(rq, list, t, i18n_code(l));
        f = t < 0 ? -1 : f;
    }
    json_object_set_new(d, "has_translations", json_boolean(json_array_size(list) > 0));
    json_object_set_new(d, "translations", list);
    return f >= 0;
}
