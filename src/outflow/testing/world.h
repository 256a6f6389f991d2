// Test helper: a small synthetic organisation. Processes (Sysmon 1), their connections (Sysmon 3
// plus the matching Zeek conn record) and DNS answers go through the real pipeline, aggregator
// and detector.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "outflow/config/detect_config.h"
#include "outflow/features/activity.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/hunter.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/events.h"

namespace outflow::testing {


class World {
 public:
  DetectConfig cfg = default_config();
  TimeNs t0 = utc("2026-01-05 09:00:00");

  World() { cfg.rarity_min_hosts = 5; }

  void proc(const std::string& host, const std::string& guid, const std::string& parent_guid, const std::string& image,
            const std::string& parent_image, const std::string& user = "CORP\\alice", const std::string& command_line = "",
            const std::string& original_file_name = "", const std::string& company = "", const std::string& integrity = "Medium",
            TimeNs when = kNoTime) {
    HostEvent e = start(host.c_str(), guid.c_str(), parent_guid.c_str(), image.c_str(), parent_image.c_str(),
                        when == kNoTime ? t0 : when);
    e.user = user;
    e.command_line = command_line.empty() ? "\"" + image + "\"" : command_line;
    e.original_file_name = original_file_name;
    e.company = company;
    e.integrity_level = integrity;
    e.pid = ++pid_;
    events_.push_back(e);
  }

  // One connection of `guid` on `host` (address `src`) to dst:dport, with its Sysmon 3 and its
  // Zeek record. `sysmon` false: the flow only (Sysmon caches repeated connections).
  // Returns the Zeek record's uid (for http.log / files.log records of the same connection).
  std::string conn(const std::string& host, const std::string& guid, const char* src, const char* dst, uint16_t dport, TimeNs start,
                   TimeNs dur, uint64_t out, uint64_t in, uint8_t proto = kProtoTcp, bool sysmon = true) {
    const uint16_t sport = static_cast<uint16_t>(20000 + (port_++ % 40000));
    if (sysmon) {
      HostEvent e = connect(host.c_str(), guid.c_str(), src, sport, dst, dport, start);
      e.proto = proto;
      events_.push_back(e);
    }
    FlowRecord f;
    f.source = FlowSource::zeek_conn;
    f.bidirectional = true;
    f.orig_h = ip(src);
    f.resp_h = ip(dst);
    f.orig_p = sport;
    f.resp_p = dport;
    f.proto = proto;
    f.start = start;
    f.end = start + dur;
    f.orig_bytes = out;
    f.resp_bytes = in;
    f.orig_pkts = out / 1000 + 1;
    f.resp_pkts = in / 1000 + 1;
    f.uid = "C" + std::to_string(port_);
    f.conn_state = "SF";
    f.sensor = "zeek";
    flows_.push_back(f);
    return f.uid;
  }

  // A flow and nothing else: no endpoint telemetry from `src` at all (what Zeek or NetFlow alone
  // sees). No monitored host has `src`: its sessions make a flow-only host.
  std::string flow(const char* src, const char* dst, uint16_t dport, TimeNs start, TimeNs dur, uint64_t out, uint64_t in,
                   uint8_t proto = kProtoTcp) {
    return conn("", "", src, dst, dport, start, dur, out, in, proto, false);
  }

  // The perimeter firewall's log of the Zeek connection `uid` (PAN-OS: same pre-NAT 5-tuple and
  // bytes, its own clock `skew` off), with its User-ID `user` and source NAT to `nat_ip`.
  void firewall_log(const std::string& uid, const std::string& user, const char* nat_ip = nullptr, TimeNs skew = 0) {
    for (size_t i = 0, n = flows_.size(); i < n; ++i) {
      if (flows_[i].uid != uid) continue;
      FlowRecord f = flows_[i];
      f.source = FlowSource::panos;
      f.sensor = "pa-fw";
      f.uid = "panos:001:" + uid;
      f.conn_state.clear();
      f.start += skew, f.end += skew;
      f.verdict = FlowVerdict::allowed;
      f.user = user;
      f.app = "ssl";
      if (nat_ip) {
        f.has_nat = true;
        f.nat_orig_h = ip(nat_ip);
        f.nat_orig_p = static_cast<uint16_t>(f.orig_p + 1);
        f.nat_resp_h = f.resp_h;
        f.nat_resp_p = f.resp_p;
      }
      flows_.push_back(f);
      return;
    }
  }
  // A flow record as given (another sensor's view, a NAT-ed copy...).
  void flow_record(const FlowRecord& f) { flows_.push_back(f); }

  // Zeek http.log / files.log / dns.log records, delivered before the conn records (as
  // `outflow hunt` reads the logs that name things first).
  void app(const AppRecord& r) { apps_.push_back(r); }
  void file(const FileRecord& f) { files_.push_back(f); }
  void dns_query(const DnsAnswer& d) { dns_.push_back(d); }

  // The sensor lost every packet `src` sent (TX checksum offload, a one-way SPAN): its Zeek
  // records so far show only the responder's side, as Zeek logs them (SHR, no originator letters).
  void sensor_lost_outgoing(const char* src) {
    for (auto& f : flows_) {
      if (!(f.orig_h == ip(src))) continue;
      f.orig_bytes = f.orig_pkts = f.orig_ip_bytes = 0;
      f.conn_state = "SHR";
      f.history = "^hadf";
    }
  }

  void dns(const std::string& host, const char* name, const char* addr, TimeNs t) {
    DnsAnswer d;
    d.time = t;
    d.host = host;
    d.query = name;
    d.answers.push_back(ip(addr));
    dns_.push_back(d);
  }

  // Background: `n` hosts WSB<i> where a browser fetches from a common site, so that the
  // organisation has enough hosts to judge rarity.
  void background_hosts(int n, const char* common_ip = "198.51.100.10") {
    for (int i = 0; i < n; ++i) {
      const std::string h = "WSB" + std::to_string(i), g = "{bbbbbbbb-0000-0000-0000-" + std::to_string(100000000000 + i) + "}";
      const std::string addr = "10.9.0." + std::to_string(10 + i);
      proc(h, g, "", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\explorer.exe");
      conn(h, g, addr.c_str(), common_ip, 443, t0 + 60 * kNsPerSec, 30 * kNsPerSec, 20'000, 400'000);
    }
  }

  HuntResult hunt(const Baselines* state = nullptr) {
    PipelineOptions po;
    agg_ = std::make_unique<ActivityAggregator>(Hunter::aggregator_options(cfg));
    ActivityAggregator* agg = agg_.get();
    pipe_ = std::make_unique<SessionPipeline>(po, [agg, this](const Session& s, const Attribution& a) {
      agg->add(s, a, &pipe_->processes(), &pipe_->index().apps());
    });
    pipe_->set_on_dns([agg](const DnsAnswer& d, HostId host) { agg->add_dns(d, host); });
    for (const auto& d : dns_) pipe_->on_dns(d);
    for (const auto& a : apps_) pipe_->on_app(a);
    for (const auto& f : files_) pipe_->on_file(f);
    std::vector<HostEvent> ev = events_;
    std::stable_sort(ev.begin(), ev.end(), [](const HostEvent& a, const HostEvent& b) { return a.time < b.time; });
    for (const auto& e : ev) pipe_->on_host_event(e);
    // As the CLI does when its inputs hold two kinds of sensor (cli/common.cc).
    for (const auto& f : flows_)
      if (sensor_kind(f.source) != sensor_kind(flows_.front().source)) pipe_->engage_sensor_merge();
    for (const auto& f : flows_) pipe_->on_flow(f);
    pipe_->finish();
    agg_->finish(pipe_->index());
    hunter_ = std::make_unique<Hunter>(cfg, nullptr);
    hunter_->keep_all_explanations(true);
    HuntResult r = hunter_->run(*pipe_, *agg_, state);
    observed_ = r.run;
    return r;
  }
  // The baselines of the last hunt (what `learn` would store).
  Baselines observe() const { return observed_; }
  const SessionPipeline& pipe() const { return *pipe_; }

  // The finding for the process with this GUID (including suppressed and below-threshold ones).
  static const Finding* find(const HuntResult& r, const SessionPipeline& p, std::string_view guid) {
    for (const auto& f : r.findings)
      if (f.proc != kNoProc && p.processes().get(f.proc).guid == guid) return &f;
    return nullptr;
  }
  const Finding* find(const HuntResult& r, std::string_view guid) const { return find(r, *pipe_, guid); }
  // The finding for the flow-only host with this address.
  static const Finding* find_flow_host(const HuntResult& r, const char* addr) {
    for (const auto& f : r.findings)
      if (f.act && f.act->flow_only() && f.act->entity_ip == ip(addr)) return &f;
    return nullptr;
  }
  static const Factor* factor(const Finding* f, std::string_view name) {
    if (!f) return nullptr;
    for (const auto& x : f->factors)
      if (x.name == name) return &x;
    return nullptr;
  }

 private:
  std::vector<HostEvent> events_;
  std::vector<FlowRecord> flows_;
  std::vector<DnsAnswer> dns_;
  std::vector<AppRecord> apps_;
  std::vector<FileRecord> files_;
  uint64_t pid_ = 1000;
  uint32_t port_ = 0;
  std::unique_ptr<ActivityAggregator> agg_;
  std::unique_ptr<SessionPipeline> pipe_;
  std::unique_ptr<Hunter> hunter_;
  Baselines observed_;
};

}  // namespace outflow::testing
