#include "ads/tiktok/tiktok_ads.hpp"

#include <nlohmann/json.hpp>

#include "ads/copy_name.hpp"
#include "ads/http_call.hpp"
#include "core/strings.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kPlatform[] = "TikTok Ads";
constexpr char kApi[] = "/open_api/v1.3/";
constexpr int kMaxPages = 100;
constexpr int kPageSize = 1000;
const milliseconds kDefaultWait = std::chrono::seconds(60);

bool AllDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

struct Failure {
  ErrorClass kind = ErrorClass::kPermanent;
  std::string code;
  std::string said;
  milliseconds wait{0};

  absl::Status For(const Subject& subject) const {
    std::string message = StrCat(subject.Text(), ": TikTok said ", said);
    if (kind == ErrorClass::kRateLimited) StrAppend(message, "; retry in ", WaitText(wait));
    if (kind == ErrorClass::kAuth) StrAppend(message, " (check the access token and the advertiser's permissions)");
    return AdError(kind, std::move(message), code, wait);
  }
};

// The envelope's failure; nullopt when code is 0 (and the HTTP status is a success).
std::optional<Failure> Classify(const channels::HttpResponse& response, const json& body) {
  const bool has_code = body.is_object() && body.contains("code") && body["code"].is_number_integer();
  const int64_t code = has_code ? body["code"].get<int64_t>() : -1;
  const bool ok_status = response.status >= 200 && response.status < 300;
  if (ok_status && code == 0) return std::nullopt;
  Failure f;
  if (!has_code) {
    f.code = std::to_string(response.status);
    f.said = ok_status ? "an answer without an envelope code" : StrCat("HTTP ", response.status);
    if (response.status == 429) f.kind = ErrorClass::kRateLimited;
    else if (response.status == 401 || response.status == 403) f.kind = ErrorClass::kAuth;
    else if (ok_status || response.status >= 500 || response.status == 408) f.kind = ErrorClass::kTransient;
  } else {
    f.code = std::to_string(code);
    f.said = StrCat("code ", code);
    if (body.contains("message") && body["message"].is_string()) StrAppend(f.said, ": ", body["message"].get<std::string>());
    if (code == 40100 || response.status == 429) f.kind = ErrorClass::kRateLimited;
    else if (code == 40001 || (code > 40100 && code < 40200) || response.status == 401 || response.status == 403)
      f.kind = ErrorClass::kAuth;
    else if (code >= 50000 || response.status >= 500) f.kind = ErrorClass::kTransient;
  }
  if (f.kind == ErrorClass::kRateLimited) f.wait = channels::RetryAfter(response, kDefaultWait);
  return f;
}

struct Call {
  const TikTokSettings& s;
  Subject subject;

  std::string Url(std::string_view method) const { return StrCat(s.base_url, kApi, method); }

  absl::StatusOr<json> Run(std::string method, std::string url, std::string body, Failure* failure = nullptr) const {
    channels::HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = {StrCat("Access-Token: ", s.token)};
    if (!body.empty()) request.headers.push_back("Content-Type: application/json");
    request.body = std::move(body);
    request.timeout = s.timeout;
    FARO_ASSIGN_OR_RETURN(const channels::HttpResponse response, Perform(request, subject));
    const json answer = json::parse(response.body, nullptr, false);
    if (std::optional<Failure> f = Classify(response, answer)) {
      if (failure != nullptr) *failure = *f;
      return f->For(subject);
    }
    return answer.value("data", json::object());
  }

  absl::StatusOr<json> Get(std::string_view method, const std::vector<std::pair<std::string, std::string>>& query) const {
    return Run("GET", WithQuery(Url(method), query), "");
  }
  absl::StatusOr<json> Post(std::string_view method, const std::string& body, Failure* failure = nullptr) const {
    return Run("POST", Url(method), body, failure);
  }

  absl::Status Bad(std::string_view what) const {
    return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": TikTok's answer ", what), "bad-answer");
  }
};

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

CampaignStatus TikTokStatus(std::string_view operation_status, std::string_view secondary_status) {
  if (secondary_status == "CAMPAIGN_STATUS_DELETE") return CampaignStatus::kRemoved;
  if (operation_status == "ENABLE") return CampaignStatus::kActive;
  if (operation_status == "DISABLE") return CampaignStatus::kPaused;
  return CampaignStatus::kOther;
}

TikTokAds::TikTokAds(TikTokSettings settings) : s_(std::move(settings)) {}

absl::StatusOr<std::vector<Campaign>> TikTokAds::ListCampaigns() {
  const Call call{s_, Subject{kPlatform, s_.account, StrCat("advertiser ", s_.advertiser_id), {}, "listing campaigns"}};
  std::vector<Campaign> out;
  for (int page = 1; page <= kMaxPages; ++page) {
    FARO_ASSIGN_OR_RETURN(
        const json data,
        call.Get("campaign/get/",
                 {{"advertiser_id", s_.advertiser_id},
                  {"page", std::to_string(page)},
                  {"page_size", std::to_string(kPageSize)},
                  {"fields", R"(["campaign_id","campaign_name","operation_status","secondary_status"])"}}));
    if (!data.is_object() || !data.contains("list") || !data["list"].is_array()) return call.Bad("has no \"list\"");
    for (const json& row : data["list"]) {
      const std::optional<std::string> id = TextOf(row, "campaign_id");
      if (!id) return call.Bad("lists a campaign without a campaign_id");
      Campaign c;
      c.id = *id;
      c.name = row.value("campaign_name", "");
      c.platform = "tiktok";
      const std::string operation = row.value("operation_status", "");
      const std::string secondary = row.value("secondary_status", "");
      c.status = TikTokStatus(operation, secondary);
      c.raw_status = c.status == CampaignStatus::kRemoved ? secondary : operation;
      out.push_back(std::move(c));
    }
    const json info = data.value("page_info", json::object());
    const int64_t total_pages = info.is_object() && info.contains("total_page") && info["total_page"].is_number_integer()
                                    ? info["total_page"].get<int64_t>()
                                    : 1;
    if (page >= total_pages) return out;
  }
  return call.Bad(StrCat("has more than ", kMaxPages, " pages of campaigns"));
}

absl::StatusOr<Campaign> TikTokAds::SetStatus(const std::string& id, CampaignStatus status) {
  std::vector<StatusChange> changes = SetStatuses({id}, status);
  if (!changes.front().result.ok()) return changes.front().result;
  return std::move(changes.front().campaign);
}

std::vector<StatusChange> TikTokAds::SetStatuses(const std::vector<std::string>& ids, CampaignStatus status) {
  if (status != CampaignStatus::kActive && status != CampaignStatus::kPaused) {
    std::vector<StatusChange> out;
    for (const std::string& id : ids)
      out.push_back({id,
                     AdError(ErrorClass::kPermanent,
                             StrCat(Subject{kPlatform, s_.account, StrCat("advertiser ", s_.advertiser_id), id,
                                            "changing status"}
                                        .Text(),
                                    ": Faro only pauses and resumes campaigns; \"", StatusName(status), "\" is refused"),
                             "irreversible"),
                     {}});
    return out;
  }
  return SetRawStatuses(ids, status == CampaignStatus::kActive ? "ENABLE" : "DISABLE");
}

std::vector<StatusChange> TikTokAds::SetRawStatuses(const std::vector<std::string>& ids, const std::string& raw) {
  const std::string remote = StrCat("advertiser ", s_.advertiser_id);
  const std::string doing = raw == "DISABLE" ? "pausing" : raw == "ENABLE" ? "resuming" : StrCat("setting status ", raw);
  std::vector<StatusChange> out(ids.size());
  std::vector<size_t> to_send;
  for (size_t i = 0; i < ids.size(); ++i) {
    out[i].id = ids[i];
    const Subject subject{kPlatform, s_.account, remote, ids[i], doing};
    if (IsIrreversibleStatus(raw))
      out[i].result = AdError(ErrorClass::kPermanent, StrCat(subject.Text(), ": refused: Faro never deletes campaigns"),
                              "irreversible");
    else if (raw != "ENABLE" && raw != "DISABLE")
      out[i].result = AdError(ErrorClass::kPermanent,
                              StrCat(subject.Text(), ": \"", raw, "\" is not a status Faro sets (ENABLE or DISABLE)"),
                              "bad-status");
    else if (!AllDigits(ids[i]))
      out[i].result = AdError(ErrorClass::kPermanent, StrCat(subject.Text(), ": a TikTok campaign id is digits only"),
                              "bad-id");
    else
      to_send.push_back(i);
  }
  // Sends the ids at `indexes` in one call and records each one's result.
  const auto send = [&](const std::vector<size_t>& indexes) -> Failure {
    json list = json::array();
    for (size_t i : indexes) list.push_back(ids[i]);
    const std::string label = indexes.size() > 1 ? StrCat(indexes.size(), " campaigns") : ids[indexes.front()];
    const Call call{s_, Subject{kPlatform, s_.account, remote, label, doing}};
    Failure failure;
    const absl::StatusOr<json> data = call.Post(
        "campaign/status/update/",
        Dump({{"advertiser_id", s_.advertiser_id}, {"campaign_ids", list}, {"operation_status", raw}}), &failure);
    json confirmed = json::array();
    if (data.ok() && data->is_object() && data->contains("campaign_ids") && (*data)["campaign_ids"].is_array())
      confirmed = (*data)["campaign_ids"];
    for (size_t i : indexes) {
      const Subject one{kPlatform, s_.account, remote, ids[i], doing};
      if (!data.ok()) {
        out[i].result = failure.said.empty() ? data.status() : failure.For(one);
        continue;
      }
      bool done = false;
      for (const json& c : confirmed)
        if ((c.is_string() && c.get<std::string>() == ids[i]) ||
            (c.is_number_integer() && std::to_string(c.get<int64_t>()) == ids[i]))
          done = true;
      if (done) {
        out[i].result = absl::OkStatus();
        out[i].campaign = Campaign{ids[i], "", "tiktok", TikTokStatus(raw, ""), raw};
      } else {
        out[i].result = AdError(ErrorClass::kTransient,
                                StrCat(one.Text(), ": TikTok's answer does not list this campaign as changed"), "bad-answer");
      }
    }
    return data.ok() ? Failure{ErrorClass::kTransient, "", "", {}} : failure;
  };
  for (size_t start = 0; start < to_send.size(); start += kMaxIdsPerCall) {
    const std::vector<size_t> batch(to_send.begin() + start,
                                    to_send.begin() + std::min(to_send.size(), start + kMaxIdsPerCall));
    const Failure failure = send(batch);
    // TikTok refuses a whole call when one id cannot change (deleted, unknown): find which one
    // by sending the others alone, so one bad campaign does not leave nineteen running.
    if (!failure.said.empty() && failure.kind == ErrorClass::kPermanent && batch.size() > 1)
      for (size_t i : batch) send({i});
  }
  return out;
}

absl::StatusOr<Insights> TikTokAds::ReadInsights(const std::string& id, const DateRange& range) {
  const Call call{s_, Subject{kPlatform, s_.account, StrCat("advertiser ", s_.advertiser_id), id, "reading insights"}};
  if (!AllDigits(id))
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": a TikTok campaign id is digits only"), "bad-id");
  if (absl::Status valid = ValidateDateRange(range); !valid.ok())
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": ", Message(valid)), "bad-range");
  const json filtering = json::array(
      {{{"field_name", "campaign_ids"}, {"filter_type", "IN"}, {"filter_value", Dump(json::array({id}))}}});
  FARO_ASSIGN_OR_RETURN(const json data,
                        call.Get("report/integrated/get/",
                                 {{"advertiser_id", s_.advertiser_id},
                                  {"report_type", "BASIC"},
                                  {"data_level", "AUCTION_CAMPAIGN"},
                                  {"dimensions", R"(["campaign_id"])"},
                                  {"metrics", R"(["spend","impressions","clicks","cpm","ctr","currency"])"},
                                  {"start_date", range.since},
                                  {"end_date", range.until},
                                  {"filtering", Dump(filtering)},
                                  {"page", "1"},
                                  {"page_size", "10"}}));
  if (!data.is_object() || !data.contains("list") || !data["list"].is_array()) return call.Bad("has no \"list\"");
  Insights out;
  out.spend.currency = s_.currency;
  out.date_start = range.since;
  out.date_stop = range.until;
  const auto text = [&](const json& metrics, const char* key) -> absl::StatusOr<std::string> {
    if (!metrics.contains(key)) return call.Bad(StrCat("has no \"", key, "\""));
    if (!metrics[key].is_string()) return call.Bad(StrCat("gives \"", key, "\" as ", metrics[key].type_name(), ", not a string"));
    return metrics[key].get<std::string>();
  };
  for (const json& row : data["list"]) {
    const json dims = row.value("dimensions", json::object());
    if (TextOf(dims, "campaign_id").value_or("") != id) continue;  // only this campaign's row counts
    const json metrics = row.value("metrics", json::object());
    if (!metrics.is_object()) return call.Bad("has a row without metrics");
    FARO_ASSIGN_OR_RETURN(const std::string spend_text, text(metrics, "spend"));
    FARO_ASSIGN_OR_RETURN(const std::string impressions_text, text(metrics, "impressions"));
    FARO_ASSIGN_OR_RETURN(const std::string clicks_text, text(metrics, "clicks"));
    const absl::StatusOr<Decimal> spend = ParseDecimal(spend_text, "spend");
    if (!spend.ok()) return call.Bad(StrCat("is wrong: ", Message(spend.status())));
    if (spend->micros < 0) return call.Bad("is wrong: spend is negative");
    const absl::StatusOr<int64_t> impressions = ParseCount(impressions_text, "impressions");
    if (!impressions.ok()) return call.Bad(StrCat("is wrong: ", Message(impressions.status())));
    const absl::StatusOr<int64_t> clicks = ParseCount(clicks_text, "clicks");
    if (!clicks.ok()) return call.Bad(StrCat("is wrong: ", Message(clicks.status())));
    out.spend.micros += spend->micros;
    out.impressions += *impressions;
    out.clicks += *clicks;
    if (metrics.contains("currency") && metrics["currency"].is_string() && !metrics["currency"].get<std::string>().empty())
      out.spend.currency = metrics["currency"].get<std::string>();
  }
  // CPM and CTR from the totals, exactly (TikTok's own are rounded to two places).
  out.cpm = CostPerMille(out.spend, out.impressions);
  out.ctr = CtrPercent(out.clicks, out.impressions);
  return out;
}

absl::StatusOr<Campaign> TikTokAds::Duplicate(const Campaign& source, const Money& budget_cap) {
  const std::string remote = StrCat("advertiser ", s_.advertiser_id);
  const Call call{s_, Subject{kPlatform, s_.account, remote, {}, StrCat("copying campaign ", source.id)}};
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
  // The budget is a JSON number; it is written from the exact decimal, never through a double.
  constexpr char kBudgetMark[] = "\"@budget@\"";
  std::string body = Dump({{"advertiser_id", s_.advertiser_id},
                           {"campaign_name", CopyName(source)},
                           {"objective_type", s_.objective},
                           {"budget_mode", "BUDGET_MODE_TOTAL"},
                           {"budget", "@budget@"},
                           {"operation_status", "DISABLE"}});
  body.replace(body.find(kBudgetMark), sizeof kBudgetMark - 1, FormatDecimal(Decimal{budget_cap.micros}, 2));
  FARO_ASSIGN_OR_RETURN(const json data, call.Post("campaign/create/", body));
  const std::optional<std::string> id = TextOf(data, "campaign_id");
  if (!id || !AllDigits(*id)) return call.Bad("has no campaign_id for the new campaign");
  // Make sure the copy is paused whatever TikTok did with operation_status.
  std::vector<StatusChange> paused = SetRawStatuses({*id}, "DISABLE");
  if (!paused.front().result.ok())
    return AdError(ClassOf(paused.front().result),
                   StrCat(call.subject.Text(), ": created campaign ", *id,
                          " but could not make sure it is paused — check it in TikTok Ads Manager: ",
                          Message(paused.front().result)),
                   ErrorCode(paused.front().result), RetryWait(paused.front().result));
  return Campaign{*id, CopyName(source), "tiktok", CampaignStatus::kPaused, "DISABLE"};
}

}  // namespace faro::ads
