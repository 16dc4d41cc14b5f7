#include "server/api.hpp"

#include <openssl/rand.h>

#include <charconv>

#include "contacts/csv_import.hpp"
#include "contacts/identity.hpp"
#include "core/query_params.hpp"
#include "core/strings.hpp"
#include "server/api_json.hpp"

namespace faro::server {
namespace {

constexpr size_t kMaxKeyLength = 200;

std::string Query(const ApiRequest& request, const std::string& name) { return QueryText(request.query, name); }

absl::StatusOr<int64_t> PathId(const std::string& text, std::string_view what) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0)
    return absl::InvalidArgumentError(StrCat("\"", text, "\" is not a ", what, " id (a positive whole number)"));
  return value;
}

absl::Status CheckKey(const std::string& key, std::string_view where) {
  if (key.empty()) return absl::InvalidArgumentError(StrCat(where, " is empty"));
  if (key.size() > kMaxKeyLength)
    return absl::InvalidArgumentError(StrCat(where, " has ", key.size(), " characters; at most ", kMaxKeyLength));
  for (char c : key)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return absl::InvalidArgumentError(StrCat(where, " contains control characters"));
  return absl::OkStatus();
}

// The caller's idempotency key: the Idempotency-Key header, else the body's "key", else "".
absl::StatusOr<std::string> CallerKey(const ApiRequest& request, const JsonBody& body) {
  if (!request.idempotency_key.empty()) {
    FARO_RETURN_IF_ERROR(CheckKey(request.idempotency_key, "the Idempotency-Key header"));
    return request.idempotency_key;
  }
  FARO_ASSIGN_OR_RETURN(const std::optional<std::string> key, body.String("key"));
  if (!key) return std::string();
  FARO_RETURN_IF_ERROR(CheckKey(*key, "field \"key\""));
  return *key;
}

bool Truthy(const std::string& value) { return value == "1" || value == "true" || value == "yes"; }

}  // namespace

ApiReply ErrorReply(int http_status, const std::string& message) { return {http_status, {{"error", message}}}; }

ApiReply ErrorReply(const absl::Status& status) {
  int code = 500;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: code = 400; break;
    case absl::StatusCode::kNotFound: code = 404; break;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists: code = 422; break;
    case absl::StatusCode::kUnavailable: code = 503; break;
    default: break;
  }
  return ErrorReply(code, Message(status));
}

std::string RandomKey() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Practically unreachable; the clock and an address still make a key unique enough here.
    return StrCat("api-", ToUnixMillis(std::chrono::system_clock::now()), "-", reinterpret_cast<uintptr_t>(&bytes));
  }
  static const char* hex = "0123456789abcdef";
  std::string key = "api-";
  for (unsigned char b : bytes) {
    key.push_back(hex[b >> 4]);
    key.push_back(hex[b & 15]);
  }
  return key;
}

ApiReply Api::ListContacts(const ApiRequest& request) {
  contacts::ListQuery query;
  query.text = Query(request, "search");
  auto limit = QueryInt(request.query, "limit", 50, 1, 1000);
  if (!limit.ok()) return ErrorReply(limit.status());
  auto offset = QueryInt(request.query, "offset", 0, 0, INT32_MAX);
  if (!offset.ok()) return ErrorReply(offset.status());
  query.limit = static_cast<int>(*limit);
  query.offset = static_cast<int>(*offset);
  auto list = app_.contacts().List(query);
  if (!list.ok()) return ErrorReply(list.status());
  auto total = app_.contacts().Count(query.text);
  if (!total.ok()) return ErrorReply(total.status());
  nlohmann::json out = {{"total", *total}, {"limit", query.limit}, {"offset", query.offset}};
  out["contacts"] = nlohmann::json::array();
  for (const contacts::Contact& c : *list) out["contacts"].push_back(ContactJson(c));
  return {200, out};
}

ApiReply Api::ImportContacts(const ApiRequest& request) {
  if (Trim(request.body).empty()) return ErrorReply(400, "the body is empty; send the CSV file as the body");
  contacts::ImportOptions options;
  options.file_name = Query(request, "name").empty() ? "api-import.csv" : Query(request, "name");
  options.default_region = app_.config().business.region;
  options.default_lang = app_.config().business.lang;
  for (const setup::ConfiguredChannel& c : app_.config().channels) options.known_channels.push_back(c.info.id);
  options.now = app_.clock().Now();
  options.dry_run = Truthy(Query(request, "dry_run"));
  const std::string lang = Query(request, "lang");
  if (!lang.empty() && lang != "es" && lang != "en")
    return ErrorReply(400, StrCat("query parameter lang=", lang, ": expected es or en"));
  options.report_lang = lang == "es" ? Lang::kEs : Lang::kEn;
  auto report = contacts::ImportCsv(app_.contacts(), request.body, options);
  if (!report.ok()) return ErrorReply(report.status());
  if (report->imported) app_.directory().Invalidate();
  log_.Write("contacts_import", {{"caller", request.caller},
                                 {"file", options.file_name},
                                 {"rows", std::to_string(report->rows_read)},
                                 {"created", std::to_string(report->created)},
                                 {"merged", std::to_string(report->merged)},
                                 {"problems", std::to_string(report->problems.size())},
                                 {"dry_run", options.dry_run ? "true" : "false"}});
  // All or nothing: with any problem nothing was written, and the report says why.
  return {report->ok() ? 200 : 422, ImportReportJson(*report)};
}

absl::StatusOr<int64_t> Api::FindContact(const JsonBody& body) {
  const int given = static_cast<int>(body.Has("contact_id")) + static_cast<int>(body.Has("phone")) +
                    static_cast<int>(body.Has("email"));
  if (given != 1) return absl::InvalidArgumentError("give exactly one of contact_id, phone and email");
  FARO_ASSIGN_OR_RETURN(const std::optional<int64_t> id, body.Int("contact_id"));
  if (id) {
    auto contact = app_.contacts().Get(*id);
    if (!contact.ok()) {
      if (absl::IsNotFound(contact.status()))
        return absl::FailedPreconditionError(StrCat("contact_id: there is no contact ", *id));
      return contact.status();
    }
    return *id;
  }
  const bool phone = body.Has("phone");
  const std::string field = phone ? "phone" : "email";
  FARO_ASSIGN_OR_RETURN(const std::optional<std::string> address, body.String(field));
  auto normalized = phone ? contacts::NormalizePhone(*address, app_.config().business.region)
                          : contacts::NormalizeEmail(*address);
  if (!normalized.ok()) return absl::InvalidArgumentError(StrCat(field, ": ", Message(normalized.status())));
  const channels::AddressKind kind = phone ? channels::AddressKind::kPhone : channels::AddressKind::kEmail;
  FARO_ASSIGN_OR_RETURN(const std::optional<int64_t> found, app_.contacts().FindByAddress(kind, *normalized));
  if (!found)
    return absl::FailedPreconditionError(
        StrCat(field, ": no contact has ", *normalized, "; import the person first (POST /api/v1/contacts/import)"));
  return *found;
}

ApiReply Api::SendMessage(const ApiRequest& request) {
  auto body = JsonBody::Parse(request.body,
                              {"contact_id", "phone", "email", "template", "vars", "text", "subject", "channel", "key"});
  if (!body.ok()) return ErrorReply(body.status());
  auto contact_id = FindContact(*body);
  if (!contact_id.ok()) return ErrorReply(contact_id.status());
  auto template_id = body->String("template");
  auto text = body->String("text");
  auto subject = body->String("subject");
  auto channel = body->String("channel");
  auto vars = body->StringMap("vars");
  for (const absl::Status& st : {template_id.status(), text.status(), subject.status(), channel.status(), vars.status()})
    if (!st.ok()) return ErrorReply(st);
  auto key = CallerKey(request, *body);
  if (!key.ok()) return ErrorReply(key.status());

  outbox::NewMessage m;
  m.idempotency_key = key->empty() ? RandomKey() : *key;
  m.contact_id = *contact_id;
  if (template_id->has_value() == text->has_value())
    return ErrorReply(400, "give either \"template\" (a template name) or \"text\" (a message written by a person)");
  if (template_id->has_value()) {
    if (app_.templates().Find(**template_id) == nullptr)
      return ErrorReply(422, StrCat("template: there is no template \"", **template_id, "\"; known: ",
                                    Join(app_.templates().Names(), ", ")));
    if (subject->has_value()) return ErrorReply(400, "\"subject\" goes with \"text\"; a template has its own subject");
    m.template_id = **template_id;
  } else {
    if (Trim(**text).empty()) return ErrorReply(400, "text: the message is empty");
    m.text = **text;
    m.subject = subject->value_or("");
  }
  m.vars = std::move(*vars);
  if (channel->has_value()) {
    if (app_.outbox().routing().Find(**channel) == nullptr)
      return ErrorReply(422, StrCat("channel: there is no customer channel \"", **channel, "\""));
    m.channel = **channel;
  }
  const std::string pinned = m.channel;
  auto accepted = app_.outbox().Enqueue({std::move(m)});
  if (!accepted.ok()) return ErrorReply(accepted.status());
  const outbox::Accepted& a = accepted->front();
  if (a.state == outbox::State::kSkipped && a.id == 0) {
    ApiReply reply = ErrorReply(422, StrCat("contact ", *contact_id, " cannot be reached",
                                            pinned.empty() ? "" : StrCat(" on ", pinned), ": ", a.reason));
    reply.body["reason"] = a.reason;
    return reply;
  }
  log_.Write("message_accepted", {{"caller", request.caller},
                                  {"id", std::to_string(a.id)},
                                  {"contact", std::to_string(*contact_id)},
                                  {"channel", a.channel},
                                  {"state", std::string(outbox::StateName(a.state))},
                                  {"duplicate", a.duplicate ? "true" : "false"}});
  return {202, AcceptedJson(a)};
}

std::string Api::DefaultBroadcastKey(const std::string& channel, const std::string& template_id) {
  // While the channel is down, one broadcast per outage and template: a repeated request
  // (a double click, a retried call) does not tell everyone twice.
  std::optional<TimePoint> since;
  for (const outbox::ChannelDown& d : app_.outbox().DownChannels())
    if (d.channel == channel && (!since || d.since < *since)) since = d.since;
  if (since) return StrCat("api:", channel, ":", template_id, ":down-since-", ToUnixMillis(*since));
  return RandomKey();
}

ApiReply Api::StartBroadcast(const ApiRequest& request) {
  auto body = JsonBody::Parse(request.body, {"channel", "template", "vars", "key"});
  if (!body.ok()) return ErrorReply(body.status());
  auto channel = body->String("channel");
  auto template_id = body->String("template");
  auto vars = body->StringMap("vars");
  for (const absl::Status& st : {channel.status(), template_id.status(), vars.status()})
    if (!st.ok()) return ErrorReply(st);
  if (!channel->has_value() || Trim(**channel).empty())
    return ErrorReply(400, "field \"channel\" is required: the channel whose contacts are told");
  if (app_.outbox().routing().Find(**channel) == nullptr)
    return ErrorReply(422, StrCat("channel: there is no customer channel \"", **channel, "\""));
  std::string tmpl = template_id->value_or("");
  if (tmpl.empty()) {
    const auto rule = app_.config().failover.find(**channel);
    tmpl = rule != app_.config().failover.end() && !rule->second.broadcast_template.empty()
               ? rule->second.broadcast_template
               : "reachable-elsewhere";
  }
  if (app_.templates().Find(tmpl) == nullptr)
    return ErrorReply(422, StrCat("template: there is no template \"", tmpl, "\"; known: ",
                                  Join(app_.templates().Names(), ", ")));
  auto key = CallerKey(request, *body);
  if (!key.ok()) return ErrorReply(key.status());

  outbox::BroadcastRequest b;
  b.key = key->empty() ? DefaultBroadcastKey(**channel, tmpl) : *key;
  b.failed_channel = **channel;
  b.template_id = tmpl;
  b.vars = std::move(*vars);
  b.quiet = app_.config().quiet_hours;
  b.business_timezone = app_.config().business.timezone;
  auto progress = outbox::StartBroadcast(app_.outbox(), b);
  if (!progress.ok()) return ErrorReply(progress.status());
  log_.Write("broadcast_started", {{"caller", request.caller},
                                   {"id", std::to_string(progress->id)},
                                   {"channel", b.failed_channel},
                                   {"template", tmpl},
                                   {"total", std::to_string(progress->total)}});
  return {202, ProgressJson(*progress)};
}

ApiReply Api::ListBroadcasts(const ApiRequest&) {
  auto list = outbox::ListBroadcasts(app_.outbox());
  if (!list.ok()) return ErrorReply(list.status());
  nlohmann::json out = {{"broadcasts", nlohmann::json::array()}};
  for (const outbox::BroadcastProgress& p : *list) out["broadcasts"].push_back(ProgressJson(p));
  return {200, out};
}

ApiReply Api::GetBroadcast(const std::string& id_text) {
  auto id = PathId(id_text, "broadcast");
  if (!id.ok()) return ErrorReply(id.status());
  auto progress = outbox::Progress(app_.outbox(), *id);
  if (!progress.ok()) return ErrorReply(progress.status());
  return {200, ProgressJson(*progress)};
}

ApiReply Api::OutboxSummary(const ApiRequest&) {
  auto counts = app_.outbox().CountsByChannel();
  if (!counts.ok()) return ErrorReply(counts.status());
  outbox::Dispatcher* dispatcher = dispatcher_ ? dispatcher_() : nullptr;
  const std::set<std::string> down = app_.outbox().DownSet();
  nlohmann::json channels = nlohmann::json::object();
  auto add = [&](const std::string& id) {
    const auto it = counts->find(id);
    nlohmann::json entry = CountsJson(it == counts->end() ? outbox::Counts{} : it->second);
    entry["down"] = down.contains(id);
    entry["breaker"] = dispatcher ? dispatcher->BreakerState(id) : "not running";
    channels[id.empty() ? "none" : id] = std::move(entry);
  };
  for (const setup::ConfiguredChannel& c : app_.config().channels) add(c.info.id);
  for (const auto& [id, c] : *counts)
    if (!channels.contains(id.empty() ? "none" : id)) add(id);
  nlohmann::json down_list = nlohmann::json::array();
  for (const outbox::ChannelDown& d : app_.outbox().DownChannels()) down_list.push_back(ChannelDownJson(d));
  nlohmann::json out = {{"channels", channels}, {"down", down_list}};
  out["dispatcher"] = {{"running", dispatcher != nullptr}};
  if (dispatcher != nullptr) out["dispatcher"]["stats"] = StatsJson(dispatcher->stats());
  return {200, out};
}

ApiReply Api::GetMessage(const std::string& id_text) {
  auto id = PathId(id_text, "message");
  if (!id.ok()) return ErrorReply(id.status());
  auto message = app_.outbox().Get(*id);
  if (!message.ok()) return ErrorReply(message.status());
  if (!message->has_value()) return ErrorReply(404, StrCat("no message with id ", *id));
  auto hops = app_.outbox().Hops(*id);
  if (!hops.ok()) return ErrorReply(hops.status());
  return {200, MessageJson(**message, *hops)};
}

ApiReply Api::ChannelDown(const std::string& channel, const ApiRequest& request) {
  if (app_.outbox().routing().Find(channel) == nullptr)
    return ErrorReply(404, StrCat("there is no customer channel \"", channel, "\""));
  auto body = JsonBody::Parse(request.body, {"reason"});
  if (!body.ok()) return ErrorReply(body.status());
  auto reason = body->String("reason");
  if (!reason.ok()) return ErrorReply(reason.status());
  if (!reason->has_value() || Trim(**reason).empty())
    return ErrorReply(400, "field \"reason\" is required: why the channel is down, for the people reading the status");
  auto moved = app_.outbox().MarkDown(channel, "operator", std::string(Trim(**reason)));
  if (!moved.ok()) return ErrorReply(moved.status());
  log_.Write("channel_down", {{"caller", request.caller}, {"channel", channel}, {"moved", std::to_string(*moved)}});
  return {200, {{"channel", channel}, {"down", true}, {"moved", *moved}}};
}

ApiReply Api::ChannelUp(const std::string& channel, const ApiRequest& request) {
  if (app_.outbox().routing().Find(channel) == nullptr)
    return ErrorReply(404, StrCat("there is no customer channel \"", channel, "\""));
  auto moved = app_.outbox().MarkUp(channel, "operator");
  if (!moved.ok()) return ErrorReply(moved.status());
  // Other sources (a check, the outbox's own breaker) may still hold it down.
  nlohmann::json still = nlohmann::json::array();
  for (const outbox::ChannelDown& d : app_.outbox().DownChannels())
    if (d.channel == channel) still.push_back(ChannelDownJson(d));
  log_.Write("channel_up", {{"caller", request.caller}, {"channel", channel}, {"moved", std::to_string(*moved)}});
  return {200, {{"channel", channel}, {"down", !still.empty()}, {"moved", *moved}, {"still_down_by", still}}};
}

ApiReply Api::ListConversations(const ApiRequest& request) {
  const std::string filter = Query(request, "filter");
  inbox::ConversationFilter f = inbox::ConversationFilter::kAll;
  if (filter == "waiting") f = inbox::ConversationFilter::kWaiting;
  else if (filter == "unanswered") f = inbox::ConversationFilter::kUnanswered;
  else if (!filter.empty() && filter != "all")
    return ErrorReply(400, StrCat("query parameter filter=", filter, ": expected all, waiting or unanswered"));
  auto list = app_.inbox().List(f);
  if (!list.ok()) return ErrorReply(list.status());
  nlohmann::json out = {{"filter", filter.empty() ? "all" : filter}, {"conversations", nlohmann::json::array()}};
  for (const inbox::Conversation& c : *list) {
    auto contact = app_.contacts().Get(c.contact_id);
    out["conversations"].push_back(ConversationJson(c, contact.ok() ? contact->name : ""));
  }
  return {200, out};
}

}  // namespace faro::server
