/* matrix: the substances and the interaction matrix behind the combination
 * checker, loaded from the hand-authored folder data/interactions/ (our own
 * data; see data/interactions/README.md and data/PROVENANCE.md).
 *
 * Loading checks what the checker relies on: every level known, every
 * substance file listed in the substance order and every group named in
 * matrix.json, every pair of distinct substances present exactly once and
 * in the file of the slug that comes first alphabetically (so the matrix is
 * complete and symmetric), every substance's "self" cell (two names for the
 * same substance or class, such as LSD and psilocybin, or two
 * benzodiazepines), every source id defined, every cell above low risk
 * sourced, every alias note on one of its substance's aliases, and every
 * name and alias resolving to exactly one substance after normalising
 * (case and the accents of the Latin-1 letters folded, letters and digits
 * only, so "Cocaína", "cocaina" and "COCAÍNA" are one key). A matrix is
 * immutable after loading and shared by all threads.
 *
 * The texts people see are kept twice: as the data writes them (the *_src
 * fields, with {{emergency_number}} still in them: the msgid a catalog
 * translates, see po/data-strings.json) and filled in with the site's
 * number (English). matrix_text gives a text in another language. */
#ifndef WP_MATRIX_H
#define WP_MATRIX_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define MATRIX_MAX_SUBS 64
#define MATRIX_MAX_LEVELS 8

typedef struct level {
    char *id, *name, *definition;
    char *name_src, *definition_src; /* as in matrix.json: the msgids */
    int rank;     /* from the data: 1 is worst */
    int severity; /* sort order of the checker: 0 worst; unknown sorts before the low-risk levels */
} level;

typedef struct ref {
    char *id, *title, *url;
} ref;

typedef struct substance {
    char *slug, *name, *group;
    char *name_src; /* the name as its file writes it: the msgid */
    char **aliases;
    int naliases;
    bool depressant; /* slows breathing: its group's "depressant" flag unless its own file says otherwise */
} substance;

typedef struct cell {
    int level;
    char *summary, *advice;
    char *summary_src, *advice_src; /* as the file writes them: the msgids */
    int *refs;
    int nrefs;
} cell;

typedef struct matrix_key {
    char *key;  /* normalised */
    int sub;
    char *note; /* the alias's note (a look-alike name: how it differs), or NULL */
    char *note_src; /* the note as the file writes it: the msgid, or NULL */
} matrix_key;

typedef struct matrix {
    char *reviewed;
    char *emergency; /* the site's number, which replaces {{emergency_number}} */
    level levels[MATRIX_MAX_LEVELS];
    int nlevels;
    substance *subs;
    int nsubs;
    ref *refs;
    int nrefs;
    cell *cells;  /* one per pair */
    int ncells;
    int *grid;    /* nsubs * nsubs: index into cells; the diagonal holds each substance's self cell */
    matrix_key *keys; /* sorted by key */
    int nkeys;
} matrix;

/* Loads and checks the folder dir (matrix.json, sources.json and
 * substances/<slug>.json; see data/interactions/README.md). Every
 * {{emergency_number}} in a text people see (level names and definitions,
 * substance names, summaries, advice) becomes emergency, the site's
 * number; any other {{...}} placeholder fails the load. false with a
 * sentence in err naming the file and the pair, substance or alias at
 * fault. */
bool matrix_load(const char *dir, const char *emergency, matrix **out, char *err, size_t errlen);
void matrix_free(matrix *m);

/* Writes the normalised form of s: lower-case ASCII letters and digits,
 * with the letters of the UTF-8 Latin-1 Supplement folded to their base
 * letter ("Éxtasis" and "extasis" are "extasis"; ñ is n, ç c, ß ss) and
 * everything else dropped. */
void matrix_normalise(const char *s, char *out, size_t outlen);
/* The substance a slug, name or alias names, or -1. */
int matrix_resolve(const matrix *m, const char *query);
/* The same, also trying each substance's name in lang (its translation in
 * the catalog), for the names a page in that language shows. */
int matrix_resolve_lang(const matrix *m, int lang, const char *query);
/* Appends to out the text src (a *_src field) in lang: its translation in
 * the catalog (src itself in English or when untranslated), with every
 * {{emergency_number}} replaced by the site's number. */
void matrix_text(const matrix *m, int lang, const char *src, buf *out);
/* The note of the alias query names as the data writes it (the msgid of
 * matrix_note's text), or NULL. */
const char *matrix_note_src(const matrix *m, const char *query);
/* Up to max substances whose names or aliases are close to query (edit
 * distance or prefix), best first, each once. Returns how many. */
int matrix_suggest(const matrix *m, const char *query, int *out, int max);
/* The note of the alias query names, when the data gives it one (a name
 * that resolves to a substance but is not quite it, such as the hospital
 * sedative dexmedetomidine for medetomidine), or NULL. */
const char *matrix_note(const matrix *m, const char *query);
/* The cell for two substances; a == b gives the substance's self cell (two
 * names for the same substance or class). NULL when out of range. */
const cell *matrix_cell(const matrix *m, int a, int b);
/* True for substances that slow breathing (the data marks them: a group's
 * "depressant" flag, or a substance's own). A combination with any of them
 * gets the don't-use-alone, carry-naloxone, go-slow note. */
bool matrix_is_depressant(const matrix *m, int sub);
int matrix_level(const matrix *m, const char *id);

#endif
