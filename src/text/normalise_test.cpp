#include "text/normalise.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <new>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/utf8.hpp"
#include "text/unicode_fold.hpp"

// Counts heap allocations, for the "no allocation once warm" test. (GCC warns that memory from
// this operator new is freed with free(); that is how it is allocated, so the warning is off.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<long> g_allocations{0};
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace faro {
namespace {

std::string Folded(std::string_view text) {
  NormalisedText out;
  Normaliser().Normalise(text, out);
  return out.folded;
}

// "kind:text" for each token, space-separated; an elongated word is marked "word*".
std::string TokenList(const NormalisedText& out) {
  std::string s;
  for (const Token& t : out.tokens) {
    if (!s.empty()) s += ' ';
    s += TokenKindName(t.kind);
    if (t.elongated) s += '*';
    s += ':';
    s += t.text;
  }
  return s;
}

std::string Tokens(std::string_view text) {
  NormalisedText out;
  Normaliser().Normalise(text, out);
  return TokenList(out);
}

std::string Encode(char32_t cp) {
  std::string out;
  AppendUtf8(out, cp);
  return out;
}

// ---- folding --------------------------------------------------------------------------------

TEST(FoldTextTest, FoldsCaseAndAccentsButKeepsEnye) {
  EXPECT_EQ(FoldText("caído"), "caido");
  EXPECT_EQ(FoldText("ÁRBOL"), "arbol");
  EXPECT_EQ(FoldText("über"), "uber");
  EXPECT_EQ(FoldText("pingüino"), "pinguino");
  EXPECT_EQ(FoldText("año"), "año");
  EXPECT_EQ(FoldText("AÑO"), "año");
  EXPECT_NE(FoldText("año"), FoldText("ano"));
}

TEST(FoldTextTest, DecomposedInputFoldsLikePrecomposed) {
  EXPECT_EQ(FoldText("cai\u0301do"), "caido");
  EXPECT_EQ(FoldText("an\u0303o"), "año");    // n + combining tilde is ñ
  EXPECT_EQ(FoldText("AN\u0303O"), "año");
  EXPECT_EQ(FoldText("n\u0303"), "ñ");        // the mark right after ASCII at the start
  EXPECT_EQ(FoldText("a\u0303"), "a");        // a tilde on other letters goes
}

TEST(FoldTextTest, StyledAndFullwidthLettersBecomePlain) {
  EXPECT_EQ(FoldText("𝐰𝐡𝐚𝐭𝐬𝐚𝐩𝐩"), "whatsapp");
  EXPECT_EQ(FoldText("ｗｈａｔｓａｐｐ"), "whatsapp");
  EXPECT_EQ(FoldText("𝙄𝙉𝙎𝙏𝘼𝙂𝙍𝘼𝙈"), "instagram");
  EXPECT_EQ(FoldText("ﬁ"), "fi");
}

TEST(FoldTextTest, CollapsesAndTrimsWhitespace) {
  EXPECT_EQ(FoldText("  a \t\n b  "), "a b");
  EXPECT_EQ(FoldText("a\u00A0\u3000\u2028b"), "a b");
  EXPECT_EQ(FoldText(""), "");
  EXPECT_EQ(FoldText(" \t "), "");
}

TEST(FoldTextTest, DropsInvisibleCharactersThatSplitWords) {
  EXPECT_EQ(FoldText("whats\u200Bapp"), "whatsapp");
  EXPECT_EQ(FoldText("ca\u00ADido"), "caido");
  EXPECT_EQ(FoldText("\uFEFFhola"), "hola");
  EXPECT_EQ(FoldText("wh\u200Datsapp"), "whatsapp");  // a joiner outside emoji goes too
}

TEST(FoldTextTest, TypographicApostrophesBecomeAscii) {
  EXPECT_EQ(FoldText("don\u2019t"), "don't");
  EXPECT_EQ(FoldText("you\u00B4re"), "you're");
}

TEST(FoldTextTest, VariationSelectorsAreDropped) {
  EXPECT_EQ(FoldText("\u2764\uFE0F"), FoldText("\u2764"));
}

TEST(FoldTextTest, RuleTermsFoldLikeMentions) {
  // A rule term folded with FoldText must be found in the folded mention.
  const std::string mention = Folded("¡¡WHATSAPP CAÍDO!! 😡 #WhatsAppCaído");
  EXPECT_NE(mention.find(FoldText("whatsapp caído")), std::string::npos);
  EXPECT_NE(mention.find(FoldText("#WHATSAPPCAIDO")), std::string::npos);
}

// The lookup tables are a shortcut for the utf8proc path; both must agree on every character,
// alone and between letters (where the joiner and marks behave differently).
TEST(UnicodeFoldTest, TablesAgreeWithTheReferencePathWhereverTheyApply) {
  std::string fast, slow;
  int mismatches = 0;
  // Every range where a shortcut applies (the tables and the emoji copied as they are).
  std::vector<char32_t> cps;
  for (auto [first, last] : {std::pair<char32_t, char32_t>{0x80, 0x800}, {0x2000, 0x2070},
                             {0xFF00, 0xFFF0}, {0x1D400, 0x1D800}, {0x1F1E6, 0x1F200},
                             {0x1F300, 0x1FB00}}) {
    for (char32_t cp = first; cp < last; ++cp) cps.push_back(cp);
  }
  for (char32_t cp : cps) {
    if (mismatches >= 10) break;
    const std::string ch = Encode(cp);
    for (const std::string& text : {ch, "n" + ch + "a", ch + "\u0303", "\U0001F600" + ch}) {
      fast.clear();
      slow.clear();
      const auto r1 = text_internal::UnicodeFold(text, fast, /*use_tables=*/true);
      const auto r2 = text_internal::UnicodeFold(text, slow, /*use_tables=*/false);
      if (fast != slow || r1.accented_vowels != r2.accented_vowels) {
        ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned>(cp) << ": tables give '"
                      << fast << "', reference '" << slow << "'";
        ++mismatches;
      }
    }
  }
}

// The symbol and dingbat block ("❤", "✅", "★") has table entries too, and variation selectors
// and the zero-width joiner have shortcuts of their own; all must agree with utf8proc, also
// with selectors, joiners and marks around them.
TEST(UnicodeFoldTest, SymbolSelectorAndJoinerShortcutsAgreeWithTheReferencePath) {
  std::string fast, slow;
  int mismatches = 0;
  const auto check = [&](const std::string& text) {
    fast.clear();
    slow.clear();
    const auto r1 = text_internal::UnicodeFold(text, fast, /*use_tables=*/true);
    const auto r2 = text_internal::UnicodeFold(text, slow, /*use_tables=*/false);
    if (fast != slow || r1.accented_vowels != r2.accented_vowels) {
      ADD_FAILURE() << "'" << text << "': tables give '" << fast << "', reference '" << slow
                    << "'";
      ++mismatches;
    }
  };
  for (char32_t cp = 0x2000; cp < 0x2C00 && mismatches < 10; ++cp) {
    const std::string ch = Encode(cp);
    for (const std::string& text :
         {ch, "n" + ch + "a", ch + "\u0303", "\U0001F600" + ch, ch + "\uFE0F",
          ch + "\uFE0F\u0301", ch + "\uFE0E\uFE0F!", ch + "\u200D\U0001F4BB",
          "\U0001F469\u200D" + ch + "\uFE0F"}) {
      check(text);
    }
  }
  for (const char* text :
       {"\uFE0F", "\uFE0Fa", "\uFE0F\u0303", "e\uFE0F\u0301", "\u00E9\uFE0F\u0301",
        "\U0001F469\u200D\U0001F4BB", "\U0001F469\u200D\uFE0F\U0001F4BB",
        "\U0001F469\uFE0F\u200D\U0001F4BB", "a\u200Db", "a\u200D\u0301",
        "\u2764\uFE0F\u200D\U0001F525", "\u200D", "\U0001F600\u200D", "n\uFE0F\u0303"}) {
    check(text);
  }
}

TEST(UnicodeFoldTest, OutputIsValidUtf8ForEveryCodePoint) {
  std::string out;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string text = "a" + Encode(cp) + "b";
    NormalisedText n;
    Normaliser().Normalise(text, n);
    ASSERT_TRUE(IsValidUtf8(n.folded)) << "U+" << std::hex << static_cast<unsigned>(cp);
    for (const Token& t : n.tokens) {
      ASSERT_TRUE(IsValidUtf8(t.text)) << "U+" << std::hex << static_cast<unsigned>(cp);
      ASSERT_FALSE(t.text.empty());
    }
  }
}

TEST(NormaliseTest, CountsAccentedVowelsBeforeFolding) {
  NormalisedText out;
  Normaliser().Normalise("Está caído, AQUÍ también. Pingüino", out);
  EXPECT_EQ(out.accented_vowels, 5);
  Normaliser().Normalise("esta caido", out);
  EXPECT_EQ(out.accented_vowels, 0);
}

// ---- tokens ---------------------------------------------------------------------------------

TEST(TokenTest, WordsNumbersAndApostrophes) {
  EXPECT_EQ(Tokens("Don't panic, it's 1.000 or 3,5 mp3 4g"),
            "word:don't word:panic word:it's number:1.000 word:or number:3,5 word:mp3 "
            "word:4g");
  EXPECT_EQ(Tokens("'quoted' rock'n'roll"), "word:quoted word:rock'n'roll");
  EXPECT_EQ(Tokens("Ñandú año"), "word:ñandu word:año");
}

TEST(TokenTest, HashtagsAndMentions) {
  EXPECT_EQ(Tokens("#WhatsAppCaído"), "hashtag:whatsappcaido");
  EXPECT_EQ(Folded("#WhatsAppCaído"), "#whatsappcaido");
  EXPECT_EQ(Tokens("@Movistar_AR hola"), "mention:movistar_ar word:hola");
  EXPECT_EQ(Tokens("@nutri.ana."), "mention:nutri.ana");
  EXPECT_EQ(Tokens("#1 C# ana@example.com"), "number:1 word:c word:ana word:example word:com");
  EXPECT_EQ(Tokens("#2024Elecciones #ÑoquisDelMes"), "hashtag:2024elecciones hashtag:ñoquisdelmes");
  EXPECT_EQ(Tokens("#graciasss"), "hashtag:graciasss");  // tags are names: never shortened
}

TEST(TokenTest, UrlsKeepTheirPathCase) {
  EXPECT_EQ(Tokens("mirá https://Bit.LY/3AbC."), "word:mira url:https://bit.ly/3AbC");
  EXPECT_EQ(Tokens("WWW.Example.com/Ofertas?ID=7, ok"),
            "url:www.example.com/Ofertas?ID=7 word:ok");
  EXPECT_EQ(Tokens("(https://en.wikipedia.org/wiki/A_(b))"),
            "url:https://en.wikipedia.org/wiki/A_(b)");
  EXPECT_EQ(Tokens("http:// nada"), "word:http word:nada");
  EXPECT_EQ(Tokens("xhttp://a.b"), "word:xhttp word:a word:b");
}

TEST(TokenTest, EmojiSequencesAreOneTokenEach) {
  EXPECT_EQ(Tokens("😡😡"), "emoji:😡 emoji:😡");
  EXPECT_EQ(Tokens("👍🏽"), "emoji:👍🏽");
  EXPECT_EQ(Tokens("👨‍👩‍👧"), "emoji:👨‍👩‍👧");
  EXPECT_EQ(Tokens("👩🏻‍💻"), "emoji:👩🏻‍💻");
  EXPECT_EQ(Tokens("🇦🇷🇪🇸"), "emoji:🇦🇷 emoji:🇪🇸");
  EXPECT_EQ(Tokens("❤️‍🔥"), "emoji:❤‍🔥");
  EXPECT_EQ(Tokens("1️⃣"), "emoji:1⃣");
  EXPECT_EQ(Tokens("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), "emoji:🏴󠁧󠁢󠁳󠁣󠁴󠁿");
  EXPECT_EQ(Tokens("gracias🙏🏻jaja"), "word:gracias emoji:🙏🏻 word:jaja");
}

TEST(TokenTest, Emoticons) {
  EXPECT_EQ(Tokens(":) :-( :D ;) xD :'( <3"),
            "emoticon::) emoticon::-( emoticon::d emoticon:;) emoticon:xd emoticon::'( "
            "emoticon:<3");
  EXPECT_EQ(Tokens("jaja:))) XDDD"), "word:jaja emoticon::))) emoticon:xddd");
  EXPECT_EQ(Tokens("10:30 :pepe xdiario <30"),
            "number:10 number:30 word:pepe word:xdiario number:30");
}

TEST(TokenTest, ElongationsReduceToOneLetter) {
  EXPECT_EQ(Tokens("nooooo siiii graciasss"), "word*:no word*:si word*:gracias");
  EXPECT_EQ(Tokens("NOOOO Síííí"), "word*:no word*:si");
  EXPECT_EQ(Folded("holaaaa!!!"), "hola!!!");
  // Two equal letters are ordinary spelling and stay.
  EXPECT_EQ(Tokens("leer carro llamar good"), "word:leer word:carro word:llamar word:good");
  // The rule is the same for every word, so a stretched double letter loses both.
  EXPECT_EQ(Tokens("goooood"), "word*:god");
  EXPECT_EQ(Tokens("1000000"), "number:1000000");
  // A stretch that starts on the last byte of a 16-byte block, in both paths.
  const std::string text = "abcdefghijklmnoppp and then some more text";
  EXPECT_EQ(Folded(text), "abcdefghijklmnop and then some more text");
}

TEST(NormaliseTest, ReusesBuffersAndTokensViewTheFoldedText) {
  Normaliser normaliser;
  NormalisedText out;
  normaliser.Normalise("Una mención bastante larga con #hashtag y @alguien 😀 https://x.y/z",
                       out);
  const std::size_t capacity = out.folded.capacity();
  normaliser.Normalise("corta", out);
  EXPECT_EQ(out.folded, "corta");
  EXPECT_EQ(out.folded.capacity(), capacity);
  ASSERT_EQ(out.tokens.size(), 1u);
  EXPECT_EQ(out.tokens[0].text.data(), out.folded.data());
}

// "\u{XXXX}" in the golden input is the code point U+XXXX.
std::string Unescape(const std::string& line) {
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    if (line.compare(i, 3, "\\u{") == 0) {
      const std::size_t close = line.find('}', i);
      if (close != std::string::npos) {
        out += Encode(static_cast<char32_t>(std::stoul(line.substr(i + 3, close - i - 3),
                                                       nullptr, 16)));
        i = close + 1;
        continue;
      }
    }
    out += line[i++];
  }
  return out;
}

// ---- properties on random mentions ---------------------------------------------------------

#ifndef FARO_TEXT_TEST_ROUNDS
#define FARO_TEXT_TEST_ROUNDS 20000
#endif
constexpr int kRounds = FARO_TEXT_TEST_ROUNDS;

// The text with control characters and non-ASCII bytes as \xNN, for failure messages.
std::string Escaped(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Tokens are non-empty views inside the folded text, in order and not overlapping.
void ExpectTokensInsideFolded(const NormalisedText& out, const std::string& input) {
  const char* previous_end = out.folded.data();
  for (const Token& t : out.tokens) {
    ASSERT_FALSE(t.text.empty()) << Escaped(input);
    ASSERT_GE(t.text.data(), previous_end) << Escaped(input);
    ASSERT_LE(t.text.data() + t.text.size(), out.folded.data() + out.folded.size())
        << Escaped(input);
    previous_end = t.text.data() + t.text.size();
  }
}

// A random mention stitched from pieces that exercise every branch, with random separators.
std::string RandomMention(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "hola", "WhatsApp", "caído", "año", "nooooo", "siii", "don't", "it's", "'", "1.000",
      "3,5", "10:30", "#WhatsAppCaído", "#1", "C#", "@Movistar_AR", "@nutri.ana.", "a@b.com",
      "https://Bit.ly/AbC", "www.Ex.com/P?q=1", "http://", "www", "xD", "XDDD", ":)", ":-(",
      ":'(", "<3", "<333", "-_-", "^^", "t_t", "T_T", "😡", "👍🏽", "👨‍👩‍👧", "🇦🇷🇪🇸", "❤️",
      "1️⃣", "#️⃣", "*", "¿", "¡", "…", "𝐰𝐡𝐚𝐭𝐬", "ｗｈａｔ", "ñandú", "e\u0301", "n\u0303",
      "\u200B", "\u00A0", "\u3000", "\u2028", "\t", "\n", "\r\n", "  ", "x", "h", "w", "t",
      "graciasss", "GOOOOD", "aaa", "abc123", "123abc", "0", "-", ".", ",", "!", "?", "(", ")",
      "_", "=", ";", ">", ":", "é", "Straße", "ǅ", "ﬁ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
      "abcdefghijklmnopqrstuvwxyzabcdefghij", "ooooooooooooooooooooo", "AaAaAa", "#Sol", "#",
      "##x", "@#x", "#a_1", "#_", "#x.y", "#ABCDEFGHIJKLMNOPQRST", "https://x.com/#frag", "WWW.x.es#y",
      "#año", "#Caído"};
  static const std::vector<std::string> separators = {"", " ", "  ", ", ", "\t", "\n", ".", "'"};
  std::string text;
  const int count = 1 + static_cast<int>(rng() % 40);
  for (int k = 0; k < count; ++k) {
    text += separators[rng() % separators.size()];
    text += pieces[rng() % pieces.size()];
  }
  if (rng() % 4 == 0) text += separators[rng() % separators.size()];
  return text;
}

// Random mentions: folding them is idempotent (a folded rule term folds to itself), gives
// valid UTF-8 without leading, trailing or double spaces, and tokens stay inside the folded text.
TEST(NormalisePropertyTest, RandomMentions) {
  std::mt19937 rng(5);
  Normaliser normaliser;
  NormalisedText out, again;
  for (int round = 0; round < kRounds; ++round) {
    const std::string text = RandomMention(rng);
    normaliser.Normalise(text, out);
    ASSERT_TRUE(IsValidUtf8(out.folded)) << Escaped(text);
    ASSERT_EQ(out.folded.find("  "), std::string::npos) << Escaped(text);
    if (!out.folded.empty()) {
      ASSERT_NE(out.folded.front(), ' ') << Escaped(text);
      ASSERT_NE(out.folded.back(), ' ') << Escaped(text);
    }
    ExpectTokensInsideFolded(out, text);
    normaliser.Normalise(out.folded, again);
    ASSERT_EQ(again.folded, out.folded) << Escaped(text);
    // The same tokens, except that a stretched word is no longer stretched the second time,
    // and that a stretch can spell a link scheme ("hhhttps://x" folds to "https://x", a link
    // the second time): the known exception, left alone.
    const auto urls = [](const NormalisedText& n) {
      return std::count_if(n.tokens.begin(), n.tokens.end(),
                           [](const Token& t) { return t.kind == TokenKind::kUrl; });
    };
    if (urls(again) != urls(out)) continue;
    ASSERT_EQ(again.tokens.size(), out.tokens.size()) << Escaped(text);
    for (std::size_t k = 0; k < out.tokens.size(); ++k) {
      ASSERT_EQ(again.tokens[k].kind, out.tokens[k].kind) << Escaped(text);
      ASSERT_EQ(again.tokens[k].text, out.tokens[k].text) << Escaped(text);
    }
  }
}

// Normalise is Prepare then Tokenise; Hashtags, when it answers, finds the hashtags Tokenise
// finds, and it answers for most mentions; MayShorten is true whenever a word was shortened.
TEST(NormalisePropertyTest, PreparedHalvesAgreeWithTheWhole) {
  std::mt19937 rng(17);
  Normaliser normaliser;
  NormalisedText whole, halves;
  std::vector<std::string_view> tags;
  std::string shared = "ab ";
  int answered = 0, with_tags = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string text = RandomMention(rng);
    normaliser.Normalise(text, whole);
    const PreparedText prepared = normaliser.Prepare(text);
    const bool shortens = Normaliser::MayShorten(prepared);
    const bool tags_known = normaliser.Hashtags(prepared, tags);
    normaliser.Tokenise(prepared, halves);
    ASSERT_EQ(halves.folded, whole.folded) << Escaped(text);
    ASSERT_EQ(halves.tokens.size(), whole.tokens.size()) << Escaped(text);
    ASSERT_EQ(halves.accented_vowels, whole.accented_vowels) << Escaped(text);
    std::vector<std::string_view> expected;
    bool elongated = false;
    for (const Token& t : whole.tokens) {
      if (t.kind == TokenKind::kHashtag) expected.push_back(t.text);
      elongated |= t.elongated;
    }
    if (elongated) {
      ASSERT_TRUE(shortens) << Escaped(text);
    }
    const std::vector<std::string> tags_alone(tags.begin(), tags.end());
    {
      // Prepared into a shared buffer instead, after other bytes and followed by a zero byte
      // and a stretched word, as ListenPipeline::ProcessBatch lays texts out: the same answers,
      // and the same tokens once adopted.
      int accents = -1;
      const std::size_t end = normaliser.PrepareInto(text, shared, 3, accents);
      shared.resize(end + 40);
      shared[end] = '\0';
      std::memset(shared.data() + end + 1, 'a', 39);
      const PreparedText in_shared{std::string_view(shared.data() + 3, end - 3), accents};
      ASSERT_EQ(in_shared.accented_vowels, whole.accented_vowels) << Escaped(text);
      ASSERT_EQ(Normaliser::MayShorten(in_shared), shortens) << Escaped(text);
      ASSERT_EQ(normaliser.Hashtags(in_shared, tags), tags_known) << Escaped(text);
      if (tags_known) {
        ASSERT_EQ(std::vector<std::string>(tags.begin(), tags.end()), tags_alone) << Escaped(text);
      }
      normaliser.Tokenise(normaliser.Adopt(in_shared), halves);
      ASSERT_EQ(halves.folded, whole.folded) << Escaped(text);
      ASSERT_EQ(halves.tokens.size(), whole.tokens.size()) << Escaped(text);
    }
    if (!tags_known) continue;
    ++answered;
    if (!expected.empty()) ++with_tags;
    ASSERT_EQ(tags_alone, std::vector<std::string>(expected.begin(), expected.end())) << Escaped(text);
  }
  // Not a test that passes by never answering.
  EXPECT_GT(answered, kRounds / 10);
  EXPECT_GT(with_tags, kRounds / 20);
}

TEST(NormaliseTest, HashtagsWithoutTokenising) {
  Normaliser normaliser;
  std::vector<std::string_view> tags;
  const auto hashtags = [&](std::string_view text) {
    std::vector<std::string> out;
    if (!normaliser.Hashtags(normaliser.Prepare(text), tags)) out.push_back("(tokenise)");
    else out.assign(tags.begin(), tags.end());
    return out;
  };
  using Tags = std::vector<std::string>;
  EXPECT_EQ(hashtags("#WhatsAppCaído otra vez, #Sol!"), (Tags{"whatsappcaido", "sol"}));
  EXPECT_EQ(hashtags("C# y #123 no, @#ok y ##dos sí"), (Tags{"ok", "dos"}));
  EXPECT_EQ(hashtags("sin etiquetas"), Tags{});
  // A tag that goes on in non-ASCII letters, a keycap, a '#' that may be inside a link: the
  // tokeniser must decide.
  EXPECT_EQ(hashtags("#año nuevo"), Tags{"(tokenise)"});
  EXPECT_EQ(hashtags("#\u20E3"), Tags{"(tokenise)"});
  EXPECT_EQ(hashtags("mira https://x.com/a#b"), Tags{"(tokenise)"});
  EXPECT_EQ(hashtags("mira WWW.x.com#b"), Tags{"(tokenise)"});
  EXPECT_EQ(hashtags("https://x.com/a #fuera"), (Tags{"fuera"}));
  // A long run of '#' without spaces is read once, and a link at its end still counts.
  std::string glued = "#uno";
  for (int i = 0; i < 5000; ++i) glued += "a#b";
  EXPECT_EQ(hashtags(glued), Tags{"unoa"});  // the rest are glued to a word
  EXPECT_EQ(hashtags(glued + "ww" + "w.x#y"), Tags{"(tokenise)"});
}

TEST(NormaliseTest, MayShortenSeesThreeOfTheSameLetterInAnyCase) {
  Normaliser normaliser;
  EXPECT_TRUE(Normaliser::MayShorten(normaliser.Prepare("nooo")));
  EXPECT_TRUE(Normaliser::MayShorten(normaliser.Prepare("se cayó WhatsAPPp")));
  EXPECT_TRUE(Normaliser::MayShorten(normaliser.Prepare(std::string(40, 'x') + "yyY")));
  EXPECT_FALSE(Normaliser::MayShorten(normaliser.Prepare("good, leer, 1000, ...")));
  EXPECT_FALSE(Normaliser::MayShorten(normaliser.Prepare("")));
  // Only runs inside the text count, whatever follows it.
  const std::string buffer = "xnoo" "o" + std::string(40, 'o');
  for (std::size_t size = 0; size <= 5; ++size)
    EXPECT_EQ(Normaliser::MayShorten(PreparedText{std::string_view(buffer).substr(0, size)}), size == 5) << size;
  EXPECT_TRUE(Normaliser::MayShorten(PreparedText{std::string_view(buffer).substr(2, 3)}));
  EXPECT_FALSE(Normaliser::MayShorten(PreparedText{std::string_view(buffer).substr(2, 2)}));
}

// ASCII is copied 16 and 8 bytes at a time, with the last bytes of the text read as an
// overlapping vector or a shifted word: every length and every place of a non-ASCII character,
// also one cut off at the end (kept as it is), must give what copying byte by byte gives. Also
// through Prepare, whose buffer still holds a longer text from before.
TEST(UnicodeFoldTest, AsciiSpansOfEveryLengthAroundOtherCharacters) {
  const std::vector<std::pair<std::string, std::string>> pieces = {
      {"\u00E9", "e"}, {"\u00C9", "e"}, {"\u00F1", "\u00F1"}, {"e\u0301", "e"},
      {"\u00E9\u0301", "e"}, {"\xC3", "\xC3"}, {"\xE2\x80", "\xE2\x80"},
      {"\U0001F600", "\U0001F600"}, {"\u2764\uFE0F", "\u2764"}, {"", ""}};
  Normaliser normaliser;
  const std::string long_text(200, 'z');
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string ascii;
    for (std::size_t k = 0; k < length; ++k) ascii += static_cast<char>('a' + k % 26);
    for (std::size_t at = 0; at <= length; ++at) {
      for (const auto& [piece, folded] : pieces) {
        const std::string text = ascii.substr(0, at) + piece + ascii.substr(at);
        const std::string expected = ascii.substr(0, at) + folded + ascii.substr(at);
        std::string out = "kept|";
        text_internal::UnicodeFold(text, out);
        ASSERT_EQ(out, "kept|" + expected) << Escaped(text);
        normaliser.Prepare(long_text);
        ASSERT_EQ(normaliser.Prepare(text).text, expected) << Escaped(text);
      }
    }
  }
}

// Any bytes at all (the contract asks for valid UTF-8, but bad input must not crash): the
// normaliser ends and keeps tokens inside the folded text.
TEST(NormalisePropertyTest, ArbitraryBytesDoNotCrash) {
  std::mt19937 rng(11);
  const std::string alphabet = "aZ #@:;'.,_-\t\n0\x80\xC3\xB1\xE2\x80\x8B\xF0\x9F\x98\xA1\xFF";
  Normaliser normaliser;
  NormalisedText out;
  for (int round = 0; round < kRounds; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 120);
    for (int k = 0; k < len; ++k) {
      text += rng() % 3 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    normaliser.Normalise(text, out);
    ExpectTokensInsideFolded(out, text);
  }
}

TEST(NormaliseTest, DoesNotAllocateOnceWarm) {
  const std::vector<std::string> mentions = {
      "¡Hola!! WhatsApp está caído 😡😡 #WhatsAppCaído @Meta https://t.co/AbC.",
      "is instagram down for anyone else?? sooooo slow :( https://example.com/Status",
      "𝐰𝐡𝐚𝐭𝐬𝐚𝐩𝐩 no anda   ｗｈａｔｓａｐｐ tampoco 👨‍👩‍👧 🇦🇷 1️⃣ don’t",
      "plain ascii words only and nothing else at all in this one"};
  Normaliser normaliser;
  NormalisedText out;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& m : mentions) normaliser.Normalise(m, out);  // warm up
  }
  const long before = g_allocations.load();
  for (int pass = 0; pass < 3; ++pass) {
    for (const std::string& m : mentions) normaliser.Normalise(m, out);
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
}

// ---- golden file ----------------------------------------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Set FARO_UPDATE_GOLDEN=1 to rewrite the expected file, then review the diff by hand.
TEST(NormaliseGoldenTest, MatchesExpectedFile) {
  const std::string dir = std::string(FARO_SOURCE_DIR) + "/src/text/testdata/";
  std::ifstream in(dir + "normalise_golden.txt");
  ASSERT_TRUE(in) << "missing " << dir << "normalise_golden.txt";
  std::string actual;
  std::string line;
  Normaliser normaliser;
  NormalisedText out;
  while (std::getline(in, line)) {
    if (line.rfind("//", 0) == 0) continue;
    normaliser.Normalise(Unescape(line), out);
    actual += "in:     " + line + "\n";
    actual += "folded: " + out.folded + "\n";
    actual += "tokens: " + TokenList(out) + "\n\n";
  }
  const std::string expected_path = dir + "normalise_golden.expected";
  const char* update = std::getenv("FARO_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
    std::cout << "rewrote " << expected_path << "; review it before committing\n";
  }
  EXPECT_EQ(ReadFile(expected_path), actual)
      << "normalisation changed; if intended, rerun with FARO_UPDATE_GOLDEN=1 and review";
}

}  // namespace
}  // namespace faro
