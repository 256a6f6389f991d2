// Output that hostile input cannot break: JSON strings are always valid JSON and UTF-8 with
// every control character escaped; terminal text has controls shown, never sent raw.
#include <simdjson.h>

#include <gtest/gtest.h>

#include "outflow/core/utf8.h"
#include "outflow/write/json_out.h"
#include "outflow/write/terminal.h"

namespace outflow {
namespace {

std::string json_string(std::string_view v, size_t* replaced = nullptr) {
  std::string out;
  const size_t r = JsonOut::escape_into(out, v);
  if (replaced) *replaced = r;
  return out;
}

// Parses a JSON string literal back, as a consumer would.
std::string parse_back(const std::string& literal) {
  simdjson::dom::parser p;
  std::string_view s;
  EXPECT_FALSE(p.parse(literal).get_string().get(s)) << literal;
  return std::string(s);
}

TEST(JsonOut, ControlCharactersAreEscaped) {
  const std::string evil = std::string("a\x1b[2Jb\x07\x00" "c\x7f", 10);
  const std::string lit = json_string(evil);
  EXPECT_EQ(lit, "\"a\\u001b[2Jb\\u0007\\u0000c\\u007f\"");
  EXPECT_EQ(parse_back(lit), evil);  // escaped, not lost
}

TEST(JsonOut, C1ControlsAreEscapedToo) {
  // U+009B is CSI on terminals that take 8-bit controls.
  const std::string lit = json_string("x\xC2\x9B" "31m");
  EXPECT_EQ(lit, "\"x\\u009b31m\"");
  EXPECT_EQ(parse_back(lit), "x\xC2\x9B" "31m");
}

TEST(JsonOut, InvalidUtf8IsReplacedAndCounted) {
  size_t replaced = 0;
  // A stray continuation byte, a truncated sequence, an overlong '/', a CESU surrogate.
  const std::string lit = json_string("a\x80" "b\xE2\x82" "c\xC0\xAF" "d\xED\xA0\x80", &replaced);
  EXPECT_TRUE(valid_utf8(lit));
  EXPECT_EQ(replaced, 8u);
  EXPECT_EQ(parse_back(lit), "a\uFFFD" "b\uFFFD\uFFFD" "c\uFFFD\uFFFD" "d\uFFFD\uFFFD\uFFFD");
}

TEST(JsonOut, ValidMultibyteTextIsKept) {
  EXPECT_EQ(json_string("Zürich \xF0\x9F\x98\x80"), "\"Zürich \xF0\x9F\x98\x80\"");
}

TEST(Terminal, EscapesC0C1AndDel) {
  EXPECT_EQ(terminal_safe("a\x1b]0;title\x07z"), "a\\x1b]0;title\\x07z");
  EXPECT_EQ(terminal_safe("cr\rlf\n"), "cr\\x0dlf\\x0a");
  EXPECT_EQ(terminal_safe("del\x7f"), "del\\x7f");
  EXPECT_EQ(terminal_safe("csi\xC2\x9B" "2J"), "csi\\u009b2J");
  EXPECT_EQ(terminal_safe(std::string("nul\0x", 5)), "nul\\x00x");
}

TEST(Terminal, InvalidUtf8IsReplacedAndTextKept) {
  EXPECT_EQ(terminal_safe("caf\xE9"), "caf\uFFFD");
  EXPECT_EQ(terminal_safe("Zürich"), "Zürich");
}

TEST(Terminal, CutsOnCharacterBoundaries) {
  // A column cut must not split a multibyte character or an escape.
  EXPECT_EQ(terminal_safe("Zürich", 2), "Z");
  EXPECT_EQ(terminal_safe("Zürich", 3), "Zü");
  EXPECT_EQ(terminal_safe("a\x1b" "b", 3), "a");
  EXPECT_EQ(terminal_safe("a\x1b" "b", 5), "a\\x1b");
  EXPECT_EQ(terminal_safe("short", 48), "short");
}

}  // namespace
}  // namespace outflow
