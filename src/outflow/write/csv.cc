#include "outflow/write/csv.h"

#include "outflow/core/utf8.h"

namespace outflow {

namespace {
bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }
}  // namespace

void csv_text(std::string& out, std::string_view v) {
  std::string text;
  if (!v.empty() && formula_start(v.front())) text.push_back('\'');
  repair_utf8(v, text);
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void csv_number(std::string& out, int64_t v) { out.append(std::to_string(v)); }

void csv_row(std::string& out, std::initializer_list<std::string_view> cells) {
  bool first = true;
  for (std::string_view c : cells) {
    if (!first) out.push_back(',');
    first = false;
    csv_text(out, c);
  }
  out.append("\r\n");
}

}  // namespace outflow
