/* matrix: querying the interaction matrix (name resolution, suggestions,
 * cells) and freeing it; matrix_load.c reads and checks it. */
#include "substances/matrix.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96

/* The base letters of U+00C0..U+00FF (UTF-8 0xC3 0x80..0xBF), lower
 * case; "" for the two signs among them (multiplication, division). */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* À..Ï */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss", /* Ð..ß */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  /* à..ï */
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",  /* ð..ÿ */
};

void matrix_normalise(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (; *s && n + 1 < outlen; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum_ascii(c)) {
            out[n++] = (char)tolower_ascii(c);
        } else if (c == 0xC3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0xBF) {
            for (const char *f = latin1_fold[(unsigned char)s[1] - 0x80]; *f && n + 1 < outlen; f++)
                out[n++] = *f;
            s++;
        }
        /* anything else (spaces, punctuation, other scripts, combining
         * accents of decomposed text) is dropped */
    }
    if (outlen)
        out[n] = '\0';
}

int matrix_level(const matrix *m, const char *id)
{
    for (int i = 0; i < m->nlevels; i++)
        if (!strcmp(m->levels[i].id, id))
            return i;
    return -1;
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp(((const matrix_key *)x)->key, ((const matrix_key *)y)->key);
}

void matrix_free(matrix *m)
{
    if (!m)
        return;
    free(m->reviewed);
    free(m->emergency);
    for (int i = 0; i < m->nlevels; i++) {
        free(m->levels[i].id);
        free(m->levels[i].name);
        free(m->levels[i].definition);
        free(m->levels[i].name_src);
        free(m->levels[i].definition_src);
    }
    for (int i = 0; i < m->nrefs; i++) {
        free(m->refs[i].id);
        free(m->refs[i].title);
        free(m->refs[i].url);
    }
    free(m->refs);
    for (int i = 0; i < m->nsubs; i++) {
        free(m->subs[i].slug);
        free(m->subs[i].name);
        free(m->subs[i].name_src);
        free(m->subs[i].group);
        for (int k = 0; k < m->subs[i].naliases; k++)
            free(m->subs[i].aliases[k]);
        free(m->subs[i].aliases);
    }
    free(m->subs);
    for (int i = 0; i < m->ncells; i++) {
        free(m->cells[i].summary);
        free(m->cells[i].advice);
        free(m->cells[i].summary_src);
        free(m->cells[i].advice_src);
        free(m->cells[i].refs);
    }
    free(m->cells);
    free(m->grid);
    for (int i = 0; i < m->nkeys; i++) {
        free(m->keys[i].key);
        free(m->keys[i].note);
        free(m->keys[i].note_src);
    }
    free(m->keys);
    free(m);
}

static const matrix_key *find_key(const matrix *m, const char *query)
{
    char k[KEY_MAX];
    matrix_normalise(query, k, sizeof(k));
    if (!k[0])
        return NULL;
    matrix_key probe = {k, 0, NULL, NULL};
    return bsearch(&probe, m->keys, (size_t)m->nkeys, sizeof(matrix_key), key_cmp);
}

int matrix_resolve(const matrix *m, const char *query)
{
    const matrix_key *hit = find_key(m, query);
    return hit ? hit->sub : -1;
}

const char *matrix_note(const matrix *m, const char *query)
{
    const matrix_key *hit = find_key(m, query);
    return hit ? hit->note : NULL;
}

const char *matrix_note_src(const matrix *m, const char *query)
{
    const matrix_key *hit = find_key(m, query);
    return hit ? hit->note_src : NULL;
}

int matrix_resolve_lang(const matrix *m, int lang, const char *query)
{
    int hit = matrix_resolve(m, query);
    if (hit >= 0 || lang == I18N_SOURCE)
        return hit;
    char q[KEY_MAX], k[KEY_MAX];
    matrix_normalise(query, q, sizeof(q));
    if (!q[0])
        return -1;
    for (int i = 0; i < m->nsubs; i++) {
        buf name = BUF_INIT;
        matrix_text(m, lang, m->subs[i].name_src, &name);
        matrix_normalise(buf_cstr(&name), k, sizeof(k));
        buf_free(&name);
        if (!strcmp(q, k))
            return i;
    }
    return -1;
}

#define TOKEN "{{emergency_number}}"

void matrix_text(const matrix *m, int lang, const char *src, buf *out)
{
    const char *t = i18n_tr(lang, src), *hit;
    while ((hit = strstr(t, TOKEN)) != NULL) {
        buf_append(out, t, (size_t)(hit - t));
        buf_puts(out, m->emergency ? m->emergency : "");
        t = hit + strlen(TOKEN);
    }
    buf_puts(out, t);
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
static int edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb];
}

int matrix_suggest(const matrix *m, const char *query, int *out, int max)
{
    char q[KEY_MAX];
    matrix_normalise(query, q, sizeof(q));
    size_t ql = strlen(q);
    if (!ql || max <= 0)
        return 0;
    int limit = ql <= 4 ? 1 : ql <= 8 ? 2 : 3;
    int best[MATRIX_MAX_SUBS];
    for (int i = 0; i < m->nsubs; i++)
        best[i] = 1000;
    for (int i = 0; i < m->nkeys; i++) {
        const matrix_key *k = &m->keys[i];
        int d = (ql >= 3 && !strncmp(k->key, q, ql)) ? 0 : edit_distance(q, k->key, limit);
        if (d <= limit && d < best[k->sub])
            best[k->sub] = d;
    }
    int n = 0;
    for (int d = 0; d <= limit && n < max; d++)
        for (int i = 0; i < m->nsubs && n < max; i++)
            if (best[i] == d)
                out[n++] = i;
    return n;
}

const cell *matrix_cell(const matrix *m, int a, int b)
{
    if (a < 0 || b < 0 || a >= m->nsubs || b >= m->nsubs)
        return NULL;
    return &m->cells[m->grid[a * m->nsubs + b]];
}

bool matrix_is_depressant(const matrix *m, int sub)
{
    return m->subs[sub].depressant;
}
