/* fuzz_convert: libFuzzer harness for the converters
 * (src/hsds/hsds_convert*.c). The first byte picks the converter, modulo
 * 3: 0 FindTreatment.gov JSON, 1 CSV with a fixed --columns spec (an
 * hours column too), 2 an HSDS CSV datapackage (the input up to a 0x01
 * byte is services.csv, what follows it phones.csv, written to a
 * temporary folder); the rest is the
 * file. Checks: a refusal always has a message; a result is NDJSON whose
 * every line is an HSDS service object with an id and a name, and which
 * hsds_import_text accepts (FindTreatment.gov and CSV conversions must
 * always import; a datapackage's may be refused, with a message). Run from
 * the repository root (tests/fuzz/run.sh does): it reads
 * data/taxonomy/waypost.json and samhsa-codes.json. */
#include "db/db.h"
#include "hsds/hsds_convert.h"
#include "hsds/hsds_import.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAX "data/taxonomy/waypost.json"
#define SAMHSA "data/taxonomy/samhsa-codes.json"
#define COLS "name=Name,address=Street,city=City,state=ST,zip=ZIP,phone=Phone,lat=Lat,lon=Lon,services=Services,url=Web,hours=Hours"

#include "fuzz_db.h"

/* must_import: FindTreatment.gov and CSV conversions make whole records
 * and must always import; a datapackage's rows may name objects that are
 * not there, which the importer refuses (with a message). */
static void check_ndjson(const char *nd, bool must_import)
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
    char err[512] = "";
    hsds_import_counts c;
    if (!hsds_import_text(db, "fuzz", nd, strlen(nd), &c, err, sizeof(err)) && (must_import || !err[0])) {
        fprintf(stderr, "converted data did not import: %s\n", err);
        abort();
    }
}

static void put_file(const char *dir, const char *name, const char *text, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
    if (!text)
        return;
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        abort();
}

static char dir[64];

static void remove_dir(void)
{
    put_file(dir, "services.csv", NULL, 0);
    put_file(dir, "phones.csv", NULL, 0);
    rmdir(dir);
}

/* The input as a datapackage folder (made once, its files replaced). */
static char *convert_datapackage(const char *text, size_t len, char *err, size_t errlen)
{
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "%s", "/tmp/wp_fuzz_dp_XXXXXX");
        if (!mkdtemp(dir))
            abort();
        atexit(remove_dir);
    }
    const char *sep = memchr(text, 1, len);
    put_file(dir, "services.csv", text, sep ? (size_t)(sep - text) : len);
    put_file(dir, "phones.csv", sep ? sep + 1 : NULL, sep ? len - (size_t)(sep - text) - 1 : 0);
    return hsds_convert_datapackage(dir, err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[512] = "";
    char *nd = NULL;
    if (data[0] % 3 == 0)
        nd = hsds_convert_findtreatment(text, len, "FindTreatment.gov", "2026-01-01", TAX, SAMHSA, err, sizeof(err));
    else if (data[0] % 3 == 1)
        nd = hsds_convert_csv(text, len, COLS, "Fuzz list", "2026-01-01", TAX, err, sizeof(err));
    else
        nd = convert_datapackage(text, len, err, sizeof(err));
    if (!nd) {
        if (!err[0])
            abort();
        return 0;
    }
    check_ndjson(nd, data[0] % 3 != 2);
    free(nd);
    return 0;
}
