#include "mention_stream.hpp"

#include <algorithm>
#include <cstring>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::bench {
namespace {

// SplitMix64: fully specified, so the stream is the same on every machine and library.
struct Random {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  bool Chance(int percent) { return Below(100) < static_cast<std::size_t>(percent); }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) { return items[Below(N)]; }
};

constexpr const char* kOpenersEs[] = {
    "Hoy fui al centro y", "¿Alguien sabe si", "No puedo creer que", "Me encanta cuando", "Otra vez,",
    "Qué lindo día, pero", "Ayer a la tarde", "Mi hermana dice que", "Atención:", "Les cuento que",
    "Jajaja no puede ser,", "Buenísimo:", "Una pena,", "Por fin", "Che,"};
constexpr const char* kBodiesEs[] = {
    "el café estaba buenísimo y la atención fue muy amable",
    "la atención fue pésima y nadie responde los mensajes",
    "el colectivo tardó una hora y llegué tarde al trabajo",
    "los precios subieron muchísimo este mes en el súper",
    "la serie nueva está increíble, no puedo parar de verla",
    "hay un corte de luz en todo el barrio desde la mañana",
    "el partido de anoche fue un desastre total para el equipo",
    "mi perro aprendió a abrir la puerta de la cocina solo",
    "recomiendo la panadería sol, el pan de masa madre es otro nivel",
    "pedí en Panadería Sol y el pedido llegó tarde y frío",
    "whatsapp no funciona desde hace una hora, ¿a alguien más le pasa?",
    "se cayó whatsapp y no puedo hablar con mis clientes",
    "instagram no carga las historias, ¿está caído para todos?",
    "la entrega de @PanaderiaSol fue puntual y el pan riquísimo",
    "estoy aprendiendo a programar y me encanta, aunque cuesta"};
constexpr const char* kOpenersEn[] = {
    "Today I went downtown and", "Does anyone know if", "I can't believe", "I love it when", "Again,",
    "Lovely morning, but", "Yesterday afternoon", "My sister says", "Heads up:", "Quick update:",
    "lol no way,", "Honestly,", "Sadly,", "Finally", "Hey,"};
constexpr const char* kBodiesEn[] = {
    "the coffee was great and the staff were really friendly",
    "customer service is terrible and nobody answers messages",
    "the bus was an hour late and I missed my meeting",
    "prices went up so much this month at the grocery store",
    "the new series is amazing, I cannot stop watching it",
    "there is a power cut in the whole neighbourhood since morning",
    "last night's game was a complete disaster for the team",
    "my dog learnt to open the kitchen door all by himself",
    "sol bakery has the best sourdough in town, highly recommend",
    "my order from Sol Bakery never arrived and I want a refund",
    "whatsapp is down again, messages not working for anyone?",
    "instagram down for everyone or just me? feed will not load",
    "facebook not working here, messenger stuck on connecting",
    "delivery from @PanaderiaSol was on time and the bread was warm",
    "learning to code and loving it, even when it is hard"};
constexpr const char* kEmoji[] = {"😡", "😍", "🙌", "😂", "☀️", "🔥", "👍", "😞", "❤️", "🤔", "🥐", "😭", "✨", "🙏"};
constexpr const char* kHashtags[] = {"#lunes", "#café", "#delivery", "#buenosaires", "#food", "#monday",
                                     "#fail", "#MasaMadre", "#sourdough", "#BuenosDías", "#FelizFinde", "#news"};
// Hashtags that rules look for (outage chatter, the bakery's own tag), used more rarely.
constexpr const char* kRuleHashtags[] = {"#WhatsAppDown", "#InstagramDown", "#FacebookDown", "#PanaderiaSol"};
constexpr const char* kMentions[] = {"@PanaderiaSol", "@soporte", "@amiga_lu", "@jdoe", "@WhatsApp", "@instagram"};
constexpr const char* kSources[] = {"x", "x", "x", "instagram", "instagram", "facebook", "telegram", "tiktok", "web", "rss"};
constexpr const char* kChannels[] = {"mention", "mention", "comment", "comment", "dm", "review"};
constexpr const char* kClients[] = {"Android", "iPhone", "Web App", "Business Suite", "API"};
constexpr const char* kNames[] = {"marta", "lucia", "jdoe", "carlos", "ana", "sofi", "pablo", "emma", "liam", "valen"};

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kFirstDayMs = 1633305600000;  // 2021-10-04T00:00:00Z

std::string MakeText(Random& r) {
  const bool es = r.Chance(60);
  std::string text = es ? r.Pick(kOpenersEs) : r.Pick(kOpenersEn);
  // Most bodies are everyday chatter; about one in five is about the bakery or an outage.
  const auto& bodies = es ? kBodiesEs : kBodiesEn;
  const std::size_t n = std::size(kBodiesEs);
  const std::size_t chatter = 8;
  const std::size_t body = r.Chance(85) ? r.Below(chatter) : chatter + r.Below(n - chatter);
  StrAppend(text, " ", bodies[body]);
  if (r.Chance(55)) StrAppend(text, ", ", bodies[r.Below(chatter)]);
  if (r.Chance(60)) StrAppend(text, " ", r.Pick(kEmoji));
  if (r.Chance(30)) StrAppend(text, r.Pick(kEmoji));
  const std::size_t tags = r.Below(3);
  for (std::size_t i = 0; i < tags; ++i) StrAppend(text, " ", r.Chance(6) ? r.Pick(kRuleHashtags) : r.Pick(kHashtags));
  if (r.Chance(25)) StrAppend(text, " ", r.Pick(kMentions));
  if (r.Chance(10)) text += " \"cita\" \\o/";  // escapes in the JSON
  return text;
}

void AppendJsonText(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

MentionStream::MentionStream(int64_t records, uint64_t seed, bool full, int pool_size)
    : records_(records), records_left_(records) {
  Random r{seed};
  pool_.reserve(static_cast<std::size_t>(pool_size) * (full ? 620 : 480));
  for (int i = 0; i < pool_size; ++i) {
    const int64_t at = kFirstDayMs + kDayMs * i / pool_size + static_cast<int64_t>(r.Below(500));
    starts_.push_back(pool_.size());
    StrAppend(pool_, "{\"id\":\"", 1445078208190291968ULL + static_cast<uint64_t>(i) * 7919, "\",\"at\":\"");
    dates_.push_back(pool_.size());
    StrAppend(pool_, Rfc3339(FromUnixMillis(std::min(at, kFirstDayMs + kDayMs - 1))), "\",\"source\":\"",
              r.Pick(kSources), "\",\"author\":{\"id\":\"", 10000000 + r.Below(90000000), "\",\"handle\":\"",
              r.Pick(kNames), "_", r.Below(100000), "\",\"followers\":", r.Chance(95) ? r.Below(2000) : r.Below(2000000),
              "},\"text\":");
    const std::string text = MakeText(r);
    AppendJsonText(pool_, text);
    StrAppend(pool_, ",\"url\":\"https://social.example/p/", r.Next() % 1000000000000ULL, "\"");
    // A reply's conversation is the post it answers; any other post starts its own.
    uint64_t conversation = 1445078208190291968ULL + static_cast<uint64_t>(i) * 7919;
    if (r.Chance(20)) {
      conversation = 1445078208190291968ULL + r.Below(pool_size) * 7919;
      StrAppend(pool_, ",\"reply_to\":\"", conversation, "\"");
      if (full) StrAppend(pool_, ",\"reply_to_author\":\"@", r.Pick(kNames), "_", r.Below(100000), "\"");
    }
    StrAppend(pool_, ",\"shares\":", r.Chance(80) ? r.Below(5) : r.Below(5000), ",\"likes\":", r.Below(300),
              ",\"lang_hint\":null");
    if (full) {
      const bool spanish = text.find_first_of("áéíóúñ¿") != std::string::npos || r.Chance(30);
      StrAppend(pool_, ",\"brand\":\"panaderia-sol\",\"channel\":\"", r.Pick(kChannels), "\",\"lang\":\"",
                spanish ? "es" : "en", "\",\"client\":\"", r.Pick(kClients), "\",\"conversation_id\":\"", conversation,
                "\",\"possibly_sensitive\":false");
    }
    pool_ += "}\n";
  }
  pass_end_ = pool_.size();
  NextPass();
}

void MentionStream::NextPass() {
  // This pass hands out min(records left, pool) records, dated `pass_` days after the first.
  const auto n = static_cast<std::size_t>(std::min<int64_t>(records_left_, static_cast<int64_t>(starts_.size())));
  records_left_ -= static_cast<int64_t>(n);
  pass_end_ = n < starts_.size() ? starts_[n] : pool_.size();
  offset_ = 0;
  next_date_ = 0;
  const std::string date = Rfc3339(FromUnixMillis(kFirstDayMs + pass_ * kDayMs)).substr(0, 10);
  std::memcpy(date_.data(), date.data(), date_.size());
  ++pass_;
}

absl::StatusOr<std::size_t> MentionStream::Read(char* dst, std::size_t capacity) {
  if (offset_ == pass_end_) {
    if (records_left_ == 0) return 0;
    NextPass();
  }
  const std::size_t n = std::min(capacity, pass_end_ - offset_);
  std::memcpy(dst, pool_.data() + offset_, n);
  // The pass's date goes into the copy handed out, whose bytes are in the cache, rather than
  // into the whole pool at the start of each pass (100,000 writes to memory the cache no
  // longer holds, about 1 % of `detect`'s time, which reading a file does not have). A date
  // cut by the end of this read is finished at the start of the next.
  const std::size_t end = offset_ + n;
  while (next_date_ < dates_.size() && dates_[next_date_] < end) {
    const std::size_t at = dates_[next_date_];
    if (at >= offset_ && at + date_.size() <= end) {
      std::memcpy(dst + (at - offset_), date_.data(), date_.size());
    } else {  // cut by the start or the end of this read
      for (std::size_t k = 0; k < date_.size(); ++k)
        if (at + k >= offset_ && at + k < end) dst[at + k - offset_] = date_[k];
      if (at + date_.size() > end) break;  // the rest of it next time
    }
    ++next_date_;
  }
  offset_ = end;
  return n;
}

}  // namespace faro::bench
