/* mustache: compiles Mustache templates into node trees and renders them
 * against jansson values. See mustache.h for the contract.
 *
 * Whitespace rules, as the spec tests require them:
 *  - A tag alone on its line (only blanks around it) is "standalone": the
 *    whole line disappears from the output. Variables never are.
 *  - A parent {{<p}}...{{/p}} is judged as a pair: standalone when the open
 *    tag starts its line and the close tag ends its line, whatever lies
 *    between (text inside a parent is ignored anyway).
 *  - Directly inside a parent, a block's open tag only has to end its line
 *    and its close tag only has to start its line.
 *  - A standalone partial or parent indents every line it renders by the
 *    blanks that preceded its tag.
 *  - A block has an intrinsic indentation: the leading blanks of the line
 *    its content starts on. Override content loses its own intrinsic
 *    indentation and gains that of the block it replaces.
 * Indentation is applied while rendering: a text node knows whether it
 * starts a source line, and the render frame says what to add and what to
 * strip at each line start, so the shared tree is never modified. */
#include "tmpl/mustache.h"

#include "core/escape.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 512            /* render recursion of any kind */
#define MAX_INDENT (64u * 1024u)  /* indentation bytes one render may build */
#define NONE SIZE_MAX

/* ------------------------------------------------------------------------
 * Compiled form
 * ------------------------------------------------------------------------ */

enum kind {
    N_ROOT, N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED,
    N_PARTIAL, N_PARENT, N_BLOCK
};

typedef struct node {
    enum kind kind;
    bool bol;           /* TEXT: starts at the start of a source line */
    bool standalone;    /* PARTIAL, PARENT: indents what it renders */
    const char *str;    /* TEXT: the text; others: the tag name */
    size_t len;
    const char *ind;    /* PARTIAL, PARENT: blanks before the tag;
                           BLOCK: intrinsic indentation */
    size_t ind_len;
    size_t at;          /* source offset of the tag, for errors */
    struct node **kids;
    size_t nkids, cap;
} node;

typedef struct tmpl {
    char *name;
    size_t name_len;
    char *src;          /* every str and ind in the tree points in here */
    node *root;
} tmpl;

struct mus_set {
    tmpl **v;           /* sorted by name */
    size_t n, cap;
    unsigned long max_steps;
};

static node *node_new(enum kind kind, const char *str, size_t len, size_t at)
{
    node *nd = xcalloc(1, sizeof *nd);
    nd->kind = kind;
    nd->str = str;
    nd->len = len;
    nd->at = at;
    return nd;
}

static void node_add(node *parent, node *kid)
{
    if (parent->nkids == parent->cap) {
        parent->cap = parent->cap ? parent->cap * 2 : 4;
        parent->kids = xrealloc(parent->kids, parent->cap * sizeof *parent->kids);
    }
    parent->kids[parent->nkids++] = kid;
}

/* Recursion is bounded by MUS_MAX_NEST. */
static void node_free(node *nd)
{
    if (!nd)
        return;
    for (size_t i = 0; i < nd->nkids; i++)
        node_free(nd->kids[i]);
    free(nd->kids);
    free(nd);
}

static void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    node_free(t->root);
    free(t->src);
    free(t->name);
    free(t);
}

/* ------------------------------------------------------------------------
 * Parser
 * ------------------------------------------------------------------------ */

typedef struct parser {
    const char *tname;
    const char *s;
    size_t n, pos;
    const char *otag, *ctag;        /* current delimiters */
    size_t olen, clen;
    node *stack[MUS_MAX_NEST + 1];  /* open containers; [0] is the root */
    size_t top;
    size_t scanned;     /* line tracking has looked at s[0, scanned) */
    size_t lstart;      /* start of the line holding s[scanned] */
    size_t first_text;  /* first non-blank byte on that line, or NONE */
    char *err;
    size_t errlen;
} parser;

typedef struct tag {
    char type;          /* 0 for a variable, else the sigil */
    size_t start, end;  /* the whole tag, delimiters included */
    size_t cs, ce;      /* raw content */
    const char *name;   /* trimmed content */
    size_t nlen;
    size_t lstart;      /* start of the tag's line */
    size_t first_text;  /* first non-blank byte before the tag, or NONE */
    size_t rend;        /* past trailing blanks and the line end */
    bool lclear, rclear; /* only blanks before / after it on its line */
} tag;

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Prints at most 40 bytes of a name in messages. */
static int short_len(size_t n)
{
    return n > 40 ? 40 : (int)n;
}

static void where(const char *s, size_t at, unsigned long *line, unsigned long *col)
{
    unsigned long l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '\n') {
            l++;
            ls = i + 1;
        }
    }
    *line = l;
    *col = (unsigned long)(at - ls) + 1;
}

/* Writes "name:LINE:COL: message" to the caller's err. Returns false. */
__attribute__((format(printf, 3, 4)))
static bool syntax_error(parser *p, size_t at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long line, col;
    where(p->s, at, &line, &col);
    if (p->err && p->errlen)
        snprintf(p->err, p->errlen, "%s:%lu:%lu: %s", p->tname, line, col, msg);
    return false;
}

static bool match_at(const parser *p, size_t at, const char *d, size_t dn)
{
    return at <= p->n && dn <= p->n - at && memcmp(p->s + at, d, dn) == 0;
}

/* Offset of the first d at or after from; with lead, of a lead byte that
 * is directly followed by d. NONE when there is none. */
static size_t find(const parser *p, size_t from, char lead, const char *d, size_t dn)
{
    size_t need = dn + (lead ? 1 : 0);
    char first = lead ? lead : d[0];
    while (from < p->n && p->n - from >= need) {
        const char *hit = memchr(p->s + from, first, p->n - from - need + 1);
        if (!hit)
            return NONE;
        size_t i = (size_t)(hit - p->s);
        if (match_at(p, i + (lead ? 1 : 0), d, dn))
            return i;
        from = i + 1;
    }
    return NONE;
}

/* Moves line tracking forward to offset to (never backward). */
static void track(parser *p, size_t to)
{
    for (size_t i = p->scanned; i < to; i++) {
        char c = p->s[i];
        if (c == '\n') {
            p->lstart = i + 1;
            p->first_text = NONE;
        } else if (!blank(c) && p->first_text == NONE) {
            p->first_text = i;
        }
    }
    if (to > p->scanned)
        p->scanned = to;
}

static void right_side(const parser *p, tag *t)
{
    size_t i = t->end;
    while (i < p->n && blank(p->s[i]))
        i++;
    t->rclear = true;
    if (i == p->n)
        t->rend = i;
    else if (p->s[i] == '\n')
        t->rend = i + 1;
    else if (p->s[i] == '\r' && i + 1 < p->n && p->s[i + 1] == '\n')
        t->rend = i + 2;
    else {
        t->rclear = false;
        t->rend = t->end;
    }
}

/* Reads the tag whose open delimiter is at ts. */
static bool read_tag(parser *p, size_t ts, tag *t)
{
    size_t cs = ts + p->olen, ce;
    char c = cs < p->n ? p->s[cs] : '\0';
    t->type = (c && strchr("#^/!><$&{=", c)) ? c : 0;
    if (t->type)
        cs++;
    if (t->type == '{' || t->type == '=') {
        ce = find(p, cs, t->type == '{' ? '}' : '=', p->ctag, p->clen);
        t->end = ce == NONE ? NONE : ce + 1 + p->clen;
    } else {
        ce = find(p, cs, 0, p->ctag, p->clen);
        t->end = ce == NONE ? NONE : ce + p->clen;
    }
    if (ce == NONE)
        return syntax_error(p, ts, "unclosed tag");
    t->start = ts;
    t->cs = cs;
    t->ce = ce;
    while (cs < ce && space(p->s[cs]))
        cs++;
    while (ce > cs && space(p->s[ce - 1]))
        ce--;
    t->name = p->s + cs;
    t->nlen = ce - cs;
    track(p, ts);
    t->lstart = p->lstart;
    t->first_text = p->first_text;
    t->lclear = p->first_text == NONE;
    right_side(p, t);
    return true;
}

/* Names are non-empty and blank-free; dotted names also need non-empty
 * parts ("." alone is the implicit iterator). */
static bool check_name(parser *p, const tag *t, bool dotted)
{
    const char *s = t->name;
    size_t n = t->nlen;
    if (n == 0)
        return syntax_error(p, t->start, "empty tag name");
    for (size_t i = 0; i < n; i++) {
        if (space(s[i]))
            return syntax_error(p, t->start, "blank in tag name '%.*s'",
                                short_len(n), s);
    }
    if (!dotted || (n == 1 && s[0] == '.'))
        return true;
    bool bad = s[0] == '.' || s[n - 1] == '.';
    for (size_t i = 1; i < n && !bad; i++)
        bad = s[i] == '.' && s[i - 1] == '.';
    if (bad)
        return syntax_error(p, t->start, "bad dotted name '%.*s'", short_len(n), s);
    return true;
}

/* Whether the tag swallows the blanks before it (left) and the rest of its
 * line including the line end (right). */
static void standalone(const parser *p, const tag *t, bool *left, bool *right)
{
    const node *top = p->stack[p->top];
    bool both = t->lclear && t->rclear;
    *left = *right = false;
    switch (t->type) {
    case 0: case '&': case '{':
        return;
    case '<':
        *left = t->lclear;
        return;
    case '$':
        if (top->kind == N_PARENT) {
            *right = t->rclear;
            return;
        }
        break;
    case '/':
        if (top->kind == N_PARENT) {
            *right = top->standalone && t->rclear;
            return;
        }
        if (top->kind == N_BLOCK && p->top > 0 &&
            p->stack[p->top - 1]->kind == N_PARENT) {
            *left = t->lclear;
            return;
        }
        break;
    default:
        break;
    }
    *left = *right = both;
}

/* Adds s[from, to) as text; from == to adds an empty line-start marker. */
static void add_text(parser *p, size_t from, size_t to)
{
    node *top = p->stack[p->top];
    if (top->kind == N_PARENT)
        return; /* text inside a parent is ignored */
    node *nd = node_new(N_TEXT, p->s + from, to - from, from);
    nd->bol = from == 0 || p->s[from - 1] == '\n';
    node_add(top, nd);
}

static bool add_var(parser *p, const tag *t, enum kind kind)
{
    if (!check_name(p, t, true))
        return false;
    node_add(p->stack[p->top], node_new(kind, t->name, t->nlen, t->start));
    return true;
}

static bool add_partial(parser *p, const tag *t, bool left)
{
    if (!check_name(p, t, false))
        return false;
    node *nd = node_new(N_PARTIAL, t->name, t->nlen, t->start);
    nd->standalone = left;
    nd->ind = p->s + t->lstart;
    nd->ind_len = left ? t->start - t->lstart : 0;
    node_add(p->stack[p->top], nd);
    return true;
}

/* A block's intrinsic indentation: the leading blanks of the line its
 * content starts on. */
static void block_indent(const parser *p, const tag *t, bool right, node *nd)
{
    size_t from, to;
    if (right) {
        from = to = t->rend;
        while (to < p->n && blank(p->s[to]))
            to++;
    } else {
        from = t->lstart;
        to = t->lclear ? t->start : t->first_text;
    }
    nd->ind = p->s + from;
    nd->ind_len = to - from;
}

static const char *kind_word(enum kind kind)
{
    switch (kind) {
    case N_SECTION: return "section";
    case N_INVERTED: return "inverted section";
    case N_PARENT: return "parent";
    case N_BLOCK: return "block";
    default: return "tag";
    }
}

static bool open_tag(parser *p, const tag *t, enum kind kind, bool left, bool right)
{
    if (!check_name(p, t, kind == N_SECTION || kind == N_INVERTED))
        return false;
    if (p->top == MUS_MAX_NEST)
        return syntax_error(p, t->start, "%s nested more than %d deep",
                            kind_word(kind), MUS_MAX_NEST);
    node *nd = node_new(kind, t->name, t->nlen, t->start);
    if (kind == N_PARENT) {
        nd->standalone = left;
        nd->ind = p->s + t->lstart;
        nd->ind_len = left ? t->start - t->lstart : 0;
    }
    if (kind == N_BLOCK)
        block_indent(p, t, right, nd);
    node_add(p->stack[p->top], nd);
    p->stack[++p->top] = nd;
    return true;
}

/* The parent's open tag began its line but the close tag did not end one:
 * the pair is not standalone after all, so the blanks before the open tag
 * go back in as text. The parent is the last child of the new top. */
static void unstand_parent(parser *p, node *par)
{
    node *up = p->stack[p->top];
    par->standalone = false;
    if (up->kind == N_PARENT)
        return;
    node *txt = node_new(N_TEXT, par->ind, par->ind_len, par->at);
    txt->bol = true;
    node_add(up, txt);
    up->kids[up->nkids - 2] = txt;
    up->kids[up->nkids - 1] = par;
}

static bool close_tag(parser *p, const tag *t, bool right)
{
    if (!check_name(p, t, false))
        return false;
    if (p->top == 0)
        return syntax_error(p, t->start, "closing tag '%.*s' without an open section",
                            short_len(t->nlen), t->name);
    node *open = p->stack[p->top];
    if (open->len != t->nlen || memcmp(open->str, t->name, t->nlen) != 0) {
        unsigned long line, col;
        where(p->s, open->at, &line, &col);
        return syntax_error(p, t->start,
                            "closing tag '%.*s' does not match %s '%.*s' opened at %lu:%lu",
                            short_len(t->nlen), t->name, kind_word(open->kind),
                            short_len(open->len), open->str, line, col);
    }
    p->top--;
    if (open->kind == N_PARENT && open->standalone && !right)
        unstand_parent(p, open);
    return true;
}

/* {{=OPEN CLOSE=}}: two blank-separated non-empty delimiters. */
static bool set_delims(parser *p, const tag *t)
{
    const char *s = p->s;
    size_t i = t->cs, e = t->ce;
    while (i < e && space(s[i]))
        i++;
    size_t a = i;
    while (i < e && !space(s[i]))
        i++;
    size_t alen = i - a;
    while (i < e && space(s[i]))
        i++;
    size_t b = i;
    while (i < e && !space(s[i]))
        i++;
    size_t blen = i - b;
    while (i < e && space(s[i]))
        i++;
    if (alen == 0 || blen == 0 || i != e)
        return syntax_error(p, t->start, "bad set-delimiter tag (want =OPEN CLOSE=)");
    p->otag = s + a;
    p->olen = alen;
    p->ctag = s + b;
    p->clen = blen;
    return true;
}

static bool handle(parser *p, const tag *t, bool left, bool right)
{
    switch (t->type) {
    case '!': return true;
    case '=': return set_delims(p, t);
    case '/': return close_tag(p, t, right);
    case '>': return add_partial(p, t, left);
    case '#': return open_tag(p, t, N_SECTION, left, right);
    case '^': return open_tag(p, t, N_INVERTED, left, right);
    case '<': return open_tag(p, t, N_PARENT, left, right);
    case '$': return open_tag(p, t, N_BLOCK, left, right);
    case '&': case '{': return add_var(p, t, N_RAW);
    default: return add_var(p, t, N_VAR);
    }
}

/* One tag: the text before it, the tag itself, then skip past it. */
static bool parse_tag(parser *p, size_t ts)
{
    tag t = {0};
    if (!read_tag(p, ts, &t))
        return false;
    bool left, right;
    standalone(p, &t, &left, &right);
    size_t text_end = left ? t.lstart : ts;
    if (text_end < p->pos)
        text_end = p->pos;
    if (text_end > p->pos)
        add_text(p, p->pos, text_end);
    if (!left && (ts == 0 || p->s[ts - 1] == '\n'))
        add_text(p, ts, ts);
    if (!handle(p, &t, left, right))
        return false;
    p->pos = right ? t.rend : t.end;
    return true;
}

static bool parse(parser *p)
{
    while (p->pos < p->n) {
        size_t ts = find(p, p->pos, 0, p->otag, p->olen);
        if (ts == NONE)
            break;
        if (!parse_tag(p, ts))
            return false;
    }
    if (p->pos < p->n)
        add_text(p, p->pos, p->n);
    if (p->top > 0) {
        const node *open = p->stack[p->top];
        return syntax_error(p, open->at, "unclosed %s '%.*s'", kind_word(open->kind),
                            short_len(open->len), open->str);
    }
    return true;
}

static tmpl *compile(const char *name, const char *src, size_t len,
                     char *err, size_t errlen)
{
    tmpl *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->name_len = strlen(name);
    t->src = xstrndup(src ? src : "", src ? len : 0);
    t->root = node_new(N_ROOT, NULL, 0, 0);
    parser p;
    memset(&p, 0, sizeof p);
    p.tname = name;
    p.s = t->src;
    p.n = src ? len : 0;
    p.otag = "{{";
    p.olen = 2;
    p.ctag = "}}";
    p.clen = 2;
    p.first_text = NONE;
    p.stack[0] = t->root;
    p.err = err;
    p.errlen = errlen;
    if (!parse(&p)) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

/* ------------------------------------------------------------------------
 * The set
 * ------------------------------------------------------------------------ */

static int name_cmp(const tmpl *t, const char *name, size_t len)
{
    int c = memcmp(t->name, name, t->name_len < len ? t->name_len : len);
    if (c)
        return c;
    return t->name_len < len ? -1 : t->name_len > len;
}

/* Index of the template called name[0, len), or where it would go. */
static size_t set_find(const mus_set *s, const char *name, size_t len, bool *found)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = name_cmp(s->v[mid], name, len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static const tmpl *set_get(const mus_set *s, const char *name, size_t len)
{
    bool found;
    size_t i = set_find(s, name, len, &found);
    return found ? s->v[i] : NULL;
}

mus_set *mus_set_new(void)
{
    mus_set *s = xcalloc(1, sizeof *s);
    s->max_steps = MUS_DEFAULT_MAX_STEPS;
    return s;
}

void mus_set_free(mus_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        tmpl_free(s->v[i]);
    free(s->v);
    free(s);
}

void mus_set_max_steps(mus_set *s, unsigned long max_steps)
{
    if (s)
        s->max_steps = max_steps;
}

bool mus_set_add(mus_set *s, const char *name, const char *src, size_t len,
                 char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!s || !name) {
        if (err && errlen)
            snprintf(err, errlen, "mus_set_add: no set or no name");
        return false;
    }
    tmpl *t = compile(name, src, len, err, errlen);
    if (!t)
        return false;
    bool found;
    size_t i = set_find(s, t->name, t->name_len, &found);
    if (found) {
        tmpl_free(s->v[i]);
        s->v[i] = t;
        return true;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
    s->v[i] = t;
    s->n++;
    return true;
}

bool mus_set_has(const mus_set *s, const char *name)
{
    return s && name && set_get(s, name, strlen(name)) != NULL;
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------ */

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
    const tmpl *t = set_get(rs->set, nd->str, nd->len);
    if (t)
        expand(rs, fr, sc, nd, nd->standalone, t->root, NULL, fr->ovr);
}

static void render_parent(rstate *rs, const frame *fr, const scope *sc, const node *nd)
{
    const tmpl *t = set_get(rs->set, nd->str, nd->len);
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
    const tmpl *t = set_get(s, name, strlen(name));
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
