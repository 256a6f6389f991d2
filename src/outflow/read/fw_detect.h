// Content detection of the firewall and proxy logs (PAN-OS CSV, FortiGate key=value, Windows
// Firewall pfirewall.log, Squid access.log) for detect_format().
#pragma once
#include <string_view>

#include "outflow/read/input.h"

namespace outflow {

// The format of a text input from its first bytes (BOM and leading blank space removed), or
// InputFormat::unknown.
InputFormat detect_text_log(std::string_view head);

}  // namespace outflow
