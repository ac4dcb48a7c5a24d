"""Content checks: every Markdown page has its front matter, sources and
review date; every internal link and anchor resolves (or is a path that an
open issue will build); the words are people-first; each page's reading
grade (Flesch-Kincaid) is reported and must be 8 or lower; and the data
checks in this folder (check_*.py) pass. Ends with "N passed, M failed"."""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONTENT = os.path.join(ROOT, "content")

# Paths that other open issues will build (issue 4: the locator; 5: the
# checker; 6: recovery, self-checks, statistics). Links to them are
# "pending" until those routes exist.
PENDING = [r"^/find(/[a-z-]+)?$", r"^/services/.+$", r"^/combos$", r"^/recovery(/[a-z0-9-]+)?$",
           r"^/first-step$", r"^/self-check(/[a-z0-9-]+)?$", r"^/data$"]
ROUTES = ["/", "/search", "/healthz", "/metrics"]
# Anchors a page's template adds around its Markdown (templates/data.mustache:
# the facts block and the charts), so links to them resolve.
TEMPLATE_ANCHORS = {"/data": {"wp-facts", "wp-us", "wp-states", "wp-ages"}}
BANNED = [r"\baddicts?\b", r"\babusers?\b", r"\bjunkies?\b", r"\bdruggies?\b", r"\bdope ?fiends?\b"]
MAX_GRADE = 8.0
SPANISH = "es" + os.sep  # content/es/: translations, checked by check_spanish.py

passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (("\n     " + detail) if detail else ""))


def parse(path):
    src = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n(.*)$", src, re.S)
    if not m:
        return None, src
    fm, key = {}, None
    for line in m.group(1).splitlines():
        if re.match(r"^\s*- ", line) and key:
            fm.setdefault(key, []).append(line.split("- ", 1)[1].strip())
        elif ":" in line and not line.startswith(" "):
            key, val = line.split(":", 1)
            key, val = key.strip(), val.strip()
            fm[key] = val if val else []
    return fm, m.group(2)


def url_path(rel, fm):
    if fm.get("slug"):
        return "/" + fm["slug"].lstrip("/")
    rel = rel[:-3]
    if rel == "index":
        return "/"
    if rel.endswith("/index"):
        return "/" + rel[:-6]
    return "/" + rel


def slug(text):
    text = re.sub(r"[`*_\[\]]|\(https?://[^)]*\)|\(/[^)]*\)", "", text)
    s = re.sub(r"[^a-z0-9\x80-\uffff]+", "-", text.lower()).strip("-")
    return s or "section"


def anchors(body):
    out, seen = set(), {}
    for m in re.finditer(r"^(##|###) (.+)$", body, re.M):
        s = slug(m.group(2).replace("&", " "))
        seen[s] = seen.get(s, 0) + 1
        out.add(s if seen[s] == 1 else "%s-%d" % (s, seen[s]))
    return out


def syllables(word):
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    n = len(groups)
    if word.endswith("e") and n > 1 and not word.endswith("le"):
        n -= 1
    return max(1, n)


def grade(body):
    body = body.replace("{{emergency_number}}", "911")
    text = re.sub(r"```.*?```", " ", body, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^#+ .*$", " ", text, flags=re.M)
    text = re.sub(r"^\s*\|.*\|\s*$", " ", text, flags=re.M)
    sentences = [s for s in re.split(r"[.!?:;]+\s|\n\s*\n|\n\s*[-*\d]+[.)]?\s", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    if not words or not sentences:
        return 0.0
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syl / len(words) - 15.59


def main():
    pages = {}
    for f in sorted(glob.glob(os.path.join(CONTENT, "**", "*.md"), recursive=True)):
        rel = os.path.relpath(f, CONTENT)
        if os.path.basename(rel) == "README.md":
            continue
        fm, body = parse(f)
        pages[rel] = (fm, body)

    for rel, (fm, body) in pages.items():
        ok = fm is not None and all(fm.get(k) for k in ("title", "summary", "reviewed", "sources"))
        ok = ok and re.match(r"^\d{4}-\d{2}-\d{2}$", fm.get("reviewed", "")) is not None
        result(ok, "front matter of %s" % rel, "needs title, summary, reviewed (YYYY-MM-DD) and sources")

    # A page of content/es/ is /es/...: its links resolve to the Spanish page
    # when there is one, else to the English page the site shows instead.
    by_path = {url_path(rel, fm): (rel, anchors(body)) for rel, (fm, body) in pages.items()
               if fm and not rel.startswith(SPANISH)}
    es_path = {url_path(rel[len(SPANISH):], fm): (rel, anchors(body)) for rel, (fm, body) in pages.items()
               if fm and rel.startswith(SPANISH)}
    for rel, (fm, body) in pages.items():
        bad = []
        known = dict(by_path, **es_path) if rel.startswith(SPANISH) else by_path
        for m in re.finditer(r"\]\((/[^)\s]*)\)", body):
            target = m.group(1)
            path, _, frag = target.partition("#")
            path = path.split("?", 1)[0]
            if path.startswith("/static/"):
                if not os.path.exists(os.path.join(ROOT, path.lstrip("/"))):
                    bad.append(target)
                continue
            if path in known:
                if frag and frag not in known[path][1] | TEMPLATE_ANCHORS.get(path, set()):
                    bad.append(target + " (no such anchor)")
                continue
            if path in ROUTES or any(re.match(p, path) for p in PENDING):
                continue
            bad.append(target)
        result(not bad, "internal links of %s" % rel, ", ".join(bad))

    for rel, (fm, body) in pages.items():
        unknown = [t for t in re.findall(r"\{\{\s*([^}]*)\}\}", body) if t != "emergency_number"]
        result(not unknown, "placeholders in %s are known" % rel, ", ".join(unknown))

    # The Spanish pages' words and reading level are check_spanish.py's.
    english = {rel: v for rel, v in pages.items() if not rel.startswith(SPANISH)}
    for rel, (fm, body) in english.items():
        hits = [w for w in BANNED if re.search(w, body, re.I)]
        result(not hits, "people-first words in %s" % rel, ", ".join(hits))

    print("reading grades (Flesch-Kincaid, target %.0f or lower):" % MAX_GRADE)
    for rel, (fm, body) in english.items():
        g = grade(body)
        print("     %5.1f  %s" % (g, rel))
        result(g <= MAX_GRADE, "reading grade of %s is %.1f" % (rel, g))

    for script in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "check_*.py"))):
        p = subprocess.run([sys.executable, script], cwd=ROOT, capture_output=True, text=True)
        result(p.returncode == 0, os.path.basename(script), (p.stdout + p.stderr)[-1500:])

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
