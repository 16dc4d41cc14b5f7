#pragma once
// The push protocol's JSON, both ends (docs/cli.md, "faro agent --server"): a vantage agent
// fetches its assignment, patrols it, and posts its readings in batches.
//
//   GET  /api/v1/vantage/assignment  → {"vantage", "attempts", "timeout_ms", "slow_ms",
//                                       "targets": [{"platform", "interval_ms", "endpoints": [...]}]}
//   POST /api/v1/vantage/readings    ← {"vantage", "readings": [{"platform", "at", "health", "cause",
//                                       "endpoints", "failed", "detail", "results": [...]}]}
//                                    → 202 {"accepted": N, "rejected": [{"index", "error"}]}
//
// Endpoints are written as in the pull protocol (agent/protocol.hpp: url, expect_status,
// expect_body) plus "group" when the endpoint belongs to one. Reading is strict and never
// throws: every error names the field, e.g. "readings[3].health: expected up, degraded,
// partial or down".
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "patrol/patrol.hpp"

namespace faro::patrol {

inline constexpr char kAssignmentPath[] = "/api/v1/vantage/assignment";
inline constexpr char kReadingsPath[] = "/api/v1/vantage/readings";
inline constexpr std::size_t kMaxReadingsPerPost = 10000;
inline constexpr std::size_t kMaxResultsPerReading = 10000;
inline constexpr std::size_t kMaxTargetsPerAssignment = 10000;

// What the server asks one vantage to watch.
struct Assignment {
  std::string vantage;  // the server's name for the token's vantage
  int attempts = 2;
  std::chrono::milliseconds timeout{10000};
  double slow_ms = 2000;
  std::vector<PatrolTarget> targets;
};

nlohmann::json AssignmentToJson(const Assignment& assignment);
// All or nothing: an assignment the agent cannot follow completely is refused, with the field.
absl::StatusOr<Assignment> AssignmentFromJson(const nlohmann::json& json);

// A batch of rounds; `rounds` may be empty (a heartbeat). Each reading's own vantage is not
// written: the batch's `vantage` covers them all.
nlohmann::json ReadingsToJson(const std::string& vantage, const std::vector<Round>& rounds);

struct Rejection {
  std::size_t index = 0;  // in the posted "readings" array
  std::string error;
};

struct ReadingsBatch {
  std::string vantage;
  std::vector<Round> accepted;       // every reading and result stamped with `vantage`
  std::vector<std::size_t> indexes;  // each accepted round's index in the posted array
  std::vector<Rejection> rejected;
};

// One by one: a bad reading is rejected with its index and reason and the others are accepted.
// Only a body that is unreadable as a whole (not an object, no "readings" array, more than
// kMaxReadingsPerPost readings, no "vantage") is an error.
absl::StatusOr<ReadingsBatch> ReadingsFromJson(const nlohmann::json& json);

// The 202 answer.
struct ReadingsAnswer {
  std::size_t accepted = 0;
  std::vector<Rejection> rejected;
};
nlohmann::json ReadingsAnswerToJson(const ReadingsAnswer& answer);
absl::StatusOr<ReadingsAnswer> ReadingsAnswerFromJson(const nlohmann::json& json);

}  // namespace faro::patrol
