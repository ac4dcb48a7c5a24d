/* markdown: Markdown to HTML with md4c (CommonMark, tables, strikethrough;
 * raw HTML off, so tags in a page show as text), then two passes of our own
 * over md4c's output:
 *  - every <h2> and <h3> gets an id made from its text (lower case, runs of
 *    anything but letters and digits become "-"; repeats get -2, -3 ...),
 *  - every link to another site gets rel="noopener noreferrer".
 * Also the page's plain text (tags removed, entities decoded) for search. */
#ifndef WP_MARKDOWN_H
#define WP_MARKDOWN_H

#include "core/buf.h"

bool md_render(const char *src, size_t len, buf *html);
/* Appends the text of html with tags removed and the common entities
 * decoded; block ends become newlines. */
void html_to_text(const char *html, size_t len, buf *text);
/* The anchor id for a heading text (plain text); appends to out. */
void heading_slug(const char *text, size_t len, buf *out);

#endif
