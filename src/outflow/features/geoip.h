// DestinationCountry: country of an address from a MaxMind / DB-IP country .mmdb file, through
// libmaxminddb. Without a database every lookup is "unknown" (said, not guessed).
#pragma once
#include <memory>
#include <string>

#include "outflow/core/ip.h"

namespace outflow {

class GeoIp {
 public:
  GeoIp();
  ~GeoIp();
  GeoIp(const GeoIp&) = delete;
  GeoIp& operator=(const GeoIp&) = delete;

  // Opens the database; false with a reason (missing file, not an mmdb...).
  bool open(const std::string& path, std::string& err);
  bool is_open() const;
  // ISO 3166 alpha-2 code, or "" when unknown (no database, private address, not listed).
  std::string country(const IpAddr& ip) const;
  const std::string& path() const { return path_; }

 private:
  struct Db;
  std::unique_ptr<Db> db_;
  std::string path_;
};

}  // namespace outflow
