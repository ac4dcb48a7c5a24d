/* images: hashed URLs and sizes for images in content. See images.h. */
#include "pages/images.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/assets.h"

#include <string.h>

/* The number after name="  in [p, end), or -1. */
static long attr_num(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (; p + n + 2 < end; p++) {
        if (memcmp(p, name, n) || p[n] != '=' || p[n + 1] != '"' || (p[-1] != ' ' && p[-1] != '\n'))
            continue;
        long v = 0;
        const char *q = p + n + 2;
        if (q >= end || *q < '0' || *q > '9')
            return -1;
        for (; q < end && *q >= '0' && *q <= '9' && v < 100000; q++)
            v = v * 10 + (*q - '0');
        return v > 0 && v < 100000 ? v : -1;
    }
    return -1;
}

bool images_size(const unsigned char *data, size_t len, long *w, long *h)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (len >= 24 && !memcmp(data, png, 8) && !memcmp(data + 12, "IHDR", 4)) {
        *w = (long)data[16] << 24 | (long)data[17] << 16 | (long)data[18] << 8 | data[19];
        *h = (long)data[20] << 24 | (long)data[21] << 16 | (long)data[22] << 8 | data[23];
        return *w > 0 && *h > 0 && *w < 100000 && *h < 100000;
    }
    const char *s = (const char *)data, *end = s + len;
    const char *svg = NULL;
    for (const char *p = s; p + 4 < end; p++)
        if (!memcmp(p, "<svg", 4)) {
            svg = p;
            break;
        }
    if (!svg)
        return false;
    const char *close = memchr(svg, '>', (size_t)(end - svg));
    if (!close)
        return false;
    *w = attr_num(svg + 1, close, "width");
    *h = attr_num(svg + 1, close, "height");
    return *w > 0 && *h > 0;
}

char *images_rewrite(const char *html)
{
    static const char open[] = "<img src=\"/static/";
    if (!strstr(html, open))
        return NULL;
    buf b = BUF_INIT;
    bool changed = false;
    const char *p = html;
    for (const char *hit; (hit = strstr(p, open)) != NULL;) {
        const char *name = hit + strlen("<img src=\"");
        const char *q = strchr(name, '"');
        if (!q)
            break;
        char path[256];
        size_t n = (size_t)(q - name);
        bool imm = false;
        const asset *a = NULL;
        if (n < sizeof(path)) {
            memcpy(path, name, n);
            path[n] = '\0';
            a = assets_find(path, &imm);
        }
        long w = 0, h = 0;
        buf_append(&b, p, (size_t)(hit - p));
        if (a && images_size(a->data, a->len, &w, &h)) {
            buf_printf(&b, "<img src=\"%s\" width=\"%ld\" height=\"%ld\"", a->hashed_url, w, h);
            changed = true;
        } else {
            buf_append(&b, hit, (size_t)(q + 1 - hit));
        }
        p = q + 1;
    }
    buf_puts(&b, p);
    if (!changed || b.overflow) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}
