// Reading inputs: expand folders, detect each file's format from its content (never its name),
// decompress transparently, and hand the file to the reader for its format.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "outflow/read/diagnostics.h"
#include "outflow/read/line_reader.h"
#include "outflow/read/sink.h"

namespace outflow {

// zeek_text: a file named like a Zeek log that is neither TSV nor JSON (conn-summary's text
// report): counted as read but not used.
// squid, panos, fortigate, winfw: proxy and firewall logs (read/squid, read/panos, read/fortigate,
// read/winfw; docs/firewall-logs.md).
// srudb: SRUM's SRUDB.dat (an ESE database, by its header); srum_export: SrumECmd's network usage
// CSV, Chainsaw's `analyse srum` JSON or Velociraptor's SRUM network usage rows (read/srum,
// docs/srum.md). Both are read by `outflow usage`, `hunt` and `coverage`; the other commands skip them with a note.
enum class InputFormat { unknown, empty, windows_json, zeek_tsv, zeek_json, nfdump_csv, evtx, zeek_text,
                         squid, panos, fortigate, winfw, suricata_eve, srudb, srum_export };
// Whether `f` is SRUM (SRUDB.dat or an export of it).
inline bool srum_format(InputFormat f) { return f == InputFormat::srudb || f == InputFormat::srum_export; }
const char* input_format_name(InputFormat f);

// Looks at the first bytes (decompressed) of a file. `path`, when given, helps with JSON lines
// that are Zeek logs without a connection id or "_path" (x509.log, dhcp.log, capture_loss.log):
// a file named like a Zeek log whose first line is not a Windows event is read as Zeek JSON.
InputFormat detect_format(std::string_view head, std::string_view path = {});

// What reading one file produced, for coverage and benchmarks.
struct FileStats {
  std::string path;
  InputFormat format = InputFormat::unknown;
  uint64_t raw_bytes = 0;      // as stored (compressed)
  uint64_t bytes = 0;          // decompressed
  uint64_t lines = 0;          // or records, for binary formats
  uint64_t host_events = 0, flows = 0, dns = 0;
  uint64_t app = 0, dhcp = 0, capture_loss = 0;  // Zeek ssl/http, dhcp and capture_loss records used
  uint64_t files = 0;                             // Zeek files.log records
  uint64_t proxy = 0;                             // proxy requests (Squid access.log)
  uint64_t alerts = 0;                            // IDS alerts (Suricata EVE)
  // Zeek logs recognised but not used (files, x509, weird...): log names and their data lines.
  uint64_t unused_logs = 0, unused_lines = 0;
  uint64_t records() const { return host_events + flows + dns + app + dhcp + capture_loss + files + proxy + alerts; }
  uint64_t bad = 0;
  uint64_t recovered = 0;      // records kept from damaged structures (EVTX), see Diagnostics
};

// Everything a format reader needs. The reader reports every malformed record to `diag`
// (with file, line, offset and reason) and goes on; it returns false only when the input as a
// whole could not be read (I/O error, decompression error), having delivered what it could.
struct ReadContext {
  const std::string& file;
  RecordSink& sink;
  Diagnostics& diag;
  FileStats& stats;
  unsigned threads = 0;  // for readers that parse in parallel (EVTX): 0 = one per usable core
};

bool read_windows_json(LineReader& lines, ReadContext& ctx);
bool read_zeek_tsv(LineReader& lines, ReadContext& ctx);
bool read_zeek_json(LineReader& lines, ReadContext& ctx);
bool read_nfdump_csv(LineReader& lines, ReadContext& ctx);
bool read_zeek_text(LineReader& lines, ReadContext& ctx);
bool read_squid(LineReader& lines, ReadContext& ctx);
bool read_panos(LineReader& lines, ReadContext& ctx);
bool read_fortigate(LineReader& lines, ReadContext& ctx);
bool read_winfw(LineReader& lines, ReadContext& ctx);
bool read_suricata_eve(LineReader& lines, ReadContext& ctx);  // read/suricata (docs/suricata.md)
// EVTX is binary: read from the byte stream (the peeked bytes included).
bool read_evtx(ByteSource& src, ReadContext& ctx);

// Expands the command line's inputs: "-" is stdin, a folder is searched recursively (files
// sorted by path, hidden files and our own outputs skipped). Missing paths are errors.
bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& files,
                   std::string& error);

// An input whose format has been detected (from its first few KiB, decompressed). A regular
// file is opened again to be read. An input that can be read only once (stdin, a pipe such as
// bash's <(...), a FIFO, a character device, a socket: ByteSource::read_once()) stays open
// instead, in `once`, with the bytes detection read kept (at most kDetectBytes decompressed):
// the reader continues from them, so every byte is read exactly once.
struct DetectedInput {
  static constexpr size_t kDetectBytes = 8 * 1024;
  std::string path;
  InputFormat format = InputFormat::unknown;
  std::shared_ptr<ByteSource> once{};
  // A Zeek log that gives names (dns, ssl, http, dhcp; by #path, "_path", or the file's name):
  // read before connection logs when inputs are read one after another, so sessions find them.
  bool names = false;
};

// Opens `path` ("-" = stdin) and detects its format without reading the rest: for ordering
// inputs before reading them. False with `error` if it cannot be opened or read.
bool detect_input(const std::string& path, DetectedInput& in, std::string& error);

// Opens, detects and reads one file. Returns false with `error` set when the file cannot be
// opened or its format is not understood (also recorded in diag.bad_input). `threads` as in
// ReadContext.
bool read_input_file(const std::string& path, RecordSink& sink, Diagnostics& diag, FileStats& stats,
                     std::string& error, unsigned threads = 0, size_t line_buffer = LineReader::kDefaultBuffer);
// The same for an input detect_input() has seen: from `opened` when it is set (its
// DetectedInput::once), else from `path`, opened now.
bool read_input_file(const std::string& path, ByteSource* opened, RecordSink& sink, Diagnostics& diag,
                     FileStats& stats, std::string& error, unsigned threads = 0,
                     size_t line_buffer = LineReader::kDefaultBuffer);
// The same on an opened source (stdin, memory: tests and fuzzers); `path` names it in reports.
bool read_input(ByteSource& src, const std::string& path, RecordSink& sink, Diagnostics& diag,
                FileStats& stats, std::string& error, size_t max_line = LineReader::kDefaultMaxLine,
                unsigned threads = 0, size_t line_buffer = LineReader::kDefaultBuffer);

}  // namespace outflow
