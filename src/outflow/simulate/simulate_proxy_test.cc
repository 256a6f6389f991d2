// `simulate --proxy`: the organisation's web traffic through an explicit proxy, and what the
// network records (Squid access.log, Zeek conn + http.log in front of the proxy, the perimeter
// firewall's PAN-OS or FortiGate log), every log read back clean by the project's own readers;
// the labels are those of the organisation without the proxy.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <unordered_set>

#include "outflow/read/input.h"
#include "outflow/simulate/simulator.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

namespace fs = std::filesystem;
using testing::lines_of;
using testing::slurp;
using testing::TempDir;

SimulateOptions proxied(const fs::path& out, int bypass, FirewallFormat fw = FirewallFormat::panos) {
  SimulateOptions o = testing::org_options(out, 77, 8, 1);
  o.netflow = false;
  o.proxy = true;
  o.proxy_bypass = bypass;
  o.firewall = fw;
  return o;
}

// Lines of a log that are records (not Zeek's # header lines).
size_t records(const std::string& text) {
  size_t n = 0;
  for (const auto& l : lines_of(text)) n += !l.empty() && l[0] != '#';
  return n;
}

TEST(SimulateProxy, EveryLogReadsCleanAndTheWebGoesThroughTheProxy) {
  TempDir dir("sim-proxy");
  SimulateResult r;
  std::string error;
  ASSERT_TRUE(simulate(proxied(dir.path, 1), r, error)) << error;
  const IpAddr proxy = r.org.proxy_ip;
  ASSERT_EQ(proxy.to_string(), "10.1.0.3");
  EXPECT_EQ(r.org.proxy_port, 3128);
  std::unordered_set<IpAddr, IpAddrHash> bypass, hosts;
  for (const auto& h : r.org.hosts) {
    hosts.insert(h.ip);
    if (h.bypasses_proxy) bypass.insert(h.ip);
  }
  ASSERT_EQ(bypass.size(), 1u);
  EXPECT_NE(slurp(dir.path / "outflow.yaml").find("proxies: [\"10.1.0.3:3128\"]"), std::string::npos);

  // Squid: one request per line, from the organisation's hosts (not the bypassing one), naming a host.
  const std::string squid_text = slurp(dir.path / "proxy" / "access.log");
  auto squid = testing::read_result(read_squid, squid_text);
  EXPECT_EQ(squid->diag.bad_records(), 0u);
  ASSERT_GT(squid->sink.proxy.size(), 100u);
  EXPECT_EQ(squid->sink.proxy.size(), records(squid_text));
  EXPECT_EQ(squid->sink.proxy.size(), r.squid_records);
  size_t connects = 0;
  for (const auto& p : squid->sink.proxy) {
    EXPECT_TRUE(hosts.count(p.client) && !bypass.count(p.client)) << p.client.to_string();
    EXPECT_FALSE(p.host.empty());
    EXPECT_NE(p.host, "10.1.0.3");
    connects += p.method == "CONNECT";
  }
  EXPECT_GT(connects, squid->sink.proxy.size() / 2);

  // PAN-OS: every line a documented layout, nothing bad; web traffic out only from the proxy and
  // the bypassing host; User-ID names workstation users.
  const std::string fw_text = slurp(dir.path / "firewall" / "panos.log");
  auto fw = testing::read_result(read_panos, fw_text);
  EXPECT_EQ(fw->diag.bad_records(), 0u);
  EXPECT_TRUE(fw->diag.notes_by_reason().empty());
  EXPECT_EQ(fw->sink.flows.size(), records(fw_text));
  EXPECT_EQ(fw->sink.flows.size(), r.firewall_records);
  size_t from_proxy = 0, with_user = 0;
  for (const auto& f : fw->sink.flows) {
    EXPECT_FALSE(f.resp_h.is_private() && f.orig_h.is_private()) << f.orig_h.to_string() << " -> " << f.resp_h.to_string();
    if (f.resp_p == 80 || f.resp_p == 443) {
      EXPECT_TRUE(f.orig_h == proxy || bypass.count(f.orig_h) || !f.orig_h.is_private()) << f.orig_h.to_string();
    }
    from_proxy += f.orig_h == proxy;
    with_user += !f.user.empty();
    EXPECT_TRUE(f.has_nat);
    EXPECT_EQ(f.verdict, FlowVerdict::allowed);
    EXPECT_EQ(f.orig_bytes + f.resp_bytes > 0, true);
  }
  EXPECT_GT(from_proxy, squid->sink.proxy.size() * 9 / 10);
  EXPECT_GT(with_user, 0u);

  // Zeek: the requests ride connections to the proxy; no host but the bypassing one has a
  // direct web connection out.
  auto http = testing::read_result(read_zeek_tsv, slurp(dir.path / "zeek" / "http.log"));
  auto conn = testing::read_result(read_zeek_tsv, slurp(dir.path / "zeek" / "conn.log"));
  EXPECT_EQ(http->diag.bad_records() + conn->diag.bad_records(), 0u);
  std::set<std::string> proxy_uids;
  for (const auto& f : conn->sink.flows) {
    if (f.resp_h == proxy) {
      EXPECT_EQ(f.resp_p, 3128);
      proxy_uids.insert(f.uid);
    } else if ((f.resp_p == 80 || f.resp_p == 443) && !f.resp_h.is_private()) {
      EXPECT_TRUE(bypass.count(f.orig_h)) << f.orig_h.to_string() << " -> " << f.resp_h.to_string();
    }
  }
  ASSERT_EQ(http->sink.app.size(), squid->sink.proxy.size());
  for (const auto& a : http->sink.app) {
    EXPECT_TRUE(proxy_uids.count(a.uid)) << a.uid;
    EXPECT_TRUE(a.method == "CONNECT" ? a.uri == a.name + ":443" : a.uri.starts_with("http://" + a.name)) << a.uri;
  }
}

TEST(SimulateProxy, LabelsAreThoseWithoutTheProxy) {
  TempDir dir("sim-proxy-labels");
  SimulateResult plain, behind;
  std::string error;
  SimulateOptions o = proxied(dir.path / "plain", 0);
  o.proxy = false;
  ASSERT_TRUE(simulate(o, plain, error)) << error;
  ASSERT_TRUE(simulate(proxied(dir.path / "proxied", 0), behind, error)) << error;
  ASSERT_EQ(plain.labels.size(), behind.labels.size());
  ASSERT_GT(plain.labels.size(), 4u);
  for (size_t i = 0; i < plain.labels.size(); ++i) EXPECT_EQ(label_json(plain.labels[i]), label_json(behind.labels[i]));
  // The same activity: the proxied run has a conn record for each one of the plain run (the
  // proxied ones to the proxy), less the DNS lookups the clients no longer make for proxied names.
  EXPECT_LE(behind.conn_records, plain.conn_records);
  EXPECT_GT(behind.conn_records, plain.conn_records / 2);
}

TEST(SimulateProxy, FortigateAndDeterminism) {
  TempDir dir("sim-proxy-fgt");
  SimulateResult a, b;
  std::string error;
  ASSERT_TRUE(simulate(proxied(dir.path / "a", 2, FirewallFormat::fortigate), a, error)) << error;
  ASSERT_TRUE(simulate(proxied(dir.path / "b", 2, FirewallFormat::fortigate), b, error)) << error;
  const std::string text = slurp(dir.path / "a" / "firewall" / "fortigate.log");
  EXPECT_EQ(text, slurp(dir.path / "b" / "firewall" / "fortigate.log"));
  EXPECT_EQ(slurp(dir.path / "a" / "proxy" / "access.log"), slurp(dir.path / "b" / "proxy" / "access.log"));
  EXPECT_EQ(detect_format(text.substr(0, text.find('\n') + 1)), InputFormat::fortigate);
  auto fw = testing::read_result(read_fortigate, text);
  EXPECT_EQ(fw->diag.bad_records(), 0u);
  EXPECT_EQ(fw->sink.flows.size(), records(text));
  size_t bypass = 0;
  for (const auto& h : a.org.hosts) bypass += h.bypasses_proxy;
  EXPECT_EQ(bypass, 2u);
}

}  // namespace
}  // namespace outflow::sim
