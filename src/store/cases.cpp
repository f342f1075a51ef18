// Review cases. Every change goes through the writer (so it commits with the audit record that
// says so, and processes sharing a store take turns on the chain-head lock); lookups go through the
// reader connection.
#include "clearance/store/cases.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "clearance/common/parallel.hpp"
#include "clearance/text/fold.hpp"
#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

std::string party_key(std::string_view customer_id, std::string_view name, std::string_view country,
                      std::string_view birth_date) {
  if (!customer_id.empty()) return "customer:" + std::string(customer_id);
  std::string folded = text::fold(name), key = "name:";
  bool space = false;
  for (char c : folded) {
    if (c == ' ' || c == '\t') {
      space = !key.empty() && key.back() != ':';
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += c;
  }
  return key + "|" + std::string(country) + "|" + std::string(birth_date);
}

std::string entry_content_hash(const Party& p) {
  // The canonical JSON of the entry, written directly (a batch with hits hashes thousands of
  // entries; building a nlohmann::json of each first took most of the time): an object with its
  // keys in bytewise order, names as [text, kind], addresses as [text, country], ids as
  // [type, number, country], strings as nlohmann's dump writes them.
  std::string out;
  out.reserve(256);
  auto key = [&](const char* k) {
    out += out.empty() ? "{\"" : ",\"";
    out += k;
    out += "\":";
  };
  auto text = [&](const char* k, const std::string& v) {
    key(k);
    append_json_string(out, v);
  };
  auto tuple = [&](std::initializer_list<const std::string*> fields) {
    out += '[';
    bool first = true;
    for (const std::string* f : fields) {
      if (!first) out += ',';
      first = false;
      append_json_string(out, *f);
    }
    out += ']';
  };
  auto list = [&](const char* k, const auto& items, const auto& write) {
    key(k);
    out += '[';
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      write(items[i]);
    }
    out += ']';
  };
  auto plain = [&](const std::string& s) { append_json_string(out, s); };
  list("addresses", p.addresses, [&](const Address& a) { tuple({&a.text, &a.country}); });
  list("birth_dates", p.birth_dates, plain);
  text("citation", p.citation);
  list("countries", p.countries, plain);
  text("id", p.id);
  list("ids", p.ids, [&](const Identifier& i) { tuple({&i.type, &i.number, &i.country}); });
  text("license_policy", p.license_policy);
  text("license_requirement", p.license_requirement);
  text("list", p.list);
  text("listed_on", p.listed_on);
  list("names", p.names, [&](const Name& n) {
    const std::string kind(to_string(n.kind));
    tuple({&n.text, &kind});
  });
  list("programs", p.programs, plain);
  text("remarks", p.remarks);
  text("type", std::string(to_string(p.type)));
  out += '}';
  return sha256_hex(out);
}

namespace {

constexpr std::pair<CaseStatus, std::string_view> kStatusNames[] = {{CaseStatus::kOpen, "open"},
                                                                    {CaseStatus::kPending, "pending"},
                                                                    {CaseStatus::kDecided, "decided"},
                                                                    {CaseStatus::kReleased, "released"},
                                                                    {CaseStatus::kExpired, "expired"}};
constexpr std::pair<CaseDecision, std::string_view> kDecisionNames[] = {
    {CaseDecision::kTrueMatch, "true_match"}, {CaseDecision::kFalsePositive, "false_positive"}};

template <class E, size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&names)[N], E v) {
  for (const auto& [e, n] : names)
    if (e == v) return n;
  return "";
}

template <class E, size_t N>
std::optional<E> from_name(const std::pair<E, std::string_view> (&names)[N], std::string_view s) {
  for (const auto& [e, n] : names)
    if (n == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseStatus s) { return name_of(kStatusNames, s); }
std::optional<CaseStatus> case_status_from_string(std::string_view s) { return from_name(kStatusNames, s); }
std::string_view to_string(CaseDecision d) { return name_of(kDecisionNames, d); }
std::optional<CaseDecision> case_decision_from_string(std::string_view s) {
  return from_name(kDecisionNames, s);
}

nlohmann::ordered_json Case::to_json() const {
  nlohmann::ordered_json j;
  j["id"] = id;
  j["status"] = to_string(status);
  if (decision != CaseDecision::kNone) j["decision"] = to_string(decision);
  j["party_key"] = party_key;
  j["party_name"] = party_name;
  j["list"] = list;
  j["entry_id"] = entry_id;
  j["entry_name"] = entry_name;
  j["entry_hash"] = entry_hash;
  j["score"] = score;
  j["opened_at"] = opened_at;
  j["opened_by"] = opened_by;
  auto opt = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  opt("reason", reason);
  opt("decided_at", decided_at);
  opt("decided_by", decided_by);
  opt("approved_at", approved_at);
  opt("approved_by", approved_by);
  opt("expires_at", expires_at);
  opt("closed_note", closed_note);
  return j;
}

namespace {

constexpr const char* kCaseSelect =
    "SELECT id, party_key, party_name, entry_id, entry_hash, list, entry_name, score, status, decision, "
    "reason, "
    "opened_at, opened_by, decided_at, decided_by, approved_at, approved_by, expires_at, closed_note FROM "
    "cases";
constexpr const char* kLive = "status IN ('open', 'pending', 'decided')";

Case case_from_row(const SqlRow& r) {
  Case c;
  c.id = col_int(r, 0);
  c.party_key = col(r, 1);
  c.party_name = col(r, 2);
  c.entry_id = col(r, 3);
  c.entry_hash = col(r, 4);
  c.list = col(r, 5);
  c.entry_name = col(r, 6);
  std::from_chars(col(r, 7).data(), col(r, 7).data() + col(r, 7).size(), c.score);
  c.status = case_status_from_string(col(r, 8)).value_or(CaseStatus::kOpen);
  c.decision = case_decision_from_string(col(r, 9)).value_or(CaseDecision::kNone);
  c.reason = col(r, 10);
  c.opened_at = col(r, 11);
  c.opened_by = col(r, 12);
  c.decided_at = col(r, 13);
  c.decided_by = col(r, 14);
  c.approved_at = col(r, 15);
  c.approved_by = col(r, 16);
  c.expires_at = col(r, 17);
  c.closed_note = col(r, 18);
  return c;
}

Result<std::optional<Case>> find_case(SqlConn& c, std::int64_t id) {
  auto r = c.query(std::string(kCaseSelect) + " WHERE id = ?", {SqlValue::integer(id)});
  if (!r) return r.error();
  if (r->empty()) return std::optional<Case>{};
  return std::optional<Case>(case_from_row((*r)[0]));
}

Result<CasePolicy> read_policy(SqlConn& c) {
  CasePolicy p;
  auto r = c.query("SELECT key, value FROM settings");
  if (!r) return r.error();
  for (const auto& row : *r) {
    if (col(row, 0) == "require_approval") p.require_approval = col(row, 1) == "true";
    if (col(row, 0) == "suppression_days") p.suppression_days = static_cast<int>(col_int(row, 1));
  }
  return p;
}

// What a live case says about a hit now: nullopt when it is a false positive past its expiry.
std::optional<ReviewMark> mark_of(const Case& k, const std::string& now) {
  bool fp = k.status == CaseStatus::kDecided && k.decision == CaseDecision::kFalsePositive;
  if (fp && !k.expires_at.empty() && k.expires_at <= now) return std::nullopt;
  ReviewMark m;
  m.case_id = k.id;
  m.status = k.status;
  m.decision = k.decision;
  m.suppressed = fp;
  return m;
}

std::string plus_days(const std::string& time, int days) {
  auto t = parse_utc(time);
  return t ? format_utc(*t + std::chrono::hours(24) * days) : time;
}

Status set_case(SqlConn& c, const Case& k) {
  auto r = c.query(
      "UPDATE cases SET status = ?, decision = ?, reason = ?, decided_at = ?, decided_by = ?, approved_at = "
      "?, "
      "approved_by = ?, expires_at = ?, closed_note = ? WHERE id = ?",
      {SqlValue::text(std::string(to_string(k.status))), SqlValue::text(std::string(to_string(k.decision))),
       SqlValue::text(k.reason), SqlValue::text(k.decided_at), SqlValue::text(k.decided_by),
       SqlValue::text(k.approved_at), SqlValue::text(k.approved_by), SqlValue::text(k.expires_at),
       SqlValue::text(k.closed_note), SqlValue::integer(k.id)});
  return r ? Status::Ok() : Status(r.error());
}

}  // namespace

namespace {

// Live cases by (party key, entry id): one query per few hundred party keys, not one per hit.
// `opening` marks a case opened by this review and not inserted yet (its index in the openings).
struct LiveCase {
  Case k;
  size_t opening = SIZE_MAX;
};
using LiveCases = std::map<std::pair<std::string, std::string>, std::vector<LiveCase>>;

Result<LiveCases> live_cases(SqlConn& c, const std::vector<ReviewRequest>& parties) {
  std::set<std::string> keys;
  for (const auto& p : parties)
    if (!p.hits.empty()) keys.insert(p.party_key);
  LiveCases out;
  constexpr size_t kKeysPerQuery = 500;
  std::vector<std::string> all(keys.begin(), keys.end());
  for (size_t at = 0; at < all.size(); at += kKeysPerQuery) {
    size_t n = std::min(kKeysPerQuery, all.size() - at);
    std::string sql = std::string(kCaseSelect) + " WHERE " + kLive + " AND party_key IN (";
    SqlParams params;
    for (size_t i = 0; i < n; ++i) {
      sql += i ? ",?" : "?";
      params.push_back(SqlValue::text(all[at + i]));
    }
    sql += ")";
    auto st = c.each(sql, params, [&](const SqlRow& row) {
      Case k = case_from_row(row);
      auto key = std::make_pair(k.party_key, k.entry_id);
      out[key].push_back({std::move(k)});
      return true;
    });
    if (!st) return st.error();
  }
  return out;
}

// Cases a review opens, inserted together (multi-row inserts) once it knows them all.
struct Openings {
  struct One {
    const ReviewRequest* party;
    const ReviewHit* hit;
    std::vector<ReviewMark*> marks;  // the first opened it; later hits of the same key see it open
  };
  std::vector<One> list;
  size_t inserted = 0;

  // Inserts the cases not inserted yet; their ids go to their marks and to `live`.
  Status insert(WriterTx& tx, LiveCases& live, const std::string& caller) {
    constexpr size_t kRowsPerInsert = 100;
    for (size_t at = inserted; at < list.size(); at += kRowsPerInsert) {
      size_t n = std::min(kRowsPerInsert, list.size() - at);
      std::string sql =
          "INSERT INTO cases (party_key, party_name, entry_id, entry_hash, list, entry_name, score, status, "
          "decision, reason, opened_at, opened_by, decided_at, decided_by, approved_at, approved_by, "
          "expires_at, closed_note) VALUES ";
      SqlParams params;
      params.reserve(n * 9);
      for (size_t k = at; k < at + n; ++k) {
        const auto& o = list[k];
        sql += k > at ? "," : "";
        sql += "(?, ?, ?, ?, ?, ?, ?, 'open', '', '', ?, ?, '', '', '', '', '', '')";
        for (const std::string* v : {&o.party->party_key, &o.party->party_name, &o.hit->entry_id,
                                     &o.hit->entry_hash, &o.hit->list, &o.hit->entry_name})
          params.push_back(SqlValue::text(*v));
        params.push_back(SqlValue::text(nlohmann::json(o.hit->score).dump()));
        params.push_back(SqlValue::text(tx.now));
        params.push_back(SqlValue::text(caller));
      }
      // Ids come back by key: there is one live case per key.
      sql += " RETURNING id, party_key, entry_id, entry_hash";
      std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> ids;
      auto st = tx.conn.each(sql, params, [&](const SqlRow& row) {
        ids[{col(row, 1), col(row, 2), col(row, 3)}] = col_int(row, 0);
        return true;
      });
      if (!st) return st;
      for (size_t k = at; k < at + n; ++k) {
        const auto& o = list[k];
        auto id = ids.find({o.party->party_key, o.hit->entry_id, o.hit->entry_hash});
        if (id == ids.end()) return Error::Internal("review: an opened case came back without its id");
        for (size_t m = 0; m < o.marks.size(); ++m) {
          *o.marks[m] = ReviewMark{};
          o.marks[m]->case_id = id->second;
          o.marks[m]->opened = m == 0;
        }
        for (auto& lc : live[{o.party->party_key, o.hit->entry_id}])
          if (lc.opening == k) {
            lc.k.id = id->second;
            lc.opening = SIZE_MAX;
          }
      }
    }
    inserted = list.size();
    return Status::Ok();
  }
};

// The marks of many parties' hits inside the writer, as if their hits were reviewed one after the
// other: the live case of each key, opened when there is none (after expiring a false positive past
// its date and releasing cases of an older entry). Set-based: one select per few hundred parties,
// one update per case that changes state, multi-row inserts for the cases opened.
Result<std::vector<std::vector<ReviewMark>>> review_in_tx(WriterTx& tx,
                                                          const std::vector<ReviewRequest>& parties,
                                                          const std::string& caller) {
  SqlConn& c = tx.conn;
  auto live = live_cases(c, parties);
  if (!live) return live.error();
  Openings openings;
  std::vector<std::vector<ReviewMark>> out(parties.size());
  for (size_t pi = 0; pi < parties.size(); ++pi) out[pi].resize(parties[pi].hits.size());
  for (size_t pi = 0; pi < parties.size(); ++pi) {
    const ReviewRequest& p = parties[pi];
    for (size_t hi = 0; hi < p.hits.size(); ++hi) {
      const ReviewHit& h = p.hits[hi];
      ReviewMark& mark = out[pi][hi];
      auto& cases = (*live)[{p.party_key, h.entry_id}];
      auto same = std::find_if(cases.begin(), cases.end(),
                               [&](const LiveCase& lc) { return lc.k.entry_hash == h.entry_hash; });
      if (same != cases.end()) {
        if (same->opening != SIZE_MAX) {
          openings.list[same->opening].marks.push_back(&mark);
          continue;
        }
        if (auto m = mark_of(same->k, tx.now)) {
          mark = *m;
          continue;
        }
        same->k.status = CaseStatus::kExpired;
        same->k.closed_note = "the false-positive decision expired at " + same->k.expires_at;
        if (auto st = set_case(c, same->k); !st) return st.error();
        cases.erase(same);
      }
      // The entry changed since older cases of this party and entry were opened: they no longer
      // apply. (One opened earlier in this review is inserted first, to be released like the rest.)
      if (std::any_of(cases.begin(), cases.end(), [](const LiveCase& lc) { return lc.opening != SIZE_MAX; }))
        if (auto st = openings.insert(tx, *live, caller); !st) return st.error();
      for (const auto& lc : cases) {
        auto rel = c.query("UPDATE cases SET status = 'released', closed_note = ? WHERE id = ?",
                           {SqlValue::text("the list entry changed (now " + h.entry_hash.substr(0, 12) + ")"),
                            SqlValue::integer(lc.k.id)});
        if (!rel) return rel.error();
      }
      cases.clear();
      Case k;
      k.party_key = p.party_key;
      k.entry_id = h.entry_id;
      k.entry_hash = h.entry_hash;
      cases.push_back({std::move(k), openings.list.size()});
      openings.list.push_back({&p, &h, {&mark}});
    }
  }
  if (auto st = openings.insert(tx, *live, caller); !st) return st.error();
  return out;
}

}  // namespace

Result<std::vector<std::vector<ReviewMark>>> Store::review_many(const std::vector<ReviewRequest>& parties,
                                                                const std::string& caller) {
  using Marks = std::vector<std::vector<ReviewMark>>;
  bool any = false;
  for (const auto& p : parties) any = any || !p.hits.empty();
  if (!any) return Marks(parties.size());
  return impl_->in_writer<Marks>(
      [&](WriterTx& tx) -> Result<Marks> { return review_in_tx(tx, parties, caller); });
}

namespace store_detail {

Result<std::vector<Appended>> review_and_append_in_tx(Store::Impl& impl, WriterTx& tx,
                                                      const std::vector<ReviewRequest>& parties,
                                                      const std::string& caller,
                                                      const Store::RecordBuilder& build) {
  auto marks = review_in_tx(tx, parties, caller);
  if (!marks) return marks.error();
  std::vector<RecordDraft> drafts = build(*marks);
  std::vector<Record> records(drafts.size());
  parallel_for(records.size(), 0, [&](size_t i) { records[i] = impl.make_record(std::move(drafts[i])); });
  std::vector<Appended> out;
  out.reserve(records.size());
  for (auto& r : records) out.push_back(tx.append(std::move(r)));
  return out;
}

}  // namespace store_detail

Result<std::vector<Appended>> Store::review_and_append(const std::vector<ReviewRequest>& parties,
                                                       const std::string& caller,
                                                       const RecordBuilder& build) {
  return impl_->in_writer<std::vector<Appended>>(
      [&](WriterTx& tx) { return review_and_append_in_tx(*impl_, tx, parties, caller, build); });
}

void Store::review_and_append_later(std::vector<ReviewRequest> parties, std::string caller,
                                    RecordBuilder build,
                                    std::function<void(Result<std::vector<Appended>>)> done) {
  impl_->in_writer_later<std::vector<Appended>>(
      [this, parties = std::move(parties), caller = std::move(caller), build = std::move(build)](
          WriterTx& tx) { return review_and_append_in_tx(*impl_, tx, parties, caller, build); },
      std::move(done));
}

Result<std::vector<ReviewMark>> Store::review(const std::string& key, const std::string& party_name,
                                              const std::vector<ReviewHit>& hits, const std::string& caller) {
  auto m = review_many({{key, party_name, hits}}, caller);
  if (!m) return m.error();
  return std::move((*m)[0]);
}

Result<std::vector<std::vector<ReviewMark>>> Store::review_lookup_many(
    const std::vector<ReviewRequest>& parties) {
  std::vector<std::vector<ReviewMark>> out;
  std::string now = impl_->now();
  Result<LiveCases> live = LiveCases{};
  {
    std::lock_guard lk(impl_->rmu);
    live = live_cases(*impl_->rconn, parties);
  }
  if (!live) return live.error();
  for (const auto& p : parties) {
    auto& marks = out.emplace_back();
    for (const auto& h : p.hits) {
      std::optional<ReviewMark> m;
      if (auto it = live->find({p.party_key, h.entry_id}); it != live->end())
        for (const auto& lc : it->second)
          if (lc.k.entry_hash == h.entry_hash) m = mark_of(lc.k, now);
      marks.push_back(m.value_or(ReviewMark{}));
    }
  }
  return out;
}

Result<std::vector<ReviewMark>> Store::review_lookup(const std::string& key,
                                                     const std::vector<ReviewHit>& hits) {
  auto m = review_lookup_many({{key, "", hits}});
  if (!m) return m.error();
  return std::move((*m)[0]);
}

Result<std::vector<Case>> Store::cases(std::optional<CaseStatus> status, size_t limit) {
  CaseFilter f;
  f.status = status;
  f.limit = limit;
  return cases(f);
}

Result<std::vector<Case>> Store::cases(const CaseFilter& f) {
  std::string sql = std::string(kCaseSelect) + " WHERE id > ?";
  SqlParams p{SqlValue::integer(f.after)};
  auto where = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += std::string(" AND ") + column + " = ?";
    p.push_back(SqlValue::text(value));
  };
  where("status", f.status ? std::string(to_string(*f.status)) : std::string());
  where("list", f.list);
  where("party_key", f.party_key);
  where("entry_id", f.entry_id);
  sql += " ORDER BY id LIMIT ?";
  p.push_back(SqlValue::integer(static_cast<std::int64_t>(f.limit)));
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query(sql, p);
  if (!r) return r.error();
  std::vector<Case> out;
  for (const auto& row : *r) out.push_back(case_from_row(row));
  return out;
}

Result<std::vector<std::pair<CaseStatus, std::int64_t>>> Store::case_counts() {
  std::lock_guard lk(impl_->rmu);
  auto r = impl_->rconn->query("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status");
  if (!r) return r.error();
  std::vector<std::pair<CaseStatus, std::int64_t>> out;
  for (const auto& row : *r)
    if (auto s = case_status_from_string(col(row, 0))) out.emplace_back(*s, col_int(row, 1));
  return out;
}

Result<Case> Store::get_case(std::int64_t id) {
  std::lock_guard lk(impl_->rmu);
  auto k = find_case(*impl_->rconn, id);
  if (!k) return k.error();
  if (!*k) return Error::NotFound("case " + std::to_string(id) + " does not exist");
  return **k;
}

Result<Case> Store::decide(std::int64_t id, CaseDecision decision, const std::string& reason,
                           const std::string& caller, Appended* recorded) {
  if (decision == CaseDecision::kNone) return Error::BadInput("decide: --as true_match or false_positive");
  if (reason.empty()) return Error::BadInput("decide: a reason is required");
  return impl_->in_writer<Case>([&](WriterTx& tx) -> Result<Case> {
    auto found = find_case(tx.conn, id);
    if (!found) return found.error();
    if (!*found) return Error::NotFound("case " + std::to_string(id) + " does not exist");
    Case k = **found;
    if (k.status == CaseStatus::kReleased || k.status == CaseStatus::kExpired)
      return Error::BadInput("case " + std::to_string(id) + " is " + std::string(to_string(k.status)) +
                             " and can no longer be decided (" + k.closed_note + ")");
    auto policy = read_policy(tx.conn);
    if (!policy) return policy.error();
    Case before = k;
    k.decision = decision;
    k.reason = reason;
    k.decided_at = tx.now;
    k.decided_by = caller;
    k.approved_at.clear();
    k.approved_by.clear();
    k.expires_at.clear();
    if (policy->require_approval) {
      k.status = CaseStatus::kPending;
    } else {
      k.status = CaseStatus::kDecided;
      if (decision == CaseDecision::kFalsePositive)
        k.expires_at = plus_days(tx.now, policy->suppression_days);
    }
    if (auto st = set_case(tx.conn, k); !st) return st.error();
    RecordDraft d;
    d.caller = caller;
    d.action = "case.decide";
    d.inputs = {{"case", id}, {"decision", std::string(to_string(decision))}, {"reason", reason}};
    d.result = {{"case", nlohmann::json(k.to_json())},
                {"previous_status", std::string(to_string(before.status))},
                {"require_approval", policy->require_approval}};
    Appended a = tx.append(impl_->make_record(std::move(d)));
    if (recorded) *recorded = a;
    return k;
  });
}

Result<Case> Store::approve(std::int64_t id, const std::string& caller, Appended* recorded) {
  return impl_->in_writer<Case>([&](WriterTx& tx) -> Result<Case> {
    auto found = find_case(tx.conn, id);
    if (!found) return found.error();
    if (!*found) return Error::NotFound("case " + std::to_string(id) + " does not exist");
    Case k = **found;
    if (k.status != CaseStatus::kPending)
      return Error::BadInput("case " + std::to_string(id) + " is " + std::string(to_string(k.status)) +
                             ", not pending approval");
    if (k.decided_by == caller)
      return Error::BadInput("case " + std::to_string(id) + ": four-eyes policy: " + caller +
                             " decided it, so another user must approve it");
    auto policy = read_policy(tx.conn);
    if (!policy) return policy.error();
    k.status = CaseStatus::kDecided;
    k.approved_at = tx.now;
    k.approved_by = caller;
    if (k.decision == CaseDecision::kFalsePositive)
      k.expires_at = plus_days(tx.now, policy->suppression_days);
    if (auto st = set_case(tx.conn, k); !st) return st.error();
    RecordDraft d;
    d.caller = caller;
    d.action = "case.approve";
    d.inputs = {{"case", id}};
    d.result = {{"case", nlohmann::json(k.to_json())}};
    Appended a = tx.append(impl_->make_record(std::move(d)));
    if (recorded) *recorded = a;
    return k;
  });
}

Result<CasePolicy> Store::policy() {
  std::lock_guard lk(impl_->rmu);
  return read_policy(*impl_->rconn);
}

Result<Appended> Store::set_policy(const CasePolicy& p, const std::string& caller) {
  if (p.suppression_days < 1)
    return Error::BadInput("policy: the suppression period must be at least one day");
  return impl_->in_writer<Appended>([&](WriterTx& tx) -> Result<Appended> {
    auto before = read_policy(tx.conn);
    if (!before) return before.error();
    for (auto [k, v] :
         {std::pair<std::string, std::string>{"require_approval", p.require_approval ? "true" : "false"},
          {"suppression_days", std::to_string(p.suppression_days)}}) {
      auto r = tx.conn.query(
          "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
          "excluded.value",
          {SqlValue::text(k), SqlValue::text(v)});
      if (!r) return r.error();
    }
    RecordDraft d;
    d.caller = caller;
    d.action = "case.policy";
    d.inputs = {{"require_approval", p.require_approval}, {"suppression_days", p.suppression_days}};
    d.result = {
        {"before",
         {{"require_approval", before->require_approval}, {"suppression_days", before->suppression_days}}},
        {"after", {{"require_approval", p.require_approval}, {"suppression_days", p.suppression_days}}}};
    return tx.append(impl_->make_record(std::move(d)));
  });
}

}  // namespace clearance
