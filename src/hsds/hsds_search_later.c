/* hsds_search_later: new services held for the search index (hsds_search_later.h). */
#include "hsds/hsds_search_later.h"
#include "core/arena.h"
#include "hsds/hsds_store.h"

#include <stdlib.h>
#include <string.h>

typedef struct held {
    long long rowid; /* 0: taken back */
    const char *name, *alt, *desc;
} held;

struct hsds_search_later {
    arena texts;
    held *rows;
    size_t n, cap;
};

hsds_search_later *hsds_search_later_new(void)
{
    hsds_search_later *s = calloc(1, sizeof(*s));
    if (s)
        arena_init(&s->texts);
    return s;
}

static void empty(hsds_search_later *s)
{
    arena_free(&s->texts);
    arena_init(&s->texts);
    s->n = 0;
}

void hsds_search_later_free(hsds_search_later *s)
{
    if (!s)
        return;
    arena_free(&s->texts);
    free(s->rows);
    free(s);
}

bool hsds_search_later_add(hsds_search_later *s, long long rowid, const char *name, const char *alt,
                           const char *desc)
{
    if (!s || rowid <= 0 || (s->n && rowid <= s->rows[s->n - 1].rowid))
        return false;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        held *rows = realloc(s->rows, cap * sizeof(held));
        if (!rows)
            return false;
        s->rows = rows;
        s->cap = cap;
    }
    s->rows[s->n++] = (held){rowid, arena_strdup(&s->texts, name ? name : ""),
                             arena_strdup(&s->texts, alt ? alt : ""), arena_strdup(&s->texts, desc ? desc : "")};
    return true;
}

bool hsds_search_later_take(hsds_search_later *s, long long rowid)
{
    size_t lo = 0, hi = s ? s->n : 0;
    while (lo < hi) { /* held in row order */
        size_t mid = lo + (hi - lo) / 2;
        if (s->rows[mid].rowid < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == (s ? s->n : 0) || s->rows[lo].rowid != rowid)
        return false;
    s->rows[lo].rowid = 0;
    return true;
}

bool hsds_search_later_index(hsds_search_later *s, sqlite3 *db)
{
    bool ok = true;
    for (size_t i = 0; s && ok && i < s->n; i++) {
        const held *h = &s->rows[i];
        if (h->rowid)
            ok = hsds_store_search_add_text(db, h->rowid, h->name, h->alt, h->desc);
    }
    if (s)
        empty(s);
    return ok;
}
