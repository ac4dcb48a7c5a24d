"""HTTP tests of the finder's results map (issue 10, "The results map"):
drawn around the search, after the third result card, with rings, a north
arrow and a scale bar in miles; a description that lists the results in
the list's order; left out when it would show nothing useful (one result,
all in one spot, nothing located); Spanish labels on /es/find; light.

run.py collects TESTS (each given the shared server, seeded with the
example listings in New York City)."""
import html
import re

from harness import main_of, page

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def the_map(text):
    m = re.search(r'<svg[^>]* class="map"[^>]*>.*?</svg>', text, re.S)
    return m.group(0) if m else None


@test
def comes_after_the_third_card_with_rings_north_and_scale(srv):
    text = main_of(page(srv, "/find/naloxone?where=10001"))
    cards = [m.start() for m in re.finditer(r'<li class="listing"', text)]
    assert len(cards) >= 4, len(cards)
    fig = text.index('<figure class="map-figure"')
    assert cards[2] < fig < cards[3], "the map is not between the third and fourth cards"
    assert '<ol class="results-list" start="4">' in text[fig:cards[3]]
    svg = the_map(text)
    assert svg and 'role="img"' in svg and 'viewBox="0 0 320 240"' in svg
    assert 'aria-labelledby="wp-map-title wp-map-desc"' in svg
    assert '<g class="north">' in svg and ">N</text>" in svg
    assert '<g class="scale">' in svg and re.search(r'class="scale-label"[^>]*>\d+(\.\d)? mi</text>', svg)
    assert re.search(r'<g class="rings"><circle ', svg)
    assert re.search(r'class="ring-label"[^>]*>\d+(\.\d)? mi</text>', svg)
    assert '<g class="here">' in svg
    assert "style=" not in svg
    assert len(svg.encode()) < 8000, len(svg.encode())
    # every card has its numbered pin
    assert svg.count('<g class="pin"') == len(cards)


@test
def description_lists_the_results_in_order(srv):
    text = main_of(page(srv, "/find/naloxone?where=10001"))
    names = [html.unescape(n) for n in re.findall(r'<h3>.*?<a href="/services/[^"]+">(?:<span[^>]*>[^<]*</span> )?([^<]+)</a>', text)]
    desc = html.unescape(re.search(r'<desc id="wp-map-desc">([^<]*)</desc>', text).group(1))
    assert desc.startswith("The cross marks the place you searched.")
    at = 0
    for i, name in enumerate(names, 1):
        entry = re.compile(r"%d: %s, (\d+\.\d miles (north|south|east|west|north-east|north-west|south-east|south-west)"
                           r"|at the place you searched)\." % (i, re.escape(name)))
        m = entry.search(desc, at)
        assert m, (i, name, desc)
        at = m.end()
    # the distance the card shows is the one the description says
    first = re.search(r"<strong>([\d.]+) miles</strong>", text).group(1)
    assert "1: %s, %s miles" % (names[0], first) in desc


@test
def a_short_list_has_its_map_after_it(srv):
    text = main_of(page(srv, "/find/naloxone?where=10001&radius=5"))
    cards = [m.start() for m in re.finditer(r'<li class="listing"', text)]
    if len(cards) > 3:
        text = main_of(page(srv, "/find/naloxone?where=10001&radius=3"))
        cards = [m.start() for m in re.finditer(r'<li class="listing"', text)]
    assert 2 <= len(cards) <= 3, len(cards)
    fig = text.index('<figure class="map-figure"')
    assert fig > cards[-1] and fig > text.index("</ol>") and 'start="4"' not in text


@test
def is_left_out_when_it_shows_nothing_useful(srv):
    # one result, at the searched point
    text = main_of(page(srv, "/find?where=40.64205,-74.07645&radius=1"))
    assert text.count('<li class="listing"') == 1 and "map-figure" not in text and "<svg" not in text
    # two results in one spot (the Harlem clinic and prevention centre, a few metres apart)
    text = main_of(page(srv, "/find?where=40.8103,-73.9466&radius=1&attr=walk-in"))
    assert text.count('<li class="listing"') == 2 and "map-figure" not in text
    # nothing near
    text = main_of(page(srv, "/find/naloxone?where=Austin,+TX&radius=5"))
    assert '<li class="listing"' not in text and "map-figure" not in text


@test
def speaks_spanish_on_es_find(srv):
    text = main_of(page(srv, "/es/find/naloxone?where=10001"))
    svg = the_map(text)
    assert svg, "no map on /es/find"
    assert "Mapa de los resultados" in svg
    assert "La cruz marca el lugar que usted buscó." in svg
    assert re.search(r"1: [^<]+, a \d+,\d millas al (norte|sur|este|oeste|noreste|noroeste|sureste|suroeste)\.", svg)
    assert re.search(r'class="scale-label"[^>]*>\d+(,\d)? mi</text>', svg)
    assert "la barra de escala están en millas" in text
    assert " miles " not in svg and "The cross" not in svg
