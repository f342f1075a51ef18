// Test support for the HTTP API: the real `clearance serve` process on a free port, and a small
// blocking HTTP/1.1 client (Boost.Beast) that can also misbehave (slow, huge, malformed).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/paths.hpp"

namespace clearance::testing {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh data home under the build's temporary directory.
inline std::string temp_home(const std::string& tag) {
  auto dir = fs::temp_directory_path() / ("clearance-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

// Runs `clearance --home HOME ARGS…`, returning exit status and stdout (stderr to a file).
struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};
inline RunResult run_cli(const std::string& home, const std::vector<std::string>& args) {
  std::string out_path = home + "/.cli-out", err_path = home + "/.cli-err";
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<std::string> full = {clearance_binary(), "--home", home};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : full) argv.push_back(s.data());
    argv.push_back(nullptr);
    FILE* o = std::freopen(out_path.c_str(), "w", stdout);
    FILE* e = std::freopen(err_path.c_str(), "w", stderr);
    (void)o;
    (void)e;
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out_path), slurp(err_path)};
}

// Percent-encodes a query-string value.
inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// The one error shape of the API: status, code, a message, the field at fault, a request id.
inline void expect_error(const HttpResult& r, int status, const std::string& code,
                         const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  auto j = r.json();
  ASSERT_TRUE(j.is_object() && j.contains("error")) << r.body;
  EXPECT_EQ(j["error"]["code"], code) << r.body;
  EXPECT_TRUE(j["error"]["message"].is_string());
  if (field.empty())
    EXPECT_TRUE(j["error"]["field"].is_null() || j["error"]["field"].is_string());
  else
    EXPECT_EQ(j["error"]["field"], field) << r.body;
  EXPECT_FALSE(r.header("x-request-id").empty());
}

// One keep-alive connection.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  HttpResult request(bhttp::verb method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {},
                     const std::string& content_type = "application/json") {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!socket_.is_open()) connect();
        bhttp::request<bhttp::string_body> req{method, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        for (auto& [k, v] : headers) req.set(k, v);
        if (!body.empty() || method == bhttp::verb::post) {
          req.set(bhttp::field::content_type, content_type);
          req.body() = body;
        }
        req.prepare_payload();
        bhttp::write(socket_, req);
        beast::flat_buffer buf;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(1ull << 32);
        bhttp::read(socket_, buf, parser);
        auto res = parser.release();
        HttpResult out;
        out.status = static_cast<int>(res.result_int());
        for (const auto& f : res) {
          std::string name(f.name_string());
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          out.headers[name] = std::string(f.value());
        }
        out.body = std::move(res.body());
        if (!res.keep_alive()) close();
        return out;
      } catch (const std::exception&) {
        close();
        if (attempt == 1) throw;
      }
    }
    return {};
  }

  HttpResult get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request(bhttp::verb::get, target, "", headers);
  }
  HttpResult post(const std::string& target, const std::string& body,
                  const std::map<std::string, std::string>& headers = {},
                  const std::string& content_type = "application/json") {
    return request(bhttp::verb::post, target, body, headers, content_type);
  }

  void close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  void connect() {
    socket_ = tcp::socket(ioc_);
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
    socket_.set_option(tcp::no_delay(true));
  }
  int port_;
  net::io_context ioc_;
  tcp::socket socket_{ioc_};
};

// A raw connection for requests no well-behaved client sends.
class RawConnection {
 public:
  explicit RawConnection(int port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }
  // Writes bytes; false once the peer has closed.
  bool send(const std::string& bytes) {
    beast::error_code ec;
    net::write(socket_, net::buffer(bytes), ec);
    return !ec;
  }
  bool readable() {
    beast::error_code ec;
    return socket_.available(ec) > 0;
  }
  // Reads one response (status 0 when the connection closed without one).
  HttpResult read_response() {
    HttpResult out;
    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    beast::error_code ec;
    bhttp::read(socket_, buf, parser, ec);
    if (ec && !parser.is_header_done()) return out;
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    return out;
  }
  tcp::socket& socket() { return socket_; }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
};

// `clearance --home HOME serve --listen 127.0.0.1:0 …` as a child process; stopped with SIGTERM.
class ServerProcess {
 public:
  ServerProcess(std::string home, std::vector<std::string> extra) : home_(std::move(home)) {
    std::string port_file = home_ + "/.port";
    log_ = home_ + "/server.log";
    fs::remove(port_file);
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      // The server dies with the test process: a test that crashed (a sanitizer report) used to
      // leave it running, holding ctest's output pipe until the 900 s timeout.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      std::vector<std::string> args = {clearance_binary(), "--home",      home_,     "serve", "--listen",
                                       "127.0.0.1:0",      "--port-file", port_file, "--log", log_};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& s : args) argv.push_back(s.data());
      argv.push_back(nullptr);
      FILE* e = std::freopen((home_ + "/server.stderr").c_str(), "a", stderr);
      (void)e;
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until) {
      std::string p = slurp(port_file);
      if (!p.empty() && p.back() == '\n') {
        port_ = std::stoi(p);
        return;
      }
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~ServerProcess() { stop(SIGTERM); }

  bool running() const { return pid_ > 0 && port_ > 0; }
  int port() const { return port_; }
  const std::string& home() const { return home_; }
  std::string log() const { return slurp(log_); }
  std::string stderr_text() const { return slurp(home_ + "/server.stderr"); }
  pid_t pid() const { return pid_; }

  // Sends `sig` and waits for the process; returns its exit status (128+n when killed by n).
  int stop(int sig) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }

 private:
  std::string home_;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

inline const std::vector<std::string> kApiRoles = {"viewer", "analyst", "approver", "admin", "auditor"};

inline std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// A data home with a key for every role and a server on it, shared by a test suite. `setup` are
// CLI commands run on the home before the server starts.
struct ApiServer {
  std::string home;
  std::map<std::string, std::string> keys;  // role -> key
  std::unique_ptr<ServerProcess> server;

  ApiServer(const std::string& tag, const std::vector<std::string>& args,
            const std::vector<std::vector<std::string>>& setup = {})
      : home(temp_home(tag)) {
    for (const auto& role : kApiRoles) {
      auto r = run_cli(home, {"keys", "create", "--name", "test " + role, "--role", role});
      EXPECT_EQ(r.status, 0) << r.err;
      keys[role] = trimmed(r.out);
    }
    for (const auto& cmd : setup) {
      auto r = run_cli(home, cmd);
      EXPECT_EQ(r.status, 0) << r.err;
    }
    server = std::make_unique<ServerProcess>(home, args);
  }
  std::map<std::string, std::string> auth(const std::string& role) const {
    return {{"Authorization", "Bearer " + keys.at(role)}};
  }
  // The key's id, the caller of its records ("clr_<id>_<secret>").
  std::string key_id(const std::string& role) const {
    const std::string& key = keys.at(role);
    return key.substr(4, key.find('_', 4) - 4);
  }
  HttpResult post(const std::string& path, const std::string& body, const std::string& role,
                  const std::string& content_type = "application/json") const {
    HttpClient c(server->port());
    return c.post(path, body, auth(role), content_type);
  }
  HttpResult get(const std::string& path, const std::string& role) const {
    HttpClient c(server->port());
    return c.get(path, auth(role));
  }
};

// JSON lines without the fields that differ between a recorded answer and a trial run's
// ("record": N against "recorded": false): what a server's batch and the CLI's must share.
inline std::vector<nlohmann::json> unrecorded_lines(const std::string& text) {
  std::istringstream in(text);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    j.erase("record");
    j.erase("recorded");
    out.push_back(j);
  }
  return out;
}

// Validates real responses ({"method", "path", "status", "content_type", "body"} each) against the
// server's /openapi.json with ajv (tests/browser/openapi_check.mjs); fails the test otherwise.
inline void expect_valid_responses(const ApiServer& api, const nlohmann::json& responses,
                                   const std::string& dir) {
  ASSERT_TRUE(fs::exists(source_dir() + "/tests/browser/node_modules/ajv/package.json"))
      << "needs ajv: cd tests/browser && npm ci (make browser-deps)";
  fs::create_directories(dir);
  std::ofstream(dir + "/openapi.json") << api.get("/openapi.json", "admin").body;
  std::ofstream(dir + "/responses.json") << responses.dump();
  std::string cmd = "node " + source_dir() + "/tests/browser/openapi_check.mjs " + dir + "/openapi.json " +
                    dir + "/responses.json 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = ::pclose(p);
  EXPECT_EQ(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0) << out;
  EXPECT_NE(out.find("validated " + std::to_string(responses.size())), std::string::npos) << out;
}

// A test suite sharing one ApiServer: Suite::start() makes it (a home, keys, the server's options).
template <class Suite>
class ApiSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    api_ = Suite::start();
    ASSERT_TRUE(api_->server->running()) << api_->server->stderr_text();
  }
  static void TearDownTestSuite() {
    delete api_;
    api_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(api_ && api_->server->running()); }
  // The responses kept (keep) are validated against /openapi.json at the end of each test.
  void TearDown() override {
    if (!seen_.empty())
      expect_valid_responses(
          *api_, seen_,
          api_->home + "/openapi-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void keep(const std::string& method, const std::string& path, const HttpResult& r) {
    seen_.push_back({{"method", method},
                     {"path", path},
                     {"status", r.status},
                     {"content_type", r.header("content-type")},
                     {"body", r.body}});
  }
  static HttpResult get(const std::string& path, const std::string& role) { return api_->get(path, role); }
  static inline ApiServer* api_ = nullptr;
  nlohmann::json seen_ = nlohmann::json::array();
};

}  // namespace clearance::testing
