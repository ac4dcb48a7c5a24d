"""HTTP tests of issue 10's answers-first pages and phone-first look: the
header's Menu and Search links to the menu at the end of the page; the home
page's purpose as its H1 and the overdose card first; honest text where no
alert is active, naming the configured health department; nothing said
about the operator when org_name is unset; the combination result before
the form; /substances and /self-check lists before their introductions;
the fact sheets' emergency box and contents; /harm-reduction's sections
listed once; site search offering the finder, the checker, the
self-checks and the overdose steps.

run.py collects TESTS (each given the shared server); one more server with
a configuration is started for the settings."""
import html
import re
import urllib.parse

from harness import Server, main_of

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def text_of(srv, path, status=200):
    st, _, body, _ = srv.get(path)
    assert st == status, (path, st)
    return body.decode()


@test
def header_is_short_and_menu_is_at_the_end(srv):
    text = text_of(srv, "/combos")
    header = text[text.index('<header class="top">'):text.index("</header>")]
    assert 'href="#wp-menu">Menu</a>' in header
    # Search: a magnifier (hidden from screen readers) and the word, hidden on a phone by CSS
    search = header[header.index('href="#wp-search">'):]
    search = search[:search.index("</a>")]
    assert '<svg' in search and 'aria-hidden="true"' in search and '<span class="label">Search</span>' in search
    assert 'id="wp-exit"' in header and "<nav" not in header and "<form" not in header
    menu = text[text.index('<nav class="menu" id="wp-menu"'):]
    assert text.index("</main>") < text.index('id="wp-menu"') < text.index('<footer')
    assert 'id="wp-search" role="search" action="/search"' in menu and 'href="/recovery"' in menu


@test
def home_says_what_it_is_for_with_overdose_first(srv):
    text = main_of(text_of(srv, "/"))
    h1 = re.search(r"<h1>(.*?)</h1>", text).group(1)
    assert h1 and h1 != "Waypost", h1
    first = re.search(r'<a class="action[^"]*" href="([^"]+)"', text)
    assert first.group(1) == "/overdose" and 'class="action urgent" href="/overdose"' in text
    assert "No local drug alerts right now" not in text
    # (the shared server may have active alerts from other suites; a fresh
    # one shows the no-alert text in the settings test below)


@test
def settings_name_the_health_department_and_no_placeholder_operator(srv):
    cfg = ("[site]\nhealth_alerts_url = https://health.example.gov/drug-alerts\n"
           "health_alerts_name = the Harbor County Health Department\n")
    s2 = Server(config_text=cfg)
    try:
        _, _, body, _ = s2.get("/")
        text = body.decode()
        assert ('Alerts are also published by <a href="https://health.example.gov/drug-alerts" '
                'rel="noopener noreferrer">the Harbor County Health Department</a>.') in text
        _, _, body, _ = s2.get("/substances/kratom")
        assert b"https://health.example.gov/drug-alerts" in body
        for path in ["/", "/about"]:
            _, _, body, _ = s2.get(path)
            assert b"Your organisation" not in body and b"is run by" not in body, path
        _, _, body, _ = s2.get("/about")
        assert b'id="who-runs-this-site"' not in body
    finally:
        s2.cleanup()
    s3 = Server("--site-org_name", "Harbor County")
    try:
        _, _, body, _ = s3.get("/about")
        assert b"This site is run by Harbor County." in body and b'id="who-runs-this-site"' in body
        _, _, body, _ = s3.get("/")
        assert b"Waypost is run by Harbor County." in body
        assert (b"This site has no active drug alerts right now. That does not mean the supply is safe. "
                b"Check your state or city health department's website for alerts where you are.") in body
    finally:
        s3.cleanup()


@test
def lists_come_before_introductions(srv):
    text = main_of(text_of(srv, "/substances"))
    assert text.index('class="cards"') < text.index('id="know-what-you-are-taking"')
    text = main_of(text_of(srv, "/self-check"))
    first_para = text.index("<p>", text.index("</h1>") + 1) if "<p>" in text else len(text)
    assert text.index('id="wp-checks"') < first_para


@test
def fact_sheets_open_with_emergency_box_and_contents(srv):
    text = main_of(text_of(srv, "/substances/xylazine"))
    box = text.index('class="emergency"')
    toc = text.index('class="toc"')
    assert box < toc < text.index('id="other-names"')
    assert 'href="#overdose-and-danger-signs">Danger signs of' in text
    links = re.findall(r'<li><a href="#([a-z0-9-]+)">', text[toc:text.index("</nav>", toc)])
    assert len(links) >= 8 and links[-1] == "wp-combos", links
    for anchor in links:
        assert 'id="%s"' % anchor in text, anchor
    # other pages keep their first lines: the overdose steps come first
    od = main_of(text_of(srv, "/overdose"))
    assert 'class="toc"' not in od


@test
def harm_reduction_lists_its_sections_once(srv):
    text = main_of(text_of(srv, "/harm-reduction"))
    for slug in ["safer-use-supplies", "moud", "digital", "stimulants"]:
        assert text.count('href="/harm-reduction/%s"' % slug) == 1, slug


def tools(srv, q):
    text = main_of(text_of(srv, "/search?q=" + urllib.parse.quote(q)))
    return text, [(html.unescape(h), html.unescape(t)) for h, t in
                  re.findall(r'<a class="action" href="([^"]+)"><strong>([^<]+)</strong>', text)]


@test
def search_offers_the_tools(srv):
    _, t = tools(srv, "97214")
    assert ("/find?where=97214", "Find services near ZIP 97214") in t, t
    _, t = tools(srv, "naloxone near Denver, CO")
    assert ("/find/naloxone?where=Denver%2C%20CO", "Find naloxone near Denver, CO") in t, t
    _, t = tools(srv, "xanax and alcohol")
    assert t and t[0][0] == "/combos?substances=benzodiazepines%2Calcohol", t
    _, t = tools(srv, "is it ok to mix molly with tranq")
    assert t and t[0][0] == "/combos?substances=mdma%2Cxylazine", t
    _, t = tools(srv, "am I drinking too much")
    assert [h for h, _ in t] == ["/self-check/audit-c", "/self-check"], t
    _, t = tools(srv, "drug problem")
    assert "/self-check/dast-10" in [h for h, _ in t], t
    for q in ["naloxone", "fentanyl", "alcohol"]:
        _, t = tools(srv, q)
        assert t == [], (q, t)


@test
def search_shows_overdose_steps_first(srv):
    text, _ = tools(srv, "what to do for an overdose")
    steps = text.index('id="wp-od-steps"')
    assert steps < text.index('role="status"')
    ol = text[steps:text.index("</ol>", steps)]
    assert ol.count("<li>") == 6 and "Call 911" in ol, ol[:300]
    text, _ = tools(srv, "xanax")
    assert 'id="wp-od-steps"' not in text
