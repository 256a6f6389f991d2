#include "outflow/write/csv.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

std::string cell(std::string_view v) {
  std::string out;
  csv_text(out, v);
  return out;
}

TEST(Csv, PlainTextIsWrittenAsIs) {
  EXPECT_EQ(cell("C:\\Windows\\System32\\cmd.exe"), "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(cell(""), "");
}

TEST(Csv, FormulaStartsAreQuotedAsText) {
  EXPECT_EQ(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(cell("-2+3"), "'-2+3");
  EXPECT_EQ(cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(cell("\t=1"), "'\t=1");
  EXPECT_EQ(cell("\r=1"), "\"'\r=1\"");
  // Only the first character matters: a formula later in the text is not evaluated.
  EXPECT_EQ(cell("a=b"), "a=b");
}

TEST(Csv, SeparatorsQuotesAndNewlinesAreQuoted) {
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell("two\nlines"), "\"two\nlines\"");
}

TEST(Csv, InvalidUtf8IsReplaced) { EXPECT_EQ(cell("a\xff" "b"), "a\xEF\xBF\xBD" "b"); }

TEST(Csv, NumbersAreNotGuarded) {
  std::string out;
  csv_number(out, -5);
  EXPECT_EQ(out, "-5");
}

TEST(Csv, RowsJoinCellsAndEndInCrLf) {
  std::string out;
  csv_row(out, {"host", "=1+1", "x,y"});
  EXPECT_EQ(out, "host,'=1+1,\"x,y\"\r\n");
}

}  // namespace
}  // namespace outflow
