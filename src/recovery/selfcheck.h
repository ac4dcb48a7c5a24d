/* selfcheck: validated screening questionnaires (AUDIT-C, AUDIT, DAST-10,
 * TAPS-1), loaded from data/selfchecks.json and scored by the server.
 *
 * Scoring is pure: answers in, a result out. Nothing is stored and nothing
 * is logged (the access log names only the route). A missing or
 * out-of-range answer is an error that names the question, never a score. */
#ifndef WP_SELFCHECK_H
#define WP_SELFCHECK_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

#define SC_MAX_QUESTIONS 16
#define SC_MAX_OPTIONS 8
#define SC_MAX_BANDS 8
#define SC_MAX_CHECKS 8
#define SC_MAX_TRANSLATIONS 8

/* Which text a language's version of a questionnaire uses ("translations"
 * in the JSON, keyed by language code). The text itself comes from the
 * language's catalog (the English of the JSON is the msgid); this says
 * where it is from, and the pages show the note. */
typedef struct sc_translation {
    char *lang;     /* "es" */
    bool validated; /* "version": "validated" (a published validated version) or "waypost" (our own) */
    char *note;     /* in that language: which version, or that it is our own translation */
} sc_translation;

typedef struct sc_option {
    char *label;
    int score;
} sc_option;

typedef struct sc_question {
    char *id, *text;
    char *substance; /* TAPS-1: what a positive answer is about ("alcohol"); "" otherwise */
    sc_option options[SC_MAX_OPTIONS];
    int noptions;
    int positive_from; /* TAPS-1: an answer at this index or above is a positive screen; -1 when not used */
} sc_question;

typedef struct sc_band {
    int min, max;
    char *level, *meaning, *next;
} sc_band;

typedef struct sc_check {
    char *slug, *name, *title, *about, *credit, *source_url, *not_a_diagnosis;
    sc_question questions[SC_MAX_QUESTIONS];
    int nquestions;
    sc_band bands[SC_MAX_BANDS];
    int nbands;
    int cutoff_male, cutoff_female; /* AUDIT-C; 0 when not used */
    sc_translation translations[SC_MAX_TRANSLATIONS];
    int ntranslations;
} sc_check;

typedef struct sc_set {
    char *reviewed;
    sc_check checks[SC_MAX_CHECKS];
    int nchecks;
} sc_set;

bool sc_load(const char *path, sc_set **out, char *err, size_t errlen);
bool sc_parse(const char *text, size_t len, sc_set **out, char *err, size_t errlen);
void sc_free(sc_set *s);
const sc_check *sc_find(const sc_set *s, const char *slug);
/* The note on c's version in the language code ("es"), or NULL. */
const sc_translation *sc_translation_for(const sc_check *c, const char *code);

/* The global set the server uses. */
bool selfcheck_load(const config *cfg, char *err, size_t errlen);
void selfcheck_unload(void);
const sc_set *selfcheck_set(void);

enum sc_sex { SC_SEX_NONE, SC_SEX_MALE, SC_SEX_FEMALE, SC_SEX_OTHER };

typedef struct sc_result {
    int score, max_score;
    const sc_band *band;
    bool has_cutoff, positive; /* AUDIT-C: score at or over the cutoff for the sex given */
    int cutoff;
    int positives[SC_MAX_QUESTIONS]; /* TAPS-1: questions answered at or above positive_from */
    int npositives;
    int missing[SC_MAX_QUESTIONS];   /* questions not answered or out of range */
    int nmissing;
    bool sex_missing;
} sc_result;

/* answers[i] is the raw value posted for question i (NULL when absent);
 * sex the raw value of "sex" (NULL when absent). Returns true and fills r
 * when every answer is present and in range; false with r->missing listing
 * the questions to fix otherwise. */
bool sc_score(const sc_check *c, const char *const *answers, const char *sex, sc_result *r);

#endif
