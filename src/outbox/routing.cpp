#include "outbox/routing.hpp"

#include <algorithm>

namespace faro::outbox {

std::string_view SkipName(Skip skip) {
  switch (skip) {
    case Skip::kNone: return "usable";
    case Skip::kNoAddress: return "no-address";
    case Skip::kOptedOut: return "opted-out";
    case Skip::kNoOptIn: return "no-opt-in";
    case Skip::kChannelDown: return "channel-down";
  }
  return "usable";
}

RoutingTable::RoutingTable(std::vector<ChannelInfo> channels) {
  for (auto& channel : channels)
    if (channel.address_kind != channels::AddressKind::kNone) channels_.push_back(std::move(channel));
}

const ChannelInfo* RoutingTable::Find(std::string_view id) const {
  for (const ChannelInfo& channel : channels_)
    if (channel.id == id) return &channel;
  return nullptr;
}

Skip RoutingTable::Check(const contacts::Contact& contact, const ChannelInfo& channel,
                         const std::set<std::string>& down) const {
  if (contact.Address(channel.address_kind).empty()) return Skip::kNoAddress;
  const contacts::ConsentState consent = contact.ConsentFor(channel.id);
  if (consent == contacts::ConsentState::kOptedOut) return Skip::kOptedOut;
  if (channel.consent == ConsentRule::kOptIn && consent != contacts::ConsentState::kOptedIn) return Skip::kNoOptIn;
  if (down.contains(channel.id)) return Skip::kChannelDown;
  return Skip::kNone;
}

std::vector<RouteStep> RoutingTable::Route(const contacts::Contact& contact, const std::set<std::string>& down) const {
  std::vector<RouteStep> route;
  std::vector<const ChannelInfo*> order;
  for (const std::string& id : contact.channel_order)
    if (const ChannelInfo* channel = Find(id); channel != nullptr && std::find(order.begin(), order.end(), channel) == order.end())
      order.push_back(channel);
  for (const ChannelInfo& channel : channels_)
    if (std::find(order.begin(), order.end(), &channel) == order.end()) order.push_back(&channel);
  route.reserve(order.size());
  for (const ChannelInfo* channel : order) route.push_back({channel->id, Check(contact, *channel, down)});
  return route;
}

std::string RoutingTable::Best(const contacts::Contact& contact, const std::set<std::string>& down,
                               const std::set<std::string>& exclude) const {
  for (const RouteStep& step : Route(contact, down))
    if (step.skip == Skip::kNone && !exclude.contains(step.channel_id)) return step.channel_id;
  return {};
}

}  // namespace faro::outbox
