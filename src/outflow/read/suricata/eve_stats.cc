#include "outflow/read/suricata/eve_stats.h"

#include <algorithm>

#include "outflow/core/utf8.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow::suricata {

const char* EveCaptureLoss::event(const EveEvent& ev, TimeNs t, ReadContext& ctx) {
  const EveStats& s = ev.stats;
  Last* prev = nullptr;
  for (auto& l : last_)
    if (l.sensor == ev.sensor) prev = &l;
  if (!prev) {
    if (last_.size() >= kMaxSensors) {
      prev = &last_.back();
    } else {
      prev = &last_.emplace_back();
      assign_capped(prev->sensor, ev.sensor, flowread::kMaxFlowText);
    }
  }
  const bool restart = prev->ts == kNoTime || s.kernel_packets < prev->packets || s.kernel_drops < prev->drops;
  CaptureLossRecord& r = out_;
  r.ts = t;
  r.ts_delta = restart ? static_cast<TimeNs>(std::min<uint64_t>(s.uptime, 366ull * 86400)) * kNsPerSec
                       : std::max<TimeNs>(0, t - prev->ts);
  r.peer = prev->sensor.empty() ? std::string("suricata") : prev->sensor;
  r.acks = restart ? s.kernel_packets : s.kernel_packets - prev->packets;
  r.gaps = restart ? s.kernel_drops : s.kernel_drops - prev->drops;
  // kernel_packets counts what the kernel handed over and what it dropped (AF_PACKET's
  // tp_packets): the share lost is drops over packets.
  r.percent_lost = r.acks ? std::min(100.0, 100.0 * static_cast<double>(r.gaps) / static_cast<double>(r.acks))
                          : (r.gaps ? 100.0 : 0.0);
  prev->ts = t;
  prev->packets = s.kernel_packets;
  prev->drops = s.kernel_drops;
  ctx.sink.on_capture_loss(r);
  ++ctx.stats.capture_loss;
  return nullptr;
}

}  // namespace outflow::suricata
