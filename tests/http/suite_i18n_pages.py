"""HTTP tests of issue 16 for the generic pages in Spanish: the home page
(quick actions, alerts box, the default tagline and welcome, the menu),
/es/data (headings, table headings, chart titles, month names and numbers
written the Spanish way), the Spanish 404 page, a content page without a
Spanish translation (its English text marked lang="en" under a Spanish
note), /es/search's labels and messages, /es/about, and the reviewed date
("4 dic 2026"); every page has lang="es" and its site links under /es/,
and the English pages keep their English (and the ISO reviewed date).

The Spanish comes from po/es.po; until the integrator merges
po/parts/i18n-pages2.po into it, run these after
`msgcat --use-first po/es.po po/parts/i18n-pages2.po -o po/es.po`
(and `git checkout po/es.po` afterwards).

run.py collects TESTS (each given the shared server)."""
import re

from i18n_checks import links_stay_in_spanish
from harness import main_of, page

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def html_lang(text):
    return re.search(r'<html lang="([^"]+)"', text).group(1)


@test
def home_in_spanish(srv):
    text = page(srv, "/es/")
    assert html_lang(text) == "es"
    main = main_of(text)
    for words in ["Acciones rápidas", "Encontrar naloxona", "Encontrar tratamiento", "Dar el primer paso",
                  "Alertas sobre drogas", "Qué es la reducción de daños",
                  "Ayuda para la reducción de daños y la recuperación"]:
        assert words in main, words
    for english in ["Quick actions", "Find naloxone", "Drug alerts", "Take the first step"]:
        assert english not in main, english
    # the menu's labels (data/vocab/navigation.json) are in the catalog too
    assert "Reducción de daños" in text and ">Harm reduction<" not in text
    links_stay_in_spanish(text, "/es/")


@test
def english_home_stays_english(srv):
    text = page(srv, "/")
    assert html_lang(text) == "en"
    main = main_of(text)
    assert "Quick actions" in main and "Find naloxone" in main and "Acciones rápidas" not in main
    assert "Harm reduction and recovery help" in main
    assert 'class="note"' not in main


@test
def data_page_in_spanish(srv):
    text = page(srv, "/es/data")
    assert html_lang(text) == "es"
    main = main_of(text)
    for words in ["Muertes por estado", "Descargar estas cifras (CSV)", "12 meses hasta", "Reportadas",
                  "Estimadas", "Muertes por sobredosis de drogas en EE.", "Tabla: muertes por sobredosis"]:
        assert words in main, words
    # month names and numbers the Spanish way: "ene 2015", "48\u00a0060", "3,2"
    assert re.search(r"<th scope=\"row\">ene 2015</th><td>\d\d\u00a0\d{3}</td>", main), "months and counts"
    assert re.search(r"<td>\d+,\d</td>", main), "rates with a decimal comma"
    assert "Jan 2015" not in main and "Year (January" not in main
    # the CSV files stay English
    st, _, body, _ = srv.get("/es/data/overdose-deaths-us.csv")
    assert st == 200 and body.decode().startswith("period_end,")


@test
def english_data_page_unchanged(srv):
    main = main_of(page(srv, "/data"))
    assert re.search(r"<th scope=\"row\">Jan 2015</th><td>\d\d,\d{3}</td>", main)
    assert "Deaths by state" in main and "Download these numbers (CSV)" in main
    assert "Year (January of each year marked)" in main


@test
def not_found_in_spanish(srv):
    text = page(srv, "/es/no-such-page", status=404)
    assert html_lang(text) == "es"
    main = main_of(text)
    assert "No encontrado" in main, "the status text in the title"
    assert "No hay ninguna página en esta dirección." in main
    assert "Puede que la página haya cambiado de lugar" in main
    assert "Ir a la página de inicio" in main
    links_stay_in_spanish(text, "/es/no-such-page")
    en = main_of(page(srv, "/no-such-page", status=404))
    assert "There is no page at this address." in en and "Go to the home page" in en


@test
def untranslated_page_has_the_note(srv):
    text = page(srv, "/es/harm-reduction/advocacy")
    main = main_of(text)
    assert '<p class="note">Esta página todavía no está traducida. Aquí la tiene en inglés.</p>' in main
    assert '<h1 lang="en">' in main and '<div lang="en">' in main
    en = main_of(page(srv, "/harm-reduction/advocacy"))
    assert 'lang="en"' not in en and 'class="note"' not in en


@test
def search_labels_in_spanish(srv):
    text = page(srv, "/es/search")
    main = main_of(text)
    assert '<label for="q">Buscar</label>' in main
    assert '<button type="submit">Buscar</button>' in main
    assert 'action="/es/search"' in main
    text = page(srv, "/es/search?q=zzzqqqxx")
    main = main_of(text)
    assert "No hay nada en este sitio que coincida con “zzzqqqxx”." in main
    assert "Pruebe con una palabra más corta o distinta" in main
    assert "Hable con alguien" in main
    links_stay_in_spanish(text, "/es/search?q=zzzqqqxx")
    main = main_of(page(srv, "/es/search?q=naloxona"))
    assert re.search(r"Se encontr(ó|aron) \d+ página", main), "the count of results in Spanish"
    main = main_of(page(srv, "/es/search?q=sobredosis"))
    assert "Si alguien puede estar teniendo una sobredosis ahora" in main


@test
def english_search_unchanged(srv):
    main = main_of(page(srv, "/search?q=zzzqqqxx"))
    assert "Nothing on this site matches “zzzqqqxx”." in main
    main = main_of(page(srv, "/search?q=naloxone"))
    assert re.search(r"\d+ pages? found for “naloxone”\.", main)


@test
def reviewed_date_in_spanish(srv):
    main = main_of(page(srv, "/es/"))
    m = re.search(r'<p class="reviewed">Última revisión: <time datetime="(\d{4}-\d\d-\d\d)">([^<]+)</time></p>', main)
    assert m, "the reviewed line"
    assert re.fullmatch(r"\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4}", m.group(2)), m.group(2)
    en = main_of(page(srv, "/"))
    m = re.search(r'<p class="reviewed">Last reviewed: <time datetime="([^"]+)">([^<]+)</time></p>', en)
    assert m and m.group(1) == m.group(2), "English keeps the ISO date"


@test
def about_in_spanish(srv):
    text = page(srv, "/es/about")
    assert html_lang(text) == "es"
    links_stay_in_spanish(text, "/es/about")
