// Subcommands register themselves: each cli/cmd_*.cc adds its CLI11 subcommand and returns the
// function that runs it, so a new command is a new file and main.cc does not change.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace outflow::cli {

// Exit codes shared by every command (documented in --help and the README).
constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;  // hunt: at least one finding
constexpr int kExitError = 2;

struct Command {
  CLI::App* app = nullptr;     // the subcommand
  std::function<int()> run;    // called when the subcommand was chosen
};

// `order` sorts commands in --help. Returns true so it can initialise a static.
using CommandSetup = std::function<Command(CLI::App&)>;
bool register_command(int order, CommandSetup setup);

}  // namespace outflow::cli
