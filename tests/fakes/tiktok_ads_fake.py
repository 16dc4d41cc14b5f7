#!/usr/bin/python3
"""A local fake of the TikTok Marketing API v1.3 for contract tests of the ad adapters.

Campaigns are seeded with --seed FILE or POST /_fake/config {"campaigns": [...]}, each
{"id", "name", "status": ENABLE|DISABLE|DELETE, "daily": {"YYYY-MM-DD": {"spend": "12.30",
"impressions": 1000, "clicks": 12}}}.

Every answer is an envelope {"code", "message", "request_id", "data"}; code 0 is success. The
"Access-Token" header must hold the token (else code 40105 "Access token is incorrect or has been
revoked."); advertiser_id must be the fake's (else 40002).
  GET  /open_api/v1.3/campaign/get/?advertiser_id&page&page_size (1-1000)&fields=[...]
       &filtering={...}  -> data {"list": [{"campaign_id", "campaign_name", "operation_status",
       "secondary_status", "budget", "budget_mode", "objective_type"}], "page_info": {"page",
       "page_size", "total_number", "total_page"}}. Deleted campaigns are left out unless
       filtering asks for {"secondary_status": "CAMPAIGN_STATUS_DELETE"}.
  POST /open_api/v1.3/campaign/status/update/ {"advertiser_id", "campaign_ids": [1 to 20 ids],
       "operation_status": ENABLE|DISABLE|DELETE} -> data {"campaign_ids": [...], "status"}.
       More than 20 ids, none, or another operation_status (such as CAMPAIGN_STATUS_PAUSE) ->
       40002. A deleted or unknown campaign fails the whole call (40002); DELETE is terminal.
  POST /open_api/v1.3/campaign/create/ {"advertiser_id", "campaign_name", "objective_type",
       "budget_mode": BUDGET_MODE_INFINITE|BUDGET_MODE_DAY|BUDGET_MODE_TOTAL, "budget" (a JSON
       number, at least 50 for DAY/TOTAL), "operation_status"?} -> data {"campaign_id"}.
       operation_status on create is honoured only when "create_status_allowlisted" is true;
       otherwise it is ignored and the campaign starts ENABLE, as TikTok documents.
  GET  /open_api/v1.3/report/integrated/get/?advertiser_id&report_type=BASIC
       &data_level=AUCTION_CAMPAIGN&dimensions=["campaign_id"]&metrics=[...]&start_date&end_date
       &filtering=[{"field_name":"campaign_ids","filter_type":"IN","filter_value":"[\\"id\\"]"}]
       -> data {"list": [{"dimensions": {"campaign_id"}, "metrics": {each metric as a string}}],
       "page_info"}; rows only for campaigns with figures in the range.

Rate limit (configurable): after "limit": {"calls": N} API calls every call answers code 40100
"Too many requests." (HTTP 200, or 429 with "http_status": 429 and Retry-After "retry_after").
Outage: "outage": true -> HTTP 500 with code 50000; "503" -> a bare HTTP 503.

Control (never part of the real API):
  GET  /_fake/campaigns  {id: {"name", "status", "budget", "budget_mode", "objective_type"}}
  GET  /_fake/requests   [{method, path, query, body, code}]
  GET  /_fake/stats      {"requests", "rate_limited", "status_updates", "errors": {code: n}}
  POST /_fake/config     any of {"token", "campaigns": [...] (replaces), "add_campaigns",
                         "currency", "create_status_allowlisted", "limit": {...} | null,
                         "outage": false | true | "503"}
  POST /_fake/reset      forgets requests, counters and the limit (campaigns stay)
"""
import hmac
import json
import re
import threading
import urllib.parse
from decimal import Decimal, InvalidOperation

import fakelib

OBJECTIVES = {"REACH", "TRAFFIC", "VIDEO_VIEWS", "ENGAGEMENT", "APP_PROMOTION", "LEAD_GENERATION",
              "WEB_CONVERSIONS", "PRODUCT_SALES", "RF_REACH"}
METRICS = {"spend", "impressions", "clicks", "cpm", "ctr", "cpc", "reach", "currency"}
SECONDARY = {"ENABLE": "CAMPAIGN_STATUS_ENABLE", "DISABLE": "CAMPAIGN_STATUS_DISABLE", "DELETE": "CAMPAIGN_STATUS_DELETE"}


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.advertiser_id = args.advertiser_id
        self.currency = "USD"
        self.create_status_allowlisted = False
        self.campaigns = {}
        self.next_id = 1800000000000000000
        self.outage = False
        self.reset()
        if args.seed:
            with open(args.seed, encoding="utf-8") as f:
                self.seed(json.load(f)["campaigns"], replace=True)

    def reset(self):
        self.requests = []
        self.limit = None
        self.calls = 0
        self.stats = {"requests": 0, "rate_limited": 0, "status_updates": 0, "errors": {}}

    def seed(self, campaigns, replace):
        if replace:
            self.campaigns = {}
        for c in campaigns:
            cid = str(c["id"])
            self.campaigns[cid] = {"id": cid, "name": c.get("name", ""), "status": c.get("status", "ENABLE"),
                                   "daily": c.get("daily", {}), "budget": c.get("budget", 0),
                                   "budget_mode": c.get("budget_mode", "BUDGET_MODE_INFINITE"),
                                   "objective_type": c.get("objective_type", "TRAFFIC")}

    def configure(self, cfg):
        if "token" in cfg:
            self.token = str(cfg["token"])
        if "currency" in cfg:
            self.currency = str(cfg["currency"])
        if "create_status_allowlisted" in cfg:
            self.create_status_allowlisted = bool(cfg["create_status_allowlisted"])
        if "campaigns" in cfg:
            self.seed(cfg["campaigns"], replace=True)
        if "add_campaigns" in cfg:
            self.seed(cfg["add_campaigns"], replace=False)
        if "limit" in cfg:
            self.limit = cfg["limit"]
            self.calls = 0
        if "outage" in cfg:
            self.outage = cfg["outage"]

    def view(self):
        return {cid: {k: c[k] for k in ("name", "status", "budget", "budget_mode", "objective_type")}
                for cid, c in self.campaigns.items()}


def envelope(code, message, data=None):
    return {"code": code, "message": message, "request_id": "20261123000000FAKE0000000000", "data": data or {}}


def bad(message):
    return 200, envelope(40002, message), {}


def json_param(query, key, default=None):
    if key not in query:
        return default, None
    try:
        return json.loads(query[key]), None
    except ValueError:
        return None, f"{key}: not valid JSON"


class Handler(fakelib.Handler):
    views = {"/_fake/requests": "requests", "/_fake/stats": "stats"}

    def reply(self, status, body, headers=None):
        if body is None:
            return self.send(status, b"Service Unavailable", "text/plain", headers)
        super().reply(status, body, headers)

    def do_GET(self):
        split = urllib.parse.urlsplit(self.path)
        if split.path == "/_fake/campaigns":
            with self.state.lock:
                return self.reply(200, self.state.view())
        if self.show_view(split.path):
            return
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(split.query).items()}
        self.api("GET", split.path, query, None)

    def api_post(self, path, raw):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        self.api("POST", path, {}, body)

    def api(self, method, path, query, body):
        state = self.state
        with state.lock:
            status, answer, headers = self.answer(method, path, query, body)
            code = answer.get("code") if answer else status
            state.stats["requests"] += 1
            state.requests.append({"method": method, "path": path, "query": query, "body": body, "code": code})
            if code:
                fakelib.count_error(state.stats, code)
        self.reply(status, answer, headers)

    def answer(self, method, path, query, body):
        state = self.state
        m = re.fullmatch(r"/open_api/v1\.3/(campaign/get|campaign/status/update|campaign/create|report/integrated/get)/", path)
        if not m:
            return 404, envelope(40400, "Not found: " + path), {}
        if state.outage == "503":
            return 503, None, {}
        if state.outage:
            return 500, envelope(50000, "System error, please try again later."), {}
        if not hmac.compare_digest((self.headers.get("Access-Token") or "").encode(), state.token.encode()):
            return 200, envelope(40105, "Access token is incorrect or has been revoked."), {}
        if state.limit:
            state.calls += 1
            if state.calls > int(state.limit.get("calls", 0)):
                state.stats["rate_limited"] += 1
                http = int(state.limit.get("http_status", 200))
                headers = {"Retry-After": str(state.limit["retry_after"])} if "retry_after" in state.limit else {}
                return http, envelope(40100, "Too many requests. Please retry in some time."), headers
        action = m.group(1)
        expected = "GET" if action in ("campaign/get", "report/integrated/get") else "POST"
        if method != expected:
            return 405, envelope(40002, f"{action}: use {expected}"), {}
        params = query if method == "GET" else body
        if not isinstance(params, dict):
            return bad("The request body is not a JSON object")
        if str(params.get("advertiser_id", "")) != state.advertiser_id:
            return bad("advertiser_id: no permission to this advertiser or it does not exist")
        if action == "campaign/get":
            return self.list_campaigns(query)
        if action == "campaign/status/update":
            return self.update_status(body)
        if action == "campaign/create":
            return self.create(body)
        return self.report(query)

    def list_campaigns(self, query):
        state = self.state
        try:
            page = int(query.get("page", 1))
            page_size = int(query.get("page_size", 10))
        except ValueError:
            return bad("page and page_size must be numbers")
        if page < 1 or not 1 <= page_size <= 1000:
            return bad("page_size: must be between 1 and 1000")
        fields, problem = json_param(query, "fields")
        filtering, problem2 = json_param(query, "filtering", {})
        if problem or problem2:
            return bad(problem or problem2)
        want_deleted = isinstance(filtering, dict) and filtering.get("secondary_status") == "CAMPAIGN_STATUS_DELETE"
        rows = [c for c in state.campaigns.values() if (c["status"] == "DELETE") == want_deleted]
        out = []
        for c in rows[(page - 1) * page_size: page * page_size]:
            full = {"campaign_id": c["id"], "campaign_name": c["name"], "advertiser_id": state.advertiser_id,
                    "operation_status": "DISABLE" if c["status"] == "DELETE" else c["status"],
                    "secondary_status": SECONDARY[c["status"]], "budget": c["budget"],
                    "budget_mode": c["budget_mode"], "objective_type": c["objective_type"]}
            out.append({k: v for k, v in full.items() if not fields or k in fields})
        total_page = max(1, (len(rows) + page_size - 1) // page_size)
        return 200, envelope(0, "OK", {"list": out, "page_info": {"page": page, "page_size": page_size,
                                                                   "total_number": len(rows),
                                                                   "total_page": total_page}}), {}

    def update_status(self, body):
        state = self.state
        ids = body.get("campaign_ids")
        status = body.get("operation_status")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 20 or not all(isinstance(i, str) for i in ids):
            return bad("campaign_ids: a list of 1 to 20 campaign ids (strings) is required")
        if status not in ("ENABLE", "DISABLE", "DELETE"):
            return bad(f"operation_status: invalid enum value {status!r}; expected one of ENABLE, DISABLE, DELETE")
        for cid in ids:
            c = state.campaigns.get(cid)
            if c is None:
                return bad(f"campaign_ids: campaign {cid} does not exist")
            if c["status"] == "DELETE":
                return bad(f"campaign_ids: campaign {cid} is deleted and cannot be modified")
        for cid in ids:
            state.campaigns[cid]["status"] = status
        state.stats["status_updates"] += 1
        return 200, envelope(0, "OK", {"campaign_ids": ids, "status": status}), {}

    def create(self, body):
        state = self.state
        name = body.get("campaign_name")
        if not isinstance(name, str) or not 1 <= len(name) <= 512:
            return bad("campaign_name: required, up to 512 characters")
        if body.get("objective_type") not in OBJECTIVES:
            return bad(f"objective_type: invalid enum value {body.get('objective_type')!r}")
        mode = body.get("budget_mode", "BUDGET_MODE_INFINITE")
        if mode not in ("BUDGET_MODE_INFINITE", "BUDGET_MODE_DAY", "BUDGET_MODE_TOTAL"):
            return bad(f"budget_mode: invalid enum value {mode!r}")
        budget = body.get("budget")
        if mode != "BUDGET_MODE_INFINITE":
            if isinstance(budget, bool) or not isinstance(budget, (int, float)):
                return bad("budget: a number is required with BUDGET_MODE_DAY or BUDGET_MODE_TOTAL")
            if budget < 50:
                return bad("budget: must be at least 50")
        status = body.get("operation_status", "ENABLE")
        if status not in ("ENABLE", "DISABLE"):
            return bad(f"operation_status: invalid enum value {status!r}")
        if not state.create_status_allowlisted:
            status = "ENABLE"  # ignored without allow-listing, as documented
        state.next_id += 1
        cid = str(state.next_id)
        state.seed([{"id": cid, "name": name, "status": status, "budget": budget or 0, "budget_mode": mode,
                     "objective_type": body["objective_type"]}], replace=False)
        return 200, envelope(0, "OK", {"campaign_id": cid}), {}

    def report(self, query):
        state = self.state
        if query.get("report_type") != "BASIC" or query.get("data_level") != "AUCTION_CAMPAIGN":
            return bad("this fake answers report_type BASIC at data_level AUCTION_CAMPAIGN only")
        dims, p1 = json_param(query, "dimensions")
        metrics, p2 = json_param(query, "metrics")
        filtering, p3 = json_param(query, "filtering", [])
        if p1 or p2 or p3:
            return bad(p1 or p2 or p3)
        if dims != ["campaign_id"]:
            return bad("dimensions: this fake answers [\"campaign_id\"] only")
        if not isinstance(metrics, list) or not metrics or any(m not in METRICS for m in metrics):
            return bad("metrics: unknown metric")
        start, end = query.get("start_date", ""), query.get("end_date", "")
        if not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end)) or start > end:
            return bad("start_date and end_date: YYYY-MM-DD, start not after end")
        wanted = None
        for f in filtering or []:
            if f.get("field_name") == "campaign_ids" and f.get("filter_type") == "IN":
                try:
                    wanted = set(json.loads(f.get("filter_value", "[]")))
                except ValueError:
                    return bad("filtering: filter_value must be a JSON list as text")
        rows = []
        for c in state.campaigns.values():
            if wanted is not None and c["id"] not in wanted:
                continue
            days = [v for d, v in sorted(c["daily"].items()) if start <= d <= end]
            if not days:
                continue
            try:
                spend = sum((Decimal(str(v.get("spend", "0"))) for v in days), Decimal(0))
            except InvalidOperation:
                spend = None
            impressions = sum(int(v.get("impressions", 0)) for v in days)
            clicks = sum(int(v.get("clicks", 0)) for v in days)
            values = {"spend": str(spend) if spend is not None else str(days[0].get("spend")),
                      "impressions": str(impressions), "clicks": str(clicks),
                      "cpm": str((spend * 1000 / impressions).quantize(Decimal("0.01"))) if impressions and spend is not None else "0.00",
                      "ctr": str((Decimal(clicks) * 100 / impressions).quantize(Decimal("0.01"))) if impressions else "0.00",
                      "cpc": str((spend / clicks).quantize(Decimal("0.01"))) if clicks and spend is not None else "0.00",
                      "reach": str(impressions), "currency": state.currency}
            rows.append({"dimensions": {"campaign_id": c["id"]}, "metrics": {m: values[m] for m in metrics}})
        return 200, envelope(0, "OK", {"list": rows, "page_info": {"page": 1, "page_size": len(rows) or 10,
                                                                    "total_number": len(rows), "total_page": 1}}), {}


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="tiktok-test-token")
    parser.add_argument("--advertiser-id", default="7000000000000000001")
    parser.add_argument("--seed", default="", help="a JSON file {\"campaigns\": [...]}")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
