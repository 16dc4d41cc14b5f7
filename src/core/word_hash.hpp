#pragma once
// A fast 64-bit hash of short strings (words, terms, lexicon entries), the same on every build
// and machine: bytes are read as little-endian words whatever the processor's byte order, so
// tables keyed by it fill the same way everywhere and what depends on their order (which
// terms a bounded table drops first) is reproducible.
//
// Every bit of the result depends on every byte of a string of up to 16 bytes (nearly every
// word). Such strings are read with at most two overlapping loads, no loop, and mixed by one
// 64x64->128-bit multiply whose halves are folded together (as wyhash does). Longer strings
// are read 8 bytes at a time. Nothing outside the string is read.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace faro {

namespace word_hash_internal {

inline constexpr std::uint64_t kSeedA = 0x9e3779b97f4a7c15ULL;
inline constexpr std::uint64_t kSeedB = 0xc2b2ae3d27d4eb4fULL;

template <typename T>
T LoadLittleEndian(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    if constexpr (sizeof v == 8) {
      v = __builtin_bswap64(v);
    } else {
      v = __builtin_bswap32(v);
    }
  }
  return v;
}

// The 128-bit product of x and y, its halves xor-ed: each output bit depends on every input
// bit. One `mul` instruction on x86-64.
inline std::uint64_t Mum(std::uint64_t x, std::uint64_t y) {
  const unsigned __int128 product = static_cast<unsigned __int128>(x) * y;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

// More than 16 bytes: the first 8, each further 8 but the last mixed in, then the last 8.
inline std::uint64_t WordHashLong(const char* p, std::size_t n) {
  std::uint64_t a = LoadLittleEndian<std::uint64_t>(p);
  for (std::size_t i = 8; i + 8 < n; i += 8) a = Mum(a ^ LoadLittleEndian<std::uint64_t>(p + i), kSeedB);
  return Mum(a ^ kSeedA, LoadLittleEndian<std::uint64_t>(p + n - 8) ^ n ^ kSeedB);
}

}  // namespace word_hash_internal

inline std::uint64_t WordHash(std::string_view text) {
  using namespace word_hash_internal;
  const char* p = text.data();
  const std::size_t n = text.size();
  std::uint64_t a;
  std::uint64_t b;
  if (n >= 8) {
    if (n > 16) return WordHashLong(p, n);
    a = LoadLittleEndian<std::uint64_t>(p);
    b = LoadLittleEndian<std::uint64_t>(p + n - 8);
  } else if (n >= 4) {
    a = LoadLittleEndian<std::uint32_t>(p);
    b = LoadLittleEndian<std::uint32_t>(p + n - 4);
  } else if (n > 0) {  // p[0], p[n / 2] and p[n - 1] are all the bytes
    a = static_cast<unsigned char>(p[0]) | static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    b = 0;
  } else {
    a = b = 0;
  }
  return Mum(a ^ kSeedA, b ^ n ^ kSeedB);
}

}  // namespace faro
