/* i18n_po: reads a gettext PO catalog (the text format translators edit)
 * into entries for i18n.c, and evaluates its Plural-Forms expression.
 *
 * Understood: comments (#, #., #:, #| ignored; "#, fuzzy" marks the next
 * entry; "#~" obsolete entries skipped), msgctxt, msgid, msgid_plural,
 * msgstr, msgstr[N], continuation lines, the C escapes \n \t \r \" \\ \a
 * \b \f \v and octal. Errors name the line. The PO format's reference is
 * the GNU gettext manual, "The Format of PO Files". */
#include "core/i18n_int.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PO_MAX_FIELD (64u * 1024u)

enum field { F_NONE, F_CTX, F_ID, F_PLURAL, F_STR };

struct po_state {
    po_entry cur;
    enum field last;
    int last_index;
    bool has_id, has_str, fuzzy, next_fuzzy, c_format, next_c_format;
    int line;
    po_entry_fn fn;
    void *ctx;
    char *err;
    size_t errlen;
};

static bool fail(struct po_state *st, const char *what)
{
    snprintf(st->err, st->errlen, "line %d: %s", st->line, what);
    return false;
}

static void entry_clear(po_entry *e)
{
    buf_free(&e->ctx);
    buf_free(&e->id);
    buf_free(&e->plural);
    for (int i = 0; i < PO_MAX_FORMS; i++)
        buf_free(&e->str[i]);
    *e = (po_entry){0};
}

static int unescape_char(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case '"': return '"';
    case '\\': return '\\';
    case '?': return '?';
    case '\'': return '\'';
    default: return -1;
    }
}

/* Appends the quoted string at p (after leading blanks) to out. */
static bool read_quoted(struct po_state *st, const char *p, const char *end, buf *out)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '"')
        return fail(st, "expected a string in double quotes");
    for (p++; p < end && *p != '"'; p++) {
        if (*p != '\\') {
            buf_putc(out, *p);
            continue;
        }
        if (++p >= end)
            return fail(st, "a backslash ends the line");
        if (*p >= '0' && *p <= '7') {
            int v = 0, k = 0;
            for (; k < 3 && p < end && *p >= '0' && *p <= '7'; k++, p++)
                v = v * 8 + (*p - '0');
            p--;
            if (v == 0 || v > 255)
                return fail(st, "an octal escape outside 1-255");
            buf_putc(out, (char)v);
            continue;
        }
        int c = unescape_char(*p);
        if (c < 0)
            return fail(st, "an unknown escape after a backslash");
        buf_putc(out, (char)c);
    }
    if (p >= end)
        return fail(st, "a string is not closed with a double quote");
    for (p++; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return fail(st, "text after the closing double quote");
    if (out->len > PO_MAX_FIELD || out->overflow)
        return fail(st, "a string longer than 64 KiB");
    return true;
}

/* Hands the entry gathered so far to the callback and starts a new one. */
static bool finish(struct po_state *st)
{
    bool ok = true;
    if (st->has_id && !st->has_str)
        ok = fail(st, "an entry has a msgid but no msgstr");
    else if (st->has_id) {
        st->cur.fuzzy = st->fuzzy;
        st->cur.c_format = st->c_format;
        st->cur.line = st->line;
        ok = st->fn(st->ctx, &st->cur, st->err, st->errlen);
    }
    entry_clear(&st->cur);
    st->has_id = st->has_str = false;
    st->last = F_NONE;
    st->fuzzy = st->next_fuzzy;
    st->c_format = st->next_c_format;
    st->next_fuzzy = st->next_c_format = false;
    return ok;
}

static void read_flags(struct po_state *st, const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    char flags[256];
    if (n >= sizeof(flags))
        n = sizeof(flags) - 1;
    memcpy(flags, p, n);
    flags[n] = '\0';
    bool fuzzy = strstr(flags, "fuzzy") != NULL;
    bool cfmt = strstr(flags, "c-format") != NULL && strstr(flags, "no-c-format") == NULL;
    if (st->has_id) { /* flags belong to the next entry */
        st->next_fuzzy |= fuzzy;
        st->next_c_format |= cfmt;
    } else {
        st->fuzzy |= fuzzy;
        st->c_format |= cfmt;
    }
}

static buf *field_buf(po_entry *e, enum field f, int idx)
{
    switch (f) {
    case F_CTX: return &e->ctx;
    case F_ID: return &e->id;
    case F_PLURAL: return &e->plural;
    case F_STR: return &e->str[idx];
    default: return NULL;
    }
}

static bool keyword_line(struct po_state *st, const char *p, const char *end)
{
    static const struct { const char *kw; enum field f; } kws[] = {
        {"msgctxt", F_CTX}, {"msgid_plural", F_PLURAL}, {"msgid", F_ID}, {"msgstr", F_STR}};
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
        size_t n = strlen(kws[i].kw);
        if ((size_t)(end - p) < n || memcmp(p, kws[i].kw, n) != 0)
            continue;
        const char *q = p + n;
        int idx = 0;
        if (kws[i].f == F_STR && q < end && *q == '[') {
            if (q + 2 >= end || q[1] < '0' || q[1] > '9' || q[2] != ']')
                return fail(st, "msgstr[N] needs N from 0 to 5");
            idx = q[1] - '0';
            if (idx >= PO_MAX_FORMS)
                return fail(st, "msgstr[N] needs N from 0 to 5");
            q += 3;
        }
        if (q < end && *q != ' ' && *q != '\t' && *q != '"')
            continue; /* "msgid_plural" is not "msgid" */
        enum field f = kws[i].f;
        if ((f == F_CTX || f == F_ID) && st->has_str && !finish(st))
            return false;
        if (f == F_ID && st->has_id)
            return fail(st, "two msgid lines in one entry");
        if ((f == F_PLURAL || f == F_STR) && !st->has_id)
            return fail(st, "a msgstr or msgid_plural before its msgid");
        if (f == F_ID)
            st->has_id = true;
        if (f == F_STR) {
            if (st->cur.str_set[idx])
                return fail(st, "the same msgstr twice in one entry");
            st->cur.str_set[idx] = true;
            if (idx + 1 > st->cur.nstr)
                st->cur.nstr = idx + 1;
            st->has_str = true;
        }
        st->last = f;
        st->last_index = idx;
        return read_quoted(st, q, end, field_buf(&st->cur, f, idx));
    }
    return fail(st, "not a PO line (expected msgctxt, msgid, msgid_plural, msgstr, a string or a comment)");
}

static bool one_line(struct po_state *st, const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p == end)
        return st->has_str ? finish(st) : true;
    if (*p == '#') {
        if (end - p >= 2 && p[1] == ',')
            read_flags(st, p + 2, end);
        return true; /* translator, extracted, reference, previous and obsolete lines */
    }
    if (*p == '"') {
        buf *b = field_buf(&st->cur, st->last, st->last_index);
        if (!b)
            return fail(st, "a continuation string with nothing to continue");
        return read_quoted(st, p, end, b);
    }
    return keyword_line(st, p, end);
}

bool po_parse(const char *src, size_t len, po_entry_fn fn, void *ctx, char *err, size_t errlen)
{
    struct po_state st = {.fn = fn, .ctx = ctx, .err = err, .errlen = errlen};
    if (len >= 3 && (unsigned char)src[0] == 0xEF && (unsigned char)src[1] == 0xBB && (unsigned char)src[2] == 0xBF) {
        src += 3;
        len -= 3;
    }
    const char *p = src, *end = src + len;
    bool ok = true;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        st.line++;
        if (memchr(p, '\0', (size_t)(le - p)))
            ok = fail(&st, "a NUL byte");
        else
            ok = one_line(&st, p, le);
        p = nl ? nl + 1 : end;
    }
    if (ok)
        ok = finish(&st);
    entry_clear(&st.cur);
    return ok;
}

/* ---- Plural-Forms: "nplurals=2; plural=(n != 1);" ---- */

struct expr {
    const char *p;
    unsigned long n;
    int depth;
    bool bad;
};

static long ex_cond(struct expr *e);

static void skip_blanks(struct expr *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static bool eat(struct expr *e, const char *tok)
{
    skip_blanks(e);
    size_t n = strlen(tok);
    if (strncmp(e->p, tok, n) != 0)
        return false;
    /* "<" is not "<=", "!" is not "!=", "|" needs "||" */
    if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!' || tok[0] == '=') && e->p[1] == '=')
        return false;
    e->p += n;
    return true;
}

static long ex_primary(struct expr *e)
{
    skip_blanks(e);
    if (++e->depth > 64) {
        e->bad = true;
        return 0;
    }
    long v = 0;
    if (eat(e, "(")) {
        v = ex_cond(e);
        if (!eat(e, ")"))
            e->bad = true;
    } else if (eat(e, "!")) {
        v = !ex_primary(e);
    } else if (*e->p == 'n') {
        e->p++;
        v = (long)e->n;
    } else if (*e->p >= '0' && *e->p <= '9') {
        while (*e->p >= '0' && *e->p <= '9' && v < 1000000)
            v = v * 10 + (*e->p++ - '0');
    } else {
        e->bad = true;
    }
    e->depth--;
    return v;
}

static long ex_mul(struct expr *e)
{
    long v = ex_primary(e);
    for (;;) {
        if (eat(e, "%")) {
            long r = ex_primary(e);
            v = r ? v % r : (e->bad = true, 0);
        } else if (eat(e, "*")) {
            long r = ex_primary(e);
            v = (v > 1000000 || r > 1000000) ? (e->bad = true, 0) : v * r;
        } else if (eat(e, "/")) {
            long r = ex_primary(e);
            v = r ? v / r : (e->bad = true, 0);
        } else {
            return v;
        }
    }
}

static long ex_add(struct expr *e)
{
    long v = ex_mul(e);
    for (;;) {
        if (eat(e, "+"))
            v += ex_mul(e);
        else if (eat(e, "-"))
            v -= ex_mul(e);
        else
            return v;
    }
}

static long ex_cmp(struct expr *e)
{
    long v = ex_add(e);
    for (;;) {
        if (eat(e, "<="))
            v = v <= ex_add(e);
        else if (eat(e, ">="))
            v = v >= ex_add(e);
        else if (eat(e, "<"))
            v = v < ex_add(e);
        else if (eat(e, ">"))
            v = v > ex_add(e);
        else if (eat(e, "=="))
            v = v == ex_add(e);
        else if (eat(e, "!="))
            v = v != ex_add(e);
        else
            return v;
    }
}

static long ex_and(struct expr *e)
{
    long v = ex_cmp(e);
    while (eat(e, "&&")) {
        long r = ex_cmp(e);
        v = v && r;
    }
    return v;
}

static long ex_or(struct expr *e)
{
    long v = ex_and(e);
    while (eat(e, "||")) {
        long r = ex_and(e);
        v = v || r;
    }
    return v;
}

static long ex_cond(struct expr *e)
{
    if (++e->depth > 64) {
        e->bad = true;
        return 0;
    }
    long v = ex_or(e);
    if (eat(e, "?")) {
        long a = ex_cond(e);
        if (!eat(e, ":"))
            e->bad = true;
        long b = ex_cond(e);
        v = v ? a : b;
    }
    e->depth--;
    return v;
}

long plural_eval(const char *expr, unsigned long n)
{
    struct expr e = {expr, n, 0, false};
    long v = ex_cond(&e);
    skip_blanks(&e);
    if (*e.p == ';')
        e.p++;
    skip_blanks(&e);
    return (e.bad || *e.p) ? -1 : v;
}
