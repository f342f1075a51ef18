// Every chip of the shared chips.tsv table classifies to the TPP, PD and class the table reports,
// under both the October-2022 and October-2023 versions of 3A090. The expected values are read
// from the catalogue we ship (its `reported` fields) and cross-checked against chips.tsv itself
// when ../shared is present.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "rules/rules_support.hpp"

namespace clearance {
namespace {

using testing::date;
using testing::engine;

struct Expected {
  std::string model;
  std::optional<double> tpp, pd;
  std::string basis, class_2023, class_2022;
};

std::map<std::string, Expected> from_catalogue() {
  std::map<std::string, Expected> out;
  auto text = read_file(testing::data_dir() + "/items/chips.yaml");
  EXPECT_TRUE(text.ok());
  if (!text) return out;
  YAML::Node doc = YAML::Load(*text);
  for (const auto& n : doc["items"]) {
    Expected e;
    e.model = n["name"].as<std::string>();
    const auto& r = n["reported"];
    if (r["tpp"]) e.tpp = r["tpp"].as<double>();
    if (r["pd"]) e.pd = r["pd"].as<double>();
    if (r["tpp_basis"]) e.basis = r["tpp_basis"].as<std::string>();
    e.class_2023 = r["class_oct2023"].as<std::string>();
    e.class_2022 = r["class_oct2022"].as<std::string>();
    out[n["id"].as<std::string>()] = e;
  }
  return out;
}

// Not caught by 3A090: the ECCN is the item's base classification (issue 10), never 3A090.
void expect_base(const Item& item, const Classification& c) {
  EXPECT_TRUE(c.base);
  EXPECT_FALSE(item.base_eccn.empty());
  EXPECT_EQ(c.eccn, item.base_eccn);
  EXPECT_EQ(c.eccn.rfind("3A090", 0), std::string::npos);
}

// Checks one classification against a chips.tsv class string.
void expect_class(const Item& item, const Classification& c, const std::string& expected,
                  const std::string& ctx) {
  SCOPED_TRACE(ctx + ": " + item.name + " expected '" + expected + "', got '" + c.label + "' (" + c.status +
               ", " + c.eccn + ")");
  if (expected == "unknown") {
    EXPECT_EQ(c.status, "unknown");
  } else if (expected == "3A090.a.1") {
    EXPECT_EQ(c.paragraph, "3A090.a.1");
    EXPECT_EQ(c.eccn, "3A090.a");
  } else if (starts_with_icase(expected, "3A090.a (non-datacenter")) {
    EXPECT_EQ(c.eccn, "3A090.a");
    EXPECT_EQ(item.chip.datacenter, std::optional<bool>(false));
  } else if (starts_with_icase(expected, "not 3A090 (Note 2")) {
    EXPECT_EQ(c.status, "excluded");
    expect_base(item, c);
  } else if (expected == "not 3A090" || expected == "not controlled by 2022 3A090") {
    EXPECT_EQ(c.status, "not_controlled");
    expect_base(item, c);
  } else if (expected == "3A090.a (2022)") {
    EXPECT_EQ(c.eccn, "3A090.a");
    EXPECT_EQ(c.label, "3A090.a (2022)");
  } else {
    ADD_FAILURE() << "unexpected class string in the table: " << expected;
  }
}

TEST(Chips, CatalogueClassifiesEveryChipAsReported) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto expected = from_catalogue();
  ASSERT_GE(expected.size(), 23u);
  for (const auto& [id, ex] : expected) {
    const Item* item = e->catalogue().find_id(id);
    ASSERT_NE(item, nullptr) << id;
    auto c23 = e->classify(*item, date("2024-06-01"));
    auto c22 = e->classify(*item, date("2023-06-01"));
    if (ex.tpp) {
      ASSERT_TRUE(c23->tpp.tpp) << id;
      EXPECT_NEAR(*c23->tpp.tpp, *ex.tpp, 0.05) << id;
      if (!ex.basis.empty()) EXPECT_EQ(c23->tpp.basis(), ex.basis) << id;
    } else {
      EXPECT_FALSE(c23->tpp.tpp) << id;
    }
    if (ex.pd) {
      ASSERT_TRUE(c23->tpp.pd) << id;
      EXPECT_NEAR(*c23->tpp.pd, *ex.pd, 0.006) << id;
    } else {
      EXPECT_FALSE(c23->tpp.pd) << id;
    }
    expect_class(*item, *c23, ex.class_2023, "Oct-2023 rule");
    expect_class(*item, *c22, ex.class_2022, "Oct-2022 rule");
  }
}

// Reads chips.tsv (tab-separated, header row) into maps of column -> value.
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    auto cols = split(line, '\t');
    if (header.empty()) {
      for (auto c : cols) header.emplace_back(c);
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < cols.size(); ++i) row[header[i]] = std::string(cols[i]);
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(Chips, CrossCheckAgainstSharedChipsTsv) {
  SKIP_WITHOUT_SHARED("docs/chips.tsv");
  auto e = engine();
  ASSERT_TRUE(e);
  auto rows = read_tsv(testing::shared_path("docs/chips.tsv"));
  ASSERT_GE(rows.size(), 23u);
  for (const auto& row : rows) {
    const std::string model = row.at("model");
    auto m = e->resolve_item(row.at("vendor") + " " + model);
    ASSERT_TRUE(m.ok()) << model << ": " << (m.ok() ? "" : m.error().message);
    const Item& item = *m->item;
    // The catalogue carries the table's parameters.
    std::string tops;
    for (const auto& [p, v] : item.chip.dense_tops) {
      std::ostringstream s;
      s << p << "=" << v;
      tops += (tops.empty() ? "" : ";") + s.str();
    }
    EXPECT_EQ(tops, row.at("dense_peak_tops_by_precision")) << model;
    EXPECT_EQ(item.chip.datacenter.value_or(false), row.at("datacenter") == "yes") << model;
    auto c23 = e->classify(item, date("2025-01-01"));
    auto c22 = e->classify(item, date("2023-01-01"));
    if (!row.at("TPP").empty()) {
      ASSERT_TRUE(c23->tpp.tpp) << model;
      EXPECT_NEAR(*c23->tpp.tpp, std::stod(row.at("TPP")), 0.05) << model;
      EXPECT_EQ(c23->tpp.basis(), row.at("TPP_basis")) << model;
    }
    if (!row.at("PD").empty()) {
      ASSERT_TRUE(c23->tpp.pd) << model;
      EXPECT_NEAR(*c23->tpp.pd, std::stod(row.at("PD")), 0.006) << model;
    }
    expect_class(item, *c23, row.at("computed_class_oct2023"), "chips.tsv Oct-2023");
    expect_class(item, *c22, row.at("computed_oct2022"), "chips.tsv Oct-2022");
  }
}

TEST(Chips, ClassificationShowsTheComputationAndTheDecidingRule) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto c = e->classify("H100", date("2024-01-10"));
  ASSERT_TRUE(c.ok());
  const Classification& h = **c;
  EXPECT_EQ(h.tpp.precision, "fp8");
  EXPECT_EQ(h.tpp.bits, 8);
  ASSERT_TRUE(h.decided_by);
  EXPECT_EQ(h.decided_by->id, "us.class.3a090.a.1");
  ASSERT_FALSE(h.trials.empty());
  const auto& tests = h.trials.back().tests;
  bool saw_threshold = false;
  for (const auto& t : tests) saw_threshold = saw_threshold || t.test == "tpp >= 4800";
  EXPECT_TRUE(saw_threshold);
  // TF32 is listed but left out of the maximum.
  bool tf32_excluded = false;
  for (const auto& t : h.tpp.terms)
    tf32_excluded = tf32_excluded || (t.precision == "tf32" && !t.excluded_reason.empty());
  EXPECT_TRUE(tf32_excluded);
}

TEST(Chips, TwentyTwentyTwoTestNeedsTheInterconnect) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto a800 = e->classify("A800", date("2023-06-01"));
  ASSERT_TRUE(a800.ok());
  EXPECT_EQ((*a800)->status, "not_controlled");
  bool io_failed = false;
  for (const auto& trial : (*a800)->trials)
    for (const auto& t : trial.tests)
      io_failed = io_failed || (t.test == "interconnect_gbps >= 600" && t.result == Tri::kFalse);
  EXPECT_TRUE(io_failed);
  auto later = e->classify("A800", date("2023-12-01"));
  EXPECT_EQ((*later)->eccn, "3A090.a");
}

TEST(Chips, SystemsAreJudgedOnTheirChips) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto hgx = e->classify("HGX H100 8-GPU baseboard", date("2024-06-01"));
  ASSERT_TRUE(hgx.ok());
  EXPECT_EQ((*hgx)->eccn, "4A090.a");
  ASSERT_TRUE((*hgx)->contained);
  EXPECT_EQ((*hgx)->contained->eccn, "3A090.a");
  auto dgx = e->classify("DGX H100", date("2024-06-01"));
  EXPECT_EQ((*dgx)->eccn, "5A992.z.a");
  auto h20 = e->classify("HGX H20", date("2024-06-01"));
  EXPECT_EQ((*h20)->status, "not_controlled");
  auto dgx22 = e->classify("DGX A100", date("2023-01-01"));
  EXPECT_EQ((*dgx22)->eccn, "4A090.a");
}

TEST(Chips, HbmFromDecember2024) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto before = e->classify("HBM3E", date("2024-11-01"));
  EXPECT_EQ((*before)->status, "unclassified");
  auto after = e->classify("HBM3E", date("2025-01-01"));
  EXPECT_EQ((*after)->eccn, "3A090.c");
  ASSERT_TRUE((*after)->hbm_density);
  EXPECT_GT(*(*after)->hbm_density, 2.0);
}

TEST(Chips, SpecFileClassifiesAnyChip) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto spec =
      e->parse_spec(R"({"name": "Test accelerator", "vendor": "Acme", "dense_tops": {"fp16": 200, "fp8": 400},
                                 "die_area_mm2": 500, "memory_bandwidth_gbps": 3000, "datacenter": true})",
                    "spec.json");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  auto c = e->classify(*spec, date("2024-06-01"));
  EXPECT_DOUBLE_EQ(*c->tpp.tpp, 3200);
  EXPECT_DOUBLE_EQ(*c->tpp.pd, 6.4);
  EXPECT_EQ(c->paragraph, "3A090.a.2");
  // The same chip marketed for consumers falls under Note 2.
  auto consumer = e->parse_spec(
      "name: Consumer card\ndense_tops: \"fp16=200;fp8=400\"\ndie_area_mm2: 500\ndatacenter: false\n",
      "spec.yaml");
  ASSERT_TRUE(consumer.ok()) << consumer.error().message;
  EXPECT_EQ(e->classify(*consumer, date("2024-06-01"))->status, "excluded");
}

TEST(Chips, BadSpecNamesTheField) {
  auto e = engine();
  ASSERT_TRUE(e);
  auto bad = e->parse_spec("name: X\ndense_tops: {fp12: 100}\n", "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("x.yaml:2"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("fp12"), std::string::npos);
  auto typo = e->parse_spec("name: X\ndense_tops: {fp16: 100}\ndie_area: 12\n", "y.yaml");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("die_area_mm2"), std::string::npos)
      << typo.error().message;  // did you mean
}

}  // namespace
}  // namespace clearance
