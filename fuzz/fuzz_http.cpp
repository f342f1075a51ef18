// The HTTP API's request handling without a socket: each input is one request, handed to the
// Service `clearance serve` runs (routing, a keyless analyst's authentication, the JSON and CSV
// bodies and query strings of every endpoint, the handlers) over the bundled sample lists, rule
// packs and catalogue, with nothing recorded (so the case and audit routes answer 404 before
// reading a body).
// Input: a first line "METHOD /target?query", header lines "Name: value" up to an empty line, the body.
#include <condition_variable>
#include <mutex>

#include "fuzz_support.hpp"
#include "server/service.hpp"
#include "support/paths.hpp"

namespace {

using namespace clearance;
using namespace clearance::server;

// Waits for the one answer of a request, sent whole or streamed, from whichever thread.
class Waiter : public Responder {
 public:
  void send(Response) override { done(); }
  bool start_stream(Response) override { return true; }
  bool write_chunk(std::string) override { return true; }
  void finish_stream() override { done(); }
  void wait() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return done_; });
  }

 private:
  void done() {
    std::lock_guard lk(mu_);
    if (done_) {
      std::fprintf(stderr, "a request was answered twice\n");
      std::abort();
    }
    done_ = true;
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

Service& service() {
  static Log log;
  static Service* svc = [] {
    if (auto st = log.open("/dev/null", Log::Level::kError); !st) fuzz::setup_failed(st.error().message);
    char home[] = "/tmp/clearance-fuzz-http-XXXXXX";
    if (!::mkdtemp(home)) fuzz::setup_failed("mkdtemp");
    ServeOptions o;
    o.home = home;
    o.data_dir = clearance::testing::data_dir();
    o.engine_version = "fuzz";
    o.anonymous_role = "analyst";
    o.record = false;
    o.workers = 1;
    o.limits.rate_per_second = 0;
    auto* s = new Service(o, log);
    if (auto st = s->load_state(); !st) fuzz::setup_failed(st.error().message);
    return s;
  }();
  return *svc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = fuzz::text_of(data, size);
  auto [request_line, rest] = fuzz::head_and_rest(text);
  size_t space = request_line.find(' ');
  if (space == std::string_view::npos) return 0;
  auto method = request_line.substr(0, space);
  auto verb = http::string_to_verb(boost::beast::string_view(method.data(), method.size()));
  auto target = request_line.substr(space + 1);
  if (verb == http::verb::unknown || target.empty() || target[0] != '/') return 0;
  Request req;
  try {
    req.method(verb);
    req.target(boost::beast::string_view(target.data(), target.size()));
    req.version(11);
    while (!rest.empty()) {
      auto [line, after] = fuzz::head_and_rest(rest);
      rest = after;
      if (line.empty() || line == "\r") break;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) return 0;
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      req.insert(boost::beast::string_view(line.data(), colon),
                 boost::beast::string_view(value.data(), value.size()));
    }
  } catch (const std::exception&) {
    return 0;  // a field Beast refuses is one the transport's parser would refuse
  }
  req.body() = std::string(rest);
  req.prepare_payload();
  Service& svc = service();
  if (req.body().size() > svc.body_limit(req)) return 0;  // the transport answers 413 itself
  auto waiter = std::make_shared<Waiter>();
  svc.handle(std::move(req), Connection{"127.0.0.1:1", true, false}, waiter);
  waiter->wait();
  return 0;
}
