#include "ads/google/google_ads.hpp"

#include <nlohmann/json.hpp>

#include "ads/copy_name.hpp"
#include "ads/http_call.hpp"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kPlatform[] = "Google Ads";
constexpr int kMaxPages = 200;
constexpr size_t kMaxOperations = 1000;  // per mutate request (Google allows more; smaller is kinder)
const milliseconds kDefaultWait = std::chrono::minutes(5);

bool AllDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

// "30s", "1.5s" (a protobuf Duration in JSON) in milliseconds; 0 when unreadable.
milliseconds ParseDuration(std::string_view text) {
  if (!text.ends_with('s')) return milliseconds(0);
  const absl::StatusOr<Decimal> seconds = ParseDecimal(text.substr(0, text.size() - 1), "retryDelay");
  if (!seconds.ok() || seconds->micros < 0) return milliseconds(0);
  return milliseconds((seconds->micros + 999) / 1000);
}

// What Google said about a failed request, before it is worded for one campaign.
struct Failure {
  ErrorClass kind = ErrorClass::kPermanent;
  std::string code;  // the GoogleAdsError value ("FIELD_MASK_MISSING") or the HTTP status
  std::string said;  // "fieldMaskError FIELD_MASK_MISSING: The field mask must be …"
  milliseconds wait{0};

  absl::Status For(const Subject& subject) const {
    std::string message = StrCat(subject.Text(), ": Google said ", said);
    if (kind == ErrorClass::kRateLimited) StrAppend(message, "; retry in ", WaitText(wait));
    if (kind == ErrorClass::kAuth) StrAppend(message, " (check the access token, developer token and login-customer-id)");
    return AdError(kind, std::move(message), code, wait);
  }
};

// One GoogleAdsError ({"errorCode": {"<family>": "<VALUE>"}, "message", "details"}) as a Failure.
Failure FromAdsError(const json& e, Failure base) {
  if (!e.is_object()) return base;
  std::string family, value;
  if (e.contains("errorCode") && e["errorCode"].is_object() && !e["errorCode"].empty()) {
    family = e["errorCode"].begin().key();
    if (e["errorCode"].begin()->is_string()) value = e["errorCode"].begin()->get<std::string>();
  }
  if (!value.empty()) base.code = value;
  base.said = StrCat(family, family.empty() ? "" : " ", value, value.empty() ? "" : ": ", e.value("message", ""));
  if (family == "quotaError") {
    base.kind = ErrorClass::kRateLimited;
    const json details = e.value("details", json::object());
    if (details.is_object() && details.contains("quotaErrorDetails") && details["quotaErrorDetails"].is_object()) {
      const json& q = details["quotaErrorDetails"];
      if (q.contains("retryDelay") && q["retryDelay"].is_string()) {
        const milliseconds delay = ParseDuration(q["retryDelay"].get<std::string>());
        if (delay.count() > 0) base.wait = delay;
      }
    }
  } else if (family == "authenticationError" || family == "authorizationError") {
    base.kind = ErrorClass::kAuth;
  } else if (family == "internalError") {
    base.kind = ErrorClass::kTransient;
  }
  return base;
}

// The GoogleAdsFailure errors inside a google.rpc.Status ({"details": [{"errors": [...]}]}).
std::vector<json> AdsErrors(const json& status) {
  std::vector<json> out;
  if (!status.is_object() || !status.contains("details") || !status["details"].is_array()) return out;
  for (const json& d : status["details"])
    if (d.is_object() && d.contains("errors") && d["errors"].is_array())
      for (const json& e : d["errors"]) out.push_back(e);
  return out;
}

// A failed answer as a Failure; nullopt when the answer is a success.
std::optional<Failure> Classify(const channels::HttpResponse& response, const json& body) {
  if (response.status >= 200 && response.status < 300) return std::nullopt;
  Failure f;
  f.code = std::to_string(response.status);
  const json error = body.is_object() && body.contains("error") && body["error"].is_object() ? body["error"] : json();
  const std::string rpc_status = error.is_object() ? error.value("status", "") : "";
  f.said = StrCat("HTTP ", response.status);
  if (!rpc_status.empty()) StrAppend(f.said, " ", rpc_status);
  if (error.is_object() && error.contains("message") && error["message"].is_string())
    StrAppend(f.said, ": ", error["message"].get<std::string>());
  if (response.status == 429 || rpc_status == "RESOURCE_EXHAUSTED") f.kind = ErrorClass::kRateLimited;
  else if (response.status == 401 || response.status == 403 || rpc_status == "UNAUTHENTICATED" ||
           rpc_status == "PERMISSION_DENIED")
    f.kind = ErrorClass::kAuth;
  else if (response.status >= 500 || response.status == 408 || rpc_status == "UNAVAILABLE" ||
           rpc_status == "INTERNAL" || rpc_status == "DEADLINE_EXCEEDED")
    f.kind = ErrorClass::kTransient;
  const std::vector<json> errors = AdsErrors(error);
  if (!errors.empty()) {
    const ErrorClass by_status = f.kind;
    f = FromAdsError(errors.front(), f);
    if (by_status == ErrorClass::kRateLimited) f.kind = ErrorClass::kRateLimited;
    if (errors.size() > 1) StrAppend(f.said, " (and ", errors.size() - 1, " more)");
  }
  if (f.kind == ErrorClass::kRateLimited && f.wait.count() == 0) f.wait = channels::RetryAfter(response, kDefaultWait);
  return f;
}

struct Call {
  const GoogleSettings& s;
  Subject subject;

  std::string Url(std::string_view method) const {
    return StrCat(s.base_url, "/", s.api_version, "/customers/", s.customer_id, "/", method);
  }

  // The JSON answer of POST `method`, or the failure as Google put it.
  absl::StatusOr<json> Post(std::string_view method, const json& body, Failure* failure = nullptr) const {
    channels::HttpRequest request;
    request.url = Url(method);
    request.headers = {"Content-Type: application/json", StrCat("Authorization: Bearer ", s.token),
                       StrCat("developer-token: ", s.developer_token)};
    if (!s.login_customer_id.empty()) request.headers.push_back(StrCat("login-customer-id: ", s.login_customer_id));
    request.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    request.timeout = s.timeout;
    FARO_ASSIGN_OR_RETURN(const channels::HttpResponse response, Perform(request, subject));
    const json answer = json::parse(response.body, nullptr, false);
    if (std::optional<Failure> f = Classify(response, answer)) {
      if (failure != nullptr) *failure = *f;
      return f->For(subject);
    }
    if (!answer.is_object()) return Bad("is not a JSON object");
    return answer;
  }

  absl::Status Bad(std::string_view what) const {
    return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": Google's answer ", what), "bad-answer");
  }

  // Every row of a GAQL search, following nextPageToken.
  absl::StatusOr<std::vector<json>> Search(const std::string& query) const {
    std::vector<json> rows;
    std::string token;
    for (int page = 0; page < kMaxPages; ++page) {
      json body = {{"query", query}};
      if (!token.empty()) body["pageToken"] = token;
      FARO_ASSIGN_OR_RETURN(const json answer, Post("googleAds:search", body));
      if (answer.contains("results")) {
        if (!answer["results"].is_array()) return Bad("has \"results\" that is not a list");
        for (const json& r : answer["results"]) rows.push_back(r);
      }
      const std::string next = answer.value("nextPageToken", "");
      if (next.empty()) return rows;
      if (next == token) return Bad("repeats its nextPageToken");
      token = next;
    }
    return Bad(StrCat("has more than ", kMaxPages, " pages"));
  }
};

std::string Remote(const GoogleSettings& s) { return StrCat("customer ", s.customer_id); }

}  // namespace

CampaignStatus GoogleStatus(std::string_view raw) {
  if (raw == "ENABLED") return CampaignStatus::kActive;
  if (raw == "PAUSED") return CampaignStatus::kPaused;
  if (raw == "REMOVED") return CampaignStatus::kRemoved;
  return CampaignStatus::kOther;
}

GoogleAds::GoogleAds(GoogleSettings settings) : s_(std::move(settings)) {}

absl::StatusOr<std::vector<Campaign>> GoogleAds::ListCampaigns() {
  const std::string remote = Remote(s_);
  const Call call{s_, Subject{kPlatform, s_.account, remote, {}, "listing campaigns"}};
  FARO_ASSIGN_OR_RETURN(const std::vector<json> rows,
                        call.Search("SELECT campaign.id, campaign.name, campaign.status FROM campaign ORDER BY campaign.id"));
  std::vector<Campaign> out;
  for (const json& row : rows) {
    const json campaign = row.value("campaign", json::object());
    std::optional<std::string> id = TextOf(campaign, "id");
    if (!id) {  // fall back on the resource name "customers/{cid}/campaigns/{id}"
      const std::string rn = campaign.is_object() ? campaign.value("resourceName", "") : "";
      const size_t slash = rn.rfind('/');
      if (slash != std::string::npos && AllDigits(std::string_view(rn).substr(slash + 1))) id = rn.substr(slash + 1);
    }
    if (!id) return call.Bad("lists a campaign without an id");
    Campaign c;
    c.id = *id;
    c.name = campaign.value("name", "");
    c.platform = "google";
    c.raw_status = campaign.value("status", "");
    c.status = GoogleStatus(c.raw_status);
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<Campaign> GoogleAds::SetStatus(const std::string& id, CampaignStatus status) {
  std::vector<StatusChange> changes = SetStatuses({id}, status);
  if (!changes.front().result.ok()) return changes.front().result;
  return std::move(changes.front().campaign);
}

std::vector<StatusChange> GoogleAds::SetStatuses(const std::vector<std::string>& ids, CampaignStatus status) {
  if (status != CampaignStatus::kActive && status != CampaignStatus::kPaused) {
    std::vector<StatusChange> out;
    for (const std::string& id : ids)
      out.push_back({id,
                     AdError(ErrorClass::kPermanent,
                             StrCat(Subject{kPlatform, s_.account, Remote(s_), id, "changing status"}.Text(),
                                    ": Faro only pauses and resumes campaigns; \"", StatusName(status), "\" is refused"),
                             "irreversible"),
                     {}});
    return out;
  }
  return SetRawStatuses(ids, status == CampaignStatus::kActive ? "ENABLED" : "PAUSED");
}

std::vector<StatusChange> GoogleAds::SetRawStatuses(const std::vector<std::string>& ids, const std::string& raw) {
  const std::string remote = Remote(s_);
  const std::string doing = raw == "PAUSED" ? "pausing" : raw == "ENABLED" ? "resuming" : StrCat("setting status ", raw);
  std::vector<StatusChange> out(ids.size());
  std::vector<size_t> to_send;  // indexes into ids
  for (size_t i = 0; i < ids.size(); ++i) {
    out[i].id = ids[i];
    const Subject subject{kPlatform, s_.account, remote, ids[i], doing};
    if (IsIrreversibleStatus(raw))
      out[i].result = AdError(ErrorClass::kPermanent,
                              StrCat(subject.Text(), ": refused: Faro never removes campaigns"), "irreversible");
    else if (raw != "ENABLED" && raw != "PAUSED")
      out[i].result = AdError(ErrorClass::kPermanent,
                              StrCat(subject.Text(), ": \"", raw, "\" is not a status Faro sets (ENABLED or PAUSED)"),
                              "bad-status");
    else if (!AllDigits(ids[i]))
      out[i].result =
          AdError(ErrorClass::kPermanent, StrCat(subject.Text(), ": a Google Ads campaign id is digits only"), "bad-id");
    else
      to_send.push_back(i);
  }
  for (size_t start = 0; start < to_send.size(); start += kMaxOperations) {
    const size_t end = std::min(to_send.size(), start + kMaxOperations);
    json operations = json::array();
    for (size_t k = start; k < end; ++k)
      operations.push_back(
          {{"update", {{"resourceName", StrCat("customers/", s_.customer_id, "/campaigns/", ids[to_send[k]])}, {"status", raw}}},
           {"updateMask", "status"}});
    const bool batch = end - start > 1;
    const std::string label = batch ? StrCat(end - start, " campaigns") : ids[to_send[start]];
    const Call call{s_, Subject{kPlatform, s_.account, remote, label, doing}};
    Failure failure;
    absl::StatusOr<json> answer =
        call.Post("campaigns:mutate", {{"operations", operations}, {"partialFailure", batch}}, &failure);
    for (size_t k = start; k < end; ++k) {
      const size_t i = to_send[k];
      const Subject one{kPlatform, s_.account, remote, ids[i], doing};
      if (!answer.ok()) {
        // The whole request failed: the same reason for each, worded for its campaign.
        out[i].result = failure.said.empty() ? answer.status() : failure.For(one);
        continue;
      }
      out[i].result = absl::OkStatus();
      out[i].campaign = Campaign{ids[i], "", "google", GoogleStatus(raw), raw};
    }
    if (!answer.ok()) continue;
    const json results = answer->value("results", json::array());
    // Partial failure: each error names its operation's index.
    if (answer->contains("partialFailureError") && (*answer)["partialFailureError"].is_object()) {
      for (const json& e : AdsErrors((*answer)["partialFailureError"])) {
        std::optional<size_t> index;
        const json location = e.value("location", json::object());
        if (location.is_object() && location.contains("fieldPathElements") && location["fieldPathElements"].is_array())
          for (const json& p : location["fieldPathElements"])
            if (p.is_object() && p.value("fieldName", "") == "operations" && p.contains("index") &&
                p["index"].is_number_integer()) {
              index = p["index"].get<size_t>();
              break;
            }
        if (!index || *index >= end - start) continue;
        const size_t i = to_send[start + *index];
        out[i].result = FromAdsError(e, Failure{}).For(Subject{kPlatform, s_.account, remote, ids[i], doing});
        out[i].campaign = {};
      }
    }
    // Every operation Google reports neither as done nor as failed is not confirmed.
    for (size_t k = start; k < end; ++k) {
      const size_t i = to_send[k];
      if (!out[i].result.ok()) continue;
      const size_t n = k - start;
      const bool done = results.is_array() && n < results.size() && results[n].is_object() &&
                        results[n].contains("resourceName");
      if (!done) {
        out[i].result = AdError(ErrorClass::kTransient,
                                StrCat(Subject{kPlatform, s_.account, remote, ids[i], doing}.Text(),
                                       ": Google's answer does not confirm the change"),
                                "bad-answer");
        out[i].campaign = {};
      }
    }
  }
  return out;
}

absl::StatusOr<Insights> GoogleAds::ReadInsights(const std::string& id, const DateRange& range) {
  const Call call{s_, Subject{kPlatform, s_.account, Remote(s_), id, "reading insights"}};
  if (!AllDigits(id))
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": a Google Ads campaign id is digits only"), "bad-id");
  if (absl::Status valid = ValidateDateRange(range); !valid.ok())
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": ", Message(valid)), "bad-range");
  FARO_ASSIGN_OR_RETURN(
      const std::vector<json> rows,
      call.Search(StrCat("SELECT campaign.id, metrics.cost_micros, metrics.impressions, metrics.clicks, "
                         "customer.currency_code FROM campaign WHERE campaign.id = ",
                         id, " AND segments.date BETWEEN '", range.since, "' AND '", range.until, "'")));
  Insights out;
  out.spend.currency = s_.currency;
  out.date_start = range.since;
  out.date_stop = range.until;
  // Zero metrics may be left out of the JSON (proto3); present ones are int64 as strings.
  const auto count = [&](const json& metrics, const char* key) -> absl::StatusOr<int64_t> {
    if (!metrics.is_object() || !metrics.contains(key)) return int64_t{0};
    const std::optional<std::string> text = TextOf(metrics, key);
    if (!text) return call.Bad(StrCat("gives \"", key, "\" as ", metrics[key].type_name()));
    absl::StatusOr<int64_t> n = ParseCount(*text, key);
    if (!n.ok()) return call.Bad(StrCat("is wrong: ", Message(n.status())));
    return n;
  };
  for (const json& row : rows) {
    const json metrics = row.value("metrics", json::object());
    FARO_ASSIGN_OR_RETURN(const int64_t cost, count(metrics, "costMicros"));
    FARO_ASSIGN_OR_RETURN(const int64_t impressions, count(metrics, "impressions"));
    FARO_ASSIGN_OR_RETURN(const int64_t clicks, count(metrics, "clicks"));
    out.spend.micros += cost;
    out.impressions += impressions;
    out.clicks += clicks;
    const json customer = row.value("customer", json::object());
    if (customer.is_object() && customer.contains("currencyCode") && customer["currencyCode"].is_string())
      out.spend.currency = customer["currencyCode"].get<std::string>();
  }
  if (rows.empty()) {
    // No row: either no delivery in the range or no such campaign; only the first is zeros.
    FARO_ASSIGN_OR_RETURN(const std::vector<json> found,
                          call.Search(StrCat("SELECT campaign.id FROM campaign WHERE campaign.id = ", id)));
    if (found.empty())
      return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": no such campaign in this account"),
                     "not-found");
  }
  out.cpm = CostPerMille(out.spend, out.impressions);
  out.ctr = CtrPercent(out.clicks, out.impressions);
  return out;
}

absl::StatusOr<Campaign> GoogleAds::Duplicate(const Campaign& source, const Money& budget_cap) {
  const Call call{s_, Subject{kPlatform, s_.account, Remote(s_), {}, StrCat("copying campaign ", source.id)}};
  if (!s_.currency.empty() && budget_cap.currency != s_.currency)
    return AdError(ErrorClass::kPermanent,
                   StrCat(call.subject.Text(), ": the budget cap ", FormatMoney(budget_cap),
                          " is not in the account's currency ", s_.currency),
                   "currency");
  if (budget_cap.micros <= 0 || budget_cap.micros % MicrosPerMinorUnit(budget_cap.currency) != 0)
    return AdError(ErrorClass::kPermanent,
                   StrCat(call.subject.Text(), ": the budget cap ", FormatMoney(budget_cap),
                          " is not a whole number of the currency's smallest unit"),
                   "bad-cap");
  const std::string name = CopyName(source);
  FARO_ASSIGN_OR_RETURN(
      const json budget,
      call.Post("campaignBudgets:mutate",
                {{"operations", json::array({{{"create",
                                               {{"name", StrCat(name, " — budget")},
                                                {"totalAmountMicros", std::to_string(budget_cap.micros)},
                                                {"period", "CUSTOM_PERIOD"},
                                                {"deliveryMethod", "STANDARD"},
                                                {"explicitlyShared", false}}}}})}}));
  const json budget_results = budget.value("results", json::array());
  if (!budget_results.is_array() || budget_results.empty() || !budget_results[0].is_object() ||
      !budget_results[0].contains("resourceName"))
    return call.Bad("has no resourceName for the new budget");
  const std::string budget_name = budget_results[0]["resourceName"].get<std::string>();
  FARO_ASSIGN_OR_RETURN(const json created,
                        call.Post("campaigns:mutate", {{"operations", json::array({{{"create",
                                                                                     {{"name", name},
                                                                                      {"status", "PAUSED"},
                                                                                      {"advertisingChannelType", "SEARCH"},
                                                                                      {"campaignBudget", budget_name},
                                                                                      {"manualCpc", json::object()}}}}})}}));
  const json results = created.value("results", json::array());
  const std::string rn = results.is_array() && !results.empty() && results[0].is_object()
                             ? results[0].value("resourceName", "")
                             : "";
  const size_t slash = rn.rfind('/');
  if (slash == std::string::npos || !AllDigits(std::string_view(rn).substr(slash + 1)))
    return call.Bad("has no resourceName for the new campaign");
  return Campaign{rn.substr(slash + 1), name, "google", CampaignStatus::kPaused, "PAUSED"};
}

}  // namespace faro::ads
