// text_bench: how fast Normalise (and DetectLang) run on mention-sized text.
//
// Builds a few thousand varied mentions (Spanish and English, accents, emoji, hashtags,
// mentions, URLs, elongations, styled letters) of 150–280 bytes from a fixed seed, then
// normalises all of them in a loop for a fixed number of passes, five times, and prints
// ns/mention and MB/s (thread CPU time) for each round and their median. Not a test: numbers depend on the
// machine. Usage: text_bench [passes-per-round]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <ctime>
#include <vector>

#include "text/language.hpp"
#include "text/normalise.hpp"

namespace {

const char* const kPieces[] = {
    "se cayó whatsapp otra vez", "no me llegan los mensajes", "¿A alguien más le pasa?",
    "hace dos horas que no anda", "#WhatsAppCaído", "#InstagramDown", "@MovistarAR",
    "@AcmeSupport", "https://t.co/AbC123xyz", "www.marca.com/Ofertas?id=42", "😡😡",
    "👍🏽", "🇦🇷", "❤️", "😂😂😂", "👩‍💻", "nooooo", "graciasss", "siiii",
    "is instagram down for anyone else?", "can't send messages, it's been an hour",
    "worst customer service ever", "thanks for the quick reply!", "the app keeps crashing",
    "Pésima atención al cliente", "me encanta el nuevo local", "ÁRBOL", "año nuevo",
    "𝐰𝐡𝐚𝐭𝐬𝐚𝐩𝐩 no anda", ":)", "xD", "<3", ":'(", "RT", "1.000 pesos", "10:30hs",
    "pedido #4512 sin entregar", "don’t buy from them", "Excelente servicio, gracias",
    "todo funciona de nuevo 🙌", "the outage is still going on", "jajaja", "lol",
    "ya volvió", "still down here in Boston", "Córdoba sin señal", "refund please",
};
constexpr std::size_t kPieceCount = sizeof(kPieces) / sizeof(kPieces[0]);

// English-only ASCII pieces, for the share of mentions that take the ASCII fast path.
const char* const kAsciiPieces[] = {
    "is instagram down for anyone else?", "@AcmeSupport", "https://t.co/AbC123xyz",
    "worst customer service ever", "#InstagramDown", "thanks for the quick reply!", ":)",
    "the app keeps crashing", "sooooo slow today", "lol", "refund please", "xD",
    "still down here in Boston", "can't send messages, it's been an hour",
};
constexpr std::size_t kAsciiPieceCount = sizeof(kAsciiPieces) / sizeof(kAsciiPieces[0]);

std::vector<std::string> MakeMentions(std::size_t count) {
  std::mt19937 rng(20211004);  // fixed seed: the same corpus on every run
  std::vector<std::string> mentions;
  mentions.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const bool ascii_only = i % 3 == 0;  // a third pure ASCII, like English posts
    const std::size_t target = 150 + rng() % 131;  // 150–280 bytes
    std::string m;
    while (m.size() < target) {
      const char* piece = ascii_only ? kAsciiPieces[rng() % kAsciiPieceCount]
                                     : kPieces[rng() % kPieceCount];
      if (!m.empty()) m += ' ';
      m += piece;
    }
    mentions.push_back(std::move(m));
  }
  return mentions;
}

// CPU time of this thread: the machine may be shared, and wall time would count the time
// other processes hold the core.
double ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int passes = argc > 1 ? std::atoi(argv[1]) : 200;
  if (passes <= 0) {
    std::fprintf(stderr, "text_bench: passes must be a positive number, got '%s'\n", argv[1]);
    return 2;
  }
  const std::vector<std::string> mentions = MakeMentions(4000);
  std::size_t bytes = 0;
  for (const std::string& m : mentions) bytes += m.size();
  std::printf("corpus: %zu mentions, %.1f bytes average, %d passes per round\n",
              mentions.size(), static_cast<double>(bytes) / mentions.size(), passes);

  faro::Normaliser normaliser;
  faro::NormalisedText out;
  std::uint64_t sink = 0;
  for (const std::string& m : mentions) {  // warm up: buffers reach their size
    normaliser.Normalise(m, out);
    sink += out.tokens.size();
  }

  std::vector<double> norm_ns, both_ns;
  for (int round = 0; round < 5; ++round) {
    const double start = ThreadCpuNs();
    for (int p = 0; p < passes; ++p) {
      for (const std::string& m : mentions) {
        normaliser.Normalise(m, out);
        sink += out.tokens.size();
      }
    }
    const double mid = ThreadCpuNs();
    for (int p = 0; p < passes; ++p) {
      for (const std::string& m : mentions) {
        normaliser.Normalise(m, out);
        sink += static_cast<std::uint64_t>(faro::DetectLang(out));
      }
    }
    const double end = ThreadCpuNs();
    const double n = static_cast<double>(mentions.size()) * passes;
    const double t1 = mid - start;
    const double t2 = end - mid;
    norm_ns.push_back(t1 / n);
    both_ns.push_back(t2 / n);
    std::printf("round %d: Normalise %.1f ns/mention (%.0f MB/s); +DetectLang %.1f ns/mention\n",
                round + 1, t1 / n, bytes * passes / (t1 / 1e9) / 1e6, t2 / n);
  }
  // The two halves of the corpus apart: pure ASCII (no Unicode pass) and the rest.
  std::vector<const std::string*> ascii, other;
  for (const std::string& m : mentions) {
    const bool is_ascii = std::all_of(m.begin(), m.end(), [](char c) { return (c & 0x80) == 0; });
    (is_ascii ? ascii : other).push_back(&m);
  }
  for (auto* part : {&ascii, &other}) {
    std::vector<double> ns;
    for (int round = 0; round < 5; ++round) {
      const double start = ThreadCpuNs();
      for (int p = 0; p < passes; ++p) {
        for (const std::string* m : *part) {
          normaliser.Normalise(*m, out);
          sink += out.tokens.size();
        }
      }
      ns.push_back((ThreadCpuNs() - start) / (static_cast<double>(part->size()) * passes));
    }
    std::printf("%s mentions (%zu): median Normalise %.1f ns/mention\n",
                part == &ascii ? "pure-ASCII" : "non-ASCII", part->size(), Median(ns));
  }
  const double med = Median(norm_ns);
  std::printf("median: Normalise %.1f ns/mention, %.0f MB/s; Normalise+DetectLang %.1f "
              "ns/mention\n",
              med, static_cast<double>(bytes) / mentions.size() / med * 1e3, Median(both_ns));
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(sink));
  return 0;
}
