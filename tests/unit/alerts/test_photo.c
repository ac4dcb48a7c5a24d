/* test_photo: unit tests for src/alerts/photo.c, the check and re-encoding
 * of alert photos. Fixtures are made here with the same libraries: a JPEG
 * with an APP1 Exif segment (GPS latitude and longitude, a camera maker
 * and orientation 6) inserted by hand after its SOI marker, a PNG with a
 * tEXt chunk inserted after IHDR; the output must keep the pixels (turned
 * by the orientation) and lose every byte of the metadata. Also: the type
 * by its bytes, the 5 MB limit, a file cut short, a WebP, scaling down. */
#include "alerts/photo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

#include "wp_test.h"

/* A w x h RGBA picture: red on the left half, blue on the right. */
static unsigned char *pixels(int w, int h)
{
    unsigned char *px = malloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = px + ((size_t)y * w + x) * 4;
            p[0] = x < w / 2 ? 230 : 20;
            p[1] = 20;
            p[2] = x < w / 2 ? 20 : 230;
            p[3] = 255;
        }
    return px;
}

static unsigned char *make_jpeg(int w, int h, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *mem = NULL;
    unsigned long n = 0;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 4;
    c.in_color_space = JCS_EXT_RGBA;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *px = pixels(w, h);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = px + (size_t)c.next_scanline * w * 4;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(px);
    *len = n;
    return mem;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

/* An Exif APP1 segment (big-endian TIFF): IFD0 with Make, Orientation and
 * a GPS IFD pointer; the GPS IFD with latitude and longitude refs and
 * rationals. The text "SECRETCAM" and the GPS values must not survive. */
static size_t exif_segment(unsigned char *s, int orientation)
{
    unsigned char *t = s + 10; /* after FF E1 len "Exif\0\0" */
    memcpy(s, "\xFF\xE1\0\0Exif\0\0", 10);
    memcpy(t, "MM\0\x2A\0\0\0\x08", 8);
    unsigned char *ifd = t + 8;
    put16(ifd, 3);
    /* Make (ASCII, 10 bytes at offset 62) */
    put16(ifd + 2, 0x010F), put16(ifd + 4, 2), put32(ifd + 6, 10), put32(ifd + 10, 62);
    /* Orientation (SHORT) */
    put16(ifd + 14, 0x0112), put16(ifd + 16, 3), put32(ifd + 18, 1), put16(ifd + 22, (unsigned)orientation),
        put16(ifd + 24, 0);
    /* GPS IFD pointer (LONG) at offset 72 */
    put16(ifd + 26, 0x8825), put16(ifd + 28, 4), put32(ifd + 30, 1), put32(ifd + 34, 72);
    put32(ifd + 38, 0); /* no next IFD; ifd ends at t + 50 */
    memcpy(t + 62, "SECRETCAM\0", 10);
    unsigned char *g = t + 72;
    put16(g, 4);
    put16(g + 2, 1), put16(g + 4, 2), put32(g + 6, 2), memcpy(g + 10, "N\0\0\0", 4);  /* GPSLatitudeRef */
    put16(g + 14, 2), put16(g + 16, 5), put32(g + 18, 3), put32(g + 22, 130);        /* GPSLatitude */
    put16(g + 26, 3), put16(g + 28, 2), put32(g + 30, 2), memcpy(g + 34, "W\0\0\0", 4); /* GPSLongitudeRef */
    put16(g + 38, 4), put16(g + 40, 5), put32(g + 42, 3), put32(g + 46, 154);       /* GPSLongitude */
    put32(g + 50, 0);
    /* 45/1 30/1 4711/100 and 122/1 38/1 4242/100 */
    const uint32_t lat[6] = {45, 1, 30, 1, 4711, 100}, lon[6] = {122, 1, 38, 1, 4242, 100};
    for (int i = 0; i < 6; i++) {
        put32(t + 130 + i * 4, lat[i]);
        put32(t + 154 + i * 4, lon[i]);
    }
    size_t tiff = 178;
    put16(s + 2, (unsigned)(tiff + 8)); /* length counts itself and "Exif\0\0" */
    return 10 + tiff;
}

static bool has_bytes(const unsigned char *h, size_t n, const void *needle, size_t nl)
{
    return memmem(h, n, needle, nl) != NULL;
}

static void test_jpeg_exif_gps_removed(void **state)
{
    (void)state;
    size_t n;
    unsigned char *plain = make_jpeg(64, 48, &n);
    unsigned char seg[400];
    size_t sl = exif_segment(seg, 6);
    unsigned char *in = malloc(n + sl);
    memcpy(in, plain, 2); /* SOI */
    memcpy(in + 2, seg, sl);
    memcpy(in + 2 + sl, plain + 2, n - 2);
    free(plain);
    n += sl;
    assert_true(has_bytes(in, n, "SECRETCAM", 9));
    assert_int_equal(photo_jpeg_orientation(in, n), 6);

    photo p;
    char why[240];
    assert_int_equal(photo_clean(in, n, &p, why, sizeof(why)), PHOTO_OK);
    assert_string_equal(p.mime, "image/jpeg");
    assert_true(p.len > 100 && p.data[0] == 0xFF && p.data[1] == 0xD8);
    assert_false(has_bytes(p.data, p.len, "Exif", 4));
    assert_false(has_bytes(p.data, p.len, "SECRETCAM", 9));
    assert_false(has_bytes(p.data, p.len, "\xFF\xE1", 2)); /* no APP1 at all (EXIF, XMP) */
    assert_false(has_bytes(p.data, p.len, "\xFF\xE2", 2)); /* no APP2 (ICC) */
    unsigned char lat[8] = {0, 0, 0x12, 0x67, 0, 0, 0, 100}; /* 4711/100 */
    assert_false(has_bytes(p.data, p.len, lat, sizeof(lat)));
    assert_int_equal(photo_jpeg_orientation(p.data, p.len), 1);
    /* orientation 6 applied: 64 x 48 became 48 x 64 */
    assert_int_equal(p.width, 48);
    assert_int_equal(p.height, 64);
    photo_free(&p);
    free(in);
}

static unsigned char *make_png(int w, int h, size_t *len)
{
    png_image im;
    memset(&im, 0, sizeof(im));
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)w;
    im.height = (png_uint_32)h;
    im.format = PNG_FORMAT_RGBA;
    unsigned char *px = pixels(w, h);
    png_alloc_size_t n = 0;
    assert_true(png_image_write_to_memory(&im, NULL, &n, 0, px, 0, NULL));
    unsigned char *out = malloc(n);
    assert_true(png_image_write_to_memory(&im, out, &n, 0, px, 0, NULL));
    free(px);
    *len = n;
    return out;
}

static void test_png_text_removed(void **state)
{
    (void)state;
    size_t n;
    unsigned char *plain = make_png(40, 30, &n);
    const char text[] = "Comment\0GPS 45.5 -122.6 SECRETCAM";
    size_t tl = sizeof(text) - 1, cl = 12 + tl;
    unsigned char *in = malloc(n + cl), *c = in + 33; /* after the signature and IHDR */
    memcpy(in, plain, 33);
    put32(c, (uint32_t)tl);
    memcpy(c + 4, "tEXt", 4);
    memcpy(c + 8, text, tl);
    put32(c + 8 + tl, (uint32_t)crc32(0, c + 4, (uInt)(4 + tl)));
    memcpy(in + 33 + cl, plain + 33, n - 33);
    free(plain);
    n += cl;
    photo p;
    char why[240];
    assert_int_equal(photo_clean(in, n, &p, why, sizeof(why)), PHOTO_OK);
    assert_string_equal(p.mime, "image/png");
    assert_int_equal(p.width, 40);
    assert_int_equal(p.height, 30);
    assert_false(has_bytes(p.data, p.len, "SECRETCAM", 9));
    assert_false(has_bytes(p.data, p.len, "tEXt", 4));
    photo_free(&p);
    free(in);
}

static void test_type_by_bytes(void **state)
{
    (void)state;
    photo p;
    char why[240];
    const char gif[] = "GIF89a\x01\0\x01\0\0\0\0;";
    assert_int_equal(photo_clean(gif, sizeof(gif) - 1, &p, why, sizeof(why)), PHOTO_TYPE);
    assert_contains(why, "not a JPEG, PNG or WebP");
    const char html[] = "<html><script>alert(1)</script></html>";
    assert_int_equal(photo_clean(html, sizeof(html) - 1, &p, why, sizeof(why)), PHOTO_TYPE);
    assert_int_equal(photo_clean("", 0, &p, why, sizeof(why)), PHOTO_EMPTY);
    assert_null(photo_sniff("\xFF\xD8", 2));
    assert_string_equal(photo_sniff("RIFF\0\0\0\0WEBPVP8 ", 16), "image/webp");
}

static void test_too_big_and_cut_short(void **state)
{
    (void)state;
    photo p;
    char why[240];
    size_t big = PHOTO_MAX_BYTES + 1;
    unsigned char *b = calloc(1, big);
    memcpy(b, "\xFF\xD8\xFF", 3);
    assert_int_equal(photo_clean(b, big, &p, why, sizeof(why)), PHOTO_TOO_BIG);
    assert_contains(why, "5 MB");
    free(b);
    size_t n;
    unsigned char *j = make_jpeg(64, 64, &n);
    assert_int_equal(photo_clean(j, n / 2, &p, why, sizeof(why)), PHOTO_CORRUPT);
    assert_contains(why, "damaged");
    assert_int_equal(photo_clean(j, 40, &p, why, sizeof(why)), PHOTO_CORRUPT);
    free(j);
    unsigned char *png = make_png(8, 8, &n);
    unsigned char *idat = memmem(png, n, "IDAT", 4);
    assert_non_null(idat);
    idat[6] ^= 0x55; /* the IDAT's bytes no longer match its CRC */
    assert_int_equal(photo_clean(png, n, &p, why, sizeof(why)), PHOTO_CORRUPT);
    free(png);
}

static void test_webp_and_scaling(void **state)
{
    (void)state;
    unsigned char *px = pixels(32, 20), *w = NULL;
    size_t n = WebPEncodeRGBA(px, 32, 20, 32 * 4, 80, &w);
    free(px);
    assert_true(n > 0);
    photo p;
    char why[240];
    assert_int_equal(photo_clean(w, n, &p, why, sizeof(why)), PHOTO_OK);
    WebPFree(w);
    assert_string_equal(p.mime, "image/webp");
    assert_int_equal(p.width, 32);
    assert_int_equal(p.height, 20);
    photo_free(&p);
    unsigned char *png = make_png(3200, 100, &n);
    assert_int_equal(photo_clean(png, n, &p, why, sizeof(why)), PHOTO_OK);
    assert_int_equal(p.width, PHOTO_MAX_SIDE);
    assert_int_equal(p.height, 50);
    photo_free(&p);
    free(png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_exif_gps_removed), cmocka_unit_test(test_png_text_removed),
        cmocka_unit_test(test_type_by_bytes),         cmocka_unit_test(test_too_big_and_cut_short),
        cmocka_unit_test(test_webp_and_scaling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
