/* fuzz_listing_form: libFuzzer harness for the staff listing form
 * (src/staff/listing_form.c) and the HSDS document it builds and reads
 * back (src/staff/listing_doc.c), the weekly schedule editor included.
 *
 * Input starting with '{' is a stored service document: it is read into a
 * form, which must not crash whatever the JSON holds. Any other input is a
 * urlencoded form body, parsed as the server parses it. Checks: every
 * problem names one of the form's fields with a message; a form without
 * problems builds a document that hsds_decompose accepts (every object has
 * an id), and that document read back into the form checks without
 * problems and builds the same document again (a round trip). */
#include "core/arena.h"
#include "core/util.h"
#include "hsds/hsds_tables.h"
#include "http/params.h"
#include "staff/listing_form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static listing_vocab vocab;

static const char TAXONOMY[] =
    "{\"terms\":[{\"id\":\"t1\",\"code\":\"naloxone\",\"name\":\"Naloxone\",\"taxonomy_id\":"
    "\"1ffc8755-6460-51ac-9673-4e3eee8feaae\",\"link_type\":\"service_type\"}],"
    "\"attributes\":[{\"id\":\"t2\",\"code\":\"free\",\"name\":\"Free\",\"taxonomy_id\":"
    "\"1ffc8755-6460-51ac-9673-4e3eee8feaae\",\"link_type\":\"cost\"}]}";

static bool zip_stub(const char *zip, double *lat, double *lon)
{
    *lat = 40 + (zip[4] - '0') / 10.0;
    *lon = -74;
    return zip[0] != '9';
}

static const listing_ctx CTX = {&vocab, zip_stub, "00000000-0000-4000-8000-000000000001", "2026-12-04", "Fuzz", 0};

static void check_errors(json_t *errors)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        bool known = f && !strcmp(f, "codes");
        for (int k = 0; f && listing_form_fields[k]; k++)
            known = known || !strcmp(f, listing_form_fields[k]);
        if (!known || !m || !*m)
            abort();
    }
}

/* Checks form; when it has no problems builds the document and returns it. */
static json_t *check_and_build(json_t *form, json_t *old, bool must_pass)
{
    json_t *errors = json_array();
    json_t *checked = listing_form_check(form, &CTX, errors);
    check_errors(errors);
    json_t *doc = NULL;
    if (!json_array_size(errors))
        doc = listing_doc_build(checked, old, &CTX);
    else if (must_pass)
        abort(); /* a built document must read back into a good form */
    json_decref(errors);
    json_decref(checked);
    return doc;
}

static void round_trip(json_t *doc)
{
    hsds_rows rows;
    char field[256];
    const char *what = NULL;
    bool ok = hsds_decompose(doc, &rows, field, sizeof(field), &what);
    hsds_rows_free(&rows);
    if (!ok)
        abort();
    json_t *again = listing_doc_form(doc);
    json_t *doc2 = check_and_build(again, doc, true);
    if (!json_equal(doc, doc2))
        abort();
    json_decref(again);
    json_decref(doc2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!vocab.codes) {
        json_t *root = json_loads(TAXONOMY, 0, NULL);
        char err[64];
        if (!root || !listing_vocab_init(&vocab, root, err, sizeof(err)))
            abort();
        json_decref(root);
    }
    if (size > 16384)
        return 0;
    if (size && data[0] == '{') {
        json_t *svc = json_loadb((const char *)data, size, 0, NULL);
        if (json_is_object(svc)) {
            json_t *form = listing_doc_form(svc);
            json_t *doc = check_and_build(form, svc, false);
            json_decref(doc);
            json_decref(form);
        }
        json_decref(svc);
        return 0;
    }
    arena a;
    arena_init(&a);
    params p;
    const char *why = NULL;
    if (params_parse_query(&a, (const char *)data, size, NULL, &p, &why) == PARAMS_OK) {
        json_t *form = listing_form_read(&p);
        json_t *doc = check_and_build(form, NULL, false);
        if (doc)
            round_trip(doc);
        json_decref(doc);
        json_decref(form);
    }
    arena_free(&a);
    return 0;
}
