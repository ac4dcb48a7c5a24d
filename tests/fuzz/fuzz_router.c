/* fuzz_router: libFuzzer harness for path matching (src/http/router.c)
 * against the real route table (src/routes.c).
 *
 * The first byte picks the method (its low two bits: GET, HEAD, POST or
 * another method); the rest, up to a NUL, is the decoded path. Checks: the
 * result is a route index, -1 or -2; -1 comes with no allowed methods and
 * -2 with some, none of which is the one asked for; a match is a route that
 * takes the method (HEAD as GET) and no earlier route both matches the path
 * and takes the method; HEAD always gives the same answer as GET; at most
 * ROUTE_PARAMS_MAX captures, ":name" captures are whole non-empty segments
 * and a "*" capture is a suffix of the path; a path not starting with '/'
 * never matches; router_allow_header always terminates its output. */
#include "http/router.h"
#include "routes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned methods[4] = {M_GET, M_HEAD, M_POST, M_OTHER};

static void reset(request *rq)
{
    arena_free(&rq->a);
    memset(rq, 0, sizeof(*rq));
    arena_init(&rq->a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned method = methods[data[0] & 3];
    size_t n = strnlen((const char *)data + 1, size - 1);
    char *path = malloc(n + 1);
    memcpy(path, data + 1, n);
    path[n] = '\0';

    request rq;
    memset(&rq, 0, sizeof(rq));
    arena_init(&rq.a);
    unsigned allowed = 0;
    int r = router_match(routes, routes_count, method, path, &rq, &allowed);
    unsigned want = method == M_HEAD ? M_GET : method;
    if (r < -2 || r >= routes_count)
        abort();
    if (r == -1 && allowed != 0)
        abort();
    if (r == -2 && (allowed == 0 || (allowed & want)))
        abort();
    if (r >= 0) {
        if (!(routes[r].methods & want))
            abort();
        if (path[0] != '/')
            abort();
        if (rq.nroute < 0 || rq.nroute > ROUTE_PARAMS_MAX)
            abort();
        for (int i = 0; i < rq.nroute; i++) {
            const char *k = rq.route_keys[i], *v = rq.route_values[i];
            if (!k || !v)
                abort();
            if (!strcmp(k, "*")) {
                size_t vl = strlen(v);
                if (vl > n || strcmp(path + n - vl, v) != 0)
                    abort();
            } else if (!*v || strchr(v, '/') || !strstr(path, v)) {
                abort();
            }
        }
        /* first match wins: no earlier route takes this path and method */
        for (int i = 0; i < r; i++) {
            unsigned a2 = 0;
            request tmp;
            memset(&tmp, 0, sizeof(tmp));
            arena_init(&tmp.a);
            int r2 = router_match(routes + i, 1, method, path, &tmp, &a2);
            arena_free(&tmp.a);
            if (r2 == 0)
                abort();
        }
    }
    /* HEAD is GET */
    if (method == M_GET || method == M_HEAD) {
        reset(&rq);
        unsigned allowed2 = 0;
        int r2 = router_match(routes, routes_count, method == M_GET ? M_HEAD : M_GET, path, &rq, &allowed2);
        if (r2 != r || allowed2 != allowed)
            abort();
    }
    char allow[64];
    memset(allow, 'x', sizeof(allow));
    router_allow_header(allowed | (unsigned)data[0], allow, sizeof(allow));
    if (!memchr(allow, '\0', sizeof(allow)))
        abort();
    arena_free(&rq.a);
    free(path);
    return 0;
}
