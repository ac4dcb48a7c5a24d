/* app: the commands that span every module: `serve` (load each feature,
 * let it register its page hooks, serve the route table), `migrate` and
 * `seed` (the bundled data of every module). */
#ifndef WP_APP_H
#define WP_APP_H

#include "core/cli.h"

int app_serve(const config *cfg, const cli_args *a);
int app_migrate(const config *cfg, const cli_args *a);
int app_seed(const config *cfg, const cli_args *a);

#endif
