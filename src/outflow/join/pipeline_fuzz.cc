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
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSep = "\n==FLOWS==\n";
  const size_t cut = in.find(kSep);
  const std::string_view endpoint = cut == std::string_view::npos ? in : in.substr(0, cut);
  const std::string_view flows = cut == std::string_view::npos ? std::string_view{} : in.substr(cut + kSep.size());

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
  Diagnostics diag;
  FileStats stats;
  std::string error;
  for (std::string_view part : {endpoint, flows}) {
    auto src = memory_byte_source(std::string(part));
    read_input(*src, "fuzz", pipe, diag, stats, error, 64 * 1024);
  }
  pipe.finish();
  return 0;
}
