"""Test harness for the HTTP tests: starts the real build/waypost on a
temporary database and a free port, and offers small helpers for raw and
ordinary requests. Standard library only."""
import gzip
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# A small directory for the tests: the taxonomy, the example harm reduction
# services (New York City) and SAMHSA's opioid treatment programs.
SEED = ["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson",
        "data/directory/samhsa-otp-2017.ndjson.gz"]
BIN = os.environ.get("WAYPOST_BIN", os.path.join(ROOT, "build", "waypost"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """One waypost process on its own database, port and log file."""

    def __init__(self, *extra, config_text=None, seed=(), db=None):
        """db: an existing database to share (e.g. the seeded one of another
        Server) instead of a new one in the temporary folder."""
        self.dir = tempfile.mkdtemp(prefix="waypost-test-")
        self.port = free_port()
        self.metrics_port = free_port()
        self.db = db or os.path.join(self.dir, "test.db")
        for path in seed:
            subprocess.run([BIN, "import", "hsds", path, "--db", self.db], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        self.log_path = os.path.join(self.dir, "server.log")
        args = [BIN, "serve", "--listen", "127.0.0.1:%d" % self.port, "--db", self.db,
                "--metrics-listen", "127.0.0.1:%d" % self.metrics_port]
        if config_text is not None:
            cfg = os.path.join(self.dir, "waypost.ini")
            with open(cfg, "w") as f:
                f.write(config_text)
            args += ["--config", cfg]
        args += list(extra)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout=20.0):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited early:\n" + self.read_log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start:\n" + self.read_log())

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def request(self, method, path, headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data, resp.getheaders()

    def metrics(self):
        """The text of /metrics from the metrics listener."""
        conn = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=10)
        conn.request("GET", "/metrics")
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        assert resp.status == 200, resp.status
        return data.decode()

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def raw(self, data, timeout=10, read_all=True):
        """Sends raw bytes; returns everything the server sends back."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if not read_all:
                    break
        except socket.timeout:
            pass
        s.close()
        return b"".join(chunks)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def status_of(raw_response):
    line = raw_response.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def gunzip(data):
    return gzip.decompress(data)


def page(srv, path, status=200):
    """The body of GET path as text, asserting its status."""
    st, _, body, _ = srv.get(path)
    assert st == status, (path, st)
    return body.decode()


def main_of(text):
    """The page's <main> element and what is in it."""
    return text[text.index("<main"):text.index("</main>")]
