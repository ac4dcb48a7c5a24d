/* find_form: the finder form's choices (kinds of service, distances,
 * filters, languages spoken, quick searches) as HTML. They are the same on
 * every /find page of a language except which are selected, and building
 * them as jansson objects for Mustache on every request was a tenth of the
 * page's time; now each choice is rendered from partials/find-choices, both
 * selected and not, once per language and template set, and a request
 * joins the pieces.
 *
 * A language's pieces belong to the template set they were rendered with
 * (a new set, as --dev makes when a template changes, renders them again);
 * at most one set per language is kept (I18N_MAX_LANGS entries; another
 * language number is rendered without being kept). Thread-safe. */
#ifndef WP_FIND_FORM_H
#define WP_FIND_FORM_H

#include "tmpl/mustache.h"

#include <jansson.h>
#include <stdbool.h>

/* The distances offered, in miles. */
extern const int find_form_radii[];
extern const int find_form_nradii;

/* What a request has chosen (NULL or 0: nothing). */
typedef struct find_form_choice {
    const char *what;
    const char *const *attrs;
    int nattrs;
    long miles;
    const char *lang; /* a code of card_languages */
} find_form_choice;

/* Sets whats_html, attrs_html, languages_html and shortcuts_html (and
 * radii, the distances as objects for find.mustache) in d for language lang rendered with set. False when the
 * set cannot render the partial (d then has none of them). */
bool find_form_html(const mus_set *set, int lang, const find_form_choice *ch, json_t *d);

/* Renderings of a language's pieces and requests answered from kept
 * pieces, since the start (tests). */
void find_form_stats(unsigned long *renders, unsigned long *hits);

/* Frees every kept piece (shutdown, tests). */
void find_form_clear(void);

#endif
