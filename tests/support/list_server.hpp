// A real HTTP server for the `lists update` tests: tests/support/list_server.py (python3), started
// on a free port over a directory of files, stopped (stdin closed, then waited for) at the end.
// Other scripts of tests/support that print their port and stop when stdin closes run the same way
// (ListServer::script: the monitor tests' webhook_receiver.py).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace clearance::testing {

class ListServer {
 public:
  explicit ListServer(const std::string& root) : ListServer("list_server.py", {root}) {}
  static std::unique_ptr<ListServer> script(const std::string& name, const std::vector<std::string>& args) {
    return std::unique_ptr<ListServer>(new ListServer(name, args));
  }
  ~ListServer() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
      int st;
      // A handler still sleeping (the slow-server test) must not hold the test up.
      kill(pid_, SIGTERM);
      waitpid(pid_, &st, 0);
    }
  }
  ListServer(const ListServer&) = delete;
  ListServer& operator=(const ListServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
  }

 private:
  ListServer(const std::string& name, const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    std::string script = support_dir() + "/" + name;
    std::vector<char*> argv = {const_cast<char*>("python3"), script.data()};
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    port_ = line.empty() ? 0 : std::stoi(line);
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

}  // namespace clearance::testing
