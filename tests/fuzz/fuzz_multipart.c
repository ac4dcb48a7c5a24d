/* fuzz_multipart: libFuzzer harness for multipart/form-data bodies
 * (src/http/multipart.c), with the memory from an arena.
 *
 * The input's first line (up to a newline, at most 200 bytes) is the
 * Content-Type header; the rest is the body. It is parsed with no allowed
 * list and with the list "csrf,file,file.filename,text,q*". Checks on every
 * result: a refusal has a reason; an accepted body has at most PARAMS_MAX
 * pairs, every key and value NUL-free valid UTF-8; the filtered parse keeps
 * exactly the pairs of the unfiltered one with allowed keys, in order; a
 * boundary multipart_boundary accepts is 1 to 70 allowed characters; and
 * writing the pairs back as a multipart body (with a boundary no value
 * holds) and parsing that gives the same pairs (round trip). */
#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/multipart.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const param_spec spec[] = {
    {"csrf", PT_TEXT, 0, 64, NULL, NULL, 1, false},         {"file", PT_TEXT, 0, 1e9, NULL, NULL, 1, true},
    {"file.filename", PT_TEXT, 0, 255, NULL, NULL, 1, true}, {"text", PT_TEXT, 0, 1e9, NULL, NULL, 1, true},
    {"q*", PT_TEXT, 0, 16, NULL, NULL, 1, false},           {NULL, PT_TEXT, 0, 0, NULL, NULL, 0, false},
};

static void check_text(const char *s)
{
    if (!s || !utf8_valid(s, strlen(s)))
        abort();
}

static bool holds(const params *p, const char *needle)
{
    for (size_t i = 0; i < p->count; i++)
        if (strstr(p->items[i].value, needle) || strstr(p->items[i].key, needle))
            return true;
    return false;
}

/* The pairs written back as a body; false when no boundary fits. */
static bool write_back(const params *p, buf *b, char *ct, size_t ctlen)
{
    char boundary[32], delim[40];
    for (int n = 0;; n++) {
        if (n > 1000)
            return false;
        snprintf(boundary, sizeof(boundary), "wp%d", n);
        snprintf(delim, sizeof(delim), "--%s", boundary);
        if (!holds(p, delim))
            break;
    }
    for (size_t i = 0; i < p->count; i++) {
        if (strchr(p->items[i].key, '"') || strstr(p->items[i].key, "\r\n"))
            return false;
        buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary, p->items[i].key,
                   p->items[i].value);
    }
    buf_printf(b, "--%s--\r\n", boundary);
    snprintf(ct, ctlen, "multipart/form-data; boundary=%s", boundary);
    return true;
}

static void check(arena *a, const char *ct, const char *body, size_t n)
{
    params p, f, back;
    const char *why = NULL;
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    if (multipart_boundary(ct, boundary) && (!boundary[0] || strlen(boundary) > MULTIPART_BOUNDARY_MAX))
        abort();
    if (multipart_parse(a, ct, body, n, NULL, &p, &why) != PARAMS_OK) {
        if (!why || !*why)
            abort();
        return;
    }
    if (p.count > PARAMS_MAX)
        abort();
    for (size_t i = 0; i < p.count; i++) {
        check_text(p.items[i].key);
        check_text(p.items[i].value);
    }
    why = NULL;
    if (multipart_parse(a, ct, body, n, spec, &f, &why) != PARAMS_OK)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < p.count; i++) {
        if (!param_spec_find(spec, p.items[i].key, strlen(p.items[i].key)))
            continue;
        if (k >= f.count || strcmp(f.items[k].key, p.items[i].key) || strcmp(f.items[k].value, p.items[i].value))
            abort();
        k++;
    }
    if (k != f.count)
        abort();
    buf b;
    buf_init(&b, 0);
    char ct2[128];
    if (write_back(&p, &b, ct2, sizeof(ct2))) {
        why = NULL;
        if (multipart_parse(a, ct2, buf_cstr(&b), b.len, NULL, &back, &why) != PARAMS_OK || back.count != p.count)
            abort();
        for (size_t i = 0; i < p.count; i++)
            if (strcmp(back.items[i].key, p.items[i].key) || strcmp(back.items[i].value, p.items[i].value))
                abort();
    }
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size < 200 ? size : 200);
    if (!nl)
        return 0;
    size_t ctn = (size_t)(nl - (const char *)data);
    char *ct = malloc(ctn + 1);
    memcpy(ct, data, ctn);
    ct[ctn] = '\0';
    size_t n = size - ctn - 1;
    /* a private copy without a terminating NUL, so ASan sees overreads */
    char *body = malloc(n ? n : 1);
    memcpy(body, nl + 1, n);
    arena a;
    arena_init(&a);
    check(&a, ct, body, n);
    arena_free(&a);
    free(body);
    free(ct);
    return 0;
}
