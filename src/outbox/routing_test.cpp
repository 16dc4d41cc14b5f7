#include "outbox/routing.hpp"

#include <gtest/gtest.h>

#include "outbox/test_world.hpp"

namespace faro::outbox {
namespace {

using testing::BusinessChannels;
using testing::Person;

TEST(Routing, BusinessOrderFilteredByAddressAndConsent) {
  const RoutingTable table = BusinessChannels();
  EXPECT_EQ(table.channels().size(), 4u) << "the webhook is not a customer channel";
  contacts::Contact ana = Person(1);
  const auto route = table.Route(ana, {});
  ASSERT_EQ(route.size(), 4u);
  EXPECT_EQ(route[0].channel_id, "whatsapp");
  EXPECT_EQ(route[0].skip, Skip::kNone);
  EXPECT_EQ(route[1].skip, Skip::kNoAddress);  // no Telegram chat
  EXPECT_EQ(route[2].skip, Skip::kNone);       // email: not opted out is enough
  EXPECT_EQ(route[3].skip, Skip::kNoOptIn);    // SMS needs an opt-in
  EXPECT_EQ(table.Best(ana, {}), "whatsapp");
  EXPECT_EQ(table.Best(ana, {"whatsapp"}), "email");
  EXPECT_EQ(table.Best(ana, {}, {"whatsapp", "email"}), "");
}

TEST(Routing, ContactOrderComesFirstAndOptOutWins) {
  const RoutingTable table = BusinessChannels();
  contacts::Contact leo = Person(2);
  leo.telegram = "123456";
  leo.channel_order = {"telegram", "nonexistent", "email"};
  EXPECT_EQ(table.Best(leo, {}), "telegram");
  leo.consent["telegram"] = {contacts::ConsentState::kOptedOut, {}, "blocked the bot"};
  EXPECT_EQ(table.Best(leo, {}), "email");
  leo.consent["email"] = {contacts::ConsentState::kOptedOut, {}, "one-click unsubscribe"};
  EXPECT_EQ(table.Best(leo, {}), "whatsapp");
  const auto route = table.Route(leo, {"whatsapp"});
  EXPECT_EQ(route[0].skip, Skip::kOptedOut);
  EXPECT_EQ(route[2].channel_id, "whatsapp");
  EXPECT_EQ(route[2].skip, Skip::kChannelDown);
}

}  // namespace
}  // namespace faro::outbox
