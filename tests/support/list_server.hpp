// A real HTTP server for the `lists update` tests: tests/support/list_server.py (python3), started
// on a free port over a directory of files, stopped (stdin closed, then waited for) at the end.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace clearance::testing {

class ListServer {
 public:
  explicit ListServer(const std::string& root) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      std::string script = std::string(CLEARANCE_TEST_SUPPORT_DIR) + "/list_server.py";
      execlp("python3", "python3", script.c_str(), root.c_str(), static_cast<char*>(nullptr));
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
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = 0;
};

}  // namespace clearance::testing
