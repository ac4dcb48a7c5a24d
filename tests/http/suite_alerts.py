"""Local drug alerts over HTTP (issue 12): the feeds validate (CAP 1.2 by
rules written from the OASIS specification and by an independent CAP
library from npm, Atom by RFC 4287's rules), conditional GETs answer 304,
the home page, fact sheets and /overdose show active alerts and drop them
to the second, the staff pages and API check roles, and bad input comes
back named with nothing saved. Each test takes the shared server."""
import datetime
import email.utils
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from harness import ROOT
from staff_client import Staff, new_account, run

TESTS = []
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
_n = [0]


def test(fn):
    TESTS.append(fn)
    return fn


def token(srv, role="editor"):
    _n[0] += 1
    rc, out, err = run(srv, "token", "add", "alerts-%s-%d-%d" % (role, _n[0], int(time.time() * 1000) % 100000),
                       "--role", role)
    assert rc == 0, err
    return out.strip()


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=-8))).isoformat(
        timespec="seconds")


def alert(**kw):
    a = {"headline": "Pills sold as oxycodone contain a nitazene", "substances": ["nitazenes"],
         "sold_as": "oxycodone M30", "appearance": "light blue round pills stamped M 30",
         "effects": "fast, deep sedation; needed several doses of naloxone",
         "area": {"description": "Southeast Portland", "zips": ["97214", "97215"],
                  "circle": {"lat": 45.51, "lon": -122.64, "radius_km": 5}},
         "seen_on": "2026-12-02", "source": "drug-checking", "certainty": "Observed", "severity": "Severe",
         "urgency": "Immediate", "instruction": "Test first, do not use alone, carry extra naloxone.",
         "starts": iso(time.time() - 3600), "expires": iso(time.time() + 30 * 86400), "language": "en",
         "status": "published"}
    a.update(kw)
    return a


def api(srv, method, path, tok=None, body=None, headers=None):
    h = dict(headers or {})
    if tok:
        h["Authorization"] = "Bearer " + tok
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    st, hd, raw, _ = srv.request(method, path, h, data)
    try:
        return st, hd, json.loads(raw) if raw else None
    except ValueError:
        return st, hd, raw


def post_alert(srv, tok, **kw):
    st, h, j = api(srv, "POST", "/api/v1/alerts", tok, alert(**kw))
    assert st == 201, (st, j)
    return j


def count_alerts(srv):
    db = sqlite3.connect(srv.db)
    try:
        return db.execute("SELECT count(*) FROM alert").fetchone()[0]
    finally:
        db.close()


# ---- CAP 1.2, from the specification's normative rules ----

DT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
ALERT_ORDER = ["identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction", "addresses",
               "code", "note", "references", "incidents", "info"]
INFO_ORDER = ["language", "category", "event", "responseType", "urgency", "severity", "certainty", "audience",
              "eventCode", "effective", "onset", "expires", "senderName", "headline", "description", "instruction",
              "web", "contact", "parameter", "resource", "area"]
AREA_ORDER = ["areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"]
ENUMS = {"status": {"Actual", "Exercise", "System", "Test", "Draft"},
         "msgType": {"Alert", "Update", "Cancel", "Ack", "Error"},
         "scope": {"Public", "Restricted", "Private"},
         "category": {"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra",
                      "CBRNE", "Other"},
         "responseType": {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear",
                          "None"},
         "urgency": {"Immediate", "Expected", "Future", "Past", "Unknown"},
         "severity": {"Extreme", "Severe", "Moderate", "Minor", "Unknown"},
         "certainty": {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}}


def names(el):
    out = []
    for c in el:
        assert c.tag.startswith(CAP), "element outside the CAP namespace: %s" % c.tag
        out.append(c.tag[len(CAP):])
    return out


def check_order(seq, order, required, where):
    pos = [order.index(n) if n in order else -1 for n in seq]
    assert -1 not in pos, "%s: unknown element in %s" % (where, seq)
    assert pos == sorted(pos), "%s: elements out of order: %s" % (where, seq)
    single = {n for n in order if n not in ("code", "info", "category", "responseType", "eventCode", "parameter",
                                            "resource", "area", "polygon", "circle", "geocode")}
    for n in single:
        assert seq.count(n) <= 1, "%s: %s more than once" % (where, n)
    for n in required:
        assert n in seq, "%s: %s is required" % (where, n)


def check_dt(text, what):
    assert DT.match(text or ""), "%s: not a CAP dateTime: %r" % (what, text)
    # 3.3.2: "Z" must not be used and UTC is written -00:00 (so +00:00 is not)
    assert not text.endswith("+00:00"), "%s: UTC must be written -00:00" % what


def validate_cap(xml_text):
    """Checks a CAP 1.2 message; returns the root element."""
    root = ET.fromstring(xml_text.encode())
    assert root.tag == CAP + "alert", root.tag
    seq = names(root)
    check_order(seq, ALERT_ORDER, ["identifier", "sender", "sent", "status", "msgType", "scope"], "alert")
    get = lambda n: root.find(CAP + n)
    for n in ("identifier", "sender"):
        assert re.match(r"^[^\s,<&]+$", get(n).text or ""), "%s has a space, comma, < or &" % n
    check_dt(get("sent").text, "sent")
    for n in ("status", "msgType", "scope"):
        assert get(n).text in ENUMS[n], (n, get(n).text)
    if get("scope").text == "Restricted":
        assert get("restriction") is not None
    if get("references") is not None:
        for ref in get("references").text.split(" "):
            parts = ref.split(",")
            assert len(parts) == 3 and parts[0] and parts[1], ref
            check_dt(parts[2], "references")
    for info in root.findall(CAP + "info"):
        iseq = names(info)
        check_order(iseq, INFO_ORDER, ["category", "event", "urgency", "severity", "certainty"], "info")
        for c in info:
            n = c.tag[len(CAP):]
            if n in ENUMS:
                assert c.text in ENUMS[n], (n, c.text)
            if n in ("effective", "onset", "expires"):
                check_dt(c.text, n)
        for res in info.findall(CAP + "resource"):
            check_order(names(res), ["resourceDesc", "mimeType", "size", "uri", "derefUri", "digest"],
                        ["resourceDesc", "mimeType"], "resource")
        for area in info.findall(CAP + "area"):
            check_order(names(area), AREA_ORDER, ["areaDesc"], "area")
            for c in area.findall(CAP + "circle"):
                assert re.match(r"^-?\d+(\.\d+)?,-?\d+(\.\d+)? \d+(\.\d+)?$", c.text), c.text
            for g in area.findall(CAP + "geocode"):
                assert names(g) == ["valueName", "value"], names(g)
    return root


def parse_with_library(texts):
    """The CAP messages as the npm library (@dec112/cap-ts) reads them."""
    import api
    api.ensure_ajv()
    files = []
    d = tempfile.mkdtemp(prefix="waypost-cap-")
    for i, t in enumerate(texts):
        p = os.path.join(d, "%d.cap" % i)
        with open(p, "w", encoding="utf-8") as f:
            f.write(t)
        files.append(p)
    p = subprocess.run(["node", os.path.join(ROOT, "tests/http/parse_cap.mjs")] + files, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


# ---- Atom, RFC 4287 ----

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[-+]\d\d:\d\d)$")


def atom_common(el, where, need_author):
    for n in ("id", "title", "updated"):
        assert len(el.findall(ATOM + n)) == 1, "%s: exactly one %s" % (where, n)
    assert re.match(r"^[a-z][a-z0-9+.-]*:\S+$", el.find(ATOM + "id").text), "%s: id is not an IRI" % where
    assert RFC3339.match(el.find(ATOM + "updated").text), "%s: updated is not RFC 3339" % where
    if need_author:
        assert el.findall(ATOM + "author"), "%s: no author" % where
        for a in el.findall(ATOM + "author"):
            assert a.find(ATOM + "name") is not None and a.find(ATOM + "name").text
    alt = [(l.get("type"), l.get("hreflang")) for l in el.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
    assert len(alt) == len(set(alt)), "%s: two alternate links of one type" % where
    for l in el.findall(ATOM + "link"):
        assert l.get("href"), where


def validate_atom(text):
    root = ET.fromstring(text.encode())
    assert root.tag == ATOM + "feed"
    feed_author = bool(root.findall(ATOM + "author"))
    atom_common(root, "feed", False)
    assert [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"], "feed: no self link"
    ids = set()
    for e in root.findall(ATOM + "entry"):
        atom_common(e, "entry", not feed_author)
        eid = e.find(ATOM + "id").text
        assert eid not in ids, "two entries with one id"
        ids.add(eid)
        content = e.find(ATOM + "content")
        assert e.find(ATOM + "summary") is not None or (content is not None and content.get("src") is None)
        if e.find(ATOM + "published") is not None:
            assert RFC3339.match(e.find(ATOM + "published").text)
    return root


def entry_of(root, alert_uuid):
    for e in root.findall(ATOM + "entry"):
        if e.find(ATOM + "id").text == "urn:uuid:" + alert_uuid:
            return e
    return None


def get_text(srv, path, headers=None):
    st, h, body, _ = srv.request("GET", path, headers or {})
    return st, h, body.decode("utf-8")


@test
def cap_messages_follow_the_schema_and_the_library_reads_them(srv):
    tok = token(srv)
    a = post_alert(srv, tok, headline="Fake <M30> pills & \"blues\" with a nitazene", severity="Extreme")
    assert a["id"] and a["url"].endswith("/alerts/%d" % a["id"]) and a["cap_url"].endswith(".cap")
    assert a["history"][0]["msg_type"] == "Alert"
    st, _, first = get_text(srv, "/alerts/%d.cap" % a["id"])
    assert st == 200
    one = validate_cap(first)
    assert one.find(CAP + "msgType").text == "Alert" and one.find(CAP + "references") is None
    info = one.find(CAP + "info")
    assert info.find(CAP + "headline").text == "Fake <M30> pills & \"blues\" with a nitazene"
    assert "&lt;M30&gt;" in first and "&amp;" in first
    assert info.find(CAP + "onset").text.endswith("-08:00") and info.find(CAP + "expires").text.endswith("-08:00")
    assert [g.find(CAP + "value").text for g in info.iter(CAP + "geocode")] == ["97214", "97215"]
    # an update references the first message
    upd = alert(headline="Fake M30 pills with a nitazene: now also in Gresham", severity="Extreme", note="Seen in Gresham too.")
    upd["area"]["description"] = "Southeast Portland and Gresham"
    st, _, b = api(srv, "PUT", "/api/v1/alerts/%d" % a["id"], tok, upd)
    assert st == 200 and len(b["history"]) == 2 and b["history"][1]["msg_type"] == "Update", b
    st, _, second = get_text(srv, "/alerts/%d.cap" % a["id"])
    two = validate_cap(second)
    ref = "%s,%s,%s" % (one.find(CAP + "sender").text, one.find(CAP + "identifier").text, one.find(CAP + "sent").text)
    assert two.find(CAP + "msgType").text == "Update" and two.find(CAP + "references").text == ref
    assert two.find(CAP + "identifier").text != one.find(CAP + "identifier").text
    # a withdrawal is a Cancel referencing both
    st, _, b = api(srv, "DELETE", "/api/v1/alerts/%d" % a["id"], tok, {"reason": "The lab result was a mix-up."})
    assert st == 200 and b["state"] == "withdrawn" and b["withdraw_reason"] == "The lab result was a mix-up."
    st, _, third = get_text(srv, "/alerts/%d.cap" % a["id"])
    three = validate_cap(third)
    assert three.find(CAP + "msgType").text == "Cancel"
    assert len(three.find(CAP + "references").text.split(" ")) == 2
    assert three.find(CAP + "note").text == "The lab result was a mix-up."
    parsed = parse_with_library([first, second, third])
    assert [p["msgType"] for p in parsed] == ["Alert", "Update", "Cancel"]
    assert parsed[0]["info"][0]["severity"] == "Extreme" and parsed[0]["info"][0]["categories"] == ["Health"]
    assert parsed[0]["info"][0]["areas"][0]["circles"] == ["45.510000,-122.640000 5.000"]
    assert parsed[1]["references"] == ref
    # the withdrawn alert's page says why
    st, _, page = get_text(srv, "/alerts/%d" % a["id"])
    assert st == 200 and "This alert was withdrawn." in page and "The lab result was a mix-up." in page


@test
def atom_feed_follows_rfc_4287_and_ids_never_change(srv):
    tok = token(srv)
    a = post_alert(srv, tok, headline="Carfentanil found in powder sold as heroin", substances=["carfentanil"])
    st, h, text = get_text(srv, "/alerts.atom")
    assert st == 200 and h["content-type"].startswith("application/atom+xml")
    root = validate_atom(text)
    e = entry_of(root, a["uuid"])
    assert e is not None
    links = {(l.get("rel"), l.get("type")): l.get("href") for l in e.findall(ATOM + "link")}
    assert links[("alternate", "text/html")].endswith("/alerts/%d" % a["id"])
    assert links[("alternate", "application/cap+xml")].endswith("/alerts/%d.cap" % a["id"])
    before = e.find(ATOM + "updated").text
    feed_id = root.find(ATOM + "id").text
    time.sleep(1.1)
    st, _, _ = api(srv, "PUT", "/api/v1/alerts/%d" % a["id"], tok,
                   alert(headline="Carfentanil found in powder sold as heroin and fentanyl",
                         substances=["carfentanil"], note="Also sold as fentanyl."))
    assert st == 200
    root2 = validate_atom(get_text(srv, "/alerts.atom")[2])
    e2 = entry_of(root2, a["uuid"])
    assert root2.find(ATOM + "id").text == feed_id
    assert e2 is not None and e2.find(ATOM + "updated").text > before
    assert "Also sold as fentanyl." in e2.find(ATOM + "content").text


@test
def feeds_answer_conditional_gets_with_304(srv):
    tok = token(srv)
    a = post_alert(srv, tok)
    for path in ("/alerts.atom", "/alerts/%d.cap" % a["id"], "/api/v1/alerts", "/api/v1/alerts/%d" % a["id"]):
        st, h, _, _ = srv.request("GET", path)
        assert st == 200 and h.get("etag") and h.get("last-modified"), (path, h)
        st, _, body, _ = srv.request("GET", path, {"If-None-Match": h["etag"]})
        assert st == 304 and body == b"", (path, st)
        st, _, body, _ = srv.request("GET", path, {"If-Modified-Since": h["last-modified"]})
        assert st == 304 and body == b"", (path, st)
        older = email.utils.formatdate(email.utils.parsedate_to_datetime(h["last-modified"]).timestamp() - 60,
                                       usegmt=True)
        st, _, _, _ = srv.request("GET", path, {"If-Modified-Since": older})
        assert st == 200, path
        st, _, _, _ = srv.request("GET", path, {"If-Modified-Since": "not a date"})
        assert st == 200, path


@test
def home_fact_sheet_and_overdose_slots_and_expiry_to_the_second(srv):
    tok = token(srv)
    head = "Medetomidine in fentanyl, test %d" % time.time()
    a = post_alert(srv, tok, headline=head, substances=["medetomidine", "fentanyl"], severity="Extreme",
                   starts=iso(time.time() - 60), expires=iso(int(time.time()) + 4))
    for path in ("/", "/substances/medetomidine", "/substances/fentanyl", "/overdose"):
        st, _, body = get_text(srv, path)
        assert st == 200 and head in body, path
    assert head not in get_text(srv, "/substances/cocaine")[2]
    st, _, j = api(srv, "GET", "/api/v1/alerts?active=true&substance=medetomidine")
    assert any(x["id"] == a["id"] for x in j["contents"])
    time.sleep(max(0, int(time.time()) + 5 - time.time()))
    for path in ("/", "/substances/medetomidine", "/overdose"):
        assert head not in get_text(srv, path)[2], path
    st, _, j = api(srv, "GET", "/api/v1/alerts?active=true&substance=medetomidine")
    assert not any(x["id"] == a["id"] for x in j["contents"])
    st, _, j = api(srv, "GET", "/api/v1/alerts/%d" % a["id"])
    assert j["state"] == "expired" and j["active"] is False
    st, _, page = get_text(srv, "/alerts")
    archive = page.split('id="wp-archive"', 1)[1]
    assert head in archive
    # with no active alert naming it, the fact sheet keeps its honest text
    st, _, body = get_text(srv, "/substances/kratom")
    assert "No active local alerts about this right now on this site." in body
    assert "health department" in body


@test
def api_bad_input_is_named_and_nothing_saved(srv):
    tok = token(srv)
    n = count_alerts(srv)
    cases = [(alert(headline="x" * 121), "headline"),
             (alert(starts="2027-01-02T09:00:00-08:00", expires="2027-01-01T09:00:00-08:00"), "expires"),
             (alert(substances=["unicorn dust"]), "substances"),
             (alert(severity="Bad"), "severity"),
             (alert(area={"description": "X", "zips": ["9721"]}), "zips"),
             (alert(starts="tomorrow"), "starts"),
             (alert(colour="blue"), "alert")]
    for body, field in cases:
        st, _, j = api(srv, "POST", "/api/v1/alerts", tok, body)
        assert st == 422 and field in j["error"]["problems"], (field, st, j)
    st, _, j = api(srv, "POST", "/api/v1/alerts", tok, None, {"Content-Type": "application/json"})
    assert st == 400
    st, _, _, _ = srv.request("POST", "/api/v1/alerts", {"Authorization": "Bearer " + tok}, b"{not json")
    assert st == 400
    assert count_alerts(srv) == n
    # aliases resolve to the matrix's slugs
    a = post_alert(srv, tok, substances=["Bromazolam", "fent"])
    assert a["substances"] == ["benzodiazepines", "fentanyl"], a["substances"]


@test
def api_roles_and_public_reads(srv):
    a = post_alert(srv, token(srv))
    st, _, _ = api(srv, "POST", "/api/v1/alerts", None, alert())
    assert st == 401
    st, _, _ = api(srv, "POST", "/api/v1/alerts", token(srv, "moderator"), alert())
    assert st == 403
    st, _, _ = api(srv, "DELETE", "/api/v1/alerts/%d?reason=x" % a["id"], token(srv, "moderator"))
    assert st == 403
    st, _, _ = api(srv, "PUT", "/api/v1/alerts/%d" % a["id"], "not-a-token", alert())
    assert st == 401
    st, _, j = api(srv, "GET", "/api/v1/alerts?per_page=1&page=1")
    assert st == 200 and j["page_number"] == 1 and len(j["contents"]) == 1 and j["total_items"] >= 1
    st, _, _ = api(srv, "GET", "/api/v1/alerts?since=yesterday")
    assert st == 400
    st, _, _ = api(srv, "GET", "/api/v1/alerts/999999")
    assert st == 404
    # a draft is not public
    d = post_alert(srv, token(srv), status="draft")
    assert api(srv, "GET", "/api/v1/alerts/%d" % d["id"])[0] == 404
    assert srv.request("GET", "/alerts/%d" % d["id"])[0] == 404
    assert srv.request("GET", "/alerts/%d.cap" % d["id"])[0] == 404


def editor(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def form(csrf, **kw):
    f = {"csrf": csrf, "headline": "White powder sold as ketamine contains a nitazene",
         "substances": "nitazenes", "area": "Old Town", "zips": "97209", "source": "outreach",
         "certainty": "Likely", "severity": "Severe", "urgency": "Immediate",
         "instruction": "Do not use alone. Carry naloxone.", "action": "draft"}
    f.update(kw)
    return f


@test
def staff_flow_draft_preview_publish_update_expire_withdraw(srv):
    s, email = editor(srv)
    st, _, body, _ = s.get("/staff/alerts/new?template=medetomidine")
    assert st == 200 and "Medetomidine found in fentanyl" in body and "emergency room" in body
    csrf = s.csrf("/staff/alerts/new")
    n = count_alerts(srv)
    st, _, body, _ = s.post("/staff/alerts", form(csrf, headline="h" * 121, expires="2020-01-01T00:00",
                                                  starts="2020-01-02T00:00", substances="unicorn dust"))
    assert st == 422 and count_alerts(srv) == n
    for field in ("headline", "substances", "expires"):
        assert 'id="f-%s-error"' % field in body and 'href="#f-%s"' % field in body, field
    assert 'aria-invalid="true"' in body and "h" * 121 in body  # the form comes back as typed
    st, h, _, _ = s.post("/staff/alerts", form(csrf))
    assert st == 303 and h["location"].endswith("/preview")
    aid = int(re.search(r"/staff/alerts/(\d+)/preview", h["location"]).group(1))
    st, _, body, _ = s.get(h["location"])
    assert st == 200 and "Preview." in body and "White powder sold as ketamine" in body
    assert srv.request("GET", "/alerts/%d" % aid)[0] == 404
    st, h, _, _ = s.post("/staff/alerts/%d/publish" % aid, {"csrf": csrf})
    assert st == 303
    st, _, page = get_text(srv, "/alerts/%d" % aid)
    assert st == 200 and "White powder sold as ketamine" in page and "Preview." not in page
    st, h, _, _ = s.post("/staff/alerts/%d" % aid, form(csrf, effects="Long blackouts.", note="Effects added.",
                                                        action="publish"))
    assert st == 303
    page = get_text(srv, "/alerts/%d" % aid)[2]
    assert "What changed" in page and "Effects added." in page and "Changed: effects." in page, page[page.find("What changed"):][:600]
    st, _, _b, _ = s.post("/staff/alerts/%d/expire" % aid, {"csrf": csrf})
    assert st == 303, (st, _b)
    st, _, j = api(srv, "GET", "/api/v1/alerts/%d" % aid)
    assert j["state"] == "expired" and j["history"][-1]["msg_type"] == "Update"
    st, _, body, _ = s.post("/staff/alerts/%d/withdraw" % aid, {"csrf": csrf, "reason": ""})
    assert st == 422 and 'id="f-reason-error"' in body
    st, _, _, _ = s.post("/staff/alerts/%d/withdraw" % aid, {"csrf": csrf, "reason": "Wrong batch."})
    assert st == 303
    assert "Wrong batch." in get_text(srv, "/alerts/%d" % aid)[2]
    db = sqlite3.connect(srv.db)
    acts = [r[0] for r in db.execute("SELECT action FROM staff_audit WHERE target = ? AND actor = ? ORDER BY id",
                                     ("alert:%d" % aid, email))]
    db.close()
    assert acts == ["alert.create", "alert.publish", "alert.update", "alert.expire", "alert.withdraw"], acts


@test
def staff_alert_pages_are_for_editors(srv):
    email, pw = new_account(srv, "moderator")
    m = Staff(srv)
    m.login(email, pw)
    assert m.get("/staff/alerts")[0] == 403
    s, _ = editor(srv)
    assert s.get("/staff/alerts")[0] == 200
    assert s.get("/staff/alerts/x")[0] == 404
    assert s.get("/staff/alerts/new?template=nope")[0] == 404
    assert Staff(srv).get("/staff/alerts")[0] == 303


@test
def cli_import_checks_everything_first_and_export_round_trips(srv):
    d = tempfile.mkdtemp(prefix="waypost-alerts-")
    bad = os.path.join(d, "bad.json")
    with open(bad, "w") as f:
        json.dump([alert(headline="Fine"), alert(headline="y" * 130)], f)
    n = count_alerts(srv)
    rc, _, err = run(srv, "alert", "import", bad)
    assert rc == 1 and "alerts[1].headline" in err, err
    assert count_alerts(srv) == n
    good = os.path.join(d, "good.json")
    with open(good, "w") as f:
        json.dump([alert(headline="Imported from a file %d" % time.time())], f)
    rc, out, err = run(srv, "alert", "import", good)
    assert rc == 0 and "imported 1 alert" in out, err
    rc, out, _ = run(srv, "alert", "export")
    exported = json.loads(out)
    assert rc == 0 and any(x["headline"].startswith("Imported from a file") for x in exported)
    assert all("history" in x and "id" in x for x in exported)
