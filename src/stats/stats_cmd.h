/* stats_cmd: `waypost import stats FILE`, a newer CDC statistics file into
 * the database in one transaction. */
#ifndef WP_STATS_CMD_H
#define WP_STATS_CMD_H

#include "core/cli.h"

int stats_cmd_import(const config *cfg, const cli_args *a);

#endif
