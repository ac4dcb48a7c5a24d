"""The subscriptions benchmark (bench/subscribers.sh; issue 14): SUBS SMS
subscribers made through the real pages, one alert published, the time to
queue and to deliver their messages to the fake gateway.

    python3 bench/subscribers_load.py --subs 10000
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from checkin_fakes import FakeGateway  # noqa: E402
from harness import BIN, Server  # noqa: E402

INBOUND = "bench-inbound-secret-0123"


def post_form(srv, path, fields):
    st, _, data, _ = srv.request("POST", path, {"Content-Type": "application/x-www-form-urlencoded"},
                                 urllib.parse.urlencode(fields).encode())
    return st, data


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")


def alerts_to(gw):
    with gw.lock:
        return [r for r in gw.requests if "drug alert:" in (r.get("form") or {}).get("Body", "")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subs", type=int, default=10000)
    a = ap.parse_args()
    gw = FakeGateway()
    cfg = ("[site]\norg_name = Bench\n[notify]\nsms_url = %s/sms\nsms_from = +15035559999\n"
           "[subscriptions]\nsubscribes_per_hour = 0\nsms_inbound_secret = %s\n" % (gw.url, INBOUND))
    srv = Server(config_text=cfg)
    t0 = time.time()
    numbers = []
    for i in range(a.subs):
        number = "+1303%07d" % i
        z = "97214" if i % 10 else "10001"
        st, data = post_form(srv, "/subscribe", {"by": "sms", "phone": number, "zips": z})
        if st != 303:
            raise SystemExit("subscribe %d: %d %s" % (i, st, data[:200]))
        st, data = post_form(srv, "/subscribe/sms/" + INBOUND, {"From": number, "Body": "YES"})
        if st != 200 or b"you will get" not in data:
            raise SystemExit("confirm %d: %d %s" % (i, st, data[:200]))
        numbers.append((number, z))
    made = time.time() - t0
    print("subscribed and confirmed %d numbers in %.1f s" % (a.subs, made), flush=True)
    end = time.time() + 300
    while time.time() < end and len(gw.requests) < a.subs:
        time.sleep(0.5)
    print("confirmation texts delivered: %d" % len(gw.requests), flush=True)
    rc = subprocess.run([BIN, "token", "add", "bench", "--role", "editor", "--db", srv.db], cwd=ROOT,
                        capture_output=True, text=True)
    tok = rc.stdout.strip()
    doc = {"headline": "Bench alert: fentanyl in pressed pills", "substances": ["fentanyl"],
           "instruction": "Test first, do not use alone, carry naloxone.",
           "area": {"description": "Bench", "zips": ["97214"]}, "source": "outreach", "certainty": "Observed",
           "severity": "Severe", "urgency": "Immediate", "starts": iso(time.time() - 60),
           "expires": iso(time.time() + 86400), "status": "published"}
    want = sum(1 for _, z in numbers if z == "97214")
    t1 = time.time()
    st, _, data, _ = srv.request("POST", "/api/v1/alerts", {"Authorization": "Bearer " + tok,
                                                            "Content-Type": "application/json"},
                                 json.dumps(doc).encode())
    queued = time.time() - t1
    if st != 201:
        raise SystemExit("publish: %d %s" % (st, data[:300]))
    deadline = time.time() + 600
    while time.time() < deadline and len(alerts_to(gw)) < want:
        time.sleep(0.05)
    got = alerts_to(gw)
    done = (max(r["at"] for r in got) - t1) if got else float("nan")
    first = (min(r["at"] for r in got) - t1) if got else float("nan")
    time.sleep(2)
    got = alerts_to(gw)
    to = [r["form"]["To"] for r in got]
    wrong = sum(1 for n, z in numbers if z != "97214" and n in set(to))
    dups = len(to) - len(set(to))
    print("matching subscribers: %d of %d" % (want, a.subs))
    print("publish request (alert + %d messages queued in one transaction): %.2f s" % (want, queued))
    print("first message at the gateway: %.2f s after the request; last: %.2f s" % (first, done))
    print("delivered %d of %d (%.0f messages/s); to non-matching subscribers: %d; duplicates: %d"
          % (len(set(to)), want, len(set(to)) / done if done else 0, wrong, dups))
    srv.cleanup()
    gw.stop()
    return 0 if len(set(to)) == want and not wrong and not dups else 1


if __name__ == "__main__":
    sys.exit(main())
