// Where readers deliver normalized records. Not thread-safe: one reader calls one sink.
#pragma once
#include "outflow/model/events.h"

namespace outflow {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_host_event(const HostEvent& e) = 0;
  virtual void on_flow(const FlowRecord& f) = 0;
  virtual void on_dns(const DnsAnswer& d) = 0;
};

}  // namespace outflow
