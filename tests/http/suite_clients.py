"""Slow and greedy clients, and clients behind a proxy (issue 17, item 5):
connections are counted per address from the moment they open and refused
at accept past the limit while other addresses are served; a header block
trickled in a line at a time is cut off at header_seconds however often
bytes arrive; behind a trusted proxy the X-Forwarded-For client is the one
counted and logged, and the header is ignored from anyone else; an answer
the client stops reading is marked "cut" in the access log."""
import re
import socket
import struct
import time

from harness import Server

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


def exchange(port, data, source="127.0.0.1", timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    out = b""
    try:
        s.sendall(data)
        while True:
            c = s.recv(65536)
            if not c:
                break
            out += c
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    s.close()
    return out


@test
def connections_past_the_per_address_limit_are_refused_at_once(srv):
    s2 = Server("--limits-max_conns_per_client", "3")
    socks = []
    try:
        # the harness's readiness probe connects and leaves without a byte;
        # libmicrohttpd notices that close at its next sweep (about 2 s)
        time.sleep(2.5)
        for _ in range(3):  # opened, never a byte sent
            socks.append(socket.create_connection(("127.0.0.1", s2.port), timeout=5))
        time.sleep(0.3)
        t0 = time.time()
        raw = exchange(s2.port, b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert raw == b"", raw[:80]
        assert time.time() - t0 < 3, "refused only after %.1fs" % (time.time() - t0)
        other = exchange(s2.port, b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", source="127.0.0.2")
        assert status_of(other) == 200, other[:80]
        socks.pop().close()
        time.sleep(0.3)
        again = exchange(s2.port, b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status_of(again) == 200, again[:80]
    finally:
        for s in socks:
            s.close()
        s2.cleanup()


@test
def a_trickled_header_block_is_cut_at_its_deadline(srv):
    s2 = Server("--limits-header_seconds", "2", "--limits-timeout_seconds", "30")
    try:
        s = socket.create_connection(("127.0.0.1", s2.port), timeout=10)
        s.sendall(b"GET /about HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        closed_after = None
        for i in range(40):  # a header line every 0.25 s: each resets an idle timer, not this one
            time.sleep(0.25)
            try:
                s.sendall(b"X-Slow-%d: y\r\n" % i)
                s.setblocking(False)
                try:
                    if s.recv(4096) == b"":
                        closed_after = time.time() - t0
                        break
                except BlockingIOError:
                    pass
                finally:
                    s.setblocking(True)
            except (BrokenPipeError, ConnectionResetError):
                closed_after = time.time() - t0
                break
        s.close()
        assert closed_after is not None, "still open after 10 s of trickling"
        assert 1.5 <= closed_after <= 5, closed_after
        # a prompt client on the same server is served as before
        raw = exchange(s2.port, b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status_of(raw) == 200, raw[:80]
    finally:
        s2.cleanup()


def logged_addresses(server):
    return re.findall(r"access (\S+) GET page 200", server.read_log())


@test
def a_trusted_proxy_forwards_the_client_address(srv):
    s2 = Server("--server-trusted_proxies", "127.0.0.1, ::1", "--server-log_client_address", "true")
    s3 = Server("--server-log_client_address", "true")
    try:
        req = b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: %s\r\n\r\n"
        assert status_of(exchange(s2.port, req % b"198.51.100.7, 203.0.113.9")) == 200
        assert status_of(exchange(s2.port, req % b"203.0.113.9, 127.0.0.1")) == 200  # a proxy chain
        assert status_of(exchange(s2.port, req % b"not-an-address")) == 200
        assert status_of(exchange(s2.port, req % b"203.0.113.9", source="127.0.0.2")) == 200  # not a proxy
        time.sleep(0.3)
        assert logged_addresses(s2) == ["203.0.113.9", "203.0.113.9", "127.0.0.1", "127.0.0.2"], logged_addresses(s2)
        assert status_of(exchange(s3.port, req % b"203.0.113.9")) == 200  # no proxies trusted
        time.sleep(0.3)
        assert logged_addresses(s3) == ["127.0.0.1"], logged_addresses(s3)
    finally:
        s2.cleanup()
        s3.cleanup()


@test
def a_bad_trusted_proxies_entry_stops_the_server(srv):
    try:
        Server("--server-trusted_proxies", "127.0.0.1, example.org")
    except RuntimeError as e:
        assert 'server.trusted_proxies: "example.org" is not an address' in str(e), str(e)[-300:]
        return
    raise AssertionError("the server started with a host name in trusted_proxies")


@test
def a_download_the_client_abandons_is_logged_as_cut(srv):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # so the answer cannot all fit in buffers
    s.settimeout(10)
    s.connect(("127.0.0.1", srv.port))
    s.sendall(b"GET /api/v1/services?format=ndjson&full=true HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(s.recv(4096)) == 200
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not a clean close
    s.close()
    deadline = time.time() + 10
    while time.time() < deadline:
        lines = [l for l in srv.read_log().splitlines() if " access GET api_services " in l]
        if any(l.endswith(" cut") for l in lines):
            return
        time.sleep(0.2)
    raise AssertionError("no cut line: %s" % lines[-3:])
