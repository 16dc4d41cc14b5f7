#include "ads/http_call.hpp"

#include <curl/curl.h>

#include "core/strings.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

bool IsStatusKey(std::string_view key) {
  return key == "status" || key == "configured_status" || key == "operation_status" || key == "opt_status";
}

std::string Unescape(std::string_view text) {
  std::string plus(text);
  for (char& c : plus)
    if (c == '+') c = ' ';
  int length = 0;
  char* decoded = curl_easy_unescape(nullptr, plus.data(), static_cast<int>(plus.size()), &length);
  if (decoded == nullptr) return plus;
  std::string out(decoded, static_cast<size_t>(length));
  curl_free(decoded);
  return out;
}

// The first irreversible status in "a=1&status=DELETED", as "status=DELETED".
std::optional<std::string> IrreversibleInForm(std::string_view form) {
  for (std::string_view pair : Split(form, "&", true)) {
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = Unescape(pair.substr(0, eq));
    const std::string value = Unescape(pair.substr(eq + 1));
    if (IsStatusKey(key) && IsIrreversibleStatus(value)) return StrCat(key, "=", value);
  }
  return std::nullopt;
}

std::optional<std::string> IrreversibleInJson(const json& value) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key == "remove") return std::string("a remove operation");
      if (IsStatusKey(key) && member.is_string() && IsIrreversibleStatus(member.get<std::string>()))
        return StrCat(key, "=", member.get<std::string>());
      if (IsStatusKey(key) && member.is_array())
        for (const json& item : member)
          if (item.is_string() && IsIrreversibleStatus(item.get<std::string>()))
            return StrCat(key, "=", item.get<std::string>());
      if (auto found = IrreversibleInJson(member)) return found;
    }
  } else if (value.is_array()) {
    for (const json& item : value)
      if (auto found = IrreversibleInJson(item)) return found;
  }
  return std::nullopt;
}

}  // namespace

bool IsIrreversibleStatus(std::string_view raw) {
  const std::string upper = [&] {
    std::string s(Trim(raw));
    for (char& c : s)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
  }();
  return upper == "DELETED" || upper == "ARCHIVED" || upper == "REMOVED" || upper == "DELETE" ||
         upper == "CAMPAIGN_STATUS_DELETE";
}

absl::Status CheckReversible(const channels::HttpRequest& request) {
  const auto refuse = [](std::string_view what) {
    return AdError(ErrorClass::kPermanent,
                   StrCat("refused to send ", what,
                          ": Faro never archives or deletes campaigns (it only pauses and resumes them)"),
                   "irreversible");
  };
  if (ToLower(request.method) == "delete") return refuse("an HTTP DELETE");
  const size_t q = request.url.find('?');
  if (q != std::string::npos)
    if (auto found = IrreversibleInForm(std::string_view(request.url).substr(q + 1))) return refuse(*found);
  if (request.body.empty()) return absl::OkStatus();
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_discarded()) {
    if (auto found = IrreversibleInJson(body)) return refuse(*found);
  } else if (auto found = IrreversibleInForm(request.body)) {
    return refuse(*found);
  }
  return absl::OkStatus();
}

std::string Subject::Text() const {
  std::string out = StrCat(platform, " account ", account);
  if (!remote.empty()) StrAppend(out, " (", remote, ")");
  if (!campaign.empty()) StrAppend(out, ", campaign ", campaign);
  if (!doing.empty()) StrAppend(out, ": ", doing);
  return out;
}

absl::StatusOr<channels::HttpResponse> Perform(const channels::HttpRequest& request, const Subject& subject) {
  if (absl::Status refused = CheckReversible(request); !refused.ok())
    return AdError(ErrorClass::kPermanent, StrCat(subject.Text(), ": ", Message(refused)), "irreversible");
  absl::StatusOr<channels::HttpResponse> response = channels::PerformHttp(request);
  if (!response.ok())
    return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": no answer: ", Message(response.status())),
                   "transport");
  return response;
}

absl::StatusOr<json> JsonBody(const channels::HttpResponse& response, const Subject& subject) {
  json body = json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return AdError(response.status >= 400 && response.status < 500 && response.status != 429 &&
                           response.status != 408
                       ? (response.status == 401 || response.status == 403 ? ErrorClass::kAuth : ErrorClass::kPermanent)
                       : ErrorClass::kTransient,
                   StrCat(subject.Text(), ": the answer (HTTP ", response.status, ") is not a JSON object"),
                   std::to_string(response.status));
  return body;
}

std::optional<std::string> TextOf(const json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(std::string(key));
  if (it == object.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  return std::nullopt;
}

std::string WaitText(std::chrono::milliseconds wait) {
  const int64_t seconds = (wait.count() + 999) / 1000;
  if (seconds < 60) return StrCat(seconds, " s");
  const int64_t minutes = (seconds + 59) / 60;
  if (minutes < 60) return StrCat(minutes, " min");
  return minutes % 60 == 0 ? StrCat(minutes / 60, " h") : StrCat(minutes / 60, " h ", minutes % 60, " min");
}

std::string WithQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (fields.empty()) return url;
  StrAppend(url, url.find('?') == std::string::npos ? "?" : "&", channels::FormEncode(fields));
  return url;
}

}  // namespace faro::ads
