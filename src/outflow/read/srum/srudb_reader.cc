#include "outflow/read/srum/srudb_reader.h"

#include <libbfio.h>
#include <libesedb.h>
#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/read/srum/srum_decode.h"

namespace outflow::srum {

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  return hex_lower(md, len);
}

std::string hex_lower(const unsigned char* p, size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s.push_back(hex[p[i] >> 4]);
    s.push_back(hex[p[i] & 15]);
  }
  return s;
}

namespace {

// libesedb's message for an error, on one line, freed: the innermost cause (libcerror's
// backtrace starts with it) and, when there are more levels, the call that failed in the end.
std::string take_error(libesedb_error_t** err) {
  std::string msg;
  if (err && *err) {
    char buf[4096];
    if (libesedb_error_backtrace_sprint(*err, buf, sizeof buf) > 0) msg = buf;
    libesedb_error_free(err);
  }
  std::vector<std::string> levels;
  size_t pos = 0;
  while (pos < msg.size()) {
    size_t e = msg.find_first_of("\r\n", pos);
    if (e == std::string::npos) e = msg.size();
    if (e > pos) levels.push_back(msg.substr(pos, e - pos));
    pos = e + 1;
  }
  if (levels.empty()) return "unknown error";
  if (levels.size() == 1) return levels.front();
  return levels.front() + " ... " + levels.back();
}

// RAII holders for libesedb's objects.
struct Table {
  libesedb_table_t* t = nullptr;
  ~Table() {
    if (t) libesedb_table_free(&t, nullptr);
  }
};
struct Record {
  libesedb_record_t* r = nullptr;
  ~Record() {
    if (r) libesedb_record_free(&r, nullptr);
  }
};

// Column name -> value entry, for one table.
std::unordered_map<std::string, int> column_entries(libesedb_table_t* t) {
  std::unordered_map<std::string, int> m;
  int n = 0;
  if (libesedb_table_get_number_of_columns(t, &n, 0, nullptr) != 1) return m;
  for (int i = 0; i < n; ++i) {
    libesedb_column_t* c = nullptr;
    if (libesedb_table_get_column(t, i, &c, 0, nullptr) != 1) continue;
    size_t sz = 0;
    if (libesedb_column_get_utf8_name_size(c, &sz, nullptr) == 1 && sz > 0 && sz < 256) {
      std::vector<uint8_t> name(sz);
      if (libesedb_column_get_utf8_name(c, name.data(), sz, nullptr) == 1)
        m.emplace(std::string(reinterpret_cast<char*>(name.data()), strnlen(reinterpret_cast<char*>(name.data()), sz)), i);
    }
    libesedb_column_free(&c, nullptr);
  }
  return m;
}

// The raw bytes of one value (a long value read whole); false when it cannot be read. Empty
// for NULL.
bool raw_value(libesedb_record_t* r, int entry, std::string& out) {
  out.clear();
  uint8_t flags = 0;
  if (libesedb_record_get_value_data_flags(r, entry, &flags, nullptr) != 1) return false;
  if (flags & LIBESEDB_VALUE_FLAG_LONG_VALUE) {
    libesedb_long_value_t* lv = nullptr;
    if (libesedb_record_get_long_value(r, entry, &lv, nullptr) != 1) return false;
    size64_t sz = 0;
    bool ok = libesedb_long_value_get_data_size(lv, &sz, nullptr) == 1 && sz <= (1u << 20);
    if (ok && sz > 0) {
      out.resize(sz);
      ok = libesedb_long_value_get_data(lv, reinterpret_cast<uint8_t*>(out.data()), sz, nullptr) == 1;
    }
    libesedb_long_value_free(&lv, nullptr);
    return ok;
  }
  size_t sz = 0;
  if (libesedb_record_get_value_data_size(r, entry, &sz, nullptr) != 1) return false;
  if (sz == 0) return true;
  if (sz > (1u << 20)) return false;
  out.resize(sz);
  return libesedb_record_get_value_data(r, entry, reinterpret_cast<uint8_t*>(out.data()), sz, nullptr) == 1;
}

// A little-endian integer of 1, 2, 4 or 8 bytes (signed when `sign`).
bool int_value(libesedb_record_t* r, int entry, int64_t& v, std::string& scratch, bool sign = true) {
  if (entry < 0 || !raw_value(r, entry, scratch)) return false;
  const size_t n = scratch.size();
  if (n != 1 && n != 2 && n != 4 && n != 8) return false;
  uint64_t u = 0;
  for (size_t i = n; i-- > 0;) u = u << 8 | static_cast<uint8_t>(scratch[i]);
  if (sign && n < 8 && (u >> (8 * n - 1)) & 1) u |= ~uint64_t{0} << (8 * n);
  v = static_cast<int64_t>(u);
  return true;
}

int entry_of(const std::unordered_map<std::string, int>& cols, const char* name) {
  const auto it = cols.find(name);
  return it == cols.end() ? -1 : it->second;
}

struct IdName {
  int type = -1;
  std::string text;
};

// SruDbIdMapTable: IdIndex -> (IdType, text).
std::unordered_map<int64_t, IdName> read_id_map(libesedb_file_t* f, UsageFile& out, bool& found) {
  std::unordered_map<int64_t, IdName> ids;
  Table t;
  found = libesedb_file_get_table_by_utf8_name(f, reinterpret_cast<const uint8_t*>(kIdMapTable),
                                               std::strlen(kIdMapTable), &t.t, nullptr) == 1;
  if (!found) {
    out.notes.push_back("no SruDbIdMapTable: programs and users are shown by their ids");
    return ids;
  }
  const auto cols = column_entries(t.t);
  const int e_type = entry_of(cols, "IdType"), e_index = entry_of(cols, "IdIndex"), e_blob = entry_of(cols, "IdBlob");
  int n = 0;
  libesedb_error_t* err = nullptr;
  if (libesedb_table_get_number_of_records(t.t, &n, &err) != 1) {
    out.notes.push_back("libesedb cannot walk SruDbIdMapTable (" + take_error(&err) +
                        "): programs and users are shown by their ids");
    return ids;
  }
  std::string scratch, blob;
  uint64_t bad = 0;
  for (int i = 0; i < n; ++i) {
    Record r;
    if (libesedb_table_get_record(t.t, i, &r.r, nullptr) != 1) {
      ++bad;
      continue;
    }
    int64_t type = -1, index = -1;
    if (!int_value(r.r, e_type, type, scratch, false) || !int_value(r.r, e_index, index, scratch) || e_blob < 0 ||
        !raw_value(r.r, e_blob, blob)) {
      ++bad;
      continue;
    }
    IdName name;
    name.type = static_cast<int>(type);
    if (!blob.empty() &&
        !decode_id_blob(name.type, reinterpret_cast<const uint8_t*>(blob.data()), blob.size(), name.text))
      ++bad;
    ids[index] = std::move(name);
    ++out.id_map_rows;
  }
  if (bad) out.notes.push_back(std::to_string(bad) + " SruDbIdMapTable rows could not be read");
  return ids;
}

ProgramKind kind_of(const IdName& n) {
  switch (n.type) {
    case 0: return kind_of_program_text(n.text) == ProgramKind::path ? ProgramKind::path : ProgramKind::pseudo;
    case 1: return ProgramKind::service;
    case 2: return ProgramKind::package;
    default: return ProgramKind::unknown;
  }
}

void read_usage_table(libesedb_file_t* f, const std::unordered_map<int64_t, IdName>& ids, UsageFile& out) {
  Table t;
  if (libesedb_file_get_table_by_utf8_name(f, reinterpret_cast<const uint8_t*>(kNetworkUsageTable),
                                           std::strlen(kNetworkUsageTable), &t.t, nullptr) != 1) {
    out.no_usage_table = true;
    return;
  }
  const auto cols = column_entries(t.t);
  const int e_ts = entry_of(cols, "TimeStamp"), e_app = entry_of(cols, "AppId"), e_user = entry_of(cols, "UserId"),
            e_luid = entry_of(cols, "InterfaceLuid"), e_prof = entry_of(cols, "L2ProfileId"),
            e_flags = entry_of(cols, "L2ProfileFlags"), e_sent = entry_of(cols, "BytesSent"),
            e_recv = entry_of(cols, "BytesRecvd"), e_id = entry_of(cols, "AutoIncId");
  if (e_ts < 0 || e_app < 0 || e_sent < 0 || e_recv < 0) {
    out.error = "the network usage table has no TimeStamp, AppId, BytesSent or BytesRecvd column";
    return;
  }
  int n = 0;
  libesedb_error_t* err = nullptr;
  if (libesedb_table_get_number_of_records(t.t, &n, &err) != 1) {
    out.error = "libesedb cannot walk the network usage table (" + take_error(&err) + ")";
    return;
  }
  if (!out.sink) out.rows.reserve(static_cast<size_t>(n));
  std::string scratch, ts;
  for (int i = 0; i < n; ++i) {
    Record r;
    if (libesedb_table_get_record(t.t, i, &r.r, nullptr) != 1) {
      ++out.bad_rows;
      continue;
    }
    UsageRecord u;
    int64_t sent = 0, recvd = 0, luid = 0;
    // TimeStamp: the column's 8 raw bytes, an OLE date (srum_decode.h), not libesedb's conversion.
    if (!raw_value(r.r, e_ts, ts) || ts.size() != 8 || !int_value(r.r, e_app, u.app_id, scratch) ||
        !int_value(r.r, e_sent, sent, scratch) || !int_value(r.r, e_recv, recvd, scratch) || sent < 0 || recvd < 0) {
      ++out.bad_rows;
      continue;
    }
    u.end = ole_date_bytes_to_ns(reinterpret_cast<const uint8_t*>(ts.data()));
    if (u.end == kNoTime) {
      ++out.bad_rows;
      continue;
    }
    int_value(r.r, e_user, u.user_id, scratch);
    if (int_value(r.r, e_luid, luid, scratch)) u.interface_luid = static_cast<uint64_t>(luid);
    int_value(r.r, e_prof, u.l2_profile_id, scratch);
    int_value(r.r, e_flags, u.l2_profile_flags, scratch);
    int_value(r.r, e_id, u.row_id, scratch);
    u.bytes_sent = static_cast<uint64_t>(sent);
    u.bytes_recvd = static_cast<uint64_t>(recvd);
    if (const auto a = ids.find(u.app_id); a != ids.end()) {
      u.program = a->second.text;
      u.kind = kind_of(a->second);
    }
    if (const auto s = ids.find(u.user_id); s != ids.end() && s->second.type == 3) u.user_sid = s->second.text;
    u.interface_total = is_interface_total(u.app_id, u.user_id, u.program);
    out.add(std::move(u));
  }
}

// The connectivity table: per interface and interval, its connected time. A missing table is
// no error (older builds, a damaged catalog): coverage says there is none.
void read_connectivity_table(libesedb_file_t* f, UsageFile& out) {
  Table t;
  if (libesedb_file_get_table_by_utf8_name(f, reinterpret_cast<const uint8_t*>(kConnectivityTable),
                                           std::strlen(kConnectivityTable), &t.t, nullptr) != 1)
    return;
  out.has_connectivity_table = true;
  const auto cols = column_entries(t.t);
  const int e_ts = entry_of(cols, "TimeStamp"), e_luid = entry_of(cols, "InterfaceLuid"), e_prof = entry_of(cols, "L2ProfileId"),
            e_conn = entry_of(cols, "ConnectedTime"), e_start = entry_of(cols, "ConnectStartTime");
  int n = 0;
  if (e_ts < 0 || libesedb_table_get_number_of_records(t.t, &n, nullptr) != 1) {
    out.notes.push_back("the connectivity table cannot be read: interfaces' connected time unknown");
    return;
  }
  std::string scratch, ts;
  for (int i = 0; i < n; ++i) {
    Record r;
    if (libesedb_table_get_record(t.t, i, &r.r, nullptr) != 1) {
      ++out.bad_connectivity_rows;
      continue;
    }
    ConnectivityRow c;
    if (!raw_value(r.r, e_ts, ts) || ts.size() != 8 ||
        (c.end = ole_date_bytes_to_ns(reinterpret_cast<const uint8_t*>(ts.data()))) == kNoTime) {
      ++out.bad_connectivity_rows;
      continue;
    }
    int64_t v = 0;
    if (int_value(r.r, e_luid, v, scratch)) c.interface_luid = static_cast<uint64_t>(v);
    int_value(r.r, e_prof, c.l2_profile_id, scratch);
    if (int_value(r.r, e_conn, v, scratch) && v >= 0) c.connected_seconds = v;
    // ConnectStartTime: a FILETIME (100 ns ticks since 1601).
    constexpr int64_t kEpochDiff = 116444736000000000LL;
    constexpr int64_t kTicks2100 = kEpochDiff + kMaxRecordTime / 100;  // past it, * 100 could overflow
    if (int_value(r.r, e_start, v, scratch) && v > kEpochDiff && v < kTicks2100) c.connect_start = (v - kEpochDiff) * 100;
    out.connectivity.push_back(c);
  }
  if (out.bad_connectivity_rows)
    out.notes.push_back(std::to_string(out.bad_connectivity_rows) + " connectivity table rows could not be read");
}

}  // namespace

void read_srudb_bytes(std::string bytes, const std::string& path, UsageFile& out) {
  out.path = path;
  out.source = "srudb";
  const EseHeader h = read_ese_header(bytes);
  if (!h.ese) {
    out.error = path + ": not an ESE database (no 0x89ABCDEF signature at offset 4)";
    return;
  }
  out.dirty = h.state == 2;
  if (!h.checksum_ok) out.header_checksums_fixed = fix_header_checksums(bytes);
  libesedb_file_t* f = nullptr;
  libbfio_handle_t* io = nullptr;
  libesedb_error_t* err = nullptr;
  libbfio_error_t* berr = nullptr;
  if (libbfio_memory_range_initialize(&io, &berr) != 1 ||
      libbfio_memory_range_set(io, reinterpret_cast<uint8_t*>(bytes.data()), bytes.size(), &berr) != 1) {
    libbfio_error_free(&berr);
    if (io) libbfio_handle_free(&io, nullptr);
    out.error = path + ": libbfio cannot make a memory range";
    return;
  }
  if (libesedb_file_initialize(&f, &err) != 1) {
    out.error = path + ": libesedb: " + take_error(&err);
    libbfio_handle_free(&io, nullptr);
    return;
  }
  if (libesedb_file_open_file_io_handle(f, io, LIBESEDB_OPEN_READ, &err) != 1) {
    out.error = path + ": libesedb cannot read this database (" + take_error(&err) + ")";
    if (h.format_version != 0x620)
      out.error += fmt::format("; ESE format version {:#x} (SRUM on Windows 8-11 is 0x620)", h.format_version);
  } else {
    bool id_map = false;
    const auto ids = read_id_map(f, out, id_map);
    read_usage_table(f, ids, out);
    read_connectivity_table(f, out);
    if (!id_map && out.no_usage_table) {
      out.notes.clear();
      out.error = "an ESE database, but not SRUM: neither SruDbIdMapTable nor the network usage table " +
                  std::string(kNetworkUsageTable);
    }
    if (!out.error.empty()) out.error = path + ": " + out.error;
    libesedb_file_close(f, nullptr);
  }
  libesedb_file_free(&f, nullptr);
  libbfio_handle_free(&io, nullptr);
}

bool read_whole(ByteSource& src, uint64_t max_bytes, std::string& out, std::string& error) {
  out.clear();
  if (const int64_t n = src.random_access_size(); n > 0 && static_cast<uint64_t>(n) <= max_bytes)
    out.reserve(static_cast<size_t>(n));
  char buf[1 << 16];
  for (;;) {
    const long n = src.read(buf, sizeof buf);
    if (n < 0) {
      error = src.error();
      return false;
    }
    if (n == 0) return true;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      error = "larger than " + std::to_string(max_bytes >> 20) + " MiB, not read";
      return false;
    }
  }
}

void read_srudb(ByteSource& src, const std::string& path, UsageFile& out, uint64_t max_bytes) {
  std::string bytes, err;
  if (!read_whole(src, max_bytes, bytes, err)) {
    out.path = path;
    out.error = path + ": " + err;
    return;
  }
  out.sha256 = sha256_hex(bytes);
  read_srudb_bytes(std::move(bytes), path, out);
}

}  // namespace outflow::srum
