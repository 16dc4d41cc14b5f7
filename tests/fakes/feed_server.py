#!/usr/bin/python3
"""A local web server publishing RSS 2.0 / Atom feeds, for the tests of the feed reader of
`faro serve` (listen.sources.feeds).

Behaves like an ordinary web server where a feed reader depends on it (RFC 9110 and RFC 9111:
conditional requests, redirects):
  - GET of a configured path answers its document with its ETag and Last-Modified headers;
  - If-None-Match equal to the document's ETag (or "*"), or, without If-None-Match, an
    If-Modified-Since equal to or after its Last-Modified, answers 304 Not Modified with no body;
  - a configured redirect answers its status (301, 302, 307, 308) with Location;
  - a path configured with another status answers it with a short text body;
  - any other path answers 404.

Control (never seen by the reader):
  POST /_fake/config    {"feeds": {path: {"body": text, "etag": str, "last_modified": str,
                                          "status": n, "content_type": str}},
                         "redirects": {path: {"to": path or URL, "status": 301}}}
                        (each given mapping replaces the old one; an "etag" or "last_modified"
                        left out is not sent)
  GET  /_fake/requests  every GET of a feed path, in order: [{"path", "if_none_match",
                        "if_modified_since", "status"}]
"""
import threading
import urllib.parse
from email.utils import parsedate_to_datetime

import fakelib


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.feeds = {}
        self.redirects = {}
        self.requests = []

    def configure(self, cfg):
        if "feeds" in cfg:
            self.feeds = dict(cfg["feeds"])
        if "redirects" in cfg:
            self.redirects = dict(cfg["redirects"])


def not_modified_since(header, last_modified):
    """True when the If-Modified-Since date is at or after the document's Last-Modified."""
    if not header or not last_modified:
        return False
    try:
        return parsedate_to_datetime(header) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False


class Handler(fakelib.Handler):
    views = {"/_fake/requests": "requests"}

    def do_GET(self):
        if self.show_view(self.path):
            return
        path = urllib.parse.urlsplit(self.path).path
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        with self.state.lock:
            redirect = self.state.redirects.get(path)
            feed = dict(self.state.feeds.get(path) or {})
            if redirect:
                status = int(redirect.get("status", 302))
            elif not feed:
                status = 404
            else:
                status = int(feed.get("status", 200))
                etag = feed.get("etag")
                if status == 200:
                    if if_none_match is not None:
                        if etag and if_none_match.strip() in (etag, "*"):
                            status = 304
                    elif not_modified_since(if_modified_since, feed.get("last_modified")):
                        status = 304
            self.state.requests.append({"path": path, "if_none_match": if_none_match,
                                        "if_modified_since": if_modified_since, "status": status})
        if redirect:
            return self.send(status, b"moved\n", "text/plain", {"Location": redirect["to"]})
        if status == 404:
            return self.send(404, b"not found\n", "text/plain")
        validators = {}
        if feed.get("etag"):
            validators["ETag"] = feed["etag"]
        if feed.get("last_modified"):
            validators["Last-Modified"] = feed["last_modified"]
        if status == 304:
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        if status != 200:
            return self.send(status, b"error\n", "text/plain")
        body = feed.get("body", "").encode("utf-8")
        self.send(200, body, feed.get("content_type", "application/rss+xml; charset=utf-8"), validators)


def main():
    args = fakelib.arguments(__doc__).parse_args()
    fakelib.serve(Handler, State(), args.port)


if __name__ == "__main__":
    main()
