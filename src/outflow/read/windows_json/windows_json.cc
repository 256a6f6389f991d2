#include "outflow/read/input.h"
namespace outflow {
bool read_windows_json(LineReader&, ReadContext&) { return false; }
}
