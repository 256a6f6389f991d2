// libFuzzer target: the detector's YAML config on arbitrary bytes (`make fuzz`). A config either
// applies or is refused with a message; a refused one leaves the defaults untouched.
#include "outflow/config/detect_config.h"
#include "outflow/testing/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;
  static const DetectConfig kDefault = default_config();
  DetectConfig c = kDefault;
  std::string err;
  const bool ok = apply_config_yaml(std::string_view(reinterpret_cast<const char*>(data), size), c, err);
  fuzz::check(ok || !err.empty());
  if (!ok) fuzz::check(c.exclusions.size() == kDefault.exclusions.size() && c.min_score == kDefault.min_score);
  if (ok) fuzz::check(c.fan_out_high >= c.fan_out && c.min_score >= 0 && c.min_score <= 100);
  return 0;
}
