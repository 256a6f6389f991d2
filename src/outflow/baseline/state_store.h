// The state file: baselines kept between runs in one SQLite database (`--state FILE`).
//
// - Atomic: a save is one SQLite transaction; a run killed at any instant (even SIGKILL) leaves
//   the last committed state, which SQLite's journal restores on the next open.
// - Exclusive: a run holds an advisory lock (flock) on the file from open to close, so a second
//   run on the same file is refused with a clear message instead of interleaving writes.
// - Versioned: a file that is not an Outflow state, or of another schema version, is refused.
#pragma once
#include <string>

#include "outflow/baseline/baselines.h"

struct sqlite3;

namespace outflow {

class StateStore {
 public:
  static constexpr int kSchemaVersion = 1;
  StateStore() = default;
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Opens the file (creating it when `create`) and locks it. False with a message otherwise.
  bool open(const std::string& path, bool create, std::string& err);
  // Reads the stored baselines (empty, runs == 0, for a new file).
  bool load(Baselines& out, std::string& err);
  // Replaces the stored baselines with `b`, in one transaction.
  bool save(const Baselines& b, std::string& err);
  void close();

 private:
  bool exec(const char* sql, std::string& err);
  std::string path_;
  sqlite3* db_ = nullptr;
  int lock_fd_ = -1;
};

}  // namespace outflow
