/* content: loading and checking Markdown pages. See content.h. */
#include "content/content.h"
#include "content/frontmatter.h"
#include "content/markdown.h"
#include "core/buf.h"
#include "core/util.h"
#include "core/walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE_MAX_BYTES (1024u * 1024u)
#define PAGES_MAX 2048

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

/* "harm-reduction/index.md" -> "/harm-reduction"; "about.md" -> "/about" */
static char *path_from_rel(const char *rel, const char *slug)
{
    buf b = BUF_INIT;
    buf_putc(&b, '/');
    if (slug) {
        buf_puts(&b, slug[0] == '/' ? slug + 1 : slug);
    } else {
        size_t n = strlen(rel) - 3; /* drop ".md" */
        buf_append(&b, rel, n);
        if (!strcmp(buf_cstr(&b), "/index"))
            b.len = 1; /* content/index.md is the home page's text: "/" */
        else if (str_has_suffix(buf_cstr(&b), "/index"))
            b.len -= 6;
        b.data[b.len] = '\0';
    }
    return buf_detach(&b, NULL);
}

static bool valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    long m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static void parse_sources(const fm_entry *list, page *p)
{
    p->nsources = list ? list->nitems : 0;
    p->sources = xcalloc((size_t)p->nsources + 1, sizeof(source));
    for (int i = 0; i < p->nsources; i++) {
        const char *item = list->items[i];
        const char *bar = strstr(item, " | ");
        if (bar) {
            p->sources[i].text = xstrndup(item, (size_t)(bar - item));
            p->sources[i].url = xstrdup(bar + 3);
        } else {
            p->sources[i].text = xstrdup(item);
        }
    }
}

static const char *const standard_keys[] = {"title", "summary", "slug", "section", "order", "reviewed",
                                            "sources", "group", "aliases", "template"};

static bool is_standard(const char *key)
{
    for (size_t i = 0; i < sizeof(standard_keys) / sizeof(standard_keys[0]); i++)
        if (!strcmp(key, standard_keys[i]))
            return true;
    return false;
}

static void parse_extras(const fm *f, page *p)
{
    p->extras = xcalloc((size_t)f->count + 1, sizeof(extra));
    for (int i = 0; i < f->count; i++)
        if (f->entries[i].value && !is_standard(f->entries[i].key)) {
            p->extras[p->nextras].key = xstrdup(f->entries[i].key);
            p->extras[p->nextras].value = xstrdup(f->entries[i].value);
            p->nextras++;
        }
}

const char *page_extra(const page *p, const char *key)
{
    for (int i = 0; i < p->nextras; i++)
        if (!strcmp(p->extras[i].key, key))
            return p->extras[i].value;
    return NULL;
}

static bool check_required(const char *file, const fm *f, char *err, size_t errlen)
{
    static const char *required[] = {"title", "summary", "reviewed"};
    for (size_t i = 0; i < 3; i++)
        if (!fm_get(f, required[i]) || !*fm_get(f, required[i])) {
            snprintf(err, errlen, "%s: the front matter has no \"%s\"", file, required[i]);
            return false;
        }
    if (!valid_date(fm_get(f, "reviewed"))) {
        snprintf(err, errlen, "%s: \"reviewed\" must be a date like 2026-11-27, not \"%s\"", file,
                 fm_get(f, "reviewed"));
        return false;
    }
    const fm_entry *src = fm_list(f, "sources");
    if (!src || src->nitems == 0) {
        snprintf(err, errlen, "%s: the front matter has no \"sources\" list (every page cites its sources)", file);
        return false;
    }
    for (int i = 0; i < src->nitems; i++) {
        const char *bar = strstr(src->items[i], " | ");
        if (bar && !str_has_prefix(bar + 3, "https://") && !str_has_prefix(bar + 3, "http://")) {
            snprintf(err, errlen, "%s: source %d has an address that is not http(s): \"%s\"", file, i + 1, bar + 3);
            return false;
        }
    }
    const char *order = fm_get(f, "order");
    long n;
    if (order && !parse_long(order, -100000, 100000, &n)) {
        snprintf(err, errlen, "%s: \"order\" must be a whole number, not \"%s\"", file, order);
        return false;
    }
    return true;
}

/* The number of the first line that is not valid UTF-8 (1-based). */
static int first_bad_line(const char *src, size_t len)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || src[i] == '\n') {
            if (!utf8_valid(src + start, i - start))
                return line;
            line++;
            start = i + 1;
        }
    }
    return line;
}

bool content_parse_page(const char *file, const char *rel, const char *src, size_t len, page *p, char *err,
                        size_t errlen)
{
    memset(p, 0, sizeof(*p));
    fm f;
    char why[256];
    if (!utf8_valid(src, len)) {
        snprintf(err, errlen, "%s line %d: the file is not valid UTF-8 text", file, first_bad_line(src, len));
        return false;
    }
    if (!fm_parse(&f, src, len, why, sizeof(why))) {
        snprintf(err, errlen, "%s %s", file, why);
        return false;
    }
    if (!check_required(file, &f, err, errlen)) {
        fm_free(&f);
        return false;
    }
    buf html = BUF_INIT, text = BUF_INIT;
    if (!utf8_valid(f.body, f.body_len) || !md_render(f.body, f.body_len, &html)) {
        snprintf(err, errlen, "%s line %d: the page is not valid UTF-8 Markdown", file, f.body_line);
        fm_free(&f);
        buf_free(&html);
        return false;
    }
    html_to_text(buf_cstr(&html), html.len, &text);
    p->path = path_from_rel(rel, fm_get(&f, "slug"));
    p->file = xstrdup(file);
    p->title = dup_or_empty(fm_get(&f, "title"));
    p->summary = dup_or_empty(fm_get(&f, "summary"));
    p->section = dup_or_empty(fm_get(&f, "section"));
    p->reviewed = dup_or_empty(fm_get(&f, "reviewed"));
    p->group = dup_or_empty(fm_get(&f, "group"));
    p->aliases = dup_or_empty(fm_get(&f, "aliases"));
    p->tmpl = xstrdup(fm_get(&f, "template") ? fm_get(&f, "template") : "page");
    p->order = 0;
    if (fm_get(&f, "order"))
        parse_long(fm_get(&f, "order"), -100000, 100000, &p->order);
    parse_sources(fm_list(&f, "sources"), p);
    parse_extras(&f, p);
    p->html = buf_detach(&html, NULL);
    p->text = buf_detach(&text, NULL);
    fm_free(&f);
    return true;
}

void page_free(page *p)
{
    free(p->path);
    free(p->file);
    free(p->title);
    free(p->summary);
    free(p->section);
    free(p->reviewed);
    free(p->group);
    free(p->aliases);
    free(p->tmpl);
    free(p->html);
    free(p->text);
    for (int i = 0; i < p->nsources; i++) {
        free(p->sources[i].text);
        free(p->sources[i].url);
    }
    free(p->sources);
    for (int i = 0; i < p->nextras; i++) {
        free(p->extras[i].key);
        free(p->extras[i].value);
    }
    free(p->extras);
}

char *content_substitute(const char *src, size_t len, const content_token *tokens, int ntokens, size_t *outlen)
{
    buf b = BUF_INIT;
    size_t i = 0;
    while (i < len) {
        bool done = false;
        if (src[i] == '{' && len - i > 4 && src[i + 1] == '{') {
            for (int t = 0; t < ntokens && !done; t++) {
                size_t n = strlen(tokens[t].name);
                if (len - i >= n + 4 && !memcmp(src + i + 2, tokens[t].name, n) && !memcmp(src + i + 2 + n, "}}", 2)) {
                    buf_puts(&b, tokens[t].value);
                    i += n + 4;
                    done = true;
                }
            }
        }
        if (!done)
            buf_putc(&b, src[i++]);
    }
    return buf_detach(&b, outlen);
}

struct loader {
    const content_token *tokens;
    int ntokens;
    const char *root;
    const char *const *skip; /* top-level folders that are not this set's (other languages) */
    content_set *set;
    char *err;
    size_t errlen;
};

static bool load_file(struct loader *l, const char *full, const char *rel)
{
    if (l->set->count >= PAGES_MAX) {
        snprintf(l->err, l->errlen, "more than %d content pages", PAGES_MAX);
        return false;
    }
    size_t len;
    char *src = file_read(full, PAGE_MAX_BYTES, &len);
    if (!src) {
        snprintf(l->err, l->errlen, "cannot read %s: %s", full, strerror(errno));
        return false;
    }
    page *p = &l->set->pages[l->set->count];
    size_t n;
    char *text = content_substitute(src, len, l->tokens, l->ntokens, &n);
    free(src);
    bool ok = content_parse_page(full, rel, text, n, p, l->err, l->errlen);
    free(text);
    if (!ok)
        return false;
    if (content_find(l->set, p->path)) {
        snprintf(l->err, l->errlen, "%s: another page already has the address %s", full, p->path);
        page_free(p);
        return false;
    }
    l->set->count++;
    return true;
}

static bool load_entry(void *ctx, const char *full, const char *rel, const struct stat *st)
{
    struct loader *l = ctx;
    const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    if (!S_ISREG(st->st_mode) || !str_has_suffix(name, ".md") || !strcmp(name, "README.md"))
        return true;
    for (const char *const *k = l->skip; k && *k; k++) {
        size_t n = strlen(*k);
        if (!strncmp(rel, *k, n) && rel[n] == '/')
            return true;
    }
    return load_file(l, full, rel);
}

static bool walk(struct loader *l)
{
    enum walk_result r = walk_files(l->root, "content folder", load_entry, l, l->err, l->errlen);
    if (r == WALK_NO_ROOT)
        snprintf(l->err, l->errlen, "cannot read the content folder %s: %s", l->root, strerror(ENOENT));
    return r == WALK_OK;
}

bool content_load(const char *dir, const content_token *tokens, int ntokens, content_set **out, char *err,
                  size_t errlen)
{
    return content_load_skip(dir, NULL, tokens, ntokens, out, err, errlen);
}

bool content_load_skip(const char *dir, const char *const *skip, const content_token *tokens, int ntokens,
                       content_set **out, char *err, size_t errlen)
{
    content_set *set = xcalloc(1, sizeof(*set));
    set->pages = xcalloc(PAGES_MAX, sizeof(page));
    struct loader l = {tokens, ntokens, dir, skip, set, err, errlen};
    if (!walk(&l)) {
        content_free(set);
        return false;
    }
    *out = set;
    return true;
}

void content_free(content_set *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        page_free(&c->pages[i]);
    free(c->pages);
    free(c);
}

const page *content_find(const content_set *c, const char *path)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->pages[i].path, path))
            return &c->pages[i];
    return NULL;
}

static int by_order(const void *a, const void *b)
{
    const page *x = *(const page *const *)a, *y = *(const page *const *)b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->title, y->title);
}

size_t content_section(const content_set *c, const char *section, const page **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < c->count && n < max; i++)
        if (!strcmp(c->pages[i].section, section))
            out[n++] = &c->pages[i];
    qsort(out, n, sizeof(*out), by_order);
    return n;
}
