/* fuzz_convert: libFuzzer harness for the FindTreatment.gov and CSV
 * converters (src/hsds/hsds_convert*.c). The first byte picks the
 * converter (even: FindTreatment.gov JSON, odd: CSV with a fixed --columns
 * spec); the rest is the file. Checks: a refusal always has a message; a
 * result is NDJSON whose every line is an HSDS service object with an id
 * and a name, and which hsds_import_text accepts (converted data must
 * always import). Run from the repository root (tests/fuzz/run.sh does):
 * it reads data/taxonomy/waypost.json and samhsa-codes.json. */
#include "db/db.h"
#include "hsds/hsds_convert.h"
#include "hsds/hsds_import.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAX "data/taxonomy/waypost.json"
#define SAMHSA "data/taxonomy/samhsa-codes.json"
#define COLS "name=Name,address=Street,city=City,state=ST,zip=ZIP,phone=Phone,lat=Lat,lon=Lon,services=Services,url=Web"

#include "fuzz_db.h"

static void check_ndjson(const char *nd)
{
    const char *p = nd;
    while (*p) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            abort(); /* every line ends in a newline */
        json_t *s = json_loadb(p, (size_t)(nl - p), 0, NULL);
        if (!json_is_object(s) || !json_is_string(json_object_get(s, "id")) ||
            !json_is_string(json_object_get(s, "name")))
            abort();
        json_decref(s);
        p = nl + 1;
    }
    char err[512];
    hsds_import_counts c;
    if (!hsds_import_text(db, "fuzz", nd, strlen(nd), &c, err, sizeof(err))) {
        fprintf(stderr, "converted data did not import: %s\n", err);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[512] = "";
    char *nd = (data[0] & 1) ? hsds_convert_csv(text, len, COLS, "Fuzz list", "2026-01-01", TAX, err, sizeof(err))
                             : hsds_convert_findtreatment(text, len, "FindTreatment.gov", "2026-01-01", TAX, SAMHSA,
                                                          err, sizeof(err));
    if (!nd) {
        if (!err[0])
            abort();
        return 0;
    }
    check_ndjson(nd);
    free(nd);
    return 0;
}
