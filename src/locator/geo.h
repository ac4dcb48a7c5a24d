/* geo: the in-memory geographic index behind the service locator.
 *
 * Every location is a geo_point (latitude and longitude in degrees, a 64-bit
 * mask of taxonomy terms and attributes, and the caller's id). geo_build
 * copies the points into a compact static k-d tree over 3-D unit vectors
 * (so the antimeridian and the poles need no special cases), and
 * geo_nearest answers "the k nearest within R km whose bits contain these
 * bits" by great-circle distance, giving exactly the same ids, order and
 * distances as the brute-force scan geo_nearest_brute.
 *
 * Ownership: geo_build copies pts (the caller keeps its array); the index it
 * returns is immutable and belongs to the caller until it is freed with
 * geo_free or handed to geo_publish. A published index belongs to the
 * publication slot: never geo_free it; readers take it with geo_acquire and
 * give it back with geo_release, and it is freed when it has been replaced
 * (or cleared with geo_publish(NULL)) and its last reader has released it.
 * Queries on one index may run from any number of threads at once.
 *
 * Points with invalid coordinates (NaN, |lat| > 90, |lon| > 180) are left
 * out of the index (geo_count does not count them) and are skipped by
 * geo_nearest_brute. Out of memory aborts (see xmalloc in core/util.h). */
#ifndef WP_GEO_H
#define WP_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_EARTH_RADIUS_KM 6371.0088

typedef struct geo_point { double lat, lon; uint64_t bits; uint32_t id; } geo_point;  /* bits: taxonomy/attribute bitmask */
typedef struct geo_hit { uint32_t id; double km; } geo_hit;
typedef struct geo_index geo_index;

/* Builds an immutable index over a copy of pts (n may be 0). Never NULL. */
geo_index *geo_build(const geo_point *pts, size_t n);
void geo_free(geo_index *g);
size_t geo_count(const geo_index *g);
size_t geo_bytes(const geo_index *g);          /* heap bytes the index uses */

/* The k nearest points within radius_km of (lat, lon) whose bits contain every bit of need (need == 0: any),
 * nearest first, ties broken by smaller id; writes at most k hits to out and returns how many. Great-circle
 * distance (haversine, mean Earth radius 6371.0088 km). Must be correct across the antimeridian and near the
 * poles (Alaska, Guam, Hawaii are in the data). Invalid lat/lon (NaN, |lat|>90, |lon|>180) returns 0.
 * A point is within the radius when geo_distance_km(lat, lon, p.lat, p.lon) <= radius_km (a NaN or negative
 * radius finds nothing, an infinite one everything); out may be NULL when k is 0. */
size_t geo_nearest(const geo_index *g, double lat, double lon, double radius_km, uint64_t need, geo_hit *out, size_t k);

/* The same answer by scanning every point: the reference for tests. */
size_t geo_nearest_brute(const geo_point *pts, size_t n, double lat, double lon, double radius_km, uint64_t need, geo_hit *out, size_t k);

/* Great-circle distance in km by the haversine formula (the one geo_nearest
 * and geo_nearest_brute use); NaN when a coordinate is NaN. */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/* Snapshot publication: readers never wait. geo_publish swaps in a new index (taking ownership); the old one is
 * freed when its last reader releases it. geo_acquire returns the current index with a reference (never NULL
 * once something was published; NULL before), geo_release drops it. Thread-safe (atomics or a tiny mutex
 * around the pointer+refcount only). geo_publish(NULL) clears the slot (acquire returns NULL again);
 * geo_release(NULL) does nothing. */
void geo_publish(geo_index *g);
geo_index *geo_acquire(void);
void geo_release(geo_index *g);

#endif
