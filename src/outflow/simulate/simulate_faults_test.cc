// Sensor faults of `outflow simulate`: clocks per event type and a sensor that loses some hosts'
// outgoing packets. Each is compared with a clean run of the same seed: only the affected fields
// of the affected hosts' records change.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "outflow/simulate/faults.h"
#include "outflow/simulate/simulator.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::slurp;
using testing::lines_of;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  size_t at = 0;
  for (size_t i; (i = s.find(sep, at)) != std::string::npos; at = i + 1) v.push_back(s.substr(at, i - at));
  v.push_back(s.substr(at));
  return v;
}

std::vector<ClockSkewSpec> skews(std::string_view text) {
  std::vector<ClockSkewSpec> v;
  std::string err;
  EXPECT_TRUE(parse_clock_skews(text, v, err)) << err;
  return v;
}

TEST(SimulateFaults, ParsesClockSkewSpecs) {
  const auto v = skews("3:-5d,ts:+19h@all,22:1.5h@3,1:90s,5:-2w@2,3:30m");
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[0].event, 3);
  EXPECT_EQ(v[0].skew, -5 * 86400 * kNsPerSec);
  EXPECT_EQ(v[0].hosts, ClockSkewSpec::kDefaultHosts);
  EXPECT_EQ(v[1].event, ClockSkewSpec::kShipperTime);
  EXPECT_EQ(v[1].skew, 19 * 3600 * kNsPerSec);
  EXPECT_EQ(v[1].hosts, ClockSkewSpec::kAllHosts);
  EXPECT_EQ(v[2].event, 22);
  EXPECT_EQ(v[2].skew, 5400 * kNsPerSec);
  EXPECT_EQ(v[2].hosts, 3);
  EXPECT_EQ(v[3].skew, 90 * kNsPerSec);
  EXPECT_EQ(v[4].skew, -14 * 86400 * kNsPerSec);
  EXPECT_EQ(v[5].skew, 1800 * kNsPerSec);
}

TEST(SimulateFaults, BadClockSkewSpecsSayWhatIsWrong) {
  struct Case {
    const char *text, *says;
  };
  for (const Case& c : {Case{"3-5d", "'3-5d': expected EVENT:SKEW[@HOSTS]"}, Case{"", "empty"},
                        Case{"3:-5d,", "'': empty"}, Case{"4:-5d", "unknown event '4'"},
                        Case{"3:-5", "bad skew '-5'"}, Case{"3:5y", "bad skew '5y'"}, Case{"3:d", "bad skew 'd'"},
                        Case{"3:--5d", "bad skew '--5d'"}, Case{"3:1e3h", "bad skew '1e3h'"},
                        Case{"3:9999d", "at most 3650 days"}, Case{"3:0h", "a skew of 0 changes nothing"},
                        Case{"3:-5d@0", "bad host count '0'"}, Case{"3:-5d@x", "bad host count 'x'"},
                        Case{"3:-5d@", "bad host count ''"}}) {
    std::vector<ClockSkewSpec> v;
    std::string err;
    EXPECT_FALSE(parse_clock_skews(c.text, v, err)) << c.text;
    EXPECT_NE(err.find(c.says), std::string::npos) << c.text << " -> " << err;
  }
  Organisation org = build_organisation(1, 6, 1, 0);
  std::string err;
  EXPECT_FALSE(apply_faults(org, 1, skews("3:1h@7"), 0, err));
  EXPECT_EQ(err, "--clock-skew-events 3: 7 hosts asked for, the organisation has 6");
  EXPECT_FALSE(apply_faults(org, 1, skews("3:1h,3:2h@2"), 0, err));
  EXPECT_EQ(err, "--clock-skew-events 3: this event type is given twice");
  EXPECT_FALSE(apply_faults(org, 1, {}, 7, err));
  EXPECT_EQ(err, "--sensor-drops-outgoing: 7 hosts asked for, the organisation has 6");
}

struct Runs {
  TempDir clean{"faults-clean"}, faulty{"faults-on"};
  SimulateResult rc, rf;
};

void run_both(Runs& r, SimulateOptions faulty, SimulateOptions& clean) {
  std::string err;
  ASSERT_TRUE(simulate(clean, r.rc, err)) << err;
  ASSERT_TRUE(simulate(faulty, r.rf, err)) << err;
}

// Sysmon events as the reader sees them: id, time (UtcTime), process.
std::vector<std::tuple<int, TimeNs, std::string>> events(const fs::path& file) {
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats st;
  std::string err;
  EXPECT_TRUE(read_input_file(file.string(), sink, diag, st, err)) << err;
  EXPECT_EQ(diag.bad_records(), 0u) << file;
  std::vector<std::tuple<int, TimeNs, std::string>> v;
  for (const auto& e : sink.events) v.emplace_back(e.event_id, e.time, e.process_guid);
  return v;
}

// The shipper's time of each line: ECS @timestamp, or flat EventTime (local, UTC+1, no zone).
std::vector<TimeNs> shipper_times(const fs::path& file) {
  std::vector<TimeNs> v;
  for (const auto& l : lines_of(slurp(file))) {
    for (const std::string key : {"\"@timestamp\":\"", "\"EventTime\":\""}) {
      const size_t at = l.find(key);
      if (at == std::string::npos) continue;
      TimeNs t = 0;
      EXPECT_TRUE(parse_datetime(l.substr(at + key.size(), l.find('"', at + key.size()) - at - key.size()), t)) << l;
      v.push_back(t);
    }
  }
  return v;
}

TEST(SimulateFaults, ClockSkewShiftsOneEventTypeOnTheChosenHostsOnly) {
  Runs r;
  auto clean = testing::org_options(r.clean.path, 41, 8, 1);
  auto faulty = testing::org_options(r.faulty.path, 41, 8, 1);
  faulty.clock_skews = skews("3:-5d@2,22:+90m,ts:19h");
  run_both(r, faulty, clean);
  const TimeNs skew3 = -5 * 86400 * kNsPerSec, skew22 = 5400 * kNsPerSec, skew_ts = 19 * 3600 * kNsPerSec;
  std::vector<std::string> with3, with22, with_ts;
  for (const auto& h : r.rf.org.hosts) {
    if (h.skew.network_connect) with3.push_back(h.name);
    if (h.skew.dns_query) with22.push_back(h.name);
    if (h.skew.shipper) with_ts.push_back(h.name);
    EXPECT_EQ(h.skew.process_create, 0);
    EXPECT_EQ(h.skew.process_terminate, 0);
  }
  ASSERT_EQ(with3.size(), 2u);
  ASSERT_EQ(with22.size(), 1u);
  EXPECT_EQ(with22, with_ts);  // the same count picks the same hosts
  EXPECT_TRUE(std::count(with3.begin(), with3.end(), with22[0])) << "a smaller count picks a subset";

  int shifted3 = 0, shifted22 = 0;
  for (const auto& h : r.rf.org.hosts) {
    const fs::path f = fs::path("sysmon") / (h.name + ".jsonl");
    if (!h.skew.any()) {
      EXPECT_EQ(slurp(r.clean.path / f), slurp(r.faulty.path / f)) << f;
      continue;
    }
    const auto a = events(r.clean.path / f), b = events(r.faulty.path / f);
    ASSERT_EQ(a.size(), b.size()) << f;
    for (size_t i = 0; i < a.size(); ++i) {
      const auto& [id, t, guid] = a[i];
      EXPECT_EQ(std::get<0>(b[i]), id);
      EXPECT_EQ(std::get<2>(b[i]), guid);
      const TimeNs want = id == 3 ? h.skew.network_connect : id == 22 ? h.skew.dns_query : 0;
      EXPECT_EQ(std::get<1>(b[i]) - t, want) << f << " event " << id << " #" << i;
      shifted3 += id == 3 && want == skew3;
      shifted22 += id == 22 && want == skew22;
    }
    // The shipper's time (not what the join reads) moves on the ts host only, for every event.
    const auto sa = shipper_times(r.clean.path / f), sb = shipper_times(r.faulty.path / f);
    ASSERT_EQ(sa.size(), b.size()) << f;
    ASSERT_EQ(sa.size(), sb.size()) << f;
    for (size_t i = 0; i < sa.size(); ++i) ASSERT_EQ(sb[i] - sa[i], h.skew.shipper) << f << " #" << i;
    EXPECT_EQ(h.skew.shipper, std::count(with_ts.begin(), with_ts.end(), h.name) ? skew_ts : 0);
  }
  EXPECT_GT(shifted3, 10);
  EXPECT_GT(shifted22, 10);
  for (const char* f : {"zeek/conn.log", "zeek/dns.log", "netflow/flows.csv"})
    EXPECT_EQ(slurp(r.clean.path / f), slurp(r.faulty.path / f)) << f;

  // Labels: the organisation says which hosts have which skew; the scenarios are the same.
  const auto la = lines_of(slurp(r.clean.path / "labels.jsonl")), lb = lines_of(slurp(r.faulty.path / "labels.jsonl"));
  ASSERT_EQ(la.size(), lb.size());
  for (size_t i = 1; i < la.size(); ++i) EXPECT_EQ(la[i], lb[i]);
  EXPECT_EQ(la[0].find("fault"), std::string::npos) << la[0];
  const std::string want3 = "{\"event\":\"3\",\"skew_ms\":-432000000,\"hosts\":[\"" + with3[0] + "\",\"" + with3[1] + "\"]}";
  EXPECT_NE(lb[0].find("\"faults\":{\"clock_skew_events\":[" + want3 + ",{\"event\":\"22\",\"skew_ms\":5400000"), std::string::npos)
      << lb[0];
  EXPECT_NE(lb[0].find("{\"event\":\"ts\",\"skew_ms\":68400000,\"hosts\":[\"" + with_ts[0] + "\"]}]}"), std::string::npos);
  EXPECT_NE(lb[0].find("\"name\":\"" + with22[0] + "\""), std::string::npos);
  EXPECT_NE(lb[0].find("\"clock_skew_ms\":{\"3\":-432000000,\"22\":5400000,\"ts\":68400000}"), std::string::npos) << lb[0];
}

// conn.log records by uid, as their fields.
std::map<std::string, std::vector<std::string>> conns(const fs::path& file) {
  std::map<std::string, std::vector<std::string>> m;
  for (const auto& l : lines_of(slurp(file))) {
    if (l.empty() || l[0] == '#') continue;
    auto f = split(l, '\t');
    EXPECT_EQ(f.size(), 21u) << l;
    m[f[1]] = std::move(f);
  }
  return m;
}

bool has_upper(const std::string& s) { return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; }); }
bool has_lower(const std::string& s) { return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; }); }

TEST(SimulateFaults, SensorDropsOutgoingLosesTheHostsSideOnly) {
  Runs r;
  auto clean = testing::org_options(r.clean.path, 46, 10, 1);
  auto faulty = testing::org_options(r.faulty.path, 46, 10, 1);
  faulty.sensor_drops_outgoing = 4;
  run_both(r, faulty, clean);
  std::set<std::string> lost_ips;
  std::vector<std::string> lost_names;
  for (const auto& h : r.rf.org.hosts)
    if (h.sensor_drops_outgoing) lost_ips.insert(h.ip_text), lost_names.push_back(h.name);
  ASSERT_EQ(lost_ips.size(), 4u);
  for (const auto& h : r.rf.org.hosts) {  // the hosts' own logs are untouched
    const fs::path f = fs::path("sysmon") / (h.name + ".jsonl");
    EXPECT_EQ(slurp(r.clean.path / f), slurp(r.faulty.path / f)) << f;
  }
  EXPECT_EQ(slurp(r.clean.path / "zeek/dns.log"), slurp(r.faulty.path / "zeek/dns.log"));

  // Zeek fields: 2 orig_h, 4 resp_h, 9 orig_bytes, 10 resp_bytes, 11 conn_state, 15 history,
  // 16 orig_pkts, 17 orig_ip_bytes, 18 resp_pkts, 19 resp_ip_bytes.
  const auto a = conns(r.clean.path / "zeek/conn.log"), b = conns(r.faulty.path / "zeek/conn.log");
  int originated = 0, answered = 0, unseen = 0, same = 0;
  for (const auto& [uid, x] : a) {
    const bool orig_lost = lost_ips.count(x[2]) > 0, resp_lost = lost_ips.count(x[4]) > 0;
    const auto it = b.find(uid);
    if (!orig_lost && !resp_lost) {
      ASSERT_NE(it, b.end()) << uid;
      EXPECT_EQ(it->second, x);
      ++same;
      continue;
    }
    const bool nothing_back = x[11] == "S0";
    if ((orig_lost && (resp_lost || nothing_back))) {
      EXPECT_EQ(it, b.end()) << uid << ": the sensor saw none of its packets";
      ++unseen;
      continue;
    }
    ASSERT_NE(it, b.end()) << uid;
    const auto& y = it->second;
    for (const size_t i : {0, 2, 3, 4, 5, 6, 7, 8}) EXPECT_EQ(y[i], x[i]) << uid << " field " << i;
    if (orig_lost) {
      EXPECT_EQ(y[9], "0");
      EXPECT_EQ(y[16], "0");
      EXPECT_EQ(y[17], "0");
      EXPECT_TRUE(y[11] == "SHR" || y[11] == "RSTRH") << y[11];
      EXPECT_FALSE(has_upper(y[15])) << y[15];
      EXPECT_EQ(y[15][0], '^') << y[15];
      for (const size_t i : {10, 18, 19}) EXPECT_EQ(y[i], x[i]) << uid << " responder field " << i;
      ++originated;
    } else if (x[18] != "0") {
      EXPECT_EQ(y[10], "0");
      EXPECT_EQ(y[18], "0");
      EXPECT_EQ(y[19], "0");
      EXPECT_TRUE(y[11] == "SH" || y[11] == "S0") << y[11];
      EXPECT_FALSE(has_lower(y[15])) << y[15];
      for (const size_t i : {9, 16, 17}) EXPECT_EQ(y[i], x[i]) << uid << " originator field " << i;
      ++answered;
    } else {  // the host never answered: nothing of it to lose
      EXPECT_EQ(y, x);
    }
  }
  EXPECT_EQ(b.size(), a.size() - static_cast<size_t>(unseen));
  EXPECT_GT(originated, 50);
  EXPECT_GT(answered, 50);
  EXPECT_GT(same, 50);

  // NetFlow: the records these hosts sent are gone, every other record is as it was.
  auto records = [](const fs::path& f, const std::set<std::string>* without) {
    std::multiset<std::string> s;
    for (const auto& l : lines_of(slurp(f))) {
      if (l.empty() || l.starts_with("ts,")) continue;
      if (l == "Summary") break;
      if (!without || !without->count(split(l, ',')[3])) s.insert(l);
    }
    return s;
  };
  const auto kept = records(r.clean.path / "netflow/flows.csv", &lost_ips);
  EXPECT_EQ(records(r.faulty.path / "netflow/flows.csv", nullptr), kept);
  EXPECT_LT(kept.size(), records(r.clean.path / "netflow/flows.csv", nullptr).size());

  // Both read back without bad records.
  for (const char* f : {"zeek/conn.log", "netflow/flows.csv"}) {
    testing::CollectSink sink;
    Diagnostics diag;
    FileStats st;
    std::string err;
    ASSERT_TRUE(read_input_file((r.faulty.path / f).string(), sink, diag, st, err)) << err;
    EXPECT_EQ(diag.bad_records(), 0u) << f;
  }

  const std::string first = lines_of(slurp(r.faulty.path / "labels.jsonl"))[0];
  std::string names;
  for (const auto& n : lost_names) names += (names.empty() ? "\"" : ",\"") + n + "\"";
  EXPECT_NE(first.find("\"faults\":{\"sensor_drops_outgoing\":[" + names + "]}"), std::string::npos) << first;
  for (const auto& n : lost_names)
    EXPECT_NE(first.find("\"name\":\"" + n + "\""), std::string::npos);
  size_t flagged = 0;
  for (size_t at = 0; (at = first.find("\"sensor_drops_outgoing\":true", at)) != std::string::npos; ++at) ++flagged;
  EXPECT_EQ(flagged, 4u);
}

}  // namespace
}  // namespace outflow::sim
