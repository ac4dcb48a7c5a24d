"""The spike detector (issue 14, "Counts and spike detection"):
`waypost import events` (a good file is stored and summed up; each kind of
malformed file changes nothing and names the row and column), `waypost
spikes` (text and --json; its C1/C2/C3 flags agree with the Python
reimplementation bench/spikes_ref.py; reviewed community reports count as
the kind community-reports when their table exists), and the staff pages:
/staff/spikes and the overview show the flags with a chart, why and (for
editors) a "draft an alert" link; /staff/events and the settings need the
editor role and the CSRF token, name a bad field, and write audit rows;
the settings preview the past year before saving."""
import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import zoneinfo

from harness import BIN, ROOT
from staff_client import Staff, new_account

sys.path.insert(0, os.path.join(ROOT, "bench"))
import spikes_ref  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def cli(db, *args):
    p = subprocess.run([BIN] + list(args) + ["--db", db], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def sql(db, query, args=()):
    con = sqlite3.connect(db, timeout=10)
    try:
        rows = con.execute(query, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def write(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
    f.write(text)
    f.close()
    return f.name


def fresh_db():
    return os.path.join(tempfile.mkdtemp(prefix="waypost-spikes-"), "w.db")


def series_csv(kind, area, start, counts):
    rows = ["date,area,kind,count"]
    for i, c in enumerate(counts):
        rows.append("%s,%s,%s,%d" % (start + datetime.timedelta(days=i), area, kind, c))
    return "\n".join(rows) + "\n"


BASE = [3, 4, 2, 3, 5, 3, 2, 4, 3, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2, 3, 4, 3, 3, 2, 4, 3, 5, 3, 2, 3, 4, 3, 3, 2]


@test
def import_good_file_and_summary(srv):
    db = fresh_db()
    start = datetime.date(2024, 1, 1)
    path = write(series_csv("ems-overdose-calls", "97204", start, BASE))
    rc, out, err = cli(db, "import", "events", path)
    assert rc == 0, (rc, out, err)
    assert "%d daily counts, %d new, 0 replaced" % (len(BASE), len(BASE)) in out, out
    assert sql(db, "SELECT count(*), sum(count) FROM community_event")[0] == (len(BASE), sum(BASE))
    # again, with one count changed: replaced, not doubled
    path = write("date,area,kind,count\n2024-01-01,97204,ems-overdose-calls,9\n")
    rc, out, err = cli(db, "import", "events", path)
    assert rc == 0 and "1 daily counts, 0 new, 1 replaced" in out, (out, err)
    assert sql(db, "SELECT count FROM community_event WHERE day = '2024-01-01'") == [(9,)]


BAD_FILES = [
    ("date,area,kind\n2024-01-01,97204,ems\n", "row 1"),
    ("date,area,kind,count\n2024-01-01,97204,ems,3\n2024-01-02,97204,ems,three\n", "row 3, column count"),
    ("date,area,kind,count\n2024-01-01,97204,ems,3\n2024-02-30,97204,ems,3\n", "row 3, column date"),
    ("date,area,kind,count\n2024-01-01,nowhere-at-all,ems,3\n", "row 2, column area"),
    ("date,area,kind,count\n2024-01-01,97204,EMS Calls,3\n", "row 2, column kind"),
    ("date,area,kind,count\n2024-01-01,97204,community-reports,3\n", "row 2, column kind"),
    ("date,area,kind,count\n2024-01-01,97204,ems,-1\n", "row 2, column count"),
    ("date,area,kind,count\n2024-01-01,97204,ems,3\n2024-01-02,97204,ems,1,2\n", "row 3"),
    ("date,area,kind,count\n2024-01-01,97204,ems,3\n2024-01-02,97204,ems,1\n2024-01-01,97204,ems,4\n", "row 4"),
    ("date,area,kind,count\n2024-01-01,97204,\"ems,3\n", "row 2"),
]


@test
def malformed_files_change_nothing_and_name_the_row(srv):
    db = fresh_db()
    path = write("date,area,kind,count\n2023-12-31,97204,ems,7\n")
    assert cli(db, "import", "events", path)[0] == 0
    for text, where in BAD_FILES:
        rc, out, err = cli(db, "import", "events", write(text))
        assert rc == 1, (text, rc, out, err)
        assert where in err, (text, err)
        assert "nothing was changed" in err, err
        assert sql(db, "SELECT day, count FROM community_event") == [("2023-12-31", 7)], text
    rc, _, err = cli(db, "import", "events", "/nonexistent/file.csv")
    assert rc == 1 and "cannot read" in err


@test
def spikes_json_matches_the_python_reimplementation(srv):
    db = fresh_db()
    start = datetime.date(2024, 3, 1)
    counts = BASE + [12, 14, 3]
    assert cli(db, "import", "events", write(series_csv("ems-overdose-calls", "97204", start, counts)))[0] == 0
    for t in range(len(BASE) - 3, len(counts)):
        day = (start + datetime.timedelta(days=t)).isoformat()
        rc, out, err = cli(db, "spikes", "--date", day, "--json")
        assert rc == 0, err
        flags = json.loads(out)
        for f in flags:
            assert set(f) == {"date", "area", "kind", "count", "expected", "threshold", "method", "level"}, f
            assert f["date"] == day and f["area"] == "97204" and f["kind"] == "ems-overdose-calls"
            assert f["level"] in ("red", "yellow") and f["count"] == counts[t]
            assert f["count"] > f["threshold"] or f["method"] == "poisson" and f["count"] >= f["threshold"], f
        got = {f["method"] for f in flags if f["method"] in ("c1", "c2", "c3")}
        assert got == spikes_ref.ears_flags(counts, t), (day, got, spikes_ref.ears_flags(counts, t))
        stored = sql(db, "SELECT count(*) FROM community_spike WHERE day = ?", (day,))[0][0]
        assert stored == len(flags)
    spike = (start + datetime.timedelta(days=len(BASE))).isoformat()
    rc, out, _ = cli(db, "spikes", "--date", spike)
    assert rc == 0 and "ems-overdose-calls: 12 (expected" in out and "c1 red" in out, out
    # a second run of the same day replaces its flags
    cli(db, "spikes", "--date", spike)
    assert sql(db, "SELECT count(*) FROM community_spike WHERE day = ? AND method = 'c1'", (spike,)) == [(1,)]
    rc, _, err = cli(db, "spikes", "--date", "2024-13-01")
    assert rc == 1 and "--date" in err


@test
def quiet_days_and_all_zero_baselines_do_not_flag(srv):
    db = fresh_db()
    start = datetime.date(2024, 5, 1)
    counts = [0] * 40 + [3]  # 3 after zeros: under min sigma x 3.09 for C1/C2
    assert cli(db, "import", "events", write(series_csv("reported-reversals", "97205", start, counts)))[0] == 0
    rc, out, err = cli(db, "spikes", "--date", (start + datetime.timedelta(days=40)).isoformat(), "--json")
    assert rc == 0, err
    methods = {f["method"] for f in json.loads(out)}
    assert not methods & {"c1", "c2"}, methods


@test
def reviewed_community_reports_are_a_kind(srv):
    db = fresh_db()
    assert cli(db, "migrate")[0] == 0
    # the reports helper's table (migration 0011), as agreed, when absent
    sql(db, "CREATE TABLE IF NOT EXISTS community_report (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, "
            "day TEXT NOT NULL, area TEXT NOT NULL, sold_as TEXT, seemed TEXT, effects TEXT, note TEXT, looked TEXT, "
            "staff INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'new', decided_at INTEGER, "
            "decided_by TEXT)")
    start = datetime.date(2024, 6, 1)
    rows = []
    for i in range(40):
        day = (start + datetime.timedelta(days=i)).isoformat()
        rows += [(day, "97214", "reviewed")] * (1 if i % 3 == 0 else 0)
    last = (start + datetime.timedelta(days=40)).isoformat()
    rows += [(last, "97214", "reviewed")] * 6 + [(last, "97214", "alerted")] * 2 + [(last, "97214", "new")] * 9
    rows += [(last, "97214", "dismissed")] * 9
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO community_report(created_at, day, area, status) VALUES (0, ?, ?, ?)", rows)
    con.commit()
    con.close()
    rc, out, err = cli(db, "spikes", "--date", last, "--json")
    assert rc == 0, err
    flags = [f for f in json.loads(out) if f["kind"] == "community-reports"]
    assert flags and all(f["count"] == 8 and f["area"] == "97214" for f in flags), out


def yesterday():
    return datetime.datetime.now(zoneinfo.ZoneInfo("America/New_York")).date() - datetime.timedelta(days=1)


def signed_in(srv, role):
    email, pw = new_account(srv, role)
    s = Staff(srv)
    s.login(email, pw)
    return s, email


def flagged_kind(srv, kind):
    """A kind whose series ends yesterday with a spike, imported into the
    shared server's database."""
    y = yesterday()
    counts = BASE + [16]
    start = y - datetime.timedelta(days=len(counts) - 1)
    rc, out, err = cli(srv.db, "import", "events", write(series_csv(kind, "97204", start, counts)))
    assert rc == 0, err
    return y.isoformat()


@test
def staff_pages_show_flags_by_role(srv):
    day = flagged_kind(srv, "ed-overdose-visits")
    ed, _ = signed_in(srv, "editor")
    csrf = ed.csrf("/staff/spikes")
    st, _, body, _ = ed.post("/staff/spikes/run", {"date": day})
    assert st == 403, st  # no CSRF token
    st, h, body, _ = ed.post("/staff/spikes/run", {"csrf": csrf, "date": day})
    assert st == 303 and "/staff/spikes?done=run" in h["location"], (st, h)
    st, _, body, _ = ed.get(h["location"])
    assert st == 200 and "The detector ran for " + day in body
    assert "ed-overdose-visits in 97204 on " + day in body and "<svg" in body
    assert "Count 16, expected about" in body and "EARS C1" in body
    m = re.search(r'href="(/staff/alerts/new\?[^"]+)"', body)
    assert m, body[:2000]
    q = urllib.parse.parse_qs(urllib.parse.urlparse(m.group(1).replace("&amp;", "&")).query)
    assert q["seen_on"] == [day] and q["zips"] == ["97204"] and q["source"] == ["emergency-department"], q
    assert q["from"][0].startswith("spike:") and "ed overdose visits" in q["headline"][0], q
    st, _, home, _ = ed.get("/staff")
    assert st == 200 and "Spikes in the last 7 days" in home and "ed-overdose-visits in 97204" in home
    mod, _ = signed_in(srv, "moderator")
    st, _, body, _ = mod.get("/staff/spikes")
    assert st == 200 and "ed-overdose-visits in 97204" in body
    assert "/staff/alerts/new?" not in body and "Run the detector" not in body  # editors only
    assert mod.post("/staff/spikes/run", {"csrf": mod.csrf("/staff/spikes"), "date": day})[0] == 403
    assert mod.get("/staff/events")[0] == 403 and mod.get("/staff/spikes/settings?kind=x")[0] == 403
    audit = sql(srv.db, "SELECT action, target FROM staff_audit WHERE action = 'spikes.run' AND target = ?", (day,))
    assert audit, "no audit row for the run"


@test
def staff_event_form(srv):
    ed, email = signed_in(srv, "editor")
    st, _, body, _ = ed.get("/staff/events")
    assert st == 200 and 'name="count"' in body
    csrf = ed.csrf("/staff/events")
    form = {"csrf": csrf, "date": "2024-07-04", "area": "97204", "kind": "naloxone-kits-used", "count": "5"}
    assert ed.post("/staff/events", dict(form, csrf="wrong"))[0] == 403
    st, h, body, _ = ed.post("/staff/events", form)
    assert st == 303 and h["location"] == "/staff/events?done=saved", (st, body[:300])
    assert sql(srv.db, "SELECT count, source, updated_by FROM community_event WHERE kind = 'naloxone-kits-used'") == \
        [(5, "staff", email)]
    st, _, body, _ = ed.post("/staff/events", dict(form, count="lots", date="2024-02-31"))
    assert st == 422 and 'id="f-count-error"' in body and 'id="f-date-error"' in body, st
    st, _, body, _ = ed.post("/staff/events", dict(form, kind="community-reports"))
    assert st == 422 and "counted from reviewed community reports" in body
    assert sql(srv.db, "SELECT count FROM community_event WHERE kind = 'naloxone-kits-used'") == [(5,)]
    rows = sql(srv.db, "SELECT actor, after FROM staff_audit WHERE action = 'events.save' AND actor = ?", (email,))
    assert len(rows) == 1 and json.loads(rows[0][1])["count"] == 5, rows


@test
def settings_preview_then_save(srv):
    flagged_kind(srv, "ems-calls-tuning")
    ed, email = signed_in(srv, "editor")
    st, _, body, _ = ed.get("/staff/spikes/settings?kind=ems-calls-tuning")
    assert st == 200 and "Saved</th>" in body and "Proposed</th>" not in body
    csrf = ed.csrf("/staff/spikes/settings?kind=ems-calls-tuning")
    form = {"csrf": csrf, "kind": "ems-calls-tuning", "m_c1": "on", "baseline": "7", "guard": "2",
            "ewma_baseline": "28", "z12": "3.09", "z3": "1.96", "min_sigma": "1", "min_count": "3", "p_red": "0.01",
            "p_yellow": "0.05", "pois_red": "0.001", "pois_yellow": "0.01", "action": "preview"}
    st, _, body, _ = ed.post("/staff/spikes/settings", form)
    assert st == 200 and "Proposed</th>" in body and "Preview only" in body, body[:500]
    assert "c1 1;" in body  # the proposed settings flag the one spike by C1
    assert sql(srv.db, "SELECT count(*) FROM community_spike_setting WHERE kind = 'ems-calls-tuning'") == [(0,)]
    st, _, body, _ = ed.post("/staff/spikes/settings", dict(form, z12="99", min_count="x"))
    assert st == 422 and "C1/C2 threshold" in body and "Smallest count" in body
    st, _, body, _ = ed.post("/staff/spikes/settings", dict(form, m_c1=""))
    assert st == 422 and "Choose at least one method" in body
    st, h, body, _ = ed.post("/staff/spikes/settings", dict(form, action="save", min_count="20"))
    assert st == 303 and "done=saved" in h["location"], (st, body[:300])
    assert sql(srv.db, "SELECT methods, min_count FROM community_spike_setting WHERE kind = 'ems-calls-tuning'") == \
        [("c1", 20)]
    assert sql(srv.db, "SELECT count(*) FROM staff_audit WHERE action = 'spikes.settings' AND actor = ?",
               (email,)) == [(1,)]
    # min count 20: the spike of 16 no longer flags
    rc, out, _ = cli(srv.db, "spikes", "--date", yesterday().isoformat(), "--json")
    assert rc == 0 and not [f for f in json.loads(out) if f["kind"] == "ems-calls-tuning"], out
    assert ed.get("/staff/spikes/settings?kind=Bad%20Kind")[0] == 400
