/* ears: the spike detector's statistics, pure C with no I/O, so the unit
 * tests, the bench and the nightly run share one implementation.
 *
 * A series is one count per day (a day with no row counts 0). For the day
 * at index t, each enabled method compares y[t] with a baseline of the
 * days before it:
 *
 *   C1   (EARS, Hutwagner et al. 2003) baseline t-7..t-1; C1 = (y - mean) /
 *        sd; flags when C1 > z12.
 *   C2   the same with a 2-day guard band: baseline t-9..t-3.
 *   C3   the sum of max(0, C2 - 1) over t, t-1 and t-2; flags when it is
 *        over z3 and the day's own C2 is over 1 (so a quiet day after two
 *        flagged days is not flagged again for them).
 *   EWMA (ESSENCE, Burkom 2005) baseline of 28 days before a 2-day guard
 *        band; E = w*y + (1-w)*E, started at the baseline mean and run
 *        from the baseline's first day to t; z = (E - mean) / (sd * sqrt(w / (2 - w))), p from Student's
 *        t with baseline-1 degrees of freedom; run with w = 0.4 and 0.9
 *        and the smaller p kept; red when p < p_red, yellow when p <
 *        p_yellow.
 *   POISSON the EWMA's baseline mean as a Poisson rate; p = P(X >= y);
 *        red when p < pois_red, yellow when p < pois_yellow.
 *
 * Every sd (and the Poisson rate, as min_sigma squared) is at least
 * min_sigma, so an all-zero baseline cannot flag every case, and nothing
 * flags below min_count. The thresholds are z values of the normal
 * distribution: z12 = 3.090 is its 1 - 0.001 quantile and z3 = 1.960 its
 * 1 - 0.025 quantile, the alphas the R package `surveillance` (earsC,
 * qnorm(1 - alpha)) uses; the original EARS cut-offs are 3 and 2. */
#ifndef WP_EARS_H
#define WP_EARS_H

#include <stdbool.h>

enum { EARS_C1, EARS_C2, EARS_C3, EARS_EWMA, EARS_POISSON, EARS_NMETHODS };
enum { EARS_NONE = 0, EARS_YELLOW = 1, EARS_RED = 2 };

#define EARS_MAX_BASELINE 90
#define EARS_MAX_GUARD 7

typedef struct ears_params {
    unsigned methods;      /* bits 1u << EARS_C1 ...; EARS_ALL for all */
    int baseline;          /* C1/C2 baseline days (7) */
    int guard;             /* C2/C3/EWMA/Poisson guard band days (2) */
    int ewma_baseline;     /* EWMA/Poisson baseline days (28) */
    double z12, z3;        /* 3.090, 1.960 */
    double min_sigma;      /* 1.0 */
    long min_count;        /* 3 */
    double w1, w2;         /* EWMA smoothing: 0.4, 0.9 */
    double p_red, p_yellow;       /* EWMA: 0.01, 0.05 */
    double pois_red, pois_yellow; /* Poisson: 0.001, 0.01 */
} ears_params;

#define EARS_ALL ((1u << EARS_NMETHODS) - 1)

typedef struct ears_flag {
    int method, level;
    double count;     /* y[t] */
    double expected;  /* the baseline mean */
    double threshold; /* the count the day had to pass for this level */
    double stat;      /* C1/C2/C3 value, or the p-value (EWMA, Poisson) */
} ears_flag;

/* The defaults above. */
void ears_defaults(ears_params *p);
/* Checks p's ranges; false with a sentence naming the setting. */
bool ears_check(const ears_params *p, char *err, int errlen);
/* "c1", "c2", "c3", "ewma", "poisson"; and back (-1 when unknown). */
const char *ears_method_name(int method);
int ears_method_parse(const char *s);
const char *ears_level_name(int level);
/* Days of history before t a method needs (so t must be >= this). */
int ears_history(const ears_params *p);

/* Runs every enabled method on day t of y (n days, t < n). Writes at most
 * max flags (one per method that flagged) and returns how many. Methods
 * whose history is short of t are skipped. */
int ears_detect(const double *y, int n, int t, const ears_params *p, ears_flag *out, int max);

/* Each method's statistic alone (for tests and the bench). Each returns
 * false when the history is too short. */
bool ears_c12(const double *y, int t, int lag, int baseline, double min_sigma, double *mean, double *sd,
              double *c);
bool ears_c3(const double *y, int t, const ears_params *p, double *c3);
/* The EWMA p-value for smoothing w; *e is the smoothed value. */
bool ears_ewma(const double *y, int t, const ears_params *p, double w, double *mean, double *sd, double *e,
               double *pval);

/* P(T <= x) for Student's t with df degrees of freedom. */
double ears_t_cdf(double x, double df);
/* The x with P(T <= x) = q (0 < q < 1). */
double ears_t_quantile(double q, double df);
/* P(X >= k) for X Poisson with mean lambda. */
double ears_poisson_sf(long k, double lambda);

#endif
