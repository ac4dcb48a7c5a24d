#!/usr/bin/env python3
"""Checks the bundled service directory in data/directory/ (HSDS 3.0 NDJSON,
one service object per line, written by tools/convert_directories.py) and
the Waypost taxonomy in data/taxonomy/waypost.json.

What it checks, for every data/directory/*.ndjson and *.ndjson.gz file:
every line parses as a JSON object; every id is a UUID and unique (an object
shared by several services, a location, an organization or a taxonomy term,
may repeat only with identical content); every service has a name, status
and at least one service_at_location whose location has coordinates inside
the US (the 50 states, DC and the territories); every attribute links to a
term that is in data/taxonomy/waypost.json or names its own taxonomy; every
service carries a metadata record with its source and as-of date; nothing
comes from the manufacturer's "vivitrolWeb" list; the gzip header's mtime is
0 and records are in the converter's sort order (so reruns give identical
bytes); and every record of the example file is marked "EXAMPLE: ".
The mail file (mail-based-supplies.ndjson, tools/build_mail_listings.py)
has no points: each of its services instead has a virtual location, a
service_area whose extent is "US" or "US-XX", the mail-based-supplies term
and a source in its description; it is sorted national first, then by
state and name.
Also checks the taxonomy file: its codes, ids (uuid5 of the code) and shape;
and that each Waypost term nested in a service has the file's name and
description, and its attribute the file's link_type.

Usage: python3 tests/content/check_directory.py [DIRECTORY_DIR]
Prints one line per check and ends with "N passed, M failed"; exits 1 on any
failure. Standard library only.
"""
import glob
import gzip
import json
import os
import re
import sys
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DIR = os.path.join(ROOT, "data", "directory")
TAXONOMY = os.path.join(ROOT, "data", "taxonomy", "waypost.json")

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Same boxes as tools/convert_directories.py: (name, lat_min, lat_max, lon_min, lon_max).
US_BOXES = [
    ("contiguous US", 24.3, 49.5, -125.0, -66.8),
    ("Alaska", 51.0, 71.6, -180.0, -129.9),
    ("Alaska (Aleutians west of 180)", 51.0, 53.1, 172.0, 180.0),
    ("Hawaii", 18.8, 22.4, -160.6, -154.6),
    ("Puerto Rico and US Virgin Islands", 17.6, 18.6, -68.0, -64.5),
    ("Guam and Northern Mariana Islands", 13.1, 20.7, 144.5, 146.2),
    ("American Samoa", -14.7, -10.9, -171.2, -168.1),
]
# Objects that several services may share (same id, same content).
SHARED = {"location", "organization", "taxonomy_term", "taxonomy_detail"}
# The codes the C code relies on (issue 4).
TERM_CODES = ["naloxone", "syringe-services", "safer-smoking", "test-strips", "drug-checking",
              "overdose-prevention-site", "mail-based-supplies", "methadone", "buprenorphine", "naltrexone",
              "substance-use-treatment", "outpatient", "intensive-outpatient", "residential",
              "withdrawal-management", "hiv-testing", "hepatitis-c", "vaccination", "wound-care",
              "mental-health", "peer-support", "housing", "food", "primary-care"]
ATTRIBUTE_CODES = ["free", "walk-in", "no-id-required", "telehealth", "medicaid", "medicare",
                   "private-insurance", "sliding-fee", "cash", "youth", "women", "lgbtq", "veterans",
                   "pregnant", "reentry"]
CHILDREN = {"outpatient", "intensive-outpatient", "residential", "withdrawal-management"}
EXAMPLE_FILE = "examples-harm-reduction.ndjson"
MAIL_FILE = "mail-based-supplies.ndjson"
US_STATES = set("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
                "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split())


def mail_problems(where, s):
    """What is wrong with one service of the mail file (no point, an area)."""
    bad = []
    for sal in s.get("service_at_locations") or []:
        loc = (sal or {}).get("location") or {}
        if loc.get("location_type") != "virtual" or "latitude" in loc or "longitude" in loc:
            bad.append("%s: location %s is not virtual, or has a point" % (where, loc.get("id")))
    if not s.get("service_at_locations"):
        bad.append("%s: no service_at_location (the service page needs one)" % where)
    ext = [a.get("extent") for a in s.get("service_areas") or []]
    if not ext or not all(e == "US" or (e or "")[3:] in US_STATES and (e or "").startswith("US-") for e in ext):
        bad.append("%s: service_areas extents %r are not US or US-XX" % (where, ext))
    codes = [((a.get("taxonomy_term") or {}).get("code")) for a in s.get("attributes") or []]
    if "mail-based-supplies" not in codes:
        bad.append("%s: no mail-based-supplies term" % where)
    if "Source: https://" not in s.get("description", ""):
        bad.append("%s: the description does not name its source page" % where)
    return bad


def mail_sort_key(s):
    e = s["service_areas"][0]["extent"]
    return (e != "US", e, s["name"])
WAYPOST_TERMS = {}  # term id -> the term as in data/taxonomy/waypost.json
MAX_SHOWN = 5

passed = failed = 0


def result(ok, name, problems=()):
    global passed, failed
    problems = list(problems)
    if ok and not problems:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name)
        for p in problems[:MAX_SHOWN]:
            print("     " + p)
        if len(problems) > MAX_SHOWN:
            print("     ... and %d more" % (len(problems) - MAX_SHOWN))


def in_us(lat, lon):
    return any(a <= lat <= b and c <= lon <= d for _, a, b, c, d in US_BOXES)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def canon(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check_taxonomy():
    """Returns {term id: code} of the Waypost taxonomy (empty if unusable)."""
    try:
        with open(TAXONOMY, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        result(False, "data/taxonomy/waypost.json parses", [str(e)])
        return {}
    result(True, "data/taxonomy/waypost.json parses")
    problems = []
    tax = doc.get("taxonomy") or {}
    tid = tax.get("id", "")
    if not UUID_RE.match(str(tid)):
        problems.append("taxonomy id is not a UUID")
    for k, v in (("name", "Waypost"), ("uri", "https://waypost.example/taxonomy"), ("version", "1")):
        if tax.get(k) != v:
            problems.append("taxonomy %s should be %r" % (k, v))
    if not tax.get("description"):
        problems.append("taxonomy has no description")
    ids = {}
    for group, codes in (("terms", TERM_CODES), ("attributes", ATTRIBUTE_CODES)):
        got = [t.get("code") for t in doc.get(group, [])]
        if sorted(got) != sorted(codes):
            problems.append("%s codes differ: missing %s, extra %s" % (
                group, sorted(set(codes) - set(got)), sorted(set(got) - set(codes))))
        for t in doc.get(group, []):
            code = t.get("code", "")
            try:
                want = str(uuid.uuid5(uuid.UUID(tid), code))
            except ValueError:
                want = None
            if t.get("id") != want:
                problems.append("%s: id is not uuid5(taxonomy id, code)" % code)
            for k in ("name", "description", "term_uri"):
                if not t.get(k):
                    problems.append("%s: no %s" % (code, k))
            if t.get("taxonomy") != "Waypost" or t.get("taxonomy_id") != tid or t.get("language") != "en":
                problems.append("%s: taxonomy, taxonomy_id or language wrong" % code)
            if "parent_id" not in t:
                problems.append("%s: no parent_id (null when none)" % code)
            ids[t.get("id")] = code
            WAYPOST_TERMS[t.get("id")] = t
    by_code = {c: i for i, c in ids.items()}
    for t in doc.get("terms", []):
        want = by_code.get("substance-use-treatment") if t.get("code") in CHILDREN else None
        if t.get("parent_id") != want:
            problems.append("%s: parent_id should be %s" % (t.get("code"), want))
    result(not problems, "taxonomy: %d terms and %d attributes with the agreed codes and uuid5 ids"
           % (len(doc.get("terms", [])), len(doc.get("attributes", []))), problems)
    return ids


def read_lines(path):
    if path.endswith(".gz"):
        with open(path, "rb") as f:
            head = f.read(10)
        with gzip.open(path, "rb") as f:
            data = f.read()
        return head, data
    with open(path, "rb") as f:
        return None, f.read()


def sort_key(s):
    a = s["service_at_locations"][0]["location"]["addresses"][0]
    return (a["state_province"], a["city"].casefold(), a["postal_code"], s["name"].casefold(), s["id"])


def check_file(path, waypost_ids, seen):
    name = os.path.basename(path)
    head, data = read_lines(path)
    if head is not None:
        ok = len(head) == 10 and head[:2] == b"\x1f\x8b" and head[4:8] == b"\0\0\0\0"
        result(ok, "%s: gzip header has mtime 0 (deterministic)" % name)

    parse, ids, places, attrs, meta, fields, vivitrol = [], [], [], [], [], [], []
    services = []
    for n, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        if b"vivitrolweb" in raw.lower():
            vivitrol.append("line %d mentions vivitrolWeb" % n)
        try:
            s = json.loads(raw.decode("utf-8"))
            if not isinstance(s, dict):
                raise ValueError("not a JSON object")
        except ValueError as e:
            parse.append("line %d: %s" % (n, e))
            continue
        services.append(s)
        where = "line %d (%s)" % (n, s.get("name", "?"))

        # ids: UUIDs, unique; shared objects repeat only with the same content
        def walk(o, kind):
            if isinstance(o, dict):
                if "id" in o:
                    i = o["id"]
                    if not isinstance(i, str) or not UUID_RE.match(i):
                        ids.append("%s: %s id %r is not a UUID" % (where, kind, i))
                    else:
                        prev = seen.get(i)
                        this = (kind, canon(o) if kind in SHARED else None)
                        if prev is None:
                            seen[i] = this + ((name, n),)
                        elif kind not in SHARED or prev[:2] != this:
                            ids.append("%s: %s id %s already used (%s line %d, %s)" % (
                                where, kind, i, prev[2][0], prev[2][1], prev[0]))
                        elif kind in SHARED:
                            return
                for k, v in o.items():
                    if isinstance(v, dict):
                        walk(v, k)
                    elif isinstance(v, list):
                        for x in v:
                            walk(x, k[:-1] if k.endswith("s") else k)
        walk(s, "service")

        for k in ("name", "description"):
            if not isinstance(s.get(k), str) or not s.get(k):
                fields.append("%s: no %s" % (where, k))
        if s.get("status") != "active":
            fields.append("%s: status is %r, not active" % (where, s.get("status")))
        org = s.get("organization")
        if not isinstance(org, dict) or org.get("id") != s.get("organization_id") or not org.get("name"):
            fields.append("%s: organization missing or not matching organization_id" % where)

        good = 0
        if name == MAIL_FILE:
            places.extend(mail_problems(where, s))
        for sal in s.get("service_at_locations") or [] if name != MAIL_FILE else []:
            loc = (sal or {}).get("location") or {}
            lat, lon = loc.get("latitude"), loc.get("longitude")
            if is_number(lat) and is_number(lon) and in_us(lat, lon):
                good += 1
            else:
                places.append("%s: location %s has coordinates %r,%r outside the US" % (
                    where, loc.get("id"), lat, lon))
            for a in loc.get("addresses") or []:
                pc = a.get("postal_code", "")
                if pc and not re.match(r"^\d{5}$", pc):
                    places.append("%s: postal_code %r is not 5 digits" % (where, pc))
                if a.get("country") != "US":
                    places.append("%s: country %r" % (where, a.get("country")))
        if not good and name != MAIL_FILE:
            places.append("%s: no service_at_location with a location inside the US" % where)

        names = set()
        for a in s.get("attributes") or []:
            t = a.get("taxonomy_term") or {}
            tid = t.get("id") or a.get("taxonomy_term_id")
            if a.get("taxonomy_term_id") and t and a["taxonomy_term_id"] != t.get("id"):
                attrs.append("%s: taxonomy_term_id and taxonomy_term.id differ" % where)
            if tid in waypost_ids:
                if t and (t.get("code") != waypost_ids[tid] or t.get("taxonomy") != "Waypost"):
                    attrs.append("%s: term %s is Waypost's %s but says otherwise" % (where, tid, waypost_ids[tid]))
                ours = WAYPOST_TERMS[tid]
                if t and (t.get("name"), t.get("description")) != (ours.get("name"), ours.get("description")):
                    attrs.append("%s: term %s has another name or description than in waypost.json (rerun "
                                 "tools/convert_directories.py)" % (where, waypost_ids[tid]))
                if a.get("link_type") != ours.get("link_type"):
                    attrs.append("%s: attribute for %s has link_type %r, waypost.json says %r"
                                 % (where, waypost_ids[tid], a.get("link_type"), ours.get("link_type")))
                continue
            tax = t.get("taxonomy") or (t.get("taxonomy_detail") or {}).get("name")
            if not t or not tax:
                attrs.append("%s: attribute %s links to %s, neither a Waypost term nor in a named taxonomy"
                             % (where, a.get("id"), tid))
            elif tax == "Waypost":
                attrs.append("%s: term %s (%s) claims to be Waypost's but is not in waypost.json"
                             % (where, tid, t.get("code")))
            else:
                names.add(tax)
            if t and not (t.get("name") and t.get("description")):
                attrs.append("%s: term %s has no name or description" % (where, tid))

        md = [m for m in s.get("metadata") or [] if m.get("resource_id") == s.get("id")]
        if not md or not all(DATE_RE.match(m.get("last_action_date", "")) and m.get("updated_by") for m in md):
            meta.append("%s: no metadata record with the source (updated_by) and as-of date" % where)

    result(not parse, "%s: every line parses (%d services)" % (name, len(services)), parse)
    result(bool(services), "%s: has services" % name)
    result(not ids, "%s: ids are unique UUIDs" % name, ids)
    result(not fields, "%s: services have name, description, status active and their organization" % name,
           fields)
    result(not places, "%s: every service has a location with coordinates inside the US%s"
           % (name, " (mail: a virtual location and a US or state service area)" if name == MAIL_FILE else ""),
           places)
    result(not attrs, "%s: every attribute's term is Waypost's (named and linked as in waypost.json) or in a "
           "taxonomy named in the record" % name, attrs)
    result(not meta, "%s: every service carries its source and as-of date (metadata)" % name, meta)
    result(not vivitrol, "%s: no vivitrolWeb rows" % name, vivitrol)
    try:
        keys = [(mail_sort_key if name == MAIL_FILE else sort_key)(s) for s in services]
        unsorted = [] if keys == sorted(keys) else ["records are not in (state, city, ZIP, name, id) order"]
    except (KeyError, IndexError, TypeError, AttributeError) as e:
        unsorted = ["cannot read the sort key: %r" % e]
    result(not unsorted, "%s: records sorted (deterministic output)" % name, unsorted)

    if name == EXAMPLE_FILE:
        bad = []
        for s in services:
            if not s.get("name", "").startswith("EXAMPLE: "):
                bad.append("service %r" % s.get("name"))
            if not (s.get("organization") or {}).get("name", "").startswith("EXAMPLE: "):
                bad.append("organization of %r" % s.get("name"))
            if "Not a real service." not in s.get("description", ""):
                bad.append("description of %r does not say it is not a real service" % s.get("name"))
            for sal in s.get("service_at_locations") or []:
                ln = ((sal or {}).get("location") or {}).get("name")
                if ln is not None and not ln.startswith("EXAMPLE: "):
                    bad.append("location %r" % ln)
        result(not bad, "%s: every name starts with \"EXAMPLE: \"" % name, bad)
        hours = [sch for s in services for sal in s.get("service_at_locations") or []
                 for sch in sal.get("schedules") or []]
        overnight = [h for h in hours if "opens_at" in h and h.get("closes_at", "") < h["opens_at"]]
        allday = [h for h in hours if h.get("opens_at") == "00:00" and h.get("byday", "").count(",") == 6]
        closures = [h for h in hours if "opens_at" not in h and "closes_at" not in h]
        badh = [repr(h.get("id")) for h in closures if not DATE_RE.match(h.get("valid_from", ""))]
        badh += [repr(h.get("id")) for h in hours if h not in closures
                 if h.get("freq") != "WEEKLY" or not h.get("byday")
                or not re.match(r"^\d\d:\d\d$", h.get("opens_at", ""))
                or not re.match(r"^\d\d:\d\d$", h.get("closes_at", ""))]
        result(hours and overnight and allday and not badh,
               "%s: weekly schedules, with overnight and 24/7 hours" % name, badh)
    return services


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DIR
    waypost_ids = check_taxonomy()
    files = sorted(glob.glob(os.path.join(folder, "*.ndjson")) + glob.glob(os.path.join(folder, "*.ndjson.gz")))
    result(any(os.path.basename(f) == EXAMPLE_FILE for f in files) and len(files) >= 5,
           "data/directory has the four converted sources and the example file (%d files)" % len(files))
    seen = {}
    total = 0
    for f in files:
        total += len(check_file(f, waypost_ids, seen))
    print("%d services in %d files" % (total, len(files)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
