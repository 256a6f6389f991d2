// CSV output (RFC 4180), safe to open in a spreadsheet. Text from the input (command lines,
// image paths, host and user names) is attacker-controlled: a cell that starts with = + - @
// TAB or CR would be evaluated as a formula by Excel / LibreOffice / Sheets ("CSV injection"),
// so such text cells are prefixed with a single quote, which spreadsheets show as text. Numbers
// written with csv_number() are not text and are not prefixed. Invalid UTF-8 becomes U+FFFD.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace outflow {

// Appends one text cell: guarded, then quoted when it holds a comma, quote, CR or LF.
void csv_text(std::string& out, std::string_view v);
// Appends one integer cell.
void csv_number(std::string& out, int64_t v);
// Appends a row of text cells, comma-separated, ending in "\r\n".
void csv_row(std::string& out, std::initializer_list<std::string_view> cells);

}  // namespace outflow
