/* map_snapshot: the map index's input points packed into one blob, kept
 * in the database (dir_map_snapshot, migration 0020) so that a start does
 * not read every listing's point row by row.
 *
 * The blob is a 16-byte header (a 32-bit mark, the format's version, the
 * count and a CRC-32 of the rest) then 28 bytes per point: id, latitude,
 * longitude, bits. Numbers are in the machine's own byte order; a copy
 * written on a machine of the other order fails the mark and is ignored.
 * Whether a copy still describes the directory (its stamp and taxonomy) is
 * the caller's test; this only packs and checks the bytes. */
#ifndef WP_MAP_SNAPSHOT_H
#define WP_MAP_SNAPSHOT_H

#include "locator/geo.h"

#include <stdbool.h>
#include <stddef.h>

#define MAP_SNAPSHOT_HEADER 16u
#define MAP_SNAPSHOT_POINT 28u

/* The bytes n points take. */
size_t map_snapshot_size(size_t n);

/* Packs pts[0..n) into out (map_snapshot_size(n) bytes). */
void map_snapshot_pack(const geo_point *pts, size_t n, unsigned char *out);

/* The points of a packed copy in *pts (the caller frees) and *n; false,
 * with nothing allocated, for anything that is not a whole, intact copy
 * of this version and byte order. */
bool map_snapshot_unpack(const unsigned char *b, size_t len, geo_point **pts, size_t *n);

/* The same a piece at a time (a copy read from the database in chunks,
 * without holding all of it): begin with the copy's whole length, feed
 * its bytes in order in pieces of any size, end. */
typedef struct map_snapshot_reader {
    size_t len, fed;                /* the copy's length, bytes fed so far */
    unsigned char held[MAP_SNAPSHOT_POINT]; /* a header or point split between pieces */
    size_t nheld;
    size_t count, done;             /* points in the copy, points read */
    unsigned long crc;
    unsigned want_crc;
    geo_point *pts;
    bool bad;
} map_snapshot_reader;

void map_snapshot_read_begin(map_snapshot_reader *r, size_t len);
void map_snapshot_read_feed(map_snapshot_reader *r, const unsigned char *p, size_t n);
bool map_snapshot_read_end(map_snapshot_reader *r, geo_point **pts, size_t *n);

#endif
