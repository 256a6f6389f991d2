#include "outflow/core/win_path.h"

#include <array>
#include <utility>
#include <vector>

namespace outflow {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Without surrounding blanks and quotes: "\"C:\x.exe\" " -> "C:\x.exe". A quoted path followed
// by more text (a command line) ends at its closing quote.
std::string_view unquote(std::string_view p) {
  while (!p.empty() && is_blank(p.front())) p.remove_prefix(1);
  while (!p.empty() && is_blank(p.back())) p.remove_suffix(1);
  if (!p.empty() && p.front() == '"') {
    p.remove_prefix(1);
    if (const size_t q = p.find('"'); q != std::string_view::npos) p = p.substr(0, q);
  }
  while (!p.empty() && p.back() == '"') p.remove_suffix(1);
  return p;
}

// Environment variables Windows sets the same way on every machine (see the header for the
// assumption that the system drive is C:). Profile-relative ones are resolved by the caller's
// profile folder.
std::string_view fixed_env(std::string_view name) {
  using P = std::pair<std::string_view, std::string_view>;
  static constexpr std::array<P, 13> kFixed = {{
      {"systemroot", "c:\\windows"}, {"windir", "c:\\windows"}, {"systemdrive", "c:"}, {"homedrive", "c:"},
      {"programfiles", "c:\\program files"}, {"programw6432", "c:\\program files"},
      {"programfiles(x86)", "c:\\program files (x86)"}, {"commonprogramfiles", "c:\\program files\\common files"},
      {"commonprogramw6432", "c:\\program files\\common files"},
      {"commonprogramfiles(x86)", "c:\\program files (x86)\\common files"}, {"programdata", "c:\\programdata"},
      {"allusersprofile", "c:\\programdata"}, {"public", "c:\\users\\public"},
  }};
  for (const auto& [k, v] : kFixed)
    if (k == name) return v;
  return {};
}

// The profile-relative variables, in the profile folder `prof` (no trailing '\'); "" for others.
std::string profile_env(std::string_view name, const std::string& prof) {
  if (name == "userprofile") return prof;
  if (name == "homepath") return prof.size() >= 2 && prof[1] == ':' ? prof.substr(2) : prof;
  if (name == "localappdata") return prof + "\\appdata\\local";
  if (name == "appdata") return prof + "\\appdata\\roaming";
  if (name == "temp" || name == "tmp") return prof + "\\appdata\\local\\temp";
  return {};
}

// Lower-cased, '/' as '\', %variables% expanded (name already lower-cased in `s`).
std::string fold_and_expand(std::string_view p, std::string_view profile_dir) {
  std::string s;
  s.reserve(p.size());
  for (char c : p) s.push_back(c == '/' ? '\\' : lower(c));
  if (s.find('%') == std::string::npos) return s;
  std::string prof = profile_dir.empty() ? std::string("c:\\users\\%username%") : std::string(profile_dir);
  for (char& c : prof) c = c == '/' ? '\\' : lower(c);
  while (!prof.empty() && prof.back() == '\\') prof.pop_back();
  std::string out;
  out.reserve(s.size() + 32);
  for (size_t i = 0; i < s.size();) {
    const size_t e = s[i] == '%' ? s.find('%', i + 1) : std::string::npos;
    if (e == std::string::npos) {
      out.push_back(s[i++]);
      continue;
    }
    const std::string_view name = std::string_view(s).substr(i + 1, e - i - 1);
    std::string value(fixed_env(name));
    if (value.empty()) value = profile_env(name, prof);
    if (value.empty()) {
      out.push_back(s[i++]);  // unknown: kept as written
      continue;
    }
    out += value;
    i = e + 1;
  }
  return out;
}

bool consume(std::string_view& v, std::string_view prefix) {
  if (!v.starts_with(prefix)) return false;
  v.remove_prefix(prefix.size());
  return true;
}

// Root of the path ("c:", "\\" for UNC, "\" for a rooted path without drive, "" for a relative
// one) after mapping NT and device prefixes; `v` is left at the first component.
std::string take_root(std::string_view& v) {
  // Win32 file namespace and NT object manager prefixes ("\\?\GLOBALROOT" is followed by an
  // NT path such as "\Device\HarddiskVolume3\...").
  if (consume(v, "\\\\?\\unc\\") || consume(v, "\\??\\unc\\")) return "\\\\";
  if (!consume(v, "\\\\?\\globalroot") && !consume(v, "\\\\.\\globalroot") && !consume(v, "\\\\?\\") &&
      !consume(v, "\\\\.\\"))
    consume(v, "\\??\\");
  constexpr std::string_view kVolume = "\\device\\harddiskvolume";
  if (v.starts_with(kVolume)) {
    size_t e = kVolume.size();
    while (e < v.size() && v[e] >= '0' && v[e] <= '9') ++e;
    if (e > kVolume.size() && (e == v.size() || v[e] == '\\')) {
      v.remove_prefix(e);
      return "c:";  // see the header: the system volume is assumed
    }
  }
  // A volume by GUID ("\\?\Volume{...}\"): as a volume by number, assumed to be the system drive.
  if (v.starts_with("volume{") || v.starts_with("\\volume{")) {
    const size_t close = v.find('}');
    if (close != std::string_view::npos && (close + 1 == v.size() || v[close + 1] == '\\')) {
      v.remove_prefix(close + 1);
      return "c:";
    }
  }
  if (consume(v, "\\device\\mup\\")) return "\\\\";
  if (v == "\\systemroot" || v.starts_with("\\systemroot\\")) {
    v.remove_prefix(11);
    return "c:\\windows";
  }
  if (v.size() >= 2 && v[0] >= 'a' && v[0] <= 'z' && v[1] == ':') {
    std::string root(v.substr(0, 2));
    v.remove_prefix(2);
    return root;
  }
  if (v.starts_with("\\\\")) return "\\\\";
  if (v.starts_with("\\")) return "\\";
  if (v.starts_with("system32\\")) return "c:\\windows";  // relative to SystemRoot (service image paths)
  return "";
}

}  // namespace

std::string canonical_win_path(std::string_view path, std::string_view profile_dir) {
  const std::string s = fold_and_expand(unquote(path), profile_dir);
  std::string_view v = s;
  const std::string root = take_root(v);
  const bool trailing = !v.empty() && v.back() == '\\';
  // Components, doubled separators dropped, "." and ".." resolved (not above the drive, nor
  // above a UNC path's server and share).
  std::vector<std::string_view> comps;
  const size_t floor = root == "\\\\" ? 2 : 0;
  while (!v.empty()) {
    const size_t e = v.find('\\');
    const std::string_view c = v.substr(0, e);
    v.remove_prefix(e == std::string_view::npos ? v.size() : e + 1);
    if (c.empty() || c == ".") continue;
    if (c == ".." && !root.empty()) {
      if (comps.size() > floor) comps.pop_back();
      continue;
    }
    comps.push_back(c);
  }
  // The system drive's well-known short names (see the header).
  if (root == "c:" && !comps.empty()) {
    if (comps[0] == "progra~1") comps[0] = "program files";
    else if (comps[0] == "progra~2") comps[0] = "program files (x86)";
    else if (comps[0] == "progra~3") comps[0] = "programdata";
  }
  std::string out = root;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < comps.size(); ++i) {
    if (i > 0 || (!root.empty() && root.back() != '\\')) out.push_back('\\');
    out += comps[i];
  }
  if (comps.empty() && root.size() == 2 && root[1] == ':' && s.size() > 2) out.push_back('\\');  // "c:\"
  else if (trailing && !comps.empty()) out.push_back('\\');
  return out;
}

std::string image_basename(std::string_view path) {
  path = unquote(path);
  const size_t slash = path.find_last_of("\\/");
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  std::string out(path);
  for (char& c : out) c = lower(c);
  return out;
}

namespace {

// The long name as Windows reduces it for its short name: the base (before the last dot) without
// spaces and dots, "+,;=[]" as '_', lower-cased; the extension's first 3 characters, likewise.
struct ShortParts {
  std::string base, ext;
};
ShortParts short_parts(std::string_view long_name) {
  auto clean = [](std::string_view x) {
    std::string r;
    for (char c : x) {
      if (c == ' ' || c == '.') continue;
      r.push_back(std::string_view("+,;=[]").find(c) != std::string_view::npos ? '_' : lower(c));
    }
    return r;
  };
  const size_t ldot = long_name.rfind('.');
  const bool has_ext = ldot != std::string_view::npos && ldot > 0;
  ShortParts p{clean(has_ext ? long_name.substr(0, ldot) : long_name), has_ext ? clean(long_name.substr(ldot + 1)) : ""};
  if (p.ext.size() > 3) p.ext.resize(3);
  return p;
}

// A short name split as base "~" number "." extension; false when it is not one.
bool split_short(std::string_view s, std::string_view& base, std::string_view& num, std::string_view& ext) {
  const size_t tilde = s.rfind('~');
  if (tilde == std::string_view::npos || tilde == 0) return false;
  const size_t dot = s.find('.', tilde);
  base = s.substr(0, tilde);
  num = s.substr(tilde + 1, dot == std::string_view::npos ? std::string_view::npos : dot - tilde - 1);
  ext = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (num.empty() || num[0] == '0' || base.size() + 1 + num.size() > 8 || ext.size() > 3) return false;
  for (char c : num)
    if (c < '0' || c > '9') return false;
  return true;
}

// Whether Windows gives `name` a short name of its own: not when it is a valid 8.3 name already
// (up to 8 characters, one dot, up to 3 after it, none of " +,;=[]").
bool needs_short_name(std::string_view name) {
  const size_t dot = name.find('.');
  if (dot != std::string_view::npos && name.find('.', dot + 1) != std::string_view::npos) return true;
  const size_t base = dot == std::string_view::npos ? name.size() : dot;
  const size_t ext = dot == std::string_view::npos ? 0 : name.size() - dot - 1;
  return base == 0 || base > 8 || ext > 3 || name.find_first_of(" +,;=[]") != std::string_view::npos;
}

}  // namespace

bool short_name_matches(std::string_view short_name, std::string_view long_name) {
  if (iequal(short_name, long_name)) return true;
  std::string_view base, num, ext;
  if (!split_short(short_name, base, num, ext)) return false;
  const ShortParts l = short_parts(long_name);
  if (l.base.empty()) return false;
  const size_t keep = std::min<size_t>(l.base.size(), 7 - num.size());  // 6, 5 for ~10..~99, ...
  return iequal(base, std::string_view(l.base).substr(0, keep)) && iequal(ext, l.ext);
}

std::string ShortNameMap::key(uint32_t host, std::string_view folder, std::string_view stem) const {
  std::string k = std::to_string(host);
  k += '|';
  k += folder;
  k += '|';
  k += stem;
  return k;
}

void ShortNameMap::learn(uint32_t host, std::string_view path) {
  if (path.empty() || long_.size() >= max_ || seen_.size() >= max_) return;
  // FNV-1a of host and path: most processes run a handful of images, learned once each.
  uint64_t h = 1469598103934665603ULL ^ host;
  for (unsigned char c : path) h = (h ^ c) * 1099511628211ULL;
  if (!seen_.insert(h).second) return;
  const std::string canon = canonical_win_path(path);
  size_t start = canon.starts_with("\\\\") ? 2 : 0;
  while (start < canon.size()) {
    size_t e = canon.find('\\', start);
    if (e == std::string::npos) e = canon.size();
    const std::string_view comp = std::string_view(canon).substr(start, e - start);
    if (start > 0 && needs_short_name(comp) && comp.find('~') == std::string_view::npos) {
      const ShortParts sp = short_parts(comp);
      if (!sp.base.empty()) {
        const std::string k = key(host, std::string_view(canon).substr(0, start), sp.base.substr(0, 6) + "~." + sp.ext);
        auto [it, fresh] = long_.try_emplace(k, comp);
        if (!fresh && it->second != comp) it->second.clear();  // two long names: ambiguous
      }
    }
    start = e + 1;
  }
}

std::string ShortNameMap::expand(uint32_t host, std::string_view canonical) const {
  if (long_.empty() || canonical.find('~') == std::string_view::npos) return std::string(canonical);
  std::string out;
  out.reserve(canonical.size() + 32);
  size_t start = canonical.starts_with("\\\\") ? 2 : 0;
  out.append(canonical.substr(0, start));
  while (start < canonical.size()) {
    size_t e = canonical.find('\\', start);
    if (e == std::string_view::npos) e = canonical.size();
    const std::string_view comp = canonical.substr(start, e - start);
    std::string_view base, num, ext;
    const std::string* found = nullptr;
    if (start > 0 && split_short(comp, base, num, ext) && num == "1") {
      auto it = long_.find(key(host, out, std::string(base) + "~." + std::string(ext)));
      if (it != long_.end() && !it->second.empty()) found = &it->second;
    }
    out.append(found ? std::string_view(*found) : comp);
    if (e < canonical.size()) out.push_back('\\');
    start = e + 1;
  }
  return out;
}

}  // namespace outflow
