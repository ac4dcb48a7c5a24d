/* clients: who is on the other end of each connection, and the limits kept
 * per connection and per address before a request is even read.
 *
 * - Connections are counted per address from the moment they open, and a
 *   new connection from an address that already holds
 *   [limits] max_conns_per_client is refused at accept (closed before a
 *   byte is read), so one address cannot take every connection.
 * - Each request's header block has a deadline ([limits] header_seconds,
 *   from the connection's opening or the previous request's end) that
 *   trickled bytes do not extend: a watcher thread shuts the socket of a
 *   connection still without a whole header block when it passes.
 * - Behind a reverse proxy every peer is the proxy: [server]
 *   trusted_proxies lists the proxies' addresses (IPv4/IPv6, optionally
 *   with a /prefix); a request from one of them is attributed to the
 *   right-most X-Forwarded-For address that is not itself a trusted proxy,
 *   and proxies are exempt from the per-address connection count. */
#ifndef WP_CLIENTS_H
#define WP_CLIENTS_H

#include "core/config.h"

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct client client;

/* Per connection. raw_uri and begun belong to the server (the request
 * line on_uri keeps, and whether a request is in flight without state);
 * the rest to this file. */
typedef struct conn_ctx {
    char *raw_uri;
    bool begun;
    client *client; /* NULL for a trusted proxy */
    int fd;
    uint64_t deadline_us; /* the header block must be in by then; 0: it is */
    bool cut;             /* shut by the watcher */
    struct conn_ctx *prev, *next;
} conn_ctx;

/* Reads trusted_proxies and starts the header watcher. False with err set
 * when the list has an entry that is not an address or address/prefix. */
bool clients_start(const config *cfg, char *err, size_t errlen);
void clients_stop(void);

/* libmicrohttpd's accept policy: MHD_NO for an address at its limit. */
enum MHD_Result clients_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* A connection opened (its record, counted) and closed (uncounted, freed;
 * the server frees raw_uri first). */
conn_ctx *clients_open(struct MHD_Connection *conn);
void clients_close(conn_ctx *cc);
/* The header block arrived / the request ended (the next one's deadline
 * starts now). */
void clients_headers_in(conn_ctx *cc);
void clients_request_done(conn_ctx *cc);

/* The connection's peer address ("-" when unknown). */
void clients_peer(struct MHD_Connection *conn, char *out, size_t outlen);
/* The address the request is from: the peer, or for a trusted proxy the
 * X-Forwarded-For address described above. */
void clients_request_addr(struct MHD_Connection *conn, char *out, size_t outlen);

/* Parses one trusted_proxies list into at most max entries; exposed for
 * tests. -1 with the bad entry named in err. */
typedef struct proxy_net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int prefix;
} proxy_net;
int clients_parse_proxies(const char *list, proxy_net *out, int max, char *err, size_t errlen);
bool clients_in_nets(const proxy_net *nets, int n, const char *addr);
/* The client of an X-Forwarded-For value as above; false when the value
 * has an entry that is not an address (then the peer is used). */
bool clients_forwarded_for(const proxy_net *nets, int n, const char *xff, char *out, size_t outlen);

#endif
