// What the libFuzzer targets (*_fuzz.cc, built only with -DOUTFLOW_FUZZ=ON) share: a sink that
// reads every field of what the readers deliver and checks the invariants the readers promise,
// and a line reader over the fuzz input. A broken invariant traps, which libFuzzer reports as a
// crash with the input that caused it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "outflow/read/byte_source.h"
#include "outflow/read/diagnostics.h"
#include "outflow/read/input.h"
#include "outflow/read/line_reader.h"
#include "outflow/read/sink.h"

namespace outflow::fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Folds every byte of a string into a checksum, so ASan sees each one read.
inline uint64_t touch(std::string_view s) {
  uint64_t h = s.size();
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  return h;
}

class CheckingSink final : public RecordSink {
 public:
  uint64_t sum = 0, host_events = 0, flows = 0, dns = 0;

  void on_host_event(const HostEvent& e) override {
    ++host_events;
    check(e.time != kNoTime && in_record_range(e.time));
    check(!e.host.empty());
    for (const std::string* s : {&e.host, &e.process_guid, &e.parent_guid, &e.image, &e.parent_image,
                                 &e.command_line, &e.parent_command_line, &e.user, &e.integrity_level,
                                 &e.original_file_name, &e.company, &e.hashes, &e.current_directory,
                                 &e.query_name, &e.query_results})
      sum += touch(*s);
    sum += e.pid + e.ppid + e.src_port + e.dst_port;
  }
  void on_flow(const FlowRecord& f) override {
    ++flows;
    check(f.start != kNoTime && in_record_range(f.start));
    check(f.end == kNoTime || (in_record_range(f.end) && f.end >= f.start));
    for (const std::string* s : {&f.uid, &f.conn_state, &f.history, &f.service, &f.sensor, &f.community_id,
                                 &f.action, &f.user, &f.app, &f.end_reason})
      sum += touch(*s);
    // Firewall records: counts within the plausibility limit, an unknown volume carries no bytes.
    if (firewall_source(f.source)) check(f.orig_bytes <= (uint64_t{1} << 50) && f.resp_bytes <= (uint64_t{1} << 50));
    check(!f.bytes_unknown || (f.orig_bytes == 0 && f.resp_bytes == 0));
    sum += f.orig_bytes + f.resp_bytes + f.orig_pkts + f.resp_pkts + f.orig_p + f.resp_p;
  }
  void on_dns(const DnsAnswer& d) override {
    ++dns;
    check(d.time != kNoTime && in_record_range(d.time));
    // Every query is passed on (the DNS tunnelling view), answered or not; one with neither a
    // name nor an address answer is not.
    check(!d.answers.empty() || !d.query.empty());
    sum += touch(d.query) + touch(d.ptr_name) + d.answers.size();
  }
  void on_app(const AppRecord& a) override {
    ++app;
    check(a.ts != kNoTime && in_record_range(a.ts));
    for (const std::string* s : {&a.uid, &a.name, &a.method, &a.uri, &a.user_agent, &a.ja3, &a.ja3s}) sum += touch(*s);
    sum += a.request_body_len + a.response_body_len + a.status_code;
  }
  void on_dhcp(const DhcpLease& d) override {
    ++app;
    check(d.ts != kNoTime && in_record_range(d.ts));
    check(!d.addr.is_unset() && !d.host_name.empty());
    sum += touch(d.host_name) + touch(d.mac);
  }
  void on_capture_loss(const CaptureLossRecord& l) override {
    ++app;
    check(l.ts != kNoTime && in_record_range(l.ts));
    check(l.ts_delta >= 0 && l.percent_lost >= 0 && l.percent_lost <= 100);
    sum += touch(l.peer) + l.gaps + l.acks;
  }
  void on_proxy(const ProxyRecord& r) override {
    ++app;
    check(r.end != kNoTime && in_record_range(r.end));
    check(r.start == kNoTime || (in_record_range(r.start) && r.start <= r.end));
    check(r.bytes_from_client_known || r.bytes_from_client == 0);
    for (const std::string* s : {&r.proxy, &r.method, &r.url, &r.host, &r.result, &r.user, &r.hierarchy, &r.peer,
                                 &r.content_type})
      sum += touch(*s);
    sum += r.bytes_to_client + r.bytes_from_client + r.port + r.status + r.client_port;
  }
  void on_alert(const AlertRecord& a) override {
    ++app;
    check(a.ts != kNoTime && in_record_range(a.ts));
    for (const std::string* s : {&a.uid, &a.signature, &a.category, &a.action}) sum += touch(*s);
    sum += a.severity + a.signature_id + a.src_port + a.dst_port;
  }
  uint64_t app = 0;
};

// Runs a line-based reader on the fuzz input. Lines are capped at 64 KiB (not 64 MiB) so the
// overlong-line path is reached by small inputs too.
template <typename Reader>
void run_line_reader(const uint8_t* data, size_t size, Reader read) {
  auto src = memory_byte_source(std::string(reinterpret_cast<const char*>(data), size));
  LineReader lines(*src, 64 * 1024);
  CheckingSink sink;
  Diagnostics diag;
  FileStats stats;
  const std::string file = "fuzz";
  ReadContext ctx{file, sink, diag, stats};
  read(lines, ctx);
  check(stats.bad == 0 || diag.bad_records() > 0);
}

// A mixed input for the pipeline and hunt targets: the part before a line "==FLOWS==" is read
// as an endpoint file, the part after as a flow file, each through read_input (format detection,
// decompression) with a 64 KiB line cap; then the pipeline is finished.
template <typename Pipeline>
void read_mixed(const uint8_t* data, size_t size, Pipeline& pipe) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSep = "\n==FLOWS==\n";
  const size_t cut = in.find(kSep);
  const std::string_view endpoint = cut == std::string_view::npos ? in : in.substr(0, cut);
  const std::string_view flows = cut == std::string_view::npos ? std::string_view{} : in.substr(cut + kSep.size());
  Diagnostics diag;
  FileStats stats;
  std::string error;
  for (std::string_view part : {endpoint, flows}) {
    auto src = memory_byte_source(std::string(part));
    read_input(*src, "fuzz", pipe, diag, stats, error, 64 * 1024);
  }
  pipe.finish();
}

}  // namespace outflow::fuzz
