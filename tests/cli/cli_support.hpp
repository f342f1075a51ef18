// The real `clearance` binary run as other tools run it, in a scratch data home per test.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/paths.hpp"

namespace clearance::testing {

struct Run {
  int status = -1;  // the exit status; -1 when the process died of a signal
  int signal = 0;   // the signal that ended it, if any
  std::string out;  // stdout and stderr together
};

// Runs `ENV clearance ARGS 2>&1` through the shell (ARGS may hold redirections; ENV is a list of
// VAR=value assignments).
inline Run run(const std::string& args, const std::string& env = "") {
  std::string cmd = (env.empty() ? "" : env + " ") + clearance_binary() + " " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  if (WIFEXITED(st)) {
    r.status = WEXITSTATUS(st);
    if (r.status > 128) r.signal = r.status - 128;  // the shell reports a signalled child as 128+N
  } else if (WIFSIGNALED(st)) {
    r.signal = WTERMSIG(st);
  }
  return r;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("clearance-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string home() const { return "--home " + (dir_ / "home").string(); }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::filesystem::path dir_;
};

}  // namespace clearance::testing
