// faro_connector: runs one connector over a saved payload (or the live X stream) and writes
// Faro's JSON Lines mentions to standard output, ready for `faro listen`. Rejections go to
// standard error with where and why, then a count. docs/listening.md, "Connectors".
//
//   faro_connector x FILE|-            X filtered stream lines, one message per line
//   faro_connector meta FILE|-         one Meta webhook body (Instagram or Page)
//   faro_connector telegram FILE|-     a getUpdates answer or one webhook Update
//   faro_connector feed FILE|- [--brand NAME]   an RSS 2.0 or Atom document
//   faro_connector x-stream --token-file FILE [--base-url URL]   the live stream, until killed
//
// Exit status: 0 when the input was read (even with rejections), 3 for bad usage or an
// unreadable file.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/strings.hpp"
#include "sources/feeds.hpp"
#include "sources/meta_webhook.hpp"
#include "sources/telegram_updates.hpp"
#include "sources/x_stream.hpp"

namespace {

using namespace faro::sources;

bool ReadInput(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

void Emit(const ConvertResult& result, ConnectorCounts& counts) {
  counts.Add(result);
  std::cout << ToJsonLines(result);
  for (const ItemRejection& r : result.rejections) std::cerr << "faro_connector: " << Describe(r) << "\n";
}

void Summary(const ConnectorCounts& counts) {
  std::cerr << "faro_connector: " << counts.mentions << " mentions, " << counts.rejected << " rejected";
  const char* separator = " (";
  for (const auto& [reason, n] : counts.rejected_by_reason) {
    std::cerr << separator << reason << " " << n;
    separator = ", ";
  }
  if (!counts.rejected_by_reason.empty()) std::cerr << ")";
  for (const auto& [kind, n] : counts.skipped) std::cerr << ", skipped " << kind << " " << n;
  std::cerr << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Provider payloads to Faro mentions (JSON Lines)"};
  app.require_subcommand(1);
  std::string input = "-", brand, token_file, base_url = "https://api.x.com";
  auto* x = app.add_subcommand("x", "X filtered stream lines");
  auto* meta = app.add_subcommand("meta", "a Meta webhook body");
  auto* telegram = app.add_subcommand("telegram", "Telegram updates");
  auto* feed = app.add_subcommand("feed", "an RSS 2.0 or Atom feed");
  for (auto* sub : {x, meta, telegram, feed}) sub->add_option("input", input, "a file, or - for standard input");
  feed->add_option("--brand", brand, "the brand hint given to every item");
  auto* live = app.add_subcommand("x-stream", "the live X filtered stream");
  live->add_option("--token-file", token_file, "a file holding the bearer token")->required();
  live->add_option("--base-url", base_url, "the API's address");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 3;
  }
  std::ios::sync_with_stdio(false);
  ConnectorCounts counts;
  if (live->parsed()) {
    std::string token;
    if (!ReadInput(token_file, token)) {
      std::cerr << "faro_connector: cannot read " << token_file << "\n";
      return 3;
    }
    XStreamOptions options;
    options.base_url = base_url;
    options.bearer_token = std::string(faro::Trim(token));
    faro::SystemClock clock;
    XStreamClient client(options, clock, nullptr);
    const absl::Status status = client.Run([&](const XStreamMessage& m) {
      Emit(m.result, counts);
      std::cout.flush();
      return true;
    });
    Summary(counts);
    if (!status.ok()) {
      std::cerr << "faro_connector: " << faro::Message(status) << "\n";
      return 3;
    }
    return 0;
  }
  std::string payload;
  if (!ReadInput(input, payload)) {
    std::cerr << "faro_connector: cannot read " << input << "\n";
    return 3;
  }
  if (x->parsed()) {
    XStreamConnector connector;
    const std::vector<std::string_view> lines = faro::Split(payload, "\n", false);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i + 1 == lines.size() && lines[i].empty()) break;  // the final newline
      Emit(connector.Read(lines[i], static_cast<int64_t>(i + 1)).result, counts);
    }
  } else if (meta->parsed()) {
    MetaWebhookConnector connector;
    Emit(connector.Convert(payload), counts);
    for (const MentionLookup& l : connector.TakeLookups())
      std::cerr << "faro_connector: Instagram mention to fetch: account " << l.account_id << ", media " << l.media_id
                << (l.comment_id.empty() ? std::string() : ", comment " + l.comment_id) << "\n";
  } else if (telegram->parsed()) {
    TelegramUpdatesConnector connector;
    Emit(connector.Convert(payload), counts);
  } else {
    FeedConnector connector(brand);
    Emit(connector.Convert(payload), counts);
  }
  Summary(counts);
  return 0;
}
