#include "outflow/score/usage_findings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "outflow/score/hunter.h"
#include "outflow/score/points.h"

namespace outflow {
namespace {

constexpr TimeNs kH = 3600 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;
const char* kUserSid = "S-1-5-21-1-2-3-1001";

srum::UsageRecord row(TimeNs end, const std::string& program, const std::string& sid, uint64_t sent, uint64_t recvd) {
  static int64_t id = 0;
  srum::UsageRecord r;
  std::tie(r.end, r.program, r.user_sid, r.interface_luid, r.bytes_sent, r.bytes_recvd, r.row_id) =
      std::make_tuple(end, program, sid, 1689399632855040ULL, sent, recvd, ++id);
  r.kind = srum::kind_of_program_text(program);
  return r;
}

HostEvent start(TimeNs t, const char* guid, uint64_t pid, const char* image, const char* parent_guid, const char* parent_image) {
  HostEvent e;
  e.type = HostEventType::process_start;
  e.time = t;
  e.host = "WS1";
  e.process_guid = guid;
  e.parent_guid = parent_guid;
  e.pid = pid;
  e.image = image;
  e.parent_image = parent_image;
  e.user = "CORP\\alice";
  return e;
}

const UsageFinding* find(const UsageScoreResult& r, const std::string& program_suffix, const std::string& sid = kUserSid) {
  for (const auto& f : r.findings)
    if (f.u.program.ends_with(program_suffix) && f.u.user_sid == sid) return &f;
  return nullptr;
}

bool has(const UsageFinding& f, const std::string& factor) {
  return std::any_of(f.factors.begin(), f.factors.end(), [&](const Factor& x) { return x.name == factor; });
}

// WS1: Excel starts powershell, which starts rclone from the user's Downloads; rclone sends
// 3 GB in one hour. Twelve hosts' Teams sends a few MB an hour (the baseline); a
// svchost-hosted service and a program with no event log are there too.
struct Fixture {
  srum::UsageFile file;
  ProcessLog log;
  UsageAggregator agg{{"WS1", "WS2"}};
  UsageScoreResult res;

  Fixture() {
    log.on_host_event(start(9 * kH, "{X}", 100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "{E}", "C:\\Windows\\explorer.exe"));
    log.on_host_event(start(10 * kH + 60 * kNsPerSec, "{P}", 200,
                            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "{X}", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE"));
    log.on_host_event(start(10 * kH + 120 * kNsPerSec, "{R}", 300, "C:\\Users\\alice\\Downloads\\rclone.exe", "{P}",
                            "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"));
    // Two processes of one image in one interval: candidates, never split.
    log.on_host_event(start(13 * kH + 60 * kNsPerSec, "{C1}", 400, "C:\\Tools\\curl.exe", "{E}", "C:\\Windows\\explorer.exe"));
    log.on_host_event(start(13 * kH + 90 * kNsPerSec, "{C2}", 401, "C:\\Tools\\curl.exe", "{E}", "C:\\Windows\\explorer.exe"));

    const std::string teams = "\\Device\\HarddiskVolume3\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe";
    agg.begin_input(0, &file, &log);
    for (TimeNs h = 9; h <= 14; ++h) agg.on_usage(row(h * kH, teams, kUserSid, 2 * kMB, 20 * kMB));
    agg.on_usage(row(11 * kH, "\\Device\\HarddiskVolume3\\Users\\alice\\Downloads\\rclone.exe", kUserSid, 3000 * kMB, 5 * kMB));
    agg.on_usage(row(14 * kH, "\\Device\\HarddiskVolume3\\Tools\\curl.exe", kUserSid, 40 * kMB, kMB));
    agg.on_usage(row(14 * kH, "DoSvc", "S-1-5-20", 50 * kMB, 900 * kMB));
    agg.on_usage(row(14 * kH, "\\Device\\HarddiskVolume3\\ProgramData\\upd\\svchost.exe", "S-1-5-18", 100, 100));
    agg.end_input();
    // WS2: no event log read beside its SRUM.
    agg.begin_input(1, &file, nullptr);
    for (int k = 0; k < 11; ++k)
      agg.on_usage(row((9 + k) * kH, teams, "S-1-5-21-9-9-9-" + std::to_string(1100 + k), 3 * kMB, 30 * kMB));
    agg.on_usage(row(12 * kH, "\\Device\\HarddiskVolume3\\Users\\bob\\rclone.exe", "S-1-5-21-9-9-9-1100", 20 * kMB, kMB));
    agg.end_input();
    res = score_usage(default_config(), agg);
  }
};

TEST(UsageFindings, AnUploadJoinedToOneProcessIsThatProcesssFinding) {
  Fixture fx;
  EXPECT_EQ(fx.res.hosts, 2u);
  const UsageFinding* f = find(fx.res, "rclone.exe");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->u.host, "WS1");
  EXPECT_EQ(f->entity, "process");
  EXPECT_EQ(f->process.entity_id, "{R}");
  EXPECT_EQ(f->finding_id, process_finding_id("WS1", "{R}"));  // the hunt's id for that process
  EXPECT_EQ(f->user, "CORP\\alice");
  EXPECT_EQ(f->user_name_source, "process");
  for (const char* x : {"volume_out", "upload_ratio", "transfer_tool", "user_writable_path", "suspicious_lineage"})
    EXPECT_TRUE(has(*f, x)) << x;
  EXPECT_GE(f->score, 60);
  EXPECT_EQ(f->start, 10 * kH);  // the interval before: the previous stamp an hour earlier
  ASSERT_EQ(f->intervals.size(), 1u);
  EXPECT_EQ(f->intervals[0].sent, 3000 * kMB);
  EXPECT_EQ(fx.res.findings.front().u.program, f->u.program);  // ranked first
  EXPECT_NE(std::find(f->techniques.begin(), f->techniques.end(), "T1048"), f->techniques.end());
}

TEST(UsageFindings, SeveralProcessesOrNoneStayTheProgramsFindingAndSayWhy) {
  Fixture fx;
  const UsageFinding* curl = find(fx.res, "curl.exe");
  ASSERT_NE(curl, nullptr);
  EXPECT_EQ(curl->entity, "program");
  ASSERT_EQ(curl->intervals.size(), 1u);
  EXPECT_EQ(curl->intervals[0].processes.size(), 2u);
  EXPECT_EQ(curl->intervals[0].sent, 40 * kMB);  // not split between them
  EXPECT_TRUE(curl->caveats.front().starts_with("no single process: 2 processes")) << curl->caveats.front();
  EXPECT_EQ(curl->user, "CORP\\alice");  // both candidates name the same user
  const UsageFinding* other = find(fx.res, "rclone.exe", "S-1-5-21-9-9-9-1100");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->entity, "program");
  EXPECT_EQ(other->intervals[0].join_reason, "no Windows event log of this host was read");
  EXPECT_TRUE(other->user.empty());  // the SID only: unknown, not guessed
  const UsageFinding* svc = find(fx.res, "DoSvc", "S-1-5-20");
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->intervals[0].join_reason, "not_a_path");
  EXPECT_EQ(svc->user_class, UserClass::network_service);
}

TEST(UsageFindings, ContextAloneStaysUnderTheCapAndTheBaselineHalvesTheUsual) {
  Fixture fx;
  const UsageFinding* fake = find(fx.res, "svchost.exe", "S-1-5-18");
  ASSERT_NE(fake, nullptr);
  EXPECT_TRUE(has(*fake, "masquerade"));  // svchost.exe outside System32 raises on its own
  EXPECT_TRUE(has(*fake, "service_context"));
  EXPECT_FALSE(has(*fake, "volume_out"));  // 100 bytes
  // Teams on WS1 sends what Teams sends on the other users' and hosts' intervals: halved.
  const UsageFinding* teams = find(fx.res, "Teams.exe");
  ASSERT_NE(teams, nullptr);
  EXPECT_FALSE(has(*teams, "volume_vs_baseline"));
  EXPECT_LT(teams->score, 35);
}

TEST(UsageFindings, FoldedIntoTheHuntsProcessFindingAndRankedInOneList) {
  Fixture fx;
  HuntResult r;
  ProcessActivity act;
  act.sessions = 4;
  act.sessions_out_unknown = 4;  // the sensor did not see the bytes out
  r.activities.push_back(act);
  Finding pf;
  pf.proc = 7;
  pf.act = &r.activities.back();
  pf.finding_id = process_finding_id("ws1", "{R}");  // the host's name in any case
  pf.factors.push_back(Factor{"transfer_tool", "rclone.exe", "", "", "", 12});
  pf.score = 12;
  r.findings.push_back(pf);
  Finding other;
  other.proc = 8;
  other.finding_id = "other";
  other.score = 45;
  r.findings.push_back(other);

  auto usage = fx.res.findings;
  EXPECT_EQ(merge_usage_findings(r, usage).folded, 1u);
  const Finding& m = r.findings[0];
  const UsageFinding* rc = find(fx.res, "rclone.exe");
  EXPECT_GE(rc->volume_points, 30);
  EXPECT_EQ(m.score, 12 + rc->volume_points);  // SRUM's 3 GB counts where the sensor's volume was unknown
  EXPECT_TRUE(std::any_of(m.factors.begin(), m.factors.end(), [](const Factor& x) { return x.name == "srum_upload" && x.contribution > 0; }));
  EXPECT_TRUE(std::any_of(m.caveats.begin(), m.caveats.end(), [](const std::string& c) { return c.find("SRUM counted") != std::string::npos; }));

  size_t reported = 0;
  const auto order = rank_together(r, usage, 40, reported);
  ASSERT_GE(order.size(), 3u);
  EXPECT_FALSE(order[0].usage);
  EXPECT_EQ(order[0].index, 0u);  // the merged process finding first
  EXPECT_EQ(r.findings[0].rank, 1);
  const auto score = [&](const RankedRef& x) { return x.usage ? usage[x.index].score : r.findings[x.index].score; };
  for (size_t i = 1; i < order.size(); ++i) EXPECT_GE(score(order[i - 1]), score(order[i])) << i;  // one list, by score
  for (const auto& x : order)
    if (x.usage) {
      EXPECT_TRUE(usage[x.index].folded_into.empty());  // the folded one is not listed twice
    }
  size_t ranked = 0;
  for (const auto& u : usage) ranked += u.rank > 0;
  for (const auto& f : r.findings) ranked += f.rank > 0;
  EXPECT_EQ(ranked, reported);
}

TEST(UsageFindings, ASensorThatSawTheVolumeKeepsItsOwnScore) {
  Fixture fx;
  HuntResult r;
  ProcessActivity act;
  act.sessions = 4;
  r.activities.push_back(act);
  Finding pf;
  pf.proc = 7;
  pf.act = &r.activities.back();
  pf.finding_id = process_finding_id("WS1", "{R}");
  pf.factors.push_back(Factor{"volume_out", "3 GB", "", "", "", 30});
  pf.score = 30;
  r.findings.push_back(pf);
  auto usage = fx.res.findings;
  EXPECT_EQ(merge_usage_findings(r, usage).folded, 1u);
  EXPECT_EQ(r.findings[0].score, 30);  // SRUM confirms; it adds no points twice
  const auto& fs = r.findings[0].factors;
  const auto it = std::find_if(fs.begin(), fs.end(), [](const Factor& x) { return x.name == "srum_upload"; });
  ASSERT_NE(it, fs.end());
  EXPECT_EQ(it->contribution, 0);
}

TEST(UsageFindings, DestinationsFromTheSensorsJudgementOfItsProcessesElseItsHostsHours) {
  Fixture fx;
  HuntResult r;
  HuntResult::Judged c1, c2, host;
  c1.dests = {{"transfer.sh:443", 13 * kH, 14 * kH, 30 * kMB, false}};
  c2.dests = {{"transfer.sh:443", 13 * kH, 14 * kH, 10 * kMB, false}, {"example.org:443", 13 * kH, 14 * kH, kMB, true}};
  c1.reported = true;  // one was reported: the program's finding stands, with their destinations
  r.judged[process_finding_id("WS1", "{C1}")] = c1;
  r.judged[process_finding_id("WS1", "{C2}")] = c2;
  // The host's unattributed traffic: one destination in Teams's hours, one days later.
  host.dests = {{"teams.microsoft.com:443", 12 * kH, 12 * kH + 600 * kNsPerSec, 5 * kMB, false},
                {"far.example:443", 60 * kH, 61 * kH, 50 * kMB, false}};
  r.judged["host:ws1"] = host;
  auto usage = fx.res.findings;
  const MergeCounts m = merge_usage_findings(r, usage);
  EXPECT_EQ(m.folded + m.suppressed + m.below, 0u);
  const auto at = [&](const char* suffix) {
    return *std::find_if(usage.begin(), usage.end(), [&](const UsageFinding& f) { return f.u.program.ends_with(suffix) && f.u.host == "WS1"; });
  };
  const UsageFinding curl = at("curl.exe");
  ASSERT_EQ(curl.sensor_dests.size(), 2u);
  EXPECT_EQ(curl.sensor_dests[0].label, "transfer.sh:443");
  EXPECT_EQ(curl.sensor_dests[0].bytes_out, 40 * kMB);  // both candidates' bytes to it
  EXPECT_FALSE(curl.sensor_dests[0].from_host);
  EXPECT_TRUE(curl.sensor_dests[1].bytes_unknown);
  const UsageFinding teams = at("Teams.exe");
  ASSERT_EQ(teams.sensor_dests.size(), 1u);  // the far one is outside its hours
  EXPECT_EQ(teams.sensor_dests[0].label, "teams.microsoft.com:443");
  EXPECT_TRUE(teams.sensor_dests[0].from_host);
  EXPECT_TRUE(std::any_of(teams.caveats.begin(), teams.caveats.end(), [](const std::string& c) { return c.find("not proven") != std::string::npos; }));
}

TEST(UsageFindings, WithoutAnyProcessEventAnExclusionIsCheckedOnItsPathAlone) {
  // No Sysmon at all: nothing gives OneDrive's company, so onedrive-sync matches on its path and
  // says what it could not check; a renamed tool elsewhere is not excused.
  srum::UsageFile file;
  UsageAggregator agg{{"WS9"}};
  agg.begin_input(0, &file, nullptr);
  agg.on_usage(row(10 * kH, "\\Device\\HarddiskVolume3\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe", kUserSid, 900 * kMB, kMB));
  agg.on_usage(row(10 * kH, "\\Device\\HarddiskVolume3\\Users\\Public\\OneDrive.exe", kUserSid, 900 * kMB, kMB));
  agg.end_input();
  const UsageScoreResult res = score_usage(default_config(), agg);
  ASSERT_EQ(res.findings.size(), 2u);
  for (const auto& f : res.findings) {
    if (f.u.executable.find("microsoft\\onedrive") != std::string::npos) {
      EXPECT_EQ(f.suppressed_by, "onedrive-sync");
      EXPECT_TRUE(std::any_of(f.caveats.begin(), f.caveats.end(), [](const std::string& c) { return c.find("company") != std::string::npos; }));
    } else {
      EXPECT_EQ(f.suppressed_by, "") << f.u.executable;
    }
  }
}

TEST(UsageFindings, ASidIsNamedByTheHostsSecurityEventsWhenNoProcessNamesIt) {
  ProcessLog log;
  HostEvent e = start(9 * kH, "", 500, "C:\\Windows\\System32\\whoami.exe", "", "");
  e.user = "CORP\\bob";
  e.user_sid = "S-1-5-21-1-2-3-1107";
  log.on_host_event(e);
  srum::UsageFile file;
  UsageAggregator agg{{"WS1"}};
  agg.begin_input(0, &file, &log);
  agg.on_usage(row(10 * kH, "\\Device\\HarddiskVolume3\\Tools\\7z.exe", "S-1-5-21-1-2-3-1107", 5 * kMB, kMB));
  agg.end_input();
  const UsageScoreResult res = score_usage(default_config(), agg);
  ASSERT_EQ(res.findings.size(), 1u);
  EXPECT_EQ(res.findings[0].user, "CORP\\bob");
  EXPECT_EQ(res.findings[0].user_name_source, "security_log");
}

TEST(UsageFindings, VolumeToDestinationsCommonInTheOrganisationCountsHalf) {
  // Six hosts' Outlook connect to outlook.office.com; on WS1 Outlook sends 300 MB and a tool
  // 300 MB to a destination no other host uses.
  ProcessLog log;
  for (int k = 0; k < 6; ++k) {
    const std::string host = "WS" + std::to_string(k + 1), guid = "{O" + std::to_string(k) + "}";
    HostEvent o = start(9 * kH, guid.c_str(), 100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "", "");
    o.host = host;
    log.on_host_event(o);
    HostEvent q = o;
    q.type = HostEventType::dns_query, q.time += 1, q.query_name = "outlook.office.com", q.query_results = "52.96.1.1;";
    log.on_host_event(q);
    HostEvent c = o;
    c.type = HostEventType::net_connect, c.time += 2, c.dst_port = 443, c.initiated = 1;
    IpAddr::parse("52.96.1.1", c.dst_ip);
    log.on_host_event(c);
  }
  HostEvent t = start(9 * kH, "{T}", 200, "C:\\Tools\\up.exe", "", "");
  log.on_host_event(t);
  HostEvent tc = t;
  tc.type = HostEventType::net_connect, tc.time += 2, tc.dst_port = 443, tc.initiated = 1;
  IpAddr::parse("203.0.113.9", tc.dst_ip);
  log.on_host_event(tc);
  srum::UsageFile file;
  UsageAggregator agg{{"WS1"}};
  agg.begin_input(0, &file, &log);
  agg.on_usage(row(10 * kH, "\\Device\\HarddiskVolume3\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", kUserSid, 300 * kMB, kMB));
  agg.on_usage(row(10 * kH, "\\Device\\HarddiskVolume3\\Tools\\up.exe", kUserSid, 300 * kMB, kMB));
  agg.end_input();
  const UsageScoreResult res = score_usage(default_config(), agg);
  ASSERT_EQ(res.findings.size(), 2u);
  const auto vol = [](const UsageFinding& f) {
    for (const auto& x : f.factors)
      if (x.name == "volume_out") return x.contribution;
    return 0.0;
  };
  const UsageFinding& tool = res.findings[0].u.program.ends_with("up.exe") ? res.findings[0] : res.findings[1];
  const UsageFinding& mail = &tool == &res.findings[0] ? res.findings[1] : res.findings[0];
  EXPECT_GT(vol(tool), 0);
  EXPECT_NEAR(vol(mail), round1(vol(tool) / 2), 0.05);
  EXPECT_EQ(mail.sensor_dests.front().label, "outlook.office.com:443");
  EXPECT_TRUE(std::any_of(mail.caveats.begin(), mail.caveats.end(), [](const std::string& c) { return c.find("common") != std::string::npos; }));
}

}  // namespace
}  // namespace outflow
