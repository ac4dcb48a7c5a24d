/* photo: the one way an alert's photo comes in. Staff upload a picture of
 * the pills or powder; what is kept is a fresh encoding of its pixels, so
 * nothing else of the file survives: no EXIF (camera, time, GPS), no XMP,
 * no ICC profile, no comments or text chunks.
 *
 * The type is told by the bytes, never by the name or the browser's
 * Content-Type: JPEG (FF D8 FF), PNG (its 8-byte signature) or WebP
 * (RIFF....WEBP). At most PHOTO_MAX_BYTES in and PHOTO_MAX_PIXELS decoded;
 * pictures wider or taller than PHOTO_MAX_SIDE are scaled down (an alert
 * page and a printed poster need no more). A JPEG's EXIF orientation is
 * applied to the pixels before the EXIF is dropped, so a phone photo stays
 * the right way up. Each type is written back as itself: JPEG at quality
 * 85, PNG (RGBA), lossy WebP at quality 80 with its alpha. */
#ifndef WP_ALERTS_PHOTO_H
#define WP_ALERTS_PHOTO_H

#include <stdbool.h>
#include <stddef.h>

#define PHOTO_MAX_BYTES (5u * 1024u * 1024u)
#define PHOTO_MAX_PIXELS (40u * 1000u * 1000u)
#define PHOTO_MAX_SIDE 1600

enum photo_result {
    PHOTO_OK,
    PHOTO_EMPTY,   /* no bytes */
    PHOTO_TOO_BIG, /* over PHOTO_MAX_BYTES, or over PHOTO_MAX_PIXELS */
    PHOTO_TYPE,    /* not JPEG, PNG or WebP by its bytes */
    PHOTO_CORRUPT, /* the right signature, but it does not decode */
};

typedef struct photo {
    char mime[16]; /* image/jpeg, image/png or image/webp */
    int width, height;
    unsigned char *data; /* malloc'd; photo_free */
    size_t len;
} photo;

/* The type of in by its first bytes: "image/jpeg", "image/png",
 * "image/webp", or NULL. */
const char *photo_sniff(const void *in, size_t n);

/* Checks, decodes and re-encodes in. PHOTO_OK fills out; otherwise why
 * gets a sentence for the form ("The file is not a JPEG, PNG or WebP
 * picture ..."). */
enum photo_result photo_clean(const void *in, size_t n, photo *out, char *why, size_t whylen);
void photo_free(photo *p);

/* The EXIF orientation (1..8) of a JPEG, 1 when it has none; exported for
 * the tests. */
int photo_jpeg_orientation(const unsigned char *in, size_t n);

#endif
