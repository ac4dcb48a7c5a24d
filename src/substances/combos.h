/* combos: the combination checker. Resolves two to six names (slugs, names,
 * street and brand names, in any case and spacing) to substances and lists
 * every pair, worst first, with its level, explanation, advice and sources.
 * Two names of the same substance or class (LSD and psilocybin, Xanax and
 * Valium) give that substance's "self" cell, marked "same": true; a pair
 * of substances named twice is listed once.
 * One function (combos_plan_lang) resolves the names and picks the pairs;
 * the API writes its plan as JSON (combos_check_lang) and the page shows it
 * with the texts combos_view made once per language, so they cannot
 * disagree. Names, explanations, advice, notes and error
 * messages come in the language asked for (core/i18n.h: the data's
 * English is the msgid), with the site's emergency number filled in. */
#ifndef WP_COMBOS_H
#define WP_COMBOS_H

#include "core/config.h"
#include "substances/matrix.h"

#include <jansson.h>
#include <stdbool.h>

#define COMBOS_MIN 2
#define COMBOS_MAX 6

/* Loads the folder data_dir/interactions/ for the server's lifetime, with
 * the site's emergency number in its texts. */
bool combos_load(const config *cfg, char *err, size_t errlen);
void combos_unload(void);
const matrix *combos_matrix(void);
/* The /combos page's data in lang for the loaded matrix (combos_view.h),
 * or NULL for a language the site did not have when the matrix loaded. */
struct combos_view;
const struct combos_view *combos_view_of(int lang);

typedef struct combo_error {
    char message[256];
    char unknown[128];     /* the name that was not found, if that was it */
    int suggestions[3];
    int nsuggestions;
} combo_error;

/* Splits "a,b,c" style lists and repeated values into queries (at most
 * COMBOS_MAX + 1 are kept so that "too many" can be reported). */
int combos_collect(const char *const *values, int nvalues, char out[][128], int max);

/* One pair of a result: a <= b (a == b: two names of one substance or
 * class, its self cell), the cell and its level's severity. */
typedef struct combo_pair {
    int a, b;
    const cell *c;
    int severity;
} combo_pair;

/* What a check found, before any text: the substance of each query and
 * the distinct pairs, worst first (then by a, then b). */
typedef struct combo_plan {
    int n;
    int subs[COMBOS_MAX];
    combo_pair pairs[COMBOS_MAX * COMBOS_MAX];
    int npairs;
} combo_plan;

/* Resolves queries into p; false with e filled (in lang) when a name is
 * unknown or the count is not 2-6. combos_check_lang and the page (which
 * takes its texts from combos_view) both start here. */
bool combos_plan_lang(const matrix *m, int lang, char queries[][128], int n, combo_plan *p, combo_error *e);

/* Checks queries and builds {"substances": [...], "pairs": [...]}: each
 * substance {"query","slug","name"} with "note" when the name is an alias
 * with a note (a look-alike, such as dexmedetomidine); each pair
 * {"a","b","same","level","summary","advice","sources"}. NULL with e filled
 * when a name is unknown or the count is not 2-6. The texts and e's
 * message are in lang; names resolve in any language (accents and case
 * folded) and also by their translation in lang. */
json_t *combos_check_lang(const matrix *m, int lang, char queries[][128], int n, combo_error *e);
/* The same in English. */
json_t *combos_check(const matrix *m, char queries[][128], int n, combo_error *e);

/* Sets o[key] to the data text src (a *_src field of the matrix) in lang,
 * with the site's number filled in. */
void combos_set_text(json_t *o, const char *key, const matrix *m, int lang, const char *src);

/* {"slug","name","group","aliases"} for one substance, its name in lang. */
json_t *combos_substance_json(const matrix *m, int lang, int i);
/* {"title","url"} list of a cell's sources. */
json_t *combos_refs_json(const matrix *m, const cell *c);

#endif
