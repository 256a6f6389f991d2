// Test helpers: a temporary folder, and a simulated organisation written into one, with its
// files as inputs read merged by time.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "outflow/read/merged_reader.h"
#include "outflow/simulate/simulator.h"

namespace outflow::testing {

// A folder made for the test and removed at its end.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag) {
    path = std::filesystem::temp_directory_path() / ("outflow-test-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `name` in the folder; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

// An organisation of `hosts` hosts over `days` days from 2026-01-05, every scenario planted,
// written to `out`.
// A file's bytes, and a text's lines (the simulate tests compare outputs).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    v.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return v;
}

inline sim::SimulateOptions org_options(const std::filesystem::path& out, uint64_t seed, int hosts, int days) {
  sim::SimulateOptions o;
  o.seed = seed;
  o.hosts = hosts;
  o.days = days;
  EXPECT_TRUE(parse_datetime("2026-01-05T00:00:00Z", o.start));
  o.out = out.string();
  for (const auto n : sim::scenario_names()) o.scenarios.emplace_back(n);
  return o;
}

// Its Sysmon files (one per host, sorted) and its Zeek conn.log, as inputs merged by time.
inline std::vector<MergeInput> org_inputs(const std::filesystem::path& org) {
  std::vector<MergeInput> in;
  for (const auto& e : std::filesystem::directory_iterator(org / "sysmon")) {
    const std::string f = e.path().string();
    in.push_back({f, probe_first_time(f), true});
  }
  std::sort(in.begin(), in.end(), [](const MergeInput& a, const MergeInput& b) { return a.path < b.path; });
  const std::string conn = (org / "zeek" / "conn.log").string();
  in.push_back({conn, probe_first_time(conn), false});
  return in;
}

}  // namespace outflow::testing
