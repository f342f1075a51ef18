// Per-format behaviour on small hand-written inputs (runs without ../shared).
#include <gtest/gtest.h>

#include "lists/formats/us_source.hpp"
#include "lists/lists_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

TEST(OfacCsv, Latin1CommentsAndOrphans) {
  std::vector<SourceFile> set = {
      {"dir/sdn_comments.csv", "10,\"rst of the remarks.\"\r\n99,\"orphan comment\"\r\n\x1A"},
      {"dir/sdn.csv",
       "10,\"M\xDCLLER, J\xFCrgen\",\"individual\",\"SDGT] [IRAN\",\"Director\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
       ",\"DOB "
       "1960; nationality Germany; a.k.a. 'THE \x93"
       "BOSS\x94'; Passport X1 (Germany); this is the fi\"\r\n"
       "11,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9BXY\",\"Crude Oil Tanker\",-0- ,-0- ,\"Iran\",-0- "
       ",\"Vessel "
       "Registration Identification IMO 9187629.\"\r\n"
       "12,\"SOME CO.\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1A"},
      {"dir/alt.csv",
       "10,1,\"fka\",\"MUELLER, Juergen\",-0- \r\n10,2,\"aka\",\"J.M.\",\"weak\"\r\n13,3,\"aka\",\"X\",-0- "
       "\r\n"},
      {"dir/add.csv",
       "12,5,\"Ferdowsi Ave\",\"Tehran\",\"Iran\",-0- \r\n12,6,-0- ,-0- ,\"Region: Crimea\",-0- \r\n"},
  };
  auto l = load_list(set, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 10u);
  EXPECT_EQ(l->report.imported, 8u);
  EXPECT_EQ(l->report.orphans, 2u);
  ASSERT_EQ(l->parties.size(), 3u);
  auto& p = l->parties[0];
  SCOPED_TRACE(describe(p));
  EXPECT_EQ(p.id, "ofac-sdn-10");
  EXPECT_EQ(p.primary_name(), "MÜLLER, Jürgen");
  EXPECT_TRUE(has_name(p, "MUELLER, Juergen", NameKind::kFka));
  EXPECT_TRUE(has_name(p, "J.M.", NameKind::kWeak));
  EXPECT_TRUE(has_name(p,
                       "THE \xE2\x80\x9C"
                       "BOSS\xE2\x80\x9D",
                       NameKind::kWeak));
  EXPECT_TRUE(has_id(p, "Passport", "X1", "DE"));
  EXPECT_EQ(p.birth_dates, std::vector<std::string>{"1960"});
  EXPECT_TRUE(has_country(p, "DE"));
  EXPECT_NE(p.remarks.find("this is the first of the remarks."), std::string::npos) << p.remarks;
  EXPECT_NE(p.remarks.find("Title: Director"), std::string::npos);
  auto& v = l->parties[1];
  EXPECT_EQ(v.type, PartyType::kVessel);
  EXPECT_TRUE(has_id(v, "IMO", "9187629"));
  EXPECT_TRUE(has_id(v, "Call Sign", "9BXY"));
  auto& c = l->parties[2];
  EXPECT_EQ(c.type, PartyType::kEntity);  // SDN_Type -0- is an entity
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0].text, "Ferdowsi Ave, Tehran");
  EXPECT_EQ(c.addresses[0].country, "IR");
  EXPECT_EQ(l->report.problems.at(0).to_string(), "dir/alt.csv:3: ent_num: entry 13 is not in sdn.csv");
  EXPECT_EQ(l->report.problems.at(1).to_string(),
            "dir/sdn_comments.csv:2: ent_num: entry 99 is not in sdn.csv");
}

TEST(OfacCsv, UnknownFileNamesAreSniffedAndBadRowsReported) {
  LoadOptions o;
  o.format = ListFormat::kOfacCsv;
  auto l = load_list(
      {{"cons-entries.csv",
        "9639,\"HANIYA, Ismail\",\"individual\",\"NS-PLC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "abc,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "9640,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"}},
      o, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->default_name, "us-ofac-nonsdn");
  ASSERT_EQ(l->parties.size(), 1u);
  EXPECT_EQ(l->parties[0].id, "ofac-cons-9639");
  EXPECT_EQ(l->parties[0].list, "Palestinian Legislative Council List (PLC) - Treasury Department");
  EXPECT_EQ(l->report.skipped, 2u);
  EXPECT_EQ(l->report.problems.at(0).to_string(), "cons-entries.csv:2: ent_num: not a number: 'abc'");
  EXPECT_EQ(l->report.problems.at(1).to_string(), "cons-entries.csv:3: SDN_Name: missing name");
  auto bad = load_list({{"x.csv", "1,2,3\n"}}, o, countries());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("x.csv: line 1: cannot tell which OFAC CSV file"), std::string::npos);
}

TEST(OfacXml, WeakAkasVesselsAndRemarks) {
  std::string xml = R"(<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>03/05/2024</Publish_Date></publshInformation>
  <sdnEntry><uid>1</uid><lastName>SEA STAR</lastName><sdnType>Vessel</sdnType>
    <programList><program>IRAN</program></programList>
    <idList><id><uid>2</uid><idType>Vessel Registration Identification</idType><idNumber>IMO 9187629</idNumber></id></idList>
    <akaList><aka><uid>3</uid><type>a.k.a.</type><category>weak</category><lastName>STAR</lastName></aka></akaList>
    <vesselInfo><callSign>9BXY</callSign><vesselFlag>Iran</vesselFlag></vesselInfo></sdnEntry>
  <sdnEntry><uid>4</uid><firstName>Ali</firstName><lastName>HASSAN</lastName><sdnType>Individual</sdnType>
    <dateOfBirthList><dateOfBirthItem><dateOfBirth>circa 1960</dateOfBirth></dateOfBirthItem>
      <dateOfBirthItem><dateOfBirth>12 Jan 1962</dateOfBirth></dateOfBirthItem></dateOfBirthList>
    <citizenshipList><citizenship><country>Iran</country></citizenship></citizenshipList></sdnEntry>
  <sdnEntry><uid>5</uid><sdnType>Entity</sdnType></sdnEntry>
</sdnList>
)";
  auto l = load_list({{"sdn.xml", xml}}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->source_date, "2024-03-05");
  EXPECT_EQ(l->report.rows, 3u);
  EXPECT_EQ(l->report.skipped, 1u);
  EXPECT_EQ(l->report.problems.at(0).to_string(), "sdn.xml:13: lastName: missing name");
  ASSERT_EQ(l->parties.size(), 2u);
  auto& v = l->parties[0];
  EXPECT_EQ(v.type, PartyType::kVessel);
  EXPECT_TRUE(has_id(v, "IMO", "9187629"));
  EXPECT_TRUE(has_id(v, "Call Sign", "9BXY"));
  EXPECT_TRUE(has_name(v, "STAR", NameKind::kWeak));
  auto& p = l->parties[1];
  EXPECT_EQ(p.primary_name(), "HASSAN, Ali");
  EXPECT_EQ(p.birth_dates, (std::vector<std::string>{"1960", "1962-01-12"}));
  EXPECT_TRUE(has_country(p, "IR"));
}

TEST(UnXml, NamesAliasesDatesDocuments) {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS>
<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>GHANI </SECOND_NAME><THIRD_NAME>BARADAR</THIRD_NAME>
  <UN_LIST_TYPE>Taliban</UN_LIST_TYPE><REFERENCE_NUMBER>TAi.024</REFERENCE_NUMBER><LISTED_ON>2001-02-23</LISTED_ON>
  <NAME_ORIGINAL_SCRIPT>عبدالغنی برادر</NAME_ORIGINAL_SCRIPT><NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY>
  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Mullah Baradar</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Baradar</ALIAS_NAME></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
  <INDIVIDUAL_ADDRESS><CITY>Kabul</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1967</FROM_YEAR><TO_YEAR>1968</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
  <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OR801168</NUMBER><ISSUING_COUNTRY>Pakistan</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
  <COMMENTS1>Senior commander.</COMMENTS1></INDIVIDUAL>
</INDIVIDUALS><ENTITIES>
<ENTITY><DATAID>8</DATAID><FIRST_NAME>ADF</FIRST_NAME><ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>NALU</ALIAS_NAME></ENTITY_ALIAS>
  <ENTITY_ADDRESS><STREET>Plot 22</STREET><CITY>Kampala</CITY><COUNTRY>Uganda</COUNTRY></ENTITY_ADDRESS></ENTITY>
</ENTITIES></CONSOLIDATED_LIST>)";
  auto l = load_list({{"un.xml", xml}}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->default_name, "un-sc");
  ASSERT_EQ(l->parties.size(), 2u);
  auto& p = l->parties[0];
  SCOPED_TRACE(describe(p));
  EXPECT_EQ(p.id, "un-7");
  EXPECT_EQ(p.primary_name(), "ABDUL GHANI BARADAR");
  EXPECT_EQ(p.names.at(1).script, Script::kArabic);
  EXPECT_TRUE(has_name(p, "Mullah Baradar", NameKind::kAka));
  EXPECT_TRUE(has_name(p, "Baradar", NameKind::kWeak));
  EXPECT_EQ(p.names.size(), 4u);
  EXPECT_EQ(p.birth_dates, (std::vector<std::string>{"1967", "1968", "1973-11"}));
  EXPECT_TRUE(has_id(p, "Passport", "OR801168", "PK"));
  EXPECT_EQ(p.citation, "TAi.024");
  EXPECT_EQ(p.remarks, "Senior commander.");
  EXPECT_TRUE(has_name(l->parties[1], "NALU", NameKind::kFka));
  EXPECT_EQ(l->parties[1].addresses.at(0).text, "Plot 22, Kampala");
}

TEST(FtmJson, ChineseFirstAliasesAndAnnouncement) {
  std::string ftm =
      R"({"id": "cn-1", "schema": "Company", "properties": {"name": ["华为技术有限公司", "Huawei Technologies Co., Ltd."], "weakAlias": ["HW"], "previousName": ["Old Huawei"], "country": ["cn"], "address": ["Bantian, Longgang District, Shenzhen, China"], "notes": ["根据商务部公告2025年第4号，决定将……"], "startDate": ["2025-02-04"], "birthDate": []}, "datasets": ["cn_mofcom_unreliable_entity_list"]})"
      "\n"
      R"({"id": "p-1", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "birthDate": ["1970-05-06"], "nationality": ["ru"], "idNumber": ["123"]}, "datasets": ["cn_mofcom_unreliable_entity_list"]})"
      "\n";
  auto l = load_list({{"x.ftm.json", ftm}}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->default_name, "cn_mofcom_unreliable_entity_list");
  ASSERT_EQ(l->parties.size(), 2u);
  auto& p = l->parties[0];
  SCOPED_TRACE(describe(p));
  EXPECT_EQ(p.list, "China Unreliable Entity List (不可靠实体清单) - MOFCOM");
  EXPECT_EQ(p.primary_name(), "华为技术有限公司");
  EXPECT_EQ(p.names[0].script, Script::kHan);
  EXPECT_TRUE(has_name(p, "Huawei Technologies Co., Ltd.", NameKind::kAka));
  EXPECT_TRUE(has_name(p, "HW", NameKind::kWeak));
  EXPECT_TRUE(has_name(p, "Old Huawei", NameKind::kFka));
  EXPECT_EQ(p.citation, "商务部公告2025年第4号");
  EXPECT_EQ(p.countries, std::vector<std::string>{"CN"});
  EXPECT_EQ(p.addresses.at(0).country, "CN");
  auto& q = l->parties[1];
  EXPECT_EQ(q.type, PartyType::kPerson);
  EXPECT_EQ(q.birth_dates, std::vector<std::string>{"1970-05-06"});
  EXPECT_TRUE(has_country(q, "RU"));
  EXPECT_TRUE(has_id(q, "ID Number", "123"));
}

TEST(CslCsv, OldLayoutMapsByHeaderName) {
  // Columns in another order, without _id: ids are derived and stable.
  std::string csv =
      "name,source,alt_names,addresses,start_date,federal_register_notice,type,programs,ids\n"
      "\"Gunther Migeotte\",Entity List (EL) - Bureau of Industry and Security,\"GM;G. "
      "Migeotte\",\"Brussels, BE\","
      "2010-06-25,75 FR 36516,,,\n"
      "\"Gunther Migeotte\",Entity List (EL) - Bureau of Industry and Security,,\"Paris, FR\",2010-06-25,75 "
      "FR "
      "36516,,,\n";
  LoadOptions o;
  o.format = ListFormat::kCslCsv;
  auto a = load_list({{"old.csv", csv}}, o, countries());
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->report.imported, 2u);
  ASSERT_EQ(a->parties.size(), 1u);  // one entry listed under two countries
  auto& p = a->parties[0];
  EXPECT_EQ(p.id, derive_party_id("Entity List (EL) - Bureau of Industry and Security", "Gunther Migeotte",
                                  "75 FR 36516"));
  EXPECT_EQ(p.names.size(), 3u);
  EXPECT_EQ(p.countries, (std::vector<std::string>{"BE", "FR"}));
  auto b = load_list({{"old.csv", csv}}, o, countries());
  EXPECT_EQ(b->parties[0].id, p.id);
  auto no_name = load_list({{"x.csv", "source,alt_names,foo\nA,B,C\n"}}, o, countries());
  ASSERT_FALSE(no_name.ok());
  EXPECT_EQ(no_name.error().message,
            "x.csv:1: header has no 'name' and 'source' columns: not a CSL CSV file");
}

// ---- the lists as BIS and the State Department publish them ----------------------------------

TEST(SourceFormats, NamesRoundTripAndUnknownNamesListThemAll) {
  for (auto [name, f] : {std::pair<const char*, ListFormat>{"bis-dpl", ListFormat::kBisDpl},
                         {"bis-csv", ListFormat::kBisCsv},
                         {"state-isn", ListFormat::kStateIsn},
                         {"bis-uvl", ListFormat::kBisUvl},
                         {"ddtc-debarred", ListFormat::kDdtcDebarred}}) {
    auto parsed = list_format_from_string(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, f);
    EXPECT_EQ(to_string(f), name);
  }
  auto bad = list_format_from_string("dpl");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      bad.error().message,
      "unknown list format 'dpl' (expected auto, csl-csv, csl-json, ofac-csv, ofac-xml, un-xml, ftm-json, "
      "bis-dpl, bis-csv, state-isn, bis-uvl or ddtc-debarred)");
}

TEST(SourceFormats, DetectedFromTheHeaderRow) {
  struct Case {
    std::string header;
    ListFormat format;
  };
  for (auto& c : std::vector<Case>{
           {"\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_"
            "Date\"\t"
            "\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"\r\n",
            ListFormat::kBisDpl},
           {"\xEF\xBB\xBFName\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tFR_"
            "Citation\n",
            ListFormat::kBisDpl},
           {"Source List,Entity Number,SDN Type,Programs,Name,Title,Address,City,State/Province,Postal Code,"
            "Country,Federal Register Notice,Effective Date,Alternate Name,Web Link,,,\n",
            ListFormat::kBisCsv},
           {"Source List,Programs,Name,Alternative Names,Country,Federal Register Notice,Effective Date\n",
            ListFormat::kStateIsn},
           {"COUNTRY,NAME,ADDRESS,,,,,\r\n", ListFormat::kBisUvl},
           {"Party Name,Date Of Birth,Federal Register Notice,Notice Date,Corrected Notice,Corrected Notice "
            "Date\n",
            ListFormat::kDdtcDebarred}}) {
    auto d = detect_format({SourceFile{"f.csv", c.header}});
    ASSERT_TRUE(d.ok()) << c.header << ": " << d.error().message;
    EXPECT_EQ(*d, c.format) << c.header;
  }
  auto corpus = detect_format({SourceFile{"issuers.csv", "code,short_name,market\n000001,X,A\n"}});
  ASSERT_FALSE(corpus.ok());
  EXPECT_NE(corpus.error().message.find("not a restricted-party list"), std::string::npos);
}

TEST(SourceFormats, InlineAliases) {
  using formats::split_inline_aliases;
  auto a = split_inline_aliases("FUYI SUN A/K/A FRANK SUN");
  EXPECT_EQ(a.name, "FUYI SUN");
  ASSERT_EQ(a.aliases.size(), 1u);
  EXPECT_EQ(a.aliases[0].first, "FRANK SUN");
  auto b =
      split_inline_aliases("Training 2 Business Academy, a.k.a. T2BA, a.k.a. Academy of Business Training");
  EXPECT_EQ(b.name, "Training 2 Business Academy");
  ASSERT_EQ(b.aliases.size(), 2u);
  EXPECT_EQ(b.aliases[0].first, "T2BA");
  EXPECT_EQ(b.aliases[1].first, "Academy of Business Training");
  auto c = split_inline_aliases("Hukic, Bajro (a.k.a. Bob Hukic; Bab Hucici)");
  EXPECT_EQ(c.name, "Hukic, Bajro");
  ASSERT_EQ(c.aliases.size(), 2u);
  EXPECT_EQ(c.aliases[1].first, "Bab Hucici");
  auto d = split_inline_aliases("PEARL (A.K.A. NEI-CHIEN CHU) LI");
  EXPECT_EQ(d.name, "PEARL LI");
  ASSERT_EQ(d.aliases.size(), 1u);
  EXPECT_EQ(d.aliases[0].first, "NEI-CHIEN CHU");
  auto e = split_inline_aliases("Old Name Ltd f.k.a. Older Name Ltd");
  EXPECT_EQ(e.name, "Old Name Ltd");
  ASSERT_EQ(e.aliases.size(), 1u);
  EXPECT_EQ(e.aliases[0].second, NameKind::kFka);
  // Parentheses that are not alias clauses, and words that merely contain a marker, stay.
  for (auto keep : {"SOCCER ZONE (MNC GROUP INTERNATIONAL, INC.)", "SAMMY (IHSAN MEDHAT) ELASHI",
                    "Alaka Trading", "KAKA.A. Co"}) {
    auto k = split_inline_aliases(keep);
    EXPECT_EQ(k.name, keep);
    EXPECT_TRUE(k.aliases.empty()) << keep;
  }
  EXPECT_EQ(split_inline_aliases("a.k.a. X").name, "a.k.a. X");  // nothing but an alias: kept whole
}

TEST(SourceFormats, C1ControlsAreWindows1252Punctuation) {
  bool changed = false;
  EXPECT_EQ(formats::repair_c1_controls("Sa\xC2\x92id \xC2\x91"
                                        "Abd",
                                        &changed),
            "Sa\xE2\x80\x99id \xE2\x80\x98"
            "Abd");
  EXPECT_TRUE(changed);
  changed = false;
  EXPECT_EQ(formats::repair_c1_controls("\xC2\xA7"
                                        "744.11 Caf\xC3\xA9",
                                        &changed),
            "\xC2\xA7"
            "744.11 Caf\xC3\xA9");
  EXPECT_FALSE(changed);
}

TEST(SourceFormats, DdtcDateOfBirthMakesAPersonAndCorrectedNotices) {
  std::string csv =
      "Party Name,Date Of Birth,Federal Register Notice,Notice Date,Corrected Notice,Corrected Notice Date\n"
      "\"Doe, John (a.k.a. Johnny Doe)\",05/06/1970,80 FR 100,1/2/2015,80 FR 200,2/3/2015\n"
      "\"Acme Arms, Inc.\",,80 FR 101,1/2/2015,,\n"
      "\"Roe, Richard\",sometime,80 FR 102,1/2/2015,,\n";
  auto l = load_list({{"dtc.csv", csv}}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  ASSERT_EQ(l->parties.size(), 3u);
  auto& doe = l->parties[0];
  EXPECT_EQ(doe.type, PartyType::kPerson);
  EXPECT_EQ(doe.birth_dates, std::vector<std::string>{"1970-05-06"});
  EXPECT_EQ(doe.citation, "80 FR 100; 80 FR 200");
  EXPECT_EQ(doe.remarks, "Corrected notice 80 FR 200 of 2015-02-03");
  EXPECT_TRUE(has_name(doe, "Johnny Doe", NameKind::kAka));
  EXPECT_EQ(l->parties[1].type, PartyType::kUnknown);
  EXPECT_EQ(l->parties[2].type, PartyType::kUnknown);
  EXPECT_EQ(l->parties[2].remarks, "Date of birth: sometime");
  ASSERT_EQ(l->report.problems.size(), 1u);
  EXPECT_EQ(l->report.problems[0].to_string(),
            "dtc.csv:4: Date Of Birth: 'sometime' is not a date; kept in the remarks");
}

TEST(SourceFormats, BisCsvAlternateTypesEntityNumbersAndLiftedDates) {
  std::string header =
      "Source List,Entity Number,SDN Type,Programs,Name,Title,Address,City,State/Province,Postal "
      "Code,Country,"
      "Federal Register Notice,Effective Date,Date Lifted/Waived/Expired,Standard Order,License Requirement,"
      "License Policy,Call Sign,Vessel Type,Gross Tonnage,Gross Register Tonnage,Vessel Flag,Vessel Owner,"
      "Remarks/Notes,Address Number,Address Remarks,Alternate Number,Alternate Type,Alternate Name,Alternate "
      "Remarks,Web Link\n";
  std::string csv =
      header +
      "MEU,7,Entity,EAR,Acme Aero,,1 Road,Xi'an,Shaanxi,710000,China,85 FR 83799,12/23/2020,"
      "1/2/2022,,Any item,Case by case,,,,,,,,,,,fka,Old Acme,,https://www.bis.gov/meu\n"
      "MEU,7,Entity,EAR,Acme Aero,,2 Road,Hong Kong,,,Hong Kong,85 FR 83799,12/23/2020,,,,,,,,,,,,,,,"
      ",Acme HK,,\n"
      "MEU,8,,,Acme Aero,,,,,,Atlantis,85 FR 83799,12/23/2020,,,,,,,,,,,,,,,,,,\n";
  auto l = load_list({{"meu.csv", csv}}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->default_name, "us-bis-meu");
  ASSERT_EQ(l->parties.size(), 2u);  // entity numbers 7 and 8
  auto& p = l->parties[0];
  SCOPED_TRACE(describe(p));
  EXPECT_EQ(p.id, derive_party_id(p.list, "Acme Aero",
                                  "85 FR 83799"
                                  "7"));
  EXPECT_EQ(p.type, PartyType::kEntity);
  EXPECT_EQ(p.programs, std::vector<std::string>{"EAR"});
  EXPECT_TRUE(has_name(p, "Old Acme", NameKind::kFka));
  EXPECT_TRUE(has_name(p, "Acme HK", NameKind::kAka));
  ASSERT_EQ(p.addresses.size(), 2u);
  EXPECT_EQ(p.addresses[0].text, "1 Road, Xi'an, Shaanxi, 710000");
  EXPECT_EQ(p.addresses[0].country, "CN");
  EXPECT_EQ(p.addresses[1].country, "HK");
  EXPECT_EQ(p.license_requirement, "Any item");
  EXPECT_EQ(p.license_policy, "Case by case");
  EXPECT_EQ(p.remarks, "Lifted/waived/expired 2022-01-02");
  // A country the table does not know is kept as text and noted, never dropped.
  auto& q = l->parties[1];
  EXPECT_TRUE(q.countries.empty());
  ASSERT_EQ(q.addresses.size(), 1u);
  EXPECT_EQ(q.addresses[0].text, "Atlantis");
  EXPECT_EQ(l->report.problems.at(0).to_string(),
            "meu.csv:4: Country: 'Atlantis' is not a known country; kept as text");
}

}  // namespace
}  // namespace clearance
