// `outflow config`: print the built-in configuration (every key, its default and the reason), or
// check a config file.
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include <ctime>

#include "command.h"
#include "intel_common.h"
#include "outflow/write/intel_out.h"
#include "outflow/config/detect_config.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {
namespace {

struct ConfigOptions {
  std::string check;
};

int run_config(const ConfigOptions& o) {
  if (o.check.empty()) {
    const auto y = default_config_yaml();
    std::fwrite(y.data(), 1, y.size(), stdout);
    return kExitOk;
  }
  DetectConfig c = default_config();
  std::string err;
  if (!load_config_file(o.check, c, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  fmt::print("{}: valid ({} exclusion rules, {} host roles, min_score {:g}, {} intel feed(s))\n", terminal_safe(o.check),
             c.exclusions.size(), c.host_roles.size(), c.min_score, c.intel.size());
  if (!c.intel.empty()) {
    // The feeds are read to be checked; their age is judged against today (no data here).
    IntelSet intel;
    if (const int irc = load_run_intel(CommonOptions{}, c, intel); irc != kExitOk) return irc;
    report_intel_warnings(intel, static_cast<TimeNs>(std::time(nullptr)) * kNsPerSec, false);
    const std::string text = intel_feeds_text(intel);
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  return kExitOk;
}

const bool registered = register_command(50, [](CLI::App& app) {
  auto o = std::make_shared<ConfigOptions>();
  auto* cmd = app.add_subcommand("config", "Print the built-in detector config (YAML, documented), or --check FILE");
  cmd->add_option("--check", o->check, "Validate a config file and exit (2 with the key and line at fault)")->check(CLI::ExistingFile);
  return Command{cmd, [o] { return run_config(*o); }};
});

}  // namespace
}  // namespace outflow::cli
