"""spikes_bench: the spike detector on synthetic series with known
outbreaks (bench/spikes.sh runs it).

For each Poisson baseline of 0.5, 1, 2, 5, 10, 20 and 50 a day, AREAS
series of YEARS years each; every 60 to 120 days an outbreak of 1 to 3 days
whose days are Poisson with 2 to 5 times the baseline. The C detector
(bench/spikes_sim.c over src/community/ears.c, default settings) flags
every day of every series; this script reports, per method and per
baseline band, the share of outbreaks flagged on one of their days, the
days from onset to the first flag (0 = the first day), and the flags on
days outside outbreaks (and the 3 days after each, where a smoothed or
lagged statistic still sees it) per area-year. It then checks every C1/C2/C3 flag
against the plain Python reimplementation (spikes_ref.py) on the same
series, and a few days end to end through `waypost import events` and
`waypost spikes --json`. Exits 1 when the implementations disagree."""
import collections
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import spikes_ref

BASELINES = [0.5, 1, 2, 5, 10, 20, 50]
BANDS = [("0.5-2/day", (0.5, 1, 2)), ("5-10/day", (5, 10)), ("20-50/day", (20, 50))]
METHODS = ["c1", "c2", "c3", "ewma", "poisson"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARMUP = 40  # days before the first outbreak can start


def poisson(rng, lam):
    # inversion, fine for the rates here (at most 250)
    l, k, p = math.exp(-lam), 0, 1.0
    if lam > 60:  # split to keep exp(-lam) away from underflow
        return poisson(rng, lam / 2) + poisson(rng, lam - lam / 2)
    while True:
        p *= rng.random()
        if p <= l:
            return k
        k += 1


def make_series(rng, lam, days):
    counts = [poisson(rng, lam) for _ in range(days)]
    outbreaks = []
    t = WARMUP + rng.randint(0, 60)
    while t < days - 3:
        length = rng.randint(1, 3)
        mult = rng.uniform(2, 5)
        for d in range(t, min(days, t + length)):
            counts[d] = poisson(rng, lam * mult)
        outbreaks.append((t, min(days, t + length), mult))
        t += length + rng.randint(60, 120)
    return counts, outbreaks


def run_sim(sim, series):
    text = "".join(" ".join(str(c) for c in s) + "\n" for s, _, _ in series)
    out = subprocess.run([sim], input=text, capture_output=True, text=True, check=True).stdout
    flags = collections.defaultdict(dict)  # (series, day) -> {method: level}
    for line in out.splitlines():
        s, t, m, level = line.split()
        flags[(int(s), int(t))][m] = level
    return flags


def metrics(series, flags, days):
    rows = []
    for band, lams in BANDS + [("all", tuple(BASELINES))]:
        idx = [i for i, (_, _, lam) in enumerate(series) if lam in lams]
        area_years = len(idx) * (days - WARMUP) / 365.0
        for m in METHODS + ["any"]:
            found = total = 0
            delays = []
            false = 0
            for i in idx:
                counts, outbreaks, _ = series[i]
                in_outbreak = set()  # outbreak days and the 3 after (smoothing spills over)
                for a, b, _ in outbreaks:
                    in_outbreak.update(range(a, b + 3))
                    total += 1
                    hit = [d for d in range(a, b) if (m == "any" and flags.get((i, d))) or m in flags.get((i, d), {})]
                    if hit:
                        found += 1
                        delays.append(hit[0] - a)
                for d in range(WARMUP, days):
                    f = flags.get((i, d), {})
                    if d not in in_outbreak and ((m == "any" and f) or m in f):
                        false += 1
            rows.append((band, m, found / total if total else 0, sum(delays) / len(delays) if delays else float("nan"),
                         false / area_years))
    return rows


def check_reference(series, flags, days):
    bad = 0
    for i, (counts, _, _) in enumerate(series):
        for t in range(days):
            want = spikes_ref.ears_flags(counts, t)
            got = {m for m in flags.get((i, t), {}) if m in ("c1", "c2", "c3")}
            if want != got:
                bad += 1
                if bad <= 5:
                    print("  MISMATCH series %d day %d: C %s, Python %s" % (i, t, sorted(got), sorted(want)))
    return bad


def end_to_end(waypost, series, flags, ndays=25):
    """A few series through import events and `waypost spikes --json`."""
    tmp = tempfile.mkdtemp(prefix="waypost-spikes-bench-")
    db = os.path.join(tmp, "bench.db")
    start = datetime.date(2001, 1, 1)
    picked = [i for i, (_, o, lam) in enumerate(series) if lam in (2, 10, 50)][:6]
    rows = ["date,area,kind,count"]
    for i in picked:
        for t, c in enumerate(series[i][0][:200]):
            rows.append("%s,%05d,bench,%d" % (start + datetime.timedelta(days=t), 90000 + i, c))
    path = os.path.join(tmp, "events.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    p = subprocess.run([waypost, "import", "events", path, "--db", db], capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        print("  import failed: " + p.stderr)
        return 1
    bad = 0
    for t in range(200 - ndays, 200):
        day = (start + datetime.timedelta(days=t)).isoformat()
        p = subprocess.run([waypost, "spikes", "--date", day, "--json", "--db", db], capture_output=True, text=True,
                           cwd=ROOT)
        got = {(int(f["area"]) - 90000, f["method"]) for f in json.loads(p.stdout)}
        want = {(i, m) for i in picked for m in flags.get((i, t), {})}
        if got != want:
            bad += 1
            print("  END TO END MISMATCH on %s: command %s, simulator %s" % (day, sorted(got), sorted(want)))
    return bad


def main():
    sim, waypost = sys.argv[1], os.path.abspath(sys.argv[2])
    years = int(os.environ.get("YEARS", "10"))
    areas = int(os.environ.get("AREAS", "10"))
    seed = int(os.environ.get("SEED", "14"))
    days = years * 365 + WARMUP
    rng = random.Random(seed)
    series = []
    for lam in BASELINES:
        for _ in range(areas):
            counts, outbreaks = make_series(rng, lam, days)
            series.append((counts, outbreaks, lam))
    nout = sum(len(o) for _, o, _ in series)
    print("%d series (%d per baseline) of %d years, %d outbreaks, seed %d" % (len(series), areas, years, nout, seed))
    flags = run_sim(sim, series)
    print()
    print("| baseline | method | outbreaks flagged | days to detect | false alarms per area-year |")
    print("|---|---|---|---|---|")
    for band, m, rate, delay, fa in metrics(series, flags, days):
        print("| %s | %s | %.1f%% | %.2f | %.1f |" % (band, m, 100 * rate, delay, fa))
    print()
    bad = check_reference(series, flags, days)
    print("C1/C2/C3 against the Python reimplementation: %d series x %d days, %d disagreements"
          % (len(series), days, bad))
    bad2 = end_to_end(waypost, series, flags)
    print("end to end (import events + waypost spikes --json, 6 series x 25 days): %d disagreements" % bad2)
    return 1 if bad or bad2 else 0


if __name__ == "__main__":
    sys.exit(main())
