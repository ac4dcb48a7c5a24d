/* reports_store: the SQL of the staff report queue (/staff/reports).
 *
 * The queue reads the public's "report a problem" notes, written by
 * locator/report_store.c into dir_report (migration 0003; decided_at,
 * decided_by and the (status, id) index from 0008), each with the listing
 * it is about (dir_service, its organization and its first location), and
 * writes the decisions on them.
 *
 * Sources. Every queue item names its source: "listing" is dir_report;
 * "community" is community_report (migration 0011), the anonymous drug
 * reports of issue 14 (/report, written by src/community/report_store.c,
 * which this feature may not include: the table is read here by SQL). Each
 * source is a row in the sources table of reports_store.c (its read and
 * decision statements) and a UNION ALL arm in the list statements giving
 * the same columns, with the community fields empty for a listing report
 * and the listing's empty for a community one. Items are addressed as
 * (source, id), so ids of different tables never clash; community reports
 * have the kind "drug".
 *
 * Statuses: new (as the public sent it), editing (an editor turned it into
 * an edit of the listing and has not finished), resolved, dismissed; for
 * community reports new, reviewed, dismissed and alerted (made into an
 * alert). The queue's default view, "open", is new and editing together. */
#ifndef WP_REPORTS_STORE_H
#define WP_REPORTS_STORE_H

#include "core/arena.h"

#include <sqlite3.h>
#include <stdbool.h>

#define REPORT_SOURCE_LISTING "listing"
#define REPORT_SOURCE_COMMUNITY "community"

typedef struct report_filter {
    const char *status; /* "open", "new", "editing", "reviewed", "alerted", "resolved" or "dismissed" */
    const char *kind;   /* "" for every kind; "drug" for community reports only */
} report_filter;

typedef struct report_item {
    const char *source; /* REPORT_SOURCE_LISTING or REPORT_SOURCE_COMMUNITY (static strings) */
    long id;
    const char *kind, *note, *created_at, *status;
    long decided_at;       /* unix seconds, 0 when undecided */
    const char *decided_by; /* "" when undecided */
    const char *service_id;
    /* the listing; found false when it is no longer in the directory */
    bool found, is_example;
    const char *name, *organization, *listing_source, *source_date;
    const char *service_raw, *location_raw; /* HSDS JSON ("" when none) */
    /* a community report ("" and false for a listing report): the day of
     * use (YYYY-MM-DD), the area key, the texts (masked when sent) and the
     * effect slugs joined by commas */
    const char *day, *area, *sold_as, *seemed, *effects, *looked;
    bool staff;
} report_item;

/* The number of items the filter matches; -1 on a database error. */
long reports_store_count(sqlite3 *db, const report_filter *f);
/* Calls fn for each item of one page, newest first (fn returns false to
 * stop); false on a database error. */
typedef bool (*report_fn)(const report_item *it, void *ctx);
bool reports_store_list(sqlite3 *db, arena *a, const report_filter *f, long offset, long limit, report_fn fn,
                        void *ctx);
/* One item: 1 found, 0 no such item (or source), -1 a database error. */
int reports_store_get(sqlite3 *db, arena *a, const char *source, long id, report_item *out);
/* Sets an item's status, with who decided and when (status "new" clears
 * both). Call inside the caller's transaction. False on a database error
 * or an unknown source. */
bool reports_store_set_status(sqlite3 *db, const char *source, long id, const char *status, const char *by);

#endif
