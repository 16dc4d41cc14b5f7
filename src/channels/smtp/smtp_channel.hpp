#pragma once
// Email over SMTP: one message per recipient, submitted through the business's own mail
// server (port 587 with STARTTLS, or 465 with implicit TLS) using libcurl's SMTP client.
//
//   - type: smtp
//     id: email
//     host: smtp.example.com
//     username: hola@example.com
//     password_file: secrets/smtp_password
//     from: "Tienda Ana <hola@example.com>"
//
// TLS is never downgraded: with `starttls: required` (the default) a server that does not offer
// STARTTLS gets nothing, and a password is never configured without TLS. The provider id of an
// accepted message is its Message-ID ("<…@example.com>"), the key bounces refer to.
#include <memory>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels::smtp {

absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config);

}  // namespace faro::channels::smtp
