/* fuzz_alert_photo: libFuzzer harness for the alert photo check and
 * re-encoding (src/alerts/photo.c), the one entry point an uploaded file
 * reaches: photo_clean, and the EXIF orientation reader on the same bytes.
 *
 * The first byte picks a signature to put in front of the rest (JPEG,
 * PNG, WebP's RIFF header, or none), so the decoders are reached quickly.
 * Checks: a result is one of the enum's; a refusal has a sentence; an
 * accepted picture is of the type its input's bytes said, between 1 and
 * PHOTO_MAX_SIDE on each side, starts with its type's signature, carries
 * no "Exif" or APP1 segment, and cleaning it again gives the same size
 * (what is kept can be read back). */
#include "alerts/photo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const heads[] = {"", "\xFF\xD8\xFF", "\x89PNG\r\n\x1A\n", "RIFF\x40\0\0\0WEBPVP8 "};
    if (size < 1 || size > 1 << 20)
        return 0;
    const char *head = heads[data[0] & 3];
    size_t hl = data[0] & 3 ? (data[0] & 3) == 2 ? 8 : (data[0] & 3) == 1 ? 3 : 16 : 0;
    size_t n = hl + size - 1;
    unsigned char *in = malloc(n ? n : 1);
    memcpy(in, head, hl);
    memcpy(in + hl, data + 1, size - 1);

    int o = photo_jpeg_orientation(in, n);
    if (o < 1 || o > 8)
        abort();
    photo p;
    char why[240];
    enum photo_result r = photo_clean(in, n, &p, why, sizeof(why));
    if (r != PHOTO_OK) {
        if (r > PHOTO_CORRUPT || !why[0] || p.data)
            abort();
        free(in);
        return 0;
    }
    const char *mime = photo_sniff(in, n);
    if (!mime || strcmp(mime, p.mime) || p.width < 1 || p.height < 1 || p.width > PHOTO_MAX_SIDE ||
        p.height > PHOTO_MAX_SIDE || !p.data || !p.len)
        abort();
    const char *again = photo_sniff(p.data, p.len);
    if (!again || strcmp(again, mime) || memmem(p.data, p.len, "Exif", 4))
        abort();
    if (!strcmp(mime, "image/jpeg") && (memmem(p.data, p.len, "\xFF\xE1", 2) || photo_jpeg_orientation(p.data, p.len) != 1))
        abort();
    photo q;
    if (photo_clean(p.data, p.len, &q, why, sizeof(why)) != PHOTO_OK || q.width != p.width || q.height != p.height)
        abort();
    photo_free(&q);
    photo_free(&p);
    free(in);
    return 0;
}
