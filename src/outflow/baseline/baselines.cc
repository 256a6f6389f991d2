#include "outflow/baseline/baselines.h"

namespace outflow {

namespace {
constexpr char kSep = '\x1f';
void min_time(TimeNs& a, TimeNs b) {
  if (b != kNoTime && (a == kNoTime || b < a)) a = b;
}
}  // namespace

std::string Baselines::key2(std::string_view a, std::string_view b) {
  std::string k;
  k.reserve(a.size() + b.size() + 1);
  k.append(a).push_back(kSep);
  k.append(b);
  return k;
}

std::string Baselines::key3(std::string_view a, std::string_view b, std::string_view c) {
  std::string k = key2(a, b);
  k.push_back(kSep);
  k.append(c);
  return k;
}

std::string Baselines::volume_key_name(std::string_view name) { return key2("name", name); }
std::string Baselines::volume_key_role(std::string_view role, std::string_view name) { return key3("role", role, name); }
std::string Baselines::volume_key_user(std::string_view user, std::string_view name) { return key3("user", user, name); }

void Baselines::add_volume(std::string_view name, std::string_view role, std::string_view user, uint64_t bytes_out) {
  volume[volume_key_name(name)].add(bytes_out);
  if (!role.empty()) volume[volume_key_role(role, name)].add(bytes_out);
  if (!user.empty()) volume[volume_key_user(user, name)].add(bytes_out);
}

std::string Baselines::volume_key_host_day(std::string_view host) { return key2("hostday", host); }
std::string Baselines::volume_key_role_day(std::string_view role) { return key2("roleday", role); }

void Baselines::add_host_day(std::string_view host, std::string_view role, uint64_t bytes_out) {
  volume[volume_key_host_day(host)].add(bytes_out);
  if (!role.empty()) volume[volume_key_role_day(role)].add(bytes_out);
}

void Baselines::add_dest(const std::string& dest, std::string_view host, std::string_view user, TimeNs t) {
  Dest& d = dests[dest];
  min_time(d.first_seen, t);
  auto [it, fresh] = dest_host.try_emplace(key2(dest, host), t);
  if (fresh)
    ++d.hosts;
  else
    min_time(it->second, t);
  if (!user.empty()) {
    auto [u, ufresh] = dest_user.try_emplace(key2(dest, user), t);
    if (!ufresh) min_time(u->second, t);
  }
}

void Baselines::add_pair(std::string_view parent, std::string_view child, std::string_view host, TimeNs t) {
  const std::string k = key2(parent, child);
  Pair& p = pairs[k];
  ++p.count;
  auto [it, fresh] = pair_host.try_emplace(key3(parent, child, host), t);
  if (fresh)
    ++p.hosts;
  else
    min_time(it->second, t);
}

void Baselines::add_image_user(std::string_view image, std::string_view user) {
  if (user.empty()) return;
  ++image_user[key2(image, user)];
  ++image_total[std::string(image)];
}

void Baselines::cover(TimeNs a, TimeNs b) {
  min_time(first, a);
  if (b != kNoTime && (last == kNoTime || b > last)) last = b;
}

void Baselines::merge(const Baselines& o) {
  for (const auto& [k, h] : o.volume) volume[k].merge(h);
  for (const auto& [k, d] : o.dests) min_time(dests[k].first_seen, d.first_seen);
  for (const auto& [k, t] : o.dest_host) {
    auto [it, fresh] = dest_host.try_emplace(k, t);
    if (fresh)
      ++dests[k.substr(0, k.find(kSep))].hosts;
    else
      min_time(it->second, t);
  }
  for (const auto& [k, t] : o.dest_user) {
    auto [it, fresh] = dest_user.try_emplace(k, t);
    if (!fresh) min_time(it->second, t);
  }
  for (const auto& [k, p] : o.pairs) pairs[k].count += p.count;
  for (const auto& [k, t] : o.pair_host) {
    auto [it, fresh] = pair_host.try_emplace(k, t);
    if (fresh)
      ++pairs[k.substr(0, k.rfind(kSep))].hosts;
    else
      min_time(it->second, t);
  }
  for (const auto& [k, n] : o.image_user) image_user[k] += n;
  for (const auto& [k, n] : o.image_total) image_total[k] += n;
  hosts.insert(o.hosts.begin(), o.hosts.end());
  runs += o.runs;
  cover(o.first, o.last);
}

}  // namespace outflow
