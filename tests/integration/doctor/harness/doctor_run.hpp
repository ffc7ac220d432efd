#pragma once
// `rdpdoctor diagnose ... --json -` as a script runs it, plus helpers to read its JSON document
// (schema rdpdoctor/diagnose@1) in assertions.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process_run.hpp"

namespace rdpdoctor::doctortest {

/// A private HOME and RDPDOCTOR_STATE_DIR under `dir` (a lab TempDir), plus extra variables.
class DoctorEnvironment {
 public:
  explicit DoctorEnvironment(const std::filesystem::path& dir);
  DoctorEnvironment& set(const std::string& key, const std::string& value);
  [[nodiscard]] const std::vector<std::string>& variables() const { return env_; }
  [[nodiscard]] const std::filesystem::path& home() const { return home_; }
  [[nodiscard]] const std::filesystem::path& stateDir() const { return state_; }

 private:
  std::filesystem::path home_;
  std::filesystem::path state_;
  std::vector<std::string> env_;
};

struct DoctorRun {
  ProcessResult process;
  nlohmann::json json;    // the parsed stdout (null when stdout is not one JSON document)
  std::string jsonError;  // why stdout did not parse

  /// For assertion messages: exit code, time, the stderr tail and the verdict.
  [[nodiscard]] std::string describe() const;
};

/// Runs `binary args...` (no JSON parsing).
[[nodiscard]] ProcessResult runRdpdoctor(
    const std::string& binary, const std::vector<std::string>& args, const DoctorEnvironment& env,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(240000));
/// Runs `binary diagnose args... --json -` and parses stdout.
[[nodiscard]] DoctorRun diagnoseJson(
    const std::string& binary, const std::vector<std::string>& args, const DoctorEnvironment& env,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(240000));

/// The string at `key` of an object, "" when absent or not a string.
[[nodiscard]] std::string stringAt(const nlohmann::json& object, const std::string& key);
/// Attempts that really ran (not skipped), confirmations included.
[[nodiscard]] std::vector<nlohmann::json> ranAttempts(const nlohmann::json& doc);
/// The string at `key` of an object, "" when absent or not a string.
[[nodiscard]] std::string stringAt(const nlohmann::json& object, const std::string& key);
/// Attempts that really ran, not counting confirmations (one per rung tried).
[[nodiscard]] std::vector<nlohmann::json> ranRungs(const nlohmann::json& doc);
/// True when some string in `list` contains `needle`.
[[nodiscard]] bool anyContains(const nlohmann::json& list, const std::string& needle);
/// The remedy ids of the document.
[[nodiscard]] std::vector<std::string> remedyIds(const nlohmann::json& doc);
/// Reads a whole file ("" when missing).
[[nodiscard]] std::string readFile(const std::filesystem::path& p);
/// Lines of a shadow server's log where NTLM rejected a client's credentials: one per failed
/// CredSSP authentication (the probe's TLS checks never get that far).
[[nodiscard]] int rejectedAuthentications(const std::filesystem::path& shadowLog);
/// Every regular file under `dir` whose content contains `needle`.
[[nodiscard]] std::vector<std::filesystem::path> filesContaining(const std::filesystem::path& dir,
                                                                 const std::string& needle);

}  // namespace rdpdoctor::doctortest
