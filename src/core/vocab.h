/* vocab: reading the small JSON vocabularies under data/ (the Waypost
 * taxonomy, the finder shortcuts, the menu, the pathway filters). Each is
 * read once at start by the module that uses it and checked there; a
 * problem stops the server with one message that names the file and the
 * entry, in one form for every vocabulary:
 *
 *     data/vocab/navigation.json: items[2] "/find": no label
 *
 * A vocab owns its parsed JSON (root); strings read from it stay valid
 * until vocab_close, so a module that keeps pointers into it keeps the
 * vocab open until it unloads. */
#ifndef WP_VOCAB_H
#define WP_VOCAB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct vocab {
    char path[768]; /* data_dir/rel, as named in messages */
    json_t *root;   /* a JSON object; owned */
    char *err;      /* where problems are written (the caller's buffer) */
    size_t errlen;
} vocab;

/* Reads data_dir/rel (at most 1 MiB; duplicate keys refused). False with
 * err set ("cannot read PATH: ...", "PATH: line L column C: ...", "PATH:
 * the file is not a JSON object"); then nothing needs closing. */
bool vocab_open(vocab *v, const char *data_dir, const char *rel, char *err, size_t errlen);
void vocab_close(vocab *v);

/* root[key] when it is a list of min to max entries; else NULL with err
 * set ("PATH: \"key\" must be a list of MIN to MAX entries"). */
json_t *vocab_list(vocab *v, const char *key, size_t min, size_t max);

/* Writes "PATH: LIST[I] \"ID\": why" (without the id when it is NULL or
 * empty) into err. Returns false, so a loader can `return vocab_bad(...)`. */
bool vocab_bad(vocab *v, const char *list, size_t i, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* entry[key] when it is a string that is not empty, else NULL. */
const char *vocab_text(json_t *entry, const char *key);

/* True when s is 1 to max-1 bytes of a-z, 0-9 and '-': safe in a URL, a
 * query value and an HTML id without escaping. */
bool vocab_slug(const char *s, size_t max);

#endif
