// The server never gives an answer without its record (issue 17 item 3): the Service that
// `clearance serve` runs, in process, over a SQLite store whose IO goes through a FaultEnv. While
// the store's disk is full (or fsync fails), POST /v1/screen and a case decision answer 503 naming
// the failed file, nothing is half recorded and the case is not decided; once the disk is back the
// same server answers 200 with the record's id, and the chain verifies.
#include <gtest/gtest.h>

#include <condition_variable>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "server/service.hpp"
#include "support/fault_env.hpp"
#include "support/paths.hpp"
#include "support/temp_dir.hpp"

namespace clearance {
namespace {

using namespace clearance::server;
using namespace clearance::testing;

// Collects the one answer of a request, sent whole or streamed, from whichever thread.
class Answered : public Responder {
 public:
  void send(Response res) override {
    std::lock_guard lk(mu_);
    status_ = static_cast<int>(res.result_int());
    body_ = res.body();
    done_ = true;
    cv_.notify_all();
  }
  bool start_stream(Response res) override {
    std::lock_guard lk(mu_);
    status_ = static_cast<int>(res.result_int());
    return true;
  }
  bool write_chunk(std::string data) override {
    std::lock_guard lk(mu_);
    body_ += data;
    return true;
  }
  void finish_stream() override {
    std::lock_guard lk(mu_);
    done_ = true;
    cv_.notify_all();
  }
  std::pair<int, nlohmann::json> wait() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return done_; });
    return {status_, nlohmann::json::parse(body_, nullptr, false)};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  int status_ = 0;
  std::string body_;
};

class ServerFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(log_.open(tmp_.path("server.log"), Log::Level::kError).ok());
    ServeOptions o;
    o.home = tmp_.path("home");
    o.data_dir = data_dir();
    o.engine_version = "test";
    o.anonymous_role = "admin";
    o.workers = 2;
    o.limits.rate_per_second = 0;
    svc_ = std::make_unique<Service>(o, log_);
    StoreOptions so;
    so.location = "sqlite:" + tmp_.path("home/store.sqlite");
    so.clock = [] { return std::chrono::system_clock::now(); };
    so.env = &env_;
    ASSERT_TRUE(svc_->open_store(so).ok());
    auto st = svc_->load_state();
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  void TearDown() override { svc_.reset(); }

  std::pair<int, nlohmann::json> post(const std::string& target, const nlohmann::json& body) {
    Request req{http::verb::post, target, 11};
    req.set(http::field::content_type, "application/json");
    req.body() = body.dump();
    req.prepare_payload();
    auto answered = std::make_shared<Answered>();
    svc_->handle(std::move(req), Connection{"127.0.0.1:1", true, false}, answered);
    return answered->wait();
  }
  std::int64_t records() {
    auto h = svc_->store()->head();
    EXPECT_TRUE(h.ok());
    return h ? h->seq : -1;
  }

  TempDir tmp_;
  Log log_;
  FaultEnv env_;
  std::unique_ptr<Service> svc_;
};

TEST_F(ServerFaults, WhileTheAuditTrailCannotBeWrittenTheServerAnswers503AndRecordsNothing) {
  const nlohmann::json screen = {{"name", "Huawei Technologies"}, {"customer_id", "C-faults"}};
  auto [ok_status, ok_body] = post("/v1/screen", screen);
  ASSERT_EQ(ok_status, 200) << ok_body.dump();
  ASSERT_TRUE(ok_body["meta"]["audit_id"].is_number_integer()) << ok_body.dump();
  ASSERT_FALSE(ok_body["hits"].empty()) << "the bundled samples list Huawei";
  const std::int64_t case_id = ok_body["hits"][0]["case"].get<std::int64_t>();

  FaultTally tally;
  int answered_503 = 0;
  // Each kind of fault stays on for a few requests: screenings and a decision of the open case.
  for (Fault kind : {Fault::kNoSpace, Fault::kShortWrite, Fault::kWrite, Fault::kSync}) {
    const std::int64_t before = records();
    env_.fail_always(kind);
    for (int i = 0; i < 3; ++i) {
      auto [status, body] = post("/v1/screen", {{"name", "Party " + std::to_string(i)}});
      EXPECT_EQ(status, 503) << fault_name(kind) << ": " << body.dump();
      EXPECT_EQ(body["error"]["code"], "unavailable") << body.dump();
      EXPECT_NE(body["error"]["message"].get<std::string>().find("store.sqlite"), std::string::npos)
          << "the error names the failed file: " << body.dump();
      EXPECT_FALSE(body.contains("hits")) << "no answer without its record";
      answered_503 += status == 503;
    }
    auto [d_status, d_body] = post("/v1/cases/" + std::to_string(case_id) + "/decide",
                                   {{"decision", "false_positive"}, {"reason", "a bakery in Lyon"}});
    EXPECT_EQ(d_status, 503) << fault_name(kind) << ": " << d_body.dump();
    answered_503 += d_status == 503;
    tally.add(env_);
    env_.reset_counts();
    env_.clear();
    EXPECT_EQ(records(), before) << fault_name(kind) << ": nothing was half recorded";
    auto c = svc_->store()->get_case(case_id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->status, CaseStatus::kOpen) << fault_name(kind) << ": the decision was not made";
    // The disk is back: the same server answers, with the record's id.
    auto [status, body] = post("/v1/screen", {{"name", "Party after " + std::string(fault_name(kind))}});
    ASSERT_EQ(status, 200) << fault_name(kind) << ": " << body.dump();
    EXPECT_EQ(body["meta"]["audit_id"].get<std::int64_t>(), before + 1) << body.dump();
  }
  auto v = svc_->store()->verify();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->ok) << v->message;
  std::cout << "[ faults   ] server (in process, SQLite): " << tally.line()
            << "; 503 answers: " << answered_503 << "\n";
}

}  // namespace
}  // namespace clearance
