"""HTTP tests of issue 16's language plumbing: /es/ pages with lang and
hreflang, links and redirects that stay in Spanish, the one-line offer of
the browser's language (no cookie, no redirect, Vary: Accept-Language),
the English page with a note where a page has no translation, site search
in Spanish with diacritics folded, Spanish as a site's default language,
and a broken catalog that stops the start with its file and line.

run.py collects TESTS (each given the shared server); the settings tests
start servers of their own."""
import os
import re
import shutil
import tempfile

from harness import Server

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def page(srv, path, headers=None, status=200):
    st, h, body, _ = srv.get(path, headers)
    assert st == status, (path, st)
    return h, body.decode()


def html_lang(text):
    return re.search(r'<html lang="([^"]+)"', text).group(1)


@test
def spanish_pages_say_their_language(srv):
    _, text = page(srv, "/es/substances/naloxone")
    assert html_lang(text) == "es"
    assert "<h1>Naloxona</h1>" in text
    # alternates must be absolute: without [staff] public_url the page names none
    assert '<link rel="alternate"' not in text
    # the way back to English, marked as English
    assert '<a href="/substances/naloxone" hreflang="en" lang="en">English</a>' in text
    _, en = page(srv, "/substances/naloxone")
    assert html_lang(en) == "en"
    assert '<a href="/es/substances/naloxone" hreflang="es" lang="es">Español</a>' in en


@test
def links_and_forms_stay_in_spanish(srv):
    for path in ["/es/", "/es/overdose", "/es/find", "/es/substances/fentanyl"]:
        _, text = page(srv, path)
        for m in re.finditer(r'<(a|form|link)\b[^>]*\b(href|action)="(/[^"]*)"[^>]*>', text):
            tag, target = m.group(0), m.group(3)
            if "hreflang=" in tag or target.startswith(("/static/", "/api/", "//")):
                continue
            assert target == "/es" or target.startswith(("/es/", "/es?")), (path, tag)


@test
def alternates_are_absolute_when_the_site_knows_its_address(srv):
    s = Server(config_text="[staff]\npublic_url = https://example.org/\n")
    try:
        text = s.get("/es/overdose")[2].decode()
        assert '<link rel="alternate" hreflang="en" href="https://example.org/overdose">' in text
        assert '<link rel="alternate" hreflang="es" href="https://example.org/es/overdose">' in text
    finally:
        s.cleanup()


@test
def redirects_stay_in_spanish(srv):
    st, h, _, _ = srv.get("/es/staff")
    assert st == 303 and h["location"] == "/es/staff/login", (st, h.get("location"))
    st, h, _, _ = srv.get("/staff")
    assert st == 303 and h["location"] == "/staff/login"


@test
def offers_the_browsers_language_without_redirecting(srv):
    h, text = page(srv, "/overdose", {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert "set-cookie" not in h and "accept-language" in h["vary"].lower()
    offer = re.search(r'<p class="lang-offer" lang="es"><a href="([^"]+)" hreflang="es">([^<]+)</a></p>', text)
    assert offer and offer.group(1) == "/es/overdose", offer
    assert offer.group(2) == "Esta página está en español."
    # English first, or the page already in Spanish: no offer
    _, text = page(srv, "/overdose", {"Accept-Language": "en-US,en;q=0.9,es;q=0.8"})
    assert "lang-offer" not in text
    _, text = page(srv, "/es/overdose", {"Accept-Language": "es"})
    assert "lang-offer" not in text
    # and the other way round, from a Spanish page to an English browser
    _, text = page(srv, "/es/overdose", {"Accept-Language": "en-GB"})
    assert '<p class="lang-offer" lang="en"><a href="/overdose" hreflang="en">This page is in English.</a></p>' in text
    # a cached page does not carry one browser's offer to the next
    _, again = page(srv, "/overdose")
    assert "lang-offer" not in again


@test
def untranslated_pages_show_the_english_in_spanish_chrome(srv):
    _, text = page(srv, "/es/harm-reduction/advocacy")
    assert html_lang(text) == "es"
    main = text[text.index("<main"):text.index("</main>")]
    assert 'lang="en"' in main, "the English text is marked as English"
    assert "traducid" in main, "a Spanish note says the page is not translated yet"


@test
def unknown_spanish_address_is_a_spanish_404(srv):
    _, text = page(srv, "/es/no-such-page", status=404)
    assert html_lang(text) == "es"


@test
def search_in_spanish_folds_diacritics(srv):
    for q in ["cocaina", "cocaína", "COCAÍNA"]:
        _, text = page(srv, "/es/search?q=" + q.replace("í", "%C3%AD").replace("Í", "%C3%8D"))
        assert 'href="/es/substances/cocaine"' in text, q
    # Spanish pages are searched on /es/, English ones on /
    _, text = page(srv, "/search?q=naloxona")
    assert 'href="/substances/naloxone"' not in text or "Naloxona" not in text


@test
def spanish_can_be_the_default_language(srv):
    s = Server(config_text="[site]\ndefault_language = es\n")
    try:
        st, _, body, _ = s.get("/substances/naloxone")
        assert st == 200 and html_lang(body.decode()) == "es" and "<h1>Naloxona</h1>" in body.decode()
        st, _, body, _ = s.get("/en/substances/naloxone")
        assert st == 200 and html_lang(body.decode()) == "en" and "<h1>Naloxone</h1>" in body.decode()
        assert 'href="/en/find' in body.decode()
        st, _, _, _ = s.get("/es/substances/naloxone")
        assert st == 404
    finally:
        s.cleanup()


@test
def a_broken_catalog_stops_the_start_with_its_line(srv):
    d = tempfile.mkdtemp(prefix="waypost-po-")
    try:
        with open(os.path.join(d, "es.po"), "w") as f:
            f.write('msgid "Menu"\nmsgstr "Menú"\n\nmsgid "Menu"\nmsgstr "Otra vez"\n')
        try:
            s = Server("--server-po_dir", d)
        except RuntimeError as e:
            assert "es.po: line 5: the msgid \"Menu\" is in the catalog twice" in str(e), str(e)
        else:
            s.cleanup()
            raise AssertionError("the server started with a broken catalog")
    finally:
        shutil.rmtree(d)


@test
def a_catalog_without_a_language_is_english_only(srv):
    d = tempfile.mkdtemp(prefix="waypost-po-")
    try:
        s = Server("--server-po_dir", d)
        try:
            st, _, body, _ = s.get("/es/overdose")
            assert st == 404
            text = s.get("/overdose")[2].decode()
            assert 'hreflang="es"' not in text and "Español" not in text
        finally:
            s.cleanup()
    finally:
        shutil.rmtree(d)
