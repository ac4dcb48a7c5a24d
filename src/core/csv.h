/* csv: a small RFC 4180 reader and field writer. Fields may be quoted ("a, b", "say ""hi"""),
 * lines end in LF or CRLF, and the reader tracks the row and column of each
 * field for error messages. It reads from memory; each call to csv_next_row
 * fills the row's fields (pointers into the reader's own buffer, valid
 * until the next call). Malformed input (a quote inside an unquoted field,
 * an unterminated quoted field, a NUL byte, too many or too long fields)
 * stops the reader with a message naming the row and column. */
#ifndef WP_CSV_H
#define WP_CSV_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 65536

typedef struct csv_reader {
    const char *data;
    size_t len, pos;
    long row;          /* 1-based number of the row just read */
    int nfields;
    const char *fields[CSV_MAX_FIELDS];
    buf store;
    char error[256];
} csv_reader;

void csv_init(csv_reader *r, const char *data, size_t len);
void csv_free(csv_reader *r);
/* 1 when a row was read, 0 at the end, -1 on an error (r->error says it). */
int csv_next_row(csv_reader *r);
/* Index of a header name in the current row, or -1. */
int csv_find(const csv_reader *r, const char *name);

/* Appends s as one CSV field, quoted (with quotes doubled) when it holds a
 * comma, quote or line break or starts or ends with a space. */
void csv_put_field(buf *b, const char *s);

#endif
