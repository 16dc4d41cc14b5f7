#pragma once
// SMTP server replies (RFC 5321 §4.2, enhanced status codes RFC 3463) and what each means for
// the outbox: retry later, give up on this address, or stop the channel and call a person.
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.hpp"

namespace faro::channels::smtp {

struct SmtpReply {
  int code = 0;          // 250, 450, 550…
  std::string enhanced;  // "5.1.1" when the server sent one, else ""
  std::string text;      // the server's words, lines joined by spaces, without code and status
};

// Collects the replies of one session line by line ("250-SIZE 1000", "250 HELP"); a
// multi-line reply becomes one SmtpReply when its last line arrives.
class ReplyLog {
 public:
  void AddLine(std::string_view line);
  const std::vector<SmtpReply>& replies() const { return replies_; }
  // The latest complete reply with this code, or nullptr.
  const SmtpReply* Last(int code) const;

 private:
  std::vector<SmtpReply> replies_;
  std::string pending_;  // text of continuation lines so far
};

// "550 5.1.1" or "550": SendResult.code for a reply.
std::string ReplyCode(const SmtpReply& reply);

// The outcome of a transaction the server ("host:port", for the detail) refused with `reply`
// (code 400 or more):
//   530, 534, 535, 538 and 5.7.8 (authentication)       -> kAuth
//   421, 454, and 451 unless about a mailbox or policy -> kTransient, provider_fault
//   other 4xx (450, 452, greylisting 4.7.x …)           -> kTransient
//   other 5xx (550 5.1.1, 5.7.26 policy, 552 …)         -> kPermanent
SendResult ResultFromReply(const SmtpReply& reply, std::string_view server);

}  // namespace faro::channels::smtp
