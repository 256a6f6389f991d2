// Load time, memory and lookup speed of one million indicators (issue 17): writes a plain feed
// (IPv4, CIDRs, IPv6, domains, subdomain entries, URLs) and a STIX 2.1 bundle of the same size
// class, loads each through the normal loader, and looks up one million destinations.
//
// Usage: intel_load_bench [N=1000000] [DIR=/tmp] [plain|stix|stix1]. Prints one line per step; peak RSS is the
// process's (getrusage), so run one load per process for a clean figure: `intel_load_bench N DIR
// plain` or `... stix`.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "outflow/intel/feed_loader.h"

using namespace outflow;

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
long rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::string indicator(size_t i) {
  switch (i % 10) {
    case 0: case 1: case 2: case 3: return "10." + std::to_string(i >> 16 & 255) + "." + std::to_string(i >> 8 & 255) + "." + std::to_string(i & 255);
    case 4: return "172." + std::to_string(16 + (i >> 16 & 15)) + "." + std::to_string(i >> 8 & 255) + ".0/24";
    case 5: {
      char b[64];
      std::snprintf(b, sizeof b, "2001:db8:%zx::%zx", i % 0xffff, i >> 4 & 0xffff);
      return b;
    }
    case 6: case 7: return "host" + std::to_string(i) + ".bad-domain" + std::to_string(i % 1000) + ".example";
    case 8: return ".zone" + std::to_string(i) + ".example.net";
    default: return "http://drop" + std::to_string(i) + ".example.org/path/" + std::to_string(i) + ".php";
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const std::string which = argc > 3 ? argv[3] : "plain";
  const bool stix = which == "stix" || which == "stix1";
  const std::string path = dir + "/intel_bench_" + which + "_" + std::to_string(n) + (stix ? ".json" : ".txt");
  {
    std::ofstream out(path);
    if (stix) {
      // "stix": one indicator object per 10 values (patterns joined by OR), as sharing communities
      // write them; "stix1": one object per value, as a TAXII collection's export is.
      const size_t per = which == "stix" ? 10 : 1;
      out << "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[\n";
      for (size_t i = 0; i < n; i += per) {
        out << (i ? ",\n" : "") << "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" << i
            << "\",\"created\":\"2026-11-01T00:00:00Z\",\"valid_from\":\"2026-11-01T00:00:00Z\",\"confidence\":80,\"pattern_type\":\"stix\",\"pattern\":\"";
        for (size_t k = i; k < i + per && k < n; ++k) {
          const std::string v = indicator(k);
          const char* t = k % 10 < 5 ? "ipv4-addr" : k % 10 == 5 ? "ipv6-addr" : k % 10 == 9 ? "url" : "domain-name";
          out << (k > i ? " OR " : "") << "[" << t << ":value = '" << (v[0] == '.' ? v.substr(1) : v) << "']";
        }
        out << "\"}";
      }
      out << "]}\n";
    } else {
      for (size_t i = 0; i < n; ++i) out << indicator(i) << '\n';
    }
  }
  const long rss0 = rss_kb();
  const double t0 = now_s();
  IntelSet set;
  std::string err;
  if (!load_intel({FeedSpec{which, path, IntelKind::malicious, 0, 0, true}}, set, err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  const double t1 = now_s();
  std::printf("intel load %s: %zu indicators (%llu bad) in %.3f s; store %.1f MB; peak RSS %.1f MB (before loading %.1f MB)\n",
              which.c_str(), set.size(), static_cast<unsigned long long>(set.stats()[0].bad), t1 - t0,
              static_cast<double>(set.memory_bytes()) / 1e6, static_cast<double>(rss_kb()) / 1e3, static_cast<double>(rss0) / 1e3);
  // One million lookups: an address and a name per destination, half of them listed.
  std::vector<IntelMatch> m;
  size_t hits = 0;
  const double t2 = now_s();
  for (size_t i = 0; i < 1'000'000; ++i) {
    IpAddr a = IpAddr::v4(static_cast<uint32_t>((10u << 24) | (i * 7919 & 0xffffff)));
    m.clear();
    set.match_ip(a, kNoTime, kNoTime, m);
    set.match_name("host" + std::to_string(i * 3) + ".bad-domain" + std::to_string(i * 3 % 1000) + ".example", kNoTime, kNoTime, m);
    hits += !m.empty();
  }
  std::printf("intel lookup: 1,000,000 destinations (address + name) in %.3f s, %zu with a match\n", now_s() - t2, hits);
  std::remove(path.c_str());
  return 0;
}
