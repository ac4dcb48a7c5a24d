/* images: the images in rendered Markdown pages, made fit for a phone and
 * a long cache. Each <img src="/static/NAME"> whose file is a loaded asset
 * gets the asset's hashed URL (cached for a year, immutable) and its
 * width and height (from an SVG's root width/height attributes or a PNG's
 * header), so the page does not jump as it loads. Run once per page when
 * the site snapshot is built (site.c), never per request. */
#ifndef WP_IMAGES_H
#define WP_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

/* The width and height of an image file's bytes (SVG or PNG); false when
 * they cannot be read. */
bool images_size(const unsigned char *data, size_t len, long *w, long *h);

/* html with its static images rewritten (malloc'd), or NULL when nothing
 * changed. */
char *images_rewrite(const char *html);

#endif
