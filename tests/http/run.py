"""HTTP tests: drive the real waypost binary on a temporary database.

Each test_* function gets the shared server (or starts its own when it
needs other settings). Ends with "N passed, M failed"; exits 1 on failure."""
import glob
import html
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN, ROOT, SEED, Server, free_port, gunzip, status_of  # noqa: E402

SRV = None
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def content_paths():
    paths = []
    root = os.path.join(ROOT, "content")
    for f in sorted(glob.glob(os.path.join(root, "**", "*.md"), recursive=True)):
        rel = os.path.relpath(f, root)[:-3]
        if os.path.basename(rel) == "README":
            continue
        slug = None
        with open(f, encoding="utf-8") as fh:
            for line in fh.read().split("\n---", 1)[0].splitlines():
                if line.startswith("slug:"):
                    slug = line.split(":", 1)[1].strip()
        if slug:
            paths.append("/" + slug.lstrip("/"))
        elif rel == "index":
            paths.append("/")
        elif rel.endswith("/index"):
            paths.append("/" + rel[:-6])
        else:
            paths.append("/" + rel)
    return paths


SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


def check_security_headers(h):
    csp = h.get("content-security-policy", "")
    for part in ["default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]:
        assert part in csp, "CSP lacks %s: %s" % (part, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    for k, v in SECURITY.items():
        assert h.get(k) == v, "%s is %r" % (k, h.get(k))
    assert "permissions-policy" in h
    assert "set-cookie" not in h, "a public response set a cookie"


@test
def home_page_and_headers():
    st, h, body, _ = SRV.get("/")
    assert st == 200, st
    assert h["content-type"].startswith("text/html"), h["content-type"]
    check_security_headers(h)
    assert "strict-transport-security" not in h
    text = body.decode()
    for needle in ["Overdose: what to do now", "Find naloxone", "Find syringe services",
                   "Check a drug combination", "Find treatment", "Take the first step",
                   "What is harm reduction", 'class="skip"', 'id="wp-exit"', '<main id="wp-main"']:
        assert needle in text, "home lacks " + needle
    assert "<script>" not in text and "style=" not in text, "inline script or style"


@test
def every_content_page_opens():
    paths = content_paths()
    assert len(paths) >= 3, paths
    for p in paths:
        st, h, body, _ = SRV.get(p)
        assert st == 200, "%s -> %d" % (p, st)
        check_security_headers(h)
        text = body.decode()
        assert "<h1>" in text, p
        if p not in ("/", "/es"):
            # a page of content/es/ says it in Spanish (Fuentes, Última revisión)
            words = ("Última revisión", "Fuentes") if p.startswith("/es/") else ("Last reviewed", "Sources")
            assert words[0] in text and words[1] in text, "%s lacks sources or review date" % p


@test
def not_found_is_a_page_in_the_layout():
    st, h, body, _ = SRV.get("/no-such-page")
    assert st == 404
    assert h["content-type"].startswith("text/html")
    text = body.decode()
    assert 'href="/"' in text and "Go to the home page" in text
    assert 'id="wp-exit"' in text
    check_security_headers(h)


@test
def api_errors_are_json():
    st, h, body, _ = SRV.get("/api/v1/nothing-here")
    assert st == 404
    assert h["content-type"].startswith("application/json")
    assert b'"status":404' in body


@test
def method_not_allowed_has_allow_header():
    st, h, body, _ = SRV.request("POST", "/", body=b"x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 405, st
    assert h.get("allow") == "GET, HEAD", h.get("allow")
    st, h, _, _ = SRV.request("DELETE", "/about")
    assert st == 405 and "GET" in h.get("allow", "")


@test
def uri_too_long_414():
    raw = SRV.raw(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(raw) == 414, raw[:100]


@test
def headers_too_large_431():
    big = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"v" * 200) for i in range(50))
    raw = SRV.raw(b"GET / HTTP/1.1\r\nHost: x\r\n" + big + b"Connection: close\r\n\r\n")
    assert status_of(raw) == 431, raw[:100]


@test
def body_too_large_413():
    body = b"a" * 10000
    raw = SRV.raw(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\nConnection: close\r\n\r\n" + body)
    assert status_of(raw) == 413, raw[:100]


@test
def malformed_input_400():
    for path in ["/search?q=%zz", "/search?q=%ff%fe", "/search?q=a%00b", "/about%zz", "/%c0%af", "/search?q=%"]:
        st, h, body, _ = SRV.get(path)
        assert st == 400, "%s -> %d" % (path, st)
        assert b"Bad Request" in body or b"400" in body


@test
def path_traversal_never_serves_a_file():
    for path in ["/static/../Makefile", "/static/%2e%2e/Makefile", "/static/css/../../README.md",
                 "/static/..%2fMakefile", "/static/%2e%2e%2f%2e%2e%2fetc/passwd", "/../../etc/passwd"]:
        raw = SRV.raw(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
        st = status_of(raw)
        assert st in (404, 400), "%s -> %s" % (path, st)
        assert b"root:" not in raw and b"PKGS" not in raw, path


@test
def etag_and_304():
    st, h, body, _ = SRV.get("/about")
    etag = h.get("etag")
    assert st == 200 and etag, h
    st2, h2, body2, _ = SRV.get("/about", {"If-None-Match": etag})
    assert st2 == 304 and body2 == b"", st2
    assert h2.get("etag") == etag
    st3, _, _, _ = SRV.get("/about", {"If-None-Match": '"other"'})
    assert st3 == 200


@test
def head_sends_no_body():
    st, h, body, _ = SRV.get("/")
    st2, h2, body2, _ = SRV.request("HEAD", "/")
    assert st2 == 200 and body2 == b""
    assert h2.get("content-length") == str(len(body)), (h2.get("content-length"), len(body))
    raw = SRV.raw(b"HEAD /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert rest == b"", "HEAD sent a body"


@test
def gzip_when_accepted():
    st, h, plain, _ = SRV.get("/harm-reduction")
    st2, h2, zipped, _ = SRV.get("/harm-reduction", {"Accept-Encoding": "gzip, deflate"})
    assert len(plain) > 1024
    assert h2.get("content-encoding") == "gzip"
    assert "Accept-Encoding" in h2.get("vary", "")
    assert gunzip(zipped) == plain
    assert h.get("content-encoding") is None
    assert h2.get("etag") != h.get("etag")


@test
def static_assets_hashed_and_immutable():
    st, h, body, _ = SRV.get("/")
    m = re.search(rb'href="(/static/css/site\.[0-9a-f]{8}\.css)"', body)
    assert m, "no hashed stylesheet link"
    st, h, css, _ = SRV.get(m.group(1).decode(), {"Accept-Encoding": "gzip"})
    assert st == 200
    assert h["cache-control"] == "public, max-age=31536000, immutable"
    assert h["content-type"].startswith("text/css")
    assert h.get("content-encoding") == "gzip"
    with open(os.path.join(ROOT, "static/css/site.css"), "rb") as f:
        assert gunzip(css) == f.read()
    st, h, _, _ = SRV.get("/static/css/site.css")
    assert st == 200 and "immutable" not in h["cache-control"]
    st, h, _, _ = SRV.get(m.group(1).decode(), {"If-None-Match": h.get("etag", "")})
    assert st == 304


@test
def xss_is_escaped():
    payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
    import urllib.parse
    st, h, body, _ = SRV.get("/search?q=" + urllib.parse.quote(payload))
    assert st == 200
    text = body.decode()
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    st, h, body, _ = SRV.get("/" + urllib.parse.quote("<script>x</script>"))
    assert st == 404 and b"<script>x" not in body


@test
def search_finds_and_highlights():
    st, h, body, _ = SRV.get("/search?q=naloxone")
    assert st == 200
    text = body.decode()
    assert "<mark>" in text, "no highlighted term"
    assert 'href="/overdose"' in text or 'href="/harm-reduction' in text
    assert h.get("cache-control") == "no-store"
    st, h, body, _ = SRV.get("/search?q=nalox")
    assert b"<mark>" in body, "prefix search found nothing"
    st, h, body, _ = SRV.get("/search?q=zzqqxxnothing")
    assert st == 200 and b"Nothing on this site matches" in body
    st, _, _, _ = SRV.get("/search?q=naloxone&page=0")
    assert st == 400
    st, _, body, _ = SRV.get("/search?q=%22%29%28*%20OR%20NEAR")
    assert st == 200, "FTS syntax in a query must not break search"


@test
def healthz_and_metrics():
    st, h, body, _ = SRV.get("/healthz")
    assert st == 200 and b'"ok"' in body
    SRV.get("/about")
    text = SRV.metrics()
    # issue 17.9: live counts are not on the public port
    assert SRV.get("/metrics")[0] == 404
    assert re.search(r'waypost_http_requests_total\{route="page",status="200"\} \d+', text), text[:500]
    assert "waypost_http_request_duration_seconds_bucket{le=\"+Inf\"}" in text
    assert "waypost_http_requests_in_flight" in text and "waypost_db_errors_total 0" in text


@test
def no_cookie_anywhere():
    for p in ["/", "/about", "/search?q=x", "/no-such", "/healthz"]:
        _, h, _, all_headers = SRV.get(p)
        assert not any(k.lower() == "set-cookie" for k, _ in all_headers), p


@test
def idle_connections_do_not_block():
    socks = []
    try:
        for _ in range(200):
            socks.append(socket.create_connection(("127.0.0.1", SRV.port), timeout=5))
        t0 = time.time()
        st, _, _, _ = SRV.get("/", )
        assert st == 200
        assert time.time() - t0 < 5, "a normal request waited behind idle connections"
    finally:
        for s in socks:
            s.close()


@test
def access_log_has_no_client_address():
    SRV.get("/about")
    lines = [l for l in SRV.read_log().splitlines() if " access " in l]
    assert lines, "no access log lines"
    assert not any("127.0.0.1" in l for l in lines), lines[-1]
    assert any(re.search(r"access GET page 200 \d+ \d+ms", l) for l in lines), lines[-3:]


@test
def slow_client_is_dropped():
    s2 = Server("--limits-timeout_seconds", "1")
    try:
        s = socket.create_connection(("127.0.0.1", s2.port), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        data = s.recv(4096)
        waited = time.time() - t0
        assert data == b"" or status_of(data) == 408, data[:80]
        assert waited < 8, waited
        s.close()
    finally:
        s2.cleanup()


def raw_exchange(port, data, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        out += b"<timeout>"
    s.close()
    return out


@test
def ambiguous_framing_is_refused_and_closed():
    """Issue 17.11: Content-Length with Transfer-Encoding, two different
    Content-Lengths, or an unknown transfer coding get 400 and the
    connection closed (an unknown coding used to hang); errors under /api/
    are JSON even before the path is understood (414, .. paths)."""
    form = (b"POST /self-check/audit-c HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n")
    cases = [form + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nq1=1\r\n0\r\n\r\n",
             form + b"Content-Length: 4\r\nContent-Length: 5\r\n\r\nq1=1",
             form + b"Transfer-Encoding: gzip\r\n\r\nq1=1"]
    for raw in cases:
        out = raw_exchange(SRV.port, raw)
        assert status_of(out) == 400, out[:200]
        assert b"<timeout>" not in out, "the connection was left open"
        assert b"connection: close" in out.lower()
    out = raw_exchange(SRV.port, b"GET /api/v1/services?" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(out) == 414 and b"application/json" in out and b'"status":414' in out, out[:300]
    out = raw_exchange(SRV.port, b"GET /api/v1/../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(out) in (400, 404) and b"application/json" in out, out[:300]


@test
def shutdown_drains_for_drain_seconds_only():
    """Issue 17.10: SIGTERM lets requests in flight finish for drain_seconds,
    then cuts them off and exits 0 (a stuck request used to hold it)."""
    s2 = Server("--server-drain_seconds", "1")
    s = socket.create_connection(("127.0.0.1", s2.port), timeout=10)
    # a form whose body never comes: in flight until the client gives up
    s.sendall(b"POST /self-check/audit-c HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: 100\r\n\r\nq1=")
    time.sleep(0.3)
    t0 = time.time()
    rc = s2.stop(signal.SIGTERM)
    took = time.time() - t0
    s.close()
    log = s2.read_log()
    assert rc == 0, "exit status %s\n%s" % (rc, log[-500:])
    assert took < 5, "took %.1f s" % took
    assert "stopped after 1s with 1 requests unfinished" in log, log[-300:]
    s2.cleanup()


@test
def graceful_shutdown_exits_zero():
    s2 = Server()
    st, _, _, _ = s2.get("/healthz")
    assert st == 200
    results = {}

    def slow():
        # a request whose body arrives after SIGTERM is sent: must still be answered
        s = socket.create_connection(("127.0.0.1", s2.port), timeout=10)
        s.sendall(b"GET /about HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5)
        s.sendall(b"Connection: close\r\n\r\n")
        results["raw"] = s.recv(100000)
        s.close()

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.2)
    rc = s2.stop(signal.SIGTERM)
    t.join()
    assert rc == 0, "exit status %s\n%s" % (rc, s2.read_log()[-500:])
    assert status_of(results.get("raw", b"")) == 200, results.get("raw", b"")[:80]
    assert "stopped cleanly" in s2.read_log()
    s2.cleanup()


@test
def hsts_when_configured():
    s2 = Server(config_text="[server]\nhsts = true\n")
    try:
        _, h, _, _ = s2.get("/")
        assert h.get("strict-transport-security", "").startswith("max-age=")
    finally:
        s2.cleanup()



def api(path):
    import json
    st, h, body, _ = SRV.get(path)
    assert h["content-type"].startswith("application/json"), h["content-type"]
    return st, json.loads(body)


LEVEL_ORDER = ["dangerous", "unsafe", "caution", "unknown", "low-risk-synergy", "low-risk-no-synergy",
               "low-risk-decrease"]


@test
def combos_api_contract():
    st, j = api("/api/v1/combos?substances=molly,Xanax,%20tranq,Booze")
    assert st == 200, j
    assert [s["slug"] for s in j["substances"]] == ["mdma", "benzodiazepines", "xylazine", "alcohol"]
    assert [s["query"] for s in j["substances"]] == ["molly", "Xanax", "tranq", "Booze"]
    assert len(j["pairs"]) == 6
    for p in j["pairs"]:
        assert set(p) == {"a", "b", "same", "level", "summary", "advice", "sources"}, p.keys()
        assert p["same"] is False
        assert p["level"] in LEVEL_ORDER and p["summary"] and p["advice"]
        if not p["level"].startswith("low-risk"):
            assert p["sources"] and all("title" in s for s in p["sources"]), p
    ranks = [LEVEL_ORDER.index(p["level"]) for p in j["pairs"]]
    assert ranks == sorted(ranks), "pairs are not worst first: %s" % ranks
    st, j2 = api("/api/v1/combos?substances=mdma&substances=benzodiazepines,xylazine,alcohol")
    assert st == 200 and j2["pairs"] == j["pairs"]


@test
def combos_api_errors():
    st, j = api("/api/v1/combos?substances=fentanil,xanax")
    assert st == 400 and j["error"]["unknown"] == "fentanil", j
    assert j["error"]["suggestions"][0]["slug"] == "fentanyl", j
    assert len(j["error"]["suggestions"]) <= 3
    st, j = api("/api/v1/combos?substances=xanax")
    assert st == 400 and "2 to 6" in j["error"]["message"]
    st, j = api("/api/v1/combos?substances=a,b,c,d,e,f,g")
    assert st == 400 and "2 to 6" in j["error"]["message"], j
    st, j = api("/api/v1/combos")
    assert st == 400
    st, j = api("/api/v1/combos?substances=%ff,x")
    assert st == 400


@test
def combos_same_substance_or_class():
    """Two names of one substance or class answer with its "self" cell (issue 15), not a 400."""
    st, j = api("/api/v1/combos?substances=lsd,shrooms")
    assert st == 200, j
    assert [s["slug"] for s in j["substances"]] == ["psychedelics", "psychedelics"]
    assert len(j["pairs"]) == 1 and j["pairs"][0]["same"] is True, j
    p = j["pairs"][0]
    assert p["a"] == p["b"] == "psychedelics" and p["level"] == "low-risk-synergy" and "strong" in p["summary"]
    st, j = api("/api/v1/combos?substances=xanax,valium,fent")
    assert st == 200 and [p["same"] for p in j["pairs"]] == [False, True], j  # dangerous first, then unsafe
    assert {(p["a"], p["b"]) for p in j["pairs"]} == {("benzodiazepines", "benzodiazepines"),
                                                       ("fentanyl", "benzodiazepines")}, j
    st, j = api("/api/v1/combos?substances=molly,mdma")
    assert st == 200 and j["pairs"][0]["same"] is True and j["pairs"][0]["level"] == "caution", j
    st, h, body, _ = SRV.get("/combos?s=acid&s=magic+mushrooms")
    text = body.decode()
    assert st == 200 and "LSD and psilocybin, two of the same kind" in text, text[-2000:]
    # a hospital sedative is not the street adulterant: the answer says so
    st, j = api("/api/v1/combos?substances=precedex,fentanyl")
    assert st == 200 and j["substances"][0]["slug"] == "medetomidine", j
    assert "not the street drug" in j["substances"][0]["note"] and "note" not in j["substances"][1], j
    st, h, body, _ = SRV.get("/combos?s=dexmedetomidine&s=fentanyl")
    assert st == 200 and b"not the street drug" in body and b'role="note"' in body
    # the shared link and the search offer keep the look-alike's own name, so its note stays
    assert b"/combos?substances=dexmedetomidine%2Cfentanyl" in body
    st, h, body, _ = SRV.get("/search?q=precedex+and+fentanyl")
    assert st == 200 and b"/combos?substances=precedex%2Cfentanyl" in body, body[-3000:]
    # the API's OpenAPI document describes the answer
    st, doc = api("/api/v1/openapi.json")
    pair = doc["components"]["schemas"]["ComboResult"]["properties"]["pairs"]["items"]
    assert "same" in pair["required"] and "/combos" in doc["paths"] and "/substances" in doc["paths"]
    assert "note" in doc["components"]["schemas"]["ComboResult"]["properties"]["substances"]["items"]["properties"]


@test
def substances_api_lists_all():
    st, j = api("/api/v1/substances")
    assert st == 200 and len(j["substances"]) >= 25
    slugs = set()
    for s in j["substances"]:
        assert set(s) == {"slug", "name", "group", "aliases"}
        slugs.add(s["slug"])
    for need in ["fentanyl", "xylazine", "medetomidine", "nitazenes", "carfentanil", "buprenorphine", "methadone",
                 "ssris-snris", "maois", "antipsychotics", "lithium", "adhd-stimulants", "other-opioids"]:
        assert need in slugs, need
    for s in j["substances"][:5]:
        for alias in s["aliases"][:3] + [s["name"], s["slug"].upper()]:
            import urllib.parse
            other = "alcohol" if s["slug"] != "alcohol" else "cannabis"
            st, r = api("/api/v1/combos?substances=%s,%s" % (urllib.parse.quote(alias), other))
            assert st == 200 and r["substances"][0]["slug"] == s["slug"], (alias, r)


@test
def combos_page_without_javascript():
    st, h, body, _ = SRV.get("/combos?s=percs&s=bars&s=&s=booze")
    text = body.decode()
    assert st == 200
    assert "Dangerous" in text and 'class="pair"' in text
    assert "Don&#39;t use alone" in text or "Don't use alone" in text
    assert "/combos?substances=prescription-opioids%2Cbenzodiazepines%2Calcohol" in text
    # the level icons come under their hashed, year-cached names
    assert len(re.findall(r'src="/static/img/levels/[a-z-]+\.[0-9a-f]{8,}\.svg"', text)) >= 3
    for lvl in LEVEL_ORDER:
        assert re.search(r"/static/img/levels/%s\.[0-9a-f]{8,}\.svg" % lvl, text), lvl
    # the answer comes before the form, the level and pair are one heading
    assert text.index('id="wp-results"') < text.index('class="combo-form"')
    assert re.search(r'<h3>[^\n]*Dangerous</span>: [^<]+ \+ [^<]+</h3>', text)
    assert 'href="#wp-check">Check another mix</a>' in text
    st, h, body, _ = SRV.get("/combos?s=fentanil&s=xanax")
    assert st == 400 and b"Did you mean" in body and b"Fentanyl" in body
    st, h, body, _ = SRV.get("/combos?substances=cannabis,psychedelics")
    assert st == 200 and b"slows breathing" not in body
    st, h, body, _ = SRV.get("/combos")
    assert st == 200 and b'list="wp-substance-names"' in body


@test
def fact_sheets_list_their_combinations():
    st, h, body, _ = SRV.get("/substances/fentanyl")
    text = body.decode()
    assert st == 200 and "with other drugs" in text
    assert "/combos?substances=fentanyl%2Cbenzodiazepines" in text
    assert "Local drug alerts" in text
    first = text.index('class="level level-')
    assert 'level-dangerous' in text[first:first + 40]


@test
def home_page_weighs_under_30kb():
    st, h, body, _ = SRV.get("/", {"Accept-Encoding": "gzip"})
    total = len(body)
    html = gunzip(body) if h.get("content-encoding") == "gzip" else body
    for m in re.finditer(rb'<link rel="stylesheet" href="([^"]+)"', html):
        _, h2, css, _ = SRV.get(m.group(1).decode(), {"Accept-Encoding": "gzip"})
        total += len(css)
    assert total <= 30 * 1024, "home page is %d bytes" % total
    print("     home page HTML + CSS, gzip: %d bytes" % total)



@test
def data_page_charts_and_tables():
    st, h, body, _ = SRV.get("/data")
    text = body.decode()
    assert st == 200
    assert text.count('<svg class="chart"') == 3, text.count('<svg class="chart"')
    for cid in ["chart-us", "chart-states", "chart-ages"]:
        assert 'aria-labelledby="%s-t %s-d"' % (cid, cid) in text, cid
        assert '<desc id="%s-d">' % cid in text
    assert "Peak: " in text and "Latest: " in text
    assert text.count("<table") >= 4 and "<caption>" in text
    assert "style=" not in text
    m = re.search(r"peak of ([\d,]+) in the year ending (\w+ \d{4})", text)
    assert m, "the chart description does not name the peak"
    for name in ["overdose-deaths-us.csv", "overdose-deaths-by-state.csv", "drug-poisoning-by-age.csv"]:
        assert 'href="/data/%s"' % name in text
        st, h, csv_body, _ = SRV.get("/data/" + name)
        assert st == 200 and h["content-type"].startswith("text/csv"), (name, st)
        lines = csv_body.decode().strip().split("\n")
        assert len(lines) > 10 and "," in lines[0], name
    st, _, _, _ = SRV.get("/data/nope.csv")
    assert st == 404


@test
def stats_block_lives_on_data_with_years_and_sources():
    # issue 15: the facts block is shown once, on /data, with its sources;
    # / and /harm-reduction link to it; every chart caption has its years.
    _, _, body, _ = SRV.get("/data")
    text = body.decode()
    assert text.count('id="wp-facts"') == 1 and "105,007" in text, "no facts block on /data"
    assert "National Survey on Drug Use and Health" in text, "the facts' sources are not listed on /data"
    caps = re.findall(r"<figcaption>(.*?)</figcaption>", text, re.S)
    assert len(caps) == 3 and all("Source:" in c and re.search(r"\b(19|20)\d\d\b", c) for c in caps), caps
    for path in ("/", "/harm-reduction"):
        _, _, body, _ = SRV.get(path)
        page = body.decode()
        assert 'id="wp-facts"' not in page and 'href="/data#wp-facts"' in page, path


@test
def import_stats_updates_charts_and_refuses_bad_files():
    s2 = Server()
    try:
        _, _, before, _ = s2.get("/data")
        d = tempfile.mkdtemp()
        good = os.path.join(d, "good.csv")
        with open(good, "w") as f:
            f.write("state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n")
            for m in range(1, 13):
                f.write("US,2030,M,2030-%02d,Number of Drug Overdose Deaths,%d,%d,test\n" % (m, 1000 * m, 1000 * m + 7))
        bad = os.path.join(d, "bad.csv")
        with open(bad, "w") as f:
            f.write("state,year,month,period_end,indicator,reported_12mo_deaths,predicted_12mo_deaths,footnote\n")
            f.write("US,2031,January,2031-01,x,12,13,f\nUS,2031,February,2031-02,x,twelve,13,f\n")
        rc, out, err = run_cli("import", "stats", bad, "--db", s2.db)
        assert rc != 0 and "row 3, column 6" in err and "nothing was changed" in err, err
        _, _, same, _ = s2.get("/data")
        assert same == before, "a refused import changed the page"
        rc, out, err = run_cli("import", "stats", good, "--db", s2.db)
        assert rc == 0 and "12 kept" in out, (out, err)
        _, _, after, _ = s2.get("/data")
        assert b"Peak: 12,007 (Dec 2030)" in after, "the chart did not follow the new file"
    finally:
        s2.cleanup()


@test
def recovery_table_filters_and_sorts():
    st, h, body, _ = SRV.get("/recovery")
    text = body.decode()
    assert st == 200
    total = int(re.search(r"Showing (\d+) of (\d+) pathways", text).group(2))
    assert total >= 22, total
    # issue 15: the family pathways and recovery housing are in the table
    for name in ["SMART Recovery", "LifeRing", "Contingency management", "CRAFT (Community Reinforcement",
                 "Family support groups", "Recovery housing"]:
        assert name.lower() in text.lower(), name
    st, h, body, _ = SRV.get("/recovery?type=medication")
    text = body.decode()
    shown = int(re.search(r"Showing (\d+) of", text).group(1))
    assert 1 <= shown < total
    rows = re.findall(r'<tr><th scope="row"><a href="(/recovery/[^"]+)">', text)
    assert len(rows) == shown and any("moud" in r for r in rows), rows
    st, h, body, _ = SRV.get("/recovery?sort=evidence&dir=asc")
    ev = re.findall(r"<td><strong>(\w+)</strong>", body.decode())
    order = ["strong", "moderate", "emerging", "limited"]
    ranks = [order.index(e) for e in ev]
    assert ranks == sorted(ranks), ev
    st, h, body, _ = SRV.get("/recovery?sort=evidence&dir=desc")
    ev2 = re.findall(r"<td><strong>(\w+)</strong>", body.decode())
    assert [order.index(e) for e in ev2] == sorted(ranks, reverse=True)
    assert 'aria-sort="descending"' in body.decode()
    st, _, _, _ = SRV.get("/recovery?type=magic")
    assert st == 400
    st, _, _, _ = SRV.get("/recovery?sort=price")
    assert st == 400
    st, h, body, _ = SRV.get("/recovery/moud")
    assert st == 200 and b"Evidence" in body and b'href="/find/treatment"' in body


@test
def first_step_choices():
    st, h, body, _ = SRV.get("/first-step")
    text = body.decode()
    assert st == 200
    for anchor in ["i-m-in-crisis", "stay-safer-while-still-using", "cut-down", "stop", "help-someone-else"]:
        assert 'href="#%s"' % anchor in text and 'id="%s"' % anchor in text, anchor
    crisis = text[text.index('id="i-m-in-crisis"'):]
    assert "988" in crisis[:600] and "911" in crisis[:800], crisis[:800]



def post_form(srv, path, fields):
    import urllib.parse
    body = urllib.parse.urlencode(fields).encode()
    return srv.request("POST", path, {"Content-Type": "application/x-www-form-urlencoded"}, body)


@test
def self_checks_score_and_store_nothing():
    st, h, body, _ = SRV.get("/self-check")
    text = body.decode()
    assert st == 200
    for slug in ["audit-c", "audit", "dast-10", "taps-1"]:
        assert 'href="/self-check/%s"' % slug in text, slug
    st, h, body, _ = SRV.get("/self-check/audit")
    assert st == 200 and body.count(b'type="radio"') >= 40 and h.get("cache-control") == "no-store"
    answers = {"q%d" % i: "2" for i in range(1, 9)}
    answers.update({"q9": "1", "q10": "1"})  # 2*8 + 2 + 2 = 20
    st, h, body, all_headers = post_form(SRV, "/self-check/audit", answers)
    text = body.decode()
    assert st == 200, text[:300]
    assert "Your score: <strong>20</strong> out of 40" in text
    assert "possible dependence" in text.lower()
    # said once, not in a notice that repeats the data's own sentence
    assert text.lower().count("not a diagnosis") == 1, text.lower().count("not a diagnosis")
    assert h.get("cache-control") == "no-store"
    assert not any(k.lower() == "set-cookie" for k, _ in all_headers)
    answers["q10"] = "0"  # 18
    _, _, body, _ = post_form(SRV, "/self-check/audit", answers)
    assert b"Your score: <strong>18</strong>" in body and b"higher risk" in body.lower()
    # the pathways the advice names are links (Zone III: recovery pathways, naltrexone)
    assert b'<a href="/recovery/maud">naltrexone</a>' in body
    assert b'<a href="/recovery">Recovery pathways</a>' in body


@test
def self_check_errors_give_the_form_back():
    answers = {"q1": "1", "q2": "1"}
    st, h, body, _ = post_form(SRV, "/self-check/audit", answers)
    text = body.decode()
    assert st == 400
    assert "Answer question 3" in text and "Answer question 10" in text
    assert "Your score" not in text
    assert 'id="q1-1" name="q1" value="1" checked' in text, "kept answers are lost"
    answers = {"q%d" % i: "0" for i in range(1, 11)}
    answers["q5"] = "9"
    st, h, body, _ = post_form(SRV, "/self-check/audit", answers)
    assert st == 400 and b"Answer question 5" in body and b"Your score" not in body
    st, h, body, _ = post_form(SRV, "/self-check/audit-c", {"q1": "1", "q2": "1", "q3": "1"})
    assert st == 400 and b"sex assigned at birth" in body
    st, h, body, _ = post_form(SRV, "/self-check/audit-c", {"q1": "1", "q2": "1", "q3": "1", "sex": "female"})
    assert st == 200 and b"positive screen" in body, body[-2000:]
    st, h, body, _ = post_form(SRV, "/self-check/audit-c", {"q1": "1", "q2": "1", "q3": "1", "sex": "male"})
    assert st == 200 and b"negative screen" in body
    st, _, _, _ = SRV.get("/self-check/nope")
    assert st == 404
    big = {"q1": "1" * 5000}
    st, _, _, _ = post_form(SRV, "/self-check/audit", big)
    assert st == 413
    log = SRV.read_log()
    assert "q1=" not in log and "audit" not in "".join(l for l in log.splitlines() if " access " in l).replace("selfcheck_form", "")


@test
def taps_names_the_substances():
    st, h, body, _ = post_form(SRV, "/self-check/taps-1", {"q1": "0", "q2": "2", "q3": "0", "q4": "0"})
    text = body.decode()
    assert st == 200
    result = text[text.index("closer look"):]
    assert "<li>alcohol</li>" in result and "<li>tobacco</li>" not in result, result[:400]



@test
def self_check_keeps_answers_beyond_twelve():
    """A questionnaire of 16 questions (the most the loader allows): every
    answer reaches the scorer (the route once kept only q1-q12)."""
    import json
    d = tempfile.mkdtemp()
    copy_site(d)
    path = os.path.join(d, "data", "selfchecks.json")
    with open(path) as f:
        data = json.load(f)
    base = next(c for c in data["checks"] if c["slug"] == "dast-10")
    long_check = json.loads(json.dumps(base))
    long_check.update(slug="long-check", name="Long", title="A long check")
    ids = ["q%d" % i for i in range(1, 17)]
    long_check["questions"] = [dict(base["questions"][0], id=i) for i in ids]
    long_check["bands"] = [dict(base["bands"][0], min=0, max=16)]
    data["checks"].append(long_check)
    with open(path, "w") as f:
        json.dump(data, f)
    s2 = Server(*site_flags(d))
    try:
        answers = {i: "0" for i in ids}
        answers.update({"q13": "1", "q14": "1", "q16": "1"})
        st, _, body, _ = post_form(s2, "/self-check/long-check", answers)
        assert st == 200, body[-1500:]
        assert b"Your score: <strong>3</strong> out of 16" in body, body[-1500:]
        del answers["q13"]
        st, _, body, _ = post_form(s2, "/self-check/long-check", answers)
        assert st == 400 and b"Answer question 13" in body
    finally:
        s2.cleanup()


@test
def bad_parameters_get_400_naming_the_key():
    """The route's spec is checked before the handler: a page answers in
    the layout, the API in JSON with "parameter"."""
    cases = [
        ("/search?q=naloxone&page=abc", b"page must be a whole number from 1 to 1000."),
        ("/search?q=" + "x" * 201, b"q must be at most 200 characters."),
        ("/find?where=10001&radius=9999", b"radius must be a whole number from 1 to 500."),
        ("/find/naloxone?where=10001&page=51", b"page must be a whole number from 1 to 50."),
        ("/recovery?dir=sideways", b"dir must be one of: asc/desc."),
    ]
    for path, message in cases:
        st, h, body, _ = SRV.get(path)
        assert st == 400 and message in body, (path, st, body[-600:])
        assert h["content-type"].startswith("text/html") and b'id="wp-main"' in body, path  # in the layout
    st, j = api("/api/v1/services?per_page=abc")
    assert st == 400 and j["error"]["parameter"] == "per_page", j
    assert j["error"]["message"] == "per_page must be a whole number from 1 to 100.", j
    st, j = api("/api/v1/taxonomy_terms?format=xml")
    assert st == 400 and j["error"]["parameter"] == "format" and "json" in j["error"]["message"], j
    st, j = api("/api/v1/combos?" + "&".join(["substances=alcohol"] * 17))
    assert st == 400 and j["error"]["parameter"] == "substances", j


@test
def unknown_keys_are_dropped_and_blank_form_fields_are_not_given():
    _, _, plain, _ = SRV.get("/search?q=naloxone")
    st, _, body, _ = SRV.get("/search?q=naloxone&utm_source=x&page=&fbclid=y")
    assert st == 200 and body == plain
    _, _, plain, _ = SRV.get("/find?what=naloxone&where=10001")
    st, _, body, _ = SRV.get("/find?what=naloxone&where=10001&radius=&page=&lang=&open=&ref=z")
    assert st == 200 and miles(plain.decode()) and miles(body.decode()) == miles(plain.decode())
    # the API checks a blank value like any other, and drops unknown keys
    st, j = api("/api/v1/services?page=")
    assert st == 400 and j["error"]["parameter"] == "page", j
    st, j = api("/api/v1/services?per_page=1&utm_source=x")
    assert st == 200 and j["size"] == 1


def copy_site(dst):
    import shutil
    for d in ["content", "templates", "static", "data"]:
        if d == "data":
            os.makedirs(os.path.join(dst, d, "stats"), exist_ok=True)
            shutil.copy(os.path.join(ROOT, d, "selfchecks.json"), os.path.join(dst, d, "selfchecks.json"))
            for sub in ["interactions", "taxonomy", "vocab", "passwords", "by-mail", "alerts"]:
                shutil.copytree(os.path.join(ROOT, d, sub), os.path.join(dst, d, sub))
            os.makedirs(os.path.join(dst, d, "geo"), exist_ok=True)
            shutil.copy(os.path.join(ROOT, "data/geo/zcta2020_centroids.csv"), os.path.join(dst, "data/geo"))
            shutil.copy(os.path.join(ROOT, "data/geo/us-states.json"), os.path.join(dst, "data/geo"))
            shutil.copy(os.path.join(ROOT, "data/geo/places.tsv"), os.path.join(dst, "data/geo"))
            for f in os.listdir(os.path.join(ROOT, "data", "stats")):
                shutil.copy(os.path.join(ROOT, "data", "stats", f), os.path.join(dst, "data", "stats", f))
        else:
            shutil.copytree(os.path.join(ROOT, d), os.path.join(dst, d))


def site_flags(dst):
    return ["--server-content_dir", dst + "/content", "--server-templates_dir", dst + "/templates",
            "--server-static_dir", dst + "/static", "--server-data_dir", dst + "/data"]


@test
def dev_mode_reloads_templates_and_content():
    d = tempfile.mkdtemp()
    copy_site(d)
    s2 = Server(*(site_flags(d) + ["--dev"]))
    try:
        _, _, body, _ = s2.get("/about")
        assert b"Reloaded marker" not in body
        time.sleep(1.1)
        with open(os.path.join(d, "content", "about.md"), "a") as f:
            f.write("\nReloaded marker paragraph.\n")
        with open(os.path.join(d, "templates", "layout.mustache")) as f:
            layout = f.read()
        with open(os.path.join(d, "templates", "layout.mustache"), "w") as f:
            f.write(layout.replace("Skip to main content", "Skip to the content"))
        found = False
        for _ in range(30):
            time.sleep(0.2)
            _, _, body, _ = s2.get("/about")
            if b"Reloaded marker paragraph" in body and b"Skip to the content" in body:
                found = True
                break
        assert found, "--dev did not pick up the changes"
        _, _, body, _ = s2.get("/search?q=reloaded")
        assert b'href="/about"' in body, "the search index was not rebuilt"
        with open(os.path.join(d, "templates", "layout.mustache"), "w") as f:
            f.write("{{#broken}")
        time.sleep(1.2)
        st, _, body, _ = s2.get("/about")
        assert st == 200 and b"Skip to the content" in body, "a broken template replaced a working one"
        assert "reload failed" in s2.read_log()
    finally:
        s2.cleanup()


@test
def broken_vocabularies_stop_the_server():
    """The taxonomy, shortcuts, menu and pathway filters are checked at
    start: a bad entry stops `serve` with the file and the entry named."""
    import json
    import shutil
    d = tempfile.mkdtemp()
    cases = [
        ("taxonomy/waypost.json", lambda t: t["attributes"][0].update(bit=3),
         'attributes[0] "free": bit 3 is already the bit of "test-strips"'),
        ("vocab/finder-shortcuts.json", lambda t: t["shortcuts"][1].update(code="syringe"),
         'shortcuts[1] "syringes": the code "syringe" is not in the Waypost taxonomy'),
        ("vocab/navigation.json", lambda t: t["items"][2].pop("label"), 'items[2] "/harm-reduction": no label'),
        ("vocab/pathway-filters.json", lambda t: t["filters"][3]["values"].append("Free"),
         'filters[3] "cost": the value "Free" is listed twice'),
        ("vocab/areas.json", lambda t: t["areas"].append({"slug": "east", "name": "East", "zips": ["9721"]}),
         'areas[0] "east": zips[0] is not a five-digit ZIP code'),
    ]
    try:
        copy_site(d)
        db = os.path.join(d, "v.db")
        for rel, spoil, want in cases:
            path = os.path.join(d, "data", rel)
            with open(path, encoding="utf-8") as f:
                good = f.read()
            doc = json.loads(good)
            spoil(doc)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            rc, _, err = run_cli("serve", "--db", db, "--listen", "127.0.0.1:%d" % free_port(), *site_flags(d))
            with open(path, "w", encoding="utf-8") as f:
                f.write(good)
            assert rc != 0, rel + " did not stop the server"
            assert path + ": " + want in err, err
        s2 = Server(*site_flags(d), db=db)
        try:
            st, _, body, _ = s2.get("/find")
            assert st == 200 and b'<a href="/find/syringes">Find syringe services</a>' in body
        finally:
            s2.cleanup()
    finally:
        shutil.rmtree(d, ignore_errors=True)


@test
def theme_dir_overrides_templates_and_static():
    d = tempfile.mkdtemp()
    os.makedirs(os.path.join(d, "templates", "partials"))
    os.makedirs(os.path.join(d, "static", "css"))
    with open(os.path.join(ROOT, "templates", "layout.mustache")) as f:
        layout = f.read()
    with open(os.path.join(d, "templates", "layout.mustache"), "w") as f:
        f.write(layout.replace("<footer class=\"foot\">", "<footer class=\"foot\"><p>Harbor theme footer</p>"))
    with open(os.path.join(d, "static", "css", "site.css"), "w") as f:
        f.write("body { color: #111; } /* harbor theme */\n")
    s2 = Server("--server-theme_dir", d, "--site-color_primary", "#224466", "--site-site_name", "Harbor <Help>")
    try:
        _, _, body, _ = s2.get("/")
        text = body.decode()
        assert "Harbor theme footer" in text
        assert "Harbor &lt;Help&gt;" in text and "Harbor <Help>" not in text
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', text).group(1)
        _, _, cbody, _ = s2.get(css)
        assert b"harbor theme" in cbody
        theme = re.search(r'href="(/static/theme\.[0-9a-f]+\.css)"', text).group(1)
        _, _, tbody, _ = s2.get(theme)
        assert b"--brand:#224466" in tbody
    finally:
        s2.cleanup()


@test
def every_page_is_found_by_search():
    missed = []
    import urllib.parse
    for path in content_paths():
        if path in ("/", "/facts", "/es", "/es/facts"):  # the home page's <h1> is the site's tagline
            continue
        _, _, body, _ = SRV.get(path)
        title = html.unescape(re.search(rb"<h1>(.*?)</h1>", body).group(1).decode())
        words = [w for w in re.findall(r"\w+", title) if len(w) > 3][:3] or [title]
        # a page of content/es/ is found by the Spanish search, the others by the English one
        search = "/es/search" if path.startswith("/es/") else "/search"
        _, _, res, _ = SRV.get(search + "?q=" + urllib.parse.quote(" ".join(words)))
        if ('href="%s"' % path).encode() not in res:
            missed.append((path, words))
    assert not missed, missed


@test
def emergency_number_comes_from_config():
    import json
    s2 = Server("--site-emergency_number", "112")
    try:
        _, _, body, _ = s2.get("/overdose")
        text = body.decode()
        steps = text[text.index("<ol>"):text.index("</ol>")]
        assert "Call 112" in steps and "911" not in steps, steps[:300]
        # "Call 112" is a tap-to-call link in the steps and in the footer
        assert 'href="tel:112"' in steps, steps[:300]
        assert 'In an emergency <a href="tel:112">call 112</a>' in text
        # The combination checker's advice comes from data that writes
        # {{emergency_number}}: the API and the page say 112, never 911.
        st, _, body, _ = s2.get("/api/v1/combos?substances=fentanyl,heroin,naloxone,xylazine")
        advice = " ".join(p["advice"] for p in json.loads(body)["pairs"])
        assert st == 200 and "call 112" in advice and "911" not in body.decode(), advice[:300]
        st, _, body, _ = s2.get("/combos?substances=fentanyl,heroin,naloxone,xylazine")
        text = body.decode()
        assert st == 200 and "call 112" in text and "911" not in text and "{{" not in text
    finally:
        s2.cleanup()
    rc, _, err = run_cli("serve", "--site-emergency_number", "9<1>1", "--db", "/tmp/x.db")
    assert rc != 0 and "emergency_number" in err



def miles(text):
    return [float(x) for x in re.findall(r"<strong>([\d.]+) miles</strong>", text)]


@test
def find_naloxone_nearest_first():
    st, h, body, _ = SRV.get("/find/naloxone?where=10001")
    text = body.decode()
    assert st == 200 and h.get("cache-control") == "no-store"
    d = miles(text)
    assert len(d) >= 2 and d == sorted(d), d
    assert '<span class="badge">Example</span>' in text and "not a real service" in text
    assert "call ahead to confirm" in text
    assert 'href="tel:' in text and 'href="geo:' in text
    # a card: one Call button, Directions, at most three services
    for card in re.findall(r'<li class="listing".*?</li>\n', text, re.S)[:5]:
        assert card.count('href="tel:') <= 1 and card.count('class="btn') <= 2, card
        chips = re.search(r'<ul class="chips"[^>]*>(.*?)</ul>', card, re.S)
        assert not chips or chips.group(1).count("<li>") <= 3, card
    sid = re.search(r'href="/services/([0-9a-f-]+)"', text).group(1)
    _, _, item, _ = SRV.get("/services/" + sid)
    assert b"openstreetmap.org" in item and b'class="btn" href="tel:' in item
    svg = text[text.index('<svg xmlns="http://www.w3.org/2000/svg" class="map"'):]
    svg = svg[:svg.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and svg.count('class="pin"') == len(d), "map pins"
    assert "style=" not in svg
    st, _, body2, _ = SRV.get("/find?what=naloxone&where=40.7506,-73.9972")
    assert st == 200 and miles(body2.decode())[:3] == d[:3]
    st, _, body3, _ = SRV.get("/find/treatment?where=99501&radius=25")
    assert st == 200 and b"Anchorage" in body3 and b"Listed by SAMHSA, 2017" in body3


@test
def find_errors_are_clear():
    st, _, body, _ = SRV.get("/find?where=00000")
    assert st == 400 and b"We do not know that ZIP code" in body and b'id="f-where"' in body
    st, _, body, _ = SRV.get("/find?where=95,200")
    assert st == 400 and b"not on Earth" in body
    st, _, body, _ = SRV.get("/find?where=somewhere")
    assert st == 400
    st, _, _, _ = SRV.get("/find?what=unicorns&where=10001")
    assert st == 400
    st, _, _, _ = SRV.get("/find?where=10001&attr=rich")
    assert st == 400
    st, _, _, _ = SRV.get("/find?where=10001&radius=0")
    assert st == 400
    st, _, _, _ = SRV.get("/find/unicorns?where=10001")
    assert st == 404
    st, _, body, _ = SRV.get("/find")
    assert st == 200 and b"Results" not in body


@test
def find_filters_and_pages():
    st, _, body, _ = SRV.get("/find?what=naloxone&where=10001&attr=free&attr=no-id-required")
    text = body.decode()
    assert st == 200
    n_all = len(miles(SRV.get("/find?what=naloxone&where=10001")[2].decode()))
    assert len(miles(text)) <= n_all
    st, _, body, _ = SRV.get("/find?what=naloxone&where=10001&lang=zh")
    zh = re.findall(r'<a href="/services/[^"]+">(?:<span class="badge">Example</span> )?([^<]+)</a>', body.decode())
    assert st == 200 and zh and all("Lower East Side" in n for n in zh), zh
    st, _, _, _ = SRV.get("/find?where=10001&lang=klingon")
    assert st == 400
    st, _, body, _ = SRV.get("/find?where=10001&open=1&radius=25")
    for hours in re.findall(r'<span class="hours[^"]*">([^<]*)</span>', body.decode()):
        assert hours.startswith("Open"), hours
    st, _, body, _ = SRV.get("/find?what=methadone&where=10001&radius=250")
    text = body.decode()
    assert len(miles(text)) == 20 and 'rel="next"' in text
    nxt = re.search(r'href="([^"]+)" rel="next"', text).group(1).replace("&amp;", "&")
    st, _, body2, _ = SRV.get(nxt)
    d1, d2 = miles(text), miles(body2.decode())
    assert st == 200 and d2 and d2[0] >= d1[-1], (d1[-1], d2[:3])


@test
def service_page_and_report():
    _, _, body, _ = SRV.get("/find/naloxone?where=10001")
    sid = re.search(r'href="/services/([0-9a-f-]+)"', body.decode()).group(1)
    st, h, body, _ = SRV.get("/services/" + sid)
    text = body.decode()
    assert st == 200 and "Hours" in text and "Report a problem with this listing" in text
    assert "Mon" in text or "Daily" in text or "Hours not listed" in text
    import urllib.parse
    st, h, body, _ = SRV.request("POST", "/services/%s/report" % sid, {"Content-Type": "application/x-www-form-urlencoded"},
                                 urllib.parse.urlencode({"kind": "hours", "note": "Closed on Sundays now"}).encode())
    assert st == 303 and "/services/%s?reported=1" % sid in h.get("location", ""), (st, h)
    st, _, body, _ = SRV.get("/services/%s?reported=1" % sid)
    assert b"Thank you" in body
    st, _, _, _ = SRV.request("POST", "/services/%s/report" % sid, {"Content-Type": "application/x-www-form-urlencoded"},
                              b"kind=bogus")
    assert st == 400
    for _ in range(20):
        st, _, _, _ = SRV.request("POST", "/services/%s/report" % sid,
                                  {"Content-Type": "application/x-www-form-urlencoded"}, b"kind=other")
    assert st == 429
    st, _, _, _ = SRV.get("/services/00000000-0000-0000-0000-000000000000")
    assert st == 404


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def in_flight(srv):
    text = srv.metrics()
    return int(re.search(r"^waypost_http_requests_in_flight (\d+)", text, re.M).group(1))


def many_params_requests(port, count, conns=4):
    """Sends count GETs of ~500 query parameters over conns keep-alive
    connections; returns how many got an HTTP reply."""
    target = "/robots.txt?" + "&".join("a%d=1" % i for i in range(500))
    raw = ("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % target).encode()
    answered = [0] * conns

    def worker(k):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        f = s.makefile("rb")
        for _ in range(count // conns):
            s.sendall(raw)
            if not f.readline().startswith(b"HTTP/1.1 "):
                break
            length = 0
            while True:
                h = f.readline()
                if h in (b"\r\n", b""):
                    break
                if h.lower().startswith(b"content-length:"):
                    length = int(h.split(b":")[1])
            f.read(length)
            answered[k] += 1
        s.close()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(answered)


@test
def many_parameters_get_a_reply_and_leak_nothing():
    """Issue 17.1: a query of ~500 parameters got no reply (libmicrohttpd
    ran out of its connection pool before our handler) and leaked the
    request's state: RSS and the in-flight gauge only grew. Runs the plain
    build: AddressSanitizer's quarantine would hide RSS trends."""
    import harness
    old_bin, harness.BIN = harness.BIN, os.path.join(ROOT, "build", "waypost")
    try:
        s2 = Server()
    finally:
        harness.BIN = old_bin
    try:
        assert many_params_requests(s2.port, 2000) == 2000
        before = rss_kb(s2.proc.pid)
        assert many_params_requests(s2.port, 20000) == 20000
        after = rss_kb(s2.proc.pid)
        assert after - before < 8 * 1024, "RSS grew from %d to %d KB" % (before, after)
        assert in_flight(s2) == 0
    finally:
        s2.cleanup()


def post_report(srv, sid, kind="other"):
    return srv.request("POST", "/services/%s/report" % sid, {"Content-Type": "application/x-www-form-urlencoded"},
                       ("kind=%s" % kind).encode(), timeout=15)


@test
def report_limits_per_client_and_no_rebuild():
    """Issue 17.6: one client cannot fill every listing's daily cap (10 an
    hour from one address, kept in memory), and a report does not make the
    server rebuild its map index."""
    s2 = Server(seed=["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson"])
    try:
        _, _, body, _ = s2.get("/find/naloxone?where=10001")
        ids = list(dict.fromkeys(re.findall(r'href="/services/([0-9a-f-]+)"', body.decode())))
        assert len(ids) >= 2, ids
        time.sleep(1.5)  # let the watcher settle
        rebuilt = s2.read_log().count("index rebuilt")
        for _ in range(10):
            st = post_report(s2, ids[0])[0]
            assert st == 303, st
        st, h, body, _ = post_report(s2, ids[1])
        assert st == 429 and int(h.get("retry-after", "0")) > 0, (st, h)
        assert b"many reports" in body
        time.sleep(2.5)
        assert s2.read_log().count("index rebuilt") == rebuilt, "a report rebuilt the map index"
    finally:
        s2.cleanup()


@test
def report_during_a_write_lock_answers_503_at_once():
    """Issue 17.8: a report while an import holds the write lock waited the
    5 s busy timeout and then failed with 500; now it says at once that it
    was not saved, with Retry-After, and goes through afterwards."""
    import sqlite3
    s2 = Server(seed=["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson"])
    try:
        _, _, body, _ = s2.get("/find/naloxone?where=10001")
        sid = re.search(r'href="/services/([0-9a-f-]+)"', body.decode()).group(1)
        lock = sqlite3.connect(s2.db, timeout=1, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            t0 = time.time()
            st, h, body, _ = post_report(s2, sid)
            took = time.time() - t0
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert st == 503 and h.get("retry-after") == "30", (st, h)
        assert b"not saved" in body and took < 2.0, took
        assert post_report(s2, sid)[0] == 303
    finally:
        s2.cleanup()


@test
def import_hsds_is_atomic_idempotent_and_live():
    import json
    d = tempfile.mkdtemp()
    rec = {"id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0001", "name": "Test Naloxone Point", "status": "active",
           "organization": {"id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0002", "name": "Test Org",
                            "description": "A test organization."},
           "service_at_locations": [{"id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0003", "location": {
               "id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0004", "location_type": "physical",
               "latitude": 44.9778, "longitude": -93.2650,
               "addresses": [{"id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0005", "address_1": "1 Test St",
                              "city": "Minneapolis", "state_province": "MN", "postal_code": "55401",
                              "country": "US", "address_type": "physical"}]}}],
           "attributes": [{"id": "2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0006", "link_type": "service_type",
                           "taxonomy_term": {"id": "9b2e0a84-b19b-5f6e-9b1b-8d0b0a1b0c01", "code": "naloxone",
                                             "name": "Naloxone", "taxonomy": "Waypost",
                                             "taxonomy_id": "1ffc8755-6460-51ac-9673-4e3eee8feaae"}}]}
    tax = json.load(open(os.path.join(ROOT, "data/taxonomy/waypost.json")))
    nal = {k: v for k, v in [t for t in tax["terms"] if t["code"] == "naloxone"][0].items() if v is not None}
    rec["attributes"][0]["taxonomy_term"] = nal
    good = os.path.join(d, "good.ndjson")
    with open(good, "w") as f:
        f.write(json.dumps(rec) + "\n")
    bad_rec = dict(rec, id="2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0009")
    bad_rec["service_at_locations"] = [{"id": "x1", "location": {"id": "x2", "latitude": "north", "longitude": 0}}]
    bad = os.path.join(d, "bad.ndjson")
    with open(bad, "w") as f:
        f.write(json.dumps(dict(rec, id="2f0e7b3c-9a51-4c0e-8b7e-5d2f6a1c0010", name="Other")) + "\n")
        f.write(json.dumps(bad_rec) + "\n")
    before = SRV.get("/find/naloxone?where=55401")[2]
    assert b"Test Naloxone Point" not in before
    rc, out, err = run_cli("import", "hsds", bad, "--db", SRV.db)
    assert rc != 0 and "record 2" in err and "latitude" in err and "nothing was changed" in err, err
    rc, out, err = run_cli("import", "hsds", good, "--db", SRV.db)
    assert rc == 0 and "1 added" in out, (out, err)
    assert re.search(r"good\.ndjson: 1 service \(1 added, 0 updated, 0 unchanged, 0 rejected\)", out), out
    rc, out, err = run_cli("import", "hsds", "data/taxonomy/waypost.json", "--db", SRV.db)  # issue 10's seed wording
    assert rc == 0 and re.fullmatch(r"data/taxonomy/waypost\.json: \d+ taxonomy terms\n", out), out
    rc, out, err = run_cli("import", "hsds", good, "--db", SRV.db)
    assert rc == 0 and "0 added, 0 updated, 1 unchanged" in out, out
    seen = False
    for _ in range(50):
        time.sleep(0.2)
        if b"Test Naloxone Point" in SRV.get("/find/naloxone?where=55401")[2]:
            seen = True
            break
    assert seen, "the running server did not notice the import"
    assert b"Other" not in SRV.get("/find/naloxone?where=55401")[2]



@test
def import_leaves_no_large_wal_while_serving():
    """Issue 17.12: with a server holding the database open, an import's WAL
    used to stay at the size of the import (343 MB for a large file)."""
    s2 = Server()
    try:
        rc, out, err = run_cli("import", "hsds", "data/directory/examples-harm-reduction.ndjson", "--db", s2.db)
        assert rc == 0, err
        wal = s2.db + "-wal"
        size = os.path.getsize(wal) if os.path.exists(wal) else 0
        assert size == 0, "the WAL is %d bytes after the import" % size
        assert s2.get("/healthz")[0] == 200
    finally:
        s2.cleanup()


@test
def import_several_files_one_transaction_each():
    """Issue 18: `import hsds` takes several files in one process, one
    transaction each; a refused file stops it and those before it stay."""
    import sqlite3
    d = tempfile.mkdtemp()
    db = os.path.join(d, "x.db")
    rc, out, err = run_cli("import", "hsds", "data/taxonomy/waypost.json", "--db", db)
    assert rc == 0, err
    lines = open(os.path.join(ROOT, "data/directory/examples-harm-reduction.ndjson")).read().splitlines()
    paths = {}
    for name, part in [("a", lines[0:2]), ("b", lines[2:3]), ("c", lines[3:4]), ("d", lines[4:5])]:
        paths[name] = os.path.join(d, name + ".ndjson")
        with open(paths[name], "w") as f:
            f.write("\n".join(part) + "\n")
    paths["bad"] = os.path.join(d, "bad.ndjson")
    with open(paths["bad"], "w") as f:
        f.write(lines[5] + "\n" + '{"id": "x", "name": "Broken"\n')

    def services():
        con = sqlite3.connect(db)
        try:
            return con.execute("SELECT count(*) FROM dir_service").fetchone()[0]
        finally:
            con.close()

    def wal_bytes():
        return os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0

    rc, out, err = run_cli("import", "hsds", paths["a"], paths["b"], "--db", db)
    assert rc == 0, err
    assert "a.ndjson: 2 services (2 added" in out and "b.ndjson: 1 service (1 added" in out, out
    assert "2 files: 3 services (3 added, 0 updated, 0 unchanged, 0 rejected)" in out, out
    assert services() == 3 and wal_bytes() == 0
    rc, out, err = run_cli("import", "hsds", paths["c"], paths["bad"], paths["d"], "--db", db)
    assert rc == 1, (out, err)
    assert "c.ndjson: 1 service (1 added" in out and "d.ndjson" not in out, out
    assert "bad.ndjson line 2" in err and "nothing of %s was changed" % paths["bad"] in err, err
    assert "the 1 file before it is imported, the 1 after it not tried" in err, err
    assert services() == 4, "c was kept, and neither line of bad"
    assert wal_bytes() == 0, "what was imported is in the database when the command ends"
    rc, out, err = run_cli("import", "hsds", paths["bad"], paths["d"], "--db", db)
    assert rc == 1 and "nothing was changed" in err and services() == 4, err


@test
def import_findtreatment_csv_and_export_round_trip():
    d = tempfile.mkdtemp()
    db = os.path.join(d, "x.db")
    rc, out, err = run_cli("import", "hsds", "data/taxonomy/waypost.json", "--db", db)
    assert rc == 0, err
    rc, out, err = run_cli("import", "findtreatment", "tests/fixtures/findtreatment/sample.json", "--db", db)
    assert rc == 0 and "5 added" in out, (out, err)
    rc, out, err = run_cli("import", "findtreatment", "tests/fixtures/findtreatment/sample.json", "--db", db)
    assert rc == 0 and "5 unchanged" in out, out
    rc, out, err = run_cli("import", "findtreatment", "tests/fixtures/findtreatment/bad.json", "--db", db)
    assert rc != 0 and "row 2, field latitude" in err and "nothing was changed" in err, err
    sheet = os.path.join(d, "list.csv")
    with open(sheet, "w") as f:
        f.write("Name,Street,City,ST,ZIP,Phone,Lat,Lon,Services\n")
        f.write("Harbor Naloxone Desk,1 Pier St,Portland,ME,04101,207-555-0100,43.6591,-70.2568,naloxone;test-strips\n")
        f.write("Harbor Syringe Van,2 Pier St,Portland,ME,04101,207-555-0101,43.6600,-70.2570,syringe-services\n")
    cols = "name=Name,address=Street,city=City,state=ST,zip=ZIP,phone=Phone,lat=Lat,lon=Lon,services=Services"
    rc, out, err = run_cli("import", "csv", sheet, "--columns", cols, "--db", db)
    assert rc == 0 and "2 added" in out, (out, err)
    with open(sheet, "a") as f:
        f.write("Bad Row,3 Pier St,Portland,ME,04101,x,43.66,-70.25,heroin\n")
    rc, out, err = run_cli("import", "csv", sheet, "--columns", cols, "--db", db)
    assert rc != 0 and "row" in err and "Services" in err, err
    exp = os.path.join(d, "export")
    rc, out, err = run_cli("export", "hsds", exp, "--db", db)
    assert rc == 0 and "exported 7 services" in out, (out, err)
    for f in ["datapackage.json", "services.csv", "locations.csv", "service_at_location.csv", "services.ndjson"]:
        assert os.path.exists(os.path.join(exp, f)), f
    db2 = os.path.join(d, "y.db")
    rc, out, err = run_cli("import", "hsds", os.path.join(exp, "services.ndjson"), "--db", db2)
    assert rc == 0 and "7 added" in out, (out, err)
    rc, out, err = run_cli("import", "hsds", os.path.join(exp, "services.ndjson"), "--db", db)
    assert rc == 0 and "7 unchanged" in out, out
    db3 = os.path.join(d, "z.db")
    rc, out, err = run_cli("import", "hsds", exp, "--db", db3)
    assert rc == 0 and "7 added" in out, (out, err)
    rc, out, err = run_cli("import", "hsds", "data/hsds-3.0/examples/csv", "--db", db3)
    assert rc == 0 and "1 added" in out, (out, err)


@test
def import_csv_centroids_source_hours_and_codes():
    """Issue 10: rows without coordinates take their ZIP's or town's centre
    (the summary names them), a row with neither is refused by number, the
    source is --source, an hours column makes "open now" right, and an
    unknown code's error lists the valid ones."""
    import datetime
    import zoneinfo
    d = tempfile.mkdtemp()
    db = os.path.join(d, "x.db")
    rc, out, err = run_cli("import", "hsds", "data/taxonomy/waypost.json", "--db", db)
    assert rc == 0, err
    days = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    today = datetime.datetime.now(zoneinfo.ZoneInfo("America/New_York")).weekday()
    later = days[(today + 3) % 7]
    sheet = os.path.join(d, "harbor.csv")
    with open(sheet, "w") as f:
        f.write("Name,Street,City,ST,ZIP,Lat,Lon,Services,Hours\n")
        f.write("Harbor Always Desk,1 Pier St,Portland,ME,04101,43.6591,-70.2568,naloxone,24/7\n")
        f.write('Harbor Later Van,2 Pier St,Portland,ME,04101,,,naloxone,"%s 10:00-11:00; %s off"\n'
                % (later, days[today]))
        f.write("Harbor Town Table,3 Main St,Portland,ME,,,,naloxone,Mo-Fr 09:00-17:00\n")
    cols = ("name=Name,address=Street,city=City,state=ST,zip=ZIP,lat=Lat,lon=Lon,services=Services,"
            "hours=Hours")
    rc, out, err = run_cli("import", "csv", sheet, "--columns", cols, "--source", "Harbor SSP", "--db", db)
    assert rc == 0 and "3 added" in out, (out, err)
    assert "2 rows had no coordinates" in out and "rows 3, 4" in out, out
    # a row with neither coordinates nor a ZIP or town we know: refused by number
    bad = os.path.join(d, "bad.csv")
    with open(bad, "w") as f:
        f.write("Name,City,ST,ZIP,Services\nNowhere Desk,Qwxzzy,ZZ,,naloxone\nOK Desk,Portland,ME,04101,naloxone\n"
                "Lost Desk,,,00000,naloxone\n")
    rc, out, err = run_cli("import", "csv", bad, "--columns", "name=Name,city=City,state=ST,zip=ZIP,services=Services",
                           "--db", db)
    assert rc != 0 and "row 2: no coordinates" in err and "nothing was changed" in err, err
    # the hours column: a value outside the subset names row, column and part
    with open(bad, "w") as f:
        f.write("Name,ZIP,Hours\nA,04101,Mo-Fr 09:00-17:00\nB,04101,Mo-Fr 9am-5pm\n")
    rc, out, err = run_cli("import", "csv", bad, "--columns", "name=Name,zip=ZIP,hours=Hours", "--db", db)
    assert rc != 0 and "row 3, column Hours" in err and '"9am-5pm"' in err, err
    # an unknown Waypost code lists the valid ones
    with open(bad, "w") as f:
        f.write("Name,ZIP,Services\nA,04101,narcan\n")
    rc, out, err = run_cli("import", "csv", bad, "--columns", "name=Name,zip=ZIP,services=Services", "--db", db)
    assert rc != 0 and '"narcan" is not a Waypost taxonomy code' in err, err
    assert "valid codes: naloxone, syringe-services" in err and "test-strips" in err, err
    rc, out, err = run_cli("import", "csv", bad, "--columns", "name=Name", "--source", "", "--db", db)
    assert rc != 0 and "--source" in err, err
    s2 = Server(db=db)
    try:
        st, _, body, _ = s2.get("/find?where=04101&radius=25")
        text = body.decode()
        assert st == 200 and "Harbor Later Van" in text and "Harbor Town Table" in text, text[:2000]
        st, _, body, _ = s2.get("/find?where=04101&radius=25&open=1")
        text = body.decode()
        assert st == 200 and "Harbor Always Desk" in text and "Harbor Later Van" not in text, text[:3000]
        sid = re.search(r'href="/services/([0-9a-f-]+)">(?:<[^>]+>)*Harbor Always Desk', text).group(1)
        st, _, body, _ = s2.get("/services/" + sid)
        page = body.decode()
        assert st == 200 and "Harbor SSP" in page and "harbor.csv" not in page, page[:3000]
        assert "Open 24 hours" in page or "Open now" in page, page[:3000]
    finally:
        s2.cleanup()


HSDS_EXAMPLES = os.path.join(ROOT, "data/hsds-3.0/examples")


def read_csv(path):
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@test
def hsds_examples_export_import_export_is_identical():
    """The official HSDS 3.0 examples (JSON and the CSV datapackage) go
    into the tables, out as all 21 CSVs, back into a new database and out
    again byte for byte; a changed re-import replaces rows."""
    import json
    d = tempfile.mkdtemp()
    db1, db2 = os.path.join(d, "a.db"), os.path.join(d, "b.db")
    for src in ["service_full.json", "service_list.json", "csv"]:
        rc, out, err = run_cli("import", "hsds", os.path.join(HSDS_EXAMPLES, src), "--db", db1)
        assert rc == 0, (src, out, err)
    e1, e2 = os.path.join(d, "e1"), os.path.join(d, "e2")
    rc, out, err = run_cli("export", "hsds", e1, "--db", db1)
    assert rc == 0 and "exported 1 services" in out, (out, err)
    with open(os.path.join(ROOT, "data/hsds-3.0/datapackage.json"), encoding="utf-8") as f:
        spec = json.load(f)["resources"]
    assert len(spec) == 21
    with open(os.path.join(e1, "datapackage.json"), encoding="utf-8") as f:
        listed = [r["path"] for r in json.load(f)["resources"]]
    assert listed == [r["path"] for r in spec] + ["services.ndjson"], listed
    # every row of every example CSV is in the export, column for column
    for r in spec:
        ex = read_csv(os.path.join(HSDS_EXAMPLES, "csv", r["path"]))
        got = read_csv(os.path.join(e1, r["path"]))
        assert got[0] == [f["name"] for f in r["schema"]["fields"]], r["path"]
        for row in ex[1:]:
            assert row in got[1:], (r["path"], row, got[1:])
    for name in ["cost_options", "accessibility", "required_documents", "contacts", "service_areas", "languages",
                 "phones", "schedules", "addresses", "metadata"]:
        assert len(read_csv(os.path.join(e1, name + ".csv"))) == 2, name
    rc, out, err = run_cli("import", "hsds", e1, "--db", db2)
    assert rc == 0 and "1 added" in out, (out, err)
    rc, out, err = run_cli("export", "hsds", e2, "--db", db2)
    assert rc == 0, err
    for r in spec:
        with open(os.path.join(e1, r["path"]), "rb") as f1, open(os.path.join(e2, r["path"]), "rb") as f2:
            assert f1.read() == f2.read(), "%s differs after export -> import -> export" % r["path"]
    # a changed service replaces its rows: new amount, a document dropped, no duplicates
    with open(os.path.join(HSDS_EXAMPLES, "service_full.json"), encoding="utf-8") as f:
        svc = json.load(f)
    svc["cost_options"][0]["amount"] = 40
    svc["required_documents"] = []
    changed = os.path.join(d, "changed.ndjson")
    with open(changed, "w", encoding="utf-8") as f:
        f.write(json.dumps(svc) + "\n")
    for db in (db1, db2):
        rc, out, err = run_cli("import", "hsds", changed, "--db", db)
        assert rc == 0 and "1 updated" in out, (out, err)
        e3 = os.path.join(d, "e3")
        rc, out, err = run_cli("export", "hsds", e3, "--db", db)
        assert rc == 0, err
        costs = read_csv(os.path.join(e3, "cost_options.csv"))
        assert len(costs) == 2 and costs[1][6] == "40", costs
        assert len(read_csv(os.path.join(e3, "required_documents.csv"))) == 1
        for name in ["phones", "contacts", "schedules", "languages", "addresses", "service_areas"]:
            assert len(read_csv(os.path.join(e3, name + ".csv"))) == 2, name


def run_cli(*args, cwd=ROOT):
    p = subprocess.run([BIN] + list(args), cwd=cwd, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


@test
def cli_version_help_and_config_keys():
    rc, out, _ = run_cli("version")
    assert rc == 0 and out.startswith("waypost ")
    rc, out, _ = run_cli("help")
    assert rc == 0 and "serve" in out and "migrate" in out
    rc, out, _ = run_cli("help", "config")
    assert rc == 0 and "[site]" in out and "quick_exit_url" in out
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    keys = re.findall(r"^  (\w+)\s+default", out, re.M)
    assert len(keys) >= 20, keys
    for k in keys:
        assert "`%s`" % k in readme, "README does not document the key %s" % k
    rc, _, err = run_cli("frobnicate")
    assert rc != 0 and "unknown command" in err


@test
def cli_command_table_usage_and_kinds():
    rc, out, _ = run_cli("help")
    for words in ["import stats FILE", "import hsds PATH", "import findtreatment FILE.json", "import csv FILE",
                  "export hsds DIR", "seed", "version"]:
        assert words in out, words
    rc, _, err = run_cli("import")
    assert rc == 2 and "stats hsds findtreatment csv" in err, err
    rc, _, err = run_cli("import", "nope", "x")
    assert rc == 2 and 'unknown import kind "nope"' in err, err
    rc, _, err = run_cli("import", "hsds")
    assert rc == 2 and "usage: waypost import hsds PATH" in err, err
    rc, _, err = run_cli("import", "csv", "x.csv")
    assert rc == 2 and "--columns" in err, err
    rc, _, err = run_cli("version", "extra")
    assert rc == 1 and 'unexpected argument "extra"' in err, err


@test
def cli_migrate_is_idempotent():
    d = tempfile.mkdtemp()
    db = os.path.join(d, "m.db")
    rc, out, err = run_cli("migrate", "--db", db)
    assert rc == 0, err
    m = re.search(r"schema version (\d+) \((\d+) migrations? applied\)", out)
    assert m and int(m.group(2)) >= 1, out
    rc, out2, err = run_cli("migrate", "--db", db)
    assert rc == 0 and "(0 migrations applied)" in out2, out2
    assert m.group(1) in out2


@test
def cli_errors_are_plain_sentences():
    d = tempfile.mkdtemp()
    cfg = os.path.join(d, "bad.ini")
    with open(cfg, "w") as f:
        f.write("[site]\nsite_name = X\n\n[server]\nlisten_adress = 127.0.0.1:1\n")
    rc, _, err = run_cli("serve", "--config", cfg, "--db", os.path.join(d, "x.db"))
    assert rc != 0 and "listen_adress" in err and "line 5" in err, err
    rc, _, err = run_cli("serve", "--db", "/proc/nope/x.db")
    assert rc != 0 and "database" in err, err
    rc, _, err = run_cli("serve", "--site-color_primary", "blue", "--db", os.path.join(d, "x.db"))
    assert rc != 0 and "colour" in err, err
    rc, _, err = run_cli("serve", "--listen", "127.0.0.1:%d" % SRV.port, "--db", os.path.join(d, "y.db"))
    assert rc != 0 and "already in use" in err, err


# ---- the optional Leaflet map (map.tiles) ----

SITE_ONLY_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                 "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
LEAFLET_DIR = "/usr/share/javascript/leaflet"


@test
def map_without_tiles_is_unchanged():
    st, h, body, _ = SRV.get("/find/naloxone?where=10001")
    text = body.decode()
    assert st == 200 and h["content-security-policy"] == SITE_ONLY_CSP, h["content-security-policy"]
    assert 'class="map"' in text, "the server's map is missing"
    for needle in ["leaflet", "data-tiles", "data-lat", "js/map.", "vendor/"]:
        assert needle not in text.lower(), "a page without map.tiles mentions " + needle
    assert text.count("<script") == 1 and text.count('rel="stylesheet"') == 2, "extra files on the page"
    st, h, body, _ = SRV.get("/about")
    assert st == 200 and h["content-security-policy"] == SITE_ONLY_CSP
    assert b"wp-map-tiles" not in body and b"map tiles" not in body
    for path in ["/static/vendor/leaflet/leaflet.css", "/static/vendor/leaflet/leaflet.min.js"]:
        assert SRV.get(path)[0] == 404, path + " is served without map.tiles"


@test
def map_with_tiles_serves_leaflet():
    tile_port = free_port()
    origin = "http://127.0.0.1:%d" % tile_port
    s2 = Server("--map-tiles", origin + "/{z}/{x}/{y}.png", "--map-attribution", "Test <tiles> & co",
                "--map-max_zoom", "16", db=SRV.db)
    try:
        st, h, body, _ = s2.get("/find/naloxone?where=10001")
        text = body.decode()
        assert st == 200, st
        csp = h["content-security-policy"]
        assert csp == SITE_ONLY_CSP.replace("img-src 'self';", "img-src 'self' %s;" % origin), csp
        check_security_headers(h)
        assert "<script>" not in text and "style=" not in text, "inline script or style"
        css = re.search(r'<link rel="stylesheet" href="(/static/vendor/leaflet/leaflet\.[0-9a-f]{8}\.css)">', text)
        js = re.search(r'<script src="(/static/vendor/leaflet/leaflet\.min\.[0-9a-f]{8}\.js)" defer></script>', text)
        mapjs = re.search(r'<script src="(/static/js/map\.[0-9a-f]{8}\.js)" defer></script>', text)
        assert css and js and mapjs, "the page does not reference the hashed Leaflet files and map.js"
        head = text[:text.index("</head>")]
        assert css.group(1) in head and js.group(1) in head and mapjs.group(1) in head
        for url, ctype, src in [(css.group(1), "text/css", "leaflet.css"),
                                (js.group(1), "text/javascript", "leaflet.min.js"), (mapjs.group(1), "text/javascript", None)]:
            st, hh, data, _ = s2.get(url)
            assert st == 200 and hh["content-type"].startswith(ctype), (url, st, hh.get("content-type"))
            assert "immutable" in hh.get("cache-control", ""), hh.get("cache-control")
            if src:
                with open(os.path.join(LEAFLET_DIR, src), "rb") as f:
                    assert data == f.read(), url + " is not Debian's " + src
        st, hh, data, _ = s2.get("/static/vendor/leaflet/images/layers.png")
        assert st == 200 and hh["content-type"] == "image/png" and data[:4] == b"\x89PNG"
        assert s2.get("/static/vendor/leaflet/leaflet.min.js.map")[0] == 404
        assert s2.get("/static/vendor/leaflet/../../Makefile")[0] in (400, 404)
        fig = re.search(r'<figure class="map-figure" data-tiles="([^"]*)" data-attribution="([^"]*)" '
                        r'data-max-zoom="16" data-map-label="[^"]*COUNT[^"]*" data-map-caption="[^"]*ATTRIBUTION[^"]*">',
                        text)
        assert fig, "the figure carries no tile settings"
        assert fig.group(1) == origin + "/{z}/{x}/{y}.png" and fig.group(2) == "Test &lt;tiles&gt; &amp; co", fig.groups()
        assert 'class="map"' in text, "the server's map must stay for browsers without JavaScript"
        items = re.findall(r'<li class="listing" data-number="(\d+)" data-lat="(-?[\d.]+)" data-lon="(-?[\d.]+)">', text)
        assert len(items) == len(miles(text)) and len(items) >= 2, (len(items), len(miles(text)))
        assert [int(n) for n, _, _ in items] == list(range(1, len(items) + 1))
        assert all(40 < float(la) < 41.5 and -75 < float(lo) < -73 for _, la, lo in items), items[:3]
        # Only result pages load Leaflet.
        st, h, body, _ = s2.get("/find")
        assert st == 200 and b"leaflet" not in body.lower() and h["content-security-policy"] == csp
        st, h, body, _ = s2.get("/")
        assert b"leaflet" not in body.lower()
        # /about says who the tile server is.
        st, _, body, _ = s2.get("/about")
        assert st == 200 and b'id="wp-map-tiles"' in body and b"127.0.0.1:%d" % tile_port in body
    finally:
        s2.cleanup()


@test
def map_settings_are_checked_at_start():
    d = tempfile.mkdtemp()
    db = os.path.join(d, "x.db")
    cases = [
        (["--map-tiles", "ftp://tiles.example.org/{z}/{x}/{y}.png", "--map-attribution", "x"], "map.tiles"),
        (["--map-tiles", "https://tiles.example.org/{z}/{x}.png", "--map-attribution", "x"], "{y}"),
        (["--map-tiles", "https://tiles.example.org;img-src */{z}/{x}/{y}.png", "--map-attribution", "x"], "map.tiles"),
        (["--map-tiles", "https://tiles.example.org/{z}/{x}/{y}.png"], "map.attribution"),
        (["--map-tiles", "https://tiles.example.org/{z}/{x}/{y}.png", "--map-attribution", "x",
          "--map-leaflet_dir", os.path.join(d, "nowhere")], "libjs-leaflet"),
        (["--map-max_zoom", "40"], "map.max_zoom"),
    ]
    for args, why in cases:
        rc, _, err = run_cli("serve", "--listen", "127.0.0.1:%d" % free_port(), "--db", db, *args)
        assert rc != 0 and why in err, (args, rc, err)


def add_module_tests():
    """Tests in other files take the shared server: api.py (the HSDS API)
    and every suite_NAME.py beside this file, each with a TESTS list."""
    import glob
    import importlib
    here = os.path.dirname(os.path.abspath(__file__))
    names = ["api"] + sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(here, "suite_*.py")))
    for name in names:
        mod = importlib.import_module(name)
        prefix = "api_" if name == "api" else name[len("suite_"):] + "_"
        for fn in mod.TESTS:
            def bound(fn=fn):
                fn(SRV)
            bound.__name__ = prefix + fn.__name__
            TESTS.append(bound)


add_module_tests()

# Statements that read a whole large table on purpose, once per request or
# command (never once per row of another query), with the reason.
WHOLE_TABLE_READS = {
    "SELECT sal_rowid, latitude, longitude, codes FROM dir_sal_point": "the map index is built from every point",
    "SELECT sal_rowid FROM dir_sal_dirty": "the listing cache's work list",
    "SELECT (SELECT n FROM dir_generation": "the watcher's stamp: EXISTS stops at the first dirty row",
    "SELECT count(*) FROM dir_service s WHERE": "a paged API list's total (with no search: every service)",
    "SELECT wp_doc(s.raw) FROM dir_service s WHERE": "a paged API list",
    "SELECT json_object('id', wp_id_text(s.id)": "a paged API list (minimal)",
    "SELECT s.rowid FROM dir_service s INDEXED BY": "the API search cache's fill: the id index, once per search",
    "SELECT sal.rowid FROM dir_service_at_location sal JOIN dir_service s": "a filtered API list of listings",
    "SELECT count(*) FROM dir_organization": "a paged API list's total",
    "SELECT doc FROM dir_organization_doc WHERE": "a paged API list",
    "SELECT DISTINCT source FROM dir_service": "the staff listings' source filter (staff pages only)",
    "SELECT count(*) FROM dir_service s LEFT JOIN": "the staff listings' total (name substring, no index)",
    "SELECT wp_id_text(s.id), s.name, coalesce(json_extract(o.doc, '$.name')": "the staff listings page (name substring, no index)",
    "SELECT count(*) FROM dir_service": "an import preview's \"left as they are\" (once per upload)",
}
LARGE_TABLES = re.compile(r"^\tSCAN (dir_service|dir_service_at_location|dir_location|dir_service_term|dir_report|"
                          r"dir_sal_\w+|dir_organization|hsds_\w+|s|sal|l|o|st)\b")


@test
def query_plans_scan_no_large_table_per_row():
    """Issue 17.2: every statement the shared server prepared (the API tests
    above drove every API route) is listed with its plan; a full scan
    of a large table fails unless the statement is a whole-table read named
    above. /organizations?full=true used to scan every service once per
    organization."""
    for path in ["/api/v1/organizations?full=true&per_page=5", "/api/v1/organizations?full_service=true&per_page=5",
                 "/api/v1/services?organization_id=x&per_page=5", "/services/nope"]:
        SRV.get(path)
    with open(PLANS, encoding="utf-8") as f:
        text = f.read()
    bad = []
    for block in text.split("\n"):
        if block and not block.startswith("\t"):
            sql = block
        elif LARGE_TABLES.match(block) and not any(sql.startswith(k) for k in WHOLE_TABLE_READS):
            bad.append("%s\n  %s" % (sql[:160], block.strip()))
    assert not bad, "full scans:\n" + "\n".join(sorted(set(bad)))
    assert "SELECT wp_doc(raw) FROM dir_service WHERE organization_rowid = (SELECT rowid FROM dir_organization" in text


def main():
    global SRV
    if not os.path.exists(BIN):
        print("build/waypost is missing: run make first")
        print("0 passed, 1 failed")
        return 1
    global PLANS
    PLANS = os.path.join(tempfile.mkdtemp(prefix="waypost-plans-"), "plans.txt")
    os.environ["WAYPOST_QUERY_PLANS"] = PLANS  # only the shared server logs its plans
    SRV = Server(seed=SEED)
    del os.environ["WAYPOST_QUERY_PLANS"]
    passed = failed = 0
    only = sys.argv[1:]
    for fn in TESTS:
        if only and fn.__name__ not in only:
            continue
        try:
            fn()
            passed += 1
            print("ok   %s" % fn.__name__)
        except Exception:
            failed += 1
            print("FAIL %s" % fn.__name__)
            traceback.print_exc()
    SRV.cleanup()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
