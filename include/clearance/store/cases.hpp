// Review cases: a hit at or above the alert threshold opens a case keyed by (party key, list entry
// id, entry content hash). An analyst decides it (true_match or false_positive, with a reason); a
// false positive then suppresses the same pair in later screenings until the entry's content
// changes or the decision expires. With the four-eyes policy on, a decision stays pending until a
// second, different user approves it. See docs/RECORDS.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/lists/party.hpp"

namespace clearance {

// Who the screened party is, for case keys: the caller's customer id when given ("customer:ID"),
// else the folded name with country and date of birth ("name:huawei technologies|CN|"), so
// dismissing one "John Smith" never silences another customer's hit.
std::string party_key(std::string_view customer_id, std::string_view name, std::string_view country,
                      std::string_view birth_date);

// SHA-256 (hex) over every field of a list entry: a change to any of them releases suppressions.
std::string entry_content_hash(const Party& party);

enum class CaseStatus {
  kOpen,      // waiting for a decision
  kPending,   // decided, waiting for a second user's approval (four-eyes)
  kDecided,   // decided (and approved when required): a false positive suppresses its pair
  kReleased,  // the list entry changed after the case was opened: no longer applies
  kExpired,   // a false-positive decision that reached its expiry
};
std::string_view to_string(CaseStatus s);
std::optional<CaseStatus> case_status_from_string(std::string_view s);

enum class CaseDecision { kNone, kTrueMatch, kFalsePositive };
std::string_view to_string(CaseDecision d);
// "true_match" | "false_positive"; nullopt otherwise.
std::optional<CaseDecision> case_decision_from_string(std::string_view s);

struct Case {
  std::int64_t id = 0;
  std::string party_key;
  std::string party_name;  // as screened when the case opened
  std::string entry_id;
  std::string entry_hash;
  std::string list;
  std::string entry_name;
  double score = 0;
  CaseStatus status = CaseStatus::kOpen;
  CaseDecision decision = CaseDecision::kNone;
  std::string reason;
  std::string opened_at, opened_by;
  std::string decided_at, decided_by;
  std::string approved_at, approved_by;
  std::string expires_at;   // false positives: when the suppression ends (UTC, format_utc)
  std::string closed_note;  // why it was released or expired

  nlohmann::ordered_json to_json() const;
};

struct CasePolicy {
  bool require_approval = false;  // four-eyes: a decision needs a second user's approval
  int suppression_days = 365;     // how long a false-positive decision suppresses its pair
};

// Which cases Store::cases() lists: every condition given must hold.
struct CaseFilter {
  std::optional<CaseStatus> status;
  std::string list;        // the list of the entry
  std::string party_key;   // as party_key() makes it ("customer:C-17")
  std::string entry_id;    // the list entry
  std::int64_t after = 0;  // ids above this one (paging: the last id of the previous page)
  size_t limit = 1000;
};

// A screening hit handed to Store::review().
struct ReviewHit {
  std::string entry_id;
  std::string entry_hash;  // entry_content_hash(party)
  std::string list;
  std::string entry_name;
  double score = 0;
};

// One screened party's hits, for Store::review_many().
struct ReviewRequest {
  std::string party_key;
  std::string party_name;
  std::vector<ReviewHit> hits;
};

// What review() says about one hit (same order as the hits given).
struct ReviewMark {
  std::int64_t case_id = 0;
  CaseStatus status = CaseStatus::kOpen;
  CaseDecision decision = CaseDecision::kNone;
  bool opened = false;      // this screening opened the case
  bool suppressed = false;  // a false positive in force: report the hit as "suppressed_by: case N"
};

}  // namespace clearance
