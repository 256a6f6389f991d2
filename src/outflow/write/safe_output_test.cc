// Output that hostile input cannot break: JSON strings are always valid JSON and UTF-8 with
// every control character escaped; terminal text has controls shown, never sent raw.
#include <simdjson.h>

#include <cstdint>

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

// escape_into skips clean bytes 16 at a time: each special byte at every position of a long
// string (before, inside and after the first 16- and 32-byte blocks, and in the scalar tail)
// must come out exactly as in a short one.
TEST(JsonOut, SpecialBytesAtEveryPositionOfLongStrings) {
  struct Case {
    std::string in, out;
    size_t replaced;
  };
  const Case cases[] = {
      {"\"", "\\\"", 0},          {"\\", "\\\\", 0},          {"\n", "\\n", 0},
      {"\r", "\\r", 0},           {"\t", "\\t", 0},           {std::string(1, '\0'), "\\u0000", 0},
      {"\x01", "\\u0001", 0},     {"\x1b", "\\u001b", 0},     {"\x1f", "\\u001f", 0},
      {"\x7f", "\\u007f", 0},     {"\xC2\x9B", "\\u009b", 0}, {"\xC2\x80", "\\u0080", 0},
      {"\xC2\xA0", "\xC2\xA0", 0}, {"\xC3\xBC", "\xC3\xBC", 0}, {"\xE2\x82\xAC", "\xE2\x82\xAC", 0},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", 0},
      {"\x80", "\xEF\xBF\xBD", 1}, {"\xFF", "\xEF\xBF\xBD", 1}, {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", 2},
      {"\xE2\x82", "\xEF\xBF\xBD\xEF\xBF\xBD", 2},  // truncated: the clean byte after it is kept
      {" ", " ", 0},              {"~", "~", 0},              {"!", "!", 0},  // bounds of the clean range
  };
  for (const Case& c : cases) {
    for (size_t pos = 0; pos <= 40; ++pos) {
      for (size_t tail : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{40 - pos}}) {
        const std::string in = std::string(pos, 'a') + c.in + std::string(tail, 'b');
        size_t replaced = 99;
        const std::string lit = json_string(in, &replaced);
        ASSERT_EQ(lit, "\"" + std::string(pos, 'a') + c.out + std::string(tail, 'b') + "\"")
            << "case " << lit << " at " << pos << " tail " << tail;
        ASSERT_EQ(replaced, c.replaced) << lit;
        ASSERT_TRUE(valid_utf8(lit));
      }
    }
  }
  // Two special bytes in one 16-byte block, and one in each of two blocks.
  EXPECT_EQ(json_string("0123\"5678\\abcdefghij\x01klmnopqrstuvw\"xyz"),
            "\"0123\\\"5678\\\\abcdefghij\\u0001klmnopqrstuvw\\\"xyz\"");
  for (size_t n = 0; n <= 40; ++n) EXPECT_EQ(json_string(std::string(n, 'x')), "\"" + std::string(n, 'x') + "\"");
}

TEST(JsonOut, NestingDeeperThanTheBitmaskStaysCorrect) {
  std::string out, want;
  JsonOut j(out);
  const int depth = 150;
  for (int d = 0; d < depth; ++d) {
    j.begin_array();
    j.str_elem("x");
  }
  for (int d = 0; d < depth; ++d) j.str_elem("y").end_array();
  for (int d = 0; d < depth; ++d) want += d == 0 ? "[\"x\"" : ",[\"x\"";
  for (int d = 0; d < depth; ++d) want += ",\"y\"]";
  EXPECT_EQ(out, want);
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  EXPECT_FALSE(p.parse(out).get(doc));
}

TEST(JsonOut, MembersWrittenApartJoinAsIfWrittenInPlace) {
  std::string direct;
  JsonOut d(direct);
  d.begin_object().num("a", 1).begin_object("o").str("s", "v\xff").unum("u", 2).end_object().boolean("z", true).end_object();

  std::string run;
  JsonOut r = JsonOut::in_object(run);
  r.begin_object("o").str("s", "v\xff").unum("u", 2).end_object();
  EXPECT_EQ(run, "\"o\":{\"s\":\"v\xEF\xBF\xBD\",\"u\":2}");
  std::string joined;
  JsonOut j(joined);
  j.begin_object().num("a", 1).members(run, r.replaced_bytes()).members("", 0).boolean("z", true).end_object();
  EXPECT_EQ(joined, direct);
  EXPECT_EQ(j.replaced_bytes(), d.replaced_bytes());
  EXPECT_EQ(j.replaced_bytes(), 1u);

  std::string first;  // as an object's first member: no comma before it
  JsonOut f(first);
  f.begin_object().members(run, 0).end_object();
  EXPECT_EQ(first, "{" + run + "}");
}

TEST(JsonOut, NumbersAndTimes) {
  std::string out;
  JsonOut j(out);
  j.begin_object().num("n", INT64_MIN).num("z", 0).unum("u", UINT64_MAX).time("t", 1600618621152000000)
      .time("none", kNoTime).end_object();
  EXPECT_EQ(out, "{\"n\":-9223372036854775808,\"z\":0,\"u\":18446744073709551615,"
                 "\"t\":\"2020-09-20T16:17:01.152000Z\",\"none\":\"\"}");
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
