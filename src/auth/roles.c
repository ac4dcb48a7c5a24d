/* roles: names of the staff roles. See roles.h. */
#include "auth/roles.h"

#include <string.h>

static const char *const names[] = {[ROLE_MODERATOR] = "moderator", [ROLE_EDITOR] = "editor", [ROLE_ADMIN] = "admin"};

const char *role_name(int role)
{
    if (role < ROLE_MODERATOR || role > ROLE_ADMIN)
        return NULL;
    return names[role];
}

int role_parse(const char *s)
{
    for (int r = ROLE_MODERATOR; s && r <= ROLE_ADMIN; r++)
        if (strcmp(s, names[r]) == 0)
            return r;
    return ROLE_NONE;
}
