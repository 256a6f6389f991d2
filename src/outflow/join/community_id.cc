#include "outflow/join/community_id.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

namespace outflow {

namespace {

// ICMP types whose reply is another type: the spec maps them to a pseudo "port" pair so that
// request and reply hash alike.
bool icmp_pair(uint8_t proto, uint16_t type, uint16_t& other) {
  if (proto == 1) {
    switch (type) {
      case 8: other = 0; return true;
      case 0: other = 8; return true;
      case 13: other = 14; return true;
      case 14: other = 13; return true;
      case 15: other = 16; return true;
      case 16: other = 15; return true;
      case 10: other = 9; return true;
      case 9: other = 10; return true;
      case 17: other = 18; return true;
      case 18: other = 17; return true;
    }
  } else if (proto == 58) {
    switch (type) {
      case 128: other = 129; return true;
      case 129: other = 128; return true;
      case 133: other = 134; return true;
      case 134: other = 133; return true;
      case 135: other = 136; return true;
      case 136: other = 135; return true;
      case 130: other = 131; return true;
      case 131: other = 130; return true;
      case 144: other = 145; return true;
      case 145: other = 144; return true;
    }
  }
  return false;
}

std::string base64(const unsigned char* d, size_t n) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    const uint32_t v = (uint32_t{d[i]} << 16) | (i + 1 < n ? uint32_t{d[i + 1]} << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
    out.push_back(t[(v >> 18) & 63]);
    out.push_back(t[(v >> 12) & 63]);
    out.push_back(i + 1 < n ? t[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < n ? t[v & 63] : '=');
  }
  return out;
}

}  // namespace

std::string community_id_v1(const IpAddr& src, uint16_t sport, const IpAddr& dst, uint16_t dport,
                            uint8_t proto, uint16_t seed) {
  IpAddr a = src, b = dst;
  uint16_t ap = sport, bp = dport;
  bool one_way = false;
  if (proto == 1 || proto == 58) {
    uint16_t other;
    if (icmp_pair(proto, sport, other)) {
      bp = other;
    } else {
      one_way = true;
    }
  }
  const bool v4 = a.is_v4() && b.is_v4();
  const size_t alen = v4 ? 4 : 16;
  const uint8_t* ab = a.b.data() + (v4 ? 12 : 0);
  const uint8_t* bb = b.b.data() + (v4 ? 12 : 0);
  const bool has_ports = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
  const int c = std::memcmp(ab, bb, alen);
  if (!one_way && (c > 0 || (c == 0 && has_ports && ap > bp))) {
    std::swap(ab, bb);
    std::swap(ap, bp);
  }
  unsigned char buf[2 + 16 + 16 + 2 + 4];
  size_t n = 0;
  buf[n++] = static_cast<unsigned char>(seed >> 8);
  buf[n++] = static_cast<unsigned char>(seed);
  std::memcpy(buf + n, ab, alen);
  n += alen;
  std::memcpy(buf + n, bb, alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;
  if (has_ports) {
    buf[n++] = static_cast<unsigned char>(ap >> 8);
    buf[n++] = static_cast<unsigned char>(ap);
    buf[n++] = static_cast<unsigned char>(bp >> 8);
    buf[n++] = static_cast<unsigned char>(bp);
  }
  // SHA1() fetches the algorithm from OpenSSL's provider table (taking a lock) on every call;
  // fetch it once per thread and reuse one context.
  thread_local const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md_owner(
      EVP_MD_fetch(nullptr, "SHA1", nullptr), &EVP_MD_free);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_owner(EVP_MD_CTX_new(),
                                                                                      &EVP_MD_CTX_free);
  EVP_MD* md = md_owner.get();
  EVP_MD_CTX* ctx = ctx_owner.get();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  if (!md || !ctx || EVP_DigestInit_ex(ctx, md, nullptr) != 1 || EVP_DigestUpdate(ctx, buf, n) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &dlen) != 1 || dlen != SHA_DIGEST_LENGTH)
    SHA1(buf, n, digest);  // never expected; the slow path gives the same answer
  return "1:" + base64(digest, SHA_DIGEST_LENGTH);
}

}  // namespace outflow
