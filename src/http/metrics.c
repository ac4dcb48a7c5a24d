/* metrics: atomic counters and their Prometheus exposition. */
#include "http/metrics.h"
#include "db/db.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_ROUTES 128

static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                               408, 409, 413, 414, 415, 422, 429, 431, 500, 503};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
/* Histogram bounds in microseconds, matching the seconds in bucket_le. */
static const uint64_t bounds_us[] = {500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
                                     2500000};
static const char *const bucket_le[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
                                        "0.05",   "0.1",   "0.25",   "0.5",   "1",    "2.5"};
#define NBUCKETS (sizeof(bounds_us) / sizeof(bounds_us[0]))

/* Row MAX_ROUTES holds requests that matched no route; column NSTATUS holds
 * statuses not in the list. */
static atomic_ulong counts[MAX_ROUTES + 1][NSTATUS + 1];
static atomic_ulong buckets[NBUCKETS + 1];
static atomic_ulong latency_sum_us;
static atomic_ulong latency_count;
static atomic_long in_flight;
/* Set at start before serving, read by the metrics thread: no lock. */
static metrics_writer writers[METRICS_WRITERS_MAX];
static int nwriters;

bool metrics_add_writer(metrics_writer fn)
{
    if (nwriters >= METRICS_WRITERS_MAX)
        return false;
    writers[nwriters++] = fn;
    return true;
}

void metrics_clear_writers(void)
{
    nwriters = 0;
}

void metrics_init(int nroutes)
{
    (void)nroutes;
}

void metrics_request_start(void)
{
    atomic_fetch_add(&in_flight, 1);
}

void metrics_request_abandoned(void)
{
    atomic_fetch_sub(&in_flight, 1);
}

static size_t status_col(int status)
{
    for (size_t i = 0; i < NSTATUS; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS;
}

void metrics_request_done(int route, int status, uint64_t micros)
{
    atomic_fetch_sub(&in_flight, 1);
    size_t row = (route >= 0 && route < MAX_ROUTES) ? (size_t)route : MAX_ROUTES;
    atomic_fetch_add(&counts[row][status_col(status)], 1);
    size_t b = 0;
    while (b < NBUCKETS && micros > bounds_us[b])
        b++;
    atomic_fetch_add(&buckets[b], 1);
    atomic_fetch_add(&latency_sum_us, micros);
    atomic_fetch_add(&latency_count, 1);
}

long metrics_in_flight(void)
{
    return atomic_load(&in_flight);
}

static void write_counts(buf *out, const char *const *names, int nroutes)
{
    buf_puts(out, "# HELP waypost_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE waypost_http_requests_total counter\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        const char *name = r < nroutes ? names[r] : (r == MAX_ROUTES ? "none" : NULL);
        if (!name)
            continue;
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long n = atomic_load(&counts[r][s]);
            if (!n)
                continue;
            if (s < NSTATUS)
                buf_printf(out, "waypost_http_requests_total{route=\"%s\",status=\"%d\"} %lu\n", name, statuses[s], n);
            else
                buf_printf(out, "waypost_http_requests_total{route=\"%s\",status=\"other\"} %lu\n", name, n);
        }
    }
}

void metrics_write(buf *out, const char *const *names, int nroutes)
{
    write_counts(out, names, nroutes);
    buf_puts(out, "# HELP waypost_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE waypost_http_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (size_t b = 0; b < NBUCKETS; b++) {
        cum += atomic_load(&buckets[b]);
        buf_printf(out, "waypost_http_request_duration_seconds_bucket{le=\"%s\"} %lu\n", bucket_le[b], cum);
    }
    cum += atomic_load(&buckets[NBUCKETS]);
    buf_printf(out, "waypost_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    buf_printf(out, "waypost_http_request_duration_seconds_sum %.6f\n", (double)atomic_load(&latency_sum_us) / 1e6);
    buf_printf(out, "waypost_http_request_duration_seconds_count %lu\n", atomic_load(&latency_count));
    buf_printf(out, "# HELP waypost_http_requests_in_flight Requests being answered now.\n"
                    "# TYPE waypost_http_requests_in_flight gauge\nwaypost_http_requests_in_flight %ld\n",
               atomic_load(&in_flight));
    buf_printf(out, "# HELP waypost_db_errors_total Database errors since start.\n"
                    "# TYPE waypost_db_errors_total counter\nwaypost_db_errors_total %lu\n",
               db_error_count());
    buf_printf(out, "# HELP waypost_db_streams_in_use Database connections held by streamed answers now.\n"
                    "# TYPE waypost_db_streams_in_use gauge\nwaypost_db_streams_in_use %d\n",
               db_streams_in_use());
    for (int i = 0; i < nwriters; i++)
        writers[i](out);
}
