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
  virtual void on_file(const FileRecord&) {}  // Zeek files.log
  // Web proxy requests (Squid access.log); the pipeline joins them (join/squid_sessions.cc). No-op by default.
  virtual void on_proxy(const ProxyRecord&) {}
  // IDS alerts (Suricata EVE alert events); the pipeline joins them to sessions (join/ids_alerts.h).
  virtual void on_alert(const AlertRecord&) {}
  // A new kind of record: add it to ForwardingSink below too.
};

// A sink that passes records on (read/merged_reader.cc's queues and probes) must handle every
// kind: here the optional ones are pure again, so a forwarder that misses one does not compile
// (instead of dropping that kind of record silently).
class ForwardingSink : public RecordSink {
 public:
  void on_app(const AppRecord&) override = 0;
  void on_dhcp(const DhcpLease&) override = 0;
  void on_capture_loss(const CaptureLossRecord&) override = 0;
  void on_file(const FileRecord&) override = 0;
  void on_proxy(const ProxyRecord&) override = 0;
  void on_alert(const AlertRecord&) override = 0;
};

}  // namespace outflow
