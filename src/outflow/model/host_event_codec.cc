#include "outflow/model/host_event_codec.h"

#include <array>
#include <cstring>
#include <type_traits>

namespace outflow {

namespace {

// Every field of HostEvent is packed. One added to it must be added here (and to the test).
static_assert(sizeof(void*) != 8 || sizeof(HostEvent) == 600, "HostEvent changed: pack its new field here");

struct Fixed {
  TimeNs time;
  uint64_t pid, ppid;
  IpAddr src_ip, dst_ip;
  uint16_t event_id, src_port, dst_port;
  HostEventType type;
  TimeField time_field;
  uint8_t proto;
  int8_t initiated;
  bool recovered, invalid_utf8;
};
static_assert(std::is_trivially_copyable_v<Fixed>);

template <class E>
auto strings(E& e) {
  return std::array{&e.host,          &e.process_guid,       &e.parent_guid,        &e.image,
                    &e.parent_image,  &e.command_line,       &e.parent_command_line, &e.user,
                    &e.user_sid,      &e.integrity_level,    &e.original_file_name,  &e.company,
                    &e.hashes,        &e.current_directory,  &e.query_name,          &e.query_results};
}

}  // namespace

void pack_host_event(const HostEvent& e, std::string& out) {
  const Fixed f{e.time,     e.pid,      e.ppid,       e.src_ip, e.dst_ip,    e.event_id,  e.src_port,
                e.dst_port, e.type,     e.time_field, e.proto,  e.initiated, e.recovered, e.invalid_utf8};
  out.append(reinterpret_cast<const char*>(&f), sizeof f);
  for (const std::string* s : strings(e)) {
    // The length as a base-128 varint: one byte below 128, most of these strings.
    size_t n = s->size();
    while (n >= 0x80) {
      out.push_back(static_cast<char>((n & 0x7f) | 0x80));
      n >>= 7;
    }
    out.push_back(static_cast<char>(n));
    out.append(*s);
  }
}

const char* unpack_host_event(const char* p, HostEvent& e) {
  Fixed f;
  std::memcpy(&f, p, sizeof f);
  p += sizeof f;
  e.time = f.time;
  e.pid = f.pid;
  e.ppid = f.ppid;
  e.src_ip = f.src_ip;
  e.dst_ip = f.dst_ip;
  e.event_id = f.event_id;
  e.src_port = f.src_port;
  e.dst_port = f.dst_port;
  e.type = f.type;
  e.time_field = f.time_field;
  e.proto = f.proto;
  e.initiated = f.initiated;
  e.recovered = f.recovered;
  e.invalid_utf8 = f.invalid_utf8;
  for (std::string* s : strings(e)) {
    size_t n = 0;
    for (unsigned shift = 0;; shift += 7) {
      const auto c = static_cast<unsigned char>(*p++);
      n |= static_cast<size_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) break;
    }
    s->assign(p, n);
    p += n;
  }
  return p;
}

}  // namespace outflow
