/* selfcheck_pages: the questionnaire list, forms and results.
 *
 * Languages: data/selfchecks.json is English; every text of it a visitor
 * reads (questions, answers, bands, advice) is looked up in the catalog at
 * render (tr below), and a check's "translations" note for the language
 * says which version the questions are (validated or our own). The answers
 * are posted as option indexes, so the score does not depend on the
 * language. */
#include "recovery/selfcheck_pages.h"
#include "pages/pages.h"
#include "core/i18n.h"
#include "core/util.h"
#include "recovery/selfcheck.h"
#include "pages/hooks.h"
#include "pages/site.h"
#include "pages/view.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A data text in lang: the catalog's translation of the English. */
static const char *tr(int lang, const char *english)
{
    return lang == I18N_SOURCE || !english || !*english ? english : i18n_tr(lang, english);
}

/* Adds the intro page's text and sources (content/self-check.md, or its
 * translation), marking an English page shown in another language. */
static void add_intro(json_t *d, const request *rq, const char *path)
{
    site *s = site_acquire();
    bool fallback = false;
    const page *p = s ? site_page(s, rq->lang, path, &fallback) : NULL;
    if (p)
        pages_add_intro(d, p);
    if (p && fallback) {
        json_object_set_new(d, "untranslated", json_true());
        jset_str(d, "content_lang", "en");
    }
    if (s)
        site_release(s);
}

/* The note on which version of c the page shows, for a language other
 * than English. */
static void add_translation(json_t *d, const request *rq, const sc_check *c)
{
    const sc_translation *t = rq->lang == I18N_SOURCE ? NULL : sc_translation_for(c, i18n_code(rq->lang));
    if (t) {
        jset_str(d, "translation", t->note);
        json_object_set_new(d, "translation_validated", json_boolean(t->validated));
    }
}

void selfcheck_index(request *rq, response *rs)
{
    const sc_set *set = selfcheck_set();
    json_t *d = view_data(rq, T(rq, "Self-checks"));
    add_intro(d, rq, "/self-check");
    json_t *list = json_array();
    for (int i = 0; set && i < set->nchecks; i++) {
        json_t *o = json_object();
        char href[96];
        snprintf(href, sizeof(href), "/self-check/%s", set->checks[i].slug);
        jset_str(o, "href", href);
        jset_str(o, "title", tr(rq->lang, set->checks[i].title));
        jset_str(o, "about", tr(rq->lang, set->checks[i].about));
        json_object_set_new(o, "questions", json_integer(set->checks[i].nquestions));
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "checks", list);
    view_page(rq, rs, "self-check", d);
}

static bool in_list(const int *list, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (list[i] == v)
            return true;
    return false;
}

/* The questions with their options, the posted choices kept and the
 * unanswered ones marked. */
static json_t *questions_json(int lang, const sc_check *c, const char *const *answers, const sc_result *r)
{
    json_t *list = json_array();
    for (int i = 0; i < c->nquestions; i++) {
        const sc_question *q = &c->questions[i];
        json_t *o = json_object(), *opts = json_array();
        jset_str(o, "id", q->id);
        jset_str(o, "text", tr(lang, q->text));
        json_object_set_new(o, "number", json_integer(i + 1));
        json_object_set_new(o, "invalid", json_boolean(r && in_list(r->missing, r->nmissing, i)));
        for (int k = 0; k < q->noptions; k++) {
            json_t *opt = json_object();
            char val[16], oid[80];
            snprintf(val, sizeof(val), "%d", k);
            snprintf(oid, sizeof(oid), "%s-%d", q->id, k);
            jset_str(opt, "value", val);
            jset_str(opt, "id", oid);
            jset_str(opt, "name", q->id);
            jset_str(opt, "label", tr(lang, q->options[k].label));
            json_object_set_new(opt, "checked", json_boolean(answers && answers[i] && !strcmp(answers[i], val)));
            json_array_append_new(opts, opt);
        }
        json_object_set_new(o, "options", opts);
        json_array_append_new(list, o);
    }
    return list;
}

/* The pathways, checks and lines a result's advice names, and where they
 * are on this site: each phrase becomes a link the first time it appears.
 * Phrases that are words are translated (tr true) and found in the
 * translated advice, so a translation of the advice must use the same
 * translation of the phrase (po/parts: "Moderation approaches" is
 * "Enfoques de moderación" in both). */
static const struct {
    const char *phrase, *href;
    bool tr;
} next_links[] = {
    {N_("Moderation approaches"), "/recovery/moderation", true},
    {N_("Recovery pathways"), "/recovery", true},
    {N_("naltrexone or acamprosate"), "/recovery/maud", true},
    {N_("naltrexone"), "/recovery/maud", true},
    {N_("buprenorphine or methadone"), "/recovery/moud", true},
    {N_("peer support"), "/recovery/peer-recovery-coaching", true},
    {N_("full AUDIT"), "/self-check/audit", true},
    {N_("the AUDIT"), "/self-check/audit", true},
    {N_("the DAST-10"), "/self-check/dast-10", true},
    {"DAST-10", "/self-check/dast-10", false},
    {"TAPS-1", "/self-check/taps-1", false},
    {"1-800-662-4357", "tel:+18006624357", false},
    {"1-800-QUIT-NOW", "tel:+18007848669", false},
};
#define NNEXT_LINKS (sizeof(next_links) / sizeof(next_links[0]))

static void add_part(json_t *parts, const char *text, size_t len, const char *href)
{
    if (!len)
        return;
    json_t *o = json_object();
    json_object_set_new(o, "text", json_stringn(text, len));
    if (href)
        jset_str(o, "href", href);
    json_array_append_new(parts, o);
}

static const char *link_phrase(int lang, size_t k)
{
    return next_links[k].tr ? tr(lang, next_links[k].phrase) : next_links[k].phrase;
}

/* text (in lang) split into plain parts and linked phrases (next_links). */
static json_t *next_parts(int lang, const char *text)
{
    json_t *parts = json_array();
    bool used[NNEXT_LINKS] = {false};
    const char *start = text, *p = text;
    while (*p) {
        size_t k = 0;
        for (; k < NNEXT_LINKS; k++) {
            size_t n = strlen(link_phrase(lang, k));
            if (!used[k] && !strncmp(p, link_phrase(lang, k), n) && (p == text || p[-1] == ' '))
                break;
        }
        if (k == NNEXT_LINKS) {
            p++;
            continue;
        }
        /* a phrase and its shorter forms are linked once */
        for (size_t j = 0; j < NNEXT_LINKS; j++)
            used[j] |= !strcmp(next_links[j].href, next_links[k].href);
        size_t n = strlen(link_phrase(lang, k));
        add_part(parts, start, (size_t)(p - start), NULL);
        add_part(parts, p, n, next_links[k].href);
        p += n;
        start = p;
    }
    add_part(parts, start, (size_t)(p - start), NULL);
    return parts;
}

static json_t *result_json(int lang, const sc_check *c, const sc_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "score", json_integer(r->score));
    json_object_set_new(o, "max_score", json_integer(r->max_score));
    if (r->band) {
        jset_str(o, "level", tr(lang, r->band->level));
        jset_str(o, "meaning", tr(lang, r->band->meaning));
        json_object_set_new(o, "has_next", json_boolean(r->band->next && *r->band->next));
        json_object_set_new(o, "next_parts", next_parts(lang, r->band->next ? tr(lang, r->band->next) : ""));
    }
    if (r->has_cutoff) {
        json_object_set_new(o, "has_cutoff", json_true());
        json_object_set_new(o, "cutoff", json_integer(r->cutoff));
        json_object_set_new(o, "positive", json_boolean(r->positive));
    }
    bool any_flag = false;
    for (int i = 0; i < c->nquestions; i++)
        any_flag |= c->questions[i].positive_from >= 0;
    if (any_flag) {
        json_t *pos = json_array();
        for (int i = 0; i < r->npositives; i++)
        {
            const sc_question *q = &c->questions[r->positives[i]];
            json_array_append_new(pos, json_string(tr(lang, q->substance[0] ? q->substance : q->text)));
        }
        json_object_set_new(o, "flags", json_true());
        json_object_set_new(o, "positives", pos);
        json_object_set_new(o, "no_positives", json_boolean(r->npositives == 0));
    }
    return o;
}

static void error_summary(json_t *d, const request *rq, const sc_check *c, const sc_result *r)
{
    json_t *list = json_array();
    for (int i = 0; i < r->nmissing; i++) {
        json_t *o = json_object();
        char href[80];
        snprintf(href, sizeof(href), "#%s-0", c->questions[r->missing[i]].id);
        /* the template says "Answer question N" (one message to translate) */
        json_object_set_new(o, "question", json_integer(r->missing[i] + 1));
        jset_str(o, "href", href);
        json_array_append_new(list, o);
    }
    if (r->sex_missing) {
        json_t *o = json_object();
        jset_str(o, "text", T(rq, "Choose an answer about sex assigned at birth"));
        jset_str(o, "href", "#sex-male");
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "errors", list);
    json_object_set_new(d, "has_errors", json_true());
    json_object_set_new(d, "sex_invalid", json_boolean(r->sex_missing));
}

static void check_data(json_t *d, const request *rq, const sc_check *c)
{
    jset_str(d, "slug", c->slug);
    jset_str(d, "name", c->name);
    jset_str(d, "about", tr(rq->lang, c->about));
    jset_str(d, "credit", tr(rq->lang, c->credit));
    jset_str(d, "source_url", c->source_url);
    jset_str(d, "not_a_diagnosis", tr(rq->lang, c->not_a_diagnosis));
    add_translation(d, rq, c);
    json_object_set_new(d, "asks_sex", json_boolean(c->cutoff_male > 0));
}

void selfcheck_form(request *rq, response *rs)
{
    const sc_check *c = sc_find(selfcheck_set(), req_param(rq, "slug"));
    if (!c) {
        resp_error(rq, rs, 404, T(rq, "There is no self-check with that name."));
        return;
    }
    rs->cache_control = "no-store";
    json_t *d = view_data(rq, tr(rq->lang, c->title));
    check_data(d, rq, c);
    if (rq->method != M_POST) {
        json_object_set_new(d, "questions", questions_json(rq->lang, c, NULL, NULL));
        view_page(rq, rs, "self-check-form", d);
        return;
    }
    const char *answers[SC_MAX_QUESTIONS];
    for (int i = 0; i < c->nquestions; i++)
        answers[i] = params_get(&rq->form, c->questions[i].id);
    const char *sex = params_get(&rq->form, "sex");
    sc_result r;
    if (!sc_score(c, answers, sex, &r)) {
        error_summary(d, rq, c, &r);
        json_object_set_new(d, "questions", questions_json(rq->lang, c, answers, &r));
        jset_str(d, "sex_value", sex ? sex : "");
        json_object_set_new(d, "sex_male", json_boolean(sex && !strcmp(sex, "male")));
        json_object_set_new(d, "sex_female", json_boolean(sex && !strcmp(sex, "female")));
        json_object_set_new(d, "sex_other", json_boolean(sex && !strcmp(sex, "other")));
        rs->status = 400;
        view_page(rq, rs, "self-check-form", d);
        return;
    }
    json_object_set_new(d, "result", result_json(rq->lang, c, &r));
    view_page(rq, rs, "self-check-result", d);
}

/* True when q contains any of words (case ignored). */
static bool has_any(const char *q, const char *const *words)
{
    for (; *words; words++)
        for (const char *p = q; *p; p++)
            if (!strncasecmp(p, *words, strlen(*words)))
                return true;
    return false;
}

/* The "search" hook: drinking or drug use with "too much" or "problem"
 * (or "alcoholic", "addicted"; or the same in Spanish) offers the
 * self-checks, alcohol first when
 * the search is about drinking. */
static void search_hook(page_ctx *ctx)
{
    /* English and Spanish words (the search is in the visitor's language) */
    static const char *const alcohol[] = {"drink", "alcohol", "booze", "beber", "bebo", "bebida", "trago", NULL};
    static const char *const drugs[] = {"drug", "using", "pills", "weed", "meth", "opioid",
                                        "droga", "consum", "pastilla", "mota", "opioide", NULL};
    static const char *const worry[] = {"too much", "problem", "alcoholic", "addict", "dependen", "control",
                                        "demasiad", "adicci", "adict", NULL};
    const char *q = hooks_query(ctx);
    int lang = ctx->rq->lang;
    bool drink = has_any(q, alcohol), drug = has_any(q, drugs);
    if (!(drink || drug) || !has_any(q, worry))
        return;
    if (drink)
        hooks_offer(ctx, 20, i18n_tr(lang, "Check your drinking (AUDIT-C)"), "/self-check/audit-c",
                    i18n_tr(lang, "Three private questions, scored at once. Nothing is stored."));
    if (drug)
        hooks_offer(ctx, 21, i18n_tr(lang, "Check your drug use (DAST-10)"), "/self-check/dast-10",
                    i18n_tr(lang, "Ten yes-or-no questions, scored at once. Nothing is stored."));
    hooks_offer(ctx, 22, i18n_tr(lang, "All self-checks"), "/self-check",
                i18n_tr(lang, "Short, private screens for alcohol, drugs and tobacco."));
}

bool selfcheck_pages_register(void)
{
    return hooks_add("search", search_hook);
}
