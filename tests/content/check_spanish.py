"""The Spanish pages (content/es/, issue 16): each mirrors an English page
with the same sources, the same review date, the same numbers, tokens and
link targets (medical facts exactly as in English), who translated it and
when, and which English review it translates; a page whose English was
reviewed since is stale and fails (update it, or delete it so the English
page shows). The Spanish reads plainly: the Fernández-Huerta score of
every page is at least 70 ("bastante fácil"), reported with INFLESZ
(Szigriszt-Pazos); no "adicto", "drogadicto", "toxicómano", "yonqui",
"vicioso" or "abusador"; every "llame al {{emergency_number}}" is a tel:
link. The pages the issue names must exist. The syllable counter is
tested first on words whose syllables are known. Ends with "N passed, M
failed"."""
import glob
import os
import re
import sys

from run import parse  # the one front-matter reader of the content checks
from tally import result, summary

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONTENT = os.path.join(ROOT, "content")
SPANISH = os.path.join(CONTENT, "es")

REQUIRED = ["index", "overdose", "safer-use", "first-step", "self-check", "about"] + [
    "substances/" + s for s in ["naloxone", "fentanyl", "xylazine", "medetomidine", "carfentanil", "nitazenes",
                                "benzodiazepines", "alcohol", "methamphetamine", "cocaine", "kratom"]]
MIN_FH = 70.0  # Fernández-Huerta 70-80: "bastante fácil"
BANNED = [r"\badict[oa]s?\b", r"\bdrogadict[oa]s?\b", r"\btoxic[oó]man[oa]s?\b", r"\byonquis?\b",
          r"\bviciosos?\b", r"\babusador(es|as?)?\b"]

STRONG = set("aeoáéóíú")  # an accented i or u breaks a diphthong as a strong vowel does
WEAK = set("iuü")
LETTERS = "A-Za-zÁÉÍÓÚÜÑáéíóúüñ"


def syllables(word):
    """Syllables of a Spanish word: one per vowel group, plus one for each
    hiatus (two strong vowels side by side, or a weak vowel with an accent);
    the u of que, qui, gue, gui is silent; a final y after a vowel closes
    a diphthong (hoy, muy); y alone is a syllable."""
    w = word.lower()
    if w == "y":
        return 1
    w = re.sub(r"([qg])u([eéií])", r"\1\2", w)
    w = re.sub(r"(?<=[aeiouáéíóú])y(?![aeiouáéíóú])", "i", w)
    n, prev = 0, None
    for c in w:
        if c in STRONG or c in WEAK:
            if prev is None or (prev in STRONG and c in STRONG):
                n += 1
            prev = c
        else:
            prev = None
    return max(1, n)


KNOWN = {"casa": 2, "tierra": 2, "país": 2, "día": 2, "poeta": 3, "aéreo": 4, "ciudad": 2, "quiero": 2,
         "guerra": 2, "pingüino": 3, "hoy": 1, "y": 1, "sobredosis": 4, "naloxona": 4, "oír": 2, "baúl": 2,
         "leer": 2, "feo": 2, "murciélago": 4, "respiración": 4, "buey": 1, "fentanilo": 4, "ayuda": 3,
         "guiso": 2, "agua": 2, "medicina": 4}


def plain_text(body):
    body = body.replace("{{emergency_number}}", "911")
    text = re.sub(r"```.*?```", " ", body, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1.", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^#+ (.*)$", r"\1.", text, flags=re.M)
    text = re.sub(r"\|", ".", text)
    return text


def readability(body):
    """(Fernández-Huerta, INFLESZ) of a page's text."""
    text = plain_text(body)
    sentences = [s for s in re.split(r"[.!?¡¿:;]+\s|\n\s*\n|\n\s*[-*\d]+[.)]?\s", text) if re.search("[" + LETTERS + "]", s)]
    words = re.findall("[" + LETTERS + "]+", text)
    if not words or not sentences:
        return 0.0, 0.0
    syl = sum(syllables(w) for w in words)
    p = 100.0 * syl / len(words)
    f = len(words) / len(sentences)
    return 206.84 - 0.60 * p - 1.02 * f, 206.835 - 62.3 * syl / len(words) - f


def band(fh):
    for floor, name in [(90, "muy fácil"), (80, "fácil"), (70, "bastante fácil"), (60, "normal"),
                        (50, "bastante difícil"), (30, "difícil")]:
        if fh >= floor:
            return name
    return "muy difícil"


def facts(body):
    """The numbers, {{tokens}} and link targets of a page's text."""
    text = re.sub(r"\]\(([^)]*)\)", "]", body)
    numbers = sorted(re.findall(r"\d+(?:[.,]\d+)?", text.replace("{{emergency_number}}", "")))
    tokens = sorted(re.findall(r"\{\{[^}]*\}\}", body))
    links = sorted(set(t.split("#")[0] for t in re.findall(r"\]\(<?([^)>\s]*)", body)))
    return numbers, tokens, links


def check_pair(rel, es, en):
    fm, body = es
    efm, ebody = en
    result(fm.get("sources") == efm.get("sources"), "es/%s has the English page's sources" % rel)
    result(fm.get("reviewed") == efm.get("reviewed"), "es/%s has the English page's review date" % rel,
           "%s, English %s" % (fm.get("reviewed"), efm.get("reviewed")))
    who = [k for k in ("translator", "translated", "source_reviewed") if not fm.get(k)]
    dated = all(re.match(r"^\d{4}-\d{2}-\d{2}$", fm.get(k) or "") for k in ("translated", "source_reviewed"))
    result(not who and dated, "es/%s says who translated it, when, and from which review" % rel,
           "missing: " + ", ".join(who) if who else "translated and source_reviewed are YYYY-MM-DD")
    stale = (fm.get("source_reviewed") or "") < (efm.get("reviewed") or "")
    result(not stale, "es/%s translates the English page's latest review" % rel,
           "English reviewed %s, Spanish translates %s: update the translation or delete it" %
           (efm.get("reviewed"), fm.get("source_reviewed")))
    a, b = facts(body), facts(ebody)
    for what, x, y in zip(("numbers", "{{tokens}}", "link targets"), a, b):
        result(x == y, "es/%s has the English page's %s" % (rel, what),
               "only Spanish: %s; only English: %s" % (sorted(set(x) - set(y)), sorted(set(y) - set(x))))


def check_words(rel, body):
    hits = [w for w in BANNED if re.search(w, body, re.I)]
    result(not hits, "people-first words in es/%s" % rel, ", ".join(hits))
    calls = [m for m in re.finditer(r"llame al \{\{emergency_number\}\}", body, re.I)
             if not re.match(r"\]\(<?tel:", body[m.end():])]
    result(not calls, "every \"llame al\" in es/%s is a tel: link" % rel, "%d bare" % len(calls))


def main():
    bad = {w: (syllables(w), n) for w, n in KNOWN.items() if syllables(w) != n}
    result(not bad, "the Spanish syllable counter knows %d words" % len(KNOWN), str(bad))
    pages = {}
    for f in sorted(glob.glob(os.path.join(SPANISH, "**", "*.md"), recursive=True)):
        rel = os.path.relpath(f, SPANISH)[:-3]
        pages[rel] = parse(f)
    for rel in REQUIRED:
        result(rel in pages, "the issue's page %s is in Spanish" % rel)
    scores = []
    for rel, es in pages.items():
        en_file = os.path.join(CONTENT, rel + ".md")
        result(os.path.exists(en_file), "es/%s mirrors an English page" % rel)
        if os.path.exists(en_file) and es[0] is not None:
            check_pair(rel, es, parse(en_file))
        check_words(rel, es[1])
        fh, infl = readability(es[1])
        scores.append((fh, infl, rel))
    print("reading ease (Fernández-Huerta, at least %.0f; INFLESZ):" % MIN_FH)
    for fh, infl, rel in scores:
        print("     %5.1f  %5.1f  %-16s es/%s" % (fh, infl, band(fh), rel))
        result(fh >= MIN_FH, "reading ease of es/%s is %.1f (%s)" % (rel, fh, band(fh)))
    if scores:
        print("     mean Fernández-Huerta %.1f" % (sum(s[0] for s in scores) / len(scores)))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
