#include "outflow/read/srum/srum_input.h"

#include "outflow/read/srum/srudb_reader.h"
#include "outflow/read/srum/srum_export.h"

namespace outflow::srum {

namespace {

constexpr uint64_t kMaxExportBytes = uint64_t{2} << 30;

}  // namespace

void read_srum_input(const std::string& path, ByteSource* opened, InputFormat format, UsageFile& out) {
  out.path = path;
  std::unique_ptr<ByteSource> own;
  ByteSource* src = opened;
  if (!src) {
    std::string err;
    own = open_byte_source(path, err);
    if (!own) {
      out.error = err;
      return;
    }
    src = own.get();
  }
  if (format == InputFormat::srudb) {
    read_srudb(*src, path, out);
    return;
  }
  std::string bytes, err;
  if (!read_whole(*src, kMaxExportBytes, bytes, err)) {
    out.error = path + ": " + err;
    return;
  }
  read_export(bytes, detect_export(std::string_view(bytes).substr(0, 64 * 1024)), path, out);
}

}  // namespace outflow::srum
