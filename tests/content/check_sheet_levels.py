#!/usr/bin/env python3
"""Checks that the fact sheets and the combination checker agree on levels
(issue 15): where a sheet in content/substances/ says a mix is the worst kind
("X is most dangerous with A, B and C", "The most dangerous mixes are with
...", "the deadliest ...", "riskiest"), every substance the sentence names
(asides in brackets included) must be rated "dangerous" for that sheet's
substance in data/interactions/. A sentence may name the level itself
instead ("... (rated unsafe)"), and then the checker must give that level. Names are matched the way the
checker matches them (slug, name or alias, case and punctuation ignored);
class words ("other opioids", "stimulants", "other downers") are not single
substances and are skipped. Prints one line per sheet checked and ends with
"N passed, M failed"; exits 1 on any failure. Standard library only."""
import glob
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "data", "interactions")
SHEETS = os.path.join(ROOT, "content", "substances")

# Wordings that call a mix the worst kind.
WORST = re.compile(r"\b(most dangerous|deadliest|most deadly|most likely to kill|riskiest)\b", re.I)
# Wordings that name the checker's level outright: "rated unsafe", "(caution)".
NAMED_LEVEL = re.compile(r"\brated (dangerous|unsafe|caution)\b", re.I)
# Plural and class words that are not one substance of the matrix.
CLASS_WORDS = {"opioids", "otheropioids", "otherdepressants", "otherdowners", "depressants", "downers",
               "stimulants", "otherstimulants", "sleepingpills", "otherdrugsthatslowbreathing",
               "otherdrugsthatraiseserotonin", "otherdrugsthatslowbreathingandheartrate"}


def norm(name):
    return re.sub(r"[^0-9a-z]", "", name.lower())


def load_matrix(folder):
    main = json.load(open(os.path.join(folder, "matrix.json"), encoding="utf-8"))
    subs, keys, cells = {}, {}, {}
    for slug in main["substances"]:
        d = json.load(open(os.path.join(folder, "substances", slug + ".json"), encoding="utf-8"))
        subs[slug] = d
        for k in [slug, d.get("name", "")] + list(d.get("aliases", [])):
            keys.setdefault(norm(k), slug)
        for other, cell in d.get("pairs", {}).items():
            cells[frozenset((slug, other))] = cell["level"]
    return subs, keys, cells


def sentences(body):
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # links: keep their words
    for para in re.split(r"\n\s*\n", body):
        para = " ".join(line.strip().lstrip("-* ") for line in para.splitlines())
        for s in re.split(r"(?<=[.!?])\s+", para):
            yield s.strip()


def named(sentence, keys):
    """The substances a worst-kind sentence names after its wording, each once."""
    m = WORST.search(sentence)
    tail = sentence[m.end():]
    tail = tail.replace("(", ",").replace(")", ",")  # asides count: "opioids (including methadone)"
    tail = re.split(r"[:;]|\bbecause\b|\. ", tail)[0]
    out = []
    for part in re.split(r",|\band\b|\bor\b|\bwith\b|\bincluding\b|\bsuch as\b|\blike\b", tail):
        k = norm(part.replace("mixes are", "").replace("combinations are", ""))
        if not k or k in CLASS_WORDS or k in ("are", "is", "the", "mixes", "combinations"):
            continue
        # "opioids such as fentanyl" is split above; plurals the aliases lack: "SSRIs" is an alias
        slug = keys.get(k) or keys.get(k.rstrip("s"))
        if slug and slug not in out:
            out.append(slug)
    return out


def check(folder=DATA, sheets=SHEETS):
    subs, keys, cells = load_matrix(folder)
    passed = failed = 0
    for f in sorted(glob.glob(os.path.join(sheets, "*.md"))):
        me = os.path.basename(f)[:-3]
        if me not in subs:
            continue
        body = open(f, encoding="utf-8").read().split("\n---\n", 1)[-1]
        probs = []
        for s in sentences(body):
            if not WORST.search(s):
                continue
            want = NAMED_LEVEL.search(s)
            want = want.group(1).lower() if want else "dangerous"
            for other in named(s, keys):
                if other == me:
                    continue
                got = cells.get(frozenset((me, other)))
                if got != want:
                    probs.append("calls %s + %s %s (\"%s\"), but the checker says %s: change the sentence, or "
                                 "the level in data/interactions with its sources" % (
                                     me, other, "most dangerous" if want == "dangerous" else "rated " + want,
                                     s[:90] + ("..." if len(s) > 90 else ""), got))
        rel = os.path.relpath(f, ROOT)
        if probs:
            failed += 1
            print("FAIL %s agrees with the checker" % rel)
            for p in probs:
                print("     - " + p)
        else:
            passed += 1
            print("ok   %s agrees with the checker" % rel)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def catches():
    """Shows the check fails a sheet that disagrees and passes one that names the level."""
    import tempfile
    cases = [("Fentanyl is most dangerous with cannabis and benzodiazepines.", 1),
             ("Fentanyl is riskiest with cannabis (rated caution).", 0),
             ("Fentanyl is most dangerous with benzodiazepines, alcohol and other downers.", 0)]
    ok = True
    for text, want in cases:
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "fentanyl.md"), "w", encoding="utf-8") as f:
                f.write("---\ntitle: T\n---\n\n" + text + "\n")
            import contextlib
            import io
            with contextlib.redirect_stdout(io.StringIO()):
                got = check(DATA, d)
        good = got == want
        ok &= good
        print("%s the check %s: %s" % ("ok  " if good else "FAIL", "fails" if want else "passes", text))
    return ok


if __name__ == "__main__":
    rc = check(*(sys.argv[1:3]))
    sys.exit(rc or (0 if len(sys.argv) > 1 or catches() else 1))
