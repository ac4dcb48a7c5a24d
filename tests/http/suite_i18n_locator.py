"""HTTP tests of the service finder in Spanish (issue 16): /es/find with its
labels, form and the "ways to get it anywhere" block in Spanish, distances
with a decimal comma ("1,5 mi"), the shortcuts, a service page, every link
under /es/; and the HSDS API's Waypost taxonomy labels in Spanish with
?lang=es or Accept-Language, English by default.

The Spanish comes from po/es.po: run these with the catalog that holds
po/parts/i18n-locator.po (the integrator merges it; before that, msgcat it
into a working copy of po/es.po).

run.py collects TESTS (each given the shared server)."""
import json
import re

from suite_finder import mail_server

from i18n_checks import links_stay_in_spanish
from harness import main_of

TESTS = []
WAYPOST = "1ffc8755-6460-51ac-9673-4e3eee8feaae"
NALOXONE_TERM = "ace88573-f956-52ae-98fd-21e4b91ad5e7"


def test(fn):
    TESTS.append(fn)
    return fn


def page(srv, path, status=200, headers=None):
    st, h, body, _ = srv.get(path, headers)
    assert st == status, (path, st)
    return h, body.decode()


def has_all(text, words, where):
    missing = [w for w in words if w not in text]
    assert not missing, (where, missing)


@test
def find_naloxone_at_a_zip_in_spanish(srv):
    s = mail_server()
    h, text = page(s, "/es/find?what=naloxone&where=97214")
    assert '<html lang="es"' in text, text[:200]
    main = main_of(text)
    has_all(main, ["Encontrar naloxona", "Primero lo más cercano", "Resultados cerca de",
                   "Formas de conseguir naloxona en Oregon", "En una farmacia, sin receta",
                   "se vende sin receta desde 2023", "unos $45", "Por correo a Oregon", "Envía a:",
                   "Si usa a solas", "Never Use Alone (Nunca consumas solo)", "800-484-3731",
                   "¿Qué busca?", "¿Dónde?", "Más filtros", "Abierto ahora", "El personal habla",
                   "Búsquedas rápidas", "Cualquier servicio", "Naloxona"], "/es/find")
    for english in ["Ways to get", "At a pharmacy", "If you use alone", "What are you looking for?",
                    "Quick searches", "Sends to:", "Nearest first"]:
        assert english not in main, english
    # the mail programmes' own texts are translated from data/by-mail/programs.json
    assert "NEXT Distro: naloxona y materiales por correo" in main
    assert re.search(r"revisada el \d+ dic 2026|revisada el \d+ [a-z]+ \d{4}", main), "checked date in Spanish"
    assert 'action="/es/find"' in text
    links_stay_in_spanish(text, "/es/find")


@test
def spanish_distances_have_a_decimal_comma(srv):
    _, es = page(srv, "/es/find?what=substance-use-treatment&where=97214")
    _, en = page(srv, "/find?what=substance-use-treatment&where=97214")
    d_es = re.findall(r"<strong>([^<]+)</strong>", main_of(es))
    d_en = re.findall(r"<strong>([^<]+)</strong>", main_of(en))
    assert d_es and len(d_es) == len(d_en), (d_es, d_en)
    assert all(re.fullmatch(r"\d+,\d mi", d) for d in d_es), d_es
    assert all(re.fullmatch(r"\d+\.\d miles", d) for d in d_en), d_en
    assert [d.replace(",", ".").replace(" mi", "") for d in d_es] == [d.replace(" miles", "") for d in d_en]
    main = main_of(es)
    has_all(main, ["Tratamiento por consumo de sustancias", "llame antes para confirmar", "Datos de SAMHSA",
                   "Mapa de los resultados", "Cómo llegar"], "/es/find treatment")
    assert re.search(r"Horario no indicado|Abierto|Cerrado", main)
    links_stay_in_spanish(es, "/es/find treatment")


@test
def shortcut_page_in_spanish(srv):
    _, text = page(srv, "/es/find/naloxone")
    assert "<title>Encontrar naloxona" in text, re.search(r"<title>[^<]*", text).group(0)
    main = main_of(text)
    has_all(main, ["Encontrar naloxona", "Encontrar pruebas de VIH y hepatitis", "¿Dónde?",
                   "Un código postal (ZIP)"], "/es/find/naloxone")
    links_stay_in_spanish(text, "/es/find/naloxone")
    _, bad = page(srv, "/es/find?what=naloxone&where=zzzzqqq", status=400)
    assert "No encontramos ese lugar" in bad


@test
def service_page_in_spanish(srv):
    _, results = page(srv, "/es/find?where=97214&radius=100")
    ids = re.findall(r'href="/es/services/([^"#?]+)"', results)
    assert ids, "no results to open"
    _, text = page(srv, "/es/services/" + ids[0])
    assert '<html lang="es"' in text
    main = main_of(text)
    has_all(main, ["Horario", "Dónde están y cómo contactarlos", "Servicios", "Idiomas", "Costo",
                   "Quién puede usarlo", "Avísenos de un problema con estos datos", "¿Qué está mal?",
                   "Ya cerró", "Enviar aviso", "Buscar otros servicios", "llame antes para confirmar"],
            "/es/services")
    assert "Report a problem" not in main and "Who can use it" not in main
    assert 'action="/es/services/%s/report"' % ids[0] in text
    links_stay_in_spanish(text, "/es/services")
    _, missing = page(srv, "/es/services/no-such-id", status=404)
    assert "No hay ningún servicio con ese id" in missing


def terms(srv, query, headers=None):
    st, h, body, _ = srv.get("/api/v1/taxonomy_terms?taxonomy_id=%s&per_page=100%s" % (WAYPOST, query), headers)
    assert st == 200, (st, body[:200])
    return h, {t["code"]: t for t in json.loads(body)["contents"]}


@test
def api_taxonomy_labels_in_spanish(srv):
    h, es = terms(srv, "&lang=es")
    assert h.get("content-language") == "es", h
    assert es["naloxone"]["name"] == "Naloxona", es["naloxone"]
    assert es["drug-checking"]["name"] == "Análisis de sustancias"
    assert "revierte una sobredosis" in es["naloxone"]["description"]
    h2, by_header = terms(srv, "", {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert h2.get("content-language") == "es" and "Accept-Language" in h2.get("vary", ""), h2
    assert by_header["naloxone"]["name"] == "Naloxona"
    st, h3, body, _ = srv.get("/api/v1/taxonomy_terms/%s?lang=es" % NALOXONE_TERM)
    assert st == 200 and json.loads(body)["name"] == "Naloxona", body[:200]
    st, h4, body, _ = srv.get("/api/v1/taxonomies/%s" % WAYPOST, {"Accept-Language": "es"})
    assert st == 200 and "Lo que la gente busca" in json.loads(body)["description"], body[:200]
    assert h4.get("content-language") == "es"
    # the Waypost terms inside services too (full=true and one service)
    st, h5, body, _ = srv.get("/api/v1/services?code=naloxone&full=true&per_page=1&lang=es")
    svc = json.loads(body)["contents"][0]
    names = [a["taxonomy_term"]["name"] for a in svc.get("attributes", [])
             if a.get("taxonomy_term", {}).get("taxonomy_id") == WAYPOST]
    assert "Naloxona" in names and "Naloxone" not in names, names
    st, h6, body, _ = srv.get("/api/v1/services/%s" % svc["id"], {"Accept-Language": "es"})
    assert st == 200 and '"Naloxona"' in body.decode() and h6.get("content-language") == "es"
    st, h7, body, _ = srv.get("/api/v1/services/%s" % svc["id"])
    assert st == 200 and '"Naloxone"' in body.decode() and '"Naloxona"' not in body.decode()


@test
def api_service_at_locations_labels_in_spanish(srv):
    st, h, body, _ = srv.get("/api/v1/service_at_locations?code=naloxone&full=true&per_page=1&lang=es")
    assert st == 200 and h.get("content-language") == "es", (st, h)
    text = body.decode()
    assert '"Naloxona"' in text and '"Naloxone"' not in text, text[:300]
    sal = json.loads(body)["contents"][0]
    st, h2, body, _ = srv.get("/api/v1/service_at_locations/%s" % sal["id"], {"Accept-Language": "es"})
    assert st == 200 and '"Naloxona"' in body.decode() and h2.get("content-language") == "es"
    st, _, body, _ = srv.get("/api/v1/service_at_locations/%s" % sal["id"])
    assert st == 200 and '"Naloxone"' in body.decode() and '"Naloxona"' not in body.decode()


@test
def api_and_pages_stay_english_by_default(srv):
    h, en = terms(srv, "")
    assert h.get("content-language") == "en", h
    assert en["naloxone"]["name"] == "Naloxone"
    assert en["naloxone"]["description"].startswith("Naloxone (Narcan and others)")
    _, en2 = terms(srv, "&lang=xx")
    assert en2["naloxone"]["name"] == "Naloxone"
    s = mail_server()
    _, text = page(s, "/find?what=naloxone&where=97214")
    main = main_of(text)
    has_all(main, ["Find naloxone", "Ways to get naloxone in Oregon", "At a pharmacy, without a prescription",
                   "By mail to Oregon", "Sends to:", "If you use alone", "Quick searches",
                   "What are you looking for?", "checked on 2026-12-04"], "/find")
    assert "naloxona" not in main.lower()


@test
def hours_say_open_closed_and_days_in_spanish(srv):
    """The example listings (New York) have opening hours: "Abierto ahora,
    cierra a las 8 p. m.", "Cerrado, abre el sáb a las 10 a. m.", and the
    week on the service page with Spanish day names."""
    _, text = page(srv, "/es/find?what=naloxone&where=10001")
    hours = re.findall(r'<span class="hours[^"]*">([^<]+)</span>', main_of(text))
    assert hours and all(re.match(r"(Abierto|Cerrado|Horario no indicado)", h) for h in hours), hours
    for english in ("Open now", "Closed", "opens", "closes"):
        assert not any(english in h for h in hours), hours
    weeks = []
    for sid in re.findall(r'href="/es/services/([^"#?]+)"', text)[:5]:
        _, svc = page(srv, "/es/services/" + sid)
        weeks += re.findall(r"<li>([^<]+)</li>", svc[svc.find('<ul class="week">'):].split("</ul>")[0])
    assert weeks, "no week hours on the example listings"
    assert all(re.match(r"(lun|mar|mié|jue|vie|sáb|dom)\b", w) for w in weeks), weeks
    assert not any(re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b| am\b| pm\b|noon|midnight", w) for w in weeks), weeks
