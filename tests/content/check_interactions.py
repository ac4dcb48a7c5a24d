#!/usr/bin/env python3
"""Checks data/interactions/, the hand-authored drug-combination matrix (its
README.md describes the files).

What it checks: every file loads; matrix.json's shape, the seven levels and
the groups; every listed substance has a file and every file is listed;
each substance's slug, name, group and aliases; every alias resolves to
exactly one substance; the matrix is complete and symmetric (every
unordered pair of distinct substances exactly once, in the file of the slug
that comes first alphabetically, no self pairs, no unknown slugs); every
cell has a valid level, a summary and advice; every cell above low risk has
a source, every cited source exists and every listed source is cited;
"unknown" cells say so plainly; texts use no placeholder but
{{emergency_number}} and never a fixed 911; every fact sheet matches a substance; and the family
rules the matrix was written to (rules() below: e.g. two full opioids, or a
full opioid with a sedative, are "dangerous"; a stimulant that hides
sedation is at least "caution" with a full opioid). These rules used to be
enforced by the generator that wrote the matrix; now the matrix is edited
by hand and this script holds them.

Usage: python3 tests/content/check_interactions.py [path/to/data/interactions]
Prints one line per check and ends with "N passed, M failed"; exits 1 on any
failure. Standard library only.
"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import MAX_GRADE, grade  # noqa: E402  the reading grade the pages are held to

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(ROOT, "data", "interactions")

LEVEL_ORDER = ["dangerous", "unsafe", "caution", "low-risk-synergy", "low-risk-no-synergy",
               "low-risk-decrease", "unknown"]
LOW_RISK = {"low-risk-synergy", "low-risk-no-synergy", "low-risk-decrease"}
WORST_FIRST = ["dangerous", "unsafe", "caution"]
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKENS = {"emergency_number"}
PAIR_KEYS = {"level", "summary", "advice", "sources"}
SUB_KEYS = {"slug", "name", "group", "depressant", "aliases", "alias_notes", "self", "pairs"}

# --------------------------------------------------------------------------
# The family rules. Classes come from the data where the groups fit
# (opioids, and the sedatives: substances of a group marked "depressant"
# that are not opioids); the finer classes are named here.
# --------------------------------------------------------------------------
PARTIAL_OPIOIDS = {"buprenorphine"}  # a ceiling on slowed breathing; blocks other opioids
OPIOID_BLOCKERS = {"naloxone"}
STREET_OPIOIDS = {"fentanyl", "carfentanil", "nitazenes", "orphines", "heroin"}  # strongest, least predictable
ANIMAL_SEDATIVES = {"xylazine", "medetomidine"}  # naloxone does not reverse them
DISSOCIATIVES = {"ketamine", "dxm"}
SEROTONERGIC = {"tramadol", "mdma", "mda", "dxm", "ssris-snris"}  # raise serotonin
PRESSOR_STIMULANTS = {"cocaine", "methamphetamine", "adhd-stimulants"}  # raise blood pressure
HARD_STIMULANTS = {"cocaine", "methamphetamine", "mdma", "mda", "adhd-stimulants"}
# Stimulants hide how sedated a person is, so the depressant catches up when
# they wear off. The least each may be: with a street opioid, with any other
# full opioid, with GHB.
HIDES_SEDATION = {
    "cocaine": ("dangerous", "dangerous", "unsafe"),
    "methamphetamine": ("dangerous", "dangerous", "unsafe"),
    "adhd-stimulants": ("unsafe", "caution", "caution"),
    "mdma": ("caution", "caution", "unsafe"),
    "mda": ("caution", "caution", "unsafe"),
}
NAMED = (PARTIAL_OPIOIDS | OPIOID_BLOCKERS | STREET_OPIOIDS | ANIMAL_SEDATIVES | DISSOCIATIVES
         | SEROTONERGIC | PRESSOR_STIMULANTS | HARD_STIMULANTS | set(HIDES_SEDATION)
         | {"ghb", "ketamine", "methadone", "cannabis", "psychedelics", "maois", "ssris-snris",
            "antipsychotics", "alcohol", "lithium", "gabapentinoids"})


def classes(subs, groups):
    """The substance classes the rules use, from the data and the names above."""
    def group(g):
        return {s for s, d in subs.items() if d.get("group") == g}

    def flag(s):
        d = subs[s]
        return d["depressant"] if isinstance(d.get("depressant"), bool) else groups.get(d.get("group"), False)

    opioids = group("opioids")
    in_dep_group = {s for s, d in subs.items() if groups.get(d.get("group"))}
    return {
        "opioids": opioids,
        "full": opioids - PARTIAL_OPIOIDS,
        "sedatives": in_dep_group - opioids,
        # Slow breathing on their own although their group does not (kratom).
        "alone": {s for s in subs if flag(s)} - in_dep_group,
        "stimulants": group("stimulants"),
    }


def rules(c):
    """(what, slugs on one side, slugs on the other, the least level)."""
    full, sed = c["full"], c["sedatives"]
    r = [
        ("two full opioids", full, full, "dangerous"),
        ("a full opioid with a sedative", full, sed, "dangerous"),
        ("two sedatives", sed, sed, "unsafe"),
        ("an animal sedative with another sedative", ANIMAL_SEDATIVES, sed, "dangerous"),
        ("a partial opioid with a full opioid", PARTIAL_OPIOIDS, full, "caution"),
        ("a partial opioid with a sedative", PARTIAL_OPIOIDS, sed, "unsafe"),
        ("a breathing-slowing substance with a full opioid or a sedative", c["alone"], full | sed,
         "unsafe"),
        ("a breathing-slowing substance with a partial opioid", c["alone"], PARTIAL_OPIOIDS, "caution"),
        ("a dissociative with a full opioid", DISSOCIATIVES, full, "unsafe"),
        ("ketamine or DXM with a street opioid or methadone", DISSOCIATIVES, STREET_OPIOIDS | {"methadone"},
         "dangerous"),
        ("DXM with alcohol", {"dxm"}, {"alcohol"}, "dangerous"),
        ("DXM or tramadol with another serotonin-raising drug", {"dxm", "tramadol"}, SEROTONERGIC, "dangerous"),
        ("lithium with MDMA, MDA, DXM or tramadol", {"lithium"}, {"mdma", "mda", "dxm", "tramadol"}, "unsafe"),
        ("gabapentin or pregabalin with a stimulant", {"gabapentinoids"}, c["stimulants"], "caution"),
        ("cannabis with a full opioid", {"cannabis"}, full, "caution"),
        ("an MAOI with a full opioid", {"maois"}, full, "unsafe"),
        ("an SSRI or SNRI with a full opioid", {"ssris-snris"}, full, "caution"),
        ("an antipsychotic with an opioid", {"antipsychotics"}, c["opioids"], "caution"),
        ("two serotonin-raising drugs", SEROTONERGIC, SEROTONERGIC, "unsafe"),
        ("an MAOI with a serotonin-raising drug", {"maois"}, SEROTONERGIC, "dangerous"),
        ("an MAOI with a blood-pressure-raising stimulant", {"maois"}, PRESSOR_STIMULANTS,
         "dangerous"),
        ("two stimulants", c["stimulants"], c["stimulants"], "caution"),
        ("two strong stimulants", HARD_STIMULANTS, HARD_STIMULANTS, "unsafe"),
        ("an animal sedative with cocaine or meth", ANIMAL_SEDATIVES, {"cocaine", "methamphetamine"},
         "caution"),
        ("an animal sedative with a dissociative", ANIMAL_SEDATIVES, DISSOCIATIVES, "unsafe"),
        ("an animal sedative with an antipsychotic", ANIMAL_SEDATIVES, {"antipsychotics"}, "caution"),
        ("a psychedelic, dissociative or cannabis with a blood-pressure-raising stimulant",
         DISSOCIATIVES | {"psychedelics", "cannabis"}, PRESSOR_STIMULANTS, "caution"),
        ("an antipsychotic with a blood-pressure-raising stimulant", {"antipsychotics"},
         PRESSOR_STIMULANTS, "caution"),
    ]
    for st, (street, other_full, ghb) in HIDES_SEDATION.items():
        r.append(("%s (hides sedation) with a street opioid" % st, {st}, STREET_OPIOIDS, street))
        r.append(("%s (hides sedation) with a full opioid" % st, {st}, full, other_full))
        r.append(("%s (hides sedation) with GHB" % st, {st}, {"ghb"}, ghb))
    return r


# The base letters of U+00C0..U+00FF, as matrix_normalise in
# src/substances/matrix.c folds them ("" for the two signs among them).
LATIN1_FOLD = ("a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th ss "
               "a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th y").split()


def norm(name):
    """How the checker compares names: case, spacing and punctuation ignored,
    the accents of Latin letters folded ("Cocaína" is "cocaina")."""
    out = []
    for ch in name:
        if ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        elif 0xC0 <= ord(ch) <= 0xFF and LATIN1_FOLD[ord(ch) - 0xC0] != "-":
            out.append(LATIN1_FOLD[ord(ch) - 0xC0])
    return "".join(out)


def text(v):
    return isinstance(v, str) and v.strip() != ""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems):
        if problems:
            self.failed += 1
            print("FAIL %s (%d problem%s)" % (name, len(problems), "" if len(problems) == 1 else "s"))
            for p in problems[:25]:
                print("     - %s" % p)
            if len(problems) > 25:
                print("     ... and %d more" % (len(problems) - 25))
        else:
            self.passed += 1
            print("ok   %s" % name)


def read(path, probs):
    rel = os.path.relpath(path, ROOT)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f, object_pairs_hook=no_duplicates)
    except (OSError, ValueError) as e:
        probs.append("%s: %s" % (rel, e))
        return None
    if not isinstance(doc, dict):
        probs.append("%s: the file is not a JSON object" % rel)
        return None
    return doc


def no_duplicates(items):
    keys = [k for k, _ in items]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError("%s written twice in one object" % ", ".join(repr(k) for k in dup))
    return dict(items)


def load(folder, c):
    """Reads the folder; returns (main, sources, {slug: substance file}) or None."""
    probs = []
    main = read(os.path.join(folder, "matrix.json"), probs)
    sources = read(os.path.join(folder, "sources.json"), probs)
    order = main.get("substances") if main else None
    if main and not (isinstance(order, list) and all(isinstance(s, str) for s in order)):
        probs.append("matrix.json: \"substances\" must be a list of slugs")
        order = None
    subs = {}
    files = {os.path.basename(f)[:-5] for f in glob.glob(os.path.join(folder, "substances", "*.json"))}
    for slug in order or []:
        if slug not in files:
            probs.append("matrix.json lists %r but substances/%s.json does not exist" % (slug, slug))
            continue
        doc = read(os.path.join(folder, "substances", slug + ".json"), probs)
        if doc is not None:
            subs[slug] = doc
    for f in sorted(files - set(order or [])):
        probs.append("substances/%s.json is not in matrix.json's \"substances\" list" % f)
    c.check("every file loads as UTF-8 JSON, and every substance file is listed", probs)
    if probs or main is None or sources is None:
        return None
    return main, sources, {s: subs[s] for s in order}


def check_main(c, main):
    probs = []
    for k, t in (("reviewed", str), ("substances", list), ("groups", list), ("levels", list)):
        if not isinstance(main.get(k), t):
            probs.append("matrix.json: %r missing or not a %s" % (k, t.__name__))
    if isinstance(main.get("reviewed"), str) and not DATE_RE.match(main["reviewed"]):
        probs.append("matrix.json: reviewed %r is not YYYY-MM-DD" % main["reviewed"])
    extra = set(main) - {"reviewed", "substances", "groups", "levels"}
    if extra:
        probs.append("matrix.json has unexpected keys %s" % sorted(extra))
    c.check("matrix.json has reviewed, substances, groups and levels", probs)

    levels = main.get("levels") if isinstance(main.get("levels"), list) else []
    probs = []
    ids = [lv.get("id") if isinstance(lv, dict) else None for lv in levels]
    if ids != LEVEL_ORDER:
        probs.append("level ids %r, expected %r in that order" % (ids, LEVEL_ORDER))
    for i, lv in enumerate(levels):
        if not isinstance(lv, dict):
            probs.append("level %d is not an object" % i)
            continue
        if lv.get("rank") != i + 1:
            probs.append("level %r has rank %r, expected %d" % (lv.get("id"), lv.get("rank"), i + 1))
        for f in ("name", "definition"):
            if not text(lv.get(f)):
                probs.append("level %r has no %s" % (lv.get("id"), f))
    unk = next((lv for lv in levels if isinstance(lv, dict) and lv.get("id") == "unknown"), None)
    if unk and "not mean safe" not in str(unk.get("definition", "")).lower():
        probs.append("the unknown level's definition must say unknown does not mean safe")
    c.check("seven levels, ranked worst first, each defined", probs)

    groups, probs = {}, []
    for i, g in enumerate(main.get("groups") if isinstance(main.get("groups"), list) else []):
        gid = g.get("id") if isinstance(g, dict) else None
        if not isinstance(gid, str) or not SLUG_RE.match(gid):
            probs.append("group %d has bad id %r" % (i + 1, gid))
            continue
        if gid in groups:
            probs.append("group %r is listed twice" % gid)
        if not isinstance(g.get("depressant"), bool) or set(g) != {"id", "depressant"}:
            probs.append("group %r needs exactly an id and \"depressant\": true or false" % gid)
        groups[gid] = g.get("depressant") is True
    for need in ("opioids", "stimulants"):
        if need not in groups:
            probs.append("the rules need the group %r" % need)
    c.check("groups have an id and a depressant flag", probs)
    return groups


def check_sources(c, sources):
    probs = []
    for sid, s in sources.items():
        if not SLUG_RE.match(sid):
            probs.append("source id %r is not lower-case-with-dashes" % sid)
        if not isinstance(s, dict) or not text(s.get("title")) or not text(s.get("url")):
            probs.append("source %r needs a title and a url" % sid)
        elif not s["url"].startswith("https://") or " " in s["url"]:
            probs.append("source %r url %r is not a plain https address" % (sid, s["url"]))
    c.check("sources have a title and an https url", probs)


def check_substances(c, subs, groups):
    probs = []
    for slug, s in subs.items():
        where = "substances/%s.json" % slug
        if not SLUG_RE.match(slug):
            probs.append("%r is not a slug (a-z, 0-9, single dashes)" % slug)
        if s.get("slug") != slug:
            probs.append("%s: slug is %r, must be %r like the file name" % (where, s.get("slug"), slug))
        if not text(s.get("name")):
            probs.append("%s has no name" % where)
        if s.get("group") not in groups:
            probs.append("%s has group %r, not one of matrix.json's %s" % (where, s.get("group"), sorted(groups)))
        if "depressant" in s and not isinstance(s["depressant"], bool):
            probs.append("%s: depressant must be true or false" % where)
        if not isinstance(s.get("pairs"), dict):
            probs.append("%s: pairs must be an object ({} when empty)" % where)
        extra = set(s) - SUB_KEYS
        if extra:
            probs.append("%s has unexpected keys %s" % (where, sorted(extra)))
        if not isinstance(s.get("self"), dict):
            probs.append("%s needs \"self\": the cell for two names of the same substance or class" % where)
        al = s.get("aliases")
        notes = s.get("alias_notes", {})
        if not isinstance(notes, dict) or not all(text(v) for v in notes.values()):
            probs.append("%s: alias_notes must be an object of alias: non-empty note" % where)
        elif isinstance(al, list):
            probs += ["%s: the alias note %r is not one of its aliases" % (where, k) for k in notes if k not in al]
        if not isinstance(al, list) or not all(text(a) for a in al):
            probs.append("%s aliases must be a list of non-empty strings" % where)
        elif any(a != a.lower() or a != a.strip() for a in al):
            probs.append("%s has aliases that are not lower case and trimmed" % where)
    if len(subs) < 25:
        probs.append("only %d substances; the matrix needs at least 25" % len(subs))
    c.check("at least 25 substances with valid slugs, names and groups", probs)


def check_aliases(c, subs):
    probs = []
    owners = {}  # normalised key -> set of slugs it could mean
    for slug, s in subs.items():
        keys = [slug, str(s.get("name", ""))]
        keys += [a for a in s.get("aliases", []) if isinstance(a, str)] if isinstance(s.get("aliases"), list) else []
        for k in keys:
            if norm(k):
                owners.setdefault(norm(k), set()).add(slug)
    for slug, s in subs.items():
        seen = set()
        for a in s.get("aliases", []) if isinstance(s.get("aliases"), list) else []:
            if not isinstance(a, str):
                continue
            n = norm(a)
            if not n:
                probs.append("%s alias %r is empty once normalised" % (slug, a))
                continue
            if n in seen:
                probs.append("%s lists alias %r twice (after normalising)" % (slug, a))
            seen.add(n)
            if owners.get(n) != {slug}:
                probs.append("alias %r of %s also matches %s" % (a, slug, ", ".join(sorted(owners[n] - {slug}))))
            if n == norm(slug) or n == norm(str(s.get("name", ""))):
                probs.append("%s alias %r just repeats its own slug or name" % (slug, a))
        for k in (slug, str(s.get("name", ""))):
            if owners.get(norm(k), {slug}) != {slug}:
                probs.append("%s's slug or name %r clashes with %s" % (
                    slug, k, ", ".join(sorted(owners[norm(k)] - {slug}))))
    c.check("every alias resolves to exactly one substance", probs)
    probs = []
    for a in ("molly", "tranq", "xanax", "bars", "percs", "zoloft", "adderall"):
        if len(owners.get(norm(a), set())) != 1:
            probs.append("%r does not resolve to one substance" % a)
    c.check("the issue's example aliases resolve", probs)


def collect_pairs(c, subs):
    """{frozenset(a, b): (owner, other, cell)}; checks the matrix is complete."""
    probs, cells = [], {}
    for owner, s in subs.items():
        for other, cell in (s.get("pairs") or {}).items() if isinstance(s.get("pairs"), dict) else []:
            where = "substances/%s.json" % owner
            if other not in subs:
                probs.append("%s: the pair %s + %s names an unknown substance" % (where, owner, other))
                continue
            if other == owner:
                probs.append("%s pairs %s with itself" % (where, owner))
                continue
            if other < owner:
                probs.append("%s: the pair %s + %s belongs in substances/%s.json (the slug that comes "
                             "first alphabetically)" % (where, owner, other, other))
            k = frozenset((owner, other))
            if k in cells:
                probs.append("the pair %s + %s is written twice (in %s.json and %s.json)"
                             % (owner, other, cells[k][0], owner))
            cells[k] = (owner, other, cell)
    slugs = sorted(subs)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1:]:
            if frozenset((a, b)) not in cells:
                probs.append("no cell for %s + %s (it belongs in substances/%s.json)" % (a, b, a))
    n = len(slugs)
    c.check("matrix is complete and symmetric (%d substances, %d pairs expected, each once, in the "
            "right file)" % (n, n * (n - 1) // 2), probs)
    return cells


def self_cells(subs):
    """{frozenset((slug,)): (slug, "itself", self cell)}: the same-substance cells, checked like pairs."""
    return {frozenset((s,)): (s, "itself", d["self"]) for s, d in subs.items() if isinstance(d.get("self"), dict)}


def check_cells(c, cells, sources):
    probs, srcprobs, unkprobs = [], [], []
    for owner, other, p in cells.values():
        label = "%s + %s (substances/%s.json)" % (owner, other, owner)
        if not isinstance(p, dict):
            probs.append("%s is not an object" % label)
            continue
        if p.get("level") not in LEVEL_ORDER:
            probs.append("%s has level %r" % (label, p.get("level")))
        for f in ("summary", "advice"):
            if not text(p.get(f)):
                probs.append("%s has no %s" % (label, f))
        if set(p) - PAIR_KEYS:
            probs.append("%s has unexpected keys %s" % (label, sorted(set(p) - PAIR_KEYS)))
        srcs = p.get("sources")
        if not isinstance(srcs, list):
            srcprobs.append("%s: sources is not a list" % label)
            continue
        srcprobs += ["%s cites unknown source %r" % (label, s) for s in srcs if s not in sources]
        if len(set(map(str, srcs))) != len(srcs):
            srcprobs.append("%s cites a source twice" % label)
        if p.get("level") not in LOW_RISK and not srcs:
            srcprobs.append("%s is %s but has no source" % (label, p.get("level")))
        if p.get("level") == "unknown":
            if not str(p.get("summary", "")).startswith("Little or no research on this combination."):
                unkprobs.append("%s is unknown but its summary doesn't start \"Little or no research on "
                                "this combination.\"" % label)
            if "unknown does not mean safe" not in str(p.get("advice", "")).lower():
                unkprobs.append("%s is unknown but its advice doesn't say unknown does not mean safe" % label)
    c.check("every cell has a valid level, a summary and advice", probs)
    c.check("every cell above low risk has a source, and every source exists", srcprobs)
    c.check("unknown cells say plainly that the pair is unstudied and that unknown is not safe", unkprobs)
    cited = {s for _, _, p in cells.values() if isinstance(p, dict) for s in (p.get("sources") or [])}
    c.check("every listed source is cited by at least one cell",
            ["source %r is never cited" % sid for sid in sources if sid not in cited])


def check_placeholders(c, main, subs, cells):
    """The server fills in {{emergency_number}} and refuses any other."""
    texts = [("level %r %s" % (lv.get("id"), f), lv.get(f)) for lv in main.get("levels", [])
             if isinstance(lv, dict) for f in ("name", "definition")]
    texts += [("substances/%s.json name" % slug, s.get("name")) for slug, s in subs.items()]
    texts += [("%s + %s (substances/%s.json) %s" % (o, b, o, f), p.get(f)) for o, b, p in cells.values()
              if isinstance(p, dict) for f in ("summary", "advice")]
    probs = []
    for where, t in texts:
        for token in re.findall(r"\{\{\s*([^}]*)\}\}", str(t or "")):
            if token not in TOKENS:
                probs.append("%s has the unknown placeholder {{%s}}" % (where, token))
        if "{{" in re.sub(r"\{\{[^}]*\}\}", "", str(t or "")):
            probs.append("%s has an unclosed {{" % where)
        if re.search(r"\b911\b", str(t or "")):
            probs.append("%s says 911: write {{emergency_number}}, so each site shows its own number" % where)
    c.check("texts use no placeholder but {{emergency_number}}, and never a fixed 911", probs)


def check_reading_grade(c, cells):
    """Each pair's summary and advice, read as one passage, at grade 8 or lower (issue 15)."""
    probs = []
    for owner, other, p in sorted(cells.values(), key=lambda t: (t[0], t[1])):
        if not isinstance(p, dict):
            continue
        gr = grade("%s %s" % (p.get("summary", ""), p.get("advice", "")))
        if gr > MAX_GRADE:
            probs.append("%s + %s (substances/%s.json) reads at grade %.1f: use shorter sentences and plainer "
                         "words" % (owner, other, owner, gr))
    c.check("every pair's summary and advice read at grade %.0f or lower (Flesch-Kincaid, as "
            "tests/content/run.py measures pages)" % MAX_GRADE, probs)


def check_notes(c, subs):
    """Alias notes are shown as they are: no placeholder but {{emergency_number}}."""
    probs = []
    for slug, s in subs.items():
        for alias, note in (s.get("alias_notes") or {}).items() if isinstance(s.get("alias_notes"), dict) else []:
            if any(t != "emergency_number" for t in re.findall(r"\{\{\s*([^}]*)\}\}", str(note))):
                probs.append("%s: the note of %r has an unknown placeholder" % (slug, alias))
    c.check("alias notes use no placeholder but {{emergency_number}}", probs)


def check_rules(c, cells, subs, groups):
    cl = classes(subs, groups)
    unknown = sorted(NAMED - set(subs))
    c.check("every substance the rules name exists", ["the rules name %r, which is not a substance" % s
                                                       for s in unknown])
    probs = []
    for what, left, right, least in rules(cl):
        allowed = WORST_FIRST[:WORST_FIRST.index(least) + 1]
        for a in sorted(left):
            for b in sorted(right):
                hit = cells.get(frozenset((a, b)))
                if a == b or not hit or not isinstance(hit[2], dict):
                    continue
                if hit[2].get("level") not in allowed:
                    probs.append("%s + %s is %r, but %s must be at least %r (substances/%s.json)"
                                 % (hit[0], hit[1], hit[2].get("level"), what, least, hit[0]))
    c.check("family rules: every pair is at least as severe as its families require", sorted(set(probs)))
    probs = []
    for blocker in OPIOID_BLOCKERS & set(subs):
        for other in subs:
            hit = cells.get(frozenset((blocker, other)))
            if other == blocker or not hit or not isinstance(hit[2], dict):
                continue
            lv = hit[2].get("level")
            if other in cl["opioids"] and lv != "low-risk-decrease":
                probs.append("%s + %s is %r; an opioid blocker with an opioid is \"low-risk-decrease\""
                             % (hit[0], hit[1], lv))
            elif lv not in LOW_RISK:
                probs.append("%s + %s is %r; an opioid blocker never makes a mix riskier (a low-risk level)"
                             % (hit[0], hit[1], lv))
    c.check("naloxone weakens opioids and makes no mix riskier", probs)


def check_fact_sheets(c, subs):
    probs = []
    for f in sorted(glob.glob(os.path.join(ROOT, "content", "substances", "*.md"))):
        slug = os.path.basename(f)[:-3]
        if slug not in ("index", "README") and slug not in subs:
            probs.append("content/substances/%s.md has no substance %r in the matrix" % (slug, slug))
    c.check("every fact sheet matches a substance (slugs are fixed: pages link to them)", probs)


def main(folder):
    c = Checks()
    loaded = load(folder, c)
    if loaded is None:
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    main_doc, sources, subs = loaded
    groups = check_main(c, main_doc)
    check_sources(c, sources)
    check_substances(c, subs, groups)
    check_aliases(c, subs)
    cells = collect_pairs(c, subs)
    everything = {**cells, **self_cells(subs)}
    check_cells(c, everything, sources)
    check_placeholders(c, main_doc, subs, everything)
    check_notes(c, subs)
    check_reading_grade(c, everything)
    check_rules(c, cells, subs, groups)
    check_fact_sheets(c, subs)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT))
