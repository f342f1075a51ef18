// lists/formats/row_errors: where in a record a problem is (the JSON key of a bad byte).
#include "lists/formats/row_errors.hpp"

#include <gtest/gtest.h>

namespace clearance::formats {
namespace {

TEST(RowErrors, JsonKeyAt) {
  std::string j = R"({"id": "x", "properties": {"name": ["ok", "bad"], "x": 1}})";
  EXPECT_EQ(json_key_at(j, j.find("bad")), "properties.name");
  EXPECT_EQ(json_key_at(j, j.find("\"x\"")), "id");
}

}  // namespace
}  // namespace clearance::formats
