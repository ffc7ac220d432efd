#include "man_page.hpp"

#include <regex>
#include <sstream>
#include <vector>

#include "cli_habits.hpp"

namespace rdpdoctor::app {
namespace {

/// roff: a backslash and a leading dot or quote must not be read as requests.
std::string roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::vector<const CLI::App*> verbsOf(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const auto* v : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!v->get_name().empty()) out.push_back(v);
  return out;
}

std::vector<const CLI::Option*> optionsOf(const CLI::App& v) {
  return v.get_options([](const CLI::Option* o) { return o->get_group() != ""; });
}

/// "0 success", "1 no working connection (...)", ... from the one exit-code text.
std::vector<std::pair<std::string, std::string>> exitCodes() {
  std::string text = exitCodesHelp();
  text = text.substr(text.find(':') + 1);
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex item(R"(\s*(\d+) ((?:[^,(]|\([^)]*\))+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), item); it != std::sregex_iterator();
       ++it)
    out.emplace_back((*it)[1], (*it)[2]);
  return out;
}

/// The values an option accepts when it takes a fixed set: "TEXT:{a,b}" -> {a, b}.
std::vector<std::string> choicesOf(const CLI::Option* o) {
  std::vector<std::string> out;
  const std::string t = o->get_type_name();
  const auto open = t.find('{');
  const auto close = t.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream in(t.substr(open + 1, close - open - 1));
  std::string v;
  while (std::getline(in, v, ',')) {
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

/// Values an option's description lists as "a|b|c" (e.g. --security auto|nla|tls|rdp).
std::vector<std::string> describedChoices(const CLI::Option* o) {
  std::vector<std::string> out = choicesOf(o);
  if (!out.empty()) return out;
  const std::regex bar(R"(([a-z0-9-]+(?:\|[a-z0-9-]+)+))");
  std::smatch m;
  const std::string d = o->get_description();
  if (!std::regex_search(d, m, bar)) return out;
  std::stringstream in(m[1].str());
  std::string v;
  while (std::getline(in, v, '|')) out.push_back(v);
  return out;
}

/// "rdpdoctor: connects where..." -> "connects where..."
std::string summaryOf(const CLI::App& app) {
  std::string d = app.get_description();
  if (d.rfind("rdpdoctor: ", 0) == 0) d = d.substr(11);
  return d.empty() ? "RDP client" : d;
}

/// "rdpdoctor hosts forget HOST": the verb and its positional arguments.
std::string usageOf(const std::string& prefix, const CLI::App& v) {
  std::string u = prefix + v.get_name();
  for (const auto* o : optionsOf(v))
    if (o->get_positional()) u += " " + o->get_name();
  return u;
}

void optionsSection(std::ostringstream& m, const CLI::App& v) {
  for (const auto* o : optionsOf(v)) {
    if (o->get_positional()) continue;
    m << ".TP\n.B " << roff(o->get_name(false, true));
    const std::string type = o->get_type_name();
    if (o->get_expected_max() > 0 && !type.empty())
      m << " \\fI" << roff(type.substr(0, type.find(':'))) << "\\fR";
    m << "\n" << roff(o->get_description());
    if (!o->get_default_str().empty()) m << " (default: " << roff(o->get_default_str()) << ")";
    if (const auto c = choicesOf(o); !c.empty()) {
      std::string all;
      for (const auto& x : c) all += (all.empty() ? "" : ", ") + x;
      m << " One of: " << roff(all) << ".";
    }
    m << "\n";
  }
}

}  // namespace

std::string manPage(const CLI::App& app, const std::string& version) {
  std::ostringstream m;
  m << ".TH RDPDOCTOR 1 \"\" \"rdpdoctor " << roff(version) << "\" \"User Commands\"\n"
    << ".SH NAME\nrdpdoctor \\- " << roff(summaryOf(app)) << "\n"
    << ".SH SYNOPSIS\n";
  for (const auto* v : verbsOf(app)) {
    m << ".B rdpdoctor " << roff(v->get_name()) << "\n";
    for (const auto* o : optionsOf(*v))
      if (o->get_positional()) m << ".I " << roff(o->get_name()) << "\n";
    m << "[\\fIOPTIONS\\fR]\n.br\n";
  }
  m << ".B rdpdoctor\n\\-\\-version | \\-\\-help | help [\\fIVERB\\fR]\n"
    << ".SH DESCRIPTION\nrdpdoctor connects to Windows and other RDP hosts like mstsc or xfreerdp. "
       "When a connection fails (the 0x904 / extended 0x7 kind: the socket closed during or right "
       "after the security handshake) it diagnoses the host layer by layer, retries with other "
       "combinations above your security floor, proves the one that works with a second "
       "connection, and says what to fix on the host. A working combination is remembered per "
       "host, so that the next \\fBconnect\\fR goes straight to it.\n"
    << "HOST is \\fIname\\fR, \\fIname:port\\fR, \\fI1.2.3.4:port\\fR, \\fI[v6]:port\\fR or an "
       "mstsc "
       "\\fI.rdp\\fR file.\n";
  for (const auto* v : verbsOf(app)) {
    m << ".SH " << roff("rdpdoctor " + v->get_name()) << "\n" << roff(v->get_description()) << "\n";
    optionsSection(m, *v);
    for (const auto* sub : verbsOf(*v)) {
      m << ".SS " << roff(usageOf("rdpdoctor " + v->get_name() + " ", *sub)) << "\n"
        << roff(sub->get_description()) << "\n";
      optionsSection(m, *sub);
    }
  }
  m << ".SH EXIT STATUS\n";
  for (const auto& [code, what] : exitCodes())
    m << ".TP\n.B " << code << "\n" << roff(what) << "\n";
  m << ".SH ENVIRONMENT\n"
    << ".TP\n.B RDPDOCTOR_PASSWORD\nthe password (never on the command line; also "
       "\\fB\\-\\-password\\-file\\fR or a no-echo prompt on a terminal)\n"
    << ".TP\n.B RDPDOCTOR_STATE_DIR\nwhere the trust store and the remembered hosts live\n"
    << ".TP\n.B XDG_STATE_HOME\nelse \\fI$XDG_STATE_HOME/rdpdoctor\\fR\n"
    << ".TP\n.B HOME\nelse \\fI~/.local/state/rdpdoctor\\fR\n"
    << ".TP\n.B NO_COLOR\nno colours in terminal output\n"
    << ".TP\n.B DISPLAY, WAYLAND_DISPLAY\nthe window of \\fBconnect\\fR (without one: "
       "\\fB\\-\\-headless\\fR)\n"
    << ".SH FILES\n"
    << ".TP\n.I $XDG_STATE_HOME/rdpdoctor/known_hosts\ntrusted certificates (host:port and "
       "SHA-256 fingerprint), written under \\fIknown_hosts.lock\\fR\n"
    << ".TP\n.I $XDG_STATE_HOME/rdpdoctor/hosts.json\nremembered hosts: the combination that "
       "worked, when, its downgrades and the certificate fingerprint; never a password "
       "(\\fBrdpdoctor hosts\\fR)\n"
    << ".TP\n.I *.rdp\nmstsc connection files (UTF-8 or UTF-16LE); \\fB\\-\\-save\\-rdp\\fR "
       "writes the winner into a copy of the file read, changing only the keys it changes\n"
    << ".TP\n.I Secret Service\nwithout a terminal, the password the credentials window was "
       "asked to remember (GNOME Keyring, KWallet; schema org.rdpdoctor.Password, attributes host, "
       "user, domain): looked up first by later runs; never in rdpdoctor's own files\n"
    << ".SH SEE ALSO\n.BR xfreerdp (1)\n";
  return m.str();
}

std::string bashCompletion(const CLI::App& app) {
  std::ostringstream s;
  s << "# bash completion for rdpdoctor (generated from its option definitions)\n"
    << "_rdpdoctor() {\n"
    << "  local cur prev verb i\n"
    << "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
    << "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
    << "  verb=\"\"\n"
    << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
    << "    case \"${COMP_WORDS[i]}\" in -*) ;; *) verb=\"${COMP_WORDS[i]}\"; break ;; esac\n"
    << "  done\n"
    << "  if [[ -z \"$verb\" ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"";
  for (const auto* v : verbsOf(app)) s << v->get_name() << " ";
  s << "help --version --help\" -- \"$cur\"))\n"
    << "    return\n"
    << "  fi\n"
    << "  case \"$prev\" in\n";
  // the values of options with a fixed set (the same option has the same values in every verb)
  std::vector<std::string> done;
  for (const auto* v : verbsOf(app))
    for (const auto* o : optionsOf(*v)) {
      if (o->get_positional() || o->get_expected_max() == 0) continue;
      const auto c = describedChoices(o);
      const std::string name = o->get_name(false, true);
      if (c.empty() || std::find(done.begin(), done.end(), name) != done.end()) continue;
      done.push_back(name);
      std::string words;
      for (const auto& x : c) words += (words.empty() ? "" : " ") + x;
      std::string pattern = name;
      for (auto& ch : pattern)
        if (ch == ',') ch = '|';
      s << "    " << pattern << ") COMPREPLY=($(compgen -W \"" << words
        << "\" -- \"$cur\")); return ;;\n";
    }
  s << "    --json|--html|--markdown|--save-rdp|--password-file) COMPREPLY=($(compgen -f -- "
       "\"$cur\")); return ;;\n"
    << "  esac\n"
    << "  local opts=\"\"\n"
    << "  case \"$verb\" in\n";
  for (const auto* v : verbsOf(app)) {
    s << "    " << v->get_name() << ") opts=\"";
    for (const auto* o : optionsOf(*v)) {
      if (o->get_positional()) continue;
      for (const auto& l : o->get_lnames())
        if (l != "help") s << "--" << l << " ";
    }
    for (const auto* sub : verbsOf(*v)) s << sub->get_name() << " ";
    s << "--help\" ;;\n";
  }
  s << "  esac\n"
    << "  if [[ \"$cur\" == -* ]]; then\n"
    << "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
    << "    return\n"
    << "  fi\n"
    << "  case \"$verb\" in\n"
    << "    connect|diagnose|probe|forget|hosts)\n"
    << "      local hosts\n"
    << "      hosts=\"$(rdpdoctor hosts --names 2>/dev/null)\"\n"
    << "      [[ \"$verb\" == hosts ]] && hosts=\"forget $hosts\"\n"
    << "      COMPREPLY=($(compgen -W \"$hosts\" -- \"$cur\"))\n"
    << "      [[ \"$verb\" == hosts ]] && return\n"
    << "      local IFS=$'\\n'\n"
    << "      COMPREPLY+=($(compgen -f -X '!*.rdp' -- \"$cur\") $(compgen -d -- \"$cur\"))\n"
    << "      ;;\n"
    << "  esac\n"
    << "}\n"
    << "complete -o filenames -F _rdpdoctor rdpdoctor\n";
  return s.str();
}

namespace {

/// A description inside a single-quoted zsh word and an _arguments "[...]": no quote, no
/// brackets, no backslash.
std::string zshText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '[')
      out += '(';
    else if (c == ']')
      out += ')';
    else if (c == '\\' || c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

/// One _arguments spec per option name: "--goal[headless goal]:goal:(a b c)".
void zshOptions(std::ostringstream& s, const CLI::App& v) {
  for (const auto* o : optionsOf(v)) {
    if (o->get_positional()) continue;
    std::string value;
    if (o->get_expected_max() != 0) {
      const auto c = describedChoices(o);
      const std::string name = o->get_name(false, true);
      std::string words;
      for (const auto& x : c) words += (words.empty() ? "" : " ") + x;
      const bool file = name.find("--json") != std::string::npos ||
                        name.find("--html") != std::string::npos ||
                        name.find("--markdown") != std::string::npos ||
                        name.find("--save-rdp") != std::string::npos ||
                        name.find("--password-file") != std::string::npos ||
                        name.find("--bundle") != std::string::npos;
      value = !c.empty() ? ":value:(" + words + ")" : file ? ":file:_files" : ":value: ";
    }
    std::vector<std::string> names;
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& n : o->get_snames()) names.push_back("-" + n);
    for (const auto& n : names)
      s << "        '" << n << "[" << zshText(o->get_description()) << "]" << zshText(value)
        << "' \\\n";
  }
}

}  // namespace

std::string zshCompletion(const CLI::App& app) {
  std::ostringstream s;
  s << "#compdef rdpdoctor\n"
    << "# zsh completion for rdpdoctor (generated from its option definitions)\n"
    << "_rdpdoctor_hosts() {\n"
    << "  local -a h\n"
    << "  h=(${(f)\"$(rdpdoctor hosts --names 2>/dev/null)\"})\n"
    << "  (( ${#h} )) && _describe -t hosts 'remembered host' h\n"
    << "}\n"
    << "_rdpdoctor_targets() {\n"
    << "  _alternative 'hosts:remembered host:_rdpdoctor_hosts' 'files:.rdp file:_files -g "
       "\"*.rdp\"'\n"
    << "}\n"
    << "_rdpdoctor() {\n"
    << "  local -a verbs\n"
    << "  verbs=(\n";
  for (const auto* v : verbsOf(app))
    s << "    '" << v->get_name() << ":" << zshText(v->get_description()) << "'\n";
  s << "  )\n"
    << "  if (( CURRENT == 2 )); then\n"
    << "    _describe -t verbs 'rdpdoctor verb' verbs\n"
    << "    return\n"
    << "  fi\n"
    << "  local verb=${words[2]}\n"
    << "  shift words\n"
    << "  (( CURRENT-- ))\n"
    << "  case $verb in\n";
  for (const auto* v : verbsOf(app)) {
    s << "    " << v->get_name() << ")\n      _arguments -s \\\n";
    zshOptions(s, *v);
    std::string subs;
    for (const auto* sub : verbsOf(*v)) subs += (subs.empty() ? "" : " ") + sub->get_name();
    if (!subs.empty()) s << "        '1:action:(" << subs << ")' \\\n";
    const bool hostLike = v->get_name() == "connect" || v->get_name() == "diagnose" ||
                          v->get_name() == "probe" || !subs.empty();
    s << "        '*:" << (hostLike ? "host:_rdpdoctor_targets" : "argument: ") << "'\n"
      << "      ;;\n";
  }
  s << "  esac\n"
    << "}\n"
    << "_rdpdoctor \"$@\"\n";
  return s.str();
}

}  // namespace rdpdoctor::app
