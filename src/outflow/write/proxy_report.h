// The explicit web proxies of `outflow coverage`: configured (`proxies:`) and found in the data
// (join/proxy_finder.h), with the requests and clients seen.
#pragma once
#include <string>

#include "outflow/join/proxy_finder.h"
#include "outflow/write/json_out.h"

namespace outflow {

// A "PROXIES" section; empty when no proxy was configured nor any proxy request seen.
std::string proxies_text(const ProxyFinder& f);
// A "proxies" array.
void proxies_json(JsonOut& j, const ProxyFinder& f);

}  // namespace outflow
