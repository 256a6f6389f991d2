#include "outflow/intel/stix_pattern.h"

namespace outflow {

namespace {

enum class Tok { open_sq, close_sq, open_par, close_par, string, word, op, end, bad };

struct Lexer {
  std::string_view s;
  size_t i = 0;
  std::string text;
  Tok next() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    if (i >= s.size()) return Tok::end;
    const char c = s[i];
    if (c == '[') return ++i, Tok::open_sq;
    if (c == ']') return ++i, Tok::close_sq;
    if (c == '(') return ++i, Tok::open_par;
    if (c == ')') return ++i, Tok::close_par;
    if (c == '\'') {
      text.clear();
      for (++i; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) text.push_back(s[++i]);
        else if (s[i] == '\'') return ++i, Tok::string;
        else text.push_back(s[i]);
      }
      return Tok::bad;  // unterminated
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      const size_t b = i++;
      if (i < s.size() && s[i] == '=') ++i;
      text.assign(s.substr(b, i - b));
      return Tok::op;
    }
    const size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '[' && s[i] != ']' &&
           s[i] != '(' && s[i] != ')' && s[i] != '\'' && s[i] != '=' && s[i] != '!' && s[i] != '<' && s[i] != '>')
      ++i;
    text.assign(s.substr(b, i - b));
    return Tok::word;
  }
};

bool path_type(std::string_view p, IndicatorType& t) {
  if (p == "ipv4-addr:value") return t = IndicatorType::ipv4, true;
  if (p == "ipv6-addr:value") return t = IndicatorType::ipv6, true;
  if (p == "domain-name:value") return t = IndicatorType::domain, true;
  if (p == "url:value") return t = IndicatorType::url, true;
  return false;
}

}  // namespace

bool parse_stix_pattern(std::string_view pattern, std::vector<StixTerm>& out, std::string& reason) {
  out.clear();
  Lexer lx;
  lx.s = pattern;
  std::string stack;  // open brackets: '[' or '('
  bool want_operand = true;
  auto fail = [&](std::string r) {
    out.clear();
    reason = std::move(r);
    return false;
  };
  for (;;) {
    const Tok t = lx.next();
    if (t == Tok::bad) return fail("unterminated string");
    if (want_operand) {
      if (t == Tok::open_sq || t == Tok::open_par) {
        if (t == Tok::open_sq && stack.find('[') != std::string::npos) return fail("'[' inside an observation expression");
        if (stack.size() >= kMaxStixNesting) return fail("nested deeper than 64 brackets");
        stack.push_back(t == Tok::open_sq ? '[' : '(');
        continue;
      }
      if (t != Tok::word) return fail(t == Tok::end ? "pattern ends where a comparison was expected" : "a comparison was expected");
      if (stack.find('[') == std::string::npos) return fail("comparison outside [ ]");
      IndicatorType type;
      const std::string path = lx.text;
      if (!path_type(path, type)) return fail("compares " + path.substr(0, 80) + " (only ipv4-addr, ipv6-addr, domain-name, url :value)");
      const Tok op = lx.next();
      if (op == Tok::word && lx.text == "NOT") return fail("NOT comparison");
      const bool eq = op == Tok::op && lx.text == "=";
      const bool subset = op == Tok::word && lx.text == "ISSUBSET" && (type == IndicatorType::ipv4 || type == IndicatorType::ipv6);
      if (!eq && !subset) return fail("operator " + lx.text.substr(0, 20) + " on " + path);
      const Tok v = lx.next();
      if (v == Tok::bad) return fail("unterminated string");
      if (v != Tok::string) return fail("a quoted value was expected after " + path);
      if (out.size() >= kMaxStixTerms) return fail("more than 100000 comparisons");
      out.push_back(StixTerm{type, lx.text});
      want_operand = false;
      continue;
    }
    if (t == Tok::end) break;
    if (t == Tok::close_sq || t == Tok::close_par) {
      const char want = t == Tok::close_sq ? '[' : '(';
      if (stack.empty() || stack.back() != want) return fail("unbalanced brackets");
      stack.pop_back();
      continue;
    }
    if (t == Tok::word && lx.text == "OR") {
      want_operand = true;
      continue;
    }
    if (t == Tok::word) return fail("uses " + lx.text.substr(0, 20) + " (only OR can be evaluated on a destination)");
    return fail("unexpected token");
  }
  if (!stack.empty()) return fail("unbalanced brackets");
  if (out.empty()) return fail("no comparison");
  return true;
}

}  // namespace outflow
