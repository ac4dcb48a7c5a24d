"""Local stand-ins for the outbox's providers (issue 13), standard library
only, each on a free port in a thread of the test process:

- FakeGateway: an HTTP server that records every request (path, headers,
  form or JSON body, arrival time) and answers 201, or a programmed list of
  statuses per SMS "To" number (so [500, 503] means two failures, then 201);
  it serves as the Twilio-shaped SMS gateway and as the webhook receiver.
- SmtpSink: a tiny SMTP server (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
  QUIT; no TLS, no auth) that records each message.
Used by suite_checkin.py, checkin_crash.py and bench/checkin.sh."""
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import socketserver
import threading
import time
import urllib.parse


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        gw = self.server.gateway
        rec = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "raw": raw,
               "at": time.time()}
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("application/x-www-form-urlencoded"):
            rec["form"] = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        elif ctype.startswith("application/json"):
            try:
                rec["json"] = json.loads(raw)
            except ValueError:
                rec["json"] = None
        status = gw.next_status(rec)
        rec["status"] = status
        with gw.lock:
            gw.requests.append(rec)
            gw.cond.notify_all()
        body = b'{"sid":"SM1"}' if status < 300 else b'{"message":"fake failure"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # the crash test kills the sender mid-request: a reset is expected


class FakeGateway:
    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.plans = {}  # "To" number (or "*webhook*") -> list of statuses to answer first
        self.down = False  # when True every request gets 503
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.gateway = self
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def next_status(self, rec):
        key = (rec.get("form") or {}).get("To") or ("*webhook*" if "json" in rec else None)
        with self.lock:
            if self.down:
                return 503
            plan = self.plans.get(key)
            if plan:
                return plan.pop(0)
        return 201

    def sms_to(self, number):
        with self.lock:
            return [r for r in self.requests if (r.get("form") or {}).get("To") == number]

    def webhooks(self):
        with self.lock:
            return [r for r in self.requests if "json" in r]

    def wait(self, pred, timeout=15.0):
        """Waits until pred() (called under no lock) is true; returns its value."""
        end = time.time() + timeout
        while True:
            v = pred()
            if v or time.time() > end:
                return v
            with self.lock:
                self.cond.wait(0.1)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def verify_signature(rec, secret, max_age=300):
    """True when the webhook's X-Waypost-Signature is the HMAC-SHA256 with
    secret over TIMESTAMP "." BODY and the timestamp is recent."""
    ts = rec["headers"].get("x-waypost-timestamp", "")
    sig = rec["headers"].get("x-waypost-signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > max_age:
        return False
    want = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + rec["raw"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, sig)


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        sink = self.server.sink
        self.reply("220 fake-smtp ready")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-fake-smtp" if verb == "EHLO" else "250 fake-smtp")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                mail_from, rcpts = cmd[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd[8:].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data.append(l[1:] if l.startswith(b"..") else l)
                raw = b"".join(data)
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                with sink.lock:
                    sink.messages.append({"from": mail_from, "to": rcpts, "raw": raw, "msg": msg,
                                          "body": msg.get_content(), "subject": str(msg["Subject"]),
                                          "at": time.time()})
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


class SmtpSink:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
        self.server.sink = self
        self.port = self.server.server_address[1]
        self.url = "smtp://127.0.0.1:%d" % self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address in m["to"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
