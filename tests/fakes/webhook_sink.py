#!/usr/bin/python3
"""A local receiver of webhooks, for contract tests of Faro's webhook and team chat channels and
for anything a fake provider calls back (Twilio status callbacks, inbound messages).

  - POST to any path outside /_fake/ (conventionally /hook) is recorded with its headers and
    raw body and answered 200 "ok" (what a Slack incoming webhook answers), or with the
    scripted answer.

Control:
  GET  /_fake/received   [{path, headers: {lower-case name: value}, body: raw text,
                         form: {name: [values]} for form posts, json: parsed for JSON posts}]
  POST /_fake/config     {"status": 503, "retry_after": 2, "body": "no_service", "times": n}:
                         the next n requests (every request when times is absent) get that
                         answer; {"script": [{"status", "retry_after", "body"}, ...]} answers
                         the next requests one by one before falling back to that
  POST /_fake/reset      forgets what was received and configured
"""
import argparse
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.received = []
        self.script = []
        self.answer = None  # {"status", "retry_after", "body"}
        self.times = None   # how many requests still get self.answer; None: all

    def configure(self, cfg):
        self.script.extend(cfg.get("script", []))
        if "status" in cfg:
            self.answer = {"status": int(cfg["status"]), "retry_after": cfg.get("retry_after"),
                           "body": cfg.get("body")}
            self.times = int(cfg["times"]) if cfg.get("times") is not None else None

    def next_answer(self):
        if self.script:
            return self.script.pop(0)
        if self.answer is not None and (self.times is None or self.times > 0):
            if self.times is not None:
                self.times -= 1
            return self.answer
        return {"status": 200, "body": "ok"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart
    state = None

    def log_message(self, *args):  # fakes print nothing after "listening on"
        pass

    def reply(self, status, body, content_type="application/json", headers=None):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        if status in (204, 304) or status < 200:
            data = b""  # these answers carry no body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_fake/received":
            with self.state.lock:
                return self.reply(200, self.state.received)
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        state = self.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/_fake/config", "/_fake/reset"):
            try:
                cfg = json.loads(raw or b"{}")
            except ValueError:
                return self.reply(400, {"error": "body is not JSON"})
            with state.lock:
                if path == "/_fake/reset":
                    state.reset()
                else:
                    state.configure(cfg)
            return self.reply(200, {"ok": True})
        text = raw.decode("utf-8", "replace")
        record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": text}
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/x-www-form-urlencoded":
            record["form"] = urllib.parse.parse_qs(text, keep_blank_values=True)
        elif kind == "application/json":
            try:
                record["json"] = json.loads(text)
            except ValueError:
                record["json"] = None
        with state.lock:
            state.received.append(record)
            answer = state.next_answer()
        headers = {}
        if answer.get("retry_after") is not None:
            headers["Retry-After"] = str(answer["retry_after"])
        body = answer.get("body")
        self.reply(int(answer.get("status", 200)), "" if body is None else str(body), "text/plain", headers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    Handler.state = State()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
