"""Every "Call {{emergency_number}}" that tells the reader to call (in the
Markdown pages and in the templates) is a tap-to-call tel: link, so a
person on a phone in an overdose can call with one tap (issue 15). The
literal default number ("Call 911") counts too. Phrases that only talk
about calling ("people who call 911", "does not call 911", "how to call")
are not instructions and are left alone. The check first proves it catches
a bare instruction and passes a linked one. Ends with "N passed, M failed"."""
import glob
import os
import re
import sys

from tally import result, summary

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

CALL = re.compile(r"\bcall\s+(?:\{\{\s*(?:site\.)?emergency_number\s*\}\}|911\b)", re.I)
# words that make "call N" a statement about calling, not an instruction
NOT_INSTRUCTION = re.compile(r"\b(?:not|to|who|you|they|people|we)\s+$", re.I)



def in_md_tel_link(text, start, end):
    """True when text[start:end] is the whole or part of [label](tel:...)."""
    open_br = text.rfind("[", 0, start)
    close_br = text.find("]", end)
    if open_br < 0 or close_br < 0 or "]" in text[open_br:start] or "\n\n" in text[open_br:close_br]:
        return False
    return re.match(r"\]\(<?tel:", text[close_br:]) is not None


def in_html_tel_link(text, start):
    """True when the match at start sits inside <a href="tel:...">...</a>."""
    a = text.rfind("<a ", 0, start)
    if a < 0 or "</a>" in text[a:start]:
        return False
    return re.match(r'<a\s[^>]*href="tel:', text[a:]) is not None


def bare_calls(text, markdown):
    """The line numbers of instructions to call the emergency number that are
    not tel: links."""
    bad = []
    for m in CALL.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if NOT_INSTRUCTION.search(text[line_start:m.start()]):
            continue
        ok = in_md_tel_link(text, m.start(), m.end()) if markdown else in_html_tel_link(text, m.start())
        if not ok:
            bad.append(text.count("\n", 0, m.start()) + 1)
    return bad


def self_test():
    cases = [
        ("1. Call {{emergency_number}} now.", True, True),
        ("**Call 911.** Then give naloxone.", True, True),
        ("1. [Call {{emergency_number}}](<tel:{{emergency_number}}>) now.", True, False),
        ("**[Call {{emergency_number}}](tel:{{emergency_number}}).**", True, False),
        ("Laws protect people who call {{emergency_number}}.", True, False),
        ("[Call {{emergency_number}}](/overdose) for steps.", True, True),
        ("<p>In an emergency call {{site.emergency_number}}.</p>", False, True),
        ('<p>In an emergency <a href="tel:{{site.emergency_number}}">call {{site.emergency_number}}</a>.</p>',
         False, False),
        ('<a href="/overdose">x</a> call {{emergency_number}}', False, True),
        ("<p>This does not call {{emergency_number}}.</p>", False, False),
    ]
    wrong = [c[0] for c in cases if bool(bare_calls(c[0], c[1])) != c[2]]
    result(not wrong, "the tel: link check catches a bare \"Call {{emergency_number}}\"", "; ".join(wrong))


def main():
    self_test()
    files = sorted(glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "templates", "**", "*.mustache"), recursive=True))
    for f in files:
        text = open(f, encoding="utf-8").read()
        md = f.endswith(".md")
        if md:
            m = re.match(r"---\n.*?\n---\n", text, re.S)
            if m:  # keep line numbers true: blank out the front matter
                text = "\n" * m.group(0).count("\n") + text[m.end():]
        bad = bare_calls(text, md)
        rel = os.path.relpath(f, ROOT)
        result(not bad, "every \"Call {{emergency_number}}\" in %s is a tel: link" % rel,
               "not a tel: link on line(s) %s" % ", ".join(map(str, bad)))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
