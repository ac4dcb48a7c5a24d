/* fuzz_frontmatter: libFuzzer harness for the front matter parser
 * (src/content/frontmatter.c) and page parsing (content_parse_page in
 * src/content/content.c, which also runs the Markdown renderer).
 *
 * fm_parse: an error is a terminated "line N: ..." sentence with N >= 1
 * (a known bug gives "line 0" for empty input, which is let through until
 * fixed); a success has the body inside the input ending where it ends,
 * at most FM_MAX_KEYS valid, distinct keys, and fm_get/fm_list finding
 * every entry (scalars as scalars, lists as lists). content_parse_page: an error starts with
 * the file name; a page has an address starting with '/', a title,
 * summary and a YYYY-MM-DD reviewed date, sources whose addresses are
 * http(s), and (strict mode only, see below) HTML and text that are valid
 * UTF-8. WP_FUZZ_STRICT=1 in the environment turns on the checks that
 * known, not yet fixed bugs break (each names its unit test). */
#include "content/content.h"
#include "content/frontmatter.h"
#include "core/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WP_FUZZ_STRICT=1: also abort on the known bugs marked below. */
static int strict = -1;

static bool key_ok(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') || *k == '_' ||
              *k == '-'))
            return false;
    return true;
}

static void check_fm(const char *src, size_t len)
{
    fm f;
    char err[128];
    memset(err, 'x', sizeof(err));
    if (!fm_parse(&f, src, len, err, sizeof(err))) {
        if (!memchr(err, '\0', sizeof(err)) || strncmp(err, "line ", 5) != 0)
            abort();
        long line = strtol(err + 5, NULL, 10);
        /* known bug: "line 0" for an empty input (see test_frontmatter.c) */
        if (line < 1 && (strict || len != 0))
            abort();
        return;
    }
    if (f.body < src || f.body > src + len || f.body + f.body_len != src + len || f.body_line < 3)
        abort();
    if (f.count < 0 || f.count > FM_MAX_KEYS)
        abort();
    for (int i = 0; i < f.count; i++) {
        const fm_entry *e = &f.entries[i];
        if (!key_ok(e->key))
            abort();
        for (int k = 0; k < i; k++)
            if (!strcmp(f.entries[k].key, e->key))
                abort();
        if (e->value) {
            if (fm_get(&f, e->key) != e->value || fm_list(&f, e->key) || e->nitems != 0)
                abort();
        } else {
            if (fm_list(&f, e->key) != e || fm_get(&f, e->key) || e->nitems < 0 || e->nitems > FM_MAX_ITEMS)
                abort();
            for (int k = 0; k < e->nitems; k++)
                if (!e->items[k])
                    abort();
        }
    }
    fm_free(&f);
}

static bool date_ok(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static void check_page(const char *src, size_t len)
{
    page p;
    char err[256];
    if (!content_parse_page("fuzz.md", "dir/fuzz.md", src, len, &p, err, sizeof(err))) {
        if (strncmp(err, "fuzz.md", 7) != 0)
            abort();
        return;
    }
    if (!p.path || p.path[0] != '/' || !p.title[0] || !p.summary[0] || !date_ok(p.reviewed) || p.nsources < 1)
        abort();
    for (int i = 0; i < p.nsources; i++)
        if (p.sources[i].url && !str_has_prefix(p.sources[i].url, "https://") &&
            !str_has_prefix(p.sources[i].url, "http://"))
            abort();
    if (!p.html || !p.text || !p.tmpl || !p.tmpl[0])
        abort();
    /* known bug: a long non-ASCII heading gets an id cut inside a UTF-8
     * character (see test_markdown.c), so only checked when strict */
    if (strict && (!utf8_valid(p.html, strlen(p.html)) || !utf8_valid(p.text, strlen(p.text))))
        abort();
    page_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (strict < 0)
        strict = getenv("WP_FUZZ_STRICT") != NULL;
    /* fm_parse gets a copy with no NUL after it, so ASan sees overreads */
    char *src = malloc(size ? size : 1);
    memcpy(src, data, size);
    check_fm(src, size);
    /* content_parse_page gets NUL-terminated text, as content_load passes
     * it (file_read): md4c 0.4.8 reads one byte past the end of its input
     * (see test_render_stays_in_bounds in test_markdown.c), so without the
     * NUL every "[x](a" at the end of a body crashes in md4c. Strict mode
     * uses the unterminated copy. */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    check_page(strict ? src : text, size);
    free(text);
    free(src);
    return 0;
}
