/* hsds_store: the SQL of the service directory (migration 0003).
 * Writing: upserts used by the importers, inside their transaction.
 * Reading: the points for the geographic index, and whole listings (the
 * service's HSDS JSON plus where it is) for pages and the API. */
#ifndef WP_HSDS_STORE_H
#define WP_HSDS_STORE_H

#include "core/arena.h"
#include "core/buf.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* The id of the Waypost taxonomy (data/taxonomy/waypost.json), whose term
 * codes are the locator's kinds of service. */
#define WAYPOST_TAXONOMY_ID "1ffc8755-6460-51ac-9673-4e3eee8feaae"

enum hsds_upsert { HSDS_ADDED, HSDS_UPDATED, HSDS_UNCHANGED, HSDS_FAILED };

typedef struct hsds_service_row {
    const char *id, *name, *status, *source, *source_date;
    long long organization_rowid; /* 0: none */
    bool is_example;
    /* the document as stored (doc_zip.h: hsds_prepare makes it) */
    const void *stored;
    size_t stored_len;
    /* a new row's search index entry: made now, noted for
     * hsds_store_search_catch_up (the caller has called
     * hsds_store_search_defer), or left to the caller (hsds_search_later.h) */
    enum { HSDS_SEARCH_NOW, HSDS_SEARCH_LATER, HSDS_SEARCH_BY_CALLER } search;
} hsds_service_row;

/* Whether the service is stored with this document (its stored form,
 * doc_zip.h, and its text): the same bytes, or other bytes of the same
 * text (another zstd made them, or a row from before compression). Its
 * row number in *rowid (0 when new). */
bool hsds_store_service_same(sqlite3 *db, const char *id, const void *stored, size_t stored_len, const char *text,
                             long long *rowid);
/* Adds the service, or updates it (*rowid > 0: the row hsds_store_service_same
 * gave); *rowid is then its row number, which its links name. */
bool hsds_store_put_service(sqlite3 *db, const hsds_service_row *r, long long *rowid);
/* Removes the service's links (locations, terms). */
bool hsds_store_clear_links(sqlite3 *db, long long service_rowid);
/* Removes the service's term links, before they are re-added. */
bool hsds_store_clear_terms(sqlite3 *db, long long service_rowid);
/* Removes the service's listings but those whose row numbers are in keep
 * (a JSON list of numbers): after a changed record's are written. */
bool hsds_store_drop_other_sals(sqlite3 *db, long long service_rowid, const char *keep);
/* An organization's or a location's document as it is stored: its text,
 * and its stored form when already made (brief_zip.h; NULL or empty: made
 * here, or the text is stored as it is when it cannot be). */
typedef struct hsds_doc {
    const char *text;
    const buf *stored;
    /* the text is the copy the record being written carries, where
     * db/nested_doc.h finds it: a new row is written by reference */
    bool nested;
} hsds_doc;
/* Adds or updates an organization; its row number in *rowid, and in
 * *by_ref whether the row keeps its document by reference. An existing
 * row is rewritten only when its document (either way) is not the text. */
bool hsds_store_put_organization(sqlite3 *db, const char *id, hsds_doc raw, long long *rowid, bool *by_ref);
/* Makes an organization kept on its own (put_organization: *by_ref
 * false) keep its document by reference, when service_rowid is its first
 * service and its copy is raw's: after the service is written. */
bool hsds_store_organization_by_ref(sqlite3 *db, long long org_rowid, long long service_rowid, hsds_doc raw);
/* The row number of a stored organization: 0 when there is none, -1 on a
 * database error. */
long long hsds_store_organization_rowid(sqlite3 *db, const char *id);
/* Adds or updates a location, as put_organization does. */
bool hsds_store_put_location(sqlite3 *db, const char *id, const char *name, double lat, double lon, bool has_coords,
                            const char *postal_code, hsds_doc raw, long long *rowid, bool *by_ref);
/* The same for a location whose listing sal_rowid (written after it) is
 * the first there. */
bool hsds_store_location_by_ref(sqlite3 *db, long long location_rowid, long long sal_rowid, hsds_doc raw);
/* The row number of a stored location: 0 when there is none, -1 on a
 * database error. */
long long hsds_store_location_rowid(sqlite3 *db, const char *id);
/* Adds or updates a listing; its row number in *rowid, and in *fresh
 * whether it is a new row (it has no point yet: a listing's delete takes
 * its point away). A new row goes on the listing cache's dirty list
 * unless cached_after: its caller then writes its cache in this
 * transaction (hsds_store_cache_put_stored, fresh). */
bool hsds_store_put_sal(sqlite3 *db, const char *id, long long service_rowid, long long location_rowid,
                        long long *rowid, bool *fresh, bool cached_after);
bool hsds_store_put_taxonomy(sqlite3 *db, const char *id, const char *name, const char *raw);
bool hsds_store_put_term(sqlite3 *db, const char *id, const char *code, const char *name, const char *taxonomy,
                        const char *taxonomy_id, const char *parent_id, const char *raw);
/* The row number of the term with this id: 0 when there is none, -1 on
 * an error. */
long long hsds_store_term_rowid(sqlite3 *db, const char *term_id);
/* Links a service to a stored term (by the term's row number, from
 * hsds_store_term_rowid); false when term_rowid is not a term's (0 or
 * less: none was found) or the database fails. Linking the same term
 * twice keeps one link. (The link's type stays in the document: migration
 * 0028.) A new link puts the service's listings on the dirty list when it
 * may have any (has_listings false: a service written in this transaction
 * before its listings). *linked (may be NULL) is the term's row number
 * when a link was written, else 0. */
bool hsds_store_link_term(sqlite3 *db, long long service_rowid, long long term_rowid, bool has_listings,
                          long long *linked);
/* The code of a term row when it is a term of taxonomy_id: 1 (*code
 * malloc'd), 0 when it is not (or has no code), -1 when it cannot be read
 * as C text (a database error, noted; or a NUL byte in the code). */
int hsds_store_term_code(sqlite3 *db, long long term_rowid, const char *taxonomy_id, char **code);
long hsds_store_count_services(sqlite3 *db);

/* Calls fn for every service-at-location in dir_sal_point (mappable, of an
 * active service): its rowid, the location's latitude and longitude, and
 * the codes of the Waypost terms its service links (comma-separated, or
 * ""). Returns false on a database error. */
typedef void (*hsds_point_fn)(void *ctx, uint32_t sal_rowid, double lat, double lon, const char *codes);
bool hsds_store_each_point(sqlite3 *db, hsds_point_fn fn, void *ctx);
/* The largest point's rowid (0 when none or on error): at least the
 * number of points, for sizing their array once. */
long long hsds_store_points_bound(sqlite3 *db);

/* The listing cache (migration 0004). The rowids on the dirty list (the
 * listings whose cache a change made stale; malloc'd array in *rowids;
 * the count, or -1 on error). */
long hsds_store_cache_dirty(sqlite3 *db, uint32_t **rowids);
/* Stores a listing's brief and, when it is mappable and its service
 * active, its point and Waypost codes (brief NULL: the listing has nothing
 * to cache; any old point goes), and takes it off the dirty list. */
bool hsds_store_cache_put(sqlite3 *db, uint32_t sal_rowid, const char *brief, const char *waypost_taxonomy_id);
/* The same with the brief's stored form already made (brief_zip, in the
 * import's reader thread; stored empty: the text is stored as it is);
 * fresh: the listing is a row just inserted (hsds_store_put_sal with
 * cached_after), so it has no point to clear and is not on the list. */
bool hsds_store_cache_put_stored(sqlite3 *db, uint32_t sal_rowid, const char *brief, const buf *stored,
                                 const char *waypost_taxonomy_id, bool fresh);
/* The same with its point known to its caller (an import, from the record
 * it has just written: the location's coordinates, the service's status
 * and hsds_term_codes): point NULL when it has none (no coordinates, or
 * the service is not active); codes in code order, comma separated. */
typedef struct hsds_point_row {
    double latitude, longitude;
    const char *codes;
} hsds_point_row;
bool hsds_store_cache_put_point(sqlite3 *db, uint32_t sal_rowid, const char *brief, const buf *stored,
                                const hsds_point_row *point, bool fresh);
/* Moves the generation (card_cache.h): a transaction that wrote points
 * (hsds_store_cache_put*) calls it once before it commits (a point's
 * update or delete also moves it, by trigger: migration 0032). */
bool hsds_store_generation_bump(sqlite3 *db);
/* The services' full-text index during an import (migration 0019): from
 * hsds_store_search_defer until hsds_store_search_catch_up, inside one
 * transaction, changed services are noted instead of indexed row by row;
 * the catch-up re-indexes them, ends the deferral and gives how many rows
 * it re-indexed (-1 on error). */
bool hsds_store_search_defer(sqlite3 *db);
long hsds_store_search_catch_up(sqlite3 *db);
/* Notes a service for the catch-up (while deferred). */
bool hsds_store_search_note(sqlite3 *db, long long service_rowid);
/* Indexes a service from its texts as its stored document gives them
 * (name; alternate_name and description as json_extract reads them, ""
 * when absent): a row in neither the index nor the pending list. */
bool hsds_store_search_add_text(sqlite3 *db, long long service_rowid, const char *name, const char *alt,
                                const char *desc);
/* Appends the cached brief of a listing to out (its text: a compressed one
 * is unpacked): 1 when there was one, 0 when not (yet, or its stored form
 * cannot be read), -1 on a database error. */
int hsds_store_brief_into(sqlite3 *db, uint32_t sal_rowid, buf *out);

typedef struct hsds_listing {
    uint32_t sal_rowid;
    const char *sal_id, *service_id, *location_id;
    const char *service_raw, *location_raw, *organization_raw;
    const char *source, *source_date;
    bool is_example;
    double lat, lon;
} hsds_listing;

/* A listing by service-at-location rowid; false when there is none. */
bool hsds_store_listing(sqlite3 *db, arena *a, uint32_t sal_rowid, hsds_listing *out);
/* The first service-at-location of a service (by service id); false when none. */
bool hsds_store_listing_by_service(sqlite3 *db, arena *a, const char *service_id, hsds_listing *out);

int hsds_store_terms(sqlite3 *db, arena *a, const char **raws, int max);
int hsds_store_taxonomies(sqlite3 *db, arena *a, const char **raws, int max);
/* Removes a service in the caller's transaction, as if it had never been
 * imported: its dir_service row, its listings (their cached briefs and
 * points go with them, by trigger), its term links, the hsds_* rows its
 * document wrote, and its locations and organization when no other
 * service uses them. 1 when removed, 0 when there is no such service, -1
 * on a database error (the caller rolls back). */
int hsds_store_delete_service(sqlite3 *db, arena *a, const char *id);
/* What the map index is built from has changed when the generation moves
 * (triggers on dir_sal_point bump it, migration 0007) or listings wait on
 * the dirty list; other writes (reports, statistics) leave both alone. */
bool hsds_store_index_stamp(sqlite3 *db, long *generation, bool *dirty);

/* The map index's packed copy (migration 0020, map_snapshot.h) when it was
 * kept at this generation and taxonomy, read in pieces (never all of it in
 * memory): begin(ctx, its length), then piece(ctx, bytes, n) in order.
 * False when there is none, it does not match, or reading failed part way
 * (the caller then drops what it was given). */
bool hsds_store_map_copy_read(sqlite3 *db, long generation, const char *taxonomy,
                              void (*begin)(void *ctx, size_t len),
                              void (*piece)(void *ctx, const unsigned char *p, size_t n), void *ctx);
/* Keeps blob as the copy for generation and taxonomy (one statement: its
 * own transaction). False when it could not be written (busy, read-only). */
bool hsds_store_map_copy_write(sqlite3 *db, long generation, const char *taxonomy, const unsigned char *blob,
                               size_t len);
/* The generation and taxonomy of the kept copy (-1 and "" when none),
 * taxonomy in a buffer of taxlen bytes. */
bool hsds_store_map_copy_label(sqlite3 *db, long *generation, char *taxonomy, size_t taxlen);

#endif
