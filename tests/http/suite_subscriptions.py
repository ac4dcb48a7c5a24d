"""Alert subscriptions (issue 14) over HTTP against the real server and the
local fakes of checkin_fakes.py (a Twilio-shaped SMS gateway that is also
the partners' webhook receiver, and an SMTP sink): email double opt-in,
SMS confirmation by code and by reply, STOP through the inbound webhook,
unsubscribing deletes, List-Unsubscribe headers, publishing an alert
queues and delivers to matching subscribers only, partner webhooks signed
with the CAP document, and the admin-only /staff/webhooks page.

One server with its fakes is shared by the tests here; each test uses its
own ZIP codes, numbers and addresses so they do not see each other's
messages."""
import atexit
import datetime
import functools
import json
import random
import re
import sqlite3
import time
import urllib.parse

from checkin_fakes import FakeGateway, SmtpSink, verify_signature
from harness import Server
from staff_client import Staff, new_account, run

TESTS = []
SECRET = "hook-secret-for-tests"
INBOUND = "inbound-secret-0123456789"
_ENV = {}
_N = [random.randint(100, 800)]


def test(fn):
    """Registers fn; it ignores run.py's shared server and uses env()."""
    @functools.wraps(fn)
    def wrapped(_shared=None):
        fn()
    TESTS.append(wrapped)
    return fn


def env():
    if not _ENV:
        gw, smtp = FakeGateway(), SmtpSink()
        cfg = """[site]
org_name = Test Outreach
[staff]
public_url = https://alerts.example.org
[notify]
sms_url = %s/2010-04-01/Accounts/AC1/Messages.json
sms_user = AC1
sms_password = tok
sms_from = +15035559999
smtp_url = %s
mail_from = alerts@example.org
[checkin]
webhook_secret = %s
[subscriptions]
subscribes_per_hour = 0
sms_inbound_secret = %s
""" % (gw.url, smtp.url, SECRET, INBOUND)
        srv = Server(config_text=cfg)
        _ENV.update(gw=gw, smtp=smtp, srv=srv)

        def stop():
            srv.cleanup()
            gw.stop()
            smtp.stop()
        atexit.register(stop)
    return _ENV["srv"], _ENV["gw"], _ENV["smtp"]


def uniq():
    _N[0] += 1
    return _N[0]


def zip_code():
    return "9%04d" % (uniq() % 10000)


def phone():
    return "+1503556%04d" % (uniq() % 10000)


def form(srv, path, fields):
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    st, h, raw, _ = srv.request("POST", path, {"Content-Type": "application/x-www-form-urlencoded"}, body)
    return st, h, raw.decode("utf-8", "replace")


def get(srv, path):
    st, h, raw, _ = srv.request("GET", path)
    return st, h, raw.decode("utf-8", "replace")


def local(url):
    """The path and query of a link to https://alerts.example.org."""
    p = urllib.parse.urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")


def api_token(srv):
    rc, out, err = run(srv, "token", "add", "subs-%d-%d" % (uniq(), time.time() * 1000 % 100000), "--role", "editor")
    assert rc == 0, err
    return out.strip()


def publish(srv, tok, zips, headline=None, method="POST", path="/api/v1/alerts", **extra):
    doc = {"headline": headline or "Test alert %d" % uniq(), "substances": ["fentanyl"],
           "instruction": "Test first, do not use alone, carry naloxone.",
           "area": {"description": "Test area", "zips": zips}, "source": "outreach", "certainty": "Observed",
           "severity": "Severe", "urgency": "Immediate", "starts": iso(time.time() - 60),
           "expires": iso(time.time() + 86400), "status": "published"}
    doc.update(extra)
    st, h, raw, _ = srv.request(method, path, {"Authorization": "Bearer " + tok,
                                               "Content-Type": "application/json"}, json.dumps(doc).encode())
    assert st in (200, 201), (st, raw[:500])
    return json.loads(raw)


def subscribe_email(srv, smtp, address, zips):
    st, h, body = form(srv, "/subscribe", {"by": "email", "email": address, "zips": zips})
    assert st == 303 and h["location"] == "/subscribe/sent", (st, h, body[:500])
    msgs = _wait(lambda: smtp.to(address))
    assert msgs, "no confirmation email to %s" % address
    m = re.search(r"https://alerts\.example\.org(/subscribe/confirm\?t=[0-9a-f]{32})", msgs[-1]["body"])
    assert m, msgs[-1]["body"]
    return m.group(1)


def _wait(pred, timeout=15.0):
    end = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() > end:
            return v
        time.sleep(0.05)


def count(srv, sql, *args):
    db = sqlite3.connect(srv.db)
    try:
        return db.execute(sql, args).fetchone()[0]
    finally:
        db.close()


@test
def subscribe_page_works_without_cookie_and_names_bad_fields():
    srv, _, _ = env()
    st, h, body = get(srv, "/subscribe")
    assert st == 200 and "set-cookie" not in h, h
    assert 'name="zips"' in body and 'name="email"' in body and 'name="phone"' in body, body[:2000]
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    for fields, field in [({"by": "email", "email": "a@example.org", "zips": "abc"}, "zips"),
                          ({"by": "email", "email": "a@example.org"}, "area"),
                          ({"by": "email", "email": "not an address", "zips": "97214"}, "email"),
                          ({"by": "sms", "phone": "12", "zips": "97214"}, "phone"),
                          ({"by": "email", "email": "a@example.org", "zips": " ".join("9%04d" % i for i in range(11))},
                           "area")]:
        st, _, body = form(srv, "/subscribe", fields)
        assert st == 400, (fields, st)
        assert 'href="#sb-%s"' % field in body, (fields, body[:3000])
    st, _, _ = form(srv, "/subscribe", {"by": "fax", "zips": "97214"})
    assert st == 400


@test
def email_double_opt_in_then_unsubscribe_deletes():
    srv, _, smtp = env()
    address = "opt%d@example.org" % uniq()
    before = count(srv, "SELECT count(*) FROM sub_subscriber")
    link = subscribe_email(srv, smtp, address, zip_code())
    # a mail scanner fetching the link confirms nothing
    st, h, body = get(srv, link)
    assert st == 200 and 'action="/subscribe/confirm"' in body, body[:2000]
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before
    assert count(srv, "SELECT count(*) FROM sub_pending") >= 1
    t = link.split("t=")[1]
    st, _, body = form(srv, "/subscribe/confirm", {"t": t})
    assert st == 200 and "You are subscribed" in body, body[:2000]
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before + 1
    # the address is stored sealed only, the pending row is gone, and the link works once
    raw = open(srv.db, "rb").read()
    assert address.encode() not in raw
    st, _, _ = form(srv, "/subscribe/confirm", {"t": t})
    assert st == 404
    unsub = re.search(r'href="https://alerts\.example\.org(/unsubscribe\?id=\d+&amp;t=[0-9a-f]{32})"', body)
    assert unsub, body[:3000]
    path = unsub.group(1).replace("&amp;", "&")
    st, _, page = get(srv, path)
    assert st == 200 and 'action="/unsubscribe"' in page
    q = dict(urllib.parse.parse_qsl(path.split("?", 1)[1]))
    bad = dict(q, t="0" * 32)
    st, _, page = form(srv, "/unsubscribe", bad)
    assert st == 200 and "gets no drug alerts" in page
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before + 1
    st, _, page = form(srv, "/unsubscribe", q)
    assert st == 200 and "Your address is deleted" in page, page[:2000]
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before


@test
def sms_code_on_the_page_confirms():
    srv, gw, _ = env()
    number = phone()
    st, h, _ = form(srv, "/subscribe", {"by": "sms", "phone": number[2:5] + " " + number[5:8] + "-" + number[8:],
                                        "zips": zip_code()})
    assert st == 303 and h["location"].startswith("/subscribe/code?t="), (st, h)
    sms = gw.wait(lambda: gw.sms_to(number))
    assert sms, "no code texted to %s" % number
    code = re.search(r"code is (\d{6})", sms[-1]["form"]["Body"]).group(1)
    assert "STOP" in sms[-1]["form"]["Body"]
    t = h["location"].split("t=")[1]
    st, _, page = get(srv, h["location"])
    assert st == 200 and 'name="code"' in page
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    st, _, page = form(srv, "/subscribe/code", {"t": t, "code": wrong})
    assert st == 400 and "not right" in page
    st, _, page = form(srv, "/subscribe/code", {"t": t, "code": code})
    assert st == 200 and "You are subscribed" in page, page[:2000]


@test
def sms_reply_yes_confirms_and_stop_deletes():
    srv, gw, _ = env()
    number, z = phone(), zip_code()
    st, _, _ = form(srv, "/subscribe", {"by": "sms", "phone": number, "zips": z})
    assert st == 303
    assert gw.wait(lambda: gw.sms_to(number))
    hook = "/subscribe/sms/" + INBOUND
    st, _, _ = form(srv, "/subscribe/sms/wrong-secret-0123456789", {"From": number, "Body": "YES"})
    assert st == 403
    before = count(srv, "SELECT count(*) FROM sub_subscriber")
    st, h, body = form(srv, hook, {"From": number, "Body": " yes ", "MessageSid": "SM1", "AccountSid": "AC1"})
    assert st == 200 and h["content-type"].startswith("application/xml") and "you will get drug alerts" in body, body
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before + 1
    tok = api_token(srv)
    a = publish(srv, tok, [z])
    msgs = gw.wait(lambda: [m for m in gw.sms_to(number) if "drug alert: " in m["form"]["Body"]])
    assert msgs, gw.sms_to(number)
    text = msgs[-1]["form"]["Body"]
    assert "https://alerts.example.org/alerts/%d" % a["id"] in text and "reply STOP" in text, text
    assert "/unsubscribe?id=" in text
    st, _, body = form(srv, hook, {"From": number, "Body": "STOP"})
    assert st == 200 and "<Response>" in body
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before
    n = len(gw.sms_to(number))
    publish(srv, tok, [z])
    time.sleep(2.5)
    assert len(gw.sms_to(number)) == n, "a message after STOP"


@test
def publishing_delivers_to_matching_subscribers_only_with_list_unsubscribe():
    srv, _, smtp = env()
    z1, z2 = zip_code(), zip_code()
    near, far = "near%d@example.org" % uniq(), "far%d@example.org" % uniq()
    for address, z in [(near, z1), (far, z2)]:
        t = subscribe_email(srv, smtp, address, z).split("t=")[1]
        assert form(srv, "/subscribe/confirm", {"t": t})[0] == 200
    tok = api_token(srv)
    a = publish(srv, tok, [z1, "97999"], headline="Fentanyl in pressed pills %d" % uniq())
    got = _wait(lambda: [m for m in smtp.to(near) if m["subject"].startswith("Drug alert:")])
    assert got, smtp.to(near)
    m = got[-1]
    assert a["headline"] in m["subject"], m["subject"]
    assert "https://alerts.example.org/alerts/%d" % a["id"] in m["body"]
    lu = m["msg"]["List-Unsubscribe"]
    assert lu and lu.startswith("<https://alerts.example.org/unsubscribe?id="), lu
    assert m["msg"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert lu.strip("<>") in m["body"]
    time.sleep(1.5)
    assert not [x for x in smtp.to(far) if x["subject"].startswith("Drug alert:")], "a non-matching subscriber got it"
    # an update reaches no subscriber; a withdrawal does
    st, _, _, _ = srv.request("DELETE", "/api/v1/alerts/%d" % a["id"], {"Authorization": "Bearer " + tok,
                              "Content-Type": "application/json"}, json.dumps({"reason": "Test over."}).encode())
    assert st in (200, 204), st
    assert _wait(lambda: [x for x in smtp.to(near) if x["subject"].startswith("Withdrawn:")])
    # RFC 8058 one-click: a POST to the header's URL with List-Unsubscribe=One-Click
    before = count(srv, "SELECT count(*) FROM sub_subscriber")
    st, _, _ = form(srv, local(lu.strip("<>")), {"List-Unsubscribe": "One-Click"})
    assert st == 200
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before - 1


@test
def partner_webhooks_signed_json_with_cap_and_admin_only_page():
    srv, gw, _ = env()
    email, pw = new_account(srv, "admin")
    s = Staff(srv)
    s.login(email, pw)
    st, _, body, _ = s.get("/staff/webhooks")
    assert st == 200 and "Alert webhooks" in body, body[:1000]
    csrf = s.csrf("/staff/webhooks")
    st, _, body, _ = s.post("/staff/webhooks", {"csrf": csrf, "name": "Partner", "url": "ftp://x"})
    assert st == 400 and "https://" in body
    st, _, _, _ = s.post("/staff/webhooks", {"name": "No token", "url": gw.url + "/partner"})
    assert st == 403
    name = "Partner %d" % uniq()
    st, h, _, _ = s.post("/staff/webhooks", {"csrf": csrf, "name": name, "url": gw.url + "/partner"})
    assert st == 303, st
    assert count(srv, "SELECT count(*) FROM staff_audit WHERE action = 'webhook.add' AND actor = ?", email) == 1
    editor, epw = new_account(srv, "editor")
    e = Staff(srv)
    e.login(editor, epw)
    assert e.get("/staff/webhooks")[0] == 403
    tok = api_token(srv)
    a = publish(srv, tok, [zip_code()])
    hooks = gw.wait(lambda: [r for r in gw.webhooks() if r["path"] == "/partner" and r["json"]["id"] == a["id"]])
    assert hooks, gw.webhooks()
    r = hooks[-1]
    assert verify_signature(r, SECRET), r["headers"]
    j = r["json"]
    assert j["event"] == "alert.published" and j["msg_type"] == "Alert", j
    assert j["alert"]["headline"] == a["headline"] and j["url"].endswith("/alerts/%d" % a["id"])
    assert "urn:oasis:names:tc:emergency:cap:1.2" in j["cap"] and "<msgType>Alert</msgType>" in j["cap"]
    doc = dict(a)
    for k in ("id", "url", "cap_url", "uuid", "state", "active", "published_at", "updated_at", "history"):
        doc.pop(k, None)
    doc["headline"] = a["headline"] + " (updated)"
    st, _, raw, _ = srv.request("PUT", "/api/v1/alerts/%d" % a["id"], {"Authorization": "Bearer " + tok,
                                "Content-Type": "application/json"}, json.dumps(doc).encode())
    assert st == 200, raw[:500]
    up = gw.wait(lambda: [r for r in gw.webhooks() if r["path"] == "/partner" and r["json"]["id"] == a["id"]
                          and r["json"]["event"] == "alert.updated"])
    assert up and "<msgType>Update</msgType>" in up[-1]["json"]["cap"], up
    # removing it stops the webhooks, and is audited
    hid = re.search(r'action="/staff/webhooks/(\d+)/delete"', s.get("/staff/webhooks")[2]).group(1)
    st, _, _, _ = s.post("/staff/webhooks/%s/delete" % hid, {"csrf": csrf})
    assert st == 303
    assert count(srv, "SELECT count(*) FROM staff_audit WHERE action = 'webhook.delete'") >= 1


@test
def confirmation_messages_are_limited_per_address():
    srv, _, smtp = env()
    address = "limit%d@example.org" % uniq()
    z = zip_code()
    for i in range(3):
        st, _, _ = form(srv, "/subscribe", {"by": "email", "email": address, "zips": z})
        assert st == 303, (i, st)
    st, h, body = form(srv, "/subscribe", {"by": "email", "email": address.upper().replace("EXAMPLE", "example"),
                                           "zips": z})
    assert st in (303, 429)
    st, h, body = form(srv, "/subscribe", {"by": "email", "email": address, "zips": z})
    assert st == 429 and "retry-after" in h, (st, h)
