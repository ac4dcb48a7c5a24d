"""HTTP tests of the pages, the finder, the data page, error pages and the
taxonomy API in Spanish (issue 16, "En español"): /es/ pages say lang="es",
speak Spanish and keep their links under /es/; a content page without a
Spanish text shows the English one with a note in Spanish; distances and
rates are written "2,2 millas" / "12,5"; hours and day names follow the
language; the hreflang alternates name both languages; the HSDS API gives
the Waypost taxonomy's labels in Spanish for ?lang=es or Accept-Language.

The Spanish comes from po/es.po: these tests need the catalog with the
i18n-pages translations merged (po/parts/i18n-pages.po until the
integrator merges it)."""
import html
import json
import os
import re

from harness import ROOT

TESTS = []
WAYPOST_TAXONOMY = "1ffc8755-6460-51ac-9673-4e3eee8feaae"
NOTE = "Esta página todavía no está traducida. Aquí está en inglés."


def test(fn):
    TESTS.append(fn)
    return fn


def page(srv, path, status=200, headers=None):
    st, h, body, _ = srv.get(path, headers)
    text = body.decode()
    assert st == status, "%s: %d" % (path, st)
    assert h["content-type"].startswith("text/html"), path
    return text


def main_of(text):
    return text[text.index("<main"):text.index("</main>")]


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


@test
def home_in_spanish(srv):
    text = page(srv, "/es/")
    assert_spanish_page(text, "/es/")
    main = visible(main_of(text))
    for s in ["Acciones rápidas", "Sobredosis: qué hacer ahora", "Encontrar naloxona", "Alertas de drogas",
              "Qué es la reducción de daños y por qué importa", "Ayuda para la reducción de daños y la recuperación"]:
        assert s in main, s
    assert 'href="/es/overdose"' in text and 'href="/es/find/naloxone"' in text
    if not translated("index"):
        # the intro is the English content page: marked, with the note above it
        assert NOTE in main and '<div lang="en">' in main_of(text)
    english = page(srv, "/")
    assert "Quick actions" in english and NOTE not in english and "Acciones rápidas" not in english


@test
def untranslated_content_page_says_so_in_spanish(srv):
    text = page(srv, "/es/overdose")
    assert_spanish_page(text, "/es/overdose")
    main = main_of(text)
    if translated("overdose"):
        assert NOTE not in main
        return
    assert NOTE in visible(main)
    # the English body is marked as English, the note above it is not
    assert main.index(NOTE) < main.index('<div lang="en">') < main.index("<h1>")
    assert "Fuentes" in visible(main) and "Revisada por última vez:" in visible(main)
    # the reviewed date is written the Spanish way ("4 dic 2026")
    m = re.search(r'<time datetime="(\d{4})-(\d\d)-(\d\d)">([^<]+)</time>', main)
    assert m and re.fullmatch(r"\d{1,2} [a-zé]{3,5}\.? \d{4}", m.group(4)), m and m.group(4)
    assert NOTE not in page(srv, "/overdose")


@test
def find_in_spanish_with_decimal_commas(srv):
    text = page(srv, "/es/find?what=naloxone&where=10001")
    assert_spanish_page(text, "/es/find")
    main = visible(main_of(text))
    assert "<h1>Encontrar naloxona</h1>" in text
    assert "Resultados cerca de" in main and "Cambiar la búsqueda" in main and "Búsquedas rápidas" in main
    distances = re.findall(r"<strong>([^<]*)</strong>", main_of(text))
    distances = [d for d in distances if "millas" in d]
    assert distances and all(re.fullmatch(r"\d+,\d millas", d) for d in distances), distances
    # hours say open/closed in Spanish, the services are named in Spanish
    assert re.search(r"(Abierto|Cerrado|No consta el horario)", main), main[:400]
    assert "<li>Naloxona</li>" in text and 'aria-label="Servicios"' in text
    assert "Publicado por" in main and "llame antes para confirmar" in main
    assert 'aria-label="Páginas de resultados"' in text
    assert "Mapa de los resultados" in text or "map-figure" not in text
    # the form's choices
    assert '<option value="">Cualquier servicio</option>' in text and "25 millas" in text
    assert '<option value="es">Español</option>' in text
    english = page(srv, "/find?what=naloxone&where=10001")
    assert re.search(r"<strong>\d+\.\d miles</strong>", english) and "Nearest first." in english
    assert "<li>Naloxone</li>" in english and "millas" not in english


@test
def find_far_away_in_spanish(srv):
    text = page(srv, "/es/find?what=naloxone&where=97214")
    assert_spanish_page(text, "/es/find")
    main = visible(main_of(text))
    assert "Formas de conseguir naloxona en Oregon" in main, main[:600]
    assert "En la farmacia, sin receta" in main and "Never Use Alone (Nunca consumas solo)" in main
    assert "$45" in main and "2023" in main  # the facts as in English


@test
def find_errors_in_spanish(srv):
    text = page(srv, "/es/find?what=naloxone&where=zzqqxxyy", status=400)
    assert "No encontramos ese lugar." in visible(main_of(text))
    text = page(srv, "/es/find/naloxone?where=10001&page=51", status=400)
    assert "page debe ser un número entero de 1 a 50." in visible(main_of(text)), visible(main_of(text))[:300]
    text = page(srv, "/find/naloxone?where=10001&page=51", status=400)
    assert "page must be a whole number from 1 to 50." in text


@test
def service_page_in_spanish(srv):
    text = page(srv, "/es/find?what=naloxone&where=10001")
    sid = re.search(r'href="/es/services/([0-9a-f-]{36})"', text).group(1)
    text = page(srv, "/es/services/" + sid)
    assert_spanish_page(text, "/es/services")
    main = visible(main_of(text))
    for s in ["Horario", "Dónde están y cómo contactarlos", "Servicios", "Reportar un problema con estos datos",
              "¿Qué está mal?", "Enviar el reporte", "Buscar otros servicios"]:
        assert s in main, s
    week = re.findall(r"<li>([^<]*)</li>", text[text.index('class="week"'):text.index("</ul>", text.index('class="week"'))])
    assert week and all(re.match(r"(lun|mar|mié|jue|vie|sáb|dom)", w) for w in week), week
    assert 'action="/es/services/%s/report"' % sid in text
    text = page(srv, "/es/services/00000000-0000-0000-0000-000000000000", status=404)
    assert "No hay datos de un servicio con ese id." in visible(main_of(text))


@test
def error_page_in_spanish(srv):
    text = page(srv, "/es/no-such-page", status=404)
    assert_spanish_page(text, "/es/no-such-page")
    main = visible(main_of(text))
    assert "404 No encontrada" in main and "No hay ninguna página en esta dirección." in main
    assert "Ir a la página de inicio" in main and 'href="/es/"' in text
    english = page(srv, "/no-such-page", status=404)
    assert "404 Not Found" in english and "There is no page at this address." in english


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
def hreflang_alternates_name_both_languages(srv):
    for path, en, es in [("/es/find?what=naloxone&where=10001&utm_source=x", "/find?what=naloxone&amp;where=10001",
                          "/es/find?what=naloxone&amp;where=10001"),
                         ("/find?what=naloxone&where=10001", "/find?what=naloxone&amp;where=10001",
                          "/es/find?what=naloxone&amp;where=10001"),
                         ("/es/", "/", "/es/"), ("/", "/", "/es/"), ("/es/data", "/data", "/es/data")]:
        text = page(srv, path)
        assert '<link rel="alternate" hreflang="en" href="%s">' % en in text, (path, en)
        assert '<link rel="alternate" hreflang="es" href="%s">' % es in text, (path, es)


def api_get(srv, path, headers=None):
    st, h, body, _ = srv.get(path, headers)
    return st, h, json.loads(body)


def waypost_term(contents, code):
    return next(t for t in contents if t.get("code") == code and t.get("taxonomy_id") == WAYPOST_TAXONOMY)


@test
def api_taxonomy_labels_in_spanish(srv):
    q = "/api/v1/taxonomy_terms?taxonomy_id=%s&per_page=100" % WAYPOST_TAXONOMY
    st, h, j = api_get(srv, q + "&lang=es")
    assert st == 200 and h.get("content-language") == "es", h
    t = waypost_term(j["contents"], "naloxone")
    assert t["name"] == "Naloxona" and t["description"].startswith("Naloxona (Narcan y otras)"), t
    assert t["language"] == "es"
    assert waypost_term(j["contents"], "free")["name"] == "Gratis"
    # the header does the same; ?lang wins over it; no language: English
    st, h, j2 = api_get(srv, q, {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert st == 200 and waypost_term(j2["contents"], "naloxone")["name"] == "Naloxona"
    st, h, j3 = api_get(srv, q + "&lang=en", {"Accept-Language": "es"})
    assert waypost_term(j3["contents"], "naloxone")["name"] == "Naloxone" and h.get("content-language") == "en"
    st, h, j4 = api_get(srv, q)
    t4 = waypost_term(j4["contents"], "naloxone")
    assert t4["name"] == "Naloxone" and t4.get("language", "en") == "en", t4
    # one term by id, and NDJSON
    st, h, one = api_get(srv, "/api/v1/taxonomy_terms/%s?lang=es" % t["id"])
    assert st == 200 and one["name"] == "Naloxona" and one["language"] == "es", one
    st, _, body, _ = srv.get(q + "&lang=es&format=ndjson")
    names = [json.loads(line)["name"] for line in body.decode().splitlines() if line]
    assert st == 200 and "Naloxona" in names
    # the taxonomy itself; codes of other taxonomies are left as they are
    st, _, tax = api_get(srv, "/api/v1/taxonomies/%s?lang=es" % WAYPOST_TAXONOMY)
    assert st == 200 and tax["description"].startswith("Lo que la gente busca"), tax
    # a bad value is refused like any other parameter, in English JSON
    st, _, err = api_get(srv, q + "&lang=" + "x" * 40)
    assert st == 400 and err["error"]["parameter"] == "lang", err


@test
def api_service_attributes_in_spanish(srv):
    st, _, j = api_get(srv, "/api/v1/services?full=true&code=naloxone&per_page=5&lang=es")
    assert st == 200 and j["contents"], j
    svc = j["contents"][0]
    names = [a["taxonomy_term"]["name"] for a in svc["attributes"]
             if a["taxonomy_term"].get("taxonomy_id") == WAYPOST_TAXONOMY]
    assert "Naloxona" in names, names
    st, h, one = api_get(srv, "/api/v1/services/%s" % svc["id"], {"Accept-Language": "es"})
    assert st == 200 and h.get("content-language") == "es"
    assert "Naloxona" in [a["taxonomy_term"]["name"] for a in one["attributes"]]
    st, _, en = api_get(srv, "/api/v1/services/%s" % svc["id"])
    assert "Naloxone" in [a["taxonomy_term"]["name"] for a in en["attributes"]]
    # the service's own texts are not translated
    assert one["name"] == en["name"] and one.get("description") == en.get("description")
