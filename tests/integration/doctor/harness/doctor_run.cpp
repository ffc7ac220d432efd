#include "doctor_run.hpp"

#include <fstream>
#include <sstream>

namespace rdpdoctor::doctortest {

DoctorEnvironment::DoctorEnvironment(const std::filesystem::path& dir)
    : home_(dir / "home"), state_(dir / "state") {
  std::filesystem::create_directories(home_);
  std::filesystem::create_directories(state_);
  env_ = baseEnvironment(home_.string());
  env_.push_back("RDPDOCTOR_STATE_DIR=" + state_.string());
}

DoctorEnvironment& DoctorEnvironment::set(const std::string& key, const std::string& value) {
  std::erase_if(env_, [&](const std::string& e) { return e.rfind(key + "=", 0) == 0; });
  env_.push_back(key + "=" + value);
  return *this;
}

std::string DoctorRun::describe() const {
  std::string s = "rdpdoctor: " + process.describe();
  // on a terminal stdout and stderr are one stream, in `out`
  const bool terminal = process.err.empty() && !process.out.empty();
  const auto& e = terminal ? process.out : process.err;
  s += std::string(terminal ? "\n--- terminal (tail) ---\n" : "\n--- stderr (tail) ---\n") +
       (e.size() > 4000 ? e.substr(e.size() - 4000) : e);
  if (json.is_object() && json.contains("verdict"))
    s += "\n--- verdict ---\n" + json["verdict"].dump();
  if (!jsonError.empty())
    s += "\n--- stdout is not JSON: " + jsonError + " ---\n" + process.out.substr(0, 2000);
  return s;
}

ProcessResult runRdpdoctor(const std::string& binary, const std::vector<std::string>& args,
                           const DoctorEnvironment& env, std::chrono::milliseconds deadline) {
  ProcessRequest r;
  r.argv.push_back(binary);
  r.argv.insert(r.argv.end(), args.begin(), args.end());
  r.env = env.variables();
  r.deadline = deadline;
  return runProcess(r);
}

DoctorRun diagnoseJson(const std::string& binary, const std::vector<std::string>& args,
                       const DoctorEnvironment& env, std::chrono::milliseconds deadline) {
  std::vector<std::string> full{"diagnose"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--json", "-"});
  DoctorRun d;
  d.process = runRdpdoctor(binary, full, env, deadline);
  try {
    d.json = nlohmann::json::parse(d.process.out);
  } catch (const std::exception& e) {
    d.jsonError = e.what();
  }
  return d;
}

std::string stringAt(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

std::vector<nlohmann::json> ranAttempts(const nlohmann::json& doc) {
  std::vector<nlohmann::json> out;
  if (!doc.contains("attempts")) return out;
  for (const auto& a : doc["attempts"])
    if (stringAt(a, "result") != "skipped") out.push_back(a);
  return out;
}

std::vector<nlohmann::json> ranRungs(const nlohmann::json& doc) {
  auto all = ranAttempts(doc);
  std::erase_if(all, [](const nlohmann::json& a) { return a.value("confirmation", false); });
  return all;
}

bool anyContains(const nlohmann::json& list, const std::string& needle) {
  if (!list.is_array()) return false;
  for (const auto& s : list)
    if (s.is_string() && s.get<std::string>().find(needle) != std::string::npos) return true;
  return false;
}

std::vector<std::string> remedyIds(const nlohmann::json& doc) {
  std::vector<std::string> ids;
  if (doc.contains("remedies"))
    for (const auto& r : doc["remedies"]) ids.push_back(stringAt(r, "id"));
  return ids;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> filesContaining(const std::filesystem::path& dir,
                                                   const std::string& needle) {
  std::vector<std::filesystem::path> hits;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && readFile(it->path()).find(needle) != std::string::npos)
      hits.push_back(it->path());
  }
  return hits;
}

int rejectedAuthentications(const std::filesystem::path& shadowLog) {
  const std::string log = readFile(shadowLog);
  int n = 0;
  for (auto at = log.find("MIC) verification failed"); at != std::string::npos;
       at = log.find("MIC) verification failed", at + 1))
    ++n;
  return n;
}

}  // namespace rdpdoctor::doctortest
