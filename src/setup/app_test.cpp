#include "setup/app.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace faro::setup {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("faro_app_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "tg.token") << "123:abc\n";
    std::ofstream(dir_ / "wa.token") << "EAAB\n";
    std::ofstream(dir_ / "unsub.key") << "k3y\n";
    auto config = LoadFaroConfigFromString(R"(
business: { name: "Nutrición Ana", lang: es, timezone: America/Argentina/Buenos_Aires, region: AR }
server: { public_url: "https://faro.example.com" }
webhooks: { unsubscribe_key_file: unsub.key }
channels:
  - { id: whatsapp, type: whatsapp_cloud, platform: whatsapp, phone_number_id: "106540352242922", token_file: wa.token }
  - { id: telegram, type: telegram_bot, platform: telegram, token_file: tg.token, public_address: t.me/nutricion_ana }
  - { id: email, type: smtp, host: 127.0.0.1, starttls: none, from: "Ana <hola@example.com>", public_address: hola@example.com }
team:
  - { name: Leo, role: community-manager, lang: en, reach: [{ channel: telegram, chat_id: "4242" }, { channel: email, address: leo@example.com }] }
)",
                                           "faro.yaml", dir_.string());
    ASSERT_TRUE(config.ok()) << Message(config.status());
    auto app = App::Open(std::move(*config), &clock_);
    ASSERT_TRUE(app.ok()) << Message(app.status());
    app_ = std::move(*app);
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<App> app_;
};

TEST_F(AppTest, BroadcastNoticeNamesTheWorkingAlternativesInThePersonsLanguage) {
  contacts::Contact maria;
  maria.name = "María";
  maria.lang = Lang::kEs;
  maria.phone = "+5491155550001";
  maria.telegram = "4242";
  maria.email = "maria@example.com";
  auto stored = app_->contacts().Upsert(maria);
  ASSERT_TRUE(stored.ok()) << Message(stored.status());
  maria.id = stored->id;

  outbox::Message m;
  m.template_id = "reachable-elsewhere";
  m.refused = {"whatsapp"};
  const auto* email = app_->outbox().routing().Find("email");
  auto content = app_->Render(m, maria, *email);
  ASSERT_TRUE(content.ok()) << Message(content.status());
  EXPECT_NE(content->text.find("Hola María, WhatsApp no está funcionando"), std::string::npos) << content->text;
  EXPECT_NE(content->text.find("Telegram (t.me/nutricion_ana) o correo (hola@example.com)"), std::string::npos)
      << content->text;
  EXPECT_NE(content->subject.find("Nutrición Ana"), std::string::npos);
  EXPECT_EQ(content->unsubscribe_url.rfind("https://faro.example.com/unsubscribe/", 0), 0u);

  maria.lang = Lang::kEn;
  content = app_->Render(m, maria, *app_->outbox().routing().Find("telegram"));
  ASSERT_TRUE(content.ok());
  EXPECT_NE(content->text.find("Telegram (t.me/nutricion_ana) or email (hola@example.com)"), std::string::npos)
      << content->text;
}

TEST_F(AppTest, UnsubscribeTokensAreSignedPerContact) {
  const std::string url = app_->UnsubscribeUrl(17);
  const std::string token = url.substr(url.rfind('/') + 1);
  EXPECT_EQ(app_->CheckUnsubscribeToken(token), 17);
  std::string forged = token;
  forged[0] = '8';
  EXPECT_EQ(app_->CheckUnsubscribeToken(forged), std::nullopt);
  EXPECT_EQ(app_->CheckUnsubscribeToken("17"), std::nullopt);
  EXPECT_EQ(app_->CheckUnsubscribeToken(""), std::nullopt);
}

TEST_F(AppTest, TeamMembersAreContactsWhoOptedInOnTheirReachChannels) {
  ASSERT_EQ(app_->team().size(), 1u);
  const respond::TeamMember& leo = app_->team()[0];
  EXPECT_EQ(leo.role, "community-manager");
  auto contact = app_->contacts().Get(leo.contact_id);
  ASSERT_TRUE(contact.ok()) << Message(contact.status());
  EXPECT_EQ(contact->telegram, "4242");
  EXPECT_EQ(contact->channel_order, (std::vector<std::string>{"telegram", "email"}));
  EXPECT_EQ(contact->ConsentFor("email"), contacts::ConsentState::kOptedIn);
}

TEST_F(AppTest, UnknownTemplateIsAClearError) {
  outbox::Message m;
  m.template_id = "nope";
  contacts::Contact c;
  auto content = app_->Render(m, c, *app_->outbox().routing().Find("email"));
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(Message(content.status()), "no template \"nope\"");
}

}  // namespace
}  // namespace faro::setup
