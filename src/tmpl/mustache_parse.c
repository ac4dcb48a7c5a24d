/* mustache_parse: compiles Mustache template text into the node tree of
 * mustache_int.h: tags and delimiters, standalone lines and indentation
 * (the whitespace rules are described there), name checks, and syntax
 * errors with line and column. Runs once per template, when the set is
 * built; rendering never looks at the text again. */
#include "tmpl/mustache_int.h"

#include "core/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

/* ------------------------------------------------------------------------
 * Nodes
 * ------------------------------------------------------------------------ */

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

void mus_tmpl_free(tmpl *t)
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

tmpl *mus_tmpl_compile(const char *name, const char *src, size_t len, char *err, size_t errlen)
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
        mus_tmpl_free(t);
        return NULL;
    }
    return t;
}
