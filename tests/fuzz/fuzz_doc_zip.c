/* fuzz_doc_zip: libFuzzer harness for the stored form of service
 * documents (src/db/doc_zip.c), read back from the database (a file
 * anyone with the database can change).
 *
 * The input is read as a stored document: it must give a document or be
 * refused, never crash or read out of bounds, and a document it gives
 * must store back to bytes that read as the same document. Then the input
 * is stored as a document's text and must read back byte for byte. */
#include "db/doc_zip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void same_or_abort(const char *text, size_t len)
{
    buf b;
    buf_init(&b, 0);
    if (!doc_zip(text, len, &b))
        abort();
    size_t back_len = 0;
    char *back = doc_unzip(b.data, b.len, &back_len);
    if (!back || back_len != len || memcmp(back, text, len) != 0)
        abort();
    free(back);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0;
    char *doc = doc_unzip(data, size, &len);
    if (doc) {
        same_or_abort(doc, len);
        free(doc);
    }
    same_or_abort((const char *)data, size);
    return 0;
}
