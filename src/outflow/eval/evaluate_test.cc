// outflow eval on hand-written labels and findings.
#include "outflow/eval/evaluate.h"

#include <gtest/gtest.h>

namespace outflow::eval {
namespace {

// Two scenarios on two hosts, 4 hosts x 2 days.
const char* kLabels =
    R"({"organisation":{"hosts":4,"days":2,"start":"2026-01-05T00:00:00Z","end":"2026-01-07T00:00:00Z"}})" "\n"
    R"({"scenario":"rclone_cloud_upload","technique":"T1567","host":"FS-01","process_guids":["{AAAA0001-0000-0000-0000-000000000001}"],"destinations":["203.0.113.7","drive.example.net"],"start":"2026-01-05T01:00:00Z","end":"2026-01-05T05:00:00Z"})" "\n"
    R"({"scenario":"macro_powershell_post","technique":"T1041","host":"WS-0003","process_guids":["{bbbb0001-0000-0000-0000-000000000001}","{bbbb0002-0000-0000-0000-000000000002}"],"destinations":["upload.example.org"],"start":"2026-01-06T10:00:00Z","end":"2026-01-06T10:20:00Z"})" "\n";

std::string finding(const char* host, const char* guid, int rank, const char* start, const char* end,
                    const char* extra = "") {
  std::string s = std::string(R"({"host":{"name":")") + host + R"("},"process":{)";
  if (guid) s += std::string(R"("entity_id":")") + guid + "\"";
  s += std::string(R"(},"event":{"start":")") + start + R"(","end":")" + end + R"("},"outflow":{"rank":)" +
       std::to_string(rank) + extra + "}}\n";
  return s;
}

Evaluation run(const std::string& findings_text, double host_days = 0) {
  static Labels labels;
  static std::vector<Finding> findings;
  labels = Labels{};
  findings.clear();
  std::vector<ParseProblem> p;
  parse_labels(kLabels, labels, p);
  EXPECT_TRUE(p.empty());
  parse_findings(findings_text, findings, p);
  return evaluate(labels, findings, host_days);
}

TEST(Eval, ParsesLabelsAndOrganisation) {
  Labels l;
  std::vector<ParseProblem> p;
  parse_labels(kLabels, l, p);
  EXPECT_EQ(l.hosts, 4);
  EXPECT_EQ(l.days, 2);
  ASSERT_EQ(l.instances.size(), 2u);
  EXPECT_EQ(l.instances[0].guids[0], "aaaa0001-0000-0000-0000-000000000001");  // braces off, lower case
  EXPECT_EQ(l.instances[1].guids.size(), 2u);
}

TEST(Eval, NoFindings) {
  const auto e = run("");
  EXPECT_EQ(e.overall.recall, 0);
  EXPECT_FALSE(e.overall.precision.has_value());
  EXPECT_EQ(e.overall.f1, 0);
  EXPECT_EQ(e.false_per_100_host_days, 0);
  EXPECT_EQ(e.missed.size(), 2u);
  EXPECT_FALSE(e.scenarios.at("rclone_cloud_upload").first_rank.has_value());
  EXPECT_NE(evaluation_json(e).find("\"precision\":null"), std::string::npos);
}

TEST(Eval, GuidCaseAndBracesAndFqdnMatch) {
  // Upper-case GUID without braces, host as an FQDN in another case.
  const auto e = run(finding("fs-01.corp.example.com", "AAAA0001-0000-0000-0000-000000000001", 3,
                             "2026-01-05T02:00:00Z", "2026-01-05T03:00:00Z") +
                     finding("WS-0003", "{BBBB0002-0000-0000-0000-000000000002}", 1, "2026-01-06T10:01:00Z",
                             "2026-01-06T10:02:00Z"));
  EXPECT_EQ(e.overall.found, 2u);
  EXPECT_EQ(e.overall.recall, 1);
  EXPECT_EQ(*e.overall.precision, 1);
  EXPECT_EQ(*e.scenarios.at("rclone_cloud_upload").first_rank, 3);
  EXPECT_EQ(*e.scenarios.at("macro_powershell_post").first_rank, 1);
}

TEST(Eval, WrongHostOrProcessDoesNotMatch) {
  const auto e = run(finding("WS-0004", "{AAAA0001-0000-0000-0000-000000000001}", 1, "2026-01-05T02:00:00Z",
                             "2026-01-05T03:00:00Z") +
                     finding("FS-01", "{cccc0000-0000-0000-0000-000000000000}", 2, "2026-01-05T02:00:00Z",
                             "2026-01-05T03:00:00Z"));
  EXPECT_EQ(e.overall.found, 0u);
  EXPECT_EQ(e.overall.false_findings, 2u);
  EXPECT_EQ(*e.overall.precision, 0);
  EXPECT_DOUBLE_EQ(e.false_per_100_host_days, 25.0);  // 2 * 100 / 8 host-days
  // The second is on FS-01 during the rclone span: it counts against that scenario's precision.
  EXPECT_EQ(e.scenarios.at("rclone_cloud_upload").false_findings, 1u);
  EXPECT_EQ(*e.scenarios.at("rclone_cloud_upload").precision, 0);
  EXPECT_EQ(e.scenarios.at("macro_powershell_post").false_findings, 0u);
}

TEST(Eval, DuplicatesCountOnce) {
  const std::string f = finding("FS-01", "{aaaa0001-0000-0000-0000-000000000001}", 1, "2026-01-05T02:00:00Z",
                                "2026-01-05T03:00:00Z", R"(,"finding_id":"x1")");
  const std::string bad = finding("WS-0001", "{dddd0000-0000-0000-0000-000000000000}", 2, "2026-01-05T02:00:00Z",
                                  "2026-01-05T03:00:00Z", R"(,"finding_id":"x2")");
  const auto e = run(f + f + bad + bad);
  EXPECT_EQ(e.duplicates, 2u);
  EXPECT_EQ(e.overall.findings, 1u);
  EXPECT_EQ(e.overall.false_findings, 1u);
  EXPECT_DOUBLE_EQ(*e.overall.precision, 0.5);
}

TEST(Eval, UnknownProcessMatchesByDestinationDuringTheSpan) {
  const char* dest = R"(,"destinations":[{"ip":"203.0.113.7","port":443}])";
  const std::string dest1 = std::string(dest) + R"(,"finding_id":"u1")", dest2 = std::string(dest) + R"(,"finding_id":"u2")";
  // Overlapping the label's span: a match; a day later (another run's finding): false.
  const auto e = run(finding("FS-01", nullptr, 1, "2026-01-05T04:00:00Z", "2026-01-05T06:00:00Z", dest1.c_str()) +
                     finding("FS-01", nullptr, 2, "2026-01-06T04:00:00Z", "2026-01-06T06:00:00Z", dest2.c_str()));
  EXPECT_EQ(e.scenarios.at("rclone_cloud_upload").found, 1u);
  EXPECT_EQ(e.overall.findings, 1u);
  EXPECT_EQ(e.overall.false_findings, 1u);
  // A finding with a process that is not labelled does not match by destination.
  const auto e2 = run(finding("FS-01", "{eeee0000-0000-0000-0000-000000000000}", 1, "2026-01-05T04:00:00Z",
                              "2026-01-05T06:00:00Z", dest));
  EXPECT_EQ(e2.overall.found, 0u);
}

TEST(Eval, WithoutFindingIdHostAndProcessIdentifyAFinding) {
  // docs/findings.md: one finding per process (and one for a host's unknown process).
  const auto e = run(finding("FS-01", nullptr, 1, "2026-01-05T04:00:00Z", "2026-01-05T06:00:00Z") +
                     finding("fs-01.corp", nullptr, 2, "2026-01-06T04:00:00Z", "2026-01-06T06:00:00Z"));
  EXPECT_EQ(e.duplicates, 1u);
}

TEST(Eval, RankFromLineOrderAndHostDaysOverride) {
  // No outflow.rank: the line's position is the rank.
  const std::string f = R"({"host":{"name":"WS-0001"},"process":{"entity_id":"{ffff0000-0000-0000-0000-000000000000}"}})" "\n"
                        R"({"host":{"name":"WS-0003"},"process":{"entity_id":"bbbb0001-0000-0000-0000-000000000001"}})" "\n";
  const auto e = run(f, 100);
  EXPECT_EQ(*e.scenarios.at("macro_powershell_post").first_rank, 2);
  EXPECT_DOUBLE_EQ(e.false_per_100_host_days, 1.0);
  EXPECT_DOUBLE_EQ(e.overall.recall, 0.5);
  EXPECT_DOUBLE_EQ(e.overall.f1, 2 * 0.5 * 0.5 / (0.5 + 0.5));
}

TEST(Eval, BadLinesAreReportedAndSkipped) {
  Labels l;
  std::vector<Finding> f;
  std::vector<ParseProblem> p;
  parse_findings("{\"host\":{\"name\":\"A\"}}\nnot json\n[1]\n{\"process\":{}}\n", f, p);
  EXPECT_EQ(f.size(), 1u);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].line, 2u);
  EXPECT_EQ(p[2].reason, "finding without host.name or host.ip");
}

}  // namespace
}  // namespace outflow::eval
