/* vocab: opening a data/ vocabulary and wording its problems. See vocab.h. */
#include "core/vocab.h"
#include "core/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB_FILE_MAX (1024u * 1024u)

bool vocab_open(vocab *v, const char *data_dir, const char *rel, char *err, size_t errlen)
{
    memset(v, 0, sizeof(*v));
    v->err = err;
    v->errlen = errlen;
    snprintf(v->path, sizeof(v->path), "%s/%s", data_dir, rel);
    size_t len;
    char *text = file_read(v->path, VOCAB_FILE_MAX, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", v->path, strerror(errno));
        return false;
    }
    json_error_t je;
    v->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!v->root) {
        snprintf(err, errlen, "%s: line %d column %d: %s", v->path, je.line, je.column, je.text);
        return false;
    }
    if (!json_is_object(v->root)) {
        snprintf(err, errlen, "%s: the file is not a JSON object", v->path);
        vocab_close(v);
        return false;
    }
    return true;
}

void vocab_close(vocab *v)
{
    json_decref(v->root);
    v->root = NULL;
}

json_t *vocab_list(vocab *v, const char *key, size_t min, size_t max)
{
    json_t *list = json_object_get(v->root, key);
    size_t n = json_array_size(list);
    if (!json_is_array(list) || n < min || n > max) {
        snprintf(v->err, v->errlen, "%s: \"%s\" must be a list of %zu to %zu entries", v->path, key, min, max);
        return NULL;
    }
    return list;
}

bool vocab_bad(vocab *v, const char *list, size_t i, const char *id, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (id && *id)
        snprintf(v->err, v->errlen, "%s: %s[%zu] \"%s\": %s", v->path, list, i, id, why);
    else
        snprintf(v->err, v->errlen, "%s: %s[%zu]: %s", v->path, list, i, why);
    return false;
}

const char *vocab_text(json_t *entry, const char *key)
{
    const char *s = json_string_value(json_object_get(entry, key));
    return s && *s ? s : NULL;
}

bool vocab_slug(const char *s, size_t max)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
            return false;
    return n > 0 && n < max;
}
