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
import json
import threading
import urllib.parse

import fakelib


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


class Handler(fakelib.Handler):
    views = {"/_fake/received": "received"}

    def do_GET(self):
        if not self.show_view(self.path):
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        state = self.state
        raw = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/_fake/config", "/_fake/reset"):  # any other path is a webhook, recorded
            return self.control(path, raw)
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
        status, body = int(answer.get("status", 200)), answer.get("body")
        data = b"" if body is None or status in (204, 304) or status < 200 else str(body).encode()
        self.send(status, data, "text/plain", headers)  # 204, 304 and 1xx answers carry no body


def main():
    args = fakelib.arguments(__doc__).parse_args()
    fakelib.serve(Handler, State(), args.port)


if __name__ == "__main__":
    main()
