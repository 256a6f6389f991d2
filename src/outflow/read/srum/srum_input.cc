#include "outflow/read/srum/srum_input.h"

#include <map>

#include "outflow/read/diagnostics.h"
#include "outflow/read/sink.h"
#include "outflow/read/srum/srudb_reader.h"
#include "outflow/read/srum/srum_export.h"

namespace outflow::srum {

namespace {

constexpr uint64_t kMaxExportBytes = uint64_t{2} << 30;

class HostCounter final : public RecordSink {
 public:
  std::map<std::string, uint64_t> hosts;
  void on_host_event(const HostEvent& e) override {
    if (!e.host.empty() && hosts.size() < 1000) ++hosts[e.host];
  }
  void on_flow(const FlowRecord&) override {}
  void on_dns(const DnsAnswer&) override {}
};

}  // namespace

void read_srum_input(const std::string& path, ByteSource* opened, InputFormat format, UsageFile& out) {
  out.path = path;
  std::unique_ptr<ByteSource> own;
  ByteSource* src = opened;
  if (!src) {
    std::string err;
    own = open_byte_source(path, err);
    if (!own) {
      out.error = err;
      return;
    }
    src = own.get();
  }
  if (format == InputFormat::srudb) {
    read_srudb(*src, path, out);
    return;
  }
  std::string bytes;
  if (!read_up_to(*src, kMaxExportBytes + 1, bytes)) {
    out.error = path + ": " + src->error();
    return;
  }
  if (bytes.size() > kMaxExportBytes) {
    out.error = path + ": larger than 2 GiB, not read";
    return;
  }
  read_export(bytes, detect_export(std::string_view(bytes).substr(0, 64 * 1024)), path, out);
}

std::string host_of_event_logs(const std::vector<std::string>& paths) {
  HostCounter sink;
  for (const auto& p : paths) {
    Diagnostics diag;
    FileStats stats;
    std::string err;
    read_input_file(p, sink, diag, stats, err);
  }
  std::string best;
  uint64_t n = 0;
  for (const auto& [h, c] : sink.hosts)
    if (c > n) {
      best = h;
      n = c;
    }
  return best;
}

}  // namespace outflow::srum
