// `outflow simulate --formats srum` (srum_writer.h): the other outputs are byte for byte the
// same with and without it; each host's SRUM bytes are its flows' bytes (Zeek's conn.log), also
// where a sensor lost them; rows read back through the SrumECmd reader of `outflow usage`.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "outflow/read/srum/srum_export.h"
#include "outflow/simulate/rng.h"
#include "outflow/simulate/simulator.h"
#include "outflow/simulate/srum_writer.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::lines_of;
using testing::slurp;

struct Sent {
  uint64_t sent = 0, recvd = 0;
  bool operator==(const Sent&) const = default;
};

srum::UsageFile read_srum(const fs::path& p) {
  const std::string text = slurp(p);
  EXPECT_EQ(srum::detect_export(text), srum::ExportShape::srumecmd_csv) << p;
  srum::UsageFile f;
  srum::read_export(text, srum::ExportShape::srumecmd_csv, p.string(), f);
  EXPECT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.bad_rows, 0u) << p;
  return f;
}

// Program rows summed per host, from DIR/srum; each interval's interface total checked to be
// the sum of its program rows.
std::map<std::string, Sent> srum_per_host(const fs::path& org, const Organisation& o) {
  std::map<std::string, Sent> per;
  for (const auto& h : o.hosts) {
    const srum::UsageFile f = read_srum(org / "srum" / SrumWriter::file_name(h));
    std::map<TimeNs, Sent> rows, totals;
    for (const auto& r : f.rows) {
      Sent& s = r.interface_total ? totals[r.end] : rows[r.end];
      s.sent += r.bytes_sent;
      s.recvd += r.bytes_recvd;
      if (!r.interface_total) {
        EXPECT_FALSE(r.program.empty());
        EXPECT_TRUE(r.user_sid.starts_with("S-1-5-")) << r.user_sid;
      }
    }
    EXPECT_EQ(rows, totals) << h.name << ": interface totals are the sums of the intervals' rows";
    Sent& s = per[h.name];
    for (const auto& [t, b] : rows) s.sent += b.sent, s.recvd += b.recvd;
  }
  return per;
}

// Zeek's conn.log per host: sent = orig_bytes as originator + resp_bytes as responder.
std::map<std::string, Sent> zeek_per_host(const fs::path& org, const Organisation& o) {
  std::map<std::string, std::string> name_of;
  for (const auto& h : o.hosts) name_of[h.ip_text] = h.name;
  std::map<std::string, Sent> per;
  for (const auto& line : lines_of(slurp(org / "zeek" / "conn.log"))) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    size_t at = 0;
    for (size_t i; (i = line.find('\t', at)) != std::string::npos; at = i + 1) f.push_back(line.substr(at, i - at));
    f.push_back(line.substr(at));
    const uint64_t ob = std::stoull(f[9]), rb = std::stoull(f[10]);
    if (auto it = name_of.find(f[2]); it != name_of.end()) per[it->second].sent += ob, per[it->second].recvd += rb;
    if (auto it = name_of.find(f[4]); it != name_of.end()) per[it->second].sent += rb, per[it->second].recvd += ob;
  }
  return per;
}

// Every file under `dir` by its path under it.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> m;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) m[fs::relative(e.path(), dir).string()] = slurp(e.path());
  return m;
}

SimulateOptions options(const fs::path& out, bool srum, int drops = 0) {
  SimulateOptions o = testing::org_options(out, 18, 8, 2);
  o.suricata = true;
  o.srum = srum;
  o.sensor_drops_outgoing = drops;
  return o;
}

TEST(SimulateSrum, OtherOutputsTheSameAndSrumBytesAreTheFlowsBytes) {
  TempDir without("srum-without"), with("srum-with"), lossy("srum-lossy");
  SimulateResult a, b, c;
  std::string err;
  ASSERT_TRUE(simulate(options(without.path, false), a, err)) << err;
  ASSERT_TRUE(simulate(options(with.path, true), b, err)) << err;
  ASSERT_TRUE(simulate(options(lossy.path, true, 1), c, err)) << err;

  // The other formats and the labels: byte for byte, whether SRUM is written or not.
  auto theirs = files_under(without.path), ours = files_under(with.path);
  EXPECT_FALSE(fs::exists(without.path / "srum"));
  size_t srum_files = 0;
  for (auto it = ours.begin(); it != ours.end();)
    if (it->first.starts_with("srum/")) ++srum_files, it = ours.erase(it);
    else ++it;
  EXPECT_EQ(srum_files, b.org.hosts.size());
  ASSERT_EQ(theirs.size(), ours.size());
  for (const auto& [name, text] : theirs) EXPECT_TRUE(ours[name] == text) << name << " differs with --formats srum";
  EXPECT_EQ(a.labels.size(), b.labels.size());
  EXPECT_GT(b.srum_rows, 1000u);

  // Each host's bytes, summed from its SRUM rows, are its connections' payload in Zeek's conn.log.
  auto srum = srum_per_host(with.path, b.org), zeek = zeek_per_host(with.path, b.org);
  ASSERT_EQ(srum.size(), b.org.hosts.size());
  size_t busy = 0;
  for (const auto& [host, s] : srum) {
    busy += s.sent > 0;  // a workstation may stay off both days
    EXPECT_EQ(s, zeek[host]) << host << ": SRUM sent " << s.sent << " received " << s.recvd << ", Zeek "
                             << zeek[host].sent << " / " << zeek[host].recvd;
  }
  EXPECT_GE(busy, b.org.hosts.size() - 2);

  // A sensor that loses a host's outgoing packets changes Zeek, never what the hosts counted.
  for (const auto& h : c.org.hosts) {
    const std::string name = "srum/" + SrumWriter::file_name(h);
    EXPECT_TRUE(slurp(lossy.path / name) == slurp(with.path / name)) << name;
  }
  auto lossy_zeek = zeek_per_host(lossy.path, c.org);
  int dropping = 0;
  for (const auto& h : c.org.hosts)
    if (h.sensor_drops_outgoing) {
      ++dropping;
      EXPECT_LT(lossy_zeek[h.name].sent, srum[h.name].sent / 2) << h.name;
    }
  EXPECT_EQ(dropping, 1);
}

// One host, by hand: a connection over three hours is split in proportion to time, ids and
// names are as SrumECmd writes them, a kernel connection is "System".
TEST(SimulateSrum, SplitsLongConnectionsOverTheHours) {
  TempDir dir("srum-split");
  TimeNs start = 0;
  ASSERT_TRUE(parse_datetime("2026-01-05T00:00:00Z", start));
  Organisation org = build_organisation(7, 6, 1, start);
  for (auto& h : org.hosts) h.clock_offset = 0;
  SrumWriter w(org, 7, dir.path.string());
  const Host& ws = org.hosts[static_cast<size_t>(org.workstations.at(0))];
  SimProcess p;
  p.image = "C:\\Users\\x\\AppData\\Roaming\\Tool\\Up.exe";
  p.user = org.account(ws.user);
  SimConn c;
  c.start = start + 10 * kHour;
  c.duration = 3 * kHour;
  c.out_bytes = 3'000'000'001;
  c.in_bytes = 7;
  w.add(ws.index, &p, c, true);
  SimConn in = c;
  in.duration = kNsPerSec;
  in.out_bytes = 100;
  in.in_bytes = 40;
  w.add(ws.index, nullptr, in, false);  // accepted by the kernel: it sent 40, received 100
  SimConn rejected = in;
  rejected.outcome = SimConn::Outcome::rejected;
  w.add(ws.index, &p, rejected, true);  // no payload: no row
  std::string err;
  ASSERT_TRUE(w.flush_before(start + 11 * kHour, err)) << err;  // the first interval only
  ASSERT_TRUE(w.flush_before(std::numeric_limits<TimeNs>::max(), err)) << err;

  const srum::UsageFile f = read_srum(dir.path / SrumWriter::file_name(ws));
  uint64_t sent = 0, recvd = 0, system_recvd = 0;
  std::vector<uint64_t> shares;
  for (const auto& r : f.rows) {
    if (r.interface_total) continue;
    if (r.program == "System") {
      EXPECT_EQ(r.user_sid, "S-1-5-18");
      EXPECT_EQ(r.user_name, "systemprofile");
      system_recvd += r.bytes_recvd;
      EXPECT_EQ(r.bytes_sent, 40u);
      continue;
    }
    EXPECT_EQ(r.program, "\\device\\harddiskvolume3\\users\\x\\appdata\\roaming\\tool\\up.exe");
    EXPECT_EQ(r.user_name, org.users[static_cast<size_t>(ws.user)].name);
    EXPECT_TRUE(r.user_sid.starts_with("S-1-5-21-") && r.user_sid.ends_with(std::to_string(1105 + ws.user))) << r.user_sid;
    sent += r.bytes_sent;
    recvd += r.bytes_recvd;
    shares.push_back(r.bytes_sent);
  }
  EXPECT_EQ(system_recvd, 100u);
  EXPECT_EQ(sent, c.out_bytes);
  EXPECT_EQ(recvd, c.in_bytes);
  ASSERT_EQ(shares.size(), 4u);  // three hours from a flush at some minute past: four intervals
  for (const uint64_t s : shares) EXPECT_LE(s, 1'000'000'001u);
  // Rows are stamped at whole seconds, an hour apart.
  std::vector<TimeNs> ends;
  for (const auto& r : f.rows)
    if (r.interface_total) ends.push_back(r.end);
  ASSERT_EQ(ends.size(), 4u);
  for (size_t i = 1; i < ends.size(); ++i) EXPECT_EQ(ends[i] - ends[i - 1], kHour);
  EXPECT_EQ(ends[0] % kNsPerSec, 0);
}

TEST(SimulateSrum, ProgramsAsSrumNamesThem) {
  SimProcess p;
  p.image = "C:\\Windows\\System32\\svchost.exe";
  p.command_line = "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache";
  EXPECT_EQ(SrumWriter::program_of(p), "Dnscache");
  p.image = "C:\\Users\\Public\\svchost.exe";  // not the real one: a path
  p.command_line = "C:\\Users\\Public\\svchost.exe -k netsvcs -s Fake";
  EXPECT_EQ(SrumWriter::program_of(p), "\\device\\harddiskvolume3\\users\\public\\svchost.exe");
  p.image = "System";
  EXPECT_EQ(SrumWriter::program_of(p), "System");
}

}  // namespace
}  // namespace outflow::sim
