/* hsds_schema: looking up the HSDS 3.0 resources and their fields by name.
 * The tables themselves are generated (hsds_schema_gen.c). */
#include "hsds/hsds_schema.h"

#include <string.h>

int hsds_resource_find(const char *name)
{
    for (int r = 0; r < HSDS_NRES; r++)
        if (!strcmp(hsds_resources[r].name, name))
            return r;
    return -1;
}

int hsds_field_find(int r, const char *name)
{
    for (int i = 0; i < hsds_resources[r].nfields; i++)
        if (!strcmp(hsds_resources[r].fields[i].name, name))
            return i;
    return -1;
}
