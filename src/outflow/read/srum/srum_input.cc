#include "outflow/read/srum/srum_input.h"

#include "outflow/read/srum/srudb_reader.h"
#include "outflow/read/srum/srum_export.h"

namespace outflow::srum {

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
  // An export is read as it streams (srum_export.h): only its first bytes are looked at first.
  std::string head;
  if (!read_up_to(*src, 64 * 1024, head)) {
    out.error = path + ": " + src->error();
    return;
  }
  const ExportShape shape = detect_export(head);
  PeekedSource body(*src, std::move(head));
  read_export(body, shape, path, out);
}

}  // namespace outflow::srum
