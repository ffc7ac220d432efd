#pragma once
// Runs a program on a pseudo-terminal, as a person at a terminal runs it: the terminal is its
// stdin, stdout, stderr and controlling terminal (/dev/tty), and the script's answers are typed
// when the text they answer has appeared.
#include <chrono>
#include <string>
#include <vector>

#include "process_run.hpp"

namespace rdpdoctor::doctortest {

struct TypedAnswer {
  std::string
      after;         // type once this text has appeared on the terminal (after the previous answer)
  std::string line;  // what the person types; Enter follows
};

/// `out` holds everything the terminal showed (stdout and stderr together, with "\r\n" line ends).
[[nodiscard]] ProcessResult runOnTerminal(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::vector<TypedAnswer>& answers,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(120000));

}  // namespace rdpdoctor::doctortest
