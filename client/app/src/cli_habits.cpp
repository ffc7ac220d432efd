#include "cli_habits.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <utility>

#include "cli_common.hpp"

namespace rdpdoctor::app {
namespace {

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

bool isPasswordOption(std::string_view a) {
  return a == "--password" || a.rfind("--password=", 0) == 0 || a == "-p" || a == "--pass" ||
         a.rfind("--pass=", 0) == 0 || a.rfind("/p:", 0) == 0 || a.rfind("-p:", 0) == 0;
}

/// xfreerdp's "/name:value" (or "/name"): an absolute path has a second slash or ends in .rdp.
std::optional<std::string> xfreerdpHint(std::string_view a) {
  if (a.size() < 2 || a[0] != '/' || a.find('/', 1) != std::string_view::npos) return std::nullopt;
  if (a.size() > 4 && a.substr(a.size() - 4) == ".rdp") return std::nullopt;
  const auto colon = a.find(':');
  const std::string_view name =
      a.substr(1, colon == std::string_view::npos ? std::string_view::npos : colon - 1);
  const std::string value =
      colon == std::string_view::npos ? std::string() : std::string(a.substr(colon + 1));
  static const std::array<std::pair<std::string_view, std::string_view>, 10> kHints = {{
      {"v", "give the host as an argument: rdpdoctor connect "},
      {"u", "use --user "},
      {"d", "use --domain "},
      {"sec", "use --security "},
      {"size", "use --size "},
      {"bpp", "use --bpp "},
      {"f", "use --fullscreen"},
      {"cert", "use --cert accept-once (this run only) or --cert tofu (remember it)"},
      {"cert-ignore", "use --cert accept-once (this run only) or --cert tofu (remember it)"},
      {"admin", "there is no admin-session option yet"},
  }};
  for (const auto& [n, hint] : kHints) {
    if (n != name) continue;
    const bool takesValue = hint.back() == ' ';
    return "'" + std::string(a) + "' is an xfreerdp option: " + std::string(hint) +
           (takesValue ? value : "");
  }
  return std::nullopt;
}

}  // namespace

std::string exitCodesHelp() {
  return "exit codes: 0 success, 1 no working connection (also below the security floor), 2 usage "
         "error, "
         "3 credentials rejected, 4 certificate not accepted (also a changed certificate), 5 "
         "timeout, "
         "6 unreachable (probe), 7 credentials needed but none given, 70 internal error";
}

std::optional<std::string> closestVerb(std::string_view typed,
                                       const std::vector<std::string>& verbs) {
  std::optional<std::string> best;
  std::size_t bestDistance = 3;
  for (const auto& v : verbs) {
    const std::size_t d = editDistance(typed, v);
    const bool prefix = typed.size() >= 3 && v.rfind(typed, 0) == 0;
    if (prefix || d < bestDistance) {
      best = v;
      bestDistance = prefix ? 0 : d;
    }
  }
  return best;
}

std::optional<int> screenArguments(const std::vector<std::string>& args, CLI::App& cli) {
  for (const auto& a : args) {
    if (isPasswordOption(a)) {
      // never echo what followed: it may be the password itself
      std::cerr
          << "rdpdoctor: a password is never taken from the command line (every user of this "
             "machine "
             "can read it in the process list and the shell history): set RDPDOCTOR_PASSWORD, use "
             "--password-file FILE, or let rdpdoctor ask on the terminal"
          << std::endl;
      return kExitUsage;
    }
    if (auto hint = xfreerdpHint(a)) {
      std::cerr << "rdpdoctor: " << *hint << std::endl;
      return kExitUsage;
    }
  }
  std::vector<std::string> verbs;
  for (const auto* sub : cli.get_subcommands([](const CLI::App*) { return true; }))
    verbs.push_back(sub->get_name());
  if (args.empty()) return std::nullopt;
  const std::string& first = args.front();
  if (first == "help") {
    if (args.size() == 1) {
      std::cout << cli.help();
      return kExitOk;
    }
    for (auto* sub : cli.get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == args[1]) {
        std::cout << sub->help(cli.get_name());  // as `VERB --help` shows it
        return kExitOk;
      }
    const auto guess = closestVerb(args[1], verbs);
    std::cerr << "rdpdoctor: no verb '" << args[1] << "'"
              << (guess ? ": did you mean '" + *guess + "'?" : std::string())
              << " (rdpdoctor --help)" << std::endl;
    return kExitUsage;
  }
  if (first.empty() || first[0] == '-' ||
      std::find(verbs.begin(), verbs.end(), first) != verbs.end())
    return std::nullopt;
  const auto guess = closestVerb(first, verbs);
  std::cerr << "rdpdoctor: unknown verb '" << first << "'"
            << (guess ? ": did you mean '" + *guess + "'?"
                      : std::string(": to open a host's desktop, rdpdoctor connect HOST"))
            << " (rdpdoctor --help)" << std::endl;
  return kExitUsage;
}

}  // namespace rdpdoctor::app
