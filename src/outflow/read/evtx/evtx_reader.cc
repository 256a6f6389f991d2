// read_evtx: EVTX records -> HostEvents, the same ones the Windows JSON reader makes from the
// same events. Chunks are parsed in parallel (a batch at a time, one ChunkParser per worker)
// into per-chunk buffers that are delivered in file order, so output does not depend on the
// thread count.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <memory>
#include <thread>

#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/input.h"

namespace outflow {

namespace {

using evtx::Record;

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && (hay[i + j] | 0x20) == (needle[j] | 0x20)) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool parse_pid(std::string_view s, uint64_t& out) {
  if (s.empty() || s == "-") return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_port(std::string_view s, uint16_t& out) {
  unsigned v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || v > 65535) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

void assign(std::string& dst, std::string_view v) {
  if (v == "-") v = {};
  dst.assign(v.data(), v.size());
}

std::string_view well_known_logon(std::string_view logon_id) {
  uint64_t v = 0;
  if (!parse_pid(logon_id, v)) return {};
  if (v == 0x3e7) return "NT AUTHORITY\\SYSTEM";
  if (v == 0x3e4) return "NT AUTHORITY\\NETWORK SERVICE";
  if (v == 0x3e5) return "NT AUTHORITY\\LOCAL SERVICE";
  return {};
}

std::string_view label_name(std::string_view sid) {
  if (sid == "S-1-16-4096") return "Low";
  if (sid == "S-1-16-8192") return "Medium";
  if (sid == "S-1-16-8448") return "Medium Plus";
  if (sid == "S-1-16-12288") return "High";
  if (sid == "S-1-16-16384") return "System";
  if (sid == "S-1-16-0") return "Untrusted";
  return sid;
}

void set_security_user(const Record& r, HostEvent& e) {
  auto usable = [](std::string_view u) { return !u.empty() && u != "-"; };
  std::string_view user = r.get("TargetUserName"), dom = r.get("TargetDomainName"),
                   logon = r.get("TargetLogonId");
  if (!usable(user)) {
    user = r.get("SubjectUserName");
    dom = r.get("SubjectDomainName");
    logon = r.get("SubjectLogonId");
  }
  if (!usable(user)) return;
  if (auto wk = well_known_logon(logon); !wk.empty()) {
    e.user.assign(wk);
    return;
  }
  e.user.clear();
  if (usable(dom)) {
    e.user.append(dom);
    e.user.push_back('\\');
  }
  e.user.append(user);
}

enum class Source : uint8_t { none, sysmon, security };

// Which events Outflow uses: Sysmon 1/3/5/22 and Security 4688/4689/5156.
Source classify(const Record& r) {
  if (!r.has_event_id) return Source::none;
  const uint32_t id = r.event_id;
  const bool sysmon_id = id == 1 || id == 3 || id == 5 || id == 22;
  const bool security_id = id == 4688 || id == 4689 || id == 5156;
  if (!sysmon_id && !security_id) return Source::none;
  if (contains_ci(r.provider, "linux")) return Source::none;
  // As the JSON reader: only a record naming neither provider nor channel is taken on its id.
  const bool unknown = r.provider.empty() && r.channel.empty();
  if (sysmon_id && (unknown || contains_ci(r.provider, "sysmon") || contains_ci(r.channel, "sysmon")))
    return Source::sysmon;
  if (security_id &&
      (unknown || contains_ci(r.provider, "security-auditing") || contains_ci(r.channel, "security")))
    return Source::security;
  return Source::none;
}

// Returns nullptr on success, else the reason the record is bad.
const char* to_host_event(const Record& r, HostEvent& e) {
  e.clear();
  const uint32_t id = r.event_id;
  e.event_id = static_cast<uint16_t>(id);
  if (r.computer.empty() || r.computer == "-") return "evtx: no Computer";
  e.host = r.computer;
  TimeNs t;
  if (const auto u = r.get("UtcTime"); !u.empty() && parse_datetime(u, t)) {
    e.time = t;
    e.time_field = TimeField::utc_time;
  } else if (r.time != kNoTime) {
    e.time = r.time;
    e.time_field = TimeField::system_time;
  } else {
    return "evtx: no parsable time (UtcTime or TimeCreated)";
  }
  switch (id) {
    case 1: case 4688: e.type = HostEventType::process_start; break;
    case 5: case 4689: e.type = HostEventType::process_end; break;
    case 3: case 5156: e.type = HostEventType::net_connect; break;
    default: e.type = HostEventType::dns_query; break;
  }
  if (id == 4688) {
    assign(e.image, r.get("NewProcessName"));
    assign(e.parent_image, r.get("ParentProcessName"));
    if (!parse_pid(r.get("NewProcessId"), e.pid)) return "evtx: 4688 without NewProcessId";
    parse_pid(r.get("ProcessId"), e.ppid);
    assign(e.command_line, r.get("CommandLine"));
    set_security_user(r, e);
    assign(e.integrity_level, label_name(r.get("MandatoryLabel")));
    return nullptr;
  }
  if (id == 4689) {
    assign(e.image, r.get("ProcessName"));
    if (!parse_pid(r.get("ProcessId"), e.pid)) return "evtx: 4689 without ProcessId";
    return nullptr;
  }
  if (id == 5156) {
    assign(e.image, r.get("Application"));
    parse_pid(r.get("ProcessID"), e.pid);
    if (!IpAddr::parse(r.get("SourceAddress"), e.src_ip) || !IpAddr::parse(r.get("DestAddress"), e.dst_ip) ||
        !parse_port(r.get("SourcePort"), e.src_port) || !parse_port(r.get("DestPort"), e.dst_port))
      return "evtx: 5156 without a parsable address/port";
    e.proto = parse_proto(r.get("Protocol"));
    const auto dir = r.get("Direction");
    if (dir == "%%14593" || contains_ci(dir, "outbound")) e.initiated = 1;
    else if (dir == "%%14592" || contains_ci(dir, "inbound")) e.initiated = 0;
    return nullptr;
  }
  // Sysmon 1 / 3 / 5 / 22
  assign(e.process_guid, r.get("ProcessGuid"));
  parse_pid(r.get("ProcessId"), e.pid);
  assign(e.image, r.get("Image"));
  assign(e.user, r.get("User"));
  if (id == 1) {
    assign(e.parent_guid, r.get("ParentProcessGuid"));
    parse_pid(r.get("ParentProcessId"), e.ppid);
    assign(e.parent_image, r.get("ParentImage"));
    assign(e.command_line, r.get("CommandLine"));
    assign(e.parent_command_line, r.get("ParentCommandLine"));
    assign(e.integrity_level, r.get("IntegrityLevel"));
    assign(e.original_file_name, r.get("OriginalFileName"));
    assign(e.company, r.get("Company"));
    assign(e.hashes, r.get("Hashes"));
    assign(e.current_directory, r.get("CurrentDirectory"));
  } else if (id == 3) {
    if (!IpAddr::parse(r.get("SourceIp"), e.src_ip) || !IpAddr::parse(r.get("DestinationIp"), e.dst_ip) ||
        !parse_port(r.get("SourcePort"), e.src_port) || !parse_port(r.get("DestinationPort"), e.dst_port))
      return "evtx: Sysmon 3 without a parsable address/port";
    e.proto = parse_proto(r.get("Protocol"));
    const auto init = r.get("Initiated");
    if (init == "true" || init == "True") e.initiated = 1;
    else if (init == "false" || init == "False") e.initiated = 0;
  } else if (id == 22) {
    assign(e.query_name, r.get("QueryName"));
    assign(e.query_results, r.get("QueryResults"));
  }
  if (e.process_guid.empty() && e.pid == 0) return "evtx: Sysmon event without ProcessGuid or ProcessId";
  return nullptr;
}

// What one chunk produced, kept until it is delivered in order.
struct ChunkOut {
  std::vector<HostEvent> ev;  // reused; first n_ev live
  size_t n_ev = 0;
  std::vector<std::pair<uint64_t, const char*>> bad;
  std::vector<std::pair<uint32_t, uint64_t>> skipped;  // event id -> count
  uint64_t records = 0;

  void reset() {
    n_ev = 0;
    bad.clear();
    skipped.clear();
    records = 0;
  }
};

class MapHandler final : public evtx::RecordHandler {
 public:
  ChunkOut* out = nullptr;

  bool want_data(const Record& r) override {
    if (classify(r) != Source::none) return true;
    const uint32_t id = r.has_event_id ? r.event_id : 0xFFFFFFFFu;
    for (auto& s : out->skipped)
      if (s.first == id) {
        ++s.second;
        return false;
      }
    out->skipped.emplace_back(id, 1);
    return false;
  }
  void on_record(const Record& r) override {
    ++out->records;
    if (!r.data_read) return;
    if (out->n_ev == out->ev.size()) out->ev.emplace_back();
    HostEvent& e = out->ev[out->n_ev];
    if (const char* why = to_host_event(r, e)) out->bad.emplace_back(r.offset, why);
    else ++out->n_ev;
  }
  void on_bad(uint64_t offset, std::string_view reason) override {
    // Reasons are string literals from the parser.
    out->bad.emplace_back(offset, reason.data());
  }
};

struct Worker {
  evtx::ChunkParser parser;
  MapHandler handler;
};

}  // namespace

bool read_evtx(ByteSource& src, ReadContext& ctx) {
  // Chunks are read a batch at a time into one of two buffers: while the workers parse one
  // batch, the calling thread reads the next into the other, then joins the parsing.
  constexpr size_t kBatch = 64;  // chunks (4 MiB)
  // Not zero-filled: pages a small file never reaches are never touched.
  constexpr size_t kBufSize = kBatch * evtx::kChunkSize;
  std::unique_ptr<uint8_t[]> bufs[2] = {std::unique_ptr<uint8_t[]>(new uint8_t[kBufSize]),
                                        std::unique_ptr<uint8_t[]>(new uint8_t[kBufSize])};
  std::vector<ChunkOut> outs(kBatch);
  std::vector<std::unique_ptr<Worker>> workers;
  const unsigned hw = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  for (unsigned i = 0; i < hw; ++i) workers.push_back(std::make_unique<Worker>());

  auto bad = [&](uint64_t off, const char* why) {
    ctx.diag.bad_record(ctx.file, 0, off, why);
    ++ctx.stats.bad;
  };
  long n = evtx::read_full(src, bufs[0].get(), evtx::kFileHeaderSize);
  if (n < 0) return false;
  ctx.stats.bytes += static_cast<uint64_t>(n);
  evtx::FileHeader fh;
  if (!evtx::parse_file_header(bufs[0].get(), static_cast<size_t>(n), fh)) {
    bad(0, "evtx: no ElfFile file header");
    return true;
  }
  if (static_cast<size_t>(n) < evtx::kFileHeaderSize) bad(0, "evtx: file header truncated");
  if (!fh.crc_ok) bad(0, "evtx: file header CRC32 mismatch");
  if (fh.flags & evtx::kFileFlagDirty) bad(0, "evtx: file header dirty flag set (not closed cleanly)");

  uint64_t off = evtx::kFileHeaderSize;
  std::string skip_name;
  int cur = 0;
  long got = static_cast<size_t>(n) < evtx::kFileHeaderSize ? 0 : evtx::read_full(src, bufs[0].get(), kBufSize);
  bool io_ok = got >= 0;
  while (got > 0) {
    const size_t total = static_cast<size_t>(got);
    const uint8_t* buf = bufs[cur].get();
    const size_t nchunks = (total + evtx::kChunkSize - 1) / evtx::kChunkSize;
    std::atomic<size_t> next{0};
    auto run = [&](Worker& w) {
      for (size_t i; (i = next.fetch_add(1)) < nchunks;) {
        ChunkOut& o = outs[i];
        o.reset();
        w.handler.out = &o;
        const size_t len = std::min(evtx::kChunkSize, total - i * evtx::kChunkSize);
        w.parser.parse(buf + i * evtx::kChunkSize, len, off + i * evtx::kChunkSize, w.handler);
      }
    };
    // Threads only pay off when there are several chunks in use.
    size_t used = 0;
    for (size_t i = 0; i < nchunks; ++i)
      if (buf[i * evtx::kChunkSize] == 'E') ++used;
    const size_t nthreads = std::min<size_t>(hw, used / 4 + 1);
    std::vector<std::thread> threads;
    for (size_t t = 1; t < nthreads; ++t) threads.emplace_back(run, std::ref(*workers[t]));
    long next_got = 0;
    if (total == kBufSize) {  // more may follow
      next_got = evtx::read_full(src, bufs[1 - cur].get(), kBufSize);
      if (next_got < 0) io_ok = false;
    }
    run(*workers[0]);
    for (auto& th : threads) th.join();

    for (size_t i = 0; i < nchunks; ++i) {
      ChunkOut& o = outs[i];
      for (const auto& [boff, why] : o.bad) bad(boff, why);
      for (const auto& [id, cnt] : o.skipped) {
        skip_name = "evtx event ";
        skip_name += id == 0xFFFFFFFFu ? std::string("without EventID") : std::to_string(id);
        ctx.diag.skipped(skip_name, cnt);
      }
      for (size_t k = 0; k < o.n_ev; ++k) ctx.sink.on_host_event(o.ev[k]);
      ctx.stats.host_events += o.n_ev;
      ctx.stats.lines += o.records;
    }
    ctx.stats.bytes += total;
    off += total;
    got = next_got;
    cur = 1 - cur;
  }
  return io_ok;
}

}  // namespace outflow
