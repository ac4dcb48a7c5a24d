/* markdown: md4c rendering plus heading anchors and external-link rel. */
#include "content/markdown.h"
#include "core/util.h"

#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MD_FLAGS (MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEURLAUTOLINKS)
#define MAX_HEADINGS 256

static void md_out(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    buf_append(userdata, text, size);
}

void heading_slug(const char *text, size_t len, buf *out)
{
    bool dash = false, any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isalnum_ascii(c)) {
            if (dash && any)
                buf_putc(out, '-');
            buf_putc(out, (char)tolower_ascii(c));
            dash = false;
            any = true;
        } else if (c >= 0x80) {
            /* keep letters outside ASCII as they are */
            if (dash && any)
                buf_putc(out, '-');
            buf_putc(out, (char)c);
            dash = false;
            any = true;
        } else {
            dash = true;
        }
    }
    if (!any)
        buf_puts(out, "section");
}

static const struct { const char *ent; char ch; } entities[] = {
    {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '},
};

void html_to_text(const char *h, size_t len, buf *text)
{
    for (size_t i = 0; i < len; i++) {
        if (h[i] == '<') {
            const char *end = memchr(h + i, '>', len - i);
            if (!end)
                break;
            bool block = !strncmp(h + i, "</p", 3) || !strncmp(h + i, "</h", 3) || !strncmp(h + i, "</li", 4) ||
                         !strncmp(h + i, "<br", 3) || !strncmp(h + i, "</t", 3);
            if (block)
                buf_putc(text, '\n');
            i = (size_t)(end - h);
            continue;
        }
        if (h[i] == '&') {
            bool done = false;
            for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
                size_t el = strlen(entities[k].ent);
                if (len - i >= el && !memcmp(h + i, entities[k].ent, el)) {
                    buf_putc(text, entities[k].ch);
                    i += el - 1;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        buf_putc(text, h[i]);
    }
}

#define ID_MAX 80

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
}

static bool id_used(char used[][96], int nused, const char *id)
{
    for (int k = 0; k < nused; k++)
        if (!strcmp(used[k], id))
            return true;
    return false;
}

/* Adds an id to one heading whose opening tag "<hN>" starts at h[i]; ids
 * are unique on the page (a repeat gets -2, -3 ... whatever else is used). */
static size_t add_heading_id(const char *h, size_t len, size_t i, buf *out, char used[][96], int *nused)
{
    const char *close = NULL;
    char tag[6] = {'<', '/', 'h', h[i + 2], '>', 0};
    for (size_t k = i + 4; k + 5 <= len; k++)
        if (!memcmp(h + k, tag, 5)) {
            close = h + k;
            break;
        }
    if (!close) {
        buf_append(out, h + i, 4);
        return i + 4;
    }
    buf text = BUF_INIT, slug = BUF_INIT;
    html_to_text(h + i + 4, (size_t)(close - (h + i + 4)), &text);
    heading_slug(text.data ? text.data : "", text.len, &slug);
    char base[96], id[112];
    str_copy(base, sizeof(base), buf_cstr(&slug));
    cut_utf8(base, ID_MAX);
    str_copy(id, sizeof(id), base);
    for (int n = 2; id_used(used, *nused, id) && n < 10000; n++)
        snprintf(id, sizeof(id), "%.80s-%d", base, n);
    if (*nused < MAX_HEADINGS)
        str_copy(used[(*nused)++], 96, id);
    buf_printf(out, "<h%c id=\"%s\">", h[i + 2], id);
    buf_free(&text);
    buf_free(&slug);
    return i + 4;
}

/* True when the link at h (after `<a href="`) goes to another site:
 * http:, https: (any case) or protocol-relative //. */
static bool external_href(const char *h, size_t n)
{
    return (n >= 2 && h[0] == '/' && h[1] == '/') || (n >= 7 && !strncasecmp(h, "http://", 7)) ||
           (n >= 8 && !strncasecmp(h, "https://", 8));
}

/* The post-pass: heading ids and rel on external links. */
static void post_process(const char *h, size_t len, buf *out)
{
    int nused = 0;
    char (*seen)[96] = xcalloc(MAX_HEADINGS, 96);
    size_t i = 0;
    while (i < len) {
        if (len - i >= 4 && h[i] == '<' && h[i + 1] == 'h' && (h[i + 2] == '2' || h[i + 2] == '3') &&
            h[i + 3] == '>') {
            i = add_heading_id(h, len, i, out, seen, &nused);
        } else if (len - i >= 9 && !memcmp(h + i, "<a href=\"", 9) && external_href(h + i + 9, len - i - 9)) {
            buf_puts(out, "<a rel=\"noopener noreferrer\" href=\"");
            i += 9;
        } else {
            buf_putc(out, h[i]);
            i++;
        }
    }
    free(seen);
}

bool md_render(const char *src, size_t len, buf *html)
{
    /* md4c 0.4.8 may read one byte past len: give it a NUL-terminated copy. */
    char *copy = xstrndup(src, len);
    buf raw = BUF_INIT;
    int rc = md_html(copy, (MD_SIZE)len, md_out, &raw, MD_FLAGS, 0);
    free(copy);
    if (rc == 0 && !raw.overflow)
        post_process(raw.data ? raw.data : "", raw.len, html);
    buf_free(&raw);
    return rc == 0 && !html->overflow;
}
