// Audit records: what one answer (a screening, a determination, an import, a case decision …) was
// asked, what it used and what it said, chained by SHA-256 so that any later change is detectable.
//
// A record's hash is SHA-256 over its canonical JSON: the fields below except `hash` and `inputs`,
// keys sorted, no whitespace, `prev_hash` included. The inputs are not hashed directly: their
// SHA-256 (`inputs_sha256`) is, and they sit in a separate table, so they can be blanked on a
// legal erasure request (a redaction, itself a record) without breaking the chain. See
// docs/RECORDS.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance {

// The time source of the store. The library never reads the clock itself: front ends pass the
// system clock, tests a fake one.
using Clock = std::function<std::chrono::system_clock::time_point()>;

// "2025-05-01T12:34:56.789Z" (UTC, milliseconds).
std::string format_utc(std::chrono::system_clock::time_point t);
// Parses format_utc's output, or "YYYY-MM-DD" (midnight UTC). nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view s);

// The version of this library, recorded with every answer.
std::string_view engine_version();

// Canonical JSON: object keys sorted, no whitespace, UTF-8 kept as is (invalid bytes replaced).
std::string canonical_json(const nlohmann::json& j);
// The same text for an ordered_json (keys sorted as it writes), without converting it first.
std::string canonical_json_of(const nlohmann::ordered_json& j);
// Appends s as a JSON string exactly as canonical_json writes it, for hand-built canonical texts.
void append_json_string(std::string& out, const std::string& s);
std::string sha256_hex(std::string_view bytes);
// SHA-256 of a file, read in blocks through env (the errors of Env: kNotFound when missing …).
Result<std::string> sha256_file(Env& env, const std::string& path);
Result<std::string> sha256_file(const std::string& path);

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct SnapshotRef {
  std::string name;  // list name in the data home, e.g. "us-csl"
  std::string id;    // the snapshot's content id
};

// What a caller hands to Store::append().
struct RecordDraft {
  std::string caller;  // API key id, or OS user for the command line
  std::string
      action;  // "screen", "screen.batch", "check", "classify", "impact", "lists.import", "case.decide" …
  nlohmann::json inputs = nlohmann::json::object();  // what was asked (canonicalised by the store)
  std::vector<SnapshotRef> snapshots;                // list snapshots in force
  std::vector<std::string> rules;                    // rule-pack versions used (content hashes)
  std::string catalogue;                             // item-catalogue content hash, when used
  std::optional<double> threshold;                   // alert threshold, when screening
  nlohmann::json result = nlohmann::json::object();  // what was answered
  // When not empty: `inputs` / `result` already as canonical JSON, used instead of them (callers
  // that record many answers write them once, without building a JSON tree to canonicalise).
  std::string inputs_text;
  std::string result_text;
  std::string engine;  // empty: engine_version()
  // Not part of the record: the Idempotency-Key (caller + key) of the request this answers. A
  // PostgreSQL store notes the record's number against that key in the same transaction, so a
  // retry on another replica finds the answer recorded and is not recorded twice.
  std::string idempotency_key;
};

struct Redaction {
  std::int64_t by_seq = 0;  // the audit.redact record that blanked the inputs
  std::string reason;
};

// A stored record. Text fields hold exactly what was hashed (canonical JSON where JSON).
struct Record {
  std::int64_t seq = 0;
  std::string time;  // format_utc
  std::string caller;
  std::string action;
  std::string inputs_sha256;
  std::string snapshots;  // canonical JSON array of {"id","name"}
  std::string rules;      // canonical JSON array of strings
  std::string catalogue;
  std::string engine;
  std::string threshold;  // canonical JSON number, or "null"
  std::string result;     // canonical JSON
  std::string prev_hash;
  std::string hash;
  std::optional<std::string> inputs;  // canonical JSON; nullopt once redacted (or when missing)
  std::optional<Redaction> redaction;
  std::string idempotency_key;  // not stored in the trail (RecordDraft::idempotency_key)

  // The bytes hashed: canonical JSON of every field but hash and inputs.
  std::string hashed_text() const;
  std::string compute_hash() const;  // SHA-256 (hex) of hashed_text()
  // The export form: every field as JSON, inputs expanded (null when redacted, with "redacted").
  nlohmann::ordered_json to_json() const;
};

struct ChainHead {
  std::int64_t seq = 0;  // 0: an empty trail
  std::string hash = std::string(kGenesisHash);
  // "SEQ:HASH", the form `audit head` prints and `audit verify --extends` takes.
  std::string to_string() const { return std::to_string(seq) + ":" + hash; }
  static std::optional<ChainHead> parse(std::string_view s);
};

}  // namespace clearance
