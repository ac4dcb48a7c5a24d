/* hsds_prepare: the part of an import that needs no database. A record's
 * parse, its stored texts (the service, its organization, its locations),
 * the stored forms and its listings' briefs are made ahead of the
 * writes; for NDJSON in a second thread, so the records are parsed while
 * the ones before them are written. */
#ifndef WP_HSDS_PREPARE_H
#define WP_HSDS_PREPARE_H

/* The most listings of one record the reader makes ready (the rest are
 * written and cached from the database). */
#define HSDS_PREPARE_MAX_SALS 32

#include "core/arena.h"
#include "core/buf.h"
#include "hsds/hsds_fields.h"
#include "hsds/hsds_tables.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct hsds_prepared {
    long line;    /* the NDJSON line, or the index + 1 in a JSON list */
    json_t *svc;  /* the record (owned); NULL after a parse error */
    char err[200]; /* the parse error: "line L, column C: what" */
    char *raw;    /* the service's text: compact, keys sorted, ASCII */
    size_t raw_len;
    buf stored;   /* raw as stored (doc_zip.h); len 0 when it could not be made */
    char *org_raw; /* the nested organization's text, or NULL */
    buf org_stored; /* its stored form (brief_zip.h); len 0: stored as text */
    bool org_nested; /* org_raw is where db/nested_doc.h finds it in raw */
    size_t nsals;  /* entries in loc_raw and brief (the record's listings, at most HSDS_PREPARE_MAX_SALS) */
    char **loc_raw; /* each listing's nested location's text, or NULL */
    buf *loc_stored; /* their stored forms (brief_zip.h); len 0: stored as text */
    bool loc_nested[HSDS_PREPARE_MAX_SALS]; /* loc_raw[i] is where nested_doc.h finds it */
    char **brief;   /* each listing's cached brief when the record alone makes it (its
                     * location is in the record and not shared within it), or NULL */
    buf *brief_stored; /* each brief's stored form (brief_zip.h); len 0: stored as text */
    bool checked;   /* hsds_tables_check_terms ran (svc is an object): */
    bool check_ok;  /* it passed, and terms holds the deeper terms to write, */
    const char *check_what; /* or this is why not, */
    char check_field[256];  /* at this field */
    hsds_rows terms;
    /* the search index's alternate name and description (f's copies;
     * NULL when absent or null) when each is a string, absent or null, as
     * json_extract would read them: search_plain */
    const char *search_alt, *search_desc;
    bool search_plain;
    hsds_fields f; /* the members the import reads (svc an object), in mem */
    arena mem;
} hsds_prepared;

/* The stored text of an object: compact, keys sorted, ASCII (malloc'd). */
char *hsds_prepare_dump(json_t *o);

/* Fills p from svc (taking over its reference); what cannot be made (a
 * missing id, say) is left NULL for the importer to find and report. */
void hsds_prepare(hsds_prepared *p, json_t *svc, long line);
void hsds_prepared_free(hsds_prepared *p);

/* NDJSON records in file order, parsed and prepared by a second thread
 * (in this one when a thread cannot be started). The text must outlive
 * the pipe. */
typedef struct hsds_pipe hsds_pipe;
hsds_pipe *hsds_pipe_start(const char *text, size_t len);
/* The next record into *out (the caller frees it): false at the end. A
 * parse error is a record with svc NULL, and the last one. */
bool hsds_pipe_next(hsds_pipe *pp, hsds_prepared *out);
/* Gives a record from hsds_pipe_next back when done with it: the reader
 * thread frees it (or this thread, when there is no reader). */
void hsds_pipe_done(hsds_pipe *pp, hsds_prepared *p);
/* Stops the thread and frees what it made that was not taken. */
void hsds_pipe_stop(hsds_pipe *pp);

#endif
