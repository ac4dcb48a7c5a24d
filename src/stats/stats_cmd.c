/* stats_cmd: the statistics commands. See stats_cmd.h. */
#include "stats/stats_cmd.h"
#include "db/db.h"
#include "stats/stats_import.h"

#include <stdio.h>

int stats_cmd_import(const config *cfg, const cli_args *a)
{
    char err[1024];
    sqlite3 *db = db_open_migrated(cfg->db_path, false, err, sizeof(err));
    if (!db)
        return cli_fail(err);
    const char *file = a->pos[0];
    stats_summary sum;
    bool ok = stats_import_file(db, file, &sum, err, sizeof(err));
    if (ok)
        db_checkpoint(db);
    db_close(db);
    if (!ok)
        return cli_fail_unchanged(err);
    printf("imported %s into the %s statistics: %ld rows read, %ld kept, %ld skipped (other indicators or "
           "groups)\n",
           file, sum.table, sum.rows_read, sum.rows_kept, sum.rows_skipped);
    return 0;
}
