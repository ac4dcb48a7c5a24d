/* clients: per-connection records, per-address counts, the header
 * deadline watcher and trusted proxies. See clients.h. */
#include "http/clients.h"

#include "core/log.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENT_BUCKETS 1024
#define PROXIES_MAX 32

struct client {
    char addr[INET6_ADDRSTRLEN];
    int conns;
    struct client *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct client *clients[CLIENT_BUCKETS];
static conn_ctx *open_head; /* every open connection, for the watcher */
static proxy_net proxies[PROXIES_MAX];
static int nproxies;
static long max_per_client = 256;
static uint64_t header_us = 10000000u;
static pthread_t watcher;
static bool watching, stopping;

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static unsigned addr_hash(const char *s)
{
    return str_hash(s) % CLIENT_BUCKETS;
}

static void sockaddr_text(const struct sockaddr *sa, char *out, size_t outlen)
{
    const char *ok = NULL;
    if (sa && sa->sa_family == AF_INET)
        ok = inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)outlen);
    else if (sa && sa->sa_family == AF_INET6)
        ok = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)outlen);
    if (!ok)
        str_copy(out, outlen, "-");
}

void clients_peer(struct MHD_Connection *conn, char *out, size_t outlen)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    sockaddr_text(ci ? ci->client_addr : NULL, out, outlen);
}

/* The count of addr, made when missing; called with the lock held. */
static struct client *client_find(const char *addr, bool make)
{
    unsigned h = addr_hash(addr);
    struct client *c = clients[h];
    while (c && strcmp(c->addr, addr))
        c = c->next;
    if (!c && make) {
        c = xcalloc(1, sizeof(*c));
        str_copy(c->addr, sizeof(c->addr), addr);
        c->next = clients[h];
        clients[h] = c;
    }
    return c;
}

static void client_drop(struct client *c)
{
    if (--c->conns > 0)
        return;
    struct client **pp = &clients[addr_hash(c->addr)];
    while (*pp && *pp != c)
        pp = &(*pp)->next;
    if (*pp)
        *pp = c->next;
    free(c);
}

enum MHD_Result clients_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)cls;
    (void)addrlen;
    char text[INET6_ADDRSTRLEN];
    sockaddr_text(addr, text, sizeof(text));
    if (clients_in_nets(proxies, nproxies, text))
        return MHD_YES;
    pthread_mutex_lock(&lock);
    const struct client *c = client_find(text, false);
    bool full = c && c->conns >= max_per_client;
    pthread_mutex_unlock(&lock);
    return full ? MHD_NO : MHD_YES;
}

conn_ctx *clients_open(struct MHD_Connection *conn)
{
    char addr[INET6_ADDRSTRLEN];
    clients_peer(conn, addr, sizeof(addr));
    conn_ctx *cc = xcalloc(1, sizeof(*cc));
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    cc->fd = ci ? ci->connect_fd : -1;
    bool proxy = clients_in_nets(proxies, nproxies, addr);
    pthread_mutex_lock(&lock);
    if (!proxy) {
        cc->client = client_find(addr, true);
        cc->client->conns++;
    }
    cc->deadline_us = now_us() + header_us;
    cc->next = open_head;
    if (open_head)
        open_head->prev = cc;
    open_head = cc;
    pthread_mutex_unlock(&lock);
    return cc;
}

void clients_close(conn_ctx *cc)
{
    pthread_mutex_lock(&lock);
    if (cc->client)
        client_drop(cc->client);
    if (cc->prev)
        cc->prev->next = cc->next;
    else
        open_head = cc->next;
    if (cc->next)
        cc->next->prev = cc->prev;
    pthread_mutex_unlock(&lock);
    free(cc);
}

void clients_headers_in(conn_ctx *cc)
{
    pthread_mutex_lock(&lock);
    cc->deadline_us = 0;
    pthread_mutex_unlock(&lock);
}

void clients_request_done(conn_ctx *cc)
{
    pthread_mutex_lock(&lock);
    cc->deadline_us = now_us() + header_us;
    pthread_mutex_unlock(&lock);
}

/* Shuts every connection past its header deadline. libmicrohttpd tells us
 * a connection closed (clients_close, under this lock) before it closes
 * the socket, so an fd seen here is still that connection's. */
static void sweep(uint64_t now)
{
    for (conn_ctx *cc = open_head; cc; cc = cc->next)
        if (cc->deadline_us && now > cc->deadline_us && !cc->cut && cc->fd >= 0) {
            shutdown(cc->fd, SHUT_RDWR);
            cc->cut = true;
        }
}

static void *watch(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        sweep(now_us());
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&wake, &lock, &ts);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

bool clients_start(const config *cfg, char *err, size_t errlen)
{
    int n = clients_parse_proxies(cfg->trusted_proxies, proxies, PROXIES_MAX, err, errlen);
    if (n < 0)
        return false;
    nproxies = n;
    max_per_client = cfg->max_conns_per_client;
    header_us = (uint64_t)cfg->header_seconds * 1000000u;
    stopping = false;
    if (pthread_create(&watcher, NULL, watch, NULL) != 0) {
        snprintf(err, errlen, "cannot start the header watcher");
        return false;
    }
    watching = true;
    return true;
}

void clients_stop(void)
{
    if (!watching)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(watcher, NULL);
    watching = false;
}

/* ---- trusted proxies ---------------------------------------------- */

static bool parse_addr(const char *s, proxy_net *p)
{
    memset(p, 0, sizeof(*p));
    if (inet_pton(AF_INET, s, p->addr) == 1) {
        p->family = AF_INET;
        p->prefix = 32;
        return true;
    }
    if (inet_pton(AF_INET6, s, p->addr) == 1) {
        p->family = AF_INET6;
        p->prefix = 128;
        return true;
    }
    return false;
}

/* One entry "ADDR" or "ADDR/PREFIX" of at most 63 bytes. */
static bool parse_net(const char *s, size_t len, proxy_net *p)
{
    char tok[64];
    if (len == 0 || len >= sizeof(tok))
        return false;
    memcpy(tok, s, len);
    tok[len] = '\0';
    char *slash = strchr(tok, '/');
    if (slash)
        *slash = '\0';
    if (!parse_addr(tok, p))
        return false;
    if (!slash)
        return true;
    long bits;
    if (!parse_long(slash + 1, 0, p->family == AF_INET ? 32 : 128, &bits))
        return false;
    p->prefix = (int)bits;
    return true;
}

int clients_parse_proxies(const char *list, proxy_net *out, int max, char *err, size_t errlen)
{
    int n = 0;
    const char *s = list ? list : "";
    while (*s) {
        s += strspn(s, ", \t");
        size_t len = strcspn(s, ", \t");
        if (len == 0)
            break;
        if (n >= max || !parse_net(s, len, &out[n])) {
            snprintf(err, errlen, "server.trusted_proxies: \"%.*s\" is not an address or address/prefix%s", (int)(len > 64 ? 64 : len),
                     s, n >= max ? " (too many entries)" : "");
            return -1;
        }
        n++;
        s += len;
    }
    return n;
}

static bool net_has(const proxy_net *net, const proxy_net *a)
{
    if (net->family != a->family)
        return false;
    int full = net->prefix / 8, rest = net->prefix % 8;
    if (memcmp(net->addr, a->addr, (size_t)full) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xFFu << (8 - rest));
    return rest == 0 || (net->addr[full] & mask) == (a->addr[full] & mask);
}

bool clients_in_nets(const proxy_net *nets, int n, const char *addr)
{
    proxy_net a;
    if (n == 0 || !addr || !parse_addr(addr, &a))
        return false;
    for (int i = 0; i < n; i++)
        if (net_has(&nets[i], &a))
            return true;
    return false;
}

bool clients_forwarded_for(const proxy_net *nets, int n, const char *xff, char *out, size_t outlen)
{
    size_t end = strlen(xff);
    char tok[INET6_ADDRSTRLEN + 1], last[INET6_ADDRSTRLEN + 1] = "";
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        const char *s = xff + start;
        size_t len = end - start;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        proxy_net a;
        if (len == 0 || len >= sizeof(tok))
            return false;
        memcpy(tok, s, len);
        tok[len] = '\0';
        if (!parse_addr(tok, &a))
            return false;
        str_copy(last, sizeof(last), tok);
        if (!clients_in_nets(nets, n, tok))
            break;
        end = start > 0 ? start - 1 : 0;
    }
    return last[0] && str_copy(out, outlen, last);
}

void clients_request_addr(struct MHD_Connection *conn, char *out, size_t outlen)
{
    clients_peer(conn, out, outlen);
    if (nproxies == 0 || !clients_in_nets(proxies, nproxies, out))
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    char who[INET6_ADDRSTRLEN + 1];
    if (xff && clients_forwarded_for(proxies, nproxies, xff, who, sizeof(who)))
        str_copy(out, outlen, who);
}
