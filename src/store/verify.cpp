// audit verify: walks the trail in sequence order, recomputing each record's hash and its link to
// the one before, and names the first problem. When a link breaks, the record the broken link
// points at tells what happened: the record two back (one was inserted), another record (they
// were reordered), or none (the predecessor was deleted and the rest renumbered, or altered).
#include <map>

#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

std::string_view to_string(VerifyProblem p) {
  switch (p) {
    case VerifyProblem::kNone:
      return "none";
    case VerifyProblem::kAltered:
      return "altered";
    case VerifyProblem::kInserted:
      return "inserted";
    case VerifyProblem::kReordered:
      return "reordered";
    case VerifyProblem::kDeleted:
      return "deleted";
    case VerifyProblem::kTruncated:
      return "truncated";
    case VerifyProblem::kInputsAltered:
      return "inputs_altered";
    case VerifyProblem::kInputsMissing:
      return "inputs_missing";
    case VerifyProblem::kHeadMismatch:
      return "head_mismatch";
    case VerifyProblem::kNotExtending:
      return "not_extending";
  }
  return "unknown";
}

namespace {

std::string rec(std::int64_t seq) { return "record " + std::to_string(seq); }

// The sequence number a record was hashed with, when it was renumbered by at most `window`.
std::optional<std::int64_t> hashed_seq(Record r, std::int64_t window) {
  const std::int64_t at = r.seq;
  for (std::int64_t d = 1; d <= window; ++d)
    for (std::int64_t s : {at + d, at - d}) {
      if (s < 1) continue;
      r.seq = s;
      if (r.compute_hash() == r.hash) return s;
    }
  return std::nullopt;
}

}  // namespace

Result<VerifyReport> Store::verify(const std::optional<ChainHead>& extends) {
  VerifyReport rep;
  if (impl_->head_file) {
    auto h = impl_->head_file->read();
    if (!h) return h.error();
    rep.head_file = *h;
  }
  auto fail = [&](VerifyProblem p, std::int64_t seq, std::string msg) {
    if (!rep.ok) return;
    rep.ok = false;
    rep.problem = p;
    rep.problem_seq = seq;
    rep.message = std::move(msg);
  };

  std::lock_guard lk(impl_->rmu);
  SqlConn& c = *impl_->rconn;
  std::int64_t expected = 1;
  std::string prev(kGenesisHash);
  std::map<std::int64_t, std::int64_t> claimed;  // redaction record seq -> the record it redacted
  std::optional<Record> broken;                  // the record whose link to its predecessor broke
  std::optional<std::string> hash_at_file_head, hash_at_extends;

  auto st = c.each(std::string(kRecordSelect) + " ORDER BY r.seq", {}, [&](const SqlRow& row) {
    Record r = record_from_row(row);
    if (r.seq != expected) {
      fail(VerifyProblem::kDeleted, expected,
           r.seq == expected + 1 ? rec(expected) + " is missing (deleted)"
                                 : "records " + std::to_string(expected) + " to " +
                                       std::to_string(r.seq - 1) + " are missing (deleted)");
      return false;
    }
    if (r.prev_hash != prev) {
      broken = std::move(r);
      return false;  // classified below, with lookups this streaming query cannot interleave
    }
    if (r.compute_hash() != r.hash) {
      fail(VerifyProblem::kAltered, r.seq, rec(r.seq) + " was altered: its content does not match its hash");
      return false;
    }
    if (r.inputs) {
      if (sha256_hex(*r.inputs) != r.inputs_sha256) {
        fail(VerifyProblem::kInputsAltered, r.seq,
             "the inputs of " + rec(r.seq) + " were altered: they do not match the digest in the chain");
        return false;
      }
    } else if (r.redaction) {
      claimed[r.redaction->by_seq] = r.seq;
    } else {
      fail(VerifyProblem::kInputsMissing, r.seq,
           "the inputs of " + rec(r.seq) + " are missing and no redaction record says why");
      return false;
    }
    if (r.action == "audit.redact") {
      auto j = nlohmann::json::parse(r.result, nullptr, false);
      std::int64_t target = j.is_object() ? j.value("redacted_seq", std::int64_t{0}) : 0;
      auto it = claimed.find(r.seq);
      if (it != claimed.end() && it->second == target) {
        rep.redacted.push_back(target);
        claimed.erase(it);
      }
    }
    if (rep.head_file && r.seq == rep.head_file->seq) hash_at_file_head = r.hash;
    if (extends && r.seq == extends->seq) hash_at_extends = r.hash;
    prev = r.hash;
    rep.head = {r.seq, r.hash};
    ++rep.records;
    ++expected;
    return true;
  });
  if (!st) return st.error();

  if (broken) {
    const Record& r = *broken;
    auto q = c.query("SELECT seq FROM audit_records WHERE hash = ?", {SqlValue::text(r.prev_hash)});
    if (!q) return q.error();
    if (!q->empty()) {
      std::int64_t linked = col_int((*q)[0], 0);
      if (linked == r.seq - 2)
        fail(VerifyProblem::kInserted, r.seq - 1,
             rec(r.seq - 1) + " was inserted: " + rec(r.seq) + " links to " + rec(r.seq - 2));
      else
        fail(VerifyProblem::kReordered, r.seq,
             "records are out of order at " + rec(r.seq) + ": it links to " + rec(linked) + ", not to " +
                 rec(r.seq - 1));
    } else if (r.compute_hash() != r.hash) {
      auto original = hashed_seq(r, 1000);
      if (original && *original > r.seq)
        fail(VerifyProblem::kDeleted, r.seq,
             std::to_string(*original - r.seq) + " record(s) before " + rec(r.seq) +
                 " were deleted and the rest renumbered (this record was written as " + rec(*original) + ")");
      else
        fail(VerifyProblem::kAltered, r.seq,
             rec(r.seq) + " was altered: its content does not match its hash");
    } else {
      fail(
          VerifyProblem::kAltered, r.seq - 1,
          rec(r.seq - 1) + " was altered or replaced: " + rec(r.seq) + " links to a different version of it");
    }
  }
  if (rep.ok && !claimed.empty()) {
    auto [by, target] = *claimed.begin();
    fail(VerifyProblem::kInputsMissing, target,
         "the inputs of " + rec(target) + " were blanked, but " + rec(by) +
             " is not the redaction record of it");
  }
  if (rep.ok && rep.head_file) {
    if (rep.head_file->seq > rep.head.seq)
      fail(VerifyProblem::kTruncated, rep.head.seq + 1,
           "the trail ends at " + rec(rep.head.seq) + " but the chain-head file names " +
               rec(rep.head_file->seq) + ": records " + std::to_string(rep.head.seq + 1) + " to " +
               std::to_string(rep.head_file->seq) + " are missing (truncated)");
    else if (rep.head_file->seq > 0 && hash_at_file_head != rep.head_file->hash)
      fail(VerifyProblem::kHeadMismatch, rep.head_file->seq,
           rec(rep.head_file->seq) +
               " differs from the chain head written at commit: the chain was rewritten");
  }
  if (rep.ok) {
    auto h = c.query("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!h) return h.error();
    if (!h->empty() && col_int((*h)[0], 0) > rep.head.seq)
      fail(VerifyProblem::kTruncated, rep.head.seq + 1,
           "the trail ends at " + rec(rep.head.seq) + " but the store's chain head names " +
               rec(col_int((*h)[0], 0)) + " (truncated)");
  }
  if (rep.ok && extends && extends->seq > 0) {
    if (extends->seq > rep.head.seq)
      fail(
          VerifyProblem::kNotExtending, extends->seq,
          "the trail ends at " + rec(rep.head.seq) + ", before " + rec(extends->seq) + " named by --extends");
    else if (hash_at_extends != extends->hash)
      fail(VerifyProblem::kNotExtending, extends->seq,
           rec(extends->seq) + " has hash " + hash_at_extends.value_or("?") + ", not " + extends->hash +
               ": the trail does not extend the head written down");
  }
  return rep;
}

}  // namespace clearance
