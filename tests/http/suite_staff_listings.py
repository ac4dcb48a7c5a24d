"""HTTP tests of the directory in the staff portal (src/staff/listings_pages.c)
and the staff API (src/staff/staff_api.c), issue 11.

run.py runs every TESTS function with its shared server; these ignore it
and share one server of their own (started on first use, stopped at exit),
because they change listings that other suites read: a database seeded
with the Waypost taxonomy and the example harm reduction services, with
an editor, a moderator, and an editor's and a moderator's API token made
by the command line. Each test signs in as it needs."""
import atexit
import html
import json
import os
import re
import sqlite3
import subprocess
import time
import urllib.parse

from harness import BIN, ROOT, Server

SEED = ["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson"]
PASSWORD = "correct horse battery staple 7"
VENDING = "1b7ffbab-8006-567c-bece-a3e0e1cb651d"  # the example naloxone vending machine, Bronx 10454
COOKIE = "__Host-waypost"
_state = {}


def cli(*args, stdin=None):
    p = subprocess.run([BIN, *args], cwd=ROOT, input=stdin, capture_output=True, text=True)
    assert p.returncode == 0, (args, p.returncode, p.stdout, p.stderr)
    return p.stdout


def server():
    """The shared server with its accounts and tokens (made once)."""
    if "srv" not in _state:
        srv = Server(seed=SEED)
        atexit.register(srv.cleanup)
        for email, role in [("editor@example.org", "editor"), ("mod@example.org", "moderator")]:
            cli("user", "add", email, "--role", role, "--password-stdin", "--db", srv.db, stdin=PASSWORD + "\n")
        _state["tokens"] = {}
        for name, role in [("robot", "editor"), ("reader", "moderator")]:
            out = cli("token", "add", name, "--role", role, "--db", srv.db)
            _state["tokens"][name] = out.strip()
        _state["srv"] = srv
    return _state["srv"]


def token(name):
    server()
    return _state["tokens"][name]


class Staff:
    """A signed-in browser: the session cookie and the CSRF token."""

    def __init__(self, email):
        self.srv = server()
        body = urllib.parse.urlencode({"email": email, "password": PASSWORD})
        st, h, _, raw = self.srv.request("POST", "/staff/login", {"Content-Type": "application/x-www-form-urlencoded"},
                                         body)
        assert st == 303, (st, h)
        cookies = [v for k, v in raw if k.lower() == "set-cookie" and v.startswith(COOKIE + "=")]
        assert cookies, raw
        self.cookie = cookies[-1].split(";", 1)[0]

    def get(self, path):
        st, h, body, _ = self.srv.request("GET", path, {"Cookie": self.cookie})
        return st, h, body.decode()

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields)
        st, h, data, _ = self.srv.request("POST", path, {"Cookie": self.cookie,
                                                         "Content-Type": "application/x-www-form-urlencoded"}, body)
        return st, h, data.decode()


def form_fields(page, action):
    """The fields a browser would send from the form posting to action."""
    m = re.search(r'<form [^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert m, "no form posting to %s" % action
    form, fields = m.group(1), []
    for tag in re.finditer(r"<input ([^>]*)>", form):
        a = dict((k, html.unescape(v)) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag.group(1)))
        if a.get("type") == "checkbox":
            if re.search(r"\schecked\b", tag.group(1)):
                fields.append((a["name"], a["value"]))
        elif "name" in a:
            fields.append((a["name"], a.get("value", "")))
    for t in re.finditer(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((t.group(1), html.unescape(t.group(2))))
    for s in re.finditer(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', s.group(2))
        fields.append((s.group(1), html.unescape(sel.group(1)) if sel else ""))
    return fields


def replace(fields, **new):
    return [(k, v) for k, v in fields if k not in new] + list(new.items())


def wait_for(fn, timeout=3.0):
    """Polls fn until it returns true (the watcher rebuilds within ~1 s)."""
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        time.sleep(0.1)
    return fn()


def audit_rows(action=None):
    db = sqlite3.connect(server().db)
    try:
        q = "SELECT actor, action, target, before, after FROM staff_audit"
        rows = db.execute(q + (" WHERE action = ?" if action else "") + " ORDER BY id",
                          (action,) if action else ()).fetchall()
    finally:
        db.close()
    return rows


def api(method, path, tok=None, body=None, ctype="application/json"):
    headers = {}
    if tok:
        headers["Authorization"] = "Bearer " + tok
    if body is not None:
        headers["Content-Type"] = ctype
    st, h, data, _ = server().request(method, path, headers, body)
    return st, h, data


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def listings_search_and_filters(_srv):
    ed = Staff("editor@example.org")
    st, h, page = ed.get("/staff/listings")
    assert st == 200 and h.get("cache-control") == "no-store", (st, h)
    total = int(re.search(r"Found: (\d+)", page).group(1))
    assert total >= 10, total
    assert 'href="/staff/listings/new"' in page
    for query, want in [("q=vending", 1), ("q=" + VENDING, 1), ("code=naloxone", None),
                        ("source=Waypost+example+data", total), ("stale=30", total), ("code=nope", 0)]:
        st, _, p = ed.get("/staff/listings?" + query)
        assert st == 200, (query, st)
        n = int(re.search(r"Found: (\d+)", p).group(1))
        assert (n == want) if want is not None else 0 < n < total, (query, n)
    st, _, _ = ed.get("/staff/listings?stale=-1")
    assert st == 400, st


@test
def moderator_reads_listings_but_cannot_change_them(_srv):
    mod = Staff("mod@example.org")
    st, _, page = mod.get("/staff/listings")
    assert st == 200 and 'href="/staff/listings/new"' not in page, st
    st, _, page = mod.get("/staff/listings/" + VENDING)
    assert st == 200 and 'class="whole" disabled' in page and "Save changes" not in page, st
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert mod.get("/staff/listings/new")[0] == 403
    assert mod.post("/staff/listings/" + VENDING, [("csrf", csrf), ("name", "x")])[0] == 403
    assert mod.post("/staff/listings/%s/delete" % VENDING, [("csrf", csrf), ("confirm", "1")])[0] == 403


@test
def editing_a_listing_shows_on_the_public_pages_within_a_second(_srv):
    ed = Staff("editor@example.org")
    action = "/staff/listings/" + VENDING
    st, _, page = ed.get(action)
    assert st == 200, st
    fields = replace(form_fields(page, action), name="Renamed Naloxone Box", hours_mo="10:00-12:00",
                     verified_on="2026-12-01", verified_by="checker@example.org")
    before = len(audit_rows("listing.save"))
    # the finder has shown the listing (its card cache holds it) before the edit
    assert b"Renamed Naloxone Box" not in server().get("/find?what=naloxone&where=10454")[2]
    st, h, _ = ed.post(action, fields)
    assert st == 303 and h["location"] == action + "?saved=1", (st, h)
    assert wait_for(lambda: b"Renamed Naloxone Box" in server().get("/services/" + VENDING)[2], 1.5)
    page = server().get("/services/" + VENDING)[2].decode()
    assert "Mon 10 am-noon" in page, page
    doc = json.loads(server().get("/api/v1/services/" + VENDING)[2])
    assert doc["name"] == "Renamed Naloxone Box" and doc["assured_date"] == "2026-12-01", doc
    assert doc["assurer_email"] == "checker@example.org"
    assert wait_for(lambda: b"Renamed Naloxone Box" in server().get("/find?what=naloxone&where=10454")[2], 1.5)
    rows = audit_rows("listing.save")
    assert len(rows) == before + 1, rows
    actor, _, target, b, a = rows[-1]
    assert actor == "editor@example.org" and target == VENDING, rows[-1]
    assert json.loads(a)["name"] == "Renamed Naloxone Box" and "description" not in json.loads(a), a
    st, _, page = ed.get(action + "?saved=1")
    assert "Saved." in page
    assert ed.post(action, form_fields(page, action))[0] == 303  # the same form again: unchanged, still fine


@test
def bad_input_gets_the_form_back_with_each_problem_at_its_field(_srv):
    ed = Staff("editor@example.org")
    action = "/staff/listings/" + VENDING
    page = ed.get(action)[2]
    fields = replace(form_fields(page, action), state="New York", hours_tu="9 to 5", postal_code="10454",
                     point="91,200", email="nobody", closures="2026-02-30")
    st, _, body = ed.post(action, fields)
    assert st == 422, st
    for f in ["state", "hours_tu", "point", "email", "closures"]:
        assert 'href="#f-%s"' % f in body, f
        assert 'id="f-%s-error"' % f in body, f
    assert 'aria-invalid="true"' in body
    assert 'value="New York"' in body  # what was typed comes back
    st, _, body = ed.post("/staff/listings/new", [("csrf", re.search(r'name="csrf" value="([^"]+)"', page).group(1))])
    assert st == 422 and 'href="#f-name"' in body and 'href="#f-address_1"' in body, st


@test
def listing_forms_need_the_csrf_token(_srv):
    ed = Staff("editor@example.org")
    action = "/staff/listings/" + VENDING
    fields = [(k, v) for k, v in form_fields(ed.get(action)[2], action) if k != "csrf"]
    assert ed.post(action, fields)[0] == 403
    assert ed.post(action, fields + [("csrf", "wrong")])[0] == 403


@test
def creating_and_removing_a_listing(_srv):
    ed = Staff("editor@example.org")
    page = ed.get("/staff/listings/new")[2]
    fields = replace(form_fields(page, "/staff/listings/new"), name="Brand New Drop-in", address_1="1 Main St",
                     city="Bronx", state="NY", postal_code="10454", hours_we="09:00-17:00",
                     phones="718-555-0199, Front desk")
    fields += [("code", "naloxone"), ("code", "walk-in")]
    st, h, _ = ed.post("/staff/listings/new", fields)
    assert st == 303, st
    sid = re.match(r"/staff/listings/([0-9a-f-]{36})\?saved=1$", h["location"]).group(1)
    assert sid[14] == "4", sid  # a random (version 4) UUID
    assert wait_for(lambda: b"Brand New Drop-in" in server().get("/find?what=naloxone&where=10454")[2], 1.5)
    doc = json.loads(server().get("/api/v1/services/" + sid)[2])
    codes = [a["taxonomy_term"]["code"] for a in doc["attributes"]]
    assert codes == ["naloxone", "walk-in"], codes
    delete = "/staff/listings/%s/delete" % sid
    page = ed.get("/staff/listings/" + sid)[2]
    csrf = dict(form_fields(page, delete))["csrf"]
    st, _, body = ed.post(delete, [("csrf", csrf)])
    assert st == 422 and 'href="#f-confirm"' in body, st
    st, h, _ = ed.post(delete, [("csrf", csrf), ("confirm", "1")])
    assert st == 303 and h["location"] == "/staff/listings?deleted=1", (st, h)
    assert server().get("/api/v1/services/" + sid)[0] == 404
    assert wait_for(lambda: b"Brand New Drop-in" not in server().get("/find?what=naloxone&where=10454")[2], 1.5)
    assert audit_rows("listing.create")[-1][2] == sid and audit_rows("listing.delete")[-1][2] == sid


@test
def staff_api_creates_replaces_and_deletes_services(_srv):
    tok = token("robot")
    doc = json.loads(server().get("/api/v1/services/" + VENDING)[2])
    new = dict(doc, id="5f0c1c3e-8a2b-4c4d-9e5f-6a7b8c9d0e1f", name="API Service")
    new["service_at_locations"] = []
    new.pop("organization", None)
    new.pop("organization_id", None)
    st, h, body = api("POST", "/api/v1/services", tok, json.dumps(new))
    assert st == 201 and h["location"] == "/api/v1/services/" + new["id"], (st, h, body)
    assert json.loads(server().get("/api/v1/services/" + new["id"])[2])["name"] == "API Service"
    new["name"] = "API Service, renamed"
    st, _, body = api("POST", "/api/v1/services", tok, json.dumps(new))
    assert st == 200 and json.loads(body)["name"] == "API Service, renamed", (st, body)
    st, _, body = api("POST", "/api/v1/services", tok, "{not json")
    assert st == 400 and json.loads(body)["error"]["status"] == 400, (st, body)
    st, _, body = api("POST", "/api/v1/services", tok, json.dumps(dict(new, status="open")))
    assert st == 422 and json.loads(body)["error"]["field"] == "status", (st, body)
    st, _, body = api("POST", "/api/v1/services", tok, json.dumps(dict(new, name="")))
    assert st == 422 and json.loads(body)["error"]["field"] == "name", (st, body)
    assert api("DELETE", "/api/v1/services/" + new["id"], tok)[0] == 204
    assert api("DELETE", "/api/v1/services/" + new["id"], tok)[0] == 404
    assert server().get("/api/v1/services/" + new["id"])[0] == 404
    rows = [r for r in audit_rows() if r[0] == "token:robot"]
    assert [r[1] for r in rows][-7:] == ["listing.create", "listing.save", "api.refused", "api.refused",
                                         "api.refused", "listing.delete", "api.refused"], rows


@test
def staff_api_needs_an_editor_token_and_leaves_the_public_api_alone(_srv):
    body = json.dumps({"id": "x", "name": "y"})
    assert api("POST", "/api/v1/services", None, body)[0] == 401
    assert api("POST", "/api/v1/services", "not-a-token", body)[0] == 401
    assert api("POST", "/api/v1/services", token("reader"), body)[0] == 403
    assert api("DELETE", "/api/v1/services/" + VENDING, token("reader"))[0] == 403
    st, h, _ = api("PUT", "/api/v1/services/" + VENDING, token("robot"), "")
    assert st == 405 and "DELETE" in h.get("allow", ""), (st, h)
    st, h, body = api("GET", "/api/v1/services?per_page=1")
    assert st == 200 and "set-cookie" not in h and json.loads(body)["contents"], st
    st, h, _ = api("GET", "/api/v1/services/" + VENDING)
    assert st == 200 and "set-cookie" not in h

