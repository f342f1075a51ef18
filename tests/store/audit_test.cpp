// The audit trail on SQLite and PostgreSQL: appends form one verified chain, durable when append()
// returns; the database refuses updates and deletes; redaction; export; --extends.
#include <gtest/gtest.h>

#include <thread>

#include "store/store_test_support.hpp"
#include "support/paths.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

using AuditTest = StoreTest;
STORE_BACKENDS(AuditTest);

TEST_P(AuditTest, AppendsFromManyThreadsFormOneVerifiedChain) {
  auto store = open();
  ASSERT_TRUE(store);
  constexpr int kThreads = 4, kEach = 100;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!store->append(draft(t * kEach + i)).ok()) ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto rep = store->verify();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->records, kThreads * kEach);
  auto head = store->head();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, kThreads * kEach);
  EXPECT_EQ(rep->head.hash, head->hash);
  // The chain-head file was written after the last commit.
  ASSERT_TRUE(rep->head_file.has_value());
  EXPECT_EQ(rep->head_file->seq, head->seq);
  EXPECT_EQ(rep->head_file->hash, head->hash);
}

TEST_P(AuditTest, AppendReturnsOnlyOnceAnotherConnectionSeesTheRecord) {
  auto store = open();
  ASSERT_TRUE(store);
  auto c = raw();
  for (int i = 1; i <= 20; ++i) {
    auto a = store->append(draft(i));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->seq, i);
    auto r =
        c->query("SELECT hash FROM audit_records WHERE seq = ?", {store_detail::SqlValue::integer(a->seq)});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ(store_detail::col((*r)[0], 0), a->hash);
  }
}

TEST_P(AuditTest, RecordHoldsWhatWasAppendedAndItsHashIsReproducible) {
  auto store = open();
  ASSERT_TRUE(store);
  RecordDraft d = draft(7, "check");
  d.rules = {"abc123"};
  d.catalogue = "cat456";
  d.inputs = {{"item", "H20"}, {"to", "CN"}, {"as_of", "2025-05-01"}};
  d.result = {{"overall", "license_required"}};
  ASSERT_TRUE(store->append(draft(1)).ok());
  auto a = store->append(d);
  ASSERT_TRUE(a.ok());
  auto r = store->record(a->seq);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->action, "check");
  EXPECT_EQ(r->caller, "tester");
  EXPECT_EQ(r->time.substr(0, 11), "2025-05-01T");
  EXPECT_EQ(r->engine, std::string(engine_version()));
  EXPECT_EQ(r->threshold, "0.82");
  EXPECT_EQ(r->rules, "[\"abc123\"]");
  EXPECT_EQ(r->catalogue, "cat456");
  ASSERT_TRUE(r->inputs.has_value());
  EXPECT_EQ(*r->inputs, R"({"as_of":"2025-05-01","item":"H20","to":"CN"})");
  EXPECT_EQ(r->inputs_sha256, sha256_hex(*r->inputs));
  EXPECT_EQ(r->result, R"({"overall":"license_required"})");
  // An auditor can recompute the hash from the documented canonical form.
  auto j = r->to_json();
  nlohmann::json canon = {{"action", r->action},
                          {"caller", r->caller},
                          {"catalogue", r->catalogue},
                          {"engine", r->engine},
                          {"inputs_sha256", r->inputs_sha256},
                          {"prev_hash", r->prev_hash},
                          {"result", nlohmann::json(j["result"])},
                          {"rules", nlohmann::json(j["rules"])},
                          {"seq", r->seq},
                          {"snapshots", nlohmann::json(j["snapshots"])},
                          {"threshold", 0.82},
                          {"time", r->time}};
  EXPECT_EQ(sha256_hex(canon.dump()), r->hash);
  auto first = store->record(1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->prev_hash, std::string(kGenesisHash));
  EXPECT_EQ(r->prev_hash, first->hash);
  EXPECT_EQ(store->record(99).error().kind, Error::Kind::kNotFound);
}

TEST_P(AuditTest, TheDatabaseRefusesUpdatesAndDeletesOfRecords) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->append(draft(1)).ok());
  auto c = raw();
  EXPECT_FALSE(c->query("UPDATE audit_records SET result = '{}' WHERE seq = 1").ok());
  EXPECT_FALSE(c->query("DELETE FROM audit_records WHERE seq = 1").ok());
  EXPECT_FALSE(c->query("DELETE FROM audit_inputs WHERE seq = 1").ok());
  EXPECT_FALSE(c->query("UPDATE audit_inputs SET inputs = '{}' WHERE seq = 1").ok());
  auto rep = store->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
}

TEST_P(AuditTest, RedactionBlanksInputsAndVerifyReportsItAsSuch) {
  auto store = open();
  ASSERT_TRUE(store);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(store->append(draft(i)).ok());
  auto red = store->redact(3, "GDPR erasure request 2025-17", "dpo");
  ASSERT_TRUE(red.ok()) << red.error().message;
  EXPECT_EQ(red->seq, 6);
  auto r = store->record(3);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->inputs.has_value());
  ASSERT_TRUE(r->redaction.has_value());
  EXPECT_EQ(r->redaction->by_seq, 6);
  EXPECT_EQ(r->redaction->reason, "GDPR erasure request 2025-17");
  auto j = r->to_json();
  EXPECT_TRUE(j["inputs"].is_null());
  EXPECT_EQ(j["redacted"]["by"], 6);
  auto rr = store->record(6);
  ASSERT_TRUE(rr.ok());
  EXPECT_EQ(rr->action, "audit.redact");
  EXPECT_EQ(rr->caller, "dpo");

  auto rep = store->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_EQ(rep->redacted, std::vector<std::int64_t>{3});
  EXPECT_EQ(store->redact(3, "again", "dpo").error().kind, Error::Kind::kBadInput);
  EXPECT_EQ(store->redact(99, "x", "dpo").error().kind, Error::Kind::kNotFound);
  EXPECT_EQ(store->redact(2, "", "dpo").error().kind, Error::Kind::kBadInput);
}

TEST_P(AuditTest, ExtendsChecksThatTheTrailStillContainsAHeadWrittenDown) {
  auto store = open();
  ASSERT_TRUE(store);
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(store->append(draft(i)).ok());
  auto written = store->head();
  ASSERT_TRUE(written.ok());
  auto parsed = ChainHead::parse(written->to_string());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->hash, written->hash);
  for (int i = 11; i <= 15; ++i) ASSERT_TRUE(store->append(draft(i)).ok());
  auto rep = store->verify(*parsed);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;

  ChainHead wrong = *parsed;
  wrong.hash[0] = wrong.hash[0] == 'a' ? 'b' : 'a';
  rep = store->verify(wrong);
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(rep->ok);
  EXPECT_EQ(rep->problem, VerifyProblem::kNotExtending);
  EXPECT_EQ(rep->problem_seq, 10);

  ChainHead later{40, parsed->hash};
  rep = store->verify(later);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->problem, VerifyProblem::kNotExtending);
  EXPECT_FALSE(ChainHead::parse("10:nothex").has_value());
  EXPECT_FALSE(ChainHead::parse("x:" + parsed->hash).has_value());
}

TEST_P(AuditTest, ExportFiltersByDateAndAction) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->append(draft(1, "screen")).ok());
  ASSERT_TRUE(store->append(draft(2, "screen.batch")).ok());
  clock_.advance_days(2);  // 2025-05-03
  ASSERT_TRUE(store->append(draft(3, "check")).ok());
  ASSERT_TRUE(store->append(draft(4, "screen")).ok());
  auto seqs = [&](const ExportFilter& f) {
    std::vector<std::int64_t> out;
    auto st = store->scan(f, [&](const Record& r) {
      out.push_back(r.seq);
      return true;
    });
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    return out;
  };
  EXPECT_EQ(seqs({}), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(seqs({"2025-05-01", "2025-05-01", {}}), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(seqs({"2025-05-02", "", {}}), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(seqs({"", "", {"screen"}}), (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(seqs({"", "", {"check", "screen.batch"}}), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(seqs({"2025-05-03", "2025-05-03", {"screen"}}), (std::vector<std::int64_t>{4}));
  auto bad = store->scan({"May 1", "", {}}, [](const Record&) { return true; });
  EXPECT_FALSE(bad.ok());
}

TEST_P(AuditTest, GroupCommitOffStillChainsEveryAppend) {
  auto o = options();
  o.group_commit = false;
  auto store = open(o);
  ASSERT_TRUE(store);
  std::vector<AppendTicket> tickets;
  for (int i = 0; i < 30; ++i) tickets.push_back(store->submit(draft(i)));
  for (size_t i = 0; i < tickets.size(); ++i) {
    auto a = tickets[i].wait();
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->seq, static_cast<std::int64_t>(i + 1));  // one thread's appends keep their order
  }
  auto rep = store->verify();
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
}

TEST_P(AuditTest, KeepsSnapshotsAndRulePacksForReplay) {
  auto store = open();
  ASSERT_TRUE(store);
  ListSnapshot s;
  s.info.name = "sample";
  s.info.format = "csl-csv";
  Party p;
  p.id = "X1";
  p.list = "Entity List";
  p.names = {{"Example Trading Co", NameKind::kPrimary, Script::kLatin}};
  s.parties.push_back(p);
  seal_snapshot(s);
  ASSERT_TRUE(store->keep_snapshot(s).ok());
  ASSERT_TRUE(store->keep_snapshot(s).ok());  // idempotent
  auto back = store->load_snapshot(s.info.id);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->info.id, s.info.id);
  ASSERT_EQ(back->parties.size(), 1u);
  EXPECT_EQ(back->parties[0].primary_name(), "Example Trading Co");
  EXPECT_EQ(store->load_snapshot("nope").error().kind, Error::Kind::kNotFound);

  auto files = read_kept_files(data_dir() + "/rules");
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_FALSE(files->empty());
  std::string id = kept_files_hash(*files);
  ASSERT_TRUE(store->keep_files("rules", id, *files).ok());
  auto loaded = store->load_files("rules", id);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), files->size());
  EXPECT_EQ(kept_files_hash(*loaded), id);
  auto sizes = store->kept_sizes();
  ASSERT_TRUE(sizes.ok());
  EXPECT_EQ(sizes->size(), 2u);
}

TEST(AuditRecord, UtcTimesRoundTrip) {
  auto t = parse_utc("2025-05-01T12:34:56.789Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_utc(*t), "2025-05-01T12:34:56.789Z");
  EXPECT_EQ(format_utc(*parse_utc("2025-05-01")), "2025-05-01T00:00:00.000Z");
  EXPECT_FALSE(parse_utc("2025-13-01").has_value());
  EXPECT_FALSE(parse_utc("2025-05-01T12:34").has_value());
  EXPECT_FALSE(parse_utc("yesterday").has_value());
}

TEST(AuditRecord, CanonicalJsonSortsKeysAndHasNoWhitespace) {
  nlohmann::ordered_json o;
  o["b"] = 1;
  o["a"] = {{"z", "中文"}, {"y", 0.82}};
  EXPECT_EQ(canonical_json(nlohmann::json(o)), R"({"a":{"y":0.82,"z":"中文"},"b":1})");
  // invalid UTF-8 never throws
  EXPECT_EQ(canonical_json(nlohmann::json(std::string("a\xff"))), "\"a\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace clearance
