#include "outflow/read/srum/srum_export.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include <openssl/evp.h>

#include "outflow/core/utf8.h"
#include "outflow/read/fw_common.h"
#include "outflow/read/line_reader.h"
#include "outflow/read/srum/srudb_reader.h"

namespace outflow::srum {

namespace {

using fwread::split_csv;

std::string_view skip_bom_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  return s;
}

bool has(std::string_view s, std::string_view k) { return s.find(k) != std::string_view::npos; }

constexpr size_t kMaxText = 4096;  // a program path or user name longer than this is cut

bool parse_i64(std::string_view s, int64_t& v) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool plausible_bytes(int64_t v) { return v >= 0 && v <= (int64_t{1} << 50); }

// SRUM's time stamps are whole seconds: an export that prints the OLE date's double with a
// fraction (16:34:59.9999) is rounded to the nearest one; one cut to the second stays cut.
void finish(UsageRecord& u) {
  u.end = (u.end + kNsPerSec / 2) / kNsPerSec * kNsPerSec;
  u.kind = kind_of_program_text(u.program);
  u.interface_total = is_interface_total(u.app_id, u.user_id, u.program);
}

// The next line; an overlong one (over 64 MiB) is counted as a bad row and skipped. False at
// the end or on a read error (LineReader::error()).
bool next_line(LineReader& lines, std::string_view& line, UsageFile& out) {
  for (;;) {
    const LineReader::Status st = lines.next(line);
    if (st == LineReader::Status::line) return true;
    if (st != LineReader::Status::too_long) return false;
    ++out.bad_rows;
  }
}

// --- SrumECmd CSV ------------------------------------------------------------------------------

void read_srumecmd(LineReader& lines, UsageFile& out) {
  // The columns read, by name (their order may change between SrumECmd versions).
  enum Col { kTimestamp, kExeInfo, kSid, kUserName, kUserId, kAppId, kRecv, kSent, kLuid, kFlags, kProfile, kId, kCols };
  static constexpr const char* kNames[kCols] = {"Timestamp", "ExeInfo", "Sid", "UserName", "UserId", "AppId",
                                                "BytesReceived", "BytesSent", "InterfaceLuid", "L2ProfileFlags",
                                                "L2ProfileId", "Id"};
  size_t col[kCols];
  std::fill(std::begin(col), std::end(col), SIZE_MAX);
  std::vector<std::string_view> f;
  std::string scratch;
  bool header = true;
  std::string_view line;
  while (next_line(lines, line, out)) {
    if (header) {
      line = skip_bom_space(line);
      if (!split_csv(line, f, scratch)) break;
      for (size_t i = 0; i < f.size(); ++i)
        for (int c = 0; c < kCols; ++c)
          if (f[i] == kNames[c] && col[c] == SIZE_MAX) col[c] = i;
      header = false;
      continue;
    }
    if (line.empty()) continue;
    auto get = [&](Col c) { return col[c] < f.size() ? f[col[c]] : std::string_view{}; };
    UsageRecord u;
    int64_t sent = -1, recvd = -1, luid = 0;
    if (!split_csv(line, f, scratch) || parse_record_time(get(kTimestamp), u.end) != TimeParse::ok ||
        !parse_i64(get(kSent), sent) || !parse_i64(get(kRecv), recvd) || !plausible_bytes(sent) || !plausible_bytes(recvd)) {
      ++out.bad_rows;
      continue;
    }
    u.bytes_sent = static_cast<uint64_t>(sent);
    u.bytes_recvd = static_cast<uint64_t>(recvd);
    parse_i64(get(kAppId), u.app_id);
    parse_i64(get(kUserId), u.user_id);
    parse_i64(get(kId), u.row_id);
    if (parse_i64(get(kLuid), luid)) u.interface_luid = static_cast<uint64_t>(luid);
    parse_i64(get(kProfile), u.l2_profile_id);
    parse_i64(get(kFlags), u.l2_profile_flags);
    assign_capped(u.program, get(kExeInfo), kMaxText);
    assign_capped(u.user_sid, get(kSid), 256);
    assign_capped(u.user_name, get(kUserName), 256);
    finish(u);
    out.add(std::move(u));
  }
  if (header) out.error = "no CSV header";
}

// --- Chainsaw and Velociraptor JSON ------------------------------------------------------------

using simdjson::dom::element;
using simdjson::dom::object;

bool json_int(const object& o, const char* k, int64_t& v) {
  element e;
  if (o[k].get(e)) return false;
  int64_t i;
  uint64_t u;
  double d;
  std::string_view s;
  if (!e.get_int64().get(i)) v = i;
  else if (!e.get_uint64().get(u)) v = static_cast<int64_t>(u);
  else if (!e.get_double().get(d) && d >= -9.2e18 && d <= 9.2e18) v = static_cast<int64_t>(d);
  else if (!e.get_string().get(s)) return parse_i64(s, v);
  else return false;
  return true;
}

std::string_view json_str(const object& o, const char* k) {
  std::string_view s;
  if (o[k].get_string().get(s)) return {};
  return s;
}

// One network usage row of either JSON shape (the field names differ: AppName / App, UserSID /
// UserSid, UserName / User, AutoIncId / SRUMId). False when it is not one.
bool json_row(const object& o, UsageRecord& u, bool& malformed) {
  malformed = false;
  element e;
  if (!o["Table"].get(e)) {  // Chainsaw: every table's rows; only the network usage table's count
    std::string_view t;
    if (e.get_string().get(t) || t != kNetworkUsageTable) return false;
  }
  int64_t sent = -1, recvd = -1, luid = 0;
  if (!json_int(o, "BytesSent", sent) || !json_int(o, "BytesRecvd", recvd)) {
    malformed = !o["BytesSent"].get(e) || !o["BytesRecvd"].get(e);
    return false;
  }
  malformed = true;
  if (!plausible_bytes(sent) || !plausible_bytes(recvd)) return false;
  if (parse_record_time(json_str(o, "TimeStamp"), u.end) != TimeParse::ok) return false;
  malformed = false;
  u.bytes_sent = static_cast<uint64_t>(sent);
  u.bytes_recvd = static_cast<uint64_t>(recvd);
  json_int(o, "AppId", u.app_id);
  json_int(o, "UserId", u.user_id);
  if (!json_int(o, "AutoIncId", u.row_id)) json_int(o, "SRUMId", u.row_id);
  if (json_int(o, "InterfaceLuid", luid)) u.interface_luid = static_cast<uint64_t>(luid);
  json_int(o, "L2ProfileId", u.l2_profile_id);
  json_int(o, "L2ProfileFlags", u.l2_profile_flags);
  std::string_view app = json_str(o, "AppName");
  if (app.empty()) app = json_str(o, "App");
  std::string_view sid = json_str(o, "UserSID");
  if (sid.empty()) sid = json_str(o, "UserSid");
  std::string_view name = json_str(o, "UserName");
  if (name.empty()) name = json_str(o, "User");
  assign_capped(u.program, app, kMaxText);
  assign_capped(u.user_sid, sid, 256);
  assign_capped(u.user_name, name, 256);
  finish(u);
  return true;
}

void take(const element& e, UsageFile& out) {
  object o;
  if (e.get_object().get(o)) {
    ++out.bad_rows;
    return;
  }
  UsageRecord u;
  bool malformed = false;
  if (json_row(o, u, malformed)) out.add(std::move(u));
  else if (malformed) ++out.bad_rows;
}

// A JSON array (Chainsaw; Velociraptor's array form): parsed whole, at most `max_bytes`.
void read_json_array(ByteSource& src, uint64_t max_bytes, UsageFile& out) {
  std::string bytes;
  if (!read_whole(src, max_bytes, bytes, out.error)) return;
  const std::string_view body = skip_bom_space(bytes);
  const simdjson::padded_string doc(body);
  simdjson::dom::parser parser;
  element root;
  if (const auto err = parser.parse(doc).get(root)) {
    out.error = std::string("not valid JSON: ") + simdjson::error_message(err);
    return;
  }
  simdjson::dom::array arr;
  if (root.get_array().get(arr)) return;
  for (const element e : arr) take(e, out);
}

// JSON lines (Velociraptor): one document at a time, so memory follows the longest line. A line
// holding several documents is read as a stream; a malformed document ends the input (counted),
// as a stream of documents cannot resynchronise after one.
void read_json_lines(LineReader& lines, UsageFile& out) {
  simdjson::dom::parser parser;
  std::string_view line;
  bool first = true;
  while (next_line(lines, line, out)) {
    if (first) line = skip_bom_space(line);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r')) line.remove_prefix(1);
    first = false;
    if (line.empty()) continue;
    // The line is followed in memory by LineReader::kPadding readable bytes (simdjson's padding).
    element e;
    if (!parser.parse(line.data(), line.size(), false).get(e)) {
      take(e, out);
      continue;
    }
    simdjson::dom::document_stream stream;
    if (parser.parse_many(reinterpret_cast<const uint8_t*>(line.data()), line.size(), std::max<size_t>(line.size() + 1, 64))
            .get(stream)) {
      ++out.bad_rows;
      return;
    }
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      if ((*it).get(e)) {
        ++out.bad_rows;
        return;
      }
      take(e, out);
    }
  }
}

// A ByteSource that hashes (SHA-256) every byte read through it.
class Sha256Source final : public ByteSource {
 public:
  explicit Sha256Source(ByteSource& inner) : inner_(inner), ctx_(EVP_MD_CTX_new()) {
    if (ctx_ && EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(ctx_);
      ctx_ = nullptr;
    }
  }
  ~Sha256Source() override { EVP_MD_CTX_free(ctx_); }
  Sha256Source(const Sha256Source&) = delete;
  Sha256Source& operator=(const Sha256Source&) = delete;
  long read(char* buf, size_t n) override {
    const long r = inner_.read(buf, n);
    if (r < 0) error_ = inner_.error();
    else if (r > 0 && ctx_) EVP_DigestUpdate(ctx_, buf, static_cast<size_t>(r));
    return r;
  }
  uint64_t raw_bytes_read() const override { return inner_.raw_bytes_read(); }
  // The rest of the input read and hashed; false on a read error.
  bool drain() {
    char buf[1 << 16];
    for (long r; (r = read(buf, sizeof buf)) != 0;)
      if (r < 0) return false;
    return true;
  }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!ctx_ || EVP_DigestFinal_ex(ctx_, md, &len) != 1) return {};
    return hex_lower(md, len);
  }

 private:
  ByteSource& inner_;
  EVP_MD_CTX* ctx_;
};

}  // namespace

const char* export_shape_name(ExportShape s) {
  switch (s) {
    case ExportShape::srumecmd_csv: return "srumecmd-csv";
    case ExportShape::chainsaw_json: return "chainsaw-json";
    case ExportShape::velociraptor_json: return "velociraptor-json";
    default: return "none";
  }
}

ExportShape detect_export(std::string_view head) {
  head = skip_bom_space(head);
  if (head.starts_with("Id,Timestamp,ExeInfo,") && has(head.substr(0, head.find('\n')), "BytesSent"))
    return ExportShape::srumecmd_csv;
  if (head.empty() || (head.front() != '{' && head.front() != '[')) return ExportShape::none;
  const std::string_view first = head.substr(0, head.find('\n'));
  if (head.front() == '[' && has(head, "\"TableName\"") && has(head, "\"Table\"")) return ExportShape::chainsaw_json;
  if (has(first, "\"SRUMId\"") && has(first, "\"BytesRecvd\"")) return ExportShape::velociraptor_json;
  if (head.front() == '[' && has(head, "\"SRUMId\"") && has(head, "\"BytesRecvd\"")) return ExportShape::velociraptor_json;
  return ExportShape::none;
}

bool srum_like_json(std::string_view head) {
  head = skip_bom_space(head);
  if (head.empty() || (head.front() != '{' && head.front() != '[')) return false;
  const std::string_view first = head.substr(0, head.find('\n'));
  return detect_export(head) == ExportShape::none && has(first, "\"BytesSent\"") &&
         (has(first, "\"BytesRecvd\"") || has(first, "\"BytesReceived\""));
}

void read_export(ByteSource& src, ExportShape shape, const std::string& path, UsageFile& out, uint64_t max_bytes) {
  out.path = path;
  out.source = export_shape_name(shape);
  Sha256Source hashed(src);
  std::string head, read_error;
  if (shape == ExportShape::none) {
    out.error = "not a known SRUM export";
  } else {
    if (!read_up_to(hashed, 64 * 1024, head)) read_error = hashed.error();  // the rows before it still count
    const bool array = shape != ExportShape::srumecmd_csv && skip_bom_space(head).starts_with('[');
    PeekedSource body(hashed, std::move(head));  // the head again, then the rest (hashed once)
    if (array) {
      read_json_array(body, max_bytes, out);
    } else {
      LineReader lines(body);
      if (shape == ExportShape::srumecmd_csv) read_srumecmd(lines, out);
      else read_json_lines(lines, out);
      if (read_error.empty()) read_error = lines.error();
    }
  }
  // The hash is of the whole input, whatever part of it was read.
  if (read_error.empty() && out.error.empty() && !hashed.drain()) read_error = hashed.error();
  if (!read_error.empty()) {
    if (out.rows_read == 0) out.error = read_error;  // the cause of whatever else went wrong
    else if (out.error.empty())
      out.notes.push_back("read error after " + std::to_string(out.rows_read) + " rows (" + read_error +
                          "): the rows before it are used");
  }
  out.sha256 = hashed.hex();
  if (!out.error.empty()) out.error = path + ": " + out.error;
}

void read_export(std::string_view bytes, ExportShape shape, const std::string& path, UsageFile& out) {
  const auto src = memory_byte_source(std::string(bytes));
  read_export(*src, shape, path, out);
}

}  // namespace outflow::srum
