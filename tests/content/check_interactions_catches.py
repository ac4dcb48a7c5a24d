#!/usr/bin/env python3
"""Shows that check_interactions.py catches broken matrix data: each case
copies data/interactions/ to a temporary folder, breaks one thing (a missing
pair, a pair in the wrong file, a level below its family rule, an unknown or
unused source, an unlisted file, an unknown placeholder, a fixed 911, a pair
text above grade 8, a missing self cell, a note on a name that is not an
alias) and
expects the checker to fail naming the pair or file. Ends with "N passed, M
failed". Standard library only."""
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import check_interactions  # noqa: E402

ROOT = check_interactions.ROOT
DATA = os.path.join(ROOT, "data", "interactions")


def edit(folder, rel, fn):
    path = os.path.join(folder, rel)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    fn(doc)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)


def level(owner, other, lv):
    def fn(folder):
        edit(folder, "substances/%s.json" % owner, lambda d: d["pairs"][other].update(level=lv))
    return fn


def move_alcohol_fentanyl(folder):
    cell = {}
    edit(folder, "substances/alcohol.json", lambda d: cell.update(d["pairs"].pop("fentanyl")))
    edit(folder, "substances/fentanyl.json", lambda d: d["pairs"].update(alcohol=cell))


def drop_pair(folder):
    edit(folder, "substances/alcohol.json", lambda d: d["pairs"].pop("fentanyl"))


def unknown_source(folder):
    edit(folder, "substances/alcohol.json", lambda d: d["pairs"]["fentanyl"]["sources"].append("nope"))


def unused_source(folder):
    edit(folder, "sources.json", lambda d: d.update({"never-cited": {"title": "T", "url": "https://x.org"}}))


def stray_file(folder):
    shutil.copy(os.path.join(folder, "substances", "alcohol.json"), os.path.join(folder, "substances", "booze.json"))


def placeholder(folder):
    edit(folder, "substances/alcohol.json",
         lambda d: d["pairs"]["fentanyl"].update(advice="Call {{ambulance}} now."))


def fixed_number(folder):
    edit(folder, "substances/fentanyl.json",
         lambda d: d["pairs"]["heroin"].update(advice="If breathing is slow, call 911 and give naloxone."))


def new_opioid(folder):
    """A new substance in the opioids group gets the opioid rules at once."""
    edit(folder, "matrix.json", lambda d: d["substances"].append("zz-opioid"))
    with open(os.path.join(folder, "substances", "zz-opioid.json"), "w", encoding="utf-8") as f:
        json.dump({"slug": "zz-opioid", "name": "ZZ", "group": "opioids", "aliases": [],
                   "self": {"level": "dangerous", "summary": "s", "advice": "a", "sources": ["nida-opioids"]},
                   "pairs": {}}, f)
    cell = {"level": "caution", "summary": "s", "advice": "a", "sources": ["nida-opioids"]}
    with open(os.path.join(folder, "matrix.json"), encoding="utf-8") as f:
        slugs = json.load(f)["substances"]
    for slug in slugs:
        if slug != "zz-opioid":  # every other slug comes first alphabetically, so owns the pair
            edit(folder, "substances/%s.json" % slug, lambda d: d["pairs"].update({"zz-opioid": dict(cell)}))


def hard_words(folder):
    edit(folder, "substances/alcohol.json", lambda d: d["pairs"]["fentanyl"].update(
        summary="Concomitant administration of ethanol and fentanyl potentiates respiratory depression considerably, "
                "necessitating immediate pharmacological intervention."))


def no_self(folder):
    edit(folder, "substances/psychedelics.json", lambda d: d.pop("self"))


def stray_note(folder):
    edit(folder, "substances/medetomidine.json", lambda d: d["alias_notes"].update({"xylazine": "n"}))


CASES = [
    ("a pair text above grade 8", hard_words, "alcohol + fentanyl (substances/alcohol.json) reads at grade"),
    ("a substance without its self cell", no_self,
     "substances/psychedelics.json needs \"self\": the cell for two names of the same substance or class"),
    ("a note on a name that is not an alias", stray_note,
     "substances/medetomidine.json: the alias note 'xylazine' is not one of its aliases"),
    ("a missing pair", drop_pair, "no cell for alcohol + fentanyl (it belongs in substances/alcohol.json)"),
    ("a pair in the wrong file", move_alcohol_fentanyl,
     "substances/fentanyl.json: the pair fentanyl + alcohol belongs in substances/alcohol.json"),
    ("a full opioid with a sedative below dangerous", level("alcohol", "fentanyl", "caution"),
     "alcohol + fentanyl is 'caution', but a full opioid with a sedative must be at least 'dangerous'"),
    ("a stimulant that hides sedation with a street opioid below dangerous", level("cocaine", "heroin", "unsafe"),
     "cocaine + heroin is 'unsafe', but cocaine (hides sedation) with a street opioid must be at least "
     "'dangerous'"),
    ("two sedatives below unsafe", level("benzodiazepines", "gabapentinoids", "caution"),
     "benzodiazepines + gabapentinoids is 'caution', but two sedatives must be at least 'unsafe'"),
    ("an MAOI with a serotonin drug below dangerous", level("maois", "ssris-snris", "unsafe"),
     "maois + ssris-snris is 'unsafe', but an MAOI with a serotonin-raising drug must be at least 'dangerous'"),
    ("naloxone with an opioid not weakening it", level("heroin", "naloxone", "low-risk-no-synergy"),
     "heroin + naloxone is 'low-risk-no-synergy'; an opioid blocker with an opioid is \"low-risk-decrease\""),
    ("an unknown source", unknown_source, "alcohol + fentanyl (substances/alcohol.json) cites unknown source 'nope'"),
    ("an unused source", unused_source, "source 'never-cited' is never cited"),
    ("an unlisted substance file", stray_file, "substances/booze.json is not in matrix.json's \"substances\" list"),
    ("an unknown placeholder", placeholder, "alcohol + fentanyl (substances/alcohol.json) advice has the unknown placeholder {{ambulance}}"),
    ("a fixed emergency number", fixed_number,
     "fentanyl + heroin (substances/fentanyl.json) advice says 911: write {{emergency_number}}"),
    ("a new opioid", new_opioid,
     "fentanyl + zz-opioid is 'caution', but two full opioids must be at least 'dangerous'"),
]


def run(folder):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = check_interactions.main(folder)
    return rc, out.getvalue()


def main():
    passed = failed = 0
    rc, out = run(DATA)
    ok = rc == 0
    print(("ok   " if ok else "FAIL ") + "the shipped data passes")
    passed, failed = passed + ok, failed + (not ok)
    for name, breaker, expect in CASES:
        tmp = tempfile.mkdtemp(prefix="wp-interactions-")
        folder = os.path.join(tmp, "interactions")
        shutil.copytree(DATA, folder)
        try:
            breaker(folder)
            rc, out = run(folder)
        finally:
            shutil.rmtree(tmp)
        ok = rc == 1 and expect in out
        print(("ok   " if ok else "FAIL ") + "the checker catches " + name)
        if not ok:
            print("     expected %r in:\n%s" % (expect, out[-1500:]))
        passed, failed = passed + ok, failed + (not ok)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
