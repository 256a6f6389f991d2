// Text for a terminal: control characters (ESC, CR, BEL... ) shown as \xNN, C1 controls as
// \u00NN, invalid UTF-8 as U+FFFD, so attacker-controlled names cannot move the cursor or
// repaint the screen. Everything the CLI prints that came from input goes through here.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace outflow {

std::string terminal_safe(std::string_view s);
// The same, cut to at most `max_bytes` of output without splitting a character or an escape
// (for table columns).
std::string terminal_safe(std::string_view s, size_t max_bytes);

}  // namespace outflow
