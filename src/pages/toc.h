/* toc: the contents list of a long page (the fact sheets), made on the server from the
 * level-2 headings of the page's rendered Markdown (content/markdown.c
 * writes them as <h2 id="ID">TEXT</h2>, TEXT already escaped), so a long
 * fact sheet opens with links to its parts and needs no script. */
#ifndef WP_TOC_H
#define WP_TOC_H

#include "core/buf.h"

#include <stddef.h>

/* Pages shorter than this (bytes of HTML) or with fewer headings get none. */
#define TOC_MIN_HTML 3000
#define TOC_MIN_HEADINGS 5
#define TOC_MAX 32

typedef struct toc_entry {
    char id[96];
    char text[160]; /* HTML-escaped, tags removed */
} toc_entry;

/* Fills at most max entries from html's <h2 id="..."> headings, in order;
 * returns how many. Headings without an id, or whose id or text does not
 * fit, are skipped. Never reads past len. */
int toc_scan(const char *html, size_t len, toc_entry *out, int max);

/* Appends <li><a href="#ID">TEXT</a></li> for each entry to b. */
void toc_html(buf *b, const toc_entry *e, int n);

#endif
