#include "rdpdoctor/front/log_format.hpp"

#include <spdlog/pattern_formatter.h>

#include <string_view>

#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

class TerminalSafePayload final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string safe = terminalText(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(safe.data(), safe.data() + safe.size());
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<TerminalSafePayload>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> terminalSafeLogFormatter(const std::string& pattern) {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<TerminalSafePayload>('*').set_pattern(pattern);
  return f;
}

}  // namespace rdpdoctor
