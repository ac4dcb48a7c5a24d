"""The staff audit log over HTTP and on the command line (issue 11): the
admin's /staff/audit page and /staff/audit.csv (filters, pages of 50,
escaping, formula-safe CSV), 403 for editors and moderators, and
`waypost audit verify` on a fresh log, on a good log and on logs damaged
with the sqlite3 CLI. Each test takes the shared server.

Rows for the filters are appended with an independent Python copy of the
chain's hash (src/auth/audit.c documents the encoding); the verify test
runs the real command over them, so the two implementations must agree."""
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import time
import urllib.parse

from harness import BIN, ROOT
from staff_client import Staff, new_account

TESTS = []
GENESIS = "0" * 64


def test(fn):
    TESTS.append(fn)
    return fn


def row_hash(prev, at, actor, session, action, target, before, after):
    """SHA-256 over "waypost-audit-v1" and the fields, each as byte 0 (NULL)
    or byte 1, an 8-byte big-endian length and the UTF-8 bytes."""
    h = hashlib.sha256()
    for f in ["waypost-audit-v1", prev, at, actor, session, action, target, before, after]:
        if f is None:
            h.update(b"\x00")
        else:
            b = f.encode("utf-8")
            h.update(b"\x01" + struct.pack(">Q", len(b)) + b)
    return h.hexdigest()


def compact(obj):
    return None if obj is None else json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def append_rows(db_path, rows):
    """Appends rows (dicts: at, actor, session, action, target, before,
    after) chained to the log's last row, in one write transaction."""
    con = sqlite3.connect(db_path, timeout=10, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        last = con.execute("SELECT hash FROM staff_audit ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else GENESIS
        for r in rows:
            f = [r.get("at", "2026-12-01T12:00:00Z"), r.get("actor", ""), r.get("session", ""), r["action"],
                 r.get("target", ""), compact(r.get("before")), compact(r.get("after"))]
            h = row_hash(prev, *f)
            con.execute("INSERT INTO staff_audit (at, actor, session, action, target, before, after, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", f + [prev, h])
            prev = h
        con.execute("COMMIT")
    finally:
        con.close()


def marker():
    return "m%d" % (time.time_ns() % 10**12)


def admin(srv):
    email, pw = new_account(srv, "admin")
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def rows_shown(body):
    """The audit rows of a page: (id, text of the row) in page order."""
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in body else ""
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        m = re.search(r'data-label="Row">(\d+)<', tr)
        out.append((int(m.group(1)), tr))
    return out


@test
def admin_reads_the_log_newest_first_escaped(srv):
    s, email = admin(srv)
    m = marker()
    append_rows(srv.db, [
        {"actor": "ann-%s@example.org" % m, "session": "ab12cd", "action": "user.role", "target": "bo-%s" % m,
         "before": {"role": "editor", "name": "Bo"}, "after": {"role": "admin", "name": "Bo <script>x</script>"}},
        {"actor": "ann-%s@example.org" % m, "action": "listing.save", "target": "svc-%s" % m,
         "after": {"name": "New & improved"}},
    ])
    status, h, body, _ = s.get("/staff/audit?actor=" + m)
    assert status == 200, (status, body[:500])
    assert h["cache-control"] == "no-store" and h["content-type"].startswith("text/html")
    assert "unsafe-inline" not in h["content-security-policy"]
    assert "<h1>Audit log</h1>" in body and 'class="audit-table"' in body
    shown = rows_shown(body)
    assert len(shown) == 2 and shown[0][0] > shown[1][0], shown  # newest first
    first, second = shown[1][1], shown[0][1]
    assert "user.role" in first and "session ab12cd" in first
    assert re.search(r'audit-field">role</span>: editor <span aria-hidden="true">-&gt;</span>'
                     r'<span class="vh">changed to</span> admin', first), first
    assert "Bo &lt;script&gt;x&lt;/script&gt;" in first and "<script>x" not in body
    assert "name</span>: (none)" in second and "New &amp; improved" in second
    assert "style=" not in body and "<script" not in body
    # the user.add row the CLI wrote for this admin is there too
    status, _, body, _ = s.get("/staff/audit?action=user.add&target=" + urllib.parse.quote(email))
    assert status == 200 and len(rows_shown(body)) == 1, body[-2000:]


@test
def editors_moderators_and_strangers_are_refused(srv):
    for role in ["editor", "moderator"]:
        email, pw = new_account(srv, role)
        s = Staff(srv)
        s.login(email, pw)
        for path in ["/staff/audit", "/staff/audit.csv", "/staff/audit?action=login"]:
            status, _, body, _ = s.get(path)
            assert status == 403, (role, path, status)
            assert "audit-table" not in body and "prev_hash" not in body
        status, _, body, _ = s.get("/staff")
        assert status == 200 and 'href="/staff/audit"' not in body, role  # not in their menu
    anon = Staff(srv)
    for path in ["/staff/audit", "/staff/audit.csv"]:
        status, h, body, _ = anon.get(path)
        assert status in (303, 401, 403) and "prev_hash" not in body, (path, status)
        if status == 303:
            assert h["location"].startswith("/staff/login"), h


@test
def filters_select_and_pages(srv):
    s, _ = admin(srv)
    m = marker()
    rows = []
    for i in range(60):
        rows.append({"at": "2026-11-%02dT08:00:%02dZ" % (1 + i % 30, i % 60), "actor": "pager-%s@example.org" % m,
                     "action": "audit.test-%s-%s" % (m, "a" if i % 2 else "b"), "target": "t-%s-%02d" % (m, i)})
    append_rows(srv.db, rows)
    q = "/staff/audit?actor=PAGER-" + m  # any case, part of the text
    status, _, body, _ = s.get(q)
    assert status == 200
    assert "Rows 1 to 50 of 60 (page 1 of 2)." in body, body[-3000:]
    assert len(rows_shown(body)) == 50
    nxt = re.search(r'<a href="([^"]+)" rel="next">', body).group(1).replace("&amp;", "&")
    assert "page=2" in nxt and "actor=PAGER-" + m in nxt, nxt
    status, _, body, _ = s.get(nxt)
    assert status == 200 and len(rows_shown(body)) == 10 and 'rel="prev"' in body and 'rel="next"' not in body
    assert "t-%s-00" % m in body  # the oldest row is last
    # the action select lists the actions present, the chosen one selected
    status, _, body, _ = s.get("/staff/audit?action=audit.test-%s-a" % m)
    assert '<option value="audit.test-%s-a" selected>' % m in body
    assert '<option value="audit.test-%s-b">' % m in body
    assert "Rows 1 to 30 of 30" in body
    # target, and days with both ends included (rows 0-59 on days 1..30, two a day)
    status, _, body, _ = s.get("/staff/audit?target=T-%s-0&actor=%s" % (m, m))
    assert "of 10 " in body, body[-3000:]
    status, _, body, _ = s.get("/staff/audit?actor=%s&from=2026-11-03&to=2026-11-04" % m)
    days = {re.search(r'datetime="([0-9-]+)T', tr).group(1) for _, tr in rows_shown(body)}
    assert days == {"2026-11-03", "2026-11-04"} and len(rows_shown(body)) == 4, (days, body[-2000:])
    # a bad day is named at its field; an unknown page is the last one
    status, _, body, _ = s.get("/staff/audit?from=2026-13-01&actor=" + m)
    assert status == 400 and 'id="e-from"' in body and 'aria-invalid="true"' in body
    status, _, body, _ = s.get("/staff/audit?page=999&actor=" + m)
    assert status == 200 and "page 2 of 2" in body
    status, _, _, _ = s.get("/staff/audit?page=0")
    assert status == 400  # the route's spec refuses it before the handler


@test
def csv_is_filtered_attached_and_formula_safe(srv):
    s, _ = admin(srv)
    m = marker()
    evil = ["=HYPERLINK(\"http://x\",\"%s\")" % m, "+1+1", "-2+3", "@SUM(1)", "\tcmd"]
    append_rows(srv.db, [
        {"actor": evil[0], "session": evil[2], "action": "csv.test-" + m, "target": evil[1],
         "before": {"note": "a, \"b\""}, "after": {"note": "=1+1"}},
        {"actor": evil[3], "session": "", "action": "csv.test-" + m, "target": evil[4]},
        {"actor": "plain-%s@example.org" % m, "action": "other.test-" + m, "target": "x"},
    ])
    status, h, body, _ = s.get("/staff/audit.csv?action=csv.test-" + m)
    assert status == 200, (status, body[:300])
    assert h["content-type"].startswith("text/csv")
    assert h["content-disposition"].startswith("attachment") and ".csv" in h["content-disposition"]
    assert h["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["id", "at", "actor", "session", "action", "target", "before", "after", "prev_hash", "hash"]
    assert len(rows) == 3, rows  # only the filtered action
    newest, older = rows[1], rows[2]
    assert int(newest[0]) > int(older[0])
    assert older[2] == "'" + evil[0] and older[5] == "'" + evil[1] and older[3] == "'" + evil[2]
    assert newest[2] == "'" + evil[3] and newest[5] == "'" + evil[4]
    assert json.loads(older[6]) == {"note": "a, \"b\""} and older[7] == '{"note":"=1+1"}'  # JSON starts with {
    for r in rows[1:]:
        for c in r:
            assert not c or c[0] not in "=+-@\t\r", r
        assert re.fullmatch(r"[0-9a-f]{64}", r[8]) and re.fullmatch(r"[0-9a-f]{64}", r[9])
    # the page links to the CSV with the same filters
    status, _, page, _ = s.get("/staff/audit?action=csv.test-" + m)
    assert 'href="/staff/audit.csv?action=csv.test-%s"' % m in page
    status, _, _, _ = s.get("/staff/audit.csv?to=yesterday")
    assert status == 400


def verify(db):
    p = subprocess.run([BIN, "audit", "verify", "--db", db], cwd=ROOT, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def damage(db, sql):
    """Runs sql on db with the sqlite3 CLI (Python's module when it is missing)."""
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", db, sql], check=True, timeout=30)
    else:
        con = sqlite3.connect(db)
        con.executescript(sql)
        con.close()


@test
def verify_command_passes_and_names_the_broken_row(srv):
    # the shared server's log, written by the server, the CLI and Python rows
    rc, out, err = verify(srv.db)
    assert rc == 0 and re.match(r"audit log: \d+ rows?, chain intact\n", out), (rc, out, err)
    d = tempfile.mkdtemp(prefix="waypost-audit-")
    try:
        db = os.path.join(d, "a.db")
        rc, out, err = verify(db)
        assert rc != 0 and "no database" in err, (rc, out, err)
        subprocess.run([BIN, "migrate", "--db", db], cwd=ROOT, check=True, capture_output=True)
        rc, out, err = verify(db)
        assert (rc, out) == (0, "audit log: 0 rows, chain intact\n"), (rc, out, err)

        class Fake:
            pass
        f = Fake()
        f.db = db
        for i in range(3):
            new_account(f, "editor")  # rows written by the C code (user.add)
        append_rows(db, [{"action": "listing.save", "target": "svc-%d" % i, "after": {"n": i}} for i in range(3)])
        rc, out, err = verify(db)
        assert rc == 0 and out.startswith("audit log: 6 rows, chain intact\n"), (rc, out, err)
        assert re.search(r"newest row 6 at \S+, hash [0-9a-f]{64}", out), out
        broken = os.path.join(d, "b.db")
        shutil.copy(db, broken)
        damage(db, "DROP TRIGGER staff_audit_no_update; UPDATE staff_audit SET target = 'someone@else' WHERE id = 2;")
        rc, out, err = verify(db)
        assert rc == 1 and out.startswith("audit log: link broken at row 2 (its fields do not match"), (rc, out)
        damage(broken, "DROP TRIGGER staff_audit_no_delete; DELETE FROM staff_audit WHERE id = 4;")
        rc, out, err = verify(broken)
        assert rc == 1 and out.startswith("audit log: link broken at row 5 (its prev_hash is not the hash of row 3"), \
            (rc, out)
    finally:
        shutil.rmtree(d, ignore_errors=True)
