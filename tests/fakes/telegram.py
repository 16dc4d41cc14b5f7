#!/usr/bin/python3
"""A local fake of the Telegram Bot API's sendMessage, for contract tests.

Behaves like the real API where Faro depends on it:
  - POST /bot<TOKEN>/sendMessage with JSON or form fields chat_id and text; any other token
    answers 401 {"ok":false,"error_code":401,"description":"Unauthorized"}.
  - text over 4096 UTF-16 code units -> 400 "Bad Request: message is too long".
  - token buckets: overall --rate per second and --per-chat-rate per second per chat; an empty
    bucket answers 429 {"parameters":{"retry_after":N}} with N whole seconds.
  - chats that never started (or blocked) the bot -> 403; a migrated group -> 400 with
    parameters.migrate_to_chat_id.
  - an "Idempotency-Key" header (real Telegram ignores it): a repeated key gets the first
    accepted answer again, is counted as a duplicate and is not delivered twice.

Control (never part of the real API):
  GET  /_fake/sent       accepted messages [{message_id, chat_id, text, idempotency_key, time}]
  GET  /_fake/requests   every sendMessage request [{body, idempotency_key, status, error_code}]
  GET  /_fake/stats      {"requests", "accepted", "rate_limited", "duplicates", "errors": {code: n}}
  POST /_fake/config     any of {"token", "rate", "burst", "per_chat_rate", "per_chat_burst",
                         "blocked": [chat], "unblocked": [chat], "migrated": {old: new},
                         "outage": bool, "fail_next": [{"status", "error_code", "description",
                         "parameters"}]}; a rate of 0 turns that limit off
  POST /_fake/deliver_update {"url", "secret_token", "update", "repeat": n, "async": bool}
                         POSTs the update (JSON) to url n times with the header
                         X-Telegram-Bot-Api-Secret-Token (left out when secret_token is null);
                         answers {"statuses": [http status or 0 on failure, ...]}
"""
import hmac
import json
import math
import re
import threading
import time
import urllib.parse

import fakelib
from fakelib import Bucket

MAX_TEXT = 4096


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.rate, self.burst = args.rate, args.burst
        self.per_chat_rate, self.per_chat_burst = args.per_chat_rate, args.per_chat_burst
        self.overall = Bucket(self.rate, self.burst)
        self.chats = {}
        self.blocked = set(str(c) for c in args.blocked)
        self.migrated = {}
        for pair in args.migrated:
            old, new = pair.split("=", 1)
            self.migrated[old] = int(new)
        self.outage = False
        self.fail_next = []
        self.sent = []
        self.requests = []
        self.next_message_id = 1
        self.next_update_id = 100001
        self.stats = {"requests": 0, "accepted": 0, "rate_limited": 0, "duplicates": 0, "errors": {}}
        self.idempotency = fakelib.IdempotencyStore(self.stats)

    def chat_bucket(self, chat):
        if chat not in self.chats:
            self.chats[chat] = Bucket(self.per_chat_rate, self.per_chat_burst)
        return self.chats[chat]

    def configure(self, cfg):
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "rate" in cfg or "burst" in cfg:
            self.rate = float(cfg.get("rate", self.rate))
            self.burst = float(cfg.get("burst", self.burst))
            self.overall = Bucket(self.rate, self.burst)
        if "per_chat_rate" in cfg or "per_chat_burst" in cfg:
            self.per_chat_rate = float(cfg.get("per_chat_rate", self.per_chat_rate))
            self.per_chat_burst = float(cfg.get("per_chat_burst", self.per_chat_burst))
            self.chats = {}
        self.blocked |= set(str(c) for c in cfg.get("blocked", []))
        self.blocked -= set(str(c) for c in cfg.get("unblocked", []))
        for old, new in cfg.get("migrated", {}).items():
            self.migrated[str(old)] = int(new)
        if "outage" in cfg:
            self.outage = bool(cfg["outage"])
        self.fail_next.extend(cfg.get("fail_next", []))


def error(code, description, parameters=None):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def utf16_length(text):
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def send_message(state, fields, key):
    """Returns (http status, JSON body) for one sendMessage; call with state.lock held."""
    answer = state.idempotency.replay(key)
    if answer is not None:
        return answer
    if state.outage:
        return error(500, "Internal Server Error")
    if state.fail_next:
        f = state.fail_next.pop(0)
        status = int(f.get("status", 400))
        if "raw" in f:  # not the Bot API answering: a proxy's page
            return status, str(f["raw"])
        return error(int(f.get("error_code", status)), f.get("description", "Bad Request"), f.get("parameters"))
    chat_id = fields.get("chat_id")
    text = fields.get("text")
    if chat_id is None or chat_id == "":
        return error(400, "Bad Request: chat_id is empty")
    if not isinstance(text, str) or text == "":
        return error(400, "Bad Request: message text is empty")
    if utf16_length(text) > MAX_TEXT:
        return error(400, "Bad Request: message is too long")
    chat = str(chat_id)
    if chat in state.blocked:
        return error(403, "Forbidden: bot was blocked by the user")
    if chat in state.migrated:
        return error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                     {"migrate_to_chat_id": state.migrated[chat]})
    bucket = state.chat_bucket(chat)
    wait = max(bucket.wait(), state.overall.wait())
    if wait > 0:
        state.stats["rate_limited"] += 1
        seconds = max(1, math.ceil(wait))
        return error(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
    bucket.take()
    state.overall.take()
    message_id = state.next_message_id
    state.next_message_id += 1
    now = time.time()
    state.sent.append({"message_id": message_id, "chat_id": chat_id, "text": text,
                       "idempotency_key": key, "time": now})
    state.stats["accepted"] += 1
    chat_type = "channel" if chat.startswith("@") or chat.startswith("-100") else "private"
    return state.idempotency.remember(key, (200, {"ok": True, "result": {
        "message_id": message_id, "date": int(now), "chat": {"id": chat_id, "type": chat_type}, "text": text}}))


def deliver_update(state, cfg):
    update = dict(cfg.get("update", {}))
    with state.lock:
        if "update_id" not in update:
            update["update_id"] = state.next_update_id
            state.next_update_id += 1
    body = json.dumps(update, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json"}
    if cfg.get("secret_token") is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = str(cfg["secret_token"])
    return [fakelib.post(cfg["url"], body, headers)[0] for _ in range(int(cfg.get("repeat", 1)))]


class Handler(fakelib.Handler):
    views = {"/_fake/sent": "sent", "/_fake/requests": "requests", "/_fake/stats": "stats"}

    def reply(self, status, body, headers=None):
        if isinstance(body, str):  # a scripted page that is not the Bot API's JSON
            return self.send(status, body.encode(), "text/html", headers)
        super().reply(status, body, headers)

    def do_GET(self):
        if not self.show_view(self.path):
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def action(self, path, cfg):
        if path != "/_fake/deliver_update":
            return None
        if cfg.get("async"):
            threading.Thread(target=deliver_update, args=(self.state, cfg), daemon=True).start()
            return 200, {"queued": int(cfg.get("repeat", 1))}
        return 200, {"statuses": deliver_update(self.state, cfg)}

    def api_post(self, path, raw):
        state = self.state
        m = re.fullmatch(r"/bot([^/]*)/([A-Za-z]+)", path)
        with state.lock:
            request = None
            if not m or not hmac.compare_digest(m.group(1).encode(), state.token.encode()):
                status, body = error(401, "Unauthorized")
            elif m.group(2) != "sendMessage":
                status, body = error(404, "Not Found")
            else:
                fields = self.fields(raw)
                key = self.headers.get("Idempotency-Key")
                if fields is None:
                    status, body = error(400, "Bad Request: can't parse JSON object")
                else:
                    status, body = send_message(state, fields, key)
                state.stats["requests"] += 1
                request = {"body": fields, "idempotency_key": key, "status": status, "error_code": None}
                state.requests.append(request)
            if status >= 400:
                code = body["error_code"] if isinstance(body, dict) else status
                fakelib.count_error(state.stats, code)
                if request:
                    request["error_code"] = code
        self.reply(status, body)

    def fields(self, raw):
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        try:
            if kind == "application/json":
                value = json.loads(raw)
                return value if isinstance(value, dict) else None
            return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        except ValueError:
            return None


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="123456:TEST-token_abc")
    parser.add_argument("--rate", type=float, default=30, help="messages per second, all chats")
    parser.add_argument("--burst", type=float, default=30)
    parser.add_argument("--per-chat-rate", type=float, default=1, help="messages per second to one chat")
    parser.add_argument("--per-chat-burst", type=float, default=1)
    parser.add_argument("--blocked", action="append", default=[], help="a chat that never started the bot")
    parser.add_argument("--migrated", action="append", default=[], help="OLD=NEW: a group upgraded to a supergroup")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
