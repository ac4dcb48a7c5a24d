/* fuzz_toc: libFuzzer harness for the contents-list scanner
 * (src/pages/toc.c) and the image size reader (src/pages/images.c).
 *
 * The input is scanned as rendered page HTML (not NUL-terminated: the
 * scanner must respect the length) and read as image bytes. Checks: at
 * most the asked number of entries; every id only letters, digits, dashes
 * and underscores; every text non-empty and without '<' (tags removed);
 * sizes, when read, positive and under 100000. */
#include "pages/images.h"
#include "pages/toc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = malloc(size ? size : 1);
    if (!html)
        return 0;
    memcpy(html, data, size);
    toc_entry e[TOC_MAX];
    int n = toc_scan(html, size, e, TOC_MAX);
    if (n < 0 || n > TOC_MAX)
        abort();
    for (int i = 0; i < n; i++) {
        if (!e[i].id[0] || !e[i].text[0] || strchr(e[i].text, '<'))
            abort();
        for (const char *p = e[i].id; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                  *p == '_'))
                abort();
    }
    buf b = BUF_INIT;
    toc_html(&b, e, n);
    buf_free(&b);
    long w = 0, h = 0;
    if (images_size(data, size, &w, &h) && (w <= 0 || h <= 0 || w >= 100000 || h >= 100000))
        abort();
    free(html);
    return 0;
}
