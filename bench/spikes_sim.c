/* spikes_sim: runs the spike detector's statistics (src/community/ears.c)
 * over every day of synthetic series, for bench/spikes.sh. Reads one series
 * per line (whitespace-separated daily counts) from stdin and writes one
 * line per flag: "SERIES DAY METHOD LEVEL", with the default settings
 * (ears_defaults). */
#include "community/ears.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    ears_params p;
    ears_defaults(&p);
    size_t cap = 1 << 16;
    double *y = malloc(cap * sizeof(double));
    char *line = NULL;
    size_t linecap = 0;
    long series = 0;
    while (getline(&line, &linecap, stdin) > 0) {
        int n = 0;
        for (char *s = line, *end; *s; s = end) {
            double v = strtod(s, &end);
            if (end == s)
                break;
            if ((size_t)n == cap) {
                cap *= 2;
                y = realloc(y, cap * sizeof(double));
            }
            y[n++] = v;
        }
        for (int t = 0; t < n; t++) {
            ears_flag f[EARS_NMETHODS];
            int k = ears_detect(y, n, t, &p, f, EARS_NMETHODS);
            for (int i = 0; i < k; i++)
                printf("%ld %d %s %s\n", series, t, ears_method_name(f[i].method), ears_level_name(f[i].level));
        }
        series++;
    }
    free(line);
    free(y);
    return 0;
}
