// libFuzzer target: read_suricata_eve() on arbitrary bytes (see testing/fuzz_support.h; `make fuzz`).
#include "outflow/testing/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  outflow::fuzz::run_line_reader(data, size, [](outflow::LineReader& lines, outflow::ReadContext& ctx) {
    outflow::read_suricata_eve(lines, ctx);
  });
  return 0;
}
