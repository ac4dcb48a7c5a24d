/* fuzz_roundtrip: libFuzzer harness for the HSDS export and re-import
 * (src/hsds/hsds_export.c, hsds_import.c): export followed by import must
 * be the identity.
 *
 * The input is an HSDS file (as for fuzz_import). For each input:
 *  1. database A = a fresh in-memory copy of a template (migrated, with the
 *     Waypost taxonomy of data/taxonomy/waypost.json, as after `waypost
 *     seed`); the input is imported with hsds_import_text. Refused inputs,
 *     and accepted ones that hold no service (a taxonomy file), end here;
 *  2. hsds_export(A) into temp folder e1 (under fuzz_tmp.h's folder; made
 *     for each input, removed after it, kept after an abort);
 *  3. database B = another copy of the template; e1/services.ndjson is
 *     imported with hsds_import_path (it must be accepted: exported data
 *     always imports);
 *  4. hsds_export(B) into temp folder e2;
 *  5. every file of e1 (the 21 CSVs, services.ndjson, datapackage.json)
 *     must be byte for byte the file of the same name in e2, and both must
 *     have exported the same number of services. Otherwise the harness
 *     prints the first differing line and aborts.
 * The promise checked is the one in src/hsds/hsds_export.h and
 * tests/http/run.py (hsds_examples_export_import_export_is_identical):
 * exporting, importing the export and exporting again gives the same files.
 *
 * Two known bugs, both from services.ndjson listing services by id rather
 * than in the order they were imported, are let through unless
 * WP_FUZZ_STRICT=1 is in the environment:
 *  1. a service that names an organization, location or taxonomy term by id
 *     only, when that object came inside a service with a later id, is
 *     refused on re-import ("names an organization that is not in the file
 *     or the database", "a location_id that was never imported?", "unknown
 *     term?"); saved as tests/fuzz/regression/roundtrip/crash-68f9b257...;
 *  2. an object (organization, location, term, ...) that two services carry
 *     with the same id but different text is stored as the last service in
 *     the file had it, and after the round trip as the service with the
 *     highest id had it, so the CSVs differ; saved as crash-75af4683...
 *     (found by this harness: a term's taxonomy_id) and
 *     crash-same-id-different-text.ndjson (a location's name). When the
 *     exports differ and the input has such an id (any JSON object id seen
 *     twice with different contents), the input is let through.
 * Run from the repository root (tests/fuzz/run.sh does): it reads
 * data/taxonomy/waypost.json. */
#include "db/db.h"
#include "hsds/hsds_export.h"
#include "hsds/hsds_import.h"
#include "hsds/hsds_schema.h"

#include <jansson.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_tmp.h"

#define TAX "data/taxonomy/waypost.json"

static sqlite3 *tmpl;
static bool strict; /* WP_FUZZ_STRICT=1: also abort on the known bug above */
static char root[256]; /* made and removed for each input; kept after an abort */

static void rm_tree(const char *d)
{
    DIR *dh = opendir(d);
    if (!dh)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(dh)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if ((size_t)snprintf(p, sizeof(p), "%s/%s", d, e->d_name) < sizeof(p))
            unlink(p);
    }
    closedir(dh);
    rmdir(d);
}

static void remove_root(void)
{
    char d[300];
    snprintf(d, sizeof(d), "%s/e1", root);
    rm_tree(d);
    snprintf(d, sizeof(d), "%s/e2", root);
    rm_tree(d);
    rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    tmpl = db_open_command(":memory:", err, sizeof(err));
    if (!tmpl || !db_migrate(tmpl, NULL, err, sizeof(err))) {
        fprintf(stderr, "fuzz_roundtrip: %s\n", err);
        abort();
    }
    hsds_import_counts c;
    if (!hsds_import_path(tmpl, TAX, &c, err, sizeof(err))) {
        fprintf(stderr, "fuzz_roundtrip: %s (run from the repository root)\n", err);
        abort();
    }
    strict = getenv("WP_FUZZ_STRICT") != NULL;
    return 0;
}

/* Known bug 2: collects every JSON object's id with its text (compact,
 * sorted keys) in seen; true when one id has two different texts. */
static bool conflicting_ids(json_t *v, json_t *seen)
{
    bool found = false;
    if (json_is_object(v)) {
        const char *id = json_string_value(json_object_get(v, "id"));
        if (id) {
            char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
            const char *had = json_string_value(json_object_get(seen, id));
            if (text && had && strcmp(had, text))
                found = true;
            else if (text && !had)
                json_object_set_new(seen, id, json_string(text));
            free(text);
        }
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) found = conflicting_ids(x, seen) || found;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) found = conflicting_ids(x, seen) || found;
    }
    return found;
}

/* Whether the input (one JSON document, or NDJSON) has conflicting ids. */
static bool input_has_conflicting_ids(const char *text, size_t len)
{
    json_t *seen = json_object();
    bool found = false;
    json_t *whole = json_loadb(text, len, 0, NULL);
    if (whole) {
        found = conflicting_ids(whole, seen);
        json_decref(whole);
    } else {
        size_t pos = 0;
        while (pos < len && !found) {
            const char *nl = memchr(text + pos, '\n', len - pos);
            size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
            json_t *line = json_loadb(text + pos, n, 0, NULL);
            if (line)
                found = conflicting_ids(line, seen);
            json_decref(line);
            pos += n + 1;
        }
    }
    json_decref(seen);
    return found;
}

/* Known bug 1's re-import refusal: an id that a later line defines. */
static bool known_forward_reference(const char *err)
{
    return strstr(err, "names an organization that is not in the file or the database") ||
           strstr(err, "a location_id that was never imported?") || strstr(err, "(unknown term?)");
}

/* Prints why, and where the exports were kept, then aborts. */
static void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void failed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz_roundtrip: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (the exports are kept in %s)\n", root);
    abort();
}

/* A fresh connection holding a copy of the template. */
static sqlite3 *copy_of_template(void)
{
    char err[512];
    sqlite3 *db = db_open_command(":memory:", err, sizeof(err));
    if (!db)
        abort();
    sqlite3_backup *b = sqlite3_backup_init(db, "main", tmpl, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
        abort();
    return db;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                abort();
            s = t;
        }
    }
    fclose(f);
    if (!s)
        abort();
    *len = n;
    return s;
}

/* The first line where a and b differ, for the report. */
static void show_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, line = 1, start = 0;
    while (i < alen && i < blen && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    const char *ae = memchr(a + start, '\n', alen - start), *be = memchr(b + start, '\n', blen - start);
    int al = (int)((ae ? (size_t)(ae - a) : alen) - start), bl = (int)((be ? (size_t)(be - b) : blen) - start);
    fprintf(stderr, "fuzz_roundtrip: %s differs at line %zu\n  first export:  %.*s\n  second export: %.*s\n", name,
            line, al > 400 ? 400 : al, a + start, bl > 400 ? 400 : bl, b + start);
}

/* false when the exports differ (the first difference printed when loud) */
static bool same_exports(const char *e1, const char *e2, bool loud)
{
    DIR *dh = opendir(e1);
    if (!dh)
        abort();
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p1[600], p2[600];
        snprintf(p1, sizeof(p1), "%s/%s", e1, e->d_name);
        snprintf(p2, sizeof(p2), "%s/%s", e2, e->d_name);
        size_t l1 = 0, l2 = 0;
        char *a = slurp(p1, &l1), *b = slurp(p2, &l2);
        if (!a || !b) {
            failed("%s is missing from one export", e->d_name);
        }
        if (l1 != l2 || memcmp(a, b, l1)) {
            if (loud)
                show_diff(e->d_name, a, l1, b, l2);
            free(a);
            free(b);
            closedir(dh);
            return false;
        }
        free(a);
        free(b);
        files++;
    }
    closedir(dh);
    if (files != HSDS_NRES + 2) /* the CSVs, services.ndjson, datapackage.json */
        failed("the export has %d files, not %d", files, HSDS_NRES + 2);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 262144)
        return 0;
    char err[512] = "";
    hsds_import_counts c;
    sqlite3 *a = copy_of_template();
    bool ok = hsds_import_text(a, "fuzz.json", (const char *)data, size, &c, err, sizeof(err));
    if (!ok || c.added == 0) {
        db_close(a);
        return 0;
    }
    snprintf(root, sizeof(root), "%s/wp-fuzz-roundtrip.XXXXXX", fuzz_tmp_dir());
    if (!mkdtemp(root))
        abort();
    char e1[300], e2[300], nd[330];
    snprintf(e1, sizeof(e1), "%s/e1", root);
    snprintf(e2, sizeof(e2), "%s/e2", root);
    snprintf(nd, sizeof(nd), "%s/services.ndjson", e1);
    long n1 = 0, n2 = 0;
    if (!hsds_export(a, e1, &n1, err, sizeof(err)))
        failed("the first export failed: %s", err);
    db_close(a);

    sqlite3 *b = copy_of_template();
    if (!hsds_import_path(b, nd, &c, err, sizeof(err))) {
        if (!strict && known_forward_reference(err)) {
            db_close(b);
            remove_root();
            return 0;
        }
        failed("the export did not import again: %s", err);
    }
    if (!hsds_export(b, e2, &n2, err, sizeof(err)))
        failed("the second export failed: %s", err);
    db_close(b);
    if (n1 != n2 || c.added != n1)
        failed("%ld services exported, %ld added again, %ld exported again", n1, c.added, n2);
    if (!same_exports(e1, e2, false)) {
        if (strict || !input_has_conflicting_ids((const char *)data, size)) {
            same_exports(e1, e2, true);
            failed("%s", "the two exports differ");
        }
        /* known bug 2 */
    }
    remove_root();
    return 0;
}
