/* csv: an RFC 4180 reader with row and column tracking. See csv.h. */
#include "core/csv.h"

#include <stdio.h>
#include <string.h>

void csv_init(csv_reader *r, const char *data, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->data = data;
    r->len = len;
    buf_init(&r->store, CSV_MAX_FIELDS * (size_t)CSV_MAX_FIELD);
    /* skip a UTF-8 byte order mark */
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        r->pos = 3;
}

void csv_free(csv_reader *r)
{
    buf_free(&r->store);
}

static int fail(csv_reader *r, int col, const char *what)
{
    snprintf(r->error, sizeof(r->error), "row %ld, column %d: %s", r->row, col, what);
    return -1;
}

/* Reads one field starting at r->pos into the store; sets *end_of_row. */
static int read_field(csv_reader *r, int col, bool *end_of_row)
{
    const char *d = r->data;
    bool quoted = r->pos < r->len && d[r->pos] == '"';
    size_t start_len = r->store.len;
    if (quoted)
        r->pos++;
    for (;;) {
        if (r->pos >= r->len) {
            if (quoted)
                return fail(r, col, "a quoted field is not closed");
            *end_of_row = true;
            break;
        }
        char c = d[r->pos];
        if (c == '\0')
            return fail(r, col, "a NUL byte");
        if (quoted) {
            if (c == '"') {
                if (r->pos + 1 < r->len && d[r->pos + 1] == '"') {
                    buf_putc(&r->store, '"');
                    r->pos += 2;
                    continue;
                }
                r->pos++;
                quoted = false;
                if (r->pos < r->len && d[r->pos] != ',' && d[r->pos] != '\n' && d[r->pos] != '\r')
                    return fail(r, col, "text after a closing quote");
                continue;
            }
            buf_putc(&r->store, c);
            r->pos++;
            continue;
        }
        if (c == ',') {
            r->pos++;
            break;
        }
        if (c == '\n' || c == '\r') {
            r->pos += (c == '\r' && r->pos + 1 < r->len && d[r->pos + 1] == '\n') ? 2 : 1;
            *end_of_row = true;
            break;
        }
        if (c == '"')
            return fail(r, col, "a quote inside a field that does not start with one");
        buf_putc(&r->store, c);
        r->pos++;
    }
    if (r->store.len - start_len > CSV_MAX_FIELD)
        return fail(r, col, "a field is too long");
    buf_putc(&r->store, '\0');
    return r->store.overflow ? fail(r, col, "the row is too long") : 0;
}

int csv_next_row(csv_reader *r)
{
    if (r->error[0])
        return -1;
    /* skip blank lines */
    while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r'))
        r->pos++;
    if (r->pos >= r->len)
        return 0;
    r->row++;
    buf_reset(&r->store);
    size_t offsets[CSV_MAX_FIELDS];
    int n = 0;
    bool end = false;
    while (!end) {
        if (n >= CSV_MAX_FIELDS)
            return fail(r, n + 1, "too many fields");
        offsets[n] = r->store.len;
        if (read_field(r, n + 1, &end) < 0)
            return -1;
        n++;
    }
    r->nfields = n;
    for (int i = 0; i < n; i++)
        r->fields[i] = r->store.data + offsets[i];
    return 1;
}

int csv_find(const csv_reader *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i], name))
            return i;
    return -1;
}

void csv_put_field(buf *b, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '));
    if (!quote) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}
