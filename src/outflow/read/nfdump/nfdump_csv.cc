// PLACEHOLDER being replaced by its reader implementation.
#include "outflow/read/input.h"

namespace outflow {

bool read_nfdump_csv(LineReader&, ReadContext& ctx) {
  ctx.diag.bad_input(ctx.file, "reader not built yet");
  return false;
}

}  // namespace outflow
