/* markdown: md4c rendering plus heading anchors and external-link rel. */
#include "content/markdown.h"
#include "core/util.h"

#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (dash && any)
                buf_putc(out, '-');
            buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
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

/* Adds an id to one heading whose opening tag "<hN>" starts at h[i]. */
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
    char id[96];
    str_copy(id, sizeof(id), buf_cstr(&slug));
    int dup = 1;
    for (int k = 0; k < *nused; k++)
        if (!strncmp(used[k], buf_cstr(&slug), 80))
            dup++;
    if (dup > 1)
        snprintf(id, sizeof(id), "%.80s-%d", buf_cstr(&slug), dup);
    if (*nused < MAX_HEADINGS)
        str_copy(used[(*nused)++], 96, buf_cstr(&slug));
    buf_printf(out, "<h%c id=\"%s\">", h[i + 2], id);
    buf_free(&text);
    buf_free(&slug);
    return i + 4;
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
        } else if (len - i >= 13 && !memcmp(h + i, "<a href=\"http", 13)) {
            buf_puts(out, "<a rel=\"noopener noreferrer\" href=\"http");
            i += 13;
        } else {
            buf_putc(out, h[i]);
            i++;
        }
    }
    free(seen);
}

bool md_render(const char *src, size_t len, buf *html)
{
    buf raw = BUF_INIT;
    int rc = md_html(src, (MD_SIZE)len, md_out, &raw, MD_FLAGS, 0);
    if (rc == 0 && !raw.overflow)
        post_process(raw.data ? raw.data : "", raw.len, html);
    buf_free(&raw);
    return rc == 0 && !html->overflow;
}
