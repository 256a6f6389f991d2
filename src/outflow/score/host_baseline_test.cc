// Baselines per host and per host role for hosts seen only in flows (score/host_baseline.h): a
// backup server's nightly upload of the same size to the same cloud storage is that host's
// normal; the same upload once from a workstation whose other days are small is not.
#include <gtest/gtest.h>

#include "outflow/score/flow_host_role.h"
#include "outflow/score/hunter.h"
#include "outflow/testing/world.h"

namespace outflow {
namespace {

using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr uint64_t kMB = 1'000'000, kGB = 1000 * kMB;
const char* kBackup = "10.1.0.11";
const char* kWorkstation = "10.1.16.20";
const char* kBlob = "20.150.1.8";  // the backup's cloud storage, no other host uses it

// Midnight UTC of the World's first day.
TimeNs day0(const World& w) { return w.t0 - 9 * kHour; }

// Days [from, to): the backup sends 45 GB each night between 02:00 and 04:00 in 5 parallel
// uploads; the workstation browses (100 MB out a day, to a site every host uses) during office
// hours, and on `one_off_day` (if in range) uploads 45 GB to an address no one else uses.
void days(World& w, int from, int to, int one_off_day) {
  for (int d = from; d < to; ++d) {
    const TimeNs m = day0(w) + d * kDay;
    for (int k = 0; k < 5; ++k) w.flow(kBackup, kBlob, 443, m + 2 * kHour + k * 10 * kMin, 90 * kMin, 9 * kGB, 20 * kMB);
    for (int k = 0; k < 10; ++k) w.flow(kWorkstation, "198.51.100.10", 443, m + 9 * kHour + k * 30 * kMin, 5 * kMin, 10 * kMB, 200 * kMB);
    if (d == one_off_day) w.flow(kWorkstation, "203.0.113.5", 443, m + 14 * kHour, 90 * kMin, 45 * kGB, 20 * kMB);
  }
}

TEST(HostBaseline, NightlyBackupIsRoutineAOneOffUploadIsNot) {
  World w;
  w.background_hosts(8);
  days(w, 0, 7, 5);
  const auto r = w.hunt();
  const Finding* b = World::find_flow_host(r, kBackup);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->act->daily.day_out.size(), 7u);
  EXPECT_EQ(b->act->daily.hours_holding(0.9), 1);  // every upload starts in the 02:00 hour
  ASSERT_NE(World::factor(b, "host_routine"), nullptr);
  EXPECT_EQ(World::factor(b, "volume_vs_baseline"), nullptr);
  EXPECT_LE(World::factor(b, "volume_out")->contribution, 30 * 0.25 + 0.05);  // a quarter
  EXPECT_LT(b->score, 40);
  EXPECT_EQ(b->rank, 0);

  const Finding* ws = World::find_flow_host(r, kWorkstation);
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(World::factor(ws, "host_routine"), nullptr);
  const Factor* vb = World::factor(ws, "volume_vs_baseline");
  ASSERT_NE(vb, nullptr);
  EXPECT_EQ(vb->contribution, 10);
  EXPECT_NE(vb->baseline.find("this host"), std::string::npos) << vb->baseline;
  EXPECT_GE(ws->score, 40);
  EXPECT_GT(ws->rank, 0);
  // Its days are baseline samples (the partial first and last day left out).
  const auto& vol = w.observe().volume;
  ASSERT_TRUE(vol.count(Baselines::volume_key_host_day("ip:10.1.16.20")));
  EXPECT_EQ(vol.at(Baselines::volume_key_host_day("ip:10.1.16.20")).n, 5u);
}

// The same with history from --state: the hunted input holds one day only.
TEST(HostBaseline, HistoryFromTheState) {
  World learn;
  learn.background_hosts(8);
  days(learn, 0, 6, -1);
  learn.hunt();
  Baselines state = learn.observe();
  state.runs = 1;
  World hunt;
  hunt.background_hosts(8);
  days(hunt, 6, 7, 6);
  const auto r = hunt.hunt(&state);
  const Finding* b = World::find_flow_host(r, kBackup);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(World::factor(b, "host_routine"), nullptr);
  EXPECT_LT(b->score, 40);
  const Finding* ws = World::find_flow_host(r, kWorkstation);
  ASSERT_NE(ws, nullptr);
  EXPECT_NE(World::factor(ws, "volume_vs_baseline"), nullptr);
  EXPECT_GE(ws->score, 40);
}

// A host with too little history of its own is judged against its role's host-days: roles of
// flow-only hosts come from host_roles networks.
TEST(HostBaseline, RoleFromNetworksPoolsHostDays) {
  World w;
  std::string err;
  ASSERT_TRUE(apply_config_yaml("host_roles:\n"
                                "  - {role: kiosk, networks: [10.1.16.0/24], criticality: 1.0}\n"
                                "  - {role: workstation, patterns: ['*']}\n",
                                w.cfg, err))
      << err;
  w.background_hosts(8);
  // Six kiosks send 50 MB a day for 4 days; a seventh only shows up on its last day, with 5 GB.
  for (int k = 0; k < 6; ++k) {
    const std::string a = "10.1.16." + std::to_string(30 + k);
    for (int d = 0; d < 4; ++d)
      w.flow(a.c_str(), "198.51.100.10", 443, day0(w) + d * kDay + 10 * kHour, 10 * kMin, 50 * kMB, 5 * kMB);
  }
  w.flow("10.1.16.99", "203.0.113.9", 443, day0(w) + 3 * kDay + 11 * kHour, 30 * kMin, 5 * kGB, 5 * kMB);
  const auto r = w.hunt();
  const Finding* f = World::find_flow_host(r, "10.1.16.99");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->host_role, "kiosk");
  const Factor* vb = World::factor(f, "volume_vs_baseline");
  ASSERT_NE(vb, nullptr);
  EXPECT_NE(vb->baseline.find("role kiosk"), std::string::npos) << vb->baseline;
  // An address in no role's networks and without a name gets no role (not the catch-all).
  ContextRules rules(w.cfg);
  IpAddr other;
  IpAddr::parse("10.2.0.1", other);
  EXPECT_EQ(flow_host_role(w.cfg, rules, "", other), nullptr);
  EXPECT_EQ(flow_host_role(w.cfg, rules, "PC-7", other)->role, "workstation");
}

TEST(DailyProfile, DaysHoursAndSamples) {
  DailyProfile p;
  const TimeNs m = 20'000 * kDay;
  p.add(m + 23 * kHour, 100);
  p.add(m + kDay + 1 * kHour, 300);
  p.add(m + 2 * kDay + 1 * kHour, 200);
  p.add(m + 2 * kDay, 0);       // nothing sent: not a day
  p.add(kNoTime, 50);           // no time: not counted
  EXPECT_EQ(p.day_out.size(), 3u);
  EXPECT_EQ(p.peak().second, 300u);
  size_t samples = 0;
  p.for_each_sample([&](int64_t, uint64_t v) {
    ++samples;
    EXPECT_EQ(v, 300u);
  });
  EXPECT_EQ(samples, 1u);  // first and last day are partial
  EXPECT_EQ(p.hours_holding(0.9), 3);  // 23:00 to 02:00, across midnight
  EXPECT_EQ(DailyProfile::day_of(-1), -1);
}

}  // namespace
}  // namespace outflow
