"""spikes_ref: a plain Python reimplementation of the spike detector's
EARS C1, C2 and C3 (src/community/ears.c), written from the definitions
(Hutwagner et al. 2003; R surveillance's earsC) rather than from the C, so
bench/spikes.sh and the unit tests' expected values can check the C."""
import math


def mean_sd(xs):
    m = sum(xs) / len(xs)
    v = sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
    return m, math.sqrt(v)


def c12(y, t, lag, baseline=7, min_sigma=1.0):
    lo = t - lag - baseline
    if lo < 0:
        return None
    m, sd = mean_sd(y[lo:t - lag])
    sd = max(sd, min_sigma)
    return m, sd, (y[t] - m) / sd


def c3(y, t, guard=2, baseline=7, min_sigma=1.0):
    total = 0.0
    for i in range(3):
        r = c12(y, t - i, guard, baseline, min_sigma)
        if r is None:
            return None
        total += max(0.0, r[2] - 1)
    return total


def ears_flags(y, t, z12=3.090, z3=1.960, guard=2, baseline=7, min_sigma=1.0, min_count=3):
    """The set of EARS methods ('c1', 'c2', 'c3') that flag day t."""
    out = set()
    if y[t] < min_count:
        return out
    r1 = c12(y, t, 0, baseline, min_sigma)
    if r1 and r1[2] > z12:
        out.add("c1")
    r2 = c12(y, t, guard, baseline, min_sigma)
    if r2 and r2[2] > z12:
        out.add("c2")
    if r2 and r2[2] > 1:
        s = c3(y, t, guard, baseline, min_sigma)
        if s is not None and s > z3:
            out.add("c3")
    return out


def t_cdf(x, df, steps=20000):
    """Student's t CDF by Simpson's rule over the density (an independent
    check of the C's incomplete beta)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    f = lambda u: c * (1 + u * u / df) ** (-(df + 1) / 2)
    a, b = 0.0, abs(x)
    h = (b - a) / steps
    s = f(a) + f(b) + sum((4 if i % 2 else 2) * f(a + i * h) for i in range(1, steps))
    half = s * h / 3
    return 0.5 + half if x >= 0 else 0.5 - half


def poisson_sf(k, lam):
    return 1 - sum(math.exp(-lam) * lam ** i / math.factorial(i) for i in range(k))
