#include "outflow/read/input.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "outflow/read/fw_detect.h"
#include "outflow/read/srum/srum_decode.h"
#include "outflow/read/srum/srum_export.h"
#include "outflow/read/suricata/eve_detect.h"
#include "outflow/read/zeek/zeek_fields.h"

namespace outflow {

const char* input_format_name(InputFormat f) {
  switch (f) {
    case InputFormat::empty: return "empty";
    case InputFormat::windows_json: return "windows-json";
    case InputFormat::zeek_tsv: return "zeek-tsv";
    case InputFormat::zeek_json: return "zeek-json";
    case InputFormat::nfdump_csv: return "nfdump-csv";
    case InputFormat::evtx: return "evtx";
    case InputFormat::zeek_text: return "zeek-text";
    case InputFormat::squid: return "squid";
    case InputFormat::panos: return "panos";
    case InputFormat::fortigate: return "fortigate";
    case InputFormat::winfw: return "windows-firewall";
    case InputFormat::suricata_eve: return "suricata-eve";
    case InputFormat::srudb: return "srudb";
    case InputFormat::srum_export: return "srum-export";
    default: return "unknown";
  }
}

namespace {

// The first line of JSON lines that are not Windows events but a Zeek log without a connection
// id: "_path", or keys only Zeek logs have (files, x509, capture_loss, dhcp), or a file named
// like a Zeek log.
bool zeek_json_line(std::string_view line, std::string_view path) {
  const auto has = [&](const char* k) { return line.find(k) != std::string_view::npos; };
  if (has("EventID") || has("event_id") || has("EventId") || has("\"winlog") || has("EventData")) return false;
  if (has("\"_path\"")) return true;
  for (const char* k : {"\"fuid\"", "\"certificate.", "\"percent_lost\"", "\"assigned_addr\"", "\"client_addr\"",
                        "\"tx_hosts\"", "\"conn_uids\""})
    if (has(k)) return true;
  return !path.empty() && !flowread::zeek_log_from_file_name(path).empty();
}

}  // namespace

InputFormat detect_format(std::string_view head, std::string_view path) {
  if (head.size() >= 8 && std::memcmp(head.data(), "ElfFile\0", 8) == 0) return InputFormat::evtx;
  if (srum::is_ese_head(head)) return InputFormat::srudb;
  if (srum::detect_export(head) != srum::ExportShape::none) return InputFormat::srum_export;
  // Skip a UTF-8 BOM and leading blank space.
  if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xEF &&
      static_cast<unsigned char>(head[1]) == 0xBB && static_cast<unsigned char>(head[2]) == 0xBF)
    head.remove_prefix(3);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\n' || head.front() == '\r' ||
                           head.front() == '\t'))
    head.remove_prefix(1);
  if (head.empty()) return InputFormat::empty;
  if (head.starts_with("#separator")) return InputFormat::zeek_tsv;
  if (head.starts_with("ts,te,td,sa,da,sp,dp,pr")) return InputFormat::nfdump_csv;
  if (head.front() == '{') {
    const std::string_view first_line = head.substr(0, head.find('\n'));
    if (suricata::eve_line(first_line)) return InputFormat::suricata_eve;
    if (first_line.find("\"id.orig_h\"") != std::string_view::npos ||
        first_line.find("\"id_orig_h\"") != std::string_view::npos || zeek_json_line(first_line, path))
      return InputFormat::zeek_json;
    return InputFormat::windows_json;
  }
  if (const InputFormat fw = detect_text_log(head); fw != InputFormat::unknown) return fw;
  // Text (no NUL byte) in a file named like a Zeek log: conn-summary's report.
  if (!path.empty() && !flowread::zeek_log_from_file_name(path).empty() &&
      head.find('\0') == std::string_view::npos)
    return InputFormat::zeek_text;
  return InputFormat::unknown;
}

namespace {

bool skip_name(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name.starts_with("_SOURCE") || name.starts_with("LICENSE") ||
         name.ends_with(".md") || name.ends_with(".yaml") || name.ends_with(".yml") ||
         name.ends_with(".txt") || name.ends_with(".tsv") || name.ends_with(".pcap") ||
         name.ends_with(".pcapng") || name.ends_with(".cap");
}

}  // namespace

bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& files,
                   std::string& error) {
  namespace fs = std::filesystem;
  for (const auto& a : args) {
    if (a == "-") {
      files.push_back(a);
      continue;
    }
    std::error_code ec;
    const auto st = fs::status(a, ec);
    if (ec || !fs::exists(st)) {
      error = a + ": no such file or directory";
      return false;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && !skip_name(it->path())) found.push_back(it->path().string());
      }
      if (ec) {
        error = a + ": " + ec.message();
        return false;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(a);
    }
  }
  return true;
}

bool detect_input(const std::string& path, DetectedInput& in, std::string& error) {
  in = DetectedInput{path};
  auto src = open_byte_source(path, error);
  if (!src) return false;
  std::string head;
  if (!read_up_to(*src, DetectedInput::kDetectBytes, head)) {
    error = path + ": " + src->error();
    return false;
  }
  in.format = detect_format(head, path);
  const flowread::ZeekLog log = flowread::zeek_log_of_head(head, in.format, path);
  in.names = log == flowread::ZeekLog::dns || log == flowread::ZeekLog::ssl || log == flowread::ZeekLog::http ||
             log == flowread::ZeekLog::dhcp || log == flowread::ZeekLog::files;
  if (in.format == InputFormat::suricata_eve) in.names = suricata::eve_names_line(head.substr(0, head.find('\n')));
  if (src->read_once()) in.once = std::make_shared<PeekedSource>(std::move(src), std::move(head));
  return true;
}

bool read_input_file(const std::string& path, RecordSink& sink, Diagnostics& diag, FileStats& stats,
                     std::string& error, unsigned threads, size_t line_buffer) {
  return read_input_file(path, nullptr, sink, diag, stats, error, threads, line_buffer);
}

bool read_input_file(const std::string& path, ByteSource* opened, RecordSink& sink, Diagnostics& diag,
                     FileStats& stats, std::string& error, unsigned threads, size_t line_buffer) {
  if (opened)
    return read_input(*opened, path, sink, diag, stats, error, LineReader::kDefaultMaxLine, threads, line_buffer);
  auto src = open_byte_source(path, error);
  if (!src) {
    stats = FileStats{};
    stats.path = path;
    diag.bad_input(path, error);
    return false;
  }
  return read_input(*src, path, sink, diag, stats, error, LineReader::kDefaultMaxLine, threads, line_buffer);
}

bool read_input(ByteSource& src, const std::string& path, RecordSink& sink, Diagnostics& diag,
                FileStats& stats, std::string& error, size_t max_line, unsigned threads, size_t line_buffer) {
  stats = FileStats{};
  stats.path = path;
  // Peek the first bytes (decompressed) for detection; they are replayed to the reader.
  std::string head;
  if (!read_up_to(src, DetectedInput::kDetectBytes, head)) {
    error = path + ": " + src.error();
    diag.bad_input(path, src.error());
    return false;
  }
  stats.format = detect_format(head, path);
  PeekedSource replay(src, std::move(head));
  ReadContext ctx{path, sink, diag, stats, threads};
  bool ok = true;
  if (stats.format == InputFormat::evtx) {
    ok = read_evtx(replay, ctx);
  } else if (stats.format == InputFormat::empty || srum_format(stats.format)) {
    // SRUM is read by `outflow usage` (read/srum), not into the session pipeline.
    ok = true;
  } else if (stats.format == InputFormat::unknown) {
    error = path + ": format not recognised (expected Windows/Sysmon JSON lines, EVTX, Zeek TSV or "
                   "JSON logs, Suricata EVE JSON, nfdump -o csv, Squid access.log, PAN-OS or FortiGate traffic logs, or pfirewall.log)";
    diag.bad_input(path, "format not recognised");
    return false;
  } else {
    LineReader lines(replay, max_line, line_buffer);
    switch (stats.format) {
      case InputFormat::windows_json: ok = read_windows_json(lines, ctx); break;
      case InputFormat::zeek_tsv: ok = read_zeek_tsv(lines, ctx); break;
      case InputFormat::zeek_json: ok = read_zeek_json(lines, ctx); break;
      case InputFormat::nfdump_csv: ok = read_nfdump_csv(lines, ctx); break;
      case InputFormat::zeek_text: ok = read_zeek_text(lines, ctx); break;
      case InputFormat::squid: ok = read_squid(lines, ctx); break;
      case InputFormat::panos: ok = read_panos(lines, ctx); break;
      case InputFormat::fortigate: ok = read_fortigate(lines, ctx); break;
      case InputFormat::winfw: ok = read_winfw(lines, ctx); break;
      case InputFormat::suricata_eve: ok = read_suricata_eve(lines, ctx); break;
      default: break;
    }
    stats.bytes = lines.bytes_consumed();
    stats.lines = lines.line_number();
    if (!ok && error.empty()) error = path + ": " + lines.error();
  }
  stats.raw_bytes = src.raw_bytes_read();
  if (!ok) {
    if (error.empty()) error = path + ": " + (src.error().empty() ? std::string("read error") : src.error());
    diag.bad_input(path, error);
  }
  return ok;
}

}  // namespace outflow
