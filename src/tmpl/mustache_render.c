/* mustache_render: renders a compiled template (mustache_int.h) against a
 * jansson value: name lookup on the context stack, escaping, sections,
 * partials, parents and block overrides, and the indentation of standalone
 * partials and blocks, applied line by line while writing so the shared
 * tree is never modified. Bounded by MUS_MAX_DEPTH, MAX_LEVELS, MAX_INDENT
 * and the set's step limit; safe from many threads at once. */
#include "tmpl/mustache_int.h"

#include "core/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 512            /* render recursion of any kind */
#define MAX_INDENT (64u * 1024u)  /* indentation bytes one render may build */

/* The context stack, innermost first. */
typedef struct scope {
    json_t *v;
    const struct scope *up;
} scope;

/* Parents being expanded, innermost first; their blocks are overrides. */
typedef struct ovr {
    const node *parent;
    const struct ovr *up;
} ovr;

/* How lines of the template being rendered are indented. */
typedef struct frame {
    size_t ioff, ilen;  /* add rs->ind.data[ioff, ioff + ilen) at line starts */
    const char *strip;  /* and drop this much of each line's leading blanks */
    size_t slen;
    const ovr *ovr;
} frame;

typedef struct rstate {
    const mus_set *set;
    buf *out;
    buf ind;            /* indentation of live frames, outermost first */
    unsigned depth;     /* partial, parent and override nesting */
    unsigned levels;    /* all render recursion */
    unsigned long steps;
    bool bol;           /* nothing written yet on this output line */
    bool fail;
} rstate;

static void render_nodes(rstate *rs, const frame *fr, const scope *sc, const node *parent);

static void emit(rstate *rs, const char *p, size_t n, bool esc)
{
    if (n == 0)
        return;
    if (esc)
        esc_html(rs->out, p, n);
    else
        buf_append(rs->out, p, n);
    rs->bol = p[n - 1] == '\n';
}

/* At the start of a source line: adds the frame's indentation and skips
 * the blanks the frame strips. Returns where the line's text now starts. */
static const char *line_start(rstate *rs, const frame *fr, const char *p, const char *end)
{
    if (rs->bol && fr->ilen)
        emit(rs, rs->ind.data + fr->ioff, fr->ilen, false);
    size_t k = 0;
    while (k < fr->slen && p + k < end && p[k] == fr->strip[k])
        k++;
    return p + k;
}

static void render_text(rstate *rs, const frame *fr, const node *nd)
{
    const char *p = nd->str, *end = p + nd->len;
    if (fr->ilen == 0 && fr->slen == 0) {
        emit(rs, p, nd->len, false);
        return;
    }
    bool at_line = nd->bol;
    do {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl + 1 : end;
        if (at_line)
            p = line_start(rs, fr, p, le);
        emit(rs, p, (size_t)(le - p), false);
        p = le;
        at_line = true;
    } while (p < end);
}

/* Name resolution as the spec says: the first part walks the context
 * stack, the other parts look only inside what the previous one found. */
static json_t *lookup(const scope *sc, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return sc->v;
    const char *dot = memchr(name, '.', len);
    size_t first = dot ? (size_t)(dot - name) : len;
    json_t *v = NULL;
    for (; sc && !v; sc = sc->up) {
        if (json_is_object(sc->v))
            v = json_object_getn(sc->v, name, first);
    }
    while (v && dot) {
        const char *part = dot + 1;
        size_t rest = len - (size_t)(part - name);
        dot = memchr(part, '.', rest);
        size_t plen = dot ? (size_t)(dot - part) : rest;
        v = json_is_object(v) ? json_object_getn(v, part, plen) : NULL;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_false(v) || json_is_null(v))
        return false;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return true;
}

/* Shortest %g form that reads back as the same double: 1.21, not
 * 1.2099999999999999645. */
static size_t format_real(double d, char *tmp, size_t cap)
{
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(tmp, cap, "%.*g", prec, d);
        if (n > 0 && (size_t)n < cap && strtod(tmp, NULL) == d)
            return (size_t)n;
    }
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static void emit_value(rstate *rs, json_t *v, bool esc)
{
    char tmp[64];
    int n;
    switch (json_typeof(v)) {
    case JSON_STRING:
        emit(rs, json_string_value(v), json_string_length(v), esc);
        break;
    case JSON_INTEGER:
        n = snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        if (n > 0 && (size_t)n < sizeof tmp)
            emit(rs, tmp, (size_t)n, false);
        break;
    case JSON_REAL:
        emit(rs, tmp, format_real(json_real_value(v), tmp, sizeof tmp), false);
        break;
    case JSON_TRUE:
        emit(rs, "true", 4, false);
        break;
    case JSON_FALSE:
        emit(rs, "false", 5, false);
        break;
    default:
        break; /* null, objects and arrays print nothing */
    }
}

static void render_section(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    json_t *v = lookup(sc, nd->str, nd->len);
    if (json_is_array(v)) {
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n && !rs->fail && !rs->out->overflow; i++) {
            scope sub = {json_array_get(v, i), sc};
            render_nodes(rs, fr, &sub, nd);
        }
    } else if (truthy(v)) {
        scope sub = {v, sc};
        render_nodes(rs, fr, &sub, nd);
    }
}

/* Renders body's children in a new frame. With indent the frame's
 * indentation is the current one plus site->ind (less what the current
 * frame strips); without, it has none. Counts toward MUS_MAX_DEPTH. */
static void expand(rstate *rs, const frame *fr, const scope *sc, const node *site,
                   bool indent, const node *body, const node *strip, const ovr *o)
{
    if (rs->depth >= MUS_MAX_DEPTH) {
        rs->fail = true;
        return;
    }
    size_t mark = rs->ind.len;
    frame sub = {mark, 0, NULL, 0, o};
    if (strip) {
        sub.strip = strip->ind;
        sub.slen = strip->ind_len;
    }
    if (indent) {
        size_t k = 0;
        while (k < fr->slen && k < site->ind_len && site->ind[k] == fr->strip[k])
            k++;
        buf_append(&rs->ind, site->ind + k, site->ind_len - k);
        sub.ioff = fr->ioff;
        sub.ilen = rs->ind.len - fr->ioff;
    }
    if (rs->ind.overflow) {
        rs->fail = true;
        return;
    }
    rs->depth++;
    render_nodes(rs, &sub, sc, body);
    rs->depth--;
    rs->ind.len = mark;
    if (rs->ind.data)
        rs->ind.data[mark] = '\0';
}

static void render_partial(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    const tmpl *t = mus_set_get(rs->set, nd->str, nd->len);
    if (t)
        expand(rs, fr, sc, nd, nd->standalone, t->root, NULL, fr->ovr);
}

static void render_parent(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    const tmpl *t = mus_set_get(rs->set, nd->str, nd->len);
    ovr o = {nd, fr->ovr};
    if (t)
        expand(rs, fr, sc, nd, nd->standalone, t->root, NULL, &o);
}

/* The outermost override of block blk among the parents being expanded. */
static const node *find_override(const ovr *o, const node *blk)
{
    const node *found = NULL;
    for (; o; o = o->up) {
        for (size_t i = 0; i < o->parent->nkids; i++) {
            const node *k = o->parent->kids[i];
            if (k->kind == N_BLOCK && k->len == blk->len &&
                memcmp(k->str, blk->str, blk->len) == 0)
                found = k;
        }
    }
    return found;
}

static void render_block(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    const node *over = find_override(fr->ovr, nd);
    if (over)
        expand(rs, fr, sc, nd, true, over, over, fr->ovr);
    else
        render_nodes(rs, fr, sc, nd);
}

static void render_node(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    if (++rs->steps > rs->set->max_steps) {
        rs->fail = true;
        return;
    }
    json_t *v;
    switch (nd->kind) {
    case N_TEXT:
        render_text(rs, fr, nd);
        break;
    case N_VAR:
    case N_RAW:
        v = lookup(sc, nd->str, nd->len);
        if (v)
            emit_value(rs, v, nd->kind == N_VAR);
        break;
    case N_SECTION:
        render_section(rs, fr, sc, nd);
        break;
    case N_INVERTED:
        if (!truthy(lookup(sc, nd->str, nd->len)))
            render_nodes(rs, fr, sc, nd);
        break;
    case N_PARTIAL:
        render_partial(rs, fr, sc, nd);
        break;
    case N_PARENT:
        render_parent(rs, fr, sc, nd);
        break;
    case N_BLOCK:
        render_block(rs, fr, sc, nd);
        break;
    case N_ROOT:
        break;
    }
}

static void render_nodes(rstate *rs, const frame *fr, const scope *sc, const node *parent)
{
    if (++rs->levels > MAX_LEVELS)
        rs->fail = true;
    for (size_t i = 0; i < parent->nkids && !rs->fail && !rs->out->overflow; i++)
        render_node(rs, fr, sc, parent->kids[i]);
    rs->levels--;
}

bool mus_render(const mus_set *s, const char *name, json_t *ctx, buf *out)
{
    if (!s || !name || !out)
        return false;
    const tmpl *t = mus_set_get(s, name, strlen(name));
    if (!t)
        return false;
    rstate rs;
    memset(&rs, 0, sizeof rs);
    rs.set = s;
    rs.out = out;
    rs.bol = true;
    buf_init(&rs.ind, MAX_INDENT);
    scope root = {ctx, NULL};
    frame fr = {0, 0, NULL, 0, NULL};
    render_nodes(&rs, &fr, &root, t->root);
    buf_free(&rs.ind);
    return !rs.fail && !out->overflow;
}
