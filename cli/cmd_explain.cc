// `outflow explain N INPUT...`: the playbook view of finding #N (same as `hunt --explain N`).
#include <memory>

#include "command.h"
#include "hunt_command.h"

namespace outflow::cli {
namespace {

const bool registered = register_command(35, [](CLI::App& app) {
  auto o = std::make_shared<HuntOptions>();
  auto* cmd = app.add_subcommand("explain",
                                 "The playbook view of finding #N of `outflow hunt` on the same inputs and options: lineage "
                                 "with users and command lines, destinations with rarity and country, sessions, factors, and "
                                 "the questions left for the analyst. Example: outflow explain 1 sysmon/ zeek/");
  cmd->add_option("finding", o->explain, "Rank of the finding (1 = top)")->required()->check(CLI::Range(1, 1000000));
  add_detect_options(cmd, o->d, false);
  return Command{cmd, [o] {
                   const int rc = run_hunt(*o);
                   return rc == kExitFindings ? kExitOk : rc;
                 }};
});

}  // namespace
}  // namespace outflow::cli
