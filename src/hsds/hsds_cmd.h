/* hsds_cmd: the directory's commands: `import hsds PATH`, `import
 * findtreatment FILE`, `import csv FILE --columns SPEC` and `export hsds
 * DIR`. Every import converts its input to HSDS 3.0 and loads it in one
 * transaction; a refused file changes nothing. */
#ifndef WP_HSDS_CMD_H
#define WP_HSDS_CMD_H

#include "core/cli.h"
#include "hsds/hsds_convert.h"

#include <sqlite3.h>
#include <stdbool.h>

int hsds_cmd_import(const config *cfg, const cli_args *a);
int hsds_cmd_import_findtreatment(const config *cfg, const cli_args *a);
/* `import csv FILE --columns SPEC [--source NAME]`: the source name
 * (shown on each listing as "Listed by NAME") defaults to this. */
#define HSDS_CSV_DEFAULT_SOURCE "Local spreadsheet"
int hsds_cmd_import_csv(const config *cfg, const cli_args *a);
int hsds_cmd_export(const config *cfg, const cli_args *a);

/* Imports one file or CSV datapackage folder into db and prints its
 * summary line; false (with the error printed) when it was refused. */
bool hsds_cmd_import_one(sqlite3 *db, const char *path);

#endif
