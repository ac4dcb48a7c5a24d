#!/usr/bin/env python3
"""check_i18n: the translation checks of issue 16, run by scripts/lint.sh
(so by `make lint` and `make check`). One "ok"/"FAIL" line per check:

  - templates: no visible text, and no alt, title, aria-label,
    placeholder, meta description or button value, outside a
    {{#_}}...{{/_}} marker (Mustache tags, comments, <script>, <style> and
    <svg> removed first; words that are the same in every language, such
    as the site's name, are listed in SAME_IN_EVERY_LANGUAGE);
  - C: no user-facing string literal outside T, TC, TN, i18n_tr,
    i18n_trc, i18n_trn or N_ in src/ (see c_violations for the heuristic:
    a literal that reads as a sentence or label, not an argument of a log,
    operator or SQL call; operators' commands (*_cmd.c), imports
    (*_import.c), SQL (*_store.c), the settings' help (config.c), start-up
    errors written into err, and the HSDS documents of src/hsds/ are English
    by design);
  - po/waypost.pot is what tools/i18n_extract.py makes now;
  - every po/<code>.po passes msgfmt --check, and each translation keeps
    its msgid's {{tags}} and HTML tag names;
  - prints, per language, how many messages are translated and how many
    fall back to English (not a failure: a missing translation shows the
    English).

Files listed in PENDING are reported, not failed: they are the parts of
the site whose strings are not yet in the catalog (issue 16 says which)."""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import i18n_extract  # noqa: E402

SAME_IN_EVERY_LANGUAGE = {"Waypost", "CSV", "PDF", "SMS", "HSDS", "API", "JSON", "CAP", "Atom", "RSS", "URL", "ID",
                          "OK", "ZIP", "TOTP", "QR", "NDJSON", "Prometheus", "Twilio", "Leaflet", "OpenStreetMap",
                          "x", "mi", "km", "am", "pm", "AUDIT", "DAST", "TAPS"}
ATTRS = re.compile(r'\b(alt|title|aria-label|placeholder)="([^"]*)"')
# Text for operators, not for people on the site: the settings' help
# (`waypost help config`). src/hsds/ writes HSDS documents (data, whose
# words are the directory's own) and is skipped too.
OPERATOR_FILES = {"src/core/config.c"}
# Parts of the site whose strings are not in the catalog yet (reported, not failed).
PENDING = []

passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (("\n     " + detail) if detail else ""))


def pending(rel):
    return any(rel == p or rel.startswith(p.rstrip("*")) for p in PENDING if p)


def blank(m):
    """A removed region keeps its line breaks, so line numbers stay right."""
    return "\n" * m.group(0).count("\n")


def words_outside(text):
    text = re.sub(r"\{\{\{[^}]*\}\}\}|\{\{[^}]*\}\}", " ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return [w for w in re.findall(r"[A-Za-zÁÉÍÓÚÑáéíóúñ][A-Za-zÁÉÍÓÚÑáéíóúñ'’-]*", text)
            if w not in SAME_IN_EVERY_LANGUAGE]


def template_violations(path):
    src = open(path, encoding="utf-8").read()
    src = re.sub(r"\{\{!.*?\}\}", blank, src, flags=re.S)
    src = re.sub(r"\{\{#_\}\}.*?\{\{/_\}\}", blank, src, flags=re.S)
    src = re.sub(r"<(script|style|svg)\b.*?</\1>", blank, src, flags=re.S)
    out = []
    for lineno, line in enumerate(src.split("\n"), 1):
        for tag in re.findall(r"<[a-zA-Z][^>]*>", line):
            for name, value in ATTRS.findall(tag):
                if words_outside(value):
                    out.append("%d: %s=\"%s\"" % (lineno, name, value))
            # an <input type=submit>'s value is its label; a <button>'s value is a code it sends
            if (tag.startswith("<input") and re.search(r'type="(submit|button)"', tag)) or \
                    "<meta name=\"description\"" in tag:
                for name, value in re.findall(r'\b(value|content)="([^"]*)"', tag):
                    if words_outside(value):
                        out.append("%d: %s=\"%s\"" % (lineno, name, value))
        text = re.sub(r"<[^>]*>", " ", line)
        words = words_outside(text)
        if words:
            out.append("%d: %s" % (lineno, " ".join(words)[:80]))
    return out


def check_templates():
    bad, waiting = [], []
    for f in sorted(glob.glob(os.path.join(ROOT, "templates", "**", "*.mustache"), recursive=True)):
        rel = os.path.relpath(f, ROOT)
        v = template_violations(f)
        if v and pending(rel):
            waiting.append("%s (%d)" % (rel, len(v)))
        elif v:
            bad += ["%s:%s" % (rel, x) for x in v[:5]] + (["%s: ... %d more" % (rel, len(v) - 5)] if len(v) > 5 else [])
    result(not bad, "templates: every visible text and translatable attribute is in a {{#_}} marker",
           "\n     ".join(bad))
    if waiting:
        print("     not yet in the catalog (issue 16, open): " + ", ".join(waiting))


# ---- C ----

KEYWORD_CALLS = {"T", "TC", "TN", "i18n_tr", "i18n_trc", "i18n_trn", "N_"}
NOT_FOR_PEOPLE = re.compile(
    r"^(log_\w+|fprintf|printf|puts|fputs|perror|die|cli_\w+|db_\w+|sqlite3_\w+|json_pack|json_object_get|"
    r"json_object_set\w*|strcmp|strncmp|strcasecmp|strstr|strchr|headers_add|resp_header|MHD_\w+|curl_\w+|"
    r"str_has_prefix|str_has_suffix|vocab_\w+|config_\w+|metrics_\w+|audit_\w+|assert\w*|static_assert|"
    r"buf_printf|buf_puts|esc_\w+|params_\w+|req_\w+|jset_str|getenv|fopen|open|stat|access|mkdir|"
    r"memcmp|memmem|strspn|strcspn|sscanf|strtol|regcomp|fail|bad|vocab_bad|problem|set_err|err_set)$")
SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [A-Za-z0-9,'()/-]+)+[.?!:]?$|^[A-Z][^%]*[a-z][.?!]$")


def literals(src):
    """(line, text, offset) of each string literal outside comments."""
    out, i, n, line = [], 0, len(src), 1
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            line += src.count("\n", i, j)
            i = n if j < 0 else j + 2
        elif c == "'":
            j = i + 1
            while j < n and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append((line, src[i + 1:j], i))
            i = j + 1
        else:
            if c == "\n":
                line += 1
            i += 1
    return out


def enclosing_call(src, pos):
    """The name of the innermost call whose parentheses hold pos."""
    depth, i = 0, pos - 1
    while i >= 0 and pos - i < 4000:
        c = src[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", src[max(0, i - 80):i])
                return m.group(1) if m else ""
            depth -= 1
        elif c in ";{}" and depth == 0:
            return ""
        i -= 1
    return ""


def user_facing(text):
    if len(text) < 4 or "%" in text and not re.search(r"[a-z]{3,} [a-z]{3,}", text):
        return False
    if re.match(r"^(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH|BEGIN|COMMIT|ROLLBACK|DROP|ALTER) ", text):
        return False
    if re.search(r"[<>{}=\\]|https?:|^/|\.(c|h|json|md|csv|po|sql)\b|^[a-z_]+(\.[a-z_]+)+$", text):
        return False
    return bool(SENTENCE.match(text))


def c_violations(path):
    src = open(path, encoding="utf-8").read()
    out = []
    for line, text, pos in literals(src):
        if not user_facing(text):
            continue
        call = enclosing_call(src, pos)
        if call in KEYWORD_CALLS or NOT_FOR_PEOPLE.match(call or "-"):
            continue
        if call == "snprintf" and re.search(r"snprintf\s*\(\s*err\b", src[max(0, pos - 300):pos]):
            continue  # a start-up error for the operator, written into err
        out.append("%d: \"%s\"" % (line, text[:70]))
    return out


def check_c():
    bad, waiting = [], []
    for f in sorted(glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True)):
        rel = os.path.relpath(f, ROOT)
        # *_import.c read files for operators (`waypost import ...`): their literals are
        # the files' column names and messages for the command line
        if rel.endswith(("_cmd.c", "_store.c", "_import.c")) or "/gen" in rel or rel.endswith("main.c") or \
                rel in OPERATOR_FILES or rel.startswith("src/hsds/"):
            continue
        v = c_violations(f)
        if v and pending(rel):
            waiting.append("%s (%d)" % (rel, len(v)))
        elif v:
            bad += ["%s:%s" % (rel, x) for x in v[:4]] + (["%s: ... %d more" % (rel, len(v) - 4)] if len(v) > 4 else [])
    result(not bad, "C: user-facing strings go through T/TN/TC/i18n_tr/N_", "\n     ".join(bad))
    if waiting:
        print("     not yet in the catalog (issue 16, open): " + ", ".join(waiting))


# ---- catalogs ----

def check_pot():
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "waypost.pot")
        try:
            i18n_extract.extract(fresh)
        except i18n_extract.ExtractError as e:
            result(False, "po/waypost.pot can be extracted", str(e))
            return
        cur = os.path.join(ROOT, "po", "waypost.pot")
        same = os.path.exists(cur) and messages_of(cur) == messages_of(fresh)
        result(same, "po/waypost.pot is current (its messages; line references may lag)",
               "run `make pot` (and `make po-update`)")


def messages_of(pot):
    """A .pot without its "#:" references, whose line numbers move with
    every edit above a string: what translators need is the messages."""
    return [line for line in open(pot, encoding="utf-8") if not line.startswith("#:")]


def entries(path):
    """(msgid, msgstr forms, fuzzy) of each entry, via msgattrib's output."""
    src = open(path, encoding="utf-8").read()
    out = []
    for block in re.split(r"\n\s*\n", src):
        if block.lstrip().startswith("#~"):
            continue
        fuzzy = re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        parts = re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) ((?:".*"\n?)+)', block + "\n", re.M)
        fields = {}
        for key, val in parts:
            fields[key] = "".join(re.findall(r'"(.*)"', val)).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if "msgid" in fields and fields["msgid"]:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            out.append((fields["msgid"], strs, fuzzy))
    return out


def shape(s):
    return sorted(re.findall(r"\{\{\{?[^}]*\}?\}\}", s)), sorted(re.findall(r"</?([a-zA-Z]+)", s))


def check_catalogs():
    for po in sorted(glob.glob(os.path.join(ROOT, "po", "*.po"))):
        rel = os.path.relpath(po, ROOT)
        p = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], capture_output=True, text=True)
        result(p.returncode == 0, "msgfmt --check %s" % rel, p.stderr[-800:])
        bad, translated, total = [], 0, 0
        for msgid, strs, fuzzy in entries(po):
            total += 1
            if fuzzy or not any(strs):
                continue
            translated += 1
            for s in strs:
                if s and shape(s) != shape(msgid):
                    bad.append(msgid[:60])
                    break
        result(not bad, "%s keeps each msgid's {{tags}} and HTML tags" % rel, "; ".join(bad[:5]))
        pot = os.path.join(ROOT, "po", "waypost.pot")
        wanted = {m for m, _, _ in entries(pot)} if os.path.exists(pot) else set()
        have = {m for m, strs, fuzzy in entries(po) if any(strs) and not fuzzy}
        code = os.path.basename(po)[:-3]
        print("     %s: %d of %d messages translated; %d fall back to English" %
              (code, len(wanted & have), len(wanted), len(wanted - have)))


def main():
    check_templates()
    check_c()
    check_pot()
    check_catalogs()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
