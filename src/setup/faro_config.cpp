#include "setup/faro_config.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "channels/registry.hpp"
#include "core/strings.hpp"

namespace faro::setup {
namespace {

outbox::ConsentRule DefaultConsent(std::string_view type) {
  // Meta requires an opt-in for business-initiated WhatsApp; TCPA/CTIA for SMS and calls.
  if (type == "whatsapp_cloud" || type == "twilio_sms" || type == "twilio_voice") return outbox::ConsentRule::kOptIn;
  return outbox::ConsentRule::kNotOptedOut;
}

absl::Status ReadBusiness(const YamlReader& r, const YAML::Node& node, Business& b) {
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "business", {"name", "lang", "timezone", "region"}));
  FARO_ASSIGN_OR_RETURN(b.name, r.String(node, "name", "business", false, b.name));
  FARO_ASSIGN_OR_RETURN(const std::string lang, r.String(node, "lang", "business", false, "es"));
  if (lang != "es" && lang != "en") return r.Error(node["lang"], "business.lang", StrCat("expected es or en, got \"", lang, "\""));
  b.lang = lang == "es" ? Lang::kEs : Lang::kEn;
  FARO_ASSIGN_OR_RETURN(b.timezone, r.String(node, "timezone", "business", false, b.timezone));
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(b.timezone, &zone))
    return r.Error(node["timezone"], "business.timezone",
                   StrCat("unknown time zone \"", b.timezone, "\"; expected an IANA name such as America/Argentina/Buenos_Aires"));
  FARO_ASSIGN_OR_RETURN(b.region, r.String(node, "region", "business", false, b.region));
  if (b.region.size() != 2)
    return r.Error(node["region"], "business.region", "expected a two-letter country code such as AR, ES or US");
  return absl::OkStatus();
}

absl::Status ReadChannels(const YamlReader& r, const YAML::Node& list, FaroConfig& config) {
  if (!list.IsSequence()) return r.Error(list, "channels", "expected a list of channels");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = StrCat("channels[", i, "]");
    if (!node.IsMap()) return r.Error(node, path, "expected a mapping with id and type");
    FARO_ASSIGN_OR_RETURN(const std::string id, r.String(node, "id", path, true));
    FARO_ASSIGN_OR_RETURN(const std::string type, r.String(node, "type", path, true));
    FARO_ASSIGN_OR_RETURN(const std::string platform, r.String(node, "platform", path, false));
    if (!ids.insert(id).second) return r.Error(node["id"], StrCat(path, ".id"), StrCat("\"", id, "\" names two channels"));
    ConfiguredChannel configured;
    configured.info.id = id;
    configured.info.type = type;
    configured.info.platform = platform;
    configured.info.consent = DefaultConsent(type);
    FARO_ASSIGN_OR_RETURN(const std::string consent, r.String(node, "consent", path, false));
    if (consent == "opt-in") configured.info.consent = outbox::ConsentRule::kOptIn;
    else if (consent == "not-opted-out") configured.info.consent = outbox::ConsentRule::kNotOptedOut;
    else if (!consent.empty())
      return r.Error(node["consent"], StrCat(path, ".consent"), StrCat("expected opt-in or not-opted-out, got \"", consent, "\""));
    FARO_ASSIGN_OR_RETURN(configured.info.public_address, r.String(node, "public_address", path, false));
    // The adapter validates the rest (every adapter accepts the routing keys read here).
    channels::ChannelConfig cc{id, type, platform, &node, path, &r};
    FARO_ASSIGN_OR_RETURN(configured.channel, channels::CreateChannel(cc));
    configured.info.address_kind = configured.channel->address_kind();
    config.channels.push_back(std::move(configured));
  }
  return absl::OkStatus();
}

absl::Status ReadOutbox(const YamlReader& r, const YAML::Node& node, FaroConfig& c) {
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "outbox", {"retry", "breaker", "quiet_hours"}));
  if (const YAML::Node retry = node["retry"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(retry, "outbox.retry", {"base", "cap", "attempts"}));
    FARO_ASSIGN_OR_RETURN(c.backoff.base, r.Duration(retry, "base", "outbox.retry", c.backoff.base));
    FARO_ASSIGN_OR_RETURN(c.backoff.cap, r.Duration(retry, "cap", "outbox.retry", c.backoff.cap));
    FARO_ASSIGN_OR_RETURN(const int64_t attempts, r.Int(retry, "attempts", "outbox.retry", c.backoff.max_attempts, 1, 100));
    c.backoff.max_attempts = static_cast<int>(attempts);
  }
  if (const YAML::Node breaker = node["breaker"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(breaker, "outbox.breaker", {"failures", "open_for", "max_open_for"}));
    FARO_ASSIGN_OR_RETURN(const int64_t failures, r.Int(breaker, "failures", "outbox.breaker", c.breaker.failures_to_open, 1, 1000));
    c.breaker.failures_to_open = static_cast<int>(failures);
    FARO_ASSIGN_OR_RETURN(c.breaker.open_for, r.Duration(breaker, "open_for", "outbox.breaker", c.breaker.open_for));
    FARO_ASSIGN_OR_RETURN(c.breaker.max_open_for, r.Duration(breaker, "max_open_for", "outbox.breaker", c.breaker.max_open_for));
  }
  FARO_ASSIGN_OR_RETURN(const std::string quiet, r.String(node, "quiet_hours", "outbox", false));
  if (!quiet.empty()) {
    auto parsed = outbox::ParseQuietHours(quiet);
    if (!parsed.ok()) return r.Error(node["quiet_hours"], "outbox.quiet_hours", Message(parsed.status()));
    c.quiet_hours = *parsed;
  }
  return absl::OkStatus();
}

}  // namespace

outbox::RoutingTable FaroConfig::Routing() const {
  std::vector<outbox::ChannelInfo> infos;
  for (const ConfiguredChannel& c : channels) infos.push_back(c.info);
  return outbox::RoutingTable(std::move(infos));
}

const ConfiguredChannel* FaroConfig::FindConfigured(const std::string& id) const {
  for (const ConfiguredChannel& c : channels)
    if (c.info.id == id) return &c;
  return nullptr;
}

std::vector<respond::FailoverRule> FaroConfig::FailoverRules() const {
  std::vector<respond::FailoverRule> out;
  for (const auto& [channel, rule] : failover) {
    const ConfiguredChannel* c = FindConfigured(channel);
    if (c == nullptr || c->info.platform.empty()) continue;
    out.push_back({channel, c->info.platform, rule.automatic, rule.broadcast_template, rule.scopes});
  }
  return out;
}

channels::Channel* FaroConfig::Find(const std::string& id) const {
  for (const ConfiguredChannel& c : channels)
    if (c.info.id == id) return c.channel.get();
  return nullptr;
}

absl::StatusOr<FaroConfig> LoadFaroConfigFromString(const std::string& text, const std::string& name,
                                                    const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat(name, ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
  YamlReader r(name, base_dir);
  FaroConfig c;
  c.file = name;
  if (!root.IsDefined() || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  FARO_RETURN_IF_ERROR(r.OnlyKeys(root, "faro.yaml",
                                  {"business", "storage", "channels", "failover", "outbox", "templates", "server",
                                   "webhooks", "watch", "team", "alerts", "ads", "listen", "plans", "crisis_log",
                                   "pages"}));
  if (const YAML::Node b = root["business"]) FARO_RETURN_IF_ERROR(ReadBusiness(r, b, c.business));
  if (const YAML::Node s = root["storage"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(s, "storage", {"sqlite", "durability", "retention"}));
    if (const YAML::Node ret = s["retention"]) FARO_RETURN_IF_ERROR(ReadRetention(r, ret, c.retention));
    FARO_ASSIGN_OR_RETURN(c.database, r.String(s, "sqlite", "storage", false, c.database));
    FARO_ASSIGN_OR_RETURN(const std::string durability, r.String(s, "durability", "storage", false, "power-loss"));
    if (durability == "process-crash") c.durability = store::Durability::kProcessCrash;
    else if (durability != "power-loss")
      return r.Error(s["durability"], "storage.durability", StrCat("expected power-loss or process-crash, got \"", durability, "\""));
  }
  if (!c.database.empty() && std::filesystem::path(c.database).is_relative() && !base_dir.empty())
    c.database = (std::filesystem::path(base_dir) / c.database).string();
  if (const YAML::Node log = root["crisis_log"]) {
    if (!log.IsScalar() || log.as<std::string>().empty())
      return r.Error(log, "crisis_log", "expected a folder, such as crisis-log");
    c.crisis_log = log.as<std::string>();
    if (std::filesystem::path(c.crisis_log).is_relative() && !base_dir.empty())
      c.crisis_log = (std::filesystem::path(base_dir) / c.crisis_log).string();
  } else {
    c.crisis_log = (std::filesystem::path(c.database).parent_path() / "crisis-log").string();
  }
  if (const YAML::Node list = root["channels"]) FARO_RETURN_IF_ERROR(ReadChannels(r, list, c));
  if (const YAML::Node f = root["failover"]) {
    if (!f.IsMap()) return r.Error(f, "failover", "expected a mapping of channel: { broadcast: TEMPLATE }");
    for (const auto& kv : f) {
      const std::string channel = kv.first.as<std::string>();
      const std::string path = StrCat("failover.", channel);
      if (c.Find(channel) == nullptr) return r.Error(kv.first, path, "no channel with this id");
      FARO_RETURN_IF_ERROR(r.OnlyKeys(kv.second, path, {"broadcast", "automatic", "on"}));
      FailoverRule& rule = c.failover[channel];
      FARO_ASSIGN_OR_RETURN(rule.broadcast_template, r.String(kv.second, "broadcast", path, false));
      FARO_ASSIGN_OR_RETURN(rule.automatic, r.Bool(kv.second, "automatic", path, true));
      if (const YAML::Node on = kv.second["on"]) {
        if (!on.IsSequence() || on.size() == 0)
          return r.Error(on, StrCat(path, ".on"), "expected a list of scopes: [global, regional, unconfirmed]");
        rule.scopes.clear();
        for (const auto& scope : on) {
          const std::string name = scope.as<std::string>();
          if (name != "global" && name != "regional" && name != "unconfirmed")
            return r.Error(scope, StrCat(path, ".on"), StrCat("expected global, regional or unconfirmed, got \"", name, "\""));
          rule.scopes.insert(name);
        }
      }
      if (rule.automatic && c.FindConfigured(channel)->info.platform.empty())
        return r.Error(kv.first, path, StrCat("channel \"", channel, "\" has no platform: key, so Faro cannot tell when to fail it over"));
    }
  }
  if (const YAML::Node o = root["outbox"]) FARO_RETURN_IF_ERROR(ReadOutbox(r, o, c));
  FARO_ASSIGN_OR_RETURN(c.templates_file, r.String(root, "templates", "faro.yaml", false));
  if (!c.templates_file.empty() && std::filesystem::path(c.templates_file).is_relative() && !base_dir.empty())
    c.templates_file = (std::filesystem::path(base_dir) / c.templates_file).string();
  if (const YAML::Node s = root["server"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(s, "server", {"listen", "public_url", "api_tokens_file", "public_status_page"}));
    FARO_ASSIGN_OR_RETURN(c.server.listen, r.String(s, "listen", "server", false, c.server.listen));
    FARO_ASSIGN_OR_RETURN(c.server.public_url, r.String(s, "public_url", "server", false));
    FARO_ASSIGN_OR_RETURN(c.server.api_tokens_file, r.String(s, "api_tokens_file", "server", false));
    if (!c.server.api_tokens_file.empty() && std::filesystem::path(c.server.api_tokens_file).is_relative() && !base_dir.empty())
      c.server.api_tokens_file = (std::filesystem::path(base_dir) / c.server.api_tokens_file).string();
  }
  if (c.server.public_url.empty()) c.server.public_url = StrCat("http://", c.server.listen);
  if (const YAML::Node w = root["webhooks"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(w, "webhooks", {"whatsapp_app_secret_file", "whatsapp_verify_token_file",
                                                    "telegram_secret_token_file", "twilio_auth_token_file",
                                                    "unsubscribe_key_file"}));
    FARO_ASSIGN_OR_RETURN(c.secrets.whatsapp_app_secret, r.SecretFile(w, "whatsapp_app_secret_file", "webhooks", false));
    FARO_ASSIGN_OR_RETURN(c.secrets.whatsapp_verify_token, r.SecretFile(w, "whatsapp_verify_token_file", "webhooks", false));
    FARO_ASSIGN_OR_RETURN(c.secrets.telegram_secret_token, r.SecretFile(w, "telegram_secret_token_file", "webhooks", false));
    FARO_ASSIGN_OR_RETURN(c.secrets.twilio_auth_token, r.SecretFile(w, "twilio_auth_token_file", "webhooks", false));
    FARO_ASSIGN_OR_RETURN(c.secrets.unsubscribe_key, r.SecretFile(w, "unsubscribe_key_file", "webhooks", false));
  }
  if (const YAML::Node l = root["listen"]) {
    FARO_RETURN_IF_ERROR(r.OnlyKeys(l, "listen", {"rules", "meta_app_secret_file", "meta_verify_token_file", "sources"}));
    if (const YAML::Node src = l["sources"]) FARO_RETURN_IF_ERROR(ReadListenSources(r, src, c.listen.sources));
    FARO_ASSIGN_OR_RETURN(c.listen.meta_app_secret, r.SecretFile(l, "meta_app_secret_file", "listen", false));
    FARO_ASSIGN_OR_RETURN(c.listen.meta_verify_token, r.SecretFile(l, "meta_verify_token_file", "listen", false));
    c.listen.enabled = true;
    FARO_ASSIGN_OR_RETURN(c.listen.rules_file, r.String(l, "rules", "listen", true));
    if (std::filesystem::path(c.listen.rules_file).is_relative() && !base_dir.empty())
      c.listen.rules_file = (std::filesystem::path(base_dir) / c.listen.rules_file).string();
  }
  if (const YAML::Node w = root["watch"]) {
    FARO_RETURN_IF_ERROR(ReadWatch(r, w, c.watch));
    auto relative = [&](std::string& file) {
      if (!file.empty() && std::filesystem::path(file).is_relative() && !base_dir.empty())
        file = (std::filesystem::path(base_dir) / file).string();
    };
    relative(c.watch.catalog_file);
    relative(c.watch.ca_file);
  }
  if (const YAML::Node t = root["team"]) {
    std::map<std::string, channels::AddressKind> kinds;
    for (const ConfiguredChannel& ch : c.channels) kinds[ch.info.id] = ch.info.address_kind;
    FARO_RETURN_IF_ERROR(ReadTeam(r, t, kinds, c.business.region, c.team));
  }
  if (const YAML::Node a = root["alerts"]) FARO_RETURN_IF_ERROR(ReadAlerts(r, a, c.alerts));
  if (const YAML::Node p = root["pages"]) FARO_RETURN_IF_ERROR(ReadPages(r, p, c.pages));
  // Plans are checked against the channels and ad accounts, so they come last.
  if (const YAML::Node a = root["ads"]) FARO_RETURN_IF_ERROR(ReadAds(r, a, c.ads));
  if (const YAML::Node p = root["plans"]) {
    PlanContext context;
    for (const ConfiguredChannel& ch : c.channels) context.channels[ch.info.id] = ch.info.address_kind;
    context.ads = &c.ads;
    context.region = c.business.region;
    FARO_RETURN_IF_ERROR(ReadPlans(r, p, base_dir, context, c.plans));
  }
  return c;
}

absl::StatusOr<FaroConfig> LoadFaroConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read the configuration ", path));
  std::ostringstream text;
  text << in.rdbuf();
  const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  return LoadFaroConfigFromString(text.str(), path, base.string());
}

}  // namespace faro::setup
