// Normalized events: what every reader produces, whatever the input format.
// Readers fill one reused object and hand it to a RecordSink; the sink copies what it keeps.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "outflow/core/ip.h"
#include "outflow/core/time.h"

namespace outflow {

// IANA protocol numbers (what Community ID hashes).
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIcmp6 = 58;
const char* proto_name(uint8_t proto);  // "tcp", "udp", "icmp", "ipv6-icmp" or the number
uint8_t parse_proto(std::string_view s);  // name or number; 0 if unknown

enum class HostEventType : uint8_t {
  process_start,  // Sysmon 1, Security 4688
  process_end,    // Sysmon 5, Security 4689
  net_connect,    // Sysmon 3, Security 5156
  dns_query,      // Sysmon 22
};

// Which record field a host event's time came from. Fields disagree in real data (NXLog's
// EventTime is local time without a zone, @timestamp is when the collector got it), so the
// reader takes the best one present and says which.
enum class TimeField : uint8_t { none, utc_time, system_time, timestamp, time_generated, event_time };
const char* time_field_name(TimeField f);

struct HostEvent {
  HostEventType type = HostEventType::process_start;
  uint16_t event_id = 0;
  TimeNs time = kNoTime;
  TimeField time_field = TimeField::none;

  std::string host;  // as recorded (FQDN or short); the process table keys on its canonical form

  // Process identity. pid/ppid are 0 when absent (Windows never uses PID 0 for a real process
  // we care about; System Idle is 0).
  std::string process_guid, parent_guid;
  uint64_t pid = 0, ppid = 0;
  std::string image, parent_image, command_line, parent_command_line;
  std::string user;              // DOMAIN\name
  std::string user_sid;          // the account's SID where the event names it (Security events), else ""
  std::string integrity_level;   // Sysmon IntegrityLevel or 4688 MandatoryLabel
  std::string original_file_name, company, hashes, current_directory;

  // Network (Sysmon 3 / 5156): as recorded, source = initiator.
  IpAddr src_ip, dst_ip;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t proto = 0;
  int8_t initiated = -1;  // 1 = this host's process initiated, 0 = inbound, -1 unknown
  // Read from a damaged structure (an EVTX chunk whose checksum did not match, or truncated):
  // the fields parsed, but the bytes may not be what the host wrote. Fits in padding.
  bool recovered = false;

  // DNS (Sysmon 22)
  std::string query_name, query_results;

  // The record had invalid UTF-8 or lone UTF-16 surrogates, replaced with U+FFFD.
  bool invalid_utf8 = false;

  void clear() {
    // Keeps string capacity: readers reuse one HostEvent for a whole file.
    type = HostEventType::process_start;
    event_id = 0;
    time = kNoTime;
    time_field = TimeField::none;
    for (std::string* s : {&host, &process_guid, &parent_guid, &image, &parent_image, &command_line,
                           &parent_command_line, &user, &integrity_level, &original_file_name,
                           &company, &hashes, &current_directory, &query_name, &query_results, &user_sid})
      s->clear();
    pid = ppid = 0;
    src_ip = dst_ip = IpAddr{};
    src_port = dst_port = 0;
    proto = 0;
    initiated = -1;
    recovered = false;
    invalid_utf8 = false;
  }
};

// panos, fortigate, winfw: a firewall's own record of a connection (read/panos, read/fortigate,
// read/winfw), bidirectional, initiator known.
// suricata: an EVE `flow` event (bidirectional, src = the side Suricata saw first);
// suricata_open: one cut by Suricata's shutdown (reason "shutdown"), still open, like Zeek's
// open_conn; suricata_netflow: an EVE `netflow` event, one direction, stitched like NetFlow.
enum class FlowSource : uint8_t { zeek_conn, zeek_open_conn, nfdump, other, panos, fortigate, winfw,
                                  suricata, suricata_open, suricata_netflow };
const char* flow_source_name(FlowSource s);
// Unidirectional records the stitcher pairs by 5-tuple and time (NetFlow, Suricata's netflow).
inline bool netflow_source(FlowSource s) { return s == FlowSource::nfdump || s == FlowSource::suricata_netflow; }
inline bool firewall_source(FlowSource s) {
  return s == FlowSource::panos || s == FlowSource::fortigate || s == FlowSource::winfw;
}

// What a firewall did with a connection. A denied or dropped one moved no data out: it is read
// and delivered, but it is not a transfer (the pipeline does not make it a session).
enum class FlowVerdict : uint8_t { unknown, allowed, denied };
const char* flow_verdict_name(FlowVerdict v);

// One flow record. `bidirectional` records (Zeek) carry both directions with orig = initiator;
// unidirectional ones (NetFlow) carry only orig -> resp bytes and the stitcher pairs them.
struct FlowRecord {
  FlowSource source = FlowSource::other;
  bool bidirectional = true;
  TimeNs start = kNoTime, end = kNoTime;
  IpAddr orig_h, resp_h;
  uint16_t orig_p = 0, resp_p = 0;
  uint8_t proto = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0;      // payload bytes (Zeek) or IP bytes (NetFlow)
  uint64_t orig_pkts = 0, resp_pkts = 0;
  uint64_t orig_ip_bytes = 0, resp_ip_bytes = 0;  // Zeek only; 0 when absent
  // A byte count the reader found impossible (more than its packets can carry): unknown, not 0
  // (the count then holds 0). Counted by the reader (Diagnostics::dubious, read/flow_checks.h).
  bool orig_bytes_unknown = false, resp_bytes_unknown = false;
  std::string uid;          // Zeek uid, empty for NetFlow
  std::string conn_state;   // Zeek conn_state ("SF", "SHR", "OTH"...)
  std::string history;      // Zeek history
  std::string service;      // Zeek service
  std::string sensor;       // Zeek _node_name, or the file it came from
  std::string community_id; // as logged, if the sensor logged one

  // Firewall records (PAN-OS, FortiGate, Windows Firewall); empty / unset for the others.
  // `interim`: a record of a session still open (PAN-OS "start", FortiGate "start" and interim
  // "accept" logs): a later record with the same uid supersedes it, as Zeek's open_conn does.
  // `bytes_unknown`: the log carries no byte count for this connection (pfirewall.log's size is
  // one packet's; FortiGate rows without sentbyte/rcvdbyte): unknown both ways, never 0.
  bool interim = false;
  bool bytes_unknown = false;
  FlowVerdict verdict = FlowVerdict::unknown;
  std::string action;       // as logged ("allow", "deny", "close", "ALLOW", "DROP"...)
  std::string user;         // the firewall's user (PAN-OS srcuser, FortiGate user/unauthuser)
  std::string app;          // the firewall's application (PAN-OS app, FortiGate app)
  std::string end_reason;   // PAN-OS session end reason ("tcp-fin", "aged-out"...)
  // The post-NAT 5-tuple, as evidence (the pre-NAT one above is what joins to host events).
  bool has_nat = false;
  IpAddr nat_orig_h, nat_resp_h;
  uint16_t nat_orig_p = 0, nat_resp_p = 0;

  void clear() {
    // Keeps string capacity, like HostEvent::clear().
    const auto keep = [](std::string& s) { s.clear(); };
    keep(uid), keep(conn_state), keep(history), keep(service), keep(sensor), keep(community_id);
    keep(action), keep(user), keep(app), keep(end_reason);
    interim = bytes_unknown = has_nat = false;
    verdict = FlowVerdict::unknown;
    nat_orig_h = nat_resp_h = IpAddr{};
    nat_orig_p = nat_resp_p = 0;
    source = FlowSource::other;
    bidirectional = true;
    start = end = kNoTime;
    orig_h = resp_h = IpAddr{};
    orig_p = resp_p = 0;
    proto = 0;
    orig_bytes = resp_bytes = orig_pkts = resp_pkts = orig_ip_bytes = resp_ip_bytes = 0;
    orig_bytes_unknown = resp_bytes_unknown = false;
  }
};

// A name resolved to addresses, from Sysmon 22 or Zeek dns.log.
struct DnsAnswer {
  TimeNs time = kNoTime;
  std::string host;   // the resolving host's name (Sysmon 22), empty for Zeek
  IpAddr client;      // the asking address (Zeek), unset for Sysmon
  IpAddr server;      // the resolver asked (Zeek id.resp_h), unset if unknown
  uint16_t qtype = 0; // query type (Zeek qtype: 1 A, 16 TXT, 10 NULL...), 0 if unknown
  std::string query;
  std::vector<IpAddr> answers;  // addresses only; empty for queries answered otherwise or not at all
  // The first answer that is a name, not an address: for a reverse lookup (*.in-addr.arpa,
  // *.ip6.arpa) the host name of the address it asks for; for other queries a CNAME.
  std::string ptr_name;
};

// What a Zeek application log says about one connection: a name for its responder address at
// that time (ssl.log SNI, http.log Host header), tied to the connection's uid and 5-tuple.
// ssl.log / open_ssl.log give kind ssl, http.log / open_http.log kind http (one record per
// HTTP request of the connection).
enum class AppKind : uint8_t { ssl, http };
const char* app_kind_name(AppKind k);

struct AppRecord {
  AppKind kind = AppKind::ssl;
  TimeNs ts = kNoTime;
  std::string uid;
  IpAddr orig_h, resp_h;
  uint16_t orig_p = 0, resp_p = 0;
  std::string name;  // SNI (ssl) or Host header (http); may be empty
  bool host_missing = false;  // http: the request had no Host header at all (RITA's missing host header)
  // http
  std::string method, uri, user_agent;
  uint64_t request_body_len = 0, response_body_len = 0;
  uint16_t status_code = 0;
  // ssl
  std::string ja3, ja3s;

  void clear() {
    for (std::string* s : {&uid, &name, &method, &uri, &user_agent, &ja3, &ja3s}) s->clear();
    kind = AppKind::ssl;
    ts = kNoTime;
    orig_h = resp_h = IpAddr{};
    orig_p = resp_p = 0;
    request_body_len = response_body_len = 0;
    status_code = 0;
    host_missing = false;
  }
};

// A Zeek files.log record: a file seen on a connection. Older Zeek names the connection by
// conn_uids and tx_hosts / rx_hosts, newer by uid and id.*; is_orig says whether the
// connection's originator sent it.
struct FileRecord {
  TimeNs ts = kNoTime;
  std::string uid;          // the (first) connection uid
  IpAddr orig_h, resp_h;    // id.orig_h / id.resp_h when logged
  IpAddr tx;                // the (first) sending host when logged
  int8_t is_orig = -1;      // 1 sent by the originator, 0 by the responder, -1 unknown
  uint64_t seen_bytes = 0, total_bytes = 0;  // 0: not logged
  std::string mime_type, filename;
};

// One request through a web proxy (Squid access.log), as the proxy logged it. Read, and handed
// to RecordSink::on_proxy; the join makes it a session or evidence (join/squid_sessions.cc).
// Sizes: `bytes_to_client` is what the proxy sent the client (Squid's native %<st: headers and
// body, or a CONNECT tunnel's download); what the client sent (`bytes_from_client`, the upload)
// is logged only by formats with %>st: otherwise `bytes_from_client_known` is false (unknown,
// not 0).
struct ProxyRecord {
  TimeNs start = kNoTime;        // end - elapsed, when the log has the elapsed time
  TimeNs end = kNoTime;          // when the proxy logged it (the request's end)
  bool elapsed_known = false;
  IpAddr client;
  uint16_t client_port = 0;      // 0: not logged
  std::string proxy;             // the proxy: the file it came from (Squid does not log itself)
  std::string method;            // GET, POST, CONNECT...
  std::string url;               // as logged: an absolute URL, or CONNECT's "host:port"
  std::string host;              // the named destination, from the URL or CONNECT (lower-case)
  uint16_t port = 0;             // its port (CONNECT's, the URL's, or the scheme's default)
  uint16_t status = 0;           // HTTP status (0: none, e.g. Squid's 000)
  std::string result;            // Squid result code: TCP_MISS, TCP_TUNNEL, TCP_DENIED...
  uint64_t bytes_to_client = 0;
  bool bytes_from_client_known = false;
  uint64_t bytes_from_client = 0;
  std::string user;              // empty when logged as "-"
  std::string hierarchy;         // HIER_DIRECT, DIRECT, NONE, FIRSTUP_PARENT...
  std::string peer;              // the server or parent it went to (an address or a name), or empty
  IpAddr peer_ip;                // `peer` when it is an address
  std::string content_type;

  void clear() {
    for (std::string* s : {&proxy, &method, &url, &host, &result, &user, &hierarchy, &peer, &content_type}) s->clear();
    start = end = kNoTime;
    elapsed_known = false;
    client = peer_ip = IpAddr{};
    client_port = port = status = 0;
    bytes_to_client = bytes_from_client = 0;
    bytes_from_client_known = false;
  }
};

// An IDS alert on a connection (Suricata EVE `alert`): context for the session it fired on,
// joined by the flow's id (uid) or, without one, its 5-tuple and time (join/ids_alerts.h).
// src / dst as the alert logged them (the packet's direction for most rules).
struct AlertRecord {
  TimeNs ts = kNoTime;
  std::string uid;  // Suricata's flow_id; empty when not logged
  IpAddr src, dst;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t proto = 0;
  uint8_t severity = 0;       // 1 (high) to 4 (low); 0 when not logged
  uint32_t signature_id = 0;
  std::string signature, category, action;

  void clear() {
    for (std::string* s : {&uid, &signature, &category, &action}) s->clear();
    ts = kNoTime;
    src = dst = IpAddr{};
    src_port = dst_port = 0;
    proto = severity = 0;
    signature_id = 0;
  }
};

// A host name a DHCP server handed out or a client announced for an address (Zeek dhcp.log:
// host_name, else client_fqdn, for assigned_addr, else client_addr).
struct DhcpLease {
  TimeNs ts = kNoTime;
  IpAddr addr;
  std::string host_name;
  std::string mac;
};

// One Zeek capture_loss.log interval of one sensor (`peer`): the share of TCP ACKs for data
// the sensor never saw.
struct CaptureLossRecord {
  TimeNs ts = kNoTime;      // end of the interval
  TimeNs ts_delta = 0;      // its length
  std::string peer;
  uint64_t gaps = 0, acks = 0;
  double percent_lost = 0;
};

}  // namespace outflow
