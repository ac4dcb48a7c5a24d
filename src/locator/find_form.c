/* find_form: the finder form's choices, rendered once per language and
 * template set and joined per request. See find_form.h. */
#include "locator/find_form.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/util.h"
#include "locator/card_cache.h"
#include "locator/locator.h"
#include "locator/shortcuts.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARTIAL "partials/find-choices"

const int find_form_radii[] = {5, 10, 25, 50, 100, 250};
const int find_form_nradii = (int)(sizeof(find_form_radii) / sizeof(find_form_radii[0]));

typedef struct piece {
    char *off, *on; /* the choice not selected, and selected */
    size_t off_len, on_len;
} piece;

typedef struct pieces {
    const mus_set *set; /* NULL: nothing kept */
    piece *codes;       /* loc_codes' order: kinds of service and filters */
    int ncodes;
    piece *langs;
    char *shortcuts;
    size_t shortcuts_len;
} pieces;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static pieces kept[I18N_MAX_LANGS];
static atomic_ulong renders, hits;

/* The partial with ctx (taken), without the file's final newline. */
static char *render(const mus_set *set, json_t *ctx, size_t *len)
{
    buf b = BUF_INIT;
    bool ok = mus_render(set, PARTIAL, ctx, &b) && !b.overflow;
    json_decref(ctx);
    if (ok && b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = '\0';
    if (!ok) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data)
        buf_puts(&b, "");
    return buf_detach(&b, len);
}

/* ctx for one choice: {list: [item with "on"]}. */
static json_t *one(const char *list, json_t *item, bool on)
{
    json_object_set_new(item, "on", json_boolean(on));
    json_t *ctx = json_object();
    json_object_set_new(ctx, list, json_pack("[O]", item));
    return ctx;
}

static bool render_piece(const mus_set *set, const char *list, json_t *item, piece *p)
{
    p->off = render(set, one(list, item, false), &p->off_len);
    p->on = render(set, one(list, item, true), &p->on_len);
    json_decref(item);
    return p->off && p->on;
}

static void pieces_free(pieces *ps)
{
    for (int i = 0; ps->codes && i < ps->ncodes; i++) {
        free(ps->codes[i].off);
        free(ps->codes[i].on);
    }
    for (int i = 0; ps->langs && i < card_nlanguages; i++) {
        free(ps->langs[i].off);
        free(ps->langs[i].on);
    }
    free(ps->codes);
    free(ps->langs);
    free(ps->shortcuts);
    memset(ps, 0, sizeof(*ps));
}

static json_t *labelled(const char *code, const char *label)
{
    return json_pack("{s:s, s:s}", "code", code, "label", label);
}

/* Renders every piece of language lang with set into ps. */
static bool pieces_render(pieces *ps, const mus_set *set, int lang)
{
    memset(ps, 0, sizeof(*ps));
    atomic_fetch_add(&renders, 1);
    ps->ncodes = loc_ncodes;
    ps->codes = xcalloc((size_t)loc_ncodes + 1, sizeof(piece));
    ps->langs = xcalloc((size_t)card_nlanguages + 1, sizeof(piece));
    bool ok = true;
    for (int i = 0; ok && i < loc_ncodes; i++)
        ok = render_piece(set, loc_codes[i].attribute ? "attrs" : "whats",
                          labelled(loc_codes[i].code, i18n_tr(lang, loc_codes[i].label)), &ps->codes[i]);
    for (int i = 0; ok && i < card_nlanguages; i++)
        ok = render_piece(set, "languages", labelled(card_languages[i].code, i18n_tr(lang, card_languages[i].label)),
                          &ps->langs[i]);
    json_t *sc = json_array();
    for (size_t i = 0; i < shortcuts_count(); i++) {
        char href[64];
        snprintf(href, sizeof(href), "/find/%s", shortcuts_at(i)->slug);
        json_array_append_new(sc, json_pack("{s:s, s:s}", "href", href, "title", i18n_tr(lang, shortcuts_at(i)->title)));
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "shortcuts", sc);
    ps->shortcuts = ok ? render(set, ctx, &ps->shortcuts_len) : (json_decref(ctx), NULL);
    ok = ok && ps->shortcuts;
    if (!ok)
        pieces_free(ps);
    else
        ps->set = set;
    return ok;
}

static bool attr_on(const find_form_choice *ch, const char *code)
{
    for (int i = 0; i < ch->nattrs; i++)
        if (!strcmp(ch->attrs[i], code))
            return true;
    return false;
}

static void put(buf *b, const piece *p, bool on)
{
    buf_append(b, on ? p->on : p->off, on ? p->on_len : p->off_len);
}

static void set_html(json_t *d, const char *key, buf *b)
{
    json_object_set_new(d, key, json_stringn_nocheck(b->data ? b->data : "", b->len));
    buf_reset(b);
}

/* Joins the pieces for ch into d. */
static void join(const pieces *ps, const find_form_choice *ch, json_t *d)
{
    buf b = BUF_INIT;
    for (int i = 0; i < ps->ncodes; i++)
        if (!loc_codes[i].attribute)
            put(&b, &ps->codes[i], ch->what && !strcmp(ch->what, loc_codes[i].code));
    set_html(d, "whats_html", &b);
    json_t *radii = json_array(); /* a few objects: their words are in find.mustache */
    for (int i = 0; i < find_form_nradii; i++) {
        json_t *r = json_object(); /* not json_pack: it reads its format on every call */
        json_object_set_new(r, "miles", json_integer(find_form_radii[i]));
        json_object_set_new(r, "on", json_boolean(find_form_radii[i] == ch->miles));
        json_array_append_new(radii, r);
    }
    json_object_set_new(d, "radii", radii);
    for (int i = 0; i < ps->ncodes; i++)
        if (loc_codes[i].attribute)
            put(&b, &ps->codes[i], attr_on(ch, loc_codes[i].code));
    set_html(d, "attrs_html", &b);
    for (int i = 0; i < card_nlanguages; i++)
        put(&b, &ps->langs[i], ch->lang && !strcmp(ch->lang, card_languages[i].code));
    set_html(d, "languages_html", &b);
    buf_append(&b, ps->shortcuts, ps->shortcuts_len);
    set_html(d, "shortcuts_html", &b);
    buf_free(&b);
}

bool find_form_html(const mus_set *set, int lang, const find_form_choice *ch, json_t *d)
{
    if (lang < 0 || lang >= I18N_MAX_LANGS) { /* not kept */
        pieces ps;
        if (!pieces_render(&ps, set, lang))
            return false;
        join(&ps, ch, d);
        pieces_free(&ps);
        return true;
    }
    pthread_rwlock_rdlock(&lock);
    if (set && kept[lang].set == set) {
        join(&kept[lang], ch, d);
        pthread_rwlock_unlock(&lock);
        atomic_fetch_add(&hits, 1);
        return true;
    }
    pthread_rwlock_unlock(&lock);
    pieces ps;
    if (!set || !pieces_render(&ps, set, lang))
        return false;
    join(&ps, ch, d);
    pthread_rwlock_wrlock(&lock); /* kept for the next request: this set is the newest one seen */
    pieces_free(&kept[lang]);
    kept[lang] = ps;
    pthread_rwlock_unlock(&lock);
    return true;
}

void find_form_stats(unsigned long *r, unsigned long *h)
{
    *r = atomic_load(&renders);
    *h = atomic_load(&hits);
}

void find_form_clear(void)
{
    pthread_rwlock_wrlock(&lock);
    for (int i = 0; i < I18N_MAX_LANGS; i++)
        pieces_free(&kept[i]);
    pthread_rwlock_unlock(&lock);
}
