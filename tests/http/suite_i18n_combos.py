"""HTTP tests of the combination checker in Spanish (issue 16): /es/combos
with its labels, level names, form and errors in Spanish and every link
under /es/; names found with or without accents and in any case; the fact
sheets' emergency box and "with other drugs" list; the search offer; and
the API's lang parameter and Accept-Language, English by default.

The Spanish comes from po/es.po: run these with the catalog that holds
po/parts/i18n-substances.po (the integrator merges it; before that,
msgcat it into a working copy of po/es.po). Texts from the matrix's
substance files (names, summaries, advice) are checked only where the
data already carries their Spanish aliases.

run.py collects TESTS (each given the shared server)."""
import json
import os
import re
import urllib.parse

from i18n_checks import links_stay_in_spanish
from harness import ROOT, main_of

TESTS = []

LEVELS_ES = ["Peligroso", "Inseguro", "Precaución", "Desconocido", "Riesgo bajo, más fuertes juntas",
             "Riesgo bajo, poco cambio", "Riesgo bajo, más débiles juntas"]


def test(fn):
    TESTS.append(fn)
    return fn


def page(srv, path, status=200, headers=None):
    st, h, body, _ = srv.get(path, headers)
    assert st == status, (path, st)
    return h, body.decode()


def api(srv, path, headers=None):
    st, h, body, _ = srv.get(path, headers)
    return st, h, json.loads(body)


def aliases_of(slug):
    with open(os.path.join(ROOT, "data", "interactions", "substances", slug + ".json"), encoding="utf-8") as f:
        return json.load(f)["aliases"]


@test
def checker_answers_in_spanish(srv):
    _, text = page(srv, "/es/combos?s=alcohol&s=benzos")
    assert '<html lang="es"' in text
    main = main_of(text)
    assert "<h1>Revisar una combinación de drogas</h1>" in main
    assert "<title>Revisar una combinación de drogas" in text
    # the level of the pair and its label, as one heading
    assert re.search(r'<h3>[^\n]*<span class="level level-dangerous">Peligroso</span>: [^<]+ \+ [^<]+</h3>', main), main
    assert "<strong>Si las mezcla de todos modos:</strong>" in main
    assert "Esta mezcla incluye algo que hace más lenta la respiración." in main
    assert "<summary>Fuentes</summary>" in main
    # the form
    assert "<legend>Sustancias</legend>" in main
    for n in range(1, 7):
        assert '<label for="s%d">Sustancia %d</label>' % (n, n) in main
    assert '<button type="submit">Revisar</button>' in main
    assert 'action="/es/combos"' in main
    # every level explained
    assert "Qué significan los niveles" in main
    for name in LEVELS_ES:
        assert ">%s</span></dt><dd>" % name in main, name
    # the result's own link says the Spanish address too
    assert re.search(r'<a href="/es/combos\?substances=alcohol%2Cbenzodiazepines">'
                     r'/es/combos\?substances=alcohol%2Cbenzodiazepines</a>', main), main
    assert "Dangerous" not in main and "If you mix them anyway" not in main
    links_stay_in_spanish(text, "/es/combos")


@test
def english_checker_is_unchanged(srv):
    _, text = page(srv, "/combos?s=alcohol&s=benzos")
    main = main_of(text)
    assert '<html lang="en"' in text and "<h1>Check a drug combination</h1>" in main
    assert '<span class="level level-dangerous">Dangerous</span>' in main
    assert '<label for="s1">Substance 1</label>' in main and "<strong>If you mix them anyway:</strong>" in main
    assert '<a href="/combos?substances=alcohol%2Cbenzodiazepines">/combos?substances=alcohol%2Cbenzodiazepines</a>' in main
    assert 'Last reviewed: <time datetime="' in main
    assert "Peligroso" not in main


@test
def checker_errors_in_spanish(srv):
    _, text = page(srv, "/es/combos?s=fentanil&s=xanax", status=400)
    main = main_of(text)
    assert "No conocemos la sustancia &quot;fentanil&quot;." in main, main
    assert re.search(r'¿Quiso decir <a href="/es/combos\?substances=fentanyl%2Cxanax">[^<]+</a>\?', main), main
    _, text = page(srv, "/es/combos?s=fentanyl")
    assert "Agregue al menos una sustancia más para revisar una combinación." in text
    _, text = page(srv, "/es/combos?s=a&s=b&s=c&s=d&s=e&s=f&s=g", status=400)
    assert "Elija de 2 a 6 sustancias (usted escribió 7)." in text
    _, text = page(srv, "/es/combos?s=lsd&s=shrooms")
    assert ", dos del mismo tipo</h3>" in text


@test
def names_resolve_with_or_without_accents(srv):
    """Aliases are folded for case and accents on both sides."""
    assert "éxtasis" in aliases_of("mdma")
    for name in ["éxtasis", "extasis", "ÉXTASIS", "Éxtasis"]:
        st, _, j = api(srv, "/api/v1/combos?substances=%s,alcohol" % urllib.parse.quote(name))
        assert st == 200 and j["substances"][0]["slug"] == "mdma", (name, j)
    for name in ["hongos mágicos", "HONGOS MAGICOS"]:
        st, _, j = api(srv, "/api/v1/combos?substances=%s,alcohol" % urllib.parse.quote(name))
        assert st == 200 and j["substances"][0]["slug"] == "psychedelics", (name, j)
    _, text = page(srv, "/es/combos?s=extasis&s=alcohol")
    assert "/es/combos?substances=mdma%2Calcohol" in text
    # cocaine's Spanish aliases come with the first half of the Spanish data
    if "cocaína" in aliases_of("cocaine"):
        for name in ["cocaína", "cocaina", "Cocaína", "COCAÍNA"]:
            st, _, j = api(srv, "/api/v1/combos?substances=%s,alcohol" % urllib.parse.quote(name))
            assert st == 200 and j["substances"][0]["slug"] == "cocaine", (name, j)
            _, text = page(srv, "/es/combos?s=%s&s=alcohol" % urllib.parse.quote(name))
            assert "/es/combos?substances=cocaine%2Calcohol" in text, name
    else:
        print("    (cocaine.json has no alias \"cocaína\" yet: only MDMA and psilocybin checked)")


@test
def fact_sheet_in_spanish(srv):
    _, text = page(srv, "/es/substances/fentanyl")
    main = main_of(text)
    assert '<html lang="es"' in text
    assert '<h2 id="wp-emergency">En una emergencia</h2>' in main
    assert '<a href="tel:911">llame al 911</a>' in main
    assert '<h2 id="wp-local-alerts">Alertas locales sobre drogas</h2>' in main
    assert re.search(r'<h2 id="wp-combos">[^<]+ con otras drogas</h2>', main), main
    assert "De nuestra tabla de combinaciones, primero las peores." in main
    first = main.index('<ul class="combo-list">')
    assert '<span class="level level-dangerous">Peligroso</span>' in main[first:first + 400], main[first:first + 400]
    assert "/es/combos?substances=fentanyl%2Cbenzodiazepines" in main
    links_stay_in_spanish(text, "/es/substances/fentanyl")


@test
def search_offers_the_checker_in_spanish(srv):
    _, text = page(srv, "/es/search?q=" + urllib.parse.quote("éxtasis y alcohol"))
    assert 'href="/es/combos?substances=mdma%2Calcohol"' in text, main_of(text)
    assert "Revise esta mezcla: " in text
    assert "Qué tan riesgosa es esta combinación y qué hacer si las mezcla." in text


@test
def api_speaks_the_language_asked(srv):
    st, h, j = api(srv, "/api/v1/combos?substances=fentanil,xanax&lang=es")
    assert st == 400 and j["error"]["message"] == 'No conocemos la sustancia "fentanil".', j
    assert h.get("content-language") == "es" and "accept-language" in h.get("vary", "").lower(), h
    st, h, j2 = api(srv, "/api/v1/combos?substances=fentanil,xanax", {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert st == 400 and j2 == j and h.get("content-language") == "es"
    # English unless asked; a language the site lacks gives English
    for q, hdr in [("", None), ("&lang=fr", None), ("&lang=en", {"Accept-Language": "es"})]:
        st, h, j = api(srv, "/api/v1/combos?substances=fentanil,xanax" + q, hdr)
        assert st == 400 and j["error"]["message"] == 'We do not know the substance "fentanil".', (q, j)
        assert h.get("content-language") == "en", (q, h)
    st, h, j = api(srv, "/api/v1/combos?substances=xanax&lang=es")
    assert st == 400 and "de 2 a 6" in j["error"]["message"], j
    # the same pairs and levels in both languages, Spanish names for the Spanish data
    st, _, en = api(srv, "/api/v1/combos?substances=metadona,xilacina")
    st2, h, es = api(srv, "/api/v1/combos?substances=metadona,xilacina&lang=es")
    assert st == st2 == 200 and h.get("content-language") == "es"
    assert [(p["a"], p["b"], p["level"]) for p in en["pairs"]] == [(p["a"], p["b"], p["level"]) for p in es["pairs"]]
    assert all("911" in p["advice"] or "{{" not in p["advice"] for p in es["pairs"])
    st, h, subs = api(srv, "/api/v1/substances?lang=es")
    assert st == 200 and h.get("content-language") == "es"
    st, _, subs_en = api(srv, "/api/v1/substances")
    assert [s["slug"] for s in subs["substances"]] == [s["slug"] for s in subs_en["substances"]]
    assert [s["aliases"] for s in subs["substances"]] == [s["aliases"] for s in subs_en["substances"]]
    st, _, doc = api(srv, "/api/v1/openapi.json")
    for path in ["/combos", "/substances"]:
        assert "lang" in [p["name"] for p in doc["paths"][path]["get"]["parameters"]], path


@test
def any_order_or_name_gives_the_same_pairs(srv):
    """The page takes its pairs and suggestions from data made once per
    language when the matrix loads (combos_view): other orders and other
    names of the same substances give the same pairs, in the API's order,
    while each page keeps its own inputs and share link; the suggestions
    are every name and alias, in each language."""
    def pairs_of(text):
        return text[text.index('<ol class="pairs">'):text.index("</ol>")]

    _, _, api_en = api(srv, "/api/v1/combos?substances=xanax,alcohol,fentanyl")
    _, _, subs = api(srv, "/api/v1/substances")
    names = sum(1 + len(s["aliases"]) for s in subs["substances"])
    for prefix in ["", "/es"]:
        asked = [("s=xanax&s=alcohol&s=fentanyl", "xanax", "benzodiazepines%2Calcohol%2Cfentanyl"),
                 ("s=fentanyl&s=xanax&s=alcohol", "fentanyl", "fentanyl%2Cbenzodiazepines%2Calcohol"),
                 ("s=fent&s=booze&s=bars", "fent", "fentanyl%2Calcohol%2Cbenzodiazepines"),
                 ("substances=alcohol,fentanyl,xanax", "alcohol", "alcohol%2Cfentanyl%2Cbenzodiazepines")]
        texts = []
        for query, first, share in asked:
            _, text = page(srv, prefix + "/combos?" + query)
            assert 'id="s1" name="s" type="text" value="%s"' % first in text, (query, main_of(text))
            assert 'href="%s/combos?substances=%s"' % (prefix, share) in text, (query, main_of(text))
            texts.append(text)
        assert all(pairs_of(t) == pairs_of(texts[0]) for t in texts[1:]), prefix
        levels = re.findall(r'<span class="level level-([a-z-]+)">', pairs_of(texts[0]))
        assert levels == [p["level"] for p in api_en["pairs"]], (levels, api_en["pairs"])
        options = re.findall(r'<option value="[^"]*"></option>', texts[0])
        if prefix:
            # Spanish leaves out an alias that only repeats the Spanish name
            assert 0 < len(options) <= names and '<option value="Fentanilo y análogos"></option>' in texts[0]
            links_stay_in_spanish(texts[0], "/es/combos")
        else:
            assert len(options) == names, (len(options), names)
