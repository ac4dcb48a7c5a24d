"""The statistics blocks give every figure its year and source (issue 15).
The facts block (content/facts.md, shown on /data; / and /harm-reduction
link to it) must give each item that holds a figure (a number of 1,000 or
more, a percent, or "N in M") a bracket with a source name and a year, e.g.
"(CDC NCHS, 2023 final data)". Each chart caption in templates/data.mustache
must say "Source:" and carry a year (a four-digit year or one of the view's
year fields). The facts block must live on /data only: no other page
includes it. The check first proves it catches a figure without a year or a
source. Ends with "N passed, M failed"."""
import glob
import os
import re
import sys

from tally import result, summary

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

FIGURE = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{4,}\b(?<!\b(?:19|20)\d\d)|\d(?:\.\d+)?\s?%|\b\d+ in \d+\b|"
                    r"\b(?:one|two|three|four|five|six|seven|eight|nine) in (?:two|three|four|five|six|ten)\b", re.I)
CITED = re.compile(r"\(([^()]*[A-Z][A-Za-z]+[^()]*\b(?:19|20)\d\d\b[^()]*)\)")
# view fields that hold years (see src/stats/stats_pages.c)
YEAR_FIELDS = ("{{first_year}}", "{{last_year}}", "{{us_desc}}", "{{states_title}}")



def items(body):
    """List items and paragraphs of a Markdown body, each as one line."""
    out = []
    for block in re.split(r"\n\s*\n", body):
        for part in re.split(r"\n(?=\s*[-*] )", block.strip()):
            if part.strip():
                out.append(" ".join(part.split()))
    return out


def uncited(body):
    """The items that hold a figure but no (source, year) bracket."""
    return [it for it in items(body) if FIGURE.search(it) and not CITED.search(it)]


def self_test():
    bad = ["- In 2023, about 105,000 people died of an overdose.",
           "- About 1 in 6 people had a disorder (NSDUH).",
           "- 16.8% had one (2024)."]
    good = ["- In 2023, 105,007 people died (CDC NCHS, 2023 final data).",
            "- About 1 in 6 people, 16.8% (NSDUH 2024).",
            "Harm reduction keeps people alive."]
    missed = [b for b in bad if not uncited(b)]
    wrong = [g for g in good if uncited(g)]
    result(not missed and not wrong, "the figures check catches a figure without a year or source",
           "missed: %s; wrongly flagged: %s" % (missed, wrong))


def body_of(path):
    src = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n(.*)$", src, re.S)
    return (m.group(1), m.group(2)) if m else ("", src)


def main():
    self_test()
    for rel in ("content/facts.md", "content/data.md"):
        _, body = body_of(os.path.join(ROOT, rel))
        bad = uncited(body)
        result(not bad, "every figure in %s has its source and year next to it" % rel, " | ".join(bad))

    tmpl = open(os.path.join(ROOT, "templates", "data.mustache"), encoding="utf-8").read()
    caps = re.findall(r"<figcaption>(.*?)</figcaption>", tmpl, re.S)
    bad = [c for c in caps if "Source:" not in c or not (re.search(r"\b(?:19|20)\d\d\b", c)
                                                         or any(f in c for f in YEAR_FIELDS))]
    result(caps and not bad, "every chart caption on /data names its source and years", " | ".join(bad))
    result("{{{include_html}}}" in tmpl, "/data shows the facts block")

    includers = []
    for f in glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True):
        fm, _ = body_of(f)
        if re.search(r"^include:\s*/facts\s*$", fm, re.M):
            includers.append(os.path.relpath(f, ROOT))
    result(includers == ["content/data.md"], "the facts block is in one place (/data); others link to it",
           "pages that include /facts: %s" % includers)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
