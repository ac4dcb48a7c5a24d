/* events: the daily counts the spike detector reads (naloxone kits used,
 * EMS overdose calls, ED visits, reported reversals ...), one per kind,
 * area and day, from a CSV file (`waypost import events`) or the staff
 * form.
 *
 * The CSV has exactly the header `date,area,kind,count`; each row is a
 * day (YYYY-MM-DD, a real date), an area (community/areas.h: a ZIP or a
 * named area's slug), a kind (a lower-case slug of letters, digits and
 * '-', at most 40 bytes; not `community-reports`, which the detector
 * counts itself) and a whole count from 0 to 1,000,000. A (date, area,
 * kind) appears at most once in a file. A row already stored is replaced.
 * A file is checked whole before anything is written, and written in one
 * transaction, so a malformed file changes nothing; the error names the
 * row and column ("row 4, column count: ..."). */
#ifndef WP_EVENTS_H
#define WP_EVENTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define EVENTS_KIND_MAX 41
#define EVENTS_MAX_COUNT 1000000L
#define EVENTS_REPORTS_KIND "community-reports"

typedef struct event_row {
    char day[11];
    char area[64];
    char kind[EVENTS_KIND_MAX];
    long count;
} event_row;

typedef struct events_summary {
    long rows, added, replaced;
} events_summary;

/* True when s is a kind slug (see above); the reserved kind is refused
 * only by events_check_kind. */
bool events_kind_ok(const char *s);
/* A kind a person or a file may give: a slug and not the reserved one.
 * False with a sentence in err. */
bool events_check_kind(const char *s, char *err, size_t errlen);
/* True when s is a real YYYY-MM-DD date; *days its day number (days since
 * 1970-01-01) when days is not NULL. */
bool events_day_ok(const char *s, long *days);
/* Writes the date of day number days as YYYY-MM-DD (11 bytes). */
void events_day_str(long days, char out[11]);

/* Parses and checks a whole CSV text. On success *rows (malloc'd, free
 * it) holds *n rows; false with err naming the row and column. */
bool events_parse(const char *text, size_t len, event_row **rows, size_t *n, char *err, size_t errlen);

typedef void (*events_progress_fn)(long done, long total);

/* Stores rows (already checked) inside the caller's transaction: each
 * row's count replaces a stored one. who is the staff account ("" for a
 * command). False on a database error. */
bool events_store_rows(sqlite3 *db, const event_row *rows, size_t n, const char *source, const char *who,
                       events_summary *sum, events_progress_fn progress);

/* The whole import of a CSV text in one transaction (BEGIN IMMEDIATE ...
 * COMMIT); false with err (nothing changed). */
bool events_import_text(sqlite3 *db, const char *text, size_t len, events_summary *sum,
                        events_progress_fn progress, char *err, size_t errlen);

#endif
