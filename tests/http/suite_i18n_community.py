"""HTTP tests of issue 16 for the community features in Spanish: /es/report,
/es/subscribe and /es/checkin are Spanish forms (lang="es", their actions
and links under /es/) that name bad fields in Spanish; a subscription made
at /es/subscribe records lang 'es', its confirmation email and SMS are in
Spanish with links to /es/ pages, SÍ confirms and ALTO stops by SMS, and
the alerts it then gets are in Spanish; an alert with a Spanish
translation shows in Spanish on /es/alerts (linking "English" to the
original), an English-only one in English with lang="en" and a note;
/alerts/<id> and its translation link each other with hreflang; the
translation's CAP says es-US and /es/alerts.atom tells it; the English
pages stay English.

The Spanish comes from po/es.po; until the integrator merges
po/parts/i18n-community.po into it, run these after
`msgcat --use-first po/es.po po/parts/i18n-community.po -o po/es.po`
(and `git checkout po/es.po` afterwards).

run.py collects TESTS (each given the shared server); the subscription
tests start their own server with the SMS and email fakes."""
import atexit
import datetime
import json
import random
import re
import sqlite3
import time
import urllib.parse

from checkin_fakes import FakeGateway, SmtpSink
from harness import Server, main_of
from staff_client import Staff, new_account, run

TESTS = []
INBOUND = "inbound-secret-es-0123456789"
_ENV = {}
_N = [random.randint(100, 800)]


def test(fn):
    TESTS.append(fn)
    return fn


def uniq():
    _N[0] += 1
    return _N[0]


def page(srv, path, status=200):
    st, _, body, _ = srv.get(path)
    assert st == status, (path, st, body[:300])
    return body.decode()


def post(srv, path, fields):
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    st, h, data, _ = srv.request("POST", path, {"Content-Type": "application/x-www-form-urlencoded"}, body)
    return st, h, data.decode("utf-8", "replace")


def assert_spanish_page(text):
    """lang="es", and every site-relative link and form under /es/ (except
    static files, the API and the links to the other language)."""
    assert '<html lang="es">' in text, text[:200]
    for m in re.finditer(r'<(a|form)\b[^>]*>', text):
        tag = m.group(0)
        u = re.search(r'\s(href|action)="(/[^"]*)"', tag)
        if not u or "hreflang" in tag:
            continue
        url = u.group(2)
        if url.startswith(("/static/", "/api/", "/es/")) or url == "/es":
            continue
        raise AssertionError("link not under /es/: %s" % tag)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="seconds")


def api_token(srv):
    rc, out, err = run(srv, "token", "add", "i18n-%d-%d" % (uniq(), time.time() * 1000 % 100000), "--role", "editor")
    assert rc == 0, err
    return out.strip()


def api(srv, tok, method, path, doc):
    st, _, raw, _ = srv.request(method, path, {"Authorization": "Bearer " + tok, "Content-Type": "application/json"},
                                json.dumps(doc).encode())
    return st, json.loads(raw) if raw else None


def alert_doc(headline, zips, **extra):
    doc = {"headline": headline, "substances": ["fentanyl"], "instruction": "Test first, do not use alone.",
           "area": {"description": "Test area", "zips": zips}, "source": "outreach", "certainty": "Observed",
           "severity": "Severe", "urgency": "Immediate", "starts": iso(time.time() - 60),
           "expires": iso(time.time() + 86400), "status": "published"}
    doc.update(extra)
    return doc


def publish(srv, tok, doc):
    st, body = api(srv, tok, "POST", "/api/v1/alerts", doc)
    assert st == 201, (st, body)
    return body


def count(srv, sql, *args):
    db = sqlite3.connect(srv.db)
    try:
        return db.execute(sql, args).fetchone()[0]
    finally:
        db.close()


def wait(pred, timeout=15.0):
    end = time.time() + timeout
    while True:
        v = pred()
        if v or time.time() > end:
            return v
        time.sleep(0.05)


# ---- the forms ----

@test
def report_form_in_spanish_names_fields_in_spanish(srv):
    text = page(srv, "/es/report")
    assert_spanish_page(text)
    body = main_of(text)
    assert "<h1>Reporte un lote peligroso</h1>" in body
    assert 'action="/es/report"' in body and "¿Cómo se vendía?" in body and "Respiración lenta o detenida" in body
    assert "<title>Reporte un lote peligroso" in text
    # sent at once: the fill-time check answers in Spanish, named at its field
    stamp = re.search(r'name="started" value="([^"]+)"', body).group(1)
    st, _, text = post(srv, "/es/report", {"started": stamp, "area": "97214", "when": "today", "note": "x"})
    assert st == 400 and "muy rápido" in text and 'href="#rp-started"' in text, text[:3000]
    # past the minimum fill time ([community] report_min_seconds, 3): a bad
    # area and no "when", both named in Spanish at their fields
    time.sleep(3.2)
    st, _, text = post(srv, "/es/report", {"started": stamp, "area": "nowhere at all", "note": "x"})
    assert st == 400, (st, text[:2000])
    assert_spanish_page(text)
    assert "Esto no es un código postal" in text and 'href="#rp-area"' in text, text[:3000]
    assert "Elija cuándo" in text and 'href="#rp-when"' in text
    english = main_of(page(srv, "/report"))
    assert "<h1>Report a bad batch</h1>" in english and 'action="/report"' in english
    thanks = page(srv, "/es/report/thanks")
    assert_spanish_page(thanks)
    assert "Recibimos su reporte." in thanks


@test
def checkin_form_in_spanish(srv):
    text = page(srv, "/es/checkin")
    assert_spanish_page(text)
    body = main_of(text)
    assert "<h1>Temporizador de seguridad</h1>" in body and 'action="/es/checkin"' in body, body[:2000]
    assert "¿Adónde debe ir la ayuda?" in body and "Iniciar el temporizador" in body
    assert "(Nunca consumas solo)" in body
    st, _, text = post(srv, "/es/checkin", {"where": "Cuarto 4"})  # no time chosen
    assert st == 400 and "Elija cuánto tiempo" in text and 'href="#ck-minutes"' in text, text[:3000]
    assert_spanish_page(text)
    st, _, text = post(srv, "/es/checkin", {"minutes": "15", "where": ""})
    assert st == 400 and "Diga adónde debe ir la ayuda" in text, text[:3000]
    assert "<h1>Check-in timer</h1>" in page(srv, "/checkin")


# ---- subscriptions ----

def env():
    if not _ENV:
        gw, smtp = FakeGateway(), SmtpSink()
        cfg = """[site]
org_name = Test Outreach
[staff]
public_url = https://alerts.example.org
[notify]
sms_url = %s/2010-04-01/Accounts/AC1/Messages.json
sms_user = AC1
sms_password = tok
sms_from = +15035559999
smtp_url = %s
mail_from = alerts@example.org
[checkin]
webhook_secret = hook-secret-for-tests
[subscriptions]
subscribes_per_hour = 0
sms_inbound_secret = %s
""" % (gw.url, smtp.url, INBOUND)
        own = Server(config_text=cfg)
        _ENV.update(gw=gw, smtp=smtp, srv=own)

        def stop():
            own.cleanup()
            gw.stop()
            smtp.stop()
        atexit.register(stop)
    return _ENV["srv"], _ENV["gw"], _ENV["smtp"]


@test
def subscription_at_es_is_spanish_from_email_to_alert(_shared):
    srv, _, smtp = env()
    text = page(srv, "/es/subscribe")
    assert_spanish_page(text)
    assert "<h1>Reciba alertas sobre drogas</h1>" in text and 'action="/es/subscribe"' in text
    st, _, text = post(srv, "/es/subscribe", {"by": "email", "email": "x@example.org", "zips": "abc"})
    assert st == 400 and "no es un código postal" in text and 'href="#sb-zips"' in text, text[:3000]
    address, z = "es%d@example.org" % uniq(), "9%04d" % (uniq() % 10000)
    st, h, _ = post(srv, "/es/subscribe", {"by": "email", "email": address, "zips": z})
    assert st == 303 and h["location"] == "/es/subscribe/sent", (st, h)
    assert "Revise su correo electrónico" in page(srv, "/es/subscribe/sent")
    assert count(srv, "SELECT count(*) FROM sub_pending WHERE lang = 'es'") >= 1
    mails = wait(lambda: smtp.to(address))
    assert mails, "no confirmation email"
    m = mails[-1]
    assert m["subject"] == "Confirme: alertas sobre drogas de Test Outreach", m["subject"]
    assert "Para empezar, abra este enlace y pulse Confirmar" in m["body"], m["body"]
    link = re.search(r"https://alerts\.example\.org(/es/subscribe/confirm\?t=([0-9a-f]{32}))", m["body"])
    assert link, m["body"]
    text = page(srv, link.group(1))
    assert_spanish_page(text)
    assert 'action="/es/subscribe/confirm"' in text
    before = count(srv, "SELECT count(*) FROM sub_subscriber WHERE lang = 'es'")
    st, _, text = post(srv, "/es/subscribe/confirm", {"t": link.group(2)})
    assert st == 200 and "Ya está suscrito" in text, text[:3000]
    assert 'href="https://alerts.example.org/es/unsubscribe?id=' in text
    assert count(srv, "SELECT count(*) FROM sub_subscriber WHERE lang = 'es'") == before + 1
    # an alert for the area: the message is in Spanish, with the Spanish page's link
    tok = api_token(srv)
    a = publish(srv, tok, alert_doc("Fentanyl in blue pills %d" % uniq(), [z]))
    got = wait(lambda: [x for x in smtp.to(address) if x["subject"].startswith("Alerta sobre drogas:")])
    assert got, [x["subject"] for x in smtp.to(address)]
    body = got[-1]["body"]
    assert a["headline"] in got[-1]["subject"]
    assert re.search(r"Lea la alerta completa:\s+https://alerts\.example\.org/es/alerts/%d\s" % a["id"], body), body
    assert "Recibe esto porque le pidió a Test Outreach" in body and "/es/unsubscribe?id=" in body
    assert got[-1]["msg"]["List-Unsubscribe"].startswith("<https://alerts.example.org/es/unsubscribe?id=")


@test
def sms_subscription_in_spanish_si_confirms_alto_stops(_shared):
    srv, gw, _ = env()
    number, z = "+1503557%04d" % (uniq() % 10000), "9%04d" % (uniq() % 10000)
    st, h, _ = post(srv, "/es/subscribe", {"by": "sms", "phone": number, "zips": z})
    assert st == 303 and h["location"].startswith("/es/subscribe/code?t="), (st, h)
    sms = wait(lambda: gw.sms_to(number))
    assert sms and "su código es" in sms[-1]["form"]["Body"], sms
    text = page(srv, h["location"])
    assert_spanish_page(text)
    assert "Escriba el código que le enviamos por texto" in text
    hook = "/subscribe/sms/" + INBOUND
    st, _, body = post(srv, hook, {"From": number, "Body": "Sí"})
    assert st == 200 and "recibirá alertas sobre drogas" in body, body
    assert count(srv, "SELECT count(*) FROM sub_subscriber WHERE lang = 'es'") >= 1
    tok = api_token(srv)
    a = publish(srv, tok, alert_doc("Xylazine in dope %d" % uniq(), [z]))
    msgs = wait(lambda: [m for m in gw.sms_to(number) if "alerta sobre drogas" in m["form"]["Body"]])
    assert msgs, gw.sms_to(number)
    text = msgs[-1]["form"]["Body"]
    assert "https://alerts.example.org/es/alerts/%d" % a["id"] in text and "responda ALTO o STOP" in text, text
    before = count(srv, "SELECT count(*) FROM sub_subscriber")
    st, _, body = post(srv, hook, {"From": number, "Body": "ALTO"})
    assert st == 200 and "<Response>" in body
    assert count(srv, "SELECT count(*) FROM sub_subscriber") == before - 1
    # a Spanish keyword from a number with no request: the reply is Spanish
    st, _, body = post(srv, hook, {"From": "+15035550199", "Body": "SI"})
    assert st == 200 and "responda ALTO o STOP" in body, body


# ---- check-in messages ----

_CK = {}


def checkin_env():
    """A check-in server with short timers and the fakes (as suite_checkin)."""
    if not _CK:
        gw, smtp = FakeGateway(), SmtpSink()
        cfg = """[site]
org_name = Test Outreach
[staff]
public_url = https://alerts.example.org
[notify]
sms_url = %s/2010-04-01/Accounts/AC1/Messages.json
sms_user = AC1
sms_password = tok
sms_from = +15035559999
smtp_url = %s
mail_from = alerts@example.org
[checkin]
webhook_secret = hook-secret-for-tests
warn_seconds = 2
min_seconds = 1
starts_per_hour = 0
""" % (gw.url, smtp.url)
        own = Server(config_text=cfg)
        _CK.update(gw=gw, smtp=smtp, srv=own)

        def stop():
            own.cleanup()
            gw.stop()
            smtp.stop()
        atexit.register(stop)
    return _CK["srv"], _CK["gw"], _CK["smtp"]


@test
def checkin_messages_in_the_language_it_was_started_in(_shared):
    srv, gw, smtp = checkin_env()
    friend, own = "+1503558%04d" % (uniq() % 10000), "+1503559%04d" % (uniq() % 10000)
    doc = {"seconds": 4, "where": "Cuarto de atrás, calle Elm 12", "name": "Casey", "sms": friend, "own_sms": own,
           "email": "amiga%d@example.org" % uniq(), "lang": "es"}
    st, _, raw, _ = srv.request("POST", "/api/v1/checkins", {"Content-Type": "application/json"},
                                json.dumps(doc).encode())
    assert st == 201, (st, raw)
    warn = gw.wait(lambda: gw.sms_to(own), 6)
    assert warn and "su tiempo termina en unos" in warn[0]["form"]["Body"], warn
    assert "https://alerts.example.org/es/checkin/" in warn[0]["form"]["Body"]
    alert = gw.wait(lambda: gw.sms_to(friend), 8)
    assert alert, "no alert SMS"
    body = alert[0]["form"]["Body"]
    assert "Casey le pidió a Waypost que le avisara" in body and "Cuarto de atrás" in body, body
    assert "https://alerts.example.org/es/overdose" in body and "https://alerts.example.org/es/checkin/" in body
    mail = wait(lambda: smtp.to(doc["email"]), 5)
    assert mail and mail[0]["subject"] == "Casey no confirmó que está bien: puede necesitar ayuda", mail
    # the contact's page, opened from the Spanish link, is Spanish
    token = re.search(r"/es/checkin/([0-9a-f]{32})", body).group(1)
    text = page(srv, "/es/checkin/" + token)
    assert_spanish_page(text)
    assert "Casey puede necesitar ayuda" in text and "Voy en camino" in text, main_of(text)[:2000]
    # an unknown language is refused; English stays the default
    doc = dict(doc, lang="xx")
    st, _, raw, _ = srv.request("POST", "/api/v1/checkins", {"Content-Type": "application/json"},
                                json.dumps(doc).encode())
    assert st == 400 and b"lang" in raw, (st, raw)


# ---- alerts and their translations ----

@test
def alert_translation_shows_on_spanish_pages(srv):
    tok = api_token(srv)
    z = "9%04d" % (uniq() % 10000)
    en = publish(srv, tok, alert_doc("Nitazenes in fake oxy %d" % uniq(), [z], substances=["nitazenes"]))
    assert en["lang"] == "en" and en["language"] == "en"
    # translation_of must name an alert, not itself, in another language
    st, body = api(srv, tok, "POST", "/api/v1/alerts", alert_doc("x", [z], lang="es", translation_of=en["id"] + 9999))
    assert st == 422 and "translation_of" in body["error"]["problems"], body
    st, body = api(srv, tok, "POST", "/api/v1/alerts", alert_doc("x", [z], lang="en", translation_of=en["id"]))
    assert st == 422 and "translation_of" in body["error"]["problems"], body
    st, body = api(srv, tok, "POST", "/api/v1/alerts", alert_doc("x", [z], lang="fr"))
    assert st == 422 and "lang" in body["error"]["problems"], body
    es_headline = "Nitazenos en oxicodona falsa %d" % uniq()
    es = publish(srv, tok, alert_doc(es_headline, [z], substances=["nitazenes"], lang="es", translation_of=en["id"],
                                     instruction="Pruebe primero, no consuma solo."))
    assert es["lang"] == "es" and es["language"] == "es-US" and es["translation_of"] == en["id"], es
    only_en = publish(srv, tok, alert_doc("Carfentanil in white powder %d" % uniq(), [z], substances=["carfentanil"]))

    # /es/alerts: the Spanish text of the translated one, linked, with "English" to the original
    text = page(srv, "/es/alerts")
    assert_spanish_page(text)
    body = main_of(text)
    assert "<h1>Alertas locales sobre drogas</h1>" in body
    assert '<a href="/es/alerts/%d">%s</a>' % (es["id"], es_headline) in body, body[:4000]
    assert 'href="/alerts/%d" hreflang="en" lang="en">English</a>' % en["id"] in body
    assert en["headline"] not in body  # the original is told by its translation
    # the English-only one: in English, marked, with a note
    assert '<a href="/es/alerts/%d" lang="en">%s</a>' % (only_en["id"], only_en["headline"]) in body
    assert "(en inglés)" in body and "Grave" in body and "hasta el " in body
    # /alerts stays English and lists the original, not the translation
    english = main_of(page(srv, "/alerts"))
    assert en["headline"] in english and es_headline not in english
    assert "Severe" in english and "until " in english

    # /alerts/<id> and its translation link each other, with hreflang
    text = page(srv, "/es/alerts/%d" % en["id"])
    assert_spanish_page(text)
    assert '<h1 lang="en">%s</h1>' % en["headline"] in text
    assert "Esta alerta está en inglés." in text
    assert 'href="/es/alerts/%d" hreflang="es" lang="es">Esta alerta en español</a>' % es["id"] in text, text[:5000]
    text = page(srv, "/alerts/%d" % es["id"])
    assert '<h1 lang="es-US">%s</h1>' % es_headline in text
    assert "This alert is in Spanish." in text
    assert 'href="/alerts/%d" hreflang="en" lang="en">This alert in English</a>' % en["id"] in text
    text = page(srv, "/es/alerts/%d" % es["id"])
    assert '<h1 lang="es-US">%s</h1>' % es_headline in text and "Qué se encontró" in text
    assert 'href="/alerts/%d" hreflang="en" lang="en">English</a>' % en["id"] in text
    assert re.search(r"Desde el <time[^>]*>[a-záéíóúñ]+ \d+ de [a-z]+ de \d{4}, \d\d:\d\d</time>", text), text[:6000]

    # CAP: the translation's info language is es-US, its event and labels Spanish
    cap = page(srv, "/alerts/%d.cap" % es["id"])
    assert "<language>es-US</language>" in cap and "Se encontró: " in cap, cap[:3000]
    assert "<language>en</language>" in page(srv, "/alerts/%d.cap" % en["id"])
    # the Spanish feed tells the translation and links the Spanish pages
    feed = page(srv, "/es/alerts.atom")
    assert es_headline in feed and 'xml:lang="es"' in feed
    assert "/es/alerts/%d\"" % es["id"] in feed
    assert es_headline not in page(srv, "/alerts.atom")


@test
def staff_form_sets_the_language_and_the_original(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    s.login(email, pw)
    st, _, body, _ = s.get("/staff/alerts/new")
    assert st == 200 and 'name="lang"' in body and 'name="translation_of"' in body
    assert '<option value="es"' in body, "the site's languages are offered"
    tok = api_token(srv)
    en = publish(srv, tok, alert_doc("Fentanyl in pressed bars %d" % uniq(), ["97209"]))
    csrf = s.csrf("/staff/alerts/new")
    f = {"csrf": csrf, "headline": "Fentanilo en barras prensadas", "substances": "fentanyl", "area": "Old Town",
         "zips": "97209", "source": "outreach", "certainty": "Likely", "severity": "Severe", "urgency": "Immediate",
         "instruction": "No consuma solo. Lleve naloxona.", "action": "publish", "lang": "es",
         "translation_of": str(en["id"] + 100000)}
    st, _, body, _ = s.post("/staff/alerts", f)
    assert st == 422 and 'id="f-translation_of-error"' in body, (st, body[:3000])
    st, h, _, _ = s.post("/staff/alerts", dict(f, translation_of=str(en["id"])))
    assert st == 303, st
    aid = int(re.search(r"/staff/alerts/(\d+)", h["location"]).group(1))
    st, _, raw, _ = srv.request("GET", "/api/v1/alerts/%d" % aid)
    doc = json.loads(raw)
    assert doc["lang"] == "es" and doc["translation_of"] == en["id"] and doc["language"] == "es-US", doc
    st, _, body, _ = s.get("/staff/alerts/%d" % aid)
    assert 'value="%d"' % en["id"] in body and '<option value="es" selected>' in body
