#include "sources/x_stream.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <thread>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "sources/json_fields.hpp"

namespace faro::sources {

namespace jf = json_fields;
using jf::Got;
using jf::json;

std::string XStreamQuery() {
  // Fields: docs.x.com "Fields" (tweet.fields, user.fields) and "Expansions" (author_id).
  return "tweet.fields=created_at,author_id,public_metrics,conversation_id,referenced_tweets,lang"
         "&expansions=author_id&user.fields=public_metrics,username";
}

namespace {

std::string_view StripLineEnd(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// The user object of includes.users with this id, or nullptr.
const json* FindUser(const json& root, const std::string& id) {
  const json* includes = jf::Member(root, "includes");
  const json* users = includes ? jf::Member(*includes, "users") : nullptr;
  if (users == nullptr || !users->is_array() || id.empty()) return nullptr;
  for (const json& user : *users) {
    std::string user_id;
    if (jf::Id(user, "id", user_id) == Got::kOk && user_id == id) return &user;
  }
  return nullptr;
}

// Reads the post of a stream message into `m`; false with `why` when it cannot be a mention.
bool ReadPost(const json& root, const std::string& where, MentionRecord& m, ItemRejection& why) {
  const json& data = *jf::Member(root, "data");  // the caller checked that it is there
  if (!data.is_object()) {
    why = jf::WrongType(where, "data", "an object");
    return false;
  }
  m.source = "x";
  // data.id, data.text: always present ("Post object", default fields).
  switch (jf::Id(data, "id", m.id)) {
    case Got::kAbsent: why = jf::Missing(where, "data.id"); return false;
    case Got::kWrongType: why = jf::WrongType(where, "data.id", "a string"); return false;
    case Got::kOk: break;
  }
  switch (jf::String(data, "text", m.text)) {
    case Got::kWrongType: why = jf::WrongType(where, "data.text", "a string"); return false;
    case Got::kAbsent: why = jf::Missing(where, "data.text"); return false;
    case Got::kOk: break;
  }
  if (m.text.empty()) {
    why = jf::Missing(where, "data.text");
    return false;
  }
  // data.created_at: tweet.fields=created_at, ISO 8601 / RFC 3339 ("2021-10-04T15:39:00.000Z").
  std::string created_at;
  if (jf::String(data, "created_at", created_at) != Got::kOk) {
    why = jf::Missing(where, "data.created_at");
    why.detail += "; ask the stream for tweet.fields=created_at";
    return false;
  }
  auto at = ParseRfc3339(created_at);
  if (!at.ok()) {
    why = ItemRejection{where, "data.created_at", "bad-time", "not an RFC 3339 time: " + ClipUtf8(created_at, 40)};
    return false;
  }
  m.at = *at;
  // data.author_id: tweet.fields=author_id (or the author_id expansion).
  if (jf::Id(data, "author_id", m.author_id) == Got::kWrongType) {
    why = jf::WrongType(where, "data.author_id", "a string");
    return false;
  }
  // data.public_metrics: tweet.fields=public_metrics. Reposts and quotes both amplify.
  if (const json* metrics = jf::Member(data, "public_metrics")) {
    int64_t retweets = 0, quotes = 0, likes = 0;
    for (auto [key, out] : {std::pair<const char*, int64_t*>{"retweet_count", &retweets},
                            {"quote_count", &quotes}, {"like_count", &likes}}) {
      if (jf::Count(*metrics, key, *out) == Got::kWrongType) {
        why = jf::WrongType(where, StrCat("data.public_metrics.", key), "a whole number >= 0");
        return false;
      }
    }
    m.shares = retweets + quotes;
    m.likes = likes;
  }
  // data.referenced_tweets: tweet.fields=referenced_tweets; "replied_to" names the parent.
  if (const json* refs = jf::Member(data, "referenced_tweets")) {
    if (!refs->is_array()) {
      why = jf::WrongType(where, "data.referenced_tweets", "an array");
      return false;
    }
    for (const json& ref : *refs) {
      std::string type;
      if (jf::String(ref, "type", type) == Got::kOk && type == "replied_to") jf::Id(ref, "id", m.reply_to);
    }
  }
  // includes.users: expansions=author_id with user.fields=username,public_metrics.
  if (const json* user = FindUser(root, m.author_id)) {
    jf::String(*user, "username", m.author_handle);
    if (const json* metrics = jf::Member(*user, "public_metrics"))
      jf::Count(*metrics, "followers_count", m.followers);
  }
  // in_reply_to_user_id is not asked for; when a payload carries it and the user is expanded,
  // the parent's handle is known.
  std::string in_reply_to_user;
  if (jf::Id(data, "in_reply_to_user_id", in_reply_to_user) == Got::kOk) {
    if (const json* parent = FindUser(root, in_reply_to_user)) jf::String(*parent, "username", m.reply_to_author);
  }
  // The post's address: x.com/<username>/status/<id>, or the form that needs no username.
  m.url = m.author_handle.empty() ? StrCat("https://x.com/i/web/status/", m.id)
                                  : StrCat("https://x.com/", m.author_handle, "/status/", m.id);
  // matching_rules[].tag: the tag given when the rule was added; Faro uses it as the brand hint.
  if (const json* rules = jf::Member(root, "matching_rules"); rules && rules->is_array()) {
    for (const json& rule : *rules) {
      if (jf::String(rule, "tag", m.brand) == Got::kOk && !m.brand.empty()) break;
    }
  }
  return true;
}

std::vector<XStreamError> ReadErrors(const json& errors) {
  std::vector<XStreamError> out;
  if (!errors.is_array()) return out;
  for (const json& e : errors) {
    XStreamError error;
    jf::String(e, "title", error.title);
    jf::String(e, "detail", error.detail);
    jf::String(e, "type", error.type);
    jf::String(e, "disconnect_type", error.disconnect_type);
    out.push_back(std::move(error));
  }
  return out;
}

// Errors after which X closes the stream ("Handling disconnections": operational disconnect).
bool AnnouncesDisconnect(const std::vector<XStreamError>& errors) {
  for (const XStreamError& e : errors) {
    if (!e.disconnect_type.empty() || Contains(e.type, "operational-disconnect") ||
        ContainsIgnoreCase(e.title, "disconnect"))
      return true;
  }
  return false;
}

}  // namespace

XStreamMessage XStreamConnector::Read(std::string_view raw, int64_t line_number) const {
  XStreamMessage message;
  const std::string_view line = StripLineEnd(raw);
  const std::string where = line_number > 0 ? StrCat("line ", line_number) : std::string("line");
  if (IsBlank(line)) {
    message.kind = XStreamMessage::Kind::kKeepAlive;
    message.result.skipped["keep-alive"] = 1;
    return message;
  }
  message.kind = XStreamMessage::Kind::kRejected;
  const json root = jf::Parse(line);
  if (root.is_discarded()) {
    message.result.rejections.push_back(jf::Malformed(where));
    return message;
  }
  if (!root.is_object()) {
    message.result.rejections.push_back(
        ItemRejection{where, "", "not-an-object", StrCat("a stream message is an object, not ", jf::TypeName(root))});
    return message;
  }
  if (const json* errors = jf::Member(root, "errors")) {
    message.errors = ReadErrors(*errors);
    message.disconnect = AnnouncesDisconnect(message.errors);
  }
  if (jf::Member(root, "data") == nullptr) {
    if (jf::Member(root, "errors") != nullptr) {
      message.kind = XStreamMessage::Kind::kErrors;
      message.result.skipped["stream-error"] = 1;
    } else {
      message.result.rejections.push_back(jf::Missing(where, "data"));
    }
    return message;
  }
  MentionRecord m;
  ItemRejection why;
  if (!ReadPost(root, where, m, why)) {
    message.result.rejections.push_back(std::move(why));
    return message;
  }
  message.kind = XStreamMessage::Kind::kPost;
  message.result.mentions.push_back(std::move(m));
  return message;
}

ConvertResult XStreamConnector::Convert(std::string_view line) { return Read(line).result; }

// ---- back-off -------------------------------------------------------------------------------

milliseconds XBackoff::Next(Failure failure, TimePoint now, std::optional<int64_t> reset_unix_seconds) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  switch (failure) {
    case Failure::kDropped:
      return milliseconds(0);
    case Failure::kNetwork:
      ++network_;
      return std::min<milliseconds>(milliseconds(250) * network_, seconds(16));
    case Failure::kHttp: {
      const int doublings = std::min(http_++, 6);  // 5 s · 2^6 = 320 s
      return std::min<milliseconds>(seconds(5) * (1 << doublings), seconds(320));
    }
    case Failure::kRateLimited: {
      const int doublings = std::min(rate_limited_++, 4);  // 1 min · 2^4 = 16 min ≥ 15 min
      milliseconds wait = std::min<milliseconds>(minutes(1) * (1 << doublings), minutes(15));
      if (reset_unix_seconds) {
        const milliseconds until_reset = milliseconds(*reset_unix_seconds * 1000 - ToUnixMillis(now));
        wait = std::max(wait, until_reset);
      }
      return wait;
    }
  }
  return seconds(5);
}

void XBackoff::Connected() { network_ = http_ = rate_limited_ = 0; }

// ---- the client -----------------------------------------------------------------------------

namespace {

// State of one connection, shared with libcurl's callbacks.
struct Connection {
  const XStreamConnector* connector = nullptr;
  const std::function<bool()>* stop_requested = nullptr;  // XStreamOptions::stop_requested
  const XStreamClient::Sink* sink = nullptr;
  XStreamReport* report = nullptr;
  std::size_t max_line_bytes = 0;
  long status = 0;                      // of the last status line seen
  std::optional<int64_t> rate_reset;    // x-rate-limit-reset
  std::string pending;                  // bytes of an unfinished line
  bool skipping = false;                // inside a too-long line
  std::string error_body;               // the body of a non-200 answer (first 4 KiB)
  bool stop = false;                    // the sink asked to stop
  bool disconnect_announced = false;

  void Deliver(std::string_view line) {
    ++report->lines;
    XStreamMessage message = connector->Read(line, report->lines);
    if (message.kind == XStreamMessage::Kind::kKeepAlive) ++report->keep_alives;
    if (message.disconnect) {
      disconnect_announced = true;
      report->events.push_back("operational disconnect");
    }
    report->counts.Add(message.result);
    if (!(*sink)(message)) stop = true;
  }

  void Feed(std::string_view bytes) {
    while (!bytes.empty() && !stop) {
      const std::size_t nl = bytes.find('\n');
      const std::string_view piece = bytes.substr(0, nl);
      if (!skipping) {
        if (pending.size() + piece.size() > max_line_bytes) {
          skipping = true;
          pending.clear();
          ++report->lines;
          XStreamMessage message;
          message.kind = XStreamMessage::Kind::kRejected;
          message.result.rejections.push_back(ItemRejection{StrCat("line ", report->lines), "", "line-too-long",
                                                            StrCat("longer than ", max_line_bytes, " bytes")});
          report->counts.Add(message.result);
          if (!(*sink)(message)) stop = true;
        } else {
          pending.append(piece);
        }
      }
      if (nl == std::string_view::npos) return;
      if (!skipping) Deliver(pending);
      pending.clear();
      skipping = false;
      bytes.remove_prefix(nl + 1);
    }
  }
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* c = static_cast<Connection*>(user);
  const std::string_view header(data, size * count);
  if (header.substr(0, 5) == "HTTP/") {
    c->status = 0;  // a new response (after 100 Continue or a redirect)
    c->rate_reset.reset();
    const std::size_t space = header.find(' ');
    if (space != std::string_view::npos) {
      long status = 0;
      std::from_chars(header.data() + space + 1, header.data() + header.size(), status);
      c->status = status;
    }
  } else if (const std::size_t colon = header.find(':'); colon != std::string_view::npos) {
    if (ToLower(Trim(header.substr(0, colon))) == "x-rate-limit-reset") {
      const std::string_view value = Trim(header.substr(colon + 1));
      int64_t reset = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), reset);
      if (ec == std::errc() && end == value.data() + value.size()) c->rate_reset = reset;
    }
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* c = static_cast<Connection*>(user);
  const std::string_view bytes(data, size * count);
  if (c->status != 200) {
    if (c->error_body.size() < 4096) c->error_body.append(bytes.substr(0, 4096 - c->error_body.size()));
    return bytes.size();
  }
  c->Feed(bytes);
  return c->stop ? 0 : bytes.size();  // 0 makes libcurl end the transfer
}

// libcurl's progress callback: non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* c = static_cast<Connection*>(user);
  return (*c->stop_requested)() ? 1 : 0;
}

}  // namespace

XStreamClient::XStreamClient(XStreamOptions options, const Clock& clock, Sleep sleep)
    : options_(std::move(options)), clock_(clock), sleep_(std::move(sleep)) {
  if (!sleep_) sleep_ = [](milliseconds d) { std::this_thread::sleep_for(d); };
}

absl::Status XStreamClient::Run(const Sink& sink) {
  if (options_.bearer_token.empty()) return absl::InvalidArgumentError("the X bearer token is empty");
  const std::string url = StrCat(options_.base_url, "/2/tweets/search/stream?", XStreamQuery());
  const std::string auth = StrCat("Authorization: Bearer ", options_.bearer_token);
  const auto stop_requested = [this] { return options_.stop_requested && options_.stop_requested(); };
  while (options_.max_connections <= 0 || report_.connections < options_.max_connections) {
    if (stop_requested()) return absl::OkStatus();
    ++report_.connections;
    const int64_t lines_before = report_.lines;
    Connection c;
    c.connector = &connector_;
    c.sink = &sink;
    c.report = &report_;
    c.max_line_bytes = options_.max_line_bytes;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return absl::InternalError("libcurl could not start a transfer");
    curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
    // A stall: less than 1 byte per second for stall_timeout seconds (keep-alives count).
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // X streams gzip when asked
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &c);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &c);
    if (options_.stop_requested) {
      c.stop_requested = &options_.stop_requested;
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &c);
    }
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);

    if (c.status == 200) ++report_.accepted;
    if (c.stop || stop_requested()) return absl::OkStatus();
    XBackoff::Failure failure;
    if (c.status == 200) {
      // The last line may lack its newline when the server closed mid-way: it is still a line.
      if (!c.pending.empty() && !c.skipping) c.Deliver(c.pending);
      if (c.stop) return absl::OkStatus();
      if (report_.lines == lines_before) {
        // Accepted and closed without a byte: reconnecting at once would spin, so this counts
        // as a failed attempt and the back-off keeps growing.
        report_.events.push_back(StrCat("closed before any line: ", curl_easy_strerror(code)));
        failure = XBackoff::Failure::kNetwork;
      } else {
        // Dropped after it was established (closed by X, a stall, a reset): X says reconnect
        // at once, and every back-off sequence starts over.
        backoff_.Connected();
        report_.events.push_back(code == CURLE_OK || c.disconnect_announced
                                     ? std::string("connection closed by X")
                                     : StrCat("network: ", curl_easy_strerror(code)));
        failure = XBackoff::Failure::kDropped;
      }
    } else if (c.status == 0) {
      report_.events.push_back(StrCat("network: ", curl_easy_strerror(code)));
      failure = XBackoff::Failure::kNetwork;
    } else if (c.status == 429) {
      report_.events.push_back("HTTP 429");
      failure = XBackoff::Failure::kRateLimited;
    } else {
      report_.events.push_back(StrCat("HTTP ", c.status));
      if (c.status == 400 || c.status == 404)
        return absl::FailedPreconditionError(StrCat("X refused the stream request with HTTP ", c.status,
                                                    "; retrying cannot help: ", ClipUtf8(c.error_body, 300)));
      failure = XBackoff::Failure::kHttp;
    }
    if (options_.max_connections > 0 && report_.connections >= options_.max_connections) break;
    const milliseconds wait = backoff_.Next(failure, clock_.Now(), c.rate_reset);
    report_.waits.push_back(wait);
    if (wait.count() > 0) sleep_(wait);
  }
  return absl::OkStatus();
}

}  // namespace faro::sources
