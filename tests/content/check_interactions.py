#!/usr/bin/env python3
"""Checks data/interactions.json, the drug-combination matrix.

What it checks: the file's shape; the seven levels; at least 25 substances
with valid slugs and groups; that the matrix is complete and symmetric (every
unordered pair of distinct substances exactly once, written a-before-b in the
substances order, no self pairs, no unknown slugs); that every cell has a
valid level, a summary and advice; that every cell above low risk has a
source and every cited source exists; that "unknown" cells say so plainly;
and that every alias resolves to exactly one substance with case, spacing
and punctuation ignored, never clashing with another substance's slug or name.

Usage: python3 tests/content/check_interactions.py [path/to/interactions.json]
Prints one line per check and ends with "N passed, M failed"; exits 1 on any
failure. Standard library only.
"""
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(ROOT, "data", "interactions.json")

LEVEL_ORDER = ["dangerous", "unsafe", "caution", "low-risk-synergy", "low-risk-no-synergy",
               "low-risk-decrease", "unknown"]
LOW_RISK = {"low-risk-synergy", "low-risk-no-synergy", "low-risk-decrease"}
GROUPS = {"opioids", "adulterants", "depressants", "stimulants", "psychedelics-dissociatives",
          "medications", "other"}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def norm(name):
    """How the checker compares names: case, spacing and punctuation ignored."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


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


def text(v):
    return isinstance(v, str) and v.strip() != ""


def main(path):
    c = Checks()
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        c.check("file loads as UTF-8 JSON", [str(e)])
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    c.check("file loads as UTF-8 JSON", [])

    probs = []
    if not isinstance(doc, dict):
        probs.append("top level is not an object")
        doc = {}
    for k, t in (("reviewed", str), ("levels", list), ("sources", dict), ("substances", list),
                 ("pairs", list)):
        if not isinstance(doc.get(k), t):
            probs.append("%r missing or not a %s" % (k, t.__name__))
    if isinstance(doc.get("reviewed"), str) and not DATE_RE.match(doc["reviewed"]):
        probs.append("reviewed %r is not YYYY-MM-DD" % doc["reviewed"])
    c.check("top-level shape", probs)
    levels = doc.get("levels") if isinstance(doc.get("levels"), list) else []
    sources = doc.get("sources") if isinstance(doc.get("sources"), dict) else {}
    subs = doc.get("substances") if isinstance(doc.get("substances"), list) else []
    pairs = doc.get("pairs") if isinstance(doc.get("pairs"), list) else []

    # Levels.
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
    valid_levels = set(LEVEL_ORDER)

    # Sources.
    probs = []
    for sid, s in sources.items():
        if not SLUG_RE.match(sid):
            probs.append("source id %r is not lower-case-with-dashes" % sid)
        if not isinstance(s, dict) or not text(s.get("title")) or not text(s.get("url")):
            probs.append("source %r needs a title and a url" % sid)
        elif not s["url"].startswith("https://") or " " in s["url"]:
            probs.append("source %r url %r is not a plain https address" % (sid, s["url"]))
    c.check("sources have a title and an https url", probs)

    # Substances.
    probs = []
    slugs = []
    for i, s in enumerate(subs):
        if not isinstance(s, dict):
            probs.append("substance %d is not an object" % i)
            continue
        slug = s.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            probs.append("substance %d has bad slug %r" % (i, slug))
            continue
        if slug in slugs:
            probs.append("slug %r appears twice" % slug)
        slugs.append(slug)
        if not text(s.get("name")):
            probs.append("%s has no name" % slug)
        if s.get("group") not in GROUPS:
            probs.append("%s has group %r, not one of %s" % (slug, s.get("group"), sorted(GROUPS)))
        al = s.get("aliases")
        if not isinstance(al, list) or not all(text(a) for a in al):
            probs.append("%s aliases must be a list of non-empty strings" % slug)
        elif any(a != a.lower() or a != a.strip() for a in al):
            probs.append("%s has aliases that are not lower case and trimmed" % slug)
    if len(slugs) < 25:
        probs.append("only %d substances; the matrix needs at least 25" % len(slugs))
    c.check("at least 25 substances with unique slugs, names and valid groups", probs)
    index = {s: i for i, s in enumerate(slugs)}

    # Aliases: each resolves to exactly one substance.
    probs = []
    owners = {}  # normalised key -> set of slugs it could mean
    for s in subs:
        if not isinstance(s, dict) or s.get("slug") not in index:
            continue
        keys = [s["slug"], s.get("name", "")]
        keys += [a for a in s.get("aliases", []) if isinstance(a, str)]
        for k in keys:
            n = norm(k)
            if n:
                owners.setdefault(n, set()).add(s["slug"])
    for s in subs:
        if not isinstance(s, dict) or s.get("slug") not in index:
            continue
        seen = set()
        for a in s.get("aliases", []) if isinstance(s.get("aliases"), list) else []:
            if not isinstance(a, str):
                continue
            n = norm(a)
            if not n:
                probs.append("%s alias %r is empty once normalised" % (s["slug"], a))
                continue
            if n in seen:
                probs.append("%s lists alias %r twice (after normalising)" % (s["slug"], a))
            seen.add(n)
            if owners.get(n) != {s["slug"]}:
                others = sorted(owners.get(n, set()) - {s["slug"]})
                probs.append("alias %r of %s also matches %s" % (a, s["slug"], ", ".join(others)))
            if n == norm(s["slug"]) or n == norm(s.get("name", "")):
                probs.append("%s alias %r just repeats its own slug or name" % (s["slug"], a))
    for s in subs:
        if isinstance(s, dict) and s.get("slug") in index:
            for k in (s["slug"], s.get("name", "")):
                if owners.get(norm(k), {s["slug"]}) != {s["slug"]}:
                    probs.append("%s's slug or name %r clashes with %s" % (
                        s["slug"], k, ", ".join(sorted(owners[norm(k)] - {s["slug"]}))))
    c.check("every alias resolves to exactly one substance", probs)

    # Required aliases from the issue: they must resolve to something.
    probs = []
    for a in ("molly", "tranq", "xanax", "bars", "percs", "zoloft", "adderall"):
        if len(owners.get(norm(a), set())) != 1:
            probs.append("%r does not resolve to one substance" % a)
    c.check("the issue's example aliases resolve", probs)

    # Pairs: complete and symmetric.
    probs = []
    seen = {}
    for i, p in enumerate(pairs):
        if not isinstance(p, dict):
            probs.append("pair %d is not an object" % i)
            continue
        a, b = p.get("a"), p.get("b")
        if a not in index or b not in index:
            probs.append("pair %d names an unknown slug: %r + %r" % (i, a, b))
            continue
        if a == b:
            probs.append("pair %d pairs %s with itself" % (i, a))
            continue
        if index[a] > index[b]:
            probs.append("pair %s + %s is not written a-before-b in substances order" % (a, b))
        k = frozenset((a, b))
        if k in seen:
            probs.append("pair %s + %s appears twice (items %d and %d)" % (a, b, seen[k], i))
        seen[k] = i
    missing = []
    for i, a in enumerate(slugs):
        for b in slugs[i + 1:]:
            if frozenset((a, b)) not in seen:
                missing.append("%s + %s" % (a, b))
    probs += ["no cell for %s" % m for m in missing]
    n = len(slugs)
    if not probs and len(pairs) != n * (n - 1) // 2:
        probs.append("%d pairs, expected %d" % (len(pairs), n * (n - 1) // 2))
    c.check("matrix is complete and symmetric (%d substances, %d pairs expected)"
            % (n, n * (n - 1) // 2), probs)

    # Cells.
    probs = []
    for p in pairs:
        if not isinstance(p, dict):
            continue
        label = "%s + %s" % (p.get("a"), p.get("b"))
        if p.get("level") not in valid_levels:
            probs.append("%s has level %r" % (label, p.get("level")))
        for f in ("summary", "advice"):
            if not text(p.get(f)):
                probs.append("%s has no %s" % (label, f))
        extra = set(p) - {"a", "b", "level", "summary", "advice", "sources"}
        if extra:
            probs.append("%s has unexpected keys %s" % (label, sorted(extra)))
    c.check("every cell has a valid level, a summary and advice", probs)

    probs = []
    for p in pairs:
        if not isinstance(p, dict):
            continue
        label = "%s + %s" % (p.get("a"), p.get("b"))
        srcs = p.get("sources")
        if not isinstance(srcs, list):
            probs.append("%s: sources is not a list" % label)
            continue
        for s in srcs:
            if s not in sources:
                probs.append("%s cites unknown source %r" % (label, s))
        if len(set(map(str, srcs))) != len(srcs):
            probs.append("%s cites a source twice" % label)
        if p.get("level") not in LOW_RISK and not srcs:
            probs.append("%s is %s but has no source" % (label, p.get("level")))
    c.check("every cell above low risk has a source, and every source exists", probs)

    probs = []
    for p in pairs:
        if isinstance(p, dict) and p.get("level") == "unknown" \
                and "little or no research" not in str(p.get("summary", "")).lower():
            probs.append("%s + %s is unknown but its summary doesn't say there is little or no "
                         "research" % (p.get("a"), p.get("b")))
    c.check("unknown cells say plainly that the pair is unstudied", probs)

    probs = []
    cited = {s for p in pairs if isinstance(p, dict) for s in (p.get("sources") or [])}
    for sid in sources:
        if sid not in cited:
            probs.append("source %r is never cited" % sid)
    c.check("every listed source is cited by at least one cell", probs)

    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT))
