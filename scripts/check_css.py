"""Checks the stylesheets under static/: every block closes, so no rule
slips into an @media block above it (a missing "}" once put every rule
after the staff table's phone layout, the alert poster's print rules
among them, under @media (max-width: 48rem)). Comments and strings are
skipped. Prints one line per problem; exits 1 on any."""
import glob
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def problems(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', lambda m: " " * len(m.group(0)), text)
    depth, opened, out = 0, [], []
    for n, line in enumerate(text.split("\n"), 1):
        for ch in line:
            if ch == "{":
                depth += 1
                opened.append(n)
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    out.append("%s:%d: a \"}\" closes nothing" % (path, n))
                    depth = 0
                else:
                    opened.pop()
        if depth == 0 and opened:
            opened.clear()
    for n in opened:
        out.append("%s:%d: this \"{\" is never closed" % (path, n))
    return out


def main():
    found = []
    for p in sorted(glob.glob(os.path.join(ROOT, "static", "**", "*.css"), recursive=True)):
        found += problems(os.path.relpath(p, ROOT))
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
