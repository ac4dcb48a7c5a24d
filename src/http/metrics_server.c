/* metrics_server: the metrics listener. See metrics_server.h. */
#include "http/metrics_server.h"
#include "core/buf.h"
#include "core/config.h"
#include "http/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct MHD_Daemon *daemon_g;
static const route *table_g;
static int ntable_g;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, buf *b, const char *type)
{
    size_t len = b->len;
    char *data = buf_detach(b, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result on_metrics(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    (void)req_cls;
    buf b = BUF_INIT;
    if (strcmp(url, "/metrics") || (strcmp(method, "GET") && strcmp(method, "HEAD"))) {
        buf_puts(&b, "404 Not Found: this port serves GET /metrics only.\n");
        return reply(conn, 404, &b, "text/plain; charset=utf-8");
    }
    const char *names[256];
    int n = ntable_g < 256 ? ntable_g : 256;
    for (int i = 0; i < n; i++)
        names[i] = table_g[i].name ? table_g[i].name : table_g[i].pattern;
    metrics_write(&b, names, n);
    return reply(conn, 200, &b, "text/plain; version=0.0.4; charset=utf-8");
}

bool metrics_server_start(const char *addr, const route *table, int n, char *err, size_t errlen)
{
    char host[64];
    unsigned port;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    if (!config_split_addr(addr, host, sizeof(host), &port) || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        snprintf(err, errlen, "metrics.listen \"%s\" is not an IPv4 ADDR:PORT", addr);
        return false;
    }
    sa.sin_port = htons((uint16_t)port);
    table_g = table;
    ntable_g = n;
    daemon_g = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL, on_metrics, NULL,
                                MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, 16u,
                                MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!daemon_g) {
        snprintf(err, errlen, "cannot serve metrics on %s (is the port in use? set [metrics] listen, or empty "
                 "to turn it off)", addr);
        return false;
    }
    return true;
}

void metrics_server_stop(void)
{
    if (daemon_g)
        MHD_stop_daemon(daemon_g);
    daemon_g = NULL;
}
