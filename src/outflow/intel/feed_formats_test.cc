// The feed readers on samples written from the formats' descriptions (STIX 2.1 patterning
// examples, MISP's format description, abuse.ch's CSV exports), on the real MISP warning lists
// in ../shared/datasets, and on hostile input: counted, sampled, bounded, never fatal.
#include "outflow/intel/feed_formats.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "outflow/intel/feed_loader.h"
#include "outflow/intel/stix_pattern.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

struct Loaded {
  IntelSet set;
  uint16_t feed = 0;
  const FeedStats& st() const { return set.stats()[feed]; }
  uint64_t n(IndicatorType t) const { return st().by_type[static_cast<size_t>(t)]; }
  std::vector<IntelMatch> ip(const char* a, TimeNs t = kNoTime) const {
    IpAddr x;
    EXPECT_TRUE(IpAddr::parse(a, x));
    std::vector<IntelMatch> out;
    set.match_ip(x, t, t, out);
    return out;
  }
  std::vector<IntelMatch> name(const char* n, TimeNs t = kNoTime) const {
    std::vector<IntelMatch> out;
    set.match_name(n, t, t, out);
    return out;
  }
};

std::unique_ptr<Loaded> load(std::string bytes, IntelKind k = IntelKind::malicious) {
  auto l = std::make_unique<Loaded>();
  FeedSpec f;
  f.name = "sample";
  f.kind = k;
  l->feed = l->set.add_feed(f);
  auto src = memory_byte_source(std::move(bytes));
  read_feed(*src, "sample", l->feed, l->set);
  l->set.finish();
  return l;
}

std::string gzip(const std::string& s) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(s.size() + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(FeedFormats, PlainListWithCommentsSubdomainsAndBadLines) {
  const std::string text =
      "\xEF\xBB\xBF# campaign indicators\n"
      "203.0.113.10\n"
      "198.51.100.0/24   # the hoster\n"
      "2001:db8:bad::1\n"
      ".dyn.example\n"
      "*.tunnel.example\n"
      "c2.evil.example\r\n"
      "http://drop.example.org/up.php\n"
      "0.0.0.0 blocked.example.com\n"
      "10.0.0.0/33\n"
      "fe80::1%eth0\n"
      "\n"
      "; another comment\n";
  for (const std::string& bytes : {text, gzip(text)}) {
    auto l = load(bytes);
    EXPECT_EQ(l->st().format, "plain");
    EXPECT_EQ(l->n(IndicatorType::ipv4), 1u);
    EXPECT_EQ(l->n(IndicatorType::cidr4), 1u);
    EXPECT_EQ(l->n(IndicatorType::ipv6), 1u);
    EXPECT_EQ(l->n(IndicatorType::domain), 4u);
    EXPECT_EQ(l->n(IndicatorType::url), 1u);
    EXPECT_EQ(l->st().bad, 2u);
    ASSERT_EQ(l->st().samples.size(), 2u);
    EXPECT_EQ(l->st().samples[0], "sample:10: prefix length over 32");
    EXPECT_NE(l->st().samples[1].find("sample:11: an IPv6 zone id"), std::string::npos);
    EXPECT_EQ(l->name("a.b.dyn.example").size(), 1u);
    EXPECT_EQ(l->name("blocked.example.com").size(), 1u);
    EXPECT_EQ(l->ip("198.51.100.200").size(), 1u);
  }
}

TEST(FeedFormats, FeodoTrackerCsv) {
  // abuse.ch Feodo Tracker "ipblocklist.csv": the header is the last comment line.
  const std::string csv =
      "################################################################\n"
      "# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #\n"
      "# Last updated: 2026-11-30 10:00:00 UTC                        #\n"
      "################################################################\n"
      "#\n"
      "# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n"
      "\"2021-01-17 07:30:05\",\"67.213.75.205\",\"443\",\"online\",\"2026-11-29\",\"Pikabot\"\n"
      "\"2026-11-20 11:02:13\",\"203.0.113.44\",\"8080\",\"offline\",\"2026-11-21\",\"QakBot\"\n"
      "\"2026-11-21 11:02:13\",\"not-an-ip!\",\"8080\",\"offline\",\"2026-11-21\",\"QakBot\"\n"
      "# \"first_seen_utc\" END\n";
  auto l = load(csv);
  EXPECT_EQ(l->st().format, "csv");
  EXPECT_EQ(l->n(IndicatorType::ipv4), 2u);
  EXPECT_EQ(l->st().bad, 1u);
  auto m = l->ip("203.0.113.44");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(l->set.label_text(m[0].meta->label), "QakBot");
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2026-11-20 11:02:13", t));
  EXPECT_EQ(m[0].meta->created, t);
  EXPECT_EQ(l->st().newest, t + 86400 * kNsPerSec);
}

TEST(FeedFormats, UrlhausCsv) {
  const std::string csv =
      "################################################################\n"
      "# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #\n"
      "################################################################\n"
      "#\n"
      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
      "\"3183339\",\"2026-11-19 14:22:07\",\"http://198.51.100.23:44273/i\",\"online\",\"2026-11-19 14:22:07\",\"malware_download\","
      "\"32-bit,elf,mips,Mozi\",\"https://urlhaus.abuse.ch/url/3183339/\",\"geenensp\"\n"
      "\"3183338\",\"2026-11-19 14:21:05\",\"https://files.bad.example/payload.exe\",\"online\",\"\",\"malware_download\","
      "\"exe\",\"https://urlhaus.abuse.ch/url/3183338/\",\"abuse_ch\"\n";
  auto l = load(csv);
  EXPECT_EQ(l->st().format, "csv");
  EXPECT_EQ(l->n(IndicatorType::url), 2u);
  EXPECT_EQ(l->st().bad, 0u);
  EXPECT_EQ(l->ip("198.51.100.23").size(), 1u);
  auto m = l->name("files.bad.example");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].indicator, "files.bad.example/payload.exe");
  EXPECT_EQ(l->set.label_text(m[0].meta->label), "malware_download");
}

TEST(FeedFormats, CsvConfidenceColumnTakesZeroToHundredOnly) {
  // A fuzzer found a ten-digit confidence summed into an int past its range: sizes are checked
  // before digits are summed; anything but 0..100 leaves the confidence unknown.
  const std::string csv =
      "# ip,confidence\n"
      "203.0.113.1,85\n"
      "203.0.113.2,7625443580\n"
      "203.0.113.3,101\n"
      "203.0.113.4,x9\n";
  auto l = load(csv);
  EXPECT_EQ(l->st().format, "csv");
  EXPECT_EQ(l->n(IndicatorType::ipv4), 4u);
  auto m = l->ip("203.0.113.1");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].meta->confidence, 85);
  for (const char* a : {"203.0.113.2", "203.0.113.3", "203.0.113.4"}) {
    auto u = l->ip(a);
    ASSERT_EQ(u.size(), 1u) << a;
    EXPECT_EQ(u[0].meta->confidence, IndicatorMeta{}.confidence) << a;
  }
}

TEST(StixPattern, TheSpecificationsExamples) {
  std::vector<StixTerm> t;
  std::string why;
  ASSERT_TRUE(parse_stix_pattern("[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR "
                                 "ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
                                 t, why))
      << why;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2].type, IndicatorType::ipv6);
  ASSERT_TRUE(parse_stix_pattern("[domain-name:value = 'example.com'] OR [url:value = 'http://example.com/foo']", t, why));
  EXPECT_EQ(t.size(), 2u);
  ASSERT_TRUE(parse_stix_pattern("([ipv4-addr:value ISSUBSET '198.51.100.0/24'])", t, why));
  ASSERT_TRUE(parse_stix_pattern("[domain-name:value='it\\'s.example']", t, why));
  EXPECT_EQ(t[0].value, "it's.example");
  const std::pair<const char*, const char*> refused[] = {
      {"[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", "compares file:hashes"},
      {"[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']", "compares network-traffic"},
      {"[ipv4-addr:value = '198.51.100.1' AND ipv4-addr:value = '203.0.113.33']", "uses AND"},
      {"[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.33'] WITHIN 300 SECONDS", "uses FOLLOWEDBY"},
      {"([ipv4-addr:value = '198.51.100.1/32'] OR [domain-name:value = 'example.com']) REPEATS 5 TIMES", "uses REPEATS"},
      {"[domain-name:value MATCHES '^evil']", "operator MATCHES"},
      {"[domain-name:value != 'example.com']", "operator !="},
      {"[ipv4-addr:value = '1.2.3.4'", "unbalanced"},
      {"[ipv4-addr:value = '1.2.3.4]", "unterminated"},
      {"", "ends where"},
  };
  for (const auto& [p, reason] : refused) {
    EXPECT_FALSE(parse_stix_pattern(p, t, why)) << p;
    EXPECT_NE(why.find(reason), std::string::npos) << p << " -> " << why;
    EXPECT_TRUE(t.empty());
  }
}

TEST(StixPattern, TenThousandOrsAndDeepBrackets) {
  std::string p = "[";
  for (int i = 0; i < 10'000; ++i) p += (i ? " OR " : "") + std::string("ipv4-addr:value = '10.") + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256) + ".1'";
  p += "]";
  std::vector<StixTerm> t;
  std::string why;
  ASSERT_TRUE(parse_stix_pattern(p, t, why)) << why;
  EXPECT_EQ(t.size(), 10'000u);
  const std::string deep = std::string(1000, '(') + "[ipv4-addr:value = '1.2.3.4']" + std::string(1000, ')');
  EXPECT_FALSE(parse_stix_pattern(deep, t, why));
  EXPECT_NE(why.find("deeper than 64"), std::string::npos);
}

const char* kStixBundle = R"({
  "type": "bundle",
  "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
  "objects": [
    {
      "type": "indicator", "spec_version": "2.1",
      "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
      "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
      "indicator_types": ["malicious-activity"], "name": "Poison Ivy Malware",
      "pattern": "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
      "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z"
    },
    {
      "type": "indicator", "spec_version": "2.1",
      "id": "indicator--a932fcc6-e032-476c-826f-cb970a5a1ade",
      "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-02T00:00:00.000Z",
      "indicator_types": ["malicious-activity", "attribution"], "name": "C2 of campaign X",
      "pattern": "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32'] OR [domain-name:value = 'c2.campaign.example']",
      "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z", "valid_until": "2026-12-01T00:00:00Z",
      "confidence": 85
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--1", "created": "2026-11-01T00:00:00Z",
      "pattern": "[x-custom:value = 'y']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--2", "created": "2026-11-01T00:00:00Z",
      "pattern": "alert tcp any any -> 1.2.3.4 any", "pattern_type": "snort", "valid_from": "2026-11-01T00:00:00Z"
    },
    {
      "type": "indicator", "spec_version": "2.1", "id": "indicator--3", "created": "2026-11-01T00:00:00Z", "revoked": true,
      "pattern": "[ipv4-addr:value = '192.0.2.9']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z"
    },
    { "type": "malware", "spec_version": "2.1", "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "name": "Poison Ivy", "is_family": true }
  ]
})";

TEST(FeedFormats, Stix21Bundle) {
  auto l = load(kStixBundle);
  EXPECT_EQ(l->st().format, "stix2.1");
  EXPECT_EQ(l->n(IndicatorType::cidr4) + l->n(IndicatorType::ipv4), 2u);
  EXPECT_EQ(l->n(IndicatorType::domain), 1u);
  EXPECT_EQ(l->st().unevaluable, 3u);  // file hashes, x-custom, snort
  EXPECT_EQ(l->st().skipped, 1u);      // revoked
  ASSERT_FALSE(l->st().samples.empty());
  EXPECT_NE(l->st().samples[0].find("cannot evaluate: compares file:hashes"), std::string::npos) << l->st().samples[0];
  TimeNs in, after;
  ASSERT_TRUE(parse_datetime("2026-11-15 00:00:00", in));
  ASSERT_TRUE(parse_datetime("2026-12-15 00:00:00", after));
  auto m = l->ip("203.0.113.33", in);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].meta->confidence, 85);
  EXPECT_EQ(l->set.label_text(m[0].meta->label), "C2 of campaign X (malicious-activity,attribution)");
  EXPECT_TRUE(l->ip("203.0.113.33", after).empty());  // valid_until passed
  EXPECT_EQ(l->name("c2.campaign.example", in).size(), 1u);
  l->set.count_expired(after);
  EXPECT_EQ(l->st().expired, 3u);
}

// A bundle larger than the reader's 1 MB chunks, gzip'd: read as a stream, object by object,
// with the same result as the small one; a bad object among them costs that object only.
TEST(FeedFormats, LargeStixBundleIsReadObjectByObject) {
  std::string doc = R"({"objects": [)";
  constexpr int kN = 20'000;
  for (int i = 0; i < kN; ++i) {
    if (i) doc += ",\n";
    if (i == 777) doc += R"({"type": "indicator" "pattern": "[ipv4-addr:value = '192.0.2.1']"},)";  // no comma: not JSON
    doc += R"({"type": "indicator", "spec_version": "2.1", "id": "indicator--)" + std::to_string(i) +
           R"(", "name": "C2 \"x\" [)" + std::to_string(i) + R"(]", "pattern_type": "stix", "pattern": "[ipv4-addr:value = '10.)" +
           std::to_string(i / 256) + "." + std::to_string(i % 256) + R"(.1' OR domain-name:value = 'h)" + std::to_string(i) +
           R"(.example']", "valid_from": "2026-11-01T00:00:00Z", "padding": ")" + std::string(40, 'p') + "\"}";
  }
  doc += R"(], "id": "bundle--2", "type": "bundle"})";
  ASSERT_GT(doc.size(), 2u << 20);
  for (const std::string& bytes : {doc, gzip(doc)}) {
    auto l = load(bytes);
    EXPECT_EQ(l->st().format, "stix2.1");
    EXPECT_TRUE(l->st().error.empty()) << l->st().error;
    EXPECT_EQ(l->n(IndicatorType::ipv4), static_cast<uint64_t>(kN));
    EXPECT_EQ(l->n(IndicatorType::domain), static_cast<uint64_t>(kN));
    EXPECT_EQ(l->st().bad, 1u);
    ASSERT_EQ(l->st().samples.size(), 1u);
    EXPECT_NE(l->st().samples[0].find("sample:778: not valid JSON"), std::string::npos) << l->st().samples[0];
    EXPECT_EQ(l->ip("10.77.255.1").size(), 1u);
    EXPECT_EQ(l->name("h19999.example").size(), 1u);
  }
  // "objects" that are not STIX objects: not taken for a bundle.
  auto l = load(R"({"objects": [1, 2, "three"]})");
  EXPECT_NE(l->st().error.find("not a STIX 2.1 bundle"), std::string::npos) << l->st().error;
}

TEST(FeedFormats, MispEventHonoursToIds) {
  const std::string ev = R"({"Event": {"id": "1", "info": "Campaign Y infrastructure", "date": "2026-11-08", "timestamp": "1794355200",
    "Attribute": [
      {"type": "ip-dst", "category": "Network activity", "to_ids": true, "value": "203.0.113.10", "timestamp": "1794355200"},
      {"type": "domain", "category": "Network activity", "to_ids": true, "value": "c2.example.net"},
      {"type": "url", "category": "Network activity", "to_ids": true, "value": "http://drop.example.org/a.php"},
      {"type": "domain|ip", "category": "Network activity", "to_ids": true, "value": "mixed.example.com|198.51.100.20"},
      {"type": "ip-src", "category": "Network activity", "to_ids": false, "value": "192.0.2.99"},
      {"type": "md5", "category": "Payload delivery", "to_ids": true, "value": "d41d8cd98f00b204e9800998ecf8427e"},
      {"type": "ip-dst|port", "category": "Network activity", "to_ids": true, "value": "203.0.113.11|8443"},
      {"type": "hostname", "category": "Network activity", "to_ids": true, "value": "bad host name"}
    ],
    "Object": [{"name": "domain-ip", "Attribute": [{"type": "hostname", "to_ids": true, "value": "obj.example.com"}]}]}})";
  for (const std::string& doc : {ev, "{\"response\": [" + ev + "]}"}) {
    auto l = load(doc);
    EXPECT_EQ(l->st().format, "misp-event");
    EXPECT_EQ(l->n(IndicatorType::ipv4), 3u);
    EXPECT_EQ(l->n(IndicatorType::domain), 3u);
    EXPECT_EQ(l->n(IndicatorType::url), 1u);
    EXPECT_EQ(l->st().skipped, 2u);  // to_ids false, md5
    EXPECT_EQ(l->st().bad, 1u);
    EXPECT_TRUE(l->ip("192.0.2.99").empty());
    auto m = l->ip("203.0.113.11");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(l->set.label_text(m[0].meta->label), "Campaign Y infrastructure");
    EXPECT_EQ(l->name("obj.example.com").size(), 1u);
  }
}

TEST(FeedFormats, WarningListShapes) {
  auto l = load(R"({"name": "test list", "version": 20250115, "description": "d", "type": "hostname", "matching_attributes": ["domain"],
                    "list": [".example-dyn.net", "plain.example", 7, "bad name"]})");
  EXPECT_EQ(l->st().format, "misp-warninglist");
  EXPECT_EQ(l->n(IndicatorType::domain), 2u);
  EXPECT_EQ(l->st().bad, 2u);
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2025-01-15 00:00:00", t));
  EXPECT_EQ(l->st().newest, t);
  l = load(R"({"name": "subs", "type": "substring", "list": ["ngrok"]})");
  EXPECT_EQ(l->name("x.ngrok-free.app").size(), 1u);
  l = load(R"({"name": "rx", "type": "regex", "list": ["^a.*"]})");
  EXPECT_EQ(l->st().unevaluable, 1u);
}

TEST(FeedFormats, RealMispWarningLists) {
  const std::string root = std::string(OUTFLOW_DATASETS_DIR) + "/misp-warninglists";
  REQUIRE_FILE(root + "/tranco10k/list.json");
  struct Want {
    const char* list;
    IndicatorType type;
    uint64_t at_least;
  };
  const Want wants[] = {{"tranco10k", IndicatorType::domain, 9'900},        {"lots-project", IndicatorType::domain, 170},
                        {"dynamic-dns", IndicatorType::domain, 35'000},     {"url-shortener", IndicatorType::domain, 250},
                        {"amazon-aws", IndicatorType::cidr4, 3'000},        {"cloudflare", IndicatorType::cidr4, 10},
                        {"microsoft-office365", IndicatorType::domain, 100}};
  std::vector<FeedSpec> specs;
  for (const auto& w : wants) specs.push_back(FeedSpec{w.list, root + "/" + w.list + "/list.json", IntelKind::label, 0, 0, true});
  IntelSet set;
  std::string err;
  ASSERT_TRUE(load_intel(specs, set, err)) << err;
  for (size_t i = 0; i < specs.size(); ++i) {
    const FeedStats& st = set.stats()[i];
    EXPECT_EQ(st.format, "misp-warninglist") << wants[i].list;
    EXPECT_GT(st.by_type[static_cast<size_t>(wants[i].type)], 0u) << wants[i].list;
    EXPECT_GE(st.indicators(), wants[i].at_least) << wants[i].list;
    EXPECT_LT(st.bad, st.indicators() / 100 + 1) << wants[i].list << ": " << (st.samples.empty() ? "" : st.samples[0]);
    EXPECT_NE(st.newest, kNoTime);
  }
  std::vector<IntelMatch> m;
  set.match_name("abc.blob.core.windows.net", kNoTime, kNoTime, m);  // LOTS lists .blob.core.windows.net or .windows.net
  bool lots = false;
  for (const auto& x : m) lots |= set.feeds()[x.meta->feed].name == "lots-project";
  EXPECT_TRUE(lots);
  m.clear();
  IpAddr cf;
  ASSERT_TRUE(IpAddr::parse("104.16.1.1", cf));
  set.match_ip(cf, kNoTime, kNoTime, m);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(set.feeds()[m[0].meta->feed].name, "cloudflare");
}

TEST(FeedFormats, HostileInputIsCountedNeverFatal) {
  // A huge line, then good ones.
  auto l = load(std::string(200'000, 'a') + "\n203.0.113.1\n");
  EXPECT_EQ(l->st().bad, 1u);
  EXPECT_EQ(l->n(IndicatorType::ipv4), 1u);
  // JSON nested a thousand levels: in a streamed array, one bad object (the others are read); in
  // the rest of the document, the document.
  l = load("[" + std::string(1000, '[') + std::string(1000, ']') + R"(, {"type": "indicator", "pattern": "[ipv4-addr:value = '192.0.2.1']"}])");
  EXPECT_TRUE(l->st().error.empty()) << l->st().error;
  EXPECT_EQ(l->st().bad, 1u);
  ASSERT_EQ(l->st().samples.size(), 1u);
  EXPECT_NE(l->st().samples[0].find("deeper than 64"), std::string::npos) << l->st().samples[0];
  EXPECT_EQ(l->n(IndicatorType::ipv4), 1u);
  l = load("{\"Event\": " + std::string(1000, '[') + std::string(1000, ']') + "}");
  EXPECT_NE(l->st().error.find("deeper than 64"), std::string::npos) << l->st().error;
  // A STIX indicator whose pattern has ten thousand ORs, and one nested a thousand deep.
  std::string p = "[";
  for (int i = 0; i < 10'000; ++i) p += (i ? " OR " : "") + std::string("domain-name:value = 'h") + std::to_string(i) + ".example'";
  p += "]";
  l = load(R"({"type":"bundle","objects":[{"type":"indicator","pattern_type":"stix","pattern":")" + p + R"("},)" +
           R"({"type":"indicator","pattern":")" + std::string(1000, '(') + "[domain-name:value = 'x.example']" + std::string(1000, ')') + "\"}]}");
  EXPECT_EQ(l->n(IndicatorType::domain), 10'000u);
  EXPECT_EQ(l->st().unevaluable, 1u);
  // Not JSON at all, truncated JSON, JSON of another shape, binary garbage.
  EXPECT_FALSE(load("{\"type\": \"bundle\", \"objects\": [")->st().error.empty());
  EXPECT_FALSE(load("{\"hello\": 1}")->st().error.empty());
  l = load(std::string("\x00\x01\x02\xff\xfe\n", 6) + "1.2.3.4\n");
  EXPECT_EQ(l->st().bad, 1u);
  EXPECT_EQ(l->n(IndicatorType::ipv4), 1u);
  // A CSV without the indicator column named.
  l = load("a,b,c\n1,2,3\n");
  EXPECT_EQ(l->st().format, "plain");
  EXPECT_EQ(l->st().bad, 2u);
}

TEST(FeedLoader, KindPrefixFoldersAndConfigDefaults) {
  const auto dir = std::filesystem::temp_directory_path() / ("outflow_intel_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.txt") << "203.0.113.1\n";
  std::ofstream(dir / "b.txt") << "evil.example\n";
  FeedSpec f;
  std::string err;
  ASSERT_TRUE(parse_intel_arg("trusted_abused:" + dir.string(), {}, f, err));
  EXPECT_EQ(f.kind, IntelKind::trusted_abused);
  EXPECT_FALSE(parse_intel_arg("evil:/nonexistent", {}, f, err));
  EXPECT_NE(err.find("unknown kind 'evil'"), std::string::npos);
  FeedSpec conf{"mine", dir.string(), IntelKind::suspicious, 7, 0, true};
  ASSERT_TRUE(parse_intel_arg(dir.string(), {conf}, f, err));
  EXPECT_EQ(f.kind, IntelKind::suspicious);
  EXPECT_EQ(f.weight, 7);
  IntelSet set;
  ASSERT_TRUE(load_intel({f}, set, err)) << err;
  ASSERT_EQ(set.feeds().size(), 2u);
  EXPECT_EQ(set.feeds()[0].name, "mine/a.txt");
  EXPECT_EQ(set.size(), 2u);
  EXPECT_FALSE(load_intel({FeedSpec{"x", (dir / "missing").string(), IntelKind::malicious, 0, 0, true}}, set, err));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace outflow
