// Tampering with the database directly — as someone with write access to the SQLite file or the
// PostgreSQL database would, after dropping the append-only triggers — is detected by verify, which
// names the first record concerned and the kind of change.
#include <gtest/gtest.h>

#include "store/store_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;
using store_detail::SqlValue;

class TamperTest : public StoreTest {
 protected:
  // A store with 20 records; the raw connection has its guards dropped.
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store_ = open();
    ASSERT_TRUE(store_);
    std::vector<AppendTicket> tickets;  // queued together: one group commit, not twenty fsyncs
    for (int i = 1; i <= 20; ++i) tickets.push_back(store_->submit(draft(i)));
    for (auto& t : tickets) ASSERT_TRUE(t.wait().ok());
    auto rep = store_->verify();
    ASSERT_TRUE(rep.ok() && rep->ok);
    c_ = raw();
    ASSERT_TRUE(c_);
    drop_guards(*c_);
  }
  void sql(const std::string& s, const store_detail::SqlParams& p = {}) {
    auto r = c_->query(s, p);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  VerifyReport verify() {
    auto rep = store_->verify();
    EXPECT_TRUE(rep.ok()) << rep.error().message;
    return rep ? *rep : VerifyReport{};
  }
  // Moves every record from `from` on by `by` (renumbering, as an attacker hiding a change would).
  void renumber_from(std::int64_t from, std::int64_t by) {
    // Two steps through negative numbers so the primary key never collides.
    sql("UPDATE audit_records SET seq = -(seq + ?) WHERE seq >= ?",
        {SqlValue::integer(by), SqlValue::integer(from)});
    sql("UPDATE audit_records SET seq = -seq WHERE seq < 0");
    sql("UPDATE audit_inputs SET seq = -(seq + ?) WHERE seq >= ?",
        {SqlValue::integer(by), SqlValue::integer(from)});
    sql("UPDATE audit_inputs SET seq = -seq WHERE seq < 0");
  }

  std::unique_ptr<Store> store_;
  std::unique_ptr<store_detail::SqlConn> c_;
};
STORE_BACKENDS(TamperTest);

TEST_P(TamperTest, UpdatedResultIsNamedAsAltered) {
  sql("UPDATE audit_records SET result = '{\"hits\":[]}' WHERE seq = 7");
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.problem, VerifyProblem::kAltered);
  EXPECT_EQ(rep.problem_seq, 7);
  EXPECT_NE(rep.message.find("record 7"), std::string::npos) << rep.message;
}

TEST_P(TamperTest, AlteredRecordWithARecomputedHashIsCaughtByItsSuccessor) {
  auto r = store_->record(7);
  ASSERT_TRUE(r.ok());
  Record forged = *r;
  forged.result = R"({"hits":[]})";
  forged.hash = forged.compute_hash();
  sql("UPDATE audit_records SET result = ?, hash = ? WHERE seq = 7",
      {SqlValue::text(forged.result), SqlValue::text(forged.hash)});
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kAltered);
  EXPECT_EQ(rep.problem_seq, 7);
}

TEST_P(TamperTest, DeletedRowIsNamed) {
  sql("DELETE FROM audit_records WHERE seq = 12");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kDeleted);
  EXPECT_EQ(rep.problem_seq, 12);
  EXPECT_NE(rep.message.find("record 12 is missing"), std::string::npos) << rep.message;
}

TEST_P(TamperTest, DeletedRowWithTheRestRenumberedIsNamed) {
  sql("DELETE FROM audit_records WHERE seq = 12");
  sql("DELETE FROM audit_inputs WHERE seq = 12");
  renumber_from(13, -1);
  sql("UPDATE audit_head SET seq = 19");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kDeleted);
  EXPECT_EQ(rep.problem_seq, 12);
  EXPECT_NE(rep.message.find("written as record 13"), std::string::npos) << rep.message;
}

TEST_P(TamperTest, SwappedRowsAreNamedAsReordered) {
  // Exchange the sequence numbers of records 5 and 6.
  sql("UPDATE audit_records SET seq = -1 WHERE seq = 5");
  sql("UPDATE audit_records SET seq = 5 WHERE seq = 6");
  sql("UPDATE audit_records SET seq = 6 WHERE seq = -1");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kReordered);
  EXPECT_EQ(rep.problem_seq, 5);
}

TEST_P(TamperTest, SwappedContentsAreNamedAsReordered) {
  auto a = store_->record(9), b = store_->record(10);
  ASSERT_TRUE(a.ok() && b.ok());
  auto put = [&](std::int64_t seq, const Record& r) {
    sql("UPDATE audit_records SET ts = ?, inputs_sha256 = ?, result = ?, prev_hash = ?, hash = ? WHERE seq = "
        "?",
        {SqlValue::text(r.time), SqlValue::text(r.inputs_sha256), SqlValue::text(r.result),
         SqlValue::text(r.prev_hash), SqlValue::text(r.hash), SqlValue::integer(seq)});
  };
  put(9, *b);
  put(10, *a);
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kReordered);
  EXPECT_EQ(rep.problem_seq, 9);
}

TEST_P(TamperTest, InsertedRecordIsNamed) {
  // A forged record, correctly hashed after record 10, slipped in as 11; the rest renumbered.
  auto ten = store_->record(10);
  ASSERT_TRUE(ten.ok());
  Record x = *ten;
  x.seq = 11;
  x.result = R"({"hits":[],"forged":true})";
  x.prev_hash = ten->hash;
  x.hash = x.compute_hash();
  renumber_from(11, 1);
  sql("INSERT INTO audit_records (seq, ts, caller, action, inputs_sha256, snapshots, rules, catalogue, "
      "engine, "
      "threshold, result, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {SqlValue::integer(x.seq), SqlValue::text(x.time), SqlValue::text(x.caller), SqlValue::text(x.action),
       SqlValue::text(x.inputs_sha256), SqlValue::text(x.snapshots), SqlValue::text(x.rules),
       SqlValue::text(x.catalogue), SqlValue::text(x.engine), SqlValue::text(x.threshold),
       SqlValue::text(x.result), SqlValue::text(x.prev_hash), SqlValue::text(x.hash)});
  sql("INSERT INTO audit_inputs (seq, inputs) VALUES (11, ?)", {SqlValue::text(*ten->inputs)});
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kInserted);
  EXPECT_EQ(rep.problem_seq, 11);
}

TEST_P(TamperTest, TruncatedTailIsDetectedFromTheChainHeadFile) {
  sql("DELETE FROM audit_records WHERE seq > 15");
  sql("DELETE FROM audit_inputs WHERE seq > 15");
  sql("UPDATE audit_head SET seq = 15, hash = (SELECT hash FROM audit_records WHERE seq = 15)");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kTruncated);
  EXPECT_EQ(rep.problem_seq, 16);
  EXPECT_NE(rep.message.find("chain-head file names record 20"), std::string::npos) << rep.message;
}

TEST_P(TamperTest, AlteredInputsAreDetected) {
  sql("UPDATE audit_inputs SET inputs = '{\"name\":\"Someone Else\"}' WHERE seq = 4");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kInputsAltered);
  EXPECT_EQ(rep.problem_seq, 4);
}

TEST_P(TamperTest, InputsBlankedWithoutARedactionRecordAreNotARedaction) {
  sql("UPDATE audit_inputs SET inputs = NULL WHERE seq = 4");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kInputsMissing);
  EXPECT_EQ(rep.problem_seq, 4);
  EXPECT_TRUE(rep.redacted.empty());
}

TEST_P(TamperTest, ARedactionClaimPointingAtAnotherRecordIsNotARedaction) {
  // Blank record 4's inputs and claim record 2 (a screening, not a redaction) did it.
  sql("UPDATE audit_inputs SET inputs = NULL, redacted_by = 2, redaction_reason = 'cover' WHERE seq = 4");
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kInputsMissing);
  EXPECT_EQ(rep.problem_seq, 4);
}

TEST_P(TamperTest, RewrittenChainIsCaughtByTheChainHeadFile) {
  // Rewrite record 20 with a valid hash: the chain itself is consistent, the head file is not.
  auto r = store_->record(20);
  ASSERT_TRUE(r.ok());
  Record forged = *r;
  forged.result = R"({"hits":[]})";
  forged.hash = forged.compute_hash();
  sql("UPDATE audit_records SET result = ?, hash = ? WHERE seq = 20",
      {SqlValue::text(forged.result), SqlValue::text(forged.hash)});
  sql("UPDATE audit_head SET hash = ?", {SqlValue::text(forged.hash)});
  auto rep = verify();
  EXPECT_EQ(rep.problem, VerifyProblem::kHeadMismatch);
  EXPECT_EQ(rep.problem_seq, 20);
}

}  // namespace
}  // namespace clearance
