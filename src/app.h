/* app: the commands that span every module: `serve` (load each feature,
 * let it register its page hooks, serve the route table), `migrate` and
 * `seed` (the bundled data of every module). */
#ifndef WP_APP_H
#define WP_APP_H

#include "core/cli.h"

int app_serve(const config *cfg, const cli_args *a);
/* `serve` without waiting for a signal, for a harness that sends requests
 * from the same process: false with err set when it cannot start. */
bool app_start(const config *cfg, char *err, size_t errlen);
void app_stop(void);
int app_migrate(const config *cfg, const cli_args *a);
int app_seed(const config *cfg, const cli_args *a);
/* `alert import FILE.json` and `alert export`, with the matrix loaded so
 * substance names resolve (alerts/alerts_cmd.h). */
int app_alert_import(const config *cfg, const cli_args *a);
int app_import_csv(const config *cfg, const cli_args *a);
int app_alert_export(const config *cfg, const cli_args *a);

#endif
