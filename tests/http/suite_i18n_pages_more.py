"""More HTTP tests of the pages in Spanish (issue 16), beside
suite_i18n_pages.py and suite_i18n_locator.py: a content page without a
Spanish text shows the English one marked lang="en" under the note in
Spanish, with a Spanish reviewed date; the finder's parameter errors are
sentences in Spanish on /es/ (ranges too: "de 1 a 50") and in English
elsewhere; /data's rates have a decimal comma and its CSV stays English;
the hreflang alternates drop tracking keys; the API's full services carry
the Waypost terms in the language asked for."""
import html
import json
import os
import re

from harness import ROOT, main_of

TESTS = []
WAYPOST_TAXONOMY = "1ffc8755-6460-51ac-9673-4e3eee8feaae"
NOTE = "Esta página todavía no está traducida."


def test(fn):
    TESTS.append(fn)
    return fn


def page(srv, path, status=200, headers=None):
    st, h, body, _ = srv.get(path, headers)
    text = body.decode()
    assert st == status, "%s: %d" % (path, st)
    assert h["content-type"].startswith("text/html"), path
    return text


def visible(fragment):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def site_links(text):
    """Every site-relative href and action of a page (not assets, the API
    or the language switch, which carries hreflang)."""
    out = []
    for tag in re.findall(r"<(?:a|form|link)\b[^>]*>", text):
        if "hreflang=" in tag:
            continue
        for m in re.findall(r'(?:href|action)="(/[^"]*)"', tag):
            if not m.startswith(("/static/", "/api/", "//")):
                out.append(m)
    return out


def assert_spanish_page(text, path):
    assert '<html lang="es"' in text, path
    assert "{{#_}}" not in text and "{{/_}}" not in text, path
    bad = [h for h in site_links(main_of(text)) if not (h == "/es" or h.startswith(("/es/", "/es?", "/es#")))]
    assert not bad, "%s: links leave /es/: %s" % (path, bad[:5])


def translated(path):
    return os.path.exists(os.path.join(ROOT, "content", "es", path.strip("/") + ".md"))



def untranslated_page():
    """A plain content page (page.mustache) with no Spanish text yet."""
    for name in ["links", "sex-work", "safer-use", "overdose"]:
        if os.path.exists(os.path.join(ROOT, "content", name + ".md")) and not translated(name):
            return "/" + name
    return None


@test
def untranslated_content_page_says_so_in_spanish(srv):
    path = untranslated_page()
    if not path:
        return  # every page has its Spanish text
    text = page(srv, "/es" + path)
    assert_spanish_page(text, "/es" + path)
    main = main_of(text)
    assert NOTE in visible(main)
    # the English title and body are marked as English, the note is not
    assert re.search(r'<h1 lang="en">|<div lang="en">\s*<h1>', main), main[:300]
    assert main.index(NOTE) < main.index('<div lang="en">')
    assert not re.search(r'<[^>]*lang="en"[^>]*>[^<]*' + NOTE, main)
    # the reviewed date is written the Spanish way ("4 dic 2026")
    m = re.search(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">([^<]+)</time>', main)
    assert m and re.fullmatch(r"\d{1,2} [a-zé]{3,5}\.? \d{4}", m.group(4)), m and m.group(4)
    assert NOTE not in page(srv, path)


@test
def find_errors_in_spanish(srv):
    text = page(srv, "/es/find?what=naloxone&where=zzqqxxyy", status=400)
    assert "No encontramos ese lugar." in visible(main_of(text))
    text = page(srv, "/es/find/naloxone?where=10001&page=51", status=400)
    assert "page debe ser un número entero de 1 a 50." in visible(main_of(text)), visible(main_of(text))[:300]
    text = page(srv, "/find/naloxone?where=10001&page=51", status=400)
    assert "page must be a whole number from 1 to 50." in text


@test
def data_page_in_spanish(srv):
    text = page(srv, "/es/data")
    assert_spanish_page(text, "/es/data")
    main = visible(main_of(text))
    for s in ["Muertes por estado", "Descargar estas cifras (CSV)", "Estado", "Muertes"]:
        assert s in main, s
    # the rates table: one decimal, written with a comma
    rates = re.findall(r"<td>(\d+[.,]\d)</td>", main_of(text))
    assert rates and all("," in r for r in rates), rates[:5]
    # CSV stays as it was (English headers)
    st, _, body, _ = srv.get("/data/overdose-deaths-us.csv")
    assert st == 200 and body.startswith(b"period_end,")


@test
def language_links_name_the_same_page_without_tracking_keys(srv):
    # the link to the other language (menu and footer) keeps the query keys
    # the route kept, not utm_source, and is marked with hreflang
    for path, other, code in [("/es/find?what=naloxone&where=10001&utm_source=x",
                                "/find?what=naloxone&amp;where=10001", "en"),
                               ("/find?what=naloxone&where=10001", "/es/find?what=naloxone&amp;where=10001", "es"),
                               ("/es/", "/", "en"), ("/", "/es/", "es"), ("/es/data", "/data", "en")]:
        text = page(srv, path)
        assert '<a href="%s" hreflang="%s" lang="%s">' % (other, code, code) in text, (path, other)


def api_get(srv, path, headers=None):
    st, h, body, _ = srv.get(path, headers)
    return st, h, json.loads(body)


def waypost_term(contents, code):
    return next(t for t in contents if t.get("code") == code and t.get("taxonomy_id") == WAYPOST_TAXONOMY)


@test
def api_service_attributes_in_spanish(srv):
    st, _, j = api_get(srv, "/api/v1/services?full=true&code=naloxone&per_page=5&lang=es")
    assert st == 200 and j["contents"], j
    svc = j["contents"][0]
    names = [a["taxonomy_term"]["name"] for a in svc["attributes"]
             if a["taxonomy_term"].get("taxonomy_id") == WAYPOST_TAXONOMY]
    assert "Naloxona" in names, names
    # a Waypost term in Spanish says so (HSDS taxonomy_term.language)
    assert all(a["taxonomy_term"].get("language") == "es" for a in svc["attributes"]
               if a["taxonomy_term"].get("taxonomy_id") == WAYPOST_TAXONOMY)
    st, h, one = api_get(srv, "/api/v1/services/%s" % svc["id"], {"Accept-Language": "es"})
    assert st == 200 and h.get("content-language") == "es"
    assert "Naloxona" in [a["taxonomy_term"]["name"] for a in one["attributes"]]
    st, _, en = api_get(srv, "/api/v1/services/%s" % svc["id"])
    assert "Naloxone" in [a["taxonomy_term"]["name"] for a in en["attributes"]]
    assert all(a["taxonomy_term"].get("language", "en") == "en" for a in en["attributes"])
    st, _, terms = api_get(srv, "/api/v1/taxonomy_terms?taxonomy_id=%s&per_page=5&lang=es" % WAYPOST_TAXONOMY)
    assert terms["contents"] and all(t["language"] == "es" for t in terms["contents"]), terms["contents"][:1]
    # the service's own texts are not translated
    assert one["name"] == en["name"] and one.get("description") == en.get("description")
