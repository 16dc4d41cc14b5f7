#include "ads/meta/meta_marketing.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ads/copy_name.hpp"
#include "ads/http_call.hpp"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr char kPlatform[] = "Meta Marketing";
constexpr int kMaxPages = 200;  // 20,000 campaigns at 100 a page; more is a paging loop
const milliseconds kDefaultWait = minutes(5);

// The longest estimated_time_to_regain_access (minutes) in x-business-use-case-usage:
// {"<business id>": [{"type": "ads_management", ..., "estimated_time_to_regain_access": 19}]}.
milliseconds BusinessUseCaseWait(const channels::HttpResponse& response) {
  const json usage = json::parse(response.Header("x-business-use-case-usage"), nullptr, false);
  int64_t longest = 0;
  if (usage.is_object())
    for (const auto& [id, entries] : usage.items()) {
      if (!entries.is_array()) continue;
      for (const json& e : entries)
        if (e.is_object() && e.contains("estimated_time_to_regain_access") &&
            e["estimated_time_to_regain_access"].is_number())
          longest = std::max(longest, e["estimated_time_to_regain_access"].get<int64_t>());
    }
  return minutes(longest);
}

// An answer's error as a classified status; OK when it is not an error.
absl::Status Classify(const channels::HttpResponse& response, const json& body, const Subject& subject) {
  const bool ok_status = response.status >= 200 && response.status < 300;
  const json error = body.is_object() && body.contains("error") && body["error"].is_object() ? body["error"] : json();
  if (error.is_null()) {
    if (ok_status) return absl::OkStatus();
    const std::string what = StrCat(subject.Text(), ": Meta answered HTTP ", response.status);
    const std::string code = std::to_string(response.status);
    if (response.status == 429)
      return AdError(ErrorClass::kRateLimited, what, code, channels::RetryAfter(response, kDefaultWait));
    if (response.status == 401 || response.status == 403)
      return AdError(ErrorClass::kAuth, StrCat(what, " (the access token was refused)"), code);
    if (response.status >= 500 || response.status == 408) return AdError(ErrorClass::kTransient, what, code);
    return AdError(ErrorClass::kPermanent, what, code);
  }
  const int64_t code = error.contains("code") && error["code"].is_number_integer() ? error["code"].get<int64_t>() : 0;
  const int64_t subcode = error.contains("error_subcode") && error["error_subcode"].is_number_integer()
                              ? error["error_subcode"].get<int64_t>()
                              : 0;
  std::string said = StrCat("error ", code);
  if (subcode != 0) StrAppend(said, " (subcode ", subcode, ")");
  if (error.contains("message") && error["message"].is_string()) StrAppend(said, ": ", error["message"].get<std::string>());
  if (error.contains("error_user_msg") && error["error_user_msg"].is_string())
    StrAppend(said, " — ", error["error_user_msg"].get<std::string>());
  const std::string what = StrCat(subject.Text(), ": Meta said ", said);
  const std::string code_text = std::to_string(code);

  const bool rate_limited = code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014);
  if (rate_limited) {
    milliseconds wait = BusinessUseCaseWait(response);
    if (wait.count() == 0) wait = channels::RetryAfter(response, kDefaultWait);
    return AdError(ErrorClass::kRateLimited, StrCat(what, "; retry in ", WaitText(wait)), code_text, wait);
  }
  if (code == 190 || code == 102 || code == 10 || (code >= 200 && code <= 299))
    return AdError(ErrorClass::kAuth, StrCat(what, " (the access token or its permissions were refused)"), code_text);
  if (code == 1 || code == 2 || response.status >= 500)
    return AdError(ErrorClass::kTransient, what, code_text);
  return AdError(ErrorClass::kPermanent, what, code_text);
}

bool IsMetaStatus(std::string_view raw) {
  return raw == "ACTIVE" || raw == "PAUSED" || raw == "ARCHIVED" || raw == "DELETED";
}

}  // namespace

CampaignStatus MetaStatus(std::string_view raw) {
  if (raw == "ACTIVE") return CampaignStatus::kActive;
  if (raw == "PAUSED") return CampaignStatus::kPaused;
  if (raw == "ARCHIVED" || raw == "DELETED") return CampaignStatus::kRemoved;
  return CampaignStatus::kOther;
}

MetaMarketing::MetaMarketing(MetaSettings settings) : s_(std::move(settings)) {}

namespace {

struct Call {
  const MetaSettings& s;
  Subject subject;

  std::string Url(std::string_view path) const { return StrCat(s.base_url, "/", s.api_version, "/", path); }

  // The answer's JSON when it is not an error.
  absl::StatusOr<json> Run(std::string method, std::string url, std::string form = {}) const {
    channels::HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = {StrCat("Authorization: Bearer ", s.token)};
    if (!form.empty()) request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    request.body = std::move(form);
    request.timeout = s.timeout;
    FARO_ASSIGN_OR_RETURN(const channels::HttpResponse response, Perform(request, subject));
    const json body = json::parse(response.body, nullptr, false);
    FARO_RETURN_IF_ERROR(Classify(response, body, subject));
    if (!body.is_object())
      return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": Meta's answer is not a JSON object"), "bad-answer");
    return body;
  }

  absl::Status Bad(std::string_view what) const {
    return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": Meta's answer ", what), "bad-answer");
  }
};

}  // namespace

absl::StatusOr<std::vector<Campaign>> MetaMarketing::ListCampaigns() {
  const std::string remote = StrCat("act_", s_.ad_account);
  const Call call{s_, Subject{kPlatform, s_.account, remote, {}, "listing campaigns"}};
  std::vector<Campaign> out;
  std::string after;
  for (int page = 0; page < kMaxPages; ++page) {
    std::vector<std::pair<std::string, std::string>> query = {{"fields", "id,name,status,effective_status"},
                                                              {"limit", "100"}};
    if (!after.empty()) query.emplace_back("after", after);
    FARO_ASSIGN_OR_RETURN(const json body, call.Run("GET", WithQuery(call.Url(StrCat(remote, "/campaigns")), query)));
    if (!body.contains("data") || !body["data"].is_array()) return call.Bad("has no \"data\" list");
    for (const json& row : body["data"]) {
      const std::optional<std::string> id = TextOf(row, "id");
      if (!id) return call.Bad("lists a campaign without an id");
      Campaign c;
      c.id = *id;
      c.name = row.value("name", "");
      c.platform = "meta";
      c.raw_status = row.value("status", row.value("configured_status", ""));
      c.status = MetaStatus(c.raw_status);
      out.push_back(std::move(c));
    }
    const json paging = body.value("paging", json::object());
    if (!paging.is_object() || !paging.contains("next")) return out;
    const json cursors = paging.value("cursors", json::object());
    const std::optional<std::string> next = TextOf(cursors, "after");
    if (!next || next->empty() || *next == after) return call.Bad("has a next page without an \"after\" cursor");
    after = *next;
  }
  return call.Bad(StrCat("has more than ", kMaxPages, " pages of campaigns"));
}

absl::StatusOr<Campaign> MetaMarketing::SetStatus(const std::string& id, CampaignStatus status) {
  if (status != CampaignStatus::kActive && status != CampaignStatus::kPaused)
    return AdError(ErrorClass::kPermanent,
                   StrCat(Subject{kPlatform, s_.account, StrCat("act_", s_.ad_account), id, "changing status"}.Text(),
                          ": Faro only pauses and resumes campaigns; \"", StatusName(status), "\" is refused"),
                   "irreversible");
  return SetRawStatus(id, status == CampaignStatus::kActive ? "ACTIVE" : "PAUSED");
}

absl::StatusOr<Campaign> MetaMarketing::SetRawStatus(const std::string& id, const std::string& raw) {
  const std::string doing = raw == "PAUSED" ? "pausing" : raw == "ACTIVE" ? "resuming" : StrCat("setting status ", raw);
  const Call call{s_, Subject{kPlatform, s_.account, StrCat("act_", s_.ad_account), id, doing}};
  if (IsIrreversibleStatus(raw))
    return AdError(ErrorClass::kPermanent,
                   StrCat(call.subject.Text(), ": refused: Faro never archives or deletes campaigns"), "irreversible");
  if (!IsMetaStatus(raw))
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": \"", raw, "\" is not a Meta campaign status"),
                   "bad-status");
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": a Meta campaign id is digits only"), "bad-id");
  FARO_ASSIGN_OR_RETURN(const json body, call.Run("POST", call.Url(id), channels::FormEncode({{"status", raw}})));
  if (!body.value("success", false)) return call.Bad("does not confirm the change (no \"success\": true)");
  return Campaign{id, "", "meta", MetaStatus(raw), raw};
}

absl::StatusOr<Insights> MetaMarketing::ReadInsights(const std::string& id, const DateRange& range) {
  const Call call{s_, Subject{kPlatform, s_.account, StrCat("act_", s_.ad_account), id, "reading insights"}};
  if (absl::Status valid = ValidateDateRange(range); !valid.ok())
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": ", Message(valid)), "bad-range");
  const std::string time_range = json({{"since", range.since}, {"until", range.until}}).dump();
  FARO_ASSIGN_OR_RETURN(const json body,
                        call.Run("GET", WithQuery(call.Url(StrCat(id, "/insights")),
                                                  {{"fields", "spend,impressions,clicks,cpm,ctr,account_currency"},
                                                   {"level", "campaign"},
                                                   {"time_range", time_range}})));
  if (!body.contains("data") || !body["data"].is_array()) return call.Bad("has no \"data\" list");
  const json& rows = body["data"];
  Insights out;
  out.spend.currency = s_.currency;
  out.date_start = range.since;
  out.date_stop = range.until;
  // Metrics are JSON strings; a number here would already have passed through a double.
  const auto field = [&](const json& row, const char* key) -> absl::StatusOr<std::string> {
    if (!row.contains(key)) return call.Bad(StrCat("has no \"", key, "\""));
    if (!row[key].is_string()) return call.Bad(StrCat("gives \"", key, "\" as ", row[key].type_name(), ", not a string"));
    return row[key].get<std::string>();
  };
  const auto decimal = [&](const json& row, const char* key) -> absl::StatusOr<Decimal> {
    FARO_ASSIGN_OR_RETURN(const std::string text, field(row, key));
    absl::StatusOr<Decimal> d = ParseDecimal(text, key);
    if (!d.ok()) return call.Bad(StrCat("is wrong: ", Message(d.status())));
    if (d->micros < 0) return call.Bad(StrCat("is wrong: ", key, " is negative"));
    return d;
  };
  const auto count = [&](const json& row, const char* key) -> absl::StatusOr<int64_t> {
    FARO_ASSIGN_OR_RETURN(const std::string text, field(row, key));
    absl::StatusOr<int64_t> n = ParseCount(text, key);
    if (!n.ok()) return call.Bad(StrCat("is wrong: ", Message(n.status())));
    return n;
  };
  for (const json& row : rows) {
    if (!row.is_object()) return call.Bad("has a row that is not an object");
    FARO_ASSIGN_OR_RETURN(const Decimal spend, decimal(row, "spend"));
    FARO_ASSIGN_OR_RETURN(const int64_t impressions, count(row, "impressions"));
    FARO_ASSIGN_OR_RETURN(const int64_t clicks, count(row, "clicks"));
    out.spend.micros += spend.micros;
    out.impressions += impressions;
    out.clicks += clicks;
    if (row.contains("account_currency") && row["account_currency"].is_string())
      out.spend.currency = row["account_currency"].get<std::string>();
    if (rows.size() == 1) {
      // One row: Meta's own CPM and CTR, as it shows them in Ads Manager.
      if (row.contains("cpm")) {
        FARO_ASSIGN_OR_RETURN(const Decimal cpm, decimal(row, "cpm"));
        out.cpm.micros = cpm.micros;
      } else {
        out.cpm = CostPerMille(out.spend, impressions);
      }
      if (row.contains("ctr")) {
        FARO_ASSIGN_OR_RETURN(out.ctr, decimal(row, "ctr"));
      } else {
        out.ctr = CtrPercent(clicks, impressions);
      }
      if (row.contains("date_start") && row["date_start"].is_string()) out.date_start = row["date_start"];
      if (row.contains("date_stop") && row["date_stop"].is_string()) out.date_stop = row["date_stop"];
    }
  }
  if (rows.size() != 1) {  // no delivery (no rows), or several rows summed: compute the ratios
    out.cpm = CostPerMille(out.spend, out.impressions);
    out.ctr = CtrPercent(out.clicks, out.impressions);
  }
  out.cpm.currency = out.spend.currency;
  return out;
}

absl::StatusOr<Campaign> MetaMarketing::Duplicate(const Campaign& source, const Money& budget_cap) {
  const std::string remote = StrCat("act_", s_.ad_account);
  const Call call{s_, Subject{kPlatform, s_.account, remote, {}, StrCat("copying campaign ", source.id)}};
  if (!s_.currency.empty() && budget_cap.currency != s_.currency)
    return AdError(ErrorClass::kPermanent,
                   StrCat(call.subject.Text(), ": the budget cap ", FormatMoney(budget_cap), " is not in the account's currency ",
                          s_.currency),
                   "currency");
  const int64_t micros_per_minor = MicrosPerMinorUnit(budget_cap.currency);
  if (budget_cap.micros <= 0 || budget_cap.micros % micros_per_minor != 0)
    return AdError(ErrorClass::kPermanent,
                   StrCat(call.subject.Text(), ": the budget cap ", FormatMoney(budget_cap),
                          micros_per_minor == kMicrosPerUnit ? " must be a whole amount" : " must be a whole number of cents"),
                   "bad-cap");
  const std::string form = channels::FormEncode({{"name", CopyName(source)},
                                                 {"objective", s_.objective},
                                                 {"status", "PAUSED"},
                                                 {"special_ad_categories", "[]"},
                                                 {"spend_cap", std::to_string(budget_cap.micros / micros_per_minor)}});
  FARO_ASSIGN_OR_RETURN(const json body, call.Run("POST", call.Url(StrCat(remote, "/campaigns")), form));
  const std::optional<std::string> id = TextOf(body, "id");
  if (!id || id->empty()) return call.Bad("has no \"id\" for the new campaign");
  return Campaign{*id, CopyName(source), "meta", CampaignStatus::kPaused, "PAUSED"};
}

absl::Status ClassifyMetaAnswer(const channels::HttpResponse& response, const nlohmann::json& body,
                                const Subject& subject) {
  return Classify(response, body, subject);
}

}  // namespace faro::ads
