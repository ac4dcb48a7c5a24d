/* staff: the staff portal's start and stop (the row in app.c's feature
 * table): the list of common passwords the policy refuses. */
#ifndef WP_STAFF_H
#define WP_STAFF_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>

bool staff_load(const config *cfg, char *err, size_t errlen);
void staff_unload(void);

#endif
