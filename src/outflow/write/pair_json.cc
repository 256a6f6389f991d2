#include "outflow/write/pair_json.h"

namespace outflow {

void write_pairs_json(JsonOut& j, const Finding& f) {
  const PairTable& t = f.act->pairs;
  if (t.pairs().empty()) return;
  j.unum("pair_count", t.pairs().size());
  if (t.pairs_evicted()) j.unum("pairs_evicted", t.pairs_evicted()).unum("pair_sessions_evicted", t.sessions_evicted());
  if (t.sessions_unpaired()) j.unum("pair_sessions_unpaired", t.sessions_unpaired());
  j.begin_array("pairs");
  for (const auto& s : f.pairs) {
    const PairActivity& p = t.pairs()[s.index];
    j.begin_object().str("kind", p.by_name ? "name" : "ip").str_if("ip", p.ip.is_unset() ? std::string() : p.ip.to_string());
    if (p.by_name) j.str("name", p.name).unum("addresses", p.addresses);
    j.unum("sessions", p.sessions).unum("bytes_out", p.bytes_out).unum("bytes_in", p.bytes_in)
        .str("start", format_time(p.first)).str("end", format_time(p.last)).num("longest_ns", p.longest)
        .num("cumulative_ns", p.cumulative()).num("duration_sum_ns", p.duration_sum);
    if (p.open_sessions) j.unum("open_sessions", p.open_sessions);
    j.unum("hosts_in_org", s.hosts_in_org).boolean("internal", s.internal).boolean("common", s.common);
    const BeaconScore& b = s.beacon;
    if (t.accumulator(p)) {
      j.begin_object("beacon").str("status", beacon_status_name(b.status)).boolean("strobe", b.strobe)
          .time("window_start", s.window.min_s * kNsPerSec).time("window_end", s.window.max_s * kNsPerSec)
          .unum("connections", b.connections).unum("unique_timestamps", b.unique_timestamps).unum("bytes_out", b.total_bytes)
          .dbl("duration_s", b.total_duration_s);
      if (b.status == BeaconStatus::scored) {
        j.dbl("score", b.score).dbl("ts_score", b.ts_score).dbl("ds_score", b.ds_score).dbl("dur_score", b.dur_score)
            .dbl("hist_score", b.hist_score).dbl("ts_skew", b.ts_skew).dbl("ts_mad_s", b.ts_mad).dbl("ds_skew", b.ds_skew)
            .dbl("ds_mad_bytes", b.ds_mad).num("interval_mode_s", b.interval_mode).begin_array("histogram");
        for (const uint64_t h : b.histogram) j.unum({}, h);
        j.end_array();
      }
      if (s.data_size_unknown) j.boolean("data_size_unknown", true);
      if (b.sample_stride > 1) j.unum("sample_stride", b.sample_stride);
      j.end_object();
    }
    j.end_object();
  }
  j.end_array();
}

}  // namespace outflow
