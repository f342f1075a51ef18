// The check request as JSON (decide/request.hpp), which the HTTP API parses with and audit replay
// rebuilds transactions from: every field checked by type and name, errors that name the field.
#include "clearance/decide/request.hpp"

#include <gtest/gtest.h>

#include "rules/rules_support.hpp"

namespace clearance {
namespace {

using testing::engine;

Result<Transaction> parse(const std::string& json) {
  auto e = engine();
  EXPECT_TRUE(e);
  return transaction_from_request(nlohmann::json::parse(json), *e);
}

std::string field_of(const Result<Transaction>& r) { return r.ok() ? "(accepted)" : r.error().field; }

TEST(CheckRequest, ItemsAreOneNameOrAList) {
  auto one = parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01"})");
  ASSERT_TRUE(one.ok()) << one.error().message;
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].item, "H20");
  auto many = parse(R"({"items":["H20","H100"],"to":"CN","as_of":"2025-05-01"})");
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->items.size(), 2u);
  EXPECT_EQ(field_of(parse(R"({"items":["H20",1],"to":"CN","as_of":"2025-05-01"})")), "items[1]");
  EXPECT_EQ(field_of(parse(R"({"items":{"a":1},"to":"CN","as_of":"2025-05-01"})")), "items");
  EXPECT_EQ(field_of(parse(R"({"to":"CN","as_of":"2025-05-01"})")), "items");
  EXPECT_EQ(field_of(parse(R"({"items":"H20","as_of":"2025-05-01"})")), "to");
}

// Regression: a party's country given as a number threw nlohmann's type_error out of the library
// (an HTTP 500) instead of an error naming the field; a misspelt party field was ignored.
TEST(CheckRequest, Regression_PartyFieldsAreCheckedNotThrownOrIgnored) {
  auto number =
      parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","parties":[{"name":"X","country":5}]})");
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().field, "parties[0].country");
  EXPECT_EQ(number.error().kind, Error::Kind::kBadInput);
  auto misspelt =
      parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","parties":[{"name":"X","contry":"CN"}]})");
  ASSERT_FALSE(misspelt.ok());
  EXPECT_EQ(misspelt.error().field, "parties[0].contry");
  EXPECT_NE(misspelt.error().message.find("unknown field"), std::string::npos);
  EXPECT_EQ(field_of(parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","parties":[{"country":"CN"}]})")),
            "parties[0].name");
  auto ok = parse(
      R"({"items":"H20","to":"CN","as_of":"2025-05-01","parties":["A",{"name":"B","country":"CN","role":"end_user"}]})");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->parties.size(), 2u);
  EXPECT_EQ(ok->parties[1].country, "CN");
  EXPECT_EQ(ok->parties[1].role, "end_user");
}

TEST(CheckRequest, EveryFieldIsCheckedByName) {
  EXPECT_EQ(field_of(parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","colour":"red"})")), "colour");
  EXPECT_EQ(field_of(parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","screen":"yes"})")), "screen");
  EXPECT_EQ(field_of(parse(R"({"items":"H20","to":"CN","as_of":"2025-05-32"})")), "as_of");
  EXPECT_EQ(field_of(parse(R"({"items":"H20","to":"CN","as_of":"2025-05-01","quantity":"ten"})")),
            "quantity");
}

}  // namespace
}  // namespace clearance
