/* toc: contents lists from a page's headings. See toc.h. */
#include "pages/toc.h"

#include <string.h>

/* Finds needle in [p, end); NULL when absent. */
static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p && (size_t)(end - p) >= n; p++)
        if (!memcmp(p, needle, n))
            return p;
    return NULL;
}

/* Copies the heading's text between p and end into out, dropping tags and
 * squeezing white space. False when it does not fit or is empty. */
static bool copy_text(const char *p, const char *end, char *out, size_t outlen)
{
    size_t n = 0;
    bool in_tag = false, space = false;
    for (; p < end; p++) {
        if (*p == '<')
            in_tag = true;
        else if (*p == '>')
            in_tag = false;
        else if (!in_tag) {
            if (*p == ' ' || *p == '\n' || *p == '\t') {
                space = n > 0;
                continue;
            }
            if ((unsigned char)*p < 0x20) /* NUL and other control bytes: never text (fuzz_toc) */
                continue;
            if (n + (space ? 2 : 1) >= outlen)
                return false;
            if (space)
                out[n++] = ' ';
            space = false;
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return n > 0;
}

/* An id is made of letters, digits, dashes and underscores only, so it
 * goes into an attribute without escaping. */
static bool id_ok(const char *p, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

int toc_scan(const char *html, size_t len, toc_entry *out, int max)
{
    const char *p = html, *end = html + len;
    int n = 0;
    while (n < max && (p = find(p, end, "<h2 id=\"")) != NULL) {
        p += strlen("<h2 id=\"");
        const char *q = find(p, end, "\"");
        const char *close = q ? find(q, end, "</h2>") : NULL;
        if (!close)
            break;
        size_t idlen = (size_t)(q - p);
        const char *gt = find(q, close, ">");
        if (gt && id_ok(p, idlen) && idlen < sizeof(out[n].id) &&
            copy_text(gt + 1, close, out[n].text, sizeof(out[n].text))) {
            memcpy(out[n].id, p, idlen);
            out[n].id[idlen] = '\0';
            n++;
        }
        p = close;
    }
    return n;
}

void toc_html(buf *b, const toc_entry *e, int n)
{
    for (int i = 0; i < n; i++)
        buf_printf(b, "<li><a href=\"#%s\">%s</a></li>", e[i].id, e[i].text);
}
