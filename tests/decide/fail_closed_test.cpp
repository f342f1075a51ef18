// Issue 10, kind 1: fail closed. An answer that cannot be complete is `undetermined`, says what is
// missing and how to supply it, and never "no licence required"; classify and check agree on
// which rules were in force on every date.
#include <gtest/gtest.h>

#include <set>

#include "clearance/decide/json.hpp"
#include "clearance/decide/request.hpp"
#include "decide/scenario_support.hpp"

namespace clearance {
namespace {

using namespace testing::scenario;
using testing::date;
using testing::engine;

bool mentions(const std::vector<MissingFact>& m, const std::string& text) {
  for (const auto& x : m)
    if (x.what.find(text) != std::string::npos || x.how.find(text) != std::string::npos) return true;
  return false;
}

TEST(FailClosed, UndeterminedRanksBetweenExceptionAndRequired) {
  EXPECT_LT(Verdict::kLicenseException, Verdict::kUndetermined);
  EXPECT_LT(Verdict::kUndetermined, Verdict::kLicenseRequired);
  EXPECT_EQ(to_string(Verdict::kUndetermined), "undetermined");
  // Chinese-origin dysprosium re-exported from the US to Ukraine in the No. 61 window: China
  // requires a licence; the US answer needs the region (Crimea?). Overall: licence required.
  auto d = run(Tx("dysprosium oxide", "UA", "2025-10-20").from("US"));
  EXPECT_EQ(jur(d, "US-EAR").verdict, Verdict::kUndetermined) << ids(jur(d, "US-EAR"));
  EXPECT_EQ(jur(d, "CN").verdict, Verdict::kLicenseRequired) << ids(jur(d, "CN"));
  EXPECT_EQ(d.overall, Verdict::kLicenseRequired);
  auto h20 = run(Tx("H20", "UA", "2025-06-01"));
  EXPECT_EQ(h20.overall, Verdict::kUndetermined);
}

TEST(FailClosed, UnknownItemIsUndeterminedWithHowToSupplyIt) {
  auto d = run(Tx("Unobtainium 9000", "CN", "2025-06-01"));
  EXPECT_EQ(d.overall, Verdict::kUndetermined);
  EXPECT_FALSE(d.items[0].unresolved.empty());
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kUndetermined) << ids(us);
  ASSERT_FALSE(us.missing.empty());
  EXPECT_TRUE(mentions(us.missing, "--eccn")) << us.missing[0].how;
  EXPECT_TRUE(mentions(us.missing, "--spec"));
  EXPECT_TRUE(mentions(us.missing, "HS code"));
  auto j = determination_to_json(d);
  EXPECT_EQ(j["overall"], "undetermined");
  EXPECT_TRUE(j["jurisdictions"][0].contains("missing"));
  EXPECT_NE(determination_to_text(d).find("[missing]"), std::string::npos);
}

TEST(FailClosed, DeclaredEccnDescribesAnItemTheCatalogueLacks) {
  // A CCL item to Russia after 2022-02-24: licence required under §746.8.
  auto ru = run(Tx("Acme Widget 3000", "RU", "2024-06-01").eccn("3a991.p"));
  EXPECT_EQ(ru.items[0].declared_eccn, "3A991.p");
  EXPECT_EQ(ru.items[0].classification->eccn, "3A991.p");
  EXPECT_EQ(jur(ru, "US-EAR").verdict, Verdict::kLicenseRequired) << ids(jur(ru, "US-EAR"));
  EXPECT_FIRED(jur(ru, "US-EAR"), "us.746.8.russia.ccl", "746.8");
  // The same item to Japan: nothing applies.
  EXPECT_EQ(jur(run(Tx("Acme Widget 3000", "JP", "2024-06-01").eccn("3A991")), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
  // A declared ECCN the catalogue contradicts is not used, and the answer says so.
  auto h100 = run(Tx("H100", "JP", "2024-06-01").eccn("EAR99"));
  EXPECT_EQ(h100.items[0].classification->eccn, "3A090.a");
  bool noted = false;
  for (const auto& u : jur(h100, "US-EAR").uncertain)
    noted = noted || u.fact.find("declared ECCN EAR99") == 0;
  EXPECT_TRUE(noted);
  // Not an ECCN: bad input.
  Tx bad("Acme Widget 3000", "RU", "2024-06-01");
  bad.eccn("widget");
  EXPECT_FALSE(engine()->determine(bad.t).ok());
}

TEST(FailClosed, ChipWithUnknownSpecificationsIsUndeterminedWhereARuleCouldApply) {
  // MI308X has no published specifications: its classification is unknown.
  auto cn = run(Tx("MI308", "CN", "2025-06-01").exporter("Some Distributor"));
  const auto& us = jur(cn, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kUndetermined) << ids(us);
  EXPECT_TRUE(mentions(us.missing, "--spec"));
  bool names_rule = false;
  for (const auto& m : us.missing)
    for (const auto& r : m.rules) names_rule = names_rule || r == "us.742.6.a6iii.dest";
  EXPECT_TRUE(names_rule);
  // To Japan no rule could apply whatever its ECCN.
  EXPECT_EQ(jur(run(Tx("MI308", "JP", "2025-06-01")), "US-EAR").verdict, Verdict::kNoLicenseRequired);
  // AMD's own MI308 to China needs a licence anyway (the April 2025 letter).
  EXPECT_EQ(jur(run(Tx("MI308", "CN", "2025-06-01").exporter("AMD")), "US-EAR").verdict,
            Verdict::kLicenseRequired);
}

TEST(FailClosed, PartyNobodyScreenedIsUndetermined) {
  auto d = run(Tx("EAR99", "CN", "2024-06-01").unscreened_party("Shenzhen Example Trading"));
  EXPECT_FALSE(d.parties[0].screened);
  const auto& us = jur(d, "US-EAR");
  EXPECT_EQ(us.verdict, Verdict::kUndetermined) << ids(us);
  EXPECT_TRUE(mentions(us.missing, "screen"));
  // Screened with no hits: no licence required.
  EXPECT_EQ(jur(run(Tx("EAR99", "CN", "2024-06-01").party("Shenzhen Example Trading", {})), "US-EAR").verdict,
            Verdict::kNoLicenseRequired);
}

// Issue 9: an error about one input names it in Error::field, beside the unchanged message, so
// callers (impact's order rows, the HTTP API) take the field without reading the text.
TEST(FailClosed, InputErrorsNameTheirFieldInTheError) {
  auto e = engine();
  ASSERT_TRUE(e);
  struct Case {
    Tx tx;
    std::string field, message;
  };
  Transaction party_in_narnia = Tx("H20", "CN", "2024-06-01").t;
  party_in_narnia.parties.push_back({"Acme", "Narnia", "buyer", true, {}});
  const Case cases[] = {
      {Tx("H20", "Atlantis", "2024-06-01"), "destination", "destination: unknown country 'Atlantis'"},
      {Tx("H20", "CN", "2024-06-01").from("Atlantis"), "from", "from: unknown country 'Atlantis'"},
      {Tx("H20", "CN", "2024-06-01").end_use("space_tourism"), "end_use", "end_use: unknown end use"},
      {Tx("H20", "CN", "2024-06-01").region("UA-43"), "region", "region: UA-43 is not in the destination CN"},
      {Tx("H20", "CN", "2024-06-01").eccn("not-an-eccn"), "eccn", "eccn: 'not-an-eccn' is not an ECCN"},
      {Tx("", "CN", "2024-06-01"), "item", "item: empty"},
      {Tx(party_in_narnia), "party country", "party country: unknown country 'Narnia'"},
  };
  for (const auto& c : cases) {
    auto d = e->determine(c.tx.t);
    ASSERT_FALSE(d.ok()) << c.field;
    EXPECT_EQ(d.error().field, c.field) << d.error().message;
    EXPECT_EQ(d.error().message.rfind(c.message, 0), 0u) << d.error().message;
    EXPECT_EQ(d.error().kind, Error::Kind::kBadInput) << c.field;
  }
}

TEST(FailClosed, RecordedRequestKeepsRegionEccnAndShipmentDate) {
  // A check is recorded as its request and replayed from it: a request that dropped --region or
  // --eccn would replay as undetermined, one that dropped --en-route-since as licence required.
  auto e = engine();
  ASSERT_TRUE(e);
  Tx crimea("Acme Widget 3000", "UA", "2024-06-01");
  crimea.region("UA-43").eccn("3A991.p").from("DE").all_uncertain();
  Tx saved("H100", "MO", "2023-02-10");
  saved.en_route_since("2023-01-17");
  for (const Tx* tx : {&crimea, &saved}) {
    auto request = request_from_transaction(tx->t, false);
    auto back = transaction_from_request(request, *e);
    ASSERT_TRUE(back.ok()) << back.error().message << " " << request.dump();
    EXPECT_EQ(back->region, tx->t.region);
    EXPECT_EQ(back->items[0].eccn, tx->t.items[0].eccn);
    EXPECT_EQ(back->en_route_since, tx->t.en_route_since);
    EXPECT_EQ(back->show_all_uncertain, tx->t.show_all_uncertain);
    EXPECT_EQ(run(Tx(*back)).overall, run(*tx).overall) << request.dump();
  }
  EXPECT_EQ(run(crimea).overall, Verdict::kLicenseRequired);
  EXPECT_EQ(run(saved).overall, Verdict::kNoLicenseRequired);
  auto bad = request_from_transaction(saved.t, false);
  bad["en_route_since"] = "2023-02-30";
  EXPECT_FALSE(transaction_from_request(bad, *e).ok());
}

TEST(FailClosed, ClassifyAndCheckAgreeOnWhatWasInForceOnEveryChangeDate) {
  auto e = engine();
  ASSERT_TRUE(e);
  std::set<Date> dates;
  for (const auto& r : e->rules().classification()) {
    if (r.effective_from != Date::min()) {
      dates.insert(r.effective_from);
      dates.insert(r.effective_from.plus_days(-1));
    }
    if (r.effective_to != Date::max()) {
      dates.insert(r.effective_to);
      dates.insert(r.effective_to.plus_days(1));
    }
  }
  size_t compared = 0;
  for (Date d : dates)
    for (const auto& item : e->catalogue().items()) {
      if (item->kind != "chip" && item->kind != "system" && item->kind != "hbm") continue;
      auto c = e->classify(*item, d);
      Transaction t;
      t.as_of = d;
      t.items.push_back({item->id});
      t.destination = "JP";
      auto det = e->determine(t);
      ASSERT_TRUE(det.ok()) << det.error().message;
      const auto& dc = *det->items[0].classification;
      EXPECT_EQ(c->status, dc.status) << item->id << " " << d.to_string();
      EXPECT_EQ(c->eccn, dc.eccn) << item->id << " " << d.to_string();
      EXPECT_EQ(c->decided_by, dc.decided_by) << item->id << " " << d.to_string();
      ++compared;
    }
  EXPECT_GT(compared, 100u);
  // A licensing rule that tests for 3A090/4A090 is in force only while a classification rule
  // that can produce that class is: the two must not disagree on whether a rule was in force.
  for (const auto& r : e->rules().rules()) {
    std::vector<const Condition*> stack{&r.when};
    bool names_ac = false;
    while (!stack.empty()) {
      const Condition* c = stack.back();
      stack.pop_back();
      for (const auto& ch : c->children) stack.push_back(&ch);
      if (c->op == Condition::Op::kLeaf && c->pred == Pred::kEccn)
        for (const auto& v : c->values)
          names_ac = names_ac || v.rfind("3A090", 0) == 0 || v.rfind("4A090", 0) == 0;
    }
    if (!names_ac) continue;
    bool covered = false;
    for (const auto& k : e->rules().classification())
      if (k.result.status == "controlled" && k.effective_from <= r.effective_from) covered = true;
    EXPECT_TRUE(covered) << r.id << " is in force from " << r.effective_from.to_string()
                         << " before any 3A090/4A090 classification rule";
  }
}

}  // namespace
}  // namespace clearance
