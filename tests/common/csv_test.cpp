#include "clearance/common/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clearance::csv {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view data, Options o = {},
                                               std::vector<size_t>* lines = nullptr) {
  Reader r(data, o);
  Record rec;
  std::vector<std::vector<std::string>> out;
  Reader::Status st;
  while ((st = r.next(rec)) == Reader::Status::kRecord) {
    out.emplace_back(rec.fields.begin(), rec.fields.end());
    if (lines) lines->push_back(rec.line);
  }
  EXPECT_EQ(st, Reader::Status::kEnd) << r.error();
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, PlainFieldsAndLineEnds) {
  EXPECT_EQ(read_all("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(read_all("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(read_all("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(read_all("a,,\n"), (Rows{{"a", "", ""}}));
  EXPECT_EQ(read_all(",\n"), (Rows{{"", ""}}));
}

TEST(CsvReader, QuotedFields) {
  EXPECT_EQ(read_all("\"a,b\",\"c\"\"d\"\"\",\"\"\n"), (Rows{{"a,b", "c\"d\"", ""}}));
  EXPECT_EQ(read_all("\"\"\"\"\n"), (Rows{{"\""}}));
  // An embedded line break; the next record starts on physical line 4.
  std::vector<size_t> lines;
  EXPECT_EQ(read_all("x,\"line1\nline2\r\nline3\"\nnext,1\n", {}, &lines),
            (Rows{{"x", "line1\nline2\r\nline3"}, {"next", "1"}}));
  EXPECT_EQ(lines, (std::vector<size_t>{1, 4}));
  // Blanks after the closing quote are ignored; text is kept (as Python's csv module does).
  EXPECT_EQ(read_all("\"a\" ,b\n"), (Rows{{"a", "b"}}));
  EXPECT_EQ(read_all("\"a\"x y,b\n"), (Rows{{"ax y", "b"}}));
  // A quote inside an unquoted field is data.
  EXPECT_EQ(read_all("5'6\" tall,b\n"), (Rows{{"5'6\" tall", "b"}}));
}

TEST(CsvReader, BlankLinesBomAndDosEof) {
  std::vector<size_t> lines;
  EXPECT_EQ(read_all("\xEF\xBB\xBF"
                     "a,b\n\n\r\n1,2\r\n\x1A",
                     {}, &lines),
            (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(lines, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(read_all("36,\"X\",-0- \r\n\x1A"), (Rows{{"36", "X", "-0- "}}));
  EXPECT_EQ(read_all("36,X\x1A"), (Rows{{"36", "X"}}));
  EXPECT_EQ(read_all("36,\"X\"\x1A\r\n"), (Rows{{"36", "X"}}));
  EXPECT_EQ(read_all("\x1A"), Rows{});
  EXPECT_EQ(read_all(""), Rows{});
  // A \x1A that is not at the end is data.
  EXPECT_EQ(read_all("a\x1A"
                     "b\n"),
            (Rows{{"a\x1A"
                   "b"}}));
}

TEST(CsvReader, UnterminatedQuoteIsAnErrorWithItsLine) {
  Reader r("a,b\nc,\"never\nclosed\n");
  Record rec;
  ASSERT_EQ(r.next(rec), Reader::Status::kRecord);
  EXPECT_EQ(r.next(rec), Reader::Status::kError);
  EXPECT_EQ(r.error_line(), 2u);
  EXPECT_NE(r.error().find("never closed"), std::string::npos) << r.error();
  EXPECT_EQ(r.next(rec), Reader::Status::kError);  // stays failed
}

TEST(CsvReader, RecordSizeLimit) {
  std::string big = "h1,h2\n" + std::string(5000, 'x') + ",y\nz,w\n";
  Reader r(big, Options{',', 1024});
  Record rec;
  ASSERT_EQ(r.next(rec), Reader::Status::kRecord);
  ASSERT_EQ(r.next(rec), Reader::Status::kError);
  EXPECT_EQ(r.error_line(), 2u);
  EXPECT_NE(r.error().find("longer than the limit of 1 KiB"), std::string::npos) << r.error();
  // The limit covers quoted fields (a runaway quote) and whole records made of many fields.
  std::string quoted = "\"" + std::string(5000, 'q') + "\"\n";
  Reader q(quoted, Options{',', 1024});
  EXPECT_EQ(q.next(rec), Reader::Status::kError);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "ab,";
  many += "\n";
  Reader m(many, Options{',', 1024});
  EXPECT_EQ(m.next(rec), Reader::Status::kError);
  // Exactly at the limit is fine.
  std::string exact = std::string(1024, 'e') + "\n";
  Reader e(exact, Options{',', 1024});
  EXPECT_EQ(e.next(rec), Reader::Status::kRecord);
}

TEST(CsvReader, RawAndEndLine) {
  Reader r("a,\"b\nc\"\r\nd\n");
  Record rec;
  ASSERT_EQ(r.next(rec), Reader::Status::kRecord);
  EXPECT_EQ(rec.raw, "a,\"b\nc\"");
  EXPECT_EQ(rec.line, 1u);
  EXPECT_EQ(rec.end_line, 2u);
  ASSERT_EQ(r.next(rec), Reader::Status::kRecord);
  EXPECT_EQ(rec.raw, "d");
  EXPECT_EQ(rec.line, 3u);
  EXPECT_EQ(rec.end_line, 3u);
}

TEST(CsvReader, TabSeparated) {
  EXPECT_EQ(read_all("a\tb\n\"c\td\"\te\n", Options{'\t', 1 << 20}), (Rows{{"a", "b"}, {"c\td", "e"}}));
}

}  // namespace
}  // namespace clearance::csv
