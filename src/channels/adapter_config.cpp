#include "channels/adapter_config.hpp"

#include "core/strings.hpp"

namespace faro::channels {

absl::StatusOr<CommonSettings> ReadCommonSettings(const ChannelConfig& config, const CommonDefaults& defaults) {
  const YamlReader& reader = *config.reader;
  const YAML::Node& node = *config.node;
  const std::string& path = config.path;
  CommonSettings s;
  FARO_ASSIGN_OR_RETURN(s.limits.overall, reader.RateValue(node, "rate", path, defaults.rate));
  if (!defaults.per_recipient_key.empty()) {
    FARO_ASSIGN_OR_RETURN(const Rate per_recipient,
                          reader.RateValue(node, defaults.per_recipient_key, path, defaults.per_recipient));
    s.limits.per_recipient = per_recipient;
  }
  FARO_ASSIGN_OR_RETURN(const int64_t burst, reader.Int(node, "burst", path, defaults.burst, 1, 10000));
  FARO_ASSIGN_OR_RETURN(const int64_t concurrency,
                        reader.Int(node, "concurrency", path, defaults.concurrency, 1, defaults.max_concurrency));
  s.limits.burst = static_cast<int>(burst);
  s.limits.concurrency = static_cast<int>(concurrency);
  FARO_ASSIGN_OR_RETURN(s.timeout, reader.Duration(node, "timeout", path, defaults.timeout));
  if (defaults.max_timeout) {
    if (s.timeout.count() <= 0 || s.timeout > *defaults.max_timeout)
      return reader.Error(node["timeout"], StrCat(path, ".timeout"),
                          StrCat("expected a duration above 0 and at most ", defaults.max_timeout->count(), "m"));
  } else if (s.timeout.count() <= 0) {
    return reader.Error(node["timeout"], StrCat(path, ".timeout"), "must be longer than 0s");
  }
  return s;
}

absl::StatusOr<std::string> ReadBaseUrl(const ChannelConfig& config, std::string_view fallback) {
  const YamlReader& reader = *config.reader;
  const YAML::Node& node = *config.node;
  std::string url;  // declared apart: GCC 12 warns falsely about a string declared in the macro
  FARO_ASSIGN_OR_RETURN(url, reader.String(node, "base_url", config.path, false, std::string(fallback)));
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return reader.Error(node["base_url"], StrCat(config.path, ".base_url"),
                        StrCat("expected an http:// or https:// address, got \"", url, "\""));
  while (url.ends_with('/')) url.pop_back();
  return url;
}

bool IsHttpUrl(std::string_view text) {
  return (text.starts_with("https://") && text.size() > 8) || (text.starts_with("http://") && text.size() > 7);
}

}  // namespace faro::channels
