// Bad-day regressions of the command line (issue 9, issue 11 item 1): each test names the failure it
// pins and fails on the code before the fix. They run the real binary.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "cli/cli_support.hpp"
#include "test_support.hpp"

namespace clearance::testing {
namespace {

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string sample_orders() { return data_dir() + "/orders/sample-orders.csv"; }

// ---- full disk: every write and the final close are checked ------------------------------------

TEST_F(CliTest, Regression_BatchOutputToAFullDiskFails) {
  auto in = write("parties.csv", "id,name\n1,Huawei Technologies\n2,Hikvision\n");
  auto s = run(home() + " screen --input " + in + " --output /dev/full");
  EXPECT_EQ(s.status, 1) << s.out;
  EXPECT_NE(s.out.find("/dev/full: write failed"), std::string::npos) << s.out;
  auto c = run(home() + " check --input " + sample_orders() + " --no-screen --output /dev/full");
  EXPECT_EQ(c.status, 1) << c.out;
  EXPECT_NE(c.out.find("/dev/full: write failed"), std::string::npos) << c.out;
  auto i = run(home() + " impact --orders " + sample_orders() +
               " --from 2025-03-01 --to 2025-05-01 --no-screen --format csv --output /dev/full");
  EXPECT_EQ(i.status, 1) << i.out;
  // An answer on stdout that cannot be written fails too.
  EXPECT_EQ(run(home() + " screen Huawei --format json >/dev/full").status, 1);
}

// ---- the batch input is read, never mapped, and never overwritten -------------------------------

TEST_F(CliTest, Regression_OutputThatIsTheInputIsRefusedAndTheInputKept) {
  std::string text = "id,name\n1,Huawei Technologies\n2,Hikvision\n";
  auto in = write("parties.csv", text);
  auto r = run(home() + " screen --input " + in + " --output " + in);
  EXPECT_EQ(r.signal, 0) << r.out;  // SIGBUS before: the output truncated the mapped input
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("refusing to write over it"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(in), text);
  auto orders = write("orders.csv", read_text(sample_orders()));
  auto c = run(home() + " check --input " + orders + " --no-screen --output " + orders);
  EXPECT_EQ(c.status, 2) << c.out;
  EXPECT_EQ(read_text(orders), read_text(sample_orders()));
  auto i = run(home() + " impact --orders " + orders +
               " --from 2025-03-01 --to 2025-05-01 --no-screen --output " + orders);
  EXPECT_EQ(i.status, 2) << i.out;
  EXPECT_EQ(read_text(orders), read_text(sample_orders()));
}

TEST_F(CliTest, Regression_BatchInputThatShrinksWhileReadEndsWithoutACrash) {
  // Big enough that screening is still going on when the file is cut to nothing.
  std::string text = "id,name\n";
  for (int i = 0; i < 300000; ++i)
    text += std::to_string(i) + ",Hangzhou Hikvision Digital Technology " + std::to_string(i) + "\n";
  auto in = write("parties.csv", text);
  auto out = (dir_ / "hits.jsonl").string();
  auto running = std::async(std::launch::async,
                            [&] { return run(home() + " screen --input " + in + " --output " + out); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::filesystem::resize_file(in, 0);
  auto r = running.get();
  EXPECT_EQ(r.signal, 0) << "killed by signal " << r.signal << ": " << r.out;  // SIGBUS before
  EXPECT_TRUE(r.status == 0 || r.status == 2) << r.out;
}

// ---- fail-open homes: the bundled samples are named in every answer ------------------------------

TEST_F(CliTest, Regression_EveryAnswerOnTheBundledSamplesSaysSo) {
  auto s = run(home() + " screen \"Huawei Technologies\" --format json");
  ASSERT_EQ(s.status, 0) << s.out;
  auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j["using_sample_lists"], true);
  EXPECT_NE(j["lists_note"].get<std::string>().find("bundled sample lists"), std::string::npos);
  auto t = run(home() + " screen \"Nobody In Particular\"");
  EXPECT_NE(t.out.find("note: no lists imported"), std::string::npos) << t.out;

  auto in = write("parties.csv", "id,name\n1,Huawei Technologies\n2,Nobody In Particular\n");
  auto out = dir_ / "hits.jsonl";
  ASSERT_EQ(run(home() + " screen --input " + in + " --output " + out.string()).status, 0);
  auto rows = json_lines(read_text(out));
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) EXPECT_EQ(row["using_sample_lists"], true) << row.dump();
  auto csv_out = dir_ / "hits.csv";
  ASSERT_EQ(run(home() + " screen --input " + in + " --format csv --output " + csv_out.string()).status, 0);
  auto csv = read_text(csv_out);
  EXPECT_NE(csv.find("\"2\",\"Nobody In Particular\""), std::string::npos)
      << csv;  // a line even without hits
  EXPECT_NE(csv.find("bundled sample lists"), std::string::npos) << csv;

  auto c = run(home() +
               " check --item H20 --to CN --party \"Huawei Technologies\" --as-of 2025-05-01 --format json");
  ASSERT_EQ(c.status, 0) << c.out;
  EXPECT_EQ(nlohmann::json::parse(c.out)["using_sample_lists"], true);
  auto ct = run(home() + " check --item H20 --to CN --party Huawei --as-of 2025-05-01");
  EXPECT_NE(ct.out.find("note: no lists imported"), std::string::npos) << ct.out;
  auto i = run(home() + " impact --orders " + sample_orders() +
               " --from 2025-03-01 --to 2025-05-01 --format json");
  ASSERT_EQ(i.status, 0) << i.out;
  EXPECT_EQ(nlohmann::json::parse(i.out)["using_sample_lists"], true);

  // Once a list is imported the note is gone.
  ASSERT_EQ(run(home() + " lists import " + data_dir() + "/lists/sample-us.csv --name mine").status, 0);
  auto after = nlohmann::json::parse(run(home() + " screen \"Huawei Technologies\" --format json").out);
  EXPECT_FALSE(after.contains("using_sample_lists")) << after.dump();
  EXPECT_FALSE(after["hits"].empty());
}

// A home typed wrong (an import went to .../home, the command names .../hom) is a home that never
// imported anything: its answer says it used the samples, in JSON and in text. A home whose manifest
// was deleted beside its snapshot files is an error naming the manifest, never the samples.
TEST_F(CliTest, Regression_AMistypedHomeOrADeletedManifestNeverScreensSilentlyAgainstTheSamples) {
  ASSERT_EQ(run(home() + " lists import " + data_dir() + "/lists/sample-us.csv --name mine").status, 0);
  const std::string typo = "--home " + (dir_ / "hom").string();
  auto j = run(typo + " screen \"Huawei Technologies\" --format json");
  ASSERT_EQ(j.status, 0) << j.out;
  EXPECT_EQ(nlohmann::json::parse(j.out)["using_sample_lists"], true) << j.out;
  auto t = run(typo + " screen \"Huawei Technologies\"");
  EXPECT_NE(t.out.find("note: no lists imported"), std::string::npos) << t.out;

  std::filesystem::remove(dir_ / "home" / "lists" / "manifest.json");
  std::filesystem::remove(dir_ / "home" / "lists" / "manifest.json.prev");
  auto lost = run(home() + " screen \"Huawei Technologies\" --format json");
  EXPECT_NE(lost.status, 0) << lost.out;  // exit 0 on the samples before
  EXPECT_NE(lost.out.find("manifest.json: missing"), std::string::npos) << lost.out;
  EXPECT_EQ(lost.out.find("using_sample_lists"), std::string::npos) << lost.out;
}

// ---- crashes ------------------------------------------------------------------------------------

TEST_F(CliTest, Regression_ImpactRulesFromTheRootDirectoryIsAnErrorNotAnAbort) {
  auto r = run(home() + " impact --orders " + sample_orders() + " --rules-from / --rules-to " + data_dir() +
               "/rules --as-of 2025-05-01 --no-screen");
  EXPECT_EQ(r.signal, 0) << r.out;
  EXPECT_TRUE(r.status == 1 || r.status == 2) << r.status << ": " << r.out;
  EXPECT_NE(r.out.find("clearance: "), std::string::npos) << r.out;
}

TEST_F(CliTest, Regression_InvalidUtf8InABatchIdIsAWarningNotAnAbort) {
  auto in = write("parties.csv", "id,name\n\xff\xfe,Huawei Technologies\n2,Hikvision\n");
  auto out = dir_ / "hits.jsonl";
  auto r = run(home() + " screen --input " + in + " --output " + out.string());
  EXPECT_EQ(r.signal, 0) << r.out;  // the JSON writer threw in a worker thread: abort, exit 134
  ASSERT_EQ(r.status, 0) << r.out;
  auto rows = json_lines(read_text(out));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[0]["hits"].empty());
  EXPECT_NE(rows[0]["warnings"][0].get<std::string>().find("parties.csv:2: id: invalid UTF-8"),
            std::string::npos);
}

// ---- wrong answers ------------------------------------------------------------------------------

TEST_F(CliTest, Regression_OneOverflowingOrderValueIsARowErrorNotAnInfiniteTotal) {
  auto orders = write("orders.csv",
                      "id,destination,item,quantity,unit_value,currency\n"
                      "a,CN,H20,10,1000,USD\n"
                      "b,CN,H20,1e200,1e200,USD\n");
  auto r = run(home() + " impact --orders " + orders +
               " --from 2025-03-01 --to 2025-05-01 --no-screen --format json");
  EXPECT_EQ(r.status, 2) << r.out;  // a bad row: exit 2 after the whole report
  auto json = dir_ / "impact.json";
  r = run(home() + " impact --orders " + orders +
          " --from 2025-03-01 --to 2025-05-01 --no-screen --format json --output " + json.string());
  auto j = nlohmann::json::parse(read_text(json));
  EXPECT_EQ(j["totals"]["USD"]["value"].get<double>(), 10000.0) << j["totals"].dump();  // inf before
  EXPECT_NE(
      j["errors"][0].get<std::string>().find("orders.csv:3: unit_value: quantity × unit_value overflows"),
      std::string::npos)
      << j["errors"].dump();
  auto check = write("check.csv", "id,item,to,quantity,value,as_of\nx,H20,CN,1,inf,2025-05-01\n");
  auto c = run(home() + " check --input " + check + " --no-screen");
  EXPECT_EQ(c.status, 2) << c.out;
  EXPECT_NE(c.out.find("check.csv:2: value: not a finite"), std::string::npos) << c.out;
}

TEST_F(CliTest, Regression_CheckReadsTheImpactOrderBookLayoutAndRefusesUnknownColumns) {
  auto r = run(home() + " check --input " + sample_orders() + " --format jsonl");
  ASSERT_TRUE(r.status == 0 || r.status == 2) << r.out;
  std::vector<nlohmann::json> rows;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] == '{') rows.push_back(nlohmann::json::parse(line));
  ASSERT_GT(rows.size(), 10u);
  // SO-2025-0101,2025-02-18,NVIDIA Corporation,Hangzhou Cloudpeak AI Computing Co. Ltd.,CN,H20,4800,12800,USD
  const auto& first = rows[0];
  EXPECT_EQ(first["id"], "SO-2025-0101");
  EXPECT_EQ(first["as_of"], "2025-02-18");  // the order's date, not today
  ASSERT_EQ(first["parties"].size(), 1u);   // the customer was screened
  EXPECT_EQ(first["parties"][0]["name"], "Hangzhou Cloudpeak AI Computing Co. Ltd.");

  auto odd = write("odd.csv", "id,item,to,colour\n1,H20,CN,blue\n");
  auto u = run(home() + " check --input " + odd + " --no-screen");
  EXPECT_EQ(u.status, 2) << u.out;
  EXPECT_NE(u.out.find("odd.csv:1: header: unknown column 'colour'"), std::string::npos) << u.out;
}

TEST_F(CliTest, Regression_MissingCountryTableFailsClosed) {
  const std::string args = home() + " check --item H20 --to XX --no-screen --as-of 2025-05-01";
  auto known = run(args);
  EXPECT_EQ(known.status, 2) << known.out;  // with the table: an unknown country
  EXPECT_NE(known.out.find("unknown country 'XX'"), std::string::npos) << known.out;
  auto data = dir_ / "data";
  std::filesystem::copy(data_dir(), data, std::filesystem::copy_options::recursive);
  std::filesystem::remove(data / "text" / "countries.tsv");
  auto r = run(args, "CLEARANCE_DATA=" + data.string());
  EXPECT_EQ(r.status, 2) << r.out;  // before: exit 0 with a verdict for "XX"
  EXPECT_NE(r.out.find("countries.tsv"), std::string::npos) << r.out;
}

// ---- issue 11 item 1: no row left unscreened ---------------------------------------------------

TEST_F(CliTest, Regression_UnreadableQualifiersNeverDropARow) {
  auto in = write("parties.csv",
                  "id,name,country,type,dob,identifiers\n"
                  "1,Huawei Technologies,CN,entity,,\n"
                  "2,Huawei Technologies,Narnia,entity,,\n"
                  "3,Huawei Technologies,CN,robot,,\n"
                  "4,Huawei Technologies,CN,entity,3/4/71,\n"
                  "5,Huawei Technologies,CN,entity,1971,\n"
                  "6,Huawei Technologies,CN,entity,3 Apr 1971,\n"
                  "7,Huawei Technologies,CN,entity,21/04/1971,\n"
                  "8,Huawei Technologies,CN,entity,3/4/1971,Passport:;Registration:123\n"
                  "9,,CN,entity,,\n");
  auto out = dir_ / "hits.jsonl";
  auto r = run(home() + " screen --input " + in + " --output " + out.string());
  ASSERT_EQ(r.status, 0) << r.out;
  auto rows = json_lines(read_text(out));
  ASSERT_EQ(rows.size(), 9u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_FALSE(rows[i].contains("error")) << rows[i].dump();
    EXPECT_FALSE(rows[i]["hits"].empty()) << rows[i].dump();  // every named row was screened
  }
  auto warned = [&](size_t i, const std::string& what) {
    if (!rows[i].contains("warnings")) return false;
    for (const auto& w : rows[i]["warnings"])
      if (w.get<std::string>().find(what) != std::string::npos) return true;
    return false;
  };
  EXPECT_FALSE(rows[0].contains("warnings"));
  EXPECT_TRUE(warned(1, "parties.csv:3: country: unknown country 'Narnia'; screened without it"));
  EXPECT_TRUE(warned(2, "parties.csv:4: type: unknown type 'robot'"));
  EXPECT_TRUE(warned(3, "parties.csv:5: dob: cannot read date '3/4/71'"));
  EXPECT_EQ(rows[4]["query"]["dob"], "1971");
  EXPECT_EQ(rows[5]["query"]["dob"], "1971-04-03");
  EXPECT_EQ(rows[6]["query"]["dob"], "1971-04-21");
  EXPECT_TRUE(warned(7, "ambiguous"));
  EXPECT_TRUE(warned(7, "parties.csv:9: id: cannot read identifier 'Passport:'"));
  EXPECT_NE(rows[8]["error"].get<std::string>().find("parties.csv:10: name: empty"), std::string::npos);
}

}  // namespace
}  // namespace clearance::testing
