// Suricata stats events as Zeek capture_loss.log's records: capture.kernel_drops against
// capture.kernel_packets over each interval. The counters are cumulative since Suricata
// started, so an interval's loss is the difference to the sensor's previous event (its first
// event covers the uptime; a counter that went down is a restart, counted from zero again).
// Sensors by their "host" (sensor-name); at most kMaxSensors kept, the rest share the last.
#pragma once
#include <string>
#include <vector>

#include "outflow/read/input.h"
#include "outflow/read/suricata/eve_event.h"

namespace outflow::suricata {

class EveCaptureLoss {
 public:
  static constexpr size_t kMaxSensors = 64;
  // One stats event at time `t`. Returns nullptr or why it is malformed.
  const char* event(const EveEvent& ev, TimeNs t, ReadContext& ctx);

 private:
  struct Last {
    std::string sensor;
    TimeNs ts = kNoTime;
    uint64_t packets = 0, drops = 0;
  };
  std::vector<Last> last_;
  CaptureLossRecord out_;
};

}  // namespace outflow::suricata
