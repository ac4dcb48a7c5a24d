#!/usr/bin/env python3
"""bench/soak_load.py: the load generator and recorder behind bench/soak.sh.

Standard library only (threads, http.client, sockets). bench/soak.sh starts
the server and runs this; run by hand only against a server you started:

    python3 bench/soak_load.py --port PORT --pid SERVER_PID --db DB \
        --waypost build/waypost --duration 180 --out report.md

For DURATION seconds it runs, against 127.0.0.1 only:
  - WORKERS keep-alive clients sending a weighted mix of pages and API
    requests (optionally paced to RATE requests/s in all);
  - one reporter posting kind=closed&note=soak to /services/ID/report every
    REPORT_EVERY seconds, for a random listing, each from its own loopback
    source address (127.0.0.2 to 127.0.0.254) so the per-client report limit
    (10 an hour) does not turn every report into a 429;
  - `waypost import hsds IMPORT_FILE --db DB` every IMPORT_EVERY seconds
    (at least once);
  - SLOW_READERS clients that ask for /api/v1/services?format=ndjson with a
    small receive buffer and read SLOW_BYTES bytes a second, each connection
    for at most SLOW_MAX seconds;
  - SLOWLORIS clients that send a request line and then one header line every
    SLOWLORIS_EVERY seconds, never finishing the header, each connection for
    at most SLOWLORIS_MAX seconds;
and samples the server's /proc/PID/status every 10 s. At the end it writes a
Markdown report (RSS over time, latency per route, errors by kind, requests
per second, slow reader and slowloris outcomes, imports, and the RSS check)
to --out and stdout. Exit status: 0 when the RSS check passes and the server
is still alive and answering, 1 otherwise.

Every loop is bounded by the deadline; every socket has a timeout; SIGTERM
or SIGINT stops the run early (a running import is killed) and still writes
the report.
"""
import argparse
import collections
import http.client
import json
import math
import os
import random
import select
import signal
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"  # the only address this tool ever connects to

# (route label, weight, path or a function returning one)
MIX = [
    ("/", 12, "/"),
    ("/overdose", 6, "/overdose"),
    ("/substances/xylazine", 6, "/substances/xylazine"),
    ("/combos?s=alcohol&s=fentanyl", 5, "/combos?s=alcohol&s=fentanyl"),
    ("/find?what=naloxone&where=10001", 8, "/find?what=naloxone&where=10001"),
    ("/find/treatment?where=80202", 5, "/find/treatment?where=80202"),
    ("/search?q=naloxone", 5, "/search?q=naloxone"),
    ("/recovery", 4, "/recovery"),
    ("/data", 3, "/data"),
    ("/self-check/audit-c", 3, "/self-check/audit-c"),
    ("/api/v1/service_at_locations?lat=40.7&lon=-73.9&proximity=25000&per_page=10", 12,
     "/api/v1/service_at_locations?lat=40.7&lon=-73.9&proximity=25000&per_page=10"),
    ("/api/v1/services?per_page=20&page=N", 8,
     lambda rnd: "/api/v1/services?per_page=20&page=%d" % rnd.randint(1, 200)),
    ("/api/v1/organizations?per_page=10", 4, "/api/v1/organizations?per_page=10"),
    ("/api/v1/combos?substances=alcohol,fentanyl", 4, "/api/v1/combos?substances=alcohol,fentanyl"),
]
REPORT_ROUTE = "POST /services/ID/report"
NDJSON_PATH = "/api/v1/services?format=ndjson"


def now():
    return time.monotonic()


class Hist:
    """Latencies in buckets 1% wide (log scale), so an hour costs no memory."""

    def __init__(self):
        self.b = collections.Counter()
        self.n = 0
        self.max = 0.0

    def add(self, secs):
        us = max(secs * 1e6, 1.0)
        self.b[int(math.log(us) * 100)] += 1
        self.n += 1
        self.max = max(self.max, secs)

    def merge(self, o):
        self.b.update(o.b)
        self.n += o.n
        self.max = max(self.max, o.max)

    def pct(self, p):
        """The p-th percentile in milliseconds (upper edge of its bucket)."""
        if not self.n:
            return float("nan")
        want = math.ceil(self.n * p / 100.0)
        seen = 0
        for k in sorted(self.b):
            seen += self.b[k]
            if seen >= want:
                return math.exp((k + 1) / 100.0) / 1000.0
        return self.max * 1000.0


class Stats:
    """One thread's counts; merged at the end (no locks on the hot path)."""

    def __init__(self):
        self.hist = collections.defaultdict(Hist)
        self.bytes = collections.Counter()
        self.errors = collections.Counter()  # (route, kind) -> count
        self.done = 0  # requests finished, read by the sampler

    def merge(self, o):
        for k, h in o.hist.items():
            self.hist[k].merge(h)
        self.bytes.update(o.bytes)
        self.errors.update(o.errors)
        self.done += o.done


def err_kind(e):
    if isinstance(e, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(e, http.client.RemoteDisconnected):
        return "connection error: closed by the server before a reply"
    if isinstance(e, http.client.IncompleteRead):
        return "connection error: reply cut short"
    if isinstance(e, ConnectionRefusedError):
        return "connection error: refused"
    if isinstance(e, ConnectionResetError):
        return "connection error: reset"
    if isinstance(e, BrokenPipeError):
        return "connection error: broken pipe"
    return "connection error: %s" % type(e).__name__


class Run:
    def __init__(self, a):
        self.a = a
        self.t0 = now()
        self.deadline = self.t0 + a.duration
        self.stop = threading.Event()
        self.aborted = threading.Event()  # a signal: stop without the final checks
        self.all_stats = []
        self.lock = threading.Lock()
        self.slow = []  # one dict per slow-reader connection
        self.loris = []  # one dict per slowloris connection
        self.imports = []
        self.samples = []  # (t, vmrss_kb, anon_kb, file_kb, threads, fds, requests)
        self.import_proc = None
        self.service_ids = []

    def left(self):
        return self.deadline - now()

    def running(self):
        return not self.stop.is_set() and now() < self.deadline

    def new_stats(self):
        s = Stats()
        with self.lock:
            self.all_stats.append(s)
        return s

    def requests_done(self):
        with self.lock:
            return sum(s.done for s in self.all_stats)

    # ---- the request mix ------------------------------------------------

    def worker(self, idx):
        rnd = random.Random(idx * 7919 + 17)
        st = self.new_stats()
        labels = [m[0] for m in MIX]
        weights = [m[1] for m in MIX]
        paths = {m[0]: m[2] for m in MIX}
        conn = None
        reused = False
        interval = self.a.workers / self.a.rate if self.a.rate > 0 else 0.0
        next_at = now() + rnd.random() * interval
        while self.running():
            if interval:
                wait = next_at - now()
                if wait > 0:
                    self.stop.wait(min(wait, max(self.left(), 0)))
                    if not self.running():
                        break
                next_at = max(next_at + interval, now() - 1.0)
            label = rnd.choices(labels, weights)[0]
            p = paths[label]
            path = p(rnd) if callable(p) else p
            if conn is None:
                conn = http.client.HTTPConnection(HOST, self.a.port, timeout=self.a.timeout)
                reused = False
            t = now()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if rnd.random() < 0.5 else {})
                r = conn.getresponse()
                body = r.read()
                dt = now() - t
                st.hist[label].add(dt)
                st.bytes[label] += len(body)
                if not (200 <= r.status < 400):
                    st.errors[(label, "HTTP %d" % r.status)] += 1
                if r.will_close:
                    conn.close()
                    conn = None
                else:
                    reused = True
            except (OSError, http.client.HTTPException) as e:
                kind = err_kind(e)
                if reused and isinstance(e, http.client.RemoteDisconnected):
                    kind = "connection error: idle keep-alive connection closed by the server"
                st.errors[(label, kind)] += 1
                try:
                    conn.close()
                except OSError:
                    pass
                conn = None
                if isinstance(e, ConnectionRefusedError):
                    self.stop.wait(0.5)  # the server is gone or full: do not spin
            st.done += 1
        if conn:
            conn.close()

    # ---- reports (POST) -------------------------------------------------

    def fetch_ids(self):
        rnd = random.Random(4242)
        for _ in range(5):
            try:
                c = http.client.HTTPConnection(HOST, self.a.port, timeout=self.a.timeout)
                c.request("GET", "/api/v1/services?per_page=50&page=%d" % rnd.randint(1, 100))
                r = c.getresponse()
                doc = json.loads(r.read())
                c.close()
                self.service_ids += [s["id"] for s in doc.get("contents", []) if isinstance(s, dict) and "id" in s]
            except (OSError, ValueError, http.client.HTTPException):
                pass
        if not self.service_ids:
            print("soak: could not read any service id; reports are skipped", file=sys.stderr)

    def reporter(self):
        st = self.new_stats()
        rnd = random.Random(99)
        n = 0
        while self.service_ids and self.running():
            self.stop.wait(min(self.a.report_every, max(self.left(), 0)))
            if not self.running():
                break
            n += 1
            src = "127.0.0.%d" % (2 + n % 253)
            sid = rnd.choice(self.service_ids)
            t = now()
            try:
                try:
                    c = http.client.HTTPConnection(HOST, self.a.port, timeout=self.a.timeout, source_address=(src, 0))
                    c.connect()
                except OSError:
                    c = http.client.HTTPConnection(HOST, self.a.port, timeout=self.a.timeout)
                c.request("POST", "/services/%s/report" % sid, body="kind=closed&note=soak",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
                r = c.getresponse()
                r.read()
                st.hist[REPORT_ROUTE].add(now() - t)
                if not (200 <= r.status < 400):
                    st.errors[(REPORT_ROUTE, "HTTP %d" % r.status)] += 1
                c.close()
            except (OSError, http.client.HTTPException) as e:
                st.errors[(REPORT_ROUTE, err_kind(e))] += 1
            st.done += 1

    # ---- imports ----------------------------------------------------------

    def importer(self):
        k = 1
        while True:
            at = self.t0 + k * self.a.import_every
            if at >= self.deadline - 5 or self.stop.is_set():
                break
            self.stop.wait(max(at - now(), 0))
            if not self.running():
                break
            cmd = [self.a.waypost, "import", "hsds", self.a.import_file, "--db", self.a.db]
            t = now()
            rec = {"at": t - self.t0, "secs": None, "rc": None, "out": ""}
            try:
                with self.lock:
                    self.import_proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                                        stdin=subprocess.DEVNULL, text=True)
                out, _ = self.import_proc.communicate(timeout=max(self.a.import_timeout, 1))
                rec["rc"] = self.import_proc.returncode
                rec["out"] = (out or "").strip().splitlines()[-1:] or [""]
                rec["out"] = rec["out"][0]
            except subprocess.TimeoutExpired:
                self.import_proc.kill()
                self.import_proc.wait()
                rec["rc"] = "killed after %ds" % self.a.import_timeout
            except OSError as e:
                rec["rc"] = "could not run: %s" % e
            finally:
                with self.lock:
                    self.import_proc = None
            rec["secs"] = now() - t
            self.imports.append(rec)
            k += 1

    def kill_import(self):
        with self.lock:
            p = self.import_proc
        if p and p.poll() is None:
            p.kill()

    # ---- slow readers -------------------------------------------------------

    def slow_reader(self, idx):
        while self.running():
            rec = {"reader": idx, "start": now() - self.t0, "status": None, "length": None, "read": 0,
                   "ttfb": None, "secs": 0.0, "end": ""}
            self.slow.append(rec)
            t = now()
            limit = min(t + self.a.slow_max, self.deadline)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.settimeout(self.a.timeout)
                s.connect((HOST, self.a.port))
                s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                           % (NDJSON_PATH, HOST, self.a.port)).encode())
                head = b""
                s.settimeout(60)  # building the whole answer takes seconds on a busy machine
                while b"\r\n\r\n" not in head and now() < limit and not self.stop.is_set():
                    chunk = s.recv(1024)
                    if not chunk:
                        break
                    head += chunk
                if b"\r\n\r\n" in head:
                    rec["ttfb"] = now() - t
                    hdr, _, rest = head.partition(b"\r\n\r\n")
                    lines = hdr.split(b"\r\n")
                    rec["status"] = int(lines[0].split()[1]) if len(lines[0].split()) > 1 else None
                    for ln in lines[1:]:
                        if ln.lower().startswith(b"content-length:"):
                            rec["length"] = int(ln.split(b":", 1)[1])
                    rec["read"] = len(rest)
                    s.settimeout(self.a.timeout)
                    rec["end"] = "our time limit"
                    while now() < limit and not self.stop.is_set():
                        self.stop.wait(1.0)
                        chunk = s.recv(self.a.slow_bytes)
                        if not chunk:
                            done = rec["length"] is not None and rec["read"] >= rec["length"]
                            rec["end"] = "complete" if done else "server closed early"
                            break
                        rec["read"] += len(chunk)
                    if rec["end"] == "our time limit" and rec["length"] is not None and not self.aborted.is_set():
                        # Read the rest at full speed: a server that gave up on
                        # this client shows as an early end of the data (what it
                        # wrote before closing still sits in the kernel's buffers).
                        drain_until = now() + 30
                        s.settimeout(5)
                        try:
                            while rec["read"] < rec["length"] and now() < drain_until:
                                chunk = s.recv(262144)
                                if not chunk:
                                    break
                                rec["read"] += len(chunk)
                        except OSError:
                            pass
                        if rec["read"] >= rec["length"]:
                            rec["end"] = "complete (read at full speed after our time limit)"
                        elif now() >= drain_until:
                            rec["end"] = "still sending at our time limit"
                        else:
                            rec["end"] = "server closed early"
                else:
                    rec["end"] = "no reply header"
            except (OSError, ValueError) as e:
                rec["end"] = err_kind(e) if isinstance(e, OSError) else "bad reply header"
            finally:
                s.close()
            rec["secs"] = now() - t
            if rec["end"].startswith("complete") or rec["end"].startswith("still sending") or not self.running():
                continue
            self.stop.wait(1.0)  # after a failure, do not spin

    # ---- slowloris ------------------------------------------------------------

    def slowloris(self, idx):
        while self.running():
            rec = {"client": idx, "start": now() - self.t0, "secs": 0.0, "lines": 0, "end": ""}
            self.loris.append(rec)
            t = now()
            limit = min(t + self.a.slowloris_max, self.deadline)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.settimeout(self.a.timeout)
                s.connect((HOST, self.a.port))
                s.sendall(("GET / HTTP/1.1\r\nHost: %s:%d\r\n" % (HOST, self.a.port)).encode())
                rec["end"] = "still open at our time limit"
                while now() < limit and not self.stop.is_set():
                    wait = min(self.a.slowloris_every, max(limit - now(), 0))
                    r, _, _ = select.select([s], [], [], wait)
                    if r:
                        data = s.recv(4096)
                        if not data:
                            rec["end"] = "closed by the server"
                        else:
                            parts = data.split(b"\r\n", 1)[0].split()
                            rec["end"] = "server answered %s" % (parts[1].decode("ascii", "replace")
                                                                if len(parts) > 1 else "?")
                        break
                    if now() >= limit or self.stop.is_set():
                        break
                    s.sendall(("X-Soak-%d: %d\r\n" % (rec["lines"], idx)).encode())
                    rec["lines"] += 1
            except (OSError, ValueError) as e:
                rec["end"] = err_kind(e) if isinstance(e, OSError) else str(e)
            finally:
                s.close()
            rec["secs"] = now() - t
            if rec["end"].startswith("connection error") and self.running():
                self.stop.wait(1.0)

    # ---- sampling ---------------------------------------------------------------

    def sample(self):
        vals = {}
        try:
            with open("/proc/%d/status" % self.a.pid) as f:
                for line in f:
                    k, _, v = line.partition(":")
                    vals[k] = v.split()[0] if v.split() else "0"
            fds = len(os.listdir("/proc/%d/fd" % self.a.pid))
        except OSError:
            return False
        self.samples.append((now() - self.t0, int(vals.get("VmRSS", 0)), int(vals.get("RssAnon", 0)),
                             int(vals.get("RssFile", 0)), int(vals.get("Threads", 0)), fds, self.requests_done()))
        return True

    def server_alive(self):
        try:
            os.kill(self.a.pid, 0)
            with open("/proc/%d/status" % self.a.pid) as f:
                return "State:\tZ" not in f.read()
        except OSError:
            return False


def healthz(a):
    try:
        c = http.client.HTTPConnection(HOST, a.port, timeout=10)
        c.request("GET", "/healthz")
        r = c.getresponse()
        r.read()
        c.close()
        return r.status
    except (OSError, http.client.HTTPException) as e:
        return err_kind(e)


def mb(kb):
    return "%.1f" % (kb / 1024.0)


def spark(vals):
    bars = "▁▂▃▄▅▆▇█"
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    return "".join(bars[0 if hi == lo else int((v - lo) * (len(bars) - 1) / (hi - lo) + 0.5)] for v in vals)


def fmt_ms(v):
    if v != v:
        return "-"
    return "%.2f" % v if v < 100 else "%.0f" % v


def report(run, a, alive, hz, idle_sample, wall):
    total = Stats()
    for s in run.all_stats:
        total.merge(s)
    out = []
    w = out.append
    n_req = sum(h.n for h in total.hist.values())
    n_err = sum(total.errors.values())
    s = run.samples
    w("Load: %d workers%s, %d slow readers, %d slowloris clients, a report every %gs, "
      "an import every %gs; %.0f s of load." % (a.workers, " paced to %g requests/s" % a.rate if a.rate else
                                               " (closed loop, no pacing)", a.slow_readers, a.slowloris,
                                               a.report_every, a.import_every, wall))
    w("")
    w("### Requests")
    w("")
    w("%d requests answered in %.0f s: **%.0f requests/s** (the mix and the reports; slow readers "
      "and slowloris not counted); %d errors (below)." % (n_req, wall, n_req / wall if wall else 0, n_err))
    w("")
    w("| Route | Requests | Requests/s | p50 (ms) | p99 (ms) | max (ms) | Errors |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    order = [m[0] for m in MIX] + [REPORT_ROUTE]
    for label in order:
        h = total.hist.get(label, Hist())
        e = sum(c for (r, _), c in total.errors.items() if r == label)
        w("| `%s` | %d | %.1f | %s | %s | %s | %d |" % (label, h.n, h.n / wall if wall else 0, fmt_ms(h.pct(50)),
                                                       fmt_ms(h.pct(99)), fmt_ms(h.max * 1000), e))
    w("")
    w("### Errors by kind")
    w("")
    if not total.errors:
        w("None: every request got a 2xx or 3xx reply, no timeouts (%gs) and no connection errors." % a.timeout)
    else:
        kinds = collections.Counter()
        for (_, k), c in total.errors.items():
            kinds[k] += c
        w("| Kind | Count | Routes |")
        w("|---|---:|---|")
        for k, c in kinds.most_common():
            routes = sorted({r for (r, kk) in total.errors if kk == k})
            w("| %s | %d | %s |" % (k, c, ", ".join("`%s` (%d)" % (r, total.errors[(r, k)]) for r in routes)))
        w("")
        w("Timeouts are requests with no complete reply within %gs. On `%s`, 429 is the designed "
          "report limit and 503 the designed refusal while an import runs." % (a.timeout, REPORT_ROUTE))
    w("")
    w("### Server memory over time")
    w("")
    if s:
        w("VmRSS every 10 s (%d samples, %s to %s MB): `%s`" % (len(s), mb(min(x[1] for x in s)),
                                                             mb(max(x[1] for x in s)), spark([x[1] for x in s])))
        w("")
        w("RssAnon (heap and other private memory), same samples: `%s`" % spark([x[2] for x in s]))
        w("")
        keep = set(range(0, len(s), max(1, len(s) // 12))) | {len(s) - 1}
        keep |= {i for i, x in enumerate(s) if abs(x[0] - 60) < 5}
        w("| Time (s) | VmRSS (MB) | RssAnon (MB) | RssFile (MB) | Threads | Open fds | Requests so far |")
        w("|---:|---:|---:|---:|---:|---:|---:|")
        for i in sorted(keep):
            x = s[i]
            w("| %.0f | %s | %s | %s | %d | %d | %d |" % (x[0], mb(x[1]), mb(x[2]), mb(x[3]), x[4], x[5], x[6]))
        if idle_sample:
            x = idle_sample
            w("| after the load (idle) | %s | %s | %s | %d | %d | |" % (mb(x[1]), mb(x[2]), mb(x[3]), x[4], x[5]))
        w("")
        w("RssFile is mostly the database file mapped into memory (request threads read it "
          "through mmap); it is counted in VmRSS.")
    w("")
    w("### Slow readers (`GET %s`, %d bytes a second)" % (NDJSON_PATH, a.slow_bytes))
    w("")
    if run.slow:
        ends = collections.Counter(r["end"] for r in run.slow)
        lens = sorted({r["length"] for r in run.slow if r["length"]})
        ttfb = [r["ttfb"] for r in run.slow if r["ttfb"] is not None]
        w("%d connections; answer size %s bytes; time to the reply header %s; each read slowly for up to "
          "%gs (or to the end of the run), then the rest at full speed; outcomes: %s." % (
              len(run.slow), ", ".join(str(x) for x in lens) or "unknown",
              ("%.1f to %.1f s" % (min(ttfb), max(ttfb))) if ttfb else "never", a.slow_max,
              ", ".join("%s %d" % (k, c) for k, c in ends.most_common())))
        cut = [r for r in run.slow if r["end"] == "server closed early"]
        if cut:
            w("")
            w("**The server cut off %d of %d slow downloads**: they ended after %s of %s bytes. Readers at %d "
              "bytes a second never got the whole answer." % (
                  len(cut), len(run.slow), "/".join(sorted({str(r["read"]) for r in cut})[:5]),
                  cut[0]["length"], a.slow_bytes))
        statuses = collections.Counter(r["status"] for r in run.slow if r["status"])
        if statuses and set(statuses) != {200}:
            w("Reply statuses: %s." % ", ".join("%s: %d" % kv for kv in statuses.items()))
    else:
        w("None ran.")
    w("")
    w("### Slowloris (a header line every %gs, never finishing the request)" % a.slowloris_every)
    w("")
    if run.loris:
        ends = collections.Counter(r["end"] for r in run.loris)
        held = [r["secs"] for r in run.loris]
        w("%d connections; held open %.0f to %.0f s (our limit per connection: %gs, or the end of the run); "
          "outcomes: %s." % (len(run.loris), min(held), max(held), a.slowloris_max,
                             ", ".join("%s %d" % (k, c) for k, c in ends.most_common())))
        if any(r["end"] == "still open at our time limit" for r in run.loris):
            w("")
            w("**The server kept connections that never finished their header open until the client gave up** "
              "(%d header lines on the longest); its timeout counts silence, not the time to finish a request." %
              max(r["lines"] for r in run.loris))
    else:
        w("None ran.")
    w("")
    w("### Imports while serving")
    w("")
    if run.imports:
        for r in run.imports:
            w("- at %.0f s: `waypost import hsds %s` took %.1f s, exit %s: %s" % (
                r["at"], a.import_file, r["secs"], r["rc"], r["out"]))
    else:
        w("None ran (the run was too short).")
    w("")
    w("### Result")
    w("")
    ok = True
    ref = next((x for x in s if x[0] >= 55), s[0] if s else None)
    last = s[-1] if s else None
    if not ref or not last:
        w("RSS check: FAIL (no RSS samples)")
        ok = False
    else:
        d = (last[1] - ref[1]) * 100.0 / ref[1] if ref[1] else float("inf")
        verdict = "PASS" if abs(d) <= 10.0 else "FAIL"
        ok = ok and verdict == "PASS"
        w("RSS check: %s: VmRSS at the end (%.0f s) %s MB vs after the first minute (%.0f s) %s MB: %+.1f%% "
          "(must be within 10%%)." % (verdict, last[0], mb(last[1]), ref[0], mb(ref[1]), d))
        da = (last[2] - ref[2]) * 100.0 / ref[2] if ref[2] else float("inf")
        w("")
        w("(RssAnon alone: %s MB to %s MB, %+.1f%%.)" % (mb(ref[2]), mb(last[2]), da))
        early = [x for x in s if 55 <= x[0] <= 125]
        late = [x for x in s if x[0] >= last[0] - 65]
        if early and late and len(s) >= 12:
            lo1, lo2 = min(x[1] for x in early), min(x[1] for x in late)
            w("")
            w("(Not part of the check: single samples swing with the file pages the big answers map in; the lowest "
              "VmRSS of the second minute was %s MB and of the last minute %s MB, %+.1f%%; a leak raises that "
              "floor.)" % (mb(lo1), mb(lo2), (lo2 - lo1) * 100.0 / lo1 if lo1 else float("inf")))
    w("")
    if alive and hz == 200:
        w("Server: still running and answering /healthz with 200 after the run.")
    else:
        w("Server: FAIL: %s; /healthz: %s." % ("still running" if alive else "it exited or crashed", hz))
        ok = False
    return "\n".join(out) + "\n", ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--waypost", default="build/waypost")
    p.add_argument("--import-file", default="data/directory/examples-harm-reduction.ndjson")
    p.add_argument("--duration", type=float, default=3600)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--rate", type=float, default=0, help="requests/s in all; 0: no pacing")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--report-every", type=float, default=5)
    p.add_argument("--import-every", type=float, default=0, help="0: 600 s, or half the run when shorter")
    p.add_argument("--import-timeout", type=int, default=600)
    p.add_argument("--slow-readers", type=int, default=3)
    p.add_argument("--slow-bytes", type=int, default=16384)
    p.add_argument("--slow-max", type=float, default=120)
    p.add_argument("--slowloris", type=int, default=4)
    p.add_argument("--slowloris-every", type=float, default=5)
    p.add_argument("--slowloris-max", type=float, default=600)
    p.add_argument("--out", default="")
    a = p.parse_args()
    if a.import_every <= 0:
        a.import_every = min(600.0, a.duration / 2.0)
    if a.workers < 1 or a.workers > 64:
        p.error("--workers must be 1 to 64")
    if a.report_every < 0.5 or a.timeout < 1 or a.slowloris_every < 1 or a.slow_max < 1 or a.import_every < 1:
        p.error("--report-every must be at least 0.5 s; --timeout, --slowloris-every, --slow-max and "
                "--import-every at least 1 s")
    run = Run(a)

    def on_signal(signum, _frame):
        print("soak: signal %d: stopping early" % signum, file=sys.stderr)
        run.aborted.set()
        run.stop.set()
        run.kill_import()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    run.fetch_ids()
    threads = [threading.Thread(target=run.worker, args=(i,), daemon=True) for i in range(a.workers)]
    threads.append(threading.Thread(target=run.reporter, daemon=True))
    threads.append(threading.Thread(target=run.importer, daemon=True))
    threads += [threading.Thread(target=run.slow_reader, args=(i,), daemon=True) for i in range(a.slow_readers)]
    threads += [threading.Thread(target=run.slowloris, args=(i,), daemon=True) for i in range(a.slowloris)]
    for t in threads:
        t.start()
    next_sample = run.t0 + 10
    last_print = 0.0
    while run.running():
        run.stop.wait(max(min(next_sample, run.deadline) - now(), 0))
        if now() >= next_sample:
            if not run.sample():
                print("soak: the server (pid %d) is gone" % a.pid, file=sys.stderr)
                run.stop.set()
                break
            next_sample += 10
            x = run.samples[-1]
            if x[0] - last_print >= 60 or len(run.samples) == 1:
                last_print = x[0]
                print("soak: %4.0fs  VmRSS %s MB (anon %s MB)  threads %d  fds %d  requests %d" % (
                    x[0], mb(x[1]), mb(x[2]), x[4], x[5], x[6]), file=sys.stderr)
    wall = min(now(), run.deadline) - run.t0
    if not run.stop.is_set() and run.server_alive() and (not run.samples or now() - run.t0 - run.samples[-1][0] > 2):
        run.sample()  # the end of the load, with everything still connected
    run.stop.set()
    run.kill_import()
    join_by = now() + max(a.timeout, 5) + 40  # slow readers may drain for 30 s
    for t in threads:
        t.join(timeout=max(join_by - now(), 0.1))
    alive = run.server_alive()
    time.sleep(2)
    idle = None
    if alive:
        hold = run.samples
        run.samples = []
        if run.sample():
            idle = run.samples[0]
        run.samples = hold
    hz = healthz(a) if alive else "not asked"
    text, ok = report(run, a, alive, hz, idle, wall)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
