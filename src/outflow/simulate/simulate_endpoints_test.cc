// `outflow simulate --endpoint-share F`: only some hosts get a Sysmon file. Compared with a run of
// the same seed where every host has one: the flows, the labels' attacks and the endpoint hosts'
// Sysmon files are byte for byte the same; only which Sysmon files exist changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "outflow/simulate/endpoints.h"
#include "outflow/simulate/simulator.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::slurp;
using testing::lines_of;

// Every file under `root`, by relative path.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files[fs::relative(e.path(), root).generic_string()] = slurp(e.path());
  return files;
}

// FNV-1a 64 over each file's relative path and bytes, in path order.
uint64_t tree_hash(const fs::path& root) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&](const std::string& s) {
    for (const unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0) * 0x100000001b3ULL;
  };
  for (const auto& [path, bytes] : tree(root)) add(path), add(bytes);
  return h;
}

std::set<std::string> endpoint_names(const Organisation& org) {
  std::set<std::string> s;
  for (const auto& h : org.hosts)
    if (h.endpoint) s.insert(h.name);
  return s;
}

std::set<std::string> endpoints_for(uint64_t seed, int hosts, double share) {
  Organisation org = build_organisation(seed, hosts, 1, 0);
  std::string err;
  EXPECT_TRUE(apply_endpoint_share(org, seed, share, err)) << err;
  return endpoint_names(org);
}

TEST(SimulateEndpoints, ShareRoundsToHostsHalvesUp) {
  EXPECT_EQ(endpoint_host_count(1.0, 10), 10u);
  EXPECT_EQ(endpoint_host_count(0.0, 10), 0u);
  EXPECT_EQ(endpoint_host_count(0.5, 10), 5u);
  EXPECT_EQ(endpoint_host_count(0.5, 5), 3u);   // 2.5 -> 3
  EXPECT_EQ(endpoint_host_count(0.3, 10), 3u);  // 3.0000000000000004
  EXPECT_EQ(endpoint_host_count(0.04, 10), 0u);
  EXPECT_EQ(endpoint_host_count(0.96, 10), 10u);
  EXPECT_EQ(endpoint_host_count(0.33, 200), 66u);
}

TEST(SimulateEndpoints, PicksTheRightHostsDeterministically) {
  for (const double share : {0.0, 0.25, 0.5, 0.7, 1.0}) {
    const auto a = endpoints_for(5, 40, share), b = endpoints_for(5, 40, share);
    EXPECT_EQ(a.size(), endpoint_host_count(share, 40)) << share;
    EXPECT_EQ(a, b) << "the same seed picks the same hosts";
  }
  // A smaller share's hosts are a subset of a larger one's; another seed picks others.
  const auto small = endpoints_for(5, 40, 0.25), large = endpoints_for(5, 40, 0.7);
  EXPECT_TRUE(std::includes(large.begin(), large.end(), small.begin(), small.end()));
  EXPECT_NE(endpoints_for(5, 40, 0.5), endpoints_for(6, 40, 0.5));
  // Not simply the first hosts of the organisation.
  Organisation org = build_organisation(5, 40, 1, 0);
  std::set<std::string> first;
  for (int i = 0; i < 20; ++i) first.insert(org.hosts[static_cast<size_t>(i)].name);
  EXPECT_NE(endpoints_for(5, 40, 0.5), first);

  std::string err;
  for (const double bad : {-0.1, 1.5, std::nan("")}) {
    EXPECT_FALSE(apply_endpoint_share(org, 5, bad, err)) << bad;
    EXPECT_NE(err.find("--endpoint-share"), std::string::npos) << err;
  }
}

TEST(SimulateEndpoints, TheFaultsKeepTheirHosts) {
  // The share has its own order: turning it on does not move a fault to other hosts.
  Organisation a = build_organisation(9, 12, 1, 0), b = build_organisation(9, 12, 1, 0);
  std::string err;
  ASSERT_TRUE(apply_faults(a, 9, {}, 3, err)) << err;
  ASSERT_TRUE(apply_endpoint_share(b, 9, 0.5, err)) << err;
  ASSERT_TRUE(apply_faults(b, 9, {}, 3, err)) << err;
  for (size_t i = 0; i < a.hosts.size(); ++i) EXPECT_EQ(a.hosts[i].sensor_drops_outgoing, b.hosts[i].sensor_drops_outgoing);
}

// The whole output of `outflow simulate --seed 7 --hosts 6 --days 1` (every default), hashed:
// written by the main-branch binary before --endpoint-share existed. The default must not change it.
constexpr uint64_t kDefaultRunHash = 0x37beead523f741ddULL;

TEST(SimulateEndpoints, DefaultOutputUnchanged) {
  TempDir d("endpoints-default"), one("endpoints-one");
  auto o = testing::org_options(d.path, 7, 6, 1);
  SimulateResult r;
  std::string err;
  ASSERT_TRUE(simulate(o, r, err)) << err;
  EXPECT_EQ(r.endpoint_hosts, 6u);
  EXPECT_EQ(tree_hash(d.path), kDefaultRunHash) << "the default output changed";
  EXPECT_EQ(lines_of(slurp(d.path / "labels.jsonl"))[0].find("endpoint"), std::string::npos);
  // An explicit share of 1, or one rounding to every host, is the default.
  for (const double share : {1.0, 0.95}) {
    auto o1 = testing::org_options(one.path, 7, 6, 1);
    o1.endpoint_share = share;
    SimulateResult r1;
    ASSERT_TRUE(simulate(o1, r1, err)) << err;
    EXPECT_EQ(tree(one.path), tree(d.path)) << share;
  }
}

TEST(SimulateEndpoints, HalfTheHostsOnlyTheSysmonFilesChange) {
  TempDir all("endpoints-all"), half("endpoints-half");
  auto oa = testing::org_options(all.path, 23, 10, 1), oh = testing::org_options(half.path, 23, 10, 1);
  oh.endpoint_share = 0.5;
  SimulateResult ra, rh;
  std::string err;
  ASSERT_TRUE(simulate(oa, ra, err)) << err;
  ASSERT_TRUE(simulate(oh, rh, err)) << err;
  const auto with = endpoint_names(rh.org);
  ASSERT_EQ(with.size(), 5u);
  EXPECT_EQ(rh.endpoint_hosts, 5u);
  EXPECT_TRUE(rh.stale.empty());

  for (const char* f : {"zeek/conn.log", "zeek/dns.log", "netflow/flows.csv"}) {
    EXPECT_FALSE(slurp(all.path / f).empty()) << f;
    EXPECT_EQ(slurp(all.path / f), slurp(half.path / f)) << f;
  }
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(half.path / "sysmon")) files.insert(e.path().stem().string());
  EXPECT_EQ(files, with);
  uint64_t bytes = 0;
  for (const auto& n : with) {
    const auto f = fs::path("sysmon") / (n + ".jsonl");
    EXPECT_EQ(slurp(all.path / f), slurp(half.path / f)) << f;
    bytes += fs::file_size(half.path / f);
  }
  EXPECT_EQ(rh.sysmon_bytes, bytes);
  EXPECT_LT(rh.sysmon_bytes, ra.sysmon_bytes);

  // Labels: every attack as before, whether or not its host has Sysmon.
  ASSERT_EQ(ra.labels.size(), rh.labels.size());
  bool flow_only_attack = false;
  for (const auto& l : rh.labels) flow_only_attack = flow_only_attack || !with.count(l.host);
  EXPECT_TRUE(flow_only_attack) << "no attack on a flow-only host: pick another seed";
  const auto la = lines_of(slurp(all.path / "labels.jsonl")), lh = lines_of(slurp(half.path / "labels.jsonl"));
  ASSERT_EQ(la.size(), lh.size());
  for (size_t i = 1; i < la.size(); ++i) EXPECT_EQ(la[i], lh[i]);

  // The organisation line says which hosts have endpoint telemetry.
  const std::string& org = lh[0];
  std::string list;
  for (const auto& h : rh.org.hosts)
    if (h.endpoint) list += (list.empty() ? "\"" : ",\"") + h.name + "\"";
  EXPECT_NE(org.find("\"endpoint_share\":0.5,\"endpoint_hosts\":[" + list + "],\"host_list\""), std::string::npos) << org;
  for (const auto& h : rh.org.hosts) {
    const size_t at = org.find("{\"name\":\"" + h.name + "\"");
    ASSERT_NE(at, std::string::npos) << h.name;
    const std::string entry = org.substr(at, org.find('}', at) - at);
    EXPECT_NE(entry.find(std::string("\"endpoint\":") + (with.count(h.name) ? "true" : "false")), std::string::npos) << entry;
  }
  // Without the option the line is as before, apart from those fields.
  std::string stripped = org;
  for (const std::string& f : {std::string(",\"endpoint\":true"), std::string(",\"endpoint\":false")})
    for (size_t at; (at = stripped.find(f)) != std::string::npos;) stripped.erase(at, f.size());
  const std::string lists = ",\"endpoint_share\":0.5,\"endpoint_hosts\":[" + list + "]";
  stripped.erase(stripped.find(lists), lists.size());
  EXPECT_EQ(stripped, la[0]);
}

TEST(SimulateEndpoints, NoEndpointsLeavesAnEmptySysmonFolderAndFlagsOldFiles) {
  TempDir d("endpoints-none");
  auto o = testing::org_options(d.path, 3, 6, 1);
  SimulateResult r;
  std::string err;
  ASSERT_TRUE(simulate(o, r, err)) << err;  // every host: files an older run leaves behind
  o.endpoint_share = 0;
  SimulateResult r0;
  ASSERT_TRUE(simulate(o, r0, err)) << err;
  EXPECT_EQ(r0.endpoint_hosts, 0u);
  EXPECT_EQ(r0.sysmon_bytes, 0u);
  EXPECT_EQ(r0.stale.size(), 6u) << "the first run's Sysmon files are not this run's";
  EXPECT_EQ(r0.labels.size(), r.labels.size());
  const auto org = lines_of(slurp(d.path / "labels.jsonl"))[0];
  EXPECT_NE(org.find("\"endpoint_share\":0,\"endpoint_hosts\":[]"), std::string::npos) << org;
  EXPECT_EQ(org.find("\"endpoint\":true"), std::string::npos);

  TempDir fresh("endpoints-none-fresh");
  auto of = testing::org_options(fresh.path, 3, 6, 1);
  of.endpoint_share = 0;
  SimulateResult rf;
  ASSERT_TRUE(simulate(of, rf, err)) << err;
  EXPECT_TRUE(fs::is_directory(fresh.path / "sysmon"));
  EXPECT_TRUE(fs::is_empty(fresh.path / "sysmon"));
  EXPECT_TRUE(rf.stale.empty());
  EXPECT_EQ(slurp(fresh.path / "zeek/conn.log"), slurp(d.path / "zeek/conn.log"));
}

}  // namespace
}  // namespace outflow::sim
