"""Faro's HTTP API as the benchmark uses it (docs/api.md): GET with a bearer token, and the
events: the first of a kind per endpoint, delays from a fault, a count of every event of a run."""

import calendar
import json
import time
import urllib.error
import urllib.request

import measure

LISTEN = "127.0.0.1:8080"   # faro serve's server.listen in the benchmark's faro.yaml


def http_get(path, token=None, timeout=30):
    req = urllib.request.Request("http://%s%s" % (LISTEN, path))
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def parse_rfc3339(text):
    """'2026-11-22T20:15:21.123Z' → Unix seconds (UTC only, as Faro writes them)."""
    base, _, frac = text.rstrip("Z").partition(".")
    secs = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    return secs + (float("0." + frac) if frac else 0.0)


class Events:
    """Polls GET /api/v1/events?kind=KIND and keeps the first event per subject."""

    def __init__(self, token, kind):
        self.token, self.kind = token, kind
        self.first = {}      # subject → (event at, Unix s; seen by us, Unix s)
        self.errors = 0

    def poll(self):
        status, body = http_get("/api/v1/events?kind=%s&limit=1000" % self.kind, self.token)
        if status != 200:
            self.errors += 1
            return
        seen = time.time()
        for e in json.loads(body).get("events", []):
            if e.get("kind") == self.kind and e["subject"] not in self.first:
                self.first[e["subject"]] = (parse_rfc3339(e["at"]), seen)


def count(token, fault_subjects):
    """Every event of the run, counted by kind and cause, apart for the endpoints broken on
    purpose and the others (an event about a healthy endpoint is a false alarm)."""
    out = {"fault": {}, "others": {}}
    before = 0
    for _ in range(100):
        q = "/api/v1/events?limit=1000" + ("&before=%d" % before if before else "")
        status, body = http_get(q, token)
        if status != 200:
            out["error"] = "GET %s: %d" % (q, status)
            break
        page = json.loads(body).get("events", [])
        for e in page:
            key = e["kind"] + ("/" + e["cause"] if e.get("cause") else "")
            side = out["fault"] if e.get("subject") in fault_subjects else out["others"]
            side[key] = side.get(key, 0) + 1
        if len(page) < 1000:
            break
        before = min(e["id"] for e in page)
    return out


def wait(events, subjects, deadline, also=()):
    """Polls every second until every subject has an event or the monotonic deadline."""
    while True:
        for ev in (events,) + tuple(also):
            ev.poll()
        if subjects <= set(events.first) or time.monotonic() >= deadline:
            return
        time.sleep(1.0)


def delays(events, subjects, since_wall, interval):
    got = [events.first[s][0] - since_wall for s in subjects if s in events.first]
    seen = [events.first[s][1] - since_wall for s in subjects if s in events.first]
    return {"endpoints": len(subjects), "detected": len(got),
            "median_s": measure.median(got), "max_s": max(got) if got else None,
            "min_s": min(got) if got else None,
            "median_intervals": measure.median(got) / interval if got else None,
            "max_intervals": max(got) / interval if got else None,
            "observed_by_api_median_s": measure.median(seen)}
