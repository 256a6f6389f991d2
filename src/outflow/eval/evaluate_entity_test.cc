// outflow eval with process and host findings (outflow.entity): host findings named by host.ip
// alone, per-scenario counts of how instances were found, and findings without outflow.entity.
#include <gtest/gtest.h>

#include "outflow/eval/evaluate.h"

namespace outflow::eval {
namespace {

// Two scenarios, one on a host with Sysmon (WS-0003) and one on a flow-only host (FS-01); the
// organisation line has the host_list with each host's address.
const char* kLabels =
    R"({"organisation":{"hosts":4,"days":2,"endpoint_share":0.5,"endpoint_hosts":["DC-01","WS-0003"],"host_list":[)"
    R"({"name":"DC-01","role":"domain_controller","ip":"10.1.0.10","endpoint":true},)"
    R"({"name":"FS-01","role":"file_server","ip":"10.1.0.14","endpoint":false},)"
    R"({"name":"WS-0003","role":"workstation","ip":"10.1.0.23","endpoint":true},)"
    R"({"name":"WS-0004","role":"workstation","ip":"fd00::24","endpoint":false}]}})" "\n"
    R"({"scenario":"rclone_cloud_upload","technique":"T1567","host":"FS-01","process_guids":["{AAAA0001-0000-0000-0000-000000000001}"],"destinations":["203.0.113.7","drive.example.net"],"start":"2026-01-05T01:00:00Z","end":"2026-01-05T05:00:00Z"})" "\n"
    R"({"scenario":"macro_powershell_post","technique":"T1041","host":"WS-0003","process_guids":["{bbbb0001-0000-0000-0000-000000000001}"],"destinations":["198.51.100.9","upload.example.org"],"start":"2026-01-06T10:00:00Z","end":"2026-01-06T10:20:00Z"})" "\n"
    R"({"scenario":"dns_tunnel","technique":"T1048","host":"WS-0004","process_guids":["{cccc0001-0000-0000-0000-000000000001}"],"destinations":["192.0.2.53"],"start":"2026-01-05T08:00:00Z","end":"2026-01-05T12:00:00Z"})" "\n";

// A host finding: `host` is the JSON of the host object.
std::string host_finding(const std::string& host, int rank, const char* start, const char* end, const char* dest,
                         const char* entity = R"("entity":"host",)") {
  return R"({"host":)" + host + R"(,"event":{"start":")" + start + R"(","end":")" + end + R"("},"outflow":{)" + entity +
         R"("rank":)" + std::to_string(rank) + R"(,"finding_id":"h)" + std::to_string(rank) +
         R"(","destinations":[{"ip":")" + dest + R"(","port":443}]}})" "\n";
}

std::string process_finding(const char* host, const char* guid, int rank, const char* start, const char* end,
                            const char* entity = R"("entity":"process",)") {
  return std::string(R"({"host":{"name":")") + host + R"("},"process":{"entity_id":")" + guid +
         R"("},"event":{"start":")" + start + R"(","end":")" + end + R"("},"outflow":{)" + entity + R"("rank":)" +
         std::to_string(rank) + "}}\n";
}

struct EvalRun {
  Labels labels;
  std::vector<Finding> findings;
  std::vector<ParseProblem> problems;
  Evaluation e;
  explicit EvalRun(const std::string& text) {
    std::vector<ParseProblem> lp;
    parse_labels(kLabels, labels, lp);
    EXPECT_TRUE(lp.empty());
    parse_findings(text, findings, problems);
    e = evaluate(labels, findings, 0);
  }
};

TEST(EvalEntity, LabelsGiveEachHostsAddress) {
  EvalRun r("");
  ASSERT_EQ(r.labels.host_by_ip.size(), 4u);
  EXPECT_EQ(r.labels.host_by_ip.at("10.1.0.14"), "FS-01");
  EXPECT_EQ(r.labels.host_by_ip.at("fd00::24"), "WS-0004");
}

TEST(EvalEntity, HostFindingMatchedByIpAlone) {
  // host.ip as a string, as an ECS array, and an IPv6 address spelt another way.
  EvalRun r(host_finding(R"({"ip":"10.1.0.14"})", 1, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z", "203.0.113.7") +
        host_finding(R"({"ip":["192.0.2.200","FD00:0:0::24"]})", 2, "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z",
                     "192.0.2.53"));
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].entity, Entity::host);
  EXPECT_EQ(finding_host_key(r.labels, r.findings[1]), "ws-0004");
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").found, 1u);
  EXPECT_EQ(r.e.scenarios.at("dns_tunnel").found, 1u);
  EXPECT_EQ(r.e.overall.false_findings, 0u);
}

TEST(EvalEntity, HostFindingMatchedByNameAndNameWins) {
  // By name (an FQDN); a name given as an address is looked up like host.ip; a name that is
  // another host's decides over host.ip.
  EvalRun r(host_finding(R"({"name":"fs-01.corp.example.com"})", 1, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z",
                     "203.0.113.7") +
        host_finding(R"({"name":"fd00::24"})", 2, "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "192.0.2.53") +
        host_finding(R"({"name":"WS-0003","ip":"10.1.0.14"})", 3, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z",
                     "203.0.113.7"));
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").found, 1u);
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").findings, 1u);
  EXPECT_EQ(r.e.scenarios.at("dns_tunnel").found, 1u);
  ASSERT_EQ(r.e.false_findings.size(), 1u);
  EXPECT_EQ(r.e.false_findings[0]->rank, 3);
}

TEST(EvalEntity, HostFindingNeedsDestinationSpanAndKnownHost) {
  EvalRun r(host_finding(R"({"ip":"10.1.0.14"})", 1, "2026-01-06T02:00:00Z", "2026-01-06T03:00:00Z", "203.0.113.7") +  // a day late
        host_finding(R"({"ip":"10.1.0.14"})", 2, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z", "192.0.2.1") +  // elsewhere
        host_finding(R"({"ip":"10.9.9.9"})", 3, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z", "203.0.113.7"));  // not ours
  EXPECT_EQ(r.e.overall.found, 0u);
  EXPECT_EQ(r.e.overall.false_findings, 3u);
  // The second is on FS-01 during the rclone span: against that scenario's precision.
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").false_findings, 1u);
  EXPECT_NE(evaluation_text(r.e).find("#3     10.9.9.9"), std::string::npos) << evaluation_text(r.e);
}

TEST(EvalEntity, CountsHowEachInstanceWasFound) {
  // rclone: as a host finding only; macro: as a process and as a host finding; dns_tunnel: missed.
  EvalRun r(host_finding(R"({"ip":"10.1.0.14"})", 1, "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z", "203.0.113.7") +
        process_finding("WS-0003", "{BBBB0001-0000-0000-0000-000000000001}", 2, "2026-01-06T10:01:00Z",
                        "2026-01-06T10:02:00Z") +
        host_finding(R"({"name":"WS-0003","ip":"10.1.0.23"})", 3, "2026-01-06T10:05:00Z", "2026-01-06T10:06:00Z",
                     "198.51.100.9"));
  const auto& rc = r.e.scenarios.at("rclone_cloud_upload");
  const auto& mp = r.e.scenarios.at("macro_powershell_post");
  const auto& dt = r.e.scenarios.at("dns_tunnel");
  EXPECT_EQ(rc.found, 1u);
  EXPECT_EQ(rc.found_as_process, 0u);
  EXPECT_EQ(rc.found_as_host, 1u);
  EXPECT_EQ(mp.found, 1u);
  EXPECT_EQ(mp.found_as_process, 1u);
  EXPECT_EQ(mp.found_as_host, 1u);
  EXPECT_EQ(mp.findings, 2u);
  EXPECT_EQ(dt.found, 0u);
  EXPECT_EQ(dt.found_as_process + dt.found_as_host, 0u);
  EXPECT_EQ(r.e.overall.found, 2u);
  EXPECT_EQ(r.e.overall.found_as_process, 1u);
  EXPECT_EQ(r.e.overall.found_as_host, 2u);

  const std::string json = evaluation_json(r.e);
  EXPECT_NE(json.find(R"("rclone_cloud_upload":{"precision":1,"recall":1,"f1":1,"instances":1,"found":1,)"
                      R"("found_as_process":0,"found_as_host":1,)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("found":1,"found_as_process":1,"found_as_host":1,"true_findings":2)"), std::string::npos) << json;
  const std::string text = evaluation_text(r.e);
  EXPECT_NE(text.find("as proc"), std::string::npos) << text;
  EXPECT_NE(text.find("  macro_powershell_post            1     1       1       1"), std::string::npos) << text;
  EXPECT_NE(text.find("  rclone_cloud_upload              1     1       0       1"), std::string::npos) << text;
}

TEST(EvalEntity, WithoutEntityAProcessIdMakesAProcessFinding) {
  // No outflow.entity: process with process.entity_id, else host (the unknown process of old).
  EvalRun r(process_finding("FS-01", "{aaaa0001-0000-0000-0000-000000000001}", 1, "2026-01-05T02:00:00Z",
                        "2026-01-05T03:00:00Z", "") +
        host_finding(R"({"name":"WS-0003"})", 2, "2026-01-06T10:05:00Z", "2026-01-06T10:06:00Z", "198.51.100.9", ""));
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].entity, Entity::process);
  EXPECT_EQ(r.findings[1].entity, Entity::host);
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").found_as_process, 1u);
  EXPECT_EQ(r.e.scenarios.at("rclone_cloud_upload").found_as_host, 0u);
  EXPECT_EQ(r.e.scenarios.at("macro_powershell_post").found_as_host, 1u);
  EXPECT_EQ(r.e.scenarios.at("macro_powershell_post").found_as_process, 0u);
}

TEST(EvalEntity, ExplicitEntityDecidesAndBadOnesAreSkipped) {
  // Declared a host finding: matched by destination and span, not by the GUID it carries.
  EvalRun r(process_finding("FS-01", "{aaaa0001-0000-0000-0000-000000000001}", 1, "2026-01-07T02:00:00Z",
                        "2026-01-07T03:00:00Z", R"("entity":"host",)") +
        process_finding("FS-01", "{aaaa0001-0000-0000-0000-000000000001}", 2, "2026-01-05T02:00:00Z",
                        "2026-01-05T03:00:00Z", R"("entity":"user",)"));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].entity, Entity::host);
  EXPECT_EQ(r.e.overall.found, 0u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].line, 2u);
  EXPECT_NE(r.problems[0].reason.find("outflow.entity"), std::string::npos);
}

}  // namespace
}  // namespace outflow::eval
