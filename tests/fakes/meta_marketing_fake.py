#!/usr/bin/python3
"""A local fake of the Meta Marketing API (Graph) for contract tests of the ad adapters.

Campaigns (with optional ad sets) are seeded with --seed FILE or POST /_fake/config
{"campaigns": [...]}, each {"id", "name", "status", "account": "act_…" (default: --ad-account),
"insights": {"spend": "123.45", ...} or [rows], "adsets": [{"id", "status"}]}.

Instead of fixed "insights" rows a campaign may have a "pace": {"spend": "24.00",
"impressions": 2400, "clicks": 60}, what it delivers per day while ACTIVE. Its insights for a
time_range are then what it delivered in those days (in the account's --timezone) up to now:
the campaign counts as having had its seeded status since long before, and every status change
is remembered, so a campaign paused for ten minutes today shows ten minutes less delivery.

API (any version prefix /vNN.N/; the token as "Authorization: Bearer" or access_token):
  GET  /act_<id>/campaigns?fields=…&limit=N&after=CURSOR  campaigns of the account, paged:
       {"data": [{"id", "name", "status", "configured_status", "effective_status"}],
        "paging": {"cursors": {"before", "after"}, "next"?}}
  POST /<campaign id>  form (or query) status=ACTIVE|PAUSED|ARCHIVED|DELETED, name,
       daily_budget, lifetime_budget, spend_cap -> {"success": true}. The status machine:
       ACTIVE <-> PAUSED; either -> ARCHIVED or DELETED; ARCHIVED -> DELETED only (and name
       edits); DELETED is terminal. Refusals: HTTP 400, code 100. Ad sets inherit: while their
       campaign is not ACTIVE their effective_status is CAMPAIGN_PAUSED (or the campaign's).
       Budget edits (daily_budget / lifetime_budget) more than 4 times an hour on one object ->
       code 17 (user request limit).
  DELETE /<campaign id>  -> status DELETED.
  GET  /<campaign id>?fields=…  one campaign.
  GET  /<campaign id>/insights?fields=spend,…&time_range={"since","until"}&level=campaign
       {"data": [{every requested metric as a JSON string, "date_start", "date_stop"}],
        "paging": {...}}; a campaign without insights answers {"data": []}.
  POST /act_<id>/campaigns  form name, objective, status (ACTIVE|PAUSED), special_ad_categories
       (required, a JSON list), spend_cap (whole minor units, at least 10000 = 100.00) ->
       {"id": "…"}.
Every answer carries x-business-use-case-usage, x-app-usage and x-ad-account-usage headers.
Errors are {"error": {"message", "type", "code", "error_subcode"?, "error_user_msg"?,
"fbtrace_id"}}: wrong token -> HTTP 401 code 190; unknown object -> 400 code 100 subcode 33.

Rate limit (configurable): after "limit": {"calls": N} API calls, every call is throttled for
"regain_minutes" real minutes (default 19): HTTP "status" (default 400) with "code" (default 17;
613 and 80000–80014 work too) and "subcode" (default 2446079), and the usage header saying
call_count 100 and estimated_time_to_regain_access = the minutes left.

Control (never part of the real API):
  GET  /_fake/campaigns  {id: {"name", "status", "effective_status", "account", "adsets": [...]}}
  GET  /_fake/requests   [{method, path, params, status, code}] for every API request; a POST also
                         has "form": the fields of its form body (params merge them with the query)
  GET  /_fake/stats      {"requests", "rate_limited", "errors": {code: n}}
  POST /_fake/config     any of {"token", "campaigns": [...] (replaces), "add_campaigns": [...],
                         "currency", "limit": {...} | null, "outage": false | true | "503",
                         "fail_next": [{"status", "code", "subcode", "message"}]}
  POST /_fake/reset      forgets requests, counters and the limit (campaigns stay)
"""
import datetime
import decimal
import hmac
import json
import re
import threading
import time
import urllib.parse
import zoneinfo

import fakelib

HOUR = 3600


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.ad_account = args.ad_account
        self.timezone = zoneinfo.ZoneInfo(args.timezone)
        self.currency = "USD"
        self.campaigns = {}
        self.order = []
        self.next_id = 120000000000900
        self.budget_edits = {}
        self.limit = None
        self.outage = False
        self.fail_next = []
        self.reset()
        if args.seed:
            with open(args.seed, encoding="utf-8") as f:
                self.seed(json.load(f)["campaigns"], replace=True)

    def reset(self):
        self.requests = []
        self.calls = 0
        self.blocked_until = 0.0
        self.limit = None
        self.budget_edits = {}
        self.stats = {"requests": 0, "rate_limited": 0, "errors": {}}

    def seed(self, campaigns, replace):
        if replace:
            self.campaigns, self.order = {}, []
        for c in campaigns:
            cid = str(c["id"])
            insights = c.get("insights", [])
            self.campaigns[cid] = {
                "id": cid, "name": c.get("name", ""), "status": c.get("status", "ACTIVE"),
                "account": c.get("account", "act_" + self.ad_account),
                "insights": insights if isinstance(insights, list) else [insights],
                "adsets": [{"id": str(a["id"]), "status": a.get("status", "ACTIVE")} for a in c.get("adsets", [])],
                "objective": c.get("objective", "OUTCOME_TRAFFIC"), "spend_cap": c.get("spend_cap"),
                "pace": c.get("pace"),
                # (since when, status): the seeded status has held since long before.
                "history": [(float("-inf"), c.get("status", "ACTIVE"))]}
            if cid not in self.order:
                self.order.append(cid)

    def configure(self, cfg):
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "currency" in cfg:
            self.currency = str(cfg["currency"])
        if "campaigns" in cfg:
            self.seed(cfg["campaigns"], replace=True)
        if "add_campaigns" in cfg:
            self.seed(cfg["add_campaigns"], replace=False)
        if "limit" in cfg:
            self.limit = cfg["limit"]
            self.calls = 0
            self.blocked_until = 0.0
        if "outage" in cfg:
            self.outage = cfg["outage"]
        self.fail_next.extend(cfg.get("fail_next", []))

    def view(self):
        out = {}
        for cid in self.order:
            c = self.campaigns[cid]
            out[cid] = {"name": c["name"], "status": c["status"], "effective_status": c["status"],
                        "account": c["account"], "spend_cap": c["spend_cap"], "objective": c["objective"],
                        "adsets": [{"id": a["id"], "status": a["status"], "effective_status": adset_effective(c, a)}
                                   for a in c["adsets"]]}
        return out

    def usage_headers(self):
        """The usage headers Meta sends on every Marketing API answer."""
        minutes_left = max(0, int((self.blocked_until - time.time() + 59) // 60))
        used = 100 if minutes_left else min(99, self.calls)
        account = "act_" + self.ad_account
        buc = {account: [{"type": "ads_management", "call_count": used, "total_cputime": min(used, 25),
                          "total_time": min(used, 25), "estimated_time_to_regain_access": minutes_left,
                          "ads_api_access_tier": "development_access"}]}
        return {"x-business-use-case-usage": json.dumps(buc, separators=(",", ":")),
                "x-app-usage": json.dumps({"call_count": used, "total_time": min(used, 25),
                                           "total_cputime": min(used, 25)}, separators=(",", ":")),
                "x-ad-account-usage": json.dumps({"acc_id_util_pct": float(used), "reset_time_duration": minutes_left * 60,
                                                  "ads_api_access_tier": "development_access"}, separators=(",", ":"))}


def adset_effective(campaign, adset):
    if campaign["status"] in ("ARCHIVED", "DELETED"):
        return campaign["status"]
    if campaign["status"] != "ACTIVE":
        return "CAMPAIGN_PAUSED"
    return adset["status"]


def error(status, code, message, subcode=None, user_msg=None):
    err = {"message": f"(#{code}) {message}" if code not in (190,) else message, "type": "OAuthException",
           "code": code, "fbtrace_id": "AFakeMetaTrace000000000"}
    if subcode is not None:
        err["error_subcode"] = subcode
    if user_msg:
        err["error_user_title"] = "Fake Meta refusal"
        err["error_user_msg"] = user_msg
    return status, {"error": err}


def bad_parameter(user_msg, subcode=None):
    return error(400, 100, "Invalid parameter", subcode, user_msg)


def transition(old, new):
    """None when `old` -> `new` is allowed, else why not."""
    if new not in ("ACTIVE", "PAUSED", "ARCHIVED", "DELETED"):
        return f"status must be one of ACTIVE, PAUSED, ARCHIVED, DELETED, not {new}"
    if old == "DELETED":
        return "A deleted campaign cannot be edited."
    if old == "ARCHIVED" and new not in ("ARCHIVED", "DELETED"):
        return "An archived campaign can only be deleted; its status cannot change to " + new + "."
    return None


def campaign_json(c, fields):
    full = {"id": c["id"], "name": c["name"], "status": c["status"], "configured_status": c["status"],
            "effective_status": c["status"], "objective": c["objective"]}
    if c["spend_cap"] is not None:
        full["spend_cap"] = str(c["spend_cap"])
    if not fields:
        return {"id": c["id"], "name": c["name"]}
    return {k: v for k, v in full.items() if k in fields or k == "id"}


class Handler(fakelib.Handler):
    views = {"/_fake/requests": "requests", "/_fake/stats": "stats"}

    def reply(self, status, body, headers=None):
        if body is None:  # a bare 503 from in front of the API
            return self.send(status, b"Service Unavailable", "text/plain", headers)
        super().reply(status, body, headers)

    def do_GET(self):
        split = urllib.parse.urlsplit(self.path)
        if split.path == "/_fake/campaigns":
            with self.state.lock:
                return self.reply(200, self.state.view())
        if self.show_view(split.path):
            return
        self.api("GET", split.path, urllib.parse.parse_qs(split.query), b"")

    def do_DELETE(self):
        split = urllib.parse.urlsplit(self.path)
        self.read_body()
        self.api("DELETE", split.path, urllib.parse.parse_qs(split.query), b"")

    def api_post(self, path, raw):
        split = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(split.query)
        form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        for k, v in form.items():
            params.setdefault(k, []).extend(v)
        self.api("POST", path, params, raw, {k: v[-1] for k, v in form.items() if k != "access_token"})

    def api(self, method, path, params, raw, form=None):
        state = self.state
        flat = {k: v[-1] for k, v in params.items()}
        with state.lock:
            status, body = self.answer(method, path, flat)
            headers = state.usage_headers()
            code = body["error"]["code"] if body and "error" in body else (status if status >= 400 else None)
            shown = {k: v for k, v in flat.items() if k != "access_token"}
            request = {"method": method, "path": path, "params": shown, "status": status, "code": code}
            if form is not None:
                request["form"] = form
            state.requests.append(request)
            state.stats["requests"] += 1
            if code is not None:
                fakelib.count_error(state.stats, code)
        self.reply(status, body, headers)

    def authorized(self, flat):
        given = self.headers.get("Authorization") or ""
        if given.startswith("Bearer "):
            token = given[len("Bearer "):]
        else:
            token = flat.get("access_token", "")
        return hmac.compare_digest(token.encode(), self.state.token.encode())

    def answer(self, method, path, flat):
        """(HTTP status, JSON body or None for a bare 503); call with the lock held."""
        state = self.state
        m = re.fullmatch(r"/v[0-9]+\.[0-9]+/(.+)", path)
        if not m:
            return error(400, 2500, "Unknown path components: " + path)
        rest = m.group(1)
        if state.outage == "503":
            return 503, None
        if state.outage:
            return error(500, 2, "Service temporarily unavailable")
        if not self.authorized(flat):
            return error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if state.fail_next:
            f = state.fail_next.pop(0)
            return error(int(f.get("status", 400)), int(f.get("code", 1)), f.get("message", "Scripted error"),
                         f.get("subcode"))
        if state.limit:
            now = time.time()
            if now < state.blocked_until:
                return self.throttled()
            state.calls += 1
            if state.calls > int(state.limit.get("calls", 0)):
                state.blocked_until = now + 60 * float(state.limit.get("regain_minutes", 19))
                return self.throttled()
        am = re.fullmatch(r"(act_[0-9]+)/campaigns", rest)
        if am:
            if am.group(1) != "act_" + state.ad_account:
                return error(400, 100, "Unsupported get request. Object with ID '" + am.group(1) +
                             "' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
                             33)
            if method == "GET":
                return self.list_campaigns(am.group(1), flat)
            if method == "POST":
                return self.create_campaign(am.group(1), flat)
            return error(400, 100, "Unsupported request method")
        im = re.fullmatch(r"([0-9]+)/insights", rest)
        if im and method == "GET":
            return self.insights(im.group(1), flat)
        om = re.fullmatch(r"([0-9]+)", rest)
        if om:
            c = state.campaigns.get(om.group(1))
            if c is None:
                return error(400, 100, "Unsupported " + method.lower() + " request. Object with ID '" + om.group(1) +
                             "' does not exist, cannot be loaded due to missing permissions, or does not support this operation",
                             33)
            if method == "GET":
                return 200, campaign_json(c, flat.get("fields", "").split(","))
            if method == "DELETE":
                return self.update(c, {"status": "DELETED"})
            return self.update(c, flat)
        return error(400, 2500, "Unknown path components: /" + rest)

    def throttled(self):
        state = self.state
        state.stats["rate_limited"] += 1
        lim = state.limit
        code = int(lim.get("code", 17))
        messages = {17: "User request limit reached", 613: "Calls to this api have exceeded the rate limit.",
                    4: "Application request limit reached"}
        subcode = lim.get("subcode", 2446079 if code == 17 else (1487742 if code == 613 else None))
        message = messages.get(code, "There have been too many calls to this ad-account.")
        return error(int(lim.get("status", 400)), code, message, subcode)

    def list_campaigns(self, account, flat):
        state = self.state
        fields = [f for f in flat.get("fields", "").split(",") if f]
        limit = int(flat.get("limit", 25))
        if limit < 1:
            return bad_parameter("limit must be a positive number")
        ids = [cid for cid in state.order if state.campaigns[cid]["account"] == account]
        start = 0
        if "after" in flat:
            cm = re.fullmatch(r"cursor-([0-9]+)", flat["after"])
            if not cm:
                return bad_parameter("Invalid cursor")
            start = int(cm.group(1))
        page = ids[start:start + limit]
        body = {"data": [campaign_json(state.campaigns[cid], fields) for cid in page]}
        if page:
            body["paging"] = {"cursors": {"before": f"cursor-{start}", "after": f"cursor-{start + len(page)}"}}
            if start + len(page) < len(ids):
                body["paging"]["next"] = (f"https://graph.facebook.com/v25.0/{account}/campaigns?limit={limit}"
                                          f"&after=cursor-{start + len(page)}")
        return 200, body

    def update(self, c, flat):
        state = self.state
        budget_keys = [k for k in ("daily_budget", "lifetime_budget") if k in flat]
        if budget_keys:
            now = time.time()
            edits = [t for t in state.budget_edits.get(c["id"], []) if now - t < HOUR]
            if len(edits) >= 4:
                state.stats["rate_limited"] += 1
                return error(400, 17, "User request limit reached", 1487632,
                             "The budget of this object was changed too many times in the last hour.")
            edits.append(now)
            state.budget_edits[c["id"]] = edits
        if "status" in flat:
            why = transition(c["status"], flat["status"])
            if why:
                return bad_parameter(why, 1885194)
        elif c["status"] == "DELETED":
            return bad_parameter("A deleted campaign cannot be edited.", 1885194)
        elif c["status"] == "ARCHIVED" and any(k not in ("name", "access_token") for k in flat):
            return bad_parameter("Only the name and status of an archived campaign can be changed.", 1885194)
        if "status" in flat:
            if flat["status"] != c["status"]:
                c["history"].append((time.time(), flat["status"]))
            c["status"] = flat["status"]
        if "name" in flat:
            c["name"] = flat["name"]
        if "spend_cap" in flat:
            c["spend_cap"] = int(flat["spend_cap"])
        return 200, {"success": True}

    def create_campaign(self, account, flat):
        state = self.state
        for key in ("name", "objective", "special_ad_categories"):
            if key not in flat:
                return bad_parameter(f"The parameter {key} is required")
        try:
            categories = json.loads(flat["special_ad_categories"])
        except ValueError:
            categories = None
        if not isinstance(categories, list):
            return bad_parameter("special_ad_categories must be a JSON list")
        status = flat.get("status", "ACTIVE")
        if status not in ("ACTIVE", "PAUSED"):
            return bad_parameter("A new campaign's status must be ACTIVE or PAUSED")
        spend_cap = None
        if "spend_cap" in flat:
            if not re.fullmatch(r"[0-9]+", flat["spend_cap"]):
                return bad_parameter("spend_cap must be a whole number of the currency's smallest unit")
            spend_cap = int(flat["spend_cap"])
            if spend_cap < 10000:
                return bad_parameter("spend_cap must be at least 100.00 " + state.currency)
        state.next_id += 1
        cid = str(state.next_id)
        state.seed([{"id": cid, "name": flat["name"], "status": status, "account": account,
                     "objective": flat["objective"], "spend_cap": spend_cap}], replace=False)
        return 200, {"id": cid}

    def insights(self, cid, flat):
        state = self.state
        c = state.campaigns.get(cid)
        if c is None:
            return error(400, 100, "Unsupported get request. Object with ID '" + cid + "' does not exist", 33)
        fields = [f for f in flat.get("fields", "").split(",") if f]
        if not fields:
            return bad_parameter("fields is required by this fake")
        known = {"spend", "impressions", "clicks", "cpm", "ctr", "cpc", "reach", "frequency", "account_currency"}
        unknown = [f for f in fields if f not in known]
        if unknown:
            return bad_parameter("Unknown insights field: " + unknown[0])
        since = until = None
        if "time_range" in flat:
            try:
                tr = json.loads(flat["time_range"])
                since, until = tr["since"], tr["until"]
            except (ValueError, KeyError, TypeError):
                return bad_parameter("time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}")
            if not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(since)) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(until))) \
                    or since > until:
                return bad_parameter("time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}")
        if c["pace"] is not None:
            return 200, {"data": self.paced_rows(c, fields, since, until),
                         "paging": {"cursors": {"before": "MAZDZD", "after": "MAZDZD"}}}
        rows = []
        for row in c["insights"]:
            out = {}
            for f in fields:
                if f == "account_currency":
                    out[f] = state.currency
                elif f in row:
                    out[f] = str(row[f]) if not isinstance(row[f], str) else row[f]  # Meta sends strings
            out["date_start"] = row.get("date_start", since or "2026-01-01")
            out["date_stop"] = row.get("date_stop", until or "2026-01-01")
            rows.append(out)
        return 200, {"data": rows, "paging": {"cursors": {"before": "MAZDZD", "after": "MAZDZD"}}}

    def paced_rows(self, c, fields, since, until):
        """One row (level=campaign, no time_increment) of what the campaign delivered at its pace
        while ACTIVE in [since 00:00, until 24:00) of the account's time zone, up to now; no row
        when it delivered nothing, as Meta answers."""
        state = self.state
        today = datetime.datetime.now(state.timezone).date().isoformat()
        since = since or today
        until = until or today
        start = datetime.datetime.fromisoformat(since).replace(tzinfo=state.timezone).timestamp()
        end = (datetime.datetime.fromisoformat(until) + datetime.timedelta(days=1)).replace(
            tzinfo=state.timezone).timestamp()
        end = min(end, time.time())
        active = 0.0
        history = c["history"] + [(float("inf"), None)]
        for (t0, status), (t1, _) in zip(history, history[1:]):
            lo, hi = max(t0, start), min(t1, end)
            if status == "ACTIVE" and hi > lo:
                active += hi - lo
        if active <= 0:
            return []
        days = decimal.Decimal(active) / decimal.Decimal(86400)
        pace = c["pace"]
        cent = decimal.Decimal("0.01")
        spend = (decimal.Decimal(str(pace.get("spend", "0"))) * days).quantize(cent, decimal.ROUND_HALF_UP)
        impressions = int(decimal.Decimal(int(pace.get("impressions", 0))) * days)
        clicks = int(decimal.Decimal(int(pace.get("clicks", 0))) * days)
        full = {"spend": str(spend), "impressions": str(impressions), "clicks": str(clicks),
                "account_currency": state.currency}
        if impressions > 0:
            full["cpm"] = str((spend * 1000 / impressions).quantize(decimal.Decimal("0.000001"), decimal.ROUND_HALF_UP))
            full["ctr"] = str((decimal.Decimal(clicks) * 100 / impressions).quantize(decimal.Decimal("0.000001"),
                                                                                    decimal.ROUND_HALF_UP))
        row = {f: full[f] for f in fields if f in full}
        row["date_start"], row["date_stop"] = since, until
        return [row]


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="EAAB-meta-test-token")
    parser.add_argument("--ad-account", default="1234567890", help="the account's digits (without act_)")
    parser.add_argument("--seed", default="", help="a JSON file {\"campaigns\": [...]}")
    parser.add_argument("--timezone", default="UTC", help="the ad account's time zone (days of insights)")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
