#include "outflow/features/geoip.h"

#include <maxminddb.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <cstring>

namespace outflow {

struct GeoIp::Db {
  MMDB_s mmdb{};
};

GeoIp::GeoIp() = default;
GeoIp::~GeoIp() {
  if (db_) MMDB_close(&db_->mmdb);
}

bool GeoIp::open(const std::string& path, std::string& err) {
  auto db = std::make_unique<Db>();
  const int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb);
  if (rc != MMDB_SUCCESS) {
    err = path + ": cannot open GeoIP database: " + MMDB_strerror(rc);
    return false;
  }
  if (db_) MMDB_close(&db_->mmdb);
  db_ = std::move(db);
  path_ = path;
  return true;
}

bool GeoIp::is_open() const { return db_ != nullptr; }

std::string GeoIp::country(const IpAddr& ip) const {
  if (!db_ || ip.is_unset()) return {};
  int mmdb_error = 0;
  MMDB_lookup_result_s r{};
  if (ip.is_v4()) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    std::memcpy(&sa.sin_addr, ip.b.data() + 12, 4);
    r = MMDB_lookup_sockaddr(&db_->mmdb, reinterpret_cast<const sockaddr*>(&sa), &mmdb_error);
  } else {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    std::memcpy(&sa.sin6_addr, ip.b.data(), 16);
    r = MMDB_lookup_sockaddr(&db_->mmdb, reinterpret_cast<const sockaddr*>(&sa), &mmdb_error);
  }
  if (mmdb_error != MMDB_SUCCESS || !r.found_entry) return {};
  MMDB_entry_data_s d{};
  // GeoLite2/GeoIP2 Country and DB-IP lite: country.iso_code; fall back to registered_country.
  for (const char* top : {"country", "registered_country"}) {
    if (MMDB_get_value(&r.entry, &d, top, "iso_code", nullptr) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size > 0 && d.data_size < 8)
      return std::string(d.utf8_string, d.data_size);
  }
  return {};
}

}  // namespace outflow
