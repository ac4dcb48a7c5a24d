/* combos_pages: the checker page and the combinations on fact sheets, in
 * the request's language: the labels through the catalog (T), the data's
 * names, levels, explanations, advice and notes through matrix_text (the
 * checker page takes them from combos_view, made once per language). */
#include "substances/combos_pages.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"
#include "substances/combos.h"
#include "substances/combos_view.h"
#include "pages/hooks.h"
#include "pages/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 16

static int gather(const request *rq, char out[][128])
{
    const char *vals[MAX_VALUES];
    int nv = 0;
    static const char *const keys[] = {"s", "substances"};
    for (int k = 0; k < 2; k++) {
        size_t count = params_count(&rq->query, keys[k]);
        for (size_t i = 0; i < count && nv < MAX_VALUES; i++)
            vals[nv++] = params_get_nth(&rq->query, keys[k], i);
    }
    return combos_collect(vals, nv, out, COMBOS_MAX + 1);
}

/* Six inputs, filled with what was asked. */
static json_t *inputs_json(char queries[][128], int n)
{
    json_t *list = json_array();
    for (int i = 0; i < COMBOS_MAX; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "n", json_integer(i + 1));
        jset_str(o, "value", i < n ? queries[i] : "");
        json_array_append_new(list, o);
    }
    return list;
}

/* The result's part of the page: the pairs (shared from the view), the
 * substances as asked, their names, the warning and the link to share. */
static void add_result(json_t *d, const matrix *m, const combos_view *v, int lang, char queries[][128],
                       const combo_plan *p)
{
    json_t *pairs = json_array(), *checked = json_array();
    for (int i = 0; i < p->npairs; i++)
        json_array_append(pairs, combos_view_pair(v, p->pairs[i].a, p->pairs[i].b));
    json_object_set_new(d, "pairs", pairs);
    bool depressant = false;
    buf share = BUF_INIT, names = BUF_INIT;
    buf_puts(&share, "/combos?substances=");
    for (int i = 0; i < p->n; i++) {
        int sub = p->subs[i];
        json_t *s = json_object();
        jset_str(s, "query", queries[i]);
        jset_str(s, "slug", m->subs[sub].slug);
        json_object_set(s, "name", v->names[sub]);
        const char *note = matrix_note_src(m, queries[i]);
        if (note)
            combos_set_text(s, "note", m, lang, note);
        json_array_append_new(checked, s);
        depressant |= matrix_is_depressant(m, sub);
        if (i) {
            buf_puts(&share, "%2C");
            buf_puts(&names, " + ");
        }
        /* a look-alike name keeps its own words, so the shared link keeps its note */
        const char *q = note ? queries[i] : m->subs[sub].slug;
        esc_url(&share, q, strlen(q));
        buf_puts(&names, json_string_value(v->names[sub]));
    }
    json_object_set_new(d, "warning", json_boolean(depressant));
    jset_str(d, "checked_names", buf_cstr(&names));
    buf_free(&names);
    json_object_set_new(d, "checked", checked);
    jset_str(d, "share_url", buf_cstr(&share));
    buf text = BUF_INIT; /* the link as this language serves it: the server prefixes the href, not the text */
    buf_printf(&text, "%s%s", i18n_prefix(lang), buf_cstr(&share));
    jset_str(d, "share_text", buf_cstr(&text));
    buf_free(&text);
    buf_free(&share);
}

/* Links that swap the unknown name for each suggestion. */
static json_t *suggestion_links(const matrix *m, int lang, const combo_error *e, char queries[][128], int n)
{
    json_t *list = json_array();
    for (int k = 0; k < e->nsuggestions; k++) {
        const substance *sub = &m->subs[e->suggestions[k]];
        buf b = BUF_INIT;
        buf_puts(&b, "/combos?substances=");
        for (int i = 0; i < n; i++) {
            const char *q = strcmp(queries[i], e->unknown) ? queries[i] : sub->slug;
            if (i)
                buf_puts(&b, "%2C");
            esc_url(&b, q, strlen(q));
        }
        json_t *o = json_object();
        combos_set_text(o, "name", m, lang, sub->name_src);
        jset_str(o, "href", buf_cstr(&b));
        json_array_append_new(list, o);
        buf_free(&b);
    }
    return list;
}

void combos_page(request *rq, response *rs)
{
    const matrix *m = combos_matrix();
    const combos_view *v = combos_view_of(rq->lang);
    if (!v) { /* a language added after the matrix loaded: not while serving */
        view_error(rq, rs, 500, NULL);
        return;
    }
    char queries[COMBOS_MAX + 1][128];
    int n = gather(rq, queries);
    json_t *d = view_data(rq, T(rq, "Check a drug combination"));
    json_object_set_new(d, "inputs", inputs_json(queries, n));
    json_object_set(d, "levels", v->levels);
    json_object_set(d, "datalist_html", v->datalist_html);
    jset_str(d, "reviewed", m->reviewed);
    char day[64];
    /* English keeps the ISO date it always showed; other languages say it their way ("4 dic 2026") */
    if (rq->lang != I18N_SOURCE && i18n_day(rq->lang, m->reviewed, day, sizeof(day)))
        jset_str(d, "reviewed_text", day);
    else
        jset_str(d, "reviewed_text", m->reviewed);
    if (n == 1) {
        jset_str(d, "notice", T(rq, "Add at least one more substance to check a combination."));
    } else if (n >= 2) {
        combo_error e;
        combo_plan p;
        if (combos_plan_lang(m, rq->lang, queries, n, &p, &e)) {
            add_result(d, m, v, rq->lang, queries, &p);
        } else {
            jset_str(d, "error", e.message);
            json_object_set_new(d, "suggestions", suggestion_links(m, rq->lang, &e, queries, n));
            rs->status = 400;
        }
    }
    view_page(rq, rs, "combos", d);
}

struct sheet_pair {
    int other;
    const cell *c;
};

static int sheet_cmp(const void *x, const void *y)
{
    const struct sheet_pair *a = x, *b = y;
    const matrix *m = combos_matrix();
    int d = m->levels[a->c->level].severity - m->levels[b->c->level].severity;
    return d ? d : a->other - b->other;
}

void combos_add_sheet_data(json_t *d, int lang, const char *slug)
{
    const matrix *m = combos_matrix();
    int me = m ? matrix_resolve(m, slug) : -1;
    if (me < 0 || strcmp(m->subs[me].slug, slug))
        return;
    struct sheet_pair pairs[MATRIX_MAX_SUBS] = {{0, NULL}};
    int n = 0;
    for (int i = 0; i < m->nsubs; i++)
        if (i != me)
            pairs[n++] = (struct sheet_pair){i, matrix_cell(m, me, i)};
    qsort(pairs, (size_t)n, sizeof(pairs[0]), sheet_cmp);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_object();
        const level *lv = &m->levels[pairs[i].c->level];
        combos_set_text(o, "name", m, lang, m->subs[pairs[i].other].name_src);
        jset_str(o, "level", lv->id);
        combos_set_text(o, "level_name", m, lang, lv->name_src);
        combos_set_icon_url(o, lv->id);
        combos_set_text(o, "summary", m, lang, pairs[i].c->summary_src);
        buf b = BUF_INIT;
        buf_printf(&b, "/combos?substances=%s%%2C%s", slug, m->subs[pairs[i].other].slug);
        jset_str(o, "href", buf_cstr(&b));
        buf_free(&b);
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "combos", list);
    combos_set_text(d, "combo_name", m, lang, m->subs[me].name_src);
    jset_str(d, "combo_slug", slug);
}

/* The "page:substances" hook: a fact sheet gets its combinations and the
 * substance template. */
static void sheet_hook(page_ctx *ctx)
{
    if (!str_has_prefix(ctx->p->path, "/substances/"))
        return;
    combos_add_sheet_data(ctx->data, ctx->rq->lang, ctx->p->path + strlen("/substances/"));
    if (!strcmp(ctx->tmpl, "page"))
        str_copy(ctx->tmpl, sizeof(ctx->tmpl), "substance");
}

/* A byte of a word: ASCII letters, digits and dashes, and every byte of
 * a UTF-8 sequence ("cocaína", "éxtasis"). */
static bool word_byte(char c)
{
    return isalnum_ascii(c) || c == '-' || (unsigned char)c >= 0x80;
}

/* Splits q into words (letters, digits, dashes) into words[][32]. */
static int words_of(const char *q, char words[][32], int max)
{
    int n = 0;
    const char *p = q;
    while (*p && n < max) {
        while (*p && !word_byte(*p))
            p++;
        size_t len = 0;
        while (p[len] && word_byte(p[len]))
            len++;
        if (len && len < 32) {
            memcpy(words[n], p, len);
            words[n][len] = '\0';
            n++;
        }
        p += len;
    }
    return n;
}

/* The "search" hook: two or more substance names in a search ("xanax and
 * alcohol", "molly + tranq") offer the checker with them filled in.
 * Names of up to three words are tried, longest first. */
static void search_hook(page_ctx *ctx)
{
    const matrix *m = combos_matrix();
    char words[24][32];
    int nw = m ? words_of(hooks_query(ctx), words, 24) : 0;
    int found[COMBOS_MAX], nf = 0;
    char said[COMBOS_MAX][100]; /* the words of a look-alike name (it has a note), else "" */
    for (int i = 0; i < nw && nf < COMBOS_MAX;) {
        int sub = -1, used = 1;
        char phrase[100] = "";
        for (int len = 3; len >= 1 && sub < 0; len--) {
            if (i + len > nw)
                continue;
            size_t pl = 0;
            for (int k = 0; k < len; k++) {
                size_t wl = strlen(words[i + k]);
                memcpy(phrase + pl, words[i + k], wl); /* 3 words of < 32 bytes fit */
                pl += wl;
            }
            phrase[pl] = '\0';
            sub = pl > 1 ? matrix_resolve_lang(m, ctx->rq->lang, phrase) : -1;
            used = len;
        }
        bool dup = false;
        for (int k = 0; k < nf; k++)
            dup |= found[k] == sub;
        if (sub >= 0 && !dup) {
            said[nf][0] = '\0';
            if (matrix_note(m, phrase))
                str_copy(said[nf], sizeof(said[nf]), phrase);
            found[nf++] = sub;
        }
        i += sub >= 0 ? used : 1;
    }
    if (nf < 2)
        return;
    buf href = BUF_INIT, title = BUF_INIT;
    buf_puts(&href, "/combos?substances=");
    buf_puts(&title, T(ctx->rq, "Check this mix:"));
    buf_putc(&title, ' ');
    for (int k = 0; k < nf; k++) {
        if (k)
            buf_puts(&href, "%2C");
        const char *q = said[k][0] ? said[k] : m->subs[found[k]].slug;
        esc_url(&href, q, strlen(q));
        if (k)
            buf_puts(&title, " + ");
        matrix_text(m, ctx->rq->lang, m->subs[found[k]].name_src, &title);
    }
    hooks_offer(ctx, 10, buf_cstr(&title), buf_cstr(&href),
                T(ctx->rq, "How risky this combination is, and what to do if you mix them."));
    buf_free(&href);
    buf_free(&title);
}

bool combos_pages_register(void)
{
    return hooks_add("page:substances", sheet_hook) && hooks_add("search", search_hook);
}
