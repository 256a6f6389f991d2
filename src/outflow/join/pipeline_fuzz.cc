// libFuzzer target: the whole pipeline on a mixed input. The input is split at the first line
// "==FLOWS==": what comes before is read as an endpoint file, what follows as a flow file (each
// through read_input, so format detection and decompression are fuzzed too), then sessions are
// stitched, attributed and written as JSON lines. Every line written must be valid UTF-8 and
// valid JSON: that is the output contract, checked here on every input.
#include <simdjson.h>

#include "outflow/core/utf8.h"
#include "outflow/join/pipeline.h"
#include "outflow/testing/fuzz_support.h"
#include "outflow/write/session_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;

  PipelineOptions opt;
  opt.max_processes = 64;  // small caps, so the drop paths run too
  opt.stitch.max_open = 16;
  std::string out;
  static simdjson::dom::parser json;  // DOM: validates the whole document; reused
  SessionPipeline* pipe_ptr = nullptr;
  SessionPipeline pipe(opt, [&](const Session& s, const Attribution& a) {
    out.clear();
    write_session_json(out, s, a, *pipe_ptr);
    fuzz::check(!out.empty() && out.back() == '\n');
    fuzz::check(valid_utf8(out));
    simdjson::dom::element doc;
    fuzz::check(!json.parse(out).get(doc) && doc.is_object());
  });
  pipe_ptr = &pipe;
  fuzz::read_mixed(data, size, pipe);
  return 0;
}
