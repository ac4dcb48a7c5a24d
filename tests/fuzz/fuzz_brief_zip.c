/* fuzz_brief_zip: libFuzzer harness for the stored form of the listing
 * cache's briefs (src/db/brief_zip.c), read back from the database (a
 * file anyone with the database can change).
 *
 * The input is read as a stored brief: it must give a text or be refused,
 * never crash or read or write out of bounds, and a text it gives must
 * store back to a form that reads as the same text. Then the input is
 * stored as a brief's text and, unless refused (empty, too long, holding
 * byte 0x01), must read back byte for byte. */
#include "db/brief_zip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void same_or_abort(const char *text, size_t len)
{
    buf z = BUF_INIT, back = BUF_INIT;
    bool refused = len == 0 || len > BRIEF_ZIP_MAX || memchr(text, 0x01, len);
    if (brief_zip(text, len, &z) == refused)
        abort();
    if (!refused && (!brief_unzip_into(z.data, z.len, &back) || back.len != len || memcmp(back.data, text, len)))
        abort();
    buf_free(&z);
    buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf text = BUF_INIT;
    if (brief_unzip_into(data, size, &text))
        same_or_abort(text.data, text.len);
    buf_free(&text);
    same_or_abort((const char *)data, size);
    return 0;
}
