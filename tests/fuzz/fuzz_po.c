/* fuzz_po: libFuzzer harness for the PO catalog reader (src/core/i18n_po.c
 * through i18n_add), the Plural-Forms evaluator, and the two text passes
 * every page in another language goes through (i18n_template, i18n_links).
 * A catalog is text a programme's translators edit, so any input must give
 * a catalog or a "line N" error, never a crash, a hang or a read past the
 * end (ASan). Checks: a catalog that loads answers every lookup with a
 * string; a marker pass keeps text outside markers byte for byte; the link
 * pass with an empty prefix is the identity and with "/es" never shortens
 * the page. */
#include "core/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_text(const char *s, size_t n)
{
    buf out = BUF_INIT;
    char err[256];
    if (i18n_template(1, s, n, &out, err, sizeof(err)) && !memmem(s, n, "{{#_}}", 6)) {
        if (out.len != n || (n && memcmp(out.data, s, n) != 0))
            abort(); /* no marker: the template is unchanged */
    }
    buf_free(&out);
    buf same = BUF_INIT, es = BUF_INIT;
    i18n_links(s, n, "", &same);
    i18n_links(s, n, "/es", &es);
    if (same.len != n || (n && memcmp(same.data, s, n) != 0) || es.len < n)
        abort();
    buf_free(&same);
    buf_free(&es);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char err[256];
    i18n_unload();
    int lang = i18n_add("es", "fuzz.po", s, size, err, sizeof(err));
    if (lang > 0) {
        if (!i18n_tr(lang, "Menu") || !i18n_trn(lang, "a", "b", 3) || !i18n_trc(lang, "c", "d"))
            abort();
    } else if (strncmp(err, "fuzz.po: ", 9) != 0) {
        abort(); /* every error names the file */
    }
    check_text(s, size);
    i18n_unload();
    return 0;
}
