"""HTTP tests of issue 16 for the self-checks, the recovery pathways table
and the first step in Spanish: /es/self-check/audit shows the WHO Spanish
questions and says which version they are; the same answers give the same
score in Spanish and English; the DAST-10 says it is our own translation;
/es/recovery has Spanish filter labels, options and table values (the
query values stay the English codes); a pathway's page translates its
facts and says its text is in English; /es/first-step's choices are in
Spanish; every page has lang="es" and its site links under /es/; the
English pages stay English.

The Spanish comes from po/es.po; until the integrator merges
po/parts/i18n-recovery.po into it, run these after
`msgcat --use-first po/es.po po/parts/i18n-recovery.po -o po/es.po`
(and `git checkout po/es.po` afterwards).

run.py collects TESTS (each given the shared server)."""
import re
import urllib.parse

from harness import main_of, page

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def post(srv, path, fields):
    body = urllib.parse.urlencode(fields).encode()
    st, _, data, _ = srv.request("POST", path, {"Content-Type": "application/x-www-form-urlencoded"}, body)
    return st, data.decode()


def assert_spanish_page(text):
    """lang="es", and every site-relative link and form under /es/ (except
    static files, the API and the links to the other language)."""
    assert '<html lang="es">' in text, text[:200]
    for m in re.finditer(r'<(a|form)\b[^>]*>', text):
        tag = m.group(0)
        u = re.search(r'\s(href|action)="(/[^"]*)"', tag)
        if not u or "hreflang" in tag:  # the links to the other language stay unprefixed
            continue
        url = u.group(2)
        if url.startswith(("/static/", "/api/", "/es/")) or url == "/es":
            continue
        raise AssertionError("link not under /es/: %s" % tag)


def score_of(text):
    m = re.search(r'<p class="score">[^<]*<strong>(\d+)</strong>[^<]*?(\d+)\.</p>', text)
    assert m, main_of(text)[:600]
    return int(m.group(1)), int(m.group(2))


AUDIT_ANSWERS = {"q1": "2", "q2": "2", "q3": "2", "q4": "2", "q5": "1", "q6": "1", "q7": "1", "q8": "1",
                 "q9": "1", "q10": "1"}


@test
def audit_in_spanish_says_which_version(srv):
    text = page(srv, "/es/self-check/audit")
    assert_spanish_page(text)
    main = main_of(text)
    assert "Consumo de alcohol: cuestionario completo (AUDIT)" in main
    # the WHO Spanish version's wording, question 1 and 4, and its answers
    assert "¿Con qué frecuencia consume alguna bebida alcohólica?" in main
    assert "ha sido incapaz de parar de beber una vez había empezado?" in main
    assert ">Una o menos veces al mes</label>" in main and ">A diario o casi a diario</label>" in main
    # which version, and what was not checked
    assert '<p class="notice translation">' in main
    assert "versión en español de la OMS" in main and "aún no la hemos comparado con el texto impreso" in main
    assert 'action="/es/self-check/audit"' in main
    # the answers are posted as indexes, the same in both languages
    assert 'name="q1" value="0"' in main
    assert "How often do you have a drink" not in main


@test
def audit_scores_the_same_in_spanish_and_english(srv):
    st_en, en = post(srv, "/self-check/audit", AUDIT_ANSWERS)
    st_es, es = post(srv, "/es/self-check/audit", AUDIT_ANSWERS)
    assert st_en == st_es == 200, (st_en, st_es)
    assert score_of(en) == score_of(es) == (16, 40), (score_of(en), score_of(es))
    assert_spanish_page(es)
    main = main_of(es)
    # the band, its meaning and its advice in Spanish, the advice's links kept
    assert '<h2 id="wp-level">riesgo más alto</h2>' in main, main
    assert "Zona III de la OMS." in main
    assert '<a href="/es/recovery/maud">naltrexona</a>' in main
    assert '<a href="/es/recovery">Caminos de recuperación</a>' in main
    assert "Su puntaje: <strong>16</strong> de 40." in main
    assert "versión en español de la OMS" in main
    # English unchanged
    assert '<h2 id="wp-level">higher risk</h2>' in en and '<a href="/recovery/maud">naltrexone</a>' in en
    assert "notice translation" not in en and '<html lang="en">' in en


@test
def audit_c_in_spanish_asks_sex_and_scores_alike(srv):
    answers = {"q1": "1", "q2": "1", "q3": "1", "sex": "female"}
    _, en = post(srv, "/self-check/audit-c", answers)
    st, es = post(srv, "/es/self-check/audit-c", answers)
    assert st == 200 and score_of(en) == score_of(es) == (3, 12)
    assert "resultado positivo" in main_of(es) and "punto de corte de 3" in main_of(es)
    # a missing answer: the error summary in Spanish, the form kept in /es/
    st, es = post(srv, "/es/self-check/audit-c", {"q1": "1"})
    assert st == 400
    main = main_of(es)
    assert "Faltan algunas respuestas" in main and "Responda la pregunta 2" in main
    assert "Elija una respuesta sobre el sexo asignado al nacer" in main
    assert 'action="/es/self-check/audit-c"' in main


@test
def dast_10_says_it_is_our_translation(srv):
    text = page(srv, "/es/self-check/dast-10")
    assert_spanish_page(text)
    main = main_of(text)
    assert "Traducción de Waypost, no la versión validada" in main
    assert "¿Siempre puede dejar de consumir drogas cuando quiere?" in main
    # reverse-scored question 3 scores the same in both languages
    answers = {"q%d" % i: "0" for i in range(1, 11)}
    answers["q3"] = "1"  # "Yes": 0 points
    _, en = post(srv, "/self-check/dast-10", answers)
    _, es = post(srv, "/es/self-check/dast-10", answers)
    assert score_of(en) == score_of(es) == (0, 10)
    assert "no indicó problemas" in main_of(es)


@test
def self_check_list_in_spanish(srv):
    text = page(srv, "/es/self-check")
    assert_spanish_page(text)
    main = main_of(text)
    assert "Elija un cuestionario" in main and "10 preguntas." in main
    assert '<a href="/es/self-check/dast-10">Cuestionario sobre consumo de drogas (DAST-10)</a>' in main


@test
def recovery_table_in_spanish(srv):
    text = page(srv, "/es/recovery")
    assert_spanish_page(text)
    main = main_of(text)
    # filter labels and options in Spanish, their values the English codes
    assert '<label for="f-type">Tipo</label>' in main and '<label for="f-suits">Para quién es</label>' in main
    assert '<option value="peer support">apoyo entre pares</option>' in main
    assert '<option value="sliding fee">tarifa según ingresos</option>' in main
    assert '<option value="">Cualquiera</option>' in main
    # headings and each pathway's values
    assert '<a href="/es/recovery?sort=evidence&amp;dir=asc">Evidencia</a>' in main
    assert '<th scope="col">Para quién es</th>' in main
    row = re.search(r'<tr><th scope="row"><a href="/es/recovery/moud">([^<]+)</a></th>(.*?)</tr>', main)
    assert row, main[:2000]
    assert row.group(1) == "Medicamentos para el trastorno por consumo de opioides (MOUD)"
    cells = row.group(2)
    assert '<td data-label="Tipo">medicamentos</td>' in cells
    assert "<strong>sólida</strong>: la metadona y la buprenorfina reducen las muertes" in cells
    assert '<td data-label="Costo">seguro médico, tarifa según ingresos</td>' in cells
    assert '<td data-label="Formato">en persona, en línea</td>' in cells
    assert '<td data-label="Para quién es">adultos, adolescentes</td>' in cells
    assert "Se muestran 22 de 22 caminos." in main
    # English words of the table are gone
    for word in ["peer support</td>", ">in person", "sliding fee</td>", "Who it suits"]:
        assert word not in main, word


@test
def recovery_filters_and_sorts_in_spanish(srv):
    main = main_of(page(srv, "/es/recovery?type=medication&sort=name"))
    rows = re.findall(r'<tr><th scope="row"><a href="(/es/recovery/[^"]+)">([^<]+)</a>', main)
    assert {h for h, _ in rows} == {"/es/recovery/maud", "/es/recovery/moud", "/es/recovery/withdrawal-management"}, rows
    names = [n for _, n in rows]
    assert names == sorted(names, key=str.lower), names  # sorted by the Spanish names
    assert '<option value="medication" selected>medicamentos</option>' in main
    # a bad filter: the error in Spanish
    st, _, body, _ = srv.get("/es/recovery?type=magic")
    assert st == 400 and "Uno de los filtros tiene un valor que no conocemos." in body.decode()


@test
def pathway_page_in_spanish(srv):
    text = page(srv, "/es/recovery/moud")
    assert_spanish_page(text)
    main = main_of(text)
    assert "<h1>Medicamentos para el trastorno por consumo de opioides (MOUD)</h1>" in main
    assert "<dt>Cuánto dura</dt><dd>de meses a años, mientras le ayude</dd>" in main
    assert "<dt>Formato</dt><dd>en persona, en línea</dd>" in main
    # no content/es/recovery/moud.md: the text is the English, and says so
    assert 'class="notice untranslated"' in main and '<div lang="en">' in main
    assert '<a href="/es/recovery">Compare todos los caminos de recuperación</a>' in main
    en = main_of(page(srv, "/recovery/moud"))
    assert "<dt>How long</dt><dd>months to years, as long as it helps</dd>" in en and "untranslated" not in en


@test
def first_step_in_spanish(srv):
    text = page(srv, "/es/first-step")
    assert_spanish_page(text)
    main = main_of(text)
    assert "¿Qué quiere hacer ahora?" in main
    assert "<strong>Estoy en crisis</strong>" in main and "<strong>Ayudar a otra persona</strong>" in main
    # the choices go to the headings of the page shown: the English anchors
    # while the page's text is the English one
    anchors = re.findall(r'<a class="action[^"]*" href="#([^"]+)"', main)
    ids = set(re.findall(r'<h2 id="([^"]+)"', main))
    assert len(anchors) == 5 and all(a in ids for a in anchors), (anchors, ids)
    en = main_of(page(srv, "/first-step"))
    assert "What do you want right now?" in en and 'href="#i-m-in-crisis"' in en


@test
def spanish_search_offers_the_self_checks(srv):
    main = main_of(page(srv, "/es/search?q=" + urllib.parse.quote("bebo demasiado")))
    assert "Revise su consumo de alcohol (AUDIT-C)" in main and 'href="/es/self-check/audit-c"' in main
    main = main_of(page(srv, "/es/search?q=" + urllib.parse.quote("problema con las drogas")))
    assert "Revise su consumo de drogas (DAST-10)" in main and "Todos los cuestionarios" in main
