/* photo: checking an uploaded alert photo by its bytes and re-encoding
 * its pixels so no metadata survives. See photo.h. The decoders are
 * libjpeg-turbo, libpng's simplified API and libwebp; every picture
 * becomes 8-bit RGBA in memory, is turned by the JPEG's EXIF orientation,
 * scaled down by averaging when it is larger than PHOTO_MAX_SIDE, and
 * written back as its own type with nothing but pixels. */
#include "alerts/photo.h"
#include "core/i18n.h"
#include "core/util.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>

#define JPEG_QUALITY 85
#define WEBP_QUALITY 80.0f
#define JPEG_MEMORY (320L * 1024L * 1024L) /* libjpeg's working memory, at most */

typedef struct img {
    int w, h;
    unsigned char *px; /* w * h * 4 bytes, RGBA */
} img;

static const unsigned char PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

const char *photo_sniff(const void *in, size_t n)
{
    const unsigned char *b = in;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return "image/jpeg";
    if (n >= 8 && memcmp(b, PNG_SIG, 8) == 0)
        return "image/png";
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return "image/webp";
    return NULL;
}

void photo_free(photo *p)
{
    free(p->data);
    p->data = NULL;
    p->len = 0;
}

static bool pixels_ok(uint64_t w, uint64_t h)
{
    return w > 0 && h > 0 && w <= 65535 && h <= 65535 && w * h <= PHOTO_MAX_PIXELS;
}

/* ---- EXIF orientation ---- */

static unsigned rd16(const unsigned char *p, bool le)
{
    return le ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const unsigned char *p, bool le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The Orientation tag (0x0112) of IFD0 in a TIFF header of n bytes. */
static int tiff_orientation(const unsigned char *t, size_t n)
{
    if (n < 8 || !((t[0] == 'I' && t[1] == 'I') || (t[0] == 'M' && t[1] == 'M')))
        return 1;
    bool le = t[0] == 'I';
    if (rd16(t + 2, le) != 42)
        return 1;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > n || n - ifd < 2)
        return 1;
    unsigned count = rd16(t + ifd, le);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;
        if (e + 12 > n)
            break;
        if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
            unsigned v = rd16(t + e + 8, le);
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
}

int photo_jpeg_orientation(const unsigned char *in, size_t n)
{
    size_t pos = 2;
    while (pos + 4 <= n && in[pos] == 0xFF) {
        unsigned m = in[pos + 1];
        if (m == 0xFF) {
            pos++;
            continue;
        }
        if (m == 0xDA || m == 0xD9)
            break;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
            pos += 2;
            continue;
        }
        size_t len = (size_t)in[pos + 2] << 8 | in[pos + 3];
        if (len < 2 || len > n - pos - 2)
            break;
        const unsigned char *seg = in + pos + 4;
        if (m == 0xE1 && len - 2 >= 14 && memcmp(seg, "Exif\0\0", 6) == 0)
            return tiff_orientation(seg + 6, len - 2 - 6);
        pos += 2 + len;
    }
    return 1;
}

/* Turns im by EXIF orientation o (2..8) into a new buffer. */
static void orient(img *im, int o)
{
    if (o < 2 || o > 8)
        return;
    int W = im->w, H = im->h;
    bool swap = o >= 5;
    int nw = swap ? H : W, nh = swap ? W : H;
    unsigned char *out = xmalloc((size_t)nw * nh * 4);
    for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
            int sx, sy;
            switch (o) {
            case 2: sx = W - 1 - x, sy = y; break;
            case 3: sx = W - 1 - x, sy = H - 1 - y; break;
            case 4: sx = x, sy = H - 1 - y; break;
            case 5: sx = y, sy = x; break;
            case 6: sx = y, sy = H - 1 - x; break;
            case 7: sx = W - 1 - y, sy = H - 1 - x; break;
            default: sx = W - 1 - y, sy = x; break;
            }
            memcpy(out + ((size_t)y * nw + x) * 4, im->px + ((size_t)sy * W + sx) * 4, 4);
        }
    }
    free(im->px);
    im->px = out;
    im->w = nw;
    im->h = nh;
}

/* Scales im down (box average) so neither side is over PHOTO_MAX_SIDE. */
static void fit(img *im)
{
    int W = im->w, H = im->h, big = W > H ? W : H;
    if (big <= PHOTO_MAX_SIDE)
        return;
    int nw = (int)((int64_t)W * PHOTO_MAX_SIDE / big), nh = (int)((int64_t)H * PHOTO_MAX_SIDE / big);
    nw = nw < 1 ? 1 : nw;
    nh = nh < 1 ? 1 : nh;
    unsigned char *out = xmalloc((size_t)nw * nh * 4);
    for (int y = 0; y < nh; y++) {
        int y0 = (int)((int64_t)y * H / nh), y1 = (int)((int64_t)(y + 1) * H / nh);
        y1 = y1 > y0 ? y1 : y0 + 1;
        for (int x = 0; x < nw; x++) {
            int x0 = (int)((int64_t)x * W / nw), x1 = (int)((int64_t)(x + 1) * W / nw);
            x1 = x1 > x0 ? x1 : x0 + 1;
            uint64_t sum[4] = {0, 0, 0, 0};
            for (int sy = y0; sy < y1; sy++)
                for (int sx = x0; sx < x1; sx++)
                    for (int c = 0; c < 4; c++)
                        sum[c] += im->px[((size_t)sy * W + sx) * 4 + c];
            uint64_t cnt = (uint64_t)(y1 - y0) * (uint64_t)(x1 - x0);
            for (int c = 0; c < 4; c++)
                out[((size_t)y * nw + x) * 4 + c] = (unsigned char)((sum[c] + cnt / 2) / cnt);
        }
    }
    free(im->px);
    im->px = out;
    im->w = nw;
    im->h = nh;
}

/* ---- JPEG ---- */

typedef struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    bool cut_short;
} jerr;

static void j_exit(j_common_ptr c)
{
    longjmp(((jerr *)c->err)->jb, 1);
}

/* Warnings are not printed; a file cut short counts as damaged. */
static void j_emit(j_common_ptr c, int level)
{
    if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
        ((jerr *)c->err)->cut_short = true;
}

static void j_silent(j_common_ptr c)
{
    (void)c;
}

static void j_errors(jerr *e)
{
    jpeg_std_error(&e->pub);
    e->pub.error_exit = j_exit;
    e->pub.emit_message = j_emit;
    e->pub.output_message = j_silent;
    e->cut_short = false;
}

/* The largest libjpeg scale (1/1 .. 1/8) that keeps the long side at or
 * above PHOTO_MAX_SIDE, so a big photo is never decoded whole. */
static unsigned jpeg_denom(unsigned w, unsigned h)
{
    unsigned big = w > h ? w : h, d = 1;
    while (d < 8 && big / (d * 2) >= PHOTO_MAX_SIDE)
        d *= 2;
    return d;
}

static enum photo_result jpeg_decode(const unsigned char *in, size_t n, img *im)
{
    struct jpeg_decompress_struct c;
    jerr e;
    unsigned char *volatile px = NULL;
    c.err = &e.pub;
    j_errors(&e);
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&c);
        free(px);
        return PHOTO_CORRUPT;
    }
    jpeg_create_decompress(&c);
    c.mem->max_memory_to_use = JPEG_MEMORY;
    jpeg_mem_src(&c, in, (unsigned long)n);
    jpeg_read_header(&c, TRUE);
    if (!pixels_ok(c.image_width, c.image_height)) {
        jpeg_destroy_decompress(&c);
        return PHOTO_TOO_BIG;
    }
    c.scale_num = 1;
    c.scale_denom = jpeg_denom(c.image_width, c.image_height);
    c.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&c);
    size_t stride = (size_t)c.output_width * 4;
    px = xmalloc(stride * c.output_height);
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = px + stride * c.output_scanline;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    im->w = (int)c.output_width;
    im->h = (int)c.output_height;
    jpeg_destroy_decompress(&c);
    im->px = px;
    if (e.cut_short) {
        free(im->px);
        im->px = NULL;
        return PHOTO_CORRUPT;
    }
    return PHOTO_OK;
}

static bool jpeg_encode(const img *im, photo *out)
{
    struct jpeg_compress_struct c;
    jerr e;
    unsigned char *mem = NULL;
    unsigned long len = 0;
    c.err = &e.pub;
    j_errors(&e);
    if (setjmp(e.jb)) {
        jpeg_destroy_compress(&c);
        free(mem);
        return false;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &len);
    c.image_width = (JDIMENSION)im->w;
    c.image_height = (JDIMENSION)im->h;
    c.input_components = 4;
    c.in_color_space = JCS_EXT_RGBA;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, JPEG_QUALITY, TRUE);
    c.write_JFIF_header = TRUE;
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = im->px + (size_t)c.next_scanline * (size_t)im->w * 4;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    out->data = mem;
    out->len = len;
    return true;
}

/* ---- PNG ---- */

static enum photo_result png_decode(const unsigned char *in, size_t n, img *im)
{
    png_image p;
    memset(&p, 0, sizeof(p));
    p.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&p, in, n))
        return PHOTO_CORRUPT;
    if (!pixels_ok(p.width, p.height)) {
        png_image_free(&p);
        return PHOTO_TOO_BIG;
    }
    p.format = PNG_FORMAT_RGBA;
    im->w = (int)p.width;
    im->h = (int)p.height;
    im->px = xmalloc(PNG_IMAGE_SIZE(p));
    if (!png_image_finish_read(&p, NULL, im->px, 0, NULL)) {
        png_image_free(&p);
        free(im->px);
        im->px = NULL;
        return PHOTO_CORRUPT;
    }
    png_image_free(&p);
    return PHOTO_OK;
}

static bool opaque(const img *im)
{
    size_t n = (size_t)im->w * im->h;
    for (size_t i = 0; i < n; i++)
        if (im->px[i * 4 + 3] != 255)
            return false;
    return true;
}

/* RGBA, or RGB when every pixel is opaque (packed in place). */
static bool png_encode(img *im, photo *out)
{
    png_image p;
    memset(&p, 0, sizeof(p));
    p.version = PNG_IMAGE_VERSION;
    p.width = (png_uint_32)im->w;
    p.height = (png_uint_32)im->h;
    p.format = PNG_FORMAT_RGBA;
    if (opaque(im)) {
        size_t n = (size_t)im->w * im->h;
        for (size_t i = 0; i < n; i++)
            memmove(im->px + i * 3, im->px + i * 4, 3);
        p.format = PNG_FORMAT_RGB;
    }
    png_alloc_size_t len = 0;
    if (!png_image_write_to_memory(&p, NULL, &len, 0, im->px, 0, NULL) || !len)
        return false;
    out->data = xmalloc(len);
    if (!png_image_write_to_memory(&p, out->data, &len, 0, im->px, 0, NULL)) {
        photo_free(out);
        return false;
    }
    out->len = len;
    return true;
}

/* ---- WebP ---- */

static enum photo_result webp_decode(const unsigned char *in, size_t n, img *im, char *why, size_t wn)
{
    WebPBitstreamFeatures f;
    if (WebPGetFeatures(in, n, &f) != VP8_STATUS_OK)
        return PHOTO_CORRUPT;
    if (f.has_animation) {
        snprintf(why, wn, "%s", N_("The WebP picture is animated. Upload a still photo (JPEG, PNG or WebP)."));
        return PHOTO_CORRUPT;
    }
    if (!pixels_ok((uint64_t)(f.width > 0 ? f.width : 0), (uint64_t)(f.height > 0 ? f.height : 0)))
        return f.width > 0 && f.height > 0 ? PHOTO_TOO_BIG : PHOTO_CORRUPT;
    size_t size = (size_t)f.width * f.height * 4;
    im->px = xmalloc(size);
    if (!WebPDecodeRGBAInto(in, n, im->px, size, f.width * 4)) {
        free(im->px);
        im->px = NULL;
        return PHOTO_CORRUPT;
    }
    im->w = f.width;
    im->h = f.height;
    return PHOTO_OK;
}

static bool webp_encode(const img *im, photo *out)
{
    uint8_t *mem = NULL;
    size_t len = WebPEncodeRGBA(im->px, im->w, im->h, im->w * 4, WEBP_QUALITY, &mem);
    if (!len || !mem)
        return false;
    out->data = xmalloc(len);
    memcpy(out->data, mem, len);
    out->len = len;
    WebPFree(mem);
    return true;
}

/* ---- the entry point ---- */

static enum photo_result refuse(enum photo_result r, char *why, size_t wn)
{
    if (why[0])
        return r;
    switch (r) {
    case PHOTO_EMPTY:
        snprintf(why, wn, "%s", N_("The photo file is empty. Choose the picture again."));
        break;
    case PHOTO_TOO_BIG:
        snprintf(why, wn, "%s", N_("The photo is too large: at most 5 MB and 40 million pixels. Save a smaller copy "
                          "(a phone's \"medium\" size is plenty) and upload that."));
        break;
    case PHOTO_TYPE:
        snprintf(why, wn, "%s", N_("The file is not a JPEG, PNG or WebP picture (its contents were checked, not its "
                          "name). Save it as JPEG or PNG and upload it again."));
        break;
    default:
        snprintf(why, wn, "%s", N_("The picture could not be read: the file looks damaged or cut short. Save it again "
                          "and upload the new copy."));
        break;
    }
    return r;
}

enum photo_result photo_clean(const void *in, size_t n, photo *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    why[0] = '\0';
    if (!n)
        return refuse(PHOTO_EMPTY, why, whylen);
    if (n > PHOTO_MAX_BYTES)
        return refuse(PHOTO_TOO_BIG, why, whylen);
    const char *mime = photo_sniff(in, n);
    if (!mime)
        return refuse(PHOTO_TYPE, why, whylen);
    img im = {0, 0, NULL};
    enum photo_result r;
    if (!strcmp(mime, "image/jpeg"))
        r = jpeg_decode(in, n, &im);
    else if (!strcmp(mime, "image/png"))
        r = png_decode(in, n, &im);
    else
        r = webp_decode(in, n, &im, why, whylen);
    if (r != PHOTO_OK)
        return refuse(r, why, whylen);
    if (!strcmp(mime, "image/jpeg"))
        orient(&im, photo_jpeg_orientation(in, n));
    fit(&im);
    bool ok = !strcmp(mime, "image/jpeg") ? jpeg_encode(&im, out)
              : !strcmp(mime, "image/png") ? png_encode(&im, out)
                                           : webp_encode(&im, out);
    out->width = im.w;
    out->height = im.h;
    free(im.px);
    if (!ok)
        return refuse(PHOTO_CORRUPT, why, whylen);
    str_copy(out->mime, sizeof(out->mime), mime);
    return PHOTO_OK;
}
