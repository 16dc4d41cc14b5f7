#pragma once
// Failover routing: a message goes to a contact, not to a channel. Its route is the contact's
// channel order (then the business's remaining channels), filtered by consent and by channel
// health. Pure: no I/O, no clock.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.hpp"
#include "contacts/contact.hpp"

namespace faro::outbox {

enum class ConsentRule {
  kOptIn,        // send only to people who opted in (WhatsApp, SMS, voice)
  kNotOptedOut,  // send unless they opted out or unsubscribed (email, Telegram chats)
};

struct ChannelInfo {
  std::string id;        // "whatsapp"
  std::string type;      // "whatsapp_cloud"
  std::string platform;  // "whatsapp": the platform whose outage takes this channel down
  channels::AddressKind address_kind = channels::AddressKind::kNone;
  ConsentRule consent = ConsentRule::kNotOptedOut;
  std::string public_address;  // how customers reach the business here ("t.me/nutricion_ana")
};

enum class Skip { kNone, kNoAddress, kOptedOut, kNoOptIn, kChannelDown };
std::string_view SkipName(Skip skip);

struct RouteStep {
  std::string channel_id;
  Skip skip = Skip::kNone;
};

class RoutingTable {
 public:
  // `channels` in the business's order; channels without a per-person address (webhooks, team
  // chat) are not customer channels and never appear in a route.
  explicit RoutingTable(std::vector<ChannelInfo> channels);

  const std::vector<ChannelInfo>& channels() const { return channels_; }
  const ChannelInfo* Find(std::string_view id) const;

  // Every customer channel in the order tried for this contact, each with why it is skipped.
  std::vector<RouteStep> Route(const contacts::Contact& contact, const std::set<std::string>& down) const;
  // The first usable channel, or "" when none is; `exclude` is never chosen.
  std::string Best(const contacts::Contact& contact, const std::set<std::string>& down,
                   const std::set<std::string>& exclude = {}) const;
  // Why `channel_id` cannot be used for this contact (kNone when it can).
  Skip Check(const contacts::Contact& contact, const ChannelInfo& channel, const std::set<std::string>& down) const;

 private:
  std::vector<ChannelInfo> channels_;
};

}  // namespace faro::outbox
