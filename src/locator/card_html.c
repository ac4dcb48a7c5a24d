/* card_html: a results card rendered once, in pieces, and filled in per
 * request. See card_html.h. */
#include "locator/card_html.h"
#include "core/escape.h"
#include "core/util.h"
#include "locator/listing.h"
#include "locator/locator.h"

#include <stdlib.h>
#include <string.h>

#define PARTIAL "partials/listing"
#define MARK_NUMBER "\x01number\x01"
#define MARK_DISTANCE "\x01distance\x01"
#define MARK_HOURS "\x01hours\x01"

enum slot_kind { SLOT_NUMBER, SLOT_DISTANCE, SLOT_HOURS, SLOT_OPEN, SLOT_CHIPS, NSLOTS };

/* A place in the fixed text where the request writes: text[from, to) is
 * replaced (for SLOT_OPEN it is the closed rendering's text). */
typedef struct slot {
    enum slot_kind kind;
    size_t from, to;
} slot;

struct card_html {
    char *text; /* the card rendered with "closed" and no chips */
    size_t len;
    slot slots[NSLOTS];
    int nslots;      /* in text order */
    char *open_text; /* what SLOT_OPEN says when open */
    size_t open_len;
    size_t nchips;
    char **chip_html;
    size_t *chip_len;
    uint64_t *chip_bit; /* loc_code_bit of each chip's code (0: not a code) */
};

static char *render(const mus_set *set, json_t *ctx, size_t *len)
{
    buf b = BUF_INIT;
    if (!mus_render(set, PARTIAL, ctx, &b) || b.overflow) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data)
        buf_puts(&b, "");
    return buf_detach(&b, len);
}

/* Where two renderings differ: a[p, la - s) against b[p, lb - s). */
static void diff(const char *a, size_t la, const char *b, size_t lb, size_t *p, size_t *s)
{
    size_t m = la < lb ? la : lb, i = 0, j = 0;
    while (i < m && a[i] == b[i])
        i++;
    while (j < m - i && a[la - 1 - j] == b[lb - 1 - j])
        j++;
    *p = i;
    *s = j;
}

/* The one place of mark in text, or false when it is not there once. */
static bool find_once(const char *text, size_t len, const char *mark, size_t *at)
{
    size_t ml = strlen(mark), found = 0;
    for (size_t i = 0; i + ml <= len; i++)
        if (text[i] == mark[0] && !memcmp(text + i, mark, ml)) {
            *at = i;
            found++;
        }
    return found == 1;
}

/* Whether point slot a (where text goes in) starts where slot b does or
 * lies inside it: then which comes first is not known. */
static bool touches(const slot *a, const slot *b)
{
    return a->from == a->to && (a->from == b->from || (b->from < a->from && a->from < b->to));
}

static bool add_slot(card_html *h, enum slot_kind kind, size_t from, size_t to)
{
    slot n = {kind, from, to};
    for (int i = 0; i < h->nslots; i++) {
        const slot *o = &h->slots[i];
        if ((from < o->to && o->from < to) || touches(&n, o) || touches(o, &n))
            return false;
    }
    int k = h->nslots++;
    while (k > 0 && h->slots[k - 1].from > from) {
        h->slots[k] = h->slots[k - 1];
        k--;
    }
    h->slots[k] = n;
    return true;
}

static bool mark_slot(card_html *h, enum slot_kind kind, const char *mark)
{
    size_t at;
    return find_once(h->text, h->len, mark, &at) && add_slot(h, kind, at, at + strlen(mark));
}

/* The open-now slot: the rendering with open_now true against text. */
static bool open_slot(card_html *h, const mus_set *set, json_t *ctx)
{
    json_object_set_new(ctx, "open_now", json_true());
    size_t len, p, s;
    char *open = render(set, ctx, &len);
    json_object_set_new(ctx, "open_now", json_false());
    if (!open)
        return false;
    diff(h->text, h->len, open, len, &p, &s);
    if (p == h->len && p == len) { /* the partial does not say */
        free(open);
        return true;
    }
    h->open_len = len - s - p;
    h->open_text = xmalloc(h->open_len + 1);
    memcpy(h->open_text, open + p, h->open_len);
    h->open_text[h->open_len] = '\0';
    free(open);
    return add_slot(h, SLOT_OPEN, p, h->len - s);
}

/* Each chip's HTML: the rendering with only that chip against text; every
 * chip must go in at the same place. */
static bool chip_slots(card_html *h, const mus_set *set, json_t *ctx, json_t *chips)
{
    h->nchips = json_array_size(chips);
    if (!h->nchips)
        return true;
    h->chip_html = xcalloc(h->nchips, sizeof(char *));
    h->chip_bit = xcalloc(h->nchips, sizeof(uint64_t));
    h->chip_len = xcalloc(h->nchips, sizeof(size_t));
    size_t at = 0;
    for (size_t i = 0; i < h->nchips; i++) {
        json_object_set_new(ctx, "top_chips", json_pack("[O]", json_array_get(chips, i)));
        size_t len, p, s;
        char *one = render(set, ctx, &len);
        if (!one)
            return false;
        diff(h->text, h->len, one, len, &p, &s);
        bool ok = p + s == h->len && (i == 0 || p == at) && len > h->len;
        at = p;
        h->chip_len[i] = len - h->len;
        h->chip_html[i] = xmalloc(h->chip_len[i] + 1);
        memcpy(h->chip_html[i], one + p, h->chip_len[i]);
        h->chip_html[i][h->chip_len[i]] = '\0';
        const char *code = json_string_value(json_object_get(json_array_get(chips, i), "code"));
        h->chip_bit[i] = code ? loc_code_bit(code) : 0;
        free(one);
        if (!ok)
            return false;
    }
    json_object_set_new(ctx, "top_chips", json_array());
    return add_slot(h, SLOT_CHIPS, at, at);
}

/* listing_focus's choice (listing_top_chips) by the codes' bits: codes
 * have one bit each, so equal bits are equal codes. */
static size_t top_chips(const card_html *h, uint64_t what, uint64_t attrs, size_t out[LISTING_TOP_CHIPS])
{
    size_t got = 0;
    for (int pass = 0; pass < 3 && got < LISTING_TOP_CHIPS; pass++)
        for (size_t i = 0; i < h->nchips && got < LISTING_TOP_CHIPS; i++) {
            uint64_t b = h->chip_bit[i];
            bool is_what = b && b == what, asked = (b & attrs) != 0;
            if (pass == 0 ? is_what : pass == 1 ? asked && !is_what : !is_what && !asked)
                out[got++] = i;
        }
    return got;
}

static void put_number(buf *out, long n)
{
    char s[ULONG_DIGITS];
    size_t k = ulong_digits(n < 0 ? 0 : (unsigned long)n, s);
    buf_append(out, s, k);
}

void card_html_join(const card_html *h, const card_fill *f, buf *out)
{
    size_t at = 0;
    for (int i = 0; i < h->nslots; i++) {
        const slot *sl = &h->slots[i];
        buf_append(out, h->text + at, sl->from - at);
        at = sl->to;
        switch (sl->kind) {
        case SLOT_NUMBER: put_number(out, f->number); break;
        case SLOT_DISTANCE: esc_html_str(out, f->distance ? f->distance : ""); break;
        case SLOT_HOURS: esc_html_str(out, f->hours ? f->hours : ""); break;
        case SLOT_OPEN:
            if (f->open)
                buf_append(out, h->open_text, h->open_len);
            else
                buf_append(out, h->text + sl->from, sl->to - sl->from);
            break;
        default: {
            size_t pick[LISTING_TOP_CHIPS];
            size_t n = top_chips(h, f->what, f->attrs, pick);
            for (size_t k = 0; k < n; k++)
                buf_append(out, h->chip_html[pick[k]], h->chip_len[pick[k]]);
        }
        }
    }
    buf_append(out, h->text + at, h->len - at);
}

/* The rendering with "open now", number 7, values that need escaping and
 * the first chips must be the pieces joined (so a partial that writes a
 * value unescaped, or twice, is not kept in pieces). */
static bool joins_right(const card_html *h, const mus_set *set, json_t *ctx, json_t *chips)
{
    static const char distance[] = "<1 & 2> mi", hours_text[] = "\"Open\" 'til 5";
    json_t *top = json_array();
    for (size_t i = 0; i < h->nchips && i < LISTING_TOP_CHIPS; i++)
        json_array_append(top, json_array_get(chips, i));
    json_object_set_new(ctx, "top_chips", top);
    json_object_set_new(ctx, "open_now", json_true());
    json_object_set_new(ctx, "number", json_integer(7)); /* a number, as on the page */
    json_object_set_new(ctx, "distance", json_string(distance));
    json_object_set_new(ctx, "hours_now", json_string(hours_text));
    size_t len;
    char *want = render(set, ctx, &len);
    if (!want)
        return false;
    card_fill f = {7, distance, hours_text, true, 0, 0};
    buf b = BUF_INIT;
    card_html_join(h, &f, &b);
    bool same = b.len == len && !memcmp(b.data ? b.data : "", want, len);
    buf_free(&b);
    free(want);
    return same;
}

card_html *card_html_build(const mus_set *set, json_t *d)
{
    if (!set || !d || !mus_set_has(set, PARTIAL))
        return NULL;
    json_t *ctx = json_copy(d); /* shallow: d's values are only read */
    listing_focus(ctx, NULL, NULL, 0);
    json_t *chips = json_incref(json_object_get(ctx, "chips"));
    json_object_set_new(ctx, "number", json_string(MARK_NUMBER));
    json_object_set_new(ctx, "distance", json_string(MARK_DISTANCE));
    json_object_set_new(ctx, "hours_now", json_string(MARK_HOURS));
    json_object_set_new(ctx, "open_now", json_false());
    json_object_set_new(ctx, "top_chips", json_array());
    card_html *h = xcalloc(1, sizeof(*h));
    h->text = render(set, ctx, &h->len);
    bool ok = h->text && mark_slot(h, SLOT_NUMBER, MARK_NUMBER) && mark_slot(h, SLOT_DISTANCE, MARK_DISTANCE) &&
              mark_slot(h, SLOT_HOURS, MARK_HOURS) && open_slot(h, set, ctx) && chip_slots(h, set, ctx, chips) &&
              joins_right(h, set, ctx, chips);
    json_decref(chips);
    json_decref(ctx);
    if (!ok) {
        card_html_free(h);
        return NULL;
    }
    return h;
}

size_t card_html_size(const card_html *h)
{
    size_t n = sizeof(*h) + h->len + 1 + h->open_len + h->nchips * (sizeof(char *) + sizeof(size_t) + sizeof(uint64_t));
    for (size_t i = 0; i < h->nchips; i++)
        n += h->chip_len[i] + 1;
    return n;
}

void card_html_free(card_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->chip_html && i < h->nchips; i++)
        free(h->chip_html[i]);
    free(h->chip_html);
    free(h->chip_bit);
    free(h->chip_len);
    free(h->open_text);
    free(h->text);
    free(h);
}
