"""The staff portal in Spanish (issue 16): under /es/staff every page, title,
menu, form error and notice is Spanish with lang="es"; the one
__Host-waypost cookie (Path=/) signs in under /es/staff too; forms keep
their CSRF check; and the server keeps links and redirects within /es/.
The English pages stay as they were. Runs with the repo's po/ catalog, so
it needs the staff translations (po/parts/i18n-staff.po) merged into
po/es.po."""
import re

from staff_client import COOKIE, Staff, new_account

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def signed_in(srv, role="admin"):
    s = Staff(srv)
    email, password = new_account(srv, role)
    status, h, body, headers = s.post("/es/staff/login", {"email": email, "password": password})
    assert status == 303, (status, body[:800])
    assert h["location"] == "/es/staff", h.get("location")
    return s, email, headers


def links(body):
    return re.findall(r'(?:href|action)="(/[^"]*)"', body)


def assert_within_es(body):
    for link in links(body):
        if link.startswith("/static/") or link.startswith("/api/"):
            continue
        assert link.startswith("/es/") or link == "/es", link


@test
def login_page_is_spanish(srv):
    s = Staff(srv)
    status, h, body, _ = s.get("/es/staff/login")
    assert status == 200, status
    assert '<html lang="es">' in body
    assert "<title>Iniciar sesión · Personal · " in body
    assert "Iniciar sesión como personal de" in body
    assert '<label for="wp-password">Contraseña</label>' in body
    assert '<form action="/es/staff/login" method="post"' in body
    assert "set-cookie" not in h
    assert_within_es(body)


@test
def english_login_page_is_unchanged(srv):
    status, _, body, _ = Staff(srv).get("/staff/login")
    assert status == 200
    assert '<html lang="en">' in body
    assert "<title>Sign in · Staff · " in body and "<h1>Sign in to " in body
    assert '<form action="/staff/login" method="post"' in body
    assert "Iniciar" not in body


@test
def sign_in_under_es_sets_the_host_cookie_and_stays_in_spanish(srv):
    s, email, headers = signed_in(srv)
    cookies = [v for k, v in headers if k.lower() == "set-cookie" and v.startswith(COOKIE + "=")]
    assert len(cookies) == 1, cookies
    assert "Path=/;" in cookies[0] and "Secure" in cookies[0] and "SameSite=Strict" in cookies[0]
    status, _, body, _ = s.get("/es/staff")
    assert status == 200, status
    assert '<html lang="es">' in body
    assert "<title>Resumen · Personal · " in body
    assert "<h1>Resumen para el personal</h1>" in body
    assert "Sesión iniciada como %s, rol: administrador." % email in body
    assert '<a href="/es/staff/listings">Listados</a>' in body
    assert '<a href="/es/staff/audit">Registro de auditoría</a>' in body
    assert '<a href="/es/staff/account" aria-current="page">' not in body
    assert "Cerrar sesión</button>" in body
    assert_within_es(body)
    # The same cookie opens the English pages: the language is only the URL.
    status, _, body, _ = s.get("/staff")
    assert status == 200 and "<h1>Staff overview</h1>" in body


@test
def listings_page_is_spanish(srv):
    s, _, _ = signed_in(srv, "editor")
    status, _, body, _ = s.get("/es/staff/listings")
    assert status == 200, status
    assert '<html lang="es">' in body
    assert "<h1>Listados</h1>" in body
    assert '<a class="button" href="/es/staff/listings/new">Agregar un listado</a>' in body
    assert '<form class="staff-filters" action="/es/staff/listings" method="get"' in body
    assert "Encontrados: " in body
    assert_within_es(body)
    status, _, body, _ = s.get("/es/staff/listings/new")
    assert status == 200
    assert "<title>Nuevo listado · Personal · " in body
    assert "Dirección" in body and "Lunes" in body and "(obligatorio)" in body


@test
def wrong_password_is_said_in_spanish(srv):
    s = Staff(srv)
    email, _ = new_account(srv, "moderator")
    status, h, body, _ = s.post("/es/staff/login", {"email": email, "password": "not the password at all"})
    assert status == 401, status
    assert "El correo electrónico o la contraseña no son correctos." in body
    assert '<html lang="es">' in body


@test
def form_errors_are_spanish(srv):
    s, _, _ = signed_in(srv, "editor")
    csrf = s.csrf("/es/staff/listings/new")
    status, _, body, _ = s.post("/es/staff/listings/new", {"csrf": csrf, "name": "", "status": "active"})
    assert status == 422, (status, body[:600])
    assert "<h2>Corrija lo que está marcado</h2>" in body
    assert "El nombre: es obligatorio." in body
    assert '<html lang="es">' in body
    a, _, _ = signed_in(srv, "admin")
    status, _, body, _ = a.get("/es/staff/audit?from=yesterday")
    assert "Escriba el primer día como AAAA-MM-DD, por ejemplo 2026-12-01." in body, body[:800]


@test
def post_under_es_passes_csrf_and_redirects_within_es(srv):
    s, _, _ = signed_in(srv, "moderator")
    csrf = s.csrf("/es/staff/account")
    status, h, body, _ = s.post("/es/staff/account/sessions", {"csrf": csrf, "end": "others"})
    assert status == 303, (status, body[:600])
    assert h["location"].startswith("/es/staff/account"), h["location"]
    status, _, body, _ = s.get(h["location"])
    assert status == 200
    assert "Se cerraron sus demás sesiones." in body
    # Without the token the form is refused, in Spanish.
    status, _, body, _ = s.post("/es/staff/account/sessions", {"end": "others"})
    assert status == 403, status
    assert "Este formulario está desactualizado o no lo envió este sitio." in body
    # Signing out under /es/ lands on the Spanish sign-in page.
    status, h, _, _ = s.post("/es/staff/logout", {"csrf": csrf})
    assert status == 303 and h["location"] == "/es/staff/login?done=out", (status, h.get("location"))
    status, _, body, _ = s.get(h["location"])
    assert "Cerró la sesión." in body


@test
def signed_out_visit_goes_to_the_spanish_sign_in(srv):
    status, h, _, _ = Staff(srv).get("/es/staff/listings")
    assert status == 303 and h["location"] == "/es/staff/login", (status, h.get("location"))
