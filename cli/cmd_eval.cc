// `outflow eval`: scores hunt's findings against the simulator's labels (see
// src/outflow/eval/evaluate.h for the definitions).
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include "command.h"
#include "outflow/eval/evaluate.h"
#include "outflow/read/byte_source.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

struct EvalOptions {
  std::string labels, findings;
  double host_days = 0;
  bool json = false;
};

// Reads a whole (small) file, "-" = stdin, decompressing .gz/.zst as the readers do.
bool read_all(const std::string& path, std::string& out, std::string& error) {
  auto src = open_byte_source(path, error);  // "-" is stdin
  if (!src) return false;
  char buf[1 << 16];
  for (;;) {
    const long n = src->read(buf, sizeof buf);
    if (n < 0) {
      error = path + ": " + src->error();
      return false;
    }
    if (n == 0) return true;
    out.append(buf, static_cast<size_t>(n));
  }
}

// The first few bad lines of a file, and how many more.
void report_problems(const std::string& file, const std::vector<eval::ParseProblem>& problems) {
  for (size_t i = 0; i < problems.size() && i < 5; ++i)
    fmt::print(stderr, "outflow: {}:{}: {} (skipped)\n", terminal_safe(file), problems[i].line, terminal_safe(problems[i].reason));
  if (problems.size() > 5) fmt::print(stderr, "outflow: {}: {} more lines skipped\n", terminal_safe(file), problems.size() - 5);
}

int run_eval(const EvalOptions& o) {
  std::string labels_text, findings_text, error;
  if (!read_all(o.labels, labels_text, error) || !read_all(o.findings, findings_text, error)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(error));
    return kExitError;
  }
  eval::Labels labels;
  std::vector<eval::Finding> findings;
  std::vector<eval::ParseProblem> lp, fp;
  eval::parse_labels(labels_text, labels, lp);
  eval::parse_findings(findings_text, findings, fp);
  report_problems(o.labels, lp);
  report_problems(o.findings, fp);
  if (labels.instances.empty() && labels.hosts == 0) {
    fmt::print(stderr, "outflow: {}: no labels (expected the labels.jsonl of outflow simulate)\n", terminal_safe(o.labels));
    return kExitError;
  }
  if (o.host_days <= 0 && labels.hosts * labels.days <= 0) {
    fmt::print(stderr, "outflow: {}: no {{\"organisation\": {{\"hosts\", \"days\"}}}} line; give --host-days\n", terminal_safe(o.labels));
    return kExitError;
  }
  const auto e = eval::evaluate(labels, findings, o.host_days);
  const std::string out = o.json ? eval::evaluation_json(e) : eval::evaluation_text(e);
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    fmt::print(stderr, "outflow: cannot write output\n");
    return kExitError;
  }
  return kExitOk;
}

const bool registered = register_command(50, [](CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand(
      "eval",
      "Score findings (outflow hunt --format json) against labels (outflow simulate's labels.jsonl): precision, recall "
      "and F1 per scenario and overall, false findings per 100 host-days, rank of each scenario's first finding.\n"
      "A finding matches a labelled instance when its host.name is the label's host (first label, any case) and its "
      "process.entity_id is one of the label's process_guids (any case, braces optional); a finding without an entity "
      "id matches when one of its destinations is the label's and its span overlaps the label's. Repeated finding ids "
      "are duplicates and ignored. A SRUM program finding (outflow.entity \"program\") matches when one of the processes "
      "its busiest intervals overlap is the label's, and counts as a process finding.\n"
      "Findings are about a process or a host (outflow.entity; without it: process when it has process.entity_id, "
      "else host). A host finding (no process.*) may name its host by host.ip alone: the labels' host_list gives "
      "each host's address. Each scenario's found instances are counted by how they were found: found_as_process, "
      "found_as_host (an instance found both ways counts in both).\n"
      "Overall precision = matching findings / findings; recall = labelled instances found / instances. Per scenario: "
      "recall = its instances found / its instances; precision = findings matching it / (those + unmatched findings on "
      "its hosts during its span). Precision of no findings is undefined (null, '-').");
  cmd->add_option("--labels", o->labels, "labels.jsonl written by outflow simulate")->required();
  cmd->add_option("findings", o->findings, "Findings as JSON lines (docs/findings.md), or - for stdin")->required();
  cmd->add_option("--host-days", o->host_days,
                  "Host-days for the false-finding rate (default: hosts x days from the labels' organisation line)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", o->json,
                "JSON: precision, recall, f1, false_per_100_host_days overall and under scenarios.<name> (with "
                "instances, found, found_as_process, found_as_host, true_findings, false_findings, first_rank)");
  return Command{cmd, [o] { return run_eval(*o); }};
});

}  // namespace
}  // namespace outflow::cli
