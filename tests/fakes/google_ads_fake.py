#!/usr/bin/python3
"""A local fake of the Google Ads API (REST) for contract tests of the ad adapters.

Campaigns are seeded with --seed FILE or POST /_fake/config {"campaigns": [...]}, each
{"id", "name", "status": ENABLED|PAUSED|REMOVED, "daily": {"YYYY-MM-DD": {"cost_micros",
"impressions", "clicks"}}}.

Every request needs "Authorization: Bearer <token>" (else HTTP 401 UNAUTHENTICATED,
authenticationError OAUTH_TOKEN_INVALID) and a "developer-token" header (else HTTP 401,
authenticationError DEVELOPER_TOKEN_INVALID); when "login_customer_id" is configured the
"login-customer-id" header must carry it (else HTTP 403 PERMISSION_DENIED, authorizationError
USER_PERMISSION_DENIED). Paths are /v<N>/customers/<customer id>/<method>; another customer id
answers 403 authorizationError USER_PERMISSION_DENIED.

  POST …/googleAds:search {"query": GAQL, "pageToken"?} -> {"results": [...], "nextPageToken"?,
       "fieldMask"}. GAQL understood: SELECT of campaign.id, campaign.name, campaign.status,
       campaign.resource_name, metrics.cost_micros, metrics.impressions, metrics.clicks,
       customer.currency_code, segments.date FROM campaign, WHERE conditions joined by AND
       (campaign.id = N, campaign.status = / != 'X', campaign.status IN ('A', 'B'),
       segments.date BETWEEN 'A' AND 'B'), ORDER BY campaign.id. int64 values are JSON strings;
       zero metrics are left out (proto3 JSON). A query with metrics gives rows only for
       campaigns with figures in the range (summed unless segments.date is selected). Anything
       else -> 400 INVALID_ARGUMENT queryError.
  POST …/campaigns:mutate {"operations": [{"create" | "update" | "remove", "updateMask"}],
       "partialFailure", "validateOnly"}. An update needs a non-empty updateMask naming fields
       present in it (fieldMaskError FIELD_MASK_MISSING / FIELD_NOT_FOUND); create and remove must
       not have one (FIELD_MASK_NOT_ALLOWED). Status ENABLED <-> PAUSED; "remove" makes it
       REMOVED, which is terminal (operationAccessDeniedError
       OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE); unknown ids -> mutateError
       RESOURCE_NOT_FOUND. Without partialFailure the request is atomic: one failed operation
       fails it all (HTTP 400, nothing changes). With it, good operations apply, failed ones get
       an empty result and are listed in "partialFailureError" with their operation index.
       A create needs name, status ENABLED|PAUSED, advertisingChannelType, campaignBudget (an
       existing budget) and a bidding strategy (manualCpc, maximizeClicks, targetSpend, ...).
  POST …/campaignBudgets:mutate  create {name, amountMicros | totalAmountMicros (int64
       strings, above zero), period DAILY|CUSTOM_PERIOD, deliveryMethod, explicitlyShared}.

Quota (configurable): after "quota": {"requests": N, "retry_seconds": S} requests, every request
for S real seconds -> HTTP 429 RESOURCE_EXHAUSTED with quotaError RESOURCE_TEMPORARILY_EXHAUSTED
and details.quotaErrorDetails {"rateScope": "ACCOUNT", "rateName", "retryDelay": "<S>s"}.
Outage: "outage": "503" -> HTTP 503 UNAVAILABLE; "500" -> HTTP 500 INTERNAL internalError.

Control (never part of the real API):
  GET  /_fake/campaigns  {id: {"name", "status", "budget", "channel", "bidding"}}
  GET  /_fake/budgets    {id: {"name", "amount_micros", "total_amount_micros", "period"}}
  GET  /_fake/requests   [{method, path, headers: {developer-token?, login-customer-id?}, body,
                          status, code}]
  GET  /_fake/stats      {"requests", "rate_limited", "errors": {code: n}}
  POST /_fake/config     any of {"token", "developer_token", "login_customer_id", "currency",
                         "campaigns": [...] (replaces), "add_campaigns": [...], "page_size",
                         "quota": {...} | null, "outage": false | "503" | "500"}
  POST /_fake/reset      forgets requests, counters and the quota (campaigns stay)
"""
import hmac
import json
import re
import threading
import time
import urllib.parse

import fakelib

FIELDS = {"campaign.id", "campaign.name", "campaign.status", "campaign.resource_name", "metrics.cost_micros",
          "metrics.impressions", "metrics.clicks", "customer.currency_code", "segments.date"}
BIDDING = ("manualCpc", "maximizeClicks", "targetSpend", "maximizeConversions", "targetCpa", "targetRoas",
           "manualCpm", "targetImpressionShare")


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.developer_token = args.developer_token
        self.customer_id = args.customer_id
        self.login_customer_id = ""
        self.currency = "USD"
        self.page_size = 10000
        self.campaigns = {}
        self.budgets = {}
        self.next_id = 900000
        self.outage = False
        self.reset()
        if args.seed:
            with open(args.seed, encoding="utf-8") as f:
                self.seed(json.load(f)["campaigns"], replace=True)

    def reset(self):
        self.requests = []
        self.quota = None
        self.quota_count = 0
        self.blocked_until = 0.0
        self.stats = {"requests": 0, "rate_limited": 0, "errors": {}}

    def seed(self, campaigns, replace):
        if replace:
            self.campaigns = {}
        for c in campaigns:
            cid = str(c["id"])
            self.campaigns[cid] = {"id": cid, "name": c.get("name", ""), "status": c.get("status", "ENABLED"),
                                   "daily": c.get("daily", {}), "budget": c.get("budget"),
                                   "channel": c.get("channel", "SEARCH"), "bidding": c.get("bidding", "manualCpc")}

    def configure(self, cfg):
        for key in ("token", "developer_token", "login_customer_id", "currency"):
            if key in cfg:
                setattr(self, key, str(cfg[key]))
        if "page_size" in cfg:
            self.page_size = int(cfg["page_size"])
        if "campaigns" in cfg:
            self.seed(cfg["campaigns"], replace=True)
        if "add_campaigns" in cfg:
            self.seed(cfg["add_campaigns"], replace=False)
        if "quota" in cfg:
            self.quota = cfg["quota"]
            self.quota_count = 0
            self.blocked_until = 0.0
        if "outage" in cfg:
            self.outage = cfg["outage"]

    def campaign_view(self):
        return {cid: {k: c[k] for k in ("name", "status", "budget", "channel", "bidding")}
                for cid, c in sorted(self.campaigns.items(), key=lambda kv: int(kv[0]))}


def failure(http, status, message, version, errors):
    """A google.rpc.Status with a GoogleAdsFailure in its details."""
    body = {"code": http, "message": message, "status": status}
    if errors:
        body["details"] = [{"@type": f"type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure",
                            "errors": errors, "requestId": "fake-request-0001"}]
    return http, {"error": body}


def ads_error(family, value, message, index=None, details=None):
    e = {"errorCode": {family: value}, "message": message}
    if index is not None:
        e["location"] = {"fieldPathElements": [{"fieldName": "operations", "index": index}]}
    if details:
        e["details"] = details
    return e


def invalid(version, errors):
    return failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", version, errors)


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def parse_query(query):
    """(fields, conditions, error) from a GAQL text; conditions are (field, op, value)."""
    m = re.fullmatch(r"\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+([\w.]+)(?:\s+(?:ASC|DESC))?)?"
                     r"(?:\s+LIMIT\s+(\d+))?\s*", query, re.S | re.I)
    if not m:
        return None, None, "The query could not be parsed."
    fields = [f.strip() for f in m.group(1).split(",")]
    if m.group(2) != "campaign":
        return None, None, f"Only FROM campaign is supported by this fake, not {m.group(2)}."
    for f in fields:
        if f not in FIELDS:
            return None, None, f"Unrecognized field in the query: '{f}'."
    conditions = []
    where = m.group(3) or ""
    between = re.search(r"segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'", where)
    if between:
        conditions.append(("segments.date", "BETWEEN", (between.group(1), between.group(2))))
        where = where[:between.start()] + "TRUE" + where[between.end():]
    for part in [p.strip() for p in re.split(r"\s+AND\s+", where) if p.strip()]:
        if part == "TRUE":
            continue
        cm = re.fullmatch(r"campaign\.id\s*=\s*(\d+)", part)
        if cm:
            conditions.append(("campaign.id", "=", cm.group(1)))
            continue
        cm = re.fullmatch(r"campaign\.status\s*(=|!=)\s*'(\w+)'", part)
        if cm:
            conditions.append(("campaign.status", cm.group(1), cm.group(2)))
            continue
        cm = re.fullmatch(r"campaign\.status\s+IN\s*\(([^)]*)\)", part)
        if cm:
            values = [v.strip().strip("'") for v in cm.group(1).split(",")]
            conditions.append(("campaign.status", "IN", values))
            continue
        return None, None, f"Unsupported condition in the query: '{part}'."
    return fields, conditions, None


def matches(c, conditions):
    for field, op, value in conditions:
        if field == "campaign.id" and c["id"] != value:
            return False
        if field == "campaign.status":
            if op == "=" and c["status"] != value:
                return False
            if op == "!=" and c["status"] == value:
                return False
            if op == "IN" and c["status"] not in value:
                return False
    return True


class Handler(fakelib.Handler):
    views = {"/_fake/requests": "requests", "/_fake/stats": "stats"}

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        with self.state.lock:
            if path == "/_fake/campaigns":
                return self.reply(200, self.state.campaign_view())
            if path == "/_fake/budgets":
                return self.reply(200, self.state.budgets)
        if self.show_view(path):
            return
        self.reply(404, {"error": {"code": 404, "message": "Method not found.", "status": "NOT_FOUND"}})

    def api_post(self, path, raw):
        state = self.state
        with state.lock:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = None
            status, answer = self.answer(path, body)
            code = None
            if status >= 400:
                errs = answer["error"].get("details", [{}])[0].get("errors", [])
                code = list(errs[0]["errorCode"].values())[0] if errs else answer["error"]["status"]
                fakelib.count_error(state.stats, code)
            state.stats["requests"] += 1
            state.requests.append({"method": "POST", "path": path,
                                   "headers": {k: self.headers.get(k) for k in ("developer-token", "login-customer-id")
                                               if self.headers.get(k) is not None},
                                   "body": body, "status": status, "code": code})
        self.reply(status, answer)

    def answer(self, path, body):
        state = self.state
        m = re.fullmatch(r"/(v[0-9]+)/customers/([0-9]+)/(googleAds:search|campaigns:mutate|campaignBudgets:mutate)", path)
        version = m.group(1) if m else "v23"
        if not m:
            return 404, {"error": {"code": 404, "message": "Method not found.", "status": "NOT_FOUND"}}
        if state.outage == "503":
            return 503, {"error": {"code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"}}
        if state.outage:
            return failure(500, "INTERNAL", "Internal error encountered.", version,
                           [ads_error("internalError", "INTERNAL_ERROR", "An internal error has occurred.")])
        given = self.headers.get("Authorization") or ""
        if not hmac.compare_digest(given.encode(), f"Bearer {state.token}".encode()):
            return failure(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", version,
                           [ads_error("authenticationError", "OAUTH_TOKEN_INVALID", "Oauth token is invalid.")])
        if not hmac.compare_digest((self.headers.get("developer-token") or "").encode(), state.developer_token.encode()):
            return failure(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", version,
                           [ads_error("authenticationError", "DEVELOPER_TOKEN_INVALID",
                                      "The developer token is not valid.")])
        login = self.headers.get("login-customer-id")
        if (state.login_customer_id and login != state.login_customer_id) or \
                (login is not None and not re.fullmatch(r"[0-9]{10}", login)):
            return failure(403, "PERMISSION_DENIED", "The caller does not have permission", version,
                           [ads_error("authorizationError", "USER_PERMISSION_DENIED",
                                      "User doesn't have permission to access customer. Note: If you're accessing a "
                                      "client customer, the manager's customer id must be set in the "
                                      "'login-customer-id' header.")])
        if m.group(2) != state.customer_id:
            return failure(403, "PERMISSION_DENIED", "The caller does not have permission", version,
                           [ads_error("authorizationError", "USER_PERMISSION_DENIED",
                                      "User doesn't have permission to access customer.")])
        if state.quota:
            now = time.time()
            if now < state.blocked_until:
                return self.exhausted(version)
            state.quota_count += 1
            if state.quota_count > int(state.quota.get("requests", 0)):
                state.blocked_until = now + float(state.quota.get("retry_seconds", 30))
                return self.exhausted(version)
        if not isinstance(body, dict):
            return invalid(version, [ads_error("requestError", "BAD_REQUEST", "The request body is not a JSON object.")])
        method = m.group(3)
        if method == "googleAds:search":
            return self.search(version, body)
        if method == "campaigns:mutate":
            return self.mutate_campaigns(version, body)
        return self.mutate_budgets(version, body)

    def exhausted(self, version):
        state = self.state
        state.stats["rate_limited"] += 1
        seconds = int(float(state.quota.get("retry_seconds", 30)))
        return failure(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", version,
                       [ads_error("quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED",
                                  "Too many requests. Retry in " + str(seconds) + " seconds.",
                                  details={"quotaErrorDetails": {"rateScope": "ACCOUNT",
                                                                 "rateName": "Requests per account",
                                                                 "retryDelay": f"{seconds}s"}})])

    def search(self, version, body):
        state = self.state
        query = body.get("query")
        if not isinstance(query, str):
            return invalid(version, [ads_error("queryError", "QUERY_NOT_FOUND", "The query is missing.")])
        fields, conditions, problem = parse_query(query)
        if problem:
            return invalid(version, [ads_error("queryError", "UNRECOGNIZED_FIELD", problem)])
        with_metrics = any(f.startswith("metrics.") for f in fields)
        by_day = "segments.date" in fields
        dates = next((v for f, op, v in conditions if f == "segments.date"), None)
        rows = []
        for cid in sorted(state.campaigns, key=int):
            c = state.campaigns[cid]
            if not matches(c, conditions):
                continue
            days = [(d, v) for d, v in sorted(c["daily"].items()) if dates is None or dates[0] <= d <= dates[1]]
            groups = [(d, [v]) for d, v in days] if by_day else ([(None, [v for _, v in days])] if days else [])
            if not with_metrics and not by_day:
                groups = [(None, [])]
            for day, values in groups:
                row = {"campaign": {"resourceName": f"customers/{state.customer_id}/campaigns/{cid}"}}
                for f in fields:
                    kind, name = f.split(".")
                    if kind == "campaign" and name != "resource_name":
                        row["campaign"][camel(name)] = c[name] if name != "id" else cid
                    elif kind == "metrics":
                        total = sum(int(v.get(name, 0)) for v in values)
                        row.setdefault("metrics", {})
                        if total:
                            row["metrics"][camel(name)] = str(total)  # int64 as a string; zero left out
                    elif kind == "customer":
                        row["customer"] = {"resourceName": f"customers/{state.customer_id}",
                                           "currencyCode": state.currency}
                    elif kind == "segments":
                        row["segments"] = {"date": day}
                rows.append(row)
        start = 0
        if body.get("pageToken"):
            pm = re.fullmatch(r"page-([0-9]+)", str(body["pageToken"]))
            if not pm:
                return invalid(version, [ads_error("requestError", "INVALID_PAGE_TOKEN", "Page token is invalid.")])
            start = int(pm.group(1))
        page = rows[start:start + state.page_size]
        answer = {"results": page, "fieldMask": ",".join(camel(f) for f in fields), "requestId": "fake-request-0002"}
        if start + state.page_size < len(rows):
            answer["nextPageToken"] = f"page-{start + state.page_size}"
        return 200, answer

    def check_operation(self, op, index):
        """(error or None, action) for one campaign operation; action applies it."""
        state = self.state
        kinds = [k for k in ("create", "update", "remove") if k in op]
        if len(kinds) != 1:
            return ads_error("requestError", "BAD_REQUEST", "An operation needs exactly one of create, update, remove.",
                             index), None
        kind = kinds[0]
        mask = op.get("updateMask")
        if kind != "update" and mask:
            return ads_error("fieldMaskError", "FIELD_MASK_NOT_ALLOWED",
                             "The field mask must be empty for create and remove operations.", index), None
        if kind == "create":
            c = op["create"]
            for key in ("name", "status", "advertisingChannelType", "campaignBudget"):
                if key not in c:
                    return ads_error("fieldError", "REQUIRED", f"The required field was not present: {key}.", index), None
            if c["status"] not in ("ENABLED", "PAUSED"):
                return ads_error("fieldError", "INVALID_VALUE", "A new campaign's status must be ENABLED or PAUSED.",
                                 index), None
            bm = re.fullmatch(rf"customers/{state.customer_id}/campaignBudgets/([0-9]+)", str(c["campaignBudget"]))
            if not bm or bm.group(1) not in state.budgets:
                return ads_error("mutateError", "RESOURCE_NOT_FOUND", "The campaign budget was not found.", index), None
            bidding = [b for b in BIDDING if b in c]
            if len(bidding) != 1:
                return ads_error("biddingError", "BIDDING_STRATEGY_TYPE_INCOMPATIBLE_WITH_CHANNEL_TYPE",
                                 "A campaign needs exactly one bidding strategy.", index), None

            def apply():
                state.next_id += 1
                cid = str(state.next_id)
                state.seed([{"id": cid, "name": c["name"], "status": c["status"], "budget": bm.group(1),
                             "channel": c["advertisingChannelType"], "bidding": bidding[0]}], replace=False)
                return cid
            return None, apply
        rn = op[kind]["resourceName"] if kind == "update" and isinstance(op[kind], dict) else op[kind]
        rm = re.fullmatch(rf"customers/{state.customer_id}/campaigns/([0-9]+)", str(rn))
        if not rm or rm.group(1) not in state.campaigns:
            return ads_error("mutateError", "RESOURCE_NOT_FOUND", "Resource was not found.", index), None
        c = state.campaigns[rm.group(1)]
        if c["status"] == "REMOVED":
            return ads_error("operationAccessDeniedError", "OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE",
                             "Mutate operation is not permitted for removed resources.", index), None
        if kind == "remove":
            return None, lambda: c.update(status="REMOVED") or c["id"]
        update = op["update"]
        if not mask:
            return ads_error("fieldMaskError", "FIELD_MASK_MISSING",
                             "The field mask must be provided for update operations.", index), None
        fields = [f.strip() for f in str(mask).split(",")]
        for f in fields:
            if f not in ("status", "name") or camel(f) not in update:
                return ads_error("fieldMaskError", "FIELD_NOT_FOUND", f"The field mask contained an invalid field: {f}.",
                                 index), None
        if "status" in fields and update["status"] not in ("ENABLED", "PAUSED"):
            return ads_error("fieldError", "INVALID_VALUE",
                             "Status can be ENABLED or PAUSED in an update; use a remove operation to remove.",
                             index), None
        changes = {f: update[camel(f)] for f in fields}
        return None, lambda: c.update(changes) or c["id"]

    def mutate_campaigns(self, version, body):
        state = self.state
        ops = body.get("operations")
        if not isinstance(ops, list) or not ops:
            return invalid(version, [ads_error("requestError", "REQUIRED_FIELD_MISSING", "operations is required.")])
        partial = bool(body.get("partialFailure", False))
        checked = []
        for i, op in enumerate(ops):
            if not isinstance(op, dict):
                checked.append((ads_error("requestError", "BAD_REQUEST", "An operation must be an object.", i), None))
            else:
                checked.append(self.check_operation(op, i))
        errors = [e for e, _ in checked if e]
        if errors and not partial:
            return invalid(version, errors)
        if body.get("validateOnly"):
            return 200, {"results": []}
        results = []
        for error, action in checked:
            if error:
                results.append({})
            else:
                cid = action()
                results.append({"resourceName": f"customers/{state.customer_id}/campaigns/{cid}"})
        answer = {"results": results}
        if errors:
            answer["partialFailureError"] = {
                "code": 3, "message": f"Multiple errors in 'details'. First error: {errors[0]['message']}",
                "details": [{"@type": f"type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure",
                             "errors": errors, "requestId": "fake-request-0003"}]}
        return 200, answer

    def mutate_budgets(self, version, body):
        state = self.state
        ops = body.get("operations")
        if not isinstance(ops, list) or len(ops) != 1 or not isinstance(ops[0], dict) or "create" not in ops[0]:
            return invalid(version, [ads_error("requestError", "BAD_REQUEST", "This fake takes one budget create.")])
        if ops[0].get("updateMask"):
            return invalid(version, [ads_error("fieldMaskError", "FIELD_MASK_NOT_ALLOWED",
                                               "The field mask must be empty for create and remove operations.", 0)])
        b = ops[0]["create"]
        amounts = {}
        for key in ("amountMicros", "totalAmountMicros"):
            if key in b:
                if not isinstance(b[key], str) or not re.fullmatch(r"[1-9][0-9]*", b[key]):
                    return invalid(version, [ads_error("fieldError", "INVALID_VALUE",
                                                       f"{key} must be an int64 above zero, as a string.", 0)])
                amounts[key] = int(b[key])
        if len(amounts) != 1 or "name" not in b:
            return invalid(version, [ads_error("fieldError", "REQUIRED",
                                               "A budget needs a name and exactly one of amountMicros and "
                                               "totalAmountMicros.", 0)])
        if any(v % 10000 for v in amounts.values()):
            return invalid(version, [ads_error("campaignBudgetError", "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT",
                                               "The budget must be a multiple of the currency's minimum unit.", 0)])
        state.next_id += 1
        bid = str(state.next_id)
        state.budgets[bid] = {"name": b["name"], "amount_micros": amounts.get("amountMicros"),
                              "total_amount_micros": amounts.get("totalAmountMicros"),
                              "period": b.get("period", "DAILY"), "delivery_method": b.get("deliveryMethod", "STANDARD")}
        return 200, {"results": [{"resourceName": f"customers/{state.customer_id}/campaignBudgets/{bid}"}]}


def main():
    parser = fakelib.arguments(__doc__)
    parser.add_argument("--token", default="ya29.google-test-token")
    parser.add_argument("--developer-token", default="DEV-google-test-token")
    parser.add_argument("--customer-id", default="1234567890")
    parser.add_argument("--seed", default="", help="a JSON file {\"campaigns\": [...]}")
    args = parser.parse_args()
    fakelib.serve(Handler, State(args), args.port)


if __name__ == "__main__":
    main()
