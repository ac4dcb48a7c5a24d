"""Whole lists streamed (issue 17, items 3 and 4): format=ndjson without
per_page used to be built in memory (24 slow readers took the server from
75 MB to 3.2 GB) and was cut at 64 MiB while still answering 200. Now it
is sent chunked as the client reads, from one read transaction on a
connection of its own: every record exactly once, memory per connection
bounded, a client that goes away frees everything, and a limit on the
number of streams is a 503 before any byte.

The directory here is generated: SERVICES services with a long
description, one location each, so the full service_at_locations answer
is many megabytes."""
import atexit
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import uuid

import harness
from harness import ROOT, Server

TESTS = []
SERVICES = 4000
NS = uuid.UUID("6f1c1c56-8c7e-4f8e-9a55-2d1f0e3b7a10")
WORDS = ("naloxone outreach harm reduction syringe service program testing recovery peer support "
         "counseling housing food clinic mobile van evening weekend walk-in free confidential").split()


def test(fn):
    TESTS.append(fn)
    return fn


def uid(*parts):
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def service_doc(i, tag="base"):
    org = i // 10
    desc = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(300))  # about 2 KB
    return {
        "id": uid(tag, "svc", i), "organization_id": uid(tag, "org", org),
        "name": "Stream test service %s %d" % (tag, i), "description": desc, "status": "active",
        "organization": {"id": uid(tag, "org", org), "name": "Stream test organization %s %d" % (tag, org),
                         "description": "Generated for the streaming tests."},
        "service_at_locations": [{
            "id": uid(tag, "sal", i),
            "location": {"id": uid(tag, "loc", i), "location_type": "physical", "name": "Site %d" % i,
                         "latitude": 30 + (i % 1000) / 100.0, "longitude": -100 + (i // 1000) / 10.0,
                         "addresses": [{"id": uid(tag, "addr", i), "address_1": "%d Main St" % i,
                                        "city": "Springfield", "state_province": "TX", "postal_code": "75001",
                                        "country": "US", "address_type": "physical"}]}}],
    }


def write_directory(path, count, tag="base"):
    with open(path, "w") as f:
        for i in range(count):
            f.write(json.dumps(service_doc(i, tag)) + "\n")


_shared = {}


def stream_server(plain=False):
    """One server on the generated directory (plain: the build without
    sanitizers, for RSS), started once and kept for the suite."""
    key = "plain" if plain else "default"
    if key in _shared:
        return _shared[key]
    d = tempfile.mkdtemp(prefix="waypost-stream-")
    path = os.path.join(d, "directory.ndjson")
    write_directory(path, SERVICES)
    old = harness.BIN
    if plain:
        harness.BIN = os.path.join(ROOT, "build", "waypost")
    try:
        srv = Server(seed=[path])
    finally:
        harness.BIN = old
    srv.gen_dir = d
    _shared[key] = srv
    atexit.register(srv.cleanup)
    return srv


def sal_ids(tag="base", count=SERVICES):
    return {uid(tag, "sal", i) for i in range(count)}


def rss_anon_kb(pid):
    """Anonymous resident memory: the heap, not the database file's pages
    the memory map brings in (they are shared and can be dropped)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def gauge(srv, name):
    """A gauge from /metrics (its listener starts just after the public
    port the harness waits for: retried for a moment)."""
    for _ in range(50):
        try:
            text = srv.metrics()
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    m = re.search(r"^%s (\d+)" % name, text, re.M)
    return int(m.group(1))


def wait_gauge(srv, name, want, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if gauge(srv, name) == want:
            return True
        time.sleep(0.1)
    return gauge(srv, name) == want


def check_lines(body):
    """Every line one JSON object, no blank line; the objects' ids."""
    text = body.decode()
    assert text.endswith("\n"), text[-80:]
    ids = []
    for n, line in enumerate(text[:-1].split("\n")):
        assert line.strip(), "blank line %d" % n
        ids.append(json.loads(line)["id"])
    return ids


def open_stream(port, path, rcvbuf=None):
    """A socket that asked for path and has read nothing yet."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    return s


def read_some(s, n):
    got = b""
    while len(got) < n:
        c = s.recv(min(65536, n - len(got)))
        if not c:
            break
        got += c
    return got


FULL = "/api/v1/service_at_locations?format=ndjson&full=true"


@test
def whole_list_is_streamed_complete_and_exact(srv):
    s = stream_server()
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    conn.request("GET", FULL)
    resp = conn.getresponse()
    headers = {k.lower(): v for k, v in resp.getheaders()}
    body = resp.read()  # IncompleteRead if the chunked body were not terminated
    conn.close()
    assert resp.status == 200, resp.status
    assert headers.get("transfer-encoding") == "chunked", headers
    assert "content-length" not in headers and "etag" not in headers, headers
    assert headers["content-type"] == "application/x-ndjson", headers
    assert len(body) > 8 * 1024 * 1024, len(body)
    ids = check_lines(body)
    assert len(ids) == len(set(ids)), "a record came twice"
    assert set(ids) == sal_ids(), "records missing: %d of %d" % (len(set(ids) & sal_ids()), SERVICES)
    first = json.loads(body.split(b"\n", 1)[0])
    assert first["service"]["description"].startswith("naloxone") or first["service"]["description"], first
    # the other whole lists stream too, each record once
    for path, want in [("/api/v1/services?format=ndjson&full=true", SERVICES),
                       ("/api/v1/organizations?format=ndjson&full=true", SERVICES // 10),
                       ("/api/v1/service_at_locations?format=ndjson&lat=35&lon=-99.8&proximity=5000000", SERVICES)]:
        st, h, body, _ = s.request("GET", path, timeout=60)
        assert st == 200 and h.get("transfer-encoding") == "chunked", (path, st, h)
        ids = check_lines(body)
        assert len(ids) == want == len(set(ids)), (path, len(ids), want)
    _, _, body, _ = s.request("GET", "/api/v1/organizations?format=ndjson&full=true", timeout=60)
    org = json.loads(body.split(b"\n", 1)[0])
    assert len(org["services"]) == 10, org.get("services")
    # the streamed brief services (cut out of the stored text) are the paged ones, line for line
    _, _, streamed, _ = s.request("GET", "/api/v1/services?format=ndjson", timeout=60)
    paged = b"".join(s.request("GET", "/api/v1/services?format=ndjson&per_page=100&page=%d" % n, timeout=60)[2]
                     for n in range(1, SERVICES // 100 + 2))
    assert streamed == paged and len(check_lines(streamed)) == SERVICES, (len(streamed), len(paged))
    # paged lists are unchanged: built whole, with a Content-Length
    st, h, body, _ = s.get("/api/v1/service_at_locations?format=ndjson&per_page=5")
    assert st == 200 and h.get("content-length") == str(len(body)), h
    assert len(check_lines(body)) == 5


@test
def a_stream_reads_one_snapshot(srv):
    """Services imported while a stream is being read are not in it (nor
    does anything come twice); the next request has them."""
    s = stream_server()
    sock = open_stream(s.port, "/api/v1/services?format=ndjson&minimal=true", rcvbuf=4096)
    head = read_some(sock, 2048)
    assert b" 200 " in head.split(b"\r\n", 1)[0], head[:80]
    extra = os.path.join(s.gen_dir, "extra.ndjson")
    write_directory(extra, 50, tag="extra")
    subprocess.run([harness.BIN, "import", "hsds", extra, "--db", s.db], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rest = b""
    while True:
        c = sock.recv(65536)
        if not c:
            break
        rest += c
        if rest.endswith(b"\r\n0\r\n\r\n"):
            break
    sock.close()
    raw = head + rest
    body = decode_chunked(raw.split(b"\r\n\r\n", 1)[1])
    ids = check_lines(body)
    assert len(ids) == len(set(ids)) == SERVICES, len(ids)
    assert not any(i in ids for i in (uid("extra", "svc", k) for k in range(50)))
    _, _, after, _ = s.request("GET", "/api/v1/services?format=ndjson&minimal=true", timeout=60)
    assert len(check_lines(after)) == SERVICES + 50


def decode_chunked(data):
    out, pos = b"", 0
    while True:
        end = data.index(b"\r\n", pos)
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            return out
        out += data[end + 2:end + 2 + size]
        pos = end + 2 + size + 2


@test
def slow_readers_keep_memory_bounded_and_health_prompt(srv):
    """12 clients that read a few KB and pause: before, each held its whole
    answer (megabytes) in memory; now each holds about one 64 KiB chunk."""
    s = stream_server(plain=True)
    s.get("/healthz")
    before = rss_anon_kb(s.proc.pid)
    socks = [open_stream(s.port, FULL, rcvbuf=4096) for _ in range(12)]
    try:
        peak = before
        for _ in range(6):
            for k in socks:
                assert read_some(k, 4096), "a stream ended early"
            t0 = time.time()
            st, _, body, _ = s.get("/healthz")
            took = time.time() - t0
            assert st == 200 and took < 1.0, (st, took)
            time.sleep(0.3)
            peak = max(peak, rss_anon_kb(s.proc.pid))
        assert peak - before < 48 * 1024, "heap grew from %d to %d KB with 12 slow readers" % (before, peak)
        assert gauge(s, "waypost_db_streams_in_use") == 12
    finally:
        for k in socks:
            k.close()
    assert wait_gauge(s, "waypost_db_streams_in_use", 0)


@test
def clients_that_leave_mid_stream_leak_nothing(srv):
    """A client that closes mid-answer: libmicrohttpd frees the stream, its
    statement, transaction and connection go back, the in-flight gauge
    returns to its level, and (the HTTP tests run the ASan build) nothing
    leaks by the time the server exits."""
    d = tempfile.mkdtemp(prefix="waypost-stream-")
    path = os.path.join(d, "small.ndjson")
    write_directory(path, 1500)
    s2 = Server(seed=[path])
    try:
        level = gauge(s2, "waypost_http_requests_in_flight")
        for i in range(20):
            k = open_stream(s2.port, FULL if i % 2 else "/api/v1/organizations?format=ndjson&full=true")
            assert read_some(k, 100000)
            k.close()
        assert wait_gauge(s2, "waypost_http_requests_in_flight", level), "in-flight gauge stayed up"
        assert wait_gauge(s2, "waypost_db_streams_in_use", 0)
        st, _, body, _ = s2.request("GET", FULL, timeout=60)
        assert st == 200 and len(check_lines(body)) == 1500
        assert s2.stop() == 0
        log = s2.read_log()
        assert "Sanitizer" not in log, log[log.find("Sanitizer") - 200:][:3000]
        assert " cut" in log, "the access log did not mark the cut answers"
    finally:
        s2.cleanup()
        import shutil
        shutil.rmtree(d, ignore_errors=True)


@test
def too_many_streams_is_503_before_any_byte(srv):
    """The one limit left: past [limits] max_streams a whole list is a JSON
    503 with Retry-After, never a cut answer; a paged list still works."""
    d = tempfile.mkdtemp(prefix="waypost-stream-")
    path = os.path.join(d, "small.ndjson")
    write_directory(path, 300)
    s2 = Server("--limits-max_streams", "2", seed=[path])
    socks = []
    try:
        for _ in range(2):
            k = open_stream(s2.port, FULL, rcvbuf=4096)
            assert b" 200 " in read_some(k, 512).split(b"\r\n", 1)[0]
            socks.append(k)
        st, h, body, _ = s2.get(FULL)
        assert st == 503 and h.get("retry-after"), (st, h)
        assert h["content-type"].startswith("application/json") and json.loads(body)["error"]["status"] == 503
        st, _, body, _ = s2.get("/api/v1/service_at_locations?format=ndjson&per_page=3")
        assert st == 200 and len(check_lines(body)) == 3
        # a bad filter is still a 400, not the 503 of a full house
        st, _, body, _ = s2.get("/api/v1/service_at_locations?format=ndjson&lat=40")  # lat without lon
        assert st == 400, (st, body[:300])
        for k in socks:
            k.close()
        socks = []
        assert wait_gauge(s2, "waypost_db_streams_in_use", 0)
        st, _, body, _ = s2.get(FULL)
        assert st == 200 and len(check_lines(body)) == 300
    finally:
        for k in socks:
            k.close()
        s2.cleanup()
        import shutil
        shutil.rmtree(d, ignore_errors=True)


@test
def a_stream_in_progress_is_cut_at_the_drain_deadline(srv):
    """SIGTERM while a slow client is mid-stream: the server stops after
    drain_seconds and the client's chunked body is never terminated."""
    d = tempfile.mkdtemp(prefix="waypost-stream-")
    path = os.path.join(d, "small.ndjson")
    write_directory(path, 3000)
    s2 = Server(config_text="[server]\ndrain_seconds = 1\n", seed=[path])
    try:
        k = open_stream(s2.port, FULL, rcvbuf=4096)
        got = read_some(k, 8192)
        assert b" 200 " in got.split(b"\r\n", 1)[0]
        t0 = time.time()
        s2.proc.send_signal(15)
        s2.proc.wait(15)
        assert time.time() - t0 < 8, time.time() - t0
        while True:
            try:
                c = k.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not c:
                break
            got += c
        k.close()
        assert not got.endswith(b"\r\n0\r\n\r\n"), "a cut stream looked complete"
    finally:
        s2.cleanup()
        import shutil
        shutil.rmtree(d, ignore_errors=True)
