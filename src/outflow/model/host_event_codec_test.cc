#include "outflow/model/host_event_codec.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

void expect_same(const HostEvent& a, const HostEvent& b) {
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.time_field, b.time_field);
  EXPECT_EQ(a.pid, b.pid);
  EXPECT_EQ(a.ppid, b.ppid);
  EXPECT_EQ(a.src_ip, b.src_ip);
  EXPECT_EQ(a.dst_ip, b.dst_ip);
  EXPECT_EQ(a.src_port, b.src_port);
  EXPECT_EQ(a.dst_port, b.dst_port);
  EXPECT_EQ(a.proto, b.proto);
  EXPECT_EQ(a.initiated, b.initiated);
  EXPECT_EQ(a.recovered, b.recovered);
  EXPECT_EQ(a.invalid_utf8, b.invalid_utf8);
  for (auto [x, y] : {std::pair{&a.host, &b.host}, {&a.process_guid, &b.process_guid}, {&a.parent_guid, &b.parent_guid},
                      {&a.image, &b.image}, {&a.parent_image, &b.parent_image}, {&a.command_line, &b.command_line},
                      {&a.parent_command_line, &b.parent_command_line}, {&a.user, &b.user}, {&a.user_sid, &b.user_sid},
                      {&a.integrity_level, &b.integrity_level}, {&a.original_file_name, &b.original_file_name},
                      {&a.company, &b.company}, {&a.hashes, &b.hashes}, {&a.current_directory, &b.current_directory},
                      {&a.query_name, &b.query_name}, {&a.query_results, &b.query_results}})
    EXPECT_EQ(*x, *y);
}

HostEvent every_field_set() {
  HostEvent e;
  e.type = HostEventType::net_connect;
  e.event_id = 3;
  e.time = 1'700'000'000'123'456'789;
  e.time_field = TimeField::system_time;
  e.pid = 4242;
  e.ppid = 0xffffffff00000001ull;
  EXPECT_TRUE(IpAddr::parse("10.1.2.3", e.src_ip));
  EXPECT_TRUE(IpAddr::parse("2001:db8::7", e.dst_ip));
  e.src_port = 49152;
  e.dst_port = 443;
  e.proto = 6;
  e.initiated = 1;
  e.recovered = true;
  e.invalid_utf8 = true;
  e.host = "WS0042.corp.example.com";
  e.process_guid = "{4a6f1c2e-0000-0000-0000-000000000042}";
  e.parent_guid = "{4a6f1c2e-0000-0000-0000-000000000001}";
  e.image = "C:\\Windows\\System32\\rclone.exe";
  e.parent_image = "C:\\Windows\\System32\\cmd.exe";
  e.command_line = std::string(200, 'c');          // a two-byte length
  e.parent_command_line = std::string(20000, 'p');  // a three-byte length
  e.user = "CORP\\alice";
  e.user_sid = "S-1-5-21-1-2-3-1001";
  e.integrity_level = "High";
  e.original_file_name = "rclone.exe";
  e.company = "https://rclone.org";
  e.hashes = "SHA256=" + std::string(64, 'a');
  e.current_directory = "C:\\Users\\alice\\";
  e.query_name = "example.org";
  e.query_results = "::ffff:93.184.216.34;";
  e.command_line[0] = '\0';  // bytes, not C strings
  return e;
}

TEST(HostEventCodec, EveryFieldComesBackAndEventsFollowEachOther) {
  const HostEvent a = every_field_set();
  const HostEvent b;  // every field at its default
  std::string bytes;
  pack_host_event(a, bytes);
  const size_t a_size = bytes.size();
  pack_host_event(b, bytes);
  HostEvent got = every_field_set();  // unpacking over values of its own
  got.image = "x";
  const char* p = unpack_host_event(bytes.data(), got);
  EXPECT_EQ(p, bytes.data() + a_size);
  expect_same(a, got);
  p = unpack_host_event(p, got);
  EXPECT_EQ(p, bytes.data() + bytes.size());
  expect_same(b, got);
}

TEST(HostEventCodec, AConnectionEventTakesWhatItsValuesTake) {
  HostEvent e;
  e.type = HostEventType::net_connect;
  e.host = "WS0042.corp.example.com";
  e.process_guid = "{4a6f1c2e-0000-0000-0000-000000000042}";
  e.image = "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe";
  e.user = "CORP\\alice";
  std::string bytes;
  pack_host_event(e, bytes);
  const size_t values = e.host.size() + e.process_guid.size() + e.image.size() + e.user.size();
  EXPECT_LE(bytes.size(), values + 100);  // fixed fields and sixteen one-byte lengths
  EXPECT_LT(bytes.size(), sizeof(HostEvent) / 2);
}

}  // namespace
}  // namespace outflow
