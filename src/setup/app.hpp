#pragma once
// Everything a faro command needs for messaging, opened from one configuration: the store,
// the contact book, the inbox, the outbox and its channels, the templates. The CLI and the
// server only wire this to people and sockets.
#include <memory>

#include "contacts/contact_book.hpp"
#include "inbox/conversations.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/outbox.hpp"
#include "setup/book_directory.hpp"
#include "respond/respond.hpp"
#include "setup/faro_config.hpp"
#include "templates/render.hpp"
#include "templates/template.hpp"

namespace faro::setup {

class App {
 public:
  static absl::StatusOr<std::unique_ptr<App>> Open(FaroConfig config, const Clock* clock = nullptr);
  ~App();

  FaroConfig& config() { return config_; }
  contacts::ContactBook& contacts() { return *contacts_; }
  inbox::Inbox& inbox() { return *inbox_; }
  outbox::Outbox& outbox() { return *outbox_; }
  BookDirectory& directory() { return *directory_; }
  const templates::TemplateSet& templates() const { return *templates_; }
  const Clock& clock() const { return *clock_; }
  // The team of faro.yaml, each person known to the contact book (created or merged at Open).
  const std::vector<respond::TeamMember>& team() const { return team_; }
  // SIGHUP: a new team (the old one stays when the new one cannot be loaded).
  absl::Status ReloadTeam(std::vector<TeamMemberConfig> team);

  // Renders a stored message for a person on a channel: its template (or the text a person
  // wrote) in the person's language, within the channel's limits; {{name}}, {{business}} and
  // {{alternatives}} (the working channels this person can use, with the business's addresses)
  // are filled in when the sender did not give them.
  absl::StatusOr<channels::Content> Render(const outbox::Message& message, const contacts::Contact& contact,
                                           const outbox::ChannelInfo& channel);
  // A dispatcher over every configured channel, not started.
  std::unique_ptr<outbox::Dispatcher> MakeDispatcher();
  // The one-click unsubscribe link for a contact (empty without webhooks.unsubscribe_key_file).
  std::string UnsubscribeUrl(int64_t contact_id) const;
  // The contact an unsubscribe token names, when the token is genuine.
  std::optional<int64_t> CheckUnsubscribeToken(std::string_view token) const;

  // The working channels this person can use, in words ("Telegram (t.me/ana) o correo (hola@…)").
  std::string Alternatives(const contacts::Contact& contact, const std::set<std::string>& avoid, Lang lang);

 private:
  App() = default;
  absl::Status LoadTeam();
  FaroConfig config_;
  SystemClock system_clock_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<SQLite::Database> contacts_db_;
  std::unique_ptr<SQLite::Database> inbox_db_;
  std::unique_ptr<contacts::ContactBook> contacts_;
  std::unique_ptr<inbox::Inbox> inbox_;
  std::unique_ptr<BookDirectory> directory_;
  std::unique_ptr<outbox::Outbox> outbox_;
  std::unique_ptr<templates::TemplateSet> templates_;
  std::vector<respond::TeamMember> team_;
};

}  // namespace faro::setup
