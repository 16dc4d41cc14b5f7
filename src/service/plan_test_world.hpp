#pragma once
// Shared by the tests of the contingency plans in `faro serve` (service and server): a small
// business whose customers write on WhatsApp, a plan for WhatsApp outages, a dry-run Meta
// account with a campaign that was already paused, and two customers. Nothing is sent: the
// channels point at a closed port and no dispatcher runs, so messages stay in the outbox to be
// looked at.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ads/dry_run.hpp"
#include "core/event.hpp"
#include "core/strings.hpp"
#include "inbox/inbound_event.hpp"
#include "setup/app.hpp"

namespace faro::service::testing {

inline constexpr const char* kPlan = R"yaml(plan: small-business
name: { es: "Plan de Nutrición Ana", en: "Nutrición Ana's plan" }
business: "Nutrición Ana"
lang: es
roles:
  community-manager:
    title: { es: Community manager, en: Community manager }
    people:
      - { name: Leo, lang: es, reach: [{ channel: telegram, chat_id: "4242" }] }
  approver:
    title: { es: "Dueña (aprueba)", en: "Owner (approves)" }
    people:
      - { name: Ana, lang: es, reach: [{ channel: telegram, chat_id: "5151" }] }
customer_channels:
  - { id: whatsapp, platform: whatsapp, share: 70% }
  - { id: telegram, platform: telegram, share: 20% }
  - { id: instagram, platform: instagram, share: 10% }
ad_accounts:
  - { id: meta, type: meta_marketing, platforms: [instagram] }
triggers:
  - { on: platform-down, platforms: [whatsapp], run: messaging-outage }
  - { on: platform-down, platforms: [instagram], run: instagram-down }
playbooks:
  instagram-down:
    title: { es: "Instagram no funciona", en: "Instagram is down" }
    steps:
      - pause_ads: { account: meta }
      - wait: { for: platform-restored }
      - resume_ads: { account: meta }
  messaging-outage:
    title: { es: "WhatsApp no funciona", en: "WhatsApp is down" }
    kind: outage
    steps:
      - notify: { roles: [community-manager, approver], text: { es: "WhatsApp no funciona (#{incident}).", en: "WhatsApp is down (#{incident})." } }
      - failover: { channel: whatsapp }
      - pause_ads: { account: meta }
      - approve:
          role: approver
          ask: { es: "¿Publicamos el aviso en Telegram?", en: "Publish the notice on Telegram?" }
          within: 15m
          escalate: [{ after: 10m, to: [community-manager] }]
      - holding_statement: { channels: [telegram, instagram], text: { es: "WhatsApp no anda: escribinos por acá.", en: "WhatsApp is down: write to us here." } }
      - assign_replies: { role: community-manager, from: whatsapp }
      - wait: { for: platform-restored }
      - undo_failover: { channel: whatsapp }
      - resume_ads: { account: meta }
      - restoration_check: { watch_for: 1h, ad_tolerance: 25% }
)yaml";

// The faro.yaml of the world; `extra` is appended (server settings, say).
inline std::string WorldConfig(const std::string& extra = "") {
  return StrCat(R"(
business: { name: "Nutrición Ana", lang: es, timezone: UTC, region: AR }
storage: { sqlite: faro.db, durability: process-crash }
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "1065", token_file: wa.token, base_url: "http://127.0.0.1:9" }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, base_url: "http://127.0.0.1:9", public_address: t.me/ana }
failover: { whatsapp: { automatic: false } }
ads:
  - { id: meta, type: meta_marketing, ad_account: act_1, token_file: meta.token, base_url: "http://127.0.0.1:9" }
plans: [plans/outage.yaml]
)",
                extra);
}

// Writes the secrets and the plan into `dir`.
inline void WriteWorld(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "plans");
  std::ofstream(dir / "tg.token") << "123:abc\n";
  std::ofstream(dir / "wa.token") << "EAAB\n";
  std::ofstream(dir / "meta.token") << "meta-token-abc\n";
  std::ofstream(dir / "plans" / "outage.yaml") << kPlan;
}

// The Meta account as a drill would have it: two running campaigns and one a person paused
// before the incident. Each running one spent 24.00 USD a day (1.00 an hour; CPM 10.00, CTR 2 %)
// in the week before 2021-10-04, and by 17:00 of that day it has spent 17.00 at the same pace.
inline void FillAccount(ads::DryRunPlatform& meta) {
  meta.AddCampaign("c1", "Turnos de octubre", ads::CampaignStatus::kActive);
  meta.AddCampaign("c2", "Promo de verano", ads::CampaignStatus::kPaused);
  meta.AddCampaign("c3", "Marca", ads::CampaignStatus::kActive);
  for (const char* id : {"c1", "c3"}) {
    for (int day = 27; day <= 33; ++day) {
      const std::string date = day <= 30 ? StrCat("2021-09-", day) : StrCat("2021-10-0", day - 30);
      meta.SetDay(id, date, ads::Money{24'000'000, "USD"}, 2400, 48);
    }
    meta.SetDay(id, "2021-10-04", ads::Money{17'000'000, "USD"}, 1700, 34);
  }
}

// Two customers: one reachable on WhatsApp and Telegram, one on WhatsApp only. Returns their ids.
inline std::pair<int64_t, int64_t> AddCustomers(setup::App& app) {
  contacts::Contact a;
  a.name = "Carla";
  a.phone = "+5491155551111";
  a.telegram = "9001";
  a.consent["whatsapp"] = {contacts::ConsentState::kOptedIn, {}, "test"};
  contacts::Contact b;
  b.name = "Diego";
  b.phone = "+5491155552222";
  b.consent["whatsapp"] = {contacts::ConsentState::kOptedIn, {}, "test"};
  const int64_t first = app.contacts().Upsert(a, "test")->id;
  const int64_t second = app.contacts().Upsert(b, "test")->id;
  app.directory().Invalidate();
  return {first, second};
}

// A customer wrote on WhatsApp at `at` and nobody answered.
inline void CustomerWrote(setup::App& app, int64_t contact, const std::string& text, TimePoint at) {
  inbox::InboundEvent e;
  e.channel_type = std::string(inbox::kWhatsAppCloud);
  e.event_id = StrCat("wamid.", contact, ".", ToUnixMillis(at));
  e.from = "+5491155551111";
  e.text = text;
  e.message_type = "text";
  e.time = at;
  (void)app.inbox().RecordInbound(contact, "whatsapp", e);
}

inline Event PlatformEvent(const std::string& kind, TimePoint at, int64_t id, const std::string& platform = "whatsapp") {
  Event e;
  e.id = id;
  e.at = at;
  e.kind = kind;
  e.subject = platform;
  e.state = kind == "platform-down" ? "down" : "up";
  e.previous = kind == "platform-down" ? "up" : "down";
  e.scope = kind == "platform-down" ? "global" : "";
  return e;
}

}  // namespace faro::service::testing
