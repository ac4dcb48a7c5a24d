/* cli: helpers every command shares. See cli.h. */
#include "core/cli.h"

#include <stdio.h>
#include <string.h>

const char *cli_opt(const cli_args *a, const char *name)
{
    for (int i = 0; i < a->nopts; i++)
        if (!strcmp(a->opt_name[i], name))
            return a->opt_value[i];
    return NULL;
}

int cli_fail(const char *msg)
{
    fprintf(stderr, "waypost: %s\n", msg);
    return 1;
}

int cli_fail_unchanged(const char *msg)
{
    fprintf(stderr, "waypost: %s\nwaypost: nothing was changed.\n", msg);
    return 1;
}
