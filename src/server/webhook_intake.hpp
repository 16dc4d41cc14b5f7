#pragma once
// What `faro serve` does with the events of an accepted webhook: finds the person in the
// contact book (or adds them: someone who writes to us is a contact from then on), records the
// message or the delivery status in the inbox, and honours consent keywords (STOP, BAJA, START,
// …) in SMS and WhatsApp text. Only ever called with events of a request whose signature
// inbox::Webhooks verified.
#include <functional>
#include <string>
#include <vector>

#include "inbox/inbound_event.hpp"
#include "inbox/webhooks.hpp"
#include "server/server_log.hpp"
#include "setup/app.hpp"

namespace faro::server {

struct IntakeSummary {
  int messages = 0;    // new messages recorded
  int duplicates = 0;  // messages already recorded (providers deliver at least once)
  int statuses = 0;    // delivery reports recorded
  int opt_outs = 0, opt_ins = 0;
  int skipped = 0;     // events that can never be recorded (logged with the reason)
  int errors = 0;      // the store failed: the provider should deliver again
};

class WebhookIntake {
 public:
  WebhookIntake(setup::App& app, inbox::Webhooks& webhooks, EventLog& log) : app_(app), webhooks_(webhooks), log_(log) {}

  // Thread-safe (the contact book and the inbox serialise their own writes).
  IntakeSummary Record(const std::vector<inbox::InboundEvent>& events);

  // The configured channel an event of this provider type belongs to: the first channel of
  // that type in the configuration, "" when none is configured.
  std::string ChannelFor(std::string_view channel_type) const;
  // Called for every new message after it is recorded (a team member replying "OK" to an
  // alert, say). Set before the server starts.
  void OnMessage(std::function<void(int64_t contact_id, const std::string& channel, const std::string& text)> f) {
    on_message_ = std::move(f);
  }

 private:
  // The contact who wrote: found by the sender's address, or created with it.
  absl::StatusOr<int64_t> ContactFor(const inbox::InboundEvent& event, bool& created);
  // STOP / START and their kin; true when the contact's consent changed.
  bool ApplyKeyword(int64_t contact_id, const std::string& channel_id, const inbox::InboundEvent& event,
                    IntakeSummary& summary);

  setup::App& app_;
  inbox::Webhooks& webhooks_;
  EventLog& log_;
  std::function<void(int64_t, const std::string&, const std::string&)> on_message_;
};

}  // namespace faro::server
