#include "channels/smtp/smtp_reply.hpp"

#include <cctype>

#include "channels/smtp/email_format.hpp"
#include "core/strings.hpp"

namespace faro::channels::smtp {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// The length of a leading "class.subject.detail" (2.1.0, 5.7.26), or 0 when there is none.
size_t EnhancedLength(std::string_view text) {
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return 0;
  size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    const size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == start || i - start > 3) return 0;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
  }
  return (i == text.size() || text[i] == ' ') ? i : 0;
}

constexpr size_t kMaxText = 300;  // enough to read, short enough for a log line

}  // namespace

void ReplyLog::AddLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2])) return;
  const bool more = line.size() > 3 && line[3] == '-';
  const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
  if (!pending_.empty() && !text.empty()) pending_.push_back(' ');
  if (pending_.size() < kMaxText) pending_.append(text);
  if (more) return;
  SmtpReply reply;
  reply.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  std::string_view all = pending_;
  if (const size_t n = EnhancedLength(all); n > 0) {
    reply.enhanced = std::string(all.substr(0, n));
    all = Trim(all.substr(n));
  }
  reply.text = OneLine(all.substr(0, kMaxText));
  replies_.push_back(std::move(reply));
  pending_.clear();
}

const SmtpReply* ReplyLog::Last(int code) const {
  for (auto it = replies_.rbegin(); it != replies_.rend(); ++it)
    if (it->code == code) return &*it;
  return nullptr;
}

std::string ReplyCode(const SmtpReply& reply) {
  return reply.enhanced.empty() ? StrCat(reply.code) : StrCat(reply.code, " ", reply.enhanced);
}

SendResult ResultFromReply(const SmtpReply& reply, std::string_view server) {
  SendResult r;
  r.code = ReplyCode(reply);
  r.detail = StrCat("the mail server ", server, " answered ", r.code, reply.text.empty() ? "" : " ", reply.text);
  const std::string_view subject = reply.enhanced.size() > 2 ? std::string_view(reply.enhanced).substr(2, 2)
                                                             : std::string_view();
  const bool about_recipient_or_policy = subject == "1." || subject == "2." || subject == "7.";
  const int c = reply.code;
  if (c == 530 || c == 534 || c == 535 || c == 538 || reply.enhanced == "5.7.8") {
    r.kind = ResultKind::kAuth;
    r.detail = StrCat("the mail server ", server, " refused our login or requires one: ", r.code,
                      reply.text.empty() ? "" : " ", reply.text);
  } else if (c == 421 || c == 454 || (c == 451 && !about_recipient_or_policy)) {
    r.kind = ResultKind::kTransient;
    r.provider_fault = true;
  } else if (c >= 400 && c < 500) {
    r.kind = ResultKind::kTransient;
  } else if (c >= 500 && c < 600) {
    r.kind = ResultKind::kPermanent;
  } else {
    r.kind = ResultKind::kTransient;  // not a refusal code: the server misbehaved
    r.provider_fault = true;
  }
  return r;
}

}  // namespace faro::channels::smtp
