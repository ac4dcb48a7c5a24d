#!/usr/bin/env python3
"""Two or more builds' imports into a copy of one database, in turns.

Usage: python3 bench/import_ab.py ROUNDS BASE_DB FILE... -- LABEL=BIN...

Each round copies BASE_DB (a database the files are new to, e.g. a
million services built by bench/geo.sh's generator) and runs, for each
build in turn, `BIN import hsds FILE... --db COPY` with
WAYPOST_IMPORT_STEPS=1. It prints every run and, per build, the minimum
over the rounds of: the records step summed over all files but the first
(warm: the page cache and statements made), the process CPU and the
writing thread's CPU in those steps, and the whole command's wall time.
The machine's speed drifts, so builds alternate in every round and the
minimum is the figure least disturbed by other load."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

STEP = re.compile(r"records ([\d.]+) s \(cpu ([\d.]+), writer ([\d.]+)\)")


def run(binary, base, files, work):
    db = os.path.join(work, "ab.db")
    for tail in ("", "-wal", "-shm"):
        if os.path.exists(db + tail):
            os.remove(db + tail)
    shutil.copy(base, db)
    env = dict(os.environ, WAYPOST_IMPORT_STEPS="1")
    cmd = ["/usr/bin/time", "-f", "TIME %e", binary, "import", "hsds", *files, "--db", db]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True).stderr
    steps = STEP.findall(out)[1:]
    wall = re.search(r"TIME ([\d.]+)", out)
    if not steps or not wall:
        sys.exit("import failed:\n" + out)
    return tuple(sum(float(s[i]) for s in steps) for i in range(3)) + (float(wall.group(1)),)


def main():
    if "--" not in sys.argv or len(sys.argv) < 6:
        sys.exit(__doc__)
    cut = sys.argv.index("--")
    rounds, base, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:cut]
    builds = [b.split("=", 1) for b in sys.argv[cut + 1:]]
    results = {label: [] for label, _ in builds}
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(base))) as work:
        for _ in range(rounds):
            for label, binary in builds:
                r = run(binary, base, files, work)
                results[label].append(r)
                print("%-8s warm records %.2f cpu %.2f writer %.2f | whole %.2f" % ((label,) + r), flush=True)
    for label, _ in builds:
        best = [min(r[i] for r in results[label]) for i in range(4)]
        print("%-8s min: warm records %.2f cpu %.2f writer %.2f whole %.2f" % tuple([label] + best))


if __name__ == "__main__":
    main()
