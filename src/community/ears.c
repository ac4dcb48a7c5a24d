/* ears: the spike detector's statistics (EARS C1/C2/C3, ESSENCE EWMA, a
 * Poisson test). See ears.h for the definitions and their sources. */
#include "community/ears.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const method_names[EARS_NMETHODS] = {"c1", "c2", "c3", "ewma", "poisson"};

void ears_defaults(ears_params *p)
{
    *p = (ears_params){
        .methods = EARS_ALL,
        .baseline = 7,
        .guard = 2,
        .ewma_baseline = 28,
        .z12 = 3.090,
        .z3 = 1.960,
        .min_sigma = 1.0,
        .min_count = 3,
        .w1 = 0.4,
        .w2 = 0.9,
        .p_red = 0.01,
        .p_yellow = 0.05,
        .pois_red = 0.001,
        .pois_yellow = 0.01,
    };
}

static bool fail(char *err, int errlen, const char *msg)
{
    snprintf(err, (size_t)errlen, "%s", msg);
    return false;
}

bool ears_check(const ears_params *p, char *err, int errlen)
{
    if (p->methods == 0 || (p->methods & ~EARS_ALL))
        return fail(err, errlen, "methods: choose at least one method");
    if (p->baseline < 3 || p->baseline > EARS_MAX_BASELINE)
        return fail(err, errlen, "baseline: from 3 to 90 days");
    if (p->ewma_baseline < 7 || p->ewma_baseline > EARS_MAX_BASELINE)
        return fail(err, errlen, "ewma_baseline: from 7 to 90 days");
    if (p->guard < 0 || p->guard > EARS_MAX_GUARD)
        return fail(err, errlen, "guard: from 0 to 7 days");
    if (!(p->z12 >= 0.5 && p->z12 <= 10) || !(p->z3 >= 0.5 && p->z3 <= 10))
        return fail(err, errlen, "threshold: a z value from 0.5 to 10");
    if (!(p->min_sigma >= 0.1 && p->min_sigma <= 100))
        return fail(err, errlen, "min_sigma: from 0.1 to 100");
    if (p->min_count < 1 || p->min_count > 100000)
        return fail(err, errlen, "min_count: from 1 to 100000");
    if (!(p->w1 > 0 && p->w1 <= 1) || !(p->w2 > 0 && p->w2 <= 1))
        return fail(err, errlen, "smoothing: above 0, at most 1");
    if (!(p->p_red > 0 && p->p_red <= p->p_yellow && p->p_yellow < 0.5))
        return fail(err, errlen, "p_red: above 0 and at most p_yellow, which is below 0.5");
    if (!(p->pois_red > 0 && p->pois_red <= p->pois_yellow && p->pois_yellow < 0.5))
        return fail(err, errlen, "pois_red: above 0 and at most pois_yellow, which is below 0.5");
    return true;
}

const char *ears_method_name(int method)
{
    return method >= 0 && method < EARS_NMETHODS ? method_names[method] : "?";
}

int ears_method_parse(const char *s)
{
    for (int i = 0; i < EARS_NMETHODS; i++)
        if (strcmp(s, method_names[i]) == 0)
            return i;
    return -1;
}

const char *ears_level_name(int level)
{
    return level == EARS_RED ? "red" : level == EARS_YELLOW ? "yellow" : "none";
}

int ears_history(const ears_params *p)
{
    int c3 = p->baseline + p->guard + 2, ew = p->ewma_baseline + p->guard;
    return c3 > ew ? c3 : ew;
}

/* Mean and sample sd (n - 1) of y[from .. from+n-1]. */
static void mean_sd(const double *y, int from, int n, double *mean, double *sd)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += y[from + i];
    double m = s / n, v = 0;
    for (int i = 0; i < n; i++)
        v += (y[from + i] - m) * (y[from + i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(v / (n - 1)) : 0;
}

bool ears_c12(const double *y, int t, int lag, int baseline, double min_sigma, double *mean, double *sd,
              double *c)
{
    int from = t - lag - baseline;
    if (from < 0 || baseline < 2)
        return false;
    mean_sd(y, from, baseline, mean, sd);
    if (*sd < min_sigma)
        *sd = min_sigma;
    *c = (y[t] - *mean) / *sd;
    return true;
}

bool ears_c3(const double *y, int t, const ears_params *p, double *c3)
{
    double sum = 0, m, sd, c;
    for (int i = 0; i < 3; i++) {
        if (!ears_c12(y, t - i, p->guard, p->baseline, p->min_sigma, &m, &sd, &c))
            return false;
        sum += c > 1 ? c - 1 : 0;
    }
    *c3 = sum;
    return true;
}

/* E over y[from .. to], started at seed. */
static double ewma_run(const double *y, int from, int to, double w, double seed)
{
    double s = seed;
    for (int i = from; i <= to; i++)
        s = w * y[i] + (1 - w) * s;
    return s;
}

bool ears_ewma(const double *y, int t, const ears_params *p, double w, double *mean, double *sd, double *e,
               double *pval)
{
    int from = t - p->guard - p->ewma_baseline;
    if (from < 0)
        return false;
    mean_sd(y, from, p->ewma_baseline, mean, sd);
    if (*sd < p->min_sigma)
        *sd = p->min_sigma;
    double s = ewma_run(y, from, t, w, *mean);
    *e = s;
    double z = (s - *mean) / (*sd * sqrt(w / (2 - w)));
    *pval = 1 - ears_t_cdf(z, p->ewma_baseline - 1);
    return true;
}

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return h;
}

/* I_x(a, b). */
static double beta_inc(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lbt) * beta_cf(a, b, x) / a;
    return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double ears_t_cdf(double x, double df)
{
    if (isnan(x))
        return 0.5;
    double tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + x * x));
    return x >= 0 ? 1 - tail : tail;
}

double ears_t_quantile(double q, double df)
{
    double lo = -100, hi = 100;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (ears_t_cdf(mid, df) < q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

double ears_poisson_sf(long k, double lambda)
{
    if (k <= 0)
        return 1;
    if (lambda <= 0)
        return 0;
    /* below the mean the lower tail is the short sum */
    if ((double)k <= lambda) {
        double term = exp(-lambda), cdf = 0;
        for (long i = 0; i < k; i++) {
            cdf += term;
            term *= lambda / (double)(i + 1);
        }
        return cdf < 1 ? 1 - cdf : 0;
    }
    double term = exp(-lambda + (double)k * log(lambda) - lgamma((double)k + 1)), sf = 0;
    for (long i = k; i < k + 100000 && term > 1e-300; i++) {
        sf += term;
        if (term < sf * 1e-17)
            break;
        term *= lambda / (double)(i + 1);
    }
    return sf;
}

/* The smallest count whose Poisson tail is below alpha. */
static double poisson_cut(double lambda, double alpha)
{
    long k = (long)floor(lambda);
    while (k < 10000000 && ears_poisson_sf(k, lambda) >= alpha)
        k++;
    return (double)k;
}

static int add(ears_flag *out, int n, int max, ears_flag f)
{
    if (n < max)
        out[n++] = f;
    return n;
}

static int detect_ears(const double *y, int t, const ears_params *p, ears_flag *out, int n, int max)
{
    double m, sd, c;
    if ((p->methods & (1u << EARS_C1)) && ears_c12(y, t, 0, p->baseline, p->min_sigma, &m, &sd, &c) &&
        c > p->z12)
        n = add(out, n, max, (ears_flag){EARS_C1, EARS_RED, y[t], m, m + p->z12 * sd, c});
    if (!(p->methods & ((1u << EARS_C2) | (1u << EARS_C3))) ||
        !ears_c12(y, t, p->guard, p->baseline, p->min_sigma, &m, &sd, &c))
        return n;
    if ((p->methods & (1u << EARS_C2)) && c > p->z12)
        n = add(out, n, max, (ears_flag){EARS_C2, EARS_RED, y[t], m, m + p->z12 * sd, c});
    double c3;
    if ((p->methods & (1u << EARS_C3)) && c > 1 && ears_c3(y, t, p, &c3) && c3 > p->z3) {
        double before = c3 - (c - 1); /* what the two days before brought */
        double need = p->z3 - before > 0 ? p->z3 - before : 0;
        n = add(out, n, max, (ears_flag){EARS_C3, EARS_YELLOW, y[t], m, m + (1 + need) * sd, c3});
    }
    return n;
}

/* The EWMA with the smaller p of its two smoothings. */
static int detect_ewma(const double *y, int t, const ears_params *p, ears_flag *out, int n, int max)
{
    double m, sd, e1, e2, p1, p2;
    if (!ears_ewma(y, t, p, p->w1, &m, &sd, &e1, &p1) || !ears_ewma(y, t, p, p->w2, &m, &sd, &e2, &p2))
        return n;
    double w = p1 <= p2 ? p->w1 : p->w2, pv = p1 <= p2 ? p1 : p2;
    int level = pv < p->p_red ? EARS_RED : pv < p->p_yellow ? EARS_YELLOW : EARS_NONE;
    if (!level)
        return n;
    double q = ears_t_quantile(1 - (level == EARS_RED ? p->p_red : p->p_yellow), p->ewma_baseline - 1);
    /* the count that takes E past the cut, given E the day before */
    double prev = ewma_run(y, t - p->guard - p->ewma_baseline, t - 1, w, m);
    double need = (m + q * sd * sqrt(w / (2 - w)) - (1 - w) * prev) / w;
    return add(out, n, max, (ears_flag){EARS_EWMA, level, y[t], m, need, pv});
}

static int detect_poisson(const double *y, int t, const ears_params *p, ears_flag *out, int n, int max)
{
    int from = t - p->guard - p->ewma_baseline;
    if (from < 0)
        return n;
    double m, sd;
    mean_sd(y, from, p->ewma_baseline, &m, &sd);
    double lambda = m > p->min_sigma * p->min_sigma ? m : p->min_sigma * p->min_sigma;
    double pv = ears_poisson_sf((long)llround(y[t]), lambda);
    int level = pv < p->pois_red ? EARS_RED : pv < p->pois_yellow ? EARS_YELLOW : EARS_NONE;
    if (!level)
        return n;
    double cut = poisson_cut(lambda, level == EARS_RED ? p->pois_red : p->pois_yellow);
    return add(out, n, max, (ears_flag){EARS_POISSON, level, y[t], m, cut, pv});
}

int ears_detect(const double *y, int n, int t, const ears_params *p, ears_flag *out, int max)
{
    if (t < 0 || t >= n || y[t] < (double)p->min_count)
        return 0;
    int k = detect_ears(y, t, p, out, 0, max);
    if (p->methods & (1u << EARS_EWMA))
        k = detect_ewma(y, t, p, out, k, max);
    if (p->methods & (1u << EARS_POISSON))
        k = detect_poisson(y, t, p, out, k, max);
    return k;
}
