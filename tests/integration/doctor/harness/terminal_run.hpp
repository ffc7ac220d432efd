#pragma once
// Runs a program on a pseudo-terminal, as a person at a terminal runs it: the terminal is its
// stdin, stdout, stderr and controlling terminal (/dev/tty), and the script's answers are typed
// when the text they answer has appeared.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "process_run.hpp"

namespace rdpdoctor::doctortest {

struct TypedAnswer {
  std::string
      after;         // type once this text has appeared on the terminal (after the previous answer)
  std::string line;  // what the person types; Enter follows
  /// how long the person reads before typing, counted from the text's appearance (the output
  /// goes on being read meanwhile)
  std::chrono::milliseconds thinking{0};
};

/// `out` holds everything the terminal showed (stdout and stderr together, with "\r\n" line ends).
[[nodiscard]] ProcessResult runOnTerminal(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::vector<TypedAnswer>& answers,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(120000));

/// What a person reads of a terminal's output: colour sequences dropped, "\r\n" as "\n" (a lone
/// "\r", a live line being rewritten, is kept).
[[nodiscard]] std::string terminalText(const std::string& raw);

/// The question every connection asks on a terminal about a certificate nobody has accepted yet.
inline constexpr std::string_view kCertificateQuestion = "accept it? [o]nce, [a]lways, [N]o: ";

/// What a person types to it: "o" (once), "a" (always: later runs are not asked), "n" (no).
[[nodiscard]] inline TypedAnswer certificateAnswer(const std::string& typed) {
  return TypedAnswer{std::string(kCertificateQuestion), typed};
}

}  // namespace rdpdoctor::doctortest
