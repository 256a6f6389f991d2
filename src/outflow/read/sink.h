// Where readers deliver normalized records. Not thread-safe: one reader calls one sink.
#pragma once
#include "outflow/model/events.h"

namespace outflow {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_host_event(const HostEvent& e) = 0;
  virtual void on_flow(const FlowRecord& f) = 0;
  // A hand-over without copies, for a reader that fills one record at a time: flow_slot(own)
  // gives the record to fill (by default `own`, the reader's) and commit_flow(slot) delivers it
  // (by default on_flow). The slot holds what an earlier record left: reset it first. A slot not
  // committed (a bad line) is given again by the next flow_slot; no other record may be passed
  // to the sink between the two calls. The merged reader's queue gives its batch's next slot:
  // no copy of the record's ten strings on the reading thread.
  virtual FlowRecord& flow_slot(FlowRecord& own) { return own; }
  virtual void commit_flow(FlowRecord& f) { on_flow(f); }
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
