"""What the Spanish HTTP suites check on every page they fetch: each
site-relative link and form of a page in /es/ stays in /es/ (except static
files, the API, and the links to the other language, which carry
hreflang)."""
import re


def links_stay_in_spanish(text, where):
    for m in re.finditer(r'<(a|form)\b[^>]*\b(href|action)="(/[^"]*)"[^>]*>', text):
        tag, target = m.group(0), m.group(3)
        if "hreflang=" in tag or target.startswith(("/static/", "/api/", "//")):
            continue
        assert target == "/es" or target.startswith(("/es/", "/es?")), (where, tag)
