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
