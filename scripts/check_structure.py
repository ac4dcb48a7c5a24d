#!/usr/bin/env python3
"""Checks the shape of src/ (run by scripts/lint.sh, so by `make check`).

1. The dependency rule: a file in folder X may include a project header
   from folder Y only when ALLOWED[X] names Y (its own folder always). The
   layers, lowest first:
       core      bounded buffers, strings, escaping, config, time, CSV
       db        SQLite connections and migrations
       tmpl      the Mustache engine
       content   Markdown pages and their search index (no HTTP)
       http      the server, router, parameters, assets, metrics
       hsds      the HSDS 3.0 data standard and the stored directory
       auth      staff accounts: passwords, TOTP, sessions, CSRF, the role
                 guard, API tokens, the audit log
       notify    the durable outbox and its channels (SMS, email, webhooks):
                 a layer any feature may use to send a message
       pages     page glue: view data, layout, site snapshot, hooks, charts,
                 the generic page handlers (home, Markdown pages, search)
       features  substances, recovery, stats, locator, staff, alerts, checkin,
                 community: each may use the layers below, never another
                 feature (the locator and staff may use hsds; staff, alerts,
                 checkin and community auth; checkin and community notify;
                 these are layers)
       top       main.c, app.c, routes.c: anything
2. No file in src/ over MAX_FILE lines, no function over MAX_FUNC lines,
   except the ones named in EXCEPTIONS with a reason.

Prints one line per problem and ends with "N passed, N failed".
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SRC = os.path.join(ROOT, "src")
MAX_FILE = 800
MAX_FUNC = 80

LOW = ["core"]
ALLOWED = {
    "core": [],
    "db": ["core"],
    "tmpl": ["core"],
    "content": ["core", "db"],
    "http": ["core", "db"],
    "hsds": ["core", "db"],
    "notify": ["core", "db"],
    "auth": ["core", "db", "http"],
    "pages": ["core", "db", "tmpl", "content", "http"],
    "substances": ["core", "db", "tmpl", "content", "http", "pages"],
    "recovery": ["core", "db", "tmpl", "content", "http", "pages"],
    "stats": ["core", "db", "tmpl", "content", "http", "pages"],
    "locator": ["core", "db", "tmpl", "content", "http", "pages", "hsds"],
    "staff": ["core", "db", "tmpl", "content", "http", "pages", "hsds", "auth"],
    "alerts": ["core", "db", "tmpl", "content", "http", "pages", "auth"],
    "checkin": ["core", "db", "tmpl", "content", "http", "pages", "notify", "auth"],
    "community": ["core", "db", "tmpl", "content", "http", "pages", "notify", "auth"],
    "": None,  # src/ itself (main.c, app.c, routes.c): anything
}

# file -> reason; function "file:name" -> reason
EXCEPTIONS = {
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
ATTR = re.compile(r"__attribute__\(\(.*?\)\)\s*")
NAME = re.compile(r"(\w+)\s*\(")


def folder_of(rel):
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else ""


def check_includes(rel, lines, problems):
    own = folder_of(rel)
    allowed = ALLOWED.get(own, [])
    if allowed is None:
        return
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(1)
        if "/" not in target:
            if own != "" and os.path.exists(os.path.join(SRC, own, target)):
                continue  # a sibling header named without its folder
            problems.append("%s:%d: includes \"%s\", a top-level file (only main.c, app.c and routes.c may)" %
                            (rel, n, target))
            continue
        dep = target.split("/")[0]
        if dep != own and dep not in allowed:
            problems.append("%s:%d: %s/ may not include %s (allowed: %s)" %
                            (rel, n, own, target, ", ".join([own] + allowed)))


def functions(lines):
    """Yields (name, first line, length) of each function defined at the
    top level. The project's style puts a function's "{" and "}" alone at
    column 0, with the signature (continued on indented lines) above."""
    for i, line in enumerate(lines):
        if not line.startswith("{"):
            continue
        j = i - 1
        while j > 0 and lines[j][:1] in (" ", "\t"):
            j -= 1
        sig = ATTR.sub("", lines[j])
        m = NAME.search(sig)
        if not m or "=" in sig.split("(")[0]:
            continue
        k = i + 1
        while k < len(lines) and not lines[k].startswith("}"):
            k += 1
        yield m.group(1), j + 1, k - j + 1


def self_test():
    """The rule must catch a layer that reaches up and a feature that
    reaches sideways, and let a feature use a layer."""
    cases = [("content/x.c", '#include "locator/locator.h"', 1), ("substances/x.c", '#include "recovery/x.h"', 1),
             ("http/x.c", '#include "pages/view.h"', 1), ("locator/x.c", '#include "hsds/hsds_store.h"', 0),
             ("pages/x.c", '#include "routes.h"', 1), ("recovery/x.c", '#include "pages/hooks.h"', 0)]
    for rel, line, want in cases:
        got = []
        check_includes(rel, [line], got)
        if len(got) != want:
            return ["self-test: %s with %s gave %d problems, not %d" % (rel, line, len(got), want)]
    return []


def check_statement_room(problems):
    """Each connection caches its prepared statements in STMT_SLOTS slots
    (src/db/db.c); a full cache makes db_stmt fail and its page answer 500.
    Counts the statements the code can prepare (the SQL constants, literal
    db_stmt calls and the generated HSDS table statements) and
    fails past half the slots."""
    slots = int(re.search(r"#define STMT_SLOTS (\d+)", open(os.path.join(SRC, "db", "db.c")).read()).group(1))
    count = 0
    for dirpath, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".c"):
                text = open(os.path.join(dirpath, name), encoding="utf-8").read()
                count += len(re.findall(r'static const char \w+\[\]\s*=\s*"', text))
                count += len(re.findall(r'db_stmt\([\w>.-]+, "', text))
                if name == "hsds_schema_gen_store.c":  # one statement per table and kind, in arrays
                    count += len(re.findall(r'^\s*"(?:INSERT|SELECT|DELETE|UPDATE|WITH) ', text, re.M))
    if count > slots // 2:
        problems.append("about %d SQL statements for %d statement cache slots per connection: raise STMT_SLOTS "
                        "in src/db/db.c" % (count, slots))


def main():
    problems = self_test()
    longest = []
    checked = 0
    for dirpath, _, names in sorted(os.walk(SRC)):
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            checked += 1
            check_includes(rel, lines, problems)
            if len(lines) - 1 > MAX_FILE and rel not in EXCEPTIONS:
                problems.append("%s: %d lines (at most %d)" % (rel, len(lines) - 1, MAX_FILE))
            for fn, line, length in functions(lines):
                longest.append((length, "%s:%d %s()" % (rel, line, fn)))
                key = "%s:%s" % (rel, fn)
                if length > MAX_FUNC and key not in EXCEPTIONS:
                    problems.append("%s:%d: %s() is %d lines (at most %d)" % (rel, line, fn, length, MAX_FUNC))
    check_statement_room(problems)
    for p in problems:
        print("FAIL " + p)
    longest.sort(reverse=True)
    print("longest functions: " + "; ".join("%s %d lines" % (w, n) for n, w in longest[:5]))
    for key, why in sorted(EXCEPTIONS.items()):
        print("exception: %s (%s)" % (key, why))
    print("%d files checked" % checked)
    return problems


if __name__ == "__main__":
    p = main()
    sys.exit(1 if p else 0)
