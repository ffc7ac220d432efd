// Fuzz target: htmlText (diag/model text_safety). Oracles: no control bytes, no raw < > " ', and
// every & starts one of the five entities it writes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rdpdoctor/text_safety.hpp"
#include "text_oracles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::string html = htmlText(std::string_view(reinterpret_cast<const char*>(data), size));
  fuzz::requireTerminalSafe(html);
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    fuzz::require(c != '<' && c != '>' && c != '"' && c != '\'');
    if (c != '&') continue;
    const std::string_view rest = std::string_view(html).substr(i);
    fuzz::require(rest.starts_with("&amp;") || rest.starts_with("&lt;") ||
                  rest.starts_with("&gt;") || rest.starts_with("&quot;") ||
                  rest.starts_with("&#39;"));
  }
  return 0;
}
