/* alerts_cmd: `waypost alert import FILE.json` (a list of alerts in the
 * API's shape: every one is checked before any is saved; drafts stay
 * drafts, "status": "published" publishes) and `waypost alert export`
 * (every alert, drafts included, as the API writes them, to stdout).
 * The substance resolver must be set first (app.c does). */
#ifndef WP_ALERTS_CMD_H
#define WP_ALERTS_CMD_H

#include "core/cli.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

int alerts_cmd_import(const config *cfg, const cli_args *a);
int alerts_cmd_export(const config *cfg, const cli_args *a);

/* Checks the text of an import file (a JSON list of alerts): how many
 * alerts, or -1 with the first problem in err ("alerts[2].headline: ...").
 * When docs is given it gets the normalised alerts (new reference). */
int alerts_cmd_check(const char *text, size_t len, int64_t now, int off, json_t **docs, char *err, size_t errlen);

#endif
