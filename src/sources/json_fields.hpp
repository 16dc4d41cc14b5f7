#pragma once
// Reading provider JSON without exceptions: each helper says whether a field is absent, of the
// wrong type, or usable, so a connector can reject one item with the exact field at fault.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sources/connector.hpp"

namespace faro::sources::json_fields {

using nlohmann::json;

// Parses without throwing; a discarded value when `text` is not one JSON document (this
// includes ill-formed UTF-8 inside strings, which nlohmann's lexer refuses).
inline json Parse(std::string_view text) { return json::parse(text.begin(), text.end(), nullptr, false); }

// The member `key` of an object, or nullptr when `object` is not an object, the key is absent,
// or its value is null (providers use null and absence alike).
inline const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

enum class Got { kAbsent, kWrongType, kOk };

inline Got String(const json& object, std::string_view key, std::string& out) {
  const json* v = Member(object, key);
  if (v == nullptr) return Got::kAbsent;
  if (!v->is_string()) return Got::kWrongType;
  out = v->get_ref<const std::string&>();
  return Got::kOk;
}

// An id written as text or as a whole number (Telegram and old Meta payloads use numbers).
inline Got Id(const json& object, std::string_view key, std::string& out) {
  const json* v = Member(object, key);
  if (v == nullptr) return Got::kAbsent;
  if (v->is_string()) {
    out = v->get_ref<const std::string&>();
    return Got::kOk;
  }
  if (v->is_number_integer()) {
    out = v->dump();
    return Got::kOk;
  }
  return Got::kWrongType;
}

// A whole number >= 0.
inline Got Count(const json& object, std::string_view key, int64_t& out) {
  const json* v = Member(object, key);
  if (v == nullptr) return Got::kAbsent;
  if (v->is_number_unsigned()) {
    const uint64_t n = v->get<uint64_t>();
    if (n > static_cast<uint64_t>(INT64_MAX)) return Got::kWrongType;
    out = static_cast<int64_t>(n);
    return Got::kOk;
  }
  if (v->is_number_integer()) {
    const int64_t n = v->get<int64_t>();
    if (n < 0) return Got::kWrongType;
    out = n;
    return Got::kOk;
  }
  return Got::kWrongType;
}

// A Unix time in seconds (or milliseconds, for values of 1e11 and more, the same rule as the
// listen reader), as a whole or fractional number.
inline Got UnixTime(const json& object, std::string_view key, TimePoint& out) {
  const json* v = Member(object, key);
  if (v == nullptr) return Got::kAbsent;
  if (!v->is_number()) return Got::kWrongType;
  const double n = v->get<double>();
  if (!(n >= 0) || n >= 1e15) return Got::kWrongType;
  const double ms = n < 1e11 ? n * 1000.0 : n;
  out = FromUnixMillis(static_cast<int64_t>(ms));
  return Got::kOk;
}

// A short name of the JSON type, for rejection details.
inline std::string_view TypeName(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_null()) return "null";
  return "something else";
}

inline ItemRejection Missing(std::string where, std::string field) {
  return ItemRejection{std::move(where), field, "missing-field", field + " is missing or null"};
}
inline ItemRejection WrongType(std::string where, std::string field, std::string_view expected) {
  return ItemRejection{std::move(where), field, "wrong-type", field + " must be " + std::string(expected)};
}
// `payload` could not be parsed as JSON at all.
inline ItemRejection Malformed(std::string where) {
  return ItemRejection{std::move(where), "", "malformed-json", "not a JSON document (or not valid UTF-8)"};
}

}  // namespace faro::sources::json_fields
