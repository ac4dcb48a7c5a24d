#!/usr/bin/env python3
"""Checks that the vocabularies under data/ agree with each other and with
the pages that use them. The server checks each file on its own at start;
this checks what it cannot see from one file:

- data/taxonomy/waypost.json: every term and attribute has a unique code
  (a-z, 0-9, -), a name, a unique "bit" from 0 to 63, and a link_type
  (service_type for terms; cost, access, payment or population for
  attributes).
- data/vocab/finder-shortcuts.json: unique slugs and codes, a title, and
  every code a term (not an attribute) of the taxonomy.
- Every /find/<slug> link in content/ and templates/, and every pathway's
  "locator:", is a shortcut (a link to a shortcut that is not there is a
  404); every /find?... link uses keys the finder reads, what= a term and
  attr= an attribute (the finder silently drops other keys).
- data/vocab/navigation.json: unique hrefs and labels; every href is a
  route in src/routes.c or a content page.
- data/vocab/pathway-filters.json: unique columns and values, a label; every
  pathway page's value in a filtered column is one of the filter's values
  (otherwise that choice can never find it).

Usage: python3 tests/content/check_vocab.py
Prints one line per check and ends with "N passed, M failed"; exits 1 on any
failure. Standard library only.
"""
import glob
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "data")
SLUG = re.compile(r"^[a-z0-9-]{1,63}$")
ATTRIBUTE_LINK_TYPES = {"cost", "access", "payment", "population"}

passed = failed = 0


def result(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print("FAIL %s" % name)
        for p in problems[:10]:
            print("     - %s" % p)
        if len(problems) > 10:
            print("     ... and %d more" % (len(problems) - 10))
    else:
        passed += 1
        print("ok   %s" % name)


def load(rel):
    with open(os.path.join(DATA, rel), encoding="utf-8") as f:
        return json.load(f)


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    fm = {}
    for line in (m.group(1) if m else "").splitlines():
        if ":" in line and not line.startswith((" ", "-")):
            k, v = line.split(":", 1)
            fm[k.strip()] = v.strip()
    return fm, text


def check_taxonomy():
    """Returns {code: is_attribute}."""
    doc = load("taxonomy/waypost.json")
    problems, codes, bits = [], {}, {}
    for group in ("terms", "attributes"):
        for i, t in enumerate(doc.get(group) or []):
            code = t.get("code")
            where = "%s[%d] %s" % (group, i, json.dumps(code))
            if not isinstance(code, str) or not SLUG.match(code):
                problems.append(where + ": the code is not a slug")
            elif code in codes:
                problems.append(where + ": the code is listed twice")
            if not t.get("name"):
                problems.append(where + ": no name")
            bit = t.get("bit")
            if not isinstance(bit, int) or isinstance(bit, bool) or not 0 <= bit <= 63:
                problems.append(where + ": bit is not a whole number from 0 to 63")
            elif bit in bits:
                problems.append("%s: bit %d is also the bit of %s" % (where, bit, bits[bit]))
            else:
                bits[bit] = code
            lt = t.get("link_type")
            if group == "terms" and lt != "service_type":
                problems.append(where + ": a term's link_type is service_type")
            if group == "attributes" and lt not in ATTRIBUTE_LINK_TYPES:
                problems.append("%s: an attribute's link_type is one of %s" % (where, sorted(ATTRIBUTE_LINK_TYPES)))
            codes[code] = group == "attributes"
    result("taxonomy: %d codes, each with a unique bit below 64 and its link_type" % len(codes), problems)
    return codes


def check_shortcuts(codes):
    """Returns the set of slugs."""
    doc = load("vocab/finder-shortcuts.json")
    problems, slugs, seen_codes = [], set(), set()
    for i, s in enumerate(doc.get("shortcuts") or []):
        slug, code = s.get("slug"), s.get("code")
        where = "shortcuts[%d] %s" % (i, json.dumps(slug))
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 47:
            problems.append(where + ": the slug is not a slug of at most 47 characters")
        elif slug in slugs:
            problems.append(where + ": the slug is listed twice")
        if code not in codes:
            problems.append("%s: the code %s is not in data/taxonomy/waypost.json" % (where, json.dumps(code)))
        elif codes[code]:
            problems.append("%s: the code %s is an attribute, not a term" % (where, code))
        elif code in seen_codes:
            problems.append("%s: the code %s has two shortcuts" % (where, code))
        if not s.get("title"):
            problems.append(where + ": no title")
        slugs.add(slug)
        seen_codes.add(code)
    result("finder shortcuts: %d, each a term of the taxonomy" % len(slugs), problems)
    return slugs


# The query keys the /find route reads (src/routes.c).
FIND_KEYS = {"what", "where", "radius", "open", "attr", "lang", "page"}


def finder_query_problems(query, codes):
    """What is wrong with a /find?query a page links to: a key the finder
    drops, a what= that is not a term, an attr= that is not an attribute."""
    problems = []
    for pair in filter(None, query.replace("&amp;", "&").split("&")):
        key, _, value = pair.partition("=")
        if key not in FIND_KEYS:
            problems.append("the finder does not read %r" % key)
        elif key == "what" and value and codes.get(value) is not False:
            problems.append("what=%s is not a term of the taxonomy" % value)
        elif key == "attr" and codes.get(value) is not True:
            problems.append("attr=%s is not an attribute of the taxonomy" % value)
    return problems


def check_find_links(slugs, codes):
    problems = []
    files = glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True)
    files += glob.glob(os.path.join(ROOT, "templates", "**", "*.mustache"), recursive=True)
    for path in sorted(files):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for slug in re.findall(r"/find/([A-Za-z0-9_-]+)", text):
            if slug not in slugs:
                problems.append("%s links to /find/%s, which is not a shortcut" % (rel, slug))
        for query in re.findall(r"/find\?([^)\s\"'#]*)", text):
            problems += ["%s links to /find?%s: %s" % (rel, query, why) for why in finder_query_problems(query, codes)]
    for path in sorted(glob.glob(os.path.join(ROOT, "content", "recovery", "*.md"))):
        loc = front_matter(path)[0].get("locator")
        if not loc:
            continue
        m = re.match(r"^/find/([a-z0-9-]+)$", loc)
        q = re.match(r"^/find\?(.*)$", loc)
        if (m and m.group(1) not in slugs) or (q and finder_query_problems(q.group(1), codes)) or not (m or q):
            problems.append("%s: locator %s is neither /find/<shortcut> nor a /find? search the finder reads"
                            % (os.path.relpath(path, ROOT), loc))
    result("links to the finder use its shortcuts and terms", problems)


def content_paths():
    paths = set()
    for path in glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True):
        rel = os.path.relpath(path, os.path.join(ROOT, "content"))[:-3]
        if os.path.basename(rel) == "README":
            continue
        slug = front_matter(path)[0].get("slug")
        if slug:
            paths.add("/" + slug.lstrip("/"))
        elif rel == "index":
            paths.add("/")
        else:
            paths.add("/" + (rel[:-6] if rel.endswith("/index") else rel))
    return paths


def check_navigation():
    doc = load("vocab/navigation.json")
    with open(os.path.join(ROOT, "src", "routes.c"), encoding="utf-8") as f:
        routes = set(re.findall(r'"(/[a-z0-9/_.-]*)"', f.read()))
    pages = content_paths()
    problems, hrefs, labels = [], set(), set()
    for i, item in enumerate(doc.get("items") or []):
        href, label = item.get("href"), item.get("label")
        where = "items[%d] %s" % (i, json.dumps(href))
        if href in hrefs:
            problems.append(where + ": the href is listed twice")
        if not label or label in labels:
            problems.append(where + ": no label, or a label listed twice")
        if href not in routes and href not in pages:
            problems.append(where + ": neither a route in src/routes.c nor a content page")
        hrefs.add(href)
        labels.add(label)
    result("menu: %d items, each a route or a page" % len(hrefs), problems)


def check_pathway_filters():
    doc = load("vocab/pathway-filters.json")
    problems, vocab = [], {}
    for i, f in enumerate(doc.get("filters") or []):
        col = f.get("column")
        where = "filters[%d] %s" % (i, json.dumps(col))
        if col in vocab:
            problems.append(where + ": the column has two filters")
        if not f.get("label"):
            problems.append(where + ": no label")
        values = [v.lower() for v in f.get("values") or [] if isinstance(v, str)]
        if not values or len(set(values)) != len(f.get("values") or []):
            problems.append(where + ": values missing, not texts, or listed twice")
        vocab[col] = set(values)
    pages = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "content", "recovery", "*.md"))):
        fm = front_matter(path)[0]
        if not fm.get("type"):
            continue
        pages += 1
        for col, values in vocab.items():
            for v in (x.strip() for x in fm.get(col, "").split(",")):
                if v and v.lower() not in values:
                    problems.append("%s: %s %r is not a choice of the %s filter"
                                    % (os.path.relpath(path, ROOT), col, v, col))
    result("pathway filters: %d, and the %d pathway pages use their values" % (len(vocab), pages), problems)


def main():
    codes = check_taxonomy()
    slugs = check_shortcuts(codes)
    check_find_links(slugs, codes)
    check_navigation()
    check_pathway_filters()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
