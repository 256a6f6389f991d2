// Session JSON: a session whose process is known from a record recovered from a damaged EVTX
// chunk says so (outflow.recovered); others do not carry the field.
#include "outflow/write/session_json.h"

#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;
using testing::utc;

// A process that starts and connects out, and the Zeek record of that connection; the flags
// mark the process's events as read from a damaged chunk.
std::string session_line(bool start_recovered, bool connect_recovered) {
  std::string out;
  const SessionPipeline* self = nullptr;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) { write_session_json(out, s, a, *self); });
  self = &p;
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  HostEvent st;
  st.type = HostEventType::process_start;
  st.event_id = 1;
  st.host = "WS1";
  st.process_guid = "{A}";
  st.image = "C:\\Tools\\rclone.exe";
  st.time = t0;
  st.recovered = start_recovered;
  p.on_host_event(st);
  HostEvent c = st;
  c.type = HostEventType::net_connect;
  c.event_id = 3;
  c.src_ip = ip("10.0.0.5");
  c.dst_ip = ip("203.0.113.9");
  c.src_port = 50000;
  c.dst_port = 443;
  c.proto = kProtoTcp;
  c.initiated = 1;
  c.time = t0 + kNsPerSec;
  c.recovered = connect_recovered;
  p.on_host_event(c);
  FlowRecord f;
  f.source = FlowSource::zeek_conn;
  f.orig_h = ip("10.0.0.5");
  f.resp_h = ip("203.0.113.9");
  f.orig_p = 50000;
  f.resp_p = 443;
  f.proto = kProtoTcp;
  f.start = t0 + kNsPerSec;
  f.end = t0 + 60 * kNsPerSec;
  f.orig_bytes = 5'000'000;
  f.orig_pkts = 4000;
  f.uid = "C1";
  f.conn_state = "SF";
  f.sensor = "zeek";
  p.on_flow(f);
  p.finish();
  return out;
}

TEST(SessionJson, RecoveredEventsMarkTheSession) {
  const std::string clean = session_line(false, false);
  ASSERT_NE(clean.find("\"status\":\"matched\""), std::string::npos) << clean;
  EXPECT_EQ(clean.find("recovered"), std::string::npos) << clean;
  for (auto [start, connect] : {std::pair{true, false}, std::pair{false, true}}) {
    const std::string line = session_line(start, connect);
    ASSERT_NE(line.find("\"status\":\"matched\""), std::string::npos) << line;
    const size_t outflow_at = line.find("\"outflow\":{");
    const size_t rec_at = line.find("\"recovered\":true");
    ASSERT_NE(rec_at, std::string::npos) << line;
    EXPECT_GT(rec_at, outflow_at) << line;  // under outflow.
  }
}

}  // namespace
}  // namespace outflow
