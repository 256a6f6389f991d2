// The simulator's Suricata sensor read back by the EVE reader: the same connections as Zeek's
// conn.log, names from its tls/http events, DNS transactions, and the configured capture loss.
#include "outflow/simulate/eve_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "outflow/simulate/simulator.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(SimulateEve, ReadsBackAsZeekDoes) {
  TempDir d("eve");
  SimulateOptions o = testing::org_options(d.path, 23, 6, 1);
  o.suricata = true;
  o.eve_drop_rate = 0.02;
  SimulateResult r;
  std::string err;
  ASSERT_TRUE(simulate(o, r, err)) << err;
  EXPECT_GT(r.eve_records, 0u);

  testing::CollectSink eve, zeek;
  Diagnostics diag, zdiag;
  FileStats st, zst;
  ASSERT_TRUE(read_input_file((d.path / "suricata" / "eve.json").string(), eve, diag, st, err)) << err;
  ASSERT_TRUE(read_input_file((d.path / "zeek" / "conn.log").string(), zeek, zdiag, zst, err)) << err;
  EXPECT_EQ(st.format, InputFormat::suricata_eve);
  EXPECT_EQ(diag.bad_records(), 0u) << (diag.samples().empty() ? "" : diag.samples()[0].reason);
  EXPECT_EQ(diag.dubious_values(), 0u);  // community ids right
  // The same connections (Zeek and Suricata both log one the sensor saw any packet of).
  EXPECT_EQ(eve.flows.size(), zeek.flows.size());
  uint64_t eve_out = 0, zeek_out = 0;
  for (const auto& f : eve.flows) eve_out += f.orig_pkts;
  for (const auto& f : zeek.flows) zeek_out += f.orig_pkts;
  EXPECT_EQ(eve_out, zeek_out);
  // Names: tls and http events, DNS transactions with answers.
  EXPECT_FALSE(eve.app.empty());
  EXPECT_FALSE(eve.dns.empty());
  for (const auto& a : eve.app) EXPECT_FALSE(a.name.empty());
  // Capture loss: every minute's stats at the configured rate (of the packets the kernel saw).
  ASSERT_GT(eve.loss.size(), 100u);
  double max_loss = 0;
  for (const auto& l : eve.loss) max_loss = std::max(max_loss, l.percent_lost);
  EXPECT_GT(max_loss, 1.0);
  EXPECT_LT(max_loss, 2.01);
}

}  // namespace
}  // namespace outflow::sim
