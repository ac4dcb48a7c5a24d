/* fuzz_mustache: libFuzzer harness for the Mustache engine
 * (src/tmpl/mustache.c).
 *
 * Compiles the input as template "t". A syntax error must come with a
 * message that starts with "t:". When it compiles, the input is also
 * registered as partials "p" and "a" and under the name spelled by its first
 * line, so {{>t}}, {{<p}} or {{>whatever-line-one-says}} recurse into
 * itself; a few fixed partials and a layout with blocks are there too. The
 * template is then rendered twice against a small fixed JSON context (the
 * two outputs must match) and once with no context. Output is capped at
 * 1 MiB and each render at 200000 steps so every input finishes quickly. */
#include "tmpl/mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char ctx_json[] =
    "{\"a\": \"<b>&'\\\"\", \"b\": 1.21, \"n\": 85, \"t\": true, \"f\": false,"
    " \"z\": null, \"s\": \"\", \"list\": [1, \"two\", {\"a\": \"inner\"}, [3]],"
    " \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"list\": []},"
    " \"nl\": \"line\\nline\"}";

static json_t *ctx;

static void add_fixed(mus_set *s, const char *name, const char *src)
{
    char err[128];
    if (!mus_set_add(s, name, src, strlen(src), err, sizeof err))
        abort(); /* the fixed partials are valid */
}

/* Registers the input under the name its first line spells, if any. */
static void add_by_first_line(mus_set *s, const uint8_t *data, size_t size)
{
    char name[33];
    size_t n = 0;
    while (n < size && n < sizeof name - 1 && data[n] != '\n' && data[n] != '\0') {
        name[n] = (char)data[n];
        n++;
    }
    name[n] = '\0';
    if (n > 0)
        mus_set_add(s, name, (const char *)data, size, NULL, 0);
}

static void render_twice(const mus_set *s)
{
    buf one, two;
    buf_init(&one, 1u << 20);
    buf_init(&two, 1u << 20);
    bool ok1 = mus_render(s, "t", ctx, &one);
    bool ok2 = mus_render(s, "t", ctx, &two);
    if (ok1 != ok2 || one.len != two.len || memcmp(buf_cstr(&one), buf_cstr(&two), one.len))
        abort(); /* rendering must be deterministic */
    buf_reset(&one);
    mus_render(s, "t", NULL, &one);
    buf_free(&one);
    buf_free(&two);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        ctx = json_loads(ctx_json, 0, NULL);
    mus_set *s = mus_set_new();
    mus_set_max_steps(s, 200000);
    add_fixed(s, "layout", "<h1>{{$title}}T{{/title}}</h1>\n  {{$body}}\n  none\n  {{/body}}\n");
    add_fixed(s, "item", "{{#list}}\n  <li>{{.}}</li>\n{{/list}}\n");
    char err[96];
    const char *src = (const char *)data;
    if (!mus_set_add(s, "t", src, size, err, sizeof err)) {
        if (strncmp(err, "t:", 2) != 0 || strlen(err) >= sizeof err)
            abort(); /* every syntax error names the template */
        mus_set_free(s);
        return 0;
    }
    mus_set_add(s, "p", src, size, NULL, 0);
    mus_set_add(s, "a", src, size, NULL, 0);
    add_by_first_line(s, data, size);
    render_twice(s);
    mus_set_free(s);
    return 0;
}
