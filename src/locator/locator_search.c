/* locator_search: the finder's answer in site search. A search that names
 * a place ("97214", "Denver, CO", "naloxone near denver co") offers the
 * finder there, for the kind of service named when one is (a finder
 * shortcut's slug, "naloxone", or a Waypost code). Registered for the
 * "search" page slot (pages/hooks.h). */
#include "locator/locator_search.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"
#include "locator/places.h"
#include "locator/shortcuts.h"
#include "pages/hooks.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WORDS_MAX 24

/* The place part of q: after its last " near " or " in ", else a five-digit
 * word, else all of it. */
static void place_part(const char *q, char *out, size_t outlen)
{
    const char *cut = NULL;
    for (const char *p = q; *p; p++)
        if (!strncasecmp(p, " near ", 6))
            cut = p + 6;
        else if (!strncasecmp(p, " in ", 4))
            cut = p + 4;
    if (cut) {
        str_copy(out, outlen, cut);
        return;
    }
    for (const char *p = q; *p; p++) {
        bool start = p == q || !isalnum_ascii((unsigned char)p[-1]);
        size_t n = 0;
        while (n < 6 && p[n] >= '0' && p[n] <= '9')
            n++;
        if (start && n == 5 && !isalnum_ascii((unsigned char)p[5])) {
            snprintf(out, outlen, "%.5s", p);
            return;
        }
    }
    str_copy(out, outlen, q);
}

/* The finder shortcut a word of q names ("naloxone", "syringes"), or NULL. */
static const shortcut *what_part(const char *q)
{
    const char *p = q;
    while (*p) {
        while (*p && !isalnum_ascii((unsigned char)*p))
            p++;
        char word[48];
        size_t n = 0;
        while (p[n] && (isalnum_ascii((unsigned char)p[n]) || p[n] == '-'))
            n++;
        if (n && n < sizeof(word)) {
            for (size_t i = 0; i < n; i++)
                word[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
            word[n] = '\0';
            const shortcut *sc = shortcut_by_slug(word);
            if (!sc)
                sc = shortcut_by_code(word);
            if (sc)
                return sc;
        }
        p += n;
    }
    return NULL;
}

static void search_hook(page_ctx *ctx)
{
    const char *q = hooks_query(ctx);
    char where[128];
    place_part(q, where, sizeof(where));
    place_result pr;
    place_resolve_known(where, &pr);
    if (pr.status != PLACE_FOUND && pr.status != PLACE_STATE)
        return;
    const shortcut *sc = what_part(q);
    buf href = BUF_INIT, title = BUF_INIT;
    int lang = ctx->rq ? ctx->rq->lang : I18N_SOURCE;
    if (sc) {
        buf_printf(&href, "/find/%s?where=", sc->slug);
        buf_printf(&title, i18n_tr(lang, "%s near %s"), i18n_tr(lang, sc->title), pr.label);
    } else {
        buf_puts(&href, "/find?where=");
        buf_printf(&title, i18n_tr(lang, "Find services near %s"), pr.label);
    }
    esc_url(&href, where, strlen(where));
    hooks_offer(ctx, 10, buf_cstr(&title), buf_cstr(&href),
                i18n_tr(lang, "Naloxone, syringe services, testing and treatment near there, with ways to get supplies "
                              "by mail."));
    buf_free(&href);
    buf_free(&title);
}

bool locator_search_register(void)
{
    return hooks_add("search", search_hook);
}
