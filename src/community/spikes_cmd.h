/* spikes_cmd: the spike detector's commands.
 *
 *   waypost import events FILE.csv   daily counts (header date,area,kind,count)
 *   waypost spikes [--date YYYY-MM-DD] [--json]
 *                                    runs the detector for a day (default
 *                                    yesterday in the site's time zone),
 *                                    stores and prints its flags */
#ifndef WP_SPIKES_CMD_H
#define WP_SPIKES_CMD_H

#include "core/cli.h"

int spikes_cmd_import(const config *cfg, const cli_args *a);
int spikes_cmd_run(const config *cfg, const cli_args *a);

#endif
