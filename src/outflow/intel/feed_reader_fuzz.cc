// libFuzzer target: every intel feed reader (format recognised from content: plain, CSV, STIX
// 2.1, MISP event, MISP warning list; gzip/zstd through the byte source), then the lookups on
// what was loaded. Invariants: the reader never fails the run; every bad line is counted; the
// samples are bounded; lookups stay within their cap.
#include "outflow/intel/feed_formats.h"
#include "outflow/testing/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;
  IntelSet set;
  FeedSpec f;
  f.name = "fuzz";
  const uint16_t id = set.add_feed(f);
  auto src = memory_byte_source(std::string(reinterpret_cast<const char*>(data), size));
  read_feed(*src, "fuzz", id, set);
  set.finish();
  const FeedStats& st = set.stats()[id];
  fuzz::check(st.samples.size() <= FeedStats::kMaxSamples);
  fuzz::check(st.samples.size() <= st.bad + st.unevaluable);
  fuzz::check(st.indicators() == set.size() + set.dropped() || st.indicators() >= set.size());
  std::vector<IntelMatch> m;
  IpAddr a;
  for (const char* s : {"10.1.2.3", "2001:db8::1", "203.0.113.7"})
    if (IpAddr::parse(s, a)) set.match_ip(a, kNoTime, kNoTime, m);
  set.match_name("a.b.example.com", kNoTime, kNoTime, m, {"/x"});
  fuzz::check(m.size() <= 4 * IntelSet::kMaxMatches);
  for (const auto& x : m) fuzz::touch(x.indicator), fuzz::touch(x.matched);
  return 0;
}
