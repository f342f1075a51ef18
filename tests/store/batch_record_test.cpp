// Batch screening on the record (store/recording.hpp's BatchRecorder) on SQLite and PostgreSQL:
// every row gets its own record, written in groups recorded behind the caller's back, and its
// answer goes out only once durable, in input order; the texts written directly for speed (the
// row's inputs, canonical JSON of ordered objects) are the ones canonical_json writes; the
// set-based review of a group opens, reuses and releases cases as hits reviewed one by one would.
#include <gtest/gtest.h>

#include <random>

#include "clearance/store/recording.hpp"
#include "store/store_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

using BatchRecordTest = StoreTest;
STORE_BACKENDS(BatchRecordTest);

Party entry(const std::string& id, const std::string& name, const std::string& remarks = "") {
  Party p;
  p.id = id;
  p.list = "Entity List (EL) - Bureau of Industry and Security";
  p.type = PartyType::kEntity;
  p.names = {{name, NameKind::kPrimary, Script::kLatin}};
  p.countries = {"CN"};
  p.remarks = remarks;
  return p;
}

BatchRow row(size_t line, const std::string& id, const std::string& name,
             const std::vector<const Party*>& hits) {
  BatchRow r;
  r.line = line;
  r.id = id;
  r.id_from_column = true;
  r.query.name = name;
  r.query.type = PartyType::kEntity;
  r.query.country = "CN";
  r.query.ids = {{"Registration", "91440300", "CN"}};
  r.query.min_score = 0.8;
  for (const Party* p : hits) {
    Hit h;
    h.score = 0.93;
    h.party = p;
    h.matched_name = p->primary_name();
    h.explanation = {"shenzhen = shenzhen (1.00)", "country CN matches"};
    r.hits.push_back(h);
  }
  return r;
}

TEST_P(BatchRecordTest, EveryRowIsRecordedInGroupsAndSentInOrderOnceDurable) {
  auto store = open();
  ASSERT_TRUE(store);
  const Party a = entry("EL-1", "Shenzhen Example Electronics Co., Ltd."),
              b = entry("EL-2", "Zhuhai Ünicode Ltd");
  std::vector<BatchRow> rows;
  for (size_t i = 0; i < 11; ++i) {
    std::vector<const Party*> hits;
    if (i % 3 == 0) hits = {&a};
    if (i % 5 == 0) hits.push_back(&b);
    // C-0 comes back at row 6: the same customer and entry, so the same case.
    rows.push_back(row(i + 2, i == 6 ? "C-0" : "C-" + std::to_string(i),
                       "Shenzhen \"Example\" Ltd\t" + std::to_string(i), hits));
  }
  rows[4].error = "parties.csv:6: name: empty";
  BatchRecorder::Options o;
  o.caller = "alice";
  o.file = "parties.csv";
  o.file_sha256 = std::string(64, 'a');
  o.snapshots = {{"us-el", "abc123"}};
  o.min_score = 0.8;
  o.group = 3;  // 4 groups, the first ones recorded while rows are still being added
  std::vector<std::string> lines;
  BatchRecorder rec(*store, o, [&](const std::string& l) {
    lines.push_back(l);
    return Status::Ok();
  });
  for (const auto& r : rows) ASSERT_TRUE(rec.add(r).ok());
  ASSERT_TRUE(rec.flush().ok());
  ASSERT_EQ(lines.size(), rows.size());
  EXPECT_EQ(rec.first_seq(), 1);
  EXPECT_EQ(rec.last_seq(), 11);
  std::int64_t case_of_c0 = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto sent = nlohmann::ordered_json::parse(lines[i]);
    EXPECT_EQ(sent["id"], rows[i].id) << "answers go out in input order";
    ASSERT_EQ(sent["record"], static_cast<std::int64_t>(i + 1)) << lines[i];
    auto r = store->record(static_cast<std::int64_t>(i + 1));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->action, "screen.batch");
    // The recorded result is the answer sent, without "record", as canonical_json writes it.
    sent.erase("record");
    EXPECT_EQ(r->result, canonical_json(nlohmann::json(sent)));
    EXPECT_EQ(r->result, canonical_json_of(sent));
    // The inputs, written directly, are what canonical_json writes for the request and its row.
    ScreenRequest req;
    req.fields.name = rows[i].query.name;
    req.fields.type = "entity";
    req.fields.country = "CN";
    req.fields.ids = {"Registration:91440300"};
    req.min_score = 0.8;
    req.limit = 10;
    req.customer_id = rows[i].id;
    nlohmann::json in = screen_request_to_json(req);
    in["row"] = {
        {"file", "parties.csv"}, {"file_sha256", o.file_sha256}, {"line", i + 2}, {"id", rows[i].id}};
    if (i == 4) in["error"] = rows[4].error;
    ASSERT_TRUE(r->inputs.has_value());
    EXPECT_EQ(*r->inputs, canonical_json(in));
    EXPECT_EQ(r->snapshots, R"([{"id":"abc123","name":"us-el"}])");
    if (i == 0) case_of_c0 = sent["hits"][0]["case"];
    if (i == 6)
      EXPECT_EQ(sent["hits"][0]["case"], case_of_c0) << "the same customer and entry: the same case";
  }
  auto cases = store->cases();
  ASSERT_TRUE(cases.ok());
  // Rows 0, 3, 9 hit EL-1, rows 0, 5, 10 hit EL-2 (row 6 is C-0 again, hitting EL-1's open case).
  EXPECT_EQ(cases->size(), 6u);
  EXPECT_EQ(rec.cases_opened(), 6u);
  auto v = store->verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->message;
  EXPECT_EQ(v->records, 11);
}

TEST_P(BatchRecordTest, AGroupReviewedAtOnceOpensReusesAndReleasesAsOneByOne) {
  auto store = open();
  ASSERT_TRUE(store);
  const Party old_entry = entry("EL-7", "Example Co"),
              new_entry = entry("EL-7", "Example Co", "amended 2025");
  auto hit = [](const Party& p) {
    return ReviewHit{p.id, entry_content_hash(p), p.list, p.primary_name(), 0.9};
  };
  // One group: the same party hits the entry twice, then the entry as amended (another list's
  // snapshot of it), then the old one again.
  auto marks = store->review_many({{"customer:C-1", "Example", {hit(old_entry)}},
                                   {"customer:C-1", "Example", {hit(old_entry)}},
                                   {"customer:C-1", "Example", {hit(new_entry)}},
                                   {"customer:C-1", "Example", {hit(old_entry)}}},
                                  "alice");
  ASSERT_TRUE(marks.ok()) << marks.error().message;
  const auto& m = *marks;
  EXPECT_TRUE(m[0][0].opened);
  EXPECT_EQ(m[1][0].case_id, m[0][0].case_id);
  EXPECT_FALSE(m[1][0].opened);
  EXPECT_TRUE(m[2][0].opened);
  EXPECT_NE(m[2][0].case_id, m[0][0].case_id);
  EXPECT_TRUE(m[3][0].opened);
  auto first = store->get_case(m[0][0].case_id), second = store->get_case(m[2][0].case_id),
       third = store->get_case(m[3][0].case_id);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(first->status, CaseStatus::kReleased);
  EXPECT_EQ(second->status, CaseStatus::kReleased);
  EXPECT_EQ(third->status, CaseStatus::kOpen);
  // Looked up without writing, the group sees the live case.
  auto look = store->review_lookup_many({{"customer:C-1", "", {hit(old_entry), hit(new_entry)}}});
  ASSERT_TRUE(look.ok());
  EXPECT_EQ((*look)[0][0].case_id, m[3][0].case_id);
  EXPECT_EQ((*look)[0][1].case_id, 0);
}

TEST_P(BatchRecordTest, AScreeningAndTheCasesItOpensCommitTogether) {
  auto store = open();
  ASSERT_TRUE(store);
  const Party a = entry("EL-1", "Shenzhen Example Electronics Co., Ltd.");
  ScreenQuery q;
  q.name = "Shenzhen Example";
  q.country = "CN";
  Hit h;
  h.score = 0.95;
  h.party = &a;
  std::vector<Hit> hits{h};
  nlohmann::ordered_json answer = {{"query", {{"name", q.name}}},
                                   {"hits", {{{"entry_id", "EL-1"}, {"score", 0.95}}}}};
  ScreeningRecordArgs args;
  args.caller = "alice";
  args.inputs = {{"name", q.name}};
  args.query = &q;
  args.hits = &hits;
  auto marks = record_screening(*store, args, answer);
  ASSERT_TRUE(marks.ok()) << marks.error().message;
  ASSERT_EQ(marks->size(), 1u);
  EXPECT_TRUE((*marks)[0].opened);
  EXPECT_EQ(answer["hits"][0]["case"], (*marks)[0].case_id);
  EXPECT_EQ(answer["record"], 1);
  auto stats = store->stats();
  EXPECT_EQ(stats.commits, 1u) << "the case and the record: one durable write";
  auto r = store->record(1);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->result.find("\"case\":" + std::to_string((*marks)[0].case_id)), std::string::npos)
      << r->result;
}

TEST(CanonicalJson, OrderedObjectsAreWrittenAsCanonicalJsonWritesThem) {
  nlohmann::ordered_json o;
  o["zeta"] = {1, -2, 3.5, 1e-7, 1e21, 0.1 + 0.2, true, nullptr};
  o["Alpha"] = "upper case sorts first";
  o["alpha"] = {
      {"b", "\"quoted\" \\ back\tslash\n\x01 ctl \x7f del"}, {"a", "中文 Ünïcödé"}, {"", "empty key"}};
  o["bad"] = std::string("invalid \xff\xfe utf-8");
  o["empty"] = {{"object", nlohmann::ordered_json::object()}, {"array", nlohmann::ordered_json::array()}};
  o["é"] = std::uint64_t{18446744073709551615u};
  o["big"] = std::int64_t{-9223372036854775807};
  EXPECT_EQ(canonical_json_of(o), canonical_json(nlohmann::json(o)));
  std::string s;
  append_json_string(s, "a\"b\x02");
  EXPECT_EQ(s, nlohmann::json("a\"b\x02").dump());
}

// append_json_string writes valid UTF-8 without escapes itself: byte for byte what nlohmann's dump
// writes, for every kind of byte sequence (ASCII, every escape, DEL, two- to four-byte sequences,
// overlong forms, surrogates, code points past U+10FFFF, cut sequences, stray continuation bytes).
TEST(CanonicalJson, JsonStringsAreWrittenAsNlohmannDumpsThem) {
  std::vector<std::string> cases = {"",
                                    "plain ASCII",
                                    "\x7f del",
                                    "Ünïcödé",
                                    "华为技术有限公司",
                                    "محمد",
                                    "Дмитрий",
                                    "😀 astral",
                                    "tab\there",
                                    "quote\"",
                                    "back\\slash",
                                    "\x01\x1f ctl",
                                    "\xc0\xaf overlong",
                                    "\xed\xa0\x80 surrogate",
                                    "\xf4\x90\x80\x80 past max",
                                    "cut \xe4\xb8",
                                    "\x80 stray",
                                    "\xff\xfe"};
  std::mt19937_64 rng(7);
  const std::string alphabet = "aZ \"\\\x01\x7f\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\x80\xbf\xed\xa0\xff";
  for (int k = 0; k < 20000; ++k) {
    std::string r;
    for (size_t len = rng() % 40; len > 0; --len) r += alphabet[rng() % alphabet.size()];
    cases.push_back(r);
  }
  for (int k = 0; k < 5000; ++k) {  // mostly ASCII: whole eight-byte windows, then one odd byte
    std::string r(rng() % 40, 'a');
    if (!r.empty()) r[rng() % r.size()] = alphabet[rng() % alphabet.size()];
    cases.push_back(r);
  }
  for (const auto& c : cases) {
    std::string mine;
    append_json_string(mine, c);
    ASSERT_EQ(mine, nlohmann::json(c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << "for the bytes of '" << c << "'";
  }
}

// The answer of a batch row is written as text directly (the line sent and the result recorded);
// it must be byte for byte what building the object and dumping it writes, whatever the row holds.
TEST(BatchRowJsonText, IsWhatBatchRowToJsonDumpsAndCanonicalJsonWrites) {
  Party a = entry("EL-1", "Shenzhen \"Example\" Electronics Co., Ltd.\x01", "r");
  a.programs = {"EAR", "Ünïcödé 中文"};
  a.countries = {"CN", "HK"};
  Party b = entry("SDN-9", "Zhuhai Ünicode Ltd");
  b.type = PartyType::kPerson;
  b.countries.clear();
  std::vector<BatchRow> rows;
  rows.push_back(row(2, "C-1", "Shenzhen \"Example\" Ltd\t1", {&a, &b}));
  rows.push_back(row(3, "C-2", "no hits", {}));
  rows.push_back(row(4, "C-3", "unknown type", {&b}));
  rows[2].query.type = PartyType::kUnknown;
  rows[2].query.country.clear();
  rows[2].query.birth_date = "1970-01-02";
  rows[2].warnings = {"parties.csv:4: country: 'Narnia' unknown", "second \"warning\""};
  rows[2].hits[0].matched_kind = NameKind::kAka;
  rows.push_back(row(5, "C-4", "", {}));
  rows[3].error = "parties.csv:5: name: empty";
  rows[3].warnings = {"not written for an error row"};
  const std::vector<std::vector<HitCaseMark>> marks = {
      {}, {{7, "open", false}, {0, "", false}}, {{12, "decided", true}}, {{3, "open", true}}};
  for (std::string note : {"", "sample lists: not for real screening"})
    for (const auto& r : rows)
      for (const auto& m : marks) {
        auto j = batch_row_to_json(r, note, m);
        EXPECT_EQ(batch_row_json_text(r, note, m, false), j.dump()) << r.id;
        EXPECT_EQ(batch_row_json_text(r, note, m, true), canonical_json_of(j)) << r.id;
      }
}

}  // namespace
}  // namespace clearance
