// The two network sensors: Zeek (conn.log, dns.log, TSV with the ASCII writer's headers) and a
// NetFlow exporter read back with `nfdump -o csv` (one direction per record, long flows cut by
// the active timeout). Both see the same connections. Records are written in the order the
// sensors would write them: Zeek when a connection ends, NetFlow when a piece is exported, so
// a connection is held (in a heap) until the simulation's time passes its end. Memory is the
// connections still open, not the output.
#pragma once
#include <cstdio>
#include <queue>
#include <string>
#include <vector>

#include "outflow/simulate/rng.h"
#include "outflow/simulate/world.h"

namespace outflow::sim {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  bool open(const std::string& path, std::string& error);
  // Appends buf to the file once it holds more than `threshold` bytes (0: always); false on a
  // write error.
  bool write(std::string& buf, size_t threshold = 0);
  bool close(std::string& error);
  uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* f_ = nullptr;
  std::string path_;
  uint64_t bytes_ = 0;
};

struct DnsRecord {
  TimeNs time = 0;
  IpAddr client, server;
  uint16_t sport = 0;
  std::string query;
  std::string answers;  // comma-separated, or empty (TXT answers: none that are addresses)
  bool txt = false;
  uint64_t uid = 0;  // the UDP connection's, as in conn.log
};

class ZeekWriter {
 public:
  ZeekWriter(uint64_t seed, TimeNs open_time);
  bool open(const std::string& dir, std::string& error);
  void add(const SimConn& c);
  void add_dns(const DnsRecord& d);
  // Writes what the sensor would have logged before `t`.
  bool flush_before(TimeNs t);
  bool close(TimeNs close_time, std::string& error);
  uint64_t conn_records() const { return conns_; }
  // A connection's uid as Zeek writes it ("C" and 17 base-62 digits); http.log uses it too.
  static void append_uid(std::string& out, uint64_t uid);
  // The ASCII writer's header of a log opened at `open_time`.
  static void header(std::string& out, TimeNs open_time, const char* path, const char* fields, const char* types);

 private:
  struct ByEnd {
    bool operator()(const SimConn& a, const SimConn& b) const { return a.end() > b.end(); }
  };
  std::priority_queue<SimConn, std::vector<SimConn>, ByEnd> pending_;
  std::vector<DnsRecord> dns_;
  OutputFile conn_file_, dns_file_;
  std::string buf_, dns_buf_;
  Rng rng_;
  TimeNs open_time_;
  uint64_t conns_ = 0;
};

class NetflowWriter {
 public:
  explicit NetflowWriter(TimeNs active_timeout);
  bool open(const std::string& dir, std::string& error);
  void add(const SimConn& c);
  bool flush_before(TimeNs t);
  bool close(std::string& error);
  uint64_t records() const { return records_; }

 private:
  struct Piece {
    TimeNs start, end;
    IpAddr sa, da;
    uint16_t sp, dp;
    uint8_t proto;
    uint64_t pkts, bytes;
    const char* flags;
  };
  struct Export {  // an open connection and its next piece
    SimConn c;
    int64_t piece = 0, pieces = 1;
    TimeNs end = 0;  // of the next piece: when it is exported
    uint64_t opk = 0, ipk = 0;
    const char *oflags = "", *iflags = "";
  };
  struct ByEnd {
    bool operator()(const Export& a, const Export& b) const { return a.end > b.end; }
  };
  void export_piece(const Export& x);
  void write_piece(const Piece& p);
  std::priority_queue<Export, std::vector<Export>, ByEnd> pending_;
  OutputFile file_;
  std::string buf_;
  TimeNs active_timeout_;
  uint64_t records_ = 0, total_bytes_ = 0, total_pkts_ = 0;
  TimeNs first_ = kNoTime, last_ = kNoTime;
};

}  // namespace outflow::sim
