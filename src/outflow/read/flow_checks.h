// Plausibility checks the flow readers (Zeek TSV and JSON, nfdump CSV) run on each record they
// keep. A value no sensor can have measured is not believed: a byte count beyond what its packets
// can carry becomes unknown (not 0, not the huge number), a duration over a year is cut, and a
// record ending long before an earlier line's (the clock ran backwards) is kept but named. Each
// is counted per reason with file and line (Diagnostics::dubious); none is fatal.
#pragma once
#include <cstdint>
#include <string>

#include "outflow/model/events.h"
#include "outflow/read/input.h"
#include "outflow/read/line_reader.h"

namespace outflow::flowread {

// The most one IP packet carries: the IPv4 total length and IPv6 payload length are 16 bits
// (jumbograms aside).
inline constexpr uint64_t kMaxPacketBytes = 65535;
// Longer than this, a connection's duration is a broken clock or a corrupt field.
inline constexpr TimeNs kMaxFlowDuration = 366 * 86400 * kNsPerSec;
// A record ending more than this before the latest end of its file means the clock ran
// backwards (Zeek writes a connection when it ends, so ends run nearly in order; NetFlow
// exporters flush within minutes).
inline constexpr TimeNs kBackwardsSlack = 3600 * kNsPerSec;

// True when `bytes` cannot have travelled in `pkts` packets, allowing the bytes the sensor says
// it missed in the stream (Zeek counts them in the size): e.g. Zeek's resp_bytes 1,715,022,185
// for 2 packets (RSTR after a broken handshake, RITA's missing_host data).
inline bool bytes_beyond_packets(uint64_t bytes, uint64_t pkts, uint64_t missed = 0) {
  uint64_t cap = 0;
  if (__builtin_mul_overflow(pkts, kMaxPacketBytes, &cap) || __builtin_add_overflow(cap, missed, &cap)) return false;
  return bytes > cap;
}

// One per file: remembers the latest record end seen in it.
class FlowChecks {
 public:
  // What the reader knows beyond the record: whether the packet counts were given (a log
  // without them cannot bound the bytes), the bytes the sensor missed, and the names of the
  // fields as the format spells them, for the reasons ("zeek", "orig_bytes", "orig_pkts"...).
  struct Fields {
    const char* format;
    const char* orig_bytes;
    const char* orig_pkts;
    const char* resp_bytes;
    const char* resp_pkts;
  };

  void check(FlowRecord& f, bool have_orig_pkts, bool have_resp_pkts, uint64_t missed, const Fields& names,
             const LineReader& lines, ReadContext& ctx) {
    if (have_orig_pkts && bytes_beyond_packets(f.orig_bytes, f.orig_pkts, missed)) {
      f.orig_bytes = 0;
      f.orig_bytes_unknown = true;
      dubious(lines, ctx, std::string(names.format) + ": " + names.orig_bytes + " beyond what " + names.orig_pkts +
                              " can carry (taken as unknown)");
    }
    if (have_resp_pkts && bytes_beyond_packets(f.resp_bytes, f.resp_pkts, missed)) {
      f.resp_bytes = 0;
      f.resp_bytes_unknown = true;
      dubious(lines, ctx, std::string(names.format) + ": " + names.resp_bytes + " beyond what " + names.resp_pkts +
                              " can carry (taken as unknown)");
    }
    if (f.end != kNoTime && f.start != kNoTime && f.end - f.start > kMaxFlowDuration) {
      f.end = f.start;
      dubious(lines, ctx, std::string(names.format) + ": duration over a year (cut to 0)");
    }
    const TimeNs end = f.end != kNoTime ? f.end : f.start;
    if (end == kNoTime) return;
    if (latest_end_ != kNoTime && end < latest_end_ - kBackwardsSlack)
      dubious(lines, ctx, std::string(names.format) + ": record ends over an hour before an earlier line's (clock ran backwards; kept)");
    if (latest_end_ == kNoTime || end > latest_end_) latest_end_ = end;
  }

 private:
  static void dubious(const LineReader& lines, ReadContext& ctx, const std::string& reason) {
    ctx.diag.dubious(ctx.file, lines.line_number(), lines.line_offset(), reason);
  }
  TimeNs latest_end_ = kNoTime;
};

}  // namespace outflow::flowread
