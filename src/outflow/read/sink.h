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
  // Zeek ssl/http, dhcp and capture_loss logs: sinks that do not use them need not override.
  virtual void on_app(const AppRecord&) {}
  virtual void on_dhcp(const DhcpLease&) {}
  virtual void on_capture_loss(const CaptureLossRecord&) {}
  // Web proxy requests (Squid access.log): read; used from issue 13's join on. No-op by default.
  virtual void on_proxy(const ProxyRecord&) {}
};

}  // namespace outflow
