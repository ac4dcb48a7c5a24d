/* map_snapshot: packing the map index's input points into one checked
 * blob and reading them back (map_snapshot.h). */
#include "locator/map_snapshot.h"

#include "core/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MARK 0x57504d50u /* "WPMP" read as a number in this byte order */
#define VERSION 1u

size_t map_snapshot_size(size_t n)
{
    return MAP_SNAPSHOT_HEADER + n * MAP_SNAPSHOT_POINT;
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static void putd(unsigned char *p, double v) { memcpy(p, &v, 8); }

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static double getd(const unsigned char *p)
{
    double v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t crc_of(const unsigned char *p, size_t len)
{
    return (uint32_t)crc32_z(crc32(0L, Z_NULL, 0), p, len);
}

void map_snapshot_pack(const geo_point *pts, size_t n, unsigned char *out)
{
    unsigned char *p = out + MAP_SNAPSHOT_HEADER;
    for (size_t i = 0; i < n; i++, p += MAP_SNAPSHOT_POINT) {
        put32(p, pts[i].id);
        putd(p + 4, pts[i].lat);
        putd(p + 12, pts[i].lon);
        put64(p + 20, pts[i].bits);
    }
    put32(out, MARK);
    put32(out + 4, VERSION);
    put32(out + 8, (uint32_t)n);
    put32(out + 12, crc_of(out + MAP_SNAPSHOT_HEADER, n * MAP_SNAPSHOT_POINT));
}

void map_snapshot_read_begin(map_snapshot_reader *r, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->len = len;
    r->crc = crc32(0L, Z_NULL, 0);
    r->bad = len < MAP_SNAPSHOT_HEADER || (len - MAP_SNAPSHOT_HEADER) % MAP_SNAPSHOT_POINT != 0;
}

/* The header, once its 16 bytes are in: checks it and makes room. */
static void read_header(map_snapshot_reader *r, const unsigned char *h)
{
    r->count = get32(h + 8);
    r->want_crc = get32(h + 12);
    if (get32(h) != MARK || get32(h + 4) != VERSION || r->len != map_snapshot_size(r->count)) {
        r->bad = true;
        return;
    }
    r->pts = xmalloc_large((r->count ? r->count : 1) * sizeof(geo_point));
}

static void read_point(map_snapshot_reader *r, const unsigned char *p)
{
    r->pts[r->done++] = (geo_point){getd(p + 4), getd(p + 12), get64(p + 20), get32(p)};
}

/* Takes bytes into the held piece until it has want; true when it has. */
static bool hold(map_snapshot_reader *r, const unsigned char **p, size_t *n, size_t want)
{
    size_t k = want - r->nheld < *n ? want - r->nheld : *n;
    memcpy(r->held + r->nheld, *p, k);
    r->nheld += k;
    *p += k;
    *n -= k;
    return r->nheld == want;
}

void map_snapshot_read_feed(map_snapshot_reader *r, const unsigned char *p, size_t n)
{
    if (r->bad || n > r->len - r->fed) {
        r->bad = true;
        return;
    }
    r->fed += n;
    if (!r->pts) { /* still in the header */
        if (!hold(r, &p, &n, MAP_SNAPSHOT_HEADER))
            return;
        read_header(r, r->held);
        r->nheld = 0;
        if (r->bad)
            return;
    }
    r->crc = crc32_z(r->crc, p, n);
    if (r->nheld > 0) { /* a point split between pieces */
        if (!hold(r, &p, &n, MAP_SNAPSHOT_POINT))
            return;
        read_point(r, r->held);
        r->nheld = 0;
    }
    for (; n >= MAP_SNAPSHOT_POINT; p += MAP_SNAPSHOT_POINT, n -= MAP_SNAPSHOT_POINT)
        read_point(r, p);
    hold(r, &p, &n, MAP_SNAPSHOT_POINT);
}

bool map_snapshot_read_end(map_snapshot_reader *r, geo_point **pts, size_t *n)
{
    bool ok = !r->bad && r->pts && r->fed == r->len && r->done == r->count && r->nheld == 0 &&
              (uint32_t)r->crc == r->want_crc;
    *pts = ok ? r->pts : NULL;
    *n = ok ? r->count : 0;
    if (!ok)
        free(r->pts);
    r->pts = NULL;
    return ok;
}

bool map_snapshot_unpack(const unsigned char *b, size_t len, geo_point **pts, size_t *n)
{
    map_snapshot_reader r;
    map_snapshot_read_begin(&r, b ? len : 0);
    if (b)
        map_snapshot_read_feed(&r, b, len);
    return map_snapshot_read_end(&r, pts, n);
}
