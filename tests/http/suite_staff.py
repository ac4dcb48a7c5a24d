"""The staff portal's sign-in, sessions, CSRF, throttling, roles and
accounts, against the real server (each test takes the shared server)."""
import re
import sqlite3
import time

from staff_client import COOKIE, Staff, new_account, run, totp

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def own_server(fn):
    """Runs fn on a server of its own: tests that fail sign-ins on purpose
    would otherwise add up, across every suite, to the per-address limit
    (20 in 15 minutes) of the shared server, and throttle later tests."""
    import functools
    from harness import Server

    @functools.wraps(fn)
    def run(_shared):
        srv = Server()
        try:
            fn(srv)
        finally:
            srv.cleanup()
    return run


ROUTES = "src/routes.c"
LEAST = {"GUARD_OPEN": 1, "ROLE_MODERATOR": 2, "ROLE_EDITOR": 3, "ROLE_ADMIN": 4}
ROLES = {"moderator": 2, "editor": 3, "admin": 4}


def staff_routes():
    """(methods, path, least role) of every guarded row of routes.c."""
    import os
    from harness import ROOT
    text = open(os.path.join(ROOT, ROUTES)).read()
    rows = re.findall(r'\{(M_[A-Z_ |]+), "([^"]+)", \w+, [^{}]*?, "\w+",\s*(GUARD_OPEN|ROLE_\w+)\}', text)
    assert len(rows) >= 10, rows
    return [(m, p, LEAST[g]) for m, p, g in rows]


def concrete(path):
    return re.sub(r":\w+", "x", path)


@test
def login_page_is_private_and_sets_no_cookie(srv):
    s = Staff(srv)
    status, h, body, _ = s.get("/staff/login")
    assert status == 200 and 'name="password"' in body
    assert h["cache-control"] == "no-store"
    assert "set-cookie" not in h
    assert "content-security-policy" in h and "unsafe-inline" not in h["content-security-policy"]


@test
@own_server
def wrong_password_and_unknown_email_read_the_same(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    a = s.login(email, pw + "x", expect=401)
    b = s.login("nobody-%d@example.org" % time.time(), pw, expect=401)
    assert "Email or password is wrong." in a[2] and "Email or password is wrong." in b[2]
    assert s.cookie is None


@test
def login_sets_a_strict_host_cookie_and_logout_ends_it(srv):
    email, pw = new_account(srv, "moderator")
    s = Staff(srv)
    _, h, _ = s.login(email, pw)
    assert h["location"].startswith("/staff")
    cookie = h["set-cookie"]
    for part in ("__Host-waypost=", "Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert part in cookie, cookie
    assert "Domain" not in cookie
    status, h, body, _ = s.get("/staff")
    assert status == 200 and email in body and h["cache-control"] == "no-store"
    # the cookie means nothing outside /staff: public pages read no cookie and set none
    status, h, _, _ = s.get("/")
    assert status == 200 and "set-cookie" not in h
    csrf = s.csrf("/staff")
    status, h, _, _ = s.post("/staff/logout", {"csrf": csrf})
    assert status == 303 and "/staff/login" in h["location"]
    status, h, _, _ = s.get("/staff")
    assert status == 303 and h["location"] == "/staff/login"


@test
def the_database_keeps_only_hashes(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    s.login(email, pw)
    db = sqlite3.connect(srv.db)
    hashes = [r[0] for r in db.execute("SELECT token_hash FROM staff_session")]
    pwh = db.execute("SELECT password_hash FROM staff_user WHERE email = ?", (email,)).fetchone()[0]
    db.close()
    assert s.cookie not in hashes and len(hashes[0]) == 64
    assert pwh.startswith("$argon2id$") and pw not in pwh
    m = re.search(r"m=(\d+),t=(\d+)", pwh)
    assert int(m.group(1)) >= 19456 and int(m.group(2)) >= 2, pwh


@test
def csrf_and_other_sites_are_refused(srv):
    email, pw = new_account(srv, "admin")
    s = Staff(srv)
    s.login(email, pw)
    csrf = s.csrf()
    for form, headers in [({}, {}), ({"csrf": "x" * 43}, {}),
                          ({"csrf": csrf}, {"Sec-Fetch-Site": "cross-site"}),
                          ({"csrf": csrf}, {"Origin": "https://evil.example"})]:
        status, _, body, _ = s.post("/staff/settings", dict(form, two_factor="optional"), headers=headers)
        assert status == 403, (form, headers, status)
    status, _, body, _ = s.post("/staff/settings", {"csrf": csrf, "two_factor": "optional"},
                                headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:%d" % srv.port})
    assert status == 200 and "Saved." in body


@test
@own_server
def five_failures_throttle_the_account_with_retry_after(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    for _ in range(5):
        s.login(email, "wrong password %d" % time.time(), expect=401)
    status, h, body = s.login(email, pw, expect=429)
    assert int(h["retry-after"]) > 0 and "Too many tries" in body
    # the owner is told at the next sign-in
    db = sqlite3.connect(srv.db)
    db.execute("DELETE FROM staff_login_failure WHERE email = ?", (email,))
    db.commit()
    db.close()
    _, h, _ = s.login(email, pw)
    status, _, body, _ = s.get(h["location"])
    assert "5 times" in body, body[:2000]
    # told once: the next visit no longer says so
    assert "5 times" not in s.get("/staff")[2]


@test
def sessions_end_when_idle_or_old(srv):
    email, pw = new_account(srv, "moderator")
    for column, back in (("seen_at", 31 * 60), ("created_at", 12 * 3600 + 60)):
        s = Staff(srv)
        s.login(email, pw)
        assert s.get("/staff")[0] == 200
        db = sqlite3.connect(srv.db)
        db.execute("UPDATE staff_session SET %s = %s - ? WHERE user_id = (SELECT id FROM staff_user WHERE email = ?)"
                   % (column, column), (back, email))
        db.commit()
        db.close()
        status, h, _, _ = s.get("/staff")
        assert status == 303 and h["location"] == "/staff/login", (column, status)


@test
def every_role_on_every_staff_route(srv):
    clients = {}
    for role in ROLES:
        email, pw = new_account(srv, role)
        clients[role] = Staff(srv)
        clients[role].login(email, pw)
    routes = staff_routes()
    for methods, path, least in routes:
        if path.startswith("/api/") or least < 2:
            continue
        for role, level in ROLES.items():
            c = clients[role]
            if "M_GET" in methods:
                status = c.get(concrete(path))[0]
                assert (status == 403) == (level < least), (path, role, status)
            if "M_POST" in methods:
                # a wrong CSRF token: a role below gets 403 for its role, one
                # at or above gets 403 for the token, never the handler
                status, _, body, _ = c.post(concrete(path), {"csrf": "x"})
                assert status == 403, (path, role, status)
                assert ("role does not allow" in body) == (level < least), (path, role, body[:300])
        anon = Staff(srv)
        if "M_GET" in methods:
            status, h, _, _ = anon.get(concrete(path))
            assert status == 303 and h["location"] == "/staff/login", (path, status)


@test
@own_server
def account_setup_link_then_reset(srv):
    email = "invited%d@example.org" % int(time.time() * 1000)
    rc, out, _ = run(srv, "user", "add", email, "--role", "editor", "--name", "Ann")
    assert rc == 0, out
    link = re.search(r"/staff/setup/([A-Za-z0-9_-]{43})", out).group(1)
    s = Staff(srv)
    status, _, body, _ = s.get("/staff/setup/" + link)
    assert status == 200 and email in body
    for pw, again, why in (("short pass", "short pass", "12"), ("qwerty123456", "qwerty123456", "common"),
                           ("a fine long passphrase", "another one entirely", "not the same")):
        status, _, body, _ = s.post("/staff/setup/" + link, {"password": pw, "confirm": again})
        assert status == 422 and why in body, (pw, status, body[:400])
    pw = "a fine long passphrase 42"
    status, h, _, _ = s.post("/staff/setup/" + link, {"password": pw, "confirm": pw})
    assert status == 303 and "done=password" in h["location"]
    assert s.get("/staff/setup/" + link)[0] == 404  # used once
    s.login(email, pw)
    rc, out, _ = run(srv, "user", "reset", email)
    assert rc == 0 and "/staff/setup/" in out
    assert s.get("/staff")[0] == 303  # the session ended
    Staff(srv).login(email, pw, expect=401)  # and the old password no longer works


@test
@own_server
def cli_user_commands(srv):
    email, pw = new_account(srv, "moderator")
    rc, out, _ = run(srv, "user", "list")
    assert rc == 0 and email in out and "moderator" in out
    rc, _, err = run(srv, "user", "add", email, "--role", "editor", "--password-stdin", stdin=pw + "\n")
    assert rc == 1 and "already" in err
    rc, _, err = run(srv, "user", "add", "x@example.org", "--role", "boss")
    assert rc == 1 and "--role" in err
    rc, _, err = run(srv, "user", "add", "y@example.org", "--role", "editor", "--password-stdin", stdin="1qaz2wsx3edc\n")
    assert rc == 1 and "common" in err, err
    s = Staff(srv)
    s.login(email, pw)
    rc, _, _ = run(srv, "user", "role", email, "editor")
    assert rc == 0
    assert s.get("/staff")[0] == 303  # a role change ends the sessions
    rc, _, _ = run(srv, "user", "disable", email)
    assert rc == 0
    Staff(srv).login(email, pw, expect=401)
    rc, _, _ = run(srv, "user", "enable", email)
    Staff(srv).login(email, pw)


@test
@own_server
def two_factor_enrol_login_replay_and_recovery(srv):
    email, pw = new_account(srv, "editor")
    s = Staff(srv)
    s.login(email, pw)
    csrf = s.csrf()
    status, _, body, _ = s.post("/staff/account/two-factor", {"csrf": csrf, "action": "start"})
    assert status == 200 and "<svg" in body
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', body).group(1)
    status, _, body, _ = s.post("/staff/account/two-factor", {"csrf": csrf, "action": "confirm", "totp": "000000"})
    assert status == 422
    code = totp(secret)
    status, _, body, _ = s.post("/staff/account/two-factor", {"csrf": csrf, "action": "confirm", "totp": code})
    assert status == 200 and "recovery codes" in body.lower(), body[:600]
    codes = re.findall(r"<li><code>([^<]+)</code></li>", body)
    assert len(codes) == 10 and len(set(codes)) == 10
    # a new sign-in asks for the code; the code just used cannot be used again
    t = Staff(srv)
    status, _, body = t.login(email, pw, expect=200)
    assert 'name="totp"' in body
    step_csrf = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    status, _, body, _ = t.post("/staff/login/code", {"csrf": step_csrf, "totp": code})
    assert status == 401, status
    status, h, _, _ = t.post("/staff/login/code", {"csrf": step_csrf, "totp": codes[0]})
    assert status == 303 and t.get("/staff")[0] == 200
    # a recovery code works once
    u = Staff(srv)
    _, _, body = u.login(email, pw, expect=200)
    step_csrf = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
    assert u.post("/staff/login/code", {"csrf": step_csrf, "totp": codes[0]})[0] == 401
    nxt = totp(secret, step_offset=1)
    assert u.post("/staff/login/code", {"csrf": step_csrf, "totp": nxt})[0] == 303


@test
def admins_add_accounts_in_the_browser(srv):
    email, pw = new_account(srv, "admin")
    s = Staff(srv)
    s.login(email, pw)
    csrf = s.csrf("/staff/users")
    new = "browser%d@example.org" % int(time.time() * 1000)
    status, _, body, _ = s.post("/staff/users", {"csrf": csrf, "email": new, "role": "moderator"})
    assert status == 200 and "/staff/setup/" in body and new in body
    status, _, body, _ = s.post("/staff/users", {"csrf": csrf, "email": new, "role": "moderator"})
    assert status == 422 and "already" in body
    status, _, body, _ = s.post("/staff/users", {"csrf": csrf, "email": "not an email", "role": "moderator"})
    assert status == 422
    status, _, body, _ = s.post("/staff/users/change", {"csrf": csrf, "email": new, "action": "role", "role": "editor"})
    assert status == 200
    rc, out, _ = run(srv, "user", "list")
    assert re.search(re.escape(new) + r"\s+editor", out), out
