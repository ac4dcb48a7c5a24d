#!/usr/bin/env python3
"""bench/login.py: what a staff sign-in costs, and what throttling does to
password guessing, with Debian's argon2 command-line tool (the reference
implementation of Argon2) as the peer, in one run.

1. One sign-in: N sequential POST /staff/login with the right password
   (each verifies an Argon2id hash: 19 MiB, 2 passes, 1 lane) against N
   runs of `argon2 SALT -id -t 2 -k 19456 -p 1` hashing the same password
   with the same parameters. Reports the medians and the ratio
   waypost/argon2 (what the HTTP request, session row and audit row add).
2. Sign-ins per second: THREADS clients signing in with the right password
   for SECONDS: the rate the machine sustains, all CPU-bound on Argon2id.
3. Guessing from one address: wrong passwords for ever-new emails as fast
   as one client can send for SECONDS; how many are answered 401 (each a
   full Argon2id verify against a dummy hash) before the per-address limit
   answers 429 with Retry-After, and how many 429s per second (no hashing).

Usage (from the repo root, after `make build/waypost`):
    python3 bench/login.py [N=20] [THREADS=2] [SECONDS=10]
Writes the section "## Staff sign-in" of docs/benchmarks.md (DOC= to
change, DOC= empty to skip)."""
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from harness import BIN, Server  # noqa: E402

PASSWORD = "a long staff passphrase for the bench"


def post_login(port, email, password):
    body = urllib.parse.urlencode({"email": email, "password": password})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/staff/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status


def time_argon2(n):
    if not shutil.which("argon2"):  # the peer: install it as the other benches install theirs
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "argon2"],
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)
    if not shutil.which("argon2"):
        sys.exit("bench/login.py needs Debian's argon2 tool; as root: apt-get install -y argon2")
    out = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(["argon2", "waypostbenchsalt", "-id", "-t", "2", "-k", "19456", "-p", "1"],
                       input=PASSWORD.encode(), stdout=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t)
    return out


def time_logins(port, email, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        assert post_login(port, email, PASSWORD) == 303
        out.append(time.perf_counter() - t)
    return out


def rate(port, email, threads, seconds):
    count = [0]
    lock = threading.Lock()
    end = time.time() + seconds

    def worker():
        while time.time() < end:
            assert post_login(port, email, PASSWORD) == 303
            with lock:
                count[0] += 1
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return count[0] / seconds


def guessing(port, seconds):
    codes = {}
    first_429 = None
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        i += 1
        s = post_login(port, "guess%d@example.org" % i, "not the password %d" % i)
        codes[s] = codes.get(s, 0) + 1
        if s == 429 and first_429 is None:
            first_429 = i
    return codes, first_429


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    srv = Server()
    try:
        email = "bench@example.org"
        subprocess.run([BIN, "user", "add", email, "--role", "editor", "--password-stdin", "--db", srv.db],
                       input=(PASSWORD + "\n").encode(), check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        post_login(srv.port, email, PASSWORD)  # warm-up
        a = time_argon2(n)
        w = time_logins(srv.port, email, n)
        per_s = rate(srv.port, email, threads, seconds)
        codes, first = guessing(srv.port, seconds)
    finally:
        srv.cleanup()
    ma, mw = statistics.median(a) * 1000, statistics.median(w) * 1000
    lines = [
        "- One sign-in (median of %d): waypost %.1f ms, `argon2 -id -t 2 -k 19456 -p 1` %.1f ms: "
        "ratio waypost/argon2 %.2f." % (n, mw, ma, mw / ma),
        "- Right-password sign-ins with %d clients for %d s: %.1f per second (CPU-bound on Argon2id)."
        % (threads, seconds, per_s),
        "- Guessing from one address for %d s with a new email each time: %d answered 401 (each a full "
        "dummy verify) before the first 429 (try %s); then %d answered 429 (%.0f per second, no hashing)."
        % (seconds, codes.get(401, 0), first, codes.get(429, 0), codes.get(429, 0) / seconds),
    ]
    print("\n".join(lines))
    doc = os.environ.get("DOC", os.path.join(ROOT, "docs", "benchmarks.md"))
    if doc:
        machine = "%s, %d cores" % (os.uname().machine, os.cpu_count())
        section = ("## Staff sign-in\n\n`python3 bench/login.py %d %d %d` on %s, %s (shared machine; medians):\n\n%s\n"
                   % (n, threads, seconds, machine, time.strftime("%Y-%m-%d"), "\n".join(lines)))
        text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n"
        text = re.sub(r"\n## Staff sign-in\n.*?(?=\n## |\Z)", "", text, flags=re.S)
        with open(doc, "w") as f:
            f.write(text.rstrip("\n") + "\n\n" + section)


if __name__ == "__main__":
    main()
