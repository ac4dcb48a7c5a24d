/* fuzz_map_snapshot: libFuzzer harness for reading the map index's kept
 * copy of its points (src/locator/map_snapshot.c), which start-up reads
 * from the database (a file anyone with the database can change).
 *
 * The first input byte picks the size of the pieces the rest is fed in
 * (1 to 256 bytes, as the database hands it over in pieces); the rest is
 * the copy. Checks: the copy is accepted whole exactly when it is accepted
 * in pieces, with the same points; an accepted copy packs back to the very
 * same bytes; a refused one leaves nothing allocated (ASan's leak check). */
#include "locator/map_snapshot.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = (size_t)data[0] + 1;
    const unsigned char *b = data + 1;
    size_t len = size - 1;
    geo_point *whole, *parts;
    size_t n_whole, n_parts;
    bool ok_whole = map_snapshot_unpack(b, len, &whole, &n_whole);
    map_snapshot_reader r;
    map_snapshot_read_begin(&r, len);
    for (size_t at = 0; at < len; at += piece)
        map_snapshot_read_feed(&r, b + at, len - at < piece ? len - at : piece);
    bool ok_parts = map_snapshot_read_end(&r, &parts, &n_parts);
    if (ok_whole != ok_parts || n_whole != n_parts)
        abort();
    if (ok_whole) {
        for (size_t i = 0; i < n_whole; i++)
            if (memcmp(&whole[i].lat, &parts[i].lat, 8) || memcmp(&whole[i].lon, &parts[i].lon, 8) ||
                whole[i].bits != parts[i].bits || whole[i].id != parts[i].id)
                abort();
        unsigned char *again = malloc(map_snapshot_size(n_whole));
        map_snapshot_pack(whole, n_whole, again);
        if (map_snapshot_size(n_whole) != len || memcmp(again, b, len) != 0)
            abort();
        free(again);
    }
    free(whole);
    free(parts);
    return 0;
}
