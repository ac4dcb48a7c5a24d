#!/usr/bin/env python3
"""i18n_extract: writes po/waypost.pot, the template of every message a
translator translates (issue 16). `make pot` runs it; `make po-update`
then merges it into each po/<code>.po with msgmerge.

Three sources, each entry with "#:" references (file:line) and a "#."
comment naming its kind:
  - templates/**/*.mustache: the text of every {{#_}}...{{/_}} marker,
    whitespace runs collapsed to one space and trimmed, exactly as the
    server does (src/core/i18n_text.c, i18n_msgid); an unclosed marker or
    a section tag inside one is an error naming the file and line;
  - src/**/*.c: xgettext with the keywords T, TC, TN, i18n_tr, i18n_trc,
    i18n_trn and N_ (xgettext marks strings with % as c-format, which the
    server and msgfmt then check);
  - data: po/data-strings.json lists files (globs) and keys: "keys" takes
    every string inside those keys' values of a JSON file, through lists
    and objects; "frontmatter" takes those front-matter values of Markdown
    pages, and "split" names the ones that are comma-separated lists whose
    items are translated one by one (src/recovery/pathways.c does the
    same).

The output is deterministic (a fixed header, entries in source order), so
scripts/check_i18n.py can tell a stale po/waypost.pot by extracting again.

Usage: tools/i18n_extract.py [OUTPUT]   (default po/waypost.pot)"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
KEYWORDS = ["T:2", "TC:2c,3", "TN:2,3", "i18n_tr:2", "i18n_trc:2c,3", "i18n_trn:2,3", "N_:1"]
MARKER = re.compile(r"\{\{#_\}\}(.*?)\{\{/_\}\}", re.S)
HEADER = '''# The messages of Waypost, for translators. Made by tools/i18n_extract.py
# (`make pot`); do not edit: translate in po/<code>.po (docs/translating.md).
msgid ""
msgstr ""
"Project-Id-Version: waypost\\n"
"Report-Msgid-Bugs-To: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"
'''


class ExtractError(Exception):
    pass


def po_quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in s:
        return '"%s"' % s
    parts = s.split("\n")
    lines = ['""'] + ['"%s\\n"' % p for p in parts[:-1]] + (['"%s"' % parts[-1]] if parts[-1] else [])
    return "\n".join(lines)


def msgid_of(text):
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def line_at(src, pos):
    return src.count("\n", 0, pos) + 1


def template_messages():
    out = []
    for f in sorted(glob.glob(os.path.join(ROOT, "templates", "**", "*.mustache"), recursive=True)):
        rel = os.path.relpath(f, ROOT)
        src = open(f, encoding="utf-8").read()
        for m in MARKER.finditer(src):
            inner = m.group(1)
            bad = re.search(r"\{\{[#^/>!<$=]", inner)
            if bad:
                raise ExtractError("%s:%d: a section, partial or comment tag inside {{#_}}...{{/_}}" %
                                   (rel, line_at(src, m.start(1) + bad.start())))
            text = msgid_of(inner)
            if text:
                out.append((text, "%s:%d" % (rel, line_at(src, m.start())), "template"))
        rest = MARKER.sub(lambda m: "\n" * m.group(0).count("\n"), src)  # keeps line numbers
        if "{{#_}}" in rest:
            raise ExtractError("%s:%d: {{#_}} is not closed with {{/_}}" % (rel, line_at(rest, rest.index("{{#_}}"))))
    return out


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)


def json_strings(node, keys):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys:
                yield from strings_in(v)
            else:
                yield from json_strings(v, keys)
    elif isinstance(node, list):
        for v in node:
            yield from json_strings(v, keys)


def front_matter(path):
    src = open(path, encoding="utf-8").read()
    m = re.match(r"---\n(.*?)\n---\n", src, re.S)
    out = {}
    for line in (m.group(1).splitlines() if m else []):
        if ":" in line and not line.startswith((" ", "-")):
            k, v = line.split(":", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] == '"':
                v = v[1:-1]
            out[k.strip()] = v
    return out


def data_messages():
    spec_file = os.path.join(ROOT, "po", "data-strings.json")
    if not os.path.exists(spec_file):
        return []
    out = []
    for spec in json.load(open(spec_file, encoding="utf-8")):
        for f in sorted(glob.glob(os.path.join(ROOT, spec["file"]))):
            rel = os.path.relpath(f, ROOT)
            if "keys" in spec:
                for s in json_strings(json.load(open(f, encoding="utf-8")), set(spec["keys"])):
                    if s.strip():
                        out.append((s, rel, "data"))
            for key in spec.get("frontmatter", []):
                value = front_matter(f).get(key, "")
                items = [i.strip() for i in value.split(",")] if key in spec.get("split", []) else [value]
                for item in items:
                    if item:
                        out.append((item, rel, "front matter: " + key))
    return out


def write_entries(path, messages):
    seen, order = {}, []
    for text, ref, kind in messages:
        if text not in seen:
            seen[text] = ([], [])
            order.append(text)
        refs, kinds = seen[text]
        if ref not in refs:
            refs.append(ref)
        if kind not in kinds:
            kinds.append(kind)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for text in order:
            refs, kinds = seen[text]
            f.write("\n#. %s\n#: %s\nmsgid %s\nmsgstr \"\"\n" % (", ".join(kinds), " ".join(refs), po_quote(text)))


def c_messages(tmp):
    out = os.path.join(tmp, "c.pot")
    files = sorted(os.path.relpath(f, ROOT) for f in glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True))
    args = ["xgettext", "--language=C", "--from-code=UTF-8", "--add-comments=TRANSLATORS:", "--omit-header",
            "--no-wrap", "-o", out] + ["--keyword=" + k for k in KEYWORDS] + files
    subprocess.run(args, cwd=ROOT, check=True)
    return out if os.path.exists(out) else None


def fixed_header(pot):
    """Replaces msgcat's header (with a changing date) by ours."""
    src = open(pot, encoding="utf-8").read()
    body = re.split(r"\n\n", src, maxsplit=1)
    entries = body[1] if len(body) > 1 and src.lstrip().startswith(("msgid \"\"", "#")) else src
    return HEADER + "\n" + entries.lstrip("\n")


def extract(output):
    with tempfile.TemporaryDirectory() as tmp:
        ours = os.path.join(tmp, "ours.pot")
        write_entries(ours, template_messages() + data_messages())
        c = c_messages(tmp)
        merged = os.path.join(tmp, "all.pot")
        subprocess.run(["msgcat", "--use-first", "--no-wrap", "-o", merged, ours] + ([c] if c else []),
                       cwd=ROOT, check=True)
        text = fixed_header(merged)
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "po", "waypost.pot")
    try:
        extract(output)
    except ExtractError as e:
        print("i18n_extract: %s" % e, file=sys.stderr)
        return 1
    n = sum(1 for line in open(output, encoding="utf-8") if line.startswith("msgid ")) - 1
    print("%s: %d messages" % (os.path.relpath(output, ROOT), n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
