// Review cases over the store's case workflow, as `clearance cases list|show|decide|approve` use it:
// the same Case JSON, the same rules (a reason for every decision; with four-eyes on, a decision
// waits for another user's approval). Decisions and approvals are on the audit trail: the store
// appends their case.decide / case.approve record in the transaction that changes the case.
#include "clearance/common/strings.hpp"
#include "server/json_input.hpp"
#include "server/routes.hpp"

namespace clearance::server {

namespace {

Store& case_store(Call& c) {
  if (!c.svc.store()) throw ApiError::not_found("this server keeps no store (--no-record): no review cases");
  return *c.svc.store();
}

std::int64_t positive_integer(const std::string& text, const std::string& field, const std::string& what,
                              long long min = 1) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || v < min)
    throw ApiError::invalid(field, field + ": expected " + what + ", got '" + text + "'");
  return v;
}

std::int64_t case_id(Call& c) { return positive_integer(c.params["id"], "id", "a case number"); }

// The store's refusals of a case change: a missing case is a 404, a case in the wrong state a 409,
// a store that cannot write a 503 (the change is not made).
ApiError case_error(const Error& e) {
  switch (e.kind) {
    case Error::Kind::kNotFound:
      return ApiError::not_found(e.message);
    case Error::Kind::kBadInput:
      return ApiError{409, "case_conflict", e.message, "", {}};
    case Error::Kind::kIo:
      return ApiError::unavailable("the store cannot record this change, so it is not made: " + e.message);
    case Error::Kind::kInternal:
      break;
  }
  return ApiError{500, "internal", e.message, "", {}};
}

Case existing(Call& c, std::int64_t id) {
  auto k = case_store(c).get_case(id);
  if (!k) throw case_error(k.error());
  return *k;
}

Answer case_answer(const Case& k, std::optional<std::int64_t> record) {
  Answer a;
  a.body = k.to_json();
  a.with_provenance = true;
  if (record) {
    a.audit_id = record;
    a.body["record"] = *record;
  }
  return a;
}

// A change needs the audit trail: on a trial server (--no-record) nothing is decided.
void require_recording(Call& c) {
  case_store(c);
  if (!c.svc.recording())
    throw ApiError::unavailable("this server records nothing (--no-record): cases are not decided here");
}

}  // namespace

namespace cases {

// GET /v1/cases?status=&list=&customer_id=|party_key=&entry_id=&after=&limit=
Answer list(Call& c) {
  c.only_query({"status", "list", "customer_id", "party_key", "entry_id", "after", "limit"});
  CaseFilter f;
  f.limit = 100;
  if (auto s = c.query("status")) {
    f.status = case_status_from_string(*s);
    if (!f.status)
      throw ApiError::invalid("status",
                              "status: one of open, pending, decided, released, expired; not '" + *s + "'");
  }
  f.list = c.query("list").value_or("");
  f.entry_id = c.query("entry_id").value_or("");
  auto customer = c.query("customer_id");
  auto key = c.query("party_key");
  if (customer && key) throw ApiError::invalid("party_key", "give customer_id or party_key, not both");
  if (customer) f.party_key = party_key(*customer, "", "", "");
  if (key) f.party_key = *key;
  if (auto a = c.query("after")) f.after = positive_integer(*a, "after", "a case number", 0);
  if (auto l = c.query("limit")) {
    f.limit = static_cast<size_t>(positive_integer(*l, "limit", "an integer in [1, 1000]"));
    if (f.limit > 1000) throw ApiError::invalid("limit", "limit: must be an integer in [1, 1000]");
  }
  auto found = case_store(c).cases(f);
  if (!found) throw case_error(found.error());
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& k : *found) items.push_back(k.to_json());
  Answer a;
  a.body = {{"cases", std::move(items)},
            {"next_after",
             found->size() == f.limit ? nlohmann::ordered_json(found->back().id) : nlohmann::ordered_json()}};
  a.with_provenance = true;
  return a;
}

Answer show(Call& c) { return case_answer(existing(c, case_id(c)), std::nullopt); }

// POST /v1/cases/{id}/decide {"decision": "true_match"|"false_positive", "reason": "…"}
Answer decide(Call& c) {
  std::int64_t id = case_id(c);
  auto body = c.json_body();
  JsonObject o(body, {"decision", "reason"});
  std::string as = *o.str("decision", true);
  auto decision = case_decision_from_string(as);
  if (!decision)
    throw ApiError::invalid("decision", "decision: true_match or false_positive, not '" + as + "'");
  std::string reason = std::string(trim(*o.str("reason", true)));
  if (reason.empty()) throw ApiError::invalid("reason", "reason: a decision needs a reason");
  require_recording(c);
  Case before = existing(c, id);
  if (before.status == CaseStatus::kReleased || before.status == CaseStatus::kExpired)
    throw ApiError{409,
                   "case_closed",
                   "case " + std::to_string(id) + " is " + std::string(to_string(before.status)) +
                       " and can no longer be decided",
                   "",
                   {}};
  Appended rec;
  auto k = case_store(c).decide(id, *decision, reason, Service::caller_id(c), &rec);
  if (!k) throw case_error(k.error());
  return case_answer(*k, rec.seq);
}

// POST /v1/cases/{id}/approve (no body, or {}): a second user approves a pending decision.
Answer approve(Call& c) {
  std::int64_t id = case_id(c);
  if (!c.req.body().empty()) {
    auto body = c.json_body();
    JsonObject o(body, {});
  }
  require_recording(c);
  Case before = existing(c, id);
  if (before.status != CaseStatus::kPending)
    throw ApiError{409,
                   "not_pending",
                   "case " + std::to_string(id) + " is " + std::string(to_string(before.status)) +
                       ", not pending approval",
                   "",
                   {}};
  if (before.decided_by == Service::caller_id(c))
    throw ApiError{403,
                   "four_eyes",
                   "case " + std::to_string(id) + ": " + before.decided_by +
                       " decided it, so another user must approve it (four-eyes policy)",
                   "",
                   {}};
  Appended rec;
  auto k = case_store(c).approve(id, Service::caller_id(c), &rec);
  if (!k) throw case_error(k.error());
  return case_answer(*k, rec.seq);
}

// GET /v1/cases/policy: the store's case policy (four-eyes, how long a false positive suppresses).
Answer policy(Call& c) {
  c.only_query({});
  auto p = case_store(c).policy();
  if (!p) throw case_error(p.error());
  Answer a;
  a.body = {{"require_approval", p->require_approval}, {"suppression_days", p->suppression_days}};
  return a;
}

}  // namespace cases
}  // namespace clearance::server
