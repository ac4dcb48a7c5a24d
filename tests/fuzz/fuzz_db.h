/* fuzz_db.h: the migrated in-memory database that the importing harnesses
 * share. Including it defines `db` and libFuzzer's LLVMFuzzerInitialize,
 * which opens it once per run; include it in one harness source only. */
#ifndef WP_FUZZ_DB_H
#define WP_FUZZ_DB_H

#include "db/db.h"

#include <stdlib.h>

static sqlite3 *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256];
    db = db_open_command(":memory:", err, sizeof(err));
    if (!db || !db_migrate(db, NULL, err, sizeof(err)))
        abort();
    return 0;
}

#endif
