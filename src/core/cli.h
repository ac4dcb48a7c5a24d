/* cli: what a command of the `waypost` program looks like. main.c holds the
 * table of commands (as routes.c holds the routes); each command's code
 * lives beside its module (hsds/hsds_cmd.c, stats/stats_cmd.c, app.c).
 *
 * A command gets the settings (config file and flags already applied) and
 * its arguments: the positional words after the command's own words, and
 * the values of the options it declared (e.g. --columns for import csv).
 * It returns the process exit status: 0 done, 1 failed, 2 misused. */
#ifndef WP_CLI_H
#define WP_CLI_H

#include "core/config.h"

#include <stdbool.h>

/* positional words a command may take (`import hsds` takes many files) */
#define CLI_MAX_ARGS 256
#define CLI_MAX_OPTS 6

typedef struct cli_args {
    const char *pos[CLI_MAX_ARGS];
    int npos;
    const char *opt_name[CLI_MAX_OPTS], *opt_value[CLI_MAX_OPTS];
    int nopts;
} cli_args;

typedef int (*cli_fn)(const config *cfg, const cli_args *a);

typedef struct command {
    const char *name; /* "import" */
    const char *sub;  /* "csv", or NULL for a one-word command */
    const char *args; /* what follows, for usage: "FILE --columns name=Name,..." */
    int nargs;        /* positional arguments required */
    int optargs;      /* and how many more it may take */
    const char *opts; /* its own options, comma-separated: "role" required with a value,
                       * "name?" optional with a value, "password-stdin!" a flag
                       * without one; or "" */
    const char *help; /* one line */
    cli_fn fn;
} command;

/* The value of option name, or NULL. */
const char *cli_opt(const cli_args *a, const char *name);
/* Prints "waypost: msg" on stderr and returns 1. */
int cli_fail(const char *msg);
/* Prints "waypost: msg" and "waypost: nothing was changed." and returns 1. */
int cli_fail_unchanged(const char *msg);

#endif
