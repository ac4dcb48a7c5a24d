#!/usr/bin/env python3
"""test_i18n_tools: the translation tooling (issue 16) on small fixtures in
tests/unit/i18n/fixtures/, not on the real tree (scripts/lint.sh runs it):
scripts/check_i18n.py finds text outside a {{#_}} marker in templates (and
nothing in a template whose words are all marked), user-facing C literals
outside the keywords (and not log, CLI or SQL text), translations that
lose a {{tag}} or an HTML tag; tools/i18n_extract.py makes the msgid the
way the server does and stops on an unclosed marker or a section tag
inside one, naming the right line. Prints one line per test and ends with
"N passed, N failed"."""
import contextlib
import io
import os
import shutil
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import check_i18n  # noqa: E402
import i18n_extract  # noqa: E402

results = []


def test(fn):
    results.append(fn)
    return fn


def lines_of(violations):
    return sorted(int(v.split(":", 1)[0]) for v in violations)


@test
def template_all_marked_is_clean():
    v = check_i18n.template_violations(os.path.join(FIX, "templates", "good.mustache"))
    assert v == [], v


@test
def template_text_and_attributes_outside_markers():
    v = check_i18n.template_violations(os.path.join(FIX, "templates", "bad.mustache"))
    assert lines_of(v) == [2, 3, 4, 5, 6, 7, 8], v
    assert any('alt="A map"' in x for x in v) and any('title="Open the finder"' in x for x in v), v
    assert any('value="Search"' in x for x in v) and any('content="Services near you"' in x for x in v), v


@test
def c_literals_outside_keywords():
    v = check_i18n.c_violations(os.path.join(FIX, "src", "sample.c"))
    texts = sorted(x.split(": ", 1)[1] for x in v)
    assert texts == ['"Emergency shelter beds"', '"Find a service"', '"The form is missing a field."'], v


def with_root(root, fn):
    saved = i18n_extract.ROOT
    i18n_extract.ROOT = root
    try:
        return fn()
    finally:
        i18n_extract.ROOT = saved


def tree_with(*names):
    d = tempfile.mkdtemp(prefix="wp_i18n_test_")
    os.makedirs(os.path.join(d, "templates"))
    for n in names:
        shutil.copy(os.path.join(FIX, "templates", n), os.path.join(d, "templates", n))
    return d


@test
def extract_collapses_whitespace_with_references():
    d = tree_with("good.mustache")
    try:
        msgs = with_root(d, i18n_extract.template_messages)
    finally:
        shutil.rmtree(d)
    ids = [m[0] for m in msgs]
    assert ids[0] == "Find naloxone near you", ids
    assert msgs[0][1] == "templates/good.mustache:2", msgs[0]
    assert 'Call <a href="tel:{{site.emergency_number}}">{{site.emergency_number}}</a> now.' in ids, ids
    assert "ZIP code or city" in ids and "Search" in ids, ids


def extract_error(name):
    d = tree_with(name)
    try:
        with_root(d, i18n_extract.template_messages)
    except i18n_extract.ExtractError as e:
        return str(e)
    finally:
        shutil.rmtree(d)
    return None


@test
def extract_stops_on_unclosed_marker_at_its_line():
    e = extract_error("unclosed.mustache")
    assert e is not None and e.startswith("templates/unclosed.mustache:3:") and "not closed" in e, e


@test
def extract_stops_on_section_inside_marker_at_its_line():
    e = extract_error("section.mustache")
    assert e is not None and e.startswith("templates/section.mustache:2:") and "section" in e, e


@test
def catalog_tags_kept_and_counts():
    entries = check_i18n.entries(os.path.join(FIX, "bad.po"))
    by_id = {m: (s, f) for m, s, f in entries}
    assert by_id["Open the <b>finder</b>"][1] is True
    assert by_id["Not translated"][0] == [""]
    lost = [m for m, strs, fuzzy in entries
            if not fuzzy and any(s and check_i18n.shape(s) != check_i18n.shape(m) for s in strs)]
    assert sorted(lost) == ['Call <a href="tel:{{n}}">{{n}}</a> now.', "Hello {{name}}"], lost


def main():
    passed = failed = 0
    for fn in results:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                fn()
            passed += 1
            print("ok   " + fn.__name__)
        except AssertionError as e:
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
