/* listener: opens the public listening socket for server_run. */
#ifndef WP_LISTENER_H
#define WP_LISTENER_H

#include "core/config.h"

#include <stddef.h>

/* A bound, listening IPv4 socket for cfg->listen, or -1 with a sentence
 * in err ("port 8080 on 127.0.0.1 is already in use: ..."). */
int listener_open(const config *cfg, char *err, size_t errlen);

/* Raises the open-file limit to fit want connections (and the database,
 * listeners and logs beside them); returns the connections that fit. */
unsigned listener_connection_limit(long want);

#endif
