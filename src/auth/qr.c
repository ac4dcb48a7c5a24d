/* qr: libqrencode's modules as one SVG path. See qr.h. */
#include "auth/qr.h"
#include "core/escape.h"

#include <qrencode.h>

/* One subpath per run of dark modules in each row. */
static void dark_runs(buf *out, const QRcode *q)
{
    int w = q->width;
    for (int y = 0; y < w; y++) {
        const unsigned char *row = q->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (row[x] & 1))
                x++;
            buf_printf(out, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET, x - start, x - start);
        }
    }
}

bool qr_svg(const char *text, const char *label, buf *out)
{
    if (!text || !*text)
        return false;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    size_t was = out->len;
    bool overflow_before = out->overflow;
    int n = q->width + 2 * QR_QUIET;
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
               "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
               n, n, n * QR_PIXELS, n * QR_PIXELS);
    esc_html_str(out, label && *label ? label : "QR code");
    buf_printf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", n, n);
    dark_runs(out, q);
    buf_puts(out, "\"/></svg>");
    QRcode_free(q);
    if (out->overflow && !overflow_before) {
        out->len = was;
        if (out->data)
            out->data[was] = '\0';
        out->overflow = false;
        return false;
    }
    return !out->overflow;
}
