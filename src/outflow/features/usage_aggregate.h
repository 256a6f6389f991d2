// SRUM network usage summed as the rows are read (a UsageRowSink), so that memory follows the
// distinct (host, program, user) and (host, interface) keys and the distinct time stamps, not
// the rows: the totals per program and per interface, each input's time stamps (its span, gaps
// and the start of each interval), the rows read twice (by a fingerprint), and, for the JSON
// lines only, the rows themselves in a UsageRowStore (bounded memory, a temporary file past it).
// See docs/srum.md.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "outflow/features/usage_rows.h"
#include "outflow/features/usage_totals.h"

namespace outflow {

// What makes a row the same row read twice (a SRUDB.dat and its export): host, program key,
// user key (or the interface-total mark), interface, bytes each way and time to the nearest
// minute, hashed to 128 bits (a chance collision: about n^2 / 2^129 for n rows).
struct RowFingerprint {
  uint64_t hi = 0, lo = 0;
  auto operator<=>(const RowFingerprint&) const = default;
};
RowFingerprint row_fingerprint(std::string_view host, const srum::UsageRecord& r, ProgramNames& names);

class UsageAggregator final : public srum::UsageRowSink {
 public:
  struct Options {
    bool keep_rows = false;                   // keep each row for the JSON lines (UsageRowStore)
    size_t rows_in_memory = size_t{1} << 17;  // of those, at most this many in memory (88 bytes each)
  };
  // `hosts`: the host of every input to be read, in order ("" when unknown). Rows read twice
  // are looked for only between inputs of one host: an input's fingerprints are kept only when
  // a later input has its host.
  // `same_host` (optional, one per input): what tells hosts apart, where `hosts` cannot (an
  // unknown host is "" for each): inputs of equal keys are one host (their rows summed together,
  // rows read twice looked for between them), of different keys different hosts. Default: `hosts`.
  explicit UsageAggregator(std::vector<std::string> hosts, Options o, std::vector<std::string> same_host = {});
  explicit UsageAggregator(std::vector<std::string> hosts) : UsageAggregator(std::move(hosts), Options{}) {}

  // Input k's rows follow (k in order, each once); `file` and `processes` must outlive this.
  void begin_input(size_t k, const srum::UsageFile* file, const ProcessLog* processes);
  void on_usage(const srum::UsageRecord& r) override;
  void end_input();

  struct InputState {
    UsageInput in;
    std::string host_key;  // same_host's key (ProgramUsage::host_key)
    std::map<TimeNs, uint64_t> stamps;  // every time stamp read -> rows kept with it (not read twice)
    size_t read_twice = 0;
    bool check_twice = false, keep_fingerprints = false;
  };
  const InputState& input(size_t k) const { return inputs_[k]; }
  size_t inputs() const { return inputs_.size(); }
  // Of every row read (rows read twice too), as usage_span(const UsageFile&).
  UsageSpan span(size_t k) const;
  // The distinct time stamps of the rows kept, sorted (interval_start()'s `stamps`).
  std::vector<TimeNs> kept_stamps(size_t k) const;

  // Ranked as usage_totals(); `rank_of_group` (when set) gets each program group's rank (1 = first).
  UsageTotals totals(std::vector<size_t>* rank_of_group = nullptr) const;
  UsageRowStore& rows() { return rows_; }

  size_t groups() const { return progs_.size(); }
  size_t interfaces() const { return ifs_.size(); }
  size_t fingerprints() const { return seen_.size() + pending_.size(); }

 private:
  struct Group {
    ProgramUsage u;
    uint32_t id = 0;
  };
  Options opt_;
  std::vector<std::string> hosts_;
  std::vector<InputState> inputs_;
  size_t cur_ = SIZE_MAX;
  // Looked up by string views (no strings built per row). A comparator of its own: std::less<>
  // between tuples of strings and of string views builds with GCC's libstdc++ but not with
  // clang (the fuzz and CI builds).
  using ProgKey = std::tuple<std::string, std::string, std::string>;
  using ProgView = std::tuple<std::string_view, std::string_view, std::string_view>;
  struct ProgLess {
    using is_transparent = void;
    static ProgView view(const ProgKey& k) { return {std::get<0>(k), std::get<1>(k), std::get<2>(k)}; }
    static const ProgView& view(const ProgView& k) { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  std::map<ProgKey, Group, ProgLess> progs_;
  std::map<std::pair<std::string, uint64_t>, InterfaceUsage> ifs_;
  std::vector<RowFingerprint> seen_;     // earlier inputs', sorted
  std::vector<RowFingerprint> pending_;  // this input's, merged into seen_ at its end
  ProgramNames names_;
  std::string user_scratch_;
  UsageRowStore rows_;
};

}  // namespace outflow
