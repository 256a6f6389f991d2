// Session JSON lines from hostile process fields: always valid JSON and UTF-8, escapes
// intact, and flagged (outflow.invalid_utf8) when bytes were replaced.
#include "outflow/write/session_json.h"

#include <simdjson.h>

#include <gtest/gtest.h>

#include "outflow/core/utf8.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::connect;
using testing::netflow;
using testing::start;
using testing::utc;

// One matched session of a process started by `e`; returns its JSON line.
std::string session_line(const HostEvent& e) {
  std::string out;
  SessionPipeline* pp = nullptr;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { write_session_json(out, s, a, *pp); });
  pp = &p;
  p.on_host_event(e);
  p.on_host_event(connect(e.host.c_str(), e.process_guid.c_str(), "10.0.0.5", 50000, "203.0.113.9", 443, e.time + kNsPerSec));
  p.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, e.time + kNsPerSec, e.time + 2 * kNsPerSec, 10));
  p.finish();
  return out;
}

struct Parsed {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  explicit Parsed(const std::string& line) { EXPECT_FALSE(parser.parse(line).get(doc)) << line; }
  std::string str(const char* pointer) {
    std::string_view s;
    EXPECT_FALSE(doc.at_pointer(pointer).get_string().get(s)) << pointer;
    return std::string(s);
  }
  bool has(const char* pointer) { return !doc.at_pointer(pointer).error(); }
};

TEST(SessionJson, HostileProcessFieldsStayValidJsonAndAreFlagged) {
  HostEvent e = start("ws1\x1b[2J", "{C}", "", "C:\\x\xff.exe", "", utc("2024-01-02 03:04:05"));
  e.command_line = std::string("up.exe \x1b]0;pwned\x07 \"quoted\" \\ \0 \xC2\x9B", 33);
  const std::string line = session_line(e);
  ASSERT_FALSE(line.empty());
  EXPECT_TRUE(valid_utf8(line));
  EXPECT_EQ(line.find('\x1b'), std::string::npos);  // never raw
  EXPECT_EQ(line.find("\xC2\x9B"), std::string::npos);
  Parsed j(line);
  EXPECT_EQ(j.str("/process/command_line"), std::string("up.exe \x1b]0;pwned\x07 \"quoted\" \\ \0 \xC2\x9B", 33));
  EXPECT_EQ(j.str("/process/executable"), "C:\\x\uFFFD.exe");
  EXPECT_EQ(j.str("/host/name"), "ws1\x1b[2J");
  bool flag = false;
  EXPECT_FALSE(j.doc.at_pointer("/outflow/invalid_utf8").get_bool().get(flag));
  EXPECT_TRUE(flag);
}

TEST(SessionJson, RecordRepairedWhenReadIsFlaggedToo) {
  HostEvent e = start("ws1", "{C}", "", "C:\\x\uFFFD.exe", "", utc("2024-01-02 03:04:05"));
  e.invalid_utf8 = true;  // as the JSON reader marks a repaired line
  Parsed j(session_line(e));
  EXPECT_TRUE(j.has("/outflow/invalid_utf8"));
}

TEST(SessionJson, CleanRecordsAreNotFlagged) {
  Parsed j(session_line(start("ws1", "{C}", "", "C:\\up.exe", "", utc("2024-01-02 03:04:05"))));
  EXPECT_FALSE(j.has("/outflow/invalid_utf8"));
  EXPECT_EQ(j.str("/process/executable"), "C:\\up.exe");
}

}  // namespace
}  // namespace outflow
