/* fuzz_http: libFuzzer harness for the whole request path: the real
 * server (app_start: every feature, the route table, the staff guard,
 * libmicrohttpd's framing and our limits) on a loopback port with a fresh
 * database, fed each input as the raw bytes of one connection.
 *
 * Each input is sent on a new connection, which is then half-closed; the
 * harness reads until the server closes or goes quiet after answering.
 * Checks: the server answers or closes within 30 s (no hang; its header
 * deadline is 1 s), every answer starts with a well-formed
 * "HTTP/1.x NNN " status line, and no answer is a 500 (a request, however
 * malformed, gets a 4xx; a 500 means our code failed). ASan and UBSan
 * watch the server's threads meanwhile. Seeds in tests/fuzz/corpus/http
 * (pipelined requests, bodies, staff forms, chunked uploads). Run from the
 * repository root (tests/fuzz/run.sh does): the server reads content/,
 * templates/, static/ and data/. */
#include "app.h"
#include "core/config.h"
#include "fuzz_tmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

static config cfg;
static unsigned port;

static unsigned free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || getsockname(s, (struct sockaddr *)&a, &len) != 0)
        abort();
    close(s);
    return ntohs(a.sin_port);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/fuzz_http.XXXXXX", fuzz_tmp_dir());
    if (!mkdtemp(dir))
        abort();
    config_defaults(&cfg);
    port = free_port();
    snprintf(cfg.listen, sizeof(cfg.listen), "127.0.0.1:%u", port);
    snprintf(cfg.db_path, sizeof(cfg.db_path), "%s/fuzz.db", dir);
    cfg.metrics_listen[0] = '\0';
    cfg.threads = 2;
    cfg.timeout_seconds = 2;
    cfg.header_seconds = 1; /* an unfinished request costs a second */
    cfg.max_conns_per_client = 100000;
    char err[1024];
    if (!app_start(&cfg, err, sizeof(err))) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        abort();
    }
    return 0;
}

static int errno_is_reset(void)
{
    return errno == ECONNRESET || errno == EPIPE;
}

static int connect_local(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
        abort();
    struct timeval tv = {10, 0};
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return s;
}

/* Reads the answer's first 64 KiB: until the server closes, or (as
 * libmicrohttpd keeps a half-closed keep-alive connection open until its
 * header deadline) until 150 ms pass without a byte once something came.
 * -1 when nothing came and nothing closed within 30 s: a hang (the
 * header deadline is 1 s here). */
static long read_all(int s, char *out, size_t cap)
{
    size_t n = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (!n && waited > 30000)
            return -1;
        struct pollfd p = {s, POLLIN, 0};
        int ready = poll(&p, 1, n ? 150 : 250);
        if (ready < 0 && errno == EINTR) /* libFuzzer's timers */
            continue;
        if (ready == 0 && n)
            return (long)n;
        if (ready <= 0)
            continue;
        char tmp[4096];
        ssize_t r = recv(s, tmp, sizeof(tmp), 0);
        if (r == 0 || (r < 0 && errno_is_reset()))
            return (long)n;
        if (r < 0)
            continue; /* EINTR, EAGAIN: look again */
        size_t take = (size_t)r < cap - n ? (size_t)r : cap - n;
        memcpy(out + n, tmp, take);
        n += take;
    }
}

static void check_status(const char *p, long n)
{
    if (n < 13 || memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ' || p[12] != ' ')
        abort();
    for (int i = 9; i < 12; i++)
        if (p[i] < '0' || p[i] > '9')
            abort();
    if (memcmp(p + 9, "500", 3) == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    int s = connect_local();
    size_t sent = 0;
    while (sent < size) {
        ssize_t w = send(s, data + sent, size - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may close early on a bad request */
        sent += (size_t)w;
    }
    shutdown(s, SHUT_WR);
    static char answer[65536];
    long n = read_all(s, answer, sizeof(answer));
    close(s);
    if (n < 0) {
        fprintf(stderr, "fuzz_http: no answer and no close within 30 s\n");
        abort();
    }
    if (n > 0)
        check_status(answer, n);
    return 0;
}
