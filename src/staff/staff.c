/* staff: loading what the staff portal needs at start. See staff.h. */
#include "staff/staff.h"
#include "auth/password.h"

#include <stdio.h>

bool staff_load(const config *cfg, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/passwords/common.txt", cfg->data_dir);
    return password_list_load(path, err, errlen);
}

void staff_unload(void)
{
    password_list_free();
}
