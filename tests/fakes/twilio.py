#!/usr/bin/python3
"""A local fake of Twilio's REST API (Messages and Calls), for contract tests.

Behaves like the real API where Faro depends on it:
  - POST /2010-04-01/Accounts/{AccountSid}/Messages.json and .../Calls.json, HTTP Basic with
    the account SID and auth token; anything else answers 401
    {"code":20003,"message":"Authenticate","more_info":...,"status":401}.
  - form fields parsed with repeated keys kept (MediaUrl may be given several times).
  - Messages: To (E.164, else 21211), From or MessagingServiceSid (else 21603), Body or MediaUrl
    (else 21602), Body at most 1600 characters (else 21617). Calls: To, From, and Twiml (must
    parse as XML, else 12100), Url or ApplicationSid.
  - 201 with {"sid":"SM…"|"CA…","status":"queued",...}.
  - opt-out: a number that texted STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or
    OPTOUT (trimmed, any case) gets 400 {"code":21610,...} for later messages; START, YES or
    UNSTOP subscribes it again. Calls are not affected.
  - more than --rate requests in one second, or more than --concurrency in flight, answers 429
    {"code":20429,...} (with Retry-After only when configured, as Twilio sends none).
  - an "Idempotency-Key" header (real Twilio ignores it): a repeated key gets the first accepted
    answer again, is counted as a duplicate and is not delivered twice.
  - status callbacks: after accepting a message with StatusCallback the fake POSTs (form) "sent"
    then "delivered" (or the configured outcome) to it; no callback for "queued", as Twilio
    sends none. A call gets one "completed" callback (or the configured call outcome). Each is
    signed with X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the URL
    followed by every parameter name and value sorted by name.

Control (never part of the real API):
  GET  /_fake/sent       accepted requests [{kind: sms|call, sid, fields: {name: first value},
                         multi: {name: [values]}, idempotency_key, say: {text, language, voice}}]
  GET  /_fake/stats      {"requests", "accepted", "duplicates", "rate_limited", "auth_failed",
                         "callbacks", "errors": {code: n}}
  GET  /_fake/callbacks  status callbacks sent [{url, params, signature, status}]
  POST /_fake/config     any of {"auth_token", "rate", "concurrency", "delay_ms", "retry_after",
                         "stopped": [number] (replaces the list), "fail_next": [{"status", "code",
                         "message", "retry_after"}], "numbers": {number: {"status", "code"}},
                         "outcomes": {number: {"status": "undelivered", "error_code": 30003}},
                         "call_outcomes": {number: {"status": "no-answer"}},
                         "callbacks": bool, "signature_url": "as_is"|"with_port"|"without_port"};
                         a rate or concurrency of 0 turns that limit off
  POST /_fake/reset      forgets everything sent and configured since start
  POST /_fake/inbound    {"from", "body"}: the number texted this (STOP/START keywords apply)
  POST /_fake/send_inbound {"url", "params", "signature"?, "sign"?}: the keywords apply, then
                         POSTs a signed inbound-SMS webhook (From, To, Body, MessageSid, ...) to
                         url; answers {"status", "body", "signature", "params"}
  POST /_fake/sign       {"url", "params": {name: value or [values]}, "token"?}: {"signature"}
"""
import base64
import binascii
import collections
import hashlib
import hmac
import re
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree

import fakelib

MAX_BODY = 1600
OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN = {"START", "YES", "UNSTOP"}
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
POOL_NUMBER = "+15005550006"  # the number a Messaging Service "picks" in callbacks


def signature(token, url, params):
    """X-Twilio-Signature: params is {name: value or [values]}; repeated values are sorted and
    de-duplicated, as twilio-node does."""
    data = url
    for name in sorted(params):
        values = params[name]
        if not isinstance(values, list):
            values = [values]
        for value in sorted(set(str(v) for v in values)):
            data += name + value
    mac = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def url_variant(url, variant):
    """The URL as signed: as configured, or with the default port added or removed (Twilio's
    back end is inconsistent about it, so validators accept both)."""
    parts = urllib.parse.urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if variant == "with_port" and parts.port is None and default:
        netloc = f"{parts.hostname}:{default}"
    elif variant == "without_port" and parts.port is not None and parts.port == default:
        netloc = parts.hostname
    else:
        return url
    if parts.username:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def twilio_error(status, code, message):
    return status, {"code": code, "message": message,
                    "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}


def keyword(body):
    return (body or "").strip().upper()


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.account_sid = args.account_sid
        self.reset()

    def reset(self):
        self.auth_token = self.args.auth_token
        self.rate = self.args.rate
        self.concurrency = self.args.concurrency
        self.delay_ms = 0
        self.retry_after = None
        self.stopped = set()
        self.fail_next = []
        self.numbers = {}
        self.outcomes = {}
        self.call_outcomes = {}
        self.callbacks_on = True
        self.signature_url = "as_is"
        self.recent = collections.deque()  # monotonic times of requests in the last second
        self.in_flight = 0
        self.sent = []
        self.callbacks = []
        self.counter = 0
        self.stats = {"requests": 0, "accepted": 0, "duplicates": 0, "rate_limited": 0, "auth_failed": 0,
                      "callbacks": 0, "errors": {}}
        self.idempotency = fakelib.IdempotencyStore(self.stats)

    def configure(self, cfg):
        if "auth_token" in cfg:
            self.auth_token = str(cfg["auth_token"])
        if "rate" in cfg:
            self.rate = float(cfg["rate"])
        if "concurrency" in cfg:
            self.concurrency = int(cfg["concurrency"])
        if "delay_ms" in cfg:
            self.delay_ms = int(cfg["delay_ms"])
        if "retry_after" in cfg:
            self.retry_after = cfg["retry_after"]
        if "stopped" in cfg:
            self.stopped = set(cfg["stopped"])
        self.fail_next.extend(cfg.get("fail_next", []))
        self.numbers.update(cfg.get("numbers", {}))
        self.outcomes.update(cfg.get("outcomes", {}))
        self.call_outcomes.update(cfg.get("call_outcomes", {}))
        if "callbacks" in cfg:
            self.callbacks_on = bool(cfg["callbacks"])
        if "signature_url" in cfg:
            self.signature_url = cfg["signature_url"]

    def texted(self, number, body):
        """A person texted `body` from `number`: Twilio's default opt-out handling."""
        word = keyword(body)
        if word in OPT_OUT:
            self.stopped.add(number)
            return "stop"
        if word in OPT_IN:
            self.stopped.discard(number)
            return "start"
        return "none"

    def new_sid(self, prefix):
        self.counter += 1
        return prefix + f"{self.counter:032x}"

    def rate_limited(self):
        """True when this request is over the per-second rate; records it otherwise."""
        if self.rate <= 0:
            return False
        now = time.monotonic()
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if len(self.recent) >= self.rate:
            return True
        self.recent.append(now)
        return False


def first(multi, name):
    values = multi.get(name)
    return values[0] if values else None


def create(state, kind, multi, key, callback_jobs):
    """(status, body) for one create request; call with state.lock held. Callbacks to send once
    the lock is released are appended to callback_jobs."""
    answer = state.idempotency.replay(key)
    if answer is not None:
        return answer
    if state.fail_next:
        f = state.fail_next.pop(0)
        status = int(f.get("status", 400))
        answer = twilio_error(status, int(f.get("code", status)), f.get("message", "Scripted failure"))
        if f.get("retry_after") is not None:
            answer = answer + ({"Retry-After": str(f["retry_after"])},)
        return answer
    if state.rate_limited() or (state.concurrency > 0 and state.in_flight > state.concurrency):
        state.stats["rate_limited"] += 1
        answer = twilio_error(429, 20429, "Too Many Requests")
        if state.retry_after is not None:
            answer = answer + ({"Retry-After": str(state.retry_after)},)
        return answer
    to = first(multi, "To")
    if not to:
        return twilio_error(400, 21604, "A 'To' phone number is required.")
    if not E164.fullmatch(to):
        return twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if to in state.numbers:
        n = state.numbers[to]
        return twilio_error(int(n.get("status", 400)), int(n["code"]), n.get("message", "Scripted failure"))
    sender = first(multi, "From")
    service = first(multi, "MessagingServiceSid")
    callback = first(multi, "StatusCallback")
    record = {"kind": kind, "fields": {k: v[0] for k, v in multi.items()}, "multi": multi,
              "idempotency_key": key, "time": time.time()}
    if kind == "sms":
        if not sender and not service:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        body = first(multi, "Body") or ""
        if not body and not multi.get("MediaUrl"):
            return twilio_error(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY:
            return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if to in state.stopped:
            return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
        sid = state.new_sid("SM")
        answer = (201, {"sid": sid, "account_sid": state.account_sid, "status": "queued", "to": to,
                        "from": sender, "messaging_service_sid": service, "body": body,
                        "num_media": str(len(multi.get("MediaUrl", []))), "num_segments": "1",
                        "direction": "outbound-api", "api_version": "2010-04-01", "error_code": None,
                        "error_message": None,
                        "uri": f"/2010-04-01/Accounts/{state.account_sid}/Messages/{sid}.json"})
    else:
        if not sender:
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        twiml = first(multi, "Twiml")
        if twiml is None and not first(multi, "Url") and not first(multi, "ApplicationSid"):
            return twilio_error(400, 21205, "Url parameter is required.")
        if twiml is not None:
            try:
                root = ElementTree.fromstring(twiml)
            except ElementTree.ParseError:
                return twilio_error(400, 12100, "Document parse failure")
            say = root.find("Say")
            if root.tag != "Response" or say is None:
                return twilio_error(400, 12100, "Document parse failure")
            record["say"] = {"text": say.text or "", "language": say.get("language"), "voice": say.get("voice")}
        sid = state.new_sid("CA")
        answer = (201, {"sid": sid, "account_sid": state.account_sid, "status": "queued", "to": to,
                        "from": sender, "direction": "outbound-api", "api_version": "2010-04-01",
                        "uri": f"/2010-04-01/Accounts/{state.account_sid}/Calls/{sid}.json"})
    record["sid"] = sid
    state.sent.append(record)
    state.stats["accepted"] += 1
    state.idempotency.remember(key, answer)
    if callback and state.callbacks_on:
        callback_jobs.append(status_callbacks(state, kind, sid, to, sender, service, callback))
    return answer


def status_callbacks(state, kind, sid, to, sender, service, url):
    """The callbacks Twilio would POST for this message or call, in order: [(url, params)]."""
    outcome = (state.outcomes if kind == "sms" else state.call_outcomes).get(to, {})
    common = {"AccountSid": state.account_sid, "ApiVersion": "2010-04-01", "To": to,
              "From": sender or POOL_NUMBER}
    if kind == "sms":
        common.update({"MessageSid": sid, "SmsSid": sid})
        if service:
            common["MessagingServiceSid"] = service
        final = outcome.get("status", "delivered")
        steps = [final] if final == "failed" else ["sent", final]
        jobs = []
        for step in steps:
            params = dict(common, MessageStatus=step, SmsStatus=step)
            if step in ("failed", "undelivered") and outcome.get("error_code") is not None:
                params["ErrorCode"] = str(outcome["error_code"])
            jobs.append((url, params))
        return jobs
    status = outcome.get("status", "completed")
    params = dict(common, CallSid=sid, CallStatus=status, Direction="outbound-api",
                  CallDuration="12" if status == "completed" else "0")
    return [(url, params)]


def post_form(url, params, headers):
    """POSTs params as a form, as Twilio's webhooks do: (HTTP status, answer text); 0 when none."""
    return fakelib.post(url, urllib.parse.urlencode(params).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "TwilioProxy/1.1", **headers})


def send_signed(state, url, params, override=None, sign=True):
    with state.lock:
        token, variant = state.auth_token, state.signature_url
    sig = override if override is not None else signature(token, url_variant(url, variant), params)
    status, body = post_form(url, params, {"X-Twilio-Signature": sig} if sign else {})
    return sig, status, body


def run_callbacks(state, jobs):
    for url, params in jobs:
        sig, status, _ = send_signed(state, url, params)
        with state.lock:
            state.stats["callbacks"] += 1
            state.callbacks.append({"url": url, "params": params, "signature": sig, "status": status})


class Handler(fakelib.Handler):
    views = {"/_fake/sent": "sent", "/_fake/stats": "stats", "/_fake/callbacks": "callbacks"}

    def reply(self, status, body, headers=None):
        if status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": 'Basic realm="Twilio API"'}
        super().reply(status, body, headers)

    def do_GET(self):
        if not self.show_view(self.path):
            self.reply(*twilio_error(404, 20404, "The requested resource was not found"))

    def authorised(self, path_sid):
        state = self.state
        value = self.headers.get("Authorization") or ""
        if not value.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(value[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        ok_user = hmac.compare_digest(user.encode(), state.account_sid.encode())
        ok_password = hmac.compare_digest(password.encode(), state.auth_token.encode())
        return ok_user and ok_password and path_sid == state.account_sid

    def api_post(self, path, raw):
        state = self.state
        m = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\.json", path)
        jobs = []
        with state.lock:
            state.stats["requests"] += 1
            state.in_flight += 1
            authorised = self.authorised(m.group(1)) if m else False
        try:
            if state.delay_ms > 0:
                time.sleep(state.delay_ms / 1000)
            with state.lock:
                if not m:
                    answer = twilio_error(404, 20404, "The requested resource was not found")
                elif not authorised:
                    state.stats["auth_failed"] += 1
                    answer = twilio_error(401, 20003, "Authenticate")
                else:
                    multi = urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
                    kind = "sms" if m.group(2) == "Messages" else "call"
                    answer = create(state, kind, multi, self.headers.get("Idempotency-Key"), jobs)
                status, body = answer[0], answer[1]
                if status >= 400:
                    fakelib.count_error(state.stats, body["code"])
        finally:
            with state.lock:
                state.in_flight -= 1
        if jobs:
            threading.Thread(target=run_callbacks, args=(state, jobs[0]), daemon=True).start()
        self.reply(status, body, answer[2] if len(answer) > 2 else None)

    def action(self, path, cfg):
        state = self.state
        if path == "/_fake/inbound":
            with state.lock:
                action = state.texted(str(cfg.get("from", "")), str(cfg.get("body", "")))
            return 200, {"action": action}
        if path == "/_fake/sign":
            with state.lock:
                token = cfg.get("token", state.auth_token)
            return 200, {"signature": signature(token, cfg["url"], cfg.get("params", {}))}
        if path == "/_fake/send_inbound":
            params = {k: str(v) for k, v in cfg.get("params", {}).items()}
            with state.lock:
                sid = params.get("MessageSid") or state.new_sid("SM")
                for name, value in (("MessageSid", sid), ("SmsSid", sid), ("SmsMessageSid", sid),
                                    ("AccountSid", state.account_sid), ("ApiVersion", "2010-04-01"),
                                    ("NumMedia", "0"), ("NumSegments", "1"), ("SmsStatus", "received")):
                    params.setdefault(name, value)
                if "From" in params:
                    state.texted(params["From"], params.get("Body", ""))
            sig, status, body = send_signed(state, cfg["url"], params, cfg.get("signature"), cfg.get("sign", True))
            return 200, {"status": status, "body": body, "signature": sig, "params": params}
        return None


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--account-sid", default="AC" + "0" * 32)
    parser.add_argument("--auth-token", default="test_auth_token")
    parser.add_argument("--rate", type=float, default=100, help="requests per second before 20429")
    parser.add_argument("--concurrency", type=int, default=0, help="requests in flight before 20429")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
