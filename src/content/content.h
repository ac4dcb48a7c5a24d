/* content: the site's Markdown pages, loaded from content_dir into memory.
 *
 * Each file becomes a page with a URL path (file path without .md, index.md
 * standing for its folder, or the front matter's slug), its front matter, the
 * rendered HTML and its plain text for search. Loading checks every page
 * (required keys, date format, sources) and fails with the file and line
 * named, so a broken page is caught at start and in the tests, not by a
 * reader. A content_set is immutable once loaded; it is shared by all
 * threads and freed only when no request holds it (see site.h). This module
 * is the one door to page content: a later staff editor writes through it. */
#ifndef WP_CONTENT_H
#define WP_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct source {
    char *text;
    char *url; /* NULL when the source has no address */
} source;

typedef struct extra {
    char *key, *value;
} extra;

typedef struct page {
    char *path;     /* "/harm-reduction/overdose-prevention" */
    char *file;     /* "content/harm-reduction/overdose-prevention.md" */
    char *title, *summary, *section, *reviewed;
    char *group;    /* optional (substances) */
    char *aliases;  /* optional, comma-separated (substances) */
    char *tmpl;     /* optional template name; "page" when not given */
    long order;
    char *html;     /* rendered body */
    char *text;     /* plain text of the body */
    source *sources;
    int nsources;
    extra *extras; /* every other scalar front-matter key, in file order */
    int nextras;
} page;

typedef struct content_set {
    page *pages;
    size_t count;
} content_set;

/* A value put in place of {{name}} in every page's Markdown before it is
 * rendered, e.g. {{emergency_number}} from the site config. Values are
 * checked by the config (digits and simple punctuation only). */
typedef struct content_token {
    const char *name, *value;
} content_token;

/* Loads every page under dir, substituting the ntokens tokens. */
bool content_load(const char *dir, const content_token *tokens, int ntokens, content_set **out, char *err,
                  size_t errlen);
/* The same, leaving out the top-level folders named in skip (a NULL-ended
 * list; NULL for none): the English pages leave out content/es/. */
bool content_load_skip(const char *dir, const char *const *skip, const content_token *tokens, int ntokens,
                       content_set **out, char *err, size_t errlen);
void content_free(content_set *c);
const page *content_find(const content_set *c, const char *path);
/* Pages of a section sorted by order then title; returns how many were
 * written to out (at most max). */
size_t content_section(const content_set *c, const char *section, const page **out, size_t max);

/* Parses one page from memory (used by content_load and the tests). */
bool content_parse_page(const char *file, const char *rel, const char *src, size_t len, page *out, char *err,
                        size_t errlen);
/* Replaces each {{name}} of tokens in src; the result is malloc'd. */
char *content_substitute(const char *src, size_t len, const content_token *tokens, int ntokens, size_t *outlen);
void page_free(page *p);
/* The value of a front-matter key that is not one of the standard ones
 * (e.g. "evidence" on a recovery pathway), or NULL. */
const char *page_extra(const page *p, const char *key);

#endif
