#!/usr/bin/python3
"""A local fake of the WhatsApp Business Cloud API (Meta Graph) for contract tests.

Sending: POST /<version>/<phone_number_id>/messages with "Authorization: Bearer <token>".
  - wrong or missing token -> HTTP 401, error code 190
  - messaging_product other than "whatsapp", bad type or missing fields -> HTTP 400, code 100
  - free-form text to a person whose last inbound message (set with /_fake/config "inbound")
    is unknown or older than 24 hours -> HTTP 400, code 131047; templates are accepted
  - per-number bucket (--rate per second, --burst) -> 130429; per-recipient pair limit
    (one message per --pair-period seconds, bursts of --pair-burst) -> 131056
  - outage mode -> HTTP 500 with code 2 ("outage": true) or a bare HTTP 503 ("outage": "503")
  - recipients listed in "not_on_whatsapp" -> 131026
  - an "Idempotency-Key" header (the real API ignores it): a repeated key gets the first
    accepted answer again, is counted as a duplicate and is not delivered twice
Health: GET /<version>/<id>?fields=health_status answers with the configured "health" value.

Control (never part of the real API):
  GET  /_fake/sent       accepted messages [{id, to, type, text | template, body, idempotency_key, time}]
  GET  /_fake/requests   every /messages request [{body, idempotency_key, status, code}]
  GET  /_fake/stats      {"requests", "accepted", "rate_limited", "duplicates", "errors": {code: n}}
  POST /_fake/config     any of {"token", "rate", "burst", "pair_period", "pair_burst",
                         "inbound": {wa_id: unix seconds}, "not_on_whatsapp": [wa_id],
                         "outage": false | true | "503", "health": "AVAILABLE|LIMITED|BLOCKED",
                         "fail_next": [{"status", "code", "message", "details", "retry_after"}]};
                         a rate of 0 turns that limit off
  POST /_fake/deliver_status {"url", "app_secret", "status": {...} | "statuses": [{...}, ...],
                         "repeat": n, "raw": "exact body", "async": bool}
                         POSTs each status as its own webhook (in the order given, `repeat`
                         times each) signed X-Hub-Signature-256: sha256=HMAC-SHA256(app_secret,
                         raw body); "raw" sends those exact bytes instead. Answers
                         {"statuses": [http status or 0 on failure, ...]}
  POST /_fake/deliver_message {"url", "app_secret", "message": {...}, "contact": {...},
                         "repeat": n, "async": bool}: the same for an inbound message, which also
                         opens the 24-hour window for its sender
"""
import hashlib
import hmac
import json
import re
import threading
import time
import urllib.parse

import fakelib
from fakelib import Bucket

MAX_TEXT = 4096
WINDOW = 24 * 3600
WABA_ID = "102290129340398"


def wa_id(value):
    return str(value).lstrip("+")


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.phone_number_id = args.phone_number_id
        self.rate, self.burst = args.rate, args.burst
        self.pair_period, self.pair_burst = args.pair_period, args.pair_burst
        self.number = Bucket(self.rate, self.burst)
        self.pairs = {}
        self.inbound = {}
        self.not_on_whatsapp = set()
        self.outage = False
        self.health = "AVAILABLE"
        self.fail_next = []
        self.sent = []
        self.requests = []
        self.counter = 0
        self.stats = {"requests": 0, "accepted": 0, "rate_limited": 0, "duplicates": 0, "errors": {}}
        self.idempotency = fakelib.IdempotencyStore(self.stats)

    def pair_bucket(self, to):
        if to not in self.pairs:
            rate = 1.0 / self.pair_period if self.pair_period > 0 else 0
            self.pairs[to] = Bucket(rate, self.pair_burst)
        return self.pairs[to]

    def configure(self, cfg):
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "rate" in cfg or "burst" in cfg:
            self.rate = float(cfg.get("rate", self.rate))
            self.burst = float(cfg.get("burst", self.burst))
            self.number = Bucket(self.rate, self.burst)
        if "pair_period" in cfg or "pair_burst" in cfg:
            self.pair_period = float(cfg.get("pair_period", self.pair_period))
            self.pair_burst = float(cfg.get("pair_burst", self.pair_burst))
            self.pairs = {}
        for who, ts in cfg.get("inbound", {}).items():
            self.inbound[wa_id(who)] = float(ts)
        self.not_on_whatsapp |= set(wa_id(w) for w in cfg.get("not_on_whatsapp", []))
        if "outage" in cfg:
            self.outage = cfg["outage"]
        if "health" in cfg:
            self.health = str(cfg["health"])
        self.fail_next.extend(cfg.get("fail_next", []))


def error(status, code, message, details, headers=None):
    body = {"error": {"message": f"(#{code}) {message}", "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": details},
                      "fbtrace_id": "AFakeTrace0000000000000"}}
    return status, body, headers or {}


def bad_parameter(details):
    return error(400, 100, "Invalid parameter", details)


def check_template(template):
    if not isinstance(template, dict) or not isinstance(template.get("name"), str) or not template["name"]:
        return "template.name is required"
    language = template.get("language")
    if not isinstance(language, dict) or not isinstance(language.get("code"), str) or not language["code"]:
        return "template.language.code is required"
    for component in template.get("components", []):
        if not isinstance(component, dict) or "type" not in component:
            return "each template component needs a type"
        for p in component.get("parameters", []):
            if not isinstance(p, dict) or p.get("type") != "text" or not isinstance(p.get("text"), str):
                return "template parameters must be {\"type\":\"text\",\"text\":\"...\"}"
    return None


def send(state, body, key):
    """Returns (http status, JSON body or None for a bare 503, headers); call with state.lock held."""
    answer = state.idempotency.replay(key)
    if answer is not None:
        return answer
    if state.outage == "503":
        return 503, None, {}
    if state.outage:
        return error(500, 2, "Service temporarily unavailable",
                     "The service is temporarily unavailable. Please check the status page.")
    if state.fail_next:
        f = state.fail_next.pop(0)
        headers = {"Retry-After": str(f["retry_after"])} if "retry_after" in f else {}
        return error(int(f.get("status", 400)), int(f.get("code", 1)), f.get("message", "Scripted error"),
                     f.get("details", "Scripted by the test"), headers)
    if not isinstance(body, dict):
        return bad_parameter("The request body is not a JSON object")
    if body.get("messaging_product") != "whatsapp":
        return bad_parameter("messaging_product must be \"whatsapp\"")
    to = body.get("to")
    if not isinstance(to, str) or not re.fullmatch(r"\+?[0-9]{6,15}", to):
        return bad_parameter("to must be a phone number")
    to = wa_id(to)
    kind = body.get("type", "text")
    if kind == "text":
        text = body.get("text")
        if not isinstance(text, dict) or not isinstance(text.get("body"), str) or not text["body"]:
            return bad_parameter("text.body is required")
        if len(text["body"]) > MAX_TEXT:
            return bad_parameter("text.body is longer than 4096 characters")
        last = state.inbound.get(to)
        if last is None or time.time() - last >= WINDOW:
            return error(400, 131047, "Re-engagement message",
                         "More than 24 hours have passed since the recipient last replied to the sender number.")
    elif kind == "template":
        problem = check_template(body.get("template"))
        if problem:
            return bad_parameter(problem)
    else:
        return bad_parameter(f"type \"{kind}\" is not supported by this fake")
    if to in state.not_on_whatsapp:
        return error(400, 131026, "Message Undeliverable",
                     "Message failed to send because the recipient is not on WhatsApp or cannot receive it.")
    pair = state.pair_bucket(to)
    if state.number.wait() > 0:
        state.stats["rate_limited"] += 1
        return error(400, 130429, "Rate limit hit",
                     "Message failed to send because there were too many messages sent from this phone "
                     "number in a short period of time")
    if pair.wait() > 0:
        state.stats["rate_limited"] += 1
        return error(400, 131056, "(Business Account, Consumer Account) pair rate limit hit",
                     "Message failed to send because there were too many messages sent from this phone "
                     "number to the same phone number in a short period of time")
    state.number.take()
    pair.take()
    state.counter += 1
    wamid = f"wamid.FAKE{state.counter:06d}"
    record = {"id": wamid, "to": to, "type": kind, "body": body, "idempotency_key": key, "time": time.time()}
    if kind == "text":
        record["text"] = body["text"]["body"]
    else:
        record["template"] = body["template"]
    state.sent.append(record)
    state.stats["accepted"] += 1
    return state.idempotency.remember(key, (200, {
        "messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": to}],
        "messages": [{"id": wamid}]}, {}))


def signed_post(url, raw, app_secret):
    """POSTs a webhook signed X-Hub-Signature-256; returns the HTTP status (0: no answer)."""
    signature = "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return fakelib.post(url, raw, {"Content-Type": "application/json", "X-Hub-Signature-256": signature})[0]


def envelope(state, value):
    metadata = {"display_phone_number": "15550783881", "phone_number_id": state.phone_number_id or "106540352242922"}
    value = {"messaging_product": "whatsapp", "metadata": metadata, **value}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}]}


def deliver(state, cfg, values):
    """POSTs each value's webhook `repeat` times, in order; returns the HTTP statuses."""
    repeat = int(cfg.get("repeat", 1))
    if "raw" in cfg:
        bodies = [str(cfg["raw"]).encode()]
    else:
        bodies = [json.dumps(envelope(state, v), separators=(",", ":")).encode() for v in values]
    statuses = []
    for raw in bodies:
        for _ in range(repeat):
            statuses.append(signed_post(cfg["url"], raw, str(cfg.get("app_secret", ""))))
    return statuses


class Handler(fakelib.Handler):
    views = {"/_fake/sent": "sent", "/_fake/requests": "requests", "/_fake/stats": "stats"}

    def reply(self, status, body, headers=None):
        if body is None:  # a bare 503 from in front of the API
            return self.send(status, b"Service Unavailable", "text/plain", headers)
        super().reply(status, body, headers)

    def authorized(self):
        given = self.headers.get("Authorization") or ""
        return hmac.compare_digest(given.encode(), f"Bearer {self.state.token}".encode())

    def do_GET(self):
        state = self.state
        split = urllib.parse.urlsplit(self.path)
        if self.show_view(split.path):
            return
        with state.lock:
            m = re.fullmatch(r"/v[0-9.]+/([0-9]+)", split.path)
            if m and "health_status" in urllib.parse.parse_qs(split.query).get("fields", [""])[0]:
                if not self.authorized():
                    return self.reply(*error(401, 190, "Invalid OAuth access token", "Invalid OAuth access token")[:2])
                node = m.group(1)
                return self.reply(200, {"health_status": {"can_send_message": state.health, "entities": [
                    {"entity_type": "PHONE_NUMBER", "id": node, "can_send_message": state.health},
                    {"entity_type": "WABA", "id": WABA_ID, "can_send_message": "AVAILABLE"}]}, "id": node})
        self.reply(*error(400, 100, "Unsupported get request", "Unknown path")[:2])

    def api_post(self, path, raw):
        state = self.state
        m = re.fullmatch(r"/v[0-9.]+/([0-9]+)/messages", path)
        with state.lock:
            if not m or (state.phone_number_id and m.group(1) != state.phone_number_id):
                status, body, headers = error(400, 100, "Unsupported post request",
                                              "Object does not exist or does not support this operation")
            elif not self.authorized():
                status, body, headers = error(401, 190, "Invalid OAuth access token - Cannot parse access token",
                                              "Invalid OAuth access token")
            else:
                try:
                    request = json.loads(raw)
                except ValueError:
                    request = None
                key = self.headers.get("Idempotency-Key")
                status, body, headers = send(state, request, key)
                code = body["error"]["code"] if body and "error" in body else (None if status < 400 else status)
                state.stats["requests"] += 1
                state.requests.append({"body": request, "idempotency_key": key, "status": status, "code": code})
            if status >= 400:
                fakelib.count_error(state.stats, body["error"]["code"] if body else status)
        self.reply(status, body, headers)

    def action(self, path, cfg):
        state = self.state
        if path == "/_fake/deliver_status":
            values = [{"statuses": [s]} for s in (cfg["statuses"] if "statuses" in cfg else [cfg.get("status", {})])]
        elif path == "/_fake/deliver_message":
            message = dict(cfg.get("message", {}))
            sender = wa_id(message.get("from", ""))
            message.setdefault("timestamp", str(int(time.time())))
            with state.lock:
                state.inbound[sender] = float(message["timestamp"])
            contact = cfg.get("contact", {"profile": {"name": "Test Person"}, "wa_id": sender})
            values = [{"contacts": [contact], "messages": [message]}]
        else:
            return None
        if cfg.get("async"):
            threading.Thread(target=deliver, args=(state, cfg, values), daemon=True).start()
            return 200, {"queued": len(values) * int(cfg.get("repeat", 1))}
        return 200, {"statuses": deliver(state, cfg, values)}


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="EAAG-test-token")
    parser.add_argument("--phone-number-id", default="", help="accept only this id (default: any)")
    parser.add_argument("--rate", type=float, default=80, help="messages per second from the number")
    parser.add_argument("--burst", type=float, default=80)
    parser.add_argument("--pair-period", type=float, default=6, help="seconds per message to one person")
    parser.add_argument("--pair-burst", type=float, default=45)
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
