"""What the fake providers share (imported by telegram.py, whatsapp.py, twilio.py and
webhook_sink.py, which run as scripts from this folder): the HTTP plumbing of the README's
conventions, a token bucket, Idempotency-Key replay and the POST a fake sends to a webhook.

Provider-specific parts (wire formats, error bodies, signatures) stay in each fake.
"""
import argparse
import json
import urllib.parse
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Bucket:
    """Holds up to `burst` tokens, refilled at `rate` per second; rate <= 0 means no limit."""

    def __init__(self, rate, burst):
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self.tokens = self.burst
        self.at = time.monotonic()

    def wait(self):
        """Seconds until a token is available (0 when one is)."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self):
        if self.rate > 0:
            self.tokens -= 1


class IdempotencyStore:
    """Idempotency-Key -> the first accepted answer (real providers ignore the header; the fakes
    honour it so tests can tell a resend from a new message). Use with the state's lock held."""

    def __init__(self, stats):
        self.stats = stats  # the fake's stats; a replayed answer counts in stats["duplicates"]
        self.answers = {}

    def replay(self, key):
        """The answer first accepted for `key`, counted as a duplicate; None for a new key."""
        if key and key in self.answers:
            self.stats["duplicates"] += 1
            return self.answers[key]
        return None

    def remember(self, key, answer):
        """Keeps an accepted answer for later requests with the same key; returns it."""
        if key:
            self.answers[key] = answer
        return answer


def count_error(stats, code):
    """One more answer with this error code in stats["errors"] ({code as text: n})."""
    errors = stats["errors"]
    errors[str(code)] = errors.get(str(code), 0) + 1


def post(url, data, headers):
    """POSTs `data` (bytes) with `headers` to a webhook: (HTTP status, answer text), or (0, "")
    when no answer came (connection refused, timeout)."""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except Exception:  # connection refused, timeout: reported as 0
        return 0, ""


class Handler(BaseHTTPRequestHandler):
    """The request handler every fake extends: HTTP/1.1, silent, JSON answers, and the /_fake/
    control endpoints. `state` (set by serve) holds `lock` and, for POST /_fake/config and
    /_fake/reset, `configure(cfg)` and (optionally) `reset()`."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart
    state = None
    views = {}  # GET path -> name of the state attribute answered as JSON ("/_fake/sent": "sent")

    def log_message(self, *args):  # fakes print nothing after "listening on"
        pass

    def send(self, status, data, content_type, headers=None):
        """Answers with exactly `data` (bytes); `headers` follow Content-Type and Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def reply(self, status, body, headers=None):
        """Answers with `body` as JSON."""
        self.send(status, json.dumps(body).encode(), "application/json", headers)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def show_view(self, path):
        """Answers a GET of one of `views` with the state's value, under the lock; False (and no
        answer) when `path` is none of them."""
        name = self.views.get(path)
        if name is None:
            return False
        with self.state.lock:
            self.reply(200, getattr(self.state, name))
        return True

    def action(self, path, cfg):
        """A control endpoint beyond config and reset, for fakes that have more: the answer
        (status, JSON body) to POST `path` with the JSON `cfg`, or None when there is none."""
        return None

    def do_POST(self):
        """/_fake/ paths go to control(); every other POST to api_post(path, raw body)."""
        raw = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/_fake/"):
            return self.control(path, raw)
        return self.api_post(path, raw)

    def api_post(self, path, raw):
        """The provider's API: each fake answers its own requests."""
        return self.reply(404, {"error": "not found"})

    def control(self, path, raw):
        """Answers a POST to a /_fake/ path. The body must be JSON (else 400); /_fake/config
        passes it to state.configure, /_fake/reset calls state.reset (fakes whose state has one),
        both under the lock; other paths go to action(), 404 when it has none."""
        try:
            cfg = json.loads(raw or b"{}")
        except ValueError:
            return self.reply(400, {"error": "body is not JSON"})
        state = self.state
        if path == "/_fake/config":
            with state.lock:
                state.configure(cfg)
            return self.reply(200, {"ok": True})
        if path == "/_fake/reset" and hasattr(state, "reset"):
            with state.lock:
                state.reset()
            return self.reply(200, {"ok": True})
        answer = self.action(path, cfg)
        if answer is None:
            return self.reply(404, {"error": "unknown control endpoint"})
        return self.reply(*answer)


def arguments(doc):
    """The command line parser of a fake, with --port (0: any free port); `doc` is its help."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    return parser


def serve(handler, state, port):
    """Serves `handler` with `state` on 127.0.0.1:port (0: a free one), printing only
    "listening on PORT" once it accepts connections; never returns."""
    handler.state = state
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()
