"""Helpers for the staff portal tests (suite_staff.py and the other staff
suites): accounts made with the real `waypost user` command, a browser-like
client that keeps the staff cookie, forms with their CSRF token, and TOTP
codes computed as RFC 6238 says (to check the server's, independently)."""
import base64
import hashlib
import hmac
import re
import struct
import subprocess
import time
import urllib.parse

from harness import BIN, ROOT

COOKIE = "__Host-waypost"
_n = [0]


def run(srv, *args, stdin=None):
    p = subprocess.run([BIN] + list(args) + ["--db", srv.db], cwd=ROOT, input=stdin, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def new_account(srv, role, password="correct horse battery staple 7"):
    """A fresh account with a password: (email, password)."""
    _n[0] += 1
    email = "%s%d.%d@example.org" % (role, _n[0], int(time.time() * 1000) % 100000)
    rc, out, err = run(srv, "user", "add", email, "--role", role, "--password-stdin", stdin=password + "\n")
    assert rc == 0, (rc, out, err)
    return email, password


def totp(secret_b32, t=None, step_offset=0):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    counter = int((t or time.time()) // 30) + step_offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class Staff:
    """A browser with the staff cookie (sent only to /staff and the API)."""

    def __init__(self, srv):
        self.srv = srv
        self.cookie = None

    def request(self, method, path, form=None, headers=None, raw_body=None):
        h = dict(headers or {})
        if self.cookie:
            h.setdefault("Cookie", "%s=%s" % (COOKIE, self.cookie))
        body = raw_body
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        status, hd, data, all_headers = self.srv.request(method, path, h, body)
        for k, v in all_headers:
            if k.lower() == "set-cookie" and v.startswith(COOKIE + "="):
                value = v.split(";", 1)[0].split("=", 1)[1]
                self.cookie = value or None
        return status, hd, data.decode("utf-8", "replace"), all_headers

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)

    def csrf(self, path="/staff/account"):
        status, _, body, _ = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        assert m, (status, body[:500])
        return m.group(1)

    def login(self, email, password, expect=303):
        status, h, body, _ = self.post("/staff/login", {"email": email, "password": password})
        assert status == expect, (status, body[:800])
        return status, h, body
