#pragma once
// How the HTTP API writes Faro's records as JSON (docs/api.md shows each shape). Times are
// RFC 3339 UTC strings ("2026-03-01T14:05:00Z"); missing times are null.
#include <nlohmann/json.hpp>

#include <optional>

#include "contacts/contact.hpp"
#include "contacts/csv_import.hpp"
#include "inbox/conversations.hpp"
#include "outbox/broadcast.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/outbox.hpp"

namespace faro::server {

nlohmann::json TimeJson(TimePoint at);
nlohmann::json TimeJson(const std::optional<TimePoint>& at);

nlohmann::json ContactJson(const contacts::Contact& contact);
nlohmann::json ImportReportJson(const contacts::ImportReport& report);
nlohmann::json AcceptedJson(const outbox::Accepted& accepted);
nlohmann::json ProgressJson(const outbox::BroadcastProgress& progress);
nlohmann::json MessageJson(const outbox::Message& message, const std::vector<outbox::Hop>& hops);
nlohmann::json CountsJson(const outbox::Counts& counts);
nlohmann::json ChannelDownJson(const outbox::ChannelDown& down);
nlohmann::json StatsJson(const outbox::DispatchStats& stats);
// `name` is the contact's name ("" when unknown).
nlohmann::json ConversationJson(const inbox::Conversation& conversation, const std::string& name);

}  // namespace faro::server
