"""The check-in crash test (issue 13): starts timers against the real
server with a fake SMS gateway, kills the server with SIGKILL at random
moments while the timers come due (and while some people check in), restarts
it on the same database each time, then checks:

- lost: timers that came due and were not checked in first, with no alert
  delivered to their number (must be 0);
- wrongly_sent: timers checked in before they fired whose number got a
  message anyway (must be 0);
- duplicates: deliveries repeated with the same Idempotency-Key (a kill
  between sending and recording; allowed, reported);
- integrity: PRAGMA integrity_check on the database afterwards.

The short version runs in the HTTP tests (suite_checkin.crash_short: 100
timers, 5 kills); bench/checkin_crash.sh runs 1,000 timers and at least 20
kills: python3 tests/http/checkin_crash.py --timers 1000 --kills 25."""
import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkin_fakes import FakeGateway  # noqa: E402
from harness import Server  # noqa: E402


def _api(holder, method, path, obj=None, timeout=5):
    body = json.dumps(obj).encode() if obj is not None else None
    st, _, data, _ = holder["srv"].request(method, path, headers={"Content-Type": "application/json"} if body else {},
                                           body=body, timeout=timeout)
    return st, (json.loads(data) if data else None)


def _checkins(holder, plan, results, stop):
    """Checks in the chosen timers shortly before their end (when the server
    is up; a refused connection means that check-in did not happen)."""
    for at, token in sorted(plan):
        while time.time() < at and not stop.is_set():
            time.sleep(0.02)
        try:
            st, j = _api(holder, "POST", "/api/v1/checkins/%s/ok" % token, timeout=2)
            results[token] = (st, j)
        except OSError:
            results[token] = (None, None)


def _settled(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        now = int(time.time() * 1000)
        running = con.execute("SELECT count(*) FROM checkin WHERE next_at IS NOT NULL AND next_at <= ?",
                              (now,)).fetchone()[0]
        queued = con.execute("SELECT count(*) FROM notify_outbox WHERE state = 'queued'").fetchone()[0]
        return running == 0 and queued == 0
    finally:
        con.close()


def run_crash(timers=100, kills=5, window=12.0, checkin_share=0.2, log=print):
    gw = FakeGateway()
    work = tempfile.mkdtemp(prefix="waypost-crash-")
    db = os.path.join(work, "crash.db")
    cfg = ("[notify]\nsms_url = %s/sms\nsms_from = +15035559999\n[checkin]\nmin_seconds = 1\nwarn_seconds = 0\n"
           "starts_per_hour = 0\n" % gw.url)
    holder = {"srv": Server(config_text=cfg, db=db)}
    old = []
    numbers, tokens, plan = {}, [], []
    base = random.randint(0, 10 ** 6)
    for i in range(timers):
        n = "+1202%07d" % ((base + i) % 10 ** 7)
        secs = 2 + int(window * i / timers)
        st, j = _api(holder, "POST", "/api/v1/checkins", {"seconds": secs, "where": "crash %d" % i, "sms": n})
        assert st == 201, (st, j)
        numbers[j["token"]] = n
        tokens.append(j["token"])
        if random.random() < checkin_share:
            plan.append((j["due_ms"] / 1000.0 - random.uniform(0.1, 1.5), j["token"]))
    log("started %d timers over %.0f s; %d will check in" % (timers, window + 2, len(plan)))
    results, stop = {}, threading.Event()
    th = threading.Thread(target=_checkins, args=(holder, plan, results, stop), daemon=True)
    th.start()
    end = time.time() + window + 2
    done = 0
    for k in range(kills):
        time.sleep(random.uniform(0.2, max(0.3, 2 * (end - time.time()) / (kills - k))))
        srv = holder["srv"]
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
        srv.log.close()
        old.append(srv)
        time.sleep(random.uniform(0, 0.5))
        holder["srv"] = Server(config_text=cfg, db=db)
        done += 1
    log("%d kills done" % done)
    deadline = time.time() + max(60, window)
    while time.time() < end or not _settled(db):
        if time.time() > deadline:
            break
        time.sleep(0.3)
    stop.set()
    th.join(5)
    time.sleep(0.5)
    report = _analyse(holder, gw, tokens, numbers)
    holder["srv"].stop()
    con = sqlite3.connect(db)
    report["integrity"] = con.execute("PRAGMA integrity_check").fetchone()[0]
    report["outbox_not_sent"] = con.execute("SELECT count(*) FROM notify_outbox WHERE state != 'sent'").fetchone()[0]
    con.close()
    report.update(timers=timers, kills=done, checkins_tried=len(plan))
    for s in old + [holder["srv"]]:
        shutil.rmtree(s.dir, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    gw.stop()
    log(json.dumps(report, sort_keys=True))
    return report


def _analyse(holder, gw, tokens, numbers):
    by_number = {}
    keys = {}
    for r in gw.requests:
        to = (r.get("form") or {}).get("To")
        by_number.setdefault(to, []).append(r)
        k = r["headers"].get("idempotency-key")
        keys[k] = keys.get(k, 0) + 1
    lost = wrong = alerted = checked = 0
    late = []
    for t in tokens:
        st, j = _api(holder, "GET", "/api/v1/checkins/" + t)
        assert st == 200, (st, j)
        kinds = [e["kind"] for e in j["events"]]
        got = [r for r in by_number.get(numbers[t], []) if "did not check in" in r["form"]["Body"] or
               "have not checked in" in r["form"]["Body"]]
        if "alerted" in kinds:
            alerted += 1
            if not got:
                lost += 1
            else:
                late.append(min(r["at"] for r in got) - j["due_ms"] / 1000.0)
        elif j["state"] in ("ok", "cancelled"):
            checked += 1
            if by_number.get(numbers[t]):
                wrong += 1
        elif j["due_ms"] / 1000.0 < time.time():
            lost += 1  # came due and never fired
    late.sort()
    return {"lost": lost, "wrongly_sent": wrong, "alerted": alerted, "checked_in": checked,
            "duplicates": sum(v - 1 for v in keys.values()),
            "delivery_lateness_max_s": round(late[-1], 3) if late else None,
            "delivery_lateness_p50_s": round(late[len(late) // 2], 3) if late else None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timers", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=25)
    ap.add_argument("--window", type=float, default=60.0, help="seconds over which the timers come due")
    a = ap.parse_args()
    r = run_crash(a.timers, a.kills, a.window)
    ok = r["lost"] == 0 and r["wrongly_sent"] == 0 and r["integrity"] == "ok"
    print("crash test: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
