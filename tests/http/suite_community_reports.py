"""Anonymous community drug reports (issue 14, /report) and their place in
the staff report queue (/staff/reports): the form (303 to the thank-you
page, no cookie, nothing about the sender stored), each field's limit
answered 400 with the form again and the field named, the honeypot, the
minimum fill time (a signed stamp), the per-address limit, the masking of
phone numbers and emails, and moderation: review and dismiss (moderators,
CSRF, audit rows), "make an alert" (editors: the reports become
'alerted', the alert form comes filled, and the saved alert's audit row
names the reports). The suite runs its own servers (the fill time and
the limit are settings)."""
import atexit
import html
import re
import sqlite3
import time
import urllib.parse

from harness import Server
from staff_client import Staff, new_account

TESTS = []
_SRV = {}


def test(fn):
    TESTS.append(fn)
    return fn


def server(name="fast"):
    """fast: no fill time, no limit; slow: 2 s fill time; limited: 3 an hour."""
    if name not in _SRV:
        flags = {"fast": ("0", "0"), "slow": ("2", "0"), "limited": ("0", "3")}[name]
        s = Server("--community-report-min-seconds", flags[0], "--community-reports-per-hour", flags[1])
        _SRV[name] = s
        atexit.register(s.cleanup)
    return _SRV[name]


def sql(srv, query, args=()):
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def stamp(srv):
    st, h, body, _ = srv.get("/report")
    assert st == 200, st
    m = re.search(r'name="started" value="([^"]+)"', body.decode())
    assert m, body[:400]
    return m.group(1)


def good(srv, **over):
    form = {"started": stamp(srv), "sold_as": "oxy 30s", "seemed": "fentanyl strip positive",
            "effects": ["passed-out", "more-naloxone"], "note": "two people went out", "area": "97204",
            "when": "today", "looked": "light blue pills, M 30"}
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def post(srv, form):
    st, h, body, _ = srv.request("POST", "/report", {"Content-Type": "application/x-www-form-urlencoded"},
                                 urllib.parse.urlencode(form, doseq=True))
    return st, h, body.decode("utf-8", "replace")


def last_report(srv):
    rows = sql(srv, "SELECT id, day, area, sold_as, seemed, effects, note, looked, staff, status "
                    "FROM community_report ORDER BY id DESC LIMIT 1")
    return rows[0] if rows else None


def count(srv):
    return sql(srv, "SELECT count(*) FROM community_report")[0][0]


def field_error(body, field):
    m = re.search(r'id="rp-%s-error">([^<]*)<' % field, body)
    return html.unescape(m.group(1)) if m else None


@test
def form_page_says_what_happens_and_sets_no_cookie(_srv):
    srv = server()
    st, h, body, _ = srv.get("/report")
    t = body.decode()
    assert st == 200 and "set-cookie" not in h, (st, h)
    assert 'action="/report"' in t and "<script" not in t.split("</header>")[1].split("<footer")[0]
    for needle in ["reviewed", "What happens next", "Do not include names, addresses"]:
        assert needle in t, needle
    for name in ["sold_as", "seemed", "effects", "note", "area", "when", "looked", "staff", "website", "started"]:
        assert 'name="%s"' % name in t, name
    st, h, body, _ = srv.get("/report/thanks")
    assert st == 200 and "set-cookie" not in h and b"review every report before anything is published" in body


@test
def a_good_report_is_stored_without_the_sender(_srv):
    srv = server()
    st, h, body = post(srv, good(srv, staff="true"))
    assert st == 303 and h["location"] == "/report/thanks", (st, h, body[:300])
    assert "set-cookie" not in h
    rid, day, area, sold, seemed, eff, note, looked, staff, status = last_report(srv)
    assert (area, sold, seemed, eff, looked, staff, status) == (
        "97204", "oxy 30s", "fentanyl strip positive", "passed-out,more-naloxone", "light blue pills, M 30", 1,
        "new"), last_report(srv)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", day), day
    cols = [r[1] for r in sql(srv, "PRAGMA table_info(community_report)")]
    assert not [c for c in cols if "ip" == c or "addr" in c or "cookie" in c], cols
    # yesterday and this week are days before today; ZIP+4 keeps five digits
    post(srv, good(srv, when="yesterday", area=" 97205-1234 "))
    d2, a2 = last_report(srv)[1], last_report(srv)[2]
    assert a2 == "97205" and d2 < day, (d2, a2, day)
    post(srv, good(srv, when="this-week"))
    assert last_report(srv)[1] < d2


@test
def phones_and_emails_are_masked_before_storing(_srv):
    srv = server()
    note = "text me 503-555-0100 or (503) 555 0101, mail sam.x+1@example.org. Took 2 at 10:30, zip 97204, " \
           "on 2026-12-01."
    st, _, _ = post(srv, good(srv, note=note, looked="stamped M 30, call +1 503 555 0102"))
    assert st == 303
    row = last_report(srv)
    stored, looked = row[6], row[7]
    for secret in ["555-0100", "555 0101", "sam.x", "example.org", "555 0102"]:
        assert secret not in stored + looked, (secret, stored, looked)
    assert stored.count("[phone removed]") == 2 and "[email removed]" in stored, stored
    for kept in ["Took 2 at 10:30", "zip 97204", "2026-12-01"]:
        assert kept in stored, (kept, stored)
    assert looked == "stamped M 30, call [phone removed]", looked


@test
def each_field_over_its_limit_is_named_and_the_form_kept(_srv):
    srv = server()
    limits = {"sold_as": 100, "seemed": 200, "looked": 300, "note": 1000}
    for field, most in limits.items():
        before = count(srv)
        st, h, body = post(srv, good(srv, **{field: "é" * most}))  # characters, not bytes
        assert st == 303, (field, st, body[:300])
        st, h, body = post(srv, good(srv, **{field: "x" * (most + 1)}))
        assert st == 400, (field, st)
        msg = field_error(body, field)
        assert msg and str(most) in msg, (field, msg)
        assert count(srv) == before + 1, field
        assert 'aria-invalid="true"' in body and "x" * (most + 1) in body, field  # the value is kept
        assert "set-cookie" not in h
    # far over even the route's own cap: still a 400 naming the field
    st, _, body = post(srv, good(srv, note="x" * 9000))
    assert st == 400 and "note" in body, st


@test
def bad_choices_area_and_empty_reports_are_400(_srv):
    srv = server()
    before = count(srv)
    cases = [({"area": ""}, "area"), ({"area": "Main St 12"}, "area"), ({"area": "1234"}, "area"),
             ({"when": None}, "when"), ({"when": "last-year"}, "when"), ({"effects": ["explode"]}, "effects"),
             ({"sold_as": "a\x01b"}, "sold_as"),
             ({"sold_as": "", "seemed": "", "effects": [], "note": "", "looked": ""}, "sold_as")]
    for over, field in cases:
        st, _, body = post(srv, good(srv, **over))
        assert st == 400, (over, st)
        assert field_error(body, field), (over, field, re.findall(r'field-error[^>]*>([^<]*)', body))
    assert count(srv) == before
    # kept values: ticked effects and the chosen "when" stay chosen
    st, _, body = post(srv, good(srv, area="nowhere", effects=["seizure"], when="yesterday"))
    assert st == 400
    assert re.search(r'value="seizure" checked', body) and re.search(r'value="yesterday" checked', body)


@test
def honeypot_looks_done_and_keeps_nothing(_srv):
    srv = server()
    before = count(srv)
    st, h, _ = post(srv, good(srv, website="http://spam.example"))
    assert st == 303 and h["location"] == "/report/thanks", st
    assert count(srv) == before


@test
def minimum_fill_time_and_a_forged_stamp(_srv):
    srv = server("slow")
    before = count(srv)
    st, _, body = post(srv, good(srv))  # sent at once: 2 s are needed
    assert st == 400 and "quickly" in body, st
    fresh = re.search(r'name="started" value="([^"]+)"', body).group(1)
    for forged in ["", "1", "%d.%s" % (time.time() - 60, "0" * 32), fresh.replace(fresh[-1], "0" if
                                                                                   fresh[-1] != "0" else "1")]:
        form = good(srv)
        form["started"] = forged
        time.sleep(0.1)
        st, _, body = post(srv, form)
        assert st == 400 and "not sent from this page" in body or "quickly" in body, (forged, st)
    assert count(srv) == before
    form = good(srv)
    time.sleep(2.2)
    assert post(srv, form)[0] == 303
    assert count(srv) == before + 1


@test
def per_address_limit_is_429_with_retry_after(_srv):
    srv = server("limited")
    for _ in range(3):
        assert post(srv, good(srv))[0] == 303
    before = count(srv)
    st, h, body = post(srv, good(srv))
    assert st == 429 and int(h.get("retry-after", "0")) > 0, (st, h)
    assert count(srv) == before
    # a form with a mistake does not use up the allowance, and still names the field
    st, _, body = post(srv, good(srv, area="x"))
    assert st == 400


def signed_in(srv, role):
    email, pw = new_account(srv, role)
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def add_reports(srv, n, **over):
    ids = []
    for _ in range(n):
        assert post(srv, good(srv, **over))[0] == 303
        ids.append(last_report(srv)[0])
    return ids


def audit_rows(srv, action, target):
    return sql(srv, "SELECT actor, before, after FROM staff_audit WHERE action = ? AND target = ?", (action, target))


@test
def queue_groups_community_reports_by_substance_and_area(_srv):
    srv = server()
    a = add_reports(srv, 2, sold_as="Queue Grouped Pill", area="10001")
    b = add_reports(srv, 1, sold_as="queue grouped pill", area="10001", note="mail me q@example.org")
    c = add_reports(srv, 1, sold_as="Queue Grouped Pill", area="10002")
    mod, _ = signed_in(srv, "moderator")
    st, h, body, _ = mod.get("/staff/reports?kind=drug")
    assert st == 200, st
    groups = re.findall(r'<li class="report-group" id="g-\d+">\s*<h2>(.*?)</h2>(.*?)</ol>', body, re.S)
    mine = [(h2, inner) for h2, inner in groups if "queue grouped pill" in h2.lower()]
    assert len(mine) == 2, [g[0] for g in groups]
    first = [inner for h2, inner in mine if "10001" in h2][0]
    assert sorted(int(x) for x in re.findall(r'id="r-community-(\d+)"', first)) == sorted(a + b)
    ids = [int(x) for x in re.findall(r'id="r-community-(\d+)"', first)]
    assert ids == sorted(ids, reverse=True), ids  # newest first
    # the newest group comes first
    assert body.index('id="r-community-%d"' % c[0]) < body.index('id="r-community-%d"' % b[0])
    assert "q@example.org" not in body and "[email removed]" in body
    assert "Make an alert" not in body  # moderators cannot
    ed, _ = signed_in(srv, "editor")
    assert "Make an alert from the ticked reports" in ed.get("/staff/reports?kind=drug")[2]


@test
def moderators_review_and_dismiss_with_csrf_and_audit(_srv):
    srv = server()
    r1, r2 = add_reports(srv, 2, sold_as="Moderated Powder")
    mod, email = signed_in(srv, "moderator")
    csrf = mod.csrf("/staff/reports")
    st, _, _, _ = mod.post("/staff/reports/decide", {"report": r1, "source": "community", "action": "review"})
    assert st == 403  # no CSRF token
    st, _, _, _ = mod.post("/staff/reports/decide", {"csrf": "x" * 43, "report": r1, "source": "community",
                                                     "action": "review"})
    assert st == 403
    assert sql(srv, "SELECT status FROM community_report WHERE id = ?", (r1,))[0][0] == "new"
    st, h, _, _ = mod.post("/staff/reports/decide", {"csrf": csrf, "report": r1, "source": "community",
                                                     "action": "review"})
    assert st == 303 and "done=review" in h["location"], (st, h)
    st, _, _, _ = mod.post("/staff/reports/decide", {"csrf": csrf, "report": r2, "source": "community",
                                                     "action": "dismiss"})
    assert st == 303
    rows = dict(sql(srv, "SELECT id, status FROM community_report WHERE id IN (?, ?)", (r1, r2)))
    assert rows == {r1: "reviewed", r2: "dismissed"}, rows
    by = sql(srv, "SELECT decided_by, decided_at FROM community_report WHERE id = ?", (r1,))[0]
    assert by[0] == email and by[1] > 0
    assert audit_rows(srv, "report.review", "report:community:%d" % r1) == [
        (email, '{"status":"new"}', '{"status":"reviewed"}')]
    assert len(audit_rows(srv, "report.dismiss", "report:community:%d" % r2)) == 1
    # a community report is reviewed, not resolved; unknown ids are 404
    st, _, _, _ = mod.post("/staff/reports/decide", {"csrf": csrf, "report": r2, "source": "community",
                                                     "action": "resolve"})
    assert st == 400
    assert mod.post("/staff/reports/decide", {"csrf": csrf, "report": 999999, "source": "community",
                                              "action": "review"})[0] == 404
    # reopen puts it back to new
    assert mod.post("/staff/reports/decide", {"csrf": csrf, "report": r2, "source": "community",
                                              "action": "reopen"})[0] == 303
    assert sql(srv, "SELECT status, decided_by FROM community_report WHERE id = ?", (r2,))[0] == ("new", None)
    # the filter for reviewed reports shows it
    assert 'id="r-community-%d"' % r1 in mod.get("/staff/reports?status=reviewed")[2]


@test
def make_an_alert_marks_reports_and_fills_the_alert_form(_srv):
    srv = server()
    r = add_reports(srv, 2, sold_as="Alerted Oxy", seemed="nitazene", area="10003", looked="blue M30",
                    effects=["long-sedation"])
    r3 = add_reports(srv, 1, sold_as="Alerted Oxy", seemed="fentanyl", area="10003", staff="true",
                     looked="blue m30", when="yesterday")[0]
    mod, _ = signed_in(srv, "moderator")
    st, _, _, _ = mod.post("/staff/reports/alert", {"csrf": mod.csrf("/staff/reports"), "report": r})
    assert st == 403  # moderators cannot make alerts
    ed, email = signed_in(srv, "editor")
    st, _, _, _ = ed.post("/staff/reports/alert", {"report": r})
    assert st == 403  # no CSRF token
    assert {s for (s,) in sql(srv, "SELECT status FROM community_report WHERE id IN (?, ?)", tuple(r))} == {"new"}
    csrf = ed.csrf("/staff/reports")
    st, h, _, _ = ed.post("/staff/reports/alert", {"csrf": csrf, "report": r + [r3]})
    assert st == 303, st
    loc = h["location"]
    assert loc.startswith("/staff/alerts/new?"), loc
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
    assert q["sold_as"] == ["Alerted Oxy"] and q["area"] == ["10003"] and q["zips"] == ["10003"], q
    assert set(q["substances"][0].split(", ")) == {"nitazene", "fentanyl"}, q["substances"]
    assert q["appearance"] == ["blue M30"] and "Long sedation" in q["effects"][0], q
    assert q["source"] == ["community-report"] and "Alerted Oxy" in q["headline"][0], q
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", q["seen_on"][0]), q
    assert "3 community reports (1 from staff or outreach)" in q["description"][0], q["description"]
    assert sorted(q["from"][0].split(",")) == sorted("report:%d" % i for i in r + [r3]), q["from"]
    rows = {s for (s,) in sql(srv, "SELECT status FROM community_report WHERE id IN (?, ?, ?)", tuple(r + [r3]))}
    assert rows == {"alerted"}, rows
    for i in r + [r3]:
        assert audit_rows(srv, "report.alert", "report:community:%d" % i) == [
            (email, '{"status":"new"}', '{"status":"alerted"}')]
    # the alert form comes filled; nothing is saved yet
    alerts_before = sql(srv, "SELECT count(*) FROM alert")[0][0]
    st, _, body, _ = ed.get(loc)
    assert st == 200, st
    assert 'value="Alerted Oxy"' in body and 'name="from" value="%s"' % html.escape(q["from"][0]) in body
    assert re.search(r'<textarea id="f-appearance"[^>]*>blue M30</textarea>', body)
    assert sql(srv, "SELECT count(*) FROM alert")[0][0] == alerts_before
    # saving it writes "from" into the alert's audit row
    form = {"csrf": csrf, "headline": q["headline"][0], "substances": "fentanyl", "sold_as": q["sold_as"][0],
            "area": q["area"][0], "zips": q["zips"][0], "seen_on": q["seen_on"][0], "source": "community-report",
            "certainty": "Likely", "severity": "Severe", "urgency": "Immediate", "effects": q["effects"][0],
            "description": q["description"][0], "instruction": "Carry naloxone. Do not use alone.",
            "action": "draft", "from": q["from"][0]}
    st, h, body, _ = ed.post("/staff/alerts", form)
    assert st == 303, (st, re.findall(r'field-error[^>]*>([^<]*)', body))
    aid = int(re.search(r"/staff/alerts/(\d+)", h["location"]).group(1))
    after = sql(srv, "SELECT after FROM staff_audit WHERE action = 'alert.create' AND target = ?",
                ("alert:%d" % aid,))
    assert after and '"from":"%s"' % q["from"][0] in after[0][0], after
    # again: already alerted, nothing more logged; an unknown id is 404
    assert ed.post("/staff/reports/alert", {"csrf": csrf, "report": r})[0] == 303
    assert len(audit_rows(srv, "report.alert", "report:community:%d" % r[0])) == 1
    assert ed.post("/staff/reports/alert", {"csrf": csrf, "report": [r[0], 99999999]})[0] == 404
    assert ed.post("/staff/reports/alert", {"csrf": csrf})[0] == 400


@test
def alert_form_prefill_drops_a_bad_from(_srv):
    srv = server()
    ed, _ = signed_in(srv, "editor")
    st, _, body, _ = ed.get("/staff/alerts/new?headline=Spike%20seen&from=spike%3A4")
    assert st == 200 and 'value="Spike seen"' in body and 'name="from" value="spike:4"' in body
    st, _, body, _ = ed.get("/staff/alerts/new?headline=X&from=%3Cscript%3E")
    assert st == 200 and 'name="from"' not in body and "<script>" not in body
    assert ed.get("/staff/alerts/new?headline=" + "x" * 1001)[0] == 400  # the form's own limit
