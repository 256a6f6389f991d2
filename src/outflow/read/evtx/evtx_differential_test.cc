// Differential test: every record libevtx's evtxexport can read in the EVTX files of
// ../shared/datasets must come out of our reader with the same record id, time, event id,
// provider, channel, computer and EventData/Data name/value pairs. Files evtxexport gives up on
// are listed, and ours must read them whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "outflow/read/evtx/evtx_file.h"

namespace outflow::evtx {
namespace {

namespace fs = std::filesystem;

struct RefRecord {
  std::string record_id, event_id, provider, channel, computer, time;
  std::vector<std::pair<std::string, std::string>> data;
};

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static const std::pair<std::string_view, char> kEnt[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool done = false;
      for (auto [e, c] : kEnt)
        if (s.substr(i, e.size()) == e) {
          out.push_back(c);
          i += e.size() - 1;
          done = true;
          break;
        }
      if (done) continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// Text between `open` and the next '<' after it, within [from, to).
std::string element_text(std::string_view ev, std::string_view open) {
  const size_t a = ev.find(open);
  if (a == std::string_view::npos) return {};
  const size_t gt = ev.find('>', a);
  if (gt == std::string_view::npos || ev[gt - 1] == '/') return {};
  const size_t lt = ev.find('<', gt);
  return unescape(ev.substr(gt + 1, lt - gt - 1));
}

std::string attr(std::string_view ev, std::string_view elem, std::string_view name) {
  const size_t a = ev.find(elem);
  if (a == std::string_view::npos) return {};
  const size_t end = ev.find('>', a);
  const std::string key = std::string(name) + "=\"";
  const size_t k = ev.find(key, a);
  if (k == std::string_view::npos || k > end) return {};
  const size_t q = ev.find('"', k + key.size());
  return unescape(ev.substr(k + key.size(), q - k - key.size()));
}

// Runs evtxexport; returns false when it failed (records read before the failure are kept).
bool run_evtxexport(const std::string& path, std::vector<RefRecord>& out) {
  std::string cmd = "evtxexport -f xml '";
  for (char c : path) {
    if (c == '\'') cmd += "'\\''";
    else cmd += c;
  }
  cmd += "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return false;
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int rc = pclose(p);
  std::string_view all(text);
  for (size_t pos = 0;;) {
    const size_t a = all.find("<Event xmlns", pos);
    if (a == std::string_view::npos) break;
    const size_t b = all.find("</Event>", a);
    if (b == std::string_view::npos) break;
    const std::string_view ev = all.substr(a, b - a);
    pos = b + 8;
    RefRecord r;
    r.provider = attr(ev, "<Provider ", "Name");
    r.event_id = element_text(ev, "<EventID");
    r.time = attr(ev, "<TimeCreated ", "SystemTime");
    r.record_id = element_text(ev, "<EventRecordID");
    r.channel = element_text(ev, "<Channel");
    r.computer = element_text(ev, "<Computer");
    size_t ed = ev.find("<EventData>");
    if (ed == std::string_view::npos) ed = ev.find("<EventData ");
    if (ed != std::string_view::npos) {
      const size_t ede = ev.find("</EventData>", ed);
      std::string_view d = ev.substr(ed, ede == std::string_view::npos ? std::string_view::npos : ede - ed);
      for (size_t q = 0; (q = d.find("<Data", q)) != std::string_view::npos;) {
        const size_t gt = d.find('>', q);
        if (gt == std::string_view::npos) break;
        const std::string_view tag = d.substr(q, gt - q + 1);
        std::string name = attr(tag, "<Data", "Name");
        std::string value;
        if (tag.size() < 2 || tag[tag.size() - 2] != '/') {
          const size_t close = d.find("</Data>", gt);
          value = unescape(d.substr(gt + 1, close - gt - 1));
          q = close;
        } else {
          q = gt;
        }
        r.data.emplace_back(std::move(name), std::move(value));
      }
    }
    out.push_back(std::move(r));
  }
  return rc == 0;
}

// libevtx writes hex ints zero-padded ("0x00000000000003e7"), Windows does not ("0x3e7").
bool same_value(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a.starts_with("0x") && b.starts_with("0x")) {
    uint64_t x = 0, y = 0;
    auto r1 = std::from_chars(a.data() + 2, a.data() + a.size(), x, 16);
    auto r2 = std::from_chars(b.data() + 2, b.data() + b.size(), y, 16);
    return r1.ptr == a.data() + a.size() && r2.ptr == b.data() + b.size() && x == y;
  }
  return false;
}

struct Collect final : RecordHandler {
  struct Ours {
    uint64_t record_id;
    TimeNs time;
    std::string record_id_text, event_id_text, provider, channel, computer;
    std::vector<std::pair<std::string, std::string>> data;
  };
  std::vector<Ours> recs;
  std::vector<std::string> bad;
  void on_record(const Record& r) override {
    Ours o;
    o.record_id = r.record_id;
    o.time = r.time;
    o.record_id_text = r.record_id_text;
    o.event_id_text = r.event_id_text;
    o.provider = r.provider;
    o.channel = r.channel;
    o.computer = r.computer;
    for (const auto& f : r.data()) o.data.emplace_back(f.name, f.value);
    recs.push_back(std::move(o));
  }
  void on_bad(uint64_t offset, std::string_view reason) override {
    bad.push_back(std::to_string(offset) + ": " + std::string(reason));
  }
};

TEST(EvtxDifferential, MatchesLibevtxOnAllDatasetFiles) {
  const fs::path root = fs::path(OUTFLOW_DATASETS_DIR);
  if (!fs::exists(root / "evtx-attack-samples")) GTEST_SKIP() << "datasets not found at " << root << ": skipped";
  if (std::system("command -v evtxexport >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "evtxexport (libevtx-utils) not installed: run scripts/bootstrap.sh";
  std::vector<std::string> files;
  for (const char* d : {"evtx-attack-samples", "evtx-to-mitre-attack"})
    for (auto& e : fs::recursive_directory_iterator(root / d))
      if (e.is_regular_file() && e.path().extension() == ".evtx") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 500u);

  uint64_t compared = 0, ours_total = 0, mismatches = 0;
  std::vector<std::string> libevtx_failed;
  std::map<std::string, uint64_t> mismatch_kinds;
  for (const auto& path : files) {
    std::vector<RefRecord> ref;
    const bool ref_ok = run_evtxexport(path, ref);
    std::string err;
    auto src = open_byte_source(path, err);
    ASSERT_TRUE(src) << err;
    Collect ours;
    ReadTotals tot;
    ASSERT_TRUE(read_file(*src, ours, tot, err)) << path << ": " << err;
    ours_total += ours.recs.size();
    std::vector<std::string> structural;
    for (const auto& b : ours.bad)
      if (b.find("dirty flag") == std::string::npos) structural.push_back(b);
    EXPECT_TRUE(structural.empty()) << path << ": " << structural.front();
    // Completeness without libevtx: each chunk header says how many records it holds.
    {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), {}};
      uint64_t expected = 0;
      for (size_t off = kFileHeaderSize; off + kChunkSize <= bytes.size(); off += kChunkSize) {
        const auto* c = reinterpret_cast<const uint8_t*>(bytes.data() + off);
        if (std::memcmp(c, "ElfChnk\0", 8) != 0) continue;
        uint64_t first, last;
        std::memcpy(&first, c + 8, 8);
        std::memcpy(&last, c + 16, 8);
        if (last >= first) expected += last - first + 1;
      }
      EXPECT_EQ(ours.recs.size(), expected) << path;
    }
    if (!ref_ok) {
      libevtx_failed.push_back(path + " (libevtx: " + std::to_string(ref.size()) + " records before failing, ours: " +
                               std::to_string(ours.recs.size()) + ")");
      EXPECT_GT(ours.recs.size(), ref.size()) << path;
    }
    // Record ids repeat in some files (merged logs): match the n-th occurrence of each id.
    std::map<std::pair<std::string, int>, size_t> by_id;
    std::map<std::string, int> seen;
    for (size_t i = 0; i < ours.recs.size(); ++i)
      by_id.emplace(std::make_pair(ours.recs[i].record_id_text, seen[ours.recs[i].record_id_text]++), i);
    seen.clear();
    for (const auto& r : ref) {
      auto it = by_id.find(std::make_pair(r.record_id, seen[r.record_id]++));
      ++compared;
      auto miss = [&](const std::string& what, const std::string& detail) {
        ++mismatches;
        if (++mismatch_kinds[what] <= 5)
          ADD_FAILURE() << path << " record " << r.record_id << ": " << what << " differs: " << detail;
      };
      if (it == by_id.end()) {
        miss("missing record", "");
        continue;
      }
      const auto& o = ours.recs[it->second];
      if (o.event_id_text != r.event_id) miss("event id", o.event_id_text + " vs " + r.event_id);
      if (o.provider != r.provider) miss("provider", o.provider + " vs " + r.provider);
      if (o.channel != r.channel) miss("channel", o.channel + " vs " + r.channel);
      if (o.computer != r.computer) miss("computer", o.computer + " vs " + r.computer);
      TimeNs t = kNoTime;
      if (!parse_datetime(r.time, t) || t != o.time) miss("time", r.time + " vs " + std::to_string(o.time));
      if (o.data.size() != r.data.size()) {
        miss("data count", std::to_string(o.data.size()) + " vs " + std::to_string(r.data.size()));
        continue;
      }
      for (size_t k = 0; k < o.data.size(); ++k) {
        if (o.data[k].first != r.data[k].first) miss("data name", o.data[k].first + " vs " + r.data[k].first);
        else if (!same_value(o.data[k].second, r.data[k].second))
          miss("data value " + r.data[k].first, "ours [" + o.data[k].second + "] libevtx [" + r.data[k].second + "]");
      }
    }
  }
  for (const auto& [k, v] : mismatch_kinds) std::printf("[ evtx-diff ] mismatch %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
  std::string failed_list;
  for (const auto& f : libevtx_failed) failed_list += "\n  " + f;
  std::printf("[ evtx-diff ] %zu files, %llu records compared with libevtx, %llu mismatches; ours read %llu "
              "records; libevtx failed on %zu files:%s\n",
              files.size(), static_cast<unsigned long long>(compared), static_cast<unsigned long long>(mismatches),
              static_cast<unsigned long long>(ours_total), libevtx_failed.size(), failed_list.c_str());
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(compared, 15000u);
}

}  // namespace
}  // namespace outflow::evtx
