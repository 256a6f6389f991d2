#include "outflow/join/clock_survey.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"

namespace outflow {

namespace {


uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The first `n` bytes (decompressed) of a source, streamed: the survey holds no copy of what it
// reads (a 100 MB prefix would otherwise be a 100 MB buffer).
class PrefixSource final : public ByteSource {
 public:
  PrefixSource(ByteSource& src, uint64_t n) : src_(src), left_(n) {}
  long read(char* buf, size_t n) override {
    if (left_ == 0) return 0;
    const long r = src_.read(buf, static_cast<size_t>(std::min<uint64_t>(n, left_)));
    if (r > 0) left_ -= static_cast<uint64_t>(r), got_ += static_cast<uint64_t>(r);
    if (r < 0) error_ = src_.error();
    return r;
  }
  uint64_t raw_bytes_read() const override { return src_.raw_bytes_read(); }
  uint64_t got() const { return got_; }

 private:
  ByteSource& src_;
  uint64_t left_, got_ = 0;
};

// Feeds the first `n` bytes (decompressed) of `path` to `sink`. The last record is usually cut:
// what the reader says about it is not news (the diagnostics are dropped).
uint64_t read_prefix(const std::string& path, uint64_t n, RecordSink& sink) {
  std::string err;
  auto src = open_byte_source(path, err);
  if (!src) return 0;
  PrefixSource prefix(*src, n);
  Diagnostics scratch;
  FileStats fs;
  std::string e2;
  read_input(prefix, path, sink, scratch, fs, e2, LineReader::kDefaultMaxLine, 1, 256u << 10);
  return prefix.got();
}

}  // namespace

uint64_t survey_budget(const std::vector<SurveyInput>& inputs) {
  uint64_t total = 0;
  for (const auto& in : inputs)
    if (reopenable(in.path)) total += file_size(in.path);
  return std::clamp<uint64_t>(total / 50, 16u << 20, 128u << 20);
}

ClockSurvey survey_clocks(const std::vector<SurveyInput>& inputs, uint64_t budget, const PipelineOptions& o) {
  ClockSurvey s;
  PipelineOptions po = o;
  po.retention = 0;  // everything is kept: the survey is small
  auto pipe = std::make_unique<SessionPipeline>(po, nullptr);
  size_t shares = 0;
  for (const auto& in : inputs) {
    if (!reopenable(in.path)) {
      ++s.skipped;
      continue;
    }
    shares += in.endpoint ? 1 : 4;
  }
  if (shares == 0) return s;
  const uint64_t share = std::max<uint64_t>(budget / shares, 64u << 10);
  // Endpoint inputs first, then flows: every connection event is indexed when its flows come.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& in : inputs) {
      if (in.endpoint != (pass == 0) || !reopenable(in.path)) continue;
      s.bytes += read_prefix(in.path, in.endpoint ? share : 4 * share, *pipe);
      ++s.inputs;
    }
  }
  pipe->finish();
  s.hosts = std::make_unique<HostRegistry>(pipe->hosts());
  s.clocks = std::make_unique<ClockOffsets>(pipe->offsets());
  pipe.reset();
  for (HostId h : s.clocks->hosts())
    for (const ClockReport& r : s.clocks->report(h))
      for (const auto& p : r.pieces) s.largest = std::max<TimeNs>(s.largest, std::llabs(p.offset));
  return s;
}

std::function<TimeNs(const HostEvent&)> ClockSurvey::shift() const {
  const HostRegistry* hr = hosts.get();
  const ClockOffsets* co = clocks.get();
  if (!hr || !co) return {};
  // The last host's id is kept: a file is mostly one host's.
  struct Last {
    std::string name;
    HostId id = kNoHost;
  };
  auto last = std::make_shared<Last>();
  return [hr, co, last](const HostEvent& e) -> TimeNs {
    if (e.time == kNoTime) return 0;
    if (e.host != last->name) {
      last->name = e.host;
      last->id = hr->find(e.host);
    }
    if (last->id == kNoHost) return 0;
    const OffsetEstimate off = co->estimate({last->id, e.event_id, e.time_field}, e.time);
    // Only clocks measured directly move events: a wrong shift of days would jump the merge's
    // clock and make the join forget everything before it. A clock taken from another event
    // type (Sysmon 22 from Sysmon 3) stays where it is: early is harmless, late is not.
    // Process ends move with their starts.
    const bool measured = off.source == OffsetSource::samples || off.source == OffsetSource::process_check ||
                          (off.source == OffsetSource::inherited && is_process_event(off.from_event));
    return off.known && measured ? off.offset : 0;
  };
}

void ClockSurvey::seed(SessionPipeline& real) const {
  if (!hosts || !clocks) return;
  std::vector<std::pair<ClockKey, OffsetEstimate>> priors;
  for (HostId h : clocks->hosts()) {
    const HostId rh = real.intern_host(hosts->display_name(h));
    if (rh == kNoHost) continue;
    for (const ClockReport& r : clocks->report(h)) {
      const OffsetEstimate e = clocks->estimate(r.key);
      if (!e.known) continue;
      priors.push_back({ClockKey{rh, r.key.event_id, r.key.field}, e});
    }
  }
  real.set_clock_priors(priors);
}

}  // namespace outflow
