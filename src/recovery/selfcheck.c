/* selfcheck: loading and scoring the questionnaires. */
#include "recovery/selfcheck.h"
#include "core/util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sc_set *loaded;

static char *dup_field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return xstrdup(s ? s : "");
}

static bool load_question(sc_question *q, json_t *j, const char *slug, int n, char *err, size_t errlen)
{
    q->id = dup_field(j, "id");
    q->text = dup_field(j, "text");
    q->substance = dup_field(j, "substance");
    json_t *pf = json_object_get(j, "positive_from");
    q->positive_from = json_is_integer(pf) ? (int)json_integer_value(pf) : -1;
    json_t *opts = json_object_get(j, "options");
    size_t no = json_array_size(opts);
    if (!q->id[0] || !q->text[0] || no < 2 || no > SC_MAX_OPTIONS) {
        snprintf(err, errlen, "%s question %d needs an id, text and 2 to %d options", slug, n, SC_MAX_OPTIONS);
        return false;
    }
    /* the form's answers reach the handler only under keys the route's
     * spec takes ("q*" in routes.c): q followed by a number */
    if (q->id[0] != 'q' || !q->id[1] || strspn(q->id + 1, "0123456789") != strlen(q->id + 1)) {
        snprintf(err, errlen, "%s question %d: the id \"%s\" must be q and a number (q1, q2 ...)", slug, n, q->id);
        return false;
    }
    for (size_t i = 0; i < no; i++) {
        json_t *o = json_array_get(opts, i);
        if (!json_is_integer(json_object_get(o, "score"))) {
            snprintf(err, errlen, "%s question %d option %zu has no whole-number score", slug, n, i + 1);
            return false;
        }
        q->options[i].label = dup_field(o, "label");
        q->options[i].score = (int)json_integer_value(json_object_get(o, "score"));
        q->noptions++;
    }
    return true;
}

/* "translations": {"es": {"version": "validated" | "waypost", "note": "..."}} */
static bool load_translations(sc_check *c, json_t *j, char *err, size_t errlen)
{
    json_t *tr = json_object_get(j, "translations");
    if (!tr)
        return true;
    if (!json_is_object(tr) || json_object_size(tr) > SC_MAX_TRANSLATIONS) {
        snprintf(err, errlen, "%s: \"translations\" must be an object of at most %d languages", c->slug,
                 SC_MAX_TRANSLATIONS);
        return false;
    }
    const char *code;
    json_t *t;
    json_object_foreach(tr, code, t) {
        const char *version = json_string_value(json_object_get(t, "version"));
        const char *note = json_string_value(json_object_get(t, "note"));
        if (!version || (strcmp(version, "validated") && strcmp(version, "waypost")) || !note || !*note) {
            snprintf(err, errlen, "%s: the translation \"%s\" needs \"version\" (validated or waypost) and a \"note\"",
                     c->slug, code);
            return false;
        }
        sc_translation *x = &c->translations[c->ntranslations++];
        x->lang = xstrdup(code);
        x->validated = !strcmp(version, "validated");
        x->note = xstrdup(note);
    }
    return true;
}

static bool load_check(sc_check *c, json_t *j, char *err, size_t errlen)
{
    c->slug = dup_field(j, "slug");
    c->name = dup_field(j, "name");
    c->title = dup_field(j, "title");
    c->about = dup_field(j, "about");
    c->credit = dup_field(j, "credit");
    c->source_url = dup_field(j, "source_url");
    c->not_a_diagnosis = dup_field(j, "not_a_diagnosis");
    json_t *cut = json_object_get(j, "cutoffs");
    c->cutoff_male = (int)json_integer_value(json_object_get(cut, "male"));
    c->cutoff_female = (int)json_integer_value(json_object_get(cut, "female"));
    json_t *qs = json_object_get(j, "questions"), *bs = json_object_get(j, "bands");
    if (!c->slug[0] || json_array_size(qs) == 0 || json_array_size(qs) > SC_MAX_QUESTIONS ||
        json_array_size(bs) > SC_MAX_BANDS) {
        snprintf(err, errlen, "check \"%s\" needs a slug and 1 to %d questions", c->slug, SC_MAX_QUESTIONS);
        return false;
    }
    for (size_t i = 0; i < json_array_size(qs); i++)
        if (!load_question(&c->questions[c->nquestions++], json_array_get(qs, i), c->slug, (int)i + 1, err, errlen))
            return false;
    for (size_t i = 0; i < json_array_size(bs); i++) {
        json_t *b = json_array_get(bs, i);
        sc_band *band = &c->bands[c->nbands++];
        band->min = (int)json_integer_value(json_object_get(b, "min"));
        band->max = (int)json_integer_value(json_object_get(b, "max"));
        band->level = dup_field(b, "level");
        band->meaning = dup_field(b, "meaning");
        band->next = dup_field(b, "next");
    }
    return load_translations(c, j, err, errlen);
}

bool sc_parse(const char *text, size_t len, sc_set **out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "line %d: %s", je.line, je.text);
        return false;
    }
    sc_set *s = xcalloc(1, sizeof(*s));
    s->reviewed = dup_field(root, "reviewed");
    json_t *checks = json_object_get(root, "checks");
    bool ok = json_array_size(checks) > 0 && json_array_size(checks) <= SC_MAX_CHECKS;
    if (!ok)
        snprintf(err, errlen, "\"checks\" must list 1 to %d questionnaires", SC_MAX_CHECKS);
    for (size_t i = 0; ok && i < json_array_size(checks); i++)
        ok = load_check(&s->checks[s->nchecks++], json_array_get(checks, i), err, errlen);
    json_decref(root);
    if (!ok) {
        sc_free(s);
        return false;
    }
    *out = s;
    return true;
}

bool sc_load(const char *path, sc_set **out, char *err, size_t errlen)
{
    size_t len;
    char *text = file_read(path, 4u * 1024u * 1024u, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    char why[400];
    bool ok = sc_parse(text, len, out, why, sizeof(why));
    if (!ok)
        snprintf(err, errlen, "%s: %s", path, why);
    free(text);
    return ok;
}

static void check_free(sc_check *c)
{
    free(c->slug);
    free(c->name);
    free(c->title);
    free(c->about);
    free(c->credit);
    free(c->source_url);
    free(c->not_a_diagnosis);
    for (int i = 0; i < c->nquestions; i++) {
        free(c->questions[i].id);
        free(c->questions[i].text);
        free(c->questions[i].substance);
        for (int k = 0; k < c->questions[i].noptions; k++)
            free(c->questions[i].options[k].label);
    }
    for (int i = 0; i < c->ntranslations; i++) {
        free(c->translations[i].lang);
        free(c->translations[i].note);
    }
    for (int i = 0; i < c->nbands; i++) {
        free(c->bands[i].level);
        free(c->bands[i].meaning);
        free(c->bands[i].next);
    }
}

void sc_free(sc_set *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nchecks; i++)
        check_free(&s->checks[i]);
    free(s->reviewed);
    free(s);
}

const sc_check *sc_find(const sc_set *s, const char *slug)
{
    for (int i = 0; s && i < s->nchecks; i++)
        if (!strcmp(s->checks[i].slug, slug))
            return &s->checks[i];
    return NULL;
}

const sc_translation *sc_translation_for(const sc_check *c, const char *code)
{
    for (int i = 0; c && i < c->ntranslations; i++)
        if (!strcmp(c->translations[i].lang, code))
            return &c->translations[i];
    return NULL;
}

bool selfcheck_load(const config *cfg, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/selfchecks.json", cfg->data_dir);
    sc_set *s = NULL;
    if (!sc_load(path, &s, err, errlen))
        return false;
    sc_free(loaded);
    loaded = s;
    return true;
}

void selfcheck_unload(void)
{
    sc_free(loaded);
    loaded = NULL;
}

const sc_set *selfcheck_set(void)
{
    return loaded;
}

static enum sc_sex parse_sex(const char *s)
{
    if (!s || !*s)
        return SC_SEX_NONE;
    if (!strcmp(s, "male"))
        return SC_SEX_MALE;
    if (!strcmp(s, "female"))
        return SC_SEX_FEMALE;
    if (!strcmp(s, "other"))
        return SC_SEX_OTHER;
    return SC_SEX_NONE;
}

static int max_option(const sc_question *q)
{
    int m = 0;
    for (int k = 0; k < q->noptions; k++)
        if (q->options[k].score > m)
            m = q->options[k].score;
    return m;
}

bool sc_score(const sc_check *c, const char *const *answers, const char *sex, sc_result *r)
{
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < c->nquestions; i++) {
        const sc_question *q = &c->questions[i];
        long idx;
        r->max_score += max_option(q);
        if (!answers[i] || !parse_long(answers[i], 0, q->noptions - 1, &idx)) {
            r->missing[r->nmissing++] = i;
            continue;
        }
        r->score += q->options[idx].score;
        if (q->positive_from >= 0 && idx >= q->positive_from)
            r->positives[r->npositives++] = i;
    }
    if (c->cutoff_male > 0) {
        enum sc_sex s = parse_sex(sex);
        r->sex_missing = s == SC_SEX_NONE;
        r->has_cutoff = true;
        /* Anything but "male" uses the lower (women's) cut-off: the cautious choice. */
        r->cutoff = s == SC_SEX_MALE ? c->cutoff_male : c->cutoff_female;
    }
    if (r->nmissing || r->sex_missing)
        return false;
    r->positive = r->has_cutoff && r->score >= r->cutoff;
    for (int b = 0; b < c->nbands; b++)
        if (r->score >= c->bands[b].min && r->score <= c->bands[b].max) {
            r->band = &c->bands[b];
            break;
        }
    return true;
}
