/* staff: loading what the staff portal needs at start. See staff.h. */
#include "staff/staff.h"
#include "auth/password.h"
#include "staff/import_pending.h"

#include <stdio.h>

bool staff_load(const config *cfg, char *err, size_t errlen)
{
    if (!auth_crypto_init()) {
        snprintf(err, errlen, "libsodium could not start");
        return false;
    }
    return password_list_load_data(cfg->data_dir, err, errlen);
}

void staff_unload(void)
{
    password_list_free();
    import_pending_clear();
}
