/* roles: the three staff roles and the guard levels of staff routes.
 *
 * Roles are ordered: a moderator reads listings and decides reports, an
 * editor also changes listings, imports and alerts, an admin also manages
 * accounts, settings and the audit log. A staff route's guard value
 * (route.guard in routes.c) is the least role that may use it, or
 * GUARD_OPEN for the pages a person uses before signing in. */
#ifndef WP_ROLES_H
#define WP_ROLES_H

enum staff_role {
    ROLE_NONE = 0,
    GUARD_OPEN = 1, /* a staff page anyone may open (sign in, set a password) */
    ROLE_MODERATOR = 2,
    ROLE_EDITOR = 3,
    ROLE_ADMIN = 4,
};

/* "moderator", "editor", "admin" (NULL for anything else). */
const char *role_name(int role);
/* The role named by s, or ROLE_NONE. */
int role_parse(const char *s);

#endif
