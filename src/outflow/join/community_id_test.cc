#include "outflow/join/community_id.h"

#include <gtest/gtest.h>

#include "outflow/model/events.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {

using testing::ip;

// Vectors from the Community ID spec's baseline (corelight/community-id-spec,
// baseline/baseline_deflt.json and baseline_seed1.json, commit c4ec2bc).
struct Vector {
  int proto;
  const char *src, *dst;
  int sport, dport;
  const char *seed0, *seed1;
};
constexpr Vector kVectors[] = {
    {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=", "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck=", "1:2hSqmsDZ2kdcY9kbiUzOEBic0iM="},
    {58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=", "1:lVEtCZpYu84Xqaa++3lXFyuu2n4="},
    {58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=", "1:GfZxjAkDk2MkegpBYHV6tadtFXQ="},
    {58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=", "1:L7Ka0ZMYu+J3bL4ulW2PrqyXNo8="},
    {1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=", "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=", "1:XjUibYHaafLQ3pxQeiMI8g25q20="},
    {6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=", "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
    {132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=", "1:5w3ZRjeKBzqT3zsaEECDGjUbYeg="},
    {6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=", "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {46, "10.1.12.2", "10.1.12.1", 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=", "1:rYir8gphR31noO9iDRQmF/BteEI="},
};

TEST(CommunityId, SpecBaselineVectors) {
  for (const auto& v : kVectors) {
    const auto p = static_cast<uint8_t>(v.proto);
    const auto sp = static_cast<uint16_t>(v.sport), dp = static_cast<uint16_t>(v.dport);
    EXPECT_EQ(community_id_v1(ip(v.src), sp, ip(v.dst), dp, p), v.seed0) << v.src << " " << v.dst << " " << v.proto;
    EXPECT_EQ(community_id_v1(ip(v.src), sp, ip(v.dst), dp, p, 1), v.seed1) << v.src << " " << v.dst;
  }
}

TEST(CommunityId, BriefVectorBothDirections) {
  EXPECT_EQ(community_id_v1(ip("128.232.110.120"), 34855, ip("66.35.250.204"), 80, kProtoTcp),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  EXPECT_EQ(community_id_v1(ip("66.35.250.204"), 80, ip("128.232.110.120"), 34855, kProtoTcp),
            "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
}

}  // namespace outflow
