// UTF-8 validation and repair, for JSON output that is always valid UTF-8.
#pragma once
#include <string>
#include <string_view>

namespace outflow {

// Appends `in` to `out`, replacing each invalid or overlong sequence, lone surrogate or
// code point above U+10FFFF with U+FFFD. Returns the number of replacements.
size_t repair_utf8(std::string_view in, std::string& out);

// dst = v, cut to at most `max` bytes plus "…" (U+2026) when longer, never inside a UTF-8
// sequence. For text fields whose real values are short: hostile ones must not fill memory.
void assign_capped(std::string& dst, std::string_view v, size_t max);

// True when `s` is valid UTF-8.
bool valid_utf8(std::string_view s);

// Appends JSON text `in` to `out` with every lone UTF-16 surrogate escape ("\ud800" not
// followed by a low surrogate escape, or a low one without its high one) rewritten as
// "\ufffd", so that a parser accepts it. Escaped backslashes are respected. Returns the number
// of escapes rewritten.
size_t repair_json_surrogates(std::string_view in, std::string& out);

}  // namespace outflow
