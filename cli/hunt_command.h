// `outflow hunt` and its alias `outflow explain N` share one implementation.
#pragma once
#include <string>

#include "detect_common.h"

namespace outflow::cli {

struct HuntOptions {
  DetectOptions d;
  std::string format = "table";
  bool show_suppressed = false;
  bool learn = false;
  int explain = 0;  // > 0: print finding #explain in full instead of the list
};

int run_hunt(const HuntOptions& o);

}  // namespace outflow::cli
