#!/usr/bin/env python3
"""Checks data/selfchecks.json, the self-check questionnaires the server scores.

What it checks: the file's shape and review date; exactly four checks with the
slugs audit-c, audit, dast-10 and taps-1, in that order; the question counts
(3, 10, 10, 4); that every question has an id, text and at least two options,
and every option a label and an integer score; that every check has its
title, about text, credit, https source address and not-a-diagnosis sentence;
that the bands cover every possible total score exactly once (no gaps, no
overlaps, nothing outside the possible range) and each band has a level,
meaning and next step; the AUDIT's scoring (questions 1-8 score 0-4,
questions 9 and 10 score 0, 2, 4; zones 0-7, 8-15, 16-19, 20-40); the DAST-10
(yes/no, question 3 reverse-scored, bands 0, 1-2, 3-5, 6-8, 9-10, the
non-commercial credit line); the AUDIT-C cut-offs (male 4, female 3); and the
TAPS-1 rule (every question positive from its first non-"Never" answer).

Usage: python3 tests/content/check_selfchecks.py [path/to/selfchecks.json]
Prints one line per check and ends with "N passed, M failed"; exits 1 on any
failure. Standard library only.
"""
import itertools
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(ROOT, "data", "selfchecks.json")

SLUGS = ["audit-c", "audit", "dast-10", "taps-1"]
COUNTS = {"audit-c": 3, "audit": 10, "dast-10": 10, "taps-1": 4}
FREQ = ["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"]


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


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def scores(q):
    return [o.get("score") for o in q.get("options", [])]


def possible_totals(check):
    """Every total score a person can reach by picking one option a question."""
    per_q = [sorted(set(s for s in scores(q) if is_int(s))) for q in check.get("questions", [])]
    if not per_q or any(not s for s in per_q):
        return set()
    totals = {0}
    for s in per_q:
        totals = {t + x for t in totals for x in s}
    return totals


def band_problems(check):
    probs = []
    bands = check.get("bands")
    if not isinstance(bands, list) or not bands:
        return ["no bands"]
    covered = {}
    for i, b in enumerate(bands):
        where = "band %d" % i
        if not (is_int(b.get("min")) and is_int(b.get("max"))):
            probs.append("%s: min and max must be integers" % where)
            continue
        if b["min"] > b["max"]:
            probs.append("%s: min %d is above max %d" % (where, b["min"], b["max"]))
        if b.get("sex", None) not in ("", "male", "female"):
            probs.append("%s: sex must be \"\", \"male\" or \"female\"" % where)
        for k in ("level", "meaning", "next"):
            if not text(b.get(k)):
                probs.append("%s: missing %s" % (where, k))
        for s in range(b["min"], b["max"] + 1):
            covered.setdefault((b.get("sex") or "", s), []).append(i)
    totals = possible_totals(check)
    if not totals:
        return probs + ["cannot work out the possible totals"]
    lo, hi = min(totals), max(totals)
    sexes = {k[0] for k in covered} or {""}
    for sex in sexes:
        for s in range(lo, hi + 1):
            hits = covered.get((sex, s), []) + (covered.get(("", s), []) if sex else [])
            if not hits:
                probs.append("total %d%s falls in no band" % (s, (" (" + sex + ")") if sex else ""))
            elif len(hits) > 1:
                probs.append("total %d%s falls in %d bands %s" % (s, (" (" + sex + ")") if sex else "", len(hits), hits))
    for (sex, s), idx in covered.items():
        if s < lo or s > hi:
            probs.append("band %s covers %d, outside the possible %d-%d" % (idx, s, lo, hi))
    return probs


def main(path):
    c = Checks()
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        c.check("file loads as JSON", [str(e)])
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    c.check("file loads as JSON", [])

    top = []
    if not isinstance(data, dict):
        top.append("top level must be an object")
        data = {}
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(data.get("reviewed", ""))):
        top.append("reviewed must be YYYY-MM-DD")
    if not isinstance(data.get("checks"), list):
        top.append("checks must be a list")
    c.check("top level has reviewed and checks", top)
    checks = data.get("checks") if isinstance(data.get("checks"), list) else []

    slugs = [ch.get("slug") for ch in checks if isinstance(ch, dict)]
    c.check("4 checks with slugs %s" % ", ".join(SLUGS),
            [] if slugs == SLUGS else ["found %s" % slugs])
    by = {ch.get("slug"): ch for ch in checks if isinstance(ch, dict)}

    for slug in SLUGS:
        ch = by.get(slug)
        if ch is None:
            c.check("%s exists" % slug, ["missing"])
            continue
        probs = []
        for k in ("name", "title", "about", "credit", "not_a_diagnosis"):
            if not text(ch.get(k)):
                probs.append("missing %s" % k)
        if not str(ch.get("source_url", "")).startswith("https://"):
            probs.append("source_url must be an https:// address")
        if "diagnosis" not in str(ch.get("not_a_diagnosis", "")).lower():
            probs.append("not_a_diagnosis must say it is not a diagnosis")
        c.check("%s has its texts, credit and source" % slug, probs)

        qs = ch.get("questions") if isinstance(ch.get("questions"), list) else []
        c.check("%s has %d questions" % (slug, COUNTS[slug]),
                [] if len(qs) == COUNTS[slug] else ["found %d" % len(qs)])

        probs = []
        ids = [q.get("id") for q in qs]
        if ids != ["q%d" % (i + 1) for i in range(len(qs))]:
            probs.append("question ids must be q1, q2, ... in order; found %s" % ids)
        for q in qs:
            qid = q.get("id")
            if not text(q.get("text")):
                probs.append("%s: missing text" % qid)
            opts = q.get("options")
            if not isinstance(opts, list) or len(opts) < 2:
                probs.append("%s: needs at least two options" % qid)
                continue
            labels = [o.get("label") for o in opts]
            if len(set(labels)) != len(labels):
                probs.append("%s: repeated option labels" % qid)
            for o in opts:
                if not text(o.get("label")):
                    probs.append("%s: an option has no label" % qid)
                if not is_int(o.get("score")):
                    probs.append("%s: option %r has a non-integer score %r" % (qid, o.get("label"), o.get("score")))
                elif o["score"] < 0:
                    probs.append("%s: option %r has a negative score" % (qid, o.get("label")))
        c.check("%s: every question has text and options with integer scores" % slug, probs)

        c.check("%s: bands cover every possible total once" % slug, band_problems(ch))

    a = by.get("audit")
    if a:
        qs = a.get("questions", [])
        probs = []
        for i, q in enumerate(qs[:8]):
            if scores(q) != [0, 1, 2, 3, 4]:
                probs.append("q%d scores %s, want 0-4" % (i + 1, scores(q)))
        for i, q in enumerate(qs[8:10], start=9):
            if scores(q) != [0, 2, 4]:
                probs.append("q%d scores %s, want 0, 2, 4" % (i, scores(q)))
        c.check("audit: q1-q8 score 0-4, q9 and q10 score 0, 2, 4", probs)
        zones = [(b.get("min"), b.get("max")) for b in a.get("bands", [])]
        c.check("audit: WHO zones 0-7, 8-15, 16-19, 20-40",
                [] if zones == [(0, 7), (8, 15), (16, 19), (20, 40)] else ["found %s" % zones])
        c.check("audit: totals run 0 to 40",
                [] if possible_totals(a) == set(range(0, 41)) else ["possible totals %s" % sorted(possible_totals(a))])

    ac = by.get("audit-c")
    if ac:
        c.check("audit-c: cutoffs male 4, female 3",
                [] if ac.get("cutoffs") == {"male": 4, "female": 3} else ["found %r" % ac.get("cutoffs")])
        probs = []
        if a:
            for i in range(3):
                qa, qc = ac["questions"][i], a["questions"][i]
                if qa.get("text") != qc.get("text") or qa.get("options") != qc.get("options"):
                    probs.append("q%d differs from AUDIT q%d" % (i + 1, i + 1))
        c.check("audit-c: questions are AUDIT questions 1-3", probs)
        c.check("audit-c: totals run 0 to 12",
                [] if possible_totals(ac) == set(range(0, 13)) else ["possible totals %s" % sorted(possible_totals(ac))])

    d = by.get("dast-10")
    if d:
        qs = d.get("questions", [])
        probs = []
        for i, q in enumerate(qs):
            want = {"Yes": 0, "No": 1} if i == 2 else {"Yes": 1, "No": 0}
            got = {o.get("label"): o.get("score") for o in q.get("options", [])}
            if got != want:
                probs.append("q%d scores %s, want %s" % (i + 1, got, want))
        c.check("dast-10: yes/no, yes scores 1 except q3", probs)
        q3 = qs[2] if len(qs) > 2 else {}
        probs = []
        if "always able to stop using drugs" not in q3.get("text", ""):
            probs.append("q3 is not \"Are you always able to stop using drugs when you want to?\"")
        got = {o.get("label"): o.get("score") for o in q3.get("options", [])}
        if got.get("Yes") != 0 or got.get("No") != 1:
            probs.append("q3 must be reverse-scored: Yes=0, No=1")
        c.check("dast-10: question 3 is reverse-scored", probs)
        bands = [(b.get("min"), b.get("max")) for b in d.get("bands", [])]
        c.check("dast-10: bands 0, 1-2, 3-5, 6-8, 9-10",
                [] if bands == [(0, 0), (1, 2), (3, 5), (6, 8), (9, 10)] else ["found %s" % bands])
        credit = d.get("credit", "")
        probs = []
        if "Skinner" not in credit or "1982" not in credit:
            probs.append("credit must name Harvey A. Skinner and 1982")
        if "non-commercial" not in credit:
            probs.append("credit must say it is for non-commercial use")
        c.check("dast-10: credit line", probs)

    t = by.get("taps-1")
    if t:
        probs = []
        for q in t.get("questions", []):
            labels = [o.get("label") for o in q.get("options", [])]
            if labels != FREQ or scores(q) != [0, 1, 2, 3, 4]:
                probs.append("%s: options must be %s scored 0-4" % (q.get("id"), FREQ))
            if q.get("positive_from") != 1:
                probs.append("%s: positive_from must be 1 (any answer but Never)" % q.get("id"))
        alcohol = t.get("questions", [{}, {}])[1].get("text", "")
        if not ("4 or more" in alcohol and "5 or more" in alcohol):
            probs.append("q2 must give both drink counts (4 or more for women, 5 or more for men)")
        c.check("taps-1: frequency options and the any-use rule", probs)
        bands = [(b.get("min"), b.get("max")) for b in t.get("bands", [])]
        c.check("taps-1: a negative band at 0 and a positive band above",
                [] if bands and bands[0] == (0, 0) and all(lo >= 1 for lo, _ in bands[1:]) else ["found %s" % bands])

    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT))
