// The command line on the record: every answer is appended before it is shown, trial runs say they
// are not, the trail verifies and names tampering, recorded answers replay after the lists in force
// were replaced, review cases suppress false positives, and backup/restore keep a verified trail.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "store/sql.hpp"
#include "support/pg_cluster.hpp"
#include "test_support.hpp"

namespace {

using clearance::testing::CliTest;
using clearance::testing::run;

class RecordsCli : public CliTest {
 protected:
  std::string store_file() const { return (dir_ / "home" / "store.sqlite").string(); }
  nlohmann::json json_of(const std::string& args) {
    auto r = run(home() + " " + args);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.out;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  std::string head() {
    auto r = run(home() + " audit head");
    EXPECT_EQ(r.status, 0) << r.out;
    return r.out;
  }
  // The database as someone with write access to the file would change it.
  void tamper(const std::string& sql) {
    auto c = clearance::store_detail::open_sqlite(store_file());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("DROP TRIGGER IF EXISTS audit_records_no_update; "
                           "DROP TRIGGER IF EXISTS audit_records_no_delete")
                    .ok());
    auto st = (*c)->exec(sql);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
};

TEST_F(RecordsCli, EveryAnswerIsOnTheRecordBeforeItIsShown) {
  auto s = json_of("screen \"Huawei Technologies Co Ltd\" --format json");
  ASSERT_TRUE(s.contains("record")) << s.dump();
  EXPECT_EQ(s["record"], 1);
  auto c = json_of("check --item H20 --to CN --as-of 2025-05-01 --format json");
  EXPECT_EQ(c["record"], 2);
  auto k = json_of("classify --model H20 --as-of 2025-05-01 --format json");
  EXPECT_EQ(k["record"], 3);
  auto text = run(home() + " screen \"Hikvision\"");
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("on the record: audit record 4"), std::string::npos) << text.out;

  auto shown = json_of("audit show 2");
  EXPECT_EQ(shown["action"], "check");
  EXPECT_EQ(shown["inputs"]["items"][0], "H20");
  EXPECT_EQ(shown["inputs"]["to"], "CN");
  EXPECT_EQ(shown["result"]["overall"], c["overall"]);
  EXPECT_EQ(shown["rules"].size(), 1u);
  EXPECT_FALSE(shown["catalogue"].get<std::string>().empty());
  auto first = json_of("audit show 1");
  EXPECT_EQ(first["snapshots"].size(), 2u);  // the two bundled sample lists
  EXPECT_DOUBLE_EQ(first["threshold"].get<double>(), 0.82);

  auto v = run(home() + " audit verify");
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("OK: 4 records verified"), std::string::npos) << v.out;
  EXPECT_EQ(head().substr(0, 2), "4:");
}

TEST_F(RecordsCli, TrialRunsWriteNothingAndSaySo) {
  ASSERT_EQ(run(home() + " screen Huawei").status, 0);
  std::string before = head();
  auto t = run(home() + " --no-record screen \"Huawei Technologies\"");
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("trial run (--no-record): not on the record"), std::string::npos) << t.out;
  auto j = json_of("--no-record check --item H20 --to CN --as-of 2025-05-01 --format json");
  EXPECT_EQ(j["recorded"], false);
  EXPECT_FALSE(j.contains("record"));
  EXPECT_EQ(head(), before);
}

TEST_F(RecordsCli, VerifyNamesTheRecordThatWasChanged) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run(home() + " screen Huawei").status, 0);
  std::string written = head();
  written.pop_back();  // the newline
  ASSERT_EQ(run(home() + " screen SMIC").status, 0);
  auto ext = run(home() + " audit verify --extends " + written);
  EXPECT_EQ(ext.status, 0) << ext.out;
  tamper("UPDATE audit_records SET result = '{\"hits\":[]}' WHERE seq = 2");
  auto v = run(home() + " audit verify");
  EXPECT_EQ(v.status, 3) << v.out;
  EXPECT_NE(v.out.find("record 2 was altered"), std::string::npos) << v.out;
  auto j = json_of("audit verify --format json 2>/dev/null; true");
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["problem"], "altered");
  EXPECT_EQ(j["record"], 2);
  tamper("DELETE FROM audit_records WHERE seq = 4");
  auto t = run(home() + " audit verify");
  EXPECT_EQ(t.status, 3);
  EXPECT_EQ(run(home() + " audit verify --extends nonsense").status, 2);
}

TEST_F(RecordsCli, RecordedAnswersReplayAfterTheListsInForceAreReplaced) {
  SKIP_WITHOUT_SHARED("data/us/csl/samples/consolidated-sample.csv");
  // Answers on the bundled sample lists and the bundled rules.
  auto s = json_of("screen \"Huawei Technologies Co Ltd\" --format json");
  ASSERT_FALSE(s["hits"].empty());
  auto c = json_of(
      "check --item H20 --to CN --party \"Hikvision Digital Technology\" --as-of 2025-05-01 "
      "--format json");
  auto orders = clearance::testing::data_dir() + "/orders/sample-orders.csv";
  auto i = json_of("impact --orders " + orders + " --from 2025-03-01 --to 2025-05-01 --format json");
  ASSERT_TRUE(i.contains("record")) << i.dump().substr(0, 300);
  auto k = json_of("classify --model A800 --as-of 2023-11-20 --format json");
  // The lists in force change: an official file replaces the samples.
  auto imp = run(home() + " lists import " +
                 clearance::testing::shared_path("data/us/csl/samples/consolidated-sample.csv"));
  ASSERT_EQ(imp.status, 0) << imp.out;
  auto now = json_of("screen \"Huawei Technologies Co Ltd\" --format json");
  EXPECT_NE(now["hits"].dump(), s["hits"].dump());  // today's answer differs …
  for (auto seq : {s["record"], c["record"], i["record"], k["record"]}) {
    auto r = run(home() + " audit replay " + seq.dump());
    EXPECT_EQ(r.status, 0) << seq << ": " << r.out;  // … the recorded ones replay the same
    EXPECT_NE(r.out.find("SAME"), std::string::npos) << r.out;
  }
  // Import and replays are on the record too; lists.import is not an answer to rerun.
  auto last = json_of("audit show " + now["record"].dump());
  EXPECT_EQ(last["action"], "screen");
  EXPECT_EQ(run(home() + " audit replay " + std::to_string(now["record"].get<int>() - 1)).status, 2);
}

TEST_F(RecordsCli, AliasTableImportsAreOnTheRecordAndKept) {
  auto table = write("mine.tsv",
                     "chinese\tenglish\tnote\n测试通信设备有限公司\tHuawei Technologies Co., Ltd.\ttest\n");
  auto r = run(home() + " aliases import " + table);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("on the record: audit record 1"), std::string::npos) << r.out;
  auto shown = json_of("audit show 1");
  EXPECT_EQ(shown["action"], "aliases.import");
  EXPECT_EQ(shown["inputs"]["name"], "mine");
  EXPECT_EQ(shown["result"]["names"], 1);
  auto c = clearance::store_detail::open_sqlite(store_file());
  ASSERT_TRUE(c.ok());
  auto kept =
      (*c)->query("SELECT count(*) FROM kept WHERE kind = 'aliases' AND id = ?",
                  {clearance::store_detail::SqlValue::text(shown["inputs"]["sha256"].get<std::string>())});
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ((*kept)[0][0].value_or(""), "1");
  // A trial import writes nothing to the store.
  auto t = run(home() + " --no-record aliases import " + table + " --name other");
  ASSERT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("trial run (--no-record)"), std::string::npos) << t.out;
  EXPECT_EQ(head().substr(0, 2), "1:");
}

TEST_F(RecordsCli, ReplayShowsWhereAnAnswerDiffers) {
  auto s = json_of("screen \"Huawei Technologies Co Ltd\" --format json");
  tamper("UPDATE audit_records SET result = replace(result, '\"score\":1.0', '\"score\":0.5') WHERE seq = 1");
  auto r = run(home() + " audit replay 1");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hits[0].score: 0.5 → 1"), std::string::npos) << r.out;
}

TEST_F(RecordsCli, BatchScreeningRecordsEveryRowAndExportFindsThem) {
  auto in = write("parties.csv",
                  "id,name,country\nC-1,Huawei Technologies Co Ltd,CN\nC-2,Acme Garden Tools,US\n"
                  "C-3,Hangzhou Hikvision Digital Technology,CN\n");
  auto out = (dir_ / "hits.jsonl").string();
  auto r = run(home() + " screen --input " + in + " --format jsonl --output " + out);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("on the record: audit records 1 to 3"), std::string::npos) << r.out;
  std::ifstream lines(out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["record"], ++n);
    if (j["id"] == "C-1") {
      ASSERT_FALSE(j["hits"].empty());
      EXPECT_TRUE(j["hits"][0].contains("case")) << line;
    }
  }
  EXPECT_EQ(n, 3);
  auto exported = (dir_ / "export.jsonl").string();
  ASSERT_EQ(run(home() + " audit export --action screen --output " + exported).status, 0);
  std::ifstream ex(exported);
  n = 0;
  while (std::getline(ex, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["action"], "screen.batch");
    EXPECT_EQ(j["inputs"]["row"]["file"], in);
    ++n;
  }
  EXPECT_EQ(n, 3);
  auto replay = run(home() + " audit replay 3");
  EXPECT_EQ(replay.status, 0) << replay.out;
  // The CSV form carries the case columns.
  auto csv = run(home() + " --no-record screen --input " + in + " --format csv");
  ASSERT_EQ(csv.status, 0) << csv.out;
  EXPECT_NE(csv.out.find("error,case,suppressed_by"), std::string::npos) << csv.out;
}

TEST_F(RecordsCli, AFalsePositiveIsSuppressedForThatCustomerOnlyAndNeedsTwoUsersUnderFourEyes) {
  auto first = json_of("screen \"Huawei Technologies Co Ltd\" --customer C-1 --format json");
  ASSERT_FALSE(first["hits"].empty());
  auto id = first["hits"][0]["case"];
  ASSERT_TRUE(id.is_number()) << first.dump();
  EXPECT_EQ(first["hits"][0]["case_status"], "open");
  auto d = run(home() + " cases decide " + id.dump() +
               " --as false_positive --reason \"our customer C-1 is a different company\"");
  ASSERT_EQ(d.status, 0) << d.out;
  auto again = json_of("screen \"Huawei Technologies Co Ltd\" --customer C-1 --format json");
  ASSERT_FALSE(again["hits"].empty());               // still returned …
  EXPECT_EQ(again["hits"][0]["suppressed_by"], id);  // … marked
  auto other = json_of("screen \"Huawei Technologies Co Ltd\" --customer C-2 --format json");
  EXPECT_FALSE(other["hits"][0].contains("suppressed_by"));
  EXPECT_NE(other["hits"][0]["case"], id);
  auto text = run(home() + " screen \"Huawei Technologies Co Ltd\" --customer C-1");
  EXPECT_NE(text.out.find("suppressed by case " + id.dump()), std::string::npos) << text.out;

  // Four-eyes: the policy change is itself on the record; a decision waits for a second user.
  ASSERT_EQ(run(home() + " cases policy --require-approval true").status, 0);
  auto second = other["hits"][0]["case"];
  auto pending =
      run(home() + " cases decide " + second.dump() + " --as false_positive --reason \"not them\"");
  ASSERT_EQ(pending.status, 0) << pending.out;
  EXPECT_NE(pending.out.find("pending"), std::string::npos) << pending.out;
  auto self = run(home() + " cases approve " + second.dump());
  EXPECT_EQ(self.status, 2) << self.out;
  EXPECT_NE(self.out.find("four-eyes"), std::string::npos) << self.out;
  auto list = json_of("cases list --status pending --format json");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], second);
  auto actions = run(home() + " audit export --action case");
  EXPECT_NE(actions.out.find("\"case.decide\""), std::string::npos);
  EXPECT_NE(actions.out.find("\"case.policy\""), std::string::npos);
  EXPECT_EQ(run(home() + " audit verify").status, 0);
}

TEST_F(RecordsCli, RedactionBlanksInputsAndVerifyStillPasses) {
  ASSERT_EQ(run(home() + " screen \"John Smith\" --dob 1970-01-02").status, 0);
  auto r = run(home() + " audit redact 1 --reason \"erasure request 2025-0042\"");
  ASSERT_EQ(r.status, 0) << r.out;
  auto shown = json_of("audit show 1");
  EXPECT_TRUE(shown["inputs"].is_null());
  EXPECT_EQ(shown["redacted"]["by"], 2);
  auto v = run(home() + " audit verify");
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("redacted, each by a redaction record: 1"), std::string::npos) << v.out;
  EXPECT_EQ(run(home() + " audit redact 1").status, 2);  // --reason is required
}

TEST_F(RecordsCli, BackupAndRestoreKeepAVerifiedTrail) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(run(home() + " screen Huawei").status, 0);
  auto b = (dir_ / "backup").string();
  auto r = run(home() + " backup " + b);
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_EQ(run(home() + " screen SMIC").status, 0);
  auto rs = run(home() + " restore " + b);
  ASSERT_EQ(rs.status, 0) << rs.out;
  auto v = run(home() + " audit verify");
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("OK: 4 records"), std::string::npos) << v.out;  // 3 + the restore record
  auto last = json_of("audit show 4");
  EXPECT_EQ(last["action"], "store.restore");
}

TEST_F(RecordsCli, ANewerStoreIsRefusedWithAClearError) {
  ASSERT_EQ(run(home() + " screen Huawei").status, 0);
  {
    auto c = clearance::store_detail::open_sqlite(store_file());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'").ok());
  }
  auto r = run(home() + " screen Huawei");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("newer Clearance (schema version 7"), std::string::npos) << r.out;
}

TEST_F(RecordsCli, PostgresStoreTakesTheSameCommands) {
  SKIP_WITHOUT_POSTGRES();
  std::string url = clearance::testing::PgCluster::instance().fresh_store_url();
  std::string store = " --store '" + url + "'";
  auto s = json_of(store.substr(1) + " screen \"Huawei Technologies Co Ltd\" --customer C-1 --format json");
  EXPECT_EQ(s["record"], 1);
  auto c = json_of(store.substr(1) + " check --item H20 --to CN --as-of 2025-05-01 --format json");
  EXPECT_EQ(c["record"], 2);
  auto v = run(home() + store + " audit verify");
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("OK: 2 records verified"), std::string::npos) << v.out;
  auto r = run(home() + store + " audit replay 2");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(run(home() + store + " backup " + (dir_ / "b").string()).status, 2);  // pg_dump's job
  EXPECT_FALSE(std::filesystem::exists(store_file()));  // nothing went to the SQLite default
}

}  // namespace
