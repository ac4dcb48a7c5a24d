/* hooks: the table of page slots and the functions features registered
 * for them. See hooks.h. */
#include "pages/hooks.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#define MAX_HOOKS 64
#define SLOT_MAX 96

typedef struct hook {
    char slot[SLOT_MAX];
    page_hook_fn fn;
} hook;

static hook table[MAX_HOOKS];
static int nhooks;

bool hooks_add(const char *slot, page_hook_fn fn)
{
    if (nhooks >= MAX_HOOKS || !fn || strlen(slot) >= SLOT_MAX)
        return false;
    str_copy(table[nhooks].slot, SLOT_MAX, slot);
    table[nhooks].fn = fn;
    nhooks++;
    return true;
}

void hooks_run(const char *slot, page_ctx *ctx)
{
    for (int i = 0; i < nhooks; i++)
        if (!strcmp(table[i].slot, slot))
            table[i].fn(ctx);
}

void hooks_run_page(page_ctx *ctx)
{
    if (!ctx->p)
        return;
    char slot[SLOT_MAX];
    if (ctx->p->section && *ctx->p->section) {
        snprintf(slot, sizeof(slot), "page:%s", ctx->p->section);
        hooks_run(slot, ctx);
    }
    snprintf(slot, sizeof(slot), "path:%s", ctx->p->path);
    hooks_run(slot, ctx);
}

void hooks_offer(page_ctx *ctx, int rank, const char *title, const char *href, const char *text)
{
    json_t *tools = json_object_get(ctx->data, "tools");
    if (!json_is_array(tools)) {
        tools = json_array();
        json_object_set_new(ctx->data, "tools", tools);
    }
    json_t *o = json_object();
    json_object_set_new(o, "title", json_string(title ? title : ""));
    json_object_set_new(o, "href", json_string(href ? href : ""));
    json_object_set_new(o, "text", json_string(text ? text : ""));
    json_object_set_new(o, "rank", json_integer(rank));
    json_array_append_new(tools, o);
}

const char *hooks_query(const page_ctx *ctx)
{
    const char *q = json_string_value(json_object_get(ctx->data, "q"));
    return q ? q : "";
}

int hooks_count(const char *slot)
{
    int n = 0;
    for (int i = 0; i < nhooks; i++)
        n += !strcmp(table[i].slot, slot);
    return n;
}

void hooks_clear(void)
{
    nhooks = 0;
}
