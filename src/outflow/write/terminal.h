// Text for a terminal: control characters (ESC, CR, BEL... ) shown as \xNN, invalid UTF-8 as
// U+FFFD, so attacker-controlled names cannot move the cursor or repaint the screen.
#pragma once
#include <string>
#include <string_view>

namespace outflow {

std::string terminal_safe(std::string_view s);

}  // namespace outflow
