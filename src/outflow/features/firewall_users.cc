#include "outflow/features/firewall_users.h"

#include <algorithm>
#include <cctype>

#include "outflow/features/byte_codec.h"

namespace outflow {

void FirewallUsers::add(std::string_view user, uint64_t bytes_out) {
  if (user.empty()) return;
  for (Entry& e : users)
    if (e.user == user) {
      ++e.sessions;
      e.bytes_out += bytes_out;
      return;
    }
  if (users.size() >= kMax) {
    ++other_sessions;
    return;
  }
  users.push_back(Entry{std::string(user), 1, bytes_out});
}

void FirewallUsers::merge(const FirewallUsers& o) {
  for (const Entry& e : o.users) {
    bool found = false;
    for (Entry& m : users)
      if (m.user == e.user) {
        m.sessions += e.sessions, m.bytes_out += e.bytes_out, found = true;
        break;
      }
    if (found) continue;
    if (users.size() < kMax) users.push_back(e);
    else other_sessions += e.sessions;
  }
  other_sessions += o.other_sessions;
}

const FirewallUsers::Entry* FirewallUsers::top() const {
  const Entry* best = nullptr;
  for (const Entry& e : users)
    if (!best || e.sessions > best->sessions) best = &e;
  return best;
}

void FirewallUsers::serialize(std::string& out) const {
  codec::put(out, static_cast<uint32_t>(users.size()));
  for (const Entry& e : users) {
    codec::put_str(out, e.user);
    codec::put(out, e.sessions);
    codec::put(out, e.bytes_out);
  }
  codec::put(out, other_sessions);
}

bool FirewallUsers::deserialize(std::string_view& in) {
  uint32_t n = 0;
  if (!codec::take(in, n) || n > kMax) return false;
  users.resize(n);
  for (Entry& e : users)
    if (!codec::take_str(in, e.user) || !codec::take(in, e.sessions) || !codec::take(in, e.bytes_out)) return false;
  return codec::take(in, other_sessions);
}

std::string_view account_name(std::string_view user) {
  if (const size_t bs = user.rfind('\\'); bs != std::string_view::npos) user.remove_prefix(bs + 1);
  if (const size_t at = user.find('@'); at != std::string_view::npos) user = user.substr(0, at);
  return user;
}

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

bool same_account(std::string_view a, std::string_view b) { return iequals(account_name(a), account_name(b)); }

bool non_personal_account(std::string_view user) {
  const std::string_view name = account_name(user);
  if (name.empty() || name == "-" || iequals(name, "unknown")) return true;
  if (name.back() == '$') return true;  // a machine account
  for (std::string_view s : {"SYSTEM", "LOCAL SERVICE", "NETWORK SERVICE", "LocalSystem", "LocalService", "NetworkService"})
    if (iequals(name, s)) return true;
  const size_t bs = user.find('\\');
  return bs != std::string_view::npos && (iequals(user.substr(0, bs), "NT AUTHORITY") || iequals(user.substr(0, bs), "NT SERVICE") ||
                                          iequals(user.substr(0, bs), "Font Driver Host") || iequals(user.substr(0, bs), "Window Manager"));
}

}  // namespace outflow
