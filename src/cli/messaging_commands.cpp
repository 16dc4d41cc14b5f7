// Messaging commands (docs/cli.md): contacts, send, broadcast, outbox, channels, inbox,
// template. Thin: parse, call the libraries through setup::App, print.
#include <csignal>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "cli/commands.hpp"
#include "cli/config_flag.hpp"
#include "contacts/csv_import.hpp"
#include "core/strings.hpp"
#include "outbox/broadcast.hpp"

namespace faro::cli {
namespace {

using nlohmann::json;

int Fail(const std::string& command, const std::string& message, int code = kUsageError) {
  std::cerr << "faro " << command << ": " << message << "\n";
  return code;
}

std::string Rfc3339(TimePoint t) { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(t), absl::UTCTimeZone()); }

std::string RandomKey() {
  std::random_device rd;
  std::ostringstream out;
  out << std::hex << std::setfill('0') << std::setw(8) << rd() << std::setw(8) << rd() << std::setw(8) << rd();
  return out.str();
}

// "--var name=Ana" pairs.
absl::StatusOr<std::map<std::string, std::string>> ParseVars(const std::vector<std::string>& pairs) {
  std::map<std::string, std::string> vars;
  for (const std::string& p : pairs) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return absl::InvalidArgumentError(StrCat("--var \"", p, "\": expected NAME=VALUE"));
    vars[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return vars;
}

// A contact by id, phone (+E.164) or email.
absl::StatusOr<int64_t> FindContact(setup::App& app, const std::string& who) {
  if (!who.empty() && std::all_of(who.begin(), who.end(), ::isdigit)) {
    const int64_t id = std::stoll(who);
    if (app.contacts().Get(id).ok()) return id;
    return absl::NotFoundError(StrCat("no contact with id ", who));
  }
  const auto kind = who.find('@') != std::string::npos ? channels::AddressKind::kEmail : channels::AddressKind::kPhone;
  FARO_ASSIGN_OR_RETURN(std::optional<int64_t> id, app.contacts().FindByAddress(kind, who));
  if (!id) return absl::NotFoundError(StrCat("no contact with ", AddressKindName(kind), " ", who));
  return *id;
}

std::string ProgressLine(const outbox::BroadcastProgress& p) {
  std::string line = StrCat("broadcast ", p.id, " (", p.failed_channel, ", ", p.template_id, "): ", p.sent, " sent, ",
                            p.pending, " pending, ", p.failed, " failed, ", p.skipped_no_consent,
                            " skipped (no consent), ", p.skipped_no_address, " skipped (no other channel)");
  if (!p.by_channel.empty()) {
    std::vector<std::string> parts;
    for (const auto& [ch, n] : p.by_channel) parts.push_back(StrCat(ch, " ", n));
    StrAppend(line, " — via ", Join(parts, ", "));
  }
  return line;
}

json ProgressJson(const outbox::BroadcastProgress& p) {
  return {{"id", p.id},           {"key", p.key},         {"channel", p.failed_channel},
          {"template", p.template_id}, {"created_at", Rfc3339(p.created)}, {"total", p.total},
          {"sent", p.sent},       {"pending", p.pending}, {"failed", p.failed},
          {"skipped_no_consent", p.skipped_no_consent}, {"skipped_no_address", p.skipped_no_address},
          {"by_channel", p.by_channel}};
}

volatile std::sig_atomic_t g_stop = 0;
void OnStop(int) { g_stop = 1; }

}  // namespace

std::vector<std::pair<CLI::App*, Runner>> AddMessagingCommands(CLI::App& app) {
  std::vector<std::pair<CLI::App*, Runner>> out;
  auto config = std::make_shared<std::string>();

  // faro contacts import FILE | list
  CLI::App* contacts = app.add_subcommand("contacts", "Your customers: import from CSV, list");
  contacts->require_subcommand(1);
  auto import_file = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  CLI::App* import = contacts->add_subcommand("import", "Import contacts from a CSV file (all or nothing)");
  import->add_option("FILE", *import_file, "CSV file (docs/contacts.md); - for standard input")->required();
  import->add_flag("--dry-run", *dry_run, "check and count, write nothing");
  AddConfigOption(*import, *config);
  out.emplace_back(import, [=]() -> int {
    auto a = OpenApp("contacts import", *config);
    if (!a) return kUsageError;
    std::string bytes;
    if (*import_file == "-") {
      std::ostringstream s;
      s << std::cin.rdbuf();
      bytes = s.str();
    } else {
      std::ifstream in(*import_file, std::ios::binary);
      if (!in) return Fail("contacts import", StrCat("cannot read ", *import_file));
      std::ostringstream s;
      s << in.rdbuf();
      bytes = s.str();
    }
    contacts::ImportOptions options;
    options.file_name = *import_file == "-" ? "stdin" : std::filesystem::path(*import_file).filename().string();
    options.default_region = a->config().business.region;
    options.default_lang = a->config().business.lang;
    for (const auto& c : a->config().channels) options.known_channels.push_back(c.info.id);
    options.now = a->clock().Now();
    options.dry_run = *dry_run;
    options.report_lang = LangFromEnvironment();
    auto report = contacts::ImportCsv(a->contacts(), bytes, options);
    if (!report.ok()) return Fail("contacts import", Message(report.status()), 1);
    std::cout << contacts::FormatImportReport(*report, options.file_name, options.report_lang);
    return report->ok() ? 0 : kUsageError;
  });
  auto search = std::make_shared<std::string>();
  auto limit = std::make_shared<int>(50);
  auto as_json = std::make_shared<bool>(false);
  CLI::App* list = contacts->add_subcommand("list", "List contacts");
  list->add_option("--search", *search, "a piece of the name, phone, email or handle");
  list->add_option("--limit", *limit, "at most this many (default 50)");
  list->add_flag("--json", *as_json, "JSON Lines, one contact per line");
  AddConfigOption(*list, *config);
  out.emplace_back(list, [=]() -> int {
    auto a = OpenApp("contacts list", *config);
    if (!a) return kUsageError;
    contacts::ListQuery q;
    q.text = *search;
    q.limit = *limit;
    auto page = a->contacts().List(q);
    if (!page.ok()) return Fail("contacts list", Message(page.status()), 1);
    for (const contacts::Contact& c : *page) {
      if (*as_json) {
        json consent = json::object();
        for (const auto& [ch, k] : c.consent)
          consent[ch] = k.state == contacts::ConsentState::kOptedIn ? "opt-in" : k.state == contacts::ConsentState::kOptedOut ? "opt-out" : "unknown";
        std::cout << json{{"id", c.id}, {"name", c.name}, {"lang", LangCode(c.lang)}, {"phone", c.phone},
                          {"email", c.email}, {"telegram", c.telegram}, {"channels", c.channel_order},
                          {"consent", consent}}.dump()
                  << "\n";
      } else {
        std::cout << std::setw(6) << c.id << "  " << std::left << std::setw(24) << c.name << std::setw(17) << c.phone
                  << std::setw(28) << c.email << std::right << c.telegram << "\n";
      }
    }
    return 0;
  });

  // faro send
  struct SendFlags {
    std::string to, template_id, text, subject, channel, key;
    std::vector<std::string> vars;
  };
  auto sf = std::make_shared<SendFlags>();
  CLI::App* send = app.add_subcommand("send", "Send a message to a contact through their best working channel");
  send->add_option("--to", sf->to, "contact id, phone (+E.164) or email")->required();
  send->add_option("--template", sf->template_id, "a template (faro template list)");
  send->add_option("--var", sf->vars, "template variable NAME=VALUE (repeatable)")->allow_extra_args(false);
  send->add_option("--text", sf->text, "the text, when not using a template");
  send->add_option("--subject", sf->subject, "email subject for --text");
  send->add_option("--channel", sf->channel, "only this channel (no failover)");
  send->add_option("--key", sf->key, "idempotency key: sending the same key again sends nothing new");
  AddConfigOption(*send, *config);
  out.emplace_back(send, [=]() -> int {
    if (sf->template_id.empty() == sf->text.empty()) return Fail("send", "give exactly one of --template or --text");
    auto a = OpenApp("send", *config);
    if (!a) return kUsageError;
    auto contact = FindContact(*a, sf->to);
    if (!contact.ok()) return Fail("send", Message(contact.status()));
    auto vars = ParseVars(sf->vars);
    if (!vars.ok()) return Fail("send", Message(vars.status()));
    if (!sf->template_id.empty() && a->templates().Find(sf->template_id) == nullptr)
      return Fail("send", StrCat("no template \"", sf->template_id, "\"; known: ", Join(a->templates().Names(), ", ")));
    outbox::NewMessage m;
    m.idempotency_key = sf->key.empty() ? StrCat("send:", RandomKey()) : sf->key;
    m.contact_id = *contact;
    m.template_id = sf->template_id;
    m.text = sf->text;
    m.subject = sf->subject;
    m.vars = *vars;
    m.channel = sf->channel;
    auto accepted = a->outbox().Enqueue({m});
    if (!accepted.ok()) return Fail("send", Message(accepted.status()), 1);
    const outbox::Accepted& r = (*accepted)[0];
    if (r.state == outbox::State::kSkipped) return Fail("send", StrCat("not accepted: ", r.reason), 1);
    std::cout << "message " << r.id << (r.duplicate ? " (already accepted)" : "") << ": "
              << outbox::StateName(r.state);
    if (!r.channel.empty()) std::cout << " on " << r.channel;
    if (!r.reason.empty()) std::cout << " (" << r.reason << ")";
    std::cout << "\n";
    return 0;
  });

  // faro broadcast --channel C | faro broadcast status [ID]
  struct BroadcastFlags {
    std::string channel, template_id, key;
    bool json = false;
    int64_t id = 0;
  };
  auto bf = std::make_shared<BroadcastFlags>();
  CLI::App* broadcast = app.add_subcommand("broadcast", "Tell a failed channel's contacts where to reach you");
  broadcast->add_option("--channel", bf->channel, "the failed channel (e.g. whatsapp)");
  broadcast->add_option("--template", bf->template_id, "default: failover.<channel>.broadcast, else reachable-elsewhere");
  broadcast->add_option("--key", bf->key, "idempotency key (default: the channel and today's date)");
  broadcast->add_flag("--json", bf->json, "print progress as JSON");
  AddConfigOption(*broadcast, *config);
  CLI::App* bstatus = broadcast->add_subcommand("status", "Progress of broadcasts");
  bstatus->add_option("ID", bf->id, "one broadcast (default: the latest ones)");
  bstatus->add_flag("--json", bf->json, "JSON");
  AddConfigOption(*bstatus, *config);
  out.emplace_back(bstatus, [=]() -> int {
    auto a = OpenApp("broadcast status", *config);
    if (!a) return kUsageError;
    std::vector<outbox::BroadcastProgress> all;
    if (bf->id != 0) {
      auto p = outbox::Progress(a->outbox(), bf->id);
      if (!p.ok()) return Fail("broadcast status", Message(p.status()));
      all.push_back(*p);
    } else {
      auto l = outbox::ListBroadcasts(a->outbox());
      if (!l.ok()) return Fail("broadcast status", Message(l.status()), 1);
      all = *l;
    }
    for (const auto& p : all) std::cout << (bf->json ? ProgressJson(p).dump() : ProgressLine(p)) << "\n";
    return 0;
  });
  out.emplace_back(broadcast, [=]() -> int {
    if (bf->channel.empty()) return Fail("broadcast", "--channel is required (the channel that failed)");
    auto a = OpenApp("broadcast", *config);
    if (!a) return kUsageError;
    outbox::BroadcastRequest request;
    request.failed_channel = bf->channel;
    request.template_id = bf->template_id;
    if (request.template_id.empty()) {
      const auto it = a->config().failover.find(bf->channel);
      request.template_id = it != a->config().failover.end() && !it->second.broadcast_template.empty()
                                ? it->second.broadcast_template : "reachable-elsewhere";
    }
    if (a->templates().Find(request.template_id) == nullptr)
      return Fail("broadcast", StrCat("no template \"", request.template_id, "\""));
    request.key = bf->key.empty() ? StrCat(bf->channel, ":", Rfc3339(a->clock().Now()).substr(0, 10)) : bf->key;
    request.quiet = a->config().quiet_hours;
    request.business_timezone = a->config().business.timezone;
    auto p = outbox::StartBroadcast(a->outbox(), request);
    if (!p.ok()) return Fail("broadcast", Message(p.status()), absl::IsNotFound(p.status()) ? kUsageError : 1);
    std::cout << (bf->json ? ProgressJson(*p).dump() : ProgressLine(*p)) << "\n";
    return 0;
  });

  // faro outbox status | run
  CLI::App* outbox_cmd = app.add_subcommand("outbox", "The messages Faro holds until a provider takes them");
  outbox_cmd->require_subcommand(1);
  auto ojson = std::make_shared<bool>(false);
  CLI::App* ostatus = outbox_cmd->add_subcommand("status", "Counts per channel, channels down, broadcasts");
  ostatus->add_flag("--json", *ojson, "JSON");
  AddConfigOption(*ostatus, *config);
  out.emplace_back(ostatus, [=]() -> int {
    auto a = OpenApp("outbox status", *config);
    if (!a) return kUsageError;
    auto counts = a->outbox().CountsByChannel();
    if (!counts.ok()) return Fail("outbox status", Message(counts.status()), 1);
    const auto down = a->outbox().DownChannels();
    if (*ojson) {
      json j = {{"channels", json::object()}, {"down", json::array()}};
      for (const auto& [ch, c] : *counts)
        j["channels"][ch.empty() ? "(held)" : ch] = {{"queued", c.queued}, {"held", c.held}, {"sent", c.sent},
                                                      {"failed", c.failed}, {"skipped", c.skipped}};
      for (const auto& d : down)
        j["down"].push_back({{"channel", d.channel}, {"source", d.source}, {"reason", d.reason}, {"since", Rfc3339(d.since)}});
      std::cout << j.dump() << "\n";
      return 0;
    }
    std::cout << std::left << std::setw(12) << "CHANNEL" << std::right << std::setw(9) << "QUEUED" << std::setw(9)
              << "HELD" << std::setw(9) << "SENT" << std::setw(9) << "FAILED" << std::setw(9) << "SKIPPED" << "\n";
    for (const auto& [ch, c] : *counts)
      std::cout << std::left << std::setw(12) << (ch.empty() ? "(held)" : ch) << std::right << std::setw(9) << c.queued
                << std::setw(9) << c.held << std::setw(9) << c.sent << std::setw(9) << c.failed << std::setw(9)
                << c.skipped << "\n";
    for (const auto& d : down)
      std::cout << d.channel << " is down since " << Rfc3339(d.since) << " (" << d.source << ": " << d.reason << ")\n";
    return 0;
  });
  auto until_empty = std::make_shared<bool>(false);
  CLI::App* orun = outbox_cmd->add_subcommand("run", "Send what the outbox holds (faro serve does this too)");
  orun->add_flag("--until-empty", *until_empty, "stop when nothing is queued any more");
  AddConfigOption(*orun, *config);
  out.emplace_back(orun, [=]() -> int {
    auto a = OpenApp("outbox run", *config);
    if (!a) return kUsageError;
    std::signal(SIGINT, OnStop);
    std::signal(SIGTERM, OnStop);
    auto dispatcher = a->MakeDispatcher();
    dispatcher->Start();
    int quiet_rounds = 0;
    while (g_stop == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!*until_empty) continue;
      auto counts = a->outbox().CountsByChannel();
      int64_t queued = 0;
      if (counts.ok())
        for (const auto& [ch, c] : *counts) queued += c.queued;
      quiet_rounds = (queued == 0 && dispatcher->Idle()) ? quiet_rounds + 1 : 0;
      if (quiet_rounds >= 3) break;
    }
    dispatcher->Stop();
    const auto s = dispatcher->stats();
    std::cerr << "faro outbox run: " << s.sent << " sent, " << s.retried << " retried, " << s.rate_limited
              << " rate-limited, " << s.hopped << " moved to another channel, " << s.held << " held, " << s.failed
              << " failed\n";
    return 0;
  });

  // faro channels down|up ID, apply-check FILE
  CLI::App* channels_cmd = app.add_subcommand("channels", "Channel health: mark down or up, or follow faro check");
  channels_cmd->require_subcommand(1);
  struct ChannelFlags {
    std::string id, reason, file;
  };
  auto cf = std::make_shared<ChannelFlags>();
  for (const bool down : {true, false}) {
    CLI::App* c = channels_cmd->add_subcommand(down ? "down" : "up",
                                               down ? "Mark a channel down: its queued messages move to each person's next channel"
                                                    : "Mark a channel up again: messages return to it");
    c->add_option("ID", cf->id, "channel id from faro.yaml")->required();
    if (down) c->add_option("--reason", cf->reason, "why (kept with the hops)");
    AddConfigOption(*c, *config);
    out.emplace_back(c, [=]() -> int {
      const std::string name = down ? "channels down" : "channels up";
      auto a = OpenApp(name, *config);
      if (!a) return kUsageError;
      auto moved = down ? a->outbox().MarkDown(cf->id, "operator", cf->reason.empty() ? "marked down by hand" : cf->reason)
                        : a->outbox().MarkUp(cf->id, "operator");
      if (!moved.ok()) return Fail(name, Message(moved.status()), absl::IsNotFound(moved.status()) ? kUsageError : 1);
      std::cout << cf->id << " is " << (down ? "down" : (a->outbox().DownSet().contains(cf->id) ? "still down" : "up"))
                << "; " << *moved << " queued messages moved\n";
      return 0;
    });
  }
  CLI::App* apply = channels_cmd->add_subcommand("apply-check", "Mark channels down or up from faro check --json");
  apply->add_option("FILE", cf->file, "the JSON report; - for standard input")->required();
  AddConfigOption(*apply, *config);
  out.emplace_back(apply, [=]() -> int {
    auto a = OpenApp("channels apply-check", *config);
    if (!a) return kUsageError;
    std::string text;
    if (cf->file == "-") {
      std::ostringstream s;
      s << std::cin.rdbuf();
      text = s.str();
    } else {
      std::ifstream in(cf->file);
      if (!in) return Fail("channels apply-check", StrCat("cannot read ", cf->file));
      std::ostringstream s;
      s << in.rdbuf();
      text = s.str();
    }
    const json report = json::parse(text, nullptr, false);
    if (!report.is_object() || !report.contains("targets") || !report["targets"].is_array())
      return Fail("channels apply-check", StrCat(cf->file, ": not a faro check --json report (no \"targets\" list)"));
    for (const json& t : report["targets"]) {
      if (!t.is_object() || !t.contains("target") || !t["target"].is_string() || !t.contains("verdict")) continue;
      const std::string platform = t["target"].get<std::string>();
      const std::string verdict = t["verdict"].is_string() ? t["verdict"].get<std::string>() : "";
      for (const auto& ch : a->config().channels) {
        if (ch.info.platform != platform || ch.info.address_kind == channels::AddressKind::kNone) continue;
        absl::StatusOr<int64_t> moved = int64_t{0};
        std::string action = "unchanged";
        // Our own connection failing says nothing about the platform (local-network, local-dns).
        if (verdict == "down") {
          const std::string summary = t.contains("summary") && t["summary"].is_string() ? t["summary"].get<std::string>() : "";
          moved = a->outbox().MarkDown(ch.info.id, "check", StrCat("faro check: ", verdict, " ",
                                                                  t.value("scope", std::string()), "; ", summary));
          action = "down";
        } else if (verdict == "up" || verdict == "degraded") {
          moved = a->outbox().MarkUp(ch.info.id, "check");
          action = "up";
        }
        if (!moved.ok()) return Fail("channels apply-check", Message(moved.status()), 1);
        std::cout << ch.info.id << " (" << platform << " " << verdict << "): " << action << ", " << *moved
                  << " queued messages moved\n";
      }
    }
    return 0;
  });

  // faro inbox
  auto ifilter = std::make_shared<std::string>("unanswered");
  CLI::App* inbox_cmd = app.add_subcommand("inbox", "Conversations: who is waiting for an answer");
  inbox_cmd->add_option("--filter", *ifilter, "unanswered (default), waiting or all")
      ->check(CLI::IsMember({"unanswered", "waiting", "all"}));
  AddConfigOption(*inbox_cmd, *config);
  out.emplace_back(inbox_cmd, [=]() -> int {
    auto a = OpenApp("inbox", *config);
    if (!a) return kUsageError;
    const auto filter = *ifilter == "all" ? inbox::ConversationFilter::kAll
                        : *ifilter == "waiting" ? inbox::ConversationFilter::kWaiting
                                                : inbox::ConversationFilter::kUnanswered;
    auto list = a->inbox().List(filter);
    if (!list.ok()) return Fail("inbox", Message(list.status()), 1);
    const TimePoint now = a->clock().Now();
    for (const auto& c : *list) {
      auto contact = a->contacts().Get(c.contact_id);
      std::cout << std::setw(6) << c.contact_id << "  " << std::left << std::setw(24)
                << (contact.ok() ? contact->name : std::string("?")) << std::right << "  last on "
                << (c.last_inbound_channel.empty() ? "-" : c.last_inbound_channel);
      if (c.waiting_since)
        std::cout << "  waiting " << std::chrono::duration_cast<std::chrono::minutes>(now - *c.waiting_since).count()
                  << " min";
      if (auto frt = c.FirstResponseTime())
        std::cout << "  first response " << std::chrono::duration_cast<std::chrono::seconds>(*frt).count() << " s";
      std::cout << "\n";
    }
    return 0;
  });

  // faro template list | preview NAME
  CLI::App* tmpl = app.add_subcommand("template", "Message templates: list, preview");
  tmpl->require_subcommand(1);
  CLI::App* tlist = tmpl->add_subcommand("list", "List templates");
  AddConfigOption(*tlist, *config);
  out.emplace_back(tlist, [=]() -> int {
    auto a = OpenApp("template list", *config);
    if (!a) return kUsageError;
    for (const std::string& n : a->templates().Names()) std::cout << n << "\n";
    return 0;
  });
  struct PreviewFlags {
    std::string name, lang;
    std::vector<std::string> vars;
  };
  auto pf = std::make_shared<PreviewFlags>();
  CLI::App* preview = tmpl->add_subcommand("preview", "Show a template rendered for every channel, with its limits");
  preview->add_option("NAME", pf->name, "template name")->required();
  preview->add_option("--lang", pf->lang, "es or en (default: the business's)")->check(CLI::IsMember({"es", "en"}));
  preview->add_option("--var", pf->vars, "NAME=VALUE (repeatable)")->allow_extra_args(false);
  AddConfigOption(*preview, *config);
  out.emplace_back(preview, [=]() -> int {
    auto a = OpenApp("template preview", *config);
    if (!a) return kUsageError;
    const templates::Template* t = a->templates().Find(pf->name);
    if (t == nullptr)
      return Fail("template preview", StrCat("no template \"", pf->name, "\"; known: ", Join(a->templates().Names(), ", ")));
    auto vars = ParseVars(pf->vars);
    if (!vars.ok()) return Fail("template preview", Message(vars.status()));
    vars->try_emplace("business", a->config().business.name);
    vars->try_emplace("name", "Ana");
    vars->try_emplace("platform", "WhatsApp");
    vars->try_emplace("alternatives", "Telegram");
    const Lang lang = pf->lang.empty() ? a->config().business.lang : (pf->lang == "es" ? Lang::kEs : Lang::kEn);
    std::cout << templates::Preview(*t, lang, *vars, LangFromEnvironment());
    return 0;
  });
  return out;
}

}  // namespace faro::cli
