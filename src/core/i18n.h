/* i18n: the site's languages and their message catalogs.
 *
 * English is the source language: language 0, the text written in the
 * templates, the C sources and the data files. Every other language is a
 * gettext PO catalog, po/<code>.po, read at start (i18n_load); a language
 * exists when its catalog does. One language is the default and is served
 * unprefixed; every other is served under /<code>/ (i18n_from_path).
 *
 * Lookups (i18n_tr and friends) return the translation, or the English
 * msgid when the catalog has none (untranslated, fuzzy, or rejected at load
 * because its printf conversions or Mustache tags differ from the msgid's);
 * each such fallback is counted per language (i18n_missing). Catalogs are
 * immutable once loaded, so lookups need no lock.
 *
 * The text helpers put a language into a template (i18n_template replaces
 * each {{#_}}...{{/_}} marker by its translation), into a page's links
 * (i18n_links adds the language's prefix to site-relative links), and into
 * dates and numbers. */
#ifndef WP_I18N_H
#define WP_I18N_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define I18N_MAX_LANGS 8
#define I18N_SOURCE 0 /* English, the language the sources are written in */

/* Marks a literal in a static table for extraction; translate it where it
 * is used with i18n_tr. */
#define N_(s) (s)

/* Reads every po_dir/<code>.po (a missing folder means English only) and
 * makes default_code ("en", "es") the unprefixed language. False with err
 * naming the file and line of a malformed catalog, or an unknown default. */
bool i18n_load(const char *po_dir, const char *default_code, char *err, size_t errlen);
void i18n_unload(void);

/* Parses one catalog from memory into a new language slot (for tests and
 * the fuzzer); the same checks as i18n_load. Returns its index or -1. */
int i18n_add(const char *code, const char *file, const char *src, size_t len, char *err, size_t errlen);

int i18n_count(void);                /* languages, English included */
const char *i18n_code(int lang);     /* "en", "es"; "en" for an unknown index */
const char *i18n_name(int lang);     /* the language's own name: "English", "Español" */
int i18n_find(const char *code);     /* index of a code ("es", "es-MX" finds es), or -1 */
int i18n_default(void);              /* the unprefixed language */
/* Changes whenever the languages do (load, unload, add), for what is
 * built once per language and kept. */
unsigned i18n_generation(void);

/* The translation of msgid in lang, or msgid itself. */
const char *i18n_tr(int lang, const char *msgid) __attribute__((format_arg(2)));
/* The same with a msgctxt. */
const char *i18n_trc(int lang, const char *ctx, const char *msgid) __attribute__((format_arg(3)));
/* The plural form of one/many for n, by the catalog's Plural-Forms. */
const char *i18n_trn(int lang, const char *one, const char *many, long n) __attribute__((format_arg(2)))
__attribute__((format_arg(3)));

/* How many lookups in lang fell back to English since start; how many
 * messages its catalog translates; how many it rejected at load. */
unsigned long i18n_missing(int lang);
size_t i18n_translated(int lang);
size_t i18n_rejected(int lang);

/* "/es/find" -> es with *rest "/find"; "/es" -> es with "/"; any other
 * path -> the default language with *rest = path. */
int i18n_from_path(const char *path, const char **rest);
/* The prefix of lang's URLs: "" for the default language, else "/es". */
const char *i18n_prefix(int lang);

/* The language an Accept-Language header prefers most among the site's
 * languages, or -1 when it names none of them. */
int i18n_accept(const char *accept_language);

/* Copies a template's text to out with every {{#_}}text{{/_}} replaced by
 * the translation of text in lang (whitespace runs in text are one space).
 * False with "line N: what" in err on an unclosed marker or a section,
 * partial or delimiter tag inside one. */
bool i18n_template(int lang, const char *src, size_t len, buf *out, char *err, size_t errlen);
/* The msgid of a marker's text: whitespace runs become one space, trimmed.
 * Writes at most outlen-1 bytes; returns false when it did not fit. */
bool i18n_msgid(const char *text, size_t len, char *out, size_t outlen);

/* Copies html to out with prefix ("/es") put before every site-relative
 * href="/..." and action="/..." except /static/, /api/, links already under
 * the prefix, and tags that carry hreflang. */
void i18n_links(const char *html, size_t len, const char *prefix, buf *out);

/* "4 Dec 2026" / "4 dic 2026" for t in UTC-free calendar terms (tm as
 * given). */
void i18n_date_tm(int lang, const struct tm *tm, char *out, size_t n);
/* The same for a time in the server's UTC. */
void i18n_date(int lang, time_t t, char *out, size_t n);
/* The same for an ISO "YYYY-MM-DD"; false (out is the input) when not one. */
bool i18n_day(int lang, const char *iso, char *out, size_t n);
/* v with the given decimals: "1,234.5" in English, "1234,5" / "12 345,5"
 * (no-break space from five digits on) in Spanish. */
void i18n_number(int lang, double v, int decimals, char *out, size_t n);

#endif
