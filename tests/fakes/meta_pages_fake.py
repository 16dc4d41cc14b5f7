#!/usr/bin/python3
"""A local fake of a Facebook Page's scheduled posts (Graph API) for contract tests of the Page
reader and of the restoration check.

Posts are seeded with POST /_fake/config {"posts": [...]}, each {"id" (default
"<page>_<n>"), "message", "scheduled_publish_time" (Unix seconds)}. A post publishes when its
time comes, unless the platform is "down" then: it stays scheduled with its time in the past
(a missed post), as after a failed publication. Time is the fake's clock: real time, or the
Unix seconds set with {"now": N} (tests on a simulated clock move it along).

API (any version prefix /vNN.N/; the Page token as "Authorization: Bearer" or access_token):
  GET  /<page id>/scheduled_posts?fields=…&limit=N&after=CURSOR  the posts not published yet:
       {"data": [{"id", "message", "scheduled_publish_time", "is_published": false}],
        "paging": {"cursors": {"before", "after"}, "next"?}}; "next" is an absolute URL on
       this fake's own host (Meta's points at graph.facebook.com), with the same fields.
  GET  /<post id>?fields=…  {"id", "is_published", "created_time" (when published, ISO 8601
       with +0000), "scheduled_publish_time", "message"}, only the fields asked for plus id.
  POST /<post id>  form scheduled_publish_time=N: reschedules a post not published yet.
Errors are {"error": {"message", "type", "code", "error_subcode"?, "fbtrace_id"}}: wrong token ->
HTTP 401 code 190; another Page or an unknown post -> 400 code 100 subcode 33.

Control (never part of the real API):
  GET  /_fake/posts     {id: {"message", "scheduled_publish_time", "state": scheduled|published|
                        missed|deleted, "published_at"?}}
  GET  /_fake/requests  [{method, path, params, status, code}] for every API request
  POST /_fake/config    any of {"token", "now": N | null, "posts": [...] (replaces),
                        "add_posts": [...], "down": true | false, "reschedule": {id: N},
                        "delete": [ids], "next_host": "host:port" | null (where
                        "paging.next" points; a client must not follow it elsewhere), "fail_next": [{"status", "code", "subcode", "message",
                        "path"?}]} — each scripted error answers the next request (whose path
                        after the version matches the regular expression "path", when given)
  POST /_fake/reset     forgets requests and scripted failures (posts stay)
"""
import datetime
import hmac
import re
import threading
import time
import urllib.parse

import fakelib


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.page = args.page
        self.now = None  # None: real time
        self.down = False
        self.posts = {}
        self.order = []
        self.next_id = 1
        self.fail_next = []
        self.requests = []
        self.next_host = None  # None: this fake's own Host

    def clock(self):
        return self.now if self.now is not None else int(time.time())

    def settle(self):
        """Publishes every scheduled post whose time has come, or marks it missed while down.
        Called before any change of the clock or of "down", and before every answer."""
        now = self.clock()
        for pid in self.order:
            p = self.posts[pid]
            if p["state"] == "scheduled" and p["scheduled_publish_time"] <= now:
                if self.down:
                    p["state"] = "missed"
                else:
                    p["state"] = "published"
                    p["published_at"] = p["scheduled_publish_time"]

    def add(self, posts):
        for p in posts:
            pid = str(p.get("id") or f"{self.page}_{self.next_id}")
            self.next_id += 1
            self.posts[pid] = {"id": pid, "message": p.get("message", ""),
                               "scheduled_publish_time": int(p["scheduled_publish_time"]), "state": "scheduled"}
            if pid not in self.order:
                self.order.append(pid)

    def configure(self, cfg):
        """The clock moves first (posts due meanwhile settle as the platform was), then the rest:
        {"now": T, "down": false} means "at T the platform came back"."""
        self.settle()
        if "now" in cfg:
            self.now = None if cfg["now"] is None else int(cfg["now"])
            self.settle()
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "posts" in cfg:
            self.posts, self.order = {}, []
            self.add(cfg["posts"])
        if "add_posts" in cfg:
            self.add(cfg["add_posts"])
        for pid, t in cfg.get("reschedule", {}).items():
            p = self.posts[pid]
            if p["state"] in ("scheduled", "missed"):
                p["scheduled_publish_time"], p["state"] = int(t), "scheduled"
        for pid in cfg.get("delete", []):
            self.posts[pid]["state"] = "deleted"
        if "down" in cfg:
            self.down = bool(cfg["down"])
        if "next_host" in cfg:
            self.next_host = cfg["next_host"]
        self.fail_next.extend(cfg.get("fail_next", []))
        self.settle()

    def reset(self):
        self.requests = []
        self.fail_next = []

    def view(self):
        self.settle()
        return {pid: {k: v for k, v in self.posts[pid].items() if k != "id"} for pid in self.order}


def error(status, code, message, subcode=None):
    err = {"message": message if code == 190 else f"(#{code}) {message}", "type": "OAuthException", "code": code,
           "fbtrace_id": "AFakePageTrace000000000"}
    if subcode is not None:
        err["error_subcode"] = subcode
    return status, {"error": err}


def missing(object_id):
    return error(400, 100, "Unsupported get request. Object with ID '" + object_id +
                 "' does not exist, cannot be loaded due to missing permissions, or does not support this operation", 33)


class Handler(fakelib.Handler):
    views = {"/_fake/requests": "requests"}

    def do_GET(self):
        split = urllib.parse.urlsplit(self.path)
        if split.path == "/_fake/posts":
            with self.state.lock:
                return self.reply(200, self.state.view())
        if self.show_view(split.path):
            return
        self.api("GET", split.path, urllib.parse.parse_qs(split.query))

    def api_post(self, path, raw):
        split = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(split.query)
        for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace")).items():
            params.setdefault(k, []).extend(v)
        self.api("POST", path, params)

    def api(self, method, path, params):
        state = self.state
        flat = {k: v[-1] for k, v in params.items()}
        with state.lock:
            state.settle()
            status, body = self.answer(method, path, flat)
            code = body["error"]["code"] if "error" in body else None
            state.requests.append({"method": method, "path": path, "status": status, "code": code,
                                   "params": {k: v for k, v in flat.items() if k != "access_token"}})
        self.reply(status, body)

    def authorized(self, flat):
        given = self.headers.get("Authorization") or ""
        token = given[len("Bearer "):] if given.startswith("Bearer ") else flat.get("access_token", "")
        return hmac.compare_digest(token.encode(), self.state.token.encode())

    def answer(self, method, path, flat):
        state = self.state
        m = re.fullmatch(r"/(v[0-9]+\.[0-9]+)/(.+)", path)
        if not m:
            return error(400, 2500, "Unknown path components: " + path)
        version, rest = m.group(1), m.group(2)
        if not self.authorized(flat):
            return error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        for i, f in enumerate(state.fail_next):
            if "path" in f and not re.fullmatch(f["path"], rest):
                continue
            state.fail_next.pop(i)
            return error(int(f.get("status", 400)), int(f.get("code", 1)), f.get("message", "Scripted error"),
                         f.get("subcode"))
        sm = re.fullmatch(r"([0-9]+)/scheduled_posts", rest)
        if sm and method == "GET":
            if sm.group(1) != state.page:
                return missing(sm.group(1))
            return self.scheduled(version, flat)
        pm = re.fullmatch(r"([0-9]+_[0-9]+)", rest)
        if pm:
            p = state.posts.get(pm.group(1))
            if p is None or p["state"] == "deleted":
                return missing(pm.group(1))
            if method == "POST":
                if p["state"] == "published":
                    return error(400, 100, "Invalid parameter: a published post cannot be rescheduled")
                if "scheduled_publish_time" in flat:
                    p["scheduled_publish_time"], p["state"] = int(flat["scheduled_publish_time"]), "scheduled"
                return 200, {"success": True}
            return 200, self.post_json(p, flat)
        return error(400, 2500, "Unknown path components: /" + rest)

    def post_json(self, p, flat):
        published = p["state"] == "published"
        full = {"id": p["id"], "message": p["message"], "is_published": published,
                "scheduled_publish_time": p["scheduled_publish_time"]}
        if published:
            full["created_time"] = datetime.datetime.fromtimestamp(
                p["published_at"], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")
        fields = [f for f in flat.get("fields", "").split(",") if f]
        return {k: v for k, v in full.items() if k == "id" or not fields or k in fields}

    def scheduled(self, version, flat):
        state = self.state
        ids = [pid for pid in state.order if state.posts[pid]["state"] in ("scheduled", "missed")]
        limit = max(1, min(100, int(flat.get("limit", "25"))))
        start = 0
        after = flat.get("after", "")
        if after:
            if not re.fullmatch(r"cursor-[0-9]+", after):
                return error(400, 100, "Invalid parameter: after")
            start = int(after[len("cursor-"):])
        page = ids[start:start + limit]
        fields = [f for f in flat.get("fields", "id").split(",") if f]
        data = []
        for pid in page:
            p = state.posts[pid]
            full = {"id": pid, "message": p["message"], "scheduled_publish_time": p["scheduled_publish_time"],
                    "is_published": False}
            data.append({k: v for k, v in full.items() if k == "id" or k in fields})
        body = {"data": data, "paging": {"cursors": {"before": f"cursor-{start}", "after": f"cursor-{start + len(page)}"}}}
        if start + len(page) < len(ids):
            query = urllib.parse.urlencode({"fields": flat.get("fields", "id"), "limit": limit,
                                            "after": f"cursor-{start + len(page)}"})
            host = state.next_host or self.headers.get("Host") or "127.0.0.1"
            body["paging"]["next"] = f"http://{host}/{version}/{state.page}/scheduled_posts?{query}"
        return 200, body


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="EAAB-page-test-token")
    parser.add_argument("--page", default="1234567890", help="the Page's id")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
