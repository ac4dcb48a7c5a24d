/* shortcuts: loading and checking the finder's quick searches. See
 * shortcuts.h. */
#include "locator/shortcuts.h"
#include "core/util.h"
#include "core/vocab.h"
#include "locator/locator.h"

#include <stdlib.h>
#include <string.h>

#define SHORTCUTS_FILE "vocab/finder-shortcuts.json"
#define MAX_SHORTCUTS 32
#define SLUG_MAX 48 /* "/find/" and the slug fit the 64-byte link */

static shortcut *loaded;
static size_t nloaded;
static vocab loaded_file; /* the strings of loaded point into it */

/* Checks entry i against the taxonomy and the entries before it. */
static bool read_one(vocab *v, json_t *e, size_t i, const shortcut *before, shortcut *out)
{
    const char *slug = vocab_text(e, "slug"), *code = vocab_text(e, "code"), *title = vocab_text(e, "title");
    if (!vocab_slug(slug, SLUG_MAX))
        return vocab_bad(v, "shortcuts", i, slug, "the slug must be 1 to %d of a-z, 0-9 and -", SLUG_MAX - 1);
    if (!title)
        return vocab_bad(v, "shortcuts", i, slug, "no title");
    if (!code)
        return vocab_bad(v, "shortcuts", i, slug, "no code");
    const loc_code *c = loc_code_find(code);
    if (!c)
        return vocab_bad(v, "shortcuts", i, slug, "the code \"%s\" is not in the Waypost taxonomy", code);
    if (c->attribute)
        return vocab_bad(v, "shortcuts", i, slug, "the code \"%s\" is an attribute (a filter), not a term", code);
    for (size_t k = 0; k < i; k++) {
        if (!strcmp(before[k].slug, slug))
            return vocab_bad(v, "shortcuts", i, slug, "the slug is listed twice");
        if (!strcmp(before[k].code, code))
            return vocab_bad(v, "shortcuts", i, slug, "the code \"%s\" already has the shortcut \"%s\"", code,
                             before[k].slug);
    }
    *out = (shortcut){slug, code, title};
    return true;
}

bool shortcuts_load(const config *cfg, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, cfg->data_dir, SHORTCUTS_FILE, err, errlen))
        return false;
    json_t *list = vocab_list(&v, "shortcuts", 1, MAX_SHORTCUTS);
    size_t n = json_array_size(list);
    shortcut *s = xcalloc(n ? n : 1, sizeof(shortcut));
    bool ok = list != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = read_one(&v, json_array_get(list, i), i, s, &s[i]);
    if (!ok) {
        free(s);
        vocab_close(&v);
        return false;
    }
    shortcuts_free();
    loaded = s;
    nloaded = n;
    loaded_file = v;
    return true;
}

void shortcuts_free(void)
{
    free(loaded);
    loaded = NULL;
    nloaded = 0;
    vocab_close(&loaded_file);
}

size_t shortcuts_count(void)
{
    return nloaded;
}

const shortcut *shortcuts_at(size_t i)
{
    return i < nloaded ? &loaded[i] : NULL;
}

const shortcut *shortcut_by_slug(const char *slug)
{
    for (size_t i = 0; slug && i < nloaded; i++)
        if (!strcmp(loaded[i].slug, slug))
            return &loaded[i];
    return NULL;
}

const shortcut *shortcut_by_code(const char *code)
{
    for (size_t i = 0; code && i < nloaded; i++)
        if (!strcmp(loaded[i].code, code))
            return &loaded[i];
    return NULL;
}
