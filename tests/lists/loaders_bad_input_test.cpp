// Bad input never crashes a loader: it is a clear error (kBadInput naming file and line) or a skipped
// row in the report, and strict mode fails on the first bad row with file:line:field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "clearance/common/strings.hpp"
#include "lists/lists_test_support.hpp"
#include "support/paths.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

const std::string kCslHeader =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_"
    "tonnage,"
    "vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,"
    "places_of_birth,source_information_url,ids\n";

std::string csl_row(const std::string& id, const std::string& name, const std::string& alt = "") {
  return id + ",Entity List (EL) - Bureau of Industry and Security,,Entity,,\"" + name +
         "\",,\"Shenzhen, CN\",84 FR 22963,2019-05-21,,,,,,,,,,,,,\"" + alt + "\",,,,,,\n";
}

Result<LoadedList> load_one(const std::string& path, std::string contents, LoadOptions o = {}) {
  return load_list({SourceFile{path, std::move(contents)}}, o, countries());
}

LoadOptions strict() {
  LoadOptions o;
  o.strict = true;
  return o;
}

// ---- empty and truncated files -------------------------------------------------------------

TEST(BadInput, EmptyFilesAreClearErrors) {
  struct Case {
    const char* path;
    ListFormat format;
  };
  for (auto c : {Case{"x.csv", ListFormat::kCslCsv}, Case{"x.json", ListFormat::kCslJson},
                 Case{"sdn.csv", ListFormat::kOfacCsv}, Case{"x.xml", ListFormat::kOfacXml},
                 Case{"x.xml", ListFormat::kUnXml}, Case{"x.ftm.json", ListFormat::kFtmJson},
                 Case{"dpl.txt", ListFormat::kBisDpl}, Case{"el.csv", ListFormat::kBisCsv},
                 Case{"isn.csv", ListFormat::kStateIsn}, Case{"uvl.csv", ListFormat::kBisUvl},
                 Case{"debarred.csv", ListFormat::kDdtcDebarred}}) {
    for (std::string contents : {"", "  \r\n\n", "\xEF\xBB\xBF"}) {
      LoadOptions o;
      o.format = c.format;
      auto r = load_one(c.path, contents, o);
      ASSERT_FALSE(r.ok()) << c.path << " " << to_string(c.format);
      EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
      EXPECT_NE(r.error().message.find(std::string(c.path) + ": file is empty"), std::string::npos)
          << r.error().message;
    }
  }
  // Auto-detection says the same.
  auto r = load_one("empty.csv", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("empty.csv: file is empty"), std::string::npos);
}

TEST(BadInput, HeaderOnlyCslHasNoParties) {
  auto r = load_one("h.csv", kCslHeader);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->parties.size(), 0u);
  EXPECT_EQ(r->report.rows, 0u);
}

TEST(BadInput, TruncatedXmlAndJson) {
  auto un = shared_data("un/consolidated-2026-02.xml");
  auto csl_json = shared_data("us/csl/consolidated-2022-05-converted.json");
  auto ofac_xml = shared_data("us/ofac/samples/sdn-sample-2014.xml");
  CLEARANCE_REQUIRE_FILE(un);
  CLEARANCE_REQUIRE_FILE(csl_json);
  for (auto& path : {un, ofac_xml}) {
    auto s = read_source(path);
    for (size_t cut : {s.contents.size() / 2, s.contents.size() - 20, size_t{300}}) {
      auto r = load_one(path, s.contents.substr(0, cut));
      ASSERT_FALSE(r.ok()) << path << " cut at " << cut;
      EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
      EXPECT_TRUE(r.error().message.starts_with(path + ":")) << r.error().message;
      EXPECT_NE(r.error().message.find("malformed XML"), std::string::npos) << r.error().message;
    }
  }
  auto s = read_source(csl_json);
  for (size_t cut : {s.contents.size() / 2, s.contents.size() - 3, size_t{100}}) {
    auto r = load_one(csl_json, s.contents.substr(0, cut));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;
    EXPECT_TRUE(r.error().message.starts_with(csl_json + ":")) << r.error().message;
  }
}

TEST(BadInput, TruncatedCsvInsideAQuote) {
  std::string data =
      kCslHeader + csl_row("1", "A") + "2,Entity List (EL) - Bureau of Industry and Security,,,,\"Unclosed";
  auto r = load_one("t.csv", data);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "t.csv:3: quoted field is never closed (the file may be truncated)");
  EXPECT_EQ(r.error().file, "t.csv");
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_EQ(r.error().field, "");
  // Cut at a record boundary, a CSV file is simply shorter: the rows present load.
  auto ok = load_one("t.csv", kCslHeader + csl_row("1", "A"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->parties.size(), 1u);
}

// A last line cut off mid-record is a truncated file (an interrupted download): the load fails
// rather than putting the records before it in force as the whole list (issue 9).
TEST(BadInput, TruncatedFtmLastLineFailsTheLoad) {
  std::string data =
      "{\"id\": \"a\", \"schema\": \"Organization\", \"properties\": {\"name\": [\"A\"]}, \"datasets\": "
      "[\"d\"]}\n"
      "{\"id\": \"b\", \"schema\": \"Organization\", \"properties\": {\"name\": [\"B";
  LoadOptions o;
  o.format = ListFormat::kFtmJson;
  auto r = load_one("t.ftm.json", data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "t.ftm.json:2: the file ends mid-record (the last line is cut off): it is truncated");
  // The same line with its line end is a bad row like any other, skipped in lenient mode.
  auto skipped = load_one("t.ftm.json", data + "\n", o);
  ASSERT_TRUE(skipped.ok()) << skipped.error().message;
  EXPECT_EQ(skipped->parties.size(), 1u);
  EXPECT_EQ(skipped->report.problems.at(0).to_string(), "t.ftm.json:2: not valid JSON");
}

// ---- invalid UTF-8 -------------------------------------------------------------------------

TEST(BadInput, InvalidUtf8InCslCsv) {
  std::string data =
      kCslHeader + csl_row("1", "Good") + csl_row("2", "Bad \xFF name") + csl_row("3", "Also good");
  auto r = load_one("u.csv", data);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->parties.size(), 2u);
  EXPECT_EQ(r->report.skipped, 1u);
  EXPECT_EQ(r->report.problems.at(0).to_string(), "u.csv:3: name: invalid UTF-8 (byte 0xFF at offset 4)");
  auto s = load_one("u.csv", data, strict());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, Error::Kind::kBadInput);
  EXPECT_TRUE(s.error().message.starts_with("u.csv:3: name: invalid UTF-8")) << s.error().message;
  // The error carries its place, so no caller parses the message to find it (issue 9 item 4).
  EXPECT_EQ(s.error().file, "u.csv");
  EXPECT_EQ(s.error().line, 3u);
  EXPECT_EQ(s.error().field, "name");
  // In a field spanning lines, the line of the bad byte.
  std::string multi = kCslHeader + csl_row("1", "Good") + csl_row("2", "Name", "X\nY\n\xC3(");
  auto m = load_one("u.csv", multi);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->report.problems.at(0).to_string(),
            "u.csv:5: alt_names: invalid UTF-8 (byte 0xC3 at offset 4)");
}

TEST(BadInput, InvalidUtf8InCslJson) {
  std::string data =
      "{\"results\": [\n{\"id\": \"1\", \"source\": \"S\", \"name\": \"Good\"},\n"
      "{\"id\": \"2\", \"source\": \"S\",\n \"name\": \"Bad\xC0\xAF\"},\n"
      "{\"id\": \"3\", \"source\": \"S\", \"name\": \"Fine\", \"alt_names\": [\"x\"]}\n]}";
  auto r = load_one("u.json", data);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->parties.size(), 2u);
  EXPECT_EQ(r->report.rows, 3u);
  EXPECT_EQ(r->report.problems.at(0).to_string(), "u.json:4: name: invalid UTF-8 (byte 0xC0 at offset 40)");
  auto s = load_one("u.json", data, strict());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().message.starts_with("u.json:4: name: invalid UTF-8")) << s.error().message;
}

TEST(BadInput, InvalidUtf8InFtmAndXml) {
  std::string ftm =
      "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"A\"]}, \"datasets\": [\"d\"]}\n"
      "{\"id\": \"b\", \"schema\": \"Company\", \"properties\": {\"name\": [\"B\"], \"alias\": "
      "[\"\xED\xA0\x80\"]}}\n";
  auto f = load_one("u.ftm.json", ftm);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->parties.size(), 1u);
  EXPECT_TRUE(
      f->report.problems.at(0).to_string().starts_with("u.ftm.json:2: properties.alias: invalid UTF-8"))
      << f->report.problems.at(0).to_string();
  EXPECT_FALSE(load_one("u.ftm.json", ftm, strict()).ok());

  std::string un =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST "
      "dateGenerated=\"2026-02-27T00:00:00Z\">\n"
      "<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>OK</FIRST_NAME></INDIVIDUAL>\n"
      "<INDIVIDUAL><DATAID>2</DATAID>\n<FIRST_NAME>B\xFF</FIRST_NAME></INDIVIDUAL>\n</INDIVIDUALS>\n"
      "<ENTITIES/></CONSOLIDATED_LIST>\n";
  auto u = load_one("u.xml", un);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->parties.size(), 1u);
  EXPECT_EQ(u->report.problems.at(0).to_string(),
            "u.xml:6: FIRST_NAME: invalid UTF-8 (byte 0xFF at offset 1)");
  auto us = load_one("u.xml", un, strict());
  ASSERT_FALSE(us.ok());
  EXPECT_TRUE(us.error().message.starts_with("u.xml:6: FIRST_NAME: invalid UTF-8")) << us.error().message;
}

// ---- wrong column counts, missing names, bad JSON lines --------------------------------------

TEST(BadInput, WrongColumnCountAndMissingName) {
  std::string data = kCslHeader + csl_row("1", "A") + "2,too,few\n" + csl_row("3", "") + csl_row("4", "D");
  auto r = load_one("w.csv", data);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->parties.size(), 2u);
  EXPECT_EQ(r->report.rows, 4u);
  EXPECT_EQ(r->report.skipped, 2u);
  EXPECT_EQ(r->report.problems.at(0).to_string(), "w.csv:3: expected 29 fields, found 3");
  EXPECT_EQ(r->report.problems.at(1).to_string(), "w.csv:4: name: missing name");
  auto s = load_one("w.csv", data, strict());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "w.csv:3: expected 29 fields, found 3 (strict mode)");
}

TEST(BadInput, SharedInvalidFiles) {
  auto csl = shared_data("invalid/csl.csv");
  CLEARANCE_REQUIRE_FILE(csl);
  auto r = load_list({read_source(csl)}, {}, countries());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->parties.size(), 2u);
  EXPECT_EQ(r->report.skipped, 4u);
  EXPECT_EQ(r->report.problems.at(0).to_string(), csl + ":2: expected 28 fields, found 2");
  auto s = load_list({read_source(csl)}, strict(), countries());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, csl + ":2: expected 28 fields, found 2 (strict mode)");

  std::string dir = shared_data("invalid/");
  std::vector<SourceFile> set;
  for (auto f : {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}) set.push_back(read_source(dir + f));
  auto o = load_list(set, {}, countries());
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->report.skipped, 4u);  // the "||||" junk line at the end of each file
  EXPECT_EQ(o->report.problems.at(0).to_string(),
            dir + "sdn.csv:7380: expected 12 fields for sdn.csv / cons_prim.csv, found 1");
  auto os = load_list(set, strict(), countries());
  ASSERT_FALSE(os.ok());
  EXPECT_TRUE(os.error().message.starts_with(dir + "sdn.csv:7380:")) << os.error().message;
}

TEST(BadInput, UnparsableFtmLineAndNonPartySchemas) {
  std::string ftm =
      "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"A\"]}, \"datasets\": [\"d\"]}\n"
      "{not json}\n"
      "\n"
      "[1, 2]\n"
      "{\"id\": \"s\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"a\"], \"program\": "
      "[\"P1\"], "
      "\"startDate\": [\"2020-01-02\"]}}\n"
      "{\"id\": \"s2\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"zz\"]}}\n"
      "{\"id\": \"i\", \"schema\": \"Identification\", \"properties\": {\"holder\": [\"a\"], \"number\": "
      "[\"N1\"], "
      "\"type\": [\"Passport\"], \"country\": [\"ir\"]}}\n"
      "{\"id\": \"x\", \"schema\": \"Address\", \"properties\": {\"full\": [\"Somewhere\"]}}\n";
  LoadOptions o;
  o.format = ListFormat::kFtmJson;
  auto r = load_one("f.json", ftm, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->report.rows, 7u);
  EXPECT_EQ(r->report.imported, 3u);  // the company, its sanction and its identification
  EXPECT_EQ(r->report.skipped, 3u);   // bad JSON, not an object, an Address
  EXPECT_EQ(r->report.orphans, 1u);   // a sanction of an entity not in the file
  EXPECT_EQ(r->report.problems.at(0).to_string(), "f.json:2: not valid JSON");
  ASSERT_EQ(r->parties.size(), 1u);
  auto& p = r->parties[0];
  EXPECT_EQ(p.programs, std::vector<std::string>{"P1"});
  EXPECT_EQ(p.listed_on, "2020-01-02");
  EXPECT_TRUE(has_id(p, "Passport", "N1", "IR"));
  o.strict = true;
  auto s = load_one("f.json", ftm, o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "f.json:2: not valid JSON (strict mode)");
}

// Issue 9: the CSL JSON loader's errors keep their place (file, line, key) in the Error, as the
// other loaders' do, beside the message.
TEST(BadInput, CslJsonErrorsKeepTheirPlace) {
  LoadOptions as_json;
  as_json.format = ListFormat::kCslJson;
  auto junk = load_one("m.json", "{\"results\": []}\n trailing", as_json);
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().message, "m.json:2: unexpected text after the JSON document");
  EXPECT_EQ(junk.error().file, "m.json");
  EXPECT_EQ(junk.error().line, 2u);
  auto not_array = load_one("m.json", "{\"results\": 7}", as_json);
  ASSERT_FALSE(not_array.ok());
  EXPECT_EQ(not_array.error().message, "m.json:1: results: not an array");
  EXPECT_EQ(not_array.error().field, "results");
  EXPECT_EQ(not_array.error().line, 1u);
  auto empty = load_one("m.json", "  ", as_json);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().file, "m.json");
  EXPECT_EQ(empty.error().line, 0u);
}

TEST(BadInput, MalformedJsonRecordInCslJson) {
  std::string data = "{\"results\": [{\"id\": \"1\", \"source\": \"S\", \"name\": \"A\"}, {\"id\": 2 3}, 7]}";
  auto r = load_one("m.json", data);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->report.rows, 3u);
  EXPECT_EQ(r->report.skipped, 2u);
  EXPECT_EQ(r->parties.size(), 1u);
  auto junk = load_one("m.json", "{\"results\": []} trailing");
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().message.find("unexpected text after the JSON document"), std::string::npos);
  LoadOptions as_json;
  as_json.format = ListFormat::kCslJson;
  auto nores = load_one("m.json", "{\"total\": 0}", as_json);
  ASSERT_FALSE(nores.ok());
  EXPECT_NE(nores.error().message.find("no \"results\" array"), std::string::npos);
}

// ---- the lists as BIS and the State Department publish them ----------------------------------

// One case per format: a header, a good row named GOOD, a row with too many fields, one with too
// few, and the messages each gives ("file:line: [field: ]message").
struct SourceCase {
  std::string path;
  ListFormat format;
  std::string header;
  std::string good;      // a row whose name is "GOOD", without the line end
  std::string too_many;  // without the line end
  std::string too_few;   // without the line end
  std::string too_many_message;
  std::string too_few_message;
  std::string name_field;  // the name column as the header writes it
};

const std::string kBisCsvHeader =
    "Source List,Entity Number,SDN Type,Programs,Name,Title,Address,City,State/Province,Postal Code,Country,"
    "Federal Register Notice,Effective Date,Date Lifted/Waived/Expired,Standard Order,License Requirement,"
    "License Policy,Call Sign,Vessel Type,Gross Tonnage,Gross Register Tonnage,Vessel Flag,Vessel Owner,"
    "Remarks/Notes,Address Number,Address Remarks,Alternate Number,Alternate Type,Alternate Name,Alternate "
    "Remarks,Web Link,,,,,";

std::string bis_csv_row(const std::string& name, const std::string& alt = "") {
  return "EL,,,,\"" + name +
         "\",,\"1 Road, Block 2\",Beijing,,,China,84 FR 22963,5/21/2019,,,All items,Presumption "
         "of denial.,,,,,,,,,,,,\"" +
         alt + "\",,https://www.bis.gov/el";
}

std::vector<SourceCase> source_cases() {
  std::string dpl_good =
      "GOOD\t1 MAIN ST\tTOKYO\t\tJP\t100\t01/02/2020\t01/02/2030\tY\t2020-01-03\tNEW\t85 F.R. 1 1/3/2020";
  std::string uvl_good = "China,GOOD,\"1 Road, Beijing\",,,,,";
  std::string isn_good =
      "ISN,INKSNA,GOOD,,Russia,\"Vol. 81, No. 128, 07/05/16\",6/28/2016,,https://www.state.gov/isn";
  std::string ddtc_good = "GOOD,,57 FR 1296,1/13/1992,,";
  return {
      {"d.txt", ListFormat::kBisDpl,
       "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tExpiration_Date\tStandard_"
       "Order\tLast_Update\tAction\tFR_Citation",
       dpl_good, dpl_good + "\tx\ty", "JUNK\t2", "expected 12 fields, found 14",
       "expected 12 fields, found 2", "Name"},
      {"el.csv", ListFormat::kBisCsv, kBisCsvHeader, bis_csv_row("GOOD"), bis_csv_row("GOOD") + ",,,,,,x",
       "EL,,,,JUNK", "expected at most 36 fields, found 37", "expected 31 fields, found 5", "Name"},
      {"isn.csv", ListFormat::kStateIsn,
       "Source List,Programs,Name,Alternative Names,Country,Federal Register Notice,Effective Date,Remarks/"
       "Notes,Web Link",
       isn_good, isn_good + ",x,y", "ISN,INKSNA,JUNK", "expected 9 fields, found 11",
       "expected 9 fields, found 3", "Name"},
      {"uvl.csv", ListFormat::kBisUvl, "COUNTRY,NAME,ADDRESS,,,,,", uvl_good, uvl_good + ",x,y", "China,JUNK",
       "expected at most 8 fields, found 10", "expected 3 fields, found 2", "NAME"},
      {"dtc.csv", ListFormat::kDdtcDebarred,
       "Party Name,Date Of Birth,Federal Register Notice,Notice Date,Corrected Notice,Corrected Notice Date",
       ddtc_good, ddtc_good + ",x,y", "JUNK,x", "expected 6 fields, found 8", "expected 6 fields, found 2",
       "Party Name"},
  };
}

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

TEST(BadInput, BisAndStateSourceFilesColumnCountsAndUtf8) {
  for (auto& c : source_cases()) {
    SCOPED_TRACE(c.path);
    std::string bad_utf8 = replace_first(c.good, "GOOD",
                                         "B\xFF"
                                         "D");
    std::string data = c.header + "\n" + c.good + "\n" + c.too_many + "\n" + c.too_few + "\n" + bad_utf8 +
                       "\r\n" + replace_first(c.good, "GOOD", "OTHER") + "\n";
    // Detected from the header row.
    auto detected = detect_format({SourceFile{c.path, data}});
    ASSERT_TRUE(detected.ok()) << detected.error().message;
    EXPECT_EQ(*detected, c.format);
    auto r = load_one(c.path, data);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->format, c.format);
    EXPECT_EQ(r->report.rows, 5u);
    EXPECT_EQ(r->report.imported, 2u);
    EXPECT_EQ(r->report.skipped, 3u);
    EXPECT_EQ(r->parties.size(), 2u);
    ASSERT_EQ(r->report.problems.size(), 3u);
    EXPECT_EQ(r->report.problems[0].to_string(), c.path + ":3: " + c.too_many_message);
    EXPECT_EQ(r->report.problems[1].to_string(), c.path + ":4: " + c.too_few_message);
    EXPECT_EQ(r->report.problems[2].to_string(),
              c.path + ":5: " + c.name_field + ": invalid UTF-8 (byte 0xFF at offset 1)");
    // Strict mode fails on the first bad row.
    auto s = load_one(c.path, data, strict());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, Error::Kind::kBadInput);
    EXPECT_EQ(s.error().message, c.path + ":3: " + c.too_many_message + " (strict mode)");
    auto u = load_one(c.path, c.header + "\n" + c.good + "\n" + bad_utf8 + "\n", strict());
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.error().message,
              c.path + ":3: " + c.name_field + ": invalid UTF-8 (byte 0xFF at offset 1) (strict mode)");
    // A row without a name, and a header alone.
    auto nameless = load_one(c.path, c.header + "\n" + replace_first(c.good, "GOOD", "") + "\n");
    ASSERT_TRUE(nameless.ok()) << nameless.error().message;
    EXPECT_EQ(nameless->report.skipped, 1u);
    EXPECT_EQ(nameless->report.problems.at(0).to_string(), c.path + ":2: " + c.name_field + ": missing name");
    auto header_only = load_one(c.path, c.header + "\r\n");
    ASSERT_TRUE(header_only.ok()) << header_only.error().message;
    EXPECT_EQ(header_only->report.rows, 0u);
    EXPECT_TRUE(header_only->parties.empty());
    // Another format's file, forced into this one: the header says it is not.
    LoadOptions forced;
    forced.format = c.format;
    auto wrong = load_one("csl.csv", kCslHeader + csl_row("1", "A"), forced);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().kind, Error::Kind::kBadInput);
    EXPECT_TRUE(wrong.error().message.starts_with("csl.csv:1: header has no '")) << wrong.error().message;
    EXPECT_NE(wrong.error().message.find("file"), std::string::npos);
  }
}

TEST(BadInput, BisCsvStrayValuesMultiLineFieldsAndUnknownLists) {
  // A value under one of the empty trailing header cells: the row does not fit the header.
  std::string data = kBisCsvHeader + "\n" + bis_csv_row("A") + ",x\n" + bis_csv_row("B", "X\nY\n\xC3(") +
                     "\n" + replace_first(bis_csv_row("C"), "EL,", "ZZ,") + "\n" + bis_csv_row("D") + "\n";
  auto r = load_one("el.csv", data);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->report.rows, 4u);
  EXPECT_EQ(r->report.skipped, 3u);
  ASSERT_EQ(r->parties.size(), 1u);
  EXPECT_EQ(r->parties[0].primary_name(), "D");
  EXPECT_EQ(r->report.problems.at(0).to_string(),
            "el.csv:2: column 32: a value under an empty header cell: the row does not fit the header");
  // The line of the bad byte in a field spanning lines.
  EXPECT_EQ(r->report.problems.at(1).to_string(),
            "el.csv:5: Alternate Name: invalid UTF-8 (byte 0xC3 at offset 4)");
  EXPECT_EQ(r->report.problems.at(2).to_string(),
            "el.csv:6: Source List: unknown list code 'ZZ' (expected EL, MEU, UVL or DPL)");
  // Mixed lists in one file: each row keeps its own list; the default name is the generic one.
  auto mixed = load_one("el.csv", kBisCsvHeader + "\n" + bis_csv_row("A") + "\n" +
                                      replace_first(bis_csv_row("B"), "EL,", "MEU,") + "\n");
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->default_name, "us-bis");
  ASSERT_EQ(mixed->parties.size(), 2u);
  EXPECT_EQ(mixed->parties[1].list, "Military End User (MEU) List - Bureau of Industry and Security");
}

TEST(BadInput, SourceFileTruncatedInsideAQuote) {
  auto r =
      load_one("isn.csv",
               "Source List,Programs,Name,Alternative Names,Country,Federal Register Notice,Effective Date,"
               "Remarks/Notes,Web Link\nISN,INKSNA,\"Unclosed");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "isn.csv:2: quoted field is never closed (the file may be truncated)");
  LoadOptions dpl;
  dpl.format = ListFormat::kBisDpl;
  auto h = load_one(
      "dpl.txt", "Name\tStreet_Address\tCity\tState\tCountry\xFF\tPostal_Code\tEffective_Date\tFR_Citation\n",
      dpl);
  ASSERT_FALSE(h.ok());
  EXPECT_TRUE(h.error().message.starts_with("dpl.txt:1: header: invalid UTF-8")) << h.error().message;
}

// ---- the size limit --------------------------------------------------------------------------

TEST(BadInput, RecordOverTheConfiguredLimit) {
  LoadOptions o;
  o.max_record_bytes = 4096;
  std::string data =
      kCslHeader + csl_row("1", "A") + csl_row("2", std::string(10000, 'x')) + csl_row("3", "C");
  auto r = load_one("big.csv", data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "big.csv:3: record is longer than the limit of 4 KiB");

  std::string ftm = "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"" +
                    std::string(10000, 'y') + "\"]}}\n";
  o.format = ListFormat::kFtmJson;
  auto f = load_one("big.ftm.json", ftm, o);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, "big.ftm.json:1: line is longer than the limit of 4096 bytes");

  o.format = ListFormat::kCslJson;
  auto j = load_one("big.json", "{\"results\": [{\"name\": \"" + std::string(10000, 'z') + "\"}]}", o);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("big.json:1: a record is longer than the limit"), std::string::npos);

  o.format = ListFormat::kOfacCsv;
  auto s =
      load_list({SourceFile{"sdn.csv", "36,\"" + std::string(10000, 'n') + "\",-0-\r\n"}}, o, countries());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "sdn.csv:1: record is longer than the limit of 4 KiB");
}

// A single line far over the record limit (the loaders work on buffers; read_file reads it whole):
// the default 16 MiB limit stops the CSV reader and the JSON-lines splitter at the limit, naming the
// line. 128 MiB shows it without costing the suite the seconds a 1 GiB allocation takes; how fast
// they stop is a benchmark's business, not a unit test's (a timed assertion here failed under load).
TEST(BadInput, AGiantLineStopsAtTheRecordLimit) {
  SourceFile csv{"huge.csv", std::string(size_t{128} << 20, 'A')};
  csv.contents.replace(0, kCslHeader.size(), kCslHeader);  // the header, then one line of ~128 MiB
  auto r = load_csl_csv(csv, {}, countries());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kBadInput);
  EXPECT_EQ(r.error().message, "huge.csv:2: record is longer than the limit of 16 MiB");

  // The same buffer as JSON lines: line 1 is not JSON (skipped), line 2 is the giant one.
  SourceFile ftm{"huge.ftm.json", std::move(csv.contents)};
  auto f = load_ftm_json(ftm, {}, countries());
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, "huge.ftm.json:2: line is longer than the limit of 16777216 bytes");
}

// ---- never crash -----------------------------------------------------------------------------

TEST(BadInput, TruncationsAndByteFlipsNeverCrash) {
  std::mt19937 rng(42);
  size_t runs = 0;
  std::vector<std::pair<std::string, std::string>> inputs;  // path, contents
  for (auto rel :
       {"us/csl/samples/consolidated-sample.csv", "us/csl/samples/consolidated-2019-old-layout.csv",
        "us/samples/dpl.txt", "us/samples/el.csv", "us/samples/isn.csv", "us/samples/uvl.csv",
        "us/samples/itar_debarred_parties.csv", "us/ofac/samples/sdn-sample-2014.xml",
        "us/other/us_fcc_covered.ftm.json", "cn/cn_mofcom_unreliable_entity_list.ftm.json",
        "us/ofac/nonsdn-2025-12/cons_comments.csv"}) {
    auto path = shared_data(rel);
    if (std::filesystem::exists(path)) inputs.emplace_back(path, read_source(path).contents);
  }
  // A small CSL JSON document made of the first records of the real one, and a slice of the UN list.
  if (auto path = shared_data("us/csl/consolidated-2022-05-converted.json"); std::filesystem::exists(path)) {
    auto j = nlohmann::json::parse(read_source(path).contents);
    nlohmann::json small = {{"results", nlohmann::json::array()},
                            {"search_performed_at", "2022-05-16T00:00:00+00:00"}};
    for (size_t i = 0; i < 40; ++i) small["results"].push_back(j["results"][i]);
    inputs.emplace_back("small-csl.json", small.dump(1));
  }
  if (auto path = shared_data("un/consolidated-2026-02.xml"); std::filesystem::exists(path)) {
    auto s = read_source(path).contents;
    auto cut = s.find("</INDIVIDUAL>", 40000);
    inputs.emplace_back("un-slice.xml",
                        s.substr(0, cut + 13) + "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n");
  }
  for (auto& [path, s] : inputs) {
    const std::string& label = path;
    for (int i = 0; i < 60; ++i) {
      // Thirds: truncated, truncated with flipped bytes, whole with flipped bytes.
      std::string mutated =
          i % 3 == 2 ? s : s.substr(0, std::uniform_int_distribution<size_t>(0, s.size())(rng));
      if (i % 3 != 0 && !mutated.empty())
        for (int k = 0; k < 8; ++k)
          mutated[std::uniform_int_distribution<size_t>(0, mutated.size() - 1)(rng)] =
              static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      for (bool strict_mode : {false, true}) {
        LoadOptions o;
        o.strict = strict_mode;
        auto r = load_list({SourceFile{path, mutated}}, o, countries());
        ++runs;
        if (!r.ok()) {
          EXPECT_EQ(r.error().kind, Error::Kind::kBadInput) << label << ": " << r.error().message;
          EXPECT_FALSE(r.error().message.empty());
        } else {
          EXPECT_EQ(r->report.imported + r->report.skipped + r->report.orphans, r->report.rows) << label;
        }
      }
    }
  }
  if (runs == 0) GTEST_SKIP() << "real list data not available under " << shared_dir();
}

}  // namespace
}  // namespace clearance
