/* audit: the chained audit log. See audit.h. (Placeholder until the
 * audit module lands: writes nothing and fails, so no change can stand
 * without its row.) */
#include "auth/audit.h"

bool audit_write(sqlite3 *db, const audit_entry *e)
{
    (void)db;
    (void)e;
    return false;
}

long audit_verify(sqlite3 *db, long *rows)
{
    (void)db;
    *rows = 0;
    return -1;
}
