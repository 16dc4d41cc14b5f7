#!/usr/bin/python3
"""A local fake of the X API v2 filtered stream (GET /2/tweets/search/stream), for the stream
client's tests.

Behaves like the real endpoint where Faro depends on it (docs.x.com: filtered stream
reference, "Fields", "Expansions", "Handling disconnections", "Rate limits"):
  - Authorization: Bearer TOKEN; any other answers 401 with a problem JSON body.
  - an HTTP/1.1 chunked response, one JSON object per line ending in "\\r\\n":
    {"data": {...}, "includes": {"users": [...]}, "matching_rules": [{"id", "tag"}]};
    data carries only the tweet.fields asked for (id and text always, plus
    edit_history_tweet_ids), includes.users only with expansions=author_id, and a user only
    the user.fields asked for (id, name, username always);
  - a keep-alive "\\r\\n" between posts (every `keepalive_every` posts) and while idle;
  - an operational disconnect: {"errors": [{"title": "operational-disconnect", ...}]}, then the
    connection closes;
  - HTTP 429 with x-rate-limit-limit, x-rate-limit-remaining and x-rate-limit-reset (Unix
    seconds); 200 answers carry the same headers;
  - any other HTTP error with a problem JSON body.

Each connection follows the next plan of the script; when the script is used up, connections
get 503.

Control (never part of the real API):
  GET  /_fake/connections  every stream request [{"query": {...}, "authorization", "status"}]
  POST /_fake/config       {"token": str, "script": [plan, ...]} (the script replaces the old one)
     plan: {"status": 200, "posts": [post], "raw_lines": [str], "keepalive_every": n,
            "then": "close" | "operational_disconnect" | "stall", "stall_seconds": s}
           {"status": 429, "reset_at": unix seconds}      {"status": 503} (or any status)
     post: {"id", "text", "created_at", "author": {"id", "username", "name", "followers"},
            "metrics": {"retweet_count", "reply_count", "like_count", "quote_count"},
            "reply_to": post id, "lang", "rule_tag"}
"""
import json
import threading
import time
import urllib.parse

import fakelib

STREAM_PATH = "/2/tweets/search/stream"


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.script = []
        self.connections = []

    def configure(self, cfg):
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "script" in cfg:
            self.script = list(cfg["script"])


def problem(status, title):
    return {"title": title, "detail": title, "type": "about:blank", "status": status}


def listed(query, name):
    value = query.get(name, [""])[0]
    return set(v for v in value.split(",") if v)


def post_line(post, query):
    """One stream message for `post`, with the fields and expansions the request asked for."""
    tweet_fields = listed(query, "tweet.fields")
    user_fields = listed(query, "user.fields")
    expansions = listed(query, "expansions")
    author = post.get("author", {})
    data = {"id": str(post["id"]), "text": post["text"], "edit_history_tweet_ids": [str(post["id"])]}
    if "created_at" in tweet_fields:
        data["created_at"] = post["created_at"]
    if "author_id" in tweet_fields or "author_id" in expansions:
        data["author_id"] = str(author.get("id", ""))
    if "conversation_id" in tweet_fields:
        data["conversation_id"] = str(post.get("reply_to") or post["id"])
    if "lang" in tweet_fields:
        data["lang"] = post.get("lang", "es")
    if "public_metrics" in tweet_fields:
        metrics = {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0}
        metrics.update(post.get("metrics", {}))
        data["public_metrics"] = metrics
    if "referenced_tweets" in tweet_fields and post.get("reply_to"):
        data["referenced_tweets"] = [{"type": "replied_to", "id": str(post["reply_to"])}]
    message = {"data": data}
    if "author_id" in expansions and author:
        user = {"id": str(author["id"]), "name": author.get("name", author.get("username", "")),
                "username": author.get("username", "")}
        if "public_metrics" in user_fields:
            user["public_metrics"] = {"followers_count": author.get("followers", 0), "following_count": 0,
                                      "tweet_count": 0, "listed_count": 0}
        message["includes"] = {"users": [user]}
    message["matching_rules"] = [{"id": "1800000000000000001", "tag": post.get("rule_tag", "")}]
    return json.dumps(message, ensure_ascii=False)


class Handler(fakelib.Handler):
    views = {"/_fake/connections": "connections"}

    def chunk(self, data):
        """Writes one chunk of the chunked body; False when the client has gone."""
        try:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            return True
        except OSError:
            return False

    def rate_headers(self, reset_at):
        return {"x-rate-limit-limit": "50", "x-rate-limit-remaining": "0" if reset_at else "49",
                "x-rate-limit-reset": str(int(reset_at or time.time() + 900))}

    def do_GET(self):
        if self.show_view(self.path):
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path != STREAM_PATH:
            return self.reply(404, problem(404, "Not Found"))
        query = urllib.parse.parse_qs(url.query)
        state = self.state
        with state.lock:
            authorized = self.headers.get("Authorization") == f"Bearer {state.token}"
            plan = state.script.pop(0) if authorized and state.script else None
            status = 401 if not authorized else int(plan.get("status", 200)) if plan else 503
            state.connections.append({"query": {k: v[0] for k, v in query.items()},
                                      "authorization": self.headers.get("Authorization"), "status": status})
        if status == 401:
            return self.reply(401, problem(401, "Unauthorized"))
        if status == 429:
            return self.reply(429, problem(429, "Too Many Requests"), self.rate_headers(plan.get("reset_at")))
        if status != 200:
            return self.reply(status, problem(status, "Service Unavailable" if status == 503 else "Error"))
        self.stream(plan, query)

    def stream(self, plan, query):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in self.rate_headers(None).items():
            self.send_header(name, value)
        self.end_headers()
        every = max(1, int(plan.get("keepalive_every", 1)))
        lines = [post_line(p, query) for p in plan.get("posts", [])] + list(plan.get("raw_lines", []))
        for i, line in enumerate(lines, 1):
            if not self.chunk(line.encode() + b"\r\n"):
                return
            if i % every == 0 and not self.chunk(b"\r\n"):
                return
        then = plan.get("then", "close")
        if then == "operational_disconnect":
            self.chunk(json.dumps({"errors": [{
                "title": "operational-disconnect", "disconnect_type": "OperationalDisconnect",
                "detail": "This stream has been disconnected for operational reasons.",
                "type": "https://api.twitter.com/2/problems/operational-disconnect"}]}).encode() + b"\r\n")
        elif then == "stall":
            time.sleep(float(plan.get("stall_seconds", 5)))  # not even a keep-alive
        self.chunk(b"")  # the last chunk
        self.close_connection = True


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="test-bearer-token")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
