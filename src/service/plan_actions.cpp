// Carrying out the engine's actions: messages to people, failover, messages to customers,
// conversations assigned to people. Ads: plan_ads.cpp; the restoration check:
// plan_restoration.cpp. Every action ends in one outcome for the engine, with its figures.
#include <absl/time/time.h>

#include <deque>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "outbox/broadcast.hpp"
#include "plan/words.hpp"
#include "service/plan_service.hpp"
#include "service/plan_service_internal.hpp"

namespace faro::service {
namespace {

using nlohmann::json;

// "Faro #7 · WhatsApp no funciona".
std::string Subject(const plan::Incident& incident, const plan::Action& action, Lang lang) {
  const std::string title = incident.title.In(lang);
  if (action.kind == "ask-approval" || action.kind == "escalate")
    return StrCat(lang == Lang::kEs ? "Aprobación pedida" : "Approval needed", " · Faro #", incident.id, " ", title);
  return StrCat("Faro #", incident.id, " · ", title);
}

std::string PeopleText(const std::vector<std::string>& parts, Lang lang) { return plan::ListText(parts, lang); }

// The time of day in the business's zone, for people ("14:05").
std::string ClockText(TimePoint at, const std::string& timezone) {
  absl::TimeZone zone = absl::UTCTimeZone();
  (void)absl::LoadTimeZone(timezone, &zone);
  return absl::FormatTime("%H:%M", absl::FromChrono(at), zone);
}

}  // namespace

void PlanService::Execute(std::vector<plan::Action> actions) {
  std::deque<plan::Action> todo(std::make_move_iterator(actions.begin()), std::make_move_iterator(actions.end()));
  while (!todo.empty()) {
    plan::Action action = std::move(todo.front());
    todo.pop_front();
    Done done = Perform(action);
    std::vector<plan::Action> more;
    {
      std::lock_guard lock(mutex_);
      ++stats_.actions[{action.kind, done.outcome.ok ? "ok" : "failed"}];
      if (done.guard) guards_[done.guard_account] = *done.guard;
      auto next = engine_->OnOutcome(done.outcome);
      if (next.ok()) {
        NoteActionsLocked(*next);
        more = std::move(*next);
      } else {
        Log(StrCat("incident #", action.incident, ": the outcome of action ", action.id, " was refused: ",
                   Message(next.status())));
      }
      if (done.checklist) {
        last_recheck_[action.incident] = done.outcome.at;
        auto after = engine_->OnChecklist(action.incident, *done.checklist, done.outcome.at);
        if (after.ok()) {
          NoteActionsLocked(*after);
          for (plan::Action& a : *after) more.push_back(std::move(a));
        } else {
          Log(StrCat("incident #", action.incident, ": the checklist was refused: ", Message(after.status())));
        }
      }
      (void)SaveChangedLocked();
    }
    Log(StrCat("incident #", action.incident, ": ", action.kind, " (action ", action.id, ") ",
               done.outcome.ok ? "done: " : "failed: ", done.outcome.detail.en));
    for (plan::Action& a : more) todo.push_back(std::move(a));
  }
}

PlanService::Done PlanService::Perform(const plan::Action& action) {
  std::optional<Snapshot> s;
  {
    std::lock_guard lock(mutex_);
    s = SnapshotLocked(action.incident);
  }
  const TimePoint now = Now(action.at);
  if (!s)
    return {MakeOutcome(action, now, false,
                        {StrCat("El incidente #", action.incident, " no está en curso."),
                         StrCat("Incident #", action.incident, " is not running.")},
                        json::object())};
  const std::string& k = action.kind;
  if (k == "notify" || k == "escalate" || k == "status-update" || k == "remind" || k == "ask-approval")
    return TellPeople(action, *s);
  if (k == "failover" || k == "undo-failover") return FailOver(action, *s);
  if (k == "broadcast" || k == "holding-statement") return TellCustomers(action, *s);
  if (k == "pause-ads" || k == "resume-ads" || k == "move-campaign") return Ads(action, *s);
  if (k == "assign-replies") return AssignReplies(action, *s);
  if (k == "restoration-check") return Restoration(action, *s);
  return {MakeOutcome(action, now, false,
                      {StrCat("Faro no sabe hacer «", k, "»."), StrCat("Faro does not know how to do “", k, "”.")},
                      json::object())};
}

std::optional<int64_t> PlanService::ContactFor(const plan::Recipient& recipient) {
  {
    std::lock_guard lock(mutex_);
    auto it = people_.contact_of.find(recipient.person);
    if (it != people_.contact_of.end()) return it->second;
  }
  // Someone who took a role without being in the plan: faro.yaml's team may know them.
  for (const respond::TeamMember& m : app_.team())
    if (m.name == recipient.person) return m.contact_id;
  return std::nullopt;
}

std::set<int64_t> PlanService::TeamContacts() {
  std::set<int64_t> out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, name] : people_.name_of) out.insert(id);
  }
  for (const respond::TeamMember& m : app_.team()) out.insert(m.contact_id);
  return out;
}

PlanService::Done PlanService::TellPeople(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  const bool asks = action.kind == "ask-approval" || action.kind == "escalate";
  json told = json::array(), not_told = json::array();
  std::vector<std::string> told_es, told_en, missed;
  for (const plan::Recipient& r : action.to) {
    const std::optional<int64_t> contact = ContactFor(r);
    if (!contact) {
      not_told.push_back({{"person", r.person}, {"why", "no way to reach them: not in the plan's people nor faro.yaml's team"}});
      missed.push_back(r.person);
      continue;
    }
    outbox::NewMessage m;
    // One message per action and person, however often this runs (a restart carries on).
    m.idempotency_key = StrCat("plan-", action.incident, "-", action.id, "-", *contact);
    m.contact_id = *contact;
    m.subject = Subject(s.incident, action, r.lang);
    m.text = action.text.In(r.lang);
    if (asks) {
      const int64_t request = action.kind == "escalate" ? action.params.value("approval", action.id) : action.id;
      m.text += r.lang == Lang::kEs
                    ? StrCat("\n\nResponde «sí» para aprobar o «no» para rechazar (incidente #", action.incident,
                             ", pedido ", request, ").")
                    : StrCat("\n\nReply “yes” to approve or “no” to deny (incident #", action.incident, ", request ",
                             request, ").");
    }
    auto accepted = app_.outbox().Enqueue({m});
    if (!accepted.ok() || accepted->empty()) {
      const std::string why = accepted.ok() ? "not accepted" : Message(accepted.status());
      not_told.push_back({{"person", r.person}, {"contact_id", *contact}, {"why", why}});
      missed.push_back(r.person);
      continue;
    }
    const outbox::Accepted& a = (*accepted)[0];
    json entry = {{"person", r.person}, {"role", r.role}, {"contact_id", *contact},
                  {"channel", a.channel}, {"message_id", a.id}};
    if (!a.reason.empty()) entry["note"] = a.reason;
    told.push_back(std::move(entry));
    const std::string where = a.channel.empty() ? "" : StrCat(" (", a.channel, ")");
    told_es.push_back(StrCat(r.person, where));
    told_en.push_back(StrCat(r.person, where));
  }
  const bool ok = !told.empty();
  plan::Text detail;
  if (action.to.empty()) {
    detail = {"Nadie tiene ese rol ahora: no se avisó a nadie.", "Nobody holds that role now: nobody was told."};
  } else if (ok) {
    detail = {StrCat("Avisado: ", PeopleText(told_es, Lang::kEs), "."), StrCat("Told: ", PeopleText(told_en, Lang::kEn), ".")};
    if (!missed.empty()) {
      detail.es += StrCat(" Sin avisar: ", PeopleText(missed, Lang::kEs), ".");
      detail.en += StrCat(" Not told: ", PeopleText(missed, Lang::kEn), ".");
    }
  } else {
    detail = {StrCat("No se pudo avisar a ", PeopleText(missed, Lang::kEs), "."),
              StrCat("Could not tell ", PeopleText(missed, Lang::kEn), ".")};
  }
  return {MakeOutcome(action, now, ok, std::move(detail), {{"told", told}, {"not_told", not_told}})};
}

PlanService::Done PlanService::FailOver(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  const std::string channel = action.params.value("channel", std::string());
  const int64_t event_id = s.incident.run.last_event.is_object() ? s.incident.run.last_event.value("id", int64_t{0}) : 0;
  const setup::ConfiguredChannel* configured = app_.config().FindConfigured(channel);
  if (configured == nullptr)
    return {MakeOutcome(action, now, false,
                        {StrCat("No hay un canal «", channel, "» en faro.yaml."), StrCat("faro.yaml has no channel “", channel, "”.")},
                        {{"channel", channel}})};
  if (action.kind == "undo-failover") {
    auto back = failover_->Restore(channel, event_id, now);
    if (!back.ok())
      return {MakeOutcome(action, now, false,
                          {StrCat("No se pudo volver a usar ", channel, ": ", Message(back.status())),
                           StrCat("Could not bring ", channel, " back: ", Message(back.status()))},
                          {{"channel", channel}})};
    return {MakeOutcome(action, now, true,
                        back->already ? plan::Text{StrCat(channel, " ya estaba en uso."), StrCat(channel, " was already in use.")}
                                      : plan::Text{StrCat(channel, " vuelve a usarse: ", back->moved_back, " mensajes vuelven a él."),
                                                   StrCat(channel, " is used again: ", back->moved_back, " messages go back to it.")},
                        {{"channel", channel}, {"already", back->already}, {"messages_returned", back->moved_back}})};
  }
  FailoverRequest request;
  request.channel = channel;
  request.platform = action.params.value("platform", configured->info.platform);
  if (auto rule = app_.config().failover.find(channel); rule != app_.config().failover.end())
    request.broadcast_template = rule->second.broadcast_template;
  request.reason = StrCat("plan ", s.plan->id, ", incident #", s.incident.id, ": ", s.incident.title.en);
  request.event_id = event_id;
  request.at = now;
  auto done = failover_->Fail(request);
  if (!done.ok())
    return {MakeOutcome(action, now, false,
                        {StrCat("No se pudo marcar caído ", channel, ": ", Message(done.status())),
                         StrCat("Could not mark ", channel, " down: ", Message(done.status()))},
                        {{"channel", channel}})};
  json details = {{"channel", channel},         {"already", done->already},        {"failover_id", done->failover_id},
                  {"messages_rerouted", done->moved}, {"contacts_told", done->told}, {"broadcast_id", done->broadcast_id}};
  if (!done->broadcast_error.empty()) details["broadcast_error"] = done->broadcast_error;
  plan::Text text =
      done->already
          ? plan::Text{StrCat(channel, " ya estaba marcado caído (failover #", done->failover_id, ")."),
                       StrCat(channel, " was already marked down (failover #", done->failover_id, ").")}
          : plan::Text{StrCat(channel, " marcado caído: ", done->moved, " mensajes en cola pasaron a otros canales."),
                       StrCat(channel, " marked down: ", done->moved, " queued messages moved to other channels.")};
  if (done->broadcast_id != 0) {
    text.es += StrCat(" Aviso a ", done->told, " contactos (difusión ", done->broadcast_id, ").");
    text.en += StrCat(" Notice to ", done->told, " contacts (broadcast ", done->broadcast_id, ").");
  } else if (!done->broadcast_error.empty()) {
    text.es += StrCat(" La difusión no empezó: ", done->broadcast_error);
    text.en += StrCat(" The broadcast did not start: ", done->broadcast_error);
  }
  return {MakeOutcome(action, now, true, std::move(text), std::move(details))};
}

PlanService::Done PlanService::TellCustomers(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  // Channels Faro writes on, and the others (Instagram direct messages…), left for people.
  std::vector<std::string> named, by_hand;
  if (action.params.contains("channels") && action.params["channels"].is_array())
    for (const auto& c : action.params["channels"]) {
      if (!c.is_string()) continue;
      (app_.outbox().routing().Find(c.get<std::string>()) != nullptr ? named : by_hand).push_back(c.get<std::string>());
    }
  const plan::Text hand_text =
      by_hand.empty() ? plan::Text{}
                      : plan::Text{StrCat(" Faro no escribe por ", plan::ListText(by_hand, Lang::kEs),
                                          ": ahí hay que publicarlo a mano."),
                                   StrCat(" Faro does not write on ", plan::ListText(by_hand, Lang::kEn),
                                          ": post it there by hand.")};
  outbox::Outbox& outbox = app_.outbox();
  const std::set<std::string> down = outbox.DownSet();
  const std::set<int64_t> team = TeamContacts();
  const setup::FaroConfig& config = app_.config();
  std::vector<outbox::NewMessage> messages;
  std::map<std::string, int64_t> by_channel;
  int64_t customers = 0, unreachable = 0, outside_window = 0;
  // WhatsApp takes a written text only within 24 hours of the person's last message (after that,
  // only a template Meta approved, and a plan's text is not one): a message to anyone else would
  // be refused for good and left in the outbox as given up.
  const auto takes_text = [&](const contacts::Contact& contact, const outbox::ChannelInfo& info) {
    if (info.type != "whatsapp_cloud") return true;
    auto open = app_.inbox().ReplyWindowOpen(contact.id, info.id, now);
    return open.ok() && *open;
  };
  // Each customer once, on the first of the named channels that works for them now.
  for (const contacts::Contact& contact : outbox.directory().All()) {
    if (team.contains(contact.id)) continue;
    ++customers;
    std::string chosen;
    bool window_closed = false;
    for (const std::string& id : named) {
      const outbox::ChannelInfo* info = outbox.routing().Find(id);
      if (info == nullptr || outbox.routing().Check(contact, *info, down) != outbox::Skip::kNone) continue;
      if (!takes_text(contact, *info)) {
        window_closed = true;
        continue;
      }
      chosen = id;
      break;
    }
    if (chosen.empty()) {
      ++unreachable;
      if (window_closed) ++outside_window;
      continue;
    }
    outbox::NewMessage m;
    m.idempotency_key = StrCat("plan-", action.incident, "-", action.id, "-", contact.id);
    m.contact_id = contact.id;
    m.channel = chosen;
    m.subject = StrCat(config.business.name, ": ", s.incident.title.In(contact.lang));
    m.text = action.text.In(contact.lang);
    m.not_before = outbox::OutsideQuietHours(config.quiet_hours,
                                             contact.timezone.empty() ? config.business.timezone : contact.timezone, now);
    ++by_channel[chosen];
    messages.push_back(std::move(m));
  }
  // The customers hear about the incident's channel when it is one of ours, else the first named.
  std::string about = named.empty() ? std::string() : named.front();
  for (const setup::ConfiguredChannel& c : config.channels)
    if (!c.info.platform.empty() && c.info.platform == s.incident.subject) about = c.info.id;
  const plan::Text window_text =
      outside_window == 0
          ? plan::Text{}
          : plan::Text{StrCat(" ", outside_window,
                              " no escribieron por WhatsApp en las últimas 24 horas: ahí solo se les puede enviar una "
                              "plantilla aprobada por Meta."),
                       StrCat(" ", outside_window,
                              " have not written on WhatsApp in the last 24 hours: only a template Meta approved can "
                              "reach them there.")};
  if (messages.empty())
    return {MakeOutcome(action, now, false,
                        {StrCat("Ningún cliente se puede alcanzar por ", plan::ListText(named, Lang::kEs), " (", customers,
                                " clientes).", window_text.es, hand_text.es),
                         StrCat("No customer can be reached on ", plan::ListText(named, Lang::kEn), " (", customers,
                                " customers).", window_text.en, hand_text.en)},
                        {{"contacts_told", 0}, {"not_reachable", unreachable}, {"outside_window", outside_window},
                         {"channels", named}, {"by_hand", by_hand}})};
  // An outbox broadcast, so it is listed and followed like any (GET /api/v1/broadcasts/{id}) and
  // the inbox does not take it for a personal reply.
  outbox::TextBroadcastRequest request;
  request.key = StrCat("plan-", action.incident, "-", action.id);
  request.channel = about;
  request.messages = std::move(messages);
  auto started = outbox::StartTextBroadcast(outbox, std::move(request));
  if (!started.ok())
    return {MakeOutcome(action, now, false,
                        {StrCat("El mensaje a los clientes no se aceptó: ", Message(started.status())),
                         StrCat("The message to customers was not accepted: ", Message(started.status()))},
                        {{"contacts_told", 0}, {"channels", named}, {"by_hand", by_hand}})};
  const int64_t broadcast_id = started->id;
  const int64_t told = started->total - started->skipped_no_consent - started->skipped_no_address;
  std::vector<std::string> parts;
  for (const auto& [channel, n] : by_channel) parts.push_back(StrCat(channel, " ", n));
  return {MakeOutcome(
      action, now, true,
      {StrCat("Mensaje a ", told, " clientes (difusión ", broadcast_id, ": ", Join(parts, ", "), ")",
              unreachable > 0 ? StrCat("; ", unreachable, " sin canal que funcione") : "", ".", window_text.es,
              hand_text.es),
       StrCat("Message to ", told, " customers (broadcast ", broadcast_id, ": ", Join(parts, ", "), ")",
              unreachable > 0 ? StrCat("; ", unreachable, " without a working channel") : "", ".", window_text.en,
              hand_text.en)},
      {{"contacts_told", told}, {"by_channel", by_channel}, {"not_reachable", unreachable},
       {"outside_window", outside_window}, {"channels", named}, {"by_hand", by_hand}, {"broadcast_id", broadcast_id}})};
}

PlanService::Done PlanService::AssignReplies(const plan::Action& action, const Snapshot& s) {
  const TimePoint now = Now(action.at);
  const std::string from = action.params.value("from", std::string());
  auto list = app_.inbox().List(inbox::ConversationFilter::kUnanswered);
  if (!list.ok())
    return {MakeOutcome(action, now, false,
                        {StrCat("No se pudo leer la bandeja: ", Message(list.status())),
                         StrCat("Could not read the inbox: ", Message(list.status()))},
                        {{"from", from}})};
  const std::set<int64_t> team = TeamContacts();
  std::vector<inbox::Conversation> waiting;
  for (inbox::Conversation& c : *list)
    if (c.last_inbound_channel == from && !team.contains(c.contact_id)) waiting.push_back(std::move(c));
  struct Holder {
    const plan::Recipient* recipient;
    int64_t contact;
    std::vector<const inbox::Conversation*> assigned;
  };
  std::vector<Holder> holders;
  for (const plan::Recipient& r : action.to)
    if (auto contact = ContactFor(r)) holders.push_back({&r, *contact, {}});
  if (waiting.empty())
    return {MakeOutcome(action, now, true,
                        {StrCat("Ninguna conversación de ", from, " espera respuesta."),
                         StrCat("No conversation on ", from, " is waiting for an answer.")},
                        {{"from", from}, {"conversations", 0}, {"assigned", json::array()}})};
  if (holders.empty())
    return {MakeOutcome(action, now, false,
                        {StrCat(waiting.size(), " conversaciones de ", from, " esperan respuesta y no hay a quién asignarlas."),
                         StrCat(waiting.size(), " conversations on ", from, " wait for an answer and nobody can take them.")},
                        {{"from", from}, {"conversations", waiting.size()}, {"assigned", json::array()}})};
  // Round-robin, oldest wait first (the inbox lists them so).
  for (size_t i = 0; i < waiting.size(); ++i) holders[i % holders.size()].assigned.push_back(&waiting[i]);
  constexpr size_t kListed = 15;
  json assigned = json::array(), told = json::array();
  for (Holder& h : holders) {
    if (h.assigned.empty()) continue;
    const Lang lang = h.recipient->lang;
    std::string lines;
    json ids = json::array();
    for (size_t i = 0; i < h.assigned.size(); ++i) {
      const inbox::Conversation& c = *h.assigned[i];
      ids.push_back(c.contact_id);
      if (i >= kListed) continue;
      std::string name = StrCat(lang == Lang::kEs ? "contacto #" : "contact #", c.contact_id);
      if (auto contact = app_.contacts().Get(c.contact_id); contact.ok() && !contact->name.empty()) name = contact->name;
      const TimePoint since = c.waiting_since.value_or(c.first_inbound_at.value_or(now));
      StrAppend(lines, "\n• ", name, lang == Lang::kEs ? " (esperando desde las " : " (waiting since ",
                ClockText(since, app_.config().business.timezone), ")");
    }
    if (h.assigned.size() > kListed)
      StrAppend(lines, lang == Lang::kEs ? StrCat("\n… y ", h.assigned.size() - kListed, " más.")
                                         : StrCat("\n… and ", h.assigned.size() - kListed, " more."));
    outbox::NewMessage m;
    m.idempotency_key = StrCat("plan-", action.incident, "-", action.id, "-", h.contact);
    m.contact_id = h.contact;
    m.subject = Subject(s.incident, action, lang);
    m.text = StrCat(action.text.In(lang), "\n",
                    lang == Lang::kEs ? StrCat("Te tocan ", h.assigned.size(), " conversaciones de ", from, ":")
                                      : StrCat("Yours: ", h.assigned.size(), " conversations on ", from, ":"),
                    lines);
    auto accepted = app_.outbox().Enqueue({m});
    json entry = {{"person", h.recipient->person}, {"contact_id", h.contact}, {"count", h.assigned.size()}, {"contacts", ids}};
    if (accepted.ok() && !accepted->empty()) {
      entry["channel"] = (*accepted)[0].channel;
      entry["message_id"] = (*accepted)[0].id;
      told.push_back(h.recipient->person);
    } else {
      entry["error"] = accepted.ok() ? "not accepted" : Message(accepted.status());
    }
    assigned.push_back(std::move(entry));
  }
  std::vector<std::string> names;
  for (const auto& n : told) names.push_back(n.get<std::string>());
  const bool ok = !told.empty();
  const plan::Text text =
      ok ? plan::Text{StrCat(waiting.size(), " conversaciones de ", from, " repartidas entre ",
                             plan::ListText(names, Lang::kEs), "."),
                      StrCat(waiting.size(), " conversations on ", from, " shared out among ",
                             plan::ListText(names, Lang::kEn), ".")}
         : plan::Text{StrCat("No se pudo avisar a nadie de las ", waiting.size(), " conversaciones de ", from, "."),
                      StrCat("Nobody could be told about the ", waiting.size(), " conversations on ", from, ".")};
  return {MakeOutcome(action, now, ok, text, {{"from", from}, {"conversations", waiting.size()}, {"assigned", assigned}})};
}

}  // namespace faro::service
