#include "rdpdoctor/front/credentials.hpp"

#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {

Secret::~Secret() {
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
}

namespace {

Result<Secret> fromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError("usage", "cannot read password file " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Secret s(line);
  OPENSSL_cleanse(line.data(), line.size());
  return s;
}

Result<Secret> fromPrompt(const std::string& promptFor) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return Secret{};
  const int fd = fileno(tty);
  termios old{};
  const bool haveTermios = tcgetattr(fd, &old) == 0;
  if (haveTermios) {
    termios noEcho = old;
    noEcho.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &noEcho);
  }
  std::fprintf(tty,
               "password for %s: ", terminalText(promptFor).c_str());  // a .rdp file's host is data
  std::fflush(tty);
  std::string value;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty))
    value.push_back(static_cast<char>(c));
  if (haveTermios) tcsetattr(fd, TCSAFLUSH, &old);
  std::fputc('\n', tty);
  std::fclose(tty);
  Secret s(value);
  OPENSSL_cleanse(value.data(), value.size());
  return s;
}

}  // namespace

Result<Secret> readPassword(const PasswordSources& sources) {
  if (const char* env = std::getenv("RDPDOCTOR_PASSWORD"); env != nullptr) {
    Secret s{std::string(env)};
    ::unsetenv("RDPDOCTOR_PASSWORD");  // children never inherit it
    return s;
  }
  if (!sources.passwordFile.empty()) return fromFile(sources.passwordFile);
  if (sources.allowPrompt && ::isatty(STDIN_FILENO)) return fromPrompt(sources.promptFor);
  return Secret{};
}

}  // namespace rdpdoctor
