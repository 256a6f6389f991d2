#include "outflow/core/utf8.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

std::string surrogates(std::string_view in, size_t* n = nullptr) {
  std::string out;
  const size_t k = repair_json_surrogates(in, out);
  if (n) *n = k;
  return out;
}

TEST(Utf8, RepairReplacesEachBadByte) {
  std::string out;
  EXPECT_EQ(repair_utf8("ok\xC3\xA9", out), 0u);
  EXPECT_EQ(out, "ok\xC3\xA9");
  out.clear();
  EXPECT_EQ(repair_utf8("\xF4\x90\x80\x80", out), 4u);  // above U+10FFFF
  EXPECT_TRUE(valid_utf8(out));
}

TEST(Utf8, JsonSurrogateRepair) {
  size_t n = 0;
  EXPECT_EQ(surrogates(R"(a\ud800b)", &n), R"(a\ufffdb)");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(surrogates(R"(\uDC00\uD83D\uDE00\uD83D)", &n), R"(\ufffd\uD83D\uDE00\ufffd)");
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(surrogates(R"(\\ud800 \" \u0041)", &n), R"(\\ud800 \" \u0041)");  // nothing to do
  EXPECT_EQ(n, 0u);
  // Cut escapes at the end of the text are left for the parser to reject.
  EXPECT_EQ(surrogates(R"(x\ud8)"), R"(x\ud8)");
  EXPECT_EQ(surrogates("x\\"), "x\\");
  // A high surrogate followed by a second high one: both replaced.
  EXPECT_EQ(surrogates(R"(\ud800\ud800)", &n), R"(\ufffd\ufffd)");
  EXPECT_EQ(n, 2u);
}

TEST(Utf8, AssignCappedCutsOnCharacterBoundaries) {
  std::string s;
  assign_capped(s, "short", 10);
  EXPECT_EQ(s, "short");
  assign_capped(s, "abcdefgh", 4);
  EXPECT_EQ(s, "abcd\xE2\x80\xA6");
  assign_capped(s, "ab\xC3\xA9" "cd", 3);  // the cut would split é: it goes before it
  EXPECT_EQ(s, "ab\xE2\x80\xA6");
  EXPECT_TRUE(valid_utf8(s));
}

}  // namespace
}  // namespace outflow
