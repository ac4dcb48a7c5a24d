"""The never-use-alone check-in timer and the outbox under it (issue 13),
over HTTP against the real server with local fakes (checkin_fakes.py): a
Twilio-shaped SMS gateway, an SMTP sink and a webhook receiver, all started
by these tests. One check-in server with short timers (min_seconds 1,
warn_seconds 2, escalate_seconds 3) is shared by the tests here; each test
uses its own phone numbers and names so they do not see each other's
messages. The crash test (checkin_crash.py) runs its short version here.

Every test takes the shared server of run.py (unused: the check-in needs
its own settings)."""
import atexit
import base64
import functools
import json
import os
import random
import re
import shutil
import sqlite3
import time

from checkin_crash import run_crash
from checkin_fakes import FakeGateway, SmtpSink, verify_signature
from harness import Server

TESTS = []
SECRET = "s3cret-for-tests"
_ENV = {}
_NUM = [random.randint(1000, 8000)]


def test(fn):
    """Registers fn; it ignores run.py's shared server and uses env()."""
    @functools.wraps(fn)
    def run(_shared=None):
        fn()
    TESTS.append(run)
    return fn


def config_for(gw, smtp):
    """The check-in configuration that sends through the fakes gw and smtp."""
    return """[site]
org_name = Test Outreach
[notify]
sms_url = %s/2010-04-01/Accounts/AC1/Messages.json
sms_user = AC1
sms_password = tok
sms_from = +15035559999
smtp_url = %s
mail_from = alerts@example.org
[checkin]
responder_sms = +15035550999
responder_email = responder@example.org
responder_webhook = %s/hook
webhook_secret = %s
warn_seconds = 2
escalate_seconds = 3
min_seconds = 1
starts_per_hour = 0
""" % (gw.url, smtp.url, gw.url, SECRET)


def env():
    """The shared check-in server and its fakes, started on first use."""
    if not _ENV:
        gw, smtp = FakeGateway(), SmtpSink()
        srv = Server(config_text=config_for(gw, smtp))
        _ENV.update(gw=gw, smtp=smtp, srv=srv)

        def stop():
            srv.cleanup()
            gw.stop()
            smtp.stop()
        atexit.register(stop)
    return _ENV["srv"], _ENV["gw"], _ENV["smtp"]


def number():
    _NUM[0] += 1
    return "+1503555%04d" % (_NUM[0] % 10000)


def api(srv, method, path, obj=None, raw=None):
    body = raw if raw is not None else (json.dumps(obj).encode() if obj is not None else None)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    st, h, data, _ = srv.request(method, path, headers=headers, body=body)
    try:
        return st, json.loads(data) if data else None, h
    except ValueError:
        return st, data, h


def start(srv, **kw):
    st, j, _ = api(srv, "POST", "/api/v1/checkins", kw)
    assert st == 201, (st, j)
    assert re.fullmatch(r"[0-9a-f]{32}", j["token"]) and j["url"] == "/checkin/" + j["token"], j
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", j["due_at"]), j
    return j["token"]


def state(srv, token):
    st, j, _ = api(srv, "GET", "/api/v1/checkins/" + token)
    assert st == 200, (st, j)
    return j


def link_token(text):
    m = re.search(r"/checkin/([0-9a-f]{32})", text)
    assert m, text
    return m.group(1)


@test
def start_check_in_and_page():
    srv, gw, _ = env()
    n = number()
    t = start(srv, seconds=600, where="Flat 2B, blue door, code 4471", name="Robin", sms=n)
    j = state(srv, t)
    assert j["state"] == "running" and j["role"] == "owner" and 590 <= j["seconds_left"] <= 600, j
    assert j["where"] == "Flat 2B, blue door, code 4471" and j["sms"] == n and j["name"] == "Robin"
    st, h, body, _ = srv.get("/checkin/" + t)
    page = body.decode()
    assert st == 200 and 'http-equiv="refresh"' in page and "I'm OK" in page and "Add 5 minutes" in page
    assert "does not call 911" in page and "800-484-3731" in page and "Flat 2B" in page
    assert h.get("cache-control") == "no-store" and "set-cookie" not in h
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/ok" % t)
    assert st == 200 and j["state"] == "ok" and j["seconds_left"] == 0, j
    assert [e["kind"] for e in j["events"]] == ["started", "ok"], j["events"]
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/ok" % t)
    assert st == 200 and j["state"] == "ok"  # twice: the first answer stands
    assert not gw.sms_to(n)


@test
def form_without_javascript():
    srv, gw, _ = env()
    st, _, body, _ = srv.get("/checkin")
    page = body.decode()
    assert st == 200 and "does not call 911" in page and "800-484-3731" in page and "What your contacts" in page
    for m in ["5", "10", "15", "30", "60"]:
        assert 'value="%s"' % m in page
    assert 'name="responder"' in page and 'name="sms"' in page and 'name="email"' in page
    n = number()
    form = "minutes=10&where=Room+12&name=Ari&sms=%s" % n.replace("+", "%2B")
    st, h, _, _ = srv.request("POST", "/checkin", {"Content-Type": "application/x-www-form-urlencoded"},
                              form.encode())
    assert st == 303 and re.fullmatch(r"/checkin/[0-9a-f]{32}", h["location"]), (st, h)
    t = h["location"].rsplit("/", 1)[1]
    assert 595 <= state(srv, t)["seconds_left"] <= 600
    st, h, _, _ = srv.request("POST", "/checkin/%s/extend" % t, {"Content-Type": "application/x-www-form-urlencoded"},
                              b"minutes=5")
    assert st == 303 and h["location"] == "/checkin/" + t
    assert 895 <= state(srv, t)["seconds_left"] <= 900
    st, h, _, _ = srv.request("POST", "/checkin/%s/cancel" % t, {"Content-Type": "application/x-www-form-urlencoded"},
                              b"")
    assert st == 303 and state(srv, t)["state"] == "cancelled"
    st, _, body, _ = srv.request("POST", "/checkin", {"Content-Type": "application/x-www-form-urlencoded"},
                                 b"minutes=10&where=&sms=123")
    page = body.decode()
    assert st == 400 and 'id="wp-errors"' in page and 'href="#ck-where"' in page, page


@test
def extend_and_its_limits():
    srv, _, _ = env()
    t = start(srv, seconds=600, where="x", sms=number())
    due = state(srv, t)["due_ms"]
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/extend" % t, {"seconds": 300})
    assert st == 200 and j["due_ms"] == due + 300000, (j["due_ms"], due)
    assert [e["kind"] for e in j["events"]] == ["started", "extended"]
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/extend" % t, {"seconds": 7000})
    assert st == 409, (st, j)  # more than two hours from now
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/extend" % t, {"seconds": "ten"})
    assert st == 400 and j["error"]["parameter"] == "seconds", j
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/extend" % t)  # no body: 5 minutes
    assert st == 200 and j["due_ms"] == due + 600000


@test
def cancel_sends_nothing():
    srv, gw, _ = env()
    n = number()
    t = start(srv, seconds=2, where="x", sms=n)
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/cancel" % t)
    assert st == 200 and j["state"] == "cancelled"
    time.sleep(3.5)
    assert state(srv, t)["state"] == "cancelled" and not gw.sms_to(n)


@test
def bad_requests_answer_4xx():
    srv, _, _ = env()
    cases = [({"seconds": 0, "where": "x", "sms": "+15035550100"}, "seconds"),
             ({"seconds": 7201, "where": "x", "sms": "+15035550100"}, "seconds"),
             ({"seconds": 60, "sms": "+15035550100"}, "where"),
             ({"seconds": 60, "where": "x", "sms": "5550100"}, "sms"),
             ({"seconds": 60, "where": "x", "email": "not-an-address"}, "email"),
             ({"seconds": 60, "where": "x"}, "sms"),
             ({"seconds": 60, "where": "x" * 501, "sms": "+15035550100"}, "where"),
             ({"seconds": 60, "where": "x", "sms": "+15035550100", "extra": 1}, "body"),
             ({"seconds": "60", "where": "x", "sms": "+15035550100"}, "body")]
    for obj, field in cases:
        st, j, _ = api(srv, "POST", "/api/v1/checkins", obj)
        assert st == 400 and j["error"]["parameter"] == field, (obj, st, j)
    for raw in [b"", b"[]", b"{", b'{"seconds": 60, "seconds": 61}', b"\xff"]:
        st, j, _ = api(srv, "POST", "/api/v1/checkins", raw=raw)
        assert st == 400, (raw, st, j)
    for path in ["/api/v1/checkins/" + "0" * 32, "/api/v1/checkins/nope", "/api/v1/checkins/" + "A" * 32]:
        st, _, _ = api(srv, "GET", path)
        assert st == 404, path
    st, _, _ = api(srv, "POST", "/api/v1/checkins/%s/ok" % ("0" * 32))
    assert st == 404
    t = start(srv, seconds=600, where="x", sms=number())
    st, _, _ = api(srv, "POST", "/api/v1/checkins/%s/frobnicate" % t)
    assert st == 404
    st, _, _ = api(srv, "POST", "/api/v1/checkins/%s/ack" % t)
    assert st == 409  # nobody has been alerted yet
    st, _, _, _ = srv.get("/checkin/" + "f" * 32)
    assert st == 404


@test
def warning_then_alert_with_links():
    srv, gw, smtp = env()
    own, friend = number(), number()
    t = start(srv, seconds=4, where="Back room, 12 Elm St", name="Casey", sms=friend, own_sms=own,
              own_email="casey@example.org")
    warn = gw.wait(lambda: gw.sms_to(own), 6)
    assert warn, "no warning SMS"
    assert "I'm OK" in warn[0]["form"]["Body"] and warn[0]["form"]["From"] == "+15035559999"
    assert warn[0]["at"] < state(srv, t)["due_ms"] / 1000.0, "the warning came after the end"
    assert gw.wait(lambda: smtp.to("casey@example.org"), 5), "no warning email"
    alert = gw.wait(lambda: gw.sms_to(friend), 6)
    assert alert, "no alert SMS"
    body = alert[0]["form"]["Body"]
    assert "Casey" in body and "Back room, 12 Elm St" in body and "/overdose" in body, body
    # the warning's link is the person's own: it opens their page and checks in
    wt = link_token(warn[0]["form"]["Body"])
    assert wt != t and state(srv, wt)["role"] == "owner"
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/ok" % wt)
    assert st == 200 and j["state"] == "ok"
    clear = gw.wait(lambda: [r for r in gw.sms_to(friend) if "checked in" in r["form"]["Body"]], 6)
    assert clear, "the contact was not told the person is OK"


@test
def escalation_to_the_responder_and_signature():
    srv, gw, smtp = env()
    friend, name = number(), "Jo%d" % random.randint(1000, 9999)
    t = start(srv, seconds=1, where="Under the bridge by 5th", name=name, sms=friend,
              email="friend-%s@example.org" % name, responder=True)
    alert = gw.wait(lambda: gw.sms_to(friend), 6)
    assert alert and name in alert[0]["form"]["Body"] and "responder" in alert[0]["form"]["Body"]
    r = alert[0]
    assert r["headers"]["authorization"] == "Basic " + base64.b64encode(b"AC1:tok").decode()
    assert re.fullmatch(r"[0-9a-f]{32}", r["headers"]["idempotency-key"])
    assert r["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
    mail = gw.wait(lambda: smtp.to("friend-%s@example.org" % name), 5)
    assert mail and name in mail[0]["subject"] and "Under the bridge by 5th" in mail[0]["body"], mail
    assert mail[0]["msg"]["Idempotency-Key"] and mail[0]["msg"]["Message-ID"]
    hooks = gw.wait(lambda: [h for h in gw.webhooks() if h["json"]["name"] == name], 8)
    assert hooks, "no responder webhook"
    h = hooks[0]
    assert h["json"]["event"] == "checkin.escalated" and h["json"]["where"] == "Under the bridge by 5th"
    assert verify_signature(h, SECRET), h["headers"]
    assert not verify_signature(h, "wrong-secret")
    tampered = dict(h, raw=h["raw"].replace(b"bridge", b"bridgf"))
    assert not verify_signature(tampered, SECRET)
    assert gw.wait(lambda: [x for x in gw.sms_to("+15035550999") if name in x["form"]["Body"]], 5)
    assert gw.wait(lambda: [m for m in smtp.to("responder@example.org") if name in m["body"]], 5)
    told = gw.wait(lambda: [x for x in gw.sms_to(friend) if "responder has been alerted" in x["form"]["Body"]], 5)
    assert told, "the contact was not told the responder was alerted"
    j = state(srv, t)
    assert j["state"] == "escalated" and [e["kind"] for e in j["events"]] == ["started", "alerted", "escalated"]
    kinds = sorted(m["kind"] for m in j["messages"])
    assert kinds.count("alert") == 2 and kinds.count("responder") == 3 and kinds.count("responder_told") == 2, kinds


@test
def acknowledgement_stops_the_escalation():
    srv, gw, _ = env()
    friend, name = number(), "Lee%d" % random.randint(1000, 9999)
    t = start(srv, seconds=1, where="Car park level 3", name=name, sms=friend, responder=True)
    alert = gw.wait(lambda: gw.sms_to(friend), 6)
    assert alert
    ack = link_token(alert[0]["form"]["Body"])
    st, _, body, _ = srv.get("/checkin/" + ack)
    page = body.decode()
    assert st == 200 and "Car park level 3" in page and "on my way" in page and "/ack" in page, page
    assert "+1503" not in page  # a contact does not see the numbers
    st, j, _ = api(srv, "POST", "/api/v1/checkins/%s/cancel" % ack)
    assert st == 403, (st, j)  # a contact's link only acknowledges
    st, h, _, _ = srv.request("POST", "/checkin/%s/ack" % ack, {"Content-Type": "application/x-www-form-urlencoded"},
                              b"")
    assert st == 303
    j = state(srv, t)
    assert j["acknowledged"] and ["acknowledged", "sms"] in [[e["kind"], e["detail"]] for e in j["events"]], j
    time.sleep(4.5)  # past escalate_seconds
    j = state(srv, t)
    assert j["state"] == "alerted", j
    assert not [h for h in gw.webhooks() if h["json"]["name"] == name]
    assert not [x for x in gw.sms_to("+15035550999") if name in x["form"]["Body"]]


@test
def retries_after_5xx_keep_the_key():
    srv, gw, _ = env()
    n = number()
    gw.plans[n] = [500, 503]
    t = start(srv, seconds=1, where="x", sms=n)
    got = gw.wait(lambda: len(gw.sms_to(n)) >= 3 and gw.sms_to(n), 12)
    assert got and len(got) == 3, len(gw.sms_to(n))
    assert len({r["headers"]["idempotency-key"] for r in got}) == 1
    # the SMS gateway breaker's probes: 125-250 ms after the first failure, then 250-500 ms
    assert got[1]["at"] - got[0]["at"] >= 0.1 and got[2]["at"] - got[1]["at"] >= 0.2, [r["at"] for r in got]
    time.sleep(0.5)
    m = [m for m in state(srv, t)["messages"] if m["kind"] == "alert"]
    assert m and m[0]["state"] == "sent" and m[0]["attempts"] == 3, m
    assert "waypost_notify_messages_total{event=\"retried\"}" in srv.metrics()


@test
def no_retry_after_4xx():
    srv, gw, _ = env()
    n = number()
    gw.plans[n] = [400]
    t = start(srv, seconds=1, where="x", sms=n)
    assert gw.wait(lambda: gw.sms_to(n), 6)
    time.sleep(3)
    assert len(gw.sms_to(n)) == 1
    m = [m for m in state(srv, t)["messages"] if m["kind"] == "alert"]
    assert m and m[0]["state"] == "failed" and m[0]["attempts"] == 1, m


@test
def unconfirmed_number_limited_to_3_an_hour():
    srv, _, _ = env()
    n = number()
    for _ in range(3):
        start(srv, seconds=600, where="x", sms=n)
    st, j, h = api(srv, "POST", "/api/v1/checkins", {"seconds": 600, "where": "x", "sms": n})
    assert st == 429 and int(h["retry-after"]) > 0, (st, j)


@test
def confirmed_contact_not_limited_even_after_a_restart():
    _, gw, smtp = env()
    first = Server(config_text=config_for(gw, smtp))
    second = None
    try:
        friend, other = number(), number()
        start(first, seconds=1, where="x", sms=friend)
        alert = gw.wait(lambda: gw.sms_to(friend), 6)
        assert alert
        ack = link_token(alert[0]["form"]["Body"])
        st, _, _ = api(first, "POST", "/api/v1/checkins/%s/ack" % ack)
        assert st == 200, st
        for _ in range(4):  # confirmed: past the 3 an hour an unconfirmed number gets
            start(first, seconds=600, where="x", sms=friend)
        first.stop()
        second = Server(config_text=config_for(gw, smtp), db=first.db)  # same database and key
        for _ in range(4):
            start(second, seconds=600, where="x", sms=friend)
        for _ in range(3):
            start(second, seconds=600, where="x", sms=other)
        st, j, _ = api(second, "POST", "/api/v1/checkins", {"seconds": 600, "where": "x", "sms": other})
        assert st == 429, (st, j)  # never confirmed: still limited
        with open(first.db, "rb") as f:
            raw = f.read()
        assert friend.encode() not in raw and friend[2:].encode() not in raw  # only a keyed hash is kept
    finally:
        if second:
            second.stop()
            shutil.rmtree(second.dir, ignore_errors=True)
        first.cleanup()


@test
def stored_encrypted_and_metrics():
    srv, gw, _ = env()
    secret_where, n = "Secret-place-%d" % random.randint(10 ** 6, 10 ** 7), number()
    start(srv, seconds=1, where=secret_where, name="Quinn", sms=n)
    assert gw.wait(lambda: gw.sms_to(n), 6)
    con = sqlite3.connect(srv.db)
    con.execute("PRAGMA wal_checkpoint(FULL)")
    con.close()
    for path in [srv.db, srv.db + "-wal"]:
        if os.path.exists(path):
            with open(path, "rb") as f:
                data = f.read()
            assert secret_where.encode() not in data and n.encode() not in data, path
    key = os.path.join(os.path.dirname(srv.db), "checkin.key")
    assert os.stat(key).st_mode & 0o777 == 0o600 and os.path.getsize(key) == 32
    text = srv.metrics()
    for needle in ['waypost_notify_messages_total{event="queued"}', 'waypost_notify_messages_total{event="sent"}',
                   'waypost_notify_messages_total{event="failed"}', "waypost_checkin_lateness_seconds_bucket",
                   "waypost_checkin_lateness_seconds_count"]:
        assert needle in text, needle
    m = re.search(r'waypost_checkin_lateness_seconds_bucket\{le="1"\} (\d+)', text)
    c = re.search(r"waypost_checkin_lateness_seconds_count (\d+)", text)
    assert int(m.group(1)) == int(c.group(1)) > 0, "a step fired more than a second late"


@test
def crash_short():
    """100 timers, 5 SIGKILLs: nothing lost, nothing sent for a check-in."""
    r = run_crash(timers=100, kills=5, window=12.0, log=lambda *a: None)
    assert r["lost"] == 0 and r["wrongly_sent"] == 0 and r["integrity"] == "ok", r
    assert r["kills"] >= 5 and r["alerted"] > 50, r


@test
def staff_see_counts_and_only_escalated_contents():
    """/staff/checkins: counts for moderators; the where-to-go text only of
    check-ins that escalated, and that view is an audit row."""
    import sqlite3
    from staff_client import Staff, new_account
    srv, gw, _ = env()
    quiet, loud = "Quiet corner %d" % random.randint(1000, 9999), "Loud corner %d" % random.randint(1000, 9999)
    t_ok = start(srv, seconds=30, where=quiet, sms=number())
    assert api(srv, "POST", "/api/v1/checkins/%s/ok" % t_ok)[0] == 200
    friend = number()
    t = start(srv, seconds=1, where=loud, name="Sam", sms=friend, responder=True)
    assert gw.wait(lambda: state(srv, t)["state"] == "escalated" or None, 15), state(srv, t)
    email, pw = new_account(srv, "moderator")
    s = Staff(srv)
    s.login(email, pw)
    status, h, body, _ = s.get("/staff/checkins")
    assert status == 200 and h["cache-control"] == "no-store"
    assert loud in body and quiet not in body, body[:3000]
    assert re.search(r'data-label="Checked in">[1-9]', body), body[:3000]
    db = sqlite3.connect(srv.db)
    rows = db.execute("SELECT actor, after FROM staff_audit WHERE action = 'checkin.view_escalated'").fetchall()
    db.close()
    assert any(a == email for a, _ in rows), rows
    assert Staff(srv).get("/staff/checkins")[0] == 303  # not signed in
