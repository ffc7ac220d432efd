// Fuzz target: markdownText and markdownCode (diag/model text_safety). Oracles: no control bytes;
// markdownText leaves no raw < or >, and every inline metacharacter (| ` * _ [ ] ~) is escaped by
// an odd run of backslashes, every & starts one of our entities; markdownCode is one code span
// whose fence is longer than any backtick run inside it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rdpdoctor/text_safety.hpp"
#include "text_oracles.hpp"

namespace {

bool startsWith(std::string_view s, std::size_t at, std::string_view p) {
  return s.substr(at, p.size()) == p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string md = markdownText(input);
  fuzz::requireTerminalSafe(md);
  std::size_t backslashes = 0;
  for (std::size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    fuzz::require(c != '<' && c != '>');
    if (c == '&')
      fuzz::require(startsWith(md, i, "&lt;") || startsWith(md, i, "&gt;") ||
                    startsWith(md, i, "&amp;"));
    const bool meta =
        c == '|' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '~';
    if (meta) fuzz::require(backslashes % 2 == 1);
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  fuzz::require(backslashes % 2 == 0);  // a value never ends by escaping what follows it

  const std::string code = markdownCode(input);
  fuzz::requireTerminalSafe(code);
  std::size_t fence = 0;
  while (fence < code.size() && code[fence] == '`') ++fence;
  fuzz::require(fence >= 1 && code.size() >= 2 * fence);
  fuzz::require(code.substr(code.size() - fence) == std::string(fence, '`'));
  const std::string_view inner = std::string_view(code).substr(fence, code.size() - 2 * fence);
  std::size_t run = 0;
  for (const char c : inner) {
    run = c == '`' ? run + 1 : 0;
    fuzz::require(run < fence);
  }
  fuzz::require(inner.empty() || (inner.front() != '`' && inner.back() != '`'));
  return 0;
}
