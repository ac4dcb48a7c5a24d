"""The check-in timer's load benchmark (bench/checkin.sh; issue 13).

Starts the real server (build/waypost) with a fake SMS gateway and webhook
sink (tests/http/checkin_fakes.py), creates TIMERS check-ins through the API
whose ends are spread evenly over WINDOW seconds after a lead time (every
tenth asks for the responder only, so its alert goes out as a signed
webhook at once; the others text a number of their own), then waits until
every timer has come due and measures, for each one, the delivery lateness:
when its alert reached the gateway minus its due time. Reports delivered /
expected, lost, duplicates (same Idempotency-Key twice), lateness p50 / p99
/ max, the server's own firing-lateness histogram, and with --outage S the
gateway answering 503 for the first S seconds of the window, then, per
channel, the count of deliveries due over 1 s before one already delivered.

    python3 bench/checkin_load.py --timers 10000 --window 600
"""
import argparse
import json
import os
import re
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from checkin_fakes import FakeGateway, verify_signature  # noqa: E402
from harness import Server  # noqa: E402

SECRET = "bench-secret"


def pct(xs, p):
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))] if xs else None


def create(srv, n, window, lead):
    dues = {}
    t0 = time.time()
    for i in range(n):
        secs = lead + int(window * i / n)
        obj = {"seconds": secs, "where": "bench %d" % i, "name": "b%d" % i}
        if i % 10 == 9:
            obj["responder"] = True
        else:
            obj["sms"] = "+1303%07d" % i
        st, _, data, _ = srv.request("POST", "/api/v1/checkins", {"Content-Type": "application/json"},
                                     json.dumps(obj).encode())
        if st != 201:
            raise SystemExit("start %d: %d %s" % (i, st, data[:200]))
        dues[obj["name"]] = (json.loads(data)["due_ms"] / 1000.0, obj.get("sms"))
    return dues, time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timers", type=int, default=10000)
    ap.add_argument("--window", type=float, default=600.0)
    ap.add_argument("--outage", type=float, default=0.0, help="gateway answers 503 for this many seconds")
    a = ap.parse_args()
    gw = FakeGateway()
    cfg = ("[notify]\nsms_url = %s/sms\nsms_from = +15035559999\n[checkin]\nresponder_webhook = %s/hook\n"
           "webhook_secret = %s\nmin_seconds = 1\nwarn_seconds = 0\nstarts_per_hour = 0\n" % (gw.url, gw.url, SECRET))
    srv = Server(config_text=cfg)
    lead = max(30, int(a.timers / 300) + 15)  # every timer created before the first comes due
    dues, took = create(srv, a.timers, a.window, lead)
    print("created %d timers in %.1f s; due from +%d s over %.0f s" % (a.timers, took, lead, a.window), flush=True)
    if a.outage:
        first = min(d for d, _ in dues.values())
        while time.time() < first:
            time.sleep(0.05)
        gw.down = True
        time.sleep(a.outage)
        gw.down = False
        print("gateway back after %.0f s of 503s" % a.outage, flush=True)
    last = max(d for d, _ in dues.values())
    deadline = last + 120
    while time.time() < deadline:
        if len(delivered(gw)) >= a.timers and time.time() > last:
            break
        time.sleep(1)
    metrics = srv.metrics()
    srv.cleanup()
    gw.stop()
    report(a, gw, dues, metrics)


def delivered(gw):
    """name -> first successful delivery (arrival time, record)."""
    out = {}
    with gw.lock:
        reqs = list(gw.requests)
    for r in reqs:
        if r["status"] >= 300:
            continue
        if "json" in r and r["json"]:
            name = r["json"].get("name")
        else:
            m = re.search(r"^(b\d+) asked", (r.get("form") or {}).get("Body", ""))
            name = m.group(1) if m else None
        if name and name not in out:
            out[name] = (r["at"], r)
    return out


def report(a, gw, dues, metrics):
    got = delivered(gw)
    keys = {}
    bad_sig = 0
    for r in gw.requests:
        if r["status"] >= 300:
            continue
        k = r["headers"].get("idempotency-key")
        keys[k] = keys.get(k, 0) + 1
        if "json" in r and not verify_signature(r, SECRET, max_age=3600):
            bad_sig += 1
    late = sorted(got[n][0] - dues[n][0] for n in got if n in dues)
    lost = [n for n in dues if n not in got]
    def inversions(names):
        """Deliveries of one channel whose due time is over 1 s before an earlier delivery's."""
        order = sorted(((got[n][0], dues[n][0]) for n in names if n in got and n in dues))
        worst, count, most = None, 0, 0.0
        for _, due in order:
            if worst is not None and due < worst - 1.0:
                count += 1
            if worst is not None:
                most = max(most, worst - due)
            worst = due if worst is None else max(worst, due)
        return {"over_1s": count, "max_s": round(most, 2)}
    sms_names = [n for n in dues if dues[n][1]]
    hook_names = [n for n in dues if not dues[n][1]]
    m = re.findall(r'waypost_checkin_lateness_seconds_bucket\{le="([^"]+)"\} (\d+)', metrics)
    out = {"timers": a.timers, "window_s": a.window, "outage_s": a.outage, "delivered": len(got),
           "lost": len(lost), "requests": len(gw.requests),
           "duplicates": sum(v - 1 for v in keys.values() if v > 1),
           "bad_signatures": bad_sig,
           "lateness_p50_s": round(pct(late, 50), 3) if late else None,
           "lateness_p99_s": round(pct(late, 99), 3) if late else None,
           "lateness_max_s": round(late[-1], 3) if late else None,
           "order_inversions": {"sms": inversions(sms_names), "webhook": inversions(hook_names)},
           "server_firing_lateness_buckets": {k: int(v) for k, v in m}}
    print(json.dumps(out, indent=1))
    ok = not lost and bad_sig == 0 and (a.outage or (late and pct(late, 99) <= 1.0))
    print("checkin bench: %s" % ("PASS" if ok else "FAIL"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
