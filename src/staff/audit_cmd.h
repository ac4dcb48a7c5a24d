/* audit_cmd: `waypost audit verify [--db PATH]`, the check of the staff
 * audit log's hash chain from the command line (for a cron job, or after
 * restoring a backup). Exit 0 when every link holds, 1 when one is broken
 * (the first is named) or the log cannot be read. */
#ifndef WP_AUDIT_CMD_H
#define WP_AUDIT_CMD_H

#include "core/cli.h"

int audit_cmd_verify(const config *cfg, const cli_args *a);

#endif
