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

namespace outflow {
namespace {

// A session of `e`'s process as the pipeline hands it over, kept to be written again later.
struct Captured {
  Session s;
  Attribution a;
};
Captured capture_session(SessionPipeline& p, std::vector<Captured>& got, const HostEvent& e) {
  p.on_host_event(e);
  p.on_host_event(connect(e.host.c_str(), e.process_guid.c_str(), "10.0.0.5", 50000, "203.0.113.9", 443, e.time + kNsPerSec));
  p.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, e.time + kNsPerSec, e.time + 2 * kNsPerSec, 10));
  p.finish();
  EXPECT_EQ(got.size(), 1u);
  return got.at(0);
}

// Writes `c` with `w`, expecting what write_session_json writes (line and replaced count).
std::string write_checked(SessionJsonWriter& w, const Captured& c, const SessionPipeline& p, size_t* replaced = nullptr) {
  std::string line, uncached;
  const size_t r = w.write(line, c.s, c.a, p);
  EXPECT_EQ(r, write_session_json(uncached, c.s, c.a, p));
  EXPECT_EQ(line, uncached);
  if (replaced) *replaced = r;
  return line;
}

TEST(SessionJsonWriter, CachedLinesEqualUncachedAndFollowProcessChanges) {
  std::vector<Captured> got;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { got.push_back({s, a}); });
  HostEvent e = start("ws1", "{C}", "{P}", "C:\\old.exe", "C:\\parent.exe", utc("2024-01-02 03:04:05"));
  e.command_line = "old.exe --first";
  const Captured c = capture_session(p, got, e);
  ASSERT_NE(c.a.proc, kNoProc);

  SessionJsonWriter w;
  const std::string first = write_checked(w, c, p);
  EXPECT_EQ(write_checked(w, c, p), first);
  EXPECT_EQ(w.cache_misses(), 1u);
  EXPECT_EQ(w.cache_hits(), 1u);
  EXPECT_NE(first.find("old.exe --first"), std::string::npos);

  // The process's start event again, with other fields (Sysmon's are preferred): the table's
  // generation changes, so the next line must show the new fields, not the cached ones.
  const uint64_t generation = p.processes().generation();
  HostEvent e2 = e;
  e2.image = "C:\\new.exe";
  e2.command_line = "new.exe --second \xff";  // and an invalid byte, flagged on the line
  e2.integrity_level = "High";
  p.on_host_event(e2);
  ASSERT_NE(p.processes().generation(), generation);
  size_t replaced = 0;
  const std::string changed = write_checked(w, c, p, &replaced);
  EXPECT_EQ(replaced, 1u);
  EXPECT_EQ(w.cache_misses(), 2u);
  Parsed j(changed);
  EXPECT_EQ(j.str("/process/command_line"), "new.exe --second \uFFFD");
  EXPECT_EQ(j.str("/process/executable"), "C:\\new.exe");
  EXPECT_EQ(j.str("/outflow/integrity_level"), "High");
  EXPECT_TRUE(j.has("/outflow/invalid_utf8"));

  // Served from the cache now: the replaced byte is still counted and flagged.
  EXPECT_EQ(write_checked(w, c, p, &replaced), changed);
  EXPECT_EQ(replaced, 1u);
  EXPECT_EQ(w.cache_hits(), 2u);

  // A parent filled in later changes the child's line too (process.parent, outflow.lineage).
  HostEvent parent = start("ws1", "{P}", "", "C:\\realparent.exe", "", utc("2024-01-02 03:00:00"));
  parent.command_line = "realparent.exe -x";
  p.on_host_event(parent);
  EXPECT_NE(write_checked(w, c, p).find("realparent.exe -x"), std::string::npos);
}

TEST(SessionJsonWriter, ProcessTooLongToCacheIsWrittenAllTheSame) {
  std::vector<Captured> got;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { got.push_back({s, a}); });
  HostEvent e = start("ws1", "{C}", "", "C:\\x.exe", "", utc("2024-01-02 03:04:05"));
  e.command_line = "x.exe " + std::string(SessionJsonWriter::kMaxCachedBytes, 'A') + "\x1b";
  const Captured c = capture_session(p, got, e);
  SessionJsonWriter w;
  EXPECT_NE(write_checked(w, c, p).find("\\u001b"), std::string::npos);
  write_checked(w, c, p);
  EXPECT_EQ(w.cache_hits(), 0u);  // not kept: the cache's memory stays bounded
}

TEST(SessionJsonWriter, ProcessesSharingACacheSlotAreNotMixedUp) {
  std::vector<Captured> got;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { got.push_back({s, a}); });
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  const Captured c = capture_session(p, got, start("ws1", "{C}", "", "C:\\first.exe", "", t0));
  for (size_t i = 0; i <= SessionJsonWriter::kEntries; ++i) {
    const std::string guid = "{G" + std::to_string(i) + "}", image = "C:\\p" + std::to_string(i) + ".exe";
    p.on_host_event(start("ws1", guid.c_str(), "", image.c_str(), "", t0 + static_cast<TimeNs>(i)));
  }
  Captured other = c;  // the same session, put on the process in the same slot
  other.a.proc = c.a.proc + static_cast<ProcId>(SessionJsonWriter::kEntries);
  ASSERT_LT(other.a.proc, p.processes().size());
  SessionJsonWriter w;
  EXPECT_NE(write_checked(w, c, p).find("first.exe"), std::string::npos);
  EXPECT_EQ(write_checked(w, other, p).find("first.exe"), std::string::npos);
  EXPECT_NE(write_checked(w, c, p).find("first.exe"), std::string::npos);
  EXPECT_EQ(w.cache_hits(), 0u);
}

TEST(SessionJsonWriter, SessionsWithoutProcessMatchUncached) {
  std::vector<Captured> got;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { got.push_back({s, a}); });
  p.on_flow(netflow("198.51.100.1", 40000, "203.0.113.9", 443, utc("2024-01-02 03:04:05"), utc("2024-01-02 03:04:06"), 10));
  p.finish();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].a.proc, kNoProc);
  SessionJsonWriter w;
  Parsed j(write_checked(w, got[0], p));
  EXPECT_FALSE(j.has("/process"));
}

}  // namespace
}  // namespace outflow
