// Benchmarks of the durable outbox. Each subcommand prints one JSON line of results:
//
//   enqueue   accepted messages/s of Outbox::Enqueue with P producer threads, batches of B
//             (B = 1: single-message callers, combined by the outbox's group commit);
//             with --raw-sqlite instead: plain SQLite on the same disk, same table, one thread.
//   reroute   time of MarkDown("whatsapp") moving every queued message to the contact's next
//             channel (one recorded hop each), and of MarkUp bringing them back.
//   deliver   a Dispatcher sending N messages through a real channel adapter to its local fake
//             provider, rate-limited to the provider's documented limit.
//
// See bench/outbox/README.md for what each figure means and bench/outbox/run for the repeats.
#include <sqlite3.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "channels/registry.hpp"
#include "config/yaml_reader.hpp"
#include "core/strings.hpp"
#include "fake_server.hpp"
#include "outbox/directory.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/outbox.hpp"
#include "outbox/test_world.hpp"
#include "store/sqlite.hpp"

namespace faro::bench {
namespace {

using Json = nlohmann::ordered_json;
using Seconds = std::chrono::duration<double>;
using SteadyClock = std::chrono::steady_clock;

// The notice a business sends when a platform fails: about the size of a real one.
constexpr const char* kNoticeText =
    "Hola, nuestro WhatsApp no funciona hoy. Seguimos atendiendo por Telegram: t.me/nutricion_ana";

double Since(SteadyClock::time_point start) { return Seconds(SteadyClock::now() - start).count(); }

// The value at quantile q (0..1) of `values`, which it sorts; 0 when empty.
double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t i = std::min(values.size() - 1, static_cast<size_t>(q * static_cast<double>(values.size())));
  return values[i];
}

double Round(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

void RemoveDb(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ignored);
}

int Fail(std::string_view what, const absl::Status& status) {
  std::cerr << "outbox_bench: " << what << ": " << faro::Message(status) << "\n";
  return 1;
}

absl::StatusOr<store::Durability> ParseDurability(const std::string& text) {
  if (text == "power-loss") return store::Durability::kPowerLoss;
  if (text == "process-crash") return store::Durability::kProcessCrash;
  return absl::InvalidArgumentError(StrCat("--durability: expected power-loss or process-crash, got \"", text, "\""));
}

// People with every identity and consent the benchmarks need: WhatsApp and SMS opt-in, an
// email address and a Telegram chat that wrote to the bot.
contacts::Contact Customer(int64_t id) {
  contacts::Contact c = outbox::testing::Person(id);
  c.telegram = std::to_string(700000000 + id);
  c.consent["sms"] = {contacts::ConsentState::kOptedIn, {}, "bench"};
  return c;
}

void FillDirectory(outbox::MemoryDirectory& directory, int64_t people, bool with_telegram) {
  for (int64_t id = 1; id <= people; ++id)
    directory.Put(with_telegram ? Customer(id) : outbox::testing::Person(id));
}

outbox::NewMessage Notice(std::string key, int64_t contact_id, std::string channel = {}) {
  outbox::NewMessage m;
  m.idempotency_key = std::move(key);
  m.contact_id = contact_id;
  m.text = kNoticeText;
  m.channel = std::move(channel);
  return m;
}

// Counts the transactions committed on a connection: SQLite calls the WAL hook after each
// commit in WAL mode. Installing a hook replaces SQLite's automatic checkpoint (which is itself
// a WAL hook), so the hook does what the default one does: checkpoint at 1000 pages.
struct CommitCounter {
  std::atomic<int64_t> commits{0};
  static int Hook(void* self, sqlite3* db, const char* name, int pages) {
    static_cast<CommitCounter*>(self)->commits.fetch_add(1, std::memory_order_relaxed);
    if (pages >= 1000) sqlite3_wal_checkpoint(db, name);
    return SQLITE_OK;
  }
};

// ---------------------------------------------------------------------------------- enqueue

struct EnqueueArgs {
  int64_t messages = 200000;
  int producers = 64;
  int batch = 1;
  int64_t people = 100000;
  std::string durability = "power-loss";
  std::string db;
  bool raw = false;
  int64_t raw_single = 20000;  // rows for the single-row-transaction phase of --raw-sqlite
  std::string raw_schema = "outbox";
};

int RunEnqueue(const EnqueueArgs& args) {
  const auto durability = ParseDurability(args.durability);
  if (!durability.ok()) return Fail("enqueue", durability.status());
  RemoveDb(args.db);
  outbox::MemoryDirectory directory;
  FillDirectory(directory, args.people, false);
  SystemClock clock;
  auto opened = outbox::Outbox::Open(args.db, outbox::testing::BusinessChannels(), &directory, &clock,
                                     outbox::OutboxOptions{*durability});
  if (!opened.ok()) return Fail("cannot open the outbox", opened.status());
  std::unique_ptr<outbox::Outbox> box = std::move(*opened);
  CommitCounter counter;
  const absl::Status hooked = box->WithDb("commit counter", [&](SQLite::Database& db) {
    sqlite3_wal_hook(db.getHandle(), &CommitCounter::Hook, &counter);
  });
  if (!hooked.ok()) return Fail("enqueue", hooked);

  // Every producer's batches are built before the clock starts: the figure is the outbox's.
  const int producers = std::max(1, args.producers);
  const int batch = std::max(1, args.batch);
  std::vector<std::vector<std::vector<outbox::NewMessage>>> work(producers);
  int64_t next = 0;
  for (int64_t b = 0; next < args.messages; ++b) {
    std::vector<outbox::NewMessage> messages;
    for (int i = 0; i < batch && next < args.messages; ++i, ++next)
      messages.push_back(Notice(StrCat("bench-", next), next % args.people + 1));
    work[b % producers].push_back(std::move(messages));
  }

  std::atomic<int64_t> accepted{0}, refused{0};
  std::vector<std::vector<double>> latencies(producers);
  std::mutex error_mutex;
  std::string error;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      latencies[p].reserve(work[p].size());
      ++ready;
      while (!go.load()) std::this_thread::yield();
      for (auto& messages : work[p]) {
        const auto t0 = SteadyClock::now();
        auto result = box->Enqueue(std::move(messages));
        latencies[p].push_back(Since(t0) * 1000.0);
        if (!result.ok()) {
          std::lock_guard lock(error_mutex);
          error = faro::Message(result.status());
          return;
        }
        for (const outbox::Accepted& a : *result) (a.state == outbox::State::kQueued ? accepted : refused)++;
      }
    });
  }
  while (ready.load() < producers) std::this_thread::yield();
  const int64_t commits_before = counter.commits.load();
  const auto start = SteadyClock::now();
  go = true;
  for (std::thread& t : threads) t.join();
  const double seconds = Since(start);
  const int64_t commits = counter.commits.load() - commits_before;
  if (!error.empty()) {
    std::cerr << "outbox_bench: enqueue failed: " << error << "\n";
    return 1;
  }

  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  int64_t stored = 0;
  if (const auto counts = box->CountsByChannel(); counts.ok())
    for (const auto& [channel, c] : *counts) stored += c.queued + c.held;
  box.reset();
  RemoveDb(args.db);

  Json out;
  out["bench"] = "enqueue";
  out["durability"] = args.durability;
  out["producers"] = producers;
  out["batch"] = batch;
  out["messages"] = args.messages;
  out["accepted"] = accepted.load();
  out["refused"] = refused.load();
  out["stored"] = stored;
  out["seconds"] = Round(seconds, 4);
  out["accepted_per_s"] = Round(static_cast<double>(accepted.load()) / seconds, 0);
  out["commits"] = commits;
  out["messages_per_commit"] = commits > 0 ? Round(static_cast<double>(accepted.load()) / commits, 1) : 0.0;
  out["commits_per_s"] = Round(static_cast<double>(commits) / seconds, 0);
  out["call_p50_ms"] = Round(Quantile(all, 0.50), 3);
  out["call_p99_ms"] = Round(Quantile(all, 0.99), 3);
  std::cout << out.dump() << std::endl;
  return accepted.load() == args.messages ? 0 : 1;
}

// Plain SQLite on the same disk: the outbox's own table definition (same columns, unique key
// and indexes; or, with --raw-schema bare, the columns alone) and the same pragmas
// (store::Open), one thread, one prepared statement, rows like the ones Enqueue writes.
// Phase 1: one row per transaction; phase 2: 100 rows per transaction.
int RunRawSqlite(const EnqueueArgs& args) {
  if (args.raw_schema != "outbox" && args.raw_schema != "bare") {
    std::cerr << "outbox_bench: --raw-schema: expected outbox or bare\n";
    return 2;
  }
  const auto durability = ParseDurability(args.durability);
  if (!durability.ok()) return Fail("raw-sqlite", durability.status());
  RemoveDb(args.db);
  auto opened = store::Open(args.db, *durability);
  if (!opened.ok()) return Fail("raw-sqlite", opened.status());
  std::unique_ptr<SQLite::Database> db = std::move(*opened);
  double single_s = 0, batch_s = 0;
  const int64_t single_rows = args.raw_single, batch_rows = args.messages;
  const absl::Status status = store::Guard("raw sqlite", [&] {
    const std::string_view schema = outbox::MessageTableSchema();
    if (args.raw_schema == "outbox") {
      db->exec(std::string(schema));
    } else {
      // The same columns without the unique key and the secondary indexes: one b-tree per row.
      std::string table(schema.substr(0, schema.find(';') + 1));
      table.erase(table.find(" UNIQUE"), std::string_view(" UNIQUE").size());
      db->exec(table);
    }
    // The statement Enqueue runs (an idempotency-key conflict is no error there either).
    SQLite::Statement insert(*db, StrCat(
        "INSERT INTO outbox_message (idempotency_key, contact_id, template, subject, body, vars, broadcast_id, "
        "channel, preferred, pinned, state, due_ms, created_ms, last_detail, refused) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        args.raw_schema == "outbox" ? " ON CONFLICT(idempotency_key) DO NOTHING" : ""));
    int64_t key = 0;
    auto row = [&] {
      const int64_t now_ms = ToUnixMillis(std::chrono::system_clock::now());
      insert.bind(1, StrCat("raw-", key));
      insert.bind(2, key % args.people + 1);
      insert.bind(3, "");
      insert.bind(4, "");
      insert.bind(5, kNoticeText);
      insert.bind(6, "{}");
      insert.bind(7, 0);
      insert.bind(8, "whatsapp");
      insert.bind(9, "whatsapp");
      insert.bind(10, 0);
      insert.bind(11, 0);
      insert.bind(12, now_ms);
      insert.bind(13, now_ms);
      insert.bind(14, "");
      insert.bind(15, "");
      insert.exec();
      insert.reset();
      ++key;
    };
    auto start = SteadyClock::now();
    for (int64_t i = 0; i < single_rows; ++i) {
      db->exec("BEGIN IMMEDIATE");
      row();
      db->exec("COMMIT");
    }
    single_s = Since(start);
    start = SteadyClock::now();
    for (int64_t i = 0; i < batch_rows; i += 100) {
      db->exec("BEGIN IMMEDIATE");
      for (int64_t j = i; j < std::min(batch_rows, i + 100); ++j) row();
      db->exec("COMMIT");
    }
    batch_s = Since(start);
  });
  db.reset();
  RemoveDb(args.db);
  if (!status.ok()) return Fail("raw-sqlite", status);
  Json out;
  out["bench"] = "raw-sqlite";
  out["schema"] = args.raw_schema;
  out["durability"] = args.durability;
  out["single_rows"] = single_rows;
  out["single_seconds"] = Round(single_s, 4);
  out["single_tx_per_s"] = Round(static_cast<double>(single_rows) / single_s, 0);
  out["batch100_rows"] = batch_rows;
  out["batch100_seconds"] = Round(batch_s, 4);
  out["batch100_rows_per_s"] = Round(static_cast<double>(batch_rows) / batch_s, 0);
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---------------------------------------------------------------------------------- reroute

struct RerouteArgs {
  int64_t queued = 100000;
  int64_t sent_history = 0;  // messages already sent before the outage (rows that stay in the table)
  std::string durability = "power-loss";
  std::string db;
};

int RunReroute(const RerouteArgs& args) {
  const auto durability = ParseDurability(args.durability);
  if (!durability.ok()) return Fail("reroute", durability.status());
  RemoveDb(args.db);
  outbox::MemoryDirectory directory;
  const int64_t people = std::max<int64_t>(args.queued, 100000);
  FillDirectory(directory, people, false);
  SystemClock clock;
  auto opened = outbox::Outbox::Open(args.db, outbox::testing::BusinessChannels(), &directory, &clock,
                                     outbox::OutboxOptions{*durability});
  if (!opened.ok()) return Fail("cannot open the outbox", opened.status());
  std::unique_ptr<outbox::Outbox> box = std::move(*opened);

  // Not timed: the history of a busy outbox (already sent, still in the table), then one
  // queued message per person, all routed to WhatsApp (everyone opted in there).
  const auto fill_start = SteadyClock::now();
  for (int64_t i = 0; i < args.sent_history;) {
    std::vector<outbox::NewMessage> batch;
    for (int j = 0; j < 5000 && i < args.sent_history; ++j, ++i)
      batch.push_back(Notice(StrCat("h-", i), i % people + 1));
    const auto result = box->Enqueue(std::move(batch));
    if (!result.ok()) return Fail("cannot fill the outbox", result.status());
  }
  if (args.sent_history > 0) {
    const absl::Status sent = box->WithDb("mark the history sent", [&](SQLite::Database& db) {
      db.exec("UPDATE outbox_message SET state = 2, provider_id = 'wamid.bench', done_ms = created_ms");
    });
    if (!sent.ok()) return Fail("reroute", sent);
  }
  for (int64_t i = 0; i < args.queued;) {
    std::vector<outbox::NewMessage> batch;
    for (int j = 0; j < 5000 && i < args.queued; ++j, ++i) batch.push_back(Notice(StrCat("r-", i), i % people + 1));
    const auto result = box->Enqueue(std::move(batch));
    if (!result.ok()) return Fail("cannot fill the outbox", result.status());
  }
  const double fill_s = Since(fill_start);
  auto queued_on = [&](const std::string& channel) -> int64_t {
    const auto counts = box->CountsByChannel();
    if (!counts.ok() || !counts->contains(channel)) return 0;
    return counts->at(channel).queued;
  };
  const int64_t on_whatsapp = queued_on("whatsapp");

  auto start = SteadyClock::now();
  const auto down = box->MarkDown("whatsapp", "operator", "benchmark: WhatsApp outage");
  const double down_s = Since(start);
  if (!down.ok()) return Fail("MarkDown", down.status());
  const int64_t on_email_after_down = queued_on("email");
  const int64_t on_whatsapp_after_down = queued_on("whatsapp");

  start = SteadyClock::now();
  const auto up = box->MarkUp("whatsapp", "operator");
  const double up_s = Since(start);
  if (!up.ok()) return Fail("MarkUp", up.status());
  const int64_t on_whatsapp_after_up = queued_on("whatsapp");

  int64_t hops = 0;
  (void)box->WithDb("count hops", [&](SQLite::Database& db) {
    hops = db.execAndGet("SELECT COUNT(*) FROM outbox_hop").getInt64();
  });
  box.reset();
  RemoveDb(args.db);

  Json out;
  out["bench"] = "reroute";
  out["durability"] = args.durability;
  out["queued"] = args.queued;
  out["sent_history"] = args.sent_history;
  out["fill_seconds"] = Round(fill_s, 3);
  out["queued_on_whatsapp"] = on_whatsapp;
  out["down_moved"] = *down;
  out["down_seconds"] = Round(down_s, 4);
  out["down_moved_per_s"] = Round(static_cast<double>(*down) / down_s, 0);
  out["queued_on_email_after_down"] = on_email_after_down;
  out["queued_on_whatsapp_after_down"] = on_whatsapp_after_down;
  out["up_moved"] = *up;
  out["up_seconds"] = Round(up_s, 4);
  out["up_moved_per_s"] = Round(static_cast<double>(*up) / up_s, 0);
  out["queued_on_whatsapp_after_up"] = on_whatsapp_after_up;
  out["hops_recorded"] = hops;
  std::cout << out.dump() << std::endl;
  const bool ok = *down == args.queued && *up == args.queued && on_whatsapp_after_up == args.queued;
  if (!ok) std::cerr << "outbox_bench: reroute moved fewer messages than were queued\n";
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------- deliver

// Wraps the real adapter to time each Send (the provider round trip as the worker sees it) and
// to note when the last accepted answer came back.
class TimedChannel final : public channels::Channel {
 public:
  explicit TimedChannel(channels::Channel* inner) : inner_(inner) {}
  channels::SendResult Send(const channels::Delivery& delivery) override {
    const auto t0 = SteadyClock::now();
    channels::SendResult r = inner_->Send(delivery);
    const auto t1 = SteadyClock::now();
    std::lock_guard lock(mutex_);
    latencies_ms_.push_back(Seconds(t1 - t0).count() * 1000.0);
    kinds_[std::string(channels::ResultKindName(r.kind))]++;
    if (r.kind == channels::ResultKind::kAccepted) {
      if (accepted_ == 0) first_accepted_ = t1;
      last_accepted_ = t1;
      ++accepted_;
    }
    return r;
  }
  channels::AddressKind address_kind() const override { return inner_->address_kind(); }
  channels::Limits limits() const override { return inner_->limits(); }

  std::mutex mutex_;
  std::vector<double> latencies_ms_;
  std::map<std::string, int64_t> kinds_;
  int64_t accepted_ = 0;
  SteadyClock::time_point first_accepted_{}, last_accepted_{};

 private:
  channels::Channel* inner_;
};

struct DeliverArgs {
  int64_t messages = 150;
  std::string channel = "telegram";
  double rate = 0;  // 0: the provider's documented limit
  int burst = 0;    // 0: the adapter's default
  int concurrency = 0;
  std::string db;
};

bool WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path);
  f << text << "\n";
  return static_cast<bool>(f);
}

int RunDeliver(const DeliverArgs& args) {
  // What each provider allows (see the reference notes on provider limits), and what its fake
  // is started with so that it answers "rate limited" above exactly that.
  struct Provider {
    std::string script, type, platform;
    double limit;
    channels::AddressKind kind;
    outbox::ConsentRule consent;
  };
  const std::map<std::string, Provider> providers = {
      {"telegram", {"telegram.py", "telegram_bot", "telegram", 30, channels::AddressKind::kTelegram,
                    outbox::ConsentRule::kNotOptedOut}},
      {"whatsapp", {"whatsapp.py", "whatsapp_cloud", "whatsapp", 80, channels::AddressKind::kPhone,
                    outbox::ConsentRule::kOptIn}},
      {"sms", {"twilio.py", "twilio_sms", "", 100, channels::AddressKind::kPhone, outbox::ConsentRule::kOptIn}},
      // A webhook has no per-person address and is no customer channel; here it is routed as
      // if it wrote to the contact's phone, only so the dispatcher drives the real adapter.
      {"webhook", {"webhook_sink.py", "webhook", "", 100, channels::AddressKind::kPhone,
                   outbox::ConsentRule::kNotOptedOut}},
  };
  const auto found = providers.find(args.channel);
  if (found == providers.end()) {
    std::cerr << "outbox_bench: --channel: expected telegram, whatsapp, sms or webhook\n";
    return 2;
  }
  const Provider& p = found->second;
  const double limit = args.rate > 0 ? args.rate : p.limit;

  const char* tmp_base = std::getenv("TMPDIR");
  std::string dir_template = StrCat(tmp_base && *tmp_base ? tmp_base : "/tmp", "/faro-outbox-bench.XXXXXX");
  std::vector<char> dir_buf(dir_template.begin(), dir_template.end());
  dir_buf.push_back('\0');
  if (mkdtemp(dir_buf.data()) == nullptr) {
    std::cerr << "outbox_bench: cannot make a temporary directory\n";
    return 1;
  }
  const std::filesystem::path dir(dir_buf.data());
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};
  const std::string db_path = args.db.empty() ? (dir / "outbox.db").string() : args.db;
  RemoveDb(db_path);

  const std::string limit_text = StrCat(limit);
  const std::string rate_text = StrCat(limit_text, "/s");
  std::vector<std::string> fake_args;
  std::string yaml;
  if (args.channel == "telegram") {
    fake_args = {"--rate", limit_text, "--burst", limit_text};
    WriteFile(dir / "telegram.token", "123456:TEST-token_abc");
    yaml = StrCat("id: telegram\ntype: telegram_bot\nplatform: telegram\ntoken_file: telegram.token\nrate: ", rate_text, "\n");
  } else if (args.channel == "whatsapp") {
    fake_args = {"--rate", limit_text, "--burst", limit_text};
    WriteFile(dir / "whatsapp.token", "EAAG-test-token");
    yaml = StrCat("id: whatsapp\ntype: whatsapp_cloud\nplatform: whatsapp\nphone_number_id: \"106540352242922\"\n",
                  "token_file: whatsapp.token\nrate: ", rate_text, "\n");
  } else if (args.channel == "sms") {
    fake_args = {"--rate", limit_text};
    WriteFile(dir / "twilio.token", "test_auth_token");
    yaml = StrCat("id: sms\ntype: twilio_sms\naccount_sid: AC", std::string(32, '0'),
                  "\ntoken_file: twilio.token\nfrom: \"+15005550006\"\nrate: ", rate_text, "\n");
  } else {
    WriteFile(dir / "webhook.secret", "bench-webhook-secret");
    yaml = StrCat("id: webhook\ntype: webhook\nsecret_file: webhook.secret\nrate: ", rate_text, "\n");
  }
  if (args.burst > 0) yaml += StrCat("burst: ", args.burst, "\n");
  if (args.concurrency > 0) yaml += StrCat("concurrency: ", args.concurrency, "\n");

  std::unique_ptr<testing::FakeServer> fake;
  try {
    fake = std::make_unique<testing::FakeServer>(p.script, fake_args);
  } catch (const std::exception& e) {
    std::cerr << "outbox_bench: " << e.what() << "\n";
    return 1;
  }
  if (args.channel == "webhook") yaml += StrCat("url: ", fake->base_url(), "/hook\n");
  else yaml += StrCat("base_url: ", fake->base_url(), "\n");

  YAML::Node node = YAML::Load(yaml);
  YamlReader reader("bench.yaml", dir);
  channels::ChannelConfig config;
  config.id = args.channel;
  config.type = p.type;
  config.platform = p.platform;
  config.node = &node;
  config.path = "channels[0]";
  config.reader = &reader;
  auto created = channels::CreateChannel(config);
  if (!created.ok()) return Fail("cannot create the channel", created.status());
  TimedChannel timed(created->get());
  const channels::Limits limits = timed.limits();

  outbox::MemoryDirectory directory;
  FillDirectory(directory, std::max<int64_t>(args.messages, 1000), true);
  SystemClock clock;
  outbox::RoutingTable routing({{args.channel, p.type, p.platform, p.kind, p.consent, ""}});
  auto opened = outbox::Outbox::Open(db_path, routing, &directory, &clock);
  if (!opened.ok()) return Fail("cannot open the outbox", opened.status());
  std::unique_ptr<outbox::Outbox> box = std::move(*opened);
  for (int64_t i = 0; i < args.messages;) {
    std::vector<outbox::NewMessage> batch;
    for (int j = 0; j < 1000 && i < args.messages; ++j, ++i) batch.push_back(Notice(StrCat("d-", i), i + 1, args.channel));
    const auto result = box->Enqueue(std::move(batch));
    if (!result.ok()) return Fail("cannot fill the outbox", result.status());
    for (const auto& a : *result)
      if (a.state != outbox::State::kQueued) {
        std::cerr << "outbox_bench: a message was not queued: " << a.reason << "\n";
        return 1;
      }
  }

  outbox::Renderer render = [](const outbox::Message& m, const contacts::Contact& c,
                               const outbox::ChannelInfo&) -> absl::StatusOr<channels::Content> {
    channels::Content content;
    content.text = m.text;
    content.whatsapp_template = channels::WhatsAppTemplate{"aviso_canal", "es", {c.name}};
    return content;
  };
  outbox::Dispatcher dispatcher(*box, {{args.channel, &timed}}, render, nullptr);
  const auto start = SteadyClock::now();
  dispatcher.Start();
  // Bounded: several times what the limit allows, plus slack for a slow machine.
  const double budget_s = 30.0 + 5.0 * static_cast<double>(args.messages) / limit;
  bool timed_out = false;
  for (;;) {
    const auto s = dispatcher.stats();
    if (s.sent + s.failed >= args.messages) break;
    if (Since(start) > budget_s) {
      timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  dispatcher.Stop();
  const outbox::DispatchStats stats = dispatcher.stats();

  Json fake_stats;
  if (args.channel != "webhook") {
    const std::string text = fake->Get("/_fake/stats");
    fake_stats = Json::parse(text, nullptr, false);
  }
  fake.reset();
  box.reset();
  RemoveDb(db_path);

  std::lock_guard lock(timed.mutex_);
  const double seconds = Seconds(timed.last_accepted_ - start).count();
  const double steady_s = Seconds(timed.last_accepted_ - timed.first_accepted_).count();
  Json out;
  out["bench"] = "deliver";
  out["channel"] = args.channel;
  out["type"] = p.type;
  out["messages"] = args.messages;
  out["provider_limit_per_s"] = limit;
  out["adapter_rate_per_s"] = Round(limits.overall.PerSecond(), 3);
  out["adapter_burst"] = limits.burst;
  out["adapter_concurrency"] = limits.concurrency;
  out["sent"] = stats.sent;
  out["failed"] = stats.failed;
  out["timed_out"] = timed_out;
  out["seconds"] = Round(seconds, 3);
  out["sent_per_s"] = seconds > 0 ? Round(static_cast<double>(timed.accepted_) / seconds, 2) : 0.0;
  // From the first accepted answer to the last: the rate once the initial burst is spent.
  out["steady_per_s"] = steady_s > 0 ? Round(static_cast<double>(timed.accepted_ - 1) / steady_s, 2) : 0.0;
  out["of_limit"] = seconds > 0 ? Round(static_cast<double>(timed.accepted_) / seconds / limit, 3) : 0.0;
  // The fake answers its stats unless it died or hung during the run (then the run fails).
  out["provider_answered_stats"] = args.channel == "webhook" ? Json(nullptr) : Json(fake_stats.is_object());
  if (fake_stats.is_object()) {
    out["provider_requests"] = fake_stats.value("requests", 0);
    out["provider_accepted"] = fake_stats.value("accepted", 0);
    out["provider_rate_limited"] = fake_stats.value("rate_limited", 0);
  } else {
    out["provider_rate_limited"] = nullptr;  // the webhook sink has no limit and counts none
  }
  out["dispatcher_rate_limited"] = stats.rate_limited;
  out["dispatcher_retried"] = stats.retried;
  out["results"] = timed.kinds_;
  out["send_p50_ms"] = Round(Quantile(timed.latencies_ms_, 0.50), 2);
  out["send_p95_ms"] = Round(Quantile(timed.latencies_ms_, 0.95), 2);
  std::cout << out.dump() << std::endl;
  const bool fake_ok = args.channel == "webhook" || fake_stats.is_object();
  return !timed_out && fake_ok && stats.sent == args.messages ? 0 : 1;
}

}  // namespace
}  // namespace faro::bench

int main(int argc, char** argv) {
  using namespace faro::bench;
  CLI::App app{"Benchmarks of Faro's durable outbox; each subcommand prints one JSON line."};
  app.require_subcommand(1);

  EnqueueArgs enqueue;
  auto* e = app.add_subcommand("enqueue", "accepted messages/s of Outbox::Enqueue (or plain SQLite with --raw-sqlite)");
  e->add_option("--messages", enqueue.messages, "messages to enqueue (rows per phase with --raw-sqlite)");
  e->add_option("--producers", enqueue.producers, "threads calling Enqueue at once");
  e->add_option("--batch", enqueue.batch, "messages per Enqueue call (1: single-message callers)");
  e->add_option("--people", enqueue.people, "contacts in the MemoryDirectory");
  e->add_option("--durability", enqueue.durability, "power-loss (fsync every commit) or process-crash");
  e->add_option("--db", enqueue.db, "database file (removed before and after)")->required();
  e->add_flag("--raw-sqlite", enqueue.raw, "measure plain SQLite instead: single-row transactions, then batches of 100");
  e->add_option("--raw-single", enqueue.raw_single, "rows for the single-row-transaction phase of --raw-sqlite");
  e->add_option("--raw-schema", enqueue.raw_schema,
                "outbox: the outbox's table, unique key and indexes (default); bare: the columns alone");

  RerouteArgs reroute;
  auto* r = app.add_subcommand("reroute", "time MarkDown/MarkUp of WhatsApp with N messages queued");
  r->add_option("--queued", reroute.queued, "messages queued on WhatsApp before the outage");
  r->add_option("--sent-history", reroute.sent_history, "messages already sent before the outage (kept in the table)");
  r->add_option("--durability", reroute.durability, "power-loss or process-crash");
  r->add_option("--db", reroute.db, "database file (removed before and after)")->required();

  DeliverArgs deliver;
  auto* d = app.add_subcommand("deliver", "send N messages through a real adapter to its local fake provider");
  d->add_option("--messages", deliver.messages, "messages to send");
  d->add_option("--channel", deliver.channel, "telegram, whatsapp, sms or webhook");
  d->add_option("--rate", deliver.rate, "the provider's limit in messages/s (default: documented: telegram 30, "
                                        "whatsapp 80, sms 100, webhook 100); the adapter is configured with it");
  d->add_option("--burst", deliver.burst, "the adapter's burst (default: the adapter's own default)");
  d->add_option("--concurrency", deliver.concurrency, "the adapter's sends in flight (default: the adapter's)");
  d->add_option("--db", deliver.db, "database file (default: in a temporary directory)");

  CLI11_PARSE(app, argc, argv);
  if (e->parsed()) return enqueue.raw ? RunRawSqlite(enqueue) : RunEnqueue(enqueue);
  if (r->parsed()) return RunReroute(reroute);
  return RunDeliver(deliver);
}
