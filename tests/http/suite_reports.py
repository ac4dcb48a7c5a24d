"""The staff report queue and imports from the browser (issue 11, "The
directory in the browser"): /staff/reports (a visitor's report appears with
its listing; resolve, dismiss, reopen and "turn into an edit" change the
status, are audited, need the CSRF token and the right role) and
/staff/import (a dry run that changes nothing and counts right, the
confirmation that imports, 422 for a bad file, 413 for a big one, the file
as multipart/form-data or as a pasted textarea). Each test takes the
shared server; listings are made by the tests with fresh ids."""
import json
import re
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse
import uuid

from harness import BIN, ROOT, Server, status_of
from staff_client import Staff, new_account

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def sql(srv, query, args=()):
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def signed_in(srv, role):
    email, pw = new_account(srv, role)
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def service(name, street="1 Test Street", phone="555-0100", sid=None):
    """A small HSDS 3.0 service with its organization, a located address
    and a phone (fresh ids unless sid is given)."""
    u = lambda: str(uuid.uuid4())  # noqa: E731
    return {"id": sid or u(), "name": name, "description": "A listing made by the tests.", "status": "active",
            "organization": {"id": u(), "name": name + " Org"},
            "service_at_locations": [{"id": u(), "phones": [{"id": u(), "number": phone}],
                                      "location": {"id": u(), "location_type": "physical", "name": name,
                                                   "latitude": 40.75, "longitude": -73.99,
                                                   "addresses": [{"id": u(), "address_1": street, "city": "New York",
                                                                  "state_province": "NY", "postal_code": "10001",
                                                                  "country": "US", "address_type": "physical"}]}}]}


def ndjson(services):
    return "".join(json.dumps(s, separators=(",", ":")) + "\n" for s in services)


def import_cli(srv, services):
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as f:
        f.write(ndjson(services))
    subprocess.run([BIN, "import", "hsds", f.name, "--db", srv.db], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def multipart(fields, files=()):
    """(body, content type) of a multipart/form-data form: fields a dict,
    files (name, filename, bytes) triples."""
    b = "wpTestBoundary%d" % time.time_ns()
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n" % (b, name, filename)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return b"".join(out), "multipart/form-data; boundary=" + b


def upload(s, fields, files, path="/staff/import"):
    body, ctype = multipart(fields, files)
    return s.request("POST", path, headers={"Content-Type": ctype}, raw_body=body)


def report_row(srv, rid):
    return sql(srv, "SELECT status, decided_by, decided_at FROM dir_report WHERE id = ?", (rid,))[0]


def audit_rows(srv, action, target):
    return sql(srv, "SELECT actor, before, after FROM staff_audit WHERE action = ? AND target = ? ORDER BY id",
               (action, target))


def new_report(srv, sid, kind="phone", note=None):
    """A report as the public form writes it (straight into the table, since
    the shared server's per-address limit is spent by other tests)."""
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        cur = con.execute("INSERT INTO dir_report(service_id, kind, note) VALUES (?, ?, ?)",
                          (sid, kind, note or "note %d" % time.time_ns()))
        con.commit()
        return cur.lastrowid
    finally:
        con.close()


def item_html(body, rid):
    m = re.search(r'<li class="report" id="r-%d">(.*?)</li>\n' % rid, body, re.S)
    assert m, body[-3000:]
    return m.group(1)


@test
def a_visitors_report_appears_in_the_queue_with_its_listing(srv):
    svc = service("Queue Test Harbor <Desk>", street="12 Report Lane", phone="555-0199")
    import_cli(srv, [svc])
    note = "The phone rings out & nobody answers %d" % time.time_ns()
    # the public form, on a second server over the same database (its own
    # per-address limit; the shared one's is spent by the report tests)
    pub = Server(db=srv.db)
    try:
        st, h, _, _ = pub.request("POST", "/services/%s/report" % svc["id"],
                                  {"Content-Type": "application/x-www-form-urlencoded"},
                                  urllib.parse.urlencode({"kind": "phone", "note": note}).encode())
        assert st == 303 and "set-cookie" not in h, (st, h)
    finally:
        pub.cleanup()
    rid = sql(srv, "SELECT id FROM dir_report WHERE note = ?", (note,))[0][0]
    s, _ = signed_in(srv, "moderator")
    st, h, body, _ = s.get("/staff/reports")
    assert st == 200 and h["cache-control"] == "no-store", (st, body[:500])
    assert "<h1>Reports</h1>" in body and "style=" not in body and "<script" not in body
    item = item_html(body, rid)
    assert "The phone rings out &amp; nobody answers" in item
    assert "The phone number is wrong" in item and ">New<" in item
    assert "Queue Test Harbor &lt;Desk&gt;" in item and "<Desk>" not in body
    assert "12 Report Lane, New York, NY 10001" in item and "555-0199" in item
    assert "Queue Test Harbor &lt;Desk&gt; Org" in item
    assert 'href="/services/%s"' % svc["id"] in item and 'href="/staff/listings/%s"' % svc["id"] in item
    # newest first: a later report comes above it
    later = new_report(srv, svc["id"], "hours")
    body = s.get("/staff/reports")[2]
    assert body.index('id="r-%d"' % later) < body.index('id="r-%d"' % rid)
    # moderators may not turn a report into an edit: no button for them
    assert "/staff/reports/edit" not in item and "Resolve" in item and "Dismiss" in item


@test
def resolve_and_dismiss_change_the_status_and_are_audited(srv):
    svc = service("Decide Test Clinic")
    import_cli(srv, [svc])
    r1, r2 = new_report(srv, svc["id"], "closed"), new_report(srv, svc["id"], "moved")
    s, email = signed_in(srv, "moderator")
    csrf = s.csrf("/staff/reports")
    st, h, body, _ = s.post("/staff/reports/decide", {"csrf": csrf, "report": r1, "action": "resolve",
                                                      "status": "open", "kind": "closed"})
    assert st == 303, (st, body[:500])
    assert h["location"] == "/staff/reports?status=open&kind=closed&done=resolve&report=%d#r-%d" % (r1, r1)
    status, by, at = report_row(srv, r1)
    assert status == "resolved" and by == email and abs(at - time.time()) < 120, (status, by, at)
    rows = audit_rows(srv, "report.resolve", "report:listing:%d" % r1)
    assert rows == [(email, '{"status":"new"}', '{"status":"resolved"}')], rows
    st, _, body, _ = s.get(h["location"].split("#")[0])  # a browser keeps the fragment to itself
    assert st == 200 and "Report %d resolved." % r1 in body, (st, body[:500])
    # dismiss
    st, _, _, _ = s.post("/staff/reports/decide", {"csrf": csrf, "report": r2, "action": "dismiss"})
    assert st == 303 and report_row(srv, r2)[0] == "dismissed"
    assert audit_rows(srv, "report.dismiss", "report:listing:%d" % r2) == \
        [(email, '{"status":"new"}', '{"status":"dismissed"}')]
    # deciding what is already so changes and logs nothing
    assert s.post("/staff/reports/decide", {"csrf": csrf, "report": r2, "action": "dismiss"})[0] == 303
    assert len(audit_rows(srv, "report.dismiss", "report:listing:%d" % r2)) == 1
    # the filters: resolved shows r1 and not r2; open shows neither
    body = s.get("/staff/reports?status=resolved")[2]
    assert 'id="r-%d"' % r1 in body and 'id="r-%d"' % r2 not in body and "Reopen" in body
    body = s.get("/staff/reports?status=dismissed&kind=moved")[2]
    assert 'id="r-%d"' % r2 in body and 'id="r-%d"' % r1 not in body
    body = s.get("/staff/reports?status=dismissed&kind=closed")[2]
    assert 'id="r-%d"' % r2 not in body
    body = s.get("/staff/reports")[2]
    assert 'id="r-%d"' % r1 not in body and 'id="r-%d"' % r2 not in body
    # reopen puts it back in the queue, undecided
    assert s.post("/staff/reports/decide", {"csrf": csrf, "report": r1, "action": "reopen"})[0] == 303
    assert report_row(srv, r1) == ("new", None, None)
    assert audit_rows(srv, "report.reopen", "report:listing:%d" % r1) == \
        [(email, '{"status":"resolved"}', '{"status":"new"}')]
    # an unknown report, a bad action
    assert s.post("/staff/reports/decide", {"csrf": csrf, "report": 999999999, "action": "resolve"})[0] == 404
    assert s.post("/staff/reports/decide", {"csrf": csrf, "report": r1, "action": "explode"})[0] == 400
    assert s.post("/staff/reports/decide", {"csrf": csrf, "report": r1, "action": "resolve",
                                            "source": "drugs"})[0] == 400


@test
def decisions_need_the_csrf_token_and_a_session(srv):
    svc = service("Csrf Test Pantry")
    import_cli(srv, [svc])
    rid = new_report(srv, svc["id"])
    s, _ = signed_in(srv, "moderator")
    for form in ({"report": rid, "action": "resolve"}, {"report": rid, "action": "resolve", "csrf": "x" * 43}):
        st, _, body, _ = s.post("/staff/reports/decide", form)
        assert st == 403, (st, body[:300])
    # the right token from another site
    csrf = s.csrf("/staff/reports")
    st, _, _, _ = s.post("/staff/reports/decide", {"csrf": csrf, "report": rid, "action": "resolve"},
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert st == 403
    anon = Staff(srv)
    st, h, _, _ = anon.get("/staff/reports")
    assert st == 303 and h["location"] == "/staff/login"
    st, _, _, _ = anon.post("/staff/reports/decide", {"csrf": csrf, "report": rid, "action": "dismiss"})
    assert st in (303, 401, 403), st
    assert report_row(srv, rid)[0] == "new"
    assert audit_rows(srv, "report.resolve", "report:listing:%d" % rid) == []
    assert audit_rows(srv, "report.dismiss", "report:listing:%d" % rid) == []


@test
def an_editor_turns_a_report_into_an_edit(srv):
    svc = service("Edit Test Drop-in")
    import_cli(srv, [svc])
    rid = new_report(srv, svc["id"], "hours")
    mod, _ = signed_in(srv, "moderator")
    st, _, body, _ = mod.post("/staff/reports/edit", {"csrf": mod.csrf("/staff/reports"), "report": rid})
    assert st == 403 and "role does not allow" in body
    ed, email = signed_in(srv, "editor")
    body = ed.get("/staff/reports")[2]
    assert 'action="/staff/reports/edit"' in item_html(body, rid)
    st, h, _, _ = ed.post("/staff/reports/edit", {"csrf": ed.csrf("/staff/reports"), "report": rid})
    assert st == 303 and h["location"] == "/staff/listings/%s?report=%d" % (svc["id"], rid), (st, h)
    assert report_row(srv, rid)[:2] == ("editing", email)
    assert audit_rows(srv, "report.edit", "report:listing:%d" % rid) == \
        [(email, '{"status":"new"}', '{"status":"editing"}')]
    # still in the open queue, with a link back to the edit
    item = item_html(ed.get("/staff/reports")[2], rid)
    assert "Being edited" in item and 'href="/staff/listings/%s?report=%d"' % (svc["id"], rid) in item
    assert 'id="r-%d"' % rid in ed.get("/staff/reports?status=editing")[2]


@test
def a_report_whose_listing_is_gone_says_so(srv):
    gone = str(uuid.uuid4())
    rid = new_report(srv, gone, "closed")
    s, _ = signed_in(srv, "editor")
    item = item_html(s.get("/staff/reports")[2], rid)
    assert "no longer in the directory" in item and gone in item
    assert "/staff/reports/edit" not in item
    assert s.post("/staff/reports/edit", {"csrf": s.csrf("/staff/reports"), "report": rid})[0] == 409
    assert report_row(srv, rid)[0] == "new"


def counts_of(body):
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', body)}


def directory_rows(srv):
    return sql(srv, "SELECT (SELECT count(*) FROM dir_service), (SELECT count(*) FROM dir_location), "
                    "(SELECT count(*) FROM dir_service_term), (SELECT group_concat(hex(raw)) FROM "
                    "(SELECT raw FROM dir_service ORDER BY id))")[0]


@test
def import_dry_run_changes_nothing_and_counts_then_confirm_imports(srv):
    ed, email = signed_in(srv, "editor")
    a, b = service("Import Test Alpha"), service("Import Test Beta")
    import_cli(srv, [a, b])
    b2 = json.loads(json.dumps(b))
    b2["name"] = "Import Test Beta (new hours)"
    c = service("Import Test Gamma %d" % time.time_ns())
    data = ndjson([a, b2, c]).encode()
    before = directory_rows(srv)
    csrf = ed.csrf("/staff/import")
    st, h, body, _ = upload(ed, {"csrf": csrf, "format": "auto"}, [("file", "harbor.ndjson", data)])
    assert st == 200, (st, body[:1500])
    assert counts_of(body) == {"added": 1, "updated": 1, "unchanged": 1, "left": counts_of(body)["left"]}, \
        counts_of(body)
    assert counts_of(body)["left"] == before[0] - 2
    assert "What importing harbor.ndjson would do" in body and "Nothing has changed yet." in body
    assert directory_rows(srv) == before, "the dry run changed the directory"
    assert sql(srv, "SELECT count(*) FROM staff_audit WHERE action = 'import' AND actor = ?", (email,))[0][0] == 0
    assert ed.get("/api/v1/services/" + c["id"])[0] == 404
    pending = re.search(r'name="pending" value="([0-9a-f]{32})"', body).group(1)
    # another editor cannot confirm it
    other, _ = signed_in(srv, "editor")
    assert other.post("/staff/import/confirm", {"csrf": other.csrf("/staff/import"), "pending": pending})[0] == 410
    # confirming without the token does nothing
    assert ed.post("/staff/import/confirm", {"pending": pending})[0] == 403
    st, _, body, _ = ed.post("/staff/import/confirm", {"csrf": csrf, "pending": pending})
    assert st == 200, (st, body[:1500])
    assert "Imported harbor.ndjson: 1 added, 1 changed, 1 unchanged" in body
    rows = sql(srv, "SELECT target, before, after FROM staff_audit WHERE action = 'import' AND actor = ?", (email,))
    assert len(rows) == 1 and rows[0][0] == "harbor.ndjson" and rows[0][1] is None, rows
    after = json.loads(rows[0][2])
    assert (after["added"], after["updated"], after["unchanged"], after["format"]) == (1, 1, 1, "hsds"), after
    # the public API shows it (the watcher notices within about a second)
    st, _, got, _ = srv.get("/api/v1/services/" + c["id"])
    assert st == 200 and json.loads(got)["name"] == c["name"]
    assert json.loads(srv.get("/api/v1/services/" + b["id"])[2])["name"] == "Import Test Beta (new hours)"
    deadline = time.time() + 5
    while True:
        found = c["name"].encode() in srv.get("/find/naloxone?where=10001&radius=5")[2] or \
            c["name"].encode() in srv.get("/api/v1/service_at_locations?lat=40.75&lon=-73.99&proximity=2000"
                                          "&per_page=100")[2]
        if found or time.time() > deadline:
            break
        time.sleep(0.2)
    assert found, "the new listing is not near its point"
    # a preview is confirmed once
    assert ed.post("/staff/import/confirm", {"csrf": csrf, "pending": pending})[0] == 410


@test
def import_pasted_text_and_a_spreadsheet(srv):
    ed, _ = signed_in(srv, "editor")
    csrf = ed.csrf("/staff/import")
    svc = service("Paste Test Shelter")
    before = directory_rows(srv)
    st, _, body, _ = ed.post("/staff/import", {"csrf": csrf, "text": json.dumps([svc]), "format": "auto"})
    assert st == 200 and counts_of(body)["added"] == 1 and "the pasted text" in body, (st, body[:1000])
    assert directory_rows(srv) == before
    name = "Sheet Test Clinic %d" % time.time_ns()
    sheet = "Clinic,Street,Town,St,Zip,Tel,Offers\n\"%s\",5 Sheet Road,New York,NY,10001,555-0142,naloxone\n" % name
    cols = "name=Clinic,address=Street,city=Town,state=St,zip=Zip,phone=Tel,services=Offers"
    st, _, body, _ = upload(ed, {"csrf": csrf, "format": "csv", "columns": cols, "source": "Sheet Test"},
                            [("file", "sheet.csv", sheet.encode())])
    assert st == 200 and counts_of(body)["added"] == 1 and "Spreadsheet (CSV)" in body, (st, body[:1500])
    pending = re.search(r'name="pending" value="([0-9a-f]{32})"', body).group(1)
    assert ed.post("/staff/import/confirm", {"csrf": csrf, "pending": pending})[0] == 200
    got = sql(srv, "SELECT source FROM dir_service WHERE name = ?", (name,))
    assert got == [("Sheet Test",)], got
    # headers that are the field names need no mapping
    plain = "name,address,city,state,zip\nPlain Test %d,6 Sheet Road,New York,NY,10001\n" % time.time_ns()
    st, _, body, _ = upload(ed, {"csrf": csrf}, [("file", "plain.csv", plain.encode())])
    assert st == 200 and counts_of(body)["added"] == 1, (st, body[:1500])


@test
def import_spreadsheet_places_rows_without_coordinates(srv):
    """Issue 10: the upload page places rows without lat/lon at their ZIP's
    or town's centre, as `waypost import csv` does, and says which rows."""
    ed, _ = signed_in(srv, "editor")
    csrf = ed.csrf("/staff/import")
    tag = time.time_ns()
    sheet = ("name,address,city,state,zip,lat,lon\n"
             "Placed Test A %d,1 Road,New York,NY,10001,,\n"
             "Placed Test B %d,2 Road,New York,NY,,40.7,-74.0\n"
             "Placed Test C %d,3 Road,Portland,OR,97214,,\n" % (tag, tag, tag))
    st, _, body, _ = upload(ed, {"csrf": csrf}, [("file", "placed.csv", sheet.encode())])
    assert st == 200 and counts_of(body)["added"] == 3, (st, body[:1500])
    assert "2 rows had no coordinates and will be placed at the centre of their ZIP code or town: rows 2, 4." \
        in body, body[:3000]
    pending = re.search(r'name="pending" value="([0-9a-f]{32})"', body).group(1)
    assert ed.post("/staff/import/confirm", {"csrf": csrf, "pending": pending})[0] == 200
    # the stored documents are compressed (src/db/doc_zip.c) and the ids 16
    # bytes (src/db/id_key.c): read them through the API
    got = [(n, str(uuid.UUID(bytes=k)) if isinstance(k, bytes) else k)
           for n, k in sql(srv, "SELECT name, id FROM dir_service WHERE name LIKE ? ORDER BY name",
                           ("Placed Test %% %d" % tag,))]
    assert got and all(len(k) == 36 for _, k in got), got
    pts = {}
    for n, sid in got:
        st, _, doc, _ = srv.get("/api/v1/services/" + sid)
        assert st == 200, (st, doc[:300])
        loc = json.loads(doc)["service_at_locations"][0]["location"]
        pts[n.split()[2]] = (float(loc["latitude"]), float(loc["longitude"]))
    assert abs(pts["A"][0] - 40.75) < 0.05 and abs(pts["A"][1] + 74.0) < 0.05, pts  # ZIP 10001
    assert abs(pts["C"][0] - 45.5) < 0.1 and abs(pts["C"][1] + 122.6) < 0.1, pts  # ZIP 97214
    # a row with neither coordinates nor a ZIP or town we know is refused by its number
    bad = "name,city,state\nNowhere Test %d,Qqqzzx,ZZ\n" % tag
    st, _, body, _ = upload(ed, {"csrf": csrf}, [("file", "nowhere.csv", bad.encode())])
    assert st == 422 and "row 2" in body and "no coordinates" in body, (st, body[:2000])


@test
def a_bad_file_gets_422_naming_the_problem(srv):
    ed, _ = signed_in(srv, "editor")
    csrf = ed.csrf("/staff/import")
    before = directory_rows(srv)
    bad = ndjson([service("Bad Test One")]) + '{"id": "x", "name": \n'
    st, _, body, _ = upload(ed, {"csrf": csrf}, [("file", "broken.ndjson", bad.encode())])
    assert st == 422 and "broken.ndjson line 2" in body and 'class="field-error"' in body, (st, body[:2000])
    nameless = service("Bad Test Two")
    del nameless["name"]
    st, _, body, _ = upload(ed, {"csrf": csrf}, [("file", "nameless.json", json.dumps([nameless]).encode())])
    assert st == 422 and "nameless.json" in body and "name" in body, (st, body[:2000])
    st, _, body, _ = upload(ed, {"csrf": csrf, "format": "csv", "columns": "title=Name"},
                            [("file", "s.csv", b"Name\nx\n")])
    assert st == 422 and "unknown field" in body and 'id="f-columns-error"' in body, (st, body[:2000])
    st, _, body, _ = upload(ed, {"csrf": csrf, "format": "csv", "columns": "name=Title"},
                            [("file", "s.csv", b"Name\nx\n")])
    assert st == 422 and "s.csv" in body and "Title" in body, (st, body[:2000])
    st, _, body, _ = upload(ed, {"csrf": csrf}, [])
    assert st == 422 and "Choose a file" in body
    assert directory_rows(srv) == before
    # a body that is not a well-formed multipart form
    st, _, _, _ = ed.request("POST", "/staff/import", headers={"Content-Type": "multipart/form-data; boundary=zz"},
                             raw_body=b"--zz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf.encode())
    assert st == 400


@test
def a_big_upload_gets_413_and_editors_only(srv):
    ed, _ = signed_in(srv, "editor")
    csrf = ed.csrf("/staff/import")
    body = ed.get("/staff/import")[2]
    assert "at most 8 MB" in body and 'enctype="multipart/form-data"' in body
    # the body's length alone is refused before it is read
    raw = srv.raw(("POST /staff/import HTTP/1.1\r\nHost: x\r\nCookie: __Host-waypost=%s\r\n"
                   "Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: %d\r\n"
                   "Connection: close\r\n\r\n" % (ed.cookie, 9 * 1024 * 1024)).encode())
    assert status_of(raw) == 413, raw[:200]
    # a file just over 8 MB in a body under the route's limit
    big = b"[" + b" " * (8 * 1024 * 1024) + b"]"
    st, _, text, _ = upload(ed, {"csrf": csrf}, [("file", "big.json", big)])
    assert st == 413 and "8 MB" in text, (st, text[:300])
    mod, _ = signed_in(srv, "moderator")
    assert mod.get("/staff/import")[0] == 403
    assert mod.post("/staff/import", {"csrf": mod.csrf("/staff/reports"), "text": "[]"})[0] == 403
