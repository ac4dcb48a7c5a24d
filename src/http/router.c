/* router: table-driven path matching with ":name" and "*" segments. */
#include "http/router.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

/* Length of the segment starting at s (up to '/' or the end). */
static size_t seg_len(const char *s)
{
    const char *e = strchr(s, '/');
    return e ? (size_t)(e - s) : strlen(s);
}

/* Matches pattern against path; captures go into rq (may be NULL). */
static bool match(const char *pat, const char *path, request *rq)
{
    int ncap = 0;
    if (*pat != '/' || *path != '/')
        return false;
    for (;;) {
        pat++;
        path++;
        if (pat[0] == '*' && pat[1] == '\0') {
            if (rq && ncap < ROUTE_PARAMS_MAX) {
                rq->route_keys[ncap] = "*";
                rq->route_values[ncap] = arena_strdup(&rq->a, path);
                ncap++;
            }
            break;
        }
        size_t pl = seg_len(pat), sl = seg_len(path);
        if (pat[0] == ':') {
            if (sl == 0)
                return false;
            if (rq && ncap < ROUTE_PARAMS_MAX) {
                rq->route_keys[ncap] = arena_strndup(&rq->a, pat + 1, pl - 1);
                rq->route_values[ncap] = arena_strndup(&rq->a, path, sl);
                ncap++;
            }
        } else if (pl != sl || memcmp(pat, path, pl) != 0) {
            return false;
        }
        pat += pl;
        path += sl;
        if (*pat == '\0' && *path == '\0')
            break;
        if (*pat != '/' || *path != '/')
            return false;
    }
    if (rq)
        rq->nroute = ncap;
    return true;
}

int router_match(const route *table, int n, unsigned method, const char *path, request *rq, unsigned *allowed)
{
    unsigned want = method == M_HEAD ? M_GET : method;
    *allowed = 0;
    for (int i = 0; i < n; i++) {
        if (!match(table[i].pattern, path, NULL))
            continue;
        if (table[i].methods & want) {
            match(table[i].pattern, path, rq);
            return i;
        }
        *allowed |= table[i].methods;
    }
    return *allowed ? -2 : -1;
}

void router_allow_header(unsigned methods, char *out, size_t outlen)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{M_GET, "GET, HEAD"}, {M_POST, "POST"}, {M_PUT, "PUT"}, {M_DELETE, "DELETE"}};
    size_t n = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if ((methods & names[i].bit) && n < outlen)
            n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? ", " : "", names[i].name);
}

bool router_pattern_valid(const char *p)
{
    if (*p != '/')
        return false;
    for (const char *s = p; *s; s++) {
        if (*s == '*' && (s[-1] != '/' || s[1] != '\0'))
            return false;
        if (*s == ':' && (s[-1] != '/' || s[1] == '/' || s[1] == '\0'))
            return false;
        if (*s == '/' && s[1] == '/')
            return false;
    }
    return true;
}
