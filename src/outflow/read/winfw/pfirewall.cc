// Windows Defender Firewall's pfirewall.log: a W3C-style header ("#Fields: date time action
// protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode
// info path [pid]") and one space-separated row per allowed connection or dropped packet.
// ALLOW (and Windows XP's OPEN) rows are connections of this host: flows with their ports and
// no byte count (`size` is the one packet's size, so the volume is unknown both ways). DROP
// rows are delivered as denied (not transfers). See docs/firewall-logs.md.
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/fw_common.h"
#include "outflow/read/input.h"
#include "outflow/read/squid/squid_line.h"

namespace outflow {

namespace {

enum Col : size_t { c_date, c_time, c_action, c_protocol, c_src, c_dst, c_sport, c_dport, c_path, c_pid, c_count };
constexpr std::string_view kCols[c_count] = {"date", "time", "action", "protocol", "src-ip", "dst-ip",
                                             "src-port", "dst-port", "path", "pid"};

class PfirewallReader {
 public:
  PfirewallReader(LineReader& lines, ReadContext& ctx) : lines_(lines), ctx_(ctx), sensor_(fwread::base_name(ctx.file)) {
    tok_.reserve(32);
  }

  bool run() {
    const bool ok = fwread::for_each_line(lines_, ctx_, "pfirewall.log: line too long", [&](std::string_view l) { handle(l); });
    skips_.flush(ctx_.diag);
    return ok;
  }

 private:
  void bad(const char* reason) { flowread::report_bad(lines_, ctx_, reason); }

  std::string_view col(Col c) const {
    const int i = col_[c];
    if (i < 0 || static_cast<size_t>(i) >= tok_.size()) return {};
    return tok_[static_cast<size_t>(i)] == "-" ? std::string_view{} : tok_[static_cast<size_t>(i)];
  }

  void header(std::string_view line) {
    if (!line.starts_with("#Fields:")) return;  // #Version, #Software, #Time Format
    squid::split_spaces(line.substr(8), tok_);
    for (auto& c : col_) c = -1;
    for (size_t i = 0; i < tok_.size(); ++i)
      for (size_t k = 0; k < c_count; ++k)
        if (tok_[i] == kCols[k] && col_[k] < 0) col_[k] = static_cast<int>(i);
    ncols_ = tok_.size();
    have_header_ = col_[c_date] >= 0 && col_[c_time] >= 0 && col_[c_action] >= 0 && col_[c_src] >= 0 && col_[c_dst] >= 0;
    if (!have_header_) bad("pfirewall.log: #Fields without date, time, action, src-ip and dst-ip");
  }

  void handle(std::string_view line) {
    if (line.front() == '#') return header(line);
    if (!have_header_) return bad("pfirewall.log: row before the #Fields header");
    squid::split_spaces(line, tok_);
    const std::string_view action = col(c_action);
    if (action == "INFO-EVENTS-LOST") {
      // The firewall dropped log entries: a gap in this host's record, said in coverage.
      ctx_.diag.note(ctx_.file, lines_.line_offset(), "pfirewall.log: the firewall lost log entries (INFO-EVENTS-LOST)");
      return;
    }
    if (tok_.size() < ncols_) return bad("pfirewall.log: too few fields (truncated line?)");
    if (tok_.size() > ncols_) return bad("pfirewall.log: too many fields");
    FlowRecord& f = flow_;
    flowread::reset_flow(f);
    f.source = FlowSource::winfw;
    f.bidirectional = true;
    f.bytes_unknown = true;
    if (action == "ALLOW" || action == "OPEN" || action == "OPEN-INBOUND") f.verdict = FlowVerdict::allowed;
    else if (action == "DROP") f.verdict = FlowVerdict::denied;
    else if (action == "CLOSE") {
      skips_.add("pfirewall.log CLOSE rows (the connection's OPEN row has it)");
      return;
    } else {
      return bad("pfirewall.log: unknown action");
    }
    switch (fwread::parse_date_time(col(c_date), col(c_time), f.start)) {
      case TimeParse::ok: break;
      case TimeParse::bad: return bad("pfirewall.log: bad date or time");
      case TimeParse::out_of_range: return bad("pfirewall.log: time out of range (before 1970 or after 2099)");
    }
    f.end = f.start;
    if (!flowread::parse_ip(col(c_src), f.orig_h)) return bad("pfirewall.log: bad src-ip");
    if (!flowread::parse_ip(col(c_dst), f.resp_h)) return bad("pfirewall.log: bad dst-ip");
    if (!col(c_sport).empty() && !flowread::parse_port(col(c_sport), f.orig_p)) return bad("pfirewall.log: bad src-port");
    if (!col(c_dport).empty() && !flowread::parse_port(col(c_dport), f.resp_p)) return bad("pfirewall.log: bad dst-port");
    const std::string_view proto = col(c_protocol);
    f.proto = parse_proto(proto);  // TCP, UDP, ICMP, ICMPv6 or a number, any case
    if (f.proto == 0 && !proto.empty()) return bad("pfirewall.log: unknown protocol");
    fwread::assign_text(f.action, action);
    f.sensor.assign(sensor_);
    ctx_.sink.on_flow(f);
    ++ctx_.stats.flows;
  }

  LineReader& lines_;
  ReadContext& ctx_;
  std::string sensor_;
  std::vector<std::string_view> tok_;
  int col_[c_count] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  size_t ncols_ = 0;
  bool have_header_ = false;
  flowread::SkipCounter skips_;
  FlowRecord flow_;
};

}  // namespace

bool read_winfw(LineReader& lines, ReadContext& ctx) {
  PfirewallReader r(lines, ctx);
  return r.run();
}

}  // namespace outflow
