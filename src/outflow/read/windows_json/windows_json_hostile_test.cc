// The Windows JSON reader on hostile records. Each case checks what is documented in
// docs/robustness.md: what is kept, what is replaced, what is counted and under which reason.
#include <gtest/gtest.h>

#include "outflow/core/utf8.h"
#include "outflow/read/windows_event/raw_fields.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::CollectSink;

std::unique_ptr<testing::ReadResult> read(const std::string& text) {
  return testing::read_result(read_windows_json, text);
}

// A Sysmon 1 with the given extra fields (a JSON fragment starting with a comma, or empty).
std::string sysmon1(const std::string& extra, const std::string& time = "2024-01-02 03:04:05.000") {
  return R"({"EventID":1,"Hostname":"ws1","UtcTime":")" + time +
         R"(","ProcessGuid":"{11111111-2222-3333-4444-000000000001}","ProcessId":"42","Image":"C:\\x.exe")" +
         extra + "}\n";
}

TEST(WindowsJsonHostile, RawNulByteOutsideStringsIsAMalformedRecord) {
  auto r = read(std::string("{\"EventID\":1,\0\"Hostname\":\"h\"}\n", 30) + sysmon1(""));
  EXPECT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 1u);
  EXPECT_EQ(r->diag.samples()[0].line, 1u);
}

TEST(WindowsJsonHostile, EscapedNulIsKeptAsAByte) {
  auto r = read(sysmon1(R"(,"CommandLine":"a\u0000b")"));
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].command_line, std::string("a\0b", 3));
}

TEST(WindowsJsonHostile, RawControlCharacterInAStringIsAMalformedRecord) {
  auto r = read(sysmon1(",\"CommandLine\":\"a\x1b[2Jb\""));
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->bad("json: unescaped control character in a string"), 1u);
}

TEST(WindowsJsonHostile, InvalidUtf8IsReplacedAndTheEventFlagged) {
  auto r = read(sysmon1(",\"CommandLine\":\"up\xC0\xAF\xFF.exe\""));
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.command_line, "up\uFFFD\uFFFD\uFFFD.exe");
  EXPECT_TRUE(e.invalid_utf8);
  EXPECT_EQ(r->diag.bad_records(), 0u);
  EXPECT_EQ(r->diag.skipped_counts().at("json lines with invalid UTF-8 or lone surrogates repaired (U+FFFD)"), 1u);
}

TEST(WindowsJsonHostile, LoneSurrogateEscapesAreReplacedNotDropped) {
  // A high surrogate alone, a low one alone, and a proper pair (kept: U+1F600).
  auto r = read(sysmon1(R"(,"CommandLine":"a\ud800b\udc00c\ud83d\ude00")"));
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.command_line, "a\uFFFD" "b\uFFFD" "c\xF0\x9F\x98\x80");
  EXPECT_TRUE(valid_utf8(e.command_line));
  EXPECT_TRUE(e.invalid_utf8);
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

TEST(WindowsJsonHostile, EscapedBackslashBeforeUIsNotASurrogate) {
  // "\\ud800" is a backslash and the text "ud800": nothing to repair.
  auto r = read(sysmon1(R"(,"CommandLine":"\\ud800")"));
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].command_line, "\\ud800");
  EXPECT_FALSE(r->sink.events[0].invalid_utf8);
}

std::string nested(int depth, bool closed) {
  std::string v;
  for (int i = 0; i < depth; ++i) v += "{\"a\":[";
  v += "1";
  if (closed)
    for (int i = 0; i < depth; ++i) v += "]}";
  return v;
}

TEST(WindowsJsonHostile, TenThousandDeepNestingInAnUnusedKeyIsSkippedWithoutRecursion) {
  // 20,000 levels in a key Outflow does not read: skipped by counting brackets (no recursion,
  // no stack growth), the record's own fields are read.
  auto r = read(sysmon1(",\"x\":" + nested(10000, true)));
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].pid, 42u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

TEST(WindowsJsonHostile, TenThousandDeepUnclosedNestingIsAMalformedRecord) {
  auto r = read(sysmon1(",\"x\":" + nested(10000, false)) + sysmon1(""));
  EXPECT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 1u);
  EXPECT_EQ(r->diag.samples()[0].line, 1u);
}

TEST(WindowsJsonHostile, TenThousandDeepLineThatIsNotAnObjectIsMalformed) {
  auto r = read(std::string(10000, '[') + std::string(10000, ']') + "\n" + sysmon1(""));
  EXPECT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 1u);
}

TEST(WindowsJsonHostile, DeepNestingInsideAnEmbeddedEventDataIsSkippedToo) {
  std::string inner = "{\\\"UtcTime\\\":\\\"2024-01-02T03:04:05Z\\\",\\\"ProcessGuid\\\":\\\"{g}\\\",\\\"a\\\":";
  for (int i = 0; i < 10000; ++i) inner += "[";
  for (int i = 0; i < 10000; ++i) inner += "]";
  inner += "}";
  auto r = read(R"({"EventID":5,"Computer":"h","EventData":")" + inner + "\"}\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].process_guid, "{g}");
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

TEST(WindowsJsonHostile, TwoEmbeddedEventDataStringsReadTheFirstOnly) {
  // Found by fuzzing: a second EventData string reallocated the buffers the first one's fields
  // pointed into (heap-use-after-free under ASan).
  const std::string first = R"("EventData":"{\"UtcTime\":\"2024-01-02T03:04:05Z\",\"ProcessGuid\":\"{g}\",\"Image\":\"first.exe\"}")";
  std::string second = R"("EventData":"{\"Image\":\")" + std::string(5000, 'x') + R"(\"}")";
  auto r = read(R"({"EventID":5,"Computer":"h",)" + first + "," + second + "}\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].image, "first.exe");
  EXPECT_EQ(format_time(r->sink.events[0].time), "2024-01-02T03:04:05.000000Z");
}

TEST(WindowsJsonHostile, NumbersOutOfRange) {
  // Port 70000: a Sysmon 3 without a usable port is a bad record.
  auto r = read(R"({"EventID":3,"Hostname":"h","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"{g}","SourceIp":"10.0.0.1","DestinationIp":"10.0.0.2","SourcePort":"70000","DestinationPort":"443"})" "\n");
  EXPECT_EQ(r->bad("windows event: Sysmon 3 without a parsable address/port"), 1u);
  // PID 2^70 in a Sysmon 1 that has a ProcessGuid: the event is kept, without a PID.
  r = read(sysmon1(R"(,"ParentProcessId":"1180591620717411303424")"));
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].ppid, 0u);
  // PID 2^70 in a 4688 (no GUID, the PID is the identity): a bad record.
  r = read(R"({"EventID":4688,"Hostname":"h","@timestamp":"2024-01-02T03:04:05Z","NewProcessId":"1180591620717411303424","NewProcessName":"x.exe"})" "\n");
  EXPECT_EQ(r->bad("windows event: 4688 without NewProcessId"), 1u);
  // EventID 1e400 is not event 1, nor is "3abc" event 3.
  r = read(R"({"EventID":1e400,"Hostname":"h","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"{g}"})" "\n"
           R"({"EventID":"3abc","Hostname":"h","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"{g}"})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->bad("windows event: EventID is not a number"), 2u);
  // EventID 65539 does not wrap to 3: an id Outflow does not use, skipped.
  r = read(R"({"EventID":65539,"Hostname":"h"})" "\n");
  EXPECT_EQ(r->diag.bad_records(), 0u);
  EXPECT_EQ(r->diag.skipped_counts().at("windows event 65539"), 1u);
}

TEST(WindowsJsonHostile, TimesFrom1601And9999AreOutOfRange) {
  auto r = read(sysmon1("", "1601-01-01 00:00:00.000") + sysmon1("", "9999-12-31 23:59:59.999") +
                sysmon1("", "2100-01-01 00:00:00.000") + sysmon1("", "1969-12-31 23:59:59.999"));
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->bad("windows event: time out of range (before 1970 or after 2099)"), 4u);
  // An out-of-range field is passed over for the next one that is in range.
  r = read(R"({"EventID":1,"Hostname":"h","UtcTime":"1601-01-01 00:00:00","@timestamp":"2024-01-02T03:04:05Z","ProcessGuid":"{g}"})" "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].time_field, TimeField::timestamp);
  // The range edges.
  r = read(sysmon1("", "1970-01-01 00:00:00.000") + sysmon1("", "2099-12-31 23:59:59.999"));
  EXPECT_EQ(r->sink.events.size(), 2u);
}

TEST(WindowsJsonHostile, HugeTextFieldsAreCutOnACharacterBoundary) {
  // 200 KiB of "é" (2 bytes each): cut to at most 96 KiB, never inside a character, then "…".
  std::string big;
  for (int i = 0; i < 100 * 1024; ++i) big += "\xC3\xA9";
  auto r = read(sysmon1(",\"CommandLine\":\"x" + big + "\""));
  ASSERT_EQ(r->sink.events.size(), 1u);
  const std::string& cl = r->sink.events[0].command_line;
  EXPECT_LE(cl.size(), winevent::kMaxFieldBytes + 3);
  EXPECT_GE(cl.size(), winevent::kMaxFieldBytes - 1);
  EXPECT_TRUE(cl.ends_with("\xE2\x80\xA6"));
  EXPECT_TRUE(valid_utf8(cl));
}

TEST(WindowsJsonHostile, HostNameLongerThan255BytesIsABadRecord) {
  auto r = read(R"({"EventID":1,"Hostname":")" + std::string(256, 'h') + R"(","UtcTime":"2024-01-02 03:04:05","ProcessGuid":"{g}"})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->bad("windows event: host name longer than 255 bytes"), 1u);
}

TEST(WindowsJsonHostile, DuplicatedAndOutOfOrderLinesAreAllDelivered) {
  // The reader does not judge order or repetition: the process table does (see its tests).
  auto r = read(sysmon1("", "2024-01-02 03:04:05.000") + sysmon1("", "2024-01-02 03:04:05.000") +
                sysmon1("", "2023-01-01 00:00:00.000"));
  EXPECT_EQ(r->sink.events.size(), 3u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

}  // namespace
}  // namespace outflow
