/* areas: the site's named areas (data/vocab/areas.json) and the one check
 * of what a person typed as an area. See areas.h. */
#include "community/areas.h"

#include "core/util.h"
#include "core/vocab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct area_set {
    vocab v;      /* owns every string below */
    area *items;  /* n areas */
    const char **zips; /* all areas' ZIP lists, back to back */
    size_t n;
} area_set;

static area_set *current;

bool areas_is_zip(const char *s)
{
    if (!s || strlen(s) != 5)
        return false;
    for (int i = 0; i < 5; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static void set_free(area_set *s)
{
    if (!s)
        return;
    vocab_close(&s->v);
    free(s->items);
    free(s->zips);
    free(s);
}

/* Reads one entry's ZIP list into s->zips from *used on. */
static bool read_zips(area_set *s, json_t *e, size_t i, const char *slug, size_t *used, size_t cap)
{
    json_t *zips = json_object_get(e, "zips");
    if (!json_is_array(zips) || json_array_size(zips) < 1 || json_array_size(zips) > AREA_ZIPS_MAX)
        return vocab_bad(&s->v, "areas", i, slug, "\"zips\" must be a list of 1 to %d ZIP codes", AREA_ZIPS_MAX);
    area *a = &s->items[i];
    a->zips = s->zips + *used;
    a->nzips = json_array_size(zips);
    for (size_t k = 0; k < a->nzips; k++) {
        const char *z = json_string_value(json_array_get(zips, k));
        if (!areas_is_zip(z))
            return vocab_bad(&s->v, "areas", i, slug, "zips[%zu] is not a five-digit ZIP code", k);
        if (*used >= cap)
            return vocab_bad(&s->v, "areas", i, slug, "too many ZIP codes in all");
        s->zips[(*used)++] = z;
    }
    return true;
}

static bool read_entry(area_set *s, json_t *e, size_t i, size_t *used, size_t cap)
{
    const char *slug = vocab_text(e, "slug");
    if (!slug || !vocab_slug(slug, 48) || areas_is_zip(slug))
        return vocab_bad(&s->v, "areas", i, slug, "\"slug\" must be a-z, 0-9 and '-', under 48 bytes, not a ZIP");
    for (size_t k = 0; k < i; k++)
        if (strcmp(s->items[k].slug, slug) == 0)
            return vocab_bad(&s->v, "areas", i, slug, "the slug is used twice");
    const char *name = vocab_text(e, "name");
    if (!name || strlen(name) > 80)
        return vocab_bad(&s->v, "areas", i, slug, "\"name\" must be 1 to 80 bytes");
    s->items[i].slug = slug;
    s->items[i].name = name;
    return read_zips(s, e, i, slug, used, cap);
}

static area_set *set_read(const char *data_dir, char *err, size_t errlen)
{
    area_set *s = xcalloc(1, sizeof(*s));
    if (!vocab_open(&s->v, data_dir, "vocab/areas.json", err, errlen)) {
        free(s);
        return NULL;
    }
    json_t *list = vocab_list(&s->v, "areas", 0, AREAS_MAX);
    if (!list) {
        set_free(s);
        return NULL;
    }
    s->n = json_array_size(list);
    size_t cap = s->n * AREA_ZIPS_MAX, used = 0;
    s->items = xcalloc(s->n ? s->n : 1, sizeof(area));
    s->zips = xcalloc(cap ? cap : 1, sizeof(char *));
    for (size_t i = 0; i < s->n; i++)
        if (!read_entry(s, json_array_get(list, i), i, &used, cap)) {
            set_free(s);
            return NULL;
        }
    return s;
}

bool areas_load_dir(const char *data_dir, char *err, size_t errlen)
{
    area_set *s = set_read(data_dir, err, errlen);
    if (!s)
        return false;
    set_free(current);
    current = s;
    return true;
}

bool areas_load(const config *cfg, char *err, size_t errlen)
{
    return areas_load_dir(cfg->data_dir, err, errlen);
}

void areas_unload(void)
{
    set_free(current);
    current = NULL;
}

size_t areas_count(void)
{
    return current ? current->n : 0;
}

const area *areas_at(size_t i)
{
    return current && i < current->n ? &current->items[i] : NULL;
}

const area *areas_find(const char *slug)
{
    for (size_t i = 0; slug && i < areas_count(); i++)
        if (strcasecmp(current->items[i].slug, slug) == 0)
            return &current->items[i];
    return NULL;
}

/* s without the spaces around it, into buf; false when too long. */
static bool trimmed(const char *s, char *buf, size_t n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= n)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

bool areas_check(const char *s, char *out, size_t outlen)
{
    char t[AREA_KEY_MAX];
    if (!s || !trimmed(s, t, sizeof(t)))
        return false;
    if (strlen(t) == 10 && t[5] == '-' && isdigit((unsigned char)t[6]) && isdigit((unsigned char)t[7]) &&
        isdigit((unsigned char)t[8]) && isdigit((unsigned char)t[9]))
        t[5] = '\0';
    if (areas_is_zip(t))
        return str_copy(out, outlen, t);
    const area *a = areas_find(t);
    return a && str_copy(out, outlen, a->slug);
}

bool areas_covers(const char *key, const char *zip)
{
    if (!key || !zip)
        return false;
    if (areas_is_zip(key))
        return strcmp(key, zip) == 0;
    const area *a = areas_find(key);
    for (size_t i = 0; a && i < a->nzips; i++)
        if (strcmp(a->zips[i], zip) == 0)
            return true;
    return false;
}

const char *areas_label(const char *key)
{
    const area *a = areas_is_zip(key) ? NULL : areas_find(key);
    return a ? a->name : key;
}
