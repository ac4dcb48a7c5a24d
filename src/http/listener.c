/* listener: the public listening socket, opened by us (not by
 * libmicrohttpd) so that a busy port or a bad address is one plain
 * sentence. */
#include "http/listener.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

int listener_open(const config *cfg, char *err, size_t errlen)
{
    char host[64];
    unsigned port;
    if (!config_listen_addr(cfg, host, sizeof(host), &port)) {
        snprintf(err, errlen, "the listen address \"%s\" is not ADDR:PORT", cfg->listen);
        return -1;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        snprintf(err, errlen, "the listen address \"%s\" is not an IPv4 address", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open a socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) /* a restart may then wait for TIME_WAIT */
        log_warn("the listening socket has no SO_REUSEADDR: %s", strerror(errno));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        if (errno == EADDRINUSE)
            snprintf(err, errlen, "port %u on %s is already in use: stop the other program or choose another "
                     "port with %s", port, host, getenv("MAKELEVEL") ? "make run PORT=8081" : "--listen");
        else
            snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 1024) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Raises the open-file limit to fit want connections (and the database,
 * listeners and logs beside them); returns the connections that fit. */
unsigned listener_connection_limit(long want)
{
    const rlim_t spare = 64;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return (unsigned)want;
    rlim_t need = (rlim_t)want + spare;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= need)
        return (unsigned)want;
    unsigned fit = rl.rlim_cur > spare + 16 ? (unsigned)(rl.rlim_cur - spare) : 16;
    log_info("the open-file limit (%lu) allows %u connections, not %ld", (unsigned long)rl.rlim_cur, fit, want);
    return fit;
}
