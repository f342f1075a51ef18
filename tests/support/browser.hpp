// What the headless-Chromium tests share: running a command, where Debian's Chromium is, and what
// is missing to drive it (node, Chromium, the npm packages of tests/browser), as an instruction.
// A browser test FAILS with that instruction rather than pass without having looked at a browser.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>

namespace clearance::testing {

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a command, returning its exit status and appending its combined output.
inline int run_command(const std::string& cmd, std::string& output) {
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) output.append(buf.data(), n);
  int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string chromium_path() {
  const char* env = std::getenv("CLEARANCE_CHROMIUM");
  return env && *env ? env : "/usr/bin/chromium";
}

// What is missing for a browser test, as an instruction; empty when all is there. `packages` are
// the npm packages (of tests/browser) the test needs.
inline std::string missing_browser_prerequisites(const std::string& source_dir,
                                                 std::initializer_list<const char*> packages) {
  namespace fs = std::filesystem;
  std::string missing, out;
  if (run_command("command -v node", out) != 0) missing += " node (apt-get install -y nodejs npm);";
  if (!fs::exists(chromium_path())) missing += " " + chromium_path() + " (apt-get install -y chromium);";
  for (const char* p : packages)
    if (!fs::exists(fs::path(source_dir) / "tests/browser/node_modules" / p / "package.json"))
      missing += std::string(" ") + p + " (make browser-deps);";
  return missing;
}

}  // namespace clearance::testing
